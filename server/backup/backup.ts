import fs from 'node:fs';
import path from 'node:path';
import { execFile } from 'node:child_process';
import SQLite from 'better-sqlite3';
import type { OpenDatabase } from '../../db/database.ts';
import { Invalid, NotFound } from '../errors.ts';
import { makePrivate, privateDir, privateFile } from '../system/private-files.ts';

const NAME = /^comptoir-\d{8}-\d{6}(-\d+)?\.(sqlite|pgdump)$/;

function stamp(now: Date): string {
  const iso = now.toISOString(); // UTC, like every stored time
  return `${iso.slice(0, 10).replace(/-/g, '')}-${iso.slice(11, 19).replace(/:/g, '')}`;
}

/**
 * A backup's name, stamped with its time (`-2`, `-3`… when taken in the same second), and the private file it
 * is written to first (renamed to the name once whole).
 */
function newBackupFile(dir: string, now: Date, ext: 'sqlite' | 'pgdump') {
  privateDir(dir);
  let name = `comptoir-${stamp(now)}.${ext}`;
  for (let i = 2; fs.existsSync(path.join(dir, name)); i++) name = `comptoir-${stamp(now)}-${i}.${ext}`;
  const file = path.join(dir, name);
  const partial = `${file}.partial`;
  privateFile(partial);
  return { name, file, partial };
}

/** The shop's backup, whichever its engine: SQLite's online backup, or `pg_dump` of the PostgreSQL database. */
export async function backupDatabase(
  database: OpenDatabase,
  dir: string,
  now: Date,
): Promise<{ name: string; bytes: number; file: string }> {
  if (database.sqlite) return createBackup(database.sqlite, dir, now);
  if (!database.url) throw new Error('no PostgreSQL address to dump');
  return createPgDump(database.url, dir, now);
}

/**
 * PostgreSQL: `pg_dump --format=custom` (one consistent snapshot, restored with `pg_restore`), written beside
 * the SQLite backups' names, `.pgdump`. Point-in-time recovery (WAL archiving) is the PostgreSQL server's own
 * setting: docs/postgresql.md.
 */
export async function createPgDump(url: string, dir: string, now: Date): Promise<{ name: string; bytes: number; file: string }> {
  const { name, file, partial } = newBackupFile(dir, now, 'pgdump');
  await new Promise<void>((resolve, reject) => {
    const child = execFile('pg_dump', ['--format=custom', '--no-owner', `--file=${partial}`, `--dbname=${url}`], (error, _out, stderr) =>
      error ? reject(new Error(`pg_dump failed: ${stderr.trim() || error.message}`)) : resolve(),
    );
    child.stdin?.end();
  }).catch((e: Error) => {
    fs.rmSync(partial, { force: true });
    throw e;
  });
  fs.renameSync(partial, file);
  return { name, bytes: fs.statSync(file).size, file };
}

/**
 * SQLite's online backup: a consistent copy taken while the shop keeps selling (its pages copied in one
 * step, under a read snapshot). The copy is checked before it is kept.
 */
export async function createBackup(
  sqlite: SQLite.Database,
  dir: string,
  now: Date,
): Promise<{ name: string; bytes: number; file: string }> {
  // Private from its first byte: SQLite writes the copy into the file as it finds it.
  const { name, file, partial } = newBackupFile(dir, now, 'sqlite');
  // In one step after the first: SQLite starts a stepped copy again whenever another connection writes in
  // between (the tickets' writer thread, server/sales/ticket-writer.ts), which a busy shop would do forever.
  await sqlite.backup(partial, { progress: () => 0x7fffffff });
  const problem = integrityProblem(partial);
  // Checking the copy opened it, which leaves its -wal and -shm beside it: they go, whatever the verdict.
  for (const suffix of ['-wal', '-shm']) fs.rmSync(partial + suffix, { force: true });
  if (problem) {
    fs.rmSync(partial, { force: true });
    throw new Error(`backup failed its integrity check: ${problem}`);
  }
  fs.renameSync(partial, file);
  return { name, bytes: fs.statSync(file).size, file };
}

