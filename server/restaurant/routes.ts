import { restaurantApi } from '../../shared/api/restaurant.ts';
import { isManager, requireUser } from '../auth/access.ts';
import { MANAGERS, STAFF, TILL } from '../http/access.ts';
import { NotFound, Unprocessable } from '../errors.ts';
import { Reply, serve, type RequestContext } from '../http/route.ts';
import { requireOutletReach, siteOf, siteOfTill, siteScope } from '../sites/sites.ts';
import { createRoom, createStation, createTable, listFloor, listStations, outletIdOf, setCategoryStation, updateTable } from './floor.ts';
import { applyOp, getOrder, listOpenOrders, outletOfOrder, outletOfTable, requireOutletDevice } from './orders.ts';
import type { KitchenTicketView, OrderView } from '../../shared/api/restaurant.ts';
import {
  kitchenBoard,
  reprintKitchenTicket,
  setKitchenState,
  stationOfTicket,
  switchStationPrinter,
  ticketsOfOp,
  ticketsOfLines,
  ticketsOfOrder,
} from './board.ts';
import type { Db } from '../../db/schema.ts';

/**
 * Who may see or touch an outlet's floor, orders and kitchen: a device of that outlet (a waiter's phone, the
 * kitchen screen, the bar's till), or a manager who reaches it (one tied to a site: that site's outlets only,
 * another's "not found", named by `what`). A device of another outlet asking for one of this outlet's orders,
 * tables or stations is told it does not exist, as for an id that exists nowhere: it learns nothing of them.
 */
async function requireOutletActor(ctx: RequestContext, outletId: number, what: string) {
  if (isManager(ctx)) return requireOutletReach(ctx, outletId, what);
  await requireOutletDevice(ctx.db, ctx.device?.tillId ?? null, outletId, what === OUTLET ? undefined : what);
}

/** What an outlet is called in its errors: asked by its name (`?outlet=`), its existence is no secret. */
const OUTLET = 'Point de vente';

/** An order, for whoever may see its outlet's (`requireOutletActor`). */
async function requireOrderOutlet(ctx: RequestContext, orderId: string) {
  const outletId = await outletOfOrder(ctx.db, orderId);
  if (outletId === null) throw new NotFound('Commande');
  await requireOutletActor(ctx, outletId, 'Commande');
}

/** The phones of the table's outlet draw the floor again. */
async function tellFloor(ctx: RequestContext, tableId: number) {
  const outletId = await outletOfTable(ctx.db, tableId);
  if (outletId !== null) ctx.services.realtime?.floorChanged(outletId);
}

async function stationRow(db: Db, id: number) {
  const row = await db.selectFrom('stations').select(['id', 'outlet_id']).where('id', '=', id).executeTakeFirst();
  if (!row) throw new NotFound('Poste');
  return row;
}
import { billOf } from './payments.ts';

/** After the commit: every device of the outlet (and the managers) sees the order as it now stands. */
function announce(ctx: RequestContext, order: OrderView, kitchenTickets: number, others: OrderView[] = []) {
  ctx.services.realtime?.orderChanged(order);
  for (const other of others) ctx.services.realtime?.orderChanged(other);
  if (kitchenTickets) ctx.services.prints?.kick();
}

