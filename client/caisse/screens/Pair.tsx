import { useEffect, useState } from 'preact/hooks';
import { till, t, errorText } from '../ui.tsx';

/** The code the back office's QR code carried through the enrolment page (`/caisse/?pair=CODE`). */
export function pairingCodeFromUrl(): string {
  const code = new URLSearchParams(location.search).get('pair');
  if (code) history.replaceState(null, '', location.pathname);
  return /^[A-Z0-9]{8}$/.test(code ?? '') ? code! : '';
}

export function PairScreen() {
  const [code, setCode] = useState(pairingCodeFromUrl);
  const [error, setError] = useState('');
  const pair = async (c: string) => {
    setError('');
    try {
      await till.pair(c);
    } catch (err) {
      setError(errorText(err));
    }
  };
  // Arrived from the back office's QR code through the enrolment page: the code came along, pair at once.
  useEffect(() => {
    if (code) void pair(code);
  }, []);
  return (
    <main class="center">
      <form
        class="card"
        onSubmit={(e) => {
          e.preventDefault();
          void pair(code);
        }}
      >
        <h1>{t('till.pair.title')}</h1>
        <p>{t('till.pair.help')}</p>
        {/* Its name seen, not only heard (a newcomer saw an empty box under the explanation). */}
        <label>
          {t('till.pair.code')}
          <input
            class="big-input"
            name="code"
            value={code}
            onInput={(e) => setCode((e.target as HTMLInputElement).value.toUpperCase())}
            maxLength={8}
            autoFocus
            autocomplete="off"
          />
        </label>
        {error && (
          <p class="error" role="alert">
            {error}
          </p>
        )}
        <button class="primary big" type="submit">
          {t('till.pair.submit')}
        </button>
      </form>
    </main>
  );
}
