/**
 * Consignment settlement math (relevé de dépôt-vente), pure so the portal shows exactly what a statement
 * will say. Rules (DESIGN decisions 1, 2 and 6):
 * - what a producer earns is the amount each line was actually sold for, incl. VAT, after its share of
 *   line and ticket discounts; refunds are negative lines;
 * - the shop's commission is `rate × sales incl. VAT`, rounded half-up once per rate (a category can have
 *   its own rate), and VAT at the commission VAT rate (20 %) is added on top and shown apart: the shop
 *   invoices its service;
 * - the restaurant's use of a producer's goods (`kitchen`) is paid at the product's price, without
 *   commission: the shop bought them, it did not sell them on the producer's behalf;
 * - VAT on the goods is computed per rate on the sum of that rate's lines, like a ticket.
 */
import { cents, percentOf, splitGross, sumCents, type BasisPoints, type Cents } from './money.ts';

export type StatementItemKind = 'sale' | 'refund' | 'kitchen';

export interface StatementItem {
  kind: StatementItemKind;
  /** Business day, YYYY-MM-DD (Europe/Paris). */
  day: string;
  /** "Caisse 1 · n° 42", or "Cuisine" for kitchen use. */
  reference: string;
  saleId: string | null;
  lineNo: number | null;
  movementId: number | null;
  productId: number;
  name: string;
  unit: 'piece' | 'kg';
  /** Pieces or grams; negative on a refund. */
  quantity: number;
  unitPriceCents: number;
  /** What the line brings the producer, incl. VAT (negative on a refund). */
  amountCents: number;
  vatRateBp: number;
  /** Commission rate that applies to this line (0 for kitchen use). */
  commissionBp: number;
  /** Dated before the statement's period: it arrived late (offline till, late refund) and was not settled yet. */
  carried: boolean;
}

export interface StatementTotals {
  salesCents: number;
  refundsCents: number;
  kitchenCents: number;
  /** Sales + refunds + kitchen use, incl. VAT: what the goods brought. */
  grossCents: number;
  vat: { vatRateBp: number; grossCents: number; netCents: number; vatCents: number }[];
  /** Per commission rate: the base (sales and refunds incl. VAT) and the commission excl. VAT. */
  commission: { rateBp: number; baseCents: number; commissionCents: number }[];
  commissionNetCents: number;
  commissionVatRateBp: number;
  commissionVatCents: number;
  commissionGrossCents: number;
  /** What the shop owes the producer (negative: the producer owes the shop). */
  netOwedCents: number;
}

export function statementTotals(items: readonly StatementItem[], commissionVatRateBp: number): StatementTotals {
  const sum = (kind: StatementItemKind) => sumCents(items.filter((i) => i.kind === kind).map((i) => cents(i.amountCents)));
  const salesCents = sum('sale');
  const refundsCents = sum('refund');
  const kitchenCents = sum('kitchen');
  const byVat = new Map<number, Cents>();
  const byRate = new Map<number, Cents>();
  for (const i of items) {
    byVat.set(i.vatRateBp, cents((byVat.get(i.vatRateBp) ?? 0) + i.amountCents));
    if (i.kind !== 'kitchen') byRate.set(i.commissionBp, cents((byRate.get(i.commissionBp) ?? 0) + i.amountCents));
  }
  const vat = [...byVat.entries()]
    .sort(([a], [b]) => a - b)
    .map(([rate, gross]) => {
      const s = splitGross(gross, rate as BasisPoints);
      return { vatRateBp: rate, grossCents: s.gross, netCents: s.net, vatCents: s.vat };
    });
  const commission = [...byRate.entries()]
    .sort(([a], [b]) => b - a)
    .map(([rateBp, baseCents]) => ({
      rateBp,
      baseCents,
      commissionCents: percentOf(baseCents, rateBp as BasisPoints),
    }));
  const commissionNetCents = sumCents(commission.map((c) => c.commissionCents));
  const commissionVatCents = percentOf(commissionNetCents, commissionVatRateBp as BasisPoints);
  const commissionGrossCents = cents(commissionNetCents + commissionVatCents);
  const grossCents = cents(salesCents + refundsCents + kitchenCents);
  return {
    salesCents,
    refundsCents,
    kitchenCents,
    grossCents,
    vat,
    commission,
    commissionNetCents,
    commissionVatRateBp,
    commissionVatCents,
    commissionGrossCents,
    netOwedCents: cents(grossCents - commissionGrossCents),
  };
}

/** Commission excl. VAT from the VAT-inclusive commission figure, for display of a rate that includes VAT. */

/** "Statement n° 12" is shown as REL-000012 on paper and in files. */
export const statementCode = (n: number) => `REL-${String(n).padStart(6, '0')}`;
