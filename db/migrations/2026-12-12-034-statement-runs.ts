import { sql, type Kysely } from 'kysely';

// A run of the month's statements, kept in the database rather than in the memory of the process that runs
// it (issue 23, several processes): any process answers how far it has got, and two runs started at once in
// two processes cannot both run — at most one row is `running` (a unique index on the running rows). A run
// whose process died stops being heard from (`heartbeat_at`); the next start marks it failed and goes on,
// and running the month again finishes what it left.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('statement_runs')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('period_from', 'text', (c) => c.notNull())
    .addColumn('period_to', 'text', (c) => c.notNull())
    .addColumn('total', 'integer', (c) => c.notNull())
    .addColumn('done', 'integer', (c) => c.notNull())
    .addColumn('issued', 'integer', (c) => c.notNull())
    // JSON: [{ producerId, producerName, reason }]
    .addColumn('skipped', 'text', (c) => c.notNull())
    .addColumn('state', 'text', (c) => c.notNull().check(sql`state in ('running', 'finished', 'failed')`))
    .addColumn('started_by', 'integer', (c) => c.notNull().references('users.id'))
    .addColumn('started_at', 'text', (c) => c.notNull())
    .addColumn('heartbeat_at', 'text', (c) => c.notNull())
    .addColumn('finished_at', 'text')
    .execute();
  await sql`create unique index statement_runs_one_running on statement_runs (state) where state = 'running'`.execute(db);
  await db.schema.createIndex('statement_runs_started').on('statement_runs').column('started_at').execute();
}
