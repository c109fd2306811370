import type { OutletCodeValue } from '../../shared/api/common.ts';
import { useEffect, useState } from 'preact/hooks';
import type { Lang } from '../../shared/i18n/index.ts';
import { archiveApi, type ArchiveEntry } from '../../shared/api/archive.ts';
import { fiscalApi } from '../../shared/api/fiscal.ts';
import { call, errorText, link } from '../api.ts';
import { closingApi, type ClosingView } from '../../shared/api/closing.ts';
import { day, euros, previousMonth, today } from '../format.ts';
import type { T } from '../i18n.ts';
import { OutletPicker } from './Choice.tsx';

type Closing = ClosingView;

/**
 * Monthly and yearly closings, built from the daily ones: the month once all its days are closed,
 * the year once all its months are. A refusal names what is still open.
 */
export function Periods({ t, lang }: { t: T; lang: Lang }) {
  const [outlet, setOutlet] = useState<OutletCodeValue>('shop');
  const [month, setMonth] = useState(previousMonth(today()));
  const [year, setYear] = useState(String(Number(today().slice(0, 4)) - 1));
  const [closings, setClosings] = useState<Closing[]>([]);
  const [error, setError] = useState('');
  const [done, setDone] = useState('');
  const load = () =>
    Promise.all([
      call(closingApi.list, { query: { outlet, kind: 'month', limit: 24 } }),
      call(closingApi.list, { query: { outlet, kind: 'year', limit: 10 } }),
    ])
      .then(([m, y]) => setClosings([...y, ...m]))
      .catch((e) => setError(errorText(e)));
  useEffect(() => void load(), [outlet]);
  const periodName = (c: Closing) => (c.kind === 'year' ? c.period : day(`${c.period}-01`, lang, { month: 'long', year: 'numeric' }));

  async function close(kind: 'month' | 'year') {
    setError('');
    setDone('');
    try {
      const c =
        kind === 'month'
          ? await call(closingApi.closeMonth, { body: { outlet, month } })
          : await call(closingApi.closeYear, { body: { outlet, year } });
      setDone(t(kind === 'month' ? 'bo.per.monthDone' : 'bo.per.yearDone', { period: periodName(c), total: euros(c.totalCents, lang) }));
      await load();
    } catch (e) {
      setError(errorText(e));
    }
  }

  return (
    <section class="panel" data-testid="periods">
      <h3>{t('bo.per.title')}</h3>
      <p class="muted">{t('bo.per.help')}</p>
      <div class="toolbar">
        <OutletPicker t={t} outlet={outlet} onChange={setOutlet} />
        <label>
          {t('bo.per.month')}
          <input type="month" value={month} max={today().slice(0, 7)} onChange={(e) => setMonth((e.target as HTMLInputElement).value)} />
        </label>
        <button onClick={() => close('month')}>{t('bo.per.closeMonth')}</button>
        <label>
          {t('bo.per.year')}
          <input
            type="number"
            min={2000}
            max={Number(today().slice(0, 4))}
            value={year}
            onChange={(e) => setYear((e.target as HTMLInputElement).value)}
          />
        </label>
        <button onClick={() => close('year')}>{t('bo.per.closeYear')}</button>
      </div>
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
      <table class="figures">
        <thead>
          <tr>
            <th>{t('bo.per.period')}</th>
            <th class="num">{t('bo.day.tickets')}</th>
            <th class="num">{t('bo.day.total')}</th>
            <th class="num">{t('bo.per.grandTotal')}</th>
            <th />
          </tr>
        </thead>
        <tbody>
          {closings.length === 0 && (
            <tr>
              <td colSpan={5} class="muted">
                {t('bo.per.none')}
              </td>
            </tr>
          )}
          {closings.map((c) => (
            <tr key={c.id}>
              <td>{c.kind === 'year' ? <strong>{t('bo.per.yearOf', { year: c.period })}</strong> : periodName(c)}</td>
              <td class="num">{c.figures.tickets}</td>
              <td class="num">{euros(c.totalCents, lang)}</td>
              <td class="num">{euros(c.grandTotalCents, lang)}</td>
              <td>
                <a
                  class="button secondary"
                  href={link(closingApi.pdf, { params: { id: c.id } })}
                  target="_blank"
                  rel="noopener"
                  aria-label={t('bo.per.pdfOf', { period: periodName(c) })}
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

/** The fiscal archive of a closed year (issue "sales that can never be lost"): write it, list, download. */
export function Archives({ t, lang }: { t: T; lang: Lang }) {
  const [year, setYear] = useState(String(Number(today().slice(0, 4)) - 1));
  const [archives, setArchives] = useState<ArchiveEntry[]>([]);
  const [error, setError] = useState('');
  const [done, setDone] = useState('');
  const [busy, setBusy] = useState(false);
  const load = () =>
    call(archiveApi.list)
      .then(setArchives)
      .catch((e) => setError(errorText(e)));
  useEffect(() => void load(), []);
  async function create() {
    setError('');
    setDone('');
    setBusy(true);
    try {
      const a = await call(archiveApi.create, { body: { year } }, 120_000);
      setDone(t('bo.arc.done', { name: a.name, tickets: a.counts.tickets, closings: a.counts.closings, events: a.counts.events }));
      await load();
    } catch (e) {
      setError(errorText(e));
    } finally {
      setBusy(false);
    }
  }
  return (
    <section class="panel" data-testid="archives">
      <h3>{t('bo.arc.title')}</h3>
      <p class="muted">{t('bo.arc.help')}</p>
      <div class="toolbar">
        <label>
          {t('bo.per.year')}
          <input
            type="number"
            min={2000}
            max={Number(today().slice(0, 4))}
            value={year}
            onChange={(e) => setYear((e.target as HTMLInputElement).value)}
          />
        </label>
        <button disabled={busy} onClick={create}>
          {t('bo.arc.create')}
        </button>
        <a class="button secondary" href={link(fiscalApi.attestation)} download>
          {t('bo.arc.attestation')}
        </a>
      </div>
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
      <ul class="docs exports">
        {archives.map((a) => (
          <li key={a.name}>
            <div>
              <strong>{a.name}</strong>
              <small>{(a.bytes / 1024).toLocaleString(lang, { maximumFractionDigits: 0 })} Ko</small>
            </div>
            <a class="button secondary" href={link(archiveApi.download, { params: { name: a.name } })} download>
              {t('bo.acc.download')}
            </a>
          </li>
        ))}
      </ul>
    </section>
  );
}
