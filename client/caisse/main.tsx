import { Component, render, type ComponentChild } from 'preact';
import { useEffect, useLayoutEffect, useMemo, useRef, useState } from 'preact/hooks';
import { translate, type Lang, type MessageKey } from '../../shared/i18n/index.ts';
import { formatEuros, parseEuros, weighedPrice, type Cents, type Grams } from '../../shared/money.ts';
import { api, ApiError, isOffline } from '../api.ts';
import { addProduct, priceCart, removeLine, updateLine, type CartLine } from './cart.ts';
import type { Product } from './catalog.ts';
import { numberAndQueue } from './idb.ts';
import { Till, type TillState } from './till.ts';
import type { RefusedItem } from './outbox.ts';
import { uuidv7 } from './uuid.ts';
import { insecure, insecureAcknowledged, InsecureNotice } from '../insecure.tsx';
import './style.css';

const till = new Till();
(window as unknown as { till: Till }).till = till;

let lang: Lang = (localStorage.getItem('lang') as Lang) === 'en' ? 'en' : 'fr';
const t = (key: MessageKey, vars?: Record<string, string | number>) => translate(lang, key, vars);
const eur = (c: number) => formatEuros(c as Cents, lang === 'fr' ? 'fr-FR' : 'en-GB');
const kgFormats = new Map<Lang, Intl.NumberFormat>();
const kg = (g: number) => {
  let f = kgFormats.get(lang);
  if (!f) kgFormats.set(lang, (f = new Intl.NumberFormat(lang === 'fr' ? 'fr-FR' : 'en-GB', { maximumFractionDigits: 3 })));
  return `${f.format(g / 1000)} kg`;
};

const METHODS: { code: string; key: MessageKey }[] = [
  { code: 'cash', key: 'till.pay.cash' },
  { code: 'card', key: 'till.pay.card' },
  { code: 'cheque', key: 'till.pay.cheque' },
  { code: 'meal_voucher', key: 'till.pay.voucher' },
];

/**
 * State whose latest value key handlers can read at once: a scanner or a fast typist sends the next key
 * before the screen has redrawn, so a handler must not rely on the value of the last render.
 */
function useLive<T>(initial: T): [T, (next: T | ((prev: T) => T)) => void, { current: T }] {
  const [value, setValue] = useState(initial);
  const ref = useRef(initial);
  const set = (next: T | ((prev: T) => T)) => {
    ref.current = typeof next === 'function' ? (next as (prev: T) => T)(ref.current) : next;
    setValue(ref.current);
  };
  return [value, set, ref];
}

/**
 * One keyboard listener for the whole till, installed once: the screen (or dialog) drawn last sets the
 * handler while it renders, so keys go to what is on screen now, never to a screen that just closed.
 */
const keyHandler: { current: ((e: KeyboardEvent) => void) | null } = { current: null };
window.addEventListener('keydown', (e) => keyHandler.current?.(e));
function useKeys(handler: (e: KeyboardEvent) => void) {
  keyHandler.current = handler;
}

/**
 * The till's state, drawn again when it changes. The screen as a whole skips changes to the cart alone:
 * a scan redraws the cart (which follows the cart itself), not the status bar and the product grid.
 */
function useTill(exceptCartOnly = false): TillState {
  const [s, set] = useState(till.state);
  // Subscribed before the browser paints, and caught up with any change made since the first render.
  useLayoutEffect(() => {
    if (till.state !== s) set(till.state);
    return till.subscribe((next, prev) => {
      if (exceptCartOnly && next.cart !== prev.cart && (Object.keys(next) as (keyof TillState)[]).every((k) => k === 'cart' || next[k] === prev[k])) return;
      set(next);
    });
  }, []);
  return s;
}

function errorText(e: unknown): string {
  if (isOffline(e)) return t('error.network');
  return e instanceof ApiError ? e.message : String(e);
}

// ---- building blocks ------------------------------------------------------------------------------------

function Keypad({ onKey }: { onKey: (k: string) => void }) {
  const keys = ['7', '8', '9', '4', '5', '6', '1', '2', '3', 'C', '0', '⌫'];
  return (
    <div class="keypad" role="group">
      {keys.map((k) => (
        <button type="button" key={k} class={k === 'C' || k === '⌫' ? 'key alt' : 'key'} onClick={() => onKey(k)} aria-label={k === '⌫' ? t('till.key.back') : k === 'C' ? t('till.key.clear') : k}>
          {k}
        </button>
      ))}
    </div>
  );
}

const applyKey = (value: string, k: string, max = 9) => (k === 'C' ? '' : k === '⌫' ? value.slice(0, -1) : (value + k).replace(/^0+(?=\d)/, '').slice(0, max));

function StatusBar({ s }: { s: TillState }) {
  const o = s.outbox;
  return (
    <header class="status">
      <span class="till-name">{s.device?.name ?? 'Comptoir'}</span>
      {s.device?.trainingMode && <span class="badge training">{t('till.training')}</span>}
      <span class={o.online ? 'badge ok' : 'badge off'} data-testid="network">{o.online ? t('till.online') : t('till.offline')}</span>
      {o.waiting > 0 && <span class="badge warn" data-testid="waiting">{t('till.waiting', { n: o.waiting })}</span>}
      {o.otherWaiting > 0 && <span class="badge" data-testid="waiting-other">{t('till.waitingOther', { n: o.otherWaiting })}</span>}
      {o.refused > 0 && <button class="badge off" data-testid="refused" onClick={() => s.user && till.set({ screen: 'refused' })}>{t('till.refused', { n: o.refused })}</button>}
      {s.device?.printerId != null && (
        <span class={s.printer && s.printer.state !== 'ready' && s.printer.state !== 'unknown' ? 'badge off' : 'badge'} data-testid="printer" title={s.printer?.lastError ?? ''}>
          {s.printer ? t('till.printer', { state: t((s.printer.state === 'unknown' ? 'till.printer.state-unknown' : `till.printer.${s.printer.state}`) as MessageKey), n: s.printer.waiting }) : t('till.printer.unknown')}
        </span>
      )}
      {(s.printer?.attention ?? 0) > 0 && (
        <button class="badge off" data-testid="print-attention" onClick={() => s.user && till.set({ screen: 'prints' })}>{t('till.printer.attention', { n: s.printer!.attention })}</button>
      )}
      <span class="spacer" />
      {s.user && <span class="cashier">{s.user.displayName}</span>}
      <button class="link" onClick={() => { lang = lang === 'fr' ? 'en' : 'fr'; localStorage.setItem('lang', lang); till.set({}); }}>{t('lang.switch')}</button>
      {s.user && s.screen !== 'lock' && <button class="link" onClick={() => till.lock()}>{t('till.lock')}</button>}
    </header>
  );
}

