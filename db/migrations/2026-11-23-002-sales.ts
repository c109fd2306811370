import { sql, type Kysely } from 'kysely';
import { refuseWrites, withoutRowid } from '../engine.ts';

// Sales journal: tickets, their lines, payments and VAT rows, chained per till (and per mode: training
// tickets have their own numbering and chain, so they never disturb the real sequence).
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('sales')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('till_id', 'integer', (c) => c.notNull().references('tills.id'))
    .addColumn('training', 'integer', (c) => c.notNull())
    .addColumn('number', 'integer', (c) => c.notNull())
    .addColumn('chain_seq', 'integer', (c) => c.notNull())
    .addColumn('outlet_id', 'integer', (c) => c.notNull().references('outlets.id'))
    .addColumn('cashier_id', 'integer', (c) => c.notNull().references('users.id'))
    .addColumn('kind', 'text', (c) => c.notNull().check(sql`kind in ('sale','refund')`))
    .addColumn('refund_of', 'text', (c) => c.references('sales.id'))
    .addColumn('reason', 'text')
    .addColumn('approved_by', 'integer', (c) => c.references('users.id'))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('received_at', 'text', (c) => c.notNull())
    .addColumn('business_day', 'text', (c) => c.notNull())
    // 1 when the ticket's own day was already closed when it arrived: it is booked on the next open day.
    .addColumn('late', 'integer', (c) => c.notNull())
    .addColumn('subtotal_cents', 'integer', (c) => c.notNull())
    .addColumn('discount_cents', 'integer', (c) => c.notNull())
    .addColumn('total_cents', 'integer', (c) => c.notNull())
    .addColumn('change_cents', 'integer', (c) => c.notNull())
    .addColumn('gap_before', 'integer', (c) => c.notNull())
    .addColumn('body_hash', 'text', (c) => c.notNull())
    .addColumn('receipt_token', 'text', (c) => c.notNull().unique())
    .addColumn('till_grand_total_cents', 'integer', (c) => c.notNull())
    .addColumn('prev_hash', 'text', (c) => c.notNull())
    .addColumn('hash', 'text', (c) => c.notNull())
    .addUniqueConstraint('sales_till_number', ['till_id', 'training', 'number'])
    .addUniqueConstraint('sales_till_chain', ['till_id', 'training', 'chain_seq'])
    .execute();
  await db.schema.createIndex('sales_day').on('sales').columns(['outlet_id', 'training', 'business_day']).execute();
  await db.schema.createIndex('sales_created').on('sales').columns(['created_at']).execute();
  await db.schema.createIndex('sales_refund_of').on('sales').column('refund_of').execute();

  await db.schema
    .createTable('sale_lines')
    .addColumn('sale_id', 'text', (c) => c.notNull().references('sales.id'))
    .addColumn('line_no', 'integer', (c) => c.notNull())
    .addColumn('product_id', 'integer', (c) => c.notNull().references('products.id'))
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('producer_id', 'integer', (c) => c.references('producers.id'))
    .addColumn('unit', 'text', (c) => c.notNull())
    .addColumn('quantity', 'integer', (c) => c.notNull())
    .addColumn('unit_price_cents', 'integer', (c) => c.notNull())
    .addColumn('gross_cents', 'integer', (c) => c.notNull())
    .addColumn('line_discount_cents', 'integer', (c) => c.notNull())
    .addColumn('ticket_discount_cents', 'integer', (c) => c.notNull())
    .addColumn('total_cents', 'integer', (c) => c.notNull())
    .addColumn('vat_rate_bp', 'integer', (c) => c.notNull())
    .addColumn('note', 'text')
    .addColumn('refund_of_line', 'integer')
    .addPrimaryKeyConstraint('sale_lines_pk', ['sale_id', 'line_no'])
    // Clustered by ticket: with time-ordered UUIDv7 ids, a day's or a chain's lines sit together on disk.
    .$call(withoutRowid(db))
    .execute();
  await db.schema.createIndex('sale_lines_producer').on('sale_lines').columns(['producer_id', 'sale_id']).execute();
  await db.schema.createIndex('sale_lines_product').on('sale_lines').column('product_id').execute();

  await db.schema
    .createTable('sale_payments')
    .addColumn('sale_id', 'text', (c) => c.notNull().references('sales.id'))
    .addColumn('seq', 'integer', (c) => c.notNull())
    .addColumn('method', 'text', (c) => c.notNull())
    .addColumn('amount_cents', 'integer', (c) => c.notNull())
    .addPrimaryKeyConstraint('sale_payments_pk', ['sale_id', 'seq'])
    .$call(withoutRowid(db))
    .execute();

  await db.schema
    .createTable('sale_vat')
    .addColumn('sale_id', 'text', (c) => c.notNull().references('sales.id'))
    .addColumn('vat_rate_bp', 'integer', (c) => c.notNull())
    .addColumn('gross_cents', 'integer', (c) => c.notNull())
    .addColumn('net_cents', 'integer', (c) => c.notNull())
    .addColumn('vat_cents', 'integer', (c) => c.notNull())
    .addPrimaryKeyConstraint('sale_vat_pk', ['sale_id', 'vat_rate_bp'])
    .$call(withoutRowid(db))
    .execute();

  for (const table of ['sales', 'sale_lines', 'sale_payments', 'sale_vat']) {
    for (const op of ['update', 'delete'] as const)
      await refuseWrites(db, { name: `${table}_no_${op}`, table, op, message: `${table} is append-only` });
  }
}