export function listBackups(dir: string) {
  if (!fs.existsSync(dir)) return [];
  return fs
    .readdirSync(dir)
    .filter((n) => NAME.test(n))
    .sort()
    .reverse()
    .map((name) => {
      const st = fs.statSync(path.join(dir, name));
      return { name, bytes: st.size, createdAt: st.mtime.toISOString() };
    });
}

export function backupPath(dir: string, name: string): string {
  if (!NAME.test(name)) throw new Invalid({ field: 'name', reason: 'nom de sauvegarde invalide' });
  const file = path.join(dir, name);
  if (!fs.existsSync(file)) throw new NotFound('Sauvegarde');
  return file;
}

export function pruneBackups(dir: string, keep: number): string[] {
  const removed = listBackups(dir)
    .slice(keep)
    .map((b) => b.name);
  for (const name of removed) fs.rmSync(path.join(dir, name));
  return removed;
}

/** `null` when the file is a sound Comptoir database; otherwise the reason it is not. */
export function integrityProblem(file: string): string | null {
  let db: SQLite.Database | null = null;
  try {
    db = new SQLite(file, { readonly: true, fileMustExist: true });
    const rows = db.pragma('integrity_check') as { integrity_check: string }[];
    const bad = rows.map((r) => r.integrity_check).filter((r) => r !== 'ok');
    if (bad.length) return `PRAGMA integrity_check: ${bad.slice(0, 3).join('; ')}`;
    const fk = db.pragma('foreign_key_check') as unknown[];
    if (fk.length) return `PRAGMA foreign_key_check: ${fk.length} broken reference(s)`;
    const tables = new Set(
      (db.prepare(`select name from sqlite_master where type = 'table'`).all() as { name: string }[]).map((r) => r.name),
    );
    for (const t of ['kysely_migration', 'settings', 'events', 'products', 'stock_movements']) {
      if (!tables.has(t)) return `not a Comptoir database (no table ${t})`;
    }
    return null;
  } catch (e) {
    return (e as Error).message;
  } finally {
    db?.close();
  }
}

/**
 * Replaces the database with a backup. Only with the server stopped: the caller checks that. The current
 * database is kept beside it first, so a wrong restore can itself be undone.
 */
export function restoreBackup(source: string, dbFile: string, now: Date): { keptAs: string | null } {
  const problem = integrityProblem(source);
  if (problem) throw new Error(`refusing to restore ${source}: ${problem}`);
  let keptAs: string | null = null;
  if (fs.existsSync(dbFile)) {
    // Fold the WAL into the main file so the copy we keep is complete.
    const current = new SQLite(dbFile);
    current.pragma('wal_checkpoint(TRUNCATE)');
    current.close();
    keptAs = `${dbFile}.before-restore-${stamp(now)}`;
    fs.copyFileSync(dbFile, keptAs);
    makePrivate(keptAs);
  }
  const tmp = `${dbFile}.restoring`;
  fs.copyFileSync(source, tmp);
  makePrivate(tmp);
  for (const suffix of ['-wal', '-shm']) fs.rmSync(dbFile + suffix, { force: true });
  fs.renameSync(tmp, dbFile);
  return { keptAs };
}

/** Milliseconds until the next `hour`:00 in the business time zone. */
export function msUntilHour(now: Date, hour: number, timeZone: string): number {
  const format = new Intl.DateTimeFormat('en-GB', { timeZone, hour: '2-digit', minute: '2-digit', hourCycle: 'h23' });
  // Walk minute by minute: simple, and right across daylight-saving changes (some days have no 02:xx).
  for (let minutes = 1; minutes <= 25 * 60; minutes++) {
    const t = new Date(Math.floor(now.getTime() / 60_000) * 60_000 + minutes * 60_000);
    const parts = format.formatToParts(t);
    const h = Number(parts.find((p) => p.type === 'hour')?.value);
    const m = Number(parts.find((p) => p.type === 'minute')?.value);
    if (h === hour && m === 0) return t.getTime() - now.getTime();
  }
  return 24 * 3600_000;
}