// ---- pairing and lock -----------------------------------------------------------------------------------

/** The code the back office's QR code carried through the enrolment page (`/caisse/?pair=CODE`). */
function pairingCodeFromUrl(): string {
  const code = new URLSearchParams(location.search).get('pair');
  if (code) history.replaceState(null, '', location.pathname);
  return /^[A-Z0-9]{8}$/.test(code ?? '') ? code! : '';
}

function PairScreen() {
  const [code, setCode] = useState(pairingCodeFromUrl);
  const [error, setError] = useState('');
  const pair = async (c: string) => {
    setError('');
    try { await till.pair(c); } catch (err) { setError(errorText(err)); }
  };
  // Arrived from the back office's QR code through the enrolment page: the code came along, pair at once.
  useEffect(() => { if (code) void pair(code); }, []);
  return (
    <main class="center">
      <form class="card" onSubmit={(e) => { e.preventDefault(); void pair(code); }}>
        <h1>{t('till.pair.title')}</h1>
        <p>{t('till.pair.help')}</p>
        <input class="big-input" name="code" value={code} onInput={(e) => setCode((e.target as HTMLInputElement).value.toUpperCase())} maxLength={8} autoFocus autocomplete="off" aria-label={t('till.pair.code')} />
        {error && <p class="error" role="alert">{error}</p>}
        <button class="primary big" type="submit">{t('till.pair.submit')}</button>
      </form>
    </main>
  );
}

function LockScreen({ s }: { s: TillState }) {
  const [who, setWho, whoRef] = useLive<number | null>(s.user?.id ?? null);
  const [pin, setPin, pinRef] = useLive('');
  const [error, setError] = useState('');
  const staff = s.device?.staff ?? [];
  const submit = async () => {
    const p = pinRef.current;
    const who = whoRef.current;
    if (who === null || p.length < 4) return;
    setError('');
    try {
      await till.login(who, p);
    } catch (e) {
      setPin('');
      setError(e instanceof ApiError && e.message === 'offline-pin' ? t('till.lock.offlinePin') : errorText(e));
    }
  };
  useKeys((e: KeyboardEvent) => {
      if (whoRef.current === null) return;
      if (/^\d$/.test(e.key)) setPin((p) => (p + e.key).slice(0, 8));
      else if (e.key === 'Backspace') setPin((p) => p.slice(0, -1));
      else if (e.key === 'Enter') void submit();
      else if (e.key === 'Escape') setWho(null);
      else return;
      // Not also a click on the focused button.
      e.preventDefault();
  });
  return (
    <main class="lock">
      <section class="staff" aria-label={t('till.lock.who')}>
        <h1>{t('till.lock.who')}</h1>
        <div class="staff-grid">
          {staff.map((m) => (
            <button key={m.id} class={m.id === who ? 'staff-tile selected' : 'staff-tile'} onClick={() => { setWho(m.id); setPin(''); setError(''); }}>
              {m.displayName}
              <small>{t(`role.${m.role}` as MessageKey)}</small>
            </button>
          ))}
        </div>
      </section>
      {who !== null && (
        <section class="pin">
          <h2>{t('till.lock.pin')}</h2>
          <div class="pin-dots" data-testid="pin-dots">{'●'.repeat(pin.length) || ' '}</div>
          <Keypad onKey={(k) => setPin((p) => (k === 'C' ? '' : k === '⌫' ? p.slice(0, -1) : (p + k).slice(0, 8)))} />
          {error && <p class="error" role="alert">{error}</p>}
          <button class="primary big" onClick={() => submit()}>{t('till.lock.enter')}</button>
        </section>
      )}
    </main>
  );
}

// ---- selling --------------------------------------------------------------------------------------------

function WeighDialog({ product, onDone }: { product: Product; onDone: (grams: number | null) => void }) {
  const [g, setG, gRef] = useLive('');
  const grams = Number(g || 0);
  useKeys((e: KeyboardEvent) => {
      if (/^\d$/.test(e.key)) setG((v) => applyKey(v, e.key, 6));
      else if (e.key === 'Backspace') setG((v) => v.slice(0, -1));
      else if (e.key === 'Enter' && Number(gRef.current || 0) > 0) onDone(Number(gRef.current));
      else if (e.key === 'Escape') onDone(null);
      else return;
      e.preventDefault();
      e.stopPropagation();
  });
  return (
    <div class="modal" role="dialog" aria-label={t('till.weigh.title', { name: product.name })}>
      <div class="card">
        <h2>{product.name}</h2>
        <p>{t('till.weigh.perKg', { price: eur(product.priceCents) })}</p>
        <div class="big-value" data-testid="grams">{t('till.weigh.grams', { g: grams })}</div>
        <div class="big-value accent" data-testid="weigh-price">{eur(weighedPrice(product.priceCents as Cents, grams as Grams))}</div>
        <Keypad onKey={(k) => setG((v) => applyKey(v, k, 6))} />
        <div class="row">
          <button onClick={() => onDone(null)}>{t('till.cancel')}</button>
          <button class="primary" disabled={grams <= 0} onClick={() => onDone(grams)}>{t('till.weigh.add')}</button>
        </div>
      </div>
    </div>
  );
}

