/**
 * Refused input as people read it. An API client keeps the machine-readable part of each problem (the
 * field's dotted path and zod's issue code); the person at the till reads one French (or English) sentence
 * per problem, naming the field as the form does ("Le code PIN du responsable doit comporter 4 à 8
 * chiffres.", "Le nom de l’article dépasse 120 caractères (125 saisis)."), never a path or a key.
 */
import type { z } from 'zod';
import { catalogues, translate, type Lang, type MessageKey } from '../../shared/i18n/index.ts';
import { formatEuros, type Cents } from '../../shared/money.ts';
import type { FieldProblem } from '../errors.ts';

/** The request's language: English when the browser asks for it first, French otherwise. */
export function requestLang(acceptLanguage: string | undefined): Lang {
  return /^\s*en\b/i.test(acceptLanguage ?? '') ? 'en' : 'fr';
}

const has = (lang: Lang, key: string): key is MessageKey => Object.hasOwn(catalogues[lang], key);

/**
 * The words for a field, from its path and the route it was sent to: `name` on `/api/products` is "Le nom
 * de l’article"; a position in a list is said as a number ("La quantité (n° 3)").
 */
export function fieldLabel(path: readonly PropertyKey[], lang: Lang, routePath = ''): string {
  const keys = path.filter((p): p is string => typeof p === 'string' && !/^\d+$/.test(p));
  const indexes = path.filter((p) => typeof p === 'number' || /^\d+$/.test(String(p))).map(Number);
  const key = keys[keys.length - 1];
  // The route's last literal segment gives the context: /api/products/:id → products, /api/auth/approve → approve.
  const segment = routePath
    .split('/')
    .filter((s) => s && !s.startsWith(':') && s !== 'api')
    .map((s) => s.replace(/\..*$/, ''))
    .pop();
  let label = translate(lang, 'validation.field.unknown');
  // One element of a list is named in the singular: "Le code-barres (n° 2)", not "Les codes-barres (n° 2)".
  const one = /^\d+$/.test(String(path[path.length - 1])) && key && has(lang, `field.${key}.one`) ? `field.${key}.one` : null;
  if (one) label = translate(lang, one as MessageKey);
  else if (key && segment && has(lang, `field.${key}@${segment}`)) label = translate(lang, `field.${key}@${segment}` as MessageKey);
  else if (key && has(lang, `field.${key}`)) label = translate(lang, `field.${key}` as MessageKey);
  const last = indexes[indexes.length - 1];
  return last === undefined ? label : translate(lang, 'validation.position', { field: label, n: last + 1 });
}

const valueAt = (input: unknown, path: readonly PropertyKey[]): unknown =>
  path.reduce<unknown>((v, k) => (v !== null && typeof v === 'object' ? (v as Record<PropertyKey, unknown>)[k] : undefined), input);

const capitalise = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);
// "SIRET invalide : 14 chiffres…" after "Le numéro SIRET n’est pas valide :" would say it twice.
const stripStop = (s: string) => s.replace(/[.\s]+$/, '').replace(/^[^:]*\binvalide\s*:\s*/u, '');

/** A bound as the field means it: euros for an amount in cents, a plain number otherwise. */
function bound(key: string | undefined, n: number | bigint, lang: Lang): string {
  if (key && /Cents$/.test(key)) return formatEuros(Number(n) as Cents).replace(/\u202f/g, '\u00a0');
  // A rate in basis points, as a percentage (10 000 is 100 %).
  if (key && /Bp$/.test(key)) return `${(Number(n) / 100).toLocaleString(lang === 'fr' ? 'fr-FR' : 'en-GB')}\u00a0%`;
  return Number(n).toLocaleString(lang === 'fr' ? 'fr-FR' : 'en-GB');
}

