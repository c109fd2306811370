import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { accessibilityProblems, launchBrowser, screenshot, shopOrigin, tabletContext } from './support/browser.ts';
import { aCategory, aProduct, startTestShop, type TestShop } from './support/harness.ts';
import { pairAndLogIn } from './support/till-page.ts';

// Issue 18, item 2: with 30 categories the till's tabs keep their full labels (the bar scrolls), the chosen
// one comes into view, and a till shows only the categories it sells something of.
let shop: TestShop;
let browser: Browser;
let page: Page;
const NAMES = Array.from({ length: 30 }, (_, i) => `Catégorie numéro ${String(i + 1).padStart(2, '0')}`);

beforeAll(async () => {
  shop = await startTestShop({ serveClient: true });
  for (const name of NAMES) {
    const c = await aCategory(shop.admin, { name });
    await aProduct(shop.admin, { name: `Article de ${name}`, priceCents: 300, producerId: null, categoryId: c.id });
  }
  // Sold at the restaurant only: not a tab on the shop's till.
  const kitchen = await aCategory(shop.admin, { name: 'Plats du jour' });
  await aProduct(shop.admin, { name: 'Blanquette', priceCents: 1400, producerId: null, categoryId: kitchen.id, outlets: ['restaurant'] });
  await shop.admin.post('/api/users', { displayName: 'Camille', role: 'cashier', pin: '2468' });
  browser = await launchBrowser({ trustShopCa: shop.dataDir });
  page = await (await tabletContext(browser, shopOrigin(shop.server.port))).newPage();
  await page.goto('/caisse/');
  await pairAndLogIn(page, shop);
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await shop?.close();
});

describe('the till’s category bar', { timeout: 60_000 }, () => {
  it('keeps every label whole with 30 categories, and lists only what this till sells', async () => {
    const tabs = await page.locator('nav.tabs .tab').evaluateAll((els) =>
      els.map((el) => ({
        text: el.textContent ?? '',
        clipped: el.scrollWidth > el.clientWidth + 1,
        width: el.getBoundingClientRect().width,
      })),
    );
    // « Tout », then the 30 categories; not « Plats du jour » (restaurant only), nor « Par producteur »: no
    // article here has a producer (the ressourcerie's case: a walk found the tab filtering nothing).
    expect(tabs.map((x) => x.text)).toEqual(['Tout', ...NAMES]);
    expect(tabs.filter((x) => x.clipped)).toEqual([]);
    // A label of 20 characters needs more than the 48 px the tabs used to shrink to.
    expect(Math.min(...tabs.slice(2).map((x) => x.width))).toBeGreaterThan(100);
    expect(await accessibilityProblems(page)).toEqual([]);
    await screenshot(page, 'till-categories-30');
  });

  it('brings the chosen tab into view: the last category, reached by scrolling, is shown whole', async () => {
    const last = page.getByRole('button', { name: NAMES[29]!, exact: true });
    await last.click();
    expect(await last.getAttribute('aria-pressed')).toBe('true');
    const [bar, tab] = await Promise.all([page.locator('nav.tabs').boundingBox(), last.boundingBox()]);
    expect(tab!.x).toBeGreaterThanOrEqual(bar!.x - 1);
    expect(tab!.x + tab!.width).toBeLessThanOrEqual(bar!.x + bar!.width + 1);
    await expect.poll(() => page.locator('[data-product]').first().textContent()).toContain(`Article de ${NAMES[29]}`);
  });
});
