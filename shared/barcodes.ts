import { cents, grams, type Cents, type Grams } from './money.ts';

/** GS1 mod-10 check digit of a digits-only body: weights 3, 1, 3, 1… from the right (GS1 General Specifications 7.9). */
export function gtinCheckDigit(body: string): number {
  if (!/^\d+$/.test(body)) throw new RangeError(`a check digit needs a digits-only body, got "${body}"`);
  let sum = 0;
  for (let i = 0; i < body.length; i++) {
    const digit = body.charCodeAt(body.length - 1 - i) - 48;
    sum += i % 2 === 0 ? digit * 3 : digit;
  }
  return (10 - (sum % 10)) % 10;
}

const GTIN_SHAPE = /^(?:\d{8}|\d{12,14})$/;

/** EAN-8, UPC-A (12), EAN-13 or GTIN-14 with a correct check digit. Not trimmed: a stored code is exact. */
export function isValidGtin(code: string): boolean {
  if (!GTIN_SHAPE.test(code)) return false;
  return gtinCheckDigit(code.slice(0, -1)) === code.charCodeAt(code.length - 1) - 48;
}

/**
 * A UPC-A is the EAN-13 with a leading zero, and scanners send either form depending on their settings:
 * one stored form lets both scans find the product.
 */
export function normalizeGtin(code: string): string {
  const c = code.trim();
  return /^\d{12}$/.test(c) ? `0${c}` : c;
}

/**
 * Restricted-circulation EAN-13 (GS1 prefixes 20–29) printed by shop scales: a 2-digit prefix, the item
 * code (PLU), an optional price-verifier digit some scales print (skipped, not verified: its algorithm
 * varies by brand), the value (price in cents or weight in grams), then the EAN-13 check digit.
 */
export interface InStoreLayout {
  prefix: string;
  kind: 'price' | 'weight';
  itemDigits: number;
  valueDigits: number;
  /** 1 when the scale puts a price-verifier digit between the item code and the value. */
  skipDigits?: 0 | 1 | undefined;
}

// 20 is left to the shop's own plain codes (makeInternalEan13), looked up whole like any GTIN.
export const defaultInStoreLayouts: InStoreLayout[] = [
  { prefix: '21', kind: 'price', itemDigits: 5, valueDigits: 5 },
  { prefix: '22', kind: 'weight', itemDigits: 5, valueDigits: 5 },
  { prefix: '23', kind: 'price', itemDigits: 5, valueDigits: 5 },
  { prefix: '24', kind: 'weight', itemDigits: 5, valueDigits: 5 },
];

/** Problems of one layout on its own, in French: they are shown to the manager who set the scales up. */
function layoutProblems(l: InStoreLayout): string[] {
  const problems: string[] = [];
  const name = `préfixe ${String(l.prefix)}`;
  if (typeof l.prefix !== 'string' || !/^2\d$/.test(l.prefix)) problems.push(`${name} : attendu un préfixe de 20 à 29`);
  if (l.kind !== 'price' && l.kind !== 'weight') problems.push(`${name} : le type doit être « prix » ou « poids »`);
  const skip = l.skipDigits ?? 0;
  if (skip !== 0 && skip !== 1) problems.push(`${name} : le chiffre de contrôle du prix est présent (1) ou absent (0)`);
  if (!Number.isInteger(l.itemDigits) || l.itemDigits < 1) problems.push(`${name} : le code article doit avoir au moins 1 chiffre`);
  if (!Number.isInteger(l.valueDigits) || l.valueDigits < 1) problems.push(`${name} : la valeur doit avoir au moins 1 chiffre`);
  if (l.itemDigits + skip + l.valueDigits !== 10) {
    problems.push(
      `${name} : code article (${l.itemDigits}) + valeur (${l.valueDigits}) doivent faire ${10 - skip} chiffres` +
        (skip === 1 ? ' (9 avec le chiffre de contrôle du prix)' : ''),
    );
  }
  return problems;
}

/** Human-readable problems of a scale configuration (duplicates, prefixes, digit counts); [] when it works. */
export function checkLayouts(layouts: readonly InStoreLayout[]): string[] {
  const problems: string[] = [];
  const seen = new Set<string>();
  for (const l of layouts) {
    problems.push(...layoutProblems(l));
    if (seen.has(l.prefix)) problems.push(`préfixe ${l.prefix} en double`);
    seen.add(l.prefix);
  }
  return problems;
}

export type DecodedBarcode =
  | { type: 'gtin'; code: string }
  | { type: 'in-store'; code: string; prefix: string; kind: 'price'; itemCode: string; priceCents: Cents }
  | { type: 'in-store'; code: string; prefix: string; kind: 'weight'; itemCode: string; grams: Grams }
  | { type: 'other'; code: string }
  | { type: 'invalid'; code: string; reason: 'check-digit' };

/**
 * What a scan means. Scale labels are recognised by their prefix only after the check digit passes, so a
 * misread label is refused rather than rung at a wrong price. A layout that checkLayouts would reject is
 * ignored, never half-applied.
 */
export function decodeBarcode(raw: string, layouts: readonly InStoreLayout[]): DecodedBarcode {
  const code = raw.trim();
  if (!GTIN_SHAPE.test(code)) return { type: 'other', code };
  if (!isValidGtin(code)) return { type: 'invalid', code, reason: 'check-digit' };
  if (code.length === 13) {
    const layout = layouts.find((l) => code.startsWith(l.prefix) && layoutProblems(l).length === 0);
    if (layout) {
      const itemStart = layout.prefix.length;
      const itemCode = code.slice(itemStart, itemStart + layout.itemDigits);
      const valueStart = itemStart + layout.itemDigits + (layout.skipDigits ?? 0);
      const value = Number(code.slice(valueStart, valueStart + layout.valueDigits));
      return layout.kind === 'price'
        ? { type: 'in-store', code, prefix: layout.prefix, kind: 'price', itemCode, priceCents: cents(value) }
        : { type: 'in-store', code, prefix: layout.prefix, kind: 'weight', itemCode, grams: grams(value) };
    }
  }
  return { type: 'gtin', code: normalizeGtin(code) };
}

/**
 * A scale label's code for an item and a value (cents or grams): for printed labels, tests and the demo.
 * The price-verifier position, when the layout has one, is written as 0 (decoding never reads it).
 */
export function encodeInStore(layout: InStoreLayout, itemCode: string | number, value: number): string {
  const problems = layoutProblems(layout);
  if (problems.length) throw new RangeError(`unusable layout: ${problems.join('; ')}`);
  const item = String(itemCode).padStart(layout.itemDigits, '0');
  if (!/^\d+$/.test(item) || item.length !== layout.itemDigits)
    throw new RangeError(`item code ${itemCode} does not fit ${layout.itemDigits} digits`);
  const val = String(value).padStart(layout.valueDigits, '0');
  if (!Number.isSafeInteger(value) || value < 0 || val.length !== layout.valueDigits)
    throw new RangeError(`value ${value} does not fit ${layout.valueDigits} digits`);
  const body = layout.prefix + item + '0'.repeat(layout.skipDigits ?? 0) + val;
  return body + gtinCheckDigit(body);
}

/** The shop's own EAN-13 for a product without a manufacturer code: prefix 20 + a 10-digit counter. */
export function makeInternalEan13(counter: number): string {
  if (!Number.isSafeInteger(counter) || counter < 0 || counter > 9_999_999_999)
    throw new RangeError(`internal code counter out of range: ${counter}`);
  const body = `20${String(counter).padStart(10, '0')}`;
  return body + gtinCheckDigit(body);
}
