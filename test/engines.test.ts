/**
 * The same migrations on both engines give the same schema: every table with the same columns, the same
 * append-only rules. Runs in the PostgreSQL project (it needs both engines); on SQLite alone it is skipped.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase } from '../db/database.ts';
import { aShopDataDir, dropTestDatabaseAt, shopEnv, testEngine } from './support/harness.ts';
import { shopSql, sqlAt, type ShopSql } from './support/shop-sql.ts';

describe.skipIf(testEngine !== 'postgres')('one schema on SQLite and on PostgreSQL', () => {
  let lite: ShopSql;
  let postgres: ShopSql;
  let dir: string;
  let pgDir: string;

  beforeAll(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'comptoir-engines-'));
    const file = path.join(dir, 'comptoir.sqlite');
    await (await openDatabase(file)).close();
    lite = await sqlAt(file, { readonly: true });
    // A shop made the way the tests make them (migrated, then the shop and its admin created).
    pgDir = await aShopDataDir('comptoir-engines-pg-');
    postgres = await shopSql(pgDir);
  });
  afterAll(async () => {
    await lite?.close();
    await postgres?.close();
    await dropTestDatabaseAt(shopEnv(pgDir).DATABASE_URL!);
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('has the same tables, each with the same columns (PostgreSQL adds only the sales’ write order and what several processes share)', async () => {
    const liteTables = await lite.tables();
    // socket.io's adapter and the per-address limit between processes (migration 031) exist on PostgreSQL only.
    const shared = ['rate_buckets', 'socket_io_attachments'];
    expect((await postgres.tables()).filter((t) => !shared.includes(t))).toEqual(liteTables);
    expect((await postgres.tables()).filter((t) => shared.includes(t))).toEqual(shared);
    // 30 migrations make well over 50 tables: a listing that came back empty would prove nothing.
    expect(liteTables.length).toBeGreaterThan(50);
    for (const table of liteTables) {
      const columns = (await postgres.columns(table)).filter((c) => !(table === 'sales' && c === 'write_seq'));
      expect({ table, columns }).toEqual({ table, columns: await lite.columns(table) });
    }
  });

  it('keeps the perpetual grand totals in 64 bits on PostgreSQL, as SQLite does, and reads them back as numbers', async () => {
    const types = await postgres.all<{ table_name: string; column_name: string; data_type: string }>(
      `select table_name, column_name, data_type from information_schema.columns
        where table_schema = current_schema() and column_name in ('till_grand_total_cents', 'grand_total_cents') order by table_name`,
    );
    expect(types).toEqual([
      { table_name: 'closings', column_name: 'grand_total_cents', data_type: 'bigint' },
      { table_name: 'sales', column_name: 'till_grand_total_cents', data_type: 'bigint' },
    ]);
    // 30 M€ in cents, past 2^31 − 1 = 2,147,483,647: a number, not a string.
    expect(await postgres.get<{ n: unknown }>('select cast(3000000000 as bigint) as n')).toEqual({ n: 3_000_000_000 });
  });

  it('has the same append-only rules, by name and table', async () => {
    const liteRules = await lite.all<{ name: string; tbl_name: string }>(
      `select name, tbl_name from sqlite_master where type = 'trigger' order by name`,
    );
    const pgRules = await postgres.all<{ name: string; tbl_name: string }>(
      `select tgname as name, c.relname as tbl_name from pg_trigger t join pg_class c on c.oid = t.tgrelid
        where not t.tgisinternal order by tgname`,
    );
    expect(pgRules).toEqual(liteRules);
    // Tickets, lines, payments, VAT, stock ledger, events, closings, cash, prices, invoices, mandates, keys, heads,
    // the sites' own prices, and the producers' commission terms.
    expect(new Set(liteRules.map((r) => r.tbl_name)).size).toBe(15);
  });

  it('refuses an edit of the event log as SQLite does, naming the rule, as a constraint violation', async () => {
    // The shop's creation wrote its first events.
    expect((await postgres.get<{ n: number }>('select count(*) as n from events'))!.n).toBeGreaterThan(0);
    await expect(postgres.run(`update events set kind = 'x'`)).rejects.toThrow(/events is append-only/);
    await expect(postgres.run(`delete from events`)).rejects.toMatchObject({ code: '23001' });
  });
});
