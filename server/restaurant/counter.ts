/**
 * A dish sold at a till (the bar's counter sale, paid at once) is cooked like a table's: the ticket that sold
 * it opens and closes an order of its own, with no table, and its dishes go to their stations as one send
 * (kitchen screen and printer), called « Comptoir » with the till and the ticket's number. Made in the
 * ticket's own transaction: a ticket recorded has its kitchen tickets, a ticket refused has none, and a
 * replay (the same ticket sent again by the outbox) makes nothing more. A ticket sold offline reaches the
 * kitchen when it reaches the server, never before. A training till's tickets are never sent (the caller).
 */
import type { Trx } from '../../db/schema.ts';
import type { Course } from '../../shared/api/restaurant.ts';
import { queueKitchenTickets, type KitchenItem } from './kitchen.ts';
import { ticketsOfOrder } from './board.ts';
import { Conflict } from '../errors.ts';

export interface CounterDish {
  /** The ticket's line it was sold on (1-based). */
  lineNo: number;
  stationId: number;
  name: string;
  quantity: number;
  modifiers: string[];
  note: string | null;
  course: string | null;
}

/** Queues the kitchen tickets of a counter sale's dishes; returns how many (none when it sold no dish). */
export async function sendCounterDishes(
  trx: Trx,
  c: {
    sale: { id: string; tillId: number; number: number; createdAt: string };
    outletId: number;
    items: readonly CounterDish[];
    cashierId: number;
    now: Date;
  },
): Promise<number> {
  if (!c.items.length) return 0;
  const at = c.now.toISOString();
  const till = await trx.selectFrom('tills').select('name').where('id', '=', c.sale.tillId).executeTakeFirstOrThrow();
  const order = {
    id: c.sale.id,
    outlet_id: c.outletId,
    table_id: null,
    covers: 0,
    mode: 'on_site' as const,
    status: 'closed' as const,
    waiter_id: c.cashierId,
    opened_at: c.sale.createdAt,
    closed_at: at,
    version: 0,
    sale_id: c.sale.id,
  };
  // The kitchen's order takes the ticket's id: a ticket whose id is already an order's is refused naming its id,
  // not as a bare conflict (found by an independent check).
  if (await trx.selectFrom('orders').select('id').where('id', '=', c.sale.id).executeTakeFirst())
    throw new Conflict('Cet identifiant de ticket est déjà pris : la caisse doit en donner un autre.', 'id');
  await trx.insertInto('orders').values(order).execute();
  const items: KitchenItem[] = c.items.map((i) => ({
    // Not an order line: the ticket's line, named so that no order line's id is ever taken for it.
    lineId: `${c.sale.id}#${i.lineNo}`,
    stationId: i.stationId,
    name: i.name,
    quantity: i.quantity,
    modifiers: i.modifiers,
    seat: null,
    note: i.note,
    course: i.course as Course | null,
  }));
  return queueKitchenTickets(trx, {
    order: { ...order, counter: { till: till.name, number: c.sale.number } },
    opId: c.sale.id,
    kind: 'send',
    items,
    actor: { userId: c.cashierId },
    now: c.now,
  });
}

/**
 * A counter sale's dishes refunded before they are served (the customer at the bar changed their mind): the
 * kitchen is told, as a table's cancelled dish is, on an ANNULÉ ticket of its station. Only what is still to
 * be served of each line: a ticket already served is the kitchen's done, and what an earlier refund cancelled
 * is not cancelled twice. Returns how many kitchen tickets were queued (none for a sale that sent no dish).
 */
export async function cancelCounterDishes(
  trx: Trx,
  c: {
    saleId: string;
    refundId: string;
    /** The refunded lines: the sale's line number and how many pieces come back. */
    lines: readonly { lineNo: number; quantity: number }[];
    reason: string;
    cashierId: number;
    now: Date;
  },
): Promise<number> {
  const order = await trx.selectFrom('orders').select(['id', 'outlet_id']).where('sale_id', '=', c.saleId).executeTakeFirst();
  if (!order) return 0;
  const sale = await trx
    .selectFrom('sales')
    .innerJoin('tills', 'tills.id', 'sales.till_id')
    .select(['sales.number', 'tills.name'])
    .where('sales.id', '=', c.saleId)
    .executeTakeFirstOrThrow();
  const tickets = await ticketsOfOrder(trx, order.id);
  const items: KitchenItem[] = [];
  for (const l of c.lines) {
    const lineId = `${c.saleId}#${l.lineNo}`;
    let left = l.quantity;
    // Each send's item of this line not yet served, less what voids already took back (the latest sends first).
    let voided = tickets
      .filter((t) => t.kind === 'void')
      .flatMap((t) => t.items)
      .filter((i) => i.lineId === lineId)
      .reduce((s, i) => s + i.quantity, 0);
    for (const t of tickets.filter((t) => t.kind === 'send')) {
      for (const i of t.items.filter((i) => i.lineId === lineId)) {
        const already = Math.min(voided, i.quantity);
        voided -= already;
        if (t.state === 'served') continue;
        const cancel = Math.min(left, i.quantity - already);
        if (cancel <= 0) continue;
        left -= cancel;
        items.push({
          lineId,
          stationId: t.stationId,
          name: i.name,
          quantity: cancel,
          modifiers: i.modifiers,
          seat: null,
          note: null,
          course: i.course,
          reason: c.reason,
        });
      }
    }
  }
  if (!items.length) return 0;
  return queueKitchenTickets(trx, {
    order: {
      id: order.id,
      table_id: null,
      covers: 0,
      waiter_id: c.cashierId,
      counter: { till: sale.name, number: sale.number },
    },
    opId: c.refundId,
    kind: 'void',
    reason: c.reason,
    items,
    actor: { userId: c.cashierId },
    now: c.now,
  });
}
