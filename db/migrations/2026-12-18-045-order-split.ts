import type { Kysely } from 'kysely';

// A bill shared in equal parts: how many, and how many are paid, kept with the order. It lived in one phone's
// memory: reloaded, or paid from another phone, the split started again (« part 1/2 » printed for a third, and
// the third guest charged half of what was left: found by a walk).
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('orders').addColumn('split_parts', 'integer').execute();
  await db.schema
    .alterTable('orders')
    .addColumn('split_paid', 'integer', (c) => c.notNull().defaultTo(0))
    .execute();
}
