import { makePrivate, privateDir, privateFile } from '../server/system/private-files.ts';
import path from 'node:path';
import SQLite from 'better-sqlite3';
import { Kysely, Migrator, sql, SqliteDialect, type Migration, type MigrationProvider } from 'kysely';
import type { Database } from './schema.ts';
import { registerStatements } from './raw.ts';
import { ReadCache } from './read-cache.ts';
import { engineOf, isPostgresUrl, postgresDialect, postgresPool, type Engine } from './engine.ts';
import * as core001 from './migrations/2026-11-22-001-core.ts';
import * as sales002 from './migrations/2026-11-23-002-sales.ts';
import * as closings003 from './migrations/2026-11-23-003-closings.ts';
import * as printing004 from './migrations/2026-11-25-004-printing.ts';
import * as settlement005 from './migrations/2026-12-01-005-settlement.ts';
import * as watermark006 from './migrations/2026-12-02-006-statement-watermark.ts';
import * as netQuantity007 from './migrations/2026-12-02-007-net-quantity.ts';
import * as handover008 from './migrations/2026-12-03-008-tablet-handover.ts';
import * as printOutcomes009 from './migrations/2026-12-03-009-print-outcomes.ts';
import * as restaurant010 from './migrations/2026-12-03-010-restaurant.ts';
import * as kitchenScreen011 from './migrations/2026-12-04-011-kitchen-screen.ts';
import * as modifiers012 from './migrations/2026-12-04-012-modifiers.ts';
import * as recipes013 from './migrations/2026-12-04-013-recipes.ts';
import * as splitBills014 from './migrations/2026-12-04-014-split-bills.ts';
import * as cashDrawer015 from './migrations/2026-12-05-015-cash-drawer.ts';
import * as pinLockout016 from './migrations/2026-12-05-016-pin-lockout.ts';
import * as fiscalKeys017 from './migrations/2026-12-06-017-fiscal-keys.ts';
import * as priceHistory018 from './migrations/2026-12-06-018-price-history.ts';
import * as mealVouchers019 from './migrations/2026-12-06-019-meal-vouchers.ts';
import * as chainV2021 from './migrations/2026-12-06-021-chain-v2.ts';
import * as producerRegimes022 from './migrations/2026-12-07-022-producer-regimes.ts';
import * as payouts023 from './migrations/2026-12-07-023-payouts.ts';
import * as invoices024 from './migrations/2026-12-07-024-invoices.ts';
import * as selfBilling025 from './migrations/2026-12-08-025-self-billing.ts';
import * as solidarity026 from './migrations/2026-12-08-026-solidarity.ts';
import * as outlets027 from './migrations/2026-12-08-027-outlets.ts';
import * as ressourcerie028 from './migrations/2026-12-08-028-ressourcerie.ts';
import * as variants029 from './migrations/2026-12-08-029-variants.ts';
import * as salesWriteOrder030 from './migrations/2026-12-09-030-sales-write-order.ts';
import * as severalProcesses031 from './migrations/2026-12-10-031-several-processes.ts';
import * as sites032 from './migrations/2026-12-11-032-sites.ts';
import * as lineDays033 from './migrations/2026-12-12-033-line-days.ts';
import * as statementRuns034 from './migrations/2026-12-12-034-statement-runs.ts';
import * as grandTotals035 from './migrations/2026-12-12-035-grand-totals.ts';
import * as reuseSites036 from './migrations/2026-12-13-036-reuse-sites.ts';
import * as stockTransfers037 from './migrations/2026-12-14-037-stock-transfers.ts';
import * as approvalUses038 from './migrations/2026-12-15-038-approval-uses.ts';
import * as commissionHistory039 from './migrations/2026-12-16-039-commission-history.ts';
import * as lineCategories040 from './migrations/2026-12-16-040-line-categories.ts';
import * as counterOrders041 from './migrations/2026-12-17-041-counter-orders.ts';
import * as kitchenTicketVersions042 from './migrations/2026-12-17-042-kitchen-ticket-versions.ts';
import * as mergedOrdersFlattened043 from './migrations/2026-12-17-043-merged-orders-flattened.ts';
import * as siteKitchens044 from './migrations/2026-12-18-044-site-kitchens.ts';
import * as orderSplit045 from './migrations/2026-12-18-045-order-split.ts';
import * as reuseBackOnSale046 from './migrations/2026-12-19-046-reuse-back-on-sale.ts';

