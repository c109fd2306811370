import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { allRoutes } from '../server/http/routes.ts';
import { flushJournal } from '../server/journal/fiscal.ts';
import { aProducer, aProduct, aUser, startTestShop, type Client, type TestShop } from './support/harness.ts';
import { shopSql } from './support/shop-sql.ts';

/** Row counts of every table: a refused request must leave them all as they were. */
async function snapshot(shop: TestShop): Promise<Record<string, number>> {
  const q = await shopSql(shop, { readonly: true });
  const counts: Record<string, number> = {};
  for (const t of await q.tables()) counts[t] = (await q.get<{ n: number }>(`select count(*) as n from "${t}"`))!.n;
  await q.close();
  return counts;
}

// Every JSON-body route, called by someone it admits: the admin, or a cashier on a paired till for the
// routes that need one (the PIN route itself needs a device without a session: its own tests cover it).
const bodyRoutes = allRoutes.filter((r) => r.bodyKind === 'json' && (typeof r.access === 'string' || r.access.includes('admin')));
const overTheWire = (v: unknown) => JSON.parse(JSON.stringify(v)) as unknown;

describe('malformed input never gets a 500 nor writes anything', () => {
  let shop: TestShop;
  let ids: { producer: number; product: number };
  let cashier: Client;
  const caller = (r: (typeof bodyRoutes)[number]) => (r.needsDevice ? cashier : shop.admin);
  beforeAll(async () => {
    shop = await startTestShop();
    cashier = (await aUser(shop, 'cashier')).client;
    const producer = await aProducer(shop.admin);
    const product = await aProduct(shop.admin, { producerId: producer.id });
    ids = { producer: producer.id, product: product.id };
  });
  afterAll(() => shop.close());

  const url = (path: string) => path.replace(':id', String(ids.product)).replace(':code', '2000000000008').replace(':name', 'x');

  it('answers 400 naming a field for bodies generated against each route’s schema', async () => {
    // What the setup wrote is signed first: the journal signs within a second what was written outside the
    // tickets' queue (events), and a head signed during the test would count as a write (seen on a loaded
    // machine: chain_heads 1 → 2).
    await flushJournal(shop.server.services, { all: true });
    const before = await snapshot(shop);
    let sent = 0;
    for (const r of bodyRoutes) {
      const keys = Object.keys(
        (z.toJSONSchema(r.body!, { io: 'input', unrepresentable: 'any' }) as { properties?: object }).properties ?? {},
      );
      // Either anything at all, or an object with the schema's own keys holding wrong values (deeper checks).
      const arbitrary = fc.oneof(
        fc.anything(),
        keys.length
          ? fc.dictionary(fc.constantFrom(...keys), fc.oneof(fc.anything(), fc.string(), fc.integer(), fc.double(), fc.constant(null)))
          : fc.constant(42),
      );
      // What the server receives is the JSON text, so the candidate is judged after a round trip through it.
      const wire = arbitrary
        .filter((v) => v !== undefined)
        .map(overTheWire)
        .filter((v) => !r.body!.safeParse(v).success);
      const samples = fc.sample(wire, { numRuns: 25, seed: 42 });
      for (const body of samples) {
        const res = await caller(r).request(r.method, url(r.path), body);
        sent++;
        if (res.status !== 400 || !res.body?.error?.fields?.length) {
          throw new Error(`${r.method.toUpperCase()} ${r.path} with ${JSON.stringify(body)} -> ${res.status} ${JSON.stringify(res.body)}`);
        }
      }
    }
    expect(sent).toBeGreaterThan(bodyRoutes.length * 20);
    // The admin's session row is touched on use, never added to; no event, no product, no movement.
    expect(await snapshot(shop)).toEqual(before);
  });

  it('answers 400 to broken JSON, a wrong content type and a body that is too large', async () => {
    for (const r of bodyRoutes) {
      const broken = await caller(r).request(r.method, url(r.path), undefined, {
        raw: '{"name": "Pâté",',
        contentType: 'application/json',
      });
      expect(broken.status, `${r.path} broken JSON`).toBe(400);
      const form = await caller(r).request(r.method, url(r.path), undefined, {
        raw: 'name=x',
        contentType: 'application/x-www-form-urlencoded',
      });
      expect(form.status, `${r.path} form body`).toBe(400);
    }
    const huge = await shop.admin.request('POST', '/api/products', undefined, {
      raw: JSON.stringify({ name: 'x'.repeat(2_000_000) }),
      contentType: 'application/json',
    });
    expect(huge.status).toBe(413);
  });

  // Found by an independent check: a room named « �� » from bytes that are not UTF-8; control characters and a
  // forged log line written into the chained event log through a failed login's name; bidi overrides in a deposit
  // slip's note, shown on the producer's PDF.
  it('refuses bytes that are not UTF-8, and control characters in a login or a slip’s note, naming the field', async () => {
    const before = await snapshot(shop);
    const latin = await shop.admin.request('POST', '/api/rooms', undefined, {
      raw: Buffer.from([0x7b, 0x22, 0x6e, 0x61, 0x6d, 0x65, 0x22, 0x3a, 0x22, 0xff, 0xfe, 0x22, 0x7d]), // {"name":"\xff\xfe"}
      contentType: 'application/json',
    });
    expect([latin.status, latin.body.error.fields]).toEqual([400, [{ field: 'body', reason: 'octets qui ne sont pas de l’UTF-8 valide' }]]);
    const outsider = shop.client();
    const forged = await outsider.post('/api/auth/login', { login: "x'\u202egnp.exe\u0007\r\nFAKE: auth.login gerant", password: 'x' });
    expect([forged.status, forged.body.error.fields.map((f: { field: string }) => f.field)]).toEqual([400, ['body.login']]);
    const slip = await shop.admin.post('/api/stock/deposits', {
      producerId: ids.producer,
      lines: [{ productId: ids.product, quantity: 1 }],
      note: '\u202eevil\u0007',
    });
    expect([slip.status, slip.body.error.fields.map((f: { field: string }) => f.field)]).toEqual([400, ['body.note']]);
    await flushJournal(shop.server.services, { all: true });
    expect(await snapshot(shop)).toEqual(before);
  });

  it('answers 400 to a body nested 5,000 levels deep (it used to overflow the stack: a 500), naming the body', async () => {
    // 5,000 nested arrays, then a string holding brackets, which are text and count for nothing.
    const nested = `${'['.repeat(5000)}"[{"${']'.repeat(5000)}`;
    const deep = `{"id":"t-1","kind":"sale","path":"/api/sales","status":400,"message":"x","queuedAt":"","refusedAt":"","body":${nested}}`;
    const routes = bodyRoutes.filter((x) => x.path === '/api/tills/refused-tickets' || x.path === '/api/products');
    expect(routes.length).toBe(2);
    for (const r of routes) {
      const res = await caller(r).request(r.method, url(r.path), undefined, { raw: deep, contentType: 'application/json' });
      expect(res.status, r.path).toBe(400);
      expect(res.body.error.fields[0]).toMatchObject({ field: 'body' });
      expect(res.body.error.fields[0].reason).toContain('64 niveaux');
    }
    const fine = await shop.admin.request('POST', '/api/products', undefined, {
      raw: JSON.stringify({ name: '[[[[[[[[[['.repeat(20) }),
      contentType: 'application/json',
    });
    expect(fine.status).toBe(400); // refused by the schema (no price), not by the depth check
    expect(JSON.stringify(fine.body)).not.toContain('niveaux');
  });

  it('answers 400 to malformed ids and queries', async () => {
    for (const path of ['/api/products/abc', '/api/products/-1', '/api/products/1.5', '/api/stock/slips/0', '/api/producers/9e99']) {
      const res = await shop.admin.get(path);
      expect(res.status, path).toBe(400);
      expect(res.body.error.fields[0].field).toMatch(/^params\./);
    }
    for (const path of [
      '/api/products?limit=0',
      '/api/products?limit=abc',
      '/api/products?active=maybe',
      '/api/products?outlet=bar',
      '/api/products?unknown=1',
      '/api/stock?producerId=x',
      '/api/events?limit=100000',
    ]) {
      const res = await shop.admin.get(path);
      expect(res.status, path).toBe(400);
      expect(res.body.error.fields[0].field).toMatch(/^query/);
    }
    // Numbers JavaScript reads but nobody writes in an address: 1e400 is Infinity (it was refused as « nombre
    // attendu, nombre reçu »), 0x10 is 16, 1e2 is 100, « 12abc », « 1.5 », « » and « 5 » with a space. Each is
    // refused with the one reason below, naming its field; « 16 » is read.
    for (const value of ['1e400', '0x10', '1e2', '12abc', '1.5', '', ' 5']) {
      const res = await shop.admin.get(`/api/sales?limit=${encodeURIComponent(value)}`);
      expect(res.status, value).toBe(400);
      expect(res.body.error.fields, value).toEqual([
        { field: 'query.limit', code: expect.any(String), reason: 'nombre entier écrit en chiffres attendu' },
      ]);
    }
    expect((await shop.admin.get('/api/sales?limit=16')).status).toBe(200);
    // Written in digits but out of bounds: its own reason, not « written in digits ».
    expect((await shop.admin.get('/api/sales?limit=-1')).body.error.fields[0].reason).not.toContain('chiffres');
    expect((await shop.admin.get('/api/products/0x10')).body.error.fields[0]).toMatchObject({
      field: 'params.id',
      reason: 'nombre entier écrit en chiffres attendu',
    });
    // Random query strings on every GET route: never a 500.
    const gets = allRoutes.filter((r) => r.method === 'get' && r.path !== '/api/backups/:name');
    const queries = fc.sample(fc.dictionary(fc.string({ maxLength: 8 }), fc.string({ maxLength: 12 }), { maxKeys: 3 }), {
      numRuns: 15,
      seed: 7,
    });
    for (const r of gets) {
      for (const q of queries) {
        const res = await shop.admin.get(`${url(r.path)}?${new URLSearchParams(q)}`);
        expect(res.status, `${r.path}?${new URLSearchParams(q)}`).toBeLessThan(500);
      }
    }
  });
});
