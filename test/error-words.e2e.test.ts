import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { aProduct, aUser, startTestShop, type TestShop } from './support/harness.ts';
import { accessibilityProblems, launchBrowser, screenshot, shopOrigin, tabletContext } from './support/browser.ts';
import { pairAndLogIn, watchErrors } from './support/till-page.ts';
import { uuidv7 } from './support/tickets.ts';

// The till in a real browser (Debian's Chromium) against the real server serving the built client: what a
// cashier reads when the server refuses what they typed.
let shop: TestShop;
let browser: Browser;
let context: BrowserContext;
let page: Page;
let errors: string[];

beforeAll(async () => {
  shop = await startTestShop({ serveClient: true });
  const biere = await aProduct(shop.admin, { name: 'Bière blonde', producerId: null, priceCents: 320, vatRateBp: 2000 });
  expect((await shop.admin.post('/api/users', { displayName: 'Camille', role: 'cashier', pin: '2468' })).status).toBe(201);
  // Ticket n° 1 of till 1, rung from another tablet of the same till: the one the cashier will refund.
  const other = (await aUser(shop, 'cashier')).client;
  const sale = await other.post('/api/sales', {
    id: uuidv7(),
    tillId: 1,
    number: 1,
    createdAt: new Date().toISOString(),
    lines: [{ productId: biere.id, quantity: 1, unitPriceCents: 320 }],
    payments: [{ method: 'cash', amountCents: 320 }],
    totalCents: 320,
  });
  expect(sale.status, JSON.stringify(sale.body)).toBe(201);
  browser = await launchBrowser({ trustShopCa: shop.dataDir });
  context = await tabletContext(browser, shopOrigin(shop.server.port));
  page = await context.newPage();
  errors = watchErrors(page);
}, 60_000);

afterAll(async () => {
  await browser?.close();
  await shop?.close();
});

describe('words a cashier understands', { timeout: 60_000 }, () => {
  it('says in a sentence that the manager’s PIN is missing when a refund is tried without it', async () => {
    await page.goto('/caisse/');
    await pairAndLogIn(page, shop);
    await page.getByRole('button', { name: 'Remboursement' }).click();
    await page.getByRole('heading', { name: 'Rembourser un ticket' }).waitFor();
    await page
      .getByRole('button', { name: /Ticket n° 1\b/ })
      .first()
      .click();
    await page.getByLabel('Quantité à rembourser : Bière blonde').fill('1');
    // The reason is limited as the server limits it (200 characters): the field takes no more.
    await page.getByLabel('Motif').fill('Bouteille cassée. '.repeat(15));
    expect((await page.getByLabel('Motif').inputValue()).length).toBe(200);
    await page.getByRole('button', { name: 'Rembourser', exact: true }).click();
    const alert = page.getByRole('alert');
    await expect.poll(() => alert.textContent()).toBe('Le code PIN du responsable doit comporter 4 à 8 chiffres.');
    // Before: "Données invalides : body.pin — code PIN de 4 à 8 chiffres".
    expect(await alert.textContent()).not.toMatch(/body|\.pin|Données invalides/);
    await screenshot(page, 'words-refund-without-pin');
    expect(await accessibilityProblems(page)).toEqual([]);
    // Nothing was refunded: the only ticket is still the sale.
    const sales = (await shop.admin.get('/api/sales?limit=10')).body as { kind: string }[];
    expect(sales.map((s) => s.kind)).toEqual(['sale']);
    expect(errors).toEqual([]);
  });

  it('says the same in English when the till speaks English', async () => {
    await page.evaluate(() => localStorage.setItem('lang', 'en'));
    await page.reload();
    await page.getByRole('button', { name: 'Refund' }).first().click();
    await page
      .getByRole('button', { name: /Ticket #1\b/ })
      .first()
      .click();
    await page.getByRole('spinbutton').first().fill('1');
    await page.getByLabel('Reason').fill('Broken bottle');
    await page.getByRole('button', { name: 'Refund', exact: true }).last().click();
    await expect.poll(() => page.getByRole('alert').textContent()).toBe('The manager’s PIN must have 4 to 8 digits.');
  });
});
