import { Component } from 'preact';
import { cartTotals, isManualPrice, priceCart, type Cart as CartState, type CartLine, type CartTotals } from '../../cart.ts';
import { salesBlocked, type TillState } from '../../till.ts';
import { LineEditor, TicketDiscount } from './Dialogs.tsx';
import { till, lang, t, eur, kg, methodName } from '../../ui.tsx';

/** One line as drawn: what it was drawn from, to touch only the lines that changed. */
interface Row {
  line: CartLine;
  totalCents: number | null;
  li: HTMLLIElement;
}

/** What the framework draws around the lines: it changes far less often than the lines themselves. */
interface Shape {
  hasLines: boolean;
  error: string | null;
  discountCents: number;
}

interface CartViewState {
  s: TillState;
  shape: Shape;
  editing: number | null;
  ticketDiscount: boolean;
}

const shapeOf = (cart: CartState, priced: CartTotals): Shape => ({
  hasLines: cart.lines.length > 0,
  error: priced.error,
  discountCents: cart.discountCents,
});

const sameShape = (a: Shape, b: Shape) => a.hasLines === b.hasLines && a.error === b.error && a.discountCents === b.discountCents;

function span(cls: string, text: string) {
  const el = document.createElement('span');
  el.className = cls;
  el.textContent = text;
  return el;
}

let template: HTMLLIElement | null = null;
/**
 * An empty line, cloned for each new one: `<li><button class="line"><span class="line-main">` with the
 * name and the amount, then `<span class="line-sub">` with the quantity × price and the producer, discount
 * and note spans, hidden while empty.
 */
function lineTemplate(): HTMLLIElement {
  if (template) return template;
  const li = document.createElement('li');
  const button = document.createElement('button');
  button.type = 'button';
  button.className = 'line';
  button.setAttribute('aria-haspopup', 'dialog');
  const main = span('line-main', '');
  main.append(span('line-name', ''), span('line-total', ''));
  const sub = span('line-sub', '');
  sub.append('');
  for (const cls of ['producer', 'manual', 'discount', 'note']) {
    const part = sub.appendChild(span(cls, ''));
    part.hidden = true;
  }
  button.append(main, sub);
  li.append(button);
  return (template = li);
}

/** Sets a part of the line's second row, hidden when it has nothing to say. */
function part(el: ChildNode, text: string) {
  const s = el as HTMLElement;
  if (s.textContent !== text) s.textContent = text;
  s.hidden = !text;
}

/**
 * A line's second row: quantity × price, then the producer, a manual price, the discount and the note when
 * there are. `fresh`: the row was just cloned from the template (its parts empty and hidden), only what is
 * there is set.
 */
function fillSub(sub: HTMLElement, l: CartLine, fresh = false) {
  if (fresh) {
    const [quantity, producer, manual, discount, note] = sub.childNodes;
    (quantity as Text).data =
      l.unit === 'kg' ? `${kg(l.quantity)} × ${eur(l.unitPriceCents)}/kg` : `${l.quantity} × ${eur(l.unitPriceCents)}`;
    if (l.producerName) part(producer!, ` · ${l.producerName}`);
    if (isManualPrice(l)) part(manual!, ` · ${t('till.price.manualShort')}`);
    if (l.discountCents > 0) part(discount!, ` · ${t('till.discount.short', { amount: eur(l.discountCents) })}`);
    if (l.note) part(note!, ` · ${l.note}`);
    return;
  }
  const [quantity, producer, manual, discount, note] = sub.childNodes;
  (quantity as Text).data =
    l.unit === 'kg' ? `${kg(l.quantity)} × ${eur(l.unitPriceCents)}/kg` : `${l.quantity} × ${eur(l.unitPriceCents)}`;
  part(producer!, l.producerName ? ` · ${l.producerName}` : '');
  part(manual!, isManualPrice(l) ? ` · ${t('till.price.manualShort')}` : '');
  part(discount!, l.discountCents > 0 ? ` · ${t('till.discount.short', { amount: eur(l.discountCents) })}` : '');
  part(note!, l.note ? ` · ${l.note}` : '');
}

/**
 * The ticket being rung: the lines and the total are drawn by hand, at once when the cart changes, as
 * ProductGrid draws its tiles; the framework draws the rest (the buttons, the dialogs) and only when it
 * changes. A scan adds one `<li>` and rewrites the total, the browser's own price for that change
 * (measured against it in `bench/till.ts`).
 *
 * Each line is one button: reached with Tab, opened with Enter or Space (quantity, discount, note, delete).
 */
export class Cart extends Component<object, CartViewState> {
  private list: HTMLOListElement | null = null;
  private totalEl: HTMLElement | null = null;
  private rows: Row[] = [];
  private drawnLang = lang;
  /** The total as last written (compared rather than read back from the page). */
  private totalText = '';
  private unsubscribe: (() => void) | null = null;

  constructor() {
    super();
    const s = till.state;
    this.state = { s, shape: shapeOf(s.cart, cartTotals(s.cart)), editing: null, ticketDiscount: false };
  }

  override componentDidMount() {
    this.draw(till.state.cart);
    this.unsubscribe = till.subscribe((next, prev) => {
      const dialog = this.state.editing !== null || this.state.ticketDiscount;
      if (next.cart === prev.cart) {
        // The dialogs read the rest of the state (the cashier's discount limit…); the day may block paying.
        if (dialog || next.day !== prev.day) this.setState({ s: next });
        return;
      }
      const shape = this.draw(next.cart);
      if (dialog || !sameShape(shape, this.state.shape)) this.setState({ s: next, shape });
    });
  }

