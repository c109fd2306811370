import { Component } from 'preact';
import { type Lang } from '../../../../shared/i18n/index.ts';
import type { Product } from '../../catalog.ts';
import { eur, kg, t } from '../../ui.tsx';

export interface GridProps {
  products: readonly Product[];
  onPick: (p: Product) => void;
  lang: Lang;
}

/**
 * The product tiles, kept by hand rather than by the framework: a keystroke changes the texts of the
 * tiles whose product changed (tiles stay in place, by position), and nothing else. Measured in
 * `bench/till.ts`: the framework's diff of the same tiles cost more than the browser's redraw of them.
 */

export class ProductGrid extends Component<GridProps> {
  private el: HTMLDivElement | null = null;
  /** Per tile: its product, and what it shows (name, producer, price, stock), to touch only what changed. */
  private tiles: { product: Product; texts: string[]; cls: string }[] = [];

  override shouldComponentUpdate(next: GridProps) {
    if (next.products !== this.props.products || next.lang !== this.props.lang) this.patch(next.products);
    return false;
  }

  override componentDidMount() {
    this.patch(this.props.products);
  }

  private patch(products: readonly Product[]) {
    const el = this.el;
    if (!el) return;
    for (let i = 0; i < products.length; i++) {
      const p = products[i]!;
      let tile = el.children[i] as HTMLButtonElement | undefined;
      let state = this.tiles[i];
      if (!tile || !state) {
        tile = document.createElement('button');
        tile.type = 'button';
        for (const c of ['tile-name', 'tile-producer', 'tile-price', 'tile-stock']) {
          const span = tile.appendChild(document.createElement('span'));
          span.className = c;
          span.hidden = true;
          span.appendChild(document.createTextNode(''));
        }
        el.appendChild(tile);
        state = this.tiles[i] = { product: p, texts: ['', '', '', ''], cls: '' };
      }
      state.product = p;
      // A dish whose recipe lacks an ingredient on the shelf is flagged like goods running low.
      const cls = p.low || p.ingredientsShort ? 'tile low' : 'tile';
      if (state.cls !== cls) tile.className = state.cls = cls;
      const id = String(p.id);
      if (tile.dataset.product !== id) tile.dataset.product = id;
      const texts = [
        p.name,
        p.producerName ?? '',
        `${eur(p.priceCents)}${p.unit === 'kg' ? '/kg' : ''}`,
        p.onHand === null ? (p.ingredientsShort ? t('till.ingredientsShort') : '') : p.unit === 'kg' ? kg(p.onHand) : String(p.onHand),
      ];
      for (let c = 0; c < 4; c++) {
        if (state.texts[c] === texts[c]) continue;
        const span = tile.children[c] as HTMLElement;
        (span.firstChild as Text).data = texts[c]!;
        // An empty text (no producer, stock not followed) takes no room and says nothing to a screen reader.
        if ((state.texts[c] === '') !== (texts[c] === '')) span.hidden = texts[c] === '';
        state.texts[c] = texts[c]!;
      }
    }
    while (el.children.length > products.length) el.lastElementChild!.remove();
    this.tiles.length = Math.min(this.tiles.length, products.length);
  }

  private onClick = (e: MouseEvent) => {
    const tile = (e.target as Element).closest('.tile');
    if (!tile || !this.el) return;
    const state = this.tiles[Array.prototype.indexOf.call(this.el.children, tile)];
    if (state) this.props.onPick(state.product);
  };

  override render() {
    return (
      <div
        class="grid"
        data-testid="grid"
        ref={(el) => {
          this.el = el;
        }}
        onClick={this.onClick}
      />
    );
  }
}
