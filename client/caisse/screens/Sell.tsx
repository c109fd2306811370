import { focusAfterDialog } from '../Modal.tsx';
import { useLayoutEffect, useMemo, useRef, useState } from 'preact/hooks';
import type { Lang } from '../../../shared/i18n/index.ts';
import { addProduct } from '../cart.ts';
import type { Product } from '../catalog.ts';
import { type TillState } from '../till.ts';
import { Cart } from './sell/Cart.tsx';
import { VariantDialog, WeighDialog } from './sell/Dialogs.tsx';
import { ModifierDialog } from '../ModifierDialog.tsx';
import { ProductGrid } from './sell/ProductGrid.tsx';
import { till, lang, t, eur, useKeys, pure } from '../ui.tsx';
import { call } from '../../api.ts';
import { day } from '../../format.ts';
import { reuseItemEndpoint } from '../../../shared/api/ressourcerie-item.ts';

export function SellScreen({ s }: { s: TillState }) {
  return (
    <main class="sell">
      <Cart />
      <ProductsPanel catalog={s.catalog} stock={s.catalog?.stockVersion ?? 0} message={s.message} parked={s.parked} lang={lang} />
    </main>
  );
}

/** Digits typed by a person are a PLU or a code being keyed in: a scanner sends all of them within this. */
export const DIGITS_PAUSE_MS = 120;

/** Search results shown: five rows of five on a landscape tablet; one more letter finds the rest. */
export const SEARCH_RESULTS = 25;

export interface ProductsProps {
  catalog: TillState['catalog'];
  /** The catalogue's stock version: a level or a flag changed in place, the tiles are written again. */
  stock: number;
  message: TillState['message'];
  parked: TillState['parked'];
  lang: Lang;
}

/** What the grid shows when nothing is searched: every product, or a category's, or a producer's. */
type Tab = { kind: 'category' | 'producer'; id: number | null };

interface TabBarProps {
  catalog: NonNullable<TillState['catalog']>;
  tab: Tab;
  /** The search box's query: while there is one, the tabs step back (`data-searching`, set by hand). */
  box: QueryBox;
  onChoose: (tab: Tab) => void;
  lang: Lang;
}

/**
 * The tabs above the grid: drawn again when they change, not at every keystroke of a search. A search
 * starting or ending only marks them (`data-searching`, the "all" tab no longer pressed), by hand: the
 * framework never draws those two, so it never puts back an older value.
 */
const TabBar = pure<TabBarProps>(({ catalog, tab, box, onChoose }) => {
  const nav = useRef<HTMLElement>(null);
  const all = useRef<HTMLButtonElement>(null);
  const mark = (query: string) => {
    const searching = query !== '';
    if (nav.current && (nav.current.dataset.searching !== undefined) !== searching)
      nav.current.toggleAttribute('data-searching', searching);
    const pressed = String(tab.id === null && !searching);
    if (all.current && all.current.getAttribute('aria-pressed') !== pressed) all.current.setAttribute('aria-pressed', pressed);
  };
  useLayoutEffect(() => mark(box.value));
  useLayoutEffect(() => box.subscribe(mark), [box, tab]);
  // Only the categories this till sells something of (the restaurant's till: its own).
  const sold = new Set(catalog.products.map((p) => p.categoryId));
  const choose = (next: Tab) => (e: MouseEvent) => {
    onChoose(next);
    // The chosen tab comes fully into view in the scrolling bar.
    (e.currentTarget as HTMLElement).scrollIntoView({ block: 'nearest', inline: 'nearest' });
  };
  return (
    <nav class="tabs" ref={nav}>
      <button ref={all} class={tab.id === null ? 'tab on' : 'tab'} onClick={() => onChoose({ kind: tab.kind, id: null })}>
        {t('till.all')}
      </button>
      {/* By producer only where something has one (the ressourcerie's donated objects have none: a walk). */}
      {(tab.kind === 'producer' || catalog.products.some((p) => p.producerId !== null)) && (
        <button class="tab switch" onClick={() => onChoose({ kind: tab.kind === 'category' ? 'producer' : 'category', id: null })}>
          {tab.kind === 'category' ? t('till.byProducer') : t('till.byCategory')}
        </button>
      )}
      {tab.kind === 'category'
        ? catalog.data.categories
            .filter((c) => sold.has(c.id))
            .map((c) => (
              <button
                key={c.id}
                class={tab.id === c.id ? 'tab on' : 'tab'}
                aria-pressed={tab.id === c.id}
                style={{ borderColor: c.color }}
                onClick={choose({ kind: 'category', id: c.id })}
              >
                {c.name}
              </button>
            ))
        : catalog.data.producers.map((p) => (
            <button
              key={p.id}
              class={tab.id === p.id ? 'tab on' : 'tab'}
              aria-pressed={tab.id === p.id}
              onClick={choose({ kind: 'producer', id: p.id })}
            >
              {p.name}
            </button>
          ))}
    </nav>
  );
});

