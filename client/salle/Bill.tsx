import { useState } from 'preact/hooks';
import type { OrderLineView } from '../../shared/api/restaurant.ts';
import type { CartLine } from '../caisse/cart.ts';
import type { TillState } from '../caisse/till.ts';
import { eur, t, till, useKeys } from '../caisse/ui.tsx';
import { leftOf, type SalleState } from './salle.ts';
import { salle } from './ui.tsx';

let nextKey = 1_000_000;

/**
 * The bill: everything left, or a part of it — some items, a guest's seat — each part its own ticket on this
 * phone's till, paid on the till's payment screen (cash, card, cheque, meal vouchers, several at once).
 */
export function BillScreen({ s, r, orderId }: { s: TillState; r: SalleState; orderId: string }) {
  useKeys(() => undefined);
  const order = salle.order(orderId);
  const open = order ? order.lines.filter((l) => leftOf(l) > 0) : [];
  const [chosen, setChosen] = useState<Map<string, number>>(() => new Map(open.map((l) => [l.id, leftOf(l)])));
  if (!order) {
    salle.go({ kind: 'floor' });
    return null;
  }
  const tableName = r.rooms.flatMap((x) => x.tables).find((x) => x.id === order.tableId)?.name ?? order.tableName ?? '—';
  const seats = [...new Set(open.map((l) => l.seat).filter((x): x is number => x !== null))].sort((a, b) => a - b);
  const qty = (l: OrderLineView) => Math.min(chosen.get(l.id) ?? 0, leftOf(l));
  const total = open.reduce((x, l) => x + qty(l) * l.unitPriceCents, 0);
  const left = open.reduce((x, l) => x + leftOf(l) * l.unitPriceCents, 0);
  const set = (l: OrderLineView, n: number) => setChosen(new Map(chosen).set(l.id, Math.max(0, Math.min(leftOf(l), n))));
  const pay = () => {
    const parts = open.filter((l) => qty(l) > 0);
    if (!parts.length) return;
    const lines: CartLine[] = parts.map((l) => ({
      key: nextKey++,
      productId: l.productId,
      name: l.name,
      producerName: null,
      unit: 'piece',
      quantity: qty(l),
      unitPriceCents: l.unitPriceCents,
      vatRateBp: l.vatRateBp,
      discountCents: 0,
      note: '',
    }));
    // After the payment, back to the order (or the floor, once it is all paid).
    salle.go({ kind: 'order', orderId: order.id });
    till.set({
      cart: { lines, discountCents: 0 },
      orderPart: { id: order.id, lines: parts.map((l) => ({ lineId: l.id, quantity: qty(l) })) },
    });
    till.startPayment();
  };
  return (
    <main class="bill">
      <header class="order-head">
        <button class="link back" onClick={() => salle.go({ kind: 'order', orderId: order.id })}>
          ← {t('salle.back')}
        </button>
        <h1>{t('salle.bill.title', { name: tableName })}</h1>
        <span class="muted">{t('salle.bill.left', { amount: eur(left) })}</span>
      </header>
      <div class="split-modes" role="group" aria-label={t('salle.bill.split')}>
        <button onClick={() => setChosen(new Map(open.map((l) => [l.id, leftOf(l)])))} data-testid="split-all">
          {t('salle.bill.all')}
        </button>
        <button onClick={() => setChosen(new Map())} data-testid="split-none">
          {t('salle.bill.none')}
        </button>
        {seats.map((n) => (
          <button key={n} onClick={() => setChosen(new Map(open.filter((l) => l.seat === n).map((l) => [l.id, leftOf(l)])))}>
            {t('salle.seat', { n })}
          </button>
        ))}
      </div>
      <ul class="bill-lines">
        {open.map((l) => (
          <li key={l.id} class={qty(l) ? 'on' : ''}>
            <span class="name">
              {l.name}
              {l.seat !== null && <small> · {t('salle.seat', { n: l.seat })}</small>}
              <small class="muted"> · {t('salle.bill.leftOf', { n: leftOf(l), price: eur(l.unitPriceCents) })}</small>
            </span>
            <span class="stepper" role="group" aria-label={l.name}>
              <button aria-label={t('salle.qty.less')} onClick={() => set(l, qty(l) - 1)} disabled={qty(l) === 0}>
                −
              </button>
              <output aria-live="polite" data-testid="bill-qty">
                {qty(l)}
              </output>
              <button aria-label={t('salle.qty.more')} onClick={() => set(l, qty(l) + 1)} disabled={qty(l) >= leftOf(l)}>
                +
              </button>
            </span>
            <span class="price">{eur(qty(l) * l.unitPriceCents)}</span>
          </li>
        ))}
      </ul>
      <footer class="order-actions">
        <strong class="order-total" data-testid="bill-total">
          {eur(total)}
        </strong>
        <button class="primary big" disabled={total === 0} onClick={pay} data-testid="bill-pay">
          {t('salle.bill.pay', { amount: eur(total) })}
        </button>
      </footer>
    </main>
  );
}
