import { io, type Socket } from 'socket.io-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ClientToServerEvents, SaleRecordedEvent, ServerToClientEvents, StockChangedEvent } from '../shared/realtime.ts';
import { aProducer, aProduct, aUser, startTestShop, type Client, type TestShop } from './support/harness.ts';
import { uuidv7 } from './support/tickets.ts';

type S = Socket<ServerToClientEvents, ClientToServerEvents>;

function connect(url: string, client?: Client): Promise<S> {
  return new Promise((resolve, reject) => {
    const socket: S = io(url, {
      transports: ['websocket'],
      extraHeaders: client ? { cookie: client.cookieHeader() } : {},
      reconnection: false,
    });
    socket.once('connect', () => resolve(socket));
    socket.once('connect_error', (e) => reject(e));
  });
}

function collect<E extends keyof ServerToClientEvents>(socket: S, event: E) {
  const got: Parameters<ServerToClientEvents[E]>[0][] = [];
  socket.on(event as any, (payload: any) => got.push(payload));
  return got;
}

const settle = () => new Promise((r) => setTimeout(r, 300));

describe('realtime over socket.io', () => {
  let shop: TestShop;
  let sockets: S[] = [];
  let till: Client;
  let a: { id: number };
  let b: { id: number };
  let painA: { id: number };
  let mielB: { id: number };
  let asA: Client;

  beforeAll(async () => {
    shop = await startTestShop();
    a = await aProducer(shop.admin, { name: 'Fournil' });
    b = await aProducer(shop.admin, { name: 'Rucher' });
    painA = await aProduct(shop.admin, { name: 'Pain', producerId: a.id, priceCents: 520 });
    mielB = await aProduct(shop.admin, { name: 'Miel', producerId: b.id, priceCents: 950, lowStockThreshold: 9 });
    await shop.admin.post('/api/stock/deposits', { producerId: b.id, lines: [{ productId: mielB.id, quantity: 10 }] });
    till = (await aUser(shop, 'cashier')).client;
    asA = (await aUser(shop, 'producer', { producerId: a.id })).client;
  });
  afterAll(async () => {
    for (const s of sockets) s.disconnect();
    await shop.close();
  });

  it('refuses a socket with neither session nor paired till', async () => {
    await expect(connect(shop.url)).rejects.toThrow(/unauthorized/);
  });

  it('sends each ticket to managers and its till whole, and to each producer only their own lines', async () => {
    const manager = await connect(shop.url, shop.admin);
    const tillSocket = await connect(shop.url, till);
    const producerA = await connect(shop.url, asA);
    const asB = (await aUser(shop, 'producer', { producerId: b.id })).client;
    const producerB = await connect(shop.url, asB);
    sockets = [manager, tillSocket, producerA, producerB];
    const got = {
      manager: collect(manager, 'sale:recorded'),
      till: collect(tillSocket, 'sale:recorded'),
      a: collect(producerA, 'sale:recorded'),
      b: collect(producerB, 'sale:recorded'),
    };
    const stock = {
      manager: collect(manager, 'stock:changed'),
      a: collect(producerA, 'stock:changed'),
      b: collect(producerB, 'stock:changed'),
      till: collect(tillSocket, 'stock:changed'),
    };

    // 2 loaves (1040) + 1 jar (950) = 1990.
    const res = await till.post('/api/sales', {
      id: uuidv7(),
      tillId: 1,
      number: 1,
      createdAt: new Date().toISOString(),
      lines: [
        { productId: painA.id, quantity: 2, unitPriceCents: 520 },
        { productId: mielB.id, quantity: 1, unitPriceCents: 950 },
      ],
      payments: [{ method: 'card', amountCents: 1990 }],
      totalCents: 1990,
    });
    expect(res.status).toBe(201);
    await settle();
    expect(got.manager.map((e: SaleRecordedEvent) => [e.totalCents, e.lines.length])).toEqual([[1990, 2]]);
    expect(got.till.map((e: SaleRecordedEvent) => e.totalCents)).toEqual([1990]);
    expect(got.a).toEqual([
      expect.objectContaining({ totalCents: 1040, lines: [expect.objectContaining({ name: 'Pain', totalCents: 1040 })] }),
    ]);
    expect(got.b).toEqual([expect.objectContaining({ totalCents: 950, lines: [expect.objectContaining({ name: 'Miel' })] })]);
    // Honey 10 − 1 = 9, at its threshold of 9: low. Bread is tracked but was never deposited: 0 − 2 = −2.
    const flat = (list: StockChangedEvent[][]) => list.flat().map((e) => [e.productId, e.onHand, e.low]);
    expect(flat(stock.manager)).toEqual(
      expect.arrayContaining([
        [mielB.id, 9, true],
        [painA.id, -2, false],
      ]),
    );
    expect(flat(stock.till)).toEqual(expect.arrayContaining([[mielB.id, 9, true]]));
    expect(flat(stock.b)).toEqual([[mielB.id, 9, true]]);
    expect(flat(stock.a)).toEqual([[painA.id, -2, false]]);
  });

  it('tells the tills when a manager changes how they behave, for them to read their options again', async () => {
    const tillSocket = await connect(shop.url, till);
    sockets.push(tillSocket);
    const heard = collect(tillSocket, 'settings:changed');
    const producerSocket = await connect(shop.url, asA);
    sockets.push(producerSocket);
    const producerHeard = collect(producerSocket, 'settings:changed');
    const options = (await till.get('/api/devices/current')).body.options;
    const saved = await shop.admin.put('/api/settings/till', {
      extraPaymentMethods: options.extraPaymentMethods,
      cashierDiscountLimitBp: options.cashierDiscountLimitBp,
      autoLockSeconds: 240,
    });
    expect(saved.status, JSON.stringify(saved.body)).toBe(200);
    await settle();
    expect(heard).toHaveLength(1);
    // A producer's connection is not told (nothing of theirs).
    expect(producerHeard).toHaveLength(0);
    expect((await till.get('/api/devices/current')).body.options.autoLockSeconds).toBe(240);
  });

  it('validates what a socket asks, and scopes a producer’s answer to their own products', async () => {
    const producerA = sockets[2]!;
    const bad = await producerA.emitWithAck('stock:get', { productIds: ['x'] } as any);
    expect(bad).toMatchObject({ error: expect.stringMatching(/productIds/) });
    const own = await producerA.emitWithAck('stock:get', { productIds: [painA.id, mielB.id] });
    expect(own).toEqual([{ productId: painA.id, siteId: 1, onHand: -2, low: false }]);
  });

  // Found by an independent probe: a connection kept hearing sales and stock after its session had ended
  // (logout, deactivation) or its tablet had been unpaired; and one connection could ask for stock on and on.
  it('ends the connections of a session that ended or a tablet unpaired, and keeps a tablet’s when only its cashier left', async () => {
    const gone = (socket: S) =>
      new Promise<string>((resolve, reject) => {
        if (!socket.connected) return resolve('already');
        const timer = setTimeout(() => reject(new Error('still connected')), 3000);
        socket.once('disconnect', (reason) => {
          clearTimeout(timer);
          resolve(reason);
        });
      });
    const { client: producer } = await aUser(shop, 'producer', { producerId: a.id });
    const { client: manager, id: managerId } = await aUser(shop, 'manager');
    const { client: cashier } = await aUser(shop, 'cashier');
    const [p, m, t] = [await connect(shop.url, producer), await connect(shop.url, manager), await connect(shop.url, cashier)];
    sockets.push(p, m, t);
    const producerGone = gone(p);
    expect((await producer.post('/api/auth/logout')).status).toBe(204);
    expect(await producerGone).toBe('io server disconnect');
    const managerGone = gone(m);
    expect((await shop.admin.patch(`/api/users/${managerId}`, { active: false })).status).toBe(200);
    expect(await managerGone).toBe('io server disconnect');
    // The cashier locks the till: the tablet is still paired, its connection stays and still hears its till.
    expect((await cashier.post('/api/auth/logout')).status).toBe(204);
    await settle();
    expect(t.connected).toBe(true);
    // A burst of 5 stock requests, then one a second: the sixth at once is refused.
    const answers = [];
    for (let i = 0; i < 6; i++) answers.push(await t.emitWithAck('stock:get', { productIds: [mielB.id] }));
    expect(answers.slice(0, 5).every((x) => Array.isArray(x))).toBe(true);
    expect(answers[5]).toEqual({ error: 'too-many-requests' });
    // Unpaired: nothing more.
    const tablet = (await shop.admin.get('/api/tills')).body.find((x: { id: number }) => x.id === 1).devices.at(-1).id as number;
    const tillGone = gone(t);
    expect((await shop.admin.post(`/api/devices/${tablet}/revoke`)).status).toBe(204);
    expect(await tillGone).toBe('io server disconnect');
  });
});
