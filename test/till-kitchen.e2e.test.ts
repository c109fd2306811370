import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { accessibilityProblems, launchBrowser, screenshot, shopOrigin, tabletContext } from './support/browser.ts';
import { aCategory, aProduct, startTestShop, type TestShop } from './support/harness.ts';
import { pairAndLogIn } from './support/till-page.ts';

// The bar's till in Chromium, beside the kitchen screen: a dish with a required cuisson asks its options in
// the waiter's dialog (keyboard: Space and Enter on the options, Escape gives the focus back), the cart line
// and the ticket name them, and once paid the kitchen screen shows « Comptoir n° N » with the options and
// the note. Offline, the till says the kitchen does not have the dishes yet; they reach it with the ticket.

let shop: TestShop;
let browser: Browser;
let tillContext: BrowserContext;
let page: Page;
let kitchen: Page;
let barTill: number;

const nbsp = (s: string | null) => (s ?? '').replace(/[\u00a0\u202f]/g, ' ');
const cartLines = () => page.locator('[data-testid=cart] li');
const focused = () =>
  page.evaluate(() => {
    const el = document.activeElement as HTMLElement | null;
    if (!el || el === document.body) return '';
    return (el.getAttribute('aria-label') ?? el.textContent ?? '').replace(/\s+/g, ' ').trim();
  });
async function tabTo(name: RegExp) {
  for (let i = 0; i < 40; i++) {
    await page.keyboard.press('Tab');
    if (name.test(await focused())) return;
  }
  throw new Error(`never reached ${name}`);
}

beforeAll(async () => {
  shop = await startTestShop({ serveClient: true, env: { PRINT_RETRY_MS: '200' } });
  const admin = shop.admin;
  barTill = (await admin.post('/api/tills', { outlet: 'restaurant', name: 'Bar' })).body.id;
  const wall = (await admin.post('/api/tills', { outlet: 'restaurant', name: 'Écran cuisine' })).body.id;
  const printer = await admin.post('/api/printers', {
    name: 'Cuisine',
    role: 'kitchen',
    uri: 'file:cuisine',
    columns: 48,
    codePage: 'pc858',
    drawer: false,
  });
  const station = (await admin.post('/api/stations', { name: 'Cuisine', printerId: printer.body.id })).body.id;
  const dishes = await aCategory(admin, { name: 'Plats' });
  await admin.put(`/api/categories/${dishes.id}/station`, { stationId: station });
  const steak = await aProduct(admin, {
    name: 'Entrecôte',
    producerId: null,
    outlets: ['restaurant'],
    priceCents: 2200,
    vatRateBp: 1000,
    categoryId: dishes.id,
    course: 'main',
  });
  await aProduct(admin, { name: 'Pression', producerId: null, outlets: ['restaurant'], priceCents: 450, vatRateBp: 2000 });
  const saved = await admin.put(`/api/products/${steak.id}/modifiers`, {
    groups: [
      { name: 'Cuisson', min: 1, max: 1, options: ['Saignant', 'À point', 'Bien cuit'].map((name) => ({ name, priceCents: 0 })) },
      {
        name: 'Suppléments',
        min: 0,
        max: 2,
        options: [
          { name: 'Sauce au poivre', priceCents: 250 },
          { name: 'Frites', priceCents: 0 },
        ],
      },
    ],
  });
  expect(saved.status).toBe(200);
  await admin.post('/api/users', { displayName: 'Léa', role: 'cashier', pin: '1234' });
  browser = await launchBrowser({ trustShopCa: shop.dataDir });
  tillContext = await tabletContext(browser, shopOrigin(shop.server.port));
  page = await tillContext.newPage();
  await page.goto('/caisse/');
  await pairAndLogIn(page, shop, { name: /Léa/, pin: '1234' }, barTill);
  const wallContext = await browser.newContext({
    viewport: { width: 1280, height: 800 },
    baseURL: shopOrigin(shop.server.port),
    locale: 'fr-FR',
    timezoneId: 'Europe/Paris',
  });
  kitchen = await wallContext.newPage();
  const code = (await admin.post(`/api/tills/${wall}/pairing-code`)).body.code as string;
  await kitchen.goto(`/cuisine/?pair=${code}`);
  await kitchen.getByRole('heading', { name: 'Poste Cuisine' }).waitFor();
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await shop?.close();
});

