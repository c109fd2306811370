import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { accessibilityProblems, launchBrowser, screenshot, shopOrigin, tabletContext } from './support/browser.ts';
import { startTestShop, type TestShop } from './support/harness.ts';
import { pairAndLogIn } from './support/till-page.ts';

// The ressourcerie's till in a real browser, reaching the server by its network name (issue 22): a one-off
// item's label scanned twice in the cart is one piece; once sold, the same label scanned again says when.
let shop: TestShop;
let browser: Browser;
let context: BrowserContext;
let page: Page;
const flat = (s: string | null) => (s ?? '').replace(/[\u00a0\u202f]/g, ' ');

beforeAll(async () => {
  shop = await startTestShop({ serveClient: true });
  const till = await shop.admin.post('/api/tills', { outlet: 'ressourcerie', name: 'Ressourcerie' });
  expect(till.status).toBe(201);
  const intake = await shop.admin.post('/api/ressourcerie/intakes', {
    lines: [{ stream: 'tableware', grams: 4000 }],
    items: [
      { name: 'Théière en fonte', stream: 'tableware', grams: 1800, priceCents: 900 },
      { name: 'Saladier en grès', stream: 'tableware', grams: 1200, priceCents: 500 },
    ],
  });
  expect(intake.status).toBe(201);
  expect(intake.body.items.map((i: any) => i.code)).toEqual(['R0000001', 'R0000002']);
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

async function scan(code: string) {
  await page.getByPlaceholder('Chercher un article ou scanner').fill(code);
  await page.keyboard.press('Enter');
}

describe('the ressourcerie’s till', { timeout: 60_000 }, () => {
  it('takes a one-off label once, sells it, then says « déjà vendu » when it is scanned again', async () => {
    // Only the ressourcerie's articles on its till.
    await expect.poll(() => page.locator('[data-product]').count()).toBe(2);
    await scan('R0000001');
    await expect.poll(async () => flat(await page.getByTestId('total').textContent())).toContain('9,00');
    await scan('R0000001');
    await expect
      .poll(async () => flat(await page.getByRole('alert').first().textContent()))
      .toContain('« Théière en fonte » est un objet unique : déjà dans le panier.');
    await expect.poll(async () => flat(await page.getByTestId('total').textContent())).toContain('9,00');
    await page.getByTestId('pay').click();
    await page.getByRole('button', { name: 'Compte juste' }).click();
    await page.getByRole('button', { name: 'Pas de ticket' }).click();
    await expect.poll(async () => (await shop.admin.get('/api/ressourcerie/items/R0000001')).body.status).toBe('sold');
    // The catalogue reloads (the item left it): the label scanned again is named, with the day it was sold.
    await expect.poll(() => page.locator('[data-product]').count()).toBe(1);
    await scan('R0000001');
    const day = new Intl.DateTimeFormat('fr-FR', { timeZone: 'Europe/Paris', dateStyle: 'medium' }).format(new Date());
    await expect
      .poll(async () => flat(await page.getByRole('alert').first().textContent()))
      .toContain(flat(`R0000001 « Théière en fonte » : déjà vendu le ${day}.`));
    await screenshot(page, 'till-ressourcerie-already-sold');
    expect(await accessibilityProblems(page)).toEqual([]);
  });
});
