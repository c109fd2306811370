import { sql, type Kysely } from 'kysely';
import { dropRefusal, engineOf, refuseWrites } from '../engine.ts';

// What a producer's portal reads of each sold line, on the line itself: its ticket's business day, training
// flag, kind (sale or refund) and outlet, copied from the ticket when it is committed, and the producer's lines
// indexed by day with what the portal sums (`sale_lines_producer_day`, which replaces `(producer_id, sale_id)`).
//
// A producer's portal asks for their lines of some days (today, a month, a year). Found through the old
// index, they were all the producer's lines ever sold, each one's ticket then looked up for its day: a
// producer delivering to three sites has 8,600 lines a year, and PostgreSQL's month's sales took 60–80 ms at
// p99 (bench/portal.ts). Now the index gives the period's lines only, and carries everything the sums need:
// SQLite reads them from the index alone (the table is keyed by ticket and line, so its entries end with
// them); PostgreSQL keeps the summed columns as the index's payload (`include`), read without the table once
// vacuum has marked its pages. Only the producers' lines are in it (the house's own goods and dishes are
// nobody's to read by day): a ticket of the restaurant's adds no entry.
//
// `sale_lines` is append-only: its update trigger is lifted for the copy onto the existing lines, and put back
// in the same migration (one transaction on both engines). None of the copies is part of a ticket's hash: they
// are the ticket's own, already chained, and `verify` compares them with it. PostgreSQL refuses a line without
// them; on SQLite (no `alter column`) the one place that writes lines (server/sales/record.ts) always gives them.
const COPIED = ['business_day', 'training', 'kind', 'outlet_id'] as const;

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function up(db: Kysely<any>): Promise<void> {
  const postgres = engineOf(db) === 'postgres';
  await sql`alter table sale_lines add column business_day text`.execute(db);
  await sql`alter table sale_lines add column training integer`.execute(db);
  await sql`alter table sale_lines add column kind text`.execute(db);
  await sql`alter table sale_lines add column outlet_id integer`.execute(db);
  await dropRefusal(db, 'sale_lines_no_update', 'sale_lines');
  if (postgres)
    await sql`update sale_lines l set business_day = s.business_day, training = s.training, kind = s.kind, outlet_id = s.outlet_id
      from sales s where s.id = l.sale_id`.execute(db);
  else
    await sql`update sale_lines set (business_day, training, kind, outlet_id) =
      (select s.business_day, s.training, s.kind, s.outlet_id from sales s where s.id = sale_lines.sale_id)`.execute(db);
  await refuseWrites(db, { name: 'sale_lines_no_update', table: 'sale_lines', op: 'update', message: 'sale_lines is append-only' });
  if (postgres) for (const column of COPIED) await sql`alter table sale_lines alter column ${sql.ref(column)} set not null`.execute(db);
  await sql`drop index sale_lines_producer`.execute(db);
  if (postgres)
    await sql`create index sale_lines_producer_day on sale_lines (producer_id, business_day)
      include (training, kind, outlet_id, product_id, quantity, total_cents, sale_id) where producer_id is not null`.execute(db);
  else
    await sql`create index sale_lines_producer_day on sale_lines
      (producer_id, business_day, training, kind, outlet_id, product_id, quantity, total_cents) where producer_id is not null`.execute(db);
}
