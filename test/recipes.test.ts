import { io, type Socket } from 'socket.io-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ClientToServerEvents, DishAvailabilityEvent, ServerToClientEvents, StockChangedEvent } from '../shared/realtime.ts';
import { ADMIN, aProducer, aProduct, aUser, startTestShop, type Client, type TestShop, allowDaysWithoutZ } from './support/harness.ts';
import { shopSql } from './support/shop-sql.ts';
import { uuidv7 } from './support/tickets.ts';
import { until } from './support/wait.ts';

/**
 * Dishes cooked with the producers' goods, every figure worked out by hand below.
 *
 * Producers: A Bergerie du Montalet (20 %), B Volailles du Sor (15 %), C Salaisons de Lacaune (20 %).
 * Their goods (all 5,5 %): Tomme de brebis (A) 25,90 €/kg; Œuf plein air (B) 0,55 € each;
 *   Saucisson sec (C) 34,90 €/kg.
 * Dishes of the house (10 %, restaurant):
 *   Omelette au brebis 12,50 €: 3 eggs + 60 g of tomme.
 *     eggs 3 × 55 = 165; tomme 2590 × 60 / 1000 = 155,4 -> 155. Food cost 165 + 155 = 320.
 *     HT 1250 × 10000 / 11000 = 1136,36 -> 1136. Margin 1136 − 320 = 816. Ratio 320 / 1136 = 28,169 % -> 2817 bp.
 *   Planche du berger 14,90 €: 80 g of saucisson + 120 g of tomme.
 *     saucisson 3490 × 80 / 1000 = 279,2 -> 279; tomme 2590 × 120 / 1000 = 310,8 -> 311. Food cost 590.
 *     HT 1490 × 10000 / 11000 = 1354,55 -> 1355. Margin 1355 − 590 = 765. Ratio 590 / 1355 = 43,542 % -> 4354 bp.
 *
 * Stock deposited on 2026-11-02: tomme 2 000 g, eggs 10, saucisson 1 000 g.
 *
 * November 2026 (Paris is UTC+1):
 *   S1 (10/11, shop till, n° 1) Tomme 500 g: 2590 × 500 / 1000 = 1295, card.               A sale, 20 % commission.
 *   R1 (10/11, Bar till, n° 1) 2 × Omelette = 2500 + 1 × Planche = 1490: 3990, card. Kitchen movements:
 *     line 1 Omelette × 2: eggs −6 at 55 = 330 (B); tomme −120 g at 25,90 = 310,8 -> 311 (A)
 *        (one movement for the two portions: 311, not 2 × 155 = 310, shared/recipes.ts says why);
 *     line 2 Planche × 1: saucisson −80 g at 34,90 = 279,2 -> 279 (C); tomme −120 g = 311 (A).
 *   The same ticket sent again (the till's outbox retrying): nothing more.
 *   R2 (12/11, Bar till, n° 2) table 4's order paid: 1 × Omelette, 1250 cash.
 *     eggs −3 = 165 (B); tomme −60 g = 155 (A).
 *   R3 (14/11, Bar till, n° 3) refund of R1's planche: −1490. The food was cooked: nothing comes back.
 *   A training till sells an omelette: no movement at all.
 *
 * Stock after: tomme 2000 − 500 − 120 − 120 − 60 = 1200 g; eggs 10 − 6 − 3 = 1; saucisson 1000 − 80 = 920 g.
 *   One omelette takes 3 eggs > 1 on the shelf: the Omelette is flagged; the Planche is not.
 *
 * November statements (kitchen use paid at the shelf price, no commission; VAT per rate on the goods):
 *   A: sales 1295, kitchen 311 + 311 + 155 = 777; goods 2072 at 5,5 %: HT 2072 / 1,055 = 1963,98 -> 1964, VAT 108.
 *      Commission 20 % of 1295 = 259, its VAT 20 % = 51,8 -> 52: 311. Owed 2072 − 311 = 1761.
 *   B: kitchen 330 + 165 = 495; HT 495 / 1,055 = 469,19 -> 469, VAT 26. No commission: owed 495.
 *   C: kitchen 279; HT 279 / 1,055 = 264,45 -> 264, VAT 15. Owed 279.
 */
