import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { aProduct, aUser, startTestShop, type Client, type TestShop } from './support/harness.ts';
import { uuidv7 } from './support/tickets.ts';

// A ticket of 0,00 € (a gift) is recorded without a payment; any other total still needs its payments.
describe('a sale of 0,00 €', () => {
  let shop: TestShop;
  let till: Client;
  let gift: number;
  let pain: number;
  beforeAll(async () => {
    shop = await startTestShop();
    gift = (await aProduct(shop.admin, { name: 'Échantillon offert', priceCents: 0, producerId: null })).id;
    pain = (await aProduct(shop.admin, { name: 'Pain', priceCents: 520, producerId: null })).id;
    till = (await aUser(shop, 'cashier')).client;
  });
  afterAll(() => shop.close());
  const sale = (number: number, lines: unknown[], totalCents: number, payments: unknown[] = []) =>
    till.post('/api/sales', { id: uuidv7(), tillId: 1, number, createdAt: new Date().toISOString(), lines, payments, totalCents });

  it('is recorded with no payment, chained and verified like any ticket', async () => {
    const r = await sale(1, [{ productId: gift, quantity: 1, unitPriceCents: 0 }], 0);
    expect(r.status, JSON.stringify(r.body)).toBe(201);
    expect(r.body).toMatchObject({ totalCents: 0, payments: [], changeCents: 0 });
    expect((await shop.admin.get('/api/journal/verify')).body).toMatchObject({ ok: true });
  });

  it('still refuses a ticket of 5,20 € without its payment, naming why, and writes nothing', async () => {
    const r = await sale(2, [{ productId: pain, quantity: 1, unitPriceCents: 520 }], 520);
    expect(r.status).toBe(422);
    expect(JSON.stringify(r.body.error)).toContain('paiements insuffisants');
    expect(((await shop.admin.get('/api/sales?limit=10')).body as unknown[]).length).toBe(1);
  });
});
