import { sql, type Kysely } from 'kysely';
import { refuseWrites } from '../engine.ts';

// Commission invoices (issue 21, item 3): the shop sells in the producers' name and invoices them its
// commission, each statement with its invoice (or, when the commission comes out negative after refunds,
// its credit note: never an edit). One continuous sequence per calendar year of issue, without gaps; the
// invoice is frozen as canonical JSON with its SHA-256, and its PDF is typeset from that.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('invoices')
    .addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement())
    .addColumn('year', 'integer', (c) => c.notNull())
    .addColumn('number', 'integer', (c) => c.notNull())
    .addColumn('kind', 'text', (c) => c.notNull().check(sql`kind in ('commission','credit_note')`))
    .addColumn('statement_id', 'integer', (c) => c.notNull().unique().references('statements.id'))
    .addColumn('producer_id', 'integer', (c) => c.notNull().references('producers.id'))
    .addColumn('issued_at', 'text', (c) => c.notNull())
    .addColumn('data', 'text', (c) => c.notNull())
    .addColumn('net_cents', 'integer', (c) => c.notNull())
    .addColumn('vat_cents', 'integer', (c) => c.notNull())
    .addColumn('gross_cents', 'integer', (c) => c.notNull())
    .addColumn('sha256', 'text', (c) => c.notNull())
    .addUniqueConstraint('invoices_year_number', ['year', 'number'])
    .execute();
  for (const op of ['update', 'delete'] as const)
    await refuseWrites(db, {
      name: `invoices_append_only_${op}`,
      table: 'invoices',
      op,
      message: 'invoices are append-only: issue a credit note',
    });
}
