import http from 'node:http';
import net from 'node:net';
import zlib from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestShop, type TestShop } from './support/harness.ts';

/**
 * The API is served on node's own request and response, without express (server/http/app.ts). What a caller
 * could send it that a well-behaved till never does: a HEAD, a path in capitals, a body cut off, a body
 * compressed, a body with no one logged in, a form from another page to a route that does not exist.
 */
let shop: TestShop;
let port: number;

beforeAll(async () => {
  shop = await startTestShop();
  port = Number(new URL(shop.url).port);
});
afterAll(() => shop.close());

function raw(method: string, path: string, headers: Record<string, string> = {}, body?: Buffer | string) {
  return new Promise<{ status: number; headers: http.IncomingHttpHeaders; body: string }>((resolve, reject) => {
    const req = http.request({ host: '127.0.0.1', port, method, path, headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode!, headers: res.headers, body: Buffer.concat(chunks).toString('utf8') }));
    });
    req.on('error', reject);
    req.end(body);
  });
}

describe('the API without express', () => {
  it('answers HEAD on a GET route with its headers and no body', async () => {
    const get = await raw('GET', '/api/health');
    const head = await raw('HEAD', '/api/health');
    expect(get.status).toBe(200);
    expect(head.status).toBe(200);
    expect(head.body).toBe('');
    expect(head.headers['content-type']).toBe('application/json; charset=utf-8');
    expect(head.headers['content-length']).toBe(String(Buffer.byteLength(get.body)));
    // The gates' headers are on every answer of the API.
    for (const h of ['x-request-id', 'content-security-policy', 'x-frame-options', 'x-content-type-options'])
      expect(head.headers[h]).toBeTruthy();
  });

  it('finds /API/ as /api/ (a JSON 404 for a route it does not know, the origin checked first)', async () => {
    const unknown = await raw('GET', '/API/nothing-here');
    expect(unknown.status).toBe(404);
    expect(JSON.parse(unknown.body).error.code).toBe('not_found');
    const health = await raw('GET', '/API/HEALTH');
    expect(health.status).toBe(200);
    // A form posted from another site to a route that does not exist is refused as foreign, not looked up.
    const foreign = await raw('POST', '/api/nothing-here', { origin: 'https://evil.example', 'content-type': 'application/json' }, '{}');
    expect(foreign.status).toBe(403);
    expect(JSON.parse(foreign.body).error.code).toBe('foreign_origin');
  });

  it('does not read the body of a caller it does not know: 401, even for malformed JSON', async () => {
    const res = await raw('POST', '/api/sales', { 'content-type': 'application/json' }, '{"id":');
    expect(res.status).toBe(401);
    // Logged in, the same body is named malformed.
    const login = await shop.admin.request('POST', '/api/products', undefined, { raw: '{"name":' });
    expect(login.status).toBe(400);
    expect(login.body.error.fields).toEqual([{ field: 'body', reason: 'JSON mal formé' }]);
  });

  it('refuses a compressed body (415) and one over 1 MB (413), naming why, and goes on serving', async () => {
    const gz = await shop.admin.request('POST', '/api/products', undefined, {
      raw: zlib.gzipSync(JSON.stringify({ name: 'x' })),
      headers: { 'content-encoding': 'gzip' },
    });
    expect(gz.status).toBe(415);
    expect(gz.body.error.fields).toEqual([{ field: 'body', reason: 'corps compressé (gzip) non pris en charge' }]);
    const big = await shop.admin.request('POST', '/api/products', undefined, { raw: `"${'x'.repeat(1024 * 1024 + 10)}"` });
    expect(big.status).toBe(413);
    expect(big.body.error.code).toBe('too_large');
    expect((await shop.admin.get('/api/health')).status).toBe(200);
  });

  it('serves a request line in absolute form (as a proxy sends it) as its path, on the host it names', async () => {
    const health = await raw('GET', `http://127.0.0.1:${port}/api/health`);
    expect(health.status).toBe(200);
    expect(JSON.parse(health.body).ok).toBe(true);
    // Through the same gates as any call: no one logged in, a ticket is refused 401, in JSON.
    const sale = await raw('POST', `HTTP://127.0.0.1:${port}/api/sales`, { 'content-type': 'application/json' }, '{}');
    expect(sale.status).toBe(401);
    expect(JSON.parse(sale.body).error.code).toBe('unauthorized');
    // A route it does not know: the API's JSON 404, not express's page.
    const unknown = await raw('GET', `http://127.0.0.1:${port}/api/nothing-here`);
    expect(unknown.status).toBe(404);
    expect(JSON.parse(unknown.body).error.code).toBe('not_found');
  });

  it('names the field of a path that does not decode, and of a body in another charset', async () => {
    // `%A` lacks its second digit: the parameter cannot be decoded.
    const path = await shop.admin.request('GET', '/api/products/%E0%A4%A');
    expect(path.status).toBe(400);
    expect(path.body.error.fields).toEqual([{ field: 'path', reason: 'adresse mal encodée (un %xx qui ne se lit pas)' }]);
    const latin1 = await shop.admin.request('POST', '/api/products', undefined, {
      raw: Buffer.from('{"name":"Café"}', 'latin1'),
      contentType: 'application/json; charset=latin1',
    });
    expect(latin1.status).toBe(415);
    expect(latin1.body.error.code).toBe('unsupported_media_type');
    expect(latin1.body.error.fields).toEqual([{ field: 'body', reason: 'jeu de caractères LATIN1 non pris en charge (UTF-8 attendu)' }]);
    // A key the route does not know is named itself, not only the body.
    const extra = await shop.admin.post('/api/producers', { name: 'Ferme', extra: 1, other: 'x' });
    expect(extra.status).toBe(400);
    const unknown = extra.body.error.fields.filter((f: { code?: string }) => f.code === 'unrecognized_keys');
    expect(unknown.map((f: { field: string }) => f.field)).toEqual(['body.extra', 'body.other']);
    // A transfer coding besides chunked: node takes the chunks off and would leave the gzip to JSON.parse.
    const coded = await raw(
      'POST',
      '/api/products',
      { cookie: shop.admin.cookieHeader(), 'content-type': 'application/json', 'transfer-encoding': 'gzip, chunked' },
      zlib.gzipSync('{"name":"Miel"}'),
    );
    expect(coded.status).toBe(415);
    expect(JSON.parse(coded.body).error.fields).toEqual([{ field: 'body', reason: 'corps codé (gzip, chunked) non pris en charge' }]);
    expect((await shop.admin.get('/api/health')).status).toBe(200);
  });

  it('serves the next request after a body its client stopped sending', async () => {
    const cookie = shop.admin.cookieHeader();
    // Headers for 1,000 bytes, 10 of them sent, then the connection closed.
    await new Promise<void>((resolve, reject) => {
      const socket = net.connect(port, '127.0.0.1', () => {
        socket.write(
          `POST /api/products HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nCookie: ${cookie}\r\nContent-Type: application/json\r\nContent-Length: 1000\r\n\r\n{"name":"`,
        );
        setTimeout(() => {
          socket.destroy();
          resolve();
        }, 100);
      });
      socket.on('error', reject);
    });
    const after = await shop.admin.get('/api/products?limit=1');
    expect(after.status).toBe(200);
  });
});
