import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestShop, type TestShop } from './support/harness.ts';

// Issue 19, item 8: the database, its -wal and -shm, the backups and the TLS keys are the server's user's
// only (0600 files, 0700 folders) even under a permissive umask, and a backup leaves no *.partial-wal or
// *.partial-shm beside it (they used to pile up, one pair per backup).
let shop: TestShop;
let umask: number;
const mode = (f: string) => fs.statSync(f).mode & 0o777;

beforeAll(async () => {
  // The most common umask, which gives 0644 files and 0755 folders unless the code says otherwise.
  umask = process.umask(0o022);
  shop = await startTestShop();
});
afterAll(async () => {
  await shop?.close();
  process.umask(umask);
});

describe('the shop’s files', () => {
  it('are private: database, its -wal and -shm, the data folder', () => {
    const db = path.join(shop.dataDir, 'comptoir.sqlite');
    expect(fs.existsSync(db)).toBe(true);
    expect(mode(shop.dataDir)).toBe(0o700);
    for (const f of [db, `${db}-wal`, `${db}-shm`]) if (fs.existsSync(f)) expect(mode(f), f).toBe(0o600);
    expect(fs.existsSync(`${db}-wal`)).toBe(true);
  });

  it('backups are private and leave nothing but themselves in their folder', async () => {
    for (let i = 0; i < 2; i++) expect((await shop.admin.post('/api/backups')).status).toBe(201);
    const dir = path.join(shop.dataDir, 'backups');
    expect(mode(dir)).toBe(0o700);
    const files = fs.readdirSync(dir);
    expect(files.filter((f) => !/^comptoir-\d{8}-\d{6}(-\d+)?\.sqlite$/.test(f))).toEqual([]);
    expect(files.length).toBe(2);
    for (const f of files) expect(mode(path.join(dir, f)), f).toBe(0o600);
  });

  it('TLS keys are private', () => {
    const tls = path.join(shop.dataDir, 'tls');
    if (!fs.existsSync(tls)) return;
    expect(mode(tls)).toBe(0o700);
    for (const f of fs.readdirSync(tls)) if (/key/.test(f)) expect(mode(path.join(tls, f)), f).toBe(0o600);
  });
});

// Found by a security probe: backups taken again and again were never pruned and could fill the disk.
describe('backups taken by hand', () => {
  it('are kept as the nightly ones are: the BACKUP_KEEP newest', async () => {
    const small = await startTestShop({ env: { BACKUP_KEEP: '2' } });
    try {
      for (let i = 0; i < 3; i++) expect((await small.admin.post('/api/backups')).status).toBe(201);
      const kept = (await small.admin.get('/api/backups')).body as { name: string }[];
      expect(kept).toHaveLength(2);
      expect(fs.readdirSync(path.join(small.dataDir, 'backups'))).toHaveLength(2);
    } finally {
      await small.close();
    }
  });
});
