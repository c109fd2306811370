import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { canonicalJson } from './canonical.ts';
import { ticketCanonicalJson, type TicketRecord } from './tickets.ts';

const int = fc.integer({ min: -100_000_000, max: 100_000_000 });
const text = fc.string({ unit: 'grapheme', maxLength: 40 });
const line = fc.record({
  lineNo: fc.integer({ min: 1, max: 500 }),
  productId: fc.integer({ min: 1, max: 1e6 }),
  name: fc.oneof(text, fc.constantFrom('Pâté de campagne', 'Œufs "plein air"', 'Bière\\blonde', 'emoji 🧀', '\u2028')),
  producerId: fc.option(fc.integer({ min: 1, max: 1e4 }), { nil: null }),
  quantity: int,
  unitPriceCents: int,
  grossCents: int,
  lineDiscountCents: int,
  ticketDiscountCents: int,
  totalCents: int,
  vatRateBp: fc.constantFrom(0, 210, 550, 1000, 2000),
});
const record: fc.Arbitrary<TicketRecord> = fc.record({
  id: fc.uuid(),
  tillId: fc.integer({ min: 1, max: 50 }),
  training: fc.boolean(),
  number: fc.integer({ min: 1, max: 1e9 }),
  chainSeq: fc.integer({ min: 1, max: 1e9 }),
  createdAt: fc.date({ noInvalidDate: true }).map((d) => d.toISOString()),
  businessDay: fc.constant('2026-11-21'),
  cashierId: fc.integer({ min: 1, max: 1000 }),
  kind: fc.constantFrom('sale' as const, 'refund' as const),
  refundOf: fc.option(fc.uuid(), { nil: null }),
  lines: fc.array(line, { maxLength: 8 }),
  vat: fc.array(fc.record({ vatRateBp: fc.constantFrom(550, 2000), grossCents: int, netCents: int, vatCents: int }), { maxLength: 3 }),
  payments: fc.array(
    fc.record(
      {
        method: fc.constantFrom('cash', 'card', 'meal_voucher', 'other:chèque_cadeau'),
        amountCents: int,
        // A tip on card: present only when there is one (tickets without keep their bytes).
        tipCents: fc.integer({ min: 1, max: 100_000 }),
        // A meal voucher's excess kept by the shop: present only when there is one.
        excessCents: fc.integer({ min: 1, max: 100_000 }),
      },
      { requiredKeys: ['method', 'amountCents'] },
    ),
    { maxLength: 4 },
  ),
  subtotalCents: int,
  discountCents: int,
  totalCents: int,
  changeCents: int,
  tillGrandTotalCents: fc.integer({ min: -1e12, max: 1e12 }),
});

// Chain version 2: every fiscal field, each line's unit, note and refunded line among them.
const recordV2: fc.Arbitrary<TicketRecord> = fc
  .tuple(
    record,
    fc.array(
      fc.record({
        unit: fc.constantFrom('piece' as const, 'kg' as const),
        note: fc.option(text, { nil: null }),
        refundOfLine: fc.option(fc.integer({ min: 1, max: 500 }), { nil: null }),
      }),
      { minLength: 8, maxLength: 8 },
    ),
    fc.record({
      outletId: fc.integer({ min: 1, max: 9 }),
      reason: fc.option(text, { nil: null }),
      approvedBy: fc.option(fc.integer({ min: 1, max: 1000 }), { nil: null }),
      receivedAt: fc.date({ noInvalidDate: true }).map((d) => d.toISOString()),
      late: fc.boolean(),
      gapBefore: fc.boolean(),
      deviceId: fc.option(fc.integer({ min: 1, max: 1000 }), { nil: null }),
      proposedNumber: fc.option(fc.integer({ min: 1, max: 1e9 }), { nil: null }),
      softwareVersion: fc.option(fc.constantFrom('0.9.0', '1.0.0-rc.1'), { nil: null }),
    }),
  )
  .map(([r, extras, v2]) => ({ v: 2 as const, ...r, ...v2, lines: r.lines.map((l, i) => ({ ...l, ...extras[i]! })) }));

describe('the ticket’s canonical JSON', () => {
  it('in version 2 too, is byte for byte the generic canonical JSON, with `"v":2` and every fiscal field', () => {
    fc.assert(
      fc.property(recordV2, (r) => {
        const text = ticketCanonicalJson(r);
        expect(text).toBe(canonicalJson(r));
        expect(text).toContain('"v":2');
        for (const key of ['outletId', 'reason', 'approvedBy', 'receivedAt', 'late', 'gapBefore', 'softwareVersion'])
          expect(text).toContain(`"${key}":`);
      }),
      { numRuns: 1000 },
    );
  });

  it('in version 3, is version 2 with each line’s price origin, byte for byte the generic canonical JSON', () => {
    const recordV3 = fc
      .tuple(
        recordV2,
        fc.record({
          priceSource: fc.option(fc.constantFrom('catalogue', 'label', 'order', 'manual'), { nil: null }),
          cataloguePriceCents: fc.option(fc.integer({ min: 0, max: 1e7 }), { nil: null }),
          manualPriceReason: fc.option(text, { nil: null }),
          priceApprovedBy: fc.option(fc.integer({ min: 1, max: 1000 }), { nil: null }),
        }),
      )
      .map(([r, price]) => ({ ...r, v: 3 as const, lines: r.lines.map((l) => ({ ...l, ...price })) }));
    fc.assert(
      fc.property(recordV3, (r) => {
        const text = ticketCanonicalJson(r);
        expect(text).toBe(canonicalJson(r));
        expect(text).toContain('"v":3');
        if (r.lines.length)
          for (const key of ['priceSource', 'cataloguePriceCents', 'manualPriceReason', 'priceApprovedBy'])
            expect(text).toContain(`"${key}":`);
      }),
      { numRuns: 500 },
    );
  });

  it('is byte for byte what the generic canonical JSON gives, so every stored hash still verifies', () => {
    fc.assert(
      fc.property(record, (r) => {
        expect(ticketCanonicalJson(r)).toBe(canonicalJson(r));
      }),
      { numRuns: 2000 },
    );
  });
});
