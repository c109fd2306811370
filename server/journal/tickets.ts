import { groupBy } from '../../shared/group.ts';
import { sql } from 'kysely';
import type { Db, SaleLineTable, SalePaymentTable, SaleTable, SaleVatTable } from '../../db/schema.ts';
import { sha256Hex } from '../auth/secrets.ts';
import { GENESIS_HASH } from './canonical.ts';

export interface TicketLineRecord {
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
  /** Chain version 2 on: the line's unit, note and the line of the sale it refunds. */
  unit?: 'piece' | 'kg';
  note?: string | null;
  refundOfLine?: number | null;
  /** Chain version 3 on: where the price came from (sales/prices.ts), the catalogue's price, a manual price's reason and approver. */
  priceSource?: string | null;
  cataloguePriceCents?: number | null;
  manualPriceReason?: string | null;
  priceApprovedBy?: number | null;
}

/**
 * What a ticket's hash covers. Version 1 (the members without a `v`) is what tickets recorded before
 * 2026-12-06 hashed, kept byte for byte so they still verify. Version 2 (`v: 2`) covers every fiscal field of
 * the ticket: `FISCAL_COLUMNS` below lists each stored column with what covers it, and a test fails when a
 * column is neither hashed nor said to be derived. Version 3 (`v: 3`) is version 2 with each line's price
 * origin (catalogue, scale label, order or manual; the catalogue's price, a manual price's reason and approver).
 */
export interface TicketRecord {
  v?: 2 | 3;
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
  lines: TicketLineRecord[];
  vat: { vatRateBp: number; grossCents: number; netCents: number; vatCents: number }[];
  /**
   * `tipCents` only when a tip was added (card), `excessCents` only when a meal voucher was worth more than
   * it paid (« non rendu »): tickets without them hash as they always did.
   */
  payments: { method: string; amountCents: number; tipCents?: number; excessCents?: number }[];
  subtotalCents: number;
  discountCents: number;
  totalCents: number;
  changeCents: number;
  tillGrandTotalCents: number;
  /** Chain version 2 on. */
  outletId?: number;
  reason?: string | null;
  approvedBy?: number | null;
  receivedAt?: string;
  late?: boolean;
  gapBefore?: boolean;
  deviceId?: number | null;
  proposedNumber?: number | null;
  softwareVersion?: string | null;
}

/** The chain version new tickets are recorded with. */
export const CHAIN_VERSION = 3 as const;

/** hash = SHA-256(previous hash ‖ canonical JSON of everything that matters on the ticket). */
export function ticketHash(prevHash: string, record: TicketRecord): string {
  return sha256Hex(prevHash + ticketCanonicalJson(record));
}

const str = JSON.stringify;
const num = (n: number) => {
  if (!Number.isFinite(n)) throw new TypeError('canonicalJson: non-finite number');
  return String(n);
};
const nullable = (v: string | number | null) => (v === null ? 'null' : typeof v === 'string' ? str(v) : num(v));

/**
 * `canonicalJson(record)` for the one shape a ticket has, written out with its keys already in order:
 * `verify` hashes every ticket ever sold, and sorting the keys of every object was half its time. A test
 * checks it gives exactly the bytes of the generic function.
 */
