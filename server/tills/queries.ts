/** The tills domain's reads. */
import type { Db } from '../../db/schema.ts';

/** The event a till's earlier report of this refused ticket wrote, if any (a receipt request carries its sale's id: the kind tells them apart). */
export async function refusedTicketEvent(db: Db, subject: string, id: string, kind: string) {
  return (
    db
      .selectFrom('events')
      .select('id')
      .where('kind', '=', 'till.ticket_refused')
      .where('subject', '=', subject)
      // SQLite: json_extract on the event's JSON text; PostgreSQL would read `(data::jsonb ->> 'id')` and `->> 'kind'`.
      .where((eb) => eb(eb.fn('json_extract', ['data', eb.val('$.id')]), '=', id))
      .where((eb) => eb(eb.fn('json_extract', ['data', eb.val('$.kind')]), '=', kind))
      .executeTakeFirst()
  );
}

/** The alert an earlier report of this same missing head wrote, if any (a tablet reports at every sync). */
export async function headMissingEvent(db: Db, subject: string, number: number, hash: string) {
  return (
    db
      .selectFrom('events')
      .select('id')
      .where('kind', '=', 'journal.head_missing')
      .where('subject', '=', subject)
      // SQLite: json_extract on the event's JSON text; PostgreSQL would read `(data::jsonb ->> 'number')` and `->> 'hash'`.
      .where((eb) => eb(eb.fn('json_extract', ['data', eb.val('$.number')]), '=', number))
      .where((eb) => eb(eb.fn('json_extract', ['data', eb.val('$.hash')]), '=', hash))
      .executeTakeFirst()
  );
}
