import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verifyArchive } from '../server/archive/archive.ts';
import { ADMIN, aProduct, aUser, startTestShop, type TestShop } from './support/harness.ts';
import { launchBrowser, screenshot, shopOrigin } from './support/browser.ts';
import { uuidv7 } from './support/tickets.ts';

/**
 * Closing a month and a year from the back office, then writing the year's fiscal archive.
 *
 * Last year (2025): one bread at 5,20 € sold on 10 and 11 June (days closed), and one on 2 July
 * (day left open). June = 2 × 5,20 = 10,40 €; July = 5,20 €; the year = 15,60 €.
 * The year is refused while July is not closed, July while 2 July is not closed.
 */
let shop: TestShop;
let browser: Browser;
const text = async (l: { textContent(): Promise<string | null> }) => ((await l.textContent()) ?? '').replace(/[\u202f\u00a0]/g, ' ').trim();

beforeAll(async () => {
  shop = await startTestShop({ serveClient: true });
  const pain = await aProduct(shop.admin, { name: 'Pain', priceCents: 520 });
  const till = (await aUser(shop, 'cashier')).client;
  let number = 0;
  for (const day of ['2025-06-10', '2025-06-11', '2025-07-02']) {
    const res = await till.post('/api/sales', {
      id: uuidv7(),
      tillId: 1,
      number: ++number,
      createdAt: `${day}T09:30:00Z`,
      lines: [{ productId: pain.id, quantity: 1, unitPriceCents: 520 }],
      payments: [{ method: 'card', amountCents: 520 }],
      totalCents: 520,
    });
    expect(res.status).toBe(201);
    if (day !== '2025-07-02')
      expect((await shop.admin.post('/api/closings/day', { outlet: 'shop', day, cashCountedCents: 0 })).status).toBe(201);
  }
  browser = await launchBrowser({ trustShopCa: shop.dataDir });
}, 60_000);

afterAll(async () => {
  await browser?.close();
  await shop?.close();
});

describe('monthly and yearly closings, and the fiscal archive', { timeout: 90_000 }, () => {
  let page: Page;

  it('closes June, refuses the year and July while a day is open, then closes them', async () => {
    const context = await browser.newContext({
      viewport: { width: 1280, height: 800 },
      locale: 'fr-FR',
      timezoneId: 'Europe/Paris',
      acceptDownloads: true,
    });
    page = await context.newPage();
    page.on('pageerror', (e) => console.error('page error:', e.message));
    await page.goto(shopOrigin(shop.server.port));
    await page.getByLabel('Identifiant').fill(ADMIN.login);
    await page.getByLabel('Mot de passe').fill(ADMIN.password);
    await page.getByRole('button', { name: 'Se connecter' }).click();
    const periods = page.getByTestId('periods');
    await periods.waitFor();

    await periods.getByLabel('Mois').fill('2025-06');
    await periods.getByRole('button', { name: 'Clôturer le mois' }).click();
    await expect.poll(() => text(periods.getByRole('status'))).toBe('Mois de juin 2025 clôturé : 10,40 €.');

    await periods.getByLabel('Année').fill('2025');
    await periods.getByRole('button', { name: 'Clôturer l’année' }).click();
    await expect.poll(() => text(periods.getByRole('alert'))).toContain('Mois non clôturés : 2025-07.');
    await periods.getByLabel('Mois').fill('2025-07');
    await periods.getByRole('button', { name: 'Clôturer le mois' }).click();
    await expect.poll(() => text(periods.getByRole('alert'))).toContain('Journées non clôturées : 2025-07-02.');
    expect((await shop.admin.get('/api/closings?kind=month')).body).toHaveLength(1);

    expect((await shop.admin.post('/api/closings/day', { outlet: 'shop', day: '2025-07-02', cashCountedCents: 0 })).status).toBe(201);
    await periods.getByRole('button', { name: 'Clôturer le mois' }).click();
    await expect.poll(() => text(periods.getByRole('status'))).toBe('Mois de juillet 2025 clôturé : 5,20 €.');
    await periods.getByRole('button', { name: 'Clôturer l’année' }).click();
    await expect.poll(() => text(periods.getByRole('status'))).toBe('Année 2025 clôturée : 15,60 €.');
    await expect.poll(() => text(periods.locator('tbody tr').first())).toMatch(/^Année 2025\s*3\s*15,60 €\s*15,60 €/);
    await screenshot(page, 'backoffice-laptop-periods');

    // The year's PDF (the link on the page) carries the year's total.
    const year = (await shop.admin.get('/api/closings?kind=year')).body[0];
    expect(await periods.getByRole('link', { name: 'PDF de 2025' }).getAttribute('href')).toBe(`/api/closings/${year.id}.pdf`);
    const pdf = await fetch(`${shop.url}/api/closings/${year.id}.pdf`, { headers: { cookie: shop.admin.cookieHeader() } });
    const file = path.join(shop.dataDir, 'year.pdf');
    fs.writeFileSync(file, Buffer.from(await pdf.arrayBuffer()));
    expect(
      execFileSync('pdftotext', ['-layout', file, '-'])
        .toString()
        .replace(/[\u202f\u00a0]/g, ' '),
    ).toContain('15,60 €');
  });

  it('writes the fiscal archive of 2025 and lets it be downloaded; the archive verifies on its own', async () => {
    await page.getByRole('link', { name: 'Comptabilité' }).click();
    const archives = page.getByTestId('archives');
    await archives.getByLabel('Année').fill('2025');
    await archives.getByRole('button', { name: 'Créer l’archive de l’exercice' }).click();
    // 3 tickets; 3 days + 2 months + 1 year = 6 closings.
    await expect
      .poll(() => text(archives.getByRole('status')))
      .toMatch(/^Archive \S+\.tar\.gz écrite : 3 tickets, 6 clôtures, \d+ événements\.$/);
    const link = archives.getByRole('link', { name: 'Télécharger' }).first();
    const [download] = await Promise.all([page.waitForEvent('download'), link.click()]);
    const bytes = fs.readFileSync((await download.path())!);
    expect(verifyArchive(bytes)).toMatchObject({ ok: true, year: '2025', counts: { tickets: 3, closings: 6 }, problems: [] });
    await screenshot(page, 'backoffice-laptop-archives');
  });
});
