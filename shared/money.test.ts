import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
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
  type BasisPoints,
  type Cents,
} from './money.ts';

const c = cents;
const bp = basisPoints;

describe('VAT out of prices incl. VAT, French rates checked by hand', () => {
  it('splits 5.5 % out of a 1,00 € yoghurt', () => {
    // 100 × 10000 / 10550 = 94.786… -> 95 HT; VAT 5
    expect(splitGross(c(100), bp(550))).toEqual({ gross: 100, net: 95, vat: 5 });
  });
  it('splits 10 % out of a 12,50 € lunch menu', () => {
    // 1250 × 10000 / 11000 = 1136.36… -> 1136 HT; VAT 114
    expect(splitGross(c(1250), bp(1000))).toEqual({ gross: 1250, net: 1136, vat: 114 });
  });
  it('splits 20 % out of a 45,00 € wool scarf', () => {
    // 4500 / 1.2 = 3750 exactly; VAT 750
    expect(splitGross(c(4500), bp(2000))).toEqual({ gross: 4500, net: 3750, vat: 750 });
  });
  it('splits 2.1 % out of a 3,20 € newspaper', () => {
    // 320 × 10000 / 10210 = 313.418… -> 313 HT; VAT 7
    expect(splitGross(c(320), bp(210))).toEqual({ gross: 320, net: 313, vat: 7 });
  });
  it('rounds an exact half up, and a negative half away from zero', () => {
    // 211 × 10000 / 11000 = 191.818… (not a half); find a half: 1055 at 5.5 % = 1000.0 exactly;
    // 21 at 5 % is not French: use divRoundHalfUp directly: 5/2 = 2.5 -> 3, −5/2 -> −3, 3/2 = 1.5 -> 2
    expect(divRoundHalfUp(5, 2)).toBe(3);
    expect(divRoundHalfUp(-5, 2)).toBe(-3);
    expect(divRoundHalfUp(3, 2)).toBe(2);
    expect(divRoundHalfUp(7, 3)).toBe(2); // 2.33
    expect(divRoundHalfUp(-7, 3)).toBe(-2);
    expect(netFromGross(c(1055), bp(550))).toBe(1000);
  });
  it('computes VAT per rate on the sum of the lines, not line by line', () => {
    // Three 0,10 € sweets at 20 %: per line 10 × 10000/12000 = 8.33 -> 8 HT, VAT 2 each -> VAT 6 in all.
    // On the sum: 30 × 10000/12000 = 25 HT exactly, VAT 5. The per-rate sum is the rule (DESIGN decision 2).
    const rows = vatBreakdown([
      { gross: c(10), vatRate: bp(2000) },
      { gross: c(10), vatRate: bp(2000) },
      { gross: c(10), vatRate: bp(2000) },
    ]);
    expect(rows).toEqual([{ vatRate: 2000, gross: 30, net: 25, vat: 5 }]);
  });
  it('breaks a mixed basket down by rate, in ascending order', () => {
    // Bread 5,20 € + honey 9,50 € at 5.5 % = 1470: 1470 × 10000/10550 = 1393.36 -> 1393, VAT 77.
    // Beer 3,20 € at 20 %: 320/1.2 = 266.67 -> 267, VAT 53. Coffee 1,80 € at 10 %: 180/1.1 = 163.64 -> 164, VAT 16.
    const rows = vatBreakdown([
      { gross: c(320), vatRate: bp(2000) },
      { gross: c(520), vatRate: bp(550) },
      { gross: c(180), vatRate: bp(1000) },
      { gross: c(950), vatRate: bp(550) },
    ]);
    expect(rows).toEqual([
      { vatRate: 550, gross: 1470, net: 1393, vat: 77 },
      { vatRate: 1000, gross: 180, net: 164, vat: 16 },
      { vatRate: 2000, gross: 320, net: 267, vat: 53 },
    ]);
  });
});

describe('weighed goods', () => {
  it('prices 1,234 kg of Tomme at 24,90 €/kg', () => {
    // 2490 × 1234 / 1000 = 3072.66 -> 3073 cents
    expect(weighedPrice(c(2490), grams(1234))).toBe(3073);
  });
  it('prices 250 g of tomatoes at 4,90 €/kg', () => {
    // 490 × 250 / 1000 = 122.5 -> 123 (half up)
    expect(weighedPrice(c(490), grams(250))).toBe(123);
  });
});

describe('commission and percentages', () => {
  it('takes 20 % commission on 137,45 € of sales', () => {
    // 13745 × 2000 / 10000 = 2749 exactly
    expect(percentOf(c(13745), bp(2000))).toBe(2749);
    // 18 % of 999: 179.82 -> 180
    expect(percentOf(c(999), bp(1800))).toBe(180);
  });
});

