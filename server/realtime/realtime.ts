import { foreignOrigin } from '../http/origin.ts';
import { boundToDevice, deviceOf, type DeviceIdentity, type SessionUser } from '../auth/identity.ts';
import type http from 'node:http';
import type { Kysely } from 'kysely';
import { Server } from 'socket.io';
import { createAdapter } from '@socket.io/postgres-adapter';
import pg from 'pg';
import { z } from 'zod';
import type {
  ClientToServerEvents,
  PrinterStateEvent,
  SaleRecordedEvent,
  ServerToClientEvents,
  StatementIssuedEvent,
  StatementRunEvent,
  StockChangedEvent,
} from '../../shared/realtime.ts';
import type { Database } from '../../db/schema.ts';
import type { KitchenTicketView, OrderView } from '../../shared/api/restaurant.ts';
import { DEVICE_COOKIE, resolveDevice, resolveSession, SESSION_COOKIE } from '../auth/sessions.ts';
import type { Logger } from '../log.ts';
import { followableProducts, NO_SITE, outletIds, ownersOf, placesOf, stationPrinters, stockOf, tillRooms } from './queries.ts';
import { siteOfOutlet } from '../sites/sites.ts';

import { dishesShortOfIngredients, dishesUsing } from '../catalog/recipes.ts';

function parseCookies(header: string | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const part of (header ?? '').split(';')) {
    const i = part.indexOf('=');
    if (i > 0) out[part.slice(0, i).trim()] = part.slice(i + 1).trim();
  }
  return out;
}

const stockGet = z.object({ productIds: z.array(z.number().int().positive()).min(1).max(5000) }).strict();

/**
 * Rooms: `managers` (the network's admins and managers), `site:<id>` (the managers tied to that site: what
 * happens at their site only, never the network's statements), `till:<id>` (a paired till, locked or not),
 * `outlet:<id>`, and `producer:<id>` (that producer's own lines and stock only). A socket without a session
 * or a device gets nothing: it is refused at the handshake.
 */
/** What the server processes say to each other through the adapter. */
interface ServerSideEvents {
  /** A session ended or a tablet was unpaired: check this process's connections now. */
  recheck: () => void;
}

/** How often every connection is checked against its session and tablet (`recheck`). */
const RECHECK_EVERY_MS = 15_000;
/** `stock:get`: a burst of 5, then one a second, per connection. */
const STOCK_GET_BURST = 5;
const STOCK_GET_PER_SECOND = 1;
/** The rooms a paired tablet is in on its own account (not its person's). */
const DEVICE_ROOM = /^(till|outlet|printer):\d+$/;
/** What a person hears on their own account: managers their network or site, a producer their own. */
async function joinPersonRooms(socket: { join(rooms: string | string[]): unknown }, user: SessionUser | null) {
  if (user?.role === 'admin' || user?.role === 'manager') await socket.join(user.siteId == null ? 'managers' : `site:${user.siteId}`);
  if (user?.role === 'producer' && user.producerId !== null) await socket.join(`producer:${user.producerId}`);
}
const sameUser = (a: SessionUser | null, b: SessionUser | null) =>
  a === b || (a !== null && b !== null && a.id === b.id && a.role === b.role && a.siteId === b.siteId && a.producerId === b.producerId);

/** How long stock changes are gathered before one broadcast. */
const STOCK_COALESCE_MS = 25;
/** How long the sites of outlets, tills and printers are trusted before they are read again. */
const PLACES_MAX_AGE_MS = 60_000;

/** Somewhere something happened: the site's tied managers hear of it (`toManagers`). */
type Place = { outletId: number } | { tillId: number } | { printerId: number };

export class Realtime {
  readonly io: Server<ClientToServerEvents, ServerToClientEvents, ServerSideEvents>;
  /** The connections of socket.io's PostgreSQL adapter (several processes). */
  private adapterPool: pg.Pool | null = null;

