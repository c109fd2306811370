import fs from 'node:fs';
import path from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { OrderView } from '../shared/api/restaurant.ts';
import { accessibilityProblems, launchBrowser, screenshot, shopOrigin, explainFailures } from './support/browser.ts';
import { decodeEscPos } from './support/escpos-decoder.ts';
import { FakeNetworkPrinter } from './support/fake-printer.ts';
import { aCategory, startTestShop, type TestShop } from './support/harness.ts';
import { aLunchMenu } from './support/restaurant.ts';
import { watchErrors } from './support/till-page.ts';

/**
 * A lunch service in Chromium, with two waiters' phones and the kitchen screen open at once, reaching the
 * server by its network name as the restaurant's devices do: the same table from both phones in the same
 * second, Envoyer, the kitchen screen, Suite, a cancellation, a table moved and two merged, the note, the
 * bill split and paid, and a phone that takes an order with the server stopped.
 */
let shop: TestShop;
let browser: Browser;
const contexts: BrowserContext[] = [];
let ines: Page;
let baptiste: Page;
let kitchen: Page;
const errors: string[][] = [];
let tables: Record<string, number> = {};
/** The pastry station's printer, on the network: it goes down during the service. */
let pastry: FakeNetworkPrinter;

const PHONE = { width: 390, height: 844 };

/** The decoded tickets a file printer received, oldest first. */
function printed(dir: string): string[] {
  const full = path.join(shop.dataDir, dir);
  if (!fs.existsSync(full)) return [];
  return fs
    .readdirSync(full)
    .filter((f) => f.endsWith('.bin'))
    .sort()
    .map((f) => decodeEscPos(fs.readFileSync(path.join(full, f))).text.replace(/[\u00a0\u202f]/g, ' '));
}

async function device(viewport: { width: number; height: number }): Promise<Page> {
  const context = await browser.newContext({
    viewport,
    baseURL: shopOrigin(shop.server.port),
    locale: 'fr-FR',
    timezoneId: 'Europe/Paris',
    hasTouch: true,
  });
  contexts.push(context);
  const page = await context.newPage();
  errors.push(watchErrors(page));
  return page;
}

async function waiterPhone(tillId: number, name: RegExp, pin: string): Promise<Page> {
  const page = await device(PHONE);
  const code = (await shop.admin.post(`/api/tills/${tillId}/pairing-code`)).body.code as string;
  await page.goto(`/salle/?pair=${code}`);
  await page.getByRole('button', { name }).click();
  for (const d of pin) await page.keyboard.press(d);
  await page.keyboard.press('Enter');
  await page.getByTestId('table-1').waitFor();
  // The keyboard on the first table after the PIN (it was left on the page's body).
  await page.waitForFunction(() => document.activeElement?.getAttribute('data-testid')?.startsWith('table-') === true, null, {
    timeout: 5000,
  });
  return page;
}

const openOrders = async () => (await shop.admin.get('/api/orders')).body as OrderView[];
const orderAt = async (table: string) => (await openOrders()).find((o) => o.tableId === tables[table]);
const lines = (page: Page) => page.getByTestId('order-line');

async function addDish(page: Page, name: string) {
  await page.getByTestId('order-total').waitFor();
  const picker = page.getByRole('button', { name: '+ Ajouter' });
  if (await picker.isVisible()) await picker.click();
  await page
    .getByRole('searchbox')
    .fill(name, { timeout: 5000 })
    .catch(async (e) => {
      await screenshot(page, 'failed-add-dish');
      throw e;
    });
  await page.getByTestId('dish').filter({ hasText: name }).first().click();
  await page.getByRole('searchbox').fill('');
}

/** A printed ticket's decoded text drawn on a 48-column roll, screenshotted to be looked at. */
async function paper(text: string, name: string) {
  const page = await device({ width: 480, height: 400 });
  const escape = (x: string) => x.replace(/&/g, '&amp;').replace(/</g, '&lt;');
  await page.setContent(
    `<pre style="font: 14px/1.3 monospace; width: 48ch; padding: 12px; margin: 0; background: #fff; color: #000">${escape(text)}</pre>`,
  );
  await screenshot(page, name, { fullPage: true });
  await page.context().close();
}

/** Inès opens a free table, puts three beers on one line and sends them; what the bar had printed before. */
async function threeBeersSentAt(table: string): Promise<number> {
  const back = ines.getByRole('button', { name: /Plan de salle|Retour/ }).first();
  if (await back.isVisible()) await back.click();
  await ines.getByTestId(`table-${table}`).click();
  await ines.getByTestId('open-table').click();
  await addDish(ines, 'Pression');
  await showOrder(ines);
  await lines(ines).filter({ hasText: 'Pression' }).click();
  await ines.getByRole('button', { name: 'Un de plus' }).click();
  await ines.getByRole('button', { name: 'Un de plus' }).click();
  await ines.getByTestId('line-save').click();
  await expect.poll(() => lines(ines).filter({ hasText: 'Pression' }).textContent()).toContain('3 ×');
  const barBefore = printed('bar').length;
  await ines.getByTestId('send').click();
  return barBefore;
}

async function showOrder(page: Page) {
  const back = page.getByRole('button', { name: 'Voir la commande' }).first();
  if (await back.isVisible()) await back.click();
}

