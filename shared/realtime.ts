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
  onHand: number;
  low: boolean;
}

export interface PrinterStateEvent {
  printerId: number;
  name: string;
  state: 'ready' | 'paper-out' | 'cover-open' | 'offline' | 'error' | 'unknown';
  waiting: number;
  lastError: string | null;
  at: string;
}

export interface ServerToClientEvents {
  'printer:state': (event: PrinterStateEvent) => void;
  'sale:recorded': (event: SaleRecordedEvent) => void;
  'stock:changed': (events: StockChangedEvent[]) => void;
  'catalog:changed': (event: { productIds: number[] }) => void;
}

export interface ClientToServerEvents {
  /** Asks for the current stock of some products (a till coming back online). */
  'stock:get': (request: { productIds: number[] }, reply: (events: StockChangedEvent[] | { error: string }) => void) => void;
}
