/**
 * What a producer sees of their business in the shop: sales over a period by day, week or month and by
 * product, and the lines themselves. Every query filters on the producer's id: a producer's session can
 * only ever name its own (the route passes the session's scope, and another id is a 404).
 */
import { frDay } from '../../shared/time.ts';
import { NotFound } from '../errors.ts';
import type { Db } from '../../db/schema.ts';
import { requireAccess, type Actor } from '../auth/access.ts';
import { statementCode } from '../../shared/settlement.ts';
import { csvCents, csvKg, toCsv, type CsvCell } from '../exports/csv.ts';
import type { StatementSummary } from '../../shared/api/settlement.ts';

/** The producer, if the actor may see them (another producer's id reads as unknown: 404). */
async function visibleProducer(db: Db, actor: Actor, producerId: number) {
  await requireAccess(db, actor, { producer: producerId });
  const p = await db.selectFrom('producers').select(['id', 'name']).where('id', '=', producerId).executeTakeFirst();
  if (!p) throw new NotFound('Producteur');
  return p;
}

/** Monday of the ISO week of a YYYY-MM-DD day. */
export function weekOf(day: string): string {
  const t = Date.parse(`${day}T00:00:00Z`);
  const dow = (new Date(t).getUTCDay() + 6) % 7;
  return new Date(t - dow * 86_400_000).toISOString().slice(0, 10);
}

export async function producerSales(
  db: Db,
  actor: Actor,
  producerId: number,
  query: { from: string; to: string; groupBy: 'day' | 'week' | 'month' },
) {
  await visibleProducer(db, actor, producerId);
  const sites = await db.selectFrom('sites').select(['id', 'name']).orderBy('id').execute();
  // One pass over the producer's lines of the period, summed here by day, product, kind and site: four GROUP
  // BYs would walk them four times. Everything read is in the (producer_id, business_day …) index: each line
  // carries its ticket's day, training flag, kind and outlet (migration 033), so no ticket is looked up.
  const rows = await db
    .selectFrom('sale_lines as l')
    .innerJoin('outlets as o', 'o.id', 'l.outlet_id')
    .select(['l.business_day as day', 'l.kind', 'o.site_id', 'l.product_id', 'l.quantity', 'l.total_cents'])
    .where('l.producer_id', '=', producerId)
    .where('l.business_day', '>=', query.from)
    .where('l.business_day', '<=', query.to)
    .where('l.training', '=', 0)
    .execute();
  const days = new Map<string, { cents: number; lines: number }>();
  const byProduct = new Map<number, { quantity: number; cents: number }>();
  const bySite = new Map<number, { cents: number; lines: number }>();
  let refundsCents = 0;
  for (const r of rows) {
    const d = days.get(r.day) ?? { cents: 0, lines: 0 };
    d.cents += r.total_cents;
    d.lines += 1;
    days.set(r.day, d);
    const p = byProduct.get(r.product_id) ?? { quantity: 0, cents: 0 };
    p.quantity += r.quantity;
    p.cents += r.total_cents;
    byProduct.set(r.product_id, p);
    const site = bySite.get(r.site_id) ?? { cents: 0, lines: 0 };
    site.cents += r.total_cents;
    site.lines += 1;
    bySite.set(r.site_id, site);
    if (r.kind === 'refund') refundsCents += r.total_cents;
  }
  const names = byProduct.size
    ? await db
        .selectFrom('products')
        .select(['id', 'name', 'unit'])
        .where('id', 'in', [...byProduct.keys()])
        .execute()
    : [];
  const products = names
    .map((p) => ({ product_id: p.id, name: p.name, unit: p.unit, ...byProduct.get(p.id)! }))
    .sort((x, y) => y.cents - x.cents || x.product_id - y.product_id);
  const key = (day: string) => (query.groupBy === 'day' ? day : query.groupBy === 'week' ? weekOf(day) : day.slice(0, 7));
  const series = new Map<string, { salesCents: number; lines: number }>();
  // Every bucket of the period appears, empty ones too: a chart with holes in time lies about quiet days.
  for (let t = Date.parse(`${query.from}T00:00:00Z`); t <= Date.parse(`${query.to}T00:00:00Z`); t += 86_400_000) {
    const k = key(new Date(t).toISOString().slice(0, 10));
    if (!series.has(k)) series.set(k, { salesCents: 0, lines: 0 });
  }
  for (const [day, d] of days) {
    const s = series.get(key(day))!;
    s.salesCents += d.cents;
    s.lines += d.lines;
  }
  const total = rows.reduce((a, r) => a + r.total_cents, 0);
  return {
    producerId,
    from: query.from,
    to: query.to,
    groupBy: query.groupBy,
    totalCents: total,
    refundsCents,
    lines: rows.length,
    series: [...series.entries()].map(([period, s]) => ({ period, ...s })),
    byProduct: products.map((p) => ({
      productId: p.product_id,
      name: p.name,
      unit: p.unit,
      quantity: Number(p.quantity),
      salesCents: Number(p.cents),
    })),
    ...(sites.length > 1
      ? {
          bySite: sites.map((site) => {
            const f = bySite.get(site.id);
            return { siteId: site.id, name: site.name, salesCents: f?.cents ?? 0, lines: f?.lines ?? 0 };
          }),
        }
      : {}),
  };
}

