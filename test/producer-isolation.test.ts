import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { aProducer, aProduct, aUser, startTestShop, type Client, type TestShop } from './support/harness.ts';

describe('a producer never sees another producer’s data', () => {
  let shop: TestShop;
  let ferme: { id: number };
  let rucher: { id: number };
  let tomme: { id: number };
  let miel: { id: number };
  let slipOfRucher: number;
  let asFerme: Client;

  beforeAll(async () => {
    shop = await startTestShop();
    ferme = await aProducer(shop.admin, { name: 'Ferme du Sidobre' });
    rucher = await aProducer(shop.admin, { name: 'Rucher de la Montagne Noire' });
    tomme = await aProduct(shop.admin, { name: 'Tomme de brebis', producerId: ferme.id, unit: 'kg', priceCents: 2600 });
    miel = await aProduct(shop.admin, { name: 'Miel de châtaignier', producerId: rucher.id, lowStockThreshold: 3 });
    await shop.admin.post('/api/stock/deposits', { producerId: ferme.id, lines: [{ productId: tomme.id, quantity: 4000 }] });
    slipOfRucher = (await shop.admin.post('/api/stock/deposits', { producerId: rucher.id, lines: [{ productId: miel.id, quantity: 12 }] }))
      .body.id;
    asFerme = (await aUser(shop, 'producer', { producerId: ferme.id })).client;
  });
  afterAll(() => shop.close());

  it('lists only their own products, stock and slips', async () => {
    const products = await asFerme.get('/api/products');
    expect(products.status).toBe(200);
    expect(products.body.map((p: any) => p.name)).toEqual(['Tomme de brebis']);
    // Asking for the other producer's products by filter still returns only their own (the scope wins).
    const filtered = await asFerme.get(`/api/products?producerId=${rucher.id}`);
    expect(filtered.body).toEqual([]);
    const stock = await asFerme.get('/api/stock');
    expect(stock.body.map((s: any) => [s.name, s.onHand])).toEqual([['Tomme de brebis', 4000]]);
    const slips = await asFerme.get('/api/stock/slips');
    expect(slips.body.map((s: any) => s.producerId)).toEqual([ferme.id]);
  });

  it('gets 404 on every record of another producer, and the body names nothing of theirs', async () => {
    const attempts = [
      asFerme.get(`/api/products/${miel.id}`),
      asFerme.get(`/api/products/${miel.id}/movements`),
      asFerme.get(`/api/stock/slips/${slipOfRucher}`),
      asFerme.get(`/api/producers/${rucher.id}`),
      asFerme.put(`/api/products/${miel.id}/threshold`, { lowStockThreshold: 1 }),
    ];
    for (const res of await Promise.all(attempts)) {
      expect(res.status).toBe(404);
      expect(JSON.stringify(res.body)).not.toMatch(/Miel|Rucher|châtaignier/);
    }
    // The threshold of the other producer's product is untouched.
    expect((await shop.admin.get(`/api/products/${miel.id}`)).body.lowStockThreshold).toBe(3);
  });

  it('reads their own producer record and sets thresholds on their own products', async () => {
    expect((await asFerme.get(`/api/producers/${ferme.id}`)).body.name).toBe('Ferme du Sidobre');
    const set = await asFerme.put(`/api/products/${tomme.id}/threshold`, { lowStockThreshold: 5000 });
    expect(set.status).toBe(200);
    // 4000 g on the shelf, threshold 5000 g: low.
    expect(set.body.low).toBe(true);
  });

  it('is refused the manager’s lists outright', async () => {
    for (const url of ['/api/producers', '/api/users', '/api/events', '/api/catalog', '/api/settings']) {
      expect((await asFerme.get(url)).status).toBe(403);
    }
  });
});
