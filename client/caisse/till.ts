import { io, type Socket } from 'socket.io-client';
import type { ClientToServerEvents, PrinterStateEvent, ServerToClientEvents } from '../../shared/realtime.ts';
import { ApiError, call, isOffline, link } from '../api.ts';
import { salesApi } from '../../shared/api/sales.ts';
import { authApi } from '../../shared/api/auth.ts';
import { systemApi } from '../../shared/api/system.ts';
import { tillsApi, type CurrentDevice } from '../../shared/api/tills.ts';
import { translateTill } from '../../shared/i18n/till.ts';
import { drawerApi, type CashMovementBody, type CashMovementView, type TillDayView } from '../../shared/api/drawer.ts';
import { CatalogIndex, type CatalogData } from './catalog.ts';
import { catalogApi } from '../../shared/api/catalog.ts';
import { emptyCart, priceCart, saleLines, type Cart } from './cart.ts';
import { all, del, get, numberAndQueue, put, raiseCounter, requeue } from './idb.ts';
import { Outbox, type OutboxItem, type OutboxState, type RefusedItem } from './outbox.ts';
import { uuidv7 } from '../../shared/uuid.ts';
import { settle } from '../../shared/sales.ts';
import { rejoinWhenDropped } from '../rejoin.ts';

/** A ticket the server acknowledged, kept (IndexedDB `sent`) to send again to a server restored without it. */
interface SentItem {
  id: string;
  kind: 'sale' | 'refund';
  path: string;
  body: unknown;
  number: number;
  totalCents?: number;
  tillId: number;
  training: boolean;
  sentAt: string;
}
const SENT_KEPT_MS = 14 * 24 * 3_600_000;

/** The till this tablet is paired with, as `GET /api/devices/current` gives it (kept for offline starts). */
export type DeviceInfo = CurrentDevice;
export interface User {
  id: number;
  displayName: string;
  role: string;
}
export interface Payment {
  method: string;
  amountCents: number;
  /** A tip added on a card payment (when the shop takes them): charged with it, outside the total. */
  tipCents?: number;
}
export interface Parked {
  id: string;
  cart: Cart;
  parkedAt: string;
  cashier: string;
  totalCents: number;
}

/** A ticket just finished: its change, and what became of it (stored on the server, or queued). */
export interface Finished {
  id: string;
  number: number;
  totalCents: number;
  changeCents: number;
  /** What the customer handed over, every method together. */
  receivedCents: number;
  /** A meal voucher worth more than was due: what the shop keeps of it (no change on a voucher). */
  voucherKeptCents?: number;
  cash: boolean;
  receiptToken: string | null;
  /** The number this tablet gave it, when the server recorded it under another (used by another tablet). */
  proposedNumber?: number;
  /** The business day the server booked it on (the next one when today's Z was taken early). */
  businessDay?: string;
  /**
   * Dishes it sold that are prepared at a station (a counter sale at the restaurant's till): the server sends
   * them to the kitchen when the ticket reaches it, so offline they wait with the ticket; none in training.
   */
  kitchenDishes?: number;
  training?: boolean;
  /** The server refused it (its word): nothing was sold, the customer gets their money back. */
  refused?: string;
  /** What the customer paid themselves (the fund's share and the change left out): what a refusal gives back. */
  customerPaidCents?: number;
}

/** A business day left without its Z blocks new sales from `blocksAt` (the day's end + 24 h), when the shop says so. */
export function salesBlocked(day: TillDayView | null, now = Date.now()): boolean {
  return !!day?.missedZ?.blocks && now >= Date.parse(day.missedZ.blocksAt);
}

export type Screen = 'boot' | 'pair' | 'lock' | 'sell' | 'pay' | 'done' | 'refund' | 'refused' | 'replaced' | 'prints' | 'drawer';

export interface TillState {
  screen: Screen;
  device: DeviceInfo | null;
  /**
   * The shop's public address (`PUBLIC_URL`), where a digital receipt's QR code leads; null when it has none
   * (the QR code would lead to the shop's own network, which a customer's phone can seldom open), undefined
   * until the server said.
   */
  publicUrl?: string | null;
  user: User | null;
  catalog: CatalogIndex | null;
  cart: Cart;
  payments: Payment[];
  finished: Finished | null;
  outbox: OutboxState;
  parked: Parked[];
  printer: PrinterStateEvent | null;
  message: { kind: 'error' | 'info'; text: string } | null;
  /** The restaurant order lines this cart pays (a bill, or part of it): sent with the ticket. */
  orderPart: { id: string; lines: { lineId: string; quantity: number }[] } | null;
  /** A share of a restaurant bill (part k of N equal parts): its amount comes from the server, its lines too. */
  /** A share of a restaurant bill; `voucherEligibleCents`: what of it meal vouchers may pay (its eligible food). */
  orderShare: { id: string; parts: number; index: number; amountCents: number; custom?: boolean; voucherEligibleCents?: number } | null;
  /** What a bill's payment is for, said on the payment screen: « Table 6 — part 2/3 ». */
  payingFor: string | null;
  /** Where this till's sales go now (today, or the next day once today's Z is taken) and its float there. */
  day: TillDayView | null;
  /** A manager's approval of a cash payment above the shop's threshold (1 000 €), sent with the ticket. */
  cashApproval?: string | null;
  /** The business day whose float the cashier chose to count later. */
  floatSkipped: string | null;
  /** The drawer screen opened on this kind of movement. */
  drawerKind: 'float' | 'in' | 'out';
  /** Sold at solidarity prices (issue 22): the household's card, and the split the server will check. */
  household?: { cardCode: string; code: string; householdCents: number; fundCents: number } | null;
}

