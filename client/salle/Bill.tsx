import { useEffect, useState } from 'preact/hooks';
import { restaurantApi, type BillView } from '../../shared/api/restaurant.ts';
import { call } from '../api.ts';
import type { OrderLineView } from '../../shared/api/restaurant.ts';
import type { CartLine } from '../caisse/cart.ts';
import type { TillState } from '../caisse/till.ts';
import { eur, t, till, useKeys } from '../caisse/ui.tsx';
import { isOffline } from '../api.ts';
import { leftOf, nextCourse, type SalleState } from './salle.ts';
import { Modal } from '../caisse/Modal.tsx';
import type { OrderView } from '../../shared/api/restaurant.ts';
import type { TillMessageKey as MessageKey } from '../../shared/i18n/till.ts';
import { salle } from './ui.tsx';
import { spreadPart } from '../../shared/split.ts';
import { withOptions } from '../../shared/text.ts';

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
  const [share, setShare] = useState<number | null>(null);
  // A share paid already (on this phone or another): the rest is paid in shares only, so the bill opens on
  // them (a newcomer was offered the whole rest again by item, took it, and the server refused the ticket).
  const [byShare, setByShare] = useState(false);
  // The payment that settles the bill, held while the waiter answers for the dishes never asked of the kitchen.
  const [held, setHeld] = useState<{ go: () => void } | null>(null);
  useEffect(() => {
    let current = true;
    call(restaurantApi.bill, { params: { id: orderId }, query: {} }).then(
      (b) => {
        if (!current || !b.byShare) return;
        setByShare(true);
        setShare((x) => x ?? b.split?.parts ?? salle.state.splits.get(orderId)?.parts ?? 2);
      },
      () => undefined, // offline: the server refuses a wrong ticket, and says why
    );
    return () => {
      current = false;
    };
  }, [orderId]);
  if (!order) {
    // Paid and closed, or merged: the floor. Not while the orders are still loading (a reload on the parts went
    // to the floor before the order came).
    if (r.loaded) salle.go({ kind: 'floor' });
    return null;
  }
  const self = order;
  const tableName = r.rooms.flatMap((x) => x.tables).find((x) => x.id === order.tableId)?.name ?? order.tableName ?? '—';
  const seats = [...new Set(open.map((l) => l.seat).filter((x): x is number => x !== null))].sort((a, b) => a - b);
  const qty = (l: OrderLineView) => Math.min(chosen.get(l.id) ?? 0, leftOf(l));
  const total = open.reduce((x, l) => x + qty(l) * l.unitPriceCents, 0);
  const left = open.reduce((x, l) => x + leftOf(l) * l.unitPriceCents, 0);
  const set = (l: OrderLineView, n: number) => setChosen(new Map(chosen).set(l.id, Math.max(0, Math.min(leftOf(l), n))));
  const pay = () => {
    const parts = open.filter((l) => qty(l) > 0);
    if (!parts.length) return;
    settle(() => payItems(parts), total === left);
  };
  const payItems = (parts: OrderLineView[]) => {
    const lines: CartLine[] = parts.map((l) => ({
      key: nextKey++,
      productId: l.productId,
      // With its options, as the server names the ticket's line: two burgers at two prices told apart.
      name: withOptions(l.name, l.modifiers),
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
      payingFor: t('salle.pay.items', { name: tableName, n: lines.reduce((n, l) => n + l.quantity, 0) }),
    });
    till.startPayment();
  };
  // Dishes the kitchen has not been sent, or not asked for yet (their course's Suite): said before the bill is
  // paid (a table paid and closed with its desserts never asked for, found by a walk).
  const unsent = order.lines.filter((l) => l.status === 'new').length;
  const unfired = order.lines.filter((l) => l.status === 'sent' && l.firedAt === null).length;
  /**
   * A payment that leaves nothing to pay closes the table: with dishes the kitchen was never asked for (a course
   * whose Suite was never pressed), the waiter says first whether to ask for them now or to settle anyway (a
   * table was paid and closed with its desserts never made: found by a walk).
   */
  const settle = (go: () => void, settles: boolean) => (settles && unfired > 0 ? setHeld({ go }) : go());
  const kitchenWarning = (unsent > 0 || unfired > 0) && (
    <p class="warning" role="status" data-testid="bill-unsent">
      {[unsent > 0 ? t('salle.bill.unsent', { n: unsent }) : '', unfired > 0 ? t('salle.bill.unfired', { n: unfired }) : '']
        .filter(Boolean)
        .join(' ')}
    </p>
  );
  return (
    <main class="bill">
      {kitchenWarning}
      {held && <UnfiredCheck order={order} onPay={held.go} onClose={() => setHeld(null)} />}
      {share !== null ? (
        <>
          <header class="order-head">
            <button class="link back" onClick={() => salle.go({ kind: 'order', orderId: self.id })}>
              ← {t('salle.back')}
            </button>
            <h1>{t('salle.bill.title', { name: tableName })}</h1>
          </header>
          {byShare && (
            <p class="muted" role="status" data-testid="shares-only">
              {t('salle.bill.sharesOnly')}
            </p>
          )}
          <EqualParts
            orderId={self.id}
            tableName={tableName}
            parts={share}
            settle={settle}
            onBack={byShare ? null : () => setShare(null)}
          />
        </>
      ) : (
        byItem()
      )}
    </main>
  );

  function byItem() {
    return (
      <>
        <header class="order-head">
          <button class="link back" onClick={() => salle.go({ kind: 'order', orderId: self.id })}>
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
          <button onClick={() => setShare(2)} data-testid="split-equal">
            {t('salle.bill.equal')}
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
                {withOptions(l.name, l.modifiers)}
                {l.seat !== null && <small> · {t('salle.seat', { n: l.seat })}</small>}
                <small class="muted"> · {t('salle.bill.leftOf', { n: leftOf(l), price: eur(l.unitPriceCents) })}</small>
              </span>
              <span class="stepper" role="group" aria-label={l.name}>
                <button aria-label={t('salle.qty.lessOf', { name: l.name })} onClick={() => set(l, qty(l) - 1)} disabled={qty(l) === 0}>
                  −
                </button>
                <output aria-live="polite" data-testid="bill-qty">
                  {qty(l)}
                </output>
                <button
                  aria-label={t('salle.qty.moreOf', { name: l.name })}
                  onClick={() => set(l, qty(l) + 1)}
                  disabled={qty(l) >= leftOf(l)}
                >
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
      </>
    );
  }
}

