import type { ComponentChildren } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import { insecure, insecureAcknowledged, InsecureNotice } from '../insecure.tsx';
import { DoneScreen } from './screens/Done.tsx';
import { DrawerScreen } from './screens/Drawer.tsx';
import { LockScreen } from './screens/Lock.tsx';
import { PairScreen } from './screens/Pair.tsx';
import { PayScreen } from './screens/Pay.tsx';
import { PrintsScreen } from './screens/Prints.tsx';
import { RefusedScreen } from './screens/Refused.tsx';
import { ReplacedScreen } from './screens/Replaced.tsx';
import { StatusBar } from './screens/StatusBar.tsx';
import { salesBlocked, type TillState } from './till.ts';
import { day as formatDay } from '../format.ts';
import { lang, t, till } from './ui.tsx';

/**
 * What every app built on the till shows around its own screens (the till at `/caisse/`, the waiter's phone
 * at `/salle/`): the plain-HTTP notice, the status bar, pairing, the PIN lock, paying and the receipt
 * question, the refused tickets, a replaced tablet, the prints to check; the idle lock. `screens` draws the
 * app's own screens (selling, a refund, the floor…), or nothing for a screen it does not know.
 */
export function TillShell({ s, page, app, screens }: { s: TillState; page: string; app: string; screens: ComponentChildren }) {
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
  if (!insecureAck) return <InsecureNotice t={t} next={page} onContinue={() => setInsecureAck(true)} />;
  return (
    <div class={`till ${app} screen-${s.screen}`}>
      {insecure() && (
        <div class="limited-banner" role="status">
          {t('insecure.limited')}
        </div>
      )}
      <StatusBar s={s} drawer={app === 'caisse'} />
      {s.day?.todayClosed && s.screen !== 'pair' && (
        // Said on every screen while it lasts: a ticket rung now counts on another day than the date shown.
        <div class="banner day-closed" role="status" data-testid="day-closed">
          {t('till.day.closedBanner', {
            day: formatDay(s.day.today, lang, { dateStyle: 'long' }),
            next: formatDay(s.day.salesDay, lang, { dateStyle: 'long' }),
          })}
        </div>
      )}
      {s.day?.missedZ && s.screen !== 'pair' && (
        // From the morning after a day left without its Z; past its end + 24 h no new sale (server/closing/missed-z.ts).
        <div class="banner missed-z" role="alert" data-testid="missed-z">
          {t('till.day.missedZ', { day: formatDay(s.day.missedZ.day, lang, { day: 'numeric', month: 'long' }) })}
          {salesBlocked(s.day) && <strong> {t('till.day.missedZBlocked')}</strong>}
        </div>
      )}
      {app === 'caisse' && s.screen === 'sell' && s.day && s.day.floatCents === null && s.floatSkipped !== s.day.salesDay && (
        <div class="banner info float-ask" data-testid="float-ask">
          <span>{t('till.drawer.floatAsk', { day: formatDay(s.day.salesDay, lang, { dateStyle: 'long' }) })}</span>
          <button type="button" class="primary" onClick={() => till.openDrawer('float')}>
            {t('till.drawer.floatCount')}
          </button>
          <button type="button" onClick={() => till.skipFloat()}>
            {t('till.drawer.skip')}
          </button>
        </div>
      )}
      {s.screen === 'boot' && (
        <main class="center">
          <p>{t('till.catalog.loading')}</p>
        </main>
      )}
      {s.screen === 'pair' && <PairScreen />}
      {s.screen === 'lock' && <LockScreen s={s} />}
      {screens}
      {s.screen === 'pay' && <PayScreen s={s} />}
      {s.screen === 'done' && s.finished && <DoneScreen s={s} />}
      {s.screen === 'refused' && <RefusedScreen s={s} />}
      {s.screen === 'replaced' && <ReplacedScreen s={s} />}
      {s.screen === 'prints' && <PrintsScreen s={s} />}
      {s.screen === 'drawer' && s.user && <DrawerScreen s={s} />}
    </div>
  );
}
