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
  /**
   * What the line was let off, incl. VAT (its own discount and its share of the ticket's): quantity × unit
   * price − `amountCents`, negative on a refund (the discount given back with it). Absent when none, and on
   * statements frozen before the lines said it.
   */
  discountCents?: number;
  vatRateBp: number;
  /** Commission rate that applies to this line (0 for kitchen use). */
  commissionBp: number;
  /** Dated before the statement's period: it arrived late (offline till, late refund) and was not settled yet. */
  carried: boolean;
  /** The model it is a size × colour of (textile, issue 22): the statement groups its sales by model. */
  model?: string;
  /** Where it was sold or taken, across a network of sites (issue 23); absent in a one-site shop. */
  site?: string;
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
  /**
   * Commissionnaire only (issue 21): the shop sold in its own name, so it bought the goods from the producer
   * at their price less its commission; the statement is that self-billed purchase, with the producer's VAT
   * regime applied. Absent under the mandataire model (and from statements issued before it existed).
   */
  purchase?: PurchaseTotals;
}

export type VatStatus = 'subject' | 'franchise' | 'flat_rate';

/** The remboursement forfaitaire agricole (art. 298 quater CGI): 4,43 %, or 5,59 % for live animals for meat. */
export const FLAT_RATE_COMPENSATION_BP = [443, 559] as const;

export interface PurchaseTotals {
  regime: VatStatus;
  /** Per VAT rate and commission rate: the sales base incl. VAT, the shop's margin, the purchase price incl. VAT. */
  lines: { vatRateBp: number; commissionBp: number; baseCents: number; marginCents: number; grossCents: number }[];
  /** The purchase per VAT rate; without VAT (net = gross) when the producer charges none. */
  vat: { vatRateBp: number; grossCents: number; netCents: number; vatCents: number }[];
  netCents: number;
  vatCents: number;
  grossCents: number;
  /** A flat-rate farmer selling to a VAT-registered buyer claims this from the State (not deductible by the shop). */
  compensation: { rateBp: number; baseCents: number; amountCents: number } | null;
}

/**
 * The commissionnaire's purchase (art. 256 V CGI): each (VAT rate, commission rate) group of lines bought at
 * its sales incl. VAT less the commission on them (rounded half-up once per group), kitchen use at its price.
 * An assujetti producer's price includes VAT at the goods' rate, split per rate like a ticket; a producer
 * under the franchise or the flat rate charges none.
 */
export function purchaseTotals(
  items: readonly StatementItem[],
  producer: { vatStatus: VatStatus; flatRateBp?: number | undefined },
): PurchaseTotals {
  const groups = new Map<string, { vatRateBp: number; commissionBp: number; base: number }>();
  for (const i of items) {
    const commissionBp = i.kind === 'kitchen' ? 0 : i.commissionBp;
    const key = `${i.vatRateBp}:${commissionBp}`;
    const g = groups.get(key) ?? { vatRateBp: i.vatRateBp, commissionBp, base: 0 };
    g.base = cents(g.base + i.amountCents);
    groups.set(key, g);
  }
  const lines = [...groups.values()]
    .sort((a, b) => a.vatRateBp - b.vatRateBp || b.commissionBp - a.commissionBp)
    .map((g) => {
      const marginCents = percentOf(cents(g.base), g.commissionBp as BasisPoints);
      return {
        vatRateBp: g.vatRateBp,
        commissionBp: g.commissionBp,
        baseCents: g.base,
        marginCents,
        grossCents: cents(g.base - marginCents),
      };
    });
  const byVat = new Map<number, number>();
  for (const l of lines) byVat.set(l.vatRateBp, cents((byVat.get(l.vatRateBp) ?? 0) + l.grossCents));
  const charges = producer.vatStatus === 'subject';
  const vat = [...byVat.entries()].map(([rate, gross]) => {
    if (!charges) return { vatRateBp: rate, grossCents: gross, netCents: gross, vatCents: 0 };
    const s = splitGross(cents(gross), rate as BasisPoints);
    return { vatRateBp: rate, grossCents: s.gross, netCents: s.net, vatCents: s.vat };
  });
  const grossCents = sumCents(vat.map((v) => cents(v.grossCents)));
  const rateBp = producer.flatRateBp ?? FLAT_RATE_COMPENSATION_BP[0];
  return {
    regime: producer.vatStatus,
    lines,
    vat,
    netCents: sumCents(vat.map((v) => cents(v.netCents))),
    vatCents: sumCents(vat.map((v) => cents(v.vatCents))),
    grossCents,
    compensation:
      producer.vatStatus === 'flat_rate'
        ? { rateBp, baseCents: grossCents, amountCents: percentOf(cents(grossCents), rateBp as BasisPoints) }
        : null,
  };
}

/**
 * A statement's totals in the model of its period. Commissionnaire: the commission is the margin taken in the
 * purchase price (no commission invoice, no VAT of its own), and what is owed is the purchase incl. VAT.
 */
export function modelTotals(
  items: readonly StatementItem[],
  commissionVatRateBp: number,
  model: 'mandataire' | 'commissionnaire',
  producer: { vatStatus: VatStatus; flatRateBp?: number | undefined },
): StatementTotals {
  const base = statementTotals(items, commissionVatRateBp);
  if (model === 'mandataire') return base;
  const purchase = purchaseTotals(items, producer);
  // Kitchen use bears no commission (a margin of 0 on its own group): the rates' bases stay the sales'.
  const margins = new Map<number, number>();
  for (const l of purchase.lines) margins.set(l.commissionBp, (margins.get(l.commissionBp) ?? 0) + l.marginCents);
  const commission = base.commission.map((c) => ({ ...c, commissionCents: margins.get(c.rateBp) ?? 0 }));
  const commissionNetCents = sumCents(purchase.lines.map((l) => cents(l.marginCents)));
  return {
    ...base,
    commission,
    commissionNetCents,
    commissionVatRateBp: 0,
    commissionVatCents: 0,
    commissionGrossCents: commissionNetCents,
    netOwedCents: purchase.grossCents,
    purchase,
  };
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
