import { useEffect, useRef, useState } from 'preact/hooks';
import type { TillMessageKey as MessageKey } from '../../../shared/i18n/till.ts';
import { parseEuros } from '../../../shared/money.ts';
import { authApi } from '../../../shared/api/auth.ts';
import { printingApi } from '../../../shared/api/printing.ts';
import { denominationsCents, type CashMovementView } from '../../../shared/api/drawer.ts';
import { ApiError, call } from '../../api.ts';
import { day as formatDay } from '../../format.ts';
import { type TillState } from '../till.ts';
import { till, lang, t, eur, errorText } from '../ui.tsx';
import { reasonsOf, ReasonFields } from '../../drawer-fields.tsx';

const KINDS = ['float', 'in', 'out'] as const;

/**
 * The drawer at the till: the float counted at the start of the day, cash put in or taken out with a reason.
 * A cash out above the shop's limit, or paying a producer, takes a manager's PIN here, as a discount does.
 */
export function DrawerScreen({ s }: { s: TillState }) {
  const kind = s.drawerKind;
  // The screen opens on its title, for the keyboard and a screen reader (the focus was left on the page's body).
  const title = useRef<HTMLHeadingElement>(null);
  useEffect(() => title.current?.focus(), []);
  const [reason, setReason] = useState(reasonsOf(kind)[0]!);
  const [amount, setAmount] = useState('');
  const [note, setNote] = useState('');
  const [producerId, setProducerId] = useState<number | null>(null);
  const [pin, setPin] = useState('');
  const [error, setError] = useState('');
  const [done, setDone] = useState('');
  const [busy, setBusy] = useState(false);
  const status = useRef<HTMLParagraphElement>(null);
  /** The float counted note by note (optional): the total follows. */
  const [counts, setCounts] = useState<Record<number, number>>({});
  const counted = denominationsCents.reduce((sum, d) => sum + d * (counts[d] ?? 0), 0);
  const byDenomination = kind === 'float' && counted > 0;
  const isManager = s.user?.role === 'manager' || s.user?.role === 'admin';
  const limit = s.device?.options.cashOutApprovalCents ?? 0;
  const cents = byDenomination ? counted : parseEuros(amount);
  // The limit holds for the till's day (server/drawer): the server may ask for a manager on a smaller out once
  // others were taken today. It says so by the `approval` field; the PIN is then asked for that amount.
  const [askedFor, setAskedFor] = useState<number | null>(null);
  const needsManager =
    kind === 'out' &&
    !isManager &&
    (reason === 'producer_payment' || (limit > 0 && cents !== null && (cents > limit || cents === askedFor)));
  const floatCounted = kind === 'float' && s.day?.floatCents != null;
  // The fields just used may be gone (a float counted hides them, and moves the nodes around): the focus goes to
  // what was done, once the screen has settled, not to the page's body.
  useEffect(() => {
    if (done) status.current?.focus();
  }, [done, floatCounted]);
  const salesDay = s.day ? formatDay(s.day.salesDay, lang, { dateStyle: 'long' }) : '';

  const choose = (k: (typeof KINDS)[number]) => {
    till.set({ drawerKind: k });
    setReason(reasonsOf(k)[0]!);
    setProducerId(null);
    setError('');
    setDone('');
  };

  async function save(e: Event) {
    e.preventDefault();
    setError('');
    setDone('');
    if (cents === null || cents <= 0) return setError(t('drawer.badAmount'));
    if ((reason === 'other' || reason === 'correction') && !note.trim()) return setError(t('drawer.noteNeeded'));
    if (needsManager && !pin) return setError(t('till.drawer.needsManager'));
    setBusy(true);
    try {
      const approval = needsManager
        ? (await call(authApi.approve, { body: { pin, purpose: 'drawer', amountCents: cents } })).approval
        : undefined;
      const m = await till.recordCash({
        kind,
        reason: reason as CashMovementView['reason'],
        amountCents: cents,
        ...(note.trim() ? { note: note.trim() } : {}),
        ...(reason === 'producer_payment' && producerId !== null ? { producerId } : {}),
        ...(approval ? { approval } : {}),
        ...(byDenomination
          ? {
              denominations: Object.fromEntries(
                Object.entries(counts)
                  .filter(([, n]) => n > 0)
                  .map(([d, n]) => [d, n]),
              ),
            }
          : {}),
      });
      // Online, the server opens the till's drawer and prints the movement's slip (server/printing); offline,
      // nothing reaches the printer now: the drawer opens with its key, the slip prints once the movement is sent.
      setDone(
        m === null
          ? t('till.drawer.queued')
          : `${t('drawer.recorded', { kind: t(`drawer.kind.${m.kind}` as MessageKey), amount: eur(m.amountCents) })}${
              s.device?.printerId ? ` ${t('till.drawer.slip')}` : ''
            }`,
      );

      setAmount('');
      setNote('');
      setPin('');
      setCounts({});
    } catch (err) {
      setPin('');
      if (err instanceof ApiError && err.fields.some((f) => f.field === 'approval') && kind === 'out') setAskedFor(cents);
      setError(errorText(err));
    } finally {
      setBusy(false);
    }
  }

  /** A manager reads the day so far on the till's printer (the X: sales, payments, the cash the drawer should hold). */
  async function printX() {
    if (busy) return;
    setError('');
    setDone('');
    if (!s.device?.printerId) return setError(t('till.drawer.noPrinter'));
    setBusy(true);
    try {
      await call(printingApi.printX, { body: { outlet: s.device.outlet, printerId: s.device.printerId } });
      setDone(t('till.drawer.xPrinted'));
    } catch (err) {
      setError(errorText(err));
    } finally {
      setBusy(false);
    }
  }

  return (
    <main class="center drawer-screen">
      <form class="card drawer" onSubmit={save} data-testid="drawer">
        <h1 tabIndex={-1} ref={title}>
          {t('till.drawer.title')}
        </h1>
        <div class="row" role="group" aria-label={t('drawer.kind')}>
          {KINDS.map((k) => (
            <button key={k} type="button" class={kind === k ? 'toggle on' : 'toggle'} aria-pressed={kind === k} onClick={() => choose(k)}>
              {t(`drawer.kind.${k}` as MessageKey)}
            </button>
          ))}
        </div>
        {floatCounted ? (
          <p role="status" data-testid="float-counted">
            {t('till.drawer.floatIs', { day: salesDay, amount: eur(s.day!.floatCents!) })}
          </p>
        ) : (
          <>
            <ReasonFields
              t={t}
              kind={kind}
              reason={reason}
              onReason={setReason}
              producerId={producerId}
              onProducer={setProducerId}
              producers={s.catalog?.data.producers ?? []}
            />
            <label>
              {t('drawer.amount')}
              <input
                inputMode="decimal"
                autoFocus
                readOnly={byDenomination}
                value={byDenomination ? eur(counted) : amount}
                onInput={(e) => setAmount((e.target as HTMLInputElement).value)}
              />
            </label>
            {kind === 'float' && (
              <details class="by-denomination">
                <summary>{t('till.drawer.byDenomination')}</summary>
                <div class="denominations">
                  {denominationsCents.map((d) => (
                    <label key={d}>
                      <span>{eur(d)}</span>
                      <input
                        type="number"
                        inputMode="numeric"
                        min={0}
                        value={counts[d] ?? ''}
                        aria-label={t('bo.day.countOf', { value: eur(d) })}
                        onInput={(e) =>
                          setCounts({ ...counts, [d]: Math.max(0, Math.floor(Number((e.target as HTMLInputElement).value) || 0)) })
                        }
                      />
                    </label>
                  ))}
                </div>
              </details>
            )}
            <label>
              {t('drawer.note')}
              <input maxLength={200} value={note} onInput={(e) => setNote((e.target as HTMLInputElement).value)} />
            </label>
            {needsManager && (
              <label>
                {t('till.drawer.managerPin')}
                <input
                  type="password"
                  inputMode="numeric"
                  autoComplete="off"
                  value={pin}
                  onInput={(e) => setPin((e.target as HTMLInputElement).value)}
                />
              </label>
            )}
          </>
        )}
        {error && (
          <p class="error" role="alert">
            {error}
          </p>
        )}
        <p role="status" data-testid="drawer-done" tabIndex={-1} ref={status}>
          {done}
        </p>
        <div class="row">
          <button type="button" class="big" onClick={() => till.set({ screen: 'sell' })}>
            {t('till.drawer.close')}
          </button>
          {isManager && (
            <button type="button" class="big" data-testid="print-x" disabled={busy} onClick={() => void printX()}>
              {t('till.drawer.printX')}
            </button>
          )}
          {!floatCounted && (
            <button type="submit" class="big primary" disabled={busy}>
              {t('till.drawer.save')}
            </button>
          )}
        </div>
      </form>
    </main>
  );
}
