import fs from 'node:fs';
import path from 'node:path';
import { z } from 'zod';

const printerSpec = z
  .string()
  .trim()
  .refine(
    (v) =>
      v === 'none' || /^usb:[0-9a-fA-F]{4}:[0-9a-fA-F]{4}$/.test(v) || /^tcp:\/\/[A-Za-z0-9.\-]+(:\d{1,5})?$/.test(v) || /^file:.+/.test(v),
    'attendu : none, usb:VVVV:PPPP, tcp://HÔTE:9100 ou file:DOSSIER',
  );

function isTimeZone(tz: string): boolean {
  try {
    new Intl.DateTimeFormat('fr-FR', { timeZone: tz });
    return true;
  } catch {
    return false;
  }
}

export const configSchema = z
  .object({
    PORT: z.coerce.number().int().min(0).max(65535).default(3000),
    HOST: z.string().min(1).default('0.0.0.0'),
    DATA_DIR: z.string().min(1).default('./data'),
    /**
     * `postgres://user:password@host:5432/database`: the shop's data in PostgreSQL (a hosted server, several
     * processes). Unset: the embedded SQLite file in DATA_DIR.
     */
    DATABASE_URL: z
      .string()
      .regex(/^postgres(ql)?:\/\/./i, 'adresse PostgreSQL attendue (postgres://utilisateur:mot-de-passe@hôte/base)')
      .optional(),
    PRINTER: printerSpec.default('none'),
    TZ_BUSINESS: z.string().refine(isTimeZone, 'fuseau horaire IANA inconnu (ex. Europe/Paris)').default('Europe/Paris'),
    LOG_LEVEL: z.enum(['debug', 'info', 'warn', 'error', 'silent']).default('info'),
    /** Hour (0–23, business time zone) of the nightly backup; `off` disables it. */
    BACKUP_HOUR: z.union([z.literal('off'), z.coerce.number().int().min(0).max(23)]).default(3),
    BACKUP_KEEP: z.coerce.number().int().min(1).max(365).default(30),
    /** First retry delay of a print job that failed (doubling, up to 16 times this). */
    PRINT_RETRY_MS: z.coerce.number().int().min(10).max(600_000).default(1000),
    /** How long a network printer has to accept the connection, then to answer after a job. */
    PRINT_TIMEOUT_MS: z.coerce.number().int().min(50).max(120_000).default(8000),
    /** Failed attempts after which a print job is given up (`failed`, shown to staff until reprinted or dismissed). */
    PRINT_MAX_ATTEMPTS: z.coerce.number().int().min(1).max(1000).default(50),
    /**
     * `on`: a printer may be at this machine's own address or a link-local one (a printer emulator or a
     * print proxy on the server). Off by default: a manager could otherwise probe the server's own ports.
     */
    PRINTERS_LOCAL: z.enum(['on', 'off']).default('off'),
    /**
     * SQLite: `thread` writes the tickets on a thread of their own with its own connection (their checks,
     * statements, the group commit's disk sync, the signed heads and the witness), `inline` on the server's
     * thread. PostgreSQL has no such choice (its processes write in parallel).
     */
    TICKET_WRITER: z.enum(['thread', 'inline']).default('thread'),
    /** How late a cash-drawer pulse may still open the drawer (after the sale, or once the printer is back). */
    DRAWER_MAX_DELAY_MS: z.coerce.number().int().min(1000).max(600_000).default(10_000),
    /**
     * The address customers' phones reach the shop at (`https://caisse.halles-castres.fr`): printed in the
     * receipts' QR codes and the producers' invitation links. Unset: the address the tablet used.
     */
    PUBLIC_URL: z
      .string()
      .regex(/^https?:\/\/[^\s/?#]+(\/[^\s?#]*)?$/, 'adresse http(s)://… attendue (ex. https://caisse.halles-castres.fr)')
      .transform((v) => v.replace(/\/+$/, ''))
      .optional(),
    /** `auto`: HTTPS with the shop's own certificate authority (DATA_DIR/tls); `off`: plain HTTP only (a TLS proxy in front). */
    TLS: z.enum(['auto', 'off']).default('auto'),
    /** The shop's own certificate and key (PEM files) instead of the generated ones. */
    TLS_CERT: z.string().min(1).optional(),
    TLS_KEY: z.string().min(1).optional(),
    /** More names or addresses the generated certificate must cover (comma-separated), e.g. `caisse.lan`. */
    TLS_NAMES: z
      .string()
      .transform((v) =>
        v
          .split(',')
          .map((x) => x.trim().toLowerCase())
          .filter(Boolean),
      )
      .pipe(
        z.array(
          z
            .string()
            .regex(/^([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)(\.[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)*$/, 'nom DNS ou adresse IPv4 attendu'),
        ),
      )
      .default([]),
    /**
     * Check every JSON response against its endpoint's schema (`shared/api`) and answer 500 when one breaks
     * it: on in the tests (NODE_ENV=test), off in production unless asked for (it costs a parse per reply).
     */
    CHECK_RESPONSES: z.enum(['on', 'off']).optional(),
    /** Announce `MDNS_NAME.local` on the network (multicast DNS). Off in CI. */
    MDNS: z.enum(['on', 'off']).optional(),
    MDNS_NAME: z
      .string()
      .regex(/^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$/, 'un nom court en minuscules (ex. comptoir)')
      .default('comptoir'),
    /** The reverse proxies whose X-Forwarded-* headers are believed: `loopback`, or addresses and CIDRs, comma-separated. */
    TRUST_PROXY: z
      .string()
      .transform((v) =>
        v
          .split(',')
          .map((x) => x.trim())
          .filter(Boolean),
      )
      .pipe(
        z.array(
          z
            .string()
            .refine((x) => x === 'loopback' || /^[0-9a-fA-F:.]+(\/\d{1,3})?$/.test(x), 'loopback, une adresse IP ou un réseau CIDR'),
        ),
      )
      .default([]),
    /** What requests coming through that proxy may reach: `portal` (producers, digital receipts, invitations) or `all`. */
    PROXY_ACCESS: z.enum(['portal', 'all']).default('portal'),
    /** The per-address limit on logins, PINs, pairing, invitations and receipts (server/http/rate-limit.ts). */
    RATE_LIMIT: z.enum(['on', 'off']).default('on'),
    /** Server processes sharing the port and the PostgreSQL database (node:cluster); 1 on SQLite. */
    WORKERS: z.coerce.number().int().min(1).max(64).default(1),
    /**
     * This process's number among several (1…WORKERS, or given to each of separate processes behind a proxy):
     * its start and stop are its own in the event log. Set by the primary process for its workers.
     */
    WORKER_ID: z.coerce.number().int().min(1).max(999).optional(),
    /** How often a process that does not run the shared duties (print queue, witness, backup) asks for them. */
    OWNER_POLL_MS: z.coerce.number().int().min(50).max(60_000).default(2000),
  })
  .superRefine((c, ctx) => {
    if (c.WORKERS > 1 && !c.DATABASE_URL)
      ctx.addIssue({ code: 'custom', path: ['WORKERS'], message: 'plusieurs processus demandent PostgreSQL (DATABASE_URL)' });
    if (Boolean(c.TLS_CERT) !== Boolean(c.TLS_KEY))
      ctx.addIssue({ code: 'custom', path: [c.TLS_CERT ? 'TLS_KEY' : 'TLS_CERT'], message: 'TLS_CERT et TLS_KEY vont ensemble' });
    for (const k of ['TLS_CERT', 'TLS_KEY'] as const) {
      const file = c[k];
      if (file && !fs.existsSync(file)) ctx.addIssue({ code: 'custom', path: [k], message: 'fichier introuvable' });
    }
  });

export type Config = z.infer<typeof configSchema> & {
  dbFile: string;
  /** Where the shop's data is: DATABASE_URL when given, else the SQLite file. */
  dbTarget: string;
  backupDir: string;
  archiveDir: string;
  tlsDir: string;
  mdns: boolean;
  checkResponses: boolean;
};

export class ConfigError extends Error {}

/** Reads the environment once at start; every wrong value is named with its reason. */
export function loadConfig(env: Record<string, string | undefined> = process.env): Config {
  const relevant = Object.fromEntries(Object.keys(configSchema.shape).map((k) => [k, env[k] === '' ? undefined : env[k]]));
  const parsed = configSchema.safeParse(relevant);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  ${i.path.join('.')} = ${JSON.stringify(relevant[String(i.path[0])])} : ${i.message}`);
    throw new ConfigError(`Configuration invalide :\n${lines.join('\n')}`);
  }
  const dataDir = path.resolve(parsed.data.DATA_DIR);
  return {
    ...parsed.data,
    DATA_DIR: dataDir,
    dbFile: path.join(dataDir, 'comptoir.sqlite'),
    dbTarget: parsed.data.DATABASE_URL ?? path.join(dataDir, 'comptoir.sqlite'),
    backupDir: path.join(dataDir, 'backups'),
    archiveDir: path.join(dataDir, 'archives'),
    tlsDir: path.join(dataDir, 'tls'),
    // Nothing leaves the loopback from a CI run unless asked for.
    mdns: (parsed.data.MDNS ?? (env.CI ? 'off' : 'on')) === 'on',
    checkResponses: (parsed.data.CHECK_RESPONSES ?? (env.NODE_ENV === 'test' ? 'on' : 'off')) === 'on',
  };
}
