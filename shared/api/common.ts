import { z } from 'zod';

/** Integer cents; the API never carries euros as floats. */
export const centsSchema = z.number().int().min(-1_000_000_000).max(1_000_000_000);
export const nonNegativeCents = z.number().int().min(0).max(1_000_000_000);
/** VAT and commission rates in basis points (550 = 5.5 %). */
export const basisPointsSchema = z.number().int().min(0).max(10_000);
export const idSchema = z.number().int().positive();
export const roleSchema = z.enum(['admin', 'manager', 'cashier', 'waiter', 'producer']);
export const unitSchema = z.enum(['piece', 'kg']);
/**
 * The building's counters (issue 22): the producers' shop, the restaurant, the épicerie solidaire, the textile
 * shop and the ressourcerie, each with its own tills, numbering, chain and Z.
 */
export const OUTLET_CODES = ['shop', 'restaurant', 'epicerie', 'textile', 'ressourcerie'] as const;
export type OutletCodeValue = (typeof OUTLET_CODES)[number];
export const OUTLET_NAMES: Record<OutletCodeValue, string> = {
  shop: 'Boutique',
  restaurant: 'Restaurant',
  epicerie: 'Épicerie solidaire',
  textile: 'Boutique textile',
  ressourcerie: 'Ressourcerie',
};
export const outletCodeSchema = z.enum(OUTLET_CODES);
/** The site a network manager works at, as a site id (server/sites): sent by the back office with every call. */
export const SITE_HEADER = 'Comptoir-Site';
/**
 * The same choice as a cookie, for what a page opens without a script (a PDF or CSV link): the header wins
 * when both are there, and a manager tied to a site is never moved by it.
 */
export const SITE_COOKIE = 'comptoir_site';
/** Réel (collects VAT), franchise en base (art. 293 B CGI), agricultural flat rate (art. 298 quater CGI). */
export const vatStatusSchema = z.enum(['subject', 'franchise', 'flat_rate']);
/** A day of the calendar (AAAA-MM-JJ, one that exists), in the years a shop's books can hold. */
export const isoDate = z.iso
  .date({ message: 'date attendue au format AAAA-MM-JJ' })
  .refine((d) => d >= '2000-01-01' && d <= '2199-12-31', 'date entre 2000 et 2199 attendue');

/**
 * A whole number in a path or a query string, written in digits (an optional minus sign, up to 15 digits):
 * « 1e400 » (Infinity once read as a number), « 0x10 », « 1.5 », « 12abc » or an empty value are refused with
 * one reason a person understands. Numbers given as numbers (a client's own call) pass as they are.
 */
export const urlInt = (bound: (n: z.ZodNumber) => z.ZodNumber = (n) => n) =>
  z.preprocess(
    (v) => (typeof v === 'string' ? (/^-?\d{1,15}$/.test(v) ? Number(v) : Number.NaN) : v),
    // Only what is not a whole number gets this reason: a bound (at least 1…) keeps its own.
    bound(z.number({ error: (issue) => (issue.code === 'invalid_type' ? WHOLE : undefined) }).int({ error: WHOLE })),
  );
const WHOLE = 'nombre entier écrit en chiffres attendu';

/** `?active=true|false|all` style booleans in query strings. */
export const queryFlag = z.enum(['true', 'false', '1', '0']).transform((v) => v === 'true' || v === '1');

export const pageQuery = {
  limit: urlInt((n) => n.min(1).max(500)).default(100),
  offset: urlInt((n) => n.min(0).max(1_000_000)).default(0),
};

/**
 * Control characters (NUL, BEL, ESC… but tab and line breaks), the bidirectional overrides and isolates
 * (U+202A–U+202E, U+2066–U+2069: « Ail \u202Egpj.exe » reads « Ail exe.jpg ») and lone surrogates: nothing a
 * person types into a name, and each breaks or spoofs a receipt, a CSV or a PDF.
 */
// eslint-disable-next-line no-control-regex -- finding control characters is the point
const UNPRINTABLE =
  /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F\u202A-\u202E\u2066-\u2069]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;
export const printable = (s: string) => !UNPRINTABLE.test(s);

export const UNPRINTABLE_REASON = 'caractère de contrôle ou d’inversion du sens d’écriture interdit';

export const trimmed = (min: number, max: number) => z.string().trim().min(min).max(max).refine(printable, UNPRINTABLE_REASON);

/** SIRET: 14 digits with a Luhn check (INSEE); La Poste's establishments are the documented exception. */
export function isValidSiret(siret: string): boolean {
  if (!/^\d{14}$/.test(siret)) return false;
  if (siret.startsWith('356000000')) {
    return [...siret].reduce((s, d) => s + Number(d), 0) % 5 === 0;
  }
  let sum = 0;
  for (let i = 0; i < 14; i++) {
    let d = Number(siret[13 - i]);
    if (i % 2 === 1) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
  }
  return sum % 10 === 0;
}

export const siretSchema = z
  .string()
  .transform((s) => s.replace(/\s+/g, ''))
  .refine(isValidSiret, 'SIRET invalide : 14 chiffres avec une clé de contrôle correcte');

export const errorSchema = z.object({
  error: z.object({
    code: z.string(),
    message: z.string(),
    fields: z.array(z.object({ field: z.string(), code: z.string().optional(), reason: z.string() })),
  }),
});

/** The courses a dish is sent in; the kitchen prepares a later course when the waiter asks for it (Suite). */
export const courseSchema = z.enum(['drink', 'starter', 'main', 'dessert']);

/**
 * The fields of a create body for its update: the same rules, none filled with its default. zod applies a
 * default even to a field made optional, so an update built as `create.partial()` would write, for every field
 * its request leaves out, that default over what is stored.
 */
export function withoutDefaults<S extends Record<string, z.ZodType>>(
  shape: S,
): { [K in keyof S]: S[K] extends z.ZodDefault<infer I> ? I : S[K] } {
  const out: Record<string, z.ZodType> = {};
  for (const [key, field] of Object.entries(shape)) out[key] = field instanceof z.ZodDefault ? (field.removeDefault() as z.ZodType) : field;
  return out as { [K in keyof S]: S[K] extends z.ZodDefault<infer I> ? I : S[K] };
}
