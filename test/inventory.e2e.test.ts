import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN, aProducer, aProduct, startTestShop, type TestShop } from './support/harness.ts';
import { accessibilityProblems, launchBrowser, screenshot, shopOrigin } from './support/browser.ts';

/**
 * An inventory of what carries no barcode, in Chromium: the tomme cut and weighed at the counter is found by
 * its PLU code, the rye bread by its name, and « tomme » typed alone offers both tommes to choose from.
 *
 * Worked out by hand: the tomme has 5,000 kg on the ledger and 2,350 kg are counted: −2,650 kg; the fresh
 * tomme 1,200 kg, counted 1,000 kg: −0,200 kg; the bread 12 on the ledger, 9 counted: −3.
 */
let shop: TestShop;
let browser: Browser;

beforeAll(async () => {
  shop = await startTestShop({ serveClient: true });
  const ferme = await aProducer(shop.admin, { name: 'Bergerie du Montalet' });
  const fournil = await aProducer(shop.admin, { name: 'Fournil de Burlats' });
  const weighed = { producerId: ferme.id, unit: 'kg', vatRateBp: 550 };
  const tomme = await aProduct(shop.admin, { ...weighed, name: 'Tomme de brebis', priceCents: 2590, plu: '210' });
  const fraiche = await aProduct(shop.admin, { ...weighed, name: 'Tomme fraîche', priceCents: 1890, plu: '220' });
  const pain = await aProduct(shop.admin, { name: 'Pain de seigle', producerId: fournil.id, priceCents: 480 });
  // A dish of the restaurant: no shelf, never counted (it answered « tomme » too).
  await aProduct(shop.admin, {
    name: 'Salade à la tomme',
    priceCents: 1200,
    vatRateBp: 1000,
    outlets: ['restaurant'],
    stockTracked: false,
  });
  for (const [producerId, productId, quantity] of [
    [ferme.id, tomme.id, 5000],
    [ferme.id, fraiche.id, 1200],
    [fournil.id, pain.id, 12],
  ] as const)
    expect((await shop.admin.post('/api/stock/deposits', { producerId, lines: [{ productId, quantity }] })).status).toBe(201);
  browser = await launchBrowser({ trustShopCa: shop.dataDir });
}, 60_000);

afterAll(async () => {
  await browser?.close();
  await shop?.close();
});

describe('an inventory of goods without a barcode', { timeout: 60_000 }, () => {
  it('finds the weighed tomme by its PLU, the bread by its name, and offers both tommes for « tomme »', async () => {
    const context = await browser.newContext({ viewport: { width: 1280, height: 800 }, locale: 'fr-FR', timezoneId: 'Europe/Paris' });
    const page = await context.newPage();
    await page.goto(shopOrigin(shop.server.port));
    await page.getByLabel('Identifiant').fill(ADMIN.login);
    await page.getByLabel('Mot de passe').fill(ADMIN.password);
    await page.getByRole('button', { name: 'Se connecter' }).click();
    await page.getByRole('link', { name: 'Inventaire' }).click();
    const scan = page.getByLabel('Scanner, ou taper un code PLU ou un nom');

    // The PLU: the tomme is listed with no count, and the focus waits in its line for the weight.
    await scan.fill('210');
    await scan.press('Enter');
    const tomme = page.getByLabel('Quantité de Tomme de brebis (kg)');
    await expect.poll(() => tomme.inputValue()).toBe('');
    await expect
      .poll(() => page.evaluate(() => document.activeElement?.getAttribute('aria-label')))
      .toBe('Quantité de Tomme de brebis (kg)');
    await page.keyboard.type('2,35');
    // Enter: back to the scanner's field for the next product.
    await page.keyboard.press('Enter');
    expect(await page.evaluate(() => document.activeElement?.getAttribute('aria-label') ?? document.activeElement?.id ?? '')).not.toContain(
      'Tomme',
    );
    expect(await scan.evaluate((el) => el === document.activeElement)).toBe(true);

    // Both tommes answer « tomme »: the one meant is picked, from the keyboard.
    await scan.fill('tomme');
    await scan.press('Enter');
    const choices = page.getByTestId('inventory-choices');
    await expect.poll(async () => (await choices.textContent()) ?? '').toContain('Plusieurs articles répondent à « tomme »');
    expect(await choices.getByRole('button').allTextContents()).toEqual([
      'Tomme de brebis (PLU 210) — Bergerie du Montalet',
      'Tomme fraîche (PLU 220) — Bergerie du Montalet',
    ]);
    expect(await accessibilityProblems(page)).toEqual([]);
    await screenshot(page, 'inventory-choices');
    await choices.getByRole('button', { name: /^Tomme fraîche/ }).focus();
    await page.keyboard.press('Enter');
    expect(await choices.count()).toBe(0);
    await page.getByLabel('Quantité de Tomme fraîche (kg)').fill('1');

    // The bread by its name: one product, one piece counted per entry.
    for (let i = 0; i < 2; i++) {
      await scan.fill('seigle');
      await scan.press('Enter');
    }
    const pain = page.getByLabel('Quantité de Pain de seigle (à la pièce)');
    await expect.poll(() => pain.inputValue()).toBe('2');
    await pain.fill('9');
    // Nothing answers: said, nothing added.
    await scan.fill('roquefort');
    await scan.press('Enter');
    await expect
      .poll(async () => (await page.getByRole('alert').textContent()) ?? '')
      .toBe('Aucun article ne porte le code ou le nom « roquefort ».');

    await page.getByRole('button', { name: 'Enregistrer l’inventaire' }).click();
    const result = page.getByTestId('count-result');
    await expect.poll(async () => (await result.textContent()) ?? '').toContain('Pain de seigle');
    const rows = await result
      .locator('tbody tr')
      .evaluateAll((trs) => trs.map((tr) => [...tr.children].map((td) => (td.textContent ?? '').replace(/[\u00a0\u202f]/g, ' '))));
    expect(rows).toEqual([
      ['Tomme de brebis', '5,000 kg', '2,350 kg', '-2,650 kg'],
      ['Tomme fraîche', '1,200 kg', '1,000 kg', '-0,200 kg'],
      ['Pain de seigle', '12', '9', '-3'],
    ]);
    const onHand = async (q: string) => (await shop.admin.get(`/api/products?q=${q}`)).body[0].onHand;
    expect([await onHand('brebis'), await onHand('fraiche'), await onHand('seigle')]).toEqual([2350, 1000, 9]);
    await context.close();
  });
});
