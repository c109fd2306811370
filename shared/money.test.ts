import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  typedWeight,
  allocate,
  basisPoints,
  cents,
  divRoundHalfUp,
  formatEuros,
  formatRate,
  grams,
  mulDivRoundHalfUp,
  netFromGross,
  parseEuros,
  percentOf,
  spreadDiscount,
  splitGross,
  sumCents,
  vatBreakdown,
  weighedPrice,
  writeEuros,
  type BasisPoints,
  type Cents,
} from './money.ts';

const c = cents;
const bp = basisPoints;
const FRENCH_RATES = [210, 550, 1000, 2000] as const;

/** Independent reference: round half away from zero with BigInt, via floor((2|n| + d) / 2d). */
function referenceRound(n: bigint, d: bigint): bigint {
  const abs = n < 0n ? -n : n;
  const q = (2n * abs + d) / (2n * d);
  return n < 0n ? -q : q;
}

describe('VAT out of prices incl. VAT, French rates worked by hand', () => {
  it('splits 5.5 % out of a 1,00 € yoghurt', () => {
    // 100 × 10000 / 10550 = 94.786… -> 95 HT; VAT 100 − 95 = 5
    expect(splitGross(c(100), bp(550))).toEqual({ gross: 100, net: 95, vat: 5 });
  });
  it('splits 5.5 % out of a 4,20 € jar of honey', () => {
    // 420 × 10000 / 10550: 10550 × 398 = 4 198 900, remainder 1 100 / 10550 = 0.104 -> 398 HT; VAT 22
    expect(splitGross(c(420), bp(550))).toEqual({ gross: 420, net: 398, vat: 22 });
  });
  it('splits 10 % out of a 12,50 € lunch menu', () => {
    // 1250 × 10000 / 11000: 11000 × 1136 = 12 496 000, remainder 4 000 / 11000 = 0.364 -> 1136 HT; VAT 114
    expect(splitGross(c(1250), bp(1000))).toEqual({ gross: 1250, net: 1136, vat: 114 });
  });
  it('splits 20 % out of a 45,00 € wool scarf', () => {
    // 4500 × 10000 / 12000 = 3750 exactly; VAT 750
    expect(splitGross(c(4500), bp(2000))).toEqual({ gross: 4500, net: 3750, vat: 750 });
  });
  it('splits 2.1 % out of a 3,20 € newspaper', () => {
    // 320 × 10000 / 10210: 10210 × 313 = 3 195 730, remainder 4 270 / 10210 = 0.418 -> 313 HT; VAT 7
    expect(splitGross(c(320), bp(210))).toEqual({ gross: 320, net: 313, vat: 7 });
  });
  it('rounds an exact half-cent of HT up, and a refund’s half away from zero', () => {
    // 20 % is the only French rate with exact halves: gross × 10000 / 12000 = gross × 5 / 6.
    // 1,05 € of cider: 105 × 5 / 6 = 525 / 6 = 87.5 -> 88 HT, VAT 17. The refund: −87.5 -> −88, VAT −17.
    expect(splitGross(c(105), bp(2000))).toEqual({ gross: 105, net: 88, vat: 17 });
    expect(splitGross(c(-105), bp(2000))).toEqual({ gross: -105, net: -88, vat: -17 });
    // 0,03 €: 3 × 5 / 6 = 2.5 -> 3 HT, VAT 0.
    expect(netFromGross(c(3), bp(2000))).toBe(3);
    expect(netFromGross(c(-3), bp(2000))).toBe(-3);
  });
  it('gives no VAT on a 0 % line and no negative zero on an empty one', () => {
    // 0 % (exempt): 700 × 10000 / 10000 = 700 HT, VAT 0
    expect(splitGross(c(700), bp(0))).toEqual({ gross: 700, net: 700, vat: 0 });
    expect(Object.is(netFromGross(c(0), bp(550)), 0)).toBe(true);
  });
});

