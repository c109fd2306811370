import { catalogues, translate, type Lang, type MessageKey } from '../../shared/i18n/index.ts';
import { day, euros, moment, rate } from '../format.ts';

/** How many elements of a list are said before « … et 3 de plus ». */
const LIST_MAX = 6;
/** How deep nested details are said in words; deeper, as compact JSON. */
const DEPTH_MAX = 2;

const ISO_INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})$/;
const ISO_DAY = /^\d{4}-\d{2}-\d{2}$/;

type Entry = [string, unknown];

/** Details whose value is a code said in words by the catalogue (a role, a payment method…): the key's prefix. */
const CODES: Record<string, string> = {
  role: 'role.',
  roles: 'role.',
  method: 'bo.method.',
  stream: 'bo.reuse.stream.',
  unit: 'eventData.unit.',
};

/**
 * The details of an event (server/journal/events.ts: its `data`) as a person reads them, in the page's
 * language: « Montant : 12,50 € · Tablette n° : 3 · Formation : non », never the record's English keys
 * nor raw JSON. A change (`before` and `after`) says only what changed: « Seuil de stock bas : 5 → 8 ».
 * A key the catalogue does not know yet is shown as its code.
 */
export function eventDetails(data: unknown, lang: Lang): string {
  if (data === null || data === undefined) return '';
  if (typeof data !== 'object' || Array.isArray(data)) return value(undefined, data, lang, 0);
  return entries(data as Record<string, unknown>, lang, 0).join(' · ');
}

function label(key: string, lang: Lang): string {
  const k = `eventData.${key}`;
  const words = Object.hasOwn(catalogues[lang], k) ? translate(lang, k as MessageKey) : key;
  return words.charAt(0).toUpperCase() + words.slice(1);
}

function entries(data: Record<string, unknown>, lang: Lang, depth: number): string[] {
  const out: string[] = [];
  const { before, after, ...rest } = data;
  const change = isRecord(before) && isRecord(after);
  for (const [k, v] of Object.entries(change ? rest : data) as Entry[]) {
    if (v === undefined) continue;
    out.push(`${label(k, lang)} : ${value(k, v, lang, depth + 1)}`);
  }
  if (change) out.push(...changes(before, after, lang, depth));
  return out;
}

/** `before` → `after`, key by key, for the keys whose value changed (a key added or removed too). */
function changes(before: Record<string, unknown>, after: Record<string, unknown>, lang: Lang, depth: number): string[] {
  const out: string[] = [];
  const keys = [...new Set([...Object.keys(before), ...Object.keys(after)])];
  for (const k of keys) {
    const was = before[k];
    const now = after[k];
    if (JSON.stringify(was) === JSON.stringify(now)) continue;
    out.push(`${label(k, lang)} : ${value(k, was ?? null, lang, depth + 1)} → ${value(k, now ?? null, lang, depth + 1)}`);
  }
  return out;
}

function value(key: string | undefined, v: unknown, lang: Lang, depth: number): string {
  if (v === null) return '—';
  if (typeof v === 'boolean') return translate(lang, v ? 'eventData.yes' : 'eventData.no');
  if (typeof v === 'number') {
    if (key && /Cents$|^cents$/.test(key)) return euros(v, lang);
    if (key && /Bp$|^bp$/.test(key)) return rate(v, lang);
    if (key === 'bytes') return size(v, lang);
    return v.toLocaleString(lang === 'fr' ? 'fr-FR' : 'en-GB');
  }
  if (typeof v === 'string') {
    if (ISO_INSTANT.test(v)) return moment(v, lang);
    if (ISO_DAY.test(v)) return day(v, lang);
    const words = key && CODES[key] ? `${CODES[key]}${v}` : null;
    if (words && Object.hasOwn(catalogues[lang], words)) return translate(lang, words as MessageKey);
    return v;
  }
  if (depth > DEPTH_MAX) return JSON.stringify(v);
  if (Array.isArray(v)) {
    if (!v.length) return '—';
    const said = v.slice(0, LIST_MAX).map((x) => value(key, x, lang, depth + 1));
    if (v.length > LIST_MAX) said.push(translate(lang, 'eventData.more', { n: v.length - LIST_MAX }));
    return said.join(isRecord(v[0]) ? ' ; ' : ', ');
  }
  if (isRecord(v)) return `(${entries(v, lang, depth).join(', ')})`;
  return String(v);
}

function size(bytes: number, lang: Lang): string {
  const f = (n: number, digits: number) => n.toLocaleString(lang === 'fr' ? 'fr-FR' : 'en-GB', { maximumFractionDigits: digits });
  const unit = lang === 'fr' ? ['o', 'ko', 'Mo', 'Go'] : ['B', 'kB', 'MB', 'GB'];
  let n = bytes;
  let i = 0;
  while (n >= 1000 && i < unit.length - 1) {
    n /= 1000;
    i++;
  }
  return `${f(n, i ? 1 : 0)}\u00a0${unit[i]}`;
}

const isRecord = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === 'object' && !Array.isArray(v);
