import type { Kysely } from 'kysely';

// Two fixes found by an attack on a network of sites.
//
// 1. Where a category's dishes are prepared is each restaurant's own: one column on the network's category sent
//    every site's dishes to the one station named there (Rodez's manager routed Castres' mains to Rodez's
//    kitchen). It is now one row per category and outlet; the old column is copied here and no longer read (SQLite
//    cannot drop a column a foreign key names).
// 2. A part of a sent line cancelled becomes a line of its own: `part_of` names the line it was cut from, which
//    keeps its id when it moves to another table. The manager's approval for a costly cancellation is judged on
//    everything cancelled of a line wherever it went (one dish cancelled, the rest moved, one more cancelled
//    there, and so on, stayed under the limit each time).
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('category_stations')
    .addColumn('category_id', 'integer', (c) => c.notNull().references('categories.id'))
    .addColumn('outlet_id', 'integer', (c) => c.notNull().references('outlets.id'))
    .addColumn('station_id', 'integer', (c) => c.notNull().references('stations.id'))
    .addPrimaryKeyConstraint('category_stations_pk', ['category_id', 'outlet_id'])
    .execute();
  const routed = await db
    .selectFrom('categories as c')
    .innerJoin('stations as s', 's.id', 'c.station_id')
    .select(['c.id as category_id', 's.outlet_id', 's.id as station_id'])
    .execute();
  if (routed.length) await db.insertInto('category_stations').values(routed).execute();
  await db.schema.alterTable('order_lines').addColumn('part_of', 'text').execute();
  await db.schema.createIndex('order_lines_part_of').on('order_lines').column('part_of').execute();
  // A part cancelled before: its line is found by its event (the cancellation's `partOf`) only, and a moved line's
  // earlier parts sit at the same position of the same order. Those are linked here, as the code did then.
  const parts = await db
    .selectFrom('order_lines as v')
    .innerJoin('order_lines as l', (j) =>
      j.onRef('l.order_id', '=', 'v.order_id').onRef('l.position', '=', 'v.position').onRef('l.id', '!=', 'v.id'),
    )
    .select(['v.id', 'l.id as line'])
    .where('v.status', '=', 'voided')
    .where('l.status', '!=', 'voided')
    .execute();
  for (const p of parts) await db.updateTable('order_lines').set({ part_of: p.line }).where('id', '=', p.id).execute();
}
