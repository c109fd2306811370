import { Worker } from 'node:worker_threads';
import type { SaleBody } from '../../shared/api/sales.ts';
import { Conflict, DomainError, Forbidden, Invalid, NotFound, TooManyAttempts, Unauthorized, Unprocessable } from '../errors.ts';
import type { Logger } from '../log.ts';
import fs from 'node:fs';
import type { ReadCache } from '../../db/read-cache.ts';
import type { LockInterest } from '../../db/database.ts';
import type { Db } from '../../db/schema.ts';
import { prepareSale, rememberEffects, type Checked, type CommitEffects, type SaleContext, type SaleView } from './record.ts';

/** What crosses from the writer's thread: a domain error as its parts, anything else as its message. */
export type WireError = {
  domain: string | null;
  message: string;
  stack?: string;
  fields?: unknown;
  explicit?: boolean;
  retryAfterSeconds?: number;
  /** SQLite's code of an error no domain check caught (a constraint: 409, as on the server's thread). */
  code?: string;
};

export type Request =
  | { id: number; op: 'sale'; body: SaleBody; ctx: SaleContext; bodyHash: string; early: Checked | undefined; nowMs: number }
  | { id: number; op: 'replay'; saleId: string; bodyHash: string; nowMs: number }
  | { id: number; op: 'flush'; options: { all?: boolean; chains?: string[] }; nowMs: number }
  | { id: number; op: 'idle' }
  | { id: number; op: 'close' }
  | { id: number; op: 'detach' };

export type Reply =
  | { id: number; ok: true; value: unknown; effects?: CommitEffects; cacheDrop?: true }
  | { id: number; ok: false; error: WireError; cacheDrop?: true }
  | { log: 'debug' | 'info' | 'warn' | 'error'; msg: string; fields?: Record<string, unknown> };

const domainErrors: Record<string, new (...args: never[]) => DomainError> = {
  Invalid,
  Unauthorized,
  Forbidden,
  NotFound,
  Conflict,
  Unprocessable,
  TooManyAttempts,
};

export function toWire(error: unknown): WireError {
  if (error instanceof DomainError) {
    const name = Object.keys(domainErrors).find((n) => error.constructor === domainErrors[n]) ?? null;
    return {
      domain: name,
      message: error.message,
      ...(error.stack ? { stack: error.stack } : {}),
      fields: error.fields,
      ...(error instanceof Invalid ? { explicit: error.explicit } : {}),
      ...(error instanceof TooManyAttempts ? { retryAfterSeconds: error.retryAfterSeconds } : {}),
    };
  }
  const e = error instanceof Error ? error : new Error(String(error));
  const code = (e as { code?: unknown }).code;
  return { domain: null, message: e.message, ...(e.stack ? { stack: e.stack } : {}), ...(typeof code === 'string' ? { code } : {}) };
}

/** The same error on this side: a domain error of its own class (the HTTP layer maps it as if thrown here). */
export function fromWire(wire: WireError): Error {
  const make = wire.domain ? rebuild[wire.domain] : undefined;
  // Made by its own constructor: its constants (status, code) are fields it sets, not on its prototype.
  const error: Error = make ? make() : new Error(wire.message);
  Object.assign(error, {
    message: wire.message,
    ...(wire.stack ? { stack: wire.stack } : {}),
    ...(make ? { fields: wire.fields ?? [] } : {}),
    ...(wire.explicit !== undefined ? { explicit: wire.explicit } : {}),
    ...(wire.retryAfterSeconds !== undefined ? { retryAfterSeconds: wire.retryAfterSeconds } : {}),
    ...(wire.code !== undefined ? { code: wire.code } : {}),
  });
  return error;
}

/** Each domain error made anew, its message and fields then set from the wire. */
const rebuild: Record<string, () => DomainError> = {
  Invalid: () => new Invalid([]),
  Unauthorized: () => new Unauthorized(),
  Forbidden: () => new Forbidden(),
  NotFound: () => new NotFound(''),
  Conflict: () => new Conflict(''),
  Unprocessable: () => new Unprocessable(''),
  TooManyAttempts: () => new TooManyAttempts('', 0),
};

/** How often the server thread's read cache asks whether a third connection (the CLI) wrote. */
const VERSION_EVERY_MS = 250;

