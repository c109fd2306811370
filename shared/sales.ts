import { spreadDiscount, vatBreakdown, weighedPrice, type BasisPoints, type Cents, type Grams, type VatRow } from './money.ts';

/** One line as priced: pieces × unit price, or grams × price per kg. Same code on the till and the server. */
export interface LineToPrice {
  unit: 'piece' | 'kg';
  /** Pieces, or grams for products sold by weight. */
  quantity: number;
  unitPriceCents: number;
  discountCents: number;
  vatRateBp: number;
}

export interface PricedLine {
  gross: Cents;
  lineDiscount: Cents;
  ticketDiscount: Cents;
  total: Cents;
}

export interface PricedTicket {
  lines: PricedLine[];
  /** Sum of the lines after their own discounts, before the ticket discount. */
  subtotal: Cents;
  discount: Cents;
  total: Cents;
  vat: VatRow[];
}

export class PricingError extends Error {
  constructor(
    readonly field: string,
    message: string,
  ) {
    super(message);
  }
}

export function priceLine(l: LineToPrice): Cents {
  return l.unit === 'kg' ? weighedPrice(l.unitPriceCents as Cents, l.quantity as Grams) : ((l.unitPriceCents * l.quantity) as Cents);
}

/** Prices a ticket; throws PricingError naming the line when a discount exceeds what it applies to. */
export function priceTicket(lines: readonly LineToPrice[], discountCents: number): PricedTicket {
  const partial = lines.map((l, i) => {
    const gross = priceLine(l);
    if (l.discountCents > Math.abs(gross)) throw new PricingError(`lines.${i}.discountCents`, 'remise supérieure au prix de la ligne');
    const afterLine = gross < 0 ? gross + l.discountCents : gross - l.discountCents;
    return { gross, lineDiscount: l.discountCents as Cents, afterLine: afterLine as Cents };
  });
  const subtotal = partial.reduce((s, p) => s + p.afterLine, 0);
  if (discountCents > Math.abs(subtotal)) throw new PricingError('discountCents', 'remise supérieure au total du ticket');
  const shares = spreadDiscount(
    partial.map((p) => p.afterLine),
    discountCents as Cents,
  );
  const priced = partial.map((p, i) => ({
    gross: p.gross,
    lineDiscount: p.lineDiscount,
    ticketDiscount: Math.abs(shares[i]!) as Cents,
    total: (p.afterLine - shares[i]!) as Cents,
  }));
  const total = priced.reduce((s, p) => s + p.total, 0) as Cents;
  return {
    lines: priced,
    subtotal: subtotal as Cents,
    discount: discountCents as Cents,
    total,
    vat: vatBreakdown(priced.map((p, i) => ({ gross: p.total, vatRate: lines[i]!.vatRateBp as BasisPoints }))),
  };
}

/**
 * Whether what the customer is let off in all (the lines' discounts, the ticket's, prices typed below the
 * catalogue's) is more than `limitBp` of the ticket at the catalogue's prices (`catalogueGross`: each line's
 * gross at the catalogue's price). 10 % on a line and 10 % on the ticket are 19 %. The server's rule
 * (`sales/record.ts`), asked by the till too before the customer leaves.
 */
/**
 * Whether `amountCents` off `baseCents` is beyond a limit of `limitBp`: beyond the limit's amount rounded to the
 * cent, as a percentage discount is rounded (10 % of 62,38 € is 6,24 €: a cashier's own 10 % was refused as
 * « au-delà de 10 % » on about half the totals, found by a newcomer's walk).
 */
export function beyondLimit(amountCents: number, baseCents: number, limitBp: number): boolean {
  return Math.abs(amountCents) > Math.round((Math.abs(baseCents) * limitBp) / 10_000);
}

/**
 * How far a ticket is from the catalogue's prices, in cents: each line's distance from its price at the
 * catalogue (its discount, a manual price lower or higher), and the ticket's discount. What a manager's
 * discount approval covers (server/auth/approval.ts): the ticket may be that far, not farther.
 */
export function deviationCents(priced: PricedTicket, catalogueGross: readonly number[]): number {
  let sum = Math.abs(priced.discount);
  priced.lines.forEach((pl, i) => {
    sum += Math.abs(catalogueGross[i]! - (pl.gross - pl.lineDiscount));
  });
  return sum;
}

export function letOffBeyondLimit(priced: PricedTicket, catalogueGross: readonly number[], limitBp: number): boolean {
  let catalogue = 0;
  let paid = -priced.discount;
  priced.lines.forEach((pl, i) => {
    catalogue += catalogueGross[i]!;
    paid += pl.gross - pl.lineDiscount;
  });
  return catalogue - paid > 0 && beyondLimit(catalogue - paid, catalogue, limitBp);
}

export const CASH = 'cash';
/** Change is less than the largest euro note (500 €): anything more is a typing mistake. */
export const MAX_CHANGE_CENTS = 50_000;
/** Methods that never give change (a meal voucher's excess is lost, not refunded). */
export const NO_CHANGE_METHODS = new Set(['meal_voucher', 'card', 'cheque']);

/** A payment as recorded: a meal voucher worth more than what it paid keeps its excess in `excessCents`. */
export interface SettledPayment {
  method: string;
  amountCents: number;
  tipCents?: number | undefined;
  excessCents?: number;
}

