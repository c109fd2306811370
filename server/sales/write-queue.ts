import { sql, type Kysely } from 'kysely';
import type { Database } from '../../db/schema.ts';
import type { Db } from '../events/event-log.ts';

interface Job {
  work: (trx: Db) => Promise<unknown>;
  resolve: (value: any) => void;
  reject: (error: unknown) => void;
}

/**
 * Group commit. With `synchronous=FULL` every commit waits for the disk; tickets that arrive together are
 * written in one transaction, each in its own savepoint (a refused ticket rolls back alone), and every
 * promise settles only after the shared COMMIT: a ticket is acknowledged once it is on disk, never before.
 */
export class WriteQueue {
  private pending: Job[] = [];
  private draining = false;

  constructor(
    private readonly db: Kysely<Database>,
    private readonly maxBatch = 100,
  ) {}

  run<T>(work: (trx: Db) => Promise<T>): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      this.pending.push({ work, resolve, reject });
      if (!this.draining) void this.drain();
    });
  }

  private async drain() {
    this.draining = true;
    try {
      while (this.pending.length) {
        const batch = this.pending.splice(0, this.maxBatch);
        const outcomes: ({ ok: true; value: unknown } | { ok: false; error: unknown })[] = [];
        try {
          await this.db.transaction().execute(async (trx) => {
            for (const job of batch) {
              await sql`savepoint ticket`.execute(trx);
              try {
                const value = await job.work(trx);
                await sql`release savepoint ticket`.execute(trx);
                outcomes.push({ ok: true, value });
              } catch (error) {
                await sql`rollback to savepoint ticket`.execute(trx);
                await sql`release savepoint ticket`.execute(trx);
                outcomes.push({ ok: false, error });
              }
            }
          });
        } catch (error) {
          // The commit itself failed (disk full, I/O error): nothing of the batch is stored.
          for (const job of batch) job.reject(error);
          continue;
        }
        batch.forEach((job, i) => {
          const o = outcomes[i]!;
          if (o.ok) job.resolve(o.value);
          else job.reject(o.error);
        });
      }
    } finally {
      this.draining = false;
    }
  }
}
