import type { Kysely } from 'kysely';

// Failed PIN and password checks, counted per person and per device (server/auth/limiter.ts). One row per
// counter: `user:<id>` (the person whose PIN or password was tried), `anon:<device id>` (PINs typed without
// naming anyone on that tablet, manager approvals among them), `device:<id>` (every failure on that tablet).
// `failures` includes the attempts reserved and not yet settled, so concurrent guesses are counted before
// their hash is checked. The till-wide `tills.pin_failures` / `pin_locked_until` are no longer used.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('auth_limits')
    .addColumn('key', 'text', (c) => c.primaryKey())
    .addColumn('failures', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('last_failure_at', 'text', (c) => c.notNull())
    .addColumn('locked_until', 'text')
    .execute();
}
