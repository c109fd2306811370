import { tillsApi } from '../../shared/api/tills.ts';
import { ApiError, call, isOffline, send } from '../api.ts';
import { all, del, move } from './idb.ts';

/** A request the till must get to the server exactly once, in order: a ticket, a refund, a receipt to print. */
export interface OutboxItem {
  seq: number;
  id: string;
  /**
   * `op`: an operation on a restaurant order (the waiter's phone), idempotent by its id like a ticket;
   * `cash`: a float, cash in or cash out of the till's drawer, idempotent the same way;
   * `served`: a ready kitchen ticket the waiter carried (« Servi »), the same state again changing nothing.
   */
  kind: 'sale' | 'refund' | 'receipt' | 'op' | 'cash' | 'served';
  path: string;
  body: unknown;
  number?: number;
  totalCents?: number;
  queuedAt: string;
  /** A ticket's articles by product id, as the till named them: a refused ticket still names an object sold since. */
  names?: Record<number, string>;
}

export interface RefusedItem extends OutboxItem {
  status: number;
  message: string;
  refusedAt: string;
}

export interface OutboxState {
  /** Tickets (sales and refunds) not yet recorded by the server. */
  waiting: number;
  /** Other requests queued behind them (a receipt to print, a drawer movement). */
  otherWaiting: number;
  /** Operations on restaurant orders and « Servi » (the waiter's phone) not yet acknowledged. */
  opsWaiting: number;
  refused: number;
  online: boolean;
  /** The session is gone (locked elsewhere, expired): sending waits for a PIN login. */
  needsLogin: boolean;
}

const isTicket = (item: OutboxItem) => item.kind === 'sale' || item.kind === 'refund';
const counts = (items: OutboxItem[]) => {
  const tickets = items.filter(isTicket).length;
  // A « Servi » is the waiter's operation too: counted with theirs.
  const ops = items.filter((i) => i.kind === 'op' || i.kind === 'served').length;
  return { waiting: tickets, otherWaiting: items.length - tickets - ops, opsWaiting: ops };
};

/**
 * Sends the outbox in order, one at a time, until it is empty. A retry is always safe: the server keys
 * tickets by their id and answers a replay with the first result. A network failure stops the round (the
 * next ticket must not overtake the one that failed) and tries again later; a refusal (4xx) moves the
 * ticket to `refused`, kept on the tablet for a manager, and the round goes on.
 */
export class Outbox {
  private running: Promise<void> | null = null;
  private again = false;
  private timer: ReturnType<typeof setTimeout> | null = null;
  private backoffMs = 1000;
  state: OutboxState = { waiting: 0, otherWaiting: 0, opsWaiting: 0, refused: 0, online: navigator.onLine, needsLogin: false };

  constructor(
    private readonly onChange: (s: OutboxState) => void,
    private readonly onSent: (item: OutboxItem, reply: unknown) => void,
    /** A refused item, after it moved to `refused` (an order operation in conflict is shown to the waiter). */
    private readonly onRefused: (item: RefusedItem) => void | Promise<void> = () => undefined,
    /** Everything queued was delivered (the till then reports its last acknowledged ticket: till.ts). */
    private readonly onDrained: () => void = () => undefined,
  ) {}

  private set(patch: Partial<OutboxState>) {
    this.state = { ...this.state, ...patch };
    this.onChange(this.state);
  }

  async refreshCounts() {
    const [waiting, refused] = await Promise.all([all<OutboxItem>('outbox'), all('refused')]);
    this.set({ ...counts(waiting), refused: refused.length });
  }

  /** The tickets the server refused, oldest first, for the manager's screen. */
  refusedItems(): Promise<RefusedItem[]> {
    return all<RefusedItem>('refused').then((xs) => xs.sort((a, b) => a.seq - b.seq));
  }

  /** Back in the outbox at its place in the order (the cause was fixed: a till re-enabled, a login). */
  async retryRefused(item: RefusedItem): Promise<void> {
    const { status: _s, message: _m, refusedAt: _r, ...again } = item;
    await move('refused', 'outbox', item.seq, again);
    await this.refreshCounts();
    void this.kick();
  }

  /** Handed over whole to the server's event log for a manager, then let go from the tablet. */
  async reportRefused(item: RefusedItem): Promise<void> {
    const { seq: _seq, names: _names, ...report } = item;
    // A refund's manager PIN stays on the tablet.
    const body =
      report.body && typeof report.body === 'object'
        ? Object.fromEntries(Object.entries(report.body).filter(([k]) => k !== 'approvalPin'))
        : report.body;
    await call(tillsApi.reportRefused, { body: { ...report, body } });
    await del('refused', item.seq);
    await this.refreshCounts();
  }

  /** Send now (a new ticket, the network is back, a cashier logged in). */
  kick(): Promise<void> {
    if (this.timer) {
      clearTimeout(this.timer);
      this.timer = null;
    }
    if (this.running) {
      // A round is under way and read the outbox before this ticket was queued: one more round after it,
      // or the ticket would wait for the next sale to be sent.
      this.again = true;
      return this.running;
    }
    this.running = (async () => {
      do {
        this.again = false;
        await this.round();
      } while (this.again && this.state.online && !this.state.needsLogin);
    })().finally(() => {
      this.running = null;
    });
    return this.running;
  }

  private later() {
    if (this.timer) return;
    this.timer = setTimeout(() => {
      this.timer = null;
      void this.kick();
    }, this.backoffMs);
    this.backoffMs = Math.min(this.backoffMs * 2, 15_000);
  }

  private async round() {
    const items = (await all<OutboxItem>('outbox')).sort((a, b) => a.seq - b.seq);
    const left = [...items];
    this.set(counts(left));
    for (const item of items) {
      try {
        const reply = await send('POST', item.path, item.body, 15_000);
        await del('outbox', item.seq);
        this.backoffMs = 1000;
        left.shift();
        this.set({ online: true, needsLogin: false, ...counts(left) });
        this.onSent(item, reply);
      } catch (e) {
        if (isOffline(e) || (e instanceof ApiError && e.status === 429)) {
          this.set({ online: false });
          this.later();
          return;
        }
        // The server failed (500: its database restarting, say): the ticket may or may not be recorded. Sent
        // again later, as when offline (the same id is answered as recorded the first time); never taken for a
        // refusal, whose screen has the cashier give the money back (found by a review).
        if (e instanceof ApiError && e.status >= 500) {
          this.set({ online: true });
          this.later();
          return;
        }
        if (e instanceof ApiError && (e.status === 401 || e.status === 403)) {
          this.set({ online: true, needsLogin: true });
          return;
        }
        const err = e instanceof ApiError ? e : new ApiError(0, String(e));
        // The server's sentence with its reasons (« Remboursement refusé. » alone told the cashier nothing).
        const reasons = err.fields.map((f) => f.reason).filter((r) => r && !err.message.includes(r));
        const message = reasons.length ? `${err.message} (${reasons.join(' ; ')})` : err.message;
        const refused: RefusedItem = { ...item, status: err.status, message, refusedAt: new Date().toISOString() };
        await move('outbox', 'refused', item.seq, refused);
        left.shift();
        this.set({ online: true, ...counts(left), refused: this.state.refused + 1 });
        // Waited for: what it does (an order operation sent elsewhere) comes before the next item goes.
        await this.onRefused(refused);
      }
    }
    if (items.length) this.onDrained();
  }
}
