import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { startCheckpointer } from '../db/checkpointer.ts';
import { openStore, type OpenDatabase, type SqliteDatabase } from '../db/database.ts';
import { movedAway } from './shop/moved.ts';
import { backupDatabase, msUntilHour, pruneBackups } from './backup/backup.ts';
import type { Config } from './config.ts';
import { recordEvent } from './journal/events.ts';
import { createApp } from './http/app.ts';
import { allRoutes } from './http/routes.ts';
import { createLogger, type Logger } from './log.ts';
import type { AppServices } from './services.ts';
import { createPdfPool } from './documents/pdf-pool.ts';
import { settlementDocuments } from './settlement/documents.ts';
import { createDemoShop } from './shop/demo.ts';
import { shopMode } from './shop/setup.ts';
import { WriteQueue } from './sales/write-queue.ts';
import { PrintQueue } from './printing/queue.ts';
import { ensureConfiguredPrinter } from './printing/printers.ts';
import { Realtime } from './realtime/realtime.ts';
import { readSetting } from './settings/settings.ts';
import { enrolPages } from './http/pages.ts';
import { createDualListener } from './tls/listener.ts';
import { TlsService } from './tls/tls-service.ts';
import { viaProxy } from './http/transport.ts';
import { ErrorLog, recordStart, recordStop } from './system/jet.ts';
import { FiscalJournal } from './journal/fiscal.ts';
import { TicketWriter } from './sales/ticket-writer.ts';
import { sharedOwnership, soleOwner, type Ownership } from './system/owner.ts';

export const clientDist = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../client/dist');

export interface RunningServer {
  /** For tools on the server itself: plain HTTP on the loopback. */
  url: string;
  port: number;
  database: OpenDatabase;
  services: AppServices;
  createdDemo: boolean;
  /** A clean stop (`reason`: the signal, or 'close'), recorded as `system.stopped`. */
  close(reason?: string): Promise<void>;
}

export interface StartOptions {
  config: Config;
  logger?: Logger;
  now?: () => Date;
  /** Create the demo shop when the database holds no shop yet (what `npm start` does). */
  demoIfEmpty?: boolean;
  serveClient?: boolean;
  /**
   * Signed chain heads and the witness file (server/journal/fiscal.ts). Only the ticket-throughput bench turns
   * them off, to measure their cost beside the same run with them.
   */
  fiscal?: boolean;
}