describe('a dish at the bar’s till', { timeout: 90_000 }, () => {
  it('asks the dish’s options from the keyboard, the cuisson required, and names them on the cart line', async () => {
    await page.keyboard.type('entrec');
    await page.keyboard.press('Enter');
    const dialog = page.getByRole('dialog', { name: /Entrecôte/ });
    await dialog.waitFor();
    // Modal, with the focus inside; « Ajouter » waits for the cuisson.
    expect(await page.evaluate(() => !!document.activeElement?.closest('dialog[open]'))).toBe(true);
    expect(await dialog.getByTestId('mods-add').isDisabled()).toBe(true);
    expect(await accessibilityProblems(page)).toEqual([]);
    // Escape: nothing added, the focus back in the search box.
    await page.keyboard.press('Escape');
    await dialog.waitFor({ state: 'detached' });
    expect(await cartLines().count()).toBe(0);
    await expect
      .poll(() => page.evaluate(() => (document.activeElement as HTMLInputElement | null)?.placeholder))
      .toBe('Chercher un article ou scanner');

    await page.keyboard.type('entrec');
    await page.keyboard.press('Enter');
    await dialog.waitFor();
    await tabTo(/^À point$/);
    await page.keyboard.press(' ');
    await expect.poll(() => dialog.getByRole('button', { name: 'À point' }).getAttribute('aria-pressed')).toBe('true');
    await tabTo(/^Sauce au poivre/);
    await page.keyboard.press('Enter');
    // 22,00 + 2,50 = 24,50 €, shown in the dialog's title.
    await expect.poll(async () => nbsp(await dialog.getByRole('heading').textContent())).toContain('24,50 €');
    await screenshot(page, 'till-kitchen-options');
    await page.screenshot({ path: '/tmp/rev14/till-options-dialog.png' });
    await tabTo(/^Ajouter$/);
    await page.keyboard.press('Enter');
    await dialog.waitFor({ state: 'detached' });
    await expect.poll(async () => nbsp(await cartLines().first().textContent())).toContain('Entrecôte (À point, Sauce au poivre)');
    expect(nbsp(await cartLines().first().textContent())).toContain('24,50');
    await page.screenshot({ path: '/tmp/rev14/till-cart-with-options.png' });
  });

  it('records the sale with the options, and the kitchen screen shows « Comptoir n° 1 » with them', async () => {
    await page.keyboard.type('pression');
    await page.keyboard.press('Enter');
    await expect.poll(() => cartLines().count()).toBe(2);
    // 24,50 + 4,50 = 29,00 €.
    await expect.poll(async () => nbsp(await page.getByTestId('total').textContent())).toContain('29,00 €');
    await page.getByTestId('pay').click();
    await page.getByRole('button', { name: 'Carte bancaire' }).click();
    await page.keyboard.press('Enter');
    await page.getByRole('button', { name: 'Paiement accepté' }).click();
    await expect.poll(() => page.getByTestId('ticket-state').textContent()).toContain('n° 1 enregistré');
    await expect
      .poll(async () => nbsp(await page.getByTestId('kitchen-state').textContent()))
      .toBe('1 article envoyé en préparation (cuisine, bar) : « Comptoir n° 1 ».');
    expect(await accessibilityProblems(page)).toEqual([]);
    await page.screenshot({ path: '/tmp/rev14/till-done-kitchen.png' });
    const [sale] = (await shop.admin.get('/api/sales?limit=5')).body as { lines: { name: string; totalCents: number }[] }[];
    expect(sale!.lines.map((l) => [l.name, l.totalCents])).toEqual([
      ['Entrecôte (À point, Sauce au poivre)', 2450],
      ['Pression', 450],
    ]);
    const ticket = kitchen.getByTestId('kitchen-ticket').filter({ hasText: 'Comptoir n° 1' });
    await ticket.waitFor();
    const text = nbsp(await ticket.textContent());
    expect(text).toContain('caisse Bar');
    expect(text).toContain('Entrecôte');
    expect(text).toContain('À point');
    expect(text).toContain('Sauce au poivre');
    expect(text).not.toContain('Pression');
    expect(await ticket.getByTestId('bump').getAttribute('aria-label')).toBe('Prêt : bon du comptoir n° 1');
    expect(await accessibilityProblems(kitchen)).toEqual([]);
    await kitchen.screenshot({ path: '/tmp/rev14/kitchen-counter-ticket.png' });
    await page.keyboard.press('3');
    await page.getByPlaceholder('Chercher un article ou scanner').waitFor();
  });

  it('says offline that the kitchen does not have the dish yet, and sends it when the ticket reaches the server', async () => {
    await tillContext.setOffline(true);
    await page.keyboard.type('entrec');
    await page.keyboard.press('Enter');
    const dialog = page.getByRole('dialog', { name: /Entrecôte/ });
    await dialog.getByRole('button', { name: 'Bien cuit' }).click();
    await dialog.getByTestId('mods-add').click();
    await page.getByTestId('pay').click();
    await page.getByRole('button', { name: 'Carte bancaire' }).click();
    await page.keyboard.press('Enter');
    await page.getByRole('button', { name: 'Paiement accepté' }).click();
    await expect
      .poll(async () => nbsp(await page.getByTestId('kitchen-state').textContent()))
      .toContain('Hors ligne : les articles à préparer de ce ticket (1) ne sont pas encore partis en cuisine ni au bar.');
    await page.screenshot({ path: '/tmp/rev14/till-done-offline.png' });
    expect(await kitchen.getByTestId('kitchen-ticket').filter({ hasText: 'Comptoir n° 2' }).count()).toBe(0);
    await tillContext.setOffline(false);
    await kitchen.getByTestId('kitchen-ticket').filter({ hasText: 'Comptoir n° 2' }).waitFor({ timeout: 30_000 });
    expect(nbsp(await kitchen.getByTestId('kitchen-ticket').filter({ hasText: 'Comptoir n° 2' }).textContent())).toContain('Bien cuit');
    await expect
      .poll(async () => nbsp(await page.getByTestId('kitchen-state').textContent()), { timeout: 20_000 })
      .toBe('1 article envoyé en préparation (cuisine, bar) : « Comptoir n° 2 ».');
  });
});
