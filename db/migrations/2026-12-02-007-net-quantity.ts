import type { Kysely } from 'kysely';
import { sql } from 'kysely';

// The net quantity of a prepacked product sold by the piece (a 500 g jar, a 75 cl bottle): the shelf
// label must then show its price per kilogram or per litre (arrêté du 16 novembre 1999). Both set or
// both null; the application checks the pair, SQLite the unit and the range.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .alterTable('products')
    .addColumn('net_quantity', 'integer', (c) => c.check(sql`net_quantity is null or (net_quantity > 0 and net_quantity <= 1000000)`))
    .execute();
  await db.schema
    .alterTable('products')
    .addColumn('net_unit', 'text', (c) => c.check(sql`net_unit is null or net_unit in ('g', 'ml')`))
    .execute();
}
