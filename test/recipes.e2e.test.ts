import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN, aProducer, aProduct, aUser, startTestShop, type TestShop } from './support/harness.ts';
import { uuidv7 } from './support/tickets.ts';
import { accessibilityProblems, launchBrowser, screenshot, shopOrigin } from './support/browser.ts';

/**
 * A manager writes a dish's recipe in the back office, by keyboard, and reads its food cost and margin.
 *
 * Omelette au brebis 12,50 € at 10 %: HT 1250 / 1,1 = 1136,36 -> 11,36 €.
 * 3 eggs at 0,55 € = 1,65 €; 60 g of tomme at 25,90 €/kg = 155,4 -> 1,55 €. Food cost 3,20 €, margin 8,16 €,
 * ratio 320 / 1136 = 28,17 %.
 */
let shop: TestShop;
let browser: Browser;
let omelette: number;
let volailles: number;
const text = async (l: { textContent(): Promise<string | null> }) => ((await l.textContent()) ?? '').replace(/[\u202f\u00a0]/g, ' ').trim();

beforeAll(async () => {
  shop = await startTestShop({ serveClient: true });
  const a = await aProducer(shop.admin, { name: 'Bergerie du Montalet' });
  const b = await aProducer(shop.admin, { name: 'Volailles du Sor' });
  volailles = b.id;
  const tomme = await aProduct(shop.admin, { name: 'Tomme de brebis', producerId: a.id, unit: 'kg', priceCents: 2590 });
  const oeuf = await aProduct(shop.admin, { name: 'Œuf plein air', producerId: b.id, priceCents: 55 });
  await shop.admin.post('/api/stock/deposits', { producerId: a.id, lines: [{ productId: tomme.id, quantity: 2000 }] });
  await shop.admin.post('/api/stock/deposits', { producerId: b.id, lines: [{ productId: oeuf.id, quantity: 2 }] });
  omelette = (
    await aProduct(shop.admin, {
      name: 'Omelette au brebis',
      priceCents: 1250,
      vatRateBp: 1000,
      stockTracked: false,
      outlets: ['restaurant'],
    })
  ).id;
  browser = await launchBrowser({ trustShopCa: shop.dataDir });
}, 60_000);

afterAll(async () => {
  await browser?.close();
  await shop?.close();
});

async function managerPage(): Promise<Page> {
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 }, locale: 'fr-FR', timezoneId: 'Europe/Paris' });
  const page = await context.newPage();
  page.on('pageerror', (e) => console.error('page error:', e.message));
  await page.goto(shopOrigin(shop.server.port));
  await page.getByLabel('Identifiant').fill(ADMIN.login);
  await page.getByLabel('Mot de passe').fill(ADMIN.password);
  await page.getByRole('button', { name: 'Se connecter' }).click();
  await page.getByRole('link', { name: 'Journée et clôture' }).waitFor();
  return page;
}

describe('a dish’s recipe in the back office', { timeout: 60_000 }, () => {
  it('is written by keyboard, shows each ingredient’s cost, the food cost and the margin, and flags a short ingredient', async () => {
    const page = await managerPage();
    await page.goto(`${shopOrigin(shop.server.port)}/#catalogue`);
    await page.getByRole('button', { name: 'Recette de Omelette au brebis' }).first().click();
    const editor = page.getByRole('form', { name: 'Recette de Omelette au brebis' });
    const search = editor.getByRole('searchbox', { name: 'Ajouter un ingrédient' });
    // Enter takes the first match.
    await search.fill('oeuf');
    await editor.getByRole('button', { name: /Œuf plein air/ }).waitFor();
    await search.press('Enter');
    await editor.getByLabel('Quantité de Œuf plein air par portion (pièce(s))').fill('3');
    await search.fill('tomme');
    await editor.getByRole('button', { name: /Tomme de brebis/ }).waitFor();
    await search.press('Enter');
    await editor.getByLabel('Quantité de Tomme de brebis par portion (g)').fill('60');
    await expect
      .poll(() => text(editor.getByTestId('recipe-costing')))
      .toBe('Prix 12,50 € TTC, soit 11,36 € HT · coût matière 3,20 € · marge 8,16 € · ratio matière 28,17 %');
    expect(await accessibilityProblems(page)).toEqual([]);
    await screenshot(page, 'backoffice-recipe-editor');
    await editor.getByRole('button', { name: 'Enregistrer' }).click();

    const list = page.getByTestId('recipes');
    await list.waitFor();
    // Two eggs on the shelf, three per omelette: flagged.
    const row = await text(list.locator('tbody tr').first());
    expect(row).toMatch(/Omelette au brebis.*Ingrédient manquant\s*11,36 €\s*3,20 €\s*8,16 €\s*28,17 %\s*0/);
    const saved = (await shop.admin.get(`/api/products/${omelette}/recipe`)).body;
    expect(saved.ingredients.map((i: any) => [i.name, i.quantity])).toEqual([
      ['Œuf plein air', 3],
      ['Tomme de brebis', 60],
    ]);
    await list.scrollIntoViewIfNeeded();
    await screenshot(page, 'backoffice-recipes');
  });

  it('shows the producer on the portal what the restaurant cooked with their goods today', async () => {
    const till = await shop.admin.post('/api/tills', { outlet: 'restaurant', name: 'Bar' });
    const waiter = (await aUser(shop, 'waiter', { tillId: till.body.id })).client;
    const sale = await waiter.post('/api/sales', {
      id: uuidv7(),
      tillId: till.body.id,
      number: 1,
      createdAt: new Date().toISOString(),
      lines: [{ productId: omelette, quantity: 1, unitPriceCents: 1250 }],
      payments: [{ method: 'card', amountCents: 1250 }],
      totalCents: 1250,
    });
    expect(sale.status, JSON.stringify(sale.body)).toBe(201);
    const producer = await aUser(shop, 'producer', { producerId: volailles });
    const context = await browser.newContext({ viewport: { width: 390, height: 844 }, locale: 'fr-FR', timezoneId: 'Europe/Paris' });
    const page = await context.newPage();
    await page.goto(shopOrigin(shop.server.port));
    await page.getByLabel('Identifiant').fill(producer.login!);
    await page.getByLabel('Mot de passe').fill(producer.password!);
    await page.getByRole('button', { name: 'Se connecter' }).click();
    // 3 eggs at 0,55 € = 1,65 €, for ticket n° 1 of the Bar.
    const kitchen = page.getByTestId('today-kitchen');
    await expect.poll(() => text(kitchen)).toMatch(/3\s*Œuf plein air\s*Bar · n° 1 · Omelette au brebis × 1\s*1,65 €/);
    await screenshot(page, 'portal-kitchen-today');
  });
});
