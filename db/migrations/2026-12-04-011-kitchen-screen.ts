import type { Kysely } from 'kysely';

// The kitchen screen: each station's ticket moves from « à préparer » to « prêt » to « servi » (and back,
// when the kitchen recalls it); a reprint the kitchen asks for is counted, and printed marked as such.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .alterTable('kitchen_tickets')
    .addColumn('state', 'text', (c) => c.notNull().defaultTo('todo'))
    .execute();
  await db.schema.alterTable('kitchen_tickets').addColumn('state_at', 'text').execute();
  await db.schema
    .alterTable('kitchen_tickets')
    .addColumn('reprints', 'integer', (c) => c.notNull().defaultTo(0))
    .execute();
  await db.schema.createIndex('kitchen_tickets_state').on('kitchen_tickets').columns(['station_id', 'state', 'created_at']).execute();
}
