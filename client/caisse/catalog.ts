import { decodeBarcode, defaultInStoreLayouts } from '../../shared/barcodes.ts';
import { weighedPrice, type Cents, type Grams } from '../../shared/money.ts';
import { normalizeForSearch, searchTerms } from '../../shared/text.ts';
import type { TillCatalog } from '../../shared/api/catalog.ts';

/** The catalogue as `GET /api/catalog` sends it, kept on the tablet to sell offline. */
export type CatalogData = TillCatalog;
export type Product = CatalogData['products'][number];
export type Category = CatalogData['categories'][number];
export type Producer = CatalogData['producers'][number];

/** What a scan resolves to: a product with its quantity or grams and, for scale labels, the price they carry. */
export type ScanResult =
  | { kind: 'product'; product: Product; grams?: number; priceCents?: number }
  | { kind: 'unknown'; code: string }
  | { kind: 'misread'; code: string };

/**
 * The catalogue as the till searches it, offline as well as online: one normalised string per product,
 * barcodes and PLU codes in maps. Built once per catalogue change, never per keystroke.
 */
export class CatalogIndex {
  readonly byId = new Map<number, Product>();
  private readonly byBarcode = new Map<string, Product>();
  private readonly byPlu = new Map<string, Product>();
  private readonly texts: string[] = [];
  private readonly list: Product[] = [];
  private readonly inStorePrefixes: string[];

  constructor(readonly data: CatalogData) {
    this.inStorePrefixes = (data.inStoreLayouts.length ? data.inStoreLayouts : defaultInStoreLayouts).map((l) => l.prefix);
    for (const p of data.products) {
      if (!p.active) continue;
      this.byId.set(p.id, p);
      for (const b of p.barcodes) this.byBarcode.set(b, p);
      if (p.plu) this.byPlu.set(p.plu, p);
      this.list.push(p);
      this.texts.push(` ${normalizeForSearch(`${p.name} ${p.producerName ?? ''} ${p.plu ?? ''}`)}`);
    }
  }

  get products(): readonly Product[] {
    return this.list;
  }

  /**
   * The last query's terms and every product it matched (indices, in catalogue order): typing one more
   * letter only narrows, so the next keystroke looks at these alone rather than at the whole catalogue.
   */
  private last: { terms: string[]; matches: number[] } | null = null;

  /** Accent- and case-insensitive; every word must match; words starting a name rank first. */
  search(query: string, limit = 60): Product[] {
    const terms = searchTerms(query);
    if (!terms.length) return [];
    // Narrowing is safe when each of the last terms lies within one of the new ones: whatever holds all
    // the new terms holds all the old ones, so it was among the last matches.
    const last = this.last;
    const within = last !== null && last.terms.every((o) => terms.some((n) => n.includes(o)));
    const candidates = within ? last.matches : null;
    const n = candidates ? candidates.length : this.list.length;
    const matches: number[] = [];
    const starts: Product[] = [];
    const others: Product[] = [];
    const first = ` ${terms[0]}`;
    for (let k = 0; k < n; k++) {
      const i = candidates ? candidates[k]! : k;
      const text = this.texts[i]!;
      let all = true;
      for (const t of terms)
        if (!text.includes(t)) {
          all = false;
          break;
        }
      if (!all) continue;
      matches.push(i);
      if (text.startsWith(first)) {
        if (starts.length < limit) starts.push(this.list[i]!);
      } else if (others.length < limit && starts.length < limit) others.push(this.list[i]!);
    }
    this.last = { terms, matches };
    return starts.concat(others).slice(0, limit);
  }

  /** A scanned or typed code: EAN/UPC barcodes, and scale labels with their embedded price or weight. */
  scan(raw: string): ScanResult {
    // Most scans are a product's own barcode, as the catalogue holds it: found at once, unless it starts like
    // a scale label (which a product's barcode cannot: those prefixes are kept for in-store codes).
    const known = this.byBarcode.get(raw);
    if (known && !this.inStorePrefixes.some((prefix) => raw.startsWith(prefix))) return { kind: 'product', product: known };
    const decoded = decodeBarcode(raw, this.data.inStoreLayouts.length ? this.data.inStoreLayouts : defaultInStoreLayouts);
    if (decoded.type === 'invalid') return { kind: 'misread', code: decoded.code };
    if (decoded.type === 'in-store') {
      const product = this.byPlu.get(decoded.itemCode) ?? this.byPlu.get(String(Number(decoded.itemCode)));
      if (!product) return { kind: 'unknown', code: decoded.code };
      if (decoded.kind === 'weight') return { kind: 'product', product, grams: decoded.grams };
      // A price label on a product sold by weight: the weight it stands for is not printed; the line is
      // rung at the label's price for one piece of that price.
      return { kind: 'product', product, priceCents: decoded.priceCents };
    }
    const product = this.byBarcode.get(decoded.code) ?? this.byBarcode.get(raw.trim());
    return product ? { kind: 'product', product } : { kind: 'unknown', code: decoded.code };
  }
}

export function linePriceOf(product: Product, quantity: number): Cents {
  return product.unit === 'kg' ? weighedPrice(product.priceCents as Cents, quantity as Grams) : ((product.priceCents * quantity) as Cents);
}
