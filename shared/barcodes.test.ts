import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  checkLayouts,
  decodeBarcode,
  defaultInStoreLayouts,
  encodeInStore,
  gtinCheckDigit,
  isValidGtin,
  makeInternalEan13,
  normalizeGtin,
  type InStoreLayout,
} from './barcodes.ts';

// Every check digit below: read the body from the right, weigh its digits 3, 1, 3, 1…, sum, and take
// (10 − sum mod 10) mod 10.

describe('manufacturer barcodes on the shelves', () => {
  it('accepts the Nutella jar, 3017620422003', () => {
    // 301762042200 from the right: 0×3 + 0 + 2×3 + 2 + 4×3 + 0 + 2×3 + 6 + 7×3 + 1 + 0×3 + 3
    // = 0 + 0 + 6 + 2 + 12 + 0 + 6 + 6 + 21 + 1 + 0 + 3 = 57 -> 10 − 7 = 3
    expect(gtinCheckDigit('301762042200')).toBe(3);
    expect(isValidGtin('3017620422003')).toBe(true);
    expect(isValidGtin('3017620422004')).toBe(false);
  });
  it('accepts the Coca-Cola bottle, 5449000000996', () => {
    // 544900000099 from the right: 9×3 + 9 + 0×3 + 0 + 0×3 + 0 + 0×3 + 0 + 9×3 + 4 + 4×3 + 5
    // = 27 + 9 + 0 + 0 + 0 + 0 + 0 + 0 + 27 + 4 + 12 + 5 = 84 -> 10 − 4 = 6
    expect(gtinCheckDigit('544900000099')).toBe(6);
    expect(isValidGtin('5449000000996')).toBe(true);
    expect(isValidGtin('5449000000995')).toBe(false);
  });
  it('accepts 4006381333931', () => {
    // 400638133393 from the right: 3×3 + 9 + 3×3 + 3 + 3×3 + 1 + 8×3 + 3 + 6×3 + 0 + 0×3 + 4
    // = 9 + 9 + 9 + 3 + 9 + 1 + 24 + 3 + 18 + 0 + 0 + 4 = 89 -> 10 − 9 = 1
    expect(gtinCheckDigit('400638133393')).toBe(1);
    expect(isValidGtin('4006381333931')).toBe(true);
    expect(isValidGtin('4006381333937')).toBe(false);
  });
  it('accepts the EAN-8 96385074', () => {
    // 9638507 from the right: 7×3 + 0 + 5×3 + 8 + 3×3 + 6 + 9×3 = 21 + 0 + 15 + 8 + 9 + 6 + 27 = 86 -> 4
    expect(gtinCheckDigit('9638507')).toBe(4);
    expect(isValidGtin('96385074')).toBe(true);
    expect(isValidGtin('96385070')).toBe(false);
  });
  it('accepts the UPC-A 036000291452 and stores it as its EAN-13', () => {
    // 03600029145 from the right: 5×3 + 4 + 1×3 + 9 + 2×3 + 0 + 0×3 + 0 + 6×3 + 3 + 0×3
    // = 15 + 4 + 3 + 9 + 6 + 0 + 0 + 0 + 18 + 3 + 0 = 58 -> 2
    expect(gtinCheckDigit('03600029145')).toBe(2);
    expect(isValidGtin('036000291452')).toBe(true);
    expect(isValidGtin('036000291453')).toBe(false);
    // A leading zero adds 0 × 3 to the sum: the EAN-13 form keeps the same check digit.
    expect(normalizeGtin(' 036000291452 ')).toBe('0036000291452');
    expect(isValidGtin('0036000291452')).toBe(true);
  });
  it('accepts a GTIN-14 on a case of those cans', () => {
    // Indicator 1 + 003600029145: 1003600029145 from the right: 5×3 + 4 + 1×3 + 9 + 2×3 + 0 + 0×3 + 0 + 6×3 + 3 + 0×3 + 0 + 1×3
    // = 15 + 4 + 3 + 9 + 6 + 0 + 0 + 0 + 18 + 3 + 0 + 0 + 3 = 61 -> 9
    expect(isValidGtin('10036000291459')).toBe(true);
    expect(decodeBarcode('10036000291459', defaultInStoreLayouts)).toEqual({ type: 'gtin', code: '10036000291459' });
  });
  it('refuses other lengths, letters and untrimmed codes as GTINs', () => {
    for (const code of ['', '1234567', '123456789', '12345678901', '123456789012345', '301762042200X', ' 3017620422003']) {
      expect(isValidGtin(code), code).toBe(false);
    }
    expect(() => gtinCheckDigit('')).toThrow(RangeError);
    expect(() => gtinCheckDigit('12a')).toThrow(RangeError);
  });
  it('leaves every other code as it is when normalising', () => {
    expect(normalizeGtin('3017620422003')).toBe('3017620422003');
    expect(normalizeGtin('96385074')).toBe('96385074');
    expect(normalizeGtin(' CAFE-01 ')).toBe('CAFE-01');
  });

  it('catches every single mistyped digit (property)', () => {
    // Weights 1 and 3 are both prime to 10, so changing one digit always changes the sum mod 10.
    fc.assert(
      fc.property(
        fc.constantFrom(7, 11, 12, 13),
        fc.array(fc.integer({ min: 0, max: 9 }), { minLength: 13, maxLength: 13 }),
        fc.nat(),
        fc.integer({ min: 1, max: 9 }),
        (bodyLength, digits, where, shift) => {
          const body = digits.slice(0, bodyLength).join('');
          const code = body + gtinCheckDigit(body);
          expect(isValidGtin(code)).toBe(true);
          const i = where % code.length;
          const typo = code.slice(0, i) + ((Number(code[i]) + shift) % 10) + code.slice(i + 1);
          expect(isValidGtin(typo)).toBe(false);
        },
      ),
      { numRuns: 1000 },
    );
  });
});

