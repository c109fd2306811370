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
import { Conflict, DomainError, NotFound } from '../errors.ts';
import type { AppServices } from '../services.ts';
import { renderInThread } from './documents.ts';
import { commitStatement, prepareStatement, producersToSettle, type PreparedStatement } from './statements.ts';

/** Statements typeset ahead of the one being written: enough to keep every PDF worker busy. */
const RENDER_AHEAD = 4;

const runsOf = new WeakMap<AppServices, Map<string, StatementRunEvent>>();

function runs(services: AppServices) {
  let map = runsOf.get(services);
  if (!map) runsOf.set(services, (map = new Map()));
  return map;
}

/** How far a run has got (runs live in this process, with the services that started them). */
export function runProgress(services: AppServices, id: string): StatementRunEvent {
  const run = runs(services).get(id);
  if (!run) throw new NotFound('Lot de relevés');
  return run;
}

export async function startRun(
  db: Kysely<Database>,
  services: AppServices,
  period: { from: string; to: string },
  userId: number,
): Promise<{ run: StatementRunEvent; finished: Promise<StatementRunEvent> }> {
  const all = runs(services);
  if ([...all.values()].some((r) => r.state === 'running'))
    throw new Conflict('Des relevés sont déjà en cours d’émission : attendez la fin.');
  const producers = await producersToSettle(db, period);
  const run: StatementRunEvent = {
    id: crypto.randomUUID(),
    from: period.from,
    to: period.to,
    total: producers.length,
    done: 0,
    issued: 0,
    skipped: [],
    state: 'running',
    startedAt: services.now().toISOString(),
    finishedAt: null,
  };
  all.set(run.id, run);
  const tz = services.config.TZ_BUSINESS;
  const publish = () => services.realtime?.statementRun({ ...run, skipped: [...run.skipped] });
  const renderer = services.pdf ?? renderInThread;
  // Statements are prepared one after another (a short read each) and typeset ahead on the PDF workers;
  // each is written, in order, when its PDF is ready. Numbers are handed out in that order, so a statement
  // prepared ahead carries the number it will get; if anything moved, commitStatement notices and redoes it.
  const ahead = renderer === renderInThread ? 1 : RENDER_AHEAD;
  const finished = (async () => {
    let lastPublished = 0;
    const progress = () => {
      run.done++;
      // Progress at most every 100 ms: a bar needs no more, and fifty producers stay one message each.
      if (Date.now() - lastPublished > 100) {
        lastPublished = Date.now();
        publish();
      }
    };
    const skip = (p: { id: number; name: string }, e: unknown) => {
      if (!(e instanceof DomainError)) throw e;
      run.skipped.push({ producerId: p.id, producerName: p.name, reason: e.message });
      progress();
    };
    const window: { p: { id: number; name: string }; prepared: PreparedStatement; pdf: Promise<Buffer> }[] = [];
    const writeOldest = async () => {
      const { p, prepared, pdf } = window.shift()!;
      try {
        const s = await commitStatement({ db, userId, timeZone: tz, renderer }, { prepared, pdf });
        run.issued++;
        services.realtime?.statementIssued({
          id: s.id!,
          code: s.code!,
          producerId: p.id,
          from: period.from,
          to: period.to,
          netCents: s.totals.netOwedCents,
        });
        progress();
      } catch (e) {
        skip(p, e);
      }
    };
    let nextNumber = 0;
    try {
      for (const p of producers) {
        try {
          const prepared = await prepareStatement(
            { db, now: services.now(), timeZone: tz },
            { producerId: p.id, period, numberAtLeast: nextNumber },
          );
          nextNumber = prepared.number + 1;
          const pdf = renderer.render('statement', prepared.doc);
          pdf.catch(() => undefined); // awaited (and its failure handled) when written
          window.push({ p, prepared, pdf });
        } catch (e) {
          skip(p, e);
        }
        while (window.length >= ahead) await writeOldest();
        // Let waiting requests (tickets) in between two statements.
        await new Promise((r) => setImmediate(r));
      }
      while (window.length) await writeOldest();
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
