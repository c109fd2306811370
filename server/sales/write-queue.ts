import { sql, type Kysely } from 'kysely';
import { engineOf } from '../../db/engine.ts';
import { rawRows, runDirectly } from '../../db/raw.ts';
import type { Database } from '../../db/schema.ts';
import type { Db, Trx } from '../../db/schema.ts';

interface Job {
  work: (trx: Trx) => Promise<unknown>;
  resolve: (value: any) => void;
  reject: (error: unknown) => void;
}

type Outcome = { ok: true; value: unknown } | { ok: false; error: unknown };

/** Thrown inside a batch to roll it back when a job failed after writing part of its rows. */
class PartialWrite extends Error {}

/**
 * Group commit. With `synchronous=FULL` every commit waits for the disk; tickets that arrive together are
 * written in one transaction and every promise settles only after the shared COMMIT: a ticket is
 * acknowledged once it is on disk, never before.
 *
 * A job refused before it writes anything (a ticket that does not add up, a replay) fails alone and the
 * batch goes on. A job that fails after writing part of its rows (should not happen: every check comes
 * before the first write) rolls the whole batch back, and its jobs are run again one transaction each, so
 * that only the faulty one fails. This is what savepoints would give, without their cost on every ticket
 * (a savepoint copies each page it touches to a sub-journal: 40 % of the write time here).
 */
export class WriteQueue {
  private pending: Job[] = [];
  private draining = false;
  private idleWaiters: (() => void)[] = [];
  /**
   * Run after a batch's jobs in its transaction, then once its COMMIT is on disk (the journal's signed heads
   * and witness, server/journal/fiscal.ts).
   */
  hooks: { inBatch: (trx: Trx) => Promise<unknown>; afterCommit: (staged: unknown) => void } | null = null;
  /** Before each batch takes the write lock (the writer thread lets the server thread's waiting write go first). */
  beforeBatch: (() => void) | null = null;

  private readonly postgres: boolean;

  constructor(
    private readonly db: Kysely<Database>,
    private readonly maxBatch = 100,
  ) {
    this.postgres = engineOf(db) === 'postgres';
  }

  run<T>(work: (trx: Trx) => Promise<T>): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      this.pending.push({ work, resolve, reject });
      if (!this.draining) {
        this.draining = true;
        void this.drain();
      }
    });
  }

  private async drain() {
    try {
      while (this.pending.length) {
        // One turn of the event loop before each batch: requests read while the last COMMIT waited for the
        // disk reach the queue and share the next one, instead of the first of them committing alone.
        await new Promise<void>((resolve) => setImmediate(resolve));
        this.beforeBatch?.();
        let batch: Job[] = [];
        let outcomes: Outcome[] = [];
        let staged: unknown = null;
        const hooks = this.hooks;
        try {
          await this.db.transaction().execute((trx) =>
            runDirectly(this.db, trx, async () => {
              // Taken once the connection is ours: the tickets that arrived while we waited for it come along.
              batch = this.pending.splice(0, this.maxBatch);
              outcomes = [];
              if (this.postgres && batch.length === 1) {
                // Alone in its batch: no savepoint (two round trips under the write lock); refused, the whole
                // transaction is rolled back, which holds nothing else.
                try {
                  outcomes.push({ ok: true, value: await batch[0]!.work(trx) });
                } catch (error) {
                  throw new Refused(error);
                }
              } else if (this.postgres) {
                // PostgreSQL: a statement that fails spoils the whole transaction, so each job runs in a
                // savepoint (cheap there: no page copies) and a refused one is rolled back alone.
                for (const job of batch) {
                  await sql`savepoint job`.execute(trx);
                  try {
                    const value = await job.work(trx);
                    await sql`release savepoint job`.execute(trx);
                    outcomes.push({ ok: true, value });
                  } catch (error) {
                    await sql`rollback to savepoint job`.execute(trx);
                    outcomes.push({ ok: false, error });
                  }
                }
              } else
                for (const job of batch) {
                  const before = await totalChanges(trx);
                  try {
                    outcomes.push({ ok: true, value: await job.work(trx) });
                  } catch (error) {
                    if ((await totalChanges(trx)) !== before) throw new PartialWrite();
                    outcomes.push({ ok: false, error });
                  }
                }
              staged = hooks ? await hooks.inBatch(trx) : null;
            }),
          );
          hooks?.afterCommit(staged);
        } catch (error) {
          if (error instanceof PartialWrite) {
            outcomes = await this.oneByOne(batch);
          } else if (error instanceof Refused) {
            outcomes = [{ ok: false, error: error.error }];
          } else {
            // The commit itself failed (disk full, I/O error): nothing of the batch is stored.
            for (const job of batch) job.reject(error);
            continue;
          }
        }
        batch.forEach((job, i) => {
          const o = outcomes[i]!;
          if (o.ok) job.resolve(o.value);
          else job.reject(o.error);
        });
      }
    } finally {
      this.draining = false;
      for (const resolve of this.idleWaiters.splice(0)) resolve();
    }
  }

  /** Resolves once every ticket handed over so far is committed or refused (a stopping server waits for it). */
  idle(): Promise<void> {
    if (!this.draining && !this.pending.length) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  private async oneByOne(batch: Job[]): Promise<Outcome[]> {
    const outcomes: Outcome[] = [];
    for (const job of batch) {
      try {
        outcomes.push({
          ok: true,
          value: await this.db.transaction().execute((trx) => runDirectly(this.db, trx, () => job.work(trx))),
        });
      } catch (error) {
        outcomes.push({ ok: false, error });
      }
    }
    return outcomes;
  }
}

/** The one job of a batch was refused: its transaction is rolled back, its error goes to its caller. */
class Refused extends Error {
  constructor(readonly error: unknown) {
    super('refused');
  }
}

/** Rows inserted, updated or deleted on this connection since it opened. */
async function totalChanges(trx: Db): Promise<number> {
  const [row] = await rawRows<{ n: number }>(trx, 'select total_changes() as n', []);
  return row!.n;
}