describe('a ticket’s VAT is computed per rate on the sum, not line by line', () => {
  it('three 0,10 € sweets at 20 %: 5 cents of VAT, not 6', () => {
    // Per line: 10 × 10000 / 12000 = 8.33 -> 8 HT, VAT 2; three lines -> HT 24, VAT 6.
    // On the sum: 30 × 10000 / 12000 = 25 HT exactly, VAT 5.
    const rows = vatBreakdown([
      { gross: c(10), vatRate: bp(2000) },
      { gross: c(10), vatRate: bp(2000) },
      { gross: c(10), vatRate: bp(2000) },
    ]);
    expect(rows).toEqual([{ vatRate: 2000, gross: 30, net: 25, vat: 5 }]);
  });
  it('two 0,50 € chouquettes at 5.5 %: 5 cents of VAT, not 6', () => {
    // Per line: 50 × 10000 / 10550 = 47.39 -> 47 HT, VAT 3; two lines -> VAT 6.
    // On the sum: 100 × 10000 / 10550 = 94.79 -> 95 HT, VAT 5.
    expect(
      vatBreakdown([
        { gross: c(50), vatRate: bp(550) },
        { gross: c(50), vatRate: bp(550) },
      ]),
    ).toEqual([{ vatRate: 550, gross: 100, net: 95, vat: 5 }]);
  });
  it('three 1,80 € coffees at 10 %: 49 cents of VAT, not 48', () => {
    // Per line: 180 × 10000 / 11000 = 163.64 -> 164 HT, VAT 16; three lines -> VAT 48.
    // On the sum: 540 × 10000 / 11000 = 490.91 -> 491 HT, VAT 49.
    const coffee = { gross: c(180), vatRate: bp(1000) };
    expect(vatBreakdown([coffee, coffee, coffee])).toEqual([{ vatRate: 1000, gross: 540, net: 491, vat: 49 }]);
  });
  it('two 3,20 € newspapers at 2.1 %: 13 cents of VAT, not 14', () => {
    // Per line: 313 HT, VAT 7 (above); two lines -> VAT 14.
    // On the sum: 640 × 10000 / 10210: 10210 × 626 = 6 391 460, remainder 8 540 / 10210 = 0.836 -> 627 HT, VAT 13.
    const paper = { gross: c(320), vatRate: bp(210) };
    expect(vatBreakdown([paper, paper])).toEqual([{ vatRate: 210, gross: 640, net: 627, vat: 13 }]);
  });
  it('breaks a mixed basket down by rate, in ascending order', () => {
    // Bread 5,20 € + honey 9,50 € at 5.5 % = 1470: 10550 × 1393 = 14 696 150, remainder 3 850 -> 1393 HT, VAT 77.
    // Coffee 1,80 € at 10 %: 163.64 -> 164 HT, VAT 16. Beer 3,20 € at 20 %: 266.67 -> 267 HT, VAT 53.
    // Newspaper 3,20 € at 2.1 %: 313 HT, VAT 7. Gross in all 1470 + 180 + 320 + 320 = 2290, VAT 77 + 16 + 53 + 7 = 153.
    const rows = vatBreakdown([
      { gross: c(320), vatRate: bp(2000) },
      { gross: c(520), vatRate: bp(550) },
      { gross: c(180), vatRate: bp(1000) },
      { gross: c(320), vatRate: bp(210) },
      { gross: c(950), vatRate: bp(550) },
    ]);
    expect(rows).toEqual([
      { vatRate: 210, gross: 320, net: 313, vat: 7 },
      { vatRate: 550, gross: 1470, net: 1393, vat: 77 },
      { vatRate: 1000, gross: 180, net: 164, vat: 16 },
      { vatRate: 2000, gross: 320, net: 267, vat: 53 },
    ]);
  });
  it('still lists a rate whose sale and refund cancel out on the same ticket', () => {
    // A 5,20 € loaf sold and handed back: 520 − 520 = 0 at 5.5 %, so HT 0 and VAT 0, but the row is there.
    expect(
      vatBreakdown([
        { gross: c(520), vatRate: bp(550) },
        { gross: c(-520), vatRate: bp(550) },
      ]),
    ).toEqual([{ vatRate: 550, gross: 0, net: 0, vat: 0 }]);
    expect(vatBreakdown([])).toEqual([]);
  });
});