describe('largest remainder', () => {
  it('splits a 1,00 € discount over three equal lines with the extra cent to the first', () => {
    // 100/3 = 33.33 each: floors 33+33+33 = 99, one cent left, ties -> earliest index.
    expect(allocate(c(100), [500, 500, 500])).toEqual([34, 33, 33]);
  });
  it('splits proportionally: 10 cents over 3 and 7', () => {
    expect(allocate(c(10), [3, 7])).toEqual([3, 7]);
    // 5 over 3 and 7: exact 1.5 and 3.5 -> floors 1 + 3 = 4, remainders equal -> first gets it: [2, 3]
    expect(allocate(c(5), [3, 7])).toEqual([2, 3]);
  });
  it('spreads a ticket discount without ever exceeding a line', () => {
    // 2,00 € off a ticket of 5,20 € + 0,80 €: 200×520/600 = 173.33, 200×80/600 = 26.67 -> 173 + 27
    expect(spreadDiscount([c(520), c(80)], c(200))).toEqual([173, 27]);
    expect(() => spreadDiscount([c(100)], c(101))).toThrow(RangeError);
  });

  const amounts = fc.array(fc.integer({ min: 0, max: 1_000_000 }), { minLength: 1, maxLength: 30 });

  it('always sums to the total, each part the floor or ceiling of its share (property)', () => {
    fc.assert(
      fc.property(amounts, fc.integer({ min: -10_000_000, max: 10_000_000 }), (weights, total) => {
        const parts = allocate(c(total), weights);
        expect(parts.reduce((a, b) => a + b, 0)).toBe(total);
        const sum = weights.reduce((a, b) => a + b, 0);
        parts.forEach((p, i) => {
          const exact = sum === 0 ? total / weights.length : (total * weights[i]!) / sum;
          expect(Math.abs(p - exact)).toBeLessThan(1 + 1e-9);
        });
      }),
      { numRuns: 1000 },
    );
  });

  it('keeps every producer share and every VAT base exact after a discount (property)', () => {
    const line = fc.record({
      producer: fc.integer({ min: 0, max: 4 }),
      rate: fc.constantFrom(0, 210, 550, 1000, 2000),
      gross: fc.integer({ min: 1, max: 50_000 }),
    });
    fc.assert(
      fc.property(fc.array(line, { minLength: 1, maxLength: 25 }), fc.integer({ min: 0, max: 10_000 }), (lines, discountBp) => {
        const total = lines.reduce((s, l) => s + l.gross, 0);
        const discount = c(Math.floor((total * discountBp) / 10_000));
        const parts = spreadDiscount(lines.map((l) => c(l.gross)), discount);
        const after = lines.map((l, i) => ({ ...l, net: l.gross - parts[i]! }));
        const ticketTotal = total - discount;
        // Per producer, then summed: exactly the ticket.
        const byProducer = new Map<number, number>();
        for (const l of after) byProducer.set(l.producer, (byProducer.get(l.producer) ?? 0) + l.net);
        expect([...byProducer.values()].reduce((a, b) => a + b, 0)).toBe(ticketTotal);
        // VAT rows: gross adds up to the ticket, net + VAT = gross on each row.
        const rows = vatBreakdown(after.map((l) => ({ gross: c(l.net), vatRate: l.rate as BasisPoints })));
        expect(rows.reduce((s, r) => s + r.gross, 0)).toBe(ticketTotal);
        for (const r of rows) expect(r.net + r.vat).toBe(r.gross);
        for (const p of parts) expect(p).toBeGreaterThanOrEqual(0);
      }),
      { numRuns: 1000 },
    );
  });

  it('makes a refund the exact negation of the sale (property)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 100_000_000 }), fc.constantFrom(0, 210, 550, 1000, 2000), (gross, rate) => {
        expect(netFromGross(c(0 - gross), bp(rate))).toBe(0 - netFromGross(c(gross), bp(rate)));
        expect(weighedPrice(c(0 - gross), grams(1234))).toBe(0 - weighedPrice(c(gross), grams(1234)));
      }),
      { numRuns: 1000 },
    );
  });

  it('rounds exactly beyond 2^53 (property, against a BigInt reference)', () => {
    // a × b reaches 2^80: far past what a double holds exactly.
    fc.assert(
      fc.property(fc.integer({ min: -(2 ** 40), max: 2 ** 40 }), fc.integer({ min: 0, max: 2 ** 40 }), fc.integer({ min: 1, max: 2 ** 30 }), (a, b, d) => {
        const n = BigInt(a) * BigInt(b);
        const abs = n < 0n ? -n : n;
        const q = (abs * 2n + BigInt(d)) / (2n * BigInt(d));
        expect(mulDivRoundHalfUp(a, b, d)).toBe(Number(n < 0n ? 0n - q : q));
      }),
      { numRuns: 1000 },
    );
    // 9,007,199,254,740,991 × 3 / 7: the product exceeds 2^53, BigInt keeps it exact.
    expect(mulDivRoundHalfUp(Number.MAX_SAFE_INTEGER, 3, 7)).toBe(Number((9007199254740991n * 3n * 2n + 7n) / 14n));
  });
});

describe('amounts typed by people', () => {
  it('reads French and English amounts, refuses the rest', () => {
    expect(parseEuros('3,50')).toBe(350);
    expect(parseEuros('3.5')).toBe(350);
    expect(parseEuros('12')).toBe(1200);
    expect(parseEuros('1 234,56')).toBe(123456);
    expect(parseEuros('1\u202f234,56 €')).toBe(123456);
    expect(parseEuros('€12.00')).toBe(1200);
    expect(parseEuros('-2,5')).toBe(-250);
    for (const bad of ['', 'abc', '1,234,56', '3.505', '1e3', 'NaN', '12,', ',5']) expect(parseEuros(bad), bad).toBeNull();
  });
  it('formats in fr-FR', () => {
    expect(formatEuros(c(123456)).replace(/\s/g, ' ')).toBe('1 234,56 €');
    expect(formatRate(bp(550)).replace(/\s/g, ' ')).toBe('5,5 %');
    expect(sumCents([c(1), c(2)])).toBe(3);
  });
  it('refuses floats where integers are due', () => {
    expect(() => cents(1.5)).toThrow(RangeError);
    expect(() => basisPoints(10_001)).toThrow(RangeError);
    expect(() => grams(0.1)).toThrow(RangeError);
  });
});