function LineEditor({ line, s, onClose }: { line: CartLine; s: TillState; onClose: () => void }) {
  const [discount, setDiscount] = useState(line.discountCents ? (line.discountCents / 100).toFixed(2).replace('.', ',') : '');
  const [percent, setPercent] = useState(false);
  const [note, setNote] = useState(line.note);
  const [pin, setPin] = useState('');
  const [error, setError] = useState('');
  const gross = line.unit === 'kg' ? weighedPrice(line.unitPriceCents as Cents, line.quantity as Grams) : line.unitPriceCents * line.quantity;
  const limitBp = s.device?.options.cashierDiscountLimitBp ?? 0;
  const isManager = s.user?.role === 'manager' || s.user?.role === 'admin';
  const apply = async () => {
    let cents = 0;
    let approval: string | null = null;
    if (discount.trim()) {
      if (percent) {
        const p = Number(discount.replace(',', '.'));
        if (!(p >= 0 && p <= 100)) return setError(t('till.discount.bad'));
        cents = Math.round((gross * p) / 100);
      } else {
        const c = parseEuros(discount);
        if (c === null || c < 0) return setError(t('till.discount.bad'));
        cents = c;
      }
    }
    if (cents > gross) return setError(t('till.discount.tooMuch'));
    if (!isManager && cents * 10_000 > gross * limitBp) {
      if (!pin) return setError(t('till.discount.needsManager', { limit: limitBp / 100 }));
      try {
        approval = (await api<{ approval: string }>('POST', '/api/auth/approve', { pin })).approval;
      } catch (e) {
        setPin('');
        return setError(errorText(e));
      }
    }
    const updated = updateLine(s.cart, line.key, { discountCents: cents, note: note.trim() });
    till.setCart(approval ? { ...updated, approval } : updated);
    onClose();
  };
  return (
    <div class="modal" role="dialog" aria-label={line.name}>
      <div class="card">
        <h2>{line.name}</h2>
        {line.unit === 'piece' ? (
          <div class="row qty">
            <button class="key" aria-label={t('till.qty.less')} onClick={() => line.quantity > 1 && till.setCart(updateLine(s.cart, line.key, { quantity: line.quantity - 1 }))}>−</button>
            <span class="big-value">{line.quantity}</span>
            <button class="key" aria-label={t('till.qty.more')} onClick={() => till.setCart(updateLine(s.cart, line.key, { quantity: line.quantity + 1 }))}>+</button>
          </div>
        ) : (
          <p>{kg(line.quantity)} × {eur(line.unitPriceCents)}/kg</p>
        )}
        <label>{t('till.discount.label')}
          <span class="row">
            <input value={discount} onInput={(e) => setDiscount((e.target as HTMLInputElement).value)} inputMode="decimal" />
            <button class={percent ? 'toggle on' : 'toggle'} onClick={() => setPercent(!percent)}>{percent ? '%' : '€'}</button>
          </span>
        </label>
        {!isManager && <label>{t('till.discount.managerPin')}<input type="password" inputMode="numeric" value={pin} onInput={(e) => setPin((e.target as HTMLInputElement).value)} /></label>}
        <label>{t('till.note')}<input value={note} maxLength={200} onInput={(e) => setNote((e.target as HTMLInputElement).value)} /></label>
        {error && <p class="error" role="alert">{error}</p>}
        <div class="row">
          <button class="danger" onClick={() => { till.setCart(removeLine(s.cart, line.key)); onClose(); }}>{t('till.line.remove')}</button>
          <button onClick={onClose}>{t('till.cancel')}</button>
          <button class="primary" onClick={apply}>{t('till.ok')}</button>
        </div>
      </div>
    </div>
  );
}

function TicketDiscount({ s, subtotal, onClose }: { s: TillState; subtotal: number; onClose: () => void }) {
  const [value, setValue] = useState('');
  const [percent, setPercent] = useState(true);
  const [pin, setPin] = useState('');
  const [error, setError] = useState('');
  const limitBp = s.device?.options.cashierDiscountLimitBp ?? 0;
  const isManager = s.user?.role === 'manager' || s.user?.role === 'admin';
  const apply = async () => {
    const cents = percent ? Math.round((subtotal * Number(value.replace(',', '.') || 0)) / 100) : (parseEuros(value || '0') ?? -1);
    if (!(cents >= 0) || cents > subtotal) return setError(t('till.discount.bad'));
    if (!isManager && cents * 10_000 > subtotal * limitBp) {
      if (!pin) return setError(t('till.discount.needsManager', { limit: limitBp / 100 }));
      try {
        const { approval } = await api<{ approval: string }>('POST', '/api/auth/approve', { pin });
        till.setCart({ ...s.cart, discountCents: cents, approval });
      } catch (e) {
        setPin('');
        return setError(errorText(e));
      }
      return onClose();
    }
    till.setCart({ ...s.cart, discountCents: cents });
    onClose();
  };
  return (
    <div class="modal" role="dialog" aria-label={t('till.discount.ticket')}>
      <div class="card">
        <h2>{t('till.discount.ticket')}</h2>
        <span class="row">
          <input value={value} autoFocus onInput={(e) => setValue((e.target as HTMLInputElement).value)} inputMode="decimal" />
          <button class={percent ? 'toggle on' : 'toggle'} onClick={() => setPercent(!percent)}>{percent ? '%' : '€'}</button>
        </span>
        {!isManager && <label>{t('till.discount.managerPin')}<input type="password" inputMode="numeric" value={pin} onInput={(e) => setPin((e.target as HTMLInputElement).value)} /></label>}
        {error && <p class="error" role="alert">{error}</p>}
        <div class="row">
          <button onClick={onClose}>{t('till.cancel')}</button>
          <button class="primary" onClick={apply}>{t('till.ok')}</button>
        </div>
      </div>
    </div>
  );
}

interface CartRowProps { line: CartLine; totalCents: number | null; onEdit: (key: number) => void; stamp: string }

/** One line of the ticket; redrawn only when it changes (a scan adds a line, the others stay as they are). */
class CartRow extends Component<CartRowProps> {
  override shouldComponentUpdate(next: CartRowProps) {
    return next.line !== this.props.line || next.totalCents !== this.props.totalCents || next.stamp !== this.props.stamp;
  }
  override render() {
    const { line: l, totalCents, onEdit } = this.props;
    return (
      <li onClick={() => onEdit(l.key)}>
        <div class="line-main">
          <span class="line-name">{l.name}</span>
          <span class="line-total">{totalCents === null ? '' : eur(totalCents)}</span>
        </div>
        <div class="line-sub">
          {l.unit === 'kg' ? `${kg(l.quantity)} × ${eur(l.unitPriceCents)}/kg` : `${l.quantity} × ${eur(l.unitPriceCents)}`}
          {l.producerName && <span class="producer"> · {l.producerName}</span>}
          {l.discountCents > 0 && <span class="discount"> · {t('till.discount.short', { amount: eur(l.discountCents) })}</span>}
          {l.note && <span class="note"> · {l.note}</span>}
        </div>
      </li>
    );
  }
}

function Cart() {
  const s = useTill();
  const [editing, setEditing] = useState<number | null>(null);
  const [ticketDiscount, setTicketDiscount] = useState(false);
  const priced = priceCart(s.cart);
  const total = 'error' in priced ? 0 : priced.total;
  const line = s.cart.lines.find((l) => l.key === editing);
  return (
    <section class="cart" aria-label={t('till.cart')}>
      {/* Scrolled from the bottom (column-reverse): the line just scanned is always in sight. */}
      <div class="lines-scroll">
        <ol class="lines" data-testid="cart">
          {s.cart.lines.map((l, i) => (
            <CartRow key={l.key} line={l} totalCents={'error' in priced ? null : priced.lines[i]!.total + priced.lines[i]!.ticketDiscount} onEdit={setEditing} stamp={lang} />
          ))}
        </ol>
      </div>
      {s.cart.discountCents > 0 && <div class="ticket-discount">{t('till.discount.ticketApplied', { amount: eur(s.cart.discountCents) })}</div>}
      {'error' in priced && <p class="error">{priced.error}</p>}
      <div class="total" data-testid="total"><span>{t('till.total')}</span><strong>{eur(total)}</strong></div>
      <div class="cart-actions">
        <button disabled={!s.cart.lines.length} onClick={() => till.park()}>{t('till.park')}</button>
        <button disabled={!s.cart.lines.length} onClick={() => setTicketDiscount(true)}>{t('till.discount.ticket')}</button>
        <button class="primary big" disabled={!s.cart.lines.length || 'error' in priced} onClick={() => till.startPayment()} data-testid="pay">{t('till.pay')}</button>
      </div>
      {line && <LineEditor line={line} s={s} onClose={() => setEditing(null)} />}
      {ticketDiscount && !('error' in priced) && <TicketDiscount s={s} subtotal={priced.subtotal} onClose={() => setTicketDiscount(false)} />}
    </section>
  );
}

