import { cachedRows, marks } from '../../db/raw.ts';
import type { Db } from '../../db/schema.ts';
import { sitePriceHistory } from '../sites/sites.ts';

/**
 * The catalogue's price history (table `product_prices`): every price and VAT rate a product has had, from
 * when. Written with every price or VAT change, read when a ticket is checked against the prices in force
 * at the time the till rang it.
 */
export interface CataloguePrice {
  priceCents: number;
  vatRateBp: number;
  takeawayVatRateBp: number | null;
}

export async function appendPrice(db: Db, productId: number, price: CataloguePrice, setBy: number | null, at: string): Promise<void> {
  await db
    .insertInto('product_prices')
    .values({
      product_id: productId,
      price_cents: price.priceCents,
      vat_rate_bp: price.vatRateBp,
      takeaway_vat_rate_bp: price.takeawayVatRateBp,
      valid_from: at,
      set_by: setBy,
    })
    .execute();
}

/**
 * A till learns of a price change over the network within seconds; one that rang a ticket just after a
 * change may still have shown the old price. The prices in force during this window before the ticket are
 * accepted too (2 minutes: a stricter reading than a business day, long enough for a catalogue push).
 */
export const PRICE_CHANGE_GRACE_MS = 2 * 60_000;

/**
 * For each product, the catalogue prices a ticket rung at `at` may carry: the one in force then, and those in
 * force during the grace window before it (newest first). A product without history at that time (a ticket
 * from before the history began) gets its oldest known price, or its current one when it has no history.
 */
export async function pricesInForce(
  db: Db,
  products: readonly { id: number; price_cents: number; vat_rate_bp: number; takeaway_vat_rate_bp: number | null }[],
  at: Date,
  siteId?: number,
): Promise<Map<number, CataloguePrice[]>> {
  const out = new Map<number, CataloguePrice[]>();
  if (!products.length) return out;
  // Asked for every ticket: written in SQL once (db/raw.ts).
  const rows = await cachedRows<{
    product_id: number;
    price_cents: number;
    vat_rate_bp: number;
    takeaway_vat_rate_bp: number | null;
    valid_from: string;
  }>(
    db,
    `select "product_id", "price_cents", "vat_rate_bp", "takeaway_vat_rate_bp", "valid_from" from "product_prices" where "product_id" in (${marks(products.length)}) order by "product_id", "valid_from", "id"`,
    products.map((p) => p.id),
  );
  const from = at.getTime() - PRICE_CHANGE_GRACE_MS;
  const byProduct = new Map<number, (typeof rows)[number][]>();
  for (const r of rows) {
    const list = byProduct.get(r.product_id) ?? [];
    list.push(r);
    byProduct.set(r.product_id, list);
  }
  for (const p of products) {
    const history = byProduct.get(p.id) ?? [];
    const asPrice = (r: (typeof rows)[number]): CataloguePrice => ({
      priceCents: r.price_cents,
      vatRateBp: r.vat_rate_bp,
      takeawayVatRateBp: r.takeaway_vat_rate_bp,
    });
    if (!history.length) {
      out.set(p.id, [{ priceCents: p.price_cents, vatRateBp: p.vat_rate_bp, takeawayVatRateBp: p.takeaway_vat_rate_bp }]);
      continue;
    }
    // Row i is in force from its valid_from until the next row's.
    const inForce: CataloguePrice[] = [];
    history.forEach((r, i) => {
      const start = Date.parse(r.valid_from);
      const next = history[i + 1];
      const end = next ? Date.parse(next.valid_from) : Infinity;
      if (start <= at.getTime() && end > from) inForce.push(asPrice(r));
    });
    out.set(p.id, inForce.length ? inForce.reverse() : [asPrice(history[0]!)]);
  }
  if (siteId !== undefined) await applySitePrices(db, out, siteId, at);
  return out;
}

/**
 * A site's own prices (server/sites) over the network's: in the same window, each of the site's prices in
 * force (or the network's, where the site had none or went back to it) with the network's VAT rates. The
 * newest first, as above.
 */
async function applySitePrices(db: Db, out: Map<number, CataloguePrice[]>, siteId: number, at: Date) {
  const own = await sitePriceHistory(db, siteId, [...out.keys()]);
  if (!own.size) return;
  const to = at.getTime();
  const from = to - PRICE_CHANGE_GRACE_MS;
  for (const [productId, rows] of own) {
    const network = out.get(productId)!;
    // The site's states during the window, newest first; null: the network's price.
    const states: (number | null)[] = [];
    rows.forEach((r, i) => {
      const end = rows[i + 1]?.from ?? Infinity;
      if (r.from <= to && end > from) states.unshift(r.priceCents);
    });
    if (!rows.length || rows[0]!.from > from) states.push(null);
    const seen = new Set<string>();
    const list: CataloguePrice[] = [];
    for (const state of states)
      for (const n of network) {
        const price = state === null ? n : { ...n, priceCents: state };
        const key = `${price.priceCents}/${price.vatRateBp}/${price.takeawayVatRateBp}`;
        if (!seen.has(key)) (list.push(price), seen.add(key));
      }
    out.set(productId, list);
  }
}
