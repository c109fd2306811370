import type { Kysely } from 'kysely';

// A till has one tablet at a time: pairing another one moves the till to it and marks the old one replaced
// (it may still deliver what it had queued). Each ticket says which tablet sent it, and a ticket whose
// number another tablet of the same till had already used keeps the number that tablet gave it as
// `proposed_number`, while it is recorded with the till's next number (never refused: the money was taken).
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('devices').addColumn('replaced_at', 'text').execute();
  await db.schema
    .alterTable('sales')
    .addColumn('device_id', 'integer', (c) => c.references('devices.id'))
    .execute();
  await db.schema.alterTable('sales').addColumn('proposed_number', 'integer').execute();
}
