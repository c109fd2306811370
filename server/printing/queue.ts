import type { Kysely } from 'kysely';
import type { Database, PrintJobResolution, PrintJobStatus } from '../../db/schema.ts';
import { recordEvent } from '../journal/events.ts';
import type { Db } from '../../db/schema.ts';
import { Conflict, NotFound } from '../errors.ts';
import type { Logger } from '../log.ts';
import { driverFor, PrintError, type DriverTimeouts, type PrinterDriver, type PrinterState } from './drivers.ts';

export interface PrinterStatus {
  printerId: number;
  name: string;
  state: PrinterState;
  /** Jobs queued or printing. */
  waiting: number;
  /** Jobs someone must look at: given up, or printed without the printer's word (until reprinted or settled). */
  attention: number;
  lastError: string | null;
  at: string;
}

export interface PrintQueueOptions {
  dataDir: string;
  /** Printers at this machine's own or a link-local address are reached (config PRINTERS_LOCAL). */
  allowLocal?: boolean;
  now: () => Date;
  log: Logger;
  /** Told each time a printer's state or its queue changes (socket.io to the tills and managers). */
  onStatus?: (status: PrinterStatus) => void;
  retryBaseMs?: number;
  retryMaxMs?: number;
  /** After this many failed attempts a job is `failed`, shown to staff until reprinted or dismissed. */
  maxAttempts?: number;
  /** A cash-drawer pulse whose turn comes later than this after it was asked for is dropped. */
  drawerMaxDelayMs?: number;
  timeouts?: DriverTimeouts;
  /**
   * Wakes the queue's worker when this process does not run it (several processes: the owner's, through a
   * NOTIFY, server/system/owner.ts).
   */
  wake?: () => void;
  /**
   * Several processes: how often a running worker looks for jobs nobody woke it for (a wake-up lost with a
   * connection). Unset, it sleeps until woken or until its next due job.
   */
  idlePollMs?: number;
}

export interface NewJob {
  printerId: number;
  kind: string;
  subject?: string | null;
  bytes: Uint8Array;
  createdBy?: number | null;
}

/** States in which the printer says it cannot print: the job waits for it without counting as a failure. */
const HOLDING: ReadonlySet<PrinterState> = new Set(['paper-out', 'cover-open']);

/**
 * The print queue: jobs are rows (queued → printing → done | failed | unconfirmed | expired | cancelled),
 * written in the same transaction as what asks for them, sent by one worker per printer in order, with
 * retries and back-off. A sale never waits on a printer: it only adds a row.
 *
 * The rules, with their reasons:
 * - **Never a blind resend.** A job the printer took whole (every byte written) but did not confirm (it
 *   reset before answering, or answered too late) is `unconfirmed`, not sent again: on a kitchen printer a
 *   second copy is a dish cooked twice. Staff see it and say it came out, or reprint it marked as a
 *   reprint. A job the printer did not take whole (no connection, a reset mid-job) is sent again.
 * - **Nothing is pushed into a printer that says it cannot print** (paper out, cover open): the job waits,
 *   the printer is asked again, and the job goes when it says ready. Waiting for paper is not a failure.
 * - **A given-up job is never silent**: after `maxAttempts` failures it is `failed`, logged, and counted in
 *   the printer's `attention` until someone reprints or dismisses it.
 * - **The drawer never opens late**: a pulse whose turn comes more than `drawerMaxDelayMs` after it was
 *   asked for is `expired` and logged, not sent.
 * - **The queue sleeps** until its next due job or a wake-up (with several processes it also looks every few
 *   seconds, for a wake-up lost with a connection), and a printer's state is published only when it changes
 *   (and after each job, so a till sees the count fall one by one).
 * On start, a job left `printing` by a crash is queued again (it may come out twice; never zero times).
 */
export class PrintQueue {
  private readonly retryBaseMs: number;
  private readonly retryMaxMs: number;
  private readonly maxAttempts: number;
  private readonly drawerMaxDelayMs: number;
  private readonly drivers = new Map<string, PrinterDriver>();
  private readonly busy = new Map<number, Promise<void>>();
  /** What the printer said last (from a job's outcome), and what was last published to the tills. */
  private readonly states = new Map<number, { state: PrinterState; lastError: string | null; at: string }>();
  private readonly published = new Map<number, string>();
  private timer: NodeJS.Timeout | null = null;
  private stopped = true;

