import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { knownMigrations, openDatabase, openSqlite } from './database.ts';

describe('migrations', () => {
  it('run in order on an empty database, set WAL, FULL sync and foreign keys, and are idempotent', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'comptoir-mig-'));
    const file = path.join(dir, 'x.sqlite');
    const first = await openDatabase(file);
    expect(first.sqlite.pragma('journal_mode', { simple: true })).toBe('wal');
    // synchronous: 2 = FULL
    expect(first.sqlite.pragma('synchronous', { simple: true })).toBe(2);
    expect(first.sqlite.pragma('foreign_keys', { simple: true })).toBe(1);
    const applied = first.sqlite
      .prepare('select name from kysely_migration order by name')
      .all()
      .map((r: any) => r.name);
    expect(applied).toEqual(knownMigrations);
    await first.close();
    const again = await openDatabase(file);
    expect(again.sqlite.prepare('select count(*) as n from kysely_migration').get()).toEqual({ n: knownMigrations.length });
    // A product pointing at no producer is refused by the database itself.
    expect(() =>
      again.sqlite
        .prepare(
          `insert into products (name, producer_id, unit, price_cents, vat_rate_bp, stock_tracked, search_text, created_at, updated_at) values ('x', 999, 'piece', 1, 550, 1, 'x', '', '')`,
        )
        .run(),
    ).toThrow(/FOREIGN KEY/);
    await again.close();
    const ro = openSqlite(file, { readonly: true });
    ro.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });
});