interface GridProps { products: readonly Product[]; onPick: (p: Product) => void; lang: Lang }

/**
 * The product tiles, kept by hand rather than by the framework: a keystroke changes the texts of the
 * tiles whose product changed (tiles stay in place, by position), and nothing else. Measured in
 * `bench/till.ts`: the framework's diff of the same tiles cost more than the browser's redraw of them.
 */
class ProductGrid extends Component<GridProps> {
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
      const cls = p.low ? 'tile low' : 'tile';
      if (state.cls !== cls) tile.className = state.cls = cls;
      const id = String(p.id);
      if (tile.dataset.product !== id) tile.dataset.product = id;
      const texts = [p.name, p.producerName ?? '', `${eur(p.priceCents)}${p.unit === 'kg' ? '/kg' : ''}`, p.onHand === null ? '' : p.unit === 'kg' ? kg(p.onHand) : String(p.onHand)];
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
    return <div class="grid" data-testid="grid" ref={(el) => { this.el = el; }} onClick={this.onClick} />;
  }
}

/** Shallow-compared props: a scan changes the cart, and only the cart is drawn again. */
function pure<P extends object>(render: (props: P) => ComponentChild) {
  return class extends Component<P> {
    override shouldComponentUpdate(next: P) {
      for (const k in next) if (next[k] !== this.props[k]) return true;
      return false;
    }
    override render() {
      return render(this.props);
    }
  };
}

function SellScreen({ s }: { s: TillState }) {
  return (
    <main class="sell">
      <Cart />
      <ProductsPanel catalog={s.catalog} message={s.message} parked={s.parked} lang={lang} />
    </main>
  );
}

/** Digits typed by a person are a PLU or a code being keyed in: a scanner sends all of them within this. */
const DIGITS_PAUSE_MS = 120;

/** Search results shown: five rows of five on a landscape tablet; one more letter finds the rest. */
const SEARCH_RESULTS = 25;

interface ProductsProps { catalog: TillState['catalog']; message: TillState['message']; parked: TillState['parked']; lang: Lang }

const ProductsPanel = pure<ProductsProps>((props) => <Products {...props} />);

function Products({ catalog, message, parked }: ProductsProps) {
  const [query, setQueryState] = useState('');
  // The search box is not a controlled input: a redraw must never put back an older value while the
  // scanner is typing into it. Clearing it is done on the element itself.
  const setQuery = (q: string) => {
    cancelDigits();
    if (search.current && search.current.value !== q) search.current.value = q;
    setQueryState(q);
  };
  // A scanner types a code's digits faster than any person: digits alone are searched only once typing
  // pauses, so a scan never redraws the grid on its way to the cart (a PLU typed by hand still finds).
  const digitsTimer = useRef<ReturnType<typeof setTimeout> | null>(null);
  const cancelDigits = () => {
    if (digitsTimer.current !== null) clearTimeout(digitsTimer.current);
    digitsTimer.current = null;
  };
  const onSearchInput = (value: string) => {
    cancelDigits();
    if (!/^\d+$/.test(value.trim())) return setQueryState(value);
    digitsTimer.current = setTimeout(() => {
      digitsTimer.current = null;
      setQueryState(search.current?.value ?? '');
    }, DIGITS_PAUSE_MS);
  };
  const [tab, setTab] = useState<{ kind: 'category' | 'producer'; id: number | null }>({ kind: 'category', id: null });
  const [weighing, setWeighing] = useState<Product | null>(null);
  const [showParked, setShowParked] = useState(false);
  const search = useRef<HTMLInputElement>(null);
  // Focus as soon as the screen is there: the next scan may come at once.
  useLayoutEffect(() => {
    search.current?.focus();
    return cancelDigits;
  }, []);

  const results = useMemo(() => {
    if (!catalog) return [];
    // What a tablet shows at once: more tiles only cost redraw time on every keystroke.
    if (query.trim()) return /^\d{6,}$/.test(query.trim()) ? [] : catalog.search(query, SEARCH_RESULTS);
    const list = catalog.products.filter((p) => (tab.id === null ? true : tab.kind === 'category' ? p.categoryId === tab.id : p.producerId === tab.id));
    return list.slice(0, tab.id === null ? 40 : 300);
  }, [catalog, query, tab]);

  const pick = (p: Product, opts: { grams?: number; priceCents?: number } = {}) => {
    till.touch();
    if (p.unit === 'kg' && opts.grams === undefined && opts.priceCents === undefined) {
      setWeighing(p);
      return;
    }
    till.setCart(addProduct(till.state.cart, p, opts));
    setQuery('');
    search.current?.focus();
  };

  const pickLatest = useRef(pick);
  pickLatest.current = pick;
  const pickRef = useMemo(() => (p: Product) => pickLatest.current(p), []);

  const scan = (code: string) => {
    if (!catalog) return;
    const r = catalog.scan(code);
    if (r.kind === 'product') {
      if (r.product.unit === 'kg' && r.priceCents !== undefined) {
        // A price label on goods sold by weight: the weight it stands for, to the gram.
        pick(r.product, { grams: Math.max(1, Math.round((r.priceCents * 1000) / r.product.priceCents)) });
      } else pick(r.product, { ...(r.grams !== undefined ? { grams: r.grams } : {}), ...(r.priceCents !== undefined ? { priceCents: r.priceCents } : {}) });
      setQuery('');
    } else {
      till.say('error', r.kind === 'misread' ? t('till.scan.misread', { code: r.code }) : t('till.scan.unknown', { code: r.code }));
      setQuery('');
    }
  };

  // The scanner types like a keyboard and ends with Enter: whatever has the focus, keys go to the search box.
  useKeys((e: KeyboardEvent) => {
      till.touch();
      const target = e.target as HTMLElement;
      if (target.tagName === 'INPUT' || target.tagName === 'TEXTAREA' || document.querySelector('.modal')) return;
      if (e.key.length === 1 && !e.ctrlKey && !e.metaKey && !e.altKey) search.current?.focus();
      else if (e.key === 'Enter' && !search.current?.value && till.state.cart.lines.length) till.startPayment();
  });

  const onSearchKey = (e: KeyboardEvent) => {
    if (e.key === 'Enter') {
      e.preventDefault();
      // The input's own value: a scanner's Enter follows its digits before any redraw.
      const q = (e.currentTarget as HTMLInputElement).value.trim();
      if (/^\d{6,14}$/.test(q)) return scan(q);
      const found = catalog && q ? catalog.search(q, 2) : [];
      if (found.length === 1) return pick(found[0]!);
      if (!q && till.state.cart.lines.length) till.startPayment();
    } else if (e.key === 'Escape') setQuery('');
  };

  return (
    <>
      <section class="products">
        <div class="search-row">
          <input ref={search} class="search" type="search" placeholder={t('till.search')} aria-label={t('till.search')} autoFocus
            onInput={(e) => onSearchInput((e.target as HTMLInputElement).value)} onKeyDown={onSearchKey} autocomplete="off" />
          <button onClick={() => setShowParked(!showParked)} disabled={!parked.length}>{t('till.parked', { n: parked.length })}</button>
          <button onClick={() => till.set({ screen: 'refund' })}>{t('till.refund')}</button>
        </div>
        {message && <p class={message.kind === 'error' ? 'error banner' : 'info banner'} role="alert">{message.text}</p>}
        {showParked && (
          <ul class="parked">
            {parked.map((p) => (
              <li key={p.id}><button onClick={() => { till.resume(p.id); setShowParked(false); }}>{new Date(p.parkedAt).toLocaleTimeString(lang)} · {p.cashier} · {eur(p.totalCents)}</button></li>
            ))}
          </ul>
        )}
        {/* Always there: hiding it while searching would move the whole grid on the first keystroke. */}
        {catalog && (
          <nav class={query ? 'tabs dim' : 'tabs'}>
            <button class={tab.id === null && !query ? 'tab on' : 'tab'} onClick={() => { setQuery(''); setTab({ kind: tab.kind, id: null }); }}>{t('till.all')}</button>
            <button class="tab switch" onClick={() => setTab({ kind: tab.kind === 'category' ? 'producer' : 'category', id: null })}>{tab.kind === 'category' ? t('till.byProducer') : t('till.byCategory')}</button>
            {tab.kind === 'category'
              ? catalog.data.categories.map((c) => (
                  <button key={c.id} class={tab.id === c.id ? 'tab on' : 'tab'} style={{ borderColor: c.color }} onClick={() => { setQuery(''); setTab({ kind: 'category', id: c.id }); }}>{c.name}</button>
                ))
              : catalog.data.producers.map((p) => (
                  <button key={p.id} class={tab.id === p.id ? 'tab on' : 'tab'} onClick={() => { setQuery(''); setTab({ kind: 'producer', id: p.id }); }}>{p.name}</button>
                ))}
          </nav>
        )}
        {!catalog ? <p>{t('till.catalog.loading')}</p> : (
          <>
            {query && !results.length && !/^\d{6,}$/.test(query.trim()) && <p class="empty">{t('till.search.none', { q: query })}</p>}
            <ProductGrid products={results} onPick={pickRef} lang={lang} />
          </>
        )}
      </section>
      {weighing && <WeighDialog product={weighing} onDone={(g) => { const p = weighing; setWeighing(null); if (g) pick(p, { grams: g }); else search.current?.focus(); }} />}
    </>
  );
}

