/**
 * The closings' chain: each outlet's X/Z closings (day, month, year) chained like the tickets, with the one
 * mapping from a stored closing to its hashed record, the append that writes one, and the walk that checks
 * them all (each recomputed from what it is built from).
 */
import { groupBy } from '../../shared/group.ts';
import type { ClosingTable, Db } from '../../db/schema.ts';
import { sha256Hex } from '../auth/secrets.ts';
import { Conflict } from '../errors.ts';
import {
  emptyFigures,
  figuresByDay,
  grandTotalsByDay,
  othersCents,
  sumFigures,
  type ClosingFigures,
  type Figures,
  type GrandTotals,
} from '../closing/figures.ts';
import { canonicalJson, GENESIS_HASH } from './canonical.ts';
import { recordEvent } from './events.ts';
import { drawerDays, ticketCash } from '../drawer/drawer.ts';

export interface ClosingRecord {
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

/**
 * The one mapping from a stored closing to its hashed record: append hashes through it, verify and the
 * archive re-hash through it (the archive keeps the figures as an object, the table as canonical JSON).
 */
export function closingRecord(
  r: Omit<ClosingTable, 'id' | 'prev_hash' | 'hash' | 'figures' | 'signature' | 'key_id'> & { figures: string | ClosingFigures },
): ClosingRecord {
  return {
    outletId: r.outlet_id,
    kind: r.kind,
    period: r.period,
    seq: r.seq,
    closedAt: r.closed_at,
    closedBy: r.closed_by,
    figures: typeof r.figures === 'string' ? (JSON.parse(r.figures) as ClosingFigures) : r.figures,
    totalCents: r.total_cents,
    grandTotalCents: r.grand_total_cents,
  };
}

/** Chains a closing on its outlet (a period closes once) and logs it; call inside the closing's transaction. */
export async function appendClosing(
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
  const values = {
    outlet_id: input.outletId,
    kind: input.kind,
    period: input.period,
    seq: (last?.seq ?? 0) + 1,
    closed_at: input.now.toISOString(),
    closed_by: input.userId,
    figures: canonicalJson(input.figures),
    total_cents: input.figures.totalCents,
    grand_total_cents: grandTotal,
  };
  const prevHash = last?.hash ?? GENESIS_HASH;
  const row = await db
    .insertInto('closings')
    .values({ ...values, prev_hash: prevHash, hash: closingHash(prevHash, closingRecord(values)) })
    .returningAll()
    .executeTakeFirstOrThrow();
  await recordEvent(db, {
    kind: `closing.${input.kind}`,
    userId: input.userId,
    subject: `closing:${row.id}`,
    data: { outletId: input.outletId, period: input.period, totalCents: values.total_cents },
    at: values.closed_at,
  });
  return row;
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
  // Each outlet's last closed day, and the other outlets' totals up to a day, as the grand totals count them.
  const closedUpTo = new Map<number, string>();
  for (const r of rows) if (r.kind === 'day' && r.period > (closedUpTo.get(r.outlet_id) ?? '')) closedUpTo.set(r.outlet_id, r.period);
  const othersMemo = new Map<string, number>();
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
    const drawerOf = closedDays.length
      ? await drawerDays(db, outletId, { from: closedDays[0]!, to: closedDays[closedDays.length - 1]! })
      : null;
    // The perpetual grand totals each closing carries, recomputed at the end of each closed period.
    const monthEnd = (month: string) =>
      `${month}-${String(new Date(Date.UTC(Number(month.slice(0, 4)), Number(month.slice(5, 7)), 0)).getUTCDate()).padStart(2, '0')}`;
    // A year ends with the last of its months (the shop's fiscal year need not be the calendar year).
    const periodEnd = (c: { kind: string; period: string; figures: string }) =>
      c.kind === 'day'
        ? c.period
        : c.kind === 'month'
          ? monthEnd(c.period)
          : monthEnd((JSON.parse(c.figures) as ClosingFigures).from.at(-1) ?? `${c.period}-12`);
    const withTotals = list.filter((c) => c.figures.includes('"grandTotals"'));
    const totalsAt = await grandTotalsByDay(db, outletId, [...new Set(withTotals.map(periodEnd))].sort());
    let prev = GENESIS_HASH;
    let expectedSeq = 1;
    let outletGrand = 0;
    for (const r of list) {
      const label = `closing:${r.kind} ${r.period} (point de vente ${outletId})`;
      if (r.seq !== expectedSeq)
        problems.push({ record: label, fault: 'missing', detail: `chain positions ${expectedSeq}…${r.seq - 1} are missing before it` });
      if (r.prev_hash !== prev)
        problems.push({ record: label, fault: 'broken-link', detail: 'previous hash does not match the closing before it' });
      const record = closingRecord(r);
      const figures = record.figures;
      if (closingHash(r.prev_hash, record) !== r.hash)
        problems.push({ record: label, fault: 'hash-mismatch', detail: 'content changed after it was recorded' });
      let recomputed: Figures;
      if (r.kind === 'day') recomputed = recomputedDays.get(r.period) ?? emptyFigures();
      else {
        const from = new Set(figures.from);
        const parts = list.filter((c) => c.kind === (r.kind === 'month' ? 'day' : 'month') && from.has(c.period));
        recomputed = sumFigures(parts.map((c) => JSON.parse(c.figures) as Figures));
      }
      const {
        cashCountedCents: _a,
        cashDifferenceCents: _b,
        note: _c,
        from: _d,
        openTables: _e,
        chainHeads: _f,
        drawer,
        grandTotals,
        ...stored
      } = figures;
      if (grandTotals) {
        const end = periodEnd(r);
        const again = totalsAt.get(end)!;
        const { othersUpTo } = grandTotals;
        let expected: GrandTotals;
        if (othersUpTo) {
          // Each other outlet counted up to a day it has closed (so its tickets up to then can no longer
          // change), never past this period; the establishment is this outlet plus them.
          let others = 0;
          for (const o of othersUpTo) {
            const closed = closedUpTo.get(o.outletId);
            if (o.day > end || closed === undefined || closed < o.day)
              problems.push({
                record: label,
                fault: 'figures-mismatch',
                detail: `perpetual grand totals: outlet ${o.outletId} counted up to ${o.day}, a day it has not closed or after ${end}`,
              });
            const key = `${o.outletId} ${o.day}`;
            if (!othersMemo.has(key)) othersMemo.set(key, await othersCents(db, [o]));
            others += othersMemo.get(key)!;
          }
          expected = { ...again, establishmentCents: again.outletCents + others, othersUpTo };
        } else {
          // Before 2026-12-07 the establishment's figure counted the other outlets' open days as they stood
          // then, which no later count can give back: only the till and outlet totals are checked again (the
          // figure itself is still under the closing's hash and signature).
          expected = { ...again, establishmentCents: grandTotals.establishmentCents };
        }
        if (canonicalJson(grandTotals) !== canonicalJson(expected))
          problems.push({
            record: label,
            fault: 'figures-mismatch',
            detail: `perpetual grand totals: recorded ${grandTotals.outletCents} for the outlet and ${grandTotals.establishmentCents} for the establishment, recomputed ${expected.outletCents} and ${expected.establishmentCents}`,
          });
      }
      // The drawer's float and movements, since they are on the Z: recomputed from the movements and the tickets.
      if (r.kind === 'day' && drawer && drawerOf) {
        const again = drawerOf(r.period, ticketCash(recomputed));
        if (canonicalJson(drawer) !== canonicalJson(again))
          problems.push({
            record: label,
            fault: 'figures-mismatch',
            detail: `drawer: recorded expected cash ${drawer.expectedCents}, recomputed ${again.expectedCents}`,
          });
      }
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
