import type { Kysely, Selectable } from 'kysely';
import { businessDay } from '../../shared/time.ts';
import type { ClosingTable, Database, Db, OutletCode } from '../../db/schema.ts';
import { Conflict, NotFound, Unprocessable } from '../errors.ts';
import { openOrdersSummary } from '../restaurant/orders.ts';
import { appendClosing } from '../journal/closings.ts';
import { outletHeads } from '../journal/heads.ts';
import { dayFigures, grandTotalsAt, salesByHour, sumFigures, type ClosingFigures } from './figures.ts';
import { drawerDays, ticketCash } from '../drawer/drawer.ts';
import { nextDay } from '../sales/record.ts';
import { shopFiscalYear } from './fiscal-year.ts';
import { firstSiteId, outletAt } from '../sites/sites.ts';
import { unaccountedNumbers } from '../journal/tickets.ts';

/** An outlet named by its kind, at a site (the first one when not said: a one-site shop). */
async function outletByCode(db: Db, code: OutletCode, siteId?: number) {
  const outlet = await outletAt(db, code, siteId ?? (await firstSiteId(db)));
  return { ...outlet, code: outlet.kind };
}

const frenchDate = (day: string) =>
  new Intl.DateTimeFormat('fr-FR', { day: 'numeric', month: 'long', year: 'numeric', timeZone: 'UTC' }).format(
    new Date(`${day}T12:00:00Z`),
  );

