import { render } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import { insecure, insecureAcknowledged, InsecureNotice } from '../insecure.tsx';
import '../caisse/style.css';
import './style.css';
import { DoneScreen } from '../caisse/screens/Done.tsx';
import { LockScreen } from '../caisse/screens/Lock.tsx';
import { PairScreen } from '../caisse/screens/Pair.tsx';
import { PayScreen } from '../caisse/screens/Pay.tsx';
import { PrintsScreen } from '../caisse/screens/Prints.tsx';
import { RefusedScreen } from '../caisse/screens/Refused.tsx';
import { ReplacedScreen } from '../caisse/screens/Replaced.tsx';
import { StatusBar } from '../caisse/screens/StatusBar.tsx';
import { till, lang, t, useTill } from '../caisse/ui.tsx';
import { BillScreen } from './Bill.tsx';
import { FloorScreen } from './Floor.tsx';
import { OrderScreen, TableChooser } from './Order.tsx';
import { salle, useSalle } from './ui.tsx';

/**
 * The waiter's app (`/salle/`, a phone or the tablet): the till's pairing, PIN, payment and outbox, and the
 * restaurant's own screens — the floor, an order, the bill — drawn from `salle.ts`.
 */
function App() {
  const s = useTill(true);
  const r = useSalle();
  const [insecureAck, setInsecureAck] = useState(!insecure() || insecureAcknowledged());
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
  // Logged in (or back online): the floor and open orders.
  useEffect(() => {
    if (s.screen === 'sell') void salle.load().catch(() => undefined);
  }, [s.screen === 'sell', s.user?.id]);
  if (!insecureAck) return <InsecureNotice t={t} next="/salle/" onContinue={() => setInsecureAck(true)} />;
  const view = r.view;
  return (
    <div class={`till salle screen-${s.screen}`}>
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
      {s.screen === 'sell' && view.kind === 'floor' && <FloorScreen s={s} r={r} />}
      {s.screen === 'sell' && view.kind === 'order' && <OrderScreen s={s} r={r} orderId={view.orderId} />}
      {s.screen === 'sell' && view.kind === 'bill' && <BillScreen s={s} r={r} orderId={view.orderId} />}
      {s.screen === 'sell' && view.kind === 'table' && <TableChooser r={r} view={view} />}
      {s.screen === 'pay' && <PayScreen s={s} />}
      {s.screen === 'done' && s.finished && <DoneScreen s={s} />}
      {s.screen === 'refused' && <RefusedScreen s={s} />}
      {s.screen === 'replaced' && <ReplacedScreen s={s} />}
      {s.screen === 'prints' && <PrintsScreen s={s} />}
    </div>
  );
}

render(<App />, document.getElementById('app')!);
void till.boot();
if ('serviceWorker' in navigator) void navigator.serviceWorker.register('/salle/sw.js', { scope: '/salle/' }).catch(() => undefined);
