import { formatEuros, formatRate, type BasisPoints, type Cents } from '../shared/money.ts';
import type { Lang } from '../shared/i18n/index.ts';

const locale = (lang: Lang) => (lang === 'fr' ? 'fr-FR' : 'en-GB');
export const euros = (c: number, lang: Lang = 'fr') => formatEuros(c as Cents, locale(lang));
export const rate = (bp: number, lang: Lang = 'fr') => formatRate(bp as BasisPoints, locale(lang));
// Formatters are costly to build and cheap to use: one per language (and per date style), kept.
const kgFormats = new Map<Lang, Intl.NumberFormat>();
const dayFormats = new Map<string, Intl.DateTimeFormat>();
export const quantity = (q: number, unit: 'piece' | 'kg', lang: Lang = 'fr') => {
  if (unit !== 'kg') return String(q);
  let f = kgFormats.get(lang);
  if (!f) kgFormats.set(lang, (f = new Intl.NumberFormat(locale(lang), { minimumFractionDigits: 3, maximumFractionDigits: 3 })));
  return `${f.format(q / 1000)} kg`;
};
/** YYYY-MM-DD as the reader writes dates. */
export const day = (d: string, lang: Lang = 'fr', opts: Intl.DateTimeFormatOptions = { dateStyle: 'medium' }) => {
  const key = `${lang}${JSON.stringify(opts)}`;
  let f = dayFormats.get(key);
  if (!f) dayFormats.set(key, (f = new Intl.DateTimeFormat(locale(lang), { ...opts, timeZone: 'UTC' })));
  return f.format(new Date(`${d}T00:00:00Z`));
};

/** An instant (ISO timestamp) as the reader writes it, on the shop's clock (Europe/Paris). */
export const moment = (iso: string, lang: Lang = 'fr', opts: Intl.DateTimeFormatOptions = { dateStyle: 'short', timeStyle: 'short' }) => {
  const key = `at${lang}${JSON.stringify(opts)}`;
  let f = dayFormats.get(key);
  if (!f) dayFormats.set(key, (f = new Intl.DateTimeFormat(locale(lang), { ...opts, timeZone: 'Europe/Paris' })));
  return f.format(new Date(iso));
};

/** How long ago an instant was, as people say it ("il y a 3 min"); null under a minute. */
export const ago = (iso: string, lang: Lang = 'fr', now = Date.now()) => {
  const minutes = Math.floor((now - Date.parse(iso)) / 60_000);
  if (minutes < 1) return null;
  const f = new Intl.RelativeTimeFormat(locale(lang), { style: 'short', numeric: 'always' });
  if (minutes < 60) return f.format(-minutes, 'minute');
  if (minutes < 48 * 60) return f.format(-Math.floor(minutes / 60), 'hour');
  return f.format(-Math.floor(minutes / 1440), 'day');
};

/** Today in the shop's zone, and other days around it, as YYYY-MM-DD. */
export const today = () => new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/Paris' }).format(new Date());
export const shiftDays = (d: string, n: number) => new Date(Date.parse(`${d}T00:00:00Z`) + n * 86_400_000).toISOString().slice(0, 10);
export const monthStart = (d: string) => `${d.slice(0, 7)}-01`;
export const monthEnd = (month: string) => {
  const [y, m] = month.split('-').map(Number) as [number, number];
  return new Date(Date.UTC(y, m, 0)).toISOString().slice(0, 10);
};
export const previousMonth = (d: string) => {
  const [y, m] = d.split('-').map(Number) as [number, number];
  return new Date(Date.UTC(y, m - 2, 1)).toISOString().slice(0, 7);
};

/**
 * A number the page could not read from what was typed goes to the server as typed: the server names the
 * field and says what it wants (« Le prix doit être un montant en euros, par exemple 3,50. »), where a
 * stand-in such as −1 made it say « doit être au moins de 0,00 € » (found by a newcomer's walk).
 */
export const orAsTyped = (n: number | null, typed: unknown): number => (n ?? String(typed ?? '').trim()) as number;
