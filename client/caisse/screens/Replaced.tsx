import { type TillState } from '../till.ts';
import { till, t } from '../ui.tsx';

/** Another tablet holds this till now: this one sends what it kept, then can be paired again. */
export function ReplacedScreen({ s }: { s: TillState }) {
  const o = s.outbox;
  return (
    <main class="center">
      <div class="card" data-testid="replaced">
        <h1>{t('till.replaced.title')}</h1>
        <p>{t('till.replaced.body', { till: s.device?.name ?? '' })}</p>
        {o.waiting + o.otherWaiting + o.opsWaiting > 0 ? (
          <>
            <p role="status">{t('till.replaced.sending', { n: o.waiting })}</p>
            {(o.needsLogin || !s.user) && (
              <>
                <p>{t('till.replaced.login')}</p>
                <button class="primary big" onClick={() => till.set({ screen: 'lock' })}>
                  {t('till.replaced.pinToSend')}
                </button>
              </>
            )}
          </>
        ) : (
          <>
            <p role="status" data-testid="replaced-done">
              {t('till.replaced.done')}
            </p>
            {o.refused > 0 && (
              <button class="big" onClick={() => till.set({ screen: 'refused' })}>
                {t('till.refused', { n: o.refused })}
              </button>
            )}
            <button class="big" onClick={() => till.pairAgain()}>
              {t('till.replaced.pairAgain')}
            </button>
          </>
        )}
      </div>
    </main>
  );
}
