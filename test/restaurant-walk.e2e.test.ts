import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { OrderView } from '../shared/api/restaurant.ts';
import { aLunchMenu } from './support/restaurant.ts';
import { accessibilityProblems, launchBrowser, screenshot, shopOrigin } from './support/browser.ts';
import { aCategory, startTestShop, type TestShop } from './support/harness.ts';

/**
 * A newcomer's walk through every screen of the restaurant's two apps — the waiter's phone and tablet
 * (`/salle/`), the kitchen TV (`/cuisine/`) and the back office's « Salle et cuisine » — as a waiter and a
 * cook use them: each screen and dialog checked with axe (WCAG 2.1 AA), screenshotted to be looked at,
 * walked with the keyboard, and tried the way a newcomer tries things (back, cancel, a table already
 * opened on another phone, English, a reload mid-order).
 *
 * The accessibility findings are gathered as the walk goes and asserted one screen at a time at the end,
 * so a problem on one screen does not hide the others.
 */
let shop: TestShop;
let browser: Browser;
const contexts: BrowserContext[] = [];
let phone: Page; // Inès
let other: Page; // Baptiste, on another phone
let tablet: Page; // Chloé, on the tablet
let tv: Page; // the kitchen
const tills: Record<string, number> = {};
const tables: Record<string, number> = {};
/** Each screen's axe findings, by screenshot name. */
const a11y = new Map<string, string[]>();

/** A check that fails because of a problem in the app (named beside it); `WALK_STRICT=1` runs them as plain checks, to see why. */
const knownProblem = process.env.WALK_STRICT ? it : it.fails;

const PHONE = { width: 390, height: 844 };
const TABLET = { width: 1280, height: 800 };
const TV = { width: 1920, height: 1080 };

async function device(viewport: { width: number; height: number }): Promise<Page> {
  const context = await browser.newContext({
    viewport,
    baseURL: shopOrigin(shop.server.port),
    locale: 'fr-FR',
    timezoneId: 'Europe/Paris',
    hasTouch: true,
  });
  contexts.push(context);
  return context.newPage();
}

/** The screen as it is now: its axe findings kept for later, and a screenshot. */
async function look(page: Page, name: string) {
  await page.waitForTimeout(150);
  a11y.set(name, await accessibilityProblems(page));
  await screenshot(page, name);
}

const pairingCode = async (till: string) => (await shop.admin.post(`/api/tills/${tills[till]}/pairing-code`)).body.code as string;
const openOrders = async () => (await shop.admin.get('/api/orders')).body as OrderView[];
const orderAt = async (table: string) => (await openOrders()).find((o) => o.tableId === tables[table]);
const euros = (s: string | null) => (s ?? '').replace(/[\u00a0\u202f]/g, ' ');

/** What has the focus: its text, test id, and whether it is inside an open dialog. */
async function focused(page: Page) {
  return page.evaluate(() => {
    const el = document.activeElement as HTMLElement | null;
    return {
      tag: el?.tagName.toLowerCase() ?? '',
      text: (el?.getAttribute('aria-label') || el?.textContent || (el as HTMLInputElement | null)?.placeholder || '').trim(),
      testid: el?.getAttribute('data-testid') ?? '',
      inDialog: !!el?.closest('[role=dialog]'),
      dialogOpen: !!document.querySelector('[role=dialog]'),
    };
  });
}

/** Tab until the focused element matches; the number of presses, or -1 if never reached. */
async function tabTo(page: Page, match: (f: Awaited<ReturnType<typeof focused>>) => boolean, max = 80, key = 'Tab'): Promise<number> {
  for (let i = 1; i <= max; i++) {
    await page.keyboard.press(key);
    if (match(await focused(page))) return i;
  }
  return -1;
}

/** The order of the focus through `n` Tab presses from the top of the page. */
async function tabOrder(page: Page, n: number): Promise<string[]> {
  // From the top of the page: the body focused for a moment, as a freshly loaded page.
  await page.evaluate(() => {
    document.body.tabIndex = -1;
    document.body.focus();
    document.body.removeAttribute('tabindex');
  });
  const out: string[] = [];
  for (let i = 0; i < n; i++) {
    await page.keyboard.press('Tab');
    const f = await focused(page);
    out.push(f.testid || f.text);
  }
  return out;
}

async function pickDish(page: Page, name: string) {
  const toggle = page.getByRole('button', { name: '+ Ajouter' });
  if (await toggle.isVisible()) await toggle.click();
  await page.getByRole('searchbox').fill(name);
  await page.getByTestId('dish').filter({ hasText: name }).first().click();
  await page.getByRole('searchbox').fill('');
}

async function showOrder(page: Page) {
  const back = page.getByRole('button', { name: 'Voir la commande' }).first();
  if (await back.isVisible()) await back.click();
}

const lineState = (page: Page, name: string) => page.getByTestId('order-line').filter({ hasText: name }).locator('.state');