type Listener = (s: TillState, prev: TillState) => void;

const enc = new TextEncoder();
const hex = (b: ArrayBuffer | Uint8Array) => [...new Uint8Array(b)].map((x) => x.toString(16).padStart(2, '0')).join('');

const PIN_ITERATIONS = 100_000;

/**
 * A cashier's PIN, kept only as a salted PBKDF2-SHA-256 digest, to unlock the till while the server is
 * unreachable. WebCrypto exists only in secure contexts (HTTPS): on a plain-HTTP page the same digest is
 * computed by @noble/hashes (audited, loaded only then), so the PIN screen never fails with a TypeError.
 */
export async function pinDigest(pin: string, salt: string): Promise<string> {
  if (globalThis.crypto?.subtle) {
    const key = await crypto.subtle.importKey('raw', enc.encode(pin), 'PBKDF2', false, ['deriveBits']);
    return hex(
      await crypto.subtle.deriveBits({ name: 'PBKDF2', hash: 'SHA-256', salt: enc.encode(salt), iterations: PIN_ITERATIONS }, key, 256),
    );
  }
  const [{ pbkdf2Async }, { sha256 }] = await Promise.all([import('@noble/hashes/pbkdf2.js'), import('@noble/hashes/sha2.js')]);
  return hex(await pbkdf2Async(sha256, enc.encode(pin), enc.encode(salt), { c: PIN_ITERATIONS, dkLen: 32 }));
}

/**
 * The till's state and everything it does, apart from drawing it: pairing, PIN login and lock, the
 * catalogue kept for offline use, the cart, payments, the numbered outbox, live updates.
 */
const CART_KEY = 'comptoir.cart';
/** The payments of the ticket being paid (a card already charged must not be forgotten by a reload). */
const PAYMENTS_KEY = 'comptoir.payments';

interface KeptPayments {
  payments: Payment[];
  cashApproval: string | null;
}

/**
 * The payments taken for the ticket in progress, kept on the tablet until it is sold: a reload, going back
 * to the cart to add a forgotten item or take one off, never loses a card already charged (found by a
 * newcomer's walk: the 5,50 € taken by card were dropped when the cart changed). Only taking a payment off
 * (the card refunded at the terminal) removes one.
 */
function keptPayments(): KeptPayments | null {
  try {
    const raw = localStorage.getItem(PAYMENTS_KEY);
    const kept = raw ? (JSON.parse(raw) as KeptPayments) : null;
    return kept && Array.isArray(kept.payments) && kept.payments.length ? kept : null;
  } catch {
    return null;
  }
}

/** Locked on this tablet (`Till.lock`): read with no argument, set or lifted with one. */
function lockedOnTablet(set?: boolean): boolean {
  try {
    if (set === true) localStorage.setItem('comptoir.locked', '1');
    else if (set === false) localStorage.removeItem('comptoir.locked');
    return localStorage.getItem('comptoir.locked') === '1';
  } catch {
    return set ?? false;
  }
}

function keptCartOnTablet(): Cart | null {
  try {
    const raw = localStorage.getItem(CART_KEY);
    return raw ? (JSON.parse(raw) as Cart) : null;
  } catch {
    return null;
  }
}

export class Till {
  state: TillState = {
    screen: 'boot',
    device: null,
    user: null,
    catalog: null,
    cart: emptyCart(),
    payments: [],
    finished: null,
    outbox: { waiting: 0, otherWaiting: 0, opsWaiting: 0, refused: 0, online: true, needsLogin: false },
    parked: [],
    printer: null,
    message: null,
    orderPart: null,
    orderShare: null,
    payingFor: null,
    day: null,
    // « Plus tard » is kept for the day on the tablet: a reload does not ask again (a newcomer found it did).
    floatSkipped: (() => {
      try {
        return localStorage.getItem('comptoir.floatSkipped');
      } catch {
        return null;
      }
    })(),
    drawerKind: 'float',
  };
  private listeners = new Set<Listener>();
  private socket: Socket<ServerToClientEvents, ClientToServerEvents> | null = null;
  readonly outbox: Outbox;
  private lastTouch = Date.now();
  private catalogRefresh: ReturnType<typeof setTimeout> | null = null;
  /** What another app built on the till (the waiter's) listens to: its socket events, its operations' answers. */
  private readonly socketHooks: ((socket: Socket<ServerToClientEvents, ClientToServerEvents>) => void)[] = [];
  private readonly sentHooks: ((item: OutboxItem, reply: unknown) => void)[] = [];
  private readonly refusedHooks: ((item: RefusedItem) => void | Promise<void>)[] = [];

