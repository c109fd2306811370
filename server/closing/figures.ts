import { groupBy } from '../../shared/group.ts';
import type { Db } from '../../db/schema.ts';
import type { DrawerFigures } from '../drawer/drawer.ts';

/** What an X or Z report shows, for one business day of one outlet, or summed over a month or a year. */
export interface Figures {
  tickets: number;
  refunds: number;
  salesCents: number;
  refundsCents: number;
  totalCents: number;
  discountsCents: number;
  byPayment: { method: string; amountCents: number }[];
  changeCents: number;
  cashExpectedCents: number;
  byVat: { vatRateBp: number; grossCents: number; netCents: number; vatCents: number }[];
  byProducer: { producerId: number | null; name: string; totalCents: number }[];
  tills: { tillId: number; first: number; last: number; count: number }[];
  /** Tickets sold on an earlier day that was already closed, booked on this one. */
  lateTickets: number;
  /**
   * Tips added on card payments: money collected (so also in `byPayment`'s card amount), owed to the staff,
   * outside the sales, the VAT and the totals. Present only when there were some, so the figures of days
   * closed before tips existed recompute to the same bytes.
   */
  tipsCents?: number;
  /**
   * What meal vouchers were worth beyond what they paid, kept by the shop (« non rendu »: no change on a
   * voucher). Outside `byPayment` (which counts what each voucher paid) and the sales; the voucher issuer
   * reimburses it with the rest. Present only when there was some, so older closings recompute the same.
   */
  voucherExcessCents?: number;
}

export interface ClosingFigures extends Figures {
  /** Day closings: the cash the manager counted in the drawer, and the difference with what was expected. */
  cashCountedCents: number | null;
  cashDifferenceCents: number | null;
  note: string | null;
  /** Month and year closings: the periods they are built from. */
  from: string[];
  /** A restaurant day closed with tables still open: which, and what they held. */
  openTables?: { table: string | null; orderId: string; totalCents: number; leftCents?: number }[];
  /**
   * Day closings (since the drawer's movements exist): the float, the tickets' cash, cash in and out, and the
   * cash expected from them, which `cashDifferenceCents` is counted against. Chained with the rest.
   */
  drawer?: DrawerFigures;
  /** The perpetual grand totals at the period's last day (closings since 2026-12-06): see `grandTotalsAt`. */
  grandTotals?: GrandTotals;
  /**
   * The chains' heads when the closing was taken (closings since 2026-12-07): each till's last ticket and the
   * event chain's last event, by position and hash. Chained, signed and printed with the closing, they anchor
   * the records up to them (see `outletHeads`).
   */
  chainHeads?: { chain: string; position: number; hash: string }[];
}

/** The day's sales of the shop's own goods (the house); the rest was sold for the producers. */
export const ownSalesCents = (f: Pick<Figures, 'byProducer'>) =>
  f.byProducer.filter((p) => p.producerId === null).reduce((sum, p) => sum + p.totalCents, 0);

export interface GrandTotals {
  tills: { tillId: number; grandTotalCents: number }[];
  outletCents: number;
  establishmentCents: number;
  /**
   * Closings since 2026-12-07: how far each other outlet of the establishment is counted in
   * `establishmentCents`, its last day closed when this closing was taken (never past this period). A day
   * still open at another outlet may take tickets after this closing: counted, it would make the sealed
   * figure impossible to recompute. An outlet never closed is not counted yet. Before: every outlet up to
   * the period's last day, open days included (such a figure is not checked again, see `verifyClosings`).
   */
  othersUpTo?: { outletId: number; day: string }[];
}

/**
 * The perpetual grand totals at the end of `lastDay`: the sum of every real ticket (training never counts)
 * booked on a business day up to it, per till of the outlet and for the outlet; for the establishment, the
 * outlet's plus each other outlet's up to its last closed day (`othersUpTo`). Never reset: a year's closing
 * carries the totals since the first ticket. Taken inside the closing's transaction.
 */
export async function grandTotalsAt(db: Db, outletId: number, lastDay: string): Promise<GrandTotals> {
  const rows = await db
    .selectFrom('sales')
    .select((eb) => ['till_id', eb.fn.sum<number>('total_cents').as('cents')])
    .where('training', '=', 0)
    .where('outlet_id', '=', outletId)
    .where('business_day', '<=', lastDay)
    .groupBy('till_id')
    .orderBy('till_id')
    .execute();
  const closed = await db
    .selectFrom('closings')
    .select((eb) => ['outlet_id', eb.fn.max('period').as('day')])
    .where('kind', '=', 'day')
    .where('outlet_id', '!=', outletId)
    .groupBy('outlet_id')
    .orderBy('outlet_id')
    .execute();
  const othersUpTo = closed.map((c) => ({ outletId: c.outlet_id, day: c.day < lastDay ? c.day : lastDay }));
  const outletCents = rows.reduce((s, r) => s + Number(r.cents), 0);
  return {
    tills: rows.map((r) => ({ tillId: r.till_id, grandTotalCents: Number(r.cents) })),
    outletCents,
    establishmentCents: outletCents + (await othersCents(db, othersUpTo)),
    othersUpTo,
  };
}