export function ticketCanonicalJson(r: TicketRecord): string {
  // Version 3 is version 2 with each line's price origin (issue 20 item 7).
  const v2 = r.v === 2 || r.v === 3;
  const v3 = r.v === 3;
  let lines = '';
  for (let i = 0; i < r.lines.length; i++) {
    const l = r.lines[i]!;
    lines += v3
      ? `${i ? ',' : ''}{"cataloguePriceCents":${nullable(l.cataloguePriceCents ?? null)},"grossCents":${num(l.grossCents)},"lineDiscountCents":${num(l.lineDiscountCents)},"lineNo":${num(l.lineNo)},"manualPriceReason":${nullable(l.manualPriceReason ?? null)},"name":${str(l.name)},"note":${nullable(l.note ?? null)},"priceApprovedBy":${nullable(l.priceApprovedBy ?? null)},"priceSource":${nullable(l.priceSource ?? null)},"producerId":${nullable(l.producerId)},"productId":${num(l.productId)},"quantity":${num(l.quantity)},"refundOfLine":${nullable(l.refundOfLine ?? null)},"ticketDiscountCents":${num(l.ticketDiscountCents)},"totalCents":${num(l.totalCents)},"unit":${str(l.unit)},"unitPriceCents":${num(l.unitPriceCents)},"vatRateBp":${num(l.vatRateBp)}}`
      : v2
        ? `${i ? ',' : ''}{"grossCents":${num(l.grossCents)},"lineDiscountCents":${num(l.lineDiscountCents)},"lineNo":${num(l.lineNo)},"name":${str(l.name)},"note":${nullable(l.note ?? null)},"producerId":${nullable(l.producerId)},"productId":${num(l.productId)},"quantity":${num(l.quantity)},"refundOfLine":${nullable(l.refundOfLine ?? null)},"ticketDiscountCents":${num(l.ticketDiscountCents)},"totalCents":${num(l.totalCents)},"unit":${str(l.unit)},"unitPriceCents":${num(l.unitPriceCents)},"vatRateBp":${num(l.vatRateBp)}}`
        : `${i ? ',' : ''}{"grossCents":${num(l.grossCents)},"lineDiscountCents":${num(l.lineDiscountCents)},"lineNo":${num(l.lineNo)},"name":${str(l.name)},"producerId":${nullable(l.producerId)},"productId":${num(l.productId)},"quantity":${num(l.quantity)},"ticketDiscountCents":${num(l.ticketDiscountCents)},"totalCents":${num(l.totalCents)},"unitPriceCents":${num(l.unitPriceCents)},"vatRateBp":${num(l.vatRateBp)}}`;
  }
  let payments = '';
  for (let i = 0; i < r.payments.length; i++) {
    const p = r.payments[i]!;
    const tip = p.tipCents === undefined ? '' : `,"tipCents":${num(p.tipCents)}`;
    const excess = p.excessCents === undefined ? '' : `,"excessCents":${num(p.excessCents)}`;
    payments += `${i ? ',' : ''}{"amountCents":${num(p.amountCents)}${excess},"method":${str(p.method)}${tip}}`;
  }
  let vat = '';
  for (let i = 0; i < r.vat.length; i++) {
    const v = r.vat[i]!;
    vat += `${i ? ',' : ''}{"grossCents":${num(v.grossCents)},"netCents":${num(v.netCents)},"vatCents":${num(v.vatCents)},"vatRateBp":${num(v.vatRateBp)}}`;
  }
  if (v2)
    return `{"approvedBy":${nullable(r.approvedBy ?? null)},"businessDay":${str(r.businessDay)},"cashierId":${num(r.cashierId)},"chainSeq":${num(r.chainSeq)},"changeCents":${num(r.changeCents)},"createdAt":${str(r.createdAt)},"deviceId":${nullable(r.deviceId ?? null)},"discountCents":${num(r.discountCents)},"gapBefore":${r.gapBefore ? 'true' : 'false'},"id":${str(r.id)},"kind":${str(r.kind)},"late":${r.late ? 'true' : 'false'},"lines":[${lines}],"number":${num(r.number)},"outletId":${num(r.outletId!)},"payments":[${payments}],"proposedNumber":${nullable(r.proposedNumber ?? null)},"reason":${nullable(r.reason ?? null)},"receivedAt":${str(r.receivedAt)},"refundOf":${nullable(r.refundOf)},"softwareVersion":${nullable(r.softwareVersion ?? null)},"subtotalCents":${num(r.subtotalCents)},"tillGrandTotalCents":${num(r.tillGrandTotalCents)},"tillId":${num(r.tillId)},"totalCents":${num(r.totalCents)},"training":${r.training ? 'true' : 'false'},"v":${v3 ? 3 : 2},"vat":[${vat}]}`;
  return `{"businessDay":${str(r.businessDay)},"cashierId":${num(r.cashierId)},"chainSeq":${num(r.chainSeq)},"changeCents":${num(r.changeCents)},"createdAt":${str(r.createdAt)},"discountCents":${num(r.discountCents)},"id":${str(r.id)},"kind":${str(r.kind)},"lines":[${lines}],"number":${num(r.number)},"payments":[${payments}],"refundOf":${nullable(r.refundOf)},"subtotalCents":${num(r.subtotalCents)},"tillGrandTotalCents":${num(r.tillGrandTotalCents)},"tillId":${num(r.tillId)},"totalCents":${num(r.totalCents)},"training":${r.training ? 'true' : 'false'},"vat":[${vat}]}`;
}

/** The columns of a stored ticket, its lines, VAT rows and payments that its hashed record is made of. */
export type TicketRecordRow = Pick<
  SaleTable,
  | 'id'
  | 'till_id'
  | 'training'
  | 'number'
  | 'chain_seq'
  | 'created_at'
  | 'business_day'
  | 'cashier_id'
  | 'kind'
  | 'refund_of'
  | 'subtotal_cents'
  | 'discount_cents'
  | 'total_cents'
  | 'change_cents'
  | 'till_grand_total_cents'
  | 'outlet_id'
  | 'reason'
  | 'approved_by'
  | 'received_at'
  | 'late'
  | 'gap_before'
  | 'device_id'
  | 'proposed_number'
> & { chain_version: 1 | 2 | 3; software_version: string | null };
/** A line as the ticket's record hashes it: its day is the ticket's own (not hashed twice). */
export type TicketLineRow = Omit<SaleLineTable, 'sale_id' | LineCopyOfTicket | 'category_id'>;
/** What a line copies from its ticket (migration 033), compared with it by `verify`. */
export type LineCopyOfTicket = 'business_day' | 'training' | 'kind' | 'outlet_id';
export type TicketVatRow = Omit<SaleVatTable, 'sale_id'>;
export type TicketPaymentRow = Omit<SalePaymentTable, 'sale_id' | 'seq' | 'tip_cents' | 'excess_cents'> & {
  tip_cents?: number;
  excess_cents?: number;
};

