import '../zod-config.ts';
import { render } from 'preact';
import { useEffect, useRef, useState } from 'preact/hooks';
import { focusIfLost } from '../focus.ts';
import { io, type Socket } from 'socket.io-client';
import type { KitchenBoard, KitchenState, KitchenTicketView } from '../../shared/api/restaurant.ts';
import { restaurantApi } from '../../shared/api/restaurant.ts';
import { tillsApi } from '../../shared/api/tills.ts';
import type { Lang } from '../../shared/i18n/index.ts';
import { translateTill as translate, type TillMessageKey as MessageKey } from '../../shared/i18n/till.ts';
import type { ClientToServerEvents, PrinterStateEvent, ServerToClientEvents } from '../../shared/realtime.ts';
import { ApiError, call, isOffline } from '../api.ts';
import './style.css';
import { rejoinWhenDropped } from '../rejoin.ts';
import { optionForKitchen } from '../../shared/text.ts';

/**
 * The kitchen screen (`/cuisine/`): a wall tablet or a TV paired with the restaurant, showing one station's
 * tickets by age with colour timers, items by course, « prêt → servi » by touch or keyboard, a recall, the
 * count of each dish still to prepare, and a sound when a ticket comes.
 */
const lang: Lang = localStorage.getItem('lang') === 'en' ? 'en' : 'fr';
const t = (key: MessageKey, vars?: Record<string, string | number>) => translate(lang, key, vars);
document.documentElement.lang = lang;

/** Minutes after which a ticket turns amber, then red. */
const AMBER_MIN = 10;
const RED_MIN = 20;

type Station = Awaited<ReturnType<typeof call<typeof restaurantApi.stations>>>[number];

const NEXT: Record<KitchenState, KitchenState> = { todo: 'ready', ready: 'served', served: 'served' };

function beep() {
  try {
    const ctx = new AudioContext();
    const osc = ctx.createOscillator();
    const gain = ctx.createGain();
    osc.frequency.value = 880;
    gain.gain.setValueAtTime(0.25, ctx.currentTime);
    gain.gain.exponentialRampToValueAtTime(0.001, ctx.currentTime + 0.6);
    osc.connect(gain).connect(ctx.destination);
    osc.start();
    osc.stop(ctx.currentTime + 0.6);
  } catch {
    /* no audio on this device */
  }
}