beforeAll(async () => {
  shop = await startTestShop({ serveClient: true });
  const admin = shop.admin;
  const till = async (name: string) => (tills[name] = (await admin.post('/api/tills', { outlet: 'restaurant', name })).body.id as number);
  for (const name of ['Salle 1', 'Salle 2', 'Tablette', 'Écran cuisine']) await till(name);
  const printer = async (name: string, dir: string) =>
    (await admin.post('/api/printers', { name, role: 'kitchen', uri: `file:${dir}`, columns: 48, codePage: 'pc858', drawer: false })).body
      .id as number;
  const kitchen = (await admin.post('/api/stations', { name: 'Cuisine', printerId: await printer('Cuisine', 'cuisine') })).body.id;
  const bar = (await admin.post('/api/stations', { name: 'Bar', printerId: await printer('Bar', 'bar') })).body.id;
  const dishes = await aCategory(admin, { name: 'Plats' });
  const drinks = await aCategory(admin, { name: 'Boissons' });
  const sweets = await aCategory(admin, { name: 'Desserts' });
  await admin.put(`/api/categories/${dishes.id}/station`, { stationId: kitchen });
  await admin.put(`/api/categories/${sweets.id}/station`, { stationId: kitchen });
  await admin.put(`/api/categories/${drinks.id}/station`, { stationId: bar });
  await aLunchMenu(admin, { dishes: dishes.id, sweets: sweets.id, drinks: drinks.id });
  const room = (await admin.post('/api/rooms', { name: 'Salle' })).body.id;
  for (const [i, name] of ['1', '2', '3', '4', '5', '6'].entries())
    tables[name] = (
      await admin.post(`/api/rooms/${room}/tables`, {
        name,
        seats: 4,
        x: 10 + (i % 3) * 60,
        y: 10 + Math.floor(i / 3) * 50,
        width: 40,
        height: 40,
      })
    ).body.id;
  for (const [displayName, pin] of [
    ['Inès', '1357'],
    ['Baptiste', '8642'],
    ['Chloé', '2468'],
  ])
    expect((await admin.post('/api/users', { displayName, role: 'waiter', pin })).status).toBe(201);
  browser = await launchBrowser({ trustShopCa: shop.dataDir });
}, 120_000);

afterAll(async () => {
  for (const c of contexts) await c.close().catch(() => undefined);
  await browser?.close();
  await shop?.close();
});

