import { invoicesApi } from '../../shared/api/payouts.ts';
import { useEffect, useMemo, useState } from 'preact/hooks';
import { focusIfLost } from '../focus.ts';
import type { MessageKey } from '../../shared/i18n/index.ts';
import { settlementApi } from '../../shared/api/settlement.ts';
import { ApiError, call, link } from '../api.ts';
import { day, euros, moment, monthStart, quantity, rate, shiftDays, today } from '../format.ts';
import { useSocket } from '../realtime.ts';
import type { T } from '../i18n.ts';
import { BarChart } from './BarChart.tsx';
import { catalogApi } from '../../shared/api/catalog.ts';
import { stockApi, type StockRow } from '../../shared/api/stock.ts';

type Tab = 'today' | 'sales' | 'stock' | 'slips' | 'statements' | 'terms';
const TABS: Tab[] = ['today', 'sales', 'stock', 'slips', 'statements', 'terms'];

/** The producer's own space, phone first: every call is scoped to their id by the server. */
export function Portal({ t, producerId, lang }: { t: T; producerId: number; lang: 'fr' | 'en' }) {
  const [tab, setTab] = useState<Tab>('today');
  const { socket, connected } = useSocket();
  const [tick, setTick] = useState(0);

  // A sale of their goods, a stock change or a statement: refresh what is on screen (their own data only reaches them).
  useEffect(() => {
    if (!socket) return;
    let timer: ReturnType<typeof setTimeout> | null = null;
    const bump = () => {
      if (timer) return;
      timer = setTimeout(() => {
        timer = null;
        setTick((n) => n + 1);
      }, 300);
    };
    socket.on('sale:recorded', bump);
    socket.on('stock:changed', bump);
    socket.on('statement:issued', bump);
    return () => {
      socket.off('sale:recorded', bump);
      socket.off('stock:changed', bump);
      socket.off('statement:issued', bump);
    };
  }, [socket]);

  // WAI-ARIA tabs: one tab in the Tab order, the arrows (and Home/End) move between them and show the one reached.
  function onTabKey(e: KeyboardEvent) {
    const i = TABS.indexOf(tab);
    const next =
      e.key === 'ArrowRight'
        ? TABS[(i + 1) % TABS.length]
        : e.key === 'ArrowLeft'
          ? TABS[(i - 1 + TABS.length) % TABS.length]
          : e.key === 'Home'
            ? TABS[0]
            : e.key === 'End'
              ? TABS[TABS.length - 1]
              : undefined;
    if (!next) return;
    e.preventDefault();
    setTab(next);
    document.getElementById(`portal-tab-${next}`)?.focus();
  }
  // Once logged in, the keyboard on the tab shown (it was left on the page's body, found by a newcomer's walk).
  useEffect(() => focusIfLost(document.getElementById(`portal-tab-${tab}`)), []);
  // The chosen tab stays in view when the row scrolls sideways (a phone).
  useEffect(() => {
    document.getElementById(`portal-tab-${tab}`)?.scrollIntoView?.({ block: 'nearest', inline: 'nearest' });
  }, [tab]);

  return (
    <div class="portal">
      <div class={`live ${connected ? 'on' : 'off'}`} role="status">
        {connected ? `● ${t('portal.live')}` : t('portal.offline')}
      </div>
      <div class="tabs" role="tablist" aria-label={t('portal.tabs')} onKeyDown={onTabKey}>
        {TABS.map((k) => (
          <button
            key={k}
            id={`portal-tab-${k}`}
            role="tab"
            type="button"
            aria-selected={tab === k}
            aria-controls="portal-panel"
            tabIndex={tab === k ? 0 : -1}
            class={tab === k ? 'tab active' : 'tab'}
            onClick={() => setTab(k)}
          >
            {t(`portal.tab.${k}` as MessageKey)}
          </button>
        ))}
      </div>
      <section class="panel" role="tabpanel" id="portal-panel" aria-labelledby={`portal-tab-${tab}`} tabIndex={0}>
        {tab === 'today' && <Today t={t} id={producerId} lang={lang} tick={tick} />}
        {tab === 'sales' && <SalesView t={t} id={producerId} lang={lang} tick={tick} />}
        {tab === 'stock' && <StockView t={t} lang={lang} tick={tick} />}
        {tab === 'slips' && <Slips t={t} lang={lang} />}
        {tab === 'statements' && <Statements t={t} id={producerId} lang={lang} tick={tick} />}
        {tab === 'terms' && <TermsView t={t} id={producerId} lang={lang} />}
      </section>
    </div>
  );
}

