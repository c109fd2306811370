import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { accessibilityProblems, launchBrowser, screenshot, shopOrigin, tabletContext } from './support/browser.ts';
import { aProducer, startTestShop, type TestShop } from './support/harness.ts';
import { pairAndLogIn } from './support/till-page.ts';

// The textile shop's till in a real browser, by the server's network name (issue 22): a model is one tile,
// its size × colour grid picks the variant; a variant's own barcode, scanned, is added at once.
let shop: TestShop;
let browser: Browser;
let context: BrowserContext;
let page: Page;
let model: any;
const flat = (s: string | null) => (s ?? '').replace(/[\u00a0\u202f]/g, ' ');

beforeAll(async () => {
  shop = await startTestShop({ serveClient: true });
  const till = await shop.admin.post('/api/tills', { outlet: 'textile', name: 'Textile' });
  const producerId = (await aProducer(shop.admin, { name: 'Atelier du Thoré' })).id;
  model = (
    await shop.admin.post('/api/models', {
      name: 'Tee-shirt bio',
      producerId,
      priceCents: 2500,
      vatRateBp: 2000,
      sizes: ['S', 'M', 'L'],
      colours: ['écru', 'indigo'],
    })
  ).body;
  // 3 of each variant, but none of the écru L: 5 × 3 = 15 on the model's shelf.
  await shop.admin.post('/api/stock/deposits', {
    producerId,
    lines: model.variants
      .filter((v: any) => !(v.colour === 'écru' && v.size === 'L'))
      .map((v: any) => ({ productId: v.productId, quantity: 3 })),
  });
  expect((await shop.admin.post('/api/users', { displayName: 'Camille', role: 'cashier', pin: '2468' })).status).toBe(201);
  browser = await launchBrowser({ trustShopCa: shop.dataDir });
  context = await tabletContext(browser, shopOrigin(shop.server.port));
  page = await context.newPage();
  await page.goto('/caisse/');
  await pairAndLogIn(page, shop, undefined, till.body.id);
}, 60_000);

afterAll(async () => {
  await browser?.close();
  await shop?.close();
});

describe('the textile shop’s till', { timeout: 60_000 }, () => {
  it('shows a model once, picks a size and colour in its grid, and takes a variant’s barcode directly', async () => {
    await expect.poll(() => page.locator('[data-product]').count()).toBe(1);
    // The model's tile counts all its variants (it showed its first variant's: found by a newcomer's walk).
    await expect.poll(() => page.locator('[data-product]').first().textContent()).toMatch(/15$/);
    await page.locator('[data-product]').first().click();
    const grid = page.getByTestId('variant-grid');
    await grid.waitFor();
    // Each size says its stock; the écru L, none on the shelf, is greyed.
    expect(await grid.getByRole('button', { name: 'indigo M 3 en stock', exact: true }).count()).toBe(1);
    expect(await grid.getByRole('button', { name: 'écru L 0 en stock', exact: true }).getAttribute('class')).toBe('out');
    expect(await accessibilityProblems(page)).toEqual([]);
    await screenshot(page, 'till-textile-variants');
    await grid.getByRole('button', { name: 'indigo M' }).click();
    await expect.poll(async () => flat(await page.getByTestId('total').textContent())).toContain('25,00');
    await expect.poll(async () => flat(await page.locator('.cart').textContent())).toContain('Tee-shirt bio indigo M');
    // The écru S's hang-tag, scanned.
    const ecruS = model.variants.find((v: any) => v.colour === 'écru' && v.size === 'S');
    await page.getByPlaceholder('Chercher un article ou scanner').fill(ecruS.barcode);
    await page.keyboard.press('Enter');
    await expect.poll(async () => flat(await page.getByTestId('total').textContent())).toContain('50,00');
    await expect.poll(async () => flat(await page.locator('.cart').textContent())).toContain('Tee-shirt bio écru S');
  });
});
