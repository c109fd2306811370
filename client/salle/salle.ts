/**
 * The waiter's phone: the floor and the open orders of its outlet, kept live from the server, and every
 * operation the waiter does queued on the phone (the till's outbox, in order, exactly once) and shown at
 * once. What the phone shows is the server's order with the operations not yet acknowledged applied on top:
 * without Wi-Fi the waiter keeps taking the order, and the kitchen gets it once when the phone is back.
 */
import {
  restaurantApi,
  courseRank,
  type Course,
  type KitchenTicketView,
  type OrderLineView,
  type OrderOp,
  type OrderView,
  type RoomView,
} from '../../shared/api/restaurant.ts';
import type { PrinterStateEvent } from '../../shared/realtime.ts';
import { uuidv7 } from '../../shared/uuid.ts';
import { fillPath } from '../../shared/api/contract.ts';
import { call, isOffline } from '../api.ts';
import { all, del, get, put } from '../caisse/idb.ts';
import type { OutboxItem, RefusedItem } from '../caisse/outbox.ts';
import type { Till } from '../caisse/till.ts';
import type { Lang } from '../../shared/i18n/index.ts';
import { translateTill as translate } from '../../shared/i18n/till.ts';

const lang = (): Lang => (localStorage.getItem('lang') === 'en' ? 'en' : 'fr');

export type View =
  | { kind: 'floor' }
  | { kind: 'order'; orderId: string }
  | { kind: 'bill'; orderId: string }
  | { kind: 'table'; orderId: string; purpose: 'transfer' | 'merge' | 'move'; lineIds?: string[] };

export interface SalleState {
  rooms: RoomView[];
  roomId: number | null;
  /** The server's open orders, by id, as last heard. */
  orders: Map<string, OrderView>;
  /** Operations queued on the phone and not acknowledged yet, in order. */
  pending: { orderId: string; op: OrderOp }[];
  view: View;
  /** The preparation stations' printers, as their state comes. */
  printers: Map<number, PrinterStateEvent>;
  /** An operation the server refused (a line changed meanwhile on another phone): shown, never merged. */
  conflict: string | null;
  loaded: boolean;
  /** Bills being paid in equal parts on this phone: into how many, and how many are paid. */
  splits: Map<string, { parts: number; paid: number }>;
  /** Kitchen tickets of this outlet the kitchen marked ready and nobody served yet, oldest first. */
  ready: KitchenTicketView[];
  /** Why « Servi » could not be recorded (a ticket recalled meanwhile). */
  readyError: string | null;
  /** Ready tickets this phone marked served and the server has not acknowledged yet (queued, offline). */
  servedPending: Set<number>;
}

type OpInput = OrderOp extends infer O ? (O extends { id: string; at: string } ? Omit<O, 'id' | 'at'> : never) : never;

const opPath = (orderId: string) => fillPath(restaurantApi.apply.path, { id: orderId });
const orderIdOfPath = (path: string) => /\/api\/orders\/([^/]+)\/ops$/.exec(path)?.[1] ?? '';
const servedPath = (ticketId: number) => fillPath(restaurantApi.kitchenState.path, { id: ticketId });
const ticketIdOfPath = (path: string) => Number(/\/api\/kitchen-tickets\/(\d+)\/state$/.exec(path)?.[1] ?? 0);

export class Salle {
  state: SalleState = {
    rooms: [],
    roomId: null,
    orders: new Map(),
    pending: [],
    view: { kind: 'floor' },
    printers: new Map(),
    conflict: null,
    loaded: false,
    splits: new Map(),
    ready: [],
    readyError: null,
    servedPending: new Set(),
  };
  /**
   * Every kitchen ticket of this outlet as last heard, the higher version winning (a snapshot read before a
   * « Servi » can arrive after it), with the moment it was heard, to tell what a snapshot may not know yet.
   */
  private readonly tickets = new Map<number, { ticket: KitchenTicketView; heard: number }>();
  private heardCount = 0;
  private listeners = new Set<(s: SalleState) => void>();

