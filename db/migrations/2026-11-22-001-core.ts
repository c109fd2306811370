import { sql, type Kysely } from 'kysely';
import { refuseWrites } from '../engine.ts';

// Forward-only. Written with kysely's schema builder so the same migration runs on PostgreSQL later;
// `integer primary key autoincrement` is the one SQLite-specific spelling, kept in `autoId`.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function up(db: Kysely<any>): Promise<void> {
  const autoId = (col: any) => col.primaryKey().autoIncrement();

  await db.schema
    .createTable('outlets')
    .addColumn('id', 'integer', autoId)
    .addColumn('code', 'text', (c) => c.notNull().unique())
    .addColumn('name', 'text', (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('producers')
    .addColumn('id', 'integer', autoId)
    .addColumn('slug', 'text', (c) => c.notNull().unique())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('legal_name', 'text', (c) => c.notNull())
    .addColumn('contact_name', 'text', (c) => c.notNull())
    .addColumn('email', 'text', (c) => c.notNull())
    .addColumn('phone', 'text', (c) => c.notNull())
    .addColumn('address', 'text', (c) => c.notNull())
    .addColumn('siret', 'text', (c) => c.notNull())
    .addColumn('vat_status', 'text', (c) => c.notNull().check(sql`vat_status in ('subject','franchise')`))
    .addColumn('commission_bp', 'integer', (c) => c.notNull().check(sql`commission_bp between 0 and 10000`))
    .addColumn('active', 'integer', (c) => c.notNull().defaultTo(1))
    .addColumn('search_text', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('tills')
    .addColumn('id', 'integer', autoId)
    .addColumn('outlet_id', 'integer', (c) => c.notNull().references('outlets.id'))
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('training_mode', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('active', 'integer', (c) => c.notNull().defaultTo(1))
    .addColumn('pin_failures', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('pin_locked_until', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('users')
    .addColumn('id', 'integer', autoId)
    .addColumn('login', 'text', (c) => c.unique())
    .addColumn('display_name', 'text', (c) => c.notNull())
    .addColumn('role', 'text', (c) => c.notNull().check(sql`role in ('admin','manager','cashier','waiter','producer')`))
    .addColumn('password_hash', 'text')
    .addColumn('pin_hash', 'text')
    .addColumn('producer_id', 'integer', (c) => c.references('producers.id'))
    .addColumn('outlet_id', 'integer', (c) => c.references('outlets.id'))
    .addColumn('active', 'integer', (c) => c.notNull().defaultTo(1))
    .addColumn('failed_logins', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('locked_until', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    // A producer account always belongs to exactly one producer; nobody else is scoped to one.
    .addCheckConstraint('users_producer_scope', sql`(role = 'producer') = (producer_id is not null)`)
    .execute();

  await db.schema
    .createTable('devices')
    .addColumn('id', 'integer', autoId)
    .addColumn('till_id', 'integer', (c) => c.notNull().references('tills.id'))
    .addColumn('token_hash', 'text', (c) => c.notNull().unique())
    .addColumn('label', 'text')
    .addColumn('paired_at', 'text', (c) => c.notNull())
    .addColumn('paired_by', 'integer', (c) => c.notNull().references('users.id'))
    .addColumn('revoked_at', 'text')
    .addColumn('last_seen_at', 'text')
    .execute();

  await db.schema
    .createTable('pairing_codes')
    .addColumn('code_hash', 'text', (c) => c.primaryKey())
    .addColumn('till_id', 'integer', (c) => c.notNull().references('tills.id'))
    .addColumn('created_by', 'integer', (c) => c.notNull().references('users.id'))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('expires_at', 'text', (c) => c.notNull())
    .addColumn('used_at', 'text')
    .execute();

  await db.schema
    .createTable('sessions')
    .addColumn('id_hash', 'text', (c) => c.primaryKey())
    .addColumn('user_id', 'integer', (c) => c.notNull().references('users.id'))
    .addColumn('device_id', 'integer', (c) => c.references('devices.id'))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('expires_at', 'text', (c) => c.notNull())
    .addColumn('last_seen_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('sessions_user').on('sessions').column('user_id').execute();

  await db.schema
    .createTable('categories')
    .addColumn('id', 'integer', autoId)
    .addColumn('slug', 'text', (c) => c.notNull().unique())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('color', 'text', (c) => c.notNull())
    .addColumn('sort_order', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('active', 'integer', (c) => c.notNull().defaultTo(1))
    .execute();

  await db.schema
    .createTable('products')
    .addColumn('id', 'integer', autoId)
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('producer_id', 'integer', (c) => c.references('producers.id'))
    .addColumn('category_id', 'integer', (c) => c.references('categories.id'))
    .addColumn('unit', 'text', (c) => c.notNull().check(sql`unit in ('piece','kg')`))
    .addColumn('price_cents', 'integer', (c) => c.notNull().check(sql`price_cents >= 0`))
    .addColumn('vat_rate_bp', 'integer', (c) => c.notNull().check(sql`vat_rate_bp between 0 and 10000`))
    .addColumn('plu', 'text', (c) => c.unique())
    .addColumn('stock_tracked', 'integer', (c) => c.notNull())
    .addColumn('low_stock_threshold', 'integer')
    .addColumn('active', 'integer', (c) => c.notNull().defaultTo(1))
    .addColumn('search_text', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('products_producer').on('products').column('producer_id').execute();

  await db.schema
    .createTable('product_outlets')
    .addColumn('product_id', 'integer', (c) => c.notNull().references('products.id'))
    .addColumn('outlet_id', 'integer', (c) => c.notNull().references('outlets.id'))
    .addPrimaryKeyConstraint('product_outlets_pk', ['product_id', 'outlet_id'])
    .execute();

  await db.schema
    .createTable('barcodes')
    .addColumn('code', 'text', (c) => c.primaryKey())
    .addColumn('product_id', 'integer', (c) => c.notNull().references('products.id'))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('barcodes_product').on('barcodes').column('product_id').execute();

  await db.schema
    .createTable('stock_slips')
    .addColumn('id', 'integer', autoId)
    .addColumn('kind', 'text', (c) => c.notNull().check(sql`kind in ('deposit','return')`))
    .addColumn('number', 'integer', (c) => c.notNull())
    .addColumn('producer_id', 'integer', (c) => c.notNull().references('producers.id'))
    .addColumn('note', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('created_by', 'integer', (c) => c.notNull().references('users.id'))
    .addUniqueConstraint('stock_slips_number', ['kind', 'number'])
    .execute();
  await db.schema.createIndex('stock_slips_producer').on('stock_slips').columns(['producer_id', 'created_at']).execute();

  await db.schema
    .createTable('stock_movements')
    .addColumn('id', 'integer', autoId)
    .addColumn('product_id', 'integer', (c) => c.notNull().references('products.id'))
    .addColumn('kind', 'text', (c) => c.notNull().check(sql`kind in ('deposit','sale','refund','return','loss','count','kitchen')`))
    .addColumn('quantity', 'integer', (c) => c.notNull())
    .addColumn('counted', 'integer')
    .addColumn('at', 'text', (c) => c.notNull())
    .addColumn('user_id', 'integer', (c) => c.references('users.id'))
    .addColumn('slip_id', 'integer', (c) => c.references('stock_slips.id'))
    .addColumn('sale_id', 'text')
    .addColumn('note', 'text')
    .execute();
  await db.schema.createIndex('stock_movements_product').on('stock_movements').columns(['product_id', 'id']).execute();
  await db.schema.createIndex('stock_movements_slip').on('stock_movements').column('slip_id').execute();

  // Running balance per product, written in the same transaction as each movement; `verify` re-sums the ledger.
  await db.schema
    .createTable('stock_levels')
    .addColumn('product_id', 'integer', (c) => c.primaryKey().references('products.id'))
    .addColumn('on_hand', 'integer', (c) => c.notNull())
    .addColumn('last_movement_id', 'integer', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('settings')
    .addColumn('key', 'text', (c) => c.primaryKey())
    .addColumn('value', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('events')
    .addColumn('id', 'integer', autoId)
    .addColumn('at', 'text', (c) => c.notNull())
    .addColumn('user_id', 'integer', (c) => c.references('users.id'))
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('subject', 'text')
    .addColumn('data', 'text', (c) => c.notNull())
    .addColumn('prev_hash', 'text', (c) => c.notNull())
    .addColumn('hash', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('events_kind').on('events').columns(['kind', 'id']).execute();

  // Append-only by construction: the database itself refuses edits and deletions of the ledger and the event log.
  for (const table of ['stock_movements', 'events']) {
    for (const op of ['update', 'delete'] as const)
      await refuseWrites(db, { name: `${table}_no_${op}`, table, op, message: `${table} is append-only` });
  }
}
