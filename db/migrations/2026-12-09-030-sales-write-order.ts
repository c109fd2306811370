import { sql, type Kysely } from 'kysely';
import { engineOf } from '../engine.ts';

// The order tickets were written in: the fiscal witness follows it, and a statement's watermark finds the
// lines written after it (migration 006). SQLite's `rowid` is that order. PostgreSQL keeps no such column:
// `write_seq`, an identity taken by the insert inside the ticket's transaction. Transactions are serialized
// by one advisory lock (db/engine.ts), held until the commit: a higher number is always a later commit.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function up(db: Kysely<any>): Promise<void> {
  if (engineOf(db) === 'sqlite') return;
  await sql`alter table sales add column write_seq bigint generated always as identity`.execute(db);
  await sql`create unique index sales_write_seq on sales (write_seq)`.execute(db);
}
