/**
 * Money is integer cents, rates are integer basis points (550 = 5.5 %), weights integer grams.
 * Every rounding of the project happens here: half-up, and half away from zero for negative amounts,
 * so a refund's figures are exactly the negation of the sale's (DESIGN decision 1).
 * Pure and dependency-free: the till computes exactly what the server checks.
 */
export type Cents = number & { readonly __brand: 'Cents' };
export type BasisPoints = number & { readonly __brand: 'BasisPoints' };
export type Grams = number & { readonly __brand: 'Grams' };

export const ZERO = 0 as Cents;

export function cents(n: number): Cents {
  if (!Number.isSafeInteger(n)) throw new RangeError(`not a whole number of cents: ${n}`);
  // -0 would survive every sum and print as "-0,00 €" on a receipt.
  return (n === 0 ? 0 : n) as Cents;
}

export function basisPoints(n: number): BasisPoints {
  if (!Number.isInteger(n) || n < 0 || n > 10_000) throw new RangeError(`not a rate in basis points (0 to 10000): ${n}`);
  return (n === 0 ? 0 : n) as BasisPoints;
}

export function grams(n: number): Grams {
  if (!Number.isSafeInteger(n)) throw new RangeError(`not a whole number of grams: ${n}`);
  return (n === 0 ? 0 : n) as Grams;
}

function divRoundBig(numerator: bigint, denominator: bigint): bigint {
  const negative = numerator < 0n;
  const abs = negative ? -numerator : numerator;
  const q = abs / denominator;
  const r = abs % denominator;
  const rounded = r * 2n >= denominator ? q + 1n : q;
  return negative ? -rounded : rounded;
}

function checkDenominator(denominator: number, where: string): void {
  if (!Number.isSafeInteger(denominator) || denominator <= 0)
    throw new RangeError(`${where}: denominator must be a positive integer, got ${denominator}`);
}

/**
 * round(numerator / denominator), half away from zero. Exact for any integer numerator, including
 * doubles beyond 2^53 (the value the double holds is divided exactly). The result is exact whenever it
 * is itself a safe integer.
 */
export function divRoundHalfUp(numerator: number, denominator: number): number {
  if (!Number.isInteger(numerator)) throw new RangeError(`divRoundHalfUp: numerator must be an integer, got ${numerator}`);
  checkDenominator(denominator, 'divRoundHalfUp');
  if (!Number.isSafeInteger(numerator)) return toNumber(divRoundBig(BigInt(numerator), BigInt(denominator)));
  const abs = Math.abs(numerator);
  // `%` on doubles is exact, and (abs - r) is a multiple of d, so the division below is exact too;
  // 2r < 2d <= 2^54 is a doubling, which is exact in binary. No float quotient is ever floored.
  const r = abs % denominator;
  const q = (abs - r) / denominator + (r * 2 >= denominator ? 1 : 0);
  return numerator < 0 ? -q || 0 : q;
}

/** round(a × b / d), half away from zero; exact even when a × b exceeds 2^53. */
export function mulDivRoundHalfUp(a: number, b: number, d: number): number {
  if (!Number.isInteger(a) || !Number.isInteger(b)) throw new RangeError(`mulDivRoundHalfUp: factors must be integers, got ${a} and ${b}`);
  checkDenominator(d, 'mulDivRoundHalfUp');
  const product = a * b;
  // A double product that is a safe integer is the exact product; anything larger may have lost digits.
  if (Number.isSafeInteger(product)) return divRoundHalfUp(product, d);
  return toNumber(divRoundBig(BigInt(a) * BigInt(b), BigInt(d)));
}

function toNumber(n: bigint): number {
  return n === 0n ? 0 : Number(n);
}

/** Price excl. VAT from a price incl. VAT (DESIGN decision 2): HT = round(TTC × 10000 / (10000 + rate)). */
export function netFromGross(gross: Cents, rate: BasisPoints): Cents {
  return cents(mulDivRoundHalfUp(gross, 10_000, 10_000 + basisPoints(rate)));
}

/** TVA = TTC − HT, so the three figures on a receipt always add up. */
export function splitGross(gross: Cents, rate: BasisPoints): { gross: Cents; net: Cents; vat: Cents } {
  const net = netFromGross(gross, rate);
  return { gross: cents(gross), net, vat: cents(gross - net) };
}

/** A weighed line: round(price per kg × grams / 1000). */
export function weighedPrice(pricePerKg: Cents, g: Grams): Cents {
  return cents(mulDivRoundHalfUp(pricePerKg, g, 1000));
}

/** round(amount × rate / 10000): a commission, or a percentage discount. */
/**
 * The unit price the law asks beside a prepacked piece's price: per kilogram for a net weight, per litre
 * for a volume (500 g at 9,50 € → 19,00 € le kg; 75 cl at 5,90 € → 7,87 € le litre).
 */