describe('weighed goods', () => {
  it('prices 1,234 kg of Tomme at 24,90 €/kg', () => {
    // 2490 × 1234 = 2 490 000 + 2490 × 234 (582 660) = 3 072 660; / 1000 = 3072.66 -> 3073 cents (30,73 €)
    expect(weighedPrice(c(2490), grams(1234))).toBe(3073);
  });
  it('rounds 250 g of tomatoes at 4,90 €/kg half up, and their refund half away from zero', () => {
    // 490 × 250 / 1000 = 122.5 -> 123; handed back: −122.5 -> −123
    expect(weighedPrice(c(490), grams(250))).toBe(123);
    expect(weighedPrice(c(490), grams(-250))).toBe(-123);
    expect(weighedPrice(c(-490), grams(250))).toBe(-123);
  });
  it('rounds just under a half down', () => {
    // 1 g at 4,99 €/kg: 499 / 1000 = 0.499 -> 0; 3 g: 1497 / 1000 = 1.497 -> 1
    expect(weighedPrice(c(499), grams(1))).toBe(0);
    expect(weighedPrice(c(499), grams(3))).toBe(1);
  });
});

describe('commission and percentage discounts', () => {
  it('takes a 20 % commission on 137,45 € of sales', () => {
    // 13745 × 2000 / 10000 = 2749 exactly
    expect(percentOf(c(13745), bp(2000))).toBe(2749);
  });
  it('takes 18 % of 9,99 €', () => {
    // 999 × 1800 / 10000 = 179.82 -> 180
    expect(percentOf(c(999), bp(1800))).toBe(180);
  });
  it('rounds exact half cents away from zero both ways', () => {
    // 15 % of 0,10 € = 1.5 -> 2; of −0,10 € -> −2. 50 % of 0,01 € = 0.5 -> 1; of −0,01 € -> −1.
    expect(percentOf(c(10), bp(1500))).toBe(2);
    expect(percentOf(c(-10), bp(1500))).toBe(-2);
    expect(percentOf(c(1), bp(5000))).toBe(1);
    expect(percentOf(c(-1), bp(5000))).toBe(-1);
  });
});

describe('rounding itself', () => {
  it('rounds halves away from zero and everything else to the nearest', () => {
    // 5/2 = 2.5 -> 3; −2.5 -> −3; 3/2 = 1.5 -> 2; 7/3 = 2.33 -> 2; 8/3 = 2.67 -> 3; −8/3 -> −3
    expect(divRoundHalfUp(5, 2)).toBe(3);
    expect(divRoundHalfUp(-5, 2)).toBe(-3);
    expect(divRoundHalfUp(3, 2)).toBe(2);
    expect(divRoundHalfUp(7, 3)).toBe(2);
    expect(divRoundHalfUp(-7, 3)).toBe(-2);
    expect(divRoundHalfUp(8, 3)).toBe(3);
    expect(divRoundHalfUp(-8, 3)).toBe(-3);
    // −1/3 = −0.33 -> 0, and a plain zero (a −0 would print as "-0,00 €")
    expect(Object.is(divRoundHalfUp(-1, 3), 0)).toBe(true);
  });
  it('stays exact where a double product loses the last digits', () => {
    // (2^53 − 1) × 5 = 9 007 199 254 740 991 × 5 = 45 035 996 273 704 955; / 10 = 4 503 599 627 370 495.5
    // -> 4 503 599 627 370 496. In doubles the product is rounded to …952 and the result comes out …495.
    expect(mulDivRoundHalfUp(Number.MAX_SAFE_INTEGER, 5, 10)).toBe(4_503_599_627_370_496);
    expect(mulDivRoundHalfUp(-Number.MAX_SAFE_INTEGER, 5, 10)).toBe(-4_503_599_627_370_496);
  });
  it('divides a numerator beyond 2^53 exactly', () => {
    // 2^60 + 512 = 1 152 921 504 606 846 976 + 512 = 1 152 921 504 606 847 488 (a double holds it exactly);
    // / 1000 = 1 152 921 504 606 847.488 -> …847. A float quotient rounds to …847.5 and Math.round gives …848.
    expect(divRoundHalfUp(2 ** 60 + 512, 1000)).toBe(1_152_921_504_606_847);
    expect(divRoundHalfUp(-(2 ** 60 + 512), 1000)).toBe(-1_152_921_504_606_847);
  });
  it('refuses what is not an integer division', () => {
    expect(() => divRoundHalfUp(1.5, 2)).toThrow(RangeError);
    expect(() => divRoundHalfUp(1, 0)).toThrow(RangeError);
    expect(() => divRoundHalfUp(1, -2)).toThrow(RangeError);
    expect(() => mulDivRoundHalfUp(0.5, 2, 1)).toThrow(RangeError);
    expect(() => mulDivRoundHalfUp(2 ** 40, 2 ** 40, 0)).toThrow(RangeError);
  });

  it('matches a BigInt reference for numerators far beyond 2^53 (property)', () => {
    // a × 2^k is held exactly by a double, so the reference knows the true numerator.
    fc.assert(
      fc.property(
        fc.integer({ min: Number.MIN_SAFE_INTEGER, max: Number.MAX_SAFE_INTEGER }),
        fc.integer({ min: 0, max: 40 }),
        fc.integer({ min: 1, max: Number.MAX_SAFE_INTEGER }),
        (a, k, d) => {
          const numerator = a * 2 ** k;
          const expected = referenceRound(BigInt(a) << BigInt(k), BigInt(d));
          expect(divRoundHalfUp(numerator, d)).toBe(Number(expected));
        },
      ),
      { numRuns: 2000 },
    );
  });

  it('matches a BigInt reference on the whole safe range, including halves (property)', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: Number.MIN_SAFE_INTEGER, max: Number.MAX_SAFE_INTEGER }),
        fc.integer({ min: 1, max: Number.MAX_SAFE_INTEGER }),
        (n, d) => {
          expect(divRoundHalfUp(n, d)).toBe(Number(referenceRound(BigInt(n), BigInt(d))));
        },
      ),
      { numRuns: 2000 },
    );
    fc.assert(
      // (2q + 1) × d / 2d is an exact half: always rounded away from zero.
      fc.property(fc.integer({ min: -(2 ** 20), max: 2 ** 20 }), fc.integer({ min: 1, max: 2 ** 30 }), (q, d) => {
        const half = divRoundHalfUp((2 * q + 1) * d, 2 * d);
        expect(half).toBe(q >= 0 ? q + 1 : q);
      }),
      { numRuns: 1000 },
    );
  });

  it('multiplies then divides exactly up to products of 2^80 (property)', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: -(2 ** 40), max: 2 ** 40 }),
        fc.integer({ min: -(2 ** 40), max: 2 ** 40 }),
        fc.integer({ min: 1, max: 2 ** 40 }),
        (a, b, d) => {
          expect(mulDivRoundHalfUp(a, b, d)).toBe(Number(referenceRound(BigInt(a) * BigInt(b), BigInt(d))));
        },
      ),
      { numRuns: 2000 },
    );
  });
});