/**
 * Payments against a total: they must cover it. Meal vouchers are worth their face value but never give
 * change: what they exceed the total by is kept by the shop (« non rendu », taken off the last vouchers and
 * recorded on them as `excessCents`). The rest of any excess is change, given only out of cash.
 * Returns the change, the vouchers' excess and the payments as recorded, or the reason it cannot be settled.
 */
export function settle(
  totalCents: number,
  payments: readonly { method: string; amountCents: number; tipCents?: number | undefined }[],
): { change: Cents; voucherExcess: Cents; payments: SettledPayment[] } | { problem: string } {
  const paid = payments.reduce((s, p) => s + p.amountCents, 0);
  // Every payment goes one way: in for a sale, out for a refund. A negative one inside a sale would turn one
  // method into another (a cheque of -30 € against a card of 33,30 € for a 3,30 € sale).
  if (totalCents >= 0 && payments.some((p) => p.amountCents < 0)) return { problem: 'un paiement d’une vente est positif' };
  if (totalCents < 0 && payments.some((p) => p.amountCents > 0)) return { problem: 'un paiement d’un remboursement est négatif' };
  if (totalCents >= 0) {
    if (paid < totalCents) return { problem: `paiements insuffisants : ${paid} centimes pour un total de ${totalCents}` };
    const vouchers = payments.filter((p) => p.method === 'meal_voucher').reduce((s, p) => s + p.amountCents, 0);
    const voucherExcess = Math.max(0, vouchers - totalCents);
    const settled: SettledPayment[] = payments.map((p) => ({ ...p }));
    let left = voucherExcess;
    for (let i = settled.length - 1; i >= 0 && left > 0; i--) {
      const p = settled[i]!;
      if (p.method !== 'meal_voucher' || p.amountCents <= 0) continue;
      const kept = Math.min(left, p.amountCents);
      p.amountCents -= kept;
      p.excessCents = kept;
      left -= kept;
    }
    const change = paid - voucherExcess - totalCents;
    const cash = payments.filter((p) => p.method === CASH).reduce((s, p) => s + p.amountCents, 0);
    if (change > cash) return { problem: 'le rendu de monnaie ne peut venir que des espèces' };
    // No note is worth 500 € or more: change of that much is a mistyped amount (10 × 1 000 000 € of cash for a
    // 2,50 € ticket passed, and the Z's cash sales read 10 M€: found by a security probe).
    if (change >= MAX_CHANGE_CENTS)
      return { problem: `rendu de ${change / 100} € : vérifiez le montant reçu en espèces (moins de 500 € de rendu)` };
    // A voucher wholly in excess (a second voucher on a ticket already paid) pays nothing: refused.
    if (settled.some((p) => p.method === 'meal_voucher' && p.amountCents === 0))
      return { problem: 'un titre-restaurant ne règle rien : le ticket est déjà payé' };
    return { change: change as Cents, voucherExcess: voucherExcess as Cents, payments: settled };
  }
  // A refund: money goes back, exactly.
  if (paid !== totalCents) return { problem: `le remboursement (${paid} centimes) doit égaler le total (${totalCents})` };
  return { change: 0 as Cents, voucherExcess: 0 as Cents, payments: payments.map((p) => ({ ...p })) };
}

/** What a line of a ticket carries, or what its refunds have given back of it so far (positive amounts). */
export interface LineAmounts {
  /** Pieces, or grams for a weighed product; 0 for a share of a restaurant bill (cents only). */
  quantity: number;
  grossCents: number;
  lineDiscountCents: number;
  ticketDiscountCents: number;
}

/**
 * What is left to refund of a line: pieces or grams, or for a share of a restaurant bill (quantity 0) 1 while
 * it has not been refunded (a share is given back whole, once).
 */
export function refundableOf(line: LineAmounts, refunded: LineAmounts): number {
  // A share is given back once, whole; a share of 0,00 € has nothing to give back (it was refundable for ever).
  if (line.quantity === 0)
    return line.grossCents !== 0 && refunded.grossCents === 0 && refunded.lineDiscountCents === 0 && refunded.ticketDiscountCents === 0
      ? 1
      : 0;
  return line.quantity - refunded.quantity;
}

/**
 * The amounts `q` pieces (or grams) of a line give back, `refunded` being what its earlier refunds gave: each
 * amount pro rata, rounded half away from zero, and when `q` is all that is left, exactly what is left (so a
 * line refunded in parts gives back what it took, to the cent). A share (quantity 0) is given back whole.
 * The server books these amounts and the till shows them: the same function on both sides.
 */
export function refundPart(line: LineAmounts, refunded: LineAmounts, q: number) {
  const whole = line.quantity === 0 || q === refundableOf(line, refunded);
  const part = (amount: number, back: number) =>
    whole ? amount - back : Math.sign(amount) * Math.floor((Math.abs(amount) * q * 2 + line.quantity) / (2 * line.quantity));
  const grossCents = part(line.grossCents, refunded.grossCents);
  const lineDiscountCents = part(line.lineDiscountCents, refunded.lineDiscountCents);
  const ticketDiscountCents = part(line.ticketDiscountCents, refunded.ticketDiscountCents);
  return {
    quantity: line.quantity === 0 ? 0 : q,
    grossCents,
    lineDiscountCents,
    ticketDiscountCents,
    totalCents: grossCents - lineDiscountCents - ticketDiscountCents,
  };
}
