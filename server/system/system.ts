/** The system domain's services: liveness and backups on demand. */
import type { OpenDatabase } from '../../db/database.ts';
import type { Db } from '../../db/schema.ts';
import { backupDatabase } from '../backup/backup.ts';
import { recordEvent } from '../journal/events.ts';
import { isDemo } from '../settings/settings.ts';
import { version } from './version.ts';

/** Alive when the database answers. */
export async function health(db: Db, publicUrl: string | null) {
  await db.selectFrom('settings').select('key').limit(1).execute();
  return { ok: true as const, version, demo: await isDemo(db), publicUrl };
}

/** A backup taken now (SQLite online backup, integrity-checked; pg_dump on PostgreSQL), logged with who asked. */
export async function backupNow(db: Db, database: OpenDatabase, dir: string, userId: number, now: Date) {
  const backup = await backupDatabase(database, dir, now);
  await recordEvent(db, { kind: 'backup.created', userId, subject: backup.name, data: { bytes: backup.bytes }, at: now.toISOString() });
  return { name: backup.name, bytes: backup.bytes };
}
