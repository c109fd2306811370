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
  /** Why « Servi » could not be recorded (a ticket recalled meanwhile, no network). */
  readyError: string | null;
}

type OpInput = OrderOp extends infer O ? (O extends { id: string; at: string } ? Omit<O, 'id' | 'at'> : never) : never;

const opPath = (orderId: string) => fillPath(restaurantApi.apply.path, { id: orderId });
const orderIdOfPath = (path: string) => /\/api\/orders\/([^/]+)\/ops$/.exec(path)?.[1] ?? '';

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
  };
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
    const queued = (await all<OutboxItem>('outbox'))
      .filter((i) => i.kind === 'op')
      .sort((a, b) => a.seq - b.seq)
      .map((i) => ({ orderId: orderIdOfPath(i.path), op: i.body as OrderOp }));
    this.set({ pending: queued });
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
      if (!this.state.loaded)
        this.set({ rooms, orders: new Map(orders.map((o) => [o.id, o])), loaded: true, roomId: this.state.roomId ?? rooms[0]?.id ?? null });
    }
  }

  /**
   * A kitchen ticket changed: ready, it is shown to the waiters (the phone buzzes once); served or recalled, it
   * goes. A ticket of cancelled lines (ANNULÉ) is nothing to carry.
   */
  private kitchen(ticket: KitchenTicketView) {
    const others = this.state.ready.filter((t) => t.id !== ticket.id);
    if (ticket.state === 'ready' && ticket.kind !== 'void') {
      // Buzzes for a dish to carry (not for a ticket of dishes all waiting for Suite).
      if (others.length === this.state.ready.length && ticket.items.some((i) => !i.waiting)) navigator.vibrate?.(200);
      this.set({ ready: [...others, ticket].sort((a, b) => (a.stateAt ?? '').localeCompare(b.stateAt ?? '')) });
    } else if (others.length !== this.state.ready.length) this.set({ ready: others });
  }

  /** What the kitchen marked ready before this phone listened (it was off, or the page reloaded): from each station's screen. */
  private async loadReady() {
    const stations = await call(restaurantApi.stations);
    const boards = await Promise.all(
      stations
        .filter((st) => st.active)
        // A station of another counter of the site is not this phone's to read (403): left out.
        .map((st) => call(restaurantApi.kitchenBoard, { params: { id: st.id } }).catch(() => null)),
    );
    const ready = boards
      .flatMap((b) => b?.tickets ?? [])
      .filter((t) => t.state === 'ready' && t.kind !== 'void')
      .sort((a, b) => (a.stateAt ?? '').localeCompare(b.stateAt ?? ''));
    this.set({ ready, readyError: null });
  }

  /** The waiter takes a ready ticket to the table: served, on the kitchen's screen too. */
  async served(ticketId: number) {
    try {
      // Only from « prêt »: a dish the kitchen recalled meanwhile (to cook it again) is not served (409).
      await call(restaurantApi.kitchenState, { params: { id: ticketId }, body: { state: 'served', from: 'ready' } });
      this.set({ ready: this.state.ready.filter((t) => t.id !== ticketId), readyError: null });
    } catch (e) {
      if (isOffline(e)) return this.set({ readyError: translate(lang(), 'error.network') });
      // Refused: the kitchen changed it; the notices are read again from the stations.
      this.set({ readyError: (e as Error).message });
      await this.loadReady().catch(() => undefined);
    }
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
