import path from 'node:path';
import { z } from 'zod';

const printerSpec = z
  .string()
  .trim()
  .refine(
    (v) => v === 'none' || /^usb:[0-9a-fA-F]{4}:[0-9a-fA-F]{4}$/.test(v) || /^tcp:\/\/[A-Za-z0-9.\-]+(:\d{1,5})?$/.test(v) || /^file:.+/.test(v),
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

export const configSchema = z.object({
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  HOST: z.string().min(1).default('0.0.0.0'),
  DATA_DIR: z.string().min(1).default('./data'),
  PRINTER: printerSpec.default('none'),
  TZ_BUSINESS: z.string().refine(isTimeZone, 'fuseau horaire IANA inconnu (ex. Europe/Paris)').default('Europe/Paris'),
  LOG_LEVEL: z.enum(['debug', 'info', 'warn', 'error', 'silent']).default('info'),
  /** Hour (0–23, business time zone) of the nightly backup; `off` disables it. */
  BACKUP_HOUR: z
    .union([z.literal('off'), z.coerce.number().int().min(0).max(23)])
    .default(3),
  BACKUP_KEEP: z.coerce.number().int().min(1).max(365).default(30),
  /** First retry delay of a print job that failed (doubling, up to 16 times this). */
  PRINT_RETRY_MS: z.coerce.number().int().min(10).max(600_000).default(1000),
  /** How long a network printer has to accept the connection, then to answer after a job. */
  PRINT_TIMEOUT_MS: z.coerce.number().int().min(50).max(120_000).default(8000),
});

export type Config = z.infer<typeof configSchema> & { dbFile: string; backupDir: string; archiveDir: string };

export class ConfigError extends Error {}

/** Reads the environment once at start; every wrong value is named with its reason. */
export function loadConfig(env: Record<string, string | undefined> = process.env): Config {
  const relevant = Object.fromEntries(
    Object.keys(configSchema.shape).map((k) => [k, env[k] === '' ? undefined : env[k]]),
  );
  const parsed = configSchema.safeParse(relevant);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  ${i.path.join('.')} = ${JSON.stringify(relevant[String(i.path[0])])} : ${i.message}`);
    throw new ConfigError(`Configuration invalide :\n${lines.join('\n')}`);
  }
  const dataDir = path.resolve(parsed.data.DATA_DIR);
  return { ...parsed.data, DATA_DIR: dataDir, dbFile: path.join(dataDir, 'comptoir.sqlite'), backupDir: path.join(dataDir, 'backups'), archiveDir: path.join(dataDir, 'archives') };
}
