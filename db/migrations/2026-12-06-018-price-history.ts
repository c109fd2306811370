import { sql, type Kysely } from 'kysely';
import { refuseWrites } from '../engine.ts';

// Prices the server checks (issue 20, item 7). `product_prices` keeps every price and VAT rate a product
// has had, from when: a ticket is checked against the catalogue in force at the time the till rang it, so a
// till that sold offline before a price change is still accepted. Append-only, like the journal.
// Each sale line says where its price came from: the catalogue, an in-store scale label, a restaurant
// order (priced by the server when ordered), or a manual price with its reason and approving manager.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('product_prices')
    .addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement())
    .addColumn('product_id', 'integer', (c) => c.notNull().references('products.id'))
    .addColumn('price_cents', 'integer', (c) => c.notNull())
    .addColumn('vat_rate_bp', 'integer', (c) => c.notNull())
    // The take-away rate changes the VAT of what the shop sells: kept with the rest.
    .addColumn('takeaway_vat_rate_bp', 'integer')
    .addColumn('valid_from', 'text', (c) => c.notNull())
    // Null for the rows the migration made from the catalogue as it stood.
    .addColumn('set_by', 'integer', (c) => c.references('users.id'))
    .execute();
  await db.schema.createIndex('product_prices_product').on('product_prices').columns(['product_id', 'valid_from']).execute();
  // The catalogue as it stands now: in force since the product's last change (its creation at the latest).
  await sql`insert into "product_prices" ("product_id", "price_cents", "vat_rate_bp", "takeaway_vat_rate_bp", "valid_from", "set_by")
    select "id", "price_cents", "vat_rate_bp", "takeaway_vat_rate_bp", "updated_at", null from "products" order by "id"`.execute(db);
  for (const op of ['update', 'delete'] as const)
    await refuseWrites(db, { name: `product_prices_no_${op}`, table: 'product_prices', op, message: 'product_prices is append-only' });

  await db.schema.alterTable('sale_lines').addColumn('price_source', 'text').execute();
  await db.schema.alterTable('sale_lines').addColumn('catalogue_price_cents', 'integer').execute();
  await db.schema.alterTable('sale_lines').addColumn('manual_price_reason', 'text').execute();
  await db.schema.alterTable('sale_lines').addColumn('price_approved_by', 'integer').execute();
}
