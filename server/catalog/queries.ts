/** The catalogue domain's reads for the till (portable SQL: nothing here is SQLite-specific). */
import type { Db, OutletCode } from '../../db/schema.ts';

/** The outlet a paired till sells for. */
export async function outletOfTill(db: Db, tillId: number): Promise<OutletCode> {
  const till = await db
    .selectFrom('tills')
    .innerJoin('outlets', 'outlets.id', 'tills.outlet_id')
    .select('outlets.kind')
    .where('tills.id', '=', tillId)
    .executeTakeFirstOrThrow();
  return till.kind;
}

/** Active producers, by name: what a till shows beside a product. */
export async function activeProducerNames(db: Db) {
  return db.selectFrom('producers').select(['id', 'name', 'slug']).where('active', '=', 1).orderBy('name').execute();
}

/** The product a scale label's item code (PLU) stands for. */
export async function productIdByPlu(db: Db, plu: string): Promise<number | undefined> {
  return (await db.selectFrom('products').select('id').where('plu', '=', plu).executeTakeFirst())?.id;
}

/** The product a barcode (as stored: a UPC-A as its EAN-13) belongs to. */
export async function productIdByBarcode(db: Db, code: string): Promise<number | undefined> {
  return (await db.selectFrom('barcodes').select('product_id').where('code', '=', code).executeTakeFirst())?.product_id;
}
