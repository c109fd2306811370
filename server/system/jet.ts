/**
 * The technical side of the event log (the JET, journal des événements techniques): the software's start
 * and stop (clean or not), its errors (rate-limited), verify runs and backup restores. Each is an event on
 * the one chained log (server/journal/events.ts).
 */
import fs from 'node:fs';
import path from 'node:path';
import SQLite from 'better-sqlite3';
import type { Db } from '../../db/schema.ts';
import { engineOf, jsonField } from '../../db/engine.ts';
import { recordEvent } from '../journal/events.ts';
import { version } from './version.ts';
import { closingChain, EVENTS_CHAIN, tillChain } from '../journal/keys.ts';

/**
 * Written at start, removed at a clean stop: still there at the next start, the last stop was not clean.
 * Several processes on one database (`WORKER_ID`) have one marker each.
 */
export const runningMarker = (dataDir: string, worker?: number) =>
  path.join(dataDir, worker === undefined ? 'running.marker' : `running-${worker}.marker`);

/** A start or stop event's subject: the version, and the process's number among several. */
const runSubject = (worker?: number) => (worker === undefined ? `version:${version}` : `version:${version}/worker:${worker}`);

/**
 * Records the start, naming the version and whether the previous run stopped cleanly: not when the marker
 * file is still there, nor when the log's last start has no stop after it (the marker alone could be
 * removed by hand; the chained log cannot be without breaking it).
 */
export async function recordStart(db: Db, dataDir: string, now: Date, worker?: number): Promise<{ previousStopClean: boolean | null }> {
  const marker = runningMarker(dataDir, worker);
  const markerLeft = fs.existsSync(marker);
  // This process's own last start or stop: among several processes, another's start says nothing of this one.
  const last = await db
    .selectFrom('events')
    .select(['id', 'kind', 'at', 'data'])
    .where('kind', 'in', ['system.started', 'system.stopped'])
    .where('subject', worker === undefined ? 'not like' : 'like', '%/worker:' + (worker ?? '%'))
    .orderBy('id', 'desc')
    .limit(1)
    .executeTakeFirst();
  // null: the first start the log knows of.
  const previousStopClean = last ? !markerLeft && last.kind === 'system.stopped' : markerLeft ? false : null;
  fs.writeFileSync(marker, JSON.stringify({ pid: process.pid, at: now.toISOString(), version }));
  await recordEvent(db, {
    kind: 'system.started',
    userId: null,
    subject: runSubject(worker),
    data: {
      version,
      pid: process.pid,
      ...(worker === undefined ? {} : { worker }),
      previousStopClean,
      ...(previousStopClean === false && last?.kind === 'system.started' ? { uncleanSince: last.at } : {}),
    },
    at: now.toISOString(),
  });
  return { previousStopClean };
}

/** Records a clean stop (after the last request was answered) and removes the marker. */
export async function recordStop(db: Db, dataDir: string, now: Date, reason: string, worker?: number) {
  await recordEvent(db, {
    kind: 'system.stopped',
    userId: null,
    subject: runSubject(worker),
    data: { version, reason, ...(worker === undefined ? {} : { worker }) },
    at: now.toISOString(),
  });
  fs.rmSync(runningMarker(dataDir, worker), { force: true });
}

const ERROR_WINDOW_MS = 60_000;

/**
 * Errors into the log without letting a storm flood it: at most one event per error message a minute. An
 * event's `count` is how many times the message came since its last event (this one included); what was
 * held back is written by `flush()` at stop. On PostgreSQL, where several processes share the log, the minute
 * is the network's: a process that sees the message logged by another within the minute holds its own too.
 */
export class ErrorLog {
  private readonly seen = new Map<string, { loggedAt: number; held: number; data: Record<string, unknown> }>();
  constructor(
    private readonly db: Db,
    private readonly now: () => Date,
  ) {}

  async report(message: string, data: Record<string, unknown> = {}): Promise<boolean> {
    const key = message.slice(0, 500);
    const at = this.now();
    const entry = this.seen.get(key);
    if (entry && at.getTime() - entry.loggedAt < ERROR_WINDOW_MS) {
      entry.held++;
      entry.data = data;
      return false;
    }
    const count = (entry?.held ?? 0) + 1;
    // Taken before anything is awaited: the same message arriving meanwhile is held, not written again.
    const mine = { loggedAt: at.getTime(), held: 0, data };
    this.seen.set(key, mine);
    if (engineOf(this.db) === 'postgres') {
      try {
        const since = new Date(at.getTime() - ERROR_WINDOW_MS).toISOString();
        const logged = await this.db
          .selectFrom('events')
          .select('at')
          .where('kind', '=', 'system.error')
          .where('at', '>=', since)
          .where(jsonField(this.db, 'data', 'message'), '=', key)
          .orderBy('id', 'desc')
          .limit(1)
          .executeTakeFirst();
        if (logged) {
          // Held from when the other process logged it: this one writes a minute after that.
          mine.loggedAt = Date.parse(logged.at);
          mine.held += count;
          return false;
        }
      } catch {
        // The log could not be read (the database is what failed): written as a single process would.
      }
    }
    await recordEvent(this.db, {
      kind: 'system.error',
      userId: null,
      subject: null,
      data: { message: key, count, ...data },
      at: at.toISOString(),
    });
    return true;
  }

