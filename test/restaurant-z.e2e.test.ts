import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN, aProducer, aProduct, aUser, startTestShop, type TestShop } from './support/harness.ts';
import { accessibilityProblems, launchBrowser, screenshot, shopOrigin } from './support/browser.ts';
import { uuidv7 } from './support/tickets.ts';

/**
 * The evening in the restaurant, in Chromium: table 7 is still open, a 12,50 € dish on it, when the manager
 * closes the day. The page and the early Z's question name it; the manager's « Oui » closes with the open table
 * listed on the Z, its PDF and the closed day's page.
 */
let shop: TestShop;
let browser: Browser;

beforeAll(async () => {
  shop = await startTestShop({ serveClient: true });
  const till = await shop.admin.post('/api/tills', { outlet: 'restaurant', name: 'Salle' });
  const room = await shop.admin.post('/api/rooms', { name: 'Terrasse' });
  const table = await shop.admin.post(`/api/rooms/${room.body.id}/tables`, { name: '7', seats: 4 });
  const waiter = (await aUser(shop, 'waiter', { tillId: till.body.id })).client;
  const order = uuidv7();
  const opened = await waiter.post(`/api/orders/${order}/ops`, {
    id: uuidv7(),
    at: new Date().toISOString(),
    kind: 'open',
    tableId: table.body.id,
    covers: 3,
  });
  expect(opened.status).toBe(201);
  const dish = await aProduct(shop.admin, {
    name: 'Cassoulet',
    producerId: null,
    outlets: ['restaurant'],
    priceCents: 1250,
    vatRateBp: 1000,
  });
  const added = await waiter.post(`/api/orders/${order}/ops`, {
    id: uuidv7(),
    at: new Date().toISOString(),
    kind: 'add',
    lineId: uuidv7(),
    productId: dish.id,
    quantity: 1,
  });
  expect(added.status).toBe(201);
  // The restaurant's receipt printer (the X and the Z print there), and a counter sale of ten producers' goods
  // at 1,00 € to 10,00 €: the day's page lists eight, and the two others in one row (it left them out).
  const printer = await shop.admin.post('/api/printers', {
    name: 'Caisse salle',
    role: 'receipt',
    uri: 'file:salle',
    columns: 48,
    codePage: 'pc858',
    outlet: 'restaurant',
  });
  expect(printer.status).toBe(201);
  const lines: { productId: number; quantity: number; unitPriceCents: number }[] = [];
  for (let i = 1; i <= 10; i++) {
    const producer = await aProducer(shop.admin, { name: `Producteur ${String(i).padStart(2, '0')}` });
    const product = await aProduct(shop.admin, {
      name: `Bocal ${i}`,
      producerId: producer.id,
      outlets: ['restaurant'],
      priceCents: 100 * i,
      vatRateBp: 550,
      stockTracked: false,
    });
    lines.push({ productId: product.id, quantity: 1, unitPriceCents: 100 * i });
  }
  // 1,00 + 2,00 + … + 10,00 = 55,00 €.
  const counter = await waiter.post('/api/sales', {
    id: uuidv7(),
    tillId: till.body.id,
    number: 1,
    createdAt: new Date(Date.now() - 60_000).toISOString(),
    lines,
    payments: [{ method: 'card', amountCents: 5500 }],
    totalCents: 5500,
  });
  expect(counter.status, JSON.stringify(counter.body)).toBe(201);
  browser = await launchBrowser({ trustShopCa: shop.dataDir });
}, 60_000);

afterAll(async () => {
  await browser?.close();
  await shop?.close();
});

