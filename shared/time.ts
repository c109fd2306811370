/** Business days follow the shop's time zone (Europe/Paris), whatever the server's clock zone. */
export function businessDay(at: Date | string, timeZone = 'Europe/Paris'): string {
  const d = typeof at === 'string' ? new Date(at) : at;
  // en-CA formats as YYYY-MM-DD.
  return new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' }).format(d);
}
