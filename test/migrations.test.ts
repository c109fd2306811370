/**
 * A database made by an earlier version, with its data, brought to the latest schema: nothing lost, every
 * reference kept and still enforced (SQLite rebuilds a table to change a constraint: issue 21's producers).
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Kysely, SqliteDialect } from 'kysely';
import { afterAll, describe, expect, it } from 'vitest';
import { migrate, openSqlite } from '../db/database.ts';
import type { Database } from '../db/schema.ts';

describe('a database of the previous version', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'comptoir-migrations-'));
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('keeps its producers and their products through the rebuild of the producers table', async () => {
    const sqlite = openSqlite(path.join(dir, 'old.sqlite'));
    const db = new Kysely<Database>({ dialect: new SqliteDialect({ database: sqlite }) });
    await migrate(db, '2026-12-06-021-chain-v2');
    const at = '2026-11-02T10:00:00.000Z';
    sqlite
      .prepare(
        `insert into producers (slug, name, legal_name, contact_name, email, phone, address, siret, vat_status, commission_bp, search_text, created_at, updated_at)
         values ('ferme', 'Ferme du Sidobre', 'GAEC du Sidobre', '', '', '', '', '73282932000074', 'franchise', 1500, 'ferme du sidobre', ?, ?)`,
      )
      .run(at, at);
    sqlite
      .prepare(
        `insert into products (name, producer_id, unit, price_cents, vat_rate_bp, stock_tracked, search_text, created_at, updated_at)
         values ('Tomme de brebis', 1, 'kg', 2600, 550, 1, 'tomme de brebis', ?, ?)`,
      )
      .run(at, at);
    expect(() => sqlite.prepare(`update producers set vat_status = 'flat_rate'`).run()).toThrow(/CHECK/);

    const ran = await migrate(db);
    expect(ran).toContain('2026-12-07-022-producer-regimes');
    expect(sqlite.prepare('select id, name, vat_status, vat_number, iban, bic from producers').all()).toEqual([
      { id: 1, name: 'Ferme du Sidobre', vat_status: 'franchise', vat_number: '', iban: null, bic: null },
    ]);
    // The agricultural flat-rate regime is now allowed; anything else still is not.
    sqlite.prepare(`update producers set vat_status = 'flat_rate'`).run();
    expect(() => sqlite.prepare(`update producers set vat_status = 'exempt'`).run()).toThrow(/CHECK/);
    // The product still points at its producer, and the reference is still enforced both ways.
    expect(sqlite.prepare('select producer_id from products').get()).toEqual({ producer_id: 1 });
    expect(sqlite.pragma('foreign_keys', { simple: true })).toBe(1);
    expect(sqlite.pragma('foreign_key_check')).toEqual([]);
    expect(() => sqlite.prepare('delete from producers where id = 1').run()).toThrow(/FOREIGN KEY/);
    expect(() => sqlite.prepare(`update products set producer_id = 99`).run()).toThrow(/FOREIGN KEY/);
    // The producers' unique slug survived the rebuild.
    expect(() =>
      sqlite
        .prepare(
          `insert into producers (slug, name, legal_name, contact_name, email, phone, address, siret, vat_status, commission_bp, search_text, created_at, updated_at)
           values ('ferme', 'Autre', 'Autre', '', '', '', '', '73282932000074', 'subject', 1500, 'autre', ?, ?)`,
        )
        .run(at, at),
    ).toThrow(/UNIQUE/);
    await db.destroy();
  });
  // Two merges in a row (A into B, then B into C) left A naming B: the kitchen said B's table, gone.
  it('makes every merged order name the order it ended in (A → B → C, D → C: each → C)', async () => {
    const sqlite = openSqlite(path.join(dir, 'merged.sqlite'));
    const db = new Kysely<Database>({ dialect: new SqliteDialect({ database: sqlite }) });
    await migrate(db, '2026-12-17-042-kitchen-ticket-versions');
    // The orders alone (their outlet, waiter and tables are not what this migration reads).
    sqlite.pragma('foreign_keys = off');
    const order = sqlite.prepare(
      `insert into orders (id, outlet_id, table_id, covers, mode, status, waiter_id, opened_at, version, merged_into)
       values (?, 1, null, 2, 'on_site', ?, 1, '2026-12-17T12:00:00.000Z', 1, ?)`,
    );
    order.run('c', 'open', null);
    order.run('b', 'cancelled', 'c');
    order.run('a', 'cancelled', 'b');
    order.run('d', 'cancelled', 'c');
    order.run('e', 'open', null);
    expect(await migrate(db)).toContain('2026-12-17-043-merged-orders-flattened');
    expect(sqlite.prepare('select id, merged_into from orders order by id').all()).toEqual([
      { id: 'a', merged_into: 'c' },
      { id: 'b', merged_into: 'c' },
      { id: 'c', merged_into: null },
      { id: 'd', merged_into: 'c' },
      { id: 'e', merged_into: null },
    ]);
    await db.destroy();
  });
});
