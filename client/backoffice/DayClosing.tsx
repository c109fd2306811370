import type { OutletCodeValue } from '../../shared/api/common.ts';
import { useEffect, useRef, useState } from 'preact/hooks';
import type { Lang, MessageKey } from '../../shared/i18n/index.ts';
import { ApiError, call, link } from '../api.ts';
import { printingApi } from '../../shared/api/printing.ts';
import { closingApi, type ClosingView, type XReportView } from '../../shared/api/closing.ts';
import { day as formatDay, euros, rate, shiftDays, today } from '../format.ts';
import type { T } from '../i18n.ts';
import { OutletPicker } from './Choice.tsx';
import { BarChart } from '../portal/BarChart.tsx';
import { DrawerMovements } from './Drawer.tsx';

type XReport = XReportView;
type Closing = ClosingView;

/** Notes and coins of the euro, in cents: the drawer is counted by denomination. */
const DENOMINATIONS = [50000, 20000, 10000, 5000, 2000, 1000, 500, 200, 100, 50, 20, 10, 5, 2, 1];

const methodKey = (m: string): MessageKey | null =>
  ['cash', 'card', 'cheque', 'meal_voucher', 'solidarity'].includes(m) ? (`bo.method.${m}` as MessageKey) : null;

/** The day: X report at any time, then the Z with the drawer counted by denomination. */
export function DayClosing({ t, lang }: { t: T; lang: Lang }) {
  const [outlet, setOutlet] = useState<OutletCodeValue>('shop');
  const [day, setDay] = useState(today());
  const [x, setX] = useState<XReport | null>(null);
  const [counts, setCounts] = useState<Record<number, number>>({});
  const [note, setNote] = useState('');
  /** Why the Z was refused, shown beside its button. */
  const [closeError, setCloseError] = useState('');
  /** The restaurant's tables still open: the manager may close the day with them listed on the Z. */
  const [openTables, setOpenTables] = useState<'none' | 'asked' | 'confirmed'>('none');
  /** Closing today, before its end: asked first, with where later sales will go. */
  const [early, setEarly] = useState<'none' | 'asked' | 'confirmed'>('none');
  const earlyConfirm = useRef<HTMLButtonElement>(null);
  /** The dialog opens on « Non, attendre »: a Z cannot be undone, Enter pressed twice must not take it. */
  const earlyCancel = useRef<HTMLButtonElement>(null);
  /** The Z's button: where the focus goes back when the early close is not confirmed (not to the page). */
  const closeButton = useRef<HTMLButtonElement>(null);
  const wasAsked = useRef(false);
  useEffect(() => {
    if (early === 'asked') {
      wasAsked.current = true;
      earlyCancel.current?.focus();
    } else if (early === 'none' && wasAsked.current) {
      wasAsked.current = false;
      closeButton.current?.focus();
    }
  }, [early]);
  const [error, setError] = useState('');
  const [closed, setClosed] = useState<Closing | null>(null);
  const [history, setHistory] = useState<Closing[]>([]);
  const [tick, setTick] = useState(0);

  useEffect(() => {
    setError('');
    setCloseError('');
    setEarly('none');
    call(closingApi.x, { query: { outlet, day } })
      .then(setX)
      .catch((e) => setError(e instanceof ApiError ? e.message : String(e)));
    call(closingApi.list, { query: { outlet, kind: 'day', limit: 10 } })
      .then(setHistory)
      .catch(() => undefined);
  }, [outlet, day, tick]);

  const counted = DENOMINATIONS.reduce((s, d) => s + d * (counts[d] ?? 0), 0);
  // Float + cash taken − change + cash in − cash out: the server's figure, the one the Z will carry.
  const expected = x?.drawer.expectedCents ?? 0;
  const difference = counted - expected;
  const methodName = (m: string) => {
    const k = methodKey(m);
    return k ? t(k) : m.replace(/^other:/, '');
  };

  const [printed, setPrinted] = useState('');
  /** The X of the day so far, or a Z already closed (by its id), on the outlet's receipt printer. */
  async function print(closingId: number | null) {
    setError('');
    setPrinted('');
    try {
      if (closingId === null) await call(printingApi.printX, { body: { outlet, day } });
      else await call(printingApi.printClosing, { params: { id: closingId }, body: {} });
      setPrinted(t('bo.day.printed'));
    } catch (err) {
      setError(err instanceof ApiError ? err.message : String(err));
    }
  }

  async function close(e: Event, confirmEarly = false) {
    e.preventDefault();
    setCloseError('');
    // Nothing counted yet while the drawer should hold cash: counting comes first (not « explain the gap »).
    if (!Object.keys(counts).length && expected !== 0) return setCloseError(t('bo.day.countFirst'));
    if (difference !== 0 && !note.trim()) return setCloseError(t('bo.day.explain'));
    // No opening hours are known: while the day lasts, a ticket may still come, so its Z is confirmed first.
    const confirmed = confirmEarly || early === 'confirmed';
    if (day === today() && !confirmed) return setEarly('asked');
    if (confirmed) setEarly('confirmed');
    try {
      const z = await call(closingApi.closeDay, {
        body: {
          outlet,
          day,
          cashCountedCents: counted,
          ...(note.trim() ? { note: note.trim() } : {}),
          // The early Z's question names the tables still open: its « Oui » answers both (a third click was asked).
          withOpenTables: openTables === 'confirmed' || (confirmEarly && (x?.openTables.length ?? 0) > 0),
          confirmEarly: confirmed,
        },
      });
      setOpenTables('none');
      setEarly('none');
      // « Envoyé à l’imprimante » was the X's: under « Imprimer le Z » it read as the Z printed (found by a walk).
      setPrinted('');
      setClosed(z);
      setCounts({});
      setNote('');
      setTick((n) => n + 1);
    } catch (err) {
      if (err instanceof ApiError && err.fields.some((f) => f.field === 'withOpenTables')) setOpenTables('asked');
      if (err instanceof ApiError && err.fields.some((f) => f.field === 'confirmEarly')) return setEarly('asked');
      setCloseError(err instanceof ApiError ? err.message : String(err));
    }
  }

  const f = x?.figures;
  return (
    <section class="panel bo-day">
      <div class="toolbar">
        <OutletPicker t={t} outlet={outlet} onChange={setOutlet} />
        <label>
          {t('bo.day.day')}
          <input
            type="date"
            value={day}
            // After a Z taken early, today's later sales are on tomorrow's business day: it can be read already.
            max={shiftDays(today(), 1)}
            onChange={(e) => {
              setDay((e.target as HTMLInputElement).value);
              setClosed(null);
            }}
          />
        </label>
      </div>
      {error && (
        <p class="error" role="alert">
          {error}
        </p>
      )}
      {closed && (
        <p class="ok" role="status" data-testid="z-done">
          {t('bo.day.closedZ', { n: closed.seq, total: euros(closed.totalCents, lang) })}
        </p>
      )}
      {f && (
        <>
          <h3>{x!.closed ? t('bo.day.zTitle') : t('bo.day.xTitle')}</h3>
          {x!.closed && day === today() && (
            <p class="next-day" data-testid="next-day">
              {t('bo.day.salesGoTo', { next: formatDay(shiftDays(day, 1), lang, { dateStyle: 'full' }) })}{' '}
              <button
                type="button"
                class="secondary"
                onClick={() => {
                  setDay(shiftDays(day, 1));
                  setClosed(null);
                }}
              >
                {t('bo.day.seeNext')}
              </button>
            </p>
          )}
          {x!.openTables.length > 0 && (
            <p class="warning" role="status" data-testid="open-tables">
              {t(x!.closed ? 'bo.day.openTablesAtZ' : 'bo.day.openTables', {
                tables: x!.openTables.map((o) => `${o.table ?? t('bo.day.takeaway')} (${euros(o.leftCents, lang)})`).join(', '),
              })}
            </p>
          )}
          {!x!.closed && x!.missingTickets.length > 0 && (
            <div class="warning" role="status" data-testid="missing-tickets">
              <p>{t('bo.day.missingTickets')}</p>
              <ul>
                {x!.missingTickets.map((m) => (
                  <li key={m.tillId}>{t('bo.day.missingOf', { till: m.till, numbers: m.numbers.map((n) => `n° ${n}`).join(', ') })}</li>
                ))}
              </ul>
            </div>
          )}
          {x!.refusedTickets.length > 0 && (
            <div class="warning" role="status" data-testid="refused-tickets">
              <p>{t('bo.day.refusedTickets')}</p>
              <ul>
                {x!.refusedTickets.map((r, i) => (
                  <li key={i}>
                    {t(r.kind === 'refund' ? 'bo.day.refusedRefund' : r.kind === 'cash' ? 'bo.day.refusedCash' : 'bo.day.refusedSale', {
                      till: r.till,
                      n: r.number ?? '?',
                      amount: r.totalCents === null ? '' : euros(r.totalCents, lang),
                    })}{' '}
                    — {r.message}
                  </li>
                ))}
              </ul>
            </div>
          )}
          <div class="kpis">
            <div class="kpi">
              <span>{t('bo.day.total')}</span>
              <strong data-testid="x-total">{euros(f.totalCents, lang)}</strong>
            </div>
            <div class="kpi">
              <span>{t('bo.day.tickets')}</span>
              <strong>{f.tickets}</strong>
              <small>{t('bo.day.refunds', { n: f.refunds })}</small>
            </div>
            <div class="kpi">
              <span>{t('bo.day.basket')}</span>
              {/* Of the sales: a refund is not a basket (one refund made the average negative). */}
              <strong data-testid="x-basket">{euros(f.tickets ? Math.round(f.salesCents / f.tickets) : 0, lang)}</strong>
            </div>
          </div>
          {x!.byHour.length > 0 && (
            <div class="two-cols">
              <BarChart
                label={t('bo.day.byHour')}
                format={(v) => euros(v, lang)}
                bars={hoursOfDay(x!.byHour).map((h) => ({ key: String(h.hour), label: `${h.hour} h`, value: h.totalCents }))}
              />
              <table class="figures">
                <thead>
                  <tr>
                    <th>{t('bo.day.byProducer')}</th>
                    <th class="num">{t('bo.day.amount')}</th>
                  </tr>
                </thead>
                <tbody>
                  {(() => {
                    const sorted = [...f.byProducer].sort((a, b) => b.totalCents - a.totalCents);
                    // The first eight, and the others in one row: the column adds up to the day (it left three
                    // producers out without a word, found by a walk).
                    const top = sorted.length > 9 ? sorted.slice(0, 8) : sorted;
                    const rest = sorted.slice(top.length);
                    const max = Math.max(1, ...top.map((p) => p.totalCents));
                    // Each row carries its bar: the producers' share of the day at a glance.
                    const rows = top.map((p) => (
                      <tr key={p.producerId ?? 0}>
                        <td class="bar-cell">
                          <span>{p.producerId === null ? t('bo.cat.house') : p.name}</span>
                          <span class="hbar" aria-hidden="true" style={{ width: `${Math.max(0, (100 * p.totalCents) / max)}%` }} />
                        </td>
                        <td class="num">{euros(p.totalCents, lang)}</td>
                      </tr>
                    ));
                    if (rest.length)
                      rows.push(
                        <tr key="others" data-testid="producers-others">
                          <td>{t('bo.day.otherProducers', { n: rest.length })}</td>
                          <td class="num">
                            {euros(
                              rest.reduce((sum, p) => sum + p.totalCents, 0),
                              lang,
                            )}
                          </td>
                        </tr>,
                      );
                    return rows;
                  })()}
                </tbody>
              </table>
            </div>
          )}
          <div class="two-cols">
            <table class="figures">
              <thead>
                <tr>
                  <th>{t('bo.day.payment')}</th>
                  <th class="num">{t('bo.day.amount')}</th>
                </tr>
              </thead>
              <tbody>
                {f.byPayment.map((p) => (
                  <tr key={p.method}>
                    <td>{methodName(p.method)}</td>
                    <td class="num">{euros(p.amountCents, lang)}</td>
                  </tr>
                ))}
                {f.tipsCents ? (
                  <tr>
                    <td>{t('bo.day.tips')}</td>
                    <td class="num">{euros(f.tipsCents, lang)}</td>
                  </tr>
                ) : null}
                {f.voucherExcessCents ? (
                  <tr>
                    <td>{t('bo.day.voucherExcess')}</td>
                    <td class="num">{euros(f.voucherExcessCents, lang)}</td>
                  </tr>
                ) : null}
                <tr>
                  <td>{t('bo.day.change')}</td>
                  <td class="num">{euros(f.changeCents ? -f.changeCents : 0, lang)}</td>
                </tr>
              </tbody>
            </table>
            <table class="figures">
              <thead>
                <tr>
                  <th>{t('bo.day.vat')}</th>
                  <th class="num">{t('bo.day.net')}</th>
                  <th class="num">{t('bo.day.vatAmount')}</th>
                  <th class="num">{t('bo.day.gross')}</th>
                </tr>
              </thead>
              <tbody>
                {f.byVat.map((v) => (
                  <tr key={v.vatRateBp}>
                    <td>{rate(v.vatRateBp, lang)}</td>
                    <td class="num">{euros(v.netCents, lang)}</td>
                    <td class="num">{euros(v.vatCents, lang)}</td>
                    <td class="num">{euros(v.grossCents, lang)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          <div class="actions">
            {!x!.closed && (
              <button class="secondary" type="button" onClick={() => print(null)}>
                {t('bo.day.printX')}
              </button>
            )}
            {x!.closed && history.find((c) => c.period === day) && (
              <button class="secondary" type="button" onClick={() => print(history.find((c) => c.period === day)!.id)}>
                {t('bo.day.printZ')}
              </button>
            )}
          </div>
          {printed && (
            <p class="ok" role="status">
              {printed}
            </p>
          )}
          {!x!.closed && (
            <form class="count" onSubmit={close}>
              <h3>{t('bo.day.count')}</h3>
              <div class="denominations">
                {DENOMINATIONS.map((d) => (
                  <label key={d}>
                    <span>{euros(d, lang)}</span>
                    <input
                      type="number"
                      inputMode="numeric"
                      min={0}
                      value={counts[d] ?? ''}
                      aria-label={t('bo.day.countOf', { value: euros(d, lang) })}
                      onInput={(e) =>
                        setCounts({ ...counts, [d]: Math.max(0, Math.floor(Number((e.target as HTMLInputElement).value) || 0)) })
                      }
                    />
                  </label>
                ))}
              </div>
              <dl class="cash">
                <dt>{t('bo.day.float')}</dt>
                <dd data-testid="cash-float">{euros(x!.drawer.floatCents, lang)}</dd>
                <dt>{t('bo.day.cashSales')}</dt>
                <dd data-testid="cash-sales">{euros(x!.drawer.cashSalesCents, lang)}</dd>
                <dt>{t('bo.day.change')}</dt>
                <dd>{euros(-x!.drawer.changeCents, lang)}</dd>
                <dt>{t('bo.day.cashIn')}</dt>
                <dd data-testid="cash-in">{euros(x!.drawer.cashInCents, lang)}</dd>
                <dt>{t('bo.day.cashOut')}</dt>
                <dd data-testid="cash-out">{euros(-x!.drawer.cashOutCents, lang)}</dd>
                <dt>{t('bo.day.expected')}</dt>
                <dd data-testid="cash-expected">{euros(expected, lang)}</dd>
                <dt>{t('bo.day.counted')}</dt>
                <dd data-testid="cash-counted">{euros(counted, lang)}</dd>
                <dt>{t('bo.day.difference')}</dt>
                <dd data-testid="cash-difference" class={difference === 0 ? 'even' : difference < 0 ? 'short' : 'over'}>
                  {euros(difference, lang)}
                </dd>
              </dl>
              {difference !== 0 && (
                <label>
                  {t('bo.day.note')}
                  <textarea value={note} maxLength={500} onInput={(e) => setNote((e.target as HTMLTextAreaElement).value)} />
                </label>
              )}
              {openTables !== 'none' && (
                <label class="check">
                  <input
                    type="checkbox"
                    checked={openTables === 'confirmed'}
                    onChange={(e) => setOpenTables((e.target as HTMLInputElement).checked ? 'confirmed' : 'asked')}
                  />
                  {t('bo.day.withOpenTables')}
                </label>
              )}
              {closeError && (
                <p class="error" role="alert">
                  {closeError}
                </p>
              )}
              {early === 'asked' ? (
                <div
                  class="confirm"
                  role="alertdialog"
                  aria-labelledby="early-text"
                  // What is still open is part of what the dialog says, read with it.
                  aria-describedby={x!.openTables.length > 0 ? 'early-open-tables' : undefined}
                  data-testid="early-z"
                  onKeyDown={(e) => {
                    if (e.key === 'Escape') {
                      e.preventDefault();
                      setEarly('none');
                    }
                    // Tab stays between its two answers (a modal question: nothing else is to be done meanwhile).
                    if (e.key === 'Tab') {
                      e.preventDefault();
                      (document.activeElement === earlyConfirm.current ? earlyCancel : earlyConfirm).current?.focus();
                    }
                  }}
                >
                  <p id="early-text">
                    {t('bo.day.early', {
                      day: formatDay(day, lang, { dateStyle: 'full' }),
                      next: formatDay(shiftDays(day, 1), lang, { dateStyle: 'full' }),
                    })}
                  </p>
                  {/* The last word before an early Z repeats what is still open (found by a restaurant walk). */}
                  {x!.openTables.length > 0 && (
                    <p id="early-open-tables" data-testid="early-open-tables">
                      {t('bo.day.earlyOpenTables', {
                        tables: x!.openTables.map((o) => `${o.table ?? t('bo.day.takeaway')} (${euros(o.leftCents, lang)})`).join(', '),
                      })}
                    </p>
                  )}
                  <div class="row">
                    <button type="button" ref={earlyConfirm} onClick={(e) => void close(e, true)}>
                      {t('bo.day.earlyConfirm')}
                    </button>
                    <button type="button" class="secondary" ref={earlyCancel} onClick={() => setEarly('none')}>
                      {t('bo.day.earlyCancel')}
                    </button>
                  </div>
                </div>
              ) : (
                <button type="submit" ref={closeButton}>
                  {t('bo.day.close')}
                </button>
              )}
            </form>
          )}
          <DrawerMovements t={t} lang={lang} outlet={outlet} day={day} closed={x!.closed} onChange={() => setTick((n) => n + 1)} />
        </>
      )}
      <h3>{t('bo.day.history')}</h3>
      <table class="figures">
        <thead>
          <tr>
            <th>Z</th>
            <th>{t('bo.day.day')}</th>
            <th class="num">{t('bo.day.total')}</th>
            <th class="num">{t('bo.day.difference')}</th>
            <th>{t('bo.day.note')}</th>
            <th />
          </tr>
        </thead>
        <tbody>
          {history.map((c) => (
            <tr key={c.id}>
              <td>{c.seq}</td>
              <td>{formatDay(c.period, lang)}</td>
              <td class="num">{euros(c.totalCents, lang)}</td>
              <td class="num">{c.figures.cashDifferenceCents === null ? '' : euros(c.figures.cashDifferenceCents, lang)}</td>
              <td>{c.figures.note ?? ''}</td>
              <td>
                <a
                  class="button secondary"
                  href={link(closingApi.pdf, { params: { id: c.id } })}
                  target="_blank"
                  rel="noopener"
                  aria-label={t('bo.day.pdfOf', { n: c.seq })}
                >
                  PDF
                </a>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}

/** The shop's day from 8 h to 19 h at least (wider when it sold earlier or later), quiet hours shown empty. */
function hoursOfDay(byHour: { hour: number; totalCents: number }[]) {
  const hours = byHour.map((h) => h.hour);
  const from = Math.min(8, ...hours);
  const to = Math.max(19, ...hours);
  return Array.from({ length: to - from + 1 }, (_, i) => ({
    hour: from + i,
    totalCents: byHour.find((h) => h.hour === from + i)?.totalCents ?? 0,
  }));
}