function linesQuery(db: Db, producerId: number, period: { from: string; to: string }) {
  return db
    .selectFrom('sale_lines as l')
    .innerJoin('sales as s', 's.id', 'l.sale_id')
    .innerJoin('tills as t', 't.id', 's.till_id')
    .innerJoin('outlets as o', 'o.id', 's.outlet_id')
    .innerJoin('sites as site', 'site.id', 'o.site_id')
    .select([
      'site.name as site_name',
      'l.sale_id',
      'l.line_no',
      's.kind',
      'l.business_day',
      's.created_at',
      's.number',
      't.name as till_name',
      'l.product_id',
      'l.name',
      'l.unit',
      'l.quantity',
      'l.unit_price_cents',
      'l.total_cents',
      'l.vat_rate_bp',
    ])
    .where('l.producer_id', '=', producerId)
    .where('l.business_day', '>=', period.from)
    .where('l.business_day', '<=', period.to)
    .where('l.training', '=', 0);
}

export async function producerLines(
  db: Db,
  actor: Actor,
  producerId: number,
  query: { from: string; to: string; limit: number; offset: number },
) {
  await visibleProducer(db, actor, producerId);
  const network = (await db.selectFrom('sites').select('id').limit(2).execute()).length > 1;
  // Newest first by business day, then by time: ordered by `created_at` alone, PostgreSQL walks the whole
  // network's tickets backwards through their time index looking for this producer's lines; by the line's
  // day, the producer's lines of the period come from their own index (bench/portal.ts).
  const rows = await linesQuery(db, producerId, query)
    .orderBy('l.business_day', 'desc')
    .orderBy('s.created_at', 'desc')
    .orderBy('l.line_no')
    .limit(query.limit)
    .offset(query.offset)
    .execute();
  return rows.map((r) => ({
    saleId: r.sale_id,
    lineNo: r.line_no,
    kind: r.kind,
    day: r.business_day,
    at: r.created_at,
    ticket: `${r.till_name} · n° ${r.number}`,
    productId: r.product_id,
    name: r.name,
    unit: r.unit,
    quantity: r.quantity,
    unitPriceCents: r.unit_price_cents,
    totalCents: r.total_cents,
    vatRateBp: r.vat_rate_bp,
    ...(network ? { site: r.site_name } : {}),
  }));
}

const paris = new Intl.DateTimeFormat('fr-FR', { timeZone: 'Europe/Paris', hour: '2-digit', minute: '2-digit' });
const frDate = frDay;

export async function producerLinesCsv(db: Db, actor: Actor, producerId: number, period: { from: string; to: string }) {
  const producer = await visibleProducer(db, actor, producerId);
  // Tickets rung in the same millisecond in the same order on both engines: by till and number, then line.
  const rows = await linesQuery(db, producerId, period)
    .orderBy('s.created_at')
    .orderBy('s.till_id')
    .orderBy('s.number')
    .orderBy('l.line_no')
    .execute();
  const csv = toCsv(
    ['Date', 'Heure', 'Ticket', 'Type', 'Article', 'Quantité', 'Poids (kg)', 'Prix unitaire TTC', 'Montant TTC', 'Taux TVA (%)'],
    rows.map((r): CsvCell[] => [
      frDate(r.business_day),
      paris.format(new Date(r.created_at)),
      `${r.till_name} n° ${r.number}`,
      r.kind === 'refund' ? 'Remboursement' : 'Vente',
      r.name,
      r.unit === 'piece' ? r.quantity : null,
      r.unit === 'kg' ? csvKg(r.quantity) : null,
      csvCents(r.unit_price_cents),
      csvCents(r.total_cents),
      { decimal: r.vat_rate_bp, places: 2 },
    ]),
  );
  return { csv, filename: `ventes-${slugOf(producer.name)}-${period.from}-${period.to}.csv` };
}

const slugOf = (s: string) =>
  s
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-|-$/g, '');

const methodNames: Record<string, string> = { transfer: 'Virement', cheque: 'Chèque', cash: 'Espèces' };

export function statementsCsv(list: readonly StatementSummary[]) {
  return toCsv(
    [
      'Relevé',
      'Producteur',
      'Du',
      'Au',
      'Émis le',
      'Ventes TTC',
      'Remboursements TTC',
      'Usage cuisine TTC',
      'Total TTC',
      'Commission TTC',
      'Net à verser',
      'Payé le',
      'Mode de paiement',
    ],
    [...list]
      .sort((a, b) => a.number - b.number)
      .map((s): CsvCell[] => [
        statementCode(s.number),
        s.producerName,
        frDate(s.from),
        frDate(s.to),
        frDate(s.issuedAt.slice(0, 10)),
        csvCents(s.salesCents),
        csvCents(s.refundsCents),
        csvCents(s.kitchenCents),
        csvCents(s.grossCents),
        csvCents(s.commissionCents),
        csvCents(s.netCents),
        s.paidOn ? frDate(s.paidOn) : null,
        s.paidMethod ? (methodNames[s.paidMethod] ?? s.paidMethod) : null,
      ]),
  );
}