/** The columns `verify` reads to rebuild a ticket's record (every one its hash covers, in both versions). */
export const TICKET_RECORD_COLUMNS = [
  'id',
  'till_id',
  'training',
  'number',
  'chain_seq',
  'created_at',
  'business_day',
  'cashier_id',
  'kind',
  'refund_of',
  'subtotal_cents',
  'discount_cents',
  'total_cents',
  'change_cents',
  'till_grand_total_cents',
  'outlet_id',
  'reason',
  'approved_by',
  'received_at',
  'late',
  'gap_before',
  'device_id',
  'proposed_number',
  'chain_version',
  'software_version',
] as const;
export const TICKET_LINE_COLUMNS = [
  'line_no',
  'product_id',
  'name',
  'producer_id',
  'unit',
  'quantity',
  'unit_price_cents',
  'gross_cents',
  'line_discount_cents',
  'ticket_discount_cents',
  'total_cents',
  'vat_rate_bp',
  'note',
  'refund_of_line',
  'price_source',
  'catalogue_price_cents',
  'manual_price_reason',
  'price_approved_by',
] as const;

/**
 * Every column of the fiscal tables and what vouches for it: `hash` (in the ticket's record from chain
 * version 2 on, or in its chain's own hash), or why it is not fiscal data. `test/fiscal-columns.test.ts`
 * reads the tables' columns from the database and fails on a column missing here, and changes each
 * hashed column of a stored ticket to show that `verify` names it.
 */
export const FISCAL_COLUMNS: Record<string, Record<string, 'hash' | `derived: ${string}`>> = {
  sales: {
    id: 'hash',
    till_id: 'hash',
    training: 'hash',
    number: 'hash',
    chain_seq: 'hash',
    outlet_id: 'hash',
    cashier_id: 'hash',
    kind: 'hash',
    refund_of: 'hash',
    reason: 'hash',
    approved_by: 'hash',
    created_at: 'hash',
    received_at: 'hash',
    business_day: 'hash',
    late: 'hash',
    subtotal_cents: 'hash',
    discount_cents: 'hash',
    total_cents: 'hash',
    change_cents: 'hash',
    gap_before: 'hash',
    till_grand_total_cents: 'hash',
    device_id: 'hash',
    proposed_number: 'hash',
    software_version: 'hash',
    chain_version: 'derived: selects the form of the record; changing it changes the bytes hashed, so the stored hash no longer matches',
    body_hash: 'derived: digest of the request body, to answer a resent ticket idempotently',
    receipt_token: 'derived: random secret of the customer’s receipt link, not a figure of the sale',
    prev_hash: 'derived: the chain link itself, checked against the ticket before',
    hash: 'derived: the chain hash itself',
  },
  sale_lines: {
    sale_id: 'derived: the ticket the line belongs to; its record holds the line',
    business_day:
      'derived: a copy of its ticket’s day (which the hash covers), for finding a producer’s lines by day; verify compares them',
    training: 'derived: a copy of its ticket’s training flag (which the hash covers), for the same index; verify compares them',
    kind: 'derived: a copy of its ticket’s kind (which the hash covers), for the same index; verify compares them',
    outlet_id: 'derived: a copy of its ticket’s outlet (which the hash covers), for the same index; verify compares them',
    category_id:
      'derived: its product’s category when sold (a refund: its refunded line’s), for the commission and the solidarity shares; no amount of the ticket depends on it',
    line_no: 'hash',
    product_id: 'hash',
    name: 'hash',
    producer_id: 'hash',
    unit: 'hash',
    quantity: 'hash',
    unit_price_cents: 'hash',
    gross_cents: 'hash',
    line_discount_cents: 'hash',
    ticket_discount_cents: 'hash',
    total_cents: 'hash',
    vat_rate_bp: 'hash',
    note: 'hash',
    refund_of_line: 'hash',
    // Chain version 3 on (issue 20 item 7); null on the lines of older tickets.
    price_source: 'hash',
    catalogue_price_cents: 'hash',
    manual_price_reason: 'hash',
    price_approved_by: 'hash',
  },
  sale_payments: {
    sale_id: 'derived: the ticket the payment belongs to; its record holds the payment',
    seq: 'derived: the payment’s place in the record’s list, which the hash covers',
    method: 'hash',
    amount_cents: 'hash',
    tip_cents: 'hash',
    excess_cents: 'hash',
  },
  sale_vat: {
    sale_id: 'derived: the ticket the row belongs to; its record holds the row',
    vat_rate_bp: 'hash',
    gross_cents: 'hash',
    net_cents: 'hash',
    vat_cents: 'hash',
  },
};

/**
 * The one mapping from a ticket's rows to its hashed record: `commitTicket` hashes what it is about to
 * write through it, `verify` and the archive rebuild the record from what is stored through it, so the two
 * cannot drift apart.
 */
