import os from 'node:os';
import { Worker } from 'node:worker_threads';
import SQLite from 'better-sqlite3';
import { Kysely, SqliteDialect } from 'kysely';
import { isPostgresUrl, postgresDialect, postgresPool } from '../../db/engine.ts';
import type { Database } from '../../db/schema.ts';
import {
  verifySegment,
  verifyTicketRange,
  type ChainSegment,
  type RangeRunner,
  type SegmentResult,
  type SegmentRunner,
  type TicketProblem,
  type TicketRange,
} from './tickets.ts';

let workerDb: { file: string; db: Kysely<Database> } | null = null;

/** Inside a worker: its own read-only connection to the SQLite file, or one connection to PostgreSQL. */
function workerDatabase(file: string): Kysely<Database> {
  if (!workerDb || workerDb.file !== file) {
    if (isPostgresUrl(file)) {
      workerDb = { file, db: new Kysely<Database>({ dialect: postgresDialect(postgresPool(file, 1)) }) };
    } else {
      const sqlite = new SQLite(file, { readonly: true, fileMustExist: true });
      // A long sequential read: map the file and keep a large page cache rather than a read() per page.
      sqlite.pragma('mmap_size = 1073741824');
      sqlite.pragma('cache_size = -65536');
      workerDb = { file, db: new Kysely<Database>({ dialect: new SqliteDialect({ database: sqlite }) }) };
    }
  }
  return workerDb.db;
}

/** Inside a worker: its own read-only connection to the database file. */
export async function verifySegmentInFile(file: string, segment: ChainSegment): Promise<SegmentResult> {
  return verifySegment(workerDatabase(file), segment);
}

/** Inside a worker: pass 1 of the table verification over a range of ticket ids. */
export async function verifyRangeInFile(file: string, range: TicketRange): Promise<TicketProblem[]> {
  return verifyTicketRange(workerDatabase(file), range);
}

/**
 * Verifies ranges of ticket ids on worker threads, one range per worker, each on its own read-only
 * connection; in the caller's thread if a worker cannot start.
 */
export function workerRangeRunner(file: string, fallback: (range: TicketRange) => Promise<TicketProblem[]>): RangeRunner {
  return async (ranges) => {
    const workers: Worker[] = [];
    try {
      for (let i = 0; i < ranges.length; i++) {
        const w = new Worker(new URL('./verify-worker.mjs', import.meta.url), { workerData: { file } });
        await new Promise<void>((resolve, reject) => {
          w.once('message', () => resolve());
          w.once('error', reject);
        });
        workers.push(w);
      }
    } catch {
      for (const w of workers) await w.terminate();
      const results: TicketProblem[][] = [];
      for (const r of ranges) results.push(await fallback(r));
      return { results, threads: 0 };
    }
    try {
      const results = await Promise.all(
        ranges.map(
          (range, i) =>
            new Promise<TicketProblem[]>((resolve, reject) => {
              const w = workers[i]!;
              w.on('message', (m: { id: number; result?: TicketProblem[]; error?: string }) => {
                if (m.id !== i) return;
                if (m.error) reject(new Error(m.error));
                else resolve(m.result!);
              });
              w.once('error', reject);
              w.postMessage({ id: i, range });
            }),
        ),
      );
      return { results, threads: workers.length };
    } finally {
      for (const w of workers) await w.terminate();
    }
  };
}

/**
 * Verifies chain segments on every core, each worker reading the database file on its own connection
 * (WAL lets readers run beside the server). Falls back to the caller's thread if a worker cannot start.
 */
export function workerSegmentRunner(
  file: string,
  fallback: SegmentRunner,
  threads = Math.max(1, Math.min(os.availableParallelism?.() ?? os.cpus().length, 4)),
): SegmentRunner {
  return async (segments) => {
    const workers: Worker[] = [];
    try {
      for (let i = 0; i < Math.min(threads, segments.length); i++) {
        const w = new Worker(new URL('./verify-worker.mjs', import.meta.url), { workerData: { file } });
        await new Promise<void>((resolve, reject) => {
          w.once('message', () => resolve());
          w.once('error', reject);
        });
        workers.push(w);
      }
    } catch {
      for (const w of workers) await w.terminate();
      return fallback(segments);
    }
    const results: SegmentResult[] = new Array(segments.length);
    let next = 0;
    try {
      await Promise.all(
        workers.map(async (w) => {
          let pending: { id: number; resolve: (r: SegmentResult) => void; reject: (e: unknown) => void } | null = null;
          w.on('message', (m: { id: number; result?: SegmentResult; error?: string }) => {
            if (!pending || m.id !== pending.id) return;
            if (m.error) pending.reject(new Error(m.error));
            else pending.resolve(m.result!);
          });
          w.on('error', (e) => pending?.reject(e));
          while (next < segments.length) {
            const id = next++;
            results[id] = await new Promise<SegmentResult>((resolve, reject) => {
              pending = { id, resolve, reject };
              w.postMessage({ id, segment: segments[id] });
            });
          }
        }),
      );
    } finally {
      for (const w of workers) await w.terminate();
    }
    return { results, threads: workers.length };
  };
}
