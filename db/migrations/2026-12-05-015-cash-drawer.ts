import type { Kysely } from 'kysely';
import { refuseWrites } from '../engine.ts';

// The cash drawer's own life, apart from the tickets: the opening float counted at the start of a business
// day (kind `float`), cash put in and taken out during the day (`in`, `out`) with a reason. Immutable: a
// mistake is corrected by an opposite movement. Each row is also a chained event (`drawer.*`), and the day's
// Z carries them in its chained figures.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('cash_movements')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('outlet_id', 'integer', (c) => c.notNull().references('outlets.id'))
    .addColumn('till_id', 'integer', (c) => c.references('tills.id'))
    .addColumn('business_day', 'text', (c) => c.notNull())
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('reason', 'text', (c) => c.notNull())
    .addColumn('amount_cents', 'integer', (c) => c.notNull())
    .addColumn('note', 'text')
    .addColumn('producer_id', 'integer', (c) => c.references('producers.id'))
    .addColumn('denominations', 'text')
    .addColumn('user_id', 'integer', (c) => c.notNull().references('users.id'))
    .addColumn('approved_by', 'integer', (c) => c.references('users.id'))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('body_hash', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('cash_movements_day').on('cash_movements').columns(['outlet_id', 'business_day']).execute();
  // Append-only, as the tickets: a mistake is corrected by an opposite movement, never by an edit.
  for (const op of ['update', 'delete'] as const)
    await refuseWrites(db, { name: `cash_movements_no_${op}`, table: 'cash_movements', op, message: 'cash_movements is append-only' });
}
