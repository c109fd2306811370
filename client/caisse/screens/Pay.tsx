import { useEffect, useRef, useState } from 'preact/hooks';
import { focusIfLost } from '../../focus.ts';
import { priceCart } from '../cart.ts';
import { type TillState } from '../till.ts';
import { Modal } from '../Modal.tsx';
import { till, t, eur, kg, METHODS, FUND_METHODS, useLive, useKeys, errorText, Keypad, applyKey, keepFocus } from '../ui.tsx';
import { call } from '../../api.ts';
import { authApi } from '../../../shared/api/auth.ts';
import { mealVoucherLimit, mealVouchersAllowedAt } from '../../../shared/payment-rules.ts';
import { cardLookupEndpoint } from '../../../shared/api/solidarity-card.ts';
import { solidaritySplit } from '../../../shared/solidarity.ts';
import { MAX_CHANGE_CENTS } from '../../../shared/sales.ts';

export function nextNotes(due: number): number[] {
  const notes = [500, 1000, 2000, 5000, 10000];
  const out = new Set<number>();
  for (const n of notes) {
    const v = Math.ceil(due / n) * n;
    if (v > due) out.add(v);
  }
  return [...out].sort((a, b) => a - b).slice(0, 3);
}

export function PayScreen({ s }: { s: TillState }) {
  const priced = priceCart(s.cart);
  const total = s.orderShare ? s.orderShare.amountCents : 'error' in priced ? 0 : priced.total;
  const paid = s.payments.reduce((x, p) => x + p.amountCents, 0);
  const due = Math.max(0, total - paid);
  const [digits, setDigits, digitsRef] = useLive('');
  const [method, setMethod, methodRef] = useLive('cash');
  const [cardPending, setCardPending, cardRef] = useLive<number | null>(null);
  // The tip the customer adds on the terminal (shops that take tips on card only).
  const [tip, setTip] = useState(0);
  const tips = s.device?.options.tipsOnCard ?? false;
  const cardPayment = (amountCents: number) => ({ method: 'card', amountCents, ...(tips && tip > 0 ? { tipCents: tip } : {}) });
  const [error, setError] = useState('');
  const [busy, setBusy] = useState(false);
  const extra = s.device?.options.extraPaymentMethods ?? [];
  const options = s.device?.options;
  const isManager = s.user?.role === 'manager' || s.user?.role === 'admin';
  // Meal vouchers: the eligible lines (food, per the catalogue), up to the shop's cap, never on a Sunday or a
  // public holiday unless the shop allows it. The server checks the same (server/sales/payment-rules.ts);
  // a share of a restaurant bill: its eligible part as the bill spread it (client/salle/Bill.tsx).
  const voucherToday = mealVouchersAllowedAt(new Date(), { mealVoucherOnSundays: options?.mealVoucherOnSundays ?? false });
  const eligible = s.orderShare
    ? (s.orderShare.voucherEligibleCents ?? null)
    : 'error' in priced
      ? null
      : s.cart.lines.reduce((x, l, i) => x + (s.catalog?.byId.get(l.productId)?.mealVoucherEligible ? priced.lines[i]!.total : 0), 0);
  const voucherMax = eligible === null ? null : mealVoucherLimit(eligible, options?.mealVoucherCapCents ?? 2500);
  // Meal vouchers offered up to what they may still pay (the whole due was offered above the cap, and refused).
  const defaultAmount = (m: string, dueCents: number) => {
    if (m !== 'meal_voucher' || voucherMax === null) return dueCents;
    const vouchers = till.state.payments.filter((p) => p.method === 'meal_voucher').reduce((x, p) => x + p.amountCents, 0);
    return Math.max(0, Math.min(dueCents, voucherMax - vouchers));
  };
  const amount = digits ? Number(digits) : defaultAmount(method, due);
  const voucherText =
    eligible === null
      ? null
      : eligible === 0
        ? t('till.pay.voucherNone')
        : t('till.pay.voucherLimit', { max: eur(voucherMax!), eligible: eur(eligible) });
  // A household's card (solidarity prices): typed or scanned in its dialog, checked on the server.
  const [cardOpen, setCardOpen, cardOpenRef] = useLive(false);
  const [cardCode, setCardCode] = useState('');
  const [cardError, setCardError] = useState('');
  const applyCard = async () => {
    setCardError('');
    if ('error' in priced || s.orderShare) return setCardError(t('till.solidarity.noLines'));
    try {
      const card = await call(cardLookupEndpoint, { params: { code: cardCode.trim().toUpperCase() } });
      const split = solidaritySplit(
        s.cart.lines.map((l, i) => ({
          categoryId: s.catalog?.byId.get(l.productId)?.categoryId ?? null,
          items: 1,
          totalCents: priced.lines[i]!.total,
        })),
        { defaultShareBp: card.defaultShareBp, byCategory: new Map(card.shares.map((x) => [x.categoryId, x.householdShareBp])) },
      );
      if (split.fundCents > card.remainingCents)
        return setCardError(t('till.solidarity.cap', { code: card.code, left: eur(card.remainingCents), asked: eur(split.fundCents) }));
      if (split.fundCents > card.fundBalanceCents)
        return setCardError(t('till.solidarity.budget', { left: eur(card.fundBalanceCents), asked: eur(split.fundCents) }));
      till.applyHousehold({
        cardCode: cardCode.trim().toUpperCase(),
        code: card.code,
        householdCents: split.householdCents,
        fundCents: split.fundCents,
      });
      setCardOpen(false);
      setCardCode('');
      setDigits('');
    } catch (e) {
      setCardError(errorText(e));
    }
  };
  // A large cash payment waiting for a manager's PIN.
  const [cashPending, setCashPending, cashRef] = useLive<number | null>(null);
  const [pin, setPin] = useState('');
  const [pinError, setPinError] = useState('');

  // What is due now, payments just added included (the screen may not have redrawn yet).
  const dueNow = () => Math.max(0, total - till.state.payments.reduce((x, p) => x + p.amountCents, 0));
  const add = (m: string, cents: number) => {
    setError('');
    const due = dueNow();
    if (cents <= 0 || due <= 0) return;
    if (m === 'card') {
      setTip(0);
      return setCardPending(Math.min(cents, due));
    }
    const payments = till.state.payments;
    if (m === 'meal_voucher') {
      // Refused: the amount typed is cleared, so the next one is typed afresh.
      if (!voucherToday) {
        setDigits('');
        return setError(t('till.pay.voucherSunday'));
      }
      // What vouchers pay in all (never more than the total: the rest of a voucher is kept, not given back).
      const vouchers = payments.filter((p) => p.method === 'meal_voucher').reduce((x, p) => x + p.amountCents, 0);
      if (voucherMax !== null && Math.min(vouchers + cents, total) > voucherMax) {
        setDigits('');
        return setError(voucherText!);
      }
      // The voucher's face value is recorded: what it is worth beyond what is due stays with the shop (« non rendu »).
      if (cents > due) setError(t('till.pay.voucherExcess', { value: eur(cents), excess: eur(cents - due) }));
      till.addPayment({ method: m, amountCents: cents });
      return setDigits('');
    }
    if (m === 'cash') {
      // What cash will pay once the change is given: above the threshold, a manager confirms (law: 1 000 €).
      const cash = payments.filter((p) => p.method === 'cash').reduce((x, p) => x + p.amountCents, 0);
      const others = payments.filter((p) => p.method !== 'cash').reduce((x, p) => x + p.amountCents, 0);
      const cashPays = Math.min(cash + cents, Math.max(0, total - others));
      // Change of 500 € or more (no note is worth that much): a mistyped amount, cleared to be typed again.
      if (cash + cents + others - total >= MAX_CHANGE_CENTS) {
        setDigits('');
        return setError(t('till.pay.tooMuchChange', { amount: eur(cents) }));
      }
      const limit = options?.cashApprovalAboveCents ?? 100_000;
      if (limit > 0 && cashPays > limit && !isManager && !till.state.cashApproval) {
        setPin('');
        setPinError('');
        return setCashPending(cents);
      }
      till.addPayment({ method: m, amountCents: cents });
      return setDigits('');
    }
    // No change on cards or cheques: what exceeds the amount due is not given back.
    if (cents > due) setError(t('till.pay.noChange', { amount: eur(cents - due) }));
    till.addPayment({ method: m, amountCents: Math.min(cents, due) });
    setDigits('');
  };
  const confirmCash = async () => {
    if (cashPending === null) return;
    try {
      // The cash paid in all, this payment with those taken already: what the manager approves.
      const amountCents = cashPending + s.payments.filter((p) => p.method === 'cash').reduce((sum, p) => sum + p.amountCents, 0);
      const { approval, approver } = await call(authApi.approve, { body: { pin, purpose: 'cash', amountCents } });
      till.addPayment({ method: 'cash', amountCents: cashPending }, approval);
      setCashPending(null);
      setDigits('');
      setError(t('till.pay.cashApproved', { name: approver.displayName }));
    } catch (e) {
      setPin('');
      setPinError(errorText(e));
    }
  };

  // The screen opens on what is to pay, for the keyboard and a screen reader (the focus was left on the page's
  // body: found by a walk). Not a button: digits, Enter and F1–F4 still go to the screen's own keys.
  const totalRef = useRef<HTMLDivElement>(null);
  useEffect(() => focusIfLost(totalRef.current), []);

  useEffect(() => {
    if (due === 0 && s.payments.length && !busy) {
      setBusy(true);
      till.finish().catch((e) => {
        setBusy(false);
        setError(errorText(e));
      });
    }
  }, [due, s.payments.length]);

  // A ticket of 0,00 € (a gift, a 100 % discount a manager approved): nothing to pay, it is recorded as is.
  const finishFree = async () => {
    if (busy) return;
    setBusy(true);
    try {
      await till.finish();
    } catch (err) {
      setBusy(false);
      setError(errorText(err));
    }
  };
  // Shortcuts for a keyboard at the counter, when no control has the focus (Enter and Space on a focused
  // button press that button: see ui.tsx): digits type the amount, Enter adds it, F1–F4 pick the method.
  useKeys((e: KeyboardEvent) => {
    if ((e.target as HTMLElement).tagName === 'INPUT') return;
    // The card and cash dialogs answer their own keys (their buttons; Escape closes them).
    if (cardRef.current !== null || cashRef.current !== null || cardOpenRef.current) return;
    if (/^\d$/.test(e.key)) setDigits((d) => applyKey(d, e.key));
    else if (e.key === 'Backspace') setDigits((d) => d.slice(0, -1));
    else if (e.key === 'Enter' && total === 0 && !till.state.payments.length) void finishFree();
    else if (e.key === 'Enter')
      add(methodRef.current, digitsRef.current ? Number(digitsRef.current) : defaultAmount(methodRef.current, dueNow()));
    else if (e.key === 'Escape') till.cancelPayment();
    else if (e.key === 'F1') setMethod('cash');
    else if (e.key === 'F2') setMethod('card');
    else if (e.key === 'F3') setMethod('cheque');
    else if (e.key === 'F4') setMethod('meal_voucher');
    else return;
    e.preventDefault();
  });

  const label = (code: string) =>
    [...METHODS, ...FUND_METHODS].find((m) => m.code === code)
      ? t([...METHODS, ...FUND_METHODS].find((m) => m.code === code)!.key)
      : (extra.find((m) => m.code === code)?.label ?? code);
  return (
    <main class="pay">
      <section class="pay-summary">
        {s.payingFor && (
          <p class="pay-for" data-testid="pay-for">
            {s.payingFor}
          </p>
        )}
        <div class="total big" data-testid="pay-total" tabIndex={-1} ref={totalRef}>
          <span>{t('till.total')}</span>
          <strong>{eur(total)}</strong>
        </div>
        <ul class="payments">
          {s.payments.map((p, i) => (
            <li key={i}>
              {label(p.method)} <strong>{eur(p.amountCents)}</strong>
              {p.tipCents ? ` ${t('till.pay.tipAdded', { amount: eur(p.tipCents) })}` : ''}{' '}
              <button class="remove" onClick={() => till.removePayment(i)} aria-label={t('till.pay.remove')}>
                ✕
              </button>
            </li>
          ))}
        </ul>
        {s.household && (
          <p class="hint" role="status" data-testid="solidarity">
            {t('till.solidarity.applied', {
              code: s.household.code,
              household: eur(s.household.householdCents),
              fund: eur(s.household.fundCents),
            })}
          </p>
        )}
        {/* The épicerie solidaire's household card: not at the restaurant (its phones offered it, found by a walk). */}
        {!s.household && !s.orderShare && !s.orderPart && s.device?.outlet !== 'restaurant' && (
          <button
            class="secondary"
            data-testid="solidarity-card"
            onClick={() => {
              setCardError('');
              setCardOpen(true);
            }}
          >
            {t('till.solidarity.card')}
          </button>
        )}
        <div class="due" data-testid="due" aria-live="polite" aria-atomic="true">
          <span>{t('till.pay.due')}</span>
          <strong>{eur(due)}</strong>
        </div>
        {error && (
          <p class="error" role="alert">
            {error}
          </p>
        )}
        {method === 'meal_voucher' && error !== (voucherToday ? voucherText : t('till.pay.voucherSunday')) && (
          <p class="hint" role="status" data-testid="voucher-rule">
            {voucherToday ? voucherText : t('till.pay.voucherSunday')}
          </p>
        )}
        {/* A bill's part is dropped with its cart; a ticket goes back to its cart with what was taken kept. */}
        {s.orderPart || s.orderShare ? (
          <button class="danger" onClick={() => till.cancelPayment()}>
            {t('till.pay.cancel')}
          </button>
        ) : (
          <button onClick={() => till.cancelPayment()}>{t('till.pay.backToTicket')}</button>
        )}
        {/* What is being paid, to check before the card goes in. */}
        {!s.orderShare && !('error' in priced) && priced.lines.length > 0 && (
          <ul class="pay-lines" aria-label={t('till.pay.lines')} data-testid="pay-lines">
            {s.cart.lines.map((l, i) => (
              <li key={l.key}>
                <span>
                  {l.unit === 'kg' ? kg(l.quantity) : `${l.quantity} ×`} {l.name}
                </span>
                {/* The line as the cart shows it (its own discount off); the ticket's discount said apart, as on the
                    receipt: lines already cut by their share of it read as other prices (a newcomer's walk). */}
                <span>{eur(priced.lines[i]!.gross - priced.lines[i]!.lineDiscount)}</span>
              </li>
            ))}
            {priced.discount > 0 && (
              <li data-testid="pay-ticket-discount">
                <span>{t('till.discount.ticketAmount')}</span>
                <span>−{eur(priced.discount)}</span>
              </li>
            )}
          </ul>
        )}
      </section>
      <section class="pay-input">
        <div class="methods">
          {[...METHODS.map((m) => ({ code: m.code, label: t(m.key) })), ...extra].map((m) => (
            <button
              key={m.code}
              class={method === m.code ? 'method on' : 'method'}
              aria-pressed={method === m.code}
              onMouseDown={keepFocus}
              onClick={() => setMethod(m.code)}
            >
              {m.label}
            </button>
          ))}
        </div>
        <div class="big-value" data-testid="amount">
          {eur(amount)}
        </div>
        <p class="muted keypad-hint" data-testid="keypad-hint">
          {digits ? t('till.pay.typedCents', { typed: digits }) : t('till.pay.centsHint')}
        </p>
        {method === 'cash' && (
          <div class="quick">
            <button onClick={() => add('cash', due)}>{t('till.pay.exact')}</button>
            {nextNotes(due).map((n) => (
              <button key={n} onClick={() => add('cash', n)}>
                {eur(n)}
              </button>
            ))}
          </div>
        )}
        {total === 0 && !s.payments.length && (
          <button class="primary big" onClick={() => void finishFree()} data-testid="zero-sale">
            {t('till.pay.free')}
          </button>
        )}
        <Keypad onKey={(k) => setDigits((d) => applyKey(d, k))} />
        <button class="primary big" onClick={() => add(method, amount)} data-testid="add-payment">
          {t('till.pay.add', { method: label(method) })}
        </button>
      </section>
      {cardOpen && (
        <Modal labelledBy="solidarity-title" onClose={() => setCardOpen(false)}>
          <form
            class="card"
            data-testid="solidarity-dialog"
            onSubmit={(e) => {
              e.preventDefault();
              void applyCard();
            }}
          >
            <h2 id="solidarity-title">{t('till.solidarity.title')}</h2>
            <p>{t('till.solidarity.help')}</p>
            <label>
              {t('till.solidarity.code')}
              <input
                autoFocus
                autoComplete="off"
                autoCapitalize="characters"
                maxLength={10}
                value={cardCode}
                onInput={(e) => setCardCode((e.target as HTMLInputElement).value)}
              />
            </label>
            {cardError && (
              <p class="error" role="alert">
                {cardError}
              </p>
            )}
            <div class="row">
              <button type="button" onClick={() => setCardOpen(false)}>
                {t('till.cancel')}
              </button>
              <button type="submit" class="primary">
                {t('till.solidarity.apply')}
              </button>
            </div>
          </form>
        </Modal>
      )}
      {cashPending !== null && (
        <Modal labelledBy="cash-title" onClose={() => setCashPending(null)}>
          <form
            class="card"
            data-testid="cash-approval"
            onSubmit={(e) => {
              e.preventDefault();
              void confirmCash();
            }}
          >
            <h2 id="cash-title">{t('till.pay.cashTitle', { amount: eur(cashPending) })}</h2>
            <p>{t('till.pay.cashLarge', { limit: eur(options?.cashApprovalAboveCents ?? 100_000) })}</p>
            <label>
              {t('till.discount.managerPin')}
              <input
                type="password"
                inputMode="numeric"
                autoFocus
                value={pin}
                onInput={(e) => setPin((e.target as HTMLInputElement).value)}
              />
            </label>
            {pinError && (
              <p class="error" role="alert">
                {pinError}
              </p>
            )}
            <div class="row">
              <button type="button" onClick={() => setCashPending(null)}>
                {t('till.cancel')}
              </button>
              <button type="submit" class="primary">
                {t('till.pay.cashConfirm')}
              </button>
            </div>
          </form>
        </Modal>
      )}
      {cardPending !== null && (
        <Modal labelledBy="card-title" onClose={() => setCardPending(null)}>
          <div class="card">
            <h2 id="card-title">{t('till.pay.cardWait', { amount: eur(cardPending + (tips ? tip : 0)) })}</h2>
            {tips && (
              <div class="quick" role="group" aria-label={t('till.pay.tip')}>
                <span>{t('till.pay.tip')}</span>
                {[0, 100, 200, 500].map((c) => (
                  <button key={c} class={tip === c ? 'method on' : 'method'} aria-pressed={tip === c} onClick={() => setTip(c)}>
                    {c === 0 ? t('till.pay.noTip') : eur(c)}
                  </button>
                ))}
              </div>
            )}
            <div class="row">
              <button onClick={() => setCardPending(null)}>{t('till.pay.cardRefused')}</button>
              <button
                class="primary"
                autoFocus
                onClick={() => {
                  till.addPayment(cardPayment(cardPending));
                  setCardPending(null);
                  setDigits('');
                }}
              >
                {t('till.pay.cardAccepted')}
              </button>
            </div>
          </div>
        </Modal>
      )}
    </main>
  );
}