export const ProductsPanel = pure<ProductsProps>((props) => <Products {...props} />);

/**
 * The search box's query, held apart from the panel's state: a keystroke redraws the results below the
 * box, not the whole panel (its box, buttons and tabs stay as they are).
 */
class QueryBox {
  value = '';
  private readonly listeners = new Set<(q: string) => void>();
  set(q: string) {
    if (q === this.value) return;
    this.value = q;
    for (const f of this.listeners) f(q);
  }
  subscribe(f: (q: string) => void) {
    this.listeners.add(f);
    return () => void this.listeners.delete(f);
  }
}

interface ResultsProps {
  catalog: NonNullable<TillState['catalog']>;
  stock: number;
  tab: Tab;
  box: QueryBox;
  onPick: (p: Product) => void;
  lang: Lang;
}

/**
 * A model's tile (textile, issue 22): its first variant under the model's name, with the stock of all its
 * variants (it showed its first variant's: 1 pullover where the sizes held 15); picking it opens the grid.
 */
const modelTiles = new WeakSet<Product>();
const tileOf = new Map<number, Product>();
function modelOnHand(all: readonly Product[], modelId: number): number | null {
  let sum: number | null = null;
  for (const v of all) if (v.variant?.modelId === modelId && v.onHand !== null) sum = (sum ?? 0) + v.onHand;
  return sum;
}
function collapseVariants(products: readonly Product[], all: readonly Product[]): readonly Product[] {
  // Most shops sell no variants: the list is then returned as it is, and a keystroke copies nothing.
  if (!products.some((p) => p.variant)) return products;
  const seen = new Set<number>();
  const out: Product[] = [];
  for (const p of products) {
    if (!p.variant) out.push(p);
    else if (!seen.has(p.variant.modelId)) {
      seen.add(p.variant.modelId);
      let tile = tileOf.get(p.id);
      if (!tile || tile.priceCents !== p.priceCents) {
        tile = { ...p, name: p.variant.modelName, onHand: modelOnHand(all, p.variant.modelId) };
        modelTiles.add(tile);
        tileOf.set(p.id, tile);
      }
      out.push(tile);
    }
  }
  return out;
}

/** What the grid shows for a query: its results, or every product of the tab, with the texts around it. */
function resultsFor(catalog: NonNullable<TillState['catalog']>, tab: Tab, query: string) {
  const q = query.trim();
  const code = /^\d{6,}$/.test(q);
  // What a tablet shows at once: more tiles only cost redraw time on every keystroke.
  const found = q && !code ? catalog.search(query, SEARCH_RESULTS) : [];
  const products = q
    ? collapseVariants(found, catalog.products)
    : // Every product of the tab: the grid draws only the rows in view, and scrolls through all of them.
      collapseVariants(
        tab.id === null
          ? catalog.products
          : catalog.products.filter((p) => (tab.kind === 'category' ? p.categoryId === tab.id : p.producerId === tab.id)),
        catalog.products,
      );
  return {
    products,
    none: query && !products.length && !code ? t('till.search.none', { q: query }) : '',
    // Cut at the limit (before a model's variants are shown as one tile): there are more to find.
    count: q
      ? found.length >= SEARCH_RESULTS
        ? t('till.grid.firstResults', { n: products.length })
        : ''
      : t('till.grid.count', { n: products.length }),
    label: t('till.grid.label', { n: products.length }),
  };
}

/**
 * The grid and its count: the query's results, or every product of the tab. Drawn by the framework when the
 * tab, the catalogue or the language changes; a keystroke goes straight to the grid and the two texts above
 * it, written by hand (`bench/till.ts` measures a keystroke against the same change made by hand).
 */