  constructor(private readonly till: Till) {
    // A reload mid-order comes back to the order it was on.
    try {
      const kept = JSON.parse(sessionStorage.getItem('salle.view') ?? 'null') as View | null;
      if (kept && typeof kept === 'object' && 'kind' in kept) this.state.view = kept;
    } catch {
      /* nothing kept */
    }
    window.addEventListener('popstate', () => {
      if (this.state.view.kind !== 'floor') {
        sessionStorage.setItem('salle.view', JSON.stringify({ kind: 'floor' }));
        this.set({ view: { kind: 'floor' }, conflict: null });
      }
    });
    till.onSocket((socket) => {
      socket.on('order:changed', (o) => this.heard(o));
      socket.on('printer:state', (p) => this.set({ printers: new Map(this.state.printers).set(p.printerId, p) }));
      socket.on('station:changed', () => void this.load());
      socket.on('floor:changed', () => void this.load());
      socket.on('kitchen:changed', (ticket) => this.kitchen(ticket));
      socket.on('connect', () => void this.load());
    });
    till.onSent((item, reply) => {
      if (item.kind === 'served') return this.servedSent(item, reply as KitchenTicketView | null);
      if (item.kind !== 'op') return;
      const order = (reply as { order?: OrderView } | null)?.order;
      this.set({ pending: this.state.pending.filter((p) => p.op.id !== item.id) });
      if (order) this.heard(order);
    });
    till.onRefused((item) => this.refused(item));
    // A part of a bill paid in equal parts: the next one is due.
    till.subscribe((next, prev) => {
      const share = prev.orderShare;
      if (!share || share.custom || next.orderShare || next.screen !== 'done') return;
      this.set({ splits: new Map(this.state.splits).set(share.id, { parts: share.parts, paid: share.index }) });
    });
  }

  subscribe(l: (s: SalleState) => void): () => void {
    this.listeners.add(l);
    return () => this.listeners.delete(l);
  }

  set(patch: Partial<SalleState>) {
    this.state = { ...this.state, ...patch };
    for (const l of this.listeners) l(this.state);
  }

  go(view: View) {
    // The browser's Back (a phone's back gesture) returns to the floor rather than leaving the app.
    if (view.kind !== 'floor' && this.state.view.kind === 'floor') history.pushState({ salle: true }, '');
    if (view.kind === 'floor' && this.state.view.kind !== 'floor' && history.state?.salle) history.back();
    sessionStorage.setItem('salle.view', JSON.stringify(view));
    this.set({ view, conflict: null });
  }

  /** The floor and the open orders from the server, kept for an offline start; the queued operations from the phone. */
  async load() {
    const outbox = (await all<OutboxItem>('outbox')).sort((a, b) => a.seq - b.seq);
    const queued = outbox.filter((i) => i.kind === 'op').map((i) => ({ orderId: orderIdOfPath(i.path), op: i.body as OrderOp }));
    // « Servi » tapped and not acknowledged yet (offline, or the page reloaded while it went): still served here.
    const servedPending = new Set(outbox.filter((i) => i.kind === 'served').map((i) => ticketIdOfPath(i.path)));
    this.set({ pending: queued, servedPending, ready: this.readyOf() });
    try {
      const [rooms, orders] = await Promise.all([call(restaurantApi.floor), call(restaurantApi.openOrders)]);
      await put('kv', rooms, 'salle.rooms');
      await put('kv', orders, 'salle.orders');
      this.set({ rooms, orders: new Map(orders.map((o) => [o.id, o])), loaded: true, roomId: this.state.roomId ?? rooms[0]?.id ?? null });
      await this.loadReady().catch(() => undefined);
    } catch (e) {
      if (!isOffline(e) && !this.state.loaded) throw e;
      const rooms = (await get<RoomView[]>('kv', 'salle.rooms')) ?? [];
      const orders = (await get<OrderView[]>('kv', 'salle.orders')) ?? [];
      // The notices as last heard (a page reloaded without the network still shows what is ready, and what it served).
      if (!this.tickets.size) {
        for (const ticket of (await get<KitchenTicketView[]>('kv', 'salle.kitchen')) ?? []) this.note(ticket);
        this.set({ ready: this.readyOf() });
      }
      if (!this.state.loaded)
        this.set({ rooms, orders: new Map(orders.map((o) => [o.id, o])), loaded: true, roomId: this.state.roomId ?? rooms[0]?.id ?? null });
    }
  }

