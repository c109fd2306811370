import { Component } from 'preact';
import type { Lang } from '../../../../shared/i18n/index.ts';
import type { Product } from '../../catalog.ts';
import { eur, kg, lang, t } from '../../ui.tsx';

export interface GridProps {
  products: readonly Product[];
  onPick: (p: Product) => void;
  lang: Lang;
  /** Names the grid for assistive technology (“Produits : 124”). */
  label: string;
  /** Filled with the grid while it is on the page, to show another list without a redraw of the framework (`update`). */
  handle?: { current: ProductGrid | null };
}

/** A tile's size, fixed so the grid can draw only the rows in view: the name gets the lines left. */
export const TILE_HEIGHT = 108;
export const TILE_MIN_WIDTH = 170;
export const TILE_GAP = 8;
const ROW = TILE_HEIGHT + TILE_GAP;
/** Rows drawn above and below the visible ones, so a fling never shows an empty row. */
const OVERSCAN_ROWS = 3;

interface Tile {
  el: HTMLButtonElement;
  product: Product | null;
  /** What it shows (name, producer, price, stock), to touch only what changed. */
  texts: string[];
  /** The product's texts (`textsOf`) it was last given: the same array, the same words. */
  from: string[] | null;
  cls: string;
}

/**
 * The product tiles, kept by hand rather than by the framework, and only those in view: a shop of 5,000
 * products scrolls through all of them with about forty tiles in the page.
 *
 * - A new list (a keystroke, a tab) rewrites the tiles in place, by position: only the texts of the tiles
 *   whose product changed are touched. Measured in `bench/till.ts`: the framework's diff of the same tiles
 *   cost more than the browser's redraw of them.
 * - A scroll keeps each tile with its product (a focused tile stays focused) and moves the rows that left
 *   the view to the side that comes into it.
 * - Sizes come from a ResizeObserver and the scroll position from scroll events: drawing never reads the
 *   layout, so a keystroke never forces one.
 */
export class ProductGrid extends Component<GridProps> {
  private scroller: HTMLDivElement | null = null;
  private el: HTMLDivElement | null = null;
  private tiles: Tile[] = [];
  private products: readonly Product[] = [];
  /** Index of the product the first tile shows. */
  private start = 0;
  private cols = 0;
  private viewHeight = 800;
  private scrollTop = 0;
  private padding = '';
  /** The grid's name as last written (`aria-label`). */
  private label = '';
  private observer: ResizeObserver | null = null;

  override shouldComponentUpdate(next: GridProps) {
    if (next.lang !== this.props.lang && next.products === this.products) this.draw(true);
    this.update(next.products, next.label);
    return false;
  }

  /** Shows another list (a keystroke, a tab), from the top, and names the grid for it. */
  update(products: readonly Product[], label: string) {
    if (products !== this.products) {
      this.products = products;
      if (this.scrollTop !== 0 && this.scroller) this.scroller.scrollTop = this.scrollTop = 0;
      this.draw(true);
    }
    if (label !== this.label) this.el?.setAttribute('aria-label', (this.label = label));
  }

  override componentDidMount() {
    if (this.props.handle) this.props.handle.current = this;
    this.products = this.props.products;
    this.label = this.props.label;
    const scroller = this.scroller!;
    this.measure(scroller.clientWidth, scroller.clientHeight);
    this.draw(true);
    this.observer = new ResizeObserver(([entry]) => {
      if (!entry) return;
      const changed = this.measure(entry.contentRect.width, entry.contentRect.height);
      if (changed) this.draw(false);
    });
    this.observer.observe(scroller);
  }

  override componentWillUnmount() {
    if (this.props.handle?.current === this) this.props.handle.current = null;
    this.observer?.disconnect();
  }

