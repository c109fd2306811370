import { CompiledQuery, type Kysely } from 'kysely';
import type { Database } from './schema.ts';
import { engineOf } from './engine.ts';

/**
 * The few statements run for every ticket, written once in SQL and executed through kysely's driver (same
 * connection, transaction and statement cache) without building and compiling a query tree each time:
 * that tree costs more CPU than SQLite spends running these statements. Everything else uses the builder.
 */
export async function rawRows<R>(db: Kysely<Database>, text: string, params: readonly unknown[]): Promise<R[]> {
  return (await db.executeQuery<R>(CompiledQuery.raw(dialectText(db, text), params as unknown[]))).rows;
}

export async function rawRun(db: Kysely<Database>, text: string, params: readonly unknown[]): Promise<void> {
  await db.executeQuery(CompiledQuery.raw(dialectText(db, text), params as unknown[]));
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

/** `insert into t (a, b) values (?, ?), (?, ?) …` for n rows, the text kept per (table, n). */
const inserts = new Map<string, string>();
export function insertSql(table: string, columns: readonly string[], n: number, suffix = ''): string {
  const key = `${table}|${columns.join(',')}|${n}|${suffix}`;
  let text = inserts.get(key);
  if (!text) {
    const row = `(${columns.map(() => '?').join(', ')})`;
    text = `insert into "${table}" (${columns.map((c) => `"${c}"`).join(', ')}) values ${Array.from({ length: n }, () => row).join(', ')}${suffix}`;
    inserts.set(key, text);
  }
  return text;
}

/** `?, ?, ?` for an IN list of n values. */
export const marks = (n: number) => Array.from({ length: n }, () => '?').join(', ');