export function ticketRecord(
  s: TicketRecordRow,
  lines: readonly TicketLineRow[],
  vat: readonly TicketVatRow[],
  payments: readonly TicketPaymentRow[],
): TicketRecord {
  const v2 = s.chain_version === 2 || s.chain_version === 3;
  const v3 = s.chain_version === 3;
  const record: TicketRecord = {
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
    // Each version's members added in order (no spread: a ticket's records are made on every sale and by verify).
    lines: lines.map((l) => {
      // Version 1's members; version 2 adds the unit, note and refunded line, version 3 the price's origin.
      const line: TicketLineRecord = {
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
      };
      if (!v2) return line;
      line.unit = l.unit;
      line.note = l.note;
      line.refundOfLine = l.refund_of_line;
      if (!v3) return line;
      line.priceSource = l.price_source;
      line.cataloguePriceCents = l.catalogue_price_cents;
      line.manualPriceReason = l.manual_price_reason;
      line.priceApprovedBy = l.price_approved_by;
      return line;
    }),
    vat: vat.map((v) => ({ vatRateBp: v.vat_rate_bp, grossCents: v.gross_cents, netCents: v.net_cents, vatCents: v.vat_cents })),
    payments: payments.map((p) => {
      const payment: TicketRecord['payments'][number] = { method: p.method, amountCents: p.amount_cents };
      if (p.tip_cents) payment.tipCents = p.tip_cents;
      if (p.excess_cents) payment.excessCents = p.excess_cents;
      return payment;
    }),
    subtotalCents: s.subtotal_cents,
    discountCents: s.discount_cents,
    totalCents: s.total_cents,
    changeCents: s.change_cents,
    tillGrandTotalCents: s.till_grand_total_cents,
  };
  if (!v2) return record;
  return {
    v: v3 ? 3 : 2,
    ...record,
    outletId: s.outlet_id,
    reason: s.reason,
    approvedBy: s.approved_by,
    receivedAt: s.received_at,
    late: s.late === 1,
    gapBefore: s.gap_before === 1,
    deviceId: s.device_id,
    proposedNumber: s.proposed_number,
    softwareVersion: s.software_version,
  };
}

/**
 * The numbers of a till's chain never received, when its count of tickets falls short of its highest
 * number (numbers are unique per till, so the chain is gapless exactly when the two are equal).
 */
async function gapOf(db: Db, chain: { till_id: number; training: 0 | 1; n: unknown; maxNumber: unknown }): Promise<TicketProblem | null> {
  if (Number(chain.n) === Number(chain.maxNumber)) return null;
  const missing = await unaccountedNumbers(db, chain.till_id, chain.training, Number(chain.maxNumber));
  if (!missing.length) return null;
  return {
    record: `caisse ${chain.till_id}${chain.training === 1 ? ' (formation)' : ''}`,
    fault: 'gap',
    detail: `numbers never received: ${missing.join(', ')}`,
  };
}

/**
 * The numbers up to `maxNumber` of a till's chain that the server never received (the first 20), a ticket the
 * server refused and the till handed whole to the chained event log (till.ticket_refused) aside: that one is
 * accounted for, the gap documented there (found by a newcomer's walk: the gap stayed a fault for good after
 * the till had done what it should). Read by verify, and by the X before a Z (a tablet may still hold them).
 */
export async function unaccountedNumbers(db: Db, tillId: number, training: 0 | 1, maxNumber: number): Promise<number[]> {
  const numbers = new Set(
    (await db.selectFrom('sales').select('number').where('till_id', '=', tillId).where('training', '=', training).execute()).map(
      (r) => r.number,
    ),
  );
  const handedOver = new Set<number>();
  for (const e of await db
    .selectFrom('events')
    .select('data')
    .where('kind', '=', 'till.ticket_refused')
    .where('subject', '=', `till:${tillId}`)
    .execute()) {
    const d = JSON.parse(e.data ?? 'null') as { kind?: string; number?: number; training?: boolean } | null;
    if (d && (d.kind === 'sale' || d.kind === 'refund') && typeof d.number === 'number' && (d.training === true) === (training === 1))
      handedOver.add(d.number);
  }
  const missing: number[] = [];
  for (let n = 1; n <= maxNumber && missing.length < 20; n++) if (!numbers.has(n) && !handedOver.has(n)) missing.push(n);
  return missing;
}

/** A stretch of one till's chain, or a set of tickets by id. */
export type TicketSelection = { ids: string[] } | { tillId: number; training: 0 | 1; fromSeq: number; toSeq: number };