describe('refunds are the exact negation of sales', () => {
  it('negates HT, weighed prices, percentages and whole VAT breakdowns (property)', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 1_000_000_000_000 }),
        fc.integer({ min: 0, max: 10_000 }),
        fc.integer({ min: 0, max: 100_000 }),
        (x, rate, g) => {
          expect(netFromGross(c(-x), bp(rate))).toBe(-netFromGross(c(x), bp(rate)) || 0);
          expect(splitGross(c(-x), bp(rate)).vat).toBe(-splitGross(c(x), bp(rate)).vat || 0);
          expect(weighedPrice(c(-x), grams(g))).toBe(-weighedPrice(c(x), grams(g)) || 0);
          expect(percentOf(c(-x), bp(rate))).toBe(-percentOf(c(x), bp(rate)) || 0);
        },
      ),
      { numRuns: 2000 },
    );
    const line = fc.record({ gross: fc.integer({ min: 0, max: 500_000 }), vatRate: fc.constantFrom(0, ...FRENCH_RATES) });
    fc.assert(
      fc.property(fc.array(line, { maxLength: 20 }), (lines) => {
        const sale = vatBreakdown(lines.map((l) => ({ gross: c(l.gross), vatRate: bp(l.vatRate) })));
        const refund = vatBreakdown(lines.map((l) => ({ gross: c(-l.gross), vatRate: bp(l.vatRate) })));
        expect(refund).toEqual(sale.map((r) => ({ vatRate: r.vatRate, gross: -r.gross || 0, net: -r.net || 0, vat: -r.vat || 0 })));
      }),
      { numRuns: 500 },
    );
  });
});

