import { z } from 'zod';
import { refundBody, saleBody, saleListQuery, uuidV7 } from '../../shared/api/sales.ts';
import { recordRefund } from './refund.ts';
import { addDuplicateJob, addReceiptJob, drawerBytes } from '../printing/documents.ts';
import { printerOfTill } from '../printing/printers.ts';
import { Forbidden, NotFound, Unprocessable } from '../errors.ts';
import { recordEvent } from '../events/event-log.ts';
import { requireUser, STAFF, TILL } from '../http/access.ts';
import { Reply, route, type RequestContext } from '../http/route.ts';
import { loadTicketRecords } from './journal.ts';
import { getSale, recordSale, saleView, type SaleView } from './record.ts';
import type { RequestContext as Ctx } from '../http/route.ts';

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
  if (!sale.training) void rt.stockChanged(sale.lines.map((l) => l.productId));
}

/** Cash taken or given back: the drawer of the till's printer opens (a ticket replayed later opens nothing). */
async function openDrawerForCash(ctx: RequestContext, sale: SaleView) {
  if (sale.training || !sale.payments.some((p) => p.method === 'cash') || !ctx.services.prints) return;
  // A ticket sent from the outbox long after the sale (offline) does not open the drawer at the counter now
  // (the queue drops the pulse too if its turn comes later than that: the printer was down).
  if (ctx.services.now().getTime() - Date.parse(sale.createdAt) > ctx.services.config.DRAWER_MAX_DELAY_MS) return;
  const printer = await printerOfTill(ctx.db, sale.tillId);
  if (!printer?.drawer) return;
  await ctx.services.prints.enqueue({
    printerId: printer.id,
    kind: 'drawer',
    subject: `sale:${sale.id}`,
    bytes: drawerBytes(),
    createdBy: sale.cashierId,
  });
}

/** The cashier a ticket is booked to: the one logged in, or the one who rang it offline if it names them. */
async function ringingCashier(
  ctx: RequestContext,
  loggedIn: { id: number; role: string },
  named: number | undefined,
): Promise<{ id: number; role: string }> {
  if (named === undefined || named === loggedIn.id) return loggedIn;
  const staff = await ctx.db
    .selectFrom('users')
    .select(['id', 'role'])
    .where('id', '=', named)
    .where('active', '=', 1)
    .where('role', 'in', ['cashier', 'waiter', 'manager', 'admin'])
    .where('pin_hash', 'is not', null)
    .executeTakeFirst();
  if (!staff)
    throw new Unprocessable('Ticket refusé : le caissier indiqué n’est pas du personnel de caisse.', [
      { field: 'cashierId', reason: 'caissier inconnu ou inactif' },
    ]);
  return staff;
}

/** Floor staff and tablets see their own till's tickets; managers see every till. */
/** The till a cashier's request comes from (managers: any), for what only that till does. */
function tillScope(ctx: RequestContext): number | null {
  const role = ctx.user?.role;
  if (role === 'admin' || role === 'manager') return null;
  if (!ctx.device) throw new Forbidden('Consultation des tickets depuis une caisse appairée uniquement.');
  return ctx.device.tillId;
}

/**
 * Which tickets a till may look up: managers see all; a cashier or waiter on a paired till sees those of
 * every till of its outlet (a customer brings back at till 1 what they bought at till 2), not the others'.
 */
async function outletScope(ctx: RequestContext): Promise<{ outletId: number } | { tillId: number } | null> {
  const role = ctx.user?.role;
  if (role === 'admin' || role === 'manager') return null;
  if (!ctx.device || role === 'producer') throw new Forbidden('Consultation des tickets depuis une caisse appairée uniquement.');
  // The tablet alone (locked, nobody logged in) sees only its own till's tickets, as before.
  if (role !== 'cashier' && role !== 'waiter') return { tillId: ctx.device.tillId };
  const till = await ctx.db.selectFrom('tills').select('outlet_id').where('id', '=', ctx.device.tillId).executeTakeFirstOrThrow();
  return { outletId: till.outlet_id };
}
const inScope = (scope: Awaited<ReturnType<typeof outletScope>>, sale: { outletId: number; tillId: number }) =>
  scope === null || ('outletId' in scope ? sale.outletId === scope.outletId : sale.tillId === scope.tillId);