function useLoad<R>(load: () => Promise<R>, deps: unknown[]): [R | null, string] {
  const [data, setData] = useState<R | null>(null);
  const [error, setError] = useState('');
  useEffect(() => {
    let live = true;
    load()
      .then((d) => live && (setData(d), setError('')))
      .catch((e) => live && setError(e instanceof ApiError ? e.message : String(e)));
    return () => {
      live = false;
    };
  }, deps);
  return [data, error];
}

/**
 * The last day the month's draft reads: tomorrow too while it is the same month, where a Z taken early today
 * books today's later tickets (the estimate left them out while the day's and the month's sales had them: found
 * by a walk); the month's last day stays in its month.
 */
function draftEnd(d: string): string {
  const next = shiftDays(d, 1);
  return next.slice(0, 7) === d.slice(0, 7) ? next : d;
}

function Today({ t, id, lang, tick }: { t: T; id: number; lang: 'fr' | 'en'; tick: number }) {
  const d = today();
  // After a Z taken during the day, today's later tickets are booked on the next business day: they were
  // still sold today, so "today" reads both (the next day has no other tickets yet).
  const next = shiftDays(d, 1);
  const [data] = useLoad(
    async () => ({
      day: await call(settlementApi.sales, { params: { id }, query: { from: d, to: next } }),
      month: await call(settlementApi.sales, { params: { id }, query: { from: monthStart(d), to: next } }),
      lines: await call(settlementApi.lines, { params: { id }, query: { from: d, to: next, limit: 50 } }),
      draft: await call(settlementApi.statement, { params: { id }, query: { from: monthStart(d), to: draftEnd(d) } }),
    }),
    [id, tick],
  );
  if (!data) return <p class="muted">…</p>;
  // The restaurant's use of their goods today (a dish sold with its recipe names its ticket and dish).
  const kitchen = data.draft.items.filter((i) => i.kind === 'kitchen' && (i.day === d || i.day === next));
  const time = new Intl.DateTimeFormat(lang === 'fr' ? 'fr-FR' : 'en-GB', { timeZone: 'Europe/Paris', hour: '2-digit', minute: '2-digit' });
  return (
    <div>
      <div class="kpis">
        <div class="kpi">
          <span>{t('portal.today.sales')}</span>
          <strong data-testid="today-total">{euros(data.day.totalCents, lang)}</strong>
          <small>{t('portal.lines', { n: data.day.lines })}</small>
        </div>
        <div class="kpi">
          <span>{t('portal.today.month')}</span>
          <strong>{euros(data.month.totalCents, lang)}</strong>
        </div>
        <div class="kpi">
          <span>{t('portal.today.owed')}</span>
          <strong data-testid="today-owed">{euros(data.draft.totals.netOwedCents, lang)}</strong>
        </div>
      </div>
      {data.lines.some((l) => l.day !== d) && (
        <p class="muted" data-testid="today-next-day">
          {t('portal.today.afterZ', { day: day(next, lang, { dateStyle: 'long' }) })}
        </p>
      )}
      {data.lines.length === 0 ? (
        <p class="muted">{t('portal.today.none')}</p>
      ) : (
        <ul class="lines">
          {data.lines.map((l) => (
            <li key={`${l.saleId}-${l.lineNo}`} class={l.kind}>
              <span class="when">{time.format(new Date(l.at))}</span>
              <span class="what">
                {/* A refund says so (it read « Miel −1 −8,55 € », found by a walk). */}
                {l.kind === 'refund' && <strong data-testid="line-refund">{t('portal.refund')} · </strong>}
                {l.name}
                <small>{quantity(l.quantity, l.unit, lang)}</small>
              </span>
              <span class="amount">{euros(l.totalCents, lang)}</span>
            </li>
          ))}
        </ul>
      )}
      {kitchen.length > 0 && (
        <>
          <h3>{t('portal.today.kitchen')}</h3>
          <p class="muted">{t('portal.today.kitchenNote')}</p>
          <ul class="lines" data-testid="today-kitchen">
            {kitchen.map((i) => (
              <li key={i.movementId} class="kitchen">
                <span class="when">{quantity(i.quantity, i.unit, lang)}</span>
                <span class="what">
                  {i.name}
                  <small>{i.reference}</small>
                </span>
                <span class="amount">{euros(i.amountCents, lang)}</span>
              </li>
            ))}
          </ul>
        </>
      )}
    </div>
  );
}

