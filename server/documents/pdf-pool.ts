/**
 * Renders PDFs on worker threads. Typesetting a month's statement (700 lines, twenty pages) costs a few
 * hundred milliseconds of CPU: on the server's own thread that would hold every till's request for as long.
 * The pool starts its workers on first use, keeps them while there is work, and lets them go after a
 * quiet minute. If a worker cannot start (or dies), the document is rendered in the calling thread: a
 * PDF is never lost to the pool.
 */
import os from 'node:os';
import { Worker } from 'node:worker_threads';

/** One kind of document: its input (plain data, sent to a worker thread as is) typeset to PDF bytes. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type Typesetters = { readonly [kind: string]: (input: any) => Promise<Buffer> };

/**
 * The documents a pool renders, given by the domains that own them (the pool knows none): the typesetters,
 * and the module that exports them as `typesetters`, which each worker thread imports (a function cannot be
 * sent to a thread).
 */
export interface DocumentSet<T extends Typesetters> {
  typesetters: T;
  module: URL;
}

export interface PdfRenderer<T extends Typesetters = Typesetters> {
  render<K extends keyof T & string>(kind: K, input: Parameters<T[K]>[0]): Promise<Buffer>;
  close(): Promise<void>;
}

/** What a worker (or the fallback) runs. */
function renderWith(typesetters: Typesetters, kind: string, input: unknown): Promise<Buffer> {
  const typeset = Object.hasOwn(typesetters, kind) ? typesetters[kind] : undefined;
  if (!typeset) return Promise.reject(new Error(`unknown document kind ${kind}`));
  return typeset(input);
}

/** Renders in the calling thread: for scripts, tests and the fallback. */
export function inThreadRenderer<T extends Typesetters>(typesetters: T): PdfRenderer<T> {
  return { render: (kind, input) => renderWith(typesetters, kind, input), close: async () => undefined };
}

interface Slot {
  worker: Worker;
  task: (Task & { id: number }) | null;
}

interface Task {
  kind: string;
  input: unknown;
  resolve: (pdf: Buffer) => void;
  reject: (e: unknown) => void;
}

export function createPdfPool<T extends Typesetters>(
  documents: DocumentSet<T>,
  options: { size?: number; idleMs?: number } = {},
): PdfRenderer<T> {
  const renderDocument = (kind: string, input: unknown) => renderWith(documents.typesetters, kind, input);
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
          const worker = new Worker(new URL('./pdf-worker.mjs', import.meta.url), { workerData: { module: documents.module.href } });
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
            if (task) finish(slot, () => renderDocument(task.kind, task.input).then(task.resolve, task.reject));
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
    if (!slots.length) for (const t of queue.splice(0)) renderDocument(t.kind, t.input).then(t.resolve, t.reject);
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
      for (const t of queue.splice(0)) renderDocument(t.kind, t.input).then(t.resolve, t.reject);
      await stopAll();
    },
  };
}
