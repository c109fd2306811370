import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  addProduct,
  approvalCents,
  approvalCovers,
  cartTotals,
  letOffBeyond,
  priceCart,
  removeLine,
  type Cart,
  type CartLine,
} from '../client/caisse/cart.ts';
import type { Product } from '../client/caisse/catalog.ts';

// The till's list works out a scan's figures from the last cart's: whatever the cashier does in whatever
// order, they must be the figures the shared pricing gives for the whole ticket.

let key = 1;
const line = (unitPriceCents: number, quantity: number, discountCents: number, unit: 'piece' | 'kg' = 'piece'): CartLine => ({
  key: key++,
  productId: 1,
  name: 'x',
  producerName: null,
  unit,
  quantity,
  unitPriceCents,
  vatRateBp: 550,
  discountCents,
  note: '',
});

const expected = (cart: Cart) => {
  const priced = priceCart(cart);
  return 'error' in priced
    ? { error: priced.error }
    : { lines: priced.lines.map((l) => l.total + l.ticketDiscount), total: priced.total, error: null };
};

describe('cart totals at each scan', () => {
  it('adds a line to the last figures', () => {
    // 2 × 3,50 € = 7,00 €; then 450 g at 12,00 €/kg = 5,40 €; total 12,40 €.
    const a: Cart = { lines: [line(350, 2, 0)], discountCents: 0 };
    expect(cartTotals(a)).toEqual({ lines: [700], total: 700, error: null });
    const b: Cart = { lines: [...a.lines, line(1200, 450, 0, 'kg')], discountCents: 0 };
    expect(cartTotals(b)).toEqual({ lines: [700, 540], total: 1240, error: null });
    // A discount of 1,00 € on the first line: 6,00 + 5,40 = 11,40 €.
    const c: Cart = { lines: [{ ...b.lines[0]!, discountCents: 100 }, b.lines[1]!], discountCents: 0 };
    expect(cartTotals(c)).toEqual({ lines: [600, 540], total: 1140, error: null });
  });

  it('gives the shared pricing’s figures for any sequence of changes', () => {
    // Mostly scans without a discount, as at the counter; now and then a line discount (sometimes more
    // than the line: refused), a ticket discount, a removal or a new customer.
    const op = fc.oneof(
      {
        weight: 8,
        arbitrary: fc.record({
          kind: fc.constant('add' as const),
          price: fc.integer({ min: 1, max: 5000 }),
          qty: fc.integer({ min: 1, max: 5 }),
          discount: fc.oneof({ weight: 6, arbitrary: fc.constant(0) }, { weight: 1, arbitrary: fc.integer({ min: 1, max: 3000 }) }),
        }),
      },
      { weight: 2, arbitrary: fc.record({ kind: fc.constant('bump' as const) }) },
      { weight: 1, arbitrary: fc.record({ kind: fc.constant('remove' as const), at: fc.nat() }) },
      { weight: 1, arbitrary: fc.record({ kind: fc.constant('ticket' as const), discount: fc.integer({ min: 0, max: 2000 }) }) },
      { weight: 1, arbitrary: fc.record({ kind: fc.constant('clear' as const) }) },
    );
    fc.assert(
      fc.property(fc.array(op, { maxLength: 40 }), (ops) => {
        let cart: Cart = { lines: [], discountCents: 0 };
        for (const o of ops) {
          const lines = cart.lines;
          if (o.kind === 'add') cart = { ...cart, lines: [...lines, line(o.price, o.qty, o.discount)] };
          else if (o.kind === 'bump' && lines.length)
            cart = { ...cart, lines: [...lines.slice(0, -1), { ...lines.at(-1)!, quantity: lines.at(-1)!.quantity + 1 }] };
          else if (o.kind === 'remove' && lines.length) cart = { ...cart, lines: lines.filter((_, i) => i !== o.at % lines.length) };
          else if (o.kind === 'ticket') cart = { ...cart, discountCents: o.discount };
          else if (o.kind === 'clear') cart = { lines: [], discountCents: 0 };
          expect(cartTotals(cart)).toEqual(expected(cart));
        }
      }),
    );
  });
});