// ---- paying ---------------------------------------------------------------------------------------------

function nextNotes(due: number): number[] {
  const notes = [500, 1000, 2000, 5000, 10000];
  const out = new Set<number>();
  for (const n of notes) {
    const v = Math.ceil(due / n) * n;
    if (v > due) out.add(v);
  }
  return [...out].sort((a, b) => a - b).slice(0, 3);
}

function PayScreen({ s }: { s: TillState }) {
  const priced = priceCart(s.cart);
  const total = 'error' in priced ? 0 : priced.total;
  const paid = s.payments.reduce((x, p) => x + p.amountCents, 0);
  const due = Math.max(0, total - paid);
  const [digits, setDigits, digitsRef] = useLive('');
  const [method, setMethod, methodRef] = useLive('cash');
  const [cardPending, setCardPending, cardRef] = useLive<number | null>(null);
  const [error, setError] = useState('');
  const [busy, setBusy] = useState(false);
  const amount = digits ? Number(digits) : due;
  const extra = s.device?.options.extraPaymentMethods ?? [];

  // What is due now, payments just added included (the screen may not have redrawn yet).
  const dueNow = () => Math.max(0, total - till.state.payments.reduce((x, p) => x + p.amountCents, 0));
  const add = (m: string, cents: number) => {
    setError('');
    const due = dueNow();
    if (cents <= 0 || due <= 0) return;
    if (m === 'card') return setCardPending(Math.min(cents, due));
    // No change on meal vouchers, cards or cheques: what exceeds the amount due is not given back.
    const value = m === 'cash' ? cents : Math.min(cents, due);
    if (m !== 'cash' && cents > due) setError(t('till.pay.noChange', { amount: eur(cents - due) }));
    till.addPayment({ method: m, amountCents: value });
    setDigits('');
  };

  useEffect(() => {
    if (due === 0 && s.payments.length && !busy) {
      setBusy(true);
      till.finish().catch((e) => { setBusy(false); setError(errorText(e)); });
    }
  }, [due, s.payments.length]);

  useKeys((e: KeyboardEvent) => {
      if ((e.target as HTMLElement).tagName === 'INPUT') return;
      if (/^\d$/.test(e.key)) setDigits((d) => applyKey(d, e.key));
      else if (e.key === 'Backspace') setDigits((d) => d.slice(0, -1));
      else if (e.key === 'Enter') {
        const card = cardRef.current;
        if (card !== null) {
          till.addPayment({ method: 'card', amountCents: card });
          setCardPending(null);
        } else add(methodRef.current, digitsRef.current ? Number(digitsRef.current) : dueNow());
      } else if (e.key === 'Escape') cardRef.current !== null ? setCardPending(null) : till.cancelPayment();
      else if (e.key === 'F1') setMethod('cash');
      else if (e.key === 'F2') setMethod('card');
      else if (e.key === 'F3') setMethod('cheque');
      else if (e.key === 'F4') setMethod('meal_voucher');
      else return;
      e.preventDefault();
  });

  const label = (code: string) => METHODS.find((m) => m.code === code) ? t(METHODS.find((m) => m.code === code)!.key) : (extra.find((m) => m.code === code)?.label ?? code);
  return (
    <main class="pay">
      <section class="pay-summary">
        <div class="total big" data-testid="pay-total"><span>{t('till.total')}</span><strong>{eur(total)}</strong></div>
        <ul class="payments">
          {s.payments.map((p, i) => (
            <li key={i}>{label(p.method)} <strong>{eur(p.amountCents)}</strong> <button class="link" onClick={() => till.removePayment(i)} aria-label={t('till.pay.remove')}>✕</button></li>
          ))}
        </ul>
        <div class="due" data-testid="due"><span>{t('till.pay.due')}</span><strong>{eur(due)}</strong></div>
        {error && <p class="error" role="alert">{error}</p>}
        <button class="danger" onClick={() => till.cancelPayment()}>{t('till.pay.cancel')}</button>
      </section>
      <section class="pay-input">
        <div class="methods">
          {[...METHODS.map((m) => ({ code: m.code, label: t(m.key) })), ...extra].map((m) => (
            <button key={m.code} class={method === m.code ? 'method on' : 'method'} onClick={() => setMethod(m.code)}>{m.label}</button>
          ))}
        </div>
        <div class="big-value" data-testid="amount">{eur(amount)}</div>
        {method === 'cash' && (
          <div class="quick">
            <button onClick={() => add('cash', due)}>{t('till.pay.exact')}</button>
            {nextNotes(due).map((n) => <button key={n} onClick={() => add('cash', n)}>{eur(n)}</button>)}
          </div>
        )}
        <Keypad onKey={(k) => setDigits((d) => applyKey(d, k))} />
        <button class="primary big" onClick={() => add(method, amount)} data-testid="add-payment">{t('till.pay.add', { method: label(method) })}</button>
      </section>
      {cardPending !== null && (
        <div class="modal" role="dialog" aria-label={t('till.pay.card')}>
          <div class="card">
            <h2>{t('till.pay.cardWait', { amount: eur(cardPending) })}</h2>
            <div class="row">
              <button onClick={() => setCardPending(null)}>{t('till.pay.cardRefused')}</button>
              <button class="primary" onClick={() => { till.addPayment({ method: 'card', amountCents: cardPending }); setCardPending(null); setDigits(''); }}>{t('till.pay.cardAccepted')}</button>
            </div>
          </div>
        </div>
      )}
    </main>
  );
}

