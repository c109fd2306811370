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
  /** Counts the changes made in place to the products' levels and flags (stock, a dish's ingredients). */
  stockVersion = 0;

  constructor(readonly data: CatalogData) {
    this.inStorePrefixes = (data.inStoreLayouts.length ? data.inStoreLayouts : defaultInStoreLayouts).map((l) => l.prefix);
    const active = data.products.filter((p) => p.active);
    const textOf = active.map((p) => ` ${normalizeForSearch(`${p.name} ${p.producerName ?? ''} ${p.plu ?? ''}`)}`);
    // In the order a person reads a list: by name, whatever its capitals and accents (« Bière ambrée » before
    // « Bière IPA », « Boîte » before « Bourguignon »), the search text having neither.
    const order = Int32Array.from(textOf.keys()).sort((a, b) => (textOf[a]! < textOf[b]! ? -1 : textOf[a]! > textOf[b]! ? 1 : a - b));
    for (const i of order) {
      const p = active[i]!;
      this.byId.set(p.id, p);
      for (const b of p.barcodes) this.byBarcode.set(b, p);
      if (p.plu) this.byPlu.set(p.plu, p);
      this.list.push(p);
      this.texts.push(textOf[i]!);
    }
    this.buffers = [new Int32Array(this.list.length), new Int32Array(this.list.length)];
    // The list is in the texts' order already.
    this.sorted = Int32Array.from(this.texts.keys());
  }

  get products(): readonly Product[] {
    return this.list;
  }

  /**
   * The last query's terms and, when it looked at every product, all it matched (indices, in catalogue order):
   * typing one more letter only narrows, so the next keystroke looks at these alone.
   */
  private last: { terms: string[]; matches: Int32Array; n: number } | null = null;
  /**
   * Two buffers the size of the catalogue, taking turns to hold a query's matches: the last query's are read
   * while the next one's are written, and a keystroke allocates no list of thousands of indices.
   */
  private readonly buffers: [Int32Array, Int32Array];
  /** The products by their text, in code-unit order: those whose name starts with a word are one run of it. */
  private readonly sorted: Int32Array;

  /**
   * Accent- and case-insensitive; every word must match; names starting with the first word rank first,
   * then the others, each in catalogue order; at most `limit`.
   *
   * The first letters of a query match most of a large catalogue, and only `limit` of them are shown: the
   * names starting with the first word are found in `sorted`, and the others are looked for in catalogue
   * order only until the list is full. Only a query that had to look at every product keeps its matches, for
   * the next keystroke to narrow from.
   */
  search(query: string, limit = 60): Product[] {
    const terms = searchTerms(query);
    if (!terms.length) return [];
    const first = ` ${terms[0]}`;
    // Narrowing is safe when each of the last terms lies within one of the new ones: whatever holds all
    // the new terms holds all the old ones, so it was among the last matches.
    const last = this.last;
    const within = last !== null && last.terms.every((o) => terms.some((n) => n.includes(o)));
    const matches = last?.matches === this.buffers[0] ? this.buffers[1] : this.buffers[0];
    let found = 0;
    if (within) {
      const starts: Product[] = [];
      const others: Product[] = [];
      for (let k = 0; k < last.n; k++) {
        const i = last.matches[k]!;
        const text = this.texts[i]!;
        if (!holdsAll(text, terms)) continue;
        matches[found++] = i;
        if (text.startsWith(first)) {
          if (starts.length < limit) starts.push(this.list[i]!);
        } else if (others.length < limit) others.push(this.list[i]!);
      }
      this.last = { terms, matches, n: found };
      return starts.concat(others).slice(0, limit);
    }
    // The names starting with the first word: a run of `sorted`, put back in catalogue order.
    const startIndices: number[] = [];
    for (let k = this.firstAtOrAfter(first); k < this.sorted.length; k++) {
      const i = this.sorted[k]!;
      const text = this.texts[i]!;
      if (!text.startsWith(first)) break;
      if (holdsAll(text, terms)) startIndices.push(i);
    }
    startIndices.sort((a, b) => a - b);
    const shown = startIndices.slice(0, limit).map((i) => this.list[i]!);
    if (shown.length >= limit) {
      this.last = null;
      return shown;
    }
    // The others, in catalogue order, as many as the list has room for.
    const room = limit - shown.length;
    let others = 0;
    for (let i = 0; i < this.texts.length; i++) {
      const text = this.texts[i]!;
      if (!holdsAll(text, terms)) continue;
      matches[found++] = i;
      if (text.startsWith(first)) continue;
      shown.push(this.list[i]!);
      if (++others === room) {
        // Full before the end: what lies beyond was not looked at, and nothing is kept to narrow from.
        this.last = i === this.texts.length - 1 ? { terms, matches, n: found } : null;
        return shown;
      }
    }
    this.last = { terms, matches, n: found };
    return shown;
  }

  /** The first position of `sorted` whose text is not before `prefix` (binary search). */
  private firstAtOrAfter(prefix: string): number {
    let lo = 0;
    let hi = this.sorted.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (this.texts[this.sorted[mid]!]! < prefix) lo = mid + 1;
      else hi = mid;
    }
    return lo;
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

/** Whether a product's text holds every term of a query. */
function holdsAll(text: string, terms: readonly string[]): boolean {
  for (const t of terms) if (!text.includes(t)) return false;
  return true;
}

export function linePriceOf(product: Product, quantity: number): Cents {
  return product.unit === 'kg' ? weighedPrice(product.priceCents as Cents, quantity as Grams) : ((product.priceCents * quantity) as Cents);
}
