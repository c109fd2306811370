import fs from 'node:fs';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN, aProducer, aProduct, aUser, startTestShop, type TestShop } from './support/harness.ts';
import { launchBrowser, screenshot } from './support/browser.ts';
import { uuidv7 } from './support/tickets.ts';

/**
 * A manager's evening in the back office, in Chromium: the X report, the drawer counted by
 * denomination with a difference to explain, the Z, then the day's FEC downloaded and checked.
 *
 * Today: T1 Tomme × 2 = 20,00 € + Café 1,50 € = 21,50 € paid 25,00 € in cash (3,50 € change);
 *        T2 Tomme × 1 = 10,00 € + Savon 6,00 € = 16,00 € by card. Total 37,50 €.
 * Cash expected 25,00 − 3,50 = 21,50 €. Counted: one 20 € note and one 1 € coin = 21,00 €: 0,50 € short.
 * FEC: D 530000 21,50, D 511500 16,00; credits 707/4457 = 37,50 (the closing's total); D 658000 0,50, C 530000 0,50.
 */
let shop: TestShop;
let browser: Browser;
const paris = () => new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/Paris' }).format(new Date());
const text = async (l: { textContent(): Promise<string | null> }) => ((await l.textContent()) ?? '').replace(/[\u202f\u00a0]/g, ' ').trim();

beforeAll(async () => {
  shop = await startTestShop({ serveClient: true });
  const a = await aProducer(shop.admin, { name: 'Ferme du Sidobre' });
  const b = await aProducer(shop.admin, { name: 'Savonnerie du Thoré', vatStatus: 'franchise', commissionBp: 2500 });
  const tomme = (await aProduct(shop.admin, { name: 'Tomme', producerId: a.id, priceCents: 1000, vatRateBp: 550 })).id;
  const savon = (await aProduct(shop.admin, { name: 'Savon', producerId: b.id, priceCents: 600, vatRateBp: 2000 })).id;
  const cafe = (await aProduct(shop.admin, { name: 'Café', priceCents: 150, vatRateBp: 1000 })).id;
  await shop.admin.post('/api/stock/deposits', { producerId: a.id, lines: [{ productId: tomme, quantity: 10 }] });
  await shop.admin.post('/api/stock/deposits', { producerId: b.id, lines: [{ productId: savon, quantity: 10 }] });
  const till = (await aUser(shop, 'cashier')).client;
  const sell = async (n: number, lines: object[], totalCents: number, payments: object[]) => {
    const res = await till.post('/api/sales', { id: uuidv7(), tillId: 1, number: n, createdAt: new Date(Date.now() - 60_000).toISOString(), lines, discountCents: 0, payments, totalCents });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
  };
  await sell(1, [{ productId: tomme, quantity: 2, unitPriceCents: 1000 }, { productId: cafe, quantity: 1, unitPriceCents: 150 }], 2150, [{ method: 'cash', amountCents: 2500 }]);
  await sell(2, [{ productId: tomme, quantity: 1, unitPriceCents: 1000 }, { productId: savon, quantity: 1, unitPriceCents: 600 }], 1600, [{ method: 'card', amountCents: 1600 }]);
  browser = await launchBrowser();
}, 60_000);

afterAll(async () => {
  await browser?.close();
  await shop?.close();
});

async function managerPage(viewport: { width: number; height: number }): Promise<Page> {
  const context = await browser.newContext({ viewport, locale: 'fr-FR', timezoneId: 'Europe/Paris', acceptDownloads: true });
  const page = await context.newPage();
  page.on('pageerror', (e) => console.error('page error:', e.message));
  await page.goto(shop.url);
  await page.getByLabel('Identifiant').fill(ADMIN.login);
  await page.getByLabel('Mot de passe').fill(ADMIN.password);
  await page.getByRole('button', { name: 'Se connecter' }).click();
  await page.getByRole('link', { name: 'Journée et clôture' }).waitFor();
  return page;
}