/**
 * What of a share meal vouchers may pay: its spread over the lines left (as the server spreads it), the
 * eligible lines' part (the phone took a voucher above it, and the server refused the ticket once paid).
 */
function voucherEligible(bill: BillView, amountCents: number): number {
  const spread = spreadPart(bill.lines, amountCents);
  return bill.lines.reduce((sum, l, i) => sum + (l.mealVoucherEligible ? spread[i]! : 0), 0);
}

/**
 * The bill in N equal parts: the server says what each part pays (the first parts take the odd cents, the
 * last exactly what is left); each part is paid in turn on the payment screen, its own ticket.
 */
function EqualParts({
  orderId,
  tableName,
  parts,
  settle,
  onBack,
}: {
  orderId: string;
  tableName: string;
  parts: number;
  settle: (go: () => void, settles: boolean) => void;
  onBack: (() => void) | null;
}) {
  const progress = salle.state.splits.get(orderId);
  const paid = progress?.paid ?? 0;
  const [n, setN] = useState(progress?.parts ?? parts);
  const [bill, setBill] = useState<BillView | null>(null);
  const [error, setError] = useState('');
  const [custom, setCustom] = useState('');
  useEffect(() => {
    let current = true;
    // What is left, in as many equal parts as are still to pay (the same amounts as part k of N on the server).
    call(restaurantApi.bill, { params: { id: orderId }, query: { parts: Math.max(2, n - paid) } })
      .then((b) => {
        if (!current) return;
        // The server knows parts this phone does not (reloaded, or paid from another phone): its split is the one.
        if (b.split && b.split.paid > paid) {
          salle.set({ splits: new Map(salle.state.splits).set(orderId, b.split) });
          setN(Math.max(b.split.parts, b.split.paid + 1));
          return;
        }
        setBill(b);
        setError('');
      })
      .catch((e) => current && setError(isOffline(e) ? t('salle.bill.online') : (e as Error).message));
    return () => {
      current = false;
    };
  }, [orderId, n, paid]);
  const due = bill ? (n - paid === 1 ? [{ index: 1, amountCents: bill.leftCents }] : bill.parts) : [];
  const next = due[0];
  const pay = () => {
    if (!bill || !next) return;
    settle(payNext, next.amountCents === bill.leftCents);
  };
  const payNext = () => {
    if (!bill || !next) return;
    // Back on the parts once it is paid: the next guest's part is what comes next (the waiter landed on the
    // order and asked for the bill again each time: found by a walk). The last one closes the table.
    salle.go({ kind: 'bill', orderId });
    till.set({
      cart: { lines: [], discountCents: 0 },
      orderPart: null,
      orderShare: {
        id: orderId,
        parts: n,
        index: paid + 1,
        amountCents: next.amountCents,
        voucherEligibleCents: voucherEligible(bill, next.amountCents),
      },
      payingFor: t('salle.pay.part', { name: tableName, k: paid + 1, n }),
    });
    till.startPayment();
  };
  const payCustom = (cents: number) => {
    if (!bill) return;
    salle.go({ kind: 'order', orderId });
    till.set({
      cart: { lines: [], discountCents: 0 },
      orderPart: null,
      orderShare: {
        id: orderId,
        parts: 1,
        index: 1,
        amountCents: cents,
        custom: true,
        voucherEligibleCents: voucherEligible(bill, cents),
      },
      payingFor: t('salle.pay.custom', { name: tableName }),
    });
    till.startPayment();
  };
  return (
    <>
      <div class="split-modes">
        {onBack && <button onClick={onBack}>{t('salle.bill.byItem')}</button>}
        <div class="parts-pick" role="group" aria-labelledby="parts-label">
          <span id="parts-label">{t('salle.bill.parts')}</span>
          <span class="stepper">
            <button
              aria-label={t('salle.parts.less')}
              disabled={n <= Math.max(2, paid + 1)}
              onClick={() => setN((x) => Math.max(2, paid + 1, x - 1))}
            >
              −
            </button>
            <output aria-live="polite" data-testid="parts">
              {n}
            </output>
            <button aria-label={t('salle.parts.more')} disabled={n >= 50} onClick={() => setN((x) => Math.min(50, x + 1))}>
              +
            </button>
          </span>
        </div>
      </div>
      {error && (
        <p class="banner" role="alert">
          {error}
        </p>
      )}
      {bill && (
        <ul class="bill-lines" data-testid="parts-list">
          {Array.from({ length: paid }, (_, i) => (
            <li key={`paid-${i}`}>
              <span class="name">{t('salle.bill.part', { k: i + 1, n })}</span>
              <span class="muted">{t('salle.bill.partPaid')}</span>
              <span />
            </li>
          ))}
          {due.map((p) => (
            <li key={p.index} class={p === next ? 'on' : ''}>
              <span class="name">{t('salle.bill.part', { k: paid + p.index, n })}</span>
              <span />
              <span class="price">{eur(p.amountCents)}</span>
            </li>
          ))}
        </ul>
      )}
      {bill && bill.leftCents > 0 && (
        <form
          class="custom-amount"
          onSubmit={(e) => {
            e.preventDefault();
            const cents = Math.round(Number(custom.replace(',', '.')) * 100);
            if (!Number.isFinite(cents) || cents <= 0) return setError(t('salle.bill.customBad'));
            if (cents > bill.leftCents) return setError(t('salle.bill.customTooMuch', { amount: eur(bill.leftCents) }));
            settle(() => payCustom(cents), cents === bill.leftCents);
          }}
        >
          <label>
            {t('salle.bill.custom')}
            <input
              inputMode="decimal"
              value={custom}
              onInput={(e) => setCustom((e.target as HTMLInputElement).value)}
              data-testid="custom-amount"
            />
          </label>
          <button type="submit" data-testid="custom-pay">
            {t('salle.bill.customPay')}
          </button>
        </form>
      )}
      <footer class="order-actions">
        <strong class="order-total">{bill ? eur(bill.leftCents) : ''}</strong>
        <button class="primary big" disabled={!next} onClick={pay} data-testid="part-pay">
          {next ? t('salle.bill.payPart', { k: paid + 1, n, amount: eur(next.amountCents) }) : t('salle.bill.online')}
        </button>
      </footer>
    </>
  );
}