export const salesRoutes = [
  route({
    method: 'post',
    path: '/api/sales',
    access: STAFF,
    needsDevice: true,
    tag: 'sales',
    summary:
      'Record a ticket from a paired till. Idempotent by `id`: 201 the first time, 200 with the same result on a replay, 409 if the same id comes with another body; 422 if it does not add up',
    body: saleBody,
    handler: async ({ body }, ctx) => {
      const user = requireUser(ctx);
      const cashier = await ringingCashier(ctx, user, body.cashierId);
      const { created, sale } = await recordSale(
        ctx.db,
        body,
        {
          cashierId: cashier.id,
          cashierRole: cashier.role,
          tillId: ctx.device!.tillId,
          deviceId: ctx.device!.id,
          now: ctx.services.now(),
          timeZone: ctx.services.config.TZ_BUSINESS,
        },
        ctx.services.writes,
      );
      if (created) {
        announce(ctx, sale);
        await openDrawerForCash(ctx, sale);
      }
      return created ? Reply.created(sale) : sale;
    },
  }),
  route({
    method: 'post',
    path: '/api/refunds',
    access: STAFF,
    needsDevice: true,
    tag: 'sales',
    summary:
      'Refund lines of a ticket (never more than sold), approved by a manager’s session or PIN; a new negative ticket on the till’s chain. Idempotent by `id`',
    body: refundBody,
    handler: async ({ body }, ctx) => {
      const user = requireUser(ctx);
      const { created, sale } = await recordRefund(ctx.db, body, {
        cashierId: user.id,
        cashierRole: user.role,
        tillId: ctx.device!.tillId,
        deviceId: ctx.device!.id,
        now: ctx.services.now(),
        timeZone: ctx.services.config.TZ_BUSINESS,
      });
      if (created) {
        announce(ctx, sale);
        await openDrawerForCash(ctx, sale);
      }
      return created ? Reply.created(sale) : sale;
    },
  }),
  route({
    method: 'get',
    path: '/api/sales/:id',
    access: TILL,
    tag: 'sales',
    summary: 'One ticket with its lines, VAT rows and payments',
    params: z.object({ id: uuidV7 }).strict(),
    handler: async ({ params }, ctx) => {
      const scope = await outletScope(ctx);
      const sale = await getSale(ctx.db, params.id);
      if (!inScope(scope, sale)) throw new NotFound('Ticket');
      return sale;
    },
  }),
  route({
    method: 'post',
    path: '/api/sales/:id/receipt',
    access: TILL,
    tag: 'sales',
    summary:
      'The customer asked for a printed receipt (the first copy, not a duplicate): queued on the till’s printer; sent by the till after the sale, queued with it when offline',
    params: z.object({ id: uuidV7 }).strict(),
    handler: async ({ params }, ctx) => {
      const scope = tillScope(ctx);
      const sale = await getSale(ctx.db, params.id);
      if (scope !== null && sale.tillId !== scope) throw new NotFound('Ticket');
      const now = ctx.services.now();
      const printer = await printerOfTill(ctx.db, sale.tillId);
      const jobId = await ctx.db.transaction().execute(async (trx) => {
        // Asked twice (a retry from the till's outbox): printed once.
        const already = await trx
          .selectFrom('print_jobs')
          .select('id')
          .where('subject', '=', `sale:${sale.id}`)
          .where('kind', '=', 'receipt')
          .executeTakeFirst();
        await recordEvent(trx, {
          kind: 'sale.receipt_requested',
          userId: ctx.user?.id ?? null,
          subject: `sale:${sale.id}`,
          data: { tillId: sale.tillId, number: sale.number, printerId: printer?.id ?? null },
          at: now.toISOString(),
        });
        if (already) return already.id;
        return printer ? addReceiptJob(trx, sale.id, printer, { origin: ctx.origin, userId: ctx.user?.id ?? null, now }) : null;
      });
      ctx.services.prints?.kick();
      return Reply.created({ printerId: printer?.id ?? null, jobId });
    },
  }),
  route({
    method: 'post',
    path: '/api/sales/:id/print',
    access: TILL,
    tag: 'sales',
    summary: 'Reprint a receipt on the till’s printer: logged as an event, the copy marked DUPLICATA with its number',
    params: z.object({ id: uuidV7 }).strict(),
    handler: async ({ params }, ctx) => {
      const scope = await outletScope(ctx);
      const sale = await getSale(ctx.db, params.id);
      if (!inScope(scope, sale)) throw new NotFound('Ticket');
      const now = ctx.services.now();
      const printer = await printerOfTill(ctx.db, ctx.device?.tillId ?? sale.tillId);
      const { copy, jobId } = await ctx.db.transaction().execute((trx) =>
        addDuplicateJob(trx, sale, printer, {
          origin: ctx.origin,
          userId: ctx.user?.id ?? null,
          tillId: ctx.device?.tillId ?? null,
          now,
        }),
      );
      ctx.services.prints?.kick();
      return Reply.created({ duplicata: true, copy, jobId, printerId: printer?.id ?? null, sale });
    },
  }),
  route({
    method: 'get',
    path: '/api/sales',
    access: TILL,
    tag: 'sales',
    summary:
      'Tickets, newest first, by date range (`from`, `to`: ISO), till, or the code of their digital receipt; a till sees the tickets of every till of its outlet',
    query: saleListQuery,
    handler: async ({ query }, ctx) => {
      const scope = await outletScope(ctx);
      let q = ctx.db.selectFrom('sales').select('id');
      if (scope && 'outletId' in scope) q = q.where('outlet_id', '=', scope.outletId);
      if (scope && 'tillId' in scope) q = q.where('till_id', '=', scope.tillId);
      if (query.tillId !== undefined) q = q.where('till_id', '=', query.tillId);
      if (query.receipt) q = q.where('receipt_token', '=', query.receipt);
      if (query.from) q = q.where('created_at', '>=', new Date(query.from).toISOString());
      if (query.to) q = q.where('created_at', '<', new Date(query.to).toISOString());
      const ids = (await q.orderBy('created_at', 'desc').orderBy('id', 'desc').limit(query.limit).execute()).map((r) => r.id);
      if (!ids.length) return [];
      const records = await loadTicketRecords(ctx.db, { ids });
      const byId = new Map(records.map((r) => [r.row.id, r]));
      return ids.map((id) => saleView(byId.get(id)!));
    },
  }),
];
