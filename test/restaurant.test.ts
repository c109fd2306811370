import fs from 'node:fs';
import path from 'node:path';
import { io, type Socket } from 'socket.io-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { OrderView } from '../shared/api/restaurant.ts';
import type { ClientToServerEvents, ServerToClientEvents } from '../shared/realtime.ts';
import { closingReport } from '../server/printing/receipt.ts';
import { shopIdentity } from '../server/settings/settings.ts';
import { decodeEscPos } from './support/escpos-decoder.ts';
import { aCategory, aProduct, aUser, startTestShop, type Client, type TestShop } from './support/harness.ts';
import { uuidv7 } from './support/tickets.ts';
import { until } from './support/wait.ts';

// Two waiters and the kitchen, through the real server: an order is shared, every operation applied once,
// and each station is told exactly what concerns it, once.

type S = Socket<ServerToClientEvents, ClientToServerEvents>;
const at = () => new Date().toISOString();

describe('the restaurant: shared orders and the kitchen', () => {
  let shop: TestShop;
  let waiterA: Client;
  let waiterB: Client;
  let salad: number;
  let duck: number;
  let beer: number;
  let t1: number;
  let t2: number;
  const order = uuidv7();
  const socket: { s?: S } = {};
  const heard: OrderView[] = [];

  /** The kitchen tickets a station's file printer received, decoded, oldest first. */
  const tickets = (dir: string) => {
    const full = path.join(shop.dataDir, dir);
    if (!fs.existsSync(full)) return [];
    return fs
      .readdirSync(full)
      .filter((f) => f.endsWith('.bin'))
      .sort()
      .map((f) => decodeEscPos(fs.readFileSync(path.join(full, f))).text.replace(/[\u00a0\u202f]/g, ' '));
  };
  const op = (client: Client, body: Record<string, unknown>, orderId = order) =>
    client.post(`/api/orders/${orderId}/ops`, { id: uuidv7(), at: at(), ...body });
  const current = async () => (await waiterA.get(`/api/orders/${order}`)).body as OrderView;

  beforeAll(async () => {
    shop = await startTestShop();
    const admin = shop.admin;
    // One till per waiter's phone: each device numbers and chains its own tickets.
    const till = await admin.post('/api/tills', { outlet: 'restaurant', name: 'Salle 1' });
    const till2 = await admin.post('/api/tills', { outlet: 'restaurant', name: 'Salle 2' });
    expect([till.status, till2.status]).toEqual([201, 201]);
    const printer = async (name: string, dir: string) =>
      (await admin.post('/api/printers', { name, role: 'kitchen', uri: `file:${dir}`, columns: 48, codePage: 'pc858', drawer: false })).body
        .id;
    const kitchen = await admin.post('/api/stations', { name: 'Cuisine', printerId: await printer('Cuisine', 'cuisine') });
    const bar = await admin.post('/api/stations', { name: 'Bar', printerId: await printer('Bar', 'bar') });
    expect(kitchen.status).toBe(201);
    const dishes = await aCategory(admin, { name: 'Plats' });
    const drinks = await aCategory(admin, { name: 'Boissons' });
    expect((await admin.put(`/api/categories/${dishes.id}/station`, { stationId: kitchen.body.id })).status).toBe(200);
    expect((await admin.put(`/api/categories/${drinks.id}/station`, { stationId: bar.body.id })).status).toBe(200);
    const onMenu = { producerId: null, outlets: ['restaurant'], vatRateBp: 1000 };
    salad = (await aProduct(admin, { ...onMenu, name: 'Salade de chèvre', priceCents: 950, categoryId: dishes.id })).id;
    duck = (await aProduct(admin, { ...onMenu, name: 'Magret', priceCents: 1850, categoryId: dishes.id })).id;
    beer = (await aProduct(admin, { ...onMenu, name: 'Pression', priceCents: 350, vatRateBp: 2000, categoryId: drinks.id })).id;
    const room = await admin.post('/api/rooms', { name: 'Salle' });
    expect(room.status).toBe(201);
    t1 = (await admin.post(`/api/rooms/${room.body.id}/tables`, { name: 'T1', seats: 4 })).body.id;
    t2 = (await admin.post(`/api/rooms/${room.body.id}/tables`, { name: 'T2', seats: 2, shape: 'round', x: 20 })).body.id;
    // Waiter A's till prints notes on the salle's receipt printer.
    const salle = await admin.post('/api/printers', { name: 'Salle', role: 'receipt', uri: 'file:salle', columns: 48, codePage: 'pc858' });
    expect((await admin.patch(`/api/tills/${till.body.id}`, { printerId: salle.body.id })).status).toBe(200);
    waiterA = (await aUser(shop, 'waiter', { tillId: till.body.id })).client;
    waiterB = (await aUser(shop, 'waiter', { tillId: till2.body.id })).client;
    socket.s = await new Promise<S>((resolve, reject) => {
      const s: S = io(shop.url, { transports: ['websocket'], extraHeaders: { cookie: waiterB.cookieHeader() }, reconnection: false });
      s.once('connect', () => resolve(s));
      s.once('connect_error', reject);
    });
    socket.s.on('order:changed', (o) => heard.push(o));
  });
  afterAll(async () => {
    socket.s?.close();
    await shop.close();
  });

  it('keeps both waiters’ lines when they add to the same table at the same moment, and tells every device', async () => {
    expect((await op(waiterA, { kind: 'open', tableId: t1, covers: 2 })).status).toBe(201);
    const [a, b1, b2] = await Promise.all([
      op(waiterA, { kind: 'add', lineId: uuidv7(), productId: salad, quantity: 2, course: 'starter' }),
      op(waiterB, { kind: 'add', lineId: uuidv7(), productId: duck, quantity: 2, course: 'main', note: 'rosé', seat: 1 }),
      op(waiterB, { kind: 'add', lineId: uuidv7(), productId: beer, quantity: 2, course: 'drink' }),
    ]);
    expect([a.status, b1.status, b2.status]).toEqual([201, 201, 201]);
    const o = await current();
    // 2 × 9,50 + 2 × 18,50 + 2 × 3,50 = 19,00 + 37,00 + 7,00 = 63,00 €.
    expect(o.lines.map((l) => [l.name, l.quantity, l.status])).toEqual(
      expect.arrayContaining([
        ['Salade de chèvre', 2, 'new'],
        ['Magret', 2, 'new'],
        ['Pression', 2, 'new'],
      ]),
    );
    expect(o.lines).toHaveLength(3);
    expect(o.totalCents).toBe(6300);
    expect(o.version).toBe(4);
    // Waiter B's phone heard waiter A's line too, and the last state it heard is the order's.
    await until('the last change heard', () => heard.find((h) => h.version === 4));
    const floor = (await waiterB.get('/api/floor')).body;
    expect(floor[0].tables.find((t: { id: number }) => t.id === t1).order).toMatchObject({ covers: 2, totalCents: 6300, newLines: 3 });
    expect(floor[0].tables.find((t: { id: number }) => t.id === t2).order).toBeNull();
  });

  it('applies an operation once however often it is sent, and refuses its id with another body', async () => {
    const body = { id: uuidv7(), at: at(), kind: 'covers', covers: 3 };
    expect((await waiterA.post(`/api/orders/${order}/ops`, body)).status).toBe(201);
    const again = await waiterA.post(`/api/orders/${order}/ops`, body);
    expect(again.status).toBe(200);
    expect(again.body).toMatchObject({ applied: false, order: { covers: 3, version: 5 } });
    const other = await waiterA.post(`/api/orders/${order}/ops`, { ...body, covers: 4 });
    expect(other.status).toBe(409);
    expect((await current()).version).toBe(5);
  });

  it('refuses a change to a line someone else changed since, instead of merging it', async () => {
    const salade = (await current()).lines.find((l) => l.name === 'Salade de chèvre')!;
    expect((await op(waiterB, { kind: 'modify', lineId: salade.id, version: salade.version, note: 'sans noix' })).status).toBe(201);
    const stale = await op(waiterA, { kind: 'modify', lineId: salade.id, version: salade.version, quantity: 3 });
    expect(stale.status).toBe(409);
    expect(stale.body.error.fields).toEqual([{ field: 'version', reason: expect.any(String) }]);
    expect((await current()).lines.find((l) => l.id === salade.id)).toMatchObject({ quantity: 2, note: 'sans noix', version: 2 });
  });

  it('sends each station only its new items, once, the later course marked to follow', async () => {
    const sendOp = { id: uuidv7(), at: at(), kind: 'send' };
    expect((await waiterA.post(`/api/orders/${order}/ops`, sendOp)).status).toBe(201);
    const kitchen = await until('the kitchen ticket', () => (tickets('cuisine').length === 1 ? tickets('cuisine') : undefined));
    const bar = await until('the bar ticket', () => (tickets('bar').length === 1 ? tickets('bar') : undefined));
    // The kitchen: the starter to prepare now, the duck to follow; nothing of the bar's.
    expect(kitchen[0]).toContain('Table T1');
    expect(kitchen[0]).toContain('3 couverts');
    expect(kitchen[0]).toMatch(/ENTRÉES\n2 x Salade de chèvre\n {3}> sans noix/);
    expect(kitchen[0]).toMatch(/PLATS - À SUIVRE\n2 x Magret\n {3}place 1\n {3}> rosé/);
    expect(kitchen[0]).not.toContain('Pression');
    expect(bar[0]).toMatch(/BOISSONS\n2 x Pression/);
    expect(bar[0]).not.toContain('Magret');
    // The same send again (a retry) prints nothing more; a send with nothing new is refused.
    expect((await waiterA.post(`/api/orders/${order}/ops`, sendOp)).status).toBe(200);
    expect((await op(waiterB, { kind: 'send' })).status).toBe(422);
    await new Promise((r) => setTimeout(r, 300));
    expect([tickets('cuisine').length, tickets('bar').length]).toEqual([1, 1]);
    expect((await current()).lines.every((l) => l.status === 'sent')).toBe(true);
  });

  it('fires the next course on Suite, and a sent line is cancelled only with a reason the kitchen receives', async () => {
    expect((await op(waiterA, { kind: 'fire', course: 'main' })).status).toBe(201);
    const fired = await until('the Suite ticket', () => tickets('cuisine')[1]);
    expect(fired).toContain('SUITE : PLATS');
    expect(fired).toMatch(/PLATS\n2 x Magret/);
    expect(fired).not.toContain('Salade');

    const magret = (await current()).lines.find((l) => l.name === 'Magret')!;
    // A sent line is not simply removed: the kitchen must hear of it.
    expect((await op(waiterB, { kind: 'remove', lineId: magret.id, version: magret.version })).status).toBe(409);
    const voided = await op(waiterB, { kind: 'void', lineId: magret.id, version: magret.version, reason: 'client parti' });
    expect(voided.status).toBe(201);
    const cancel = await until('the ANNULÉ ticket', () => tickets('cuisine')[2]);
    expect(cancel).toContain('*** ANNULÉ ***');
    expect(cancel).toMatch(/2 x Magret/);
    expect(cancel).toContain('Motif : client parti');
    expect(tickets('bar')).toHaveLength(1);
    // 63,00 − 37,00 = 26,00 €: a voided line is not paid.
    expect((await current()).totalCents).toBe(2600);
  });

  it('moves the order to a free table, and refuses a table already open', async () => {
    const other = uuidv7();
    expect((await op(waiterB, { kind: 'open', tableId: t2, covers: 2 }, other)).status).toBe(201);
    const busy = await op(waiterA, { kind: 'transfer', tableId: t2 });
    expect(busy.status).toBe(409);
    expect(busy.body.error.fields[0].field).toBe('tableId');
    expect((await op(waiterB, { kind: 'open', tableId: t1, covers: 1 }, uuidv7())).status).toBe(409);
  });

  it('names the field of a malformed operation and writes nothing', async () => {
    const before = (await current()).version;
    const bad = await op(waiterA, { kind: 'add', lineId: uuidv7(), productId: salad, quantity: 0 });
    expect(bad.status).toBe(400);
    expect(bad.body.error.fields[0].field).toBe('body.quantity');
    const unknown = await op(waiterA, { kind: 'add', lineId: uuidv7(), productId: 999_999, quantity: 1 });
    expect(unknown.status).toBe(422);
    expect(unknown.body.error.fields[0].field).toBe('productId');
    expect((await current()).version).toBe(before);
  });

  it('prints the note with what the law asks, and the same note again as a numbered DUPLICATA', async () => {
    const first = await op(waiterA, { kind: 'note', customerName: 'Mme Durand' });
    expect(first.status).toBe(201);
    expect(first.body.order.lastNote).toEqual({ number: 1, copy: 0, totalCents: 2600 });
    const note = await until('the note', () => tickets('salle')[0]);
    // Salade 2 × 9,50 = 19,00 at 10 %: HT 1900 / 1,1 = 1727,27 -> 17,27, TVA 1,73.
    // Pression 2 × 3,50 = 7,00 at 20 %: HT 700 / 1,2 = 583,33 -> 5,83, TVA 1,17. HT 23,10, TTC 26,00.
    expect(note).toContain('NOTE n° 1');
    expect(note).toContain('Table T1');
    expect(note).toContain('3 couverts');
    expect(note).toContain('Client : Mme Durand');
    expect(note).toMatch(/2 x Salade de chèvre +19,00 €\n {3}9,50 € l'unité/);
    expect(note).toMatch(/2 x Pression +7,00 €\n {3}3,50 € l'unité/);
    expect(note).not.toContain('Magret');
    expect(note).toMatch(/Total HT +23,10 €/);
    expect(note).toMatch(/TVA 10 % sur 17,27 € +1,73 €/);
    expect(note).toMatch(/TVA 20 % sur 5,83 € +1,17 €/);
    expect(note).toMatch(/TOTAL TTC +26,00 €/);
    expect(note).not.toContain('DUPLICATA');
    const again = await op(waiterB, { kind: 'note', customerName: 'Mme Durand' });
    expect(again.body.order.lastNote).toEqual({ number: 1, copy: 1, totalCents: 2600 });
    // Waiter B's till has no printer: the duplicate is counted, shown on the phone, not printed.
    expect(tickets('salle')).toHaveLength(1);
    const third = await op(waiterA, { kind: 'note', customerName: 'Mme Durand' });
    expect(third.body.order.lastNote).toEqual({ number: 1, copy: 2, totalCents: 2600 });
    expect(await until('the duplicate', () => tickets('salle')[1])).toContain('DUPLICATA n° 2');
  });

  it('is paid by item in two tickets on the till’s chain; the second closes the order and frees the table', async () => {
    const o = await current();
    const salade = o.lines.find((l) => l.name === 'Salade de chèvre')!;
    const pression = o.lines.find((l) => l.name === 'Pression')!;
    const magret = o.lines.find((l) => l.name === 'Magret')!;
    const tillOf = async (c: Client) => (await c.get('/api/devices/current')).body.id as number;
    let tillId = await tillOf(waiterA);
    let number = 0;
    const part = (
      lines: { line: typeof salade; quantity: number }[],
      payments: { method: string; amountCents: number }[],
      total: number,
    ) => ({
      id: uuidv7(),
      tillId,
      number: ++number,
      createdAt: at(),
      lines: lines.map(({ line, quantity }) => ({ productId: line.productId, quantity, unitPriceCents: line.unitPriceCents })),
      payments,
      totalCents: total,
      order: { id: order, lines: lines.map(({ line, quantity }) => ({ lineId: line.id, quantity })) },
    });
    // A voided line is not for sale, and nobody pays more of a line than was ordered.
    const voided = await waiterA.post('/api/sales', part([{ line: magret, quantity: 1 }], [{ method: 'card', amountCents: 1850 }], 1850));
    expect(voided.status, JSON.stringify(voided.body)).toBe(422);
    expect(voided.body.error.fields).toEqual([{ field: 'order.lines.0', reason: 'ligne annulée' }]);
    number--;
    const tooMany = await waiterA.post('/api/sales', part([{ line: salade, quantity: 3 }], [{ method: 'card', amountCents: 2850 }], 2850));
    expect(tooMany.status).toBe(422);
    expect(tooMany.body.error.fields[0].field).toBe('order.lines.0.quantity');
    number--;

    // Guest 1: a salad and a beer, 9,50 + 3,50 = 13,00 € by card. Guest 2 the same, 13,00 € in cash.
    const first = await waiterA.post(
      '/api/sales',
      part(
        [
          { line: salade, quantity: 1 },
          { line: pression, quantity: 1 },
        ],
        [{ method: 'card', amountCents: 1300 }],
        1300,
      ),
    );
    expect(first.status, JSON.stringify(first.body)).toBe(201);
    expect((await current()).status).toBe('open');
    // Guest 2 pays at the other waiter's phone: its own till, its own numbers.
    tillId = await tillOf(waiterB);
    number = 0;
    const second = await waiterB.post(
      '/api/sales',
      part(
        [
          { line: salade, quantity: 1 },
          { line: pression, quantity: 1 },
        ],
        [{ method: 'cash', amountCents: 2000 }],
        1300,
      ),
    );
    expect(second.status, JSON.stringify(second.body)).toBe(201);
    expect(second.body).toMatchObject({ tillId, number: 1 });
    // Each part is a ticket with its own VAT: 9,50 at 10 % and 3,50 at 20 %.
    expect(second.body.vat).toEqual([
      { vatRateBp: 1000, grossCents: 950, netCents: 864, vatCents: 86 },
      { vatRateBp: 2000, grossCents: 350, netCents: 292, vatCents: 58 },
    ]);
    expect(second.body.changeCents).toBe(700);
    expect((await current()).status).toBe('closed');
    await until('the closed order heard', () => heard.find((h) => h.id === order && h.status === 'closed'));
    const floor = (await waiterB.get('/api/floor')).body;
    expect(floor[0].tables.find((t: { id: number }) => t.id === t1).order).toBeNull();
    // Paid: nothing more is added to it.
    expect((await op(waiterA, { kind: 'covers', covers: 2 })).status).toBe(409);
  });

  it('refuses the restaurant’s Z while a table is open, unless the manager closes it with the tables listed', async () => {
    // T2 was opened above and holds nothing yet.
    // The shop's business day (Paris), not UTC's: run after 23:00 UTC the two differ.
    const today = new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/Paris' }).format(new Date());
    const day = { outlet: 'restaurant', day: today, cashCountedCents: 700, confirmEarly: true };
    const refused = await shop.admin.post('/api/closings/day', day);
    expect(refused.status).toBe(409);
    expect(refused.body.error.message).toContain('T2');
    expect(refused.body.error.fields[0].field).toBe('withOpenTables');
    const z = await shop.admin.post('/api/closings/day', { ...day, withOpenTables: true });
    expect(z.status, JSON.stringify(z.body)).toBe(201);
    expect(z.body.figures.openTables).toEqual([{ table: 'T2', orderId: expect.any(String), totalCents: 0, leftCents: 0 }]);
    // The Z on paper lists it too (found by a walk: only the chained figures had it).
    const paper = decodeEscPos(
      closingReport(
        'Z',
        z.body.figures,
        { shop: await shopIdentity(shop.server.database.db), period: today, outletName: 'Restaurant', at: z.body.closedAt },
        { columns: 48, codePage: 'pc858' },
      ),
    ).text;
    expect(paper).toMatch(/\nTables encore ouvertes\n *Table T2 +0,00\s€\n *Reste à régler +0,00\s€\n/);
    // The two parts paid above: 13,00 € by card and 13,00 € in cash (20,00 given, 7,00 back).
    expect(z.body.figures.totalCents).toBe(2600);
    expect((await shop.admin.get('/api/journal/verify')).body).toMatchObject({ ok: true, problems: [] });
  });
});

describe('the restaurant: moving lines and merging tables', () => {
  let shop: TestShop;
  let waiter: Client;
  let soup: number;
  let tables: number[];
  let station: number;
  const op = (orderId: string, body: Record<string, unknown>) =>
    waiter.post(`/api/orders/${orderId}/ops`, { id: uuidv7(), at: at(), ...body });
  const get = async (id: string) => (await waiter.get(`/api/orders/${id}`)).body as OrderView;

  beforeAll(async () => {
    shop = await startTestShop();
    const till = await shop.admin.post('/api/tills', { outlet: 'restaurant', name: 'Salle' });
    // The soups go to the kitchen's screen (a station without a printer).
    const plats = await aCategory(shop.admin, { name: 'Plats' });
    station = (await shop.admin.post('/api/stations', { name: 'Cuisine' })).body.id;
    expect((await shop.admin.put(`/api/categories/${plats.id}/station`, { stationId: station })).status).toBe(200);
    soup = (
      await aProduct(shop.admin, {
        name: 'Soupe',
        producerId: null,
        outlets: ['restaurant'],
        priceCents: 700,
        vatRateBp: 1000,
        categoryId: plats.id,
      })
    ).id;
    const room = await shop.admin.post('/api/rooms', { name: 'Salle' });
    tables = [];
    for (const name of ['1', '2', '3'])
      tables.push((await shop.admin.post(`/api/rooms/${room.body.id}/tables`, { name, seats: 4 })).body.id);
    waiter = (await aUser(shop, 'waiter', { tillId: till.body.id })).client;
  });
  afterAll(() => shop.close());

  it('moves a line to another table, then merges two tables into one', async () => {
    const [a, b, c] = [uuidv7(), uuidv7(), uuidv7()];
    await op(a, { kind: 'open', tableId: tables[0], covers: 2 });
    await op(b, { kind: 'open', tableId: tables[1], covers: 3 });
    await op(c, { kind: 'open', tableId: tables[2], covers: 1 });
    const [l1, l2] = [uuidv7(), uuidv7()];
    await op(a, { kind: 'add', lineId: l1, productId: soup, quantity: 1 });
    await op(a, { kind: 'add', lineId: l2, productId: soup, quantity: 2 });
    // The two soups of line 2 were for table 2.
    expect((await op(a, { kind: 'move', lineIds: [l2], toOrderId: b })).status).toBe(201);
    expect((await get(a)).lines.map((l) => [l.id, l.quantity])).toEqual([[l1, 1]]);
    expect((await get(b)).lines.map((l) => [l.id, l.quantity])).toEqual([[l2, 2]]);
    expect((await get(b)).totalCents).toBe(1400);
    // A line that is not this order's is refused, naming the field, and nothing moves.
    const wrong = await op(a, { kind: 'move', lineIds: [l2], toOrderId: c });
    expect(wrong.status).toBe(422);
    expect(wrong.body.error.fields[0].field).toBe('lineIds');
    // Table 2 sends its soups to the kitchen: the screen says table 2.
    expect((await op(b, { kind: 'send' })).status).toBe(201);
    const board = async () => (await waiter.get(`/api/stations/${station}/board`)).body.tickets as { table: string; covers: number }[];
    expect((await board()).map((k) => [k.table, k.covers])).toEqual([['2', 3]]);
    // Tables 2 and 1 are joined: table 1's order takes table 2's lines and covers; table 2 is free.
    expect((await op(a, { kind: 'merge', fromOrderId: b })).status).toBe(201);
    // The kitchen's ticket says where the soups go now, table 1 with its 5 covers (it said table 2 for good).
    expect((await board()).map((k) => [k.table, k.covers])).toEqual([['1', 5]]);
    const merged = await get(a);
    expect(merged.lines.map((l) => l.id)).toEqual([l1, l2]);
    expect(merged).toMatchObject({ covers: 5, totalCents: 2100 });
    expect((await get(b)).status).toBe('cancelled');
    const floor = (await waiter.get('/api/floor')).body[0].tables as { id: number; order: null | { covers: number } }[];
    expect(floor.map((t) => t.order?.covers ?? null)).toEqual([5, null, 1]);
  });

  it('prints the note by itself when a bill of 25 € or more is settled without one', async () => {
    const tillId = (await waiter.get('/api/devices/current')).body.id as number;
    const printer = await shop.admin.post('/api/printers', {
      name: 'Salle',
      role: 'receipt',
      uri: 'file:salle',
      columns: 48,
      codePage: 'pc858',
    });
    expect((await shop.admin.patch(`/api/tills/${tillId}`, { printerId: printer.body.id })).status).toBe(200);
    const notes = () => {
      const dir = path.join(shop.dataDir, 'salle');
      return fs.existsSync(dir) ? fs.readdirSync(dir).filter((f) => f.endsWith('-note.bin')) : [];
    };
    // Table 2 (free since the merge): four soups, 4 × 7,00 = 28,00 €, paid in one ticket with no note asked for.
    const id = uuidv7();
    await op(id, { kind: 'open', tableId: tables[1], covers: 4 });
    const lineId = uuidv7();
    await op(id, { kind: 'add', lineId, productId: soup, quantity: 4 });
    const paid = await waiter.post('/api/sales', {
      id: uuidv7(),
      tillId,
      number: 1,
      createdAt: at(),
      lines: [{ productId: soup, quantity: 4, unitPriceCents: 700 }],
      payments: [{ method: 'card', amountCents: 2800 }],
      totalCents: 2800,
      order: { id, lines: [{ lineId, quantity: 4 }] },
    });
    expect(paid.status, JSON.stringify(paid.body)).toBe(201);
    expect((await get(id)).lastNote).toEqual({ number: 1, copy: 0, totalCents: 2800 });
    const file = await until('the note', () => notes()[0]);
    const text = decodeEscPos(fs.readFileSync(path.join(shop.dataDir, 'salle', file))).text.replace(/[\u00a0\u202f]/g, ' ');
    expect(text).toMatch(/4 x Soupe +28,00 €/);
    expect(text).toMatch(/TOTAL TTC +28,00 €/);
  });

  it('does not let a till in training mode pay a real order', async () => {
    const tillId = (await waiter.get('/api/devices/current')).body.id as number;
    expect((await shop.admin.patch(`/api/tills/${tillId}`, { trainingMode: true })).status).toBe(200);
    const orders = (await waiter.get('/api/orders')).body as OrderView[];
    const open = orders.find((o) => o.lines.length)!;
    const line = open.lines[0]!;
    const res = await waiter.post('/api/sales', {
      id: uuidv7(),
      tillId,
      number: 1,
      createdAt: at(),
      lines: [{ productId: line.productId, quantity: line.quantity, unitPriceCents: line.unitPriceCents }],
      payments: [{ method: 'cash', amountCents: line.totalCents }],
      totalCents: line.totalCents,
      order: { id: open.id, lines: [{ lineId: line.id, quantity: line.quantity }] },
    });
    expect(res.status).toBe(422);
    expect(res.body.error.fields).toEqual([{ field: 'order.id', reason: 'caisse en formation' }]);
  });
});