function App() {
  const [phase, setPhase] = useState<'boot' | 'pair' | 'ready' | 'offline'>('boot');
  const [stations, setStations] = useState<Station[]>([]);
  const [stationId, setStationId] = useState<number | null>(() => {
    const fromUrl = Number(new URLSearchParams(location.search).get('station'));
    return fromUrl || Number(localStorage.getItem('cuisine.station')) || null;
  });
  const [board, setBoard] = useState<KitchenBoard | null>(null);
  const [printer, setPrinter] = useState<PrinterStateEvent | null>(null);
  const [sound, setSound] = useState(localStorage.getItem('cuisine.sound') === 'on');
  const [online, setOnline] = useState(true);
  const [error, setError] = useState('');
  const [now, setNow] = useState(Date.now());
  const seen = useRef(new Set<number>());
  const soundRef = useRef(sound);
  soundRef.current = sound;

  const boot = async () => {
    try {
      const list = (await call(restaurantApi.stations)).filter((s) => s.active);
      setStations(list);
      setPhase('ready');
      if (!list.some((s) => s.id === stationId)) setStationId(list[0]?.id ?? null);
    } catch (e) {
      if (e instanceof ApiError && e.status === 401) setPhase('pair');
      else setPhase('offline');
    }
  };
  useEffect(() => void boot(), []);
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), 15_000);
    return () => clearInterval(timer);
  }, []);

  const refresh = useRef<ReturnType<typeof setTimeout> | null>(null);
  const load = async (id: number) => {
    try {
      const b = await call(restaurantApi.kitchenBoard, { params: { id } });
      for (const tk of b.tickets) seen.current.add(tk.id);
      setBoard(b);
      setError('');
    } catch (e) {
      setError(isOffline(e) ? t('error.network') : (e as Error).message);
    }
  };
  useEffect(() => {
    if (phase !== 'ready' || stationId === null) return;
    localStorage.setItem('cuisine.station', String(stationId));
    void load(stationId);
    const socket: Socket<ServerToClientEvents, ClientToServerEvents> = io({ transports: ['websocket'], reconnectionDelayMax: 5000 });
    socket.on('connect', () => {
      setOnline(true);
      void load(stationId);
    });
    socket.on('disconnect', () => setOnline(false));
    rejoinWhenDropped(socket);
    socket.on('kitchen:changed', (ticket: KitchenTicketView) => {
      if (ticket.stationId !== stationId) return;
      const isNew = !seen.current.has(ticket.id);
      seen.current.add(ticket.id);
      setBoard((b) => (b ? { ...b, tickets: upsert(b.tickets, ticket) } : b));
      if (isNew && soundRef.current) beep();
      // The all-day count comes from the server, a moment later (several tickets at once: one read).
      if (refresh.current) clearTimeout(refresh.current);
      refresh.current = setTimeout(() => void load(stationId), 250);
    });
    socket.on('printer:state', (p) => setPrinter((cur) => (p.printerId === currentPrinter.current ? p : cur)));
    socket.on('station:changed', () => void boot().then(() => load(stationId)));
    return () => socket.close();
  }, [phase, stationId]);
  const currentPrinter = useRef<number | null>(null);
  currentPrinter.current = board?.station.printerId ?? null;

  const bump = async (ticket: KitchenTicketView, state: KitchenState) => {
    try {
      const next = await call(restaurantApi.kitchenState, { params: { id: ticket.id }, body: { state } });
      setBoard((b) => (b ? { ...b, tickets: upsert(b.tickets, next) } : b));
      if (stationId !== null) void load(stationId);
    } catch (e) {
      setError(isOffline(e) ? t('error.network') : (e as Error).message);
    }
  };
  const reprint = async (ticket: KitchenTicketView) => {
    try {
      await call(restaurantApi.kitchenReprint, { params: { id: ticket.id } });
      if (stationId !== null) void load(stationId);
    } catch (e) {
      setError((e as Error).message);
    }
  };
  const redirect = async (printerId: number) => {
    if (stationId === null) return;
    try {
      await call(restaurantApi.stationPrinter, { params: { id: stationId }, body: { printerId, moveWaiting: true } });
      await boot();
      await load(stationId);
    } catch (e) {
      setError((e as Error).message);
    }
  };

  // Arrow keys move between tickets; Enter or Space acts on the focused button (the browser's own).
  const grid = useRef<HTMLDivElement>(null);
  // The keyboard on the oldest ticket when nothing has it (at the start, after the last one left): Enter or
  // Space then marks it (it started on the page's body, found by a newcomer's walk).
  useEffect(() => focusIfLost(grid.current?.querySelector('button.bump')), [board]);
  const onKey = (e: KeyboardEvent) => {
    if (e.key !== 'ArrowRight' && e.key !== 'ArrowLeft') return;
    const buttons = [...(grid.current?.querySelectorAll<HTMLButtonElement>('button.bump') ?? [])];
    const i = buttons.indexOf(document.activeElement as HTMLButtonElement);
    const next = buttons[e.key === 'ArrowRight' ? Math.min(buttons.length - 1, i + 1) : Math.max(0, i - 1)];
    next?.focus();
    e.preventDefault();
  };

  if (phase === 'boot') return <main class="kitchen center">{t('cuisine.loading')}</main>;
  if (phase === 'pair') return <Pair onPaired={() => void boot()} />;
  if (phase === 'offline')
    return (
      <main class="kitchen center">
        <p role="alert">{t('error.network')}</p>
        <button onClick={() => void boot()}>{t('cuisine.retry')}</button>
      </main>
    );
  const station = stations.find((s) => s.id === stationId);
  const down = printer && printer.state !== 'ready' && printer.state !== 'unknown';
  const others = stations.filter((s) => s.id !== stationId && s.printerId !== null && s.printerId !== station?.printerId);
  const open = board?.tickets.filter((x) => x.state !== 'served') ?? [];
  const served = board?.tickets.filter((x) => x.state === 'served') ?? [];
  return (
    <div class="kitchen">
      <header class="kitchen-head">
        <h1>{station ? t('cuisine.title', { name: station.name }) : t('cuisine.noStation')}</h1>
        {stations.length > 1 && (
          <label>
            {t('cuisine.station')}
            <select value={stationId ?? ''} onChange={(e) => setStationId(Number((e.target as HTMLSelectElement).value))}>
              {stations.map((s) => (
                <option key={s.id} value={s.id}>
                  {s.name}
                </option>
              ))}
            </select>
          </label>
        )}
        <span class={online ? 'badge ok' : 'badge off'} data-testid="kitchen-network">
          {online ? t('cuisine.online') : t('cuisine.offline')}
        </span>
        <span class="count" data-testid="kitchen-count">
          {t(open.length === 1 ? 'cuisine.count.one' : 'cuisine.count', { n: open.length })}
        </span>
        <button
          aria-pressed={sound}
          onClick={() => {
            const next = !sound;
            setSound(next);
            localStorage.setItem('cuisine.sound', next ? 'on' : 'off');
            if (next) beep();
          }}
        >
          {sound ? t('cuisine.soundOn') : t('cuisine.soundOff')}
        </button>
        <button
          onClick={() => {
            localStorage.setItem('lang', lang === 'fr' ? 'en' : 'fr');
            location.reload();
          }}
        >
          {t('lang.switch')}
        </button>
        <span class="clock">
          {new Date(now).toLocaleTimeString(lang === 'fr' ? 'fr-FR' : 'en-GB', { hour: '2-digit', minute: '2-digit' })}
        </span>
      </header>
      {down && (
        <div class="banner alert" role="alert" data-testid="kitchen-printer-down">
          {t('cuisine.printerDown', { name: printer!.name, n: printer!.waiting })}
          {others.map((s) => (
            <button key={s.id} onClick={() => void redirect(s.printerId!)}>
              {t('cuisine.redirect', { name: s.name })}
            </button>
          ))}
        </div>
      )}
      {error && (
        <p class="banner alert" role="alert">
          {error}
        </p>
      )}
      <div class="kitchen-body">
        <main class="tickets" ref={grid} onKeyDown={onKey} aria-label={t('cuisine.tickets')}>
          {open.length === 0 && <p class="empty">{t('cuisine.empty')}</p>}
          {open.map((tk) => (
            <Ticket key={tk.id} tk={tk} now={now} onBump={bump} onReprint={reprint} />
          ))}
          {served.length > 0 && (
            <section class="served" aria-label={t('cuisine.served')}>
              <h2>{t('cuisine.served')}</h2>
              {served.map((tk) => (
                <div key={tk.id} class="served-row">
                  <span>
                    {placeOf(tk)} ·{' '}
                    {new Date(tk.createdAt).toLocaleTimeString(lang === 'fr' ? 'fr-FR' : 'en-GB', { hour: '2-digit', minute: '2-digit' })}
                  </span>
                  <button onClick={() => void bump(tk, 'todo')} data-testid="recall">
                    {t('cuisine.recall')}
                  </button>
                </div>
              ))}
            </section>
          )}
        </main>
        <aside class="all-day" aria-label={t('cuisine.allDay')}>
          <h2>{t('cuisine.allDay')}</h2>
          <ul data-testid="all-day">
            {(board?.allDay ?? []).map((d) => (
              <li key={d.name}>
                <strong>{d.quantity}</strong> {d.name}
              </li>
            ))}
          </ul>
        </aside>
      </div>
    </div>
  );
}

