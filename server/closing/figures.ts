import type { Db } from '../events/event-log.ts';

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
}

const byKey = <T>(rows: T[], key: (r: T) => string | number) => [...rows].sort((a, b) => (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0));

/** The figures of one outlet's business days (real tickets only: training never counts), from the tickets themselves. */
export async function dayFigures(db: Db, outletId: number, days: { from: string; to: string }): Promise<Figures> {
  const base = (q: any) => q.where('sales.outlet_id', '=', outletId).where('sales.training', '=', 0).where('sales.business_day', '>=', days.from).where('sales.business_day', '<=', days.to);
  const [kinds, payments, vat, producers, tills] = await Promise.all([
    base(db.selectFrom('sales'))
      .select((eb: any) => [
        'sales.kind',
        eb.fn.countAll().as('n'),
        eb.fn.sum('sales.total_cents').as('total'),
        eb.fn.sum('sales.change_cents').as('change'),
        eb.fn.sum('sales.late').as('late'),
      ])
      .groupBy('sales.kind')
      .execute() as Promise<{ kind: 'sale' | 'refund'; n: number; total: number; change: number; late: number }[]>,
    base(db.selectFrom('sale_payments').innerJoin('sales', 'sales.id', 'sale_payments.sale_id'))
      .select((eb: any) => ['sale_payments.method', eb.fn.sum('sale_payments.amount_cents').as('amount')])
      .groupBy('sale_payments.method')
      .execute() as Promise<{ method: string; amount: number }[]>,
    base(db.selectFrom('sale_vat').innerJoin('sales', 'sales.id', 'sale_vat.sale_id'))
      .select((eb: any) => ['sale_vat.vat_rate_bp', eb.fn.sum('sale_vat.gross_cents').as('gross'), eb.fn.sum('sale_vat.net_cents').as('net'), eb.fn.sum('sale_vat.vat_cents').as('vat')])
      .groupBy('sale_vat.vat_rate_bp')
      .execute() as Promise<{ vat_rate_bp: number; gross: number; net: number; vat: number }[]>,
    base(db.selectFrom('sale_lines').innerJoin('sales', 'sales.id', 'sale_lines.sale_id').leftJoin('producers', 'producers.id', 'sale_lines.producer_id'))
      .select((eb: any) => [
        'sale_lines.producer_id',
        'producers.name',
        eb.fn.sum('sale_lines.total_cents').as('total'),
        eb.fn.sum(eb('sale_lines.line_discount_cents', '+', eb.ref('sale_lines.ticket_discount_cents'))).as('discounts'),
      ])
      .groupBy(['sale_lines.producer_id', 'producers.name'])
      .execute() as Promise<{ producer_id: number | null; name: string | null; total: number; discounts: number }[]>,
    base(db.selectFrom('sales'))
      .select((eb: any) => ['sales.till_id', eb.fn.min('sales.number').as('first'), eb.fn.max('sales.number').as('last'), eb.fn.countAll().as('n')])
      .groupBy('sales.till_id')
      .execute() as Promise<{ till_id: number; first: number; last: number; n: number }[]>,
  ]);
  const sale = kinds.find((k) => k.kind === 'sale');
  const refund = kinds.find((k) => k.kind === 'refund');
  const salesCents = Number(sale?.total ?? 0);
  const refundsCents = Number(refund?.total ?? 0);
  const cash = payments.filter((p) => p.method === 'cash').reduce((s, p) => s + Number(p.amount), 0);
  const change = Number(sale?.change ?? 0) + Number(refund?.change ?? 0);
  return {
    tickets: Number(sale?.n ?? 0),
    refunds: Number(refund?.n ?? 0),
    salesCents,
    refundsCents,
    totalCents: salesCents + refundsCents,
    discountsCents: producers.reduce((s, p) => s + Number(p.discounts), 0),
    byPayment: byKey(payments.map((p) => ({ method: p.method, amountCents: Number(p.amount) })), (p) => p.method),
    changeCents: change,
    cashExpectedCents: cash - change,
    byVat: byKey(vat.map((v) => ({ vatRateBp: v.vat_rate_bp, grossCents: Number(v.gross), netCents: Number(v.net), vatCents: Number(v.vat) })), (v) => v.vatRateBp),
    byProducer: byKey(producers.map((p) => ({ producerId: p.producer_id, name: p.producer_id === null ? 'La maison' : (p.name ?? '?'), totalCents: Number(p.total) })), (p) => p.producerId ?? 0),
    tills: byKey(tills.map((t) => ({ tillId: t.till_id, first: Number(t.first), last: Number(t.last), count: Number(t.n) })), (t) => t.tillId),
    lateTickets: Number(sale?.late ?? 0) + Number(refund?.late ?? 0),
  };
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
    byPayment: merge(parts.map((p) => p.byPayment), (x) => x.method, (a, b) => ({ method: a.method, amountCents: a.amountCents + b.amountCents })),
    changeCents: sum((p) => p.changeCents),
    cashExpectedCents: sum((p) => p.cashExpectedCents),
    byVat: merge(parts.map((p) => p.byVat), (x) => x.vatRateBp, (a, b) => ({ vatRateBp: a.vatRateBp, grossCents: a.grossCents + b.grossCents, netCents: a.netCents + b.netCents, vatCents: a.vatCents + b.vatCents })),
    byProducer: merge(parts.map((p) => p.byProducer), (x) => x.producerId ?? 0, (a, b) => ({ ...a, totalCents: a.totalCents + b.totalCents })),
    tills: merge(parts.map((p) => p.tills), (x) => x.tillId, (a, b) => ({ tillId: a.tillId, first: Math.min(a.first, b.first), last: Math.max(a.last, b.last), count: a.count + b.count })),
    lateTickets: sum((p) => p.lateTickets),
  };
}
