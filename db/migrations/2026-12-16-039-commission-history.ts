import type { Kysely } from 'kysely';
import { refuseWrites } from '../engine.ts';

// The commission a producer's sale bears is the one agreed when it was sold (found by a business probe: a
// rate lowered on the 20th was applied to the whole month's unsettled sales, the 1st to the 19th included,
// and to the refund of a sale commissioned at the old rate). `commission_terms` keeps every set of terms a
// producer has had, from when: the default rate and the rate of each category (as JSON, `{"<category
// id>": <basis points>}`), like `product_prices` keeps prices. Append-only.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('commission_terms')
    .addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement())
    .addColumn('producer_id', 'integer', (c) => c.notNull().references('producers.id'))
    .addColumn('default_bp', 'integer', (c) => c.notNull())
    .addColumn('by_category', 'text', (c) => c.notNull())
    .addColumn('valid_from', 'text', (c) => c.notNull())
    // Null for the rows the migration made from the terms as they stood.
    .addColumn('set_by', 'integer', (c) => c.references('users.id'))
    .execute();
  await db.schema.createIndex('commission_terms_producer').on('commission_terms').columns(['producer_id', 'valid_from']).execute();
  // The terms as they stand now, in force since the producer was created: the history begins here (a sale
  // from before it is commissioned at these, as every sale was until now).
  const producers: { id: number; commission_bp: number; created_at: string }[] = await db
    .selectFrom('producers')
    .select(['id', 'commission_bp', 'created_at'])
    .orderBy('id')
    .execute();
  const rates: { producer_id: number; category_id: number; commission_bp: number }[] = await db
    .selectFrom('producer_commissions')
    .select(['producer_id', 'category_id', 'commission_bp'])
    .orderBy('producer_id')
    .orderBy('category_id')
    .execute();
  for (const p of producers) {
    const byCategory = Object.fromEntries(rates.filter((r) => r.producer_id === p.id).map((r) => [String(r.category_id), r.commission_bp]));
    await db
      .insertInto('commission_terms')
      .values({
        producer_id: p.id,
        default_bp: p.commission_bp,
        by_category: JSON.stringify(byCategory),
        valid_from: p.created_at,
        set_by: null,
      })
      .execute();
  }
  for (const op of ['update', 'delete'] as const)
    await refuseWrites(db, {
      name: `commission_terms_no_${op}`,
      table: 'commission_terms',
      op,
      message: 'commission_terms is append-only',
    });
}
