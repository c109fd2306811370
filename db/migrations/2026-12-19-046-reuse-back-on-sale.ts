import type { Kysely } from 'kysely';

// When a one-off item came back on sale (its sale refunded, the object on the shelf again). A ticket written
// before then cannot sell it: a till's ticket refused as « déjà vendu », sent again once the object was back,
// sold it a second time, its 12 € in the books twice (found by a walk).
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('reuse_items').addColumn('back_on_sale_at', 'text').execute();
}