describe('splitting an amount by largest remainder', () => {
  it('splits a 1,00 € discount over three equal lines, the extra cent to the first', () => {
    // 100 / 3 = 33.33 each: floors 33 + 33 + 33 = 99, one cent left, equal remainders -> earliest index.
    expect(allocate(c(100), [500, 500, 500])).toEqual([34, 33, 33]);
  });
  it('gives the spare cent to the largest remainder, not the first line', () => {
    // 7 over 2 : 3 : 5 (sum 10): 1.4, 2.1, 3.5 -> floors 1 + 2 + 3 = 6; remainders 0.4, 0.1, 0.5 -> third.
    expect(allocate(c(7), [2, 3, 5])).toEqual([1, 2, 4]);
    // 100 over 1 : 2 : 3: 16.67, 33.33, 50 -> floors 16 + 33 + 50 = 99; remainders 0.67, 0.33, 0 -> first.
    expect(allocate(c(100), [1, 2, 3])).toEqual([17, 33, 50]);
  });
  it('breaks a tie in remainders towards the earliest line, and mirrors negative totals', () => {
    // 5 over 3 : 7: 1.5 and 3.5 -> floors 1 + 3 = 4, equal remainders -> first: [2, 3]; −5 -> [−2, −3].
    expect(allocate(c(5), [3, 7])).toEqual([2, 3]);
    expect(allocate(c(-5), [3, 7])).toEqual([-2, -3]);
  });
  it('splits evenly when every weight is zero, and gives nothing to a zero weight otherwise', () => {
    // 10 over three zero weights: 3.33 each -> 3 + 3 + 3 = 9, the extra cent to the first.
    expect(allocate(c(10), [0, 0, 0])).toEqual([4, 3, 3]);
    expect(allocate(c(-10), [0, 0, 0])).toEqual([-4, -3, -3]);
    expect(allocate(c(100), [0, 1, 1])).toEqual([0, 50, 50]);
  });
  it('allocates nothing over nothing, and refuses to lose a non-zero total', () => {
    expect(allocate(c(0), [])).toEqual([]);
    expect(() => allocate(c(1), [])).toThrow(RangeError);
    expect(() => allocate(c(1), [1, -1])).toThrow(RangeError);
    expect(() => allocate(c(1), [1.5])).toThrow(RangeError);
  });

  it('always sums to the total, each part the floor or the ceiling of its exact share (property)', () => {
    const weights = fc.oneof(
      fc.array(fc.integer({ min: 0, max: 10_000_000 }), { minLength: 1, maxLength: 30 }),
      fc.array(fc.constantFrom(0, 1, 2), { minLength: 1, maxLength: 10 }),
    );
    fc.assert(
      fc.property(weights, fc.integer({ min: -1_000_000_000, max: 1_000_000_000 }), (ws, total) => {
        const parts = allocate(c(total), ws);
        expect(parts).toHaveLength(ws.length);
        expect(parts.reduce((a, b) => a + b, 0)).toBe(total);
        const sum = ws.reduce((a, b) => a + b, 0);
        const shares = sum === 0 ? ws.map(() => 1) : ws;
        const denominator = BigInt(sum === 0 ? ws.length : sum);
        parts.forEach((p, i) => {
          // floor(share) <= p <= ceil(share)  <=>  p·D − D < total·w < p·D + D, all in exact integers
          const exact = BigInt(total) * BigInt(shares[i]!);
          const scaled = BigInt(p) * denominator;
          expect(scaled - denominator < exact && exact < scaled + denominator).toBe(true);
          if (total >= 0) expect(p).toBeGreaterThanOrEqual(0);
          else expect(p).toBeLessThanOrEqual(0);
        });
      }),
      { numRuns: 2000 },
    );
  });
});