function DoneScreen({ s }: { s: TillState }) {
  const f = s.finished!;
  const queued = s.outbox.waiting > 0 && !f.receiptToken;
  const [qr, setQr] = useState(false);
  useKeys((e: KeyboardEvent) => {
      if (e.key === '1') void till.receipt('print');
      else if (e.key === '2' && f.receiptToken) setQr(true);
      else if (e.key === '3' || e.key === 'Enter' || e.key === 'Escape') void till.receipt('none');
      else return;
      // The key is the answer, not the first character of the next customer's search.
      e.preventDefault();
  });
  return (
    <main class="center">
      <div class="card done">
        {f.changeCents > 0 ? (
          <div class="change" data-testid="change"><span>{t('till.done.change')}</span><strong>{eur(f.changeCents)}</strong></div>
        ) : (
          <div class="change"><strong>{t('till.done.noChange')}</strong></div>
        )}
        <p data-testid="ticket-state">{queued ? t('till.done.queued', { n: f.number }) : t('till.done.stored', { n: f.number })}</p>
        {f.proposedNumber !== undefined && <p class="muted" data-testid="renumbered">{t('till.done.renumbered', { n: f.number, proposed: f.proposedNumber })}</p>}
        <h2>{t('till.receipt.question')}</h2>
        {qr && f.receiptToken && <img class="qr" src={`/r/${f.receiptToken}/qr.svg`} alt={t('till.receipt.qr')} />}
        <div class="row">
          <button class="big" onClick={() => till.receipt('print')}>{t('till.receipt.print')}</button>
          <button class="big" disabled={!f.receiptToken} onClick={() => setQr(true)}>{t('till.receipt.qr')}</button>
          <button class="big primary" onClick={() => till.receipt('none')}>{t('till.receipt.none')}</button>
        </div>
      </div>
    </main>
  );
}

// ---- refunds --------------------------------------------------------------------------------------------

interface SaleView {
  tillId: number;
  id: string;
  number: number;
  createdAt: string;
  totalCents: number;
  kind: string;
  lines: { lineNo: number; name: string; quantity: number; unitPriceCents: number; totalCents: number; productId: number }[];
}

/**
 * Tickets the server refused while the till was offline (a till disabled meanwhile, a number taken…): the
 * sale happened, so nothing is dropped. Each is shown with the server's reason; it is sent again once
 * the cause is fixed, or handed whole to the server's event log for a manager, and only then let go.
 */
function RefusedScreen({ s }: { s: TillState }) {
  const [items, setItems] = useState<RefusedItem[]>([]);
  const [error, setError] = useState('');
  const load = () => till.outbox.refusedItems().then(setItems);
  useEffect(() => void load(), [s.outbox.refused]);
  const act = async (f: () => Promise<void>) => {
    setError('');
    try { await f(); } catch (e) { setError(errorText(e)); }
    await load();
  };
  const name = (id: number) => s.catalog?.byId.get(id)?.name ?? `#${id}`;
  return (
    <main class="refused">
      <h1>{t('till.refused.title')}</h1>
      <p class="hint">{t('till.refused.help')}</p>
      {error && <p class="error" role="alert">{error}</p>}
      {items.length === 0 && <p>{t('till.refused.none')}</p>}
      <ul class="refused-list">
        {items.map((it) => {
          const body = it.body as { lines?: { productId: number; quantity?: number; grams?: number }[]; payments?: { method: string; amountCents: number }[] };
          return (
            <li key={it.seq} data-testid="refused-item">
              <strong>{t(it.kind === 'refund' ? 'till.refused.refund' : it.kind === 'receipt' ? 'till.refused.receipt' : 'till.refused.sale', { n: it.number ?? '—' })}</strong>
              {it.totalCents !== undefined && <span> · {eur(it.totalCents)}</span>}
              <span> · {new Date(it.queuedAt).toLocaleString(lang)}</span>
              <p class="error">{it.status} — {it.message}</p>
              {body.lines && <p class="hint">{body.lines.map((l) => `${name(l.productId)} × ${l.grams !== undefined ? `${l.grams} g` : l.quantity}`).join(', ')}</p>}
              <div class="row">
                <button onClick={() => act(() => till.outbox.retryRefused(it))}>{t('till.refused.retry')}</button>
                <button onClick={() => act(() => till.outbox.reportRefused(it))}>{t('till.refused.report')}</button>
              </div>
            </li>
          );
        })}
      </ul>
      <button class="primary big" onClick={() => till.set({ screen: s.device?.replaced ? 'replaced' : 'sell' })}>{t('till.ok')}</button>
    </main>
  );
}

