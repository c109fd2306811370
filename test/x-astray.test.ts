import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { aProducer, aProduct, aUser, startTestShop, type Client, type TestShop } from './support/harness.ts';
import { uuidv7 } from './support/tickets.ts';

/**
 * Before a Z, the X says which tickets the server never received and which it refused that day (a newcomer's
 * walk closed a day on a refused refund and a numbering gap without a word). Till 1 sends n° 1, 2 and 4:
 * n° 3 is still on a tablet. It hands over a refused refund, n° 5 (−3,00 €), to the event log.
 */
describe('the X before a Z names the tickets astray', () => {
  let shop: TestShop;
  let till: Client;
  let productId = 0;
  const day = new Date().toISOString();

  const sell = (number: number) =>
    till.post('/api/sales', {
      id: uuidv7(),
      tillId: 1,
      number,
      createdAt: new Date().toISOString(),
      lines: [{ productId, quantity: 1, unitPriceCents: 300 }],
      payments: [{ method: 'cash', amountCents: 300 }],
      totalCents: 300,
    });
  const x = async () => {
    const res = await shop.admin.get('/api/closings/x?outlet=shop');
    expect(res.status).toBe(200);
    return res.body;
  };

  beforeAll(async () => {
    shop = await startTestShop();
    const ferme = await aProducer(shop.admin);
    productId = (await aProduct(shop.admin, { name: 'Yaourt', producerId: ferme.id, priceCents: 300 })).id;
    await shop.admin.post('/api/stock/deposits', { producerId: ferme.id, lines: [{ productId, quantity: 10 }] });
    till = (await aUser(shop, 'cashier')).client;
  });
  afterAll(() => shop.close());

  it('lists the numbers never received, and the refused tickets of the day with the server’s reason', async () => {
    expect((await x()).missingTickets).toEqual([]);
    for (const n of [1, 2, 4]) expect((await sell(n)).status).toBe(201);
    const tillName = (await shop.admin.get('/api/tills')).body.find((t: any) => t.id === 1).name;
    expect((await x()).missingTickets).toEqual([{ tillId: 1, till: tillName, numbers: [3] }]);
    const id = uuidv7();
    const report = await till.post('/api/tills/refused-tickets', {
      id,
      kind: 'refund',
      number: 5,
      totalCents: -300,
      path: '/api/refunds',
      body: { id, lines: [{ lineNo: 1, quantity: 1 }] },
      status: 422,
      message: 'Remboursement refusé. (déjà remboursé)',
      queuedAt: day,
      refusedAt: day,
    });
    expect(report.status, JSON.stringify(report.body)).toBe(201);
    const after = await x();
    expect(after.refusedTickets).toEqual([
      { tillId: 1, till: tillName, kind: 'refund', number: 5, totalCents: -300, message: 'Remboursement refusé. (déjà remboursé)' },
    ]);
    // n° 3 arrives: nothing is missing any more (n° 5 is accounted for by the event log).
    expect((await sell(3)).status).toBe(201);
    expect((await x()).missingTickets).toEqual([]);
  });
});