export interface WriterOptions {
  /** The SQLite file. */
  file: string;
  dataDir: string;
  /** Signed heads and the witness (off only in the bench run that measures their cost). */
  fiscal: boolean;
  now: () => Date;
  log: Logger;
  /** The server thread's read cache (db/read-cache.ts): told when the writer wrote what it keeps. */
  reads?: ReadCache;
  /** The server thread's connection says when it wants the write lock (db/database.ts): the writer lets it go first. */
  lock?: LockInterest;
}

/** After a thread that would not start, how long tickets are refused before another start is tried. */
const RETRY_START_MS = 2000;

/**
 * The tickets' writer on a thread of its own (SQLite): each ticket's statements and the group COMMIT with its
 * disk sync, the signed heads and the witness, on a second connection to the same file, while the server's
 * thread reads requests, checks them against the catalogue, answers and pushes events. A ticket is answered
 * once its batch's COMMIT and witness are on disk, as before (a replay too: it is answered by the writer, after
 * the batches before it). The server's thread keeps its own connection for everything else; both begin their
 * transactions IMMEDIATE, so that neither reads a snapshot the other then writes past (db/database.ts), and the
 * writer lets the server thread's waiting write take the lock between two batches.
 *
 * A thread that dies (it should not) fails the tickets it held (the tills send them again: a ticket is
 * idempotent by its id) and is started again a second later, its witness and heads caught up as at a start.
 */
export class TicketWriter {
  private next = 1;
  private readonly waiting = new Map<number, { resolve: (v: unknown) => void; reject: (e: unknown) => void }>();
  private worker: Worker | null = null;
  private starting: Promise<Worker> | null = null;
  private closed = false;
  private failed: { at: number; error: unknown } | null = null;
  /** 1 while the server thread's connection wants the write lock (shared with the writer's thread). */
  private readonly lockWanted = new Int32Array(new SharedArrayBuffer(4));

  private constructor(private readonly options: WriterOptions) {}

  static async start(options: WriterOptions): Promise<TicketWriter> {
    const writer = new TicketWriter(options);
    await writer.thread();
    // Its commits move SQLite's `data_version` all the time: the cache here asks it now and then (for what the
    // CLI writes), and is told by the writer when it wrote one of the tables kept (a one-off item sold).
    options.reads?.askVersionEvery(VERSION_EVERY_MS);
    if (options.lock)
      options.lock.wanted = (wanted) => {
        Atomics.store(writer.lockWanted, 0, wanted ? 1 : 0);
        if (!wanted) Atomics.notify(writer.lockWanted, 0);
      };
    return writer;
  }

  /** The running thread, started (again) when there is none. */
  private thread(): Promise<Worker> {
    if (this.worker) return Promise.resolve(this.worker);
    if (this.closed) return Promise.reject(new Error('ticket writer closed'));
    if (this.failed && Date.now() - this.failed.at < RETRY_START_MS) return Promise.reject(this.failed.error);
    this.starting ??= this.launch().then(
      (worker) => {
        this.starting = null;
        this.failed = null;
        return worker;
      },
      (error: unknown) => {
        this.starting = null;
        this.failed = { at: Date.now(), error };
        this.options.log.error('ticket writer did not start', { error: (error as Error).message });
        throw error;
      },
    );
    return this.starting;
  }

  private async launch(): Promise<Worker> {
    const { options } = this;
    const worker = new Worker(new URL('./ticket-writer-thread.mjs', import.meta.url), {
      workerData: {
        file: options.file,
        dataDir: options.dataDir,
        fiscal: options.fiscal,
        nowMs: options.now().getTime(),
        lockWanted: this.lockWanted,
      },
    });
    const log = (m: Extract<Reply, { log: string }>) => options.log[m.log](m.msg, m.fields);
    let onMessage: ((m: { ready?: true; witnessFd?: number; error?: WireError } | Extract<Reply, { log: string }>) => void) | null = null;
    let onError: ((e: Error) => void) | null = null;
    let onExit: ((code: number) => void) | null = null;
    let witnessFd: number | null = null;
    try {
      await new Promise<void>((resolve, reject) => {
        onMessage = (m) => {
          if ('log' in m) return log(m);
          if ('error' in m && m.error) return reject(fromWire(m.error));
          witnessFd = m.witnessFd ?? null;
          resolve();
        };
        onError = reject;
        onExit = (code) => reject(new Error(`ticket writer exited (${code}) while starting`));
        worker.on('message', onMessage);
        worker.on('error', onError);
        worker.on('exit', onExit);
      });
    } catch (e) {
      await worker.terminate();
      throw e;
    } finally {
      // Only these: the worker's own listeners (those that start its port) stay.
      worker.off('message', onMessage!);
      worker.off('error', onError!);
      worker.off('exit', onExit!);
    }
    if (this.closed) {
      await worker.terminate();
      throw new Error('ticket writer closed');
    }
    worker.on('message', (m: Reply | Reply[]) => this.receive(m));
    worker.on('error', (e) => options.log.error('ticket writer failed', { error: e.message }));
    worker.on('exit', (code) => {
      if (this.worker === worker) this.worker = null;
      const stopped = new Error('ticket writer stopped');
      for (const w of this.waiting.values()) w.reject(stopped);
      this.waiting.clear();
      if (this.closed) return;
      options.log.error('ticket writer stopped; started again', { code });
      // Its witness file stays open in the process (a descriptor belongs to the process, not the thread).
      if (witnessFd !== null) fs.close(witnessFd, () => undefined);
      // Started again at once, for the heads and the witness of what the server thread commits meanwhile.
      setTimeout(() => void this.thread().catch(() => undefined), 1000).unref();
    });
    this.worker = worker;
    return worker;
  }