/** Where a ticket's dishes go, as a title: its table, or the bar's counter sale and its ticket number. */
const placeOf = (tk: KitchenTicketView) =>
  tk.counter ? t('cuisine.counter', { n: tk.counter.number }) : t('cuisine.table', { name: tk.table });
/** The same inside a sentence read to a screen reader (« Prêt : bon du comptoir n° 12 »). */
const ofPlace = (tk: KitchenTicketView) =>
  tk.counter ? t('cuisine.ofCounter', { n: tk.counter.number }) : t('cuisine.ofTable', { name: tk.table });

function upsert(list: KitchenTicketView[], ticket: KitchenTicketView): KitchenTicketView[] {
  const i = list.findIndex((x) => x.id === ticket.id);
  // Messages can cross (a board read before a bump, heard after it): an older view never replaces a newer one.
  if (i >= 0 && list[i]!.version > ticket.version) return list;
  const next = i >= 0 ? list.map((x) => (x.id === ticket.id ? ticket : x)) : [...list, ticket];
  return next.sort((a, b) => Number(a.state === 'served') - Number(b.state === 'served') || a.id - b.id);
}

function Ticket({
  tk,
  now,
  onBump,
  onReprint,
}: {
  tk: KitchenTicketView;
  now: number;
  onBump: (tk: KitchenTicketView, s: KitchenState) => void;
  onReprint: (tk: KitchenTicketView) => void;
}) {
  const minutes = Math.max(0, Math.floor((now - Date.parse(tk.createdAt)) / 60_000));
  const age = minutes >= RED_MIN ? 'late' : minutes >= AMBER_MIN ? 'soon' : 'fresh';
  const courses = new Map<string, KitchenTicketView['items']>();
  for (const i of tk.items) {
    const key = `${i.waiting ? 'w:' : ''}${i.course ?? 'none'}`;
    courses.set(key, [...(courses.get(key) ?? []), i]);
  }
  return (
    <article
      class={`ticket ${age} ${tk.kind} ${tk.state}`}
      aria-label={t('cuisine.ticketLabel', { table: ofPlace(tk), min: minutes })}
      data-testid="kitchen-ticket"
    >
      <header>
        <strong class="table">{placeOf(tk)}</strong>
        <span>{tk.counter ? t('cuisine.counterTill', { till: tk.counter.till }) : t('cuisine.covers', { n: tk.covers })}</span>
        <span class="age" title={t('cuisine.since')}>
          {minutes}′
        </span>
      </header>
      <p class="who">
        {tk.waiter} · {new Date(tk.createdAt).toLocaleTimeString(lang === 'fr' ? 'fr-FR' : 'en-GB', { hour: '2-digit', minute: '2-digit' })}
        {tk.reprints > 0 && ` · ${t('cuisine.reprinted', { n: tk.reprints })}`}
        {tk.printStatus === 'failed' && <span class="print-failed"> · {t('cuisine.printFailed')}</span>}
      </p>
      {tk.kind === 'void' && <p class="kind void">{t('cuisine.void', { reason: tk.reason ?? '' })}</p>}
      {tk.kind === 'fire' && (
        <p class="kind fire">{t('cuisine.fire', { course: t(`salle.course.${tk.course ?? 'none'}` as MessageKey) })}</p>
      )}
      {[...courses].map(([key, items]) => (
        <section key={key} class={key.startsWith('w:') ? 'waiting' : ''}>
          <h3>
            {t(`salle.course.${key.replace('w:', '')}` as MessageKey)}
            {key.startsWith('w:') && ` — ${t('cuisine.later')}`}
          </h3>
          <ul>
            {items.map((i) => (
              <li key={i.lineId} class={i.cancelled >= i.quantity ? 'cancelled' : undefined}>
                {/* Cancelled since (its ANNULÉ ticket came apart): struck here too, what is left said. */}
                {i.cancelled >= i.quantity ? (
                  <>
                    <s>
                      <strong>{i.quantity} ×</strong> {i.name}
                    </s>{' '}
                    <small class="item-cancelled">{t('cuisine.cancelled')}</small>
                  </>
                ) : (
                  <>
                    <strong>{i.quantity - i.cancelled} ×</strong> {i.name}
                    {i.cancelled > 0 && <small class="item-cancelled"> ({t('cuisine.cancelledPart', { n: i.cancelled })})</small>}
                  </>
                )}
                {i.seat !== null && <small> · {t('salle.seat', { n: i.seat })}</small>}
                {i.modifiers.map((m) => {
                  const o = optionForKitchen(m);
                  return (
                    <div key={m} class={o.removes ? 'item-mod item-mod-removes' : 'item-mod'}>
                      {o.removes ? '−' : '+'} {o.text}
                    </div>
                  );
                })}
                {i.note && <div class="item-note">› {i.note}</div>}
                {i.fired && <div class="item-fired">{t('cuisine.fired')}</div>}
                {i.movedTo && (
                  <div class="item-moved" data-testid="item-moved">
                    {t('cuisine.movedTo', { table: i.movedTo })}
                  </div>
                )}
              </li>
            ))}
          </ul>
        </section>
      ))}
      <footer>
        {tk.state === 'ready' && (
          <button
            onClick={() => onBump(tk, 'todo')}
            data-testid="recall"
            aria-label={t('cuisine.bumpLabel', { action: t('cuisine.recall'), table: ofPlace(tk) })}
          >
            {t('cuisine.recall')}
          </button>
        )}
        {/* Named with its table, as Réimprimer is: every card's « Prêt » read alike to a screen reader. */}
        <button
          class="bump primary"
          onClick={() => onBump(tk, NEXT[tk.state])}
          data-testid="bump"
          aria-label={t('cuisine.bumpLabel', {
            action: tk.kind === 'void' ? t('cuisine.seen') : tk.state === 'todo' ? t('cuisine.ready') : t('cuisine.serve'),
            table: ofPlace(tk),
          })}
        >
          {tk.kind === 'void' ? t('cuisine.seen') : tk.state === 'todo' ? t('cuisine.ready') : t('cuisine.serve')}
        </button>
        <button onClick={() => onReprint(tk)} aria-label={t('cuisine.reprintLabel', { table: ofPlace(tk) })}>
          {t('cuisine.reprint')}
        </button>
      </footer>
    </article>
  );
}