/** The real tickets of each outlet named, up to the day named for it. */
export async function othersCents(db: Db, upTo: readonly { outletId: number; day: string }[]): Promise<number> {
  let cents = 0;
  for (const o of upTo) {
    const row = await db
      .selectFrom('sales')
      .select((eb) => eb.fn.sum<number>('total_cents').as('cents'))
      .where('training', '=', 0)
      .where('outlet_id', '=', o.outletId)
      .where('business_day', '<=', o.day)
      .executeTakeFirst();
    cents += Number(row?.cents ?? 0);
  }
  return cents;
}

/**
 * The same totals at the end of each of `days` (sorted), from one pass over the tickets grouped by day:
 * what verify needs to check years of closings.
 */
export async function grandTotalsByDay(db: Db, outletId: number, days: readonly string[]): Promise<Map<string, GrandTotals>> {
  const out = new Map<string, GrandTotals>();
  if (!days.length) return out;
  const rows = await db
    .selectFrom('sales')
    .select((eb) => ['business_day', 'till_id', 'outlet_id', eb.fn.sum<number>('total_cents').as('cents')])
    .where('training', '=', 0)
    .where('business_day', '<=', days[days.length - 1]!)
    .groupBy(['business_day', 'outlet_id', 'till_id'])
    .orderBy('business_day')
    .execute();
  const tills = new Map<number, number>();
  let outlet = 0;
  let all = 0;
  let r = 0;
  for (const day of days) {
    for (; r < rows.length && rows[r]!.business_day <= day; r++) {
      const row = rows[r]!;
      const cents = Number(row.cents);
      all += cents;
      if (row.outlet_id !== outletId) continue;
      outlet += cents;
      tills.set(row.till_id, (tills.get(row.till_id) ?? 0) + cents);
    }
    out.set(day, {
      tills: [...tills].sort(([a], [b]) => a - b).map(([tillId, grandTotalCents]) => ({ tillId, grandTotalCents })),
      outletCents: outlet,
      establishmentCents: all,
    });
  }
  return out;
}

const byKey = <T>(rows: T[], key: (r: T) => string | number) => [...rows].sort((a, b) => (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0));

/** The figures of one outlet's business days (real tickets only: training never counts), from the tickets themselves. */
export async function dayFigures(db: Db, outletId: number, days: { from: string; to: string }): Promise<Figures> {
  return (await aggregate(db, outletId, days, false)).get('all') ?? emptyFigures();
}

/** The same figures, one set per business day of the range, in five queries (what verify needs for years of days). */
export function figuresByDay(db: Db, outletId: number, days: { from: string; to: string }): Promise<Map<string, Figures>> {
  return aggregate(db, outletId, days, true);
}

export function emptyFigures(): Figures {
  return {
    tickets: 0,
    refunds: 0,
    salesCents: 0,
    refundsCents: 0,
    totalCents: 0,
    discountsCents: 0,
    byPayment: [],
    changeCents: 0,
    cashExpectedCents: 0,
    byVat: [],
    byProducer: [],
    tills: [],
    lateTickets: 0,
  };
}