/** Rebuilds the hashed record of stored tickets from their rows, as `verify` and the archive need. */
export async function loadTicketRecords(db: Db, where: TicketSelection) {
  // The same selection on `sales`, or on a table joined to it.
  const pick = <T extends { where: (...args: any[]) => T }>(q: T): T => {
    if ('ids' in where) return q.where('sales.id', 'in', where.ids);
    return q
      .where('sales.till_id', '=', where.tillId)
      .where('sales.training', '=', where.training)
      .where('sales.chain_seq', '>=', where.fromSeq)
      .where('sales.chain_seq', '<=', where.toSeq);
  };
  if ('ids' in where && where.ids.length === 0) return [];
  const sales = await pick(db.selectFrom('sales').selectAll('sales'))
    .orderBy('sales.till_id')
    .orderBy('sales.training')
    .orderBy('sales.chain_seq')
    .execute();
  if (sales.length === 0) return [];
  // Ordered by the chain, not by sale id: the planner then walks the chain's index and looks each ticket's
  // rows up, instead of scanning every line ever sold to honour an order by sale id.
  const [lines, payments, vat] = await Promise.all([
    pick(db.selectFrom('sale_lines').innerJoin('sales', 'sales.id', 'sale_lines.sale_id').selectAll('sale_lines'))
      .orderBy('sales.till_id')
      .orderBy('sales.training')
      .orderBy('sales.chain_seq')
      .orderBy('sale_lines.line_no')
      .execute(),
    pick(db.selectFrom('sale_payments').innerJoin('sales', 'sales.id', 'sale_payments.sale_id').selectAll('sale_payments'))
      .orderBy('sales.till_id')
      .orderBy('sales.training')
      .orderBy('sales.chain_seq')
      .orderBy('sale_payments.seq')
      .execute(),
    pick(db.selectFrom('sale_vat').innerJoin('sales', 'sales.id', 'sale_vat.sale_id').selectAll('sale_vat'))
      .orderBy('sales.till_id')
      .orderBy('sales.training')
      .orderBy('sales.chain_seq')
      .orderBy('sale_vat.vat_rate_bp')
      .execute(),
  ]);
  const group = <T extends { sale_id: string }>(rows: T[]) => groupBy(rows, (r) => r.sale_id);
  const linesOf = group(lines);
  const paymentsOf = group(payments);
  const vatOf = group(vat);
  return sales.map((s) => ({
    row: s,
    record: ticketRecord(s, linesOf.get(s.id) ?? [], vatOf.get(s.id) ?? [], paymentsOf.get(s.id) ?? []),
  }));
}

export interface TicketProblem {
  record: string;
  fault: 'hash-mismatch' | 'broken-link' | 'missing' | 'reordered' | 'totals' | 'gap' | 'grand-total' | 'line-day';
  detail: string;
}

/**
 * Walks every till's chain: a ticket edited (hash), removed or reordered (links and sequence), totals that
 * no longer add up, a grand total out of step, and numbers never received (gaps) are all named.
 */
/** A stretch of one chain to verify, with the state the chain had just before it. */
export interface ChainSegment {
  tillId: number;
  training: 0 | 1;
  fromSeq: number;
  toSeq: number;
  prevHash: string;
  running: number;
  expectedSeq: number;
}

export interface SegmentResult {
  problems: TicketProblem[];
  sumCents: number;
}

const PAGE = 5000;
/** Chain positions per segment: the unit of work handed to a verify worker. */
export const SEGMENT = 20_000;

/** Verifies one segment of a chain: hashes, links, positions, totals, grand totals. */
export async function verifySegment(db: Db, seg: ChainSegment): Promise<SegmentResult> {
  const problems: TicketProblem[] = [];
  const label = (n: number) => `ticket:${seg.training === 1 ? 'formation:' : ''}caisse ${seg.tillId} n°${n}`;
  let prev = seg.prevHash;
  let running = seg.running;
  let expectedSeq = seg.expectedSeq;
  let sum = 0;
  // Pages in chain order; a ticket's predecessor may sit on the page before, so keep a window of hashes.
  const recentHashes = new Map<string, number>();
  for (let from = seg.fromSeq; from <= seg.toSeq; from += PAGE) {
    const page = await loadTicketRecords(db, {
      tillId: seg.tillId,
      training: seg.training,
      fromSeq: from,
      toSeq: Math.min(seg.toSeq, from + PAGE - 1),
    });
    // Hashes of this page and the one before: a ticket moved within them is named as moved.
    for (const t of page) recentHashes.set(t.row.hash, t.row.number);
    for (const t of page) {
      if (t.row.chain_seq !== expectedSeq) {
        problems.push({
          record: label(t.row.number),
          fault: 'missing',
          detail: `chain positions ${expectedSeq}…${t.row.chain_seq - 1} are missing before this ticket`,
        });
      }
      if (t.row.prev_hash !== prev) {
        const before = recentHashes.get(t.row.prev_hash);
        if (before !== undefined)
          problems.push({
            record: label(t.row.number),
            fault: 'reordered',
            detail: `was recorded right after n°${before}, now stands elsewhere`,
          });
        else problems.push({ record: label(t.row.number), fault: 'broken-link', detail: 'previous hash matches no ticket of this till' });
      }
      if (ticketHash(t.row.prev_hash, t.record) !== t.row.hash)
        problems.push({ record: label(t.row.number), fault: 'hash-mismatch', detail: 'content changed after it was recorded' });
      const linesTotal = t.record.lines.reduce((total, l) => total + l.totalCents, 0);
      const vatTotal = t.record.vat.reduce((total, v) => total + v.grossCents, 0);
      if (linesTotal !== t.row.total_cents || vatTotal !== t.row.total_cents) {
        problems.push({
          record: label(t.row.number),
          fault: 'totals',
          detail: `lines ${linesTotal}, VAT rows ${vatTotal}, total ${t.row.total_cents}`,
        });
      }
      running += t.row.total_cents;
      sum += t.row.total_cents;
      if (running !== t.row.till_grand_total_cents)
        problems.push({
          record: label(t.row.number),
          fault: 'grand-total',
          detail: `running total ${running}, recorded ${t.row.till_grand_total_cents}`,
        });
      prev = t.row.hash;
      expectedSeq = t.row.chain_seq + 1;
    }
    while (recentHashes.size > 2 * PAGE) recentHashes.delete(recentHashes.keys().next().value!);
  }
  return { problems, sumCents: sum };
}

