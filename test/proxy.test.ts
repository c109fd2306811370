import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import https from 'node:https';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { aUser, startTestShop, type TestShop } from './support/harness.ts';

// Producers at home, through a real reverse proxy with its own HTTPS: Debian's Caddy (installed by
// `.ci/run`), configured as the README says, in front of the server that trusts it (TRUST_PROXY).
// Caddy's `tls internal` stands for the public certificate it would get for a real name.

const caddy = spawnSync('caddy', ['version']).status === 0;
if (!caddy && process.env.CI) throw new Error('caddy is missing: .ci/run installs it with apt');

async function freePort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  const port = (server.address() as net.AddressInfo).port;
  await new Promise<void>((r) => server.close(() => r()));
  return port;
}

interface Answer {
  status: number;
  body: string;
  setCookie: string[];
}

describe.skipIf(!caddy)('the portal from home, through Caddy', () => {
  let shop: TestShop;
  let proxy: ChildProcess;
  let dir: string;
  let port: number;
  let root: string;

  /** A phone at home: HTTPS to the public name, resolved here to the proxy on the loopback. */
  const call = (p: string, options: { method?: string; body?: unknown; cookie?: string } = {}): Promise<Answer> =>
    new Promise((resolve, reject) => {
      const payload = options.body === undefined ? undefined : JSON.stringify(options.body);
      const req = https.request(
        {
          host: '127.0.0.1',
          port,
          servername: 'halles.test',
          path: p,
          method: options.method ?? 'GET',
          ca: root,
          headers: {
            host: `halles.test:${port}`,
            ...(payload ? { 'content-type': 'application/json' } : {}),
            ...(options.cookie ? { cookie: options.cookie } : {}),
          },
        },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('end', () =>
            resolve({ status: res.statusCode!, body: Buffer.concat(chunks).toString(), setCookie: res.headers['set-cookie'] ?? [] }),
          );
        },
      );
      req.on('error', reject);
      req.end(payload);
    });

  beforeAll(async () => {
    shop = await startTestShop({ serveClient: true, env: { TRUST_PROXY: '127.0.0.1' } });
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'comptoir-caddy-'));
    port = await freePort();
    const httpPort = await freePort();
    // The README's Caddyfile, on a test name and port; the loopback's server plain HTTP upstream.
    fs.writeFileSync(
      path.join(dir, 'Caddyfile'),
      `{
  admin off
  http_port ${httpPort}
  https_port ${port}
  skip_install_trust
  auto_https disable_redirects
}
halles.test:${port} {
  tls internal
  reverse_proxy 127.0.0.1:${shop.server.port}
}
`,
    );
    proxy = spawn('caddy', ['run', '--config', path.join(dir, 'Caddyfile'), '--adapter', 'caddyfile'], {
      env: { ...process.env, XDG_DATA_HOME: path.join(dir, 'data'), XDG_CONFIG_HOME: path.join(dir, 'config'), HOME: dir },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let log = '';
    proxy.stderr!.on('data', (c: Buffer) => (log += c.toString()));
    const rootFile = path.join(dir, 'data', 'caddy', 'pki', 'authorities', 'local', 'root.crt');
    const deadline = Date.now() + 20_000;
    for (;;) {
      if (fs.existsSync(rootFile)) {
        root = fs.readFileSync(rootFile, 'utf8');
        const ready = await call('/api/health').then(
          (r) => r.status === 200,
          () => false,
        );
        if (ready) break;
      }
      if (Date.now() > deadline) throw new Error(`caddy did not start:\n${log}`);
      await new Promise((r) => setTimeout(r, 200));
    }
  }, 40_000);
  afterAll(async () => {
    proxy?.kill('SIGTERM');
    await shop?.close();
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
  });

  it('lets a producer in, with a Secure cookie, and keeps the till, the back office and pairing in the shop', async () => {
    const producer = await aUser(shop, 'producer');
    const manager = await aUser(shop, 'manager');
    const login = await call('/api/auth/login', { method: 'POST', body: { login: producer.login, password: producer.password } });
    expect(login.status).toBe(200);
    // Caddy says the outside connection was HTTPS: the session cookie is Secure.
    expect(login.setCookie.join()).toMatch(/Secure/);
    const session = login.setCookie[0]!.split(';')[0]!;
    expect((await call(`/api/producers/${producer.producerId}/statement?from=2026-11-01&to=2026-11-30`, { cookie: session })).status).toBe(
      200,
    );
    expect((await call('/')).status).toBe(200);

    for (const page of ['/caisse/', '/enrol', '/salle/', '/cuisine/']) expect((await call(page)).status).toBe(403);
    const refused = await call('/api/auth/login', { method: 'POST', body: { login: manager.login, password: manager.password } });
    expect(refused.status).toBe(403);
    expect(refused.setCookie).toEqual([]);
    expect((await call('/api/producers', { cookie: manager.client.cookieHeader() })).status).toBe(403);
    // Through the proxy a manager's session does not even say who it is.
    expect((await call('/api/auth/me', { cookie: manager.client.cookieHeader() })).status).toBe(403);
    expect(JSON.parse((await call('/api/auth/me', { cookie: session })).body).user.role).toBe('producer');
    expect((await call('/api/devices/pair', { method: 'POST', body: { code: 'ABCDEFGH' } })).status).toBe(403);
    // The same manager session, in the shop: fine.
    expect((await manager.client.get('/api/producers')).status).toBe(200);
  });
});
