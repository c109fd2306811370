import { checkSolidarityRefund, linkSolidarityRefund } from '../solidarity/solidarity.ts';
import { returnReuseItems } from '../ressourcerie/ressourcerie.ts';
import { cancelCounterDishes } from '../restaurant/counter.ts';
import { refuseIfMissedZ } from '../closing/missed-z.ts';
import type { Kysely } from 'kysely';
import type { RefundBody } from '../../shared/api/sales.ts';
import { refundPart, refundableOf, settle, type LineAmounts } from '../../shared/sales.ts';
import type { Database, Db, Role } from '../../db/schema.ts';
import { sha256Hex } from '../auth/secrets.ts';
import { approveWithPin } from '../auth/login.ts';
import { Forbidden, NotFound, Unauthorized, Unprocessable } from '../errors.ts';
import { recordEvent } from '../journal/events.ts';
import { canonicalJson } from '../journal/canonical.ts';
import { checkPaymentMethods } from './payment-rules.ts';
import {
  activeTill,
  commitTicket,
  refuseFutureTicket,
  replayOf,
  type SaleContext,
  type SaleView,
  type TicketLineToCommit,
} from './record.ts';

/** The lines of a ticket's refunds (negative amounts), each with the line of the ticket it refunds. */
export function refundRowsOf(db: Db, saleId: string) {
  return db
    .selectFrom('sale_lines')
    .innerJoin('sales', 'sales.id', 'sale_lines.sale_id')
    .select([
      'sale_lines.refund_of_line',
      'sale_lines.quantity',
      'sale_lines.gross_cents',
      'sale_lines.line_discount_cents',
      'sale_lines.ticket_discount_cents',
    ])
    .where('sales.refund_of', '=', saleId)
    .execute();
}

/** A sale line's amounts as shared/sales.ts reads them. */
export const amountsOf = (l: {
  quantity: number;
  gross_cents: number;
  line_discount_cents: number;
  ticket_discount_cents: number;
}): LineAmounts => ({
  quantity: l.quantity,
  grossCents: l.gross_cents,
  lineDiscountCents: l.line_discount_cents,
  ticketDiscountCents: l.ticket_discount_cents,
});

/** What the refunds of a ticket (their rows, negative) have given back of its line `lineNo`, as positive amounts. */
export function refundedOf(
  rows: readonly {
    refund_of_line: number | null;
    quantity: number;
    gross_cents: number;
    line_discount_cents: number;
    ticket_discount_cents: number;
  }[],
  lineNo: number,
): LineAmounts {
  const back: LineAmounts = { quantity: 0, grossCents: 0, lineDiscountCents: 0, ticketDiscountCents: 0 };
  for (const r of rows)
    if (r.refund_of_line === lineNo) {
      back.quantity -= r.quantity;
      back.grossCents -= r.gross_cents;
      back.lineDiscountCents -= r.line_discount_cents;
      back.ticketDiscountCents -= r.ticket_discount_cents;
    }
  return back;
}

/** The ticket to refund exists, was sold in this till's outlet, and is a sale (a quick read, no lock). */
async function refundableTicket(db: Kysely<Database>, refundOf: string, tillId: number) {
  const till = await db.selectFrom('tills').select('outlet_id').where('id', '=', tillId).executeTakeFirst();
  const original = await db.selectFrom('sales').select(['kind', 'outlet_id']).where('id', '=', refundOf).executeTakeFirst();
  if (!original || !till) throw new NotFound('Ticket d’origine');
  if (original.outlet_id !== till.outlet_id) {
    throw new Unprocessable('Ce ticket a été vendu dans l’autre point de vente : remboursez-le là-bas.', [
      { field: 'refundOf', reason: 'ticket d’un autre point de vente' },
    ]);
  }
  if (original.kind !== 'sale')
    throw new Unprocessable('On ne rembourse pas un remboursement.', [{ field: 'refundOf', reason: 'ticket de remboursement' }]);
}

/**
 * A refund is a new ticket with negative lines referencing the original ticket and lines, never more than
 * was sold (counting earlier refunds), approved by a manager, chained on the till like any ticket.
 */