  constructor() {
    this.outbox = new Outbox(
      (o) => this.set({ outbox: o }),
      (item, reply) => this.sent(item, reply),
      async (item) => {
        // The ticket just paid for, refused by the server (an object sold meanwhile at another till): the screen
        // says so, not « gardé sur la tablette » (found by a walk: the cashier kept the money for nothing).
        const f = this.state.finished;
        if (f && f.id === item.id) this.set({ finished: { ...f, refused: item.message } });
        for (const h of this.refusedHooks) await h(item);
      },
      () => void this.reportHeads(),
    );
  }

  /** The last ticket the server acknowledged, kept to be reported (issue 20: a tail deleted on the server is seen). */
  private headWrite: Promise<void> = Promise.resolve();

  /**
   * Tells the server which ticket it last acknowledged to this tablet (on connecting, after the outbox
   * emptied): a server that lacks it records an alert. Best effort: offline, it is told next time.
   */
  private async reportHeads() {
    await this.headWrite;
    const device = this.state.device;
    if (!device) return;
    await this.forgetOldSent();
    for (const training of [false, true]) {
      const head = await get<{ number: number; hash: string }>('kv', `journalHead:${device.id}:${training ? 'training' : 'real'}`);
      if (!head) continue;
      const reply = await call(tillsApi.reportHead, { body: { training, number: head.number, hash: head.hash } }).catch(() => null);
      // The server lacks what it acknowledged (restored from an older backup): what this tablet kept beyond
      // the server's last number goes again, with its own id and number (a probe's restore lost six
      // acknowledged tickets for good: the tablet had forgotten them).
      if (reply && !reply.known && reply.lastNumber !== undefined) await this.sendAgain(device.id, training, reply.lastNumber);
    }
  }

  /** The acknowledged tickets kept (`sent`) of this till beyond `after`, queued again in their order. */
  private async sendAgain(tillId: number, training: boolean, after: number) {
    const kept = (await all<SentItem>('sent'))
      .filter((x) => x.tillId === tillId && x.training === training && x.number > after)
      .sort((a, b) => a.number - b.number);
    if (!kept.length) return;
    const queuedAt = new Date().toISOString();
    await requeue(kept.map(({ id, kind, path, body, number, totalCents }) => ({ id, kind, path, body, number, totalCents, queuedAt })));
    // Out of `sent` until the server acknowledges them again (one it refuses stays with the refused, for a
    // manager, and is not sent again and again).
    for (const x of kept) await del('sent', x.id);
    await this.outbox.refreshCounts();
    void this.outbox.kick();
  }

  /**
   * Acknowledged tickets are kept two weeks (the backups a restore would start from are newer); looked through
   * once an hour at most (the heads are reported after every sale).
   */
  private async forgetOldSent() {
    if (Date.now() - this.sentPrunedAt < 3_600_000) return;
    this.sentPrunedAt = Date.now();
    const before = new Date(Date.now() - SENT_KEPT_MS).toISOString();
    for (const x of await all<SentItem>('sent')) if (x.sentAt < before) await del('sent', x.id);
  }
  private sentPrunedAt = 0;

  /** Listens on the till's socket (now, or once it connects). */
  onSocket(hook: (socket: Socket<ServerToClientEvents, ClientToServerEvents>) => void) {
    this.socketHooks.push(hook);
    if (this.socket) hook(this.socket);
  }

  onSent(hook: (item: OutboxItem, reply: unknown) => void) {
    this.sentHooks.push(hook);
  }

  onRefused(hook: (item: RefusedItem) => void | Promise<void>) {
    this.refusedHooks.push(hook);
  }

  /**
   * Queues a request behind the tickets, sent in order exactly once (an order operation: the server applies
   * an id once). Stored before it is sent: the phone can lose the Wi-Fi, or be closed, and lose nothing.
   */
  async enqueue(kind: OutboxItem['kind'], id: string, path: string, body: unknown, totalCents?: number): Promise<OutboxItem> {
    const item = await numberAndQueue<Omit<OutboxItem, 'seq'>>('ops', 0, () => ({
      id,
      kind,
      path,
      body,
      ...(totalCents !== undefined ? { totalCents } : {}),
      queuedAt: new Date().toISOString(),
    }));
    await this.outbox.refreshCounts();
    void this.outbox.kick();
    return item;
  }

  subscribe(l: Listener): () => void {
    this.listeners.add(l);
    return () => this.listeners.delete(l);
  }

  set(patch: Partial<TillState>) {
    const prev = this.state;
    this.state = { ...prev, ...patch };
    if (patch.cart && patch.cart !== prev.cart) this.keepCart(patch.cart);
    if (patch.payments && patch.payments !== prev.payments) this.keepPayments();
    for (const l of this.listeners) l(this.state, prev);
  }

