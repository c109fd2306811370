import { io, type Socket } from 'socket.io-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ClientToServerEvents, ServerToClientEvents } from '../shared/realtime.ts';
import { allRoutes } from '../server/http/routes.ts';
import { aProducer, aProduct, aUser, startTestShop, type Client, type TestShop, allowDaysWithoutZ } from './support/harness.ts';
import { uuidv7 } from './support/tickets.ts';

type S = Socket<ServerToClientEvents, ClientToServerEvents>;

function connect(url: string, client: Client): Promise<S> {
  return new Promise((resolve, reject) => {
    const socket: S = io(url, { transports: ['websocket'], extraHeaders: { cookie: client.cookieHeader() }, reconnection: false });
    socket.once('connect', () => resolve(socket));
    socket.once('connect_error', (e) => reject(e));
  });
}

const settle = () => new Promise((r) => setTimeout(r, 300));

/**
 * Two producers, each with a portal account. Every producer route and every socket event gives each only
 * their own data: another producer's id is a 404 whose body names nothing of theirs.
 */
describe('the producer portal shows each producer only their own business', () => {
  let clock = new Date('2026-11-10T10:00:00Z');
  let shop: TestShop;
  let a: { id: number; name: string };
  let b: { id: number; name: string };
  let asA: Client;
  let asB: Client;
  let till: Client;
  let statementOfB: number;
  let slipOfB: number;
  const sockets: S[] = [];
  let number = 0;

  beforeAll(async () => {
    shop = await startTestShop({ now: () => clock });
    await allowDaysWithoutZ(shop.admin);
    a = await aProducer(shop.admin, { name: 'Fournil de Lacrouzette' });
    b = await aProducer(shop.admin, { name: 'Safran du Lauragais' });
    const pain = await aProduct(shop.admin, { name: 'Pain au levain', producerId: a.id, priceCents: 520 });
    const safran = await aProduct(shop.admin, { name: 'Safran en pistils', producerId: b.id, priceCents: 1800 });
    await shop.admin.post('/api/stock/deposits', { producerId: a.id, lines: [{ productId: pain.id, quantity: 30 }] });
    slipOfB = (await shop.admin.post('/api/stock/deposits', { producerId: b.id, lines: [{ productId: safran.id, quantity: 10 }] })).body.id;
    asA = (await aUser(shop, 'producer', { producerId: a.id })).client;
    asB = (await aUser(shop, 'producer', { producerId: b.id })).client;
    till = (await aUser(shop, 'cashier')).client;
    const sale = await till.post('/api/sales', {
      id: uuidv7(),
      tillId: 1,
      number: ++number,
      createdAt: '2026-11-10T09:00:00Z',
      lines: [
        { productId: pain.id, quantity: 2, unitPriceCents: 520 },
        { productId: safran.id, quantity: 1, unitPriceCents: 1800 },
      ],
      payments: [{ method: 'card', amountCents: 2840 }],
      totalCents: 2840,
    });
    expect(sale.status).toBe(201);
    clock = new Date('2026-12-01T08:00:00Z');
    await shop.admin.post('/api/auth/login', { login: 'admin', password: 'admin-password-1' });
    statementOfB = (await shop.admin.post(`/api/producers/${b.id}/statements`, { from: '2026-11-01', to: '2026-11-30' })).body.id;
    expect(statementOfB).toBeGreaterThan(0);
  });
  afterAll(async () => {
    for (const s of sockets) s.disconnect();
    await shop.close();
  });

  const producerPaths = (id: number) => [
    `/api/producers/${id}/terms`,
    `/api/producers/${id}/sales?from=2026-11-01&to=2026-11-30`,
    `/api/producers/${id}/lines?from=2026-11-01&to=2026-11-30`,
    `/api/producers/${id}/lines.csv?from=2026-11-01&to=2026-11-30`,
    `/api/producers/${id}/statement?from=2026-11-01&to=2026-11-30`,
    `/api/producers/${id}/statement.pdf?from=2026-11-01&to=2026-11-30`,
  ];

  it('covers every producer route of the settlement in this test', () => {
    // A new route open to producers must be added here, or this fails.
    const open = allRoutes.filter(
      (r) =>
        r.access !== 'public' &&
        r.access !== 'authenticated' &&
        r.access.includes('producer') &&
        /\/(statements?|statement-runs|producers\/:id\/(terms|sales|lines|statement))/.test(r.path),
    );
    expect(open.map((r) => `${r.method} ${r.path}`).sort()).toEqual(
      [
        'get /api/producers/:id/terms',
        'get /api/producers/:id/sales',
        'get /api/producers/:id/lines',
        'get /api/producers/:id/lines.csv',
        'get /api/producers/:id/statement',
        'get /api/producers/:id/statement.pdf',
        'get /api/statements',
        'get /api/statements/:id',
        'get /api/statements/:id.pdf',
      ].sort(),
    );
  });

  it('answers a producer on their own id', async () => {
    for (const url of producerPaths(a.id)) expect((await asA.get(url)).status, url).toBe(200);
    const sales = (await asA.get(`/api/producers/${a.id}/sales?from=2026-11-01&to=2026-11-30&groupBy=week`)).body;
    // Only the bread: 2 × 5,20 = 10,40 €, though the ticket also held saffron.
    expect(sales.totalCents).toBe(1040);
    expect(sales.byProduct.map((p: any) => p.name)).toEqual(['Pain au levain']);
    const lines = (await asA.get(`/api/producers/${a.id}/lines?from=2026-11-01&to=2026-11-30`)).body;
    expect(lines.map((l: any) => l.name)).toEqual(['Pain au levain']);
  });

  it('gives 404 on another producer’s id, naming nothing of theirs', async () => {
    for (const url of [
      ...producerPaths(b.id),
      `/api/statements/${statementOfB}`,
      `/api/statements/${statementOfB}.pdf`,
      `/api/stock/slips/${slipOfB}.pdf`,
    ]) {
      const res = await asA.get(url);
      expect(res.status, url).toBe(404);
      expect(res.raw.toString('latin1')).not.toMatch(/Safran|Lauragais|1800|18,00/);
    }
    // The list of statements is scoped in the query, whatever the filter asks.
    expect((await asA.get('/api/statements')).body).toEqual([]);
    expect((await asA.get(`/api/statements?producerId=${b.id}`)).body).toEqual([]);
    expect((await asB.get('/api/statements')).body.map((s: any) => s.id)).toEqual([statementOfB]);
  });

  it('refuses producers every manager action of the settlement', async () => {
    const attempts = [
      asA.put(`/api/producers/${a.id}/terms`, { defaultBp: 0, byCategory: [] }),
      asA.post(`/api/producers/${a.id}/statements`, { from: '2026-11-01', to: '2026-11-30' }),
      asB.post(`/api/statements/${statementOfB}/payment`, { paidOn: '2026-12-01', method: 'cash' }),
      asA.post('/api/statement-runs', { from: '2026-11-01', to: '2026-11-30' }),
      asA.get('/api/statements.csv?from=2026-11-01&to=2026-11-30'),
      asA.post(`/api/producers/${a.id}/invitations`, {}),
      asA.post('/api/stock/kitchen', { lines: [{ productId: 1, quantity: 1 }] }),
    ];
    for (const res of await Promise.all(attempts)) expect(res.status).toBe(403);
    const anonymous = shop.client();
    for (const url of producerPaths(a.id)) expect((await anonymous.get(url)).status).toBe(401);
  });

  it('sends each producer’s socket only their own lines, stock and statements', async () => {
    const sa = await connect(shop.url, asA);
    const sb = await connect(shop.url, asB);
    sockets.push(sa, sb);
    const got = { a: [] as any[], b: [] as any[] };
    for (const [s, list] of [
      [sa, got.a],
      [sb, got.b],
    ] as const) {
      s.on('sale:recorded', (e) => list.push(['sale', e]));
      s.on('stock:changed', (e) => list.push(['stock', e]));
      s.on('statement:issued', (e) => list.push(['statement', e]));
      s.on('statements:progress', (e) => list.push(['run', e]));
    }
    const products = (await shop.admin.get('/api/products')).body as any[];
    const pain = products.find((p) => p.name === 'Pain au levain');
    const safran = products.find((p) => p.name === 'Safran en pistils');
    till = (await aUser(shop, 'cashier')).client;
    expect(
      (
        await till.post('/api/sales', {
          id: uuidv7(),
          tillId: 1,
          number: ++number,
          createdAt: clock.toISOString(),
          lines: [
            { productId: pain.id, quantity: 1, unitPriceCents: 520 },
            { productId: safran.id, quantity: 2, unitPriceCents: 1800 },
          ],
          payments: [{ method: 'cash', amountCents: 4120 }],
          totalCents: 4120,
        })
      ).status,
    ).toBe(201);
    clock = new Date('2027-01-02T08:00:00Z');
    await shop.admin.post('/api/auth/login', { login: 'admin', password: 'admin-password-1' });
    expect((await shop.admin.post(`/api/producers/${a.id}/statements`, { from: '2026-12-01', to: '2026-12-31' })).status).toBe(201);
    await settle();
    const sale = got.a.find(([k]) => k === 'sale')[1];
    // A sees the bread line and its own total (5,20 €), not the ticket's 41,20 €.
    expect(sale.lines.map((l: any) => l.name)).toEqual(['Pain au levain']);
    expect(sale.totalCents).toBe(520);
    expect(got.a.filter(([k]) => k === 'stock').flatMap(([, e]) => e.map((s: any) => s.productId))).toEqual([pain.id]);
    expect(got.a.filter(([k]) => k === 'statement').map(([, e]) => e.producerId)).toEqual([a.id]);
    expect(got.b.filter(([k]) => k === 'statement')).toEqual([]);
    expect(got.b.find(([k]) => k === 'sale')[1].totalCents).toBe(3600);
    expect([...got.a, ...got.b].filter(([k]) => k === 'run')).toEqual([]);
    expect(JSON.stringify(got.a)).not.toMatch(/Safran/);
    expect(JSON.stringify(got.b)).not.toMatch(/Pain au levain/);
  });
});