export function unitPricePer1000(price: Cents, netQuantity: number): Cents {
  return divRoundHalfUp(price * 1000, netQuantity) as Cents;
}

export function percentOf(amount: Cents, rate: BasisPoints): Cents {
  return cents(mulDivRoundHalfUp(amount, basisPoints(rate), 10_000));
}

export function sumCents(xs: readonly Cents[]): Cents {
  let s = 0;
  // Checked at every step: a sum that leaves the safe range and comes back would be silently wrong.
  for (const x of xs) s = cents(s + cents(x));
  return cents(s);
}

/**
 * Largest-remainder split of `total` over non-negative integer weights: the parts sum to `total` exactly,
 * each is the floor or the ceiling of its exact share, ties go to the earliest index; a negative total is
 * the mirror image of the positive one. All-zero weights split as evenly as possible.
 */
export function allocate(total: Cents, weights: readonly number[]): Cents[] {
  cents(total);
  if (weights.length === 0) {
    if (total !== 0) throw new RangeError(`cannot allocate ${total} cents over no weights`);
    return [];
  }
  for (const w of weights) {
    if (!Number.isSafeInteger(w) || w < 0) throw new RangeError(`weights must be non-negative integers, got ${w}`);
  }
  // Nothing to share (a ticket without a discount, priced at every scan): no big-integer arithmetic.
  if (total === 0) return weights.map(() => 0 as Cents);
  const negative = total < 0;
  const amount = BigInt(Math.abs(total));
  // BigInt: amount × weight easily exceeds 2^53 (a ticket total times a line amount in cents).
  let ws = weights.map((w) => BigInt(w));
  let sum = ws.reduce((a, b) => a + b, 0n);
  if (sum === 0n) {
    ws = weights.map(() => 1n);
    sum = BigInt(weights.length);
  }
  const parts = ws.map((w) => (amount * w) / sum);
  const order = ws.map((w, i) => ({ i, r: (amount * w) % sum }));
  order.sort((a, b) => (a.r === b.r ? a.i - b.i : a.r > b.r ? -1 : 1));
  // What is left is below the number of weights, so each index gets at most one extra cent.
  let left = amount - parts.reduce((a, b) => a + b, 0n);
  for (const { i } of order) {
    if (left === 0n) break;
    parts[i] = parts[i]! + 1n;
    left -= 1n;
  }
  return parts.map((p) => cents(negative ? -toNumber(p) || 0 : toNumber(p)));
}

/**
 * Spreads a ticket discount (>= 0) over its lines in proportion to their absolute amounts, so every
 * producer's share and every VAT base stays exact (DESIGN decision 2). Each part carries the sign of its
 * line: it is what that line's amount moves towards zero. A part never exceeds its line's absolute amount
 * (a floor or ceiling of discount × |line| / Σ|lines| with discount <= Σ|lines|).
 */
