import { Component } from 'preact';
import { useState } from 'preact/hooks';
import { priceCart, type CartLine } from '../../cart.ts';
import { LineEditor, TicketDiscount } from './Dialogs.tsx';
import { till, lang, t, eur, kg, useTill } from '../../ui.tsx';

export interface CartRowProps {
  line: CartLine;
  totalCents: number | null;
  onEdit: (key: number) => void;
  stamp: string;
}

/** One line of the ticket; redrawn only when it changes (a scan adds a line, the others stay as they are). */
export class CartRow extends Component<CartRowProps> {
  override shouldComponentUpdate(next: CartRowProps) {
    return next.line !== this.props.line || next.totalCents !== this.props.totalCents || next.stamp !== this.props.stamp;
  }
  override render() {
    const { line: l, totalCents, onEdit } = this.props;
    return (
      <li>
        {/* The whole line is one button: reached with Tab, opened with Enter or Space (quantity, discount, note, delete). */}
        <button type="button" class="line" aria-haspopup="dialog" onClick={() => onEdit(l.key)}>
          <span class="line-main">
            <span class="line-name">{l.name}</span>
            <span class="line-total">{totalCents === null ? '' : eur(totalCents)}</span>
          </span>
          <span class="line-sub">
            {l.unit === 'kg' ? `${kg(l.quantity)} × ${eur(l.unitPriceCents)}/kg` : `${l.quantity} × ${eur(l.unitPriceCents)}`}
            {l.producerName && <span class="producer"> · {l.producerName}</span>}
            {l.discountCents > 0 && <span class="discount"> · {t('till.discount.short', { amount: eur(l.discountCents) })}</span>}
            {l.note && <span class="note"> · {l.note}</span>}
          </span>
        </button>
      </li>
    );
  }
}

export function Cart() {
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
            <CartRow
              key={l.key}
              line={l}
              totalCents={'error' in priced ? null : priced.lines[i]!.total + priced.lines[i]!.ticketDiscount}
              onEdit={setEditing}
              stamp={lang}
            />
          ))}
        </ol>
      </div>
      {s.cart.discountCents > 0 && (
        <div class="ticket-discount">{t('till.discount.ticketApplied', { amount: eur(s.cart.discountCents) })}</div>
      )}
      {'error' in priced && <p class="error">{priced.error}</p>}
      <div class="total" data-testid="total" aria-live="polite" aria-atomic="true">
        <span>{t('till.total')}</span>
        <strong>{eur(total)}</strong>
      </div>
      <div class="cart-actions">
        <button disabled={!s.cart.lines.length} onClick={() => till.park()}>
          {t('till.park')}
        </button>
        <button disabled={!s.cart.lines.length} onClick={() => setTicketDiscount(true)}>
          {t('till.discount.ticket')}
        </button>
        <button
          class="primary big"
          disabled={!s.cart.lines.length || 'error' in priced}
          onClick={() => till.startPayment()}
          data-testid="pay"
        >
          {t('till.pay')}
        </button>
      </div>
      {line && <LineEditor line={line} s={s} onClose={() => setEditing(null)} />}
      {ticketDiscount && !('error' in priced) && (
        <TicketDiscount s={s} subtotal={priced.subtotal} onClose={() => setTicketDiscount(false)} />
      )}
    </section>
  );
}
