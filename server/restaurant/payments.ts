/**
 * A restaurant bill paid by tickets: each ticket names the order and, line by line, which of the order's
 * lines it pays and how many. A ticket cannot pay a line twice over, a voided line, or another price than
 * the one ordered; once every line is paid, the order closes and its table is free on every device.
 */
import type { SaleBody } from '../../shared/api/sales.ts';
import type { Trx } from '../../db/schema.ts';
import { Unprocessable } from '../errors.ts';
import { recordEvent } from '../journal/events.ts';
import { printNote } from './note.ts';

type OrderPart = NonNullable<SaleBody['order']>;

/** What a ticket's line takes from the order line it pays: its VAT rate, and its name with what was chosen. */
export interface OrderedLine {
  /** The order line's own rate, set by the order's mode (on site or to take away) when it was added. */
  vatRateBp: number;
  /** « Burger (À point, Supplément fromage) »: the receipt says what was sold at that price. */
  name: string;
}

/** « Burger (À point, Supplément fromage) », or the dish's name alone when nothing was chosen. */
export function orderedName(name: string, modifiersJson: string): string {
  const chosen = JSON.parse(modifiersJson) as { name: string }[];
  return chosen.length ? `${name} (${chosen.map((m) => m.name).join(', ')})` : name;
}

/**
 * Checks a ticket against the order it pays, before anything is written; names each wrong line. Returns, for
 * each line of the ticket, the rate and name it is sold at: the order line's, never the product's.
 */
export async function checkOrderPart(
  trx: Trx,
  part: OrderPart,
  lines: SaleBody['lines'],
  till: { outlet_id: number; training_mode: 0 | 1 },
): Promise<OrderedLine[]> {
  if (till.training_mode === 1)
    throw new Unprocessable('Une caisse en formation ne règle pas une vraie commande.', [
      { field: 'order.id', reason: 'caisse en formation' },
    ]);
  const outletId = till.outlet_id;
  const order = await trx.selectFrom('orders').select(['id', 'status', 'outlet_id']).where('id', '=', part.id).executeTakeFirst();
  if (!order) throw new Unprocessable('Commande inconnue.', [{ field: 'order.id', reason: 'commande inconnue' }]);
  if (order.status !== 'open')
    throw new Unprocessable('Cette commande est déjà réglée.', [{ field: 'order.id', reason: 'commande close' }]);
  if (order.outlet_id !== outletId)
    throw new Unprocessable('Cette commande est celle d’un autre point de vente.', [{ field: 'order.id', reason: 'autre point de vente' }]);
  const ids = part.lines.map((l) => l.lineId);
  const rows = await trx.selectFrom('order_lines').selectAll().where('order_id', '=', part.id).where('id', 'in', ids).execute();
  const paid = await paidQuantities(trx, ids);
  const byId = new Map(rows.map((r) => [r.id, r]));
  const asked = new Map<string, number>();
  const problems: { field: string; reason: string }[] = [];
  part.lines.forEach((p, i) => {
    const line = byId.get(p.lineId);
    const field = `order.lines.${i}`;
    if (!line) return problems.push({ field, reason: 'ligne inconnue dans cette commande' });
    if (line.status === 'voided') return problems.push({ field, reason: 'ligne annulée' });
    const l = lines[i]!;
    if (l.productId !== line.product_id)
      return problems.push({ field: `lines.${i}.productId`, reason: 'pas l’article de la ligne commandée' });
    if (l.unitPriceCents !== line.unit_price_cents)
      return problems.push({ field: `lines.${i}.unitPriceCents`, reason: `prix commandé ${line.unit_price_cents}` });
    if (l.quantity !== p.quantity)
      return problems.push({ field: `lines.${i}.quantity`, reason: 'la quantité du ticket et celle réglée diffèrent' });
    const total = (asked.get(p.lineId) ?? 0) + p.quantity;
    asked.set(p.lineId, total);
    const left = line.quantity - (paid.get(p.lineId) ?? 0);
    if (total > left) return problems.push({ field: `${field}.quantity`, reason: `il en reste ${left} à régler` });
    return undefined;
  });
  if (problems.length) throw new Unprocessable('Ticket refusé : il ne correspond pas à la commande.', problems);
  return part.lines.map((p) => {
    const line = byId.get(p.lineId)!;
    return { vatRateBp: line.vat_rate_bp, name: orderedName(line.name, line.modifiers) };
  });
}

async function paidQuantities(trx: Trx, lineIds: string[]): Promise<Map<string, number>> {
  if (!lineIds.length) return new Map();
  const rows = await trx
    .selectFrom('order_payments')
    .select((eb) => ['line_id', eb.fn.sum<number>('quantity').as('q')])
    .where('line_id', 'in', lineIds)
    .groupBy('line_id')
    .execute();
  return new Map(rows.map((r) => [r.line_id, Number(r.q)]));
}

/** Records what the ticket paid; closes the order once nothing is left to pay. Returns whether it closed. */
export async function recordOrderPart(
  trx: Trx,
  saleId: string,
  part: OrderPart,
  by: { userId: number; tillId: number },
  now: Date,
): Promise<boolean> {
  const { userId } = by;
  const merged = new Map<string, number>();
  for (const p of part.lines) merged.set(p.lineId, (merged.get(p.lineId) ?? 0) + p.quantity);
  await trx
    .insertInto('order_payments')
    .values([...merged].map(([lineId, quantity]) => ({ sale_id: saleId, line_id: lineId, quantity })))
    .execute();
  const lines = await trx
    .selectFrom('order_lines')
    .select(['id', 'quantity'])
    .where('order_id', '=', part.id)
    .where('status', '!=', 'voided')
    .execute();
  const paid = await paidQuantities(
    trx,
    lines.map((l) => l.id),
  );
  if (lines.some((l) => (paid.get(l.id) ?? 0) < l.quantity)) return false;
  // The note is due from 25 €: printed now if the customer was not given this one already.
  const order = await trx
    .selectFrom('orders')
    .select(['id', 'outlet_id', 'table_id', 'covers'])
    .where('id', '=', part.id)
    .executeTakeFirstOrThrow();
  await printNote(trx, order, { customerName: null, tillId: by.tillId, userId, now, auto: true });
  await trx.updateTable('orders').set({ status: 'closed', closed_at: now.toISOString() }).where('id', '=', part.id).execute();
  await recordEvent(trx, {
    kind: 'order.closed',
    userId,
    subject: `order:${part.id}`,
    data: { lastTicket: saleId },
    at: now.toISOString(),
  });
  return true;
}
