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

/** « Entrecôte (À point, Frites) »: the name a bill gives a dish with its options (restaurant/payments.ts). */
export function withOptions(name: string, chosen: readonly { name: string }[]): string {
  return chosen.length ? `${name} (${chosen.map((m) => m.name).join(', ')})` : name;
}

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