/** One sentence for one zod issue. */
export function issueSentence(issue: z.core.$ZodIssue, input: unknown, lang: Lang, routePath = ''): string {
  const path = issue.path;
  const field = fieldLabel(path, lang, routePath);
  const key = [...path].reverse().find((p): p is string => typeof p === 'string' && !/^\d+$/.test(p));
  const value = valueAt(input, path);
  const t = (k: MessageKey, vars: Record<string, string | number> = {}) => translate(lang, k, { field, ...vars });
  switch (issue.code) {
    case 'invalid_type': {
      if (value === undefined || value === null || (typeof value === 'string' && !value.trim())) return t('validation.required');
      // A number typed the way the page could not read it (« abc », « 1,234 € »): what is wanted, said so.
      if (typeof value === 'string' && key && /Cents$/.test(key))
        return t('validation.type', { expected: translate(lang, 'validation.expected.amount') });
      if (typeof value === 'string' && key && /Bp$/.test(key))
        return t('validation.type', { expected: translate(lang, 'validation.expected.percent') });
      const expected = `validation.expected.${issue.expected}`;
      return t('validation.type', {
        expected: translate(lang, has(lang, expected) ? (expected as MessageKey) : 'validation.expected.other'),
      });
    }
    case 'too_big':
      if (issue.origin === 'string')
        return t('validation.tooLong', {
          max: bound(undefined, issue.maximum, lang),
          n: typeof value === 'string' ? [...value].length : '?',
        });
      if (issue.origin === 'array' || issue.origin === 'set')
        return t('validation.tooMany', { max: bound(undefined, issue.maximum, lang) });
      return t('validation.tooBig', { max: bound(key, issue.maximum, lang) });
    case 'too_small':
      if (issue.origin === 'string')
        return Number(issue.minimum) <= 1
          ? t('validation.required')
          : t('validation.tooShort', { min: bound(undefined, issue.minimum, lang) });
      if (issue.origin === 'array' || issue.origin === 'set') return t('validation.tooFew', { min: bound(undefined, issue.minimum, lang) });
      // `positive()` is « more than 0 », not « at least 0 » (which the 0 refused would meet).
      if (issue.inclusive === false) return t('validation.moreThan', { min: bound(key, issue.minimum, lang) });
      return t('validation.tooSmall', { min: bound(key, issue.minimum, lang) });
    case 'invalid_value':
      return t('validation.choice');
    case 'unrecognized_keys':
      return translate(lang, 'validation.unexpected');
    case 'invalid_format':
      if (key === 'pin' || key === 'approvalPin') return t('validation.pin');
      return t('validation.format', { reason: stripStop(issue.message) });
    case 'custom':
      return t('validation.format', { reason: stripStop(issue.message) });
    default:
      return t('validation.invalid');
  }
}

/**
 * Zod's issues for programs (the path, zod's code and its short reason, as before) and one sentence per
 * issue for people (the error's message).
 */
export function issueProblems(
  issues: readonly z.core.$ZodIssue[],
  where: string,
  input: unknown,
  lang: Lang,
  routePath = '',
): { problems: FieldProblem[]; sentences: string[] } {
  const problems: FieldProblem[] = [];
  for (const i of issues) {
    const at = [where, ...i.path.map(String)];
    // A key the schema does not know is named itself (`body.extra`), one problem per key.
    if (i.code === 'unrecognized_keys' && i.keys.length)
      for (const k of i.keys) problems.push({ field: [...at, k].join('.'), code: i.code, reason: i.message });
    else problems.push({ field: at.join('.'), code: i.code, reason: i.message });
  }
  return { problems, sentences: issues.map((i) => issueSentence(i, input, lang, routePath)) };
}

/** A domain's own refusal ({ field: 'lines.2.quantity', reason: 'quantité nulle' }) as a sentence. */
export function problemSentence(p: FieldProblem, lang: Lang, routePath = ''): string {
  const reason = stripStop(p.reason);
  if (!p.field || p.field === 'body') return capitalise(reason) + '.';
  const path = p.field.split('.').filter((s) => s !== 'body' && s !== 'query' && s !== 'params');
  if (!path.length) return capitalise(reason) + '.';
  return translate(lang, 'validation.reason', { field: fieldLabel(path, lang, routePath), reason });
}
