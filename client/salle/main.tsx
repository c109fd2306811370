import '../zod-config.ts';
import { render } from 'preact';
import { useEffect } from 'preact/hooks';
import '../caisse/style.css';
import './style.css';
import { TillShell } from '../caisse/Shell.tsx';
import { till, useTill } from '../caisse/ui.tsx';
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
  // Logged in (or back online): the floor and open orders.
  useEffect(() => {
    if (s.screen === 'sell') void salle.load().catch(() => undefined);
  }, [s.screen === 'sell', s.user?.id]);
  const view = r.view;
  return (
    <TillShell
      s={s}
      page="/salle/"
      app="salle"
      screens={
        s.screen === 'sell' && (
          <>
            {view.kind === 'floor' && <FloorScreen s={s} r={r} />}
            {view.kind === 'order' && <OrderScreen s={s} r={r} orderId={view.orderId} />}
            {view.kind === 'bill' && <BillScreen s={s} r={r} orderId={view.orderId} />}
            {view.kind === 'table' && <TableChooser r={r} view={view} />}
          </>
        )
      }
    />
  );
}

render(<App />, document.getElementById('app')!);
void till.boot();
if ('serviceWorker' in navigator) void navigator.serviceWorker.register('/salle/sw.js', { scope: '/salle/' }).catch(() => undefined);
