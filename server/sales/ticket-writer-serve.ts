import type { MessagePort } from 'node:worker_threads';
import { openDatabase } from '../../db/database.ts';
import { FiscalJournal } from '../journal/fiscal.ts';
import type { Logger } from '../log.ts';
import { commitEffects, recordPrepared, replayIn } from './record.ts';
import { toWire, type Reply, type Request } from './ticket-writer.ts';
import { WriteQueue } from './write-queue.ts';

/**
 * Inside the writer's thread: its own connection to the shop's file, its group commit, the signed heads and
 * the witness. Its clock follows the server thread's (a test's clock too): each request carries its time.
 */
export async function serveTicketWriter(
  port: MessagePort,
  data: { file: string; dataDir: string; fiscal: boolean; nowMs: number; lockWanted: Int32Array },
): Promise<void> {
  const post = (m: Reply | { ready: true; witnessFd?: number } | { error: ReturnType<typeof toWire> }) => port.postMessage(m);
  let offset = data.nowMs - Date.now();
  const now = () => new Date(Date.now() + offset);
  const at = (level: 'debug' | 'info' | 'warn' | 'error') => (msg: string, fields?: Record<string, unknown>) =>
    post({ log: level, msg, ...(fields ? { fields } : {}) });
  const log: Logger = { debug: at('debug'), info: at('info'), warn: at('warn'), error: at('error') };
  let database: Awaited<ReturnType<typeof openDatabase>>;
  let writes: WriteQueue;
  let fiscal: FiscalJournal | null = null;
  /** A table the server thread keeps in memory was written here: its cache is told with the next answer. */
  let wroteKept = false;
  const cacheDrop = () => {
    if (!wroteKept) return {};
    wroteKept = false;
    return { cacheDrop: true as const };
  };
  try {
    database = await openDatabase(data.file);
    // The checkpointer's thread folds the log back (db/checkpointer.ts); this connection only as a safety net.
    database.sqlite.pragma('wal_autocheckpoint = 40000');
    // Waiting here for the server thread's transaction (a closing) blocks no request: tickets wait as they
    // did in the queue, rather than fail after the server thread's 5 s.
    database.sqlite.pragma('busy_timeout = 60000');
    database.reads.onOwnWrite = () => {
      wroteKept = true;
    };
    writes = new WriteQueue(database.db);
    // The server thread waits for the lock in SQLite's busy handler, which polls: between two batches, its
    // waiting write goes first (50 ms at most, for a transaction of its that lasts).
    writes.beforeBatch = () => {
      const until = Date.now() + 50;
      while (Atomics.load(data.lockWanted, 0) === 1 && Date.now() < until) Atomics.wait(data.lockWanted, 0, 1, 5);
    };
    if (data.fiscal) fiscal = await FiscalJournal.open(database.db, data.dataDir, writes, now, log);
  } catch (e) {
    post({ error: toWire(e) });
    return;
  }
  // The answers of one batch settle together: they cross to the server thread as one message (each message
  // costs both threads a serialization and a wake-up).
  let outbox: Reply[] = [];
  const flush = () => {
    const replies = outbox;
    outbox = [];
    port.postMessage(replies);
  };
  const reply = (r: Reply) => {
    if (!outbox.length) queueMicrotask(flush);
    outbox.push(r);
  };
  const answer = async (id: number, work: () => Promise<unknown>) => {
    try {
      const value = await work();
      const sale = (value as { sale?: Parameters<typeof commitEffects>[0] } | undefined)?.sale;
      const effects = sale ? commitEffects(sale) : undefined;
      reply({
        id,
        ok: true,
        value,
        ...(effects ? { effects: { stockMoved: [...effects.stockMoved], oneOffs: effects.oneOffs, kitchen: effects.kitchen } } : {}),
        ...cacheDrop(),
      });
    } catch (e) {
      reply({ id, ok: false, error: toWire(e), ...cacheDrop() });
    }
  };
  port.on('message', (m: Request) => {
    if ('nowMs' in m) offset = m.nowMs - Date.now();
    switch (m.op) {
      case 'sale':
        void answer(m.id, () => recordPrepared(writes, m.body, m.ctx, m.bodyHash, m.early));
        return;
      case 'replay':
        void answer(m.id, () => replayIn(writes, m.saleId, m.bodyHash));
        return;
      case 'flush':
        void answer(m.id, async () => {
          await fiscal?.flush(m.options);
        });
        return;
      case 'idle':
        void answer(m.id, () => writes.idle());
        return;
      case 'close':
        void answer(m.id, async () => {
          await writes.idle();
          await fiscal?.close();
          fiscal = null;
          await database.close();
        });
        return;
      case 'detach':
        void answer(m.id, async () => {
          await writes.idle();
          fiscal?.detach();
          fiscal = null;
          await database.close();
        });
        return;
    }
  });
  post({ ready: true, ...(fiscal ? { witnessFd: fiscal.witnessDescriptor } : {}) });
}