describe('a dish with a recipe: kitchen movements and the producers’ statements, to the cent', () => {
  let shop: TestShop;
  let clock = new Date('2026-11-02T08:00:00Z');
  let cashier: Client;
  let bar: Client;
  let barTill: number;
  const ids = {} as Record<'a' | 'b' | 'c' | 'tomme' | 'oeuf' | 'saucisson' | 'omelette' | 'planche', number>;
  let r1: any;
  let r1Body: any;
  let barNumber = 0;

  async function at(iso: string) {
    clock = new Date(iso);
    // Staff sessions last 12 hours: log in again at the new time.
    expect((await shop.admin.post('/api/auth/login', ADMIN)).status).toBe(200);
  }
  const kitchenMoves = async (productId: number) =>
    ((await shop.admin.get(`/api/products/${productId}/movements`)).body as any[])
      .filter((m) => m.kind === 'kitchen')
      .reverse()
      .map((m) => [m.quantity, m.note]);
  const onHand = async (id: number) => (await shop.admin.get(`/api/products/${id}`)).body.onHand;

  beforeAll(async () => {
    shop = await startTestShop({ now: () => clock });
    await allowDaysWithoutZ(shop.admin);
    const a = await aProducer(shop.admin, { name: 'Bergerie du Montalet', commissionBp: 2000 });
    const b = await aProducer(shop.admin, { name: 'Volailles du Sor', commissionBp: 1500 });
    const c = await aProducer(shop.admin, { name: 'Salaisons de Lacaune', commissionBp: 2000 });
    Object.assign(ids, { a: a.id, b: b.id, c: c.id });
    const goods = { vatRateBp: 550, outlets: ['shop', 'restaurant'] };
    ids.tomme = (await aProduct(shop.admin, { ...goods, name: 'Tomme de brebis', producerId: a.id, unit: 'kg', priceCents: 2590 })).id;
    ids.oeuf = (await aProduct(shop.admin, { ...goods, name: 'Œuf plein air', producerId: b.id, priceCents: 55 })).id;
    ids.saucisson = (await aProduct(shop.admin, { ...goods, name: 'Saucisson sec', producerId: c.id, unit: 'kg', priceCents: 3490 })).id;
    const dish = { producerId: null, vatRateBp: 1000, outlets: ['restaurant'], stockTracked: false };
    ids.omelette = (await aProduct(shop.admin, { ...dish, name: 'Omelette au brebis', priceCents: 1250 })).id;
    ids.planche = (await aProduct(shop.admin, { ...dish, name: 'Planche du berger', priceCents: 1490 })).id;
    await shop.admin.post('/api/stock/deposits', { producerId: a.id, lines: [{ productId: ids.tomme, quantity: 2000 }] });
    await shop.admin.post('/api/stock/deposits', { producerId: b.id, lines: [{ productId: ids.oeuf, quantity: 10 }] });
    await shop.admin.post('/api/stock/deposits', { producerId: c.id, lines: [{ productId: ids.saucisson, quantity: 1000 }] });
    const till = await shop.admin.post('/api/tills', { outlet: 'restaurant', name: 'Bar' });
    expect(till.status).toBe(201);
    barTill = till.body.id;
    // A manager whose PIN approves the refund.
    expect(
      (
        await shop.admin.post('/api/users', {
          login: 'chef',
          displayName: 'Cheffe',
          role: 'manager',
          password: 'mot-de-passe-long',
          pin: '9876',
        })
      ).status,
    ).toBe(201);
  });
  afterAll(() => shop.close());

  const barSale = (createdAt: string, lines: object[], totalCents: number, payments: object[], extra: object = {}) => ({
    id: uuidv7(),
    tillId: barTill,
    number: ++barNumber,
    createdAt,
    lines,
    payments,
    totalCents,
    ...extra,
  });

  it('keeps a dish’s recipe and answers its food cost and margin', async () => {
    const omelette = await shop.admin.put(`/api/products/${ids.omelette}/recipe`, {
      ingredients: [
        { productId: ids.oeuf, quantity: 3 },
        { productId: ids.tomme, quantity: 60 },
      ],
    });
    expect(omelette.status, JSON.stringify(omelette.body)).toBe(200);
    expect(omelette.body).toMatchObject({
      dishId: ids.omelette,
      dishName: 'Omelette au brebis',
      priceCents: 1250,
      vatRateBp: 1000,
      priceExclVatCents: 1136,
      foodCostCents: 320,
      marginCents: 816,
      foodCostRateBp: 2817,
      ingredientsShort: false,
      // Eggs 10 / 3 = 3 portions, tomme 2000 / 60 = 33: 3.
      portionsAvailable: 3,
    });
    expect(omelette.body.ingredients.map((i: any) => [i.name, i.producerName, i.unit, i.quantity, i.priceCents, i.costCents])).toEqual([
      ['Œuf plein air', 'Volailles du Sor', 'piece', 3, 55, 165],
      ['Tomme de brebis', 'Bergerie du Montalet', 'kg', 60, 2590, 155],
    ]);
    const planche = await shop.admin.put(`/api/products/${ids.planche}/recipe`, {
      ingredients: [
        { productId: ids.saucisson, quantity: 80 },
        { productId: ids.tomme, quantity: 120 },
      ],
    });
    expect(planche.body).toMatchObject({ priceExclVatCents: 1355, foodCostCents: 590, marginCents: 765, foodCostRateBp: 4354 });
    expect(planche.body.ingredients.map((i: any) => i.costCents)).toEqual([279, 311]);
    const list = (await shop.admin.get('/api/recipes')).body;
    expect(list.map((r: any) => [r.dishName, r.foodCostCents, r.marginCents])).toEqual([
      ['Omelette au brebis', 320, 816],
      ['Planche du berger', 590, 765],
    ]);
    expect((await shop.admin.get(`/api/products/${ids.planche}/recipe`)).body).toEqual(planche.body);
    // Each change is in the chained event log, with the recipe before and after.
    const q = await shopSql(shop);
    const events = await q.all(`select subject, data from events where kind = 'recipe.changed' order by id`);
    await q.close();
    expect(events.map((e) => [e.subject, JSON.parse(e.data)])).toEqual([
      [
        `product:${ids.omelette}`,
        {
          before: [],
          after: [
            [ids.oeuf, 3],
            [ids.tomme, 60],
          ],
        },
      ],
      [
        `product:${ids.planche}`,
        {
          before: [],
          after: [
            [ids.saucisson, 80],
            [ids.tomme, 120],
          ],
        },
      ],
    ]);
  });

  it('records each dish line’s ingredients as kitchen movements of the ticket, once however often it is sent', async () => {
    await at('2026-11-10T10:00:00Z');
    cashier = (await aUser(shop, 'cashier', { tillId: 1 })).client;
    const s1 = await cashier.post('/api/sales', {
      id: uuidv7(),
      tillId: 1,
      number: 1,
      createdAt: '2026-11-10T09:55:00Z',
      lines: [{ productId: ids.tomme, grams: 500, unitPriceCents: 2590 }],
      payments: [{ method: 'card', amountCents: 1295 }],
      totalCents: 1295,
    });
    expect(s1.status, JSON.stringify(s1.body)).toBe(201);

    await at('2026-11-10T12:30:00Z');
    bar = (await aUser(shop, 'waiter', { tillId: barTill })).client;
    r1Body = barSale(
      '2026-11-10T12:25:00Z',
      [
        { productId: ids.omelette, quantity: 2, unitPriceCents: 1250 },
        { productId: ids.planche, quantity: 1, unitPriceCents: 1490 },
      ],
      3990,
      [{ method: 'card', amountCents: 3990 }],
    );
    const res = await bar.post('/api/sales', r1Body);
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    r1 = res.body;
    expect(r1.number).toBe(1);

    const again = await bar.post('/api/sales', r1Body);
    expect(again.status).toBe(200);
    expect(again.body.id).toBe(r1.id);

    // Eggs −6 for the two omelettes; tomme −120 g (2 × 60) and −120 g for the planche; saucisson −80 g.
    expect(await kitchenMoves(ids.oeuf)).toEqual([[-6, 'Bar · n° 1 · Omelette au brebis × 2']]);
    expect(await kitchenMoves(ids.tomme)).toEqual([
      [-120, 'Bar · n° 1 · Omelette au brebis × 2'],
      [-120, 'Bar · n° 1 · Planche du berger × 1'],
    ]);
    expect(await kitchenMoves(ids.saucisson)).toEqual([[-80, 'Bar · n° 1 · Planche du berger × 1']]);
    const tommeLedger = (await shop.admin.get(`/api/products/${ids.tomme}/movements`)).body as any[];
    expect(tommeLedger.filter((m) => m.kind === 'kitchen').every((m) => m.saleId === r1.id)).toBe(true);
    // 2000 − 500 sold − 240 cooked = 1260 g.
    expect(await onHand(ids.tomme)).toBe(1260);
    expect(await onHand(ids.oeuf)).toBe(4);
    // The price each producer is paid is the shelf price of that moment, kept on the movement.
    const q = await shopSql(shop);
    const priced = await q.all(`select product_id, quantity, unit_price_cents from stock_movements where kind = 'kitchen' order by id`);
    await q.close();
    expect(priced).toEqual([
      { product_id: ids.oeuf, quantity: -6, unit_price_cents: 55 },
      { product_id: ids.tomme, quantity: -120, unit_price_cents: 2590 },
      { product_id: ids.saucisson, quantity: -80, unit_price_cents: 3490 },
      { product_id: ids.tomme, quantity: -120, unit_price_cents: 2590 },
    ]);
  });

  it('records them the same way when the dish is paid as part of a table’s order', async () => {
    await at('2026-11-12T12:00:00Z');
    bar = (await aUser(shop, 'waiter', { tillId: barTill })).client;
    const room = await shop.admin.post('/api/rooms', { name: 'Salle' });
    const table = await shop.admin.post(`/api/rooms/${room.body.id}/tables`, { name: '4', seats: 2 });
    const order = uuidv7();
    const op = (body: object) => bar.post(`/api/orders/${order}/ops`, { id: uuidv7(), at: clock.toISOString(), ...body });
    expect((await op({ kind: 'open', tableId: table.body.id, covers: 1 })).status).toBe(201);
    const lineId = uuidv7();
    expect((await op({ kind: 'add', lineId, productId: ids.omelette, quantity: 1 })).status).toBe(201);
    await at('2026-11-12T13:00:00Z');
    bar = (await aUser(shop, 'waiter', { tillId: barTill })).client;
    const paid = await bar.post(
      '/api/sales',
      barSale(
        '2026-11-12T12:55:00Z',
        [{ productId: ids.omelette, quantity: 1, unitPriceCents: 1250 }],
        1250,
        [{ method: 'cash', amountCents: 1250 }],
        {
          order: { id: order, lines: [{ lineId, quantity: 1 }] },
        },
      ),
    );
    expect(paid.status, JSON.stringify(paid.body)).toBe(201);
    expect((await kitchenMoves(ids.oeuf)).at(-1)).toEqual([-3, 'Bar · n° 2 · Omelette au brebis × 1']);
    expect((await kitchenMoves(ids.tomme)).at(-1)).toEqual([-60, 'Bar · n° 2 · Omelette au brebis × 1']);
    // 1260 − 60 = 1200 g; 4 − 3 = 1 egg.
    expect(await onHand(ids.tomme)).toBe(1200);
    expect(await onHand(ids.oeuf)).toBe(1);
  });

  it('gives nothing back when a dish is refunded: its ingredients were cooked', async () => {
    await at('2026-11-14T11:00:00Z');
    bar = (await aUser(shop, 'waiter', { tillId: barTill })).client;
    const refund = await bar.post('/api/refunds', {
      id: uuidv7(),
      tillId: barTill,
      number: ++barNumber,
      createdAt: '2026-11-14T10:55:00Z',
      refundOf: r1.id,
      reason: 'Planche renvoyée',
      lines: [{ lineNo: 2, quantity: 1 }],
      payments: [{ method: 'card', amountCents: -1490 }],
      totalCents: -1490,
      approvalPin: '9876',
    });
    expect(refund.status, JSON.stringify(refund.body)).toBe(201);
    expect(await kitchenMoves(ids.saucisson)).toEqual([[-80, 'Bar · n° 1 · Planche du berger × 1']]);
    expect(await onHand(ids.saucisson)).toBe(920);
    expect(await onHand(ids.tomme)).toBe(1200);
  });

  it('flags a dish whose ingredients are short, in the till’s catalogue and the product', async () => {
    // 1 egg left, an omelette takes 3; the planche's 80 g of 920 and 120 g of 1200 are there.
    const catalog = (await shop.admin.get('/api/catalog?outlet=restaurant')).body;
    const flag = (id: number) => catalog.products.find((p: any) => p.id === id).ingredientsShort;
    expect([flag(ids.omelette), flag(ids.planche), flag(ids.tomme)]).toEqual([true, false, false]);
    expect((await shop.admin.get(`/api/products/${ids.omelette}`)).body.ingredientsShort).toBe(true);
    const recipe = (await shop.admin.get(`/api/products/${ids.omelette}/recipe`)).body;
    expect(recipe).toMatchObject({ ingredientsShort: true, portionsAvailable: 0 });
    expect(recipe.ingredients.map((i: any) => [i.name, i.onHand, i.short])).toEqual([
      ['Œuf plein air', 1, true],
      ['Tomme de brebis', 1200, false],
    ]);
    // Eggs delivered: the flag goes.
    await shop.admin.post('/api/stock/deposits', { producerId: ids.b, lines: [{ productId: ids.oeuf, quantity: 2 }] });
    expect((await shop.admin.get(`/api/products/${ids.omelette}`)).body.ingredientsShort).toBe(false);
  });

  it('moves no stock for a dish sold on a till in training mode', async () => {
    const training = await shop.admin.post('/api/tills', { outlet: 'restaurant', name: 'Formation' });
    expect((await shop.admin.patch(`/api/tills/${training.body.id}`, { trainingMode: true })).status).toBe(200);
    const trainee = (await aUser(shop, 'waiter', { tillId: training.body.id })).client;
    const res = await trainee.post('/api/sales', {
      id: uuidv7(),
      tillId: training.body.id,
      number: 1,
      createdAt: clock.toISOString(),
      lines: [{ productId: ids.omelette, quantity: 1, unitPriceCents: 1250 }],
      payments: [{ method: 'cash', amountCents: 1250 }],
      totalCents: 1250,
    });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    expect(res.body.training).toBe(true);
    // Eggs as the deposit left them: 1 + 2 = 3; the tomme's kitchen movements are still the three above.
    expect(await onHand(ids.oeuf)).toBe(3);
    expect(await kitchenMoves(ids.tomme)).toHaveLength(3);
  });

  it('pays each producer for what the dishes took, at the shelf price and without commission', async () => {
    await at('2026-12-01T09:00:00Z');
    const nov = 'from=2026-11-01&to=2026-11-30';
    const a = (await shop.admin.get(`/api/producers/${ids.a}/statement?${nov}`)).body;
    expect(
      a.items.map((i: any) => [i.kind, i.day, i.reference, i.name, i.quantity, i.unitPriceCents, i.amountCents, i.commissionBp]),
    ).toEqual([
      ['sale', '2026-11-10', 'Caisse 1 · n° 1', 'Tomme de brebis', 500, 2590, 1295, 2000],
      ['kitchen', '2026-11-10', 'Bar · n° 1 · Omelette au brebis × 2', 'Tomme de brebis', 120, 2590, 311, 0],
      ['kitchen', '2026-11-10', 'Bar · n° 1 · Planche du berger × 1', 'Tomme de brebis', 120, 2590, 311, 0],
      ['kitchen', '2026-11-12', 'Bar · n° 2 · Omelette au brebis × 1', 'Tomme de brebis', 60, 2590, 155, 0],
    ]);
    expect(a.totals).toEqual({
      salesCents: 1295,
      refundsCents: 0,
      kitchenCents: 777,
      grossCents: 2072,
      vat: [{ vatRateBp: 550, grossCents: 2072, netCents: 1964, vatCents: 108 }],
      commission: [{ rateBp: 2000, baseCents: 1295, commissionCents: 259 }],
      commissionNetCents: 259,
      commissionVatRateBp: 2000,
      commissionVatCents: 52,
      commissionGrossCents: 311,
      netOwedCents: 1761,
    });
    const b = (await shop.admin.get(`/api/producers/${ids.b}/statement?${nov}`)).body;
    expect(b.items.map((i: any) => [i.kind, i.quantity, i.amountCents])).toEqual([
      ['kitchen', 6, 330],
      ['kitchen', 3, 165],
    ]);
    expect(b.totals).toMatchObject({
      salesCents: 0,
      kitchenCents: 495,
      grossCents: 495,
      vat: [{ vatRateBp: 550, grossCents: 495, netCents: 469, vatCents: 26 }],
      commission: [],
      commissionGrossCents: 0,
      netOwedCents: 495,
    });
    const c = (await shop.admin.get(`/api/producers/${ids.c}/statement?${nov}`)).body;
    expect(c.totals).toMatchObject({
      kitchenCents: 279,
      vat: [{ vatRateBp: 550, grossCents: 279, netCents: 264, vatCents: 15 }],
      netOwedCents: 279,
    });

    // Issued, the statement says the same; the producer sees it, and why their goods left the shelf.
    const issued = await shop.admin.post(`/api/producers/${ids.b}/statements`, { from: '2026-11-01', to: '2026-11-30' });
    expect(issued.status, JSON.stringify(issued.body)).toBe(201);
    expect(issued.body.totals.netOwedCents).toBe(495);
    const producer = (await aUser(shop, 'producer', { producerId: ids.b })).client;
    expect((await producer.get(`/api/statements/${issued.body.id}`)).body.totals.kitchenCents).toBe(495);
    const seen = (await producer.get(`/api/products/${ids.oeuf}/movements`)).body as any[];
    expect(seen.filter((m) => m.kind === 'kitchen').map((m) => [m.quantity, m.note, m.by])).toEqual([
      [-3, 'Bar · n° 2 · Omelette au brebis × 1', null],
      [-6, 'Bar · n° 1 · Omelette au brebis × 2', null],
    ]);
    // A producer does not read the house's recipes.
    expect((await producer.get(`/api/products/${ids.omelette}/recipe`)).status).toBe(403);
  });
});

