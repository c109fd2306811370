import { render } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import { translate, type Lang, type MessageKey } from '../shared/i18n/index.ts';
import { api, ApiError } from './api.ts';
import './style.css';

interface Shop { name: string; city: string; demo: boolean }
interface Me { user: { id: number; role: string; displayName: string } }

function App() {
  const [lang, setLang] = useState<Lang>((localStorage.getItem('lang') as Lang) ?? 'fr');
  const t = (key: MessageKey, vars?: Record<string, string | number>) => translate(lang, key, vars);
  const [shop, setShop] = useState<Shop | null>(null);
  const [me, setMe] = useState<Me | null | undefined>(undefined);
  const [error, setError] = useState('');

  useEffect(() => {
    api<Shop>('GET', '/api/shop').then(setShop).catch(() => setError(t('error.network')));
    api<Me>('GET', '/api/auth/me').then(setMe).catch(() => setMe(null));
  }, []);
  useEffect(() => {
    document.documentElement.lang = lang;
    localStorage.setItem('lang', lang);
  }, [lang]);

  async function login(e: Event) {
    e.preventDefault();
    const form = new FormData(e.target as HTMLFormElement);
    setError('');
    try {
      await api('POST', '/api/auth/login', { login: form.get('login'), password: form.get('password') });
      setMe(await api<Me>('GET', '/api/auth/me'));
    } catch (err) {
      setError(err instanceof ApiError && err.status < 500 ? err.message : t('error.network'));
    }
  }

  return (
    <div class="page">
      {shop?.demo && <div class="demo-banner" role="status">{t('app.demo')}</div>}
      <header>
        <h1>{shop?.name ?? t('app.title')}</h1>
        <button class="link" onClick={() => setLang(lang === 'fr' ? 'en' : 'fr')}>{t('lang.switch')}</button>
      </header>
      {me === undefined ? null : me ? (
        <main class="card">
          <h2>{t('home.hello', { name: me.user.displayName })}</h2>
          <p>{t('home.role', { role: t(`role.${me.user.role}` as MessageKey) })}</p>
          <p>{t('home.next')}</p>
          <button onClick={async () => { await api('POST', '/api/auth/logout'); setMe(null); }}>{t('home.logout')}</button>
        </main>
      ) : (
        <main class="card">
          <h2>{t('login.title')}</h2>
          <form onSubmit={login}>
            <label>{t('login.login')}<input name="login" autocomplete="username" required /></label>
            <label>{t('login.password')}<input name="password" type="password" autocomplete="current-password" required /></label>
            {error && <p class="error" role="alert">{error}</p>}
            <button type="submit">{t('login.submit')}</button>
          </form>
        </main>
      )}
    </div>
  );
}

render(<App />, document.getElementById('app')!);