  /**
   * The cart in progress, kept on the tablet so a reload or a browser restart finds it: in the page's own
   * storage, the latest cart only, written at most once a second, when the browser is idle (so a scan's
   * frame never waits for it, nor even for asking the browser to call back); and at once when the page is
   * hidden or left (a reload, the browser closed), which is when it must not be lost. A browser killed
   * outright loses at most the last second of scanning. An emptied cart (sold, parked) is written at once.
   */
  private cartToKeep: Cart | null = null;
  private keepCart(cart: Cart) {
    const pending = this.cartToKeep !== null;
    this.cartToKeep = cart;
    if (!cart.lines.length) return this.flushCart();
    if (pending) return;
    setTimeout(() => {
      if (typeof requestIdleCallback === 'function') requestIdleCallback(() => this.flushCart(), { timeout: 500 });
      else this.flushCart();
    }, 1000);
  }

  /** The payments taken so far, written at once (a few a ticket): a reload finds them on the payment screen. */
  private keepPayments() {
    try {
      const { payments, cashApproval } = this.state;
      const kept: KeptPayments = { payments, cashApproval: cashApproval ?? null };
      if (payments.length) localStorage.setItem(PAYMENTS_KEY, JSON.stringify(kept));
      else localStorage.removeItem(PAYMENTS_KEY);
    } catch {
      // Storage full or refused: the payments still live in memory.
    }
  }

  /** Writes the cart waiting to be kept, if any. */
  flushCart() {
    const cart = this.cartToKeep;
    if (!cart) return;
    this.cartToKeep = null;
    try {
      if (cart.lines.length || cart.discountCents) localStorage.setItem(CART_KEY, JSON.stringify(cart));
      else localStorage.removeItem(CART_KEY);
    } catch {
      // Storage full or refused (private mode): the cart still lives in memory.
    }
  }

  say(kind: 'error' | 'info', text: string) {
    this.set({ message: { kind, text } });
  }

  // ---- start, pairing, login -------------------------------------------------------------------------

  async boot() {
    await this.outbox.refreshCounts();
    this.set({ parked: await all<Parked>('parked') });
    const cachedDevice = await get<DeviceInfo>('kv', 'device');
    const cachedUser = await get<User>('kv', 'user');
    const cachedCatalog = await get<CatalogData>('kv', 'catalog');
    if (cachedCatalog) this.set({ catalog: new CatalogIndex(cachedCatalog) });
    // The cart in progress survives a reload or a browser restart.
    // A cart an earlier version kept in IndexedDB is taken over once, then forgotten there.
    const olderCart = await get<Cart>('kv', 'cart');
    if (olderCart) await del('kv', 'cart');
    const keptCart = keptCartOnTablet() ?? olderCart;
    if (keptCart?.lines?.length && !this.state.cart.lines.length) {
      // With the payments already taken for it (not the solidarity fund's share: it goes with a household's
      // card, scanned again): the till opens on the payment screen, what is left to pay.
      const kept = keptPayments();
      const payments = kept?.payments.filter((p) => p.method !== 'solidarity') ?? [];
      this.set({ cart: keptCart, ...(payments.length ? { payments, cashApproval: kept?.cashApproval ?? null } : {}) });
    }
    // Booted again when the server comes back after an offline start: the cashier's screen (a payment, a
    // refund) is left as it is unless the person logged in changed.
    const starting = this.state.screen === 'boot' || this.state.screen === 'pair';
    try {
      const device = await call(tillsApi.current);
      await put('kv', device, 'device');
      void call(systemApi.health)
        .then((h) => this.set({ publicUrl: h.publicUrl }))
        .catch(() => undefined);
      this.set({ device, outbox: { ...this.outbox.state, online: true } });
      const me = await call(authApi.me).catch(() => null);
      if (me && me.tillId === device.id) {
        await put('kv', me.user, 'user');
        const same = !starting && this.state.user?.id === me.user.id;
        const paying = this.state.cart.lines.length > 0 && this.state.payments.length > 0;
        this.set({
          user: me.user,
          ...(device.replaced
            ? { screen: 'replaced' as const }
            : same
              ? {}
              : { screen: lockedOnTablet() ? ('lock' as const) : paying ? ('pay' as const) : ('sell' as const) }),
        });
        void this.loadCatalog();
        void this.refreshDay();
        void this.outbox.kick();
      } else {
        this.set({ user: null, screen: device.replaced ? 'replaced' : 'lock' });
      }
      this.connect();
    } catch (e) {
      if (e instanceof ApiError && e.status === 401) {
        this.set({ screen: 'pair' });
        return;
      }
      // The server cannot be reached: the till opens on what it kept, and keeps selling.
      this.outbox.state = { ...this.outbox.state, online: false };
      this.set({ outbox: this.outbox.state });
      if (!cachedDevice) {
        this.set({ screen: 'pair' });
        return;
      }
      this.set({
        device: cachedDevice,
        user: cachedUser ?? null,
        screen: cachedDevice.replaced ? 'replaced' : cachedUser && !lockedOnTablet() ? 'sell' : 'lock',
      });
      void this.outbox.kick();
      this.watchHealth();
    }
  }

  async pair(code: string) {
    await call(tillsApi.pair, { body: { code } });
    await this.boot();
  }