describe('scale labels (EAN-13 prefixes 20–29)', () => {
  it('decodes a price label: 21 00042 01250 -> item 00042 at 12,50 €', () => {
    // 210004201250 from the right: 0×3 + 5 + 2×3 + 1 + 0×3 + 2 + 4×3 + 0 + 0×3 + 0 + 1×3 + 2
    // = 0 + 5 + 6 + 1 + 0 + 2 + 12 + 0 + 0 + 0 + 3 + 2 = 31 -> 9
    const d = decodeBarcode('2100042012509', defaultInStoreLayouts);
    expect(d).toEqual({ type: 'in-store', code: '2100042012509', prefix: '21', kind: 'price', itemCode: '00042', priceCents: 1250 });
  });
  it('decodes a weight label: 22 00042 01234 -> 1,234 kg of item 00042', () => {
    // 220004201234 from the right: 4×3 + 3 + 2×3 + 1 + 0×3 + 2 + 4×3 + 0 + 0×3 + 0 + 2×3 + 2
    // = 12 + 3 + 6 + 1 + 0 + 2 + 12 + 0 + 0 + 0 + 6 + 2 = 44 -> 6
    const d = decodeBarcode('2200042012346', defaultInStoreLayouts);
    expect(d).toEqual({ type: 'in-store', code: '2200042012346', prefix: '22', kind: 'weight', itemCode: '00042', grams: 1234 });
  });
  it('decodes the other default prefixes: 23 for prices, 24 for weights', () => {
    // 23 00007 00349: 230000700349 from the right: 9×3 + 4 + 3×3 + 0 + 0×3 + 7 + 0×3 + 0 + 0×3 + 0 + 3×3 + 2
    // = 27 + 4 + 9 + 0 + 0 + 7 + 0 + 0 + 0 + 0 + 9 + 2 = 58 -> 2: item 00007 at 3,49 €
    expect(decodeBarcode('2300007003492', defaultInStoreLayouts)).toMatchObject({ kind: 'price', itemCode: '00007', priceCents: 349 });
    // 24 00123 00500: 240012300500 from the right: 0×3 + 0 + 5×3 + 0 + 0×3 + 3 + 2×3 + 1 + 0×3 + 0 + 4×3 + 2
    // = 0 + 0 + 15 + 0 + 0 + 3 + 6 + 1 + 0 + 0 + 12 + 2 = 39 -> 1: 500 g of item 00123
    expect(decodeBarcode('2400123005001', defaultInStoreLayouts)).toMatchObject({ kind: 'weight', itemCode: '00123', grams: 500 });
  });
  it('refuses a misread label instead of ringing a wrong price', () => {
    // The price label above with its last digit misread: 8 instead of 9.
    expect(decodeBarcode('2100042012508', defaultInStoreLayouts)).toEqual({
      type: 'invalid',
      code: '2100042012508',
      reason: 'check-digit',
    });
  });
  it('skips the price-verifier digit where the scale prints one, without checking it', () => {
    const layout: InStoreLayout = { prefix: '26', kind: 'price', itemDigits: 4, skipDigits: 1, valueDigits: 5 };
    // 26 1234 [7] 00999: 261234700999 from the right: 9×3 + 9 + 9×3 + 0 + 0×3 + 7 + 4×3 + 3 + 2×3 + 1 + 6×3 + 2
    // = 27 + 9 + 27 + 0 + 0 + 7 + 12 + 3 + 6 + 1 + 18 + 2 = 112 -> 8
    expect(decodeBarcode('2612347009998', [layout])).toEqual({
      type: 'in-store',
      code: '2612347009998',
      prefix: '26',
      kind: 'price',
      itemCode: '1234',
      priceCents: 999,
    });
    // Same label with verifier 3: 261234300999 -> 27 + 9 + 27 + 0 + 0 + 3 + 12 + 3 + 6 + 1 + 18 + 2 = 108 -> 2
    expect(decodeBarcode('2612343009992', [layout])).toMatchObject({ itemCode: '1234', priceCents: 999 });
    // Encoding writes 0 there: 261234000999 -> 27 + 9 + 27 + 0 + 0 + 0 + 12 + 3 + 6 + 1 + 18 + 2 = 105 -> 5
    expect(encodeInStore(layout, 1234, 999)).toBe('2612340009995');
  });
  it('builds the price label above from its parts', () => {
    expect(encodeInStore(defaultInStoreLayouts[0]!, 42, 1250)).toBe('2100042012509');
    expect(encodeInStore(defaultInStoreLayouts[1]!, '00042', 1234)).toBe('2200042012346');
  });
  it('looks up prefix 20 and unconfigured prefixes whole, like any product code', () => {
    // The shop's own code 20 0000000001: 200000000001 from the right: 1×3 + ten zeros + 2 = 5 -> 5
    expect(makeInternalEan13(1)).toBe('2000000000015');
    expect(decodeBarcode('2000000000015', defaultInStoreLayouts)).toEqual({ type: 'gtin', code: '2000000000015' });
    // 25 00042 01250: 250004201250 from the right: 0 + 5 + 6 + 1 + 0 + 2 + 12 + 0 + 0 + 0 + 5×3 + 2 = 43 -> 7
    expect(decodeBarcode('2500042012507', defaultInStoreLayouts)).toEqual({ type: 'gtin', code: '2500042012507' });
  });
  it('ignores a broken layout rather than misreading labels with it', () => {
    const broken: InStoreLayout = { prefix: '21', kind: 'price', itemDigits: 5, valueDigits: 4 };
    expect(decodeBarcode('2100042012509', [broken])).toEqual({ type: 'gtin', code: '2100042012509' });
  });
  it('trims what the scanner sends and passes other codes through', () => {
    expect(decodeBarcode(' 3017620422003\r\n', defaultInStoreLayouts)).toEqual({ type: 'gtin', code: '3017620422003' });
    expect(decodeBarcode('036000291452', defaultInStoreLayouts)).toEqual({ type: 'gtin', code: '0036000291452' });
    expect(decodeBarcode('ABC-123', defaultInStoreLayouts)).toEqual({ type: 'other', code: 'ABC-123' });
    expect(decodeBarcode('12345', defaultInStoreLayouts)).toEqual({ type: 'other', code: '12345' });
    expect(decodeBarcode('96385070', defaultInStoreLayouts)).toEqual({ type: 'invalid', code: '96385070', reason: 'check-digit' });
  });

  it('encodes then decodes any item and value under any valid layout (property)', () => {
    const layout = fc
      .record({
        prefix: fc.integer({ min: 20, max: 29 }).map(String),
        kind: fc.constantFrom('price' as const, 'weight' as const),
        skipDigits: fc.constantFrom(0 as const, 1 as const),
        itemDigits: fc.integer({ min: 1, max: 8 }),
      })
      .map((l): InStoreLayout => ({ ...l, valueDigits: 10 - l.skipDigits - l.itemDigits }));
    const labelled = layout.chain((l) =>
      fc.tuple(fc.constant(l), fc.integer({ min: 0, max: 10 ** l.itemDigits - 1 }), fc.integer({ min: 0, max: 10 ** l.valueDigits - 1 })),
    );
    fc.assert(
      fc.property(labelled, ([l, item, value]) => {
        expect(checkLayouts([l])).toEqual([]);
        const code = encodeInStore(l, item, value);
        expect(code).toMatch(/^2\d{12}$/);
        expect(isValidGtin(code)).toBe(true);
        const d = decodeBarcode(code, [l]);
        if (d.type !== 'in-store') throw new Error(`${code} decoded as ${d.type}`);
        expect(d.prefix).toBe(l.prefix);
        expect(d.itemCode).toBe(String(item).padStart(l.itemDigits, '0'));
        expect(d.kind === 'price' ? d.priceCents : d.grams).toBe(value);
      }),
      { numRuns: 1000 },
    );
  });
  it('refuses to encode what does not fit', () => {
    const price = defaultInStoreLayouts[0]!;
    expect(() => encodeInStore(price, 1, 100_000)).toThrow(RangeError);
    expect(() => encodeInStore(price, 123_456, 1)).toThrow(RangeError);
    expect(() => encodeInStore(price, 'A1', 1)).toThrow(RangeError);
    expect(() => encodeInStore(price, 1, -1)).toThrow(RangeError);
    expect(() => encodeInStore(price, 1, 12.5)).toThrow(RangeError);
    expect(() => encodeInStore({ ...price, valueDigits: 6 }, 1, 1)).toThrow(RangeError);
  });
});

