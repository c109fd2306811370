import { execFileSync, spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

// What a shop's server gets: the committed tree, installed without the development dependencies
// (`npm ci --omit=dev`), then `npm start` — which builds the client, so everything it needs must be a
// runtime dependency. Slow (npm ci compiles better-sqlite3 when no prebuilt binary can be fetched).

const root = path.resolve(import.meta.dirname, '..');

describe('a production install', { timeout: 600_000 }, () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'comptoir-prod-'));
  let server: ReturnType<typeof spawn> | null = null;
  afterAll(() => {
    server?.kill('SIGKILL');
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('starts the demo shop after `npm ci --omit=dev && npm start`, with no development dependency installed', async () => {
    const app = path.join(dir, 'app');
    execFileSync('git', ['clone', '--quiet', root, app]);
    execFileSync('npm', ['ci', '--omit=dev', '--no-audit', '--no-fund', '--loglevel=error'], {
      cwd: app,
      stdio: 'pipe',
      env: { ...process.env, CI: 'true' },
    });
    for (const devOnly of ['vitest', 'playwright-core', 'typescript', 'eslint', 'prettier'])
      expect(fs.existsSync(path.join(app, 'node_modules', devOnly))).toBe(false);

    server = spawn('npm', ['start'], {
      cwd: app,
      env: {
        ...process.env,
        DATA_DIR: path.join(dir, 'data'),
        PORT: '0',
        HOST: '127.0.0.1',
        MDNS: 'off',
        BACKUP_HOUR: 'off',
        LOG_LEVEL: 'warn',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
      detached: true,
    });
    let output = '';
    const url = await new Promise<string>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`npm start did not open:\n${output}`)), 240_000);
      const onData = (c: Buffer) => {
        output += c.toString();
        const m = /Ouvert sur\s+(http:\/\/[\d.]+:\d+)/.exec(output);
        if (m) {
          clearTimeout(timer);
          resolve(m[1]!);
        }
      };
      server!.stdout!.on('data', onData);
      server!.stderr!.on('data', onData);
      server!.once('exit', (code) => reject(new Error(`npm start exited (${code}):\n${output}`)));
    });
    try {
      expect(output).toContain('BOUTIQUE DE DÉMONSTRATION');
      expect(await (await fetch(`${url}/api/health`)).json()).toMatchObject({ ok: true, demo: true });
      const till = await fetch(`${url}/caisse/`);
      expect(till.status).toBe(200);
      expect(await till.text()).toContain('<div id="app">');
    } finally {
      // npm start runs the server in a child of its own: the whole group goes.
      process.kill(-server.pid!, 'SIGTERM');
    }
  });
});
