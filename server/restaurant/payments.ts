/**
 * A restaurant bill paid by tickets, by item or by share.
 *
 * By item: each ticket names, line by line, which of the order's lines it pays and how many. A ticket
 * cannot pay a line twice over, a voided line, or another price than the one ordered.
 * By share: a ticket pays part k of N equal parts of what is left, or a custom amount of it; the server
 * makes its lines from the order (shared/split.ts: how a part spreads over the lines and its VAT per rate).
 * Shares may follow payments by item (they share what is left); once a share is paid, the rest is paid in
 * shares too (a line part paid in cents has no whole quantity left to pay by item).
 *
 * Goods: a line paid by item leaves the shelf with its ticket, as any sale. What shares pay leaves the shelf
 * once, in full quantity, with the ticket that settles the order: the goods were served whole, the parts
 * are only money, and a bill never settled (a table closed by the manager) moves no stock twice. Producers
 * are paid on the cents each part's lines carry (settlement reads the sale lines), so their goods are
 * accounted exactly once, to the cent.
 *
 * Once every line is paid, the order closes and its table is free on every device.
 */
import { withOptions } from '../../shared/text.ts';
import type { BillView } from '../../shared/api/restaurant.ts';
import type { SaleBody } from '../../shared/api/sales.ts';
import { formatEuros, type Cents, type VatRow } from '../../shared/money.ts';
import { equalPart, partVat, spreadPart } from '../../shared/split.ts';
import type { Db, Trx } from '../../db/schema.ts';
import { Conflict, NotFound, Unprocessable } from '../errors.ts';
import { recordEvent } from '../journal/events.ts';
import { recordMovements, type MovementInput } from '../stock/ledger.ts';
import type { TicketLineToCommit } from '../sales/record.ts';
import { kitchenUseOfSale } from '../catalog/recipes.ts';
import { siteOfTill } from '../sites/sites.ts';
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
  return withOptions(name, JSON.parse(modifiersJson) as { name: string }[]);
}

/** The open order of this outlet a real till may pay; refused, naming `order.id`, otherwise. */
async function orderToPay(trx: Trx, orderId: string, till: { outlet_id: number; training_mode: 0 | 1 }) {
  if (till.training_mode === 1)
    throw new Unprocessable('Une caisse en formation ne règle pas une vraie commande.', [
      { field: 'order.id', reason: 'caisse en formation' },
    ]);
  const order = await trx.selectFrom('orders').select(['id', 'status', 'outlet_id']).where('id', '=', orderId).executeTakeFirst();
  if (!order) throw new Unprocessable('Commande inconnue.', [{ field: 'order.id', reason: 'commande inconnue' }]);
  if (order.status !== 'open')
    throw new Unprocessable('Cette commande est déjà réglée.', [{ field: 'order.id', reason: 'commande close' }]);
  if (order.outlet_id !== till.outlet_id)
    throw new Unprocessable('Cette commande est celle d’un autre point de vente.', [{ field: 'order.id', reason: 'autre point de vente' }]);
  return order;
}

