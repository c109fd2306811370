import type { Db } from '../events/event-log.ts';
import { sha256Hex } from '../auth/secrets.ts';
import { canonicalJson, GENESIS_HASH } from '../journal/canonical.ts';

export interface TicketRecord {
  id: string;
  tillId: number;
  training: boolean;
  number: number;
  chainSeq: number;
  createdAt: string;
  businessDay: string;
  cashierId: number;
  kind: 'sale' | 'refund';
  refundOf: string | null;
  lines: {
    lineNo: number;
    productId: number;
    name: string;
    producerId: number | null;
    quantity: number;
    unitPriceCents: number;
    grossCents: number;
    lineDiscountCents: number;
    ticketDiscountCents: number;
    totalCents: number;
    vatRateBp: number;
  }[];
  vat: { vatRateBp: number; grossCents: number; netCents: number; vatCents: number }[];
  payments: { method: string; amountCents: number }[];
  subtotalCents: number;
  discountCents: number;
  totalCents: number;
  changeCents: number;
  tillGrandTotalCents: number;
}

/** hash = SHA-256(previous hash ‖ canonical JSON of everything that matters on the ticket). */
export function ticketHash(prevHash: string, record: TicketRecord): string {
  return sha256Hex(prevHash + canonicalJson(record));
}

/** Rebuilds the hashed record of stored tickets from their rows, as `verify` and the archive need. */
export async function loadTicketRecords(db: Db, where: { tillId?: number; ids?: string[] } = {}) {
  let q = db.selectFrom('sales').selectAll();
  if (where.tillId !== undefined) q = q.where('till_id', '=', where.tillId);
  if (where.ids) q = q.where('id', 'in', where.ids);
  const sales = await q.orderBy('till_id').orderBy('training').orderBy('chain_seq').execute();
  if (sales.length === 0) return [];
  const ids = where.ids ?? null;
  const [lines, payments, vat] = await Promise.all([
    (ids ? db.selectFrom('sale_lines').selectAll().where('sale_id', 'in', ids) : db.selectFrom('sale_lines').selectAll()).orderBy('sale_id').orderBy('line_no').execute(),
    (ids ? db.selectFrom('sale_payments').selectAll().where('sale_id', 'in', ids) : db.selectFrom('sale_payments').selectAll()).orderBy('sale_id').orderBy('seq').execute(),
    (ids ? db.selectFrom('sale_vat').selectAll().where('sale_id', 'in', ids) : db.selectFrom('sale_vat').selectAll()).orderBy('sale_id').orderBy('vat_rate_bp').execute(),
  ]);
  const group = <T extends { sale_id: string }>(rows: T[]) => {
    const m = new Map<string, T[]>();
    for (const r of rows) m.set(r.sale_id, [...(m.get(r.sale_id) ?? []), r]);
    return m;
  };
  const linesOf = group(lines);
  const paymentsOf = group(payments);
  const vatOf = group(vat);
  return sales.map((s) => ({
    row: s,
    record: {
      id: s.id,
      tillId: s.till_id,
      training: s.training === 1,
      number: s.number,
      chainSeq: s.chain_seq,
      createdAt: s.created_at,
      businessDay: s.business_day,
      cashierId: s.cashier_id,
      kind: s.kind,
      refundOf: s.refund_of,
      lines: (linesOf.get(s.id) ?? []).map((l) => ({
        lineNo: l.line_no,
        productId: l.product_id,
        name: l.name,
        producerId: l.producer_id,
        quantity: l.quantity,
        unitPriceCents: l.unit_price_cents,
        grossCents: l.gross_cents,
        lineDiscountCents: l.line_discount_cents,
        ticketDiscountCents: l.ticket_discount_cents,
        totalCents: l.total_cents,
        vatRateBp: l.vat_rate_bp,
      })),
      vat: (vatOf.get(s.id) ?? []).map((v) => ({ vatRateBp: v.vat_rate_bp, grossCents: v.gross_cents, netCents: v.net_cents, vatCents: v.vat_cents })),
      payments: (paymentsOf.get(s.id) ?? []).map((p) => ({ method: p.method, amountCents: p.amount_cents })),
      subtotalCents: s.subtotal_cents,
      discountCents: s.discount_cents,
      totalCents: s.total_cents,
      changeCents: s.change_cents,
      tillGrandTotalCents: s.till_grand_total_cents,
    } satisfies TicketRecord,
  }));
}

