import { render } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import { insecure, insecureAcknowledged, InsecureNotice } from '../insecure.tsx';
import './style.css';
import { DoneScreen } from './screens/Done.tsx';
import { LockScreen } from './screens/Lock.tsx';
import { PairScreen } from './screens/Pair.tsx';
import { PayScreen } from './screens/Pay.tsx';
import { PrintsScreen } from './screens/Prints.tsx';
import { RefundScreen } from './screens/Refund.tsx';
import { RefusedScreen } from './screens/Refused.tsx';
import { ReplacedScreen } from './screens/Replaced.tsx';
import { SellScreen } from './screens/Sell.tsx';
import { StatusBar } from './screens/StatusBar.tsx';
import { till, lang, t, useTill } from './ui.tsx';

/**
 * The till: one screen at a time (`screens/`), drawn from the state `till.ts` keeps (pairing, PIN, cart,
 * the numbered outbox, live updates); shared helpers and hooks in `ui.tsx`.
 */
function App() {
  const s = useTill(true);
  const [insecureAck, setInsecureAck] = useState(!insecure() || insecureAcknowledged());
  // Only when it changes: setting it, even to the same value, makes the browser restyle the whole page.
  if (document.documentElement.lang !== lang) document.documentElement.lang = lang;
  useEffect(() => {
    const idle = setInterval(() => till.checkIdle(), 5000);
    const touch = () => till.touch();
    window.addEventListener('pointerdown', touch);
    return () => {
      clearInterval(idle);
      window.removeEventListener('pointerdown', touch);
    };
  }, []);
  if (!insecureAck) return <InsecureNotice t={t} next="/caisse/" onContinue={() => setInsecureAck(true)} />;
  return (
    <div class={`till screen-${s.screen}`}>
      {insecure() && (
        <div class="limited-banner" role="status">
          {t('insecure.limited')}
        </div>
      )}
      <StatusBar s={s} />
      {s.screen === 'boot' && (
        <main class="center">
          <p>{t('till.catalog.loading')}</p>
        </main>
      )}
      {s.screen === 'pair' && <PairScreen />}
      {s.screen === 'lock' && <LockScreen s={s} />}
      {s.screen === 'sell' && <SellScreen s={s} />}
      {s.screen === 'pay' && <PayScreen s={s} />}
      {s.screen === 'done' && s.finished && <DoneScreen s={s} />}
      {s.screen === 'refund' && <RefundScreen s={s} />}
      {s.screen === 'refused' && <RefusedScreen s={s} />}
      {s.screen === 'replaced' && <ReplacedScreen s={s} />}
      {s.screen === 'prints' && <PrintsScreen s={s} />}
    </div>
  );
}

render(<App />, document.getElementById('app')!);
void till.boot();
if ('serviceWorker' in navigator) void navigator.serviceWorker.register('/caisse/sw.js', { scope: '/caisse/' }).catch(() => undefined);
