import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { vatBreakdown, type BasisPoints, type Cents } from './money.ts';
import { equalPart, partVat, spreadPart, type LineLeft } from './split.ts';

describe('a bill in shares', () => {
  it('gives the odd cents to the first equal parts and what is left to the last', () => {
    // 100,00 € in 3: 33,34 (ceil of 33,333…), then 66,66 in 2 = 33,33, then the 33,33 left.
    expect(equalPart(10_000, 3, 1)).toBe(3334);
    expect(equalPart(6666, 3, 2)).toBe(3333);
    expect(equalPart(3333, 3, 3)).toBe(3333);
    expect(() => equalPart(100, 3, 4)).toThrow(RangeError);
  });

  it('spreads a part over rates, then over each rate’s lines, by largest remainder', () => {
    // 10 % left 20,00 + 10,00, 20 % left 10,00: a part of 10,00 is 3/4 at 10 % (7,50), 1/4 at 20 % (2,50);
    // 7,50 over 20,00 and 10,00 is 5,00 and 2,50.
    expect(
      spreadPart(
        [
          { leftCents: 2000, vatRateBp: 1000 },
          { leftCents: 1000, vatRateBp: 2000 },
          { leftCents: 1000, vatRateBp: 1000 },
        ],
        1000,
      ),
    ).toEqual([500, 250, 250]);
  });

  const bill = fc.array(fc.record({ leftCents: fc.integer({ min: 0, max: 50_000 }), vatRateBp: fc.constantFrom(550, 1000, 2000) }), {
    minLength: 1,
    maxLength: 12,
  });

  it('pays every line exactly, and the parts’ VAT per rate is exactly one ticket’s, however it is split', () => {
    fc.assert(
      fc.property(bill, fc.integer({ min: 2, max: 9 }), (lines: LineLeft[], parts) => {
        const left = lines.map((l) => l.leftCents);
        const paidByRate = new Map<number, number>();
        const sums = { net: new Map<number, number>(), gross: new Map<number, number>() };
        for (let k = 1; k <= parts; k++) {
          const total = left.reduce((s, c) => s + c, 0);
          const amount = equalPart(total, parts, k);
          const spread = spreadPart(
            lines.map((l, i) => ({ ...l, leftCents: left[i]! })),
            amount,
          );
          expect(spread.reduce((s, c) => s + c, 0)).toBe(amount);
          const now = new Map<number, number>();
          spread.forEach((c, i) => {
            expect(c).toBeGreaterThanOrEqual(0);
            expect(c).toBeLessThanOrEqual(left[i]!);
            left[i]! -= c;
            if (c) now.set(lines[i]!.vatRateBp, (now.get(lines[i]!.vatRateBp) ?? 0) + c);
          });
          for (const v of partVat(paidByRate, now)) {
            expect(v.net + v.vat).toBe(v.gross);
            sums.net.set(v.vatRate, (sums.net.get(v.vatRate) ?? 0) + v.net);
            sums.gross.set(v.vatRate, (sums.gross.get(v.vatRate) ?? 0) + v.gross);
          }
          for (const [r, c] of now) paidByRate.set(r, (paidByRate.get(r) ?? 0) + c);
        }
        expect(left.every((c) => c === 0)).toBe(true);
        const one = vatBreakdown(lines.map((l) => ({ gross: l.leftCents as Cents, vatRate: l.vatRateBp as BasisPoints }))).filter(
          (v) => v.gross !== 0,
        );
        expect(one.map((v) => [v.vatRate, v.gross, v.net])).toEqual(
          one.map((v) => [v.vatRate, sums.gross.get(v.vatRate), sums.net.get(v.vatRate)]),
        );
      }),
    );
  });
});
