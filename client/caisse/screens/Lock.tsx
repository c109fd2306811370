import { useEffect, useRef, useState } from 'preact/hooks';
import { type MessageKey } from '../../../shared/i18n/index.ts';
import { ApiError } from '../../api.ts';
import { type TillState } from '../till.ts';
import { till, t, useLive, useKeys, errorText, Keypad } from '../ui.tsx';

export function LockScreen({ s }: { s: TillState }) {
  const [who, setWho, whoRef] = useLive<number | null>(s.user?.id ?? null);
  const [pin, setPin, pinRef] = useLive('');
  const [error, setError] = useState('');
  const staff = s.device?.staff ?? [];
  // The PIN is typed into its own field: picking a person (by touch, or Enter on their tile) moves the
  // focus there, so Enter submits the PIN and never presses the tile again.
  const pinField = useRef<HTMLInputElement>(null);
  useEffect(() => {
    if (who !== null) pinField.current?.focus();
  }, [who]);
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
    if (whoRef.current === null || (e.target === pinField.current && e.key !== 'Escape')) return;
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
              aria-pressed={m.id === who}
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
        <form
          class="pin"
          onSubmit={(e) => {
            e.preventDefault();
            void submit();
          }}
        >
          <h2>
            <label for="till-pin">{t('till.lock.pin')}</label>
          </h2>
          <input
            id="till-pin"
            ref={pinField}
            class="pin-dots"
            data-testid="pin-dots"
            type="password"
            inputMode="numeric"
            autocomplete="off"
            maxLength={8}
            value={pin}
            onInput={(e) => {
              const field = e.target as HTMLInputElement;
              const digits = field.value.replace(/\D/g, '').slice(0, 8);
              if (field.value !== digits) field.value = digits;
              setPin(digits);
            }}
          />
          <Keypad onKey={(k) => setPin((p) => (k === 'C' ? '' : k === '⌫' ? p.slice(0, -1) : (p + k).slice(0, 8)))} />
          {error && (
            <p class="error" role="alert">
              {error}
            </p>
          )}
          <button type="submit" class="primary big">
            {t('till.lock.enter')}
          </button>
        </form>
      )}
    </main>
  );
}
