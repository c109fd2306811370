import type { Db } from '../events/event-log.ts';
import { verifyEventChain } from '../events/event-log.ts';
import { verifyStockLedger } from '../stock/ledger.ts';

export interface VerifyProblem {
  record: string;
  fault: string;
  detail: string;
}

/**
 * What `GET /api/journal/verify` and `npm run cli -- verify` report. Tickets and closings join this walk
 * when they are recorded (their chains come with the sales journal).
 */
export async function verifyAll(db: Db) {
  const events = await verifyEventChain(db);
  const stock = await verifyStockLedger(db);
  const problems: VerifyProblem[] = [
    ...events.problems.map((p) => ({ record: `event:${p.eventId}`, fault: p.fault, detail: p.detail })),
    ...stock.problems.map((p) => ({ record: `product:${p.productId}`, fault: p.fault, detail: p.detail })),
  ];
  return { ok: problems.length === 0, tickets: 0, closings: 0, grandTotalCents: 0, events: events.events, problems };
}
