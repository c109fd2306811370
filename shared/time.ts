/** Business days follow the shop's time zone (Europe/Paris), whatever the server's clock zone. */
const formats = new Map<string, Intl.DateTimeFormat>();

export function businessDay(at: Date | string, timeZone = 'Europe/Paris'): string {
  const d = typeof at === 'string' ? new Date(at) : at;
  // Days change on a whole minute in every zone of today's world: the last minute asked is remembered per
  // zone (a ticket asks several times, and its neighbours ask for the same minute).
  const minute = Math.floor(d.getTime() / 60_000);
  const last = lastMinute.get(timeZone);
  if (last && last.minute === minute) return last.day;
  let format = formats.get(timeZone);
  if (!format) {
    // en-CA formats as YYYY-MM-DD. Building a formatter is slow: one per zone, kept.
    format = new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' });
    formats.set(timeZone, format);
  }
  const day = format.format(d);
  if (Number.isFinite(minute)) lastMinute.set(timeZone, { minute, day });
  return day;
}
const lastMinute = new Map<string, { minute: number; day: string }>();

/** A calendar day (YYYY-MM-DD) moved by whole days. */
export const shiftDay = (day: string, days: number) =>
  new Date(Date.parse(`${day}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);

/** A calendar day as French papers write it: 30/11/2026. */
export const frDay = (day: string) => `${day.slice(8, 10)}/${day.slice(5, 7)}/${day.slice(0, 4)}`;

const FR_MONTHS = ['janvier', 'février', 'mars', 'avril', 'mai', 'juin', 'juillet', 'août', 'septembre', 'octobre', 'novembre', 'décembre'];
/** "2026-11" → "novembre 2026", as a report's title says it. */
export const frMonth = (month: string) => `${FR_MONTHS[Number(month.slice(5, 7)) - 1]} ${month.slice(0, 4)}`;

/**
 * An instant as the shop's clock reads it, with its offset from UTC: `2026-12-07T11:45:12+01:00` (ISO 8601,
 * XML's dateTime). What a bank reads in a SEPA file's creation time (UTC without a zone read an hour early).
 */
export function zonedDateTime(at: Date, timeZone = 'Europe/Paris'): string {
  const parts = Object.fromEntries(
    new Intl.DateTimeFormat('en-CA', {
      timeZone,
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
      hourCycle: 'h23',
    })
      .formatToParts(at)
      .map((p) => [p.type, p.value]),
  );
  const local = `${parts.year}-${parts.month}-${parts.day}T${parts.hour}:${parts.minute}:${parts.second}`;
  // The offset: the wall clock read as UTC, less the instant (whole seconds).
  const minutes = Math.round((Date.parse(`${local}Z`) - Math.floor(at.getTime() / 1000) * 1000) / 60_000);
  const sign = minutes < 0 ? '-' : '+';
  const abs = Math.abs(minutes);
  return `${local}${sign}${String(Math.floor(abs / 60)).padStart(2, '0')}:${String(abs % 60).padStart(2, '0')}`;
}