// Listed here rather than read from the folder: works the same under tsx, vitest and a bundler.
const migrations: Record<string, Migration> = {
  '2026-11-22-001-core': core001,
  '2026-11-23-002-sales': sales002,
  '2026-11-23-003-closings': closings003,
  '2026-11-25-004-printing': printing004,
  '2026-12-01-005-settlement': settlement005,
  '2026-12-02-006-statement-watermark': watermark006,
  '2026-12-02-007-net-quantity': netQuantity007,
  '2026-12-03-008-tablet-handover': handover008,
  '2026-12-03-009-print-outcomes': printOutcomes009,
  '2026-12-03-010-restaurant': restaurant010,
  '2026-12-04-011-kitchen-screen': kitchenScreen011,
  '2026-12-04-012-modifiers': modifiers012,
  '2026-12-04-013-recipes': recipes013,
  '2026-12-04-014-split-bills': splitBills014,
  '2026-12-05-015-cash-drawer': cashDrawer015,
  '2026-12-05-016-pin-lockout': pinLockout016,
  '2026-12-06-017-fiscal-keys': fiscalKeys017,
  '2026-12-06-018-price-history': priceHistory018,
  '2026-12-06-019-meal-vouchers': mealVouchers019,
  '2026-12-06-021-chain-v2': chainV2021,
  '2026-12-07-022-producer-regimes': producerRegimes022,
  '2026-12-07-023-payouts': payouts023,
  '2026-12-07-024-invoices': invoices024,
  '2026-12-08-025-self-billing': selfBilling025,
  '2026-12-08-026-solidarity': solidarity026,
  '2026-12-08-027-outlets': outlets027,
  '2026-12-08-028-ressourcerie': ressourcerie028,
  '2026-12-08-029-variants': variants029,
  '2026-12-09-030-sales-write-order': salesWriteOrder030,
  '2026-12-10-031-several-processes': severalProcesses031,
  '2026-12-11-032-sites': sites032,
  '2026-12-12-033-line-days': lineDays033,
  '2026-12-12-034-statement-runs': statementRuns034,
  '2026-12-12-035-grand-totals': grandTotals035,
  '2026-12-13-036-reuse-sites': reuseSites036,
  '2026-12-14-037-stock-transfers': stockTransfers037,
  '2026-12-15-038-approval-uses': approvalUses038,
  '2026-12-16-039-commission-history': commissionHistory039,
  '2026-12-16-040-line-categories': lineCategories040,
  '2026-12-17-041-counter-orders': counterOrders041,
  '2026-12-17-042-kitchen-ticket-versions': kitchenTicketVersions042,
  '2026-12-17-043-merged-orders-flattened': mergedOrdersFlattened043,
  '2026-12-18-044-site-kitchens': siteKitchens044,
  '2026-12-18-045-order-split': orderSplit045,
  '2026-12-19-046-reuse-back-on-sale': reuseBackOnSale046,
};

const provider: MigrationProvider = { getMigrations: async () => migrations };

export interface OpenDatabase {
  db: Kysely<Database>;
  engine: Engine;
  /** SQLite's raw handle, for what kysely does not cover: online backup and integrity checks (null on PostgreSQL). */
  sqlite: SQLite.Database | null;
  /** The SQLite file, or the PostgreSQL address without its password. */
  file: string;
  /** PostgreSQL: the full address (for pg_dump and the verification workers). */
  url?: string;
  close(): Promise<void>;
}

