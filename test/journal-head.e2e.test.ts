/**
 * Issue 20, item 2, in a real browser: the till tablet keeps the last ticket the server acknowledged and
 * reports it when its socket connects and after its outbox empties; a server that lost that ticket (its
 * tail deleted from the database file) records the alert `journal.head_missing`.
 */
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { gtinCheckDigit } from '../shared/barcodes.ts';
import { aProducer, aProduct, startTestShop, type TestShop } from './support/harness.ts';
import { launchBrowser, shopOrigin, tabletContext } from './support/browser.ts';
import { pairAndLogIn, watchErrors } from './support/till-page.ts';

const PAIN_EAN = '376012345001' + gtinCheckDigit('376012345001');
let shop: TestShop;
let browser: Browser;
let page: Page;
let errors: string[];

beforeAll(async () => {
  shop = await startTestShop({ serveClient: true });
  const producer = await aProducer(shop.admin, { name: 'Ferme du Sidobre' });
  await aProduct(shop.admin, { name: 'Pain de campagne', producerId: producer.id, priceCents: 520, vatRateBp: 550, barcodes: [PAIN_EAN] });
  expect((await shop.admin.post('/api/users', { displayName: 'Camille', role: 'cashier', pin: '2468' })).status).toBe(201);
  browser = await launchBrowser({ trustShopCa: shop.dataDir });
  const context = await tabletContext(browser, shopOrigin(shop.server.port));
  page = await context.newPage();
  errors = watchErrors(page);
}, 60_000);

afterAll(async () => {
  await browser?.close();
  await shop?.close();
});

const alerts = async () => (await shop.admin.get('/api/events?kind=journal.head_missing')).body as { subject: string; data: any }[];

describe('a till tablet that knows its last ticket', { timeout: 60_000 }, () => {
  it('reports it; the server that lost it raises the alert', async () => {
    await page.goto('/caisse/');
    await pairAndLogIn(page, shop);
    await page.locator('.status').click();
    await page.keyboard.type(PAIN_EAN);
    await page.keyboard.press('Enter');
    await page.keyboard.press('Enter'); // empty search + Enter: pay
    await page.getByTestId('pay-total').waitFor();
    await page.keyboard.press('Enter'); // the amount due, in cash
    await page.getByTestId('ticket-state').waitFor();
    await page.keyboard.press('3'); // no receipt
    const sqlite = shop.server.database.sqlite!;
    await expect.poll(() => (sqlite.prepare('select count(*) as n from sales').get() as { n: number }).n).toBe(1);
    const sold = sqlite.prepare('select id, number, hash from sales').get() as { id: string; number: number; hash: string };
    // Its outbox emptied, the tablet told the server its head: known, no alert.
    await expect.poll(() => page.evaluate(() => (window as any).till.state.outbox.waiting)).toBe(0);
    await new Promise((r) => setTimeout(r, 500));
    expect(await alerts()).toEqual([]);

    // Someone with the file deletes the ticket (and nothing else).
    for (const t of sqlite.prepare(`select name from sqlite_master where type = 'trigger'`).all() as { name: string }[])
      sqlite.exec(`drop trigger "${t.name}"`);
    sqlite.pragma('foreign_keys = OFF');
    for (const table of ['sale_lines', 'sale_payments', 'sale_vat', 'stock_movements', 'print_jobs'])
      try {
        sqlite.prepare(`delete from ${table} where sale_id = ?`).run(sold.id);
      } catch {
        // a table without sale_id
      }
    sqlite.prepare('delete from sales where id = ?').run(sold.id);
    sqlite.pragma('foreign_keys = ON');

    // The tablet reconnects (a reload): it reports n°1 with its hash, which the server no longer holds.
    await page.reload();
    await page.getByPlaceholder('Chercher un article ou scanner').waitFor();
    await expect.poll(async () => (await alerts()).length, { timeout: 15_000 }).toBe(1);
    expect((await alerts())[0]).toMatchObject({
      subject: 'till:1',
      data: { chain: 'till:1', number: sold.number, hash: sold.hash, server: null },
    });
    // The tablet, which kept the ticket it was acknowledged, sends it again: the sale is back under its id and
    // number; the deletion is still named (the witness saw n°1 written with another hash), the alert answered.
    await expect
      .poll(
        () => (sqlite.prepare('select count(*) as n from sales where id = ? and number = ?').get(sold.id, sold.number) as { n: number }).n,
        {
          timeout: 15_000,
        },
      )
      .toBe(1);
    const verify = (await shop.admin.get('/api/journal/verify')).body;
    expect(verify.ok).toBe(false);
    expect(verify.problems.map((p: { fault: string }) => p.fault)).not.toContain('till-head-missing');
    expect(verify.problems).toContainEqual(expect.objectContaining({ record: 'ticket:caisse 1 position 1', fault: 'witness-mismatch' }));
    expect(errors).toEqual([]);
  });
});