function Results({ catalog, stock, tab, box, onPick, lang }: ResultsProps) {
  const grid = useRef<ProductGrid>(null);
  // A level changed in place (another till's sale, a count): the tiles in view show it.
  const drawnStock = useRef(stock);
  useLayoutEffect(() => {
    if (drawnStock.current === stock) return;
    drawnStock.current = stock;
    // A model's tile is a copy of its first variant: it takes the variant's flags, and its variants' levels.
    for (const [id, tile] of tileOf) {
      const p = catalog.byId.get(id);
      if (!p) continue;
      tile.onHand = p.variant ? modelOnHand(catalog.products, p.variant.modelId) : p.onHand;
      tile.low = p.low;
      tile.ingredientsShort = p.ingredientsShort;
    }
    grid.current?.refresh();
  }, [stock]);
  const none = useRef<HTMLParagraphElement>(null);
  const count = useRef<HTMLParagraphElement>(null);
  // The last results worked out, kept while the catalogue, tab, language and query stay the same: the panel
  // redraws for other reasons (a dialog, a message) and the grid must not be drawn again for them.
  const last = useRef<{ key: unknown[]; shown: ReturnType<typeof resultsFor> } | null>(null);
  const resultsOf = (query: string) => {
    const key = [catalog, tab, lang, query];
    const l = last.current;
    if (l && l.key.every((k, i) => k === key[i])) return l.shown;
    const shown = resultsFor(catalog, tab, query);
    last.current = { key, shown };
    return shown;
  };
  const write = (shown: ReturnType<typeof resultsFor>) => {
    const p = none.current;
    if (p && p.textContent !== shown.none) p.textContent = shown.none;
    if (p && p.hidden !== !shown.none) p.hidden = !shown.none;
    if (count.current && count.current.textContent !== shown.count) count.current.textContent = shown.count;
  };
  const shown = resultsOf(box.value);
  useLayoutEffect(() => write(shown));
  useLayoutEffect(
    () =>
      box.subscribe((query) => {
        const next = resultsOf(query);
        grid.current?.update(next.products, next.label);
        write(next);
      }),
    [box, catalog, tab, lang],
  );
  // The two texts have no children here: they are written by hand only (`write`), never by both.
  return (
    <>
      <p class="empty" ref={none} />
      <p class="grid-count" data-testid="grid-count" ref={count} />
      <ProductGrid handle={grid} products={shown.products} onPick={onPick} lang={lang} label={shown.label} />
    </>
  );
}