export const restaurantRoutes = [
  serve(restaurantApi.floor, {
    access: TILL,
    tag: 'restaurant',
    summary:
      'The floor: rooms and their tables on the plan, each with its open order at a glance (covers, waiter, since, amount, lines not sent)',
    handler: async ({ query }, ctx) => {
      const siteId = await siteOf(ctx);
      await requireOutletActor(ctx, await outletIdOf(ctx.db, query.outlet, siteId), OUTLET);
      return listFloor(ctx.db, query.outlet, siteId);
    },
  }),
  serve(restaurantApi.createRoom, {
    access: MANAGERS,
    tag: 'restaurant',
    summary: 'A room (salle, terrasse…) of an outlet',
    handler: async ({ body }, ctx) => {
      const siteId = await siteOf(ctx);
      const room = await ctx.db.transaction().execute((trx) => createRoom(trx, body, requireUser(ctx).id, ctx.services.now(), siteId));
      ctx.services.realtime?.floorChanged(room.outletId);
      return Reply.created(room);
    },
  }),
  serve(restaurantApi.createTable, {
    access: MANAGERS,
    tag: 'restaurant',
    summary: 'A table in a room: name, seats, shape and place on the plan',
    handler: async ({ params, body }, ctx) => {
      const room = await ctx.db.selectFrom('rooms').select('outlet_id').where('id', '=', params.id).executeTakeFirst();
      if (!room) throw new NotFound('Salle');
      await requireOutletReach(ctx, room.outlet_id, 'Salle');
      const table = await ctx.db.transaction().execute((trx) => createTable(trx, params.id, body, requireUser(ctx).id, ctx.services.now()));
      await tellFloor(ctx, table.id);
      return Reply.created(table);
    },
  }),
  serve(restaurantApi.updateTable, {
    access: MANAGERS,
    tag: 'restaurant',
    summary: 'Move, resize, rename or retire a table (a table with an open order cannot be retired)',
    handler: async ({ params, body }, ctx) => {
      const outletId = await outletOfTable(ctx.db, params.id);
      if (outletId === null) throw new NotFound('Table');
      await requireOutletReach(ctx, outletId, 'Table');
      const table = await ctx.db.transaction().execute((trx) => updateTable(trx, params.id, body, requireUser(ctx).id, ctx.services.now()));
      await tellFloor(ctx, table.id);
      return table;
    },
  }),
  serve(restaurantApi.stations, {
    access: TILL,
    tag: 'restaurant',
    summary: 'Preparation stations (cuisine, bar…) and their printers',
    handler: async (_, ctx) => {
      // A manager tied to a site, or a device, sees its site's stations; the network's managers every one.
      const siteId = siteScope(ctx) ?? (ctx.device ? await siteOfTill(ctx.db, ctx.device.tillId) : null);
      return listStations(ctx.db, siteId);
    },
  }),
  serve(restaurantApi.createStation, {
    access: MANAGERS,
    tag: 'restaurant',
    summary: 'A preparation station, with the kitchen printer its tickets go to',
    handler: async ({ body }, ctx) => {
      const siteId = await siteOf(ctx);
      return Reply.created(
        await ctx.db.transaction().execute((trx) => createStation(trx, body, requireUser(ctx).id, ctx.services.now(), siteId)),
      );
    },
  }),
  serve(restaurantApi.categoryStation, {
    access: MANAGERS,
    tag: 'restaurant',
    summary: 'The station a category’s dishes are prepared at, at the restaurant of the site worked at (null: nothing to prepare there)',
    handler: async ({ params, body }, ctx) => {
      // At the site the manager works at: a manager tied to one routes their own restaurant's dishes only.
      const siteId = await siteOf(ctx);
      return ctx.db
        .transaction()
        .execute((trx) => setCategoryStation(trx, params.id, body.stationId, requireUser(ctx).id, ctx.services.now(), siteId));
    },
  }),
  serve(restaurantApi.openOrders, {
    access: TILL,
    tag: 'restaurant',
    summary: 'The open orders of an outlet, each with its lines',
    handler: async ({ query }, ctx) => {
      const outletId = await outletIdOf(ctx.db, query.outlet, await siteOf(ctx));
      await requireOutletActor(ctx, outletId, OUTLET);
      return listOpenOrders(ctx.db, outletId);
    },
  }),
  serve(restaurantApi.order, {
    access: TILL,
    tag: 'restaurant',
    summary: 'One order with its lines, their status (new, sent, voided) and versions',
    handler: async ({ params }, ctx) => {
      await requireOrderOutlet(ctx, params.id);
      return getOrder(ctx.db, params.id);
    },
  }),
  serve(restaurantApi.bill, {
    access: TILL,
    tag: 'restaurant',
    summary:
      'What is left to pay of an order (per VAT rate) and, with `parts`, the amount of each equal part paid in turn: what the split screen shows and the share tickets must announce',
    handler: async ({ params, query }, ctx) => {
      await requireOrderOutlet(ctx, params.id);
      return billOf(ctx.db, params.id, query.parts);
    },
  }),
  serve(restaurantApi.apply, {
    access: STAFF,
    needsDevice: true,
    tag: 'restaurant',
    summary:
      'One operation on an order (open, add, modify, remove, void, send, fire, covers, transfer), idempotent by its `id`: 201 applied, 200 the same again (nothing changes), 409 a line changed since on another device or the same id with another body',
    handler: async ({ params, body }, ctx) => {
      const user = requireUser(ctx);
      const now = ctx.services.now();
      // Rung from a device of the order's outlet (the table's, for an order being opened).
      const outletId = body.kind === 'open' ? await outletOfTable(ctx.db, body.tableId) : await outletOfOrder(ctx.db, params.id);
      if (outletId !== null) await requireOutletActor(ctx, outletId, body.kind === 'open' ? 'Table' : 'Commande');
      // A till in training mode practises on nothing real: it takes no real order (and pays none).
      if (
        ctx.device &&
        (await ctx.db.selectFrom('tills').select('training_mode').where('id', '=', ctx.device.tillId).executeTakeFirst())?.training_mode ===
          1
      )
        throw new Unprocessable('Une caisse en formation ne prend pas de vraies commandes.', [
          { field: 'tillId', reason: 'caisse en formation' },
        ]);
      const result = await applyOp(
        ctx.db,
        params.id,
        body,
        { userId: user.id, deviceId: ctx.device?.id ?? null, tillId: ctx.device?.tillId ?? null },
        now,
      );
      if (!result.applied) return { applied: false, order: result.order };
      // A note, or a table changed (its stations are told on paper: restaurant/kitchen.ts printTableNotice), prints.
      const prints = body.kind === 'note' || body.kind === 'transfer' || body.kind === 'move' || body.kind === 'merge';
      announce(ctx, result.order, result.kitchenTickets || (prints ? 1 : 0), result.others);
      if (result.kitchenTickets)
        for (const ticket of await ticketsOfOp(ctx.db, body.id)) ctx.services.realtime?.kitchenChanged(result.order.outletId, ticket);
      // The table changed, some of its lines went to another, or another table was brought into this one: the
      // kitchen screens say where each dish goes at once (a newcomer saw the old table until a reload, and the
      // dishes could go to the wrong one): this order's tickets, the merged one's, and every ticket holding a
      // line that moved (sent from a third table, or moved back).
      if (body.kind === 'transfer' || body.kind === 'move' || body.kind === 'merge') {
        const told = new Map<number, KitchenTicketView>();
        for (const ticket of await ticketsOfOrder(ctx.db, params.id)) told.set(ticket.id, ticket);
        if (body.kind === 'merge') for (const ticket of await ticketsOfOrder(ctx.db, body.fromOrderId)) told.set(ticket.id, ticket);
        const moved =
          body.kind === 'move'
            ? body.lineIds
            : body.kind === 'merge'
              ? (await ctx.db.selectFrom('order_lines').select('id').where('order_id', '=', params.id).execute()).map((l) => l.id)
              : [];
        for (const ticket of await ticketsOfLines(ctx.db, moved.slice(0, 200))) told.set(ticket.id, ticket);
        for (const ticket of told.values()) ctx.services.realtime?.kitchenChanged(result.order.outletId, ticket);
      }
      return Reply.created({ applied: true, order: result.order });
    },
  }),
  serve(restaurantApi.kitchenBoard, {
    access: TILL,
    tag: 'restaurant',
    summary:
      'A station’s kitchen screen: its tickets not served yet by age (then those served in the last half hour, to recall), and the count of each dish still to prepare',
    handler: async ({ params }, ctx) => {
      await requireOutletActor(ctx, (await stationRow(ctx.db, params.id)).outlet_id, 'Poste');
      return kitchenBoard(ctx.db, params.id, ctx.services.now());
    },
  }),
  serve(restaurantApi.kitchenState, {
    access: TILL,
    tag: 'restaurant',
    summary: 'A kitchen ticket ready, served, or recalled (back to « à préparer »); the same state again changes nothing',
    handler: async ({ params, body }, ctx) => {
      const station = await stationOfTicket(ctx.db, params.id);
      await requireOutletActor(ctx, station.outlet_id, 'Bon de cuisine');
      const ticket = await ctx.db
        .transaction()
        .execute((trx) => setKitchenState(trx, params.id, body.state, ctx.services.now(), body.from));
      ctx.services.realtime?.kitchenChanged(station.outlet_id, ticket);
      return ticket;
    },
  }),
  serve(restaurantApi.kitchenReprint, {
    access: TILL,
    tag: 'restaurant',
    summary: 'A kitchen ticket printed again at the kitchen’s request, marked RÉIMPRESSION, counted and journalled',
    handler: async ({ params }, ctx) => {
      await requireOutletActor(ctx, (await stationOfTicket(ctx.db, params.id)).outlet_id, 'Bon de cuisine');
      const jobId = await ctx.db
        .transaction()
        .execute((trx) => reprintKitchenTicket(trx, params.id, ctx.user?.id ?? null, ctx.services.now()));
      ctx.services.prints?.kick();
      return Reply.created({ jobId });
    },
  }),
  serve(restaurantApi.stationPrinter, {
    access: TILL,
    tag: 'restaurant',
    summary:
      'A station’s tickets sent to another printer from now on (its own is down), with those still waiting or failed on the old one; journalled',
    handler: async ({ params, body }, ctx) => {
      await requireOutletActor(ctx, (await stationRow(ctx.db, params.id)).outlet_id, 'Poste');
      const result = await ctx.db
        .transaction()
        .execute((trx) => switchStationPrinter(trx, params.id, body.printerId, body.moveWaiting, ctx.user?.id ?? null, ctx.services.now()));
      ctx.services.realtime?.stationChanged(result.station);
      ctx.services.prints?.kick();
      return result;
    },
  }),
];