  override componentWillUnmount() {
    this.unsubscribe?.();
  }

  override componentDidUpdate() {
    // The language changed: every line is written again in it.
    if (this.drawnLang !== lang) {
      this.drawnLang = lang;
      for (const row of this.rows) row.li.remove();
      this.rows = [];
      this.draw(till.state.cart);
    }
  }

  /** Brings the lines and the total in the page to the cart, touching only what changed. */
  private draw(cart: CartState): Shape {
    const priced = cartTotals(cart);
    const list = this.list!;
    const lines = cart.lines;
    for (let i = 0; i < lines.length; i++) {
      const line = lines[i]!;
      // What the line itself comes to (its own discount taken off); the ticket's discount is shown apart.
      const totalCents = priced.error === null ? priced.lines[i]! : null;
      let row = this.rows[i];
      if (row && row.line.key !== line.key) {
        // A line removed (or lines reordered): the rows from here on are drawn again.
        for (const r of this.rows.splice(i)) r.li.remove();
        row = undefined;
      }
      if (!row) {
        // Cloned from a line drawn once: one call to the browser rather than a dozen.
        const li = lineTemplate().cloneNode(true) as HTMLLIElement;
        const button = li.firstChild as HTMLElement;
        const main = button.firstChild!;
        main.firstChild!.textContent = line.name;
        main.lastChild!.textContent = totalCents === null ? '' : eur(totalCents);
        fillSub(button.lastChild as HTMLElement, line, true);
        list.append(li);
        this.rows.push({ line, totalCents, li });
        continue;
      }
      if (row.line !== line) {
        const button = row.li.firstChild as HTMLElement;
        (button.firstChild!.firstChild as HTMLElement).textContent = line.name;
        fillSub(button.lastChild as HTMLElement, line);
        row.line = line;
      }
      if (row.totalCents !== totalCents) {
        (row.li.firstChild!.firstChild!.lastChild as HTMLElement).textContent = totalCents === null ? '' : eur(totalCents);
        row.totalCents = totalCents;
      }
    }
    for (const r of this.rows.splice(lines.length)) r.li.remove();
    const total = eur(priced.error === null ? priced.total : 0);
    if (this.totalEl && this.totalText !== total) this.totalEl.textContent = this.totalText = total;
    return shapeOf(cart, priced);
  }

  private onLineClick = (e: MouseEvent) => {
    const li = (e.target as Element).closest('li');
    const row = this.rows.find((r) => r.li === li);
    if (row) this.setState({ editing: row.line.key, s: till.state });
  };

  override render() {
    const { s, shape, editing, ticketDiscount } = this.state;
    const line = editing === null ? undefined : s.cart.lines.find((l) => l.key === editing);
    const priced = ticketDiscount ? priceCart(s.cart) : null;
    return (
      <section class="cart" aria-label={t('till.cart')}>
        {/* Scrolled from the bottom (column-reverse): the line just scanned is always in sight. */}
        <div class="lines-scroll">
          {/* Its children are the lines drawn by hand (see `draw`): the framework never touches them. */}
          <ol
            class="lines"
            data-testid="cart"
            ref={(el) => {
              this.list = el;
            }}
            onClick={this.onLineClick}
          />
          {/* An empty ticket says how it fills (a blank panel said nothing to a newcomer). */}
          {!shape.hasLines && (
            <p class="muted empty-cart" data-testid="empty-cart">
              {t('till.cart.empty')}
            </p>
          )}
        </div>
        {shape.discountCents > 0 && (
          <div class="ticket-discount">{t('till.discount.ticketApplied', { amount: eur(shape.discountCents) })}</div>
        )}
        {shape.error && <p class="error">{shape.error}</p>}
        <div class="total" data-testid="total" aria-live="polite" aria-atomic="true">
          <span>{t('till.total')}</span>
          <strong
            ref={(el) => {
              this.totalEl = el;
            }}
          />
        </div>
        {s.payments.length > 0 && (
          <p class="info banner" role="status" data-testid="paid-already">
            {t('till.paidAlready', {
              amount: eur(s.payments.reduce((sum, p) => sum + p.amountCents, 0)),
              methods: [...new Set(s.payments.map((p) => methodName(p.method)))].join(', '),
            })}
          </p>
        )}
        <div class="cart-actions">
          <button disabled={!shape.hasLines} onClick={() => till.park() || till.say('error', t('till.paidAlready.cannotPark'))}>
            {t('till.park')}
          </button>
          <button disabled={!shape.hasLines} onClick={() => this.setState({ ticketDiscount: true, s: till.state })}>
            {t('till.discount.ticket')}
          </button>
          <button
            class="primary big"
            disabled={!shape.hasLines || shape.error !== null || salesBlocked(s.day)}
            onClick={() => till.startPayment()}
            data-testid="pay"
          >
            {t('till.pay')}
          </button>
        </div>
        {line && <LineEditor line={line} s={s} onClose={() => this.setState({ editing: null })} />}
        {priced && !('error' in priced) && (
          <TicketDiscount s={s} subtotal={priced.subtotal} onClose={() => this.setState({ ticketDiscount: false })} />
        )}
      </section>
    );
  }
}
