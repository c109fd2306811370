import { sql, type Kysely } from 'kysely';

// Consignment settlement (DESIGN decision 6: derived, then frozen). A statement stores the figures and the
// PDF it was issued with; `statement_items` names each sale line and kitchen movement it settled, with a
// unique index so nothing is ever paid twice, and anything that arrives late lands in the next statement.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function up(db: Kysely<any>): Promise<void> {
  // What the restaurant owes the producer for goods it cooked: the product's price at that moment.
  await db.schema.alterTable('stock_movements').addColumn('unit_price_cents', 'integer').execute();
  await db.schema.createIndex('stock_movements_kind').on('stock_movements').columns(['kind', 'at']).execute();

  await db.schema
    .createTable('producer_commissions')
    .addColumn('producer_id', 'integer', (c) => c.notNull().references('producers.id'))
    .addColumn('category_id', 'integer', (c) => c.notNull().references('categories.id'))
    .addColumn('commission_bp', 'integer', (c) => c.notNull().check(sql`commission_bp between 0 and 10000`))
    .addPrimaryKeyConstraint('producer_commissions_pk', ['producer_id', 'category_id'])
    .execute();

  await db.schema
    .createTable('producer_invitations')
    .addColumn('token_hash', 'text', (c) => c.primaryKey())
    .addColumn('producer_id', 'integer', (c) => c.notNull().references('producers.id'))
    .addColumn('login', 'text', (c) => c.notNull())
    .addColumn('created_by', 'integer', (c) => c.notNull().references('users.id'))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('expires_at', 'text', (c) => c.notNull())
    .addColumn('used_at', 'text')
    .execute();

  await db.schema
    .createTable('statements')
    .addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement())
    .addColumn('number', 'integer', (c) => c.notNull().unique())
    .addColumn('producer_id', 'integer', (c) => c.notNull().references('producers.id'))
    .addColumn('period_from', 'text', (c) => c.notNull())
    .addColumn('period_to', 'text', (c) => c.notNull())
    .addColumn('issued_at', 'text', (c) => c.notNull())
    .addColumn('issued_by', 'integer', (c) => c.notNull().references('users.id'))
    .addColumn('figures', 'text', (c) => c.notNull())
    .addColumn('sales_cents', 'integer', (c) => c.notNull())
    .addColumn('commission_cents', 'integer', (c) => c.notNull())
    .addColumn('net_cents', 'integer', (c) => c.notNull())
    .addColumn('pdf', 'blob', (c) => c.notNull())
    .addColumn('pdf_sha256', 'text', (c) => c.notNull())
    .addColumn('paid_on', 'text')
    .addColumn('paid_method', 'text')
    .addColumn('paid_reference', 'text')
    .addColumn('paid_by', 'integer', (c) => c.references('users.id'))
    .addColumn('paid_at', 'text')
    .addCheckConstraint('statements_period', sql`period_from <= period_to`)
    .execute();
  await db.schema.createIndex('statements_producer').on('statements').columns(['producer_id', 'period_to']).execute();

  await db.schema
    .createTable('statement_items')
    .addColumn('statement_id', 'integer', (c) => c.notNull().references('statements.id'))
    .addColumn('sale_id', 'text')
    .addColumn('line_no', 'integer')
    .addColumn('movement_id', 'integer', (c) => c.references('stock_movements.id'))
    .addCheckConstraint(
      'statement_items_one',
      sql`(sale_id is not null and line_no is not null and movement_id is null) or (sale_id is null and line_no is null and movement_id is not null)`,
    )
    .execute();
  await db.schema
    .createIndex('statement_items_line')
    .on('statement_items')
    .columns(['sale_id', 'line_no'])
    .unique()
    .where(sql.ref('sale_id'), 'is not', null)
    .execute();
  await db.schema
    .createIndex('statement_items_movement')
    .on('statement_items')
    .column('movement_id')
    .unique()
    .where(sql.ref('movement_id'), 'is not', null)
    .execute();
  await db.schema.createIndex('statement_items_statement').on('statement_items').column('statement_id').execute();
}
