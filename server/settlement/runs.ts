/**
 * Issuing every producer's statement for a month is one action: a run goes producer by producer, each
 * statement in its own transaction (a sale is never held up for more than one), and tells the managers how
 * far it has got. A producer whose period is already issued is skipped with the reason, not an error:
 * running the month again finishes what an interrupted run left.
 */
import crypto from 'node:crypto';
import type { Kysely } from 'kysely';
import type { Database } from '../../db/schema.ts';
import type { StatementRunEvent } from '../../shared/realtime.ts';
import { Conflict, DomainError } from '../errors.ts';
import type { AppServices } from '../services.ts';
import { issueStatement, producersToSettle } from './statements.ts';

const runsOf = new WeakMap<AppServices, Map<string, StatementRunEvent>>();

function runs(services: AppServices) {
  let map = runsOf.get(services);
  if (!map) runsOf.set(services, (map = new Map()));
  return map;
}

export function getRun(services: AppServices, id: string): StatementRunEvent | undefined {
  return runs(services).get(id);
}

export async function startRun(db: Kysely<Database>, services: AppServices, period: { from: string; to: string }, userId: number): Promise<{ run: StatementRunEvent; finished: Promise<StatementRunEvent> }> {
  const all = runs(services);
  if ([...all.values()].some((r) => r.state === 'running')) throw new Conflict('Des relevés sont déjà en cours d’émission : attendez la fin.');
  const producers = await producersToSettle(db, period);
  const run: StatementRunEvent = {
    id: crypto.randomUUID(), from: period.from, to: period.to, total: producers.length, done: 0, issued: 0, skipped: [],
    state: 'running', startedAt: services.now().toISOString(), finishedAt: null,
  };
  all.set(run.id, run);
  const tz = services.config.TZ_BUSINESS;
  const publish = () => services.realtime?.statementRun({ ...run, skipped: [...run.skipped] });
  const finished = (async () => {
    let lastPublished = 0;
    try {
      for (const p of producers) {
        try {
          const s = await db.transaction().execute((trx) => issueStatement(trx, p.id, period, userId, services.now(), tz));
          run.issued++;
          services.realtime?.statementIssued({ id: s.id!, code: s.code!, producerId: p.id, from: period.from, to: period.to, netCents: s.totals.netOwedCents });
        } catch (e) {
          if (!(e instanceof DomainError)) throw e;
          run.skipped.push({ producerId: p.id, producerName: p.name, reason: e.message });
        }
        run.done++;
        // Progress at most every 100 ms: a bar needs no more, and fifty producers stay one message each.
        if (Date.now() - lastPublished > 100) {
          lastPublished = Date.now();
          publish();
        }
        // Let waiting requests (tickets) in between two statements.
        await new Promise((r) => setImmediate(r));
      }
      run.state = 'finished';
    } catch (e) {
      run.state = 'failed';
      run.skipped.push({ producerId: 0, producerName: '', reason: (e as Error).message });
      services.log.error('statement run failed', { run: run.id, error: (e as Error).message });
    }
    run.finishedAt = services.now().toISOString();
    publish();
    return run;
  })();
  return { run: { ...run }, finished };
}