  /** A kitchen ticket heard: kept unless a later version of it is known already. Says whether it was taken. */
  private note(ticket: KitchenTicketView): boolean {
    const known = this.tickets.get(ticket.id);
    if (known && known.ticket.version > ticket.version) return false;
    this.tickets.set(ticket.id, { ticket, heard: ++this.heardCount });
    return true;
  }

  /** The tickets as heard, kept for a start without the network. */
  private keepTickets() {
    void put(
      'kv',
      [...this.tickets.values()].map((k) => k.ticket),
      'salle.kitchen',
    );
  }

  /** The notices: tickets ready with dishes (not ANNULÉ), oldest first; those served here and not sent yet stay, marked. */
  private readyOf(): KitchenTicketView[] {
    return [...this.tickets.values()]
      .map((k) => k.ticket)
      .filter((t) => t.state === 'ready' && t.kind !== 'void')
      .sort((a, b) => (a.stateAt ?? '').localeCompare(b.stateAt ?? '') || a.id - b.id);
  }

  /**
   * A kitchen ticket changed: ready, it is shown to the waiters (the phone buzzes once); served or recalled, it
   * goes. A ticket of cancelled lines (ANNULÉ) is nothing to carry. An older view than the one known is ignored.
   */
  private kitchen(ticket: KitchenTicketView) {
    const wasReady = this.state.ready.some((t) => t.id === ticket.id);
    if (!this.note(ticket)) return;
    this.keepTickets();
    const ready = this.readyOf();
    // Buzzes for a dish to carry (not for a ticket of dishes all waiting for Suite).
    if (!wasReady && ready.some((t) => t.id === ticket.id) && ticket.items.some((i) => !i.waiting)) navigator.vibrate?.(200);
    this.set({ ready });
  }

  /**
   * What the kitchen marked ready before this phone listened (it was off, or the page reloaded): from each
   * station's screen. The snapshot is merged, never applied blindly: a ticket heard since it was asked for (a
   * « Servi » acknowledged meanwhile) keeps its later version.
   */
  private async loadReady() {
    const asked = this.heardCount;
    const stations = await call(restaurantApi.stations);
    const boards = await Promise.all(
      stations
        .filter((st) => st.active)
        // A station of another counter of the site is not this phone's to read (403): left out.
        .map((st) => call(restaurantApi.kitchenBoard, { params: { id: st.id } }).catch(() => null)),
    );
    const read = new Set(boards.flatMap((b) => (b ? [b.station.id] : [])));
    const snapshot = new Set<number>();
    for (const ticket of boards.flatMap((b) => b?.tickets ?? [])) {
      snapshot.add(ticket.id);
      this.note(ticket);
    }
    // Off its station's screen (served long ago, yesterday's): gone, unless heard after the snapshot was asked for.
    for (const [id, k] of this.tickets) if (read.has(k.ticket.stationId) && !snapshot.has(id) && k.heard <= asked) this.tickets.delete(id);
    this.keepTickets();
    this.set({ ready: this.readyOf(), readyError: null });
  }

