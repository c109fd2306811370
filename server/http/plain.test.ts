import http from 'node:http';
import type { AddressInfo } from 'node:net';
import express from 'express';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { absoluteTarget, clientIp, protocolOf, readJsonBody, redirect, setCookie, type TrustFn } from './plain.ts';

/**
 * The API is served without express (app.ts), so what express would say of a request and how it writes an
 * answer are worked out in plain.ts. The model here is express itself: the same requests, on a real port,
 * to express and to plain.ts, must come out the same.
 */

type Outcome = { ok: true; value: unknown } | { ok: false; status: number; type: string | undefined };

let server: http.Server;
let port: number;
/** One express app per `trust proxy` setting, named in the path: /{setting}/{express|plain}/{what}. */
const TRUSTS: Record<string, unknown> = { none: false, loopback: 'loopback', two: 2, list: ['loopback', '10.0.0.0/8'] };
const apps = new Map<string, express.Express>();

beforeAll(async () => {
  for (const [name, setting] of Object.entries(TRUSTS)) {
    const app = express();
    app.set('trust proxy', setting);
    app.get('/addr', (req, res) => res.json({ ip: req.ip, protocol: req.protocol }));
    app.post('/json', express.json({ limit: '1mb', strict: false }), (req, res) => res.json({ ok: true, value: req.body ?? null }));
    app.get('/cookie', (_req, res) => {
      res.cookie('s', 'a b;c', { httpOnly: true, sameSite: 'strict', secure: true, path: '/', maxAge: 3600_000 });
      res.cookie('d', 'x', { httpOnly: true, sameSite: 'strict', secure: false, path: '/' });
      res.clearCookie('gone', { httpOnly: true, sameSite: 'strict', secure: false, path: '/' });
      res.end();
    });
    app.get('/redirect', (req, res) => res.redirect(308, `https://shop.lan${String(req.query.to)}`));
    app.use((err: { status?: number; type?: string }, _req: express.Request, res: express.Response, _next: express.NextFunction) =>
      res.json({ ok: false, status: err.status, type: err.type }),
    );
    apps.set(name, app);
  }
  server = http.createServer((req, res) => {
    const [, name, side, what] = (req.url ?? '').split('?')[0]!.split('/');
    const app = apps.get(name!)!;
    if (side === 'express') {
      req.url = `/${what}${req.url!.includes('?') ? `?${req.url!.split('?')[1]}` : ''}`;
      return app(req, res);
    }
    const trust = app.get('trust proxy fn') as TrustFn;
    const json = (body: unknown) => res.setHeader('content-type', 'application/json').end(JSON.stringify(body));
    if (what === 'addr') return json({ ip: clientIp(req, trust), protocol: protocolOf(req, trust) });
    if (what === 'json')
      return void readJsonBody(req).then(
        (value) => json({ ok: true, value: value ?? null }),
        (err: { status?: number; type?: string }) => json({ ok: false, status: err.status, type: err.type }),
      );
    if (what === 'cookie') {
      setCookie(res, 's', 'a b;c', { secure: true, maxAgeSeconds: 3600 });
      setCookie(res, 'd', 'x', { secure: false });
      setCookie(res, 'gone', null, { secure: false });
      return res.end();
    }
    if (what === 'redirect') return redirect(res, 308, `https://shop.lan${new URL(req.url!, 'http://x').searchParams.get('to')}`);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  port = (server.address() as AddressInfo).port;
});

afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

function call(path: string, options: { method?: string; headers?: Record<string, string>; body?: Buffer | string } = {}) {
  return new Promise<{ status: number; headers: http.IncomingHttpHeaders; body: string }>((resolve, reject) => {
    const req = http.request({ host: '127.0.0.1', port, path, method: options.method ?? 'GET', headers: options.headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode!, headers: res.headers, body: Buffer.concat(chunks).toString('utf8') }));
    });
    req.on('error', reject);
    req.end(options.body);
  });
}