describe('the restaurant’s Z with a table still open', { timeout: 60_000 }, () => {
  it('is refused naming the table, then closed with it listed once the manager says so', async () => {
    const context = await browser.newContext({ viewport: { width: 1280, height: 800 }, locale: 'fr-FR', timezoneId: 'Europe/Paris' });
    const page = await context.newPage();
    await page.goto(shopOrigin(shop.server.port));
    await page.getByLabel('Identifiant').fill(ADMIN.login);
    await page.getByLabel('Mot de passe').fill(ADMIN.password);
    await page.getByRole('button', { name: 'Se connecter' }).click();
    await page.getByRole('link', { name: 'Journée et clôture' }).click();
    await page.getByLabel('Point de vente').first().selectOption('restaurant');
    // The X says it first, before anyone counts or closes (found by a newcomer's walk: the tables came up
    // only after the gap was explained and the early close confirmed); what is still owed beside each.
    await expect
      .poll(async () => (await page.getByTestId('open-tables').textContent()) ?? '')
      .toMatch(/^Tables encore ouvertes : 7 \(12,50\s€\)\./);
    // Producers 10 to 3 by name, then « Autres producteurs (2) » for 2,00 + 1,00 = 3,00 €.
    const producers = page.locator('table.figures', { hasText: 'Par producteur' }).locator('tbody tr');
    expect(await producers.count()).toBe(9);
    const cells = async (row: ReturnType<typeof page.locator>) =>
      (await row.locator('td').allTextContents()).map((x) => x.replace(/\s/g, ' '));
    expect(await cells(producers.first())).toEqual(['Producteur 10', '10,00 €']);
    expect(await cells(page.getByTestId('producers-others'))).toEqual(['Autres producteurs (2)', '3,00 €']);
    // The X printed; its « Envoyé à l’imprimante » must not stay under the Z's button once the day is closed.
    await page.getByRole('button', { name: 'Imprimer le X' }).click();
    await page.getByText('Envoyé à l’imprimante.').waitFor();
    await page.getByRole('button', { name: 'Clôturer la journée (Z)' }).click();
    // Today is not over: the manager confirms first (where later sales go is said, and the table still open
    // repeated), then the open table is.
    expect(await page.getByTestId('early-open-tables').textContent()).toMatch(
      /^Tables encore ouvertes : 7 \(12,50\s€\)\. Elles seront listées sur ce Z\.$/,
    );
    // The tables still open are read with the dialog (its description), not after it.
    expect(
      await page.getByRole('alertdialog').evaluate((d) => document.getElementById(d.getAttribute('aria-describedby') ?? '')?.textContent),
    ).toMatch(/^Tables encore ouvertes : 7 /);
    // Escape is « Non, attendre »: the dialog goes and the focus is back on the Z's button, not on the page.
    await page.keyboard.press('Escape');
    expect(await page.getByRole('alertdialog').count()).toBe(0);
    await expect.poll(() => page.evaluate(() => document.activeElement?.textContent)).toBe('Clôturer la journée (Z)');
    await page.keyboard.press('Enter');
    // « Oui »: the question named the open table, so it closes, listing it (a third click was asked: found by a
    // walk).
    await page.getByRole('button', { name: 'Oui, clôturer maintenant' }).click();
    await expect.poll(async () => (await page.getByTestId('z-done').textContent()) ?? '').toContain('Z n° 1');
    await page.getByRole('button', { name: 'Imprimer le Z' }).waitFor();
    expect(await page.getByText('Envoyé à l’imprimante.').count()).toBe(0);
    const z = (await shop.admin.get('/api/closings?outlet=restaurant&kind=day')).body[0];
    expect(z.figures.openTables).toEqual([{ table: '7', orderId: expect.any(String), totalCents: 1250, leftCents: 1250 }]);
    // The closed day's page names it, and so does the Z's PDF, with what it still owed (found by a walk: only
    // the chained figures had it).
    await expect
      .poll(async () => (await page.getByTestId('open-tables').textContent()) ?? '')
      .toMatch(/^Tables encore ouvertes à la clôture, listées sur le Z avec ce qu’elles devaient : 7 \(12,50\s€\)\.$/);
    expect(await accessibilityProblems(page)).toEqual([]);
    await screenshot(page, 'restaurant-z-open-tables');
    const pdf = await shop.admin.get(`/api/closings/${z.id}.pdf`);
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'comptoir-z-'));
    fs.writeFileSync(path.join(dir, 'z.pdf'), pdf.raw);
    const text = execFileSync('pdftotext', ['-layout', path.join(dir, 'z.pdf'), '-'])
      .toString()
      .replace(/\u00a0/g, ' ')
      .replace(/[ \t]+/g, ' ');
    const section = text.slice(text.indexOf('Tables encore ouvertes à la clôture'));
    expect(section).toMatch(/\n ?7 12,50 € 12,50 €\n/);
    expect(section).toMatch(/\n ?Total 12,50 €\n/);
    await context.close();
  });
});

describe('the shop’s Z with tickets astray', { timeout: 60_000 }, () => {
  it('names the numbers never received and the refused ticket, before anyone closes', async () => {
    // Till 1 sends n° 1 and 3 (n° 2 still on a tablet), and hands a refused refund, n° 4 (−2,50 €), to the log.
    const ferme = await aProducer(shop.admin);
    const productId = (await aProduct(shop.admin, { name: 'Confiture', producerId: ferme.id, priceCents: 250 })).id;
    await shop.admin.post('/api/stock/deposits', { producerId: ferme.id, lines: [{ productId, quantity: 10 }] });
    const till = (await aUser(shop, 'cashier')).client;
    for (const number of [1, 3]) {
      const sold = await till.post('/api/sales', {
        id: uuidv7(),
        tillId: 1,
        number,
        createdAt: new Date().toISOString(),
        lines: [{ productId, quantity: 1, unitPriceCents: 250 }],
        payments: [{ method: 'cash', amountCents: 250 }],
        totalCents: 250,
      });
      expect(sold.status).toBe(201);
    }
    const id = uuidv7();
    const now = new Date().toISOString();
    const refused = await till.post('/api/tills/refused-tickets', {
      id,
      kind: 'refund',
      number: 4,
      totalCents: -250,
      path: '/api/refunds',
      body: { id },
      status: 422,
      message: 'Remboursement refusé. (déjà remboursé)',
      queuedAt: now,
      refusedAt: now,
    });
    expect(refused.status).toBe(201);
    const context = await browser.newContext({ viewport: { width: 1280, height: 800 }, locale: 'fr-FR', timezoneId: 'Europe/Paris' });
    const page = await context.newPage();
    await page.goto(shopOrigin(shop.server.port));
    await page.getByLabel('Identifiant').fill(ADMIN.login);
    await page.getByLabel('Mot de passe').fill(ADMIN.password);
    await page.getByRole('button', { name: 'Se connecter' }).click();
    await page.getByRole('link', { name: 'Journée et clôture' }).click();
    await page.getByLabel('Point de vente').first().selectOption('shop');
    const text = async (id: string) => ((await page.getByTestId(id).textContent()) ?? '').replace(/[\u00a0\u202f]/g, ' ');
    await expect.poll(() => text('missing-tickets')).toContain('Caisse 1 : n° 2');
    expect(await text('refused-tickets')).toContain('Caisse 1, remboursement n° 4 (-2,50 €) — Remboursement refusé. (déjà remboursé)');
    expect(await accessibilityProblems(page)).toEqual([]);
    await screenshot(page, 'day-tickets-astray');
    await context.close();
  });
});
