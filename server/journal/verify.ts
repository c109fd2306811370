import type { Db } from '../../db/schema.ts';
import { verifyEventChain } from './events.ts';
import { verifyStockLedger } from '../stock/ledger.ts';
import os from 'node:os';
import { verifySegment, verifyTicketChains, verifyTicketRange, verifyTicketsByTable } from './tickets.ts';
import { workerRangeRunner, workerSegmentRunner } from './verify-pool.ts';
import { verifyClosings } from './closings.ts';
import { journalAlerts, verifyClosingHeads, verifySignatures, verifyWitness } from './heads.ts';
import { fiscalPaths } from './fiscal.ts';

export interface VerifyProblem {
  record: string;
  fault: string;
  detail: string;
}

/**
 * What `GET /api/journal/verify` and `npm run cli -- verify` report: every till's ticket chain, the event
 * chain, the closings (each recomputed from what it is built from) and the stock ledger.
 */
export async function verifyAll(
  db: Db,
  options: { file?: string; segmentSize?: number; dataDir?: string; checkSignatures?: boolean } = {},
) {
  const events = await verifyEventChain(db);
  const stock = await verifyStockLedger(db);
  // Given the database file, long chains are verified on every core.
  const sequential = async (segments: Parameters<typeof verifySegment>[1][]) => {
    const results = [];
    for (const seg of segments) results.push(await verifySegment(db, seg));
    return { results, threads: 0 };
  };
  // By default the tables are read once each (verifyTicketsByTable). Asked for segments, the chains are
  // walked one by one instead, on worker threads when the file is given: a second implementation of the
  // same checks, which the tests hold to the same findings.
  const [tickets, closings] = await Promise.all([
    options.segmentSize !== undefined
      ? verifyTicketChains(db, options.file ? workerSegmentRunner(options.file, sequential) : undefined, options.segmentSize)
      : verifyTicketsByTable(
          db,
          options.file ? workerRangeRunner(options.file, (range) => verifyTicketRange(db, range)) : undefined,
          Math.max(1, Math.min(os.availableParallelism?.() ?? os.cpus().length, 4)),
        ),
    verifyClosings(db),
  ]);
  // Signatures (closings and chain heads) and the witness file, when the data directory is known.
  const paths = options.dataDir ? fiscalPaths(options.dataDir) : null;
  const signing = await verifySignatures(db, {
    ...(paths ? { keysDir: paths.keysDir } : {}),
    ...(options.checkSignatures === false ? { checkSignatures: false } : {}),
  });
  const witness = paths ? await verifyWitness(db, paths.witnessPath) : { report: null, problems: [] };
  const problems: VerifyProblem[] = [
    ...tickets.problems,
    ...signing.problems,
    ...witness.problems,
    ...(await journalAlerts(db)),
    ...closings.problems,
    ...(await verifyClosingHeads(db)),
    ...events.problems.map((p) => ({ record: `event:${p.eventId}`, fault: p.fault, detail: p.detail })),
    ...stock.problems.map((p) => ({ record: `product:${p.productId}`, fault: p.fault, detail: p.detail })),
  ];
  return {
    ok: problems.length === 0,
    tickets: tickets.tickets,
    closings: closings.closings,
    grandTotalCents: tickets.grandTotalCents,
    events: events.events,
    threads: tickets.threads,
    signing: signing.report,
    witness: witness.report,
    problems,
  };
}
