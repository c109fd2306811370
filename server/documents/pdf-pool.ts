/**
 * Renders PDFs on worker threads. Typesetting a month's statement (700 lines, twenty pages) costs a few
 * hundred milliseconds of CPU: on the server's own thread that would hold every till's request for as long.
 * The pool starts its workers on first use, keeps them while there is work, and lets them go after a
 * quiet minute. If a worker cannot start (or dies), the document is rendered in the calling thread: a
 * PDF is never lost to the pool.
 */
import os from 'node:os';
import { Worker } from 'node:worker_threads';
import { statementPdf, type StatementDocument } from '../settlement/statement-pdf.ts';

export interface PdfInputs {
  statement: StatementDocument;
}
export type PdfKind = keyof PdfInputs;

/** What a worker (or the fallback) runs. */
export function renderDocument<K extends PdfKind>(kind: K, input: PdfInputs[K]): Promise<Buffer> {
  switch (kind) {
    case 'statement':
      return statementPdf(input);
    default:
      throw new Error(`unknown document kind ${String(kind)}`);
  }
}

export interface PdfRenderer {
  render<K extends PdfKind>(kind: K, input: PdfInputs[K]): Promise<Buffer>;
  close(): Promise<void>;
}

/** Renders in the calling thread: for scripts, tests and the fallback. */
export const inThreadRenderer: PdfRenderer = { render: renderDocument, close: async () => undefined };

interface Slot {
  worker: Worker;
  task: (Task & { id: number }) | null;
}

interface Task {
  kind: PdfKind;
  input: unknown;
  resolve: (pdf: Buffer) => void;
  reject: (e: unknown) => void;
}

export function createPdfPool(options: { size?: number; idleMs?: number } = {}): PdfRenderer {
  // One core stays with the server (it prepares and writes the statements, and answers the tills).
  const size = options.size ?? Math.max(1, Math.min((os.availableParallelism?.() ?? os.cpus().length) - 1, 3));
  const idleMs = options.idleMs ?? 60_000;
  const slots: Slot[] = [];
  const queue: Task[] = [];
  let starting: Promise<void> | null = null;
  let broken = false;
  let closed = false;
  let idleTimer: NodeJS.Timeout | null = null;
  let nextId = 0;

  const start = () =>
    (starting ??= (async () => {
      try {
        for (let i = 0; i < size; i++) {
          const worker = new Worker(new URL('./pdf-worker.mjs', import.meta.url));
          await new Promise<void>((resolve, reject) => {
            worker.once('message', () => resolve());
            worker.once('error', reject);
          });
          const slot: Slot = { worker, task: null };
          worker.on('message', (m: { id: number; pdf?: Uint8Array; error?: string }) => {
            const task = slot.task;
            if (!task || m.id !== task.id) return;
            finish(slot, () =>
              m.pdf ? task.resolve(Buffer.from(m.pdf.buffer, m.pdf.byteOffset, m.pdf.byteLength)) : task.reject(new Error(m.error)),
            );
          });
          // A worker that dies leaves the pool; its document is rendered here; the pool starts afresh next time.
          worker.on('error', () => {
            const i = slots.indexOf(slot);
            if (i >= 0) slots.splice(i, 1);
            if (!slots.length) starting = null;
            const task = slot.task;
            if (task) finish(slot, () => renderDocument(task.kind, task.input as never).then(task.resolve, task.reject));
          });
          // Idle workers do not keep the process alive; busy ones do (see finish and pump).
          worker.unref();
          slots.push(slot);
        }
      } catch {
        broken = true;
        await Promise.all(slots.splice(0).map((s) => s.worker.terminate()));
      }
    })());

  const stopAll = async () => {
    const all = slots.splice(0);
    starting = null;
    await Promise.all(all.map((s) => s.worker.terminate()));
  };

  const armIdle = () => {
    if (idleTimer) clearTimeout(idleTimer);
    idleTimer = setTimeout(() => {
      idleTimer = null;
      if (!queue.length && slots.every((s) => !s.task)) void stopAll();
    }, idleMs);
    idleTimer.unref();
  };

  const finish = (slot: Slot, settle: () => void) => {
    slot.task = null;
    slot.worker.unref();
    settle();
    if (queue.length) pump();
    else armIdle();
  };

  const pump = () => {
    // Every worker gone: what waits is typeset here.
    if (!slots.length) for (const t of queue.splice(0)) renderDocument(t.kind, t.input as never).then(t.resolve, t.reject);
    for (const slot of slots) {
      if (slot.task) continue;
      const task = queue.shift();
      if (!task) break;
      slot.task = { ...task, id: nextId++ };
      slot.worker.ref();
      slot.worker.postMessage({ id: slot.task.id, kind: task.kind, input: task.input });
    }
  };

  return {
    async render(kind, input) {
      if (closed || broken) return renderDocument(kind, input);
      await start();
      if (broken || !slots.length) return renderDocument(kind, input);
      if (idleTimer) clearTimeout(idleTimer);
      return new Promise<Buffer>((resolve, reject) => {
        queue.push({ kind, input, resolve, reject });
        pump();
      });
    },
    async close() {
      closed = true;
      if (idleTimer) clearTimeout(idleTimer);
      for (const t of queue.splice(0)) renderDocument(t.kind, t.input as never).then(t.resolve, t.reject);
      await stopAll();
    },
  };
}
