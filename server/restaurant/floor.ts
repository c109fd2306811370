/** The restaurant's floor: rooms, their tables on a plan, and each table's open order at a glance; the stations. */
import type { z } from 'zod';
import type { RoomView } from '../../shared/api/restaurant.ts';
import type { roomBody, stationBody, tableBody, tablePatch } from '../../shared/api/restaurant.ts';
import type { Db, OutletCode, Trx } from '../../db/schema.ts';
import { Conflict, Invalid, NotFound, Unprocessable } from '../errors.ts';
import { recordEvent } from '../journal/events.ts';
import { firstSiteId, outletAt, requirePrinterAt, siteOfOutlet } from '../sites/sites.ts';

/** An outlet named by its kind at a site (the first site when not said). */
export async function outletIdOf(db: Db, code: OutletCode, siteId?: number): Promise<number> {
  return (await outletAt(db, code, siteId ?? (await firstSiteId(db)))).id;
}

type TableRow = {
  id: number;
  room_id: number;
  name: string;
  seats: number;
  shape: 'square' | 'round' | 'rect';
  x: number;
  y: number;
  width: number;
  height: number;
  active: 0 | 1;
};

const tableView = (t: TableRow, order: RoomView['tables'][number]['order'] = null): RoomView['tables'][number] => ({
  id: t.id,
  roomId: t.room_id,
  name: t.name,
  seats: t.seats,
  shape: t.shape,
  x: t.x,
  y: t.y,
  width: t.width,
  height: t.height,
  active: t.active === 1,
  order,
});

/** Every room of an outlet with its tables, each with its open order (covers, waiter, since when, amount). */
export async function listFloor(db: Db, outlet: OutletCode, siteId?: number): Promise<RoomView[]> {
  const outletId = await outletIdOf(db, outlet, siteId);
  const rooms = await db
    .selectFrom('rooms')
    .selectAll()
    .where('outlet_id', '=', outletId)
    .where('active', '=', 1)
    .orderBy('sort_order')
    .orderBy('id')
    .execute();
  if (!rooms.length) return [];
  const tables = await db
    .selectFrom('dining_tables')
    .selectAll()
    .where(
      'room_id',
      'in',
      rooms.map((r) => r.id),
    )
    .orderBy('id')
    .execute();
  const open = await db
    .selectFrom('orders')
    .innerJoin('users', 'users.id', 'orders.waiter_id')
    .leftJoin('order_lines', (j) => j.onRef('order_lines.order_id', '=', 'orders.id').on('order_lines.status', '!=', 'voided'))
    .select((eb) => [
      'orders.id',
      'orders.table_id',
      'orders.covers',
      'orders.opened_at',
      'users.display_name',
      eb.fn.coalesce(eb.fn.sum<number>(eb('order_lines.quantity', '*', eb.ref('order_lines.unit_price_cents'))), eb.val(0)).as('total'),
      eb.fn.count<number>(eb.case().when('order_lines.status', '=', 'new').then(1).end()).as('newLines'),
    ])
    .where('orders.outlet_id', '=', outletId)
    .where('orders.status', '=', 'open')
    .groupBy(['orders.id', 'orders.table_id', 'orders.covers', 'orders.opened_at', 'users.display_name'])
    .execute();
  const byTable = new Map(open.filter((o) => o.table_id !== null).map((o) => [o.table_id!, o]));
  return rooms.map((r) => ({
    id: r.id,
    outletId: r.outlet_id,
    name: r.name,
    sortOrder: r.sort_order,
    tables: tables
      .filter((t) => t.room_id === r.id)
      .map((t) => {
        const o = byTable.get(t.id);
        return tableView(
          t,
          o
            ? {
                id: o.id,
                covers: o.covers,
                waiterName: o.display_name,
                openedAt: o.opened_at,
                totalCents: Number(o.total),
                newLines: Number(o.newLines),
              }
            : null,
        );
      }),
  }));
}

export async function createRoom(
  trx: Trx,
  input: z.output<typeof roomBody>,
  userId: number,
  now: Date,
  siteId?: number,
): Promise<RoomView> {
  const outletId = await outletIdOf(trx, input.outlet, siteId);
  // Tables are a restaurant's: at the shop or the ressourcerie an order would sell what only a ticket may (a
  // one-off object, found by an independent check).
  const outlet = await trx.selectFrom('outlets').select('kind').where('id', '=', outletId).executeTakeFirstOrThrow();
  if (outlet.kind !== 'restaurant')
    throw new Unprocessable('Une salle et ses tables sont celles d’un restaurant.', [{ field: 'outlet', reason: 'pas un restaurant' }]);
  const last = await trx
    .selectFrom('rooms')
    .select((eb) => eb.fn.max('sort_order').as('m'))
    .where('outlet_id', '=', outletId)
    .executeTakeFirst();
  const row = await trx
    .insertInto('rooms')
    .values({ outlet_id: outletId, name: input.name, sort_order: Number(last?.m ?? 0) + 1 })
    .returningAll()
    .executeTakeFirstOrThrow();
  await recordEvent(trx, {
    kind: 'floor.room_created',
    userId,
    subject: `room:${row.id}`,
    data: { name: row.name },
    at: now.toISOString(),
  });
  return { id: row.id, outletId: row.outlet_id, name: row.name, sortOrder: row.sort_order, tables: [] };
}

