import type { Kysely } from 'kysely';

// The highest sales rowid a statement had seen when it was worked out. Every sale line dated before the
// next statement's period and not settled yet must belong to a sale written after that mark: the next
// statement finds such late lines by a range on rowid (the tickets of the last month or so) instead of
// re-reading the producer's whole history. Null for statements issued before the mark existed.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('statements').addColumn('sales_watermark', 'integer').execute();
}