describe('ticket discounts spread over the lines', () => {
  it('spreads 2,00 € off a ticket of 5,20 € + 0,80 €', () => {
    // 200 × 520 / 600 = 173.33, 200 × 80 / 600 = 26.67 -> floors 173 + 26 = 199; remainders .33 < .67 -> [173, 27]
    expect(spreadDiscount([c(520), c(80)], c(200))).toEqual([173, 27]);
  });
  it('gives refund lines parts of their own sign', () => {
    // Same figures as above, on a ticket handing both lines back.
    expect(spreadDiscount([c(-520), c(-80)], c(200))).toEqual([-173, -27]);
  });
  it('can take a whole ticket off, and leaves a free line alone', () => {
    expect(spreadDiscount([c(520), c(80)], c(600))).toEqual([520, 80]);
    // 1,00 € over a 0 € gift and a 5,00 € basket: 100 × 0 / 500 = 0 and 100 × 500 / 500 = 100
    expect(spreadDiscount([c(0), c(500)], c(100))).toEqual([0, 100]);
    expect(spreadDiscount([], c(0))).toEqual([]);
  });
  it('refuses a discount larger than the ticket, or negative', () => {
    expect(() => spreadDiscount([c(100)], c(101))).toThrow(RangeError);
    expect(() => spreadDiscount([c(-100)], c(101))).toThrow(RangeError);
    expect(() => spreadDiscount([c(100)], c(-1))).toThrow(RangeError);
    expect(() => spreadDiscount([], c(1))).toThrow(RangeError);
  });

  it('parts add up to the discount and never exceed their line (property)', () => {
    const amounts = fc.array(fc.integer({ min: -500_000, max: 500_000 }), { minLength: 1, maxLength: 30 });
    fc.assert(
      fc.property(amounts, fc.double({ min: 0, max: 1, noNaN: true }), (lines, fraction) => {
        const available = lines.reduce((s, a) => s + Math.abs(a), 0);
        const discount = Math.floor(available * fraction);
        const parts = spreadDiscount(lines.map(c), c(discount));
        expect(parts.reduce((s, p) => s + Math.abs(p), 0)).toBe(discount);
        parts.forEach((p, i) => {
          const line = lines[i]!;
          expect(Math.abs(p)).toBeLessThanOrEqual(Math.abs(line));
          // Same sign as the line (or nothing): the discount moves every line towards zero.
          expect(p === 0 || Math.sign(p) === Math.sign(line)).toBe(true);
        });
      }),
      { numRuns: 2000 },
    );
  });

  it('keeps every producer’s share and every VAT row exact after a discount (property)', () => {
    // A shop ticket: pieces and weighed goods from several producers at every French rate, then a ticket
    // discount anywhere from nothing to the whole ticket.
    const piece = fc.record({
      kind: fc.constant('piece' as const),
      producer: fc.integer({ min: 0, max: 5 }),
      rate: fc.constantFrom(...FRENCH_RATES),
      unitPrice: fc.integer({ min: 0, max: 20_000 }),
      quantity: fc.integer({ min: 1, max: 12 }),
    });
    const weighed = fc.record({
      kind: fc.constant('kg' as const),
      producer: fc.integer({ min: 0, max: 5 }),
      rate: fc.constantFrom(...FRENCH_RATES),
      unitPrice: fc.integer({ min: 1, max: 9_000 }),
      quantity: fc.integer({ min: 1, max: 5_000 }),
    });
    fc.assert(
      fc.property(
        fc.array(fc.oneof(piece, weighed), { minLength: 1, maxLength: 25 }),
        fc.integer({ min: 0, max: 10_000 }),
        fc.boolean(),
        (lines, discountBp, refund) => {
          const sign = refund ? -1 : 1;
          const gross = lines.map(
            (l) => sign * (l.kind === 'kg' ? weighedPrice(c(l.unitPrice), grams(l.quantity)) : l.unitPrice * l.quantity),
          );
          const subtotal = gross.reduce((s, g) => s + g, 0);
          const discount = percentOf(c(Math.abs(subtotal)), bp(discountBp));
          const parts = spreadDiscount(gross.map(c), discount);
          const after = gross.map((g, i) => g - parts[i]!);
          // Every line has the ticket's sign, so the ticket total drops by exactly the discount.
          const ticketTotal = subtotal - sign * discount;
          expect(sumCents(after.map(c))).toBe(ticketTotal);

          const byProducer = new Map<number, number>();
          after.forEach((a, i) => byProducer.set(lines[i]!.producer, (byProducer.get(lines[i]!.producer) ?? 0) + a));
          expect([...byProducer.values()].reduce((s, v) => s + v, 0)).toBe(ticketTotal);

          const rows = vatBreakdown(after.map((a, i) => ({ gross: c(a), vatRate: bp(lines[i]!.rate) })));
          expect(rows.reduce((s, r) => s + r.gross, 0)).toBe(ticketTotal);
          for (const r of rows) expect(r.net + r.vat).toBe(r.gross);
          expect(rows.map((r) => r.vatRate)).toEqual([...new Set(lines.map((l) => l.rate))].sort((a, b) => a - b));
          // No line went past zero: a discounted sale never turns into a refund.
          for (const a of after) expect(a * sign).toBeGreaterThanOrEqual(0);
        },
      ),
      { numRuns: 1000 },
    );
  });
});

