import { sql, type Kysely } from 'kysely';

// A dish sold at a till (the bar's counter sale) goes to the kitchen like a table's: the sale opens and
// closes an order of its own at once, with no table, which carries the kitchen's tickets. `sale_id` names
// the ticket that paid it: the kitchen screen and the kitchen printer say « Comptoir », the till and the
// ticket's number instead of a table.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function up(db: Kysely<any>): Promise<void> {
  await sql`alter table orders add column sale_id text references sales(id)`.execute(db);
  await sql`create unique index orders_sale on orders (sale_id) where sale_id is not null`.execute(db);
}