/** Verifies segments somewhere; says how many worker threads it used (0: in the caller's thread). */
export type SegmentRunner = (segments: ChainSegment[]) => Promise<{ results: SegmentResult[]; threads: number }>;

/**
 * Walks every till's chain: a ticket edited (hash), removed or reordered (links and positions), totals that
 * no longer add up, a grand total out of step, and numbers never received (gaps) are all named. Long chains
 * are cut into segments, each starting from the stored state of the ticket before it, so that `runSegments`
 * can verify them in parallel; by default they run here, one after the other.
 */
export async function verifyTicketChains(db: Db, runSegments?: SegmentRunner, segmentSize = SEGMENT) {
  const problems: TicketProblem[] = [];
  let grandTotal = 0;
  let tickets = 0;
  const chains = await db
    .selectFrom('sales')
    .select((eb) => [
      'till_id',
      'training',
      eb.fn.countAll().as('n'),
      eb.fn.max('number').as('maxNumber'),
      eb.fn.max('chain_seq').as('maxSeq'),
    ])
    .groupBy(['till_id', 'training'])
    .orderBy('till_id')
    .orderBy('training')
    .execute();
  const segments: ChainSegment[] = [];
  for (const chain of chains) {
    for (let from = 1; from <= Number(chain.maxSeq); from += segmentSize) {
      const before =
        from === 1
          ? undefined
          : await db
              .selectFrom('sales')
              .select(['hash', 'till_grand_total_cents', 'chain_seq'])
              .where('till_id', '=', chain.till_id)
              .where('training', '=', chain.training)
              .where('chain_seq', '<', from)
              .orderBy('chain_seq', 'desc')
              .limit(1)
              .executeTakeFirst();
      segments.push({
        tillId: chain.till_id,
        training: chain.training,
        fromSeq: from,
        toSeq: Math.min(Number(chain.maxSeq), from + segmentSize - 1),
        prevHash: before?.hash ?? GENESIS_HASH,
        running: before?.till_grand_total_cents ?? 0,
        expectedSeq: before ? before.chain_seq + 1 : 1,
      });
    }
  }
  let outcome: { results: SegmentResult[]; threads: number };
  if (runSegments && segments.length > 1) outcome = await runSegments(segments);
  else {
    // One segment at a time: memory stays at one page of tickets.
    const results: SegmentResult[] = [];
    for (const seg of segments) results.push(await verifySegment(db, seg));
    outcome = { results, threads: 0 };
  }
  const { results, threads } = outcome;
  segments.forEach((seg, i) => {
    // One at a time: a broken journal can hold hundreds of thousands of problems, past what a spread call takes.
    for (const p of results[i]!.problems) problems.push(p);
    if (seg.training === 0) grandTotal += results[i]!.sumCents;
  });
  for (const chain of chains) {
    const gap = await gapOf(db, chain);
    if (gap) problems.push(gap);
    if (chain.training === 0) tickets += Number(chain.n);
  }
  return { tickets, grandTotalCents: grandTotal, problems, threads };
}

const WALK_PAGE = 20_000;

/**
 * `verify` in three passes over whole tables rather than chain by chain:
 * 1. every ticket on its own: its hash recomputed from its rows and its own `prev_hash`, its totals; the
 *    four tables read once each, in key order (ticket ids are UUIDv7, so that is time order), merged by id;
 * 2. every link: each ticket against the one before it on its chain (one indexed self-join), which names
 *    tickets removed, moved or cut from their predecessor;
 * 3. the perpetual grand totals: a running sum per chain (a window), against what each ticket recorded.
 * Together they check what walking each chain checks (the segmented walk stays, for worker threads and
 * as a second, independent implementation the tests compare with this one).
 */