function Pair({ onPaired }: { onPaired: () => void }) {
  const [code, setCode] = useState(() => {
    const c = new URLSearchParams(location.search).get('pair') ?? '';
    return /^[A-Z0-9]{8}$/.test(c) ? c : '';
  });
  const [error, setError] = useState('');
  const pair = async (c: string) => {
    try {
      await call(tillsApi.pair, { body: { code: c } });
      history.replaceState(null, '', location.pathname);
      onPaired();
    } catch (e) {
      setError((e as Error).message);
    }
  };
  useEffect(() => {
    if (code) void pair(code);
  }, []);
  return (
    <main class="kitchen center">
      <form
        class="pair"
        onSubmit={(e) => {
          e.preventDefault();
          void pair(code);
        }}
      >
        <h1>{t('cuisine.pair')}</h1>
        <p>{t('till.pair.help')}</p>
        <label>
          {t('till.pair.code')}
          <input
            value={code}
            maxLength={8}
            autocomplete="off"
            onInput={(e) => setCode((e.target as HTMLInputElement).value.toUpperCase())}
          />
        </label>
        {error && (
          <p class="error" role="alert">
            {error}
          </p>
        )}
        <button class="primary" type="submit">
          {t('till.pair.submit')}
        </button>
      </form>
    </main>
  );
}

render(<App />, document.getElementById('app')!);
