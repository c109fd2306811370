import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { aProducer, aProduct, aUser, startTestShop, type Client, type TestShop, allowDaysWithoutZ } from './support/harness.ts';
import { accessibilityProblems, launchBrowser, screenshot, shopOrigin, explainFailures } from './support/browser.ts';
import { uuidv7 } from './support/tickets.ts';

// The producer portal on a phone and the managers' statements screen on a laptop, in Debian's Chromium.
let shop: TestShop;
let browser: Browser;
let till: Client;
let number = 0;
let ferme: { id: number };
let ids: { tomme: number; faisselle: number; biere: number };

const paris = (d: Date) => new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/Paris' }).format(d);
const now = new Date();
const thisMonth = paris(now).slice(0, 7);
const [y, m] = thisMonth.split('-').map(Number) as [number, number];
const lastMonth = new Date(Date.UTC(y, m - 2, 1)).toISOString().slice(0, 7);
const lastMonthEnd = new Date(Date.UTC(y, m - 1, 0)).toISOString().slice(0, 10);

/** Text as a reader sees it: Intl's no-break spaces read as spaces. */
const text = async (l: { textContent(): Promise<string | null> }) => ((await l.textContent()) ?? '').replace(/[\u00a0\u202f]/g, ' ');

async function sell(createdAt: string, lines: object[], totalCents: number) {
  const res = await till.post('/api/sales', {
    id: uuidv7(),
    tillId: 1,
    number: ++number,
    createdAt,
    lines,
    payments: [{ method: 'card', amountCents: totalCents }],
    totalCents,
  });
  expect(res.status, JSON.stringify(res.body)).toBe(201);
}

beforeAll(async () => {
  shop = await startTestShop({ serveClient: true });
  await allowDaysWithoutZ(shop.admin);
  ferme = await aProducer(shop.admin, { name: 'Ferme du Sidobre', slug: 'sidobre', commissionBp: 2000 });
  const brasserie = await aProducer(shop.admin, { name: 'Brasserie du Thoré' });
  ids = {
    tomme: (
      await aProduct(shop.admin, { name: 'Tomme de brebis', producerId: ferme.id, unit: 'kg', priceCents: 2600, lowStockThreshold: 1000 })
    ).id,
    faisselle: (await aProduct(shop.admin, { name: 'Faisselle', producerId: ferme.id, priceCents: 280 })).id,
    biere: (await aProduct(shop.admin, { name: 'Bière blonde', producerId: brasserie.id, priceCents: 380, vatRateBp: 2000 })).id,
  };
  await shop.admin.post('/api/stock/deposits', {
    producerId: ferme.id,
    note: 'Livraison du lundi',
    lines: [
      { productId: ids.tomme, quantity: 3000 },
      { productId: ids.faisselle, quantity: 24 },
    ],
  });
  await shop.admin.post('/api/stock/deposits', { producerId: brasserie.id, lines: [{ productId: ids.biere, quantity: 48 }] });
  till = (await aUser(shop, 'cashier')).client;
  // Last month: 10 faisselles (28,00 €) and 1 500 g of tomme (39,00 €).
  await sell(
    `${lastMonth}-14T10:00:00Z`,
    [
      { productId: ids.faisselle, quantity: 10, unitPriceCents: 280 },
      { productId: ids.tomme, grams: 1500, unitPriceCents: 2600 },
    ],
    6700,
  );
  // Today: 2 faisselles (5,60 €) on a ticket that also holds someone else's beer.
  await sell(
    new Date(Date.now() - 60_000).toISOString(),
    [
      { productId: ids.faisselle, quantity: 2, unitPriceCents: 280 },
      { productId: ids.biere, quantity: 1, unitPriceCents: 380 },
    ],
    940,
  );
  browser = await launchBrowser({ trustShopCa: shop.dataDir });
}, 60_000);

afterAll(async () => {
  await browser?.close();
  await shop?.close();
});