  constructor(
    httpServer: http.Server,
    private readonly db: Kysely<Database>,
    private readonly log: Logger,
    now: () => Date,
    /** Through the public proxy only producers get live updates (`PROXY_ACCESS=portal`). */
    isRemote?: (req: http.IncomingMessage) => boolean,
    /** The shop's public address (`PUBLIC_URL`): its pages may open the socket too. */
    publicUrl?: string,
    /**
     * The PostgreSQL database several server processes share: every emit reaches the clients of every
     * process, through socket.io's PostgreSQL adapter (NOTIFY, and its attachments table beyond 8 kB).
     */
    postgresUrl?: string,
  ) {
    this.io = new Server(httpServer, {
      serveClient: false,
      cors: { origin: false },
      // The handshake from one of our own pages only (a page on another port of this host has the cookies).
      allowRequest: (req, callback) => {
        // How the page reached us: a proxy's word for it if one forwards (a page's script cannot set that
        // header, and it only narrows what passes), else our own socket's.
        const forwarded = req.headers['x-forwarded-proto'];
        const scheme =
          (typeof forwarded === 'string' ? forwarded.split(',')[0]!.trim() : '') ||
          ((req.socket as { encrypted?: boolean }).encrypted ? 'https' : 'http');
        callback(null, foreignOrigin(req.headers, 'POST', req.headers.host, scheme, { publicUrl }) === null);
      },
    });
    if (postgresUrl) {
      this.adapterPool = new pg.Pool({ connectionString: postgresUrl, max: 3, application_name: 'comptoir-realtime' });
      this.adapterPool.on('error', (e) => log.warn('realtime adapter connection lost', { error: e.message }));
      // The adapter's listening connection is held, never idle: its loss is logged, not the process's end.
      this.adapterPool.on('connect', (c) => c.on('error', (e) => log.warn('realtime adapter connection lost', { error: e.message })));
      this.io.adapter(createAdapter(this.adapterPool, { errorHandler: (e) => log.warn('realtime adapter', { error: e.message }) }));
    }
    // `touch`: at the handshake a tablet's "last seen" is refreshed, as by any request of it.
    this.identify = async (socket, touch) => {
      const cookies = parseCookies(socket.handshake.headers.cookie);
      const remote = isRemote?.(socket.request) ?? false;
      const [session, tablet] = await Promise.all([
        resolveSession(db, cookies[SESSION_COOKIE], now()),
        remote ? null : resolveDevice(db, cookies[DEVICE_COOKIE], touch ? now() : undefined),
      ]);
      const user = session && boundToDevice(session, tablet) ? session : null;
      const device = deviceOf(user, tablet);
      if (!user && !device) return 'unauthorized';
      if (remote && user?.role !== 'producer') return 'forbidden';
      return { user, device };
    };
    this.io.use(async (socket, next) => {
      try {
        const who = await this.identify(socket, true);
        if (typeof who === 'string') return next(new Error(who));
        socket.data = who;
        next();
      } catch (e) {
        next(e as Error);
      }
    });
    // Another process ended a session or unpaired a tablet: its connections here are checked now, not within
    // 15 s (found by an attack: a logged-out manager heard 24 to 65 more tickets on another process).
    this.io.on('recheck', () => void this.recheckHere());
    this.recheckTimer = setInterval(() => void this.recheckHere(), RECHECK_EVERY_MS);
    this.recheckTimer.unref();
    this.io.on('connection', async (socket) => {
      this.warmPlaces();
      const { user, device } = socket.data as {
        user: Awaited<ReturnType<typeof resolveSession>>;
        device: Awaited<ReturnType<typeof resolveDevice>>;
      };
      await joinPersonRooms(socket, user);
      let onlySite: number | null = user?.role === 'admin' || user?.role === 'manager' ? (user.siteId ?? null) : null;
      if (device) {
        const till = await tillRooms(db, device.tillId);
        if (till) onlySite = await siteOfOutlet(db, till.outlet_id);
        // Its own receipt printer, and its outlet's stations' printers (a waiter sees the kitchen's is down).
        const printers = [
          ...new Set([...(till?.printer_id ? [till.printer_id] : []), ...(till ? await stationPrinters(db, till.outlet_id) : [])]),
        ];
        await socket.join([
          'tills',
          `till:${device.tillId}`,
          ...(till ? [`outlet:${till.outlet_id}`] : []),
          ...printers.map((p) => `printer:${p}`),
        ]);
        // A till that (re)connects learns its printers' state at once.
        for (const printerId of this.printerStatus ? printers : []) {
          const status = await this.printerStatus!(printerId).catch(() => null);
          if (status) socket.emit('printer:state', status);
        }
      }
      // A till coming back asks once, a page now and then: a connection asking on and on is refused
      // (each request reads up to 5,000 products).
      const budget = { tokens: STOCK_GET_BURST, at: Date.now() };
      socket.on('stock:get', async (request, reply) => {
        if (typeof reply !== 'function') return;
        const t = Date.now();
        budget.tokens = Math.min(STOCK_GET_BURST, budget.tokens + ((t - budget.at) / 1000) * STOCK_GET_PER_SECOND);
        budget.at = t;
        if (budget.tokens < 1) return reply({ error: 'too-many-requests' });
        budget.tokens -= 1;
        const parsed = stockGet.safeParse(request);
        if (!parsed.success) return reply({ error: parsed.error.issues.map((i) => `${i.path.join('.')} : ${i.message}`).join(' ; ') });
        let ids = parsed.data.productIds;
        // Who the connection is now (`recheck` may have taken its person away since it connected).
        const { user, device } = socket.data as { user: SessionUser | null; device: DeviceIdentity | null };
        if (user?.role === 'producer') {
          ids = await followableProducts(db, { user, device }, ids);
        } else if (!device && user?.role !== 'admin' && user?.role !== 'manager') {
          return reply({ error: 'forbidden' });
        }
        // A till hears of its own site's shelves, a manager tied to a site of theirs; producers and the
        // network's managers of every site (each event says which).
        const events = await this.stockOf(ids);
        reply(onlySite === null ? events : events.filter((e) => e.siteId === onlySite));
      });
    });
  }