describe('a recipe refused, naming the field', () => {
  let shop: TestShop;
  const ids = {} as Record<'p' | 'dish' | 'faisselle' | 'old' | 'untracked' | 'house' | 'producerDish' | 'weighedDish', number>;

  beforeAll(async () => {
    shop = await startTestShop();
    const p = await aProducer(shop.admin, { name: 'Ferme du Sidobre' });
    ids.p = p.id;
    ids.dish = (
      await aProduct(shop.admin, {
        name: 'Salade du Sidobre',
        outlets: ['restaurant'],
        vatRateBp: 1000,
        stockTracked: false,
        priceCents: 1100,
      })
    ).id;
    ids.faisselle = (await aProduct(shop.admin, { name: 'Faisselle', producerId: p.id, priceCents: 280 })).id;
    ids.old = (await aProduct(shop.admin, { name: 'Ancienne tomme', producerId: p.id, priceCents: 900 })).id;
    expect((await shop.admin.patch(`/api/products/${ids.old}`, { active: false })).status).toBe(200);
    ids.untracked = (await aProduct(shop.admin, { name: 'Panier garni', producerId: p.id, stockTracked: false })).id;
    ids.house = (await aProduct(shop.admin, { name: 'Farine de la maison', producerId: null })).id;
    ids.producerDish = (await aProduct(shop.admin, { name: 'Tourte du producteur', producerId: p.id, priceCents: 1500 })).id;
    ids.weighedDish = (
      await aProduct(shop.admin, { name: 'Salade au poids', producerId: null, unit: 'kg', stockTracked: false, priceCents: 2200 })
    ).id;
    expect(
      (await shop.admin.put(`/api/products/${ids.dish}/recipe`, { ingredients: [{ productId: ids.faisselle, quantity: 1 }] })).status,
    ).toBe(200);
  });
  afterAll(() => shop.close());

  const put = (dish: number, ingredients: unknown) => shop.admin.put(`/api/products/${dish}/recipe`, { ingredients });

  it.each([
    ['an unknown ingredient', () => [{ productId: 999_999, quantity: 1 }], 'ingredients.0.productId', /inconnu/],
    ['a disabled ingredient', () => [{ productId: ids.old, quantity: 1 }], 'ingredients.0.productId', /désactivé/],
    ['the dish itself', () => [{ productId: ids.dish, quantity: 1 }], 'ingredients.0.productId', /propre ingrédient/],
    ['an ingredient without stock', () => [{ productId: ids.untracked, quantity: 1 }], 'ingredients.0.productId', /suivi de stock/],
    ['a house product', () => [{ productId: ids.house, quantity: 1 }], 'ingredients.0.productId', /maison/],
    [
      'the same ingredient twice',
      () => [
        { productId: ids.faisselle, quantity: 1 },
        { productId: ids.faisselle, quantity: 2 },
      ],
      'ingredients.1.productId',
      /deux fois/,
    ],
    ['more pieces than a portion takes', () => [{ productId: ids.faisselle, quantity: 101 }], 'ingredients.0.quantity', /au plus 100/],
    ['a zero quantity', () => [{ productId: ids.faisselle, quantity: 0 }], 'body.ingredients.0.quantity', /supérieure à zéro/],
    ['a negative quantity', () => [{ productId: ids.faisselle, quantity: -2 }], 'body.ingredients.0.quantity', /supérieure à zéro/],
    ['a fractional quantity', () => [{ productId: ids.faisselle, quantity: 1.5 }], 'body.ingredients.0.quantity', /entière/],
    [
      'more than 30 ingredients',
      () => Array.from({ length: 31 }, () => ({ productId: ids.faisselle, quantity: 1 })),
      'body.ingredients',
      /au plus 30/,
    ],
  ])('refuses %s and keeps the recipe it had', async (_what, ingredients, field, reason) => {
    const res = await put(ids.dish, ingredients());
    expect(res.status, JSON.stringify(res.body)).toBe(400);
    expect(res.body.error.fields[0].field).toBe(field);
    expect(res.body.error.fields[0].reason).toMatch(reason);
    const kept = (await shop.admin.get(`/api/products/${ids.dish}/recipe`)).body;
    expect(kept.ingredients.map((i: any) => [i.productId, i.quantity])).toEqual([[ids.faisselle, 1]]);
  });

  it('refuses a recipe on a producer’s product or on a dish sold by weight, and an unknown dish', async () => {
    const owned = await put(ids.producerDish, [{ productId: ids.faisselle, quantity: 1 }]);
    expect(owned.status).toBe(400);
    expect(owned.body.error.fields[0]).toMatchObject({ field: 'id', reason: expect.stringMatching(/maison/) });
    const weighed = await put(ids.weighedDish, [{ productId: ids.faisselle, quantity: 1 }]);
    expect(weighed.status).toBe(400);
    expect(weighed.body.error.fields[0]).toMatchObject({ field: 'id', reason: expect.stringMatching(/poids/) });
    expect((await put(999_999, [])).status).toBe(404);
  });

  it('lets only managers change a recipe, and takes it off with an empty list', async () => {
    const waiter = (await aUser(shop, 'waiter')).client;
    expect((await waiter.put(`/api/products/${ids.dish}/recipe`, { ingredients: [] })).status).toBe(403);
    expect((await waiter.get(`/api/products/${ids.dish}/recipe`)).status).toBe(403);
    const off = await put(ids.dish, []);
    expect(off.status).toBe(200);
    // 1100 × 10000 / 11000 = 1000 HT; nothing in it costs anything.
    expect(off.body).toMatchObject({ ingredients: [], foodCostCents: 0, marginCents: 1000, foodCostRateBp: 0, portionsAvailable: null });
    expect((await shop.admin.get('/api/recipes')).body).toEqual([]);
  });
});

