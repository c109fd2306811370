import type { Db } from '../events/event-log.ts';
import { verifyEventChain } from '../events/event-log.ts';
import { verifyStockLedger } from '../stock/ledger.ts';
import { verifyTicketChains } from '../sales/journal.ts';

export interface VerifyProblem {
  record: string;
  fault: string;
  detail: string;
}

/**
 * What `GET /api/journal/verify` and `npm run cli -- verify` report: every till's ticket chain, the event
 * chain and the stock ledger. Closings join this walk when they are recorded.
 */
export async function verifyAll(db: Db) {
  const events = await verifyEventChain(db);
  const stock = await verifyStockLedger(db);
  const tickets = await verifyTicketChains(db);
  const problems: VerifyProblem[] = [
    ...tickets.problems,
    ...events.problems.map((p) => ({ record: `event:${p.eventId}`, fault: p.fault, detail: p.detail })),
    ...stock.problems.map((p) => ({ record: `product:${p.productId}`, fault: p.fault, detail: p.detail })),
  ];
  return { ok: problems.length === 0, tickets: tickets.tickets, closings: 0, grandTotalCents: tickets.grandTotalCents, events: events.events, problems };
}