/** The same request to express and to plain.ts. */
async function both(name: string, what: string, options: Parameters<typeof call>[1] = {}) {
  const [e, p] = await Promise.all([call(`/${name}/express/${what}`, options), call(`/${name}/plain/${what}`, options)]);
  return { express: e, plain: p };
}

describe('plain.ts against express', () => {
  it('finds the client address and scheme express finds, whatever proxies are trusted and forwarded headers claim', async () => {
    const claims: Record<string, string>[] = [
      {},
      { 'x-forwarded-for': '203.0.113.7' },
      { 'x-forwarded-for': '203.0.113.7, 10.1.2.3' },
      { 'x-forwarded-for': '203.0.113.7,10.1.2.3, 127.0.0.1' },
      { 'x-forwarded-for': '198.51.100.1, 203.0.113.7, 10.9.9.9', 'x-forwarded-proto': 'https' },
      { 'x-forwarded-proto': 'https, http' },
      { 'x-forwarded-proto': ' http ' },
      { 'x-forwarded-for': '', 'x-forwarded-proto': '' },
      { 'x-forwarded-for': 'not-an-address, 10.0.0.1' },
    ];
    let compared = 0;
    for (const name of Object.keys(TRUSTS))
      for (const headers of claims) {
        const { express: e, plain: p } = await both(name, 'addr', { headers });
        expect({ name, headers, ...JSON.parse(p.body) }).toEqual({ name, headers, ...JSON.parse(e.body) });
        compared++;
      }
    expect(compared).toBe(36);
    // By hand: trusting the loopback, the client is the hop before it; trusting nothing, it is the socket.
    const { plain } = await both('loopback', 'addr', { headers: { 'x-forwarded-for': '203.0.113.7', 'x-forwarded-proto': 'https' } });
    expect(JSON.parse(plain.body)).toEqual({ ip: '203.0.113.7', protocol: 'https' });
    const { plain: untrusted } = await both('none', 'addr', {
      headers: { 'x-forwarded-for': '203.0.113.7', 'x-forwarded-proto': 'https' },
    });
    expect(JSON.parse(untrusted.body)).toEqual({ ip: '127.0.0.1', protocol: 'http' });
  });

  it('reads a JSON body as express.json does, and refuses what it refuses with the same status', async () => {
    const json = { 'content-type': 'application/json' };
    const cases: { label: string; headers: Record<string, string>; body?: Buffer | string; expected: Outcome }[] = [
      { label: 'an object', headers: json, body: '{"a":[1,2,{"b":null}]}', expected: { ok: true, value: { a: [1, 2, { b: null }] } } },
      { label: 'a bare value (strict: false)', headers: json, body: '"x"', expected: { ok: true, value: 'x' } },
      { label: 'empty', headers: json, body: '', expected: { ok: true, value: {} } },
      { label: 'with a byte order mark', headers: json, body: '\ufeff{"a":1}', expected: { ok: true, value: { a: 1 } } },
      {
        label: 'with its charset',
        headers: { 'content-type': 'application/json; charset=UTF-8' },
        body: '{"é":1}',
        expected: { ok: true, value: { é: 1 } },
      },
      { label: 'malformed', headers: json, body: '{"a":', expected: { ok: false, status: 400, type: 'entity.parse.failed' } },
      {
        label: 'over 1 MB',
        headers: json,
        body: `"${'x'.repeat(1024 * 1024)}"`,
        expected: { ok: false, status: 413, type: 'entity.too.large' },
      },
      {
        label: 'in Latin-1',
        headers: { 'content-type': 'application/json; charset=iso-8859-1' },
        body: '{}',
        expected: { ok: false, status: 415, type: 'charset.unsupported' },
      },
      // Another type: not read (the route then says a JSON body is expected).
      { label: 'as text', headers: { 'content-type': 'text/plain' }, body: '{"a":1}', expected: { ok: true, value: null } },
      { label: 'without a body', headers: {}, expected: { ok: true, value: null } },
    ];
    for (const c of cases) {
      const { express: e, plain: p } = await both('none', 'json', {
        method: 'POST',
        headers: c.headers,
        ...(c.body !== undefined ? { body: c.body } : {}),
      });
      expect({ label: c.label, outcome: JSON.parse(e.body) }).toEqual({ label: c.label, outcome: c.expected });
      expect({ label: c.label, outcome: JSON.parse(p.body) }).toEqual({ label: c.label, outcome: c.expected });
    }
  });

  // One more difference on purpose: bytes that are not UTF-8 are refused, not read as « � » into a name (a room
  // named « �� » was stored: found by an independent check).
  it('refuses a body that is not UTF-8, where express reads it with replacement characters', async () => {
    const body = Buffer.from([0x7b, 0x22, 0x61, 0x22, 0x3a, 0x22, 0xff, 0xfe, 0x22, 0x7d]); // {"a":"\xff\xfe"}
    const { express: e, plain: p } = await both('none', 'json', { method: 'POST', headers: { 'content-type': 'application/json' }, body });
    expect(JSON.parse(e.body)).toEqual({ ok: true, value: { a: '\ufffd\ufffd' } });
    expect(JSON.parse(p.body)).toEqual({ ok: false, status: 400, type: 'entity.not.utf8' });
  });

  it('sets, adds and clears cookies with the Set-Cookie headers express writes', async () => {
    const { express: e, plain: p } = await both('none', 'cookie');
    // Expires is worked out from the clock of each; the rest is byte for byte.
    const shape = (cookies: string[] | undefined) => (cookies ?? []).map((c) => c.replace(/Expires=[^;]+/, 'Expires=…'));
    expect(shape(p.headers['set-cookie'])).toEqual(shape(e.headers['set-cookie']));
    expect(shape(p.headers['set-cookie'])).toEqual([
      's=a%20b%3Bc; Max-Age=3600; Path=/; Expires=…; HttpOnly; Secure; SameSite=Strict',
      'd=x; Path=/; HttpOnly; SameSite=Strict',
      'gone=; Path=/; Expires=…; HttpOnly; SameSite=Strict',
    ]);
    const expires = (cookies: string[] | undefined, i: number) => Date.parse(/Expires=([^;]+)/.exec(cookies![i]!)![1]!);
    expect(Math.abs(expires(p.headers['set-cookie'], 0) - Date.now() - 3600_000)).toBeLessThan(5_000);
    expect(expires(p.headers['set-cookie'], 2)).toBe(0);
  });

  it('redirects with the Location express writes, what a URL may not hold encoded', async () => {
    for (const to of ['/api/sales', '/r/abc?x=1&y=%2F', '/caisse/é space', '/a%zz']) {
      const { express: e, plain: p } = await both('none', `redirect?to=${encodeURIComponent(to)}`);
      expect(p.status).toBe(308);
      expect(p.headers.location).toBe(e.headers.location);
    }
  });
});

describe('absoluteTarget', () => {
  it('gives the host and the origin form of an absolute request target, and nothing for any other form', () => {
    expect(absoluteTarget('http://comptoir.local:3000/api/sales?x=1')).toEqual({ host: 'comptoir.local:3000', url: '/api/sales?x=1' });
    expect(absoluteTarget('HTTPS://10.0.0.2')).toEqual({ host: '10.0.0.2', url: '/' });
    expect(absoluteTarget('http://h?q=1')).toEqual({ host: 'h', url: '/?q=1' });
    // The fragment is never part of the target.
    expect(absoluteTarget('http://h/a#b')).toEqual({ host: 'h', url: '/a' });
    for (const other of ['*', 'comptoir.local:443', 'ftp://h/x', 'http:///api/health']) expect(absoluteTarget(other)).toBeNull();
  });
});
