import { CompiledQuery, type Kysely } from 'kysely';
import type { Database } from './schema.ts';
import { engineOf } from './engine.ts';
import type { ReadCache } from './read-cache.ts';

/**
 * The few statements run for every ticket, written once in SQL and executed through kysely's driver (same
 * connection, transaction and statement cache) without building and compiling a query tree each time:
 * that tree costs more CPU than SQLite spends running these statements. Everything else uses the builder.
 */
export async function rawRows<R>(db: Kysely<Database>, text: string, params: readonly unknown[]): Promise<R[]> {
  const direct = directOf(db) ?? idle(db);
  if (direct) {
    // As kysely's driver does: a statement that returns no rows is run.
    const statement = direct.prepare(text);
    if (statement.reader) return statement.all(params) as R[];
    statement.run(params);
    return [];
  }
  return (await db.executeQuery<R>(CompiledQuery.raw(dialectText(db, text), params as unknown[]))).rows;
}

export async function rawRun(db: Kysely<Database>, text: string, params: readonly unknown[]): Promise<void> {
  const direct = directOf(db);
  if (direct) {
    direct.prepare(text).run(params);
    return;
  }
  await db.executeQuery(CompiledQuery.raw(dialectText(db, text), params as unknown[]));
}

/** What a SQLite database's statements are prepared on (db/database.ts: better-sqlite3 behind a statement cache). */
interface Statements {
  prepare(text: string): { reader: boolean; all(params: readonly unknown[]): unknown[]; run(params: readonly unknown[]): unknown };
  readonly inTransaction: boolean;
}

const statementsOf = new WeakMap<object, Statements>();
const direct = new WeakMap<object, Statements>();
const readCacheOf = new WeakMap<Statements, ReadCache>();

/** A SQLite database (db/database.ts) says where its statements are prepared, and its read cache. */
export function registerStatements(db: Kysely<Database>, statements: unknown, reads?: ReadCache): void {
  statementsOf.set(db, statements as Statements);
  if (reads) readCacheOf.set(statements as Statements, reads);
}

/**
 * `rawRows` for a read of the tables db/read-cache.ts watches (and of nothing else): on SQLite, what the
 * same text with the same parameters gave, as long as none of those tables changed. The rows are shared:
 * read them, never change them.
 */
export async function cachedRows<R>(db: Kysely<Database>, text: string, params: readonly unknown[]): Promise<readonly R[]> {
  const direct = directOf(db);
  const statements = direct ?? statementsOf.get(db);
  const cache = statements && readCacheOf.get(statements);
  if (!statements || !cache) return rawRows<R>(db, text, params);
  const key = params.length === 1 && typeof params[0] === 'number' ? String(params[0]) : JSON.stringify(params);
  // What is kept is committed (nothing read in a transaction that wrote these tables is kept): it may be
  // given while another transaction is open, without waiting for it.
  const kept = cache.get(text, key);
  if (kept) return kept as readonly R[];
  // Not kept: read in its own transaction, or at once when none is open; else after the open one (rawRows).
  if (!direct && statements.inTransaction) return rawRows<R>(db, text, params);
  const rows = statements.prepare(text).all(params) as R[];
  cache.set(text, key, rows);
  return rows;
}

/**
 * Inside a transaction on SQLite, which holds the one connection until it ends, the statements above run on
 * it directly: kysely's executor (its connection provider, mutex and promise chain per query) costs more CPU
 * than SQLite spends on them. Only a transaction may: a query outside one would run inside whichever
 * transaction happens to be open on the connection. `db` is the database the transaction was opened on;
 * `work` is the transaction's body.
 */
export async function runDirectly<T>(db: Kysely<Database>, trx: Kysely<Database>, work: () => Promise<T>): Promise<T> {
  const statements = statementsOf.get(db);
  if (statements && trx.isTransaction) direct.set(trx, statements);
  try {
    return await work();
  } finally {
    // Used after its end, the transaction goes through kysely again, which refuses a finished one.
    direct.delete(trx);
  }
}

function directOf(db: Kysely<Database>): Statements | undefined {
  return direct.get(db);
}

/**
 * Outside any transaction, a query on SQLite's one connection is a statement on its own (autocommit): when
 * none is open, it runs at once, as kysely would run it once the connection is free (better-sqlite3 is
 * synchronous: nothing else runs on the connection meanwhile). When one is open, it waits for it through
 * kysely: run now, it would read that transaction's uncommitted rows.
 */
function idle(db: Kysely<Database>): Statements | undefined {
  const statements = statementsOf.get(db);
  return statements && !statements.inTransaction ? statements : undefined;
}

/**
 * The texts are written with SQLite's `?` marks; PostgreSQL numbers its own (`$1, $2…`). None of these texts
 * holds a `?` inside a string literal. Converted once per text.
 */
const numbered = new Map<string, string>();
function dialectText(db: Kysely<Database>, text: string): string {
  if (engineOf(db) === 'sqlite') return text;
  let out = numbered.get(text);
  if (out === undefined) {
    let n = 0;
    out = text.replace(/\?/g, () => `$${++n}`);
    if (numbered.size > 2000) numbered.clear();
    numbered.set(text, out);
  }
  return out;
}

/**
 * `insert into t (a, b) values (?, ?), (?, ?) …` for n rows, the text kept per list of columns (the same
 * constant array at each call site: no key is built for every ticket), table, n and suffix.
 */
const inserts = new WeakMap<readonly string[], Map<string, string>>();
export function insertSql(table: string, columns: readonly string[], n: number, suffix = ''): string {
  let texts = inserts.get(columns);
  if (!texts) inserts.set(columns, (texts = new Map()));
  const key = `${table}|${n}|${suffix}`;
  let text = texts.get(key);
  if (!text) {
    const row = `(${columns.map(() => '?').join(', ')})`;
    text = `insert into "${table}" (${columns.map((c) => `"${c}"`).join(', ')}) values ${Array.from({ length: n }, () => row).join(', ')}${suffix}`;
    texts.set(key, text);
  }
  return text;
}

/** `?, ?, ?` for an IN list of n values. */
export const marks = (n: number) => Array.from({ length: n }, () => '?').join(', ');
