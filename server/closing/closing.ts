import { groupBy } from '../../shared/group.ts';
import type { Kysely } from 'kysely';
import { businessDay } from '../../shared/time.ts';
import type { Database, OutletCode } from '../../db/schema.ts';
import { sha256Hex } from '../auth/secrets.ts';
import { Conflict, Invalid, NotFound, Unprocessable } from '../errors.ts';
import { recordEvent } from '../events/event-log.ts';
import type { Db } from '../../db/schema.ts';
import { canonicalJson, GENESIS_HASH } from '../journal/canonical.ts';
import { dayFigures, emptyFigures, figuresByDay, salesByHour, sumFigures, type Figures } from './figures.ts';

export interface ClosingFigures extends Figures {
  /** Day closings: the cash the manager counted in the drawer, and the difference with what was expected. */
  cashCountedCents: number | null;
  cashDifferenceCents: number | null;
  note: string | null;
  /** Month and year closings: the periods they are built from. */
  from: string[];
}

interface ClosingRecord {
  outletId: number;
  kind: 'day' | 'month' | 'year';
  period: string;
  seq: number;
  closedAt: string;
  closedBy: number;
  figures: ClosingFigures;
  totalCents: number;
  grandTotalCents: number;
}

export const closingHash = (prevHash: string, r: ClosingRecord) => sha256Hex(prevHash + canonicalJson(r));

async function outletByCode(db: Db, code: OutletCode) {
  const outlet = await db.selectFrom('outlets').select(['id', 'code', 'name']).where('code', '=', code).executeTakeFirst();
  if (!outlet) throw new Invalid({ field: 'outlet', reason: 'point de vente inconnu' });
  return outlet;
}

export function closingView(row: {
  id: number;
  outlet_id: number;
  kind: 'day' | 'month' | 'year';
  period: string;
  seq: number;
  closed_at: string;
  closed_by: number;
  figures: string;
  total_cents: number;
  grand_total_cents: number;
  hash: string;
}) {
  return {
    id: row.id,
    outletId: row.outlet_id,
    kind: row.kind,
    period: row.period,
    seq: row.seq,
    closedAt: row.closed_at,
    closedBy: row.closed_by,
    figures: JSON.parse(row.figures) as ClosingFigures,
    totalCents: row.total_cents,
    grandTotalCents: row.grand_total_cents,
    hash: row.hash,
  };
}

async function append(
  db: Db,
  input: { outletId: number; kind: 'day' | 'month' | 'year'; period: string; figures: ClosingFigures; userId: number; now: Date },
) {
  const taken = await db
    .selectFrom('closings')
    .select('id')
    .where('outlet_id', '=', input.outletId)
    .where('kind', '=', input.kind)
    .where('period', '=', input.period)
    .executeTakeFirst();
  if (taken) throw new Conflict(`Cette période (${input.period}) est déjà clôturée.`, 'period');
  const last = await db
    .selectFrom('closings')
    .select(['seq', 'hash'])
    .where('outlet_id', '=', input.outletId)
    .orderBy('seq', 'desc')
    .limit(1)
    .executeTakeFirst();
  const lastDay = await db
    .selectFrom('closings')
    .select('grand_total_cents')
    .where('outlet_id', '=', input.outletId)
    .where('kind', '=', 'day')
    .orderBy('seq', 'desc')
    .limit(1)
    .executeTakeFirst();
  // The perpetual grand total moves with each day; a month or year closing repeats the figure reached.
  const grandTotal = (lastDay?.grand_total_cents ?? 0) + (input.kind === 'day' ? input.figures.totalCents : 0);
  const record: ClosingRecord = {
    outletId: input.outletId,
    kind: input.kind,
    period: input.period,
    seq: (last?.seq ?? 0) + 1,
    closedAt: input.now.toISOString(),
    closedBy: input.userId,
    figures: input.figures,
    totalCents: input.figures.totalCents,
    grandTotalCents: grandTotal,
  };
  const prevHash = last?.hash ?? GENESIS_HASH;
  const row = await db
    .insertInto('closings')
    .values({
      outlet_id: record.outletId,
      kind: record.kind,
      period: record.period,
      seq: record.seq,
      closed_at: record.closedAt,
      closed_by: record.closedBy,
      figures: canonicalJson(record.figures),
      total_cents: record.totalCents,
      grand_total_cents: record.grandTotalCents,
      prev_hash: prevHash,
      hash: closingHash(prevHash, record),
    })
    .returningAll()
    .executeTakeFirstOrThrow();
  await recordEvent(db, {
    kind: `closing.${input.kind}`,
    userId: input.userId,
    subject: `closing:${row.id}`,
    data: { outletId: input.outletId, period: input.period, totalCents: record.totalCents },
    at: record.closedAt,
  });
  return closingView(row);
}

/** X report: the day's figures so far, not closed. */
export async function xReport(db: Db, outlet: OutletCode, day: string, timeZone = 'Europe/Paris') {
  const o = await outletByCode(db, outlet);
  const closed = await db
    .selectFrom('closings')
    .select('id')
    .where('outlet_id', '=', o.id)
    .where('kind', '=', 'day')
    .where('period', '=', day)
    .executeTakeFirst();
  return {
    outlet: o.code,
    day,
    closed: Boolean(closed),
    figures: await dayFigures(db, o.id, { from: day, to: day }),
    byHour: await salesByHour(db, o.id, day, timeZone),
  };
}