  constructor(
    private readonly db: Kysely<Database>,
    private readonly options: PrintQueueOptions,
  ) {
    this.retryBaseMs = options.retryBaseMs ?? 1000;
    this.retryMaxMs = options.retryMaxMs ?? 60_000;
    this.maxAttempts = options.maxAttempts ?? 50;
    this.drawerMaxDelayMs = options.drawerMaxDelayMs ?? 30_000;
  }

  async start() {
    this.stopped = false;
    const at = this.options.now().toISOString();
    await this.db
      .updateTable('print_jobs')
      .set({ status: 'queued', updated_at: at, next_attempt_at: at })
      .where('status', '=', 'printing')
      .execute();
    this.kick();
  }

  async stop() {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    await Promise.allSettled([...this.busy.values()]);
    // What this process heard from the printers is not kept: another process may print from now on.
    this.states.clear();
    this.published.clear();
  }

  /** Adds a job inside the caller's transaction; call `kick()` once it is committed. */
  static async add(db: Db, job: NewJob, now: Date): Promise<number> {
    const at = now.toISOString();
    const row = await db
      .insertInto('print_jobs')
      .values({
        printer_id: job.printerId,
        kind: job.kind,
        subject: job.subject ?? null,
        bytes: Buffer.from(job.bytes),
        status: 'queued',
        next_attempt_at: at,
        created_at: at,
        created_by: job.createdBy ?? null,
        updated_at: at,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    return row.id;
  }

  async enqueue(job: NewJob): Promise<number> {
    const id = await PrintQueue.add(this.db, job, this.options.now());
    this.kick();
    void this.publish(job.printerId);
    return id;
  }

  /** Wakes the workers: a job was added, a printer came back, a manager retried. */
  kick() {
    if (this.stopped) {
      this.options.wake?.();
      return;
    }
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => void this.round(), 0);
  }

  /**
   * Starts a worker for each printer whose *first* queued job is due (jobs go in order: a later job never
   * overtakes one waiting for its retry), and sleeps until the earliest first job that is not due yet.
   */
  private async round() {
    this.timer = null;
    if (this.stopped) return;
    const now = this.options.now().getTime();
    const queued = await this.db
      .selectFrom('print_jobs')
      .innerJoin('printers', 'printers.id', 'print_jobs.printer_id')
      .select(['print_jobs.printer_id', 'print_jobs.id', 'print_jobs.next_attempt_at'])
      .where('print_jobs.status', '=', 'queued')
      .where('printers.active', '=', 1)
      .orderBy('print_jobs.id')
      .execute();
    const first = new Map<number, string>();
    for (const j of queued) if (!first.has(j.printer_id)) first.set(j.printer_id, j.next_attempt_at);
    let earliest: number | null = null;
    for (const [printerId, nextAttemptAt] of first) {
      if (this.busy.has(printerId)) continue;
      const due = Date.parse(nextAttemptAt);
      if (due <= now) {
        const work = this.drainPrinter(printerId)
          .catch((e: Error) => this.options.log.error('print worker failed', { printerId, error: e.message }))
          .finally(() => {
            this.busy.delete(printerId);
            this.kick();
          });
        this.busy.set(printerId, work);
      } else earliest = earliest === null ? due : Math.min(earliest, due);
    }
    const idle = this.options.idlePollMs;
    if (!this.stopped && !this.timer && (earliest !== null || idle !== undefined)) {
      const due = earliest === null ? Infinity : Math.max(10, earliest - this.options.now().getTime());
      this.timer = setTimeout(() => void this.round(), Math.min(due, idle ?? Infinity));
      this.timer.unref();
    }
  }

  /** Sends this printer's due jobs in order, one at a time; stops at the first that must wait (order is kept). */
  private async drainPrinter(printerId: number) {
    for (;;) {
      if (this.stopped) return;
      const now = this.options.now();
      const printer = await this.db.selectFrom('printers').selectAll().where('id', '=', printerId).executeTakeFirst();
      if (!printer || printer.active !== 1) return;
      const job = await this.db
        .selectFrom('print_jobs')
        .select(['id', 'kind', 'subject', 'bytes', 'attempts', 'next_attempt_at', 'created_at'])
        .where('printer_id', '=', printerId)
        .where('status', '=', 'queued')
        .orderBy('id')
        .limit(1)
        .executeTakeFirst();
      if (!job || job.next_attempt_at > now.toISOString()) {
        await this.publish(printerId);
        return;
      }
      if (job.kind === 'drawer' && now.getTime() - Date.parse(job.created_at) > this.drawerMaxDelayMs) {
        await this.expireDrawer(job, printerId, now);
        continue;
      }
      // Taken only if it is still queued: a manager may have cancelled it, or (several processes) another owner
      // taken it in the instant before this one lost its connection.
      const claimed = await this.db
        .updateTable('print_jobs')
        .set({ status: 'printing', updated_at: this.options.now().toISOString() })
        .where('id', '=', job.id)
        .where('status', '=', 'queued')
        .executeTakeFirst();
      if (Number(claimed.numUpdatedRows) !== 1) continue;
      try {
        await this.driver(printer.uri).print(job.bytes, `${String(job.id).padStart(6, '0')}-${job.kind}`);
        await this.setStatus(job.id, 'done', { done_at: this.options.now().toISOString(), last_error: null, attempts: job.attempts + 1 });
        await this.remember(printerId, printer.uri.startsWith('file:') || printer.uri.startsWith('usb:') ? 'unknown' : 'ready', null);
        await this.publish(printerId);
      } catch (e) {
        const error = e instanceof PrintError ? e : new PrintError((e as Error).message, 'error');
        await this.remember(printerId, error.state, error.message);
        if (error.written === 'all') {
          await this.setStatus(
            job.id,
            'unconfirmed',
            { attempts: job.attempts + 1, last_error: error.message },
            {
              kind: 'print.unconfirmed',
              userId: null,
              subject: `print_job:${job.id}`,
              data: { printerId, kind: job.kind, jobSubject: job.subject, error: error.message },
              at: this.options.now().toISOString(),
            },
          );
          this.options.log.warn('print job unconfirmed', { jobId: job.id, printerId, error: error.message });
          await this.publish(printerId);
          continue;
        }
        // Waiting for paper (or a closed cover) is not a failure: asked again soon, never given up on.
        const holding = HOLDING.has(error.state) && error.written === 'none';
        const attempts = holding ? job.attempts : job.attempts + 1;
        const delay = holding
          ? Math.min(this.retryMaxMs, this.retryBaseMs * 2)
          : Math.min(this.retryMaxMs, this.retryBaseMs * 2 ** Math.min(attempts - 1, 16));
        const failed = !holding && attempts >= this.maxAttempts;
        // A job's first failure is logged as its automatic retry (later attempts only move its count, so a
        // printer off for an hour does not flood the log); giving up is print.failed.
        const at = this.options.now().toISOString();
        const data = { printerId, kind: job.kind, jobSubject: job.subject, attempts, error: error.message };
        await this.setStatus(
          job.id,
          failed ? 'failed' : 'queued',
          { attempts, last_error: error.message, next_attempt_at: new Date(this.options.now().getTime() + delay).toISOString() },
          failed
            ? { kind: 'print.failed', userId: null, subject: `print_job:${job.id}`, data, at }
            : !holding && attempts === 1
              ? { kind: 'print.retried', userId: null, subject: `print_job:${job.id}`, data: { ...data, automatic: true }, at }
              : undefined,
        );
        if (failed) {
          this.options.log.error('print job given up', { jobId: job.id, printerId, attempts, error: error.message });
        } else this.options.log.warn('print job waits', { jobId: job.id, printerId, attempts, holding, error: error.message });
        await this.publish(printerId);
        if (!failed) return;
      }
    }
  }

  private async expireDrawer(job: { id: number; subject: string | null; created_at: string }, printerId: number, now: Date) {
    await this.setStatus(
      job.id,
      'expired',
      {
        last_error: `tiroir non ouvert : son tour est venu ${Math.round((now.getTime() - Date.parse(job.created_at)) / 1000)} s après la vente`,
      },
      {
        kind: 'drawer.expired',
        userId: null,
        subject: `print_job:${job.id}`,
        data: { printerId, jobSubject: job.subject, askedAt: job.created_at, maxDelayMs: this.drawerMaxDelayMs },
        at: now.toISOString(),
      },
    );
    this.options.log.warn('drawer pulse dropped (too late)', { jobId: job.id, printerId });
  }

  private driver(uri: string): PrinterDriver {
    let d = this.drivers.get(uri);
    if (!d) {
      d = driverFor(uri, {
        dataDir: this.options.dataDir,
        allowLocal: this.options.allowLocal ?? false,
        ...(this.options.timeouts ? { timeouts: this.options.timeouts } : {}),
      });
      this.drivers.set(uri, d);
    }
    return d;
  }

  /**
   * A job's new status, and with it the event that says why (given up, dropped, not confirmed) in the same
   * transaction: whoever sees the status sees its event, and a crash leaves neither.
   */
  private async setStatus(
    id: number,
    status: PrintJobStatus,
    extra: { attempts?: number; last_error?: string | null; next_attempt_at?: string; done_at?: string },
    event?: Parameters<typeof recordEvent>[1],
  ) {
    const update = (db: Db) =>
      db
        .updateTable('print_jobs')
        .set({ status, updated_at: this.options.now().toISOString(), ...extra })
        .where('id', '=', id)
        .execute();
    if (!event) await update(this.db);
    else
      await this.db.transaction().execute(async (trx) => {
        await update(trx);
        await recordEvent(trx, event);
      });
  }

  /** What the printer said, kept on its row too: another process answers a till from it. */
  private async remember(printerId: number, state: PrinterState, lastError: string | null) {
    const at = this.options.now().toISOString();
    const before = this.states.get(printerId);
    this.states.set(printerId, { state, lastError, at });
    if (before?.state === state && before.lastError === lastError) return;
    await this.db
      .updateTable('printers')
      .set({ state, state_error: lastError, state_at: at })
      .where('id', '=', printerId)
      .execute()
      .catch((e: Error) => this.options.log.warn('printer state not kept', { printerId, error: e.message }));
  }

  /** The printer's state, how many jobs wait and how many need someone, to the tills and managers: only when it changed. */
  async publish(printerId: number) {
    const status = await this.status(printerId);
    if (!status) return;
    const { at: _at, ...compared } = status;
    const key = JSON.stringify(compared);
    if (this.published.get(printerId) === key) return;
    this.published.set(printerId, key);
    this.options.onStatus?.(status);
  }

  async status(printerId: number): Promise<PrinterStatus | null> {
    const printer = await this.db
      .selectFrom('printers')
      .select(['id', 'name', 'uri', 'state', 'state_error', 'state_at'])
      .where('id', '=', printerId)
      .executeTakeFirst();
    if (!printer) return null;
    const counts = await this.db
      .selectFrom('print_jobs')
      .select((eb) => [
        eb.fn.countAll<number>().filterWhere('status', 'in', ['queued', 'printing']).as('waiting'),
        eb.fn
          .countAll<number>()
          .filterWhere((w) => w.and([w('status', 'in', ['failed', 'unconfirmed']), w('resolved_at', 'is', null)]))
          .as('attention'),
      ])
      .where('printer_id', '=', printerId)
      .where('status', 'in', ['queued', 'printing', 'failed', 'unconfirmed'])
      .executeTakeFirstOrThrow();
    // This process's own word, else what the process that prints said last.
    const known =
      this.states.get(printerId) ??
      (printer.state
        ? { state: printer.state as PrinterState, lastError: printer.state_error, at: printer.state_at ?? undefined }
        : undefined);
    return {
      printerId,
      name: printer.name,
      state: known?.state ?? 'unknown',
      waiting: Number(counts.waiting),
      attention: Number(counts.attention),
      lastError: known?.lastError ?? null,
      at: known?.at ?? this.options.now().toISOString(),
    };
  }

  /** Jobs of a printer someone must look at (given up, or unconfirmed), oldest first. */
  async attention(printerId: number) {
    return (
      await this.db
        .selectFrom('print_jobs')
        .select(['id', 'kind', 'subject', 'status', 'attempts', 'last_error', 'created_at', 'updated_at'])
        .where('printer_id', '=', printerId)
        .where('status', 'in', ['failed', 'unconfirmed'])
        .where('resolved_at', 'is', null)
        .orderBy('id')
        .execute()
    ).map((j) => ({
      id: j.id,
      kind: j.kind,
      subject: j.subject,
      status: j.status as 'failed' | 'unconfirmed',
      attempts: j.attempts,
      lastError: j.last_error,
      createdAt: j.created_at,
      updatedAt: j.updated_at,
    }));
  }

  private async job(jobId: number) {
    const job = await this.db.selectFrom('print_jobs').selectAll().where('id', '=', jobId).executeTakeFirst();
    if (!job) throw new NotFound('Impression');
    return job;
  }

  private async resolve(jobId: number, printerId: number, resolution: PrintJobResolution, userId: number | null, status?: PrintJobStatus) {
    const at = this.options.now().toISOString();
    await this.db
      .updateTable('print_jobs')
      .set({ resolved_at: at, resolved_by: userId, resolution, updated_at: at, ...(status ? { status } : {}) })
      .where('id', '=', jobId)
      .execute();
    await recordEvent(this.db, { kind: 'print.resolved', userId, subject: `print_job:${jobId}`, data: { printerId, resolution }, at });
  }

  /** A failed (or stuck) job sent again, from its first attempt; an unconfirmed one is reprinted instead. */
  async retry(jobId: number, userId: number | null = null) {
    const job = await this.job(jobId);
    if (job.status !== 'failed' && job.status !== 'queued')
      throw new Conflict(`Impression ${jobId} : déjà ${describe(job.status)}.`, 'status');
    const at = this.options.now().toISOString();
    await this.db
      .updateTable('print_jobs')
      .set({ status: 'queued', attempts: 0, next_attempt_at: at, updated_at: at })
      .where('id', '=', jobId)
      .execute();
    if (job.status === 'failed') await this.resolve(jobId, job.printer_id, 'retried', userId);
    await recordEvent(this.db, {
      kind: 'print.retried',
      userId,
      subject: `print_job:${jobId}`,
      data: { printerId: job.printer_id, kind: job.kind, jobSubject: job.subject, was: job.status, automatic: false },
      at,
    });
    this.kick();
    await this.publish(job.printer_id);
  }

  /** A failed or waiting job dropped by hand. */
  async cancel(jobId: number, userId: number | null = null) {
    const job = await this.job(jobId);
    if (job.status !== 'failed' && job.status !== 'queued')
      throw new Conflict(`Impression ${jobId} : déjà ${describe(job.status)}.`, 'status');
    await this.resolve(jobId, job.printer_id, 'dismissed', userId, 'cancelled');
    await recordEvent(this.db, {
      kind: 'print.cancelled',
      userId,
      subject: `print_job:${jobId}`,
      data: { printerId: job.printer_id, kind: job.kind, jobSubject: job.subject, was: job.status, attempts: job.attempts },
      at: this.options.now().toISOString(),
    });
    await this.publish(job.printer_id);
  }

  /** Staff saw an unconfirmed job come out whole: it is done. */
  async confirm(jobId: number, userId: number | null) {
    const job = await this.job(jobId);
    if (job.status !== 'unconfirmed' || job.resolved_at)
      throw new Conflict(`Impression ${jobId} : rien à confirmer (${describe(job.status)}).`, 'status');
    await this.resolve(jobId, job.printer_id, 'confirmed', userId, 'done');
    await this.publish(job.printer_id);
  }

  /**
   * An unconfirmed job that did not come out (or not whole): printed again, marked as a reprint by `bytes`
   * (the caller makes them: a receipt's DUPLICATA, a banner for the rest). The original stays unconfirmed,
   * settled as reprinted.
   */
  async reprintUnconfirmed(jobId: number, bytes: Uint8Array, userId: number | null): Promise<number> {
    const job = await this.job(jobId);
    if (job.status !== 'unconfirmed' || job.resolved_at)
      throw new Conflict(`Impression ${jobId} : rien à réimprimer (${describe(job.status)}).`, 'status');
    const id = await PrintQueue.add(
      this.db,
      { printerId: job.printer_id, kind: job.kind, subject: job.subject, bytes, createdBy: userId },
      this.options.now(),
    );
    await this.resolve(jobId, job.printer_id, 'reprinted', userId);
    this.kick();
    await this.publish(job.printer_id);
    return id;
  }

  async jobOf(jobId: number) {
    return this.job(jobId);
  }
}

function describe(status: PrintJobStatus): string {
  return {
    done: 'imprimée',
    printing: 'en cours',
    cancelled: 'annulée',
    expired: 'expirée',
    unconfirmed: 'non confirmée',
    failed: 'abandonnée',
    queued: 'en attente',
  }[status];
}
