import { sql, type Kysely } from 'kysely';
import { dropRefusal, engineOf, refuseWrites } from '../engine.ts';

// The perpetual grand totals (a till's running total on each ticket, an outlet's on each closing) never
// stop growing: a till that takes 1 M€ a year passes 2^31 cents (21.4 M€) in about twenty years, a busy one
// much sooner. SQLite's integers are 64-bit; PostgreSQL's `integer` is 32-bit, and moving a five-year shop
// there failed on it (bench/five-years.ts: "value 2148806410 is out of range for type integer"). Both become
// `bigint` on PostgreSQL (read back as numbers, db/engine.ts). The closings' update rule names the column:
// PostgreSQL cannot change a column's type under a trigger's condition, so the rule is made again around it,
// word for word as migration 017 wrote it.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function up(db: Kysely<any>): Promise<void> {
  if (engineOf(db) !== 'postgres') return;
  await sql`alter table sales alter column till_grand_total_cents type bigint`.execute(db);
  await dropRefusal(db, 'closings_no_update', 'closings');
  await sql`alter table closings alter column grand_total_cents type bigint`.execute(db);
  await refuseWrites(db, {
    name: 'closings_no_update',
    table: 'closings',
    op: 'update',
    when: `old.signature is not null or new.signature is null or new.key_id is null
      or new.outlet_id is not old.outlet_id or new.kind is not old.kind or new.period is not old.period
      or new.seq is not old.seq or new.closed_at is not old.closed_at or new.closed_by is not old.closed_by
      or new.figures is not old.figures or new.total_cents is not old.total_cents
      or new.grand_total_cents is not old.grand_total_cents or new.prev_hash is not old.prev_hash
      or new.hash is not old.hash or new.id is not old.id`,
    message: 'closings is append-only',
  });
}