export async function verifyTicketsByTable(db: Db, runRanges?: RangeRunner, parts = 2) {
  const problems: TicketProblem[] = [];

  // 1. Each ticket on its own, in ranges of ids verified in parallel when a runner is given.
  let threads = 0;
  const pass1 = (async () => {
    if (!runRanges) return verifyTicketRange(db, { after: '', upTo: null });
    const { n } = await db
      .selectFrom('sales')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirstOrThrow();
    const bounds: string[] = [];
    for (let k = 1; k < parts; k++) {
      const row = await db
        .selectFrom('sales')
        .select('id')
        .orderBy('id')
        .limit(1)
        .offset(Math.floor((Number(n) * k) / parts))
        .executeTakeFirst();
      if (row && row.id !== bounds[bounds.length - 1]) bounds.push(row.id);
    }
    const ranges: TicketRange[] = [...bounds, null].map((upTo, i) => ({ after: i === 0 ? '' : bounds[i - 1]!, upTo }));
    const out = await runRanges(ranges);
    threads = out.threads;
    return out.results.flat();
  })();
  const [own, linked] = await Promise.all([pass1, verifyLinksAndTotals(db)]);
  // One at a time: hundreds of thousands of problems would overflow a spread call's arguments.
  for (const p of own) problems.push(p);
  for (const p of linked.problems) problems.push(p);
  return { tickets: linked.tickets, grandTotalCents: linked.grandTotalCents, problems, threads };
}

/** Passes 2 and 3 of `verifyTicketsByTable`, and the numbering gaps. */
async function verifyLinksAndTotals(db: Db) {
  const problems: TicketProblem[] = [];
  const label = (tillId: number, training: number, n: number) => `ticket:${training === 1 ? 'formation:' : ''}caisse ${tillId} n°${n}`;
  // 2. Links: each ticket against its predecessor on the chain.
  const links = await db
    .selectFrom('sales as a')
    .leftJoin('sales as b', (join) =>
      join
        .onRef('b.till_id', '=', 'a.till_id')
        .onRef('b.training', '=', 'a.training')
        .on(sql<boolean>`b.chain_seq = a.chain_seq - 1`),
    )
    .select(['a.till_id', 'a.training', 'a.number', 'a.chain_seq', 'a.prev_hash', 'b.hash as before_hash'])
    .where((eb) =>
      eb.or([
        eb.and([eb('a.chain_seq', '=', 1), eb('a.prev_hash', '<>', GENESIS_HASH)]),
        eb.and([eb('a.chain_seq', '>', 1), eb.or([eb('b.hash', 'is', null), eb('b.hash', '<>', eb.ref('a.prev_hash'))])]),
      ]),
    )
    .orderBy('a.till_id')
    .orderBy('a.training')
    .orderBy('a.chain_seq')
    .execute();
  for (const a of links) {
    const name = label(a.till_id, a.training, a.number);
    if (a.chain_seq > 1 && a.before_hash === null) {
      const lower = await db
        .selectFrom('sales')
        .select((eb) => eb.fn.max('chain_seq').as('seq'))
        .where('till_id', '=', a.till_id)
        .where('training', '=', a.training)
        .where('chain_seq', '<', a.chain_seq)
        .executeTakeFirst();
      problems.push({
        record: name,
        fault: 'missing',
        detail: `chain positions ${Number(lower?.seq ?? 0) + 1}…${a.chain_seq - 1} are missing before this ticket`,
      });
    }
    // The ticket it was chained to: still on this chain somewhere else (moved), or gone.
    const before = await db
      .selectFrom('sales')
      .select('number')
      .where('till_id', '=', a.till_id)
      .where('training', '=', a.training)
      .where('hash', '=', a.prev_hash)
      .executeTakeFirst();
    if (before)
      problems.push({ record: name, fault: 'reordered', detail: `was recorded right after n°${before.number}, now stands elsewhere` });
    else problems.push({ record: name, fault: 'broken-link', detail: 'previous hash matches no ticket of this till' });
  }

  // 3. Perpetual grand totals, chain by chain.
  const running = db
    .selectFrom('sales')
    .select((eb) => [
      'till_id',
      'training',
      'number',
      'chain_seq',
      'till_grand_total_cents',
      eb.fn
        .sum<number>('total_cents')
        .over((ob) => ob.partitionBy(['till_id', 'training']).orderBy('chain_seq'))
        .as('running'),
    ])
    .as('w');
  const drifts = await db
    .selectFrom(running)
    .selectAll()
    .whereRef('w.running', '<>', 'w.till_grand_total_cents')
    .orderBy('w.till_id')
    .orderBy('w.training')
    .orderBy('w.chain_seq')
    .execute();
  for (const d of drifts)
    problems.push({
      record: label(d.till_id, d.training, d.number),
      fault: 'grand-total',
      detail: `running total ${d.running}, recorded ${d.till_grand_total_cents}`,
    });

  // Numbers never received, and the totals.
  const chains = await db
    .selectFrom('sales')
    .select((eb) => [
      'till_id',
      'training',
      eb.fn.countAll().as('n'),
      eb.fn.max('number').as('maxNumber'),
      eb.fn.sum<number>('total_cents').as('sum'),
    ])
    .groupBy(['till_id', 'training'])
    .orderBy('till_id')
    .orderBy('training')
    .execute();
  let tickets = 0;
  let grandTotalCents = 0;
  for (const chain of chains) {
    const gap = await gapOf(db, chain);
    if (gap) problems.push(gap);
    if (chain.training === 0) {
      tickets += Number(chain.n);
      grandTotalCents += Number(chain.sum);
    }
  }
  return { tickets, grandTotalCents, problems };
}

