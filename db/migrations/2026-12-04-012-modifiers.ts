import type { Kysely } from 'kysely';

// A product's modifiers (cuisson, sauce, suppléments…): groups of options chosen when a dish is ordered, each
// group with how many of its options may or must be chosen, each option with its price incl. VAT (0: free).
// An order line keeps what was chosen as a snapshot (names and prices), so that a menu edited since never
// changes a line already ordered or paid. And a product's VAT rate when sold to take away, where it differs
// from its rate on site (CGI art. 278-0 bis, 279 a, 279 m; see `takeawayVatRateBp` in shared/api/catalog.ts).
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('modifier_groups')
    .addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement())
    .addColumn('product_id', 'integer', (c) => c.notNull().references('products.id'))
    .addColumn('name', 'text', (c) => c.notNull())
    // At least `min_choices` and at most `max_choices` of its options: 1 and 1 for "exactly one cuisson",
    // 0 and n for "any of the suppléments".
    .addColumn('min_choices', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('max_choices', 'integer', (c) => c.notNull().defaultTo(1))
    .addColumn('position', 'integer', (c) => c.notNull().defaultTo(0))
    .execute();
  await db.schema.createIndex('modifier_groups_product').on('modifier_groups').columns(['product_id', 'position']).execute();
  await db.schema
    .createTable('modifier_options')
    .addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement())
    .addColumn('group_id', 'integer', (c) => c.notNull().references('modifier_groups.id'))
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('price_cents', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('position', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('active', 'integer', (c) => c.notNull().defaultTo(1))
    .execute();
  await db.schema.createIndex('modifier_options_group').on('modifier_options').columns(['group_id', 'position']).execute();
  // JSON: [{ optionId, group, name, priceCents }] as chosen when the line was added.
  await db.schema
    .alterTable('order_lines')
    .addColumn('modifiers', 'text', (c) => c.notNull().defaultTo('[]'))
    .execute();
  // Null: the same rate as on site (`vat_rate_bp`).
  await db.schema.alterTable('products').addColumn('takeaway_vat_rate_bp', 'integer').execute();
}