describe('the waiters hear when a dish runs short of an ingredient', () => {
  let shop: TestShop;
  let socket: Socket<ServerToClientEvents, ClientToServerEvents> | undefined;
  afterAll(async () => {
    socket?.close();
    await shop.close();
  });

  it('sends the ingredients’ new stock and the dish’s flag after a sale that uses the last of them', async () => {
    shop = await startTestShop();
    const p = await aProducer(shop.admin, { name: 'Volailles du Sor' });
    const oeuf = await aProduct(shop.admin, { name: 'Œuf plein air', producerId: p.id, priceCents: 55, outlets: ['shop', 'restaurant'] });
    const omelette = await aProduct(shop.admin, {
      name: 'Omelette',
      priceCents: 900,
      vatRateBp: 1000,
      stockTracked: false,
      outlets: ['restaurant'],
    });
    await shop.admin.post('/api/stock/deposits', { producerId: p.id, lines: [{ productId: oeuf.id, quantity: 4 }] });
    expect(
      (await shop.admin.put(`/api/products/${omelette.id}/recipe`, { ingredients: [{ productId: oeuf.id, quantity: 3 }] })).status,
    ).toBe(200);
    const till = await shop.admin.post('/api/tills', { outlet: 'restaurant', name: 'Bar' });
    const waiter = (await aUser(shop, 'waiter', { tillId: till.body.id })).client;
    const heardStock: StockChangedEvent[] = [];
    const heardDishes: DishAvailabilityEvent[] = [];
    socket = await new Promise<Socket<ServerToClientEvents, ClientToServerEvents>>((resolve, reject) => {
      const s: Socket<ServerToClientEvents, ClientToServerEvents> = io(shop.url, {
        transports: ['websocket'],
        extraHeaders: { cookie: waiter.cookieHeader() },
        reconnection: false,
      });
      s.once('connect', () => resolve(s));
      s.once('connect_error', reject);
    });
    socket.on('stock:changed', (events) => heardStock.push(...events));
    socket.on('dishes:availability', (events) => heardDishes.push(...events));
    const sale = await waiter.post('/api/sales', {
      id: uuidv7(),
      tillId: till.body.id,
      number: 1,
      createdAt: new Date().toISOString(),
      lines: [{ productId: omelette.id, quantity: 1, unitPriceCents: 900 }],
      payments: [{ method: 'cash', amountCents: 900 }],
      totalCents: 900,
    });
    expect(sale.status, JSON.stringify(sale.body)).toBe(201);
    // 4 eggs − 3 = 1 left, an omelette takes 3: flagged.
    await until('the eggs’ stock heard', () => heardStock.find((e) => e.productId === oeuf.id));
    expect(heardStock.find((e) => e.productId === oeuf.id)).toMatchObject({ onHand: 1 });
    await until('the omelette’s flag heard', () => heardDishes.find((e) => e.productId === omelette.id));
    expect(heardDishes).toEqual([{ productId: omelette.id, ingredientsShort: true }]);
  });
});
