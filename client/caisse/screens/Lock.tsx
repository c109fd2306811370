import { useEffect, useLayoutEffect, useRef, useState } from 'preact/hooks';
import type { TillMessageKey as MessageKey } from '../../../shared/i18n/till.ts';
import { ApiError } from '../../api.ts';
import { focusIfLost } from '../../focus.ts';
import { moment } from '../../format.ts';
import { type TillState } from '../till.ts';
import { till, t, lang, useLive, useKeys, errorText, Keypad } from '../ui.tsx';

export function LockScreen({ s }: { s: TillState }) {
  const [who, setWho, whoRef] = useLive<number | null>(s.user?.id ?? null);
  const [pin, setPin, pinRef] = useLive('');
  const [error, setError] = useState('');
  const [notice, setNotice] = useState('');
  const staff = s.device?.staff ?? [];
  // The restaurant's phones and tills are held by whoever is on duty; the shop's by its cashier.
  const whoKey = s.device?.outlet === 'restaurant' ? 'till.lock.whoOnDuty' : 'till.lock.who';
  // Locks end on their own: redraw each 15 s so a badge goes when its time is up.
  const [now, setNow] = useState(Date.now());
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), 15_000);
    return () => clearInterval(timer);
  }, []);
  const lockedUntil = (id: number | null) => {
    const until = staff.find((m) => m.id === id)?.lockedUntil;
    return until && Date.parse(until) > now ? until : null;
  };
  const time = (iso: string) => moment(iso, lang, { timeStyle: 'short' });
  const deviceLock = s.device?.pinLockedUntil && Date.parse(s.device.pinLockedUntil) > now ? s.device.pinLockedUntil : null;
  // A locked person picked: the PIN typed is a manager's, to unlock them.
  const unlocking = lockedUntil(who) !== null;
  // The PIN is typed into its own field: picking a person (by touch, or Enter on their tile) moves the
  // focus there, so Enter submits the PIN and never presses the tile again. In the render's own task, not
  // after the paint: a digit typed at once lands in the field, not on the tile.
  const pinField = useRef<HTMLInputElement>(null);
  // Nobody picked yet (a tablet just paired, or locked): the keyboard starts on the first person's tile, not on
  // the page's body (found by a walk).
  const firstTile = useRef<HTMLButtonElement>(null);
  useEffect(() => {
    if (whoRef.current === null) focusIfLost(firstTile.current);
  }, [staff.length]);
  useLayoutEffect(() => {
    if (who !== null) pinField.current?.focus();
  }, [who]);
  const submit = async () => {
    const p = pinRef.current;
    const who = whoRef.current;
    if (who === null || p.length < 4) return;
    setError('');
    setNotice('');
    if (lockedUntil(who)) {
      try {
        const res = await till.unlock(who, p);
        setPin('');
        setNotice(t('till.lock.unlocked', { name: res.user.displayName, manager: res.unlockedBy.displayName }));
      } catch (e) {
        setPin('');
        setError(errorText(e));
      }
      return;
    }
    try {
      await till.login(who, p);
    } catch (e) {
      setPin('');
      setError(e instanceof ApiError && e.message === 'offline-pin' ? t('till.lock.offlinePin') : errorText(e));
      // A refusal may have locked the person or slowed the tablet: the tiles say it.
      if (e instanceof ApiError && e.status === 429) void till.refreshDevice();
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
      <section class="staff" aria-label={t(whoKey)}>
        <h1>{t(whoKey)}</h1>
        {deviceLock && (
          <p class="error" role="alert">
            {t('till.lock.deviceLocked', { time: moment(deviceLock, lang, { timeStyle: 'medium' }) })}
          </p>
        )}
        <div class="staff-grid">
          {staff.map((m, i) => (
            <button
              key={m.id}
              ref={i === 0 ? firstTile : undefined}
              class={m.id === who ? 'staff-tile selected' : 'staff-tile'}
              aria-pressed={m.id === who}
              onClick={() => {
                setWho(m.id);
                setPin('');
                setError('');
                setNotice('');
                // Locked or unlocked from another tablet or the back office meanwhile: asked again.
                void till.refreshDevice();
              }}
            >
              {m.displayName}
              <small>{t(`role.${m.role}` as MessageKey)}</small>
              {lockedUntil(m.id) && (
                <span class="lock-badge" data-testid="lock-badge">
                  {t('till.lock.lockedBadge', { time: time(lockedUntil(m.id)!) })}
                </span>
              )}
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
          {unlocking && (
            <p class="lock-note" role="status">
              {t('till.lock.personLocked', {
                name: staff.find((m) => m.id === who)?.displayName ?? '',
                time: time(lockedUntil(who)!),
              })}
            </p>
          )}
          {notice && (
            <p class="ok" role="status">
              {notice}
            </p>
          )}
          <h2>
            <label for="till-pin">{t(unlocking ? 'till.lock.managerPin' : 'till.lock.pin')}</label>
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
            {unlocking
              ? t('till.lock.unlock', { name: staff.find((m) => m.id === who)?.displayName ?? '' })
              : t(s.device?.outlet === 'restaurant' ? 'till.lock.enterOnDuty' : 'till.lock.enter')}
          </button>
        </form>
      )}
    </main>
  );
}