  /** A manager's PIN typed on the lock screen lifts a person's lockout. */
  async unlock(userId: number, managerPin: string) {
    const res = await call(authApi.unlock, { body: { userId, pin: managerPin } });
    await this.refreshDevice();
    return res;
  }

  async login(userId: number, pin: string) {
    const device = this.state.device!;
    try {
      const res = await call(authApi.pin, { body: { tillId: device.id, pin, ...(userId !== undefined ? { userId } : {}) } });
      const salt = uuidv7();
      await put('kv', { salt, digest: await pinDigest(pin, salt) }, `pin:${userId}`);
      await put('kv', res.user, 'user');
      this.afterLogin(res.user);
      void this.loadCatalog();
      this.connect();
    } catch (e) {
      if (!isOffline(e)) throw e;
      // Offline: the PIN is checked against the digest kept at this cashier's last login on this tablet.
      const kept = await get<{ salt: string; digest: string }>('kv', `pin:${userId}`);
      const member = device.staff.find((s) => s.id === userId);
      if (!kept || !member || (await pinDigest(pin, kept.salt)) !== kept.digest) throw new ApiError(401, 'offline-pin');
      const user = { id: member.id, displayName: member.displayName, role: member.role };
      await put('kv', user, 'user');
      this.afterLogin(user);
    }
  }

  private afterLogin(user: User) {
    this.lastTouch = Date.now();
    void this.refreshDay();
    const screen = this.state.device?.replaced ? 'replaced' : this.state.cart.lines.length && this.state.payments.length ? 'pay' : 'sell';
    lockedOnTablet(false);
    this.set({ user, screen, message: null });
    void this.outbox.kick();
  }

  /**
   * Locks the till (« Verrouiller », or idle): a PIN unlocks it. It stays locked across a reload or a browser
   * restarted; the session stays (the outbox keeps sending), the screen does not open on it: a reload opened
   * the Gérant's session again with no PIN (found by a walk).
   */
  lock() {
    lockedOnTablet(true);
    this.set({ screen: 'lock' });
  }

  async logout() {
    await call(authApi.logout).catch(() => undefined);
    await del('kv', 'user');
    this.set({ user: null, screen: 'lock' });
  }

  touch() {
    this.lastTouch = Date.now();
  }

  /** Auto-lock after the configured idle time (never in the middle of a payment). */
  checkIdle(now = Date.now()) {
    const seconds = this.state.device?.options.autoLockSeconds ?? 0;
    if (!seconds || this.state.screen !== 'sell') return;
    if (now - this.lastTouch > seconds * 1000) this.lock();
  }

  // ---- catalogue and live updates -------------------------------------------------------------------

  async loadCatalog() {
    try {
      const data = await call(catalogApi.tillCatalog, {}, 30_000);
      await put('kv', data, 'catalog');
      const before = this.state.catalog;
      const catalog = new CatalogIndex(data);
      this.set({ catalog });
      this.dropSoldElsewhere(before, catalog);
    } catch (e) {
      if (!isOffline(e)) this.say('error', (e as Error).message);
    }
  }

  /**
   * A one-off object (the ressourcerie's) in the cart that left the catalogue: sold at another till meanwhile.
   * It leaves the cart, said so, before it is paid for (two tabs sold one teapot: the second ticket was
   * refused after the customer had paid, found by a walk). On the payment screen, back to the cart, where the
   * cashier sees it gone; the payments taken stay with the ticket.
   */
  private dropSoldElsewhere(before: CatalogIndex | null, after: CatalogIndex) {
    if (!before) return;
    const { cart } = this.state;
    const gone = cart.lines.filter((l) => before.byId.get(l.productId)?.oneOff && !after.byId.has(l.productId));
    if (!gone.length) return;
    this.set({
      cart: { ...cart, lines: cart.lines.filter((l) => !gone.includes(l)) },
      // Back to the cart, as « Retour »: the payments taken stay, the fund's share goes with the household's card.
      ...(this.state.screen === 'pay'
        ? { screen: 'sell' as const, household: null, payments: this.state.payments.filter((p) => p.method !== 'solidarity') }
        : {}),
    });
    const lang = localStorage.getItem('lang') === 'en' ? 'en' : 'fr';
    this.say('error', gone.map((l) => translateTill(lang, 'till.scan.oneOffSoldElsewhere', { name: l.name })).join(' '));
  }