export async function startServer(options: StartOptions): Promise<RunningServer> {
  const { config } = options;
  const log = options.logger ?? createLogger(config.LOG_LEVEL);
  const now = options.now ?? (() => new Date());
  const moved = movedAway(config);
  if (moved) throw new Error(moved);
  const database = await openStore(config.dbTarget);
  let createdDemo = false;
  if ((await shopMode(database.db)) === null && options.demoIfEmpty) {
    await createDemoShop(database.db, now());
    createdDemo = true;
  }
  // SQLite's write-ahead log is folded back into the file off the request path (PostgreSQL does its own).
  const checkpointer = database.sqlite ? await startCheckpointer(database.sqlite, config.dbFile) : null;
  const tls = new TlsService(
    config,
    log,
    now,
    async () => (await readSetting(database.db, 'shop.identity').catch(() => null))?.name ?? 'Comptoir',
  );
  await tls.prepare();
  // Several processes: certificates are renewed (and mDNS answered) by the one holding the duties.
  if (database.engine === 'postgres') await tls.setDuties(false);
  const services: AppServices = {
    config,
    log,
    database,
    now,
    writes: new WriteQueue(database.db),
    // The PDF threads are shared out between the processes (3 at most in all, one core left to the server).
    pdf: createPdfPool(settlementDocuments, {
      size: Math.max(1, Math.floor(Math.min(os.availableParallelism() - 1, 3) / config.WORKERS)),
    }),
    tls,
    errors: new ErrorLog(database.db, now),
  };
  let realtime: Realtime | null = null;
  let ownership: Ownership | null = null;
  const prints = new PrintQueue(database.db, {
    dataDir: config.DATA_DIR,
    allowLocal: config.PRINTERS_LOCAL === 'on',
    now,
    log,
    onStatus: (s) => realtime?.printerState(s),
    retryBaseMs: config.PRINT_RETRY_MS,
    retryMaxMs: config.PRINT_RETRY_MS * 16,
    drawerMaxDelayMs: config.DRAWER_MAX_DELAY_MS,
    maxAttempts: config.PRINT_MAX_ATTEMPTS,
    timeouts: { connectMs: Math.min(3000, config.PRINT_TIMEOUT_MS), writeMs: config.PRINT_TIMEOUT_MS },
    wake: () => ownership?.wakePrints(),
    // Several processes: a wake-up from another one may be lost with a connection; the owner looks anyway.
    ...(database.engine === 'postgres' ? { idlePollMs: 5000 } : {}),
  });
  services.prints = prints;

  let backupTimer: NodeJS.Timeout | null = null;
  const scheduleBackup = () => {
    if (config.BACKUP_HOUR === 'off') return;
    backupTimer = setTimeout(
      async () => {
        try {
          const at = now();
          const backup = await backupDatabase(database, config.backupDir, at);
          await recordEvent(database.db, {
            kind: 'backup.created',
            userId: null,
            subject: backup.name,
            data: { bytes: backup.bytes, nightly: true },
            at: at.toISOString(),
          });
          const removed = pruneBackups(config.backupDir, config.BACKUP_KEEP);
          log.info('nightly backup', { name: backup.name, bytes: backup.bytes, removed: removed.length });
        } catch (e) {
          log.error('nightly backup failed', { error: (e as Error).message });
        }
        scheduleBackup();
      },
      msUntilHour(now(), config.BACKUP_HOUR, config.TZ_BUSINESS),
    );
    backupTimer.unref();
  };

  // The shop's one-of-a-kind duties (server/system/owner.ts): this process's from the start on SQLite; on
  // PostgreSQL, the process holding the owner's lock runs them, and another takes them over when it dies.
  // The witness is compared with the database before anything of this run is written (a cut tail is named
  // as found).
  const duties = {
    gain: async () => {
      if (database.engine === 'sqlite' && config.TICKET_WRITER === 'thread' && database.file !== ':memory:') {
        // The tickets, their heads and the witness on a thread of their own (server/sales/ticket-writer.ts).
        const writer = await TicketWriter.start({
          file: database.file,
          dataDir: config.DATA_DIR,
          fiscal: options.fiscal !== false,
          now,
          log,
          reads: (database as SqliteDatabase).reads,
          lock: (database as SqliteDatabase).lock,
        });
        services.tickets = writer;
        if (options.fiscal !== false) services.fiscal = writer;
      } else if (options.fiscal !== false)
        services.fiscal = await FiscalJournal.open(database.db, config.DATA_DIR, services.writes, now, log);
      await ensureConfiguredPrinter(database.db, config, now());
      scheduleBackup();
      await prints.start();
      await tls.setDuties(true);
    },
    lose: async () => {
      if (database.engine === 'postgres') await tls.setDuties(false);
      if (backupTimer) clearTimeout(backupTimer);
      backupTimer = null;
      await prints.stop();
      const fiscal = services.fiscal;
      delete services.fiscal;
      await fiscal?.detach();
      await services.tickets?.detach();
      delete services.tickets;
    },
  };
  ownership =
    database.engine === 'postgres'
      ? await sharedOwnership({
          url: config.dbTarget,
          log,
          duties,
          pollMs: config.OWNER_POLL_MS,
          onPrintWake: () => prints.kick(),
          // A name a tablet asked another process for: learnt here as if asked here (same limits).
          onCertificateName: (name) => void tls.contextFor(name).catch(() => undefined),
        })
      : await soleOwner(duties);
  tls.askCertificateName = (name) => ownership?.askCertificateName(name);
  // Then the start is an event (with whether the last run stopped cleanly), before any request.
  await recordStart(database.db, config.DATA_DIR, now(), config.WORKER_ID);
  const app = createApp({
    db: database.db,
    services,
    routes: allRoutes,
    pages: enrolPages(database.db, () => services.tls),
    ...(options.serveClient ? { clientDir: clientDist } : {}),
  });
  const server = http.createServer(app.handle);
  // A tablet's connection is kept a minute between two requests (Node's 5 s made it open a new one, with its
  // TLS handshake, after each pause at the counter), and a client that reuses it as the server drops it races
  // the close: a POST sent then is lost with an ECONNRESET (seen in CI under load). The headers' wait stays
  // just above it, as Node asks.
  server.keepAliveTimeout = 60_000;
  server.headersTimeout = 61_000;
  const listener = createDualListener(server);
  // A stopping server answers what it still holds and takes nothing new: a till retries such a 503 later.
  let stopping = false;
  services.stopping = () => stopping;
  realtime = new Realtime(
    server,
    database.db,
    log,
    now,
    config.PROXY_ACCESS === 'portal' ? (req) => viaProxy(req, app.trust) : undefined,
    config.PUBLIC_URL,
    database.engine === 'postgres' ? config.dbTarget : undefined,
  );
  services.realtime = realtime;
  realtime.printerStatus = (id) => prints.status(id);
  const port = await listener.listen(config.PORT, config.HOST);
  tls.attach(listener, port);

  const loopback = config.HOST === '0.0.0.0' || config.HOST === '::' ? '127.0.0.1' : config.HOST;
  return {
    url: `http://${loopback}:${port}`,
    port,
    database,
    services,
    createdDemo,
    close: async (reason = 'close') => {
      // Stop taking requests at once; what was already received (a ticket being written) is finished.
      stopping = true;
      if (backupTimer) clearTimeout(backupTimer);
      await realtime!.close();
      await listener.close(2000);
      await services.writes.idle();
      await services.tickets?.idle();
      await tls.close();
      await prints.stop();
      await services.pdf?.close();
      // The clean stop is the last event of the run: what errors were held back, then the stop itself.
      await services.errors?.flush();
      await recordStop(database.db, config.DATA_DIR, now(), reason, config.WORKER_ID);
      // Then every chain's head signed after its last record (the stop event among them), the witness synced
      // and closed; the duties are then free for another process.
      await services.fiscal?.close().catch((e: Error) => log.error('chain heads not signed at stop', { error: e.message }));
      delete services.fiscal;
      await services.tickets?.close();
      delete services.tickets;
      await ownership!.close();
      await checkpointer?.stop();
      await database.close();
    },
  };
}
