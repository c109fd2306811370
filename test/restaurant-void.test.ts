import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { aCategory, aProduct, aUser, startTestShop, type Client, type TestShop } from './support/harness.ts';
import { uuidv7 } from './support/tickets.ts';

// A dish already sent is cancelled with a reason; above the shop's limit, only with a manager's approval
// given on the waiter's phone. A till in training mode takes no real order.
describe('cancelling a dish already sent, and the training till', () => {
  let shop: TestShop;
  let waiter: Client;
  let tillId: number;
  let steak: number;
  let bread: number;
  let table: number;
  const order = uuidv7();
  const op = (body: Record<string, unknown>, c = waiter, id = order) =>
    c.post(`/api/orders/${id}/ops`, { id: uuidv7(), at: new Date().toISOString(), ...body });
  const lineOf = async (name: string) =>
    ((await waiter.get(`/api/orders/${order}`)).body.lines as { id: string; name: string; version: number; status: string }[]).find(
      (l) => l.name === name,
    )!;

  beforeAll(async () => {
    shop = await startTestShop();
    const admin = shop.admin;
    tillId = (await admin.post('/api/tills', { outlet: 'restaurant', name: 'Salle 1' })).body.id;
    const station = (await admin.post('/api/stations', { name: 'Cuisine' })).body.id;
    const dishes = await aCategory(admin, { name: 'Plats' });
    await admin.put(`/api/categories/${dishes.id}/station`, { stationId: station });
    const menu = { producerId: null, outlets: ['restaurant'], vatRateBp: 1000, categoryId: dishes.id };
    steak = (await aProduct(admin, { ...menu, name: 'Côte de bœuf', priceCents: 4800 })).id;
    bread = (await aProduct(admin, { ...menu, name: 'Pain', priceCents: 150 })).id;
    table = (await admin.post(`/api/rooms/${(await admin.post('/api/rooms', { name: 'Salle' })).body.id}/tables`, { name: '1', seats: 4 }))
      .body.id;
    // Above 30,00 € a cancellation needs a manager.
    const options = (await admin.get('/api/settings')).body.till;
    expect((await admin.put('/api/settings/till', { ...options, voidApprovalCents: 3000 })).status).toBe(200);
    await admin.post('/api/users', {
      displayName: 'Gérante',
      role: 'manager',
      login: 'gerante',
      password: 'gerante-password-1',
      pin: '9753',
    });
    waiter = (await aUser(shop, 'waiter', { tillId })).client;
    await op({ kind: 'open', tableId: table, covers: 2 });
    await op({ kind: 'add', lineId: uuidv7(), productId: steak, quantity: 1 });
    await op({ kind: 'add', lineId: uuidv7(), productId: bread, quantity: 2 });
    expect((await op({ kind: 'send' })).status).toBe(201);
  });
  afterAll(() => shop.close());

  it('cancels a cheap line with its reason alone', async () => {
    const pain = await lineOf('Pain');
    // 2 × 1,50 = 3,00 €: under the 30,00 € limit.
    expect((await op({ kind: 'void', lineId: pain.id, version: pain.version, reason: 'oubli' })).status).toBe(201);
    expect((await lineOf('Pain')).status).toBe('voided');
  });

  it('refuses a 48,00 € cancellation without a manager, and takes it with their approval', async () => {
    const cote = await lineOf('Côte de bœuf');
    const refused = await op({ kind: 'void', lineId: cote.id, version: cote.version, reason: 'client parti' });
    expect(refused.status).toBe(422);
    expect(refused.body.error.fields).toEqual([{ field: 'approval', reason: expect.any(String) }]);
    expect(refused.body.error.message).toContain('30,00');
    const forged = await op({ kind: 'void', lineId: cote.id, version: cote.version, reason: 'client parti', approval: 'v1.1.1.1.xxx' });
    expect(forged.status).toBe(422);
    expect((await waiter.post('/api/auth/approve', { pin: '0000', purpose: 'void', amountCents: 4800 })).status).toBe(401);
    // The approval covers the dishes the manager was shown: 30,00 € approved does not cancel the 48,00 € steak.
    const less = await waiter.post('/api/auth/approve', { pin: '9753', purpose: 'void', amountCents: 3000 });
    const short = await op({ kind: 'void', lineId: cote.id, version: cote.version, reason: 'client parti', approval: less.body.approval });
    expect([short.status, short.body.error.fields[0].field]).toEqual([422, 'approval']);
    const approved = await waiter.post('/api/auth/approve', { pin: '9753', purpose: 'void', amountCents: 4800 });
    expect(approved.status).toBe(200);
    const ok = await op({ kind: 'void', lineId: cote.id, version: cote.version, reason: 'client parti', approval: approved.body.approval });
    expect(ok.status).toBe(201);
    expect((await lineOf('Côte de bœuf')).status).toBe('voided');
    const events = JSON.stringify((await shop.admin.get('/api/events?kind=order.voided')).body);
    expect(events).toContain(`"approvedBy":${approved.body.approver.id}`);
  });

  it('cancels part of a sent line: the rest stays sent, the kitchen counts what is left', async () => {
    const station = ((await shop.admin.get('/api/stations')).body as { id: number; name: string }[]).find((x) => x.name === 'Cuisine')!.id;
    const breadLine = uuidv7();
    await op({ kind: 'add', lineId: breadLine, productId: bread, quantity: 3 });
    expect((await op({ kind: 'send' })).status).toBe(201);
    type Line = { id: string; name: string; version: number; status: string; quantity: number; voidReason: string | null };
    const lines = async () => (await waiter.get(`/api/orders/${order}`)).body.lines as Line[];
    const sent = (await lines()).find((l) => l.id === breadLine)!;
    expect(sent).toMatchObject({ status: 'sent', quantity: 3 });
    // More than the line holds: refused by name, nothing changed.
    const tooMany = await op({ kind: 'void', lineId: breadLine, version: sent.version, reason: 'tombé', quantity: 4 });
    expect(tooMany.status).toBe(422);
    expect(tooMany.body.error.fields).toEqual([{ field: 'quantity', reason: 'au plus 3' }]);
    // One of the three breads fell: 1 × 1,50 € cancelled (under the limit, no manager).
    expect((await op({ kind: 'void', lineId: breadLine, version: sent.version, reason: 'tombé', quantity: 1 })).status).toBe(201);
    const after = await lines();
    const at = after.findIndex((l) => l.id === breadLine);
    expect(after[at]).toMatchObject({ status: 'sent', quantity: 2, version: sent.version + 1 });
    // The cancelled part right after it, with its reason.
    expect(after[at + 1]).toMatchObject({ name: 'Pain', status: 'voided', quantity: 1, voidReason: 'tombé' });
    // Left to pay: the two breads still sent, 2 × 1,50 = 3,00 € (the steak and the first breads were cancelled).
    expect((await waiter.get(`/api/orders/${order}`)).body.totalCents).toBe(300);
    // The kitchen: an ANNULÉ ticket for one bread, with the reason; still to prepare, two breads (its send
    // ticket said three).
    const board = (await waiter.get(`/api/stations/${station}/board`)).body as {
      tickets: { kind: string; reason: string | null; items: { name: string; quantity: number }[] }[];
      allDay: { name: string; quantity: number }[];
    };
    const cancel = board.tickets.filter((x) => x.kind === 'void').at(-1)!;
    expect(cancel).toMatchObject({ reason: 'tombé', items: [expect.objectContaining({ name: 'Pain', quantity: 1 })] });
    expect(board.allDay).toEqual([{ name: 'Pain', quantity: 2 }]);
    const event = ((await shop.admin.get('/api/events?kind=order.voided')).body as { data: Record<string, unknown> }[]).find(
      (e) => e.data.partOf === breadLine,
    );
    expect(event?.data).toMatchObject({ quantity: 1, left: 2, totalCents: 150, reason: 'tombé' });
    // The rest cancelled as a whole: nothing left to prepare.
    const rest = (await lines()).find((l) => l.id === breadLine)!;
    expect((await op({ kind: 'void', lineId: breadLine, version: rest.version, reason: 'client parti' })).status).toBe(201);
    expect((await lines()).find((l) => l.id === breadLine)).toMatchObject({ status: 'voided', quantity: 2 });
    expect(((await waiter.get(`/api/stations/${station}/board`)).body as { allDay: unknown[] }).allDay).toEqual([]);
  });

  // Found by a walk: ten dishes cancelled one or two at a time each went under the limit.
  it('judges the manager’s approval on what of the line is cancelled in all', async () => {
    const many = uuidv7();
    await op({ kind: 'add', lineId: many, productId: bread, quantity: 25 });
    expect((await op({ kind: 'send' })).status).toBe(201);
    type Line = { id: string; version: number; quantity: number };
    const line = async () => ((await waiter.get(`/api/orders/${order}`)).body.lines as Line[]).find((l) => l.id === many)!;
    const cancel = async (quantity: number) =>
      op({ kind: 'void', lineId: many, version: (await line()).version, reason: 'trop cuit', quantity });
    // 10 × 1,50 = 15,00 €, then 20 × 1,50 = 30,00 € in all: not above the 30,00 € limit.
    expect((await cancel(10)).status).toBe(201);
    expect((await cancel(10)).status).toBe(201);
    // One more: 21 × 1,50 = 31,50 € cancelled of this line, though this part is 1,50 €.
    const over = await cancel(1);
    expect(over.status).toBe(422);
    expect(over.body.error.fields).toEqual([{ field: 'approval', reason: 'accord d’un responsable requis' }]);
    expect((await line()).quantity).toBe(5);
  });

  // Found by an attack: one cancelled, the rest moved to another table, one more cancelled there, and so on: ten
  // burgers cancelled, 145 €, each step under the limit.
  it('judges it on the line wherever it was moved', async () => {
    const room = (await shop.admin.post('/api/rooms', { name: 'Terrasse' })).body.id;
    const tableOf = async (name: string) => (await shop.admin.post(`/api/rooms/${room}/tables`, { name, seats: 4 })).body.id as number;
    const [a, b] = [uuidv7(), uuidv7()];
    expect((await op({ kind: 'open', tableId: await tableOf('T1'), covers: 2 }, waiter, a)).status).toBe(201);
    expect((await op({ kind: 'open', tableId: await tableOf('T2'), covers: 2 }, waiter, b)).status).toBe(201);
    const loaves = uuidv7();
    await op({ kind: 'add', lineId: loaves, productId: bread, quantity: 30 }, waiter, a);
    expect((await op({ kind: 'send' }, waiter, a)).status).toBe(201);
    type Line = { id: string; version: number };
    const version = async (at: string) =>
      ((await waiter.get(`/api/orders/${at}`)).body.lines as Line[]).find((l) => l.id === loaves)!.version;
    // 15 × 1,50 = 22,50 € at T1: under the 30,00 € limit.
    expect((await op({ kind: 'void', lineId: loaves, version: await version(a), reason: 'rassis', quantity: 15 }, waiter, a)).status).toBe(
      201,
    );
    // The 15 left moved to T2: 6 more there would be 21 × 1,50 = 31,50 € of this line cancelled in all.
    expect((await op({ kind: 'move', lineIds: [loaves], toOrderId: b }, waiter, a)).status).toBe(201);
    const over = await op({ kind: 'void', lineId: loaves, version: await version(b), reason: 'rassis', quantity: 6 }, waiter, b);
    expect([over.status, over.body.error?.fields]).toEqual([422, [{ field: 'approval', reason: 'accord d’un responsable requis' }]]);
    // 5 more: 20 × 1,50 = 30,00 €, not above it.
    expect((await op({ kind: 'void', lineId: loaves, version: await version(b), reason: 'rassis', quantity: 5 }, waiter, b)).status).toBe(
      201,
    );
  });

  // Found by an independent check: an order with nothing left to pay (opened by mistake, every dish cancelled)
  // kept its table taken for good; the only way out was merging it into another table.
  it('frees the table of an order with nothing to pay, and only then', async () => {
    const admin = shop.admin;
    const room = (await admin.post('/api/rooms', { name: 'Terrasse' })).body.id;
    const t9 = (await admin.post(`/api/rooms/${room}/tables`, { name: '9', seats: 2 })).body.id as number;
    const o = uuidv7();
    expect((await op({ kind: 'open', tableId: t9, covers: 2 }, waiter, o)).status).toBe(201);
    const line = uuidv7();
    expect((await op({ kind: 'add', lineId: line, productId: bread, quantity: 1 }, waiter, o)).status).toBe(201);
    // A dish not sent yet: removed first.
    const unsent = await op({ kind: 'close' }, waiter, o);
    expect([unsent.status, unsent.body.error?.fields]).toEqual([422, [{ field: 'kind', reason: 'articles pas encore envoyés' }]]);
    expect((await op({ kind: 'send' }, waiter, o)).status).toBe(201);
    // Sent: 1,50 € to pay.
    const owed = await op({ kind: 'close' }, waiter, o);
    expect([owed.status, owed.body.error?.fields]).toEqual([422, [{ field: 'kind', reason: 'il reste 150 centimes à régler' }]]);
    const sent = ((await waiter.get(`/api/orders/${o}`)).body.lines as { id: string; version: number }[])[0]!;
    expect((await op({ kind: 'void', lineId: sent.id, version: sent.version, reason: 'client parti' }, waiter, o)).status).toBe(201);
    const closed = await op({ kind: 'close' }, waiter, o);
    expect([closed.status, closed.body.order.status]).toEqual([201, 'cancelled']);
    // The table is free for the next guests, and no longer among the open orders.
    expect(((await waiter.get('/api/orders')).body as { id: string }[]).some((x) => x.id === o)).toBe(false);
    expect((await op({ kind: 'open', tableId: t9, covers: 2 }, waiter, uuidv7())).status).toBe(201);
  });

  it('takes no real order from a till in training mode', async () => {
    const training = (await shop.admin.post('/api/tills', { outlet: 'restaurant', name: 'Formation' })).body.id;
    expect((await shop.admin.patch(`/api/tills/${training}`, { trainingMode: true })).status).toBe(200);
    const trainee = (await aUser(shop, 'waiter', { tillId: training })).client;
    const refused = await op({ kind: 'add', lineId: uuidv7(), productId: bread, quantity: 1 }, trainee);
    expect(refused.status).toBe(422);
    expect(refused.body.error.fields).toEqual([{ field: 'tillId', reason: 'caisse en formation' }]);
    const other = uuidv7();
    expect((await op({ kind: 'open', tableId: table + 0, covers: 1 }, trainee, other)).status).toBe(422);
  });
});