async function hasShares(trx: Trx, orderId: string): Promise<boolean> {
  const row = await trx
    .selectFrom('order_payments')
    .innerJoin('order_lines', 'order_lines.id', 'order_payments.line_id')
    .select('order_payments.sale_id')
    .where('order_lines.order_id', '=', orderId)
    .where('order_payments.amount_cents', 'is not', null)
    .limit(1)
    .executeTakeFirst();
  return row !== undefined;
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
  await orderToPay(trx, part.id, till);
  if (await hasShares(trx, part.id))
    throw new Unprocessable('Cette commande se règle déjà par parts : réglez le reste par parts.', [
      { field: 'order.lines', reason: 'commande déjà réglée en partie par parts' },
    ]);
  const partLines = part.lines ?? [];
  const ids = partLines.map((l) => l.lineId);
  const rows = await trx.selectFrom('order_lines').selectAll().where('order_id', '=', part.id).where('id', 'in', ids).execute();
  const paid = await paidQuantities(trx, ids);
  const byId = new Map(rows.map((r) => [r.id, r]));
  const asked = new Map<string, number>();
  const problems: { field: string; reason: string }[] = [];
  partLines.forEach((p, i) => {
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
  return partLines.map((p) => {
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

/** What one line of an order is worth: its quantity at its unit price. */
const lineAmount = (l: { quantity: number; unit_price_cents: number }) => l.quantity * l.unit_price_cents;

/** The order's lines still due (not voided), each with what is left to pay of it in cents, in the order's order. */
async function linesLeft(trx: Db, orderId: string) {
  const lines = await trx
    .selectFrom('order_lines')
    .innerJoin('products', 'products.id', 'order_lines.product_id')
    .select([
      'order_lines.id',
      'order_lines.product_id',
      'order_lines.name',
      'order_lines.quantity',
      'order_lines.unit_price_cents',
      'order_lines.vat_rate_bp',
      'products.producer_id',
      'products.unit',
      'products.stock_tracked',
      'products.meal_voucher_eligible',
    ])
    .where('order_lines.order_id', '=', orderId)
    .where('order_lines.status', '!=', 'voided')
    .orderBy('order_lines.position')
    .execute();
  const paid = lines.length
    ? await trx
        .selectFrom('order_payments')
        .select(['line_id', 'quantity', 'amount_cents'])
        .where(
          'line_id',
          'in',
          lines.map((l) => l.id),
        )
        .execute()
    : [];
  return lines.map((l) => {
    const mine = paid.filter((p) => p.line_id === l.id);
    const byItem = mine.reduce((q, p) => q + (p.amount_cents === null ? p.quantity : 0), 0);
    const byShare = mine.reduce((c, p) => c + (p.amount_cents ?? 0), 0);
    return { ...l, paidByItem: byItem, paidByShare: byShare, leftCents: lineAmount(l) - byItem * l.unit_price_cents - byShare };
  });
}

/** A share of the bill made into a ticket's lines and VAT, from what is left of the order. */
export interface SharePart {
  amountCents: number;
  lines: TicketLineToCommit[];
  vat: VatRow[];
  /** What it pays of each order line (those it pays something of). */
  paid: { lineId: string; amountCents: number }[];
  label: string;
}

/**
 * Works out a share of what is left of an order (shared/split.ts for the rules), checked against the order,
 * before anything is written: the till sends the amount it showed as `totalCents`, refused if it differs.
 */
export async function planSharePart(
  trx: Trx,
  orderId: string,
  share: NonNullable<OrderPart['share']>,
  till: { outlet_id: number; training_mode: 0 | 1 },
): Promise<SharePart> {
  await orderToPay(trx, orderId, till);
  const all = await linesLeft(trx, orderId);
  const lines = all.filter((l) => l.leftCents > 0);
  const left = lines.reduce((s, l) => s + l.leftCents, 0);
  if (left <= 0) throw new Unprocessable('Il ne reste rien à régler sur cette commande.', [{ field: 'order.id', reason: 'rien à régler' }]);
  let amount: number;
  let label: string;
  if ('parts' in share) {
    // The parts are paid in turn, whichever phone pays: the next one is the order's, not the phone's (a phone
    // reloaded started again at « part 1/2 »).
    const split = await trx.selectFrom('orders').select(['split_parts', 'split_paid']).where('id', '=', orderId).executeTakeFirstOrThrow();
    const next = split.split_parts !== null ? split.split_paid + 1 : 1;
    if (share.index !== next)
      throw new Conflict(
        split.split_parts !== null
          ? `Cette addition se partage déjà : ${split.split_paid === 1 ? '1 part réglée' : `${split.split_paid} parts réglées`} sur ${split.split_parts}, la suivante est la part ${next}.`
          : 'Cette addition n’est pas encore partagée : la première part est la part 1.',
        'order.share.index',
      );
    amount = equalPart(left, share.parts, share.index);
    label = `part ${share.index}/${share.parts}`;
  } else {
    if (share.amountCents > left)
      throw new Unprocessable(`Cette part dépasse ce qui reste à régler (${formatEuros(left as Cents)}).`, [
        { field: 'order.share.amountCents', reason: `il reste ${left} centimes à régler` },
      ]);
    amount = share.amountCents;
    label = 'part';
  }
  const spread = spreadPart(
    lines.map((l) => ({ leftCents: l.leftCents, vatRateBp: l.vat_rate_bp })),
    amount,
  );
  // What the order's earlier shares paid at each rate: this part's VAT is rounded on the running total.
  const before = new Map<number, number>();
  for (const l of all) before.set(l.vat_rate_bp, (before.get(l.vat_rate_bp) ?? 0) + l.paidByShare);
  const now = new Map<number, number>();
  const ticketLines: TicketLineToCommit[] = [];
  const paid: SharePart['paid'] = [];
  lines.forEach((l, i) => {
    const c = spread[i]!;
    if (c === 0) return;
    now.set(l.vat_rate_bp, (now.get(l.vat_rate_bp) ?? 0) + c);
    paid.push({ lineId: l.id, amountCents: c });
    // No quantity: the part is money, the goods leave the shelf with the order's last ticket.
    ticketLines.push({
      lineNo: ticketLines.length + 1,
      productId: l.product_id,
      name: `${l.name} — ${label}`,
      producerId: l.producer_id,
      unit: l.unit,
      quantity: 0,
      unitPriceCents: l.unit_price_cents,
      grossCents: c,
      lineDiscountCents: 0,
      ticketDiscountCents: 0,
      totalCents: c,
      vatRateBp: l.vat_rate_bp,
      note: null,
      refundOfLine: null,
      stockTracked: false,
      restock: true,
    });
  });
  return { amountCents: amount, lines: ticketLines, vat: partVat(before, now), paid, label };
}

/** Records what the ticket paid; closes the order once nothing is left to pay. Returns whether it closed. */
export async function recordOrderPart(
  trx: Trx,
  saleId: string,
  part: OrderPart,
  by: { userId: number; tillId: number },
  now: Date,
  share?: SharePart,
): Promise<boolean> {
  const { userId } = by;
  if (share) {
    await trx
      .insertInto('order_payments')
      .values(share.paid.map((p) => ({ sale_id: saleId, line_id: p.lineId, quantity: 0, amount_cents: p.amountCents })))
      .execute();
    if (part.share && 'parts' in part.share)
      await trx
        .updateTable('orders')
        .set({ split_parts: part.share.parts, split_paid: part.share.index })
        .where('id', '=', part.id)
        .execute();
    await recordEvent(trx, {
      kind: 'order.share_paid',
      userId,
      subject: `order:${part.id}`,
      data: { saleId, share: part.share ?? null, amountCents: share.amountCents },
      at: now.toISOString(),
    });
  } else {
    const merged = new Map<string, number>();
    for (const p of part.lines ?? []) merged.set(p.lineId, (merged.get(p.lineId) ?? 0) + p.quantity);
    await trx
      .insertInto('order_payments')
      .values([...merged].map(([lineId, quantity]) => ({ sale_id: saleId, line_id: lineId, quantity })))
      .execute();
  }
  const lines = await linesLeft(trx, part.id);
  if (lines.some((l) => l.leftCents > 0)) return false;
  // What shares paid leaves the shelf now, whole, with the ticket that settles the bill, at the till's site.
  const siteId = await siteOfTill(trx, by.tillId);
  const goods: MovementInput[] = lines
    .filter((l) => l.paidByShare > 0 && l.stock_tracked === 1 && l.quantity > l.paidByItem)
    .map((l) => ({
      productId: l.product_id,
      siteId,
      kind: 'sale',
      quantity: -(l.quantity - l.paidByItem),
      saleId,
      note: 'addition réglée par parts',
    }));
  // The dishes paid in shares take their recipes' ingredients now too (a share's lines carry no quantity).
  const shared = lines.filter((l) => l.paidByShare > 0 && l.quantity > l.paidByItem);
  if (shared.length) {
    const sale = await trx.selectFrom('sales').select('number').where('id', '=', saleId).executeTakeFirstOrThrow();
    goods.push(
      ...(await kitchenUseOfSale(trx, {
        id: saleId,
        number: sale.number,
        tillId: by.tillId,
        siteId,
        at: now,
        lines: shared.map((l, i) => ({
          lineNo: i + 1,
          productId: l.product_id,
          name: l.name,
          unit: l.unit,
          quantity: l.quantity - l.paidByItem,
        })),
      })),
    );
  }
  if (goods.length) await recordMovements(trx, goods, userId, now);
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

/** What is left to pay of an order, per rate, and (asked for `parts`) the amount of each equal part in turn. */
export async function billOf(db: Db, orderId: string, parts?: number): Promise<BillView> {
  const order = await db.selectFrom('orders').select(['id', 'split_parts', 'split_paid']).where('id', '=', orderId).executeTakeFirst();
  if (!order) throw new NotFound('Commande');
  const lines = await linesLeft(db, orderId);
  const total = lines.reduce((s, l) => s + lineAmount(l), 0);
  const left = lines.reduce((s, l) => s + l.leftCents, 0);
  const byRate = new Map<number, number>();
  for (const l of lines) byRate.set(l.vat_rate_bp, (byRate.get(l.vat_rate_bp) ?? 0) + l.leftCents);
  const amounts: BillView['parts'] = [];
  let rest = left;
  for (let k = 1; parts !== undefined && k <= parts; k++) {
    const amountCents = equalPart(rest, parts, k);
    amounts.push({ index: k, amountCents });
    rest -= amountCents;
  }
  return {
    orderId,
    totalCents: total,
    paidCents: total - left,
    leftCents: left,
    leftByRate: [...byRate].sort(([a], [b]) => a - b).map(([vatRateBp, leftCents]) => ({ vatRateBp, leftCents })),
    byShare: lines.some((l) => l.paidByShare > 0),
    parts: amounts,
    split: order.split_parts !== null ? { parts: order.split_parts, paid: order.split_paid } : null,
    // What each line has left, in the order a share is spread over them (shared/split.ts): the phone works out
    // what of a share meal vouchers may pay, as the server will (it took a voucher the server then refused).
    lines: lines
      .filter((l) => l.leftCents > 0)
      .map((l) => ({ leftCents: l.leftCents, vatRateBp: l.vat_rate_bp, mealVoucherEligible: l.meal_voucher_eligible === 1 })),
  };
}
