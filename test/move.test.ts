/**
 * Moving the demo shop from its SQLite file to PostgreSQL with `npm run cli -- migrate --to`: every table the
 * same row for row, and every chain, signature, closing and statement verifying identically on both sides;
 * the server then runs on PostgreSQL with the same data folder. Runs in the PostgreSQL project.
 */
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../server/config.ts';
import { createLogger } from '../server/log.ts';
import { startServer } from '../server/server.ts';
import { aTestDatabase, Client, dropTestDatabaseAt, testEngine } from './support/harness.ts';

const run = promisify(execFile);
const cli = (dataDir: string, args: string[]) =>
  run(path.resolve('node_modules/.bin/tsx'), ['server/cli.ts', ...args], {
    env: { ...process.env, DATA_DIR: dataDir, DATABASE_URL: '', LOG_LEVEL: 'silent' },
  });

describe.skipIf(testEngine !== 'postgres')('moving the demo shop from SQLite to PostgreSQL', () => {
  let dataDir: string;
  let url: string;
  /** What the manager saw on SQLite, to compare with PostgreSQL after the move. */
  const seen: Record<string, unknown> = {};
  const pages = ['/api/journal/verify', '/api/statements', '/api/closings?kind=day', '/api/producers?limit=500', '/api/invoices'];

  const browse = async (config: Record<string, string>) => {
    const server = await startServer({
      config: loadConfig({ DATA_DIR: dataDir, PORT: '0', HOST: '127.0.0.1', BACKUP_HOUR: 'off', MDNS: 'off', ...config }),
      logger: createLogger('silent'),
      demoIfEmpty: !config.DATABASE_URL,
    });
    try {
      const manager = new Client(server.url);
      expect((await manager.post('/api/auth/login', { login: 'gerant', password: 'comptoir' })).status).toBe(200);
      const out: Record<string, unknown> = {};
      for (const page of pages) {
        const res = await manager.get(page);
        expect(res.status, page).toBe(200);
        out[page] = res.body;
      }
      return out;
    } finally {
      await server.close();
    }
  };
  // The verification's own run (its duration, how many threads) differs from run to run, and each start, stop,
  // login and verification adds its event (and witness line): the findings do not differ.
  const findings = (report: any) => ({
    ...report,
    threads: undefined,
    ms: undefined,
    events: undefined,
    witness: { ...report.witness, lines: undefined },
    signing: { ...report.signing, heads: undefined },
  });

  beforeAll(async () => {
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'comptoir-move-'));
    Object.assign(seen, await browse({}));
    url = await aTestDatabase(dataDir);
  }, 240_000);
  afterAll(async () => {
    if (url) await dropTestDatabaseAt(url);
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  it('copies every table row for row and verifies both sides identically', async () => {
    const { stdout } = await cli(dataDir, ['migrate', '--to', url]);
    const report = JSON.parse(stdout);
    expect(report.differing).toEqual([]);
    expect(report.target).toEqual(report.source);
    // The demo's four weeks: some two thousand tickets, a Z for every past day, all verifying.
    expect(report.source.ok).toBe(true);
    expect(report.source.tickets).toBeGreaterThan(1000);
    expect(report.source.closings).toBeGreaterThan(20);
    expect(report.source.problems).toBe(0);
  }, 120_000);

  it('then serves the same shop from PostgreSQL: the same verification, statements, closings and invoices', async () => {
    const after = await browse({ DATABASE_URL: url });
    for (const page of pages.slice(1)) expect(after[page], page).toEqual(seen[page]);
    expect(findings(after['/api/journal/verify'])).toEqual(findings(seen['/api/journal/verify']));
  }, 120_000);

  // Found by an attack: started again without DATABASE_URL, the server served the SQLite file as it was before
  // the move and took tickets under numbers PostgreSQL already held (two journals, neither verifying again).
  it('leaves the SQLite file unserved: a server started on DATA_DIR without DATABASE_URL refuses, saying where the shop went', async () => {
    const marker = JSON.parse(fs.readFileSync(path.join(dataDir, 'moved-to-postgres.json'), 'utf8'));
    expect(marker.database).toContain(new URL(url).pathname);
    expect(marker.database).not.toContain(new URL(url).password || 'no-password-in-url');
    await expect(browse({})).rejects.toThrow(
      /Cette boutique a été déplacée le \d{4}-\d\d-\d\d vers postgres:\/\/.*démarrez le serveur avec DATABASE_URL/,
    );
  }, 60_000);

  it('refuses to copy into a database that already holds a shop, writing nothing', async () => {
    await expect(cli(dataDir, ['migrate', '--to', url])).rejects.toMatchObject({
      code: 1,
      stderr: expect.stringContaining('contient déjà une boutique'),
    });
  }, 60_000);
});
