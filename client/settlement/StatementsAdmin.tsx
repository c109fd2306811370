import { useEffect, useRef, useState } from 'preact/hooks';
import type { MessageKey } from '../../shared/i18n/index.ts';
import type { StatementRunEvent } from '../../shared/realtime.ts';
import { paymentMethods, settlementApi, type NextRunView, type StatementSummary } from '../../shared/api/settlement.ts';
import { ApiError, call, errorText, link } from '../api.ts';
import { invoicesApi, payoutsApi, type PayoutView } from '../../shared/api/payouts.ts';
import { day, euros, monthEnd, previousMonth, today } from '../format.ts';
import { nextBankDay } from '../../shared/banking.ts';
import { useSocket } from '../realtime.ts';
import type { T } from '../i18n.ts';
import { FormOutcome } from '../form-outcome.tsx';
import { catalogApi, type ProducerView as Producer } from '../../shared/api/catalog.ts';

/** The month's statements for the managers: one action issues them all, with a progress bar; then payments. */
export function StatementsAdmin({ t, lang }: { t: T; lang: 'fr' | 'en' }) {
  const [month, setMonth] = useState(previousMonth(today()));
  // Opens on the oldest finished month still owed a statement; all issued, on the last finished month, where
  // they are paid (the month under way had none to show, while last month's waited to be paid).
  const [next, setNext] = useState<NextRunView | null>(null);
  // A month the manager chose before the server answered stays chosen.
  const chosen = useRef(false);
  useEffect(() => {
    call(settlementApi.nextRun)
      .then((n) => {
        setNext(n);
        if (!chosen.current) setMonth(n.month < today().slice(0, 7) ? n.month : previousMonth(today()));
      })
      .catch(() => {});
  }, []);
  const unfinished = month >= today().slice(0, 7);
  const from = `${month}-01`;
  const to = monthEnd(month);
  const [list, setList] = useState<StatementSummary[]>([]);
  const [run, setRun] = useState<StatementRunEvent | null>(null);
  const [error, setError] = useState('');
  const [producers, setProducers] = useState<Producer[]>([]);
  const [invite, setInvite] = useState<{ name: string; url: string; shopNetworkOnly: boolean } | null>(null);
  const { socket } = useSocket();
  // SEPA transfers: the unpaid statements ticked, the day the bank executes them, the files made.
  const [picked, setPicked] = useState<Set<number>>(new Set());
  // The first day the bank executes transfers (a Sunday's was offered).
  const [execution, setExecution] = useState(nextBankDay(today()));
  const [payouts, setPayouts] = useState<PayoutView[]>([]);
  // The transfers' own message, shown in their section (the page's is a screen or more above).
  const [payoutError, setPayoutError] = useState('');
  const loadPayouts = () =>
    call(payoutsApi.list)
      .then(setPayouts)
      .catch(() => {});
  useEffect(() => void loadPayouts(), []);
  const pickedList = list.filter((s) => picked.has(s.id));
  // A statement in a SEPA file not yet confirmed or cancelled: neither ticked again nor paid by hand (both
  // were offered, then refused with a 409; found by a walk).
  const inFile = new Map(
    payouts.filter((p) => p.status === 'pending').flatMap((p) => p.items.map((i) => [i.statementId, p.msgId] as const)),
  );
  const pickedTotal = pickedList.reduce((sum, s) => sum + s.netCents, 0);
  async function preparePayout() {
    setError('');
    setPayoutError('');
    try {
      await call(payoutsApi.create, { body: { statementIds: pickedList.map((s) => s.id), executionDate: execution } });
      setPicked(new Set());
      await loadPayouts();
    } catch (err) {
      setPayoutError(errorText(err));
    }
  }
  async function settlePayout(p: PayoutView, how: 'confirm' | 'cancel') {
    setError('');
    setPayoutError('');
    try {
      await call(how === 'confirm' ? payoutsApi.confirm : payoutsApi.cancel, { params: { id: p.id } });
      await Promise.all([loadPayouts(), reload()]);
    } catch (err) {
      setPayoutError(errorText(err));
    }
  }

  const reload = () =>
    call(settlementApi.list, { query: { from, to } })
      .then(setList)
      .catch(() => {});
  useEffect(() => {
    void reload();
  }, [month]);
  useEffect(() => {
    call(catalogApi.listProducers, { query: { limit: 500 } })
      .then(setProducers)
      .catch(() => {});
  }, []);
  useEffect(() => {
    if (!socket) return;
    const onProgress = (e: StatementRunEvent) => {
      setRun(e);
      if (e.state !== 'running') void reload();
    };
    socket.on('statements:progress', onProgress);
    return () => void socket.off('statements:progress', onProgress);
  }, [socket, month]);
  // The socket carries progress; polling covers a socket that is not connected.
  useEffect(() => {
    if (!run || run.state !== 'running') return;
    const timer = setInterval(() => {
      call(settlementApi.run, { params: { id: run.id } })
        .then((r) => {
          setRun(r);
          if (r.state !== 'running') void reload();
        })
        .catch(() => {});
    }, 700);
    return () => clearInterval(timer);
  }, [run?.id, run?.state]);

  async function issueAll() {
    setError('');
    try {
      setRun(await call(settlementApi.startRun, { body: { from, to } }));
    } catch (e) {
      setError(e instanceof ApiError ? e.message : String(e));
    }
  }
  async function markPaid(e: Event, s: StatementSummary) {
    e.preventDefault();
    const form = new FormData(e.target as HTMLFormElement);
    setError('');
    try {
      await call(settlementApi.markPaid, {
        params: { id: s.id },
        body: { paidOn: String(form.get('paidOn')), method: form.get('method') as (typeof paymentMethods)[number] },
      });
      void reload();
    } catch (err) {
      setError(err instanceof ApiError ? err.message : String(err));
    }
  }
  async function inviteProducer(p: Producer) {
    setError('');
    try {
      const res = await call(settlementApi.invite, { params: { id: p.id }, body: {} });
      setInvite({ name: p.name, url: res.url, shopNetworkOnly: res.shopNetworkOnly });
    } catch (err) {
      setError(err instanceof ApiError ? err.message : String(err));
    }
  }

  const percent = run && run.total ? Math.round((run.done / run.total) * 100) : run?.state === 'finished' ? 100 : 0;
  return (
    <div class="admin">
      <h2>{t('mgr.statements')}</h2>
      <div class="toolbar">
        <label>
          {t('mgr.month')}
          <input
            type="month"
            value={month}
            max={today().slice(0, 7)}
            onInput={(e) => {
              chosen.current = true;
              setMonth((e.target as HTMLInputElement).value || month);
            }}
          />
        </label>
        <button onClick={issueAll} disabled={run?.state === 'running' || unfinished}>
          {t('mgr.issueAll')}
        </button>
        <a class="button secondary" href={link(settlementApi.listCsv, { query: { from, to } })}>
          {t('mgr.csv')}
        </a>
      </div>
      {/* What is left to issue, on the month it is for; « all issued » whatever month is shown. */}
      {next && (month === next.month || !next.finished) && (
        <p class="notice" data-testid="next-run">
          {next.finished
            ? t('mgr.nextRun', { n: next.pending })
            : t('mgr.allSettled', { to: day(`${previousMonth(next.from)}-01`, lang, { month: 'long', year: 'numeric' }) })}
        </p>
      )}
      {unfinished && !(next && !next.finished && month === next.month) && <p class="notice">{t('mgr.monthRunning')}</p>}
      <FormOutcome error={error} />
      {run && (
        <div class="progress-block" aria-live="polite">
          <progress max={100} value={percent} aria-label={t('mgr.issueAll')} />
          <span>
            {run.state === 'running'
              ? t('mgr.progress', { done: run.done, total: run.total })
              : t('mgr.finished', { issued: run.issued, skipped: run.skipped.length })}
          </span>
          {run.skipped.length > 0 && (
            <ul class="skipped">
              {run.skipped.map((s) => (
                <li key={s.producerId}>
                  {s.producerName} : {s.reason}
                </li>
              ))}
            </ul>
          )}
        </div>
      )}
      {list.length === 0 && unfinished && <Drafts t={t} lang={lang} producers={producers} from={from} to={to} key={month} />}
      {list.length === 0 ? (
        <p class="muted">{t('mgr.none')}</p>
      ) : (
        <table class="list">
          <thead>
            <tr>
              <th>
                <span class="vh">{t('mgr.payout.pick')}</span>
              </th>
              <th>N°</th>
              <th>{t('mgr.producers')}</th>
              <th class="r">{t('portal.sales.amount')}</th>
              <th class="r">{t('portal.statements.net')}</th>
              <th></th>
              <th></th>
            </tr>
          </thead>
          <tbody>
            {list.map((s) => (
              <tr key={s.id}>
                <td>
                  {!s.paidOn && s.netCents > 0 && !inFile.has(s.id) && (
                    <input
                      type="checkbox"
                      checked={picked.has(s.id)}
                      aria-label={t('mgr.payout.pickOf', { code: s.code, name: s.producerName })}
                      onChange={(e) => {
                        const next = new Set(picked);
                        if ((e.target as HTMLInputElement).checked) next.add(s.id);
                        else next.delete(s.id);
                        setPicked(next);
                      }}
                    />
                  )}
                </td>
                <td>{s.code}</td>
                <td>
                  {s.producerName}
                  <small class="muted block">
                    {day(s.from, lang)} – {day(s.to, lang)}
                  </small>
                </td>
                <td class="r" data-label={t('portal.sales.amount')}>
                  {euros(s.grossCents, lang)}
                </td>
                <td class="r" data-label={t('portal.statements.net')}>
                  <strong>{euros(s.netCents, lang)}</strong>
                </td>
                <td>
                  {s.paidOn ? (
                    <span class="paid">{t('portal.statements.paid', { date: day(s.paidOn, lang) })}</span>
                  ) : inFile.has(s.id) ? (
                    <span class="muted" data-testid="in-payout">
                      {t('mgr.payout.inFile', { file: inFile.get(s.id)! })}
                    </span>
                  ) : (
                    <form class="inline" onSubmit={(e) => markPaid(e, s)}>
                      <input type="date" name="paidOn" defaultValue={today()} aria-label={t('mgr.paidOnOf', { code: s.code })} />
                      <select name="method" aria-label={t('mgr.methodOf', { code: s.code })}>
                        {(['transfer', 'cheque', 'cash'] as const).map((m) => (
                          <option key={m} value={m}>
                            {t(`mgr.method.${m}` as MessageKey)}
                          </option>
                        ))}
                      </select>
                      <button type="submit" aria-label={t('mgr.markPaidOf', { code: s.code, name: s.producerName })}>
                        {t('mgr.markPaid')}
                      </button>
                    </form>
                  )}
                </td>
                <td>
                  <a class="button secondary" href={link(settlementApi.issuedPdf, { params: { id: s.id } })}>
                    {t('portal.pdf')}
                  </a>
                  {s.invoice && (
                    <a
                      class="button secondary"
                      href={link(invoicesApi.pdf, { params: { id: s.invoice.id } })}
                      aria-label={t('portal.invoiceOf', { code: s.invoice.code })}
                    >
                      {t(
                        s.invoice.kind === 'credit_note' || s.invoice.kind === 'self_billed_credit'
                          ? 'portal.creditNote'
                          : 'portal.invoice',
                      )}
                    </a>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <section class="payouts" data-testid="payouts">
        <h2>{t('mgr.payout.title')}</h2>
        <p class="muted">{t('mgr.payout.help')}</p>
        <div class="toolbar">
          <label>
            {t('mgr.payout.execution')}
            <input type="date" value={execution} min={today()} onInput={(e) => setExecution((e.target as HTMLInputElement).value)} />
          </label>
          <button onClick={preparePayout} disabled={pickedList.length === 0}>
            {t('mgr.payout.prepare', { n: pickedList.length, total: euros(pickedTotal, lang) })}
          </button>
        </div>
        <FormOutcome error={payoutError} />
        {payouts.length > 0 && (
          <table class="list">
            <thead>
              <tr>
                <th>{t('mgr.payout.file')}</th>
                <th>{t('mgr.payout.execution')}</th>
                <th class="r">{t('mgr.payout.amount')}</th>
                <th>{t('mgr.payout.status')}</th>
                <th></th>
              </tr>
            </thead>
            <tbody>
              {payouts.map((p) => (
                <tr key={p.id}>
                  <td>
                    {p.msgId}
                    <small class="muted block">{p.items.map((i) => `${i.code} ${i.producerName}`).join(', ')}</small>
                  </td>
                  <td data-label={t('mgr.payout.execution')}>{day(p.executionDate, lang)}</td>
                  <td class="r" data-label={t('mgr.payout.amount')}>
                    {euros(p.totalCents, lang)}
                    <small class="muted block">{t('mgr.payout.count', { n: p.count })}</small>
                  </td>
                  <td>{t(`mgr.payout.${p.status}` as MessageKey)}</td>
                  <td class="actions">
                    <a class="button secondary" href={link(payoutsApi.xml, { params: { id: p.id } })} download>
                      {t('mgr.payout.download')}
                    </a>
                    {p.status === 'pending' && (
                      <>
                        <button onClick={() => settlePayout(p, 'confirm')}>{t('mgr.payout.confirm')}</button>
                        <button class="secondary" onClick={() => settlePayout(p, 'cancel')}>
                          {t('mgr.payout.cancel')}
                        </button>
                      </>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </section>
      <h2>{t('mgr.producers')}</h2>
      {invite && (
        <p class="invite" role="status">
          {invite.name} — {t('mgr.inviteLink')} <code>{invite.url}</code>
          {invite.shopNetworkOnly && (
            <span class="muted block" data-testid="invite-lan-only">
              {t('mgr.inviteLanOnly')}
            </span>
          )}
        </p>
      )}
      <ul class="docs">
        {producers
          .filter((p) => p.active)
          .map((p) => (
            <li key={p.id}>
              <span>
                <strong>{p.name}</strong>
              </span>
              <button class="secondary" onClick={() => inviteProducer(p)}>
                {t('mgr.invite')}
              </button>
            </li>
          ))}
      </ul>
    </div>
  );
}

/**
 * The month under way, for the manager as each producer sees it in their portal: what each is owed so far, as a
 * draft (nothing issued), with its PDF. Asked for (one statement worked out per producer), not at every visit.
 * Found by a walk: the manager had no view of the month's figures before it ended.
 */
function Drafts({ t, lang, producers, from, to }: { t: T; lang: 'fr' | 'en'; producers: Producer[]; from: string; to: string }) {
  const [rows, setRows] = useState<{ id: number; name: string; grossCents: number; netCents: number }[] | null>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState('');
  // The whole month: a sale booked on tomorrow after an early Z counts already, as in the producer's portal.
  const through = to;
  async function load() {
    setBusy(true);
    setError('');
    const found: { id: number; name: string; grossCents: number; netCents: number }[] = [];
    try {
      // Four at a time: a shop's fifty producers in a few seconds, the server left free for the tills.
      const queue = producers.filter((p) => p.active !== false);
      await Promise.all(
        [0, 1, 2, 3].map(async () => {
          for (let p = queue.shift(); p; p = queue.shift()) {
            const st = await call(settlementApi.statement, { params: { id: p.id }, query: { from, to: through } });
            if (st.totals.grossCents || st.totals.kitchenCents)
              found.push({
                id: p.id,
                name: p.name,
                grossCents: st.totals.grossCents + st.totals.kitchenCents,
                netCents: st.totals.netOwedCents,
              });
          }
        }),
      );
      setRows(found.sort((a, b) => a.name.localeCompare(b.name, lang)));
    } catch (e) {
      setError(errorText(e));
    } finally {
      setBusy(false);
    }
  }
  return (
    <section class="drafts" data-testid="drafts">
      <h3>{t('mgr.drafts', { from: day(from, lang), to: day(through, lang) })}</h3>
      {rows === null ? (
        <button type="button" class="secondary" disabled={busy || !producers.length} onClick={() => void load()}>
          {busy ? t('mgr.draftsLoading') : t('mgr.draftsShow')}
        </button>
      ) : rows.length === 0 ? (
        <p class="muted">{t('mgr.draftsNone')}</p>
      ) : (
        <table class="figures">
          <caption class="vh">{t('mgr.drafts', { from: day(from, lang), to: day(through, lang) })}</caption>
          <thead>
            <tr>
              <th>{t('mgr.producers')}</th>
              <th class="num">{t('portal.sales.amount')}</th>
              <th class="num">{t('mgr.draftNet')}</th>
              <th>
                <span class="vh">PDF</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {rows.map((r) => (
              <tr key={r.id} data-testid="draft-row">
                <td>{r.name}</td>
                <td class="num">{euros(r.grossCents, lang)}</td>
                <td class="num">{euros(r.netCents, lang)}</td>
                <td>
                  <a
                    class="button secondary"
                    href={link(settlementApi.statementPdf, { params: { id: r.id }, query: { from, to: through } })}
                    aria-label={t('mgr.draftPdfOf', { name: r.name })}
                  >
                    {t('mgr.draftPdf')}
                  </a>
                </td>
              </tr>
            ))}
          </tbody>
          <tfoot>
            <tr>
              <th scope="row">{t('bo.sites.total')}</th>
              <td class="num">
                {euros(
                  rows.reduce((x, r) => x + r.grossCents, 0),
                  lang,
                )}
              </td>
              <td class="num">
                {euros(
                  rows.reduce((x, r) => x + r.netCents, 0),
                  lang,
                )}
              </td>
              <td />
            </tr>
          </tfoot>
        </table>
      )}
      {error && (
        <p class="error" role="alert">
          {error}
        </p>
      )}
    </section>
  );
}
