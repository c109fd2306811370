/** The printing domain's reads beyond printers and jobs (portable SQL: nothing here is SQLite-specific). */
import type { OutletCode, Db } from '../../db/schema.ts';
import { firstSiteId, outletAt } from '../sites/sites.ts';

/** The name an X report prints for its outlet. */
export async function outletNameByCode(db: Db, code: OutletCode, siteId?: number): Promise<string> {
  return (await outletAt(db, code, siteId ?? (await firstSiteId(db)))).name;
}

/** The name a closing prints for its outlet. */
export async function outletNameById(db: Db, id: number): Promise<string> {
  return (await db.selectFrom('outlets').select('name').where('id', '=', id).executeTakeFirstOrThrow()).name;
}

/** A stored ticket's id and number, for its DUPLICATA. */
export async function saleNumber(db: Db, saleId: string) {
  return db.selectFrom('sales').select(['id', 'number']).where('id', '=', saleId).executeTakeFirstOrThrow();
}
