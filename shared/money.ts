/**
 * Money is integer cents, rates are integer basis points (550 = 5.5 %), weights integer grams.
 * Every rounding of the project happens here: half-up, and half away from zero for negative amounts,
 * so a refund's figures are exactly the negation of the sale's.
 */
export type Cents = number & { readonly __brand: 'Cents' };
export type BasisPoints = number & { readonly __brand: 'BasisPoints' };
export type Grams = number & { readonly __brand: 'Grams' };

export function cents(n: number): Cents {
  if (!Number.isSafeInteger(n)) throw new RangeError(`not a whole number of cents: ${n}`);
  return n as Cents;
}
export function basisPoints(n: number): BasisPoints {
  if (!Number.isInteger(n) || n < 0 || n > 10_000) throw new RangeError(`not a rate in basis points: ${n}`);
  return n as BasisPoints;
}
export function grams(n: number): Grams {
  if (!Number.isSafeInteger(n)) throw new RangeError(`not a whole number of grams: ${n}`);
  return n as Grams;
}

function divRoundBig(numerator: bigint, denominator: bigint): bigint {
  const negative = numerator < 0n;
  const abs = negative ? -numerator : numerator;
  const q = (abs * 2n + denominator) / (denominator * 2n);
  return negative ? 0n - q : q;
}

/** round(numerator / denominator), half away from zero; exact for any integer numerator. */
export function divRoundHalfUp(numerator: number, denominator: number): number {
  if (!Number.isInteger(numerator) || !Number.isSafeInteger(denominator) || denominator <= 0) {
    throw new RangeError(`divRoundHalfUp(${numerator}, ${denominator})`);
  }
  if (Math.abs(numerator) <= Number.MAX_SAFE_INTEGER / 2) {
    const abs = Math.abs(numerator);
    const q = Math.floor((abs * 2 + denominator) / (denominator * 2));
    // Integer arithmetic in doubles is exact below 2^53; the check keeps 2*abs + d there.
    // `0 - q`, not `-q`: never hand out a negative zero.
    if (abs * 2 + denominator <= Number.MAX_SAFE_INTEGER) return numerator < 0 ? 0 - q : q;
  }
  return Number(divRoundBig(BigInt(numerator), BigInt(denominator)));
}

/** round(a × b / d), exact even when a × b exceeds 2^53. */
export function mulDivRoundHalfUp(a: number, b: number, d: number): number {
  const product = a * b;
  if (Number.isSafeInteger(product) && Math.abs(product) * 2 + d <= Number.MAX_SAFE_INTEGER) return divRoundHalfUp(product, d);
  return Number(divRoundBig(BigInt(a) * BigInt(b), BigInt(d)));
}

/** Price excl. VAT from a price incl. VAT (DESIGN decision 2): HT = round(TTC × 10000 / (10000 + rate)). */
export function netFromGross(gross: Cents, rate: BasisPoints): Cents {
  return mulDivRoundHalfUp(gross, 10_000, 10_000 + rate) as Cents;
}

export function splitGross(gross: Cents, rate: BasisPoints): { gross: Cents; net: Cents; vat: Cents } {
  const net = netFromGross(gross, rate);
  return { gross, net, vat: (gross - net) as Cents };
}

/** A weighed line: round(price per kg × grams / 1000). */
export function weighedPrice(pricePerKg: Cents, g: Grams): Cents {
  return mulDivRoundHalfUp(pricePerKg, g, 1000) as Cents;
}

/** round(amount × rate / 10000): a commission, or a percentage discount. */
export function percentOf(amount: Cents, rate: BasisPoints): Cents {
  return mulDivRoundHalfUp(amount, rate, 10_000) as Cents;
}

export function sumCents(xs: readonly Cents[]): Cents {
  let s = 0;
  for (const x of xs) s += x;
  return cents(s);
}

/**
 * Largest-remainder split of `total` over integer weights: parts sum to `total` exactly, each is the floor
 * or the ceiling of its exact share; ties go to the earliest index. All-zero weights split evenly.
 */
