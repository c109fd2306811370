import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { OrderView } from '../shared/api/restaurant.ts';
import { decodeEscPos } from './support/escpos-decoder.ts';
import { aCategory, aProduct, aUser, startTestShop, type Client, type TestShop } from './support/harness.ts';
import { uuidv7 } from './support/tickets.ts';
import { until } from './support/wait.ts';

// A dish's modifiers (cuisson, suppléments) chosen by the waiter, checked, priced and printed; and the VAT of
// an order to take away, line by line, to the cent, through the tickets and the Z.

const at = () => new Date().toISOString();
/** The shop's business day (Paris), not UTC's. */
const today = () => new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/Paris' }).format(new Date());

/** What a file printer received in `dir`, decoded, oldest first, each as its printed lines. */
function printed(shop: TestShop, dir: string, suffix = '.bin'): string[][] {
  const full = path.join(shop.dataDir, dir);
  if (!fs.existsSync(full)) return [];
  return fs
    .readdirSync(full)
    .filter((f) => f.endsWith(suffix))
    .sort()
    .map((f) =>
      decodeEscPos(fs.readFileSync(path.join(full, f)))
        .text.replace(/[\u00a0\u202f]/g, ' ')
        .split('\n'),
    );
}

interface Group {
  id: number;
  name: string;
  min: number;
  max: number;
  options: { id: number; name: string; priceCents: number; active: boolean }[];
}

async function restaurantSetup(shop: TestShop) {
  const admin = shop.admin;
  const till = await admin.post('/api/tills', { outlet: 'restaurant', name: 'Salle 1' });
  expect(till.status).toBe(201);
  const kitchenPrinter = await admin.post('/api/printers', {
    name: 'Cuisine',
    role: 'kitchen',
    uri: 'file:cuisine',
    columns: 48,
    codePage: 'pc858',
    drawer: false,
  });
  const kitchen = await admin.post('/api/stations', { name: 'Cuisine', printerId: kitchenPrinter.body.id });
  const dishes = await aCategory(admin, { name: 'Plats' });
  expect((await admin.put(`/api/categories/${dishes.id}/station`, { stationId: kitchen.body.id })).status).toBe(200);
  const salle = await admin.post('/api/printers', { name: 'Salle', role: 'receipt', uri: 'file:salle', columns: 48, codePage: 'pc858' });
  expect((await admin.patch(`/api/tills/${till.body.id}`, { printerId: salle.body.id })).status).toBe(200);
  const burger = (
    await aProduct(admin, {
      name: 'Burger',
      producerId: null,
      outlets: ['restaurant'],
      priceCents: 1450,
      vatRateBp: 1000,
      categoryId: dishes.id,
      course: 'main',
    })
  ).id;
  const room = await admin.post('/api/rooms', { name: 'Salle' });
  const tables: number[] = [];
  for (const name of ['1', '2', '3']) tables.push((await admin.post(`/api/rooms/${room.body.id}/tables`, { name, seats: 4 })).body.id);
  const waiter = (await aUser(shop, 'waiter', { tillId: till.body.id })).client;
  return { tillId: till.body.id as number, burger, tables, waiter };
}

