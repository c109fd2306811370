import type { TillMessageKey as MessageKey } from '../../../shared/i18n/till.ts';
import { type TillState } from '../till.ts';
import { till, lang, t, setLang } from '../ui.tsx';

/** `drawer`: the till's own drawer can be opened from here (the shop's till, not the waiter's phone). */
export function StatusBar({ s, drawer = false }: { s: TillState; drawer?: boolean }) {
  const o = s.outbox;
  return (
    <header class="status">
      <span class="till-name">{s.device?.name ?? 'Comptoir'}</span>
      {s.device?.trainingMode && <span class="badge training">{t('till.training')}</span>}
      <span class={o.online ? 'badge ok' : 'badge off'} data-testid="network">
        {o.online ? t('till.online') : t('till.offline')}
      </span>
      {o.waiting > 0 && (
        <span class="badge warn" data-testid="waiting">
          {t('till.waiting', { n: o.waiting })}
        </span>
      )}
      {o.opsWaiting > 0 && (
        <span class="badge warn" data-testid="waiting-ops">
          {t('till.waitingOps', { n: o.opsWaiting })}
        </span>
      )}
      {o.otherWaiting > 0 && (
        <span class="badge" data-testid="waiting-other">
          {t('till.waitingOther', { n: o.otherWaiting })}
        </span>
      )}
      {o.refused > 0 && (
        <button class="badge off" data-testid="refused" onClick={() => s.user && till.set({ screen: 'refused' })}>
          {t('till.refused', { n: o.refused })}
        </button>
      )}
      {s.device?.printerId != null && (
        <span
          class={s.printer && s.printer.state !== 'ready' && s.printer.state !== 'unknown' ? 'badge off' : 'badge'}
          data-testid="printer"
          title={s.printer?.lastError ?? ''}
        >
          {s.printer
            ? t('till.printer', {
                state: t((s.printer.state === 'unknown' ? 'till.printer.state-unknown' : `till.printer.${s.printer.state}`) as MessageKey),
                n: s.printer.waiting,
              })
            : t('till.printer.unknown')}
        </span>
      )}
      {(s.printer?.attention ?? 0) > 0 && (
        <button class="badge off" data-testid="print-attention" onClick={() => s.user && till.set({ screen: 'prints' })}>
          {t('till.printer.attention', { n: s.printer!.attention })}
        </button>
      )}
      <span class="spacer" />
      {s.user && <span class="cashier">{s.user.displayName}</span>}
      <button
        class="link"
        onClick={() => {
          setLang(lang === 'fr' ? 'en' : 'fr');
          till.set({});
        }}
      >
        {t('lang.switch')}
      </button>
      {drawer && s.user && s.screen === 'sell' && (
        <button class="link" data-testid="open-drawer" onClick={() => till.openDrawer(s.day?.floatCents === null ? 'float' : 'out')}>
          {t('till.drawer.open')}
        </button>
      )}
      {s.user && s.screen !== 'lock' && (
        <button class="link" onClick={() => till.lock()}>
          {t('till.lock')}
        </button>
      )}
    </header>
  );
}
