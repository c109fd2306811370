/** The tills domain's reads. */
import { jsonField } from '../../db/engine.ts';
import type { Db } from '../../db/schema.ts';

/** The event a till's earlier report of this refused ticket wrote, if any (a receipt request carries its sale's id: the kind tells them apart). */
export async function refusedTicketEvent(db: Db, subject: string, id: string, kind: string) {
  return db
    .selectFrom('events')
    .select('id')
    .where('kind', '=', 'till.ticket_refused')
    .where('subject', '=', subject)
    .where(jsonField(db, 'data', 'id'), '=', id)
    .where(jsonField(db, 'data', 'kind'), '=', kind)
    .executeTakeFirst();
}

/** The alert an earlier report of this same missing head wrote, if any (a tablet reports at every sync). */
export async function headMissingEvent(db: Db, subject: string, number: number, hash: string) {
  return db
    .selectFrom('events')
    .select('id')
    .where('kind', '=', 'journal.head_missing')
    .where('subject', '=', subject)
    .where(jsonField(db, 'data', 'number'), '=', number)
    .where(jsonField(db, 'data', 'hash'), '=', hash)
    .executeTakeFirst();
}