  /** Columns as the CSS grid would lay them out (`auto-fill` of TILE_MIN_WIDTH); true when the view changed. */
  private measure(width: number, height: number): boolean {
    const cols = Math.max(1, Math.floor((width + TILE_GAP) / (TILE_MIN_WIDTH + TILE_GAP)));
    const changed = cols !== this.cols || Math.abs(height - this.viewHeight) > 1;
    if (cols !== this.cols && this.el) this.el.style.gridTemplateColumns = `repeat(${cols}, minmax(0, 1fr))`;
    this.cols = cols;
    this.viewHeight = height;
    return changed;
  }

  /** The products in view (with the overscan rows), as [first, end) indices. */
  private window(): [number, number] {
    const n = this.products.length;
    const rows = Math.ceil(n / this.cols);
    const firstRow = Math.max(0, Math.floor(this.scrollTop / ROW) - OVERSCAN_ROWS);
    const lastRow = Math.min(rows, Math.ceil((this.scrollTop + this.viewHeight) / ROW) + OVERSCAN_ROWS);
    return [Math.min(n, firstRow * this.cols), Math.min(n, lastRow * this.cols)];
  }

  private draw(newList: boolean) {
    const el = this.el;
    if (!el) return;
    const [first, end] = this.window();
    const count = end - first;
    if (newList || first >= this.start + this.tiles.length || end <= this.start) {
      // A new list, or a jump past everything drawn: rewrite the tiles in place, by position.
      for (let i = 0; i < count; i++) this.show(this.tiles[i] ?? this.add(), this.products[first + i]!);
      for (let i = this.tiles.length - 1; i >= count; i--) this.tiles.pop()!.el.remove();
    } else {
      // A scroll: the tiles still in view keep their product; those that left are moved to the side that
      // came into view and given its products.
      const keepFrom = Math.max(first, this.start);
      const keepTo = Math.min(end, this.start + this.tiles.length);
      const kept = this.tiles.slice(keepFrom - this.start, keepTo - this.start);
      const spare = [...this.tiles.slice(0, keepFrom - this.start), ...this.tiles.slice(keepTo - this.start)];
      const before: Tile[] = [];
      for (let i = first; i < keepFrom; i++) before.push(this.show(spare.pop() ?? this.add(), this.products[i]!));
      const after: Tile[] = [];
      for (let i = keepTo; i < end; i++) after.push(this.show(spare.pop() ?? this.add(), this.products[i]!));
      for (const tile of spare) tile.el.remove();
      const head = kept[0]?.el ?? null;
      for (const tile of before) el.insertBefore(tile.el, head);
      for (const tile of after) el.appendChild(tile.el);
      this.tiles = [...before, ...kept, ...after];
    }
    this.start = first;
    const rows = Math.ceil(this.products.length / this.cols);
    const padding = `${(first / this.cols) * ROW}px 0 ${Math.max(0, rows - Math.ceil(end / this.cols)) * ROW}px`;
    if (padding !== this.padding) el.style.padding = this.padding = padding;
  }

  private add(): Tile {
    const tile = document.createElement('button');
    tile.type = 'button';
    for (const c of ['tile-name', 'tile-producer', 'tile-price', 'tile-stock']) {
      const span = tile.appendChild(document.createElement('span'));
      span.className = c;
      span.hidden = true;
      span.appendChild(document.createTextNode(''));
    }
    this.el!.appendChild(tile);
    const state: Tile = { el: tile, product: null, texts: ['', '', '', ''], from: null, cls: '' };
    this.tiles.push(state);
    return state;
  }

  private show(state: Tile, p: Product): Tile {
    const tile = state.el;
    // A dish whose recipe lacks an ingredient on the shelf is flagged like goods running low.
    const cls = p.low || p.ingredientsShort ? 'tile low' : 'tile';
    if (state.cls !== cls) tile.className = state.cls = cls;
    const texts = this.textsOf(p);
    // The same product with the same texts (a keystroke that left this tile as it was): nothing to touch.
    if (state.product === p && state.from === texts) return state;
    // Compared with what was written, never read back from the page.
    if (state.product?.id !== p.id) tile.dataset.product = String(p.id);
    state.product = p;
    state.from = texts;
    for (let c = 0; c < 4; c++) {
      if (state.texts[c] === texts[c]) continue;
      const span = tile.children[c] as HTMLElement;
      (span.firstChild as Text).data = texts[c]!;
      // An empty text (no producer, stock not followed) takes no room and says nothing to a screen reader.
      if ((state.texts[c] === '') !== (texts[c] === '')) span.hidden = texts[c] === '';
      state.texts[c] = texts[c]!;
    }
    return state;
  }