describe('a dish’s modifiers', () => {
  let shop: TestShop;
  let waiter: Client;
  let burger: number;
  let tables: number[];
  let tillId: number;
  let groups: Group[];
  const order = uuidv7();
  const op = (body: Record<string, unknown>, orderId = order) =>
    waiter.post(`/api/orders/${orderId}/ops`, { id: uuidv7(), at: at(), ...body });
  const current = async () => (await waiter.get(`/api/orders/${order}`)).body as OrderView;
  const option = (name: string) => groups.flatMap((g) => g.options).find((o) => o.name === name)!.id;

  beforeAll(async () => {
    shop = await startTestShop();
    ({ waiter, burger, tables, tillId } = await restaurantSetup(shop));
  });
  afterAll(() => shop.close());

  it('are defined per product by a manager, and refused with the field named when they do not hold together', async () => {
    const cuisson = {
      name: 'Cuisson',
      min: 1,
      max: 1,
      options: ['Saignant', 'À point', 'Bien cuit'].map((name) => ({ name, priceCents: 0 })),
    };
    const supplements = {
      name: 'Suppléments',
      min: 0,
      max: 2,
      options: [
        { name: 'Supplément fromage', priceCents: 150 },
        { name: 'Œuf au plat', priceCents: 100 },
      ],
    };
    // Three suppléments at most out of two options; a minimum above the maximum; one option named twice.
    const tooMany = await shop.admin.put(`/api/products/${burger}/modifiers`, { groups: [cuisson, { ...supplements, max: 3 }] });
    expect(tooMany.status).toBe(400);
    expect(tooMany.body.error.fields).toEqual([{ field: 'groups.1.max', reason: 'au plus 2 (le nombre d’options)' }]);
    const upsideDown = await shop.admin.put(`/api/products/${burger}/modifiers`, { groups: [{ ...cuisson, min: 2 }] });
    expect(upsideDown.status).toBe(400);
    expect(upsideDown.body.error.fields[0].field).toBe('body.groups.0.min');
    const twice = await shop.admin.put(`/api/products/${burger}/modifiers`, {
      groups: [{ ...cuisson, options: [...cuisson.options, { name: 'saignant', priceCents: 0 }] }],
    });
    expect(twice.body.error.fields).toEqual([{ field: 'groups.0.options.3.name', reason: 'deux options portent ce nom' }]);
    // A waiter does not edit the menu.
    expect((await waiter.put(`/api/products/${burger}/modifiers`, { groups: [cuisson] })).status).toBe(403);

    const saved = await shop.admin.put(`/api/products/${burger}/modifiers`, { groups: [cuisson, supplements] });
    expect(saved.status, JSON.stringify(saved.body)).toBe(200);
    groups = saved.body.groups;
    expect(groups.map((g) => [g.name, g.min, g.max, g.options.map((o) => [o.name, o.priceCents, o.active])])).toEqual([
      [
        'Cuisson',
        1,
        1,
        [
          ['Saignant', 0, true],
          ['À point', 0, true],
          ['Bien cuit', 0, true],
        ],
      ],
      [
        'Suppléments',
        0,
        2,
        [
          ['Supplément fromage', 150, true],
          ['Œuf au plat', 100, true],
        ],
      ],
    ]);
    // The waiter's catalogue carries them with the product.
    const catalogue = (await waiter.get('/api/catalog?outlet=restaurant')).body;
    const inCatalogue = catalogue.products.find((p: { id: number }) => p.id === burger);
    expect(inCatalogue.modifiers).toEqual(
      groups.map((g) => ({ id: g.id, name: g.name, min: g.min, max: g.max, options: g.options.map(({ active: _, ...o }) => o) })),
    );
    expect(
      catalogue.products.filter((p: { id: number }) => p.id !== burger).every((p: { modifiers: unknown[] }) => p.modifiers.length === 0),
    ).toBe(true);
    // Saved again with the ids it has, the egg withdrawn for today: same ids, the egg no longer offered.
    const withdrawn = await shop.admin.put(`/api/products/${burger}/modifiers`, {
      groups: groups.map((g) => ({ ...g, options: g.options.map((o) => ({ ...o, active: o.name !== 'Œuf au plat' })) })),
    });
    expect(withdrawn.status).toBe(200);
    expect(withdrawn.body.groups.flatMap((g: Group) => g.options.map((o) => o.id))).toEqual(
      groups.flatMap((g) => g.options.map((o) => o.id)),
    );
    const product = (await shop.admin.get(`/api/products/${burger}`)).body;
    expect(product.modifiers[1].options.map((o: { name: string }) => o.name)).toEqual(['Supplément fromage']);
    const events = (await shop.admin.get('/api/events?kind=product.modifiers_changed')).body;
    expect(events.length ?? events.items?.length).toBeGreaterThanOrEqual(2);
  });

  it('checks the waiter’s choice against the product’s groups, naming the field, and writes nothing when wrong', async () => {
    expect((await op({ kind: 'open', tableId: tables[0], covers: 2 })).status).toBe(201);
    const add = (modifiers?: number[]) =>
      op({ kind: 'add', lineId: uuidv7(), productId: burger, quantity: 2, ...(modifiers ? { modifiers } : {}) });
    const noCuisson = await add();
    expect(noCuisson.status).toBe(422);
    expect(noCuisson.body.error.fields).toEqual([{ field: 'modifiers', reason: '« Cuisson » : choisir 1 option(s)' }]);
    const twoCuissons = await add([option('Saignant'), option('Bien cuit')]);
    expect(twoCuissons.body.error.fields).toEqual([{ field: 'modifiers', reason: '« Cuisson » : au plus 1 option(s)' }]);
    const withdrawn = await add([option('À point'), option('Œuf au plat')]);
    expect(withdrawn.status).toBe(422);
    expect(withdrawn.body.error.fields).toEqual([{ field: 'modifiers.1', reason: 'option inconnue pour cet article, ou retirée' }]);
    const unknown = await add([option('À point'), 999_999]);
    expect(unknown.body.error.fields[0].field).toBe('modifiers.1');
    const malformed = await add([option('À point'), -1]);
    expect(malformed.status).toBe(400);
    expect(malformed.body.error.fields[0].field).toBe('body.modifiers.1');
    expect((await current()).lines).toEqual([]);
  });

  it('prices the line with its options and keeps what was chosen', async () => {
    const added = await op({
      kind: 'add',
      lineId: uuidv7(),
      productId: burger,
      quantity: 2,
      modifiers: [option('Supplément fromage'), option('À point')],
    });
    expect(added.status, JSON.stringify(added.body)).toBe(201);
    const [line] = (await current()).lines;
    // 14,50 € the burger + 1,50 € the cheese = 16,00 € each; two: 32,00 €. Listed in the menu's order.
    expect(line).toMatchObject({
      name: 'Burger',
      unitPriceCents: 1600,
      totalCents: 3200,
      vatRateBp: 1000,
      modifiers: [
        { name: 'À point', priceCents: 0 },
        { name: 'Supplément fromage', priceCents: 150 },
      ],
    });
    // The menu changes afterwards: the line ordered keeps its price and names.
    await shop.admin.put(`/api/products/${burger}/modifiers`, {
      groups: groups.map((g) => ({
        ...g,
        options: g.options.map((o) => (o.name === 'Supplément fromage' ? { ...o, priceCents: 200 } : o)),
      })),
    });
    expect((await current()).lines[0]).toMatchObject({
      unitPriceCents: 1600,
      modifiers: [{ name: 'À point' }, { name: 'Supplément fromage', priceCents: 150 }],
    });
    // A plain burger, saignant, for the other guest: 14,50 €; then « bien cuit, finalement », before it is sent.
    const lineId = uuidv7();
    expect((await op({ kind: 'add', lineId, productId: burger, quantity: 1, modifiers: [option('Saignant')] })).status).toBe(201);
    const noCuisson = await op({ kind: 'modify', lineId, version: 1, modifiers: [] });
    expect(noCuisson.status).toBe(422);
    expect(noCuisson.body.error.fields).toEqual([{ field: 'modifiers', reason: '« Cuisson » : choisir 1 option(s)' }]);
    expect((await op({ kind: 'modify', lineId, version: 1, modifiers: [option('Bien cuit')] })).status).toBe(201);
    expect((await current()).lines[1]).toMatchObject({
      unitPriceCents: 1450,
      version: 2,
      modifiers: [{ name: 'Bien cuit', priceCents: 0 }],
    });
  });

  it('refuses an operation dated in the future or more than a week ago, naming its time', async () => {
    // 1970 and 2099 were stored (found by an independent check).
    for (const [when, reason] of [
      ['2099-01-01T00:00:00Z', 'dans le futur'],
      ['1970-01-01T00:00:00Z', 'plus de 7 jours avant l’heure du serveur'],
    ]) {
      const res = await waiter.post(`/api/orders/${order}/ops`, { id: uuidv7(), at: when, kind: 'covers', covers: 3 });
      expect([res.status, res.body.error?.fields]).toEqual([422, [{ field: 'at', reason }]]);
    }
    expect((await current()).covers).toBe(2);
  });

  it('prints the options under their item on the kitchen ticket', async () => {
    expect((await op({ kind: 'send' })).status).toBe(201);
    const ticket = await until('the kitchen ticket', () => printed(shop, 'cuisine')[0]);
    const from = ticket.indexOf('PLATS');
    expect(ticket.slice(from, from + 6)).toEqual([
      'PLATS',
      '2 x Burger',
      '   + À point',
      '   + Supplément fromage',
      '1 x Burger',
      '   + Bien cuit',
    ]);
  });

  it('shows them on the note, with their prices', async () => {
    expect((await op({ kind: 'note' })).status).toBe(201);
    const note = await until('the note', () => printed(shop, 'salle')[0]);
    const from = note.findIndex((l) => l.startsWith('2 x Burger'));
    // 2 × 16,00 = 32,00 €; 1 × 14,50 €. Total 46,50 € at 10 %: HT round(4650 / 1,1) = round(4227,27) = 42,27, TVA 4,23.
    expect(note.slice(from, from + 6).map((l) => l.replace(/ {2,}/g, ' | '))).toEqual([
      '2 x Burger | 32,00 €',
      ' | + À point',
      ' | + Supplément fromage (+1,50 €)',
      " | 16,00 € l'unité",
      '1 x Burger | 14,50 €',
      ' | + Bien cuit',
    ]);
    expect(note.join('\n')).toMatch(/TVA 10 % sur 42,27 € +4,23 €/);
    expect(note.join('\n')).toMatch(/TOTAL TTC +46,50 €/);
  });

  it('is paid at the price with its options, the receipt naming them', async () => {
    const o = await current();
    const line = o.lines.find((l) => l.quantity === 2)!;
    const pay = (unitPriceCents: number) => ({
      id: uuidv7(),
      tillId,
      number: 1,
      createdAt: at(),
      lines: [{ productId: burger, quantity: 2, unitPriceCents }],
      payments: [{ method: 'card', amountCents: 2 * unitPriceCents }],
      totalCents: 2 * unitPriceCents,
      order: { id: order, lines: [{ lineId: line.id, quantity: 2 }] },
    });
    // The burger's own price without its cheese is not the price ordered.
    const cheap = await waiter.post('/api/sales', pay(1450));
    expect(cheap.status).toBe(422);
    expect(cheap.body.error.fields).toEqual([{ field: 'lines.0.unitPriceCents', reason: 'prix commandé 1600' }]);
    const paid = await waiter.post('/api/sales', pay(1600));
    expect(paid.status, JSON.stringify(paid.body)).toBe(201);
    expect(paid.body.lines[0]).toMatchObject({
      name: 'Burger (À point, Supplément fromage)',
      unitPriceCents: 1600,
      grossCents: 3200,
      vatRateBp: 1000,
    });
    const receipt = await shop.client().get(`/r/${paid.body.receiptToken}`);
    expect(receipt.body).toContain('Burger (À point, Supplément fromage)');
    // The table the guests sat at, and their covers (table « 1 », opened for 2).
    expect(receipt.body).toContain('Table 1 — 2 couverts');
    // On paper too, with the pieces counted: 2 burgers on one line are 2 articles.
    const notes = printed(shop, 'salle').length;
    expect((await waiter.post(`/api/sales/${paid.body.id}/receipt`, {})).status).toBe(201);
    const paper = await until('the receipt', () => printed(shop, 'salle')[notes]);
    expect(paper).toContain('Table 1 - 2 couverts');
    expect(paper).toContain('Articles : 2');
  });

  it('tells the kitchen which dish is cancelled, with its options', async () => {
    const line = (await current()).lines.find((l) => l.quantity === 1)!;
    expect((await op({ kind: 'void', lineId: line.id, version: line.version, reason: 'client pressé' })).status).toBe(201);
    const ticket = await until('the ANNULÉ ticket', () => printed(shop, 'cuisine')[1]);
    expect(ticket).toContain('*** ANNULÉ ***');
    const from = ticket.indexOf('1 x Burger');
    expect(ticket.slice(from, from + 2)).toEqual(['1 x Burger', '   + Bien cuit']);
  });
});

