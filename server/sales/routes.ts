import { marks, rawRows } from '../../db/raw.ts';
import { salesApi, type SaleView } from '../../shared/api/sales.ts';
import { recordRefund } from './refund.ts';
import { drawerBytes } from '../printing/documents.ts';
import { drawerOfTill } from '../printing/printers.ts';
import { requireUser } from '../auth/access.ts';
import { STAFF, TILL } from '../http/access.ts';
import { Reply, serve, type RequestContext as Ctx } from '../http/route.ts';
import { commitEffects, recordSale, type SaleContext } from './record.ts';
import { ingredientsOf } from '../catalog/recipes.ts';
import { getOrder } from '../restaurant/orders.ts';
import { ticketsOfOp } from '../restaurant/board.ts';
import { listSales, refundedLines, refundSplit, reprintSale, requestReceipt, ringingCashier, viewSale } from './sales.ts';

/** One-off items sold (the ressourcerie's) leave the catalogue: the tills reload it (and say « déjà vendu » of a label). */
async function announceOneOffs(ctx: Ctx, sale: SaleView) {
  const ids = [...new Set(sale.lines.map((l) => l.productId))];
  if (!ctx.services.realtime || !ids.length) return;
  // The commit says whether it sold any (a ticket without one, nearly all of them, asks nothing more).
  const effects = commitEffects(sale);
  if (effects && !effects.oneOffs) return;
  const sold = await rawRows<{ product_id: number }>(
    ctx.db,
    `select "product_id" from "reuse_items" where "product_id" in (${marks(ids.length)})`,
    ids,
  );
  if (sold.length) ctx.services.realtime.catalogChanged(sold.map((r) => r.product_id));
}

/** After the commit: the ticket to managers, its till and (their lines only) its producers; the new stock levels. */
function announce(ctx: Ctx, sale: SaleView) {
  const rt = ctx.services.realtime;
  if (!rt) return;
  rt.saleRecorded({
    id: sale.id,
    tillId: sale.tillId,
    number: sale.number,
    kind: sale.kind,
    createdAt: sale.createdAt,
    businessDay: sale.businessDay,
    training: sale.training,
    totalCents: sale.totalCents,
    lines: sale.lines.map((l) => ({
      productId: l.productId,
      name: l.name,
      quantity: l.quantity,
      totalCents: l.totalCents,
      producerId: l.producerId,
    })),
  });
  if (!sale.training) {
    const ids = sale.lines.map((l) => l.productId);
    // What the commit moved, or else the lines and (a dish's recipe moved its ingredients' stock too) them.
    const moved = commitEffects(sale)?.stockMoved;
    if (moved) {
      if (moved.length) void rt.stockChanged([...moved]);
      return;
    }
    void ingredientsOf(ctx.db, ids).then(
      (used) => rt.stockChanged([...ids, ...used]),
      () => rt.stockChanged(ids),
    );
  }
}

/**
 * A counter sale's dishes (restaurant/counter.ts): its kitchen tickets to the kitchen screens, its printers
 * kicked. Its order bears the ticket's id; the commit says whether it sent any (a ticket that sold no dish,
 * nearly all of them, asks nothing more).
 */
async function announceCounterDishes(ctx: Ctx, sale: SaleView) {
  const effects = commitEffects(sale);
  if (effects && !effects.kitchen) return;
  const order = await ctx.db.selectFrom('orders').select('outlet_id').where('id', '=', sale.id).executeTakeFirst();
  if (!order) return;
  for (const ticket of await ticketsOfOp(ctx.db, sale.id)) ctx.services.realtime?.kitchenChanged(order.outlet_id, ticket);
  ctx.services.prints?.kick();
}

/** Cash taken or given back: the drawer of the till's printer opens (a ticket replayed later opens nothing). */
async function openDrawerForCash(ctx: Ctx, sale: SaleView) {
  if (sale.training || !sale.payments.some((p) => p.method === 'cash') || !ctx.services.prints) return;
  // A ticket sent from the outbox long after the sale (offline) does not open the drawer at the counter now
  // (the queue drops the pulse too if its turn comes later than that: the printer was down).
  if (ctx.services.now().getTime() - Date.parse(sale.createdAt) > ctx.services.config.DRAWER_MAX_DELAY_MS) return;
  const printerId = await drawerOfTill(ctx.db, sale.tillId);
  if (printerId === null) return;
  await ctx.services.prints.enqueue({
    printerId,
    kind: 'drawer',
    subject: `sale:${sale.id}`,
    bytes: drawerBytes(),
    createdBy: sale.cashierId,
  });
}

/**
 * What follows a recorded ticket (its events, the drawer, the kitchen) never turns its answer into an error: the
 * ticket is recorded, and a 500 would tell the till otherwise (it would give the money back, or send the
 * ticket again for nothing). A failure here is logged; the screens catch up at their next read.
 */
async function afterCommit(ctx: Ctx, sale: SaleView, effects: () => Promise<void>) {
  try {
    await effects();
  } catch (e) {
    ctx.services.log.error('ticket recorded, its effects failed', { saleId: sale.id, error: (e as Error).message });
  }
}