describe('checking a scale configuration', () => {
  it('finds nothing wrong with the defaults or a 4 + verifier + 5 layout', () => {
    expect(checkLayouts(defaultInStoreLayouts)).toEqual([]);
    expect(checkLayouts([{ prefix: '27', kind: 'weight', itemDigits: 4, skipDigits: 1, valueDigits: 5 }])).toEqual([]);
    expect(checkLayouts([])).toEqual([]);
  });
  it('reports a prefix outside 20–29', () => {
    for (const prefix of ['30', '19', '2', '210', 'ab']) {
      const problems = checkLayouts([{ prefix, kind: 'price', itemDigits: 5, valueDigits: 5 }]);
      expect(problems, prefix).toHaveLength(1);
      expect(problems[0]).toContain(prefix);
    }
  });
  it('reports a duplicate prefix and digit counts that do not make 10', () => {
    const problems = checkLayouts([
      { prefix: '21', kind: 'price', itemDigits: 5, valueDigits: 4 },
      { prefix: '21', kind: 'weight', itemDigits: 5, valueDigits: 5 },
    ]);
    expect(problems).toHaveLength(2);
    expect(problems.some((p) => p.includes('double'))).toBe(true);
  });
  it('reports 5 + 5 digits when a verifier digit leaves room for only 9', () => {
    expect(checkLayouts([{ prefix: '26', kind: 'price', itemDigits: 5, skipDigits: 1, valueDigits: 5 }])).toHaveLength(1);
  });
  it('reports settings that only a hand-edited database could hold', () => {
    const raw = (l: object) => l as InStoreLayout;
    expect(checkLayouts([raw({ prefix: '21', kind: 'volume', itemDigits: 5, valueDigits: 5 })])).toHaveLength(1);
    expect(
      checkLayouts([raw({ prefix: '21', kind: 'price', itemDigits: 4, skipDigits: 2, valueDigits: 4 })]).length,
    ).toBeGreaterThanOrEqual(1);
    expect(checkLayouts([{ prefix: '21', kind: 'price', itemDigits: 0, valueDigits: 10 }])).toHaveLength(1);
  });
});

describe('the shop’s own codes', () => {
  it('numbers products without a manufacturer barcode under prefix 20', () => {
    // 200000001234 from the right: 4×3 + 3 + 2×3 + 1 + zeros + 2 = 12 + 3 + 6 + 1 + 2 = 24 -> 6
    expect(makeInternalEan13(1234)).toBe('2000000012346');
    expect(makeInternalEan13(9_999_999_999)).toMatch(/^209999999999\d$/);
    expect(isValidGtin(makeInternalEan13(9_999_999_999))).toBe(true);
  });
  it('refuses counters that do not fit ten digits', () => {
    expect(() => makeInternalEan13(-1)).toThrow(RangeError);
    expect(() => makeInternalEan13(1.5)).toThrow(RangeError);
    expect(() => makeInternalEan13(10_000_000_000)).toThrow(RangeError);
  });
});
