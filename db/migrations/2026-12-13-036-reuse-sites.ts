import { sql, type Kysely } from 'kysely';

// The ressourcerie per site (issue 23, item 3): a donation is received, weighed and priced at one site, its
// objects are on sale at that site's ressourcerie only (they are there, not in Rodez), and each site reports
// its own tonnage. What was recorded before belongs to the first site, where the ressourcerie was; as in
// migration 032, the not-null columns default to it, and the application always writes them.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function up(db: Kysely<any>): Promise<void> {
  for (const table of ['reuse_intakes', 'reuse_items', 'reuse_outflows'])
    await db.schema
      .alterTable(table)
      .addColumn('site_id', 'integer', (c) => c.notNull().defaultTo(1))
      .execute();
  await db.schema.createIndex('reuse_items_site_status').on('reuse_items').columns(['site_id', 'status', 'priced_on']).execute();
  // Objects recorded before were put on sale at every site's ressourcerie: at their own site's only now.
  await sql`delete from product_outlets where exists (
    select 1 from reuse_items r inner join outlets o on o.id = product_outlets.outlet_id
    where r.product_id = product_outlets.product_id and o.site_id <> r.site_id)`.execute(db);
}
