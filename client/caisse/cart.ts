import { deviationCents, letOffBeyondLimit, PricingError, priceLine, priceTicket, type PricedTicket } from '../../shared/sales.ts';
import type { Product } from './catalog.ts';
import { weighedPrice, type Cents, type Grams } from '../../shared/money.ts';
import { withOptions } from '../../shared/text.ts';

export interface CartLine {
  key: number;
  productId: number;
  name: string;
  producerName: string | null;
  unit: 'piece' | 'kg';
  /** Pieces, or grams for products sold by weight. */
  quantity: number;
  /** Per piece or per kg, incl. VAT, as sold. */
  unitPriceCents: number;
  vatRateBp: number;
  discountCents: number;
  note: string;
  /** The catalogue's price when the line was rung: another unit price is a manual price (or a scale label's). */
  cataloguePriceCents?: number;
  /** The scale label the line was scanned from (its price is the label's): the server checks it. */
  priceLabel?: string;
  /** Why the line is at a manual price (set in the line editor): the server refuses a manual price without one. */
  manualReason?: string;
  /** A dish's options chosen in its dialog (cuisson, suppléments): their supplements are in `unitPriceCents`. */
  modifiers?: { id: number; name: string; priceCents: number }[];
}

export interface Cart {
  lines: CartLine[];
  discountCents: number;
  /** A manager's signed approval for discounts above the cashier's limit (checked by the server). */
  approval?: string;
  /** What that approval covers (`approvalCents` of the cart when it was given): more needs another. */
  approvalCents?: number;
}

export const emptyCart = (): Cart => ({ lines: [], discountCents: 0 });

let nextKey = 1;

/** Adds a product; a piece product already on the last line gets one more instead of a new line. */
export function addProduct(
  cart: Cart,
  product: Product,
  opts: { grams?: number; priceCents?: number; quantity?: number; priceLabel?: string; modifiers?: readonly number[] } = {},
): Cart {
  // The options chosen, in the menu's order (as the server keeps them), and the dish's price with them.
  const ids = opts.modifiers ?? [];
  const chosen = ids.length ? product.modifiers.flatMap((g) => g.options.filter((o) => ids.includes(o.id))) : [];
  const price = product.priceCents + chosen.reduce((sum, o) => sum + o.priceCents, 0);
  const sameOptions = (l: CartLine) => (l.modifiers ?? []).map((m) => m.id).join() === chosen.map((o) => o.id).join();
  if (product.unit === 'piece' && opts.priceCents === undefined) {
    const last = cart.lines[cart.lines.length - 1];
    if (
      last &&
      last.productId === product.id &&
      last.unitPriceCents === price &&
      sameOptions(last) &&
      last.discountCents === 0 &&
      !last.note
    ) {
      return { ...cart, lines: [...cart.lines.slice(0, -1), { ...last, quantity: last.quantity + (opts.quantity ?? 1) }] };
    }
  }
  // Past every key of the cart: a cart kept across a reload (or a parked one) was numbered by an earlier page,
  // and two lines sharing a key were edited and removed together (found by a test: deleting a loaf added
  // after a reload took the first loaf with it).
  let key = nextKey;
  for (const l of cart.lines) if (l.key >= key) key = l.key + 1;
  nextKey = key + 1;
  const line: CartLine = {
    key,
    productId: product.id,
    // « Entrecôte (À point, Frites) »: the name the ticket and the receipt give it (server/restaurant/counter.ts).
    name: withOptions(product.name, chosen),
    producerName: product.producerName,
    unit: product.unit,
    quantity: product.unit === 'kg' ? (opts.grams ?? 0) : (opts.quantity ?? 1),
    unitPriceCents: product.unit === 'piece' && opts.priceCents !== undefined ? opts.priceCents : price,
    vatRateBp: product.vatRateBp,
    discountCents: 0,
    note: '',
    cataloguePriceCents: price,
    ...(chosen.length ? { modifiers: chosen.map((o) => ({ id: o.id, name: o.name, priceCents: o.priceCents })) } : {}),
    ...(opts.priceLabel && product.unit === 'piece' && opts.priceCents !== undefined ? { priceLabel: opts.priceLabel } : {}),
  };
  return { ...cart, lines: [...cart.lines, line] };
}

export function updateLine(cart: Cart, key: number, patch: Partial<CartLine>): Cart {
  return { ...cart, lines: cart.lines.map((l) => (l.key === key ? { ...l, ...patch } : l)) };
}

export function removeLine(cart: Cart, key: number): Cart {
  const lines = cart.lines.filter((l) => l.key !== key);
  return { ...cart, lines, discountCents: lines.length ? cart.discountCents : 0 };
}

/** The same pricing as the server's (shared code): what the till shows is what the server will store. */
export function priceCart(cart: Cart): PricedTicket | { error: string } {
  try {
    return priceTicket(
      cart.lines.map((l) => ({
        unit: l.unit,
        quantity: l.quantity,
        unitPriceCents: l.unitPriceCents,
        discountCents: l.discountCents,
        vatRateBp: l.vatRateBp,
      })),
      cart.discountCents,
    );
  } catch (e) {
    if (e instanceof PricingError) return { error: e.message };
    throw e;
  }
}

