/**
 * A restaurant bill paid in shares (N equal parts, or a custom amount): how much a part is, how it spreads
 * over the order's lines, and its VAT per rate. Pure, so the till shows exactly what the server records.
 *
 * The rules, each written once here:
 * 1. Equal parts: part k of N pays ceil(left / (N − k + 1)) of what is left when it is paid, so the first
 *    parts take the odd cents (10,00 € in 3: 3,34 + 3,33 + 3,33) and the last part takes exactly what is left.
 * 2. A part spreads over VAT rates in proportion to what is left at each rate, then within a rate over its
 *    lines in proportion to what is left of each line: largest remainder at both levels (shared/money
 *    `allocate`, ties to the lower rate, then to the earlier line). A part that pays all that is left pays
 *    every line exactly what is left of it.
 * 3. VAT by cumulative rounding: a part's excl.-VAT amount at a rate is HT(all the parts so far at that
 *    rate) − HT(the parts before it), HT being DESIGN decision 2's round(TTC × 10000 / (10000 + rate)). The
 *    parts' HT and VAT per rate therefore add up exactly to what one ticket for everything paid in parts
 *    shows, and each part is within a cent of its own rounding.
 */
import { allocate, cents, netFromGross, type BasisPoints, type Cents, type VatRow } from './money.ts';

/** Part `index` (1-based) of `parts` equal parts of what is left. */
export function equalPart(leftCents: number, parts: number, index: number): Cents {
  if (!Number.isInteger(parts) || !Number.isInteger(index) || index < 1 || index > parts)
    throw new RangeError(`part ${index} of ${parts}: not a part`);
  const remaining = parts - index + 1;
  return cents(Math.ceil(cents(leftCents) / remaining));
}

export interface LineLeft {
  /** What is left to pay of the line (cents, ≥ 0). */
  leftCents: number;
  vatRateBp: number;
}

/** Spreads a part over the lines (rule 2): one amount per line, in the lines' order, adding up to `amount`. */
export function spreadPart(lines: readonly LineLeft[], amountCents: number): Cents[] {
  const left = lines.reduce((s, l) => s + l.leftCents, 0);
  if (amountCents < 0 || amountCents > left) throw new RangeError(`a part of ${amountCents} cents out of ${left} left`);
  const rates = [...new Set(lines.map((l) => l.vatRateBp))].sort((a, b) => a - b);
  const leftByRate = rates.map((r) => lines.filter((l) => l.vatRateBp === r).reduce((s, l) => s + l.leftCents, 0));
  const byRate = allocate(cents(amountCents), leftByRate);
  const out: Cents[] = lines.map(() => cents(0));
  rates.forEach((rate, i) => {
    const idx = lines.flatMap((l, j) => (l.vatRateBp === rate ? [j] : []));
    const parts = allocate(
      byRate[i]!,
      idx.map((j) => lines[j]!.leftCents),
    );
    idx.forEach((j, k) => (out[j] = parts[k]!));
  });
  return out;
}

/**
 * The VAT rows of a part (rule 3), given per rate what the earlier parts of the same order paid and what
 * this one pays; rows by ascending rate, for the rates this part pays.
 */
export function partVat(before: ReadonlyMap<number, number>, now: ReadonlyMap<number, number>): VatRow[] {
  return [...now.entries()]
    .sort(([a], [b]) => a - b)
    .map(([rate, gross]) => {
      const prior = before.get(rate) ?? 0;
      const net = cents(netFromGross(cents(prior + gross), rate as BasisPoints) - netFromGross(cents(prior), rate as BasisPoints));
      return { vatRate: rate as BasisPoints, gross: cents(gross), net, vat: cents(gross - net) };
    });
}