  /**
   * A product's four texts, formatted once per product and level: a catalogue change brings new product
   * objects, and a stock change (another till's sale, a count) a new level on the same object.
   */
  private texts = new WeakMap<Product, { onHand: number | null; short: boolean; texts: string[] }>();
  private textsLang: Lang | null = null;
  private textsOf(p: Product): string[] {
    if (this.textsLang !== lang) {
      this.texts = new WeakMap();
      this.textsLang = lang;
    }
    const known = this.texts.get(p);
    if (known && known.onHand === p.onHand && known.short === p.ingredientsShort) return known.texts;
    const texts = [
      p.name,
      p.producerName ?? '',
      `${eur(p.priceCents)}${p.unit === 'kg' ? '/kg' : ''}`,
      p.onHand === null ? (p.ingredientsShort ? t('till.ingredientsShort') : '') : p.unit === 'kg' ? kg(p.onHand) : String(p.onHand),
    ];
    this.texts.set(p, { onHand: p.onHand, short: p.ingredientsShort, texts });
    return texts;
  }

  /** The same list with the levels and flags its products have now (they changed in place): only what changed is rewritten. */
  refresh() {
    this.draw(true);
  }

  private onScroll = () => {
    const top = this.scroller!.scrollTop;
    if (Math.floor(top / ROW) === Math.floor(this.scrollTop / ROW)) {
      this.scrollTop = top;
      return;
    }
    this.scrollTop = top;
    this.draw(false);
  };

  private onClick = (e: MouseEvent) => {
    const tile = (e.target as Element).closest('.tile');
    const state = this.tiles.find((x) => x.el === tile);
    if (state?.product) this.props.onPick(state.product);
  };

  /** Arrow keys move between tiles (the next row is drawn when needed); Home and End go to either end. */
  private onKeyDown = (e: KeyboardEvent) => {
    const i = this.tiles.findIndex((x) => x.el === e.target);
    if (i < 0) return;
    const at = this.start + i;
    // Up from the first row leaves the grid: whoever holds it (the till's search box above) takes the key.
    if (e.key === 'ArrowUp' && at < this.cols) return;
    const step: Record<string, number> = { ArrowRight: 1, ArrowLeft: -1, ArrowDown: this.cols, ArrowUp: -this.cols };
    const to = e.key === 'Home' ? 0 : e.key === 'End' ? this.products.length - 1 : e.key in step ? at + step[e.key]! : Number.NaN;
    if (Number.isNaN(to)) return;
    e.preventDefault();
    e.stopPropagation();
    this.focusIndex(Math.max(0, Math.min(this.products.length - 1, to)));
  };

  private focusIndex(index: number) {
    const scroller = this.scroller!;
    if (index < this.start || index >= this.start + this.tiles.length) {
      const row = Math.floor(index / this.cols);
      scroller.scrollTop = this.scrollTop = Math.max(0, row * ROW - this.viewHeight / 2);
      this.draw(false);
    }
    this.tiles[index - this.start]?.el.focus();
  }

  override render() {
    return (
      <div
        class="grid-scroll"
        ref={(el) => {
          this.scroller = el;
        }}
        onScroll={this.onScroll}
      >
        <div
          class="grid"
          data-testid="grid"
          role="group"
          aria-label={this.props.label}
          ref={(el) => {
            this.el = el;
          }}
          onClick={this.onClick}
          onKeyDown={this.onKeyDown}
        />
      </div>
    );
  }
}
