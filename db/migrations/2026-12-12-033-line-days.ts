import { sql, type Kysely } from 'kysely';
import { dropRefusal, engineOf, refuseWrites } from '../engine.ts';

// The business day of each sold line, copied from its ticket when the ticket is committed
// (`sale_lines.business_day`), and the producer's lines indexed by it: `(producer_id, business_day, sale_id)`
// replaces `(producer_id, sale_id)`.
//
// A producer's portal asks for their lines of some days (today, a month, a year). Found through the old
// index, they were all the producer's lines ever sold, each one's ticket then looked up for its day: a
// producer delivering to three sites has 8,600 lines a year, and PostgreSQL's month's sales took 60–80 ms at
// p99 (bench/portal.ts). With the day on the line, the index gives the period's lines only. The statements,
// which go from a day's tickets to their lines, probe the same index by (producer, the ticket's day, ticket).
//
// `sale_lines` is append-only: its update trigger is lifted for the copy of the existing lines' days, and put
// back in the same migration (one transaction on both engines). The day is not part of a ticket's hash: it is
// the ticket's own, already chained. PostgreSQL refuses a line without it; on SQLite (no `alter column`) the
// one place that writes lines (server/sales/record.ts) always gives it.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function up(db: Kysely<any>): Promise<void> {
  const postgres = engineOf(db) === 'postgres';
  await sql`alter table sale_lines add column business_day text`.execute(db);
  await dropRefusal(db, 'sale_lines_no_update', 'sale_lines');
  if (postgres) await sql`update sale_lines l set business_day = s.business_day from sales s where s.id = l.sale_id`.execute(db);
  else await sql`update sale_lines set business_day = (select s.business_day from sales s where s.id = sale_lines.sale_id)`.execute(db);
  await refuseWrites(db, { name: 'sale_lines_no_update', table: 'sale_lines', op: 'update', message: 'sale_lines is append-only' });
  if (postgres) await sql`alter table sale_lines alter column business_day set not null`.execute(db);
  await sql`drop index sale_lines_producer`.execute(db);
  await db.schema.createIndex('sale_lines_producer_day').on('sale_lines').columns(['producer_id', 'business_day', 'sale_id']).execute();
}
