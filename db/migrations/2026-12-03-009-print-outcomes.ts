import { sql, type Kysely } from 'kysely';

// What became of a print job, beyond done/failed/cancelled:
// - `unconfirmed`: every byte went to the printer but it never said it printed (it reset, or answered too
//   late). Never sent again by itself (a kitchen ticket printed twice is a dish cooked twice): staff say
//   it came out, or reprint it marked as a reprint.
// - `expired`: a cash-drawer pulse whose turn came too late (the printer was down): the drawer must not
//   open with nobody at the counter.
// `resolved_*` record who settled a failed or unconfirmed job, and how (confirmed, reprinted, dismissed).
// SQLite cannot alter a CHECK constraint: the table is rebuilt (it is referenced by no other table).
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('print_jobs_new')
    .addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement())
    .addColumn('printer_id', 'integer', (c) => c.notNull().references('printers.id'))
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('subject', 'text')
    .addColumn('bytes', 'blob', (c) => c.notNull())
    .addColumn('status', 'text', (c) =>
      c.notNull().check(sql`status in ('queued','printing','done','failed','cancelled','unconfirmed','expired')`),
    )
    .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('last_error', 'text')
    .addColumn('next_attempt_at', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('created_by', 'integer', (c) => c.references('users.id'))
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addColumn('done_at', 'text')
    .addColumn('resolved_at', 'text')
    .addColumn('resolved_by', 'integer', (c) => c.references('users.id'))
    .addColumn('resolution', 'text', (c) =>
      c.check(sql`resolution is null or resolution in ('confirmed','reprinted','dismissed','retried')`),
    )
    .execute();
  await sql`insert into print_jobs_new (id, printer_id, kind, subject, bytes, status, attempts, last_error, next_attempt_at, created_at, created_by, updated_at, done_at)
    select id, printer_id, kind, subject, bytes, status, attempts, last_error, next_attempt_at, created_at, created_by, updated_at, done_at from print_jobs`.execute(
    db,
  );
  await db.schema.dropTable('print_jobs').execute();
  await db.schema.alterTable('print_jobs_new').renameTo('print_jobs').execute();
  await db.schema.createIndex('print_jobs_waiting').on('print_jobs').columns(['status', 'printer_id', 'id']).execute();
  await db.schema.createIndex('print_jobs_subject').on('print_jobs').columns(['subject']).execute();
}
