import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { businessDay } from '../shared/time.ts';
import { aProducer, aProduct, aUser, startTestShop, type Client, type TestShop } from './support/harness.ts';
import { uuidv7 } from './support/tickets.ts';

/**
 * What a site's kitchen cooks with is paid to the producer at that site's shelf price (issue 23, item 3):
 * Rodez sells eggs at 0,60 € where the network sells them at 0,55 €; the eggs of Rodez's omelettes, and
 * those Rodez's cook records by hand, are paid 0,60 € each (they were paid at the network's 0,55 €).
 *
 * Worked out by hand:
 *   Castres: 1 omelette × 3 eggs × 55 = 165, and 1 egg by hand × 55 = 55: kitchen 220.
 *   Rodez:   2 omelettes × 3 eggs × 60 = 360, and 2 eggs by hand × 60 = 120: kitchen 480.
 */
describe('a site’s kitchen use at the site’s own price', () => {
  let shop: TestShop;
  let clock = Date.parse('2026-12-02T10:00:00.000Z');
  const today = () => businessDay(new Date(clock), 'Europe/Paris');
  const at = (site: number) => ({ headers: { 'comptoir-site': String(site) } });
  let ferme: { id: number };
  let oeuf: number;
  let omelette: number;
  let rodez: number;
  let rodezBar: Client;
  let castresBar: Client;
  let rodezTill: number;
  let castresTill: number;

  beforeAll(async () => {
    shop = await startTestShop({ now: () => new Date(clock) });
    ferme = await aProducer(shop.admin, { name: 'Volailles du Sor' });
    oeuf = (
      await aProduct(shop.admin, {
        name: 'Œuf plein air',
        producerId: ferme.id,
        priceCents: 55,
        vatRateBp: 550,
        outlets: ['shop', 'restaurant'],
      })
    ).id;
    omelette = (
      await aProduct(shop.admin, {
        name: 'Omelette',
        producerId: null,
        priceCents: 1250,
        vatRateBp: 1000,
        outlets: ['restaurant'],
        stockTracked: false,
      })
    ).id;
    expect((await shop.admin.put(`/api/products/${omelette}/recipe`, { ingredients: [{ productId: oeuf, quantity: 3 }] })).status).toBe(
      200,
    );
    rodez = (await shop.admin.post('/api/sites', { code: 'rodez', name: 'Tiers-lieu de Rodez', outlets: ['shop', 'restaurant'] })).body.id;
    for (const site of [1, rodez])
      expect(
        (
          await shop.admin.request(
            'POST',
            '/api/stock/deposits',
            { producerId: ferme.id, lines: [{ productId: oeuf, quantity: 30 }] },
            at(site),
          )
        ).status,
      ).toBe(201);
    rodezTill = (await shop.admin.request('POST', '/api/tills', { outlet: 'restaurant', name: 'Bar Rodez' }, at(rodez))).body.id;
    castresTill = (await shop.admin.post('/api/tills', { outlet: 'restaurant', name: 'Bar Castres' })).body.id;
    rodezBar = (await aUser(shop, 'cashier', { tillId: rodezTill })).client;
    castresBar = (await aUser(shop, 'cashier', { tillId: castresTill })).client;
    expect((await shop.admin.put(`/api/sites/${rodez}/prices/${oeuf}`, { priceCents: 60 })).status).toBe(200);
    // Past the grace a till has to learn of a new price (server/catalog/prices.ts).
    clock += 5 * 60_000;
  });
  afterAll(() => shop.close());

  const omelettes = (tillId: number, quantity: number) => ({
    id: uuidv7(),
    tillId,
    number: 1,
    createdAt: new Date(clock).toISOString(),
    lines: [{ productId: omelette, quantity, unitPriceCents: 1250 }],
    payments: [{ method: 'card', amountCents: quantity * 1250 }],
    totalCents: quantity * 1250,
  });

  it('pays the eggs of Rodez’s omelettes and of its cook’s own use at Rodez’s price, Castres’ at the network’s', async () => {
    expect((await rodezBar.post('/api/sales', omelettes(rodezTill, 2))).status).toBe(201);
    expect((await castresBar.post('/api/sales', omelettes(castresTill, 1))).status).toBe(201);
    const use = (site: number, quantity: number) =>
      shop.admin.request('POST', '/api/stock/kitchen', { note: 'Mayonnaise', lines: [{ productId: oeuf, quantity }] }, at(site));
    expect((await use(rodez, 2)).status).toBe(201);
    expect((await use(1, 1)).status).toBe(201);

    const draft = (await shop.admin.get(`/api/producers/${ferme.id}/statement?from=${today()}&to=${today()}`)).body;
    expect(draft.sites.map((s: { name: string; kitchenCents: number }) => [s.name, s.kitchenCents]).sort()).toEqual(
      [
        ['Les Halles de la Durenque', 220],
        ['Tiers-lieu de Rodez', 480],
      ].sort(),
    );
    expect(draft.totals.kitchenCents).toBe(700);
    // Each shelf gave its own eggs: Rodez 30 − 6 − 2 = 22, Castres 30 − 3 − 1 = 26.
    const onHand = async (site: number) =>
      (await shop.admin.request('GET', '/api/stock', undefined, at(site))).body.find((r: { productId: number }) => r.productId === oeuf)
        .onHand;
    expect(await onHand(rodez)).toBe(22);
    expect(await onHand(1)).toBe(26);
    // The egg's ledger says which shelf each movement was on, for the network's manager and for the producer.
    const producer = (await aUser(shop, 'producer', { producerId: ferme.id })).client;
    for (const who of [shop.admin, producer]) {
      const moves = (await who.get(`/api/products/${oeuf}/movements`)).body as { kind: string; quantity: number; site: string }[];
      expect(moves.map((m) => [m.kind, m.quantity, m.site]).reverse()).toEqual([
        ['deposit', 30, 'Les Halles de la Durenque'],
        ['deposit', 30, 'Tiers-lieu de Rodez'],
        ['kitchen', -6, 'Tiers-lieu de Rodez'],
        ['kitchen', -3, 'Les Halles de la Durenque'],
        ['kitchen', -2, 'Tiers-lieu de Rodez'],
        ['kitchen', -1, 'Les Halles de la Durenque'],
      ]);
    }
  });
});