async function aggregate(db: Db, outletId: number, days: { from: string; to: string }, perDay: boolean): Promise<Map<string, Figures>> {
  const base = (q: any) =>
    q
      .where('sales.outlet_id', '=', outletId)
      .where('sales.training', '=', 0)
      .where('sales.business_day', '>=', days.from)
      .where('sales.business_day', '<=', days.to);
  // Grouped by day too when asked; `day` is then the business day, else one bucket for the whole range.
  const group = (q: any, cols: string[]) => q.groupBy(perDay ? ['sales.business_day', ...cols] : cols);
  const day = (eb: any) => (perDay ? eb.ref('sales.business_day').as('day') : eb.val('all').as('day'));
  const [kinds, payments, vat, producers, tills] = await Promise.all([
    group(
      base(db.selectFrom('sales')).select((eb: any) => [
        day(eb),
        'sales.kind',
        eb.fn.countAll().as('n'),
        eb.fn.sum('sales.total_cents').as('total'),
        eb.fn.sum('sales.change_cents').as('change'),
        eb.fn.sum('sales.late').as('late'),
      ]),
      ['sales.kind'],
    ).execute() as Promise<{ day: string; kind: 'sale' | 'refund'; n: number; total: number; change: number; late: number }[]>,
    group(
      base(db.selectFrom('sale_payments').innerJoin('sales', 'sales.id', 'sale_payments.sale_id')).select((eb: any) => [
        day(eb),
        'sale_payments.method',
        eb.fn.sum('sale_payments.amount_cents').as('amount'),
        eb.fn.sum('sale_payments.tip_cents').as('tips'),
        eb.fn.sum('sale_payments.excess_cents').as('excess'),
      ]),
      ['sale_payments.method'],
    ).execute() as Promise<{ day: string; method: string; amount: number; tips: number; excess: number }[]>,
    group(
      base(db.selectFrom('sale_vat').innerJoin('sales', 'sales.id', 'sale_vat.sale_id')).select((eb: any) => [
        day(eb),
        'sale_vat.vat_rate_bp',
        eb.fn.sum('sale_vat.gross_cents').as('gross'),
        eb.fn.sum('sale_vat.net_cents').as('net'),
        eb.fn.sum('sale_vat.vat_cents').as('vat'),
      ]),
      ['sale_vat.vat_rate_bp'],
    ).execute() as Promise<{ day: string; vat_rate_bp: number; gross: number; net: number; vat: number }[]>,
    group(
      base(
        db
          .selectFrom('sale_lines')
          .innerJoin('sales', 'sales.id', 'sale_lines.sale_id')
          .leftJoin('producers', 'producers.id', 'sale_lines.producer_id'),
      ).select((eb: any) => [
        day(eb),
        'sale_lines.producer_id',
        'producers.name',
        eb.fn.sum('sale_lines.total_cents').as('total'),
        eb.fn.sum(eb('sale_lines.line_discount_cents', '+', eb.ref('sale_lines.ticket_discount_cents'))).as('discounts'),
      ]),
      ['sale_lines.producer_id', 'producers.name'],
    ).execute() as Promise<{ day: string; producer_id: number | null; name: string | null; total: number; discounts: number }[]>,
    group(
      base(db.selectFrom('sales')).select((eb: any) => [
        day(eb),
        'sales.till_id',
        eb.fn.min('sales.number').as('first'),
        eb.fn.max('sales.number').as('last'),
        eb.fn.countAll().as('n'),
      ]),
      ['sales.till_id'],
    ).execute() as Promise<{ day: string; till_id: number; first: number; last: number; n: number }[]>,
  ]);
  const result = new Map<string, Figures>();
  const keys = new Set<string>([...kinds, ...payments, ...vat, ...producers, ...tills].map((r) => r.day));
  // Rows bucketed by day once: years of days must not each scan every row again.
  const index = new Map<unknown[], Map<string, { day: string }[]>>(
    [kinds, payments, vat, producers, tills].map((rows) => [rows, groupBy(rows as { day: string }[], (r) => r.day)]),
  );
  const of = <T extends { day: string }>(rows: T[], key: string) => (index.get(rows)!.get(key) ?? []) as T[];
  for (const key of keys) {
    const k = of(kinds, key);
    const sale = k.find((x) => x.kind === 'sale');
    const refund = k.find((x) => x.kind === 'refund');
    const pay = of(payments, key);
    const prod = of(producers, key);
    const salesCents = Number(sale?.total ?? 0);
    const refundsCents = Number(refund?.total ?? 0);
    const cash = pay.filter((p) => p.method === 'cash').reduce((sum, p) => sum + Number(p.amount), 0);
    const change = Number(sale?.change ?? 0) + Number(refund?.change ?? 0);
    const tips = pay.reduce((sum, p) => sum + Number(p.tips ?? 0), 0);
    const excess = pay.reduce((sum, p) => sum + Number(p.excess ?? 0), 0);
    result.set(key, {
      tickets: Number(sale?.n ?? 0),
      refunds: Number(refund?.n ?? 0),
      salesCents,
      refundsCents,
      totalCents: salesCents + refundsCents,
      discountsCents: prod.reduce((sum, p) => sum + Number(p.discounts), 0),
      byPayment: byKey(
        // A tip is money the card brought in: it counts with the card's takings.
        pay.map((p) => ({ method: p.method, amountCents: Number(p.amount) + Number(p.tips ?? 0) })),
        (p) => p.method,
      ),
      changeCents: change,
      cashExpectedCents: cash - change,
      byVat: byKey(
        of(vat, key).map((v) => ({
          vatRateBp: v.vat_rate_bp,
          grossCents: Number(v.gross),
          netCents: Number(v.net),
          vatCents: Number(v.vat),
        })),
        (v) => v.vatRateBp,
      ),
      byProducer: byKey(
        prod.map((p) => ({
          producerId: p.producer_id,
          name: p.producer_id === null ? 'La maison' : (p.name ?? '?'),
          totalCents: Number(p.total),
        })),
        (p) => p.producerId ?? 0,
      ),
      tills: byKey(
        of(tills, key).map((t) => ({ tillId: t.till_id, first: Number(t.first), last: Number(t.last), count: Number(t.n) })),
        (t) => t.tillId,
      ),
      lateTickets: Number(sale?.late ?? 0) + Number(refund?.late ?? 0),
      ...(tips ? { tipsCents: tips } : {}),
      ...(excess ? { voucherExcessCents: excess } : {}),
    });
  }
  return result;
}