describe('the producer portal on a phone', { timeout: 60_000 }, () => {
  let page: Page;
  explainFailures(() => ({ page }));

  it('opens from the invitation link: the producer chooses a password and lands on today’s sales', async () => {
    const invite = await shop.admin.post(`/api/producers/${ferme.id}/invitations`, {});
    expect(invite.status).toBe(201);
    const context = await browser.newContext({
      viewport: { width: 390, height: 844 },
      deviceScaleFactor: 2,
      isMobile: true,
      hasTouch: true,
      locale: 'fr-FR',
      timezoneId: 'Europe/Paris',
    });
    page = await context.newPage();
    page.on('pageerror', (e) => console.error('page error:', e.message));
    await page.goto(invite.body.url.replace(shop.url, shopOrigin(shop.server.port)));
    await page.getByText('Bienvenue, Ferme du Sidobre').waitFor();
    await screenshot(page, 'portal-phone-invitation');
    await page.getByLabel('Nouveau mot de passe').fill('tomme-de-brebis-81');
    await page.getByRole('button', { name: 'Enregistrer et entrer' }).click();
    // Only their own line of today's ticket: 2 × 2,80 = 5,60 €.
    await expect.poll(() => text(page.getByTestId('today-total'))).toBe('5,60 €');
    await page.getByText('● En direct').waitFor();
    // In, the keyboard on the tab shown (it was left on the page's body).
    expect(await page.evaluate(() => document.activeElement?.getAttribute('role'))).toBe('tab');
    expect(await page.locator('ul.lines').textContent()).not.toContain('Bière');
    await screenshot(page, 'portal-phone-today');
  });

  it('updates today’s figures live when the till sells their goods', async () => {
    // 750 g of tomme at 26,00 €/kg = 19,50 €; today 5,60 + 19,50 = 25,10 €.
    await sell(new Date().toISOString(), [{ productId: ids.tomme, grams: 750, unitPriceCents: 2600 }], 1950);
    await expect.poll(() => text(page.getByTestId('today-total')), { timeout: 5000 }).toBe('25,10 €');
  });

  it('shows sales by day and by product, stock with its threshold, deposits, statements and terms', async () => {
    await page.getByRole('tab', { name: 'Ventes' }).click();
    await page.getByRole('button', { name: 'Par mois' }).click();
    await page.locator('figure.chart').waitFor();
    // Over the last twelve months: faisselles 28,00 + 5,60 = 33,60 €, tomme 39,00 + 19,50 = 58,50 €: 92,10 €.
    await expect.poll(() => text(page.locator('p.total'))).toBe('Total de la période : 92,10 €');
    await screenshot(page, 'portal-phone-sales');

    await page.getByRole('tab', { name: 'Stock' }).click();
    // Tomme: 3 000 − 1 500 − 750 = 750 g, under its 1 kg threshold.
    const tomme = page.locator('ul.stock li', { hasText: 'Tomme de brebis' });
    await expect.poll(() => text(tomme)).toContain('0,750 kg');
    expect(await tomme.getAttribute('class')).toBe('low');
    const faisselle = page.locator('ul.stock li', { hasText: 'Faisselle' });
    // Letters are refused under the product, and nothing is saved (they used to clear the threshold and say
    // « Seuil enregistré. »); the unit is in the label.
    await faisselle.getByRole('textbox', { name: 'Seuil d’alerte (pièces) Faisselle' }).fill('abc');
    await faisselle.getByRole('button', { name: 'Enregistrer' }).click();
    await expect
      .poll(() => text(faisselle.getByRole('alert')))
      .toBe('Seuil : un nombre entier de pièces, par exemple 5 (ou rien pour aucune alerte).');
    expect(await faisselle.getByRole('status').count()).toBe(0);
    // Its 1,5 kg threshold reads with a comma on a French screen (it read « 1.5 »).
    expect((await shop.admin.put(`/api/products/${ids.tomme}/threshold`, { lowStockThreshold: 1500 })).status).toBe(200);
    await page.reload();
    await page.getByRole('tab', { name: 'Stock' }).click();
    await expect
      .poll(() => tomme.getByRole('textbox', { name: 'Seuil d’alerte (kg) Tomme de brebis' }).inputValue(), { timeout: 10_000 })
      .toBe('1,5');
    await faisselle.getByRole('textbox').fill('6');
    await faisselle.getByRole('button', { name: 'Enregistrer' }).click();
    await faisselle.getByText('Seuil enregistré.').waitFor();
    expect((await shop.admin.get(`/api/products/${ids.faisselle}`)).body.lowStockThreshold).toBe(6);
    await screenshot(page, 'portal-phone-stock');

    await page.getByRole('tab', { name: 'Dépôts' }).click();
    await page.getByText('Bon de dépôt n° 1').waitFor();
    const pdfHref = await page.locator('ul.docs a', { hasText: 'PDF' }).first().getAttribute('href');
    // Fetched by the page itself, with the producer's session, over the page's own HTTPS origin.
    const pdf = await page.evaluate(async (href) => {
      const res = await fetch(href!);
      return { type: res.headers.get('content-type'), magic: new TextDecoder().decode((await res.arrayBuffer()).slice(0, 5)) };
    }, pdfHref);
    expect(pdf).toEqual({ type: 'application/pdf', magic: '%PDF-' });

    await page.getByRole('tab', { name: 'Conditions' }).click();
    await page.getByText('Commission de la boutique').waitFor();
    expect(await text(page.locator('.terms dd').first())).toBe('20 %');
  });

  it('lets managers issue the month’s statements with a progress bar, which the producer then sees', async () => {
    const context = await browser.newContext({ viewport: { width: 1366, height: 900 }, locale: 'fr-FR', timezoneId: 'Europe/Paris' });
    const manager = await context.newPage();
    manager.on('pageerror', (e) => console.error('page error:', e.message));
    await manager.goto(`${shopOrigin(shop.server.port)}/`);
    await manager.getByLabel('Identifiant').fill('admin');
    await manager.getByLabel('Mot de passe').fill('admin-password-1');
    await manager.getByRole('button', { name: 'Se connecter' }).click();
    // The back office opens on the day; the statements are one link away.
    await manager.getByRole('link', { name: 'Relevés des producteurs' }).click();
    expect(await manager.getByLabel('Mois').inputValue()).toBe(lastMonth);
    await manager.getByRole('button', { name: 'Émettre les relevés de tous les producteurs' }).click();
    // Two producers sold last month? Only the farm did: one statement.
    await manager.getByText('1 relevé(s) émis, 0 ignoré(s).').waitFor();
    expect(await manager.locator('progress').getAttribute('value')).toBe('100');
    // 67,00 € of sales, 20 % commission 13,40 € + VAT 2,68 € = 16,08 €: 50,92 € to pay.
    await expect.poll(() => text(manager.locator('table.list tr', { hasText: 'REL-000001' }))).toContain('50,92 €');
    await screenshot(manager, 'statements-laptop');

    await page.getByRole('tab', { name: 'Relevés' }).click();
    const issued = page.locator('ul.docs li.statement', { hasText: 'REL-000001' });
    await issued.waitFor();
    expect(await text(issued)).toContain('50,92 €');
    expect(await text(issued)).toContain('En attente de paiement');
    await screenshot(page, 'portal-phone-statements');

    await manager.locator('form.inline button').click();
    await manager.getByText(/^Payé le/).waitFor();
    const list = (await shop.admin.get('/api/statements')).body;
    expect(list[0]).toMatchObject({ code: 'REL-000001', to: lastMonthEnd, paidMethod: 'transfer', netCents: 5092 });

    // No public address here (PUBLIC_URL): the invitation link is the one the manager's browser used, and the
    // manager is told it opens only on the shop's network.
    await manager.getByRole('button', { name: 'Inviter au portail' }).first().click();
    const invite = manager.getByRole('status').filter({ hasText: 'Lien à transmettre' });
    await expect.poll(() => text(invite)).toContain(`${shopOrigin(shop.server.port)}/invitation/`);
    expect(await text(manager.getByTestId('invite-lan-only'))).toContain(
      'tant que l’adresse publique du serveur (PUBLIC_URL) n’est pas définie',
    );
    expect(await accessibilityProblems(manager)).toEqual([]);
    await screenshot(manager, 'statements-invite-lan-only');
  });
});
