import type SQLite from 'better-sqlite3';

/**
 * What every ticket and every request reads and almost never changes (the catalogue and its prices, the
 * tills, the settings; sessions and tablets), kept in memory on SQLite, so that a ticket does not read it
 * again each time. The cache is dropped as a whole whenever any of those tables may have changed:
 *
 * - a write on this connection: TEMP triggers on each of the tables below call back into this process,
 *   whatever code wrote (a route, the CLI's code in this process, a migration), inside the statement;
 * - a write by another connection (another process on the file, the CLI): SQLite's `data_version` moves; it
 *   is asked at each read outside a transaction, and once in each transaction (which reads one snapshot);
 * - a transaction rolled back on this connection (what was read inside it may have been its own writes).
 *
 * A transaction that wrote one of them keeps nothing it reads until it ends. So a read from the cache gives
 * what the database would give at that moment. Only the texts passed to
 * `cachedRows` (db/raw.ts) are kept, each with its parameters; PostgreSQL has none of this (several processes
 * share its database: every read goes to it).
 */
export const CACHED_TABLES = [
  'products',
  'product_outlets',
  'product_prices',
  'site_prices',
  'recipe_items',
  'reuse_items',
  'producers',
  'tills',
  'outlets',
  'sites',
  'printers',
  'settings',
  // A ticket reads its dishes' stations (by their category, at its outlet) and options.
  'categories',
  'category_stations',
  'modifier_groups',
  'modifier_options',
  'sessions',
  'users',
  'devices',
  // Every ticket asks for its outlet's last closings (the day it is booked on, a missed Z).
  'closings',
] as const;

const MAX_ENTRIES = 5000;

export class ReadCache {
  /** By SQL text (the same constant string each time: its hash is kept), then by parameters. */
  private entries = new Map<string, Map<string, readonly unknown[]>>();
  private count = 0;
  private dataVersion: number | null = null;
  private readonly version: SQLite.Statement;
  /** The open transaction wrote one of the tables: nothing read until it ends is kept (it might roll back). */
  private dirty = false;
  /**
   * `data_version` was asked in the open transaction: it stays as it was until the transaction ends (a
   * transaction reads one snapshot; what other connections commit meanwhile is not in it).
   */
  private askedInTransaction = false;
  /** Nothing is kept before the triggers are on. */
  private watching = false;
  /**
   * Outside a transaction, `data_version` is asked at most this often (ms); 0: at every read. Set when
   * another connection of this process commits all the time (the tickets' writer thread, which says itself
   * when it wrote one of the tables: `drop`); then what a third connection (the CLI) writes is seen
   * within that delay.
   */
  private versionEveryMs = 0;
  private versionAskedAt = 0;
  /** Called when this connection writes one of the tables (the writer's thread tells the server's). */
  onOwnWrite: (() => void) | null = null;

  constructor(private readonly sqlite: SQLite.Database) {
    sqlite.function('comptoir_read_cache_drop', { deterministic: false, directOnly: false }, () => {
      this.drop();
      this.onOwnWrite?.();
      return null;
    });
    this.version = sqlite.prepare('pragma data_version');
  }

  /** Puts its triggers on the tables (once they are migrated: a table rebuilt by a migration loses them). */
  watch(): void {
    const sqlite = this.sqlite;
    for (const table of CACHED_TABLES) {
      for (const op of ['insert', 'update', 'delete'])
        sqlite.exec(
          `create temp trigger if not exists "read_cache_${table}_${op}" after ${op} on main."${table}" begin select comptoir_read_cache_drop(); end`,
        );
    }
    this.watching = true;
    this.drop();
  }

  /** How many reads it keeps. */
  get size(): number {
    return this.count;
  }

  drop(): void {
    if (this.count) {
      this.entries.clear();
      this.count = 0;
    }
    if (this.sqlite.inTransaction) this.dirty = true;
  }

  /** Another connection of this process commits all the time and says when it wrote one of the tables. */
  askVersionEvery(ms: number): void {
    this.versionEveryMs = ms;
  }

  /** A transaction began or ended on the connection (db/database.ts sees its statements); rolled back, it drops all. */
  transactionEdge(rolledBack: boolean): void {
    this.dirty = false;
    this.askedInTransaction = false;
    if (rolledBack) this.drop();
  }

  /** The rows kept for `text` and `key` (its parameters), or undefined; asks SQLite first whether another connection changed anything. */
  get(text: string, key: string): readonly unknown[] | undefined {
    if (!this.askedInTransaction) {
      if (this.versionEveryMs) {
        const now = performance.now();
        if (!this.sqlite.inTransaction && now - this.versionAskedAt < this.versionEveryMs) return this.entries.get(text)?.get(key);
        this.versionAskedAt = now;
      }
      const version = (this.version.get() as { data_version: number }).data_version;
      this.askedInTransaction = this.sqlite.inTransaction;
      if (version !== this.dataVersion) {
        this.dataVersion = version;
        this.drop();
        return undefined;
      }
    }
    return this.entries.get(text)?.get(key);
  }

  set(text: string, key: string, rows: readonly unknown[]): void {
    if (this.dirty || !this.watching) return;
    if (this.count >= MAX_ENTRIES) this.drop();
    let byKey = this.entries.get(text);
    if (!byKey) this.entries.set(text, (byKey = new Map()));
    if (!byKey.has(key)) this.count++;
    byKey.set(key, rows);
  }
}