beforeAll(async () => {
  shop = await startTestShop({
    serveClient: true,
    env: { PRINT_RETRY_MS: '200', PRINT_TIMEOUT_MS: '1000', PRINT_MAX_ATTEMPTS: '1000', PRINTERS_LOCAL: 'on' },
  });
  const admin = shop.admin;
  pastry = await FakeNetworkPrinter.start('working');
  const till = async (name: string) => (await admin.post('/api/tills', { outlet: 'restaurant', name })).body.id as number;
  const salle1 = await till('Salle 1');
  const salle2 = await till('Salle 2');
  const wall = await till('Écran cuisine');
  const printer = async (name: string, dir: string, role = 'kitchen') =>
    (await admin.post('/api/printers', { name, role, uri: `file:${dir}`, columns: 48, codePage: 'pc858', drawer: false })).body
      .id as number;
  const kitchenStation = (await admin.post('/api/stations', { name: 'Cuisine', printerId: await printer('Cuisine', 'cuisine') })).body.id;
  const barStation = (await admin.post('/api/stations', { name: 'Bar', printerId: await printer('Bar', 'bar') })).body.id;
  // Inès's phone prints the notes on the salle's receipt printer.
  expect((await admin.patch(`/api/tills/${salle1}`, { printerId: await printer('Salle', 'salle', 'receipt') })).status).toBe(200);
  const dishes = await aCategory(admin, { name: 'Plats' });
  const drinks = await aCategory(admin, { name: 'Boissons' });
  await admin.put(`/api/categories/${dishes.id}/station`, { stationId: kitchenStation });
  await admin.put(`/api/categories/${drinks.id}/station`, { stationId: barStation });
  const pastryPrinter = (
    await admin.post('/api/printers', {
      name: 'Pâtisserie',
      role: 'kitchen',
      uri: pastry.uri,
      columns: 48,
      codePage: 'pc858',
      drawer: false,
    })
  ).body.id;
  const pastryStation = (await admin.post('/api/stations', { name: 'Pâtisserie', printerId: pastryPrinter })).body.id;
  const sweets = await aCategory(admin, { name: 'Desserts' });
  await admin.put(`/api/categories/${sweets.id}/station`, { stationId: pastryStation });
  await aLunchMenu(admin, { dishes: dishes.id, sweets: sweets.id, drinks: drinks.id });
  const room = (await admin.post('/api/rooms', { name: 'Salle' })).body.id;
  for (const [i, name] of ['1', '2', '3', '4'].entries())
    tables[name] = (
      await admin.post(`/api/rooms/${room}/tables`, { name, seats: 4, x: 10 + i * 45, y: 10, width: 30, height: 30 })
    ).body.id;
  await admin.post('/api/users', { displayName: 'Inès', role: 'waiter', pin: '1357' });
  await admin.post('/api/users', { displayName: 'Baptiste', role: 'waiter', pin: '8642' });
  browser = await launchBrowser({ trustShopCa: shop.dataDir });
  ines = await waiterPhone(salle1, /Inès/, '1357');
  baptiste = await waiterPhone(salle2, /Baptiste/, '8642');
  kitchen = await device({ width: 1920, height: 1080 });
  const code = (await admin.post(`/api/tills/${wall}/pairing-code`)).body.code as string;
  await kitchen.goto(`/cuisine/?pair=${code}`);
  await kitchen.getByRole('heading', { name: 'Poste Cuisine' }).waitFor();
}, 120_000);

afterAll(async () => {
  for (const c of contexts) await c.close().catch(() => undefined);
  await browser?.close();
  await shop?.close();
  await pastry?.close();
});

