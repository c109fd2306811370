// Moves WAL checkpoints off the server's thread: its own connection copies committed pages from the WAL
// back into the database file (PASSIVE: never waits for, nor blocks, the writer or the readers) and syncs
// the file, on a timer. The writer then never stalls for a checkpoint in the middle of a burst of tickets.
import { parentPort, workerData } from 'node:worker_threads';
import Database from 'better-sqlite3';

const db = new Database(workerData.file, { fileMustExist: true });
db.pragma('busy_timeout = 1000');
db.pragma('synchronous = FULL');
const timer = setInterval(() => {
  try {
    db.pragma('wal_checkpoint(PASSIVE)');
  } catch {
    // Busy or failed this time: the next tick tries again, and the writer's own checkpoint is the safety net.
  }
}, workerData.intervalMs);
parentPort.on('message', (m) => {
  if (m !== 'stop') return;
  clearInterval(timer);
  db.close();
  parentPort.postMessage({ stopped: true });
  parentPort.close();
});
parentPort.postMessage({ ready: true });
