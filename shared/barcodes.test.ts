import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { checkLayouts, decodeBarcode, defaultInStoreLayouts, encodeInStore, gtinCheckDigit, isValidGtin, makeInternalEan13, normalizeGtin, type InStoreLayout } from './barcodes.ts';

describe('GS1 check digits, computed by hand', () => {
  it('checks the Nutella EAN-13 3017620422003', () => {
    // 301762042200, weights 3,1,3… from the right: 0×3+0+2×3+2+4×3+0+2×3+6+7×3+1+0×3+3
    // = 0+0+6+2+12+0+6+6+21+1+0+3 = 57 -> (10 − 7) = 3
    expect(gtinCheckDigit('301762042200')).toBe(3);
    expect(isValidGtin('3017620422003')).toBe(true);
    expect(isValidGtin('3017620422004')).toBe(false);
  });
  it('checks 4006381333931', () => {
    // 400638133393 from the right: 3×3+9+3×3+3+3×3+1+8×3+3+6×3+0+0×3+4 = 9+9+9+3+9+1+24+3+18+0+0+4 = 89 -> 1
    expect(gtinCheckDigit('400638133393')).toBe(1);
  });
  it('checks the EAN-8 96385074 and the UPC-A 036000291452', () => {
    // 9638507 from the right: 7×3+0+5×3+8+3×3+6+9×3 = 21+0+15+8+9+6+27 = 86 -> 4
    expect(isValidGtin('96385074')).toBe(true);
    // 03600029145 from the right: 5×3+4+1×3+9+2×3+0+0×3+0+6×3+3+0×3 = 15+4+3+9+6+0+0+0+18+3+0 = 58 -> 2
    expect(isValidGtin('036000291452')).toBe(true);
    expect(normalizeGtin('036000291452')).toBe('0036000291452');
    expect(isValidGtin('0036000291452')).toBe(true);
  });
});

describe('scale labels (EAN-13 prefixes 20–29)', () => {
  it('decodes a price label: 21 00042 01250 -> item 00042 at 12,50 €', () => {
    // 210004201250 from the right: 0×3+5+2×3+1+0×3+2+4×3+0+0×3+0+1×3+2 = 0+5+6+1+0+2+12+0+0+0+3+2 = 31 -> 9
    const d = decodeBarcode('2100042012509', defaultInStoreLayouts);
    expect(d).toEqual({ type: 'in-store', code: '2100042012509', prefix: '21', kind: 'price', itemCode: '00042', priceCents: 1250 });
  });
  it('decodes a weight label: 22 00042 01234 -> 1 234 g', () => {
    expect(decodeBarcode('2200042012346', defaultInStoreLayouts)).toMatchObject({ kind: 'weight', itemCode: '00042', grams: 1234 });
  });
  it('skips a price-verifier digit where the scale prints one', () => {
    const layout: InStoreLayout = { prefix: '26', kind: 'price', itemDigits: 4, skipDigits: 1, valueDigits: 5 };
    // 26 1234 7 00999 + check: 261234700999 from the right: 9×3+9+9×3+0+0×3+7+4×3+3+2×3+1+6×3+2 = 27+9+27+0+0+7+12+3+6+1+18+2 = 112 -> 8
    expect(decodeBarcode('2612347009998', [layout])).toMatchObject({ itemCode: '1234', priceCents: 999 });
  });
  it('leaves prefix 20 and unknown prefixes to plain look-up, and flags a bad check digit', () => {
    expect(decodeBarcode('2000000000015', defaultInStoreLayouts)).toEqual({ type: 'gtin', code: '2000000000015' });
    expect(decodeBarcode('2100042012508', defaultInStoreLayouts)).toEqual({ type: 'invalid', code: '2100042012508', reason: 'check-digit' });
    expect(decodeBarcode('ABC-123', defaultInStoreLayouts)).toEqual({ type: 'other', code: 'ABC-123' });
  });
  it('round-trips any item and value through encode and decode (property)', () => {
    fc.assert(
      fc.property(fc.constantFrom(...defaultInStoreLayouts), fc.integer({ min: 0, max: 99_999 }), fc.integer({ min: 0, max: 99_999 }), (layout, item, value) => {
        const code = encodeInStore(layout, item, value);
        expect(isValidGtin(code)).toBe(true);
        const d = decodeBarcode(code, defaultInStoreLayouts);
        expect(d.type).toBe('in-store');
        if (d.type !== 'in-store') return;
        expect(d.itemCode).toBe(String(item).padStart(5, '0'));
        expect(d.kind === 'price' ? d.priceCents : d.grams).toBe(value);
      }),
      { numRuns: 500 },
    );
    expect(() => encodeInStore(defaultInStoreLayouts[0]!, 1, 100_000)).toThrow(RangeError);
  });
  it('reports layouts that cannot work', () => {
    expect(checkLayouts(defaultInStoreLayouts)).toEqual([]);
    expect(checkLayouts([{ prefix: '30', kind: 'price', itemDigits: 5, valueDigits: 5 }])).toHaveLength(1);
    expect(checkLayouts([{ prefix: '21', kind: 'price', itemDigits: 5, valueDigits: 4 }, { prefix: '21', kind: 'weight', itemDigits: 5, valueDigits: 5 }])).toHaveLength(2);
  });
  it('makes the shop’s own codes with prefix 20', () => {
    // 200000000001: 1×3 + 2 = 5 -> 5
    expect(makeInternalEan13(1)).toBe('2000000000015');
  });
});