export async function closeDay(
  db: Kysely<Database>,
  input: { outlet: OutletCode; day: string; cashCountedCents: number; note?: string | undefined },
  userId: number,
  now: Date,
  timeZone: string,
) {
  const today = businessDay(now, timeZone);
  if (input.day > today)
    throw new Unprocessable('On ne clôture pas une journée future.', [{ field: 'day', reason: `après aujourd’hui (${today})` }]);
  return db.transaction().execute(async (trx) => {
    const outlet = await outletByCode(trx, input.outlet);
    const figures = await dayFigures(trx, outlet.id, { from: input.day, to: input.day });
    return append(trx, {
      outletId: outlet.id,
      kind: 'day',
      period: input.day,
      figures: {
        ...figures,
        cashCountedCents: input.cashCountedCents,
        cashDifferenceCents: input.cashCountedCents - figures.cashExpectedCents,
        note: input.note ?? null,
        from: [],
      },
      userId,
      now,
    });
  });
}

function daysOfMonth(month: string): string[] {
  const [y, m] = month.split('-').map(Number) as [number, number];
  const count = new Date(Date.UTC(y, m, 0)).getUTCDate();
  return Array.from({ length: count }, (_, i) => `${month}-${String(i + 1).padStart(2, '0')}`);
}

/** A month closing sums its day closings; every day of the month with tickets must be closed first. */
export async function closeMonth(
  db: Kysely<Database>,
  input: { outlet: OutletCode; month: string },
  userId: number,
  now: Date,
  timeZone: string,
) {
  const days = daysOfMonth(input.month);
  if (days[days.length - 1]! >= businessDay(now, timeZone))
    throw new Unprocessable('Le mois n’est pas terminé.', [{ field: 'month', reason: 'mois en cours ou futur' }]);
  return db.transaction().execute(async (trx) => {
    const outlet = await outletByCode(trx, input.outlet);
    const closings = await trx
      .selectFrom('closings')
      .selectAll()
      .where('outlet_id', '=', outlet.id)
      .where('kind', '=', 'day')
      .where('period', '>=', days[0]!)
      .where('period', '<=', days[days.length - 1]!)
      .orderBy('period')
      .execute();
    const closedDays = new Set(closings.map((c) => c.period));
    const sold = await trx
      .selectFrom('sales')
      .select('business_day')
      .distinct()
      .where('outlet_id', '=', outlet.id)
      .where('training', '=', 0)
      .where('business_day', '>=', days[0]!)
      .where('business_day', '<=', days[days.length - 1]!)
      .execute();
    const open = sold
      .map((s) => s.business_day)
      .filter((d) => !closedDays.has(d))
      .sort();
    if (open.length)
      throw new Unprocessable(
        `Journées non clôturées : ${open.join(', ')}.`,
        open.map((d) => ({ field: 'month', reason: `journée ${d} non clôturée` })),
      );
    const parts = closings.map((c) => JSON.parse(c.figures) as ClosingFigures);
    const figures = sumFigures(parts);
    return append(trx, {
      outletId: outlet.id,
      kind: 'month',
      period: input.month,
      figures: { ...figures, cashCountedCents: null, cashDifferenceCents: null, note: null, from: closings.map((c) => c.period) },
      userId,
      now,
    });
  });
}

/** A year closing sums its month closings; every month with tickets or day closings must be closed first. */
export async function closeYear(
  db: Kysely<Database>,
  input: { outlet: OutletCode; year: string },
  userId: number,
  now: Date,
  timeZone: string,
) {
  if (`${input.year}-12-31` >= businessDay(now, timeZone))
    throw new Unprocessable('L’année n’est pas terminée.', [{ field: 'year', reason: 'année en cours ou future' }]);
  return db.transaction().execute(async (trx) => {
    const outlet = await outletByCode(trx, input.outlet);
    const months = await trx
      .selectFrom('closings')
      .selectAll()
      .where('outlet_id', '=', outlet.id)
      .where('kind', '=', 'month')
      .where('period', 'like', `${input.year}-%`)
      .orderBy('period')
      .execute();
    const dayMonths = await trx
      .selectFrom('closings')
      .select('period')
      .where('outlet_id', '=', outlet.id)
      .where('kind', '=', 'day')
      .where('period', 'like', `${input.year}-%`)
      .execute();
    // A month with tickets but no day closed yet must stop the year too, or its sales would be left out.
    const soldMonths = await trx
      .selectFrom('sales')
      .select((eb) => eb.fn<string>('substr', ['business_day', eb.val(1), eb.val(7)]).as('month'))
      .distinct()
      .where('outlet_id', '=', outlet.id)
      .where('training', '=', 0)
      .where('business_day', '>=', `${input.year}-01-01`)
      .where('business_day', '<=', `${input.year}-12-31`)
      .execute();
    const needed = [...new Set([...dayMonths.map((d) => d.period.slice(0, 7)), ...soldMonths.map((s) => s.month)])].sort();
    const missing = needed.filter((m) => !months.some((c) => c.period === m));
    if (missing.length)
      throw new Unprocessable(
        `Mois non clôturés : ${missing.join(', ')}.`,
        missing.map((m) => ({ field: 'year', reason: `mois ${m} non clôturé` })),
      );
    const figures = sumFigures(months.map((c) => JSON.parse(c.figures) as ClosingFigures));
    return append(trx, {
      outletId: outlet.id,
      kind: 'year',
      period: input.year,
      figures: { ...figures, cashCountedCents: null, cashDifferenceCents: null, note: null, from: months.map((c) => c.period) },
      userId,
      now,
    });
  });
}