  /**
   * Each outlet's, till's and printer's site: read once, again when one is not known yet, when this process
   * changed one (`placesChanged`), and at least every minute (another process may have moved a printer).
   */
  private places: Awaited<ReturnType<typeof placesOf>> | null = null;
  private placesReadAt = 0;

  /** Reads the places before the first event needs them (when a socket connects): events wait behind it. */
  private warmPlaces() {
    if (this.placesFresh() || this.placesQueue) return;
    this.queue(() => undefined);
  }

  /** True when the places are read and fresh. */
  private placesFresh() {
    return this.places !== null && Date.now() - this.placesReadAt <= PLACES_MAX_AGE_MS;
  }

  /**
   * Runs `then` once the places are read (again, when `stale` says so), behind whatever waits already: the
   * order of events is kept. A failure to read or to send is logged, never thrown.
   */
  private queue(then: () => void, stale: () => boolean = () => !this.placesFresh()) {
    const queued = (this.placesQueue ?? Promise.resolve())
      .then(async () => {
        if (stale()) {
          this.places = await placesOf(this.db);
          this.placesReadAt = Date.now();
        }
      })
      .catch((e) => this.log.warn('realtime: the sites of outlets could not be read', { error: (e as Error).message }))
      .then(then)
      .catch((e) => this.log.warn('realtime: an event could not be sent', { error: (e as Error).message }));
    this.placesQueue = queued;
    void queued.then(() => {
      if (this.placesQueue === queued) this.placesQueue = null;
    });
  }

  /** A till, printer or site was added or moved: the sites of places are read again before the next event. */
  placesChanged() {
    this.places = null;
  }
  /** Emits waiting for the places to be read: later ones wait behind them, so that their order is kept. */
  private placesQueue: Promise<void> | null = null;

  private siteOf(place: Place): number | null | undefined {
    const p = this.places;
    if (!p || !this.placesFresh()) return undefined;
    return 'outletId' in place
      ? p.outlets.get(place.outletId)
      : 'tillId' in place
        ? p.tills.get(place.tillId)
        : p.printers.get(place.printerId);
  }

  /**
   * The managers who may hear of something that happened at a place: the network's, and those tied to the
   * place's site. `emit` gets their rooms, at once when the place is known, else once the places are read.
   */
  private toManagers(place: Place, emit: (rooms: string[]) => void) {
    const rooms = (site: number | null | undefined) =>
      site === NO_SITE
        ? ['managers']
        : site != null
          ? ['managers', `site:${site}`]
          : // A printer of no outlet that no site's till or station uses yet: every site's.
            site === null && 'printerId' in place
            ? ['managers', ...new Set([...(this.places?.outlets.values() ?? [])].map((id) => `site:${id}`))]
            : ['managers'];
    if (!this.placesQueue) {
      const site = this.siteOf(place);
      if (site !== undefined) return emit(rooms(site));
    }
    this.queue(
      () => emit(rooms(this.siteOf(place) ?? (this.places ? null : undefined))),
      () => this.siteOf(place) === undefined,
    );
  }

  /** An order as it now stands: to every device of its outlet and to the managers. */
  orderChanged(order: OrderView) {
    this.toManagers({ outletId: order.outletId }, (m) => this.io.to([...m, `outlet:${order.outletId}`]).emit('order:changed', order));
  }

  /** A kitchen ticket as it now stands: to every device of its outlet (the kitchen screens among them) and the managers. */
  kitchenChanged(outletId: number, ticket: KitchenTicketView) {
    this.toManagers({ outletId }, (m) => this.io.to([...m, `outlet:${outletId}`]).emit('kitchen:changed', ticket));
  }