  private connect() {
    if (this.socket) return;
    const socket: Socket<ServerToClientEvents, ClientToServerEvents> = io({ transports: ['websocket'], reconnectionDelayMax: 5000 });
    this.socket = socket;
    socket.on('connect', () => {
      this.outbox.state = { ...this.outbox.state, online: true };
      this.set({ outbox: this.outbox.state });
      // What changed while it was away (another tablet paired with this till, say; a Z taken).
      void this.refreshDevice().then(() => this.reportHeads());
      void this.refreshDay();
      void this.outbox.kick();
      // Back online: the catalogue may have changed meanwhile.
      void this.loadCatalog();
    });
    socket.on('disconnect', () => {
      this.outbox.state = { ...this.outbox.state, online: false };
      this.set({ outbox: this.outbox.state });
    });
    rejoinWhenDropped(socket);
    socket.on('stock:changed', (events) => {
      const catalog = this.state.catalog;
      if (!catalog) return;
      for (const e of events) {
        // Another site's shelves (a manager logged in here hears of every site).
        if (catalog.data.siteId !== undefined && e.siteId !== catalog.data.siteId) continue;
        const p = catalog.byId.get(e.productId);
        if (p) {
          p.onHand = e.onHand;
          p.low = e.low;
        }
      }
      // The products changed in place: the grid is told by the catalogue's stock version.
      catalog.stockVersion++;
      this.set({ catalog });
    });
    socket.on('dishes:availability', (events) => {
      const catalog = this.state.catalog;
      if (!catalog) return;
      for (const e of events) {
        const p = catalog.byId.get(e.productId);
        if (p) p.ingredientsShort = e.ingredientsShort;
      }
      catalog.stockVersion++;
      this.set({ catalog });
    });
    socket.on('printer:state', (p) => {
      if (p.printerId === this.state.device?.printerId) this.set({ printer: p });
    });
    socket.on('day:closed', () => void this.refreshDay());
    // A day ends while the till is on: asked again now and then, so the missed-Z banner comes in the morning.
    if (!this.dayTimer) this.dayTimer = setInterval(() => void this.refreshDay(), 5 * 60_000);
    socket.on('devices:replaced', (e) => {
      // Another tablet took this till over: learn it from the server, and stop selling.
      if (e.deviceIds.includes(this.state.device?.deviceId ?? -1)) void this.refreshDevice();
    });
    for (const hook of this.socketHooks) hook(socket);
    // A manager changed how tills behave: this one follows at once (it kept the old options until a reload).
    socket.on('settings:changed', () => void this.refreshDevice());
    socket.on('catalog:changed', () => {
      // Several edits in a row (an import) bring one reload.
      if (this.catalogRefresh) clearTimeout(this.catalogRefresh);
      this.catalogRefresh = setTimeout(() => void this.loadCatalog(), 300);
    });
  }

  /** The till as the server sees this tablet now; a replaced tablet stops selling at once. */
  async refreshDevice() {
    try {
      const device = await call(tillsApi.current);
      await put('kv', device, 'device');
      const replacedNow = device.replaced && !this.state.device?.replaced;
      this.set({ device, ...(replacedNow && this.state.screen !== 'pair' ? { screen: 'replaced' as const } : {}) });
    } catch {
      /* offline: what it knew stands */
    }
  }

  /** Where the till's sales go now, and whether its float is counted: asked again when a day closes. */
  async refreshDay() {
    try {
      const day = await call(drawerApi.tillDay);
      await put('kv', day, 'day');
      this.set({ day });
    } catch {
      /* offline: what it knew stands */
      if (!this.state.day) {
        const kept = await get<TillDayView>('kv', 'day').catch(() => undefined);
        if (kept) this.set({ day: kept });
      }
    }
  }

  openDrawer(kind: 'float' | 'in' | 'out') {
    this.set({ screen: 'drawer', drawerKind: kind, message: null });
  }

  skipFloat() {
    if (!this.state.day) return;
    this.set({ floatSkipped: this.state.day.salesDay });
    try {
      localStorage.setItem('comptoir.floatSkipped', this.state.day.salesDay);
    } catch {
      // Refused storage: asked again after a reload, no more.
    }
    // The banner goes: the focus goes back to the search box, not to the page's top (Tab started over).
    requestAnimationFrame(() => document.querySelector<HTMLInputElement>('input.search')?.focus());
  }

  /**
   * A float, cash in or cash out from this till: sent now, or kept in the outbox behind the tickets when the
   * server cannot be reached (the server applies an id once). Answers the movement, or null when queued.
   */
  async recordCash(body: Omit<CashMovementBody, 'id' | 'createdAt'>): Promise<CashMovementView | null> {
    const full: CashMovementBody = { ...body, id: uuidv7(), createdAt: new Date().toISOString() };
    try {
      const m = await call(drawerApi.record, { body: full });
      if (m.kind === 'float') void this.refreshDay();
      return m;
    } catch (e) {
      if (!isOffline(e) || body.approval) throw e;
      await this.enqueue('cash', full.id, link(drawerApi.record), full, body.kind === 'out' ? -body.amountCents : body.amountCents);
      if (body.kind === 'float' && this.state.day) this.set({ day: { ...this.state.day, floatCents: body.amountCents } });
      return null;
    }
  }

  private healthTimer: ReturnType<typeof setInterval> | null = null;
  private dayTimer: ReturnType<typeof setInterval> | null = null;
  private watchHealth() {
    if (this.healthTimer) return;
    this.healthTimer = setInterval(async () => {
      try {
        await call(systemApi.health, {}, 3000);
        clearInterval(this.healthTimer!);
        this.healthTimer = null;
        await this.boot();
      } catch {
        /* still offline */
      }
    }, 3000);
  }

  // ---- the cart --------------------------------------------------------------------------------------

  setCart(cart: Cart) {
    this.set({ cart, message: null });
  }

