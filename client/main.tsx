import './zod-config.ts';
import { keyboardScrollables } from './focus.ts';
import { render } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import type { Lang, MessageKey } from '../shared/i18n/index.ts';
import { translatorFor, type T } from './i18n.ts';
import { settlementApi, type InvitationView } from '../shared/api/settlement.ts';
import { ApiError, call } from './api.ts';
import { authApi, type MeView } from '../shared/api/auth.ts';
import { settingsApi, type PublicShop } from '../shared/api/settings.ts';
import { sitesApi } from '../shared/api/sites.ts';
import { Portal } from './portal/Portal.tsx';
import { BackOffice } from './backoffice/BackOffice.tsx';
import { insecure, insecureAcknowledged, InsecureNotice } from './insecure.tsx';
import './style.css';

type Shop = PublicShop;
type Me = MeView;

const invitationToken = () => /^\/invitation\/([A-Za-z0-9_-]{43})$/.exec(location.pathname)?.[1] ?? null;

function App() {
  const [lang, setLang] = useState<Lang>((localStorage.getItem('lang') as Lang) ?? 'fr');
  const t = translatorFor(lang);
  const [shop, setShop] = useState<Shop | null>(null);
  const [me, setMe] = useState<Me | null | undefined>(undefined);
  const [error, setError] = useState('');
  const token = invitationToken();
  const [insecureAck, setInsecureAck] = useState(!insecure() || insecureAcknowledged());

  useEffect(() => {
    call(settingsApi.shop)
      .then(setShop)
      .catch(() => setError(t('error.network')));
    call(authApi.me)
      .then(setMe)
      .catch(() => setMe(null));
  }, []);
  // A manager tied to a site works there only: the header names it beside the network's name.
  const [siteName, setSiteName] = useState('');
  const tiedTo = me?.user.siteId ?? null;
  useEffect(() => {
    setSiteName('');
    if (tiedTo === null) return;
    // A late answer for the last person logged in here is dropped.
    let current = true;
    call(sitesApi.list)
      .then((sites) => current && setSiteName(sites.find((s) => s.id === tiedTo)?.name ?? ''))
      .catch(() => undefined);
    return () => {
      current = false;
    };
  }, [tiedTo]);
  useEffect(() => {
    document.documentElement.lang = lang;
    localStorage.setItem('lang', lang);
  }, [lang]);

  async function login(e: Event) {
    e.preventDefault();
    const form = new FormData(e.target as HTMLFormElement);
    setError('');
    try {
      await call(authApi.login, { body: { login: String(form.get('login') ?? ''), password: String(form.get('password') ?? '') } });
      setMe(await call(authApi.me));
    } catch (err) {
      setError(err instanceof ApiError && err.status < 500 ? err.message : t('error.network'));
    }
  }
  async function logout() {
    await call(authApi.logout);
    setMe(null);
  }

  const role = me?.user.role;
  if (!insecureAck) return <InsecureNotice t={t} next="/" onContinue={() => setInsecureAck(true)} />;
  return (
    <div class="page">
      {shop?.demo && (
        <div class="demo-banner" role="status">
          {t('app.demo')}
        </div>
      )}
      {insecure() && (
        <div class="limited-banner" role="status">
          {t('insecure.limited')}
        </div>
      )}
      <header>
        <h1>
          {shop?.name ?? t('app.title')}
          {siteName && <span class="site-name"> — {siteName}</span>}
        </h1>
        <div class="header-actions">
          <button class="link" onClick={() => setLang(lang === 'fr' ? 'en' : 'fr')}>
            {t('lang.switch')}
          </button>
          {me && (
            <button class="link" onClick={logout}>
              {t('home.logout')}
            </button>
          )}
        </div>
      </header>
      {token && !me ? (
        <Invitation
          t={t}
          token={token}
          onDone={async () => {
            history.replaceState(null, '', '/');
            setMe(await call(authApi.me));
          }}
        />
      ) : me === undefined ? null : me ? (
        role === 'producer' && me.user.producerId !== null ? (
          <main class="wide">
            <h2 class="hello">{t('home.hello', { name: me.user.displayName })}</h2>
            <Portal t={t} producerId={me.user.producerId} lang={lang} />
          </main>
        ) : role === 'admin' || role === 'manager' ? (
          <main class="wide bo">
            <h2 class="hello">{t('home.hello', { name: me.user.displayName })}</h2>
            <BackOffice t={t} lang={lang} admin={role === 'admin'} network={(me.user.siteId ?? null) === null} />
          </main>
        ) : (
          <main class="card">
            <h2>{t('home.hello', { name: me.user.displayName })}</h2>
            <p>{t('home.role', { role: t(`role.${me.user.role}` as MessageKey) })}</p>
            <p>{t('home.next')}</p>
          </main>
        )
      ) : (
        <main class="card">
          <h2>{t('login.title')}</h2>
          <form onSubmit={login}>
            <label>
              {t('login.login')}
              <input name="login" autocomplete="username" required />
            </label>
            <label>
              {t('login.password')}
              <input name="password" type="password" autocomplete="current-password" required />
            </label>
            {error && (
              <p class="error" role="alert">
                {error}
              </p>
            )}
            <button type="submit">{t('login.submit')}</button>
          </form>
        </main>
      )}
    </div>
  );
}

/** The page a producer's invitation link opens: choose a password, then straight into the portal. */
function Invitation({ t, token, onDone }: { t: T; token: string; onDone: () => void }) {
  const [info, setInfo] = useState<InvitationView | null | undefined>(undefined);
  const [error, setError] = useState('');
  useEffect(() => {
    call(settlementApi.invitation, { params: { token } })
      .then(setInfo)
      .catch(() => setInfo(null));
  }, [token]);
  async function submit(e: Event) {
    e.preventDefault();
    setError('');
    try {
      await call(settlementApi.acceptInvitation, {
        params: { token },
        body: { password: String(new FormData(e.target as HTMLFormElement).get('password')) },
      });
      onDone();
    } catch (err) {
      setError(err instanceof ApiError ? err.message : t('error.network'));
    }
  }
  if (info === undefined) return null;
  if (info === null)
    return (
      <main class="card">
        <p class="error" role="alert">
          {t('invite.invalid')}
        </p>
      </main>
    );
  return (
    <main class="card">
      <h2>{t('invite.title', { name: info.producerName })}</h2>
      <p>{t('invite.explain', { login: info.login })}</p>
      <form onSubmit={submit}>
        <input type="text" name="username" autocomplete="username" value={info.login} hidden readOnly />
        <label>
          {t('invite.password')}
          <input name="password" type="password" autocomplete="new-password" minLength={10} required />
        </label>
        {error && (
          <p class="error" role="alert">
            {error}
          </p>
        )}
        <button type="submit">{t('invite.submit')}</button>
      </form>
    </main>
  );
}

render(<App />, document.getElementById('app')!);
keyboardScrollables(document.getElementById('app')!);