  /**
   * The waiter takes a ready ticket to the table: served, on the kitchen's screen too. Queued on the phone first
   * (the till's outbox, as every order operation): without Wi-Fi it is shown pending and sent once the phone is
   * back; sent twice, the server serves it once. Refused only if the kitchen took the ticket back meanwhile.
   */
  async served(ticketId: number) {
    const ticket = this.tickets.get(ticketId)?.ticket;
    if (!ticket || this.state.servedPending.has(ticketId)) return;
    const servedPending = new Set(this.state.servedPending).add(ticketId);
    this.set({ servedPending, ready: this.readyOf(), readyError: null });
    // Only from « prêt »: a dish the kitchen recalled meanwhile (to cook it again) is not served (409).
    await this.till.enqueue('served', uuidv7(), servedPath(ticketId), { state: 'served', from: 'ready' });
  }

  /** The server has it served: the notice goes (its answer is the ticket's later version). */
  private servedSent(item: OutboxItem, reply: KitchenTicketView | null) {
    const id = ticketIdOfPath(item.path);
    if (reply && typeof reply === 'object' && reply.id === id && this.note(reply)) this.keepTickets();
    const servedPending = new Set(this.state.servedPending);
    servedPending.delete(id);
    this.set({ servedPending, ready: this.readyOf() });
  }

  private heard(o: OrderView) {
    const orders = new Map(this.state.orders);
    const known = orders.get(o.id);
    // Messages can cross: an older version never replaces a newer one.
    if (known && known.version > o.version) return;
    if (o.status === 'open') orders.set(o.id, o);
    else orders.delete(o.id);
    this.set({ orders });
    void put('kv', [...orders.values()], 'salle.orders');
  }

  /** A table this phone opened while another phone had just opened it: its order here → the one there. */
  private readonly redirects = new Map<string, string>();

  private async refused(item: RefusedItem) {
    // A part of a bill in equal parts the server refused is not paid: the bill asks for it again (it showed it
    // paid, and asked the last guest for two parts).
    const share = (item.body as { order?: { id?: string; share?: { parts?: number; index?: number } } } | null)?.order;
    if (item.kind === 'sale' && share?.id && share.share?.index !== undefined) {
      const progress = this.state.splits.get(share.id);
      if (progress && progress.paid >= share.share.index)
        this.set({ splits: new Map(this.state.splits).set(share.id, { ...progress, paid: share.share.index - 1 }) });
    }
    if (item.kind === 'served') {
      // The kitchen took it back meanwhile (to cook it again): not served. Nothing to keep for a manager; the
      // waiter is told and the notices are read again from the stations.
      await del('refused', item.seq);
      await this.till.outbox.refreshCounts();
      const servedPending = new Set(this.state.servedPending);
      servedPending.delete(ticketIdOfPath(item.path));
      this.set({ servedPending, ready: this.readyOf(), readyError: item.message });
      await this.loadReady()
        .then(() => this.set({ readyError: item.message }))
        .catch(() => undefined);
      return;
    }
    if (item.kind !== 'op') return;
    // Not a ticket: nothing to keep for a manager. The waiter is told, and sees the order as it now is.
    await del('refused', item.seq);
    await this.till.outbox.refreshCounts();
    const orderId = orderIdOfPath(item.path);
    const op = item.body as OrderOp;
    this.set({ pending: this.state.pending.filter((p) => p.op.id !== item.id) });
    // Two phones opened the same table: this one's order never existed. What was rung on it goes to the
    // order the table already has, in the same order (the outbox waits for this before sending the next).
    let target = this.redirects.get(orderId);
    if (!target && op.kind === 'open') {
      const existing = await call(restaurantApi.openOrders)
        .then((list) => list.find((o) => o.tableId === op.tableId))
        .catch(() => undefined);
      if (existing) {
        target = existing.id;
        this.redirects.set(orderId, target);
        this.heard(existing);
        const view = this.state.view;
        if ('orderId' in view && view.orderId === orderId) this.go({ kind: 'order', orderId: target });
        this.set({ conflict: translate(lang(), 'salle.tableTaken', { waiter: existing.waiterName }) });
        return;
      }
    }
    if (target && op.kind !== 'open') {
      this.set({ pending: [...this.state.pending, { orderId: target, op }] });
      await this.till.enqueue('op', op.id, opPath(target), op);
      return;
    }
    this.set({ conflict: item.message });
    try {
      this.heard(await call(restaurantApi.order, { params: { id: orderId } }));
    } catch {
      /* gone or offline: the next load tells */
    }
  }

