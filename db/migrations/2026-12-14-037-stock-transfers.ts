import { sql, type Kysely } from 'kysely';
import { engineOf } from '../engine.ts';

// Goods moved between sites (issue 23, item 3): stock is kept per site, and a producer's goods delivered to
// Castres may go on to Rodez. A transfer is a numbered slip of its own kind (bon de transfert, its own series),
// from the site it is recorded at to `to_site_id`, and two movements per line of the kind `transfer`: out of
// the first site's shelf, onto the second's. The producer still owns them; nothing is sold or paid.
// SQLite cannot alter a CHECK constraint: both tables are rebuilt from their stored definitions, with their
// indexes and triggers (the append-only ones), foreign keys being off during migrations (as in migration 022).
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function up(db: Kysely<any>): Promise<void> {
  if (engineOf(db) === 'postgres') {
    await widenPostgres(db, 'stock_slips', `kind in ('deposit','return','transfer')`);
    await widenPostgres(db, 'stock_movements', `kind in ('deposit','sale','refund','return','loss','count','kitchen','transfer')`);
  } else {
    await widenSqlite(db, 'stock_slips', /kind in \('deposit', ?'return'\)/, `kind in ('deposit','return','transfer')`);
    await widenSqlite(
      db,
      'stock_movements',
      /kind in \('deposit', ?'sale', ?'refund', ?'return', ?'loss', ?'count', ?'kitchen'\)/,
      `kind in ('deposit','sale','refund','return','loss','count','kitchen','transfer')`,
    );
  }
  await db.schema
    .alterTable('stock_slips')
    .addColumn('to_site_id', 'integer', (c) => c.references('sites.id'))
    .execute();
  // A site's manager finds the transfers coming to it as well as those it sent.
  await db.schema.createIndex('stock_slips_to_site').on('stock_slips').columns(['to_site_id', 'created_at']).execute();
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
async function widenPostgres(db: Kysely<any>, table: string, check: string): Promise<void> {
  const checks = await sql<{ conname: string }>`
    select conname from pg_constraint
    where conrelid = ${table}::regclass and contype = 'c' and pg_get_constraintdef(oid) like '%kind%'`.execute(db);
  if (checks.rows.length !== 1) throw new Error(`${table}: expected one check on kind, found ${checks.rows.length}`);
  await sql`alter table ${sql.table(table)} drop constraint ${sql.ref(checks.rows[0]!.conname)}`.execute(db);
  await sql`alter table ${sql.table(table)} add constraint ${sql.ref(`${table}_kind_check`)} check (${sql.raw(check)})`.execute(db);
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
async function widenSqlite(db: Kysely<any>, table: string, check: RegExp, widened: string): Promise<void> {
  const stored = await sql<{ sql: string }>`select sql from sqlite_master where type = 'table' and name = ${table}`.execute(db);
  const others = await sql<{ sql: string }>`
    select sql from sqlite_master where type in ('index', 'trigger') and tbl_name = ${table} and sql is not null`.execute(db);
  const before = stored.rows[0]!.sql;
  if (!check.test(before)) throw new Error(`${table}: the kind check is not the one this migration widens`);
  const created = before.replace(new RegExp(`^CREATE TABLE "?${table}"?`, 'i'), `CREATE TABLE "${table}_new"`).replace(check, widened);
  await sql.raw(created).execute(db);
  await sql.raw(`insert into "${table}_new" select * from "${table}"`).execute(db);
  await sql.raw(`drop table "${table}"`).execute(db);
  await sql.raw(`alter table "${table}_new" rename to "${table}"`).execute(db);
  for (const o of others.rows) await sql.raw(o.sql).execute(db);
}