  /** What was held back, written before the stop. */
  async flush() {
    for (const [message, entry] of this.seen) {
      if (!entry.held) continue;
      await recordEvent(this.db, {
        kind: 'system.error',
        userId: null,
        subject: null,
        data: { message, count: entry.held, ...entry.data },
        at: this.now().toISOString(),
      });
      entry.held = 0;
    }
  }
}

/** A verify run and its result, from the route or the command line. */
export async function recordVerify(
  db: Db,
  report: { ok: boolean; problems: unknown[]; tickets: number; events: number; closings: number },
  by: { userId: number | null; via: 'route' | 'cli' },
  now: Date,
) {
  await recordEvent(db, {
    kind: 'journal.verified',
    userId: by.userId,
    subject: report.ok ? 'ok' : 'problems',
    data: {
      ok: report.ok,
      problems: report.problems.length,
      tickets: report.tickets,
      events: report.events,
      closings: report.closings,
      via: by.via,
    },
    at: now.toISOString(),
  });
}

/** How far a database's chains go: read from the file about to be replaced, and from the restored one. */
export interface ChainHeads {
  tickets: number;
  lastTicketAt: string | null;
  events: number;
  lastEventAt: string | null;
  closings: number;
  /** Where each chain ends (`till:1`, `till:1:training`, `events`, `closings:1`…), as the witness names them. */
  chains: Record<string, number>;
}

/** How far chains go, from where each ends (`chainEnds`, or the witness): a chain's end is its count of records. */
export function headsOfEnds(ends: ReadonlyMap<string, number>, lastTicketAt: string | null, lastEventAt: string | null): ChainHeads {
  const sum = (prefix: string) => [...ends].filter(([c]) => c.startsWith(prefix)).reduce((n, [, end]) => n + end, 0);
  return {
    tickets: sum('till:'),
    lastTicketAt,
    events: ends.get('events') ?? 0,
    lastEventAt,
    closings: sum('closings:'),
    chains: Object.fromEntries(ends),
  };
}

export function chainHeads(file: string): ChainHeads | null {
  if (!fs.existsSync(file)) return null;
  const db = new SQLite(file, { readonly: true, fileMustExist: true });
  try {
    const t = db.prepare('select count(*) as n, max(created_at) as last from sales').get() as { n: number; last: string | null };
    const e = db.prepare('select max(id) as n, max(at) as last from events').get() as { n: number | null; last: string | null };
    const c = db.prepare('select count(*) as n from closings').get() as { n: number };
    const chains: Record<string, number> = {};
    for (const r of db.prepare('select till_id, training, max(chain_seq) as p from sales group by till_id, training').all() as {
      till_id: number;
      training: number;
      p: number;
    }[])
      chains[tillChain(r.till_id, r.training)] = r.p;
    if (e.n) chains[EVENTS_CHAIN] = e.n;
    for (const r of db.prepare('select outlet_id, max(seq) as p from closings group by outlet_id').all() as {
      outlet_id: number;
      p: number;
    }[])
      chains[closingChain(r.outlet_id)] = r.p;
    return { tickets: t.n, lastTicketAt: t.last, events: e.n ?? 0, lastEventAt: e.last, closings: c.n, chains };
  } catch {
    // Not a database of this shop (or of an older form): said as unknown rather than refusing the restore.
    return null;
  } finally {
    db.close();
  }
}

/**
 * Written into the restored database, after the restore: the backup's name and date, and what the restore
 * took back compared with the database it replaced (tickets, events, closings that are no longer there).
 */
export async function recordRestore(
  db: Db,
  input: { file: string; backupDate: string; replaced: ChainHeads | null; restored: ChainHeads | null; keptAs: string | null },
  now: Date,
) {
  const back = (k: 'tickets' | 'events' | 'closings') =>
    input.replaced && input.restored ? Math.max(0, input.replaced[k] - input.restored[k]) : null;
  // Per chain, the positions the replaced database held beyond the restored one's end.
  const chains =
    input.replaced && input.restored
      ? Object.entries(input.replaced.chains)
          .filter(([chain, end]) => end > (input.restored!.chains[chain] ?? 0))
          .map(([chain, end]) => ({ chain, from: (input.restored!.chains[chain] ?? 0) + 1, to: end }))
      : null;
  return recordEvent(db, {
    kind: 'backup.restored',
    userId: null,
    subject: path.basename(input.file),
    data: {
      file: input.file,
      backupDate: input.backupDate,
      replaced: input.replaced,
      restored: input.restored,
      takenBack: { tickets: back('tickets'), events: back('events'), closings: back('closings'), chains },
      keptAs: input.keptAs,
      version,
    },
    at: now.toISOString(),
  });
}
