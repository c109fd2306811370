import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser, shopOrigin, tabletContext } from './support/browser.ts';
import { aProduct, startTestShop, type TestShop } from './support/harness.ts';
import { pairAndLogIn } from './support/till-page.ts';

// The till locks itself after the idle time set for the shop (here 8 s, checked every 5 s). Someone typing a
// search is not idle, whatever sends the characters: a soft keyboard or a scanner's wedge may send no key
// event the till sees, only the text (Playwright's `fill` is such a sender: an input event, no key, no touch).
let shop: TestShop;
let browser: Browser;
let page: Page;

beforeAll(async () => {
  shop = await startTestShop({ serveClient: true });
  await aProduct(shop.admin, { name: 'Tomme de brebis', priceCents: 2490, producerId: null });
  await shop.admin.post('/api/users', { displayName: 'Camille', role: 'cashier', pin: '2468' });
  const options = (await shop.admin.get('/api/settings')).body.till;
  expect((await shop.admin.put('/api/settings/till', { ...options, autoLockSeconds: 8 })).status).toBe(200);
  browser = await launchBrowser({ trustShopCa: shop.dataDir });
  page = await (await tabletContext(browser, shopOrigin(shop.server.port))).newPage();
  await page.goto('/caisse/');
  await pairAndLogIn(page, shop);
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await shop?.close();
});

describe('the till’s lock when idle', { timeout: 60_000 }, () => {
  it('stays open while a search is typed, and locks once nothing happens for the idle time', async () => {
    const box = page.getByPlaceholder('Chercher un article ou scanner');
    const words = ['t', 'to', 'tom', 'tomm', 'tomme', 'tomm', 'tom', 'to', 't', ''];
    // 16 s of typing, a character a second: twice the idle time, three of the till's checks.
    for (let i = 0; i < 16; i++) {
      await box.fill(words[i % words.length]!);
      await page.waitForTimeout(1000);
    }
    expect(await page.locator('.till.screen-sell').count()).toBe(1);
    // Then nobody: locked within the idle time and one check (8 + 5 s).
    await page.locator('.till.screen-lock').waitFor({ timeout: 20_000 });
  });
});