describe('a newcomer’s walk through the waiter’s app, the kitchen screen and the back office', { timeout: 90_000 }, () => {
  it('pairs a phone by typing the code, and logs in at the PIN lock with the keyboard alone', async () => {
    phone = await device(PHONE);
    await phone.goto('/salle/');
    await phone.getByRole('button', { name: 'Appairer la tablette' }).waitFor();
    await look(phone, 'walk-01-pair-phone');
    // The code field has the focus: typed, then Enter.
    await phone.keyboard.type(await pairingCode('Salle 1'));
    await phone.keyboard.press('Enter');
    await phone.getByRole('button', { name: /Inès/ }).waitFor();
    await look(phone, 'walk-02-lock-phone');
    // Tab to Inès's tile, Enter, the PIN, Enter.
    expect(await tabTo(phone, (f) => f.text.startsWith('Inès'))).toBeGreaterThan(0);
    await phone.keyboard.press('Enter');
    await phone.getByTestId('pin-dots').waitFor();
    await look(phone, 'walk-03-lock-pin-phone');
    for (const d of '1357') await phone.keyboard.press(d);
    await phone.keyboard.press('Enter');
    await phone.getByTestId('table-1').waitFor();
    await look(phone, 'walk-04-floor-phone');
    // Six tables, all free, each read out with its name, state and seats.
    for (const n of ['1', '2', '3', '4', '5', '6'])
      expect(await phone.getByTestId(`table-${n}`).textContent()).toBe(`Table ${n}, libre, 4 places`);
  });

  it('the open-table dialog: cancel leaves the table free; 3 covers picked, the table opens', async () => {
    await phone.getByTestId('table-1').click();
    const dialog = phone.getByRole('dialog', { name: 'Table 1 : combien de couverts ?' });
    await dialog.waitFor();
    await look(phone, 'walk-05-open-dialog-phone');
    await dialog.getByRole('button', { name: 'Annuler' }).click();
    expect(await phone.getByRole('dialog').count()).toBe(0);
    expect(await orderAt('1')).toBeUndefined();
    await phone.getByTestId('table-1').click();
    // 2 covers by default; − once then the quick « 3 ».
    expect(await phone.getByTestId('covers').textContent()).toBe('2');
    await phone.getByRole('button', { name: '3', exact: true }).click();
    expect(await phone.getByTestId('covers').textContent()).toBe('3');
    await phone.getByTestId('open-table').click();
    await phone.getByRole('heading', { name: /Table 1/ }).waitFor();
    await expect.poll(async () => (await orderAt('1'))?.covers).toBe(3);
    await look(phone, 'walk-06-order-empty-phone');
  });

  it('the menu picker: categories, then search', async () => {
    await phone.getByRole('button', { name: '+ Ajouter' }).click();
    await phone.getByRole('searchbox').waitFor();
    await look(phone, 'walk-07-picker-phone');
    // Three categories used by the menu; Boissons holds Pression alone.
    const categories = phone.getByRole('navigation', { name: /catégories/i }).getByRole('button');
    expect((await categories.allTextContents()).sort()).toEqual(['Boissons', 'Desserts', 'Plats']);
    await categories.filter({ hasText: 'Boissons' }).click();
    expect(await phone.getByTestId('dish').locator('.name').allTextContents()).toEqual(['Pression']);
    await categories.filter({ hasText: 'Plats' }).click();
    expect((await phone.getByTestId('dish').locator('.name').allTextContents()).sort()).toEqual([
      'Entrecôte',
      'Magret',
      'Salade de chèvre',
    ]);
    await phone.getByRole('searchbox').fill('chev');
    await expect.poll(() => phone.getByTestId('dish').locator('.name').allTextContents()).toEqual(['Salade de chèvre']);
    await look(phone, 'walk-08-picker-search-phone');
    await phone.getByRole('searchbox').fill('');
  });

  // Found by the walk, fixed since: on a phone the search field shares its row with « Place » and « Voir la commande » and is left
  // ~85 px wide: its placeholder reads « Cherc » (client/salle/style.css, .picker-head).
  it('the picker’s search field on a phone is wide enough to read « Chercher un plat, une boisson… »', async () => {
    const toggle = phone.getByRole('button', { name: '+ Ajouter' });
    if (await toggle.isVisible()) await toggle.click();
    const box = (await phone.getByRole('searchbox').boundingBox())!;
    // The placeholder's own width, in the field's font, plus its padding.
    const needed = await phone.getByRole('searchbox').evaluate((el: HTMLInputElement) => {
      const ctx = document.createElement('canvas').getContext('2d')!;
      const cs = getComputedStyle(el);
      ctx.font = `${cs.fontSize} ${cs.fontFamily}`;
      return ctx.measureText(el.placeholder).width + parseFloat(cs.paddingLeft) + parseFloat(cs.paddingRight);
    });
    expect(box.width).toBeGreaterThanOrEqual(needed);
  });

  it('the options dialog of a dish with a required « Cuisson »: cancel adds nothing, a choice adds it', async () => {
    await pickDish(phone, 'Entrecôte');
    const dialog = phone.getByRole('dialog', { name: /Entrecôte/ });
    await dialog.waitFor();
    expect(await phone.getByTestId('mods-add').isDisabled()).toBe(true);
    await look(phone, 'walk-09-modifiers-phone');
    await dialog.getByRole('button', { name: 'Annuler' }).click();
    await showOrder(phone);
    expect(await phone.getByTestId('order-line').count()).toBe(0);
    await pickDish(phone, 'Entrecôte');
    await phone.getByRole('button', { name: 'Saignant' }).click();
    expect(await phone.getByRole('button', { name: 'Saignant' }).getAttribute('aria-pressed')).toBe('true');
    await phone.getByTestId('mods-add').click();
    await showOrder(phone);
    await expect.poll(() => phone.getByTestId('order-line').filter({ hasText: 'Entrecôte' }).textContent()).toContain('(Saignant)');
  });

  it('an order with lines of every state: new, sent, waiting, voided', async () => {
    await pickDish(phone, 'Salade de chèvre');
    await pickDish(phone, 'Pression');
    await showOrder(phone);
    // Entrecôte 22,00 + Salade 9,50 + Pression 3,50 = 35,00 €.
    await expect.poll(async () => euros(await phone.getByTestId('order-total').textContent())).toBe('35,00 €');
    await phone.getByTestId('send').click();
    // Starter and drink go now; the main course waits for Suite.
    await expect.poll(() => lineState(phone, 'Salade').textContent()).toBe('envoyé');
    await expect.poll(() => lineState(phone, 'Pression').textContent()).toBe('envoyé');
    await expect.poll(() => lineState(phone, 'Entrecôte').textContent()).toBe('en attente');
    // The sent line's dialog, its void form.
    await phone.getByTestId('order-line').filter({ hasText: 'Pression' }).click();
    await phone.getByRole('dialog', { name: 'Pression' }).waitFor();
    await look(phone, 'walk-10-line-sent-phone');
    await phone.getByTestId('void').click();
    await look(phone, 'walk-11-line-void-form-phone');
    await phone.getByTestId('void-reason').fill('renversée');
    await phone.getByTestId('void-confirm').click();
    await expect.poll(() => lineState(phone, 'Pression').textContent()).toBe('annulé');
    await pickDish(phone, 'Croustade');
    await showOrder(phone);
    await expect.poll(() => lineState(phone, 'Croustade').textContent()).toBe('à envoyer');
    // 35,00 − 3,50 + 7,50 = 39,00 €.
    await expect.poll(async () => euros(await phone.getByTestId('order-total').textContent())).toBe('39,00 €');
    await look(phone, 'walk-12-order-states-phone');
    await screenshot(phone, 'walk-12b-order-states-phone-full', { fullPage: true });
    // The server agrees on every line's state.
    await expect
      .poll(async () => (await orderAt('1'))!.lines.map((l) => [l.name, l.status, l.status === 'sent' ? l.firedAt !== null : null]).sort())
      .toEqual([
        ['Croustade', 'new', null],
        ['Entrecôte', 'sent', false],
        ['Pression', 'voided', null],
        ['Salade de chèvre', 'sent', true],
      ]);
  });

  it('the line dialog of a new line: quantity, then Fermer changes nothing', async () => {
    await phone.getByTestId('order-line').filter({ hasText: 'Croustade' }).click();
    const dialog = phone.getByRole('dialog', { name: 'Croustade' });
    await dialog.waitFor();
    await look(phone, 'walk-13-line-new-phone');
    await dialog.getByRole('button', { name: 'Fermer' }).click();
    expect(await phone.getByRole('dialog').count()).toBe(0);
    expect(await phone.getByTestId('order-line').filter({ hasText: 'Croustade' }).locator('.qty').textContent()).toBe('1 ×');
  });

  it('the note dialog and the « Plus… » dialog, each cancelled', async () => {
    await phone.getByTestId('note').click();
    await phone.getByRole('dialog').waitFor();
    await look(phone, 'walk-14-note-dialog-phone');
    await phone.getByRole('dialog').getByRole('button', { name: 'Annuler' }).click();
    expect(await phone.getByRole('dialog').count()).toBe(0);
    await phone.getByRole('button', { name: 'Plus…' }).click();
    await phone.getByRole('dialog', { name: 'Plus…' }).waitFor();
    await look(phone, 'walk-15-more-dialog-phone');
    await phone.getByRole('dialog').getByRole('button', { name: 'Fermer' }).click();
    expect(await phone.getByRole('dialog').count()).toBe(0);
  });

  it('the table chooser (move the table), left with Retour: the order stays at table 1', async () => {
    await phone.getByRole('button', { name: 'Plus…' }).click();
    await phone.getByTestId('transfer').click();
    await phone.getByTestId('choose-2').waitFor();
    // Free tables only, table 1 itself excluded.
    expect(await phone.locator('.chooser-grid button').allTextContents()).toEqual(['2', '3', '4', '5', '6']);
    await look(phone, 'walk-16-table-chooser-phone');
    await phone.getByRole('button', { name: '← Retour' }).click();
    await phone.getByRole('heading', { name: /Table 1/ }).waitFor();
    expect((await orderAt('1'))?.tableId).toBe(tables['1']);
  });

  it('the kitchen TV: paired by typing the code, shows the ticket, Suite, ANNULÉ, and the served list', async () => {
    tv = await device(TV);
    await tv.goto('/cuisine/');
    await tv.getByRole('button', { name: 'Appairer la tablette' }).waitFor();
    await look(tv, 'walk-17-kitchen-pair-tv');
    await tv.getByLabel('Code').fill(await pairingCode('Écran cuisine'));
    await tv.keyboard.press('Enter');
    await tv.getByRole('heading', { name: 'Poste Cuisine' }).waitFor();
    // The first order's ticket (Salade now, Entrecôte later) is there.
    const t1 = tv.getByTestId('kitchen-ticket').filter({ hasText: 'Table 1' });
    await expect.poll(() => t1.count()).toBe(1);
    expect(await t1.textContent()).toContain('Salade de chèvre');
    // Send the Croustade, then Suite for the main course.
    await phone.getByTestId('send').click();
    await expect.poll(() => phone.getByTestId('fire').textContent()).toBe('Suite : Plats');
    await phone.getByTestId('fire').click();
    await expect.poll(() => tv.getByTestId('kitchen-ticket').filter({ hasText: 'SUITE' }).count()).toBe(1);
    // The first ticket's « à suivre » Entrecôte says it was asked for (found by a walk: it read « à suivre »
    // still, beside its Suite ticket).
    await expect.poll(() => t1.locator('.waiting li').filter({ hasText: 'Entrecôte' }).textContent()).toContain('→ demandé par la salle');
    // Cancel the sent salad: the kitchen sees ANNULÉ and why.
    await phone.getByTestId('order-line').filter({ hasText: 'Salade' }).click();
    await phone.getByTestId('void').click();
    await phone
      .getByRole('button', { name: 'Erreur de saisie' })
      .click()
      .catch(async () => phone.getByTestId('void-reason').fill('erreur'));
    await phone.getByTestId('void-confirm').click();
    await expect.poll(() => tv.getByTestId('kitchen-ticket').filter({ hasText: 'ANNULÉ' }).count()).toBe(1);
    // And the salad is struck on the ticket it came on, not left live there (found by a walk).
    await expect.poll(() => t1.locator('li.cancelled').filter({ hasText: 'Salade de chèvre' }).textContent()).toMatch(/annulé$/);
    await look(tv, 'walk-18-kitchen-tickets-tv');
    await screenshot(tv, 'walk-18b-kitchen-tickets-tv-full', { fullPage: true });
    // Prêt, then Servi on the first ticket: it goes to the served list.
    const first = tv.getByTestId('kitchen-ticket').first();
    await first.getByTestId('bump').click();
    await expect.poll(() => first.getByTestId('bump').textContent()).toBe('Servi');
    await first.getByTestId('bump').click();
    await tv.getByRole('region', { name: /servi/i }).waitFor();
    await look(tv, 'walk-19-kitchen-served-tv');
  });

  it('the kitchen TV with the keyboard: Tab reaches each ticket’s buttons, arrows move between tickets, Space bumps', async () => {
    const order = await tabOrder(tv, 12);
    // The header's controls first, then the tickets' buttons, in reading order.
    expect(order.slice(0, 2)).toEqual([expect.stringMatching(/Poste|Cuisine|Bar/), expect.stringMatching(/Son/)]);
    const count = await tv.getByTestId('bump').count();
    expect(count).toBeGreaterThan(1);
    expect(await tabTo(tv, (f) => f.testid === 'bump')).toBeGreaterThan(0);
    await tv.keyboard.press('ArrowRight');
    const second = await tv.evaluate(() => [...document.querySelectorAll('button.bump')].indexOf(document.activeElement!));
    expect(second).toBe(1);
    const before = await tv.getByTestId('bump').nth(1).textContent();
    await tv.keyboard.press(' ');
    // Prêt → Servi on that ticket (or Vu for a cancellation).
    await expect.poll(() => tv.getByTestId('bump').nth(1).textContent()).not.toBe(before);
  });

  // Found by the walk, fixed since: the kitchen screen has no « English » link (client/cuisine/main.tsx reads the language from
  // localStorage once and offers no way to change it on the TV).
  it('the kitchen screen offers the « English » link, as the waiter’s app does', async () => {
    expect(
      await tv
        .getByRole('button', { name: 'English' })
        .or(tv.getByRole('link', { name: 'English' }))
        .count(),
    ).toBe(1);
  });

  it('the bill by item and in equal parts, then the payment screen (cancelled, then paid)', async () => {
    await phone.getByTestId('bill').click();
    await phone.getByTestId('bill-total').waitFor();
    // Left: Entrecôte 22,00 + Croustade 7,50 = 29,50 € (the two cancelled lines are not on the bill).
    expect(euros(await phone.getByTestId('bill-total').textContent())).toBe('29,50 €');
    expect((await phone.locator('.bill-lines li .name').allTextContents()).map((x) => x.split(' ·')[0]).sort()).toEqual([
      'Croustade',
      // With its options: two of a dish at two prices are told apart.
      'Entrecôte (Saignant)',
    ]);
    await look(phone, 'walk-20-bill-items-phone');
    await phone.getByTestId('split-equal').click();
    // 29,50 in 2: 14,75 each.
    await expect.poll(async () => euros(await phone.getByTestId('part-pay').textContent())).toBe('Encaisser la part 1/2 : 14,75 €');
    await look(phone, 'walk-21-bill-equal-phone');
    await phone.getByRole('button', { name: 'Par article' }).click();
    // Everything paid closes the table, and the Croustade (a dessert, sent after the mains' Suite) was never
    // asked of the kitchen: the waiter is asked first (found by a walk: the table closed, the dessert never made).
    await phone.getByTestId('bill-pay').click();
    const check = phone.getByTestId('unfired-check');
    await check.waitFor();
    expect(await check.locator('h2').textContent()).toBe('1 article jamais demandé en cuisine');
    expect(await check.locator('li').allTextContents()).toEqual(['1 × Croustade']);
    await look(phone, 'walk-21b-bill-unfired-phone');
    // Settled anyway: the payment screen, for the table and its 2 articles.
    await phone.getByTestId('unfired-pay').click();
    await phone.getByTestId('add-payment').waitFor();
    expect(await phone.getByTestId('pay-for').textContent()).toBe('Table 1 — 2 articles');
    await look(phone, 'walk-22-payment-phone');
    // Cancelled: back to the order, nothing paid.
    await phone.getByRole('button', { name: 'Annuler le paiement' }).click();
    await expect.poll(async () => (await orderAt('1'))?.lines.every((l) => l.paidQuantity === 0)).toBe(true);
    await phone.getByTestId('bill').click();
    await phone.getByTestId('bill-pay').click();
    // Asked again; this time the dessert is asked for, and the bill is then paid with no question.
    await phone.getByTestId('unfired-fire').click();
    await expect.poll(async () => (await orderAt('1'))?.lines.find((l) => l.name === 'Croustade')?.firedAt ?? null).not.toBeNull();
    await phone.getByTestId('bill-pay').click();
    await phone.getByTestId('add-payment').click();
    await expect.poll(() => phone.getByTestId('ticket-state').textContent()).toContain('enregistré');
    await look(phone, 'walk-23-done-phone');
    await phone.getByRole('button', { name: 'Pas de ticket' }).click();
    await expect.poll(async () => await orderAt('1')).toBeUndefined();
    // Paid in full: the phone says so and goes back to the floor, table 1 free.
    await phone.getByText('Cette table est réglée et libre.').waitFor();
    await phone.getByRole('button', { name: 'Retour' }).click();
    await expect.poll(() => phone.getByTestId('table-1').textContent()).toBe('Table 1, libre, 4 places');
  });

  it('the tablet: paired and logged in, its floor and an order', async () => {
    tablet = await device(TABLET);
    await tablet.goto(`/salle/?pair=${await pairingCode('Tablette')}`);
    await tablet.getByRole('button', { name: /Chloé/ }).click();
    for (const d of '2468') await tablet.keyboard.press(d);
    await tablet.keyboard.press('Enter');
    await tablet.getByTestId('table-1').waitFor();
    await look(tablet, 'walk-24-floor-tablet');
  });

  it('the tablet with the keyboard alone: open table 5, add two dishes, send', async () => {
    expect(await tabTo(tablet, (f) => f.testid === 'table-5')).toBeGreaterThan(0);
    await tablet.keyboard.press('Enter');
    await tablet.getByRole('dialog').waitFor();
    expect(await tabTo(tablet, (f) => f.testid === 'open-table')).toBeGreaterThan(0);
    await tablet.keyboard.press('Enter');
    await tablet.getByRole('heading', { name: /Table 5/ }).waitFor();
    // Pression twice: one line of 2, not two lines (found by a walk: each tap was a line of its own, on the phone
    // and on the bar's ticket).
    for (const dish of ['Magret', 'Pression', 'Pression']) {
      expect(await tabTo(tablet, (f) => f.tag === 'input' && /Chercher un plat/.test(f.text))).toBeGreaterThan(0);
      await tablet.keyboard.type(dish);
      expect(await tabTo(tablet, (f) => f.testid === 'dish' && f.text.startsWith(dish))).toBeGreaterThan(0);
      await tablet.keyboard.press('Enter');
    }
    await expect.poll(() => tablet.getByTestId('order-line').filter({ hasText: 'Pression' }).textContent()).toContain('2 ×');
    expect(await tablet.getByTestId('order-line').count()).toBe(2);
    await look(tablet, 'walk-25-order-tablet');
    expect(await tabTo(tablet, (f) => f.testid === 'send')).toBeGreaterThan(0);
    await tablet.keyboard.press('Enter');
    await expect
      .poll(async () => (await orderAt('5'))?.lines.map((l) => [l.name, l.quantity, l.status]).sort())
      .toEqual([
        ['Magret', 1, 'sent'],
        ['Pression', 2, 'sent'],
      ]);
    await tablet.getByRole('button', { name: '← Plan de salle' }).click();
  });

  it('the order screen’s Tab order: back, covers, the lines, then the actions (the note before the bill)', async () => {
    await tablet.getByTestId('table-5').click();
    await tablet.getByRole('heading', { name: /Table 5/ }).waitFor();
    const order = await tabOrder(tablet, 60);
    const at = (x: string) => order.findIndex((o) => o === x || o.startsWith(x));
    expect(at('← Plan de salle')).toBeGreaterThanOrEqual(0);
    expect(at('← Plan de salle')).toBeLessThan(at('order-line'));
    // Everything is sent: Envoyer and Suite are disabled, the note and the bill come after the lines.
    expect(at('order-line')).toBeLessThan(at('note'));
    expect(at('note')).toBeLessThan(at('bill'));
  });

  // The dialogs, with a mouse-less waiter: the focus goes into the dialog when it opens, stays in it, and Escape closes it.
  it('a dialog takes the focus when it opens (open-table dialog)', async () => {
    await tablet.getByRole('button', { name: '← Plan de salle' }).click();
    await tablet.getByTestId('table-6').focus();
    await tablet.keyboard.press('Enter');
    await tablet.getByRole('dialog').waitFor();
    try {
      expect((await focused(tablet)).inDialog).toBe(true);
    } finally {
      await tablet.getByRole('dialog').getByRole('button', { name: 'Annuler' }).click();
    }
  });

  it('Escape closes a dialog (the line dialog)', async () => {
    await tablet.getByTestId('table-5').click();
    await tablet.getByTestId('order-line').first().click();
    await tablet.getByRole('dialog').waitFor();
    await tablet.keyboard.press('Escape');
    try {
      expect(await tablet.getByRole('dialog').count()).toBe(0);
    } finally {
      const close = tablet.getByRole('dialog').getByRole('button', { name: 'Fermer' });
      if (await close.count()) await close.click();
    }
  });

  it('Tab stays inside an open dialog (« Plus… »)', async () => {
    await tablet.getByRole('button', { name: 'Plus…' }).click();
    await tablet.getByRole('dialog').waitFor();
    await tablet.getByRole('dialog').getByRole('button').first().focus();
    const outside: string[] = [];
    for (let i = 0; i < 8; i++) {
      await tablet.keyboard.press('Tab');
      const f = await focused(tablet);
      if (!f.inDialog) outside.push(f.testid || f.text);
    }
    await tablet.getByRole('dialog').getByRole('button', { name: 'Fermer' }).click();
    expect(outside).toEqual([]);
  });

  it('Space on a focused control acts like a tap (the « Plus… » button opens its dialog; Fermer closes it)', async () => {
    await tablet.getByRole('button', { name: 'Plus…' }).focus();
    await tablet.keyboard.press(' ');
    await tablet.getByRole('dialog').waitFor();
    await tablet.getByRole('dialog').getByRole('button', { name: 'Fermer' }).focus();
    await tablet.keyboard.press(' ');
    await expect.poll(() => tablet.getByRole('dialog').count()).toBe(0);
  });

  // Found by the walk, fixed since: in « Parts égales », « Nombre de parts » is a <label> wrapping the − and + buttons; a <button> is
  // labelable, so a tap on the words is a tap on « − » (client/salle/Bill.tsx, the label.parts-pick).
  it('the bill in equal parts: a tap on the words « Nombre de parts » changes nothing', async () => {
    await tablet.getByTestId('bill').click();
    await tablet.getByTestId('split-equal').click();
    await tablet.getByRole('button', { name: 'Une part de plus' }).click();
    await expect.poll(() => tablet.getByTestId('parts').textContent()).toBe('3');
    try {
      await tablet.getByText('Nombre de parts').click();
      await tablet.waitForTimeout(300);
      expect(await tablet.getByTestId('parts').textContent()).toBe('3');
    } finally {
      await tablet.getByRole('button', { name: 'Par article' }).click();
      await tablet.getByRole('button', { name: '← Retour' }).click();
      await tablet.getByRole('button', { name: '← Plan de salle' }).click();
    }
  });

  // Thumbs on a phone: every control of the floor and of an order at least 44 × 44 CSS pixels (WCAG 2.5.5's size).
  it('every control on the phone’s floor and order screens is at least 44 × 44 px', async () => {
    const small = async () =>
      phone.evaluate(() =>
        [...document.querySelectorAll<HTMLElement>('button, a, input, select')]
          .filter((el) => el.offsetParent !== null)
          .map((el) => ({ el, r: el.getBoundingClientRect() }))
          .filter(({ r }) => r.width < 44 || r.height < 44)
          .map(
            ({ el, r }) =>
              `${(el.textContent ?? '').trim() || el.getAttribute('aria-label')} ${Math.round(r.width)}×${Math.round(r.height)}`,
          ),
      );
    const found = [...(await small())];
    await phone.getByTestId('table-5').click();
    await phone.getByRole('heading', { name: /Table 5/ }).waitFor();
    found.push(...(await small()));
    await phone.getByRole('button', { name: '← Plan de salle' }).click();
    expect(found).toEqual([]);
  });

  it('a table opened at once on two phones: the second waiter is told and lands on the open order, their dish kept', async () => {
    other = await device(PHONE);
    await other.goto(`/salle/?pair=${await pairingCode('Salle 2')}`);
    await other.getByRole('button', { name: /Baptiste/ }).click();
    for (const d of '8642') await other.keyboard.press(d);
    await other.keyboard.press('Enter');
    await other.getByTestId('table-3').waitFor();
    // Both waiters tap table 3 while it is free.
    await phone.getByTestId('table-3').click();
    await other.getByTestId('table-3').click();
    await phone.getByTestId('open-table').click();
    await phone.getByRole('heading', { name: /Table 3/ }).waitFor();
    await expect.poll(async () => (await orderAt('3'))?.waiterName).toBe('Inès');
    await other.getByTestId('open-table').click();
    await other.waitForTimeout(1500);
    await look(other, 'walk-26-table-taken-phone');
    // One order at table 3, Inès's.
    expect((await openOrders()).filter((o) => o.tableId === tables['3'])).toHaveLength(1);
  });

  // Found by the walk, fixed since: the second phone's « open » is refused by the server (« La table 3 est déjà ouverte »), and the
  // phone then shows « Cette table est réglée et libre. » with no way to add to the open order.
  it('the second phone says the table is already open (never « réglée et libre ») and lets the waiter add to it', async () => {
    try {
      const text = (await other.locator('main').textContent()) ?? '';
      expect(text).not.toContain('Cette table est réglée et libre.');
      expect(text).toContain('déjà ouverte');
      await pickDish(other, 'Magret');
      await expect.poll(async () => (await orderAt('3'))!.lines.map((l) => l.name)).toContain('Magret');
    } finally {
      const back = other.getByRole('button', { name: /Retour|Plan de salle/ }).first();
      if (await back.isVisible()) await back.click();
    }
  }, 20_000);

  it('switching to English and back: the floor and an order in English, kept after a reload', async () => {
    await other.getByRole('button', { name: 'English' }).click();
    await expect.poll(() => other.getByTestId('table-1').textContent()).toBe('Table 1, free, 4 seats');
    expect(await other.evaluate(() => document.documentElement.lang)).toBe('en');
    await look(other, 'walk-27-floor-english-phone');
    // An order, in English too: Chloé's table 5, all sent.
    await other.getByTestId('table-5').click();
    await expect.poll(() => other.getByTestId('send').textContent()).toBe('Send (0)');
    // Magret 18,50 + 2 × Pression 3,50 = 25,50.
    expect(euros(await other.getByTestId('order-total').textContent())).toBe('€25.50');
    await look(other, 'walk-27b-order-english-phone');
    await other.getByRole('button', { name: '← Floor plan' }).click();
    await other.reload();
    await other
      .getByTestId('table-1')
      .or(other.getByRole('button', { name: /Baptiste/ }))
      .first()
      .waitFor();
    expect(await other.getByRole('button', { name: 'Français' }).count()).toBe(1);
    await other.getByRole('button', { name: 'Français' }).click();
    await other.getByRole('button', { name: 'English' }).waitFor();
  });

  it('reloading mid-order keeps the lines not sent yet; the waiter gets back to the order', async () => {
    // Inès, at table 3: a Croustade not sent yet, then the page reloaded.
    await pickDish(phone, 'Croustade');
    await showOrder(phone);
    await expect.poll(() => lineState(phone, 'Croustade').textContent()).toBe('à envoyer');
    await phone.reload();
    await phone.waitForTimeout(2000);
    await screenshot(phone, 'walk-30-after-reload-phone');
    // Locked or not after a reload, the order it was showing comes back (after the PIN if asked).
    const lock = phone.locator('.staff-tile', { hasText: 'Inès' });
    const order = phone.getByRole('heading', { name: /Table 3/ });
    await order.or(lock).first().waitFor();
    if (await lock.isVisible()) {
      await lock.click();
      for (const d of '1357') await phone.keyboard.press(d);
      await phone.keyboard.press('Enter');
    }
    await order.waitFor();
    await expect.poll(() => lineState(phone, 'Croustade').textContent()).toBe('à envoyer');
    expect((await orderAt('3'))!.lines.filter((l) => l.name === 'Croustade').map((l) => l.status)).toEqual(['new']);
  });

  it('the phone’s Back gesture on an order goes back to the floor, not out of the app', async () => {
    await phone.getByRole('heading', { name: /Table 3/ }).waitFor();
    try {
      await phone.goBack({ timeout: 5000 }).catch(() => null);
      await phone.waitForTimeout(500);
      expect(new URL(phone.url()).pathname).toBe('/salle/');
      await phone.getByTestId('table-3').waitFor({ timeout: 3000 });
    } finally {
      if (new URL(phone.url()).pathname !== '/salle/') await phone.goto('/salle/');
    }
  });

  it('the back office « Salle et cuisine », on a tablet and on a phone', async () => {
    for (const [viewport, name] of [
      [TABLET, 'walk-28-backoffice-floor-tablet'],
      [PHONE, 'walk-29-backoffice-floor-phone'],
    ] as const) {
      const page = await device(viewport);
      await page.goto('/');
      await page.getByLabel('Identifiant').fill('admin');
      await page.getByLabel('Mot de passe').fill('admin-password-1');
      await page.getByRole('button', { name: 'Se connecter' }).click();
      await page.getByRole('link', { name: 'Salle et cuisine' }).click();
      await page.getByTestId('edit-table-6').waitFor();
      await look(page, name);
      await screenshot(page, `${name}-full`, { fullPage: true });
    }
  });
});

