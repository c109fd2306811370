import { PricingError, priceTicket, type PricedTicket } from '../../shared/sales.ts';
import type { Product } from './catalog.ts';

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
}

export interface Cart {
  lines: CartLine[];
  discountCents: number;
  /** A manager's signed approval for discounts above the cashier's limit (checked by the server). */
  approval?: string;
}

export const emptyCart = (): Cart => ({ lines: [], discountCents: 0 });

let nextKey = 1;

/** Adds a product; a piece product already on the last line gets one more instead of a new line. */
export function addProduct(cart: Cart, product: Product, opts: { grams?: number; priceCents?: number; quantity?: number } = {}): Cart {
  if (product.unit === 'piece' && opts.priceCents === undefined) {
    const last = cart.lines[cart.lines.length - 1];
    if (last && last.productId === product.id && last.unitPriceCents === product.priceCents && last.discountCents === 0 && !last.note) {
      return { ...cart, lines: [...cart.lines.slice(0, -1), { ...last, quantity: last.quantity + (opts.quantity ?? 1) }] };
    }
  }
  const line: CartLine = {
    key: nextKey++,
    productId: product.id,
    name: product.name,
    producerName: product.producerName,
    unit: product.unit,
    quantity: product.unit === 'kg' ? (opts.grams ?? 0) : (opts.quantity ?? 1),
    unitPriceCents: product.unit === 'piece' && opts.priceCents !== undefined ? opts.priceCents : product.priceCents,
    vatRateBp: product.vatRateBp,
    discountCents: 0,
    note: '',
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

/** The body the server expects for these lines. */
export function saleLines(cart: Cart) {
  return cart.lines.map((l) => ({
    productId: l.productId,
    ...(l.unit === 'kg' ? { grams: l.quantity } : { quantity: l.quantity }),
    unitPriceCents: l.unitPriceCents,
    discountCents: l.discountCents,
    ...(l.note ? { note: l.note } : {}),
  }));
}
