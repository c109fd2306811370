import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openDatabase, openSqlite, type SqliteDatabase } from './database.ts';
import { cachedRows, runDirectly } from './raw.ts';
import { CACHED_TABLES } from './read-cache.ts';

/**
 * The read cache (db/read-cache.ts) may only ever give what the database would give at that moment: these
 * change a product's price every way it can change (this connection, another one as the CLI would, a
 * transaction rolled back) and read it again through the cache.
 */
const PRICE = 'select "price_cents" from "products" where "id" = ?';

let dir: string;
let shop: SqliteDatabase;
let productId: number;

beforeEach(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'comptoir-read-cache-'));
  shop = await openDatabase(path.join(dir, 'shop.sqlite'));
  const now = new Date().toISOString();
  productId = Number(
    shop.sqlite
      .prepare(
        `insert into products (name, producer_id, unit, price_cents, vat_rate_bp, stock_tracked, search_text, created_at, updated_at) values ('Pain', null, 'piece', 520, 550, 1, 'pain', ?, ?)`,
      )
      .run(now, now).lastInsertRowid,
  );
});

afterEach(async () => {
  await shop.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

const price = async (db = shop.db) => (await cachedRows<{ price_cents: number }>(db, PRICE, [productId]))[0]!.price_cents;

describe('the read cache', () => {
  it('keeps a read, and drops it when this connection writes one of its tables, however it is written', async () => {
    expect(await price()).toBe(520);
    expect(shop.reads.size).toBe(1);
    expect(await price()).toBe(520);
    expect(shop.reads.size).toBe(1);
    // Through kysely, in SQL on the raw handle, by an upsert: each is seen.
    await shop.db.updateTable('products').set({ price_cents: 560 }).where('id', '=', productId).execute();
    expect(shop.reads.size).toBe(0);
    expect(await price()).toBe(560);
    shop.sqlite.prepare('update products set price_cents = 600 where id = ?').run(productId);
    expect(await price()).toBe(600);
    // A write to another watched table drops it too (a ticket's till, session or price history may have changed).
    shop.sqlite.prepare(`insert into settings (key, value, updated_at) values ('x.test', '1', '')`).run();
    expect(shop.reads.size).toBe(0);
    // Every watched table exists, and has its three triggers.
    const triggers = shop.sqlite.prepare(`select name from sqlite_temp_master where type = 'trigger'`).all() as { name: string }[];
    expect(triggers.length).toBe(CACHED_TABLES.length * 3);
  });

  it('sees what another connection wrote (the CLI, another process) at its next read', async () => {
    expect(await price()).toBe(520);
    const other = openSqlite(path.join(dir, 'shop.sqlite'));
    other.prepare('update products set price_cents = 700 where id = ?').run(productId);
    other.close();
    expect(await price()).toBe(700);
  });

  it('never keeps what a transaction read of its own writes, should it roll back', async () => {
    expect(await price()).toBe(520);
    await expect(
      shop.db.transaction().execute((trx) =>
        runDirectly(shop.db, trx, async () => {
          await trx.updateTable('products').set({ price_cents: 999 }).where('id', '=', productId).execute();
          // Inside, the transaction sees its own price; it is not kept.
          expect(await price(trx)).toBe(999);
          expect(await price(trx)).toBe(999);
          throw new Error('refused');
        }),
      ),
    ).rejects.toThrow('refused');
    expect(await price()).toBe(520);
    // Committed, it is what is read after.
    await shop.db.transaction().execute((trx) =>
      runDirectly(shop.db, trx, async () => {
        await trx.updateTable('products').set({ price_cents: 650 }).where('id', '=', productId).execute();
        expect(await price(trx)).toBe(650);
      }),
    );
    expect(await price()).toBe(650);
  });

  it('gives what it keeps while another transaction is open, and waits for that transaction once it wrote the tables', async () => {
    expect(await price()).toBe(520);
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    let step!: () => void;
    let reached = new Promise<void>((resolve) => (step = resolve));
    let wrote!: () => void;
    const writing = new Promise<void>((resolve) => (wrote = resolve));
    const open = shop.db.transaction().execute((trx) =>
      runDirectly(shop.db, trx, async () => {
        step();
        await writing;
        await trx.updateTable('products').set({ price_cents: 800 }).where('id', '=', productId).execute();
        step();
        await held;
      }),
    );
    await reached;
    // Open, nothing written yet: the kept price comes at once.
    expect(await price()).toBe(520);
    reached = new Promise<void>((resolve) => (step = resolve));
    wrote();
    await reached;
    // Written, not committed: the read waits for the commit, and never gives the uncommitted price early.
    let answered: number | null = null;
    const read = price().then((p) => (answered = p));
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(answered).toBeNull();
    release();
    await open;
    expect(await read).toBe(800);
  });
});
