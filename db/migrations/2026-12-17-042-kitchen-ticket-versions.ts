import type { Kysely } from 'kysely';

// Each change of a kitchen ticket's state (prêt, servi, repris) counts one more: a waiter's phone that hears
// the ticket twice (a snapshot read before « Servi », a socket message after it) keeps the later one, and a
// served notice never comes back with a late snapshot.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .alterTable('kitchen_tickets')
    .addColumn('state_version', 'integer', (c) => c.notNull().defaultTo(0))
    .execute();
}
