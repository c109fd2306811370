import './insecure.css';
import { useEffect, useState } from 'preact/hooks';
import type { TillMessageKey as MessageKey } from '../shared/i18n/till.ts';

type T = (key: MessageKey, vars?: Record<string, string | number>) => string;

/**
 * Browsers keep WebCrypto, service workers and the clipboard for secure contexts (HTTPS, or `localhost`).
 * A tablet that opened a plain `http://` address on the shop's network gets this message instead of a
 * TypeError: why, the HTTPS address, and the enrolment page (QR code) to trust the shop's certificate.
 */
export const insecure = () => typeof window !== 'undefined' && !window.isSecureContext;

const ACK_KEY = 'comptoir.insecure-ack';
/** The person chose to go on in limited mode for this tab. */
export const insecureAcknowledged = () => sessionStorage.getItem(ACK_KEY) === '1';

interface EnrolInfo {
  https: boolean;
  httpsOrigin: string | null;
  enrolUrl: string;
}

export function InsecureNotice({ t, next, onContinue }: { t: T; next: string; onContinue: () => void }) {
  const [info, setInfo] = useState<EnrolInfo | null>(null);
  useEffect(() => {
    fetch(`/enrol/info.json?next=${encodeURIComponent(next)}`, { cache: 'no-store' })
      .then((r) => (r.ok ? (r.json() as Promise<EnrolInfo>) : null))
      .then(setInfo)
      .catch(() => setInfo(null));
  }, [next]);
  const httpsUrl = info?.httpsOrigin
    ? info.httpsOrigin + location.pathname + location.search
    : `https://${location.host}${location.pathname}${location.search}`;
  const enrolUrl = info?.enrolUrl ?? `http://${location.host}/enrol?next=${encodeURIComponent(next)}`;
  return (
    <main class="insecure" data-testid="insecure">
      <div class="insecure-card" role="alert">
        <h1>{t('insecure.title')}</h1>
        <p>{t('insecure.why')}</p>
        {info && !info.https ? (
          <p>{t('insecure.httpsOff')}</p>
        ) : (
          <>
            <p>
              <a class="button primary" href={httpsUrl}>
                {t('insecure.open')}
              </a>
            </p>
            <p class="insecure-url">{httpsUrl}</p>
            <div class="insecure-enrol">
              <img src={`/enrol/qr.svg?next=${encodeURIComponent(next)}`} width={160} height={160} alt={enrolUrl} />
              <p>{t('insecure.enrol', { url: enrolUrl })}</p>
            </div>
          </>
        )}
        <p>
          <button
            class="link"
            onClick={() => {
              sessionStorage.setItem(ACK_KEY, '1');
              onContinue();
            }}
          >
            {t('insecure.continue')}
          </button>
        </p>
      </div>
    </main>
  );
}
