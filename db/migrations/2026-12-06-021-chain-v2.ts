import type { Kysely } from 'kysely';

// Ticket chain version 2 (issue 20 item 3): the hash covers every fiscal field of a ticket — its outlet, the
// refund's reason and approver, the time the server received it, whether it was booked late or after a gap,
// the tablet and the number it proposed, the software version that recorded it, and each line's unit, note
// and refunded line. Tickets recorded before keep `chain_version` 1 and verify as they always did.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .alterTable('sales')
    .addColumn('chain_version', 'integer', (c) => c.notNull().defaultTo(1))
    .execute();
  await db.schema.alterTable('sales').addColumn('software_version', 'text').execute();
}