/** A stretch of tickets by id: after `after` (exclusive), up to `upTo` (inclusive; null: to the end). */
export interface TicketRange {
  after: string;
  upTo: string | null;
}

/** Pass 1 of `verifyTicketsByTable` over a range of ids: each ticket's hash and totals, from its own rows. */
export async function verifyTicketRange(db: Db, range: TicketRange): Promise<TicketProblem[]> {
  const problems: TicketProblem[] = [];
  const label = (tillId: number, training: number, n: number) => `ticket:${training === 1 ? 'formation:' : ''}caisse ${tillId} n°${n}`;
  let after = range.after;
  for (;;) {
    const sales = await db
      .selectFrom('sales')
      .select([...TICKET_RECORD_COLUMNS, 'prev_hash', 'hash'])
      .where('id', '>', after)
      .$if(range.upTo !== null, (q) => q.where('id', '<=', range.upTo!))
      .orderBy('id')
      .limit(WALK_PAGE)
      .execute();
    if (!sales.length) break;
    const first = sales[0]!.id;
    const last = sales[sales.length - 1]!.id;
    const [lines, payments, vat] = await Promise.all([
      db
        .selectFrom('sale_lines')
        .select(['sale_id', 'business_day', 'training', 'kind', 'outlet_id', ...TICKET_LINE_COLUMNS])
        .where('sale_id', '>=', first)
        .where('sale_id', '<=', last)
        .orderBy('sale_id')
        .orderBy('line_no')
        .execute(),
      db
        .selectFrom('sale_payments')
        .select(['sale_id', 'method', 'amount_cents', 'tip_cents', 'excess_cents'])
        .where('sale_id', '>=', first)
        .where('sale_id', '<=', last)
        .orderBy('sale_id')
        .orderBy('seq')
        .execute(),
      db
        .selectFrom('sale_vat')
        .select(['sale_id', 'vat_rate_bp', 'gross_cents', 'net_cents', 'vat_cents'])
        .where('sale_id', '>=', first)
        .where('sale_id', '<=', last)
        .orderBy('sale_id')
        .orderBy('vat_rate_bp')
        .execute(),
    ]);
    let li = 0;
    let pi = 0;
    let vi = 0;
    for (const s of sales) {
      // Rows left by a removed ticket (ids between two kept ones) are passed over: pass 2 names the gap.
      while (li < lines.length && lines[li]!.sale_id < s.id) li++;
      while (pi < payments.length && payments[pi]!.sale_id < s.id) pi++;
      while (vi < vat.length && vat[vi]!.sale_id < s.id) vi++;
      const li0 = li;
      const vi0 = vi;
      const pi0 = pi;
      while (li < lines.length && lines[li]!.sale_id === s.id) li++;
      while (vi < vat.length && vat[vi]!.sale_id === s.id) vi++;
      while (pi < payments.length && payments[pi]!.sale_id === s.id) pi++;
      const record = ticketRecord(s, lines.slice(li0, li), vat.slice(vi0, vi), payments.slice(pi0, pi));
      const linesTotal = record.lines.reduce((t, l) => t + l.totalCents, 0);
      const vatTotal = record.vat.reduce((t, v) => t + v.grossCents, 0);
      if (ticketHash(s.prev_hash, record) !== s.hash)
        problems.push({
          record: label(s.till_id, s.training, s.number),
          fault: 'hash-mismatch',
          detail: 'content changed after it was recorded',
        });
      if (linesTotal !== s.total_cents || vatTotal !== s.total_cents)
        problems.push({
          record: label(s.till_id, s.training, s.number),
          fault: 'totals',
          detail: `lines ${linesTotal}, VAT rows ${vatTotal}, total ${s.total_cents}`,
        });
      // Each line's copy of its ticket's day, training flag, kind and outlet (migration 033): the portal and the
      // statements find lines by them.
      for (let i = li0; i < li; i++) {
        const l = lines[i]!;
        if (l.business_day !== s.business_day || l.training !== s.training || l.kind !== s.kind || l.outlet_id !== s.outlet_id) {
          problems.push({
            record: label(s.till_id, s.training, s.number),
            fault: 'line-day',
            detail: `line ${l.line_no}: ${l.business_day} ${l.kind} ${l.training} ${l.outlet_id}, ticket: ${s.business_day} ${s.kind} ${s.training} ${s.outlet_id}`,
          });
          break;
        }
      }
    }
    after = last;
    if (sales.length < WALK_PAGE) break;
  }

  return problems;
}

/** Verifies ranges of tickets somewhere (worker threads); says how many threads it used. */
export type RangeRunner = (ranges: TicketRange[]) => Promise<{ results: TicketProblem[][]; threads: number }>;