  /** Does an operation: queued on the phone first (nothing lost), shown at once, sent in order. */
  async act(orderId: string, input: OpInput): Promise<void> {
    const op = { ...input, id: uuidv7(), at: new Date().toISOString() } as OrderOp;
    this.set({ pending: [...this.state.pending, { orderId, op }], conflict: null });
    await this.till.enqueue('op', op.id, opPath(orderId), op);
  }

  async openTable(tableId: number, covers: number): Promise<string> {
    const orderId = uuidv7();
    await this.act(orderId, { kind: 'open', tableId, covers, mode: 'on_site' });
    this.go({ kind: 'order', orderId });
    return orderId;
  }

  /** Every open order as this phone knows it: the server's, with the operations still queued applied. */
  orders(): Map<string, OrderView> {
    const out = new Map(this.state.orders);
    for (const { orderId, op } of this.state.pending) {
      const next = applyLocal(out.get(orderId) ?? null, orderId, op, this.till);
      if (next) out.set(orderId, next);
      else out.delete(orderId);
    }
    return out;
  }

  order(id: string): OrderView | null {
    return this.orders().get(id) ?? null;
  }

  /** The operations of this order not acknowledged by the server yet. */
  pendingFor(orderId: string): number {
    return this.state.pending.filter((p) => p.orderId === orderId).length;
  }
}

/** The next course to ask the kitchen for (Suite): the earliest one sent and waiting. */
export function nextCourse(order: OrderView): Course | null {
  const waiting = order.lines.filter((l) => l.status === 'sent' && l.course !== null && l.firedAt === null).map((l) => l.course!);
  return waiting.length ? waiting.sort((a, b) => courseRank(a) - courseRank(b))[0]! : null;
}

/** What is left to pay of a line. */
export const leftOf = (l: OrderLineView) => (l.status === 'voided' ? 0 : l.quantity - l.paidQuantity);

/**
 * An operation as the phone shows it before the server has it: the same effect as the server's for what a
 * waiter does offline (open, add, change, remove, cancel, send, Suite, covers, another table); the server's
 * answer replaces it. A move, a merge or a note need the server (the buttons wait for the network).
 */
