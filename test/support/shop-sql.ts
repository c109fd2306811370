import fs from 'node:fs';
import path from 'node:path';
import SQLite from 'better-sqlite3';
import pg from 'pg';
import '../../db/engine.ts'; // PostgreSQL's bigint and numeric read as numbers, as the server reads them
import { cloneTestDatabase, dropTestDatabaseAt, shopEnv, type TestShop } from './harness.ts';

/**
 * Someone with the shop's database in hand, on either engine: reads to check what was stored, and the
 * tampering the verification must catch. Texts use SQLite's `?` marks (numbered for PostgreSQL).
 */
export interface ShopSql {
  engine: 'sqlite' | 'postgres';
  all<T = any>(text: string, ...params: unknown[]): Promise<T[]>;
  get<T = any>(text: string, ...params: unknown[]): Promise<T | undefined>;
  run(text: string, ...params: unknown[]): Promise<void>;
  /** The names of its tables. */
  tables(): Promise<string[]>;
  /** The names of a table's columns. */
  columns(table: string): Promise<string[]>;
  /** Drops the append-only rule (a trigger) `name` on `table`. */
  dropRule(name: string, table: string): Promise<void>;
  /** Every append-only rule off, and foreign keys unchecked: the whole database open to edits. */
  openUp(): Promise<void>;
  close(): Promise<void>;
}

const numbered = (text: string) => {
  let n = 0;
  return text.replace(/\?/g, () => `$${++n}`);
};

/** The shop's database (`shop` or its data folder). */
export async function shopSql(shop: TestShop | string, options: { readonly?: boolean } = {}): Promise<ShopSql> {
  const dataDir = typeof shop === 'string' ? shop : shop.dataDir;
  return sqlAt(shopEnv(dataDir).DATABASE_URL ?? path.join(dataDir, 'comptoir.sqlite'), options);
}

/** Where a test shop's data is: its SQLite file, or its PostgreSQL database's address. */
export function shopTarget(shop: TestShop): string {
  return shopEnv(shop.dataDir).DATABASE_URL ?? path.join(shop.dataDir, 'comptoir.sqlite');
}

/** A database by its SQLite file or PostgreSQL address. */
export async function sqlAt(target: string, options: { readonly?: boolean } = {}): Promise<ShopSql> {
  if (/^postgres/.test(target)) {
    const url = target;
    const client = new pg.Client({ connectionString: url });
    // A test that failed before closing it: the database is dropped under it, which is no news.
    client.on('error', () => undefined);
    await client.connect();
    return {
      engine: 'postgres',
      all: async (text, ...params) => (await client.query(numbered(text), params)).rows,
      get: async (text, ...params) => (await client.query(numbered(text), params)).rows[0],
      run: async (text, ...params) => void (await client.query(numbered(text), params)),
      tables: async () =>
        (await client.query(`select tablename from pg_tables where schemaname = current_schema() order by 1`)).rows.map((r) => r.tablename),
      columns: async (table) =>
        (
          await client.query(
            `select column_name from information_schema.columns where table_schema = current_schema() and table_name = $1 order by 1`,
            [table],
          )
        ).rows.map((r) => r.column_name),
      dropRule: async (name, table) => void (await client.query(`drop trigger if exists ${name} on ${table}`)),
      // Every trigger off, the append-only rules and the foreign keys' own, for every connection after
      // (a superuser's power; SQLite's file holder drops the triggers).
      openUp: async () => {
        for (const { tablename } of (await client.query(`select tablename from pg_tables where schemaname = current_schema()`)).rows)
          await client.query(`alter table "${tablename}" disable trigger all`);
      },
      close: () => client.end(),
    };
  }
  const sqlite = new SQLite(target, { readonly: options.readonly ?? false });
  sqlite.pragma('busy_timeout = 5000');
  return {
    engine: 'sqlite',
    all: async (text, ...params) => sqlite.prepare(text).all(...params) as any[],
    get: async (text, ...params) => sqlite.prepare(text).get(...params) as any,
    run: async (text, ...params) => void sqlite.prepare(text).run(...params),
    tables: async () =>
      (
        sqlite.prepare(`select name from sqlite_master where type = 'table' and name not like 'sqlite_%' order by 1`).all() as {
          name: string;
        }[]
      ).map((t) => t.name),
    columns: async (table) =>
      (sqlite.prepare(`select name from pragma_table_info(?) order by 1`).all(table) as { name: string }[]).map((c) => c.name),
    dropRule: async (name) => void sqlite.exec(`drop trigger if exists ${name}`),
    openUp: async () => {
      for (const t of sqlite.prepare(`select name from sqlite_master where type = 'trigger'`).all() as { name: string }[])
        sqlite.exec(`drop trigger "${t.name}"`);
      sqlite.pragma('foreign_keys = OFF');
    },
    close: async () => void sqlite.close(),
  };
}

/**
 * A copy of a stopped shop's database, to tamper with: a file beside it, or a PostgreSQL database made from it
 * as a template. `drop` removes it.
 */
export async function shopCopy(shop: TestShop, name: string): Promise<{ target: string; drop(): Promise<void> }> {
  const url = shopEnv(shop.dataDir).DATABASE_URL;
  if (url) {
    const copy = await cloneTestDatabase(url, name);
    return { target: copy, drop: () => dropTestDatabaseAt(copy) };
  }
  const file = path.join(shop.dataDir, 'comptoir.sqlite');
  const copy = path.join(shop.dataDir, `${name}.sqlite`);
  fs.copyFileSync(file, copy);
  return { target: copy, drop: async () => fs.rmSync(copy, { force: true }) };
}
