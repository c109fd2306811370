import { useState } from 'preact/hooks';
import { type MessageKey } from '../../../shared/i18n/index.ts';
import { ApiError } from '../../api.ts';
import { type TillState } from '../till.ts';
import { till, t, useLive, useKeys, errorText, Keypad } from '../ui.tsx';

export function LockScreen({ s }: { s: TillState }) {
  const [who, setWho, whoRef] = useLive<number | null>(s.user?.id ?? null);
  const [pin, setPin, pinRef] = useLive('');
  const [error, setError] = useState('');
  const staff = s.device?.staff ?? [];
  const submit = async () => {
    const p = pinRef.current;
    const who = whoRef.current;
    if (who === null || p.length < 4) return;
    setError('');
    try {
      await till.login(who, p);
    } catch (e) {
      setPin('');
      setError(e instanceof ApiError && e.message === 'offline-pin' ? t('till.lock.offlinePin') : errorText(e));
    }
  };
  useKeys((e: KeyboardEvent) => {
    if (whoRef.current === null) return;
    if (/^\d$/.test(e.key)) setPin((p) => (p + e.key).slice(0, 8));
    else if (e.key === 'Backspace') setPin((p) => p.slice(0, -1));
    else if (e.key === 'Enter') void submit();
    else if (e.key === 'Escape') setWho(null);
    else return;
    // Not also a click on the focused button.
    e.preventDefault();
  });
  return (
    <main class="lock">
      <section class="staff" aria-label={t('till.lock.who')}>
        <h1>{t('till.lock.who')}</h1>
        <div class="staff-grid">
          {staff.map((m) => (
            <button
              key={m.id}
              class={m.id === who ? 'staff-tile selected' : 'staff-tile'}
              onClick={() => {
                setWho(m.id);
                setPin('');
                setError('');
              }}
            >
              {m.displayName}
              <small>{t(`role.${m.role}` as MessageKey)}</small>
            </button>
          ))}
        </div>
      </section>
      {who !== null && (
        <section class="pin">
          <h2>{t('till.lock.pin')}</h2>
          <div class="pin-dots" data-testid="pin-dots">
            {'●'.repeat(pin.length) || ' '}
          </div>
          <Keypad onKey={(k) => setPin((p) => (k === 'C' ? '' : k === '⌫' ? p.slice(0, -1) : (p + k).slice(0, 8)))} />
          {error && (
            <p class="error" role="alert">
              {error}
            </p>
          )}
          <button class="primary big" onClick={() => submit()}>
            {t('till.lock.enter')}
          </button>
        </section>
      )}
    </main>
  );
}