  floorChanged(outletId: number) {
    this.toManagers({ outletId }, (m) => this.io.to([...m, `outlet:${outletId}`]).emit('floor:changed', { outletId }));
  }

  stationChanged(station: { id: number; outletId: number; name: string; printerId: number | null; active: boolean }) {
    // Its printer may have moved: whose a printer of no outlet is follows the tills and stations printing on it.
    this.placesChanged();
    this.toManagers({ outletId: station.outletId }, (m) =>
      this.io.to([...m, `outlet:${station.outletId}`]).emit('station:changed', station),
    );
  }

  /** A day's Z was taken: the outlet's tills say where their sales go now. */
  dayClosed(outletId: number, day: string) {
    this.toManagers({ outletId }, (m) => this.io.to([...m, `outlet:${outletId}`]).emit('day:closed', { outletId, day }));
  }

  /** Tells a till's tablets that another one took the till over. */
  devicesReplaced(tillId: number, deviceIds: number[]) {
    this.io.to(`till:${tillId}`).emit('devices:replaced', { tillId, deviceIds });
  }

  async stockOf(productIds: number[]): Promise<StockChangedEvent[]> {
    return stockOf(this.db, productIds);
  }

  private stockPending = new Set<number>();
  private stockTimer: NodeJS.Timeout | null = null;
  private stockFlushing: Promise<void> = Promise.resolve();

  /**
   * After a commit: the stock of these products, to every till and manager, and to the producers who own
   * them. Changes that come close together (a busy Saturday: tickets from every till) are sent as one
   * message a few milliseconds later, read once from the ledger. Resolves once that message is sent.
   */
  stockChanged(productIds: number[]): Promise<void> {
    for (const id of productIds) this.stockPending.add(id);
    if (!this.stockTimer) {
      this.stockFlushing = new Promise<void>((resolve) => {
        this.stockTimer = setTimeout(() => {
          this.stockTimer = null;
          const ids = [...this.stockPending];
          this.stockPending.clear();
          void this.broadcastStock(ids).finally(resolve);
        }, STOCK_COALESCE_MS);
      });
    }
    return this.stockFlushing;
  }

  private async broadcastStock(unique: number[]) {
    try {
      const events = await this.stockOf(unique);
      if (!events.length) return;
      const rows = await ownersOf(this.db, unique);
      // The network's managers hear of every site (each event says which); a till, and a manager tied to a
      // site, of their own site's shelves only.
      this.io.to('managers').emit('stock:changed', events);
      const outlets = await outletIds(this.db);
      for (const siteId of new Set(events.map((e) => e.siteId))) {
        const rooms = [`site:${siteId}`, ...outlets.filter((o) => o.siteId === siteId).map((o) => `outlet:${o.id}`)];
        this.io.to(rooms).emit(
          'stock:changed',
          events.filter((e) => e.siteId === siteId),
        );
      }
      const byProducer = new Map<number, StockChangedEvent[]>();
      for (const e of events) {
        const owner = rows.find((r) => r.id === e.productId)?.producer_id;
        if (owner != null) byProducer.set(owner, [...(byProducer.get(owner) ?? []), e]);
      }
      for (const [producerId, list] of byProducer) this.io.to(`producer:${producerId}`).emit('stock:changed', list);
      // Dishes cooked with these goods: whether their ingredients are short may have changed (the waiter's flag).
      const dishes = await dishesUsing(this.db, unique);
      // Each site's tills, phones and tied managers by that site's shelves (a dish is cooked where it is
      // sold); the network's managers by the first site's, as before there were sites.
      if (dishes.length) {
        const sites = [...new Set(outlets.map((o) => o.siteId))].sort((a, b) => a - b);
        for (const siteId of sites) {
          const short = await dishesShortOfIngredients(this.db, dishes, siteId);
          const rooms = [`site:${siteId}`, ...outlets.filter((o) => o.siteId === siteId).map((o) => `outlet:${o.id}`)];
          (siteId === sites[0] ? this.io.to('managers').to(rooms) : this.io.to(rooms)).emit(
            'dishes:availability',
            dishes.map((productId) => ({ productId, ingredientsShort: short.has(productId) })),
          );
        }
      }
    } catch (e) {
      this.log.warn('realtime stock broadcast failed', { error: (e as Error).message });
    }
  }

  statementRun(event: StatementRunEvent) {
    this.io.to('managers').emit('statements:progress', event);
  }