function SalesView({ t, id, lang, tick }: { t: T; id: number; lang: 'fr' | 'en'; tick: number }) {
  const [groupBy, setGroupBy] = useState<'day' | 'week' | 'month'>('day');
  const d = today();
  const from =
    groupBy === 'day'
      ? shiftDays(d, -29)
      : groupBy === 'week'
        ? shiftDays(d, -7 * 12 + 1)
        : `${shiftDays(monthStart(d), -330).slice(0, 7)}-01`;
  const [data] = useLoad(() => call(settlementApi.sales, { params: { id }, query: { from, to: d, groupBy } }), [id, groupBy, tick]);
  const label = (p: string) =>
    groupBy === 'month'
      ? day(`${p}-01`, lang, { month: 'short' })
      : day(p, lang, { day: 'numeric', month: groupBy === 'week' ? 'short' : 'numeric' });
  const bars = useMemo(
    () => (data?.series ?? []).map((s) => ({ key: s.period, label: label(s.period), value: s.salesCents })),
    [data, lang],
  );
  return (
    <div>
      <div class="segmented" role="group">
        {(['day', 'week', 'month'] as const).map((g) => (
          <button key={g} aria-pressed={groupBy === g} class={groupBy === g ? 'active' : ''} onClick={() => setGroupBy(g)}>
            {t(`portal.sales.by${g[0]!.toUpperCase()}${g.slice(1)}` as MessageKey)}
          </button>
        ))}
      </div>
      {data && (
        <>
          <BarChart
            bars={bars}
            label={t('portal.sales.chart', { period: `${day(from, lang)} – ${day(d, lang)}` })}
            format={(v) => euros(v, lang)}
          />
          <p class="total">{t('portal.sales.total', { amount: euros(data.totalCents, lang) })}</p>
          {data.bySite && (
            <>
              <h3>{t('portal.sales.bySite')}</h3>
              <table class="list" data-testid="sales-by-site">
                <thead>
                  <tr>
                    <th>{t('portal.sales.site')}</th>
                    <th class="r">{t('portal.sales.lines')}</th>
                    <th class="r">{t('portal.sales.amount')}</th>
                  </tr>
                </thead>
                <tbody>
                  {data.bySite.map((s) => (
                    <tr key={s.siteId}>
                      <td>{s.name}</td>
                      <td class="r">{s.lines}</td>
                      <td class="r">{euros(s.salesCents, lang)}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </>
          )}
          <h3>{t('portal.sales.byProduct')}</h3>
          <table class="list">
            <thead>
              <tr>
                <th>{t('portal.sales.product')}</th>
                <th class="r">{t('portal.sales.quantity')}</th>
                <th class="r">{t('portal.sales.amount')}</th>
              </tr>
            </thead>
            <tbody>
              {data.byProduct.map((p) => (
                <tr key={p.productId}>
                  <td>{p.name}</td>
                  <td class="r">{quantity(p.quantity, p.unit, lang)}</td>
                  <td class="r">{euros(p.salesCents, lang)}</td>
                </tr>
              ))}
            </tbody>
          </table>
          <a class="button secondary" href={link(settlementApi.linesCsv, { params: { id }, query: { from, to: d } })} download>
            {t('portal.sales.csv')}
          </a>
        </>
      )}
    </div>
  );
}

function StockView({ t, lang, tick }: { t: T; lang: 'fr' | 'en'; tick: number }) {
  const [saved, setSaved] = useState<number | null>(null);
  // A refusal is said under the product it is about, not at the top of a long list.
  const [error, setError] = useState<{ productId: number; text: string } | null>(null);
  const [data] = useLoad(() => call(stockApi.onHand), [tick, saved]);
  if (!data) return <p class="muted">…</p>;
  if (!data.length) return <p class="muted">{t('portal.stock.none')}</p>;
  async function save(e: Event, row: StockRow) {
    e.preventDefault();
    const raw = String(new FormData(e.target as HTMLFormElement).get('threshold') ?? '')
      .trim()
      .replace(',', '.');
    setError(null);
    setSaved(null);
    // Empty: no alert. Otherwise a whole number of pieces, or kilograms to the gram ("abc" was sent as no
    // threshold at all, and said « enregistré »: found by a newcomer's walk).
    if (raw !== '' && !(row.unit === 'kg' ? /^\d+(\.\d{1,3})?$/ : /^\d+$/).test(raw))
      return setError({ productId: row.productId, text: t(row.unit === 'kg' ? 'portal.stock.badKg' : 'portal.stock.badPieces') });
    const value = raw === '' ? null : row.unit === 'kg' ? Math.round(Number(raw) * 1000) : Number(raw);
    try {
      await call(catalogApi.setThreshold, { params: { id: row.productId }, body: { lowStockThreshold: value } });
      setSaved(row.productId);
    } catch (err) {
      setError({ productId: row.productId, text: err instanceof ApiError ? err.message : String(err) });
    }
  }
  return (
    <div>
      <ul class="stock">
        {data.map((r) => (
          <li key={r.productId} class={r.low || r.negative ? 'low' : ''}>
            <div class="stock-head">
              <strong>{r.name}</strong>
              {(r.low || r.negative) && <span class="badge">{t('portal.stock.low')}</span>}
            </div>
            <div class="stock-body">
              <span>
                {t('portal.stock.onHand')} : <b>{quantity(r.onHand, r.unit, lang)}</b>
                {r.sites && (
                  <small class="muted" data-testid="stock-by-site">
                    {' '}
                    ({r.sites.map((s) => `${s.name} : ${quantity(s.onHand, r.unit, lang)}`).join(' · ')})
                  </small>
                )}
              </span>
              <form onSubmit={(e) => save(e, r)} class="threshold">
                <label>
                  {t(r.unit === 'kg' ? 'portal.stock.thresholdKg' : 'portal.stock.thresholdPieces')}
                  <input
                    name="threshold"
                    inputMode={r.unit === 'kg' ? 'decimal' : 'numeric'}
                    aria-invalid={error?.productId === r.productId}
                    defaultValue={
                      r.lowStockThreshold === null
                        ? ''
                        : r.unit === 'kg'
                          ? // « 1,5 » on a French screen (it read « 1.5 »); the form takes either.
                            String(r.lowStockThreshold / 1000).replace('.', lang === 'fr' ? ',' : '.')
                          : String(r.lowStockThreshold)
                    }
                    aria-label={`${t(r.unit === 'kg' ? 'portal.stock.thresholdKg' : 'portal.stock.thresholdPieces')} ${r.name}`}
                  />
                </label>
                <button type="submit">{t('portal.stock.save')}</button>
              </form>
              {saved === r.productId && <small role="status">{t('portal.stock.saved')}</small>}
              {error?.productId === r.productId && (
                <small class="error" role="alert">
                  {error.text}
                </small>
              )}
            </div>
          </li>
        ))}
      </ul>
    </div>
  );
}

function Slips({ t, lang }: { t: T; lang: 'fr' | 'en' }) {
  const [data] = useLoad(() => call(stockApi.slips), []);
  if (!data) return <p class="muted">…</p>;
  if (!data.length) return <p class="muted">{t('portal.slips.none')}</p>;
  return (
    <ul class="docs">
      {data.map((s) => (
        <li key={s.id}>
          <span>
            <strong>
              {s.kind === 'transfer'
                ? t('portal.slips.transfer', { n: s.number, from: s.siteName, to: s.toSiteName ?? '' })
                : t(s.kind === 'deposit' ? 'portal.slips.deposit' : 'portal.slips.return', { n: s.number })}
            </strong>
            <small>
              {moment(s.createdAt, lang, { dateStyle: 'medium' })}
              {s.note ? ` · ${s.note}` : ''}
            </small>
          </span>
          <a class="button secondary" href={link(stockApi.slipPdf, { params: { id: s.id } })}>
            {t('portal.pdf')}
          </a>
        </li>
      ))}
    </ul>
  );
}

function Statements({ t, id, lang, tick }: { t: T; id: number; lang: 'fr' | 'en'; tick: number }) {
  const d = today();
  const [data] = useLoad(
    async () => ({
      list: await call(settlementApi.list),
      draft: await call(settlementApi.statement, { params: { id }, query: { from: monthStart(d), to: draftEnd(d) } }),
    }),
    [id, tick],
  );
  if (!data) return <p class="muted">…</p>;
  return (
    <div>
      <div class="statement draft">
        <span>
          <strong>{t('portal.statements.current')}</strong>
          <small>{t('portal.statements.period', { from: day(monthStart(d), lang), to: day(d, lang) })}</small>
        </span>
        <span class="amount">{euros(data.draft.totals.netOwedCents, lang)}</span>
        <a
          class="button secondary"
          href={link(settlementApi.statementPdf, { params: { id }, query: { from: monthStart(d), to: draftEnd(d) } })}
        >
          {t('portal.pdf')}
        </a>
      </div>
      {data.list.length === 0 && <p class="muted">{t('portal.statements.none')}</p>}
      <ul class="docs">
        {data.list.map((s) => (
          <li key={s.id} class="statement">
            <span>
              <strong>{s.code}</strong>
              <small>{t('portal.statements.period', { from: day(s.from, lang), to: day(s.to, lang) })}</small>
              <small class={s.paidOn ? 'paid' : 'unpaid'}>
                {s.paidOn ? t('portal.statements.paid', { date: day(s.paidOn, lang) }) : t('portal.statements.unpaid')}
              </small>
              {s.paidOn && s.paidMethod === 'transfer' && (
                <small data-testid="payment-advice">
                  {t('portal.statements.transfer', {
                    amount: euros(s.netCents, lang),
                    date: day(s.paidOn, lang),
                    ref: s.paidReference ?? '—',
                  })}
                </small>
              )}
            </span>
            <span class="amount" title={t('portal.statements.net')}>
              {euros(s.netCents, lang)}
            </span>
            <a class="button secondary" href={link(settlementApi.issuedPdf, { params: { id: s.id } })}>
              {t('portal.pdf')}
            </a>
            {s.invoice && (
              <a
                class="button secondary"
                href={link(invoicesApi.pdf, { params: { id: s.invoice.id } })}
                aria-label={t('portal.invoiceOf', { code: s.invoice.code })}
              >
                {t(s.invoice.kind === 'credit_note' || s.invoice.kind === 'self_billed_credit' ? 'portal.creditNote' : 'portal.invoice')}
              </a>
            )}
          </li>
        ))}
      </ul>
    </div>
  );
}

function TermsView({ t, id, lang }: { t: T; id: number; lang: 'fr' | 'en' }) {
  const [data] = useLoad(() => call(settlementApi.terms, { params: { id } }), [id]);
  // The self-billing mandates the producer signed (the shop selling in its own name writes their invoices).
  const [mandates] = useLoad(() => call(settlementApi.mandates, { params: { id } }), [id]);
  if (!data) return <p class="muted">…</p>;
  return (
    <div class="terms">
      <dl>
        <dt>{t('portal.terms.default')}</dt>
        <dd>{rate(data.defaultBp, lang)}</dd>
        {data.byCategory.map((c) => (
          <>
            <dt key={`c${c.categoryId}`}>{t('portal.terms.category', { name: c.categoryName })}</dt>
            <dd key={`v${c.categoryId}`}>{rate(c.commissionBp, lang)}</dd>
          </>
        ))}
      </dl>
      <p>{t('portal.terms.vat', { rate: rate(data.commissionVatRateBp, lang) })}</p>
      <p class="muted">{t('portal.terms.explain')}</p>
      {mandates && mandates.length > 0 && (
        <>
          <h3>{t('bo.mandate.title')}</h3>
          <ul data-testid="portal-mandates">
            {mandates.map((m) => (
              <li key={m.id}>
                {t('portal.mandate', { signed: day(m.signedOn, lang), from: day(m.validFrom, lang) })}{' '}
                {m.revokedOn ? t('bo.mandate.revokedOn', { day: day(m.revokedOn, lang) }) : t('bo.mandate.inForce')} ·{' '}
                <a href={link(settlementApi.mandatePdf, { params: { id: m.id } })} download>
                  {t('bo.mandate.signedPdf')}
                </a>
              </li>
            ))}
          </ul>
        </>
      )}
    </div>
  );
}
