import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN, aProducer, aProduct, aUser, startTestShop, type Client, type TestShop, allowDaysWithoutZ } from './support/harness.ts';
import { uuidv7 } from './support/tickets.ts';

/**
 * Late lines and gaps between statements, which the statement finds without re-reading the producer's
 * history (days after the last statement through their sales, days it covered through the sales written
 * after it). Worked out by hand, one baker at 20 %, bread at 3,00 € (5,5 %):
 *
 *   T1 n° 1 dated 02/11, sent 02/11: 1 bread = 300
 *   T2 n° 2 dated 20/11, sent 20/11: 2 breads = 600                 (a day no statement will cover: gap)
 *   21/11: statement S1 for 01/11–15/11 -> T1 only: 300
 *   T3 n° 3 dated 10/11, sent 22/11 (a till that was offline): 4 breads = 1200   (covered by S1, written after it)
 *   T4 n° 4 dated 27/11, sent 27/11: 1 bread = 300
 *   01/12: statement S2 for 25/11–30/11 -> T3 (carried), T2 (carried, gap day), T4: 1200 + 600 + 300 = 2100
 *          commission 20 % = 420 HT, VAT 20 % = 84, 504 TTC; net 2100 − 504 = 1596
 *   Then nothing of November is left: a December draft is empty.
 */
describe('late lines and gaps between statements', () => {
  let shop: TestShop;
  let clock = new Date('2026-11-02T09:00:00Z');
  let till: Client;
  let number = 0;
  let baker = 0;
  let bread = 0;

  async function at(iso: string) {
    clock = new Date(iso);
    expect((await shop.admin.post('/api/auth/login', ADMIN)).status).toBe(200);
    till = (await aUser(shop, 'cashier')).client;
  }
  async function sell(createdAt: string, quantity: number) {
    const total = 300 * quantity;
    const res = await till.post('/api/sales', {
      id: uuidv7(),
      tillId: 1,
      number: ++number,
      createdAt,
      lines: [{ productId: bread, quantity, unitPriceCents: 300 }],
      discountCents: 0,
      payments: [{ method: 'card', amountCents: total }],
      totalCents: total,
    });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
  }

  beforeAll(async () => {
    shop = await startTestShop({ now: () => clock });
    await allowDaysWithoutZ(shop.admin);
    baker = (await aProducer(shop.admin, { name: 'Fournil de Lacrouzette', commissionBp: 2000 })).id;
    bread = (await aProduct(shop.admin, { name: 'Pain de campagne', producerId: baker, priceCents: 300 })).id;
    await shop.admin.post('/api/stock/deposits', { producerId: baker, lines: [{ productId: bread, quantity: 50 }] });
  });
  afterAll(() => shop.close());

  it('carries a gap day and a late ticket of a settled day, once', async () => {
    await at('2026-11-02T10:00:00Z');
    await sell('2026-11-02T09:30:00Z', 1);
    await at('2026-11-20T10:00:00Z');
    await sell('2026-11-20T09:30:00Z', 2);
    await at('2026-11-21T10:00:00Z');
    const s1 = await shop.admin.post(`/api/producers/${baker}/statements`, { from: '2026-11-01', to: '2026-11-15' });
    expect(s1.status, JSON.stringify(s1.body)).toBe(201);
    expect(s1.body.items.map((i: any) => [i.day, i.quantity, i.amountCents])).toEqual([['2026-11-02', 1, 300]]);

    await at('2026-11-22T10:00:00Z');
    await sell('2026-11-10T15:00:00Z', 4);
    await at('2026-11-27T10:00:00Z');
    await sell('2026-11-27T09:30:00Z', 1);
    await at('2026-12-01T10:00:00Z');
    const s2 = await shop.admin.post(`/api/producers/${baker}/statements`, { from: '2026-11-25', to: '2026-11-30' });
    expect(s2.status, JSON.stringify(s2.body)).toBe(201);
    expect(s2.body.items.map((i: any) => [i.day, i.quantity, i.amountCents, i.carried])).toEqual([
      ['2026-11-10', 4, 1200, true],
      ['2026-11-20', 2, 600, true],
      ['2026-11-27', 1, 300, false],
    ]);
    expect(s2.body.totals).toMatchObject({
      salesCents: 2100,
      commissionNetCents: 420,
      commissionVatCents: 84,
      commissionGrossCents: 504,
      netOwedCents: 1596,
    });

    await at('2026-12-02T10:00:00Z');
    const draft = await shop.admin.get(`/api/producers/${baker}/statement?from=2026-12-01&to=2026-12-01`);
    expect(draft.status).toBe(200);
    expect(draft.body.items).toEqual([]);
  });
});
