import { useEffect, useState } from 'preact/hooks';
import { catalogues, type Lang, type MessageKey } from '../../shared/i18n/index.ts';
import type { z } from 'zod';
import { systemApi, type backupView, type EventView, type verifyReport } from '../../shared/api/system.ts';
import { ApiError, call, link } from '../api.ts';
import { moment } from '../format.ts';
import { eventDetails } from './event-details.ts';
import type { T } from '../i18n.ts';

type EventRow = EventView;
type Backup = z.infer<typeof backupView>;
type Report = z.infer<typeof verifyReport>;

/** A fault `verify` names (server/journal) in the catalogue's words, or its code when it has none. */
const faultText = (t: T, fault: string) => {
  const key = `bo.sys.fault.${fault}`;
  return key in catalogues.fr ? t(key as MessageKey) : fault;
};

/** Prefixes of the event kinds (server/journal/events.ts). */
const KINDS = [
  '',
  'auth',
  'user',
  'till',
  'drawer',
  'sale',
  'order',
  'floor',
  'closing',
  'product',
  'producer',
  'category',
  'catalog',
  'stock',
  'statement',
  'payout',
  'accounting',
  'settings',
  'backup',
  'archive',
  'journal',
  'shop',
  'system',
  'print',
];

/** What happened (the chained event log, newest first, by kind) and the backups: list, take one, download. */
export function System({ t, lang, admin }: { t: T; lang: Lang; admin: boolean }) {
  const [kind, setKind] = useState('');
  const [events, setEvents] = useState<EventRow[]>([]);
  const [more, setMore] = useState(false);
  const [backups, setBackups] = useState<Backup[]>([]);
  const [error, setError] = useState('');
  const [done, setDone] = useState('');
  const when = (iso: string) => moment(iso, lang, { dateStyle: 'short', timeStyle: 'medium' });
  /** An event's kind in words (one the page does not know yet, as its code). */
  const eventName = (kind: string) => (`event.${kind}` in catalogues.fr ? t(`event.${kind}` as MessageKey) : kind);

  const load = async (before?: number) => {
    const rows = await call(systemApi.events, { query: { limit: 50, ...(kind ? { kind } : {}), ...(before ? { beforeId: before } : {}) } });
    setEvents((prev) => (before ? [...prev, ...rows] : rows));
    setMore(rows.length === 50);
  };
  useEffect(() => {
    load().catch((e) => setError(e instanceof ApiError ? e.message : String(e)));
  }, [kind]);
  const loadBackups = () =>
    call(systemApi.backups)
      .then(setBackups)
      .catch(() => undefined);
  useEffect(() => void loadBackups(), []);
  const [publicUrl, setPublicUrl] = useState<string | null | undefined>(undefined);
  useEffect(
    () =>
      void call(systemApi.health).then(
        (h) => setPublicUrl(h.publicUrl),
        () => undefined,
      ),
    [],
  );

  const [report, setReport] = useState<Report | null>(null);
  const [verifying, setVerifying] = useState(false);
  async function verifyNow() {
    setVerifying(true);
    setError('');
    try {
      setReport(await call(systemApi.verify));
      await load();
    } catch (e) {
      setError(e instanceof ApiError ? e.message : String(e));
    } finally {
      setVerifying(false);
    }
  }

  async function backupNow() {
    setError('');
    setDone('');
    try {
      const b = await call(systemApi.backupNow);
      setDone(t('bo.sys.backupDone', { name: b.name, size: (b.bytes / 1e6).toLocaleString(lang, { maximumFractionDigits: 1 }) }));
      await loadBackups();
      await load();
    } catch (e) {
      setError(e instanceof ApiError ? e.message : String(e));
    }
  }

  return (
    <>
      {publicUrl !== undefined && (
        <section class="panel" data-testid="public-url">
          <h3>{t('bo.sys.publicUrl')}</h3>
          {publicUrl ? (
            <p>{t('bo.sys.publicUrlSet', { url: publicUrl })}</p>
          ) : (
            <p class="error">{t('bo.sys.publicUrlUnset', { here: location.origin })}</p>
          )}
        </section>
      )}
      <section class="panel" data-testid="verify">
        <h3>{t('bo.sys.verify')}</h3>
        <p>
          <small>{t('bo.sys.verifyHelp')}</small>
        </p>
        <button onClick={verifyNow} disabled={verifying} aria-busy={verifying}>
          {verifying ? t('bo.sys.verifying') : t('bo.sys.verifyNow')}
        </button>
        {report && (
          <div role="status">
            <p class={report.ok ? 'ok' : 'error'}>
              <strong>{report.ok ? t('bo.sys.verifyOk') : t('bo.sys.verifyKo', { n: report.problems.length })}</strong>{' '}
              {t('bo.sys.verifyCounts', { tickets: report.tickets, events: report.events, closings: report.closings })}
            </p>
            <p>
              {report.signing.fingerprint
                ? t('bo.sys.verifyKey', { key: report.signing.fingerprint, heads: report.signing.heads })
                : t('bo.sys.verifyNoKey')}{' '}
              {report.witness ? t('bo.sys.verifyWitness', { lines: report.witness.lines }) : t('bo.sys.verifyNoWitness')}
            </p>
            {report.witness?.restores.map((r) => (
              <p key={r.eventId} class="notice">
                {t('bo.sys.verifyRestore', {
                  when: when(r.at),
                  backup: r.backup ?? '?',
                  event: r.eventId,
                  what: r.takenBack.map((b) => `${b.chain} ${b.from}…${b.to} (${b.count})`).join(', ') || '—',
                })}
              </p>
            ))}
            {report.problems.length > 0 && (
              <table class="figures" data-testid="verify-problems">
                <thead>
                  <tr>
                    <th>{t('bo.sys.verifyRecord')}</th>
                    <th>{t('bo.sys.verifyFault')}</th>
                    <th>{t('bo.sys.details')}</th>
                  </tr>
                </thead>
                <tbody>
                  {report.problems.slice(0, 100).map((p, i) => (
                    <tr key={i}>
                      <td>
                        <code>{p.record}</code>
                      </td>
                      <td>{faultText(t, p.fault)}</td>
                      <td>
                        <small class="muted">{p.detail}</small>
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            )}
          </div>
        )}
      </section>
      <section class="panel">
        <h3>{t('bo.sys.backups')}</h3>
        <button onClick={backupNow}>{t('bo.sys.backupNow')}</button>
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
        <table class="figures" data-testid="backups">
          <thead>
            <tr>
              <th>{t('bo.sys.file')}</th>
              <th>{t('bo.sys.when')}</th>
              <th class="num">{t('bo.sys.size')}</th>
              <th />
            </tr>
          </thead>
          <tbody>
            {backups.map((b) => (
              <tr key={b.name}>
                <td>{b.name}</td>
                <td>{when(b.createdAt)}</td>
                <td class="num">{(b.bytes / 1e6).toLocaleString(lang, { maximumFractionDigits: 1 })} Mo</td>
                <td>
                  {admin ? (
                    <a class="button secondary" href={link(systemApi.backup, { params: { name: b.name } })} download>
                      {t('bo.acc.download')}
                    </a>
                  ) : (
                    <small class="muted">{t('bo.sys.adminOnly')}</small>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </section>
      <section class="panel">
        <h3>{t('bo.sys.events')}</h3>
        <label>
          {t('bo.sys.kind')}
          <select value={kind} onChange={(e) => setKind((e.target as HTMLSelectElement).value)}>
            {KINDS.map((k) => (
              <option key={k} value={k}>
                {k ? t(`event.group.${k}` as MessageKey) : t('bo.sys.all')}
              </option>
            ))}
          </select>
        </label>
        <table class="figures events" data-testid="events">
          <thead>
            <tr>
              <th>{t('bo.sys.when')}</th>
              <th>{t('bo.sys.what')}</th>
              <th>{t('bo.sys.who')}</th>
              <th>{t('bo.sys.details')}</th>
            </tr>
          </thead>
          <tbody>
            {events.map((e) => (
              <tr key={e.id}>
                <td>{when(e.at)}</td>
                <td>
                  {/* Said in the page's language; the code under it, for whoever reads the log as a file. */}
                  {eventName(e.kind)}
                  <small class="muted block">
                    <code>{e.kind}</code>
                    {e.subject ? ` · ${e.subject}` : ''}
                  </small>
                </td>
                <td>{e.by ?? '—'}</td>
                <td>
                  <span class="data">{eventDetails(e.data, lang)}</span>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
        {more && (
          <button class="secondary" onClick={() => load(events[events.length - 1]!.id)}>
            {t('bo.sys.more')}
          </button>
        )}
      </section>
    </>
  );
}
