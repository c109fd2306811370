/**
 * Issuing every producer's statement for a month is one action: a run goes producer by producer, each
 * statement in its own transaction (a sale is never held up for more than one), and tells the managers how
 * far it has got. A producer whose period is already issued is skipped with the reason, not an error:
 * running the month again finishes what an interrupted run left.
 */
import crypto from 'node:crypto';
import type { Kysely, Selectable } from 'kysely';
import type { Database, StatementRunTable } from '../../db/schema.ts';
import { isUniqueViolation } from '../../db/engine.ts';
import type { StatementRunEvent } from '../../shared/realtime.ts';
import { Conflict, DomainError, NotFound } from '../errors.ts';
import type { AppServices } from '../services.ts';
import { renderInThread } from './documents.ts';
import { commitStatement, prepareStatement, producersToSettle, type PreparedStatement } from './statements.ts';

/** Statements typeset ahead of the one being written: enough to keep every PDF worker busy. */
const RENDER_AHEAD = 4;

/**
 * A running run says it is alive every `HEARTBEAT_MS` while it works (and writes its progress, 100 ms apart
 * at most); one not heard from for `ABANDONED_AFTER_MS` was left by a process that died.
 */
export const ABANDONED_AFTER_MS = 60_000;
const HEARTBEAT_MS = 10_000;

/** Runs are kept in the database (migration 034): any process answers, and only one runs at a time. */
function runView(r: Selectable<StatementRunTable>): StatementRunEvent {
  return {
    id: r.id,
    from: r.period_from,
    to: r.period_to,
    total: r.total,
    done: r.done,
    issued: r.issued,
    skipped: JSON.parse(r.skipped) as StatementRunEvent['skipped'],
    state: r.state,
    startedAt: r.started_at,
    finishedAt: r.finished_at,
  };
}

/** How far a run has got, whichever process runs it. */
export async function runProgress(db: Kysely<Database>, id: string): Promise<StatementRunEvent> {
  const row = await db.selectFrom('statement_runs').selectAll().where('id', '=', id).executeTakeFirst();
  if (!row) throw new NotFound('Lot de relevés');
  return runView(row);
}

const ALREADY_RUNNING = 'Des relevés sont déjà en cours d’émission : attendez la fin.';

/** A run still `running` but silent for too long: its process died. Marked failed, with the reason. */
async function closeAbandoned(db: Kysely<Database>, now: Date): Promise<void> {
  const silent = await db
    .selectFrom('statement_runs')
    .selectAll()
    .where('state', '=', 'running')
    .where('heartbeat_at', '<', new Date(now.getTime() - ABANDONED_AFTER_MS).toISOString())
    .execute();
  for (const r of silent) {
    const skipped = [
      ...runView(r).skipped,
      { producerId: 0, producerName: '', reason: 'Interrompu : le serveur qui l’émettait s’est arrêté.' },
    ];
    await db
      .updateTable('statement_runs')
      .set({ state: 'failed', finished_at: now.toISOString(), skipped: JSON.stringify(skipped) })
      .where('id', '=', r.id)
      .where('state', '=', 'running')
      .execute();
  }
}

export async function startRun(
  db: Kysely<Database>,
  services: AppServices,
  period: { from: string; to: string },
  userId: number,
): Promise<{ run: StatementRunEvent; finished: Promise<StatementRunEvent> }> {
  await closeAbandoned(db, services.now());
  const running = await db.selectFrom('statement_runs').select('id').where('state', '=', 'running').executeTakeFirst();
  if (running) throw new Conflict(ALREADY_RUNNING);
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
  try {
    // At most one running row (a unique index): of two runs started at once in two processes, one is refused.
    await db
      .insertInto('statement_runs')
      .values({
        id: run.id,
        period_from: run.from,
        period_to: run.to,
        total: run.total,
        done: 0,
        issued: 0,
        skipped: '[]',
        state: 'running',
        started_by: userId,
        started_at: run.startedAt,
        heartbeat_at: run.startedAt,
        finished_at: null,
      })
      .execute();
  } catch (e) {
    if (isUniqueViolation(e, /statement_runs/)) throw new Conflict(ALREADY_RUNNING);
    throw e;
  }
  const tz = services.config.TZ_BUSINESS;
  // Each state is written, in order, then told: whoever asks by the run's id, in any process, reads at least
  // what the last message said. Only while the row is `running`: a run closed as abandoned stays closed.
  let saved: Promise<void> = Promise.resolve();
  const write = (set: Partial<Selectable<StatementRunTable>>) =>
    db
      .updateTable('statement_runs')
      .set({ ...set, heartbeat_at: services.now().toISOString() })
      .where('id', '=', run.id)
      .where('state', '=', 'running')
      .execute();
  const publish = () => {
    const snapshot = { ...run, skipped: [...run.skipped] };
    saved = saved
      .then(() =>
        write({
          done: snapshot.done,
          issued: snapshot.issued,
          skipped: JSON.stringify(snapshot.skipped),
          state: snapshot.state,
          finished_at: snapshot.finishedAt,
        }),
      )
      .then(
        () => services.realtime?.statementRun(snapshot),
        (e: Error) => services.log.error('statement run not saved', { run: snapshot.id, error: e.message }),
      );
  };
  // Alive while one statement takes long (a year's settles in seconds; a PDF worker may be slow).
  const heartbeat = setInterval(() => {
    saved = saved
      .then(() => write({}))
      .then(
        () => undefined,
        (e: Error) => services.log.error('statement run not heard', { run: run.id, error: e.message }),
      );
  }, HEARTBEAT_MS);
  heartbeat.unref();
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
    clearInterval(heartbeat);
    publish();
    await saved;
    return run;
  })();
  return { run: { ...run }, finished };
}
