import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN, aProduct, startTestShop, type TestShop } from './support/harness.ts';
import { launchBrowser, screenshot, shopOrigin } from './support/browser.ts';

/**
 * The manager sets a dish's options in the back office, in Chromium: a group typed from the keyboard (Enter
 * for the next option), a supplément withdrawn for the day, and the dish's take-away VAT rate.
 */
let shop: TestShop;
let browser: Browser;
let burger: number;

beforeAll(async () => {
  shop = await startTestShop({ serveClient: true });
  burger = (await aProduct(shop.admin, { name: 'Burger', outlets: ['restaurant'], priceCents: 1450, vatRateBp: 1000 })).id;
  const cuisson = {
    name: 'Cuisson',
    min: 1,
    max: 1,
    options: ['Saignant', 'À point', 'Bien cuit'].map((name) => ({ name, priceCents: 0 })),
  };
  const supplements = {
    name: 'Suppléments',
    min: 0,
    max: 2,
    options: [
      { name: 'Supplément fromage', priceCents: 150 },
      { name: 'Œuf au plat', priceCents: 100 },
    ],
  };
  expect((await shop.admin.put(`/api/products/${burger}/modifiers`, { groups: [cuisson, supplements] })).status).toBe(200);
  browser = await launchBrowser({ trustShopCa: shop.dataDir });
}, 60_000);

afterAll(async () => {
  await browser?.close();
  await shop?.close();
});

const focused = (page: Page) => page.evaluate(() => document.activeElement?.getAttribute('aria-label') ?? null);

describe('a dish’s options in the back office', { timeout: 60_000 }, () => {
  it('are typed from the keyboard, withdrawn for the day, and saved with the dish’s take-away rate', async () => {
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, locale: 'fr-FR', timezoneId: 'Europe/Paris' });
    const page = await context.newPage();
    page.on('pageerror', (e) => console.error('page error:', e.message));
    await page.goto(shopOrigin(shop.server.port));
    await page.getByLabel('Identifiant').fill(ADMIN.login);
    await page.getByLabel('Mot de passe').fill(ADMIN.password);
    await page.getByRole('button', { name: 'Se connecter' }).click();
    await page.getByRole('link', { name: 'Catalogue' }).click();
    await page.getByRole('button', { name: 'Modifier Burger' }).click();
    await page.getByRole('heading', { name: 'Options proposées pour « Burger »' }).waitFor();

    // A third group, optional: its first option takes the focus; Enter opens the next one.
    await page.getByRole('button', { name: 'Ajouter des suppléments facultatifs' }).click();
    await expect.poll(() => focused(page)).toBe('Nom de l’option 1');
    await page.keyboard.type('Sans gluten');
    await page.keyboard.press('Enter');
    await expect.poll(() => focused(page)).toBe('Nom de l’option 2');
    await page.keyboard.type('Sans lactose');
    await page.getByLabel('Nom du groupe').nth(2).fill('Régime');
    // No eggs today.
    await page.getByRole('group', { name: 'Suppléments' }).getByLabel('Option 2 proposée aujourd’hui').uncheck();
    await screenshot(page, 'backoffice-modifiers', { fullPage: true });
    await page.getByRole('button', { name: 'Enregistrer les options' }).click();
    await page.getByText('Options enregistrées.').waitFor();

    const saved = (await shop.admin.get(`/api/products/${burger}/modifiers`)).body;
    expect(
      saved.groups.map((g: { name: string; min: number; max: number; options: { name: string; active: boolean }[] }) => [
        g.name,
        g.min,
        g.max,
        g.options.map((o) => `${o.name}${o.active ? '' : ' (retirée)'}`),
      ]),
    ).toEqual([
      ['Cuisson', 1, 1, ['Saignant', 'À point', 'Bien cuit']],
      ['Suppléments', 0, 2, ['Supplément fromage', 'Œuf au plat (retirée)']],
      // « Au plus » left empty: as many as it has options.
      ['Régime', 0, 2, ['Sans gluten', 'Sans lactose']],
    ]);

    // A supplément at a price that does not read is refused by the server, naming the field.
    await page.getByLabel('Supplément de l’option 1 (€ TTC)').first().fill('deux euros');
    await page.getByRole('button', { name: 'Enregistrer les options' }).click();
    await expect
      .poll(async () => (await page.getByRole('alert').textContent()) ?? '')
      .toContain('Le prix (n° 1) doit être un montant en euros, par exemple 3,50.');

    // The dish's take-away rate, in its own form.
    await page.getByTestId('products').getByLabel('Taux à emporter').selectOption('550');
    await page.getByRole('button', { name: 'Enregistrer', exact: true }).click();
    await expect.poll(async () => (await shop.admin.get(`/api/products/${burger}`)).body.takeawayVatRateBp).toBe(550);
  });
});