describe('inviting a producer to the portal', () => {
  let shop: TestShop;
  beforeAll(async () => {
    shop = await startTestShop();
  });
  afterAll(() => shop.close());

  it('gives a one-time link on which the producer chooses a password, then logs in with it', async () => {
    const p = await aProducer(shop.admin, { name: 'Chèvrerie des Monts de Lacaune', slug: 'chevrerie' });
    const invite = await shop.admin.post(`/api/producers/${p.id}/invitations`, {});
    expect(invite.status).toBe(201);
    expect(invite.body).toMatchObject({ login: 'chevrerie', reset: false });
    const token = new URL(invite.body.url).pathname.split('/').pop()!;
    const visitor = shop.client();
    expect((await visitor.get(`/api/invitations/${token}`)).body).toMatchObject({
      producerName: 'Chèvrerie des Monts de Lacaune',
      login: 'chevrerie',
    });
    expect((await visitor.post(`/api/invitations/${token}`, { password: 'court' })).status).toBe(400);
    const accepted = await visitor.post(`/api/invitations/${token}`, { password: 'fromage-de-chevre-81' });
    expect(accepted.status).toBe(200);
    expect((await visitor.get('/api/auth/me')).body.user).toMatchObject({ role: 'producer', producerId: p.id });
    // The link is spent.
    expect((await shop.client().post(`/api/invitations/${token}`, { password: 'autre-mot-de-passe' })).status).toBe(404);
    const again = shop.client();
    expect((await again.post('/api/auth/login', { login: 'chevrerie', password: 'fromage-de-chevre-81' })).status).toBe(200);

    // A second invitation resets the password and closes open sessions.
    const reset = await shop.admin.post(`/api/producers/${p.id}/invitations`, {});
    expect(reset.body).toMatchObject({ login: 'chevrerie', reset: true });
    const token2 = new URL(reset.body.url).pathname.split('/').pop()!;
    expect((await shop.client().post(`/api/invitations/${token2}`, { password: 'nouveau-mot-de-passe' })).status).toBe(200);
    expect((await again.get('/api/auth/me')).status).toBe(401);
    expect((await shop.client().post('/api/auth/login', { login: 'chevrerie', password: 'fromage-de-chevre-81' })).status).toBe(401);
    expect((await shop.client().get('/api/invitations/not-a-token')).status).toBe(400);
  });
});