describe('a lunch service: two waiters’ phones and the kitchen screen', { timeout: 90_000 }, () => {
  explainFailures(() => ({ ines, baptiste, kitchen }));
  it('places a table on the plan by dragging it in the back office; the phones follow', async () => {
    const page = await device({ width: 1280, height: 800 });
    await page.goto('/');
    await page.getByLabel('Identifiant').fill('admin');
    await page.getByLabel('Mot de passe').fill('admin-password-1');
    await page.getByRole('button', { name: 'Se connecter' }).click();
    await page.getByRole('link', { name: 'Salle et cuisine' }).click();
    const t4 = page.getByTestId('edit-table-4');
    await t4.waitFor();
    expect(await accessibilityProblems(page)).toEqual([]);
    // The plan is 200 units across its width: dragging by a quarter of it moves the table by 50 units down.
    const plan = (await page.locator('.plan-editor').boundingBox())!;
    const box = (await t4.boundingBox())!;
    const unit = plan.width / 200;
    await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
    await page.mouse.down();
    await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2 + 25 * unit, { steps: 5 });
    await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2 + 50 * unit, { steps: 5 });
    await page.mouse.up();
    const placed = async () =>
      ((await shop.admin.get('/api/floor')).body as { tables: { name: string; x: number; y: number }[] }[])[0]!.tables.find(
        (x) => x.name === '4',
      );
    // Table 4 was at (145, 10): now at (145, 60), give or take the rounding of a pixel.
    await expect.poll(async () => Math.abs((await placed())!.y - 60) <= 1).toBe(true);
    // Only the place changed: its size stays 30 × 30 (it was reset to the defaults once).
    expect(await placed()).toMatchObject({ x: 145, width: 30, height: 30, shape: 'square' });
    // The arrow keys move the focused table by 2 units.
    await t4.focus();
    const y = (await placed())!.y;
    await page.keyboard.press('ArrowUp');
    await expect.poll(async () => (await placed())!.y).toBe(y - 2);
    await screenshot(page, 'backoffice-floor-editor');
    // The phones draw it where it now is: table 4 below the row of tables 1 to 3 (on the plan: a phone starts
    // with the tables as a list, their tiles big enough for a thumb).
    expect(await ines.getByTestId('floor-layout').textContent()).toBe('Voir le plan');
    await ines.getByTestId('floor-layout').click();
    await expect
      .poll(async () => (await ines.getByTestId('table-4').boundingBox())!.y - (await ines.getByTestId('table-1').boundingBox())!.y)
      .toBeGreaterThan(20);
    await page.context().close();
  });

  it('shows the floor on each phone, accessible', async () => {
    expect(await ines.getByTestId('table-1').textContent()).toBe('Table 1, libre, 4 places');
    // No dish ready: its region takes no room (a walk saw a 272-pixel blank band above the rooms).
    expect((await ines.locator('.floor .ready-dishes').boundingBox())?.height).toBe(0);
    expect(await accessibilityProblems(ines)).toEqual([]);
    await screenshot(ines, 'salle-1-floor-phone');
    // The same app on the tablet.
    await baptiste.setViewportSize({ width: 1280, height: 800 });
    await screenshot(baptiste, 'salle-1-floor-tablet');
    expect(await accessibilityProblems(baptiste)).toEqual([]);
    await baptiste.setViewportSize(PHONE);
    expect(await accessibilityProblems(kitchen)).toEqual([]);
  });

  it('keeps both waiters’ lines when they add to the same table in the same second', async () => {
    await ines.getByTestId('table-1').click();
    await ines.getByTestId('open-table').click();
    await ines.getByRole('heading', { name: /Table 1/ }).waitFor();
    // The keyboard on « + Ajouter », what comes next once a table is open.
    await expect.poll(() => ines.evaluate(() => document.activeElement?.textContent ?? '')).toBe('+ Ajouter');
    // Baptiste's phone hears of the table and opens it too.
    await expect
      .poll(async () => (await baptiste.getByTestId('table-1').textContent()) ?? '')
      .toContain('Table 1, occupée par Inès : 2 cvt');
    await baptiste.getByTestId('table-1').click();
    await baptiste.getByRole('heading', { name: /Table 1/ }).waitFor();
    await Promise.all([addDish(ines, 'Salade de chèvre'), addDish(baptiste, 'Magret')]);
    await Promise.all([addDish(ines, 'Pression'), addDish(baptiste, 'Salade de chèvre')]);
    await showOrder(ines);
    await showOrder(baptiste);
    // Both phones show all four lines: 9,50 + 3,50 + 18,50 + 9,50 = 41,00 €.
    for (const page of [ines, baptiste]) {
      await expect.poll(() => lines(page).count()).toBe(4);
      await expect.poll(() => page.getByTestId('order-total').textContent()).toContain('41,00');
    }
    const o = (await orderAt('1'))!;
    expect(o.lines.map((l) => l.name).sort()).toEqual(['Magret', 'Pression', 'Salade de chèvre', 'Salade de chèvre']);
    expect(o.totalCents).toBe(4100);
    expect(await accessibilityProblems(ines)).toEqual([]);
    await screenshot(ines, 'salle-2-order-phone');
  });

  it('Envoyer makes one ticket per station with exactly the new items; the kitchen screen shows it', async () => {
    await ines.getByTestId('send').click();
    // « Envoyer » is then disabled: the keyboard goes on to « + Ajouter », not to the page's body.
    await expect.poll(() => ines.evaluate(() => document.activeElement?.className ?? '')).toBe('add-toggle');
    const cuisine = await expect
      .poll(() => printed('cuisine').length)
      .toBe(1)
      .then(() => printed('cuisine')[0]!);
    await expect.poll(() => printed('bar').length).toBe(1);
    // The two salads (the first course) now, the duck to follow; the beer at the bar only.
    expect(cuisine).toContain('Table 1');
    expect(cuisine).toMatch(/ENTRÉES\n1 x Salade de chèvre\n1 x Salade de chèvre/);
    expect(cuisine).toMatch(/PLATS - À SUIVRE\n1 x Magret/);
    expect(cuisine).not.toContain('Pression');
    expect(printed('bar')[0]).toMatch(/BOISSONS\n1 x Pression/);
    expect(printed('bar')[0]).not.toContain('Salade');
    const ticket = kitchen.getByTestId('kitchen-ticket').filter({ hasText: 'Table 1' });
    await expect.poll(() => ticket.count()).toBe(1);
    expect(await ticket.textContent()).toContain('Salade de chèvre');
    // All day: two salads to prepare (the duck waits for Suite).
    await expect.poll(() => kitchen.getByTestId('all-day').textContent()).toBe('2 Salade de chèvre');
    // Both phones see the lines sent.
    await expect.poll(() => baptiste.getByTestId('send').isDisabled()).toBe(true);
    await screenshot(kitchen, 'cuisine-1-ticket-1920');
    await paper(cuisine, 'restaurant-kitchen-ticket-paper');
  });

  it('the kitchen screen bumps (prêt, servi) and recalls, by touch and by keyboard', async () => {
    const ticket = kitchen.getByTestId('kitchen-ticket').filter({ hasText: 'Table 1' });
    await ticket.getByTestId('bump').click();
    await expect.poll(() => ticket.getByTestId('bump').textContent()).toBe('Servi');
    await expect.poll(() => kitchen.getByTestId('all-day').textContent()).toBe('');
    // Both waiters are told, whoever took the order: the two salads (two lines, one dish) of table 1, not the
    // duck that waits for Suite.
    for (const page of [ines, baptiste])
      await expect
        .poll(() => page.getByTestId('ready-ticket').textContent())
        .toMatch(/Prêt · Table 1 : 2 × Salade de chèvre · depuis 0 minServi$/);
    // Inès is on table 1's order: the notice says it is this table's.
    expect(await ines.getByTestId('ready-ticket').textContent()).toMatch(/^Cette table · /);
    expect(await ines.getByTestId('ready-ticket').textContent()).not.toContain('Magret');
    expect(await accessibilityProblems(ines)).toEqual([]);
    await screenshot(ines, 'salle-ready-phone');
    await screenshot(baptiste, 'salle-ready-other-phone');
    // Enter on the focused button: served; the phones no longer show it.
    await ticket.getByTestId('bump').focus();
    await kitchen.keyboard.press('Enter');
    await expect.poll(() => kitchen.getByTestId('kitchen-ticket').count()).toBe(0);
    for (const page of [ines, baptiste]) await expect.poll(() => page.getByTestId('ready-ticket').count()).toBe(0);
    await kitchen.getByTestId('recall').first().click();
    await expect.poll(() => kitchen.getByTestId('kitchen-ticket').count()).toBe(1);
    await expect.poll(() => kitchen.getByTestId('all-day').textContent()).toBe('2 Salade de chèvre');
    await expect.poll(() => ines.getByTestId('ready-ticket').count()).toBe(0);

    // Ready again; a phone reloaded meanwhile reads it from the stations; the waiter who carries it says so
    // from the phone: served on the kitchen's screen, gone from the other phone.
    await ticket.getByTestId('bump').click();
    await expect.poll(() => ines.getByTestId('ready-ticket').count()).toBe(1);
    await baptiste.reload();
    await expect.poll(() => baptiste.getByTestId('ready-ticket').count(), { timeout: 10_000 }).toBe(1);
    await ines.getByRole('button', { name: 'Servi : Table 1, 2 × Salade de chèvre' }).focus();
    await ines.keyboard.press('Enter');
    await expect.poll(() => kitchen.getByTestId('kitchen-ticket').count()).toBe(0);
    await expect.poll(() => baptiste.getByTestId('ready-ticket').count()).toBe(0);
    // The keyboard stays in the notices' region (it fell to the page's body).
    await expect.poll(() => ines.evaluate(() => document.activeElement?.getAttribute('aria-label'))).toBe('Plats prêts');
    await expect.poll(() => ines.getByTestId('ready-ticket').count()).toBe(0);
    await kitchen.getByTestId('recall').first().click();
    await expect.poll(() => kitchen.getByTestId('kitchen-ticket').count()).toBe(1);
  });

  it('Suite fires the next course; a cancelled sent line reaches the kitchen as ANNULÉ with its reason', async () => {
    await expect.poll(() => ines.getByTestId('fire').textContent()).toBe('Suite : Plats');
    // The bill, opened before the mains are asked for, says the kitchen is not preparing them (1 Magret).
    await ines.getByTestId('bill').click();
    await expect
      .poll(async () => (await ines.getByTestId('bill-unsent').textContent()) ?? '')
      .toBe('1 article envoyé mais pas encore demandé (Suite) : la cuisine ne le prépare pas.');
    await ines.getByRole('button', { name: '← Retour' }).click();
    await ines.getByTestId('fire').click();
    await expect.poll(() => printed('cuisine').length).toBe(2);
    expect(printed('cuisine')[1]).toContain('SUITE : PLATS');
    expect(printed('cuisine')[1]).toMatch(/PLATS\n1 x Magret/);
    await expect.poll(() => kitchen.getByTestId('kitchen-ticket').filter({ hasText: 'SUITE' }).count()).toBe(1);

    await baptiste.getByTestId('order-line').filter({ hasText: 'Magret' }).click();
    await baptiste.getByTestId('void').click();
    await baptiste.getByTestId('void-reason').fill('client parti');
    await baptiste.getByTestId('void-confirm').click();
    await expect.poll(() => printed('cuisine').length).toBe(3);
    expect(printed('cuisine')[2]).toContain('*** ANNULÉ ***');
    expect(printed('cuisine')[2]).toMatch(/1 x Magret/);
    expect(printed('cuisine')[2]).toContain('Motif : client parti');
    await expect.poll(() => kitchen.getByTestId('kitchen-ticket').filter({ hasText: 'ANNULÉ — client parti' }).count()).toBe(1);
    // 41,00 − 18,50 = 22,50 € on both phones.
    for (const page of [ines, baptiste]) await expect.poll(() => page.getByTestId('order-total').textContent()).toContain('22,50');
    expect(printed('bar')).toHaveLength(1);
  });

  it('moves table 1 to table 3, and brings table 2 into it: both phones follow', async () => {
    // Baptiste opens table 2 for one guest: a beer, sent.
    await baptiste.getByRole('button', { name: '← Plan de salle' }).click();
    await baptiste.getByTestId('table-2').click();
    await baptiste.getByTestId('open-table').click();
    await addDish(baptiste, 'Pression');
    await showOrder(baptiste);
    await baptiste.getByTestId('send').click();
    await expect.poll(() => printed('bar').length).toBe(2);

    await ines.getByRole('button', { name: 'Plus…' }).click();
    await ines.getByTestId('transfer').click();
    await ines.getByTestId('choose-3').click();
    await expect.poll(async () => (await orderAt('3'))?.totalCents).toBe(2250);
    expect(await orderAt('1')).toBeUndefined();
    // The bar's ticket for table 1 is on its pass still (not served): the bar is told on paper (found by a walk:
    // nothing printed, the paper said table 1).
    await expect.poll(() => printed('bar').length).toBe(3);
    expect(printed('bar')[2]).toMatch(/CHANGEMENT DE TABLE\nTable 1 -> Table 3\n/);
    await ines.getByRole('button', { name: 'Plus…' }).click();
    await ines.getByTestId('merge').click();
    await ines.getByTestId('choose-2').click();
    // Asked first: two parties' bills become one (one tap did it).
    await expect.poll(async () => (await ines.getByRole('dialog').textContent()) ?? '').toContain('Réunir la table 2 avec la table 3 ?');
    expect(await accessibilityProblems(ines)).toEqual([]);
    await ines.getByTestId('merge-confirm').click();
    // 22,50 + 3,50 = 26,00 € at table 3; table 2 is free on Baptiste's phone too.
    await expect.poll(async () => (await orderAt('3'))?.totalCents).toBe(2600);
    await expect.poll(() => ines.getByTestId('order-total').textContent()).toContain('26,00');
    // Table 2's beer ticket too: « TABLES RÉUNIES ».
    await expect.poll(() => printed('bar').length).toBe(4);
    expect(printed('bar')[3]).toMatch(/TABLES RÉUNIES\nTable 2 -> Table 3\n/);
    await baptiste
      .getByRole('button', { name: 'Plan de salle' })
      .or(baptiste.getByRole('button', { name: 'Retour' }))
      .first()
      .click();
    await expect.poll(async () => (await baptiste.getByTestId('table-2').textContent()) ?? '').toContain('libre');
    await expect.poll(async () => (await baptiste.getByTestId('table-3').textContent()) ?? '').toContain('26,00');
    await screenshot(baptiste, 'salle-3-floor-busy-phone');
  });

  it('prints the note at 26,00 € with what the law asks', async () => {
    await ines.getByTestId('note').click();
    await ines.getByLabel('Nom du client (facultatif)').fill('M. Azaïs');
    await ines.getByTestId('note-print').click();
    const note = await expect
      .poll(() => printed('salle').length)
      .toBe(1)
      .then(() => printed('salle')[0]!);
    // Salade 2 × 9,50 = 19,00 at 10 %: HT 19,00 / 1,1 = 17,27, TVA 1,73.
    // Pression 2 × 3,50 = 7,00 at 20 %: HT 7,00 / 1,2 = 5,83, TVA 1,17. HT 23,10, TTC 26,00.
    expect(note).toContain('NOTE n° 1');
    expect(note).toContain('Table 3');
    expect(note).toContain('Client : M. Azaïs');
    expect(note).toMatch(/TVA 10 % sur 17,27 € +1,73 €/);
    expect(note).toMatch(/TVA 20 % sur 5,83 € +1,17 €/);
    expect(note).toMatch(/TOTAL TTC +26,00 €/);
    await expect.poll(() => ines.getByTestId('note').textContent()).toBe('Note n° 1 à nouveau');
    // The paper, as the customer gets it: the decoded text on a 48-column roll.
    await paper(note, 'restaurant-note-paper');
  });

  it('splits the bill by item: each part its own ticket, the parts adding up to the order; the table is then free everywhere', async () => {
    await ines.getByTestId('bill').click();
    await ines.getByTestId('split-none').click();
    // Guest 1: a salad and a beer, 9,50 + 3,50 = 13,00 € by card.
    const row = (name: string) => ines.locator('.bill-lines li').filter({ hasText: name });
    await row('Salade de chèvre').first().getByRole('button', { name: 'Un de plus' }).click();
    await row('Pression').first().getByRole('button', { name: 'Un de plus' }).click();
    await expect.poll(() => ines.getByTestId('bill-total').textContent()).toContain('13,00');
    expect(await accessibilityProblems(ines)).toEqual([]);
    await screenshot(ines, 'salle-4-bill-split-phone');
    await ines.getByTestId('bill-pay').click();
    // The payment screen says what it is for (it showed a total alone: a found walk's « which table? »).
    expect(await ines.getByTestId('pay-for').textContent()).toMatch(/^Table \S+ — 2 articles$/);
    await ines.getByRole('button', { name: 'Carte bancaire' }).click();
    await ines.getByTestId('add-payment').click();
    await ines.getByRole('button', { name: 'Paiement accepté' }).click();
    await expect.poll(() => ines.getByTestId('ticket-state').textContent()).toContain('enregistré');
    await ines.getByRole('button', { name: 'Pas de ticket' }).click();
    // The rest, 26,00 − 13,00 = 13,00 €, in cash.
    await ines.getByTestId('bill').click();
    await expect.poll(() => ines.getByTestId('bill-total').textContent()).toContain('13,00');
    await ines.getByTestId('bill-pay').click();
    await ines.getByTestId('add-payment').click();
    await expect.poll(() => ines.getByTestId('ticket-state').textContent()).toContain('enregistré');
    await ines.getByRole('button', { name: 'Pas de ticket' }).click();
    await expect.poll(async () => (await openOrders()).length).toBe(0);
    const sales = (await shop.admin.get('/api/sales?limit=10')).body;
    const list = (Array.isArray(sales) ? sales : sales.items) as { totalCents: number }[];
    expect(list.map((x) => x.totalCents).sort()).toEqual([1300, 1300]);
    for (const page of [ines, baptiste]) {
      const back = page.getByRole('button', { name: /Plan de salle|Retour/ }).first();
      if (await back.isVisible()) await back.click();
      await expect.poll(async () => (await page.getByTestId('table-3').textContent()) ?? '').toContain('libre');
    }
  });

  it('takes an order with the server stopped, and the kitchen gets it exactly once when it is back', async () => {
    // The phone's service worker keeps the page: it reopens without the server.
    await ines.evaluate(() => navigator.serviceWorker.ready.then(() => true));
    await shop.stop();
    await ines.getByTestId('table-4').click();
    await ines.getByTestId('open-table').click();
    await addDish(ines, 'Magret');
    await addDish(ines, 'Pression');
    // A dish with a required cuisson asks for it before it is added.
    await addDish(ines, 'Entrecôte');
    expect(await ines.getByTestId('mods-add').isDisabled()).toBe(true);
    await ines.getByRole('button', { name: 'À point' }).click();
    expect(await accessibilityProblems(ines)).toEqual([]);
    await ines.getByTestId('mods-add').click();
    await showOrder(ines);
    await expect.poll(() => lines(ines).count()).toBe(3);
    // 18,50 + 3,50 + 22,00 = 44,00 €, worked out on the phone with the server away.
    await expect.poll(() => ines.getByTestId('order-total').textContent()).toContain('44,00');
    await ines.getByTestId('send').click();
    await expect.poll(() => ines.getByTestId('order-pending').textContent()).toContain('5 en attente');
    // Each line says it has not reached the kitchen (they read « envoyé » while the kitchen had nothing).
    const states = () => ines.locator('[data-testid=order-line] .state').allTextContents();
    await expect.poll(states).toEqual(Array(3).fill('pas encore en cuisine (hors ligne)'));
    await screenshot(ines, 'salle-5-offline-phone');
    // Reloaded with the server still away: the phone opens on what it kept, the order and its queue with it.
    await ines.reload();
    // Back on the order it was showing, with what was queued.
    await expect.poll(() => ines.getByTestId('order-total').textContent(), { timeout: 20_000 }).toContain('44,00');
    await expect.poll(() => ines.getByTestId('waiting-ops').textContent()).toBe('5 opération(s) de commande à envoyer');
    const before = { cuisine: printed('cuisine').length, bar: printed('bar').length };
    await shop.restart();
    await expect.poll(() => ines.getByTestId('order-pending').count(), { timeout: 30_000 }).toBe(0);
    await expect.poll(states).toEqual(Array(3).fill('envoyé'));
    await expect.poll(() => printed('cuisine').length).toBe(before.cuisine + 1);
    await expect.poll(() => printed('bar').length).toBe(before.bar + 1);
    expect(printed('cuisine').at(-1)).toMatch(/Table 4[\s\S]*PLATS\n1 x Magret\n1 x Entrecôte\n {3}\+ À point/);
    // Nothing more comes: each operation was applied once.
    await new Promise((r) => setTimeout(r, 1500));
    expect(printed('cuisine').length).toBe(before.cuisine + 1);
    const o = (await orderAt('4'))!;
    expect(o.lines.map((l) => [l.name, l.status])).toEqual([
      ['Magret', 'sent'],
      ['Pression', 'sent'],
      ['Entrecôte', 'sent'],
    ]);
    expect(o.totalCents).toBe(4400);
    await expect.poll(() => kitchen.getByTestId('kitchen-ticket').filter({ hasText: 'Table 4' }).count(), { timeout: 20_000 }).toBe(1);
    await expect.poll(() => ines.getByTestId('order-total').textContent()).toContain('44,00');
  });

  it('splits table 4 in 3 equal parts, each paid: the parts add up to the bill and to its VAT per rate', async () => {
    await ines.getByTestId('bill').click();
    await ines.getByTestId('split-equal').click();
    await ines.getByRole('button', { name: 'Une part de plus' }).click();
    await expect.poll(() => ines.getByTestId('parts').textContent()).toBe('3');
    // 44,00 € in 3: ceil(4400 / 3) = 1467, then ceil(2933 / 2) = 1467, then the 1466 left.
    await expect
      .poll(() =>
        ines
          .getByTestId('part-pay')
          .textContent()
          .then((x) => (x ?? '').replace(/[\u00a0\u202f]/g, ' ')),
      )
      .toBe('Encaisser la part 1/3 : 14,67 €');
    expect(await accessibilityProblems(ines)).toEqual([]);
    await screenshot(ines, 'salle-6-bill-equal-parts-phone');
    const partsPaid: string[] = [];
    for (const expected of ['Encaisser la part 1/3 : 14,67 €', 'Encaisser la part 2/3 : 14,67 €', 'Encaisser la part 3/3 : 14,66 €']) {
      if (partsPaid.length === 1) {
        // Reloaded after part 1 (found by a walk: the split lived in the phone's memory, and a reloaded phone
        // offered « part 1/2 » of the rest): the split is the order's, the next part is 2 of 3. Back to the order
        // from the parts, to see what it says.
        await ines.reload();
        await ines.getByTestId('part-pay').or(ines.getByTestId('order-total')).first().waitFor({ timeout: 20_000 });
        if (await ines.getByTestId('part-pay').isVisible()) await ines.getByRole('button', { name: '← Retour' }).first().click();
      }
      if (partsPaid.length === 2) {
        // Part 2 paid: the phone is back on the parts, part 3 next (it landed on the order: found by a walk).
        await expect.poll(() => ines.getByTestId('part-pay').isVisible()).toBe(true);
      }
      if (!(await ines.getByTestId('part-pay').isVisible())) {
        // The order says what was paid and what is left (it showed the whole 44,00 € after a part was paid):
        // 44,00 − 14,67 = 29,33 €, then − 14,67 = 14,66 €.
        await expect
          .poll(async () => (await ines.getByTestId('order-left').textContent())?.replace(/[\u00a0\u202f]/g, ' '))
          .toBe(partsPaid.length === 1 ? 'payé 14,67 € · reste 29,33 €' : 'payé 29,34 € · reste 14,66 €');
        // A part paid: the bill opens on the parts, and the rest is not offered by item any more (a newcomer
        // was offered it, took it, and the server refused the ticket).
        await ines.getByTestId('bill').click();
        await expect.poll(() => ines.getByTestId('shares-only').isVisible()).toBe(true);
        expect(await ines.getByTestId('split-equal').count()).toBe(0);
        expect(await ines.getByRole('button', { name: 'Par article' }).count()).toBe(0);
      }
      await expect
        .poll(() =>
          ines
            .getByTestId('part-pay')
            .textContent()
            .then((x) => (x ?? '').replace(/[\u00a0\u202f]/g, ' ')),
        )
        .toBe(expected);
      await ines.getByTestId('part-pay').click();
      expect(await ines.getByTestId('pay-for').textContent()).toBe(`Table 4 — part ${partsPaid.length + 1}/3`);
      await ines.getByTestId('add-payment').click();
      await expect.poll(() => ines.getByTestId('ticket-state').textContent()).toContain('enregistré');
      partsPaid.push(expected);
      await ines.getByRole('button', { name: 'Pas de ticket' }).click();
    }
    await expect.poll(async () => (await openOrders()).length).toBe(0);
    const sales = (await shop.admin.get('/api/sales?limit=10')).body;
    const shares = (
      (Array.isArray(sales) ? sales : sales.items) as { totalCents: number; vat: { vatRateBp: number; vatCents: number }[] }[]
    )
      .filter((x) => [1467, 1466].includes(x.totalCents))
      .slice(0, 3);
    expect(shares.map((x) => x.totalCents).sort()).toEqual([1466, 1467, 1467]);
    // One ticket for the whole bill: 10 % on 18,50 + 22,00 = 40,50 -> HT 36,82, VAT 3,68; 20 % on 3,50 -> HT 2,92, VAT 0,58.
    const vat = (rate: number) => shares.reduce((sum, x) => sum + (x.vat.find((v) => v.vatRateBp === rate)?.vatCents ?? 0), 0);
    expect([vat(1000), vat(2000)]).toEqual([368, 58]);
    expect(errors.flat()).toEqual([]);
  });

  it('a station printer down: every phone shows it; back, it prints each ticket once', async () => {
    await pastry.set('down');
    const back = ines.getByRole('button', { name: /Plan de salle|Retour/ }).first();
    if (await back.isVisible()) await back.click();
    await ines.getByTestId('table-1').click();
    await ines.getByTestId('open-table').click();
    await addDish(ines, 'Croustade');
    await showOrder(ines);
    await ines.getByTestId('send').click();
    // The floor of the other phone says so, naming the printer.
    await expect
      .poll(() => baptiste.getByRole('alert').filter({ hasText: 'Imprimante Pâtisserie' }).count(), { timeout: 20_000 })
      .toBeGreaterThan(0);
    await screenshot(baptiste, 'salle-7-printer-down-phone');
    expect(pastry.jobs).toHaveLength(0);
    await pastry.set('working');
    await expect.poll(() => pastry.jobs.length, { timeout: 20_000 }).toBe(1);
    expect(decodeEscPos(pastry.jobs[0]!.bytes).text).toMatch(/Table 1[\s\S]*DESSERTS\n1 x Croustade/);
    // The banner goes once the printer is back, and nothing is printed twice.
    await expect.poll(() => baptiste.getByRole('alert').filter({ hasText: 'Imprimante Pâtisserie' }).count(), { timeout: 20_000 }).toBe(0);
    await new Promise((r) => setTimeout(r, 1000));
    expect(pastry.jobs).toHaveLength(1);
    // The 7,50 € dessert paid by two friends, 5,00 € and the 2,50 € left, as amounts of their choice.
    await ines.getByTestId('bill').click();
    await ines.getByTestId('split-equal').click();
    for (const amount of ['5', '2,50']) {
      await ines.getByTestId('custom-amount').fill(amount);
      await ines.getByTestId('custom-pay').click();
      await ines.getByTestId('add-payment').click();
      await expect.poll(() => ines.getByTestId('ticket-state').textContent()).toContain('enregistré');
      await ines.getByRole('button', { name: 'Pas de ticket' }).click();
      if (amount === '5') {
        await ines.getByTestId('bill').click();
        await expect.poll(() => ines.getByTestId('shares-only').isVisible()).toBe(true);
        // More than is left is refused on the phone, before anything is sent.
        await ines.getByTestId('custom-amount').fill('3');
        await ines.getByTestId('custom-pay').click();
        await expect.poll(() => ines.getByRole('alert').filter({ hasText: 'Il ne reste que 2,50' }).count()).toBe(1);
      }
    }
    await expect.poll(async () => (await openOrders()).length).toBe(0);
    expect(errors.flat()).toEqual([]);
  });

  it('cancels one of three beers already sent: the bar gets ANNULÉ for one, two stay on the bill; a paid line offers no cancellation', async () => {
    const barBefore = await threeBeersSentAt('2');
    await expect.poll(() => printed('bar').length).toBe(barBefore + 1);
    // One fell: cancel one of the three, by keyboard.
    await lines(ines).filter({ hasText: 'Pression' }).click();
    await ines.getByTestId('void').click();
    await expect.poll(() => ines.getByTestId('void-quantity').textContent()).toBe('3 sur 3');
    const less = ines.getByRole('group', { name: 'Combien en annuler, sur 3 ?' }).getByRole('button', { name: 'Un de moins' });
    await less.focus();
    await ines.keyboard.press('Enter');
    await ines.keyboard.press('Space');
    expect(await ines.getByTestId('void-quantity').textContent()).toBe('1 sur 3');
    await ines.getByTestId('void-reason').fill('verre cassé');
    expect(await accessibilityProblems(ines)).toEqual([]);
    await screenshot(ines, 'salle-void-part-phone');
    expect(await ines.getByTestId('void-confirm').textContent()).toBe('En annuler 1 (le poste est prévenu)');
    await ines.getByTestId('void-confirm').click();
    await expect.poll(() => printed('bar').length).toBe(barBefore + 2);
    expect(printed('bar').at(-1)).toContain('*** ANNULÉ ***');
    expect(printed('bar').at(-1)).toMatch(/1 x Pression/);
    expect(printed('bar').at(-1)).toContain('Motif : verre cassé');
    // Two beers left to pay: 2 × 3,50 = 7,00 €, on both phones; the cancelled one shown apart.
    await expect.poll(async () => (await orderAt('2'))?.totalCents).toBe(700);
    await expect.poll(() => ines.getByTestId('order-total').textContent()).toContain('7,00');
    await expect.poll(() => lines(ines).filter({ hasText: 'Pression' }).count()).toBe(2);
    const order = (await orderAt('2'))!;
    expect(order.lines.map((l) => [l.quantity, l.status, l.voidReason])).toEqual([
      [2, 'sent', null],
      [1, 'voided', 'verre cassé'],
    ]);
    // One of the two beers paid by item (3,50 € cash): the line is in the till's chain now, and its dialog
    // offers no cancellation (no manager's PIN asked for a refusal).
    await ines.getByTestId('bill').click();
    await ines.getByTestId('split-none').click();
    await ines.locator('.bill-lines li').filter({ hasText: 'Pression' }).first().getByRole('button', { name: 'Un de plus' }).click();
    await expect.poll(() => ines.getByTestId('bill-total').textContent()).toContain('3,50');
    await ines.getByTestId('bill-pay').click();
    await ines.getByTestId('add-payment').click();
    await expect.poll(() => ines.getByTestId('ticket-state').textContent()).toContain('enregistré');
    await ines.getByRole('button', { name: 'Pas de ticket' }).click();
    await expect.poll(async () => (await orderAt('2'))?.paidCents).toBe(350);
    // Back on the order (or on the floor, from where the table opens it).
    if (await ines.getByTestId('table-2').isVisible()) await ines.getByTestId('table-2').click();
    await lines(ines).filter({ hasText: 'Pression' }).first().click();
    await expect.poll(() => ines.getByTestId('line-paid').textContent()).toBe('Déjà réglée (en partie) : elle ne change plus.');
    expect(await ines.getByTestId('void').count()).toBe(0);
    expect(errors.flat()).toEqual([]);
  });

  // Found by a walk: a second part cancelled offline on the same line was refused once back (409), the beer
  // left on the bill.
  it('cancels two beers of three one at a time without the network: the bar gets both once the phone is back', async () => {
    await ines.getByTestId('line-paid').waitFor();
    await ines.keyboard.press('Escape');
    const barBefore = await threeBeersSentAt('3');
    await expect.poll(() => printed('bar').length).toBe(barBefore + 1);
    await expect.poll(async () => (await orderAt('3'))?.lines[0]?.status).toBe('sent');
    await ines.context().setOffline(true);
    for (const of of [3, 2]) {
      await lines(ines).filter({ hasText: 'Pression' }).first().click();
      await ines.getByTestId('void').click();
      await expect.poll(() => ines.getByTestId('void-quantity').textContent()).toBe(`${of} sur ${of}`);
      for (let i = of; i > 1; i--)
        await ines
          .getByRole('group', { name: `Combien en annuler, sur ${of} ?` })
          .getByRole('button', { name: 'Un de moins' })
          .click();
      await ines.getByTestId('void-reason').fill('renversée');
      await ines.getByTestId('void-confirm').click();
    }
    await ines.context().setOffline(false);
    await expect.poll(() => printed('bar').length, { timeout: 20_000 }).toBe(barBefore + 3);
    await expect.poll(async () => (await orderAt('3'))?.totalCents).toBe(350);
    expect((await orderAt('3'))!.lines.map((l) => [l.quantity, l.status])).toEqual([
      [1, 'sent'],
      [1, 'voided'],
      [1, 'voided'],
    ]);
    expect(errors.flat()).toEqual([]);
  });

  // Found by an attack: a table opened by mistake stayed taken for good (no way out but merging it elsewhere).
  it('frees a table opened by mistake from « Plus… », on every phone', async () => {
    await ines
      .getByRole('button', { name: /Plan de salle|Retour/ })
      .first()
      .click();
    let free = '';
    for (const name of ['1', '2', '4']) if (!free && (await orderAt(name)) === undefined) free = name;
    expect(free).not.toBe('');
    await ines.getByTestId(`table-${free}`).click();
    await ines.getByTestId('open-table').click();
    await ines.getByRole('heading', { name: new RegExp(`Table ${free}`) }).waitFor();
    await expect.poll(async () => (await orderAt(free)) !== undefined).toBe(true);
    await ines.getByRole('button', { name: 'Plus…' }).click();
    expect(await accessibilityProblems(ines)).toEqual([]);
    await ines.getByTestId('close-empty').click();
    await expect.poll(async () => (await orderAt(free)) === undefined).toBe(true);
    for (const phone of [ines, baptiste])
      await expect.poll(() => phone.getByTestId(`table-${free}`).textContent()).toBe(`Table ${free}, libre, 4 places`);
  });
});