// The server's rule, asked before the customer leaves: what is let off in all against the ticket at the
// catalogue's prices (sales/record.ts; test/discounts.test.ts for the server's side).
describe('the cashier’s discount limit, counted in all', () => {
  it('sees 10 % on a line and 10 % on the ticket as 19 %, and a price typed lower as let off too', () => {
    // 2 × 10,00 = 20,00; 2,00 off the line, 1,80 off the 18,00 left: 3,80 of 20,00 = 19 %.
    expect(letOffBeyond({ lines: [line(1000, 2, 200)], discountCents: 180 }, 1000)).toBe(true);
    // 1,00 and 1,00: 2,00 of 20,00 = 10 %, within.
    expect(letOffBeyond({ lines: [line(1000, 2, 100)], discountCents: 100 }, 1000)).toBe(false);
    // A price typed at 9,50 instead of 10,00 (2 × 0,50 = 1,00 let off) and 1,50 off the ticket: 2,50 of 20,00.
    const typed = { ...line(950, 2, 0), cataloguePriceCents: 1000, manualReason: 'abîmé' };
    expect(letOffBeyond({ lines: [typed], discountCents: 150 }, 1000)).toBe(true);
    // The same 9,50 from a scale label (not a manual price) is the price: 1,50 of 19,00 is 7,9 %.
    expect(letOffBeyond({ lines: [{ ...line(950, 2, 0), cataloguePriceCents: 1000 }], discountCents: 150 }, 1000)).toBe(false);
  });
});

describe('the cart’s line keys', () => {
  it('numbers a new line past the lines of a cart kept from an earlier page, so removing it removes it alone', () => {
    // A cart restored after a reload: its lines numbered 1 and 2 by the page before (this page's count
    // started again, here far below them).
    const kept: Cart = {
      lines: [
        { ...line(520, 1, 0), key: 900_001 },
        { ...line(320, 1, 0), key: 900_002 },
      ],
      discountCents: 0,
    };
    const loaf = { id: 7, name: 'Pain', producerName: null, unit: 'piece', priceCents: 520, vatRateBp: 550 } as unknown as Product;
    const added = addProduct(kept, loaf);
    expect(added.lines.map((l) => l.key)).toEqual([900_001, 900_002, 900_003]);
    expect(removeLine(added, 900_003).lines.map((l) => l.key)).toEqual([900_001, 900_002]);
  });
});

describe('what a manager’s discount approval covers on the till', () => {
  it('measures the cart as the server does, and asks again once more is let off', () => {
    // 2 × 10,00 with 2,00 off the line, then 1,80 off the ticket: 3,80 € let off the catalogue's prices.
    const cart: Cart = { lines: [line(1000, 2, 200)], discountCents: 180 };
    expect(approvalCents(cart)).toBe(380);
    // A manual price: 0,01 € for a 45,00 € scarf is 44,99 € let off; raised to 50,00 €, 5,00 € away from it.
    const scarf = (price: number): CartLine => ({ ...line(price, 1, 0), cataloguePriceCents: 4500, manualReason: 'abîmé' });
    expect(approvalCents({ lines: [scarf(1)], discountCents: 0 })).toBe(4499);
    expect(approvalCents({ lines: [scarf(5000)], discountCents: 0 })).toBe(500);
    // Approved at 3,80 €: covered as it is; 0,50 € more off the ticket is not (the server would refuse the ticket
    // once paid).
    const approved = { ...cart, approval: 'v3.token', approvalCents: 380 };
    expect(approvalCovers(approved)).toBe(true);
    expect(approvalCovers({ ...approved, discountCents: 230 })).toBe(false);
    expect(approvalCovers(cart)).toBe(false);
  });
});