function applyLocal(order: OrderView | null, orderId: string, op: OrderOp, till: Till): OrderView | null {
  const now = op.at;
  const user = till.state.user;
  if (op.kind === 'open') {
    if (order) return order;
    return {
      id: orderId,
      outletId: 0,
      tableId: op.tableId,
      tableName: null,
      covers: op.covers,
      mode: op.mode ?? 'on_site',
      status: 'open',
      waiterId: user?.id ?? 0,
      waiterName: user?.displayName ?? '',
      openedAt: now,
      version: 0,
      totalCents: 0,
      paidCents: 0,
      lines: [],
      lastNote: null,
    };
  }
  if (!order) return null;
  let lines = order.lines;
  let covers = order.covers;
  let tableId = order.tableId;
  const patch = (lineId: string, change: (l: OrderLineView) => OrderLineView) =>
    (lines = lines.map((l) => (l.id === lineId ? { ...change(l), version: l.version + 1 } : l)));
  switch (op.kind) {
    case 'add': {
      if (lines.some((l) => l.id === op.lineId)) break;
      const p = till.state.catalog?.byId.get(op.productId);
      const chosen = (op.modifiers ?? []).map((id) => p?.modifiers.flatMap((g) => g.options).find((o) => o.id === id));
      const modifiers = chosen.filter((o) => o !== undefined).map((o) => ({ name: o.name, priceCents: o.priceCents }));
      const unit = (p?.priceCents ?? 0) + modifiers.reduce((x, m) => x + m.priceCents, 0);
      lines = [
        ...lines,
        {
          id: op.lineId,
          position: lines.length + 1,
          productId: op.productId,
          name: p?.name ?? '…',
          quantity: op.quantity,
          unitPriceCents: unit,
          totalCents: unit * op.quantity,
          vatRateBp: (order.mode === 'takeaway' ? p?.takeawayVatRateBp : null) ?? p?.vatRateBp ?? 0,
          modifiers,
          seat: op.seat ?? null,
          note: op.note ?? null,
          course: op.course ?? p?.course ?? null,
          stationId: null,
          status: 'new',
          version: 1,
          addedBy: user?.id ?? 0,
          addedAt: now,
          sentAt: null,
          firedAt: null,
          voidedAt: null,
          voidReason: null,
          paidQuantity: 0,
        },
      ];
      break;
    }
    case 'modify':
      patch(op.lineId, (l) => ({
        ...l,
        ...(op.quantity !== undefined ? { quantity: op.quantity, totalCents: op.quantity * l.unitPriceCents } : {}),
        ...(op.seat !== undefined ? { seat: op.seat } : {}),
        ...(op.note !== undefined ? { note: op.note } : {}),
        ...(op.course !== undefined ? { course: op.course } : {}),
      }));
      break;
    case 'remove':
      lines = lines.filter((l) => l.id !== op.lineId);
      break;
    case 'void': {
      const at = lines.findIndex((l) => l.id === op.lineId);
      const line = lines[at];
      if (line && op.quantity !== undefined && op.quantity < line.quantity) {
        // Part of it, as the server does: the rest stays sent, the cancelled part right after it.
        const rest = line.quantity - op.quantity;
        lines = [
          ...lines.slice(0, at),
          // Its version moves on as the server's does: a second cancellation made offline then matches it.
          { ...line, quantity: rest, totalCents: rest * line.unitPriceCents, version: line.version + 1 },
          {
            ...line,
            id: `${line.id}:void:${op.id}`,
            quantity: op.quantity,
            totalCents: op.quantity * line.unitPriceCents,
            status: 'voided',
            voidedAt: now,
            voidReason: op.reason,
          },
          ...lines.slice(at + 1),
        ];
      } else patch(op.lineId, (l) => ({ ...l, status: 'voided', voidedAt: now, voidReason: op.reason }));
      break;
    }
    case 'send': {
      // As the server does: drinks at once; food up to the course already asked for, or the earliest sent now.
      const rank = (c: Course | null) => (c === null ? 0 : courseRank(c));
      const firedFood = lines.filter((l) => l.firedAt !== null && rank(l.course) > 0).map((l) => rank(l.course));
      const freshFood = lines.filter((l) => l.status === 'new' && rank(l.course) > 0).map((l) => rank(l.course));
      const upTo = firedFood.length ? Math.max(...firedFood) : freshFood.length ? Math.min(...freshFood) : 0;
      lines = lines.map((l) =>
        l.status === 'new'
          ? { ...l, status: 'sent', sentAt: now, firedAt: rank(l.course) <= upTo ? now : null, version: l.version + 1 }
          : l,
      );
      break;
    }
    case 'fire':
      lines = lines.map((l) => (l.status === 'sent' && l.course === op.course && !l.firedAt ? { ...l, firedAt: now } : l));
      break;
    case 'covers':
      covers = op.covers;
      break;
    case 'transfer':
      tableId = op.tableId;
      break;
    default:
      break;
  }
  return {
    ...order,
    lines,
    covers,
    tableId,
    totalCents: lines.filter((l) => l.status !== 'voided').reduce((s, l) => s + l.totalCents, 0),
  };
}
