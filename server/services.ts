import type { ErrorLog } from './system/jet.ts';
import type { OpenDatabase } from '../db/database.ts';
import type { Config } from './config.ts';
import type { Logger } from './log.ts';
import type { WriteQueue } from './sales/write-queue.ts';
import type { Realtime } from './realtime/realtime.ts';
import type { PrintQueue } from './printing/queue.ts';
import type { StatementRenderer } from './settlement/documents.ts';
import type { TlsService } from './tls/tls-service.ts';
import type { TicketWriter } from './sales/ticket-writer.ts';

/** What domain code may need beyond the database: no req/res, no socket. */
export interface AppServices {
  config: Config;
  log: Logger;
  /** The open database: its engine, and SQLite's raw handle for online backups. */
  database: OpenDatabase;
  now(): Date;
  /** Group commit for tickets. */
  writes: WriteQueue;
  /** Pushes committed changes to tills, managers and producers (absent until the HTTP server listens). */
  realtime?: Realtime;
  /** The print queue (receipts, kitchen tickets, reports, the cash drawer). */
  prints?: PrintQueue;
  /** Typesets long PDFs (statements) on worker threads; in the caller's thread when absent. */
  pdf?: StatementRenderer;
  /** HTTPS on the shop's network: the certificates and whether HTTPS is on. */
  tls?: TlsService;
  /** Signed chain heads and the witness file (absent only in the bench run that measures their cost). */
  fiscal?: FiscalDuties;
  /** SQLite: tickets are written on a thread of their own (server/sales/ticket-writer.ts). */
  tickets?: TicketWriter;
  /** True once the server is stopping: new requests get a 503 the tills retry later. */
  stopping?: () => boolean;
  /** Errors into the event log, at most one event per message a minute (server/system/jet.ts). */
  errors?: ErrorLog;
}

/** What the rest of the server asks of the signed heads and the witness (server/journal/fiscal.ts), wherever they run. */
export interface FiscalDuties {
  /** Witnesses what was committed and signs the heads now (all, or these chains). */
  flush(options?: { all?: boolean; chains?: string[] }): Promise<void>;
  /** At a clean stop: every head signed, the witness closed. */
  close(): Promise<void>;
  /** Stops without signing (another process took the duties). */
  detach(): void | Promise<void>;
}
