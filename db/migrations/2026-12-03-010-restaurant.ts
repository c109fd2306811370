import { sql, type Kysely } from 'kysely';

// The restaurant: rooms and their tables, preparation stations (a category of dishes goes to one), and
// open orders kept on the server as a log of line-level operations, each with its own UUIDv7 (idempotent
// like tickets). The order's lines are the state derived from that log, kept beside it so that every
// device reads the same thing; what the kitchen was sent is recorded once per station and send.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('rooms')
    .addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement())
    .addColumn('outlet_id', 'integer', (c) => c.notNull().references('outlets.id'))
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('sort_order', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('active', 'integer', (c) => c.notNull().defaultTo(1))
    .execute();
  await db.schema
    .createTable('dining_tables')
    .addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement())
    .addColumn('room_id', 'integer', (c) => c.notNull().references('rooms.id'))
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('seats', 'integer', (c) => c.notNull())
    .addColumn('shape', 'text', (c) => c.notNull().defaultTo('square'))
    // Position and size on the room's plan, in plan units (the plan is 100 × 60).
    .addColumn('x', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('y', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('width', 'integer', (c) => c.notNull().defaultTo(8))
    .addColumn('height', 'integer', (c) => c.notNull().defaultTo(8))
    .addColumn('active', 'integer', (c) => c.notNull().defaultTo(1))
    .execute();
  await db.schema.createIndex('dining_tables_room_name').on('dining_tables').columns(['room_id', 'name']).unique().execute();

  await db.schema
    .createTable('stations')
    .addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement())
    .addColumn('outlet_id', 'integer', (c) => c.notNull().references('outlets.id'))
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('printer_id', 'integer', (c) => c.references('printers.id'))
    .addColumn('active', 'integer', (c) => c.notNull().defaultTo(1))
    .execute();
  // Where a category's dishes are prepared; none: nothing to prepare (served from the counter).
  await db.schema
    .alterTable('categories')
    .addColumn('station_id', 'integer', (c) => c.references('stations.id'))
    .execute();
  // The course a product is sent in by default (drink, starter, main, dessert); none: at once, with the first.
  await db.schema.alterTable('products').addColumn('course', 'text').execute();

  await db.schema
    .createTable('orders')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('outlet_id', 'integer', (c) => c.notNull().references('outlets.id'))
    .addColumn('table_id', 'integer', (c) => c.references('dining_tables.id'))
    .addColumn('covers', 'integer', (c) => c.notNull())
    .addColumn('mode', 'text', (c) => c.notNull().defaultTo('on_site'))
    .addColumn('status', 'text', (c) => c.notNull().defaultTo('open'))
    .addColumn('waiter_id', 'integer', (c) => c.notNull().references('users.id'))
    .addColumn('opened_at', 'text', (c) => c.notNull())
    .addColumn('closed_at', 'text')
    // Bumped by every operation: a device knows it has missed one when the number jumps.
    .addColumn('version', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('merged_into', 'text', (c) => c.references('orders.id'))
    .execute();
  // One open order per table.
  await sql`create unique index orders_open_table on orders (table_id) where status = 'open'`.execute(db);

  await db.schema
    .createTable('order_ops')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('order_id', 'text', (c) => c.notNull().references('orders.id'))
    .addColumn('seq', 'integer', (c) => c.notNull())
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('data', 'text', (c) => c.notNull())
    .addColumn('body_hash', 'text', (c) => c.notNull())
    .addColumn('user_id', 'integer', (c) => c.notNull().references('users.id'))
    .addColumn('device_id', 'integer', (c) => c.references('devices.id'))
    .addColumn('at', 'text', (c) => c.notNull())
    .addColumn('received_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('order_ops_order_seq').on('order_ops').columns(['order_id', 'seq']).unique().execute();

  await db.schema
    .createTable('order_lines')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('order_id', 'text', (c) => c.notNull().references('orders.id'))
    .addColumn('position', 'integer', (c) => c.notNull())
    .addColumn('product_id', 'integer', (c) => c.notNull().references('products.id'))
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('quantity', 'integer', (c) => c.notNull())
    .addColumn('unit_price_cents', 'integer', (c) => c.notNull())
    .addColumn('vat_rate_bp', 'integer', (c) => c.notNull())
    .addColumn('seat', 'integer')
    .addColumn('note', 'text')
    .addColumn('course', 'text')
    .addColumn('station_id', 'integer', (c) => c.references('stations.id'))
    // new (not sent yet), sent (the kitchen has it), voided (sent, then cancelled: the kitchen was told).
    .addColumn('status', 'text', (c) => c.notNull().defaultTo('new'))
    .addColumn('version', 'integer', (c) => c.notNull().defaultTo(1))
    .addColumn('added_by', 'integer', (c) => c.notNull().references('users.id'))
    .addColumn('added_at', 'text', (c) => c.notNull())
    .addColumn('sent_at', 'text')
    .addColumn('fired_at', 'text')
    .addColumn('voided_at', 'text')
    .addColumn('void_reason', 'text')
    .execute();
  await db.schema.createIndex('order_lines_order').on('order_lines').columns(['order_id', 'position']).execute();

  // What each station was sent: one row per operation and station, its key unique, so that a retry finds the
  // same ticket (and its print job) instead of making another.
  await db.schema
    .createTable('kitchen_tickets')
    .addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement())
    .addColumn('send_key', 'text', (c) => c.notNull().unique())
    .addColumn('order_id', 'text', (c) => c.notNull().references('orders.id'))
    .addColumn('station_id', 'integer', (c) => c.notNull().references('stations.id'))
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('items', 'text', (c) => c.notNull())
    .addColumn('print_job_id', 'integer', (c) => c.references('print_jobs.id'))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('kitchen_tickets_station').on('kitchen_tickets').columns(['station_id', 'id']).execute();

  // What each ticket paid of an order's lines (a bill split by item is several tickets, each its lines).
  await db.schema
    .createTable('order_payments')
    .addColumn('sale_id', 'text', (c) => c.notNull().references('sales.id'))
    .addColumn('line_id', 'text', (c) => c.notNull().references('order_lines.id'))
    .addColumn('quantity', 'integer', (c) => c.notNull())
    .addPrimaryKeyConstraint('order_payments_pk', ['sale_id', 'line_id'])
    .execute();
  await db.schema.createIndex('order_payments_line').on('order_payments').column('line_id').execute();

  // The restaurant's notes (l'addition): numbered per outlet; printed again unchanged, a DUPLICATA counted.
  await db.schema
    .createTable('order_notes')
    .addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement())
    .addColumn('order_id', 'text', (c) => c.notNull().references('orders.id'))
    .addColumn('outlet_id', 'integer', (c) => c.notNull().references('outlets.id'))
    .addColumn('number', 'integer', (c) => c.notNull())
    .addColumn('copy', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('content_hash', 'text', (c) => c.notNull())
    .addColumn('total_cents', 'integer', (c) => c.notNull())
    .addColumn('customer_name', 'text')
    .addColumn('print_job_id', 'integer', (c) => c.references('print_jobs.id'))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();
}
