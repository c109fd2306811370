import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { vatBreakdown, type BasisPoints, type Cents } from './money.ts';
import { equalPart, partVat, spreadPart, type LineLeft } from './split.ts';
import { refundPart, refundableOf } from './sales.ts';

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

describe('a line refunded in parts', () => {
  const nothing = { quantity: 0, grossCents: 0, lineDiscountCents: 0, ticketDiscountCents: 0 };
  it('gives back each amount pro rata, half away from zero, and exactly what is left with the last part', () => {
    // 4 jars at 2,50 € with 1,50 € off the line: 1 jar = 250 − 37,5 → 38 = 212 (the till once worked out
    // round(850 / 4) = 213 and the server refused its refund); then 2 jars: 500 − 75 = 425; the last:
    // 1000 − 750 = 250 and 150 − 113 = 37 → 213. 212 + 425 + 213 = 850, the line's total.
    const line = { quantity: 4, grossCents: 1000, lineDiscountCents: 150, ticketDiscountCents: 0 };
    const one = refundPart(line, nothing, 1);
    expect(one).toEqual({ quantity: 1, grossCents: 250, lineDiscountCents: 38, ticketDiscountCents: 0, totalCents: 212 });
    const back = { quantity: 1, grossCents: 250, lineDiscountCents: 38, ticketDiscountCents: 0 };
    expect(refundableOf(line, back)).toBe(3);
    expect(refundPart(line, back, 2).totalCents).toBe(425);
    const last = refundPart(line, { quantity: 3, grossCents: 750, lineDiscountCents: 113, ticketDiscountCents: 0 }, 1);
    expect(last).toMatchObject({ grossCents: 250, lineDiscountCents: 37, totalCents: 213 });
  });
  it('gives back a share of a bill whole, once', () => {
    const share = { quantity: 0, grossCents: 801, lineDiscountCents: 0, ticketDiscountCents: 0 };
    expect(refundableOf(share, nothing)).toBe(1);
    expect(refundPart(share, nothing, 1)).toEqual({
      quantity: 0,
      grossCents: 801,
      lineDiscountCents: 0,
      ticketDiscountCents: 0,
      totalCents: 801,
    });
    expect(refundableOf(share, { ...nothing, grossCents: 801 })).toBe(0);
    // A share of 0,00 € (a probe refunded one again and again): nothing to give back.
    expect(refundableOf({ ...share, grossCents: 0 }, nothing)).toBe(0);
  });
  it('adds up over any split of a line into parts', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 5000 }),
        fc.integer({ min: 0, max: 100_000 }),
        fc.nat({ max: 100 }),
        fc.nat({ max: 100 }),
        fc.array(fc.integer({ min: 1, max: 5000 }), { minLength: 1, maxLength: 6 }),
        (quantity, gross, linePct, ticketPct, cuts) => {
          const line = {
            quantity,
            grossCents: gross,
            lineDiscountCents: Math.floor((gross * linePct) / 200),
            ticketDiscountCents: Math.floor((gross * ticketPct) / 200),
          };
          const back = { ...nothing };
          let total = 0;
          for (const cut of cuts) {
            const q = Math.min(cut, refundableOf(line, back));
            if (q === 0) break;
            const p = refundPart(line, back, q);
            back.quantity += q;
            back.grossCents += p.grossCents;
            back.lineDiscountCents += p.lineDiscountCents;
            back.ticketDiscountCents += p.ticketDiscountCents;
            total += p.totalCents;
          }
          const rest = refundableOf(line, back);
          if (rest > 0) total += refundPart(line, back, rest).totalCents;
          expect(total).toBe(line.grossCents - line.lineDiscountCents - line.ticketDiscountCents);
        },
      ),
    );
  });
});