  private receive(m: Reply | Reply[]) {
    if (Array.isArray(m)) {
      for (const r of m) this.receive(r);
      return;
    }
    if ('log' in m) {
      this.options.log[m.log](m.msg, m.fields);
      return;
    }
    if (m.cacheDrop) this.options.reads?.drop();
    const w = this.waiting.get(m.id);
    if (!w) return;
    this.waiting.delete(m.id);
    if (m.ok) {
      if (m.effects) rememberEffects((m.value as { sale: SaleView }).sale, m.effects);
      w.resolve(m.value);
    } else w.reject(fromWire(m.error));
  }

  private async ask<T>(request: Request extends infer R ? (R extends unknown ? Omit<R, 'id'> : never) : never): Promise<T> {
    return this.send<T>(await this.thread(), request);
  }

  private send<T>(worker: Worker, request: Request extends infer R ? (R extends unknown ? Omit<R, 'id'> : never) : never): Promise<T> {
    const id = this.next++;
    return new Promise<T>((resolve, reject) => {
      this.waiting.set(id, { resolve: resolve as (v: unknown) => void, reject });
      worker.postMessage({ ...request, id });
    });
  }

  /**
   * Records a ticket (server/sales/record.ts, `recordSale`): its hash, a replay and its checks against the
   * catalogue here (as PostgreSQL does before its lock), the rest on the writer's thread. A replay found here
   * is answered by the writer too: after the batch that wrote it, its witness line on disk.
   */
  async record(db: Db, body: SaleBody, ctx: SaleContext): Promise<{ created: boolean; sale: SaleView }> {
    const prepared = await prepareSale(db, body, ctx);
    const nowMs = this.options.now().getTime();
    if (prepared.replay) return this.ask({ op: 'replay', saleId: body.id, bodyHash: prepared.bodyHash, nowMs });
    return this.ask({ op: 'sale', body, ctx, bodyHash: prepared.bodyHash, early: prepared.early, nowMs });
  }

  /** Witnesses what was committed and signs the heads now (server/journal/fiscal.ts, `flush`). */
  async flush(options: { all?: boolean; chains?: string[] } = {}): Promise<void> {
    await this.ask({ op: 'flush', options, nowMs: this.options.now().getTime() });
  }

  /** Every ticket handed over so far committed or refused (a thread that dies meanwhile holds none). */
  async idle(): Promise<void> {
    if (this.closed || !this.worker) return;
    await this.send(this.worker, { op: 'idle' }).catch(() => undefined);
  }

  /** Signs every head, closes the witness and the writer's connection, ends the thread. */
  close(): Promise<void> {
    return this.end('close');
  }

  /** Stops without signing (another process took the duties). */
  detach(): Promise<void> {
    return this.end('detach');
  }

  private async end(op: 'close' | 'detach'): Promise<void> {
    if (this.closed) return;
    // Nothing new is handed over from now on, and no thread is started again.
    this.closed = true;
    if (this.options.lock) this.options.lock.wanted = null;
    Atomics.store(this.lockWanted, 0, 0);
    const worker = this.worker ?? (await this.starting?.catch(() => null)) ?? null;
    if (!worker) return;
    try {
      await this.send(worker, { op });
    } catch (e) {
      // Died meanwhile: the next start catches its witness and heads up.
      this.options.log.error(`ticket writer did not ${op} cleanly`, { error: (e as Error).message });
    } finally {
      await worker.terminate();
    }
  }
}
