import { useEffect, useState } from 'preact/hooks';
import type { TillMessageKey as MessageKey } from '../../../shared/i18n/till.ts';
import { printingApi, type PrintJobToCheck } from '../../../shared/api/printing.ts';
import { call } from '../../api.ts';
import { type TillState } from '../till.ts';
import { till, lang, t, errorText } from '../ui.tsx';

/** Print jobs given up on, or sent whole without the printer's word: each settled by one tap. */
export function PrintsScreen({ s }: { s: TillState }) {
  const [jobs, setJobs] = useState<PrintJobToCheck[] | null>(null);
  const [error, setError] = useState('');
  const printerId = s.device?.printerId;
  const load = () => {
    if (printerId != null) call(printingApi.attention, { params: { id: printerId } }).then(setJobs, (e) => setError(errorText(e)));
  };
  useEffect(load, [printerId, s.printer?.attention]);
  const act = async (job: PrintJobToCheck, action: 'reprint' | 'confirm' | 'dismiss') => {
    setError('');
    try {
      await call(printingApi[action], { params: { id: job.id } });
      setJobs((jobs ?? []).filter((j) => j.id !== job.id));
    } catch (e) {
      setError(errorText(e));
      load();
    }
  };
  const kind = (k: string) =>
    t((['receipt', 'duplicate', 'drawer'].includes(k) ? `till.prints.kind.${k}` : 'till.prints.kind.other') as MessageKey);
  return (
    <main class="center">
      <div class="card prints" data-testid="prints">
        <h1>{t('till.prints.title')}</h1>
        {jobs && !jobs.length && <p role="status">{t('till.prints.none')}</p>}
        <ul>
          {(jobs ?? []).map((j) => (
            <li key={j.id} data-testid="print-job">
              <strong>
                {t('till.prints.at', {
                  kind: kind(j.kind),
                  time: new Date(j.createdAt).toLocaleTimeString(lang, { hour: '2-digit', minute: '2-digit' }),
                })}
              </strong>
              <p>
                {j.status === 'failed'
                  ? t('till.prints.failed', { n: j.attempts, error: j.lastError ?? '' })
                  : t('till.prints.unconfirmed', { error: j.lastError ?? '' })}
              </p>
              <div class="row">
                {j.status === 'failed' ? (
                  <>
                    <button class="primary" onClick={() => act(j, 'reprint')}>
                      {t('till.prints.reprint')}
                    </button>
                    <button onClick={() => act(j, 'dismiss')}>{t('till.prints.dismiss')}</button>
                  </>
                ) : (
                  <>
                    <button class="primary" onClick={() => act(j, 'confirm')}>
                      {t('till.prints.confirm')}
                    </button>
                    <button onClick={() => act(j, 'reprint')}>{t('till.prints.reprintMarked')}</button>
                  </>
                )}
              </div>
            </li>
          ))}
        </ul>
        {error && (
          <p class="error" role="alert">
            {error}
          </p>
        )}
        <button class="big" onClick={() => till.set({ screen: s.device?.replaced ? 'replaced' : 'sell' })}>
          {t('till.ok')}
        </button>
      </div>
    </main>
  );
}
