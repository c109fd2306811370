/**
 * A missed Z: a business day of an outlet that has tickets and ended without its daily closing. From the
 * next morning the tills show it; 24 hours after that day's end they take no new sale (when the shop's
 * `missedZBlocks` till option is on, the default) until a manager takes the Z.
 *
 * Stricter reading of the law (CGI 286 I 3° bis, NF525 "clôture journalière obligatoire"): a day's closing
 * is not optional, so by default the till refuses to go on selling rather than only warning.
 */
import type { Db } from '../../db/schema.ts';
import { cachedRows, rawRows } from '../../db/raw.ts';
import { businessDay } from '../../shared/time.ts';
import { Conflict } from '../errors.ts';
import { tillOptions } from '../settings/settings.ts';

const BLOCK_AFTER_MS = 24 * 3600_000;

function nextDay(day: string): string {
  const t = new Date(`${day}T12:00:00Z`);
  t.setUTCDate(t.getUTCDate() + 1);
  return t.toISOString().slice(0, 10);
}

const offsetFormats = new Map<string, Intl.DateTimeFormat>();
/** How far the wall clock of `timeZone` is ahead of UTC at `t` (ms). */
function zoneOffset(t: number, timeZone: string): number {
  let f = offsetFormats.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    });
    offsetFormats.set(timeZone, f);
  }
  const p = Object.fromEntries(f.formatToParts(new Date(t)).map((x) => [x.type, x.value]));
  const wall = Date.UTC(Number(p.year), Number(p.month) - 1, Number(p.day), Number(p.hour), Number(p.minute), Number(p.second));
  return wall - Math.floor(t / 1000) * 1000;
}

/** The instant a business day ends in the shop's time zone (midnight at the start of the next day). */
export function dayEnd(day: string, timeZone: string): Date {
  const midnightUtc = Date.parse(`${nextDay(day)}T00:00:00Z`);
  let t = midnightUtc - zoneOffset(midnightUtc, timeZone);
  t = midnightUtc - zoneOffset(t, timeZone);
  return new Date(t);
}

/** « 3 décembre »: how the till and the refusal name the day. */
export const dayAndMonth = (day: string) =>
  new Intl.DateTimeFormat('fr-FR', { day: 'numeric', month: 'long', timeZone: 'UTC' }).format(new Date(`${day}T12:00:00Z`));

export const missedZSentence = (day: string) =>
  `La journée du ${dayAndMonth(day)} n’a pas été clôturée (Z) — un responsable doit la clôturer.`;

export interface MissedZ {
  /** The oldest business day before today with tickets and no Z (after the outlet's last Z). */
  day: string;
  /** From this instant (the day's end + 24 h) the till takes no new sale, when the setting is on. */
  blocksAt: string;
  /** The shop's `missedZBlocks` option. */
  blocks: boolean;
}

/**
 * The outlet's missed Z as of `now`, or null. Read after the outlet's last daily closing, through the
 * `sales_day` index: a seek, not a scan, so it costs nothing per ticket.
 */
export async function missedZ(db: Db, outletId: number, now: Date, timeZone: string): Promise<MissedZ | null> {
  const today = businessDay(now, timeZone);
  const [last] = await cachedRows<{ period: string | null }>(
    db,
    'select max("period") as "period" from "closings" where "outlet_id" = ? and "kind" = \'day\'',
    [outletId],
  );
  const [row] = await rawRows<{ day: string | null }>(
    db,
    'select min("business_day") as "day" from "sales" where "outlet_id" = ? and "training" = 0 and "business_day" > ? and "business_day" < ?',
    [outletId, last?.period ?? '', today],
  );
  if (!row?.day) return null;
  const { missedZBlocks } = await tillOptions(db);
  return {
    day: row.day,
    blocksAt: new Date(dayEnd(row.day, timeZone).getTime() + BLOCK_AFTER_MS).toISOString(),
    blocks: missedZBlocks,
  };
}

/**
 * Refuses a ticket rung at `ringAt` (the ticket's own time: one rung offline before the block still goes
 * in) when a missed Z blocks the outlet's sales by then.
 */
export async function refuseIfMissedZ(db: Db, outletId: number, ringAt: Date, now: Date, timeZone: string): Promise<void> {
  const missed = await missedZ(db, outletId, now, timeZone);
  if (missed?.blocks && ringAt.getTime() >= Date.parse(missed.blocksAt)) throw new Conflict(missedZSentence(missed.day), 'missedZ');
}