function RefundScreen({ s }: { s: TillState }) {
  const [query, setQuery] = useState('');
  const [sales, setSales] = useState<SaleView[] | null>(null);
  const [picked, setPicked] = useState<SaleView | null>(null);
  const [qty, setQty] = useState<Record<number, number>>({});
  const [reason, setReason] = useState('');
  const [pin, setPin] = useState('');
  const [method, setMethod] = useState('cash');
  const [restock, setRestock] = useState(true);
  const [error, setError] = useState('');
  const [done, setDone] = useState<number | null>(null);
  const isManager = s.user?.role === 'manager' || s.user?.role === 'admin';

  const find = async () => {
    setError('');
    try {
      const q = query.trim();
      // The receipt's QR code, scanned (its address) or typed (its code): that one ticket, picked at once.
      const token = q.match(/\/r\/([A-Za-z0-9_-]{16,64})\b/)?.[1] ?? (/^[A-Za-z0-9_-]{24}$/.test(q) ? q : null);
      if (token) {
        const found = (await api<SaleView[]>('GET', `/api/sales?receipt=${token}&limit=1`)).filter((x) => x.kind === 'sale');
        setSales(found);
        if (found.length === 1) {
          setPicked(found[0]!);
          setQty({});
        } else setError(t('till.refund.noReceipt'));
        return;
      }
      // A date as the French write it, 14/11 or 14/11/2026 (this year when left out): that day's tickets.
      const date = q.match(/^(\d{1,2})\/(\d{1,2})(?:\/(\d{4}))?$/);
      let range = '';
      if (date) {
        const start = new Date(date[3] ? Number(date[3]) : new Date().getFullYear(), Number(date[2]) - 1, Number(date[1]));
        const end = new Date(start.getFullYear(), start.getMonth(), start.getDate() + 1);
        range = `&from=${encodeURIComponent(start.toISOString())}&to=${encodeURIComponent(end.toISOString())}`;
      }
      // Ticket numbers are per till: a number is looked for on this till; a date or an amount on every till of the shop.
      const own = /^\d{1,6}$/.test(q) || !q ? `tillId=${s.device!.id}&` : '';
      const list = await api<{ sales: SaleView[] } | SaleView[]>('GET', `/api/sales?${own}limit=${date ? 500 : 200}${range}`);
      const all = Array.isArray(list) ? list : list.sales;
      const amount = date ? null : parseEuros(q);
      setSales(all.filter((x) => x.kind === 'sale' && (!q || date || String(x.number) === q || x.id === q || (amount !== null && x.totalCents === amount))));
    } catch (e) {
      setError(errorText(e));
    }
  };
  useEffect(() => void find(), []);

  const lines = picked?.lines ?? [];
  const refundLines = lines.filter((l) => (qty[l.lineNo] ?? 0) > 0);
  const total = -refundLines.reduce((x, l) => x + Math.round((l.totalCents * (qty[l.lineNo] ?? 0)) / l.quantity), 0);

  const submit = async () => {
    setError('');
    if (s.outbox.waiting > 0 || !s.outbox.online) return setError(t('till.refund.needsOnline'));
    try {
      if (!isManager) await api('POST', '/api/auth/approve', { pin });
      const device = s.device!;
      const counter = `number:${device.id}:${device.trainingMode ? 'training' : 'real'}`;
      const id = uuidv7();
      const item = await numberAndQueue(counter, device.lastNumber, (number) => ({
        id,
        kind: 'refund' as const,
        path: '/api/refunds',
        number,
        totalCents: total,
        queuedAt: new Date().toISOString(),
        body: {
          id, tillId: device.id, number, createdAt: new Date().toISOString(), refundOf: picked!.id, reason,
          lines: refundLines.map((l) => ({ lineNo: l.lineNo, ...(isWeighed(l) ? { grams: qty[l.lineNo] } : { quantity: qty[l.lineNo] }), restock })),
          payments: [{ method, amountCents: total }],
          totalCents: total,
          ...(isManager ? {} : { approvalPin: pin }),
        },
      }));
      await till.outbox.kick();
      setDone(item.number ?? null);
    } catch (e) {
      setError(errorText(e));
    }
  };
  // A weighed line's quantity is in grams; the refund gives grams back.
  const isWeighed = (l: SaleView['lines'][number]) => s.catalog?.byId.get(l.productId)?.unit === 'kg';

  if (done !== null) {
    return (
      <main class="center"><div class="card">
        <h2 data-testid="refund-done">{t('till.refund.done', { n: done, amount: eur(-total) })}</h2>
        <button class="primary big" onClick={() => till.set({ screen: 'sell' })}>{t('till.ok')}</button>
      </div></main>
    );
  }
  return (
    <main class="refund">
      <section>
        <h1>{t('till.refund.title')}</h1>
        <div class="row">
          <input value={query} autoFocus placeholder={t('till.refund.find')} aria-label={t('till.refund.find')} onInput={(e) => setQuery((e.target as HTMLInputElement).value)} onKeyDown={(e) => e.key === 'Enter' && find()} />
          <button onClick={find}>{t('till.refund.search')}</button>
          <button onClick={() => till.set({ screen: 'sell' })}>{t('till.cancel')}</button>
        </div>
        <ul class="sales">
          {(sales ?? []).map((x) => (
            <li key={x.id}><button class={picked?.id === x.id ? 'on' : ''} onClick={() => { setPicked(x); setQty({}); }}>
              {t('till.refund.ticket', { n: x.number })}{x.tillId !== s.device!.id ? ` · ${t('till.refund.otherTill', { id: x.tillId })}` : ''} · {new Date(x.createdAt).toLocaleString(lang)} · {eur(x.totalCents)}
            </button></li>
          ))}
        </ul>
      </section>
      {picked && (
        <section>
          <ul class="refund-lines">
            {lines.map((l) => (
              <li key={l.lineNo}>
                <span>{l.name} ({isWeighed(l) ? kg(l.quantity) : l.quantity})</span>
                <input type="number" min={0} max={l.quantity} value={qty[l.lineNo] ?? 0} aria-label={t('till.refund.qty', { name: l.name })}
                  onInput={(e) => setQty({ ...qty, [l.lineNo]: Math.min(l.quantity, Math.max(0, Number((e.target as HTMLInputElement).value) || 0)) })} />
              </li>
            ))}
          </ul>
          <label>{t('till.refund.reason')}<input value={reason} onInput={(e) => setReason((e.target as HTMLInputElement).value)} /></label>
          <label class="check"><input type="checkbox" checked={restock} onChange={() => setRestock(!restock)} />{t('till.refund.restock')}</label>
          <div class="methods">
            {METHODS.map((m) => <button key={m.code} class={method === m.code ? 'method on' : 'method'} onClick={() => setMethod(m.code)}>{t(m.key)}</button>)}
          </div>
          {!isManager && <label>{t('till.discount.managerPin')}<input type="password" inputMode="numeric" value={pin} onInput={(e) => setPin((e.target as HTMLInputElement).value)} aria-label={t('till.discount.managerPin')} /></label>}
          <div class="total"><span>{t('till.refund.total')}</span><strong>{eur(total)}</strong></div>
          {error && <p class="error" role="alert">{error}</p>}
          <button class="primary big" disabled={!refundLines.length || reason.trim().length < 3} onClick={submit}>{t('till.refund.submit')}</button>
        </section>
      )}
      {error && !picked && <p class="error" role="alert">{error}</p>}
    </main>
  );
}

