import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { accessibilityProblems, launchBrowser, screenshot, shopOrigin, tabletContext } from './support/browser.ts';
import { allowMealVouchersEveryDay, aProduct, startTestShop, type TestShop } from './support/harness.ts';
import { pairAndLogIn } from './support/till-page.ts';

// The payment rules at the till, in a real browser against the real server: the meal-voucher limit is said
// before paying and a voucher above it is refused there; cash above 1 000 € asks a manager's PIN.
let shop: TestShop;
let browser: Browser;
let context: BrowserContext;
let page: Page;
const flat = (s: string | null) => (s ?? '').replace(/[\u00a0\u202f]/g, ' ');
const sales = async () => (await shop.admin.get('/api/sales?limit=50')).body as any[];

beforeAll(async () => {
  shop = await startTestShop({ serveClient: true });
  await aProduct(shop.admin, { name: 'Quiche aux cèpes', priceCents: 1240, vatRateBp: 550, mealVoucherEligible: true });
  await aProduct(shop.admin, { name: 'Savon au lait', priceCents: 800, vatRateBp: 2000 });
  await aProduct(shop.admin, { name: 'Manteau en laine', priceCents: 120_000, vatRateBp: 2000 });
  expect((await shop.admin.post('/api/users', { displayName: 'Camille', role: 'cashier', pin: '2468' })).status).toBe(201);
  const manager = await shop.admin.post('/api/users', {
    displayName: 'Mathilde',
    role: 'manager',
    login: 'mathilde',
    password: 'mathilde-password-1',
    pin: '1357',
  });
  expect(manager.status).toBe(201);
  // The tickets are dated today: the limit is what this test looks at, whatever the day (Sundays: test/payment-rules.test.ts).
  await allowMealVouchersEveryDay(shop.admin);
  browser = await launchBrowser({ trustShopCa: shop.dataDir });
  context = await tabletContext(browser, shopOrigin(shop.server.port));
  page = await context.newPage();
  await page.goto('/caisse/');
  await pairAndLogIn(page, shop);
}, 60_000);

afterAll(async () => {
  await browser?.close();
  await shop?.close();
});

async function ring(name: string) {
  await page.getByPlaceholder('Chercher un article ou scanner').fill(name);
  await expect.poll(() => page.locator('[data-product]').count()).toBe(1);
  await page.keyboard.press('Enter');
}
async function type(digits: string) {
  for (const d of digits) await page.keyboard.press(d);
  await page.keyboard.press('Enter');
}

describe('payment rules at the till', { timeout: 60_000 }, () => {
  it('says the meal-voucher limit before paying and refuses a voucher above the eligible items', async () => {
    await ring('Quiche');
    await ring('Savon');
    // 12,40 (quiche, eligible) + 8,00 (soap, not eligible) = 20,40 €.
    await expect.poll(async () => flat(await page.getByTestId('total').textContent())).toContain('20,40');
    await page.getByTestId('pay').click();
    await page.getByRole('button', { name: 'Titre-restaurant' }).click();
    const rule = 'Titres-restaurant : 12,40 € maximum sur ce ticket (articles éligibles 12,40 €)';
    await expect.poll(async () => flat(await page.getByTestId('voucher-rule').textContent())).toBe(rule);
    await screenshot(page, 'pay-voucher-rule');
    expect(await accessibilityProblems(page)).toEqual([]);
    // A 20 € voucher: refused at the till, nothing added.
    await type('2000');
    await expect.poll(async () => flat(await page.getByRole('alert').textContent())).toBe(rule);
    await expect.poll(async () => flat(await page.getByTestId('due').textContent())).toContain('20,40');
    await screenshot(page, 'pay-voucher-refused');
    // 12,40 € in vouchers, the soap's 8,00 € in cash.
    await type('1240');
    await expect.poll(async () => flat(await page.getByTestId('due').textContent())).toContain('8,00');
    await page.getByRole('button', { name: 'Espèces' }).click();
    await page.getByRole('button', { name: 'Compte juste' }).click();
    await page.getByRole('button', { name: 'Pas de ticket' }).click();
    await expect
      .poll(async () => (await sales())[0]?.payments)
      .toEqual([
        { method: 'meal_voucher', amountCents: 1240 },
        { method: 'cash', amountCents: 800 },
      ]);
  });

  it('asks a manager’s PIN for cash above 1 000 €, and records the sale once confirmed', async () => {
    await ring('Manteau');
    await page.getByTestId('pay').click();
    // Cash is the method the payment screen starts with.
    await page.getByRole('button', { name: 'Compte juste' }).click();
    const dialog = page.getByRole('dialog');
    await expect.poll(async () => flat(await dialog.getByRole('heading').textContent())).toBe('Paiement en espèces de 1 200,00 €');
    expect(flat(await dialog.locator('p').first().textContent())).toBe(
      'Au-delà de 1 000,00 €, la loi interdit les espèces pour un client résidant en France : un responsable confirme ce paiement.',
    );
    await screenshot(page, 'pay-cash-confirm');
    expect(await accessibilityProblems(page)).toEqual([]);
    // A wrong PIN is said and the payment stays out.
    await dialog.getByLabel('Code PIN d’un responsable').fill('9999');
    await page.keyboard.press('Enter');
    await expect.poll(async () => (await dialog.getByRole('alert').textContent()) ?? '').not.toBe('');
    expect((await sales()).length).toBe(1);
    await dialog.getByLabel('Code PIN d’un responsable').fill('1357');
    await page.keyboard.press('Enter');
    await page.getByRole('button', { name: 'Pas de ticket' }).click();
    await expect.poll(async () => (await sales()).length).toBe(2);
    const [sale] = await sales();
    expect(sale.payments).toEqual([{ method: 'cash', amountCents: 120_000 }]);
    const events = (await shop.admin.get('/api/events?kind=sale.cash_approved')).body as any[];
    expect(events.map((e) => e.subject)).toContain(`sale:${sale.id}`);
  });
});
