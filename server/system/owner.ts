/**
 * Which server process runs the shop's one-of-a-kind duties: the print queue's worker (a job printed twice is
 * a dish cooked twice), the fiscal witness and the signing of chain heads, the nightly backup.
 *
 * On SQLite there is one process: it always owns them. On PostgreSQL, several processes (`WORKERS=4`, or
 * separate processes behind a proxy) share one database: the owner is the process whose own connection holds
 * a session advisory lock. When that process dies, PostgreSQL ends its session and frees the lock; another
 * process, which asks for it every `pollMs`, takes it and takes the duties over (a print job left `printing`
 * is queued again, the witness catches up, every head is signed). A process that loses its connection loses
 * the duties at once, before another can take them.
 *
 * The same connection carries the wake-up calls between processes: a print job added by any process is a
 * `NOTIFY` the owner listens to.
 */
import pg from 'pg';
import type { Logger } from '../log.ts';

/** The advisory lock of the duties' owner ("own"), beside db/engine.ts WRITE_LOCK. */
export const OWNER_LOCK = 0x6f776e00;
/** A print job was added, retried or cancelled: the owner's print queue looks again. */
export const PRINT_CHANNEL = 'comptoir_print';
/** A tablet asked another process for a name the shop's certificate lacks: the owner issues it (its payload). */
export const TLS_CHANNEL = 'comptoir_tls';

export interface Duties {
  /** Called when this process becomes the owner: start the duties. */
  gain(): Promise<void>;
  /** Called when it stops being the owner (its connection went, or it stops): stop them. */
  lose(): Promise<void>;
}

export interface Ownership {
  readonly owner: boolean;
  /** Wakes the owner's print queue, whatever process it runs in. */
  wakePrints(): void;
  /** Asks the owner, whatever process it runs in, to add `name` to the shop's certificate. */
  askCertificateName(name: string): void;
  /** Stops the duties and frees them: another process takes them within its poll. */
  close(): Promise<void>;
}

/** The only process: it owns everything from the start. */
export async function soleOwner(duties: Duties): Promise<Ownership> {
  await duties.gain();
  let closed = false;
  return {
    owner: true,
    wakePrints: () => undefined,
    askCertificateName: () => undefined,
    close: async () => {
      if (closed) return;
      closed = true;
      await duties.lose();
    },
  };
}

export interface SharedOwnershipOptions {
  url: string;
  log: Logger;
  duties: Duties;
  /** How often a process that is not the owner asks for the lock, and the owner checks its connection. */
  pollMs?: number;
  /** Told each time another process asks the print queue to look again (the owner only). */
  onPrintWake?: () => void;
  /** Told each time another process asks for a name in the shop's certificate (the owner only). */
  onCertificateName?: (name: string) => void;
}

/** Several processes on one PostgreSQL database: one owner at a time, taken over when it dies. */
export async function sharedOwnership(options: SharedOwnershipOptions): Promise<Ownership> {
  const pollMs = options.pollMs ?? 2000;
  const { log, duties } = options;
  let client: pg.Client | null = null;
  let owner = false;
  let closed = false;
  let timer: NodeJS.Timeout | null = null;
  // Gains and losses run one after the other, never interleaved.
  let transition: Promise<void> = Promise.resolve();
  /** A wake-up asked for while the connection was down, sent once it is back. */
  let wakePending = false;

  const drop = (reason: string) => {
    const lost = client;
    client = null;
    lost?.removeAllListeners();
    lost?.on('error', () => undefined);
    void lost?.end().catch(() => undefined);
    if (owner) {
      owner = false;
      log.warn('duties lost', { reason });
      transition = transition.then(() => duties.lose().catch((e: Error) => log.error('duties not stopped', { error: e.message })));
    }
  };

  const connect = async () => {
    const c = new pg.Client({ connectionString: options.url, application_name: 'comptoir-owner' });
    c.on('error', (e) => drop(`connection error: ${e.message}`));
    c.on('end', () => {
      if (client === c) drop('connection ended');
    });
    c.on('notification', (n) => {
      if (n.channel === PRINT_CHANNEL && owner) options.onPrintWake?.();
      if (n.channel === TLS_CHANNEL && owner && n.payload) options.onCertificateName?.(n.payload);
    });
    await c.connect();
    await c.query(`listen ${PRINT_CHANNEL}`);
    await c.query(`listen ${TLS_CHANNEL}`);
    client = c;
  };

  const attempt = async () => {
    if (closed) return;
    try {
      if (!client) await connect();
      if (!owner) {
        const r = await client!.query<{ locked: boolean }>('select pg_try_advisory_lock($1) as locked', [OWNER_LOCK]);
        if (r.rows[0]?.locked && !closed) {
          owner = true;
          log.info('duties taken', { pid: process.pid });
          transition = transition.then(() => duties.gain().catch((e: Error) => log.error('duties not started', { error: e.message })));
          await transition;
        }
      } else {
        // The owner's connection is alive: a dead one ends its ownership (drop) before another takes it.
        await client!.query('select 1');
      }
      if (wakePending && client) {
        wakePending = false;
        await client.query('select pg_notify($1, $2)', [PRINT_CHANNEL, '']);
      }
    } catch (e) {
      drop(`connection failed: ${(e as Error).message}`);
    }
  };

  const loop = async () => {
    await attempt();
    if (!closed) timer = setTimeout(() => void loop(), pollMs);
    timer?.unref();
  };
  await loop();

  return {
    get owner() {
      return owner;
    },
    wakePrints() {
      // The owner's own queue is running (its kick does not come here), or about to start and look at once.
      if (owner) return;
      if (!client) {
        wakePending = true;
        return;
      }
      client.query('select pg_notify($1, $2)', [PRINT_CHANNEL, '']).catch(() => {
        wakePending = true;
      });
    },
    askCertificateName(name) {
      if (owner) return options.onCertificateName?.(name);
      client?.query('select pg_notify($1, $2)', [TLS_CHANNEL, name]).catch(() => undefined);
    },
    close: async () => {
      if (closed) return;
      closed = true;
      if (timer) clearTimeout(timer);
      await transition;
      if (owner) {
        owner = false;
        await duties.lose().catch((e: Error) => log.error('duties not stopped', { error: e.message }));
      }
      const c = client;
      client = null;
      c?.removeAllListeners();
      c?.on('error', () => undefined);
      // Ending the session frees the lock: another process takes the duties within its poll.
      await c?.end().catch(() => undefined);
    },
  };
}
