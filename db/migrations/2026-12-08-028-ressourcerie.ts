import { sql, type Kysely } from 'kysely';

// The ressourcerie (issue 22, item 3): donations weighed by stream at intake, one-off items priced and
// labelled (each its own article, quantity 1, sold once), marked down when unsold, then sent to recycling by
// weight; the monthly tonnage per stream (collected, sold for reuse, recycled, discarded).
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function up(db: Kysely<any>): Promise<void> {
  const stream = sql`stream in ('textile','furniture','books','tableware','electrical','toys','other')`;
  await db.schema
    .createTable('reuse_intakes')
    .addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement())
    .addColumn('at', 'text', (c) => c.notNull())
    .addColumn('business_day', 'text', (c) => c.notNull())
    // Only when the donor asks for a receipt: as they give it, kept for the receipt alone.
    .addColumn('donor', 'text')
    .addColumn('created_by', 'integer', (c) => c.notNull().references('users.id'))
    .execute();
  await db.schema
    .createTable('reuse_intake_lines')
    .addColumn('intake_id', 'integer', (c) => c.notNull().references('reuse_intakes.id'))
    .addColumn('stream', 'text', (c) => c.notNull().check(stream))
    .addColumn('grams', 'integer', (c) => c.notNull().check(sql`grams > 0`))
    .addPrimaryKeyConstraint('reuse_intake_lines_pk', ['intake_id', 'stream'])
    .execute();
  await db.schema
    .createTable('reuse_items')
    .addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement())
    .addColumn('product_id', 'integer', (c) => c.notNull().unique().references('products.id'))
    .addColumn('code', 'text', (c) => c.notNull().unique())
    .addColumn('intake_id', 'integer', (c) => c.references('reuse_intakes.id'))
    .addColumn('stream', 'text', (c) => c.notNull().check(stream))
    .addColumn('grams', 'integer', (c) => c.notNull().check(sql`grams > 0`))
    .addColumn('price_cents', 'integer', (c) => c.notNull())
    .addColumn('priced_on', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) =>
      c
        .notNull()
        .defaultTo('on_sale')
        .check(sql`status in ('on_sale','sold','recycled','discarded')`),
    )
    .addColumn('status_day', 'text')
    .addColumn('marked_down_on', 'text')
    .addColumn('sale_id', 'text', (c) => c.references('sales.id'))
    .execute();
  await sql`create index reuse_items_status on reuse_items (status, priced_on)`.execute(db);
  await db.schema
    .createTable('reuse_outflows')
    .addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement())
    .addColumn('business_day', 'text', (c) => c.notNull())
    .addColumn('stream', 'text', (c) => c.notNull().check(stream))
    .addColumn('grams', 'integer', (c) => c.notNull().check(sql`grams > 0`))
    .addColumn('kind', 'text', (c) => c.notNull().check(sql`kind in ('recycled','discarded')`))
    .addColumn('item_id', 'integer', (c) => c.references('reuse_items.id'))
    .addColumn('note', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();
  await sql`create index reuse_outflows_day on reuse_outflows (business_day)`.execute(db);
}
