import { sql, type Kysely } from 'kysely';
import { refuseWrites } from '../engine.ts';

// Closings (Z): daily per outlet, then monthly and yearly built from the days; one chain per outlet.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('closings')
    .addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement())
    .addColumn('outlet_id', 'integer', (c) => c.notNull().references('outlets.id'))
    .addColumn('kind', 'text', (c) => c.notNull().check(sql`kind in ('day','month','year')`))
    .addColumn('period', 'text', (c) => c.notNull())
    .addColumn('seq', 'integer', (c) => c.notNull())
    .addColumn('closed_at', 'text', (c) => c.notNull())
    .addColumn('closed_by', 'integer', (c) => c.notNull().references('users.id'))
    .addColumn('figures', 'text', (c) => c.notNull())
    .addColumn('total_cents', 'integer', (c) => c.notNull())
    .addColumn('grand_total_cents', 'integer', (c) => c.notNull())
    .addColumn('prev_hash', 'text', (c) => c.notNull())
    .addColumn('hash', 'text', (c) => c.notNull())
    .addUniqueConstraint('closings_period', ['outlet_id', 'kind', 'period'])
    .addUniqueConstraint('closings_seq', ['outlet_id', 'seq'])
    .execute();
  for (const op of ['update', 'delete'] as const)
    await refuseWrites(db, { name: `closings_no_${op}`, table: 'closings', op, message: 'closings is append-only' });
}