interface PrintJobToCheck { id: number; kind: string; status: 'failed' | 'unconfirmed'; attempts: number; lastError: string | null; createdAt: string }

/** Print jobs given up on, or sent whole without the printer's word: each settled by one tap. */
function PrintsScreen({ s }: { s: TillState }) {
  const [jobs, setJobs] = useState<PrintJobToCheck[] | null>(null);
  const [error, setError] = useState('');
  const printerId = s.device?.printerId;
  const load = () => {
    if (printerId != null) api<PrintJobToCheck[]>('GET', `/api/printers/${printerId}/attention`).then(setJobs, (e) => setError(errorText(e)));
  };
  useEffect(load, [printerId, s.printer?.attention]);
  const act = async (job: PrintJobToCheck, action: 'reprint' | 'confirm' | 'dismiss') => {
    setError('');
    try {
      await api('POST', `/api/print-jobs/${job.id}/${action}`, {});
      setJobs((jobs ?? []).filter((j) => j.id !== job.id));
    } catch (e) {
      setError(errorText(e));
      load();
    }
  };
  const kind = (k: string) => t((['receipt', 'duplicate', 'drawer'].includes(k) ? `till.prints.kind.${k}` : 'till.prints.kind.other') as MessageKey);
  return (
    <main class="center">
      <div class="card prints" data-testid="prints">
        <h1>{t('till.prints.title')}</h1>
        {jobs && !jobs.length && <p role="status">{t('till.prints.none')}</p>}
        <ul>
          {(jobs ?? []).map((j) => (
            <li key={j.id} data-testid="print-job">
              <strong>{t('till.prints.at', { kind: kind(j.kind), time: new Date(j.createdAt).toLocaleTimeString(lang, { hour: '2-digit', minute: '2-digit' }) })}</strong>
              <p>{j.status === 'failed' ? t('till.prints.failed', { n: j.attempts, error: j.lastError ?? '' }) : t('till.prints.unconfirmed', { error: j.lastError ?? '' })}</p>
              <div class="row">
                {j.status === 'failed' ? (
                  <>
                    <button class="primary" onClick={() => act(j, 'reprint')}>{t('till.prints.reprint')}</button>
                    <button onClick={() => act(j, 'dismiss')}>{t('till.prints.dismiss')}</button>
                  </>
                ) : (
                  <>
                    <button class="primary" onClick={() => act(j, 'confirm')}>{t('till.prints.confirm')}</button>
                    <button onClick={() => act(j, 'reprint')}>{t('till.prints.reprintMarked')}</button>
                  </>
                )}
              </div>
            </li>
          ))}
        </ul>
        {error && <p class="error" role="alert">{error}</p>}
        <button class="big" onClick={() => till.set({ screen: s.device?.replaced ? 'replaced' : 'sell' })}>{t('till.ok')}</button>
      </div>
    </main>
  );
}

/** Another tablet holds this till now: this one sends what it kept, then can be paired again. */
function ReplacedScreen({ s }: { s: TillState }) {
  const o = s.outbox;
  return (
    <main class="center">
      <div class="card" data-testid="replaced">
        <h1>{t('till.replaced.title')}</h1>
        <p>{t('till.replaced.body', { till: s.device?.name ?? '' })}</p>
        {o.waiting + o.otherWaiting > 0 ? (
          <>
            <p role="status">{t('till.replaced.sending', { n: o.waiting })}</p>
            {(o.needsLogin || !s.user) && (
              <>
                <p>{t('till.replaced.login')}</p>
                <button class="primary big" onClick={() => till.set({ screen: 'lock' })}>{t('till.replaced.pinToSend')}</button>
              </>
            )}
          </>
        ) : (
          <>
            <p role="status" data-testid="replaced-done">{t('till.replaced.done')}</p>
            {o.refused > 0 && <button class="big" onClick={() => till.set({ screen: 'refused' })}>{t('till.refused', { n: o.refused })}</button>}
            <button class="big" onClick={() => till.pairAgain()}>{t('till.replaced.pairAgain')}</button>
          </>
        )}
      </div>
    </main>
  );
}

// ---- the app --------------------------------------------------------------------------------------------

function App() {
  const s = useTill(true);
  const [insecureAck, setInsecureAck] = useState(!insecure() || insecureAcknowledged());
  // Only when it changes: setting it, even to the same value, makes the browser restyle the whole page.
  if (document.documentElement.lang !== lang) document.documentElement.lang = lang;
  useEffect(() => {
    const idle = setInterval(() => till.checkIdle(), 5000);
    const touch = () => till.touch();
    window.addEventListener('pointerdown', touch);
    return () => { clearInterval(idle); window.removeEventListener('pointerdown', touch); };
  }, []);
  if (!insecureAck) return <InsecureNotice t={t} next="/caisse/" onContinue={() => setInsecureAck(true)} />;
  return (
    <div class={`till screen-${s.screen}`}>
      {insecure() && <div class="limited-banner" role="status">{t('insecure.limited')}</div>}
      <StatusBar s={s} />
      {s.screen === 'boot' && <main class="center"><p>{t('till.catalog.loading')}</p></main>}
      {s.screen === 'pair' && <PairScreen />}
      {s.screen === 'lock' && <LockScreen s={s} />}
      {s.screen === 'sell' && <SellScreen s={s} />}
      {s.screen === 'pay' && <PayScreen s={s} />}
      {s.screen === 'done' && s.finished && <DoneScreen s={s} />}
      {s.screen === 'refund' && <RefundScreen s={s} />}
      {s.screen === 'refused' && <RefusedScreen s={s} />}
      {s.screen === 'replaced' && <ReplacedScreen s={s} />}
      {s.screen === 'prints' && <PrintsScreen s={s} />}
    </div>
  );
}

render(<App />, document.getElementById('app')!);
void till.boot();
if ('serviceWorker' in navigator) void navigator.serviceWorker.register('/caisse/sw.js', { scope: '/caisse/' }).catch(() => undefined);