export function openSqlite(file: string, options: { readonly?: boolean } = {}): SQLite.Database {
  // The database is the shop's books: readable by the server's user only. SQLite gives its -wal and -shm
  // the main file's permissions, so the file is made private before SQLite opens it.
  const onDisk = file !== ':memory:' && !file.startsWith('file:');
  if (!options.readonly && onDisk) {
    privateDir(path.dirname(path.resolve(file)));
    privateFile(file);
  }
  const sqlite = new SQLite(file, { readonly: options.readonly ?? false, fileMustExist: options.readonly ?? false });
  if (!options.readonly) {
    sqlite.pragma('journal_mode = WAL');
    if (onDisk) makePrivate(`${file}-wal`, `${file}-shm`);
    // FULL: a ticket acknowledged to a till survives a power cut (DESIGN decision 10).
    sqlite.pragma('synchronous = FULL');
  }
  sqlite.pragma('foreign_keys = ON');
  sqlite.pragma('busy_timeout = 5000');
  return sqlite;
}

/**
 * kysely's SQLite driver prepares every query anew; preparing costs as much as running a small statement.
 * Statements are reusable, so keep them by their SQL text (bounded: IN lists of varying length make
 * distinct texts).
 */
function withStatementCache(sqlite: SQLite.Database, reads: ReadCache, lock: LockInterest, size = 1000): SQLite.Database {
  const cache = new Map<string, SQLite.Statement>();
  let writing = false;
  const wrote = () => {
    writing = false;
    if (!sqlite.inTransaction) lock.wanted?.(false);
  };
  // Only what kysely's SQLite driver calls: a plain object, not a Proxy on every property read.
  const cached = {
    prepare(source: string) {
      // kysely's transactions begin and end with these texts: the read cache learns of each edge, and another
      // connection of this process (the tickets' writer thread) that this one wants the write lock.
      if (source.length <= 8 && (source === 'begin' || source === 'commit' || source === 'rollback')) {
        reads.transactionEdge(source === 'rollback');
        lock.wanted?.(source === 'begin');
      }
      // A hit is only a lookup (keeping the map in order of use cost every ticket two map writes); when full,
      // the oldest prepared goes, and is prepared again the next time it is needed.
      let stmt = cache.get(source);
      if (!stmt) {
        // IMMEDIATE: the write lock is taken at BEGIN, waited for (busy_timeout) while another connection
        // holds it (the tickets' writer thread, the CLI). A deferred transaction that read first could not
        // write once another connection had committed after its snapshot (SQLITE_BUSY_SNAPSHOT, not waited for).
        stmt = sqlite.prepare(source === 'begin' ? 'begin immediate' : source);
        if (cache.size >= size) cache.delete(cache.keys().next().value!);
        cache.set(source, stmt);
      }
      // A write outside a transaction (kysely runs it at once): wanted until it is done.
      if (lock.wanted && !stmt.reader && !writing && !sqlite.inTransaction && source !== 'begin') {
        writing = true;
        lock.wanted(true);
        queueMicrotask(wrote);
      }
      return stmt;
    },

    close() {
      sqlite.close();
    },
    /** Whether a transaction is open on the connection (db/raw.ts runs a read directly when none is). */
    get inTransaction() {
      return sqlite.inTransaction;
    },
  };
  return cached as unknown as SQLite.Database;
}

/**
 * Told when this connection wants SQLite's write lock (a transaction begun, a write outside one) and when it
 * is done: the tickets' writer thread then lets it have the lock between two batches (server/sales/ticket-writer.ts)
 * rather than leave this thread's busy wait to find a gap (SQLite's busy handler keeps no queue).
 */
export interface LockInterest {
  wanted: ((wanted: boolean) => void) | null;
}

/** A SQLite shop: its raw handle is there. */
export interface SqliteDatabase extends OpenDatabase {
  engine: 'sqlite';
  sqlite: SQLite.Database;
  /** What the hot paths read from memory while the tables it watches stay the same (db/read-cache.ts). */
  reads: ReadCache;
  lock: LockInterest;
}

