import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { KitchenBoard } from '../shared/api/restaurant.ts';
import { accessibilityProblems, launchBrowser, screenshot, shopOrigin } from './support/browser.ts';
import { aCategory, aUser, startTestShop, type Client, type TestShop } from './support/harness.ts';
import { aLunchMenu } from './support/restaurant.ts';
import { uuidv7 } from './support/tickets.ts';
import { watchErrors } from './support/till-page.ts';

/**
 * The kitchen screen's ticket cards at the sizes it is shown on — a 1920×1080 TV, a 1280 px wall tablet, a
 * phone — each card's buttons inside the card (carried over from our notes: at 1920 px a ready ticket's
 * three buttons, Rappeler, Servi and Réimprimer, ran past its right edge). Looked at in the screenshots.
 */
let shop: TestShop;
let browser: Browser;
let context: BrowserContext;
let kitchen: Page;
let waiter: Client;
let stationId: number;
const errors: string[][] = [];

/** Each card's buttons that reach outside it (px), and cards whose content is wider than the card. */
async function overflows(page: Page) {
  return page.evaluate(() =>
    [...document.querySelectorAll<HTMLElement>('[data-testid=kitchen-ticket]')].flatMap((card) => {
      const box = card.getBoundingClientRect();
      const out = [...card.querySelectorAll<HTMLElement>('button')]
        .map((b) => ({ text: b.textContent ?? '', r: b.getBoundingClientRect() }))
        .filter(({ r }) => r.right > box.right + 0.5 || r.left < box.left - 0.5)
        .map(({ text, r }) => `${text}: ${Math.round(r.left - box.left)}…${Math.round(r.right - box.left)} of ${Math.round(box.width)}`);
      if (card.scrollWidth > card.clientWidth + 1) out.push(`card content ${card.scrollWidth} > ${card.clientWidth}`);
      return out;
    }),
  );
}

beforeAll(async () => {
  shop = await startTestShop({ serveClient: true, env: { PRINTERS_LOCAL: 'on' } });
  const admin = shop.admin;
  const till = async (name: string) => (await admin.post('/api/tills', { outlet: 'restaurant', name })).body.id as number;
  const salle = await till('Salle 1');
  const wall = await till('Écran cuisine');
  stationId = (await admin.post('/api/stations', { name: 'Cuisine' })).body.id;
  const dishes = await aCategory(admin, { name: 'Plats' });
  const sweets = await aCategory(admin, { name: 'Desserts' });
  const drinks = await aCategory(admin, { name: 'Boissons' });
  for (const c of [dishes, sweets, drinks]) await admin.put(`/api/categories/${c.id}/station`, { stationId });
  await aLunchMenu(admin, { dishes: dishes.id, sweets: sweets.id, drinks: drinks.id });
  const products = (await admin.get('/api/catalog?outlet=restaurant')).body.products as { id: number; name: string }[];
  const id = (name: string) => products.find((p) => p.name === name)!.id;
  const room = (await admin.post('/api/rooms', { name: 'Salle' })).body.id;
  waiter = (await aUser(shop, 'waiter', { tillId: salle })).client;
  // Six tables sent, so that the cards fill the screen's columns.
  for (const name of ['1', '2', '3', '4', '5', '6']) {
    const table = (await admin.post(`/api/rooms/${room}/tables`, { name, seats: 4 })).body.id as number;
    const order = uuidv7();
    const op = (body: Record<string, unknown>) =>
      waiter.post(`/api/orders/${order}/ops`, { id: uuidv7(), at: new Date().toISOString(), ...body });
    expect((await op({ kind: 'open', tableId: table, covers: 2 })).status).toBe(201);
    await op({ kind: 'add', lineId: uuidv7(), productId: id('Magret'), quantity: 2 });
    await op({ kind: 'add', lineId: uuidv7(), productId: id('Salade de chèvre'), quantity: 1 });
    expect((await op({ kind: 'send' })).status).toBe(201);
  }
  // Three of them ready: their cards have the most buttons (Rappeler, Servi, Réimprimer).
  const board = (await admin.get(`/api/stations/${stationId}/board`)).body as KitchenBoard;
  for (const t of board.tickets.slice(0, 3)) await admin.post(`/api/kitchen-tickets/${t.id}/state`, { state: 'ready' });
  browser = await launchBrowser({ trustShopCa: shop.dataDir });
  context = await browser.newContext({
    viewport: { width: 1920, height: 1080 },
    baseURL: shopOrigin(shop.server.port),
    locale: 'fr-FR',
    timezoneId: 'Europe/Paris',
  });
  kitchen = await context.newPage();
  errors.push(watchErrors(kitchen));
  const code = (await admin.post(`/api/tills/${wall}/pairing-code`)).body.code as string;
  await kitchen.goto(`/cuisine/?pair=${code}`);
  await kitchen.getByRole('heading', { name: 'Poste Cuisine' }).waitFor();
  await kitchen.getByTestId('kitchen-ticket').nth(5).waitFor();
}, 120_000);

afterAll(async () => {
  await context?.close().catch(() => undefined);
  await browser?.close();
  await shop?.close();
});

describe('the kitchen screen’s ticket cards', { timeout: 60_000 }, () => {
  for (const [name, viewport] of [
    ['1920', { width: 1920, height: 1080 }],
    ['1280', { width: 1280, height: 800 }],
    ['phone', { width: 390, height: 844 }],
  ] as const)
    it(`keeps each card's buttons inside the card at ${name} px, in French and in English`, async () => {
      await kitchen.setViewportSize(viewport);
      await kitchen.waitForTimeout(200);
      await screenshot(kitchen, `cuisine-cards-${name}`);
      expect(await overflows(kitchen)).toEqual([]);
      // Every button still a finger's size.
      const small = await kitchen.evaluate(
        () =>
          [...document.querySelectorAll<HTMLElement>('[data-testid=kitchen-ticket] button')]
            .map((b) => b.getBoundingClientRect())
            .filter((r) => r.height < 44 || r.width < 44).length,
      );
      expect(small).toBe(0);
      await kitchen.getByRole('button', { name: 'English' }).click();
      await expect.poll(() => kitchen.getByTestId('recall').first().textContent(), { timeout: 10_000 }).toBe('Recall');
      await expect.poll(() => kitchen.getByTestId('kitchen-ticket').count()).toBe(6);
      expect(await overflows(kitchen)).toEqual([]);
      await kitchen.getByRole('button', { name: 'Français' }).click();
      await expect.poll(() => kitchen.getByTestId('recall').first().textContent(), { timeout: 10_000 }).toBe('Rappeler');
      await expect.poll(() => kitchen.getByTestId('kitchen-ticket').count()).toBe(6);
    });

  it('is accessible (axe: nothing critical or serious)', async () => {
    await kitchen.setViewportSize({ width: 1920, height: 1080 });
    expect(await accessibilityProblems(kitchen)).toEqual([]);
  });

  it('logged no error in the page', () => {
    expect(errors.flat()).toEqual([]);
  });
});