describe('amounts typed by people', () => {
  it('reads French and English amounts as typed in a form or a spreadsheet', () => {
    expect(parseEuros('3,50')).toBe(350);
    expect(parseEuros('3.5')).toBe(350);
    expect(parseEuros('12')).toBe(1200);
    expect(parseEuros('0,01')).toBe(1);
    expect(parseEuros('  7,05  ')).toBe(705);
    expect(parseEuros('+4')).toBe(400);
  });
  it('reads thousands separated by a space, a narrow or a plain no-break space', () => {
    expect(parseEuros('1 234,56')).toBe(123456);
    expect(parseEuros('1\u202f234,56')).toBe(123456);
    expect(parseEuros('1\u00a0234,56\u00a0€')).toBe(123456);
    expect(parseEuros('1 234 567,89')).toBe(123456789);
    expect(parseEuros('1 234.5')).toBe(123450);
  });
  it('reads a euro sign or EUR before or after', () => {
    expect(parseEuros('12,00 €')).toBe(1200);
    expect(parseEuros('12€')).toBe(1200);
    expect(parseEuros('€12.00')).toBe(1200);
    expect(parseEuros('12 EUR')).toBe(1200);
  });
  it('reads refunds, with a hyphen or a true minus sign', () => {
    expect(parseEuros('-2,5')).toBe(-250);
    expect(parseEuros('\u22123,20')).toBe(-320);
    expect(parseEuros('-€2.50')).toBe(-250);
    expect(parseEuros('€-2.50')).toBe(-250);
    expect(Object.is(parseEuros('-0'), 0)).toBe(true);
  });
  it('reads ",5" as 50 cents: unambiguous, and what a numeric keypad sends', () => {
    expect(parseEuros(',5')).toBe(50);
    expect(parseEuros('.05')).toBe(5);
  });
  it('refuses anything it would have to guess', () => {
    const refused = [
      '',
      ' ',
      'abc',
      'NaN',
      'Infinity',
      '1e3',
      '0x10',
      '€',
      '-',
      '+',
      '1,234,56', // two commas
      '1,234.56',
      '1.234,56', // commas or dots as thousands separators: 1,23 € mistyped or 1 234 €?
      '3.505', // three decimals
      '12,',
      '12.', // unfinished
      '1 23,45',
      '12 34', // spaces that are not thousands separators
      '12 €€',
      '€12 €',
      '--2',
      '-€-2',
      '2-',
      '99999999999999999', // beyond any till, and beyond exact doubles in cents
    ];
    for (const text of refused) expect(parseEuros(text), JSON.stringify(text)).toBeNull();
  });
  it('reads back whatever it formats in fr-FR, and never throws (property)', () => {
    fc.assert(
      fc.property(fc.integer({ min: -100_000_000_000, max: 100_000_000_000 }), (n) => {
        expect(parseEuros(formatEuros(c(n)))).toBe(n);
      }),
      { numRuns: 1000 },
    );
    fc.assert(
      fc.property(fc.string({ unit: fc.constantFrom(...'0123456789 ,.-+€eE\u00a0\u202f'.split('')), maxLength: 14 }), (text) => {
        const parsed = parseEuros(text);
        if (parsed !== null) expect(Number.isSafeInteger(parsed)).toBe(true);
      }),
      { numRuns: 2000 },
    );
  });
});

describe('showing money', () => {
  // Intl puts a narrow no-break space between thousands and a no-break space before "€" in fr-FR.
  const spaces = (s: string) => s.replace(/[\u00a0\u202f]/g, ' ');
  it('formats euros the French way by default, and in other locales on request', () => {
    expect(spaces(formatEuros(c(123456)))).toBe('1 234,56 €');
    expect(spaces(formatEuros(c(-1250)))).toBe('-12,50 €');
    expect(spaces(formatEuros(c(5)))).toBe('0,05 €');
    expect(formatEuros(c(123456), 'en-GB')).toBe('€1,234.56');
  });
  it('formats rates as percentages with up to two decimals', () => {
    expect(spaces(formatRate(bp(550)))).toBe('5,5 %');
    expect(spaces(formatRate(bp(210)))).toBe('2,1 %');
    expect(spaces(formatRate(bp(2000)))).toBe('20 %');
    expect(spaces(formatRate(bp(1)))).toBe('0,01 %');
    expect(formatRate(bp(550), 'en-US')).toBe('5.5%');
  });
});