/** Opens the shop's database, `target` a SQLite file or a `postgres://` address, and brings its schema up to date. */
export async function openStore(target: string, options: { poolSize?: number } = {}): Promise<OpenDatabase> {
  return isPostgresUrl(target) ? openPostgres(target, options.poolSize) : openDatabase(target);
}

/** Opens a SQLite shop file and brings its schema up to date. */
export async function openDatabase(file: string): Promise<SqliteDatabase> {
  const sqlite = openSqlite(file);
  const reads = new ReadCache(sqlite);
  const lock: LockInterest = { wanted: null };
  const statements = withStatementCache(sqlite, reads, lock);
  const db = new Kysely<Database>({ dialect: new SqliteDialect({ database: statements }) });
  registerStatements(db, statements, reads);
  await migrate(db);
  // Its triggers go on the tables as migrated.
  reads.watch();
  return {
    db,
    engine: 'sqlite',
    sqlite,
    reads,
    lock,
    file,
    close: async () => {
      await db.destroy();
    },
  };
}

async function openPostgres(url: string, poolSize?: number): Promise<OpenDatabase> {
  const pool = postgresPool(url, poolSize);
  const db = new Kysely<Database>({ dialect: postgresDialect(pool) });
  try {
    await migrate(db);
  } catch (e) {
    await db.destroy();
    throw e;
  }
  return { db, engine: 'postgres', sqlite: null, file: redactUrl(url), url, close: () => db.destroy() };
}

/** A PostgreSQL address as it may be shown or logged: without its password. */
export function redactUrl(url: string): string {
  try {
    const u = new URL(url);
    if (u.password) u.password = '***';
    return u.toString();
  } catch {
    return 'postgres://…';
  }
}

/** Every migration not yet run, or those up to `target` (a migration's name: the tests build older databases). */
export async function migrate(db: Kysely<Database>, target?: string): Promise<string[]> {
  const migrator = new Migrator({ db, provider });
  // Nothing to run (every start of an up-to-date shop): the database is opened as it is, even one someone
  // tampered with (verify names what was changed; refusing to open would hide it).
  if (!target && (await migrator.getMigrations()).every((m) => m.executedAt !== undefined)) return [];
  if (engineOf(db) === 'postgres') {
    // PostgreSQL alters tables in place and checks foreign keys at once: the migrations run as they are,
    // in one transaction each under kysely's migration lock (several processes may start together).
    const { error, results } = target ? await migrator.migrateTo(target) : await migrator.migrateToLatest();
    if (error) throw error instanceof Error ? error : new Error(String(error));
    return (results ?? []).filter((r) => r.status === 'Success').map((r) => r.migrationName);
  }
  // A table rebuilt (SQLite cannot alter a constraint) must not fire its children's foreign keys: they are
  // off while the migrations run (outside their transaction, where SQLite allows the change), and no
  // reference may be broken by them (the procedure of SQLite's ALTER TABLE documentation): the references
  // broken after are compared with those broken before.
  const check = async () =>
    (await sql<{ table: string; rowid: number; parent: string }>`pragma foreign_key_check`.execute(db)).rows.map(
      (r) => `${r.table}:${r.rowid}→${r.parent}`,
    );
  await sql`pragma foreign_keys = off`.execute(db);
  let outcome: Awaited<ReturnType<Migrator['migrateToLatest']>>;
  try {
    const before = new Set(await check());
    outcome = target ? await migrator.migrateTo(target) : await migrator.migrateToLatest();
    const broken = (await check()).filter((b) => !before.has(b));
    if (broken.length) throw new Error(`migration left ${broken.length} broken reference(s), first ${broken[0]}`);
  } finally {
    await sql`pragma foreign_keys = on`.execute(db);
  }
  const { error, results } = outcome;
  if (error) throw error instanceof Error ? error : new Error(String(error));
  return (results ?? []).filter((r) => r.status === 'Success').map((r) => r.migrationName);
}

export const knownMigrations = Object.keys(migrations);
