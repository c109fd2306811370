import type { KitchenTicketView, OrderView } from './api/restaurant.ts';
/** The socket.io event maps, shared by the server and the clients. */
export interface SaleRecordedEvent {
  id: string;
  tillId: number;
  number: number;
  kind: 'sale' | 'refund';
  createdAt: string;
  businessDay: string;
  /** Training tickets reach only their own till. */
  training: boolean;
  /** Managers and the till get the whole ticket's amount; a producer only the sum of their own lines. */
  totalCents: number;
  lines: { productId: number; name: string; quantity: number; totalCents: number; producerId: number | null }[];
}

export interface StockChangedEvent {
  productId: number;
  /** Stock is kept per site: a till hears of its own site's shelves only. */
  siteId: number;
  onHand: number;
  low: boolean;
}

/** A dish with a recipe: whether some ingredient has less on the shelf than one portion takes (the waiter's flag). */
export interface DishAvailabilityEvent {
  productId: number;
  ingredientsShort: boolean;
}

export interface PrinterStateEvent {
  printerId: number;
  name: string;
  state: 'ready' | 'paper-out' | 'cover-open' | 'offline' | 'error' | 'unknown';
  waiting: number;
  /** Jobs given up on, or printed without the printer's word: shown until someone reprints or settles them. */
  attention: number;
  lastError: string | null;
  at: string;
}

/** The month's statements being issued: managers watch the progress bar move. */
export interface StatementRunEvent {
  id: string;
  from: string;
  to: string;
  total: number;
  done: number;
  issued: number;
  skipped: { producerId: number; producerName: string; reason: string }[];
  state: 'running' | 'finished' | 'failed';
  startedAt: string;
  finishedAt: string | null;
}

/** A statement was issued: to the managers and to its producer only. */
export interface StatementIssuedEvent {
  id: number;
  code: string;
  producerId: number;
  from: string;
  to: string;
  netCents: number;
}

export interface ServerToClientEvents {
  'statements:progress': (event: StatementRunEvent) => void;
  'statement:issued': (event: StatementIssuedEvent) => void;
  'printer:state': (event: PrinterStateEvent) => void;
  'sale:recorded': (event: SaleRecordedEvent) => void;
  'stock:changed': (events: StockChangedEvent[]) => void;
  'catalog:changed': (event: { productIds: number[] }) => void;
  /** How tills behave changed (payment methods, limits, tips, meal vouchers…): each till reads its options again. */
  'settings:changed': () => void;
  /** The stock of some dishes' ingredients moved: each such dish's `ingredientsShort`, as `productView` has it. */
  'dishes:availability': (events: DishAvailabilityEvent[]) => void;
  /** An order of the restaurant changed (any operation): every device of its outlet shows it as it now stands. */
  'order:changed': (event: OrderView) => void;
  /** A kitchen ticket came, or moved on the kitchen screen (ready, served, recalled): every screen of the outlet. */
  'kitchen:changed': (event: KitchenTicketView) => void;
  /** The floor changed (a room, a table added, moved, resized or retired): the phones draw it again. */
  'floor:changed': (event: { outletId: number }) => void;
  /** A station's printer was swapped (its own is down): the screens and phones of the outlet follow. */
  'station:changed': (event: { id: number; outletId: number; name: string; printerId: number | null; active: boolean }) => void;
  /** A business day of an outlet was closed (its Z): its tills learn where their sales go now. */
  'day:closed': (event: { outletId: number; day: string }) => void;
  /** Another tablet was paired with this till: these tablets are replaced. */
  'devices:replaced': (event: { tillId: number; deviceIds: number[] }) => void;
}

export interface ClientToServerEvents {
  /** Asks for the current stock of some products (a till coming back online). */
  'stock:get': (request: { productIds: number[] }, reply: (events: StockChangedEvent[] | { error: string }) => void) => void;
}