describe('the units themselves', () => {
  it('refuses floats where integers are due', () => {
    expect(() => cents(1.5)).toThrow(RangeError);
    expect(() => cents(Number.MAX_SAFE_INTEGER + 1)).toThrow(RangeError);
    expect(() => cents(Number.NaN)).toThrow(RangeError);
    expect(() => basisPoints(10_001)).toThrow(RangeError);
    expect(() => basisPoints(-1)).toThrow(RangeError);
    expect(() => basisPoints(5.5)).toThrow(RangeError);
    expect(() => grams(0.1)).toThrow(RangeError);
    expect(basisPoints(550)).toBe(550);
  });
  it('sums cents, refusing a total no double can hold exactly', () => {
    // 1,20 € + 3,45 € + −0,65 € = 4,00 €
    expect(sumCents([c(120), c(345), c(-65)])).toBe(400);
    expect(sumCents([])).toBe(0);
    expect(() => sumCents([c(Number.MAX_SAFE_INTEGER), c(1)])).toThrow(RangeError);
  });
});

// Keep the type-level promise visible: the brands do not mix without a conversion.
// @ts-expect-error a plain number is not Cents
const notCents: Cents = 5;
// @ts-expect-error Cents are not BasisPoints
const notRate: BasisPoints = c(5);
void notCents;
void notRate;

describe('the till’s euro texts, written without Intl', () => {
  it('writes what a person reads, by hand', () => {
    // U+202F (narrow no-break space) groups thousands in French, U+00A0 comes before the euro sign.
    expect(writeEuros(c(0), 'fr')).toBe('0,00\u00a0€');
    expect(writeEuros(c(5), 'fr')).toBe('0,05\u00a0€');
    expect(writeEuros(c(-5), 'fr')).toBe('-0,05\u00a0€');
    expect(writeEuros(c(123456), 'fr')).toBe('1\u202f234,56\u00a0€');
    expect(writeEuros(c(-123456789), 'fr')).toBe('-1\u202f234\u202f567,89\u00a0€');
    expect(writeEuros(c(99999), 'en')).toBe('€999.99');
    expect(writeEuros(c(100000), 'en')).toBe('€1,000.00');
    expect(writeEuros(c(-1230), 'en')).toBe('-€12.30');
  });

  it('is Intl’s text for every amount, in both languages', () => {
    fc.assert(
      fc.property(
        fc.oneof(
          fc.integer({ min: -200_000, max: 200_000 }),
          fc.maxSafeInteger().map((n) => n - (n % 7)),
        ),
        (n) => {
          expect(writeEuros(c(n), 'fr')).toBe(formatEuros(c(n), 'fr-FR'));
          expect(writeEuros(c(n), 'en')).toBe(formatEuros(c(n), 'en-GB'));
        },
      ),
      { numRuns: 5000 },
    );
  });
});

describe('a weight typed at the till', () => {
  it('reads grams, or kilograms with a decimal comma or point, as it is typed', () => {
    // Grams: « 350 » is 350 g; leading zeros and anything but digits go.
    expect(typedWeight('350')).toEqual({ text: '350', grams: 350 });
    expect(typedWeight('0350 g')).toEqual({ text: '350', grams: 350 });
    // Kilograms: 0,35 kg = 350 g (it sold 35 g); 1.2 kg = 1 200 g; 2,005 kg = 2 005 g; « 0, » is typed on the way.
    expect(typedWeight('0,35')).toEqual({ text: '0,35', grams: 350 });
    expect(typedWeight('1.2')).toEqual({ text: '1.2', grams: 1200 });
    expect(typedWeight('2,005')).toEqual({ text: '2,005', grams: 2005 });
    expect(typedWeight('0,')).toEqual({ text: '0,', grams: 0 });
    expect(typedWeight(',5')).toEqual({ text: '0,5', grams: 500 });
    // A fourth decimal or a second separator is not kept: 1,2345 → 1,234 (1 234 g); 1,2,3 → 1,23.
    expect(typedWeight('1,2345')).toEqual({ text: '1,234', grams: 1234 });
    expect(typedWeight('1,2,3')).toEqual({ text: '1,23', grams: 1230 });
    // At most 999 999 g typed in grams, 999,999 kg in kilograms.
    expect(typedWeight('12345678').grams).toBe(123456);
    expect(typedWeight('1234,5').grams).toBe(123500);
  });
});