  /** Puts the cart aside; false when it is partly paid (its payments would be left on no ticket). */
  park(): boolean {
    const { cart, user } = this.state;
    if (!cart.lines.length) return true;
    if (this.state.payments.length) return false;
    const priced = priceCart(cart);
    const parked: Parked = {
      id: uuidv7(),
      cart,
      parkedAt: new Date().toISOString(),
      cashier: user?.displayName ?? '',
      totalCents: 'error' in priced ? 0 : priced.total,
    };
    void put('parked', parked);
    this.set({ parked: [...this.state.parked, parked], cart: emptyCart() });
    return true;
  }

  /** Takes a parked cart back (the one in progress put aside); false when that one is partly paid. */
  resume(id: string): boolean {
    const p = this.state.parked.find((x) => x.id === id);
    if (!p) return true;
    if (!this.park()) return false;
    void del('parked', id);
    this.set({ parked: this.state.parked.filter((x) => x.id !== id), cart: p.cart });
    return true;
  }

  // ---- paying ----------------------------------------------------------------------------------------

  startPayment() {
    if (!this.state.cart.lines.length && !this.state.orderShare) return;
    // A day left without its Z: the server would refuse the ticket, so it is not paid for here.
    if (salesBlocked(this.state.day)) return;
    // The payments taken already stay (a card charged before the cart changed, or before a reload: `boot`).
    this.set({ screen: 'pay', message: null, household: null });
  }

  cancelPayment() {
    // Back to the cart: the payments taken stay with the ticket (a card charged is charged). A bill's part
    // not paid: the cart was made for it, it goes with it (and nothing was paid on it to keep).
    // The solidarity fund's share goes with the household's card, scanned again when paying.
    const part = this.state.orderPart || this.state.orderShare;
    this.set({
      screen: 'sell',
      household: null,
      orderShare: null,
      payingFor: null,
      ...(part ? { payments: [], cashApproval: null } : { payments: this.state.payments.filter((p) => p.method !== 'solidarity') }),
      ...(this.state.orderPart ? { cart: emptyCart(), orderPart: null } : {}),
    });
  }

  addPayment(p: Payment, cashApproval?: string) {
    this.set({ payments: [...this.state.payments, p], ...(cashApproval ? { cashApproval } : {}) });
  }

  removePayment(i: number) {
    // The fund's payment goes with the household's card: the ticket is at the public price again.
    const solidarity = this.state.payments[i]?.method === 'solidarity';
    this.set({ payments: this.state.payments.filter((_, j) => j !== i), ...(solidarity ? { household: null } : {}) });
  }

  /** A household's card accepted: the fund pays its share of this ticket, the household the rest. */
  applyHousehold(h: { cardCode: string; code: string; householdCents: number; fundCents: number }) {
    const payments = this.state.payments.filter((p) => p.method !== 'solidarity');
    this.set({ household: h, payments: h.fundCents > 0 ? [{ method: 'solidarity', amountCents: h.fundCents }, ...payments] : payments });
  }

  /**
   * The last payment is in: the ticket is numbered and queued on the tablet in one IndexedDB transaction
   * (from then on it cannot be lost), then sent. Only then is it shown as done.
   */
  async finish(): Promise<Finished> {
    const { cart, payments, device, user, orderShare } = this.state;
    const pricedCart = priceCart(cart);
    if ('error' in pricedCart) throw new Error(pricedCart.error);
    // A share of a bill: no lines of its own (the server makes them from the order), the amount it showed.
    const priced = orderShare ? { total: orderShare.amountCents } : pricedCart;
    const paid = payments.reduce((s, p) => s + p.amountCents, 0);
    const settled = settle(priced.total, payments);
    const id = uuidv7();
    const counter = `number:${device!.id}:${device!.trainingMode ? 'training' : 'real'}`;
    const item = await numberAndQueue<Omit<OutboxItem, 'seq'>>(counter, device!.lastNumber, (number) => ({
      id,
      kind: 'sale',
      path: link(salesApi.record),
      number,
      totalCents: priced.total,
      queuedAt: new Date().toISOString(),
      names: Object.fromEntries(cart.lines.map((l) => [l.productId, l.name])),
      body: {
        id,
        tillId: device!.id,
        number,
        createdAt: new Date().toISOString(),
        lines: orderShare ? [] : saleLines(cart),
        discountCents: orderShare ? 0 : cart.discountCents,
        payments,
        totalCents: priced.total,
        cashierId: user!.id,
        ...(cart.approval ? { discountApproval: cart.approval } : {}),
        ...(this.state.cashApproval ? { cashApproval: this.state.cashApproval } : {}),
        ...(this.state.household ? { household: this.state.household.cardCode } : {}),
        ...(this.state.orderPart ? { order: this.state.orderPart } : {}),
        ...(orderShare
          ? {
              order: {
                id: orderShare.id,
                share: orderShare.custom ? { amountCents: orderShare.amountCents } : { parts: orderShare.parts, index: orderShare.index },
              },
            }
          : {}),
      },
    }));
    // The dishes the kitchen will be sent (their category's station), counted before the cart is emptied.
    const stations = new Map((this.state.catalog?.data.categories ?? []).map((c) => [c.id, c.stationId]));
    // Only the restaurant's counters send dishes to the stations (server/sales/record.ts).
    const kitchenDishes =
      orderShare || this.state.orderPart || device!.outlet !== 'restaurant'
        ? 0
        : cart.lines.reduce((n, l) => {
            const p = this.state.catalog?.byId.get(l.productId);
            return p?.categoryId != null && stations.get(p.categoryId) != null && l.unit === 'piece' ? n + l.quantity : n;
          }, 0);
    const finished: Finished = {
      id,
      number: item.number!,
      ...(kitchenDishes ? { kitchenDishes, training: device!.trainingMode } : {}),
      totalCents: priced.total,
      // A meal voucher above what was due gives no change: only cash does (shared/sales.ts).
      changeCents: 'change' in settled ? settled.change : paid - priced.total,
      receivedCents: paid,
      ...('change' in settled && paid - priced.total - settled.change > 0
        ? { voucherKeptCents: paid - priced.total - settled.change }
        : {}),
      cash: payments.some((p) => p.method === 'cash'),
      // What the customer handed over and kept (not the solidarity fund's share, not the change): given back
      // if the server refuses the ticket.
      customerPaidCents:
        payments.filter((p) => p.method !== 'solidarity').reduce((s, p) => s + p.amountCents, 0) -
        ('change' in settled ? settled.change : 0),
      receiptToken: null,
    };
    this.outbox.state = { ...this.outbox.state, waiting: this.outbox.state.waiting + 1 };
    this.set({
      finished,
      screen: 'done',
      cart: emptyCart(),
      payments: [],
      cashApproval: null,
      household: null,
      orderPart: null,
      orderShare: null,
      payingFor: null,
      outbox: this.outbox.state,
    });
    void this.outbox.kick();
    return finished;
  }