describe('each screen passes axe (WCAG 2.1 AA, no critical or serious finding)', () => {
  const screens = [
    'walk-01-pair-phone',
    'walk-02-lock-phone',
    'walk-03-lock-pin-phone',
    'walk-04-floor-phone',
    'walk-05-open-dialog-phone',
    'walk-06-order-empty-phone',
    'walk-07-picker-phone',
    'walk-08-picker-search-phone',
    'walk-09-modifiers-phone',
    'walk-10-line-sent-phone',
    'walk-11-line-void-form-phone',
    'walk-12-order-states-phone',
    'walk-13-line-new-phone',
    'walk-14-note-dialog-phone',
    'walk-15-more-dialog-phone',
    'walk-16-table-chooser-phone',
    'walk-17-kitchen-pair-tv',
    'walk-18-kitchen-tickets-tv',
    'walk-19-kitchen-served-tv',
    'walk-20-bill-items-phone',
    'walk-21-bill-equal-phone',
    'walk-22-payment-phone',
    'walk-23-done-phone',
    'walk-24-floor-tablet',
    'walk-25-order-tablet',
    'walk-26-table-taken-phone',
    'walk-27-floor-english-phone',
    'walk-27b-order-english-phone',
    'walk-28-backoffice-floor-tablet',
    'walk-29-backoffice-floor-phone',
  ];
  // Once failing, now fixed: the chosen waiter's role on the PIN lock (4.24:1), a kitchen ticket's course
  // « — À SUIVRE » heading (3.86:1). A screen named here would be run as a known problem.
  const failing = new Set<string>([]);
  for (const name of screens) (failing.has(name) ? knownProblem : it)(name, () => expect(a11y.get(name)).toEqual([]));
});