/** Who rings a ticket, on which till and tablet, at the server's time. */
function saleContext<R extends string>(ctx: Ctx, by: { id: number; role: R }): SaleContext & { cashierRole: R } {
  return {
    cashierId: by.id,
    cashierRole: by.role,
    tillId: ctx.device!.tillId,
    deviceId: ctx.device!.id,
    now: ctx.services.now(),
    timeZone: ctx.services.config.TZ_BUSINESS,
  };
}

export const salesRoutes = [
  serve(salesApi.record, {
    access: STAFF,
    needsDevice: true,
    tag: 'sales',
    summary:
      'Record a ticket from a paired till. Idempotent by `id`: 201 the first time, 200 with the same result on a replay, 409 if the same id comes with another body; 422 if it does not add up',
    handler: async ({ body }, ctx) => {
      const user = requireUser(ctx);
      const cashier = await ringingCashier(ctx.db, user, body.cashierId, ctx.device!.tillId);
      const saleCtx = saleContext(ctx, cashier);
      const { created, sale } = ctx.services.tickets
        ? await ctx.services.tickets.record(ctx.db, body, saleCtx)
        : await recordSale(ctx.db, body, saleCtx, ctx.services.writes);
      if (created)
        await afterCommit(ctx, sale, async () => {
          announce(ctx, sale);
          await announceOneOffs(ctx, sale);
          await openDrawerForCash(ctx, sale);
          if (!body.order && !sale.training) await announceCounterDishes(ctx, sale);
          // A restaurant bill (or part of it): every device sees what is left to pay, or the table free.
          if (body.order) {
            ctx.services.realtime?.orderChanged(await getOrder(ctx.db, body.order.id));
            ctx.services.prints?.kick(); // the note, when it was due
          }
        });
      return created ? Reply.created(sale) : sale;
    },
  }),
  serve(salesApi.refund, {
    access: STAFF,
    needsDevice: true,
    tag: 'sales',
    summary:
      'Refund lines of a ticket (never more than sold), approved by a manager’s session or PIN; a new negative ticket on the till’s chain. Idempotent by `id`',
    handler: async ({ body }, ctx) => {
      const user = requireUser(ctx);
      const { created, sale, oneOffs, kitchen } = await recordRefund(ctx.db, body, saleContext(ctx, user));
      if (created)
        await afterCommit(ctx, sale, async () => {
          announce(ctx, sale);
          if (oneOffs?.length) ctx.services.realtime?.catalogChanged(oneOffs);
          await openDrawerForCash(ctx, sale);
          // Dishes cancelled in the kitchen (sold at the bar, refunded before they were served): its screens, its printer.
          if (kitchen) {
            const outlet = await ctx.db.selectFrom('tills').select('outlet_id').where('id', '=', sale.tillId).executeTakeFirstOrThrow();
            for (const ticket of await ticketsOfOp(ctx.db, sale.id)) ctx.services.realtime?.kitchenChanged(outlet.outlet_id, ticket);
            ctx.services.prints?.kick();
          }
        });
      return created ? Reply.created(sale) : sale;
    },
  }),
  serve(salesApi.get, {
    access: TILL,
    tag: 'sales',
    summary: 'One ticket with its lines, VAT rows and payments',
    handler: async ({ params }, ctx) => viewSale(ctx.db, ctx, params.id),
  }),
  serve(salesApi.refundSplit, {
    access: TILL,
    tag: 'sales',
    summary:
      'A ticket sold at solidarity prices: what refunding these lines gives back to the fund and to the household (null for any other ticket); the till splits the refund’s payments by it',
    handler: async ({ params, body }, ctx) => refundSplit(ctx.db, ctx, params.id, body.lines),
  }),
  serve(salesApi.refunded, {
    access: TILL,
    tag: 'sales',
    summary:
      'What a ticket’s refunds have given back, line by line, and what is left to refund of each (the till works out a refund from it)',
    handler: async ({ params }, ctx) => refundedLines(ctx.db, ctx, params.id),
  }),
  serve(salesApi.receipt, {
    access: TILL,
    tag: 'sales',
    summary:
      'The customer asked for a printed receipt (the first copy, not a duplicate): queued on the till’s printer; sent by the till after the sale, queued with it when offline',
    handler: async ({ params }, ctx) => {
      const queued = await requestReceipt(ctx.db, params.id, { actor: ctx, origin: ctx.origin, now: ctx.services.now() });
      ctx.services.prints?.kick();
      return Reply.created(queued);
    },
  }),
  serve(salesApi.reprint, {
    access: TILL,
    tag: 'sales',
    summary: 'Reprint a receipt on the till’s printer: logged as an event, the copy marked DUPLICATA with its number',
    handler: async ({ params }, ctx) => {
      const copy = await reprintSale(ctx.db, params.id, { actor: ctx, origin: ctx.origin, now: ctx.services.now() });
      ctx.services.prints?.kick();
      return Reply.created(copy);
    },
  }),
  serve(salesApi.list, {
    access: TILL,
    tag: 'sales',
    summary:
      'Tickets, newest first, by date range (`from`, `to`: ISO), till, or the code of their digital receipt; a till sees the tickets of every till of its outlet',
    handler: async ({ query }, ctx) => listSales(ctx.db, ctx, query),
  }),
];
