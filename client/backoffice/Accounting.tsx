import { useEffect, useState } from 'preact/hooks';
import type { z } from 'zod';
import { accountingApi, consignmentApi, type consignmentView } from '../../shared/api/accounting.ts';
import { settlementApi } from '../../shared/api/settlement.ts';
import { ApiError, call, errorText, link } from '../api.ts';
import { day, monthEnd, previousMonth, today } from '../format.ts';
import type { T } from '../i18n.ts';
import { Choice } from './Choice.tsx';

/**
 * The accountant's files for a period: the FEC, the sales journal, the statements. Fetched rather than
 * linked, so that a refusal (a day not closed) is said on this page instead of opening an error.
 */
export function Accounting({ t }: { t: T }) {
  const month = previousMonth(today());
  const [from, setFrom] = useState(`${month}-01`);
  const [to, setTo] = useState(monthEnd(month));
  const [error, setError] = useState('');
  const [busy, setBusy] = useState('');

  async function download(kind: string, href: string) {
    setError('');
    setBusy(kind);
    try {
      const res = await fetch(href, { credentials: 'same-origin' });
      if (!res.ok) {
        const data = await res.json().catch(() => ({}));
        throw new ApiError(res.status, data?.error?.message ?? res.statusText);
      }
      const name = /filename="?([^";]+)"?/.exec(res.headers.get('content-disposition') ?? '')?.[1] ?? `${kind}.txt`;
      const url = URL.createObjectURL(await res.blob());
      const a = document.createElement('a');
      a.href = url;
      a.download = name;
      document.body.append(a);
      a.click();
      a.remove();
      setTimeout(() => URL.revokeObjectURL(url), 10_000);
    } catch (e) {
      setError(e instanceof ApiError ? e.message : t('error.network'));
    } finally {
      setBusy('');
    }
  }

  return (
    <section class="panel bo-accounting">
      <div class="toolbar">
        <label>
          {t('bo.acc.from')}
          <input type="date" value={from} onChange={(e) => setFrom((e.target as HTMLInputElement).value)} />
        </label>
        <label>
          {t('bo.acc.to')}
          <input type="date" value={to} onChange={(e) => setTo((e.target as HTMLInputElement).value)} />
        </label>
      </div>
      {error && (
        <p class="error" role="alert">
          {error}
        </p>
      )}
      <ul class="docs exports">
        <li>
          <div>
            <strong>{t('bo.acc.fec')}</strong>
            <small>{t('bo.acc.fecHelp')}</small>
          </div>
          <button disabled={busy !== ''} onClick={() => download('fec', link(accountingApi.fec, { query: { from, to } }))}>
            {t('bo.acc.download')}
          </button>
        </li>
        <li>
          <div>
            <strong>{t('bo.acc.journal')}</strong>
            <small>{t('bo.acc.journalHelp')}</small>
          </div>
          <button disabled={busy !== ''} onClick={() => download('journal', link(accountingApi.salesJournal, { query: { from, to } }))}>
            {t('bo.acc.download')}
          </button>
        </li>
        <li>
          <div>
            <strong>{t('bo.acc.statements')}</strong>
            <small>{t('bo.acc.statementsHelp')}</small>
          </div>
          <button disabled={busy !== ''} onClick={() => download('statements', link(settlementApi.listCsv, { query: { from, to } }))}>
            {t('bo.acc.download')}
          </button>
        </li>
      </ul>
    </section>
  );
}

/**
 * How the shop sells the producers' goods: in their name (mandataire) or its own (commissionnaire). Free
 * before the first sale; then from the first day of a month no statement has settled.
 */
export function ConsignmentModel({ t, lang }: { t: T; lang: 'fr' | 'en' }) {
  const [view, setView] = useState<z.infer<typeof consignmentView> | null>(null);
  const [error, setError] = useState('');
  const [done, setDone] = useState('');
  useEffect(() => {
    call(consignmentApi.get)
      .then(setView)
      .catch((e) => setError(errorText(e)));
  }, []);
  async function save(e: Event) {
    e.preventDefault();
    const f = new FormData(e.target as HTMLFormElement);
    setError('');
    setDone('');
    try {
      const from = String(f.get('from') ?? '');
      const next = await call(consignmentApi.set, {
        body: { model: String(f.get('model')) as 'mandataire' | 'commissionnaire', ...(from ? { from: `${from}-01` } : {}) },
      });
      setView(next);
      setDone(t('bo.acc.modelSaved'));
    } catch (err) {
      setError(errorText(err));
    }
  }
  if (!view) return error ? <p class="error">{error}</p> : null;
  return (
    <section class="panel" data-testid="consignment-model">
      <h3>{t('bo.acc.model')}</h3>
      <p class="muted">{t('bo.acc.modelHelp')}</p>
      <ul>
        {view.changes.map((c) => (
          <li key={c.from}>
            {t(c.model === 'mandataire' ? 'bo.acc.mandataire' : 'bo.acc.commissionnaire')}
            {c.from > '2000-01-01' && ` — ${t('bo.acc.modelFrom', { from: day(c.from, lang, { month: 'long', year: 'numeric' }) })}`}
          </li>
        ))}
      </ul>
      <form class="grid-form" onSubmit={save}>
        <label>
          {t('bo.acc.modelChoice')}
          <Choice
            name="model"
            value={view.model}
            options={[
              ['mandataire', t('bo.acc.mandataire')],
              ['commissionnaire', t('bo.acc.commissionnaire')],
            ]}
          />
        </label>
        {!view.free && (
          <label>
            {t('bo.acc.modelFromMonth')}
            <input type="month" name="from" required min={today().slice(0, 7)} />
          </label>
        )}
        {error && (
          <p class="error" role="alert">
            {error}
          </p>
        )}
        {done && (
          <p class="ok" role="status">
            {done}
          </p>
        )}
        <div class="actions wide">
          <button type="submit">{t('bo.acc.modelSave')}</button>
        </div>
      </form>
    </section>
  );
}
