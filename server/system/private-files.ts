import fs from 'node:fs';

/**
 * The shop's files hold its books, its staff's password hashes and its TLS keys: readable by the server's
 * own user only (issue 19, item 8), whatever the umask the process was started with. Directories 0700,
 * files 0600, set explicitly (a umask can only take permissions away, and an existing file keeps its own).
 */
export const PRIVATE_DIR = 0o700;
export const PRIVATE_FILE = 0o600;

export function privateDir(dir: string): void {
  fs.mkdirSync(dir, { recursive: true, mode: PRIVATE_DIR });
  fs.chmodSync(dir, PRIVATE_DIR);
}

/** Creates the file empty if it is missing, then makes it private (before anything is written to it). */
export function privateFile(file: string): void {
  fs.closeSync(fs.openSync(file, 'a', PRIVATE_FILE));
  fs.chmodSync(file, PRIVATE_FILE);
}

/** Makes the files that exist private (a database's -wal and -shm, say), ignoring those that do not. */
export function makePrivate(...files: string[]): void {
  for (const f of files) {
    try {
      fs.chmodSync(f, PRIVATE_FILE);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw e;
    }
  }
}