  private sent(item: OutboxItem, reply: unknown) {
    for (const h of this.sentHooks) h(item, reply);
    const recorded =
      reply && typeof reply === 'object' ? (reply as { receiptToken?: string; number?: number; businessDay?: string }) : null;
    // Recorded under another number (another tablet of this till had used it): carry on after it.
    const renumbered =
      recorded?.number !== undefined && item.number !== undefined && recorded.number !== item.number ? recorded.number : null;
    const device = this.state.device;
    const ack = recorded as { tillId?: number; training?: boolean; number?: number; hash?: string } | null;
    if ((item.kind === 'sale' || item.kind === 'refund') && ack?.hash && ack.number !== undefined && ack.tillId !== undefined) {
      const key = `journalHead:${ack.tillId}:${ack.training ? 'training' : 'real'}`;
      const head = { number: ack.number, hash: ack.hash };
      // Kept in order: a later ticket's head never overwritten by an earlier one's.
      this.headWrite = this.headWrite.then(async () => {
        const known = await get<{ number: number }>('kv', key);
        if (!known || known.number <= head.number) await put('kv', head, key);
      });
      // The ticket itself, as recorded (its number), kept to send again to a server that would lose it; a
      // manager's PIN is not kept.
      const { approvalPin: _pin, ...body } = (item.body ?? {}) as Record<string, unknown>;
      const kept: SentItem = {
        id: item.id,
        kind: item.kind,
        path: item.path,
        body: { ...body, number: ack.number },
        number: ack.number,
        ...(item.totalCents !== undefined ? { totalCents: item.totalCents } : {}),
        tillId: ack.tillId,
        training: ack.training === true,
        sentAt: new Date().toISOString(),
      };
      void put('sent', kept).catch(() => undefined);
    }
    if (renumbered !== null && device) void raiseCounter(`number:${device.id}:${device.trainingMode ? 'training' : 'real'}`, renumbered);
    const f = this.state.finished;
    if (f && f.id === item.id && recorded?.receiptToken !== undefined) {
      this.set({
        finished: {
          ...f,
          receiptToken: String(recorded.receiptToken),
          ...(recorded.businessDay ? { businessDay: recorded.businessDay } : {}),
          ...(renumbered !== null ? { number: renumbered, proposedNumber: f.number } : {}),
        },
      });
    }
  }

  /** A replaced tablet, its tickets delivered, becomes a new tablet to pair. */
  pairAgain() {
    this.set({ screen: 'pair', device: null, user: null });
  }

  /** The customer's answer to the receipt question (AGEC law): a printed receipt, a QR code, or nothing. */
  async receipt(choice: 'print' | 'none') {
    const f = this.state.finished;
    if (f && choice === 'print') {
      await numberAndQueue<Omit<OutboxItem, 'seq'>>('receipts', 0, () => ({
        id: f.id,
        kind: 'receipt',
        path: link(salesApi.receipt, { params: { id: f.id } }),
        body: {},
        queuedAt: new Date().toISOString(),
      }));
      await this.outbox.refreshCounts();
      void this.outbox.kick();
    }
    this.nextCustomer();
  }

  nextCustomer() {
    this.set({ screen: 'sell', finished: null, message: null });
  }
}
