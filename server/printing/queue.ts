import type { Kysely } from 'kysely';
import type { Database, PrintJobStatus } from '../../db/schema.ts';
import type { Db } from '../events/event-log.ts';
import { Conflict, NotFound } from '../errors.ts';
import type { Logger } from '../log.ts';
import { driverFor, PrintError, type DriverTimeouts, type PrinterDriver, type PrinterState } from './drivers.ts';

export interface PrinterStatus {
  printerId: number;
  name: string;
  state: PrinterState;
  /** Jobs queued or printing. */
  waiting: number;
  lastError: string | null;
  at: string;
}

export interface PrintQueueOptions {
  dataDir: string;
  now: () => Date;
  log: Logger;
  /** Told each time a printer's state or its queue changes (socket.io to the tills and managers). */
  onStatus?: (status: PrinterStatus) => void;
  retryBaseMs?: number;
  retryMaxMs?: number;
  /** After this many failed attempts a job is `failed`, for a manager to retry or cancel. */
  maxAttempts?: number;
  timeouts?: DriverTimeouts;
}

export interface NewJob {
  printerId: number;
  kind: string;
  subject?: string | null;
  bytes: Uint8Array;
  createdBy?: number | null;
}

/**
 * The print queue: jobs are rows (queued → printing → done | failed | cancelled), written in the same
 * transaction as what asks for them, drained by one worker per printer in order, with retries and
 * back-off. A sale never waits on a printer: it only adds a row. On start, a job left `printing` by a
 * crash is queued again (it may come out twice; never zero times).
 */
export class PrintQueue {
  private readonly retryBaseMs: number;
  private readonly retryMaxMs: number;
  private readonly maxAttempts: number;
  private readonly drivers = new Map<string, PrinterDriver>();
  private readonly busy = new Map<number, Promise<void>>();
  private readonly states = new Map<number, PrinterStatus>();
  private timer: NodeJS.Timeout | null = null;
  private stopped = true;

  constructor(
    private readonly db: Kysely<Database>,
    private readonly options: PrintQueueOptions,
  ) {
    this.retryBaseMs = options.retryBaseMs ?? 1000;
    this.retryMaxMs = options.retryMaxMs ?? 60_000;
    this.maxAttempts = options.maxAttempts ?? 50;
  }

  async start() {
    this.stopped = false;
    const at = this.options.now().toISOString();
    await this.db.updateTable('print_jobs').set({ status: 'queued', updated_at: at, next_attempt_at: at }).where('status', '=', 'printing').execute();
    this.kick();
  }

  async stop() {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    await Promise.allSettled([...this.busy.values()]);
  }

  /** Adds a job inside the caller's transaction; call `kick()` once it is committed. */
  static async add(db: Db, job: NewJob, now: Date): Promise<number> {
    const at = now.toISOString();
    const row = await db
      .insertInto('print_jobs')
      .values({ printer_id: job.printerId, kind: job.kind, subject: job.subject ?? null, bytes: Buffer.from(job.bytes), status: 'queued', next_attempt_at: at, created_at: at, created_by: job.createdBy ?? null, updated_at: at })
      .returning('id')
      .executeTakeFirstOrThrow();
    return row.id;
  }

  async enqueue(job: NewJob): Promise<number> {
    const id = await PrintQueue.add(this.db, job, this.options.now());
    this.kick();
    return id;
  }