describe('an order to take away, and its VAT', () => {
  let shop: TestShop;
  let waiter: Client;
  let tillId: number;
  let tables: number[];
  let burger: number;
  let juice: number;
  let beer: number;
  const order = uuidv7();
  const op = (body: Record<string, unknown>) => waiter.post(`/api/orders/${order}/ops`, { id: uuidv7(), at: at(), ...body });
  const current = async () => (await waiter.get(`/api/orders/${order}`)).body as OrderView;
  const rates = async () => Object.fromEntries((await current()).lines.map((l) => [l.name, l.vatRateBp]));

  beforeAll(async () => {
    shop = await startTestShop();
    ({ waiter, tillId, tables, burger } = await restaurantSetup(shop));
    // A producer's bottled juice: served at the table 10 % (CGI art. 279 m), packaged to take away 5.5 % (art. 278-0 bis).
    juice = (
      await aProduct(shop.admin, {
        name: 'Jus de pomme 25 cl',
        outlets: ['shop', 'restaurant'],
        priceCents: 190,
        vatRateBp: 1000,
        takeawayVatRateBp: 550,
      })
    ).id;
    // Alcohol is at 20 % however it is sold: no take-away rate.
    beer = (await aProduct(shop.admin, { name: 'Bière 33 cl', outlets: ['restaurant'], priceCents: 350, vatRateBp: 2000 })).id;
  });
  afterAll(() => shop.close());

  it('keeps a product’s take-away rate, and refuses one that is not a French rate', async () => {
    const product = (await shop.admin.get(`/api/products/${juice}`)).body;
    expect(product).toMatchObject({ vatRateBp: 1000, takeawayVatRateBp: 550, modifiers: [] });
    expect((await shop.admin.get(`/api/products/${beer}`)).body.takeawayVatRateBp).toBeNull();
    const bad = await shop.admin.patch(`/api/products/${beer}`, { takeawayVatRateBp: 700 });
    expect(bad.status).toBe(400);
    expect(bad.body.error.fields[0].field).toBe('body.takeawayVatRateBp');
    const events = (await shop.admin.get('/api/events?kind=product.price_changed')).body;
    expect(JSON.stringify(events)).not.toContain('700');
  });

  it('rates each line by the order’s mode, and re-rates the lines not paid when the mode changes', async () => {
    expect((await op({ kind: 'open', tableId: tables[1], covers: 1, mode: 'takeaway' })).status).toBe(201);
    for (const [productId, quantity, modifiers] of [
      [juice, 2, undefined],
      [burger, 1, []],
      [beer, 2, undefined],
    ] as const) {
      const res = await op({ kind: 'add', lineId: uuidv7(), productId, quantity, ...(modifiers ? { modifiers } : {}) });
      expect(res.status, JSON.stringify(res.body)).toBe(201);
    }
    expect(await rates()).toEqual({ 'Jus de pomme 25 cl': 550, Burger: 1000, 'Bière 33 cl': 2000 });
    // The customers sit down after all: the juice is served, at 10 %; then they leave with it again.
    const sat = await op({ kind: 'mode', mode: 'on_site' });
    expect(sat.status).toBe(201);
    expect(sat.body.order.mode).toBe('on_site');
    expect(await rates()).toEqual({ 'Jus de pomme 25 cl': 1000, Burger: 1000, 'Bière 33 cl': 2000 });
    expect((await op({ kind: 'mode', mode: 'takeaway' })).status).toBe(201);
    expect(await rates()).toEqual({ 'Jus de pomme 25 cl': 550, Burger: 1000, 'Bière 33 cl': 2000 });
    // The kitchen packs it.
    expect((await op({ kind: 'send' })).status).toBe(201);
    const ticket = await until('the kitchen ticket', () => printed(shop, 'cuisine')[0]);
    expect(ticket.slice(0, 4)).toEqual(['Table 2', '1 couvert', 'À EMPORTER', expect.stringMatching(/ - waiter \d+$/)]);
    expect(ticket).toContain('1 x Burger');
  });

  it('pays each part at its lines’ own rates, a line paid keeping its rate, and the Z adds them up by rate', async () => {
    const o = await current();
    const line = (name: string) => o.lines.find((l) => l.name === name)!;
    let number = 0;
    const part = (items: { name: string; productId: number; quantity: number; unit: number }[], total: number) => ({
      id: uuidv7(),
      tillId,
      number: ++number,
      createdAt: at(),
      lines: items.map((i) => ({ productId: i.productId, quantity: i.quantity, unitPriceCents: i.unit })),
      payments: [{ method: 'card', amountCents: total }],
      totalCents: total,
      order: { id: order, lines: items.map((i) => ({ lineId: line(i.name).id, quantity: i.quantity })) },
    });
    // Part 1: one juice and the burger, 1,90 + 14,50 = 16,40 €.
    const first = await waiter.post(
      '/api/sales',
      part(
        [
          { name: 'Jus de pomme 25 cl', productId: juice, quantity: 1, unit: 190 },
          { name: 'Burger', productId: burger, quantity: 1, unit: 1450 },
        ],
        1640,
      ),
    );
    expect(first.status, JSON.stringify(first.body)).toBe(201);
    // 1,90 at 5.5 %: HT = round(190 × 10000 / 10550) = round(180,09) = 1,80, TVA 0,10.
    // 14,50 at 10 %: HT = round(1450 × 10000 / 11000) = round(1318,18) = 13,18, TVA 1,32.
    expect(first.body.vat).toEqual([
      { vatRateBp: 550, grossCents: 190, netCents: 180, vatCents: 10 },
      { vatRateBp: 1000, grossCents: 1450, netCents: 1318, vatCents: 132 },
    ]);
    expect(first.body.lines.map((l: { vatRateBp: number }) => l.vatRateBp)).toEqual([550, 1000]);

    // They now stay: the juice line, half paid at 5.5 %, keeps that rate for its other half.
    expect((await op({ kind: 'mode', mode: 'on_site' })).status).toBe(201);
    expect(await rates()).toEqual({ 'Jus de pomme 25 cl': 550, Burger: 1000, 'Bière 33 cl': 2000 });
    const events = (await shop.admin.get('/api/events?kind=order.mode_changed')).body;
    const list = (Array.isArray(events) ? events : events.items) as { data: Record<string, unknown> }[];
    expect(list.map((e) => e.data)).toEqual(
      expect.arrayContaining([
        { from: 'takeaway', to: 'on_site', rerated: [], keptPaid: 2 },
        {
          from: 'takeaway',
          to: 'on_site',
          rerated: [{ lineId: line('Jus de pomme 25 cl').id, name: 'Jus de pomme 25 cl', before: 550, after: 1000 }],
          keptPaid: 0,
        },
      ]),
    );

    // Part 2: the other juice and the two beers, 1,90 + 2 × 3,50 = 8,90 €.
    const second = await waiter.post(
      '/api/sales',
      part(
        [
          { name: 'Jus de pomme 25 cl', productId: juice, quantity: 1, unit: 190 },
          { name: 'Bière 33 cl', productId: beer, quantity: 2, unit: 350 },
        ],
        890,
      ),
    );
    expect(second.status, JSON.stringify(second.body)).toBe(201);
    // 1,90 at 5.5 %: 1,80 + 0,10 as above. 7,00 at 20 %: HT = round(700 × 10000 / 12000) = round(583,33) = 5,83, TVA 1,17.
    expect(second.body.vat).toEqual([
      { vatRateBp: 550, grossCents: 190, netCents: 180, vatCents: 10 },
      { vatRateBp: 2000, grossCents: 700, netCents: 583, vatCents: 117 },
    ]);
    expect((await current()).status).toBe('closed');

    // The restaurant's Z: 5.5 %: 1,90 + 1,90 = 3,80 TTC, HT 1,80 + 1,80 = 3,60, TVA 0,20;
    // 10 %: 14,50 TTC, 13,18 HT, 1,32 TVA; 20 %: 7,00 TTC, 5,83 HT, 1,17 TVA. Total 16,40 + 8,90 = 25,30 €.
    const z = await shop.admin.post('/api/closings/day', { outlet: 'restaurant', day: today(), cashCountedCents: 0, confirmEarly: true });
    expect(z.status, JSON.stringify(z.body)).toBe(201);
    expect(z.body.figures.totalCents).toBe(2530);
    expect(z.body.figures.byVat).toEqual([
      { vatRateBp: 550, grossCents: 380, netCents: 360, vatCents: 20 },
      { vatRateBp: 1000, grossCents: 1450, netCents: 1318, vatCents: 132 },
      { vatRateBp: 2000, grossCents: 700, netCents: 583, vatCents: 117 },
    ]);
    expect((await shop.admin.get('/api/journal/verify')).body).toMatchObject({ ok: true, problems: [] });
  });

  it('sells the same juice in the shop at its take-away rate: a shop’s sale is taken away', async () => {
    const cashier = (await aUser(shop, 'cashier', { tillId: 1 })).client;
    const sale = await cashier.post('/api/sales', {
      id: uuidv7(),
      tillId: 1,
      number: 1,
      createdAt: at(),
      lines: [{ productId: juice, quantity: 2, unitPriceCents: 190 }],
      payments: [{ method: 'cash', amountCents: 380 }],
      totalCents: 380,
    });
    expect(sale.status, JSON.stringify(sale.body)).toBe(201);
    // 3,80 at 5.5 %: HT = round(380 × 10000 / 10550) = round(360,19) = 3,60, TVA 0,20.
    expect(sale.body.vat).toEqual([{ vatRateBp: 550, grossCents: 380, netCents: 360, vatCents: 20 }]);
  });

  it('sells it at the restaurant’s counter, with no order, at its rate on site', async () => {
    const sale = await waiter.post('/api/sales', {
      id: uuidv7(),
      tillId,
      number: 3,
      createdAt: at(),
      lines: [{ productId: juice, quantity: 2, unitPriceCents: 190 }],
      payments: [{ method: 'cash', amountCents: 380 }],
      totalCents: 380,
    });
    expect(sale.status, JSON.stringify(sale.body)).toBe(201);
    // 3,80 at 10 %: HT = round(380 × 10000 / 11000) = round(345,45) = 3,45, TVA 0,35.
    expect(sale.body.vat).toEqual([{ vatRateBp: 1000, grossCents: 380, netCents: 345, vatCents: 35 }]);
  });

  it('sends to the stations what the restaurant’s counter sells, never what another counter sells', async () => {
    // A dish of the kitchen's category sold at the shop too (a newcomer's walk: a bottle rung at the shop's
    // till printed at the bar). Each counter sale sent to a station is an order under the sale's id.
    const terrine = (
      await aProduct(shop.admin, { name: 'Terrine', producerId: null, outlets: ['shop', 'restaurant'], priceCents: 650, vatRateBp: 550 })
    ).id;
    const categoryId = (await shop.admin.get(`/api/products/${burger}`)).body.categoryId as number;
    expect((await shop.admin.patch(`/api/products/${terrine}`, { categoryId })).status).toBe(200);
    const ticket = (tillNumber: number, number: number) => ({
      id: uuidv7(),
      tillId: tillNumber,
      number,
      createdAt: at(),
      lines: [{ productId: terrine, quantity: 1, unitPriceCents: 650 }],
      payments: [{ method: 'cash', amountCents: 650 }],
      totalCents: 650,
    });
    const orderOf = (id: string) => shop.server.database.db.selectFrom('orders').select('id').where('id', '=', id).executeTakeFirst();
    const cashier = (await aUser(shop, 'cashier', { tillId: 1 })).client;
    const atShop = await cashier.post('/api/sales', ticket(1, 2));
    expect(atShop.status, JSON.stringify(atShop.body)).toBe(201);
    expect(await orderOf(atShop.body.id)).toBeUndefined();
    const atCounter = await waiter.post('/api/sales', ticket(tillId, 4));
    expect(atCounter.status, JSON.stringify(atCounter.body)).toBe(201);
    expect(await orderOf(atCounter.body.id)).toEqual({ id: atCounter.body.id });
  });
});
