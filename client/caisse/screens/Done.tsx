import { useEffect, useRef, useState } from 'preact/hooks';
import { type TillState } from '../till.ts';
import { day as formatDay } from '../../format.ts';
import { till, t, eur, lang, useKeys } from '../ui.tsx';

export function DoneScreen({ s }: { s: TillState }) {
  const f = s.finished!;
  // Recorded means the server answered (with the digital receipt's token), not that the queue looks empty.
  const queued = !f.receiptToken;
  // Booked on another day than today's (its Z taken early): the server's word, or where the till knows sales go.
  const booked = f.businessDay ?? s.day?.salesDay;
  const otherDay = booked && s.day && booked !== s.day.today ? booked : null;
  const [qr, setQr] = useState(false);
  // The keyboard on « Pas de ticket », the answer Enter gives (it looked chosen, and the focus was on the
  // page's body: a newcomer's walk); 1 and 2 still print or show the QR code.
  const none = useRef<HTMLButtonElement>(null);
  useEffect(() => none.current?.focus(), [!!f.refused]);
  useKeys((e: KeyboardEvent) => {
    if (f.refused && e.key !== 'Enter' && e.key !== 'Escape') return;
    if (e.key === '1') void till.receipt('print');
    else if (e.key === '2' && f.receiptToken && s.publicUrl !== null) setQr(true);
    else if (e.key === '3' || e.key === 'Enter' || e.key === 'Escape') void till.receipt('none');
    else return;
    // The key is the answer, not the first character of the next customer's search.
    e.preventDefault();
  });
  // Refused by the server (an object sold meanwhile at another till, say): nothing was sold. Said before
  // anything else, never as « kept on the tablet » (found by a walk: the cashier kept the money for nothing).
  if (f.refused)
    return (
      <main class="center">
        <div class="card done">
          <p class="error" role="alert" data-testid="ticket-refused">
            {t('till.done.refused', { n: f.number })} {f.refused}
          </p>
          <p class="banner" data-testid="refused-money">
            {t('till.done.refusedMoney', { amount: eur(f.customerPaidCents ?? f.totalCents) })}
          </p>
          <div class="row">
            <button ref={none} class="big primary" onClick={() => till.receipt('none')}>
              {t('till.done.refusedOk')}
            </button>
          </div>
        </div>
      </main>
    );
  return (
    <main class="center">
      <div class="card done">
        {f.changeCents > 0 ? (
          <div class="change" data-testid="change" role="status">
            <span>{t('till.done.change')}</span>
            <strong>{eur(f.changeCents)}</strong>
            {/* What the customer handed over, read aloud with the change. */}
            <small data-testid="received">{t('till.done.received', { amount: eur(f.receivedCents) })}</small>
          </div>
        ) : (
          <div class="change" role="status">
            <strong>{t('till.done.noChange')}</strong>
            {/* What a meal voucher was worth beyond the bill stays with the shop: said here too, the payment
                screen's word went with it (found by a walk). */}
            {!!f.voucherKeptCents && (
              <small data-testid="voucher-kept">{t('till.done.voucherKept', { amount: eur(f.voucherKeptCents) })}</small>
            )}
          </div>
        )}
        <p data-testid="ticket-state">{queued ? t('till.done.queued', { n: f.number }) : t('till.done.stored', { n: f.number })}</p>
        {/* Offline, no pulse reaches the printer: the drawer opens with its key (and the pulse, late, is dropped). */}
        {queued && !s.outbox.online && f.cash && !f.training && (
          <p class="banner" role="status" data-testid="drawer-key">
            {t('till.done.drawerKey')}
          </p>
        )}
        {!!f.kitchenDishes && (
          // Where the dishes are: the kitchen has them once the server has the ticket (server/restaurant/counter.ts).
          <p class={f.training || queued ? 'banner' : 'muted'} data-testid="kitchen-state" role="status">
            {f.training
              ? t('till.done.kitchenTraining')
              : queued
                ? t('till.done.kitchenQueued', { count: f.kitchenDishes })
                : t('till.done.kitchenSent', { count: f.kitchenDishes, n: f.number })}
          </p>
        )}
        {otherDay && (
          <p class="banner" data-testid="ticket-day">
            {t('till.done.otherDay', { day: formatDay(otherDay, lang, { dateStyle: 'long' }) })}
          </p>
        )}
        {f.proposedNumber !== undefined && (
          <p class="muted" data-testid="renumbered">
            {t('till.done.renumbered', { n: f.number, proposed: f.proposedNumber })}
          </p>
        )}
        <h2>{t('till.receipt.question')}</h2>
        {qr && f.receiptToken && <img class="qr" src={`/r/${f.receiptToken}/qr.svg`} alt={t('till.receipt.qr')} />}
        <div class="row">
          <button class="big" onClick={() => till.receipt('print')}>
            {t('till.receipt.print')}
          </button>
          {/* Without a public address the code leads to the shop's own network, which a customer's phone can
              seldom open: not offered (found by a walk; the back office says how to give one). */}
          {s.publicUrl !== null && (
            <button class="big" disabled={!f.receiptToken} onClick={() => setQr(true)}>
              {t('till.receipt.qr')}
            </button>
          )}
          <button ref={none} class="big primary" onClick={() => till.receipt('none')}>
            {t(qr ? 'till.receipt.done' : 'till.receipt.none')}
          </button>
        </div>
      </div>
    </main>
  );
}