/** What the cart's list shows: each line's amount after its own discount (the ticket's is shown apart), and the ticket's total. */
export type CartTotals = { lines: number[]; total: number; error: null } | { error: string };

const lineAmounts = new WeakMap<CartLine, number | null>();
/** The last cart worked out without a ticket discount, to add a scan's line to its figures. */
let lastTotals: { cart: Cart; lines: number[]; total: number } | null = null;

/**
 * A line's amount after its own discount, kept with the line (a line object never changes); null when its
 * discount is more than the line, which `priceCart` refuses (it then gives the reason). The same sums as
 * `priceTicket`'s for a line (a test holds them to it).
 */
function lineAmount(l: CartLine): number | null {
  let amount = lineAmounts.get(l);
  if (amount === undefined) {
    const gross = priceLine({
      unit: l.unit,
      quantity: l.quantity,
      unitPriceCents: l.unitPriceCents,
      discountCents: l.discountCents,
      vatRateBp: l.vatRateBp,
    });
    amount = l.discountCents > Math.abs(gross) ? null : gross < 0 ? gross + l.discountCents : gross - l.discountCents;
    lineAmounts.set(l, amount);
  }
  return amount;
}

/**
 * The same figures as `priceCart`'s, worked out at each scan for the new line only: without a ticket
 * discount each line's amount depends on that line alone, so a cart that is the last one plus a line (or
 * with its last line changed) adds to the last figures. With a ticket discount, or a line whose discount is
 * refused, the whole ticket is priced.
 */
export function cartTotals(cart: Cart): CartTotals {
  if (cart.discountCents === 0) {
    const n = cart.lines.length;
    const last = lastTotals;
    let lines: number[] | null = null;
    let total = 0;
    if (last && last.cart.discountCents === 0) {
      const before = last.cart.lines;
      // The lines before the last one are the very same objects: only the last changed or was added.
      const same = n >= 1 && (before.length === n || before.length === n - 1) && cart.lines.every((l, i) => i >= n - 1 || l === before[i]);
      if (same) {
        const amount = lineAmount(cart.lines[n - 1]!);
        if (amount !== null) {
          // The last figures, less the last line's when it was replaced, plus the new line's.
          total = last.total - (before.length === n ? last.lines[n - 1]! : 0) + amount;
          lines = last.lines.slice(0, n - 1);
          lines.push(amount);
        }
      }
    }
    if (!lines) {
      lines = [];
      total = 0;
      for (const l of cart.lines) {
        const amount = lineAmount(l);
        if (amount === null) break;
        lines.push(amount);
        total += amount;
      }
    }
    if (lines.length === n) {
      lastTotals = { cart, lines, total };
      return { lines, total, error: null };
    }
  }
  const priced = priceCart(cart);
  if ('error' in priced) return priced;
  return { lines: priced.lines.map((l) => l.total + l.ticketDiscount), total: priced.total, error: null };
}

/** The body the server expects for these lines. */
export function saleLines(cart: Cart) {
  return cart.lines.map((l) => ({
    productId: l.productId,
    ...(l.unit === 'kg' ? { grams: l.quantity } : { quantity: l.quantity }),
    unitPriceCents: l.unitPriceCents,
    discountCents: l.discountCents,
    ...(l.note ? { note: l.note } : {}),
    ...(l.modifiers?.length ? { modifiers: l.modifiers.map((m) => m.id) } : {}),
    ...(l.priceLabel ? { priceLabel: l.priceLabel } : {}),
    ...(isManualPrice(l) ? { manualPrice: { reason: l.manualReason ?? '' } } : {}),
  }));
}

/** The server's limit on what is let off in all (`letOffBeyondLimit`), for this cart: the PIN is asked before the customer leaves. */
export function letOffBeyond(cart: Cart, limitBp: number): boolean {
  const priced = priceCart(cart);
  if ('error' in priced) return false;
  return letOffBeyondLimit(priced, catalogueGrossOf(cart, priced), limitBp);
}

/** Each line at the catalogue's price (a manual price's catalogue price; any other line as priced). */
function catalogueGrossOf(cart: Cart, priced: PricedTicket): number[] {
  return cart.lines.map((l, i) => {
    if (!isManualPrice(l)) return priced.lines[i]!.gross;
    const price = l.cataloguePriceCents ?? l.unitPriceCents;
    return l.unit === 'kg' ? weighedPrice(price as Cents, l.quantity as Grams) : price * l.quantity;
  });
}

/** What a manager approves for this cart, as the server measures it (`deviationCents`): all it is let off. */
export function approvalCents(cart: Cart): number {
  const priced = priceCart(cart);
  return 'error' in priced ? 0 : deviationCents(priced, catalogueGrossOf(cart, priced));
}

/** Whether the cart's approval still covers it (a discount added since asks for another). */
export function approvalCovers(cart: Cart): boolean {
  return cart.approval !== undefined && approvalCents(cart) <= (cart.approvalCents ?? Infinity);
}

/** A line at a price the cashier set in the line editor (neither the catalogue's nor its scale label's). */
export function isManualPrice(l: CartLine): boolean {
  return l.manualReason !== undefined;
}
