import fs from 'node:fs';
import path from 'node:path';
import { io, type Socket } from 'socket.io-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { KitchenBoard, KitchenTicketView } from '../shared/api/restaurant.ts';
import type { ClientToServerEvents, ServerToClientEvents } from '../shared/realtime.ts';
import { decodeEscPos } from './support/escpos-decoder.ts';
import { aCategory, aPairedTill, aProduct, aUser, startTestShop, type Client, type TestShop } from './support/harness.ts';
import { uuidv7 } from './support/tickets.ts';
import { until } from './support/wait.ts';

// The bar's till sells a dish as a counter sale: its options (cuisson, suppléments) are checked as a table's
// order checks them, priced into the line and named on the ticket; once the ticket is recorded its dishes
// reach the kitchen (screen by socket.io, printer queue) as « Comptoir n° N » with options and note. A
// training till's tickets never reach the real kitchen.

type S = Socket<ServerToClientEvents, ClientToServerEvents>;

describe('a dish sold at the bar’s till', () => {
  let shop: TestShop;
  let bar: Client;
  let barTill: number;
  let trainee: Client;
  let screen: Client;
  let kitchenId: number;
  let steak: number;
  let beer: number;
  let options: Map<string, number>;
  let socket: S;
  const heard: KitchenTicketView[] = [];
  let number = 0;

  const filed = (dir: string) => {
    const full = path.join(shop.dataDir, dir);
    if (!fs.existsSync(full)) return [];
    return fs
      .readdirSync(full)
      .filter((f) => f.endsWith('.bin'))
      .sort()
      .map((f) => decodeEscPos(fs.readFileSync(path.join(full, f))).text.replace(/[\u00a0\u202f]/g, ' '));
  };
  const board = async () => (await screen.get(`/api/stations/${kitchenId}/board`)).body as KitchenBoard;
  const sell = (who: Client, tillId: number, lines: Record<string, unknown>[], totalCents: number, n = ++number) =>
    who.post('/api/sales', {
      id: uuidv7(),
      tillId,
      number: n,
      createdAt: new Date().toISOString(),
      lines,
      payments: [{ method: 'card', amountCents: totalCents }],
      totalCents,
    });

  beforeAll(async () => {
    shop = await startTestShop({ env: { PRINT_RETRY_MS: '100' } });
    const admin = shop.admin;
    const barTillRes = await admin.post('/api/tills', { outlet: 'restaurant', name: 'Bar' });
    barTill = barTillRes.body.id;
    const wall = await admin.post('/api/tills', { outlet: 'restaurant', name: 'Écran cuisine' });
    const printer = await admin.post('/api/printers', {
      name: 'Cuisine',
      role: 'kitchen',
      uri: 'file:cuisine',
      columns: 48,
      codePage: 'pc858',
      drawer: false,
    });
    kitchenId = (await admin.post('/api/stations', { name: 'Cuisine', printerId: printer.body.id })).body.id;
    const dishes = await aCategory(admin, { name: 'Plats' });
    await admin.put(`/api/categories/${dishes.id}/station`, { stationId: kitchenId });
    const drinks = await aCategory(admin, { name: 'Boissons' });
    const onMenu = { producerId: null, outlets: ['restaurant'], vatRateBp: 1000 };
    steak = (await aProduct(admin, { ...onMenu, name: 'Entrecôte', priceCents: 2200, categoryId: dishes.id, course: 'main' })).id;
    // Served from the counter: its category has no station.
    beer = (await aProduct(admin, { ...onMenu, name: 'Pression', priceCents: 450, categoryId: drinks.id })).id;
    const saved = await admin.put(`/api/products/${steak}/modifiers`, {
      groups: [
        { name: 'Cuisson', min: 1, max: 1, options: ['Saignant', 'À point'].map((name) => ({ name, priceCents: 0 })) },
        { name: 'Suppléments', min: 0, max: 1, options: [{ name: 'Sauce au poivre', priceCents: 250 }] },
      ],
    });
    expect(saved.status).toBe(200);
    options = new Map(
      (saved.body.groups as { options: { id: number; name: string }[] }[]).flatMap((g) => g.options.map((o) => [o.name, o.id] as const)),
    );
    bar = (await aUser(shop, 'cashier', { tillId: barTill })).client;
    const training = await admin.post('/api/tills', { outlet: 'restaurant', name: 'Formation' });
    expect((await admin.patch(`/api/tills/${training.body.id}`, { trainingMode: true })).status).toBe(200);
    trainee = (await aUser(shop, 'cashier', { tillId: training.body.id })).client;
    (trainee as unknown as { tillId: number }).tillId = training.body.id;
    screen = await aPairedTill(shop, wall.body.id);
    socket = await new Promise<S>((resolve, reject) => {
      const s: S = io(shop.url, { transports: ['websocket'], extraHeaders: { cookie: screen.cookieHeader() }, reconnection: false });
      s.once('connect', () => resolve(s));
      s.once('connect_error', reject);
    });
    socket.on('kitchen:changed', (t) => heard.push(t));
  });
  afterAll(async () => {
    socket?.close();
    await shop.close();
  });

  it('refuses a dish without its required cuisson, with the line’s field named (422, never 500)', async () => {
    const res = await sell(bar, barTill, [{ productId: steak, quantity: 1, unitPriceCents: 2200 }], 2200, 1);
    expect(res.status).toBe(422);
    expect(res.body.error.fields).toEqual([{ field: 'lines.0.modifiers', reason: '« Cuisson » : choisir 1 option(s)' }]);
  });

  it('refuses an option of another dish, and a price that leaves out the supplement', async () => {
    const foreign = await sell(
      bar,
      barTill,
      [{ productId: beer, quantity: 1, unitPriceCents: 450, modifiers: [options.get('Saignant')!] }],
      450,
      1,
    );
    expect(foreign.status).toBe(422);
    // An option id of 0 is no id: refused as such, « more than 0 » (it said « at least 0 »).
    const zero = await sell(bar, barTill, [{ productId: beer, quantity: 1, unitPriceCents: 450, modifiers: [0] }], 450, 1);
    expect(zero.status).toBe(400);
    expect(zero.body.error.message).toContain('plus grand que 0');
    expect(foreign.body.error.fields).toEqual([{ field: 'lines.0.modifiers.0', reason: 'option inconnue pour cet article, ou retirée' }]);
    // 22,00 € + 2,50 € of sauce = 24,50 €: at 22,00 € the line is a manual price without a reason.
    const cheap = await sell(
      bar,
      barTill,
      [{ productId: steak, quantity: 1, unitPriceCents: 2200, modifiers: [options.get('Saignant')!, options.get('Sauce au poivre')!] }],
      2200,
      1,
    );
    expect(cheap.status).toBe(422);
    expect(cheap.body.error.fields[0].field).toBe('lines.0.unitPriceCents');
    expect(cheap.body.error.fields[0].reason).toContain('24,50 € (options comprises)');
    expect(heard).toEqual([]);
  });

  it('sells the dish with its options named on the ticket, and sends it to the kitchen as « Comptoir n° 1 »', async () => {
    // 2 × (22,00 + 2,50) = 49,00 €, and one beer 4,50 € served at the bar: 53,50 €.
    const lines = [
      {
        productId: steak,
        quantity: 2,
        unitPriceCents: 2450,
        modifiers: [options.get('Saignant')!, options.get('Sauce au poivre')!],
        note: 'sans sel',
      },
      { productId: beer, quantity: 1, unitPriceCents: 450 },
    ];
    const sold = await sell(bar, barTill, lines, 5350, 1);
    expect(sold.status, JSON.stringify(sold.body)).toBe(201);
    expect(sold.body.lines.map((l: { name: string; totalCents: number }) => [l.name, l.totalCents])).toEqual([
      ['Entrecôte (Saignant, Sauce au poivre)', 4900],
      ['Pression', 450],
    ]);
    const ticket = await until('the bar’s ticket on the kitchen’s socket', () => heard.find((h) => h.counter?.number === 1));
    expect(ticket).toMatchObject({
      kind: 'send',
      counter: { till: 'Bar', number: 1 },
      table: 'Comptoir n° 1',
      state: 'todo',
      stationId: kitchenId,
    });
    // The beer is not the kitchen's: only the steaks, with their options and the note.
    expect(ticket.items.map((i) => [i.quantity, i.name, i.modifiers, i.note, i.waiting])).toEqual([
      [2, 'Entrecôte', ['Saignant', 'Sauce au poivre'], 'sans sel', false],
    ]);
    expect((await board()).allDay).toEqual([{ name: 'Entrecôte', quantity: 2 }]);
    // The kitchen printer's queue printed it: the counter, the till, the dish and what was chosen.
    const paper = await until('the kitchen ticket printed', () => filed('cuisine').find((t) => t.includes('Comptoir n° 1')));
    expect(paper).toContain('Caisse Bar');
    expect(paper).toContain('2 x Entrecôte');
    expect(paper).toContain('+ Saignant');
    expect(paper).toContain('+ Sauce au poivre');
    expect(paper).toContain('> sans sel');
  });

  it('makes no second kitchen ticket when the same ticket is sent again (the outbox retrying)', async () => {
    const id = uuidv7();
    const body = {
      id,
      tillId: barTill,
      number: 2,
      createdAt: new Date().toISOString(),
      lines: [{ productId: steak, quantity: 1, unitPriceCents: 2200, modifiers: [options.get('À point')!] }],
      payments: [{ method: 'cash', amountCents: 2200 }],
      totalCents: 2200,
    };
    expect((await bar.post('/api/sales', body)).status).toBe(201);
    expect((await bar.post('/api/sales', body)).status).toBe(200);
    await until('ticket 2 on the screen', () => heard.find((h) => h.counter?.number === 2));
    const ofTwo = (await board()).tickets.filter((t) => t.counter?.number === 2);
    expect(ofTwo.map((t) => t.items.map((i) => [i.quantity, i.name, i.modifiers]))).toEqual([[[1, 'Entrecôte', ['À point']]]]);
  });

  // Found by an independent check: a ticket whose id was an open table's order got a bare 409 naming nothing.
  it('refuses a ticket whose id is already an order’s, naming its id, and records nothing', async () => {
    const room = (await shop.admin.post('/api/rooms', { name: 'Véranda' })).body.id;
    const table = (await shop.admin.post(`/api/rooms/${room}/tables`, { name: 'V1', seats: 2 })).body.id;
    const orderId = uuidv7();
    expect(
      (
        await bar.post(`/api/orders/${orderId}/ops`, {
          id: uuidv7(),
          at: new Date().toISOString(),
          kind: 'open',
          tableId: table,
          covers: 1,
        })
      ).status,
    ).toBe(201);
    const before = (await shop.admin.get('/api/sales?limit=500')).body.length;
    const res = await bar.post('/api/sales', {
      id: orderId,
      tillId: barTill,
      number: 3,
      createdAt: new Date().toISOString(),
      lines: [{ productId: steak, quantity: 1, unitPriceCents: 2200, modifiers: [options.get('À point')!] }],
      payments: [{ method: 'cash', amountCents: 2200 }],
      totalCents: 2200,
    });
    expect([res.status, res.body.error.fields]).toEqual([409, [{ field: 'id', reason: expect.any(String) }]]);
    expect((await shop.admin.get('/api/sales?limit=500')).body.length).toBe(before);
  });

  it('sends nothing to the real kitchen from a till in training mode', async () => {
    const before = (await board()).tickets.length;
    const heardBefore = heard.length;
    const tillId = (trainee as unknown as { tillId: number }).tillId;
    const res = await sell(
      trainee,
      tillId,
      [{ productId: steak, quantity: 1, unitPriceCents: 2200, modifiers: [options.get('Saignant')!] }],
      2200,
      1,
    );
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    expect(res.body.training).toBe(true);
    // A sale after it on the real till is heard: had the training one been sent, it would have come first.
    expect(
      (await sell(bar, barTill, [{ productId: steak, quantity: 1, unitPriceCents: 2200, modifiers: [options.get('Saignant')!] }], 2200, 3))
        .status,
    ).toBe(201);
    await until('ticket 3 on the screen', () => heard.find((h) => h.counter?.number === 3));
    expect(heard.slice(heardBefore).map((h) => h.counter)).toEqual([{ till: 'Bar', number: 3 }]);
    expect((await board()).tickets.length).toBe(before + 1);
  });

  // The server keeps what a ticket reads of the catalogue in memory (db/read-cache.ts): a category given a
  // station, or an option added, after tickets were rung, counts from the next ticket (the cache kept the
  // beer's category without a station, and the steak's old options: found in review).
  it('sends a drink once its category goes to a station, and checks an option added since the last ticket', async () => {
    const drinks = (await shop.admin.get(`/api/products/${beer}`)).body.categoryId as number;
    expect((await sell(bar, barTill, [{ productId: beer, quantity: 1, unitPriceCents: 450 }], 450, 4)).status).toBe(201);
    expect((await shop.admin.put(`/api/categories/${drinks}/station`, { stationId: kitchenId })).status).toBe(200);
    expect((await sell(bar, barTill, [{ productId: beer, quantity: 2, unitPriceCents: 450 }], 900, 5)).status).toBe(201);
    const five = await until('ticket 5 on the screen', () => heard.find((h) => h.counter?.number === 5));
    expect(five.items.map((i) => [i.quantity, i.name])).toEqual([[2, 'Pression']]);
    expect(heard.some((h) => h.counter?.number === 4)).toBe(false);

    const saved = await shop.admin.put(`/api/products/${beer}/modifiers`, {
      groups: [{ name: 'Taille', min: 1, max: 1, options: ['Demi', 'Pinte'].map((name) => ({ name, priceCents: 0 })) }],
    });
    expect(saved.status).toBe(200);
    const pinte = (saved.body.groups[0].options as { id: number; name: string }[]).find((o) => o.name === 'Pinte')!.id;
    const unsized = await sell(bar, barTill, [{ productId: beer, quantity: 1, unitPriceCents: 450 }], 450, 6);
    expect(unsized.status).toBe(422);
    expect(unsized.body.error.fields).toEqual([{ field: 'lines.0.modifiers', reason: '« Taille » : choisir 1 option(s)' }]);
    expect((await sell(bar, barTill, [{ productId: beer, quantity: 1, unitPriceCents: 450, modifiers: [pinte] }], 450, 6)).status).toBe(
      201,
    );
  });
  // The customer at the bar changes their mind: two of the three steaks are refunded before they are served.
  // The kitchen is told as for a table's cancelled dish (ANNULÉ, 2 × Entrecôte); the third, once served and
  // refunded, is not cancelled in the kitchen (it was cooked and served).
  it('tells the kitchen of dishes refunded at the bar before they were served, and of nothing once served', async () => {
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
    const saignant = options.get('Saignant')!;
    const sold = await sell(bar, barTill, [{ productId: steak, quantity: 3, unitPriceCents: 2200, modifiers: [saignant] }], 6600, 7);
    expect(sold.status).toBe(201);
    const send = await until('ticket 7 on the screen', () => heard.find((h) => h.counter?.number === 7 && h.kind === 'send'));
    const refund = (number: number, quantity: number) =>
      bar.post('/api/refunds', {
        id: uuidv7(),
        tillId: barTill,
        number,
        createdAt: new Date().toISOString(),
        refundOf: sold.body.id,
        reason: 'Client parti',
        lines: [{ lineNo: 1, quantity }],
        payments: [{ method: 'card', amountCents: -2200 * quantity }],
        totalCents: -2200 * quantity,
        approvalPin: '9876',
      });
    const steaks = async () => (await board()).allDay.find((d) => d.name === 'Entrecôte')?.quantity ?? 0;
    const before = await steaks();
    expect((await refund(8, 2)).status).toBe(201);
    const cancelled = await until('the ANNULÉ of ticket 7', () => heard.find((h) => h.counter?.number === 7 && h.kind === 'void'));
    expect(cancelled.items.map((i) => [i.quantity, i.name, i.course])).toEqual([[2, 'Entrecôte', 'main']]);
    expect(cancelled.stationId).toBe(kitchenId);
    // Why, on the screen as on paper; and the count of steaks to prepare is two fewer (found by a newcomer's walk).
    expect(cancelled.reason).toBe('Client parti');
    expect(await steaks()).toBe(before - 2);
    const paper = await until('the ANNULÉ printed', () => filed('cuisine').find((t) => t.includes('Comptoir n° 7') && t.includes('ANNUL')));
    expect(paper).toContain('2 x Entrecôte');
    expect(paper).toContain('PLATS');
    expect(paper).not.toContain('À ENVOYER');
    // The last steak is served, then refunded: nothing more for the kitchen.
    expect((await screen.post(`/api/kitchen-tickets/${send.id}/state`, { state: 'served' })).status).toBe(200);
    expect((await refund(9, 1)).status).toBe(201);
    const voids = async () => (await board()).tickets.filter((t) => t.counter?.number === 7 && t.kind === 'void').length;
    expect(await voids()).toBe(1);
    expect(heard.filter((h) => h.counter?.number === 7 && h.kind === 'void')).toHaveLength(1);
  });
});
