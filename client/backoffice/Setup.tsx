import { OUTLET_CODES } from '../../shared/api/common.ts';
import { Fragment, type ComponentChildren } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import type { Lang, MessageKey } from '../../shared/i18n/index.ts';
import type { z } from 'zod';
import { usersApi, type UserView as User } from '../../shared/api/admin.ts';
import { printingApi, type PrinterWithStatus as Printer, type PrintJobView as Job } from '../../shared/api/printing.ts';
import { settingsApi, type SettingsView as Settings, type ShopIdentity } from '../../shared/api/settings.ts';
import { tillsApi, type DeviceView as Device, type OutletView as OutletRow, type TillView as Till } from '../../shared/api/tills.ts';
import { call, errorText } from '../api.ts';
import { authApi } from '../../shared/api/auth.ts';
import { ago, moment, orAsTyped } from '../format.ts';
import { parseEuros } from '../../shared/money.ts';
import { FormOutcome } from '../form-outcome.tsx';
import { Choice } from './Choice.tsx';
import type { T } from '../i18n.ts';
import { catalogApi, type ProducerView as ProducerRow } from '../../shared/api/catalog.ts';

const ROLES = ['cashier', 'waiter', 'manager', 'admin', 'producer'] as const;
const fd = (e: Event) => new FormData(e.target as HTMLFormElement);
const str = (f: FormData, k: string) => String(f.get(k) ?? '').trim();

/** Tills and their tablets, staff and their PINs, printers, the shop's identity and how tills behave. */
export function Setup({ t, lang, admin, network = true }: { t: T; lang: Lang; admin: boolean; network?: boolean }) {
  const [tills, setTills] = useState<Till[]>([]);
  const [printers, setPrinters] = useState<Printer[]>([]);
  const [outlets, setOutlets] = useState<OutletRow[]>([]);
  const [error, setError] = useState('');
  const refresh = () =>
    Promise.all([call(tillsApi.list), call(printingApi.list), call(tillsApi.outlets)])
      .then(([a, b, c]) => {
        setTills(a);
        setPrinters(b);
        setOutlets(c);
      })
      .catch((e) => setError(errorText(e)));
  useEffect(() => {
    void refresh();
    // The tablets' "last seen" moves on its own: read it again every minute.
    const timer = setInterval(() => void refresh(), 60_000);
    return () => clearInterval(timer);
  }, []);
  return (
    <>
      {error && (
        <p class="error" role="alert">
          {error}
        </p>
      )}
      <OwnSecret t={t} kind="password" />
      <OwnSecret t={t} kind="pin" />
      <Tills t={t} lang={lang} tills={tills} printers={printers} onChange={refresh} />
      <Users t={t} lang={lang} admin={admin} network={network} outlets={outlets} />
      <Printers t={t} lang={lang} printers={printers} onChange={refresh} />
      {/* The shop's identity and how every till behaves are the network's (a manager tied to a site: not theirs to set). */}
      {network && <ShopSettings t={t} lang={lang} />}
    </>
  );
}

/**
 * Whoever is logged in changes their own password, giving the current one (a manager's is not an admin's to
 * keep); a manager also their own till PIN (the one that approves at the tills), their password asked again.
 */
function OwnSecret({ t, kind }: { t: T; kind: 'password' | 'pin' }) {
  const [error, setError] = useState('');
  const [done, setDone] = useState('');
  const pin = kind === 'pin';
  async function submit(e: Event) {
    e.preventDefault();
    const form = e.target as HTMLFormElement;
    const f = fd(e);
    setError('');
    setDone('');
    if (str(f, 'secret') !== str(f, 'confirm')) return setError(t(pin ? 'bo.setup.pinsDiffer' : 'bo.setup.passwordsDiffer'));
    const current = String(f.get('current') ?? '');
    try {
      if (pin) await call(authApi.ownPin, { body: { current, pin: str(f, 'secret') } });
      else await call(authApi.password, { body: { current, password: str(f, 'secret') } });
      form.reset();
      setDone(t(pin ? 'bo.setup.ownPinDone' : 'bo.setup.ownPasswordDone'));
    } catch (err) {
      setError(errorText(err));
    }
  }
  // A PIN is typed on the till's keypad: digits only, 4 to 8 of them.
  const secret = pin
    ? { type: 'password' as const, inputMode: 'numeric' as const, pattern: '[0-9]{4,8}', minLength: 4, maxLength: 8, autoComplete: 'off' }
    : { type: 'password' as const, minLength: 10, autoComplete: 'new-password' };
  return (
    <details class="form-box own-password" data-testid={`own-${kind}`}>
      <summary>{t(pin ? 'bo.setup.ownPin' : 'bo.setup.ownPassword')}</summary>
      <form onSubmit={submit} class="grid-form">
        <label>
          {t('bo.setup.currentPassword')}
          <input name="current" type="password" required autoComplete="current-password" />
        </label>
        <label>
          {t(pin ? 'bo.setup.pin' : 'bo.setup.newPassword')}
          <input name="secret" required {...secret} />
        </label>
        <label>
          {t(pin ? 'bo.setup.confirmPin' : 'bo.setup.confirmPassword')}
          <input name="confirm" required {...secret} />
        </label>
        {error && (
          <p class="error" role="alert">
            {error}
          </p>
        )}
        {done && (
          <p class="ok" role="status">
            {done}
          </p>
        )}
        <div class="actions wide">
          <button type="submit">{t(pin ? 'bo.setup.changePin' : 'bo.setup.changePassword')}</button>
        </div>
      </form>
    </details>
  );
}