export function closingView(row: Omit<Selectable<ClosingTable>, 'prev_hash'>) {
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

/** Chains the closing (journal/closings.ts) and answers it as the API shows it. */
/** Every closing carries the chains' heads as they stand when it is taken (issue 20, item 2). */
const append = async (trx: Db, input: Parameters<typeof appendClosing>[1]) =>
  closingView(await appendClosing(trx, { ...input, figures: { ...input.figures, chainHeads: await outletHeads(trx, input.outletId) } }));

/** X report: the day's figures so far, not closed. */
export async function xReport(db: Db, outlet: OutletCode, day: string, timeZone = 'Europe/Paris', siteId?: number) {
  const o = await outletByCode(db, outlet, siteId);
  const closed = await db
    .selectFrom('closings')
    .select(['id', 'figures'])
    .where('outlet_id', '=', o.id)
    .where('kind', '=', 'day')
    .where('period', '=', day)
    .executeTakeFirst();
  const figures = await dayFigures(db, o.id, { from: day, to: day });
  // Closed with tables open: those its Z names, with what each still owed then (the page said nothing of them).
  const openAtZ = closed
    ? ((JSON.parse(closed.figures) as ClosingFigures).openTables ?? []).map((t) => ({ ...t, leftCents: t.leftCents ?? t.totalCents }))
    : null;
  return {
    outlet: o.code,
    day,
    closed: Boolean(closed),
    figures,
    drawer: (await drawerDays(db, o.id, { from: day, to: day }))(day, ticketCash(figures)),
    byHour: await salesByHour(db, o.id, day, timeZone),
    // The tables still open at the outlet, before anyone tries to close its day (a Z asks about them).
    openTables: openAtZ ?? (await openOrdersSummary(db, o.id)),
    ...(await ticketsAstray(db, o.id, day, timeZone)),
  };
}

/**
 * What a Z should not be taken without knowing (a newcomer's walk closed a day on a refused refund and a gap,
 * with no word): each till's numbers the server never received (a tablet offline, or holding a ticket the
 * server refused, still has them), and the tickets the server refused that day that a till handed to the
 * event log, with the server's reason.
 */
async function ticketsAstray(db: Db, outletId: number, day: string, timeZone: string) {
  const tills = await db.selectFrom('tills').select(['id', 'name']).where('outlet_id', '=', outletId).orderBy('id').execute();
  const missingTickets: { tillId: number; till: string; numbers: number[] }[] = [];
  const refusedTickets: {
    tillId: number;
    till: string;
    kind: string;
    number: number | null;
    totalCents: number | null;
    message: string;
  }[] = [];
  if (!tills.length) return { missingTickets, refusedTickets };
  const counts = await db
    .selectFrom('sales')
    .select((eb) => ['till_id', eb.fn.countAll<number>().as('n'), eb.fn.max('number').as('last')])
    .where(
      'till_id',
      'in',
      tills.map((t) => t.id),
    )
    .where('training', '=', 0)
    .groupBy('till_id')
    .execute();
  const name = new Map(tills.map((t) => [t.id, t.name]));
  for (const c of counts) {
    if (Number(c.n) === Number(c.last)) continue;
    const numbers = await unaccountedNumbers(db, c.till_id, 0, Number(c.last));
    if (numbers.length) missingTickets.push({ tillId: c.till_id, till: name.get(c.till_id) ?? '', numbers });
  }
  const events = await db
    .selectFrom('events')
    .select(['subject', 'data', 'at'])
    .where('kind', '=', 'till.ticket_refused')
    .where(
      'subject',
      'in',
      tills.map((t) => `till:${t.id}`),
    )
    .orderBy('id')
    .execute();
  for (const e of events) {
    if (businessDay(e.at, timeZone) !== day) continue;
    const d = JSON.parse(e.data ?? 'null') as {
      kind?: string;
      number?: number;
      totalCents?: number;
      message?: string;
      training?: boolean;
    } | null;
    if (!d || d.training === true || (d.kind !== 'sale' && d.kind !== 'refund' && d.kind !== 'cash')) continue;
    const tillId = Number(e.subject?.slice('till:'.length));
    refusedTickets.push({
      tillId,
      till: name.get(tillId) ?? '',
      kind: d.kind,
      number: typeof d.number === 'number' ? d.number : null,
      totalCents: typeof d.totalCents === 'number' ? d.totalCents : null,
      message: String(d.message ?? ''),
    });
  }
  return { missingTickets, refusedTickets };
}

export async function closeDay(
  db: Kysely<Database>,
  input: {
    outlet: OutletCode;
    siteId?: number;
    day: string;
    cashCountedCents: number;
    note?: string | undefined;
    withOpenTables?: boolean;
    confirmEarly?: boolean;
  },
  userId: number,
  now: Date,
  timeZone: string,
) {
  const today = businessDay(now, timeZone);
  if (input.day > today)
    throw new Unprocessable('On ne clôture pas une journée future.', [{ field: 'day', reason: `après aujourd’hui (${today})` }]);
  // Nor a day from before the shop kept any record (a probe closed 2000-01-01): its first event's day, or its
  // first ticket's if one is dated earlier (a till that sold offline before the server was set up).
  const firstEvent = await db.selectFrom('events').select('at').orderBy('id').limit(1).executeTakeFirst();
  if (firstEvent && input.day < businessDay(firstEvent.at, timeZone)) {
    const firstSale = await db
      .selectFrom('sales')
      .select((eb) => eb.fn.min('business_day').as('day'))
      .executeTakeFirst();
    const first = [businessDay(firstEvent.at, timeZone), firstSale?.day ?? null].filter((d): d is string => d !== null).sort()[0]!;
    if (input.day < first)
      throw new Unprocessable(
        `La boutique n’a rien enregistré avant le ${frenchDate(first)} : pas de Z pour le ${frenchDate(input.day)}.`,
        [{ field: 'day', reason: `avant le premier jour de la boutique (${first})` }],
      );
  }
  return db.transaction().execute(async (trx) => {
    const outlet = await outletByCode(trx, input.outlet, input.siteId);
    const figures = await dayFigures(trx, outlet.id, { from: input.day, to: input.day });
    const drawer = (await drawerDays(trx, outlet.id, { from: input.day, to: input.day }))(input.day, ticketCash(figures));
    const open = await openOrdersSummary(trx, outlet.id);
    if (open.length && !input.withOpenTables) {
      throw new Conflict(
        `Des tables sont encore ouvertes : ${open.map((o) => o.table ?? 'à emporter').join(', ')}. Réglez-les, ou clôturez en les listant sur le Z.`,
        'withOpenTables',
      );
    }
    // No opening hours are known: while the day lasts, tickets may still come, so closing it is confirmed.
    if (input.day === today && !input.confirmEarly)
      throw new Conflict(
        `La journée du ${frenchDate(input.day)} n’est pas finie : après ce Z, les ventes iront sur la journée du ${frenchDate(nextDay(input.day))}. Confirmez la clôture.`,
        'confirmEarly',
      );
    return append(trx, {
      outletId: outlet.id,
      kind: 'day',
      period: input.day,
      figures: {
        ...figures,
        cashCountedCents: input.cashCountedCents,
        cashDifferenceCents: input.cashCountedCents - drawer.expectedCents,
        note: input.note ?? null,
        from: [],
        ...(open.length ? { openTables: open } : {}),
        drawer,
        grandTotals: await grandTotalsAt(trx, outlet.id, input.day),
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
  input: { outlet: OutletCode; siteId?: number; month: string },
  userId: number,
  now: Date,
  timeZone: string,
) {
  const days = daysOfMonth(input.month);
  if (days[days.length - 1]! >= businessDay(now, timeZone))
    throw new Unprocessable('Le mois n’est pas terminé.', [{ field: 'month', reason: 'mois en cours ou futur' }]);
  return db.transaction().execute(async (trx) => {
    const outlet = await outletByCode(trx, input.outlet, input.siteId);
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
      figures: {
        ...figures,
        cashCountedCents: null,
        cashDifferenceCents: null,
        note: null,
        from: closings.map((c) => c.period),
        grandTotals: await grandTotalsAt(trx, outlet.id, days[days.length - 1]!),
      },
      userId,
      now,
    });
  });
}

/**
 * A year closing sums its month closings over the shop's fiscal year (the twelve months ending with its
 * identity's `fiscalYearEndMonth`; the calendar year by default); every month of it with tickets or day
 * closings must be closed first.
 */
export async function closeYear(
  db: Kysely<Database>,
  input: { outlet: OutletCode; siteId?: number; year: string },
  userId: number,
  now: Date,
  timeZone: string,
) {
  const fy = await shopFiscalYear(db, input.year);
  if (fy.to >= businessDay(now, timeZone))
    throw new Unprocessable(`L’exercice ${input.year} (jusqu’au ${frenchDate(fy.to)}) n’est pas terminé.`, [
      { field: 'year', reason: 'exercice en cours ou futur' },
    ]);
  return db.transaction().execute(async (trx) => {
    const outlet = await outletByCode(trx, input.outlet, input.siteId);
    const months = await trx
      .selectFrom('closings')
      .selectAll()
      .where('outlet_id', '=', outlet.id)
      .where('kind', '=', 'month')
      .where('period', 'in', fy.months)
      .orderBy('period')
      .execute();
    const dayMonths = await trx
      .selectFrom('closings')
      .select('period')
      .where('outlet_id', '=', outlet.id)
      .where('kind', '=', 'day')
      .where('period', '>=', fy.from)
      .where('period', '<=', fy.to)
      .execute();
    // A month with tickets but no day closed yet must stop the year too, or its sales would be left out.
    const soldMonths = await trx
      .selectFrom('sales')
      .select((eb) => eb.fn<string>('substr', ['business_day', eb.val(1), eb.val(7)]).as('month'))
      .distinct()
      .where('outlet_id', '=', outlet.id)
      .where('training', '=', 0)
      .where('business_day', '>=', fy.from)
      .where('business_day', '<=', fy.to)
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
      figures: {
        ...figures,
        cashCountedCents: null,
        cashDifferenceCents: null,
        note: null,
        from: months.map((c) => c.period),
        grandTotals: await grandTotalsAt(trx, outlet.id, fy.to),
      },
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

/** Closings, newest first, by outlet and kind. */
export async function listClosings(
  db: Db,
  query: { outlet?: OutletCode | undefined; kind?: 'day' | 'month' | 'year' | undefined; limit: number },
  siteId: number | null = null,
) {
  let q = db.selectFrom('closings').innerJoin('outlets', 'outlets.id', 'closings.outlet_id').selectAll('closings');
  if (query.outlet) q = q.where('outlets.kind', '=', query.outlet);
  if (siteId !== null) q = q.where('outlets.site_id', '=', siteId);
  if (query.kind) q = q.where('closings.kind', '=', query.kind);
  return (await q.orderBy('closings.id', 'desc').limit(query.limit).execute()).map(closingView);
}
