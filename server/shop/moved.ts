/**
 * A shop moved from its SQLite file to PostgreSQL (`cli migrate`) leaves a marker in DATA_DIR. A server started
 * on that DATA_DIR without DATABASE_URL (an old service file, a shell without the variable) would otherwise
 * serve the file as it was before the move and take tickets under numbers PostgreSQL already holds: two
 * journals for one shop, neither verifying again (found by an attack). It refuses to start instead.
 */
import fs from 'node:fs';
import path from 'node:path';
import { PRIVATE_FILE } from '../system/private-files.ts';

export const movedMarker = (dataDir: string) => path.join(dataDir, 'moved-to-postgres.json');

/** The database named without its password. */
const redacted = (url: string) => {
  const u = new URL(url);
  if (u.password) u.password = '***';
  return u.toString();
};

export function recordMove(dataDir: string, targetUrl: string, at: Date): void {
  fs.writeFileSync(movedMarker(dataDir), `${JSON.stringify({ at: at.toISOString(), database: redacted(targetUrl) }, null, 2)}\n`, {
    mode: PRIVATE_FILE,
  });
}

/** On SQLite, a DATA_DIR whose shop was moved: the sentence saying where it went and what to do. */
export function movedAway(config: { DATA_DIR: string; DATABASE_URL?: string | undefined }): string | null {
  if (config.DATABASE_URL) return null;
  const file = movedMarker(config.DATA_DIR);
  if (!fs.existsSync(file)) return null;
  let to = '';
  try {
    const m = JSON.parse(fs.readFileSync(file, 'utf8')) as { at?: string; database?: string };
    to = ` le ${m.at?.slice(0, 10) ?? '?'} vers ${m.database ?? 'PostgreSQL'}`;
  } catch {
    // An unreadable marker still says the shop moved.
  }
  return `Cette boutique a été déplacée${to} : démarrez le serveur avec DATABASE_URL (le fichier SQLite n’est plus la boutique). Pour revenir au fichier, retirez ${file}.`;
}