export interface TicketProblem {
  record: string;
  fault: 'hash-mismatch' | 'broken-link' | 'missing' | 'reordered' | 'totals' | 'gap' | 'grand-total';
  detail: string;
}

/**
 * Walks every till's chain: a ticket edited (hash), removed or reordered (links and sequence), totals that
 * no longer add up, a grand total out of step, and numbers never received (gaps) are all named.
 */
export async function verifyTicketChains(db: Db) {
  const all = await loadTicketRecords(db);
  const problems: TicketProblem[] = [];
  let grandTotal = 0;
  const chains = new Map<string, typeof all>();
  for (const t of all) {
    const key = `${t.row.till_id}:${t.row.training}`;
    chains.set(key, [...(chains.get(key) ?? []), t]);
  }
  for (const [key, tickets] of chains) {
    const [tillId, training] = key.split(':');
    const label = (t: (typeof tickets)[number]) => `ticket:${training === '1' ? 'formation:' : ''}caisse ${tillId} n°${t.row.number}`;
    let prev = GENESIS_HASH;
    let running = 0;
    let expectedSeq = 1;
    const byHash = new Map(tickets.map((t) => [t.row.hash, t]));
    for (const t of tickets) {
      if (t.row.chain_seq !== expectedSeq) {
        problems.push({ record: label(t), fault: 'missing', detail: `chain positions ${expectedSeq}…${t.row.chain_seq - 1} are missing before this ticket` });
      }
      if (t.row.prev_hash !== prev) {
        // Its real predecessor is still here, elsewhere in the chain: the tickets were moved around.
        const before = byHash.get(t.row.prev_hash);
        if (before) problems.push({ record: label(t), fault: 'reordered', detail: `was recorded right after n°${before.row.number}, now stands elsewhere` });
        else problems.push({ record: label(t), fault: 'broken-link', detail: 'previous hash matches no ticket of this till' });
      }
      if (ticketHash(t.row.prev_hash, t.record) !== t.row.hash) problems.push({ record: label(t), fault: 'hash-mismatch', detail: 'content changed after it was recorded' });
      const linesTotal = t.record.lines.reduce((s, l) => s + l.totalCents, 0);
      const vatTotal = t.record.vat.reduce((s, v) => s + v.grossCents, 0);
      if (linesTotal !== t.row.total_cents || vatTotal !== t.row.total_cents) {
        problems.push({ record: label(t), fault: 'totals', detail: `lines ${linesTotal}, VAT rows ${vatTotal}, total ${t.row.total_cents}` });
      }
      running += t.row.total_cents;
      if (running !== t.row.till_grand_total_cents) problems.push({ record: label(t), fault: 'grand-total', detail: `running total ${running}, recorded ${t.row.till_grand_total_cents}` });
      prev = t.row.hash;
      expectedSeq = t.row.chain_seq + 1;
    }
    const numbers = new Set(tickets.map((t) => t.row.number));
    const max = Math.max(...numbers);
    const missing: number[] = [];
    for (let n = 1; n <= max && missing.length < 20; n++) if (!numbers.has(n)) missing.push(n);
    if (missing.length) problems.push({ record: `caisse ${tillId}${training === '1' ? ' (formation)' : ''}`, fault: 'gap', detail: `numbers never received: ${missing.join(', ')}` });
    if (training === '0') grandTotal += running;
  }
  return { tickets: all.filter((t) => t.row.training === 0).length, grandTotalCents: grandTotal, problems };
}