  /** A producer hears of their own statements only. */
  statementIssued(event: StatementIssuedEvent) {
    this.io.to('managers').to(`producer:${event.producerId}`).emit('statement:issued', event);
  }

  /** Set by the server once the print queue exists. */
  printerStatus: ((printerId: number) => Promise<PrinterStateEvent | null>) | null = null;

  /** A printer's state and queue: to the managers and to the tills it prints for. */
  printerState(status: PrinterStateEvent) {
    this.toManagers({ printerId: status.printerId }, (m) =>
      this.io.to([...m, `printer:${status.printerId}`]).emit('printer:state', status),
    );
  }

  /** After a commit: managers and the till see the ticket; each producer sees only their own lines of it. */
  saleRecorded(sale: SaleRecordedEvent) {
    if (sale.training) {
      this.io.to(`till:${sale.tillId}`).emit('sale:recorded', sale);
      return;
    }
    this.toManagers({ tillId: sale.tillId }, (m) => this.io.to([...m, `till:${sale.tillId}`]).emit('sale:recorded', sale));
    const byProducer = new Map<number, SaleRecordedEvent['lines']>();
    for (const l of sale.lines) if (l.producerId !== null) byProducer.set(l.producerId, [...(byProducer.get(l.producerId) ?? []), l]);
    for (const [producerId, lines] of byProducer) {
      this.io
        .to(`producer:${producerId}`)
        .emit('sale:recorded', { ...sale, lines, totalCents: lines.reduce((s, l) => s + l.totalCents, 0) });
    }
  }

  catalogChanged(productIds: number[]) {
    this.io.emit('catalog:changed', { productIds: [...new Set(productIds)] });
  }

  /** The tills' options changed: every till and phone reads them again (they kept the old ones until a reload). */
  settingsChanged() {
    // The tablets only (a producer's connection heard it, found by a probe).
    this.io.to('tills').emit('settings:changed');
  }

  /** Who a connection is, from its cookies as they are now (a string: refused, and why). */
  private readonly identify: (
    socket: { handshake: { headers: http.IncomingHttpHeaders }; request: http.IncomingMessage },
    touch: boolean,
  ) => Promise<'unauthorized' | 'forbidden' | { user: SessionUser | null; device: DeviceIdentity | null }>;
  private readonly recheckTimer: NodeJS.Timeout;
  private rechecking: Promise<void> | null = null;
  private recheckAgain = false;

  /**
   * Checks every connection of this process against its cookies as they are now: a session ended (logout, a
   * new password, a person deactivated, its expiry) or a tablet unpaired must stop hearing anything. A
   * tablet's connection whose person changed (a cashier left, another logged in) keeps what the tablet hears
   * and hears what its person now may; any other change ends the connection (the page connects again as who
   * it is now, `client/rejoin.ts`).
   * Run after each change of that kind here, and every `RECHECK_EVERY_MS` for those made elsewhere.
   */
  recheck(): Promise<void> {
    // Every other process too, through the adapter (PostgreSQL's NOTIFY), when there are others.
    if (this.adapterPool) this.io.serverSideEmit('recheck');
    return this.recheckHere();
  }

  private recheckHere(): Promise<void> {
    if (this.rechecking) {
      this.recheckAgain = true;
      return this.rechecking;
    }
    this.rechecking = (async () => {
      do {
        this.recheckAgain = false;
        for (const socket of [...this.io.of('/').sockets.values()]) {
          const before = socket.data as { user: SessionUser | null; device: DeviceIdentity | null };
          const now = await this.identify(socket, false).catch(() => null);
          if (now === null) continue; // the database did not answer: judged next time
          const same = typeof now !== 'string' && now.device?.id === before.device?.id && sameUser(now.user, before.user);
          if (same) continue;
          if (typeof now !== 'string' && before.device && now.device?.id === before.device.id) {
            // The same tablet, another person on it (or none): the person's rooms follow, the tablet's stay.
            socket.data = now;
            for (const room of [...socket.rooms]) if (!DEVICE_ROOM.test(room) && room !== socket.id) await socket.leave(room);
            await joinPersonRooms(socket, now.user);
            continue;
          }
          socket.disconnect(true);
        }
      } while (this.recheckAgain);
    })().finally(() => {
      this.rechecking = null;
    });
    return this.rechecking;
  }

  async close() {
    clearInterval(this.recheckTimer);
    if (this.stockTimer) clearTimeout(this.stockTimer);
    this.stockTimer = null;
    await new Promise<void>((resolve) => this.io.close(() => resolve()));
    await this.adapterPool?.end().catch(() => undefined);
  }
}
