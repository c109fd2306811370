/** What the live updates read: a till's rooms, products' stock and owners (portable SQL). */
import type { StockChangedEvent } from '../../shared/realtime.ts';
import type { Db } from '../../db/schema.ts';
import { producerScope, type Actor } from '../auth/access.ts';

/** The outlet and receipt printer of a till: the rooms its tablet joins. */
export async function tillRooms(db: Db, tillId: number) {
  return db.selectFrom('tills').select(['outlet_id', 'printer_id']).where('id', '=', tillId).executeTakeFirst();
}

/** The printers of an outlet's preparation stations. */
export async function stationPrinters(db: Db, outletId: number): Promise<number[]> {
  const rows = await db
    .selectFrom('stations')
    .select('printer_id')
    .where('outlet_id', '=', outletId)
    .where('printer_id', 'is not', null)
    .execute();
  return rows.map((r) => r.printer_id!);
}

/** Of these products, those the actor may follow the stock of (a producer: their own only). */
export async function followableProducts(db: Db, actor: Actor, ids: number[]): Promise<number[]> {
  const { producerId } = producerScope(actor);
  if (producerId === null) return ids;
  const own = await db.selectFrom('products').select('id').where('producer_id', '=', producerId).where('id', 'in', ids).execute();
  return own.map((r) => r.id);
}

/** Stock on hand of tracked products at each site, and whether each is at or below its threshold. */
export async function stockOf(db: Db, productIds: number[]): Promise<StockChangedEvent[]> {
  if (!productIds.length) return [];
  const rows = await db
    .selectFrom('products')
    .crossJoin('sites')
    .leftJoin('stock_levels', (j) => j.onRef('stock_levels.product_id', '=', 'products.id').onRef('stock_levels.site_id', '=', 'sites.id'))
    .select(['products.id', 'sites.id as site_id', 'products.low_stock_threshold', 'stock_levels.on_hand'])
    .where('products.id', 'in', productIds)
    .where('products.stock_tracked', '=', 1)
    .execute();
  return rows.map((r) => ({
    productId: r.id,
    siteId: r.site_id,
    onHand: r.on_hand ?? 0,
    low: r.low_stock_threshold !== null && (r.on_hand ?? 0) <= r.low_stock_threshold,
  }));
}

export async function ownersOf(db: Db, productIds: number[]) {
  return db.selectFrom('products').select(['id', 'producer_id']).where('id', 'in', productIds).execute();
}

export async function outletIds(db: Db): Promise<{ id: number; siteId: number }[]> {
  return (await db.selectFrom('outlets').select(['id', 'site_id']).execute()).map((o) => ({ id: o.id, siteId: o.site_id }));
}

/**
 * Where each outlet, till and printer is: its site (a printer of no outlet: none). The managers tied to a site
 * hear of that site only (`server/realtime/realtime.ts`).
 */
/** A printer no tied manager reaches (it prints for several sites): the network's managers hear of it only. */
export const NO_SITE = -1;

export async function placesOf(db: Db) {
  const outlets = new Map((await db.selectFrom('outlets').select(['id', 'site_id']).execute()).map((o) => [o.id, o.site_id]));
  const tills = new Map(
    (await db.selectFrom('tills').select(['id', 'outlet_id']).execute()).map((t) => [t.id, outlets.get(t.outlet_id) ?? null]),
  );
  // A printer of no outlet is the network's until a till or kitchen station prints on it, then that site's;
  // printing for two sites, no tied manager's (server/sites/sites.ts, `printerOfSite`, the REST side's rule):
  // null for every site, NO_SITE for none.
  const usedAt = new Map<number, Set<number>>();
  const users = [
    ...(await db.selectFrom('tills').select(['printer_id', 'outlet_id']).where('printer_id', 'is not', null).execute()),
    ...(await db.selectFrom('stations').select(['printer_id', 'outlet_id']).where('printer_id', 'is not', null).execute()),
  ];
  for (const u of users) {
    const site = outlets.get(u.outlet_id);
    if (u.printer_id === null || site === undefined) continue;
    const sites = usedAt.get(u.printer_id) ?? new Set<number>();
    sites.add(site);
    usedAt.set(u.printer_id, sites);
  }
  const printers = new Map(
    (await db.selectFrom('printers').select(['id', 'outlet_id']).execute()).map((p) => {
      if (p.outlet_id !== null) return [p.id, outlets.get(p.outlet_id) ?? null];
      const sites = [...(usedAt.get(p.id) ?? [])];
      return [p.id, sites.length === 0 ? null : sites.length === 1 ? sites[0]! : NO_SITE];
    }),
  );
  return { outlets, tills, printers };
}
