import { sql, type Kysely } from 'kysely';
import { refuseWrites } from '../engine.ts';

// The commissionnaire model (issue 21): the shop buys the goods it sold from each producer, and writes the
// producer's invoice itself (autofacturation, art. 289 I-2° CGI) under a mandate the producer signed.
// - `invoices` takes the self-billed invoice and its credit note, in a series of their own (AF-2026-000001…)
//   beside the shop's own invoices (F-…): each series continuous per year, without gaps. SQLite cannot widen a
//   check constraint, so the table is rebuilt (rows and ids kept) and its append-only triggers set again.
// - `self_billing_mandates`: the producer's signed mandate (its PDF kept with its SHA-256), from a day on,
//   until revoked. Without one in force, no self-billed invoice is issued.
// - `producers.flat_rate_compensation_bp`: the rate of the remboursement forfaitaire agricole (art. 298
//   quater: 4,43 %, or 5,59 % for live animals for meat) printed on a flat-rate farmer's self-billed invoice.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('invoices_new')
    .addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement())
    .addColumn('series', 'text', (c) =>
      c
        .notNull()
        .defaultTo('F')
        .check(sql`series in ('F','AF')`),
    )
    .addColumn('year', 'integer', (c) => c.notNull())
    .addColumn('number', 'integer', (c) => c.notNull())
    .addColumn('kind', 'text', (c) => c.notNull().check(sql`kind in ('commission','credit_note','self_billed','self_billed_credit')`))
    .addColumn('statement_id', 'integer', (c) => c.notNull().unique().references('statements.id'))
    .addColumn('producer_id', 'integer', (c) => c.notNull().references('producers.id'))
    .addColumn('issued_at', 'text', (c) => c.notNull())
    .addColumn('data', 'text', (c) => c.notNull())
    .addColumn('net_cents', 'integer', (c) => c.notNull())
    .addColumn('vat_cents', 'integer', (c) => c.notNull())
    .addColumn('gross_cents', 'integer', (c) => c.notNull())
    .addColumn('sha256', 'text', (c) => c.notNull())
    .addUniqueConstraint('invoices_series_year_number', ['series', 'year', 'number'])
    .execute();
  await sql`insert into invoices_new (id, series, year, number, kind, statement_id, producer_id, issued_at, data, net_cents, vat_cents, gross_cents, sha256)
    select id, 'F', year, number, kind, statement_id, producer_id, issued_at, data, net_cents, vat_cents, gross_cents, sha256 from invoices`.execute(
    db,
  );
  await sql`drop table invoices`.execute(db);
  await sql`alter table invoices_new rename to invoices`.execute(db);
  await sql`create index invoices_producer on invoices (producer_id)`.execute(db);
  for (const op of ['update', 'delete'] as const)
    await refuseWrites(db, {
      name: `invoices_append_only_${op}`,
      table: 'invoices',
      op,
      message: 'invoices are append-only: issue a credit note',
    });

  await db.schema
    .createTable('self_billing_mandates')
    .addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement())
    .addColumn('producer_id', 'integer', (c) => c.notNull().references('producers.id'))
    .addColumn('signed_on', 'text', (c) => c.notNull())
    .addColumn('valid_from', 'text', (c) => c.notNull())
    .addColumn('terms', 'text', (c) => c.notNull())
    .addColumn('pdf', 'blob', (c) => c.notNull())
    .addColumn('pdf_sha256', 'text', (c) => c.notNull())
    .addColumn('recorded_at', 'text', (c) => c.notNull())
    .addColumn('recorded_by', 'integer', (c) => c.notNull().references('users.id'))
    .addColumn('revoked_on', 'text')
    .execute();
  await sql`create index self_billing_mandates_producer on self_billing_mandates (producer_id, valid_from)`.execute(db);
  // Kept as signed: only its revocation is ever written afterwards, once.
  await refuseWrites(db, {
    name: 'self_billing_mandates_kept',
    table: 'self_billing_mandates',
    op: 'update',
    when: `old.revoked_on is not null or new.producer_id is not old.producer_id or new.signed_on is not old.signed_on
      or new.valid_from is not old.valid_from or new.terms is not old.terms or new.pdf is not old.pdf
      or new.pdf_sha256 is not old.pdf_sha256 or new.recorded_at is not old.recorded_at or new.recorded_by is not old.recorded_by`,
    message: 'a signed mandate is kept as signed: only its revocation is recorded',
  });
  await refuseWrites(db, {
    name: 'self_billing_mandates_no_delete',
    table: 'self_billing_mandates',
    op: 'delete',
    message: 'a signed mandate is kept: revoke it',
  });

  await sql`alter table producers add column flat_rate_compensation_bp integer not null default 443 check (flat_rate_compensation_bp in (443, 559))`.execute(
    db,
  );
}
