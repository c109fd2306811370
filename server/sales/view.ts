import type { Db } from '../../db/schema.ts';
import { NotFound } from '../errors.ts';
import { loadTicketRecords } from '../journal/tickets.ts';

/** A ticket as the API answers it, made from its stored row and hashed record (server/journal/tickets.ts). */
export function saleView(t: Awaited<ReturnType<typeof loadTicketRecords>>[number]) {
  const { row, record } = t;
  return {
    id: row.id,
    tillId: row.till_id,
    outletId: row.outlet_id,
    number: row.number,
    training: row.training === 1,
    kind: row.kind,
    refundOf: row.refund_of,
    cashierId: row.cashier_id,
    createdAt: row.created_at,
    receivedAt: row.received_at,
    businessDay: row.business_day,
    // The view's lines as they always were: a version 2 record also hashes each line's unit, note and refunded line, a version 3 its price's origin.
    lines: record.lines.map(
      ({
        unit: _unit,
        note: _note,
        refundOfLine: _refunded,
        priceSource: _source,
        cataloguePriceCents: _catalogue,
        manualPriceReason: _reason,
        priceApprovedBy: _approver,
        ...line
      }) => line,
    ),
    vat: record.vat,
    payments: record.payments,
    tipCents: record.payments.reduce((s, p) => s + (p.tipCents ?? 0), 0),
    subtotalCents: row.subtotal_cents,
    discountCents: row.discount_cents,
    totalCents: row.total_cents,
    changeCents: row.change_cents,
    approvedBy: row.approved_by,
    gapBefore: row.gap_before === 1,
    receiptToken: row.receipt_token,
    hash: row.hash,
  };
}
export type SaleView = ReturnType<typeof saleView>;

export async function getSale(db: Db, id: string): Promise<SaleView> {
  const [t] = await loadTicketRecords(db, { ids: [id] });
  if (!t) throw new NotFound('Ticket');
  return saleView(t);
}