function Tills({ t, lang, tills, printers, onChange }: { t: T; lang: Lang; tills: Till[]; printers: Printer[]; onChange: () => void }) {
  const [error, setError] = useState('');
  const [code, setCode] = useState<{ till: string; code: string; expiresAt: string; minutes: number } | null>(null);
  // "vue il y a 3 min" and the pairing code's minutes left follow the clock.
  const [now, setNow] = useState(Date.now());
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), 15_000);
    return () => clearInterval(timer);
  }, []);
  const deviceName = (d: Device) =>
    d.browser && d.system
      ? t('bo.setup.browserOn', { browser: d.browser, system: d.system })
      : (d.browser ?? d.system ?? d.label ?? `#${d.id}`);
  const seen = (d: Device) => {
    if (!d.lastSeenAt) return t('bo.setup.pairedAt', { time: moment(d.pairedAt, lang) });
    const since = ago(d.lastSeenAt, lang, now);
    return since ? t('bo.setup.seenAgo', { ago: since }) : t('bo.setup.seenNow');
  };
  const minutesLeft = code ? Math.ceil((Date.parse(code.expiresAt) - now) / 60_000) : 0;
  const run = async (f: () => Promise<unknown>) => {
    setError('');
    try {
      await f();
      onChange();
    } catch (e) {
      setError(errorText(e));
    }
  };
  const patch = (id: number, body: z.input<typeof tillsApi.update.body>) => run(() => call(tillsApi.update, { params: { id }, body }));
  async function create(e: Event) {
    e.preventDefault();
    const f = fd(e);
    await run(() => call(tillsApi.create, { body: { outlet: str(f, 'outlet') as Till['outlet'], name: str(f, 'name') } }));
    (e.target as HTMLFormElement).reset();
  }
  const pairingCode = (till: Till) =>
    run(async () => {
      const r = await call(tillsApi.pairingCode, { params: { id: till.id } });
      setNow(Date.now());
      setCode({ till: till.name, ...r, minutes: Math.round((Date.parse(r.expiresAt) - Date.now()) / 60_000) });
    });
  const revoke = (d: Device, till: Till) => {
    if (!confirm(t('bo.setup.revokeConfirm', { device: deviceName(d), till: till.name }))) return;
    void run(() => call(tillsApi.revoke, { params: { id: d.id } }));
  };
  const receiptPrinters = printers.filter((p) => p.role === 'receipt');
  return (
    <section class="panel" data-testid="tills">
      <h3>{t('bo.setup.tills')}</h3>
      {code && (
        <div class="pairing" role="status">
          <img
            class="pairing-qr"
            data-testid="pairing-qr"
            src={`/enrol/qr.svg?next=${encodeURIComponent(`/caisse/?pair=${code.code}`)}`}
            width={148}
            height={148}
            alt={t('bo.setup.pairingQr')}
          />
          <p>
            {t('bo.setup.pairingFor', { till: code.till })} <strong data-testid="pairing-code">{code.code}</strong>
            {minutesLeft > 0 ? (
              <small class="block" data-testid="pairing-expiry">
                {t('bo.setup.pairingUntil', {
                  minutes: code.minutes,
                  time: moment(code.expiresAt, lang, { timeStyle: 'short' }),
                  left: minutesLeft,
                })}
              </small>
            ) : (
              <small class="block error" data-testid="pairing-expiry">
                {t('bo.setup.pairingExpired', { time: moment(code.expiresAt, lang, { timeStyle: 'short' }) })}
              </small>
            )}
            <small class="muted block">{t('bo.setup.pairingLifetime', { minutes: code.minutes })}</small>
            <small class="muted block">{t('bo.setup.pairingQrHelp')}</small>
          </p>
        </div>
      )}
      {error && (
        <p class="error" role="alert">
          {error}
        </p>
      )}
      <table class="figures">
        <thead>
          <tr>
            <th>{t('bo.setup.till')}</th>
            <th>{t('bo.setup.printer')}</th>
            <th>{t('bo.setup.training')}</th>
            <th>{t('bo.setup.tablets')}</th>
            <th />
          </tr>
        </thead>
        <tbody>
          {tills.map((till) => (
            <tr key={till.id} class={till.active ? (till.trainingMode ? 'training' : '') : 'inactive'}>
              <td>
                {till.name}
                <small class="muted block">
                  {t(`bo.outlet.${till.outlet}` as MessageKey)}
                  {till.pinLockedUntil && Date.parse(till.pinLockedUntil) > Date.now() ? ` · ${t('bo.setup.pinLocked')}` : ''}
                </small>
              </td>
              <td>
                <select
                  aria-label={t('bo.setup.printerOf', { till: till.name })}
                  value={till.printerId ?? ''}
                  onChange={(e) =>
                    patch(till.id, {
                      printerId: (e.target as HTMLSelectElement).value ? Number((e.target as HTMLSelectElement).value) : null,
                    })
                  }
                >
                  <option value="">{t('bo.setup.noPrinter')}</option>
                  {receiptPrinters.map((p) => (
                    <option key={p.id} value={p.id}>
                      {p.name}
                    </option>
                  ))}
                </select>
              </td>
              <td>
                <label class="check">
                  <input
                    type="checkbox"
                    aria-label={t('bo.setup.trainingOf', { till: till.name })}
                    checked={till.trainingMode}
                    onChange={(e) => patch(till.id, { trainingMode: (e.target as HTMLInputElement).checked })}
                  />
                  {till.trainingMode ? <strong class="training-tag">{t('bo.setup.trainingOn')}</strong> : t('bo.setup.trainingOff')}
                </label>
              </td>
              <td>
                {till.devices.length === 0 && <small class="muted">{t('bo.setup.noTablet')}</small>}
                {till.devices.map((d) => (
                  <div key={d.id} class="device" data-testid="device">
                    <span>
                      <span data-testid="device-name">{`${till.name} · ${deviceName(d)} · ${seen(d)}`}</span>
                      {d.replacedAt && <small class="muted block">{t('bo.setup.replaced', { time: moment(d.replacedAt, lang) })}</small>}
                    </span>
                    <button
                      class="secondary"
                      aria-label={t('bo.setup.revokeOf', { device: deviceName(d), till: till.name })}
                      onClick={() => revoke(d, till)}
                    >
                      {t('bo.setup.revoke')}
                    </button>
                  </div>
                ))}
              </td>
              <td class="actions">
                {till.active && <button onClick={() => pairingCode(till)}>{t('bo.setup.pair')}</button>}
                <button class="secondary" onClick={() => patch(till.id, { active: !till.active })}>
                  {t(till.active ? 'bo.setup.disable' : 'bo.setup.enable')}
                </button>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      <details class="form-box">
        <summary>{t('bo.setup.newTill')}</summary>
        <form class="grid-form" onSubmit={create}>
          <label>
            {t('bo.setup.name')}
            <input name="name" required maxLength={40} />
          </label>
          <label>
            {t('bo.setup.outlet')}
            <select name="outlet">
              {OUTLET_CODES.map((o) => (
                <option key={o} value={o}>
                  {t(`bo.outlet.${o}`)}
                </option>
              ))}
            </select>
          </label>
          <div class="actions wide">
            <button type="submit">{t('bo.setup.create')}</button>
          </div>
        </form>
      </details>
    </section>
  );
}

function Users({
  t,
  lang,
  admin,
  network,
  outlets,
}: {
  t: T;
  lang: Lang;
  admin: boolean;
  /** false: a manager tied to one site, who manages the floor staff of its outlets only. */
  network: boolean;
  outlets: OutletRow[];
}) {
  const [users, setUsers] = useState<User[]>([]);
  const [producers, setProducers] = useState<ProducerRow[]>([]);
  const [role, setRole] = useState<(typeof ROLES)[number]>('cashier');
  const [reset, setReset] = useState<{ id: number; what: 'pin' | 'password' } | null>(null);
  const [error, setError] = useState('');
  const [done, setDone] = useState('');
  // Which form or row the message is about, shown there: 'list' (loading), 'create', or `user-<id>`.
  const [where, setWhere] = useState('list');
  const [me, setMe] = useState(0);
  const load = () =>
    call(usersApi.list)
      .then(setUsers)
      .catch((e) => {
        // A list that could not be read is said above it, wherever the last message was.
        setWhere('list');
        setError(errorText(e));
      });
  useEffect(() => {
    void load();
    call(authApi.me)
      .then((r) => setMe(r.user.id))
      .catch(() => undefined);
    call(catalogApi.listProducers)
      .then(setProducers)
      .catch(() => undefined);
  }, []);
  const run = async (at: string, f: () => Promise<unknown>, ok = '') => {
    setError('');
    setDone('');
    setWhere(at);
    try {
      await f();
      setDone(ok);
      await load();
      return true;
    } catch (e) {
      setError(errorText(e));
      return false;
    }
  };
  const manageable = (u: User) =>
    network ? admin || !['admin', 'manager'].includes(u.role) : ['cashier', 'waiter'].includes(u.role) && u.outletId !== null;
  async function create(e: Event) {
    e.preventDefault();
    const f = fd(e);
    const body: z.input<typeof usersApi.create.body> = { displayName: str(f, 'displayName'), role };
    for (const k of ['login', 'password', 'pin'] as const) if (str(f, k)) body[k] = str(f, k);
    if (role === 'producer' && str(f, 'producerId')) body.producerId = Number(str(f, 'producerId'));
    if (['cashier', 'waiter'].includes(role) && str(f, 'outletId')) body.outletId = Number(str(f, 'outletId'));
    if (await run('create', () => call(usersApi.create, { body }), t('bo.setup.userCreated', { name: str(f, 'displayName') })))
      (e.target as HTMLFormElement).reset();
  }
  async function submitReset(e: Event, u: User, what: 'pin' | 'password') {
    e.preventDefault();
    const value = str(fd(e), 'secret');
    if (
      await run(
        `user-${u.id}`,
        () =>
          what === 'pin'
            ? call(usersApi.setPin, { params: { id: u.id }, body: { pin: value } })
            : call(usersApi.setPassword, { params: { id: u.id }, body: { password: value } }),
        t(what === 'pin' ? 'bo.setup.pinDone' : 'bo.setup.passwordDone', { name: u.displayName }),
      )
    )
      setReset(null);
  }
  const outletName = (id: number | null) =>
    id === null ? t('bo.setup.allOutlets') : t(`bo.outlet.${outlets.find((o) => o.id === id)?.code ?? 'shop'}` as MessageKey);
  return (
    <section class="panel" data-testid="users">
      <h3>{t('bo.setup.users')}</h3>
      {where === 'list' && <FormOutcome error={error} done={done} />}
      <table class="figures">
        <thead>
          <tr>
            <th>{t('bo.setup.name')}</th>
            <th>{t('bo.setup.role')}</th>
            <th>{t('bo.setup.access')}</th>
            <th />
          </tr>
        </thead>
        <tbody>
          {users.map((u) => (
            <tr key={u.id} class={u.active ? '' : 'inactive'}>
              <td>
                {u.displayName}
                {u.login && <small class="muted block">{u.login}</small>}
              </td>
              <td>
                {t(`role.${u.role}` as MessageKey)}
                {u.role === 'producer' && <small class="muted block">{producers.find((p) => p.id === u.producerId)?.name}</small>}
              </td>
              <td>
                <small>
                  {[
                    u.hasPassword && t('bo.setup.hasPassword'),
                    u.hasPin && t('bo.setup.hasPin'),
                    ['cashier', 'waiter'].includes(u.role) && outletName(u.outletId),
                  ]
                    .filter(Boolean)
                    .join(' · ')}
                </small>
                {u.lockedUntil && (
                  <strong class="error block" data-testid="locked-until">
                    {t('bo.setup.lockedUntil', { time: moment(u.lockedUntil, lang, { timeStyle: 'short' }) })}
                  </strong>
                )}
              </td>
              <td>
                {reset?.id === u.id ? (
                  <form class="inline" onSubmit={(e) => submitReset(e, u, reset.what)}>
                    <input
                      name="secret"
                      type="password"
                      autoComplete="new-password"
                      required
                      aria-label={t(reset.what === 'pin' ? 'bo.setup.newPin' : 'bo.setup.newPassword')}
                      placeholder={t(reset.what === 'pin' ? 'bo.setup.newPin' : 'bo.setup.newPassword')}
                      inputMode={reset.what === 'pin' ? 'numeric' : undefined}
                    />
                    <button type="submit">{t('bo.cat.save')}</button>
                    <button type="button" class="secondary" onClick={() => setReset(null)}>
                      {t('bo.cat.cancel')}
                    </button>
                  </form>
                ) : manageable(u) ? (
                  <div class="actions">
                    {u.lockedUntil && (
                      <button
                        aria-label={t('bo.setup.unlockOf', { name: u.displayName })}
                        onClick={() =>
                          run(
                            `user-${u.id}`,
                            () => call(usersApi.unlock, { params: { id: u.id } }),
                            t('bo.setup.unlocked', { name: u.displayName }),
                          )
                        }
                      >
                        {t('bo.setup.unlock')}
                      </button>
                    )}
                    {['cashier', 'waiter', 'manager', 'admin'].includes(u.role) && (
                      <button
                        class="secondary"
                        aria-label={t('bo.setup.pinOf', { name: u.displayName })}
                        onClick={() => setReset({ id: u.id, what: 'pin' })}
                      >
                        {t('bo.setup.resetPin')}
                      </button>
                    )}
                    {u.hasPassword && (
                      <button
                        class="secondary"
                        aria-label={t('bo.setup.passwordOf', { name: u.displayName })}
                        onClick={() => setReset({ id: u.id, what: 'password' })}
                      >
                        {t('bo.setup.resetPassword')}
                      </button>
                    )}
                    {u.id !== me && (
                      <button
                        class="secondary"
                        onClick={() =>
                          run(`user-${u.id}`, () => call(usersApi.update, { params: { id: u.id }, body: { active: !u.active } }))
                        }
                      >
                        {t(u.active ? 'bo.setup.disable' : 'bo.setup.enable')}
                      </button>
                    )}
                  </div>
                ) : (
                  <small class="muted">{t(network ? 'bo.setup.adminOnly' : 'bo.setup.networkOnly')}</small>
                )}
                {where === `user-${u.id}` && <FormOutcome error={error} done={done} />}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      <details class="form-box">
        <summary>{t('bo.setup.newUser')}</summary>
        <form class="grid-form" onSubmit={create}>
          <label>
            {t('bo.setup.name')}
            <input name="displayName" required maxLength={60} />
          </label>
          <label>
            {t('bo.setup.role')}
            <select name="role" value={role} onChange={(e) => setRole((e.target as HTMLSelectElement).value as typeof role)}>
              {ROLES.filter((r) => (network ? admin || !['admin', 'manager'].includes(r) : ['cashier', 'waiter'].includes(r))).map((r) => (
                <option key={r} value={r}>
                  {t(`role.${r}` as MessageKey)}
                </option>
              ))}
            </select>
          </label>
          {/* Keyed: without it Preact reuses the PIN's <input> for the login and leaves its digits-only pattern on it. */}
          {['cashier', 'waiter'].includes(role) ? (
            <Fragment key="pin-user">
              <label>
                {t('bo.setup.pin')}
                <input name="pin" type="password" inputMode="numeric" autoComplete="new-password" required pattern="\d{4,8}" />
              </label>
              <label>
                {t('bo.setup.outlet')}
                <select name="outletId" required={!network}>
                  {network && <option value="">{t('bo.setup.allOutlets')}</option>}
                  {outlets.map((o) => (
                    <option key={o.id} value={o.id}>
                      {t(`bo.outlet.${o.code}` as MessageKey)}
                    </option>
                  ))}
                </select>
              </label>
            </Fragment>
          ) : (
            <Fragment key="login-user">
              <label>
                {t('login.login')}
                <input name="login" required autoComplete="off" />
              </label>
              <label>
                {t('bo.setup.password')}
                <input name="password" type="password" autoComplete="new-password" required minLength={10} />
              </label>
              {role === 'producer' ? (
                <label>
                  {t('bo.setup.producer')}
                  <select name="producerId" required>
                    {producers.map((p) => (
                      <option key={p.id} value={p.id}>
                        {p.name}
                      </option>
                    ))}
                  </select>
                </label>
              ) : (
                <label>
                  {t('bo.setup.pinOptional')}
                  <input name="pin" type="password" inputMode="numeric" autoComplete="new-password" pattern="\d{4,8}" />
                </label>
              )}
            </Fragment>
          )}
          {where === 'create' && <FormOutcome error={error} done={done} />}
          <div class="actions wide">
            <button type="submit">{t('bo.setup.create')}</button>
          </div>
        </form>
      </details>
    </section>
  );
}

const STATE_KEYS: Record<string, MessageKey> = {
  ready: 'bo.setup.state.ready',
  'paper-out': 'bo.setup.state.paperOut',
  'cover-open': 'bo.setup.state.coverOpen',
  offline: 'bo.setup.state.offline',
  error: 'bo.setup.state.error',
  unknown: 'bo.setup.state.unknown',
};

function Printers({ t, lang, printers, onChange }: { t: T; lang: Lang; printers: Printer[]; onChange: () => void }) {
  const [error, setError] = useState('');
  const [done, setDone] = useState('');
  const [editing, setEditing] = useState<number | null>(null);
  // Which form or row the message is about, shown there: 'create', `edit-<id>` or `printer-<id>`.
  const [where, setWhere] = useState('');
  const run = async (at: string, f: () => Promise<unknown>, ok = '') => {
    setError('');
    setDone('');
    setWhere(at);
    try {
      await f();
      setDone(ok);
      onChange();
      return true;
    } catch (e) {
      setError(errorText(e));
      return false;
    }
  };
  // What the form holds, as the server reads it (it checks every value: the casts only name them).
  const body = (f: FormData) => ({
    name: str(f, 'name'),
    outlet: (str(f, 'outlet') || null) as Till['outlet'] | null,
    role: str(f, 'role') as Printer['role'],
    uri: str(f, 'uri'),
    columns: Number(str(f, 'columns')) as Printer['columns'],
    codePage: str(f, 'codePage') as Printer['codePage'],
    drawer: f.get('drawer') === 'on',
  });
  async function create(e: Event) {
    e.preventDefault();
    if (await run('create', () => call(printingApi.create, { body: { ...body(fd(e)), active: true } })))
      (e.target as HTMLFormElement).reset();
  }
  async function save(e: Event, p: Printer) {
    e.preventDefault();
    // An unticked box is not in the form's data at all: "in service" is read as ticked or not.
    if (
      await run(`edit-${p.id}`, () =>
        call(printingApi.update, { params: { id: p.id }, body: { ...body(fd(e)), active: fd(e).get('active') === 'on' } }),
      )
    )
      setEditing(null);
  }
  return (
    <section class="panel" data-testid="printers">
      <h3>{t('bo.setup.printers')}</h3>
      <table class="figures">
        <thead>
          <tr>
            <th>{t('bo.setup.printer')}</th>
            <th>{t('bo.setup.address')}</th>
            <th>{t('bo.setup.state')}</th>
            <th />
          </tr>
        </thead>
        <tbody>
          {printers.map((p) =>
            editing === p.id ? (
              <tr key={p.id}>
                <td colSpan={4}>
                  <PrinterForm t={t} printer={p} onSubmit={(e) => save(e, p)} onCancel={() => setEditing(null)}>
                    {where === `edit-${p.id}` && <FormOutcome error={error} done={done} />}
                  </PrinterForm>
                </td>
              </tr>
            ) : (
              <tr key={p.id} class={p.active ? '' : 'inactive'}>
                <td>
                  {p.name}
                  <small class="muted block">
                    {t(p.role === 'receipt' ? 'bo.setup.receipt' : 'bo.setup.kitchen')} · {p.columns} {t('bo.setup.cols')} ·{' '}
                    {p.codePage.toUpperCase()}
                    {p.drawer ? ` · ${t('bo.setup.drawer')}` : ''}
                  </small>
                </td>
                <td>
                  <code>{p.uri}</code>
                </td>
                <td data-testid={`printer-state-${p.id}`}>
                  {t(STATE_KEYS[p.status?.state ?? 'unknown'] ?? 'bo.setup.state.unknown')}
                  {p.status && p.status.waiting > 0 && <small class="block">{t('bo.setup.waiting', { n: p.status.waiting })}</small>}
                  {p.status?.lastError && <small class="muted block">{p.status.lastError}</small>}
                </td>
                <td class="actions">
                  <button
                    class="secondary"
                    disabled={!p.active}
                    onClick={() =>
                      run(
                        `printer-${p.id}`,
                        () => call(printingApi.testPage, { params: { id: p.id } }),
                        t('bo.setup.testSent', { name: p.name }),
                      )
                    }
                  >
                    {t('bo.setup.test')}
                  </button>
                  <button class="secondary" aria-label={t('bo.cat.editOf', { name: p.name })} onClick={() => setEditing(p.id)}>
                    {t('bo.cat.edit')}
                  </button>
                  {where === `printer-${p.id}` && <FormOutcome error={error} done={done} />}
                </td>
              </tr>
            ),
          )}
        </tbody>
      </table>
      <details class="form-box">
        <summary>{t('bo.setup.newPrinter')}</summary>
        <PrinterForm t={t} onSubmit={create}>
          {where === 'create' && <FormOutcome error={error} done={done} />}
        </PrinterForm>
      </details>
      <Jobs t={t} lang={lang} onChange={onChange} />
    </section>
  );
}

const JOB_KINDS = ['receipt', 'duplicate', 'drawer', 'test', 'x', 'z', 'slip', 'labels', 'kitchen', 'cash'];

/** The print queue: what waits or failed, sent again or dropped by hand (a receipt is never printed twice by itself). */
function Jobs({ t, lang, onChange }: { t: T; lang: Lang; onChange: () => void }) {
  const [jobs, setJobs] = useState<Job[]>([]);
  const [error, setError] = useState('');
  const load = () =>
    Promise.all(
      (['failed', 'unconfirmed', 'queued', 'printing'] as const).map((status) => call(printingApi.jobs, { query: { status, limit: 50 } })),
    )
      // Settled ones (an unconfirmed job reprinted) are history, not something to do.
      .then((lists) =>
        setJobs(
          lists
            .flat()
            .filter((j) => !j.resolvedAt)
            .sort((a, b) => b.id - a.id),
        ),
      )
      .catch((e) => setError(errorText(e)));
  useEffect(() => void load(), []);
  const act = async (j: Job, what: 'retry' | 'cancel' | 'confirm' | 'reprint') => {
    setError('');
    try {
      await call(printingApi[what], { params: { id: j.id } });
    } catch (e) {
      setError(errorText(e));
    }
    await load();
    onChange();
  };
  return (
    <div data-testid="print-jobs">
      <h4>{t('bo.setup.jobs')}</h4>
      {error && (
        <p class="error" role="alert">
          {error}
        </p>
      )}
      {jobs.length === 0 ? (
        <p class="muted">{t('bo.setup.noJobs')}</p>
      ) : (
        <table class="figures">
          <thead>
            <tr>
              <th>{t('bo.setup.job')}</th>
              <th>{t('bo.setup.printer')}</th>
              <th>{t('bo.setup.state')}</th>
              <th />
            </tr>
          </thead>
          <tbody>
            {jobs.map((j) => (
              <tr key={j.id} class={j.status === 'failed' || j.status === 'unconfirmed' ? 'low' : ''}>
                <td>
                  {JOB_KINDS.includes(j.kind) ? t(`bo.setup.kind.${j.kind}` as MessageKey) : j.kind}
                  <small class="muted block">
                    n° {j.id} · {moment(j.createdAt, lang)}
                  </small>
                </td>
                <td>{j.printer}</td>
                <td>
                  {t(`bo.setup.jobState.${j.status}` as MessageKey)}
                  {j.attempts > 0 && (
                    <small class="muted block">
                      {t('bo.setup.attempts', { n: j.attempts })}
                      {j.lastError ? ` · ${j.lastError}` : ''}
                    </small>
                  )}
                </td>
                <td class="actions">
                  {j.status === 'failed' && (
                    <button class="secondary" onClick={() => act(j, 'retry')}>
                      {t('bo.setup.retry')}
                    </button>
                  )}
                  {j.status === 'unconfirmed' ? (
                    <>
                      <button class="secondary" onClick={() => act(j, 'confirm')}>
                        {t('till.prints.confirm')}
                      </button>
                      <button class="secondary" onClick={() => act(j, 'reprint')}>
                        {t('till.prints.reprintMarked')}
                      </button>
                    </>
                  ) : (
                    j.status !== 'printing' && (
                      <button class="secondary" onClick={() => act(j, 'cancel')}>
                        {t('bo.setup.cancelJob')}
                      </button>
                    )
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </div>
  );
}

function PrinterForm({
  t,
  printer,
  onSubmit,
  onCancel,
  children,
}: {
  t: T;
  printer?: Printer;
  onSubmit: (e: Event) => void;
  onCancel?: () => void;
  /** What the last save came to, shown above the buttons. */
  children?: ComponentChildren;
}) {
  return (
    <form class="grid-form" onSubmit={onSubmit}>
      <label>
        {t('bo.setup.name')}
        <input name="name" required maxLength={60} defaultValue={printer?.name} />
      </label>
      <label>
        {t('bo.setup.address')}
        <input name="uri" required placeholder="tcp://192.168.1.50:9100" defaultValue={printer?.uri} />
      </label>
      <label>
        {t('bo.setup.use')}
        <Choice
          name="role"
          value={printer?.role ?? 'receipt'}
          options={[
            ['receipt', t('bo.setup.receipt')],
            ['kitchen', t('bo.setup.kitchen')],
          ]}
        />
      </label>
      <label>
        {t('bo.setup.outlet')}
        <Choice
          name="outlet"
          value={printer?.outlet ?? ''}
          options={[['', t('bo.setup.allOutlets')], ...OUTLET_CODES.map((o): [string, string] => [o, t(`bo.outlet.${o}`)])]}
        />
      </label>
      <label>
        {t('bo.setup.width')}
        <Choice
          name="columns"
          value={String(printer?.columns ?? 48)}
          options={[
            ['48', `80 mm · 48 ${t('bo.setup.cols')}`],
            ['32', `58 mm · 32 ${t('bo.setup.cols')}`],
          ]}
        />
      </label>
      <label>
        {t('bo.setup.codePage')}
        <Choice
          name="codePage"
          value={printer?.codePage ?? 'pc858'}
          options={[
            ['pc858', 'PC858'],
            ['wpc1252', 'WPC1252'],
          ]}
        />
      </label>
      <label class="check">
        <input type="checkbox" name="drawer" defaultChecked={printer?.drawer ?? false} />
        {t('bo.setup.drawer')}
      </label>
      {printer && (
        <label class="check">
          <input type="checkbox" name="active" defaultChecked={printer.active} />
          {t('bo.setup.active')}
        </label>
      )}
      {children}
      <div class="actions wide">
        <button type="submit">{t(printer ? 'bo.cat.save' : 'bo.setup.create')}</button>
        {onCancel && (
          <button type="button" class="secondary" onClick={onCancel}>
            {t('bo.cat.cancel')}
          </button>
        )}
      </div>
    </form>
  );
}

function ShopSettings({ t, lang }: { t: T; lang: Lang }) {
  const [settings, setSettings] = useState<Settings | null>(null);
  const [methods, setMethods] = useState<{ code: string; label: string }[]>([]);
  const [error, setError] = useState<{ where: string; text: string } | null>(null);
  const [done, setDone] = useState('');
  const load = () =>
    call(settingsApi.get)
      .then((s) => {
        setSettings(s);
        setMethods(s.till.extraPaymentMethods);
      })
      .catch((e) => setError({ where: 'load', text: errorText(e) }));
  useEffect(() => void load(), []);
  const run = async (where: string, f: () => Promise<unknown>) => {
    setError(null);
    setDone('');
    try {
      await f();
      setDone(where);
      await load();
    } catch (e) {
      setError({ where, text: errorText(e) });
    }
  };
  if (!settings)
    return error ? (
      <p class="error" role="alert">
        {error.text}
      </p>
    ) : null;
  const id = settings.identity;
  const saveIdentity = (e: Event) => {
    e.preventDefault();
    const f = fd(e);
    const body: Record<string, unknown> = Object.fromEntries(
      [
        'name',
        'legalName',
        'legalForm',
        'address',
        'postalCode',
        'city',
        'siret',
        'vatNumber',
        'phone',
        'email',
        'receiptFooter',
        'iban',
        'bic',
      ].map((k) => [k, k === 'siret' ? str(f, k).replace(/\s/g, '') : str(f, k)]),
    );
    // Empty: no share capital printed. Anything typed must read as euros ("10 000 €", "10 000,50"): a word
    // would reach the server as NaN, sent as null, and erase the capital.
    const typed = str(f, 'shareCapital');
    const capital = typed ? parseEuros(typed) : null;
    if (typed && (capital === null || capital < 0)) {
      setDone('');
      setError({ where: 'identity', text: t('bo.setup.badShareCapital', { typed }) });
      return;
    }
    body.shareCapitalCents = capital;
    const withYear = { ...body, fiscalYearEndMonth: Number(str(f, 'fiscalYearEndMonth') || '12') };
    void run('identity', () => call(settingsApi.identity, { body: withYear as unknown as z.input<typeof settingsApi.identity.body> }));
  };
  const saveTill = (e: Event) => {
    e.preventDefault();
    const f = fd(e);
    const pct = Number(str(f, 'limit').replace(',', '.'));
    // An amount as the French write it (« 1 000 », « 150,50 € »); empty is 0 (no limit); anything else goes as
    // typed, for the server to name (« 1 000 » became NaN, sent as null).
    const amount = (k: string) => (str(f, k).trim() ? orAsTyped(parseEuros(str(f, k)), str(f, k)) : 0);
    void run('till', () =>
      call(settingsApi.till, {
        body: {
          extraPaymentMethods: methods
            .filter((m) => m.label.trim())
            .map((m) => ({ code: m.code || `other:${slug(m.label)}`, label: m.label.trim() })),
          cashierDiscountLimitBp: orAsTyped(Number.isFinite(pct) ? Math.round(pct * 100) : null, str(f, 'limit')),
          autoLockSeconds: Math.round(Number(str(f, 'autoLock')) * 60),
          tipsOnCard: f.get('tipsOnCard') === 'on',
          missedZBlocks: f.get('missedZBlocks') === 'on',
          voidApprovalCents: amount('voidApproval'),
          cashOutApprovalCents: amount('cashOutApproval'),
          mealVoucherCapCents: amount('mealVoucherCap'),
          mealVoucherOnSundays: f.get('mealVoucherOnSundays') === 'on',
          cashApprovalAboveCents: amount('cashApprovalAbove'),
        },
      }),
    );
  };
  const field = (k: keyof ShopIdentity, label: MessageKey, extra: Record<string, unknown> = {}) => (
    <label>
      {t(label)}
      <input name={k} defaultValue={id?.[k] ?? ''} {...extra} />
    </label>
  );
  return (
    <>
      <section class="panel" data-testid="identity">
        <h3>{t('bo.setup.identity')}</h3>
        <p class="muted">{t('bo.setup.identityHelp')}</p>
        <form class="grid-form" onSubmit={saveIdentity}>
          {field('name', 'bo.setup.shopName', { required: true, maxLength: 80 })}
          {field('legalName', 'bo.cat.legalName', { required: true, maxLength: 120 })}
          {field('legalForm', 'bo.setup.legalForm', { maxLength: 60, placeholder: 'SCIC SAS' })}
          <label>
            {t('bo.setup.shareCapital')}
            <input
              name="shareCapital"
              inputMode="decimal"
              defaultValue={id?.shareCapitalCents != null ? String(id.shareCapitalCents / 100).replace('.', ',') : ''}
            />
          </label>
          {field('address', 'bo.setup.street', { required: true, maxLength: 160 })}
          {field('postalCode', 'bo.setup.postalCode', { required: true, inputMode: 'numeric', pattern: '\\d{5}' })}
          {field('city', 'bo.setup.city', { required: true, maxLength: 80 })}
          {field('siret', 'bo.setup.siret', { required: true, inputMode: 'numeric' })}
          {field('vatNumber', 'bo.setup.vatNumber', { required: true })}
          {field('phone', 'bo.setup.phone', { maxLength: 30 })}
          {field('email', 'bo.setup.email', { type: 'email' })}
          {field('iban', 'bo.setup.iban', { maxLength: 42, autoComplete: 'off' })}
          {field('bic', 'bo.setup.bic', { maxLength: 11, autoComplete: 'off' })}
          <label>
            {t('bo.setup.fiscalYearEnd')}
            <Choice
              name="fiscalYearEndMonth"
              value={String(id?.fiscalYearEndMonth ?? 12)}
              options={Array.from({ length: 12 }, (_, i): [string, string] => [
                String(i + 1),
                new Date(Date.UTC(2026, i, 1)).toLocaleDateString(lang, { month: 'long', timeZone: 'UTC' }),
              ])}
            />
          </label>
          <label class="wide">
            {t('bo.setup.footer')}
            <textarea name="receiptFooter" maxLength={200} defaultValue={id?.receiptFooter ?? ''} />
          </label>
          {error?.where === 'identity' && (
            <p class="error" role="alert">
              {error.text}
            </p>
          )}
          {done === 'identity' && (
            <p class="ok" role="status">
              {t('bo.setup.saved')}
            </p>
          )}
          <div class="actions wide">
            <button type="submit">{t('bo.cat.save')}</button>
          </div>
        </form>
      </section>
      <section class="panel" data-testid="till-options">
        <h3>{t('bo.setup.tillOptions')}</h3>
        <form class="grid-form" onSubmit={saveTill}>
          <label>
            {t('bo.setup.discountLimit')}
            <input
              name="limit"
              inputMode="decimal"
              required
              defaultValue={String(settings.till.cashierDiscountLimitBp / 100).replace('.', ',')}
            />
          </label>
          <label>
            {t('bo.setup.autoLock')}
            <input
              name="autoLock"
              type="number"
              min={0}
              max={60}
              step={0.5}
              required
              defaultValue={String(settings.till.autoLockSeconds / 60)}
            />
          </label>
          <label>
            {t('bo.setup.voidApproval')}
            <input
              name="voidApproval"
              inputMode="decimal"
              defaultValue={String((settings.till.voidApprovalCents ?? 0) / 100).replace('.', ',')}
            />
          </label>
          <label>
            {t('bo.setup.cashOutApproval')}
            <input
              name="cashOutApproval"
              inputMode="decimal"
              defaultValue={String((settings.till.cashOutApprovalCents ?? 0) / 100).replace('.', ',')}
            />
          </label>
          <label>
            {t('bo.setup.mealVoucherCap')}
            <input
              name="mealVoucherCap"
              inputMode="decimal"
              aria-describedby="meal-voucher-cap-help"
              defaultValue={String(settings.till.mealVoucherCapCents / 100).replace('.', ',')}
            />
            <span class="muted" id="meal-voucher-cap-help">
              {t('bo.setup.mealVoucherCapHelp')}
            </span>
          </label>
          <label>
            {t('bo.setup.cashApprovalAbove')}
            <input
              name="cashApprovalAbove"
              inputMode="decimal"
              aria-describedby="cash-approval-help"
              defaultValue={String(settings.till.cashApprovalAboveCents / 100).replace('.', ',')}
            />
            <span class="muted" id="cash-approval-help">
              {t('bo.setup.cashApprovalAboveHelp')}
            </span>
          </label>
          <label class="check">
            <input type="checkbox" name="mealVoucherOnSundays" defaultChecked={settings.till.mealVoucherOnSundays} />
            {t('bo.setup.mealVoucherOnSundays')}
          </label>
          <label class="check">
            <input type="checkbox" name="tipsOnCard" defaultChecked={settings.till.tipsOnCard} />
            {t('bo.setup.tipsOnCard')}
          </label>
          <label class="check">
            <input type="checkbox" name="missedZBlocks" defaultChecked={settings.till.missedZBlocks} />
            {t('bo.setup.missedZBlocks')}
          </label>
          <fieldset class="wide methods">
            <legend>{t('bo.setup.methods')}</legend>
            <p class="muted">{t('bo.setup.methodsHelp')}</p>
            {methods.map((m, i) => (
              <div class="method" key={i}>
                <input
                  aria-label={t('bo.setup.methodLabel', { n: i + 1 })}
                  value={m.label}
                  maxLength={40}
                  onInput={(e) => setMethods(methods.map((x, j) => (j === i ? { ...x, label: (e.target as HTMLInputElement).value } : x)))}
                />
                <button type="button" class="secondary" onClick={() => setMethods(methods.filter((_, j) => j !== i))}>
                  {t('bo.setup.remove')}
                </button>
              </div>
            ))}
            {methods.length < 8 && (
              <button type="button" class="secondary" onClick={() => setMethods([...methods, { code: '', label: '' }])}>
                {t('bo.setup.addMethod')}
              </button>
            )}
          </fieldset>
          {error?.where === 'till' && (
            <p class="error" role="alert">
              {error.text}
            </p>
          )}
          {done === 'till' && (
            <p class="ok" role="status">
              {t('bo.setup.saved')}
            </p>
          )}
          <div class="actions wide">
            <button type="submit">{t('bo.cat.save')}</button>
          </div>
        </form>
      </section>
    </>
  );
}

/** "Chèque cadeau" → "cheque_cadeau": the code a new payment method keeps for ever. */
const slug = (label: string) =>
  label
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '_')
    .replace(/^_|_$/g, '')
    .slice(0, 30) || 'autre';
