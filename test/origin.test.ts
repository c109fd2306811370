import { io } from 'socket.io-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestShop, type TestShop } from './support/harness.ts';

// Issue 19, item 5: a page on another site — or another port of the same host, the same *site* for
// SameSite cookies — cannot act with the manager's cookies: state-changing requests and the socket
// handshake are refused unless they come from one of the shop's own pages.
let shop: TestShop;
let host: string;
const CSV = 'nom;prix;tva\nProduit piégé;1,00;20\n';

beforeAll(async () => {
  shop = await startTestShop();
  host = new URL(shop.url).host;
});
afterAll(async () => {
  await shop?.close();
});

const products = async () => ((await shop.admin.get('/api/products?limit=500')).body as { name: string }[]).map((p) => p.name);

describe('requests from other pages', () => {
  it('refuses a state-changing request whose Origin is another port of the same host, and names why', async () => {
    const evil = `http://${host.split(':')[0]}:1`;
    const res = await shop.admin.request('POST', '/api/backups', undefined, { headers: { origin: evil } });
    expect(res.status).toBe(403);
    expect(res.body.error.code).toBe('foreign_origin');
    expect(res.body.error.fields[0].reason).toContain(evil);
    const csv = await shop.admin.request('POST', '/api/products/import', CSV, { contentType: 'text/csv', headers: { origin: evil } });
    expect(csv.status).toBe(403);
    expect(await products()).not.toContain('Produit piégé');
  });

  // Found by a security probe: the same host and port with the other scheme passed (a page served over
  // plain HTTP, where anyone on the network may change it, is not one of the shop's pages).
  it('refuses the same host and port under the other scheme', async () => {
    const other = `${shop.url.startsWith('https:') ? 'http' : 'https'}://${host}`;
    const res = await shop.admin.request('POST', '/api/backups', undefined, { headers: { origin: other } });
    expect(res.status).toBe(403);
    expect(res.body.error.fields[0].reason).toContain(other);
  });

  it('refuses a cross-site request without Origin when the browser says it crosses sites', async () => {
    const res = await shop.admin.request('POST', '/api/backups', undefined, { headers: { 'sec-fetch-site': 'same-site' } });
    expect(res.status).toBe(403);
    expect(res.body.error.code).toBe('foreign_origin');
  });

  it('takes a CSV import only with its real type: text/plain, what a foreign form can send, is refused', async () => {
    const res = await shop.admin.request('POST', '/api/products/import', CSV, { contentType: 'text/plain' });
    expect(res.status).toBe(400);
    expect(await products()).not.toContain('Produit piégé');
  });

  it('lets the shop’s own pages through, and reads stay open to any origin', async () => {
    const own = await shop.admin.request('POST', '/api/tills/1/pairing-code', undefined, {
      headers: { origin: new URL(shop.url).origin, 'sec-fetch-site': 'same-origin' },
    });
    expect(own.status).toBe(201);
    const read = await shop.admin.request('GET', '/api/products', undefined, { headers: { origin: 'https://evil.example' } });
    expect(read.status).toBe(200);
  });

  it('refuses the socket handshake from a foreign Origin, accepts it from the shop’s own', async () => {
    const connect = (origin: string) =>
      new Promise<string>((resolve) => {
        const socket = io(shop.url, { transports: ['websocket'], extraHeaders: { origin }, reconnection: false, timeout: 3000 });
        socket.on('connect', () => {
          socket.close();
          resolve('connected');
        });
        socket.on('connect_error', (e) => {
          socket.close();
          resolve(`refused: ${e.message}`);
        });
      });
    expect(await connect('http://evil.example')).toMatch(/^refused/);
    expect(await connect(`https://${host}`)).toMatch(/^refused: (?!unauthorized)/);
    // From the shop's own origin the handshake goes on to the session check (no cookie here: unauthorized).
    expect(await connect(`http://${host}`)).toBe('refused: unauthorized');
  });
});
