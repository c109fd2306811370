import type { SaleBody } from '../../shared/api/sales.ts';
import { decodeBarcode, defaultInStoreLayouts } from '../../shared/barcodes.ts';
import { formatEuros, formatRate, weighedPrice, type BasisPoints, type Cents, type Grams } from '../../shared/money.ts';
import type { Db, PriceSource } from '../../db/schema.ts';
import { pricesInForce, type CataloguePrice } from '../catalog/prices.ts';
import { producersWithoutVat } from '../accounting/consignment.ts';
import { businessDay } from '../../shared/time.ts';
import { inStoreLayouts } from '../settings/settings.ts';
import { Unprocessable } from '../errors.ts';

export interface ProductToPrice {
  id: number;
  name: string;
  unit: 'piece' | 'kg';
  plu: string | null;
  price_cents: number;
  vat_rate_bp: number;
  takeaway_vat_rate_bp: number | null;
  producer_id: number | null;
}

/** Where each line's price and VAT rate come from, as the server checked them. */
export interface LinePrice {
  source: PriceSource;
  vatRateBp: number;
  /** The catalogue's unit price (per piece or per kg) in force when the ticket was rung. */
  cataloguePriceCents: number;
  /** The line's amount at the catalogue price, before any discount: what a manual price is measured against. */
  catalogueGrossCents: number;
  manualReason: string | null;
}

// Plain spaces in the messages: they are read by a cashier and matched by tests, not typeset.
const plain = (s: string) => s.replace(/\u202f|\u00a0/g, ' ');
const eur = (c: number) => plain(formatEuros(c as Cents));
const rate = (bp: number) => plain(formatRate(bp as BasisPoints));

/**
 * Checks each line's unit price and VAT rate against the catalogue in force when the ticket was rung
 * (`createdAt`, with the grace of catalog/prices.ts): a restaurant order's line carries the order's price
 * and rate (priced by the server when ordered, checked by checkOrderPart); a line scanned from a scale
 * label carries the label's price; any other price is a manual price and needs its reason. A VAT rate the
 * till states must be the one the server applies: there is no manual VAT rate.
 */
export async function checkLinePrices(
  trx: Db,
  lines: SaleBody['lines'],
  productOf: Map<number, ProductToPrice>,
  at: Date,
  how: {
    ordered: readonly { vatRateBp: number }[] | null;
    onSite: boolean;
    siteId?: number;
    /** Each line's options' supplements (a dish at a till): part of its catalogue price. */
    supplementsCents?: readonly number[];
  },
): Promise<LinePrice[]> {
  const inForce = await pricesInForce(trx, [...productOf.values()], at, how.siteId);
  const layouts = lines.some((l) => l.priceLabel) ? await inStoreLayouts(trx) : [];
  const problems: { field: string; reason: string }[] = [];
  // Mandataire: a franchise or flat-rate producer's goods carry no VAT (server/accounting/consignment.ts).
  const noVat = await producersWithoutVat(
    trx,
    businessDay(at, 'Europe/Paris'),
    [...productOf.values()].flatMap((p) => (p.producer_id === null ? [] : [p.producer_id])),
  );
  const out = lines.map((l, i): LinePrice => {
    const product = productOf.get(l.productId)!;
    const exempt = product.producer_id !== null && noVat.has(product.producer_id);
    const vatOf = (p: CataloguePrice) => (exempt ? 0 : how.onSite ? p.vatRateBp : (p.takeawayVatRateBp ?? p.vatRateBp));
    const prices = inForce.get(product.id)!;
    const quantity = (product.unit === 'kg' ? l.grams : l.quantity)!;
    const grossAt = (unit: number) => (product.unit === 'kg' ? weighedPrice(unit as Cents, quantity as Grams) : unit * quantity);
    const extra = how.supplementsCents?.[i] ?? 0;
    const matched = prices.find((p) => p.priceCents + extra === l.unitPriceCents);
    const catalogue = matched ?? prices[0]!;
    const cataloguePrice = catalogue.priceCents + extra;
    const base = { cataloguePriceCents: cataloguePrice, catalogueGrossCents: grossAt(cataloguePrice), manualReason: null };
    if (how.ordered) {
      const vatRateBp = how.ordered[i]!.vatRateBp;
      if (l.vatRateBp !== undefined && l.vatRateBp !== vatRateBp)
        problems.push({ field: `lines.${i}.vatRateBp`, reason: `taux de TVA de la commande ${rate(vatRateBp)}` });
      // The order's price (the product's and its modifiers', worked out by the server when ordered).
      return { ...base, source: 'order', vatRateBp };
    }
    // The rate goes with the price in force: the one matched, or the newest.
    const allowedRates = [...new Set(prices.map(vatOf))];
    let vatRateBp = vatOf(catalogue);
    if (l.vatRateBp !== undefined) {
      if (allowedRates.includes(l.vatRateBp)) vatRateBp = l.vatRateBp;
      else
        problems.push({
          field: `lines.${i}.vatRateBp`,
          reason: `taux de TVA ${rate(l.vatRateBp)} différent de celui du catalogue ${rate(vatRateBp)} : un taux de TVA ne se change pas à la caisse`,
        });
    }
    if (l.priceLabel !== undefined && product.unit === 'kg') {
      // The till reads a price label on goods sold by weight as the weight it stands for, at the price per kilo:
      // a label's price taken as the price per kilo sold 5 kg of garlic for 0,05 € (found by an attack).
      problems.push({
        field: `lines.${i}.priceLabel`,
        reason: `« ${product.name} » se vend au poids : son étiquette de prix se compte en grammes au prix du kilo`,
      });
      return { ...base, source: 'manual', vatRateBp };
    }
    if (l.priceLabel !== undefined) {
      const decoded = decodeBarcode(l.priceLabel, layouts.length ? layouts : defaultInStoreLayouts);
      const ofProduct =
        decoded.type === 'in-store' &&
        product.plu !== null &&
        (product.plu === decoded.itemCode || product.plu === String(Number(decoded.itemCode)));
      if (decoded.type === 'in-store' && decoded.kind === 'price' && ofProduct && decoded.priceCents === l.unitPriceCents)
        return { ...base, source: 'label', vatRateBp };
      if (!l.manualPrice) {
        problems.push({
          field: `lines.${i}.priceLabel`,
          reason: `étiquette ${l.priceLabel} : pas une étiquette de prix de « ${product.name} » à ${eur(l.unitPriceCents)}`,
        });
        return { ...base, source: 'manual', vatRateBp };
      }
    }
    if (matched) return { ...base, source: 'catalogue', vatRateBp };
    if (!l.manualPrice) {
      problems.push({
        field: `lines.${i}.unitPriceCents`,
        reason: `prix ${eur(l.unitPriceCents)} différent du prix du catalogue ${eur(cataloguePrice)}${extra ? ' (options comprises)' : ''} : un prix manuel demande un motif`,
      });
    }
    return { ...base, source: 'manual', vatRateBp, manualReason: l.manualPrice?.reason ?? null };
  });
  if (problems.length) throw new Unprocessable(`Ticket refusé : ${problems.map((p) => p.reason).join(' ; ')}.`, problems);
  return out;
}
