import { sql, type Kysely } from 'kysely';
import { engineOf } from '../engine.ts';

// Several server processes on one database (issue 23):
// - A printer's last known state (ready, paper out, offline…) is kept on its row. Only the process that owns
//   the print queue talks to the printers; every other process answers a till or a manager from this row.
// - On PostgreSQL, socket.io's adapter carries events between the processes by NOTIFY; a message too big for
//   a NOTIFY (8 kB) goes through its attachments table.
// - On PostgreSQL, the per-address limit on logins and PINs (server/http/rate-limit.ts) is counted in the
//   database, once for all processes: unlogged (a crash may forget it: it is a fence, not a record).
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('printers').addColumn('state', 'text').execute();
  await db.schema.alterTable('printers').addColumn('state_error', 'text').execute();
  await db.schema.alterTable('printers').addColumn('state_at', 'text').execute();
  if (engineOf(db) === 'postgres') {
    await sql`create table socket_io_attachments (id bigserial unique, created_at timestamptz default now(), payload bytea)`.execute(db);
    await sql`create unlogged table rate_buckets (key text primary key, tokens float8 not null, at bigint not null, ok boolean not null)`.execute(
      db,
    );
  }
}