export function allocate(total: Cents, weights: readonly number[]): Cents[] {
  if (weights.length === 0) {
    if (total !== 0) throw new RangeError('cannot allocate a non-zero total over nothing');
    return [];
  }
  if (weights.some((w) => !Number.isSafeInteger(w) || w < 0)) throw new RangeError('weights must be non-negative integers');
  const sign = total < 0 ? -1 : 1;
  const amount = BigInt(Math.abs(total));
  let ws = weights.map((w) => BigInt(w));
  let sum = ws.reduce((a, b) => a + b, 0n);
  if (sum === 0n) {
    ws = weights.map(() => 1n);
    sum = BigInt(weights.length);
  }
  const floors = ws.map((w) => (amount * w) / sum);
  const remainders = ws.map((w, i) => ({ i, r: (amount * w) % sum }));
  let left = amount - floors.reduce((a, b) => a + b, 0n);
  remainders.sort((a, b) => (a.r === b.r ? a.i - b.i : a.r > b.r ? -1 : 1));
  for (const { i } of remainders) {
    if (left === 0n) break;
    floors[i]! += 1n;
    left -= 1n;
  }
  return floors.map((f) => (sign < 0 ? 0 - Number(f) : Number(f)) as Cents);
}

/**
 * Spreads a ticket discount over its lines in proportion to their amounts, so every producer's share and
 * every VAT base stays exact. Refund lines (negative) get parts of their own sign.
 */
export function spreadDiscount(lineAmounts: readonly Cents[], discount: Cents): Cents[] {
  if (discount < 0) throw new RangeError('a discount is not negative');
  const weights = lineAmounts.map((a) => Math.abs(a));
  if (discount > weights.reduce((a, b) => a + b, 0)) throw new RangeError('discount larger than the ticket');
  if (discount === 0) return lineAmounts.map(() => 0 as Cents);
  return allocate(discount, weights).map((part, i) => ((lineAmounts[i]! < 0 ? 0 - part : part) as Cents));
}

export interface VatLine {
  gross: Cents;
  vatRate: BasisPoints;
}
export interface VatRow {
  vatRate: BasisPoints;
  gross: Cents;
  net: Cents;
  vat: Cents;
}

/** VAT per rate, computed on the sum of that rate's lines (not line by line), rows by ascending rate. */
export function vatBreakdown(lines: readonly VatLine[]): VatRow[] {
  const byRate = new Map<number, number>();
  for (const l of lines) byRate.set(l.vatRate, (byRate.get(l.vatRate) ?? 0) + l.gross);
  return [...byRate.entries()]
    .sort(([a], [b]) => a - b)
    .map(([rate, gross]) => {
      const split = splitGross(cents(gross), rate as BasisPoints);
      return { vatRate: rate as BasisPoints, ...split };
    });
}

/**
 * An amount as typed in a form or a French spreadsheet: "3,50", "3.5", "1 234,56", "12,00 €", "-2,5".
 * At most two decimals; anything else is null.
 */
export function parseEuros(text: string): Cents | null {
  const t = text.replace(/[\s\u00a0\u202f]/g, '').replace(/€|EUR/gi, '');
  const m = /^(-?)(\d{1,9})(?:[.,](\d{1,2}))?$/.exec(t);
  if (!m) return null;
  const value = Number(m[2]) * 100 + Number((m[3] ?? '').padEnd(2, '0'));
  return cents(m[1] === '-' ? -value : value);
}

export function formatEuros(amount: Cents | number, locale = 'fr-FR'): string {
  return new Intl.NumberFormat(locale, { style: 'currency', currency: 'EUR' }).format(amount / 100);
}

export function formatRate(rate: BasisPoints | number, locale = 'fr-FR'): string {
  return new Intl.NumberFormat(locale, { style: 'percent', maximumFractionDigits: 2 }).format(rate / 10_000);
}