/**
 * Asked before the payment that closes a table whose dishes were sent but never asked for (their course's
 * Suite): ask for them now, or settle anyway (the guests went without, or had them already).
 */
function UnfiredCheck({ order, onPay, onClose }: { order: OrderView; onPay: () => void; onClose: () => void }) {
  const course = nextCourse(order);
  const waiting = order.lines.filter((l) => l.status === 'sent' && l.firedAt === null);
  const n = waiting.reduce((x, l) => x + l.quantity, 0);
  return (
    <Modal labelledBy="unfired-title" onClose={onClose}>
      <div class="card" data-testid="unfired-check">
        <h2 id="unfired-title">{t('salle.unfired.title', { n })}</h2>
        <ul>
          {waiting.map((l) => (
            <li key={l.id}>
              {l.quantity} × {withOptions(l.name, l.modifiers)}
            </li>
          ))}
        </ul>
        <p>{t('salle.unfired.help', { n })}</p>
        <div class="stack">
          {course && (
            <button
              class="primary"
              data-testid="unfired-fire"
              onClick={() => {
                void salle.act(order.id, { kind: 'fire', course });
                onClose();
              }}
            >
              {t('salle.fire', { course: t(`salle.course.${course}` as MessageKey) })}
            </button>
          )}
          <button
            data-testid="unfired-pay"
            onClick={() => {
              onClose();
              onPay();
            }}
          >
            {t('salle.unfired.pay')}
          </button>
          <button onClick={onClose}>{t('salle.cancel')}</button>
        </div>
      </div>
    </Modal>
  );
}
