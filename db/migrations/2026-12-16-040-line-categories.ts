import { sql, type Kysely } from 'kysely';
import { dropRefusal, engineOf, refuseWrites } from '../engine.ts';

// Each sold line keeps the category its product was in when it was sold (found by a business probe: a product
// moved to another category moved the commission of its unsettled sales with it, and the refund of a solidarity
// sale, looking up the product's category of today, gave the whole price back to the fund and nothing to the
// household). A refund line takes the category of the line it gives back. Not part of the ticket's hash (like
// `business_day` and the other copies of migration 033): the commission and the fund's shares read it.
// `sale_lines` is append-only: its update trigger is lifted for the copy onto the existing lines (their
// products' categories as they stand: the best known), and put back in the same migration.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function up(db: Kysely<any>): Promise<void> {
  await sql`alter table sale_lines add column category_id integer`.execute(db);
  await dropRefusal(db, 'sale_lines_no_update', 'sale_lines');
  if (engineOf(db) === 'postgres')
    await sql`update sale_lines l set category_id = p.category_id from products p where p.id = l.product_id`.execute(db);
  else await sql`update sale_lines set category_id = (select p.category_id from products p where p.id = sale_lines.product_id)`.execute(db);
  await refuseWrites(db, { name: 'sale_lines_no_update', table: 'sale_lines', op: 'update', message: 'sale_lines is append-only' });
}