export async function getClosing(db: Db, id: number) {
  const row = await db.selectFrom('closings').selectAll().where('id', '=', id).executeTakeFirst();
  if (!row) throw new NotFound('Clôture');
  return closingView(row);
}

export interface ClosingProblem {
  record: string;
  fault: 'hash-mismatch' | 'broken-link' | 'missing' | 'figures-mismatch';
  detail: string;
}

/**
 * Walks each outlet's closing chain, and recomputes every closing from what it is built from: a day from its
 * tickets, a month from its days, a year from its months. Tickets edited after a closing show up here too.
 */
export async function verifyClosings(db: Db) {
  const rows = await db.selectFrom('closings').selectAll().orderBy('outlet_id').orderBy('seq').execute();
  const problems: ClosingProblem[] = [];
  const byOutlet = groupBy(rows, (r) => r.outlet_id);
  let grandTotal = 0;
  for (const [outletId, list] of byOutlet) {
    // Every closed day's figures recomputed from the tickets at once (grouped by day), not one day at a time.
    const closedDays = list
      .filter((c) => c.kind === 'day')
      .map((c) => c.period)
      .sort();
    const recomputedDays = closedDays.length
      ? await figuresByDay(db, outletId, { from: closedDays[0]!, to: closedDays[closedDays.length - 1]! })
      : new Map<string, Figures>();
    let prev = GENESIS_HASH;
    let expectedSeq = 1;
    let outletGrand = 0;
    for (const r of list) {
      const label = `closing:${r.kind} ${r.period} (point de vente ${outletId})`;
      if (r.seq !== expectedSeq)
        problems.push({ record: label, fault: 'missing', detail: `chain positions ${expectedSeq}…${r.seq - 1} are missing before it` });
      if (r.prev_hash !== prev)
        problems.push({ record: label, fault: 'broken-link', detail: 'previous hash does not match the closing before it' });
      const figures = JSON.parse(r.figures) as ClosingFigures;
      const record: ClosingRecord = {
        outletId,
        kind: r.kind,
        period: r.period,
        seq: r.seq,
        closedAt: r.closed_at,
        closedBy: r.closed_by,
        figures,
        totalCents: r.total_cents,
        grandTotalCents: r.grand_total_cents,
      };
      if (closingHash(r.prev_hash, record) !== r.hash)
        problems.push({ record: label, fault: 'hash-mismatch', detail: 'content changed after it was recorded' });
      let recomputed: Figures;
      if (r.kind === 'day') recomputed = recomputedDays.get(r.period) ?? emptyFigures();
      else {
        const from = new Set(figures.from);
        const parts = list.filter((c) => c.kind === (r.kind === 'month' ? 'day' : 'month') && from.has(c.period));
        recomputed = sumFigures(parts.map((c) => JSON.parse(c.figures) as Figures));
      }
      const { cashCountedCents: _a, cashDifferenceCents: _b, note: _c, from: _d, ...stored } = figures;
      // Producers' names are printed for reading, not audited: a producer renamed since must not look like tampering.
      const comparable = (f: Figures) =>
        canonicalJson({ ...f, byProducer: f.byProducer.map(({ producerId, totalCents }) => ({ producerId, totalCents })) });
      if (comparable(stored) !== comparable(recomputed)) {
        problems.push({
          record: label,
          fault: 'figures-mismatch',
          detail: `recorded total ${stored.totalCents}, recomputed ${recomputed.totalCents}`,
        });
      }
      prev = r.hash;
      expectedSeq = r.seq + 1;
      if (r.kind === 'day') outletGrand = r.grand_total_cents;
    }
    grandTotal += outletGrand;
  }
  return { closings: rows.length, grandTotalCents: grandTotal, problems };
}

/** Closings, newest first, by outlet and kind. */
export async function listClosings(
  db: Db,
  query: { outlet?: OutletCode | undefined; kind?: 'day' | 'month' | 'year' | undefined; limit: number },
) {
  let q = db.selectFrom('closings').innerJoin('outlets', 'outlets.id', 'closings.outlet_id').selectAll('closings');
  if (query.outlet) q = q.where('outlets.code', '=', query.outlet);
  if (query.kind) q = q.where('closings.kind', '=', query.kind);
  return (await q.orderBy('closings.id', 'desc').limit(query.limit).execute()).map(closingView);
}