export async function createTable(trx: Trx, roomId: number, input: z.output<typeof tableBody>, userId: number, now: Date) {
  const room = await trx.selectFrom('rooms').select('id').where('id', '=', roomId).executeTakeFirst();
  if (!room) throw new NotFound('Salle');
  const taken = await trx
    .selectFrom('dining_tables')
    .select('id')
    .where('room_id', '=', roomId)
    .where('name', '=', input.name)
    .executeTakeFirst();
  if (taken) throw new Conflict(`La table « ${input.name} » existe déjà dans cette salle.`, 'name');
  const row = await trx
    .insertInto('dining_tables')
    .values({ room_id: roomId, ...input })
    .returningAll()
    .executeTakeFirstOrThrow();
  await recordEvent(trx, {
    kind: 'floor.table_created',
    userId,
    subject: `table:${row.id}`,
    data: { name: row.name },
    at: now.toISOString(),
  });
  return tableView(row);
}

export async function updateTable(trx: Trx, id: number, patch: z.output<typeof tablePatch>, userId: number, now: Date) {
  const before = await trx.selectFrom('dining_tables').selectAll().where('id', '=', id).executeTakeFirst();
  if (!before) throw new NotFound('Table');
  const { active, ...rest } = patch;
  if (active === false) {
    const open = await trx.selectFrom('orders').select('id').where('table_id', '=', id).where('status', '=', 'open').executeTakeFirst();
    if (open) throw new Conflict('Cette table a une commande ouverte : réglez-la ou transférez-la avant de retirer la table.', 'active');
  }
  const row = await trx
    .updateTable('dining_tables')
    .set({ ...rest, ...(active === undefined ? {} : { active: active ? 1 : 0 }) })
    .where('id', '=', id)
    .returningAll()
    .executeTakeFirstOrThrow();
  await recordEvent(trx, { kind: 'floor.table_updated', userId, subject: `table:${id}`, data: patch, at: now.toISOString() });
  return tableView(row);
}

const stationView = (s: { id: number; outlet_id: number; name: string; printer_id: number | null; active: 0 | 1 }) => ({
  id: s.id,
  outletId: s.outlet_id,
  name: s.name,
  printerId: s.printer_id,
  active: s.active === 1,
});

/** The stations, or a site's (those of its outlets) when `siteId` is given. */
export async function listStations(db: Db, siteId: number | null = null) {
  let q = db.selectFrom('stations').selectAll();
  if (siteId !== null) q = q.where('outlet_id', 'in', db.selectFrom('outlets').select('id').where('site_id', '=', siteId));
  return (await q.orderBy('id').execute()).map(stationView);
}

export async function createStation(trx: Trx, input: z.output<typeof stationBody>, userId: number, now: Date, siteId?: number) {
  const outletId = await outletIdOf(trx, input.outlet, siteId);
  if (input.printerId !== null) {
    const printer = await trx.selectFrom('printers').select('id').where('id', '=', input.printerId).executeTakeFirst();
    if (!printer) throw new Invalid({ field: 'printerId', reason: 'imprimante inconnue' });
    await requirePrinterAt(trx, input.printerId, await siteOfOutlet(trx, outletId));
  }
  const row = await trx
    .insertInto('stations')
    .values({ outlet_id: outletId, name: input.name, printer_id: input.printerId })
    .returningAll()
    .executeTakeFirstOrThrow();
  await recordEvent(trx, {
    kind: 'floor.station_created',
    userId,
    subject: `station:${row.id}`,
    data: { name: row.name },
    at: now.toISOString(),
  });
  return stationView(row);
}

/**
 * Where a category's dishes are prepared at the restaurant of `siteId` (the site the manager works at): one of
 * that site's stations, or none (nothing to prepare there). Another site's routing is left as it is (a manager
 * tied to Rodez sent Castres' mains to Rodez's kitchen when it was one column of the network's category).
 */
export async function setCategoryStation(
  trx: Trx,
  categoryId: number,
  stationId: number | null,
  userId: number,
  now: Date,
  siteId: number,
) {
  const category = await trx.selectFrom('categories').select('id').where('id', '=', categoryId).executeTakeFirst();
  if (!category) throw new NotFound('Catégorie');
  const outlets = trx.selectFrom('outlets').select('id').where('site_id', '=', siteId);
  let outletId: number | null = null;
  if (stationId !== null) {
    const station = await trx
      .selectFrom('stations')
      .innerJoin('outlets', 'outlets.id', 'stations.outlet_id')
      .select(['stations.id', 'stations.outlet_id', 'outlets.site_id'])
      .where('stations.id', '=', stationId)
      .executeTakeFirst();
    if (!station) throw new Invalid({ field: 'stationId', reason: 'poste de préparation inconnu' });
    if (station.site_id !== siteId) throw new Invalid({ field: 'stationId', reason: 'poste de préparation d’un autre site' });
    outletId = station.outlet_id;
  }
  // One station per category at a site's restaurant: the one chosen replaces any other there.
  await trx.deleteFrom('category_stations').where('category_id', '=', categoryId).where('outlet_id', 'in', outlets).execute();
  if (stationId !== null && outletId !== null)
    await trx.insertInto('category_stations').values({ category_id: categoryId, outlet_id: outletId, station_id: stationId }).execute();
  await recordEvent(trx, {
    kind: 'floor.category_station',
    userId,
    subject: `category:${categoryId}`,
    data: { stationId, siteId },
    at: now.toISOString(),
  });
  return { categoryId, stationId };
}
