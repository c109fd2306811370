import { sql, type Kysely } from 'kysely';

// Printers and the print queue. Jobs keep the exact bytes to send (made when queued), so a restart, a
// retry or a reprint from the back office sends what was meant, whatever has changed since.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('printers')
    .addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('outlet_id', 'integer', (c) => c.references('outlets.id'))
    .addColumn('role', 'text', (c) => c.notNull().check(sql`role in ('receipt','kitchen')`))
    // file:DIR, tcp://host:port, usb:VVVV:PPPP
    .addColumn('uri', 'text', (c) => c.notNull())
    .addColumn('columns', 'integer', (c) => c.notNull().check(sql`columns in (32, 48)`))
    .addColumn('code_page', 'text', (c) => c.notNull().check(sql`code_page in ('pc858','wpc1252')`))
    .addColumn('drawer', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('active', 'integer', (c) => c.notNull().defaultTo(1))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema
    .alterTable('tills')
    .addColumn('printer_id', 'integer', (c) => c.references('printers.id'))
    .execute();
  await db.schema
    .createTable('print_jobs')
    .addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement())
    .addColumn('printer_id', 'integer', (c) => c.notNull().references('printers.id'))
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('subject', 'text')
    .addColumn('bytes', 'blob', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull().check(sql`status in ('queued','printing','done','failed','cancelled')`))
    .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('last_error', 'text')
    .addColumn('next_attempt_at', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('created_by', 'integer', (c) => c.references('users.id'))
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addColumn('done_at', 'text')
    .execute();
  await db.schema.createIndex('print_jobs_waiting').on('print_jobs').columns(['status', 'printer_id', 'id']).execute();
  await db.schema.createIndex('print_jobs_subject').on('print_jobs').columns(['subject']).execute();
}
