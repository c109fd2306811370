import { cents, grams, type Cents, type Grams } from './money.ts';

/** GS1 mod-10 check digit of a digits-only body: weights 3, 1, 3, 1… from the right. */
export function gtinCheckDigit(body: string): number {
  if (!/^\d+$/.test(body)) throw new RangeError(`not digits: ${body}`);
  let sum = 0;
  for (let i = 0; i < body.length; i++) {
    const digit = body.charCodeAt(body.length - 1 - i) - 48;
    sum += i % 2 === 0 ? digit * 3 : digit;
  }
  return (10 - (sum % 10)) % 10;
}

/** EAN-8, UPC-A (12), EAN-13 or GTIN-14 with a correct check digit. */
export function isValidGtin(code: string): boolean {
  if (!/^(\d{8}|\d{12,14})$/.test(code)) return false;
  return gtinCheckDigit(code.slice(0, -1)) === Number(code[code.length - 1]);
}

/** A UPC-A is the EAN-13 with a leading zero: store one form so both scans find the product. */
export function normalizeGtin(code: string): string {
  const c = code.trim();
  return /^\d{12}$/.test(c) ? `0${c}` : c;
}

/**
 * Restricted-circulation EAN-13 (prefixes 20–29) printed by scales: prefix, item code (PLU), an optional
 * skipped price-verifier digit, the value (price in cents or weight in grams), the check digit.
 */
export interface InStoreLayout {
  prefix: string;
  kind: 'price' | 'weight';
  itemDigits: number;
  valueDigits: number;
  skipDigits?: 0 | 1 | undefined;
}

// 20 is left to the shop's own plain codes (looked up whole), as most French scale set-ups do.
export const defaultInStoreLayouts: InStoreLayout[] = [
  { prefix: '21', kind: 'price', itemDigits: 5, valueDigits: 5 },
  { prefix: '22', kind: 'weight', itemDigits: 5, valueDigits: 5 },
  { prefix: '23', kind: 'price', itemDigits: 5, valueDigits: 5 },
  { prefix: '24', kind: 'weight', itemDigits: 5, valueDigits: 5 },
];

export function checkLayouts(layouts: readonly InStoreLayout[]): string[] {
  const problems: string[] = [];
  const seen = new Set<string>();
  for (const l of layouts) {
    if (!/^2\d$/.test(l.prefix)) problems.push(`préfixe ${l.prefix} : attendu de 20 à 29`);
    if (seen.has(l.prefix)) problems.push(`préfixe ${l.prefix} en double`);
    seen.add(l.prefix);
    if (l.itemDigits + (l.skipDigits ?? 0) + l.valueDigits !== 10) {
      problems.push(`préfixe ${l.prefix} : code article + chiffre de contrôle du prix + valeur doivent faire 10 chiffres`);
    }
  }
  return problems;
}

export type DecodedBarcode =
  | { type: 'gtin'; code: string }
  | { type: 'in-store'; code: string; prefix: string; kind: 'price'; itemCode: string; priceCents: Cents }
  | { type: 'in-store'; code: string; prefix: string; kind: 'weight'; itemCode: string; grams: Grams }
  | { type: 'other'; code: string }
  | { type: 'invalid'; code: string; reason: 'check-digit' };

export function decodeBarcode(raw: string, layouts: readonly InStoreLayout[]): DecodedBarcode {
  const code = raw.trim();
  if (!/^(\d{8}|\d{12,14})$/.test(code)) return { type: 'other', code };
  if (!isValidGtin(code)) return { type: 'invalid', code, reason: 'check-digit' };
  if (code.length === 13) {
    const layout = layouts.find((l) => code.startsWith(l.prefix));
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

/** A scale label's code for an item and a value (cents or grams): for labels, tests and the demo. */
export function encodeInStore(layout: InStoreLayout, itemCode: string | number, value: number): string {
  const item = String(itemCode).padStart(layout.itemDigits, '0');
  const val = String(value).padStart(layout.valueDigits, '0');
  if (item.length !== layout.itemDigits || !/^\d+$/.test(item)) throw new RangeError(`item code ${itemCode} does not fit ${layout.itemDigits} digits`);
  if (!Number.isInteger(value) || value < 0 || val.length !== layout.valueDigits) throw new RangeError(`value ${value} does not fit ${layout.valueDigits} digits`);
  const body = layout.prefix + item + '0'.repeat(layout.skipDigits ?? 0) + val;
  return body + gtinCheckDigit(body);
}

/** The shop's own EAN-13 for a product without a manufacturer code: prefix 20 + a counter. */
export function makeInternalEan13(counter: number): string {
  const body = `20${String(counter).padStart(10, '0')}`;
  if (body.length !== 12) throw new RangeError(`counter ${counter} too large`);
  return body + gtinCheckDigit(body);
}
