import { sql, type Kysely } from 'kysely';

// The textile shop (issue 22, item 2): a model (what the insertion workshop makes) comes in sizes and colours;
// each size × colour is its own article (its barcode, its stock, its label), tied to its model so the till
// can show one tile and a grid, deposits and counts take a size grid, and statements group sales by model.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('product_models')
    .addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('producer_id', 'integer', (c) => c.references('producers.id'))
    .addColumn('category_id', 'integer', (c) => c.references('categories.id'))
    // JSON arrays, in the order the grid shows them (XS, S, M…; écru, indigo…).
    .addColumn('sizes', 'text', (c) => c.notNull())
    .addColumn('colours', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();
  await sql`alter table products add column model_id integer references product_models(id)`.execute(db);
  await sql`alter table products add column size text`.execute(db);
  await sql`alter table products add column colour text`.execute(db);
  await sql`create unique index products_model_variant on products (model_id, size, colour) where model_id is not null`.execute(db);
}