export function spreadDiscount(lineAmounts: readonly Cents[], discount: Cents): Cents[] {
  cents(discount);
  if (discount < 0) throw new RangeError(`a discount is not negative: ${discount}`);
  const weights = lineAmounts.map((a) => Math.abs(cents(a)));
  const available = weights.reduce((a, b) => a + b, 0);
  if (discount > available) throw new RangeError(`discount of ${discount} cents exceeds the ${available} cents it applies to`);
  return allocate(discount, weights).map((part, i) => cents(lineAmounts[i]! < 0 ? -part : part));
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

/**
 * VAT per rate computed on the sum of that rate's lines, not line by line (DESIGN decision 2); rows by
 * ascending rate. A rate whose lines cancel out still gets its (zero) row: the receipt and the Z show it.
 */
export function vatBreakdown(lines: readonly VatLine[]): VatRow[] {
  const byRate = new Map<BasisPoints, Cents>();
  for (const l of lines) {
    const rate = basisPoints(l.vatRate);
    byRate.set(rate, cents((byRate.get(rate) ?? 0) + cents(l.gross)));
  }
  return [...byRate.entries()].sort(([a], [b]) => a - b).map(([vatRate, gross]) => ({ vatRate, ...splitGross(gross, vatRate) }));
}

// Sign, optional euro sign before, the whole part (plain, or grouped by thousands with the spaces French
// typing and Intl's fr-FR output use), at most two decimals after "," or ".", optional "€"/"EUR" after.
const EUROS = /^([-+]?)\s*(€?)\s*([-+]?)(\d{1,3}(?:[ \u00a0\u202f]\d{3})+|\d+)?(?:[.,](\d{1,2}))?\s*(€|eur)?$/i;

/**
 * An amount as typed in a form or a spreadsheet: "3,50", "3.5", "1 234,56", "12,00 €", "€12.00", "-2,5",
 * ",5" (50 cents: unambiguous, and what a numeric keypad produces). Null for anything else, including
 * "12," (unfinished), three decimals, exponents and commas as thousands separators ("1,234" could be
 * 1,23 € mistyped in French or 1 234 € in English: we refuse to guess).
 */
export function parseEuros(text: string): Cents | null {
  const m = EUROS.exec(text.trim().replace(/\u2212/g, '-'));
  if (!m) return null;
  const [, signBefore = '', euroBefore = '', signAfter = '', whole, decimals, euroAfter] = m;
  if (signBefore && signAfter) return null;
  if (euroBefore && euroAfter) return null;
  if (whole === undefined && decimals === undefined) return null;
  const value = BigInt((whole ?? '0').replace(/\D/g, '')) * 100n + BigInt((decimals ?? '').padEnd(2, '0'));
  if (value > BigInt(Number.MAX_SAFE_INTEGER)) return null;
  const n = Number(value);
  return cents((signBefore || signAfter) === '-' ? -n : n);
}

/**
 * A weight as typed at the till's scale dialog, cleaned as it is typed: grams (« 350 »), or kilograms when it
 * holds a decimal comma or point (« 0,35 », « 1.2 »: as a scale and a price per kg say it). The comma used to
 * be dropped, « 0,35 » selling 35 g at a tenth of the price (found by a newcomer's walk).
 * `text`: what the field keeps (digits, one separator, at most three decimals); `grams`: 0 when none.
 */
export function typedWeight(raw: string): { text: string; grams: number } {
  const kept = raw.replace(/[^\d.,]/g, '');
  const sep = kept.search(/[.,]/);
  if (sep < 0) {
    const text = kept.replace(/^0+(?=\d)/, '').slice(0, 6);
    return { text, grams: Number(text || 0) };
  }
  const whole = kept
    .slice(0, sep)
    .replace(/^0+(?=\d)/, '')
    .slice(0, 3);
  const decimals = kept
    .slice(sep + 1)
    .replace(/[.,]/g, '')
    .slice(0, 3);
  const text = `${whole || '0'}${kept[sep]}${decimals}`;
  return { text, grams: Number(whole || 0) * 1000 + Number(decimals.padEnd(3, '0')) };
}

/** Cents as an exact decimal string: Intl formats it without a float ever holding euros. */
function centsToDecimal(amount: number): `${number}` {
  const abs = Math.abs(amount);
  const frac = abs % 100;
  return `${amount < 0 ? '-' : ''}${(abs - frac) / 100}.${String(frac).padStart(2, '0')}` as `${number}`;
}

// Building an Intl.NumberFormat costs far more than formatting with it: one per locale, kept.
const euroFormats = new Map<string, Intl.NumberFormat>();

export function formatEuros(amount: Cents, locale = 'fr-FR'): string {
  let f = euroFormats.get(locale);
  if (!f) euroFormats.set(locale, (f = new Intl.NumberFormat(locale, { style: 'currency', currency: 'EUR' })));
  return f.format(centsToDecimal(cents(amount)));
}

/**
 * The same text as `formatEuros` for the till's two languages (`fr-FR`, `en-GB`), written without Intl: a
 * scan's running total is a new amount every time, and Intl's formatting was a tenth of the scan's own work
 * on a tablet. Proven equal to Intl over the whole range of amounts in `money.test.ts`.
 */
export function writeEuros(amount: Cents, lang: 'fr' | 'en'): string {
  const c = cents(amount);
  const abs = Math.abs(c);
  const frac = abs % 100;
  let whole = String((abs - frac) / 100);
  if (whole.length > 3) whole = whole.replace(/\B(?=(\d{3})+$)/g, lang === 'fr' ? '\u202f' : ',');
  const decimals = frac < 10 ? `0${frac}` : String(frac);
  const sign = c < 0 ? '-' : '';
  return lang === 'fr' ? `${sign}${whole},${decimals}\u00a0€` : `${sign}€${whole}.${decimals}`;
}

const rateFormats = new Map<string, Intl.NumberFormat>();

/** 550 -> "5,5 %" in fr-FR. */
export function formatRate(rate: BasisPoints, locale = 'fr-FR'): string {
  const r = basisPoints(rate);
  const fraction = r === 10_000 ? '1' : `0.${String(r).padStart(4, '0')}`;
  let f = rateFormats.get(locale);
  if (!f) rateFormats.set(locale, (f = new Intl.NumberFormat(locale, { style: 'percent', maximumFractionDigits: 2 })));
  return f.format(fraction as `${number}`);
}