  /** Wakes the workers: a job was added, a printer came back, a manager retried. */
  kick() {
    if (this.stopped) return;
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => void this.round(), 0);
  }

  private async round() {
    this.timer = null;
    if (this.stopped) return;
    const now = this.options.now().toISOString();
    const due = await this.db
      .selectFrom('print_jobs')
      .innerJoin('printers', 'printers.id', 'print_jobs.printer_id')
      .select(['print_jobs.printer_id', 'print_jobs.next_attempt_at'])
      .where('print_jobs.status', '=', 'queued')
      .where('printers.active', '=', 1)
      .execute();
    let earliest: number | null = null;
    for (const { printer_id, next_attempt_at } of due) {
      if (next_attempt_at <= now) {
        if (!this.busy.has(printer_id)) {
          const work = this.drainPrinter(printer_id).finally(() => {
            this.busy.delete(printer_id);
            this.kick();
          });
          this.busy.set(printer_id, work);
        }
      } else {
        const t = Date.parse(next_attempt_at);
        earliest = earliest === null ? t : Math.min(earliest, t);
      }
    }
    if (earliest !== null && !this.stopped && !this.timer) {
      this.timer = setTimeout(() => void this.round(), Math.max(10, earliest - Date.parse(this.options.now().toISOString())));
    }
  }

  /** Sends this printer's due jobs in order, one at a time; stops at the first failure (order is kept). */
  private async drainPrinter(printerId: number) {
    for (;;) {
      if (this.stopped) return;
      const now = this.options.now();
      const printer = await this.db.selectFrom('printers').selectAll().where('id', '=', printerId).executeTakeFirst();
      if (!printer || printer.active !== 1) return;
      const job = await this.db
        .selectFrom('print_jobs')
        .select(['id', 'kind', 'bytes', 'attempts', 'next_attempt_at'])
        .where('printer_id', '=', printerId)
        .where('status', '=', 'queued')
        .orderBy('id')
        .limit(1)
        .executeTakeFirst();
      if (!job || job.next_attempt_at > now.toISOString()) {
        await this.publish(printerId);
        return;
      }
      await this.setStatus(job.id, 'printing', {});
      try {
        await this.driver(printer.uri).print(job.bytes, `${String(job.id).padStart(6, '0')}-${job.kind}`);
        await this.setStatus(job.id, 'done', { done_at: this.options.now().toISOString(), last_error: null, attempts: job.attempts + 1 });
        this.remember(printerId, printer.name, printer.uri.startsWith('file:') || printer.uri.startsWith('usb:') ? 'unknown' : 'ready', null);
      } catch (e) {
        const error = e instanceof PrintError ? e : new PrintError((e as Error).message, 'error');
        const attempts = job.attempts + 1;
        const delay = Math.min(this.retryMaxMs, this.retryBaseMs * 2 ** Math.min(attempts - 1, 16));
        const failed = attempts >= this.maxAttempts;
        await this.setStatus(job.id, failed ? 'failed' : 'queued', {
          attempts,
          last_error: error.message,
          next_attempt_at: new Date(this.options.now().getTime() + delay).toISOString(),
        });
        this.options.log.warn('print job failed', { jobId: job.id, printerId, attempts, error: error.message });
        this.remember(printerId, printer.name, error.state, error.message);
        await this.publish(printerId);
        if (!failed) return;
      }
    }
  }

  private driver(uri: string): PrinterDriver {
    let d = this.drivers.get(uri);
    if (!d) {
      d = driverFor(uri, { dataDir: this.options.dataDir, ...(this.options.timeouts ? { timeouts: this.options.timeouts } : {}) });
      this.drivers.set(uri, d);
    }
    return d;
  }

  private async setStatus(id: number, status: PrintJobStatus, extra: { attempts?: number; last_error?: string | null; next_attempt_at?: string; done_at?: string }) {
    await this.db.updateTable('print_jobs').set({ status, updated_at: this.options.now().toISOString(), ...extra }).where('id', '=', id).execute();
  }

  private remember(printerId: number, name: string, state: PrinterState, lastError: string | null) {
    const prev = this.states.get(printerId);
    this.states.set(printerId, { printerId, name, state, waiting: prev?.waiting ?? 0, lastError, at: this.options.now().toISOString() });
  }

  /** The printer's state and how many jobs wait, to the tills and managers. */
  async publish(printerId: number) {
    const status = await this.status(printerId);
    if (status) this.options.onStatus?.(status);
  }

  async status(printerId: number): Promise<PrinterStatus | null> {
    const printer = await this.db.selectFrom('printers').select(['id', 'name', 'uri']).where('id', '=', printerId).executeTakeFirst();
    if (!printer) return null;
    const { n } = await this.db
      .selectFrom('print_jobs')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('printer_id', '=', printerId)
      .where('status', 'in', ['queued', 'printing'])
      .executeTakeFirstOrThrow();
    const known = this.states.get(printerId);
    const status: PrinterStatus = {
      printerId,
      name: printer.name,
      state: known?.state ?? 'unknown',
      waiting: Number(n),
      lastError: known?.lastError ?? null,
      at: known?.at ?? this.options.now().toISOString(),
    };
    this.states.set(printerId, status);
    return status;
  }

  /** A manager sends a failed (or stuck) job again, from its first attempt. */
  async retry(jobId: number) {
    const job = await this.db.selectFrom('print_jobs').select(['status', 'printer_id']).where('id', '=', jobId).executeTakeFirst();
    if (!job) throw new NotFound('Impression');
    if (job.status !== 'failed' && job.status !== 'queued') throw new Conflict(`Impression ${jobId} : déjà ${job.status === 'done' ? 'imprimée' : job.status === 'printing' ? 'en cours' : 'annulée'}.`, 'status');
    await this.db.updateTable('print_jobs').set({ status: 'queued', attempts: 0, next_attempt_at: this.options.now().toISOString(), updated_at: this.options.now().toISOString() }).where('id', '=', jobId).execute();
    this.kick();
    await this.publish(job.printer_id);
  }

  async cancel(jobId: number) {
    const job = await this.db.selectFrom('print_jobs').select(['status', 'printer_id']).where('id', '=', jobId).executeTakeFirst();
    if (!job) throw new NotFound('Impression');
    if (job.status !== 'failed' && job.status !== 'queued') throw new Conflict(`Impression ${jobId} : déjà ${job.status === 'done' ? 'imprimée' : job.status === 'printing' ? 'en cours' : 'annulée'}.`, 'status');
    await this.db.updateTable('print_jobs').set({ status: 'cancelled', updated_at: this.options.now().toISOString() }).where('id', '=', jobId).execute();
    await this.publish(job.printer_id);
  }
}
