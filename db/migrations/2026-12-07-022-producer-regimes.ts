import { sql, type Kysely } from 'kysely';
import { engineOf } from '../engine.ts';

// Producers' VAT regimes (issue 21, item 2): the agricultural flat-rate scheme (remboursement forfaitaire
// agricole, art. 298 quater CGI) beside réel and franchise; the producer's intra-EU VAT number, and the
// IBAN and BIC their statements are paid to.
// SQLite cannot alter a CHECK constraint and `producers` is referenced by many tables: the table is rebuilt
// from its own stored definition, with foreign keys off for the migrations (db/database.ts `migrate`, which
// runs `foreign_key_check` before turning them back on).
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function up(db: Kysely<any>): Promise<void> {
  if (engineOf(db) === 'postgres') {
    // PostgreSQL alters a check in place.
    await sql`alter table producers drop constraint producers_vat_status_check`.execute(db);
    await sql`alter table producers add constraint producers_vat_status_check check (vat_status in ('subject','franchise','flat_rate'))`.execute(
      db,
    );
  } else await widenSqlite(db);
  await db.schema
    .alterTable('producers')
    .addColumn('vat_number', 'text', (c) => c.notNull().defaultTo(''))
    .execute();
  await db.schema.alterTable('producers').addColumn('iban', 'text').execute();
  await db.schema.alterTable('producers').addColumn('bic', 'text').execute();
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
async function widenSqlite(db: Kysely<any>): Promise<void> {
  const table = await sql<{ sql: string }>`select sql from sqlite_master where type = 'table' and name = 'producers'`.execute(db);
  const indexes = await sql<{
    sql: string;
  }>`select sql from sqlite_master where type = 'index' and tbl_name = 'producers' and sql is not null`.execute(db);
  const before = table.rows[0]!.sql;
  const check = /vat_status in \('subject', ?'franchise'\)/;
  if (!check.test(before)) throw new Error('producers: the vat_status check is not the one this migration widens');
  const created = before
    .replace(/^CREATE TABLE "?producers"?/i, 'CREATE TABLE "producers_new"')
    .replace(check, "vat_status in ('subject','franchise','flat_rate')");
  await sql.raw(created).execute(db);
  await sql`insert into producers_new select * from producers`.execute(db);
  await sql`drop table producers`.execute(db);
  await sql`alter table producers_new rename to producers`.execute(db);
  for (const i of indexes.rows) await sql.raw(i.sql).execute(db);
}