export function Products({ catalog, stock, message, parked }: ProductsProps) {
  const box = useMemo(() => new QueryBox(), []);
  // The panel itself never redraws for a keystroke: the results and the tabs follow the box (`QueryBox`).
  const setQueryState = (q: string) => {
    box.set(q);
  };
  // The search box is not a controlled input: a redraw must never put back an older value while the
  // scanner is typing into it. Clearing it is done on the element itself.
  const setQuery = (q: string) => {
    cancelDigits();
    if (search.current && search.current.value !== q) search.current.value = q;
    setQueryState(q);
  };
  // A scanner types a code's digits faster than any person: digits alone are searched only once typing
  // pauses, so a scan never redraws the grid on its way to the cart (a PLU typed by hand still finds).
  // One timer for a run of digits: a digit only notes its time, and the timer, when it fires, waits on
  // until the digits have paused. Enter (or any other change of the box) makes it moot without clearing
  // it, so a scan's Enter costs no timer call.
  const digits = useRef({ timer: null as ReturnType<typeof setTimeout> | null, last: 0, moot: true });
  const cancelDigits = () => {
    digits.current.moot = true;
  };
  const armDigits = (ms: number) => {
    const d = digits.current;
    d.timer = setTimeout(() => {
      d.timer = null;
      if (d.moot) return;
      const wait = d.last + DIGITS_PAUSE_MS - performance.now();
      if (wait > 1) return armDigits(wait);
      d.moot = true;
      setQueryState(search.current?.value ?? '');
    }, ms);
  };
  const onSearchInput = (value: string) => {
    // Typing is someone at the till, whatever sent the keys (a soft keyboard, a scanner's wedge).
    till.touch();
    const d = digits.current;
    if (!/^\d+$/.test(value.trim())) {
      d.moot = true;
      return setQueryState(value);
    }
    d.last = performance.now();
    d.moot = false;
    if (d.timer === null) armDigits(DIGITS_PAUSE_MS);
  };
  const [tab, setTab] = useState<Tab>({ kind: 'category', id: null });
  const [weighing, setWeighing] = useState<Product | null>(null);
  /** A dish with options (cuisson…) asked before it goes in the cart, as the waiter's phone asks them. */
  const [choosing, setChoosing] = useState<Product | null>(null);
  const [picking, setPicking] = useState<number | null>(null);
  const [showParked, setShowParked] = useState(false);
  const search = useRef<HTMLInputElement>(null);
  // Focus as soon as the screen is there: the next scan may come at once.
  useLayoutEffect(() => {
    search.current?.focus();
    return () => {
      if (digits.current.timer !== null) clearTimeout(digits.current.timer);
    };
  }, []);

  /** Adds the product, or asks its weight first: says whether it is in the cart now. */
  const pick = (p: Product, opts: { grams?: number; priceCents?: number; priceLabel?: string; modifiers?: number[] } = {}) => {
    till.touch();
    // A model's tile: its size × colour grid (a variant's own barcode, scanned, is added at once).
    if (modelTiles.has(p) && p.variant) {
      setPicking(p.variant.modelId);
      return true;
    }
    // A one-off item (the ressourcerie's) is one piece: its label scanned twice is not two.
    if (p.oneOff && till.state.cart.lines.some((l) => l.productId === p.id)) {
      till.say('error', t('till.scan.oneOffTwice', { name: p.name }));
      setQuery('');
      return true;
    }
    if (p.unit === 'kg' && opts.grams === undefined && opts.priceCents === undefined) {
      setWeighing(p);
      return false;
    }
    if (p.modifiers.length && opts.modifiers === undefined) {
      // The search found its dish: the box is free again when the dialog gives the focus back.
      setQuery('');
      setChoosing(p);
      return false;
    }
    till.setCart(addProduct(till.state.cart, p, opts));
    setQuery('');
    // Back to the box after a tile; a scan is there already (focusing again would work out the styles now).
    if (search.current && document.activeElement !== search.current) search.current.focus();
    return true;
  };

  /**
   * A line added from a dialog: the keyboard goes back to the search box for the next scan when the dialog
   * closes, not to its opener (a tile: Enter would have added the garlic again, found by a walk).
   */
  const backToSearch = () => focusAfterDialog(search.current);

  const choose = (next: Tab) => {
    setQuery('');
    setTab(next);
  };
  const chooseLatest = useRef(choose);
  chooseLatest.current = choose;
  const chooseRef = useMemo(() => (next: Tab) => chooseLatest.current(next), []);

  const pickLatest = useRef(pick);
  pickLatest.current = pick;
  const pickRef = useMemo(() => (p: Product) => pickLatest.current(p), []);

  const scan = (code: string) => {
    if (!catalog) return;
    const r = catalog.scan(code);
    if (r.kind === 'product') {
      const added =
        r.product.unit === 'kg' && r.priceCents !== undefined
          ? // A price label on goods sold by weight: the weight it stands for, to the gram.
            pick(r.product, { grams: Math.max(1, Math.round((r.priceCents * 1000) / r.product.priceCents)) })
          : pick(r.product, {
              ...(r.grams !== undefined ? { grams: r.grams } : {}),
              // The label's code goes with the line: the server checks the price against it.
              ...(r.priceCents !== undefined ? { priceCents: r.priceCents, priceLabel: code.trim() } : {}),
            });
      // Added: the box is cleared already. Being weighed: the code leaves the box too.
      if (!added) setQuery('');
    } else if (r.kind === 'unknown' && /^R\d{7}$/i.test(r.code.trim())) {
      // A ressourcerie label no longer in the catalogue: sold (when) or gone to recycling, as the server says.
      setQuery('');
      const code = r.code.trim().toUpperCase();
      call(reuseItemEndpoint, { params: { code } })
        .then((item) =>
          till.say(
            'error',
            item.status === 'sold'
              ? t('till.scan.alreadySold', { code, name: item.name, day: item.statusDay ? day(item.statusDay, lang) : '' })
              : item.status === 'on_sale'
                ? t('till.scan.unknown', { code })
                : t('till.scan.recycled', { code, name: item.name }),
          ),
        )
        .catch(() => till.say('error', t('till.scan.unknown', { code })));
    } else {
      till.say('error', r.kind === 'misread' ? t('till.scan.misread', { code: r.code }) : t('till.scan.unknown', { code: r.code }));
      setQuery('');
    }
  };

  // The scanner types like a keyboard and ends with Enter: whatever has the focus, keys go to the search box.
  useKeys((e: KeyboardEvent) => {
    till.touch();
    const target = e.target as HTMLElement;
    // A dialog takes its own keys; a field types its own (Enter and Space on a button are the button's).
    if (target.tagName === 'INPUT' || target.tagName === 'TEXTAREA' || document.querySelector('dialog[open]')) return;
    if (e.key.length === 1 && !e.ctrlKey && !e.metaKey && !e.altKey) search.current?.focus();
    else if (e.key === 'Enter' && !search.current?.value && till.state.cart.lines.length) till.startPayment();
  });

  const firstTile = () => document.querySelector<HTMLButtonElement>('.products .grid-scroll .tile');
  const onSearchKey = (e: KeyboardEvent) => {
    if (e.key === 'Enter') {
      e.preventDefault();
      // The input's own value: a scanner's Enter follows its digits before any redraw.
      const q = (e.currentTarget as HTMLInputElement).value.trim();
      if (/^\d{6,14}$/.test(q)) return scan(q);
      // A code with letters (a Code 128 label: the ressourcerie's R0000042, a textile variant's): a barcode of the
      // catalogue, or a ressourcerie label the catalogue no longer holds (sold: the till says when).
      if (/^[A-Za-z0-9.-]{3,32}$/.test(q) && /\d/.test(q) && (/^R\d{7}$/i.test(q) || catalog?.scan(q).kind === 'product')) return scan(q);
      const found = catalog && q ? catalog.search(q, 2) : [];
      if (found.length === 1) return pick(found[0]!);
      // Several matches: the first one takes the focus; the arrows move among them and Enter adds one.
      if (found.length > 1) return firstTile()?.focus();
      if (!q && till.state.cart.lines.length) till.startPayment();
    } else if (e.key === 'ArrowDown' && firstTile()) {
      e.preventDefault();
      firstTile()!.focus();
    } else if (e.key === 'Escape') setQuery('');
  };

  return (
    <>
      <section
        class="products"
        onKeyDown={(e) => {
          // Up from the grid's first row: back to the search box (down from it goes to the first result).
          if (e.key === 'ArrowUp' && (e.target as Element).classList.contains('tile')) {
            e.preventDefault();
            search.current?.focus();
          }
        }}
      >
        <div class="search-row">
          <input
            ref={search}
            class="search"
            type="search"
            placeholder={t('till.search')}
            aria-label={t('till.search')}
            data-focus-home
            autoFocus
            onInput={(e) => onSearchInput((e.target as HTMLInputElement).value)}
            onKeyDown={onSearchKey}
            autocomplete="off"
          />
          <button onClick={() => setShowParked(!showParked)} disabled={!parked.length}>
            {t('till.parked', { n: parked.length })}
          </button>
          <button onClick={() => till.set({ screen: 'refund' })}>{t('till.refund')}</button>
        </div>
        {message && (
          <p class={message.kind === 'error' ? 'error banner' : 'info banner'} role="alert">
            {message.text}
          </p>
        )}
        {showParked && (
          <ul class="parked">
            {parked.map((p) => (
              <li key={p.id}>
                <button
                  onClick={() => {
                    if (!till.resume(p.id)) till.say('error', t('till.paidAlready.cannotPark'));
                    setShowParked(false);
                  }}
                >
                  {new Date(p.parkedAt).toLocaleTimeString(lang)} · {p.cashier} · {eur(p.totalCents)}
                </button>
              </li>
            ))}
          </ul>
        )}
        {/* Always there: hiding it while searching would move the whole grid on the first keystroke. */}
        {catalog && <TabBar catalog={catalog} tab={tab} box={box} onChoose={chooseRef} lang={lang} />}
        {!catalog ? (
          <p>{t('till.catalog.loading')}</p>
        ) : (
          <Results catalog={catalog} stock={stock} tab={tab} box={box} onPick={pickRef} lang={lang} />
        )}
      </section>
      {picking !== null && catalog && (
        <VariantDialog
          variants={catalog.products.filter((v) => v.variant?.modelId === picking)}
          onDone={(v) => {
            setPicking(null);
            if (v) {
              pick(v);
              backToSearch();
            } else search.current?.focus();
          }}
        />
      )}
      {choosing && (
        <ModifierDialog
          product={choosing}
          onCancel={() => {
            setChoosing(null);
            search.current?.focus();
          }}
          onDone={(ids) => {
            const p = choosing;
            setChoosing(null);
            pick(p, { modifiers: ids });
            backToSearch();
          }}
        />
      )}
      {weighing && (
        <WeighDialog
          product={weighing}
          onDone={(g) => {
            const p = weighing;
            setWeighing(null);
            if (g) {
              pick(p, { grams: g });
              backToSearch();
            } else search.current?.focus();
          }}
        />
      )}
    </>
  );
}
