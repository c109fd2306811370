/** Business days follow the shop's time zone (Europe/Paris), whatever the server's clock zone. */
const formats = new Map<string, Intl.DateTimeFormat>();

export function businessDay(at: Date | string, timeZone = 'Europe/Paris'): string {
  const d = typeof at === 'string' ? new Date(at) : at;
  let format = formats.get(timeZone);
  if (!format) {
    // en-CA formats as YYYY-MM-DD. Building a formatter is slow: one per zone, kept.
    format = new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' });
    formats.set(timeZone, format);
  }
  return format.format(d);
}
