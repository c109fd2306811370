import { useState } from 'preact/hooks';
import { accountingApi } from '../../shared/api/accounting.ts';
import { settlementApi } from '../../shared/api/settlement.ts';
import { ApiError, link } from '../api.ts';
import { monthEnd, previousMonth, today } from '../format.ts';
import type { T } from '../i18n.ts';

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
