import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { beyondLimit } from './sales.ts';

describe('a discount against the cashier’s limit', () => {
  it('takes the limit’s amount rounded to the cent as within it, a cent more as beyond', () => {
    // 10 % of 62,38 € = 6,238 → 6,24 €: within (the till rounds a percentage so); 6,25 €: beyond.
    expect(beyondLimit(624, 6238, 1000)).toBe(false);
    expect(beyondLimit(625, 6238, 1000)).toBe(true);
    // 10 % of 62,34 € = 6,234 → 6,23 €.
    expect(beyondLimit(623, 6234, 1000)).toBe(false);
    expect(beyondLimit(624, 6234, 1000)).toBe(true);
    // A refund's negative amounts are measured by their size.
    expect(beyondLimit(-624, -6238, 1000)).toBe(false);
    expect(beyondLimit(0, 0, 0)).toBe(false);
    expect(beyondLimit(1, 100, 0)).toBe(true);
  });

  it('passes any percentage up to the limit, computed as the till computes it', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 10_000_000 }), fc.integer({ min: 0, max: 10_000 }), (base, limitBp) => {
        const asTheTill = Math.round((base * limitBp) / 10_000);
        expect(beyondLimit(asTheTill, base, limitBp)).toBe(false);
        expect(beyondLimit(asTheTill + 1, base, limitBp)).toBe(true);
      }),
    );
  });
});
