import { Worker } from 'node:worker_threads';
import type SQLite from 'better-sqlite3';

export interface Checkpointer {
  stop(): Promise<void>;
}

/**
 * WAL checkpoints on a worker thread with its own connection. The server's connection stops checkpointing
 * on its own except as a safety net (a WAL of 40 000 pages, ~160 MB) should the worker die: then the writer
 * does it as SQLite always did, and nothing is lost either way.
 */
export async function startCheckpointer(sqlite: SQLite.Database, file: string, intervalMs = 250): Promise<Checkpointer> {
  const worker = new Worker(new URL('./checkpoint-worker.mjs', import.meta.url), { workerData: { file, intervalMs } });
  await new Promise<void>((resolve, reject) => {
    worker.once('message', () => resolve());
    worker.once('error', reject);
  });
  sqlite.pragma('wal_autocheckpoint = 40000');
  let exited = false;
  worker.on('error', () => sqlite.pragma('wal_autocheckpoint = 1000'));
  worker.on('exit', () => {
    exited = true;
    sqlite.pragma('wal_autocheckpoint = 1000');
  });
  worker.unref();
  return {
    stop: async () => {
      sqlite.pragma('wal_autocheckpoint = 1000');
      if (exited) return;
      await new Promise<void>((resolve) => {
        // Held again while it stops: otherwise a process with nothing else left would end before it closes.
        worker.ref();
        const timer = setTimeout(() => void worker.terminate().then(() => resolve()), 2000);
        worker.once('exit', () => {
          clearTimeout(timer);
          resolve();
        });
        worker.postMessage('stop');
      });
    },
  };
}