export async function recordRefund(
  db: Kysely<Database>,
  body: RefundBody,
  ctx: SaleContext & { cashierRole: Role },
): Promise<{ created: boolean; sale: SaleView; oneOffs?: number[]; kitchen?: number }> {
  if (body.tillId !== ctx.tillId) throw new Forbidden('Ce ticket vient d’une autre caisse que cette tablette.');
  refuseFutureTicket(new Date(body.createdAt), ctx.now);
  const bodyHash = sha256Hex(canonicalJson(body));
  const replay = await replayOf(db, body.id, bodyHash);
  if (replay) return { created: false, sale: replay };
  // What the refund is about is checked before the PIN, so a right PIN with nothing to refund answers as a
  // wrong one does not tell apart (issue 19 item 1): the same 404/422 either way.
  await refundableTicket(db, body.refundOf, ctx.tillId);
  // Approval next, outside the write transaction: checking PINs is slow on purpose. The manager's PIN goes
  // through the limiter as everywhere on a till (auth/limiter.ts): wrong ones count for this tablet.
  let approvedBy: number | null = null;
  if (ctx.cashierRole === 'manager' || ctx.cashierRole === 'admin') approvedBy = ctx.cashierId;
  else if (body.approvalPin) {
    try {
      if (ctx.deviceId === null) throw new Forbidden('Un remboursement se valide sur une caisse appairée.');
      approvedBy = (
        await approveWithPin(
          db,
          { tillId: ctx.tillId, deviceId: ctx.deviceId, pin: body.approvalPin, approverOf: ctx.cashierId, what: 'refund' },
          ctx.now,
        )
      ).id;
    } catch (e) {
      if (e instanceof Unauthorized) throw new Forbidden('Code PIN du responsable incorrect : remboursement non autorisé.');
      throw e;
    }
  } else {
    throw new Forbidden('Un remboursement doit être validé par un responsable (son code PIN).');
  }

  return db.transaction().execute(async (trx) => {
    const again = await replayOf(trx, body.id, bodyHash);
    if (again) return { created: false, sale: again };
    const till = await activeTill(trx, body.tillId);
    const original = await trx
      .selectFrom('sales')
      .select(['id', 'kind', 'training', 'number', 'till_id', 'outlet_id'])
      .where('id', '=', body.refundOf)
      .executeTakeFirst();
    if (!original) throw new NotFound('Ticket d’origine');
    // Any till of the outlet refunds its tickets; the other outlet's are refunded there (its closings hold them).
    if (original.outlet_id !== till.outlet_id) {
      throw new Unprocessable('Ce ticket a été vendu dans l’autre point de vente : remboursez-le là-bas.', [
        { field: 'refundOf', reason: 'ticket d’un autre point de vente' },
      ]);
    }
    if (original.kind !== 'sale')
      throw new Unprocessable('On ne rembourse pas un remboursement.', [{ field: 'refundOf', reason: 'ticket de remboursement' }]);
    if (original.training !== till.training_mode) {
      throw new Unprocessable('Un ticket de formation ne se rembourse qu’en mode formation, et inversement.', [
        { field: 'refundOf', reason: 'mode différent' },
      ]);
    }
    // The number is checked where every ticket's is (commitTicket): taken by another tablet of the till, the next one.
    const originalLines = await trx
      .selectFrom('sale_lines')
      .innerJoin('products', 'products.id', 'sale_lines.product_id')
      .selectAll('sale_lines')
      .select('products.stock_tracked')
      .where('sale_id', '=', original.id)
      .execute();
    const refunded = await refundRowsOf(trx, original.id);
    const problems: { field: string; reason: string }[] = [];
    const seen = new Set<number>();
    const lines: TicketLineToCommit[] = [];
    body.lines.forEach((l, i) => {
      const o = originalLines.find((x) => x.line_no === l.lineNo);
      if (!o) return problems.push({ field: `lines.${i}.lineNo`, reason: `le ticket n°${original.number} n’a pas de ligne ${l.lineNo}` });
      if (seen.has(l.lineNo))
        return problems.push({ field: `lines.${i}.lineNo`, reason: 'ligne remboursée deux fois dans la même demande' });
      seen.add(l.lineNo);
      const before = refundedOf(refunded, o.line_no);
      const line = amountsOf(o);
      const remaining = refundableOf(line, before);
      // A share of a restaurant bill carries cents, not pieces (restaurant/payments.ts): it is given back whole.
      if (o.quantity === 0) {
        if (remaining === 0) return problems.push({ field: `lines.${i}.lineNo`, reason: 'part d’addition déjà remboursée' });
        if (l.quantity !== 1)
          return problems.push({ field: `lines.${i}.quantity`, reason: 'part d’addition : elle se rembourse entière (quantity 1)' });
      }
      const q = o.quantity === 0 ? 1 : o.unit === 'kg' ? l.grams : l.quantity;
      if (q === undefined)
        return problems.push({
          field: `lines.${i}.${o.unit === 'kg' ? 'grams' : 'quantity'}`,
          reason: o.unit === 'kg' ? 'article au poids : grams attendu' : 'article à la pièce : quantity attendu',
        });
      if (q > remaining) {
        return problems.push({
          field: `lines.${i}.${o.unit === 'kg' ? 'grams' : 'quantity'}`,
          reason: `au plus ${remaining} ${o.unit === 'kg' ? 'g' : 'pièce(s)'} à rembourser sur cette ligne (vendu ${o.quantity}, déjà remboursé ${before.quantity})`,
        });
      }
      const part = refundPart(line, before, q);
      lines.push({
        lineNo: i + 1,
        productId: o.product_id,
        name: o.name,
        producerId: o.producer_id,
        unit: o.unit,
        quantity: -part.quantity,
        unitPriceCents: o.unit_price_cents,
        grossCents: -part.grossCents,
        lineDiscountCents: -part.lineDiscountCents,
        ticketDiscountCents: -part.ticketDiscountCents,
        totalCents: -part.totalCents,
        vatRateBp: o.vat_rate_bp,
        note: null,
        refundOfLine: o.line_no,
        // A share moved no goods of its own (the ticket that settled the bill did): money only comes back.
        stockTracked: o.stock_tracked === 1 && o.quantity !== 0,
        // The category the line was sold in: its commission and the fund's share go by it.
        categoryId: o.category_id,
        restock: l.restock,
      });
      return undefined;
    });
    if (problems.length) throw new Unprocessable('Remboursement refusé.', problems);
    const total = lines.reduce((s, l) => s + l.totalCents, 0);
    if (total !== body.totalCents) {
      throw new Unprocessable(`Remboursement refusé : le total ne correspond pas (calculé ${total} centimes, reçu ${body.totalCents}).`, [
        { field: 'totalCents', reason: `attendu ${total}` },
      ]);
    }
    // Given back by a method of the shop's (now or when the refund was rung), or the way the ticket was paid.
    const paidWith = await trx.selectFrom('sale_payments').select('method').where('sale_id', '=', original.id).execute();
    await checkPaymentMethods(
      trx,
      body.payments,
      new Date(body.createdAt),
      'Remboursement',
      paidWith.map((p) => p.method),
    );
    const settled = settle(total, body.payments);
    if ('problem' in settled)
      throw new Unprocessable(`Remboursement refusé : ${settled.problem}.`, [{ field: 'payments', reason: settled.problem }]);
    // A refund is a ticket too: a day left without its Z stops it as it stops a sale.
    await refuseIfMissedZ(trx, till.outlet_id, new Date(body.createdAt), ctx.now, ctx.timeZone);
    // Sold at solidarity prices: the fund takes back its share of what is refunded.
    const solidarity = await checkSolidarityRefund(trx, {
      refundOf: original.id,
      lines: lines.map((l) => ({
        categoryId: l.categoryId ?? null,
        items: l.unit === 'kg' ? -1 : l.quantity,
        totalCents: l.totalCents,
      })),
      payments: body.payments,
    });
    const sale = await commitTicket(trx, {
      id: body.id,
      till,
      deviceId: ctx.deviceId,
      number: body.number,
      createdAt: new Date(body.createdAt),
      cashierId: ctx.cashierId,
      kind: 'refund',
      refundOf: original.id,
      reason: body.reason,
      approvedBy,
      lines,
      payments: body.payments,
      subtotalCents: lines.reduce((s, l) => s + l.grossCents - l.lineDiscountCents, 0),
      discountCents: lines.reduce((s, l) => s + l.ticketDiscountCents, 0),
      totalCents: total,
      changeCents: 0,
      bodyHash,
      now: ctx.now,
      timeZone: ctx.timeZone,
    });
    if (solidarity) await linkSolidarityRefund(trx, sale.id, solidarity);
    // Dishes sold at the bar and not yet served: the kitchen is told they are cancelled (restaurant/counter.ts).
    const kitchen = sale.training
      ? 0
      : await cancelCounterDishes(trx, {
          saleId: original.id,
          refundId: sale.id,
          lines: lines.filter((l) => l.unit === 'piece').map((l) => ({ lineNo: l.refundOfLine!, quantity: -l.quantity })),
          reason: body.reason,
          cashierId: ctx.cashierId,
          now: ctx.now,
        });
    // One-off items back on sale: the route tells the tills (their catalogue changed).
    let oneOffs: number[] = [];
    if (!sale.training) {
      oneOffs = await returnReuseItems(
        trx,
        original.id,
        lines.map((l) => ({ productId: l.productId, restock: l.restock ?? true })),
        sale.businessDay,
        ctx.now,
      );
    }
    await recordEvent(trx, {
      kind: 'sale.refunded',
      userId: ctx.cashierId,
      subject: `sale:${original.id}`,
      data: { refundId: sale.id, totalCents: total, reason: body.reason, approvedBy, lines: body.lines },
      at: ctx.now.toISOString(),
    });
    return { created: true, sale, oneOffs, kitchen };
  });
}
