import '../zod-config.ts';
import { render } from 'preact';
import './style.css';
import { TillShell } from './Shell.tsx';
import { RefundScreen } from './screens/Refund.tsx';
import { SellScreen } from './screens/Sell.tsx';
import { till, useTill } from './ui.tsx';

/**
 * The till: one screen at a time (`screens/`), drawn from the state `till.ts` keeps (pairing, PIN, cart,
 * the numbered outbox, live updates); shared helpers and hooks in `ui.tsx`, the screens every app built on
 * the till shares in `Shell.tsx`.
 */
function App() {
  const s = useTill(true);
  return (
    <TillShell
      s={s}
      page="/caisse/"
      app="caisse"
      screens={
        <>
          {s.screen === 'sell' && <SellScreen s={s} />}
          {s.screen === 'refund' && <RefundScreen s={s} />}
        </>
      }
    />
  );
}

render(<App />, document.getElementById('app')!);
void till.boot();
if ('serviceWorker' in navigator) void navigator.serviceWorker.register('/caisse/sw.js', { scope: '/caisse/' }).catch(() => undefined);
