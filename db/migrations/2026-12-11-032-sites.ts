import { sql, type Kysely } from 'kysely';
import { engineOf, refuseWrites } from '../engine.ts';

// A network of sites (issue 23, item 3). A site is a place (the Castres hub, a second tiers-lieu in Rodez)
// with its outlets, tills, printers and stock. The shop that existed before becomes the first site, and
// everything it holds belongs to it.
// - `outlets.site_id` and `outlets.kind`: an outlet is one of the building's counters (`kind`: shop,
//   restaurant…) at one site. The first site's outlets keep their codes (`shop`, `restaurant`…); another
//   site's are coded `<kind>@<site code>`, and the API names an outlet by its kind and its site.
// - Stock per site: every movement and every slip says at which site it happened, and the running balances
//   are kept per (site, product).
// - `users.site_id`: a manager who runs one site sees that site only; without one (the cooperative's admin,
//   the managers of a single-site shop) the whole network.
// - `site_prices`: a site's own price for a product, with its history (append-only, like `product_prices`);
//   a row without a price returns the product to the network's price from then.
// The new not-null columns default to 1, the first site: `alter table … add column` in SQLite cannot add a
// foreign key with a non-null default, and `stock_movements` is append-only (no update to fill it). The
// application always writes them explicitly.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function up(db: Kysely<any>): Promise<void> {
  const postgres = engineOf(db) === 'postgres';
  await db.schema
    .createTable('sites')
    .addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement())
    .addColumn('code', 'text', (c) => c.notNull().unique())
    .addColumn('name', 'text', (c) => c.notNull().unique())
    .addColumn('city', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('active', 'integer', (c) => c.notNull().defaultTo(1))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();

  await db.schema
    .alterTable('outlets')
    .addColumn('site_id', 'integer', (c) => c.notNull().defaultTo(1))
    .execute();
  await db.schema
    .alterTable('outlets')
    .addColumn('kind', 'text', (c) => c.notNull().defaultTo(''))
    .execute();
  await sql`update outlets set kind = code`.execute(db);
  await db.schema.createIndex('outlets_site_kind').on('outlets').columns(['site_id', 'kind']).unique().execute();

  await db.schema
    .alterTable('users')
    .addColumn('site_id', 'integer', (c) => c.references('sites.id'))
    .execute();
  await db.schema
    .alterTable('stock_movements')
    .addColumn('site_id', 'integer', (c) => c.notNull().defaultTo(1))
    .execute();
  await db.schema
    .alterTable('stock_slips')
    .addColumn('site_id', 'integer', (c) => c.notNull().defaultTo(1))
    .execute();
  await db.schema.createIndex('stock_movements_site_kind').on('stock_movements').columns(['site_id', 'kind', 'at']).execute();

  // Balances per (site, product): the table is rebuilt with its new key (SQLite cannot change a primary key).
  await db.schema
    .createTable('stock_levels_by_site')
    .addColumn('site_id', 'integer', (c) => c.notNull())
    .addColumn('product_id', 'integer', (c) => c.notNull().references('products.id'))
    .addColumn('on_hand', 'integer', (c) => c.notNull())
    .addColumn('last_movement_id', 'integer', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('stock_levels_site_pk', ['site_id', 'product_id'])
    .execute();
  await sql`insert into stock_levels_by_site (site_id, product_id, on_hand, last_movement_id, updated_at)
    select 1, product_id, on_hand, last_movement_id, updated_at from stock_levels`.execute(db);
  await db.schema.dropTable('stock_levels').execute();
  await db.schema.alterTable('stock_levels_by_site').renameTo('stock_levels').execute();
  await db.schema.createIndex('stock_levels_product').on('stock_levels').column('product_id').execute();

  await db.schema
    .createTable('site_prices')
    .addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement())
    .addColumn('site_id', 'integer', (c) => c.notNull().references('sites.id'))
    .addColumn('product_id', 'integer', (c) => c.notNull().references('products.id'))
    // Null: from then on the site sells at the network's price again.
    .addColumn('price_cents', 'integer', (c) => c.check(sql`price_cents >= 0`))
    .addColumn('valid_from', 'text', (c) => c.notNull())
    .addColumn('set_by', 'integer', (c) => c.references('users.id'))
    .execute();
  await db.schema.createIndex('site_prices_product').on('site_prices').columns(['site_id', 'product_id', 'valid_from']).execute();
  for (const op of ['update', 'delete'] as const)
    await refuseWrites(db, { name: `site_prices_no_${op}`, table: 'site_prices', op, message: 'site_prices is append-only' });

  // A shop that exists becomes the first site, named after it.
  const outlets = await sql<{ n: number }>`select count(*) as n from outlets`.execute(db);
  if (Number(outlets.rows[0]?.n ?? 0) > 0) {
    const identity = await sql<{ value: string }>`select value from settings where key = 'shop.identity'`.execute(db);
    const parsed = identity.rows[0] ? (JSON.parse(identity.rows[0].value) as { name?: string; city?: string }) : {};
    await sql`insert into sites (id, code, name, city, created_at) values (1, 'principal', ${parsed.name ?? 'Site principal'}, ${parsed.city ?? ''}, ${new Date().toISOString()})`.execute(
      db,
    );
    if (postgres) await sql`select setval(pg_get_serial_sequence('sites', 'id'), 1)`.execute(db);
  }
}