describe('the back office on a laptop and a tablet', { timeout: 60_000 }, () => {
  let page: Page;

  it('shows the X report, counts the drawer by denomination, asks why it is short, then closes the day', async () => {
    page = await managerPage({ width: 1280, height: 800 });
    await expect.poll(() => text(page.getByTestId('x-total'))).toBe('37,50 €');
    expect(await text(page.getByTestId('cash-expected'))).toBe('21,50 €');
    await page.getByLabel('Nombre de 20,00 €').fill('1');
    await page.getByLabel('Nombre de 1,00 €').fill('1');
    await expect.poll(() => text(page.getByTestId('cash-counted'))).toBe('21,00 €');
    expect(await text(page.getByTestId('cash-difference'))).toBe('-0,50 €');
    await page.getByRole('button', { name: 'Clôturer la journée (Z)' }).click();
    await expect.poll(() => text(page.getByRole('alert'))).toBe('Expliquez l’écart de caisse avant de clôturer.');
    await page.getByLabel('Explication de l’écart').fill('Pièce de 50 centimes rendue en trop');
    await screenshot(page, 'backoffice-laptop-day');
    await page.getByRole('button', { name: 'Clôturer la journée (Z)' }).click();
    await expect.poll(() => text(page.getByTestId('z-done'))).toBe('Journée clôturée : Z n° 1, 37,50 €.');
    const z = (await shop.admin.get('/api/closings?kind=day')).body[0];
    expect(z.figures).toMatchObject({ cashCountedCents: 2100, cashDifferenceCents: -50, note: 'Pièce de 50 centimes rendue en trop' });
  });

  it('downloads the day’s FEC: 18 columns, balanced, sales equal to the closing, the cash difference booked', async () => {
    await page.getByRole('link', { name: 'Comptabilité' }).click();
    const day = paris();
    await page.getByLabel('Du').fill(day);
    await page.getByLabel('Au').fill(day);
    await screenshot(page, 'backoffice-laptop-accounting');
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Télécharger' }).first().click()]);
    const siren = (await shop.admin.get('/api/settings')).body.identity.siret.slice(0, 9);
    expect(download.suggestedFilename()).toBe(`${siren}FEC${day.replaceAll('-', '')}.txt`);
    const raw = fs.readFileSync((await download.path())!).toString('latin1');
    const [header, ...rows] = raw.slice(0, -2).split('\r\n').map((l) => l.split('\t'));
    expect(header).toHaveLength(18);
    expect(rows.every((r) => r.length === 18)).toBe(true);
    const cents = (s: string) => Math.round(Number(s.replace(',', '.')) * 100);
    const debit = rows.reduce((s, r) => s + cents(r[11]!), 0);
    const credit = rows.reduce((s, r) => s + cents(r[12]!), 0);
    // 2150 + 1600 + 50 on each side.
    expect([debit, credit]).toEqual([3800, 3800]);
    expect(rows.filter((r) => /^(707|4457)/.test(r[4]!)).reduce((s, r) => s + cents(r[12]!), 0)).toBe(3750);
    expect(rows.map((r) => [r[4], cents(r[11]!), cents(r[12]!)])).toContainEqual(['658000', 50, 0]);
    expect(rows.map((r) => [r[4], cents(r[11]!), cents(r[12]!)])).toContainEqual(['530000', 2150, 0]);
  });

  it('says on the page why an export is refused', async () => {
    // A period that ends before it starts: the server's reason is shown, nothing is downloaded.
    await page.getByLabel('Du').fill('2026-12-31');
    await page.getByLabel('Au').fill('2026-01-01');
    await page.getByRole('button', { name: 'Télécharger' }).first().click();
    await expect.poll(() => text(page.getByRole('alert'))).toContain('la période commence après sa fin');
  });

  it('fits a tablet in portrait', async () => {
    const tablet = await managerPage({ width: 800, height: 1280 });
    await tablet.getByText('Dernières clôtures').waitFor();
    await screenshot(tablet, 'backoffice-tablet-day');
    await tablet.getByRole('link', { name: 'Relevés des producteurs' }).click();
    await tablet.getByRole('button', { name: 'Émettre les relevés de tous les producteurs' }).waitFor();
    await screenshot(tablet, 'backoffice-tablet-statements');
    await tablet.context().close();
  });
});