/** Month and year figures are the sum of the closings they are built from. */
export function sumFigures(parts: readonly Figures[]): Figures {
  const merge = <T, K extends string | number>(lists: T[][], key: (t: T) => K, add: (a: T, b: T) => T) => {
    const m = new Map<K, T>();
    for (const list of lists) for (const item of list) m.set(key(item), m.has(key(item)) ? add(m.get(key(item))!, item) : { ...item });
    return [...m.values()].sort((a, b) => (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0));
  };
  const sum = (f: (x: Figures) => number) => parts.reduce((s, p) => s + f(p), 0);
  return {
    tickets: sum((p) => p.tickets),
    refunds: sum((p) => p.refunds),
    salesCents: sum((p) => p.salesCents),
    refundsCents: sum((p) => p.refundsCents),
    totalCents: sum((p) => p.totalCents),
    discountsCents: sum((p) => p.discountsCents),
    byPayment: merge(
      parts.map((p) => p.byPayment),
      (x) => x.method,
      (a, b) => ({ method: a.method, amountCents: a.amountCents + b.amountCents }),
    ),
    changeCents: sum((p) => p.changeCents),
    cashExpectedCents: sum((p) => p.cashExpectedCents),
    byVat: merge(
      parts.map((p) => p.byVat),
      (x) => x.vatRateBp,
      (a, b) => ({
        vatRateBp: a.vatRateBp,
        grossCents: a.grossCents + b.grossCents,
        netCents: a.netCents + b.netCents,
        vatCents: a.vatCents + b.vatCents,
      }),
    ),
    byProducer: merge(
      parts.map((p) => p.byProducer),
      (x) => x.producerId ?? 0,
      (a, b) => ({ ...a, totalCents: a.totalCents + b.totalCents }),
    ),
    tills: merge(
      parts.map((p) => p.tills),
      (x) => x.tillId,
      (a, b) => ({ tillId: a.tillId, first: Math.min(a.first, b.first), last: Math.max(a.last, b.last), count: a.count + b.count }),
    ),
    lateTickets: sum((p) => p.lateTickets),
    ...(sum((p) => p.tipsCents ?? 0) ? { tipsCents: sum((p) => p.tipsCents ?? 0) } : {}),
    ...(sum((p) => p.voucherExcessCents ?? 0) ? { voucherExcessCents: sum((p) => p.voucherExcessCents ?? 0) } : {}),
  };
}

const hourFormats = new Map<string, Intl.DateTimeFormat>();

/**
 * A business day hour by hour in the shop's zone (for the day's dashboard): tickets and takings of real
 * sales (refunds apart), from the first to the last hour that sold.
 */
export async function salesByHour(
  db: Db,
  outletId: number,
  day: string,
  timeZone: string,
): Promise<{ hour: number; tickets: number; totalCents: number }[]> {
  let format = hourFormats.get(timeZone);
  if (!format) hourFormats.set(timeZone, (format = new Intl.DateTimeFormat('en-GB', { timeZone, hour: '2-digit', hourCycle: 'h23' })));
  const rows = await db
    .selectFrom('sales')
    .select(['created_at', 'total_cents', 'kind'])
    .where('outlet_id', '=', outletId)
    .where('training', '=', 0)
    .where('business_day', '=', day)
    .execute();
  const hours = new Map<number, { tickets: number; totalCents: number }>();
  for (const r of rows) {
    const h = Number(format.format(new Date(r.created_at)));
    const b = hours.get(h) ?? { tickets: 0, totalCents: 0 };
    // The hour's sales: a refund (of a ticket of another day, often) is not business done in that hour, and
    // one large refund drew the whole chart below zero (found by a newcomer's walk). Refunds are in the X.
    if (r.kind !== 'sale') continue;
    b.tickets++;
    b.totalCents += r.total_cents;
    hours.set(h, b);
  }
  if (!hours.size) return [];
  const first = Math.min(...hours.keys());
  const last = Math.max(...hours.keys());
  return Array.from({ length: last - first + 1 }, (_, i) => ({
    hour: first + i,
    ...(hours.get(first + i) ?? { tickets: 0, totalCents: 0 }),
  }));
}
