import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { OrderView } from '../shared/api/restaurant.ts';
import { io, type Socket } from 'socket.io-client';
import type { ServerToClientEvents, StockChangedEvent } from '../shared/realtime.ts';
import { decodeEscPos } from './support/escpos-decoder.ts';
import { allowMealVouchersEveryDay, aProduct, aProducer, aUser, startTestShop, type Client, type TestShop } from './support/harness.ts';
import { uuidv7 } from './support/tickets.ts';
import { spreadPart } from '../shared/split.ts';
import { openOrdersSummary } from '../server/restaurant/orders.ts';
import { until } from './support/wait.ts';

// A restaurant bill split in equal parts or by a custom amount, each part a ticket of its own on the till's
// chain, and tips on card outside turnover. Every figure below is worked by hand from the rules written in
// shared/split.ts: equal part k of N = ceil(left / (N − k + 1)); a part spreads over rates, then over each
// rate's lines, by largest remainder (ties to the lower rate, then the earlier line); a part's HT at a rate
// is HT(everything paid in parts so far at that rate) − HT(the parts before), HT = round(TTC / (1 + rate)).

const at = () => new Date().toISOString();
// The shop's business day (Paris), not UTC's: run after 23:00 UTC the two differ.
const today = () => new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/Paris' }).format(new Date());
type Payment = { method: string; amountCents: number; tipCents?: number };

interface Setup {
  shop: TestShop;
  waiter: Client;
  tillId: number;
  magret: number;
  salade: number;
  gaillac: number;
  pression: number;
  producer: number;
}

async function restaurant(): Promise<Setup> {
  const shop = await startTestShop();
  const admin = shop.admin;
  const till = await admin.post('/api/tills', { outlet: 'restaurant', name: 'Salle' });
  expect(till.status).toBe(201);
  const house = { producerId: null, outlets: ['restaurant'], vatRateBp: 1000 };
  const magret = (await aProduct(admin, { ...house, name: 'Magret', priceCents: 1850, mealVoucherEligible: true })).id;
  const salade = (await aProduct(admin, { ...house, name: 'Salade', priceCents: 950, mealVoucherEligible: true })).id;
  // Bills are paid today, some in meal vouchers: the same on a Sunday.
  await allowMealVouchersEveryDay(admin);
  const pression = (await aProduct(admin, { ...house, name: 'Pression', priceCents: 350, vatRateBp: 2000, stockTracked: false })).id;
  // A producer's bottle, on consignment, served at the table: it must be accounted exactly once.
  const producer = (await aProducer(admin, { name: 'Domaine de Labarthe' })).id;
  const gaillac = (
    await aProduct(admin, { name: 'Gaillac rouge', producerId: producer, outlets: ['restaurant'], priceCents: 2400, vatRateBp: 2000 })
  ).id;
  const waiter = (await aUser(shop, 'waiter', { tillId: till.body.id })).client;
  return { shop, waiter, tillId: till.body.id, magret, salade, gaillac, pression, producer };
}

describe('the bill split in equal parts', () => {
  let s: Setup;
  let number = 0;
  const order = uuidv7();
  const op = (body: Record<string, unknown>) => s.waiter.post(`/api/orders/${order}/ops`, { id: uuidv7(), at: at(), ...body });
  const current = async () => (await s.waiter.get(`/api/orders/${order}`)).body as OrderView;
  const share = (parts: number, index: number, totalCents: number, payments: Payment[]) => ({
    id: uuidv7(),
    tillId: s.tillId,
    number: ++number,
    createdAt: at(),
    lines: [],
    payments,
    totalCents,
    order: { id: order, share: { parts, index } },
  });
  const onHand = async (id: number) => (await s.shop.admin.get(`/api/products/${id}`)).body.onHand as number;
  const tickets: { totalCents: number; vat: { vatRateBp: number; grossCents: number; netCents: number; vatCents: number }[] }[] = [];

  beforeAll(async () => {
    s = await restaurant();
    const room = await s.shop.admin.post('/api/rooms', { name: 'Salle' });
    const t5 = (await s.shop.admin.post(`/api/rooms/${room.body.id}/tables`, { name: '5', seats: 4 })).body.id;
    expect((await op({ kind: 'open', tableId: t5, covers: 3 })).status).toBe(201);
    for (const [productId, quantity] of [
      [s.magret, 2],
      [s.salade, 1],
      [s.gaillac, 1],
      [s.pression, 2],
    ] as const)
      expect((await op({ kind: 'add', lineId: uuidv7(), productId, quantity })).status).toBe(201);
  });
  afterAll(() => s.shop.close());

  it('shows what is left and the three parts before anything is paid', async () => {
    // 2 × 18,50 + 9,50 = 46,50 at 10 %; 24,00 + 2 × 3,50 = 31,00 at 20 %; 77,50 in all.
    // Part 1: ceil(7750 / 3) = 2584; part 2: ceil(5166 / 2) = 2583; part 3: the 2583 left.
    const bill = await s.waiter.get(`/api/orders/${order}/bill?parts=3`);
    expect(bill.status, JSON.stringify(bill.body)).toBe(200);
    expect(bill.body).toEqual({
      orderId: order,
      totalCents: 7750,
      paidCents: 0,
      leftCents: 7750,
      leftByRate: [
        { vatRateBp: 1000, leftCents: 4650 },
        { vatRateBp: 2000, leftCents: 3100 },
      ],
      byShare: false,
      parts: [
        { index: 1, amountCents: 2584 },
        { index: 2, amountCents: 2583 },
        { index: 3, amountCents: 2583 },
      ],
      split: null,
      // What the phone spreads a part over, as the server does (for the meal vouchers a part may take).
      lines: [
        { leftCents: 3700, vatRateBp: 1000, mealVoucherEligible: true },
        { leftCents: 950, vatRateBp: 1000, mealVoucherEligible: true },
        { leftCents: 2400, vatRateBp: 2000, mealVoucherEligible: false },
        { leftCents: 700, vatRateBp: 2000, mealVoucherEligible: false },
      ],
    });
    // Part 1 (2584) spread as below: Magret 1233 + Salade 317 = 1550 of eligible food; the phone says so.
    expect(spreadPart(bill.body.lines, 2584)).toEqual([1233, 317, 801, 233]);
  });

  it('refuses meal vouchers above a part’s eligible food (15,50 € of part 1), as the phone now says', async () => {
    const over = await s.waiter.post(
      '/api/sales',
      share(3, 1, 2584, [
        { method: 'meal_voucher', amountCents: 1551 },
        { method: 'cash', amountCents: 1033 },
      ]),
    );
    number--;
    expect(over.status).toBe(422);
    expect(over.body.error.fields[0].reason.replace(/[\u00a0\u202f]/g, ' ')).toBe(
      'titres-restaurant : 15,50 € maximum sur ce ticket (articles éligibles 15,50 €)',
    );
  });

  it('refuses a part whose amount is not the one due, writing nothing', async () => {
    const wrong = await s.waiter.post('/api/sales', share(3, 1, 2583, [{ method: 'cash', amountCents: 2583 }]));
    number--;
    expect(wrong.status).toBe(422);
    expect(wrong.body.error.fields).toEqual([{ field: 'totalCents', reason: 'attendu 2584' }]);
    const withLines = await s.waiter.post('/api/sales', {
      ...share(3, 1, 2584, [{ method: 'cash', amountCents: 2584 }]),
      lines: [{ productId: s.magret, quantity: 1, unitPriceCents: 1850 }],
    });
    number--;
    expect(withLines.status).toBe(400);
    expect((await s.waiter.get(`/api/orders/${order}/bill`)).body.leftCents).toBe(7750);
  });

  it('pays part 1 in cash: its lines spread by rate then by line, its VAT per rate', async () => {
    // 2584 over the rates 4650 : 3100 → 1550,4 and 1033,6: floors 1550 + 1033 = 2583, the cent left to the
    // larger remainder (0,6) → 10 % 1550, 20 % 1034.
    // 10 %: 1550 over Magret 3700 and Salade 950 → 1233,33 and 316,67 → Magret 1233, Salade 317.
    // 20 %: 1034 over Gaillac 2400 and Pression 700 → 800,52 and 233,48 → Gaillac 801, Pression 233.
    // VAT: 1550 / 1,1 = 1409,09 → HT 1409, TVA 141; 1034 / 1,2 = 861,67 → HT 862, TVA 172.
    // 30,00 € given: 30,00 − 25,84 = 4,16 back.
    const body = share(3, 1, 2584, [{ method: 'cash', amountCents: 3000 }]);
    const res = await s.waiter.post('/api/sales', body);
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    expect(
      res.body.lines.map((l: { name: string; quantity: number; totalCents: number; vatRateBp: number }) => [
        l.name,
        l.quantity,
        l.totalCents,
        l.vatRateBp,
      ]),
    ).toEqual([
      ['Magret — part 1/3', 0, 1233, 1000],
      ['Salade — part 1/3', 0, 317, 1000],
      ['Gaillac rouge — part 1/3', 0, 801, 2000],
      ['Pression — part 1/3', 0, 233, 2000],
    ]);
    expect(res.body.lines[2].producerId).toBe(s.producer);
    expect(res.body.vat).toEqual([
      { vatRateBp: 1000, grossCents: 1550, netCents: 1409, vatCents: 141 },
      { vatRateBp: 2000, grossCents: 1034, netCents: 862, vatCents: 172 },
    ]);
    expect(res.body).toMatchObject({ totalCents: 2584, changeCents: 416, tipCents: 0, number: 1 });
    tickets.push(res.body);
    // The receipt names the table (5, opened for 3) the part was paid for.
    expect((await s.shop.client().get(`/r/${res.body.receiptToken}`)).body).toContain('Table 5 — 3 couverts');
    // The goods are not taken off the shelf by a part: the bottle leaves once, with the bill settled.
    expect(await onHand(s.gaillac)).toBe(0);

    // The same part sent again (the till's outbox retrying) is the same ticket, paid once.
    const again = await s.waiter.post('/api/sales', body);
    expect(again.status).toBe(200);
    expect(again.body.id).toBe(res.body.id);
    expect((await s.waiter.get(`/api/orders/${order}/bill`)).body).toMatchObject({ leftCents: 5166, paidCents: 2584, byShare: true });
  });

  it('refuses paying by item once the bill is paid in parts', async () => {
    const magret = (await current()).lines.find((l) => l.name === 'Magret')!;
    const res = await s.waiter.post('/api/sales', {
      id: uuidv7(),
      tillId: s.tillId,
      number: number + 1,
      createdAt: at(),
      lines: [{ productId: s.magret, quantity: 1, unitPriceCents: 1850 }],
      payments: [{ method: 'card', amountCents: 1850 }],
      totalCents: 1850,
      order: { id: order, lines: [{ lineId: magret.id, quantity: 1 }] },
    });
    expect(res.status).toBe(422);
    expect(res.body.error.fields).toEqual([{ field: 'order.lines', reason: 'commande déjà réglée en partie par parts' }]);
    // Nor does a line already paid in part change: the parts would no longer add up to the bill.
    const removed = await op({ kind: 'remove', lineId: magret.id, version: magret.version });
    expect(removed.status).toBe(409);
    expect(removed.body.error.fields[0].field).toBe('lineId');
    expect((await current()).lines.find((l) => l.id === magret.id)).toMatchObject({ quantity: 2, status: 'new' });
  });

  it('counts, for a Z taken with the table still open, what is left to pay, not the whole bill', async () => {
    // Found by an independent check: a Z « with open tables » listed 77,50 € where 25,84 € had been paid.
    const outlet = (
      await s.shop.server.database.db.selectFrom('orders').select('outlet_id').where('id', '=', order).executeTakeFirstOrThrow()
    ).outlet_id;
    expect(await openOrdersSummary(s.shop.server.database.db, outlet)).toEqual([
      { table: '5', orderId: order, totalCents: 7750, leftCents: 7750 - 2584 },
    ]);
  });

  // Found by a walk: a phone reloaded after part 1 of 3 offered « part 1/2 » of what was left, printed so on a
  // third of the bill, then charged the last guest half of the rest. The split is the order's now.
  it('keeps the split with the order: the next part is 2 of 3, whichever phone asks', async () => {
    expect((await s.waiter.get(`/api/orders/${order}/bill?parts=2`)).body.split).toEqual({ parts: 3, paid: 1 });
    // 5166 left: « part 1/2 » would be ceil(5166 / 2) = 2583, the right amount under the wrong number.
    const again = await s.waiter.post('/api/sales', share(2, 1, 2583, [{ method: 'card', amountCents: 2583 }]));
    number--;
    expect([again.status, again.body.error.fields]).toEqual([409, [{ field: 'order.share.index', reason: expect.any(String) }]]);
    expect(again.body.error.message).toBe('Cette addition se partage déjà : 1 part réglée sur 3, la suivante est la part 2.');
    expect((await current()).lines.every((l) => l.paidQuantity === 0)).toBe(true);
    expect((await s.waiter.get(`/api/orders/${order}/bill`)).body.leftCents).toBe(7750 - 2584);
  });

  it('pays part 2 by card', async () => {
    // Left: Magret 2467, Salade 633 (10 %: 3100), Gaillac 1599, Pression 467 (20 %: 2066); 5166 in all.
    // 2583 is exactly half of it: 10 % 1550, 20 % 1033.
    // 10 %: 1233,5 and 316,5, a tie → the earlier line: Magret 1234, Salade 316.
    // 20 %: 799,5 and 233,5, a tie → Gaillac 800, Pression 233.
    // VAT on the running total: 10 %: HT(3100) = 2818,18 → 2818, minus HT(1550) = 1409 → HT 1409, TVA 141;
    // 20 %: HT(2067) = 1722,5 → 1723, minus HT(1034) = 862 → HT 861, TVA 172.
    const res = await s.waiter.post('/api/sales', share(3, 2, 2583, [{ method: 'card', amountCents: 2583 }]));
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    expect(res.body.lines.map((l: { totalCents: number }) => l.totalCents)).toEqual([1234, 316, 800, 233]);
    expect(res.body.vat).toEqual([
      { vatRateBp: 1000, grossCents: 1550, netCents: 1409, vatCents: 141 },
      { vatRateBp: 2000, grossCents: 1033, netCents: 861, vatCents: 172 },
    ]);
    tickets.push(res.body);
    expect((await current()).status).toBe('open');
  });

  it('pays part 3, mixed, which takes exactly what is left and settles the bill', async () => {
    // Left: Magret 1233, Salade 317, Gaillac 799, Pression 234 = 2583: the part pays each line what is left.
    // VAT: 10 %: HT(4650) = 4227,27 → 4227, minus 2818 → HT 1409, TVA 141.
    // 20 %: HT(3100) = 2583,33 → 2583, minus 1723 → HT 860, TVA 173 (on its own, 1033 / 1,2 would round to
    // 861, and the three parts would show 862 + 861 + 861 = 2584 HT where the bill has 2583).
    // 15,00 € in meal vouchers and 10,83 € by card.
    // The tills hear the bottle leave the shelf (the settling ticket's own lines carry no quantity).
    const socket: Socket<ServerToClientEvents> = io(s.shop.url, {
      transports: ['websocket'],
      extraHeaders: { cookie: s.waiter.cookieHeader() },
      reconnection: false,
    });
    await new Promise<void>((resolve, reject) => (socket.once('connect', () => resolve()), socket.once('connect_error', reject)));
    const heard: StockChangedEvent[] = [];
    socket.on('stock:changed', (events) => heard.push(...events));
    const res = await s.waiter.post(
      '/api/sales',
      share(3, 3, 2583, [
        { method: 'meal_voucher', amountCents: 1500 },
        { method: 'card', amountCents: 1083 },
      ]),
    );
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    expect(res.body.lines.map((l: { totalCents: number }) => l.totalCents)).toEqual([1233, 317, 799, 234]);
    expect(res.body.vat).toEqual([
      { vatRateBp: 1000, grossCents: 1550, netCents: 1409, vatCents: 141 },
      { vatRateBp: 2000, grossCents: 1033, netCents: 860, vatCents: 173 },
    ]);
    tickets.push(res.body);
    expect((await current()).status).toBe('closed');
    // The bottle left the shelf once, with the ticket that settled the bill.
    expect(await onHand(s.gaillac)).toBe(-1);
    // (An event of the earlier parts may still be on its way: the one that matters says −1.)
    await expect.poll(() => heard.some((e) => e.productId === s.gaillac && e.onHand === -1)).toBe(true);
    socket.close();
  });

  it('adds up, over the three tickets, to exactly what one ticket for the whole bill shows', async () => {
    // One ticket: 10 % 4650 → HT 4227, TVA 423; 20 % 3100 → HT 2583, TVA 517; 77,50 €.
    expect(tickets.reduce((t, x) => t + x.totalCents, 0)).toBe(7750);
    const sum = (rate: number, key: 'grossCents' | 'netCents' | 'vatCents') =>
      tickets.reduce((t, x) => t + x.vat.find((v) => v.vatRateBp === rate)![key], 0);
    expect([sum(1000, 'grossCents'), sum(1000, 'netCents'), sum(1000, 'vatCents')]).toEqual([4650, 4227, 423]);
    expect([sum(2000, 'grossCents'), sum(2000, 'netCents'), sum(2000, 'vatCents')]).toEqual([3100, 2583, 517]);
    // The Z says the same, and the producer's bottle counts once: 801 + 800 + 799 = 24,00 €.
    const z = await s.shop.admin.post('/api/closings/day', {
      outlet: 'restaurant',
      day: today(),
      cashCountedCents: 2584,
      confirmEarly: true,
    });
    expect(z.status, JSON.stringify(z.body)).toBe(201);
    expect(z.body.figures).toMatchObject({
      tickets: 3,
      totalCents: 7750,
      byVat: [
        { vatRateBp: 1000, grossCents: 4650, netCents: 4227, vatCents: 423 },
        { vatRateBp: 2000, grossCents: 3100, netCents: 2583, vatCents: 517 },
      ],
      // Cash 30,00 − 4,16 back = 25,84; card 25,83 + 10,83 = 36,66; vouchers 15,00.
      byPayment: [
        { method: 'card', amountCents: 3666 },
        { method: 'cash', amountCents: 3000 },
        { method: 'meal_voucher', amountCents: 1500 },
      ],
      cashExpectedCents: 2584,
    });
    expect(z.body.figures.tipsCents).toBeUndefined();
    expect(z.body.figures.byProducer.find((p: { producerId: number | null }) => p.producerId === s.producer).totalCents).toBe(2400);
    expect((await s.shop.admin.get('/api/journal/verify')).body).toMatchObject({ ok: true, problems: [] });
    // The producer's statement: the bottle's three shares, 8,01 + 8,00 + 7,99 = 24,00 €, no more, no less.
    const st = await s.shop.admin.get(`/api/producers/${s.producer}/statement?from=${today()}&to=${today()}`);
    expect(st.status, JSON.stringify(st.body)).toBe(200);
    expect(st.body.items.map((i: { amountCents: number }) => i.amountCents)).toEqual([801, 800, 799]);
    expect(st.body.totals).toMatchObject({ salesCents: 2400, grossCents: 2400 });
  });

  it('refunds a part whole, once, money only: the bottle served does not come back to the shelf', async () => {
    await s.shop.admin.post('/api/users', {
      login: 'chef',
      displayName: 'Cheffe',
      role: 'manager',
      password: 'mot-de-passe-long',
      pin: '9876',
    });
    const first = tickets[0] as unknown as { id: string };
    const refund = (lines: object[], totalCents: number) => ({
      id: uuidv7(),
      tillId: s.tillId,
      number: ++number,
      createdAt: at(),
      refundOf: first.id,
      reason: 'Vin bouchonné',
      lines,
      payments: [{ method: 'cash', amountCents: totalCents }],
      totalCents,
      approvalPin: '9876',
    });
    const stockBefore = await onHand(s.gaillac);
    // Part 1/3's Gaillac (line 3, 8,01 €) and Pression (line 4, 2,33 €): 10,34 € back, 20 % VAT.
    const res = await s.waiter.post(
      '/api/refunds',
      refund(
        [
          { lineNo: 3, quantity: 1 },
          { lineNo: 4, quantity: 1 },
        ],
        -1034,
      ),
    );
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    expect(res.body.lines.map((l: { quantity: number; totalCents: number }) => [l.quantity, l.totalCents])).toEqual([
      [0, -801],
      [0, -233],
    ]);
    // 1034 / 1,2 = 861,67 → HT 862, VAT 172; negated.
    expect(res.body.vat).toEqual([{ vatRateBp: 2000, grossCents: -1034, netCents: -862, vatCents: -172 }]);
    expect(await onHand(s.gaillac)).toBe(stockBefore);
    const left = (await s.waiter.get(`/api/sales/${first.id}/refunded`)).body as {
      lineNo: number;
      refundable: number;
      grossCents: number;
    }[];
    expect(left.map((l) => [l.lineNo, l.refundable, l.grossCents])).toEqual([
      [1, 1, 0],
      [2, 1, 0],
      [3, 0, 801],
      [4, 0, 233],
    ]);
    // Given back once; and a part is given back whole, never in pieces.
    const again = await s.waiter.post('/api/refunds', refund([{ lineNo: 3, quantity: 1 }], -801));
    expect(again.status).toBe(422);
    expect(again.body.error.fields[0]).toEqual({ field: 'lines.0.lineNo', reason: 'part d’addition déjà remboursée' });
    const pieces = await s.waiter.post('/api/refunds', refund([{ lineNo: 1, quantity: 2 }], -2466));
    expect(pieces.status).toBe(422);
    expect(pieces.body.error.fields[0].field).toBe('lines.0.quantity');
    number -= 2;
    expect((await s.shop.admin.get('/api/journal/verify')).body).toMatchObject({ ok: true, problems: [] });
  });
});

describe('a custom amount, then equal parts of the rest', () => {
  let s: Setup;
  let number = 0;
  const order = uuidv7();
  const op = (body: Record<string, unknown>) => s.waiter.post(`/api/orders/${order}/ops`, { id: uuidv7(), at: at(), ...body });
  const current = async () => (await s.waiter.get(`/api/orders/${order}`)).body as OrderView;
  const sale = (body: Record<string, unknown>) =>
    s.waiter.post('/api/sales', { id: uuidv7(), tillId: s.tillId, number: ++number, createdAt: at(), ...body });

  beforeAll(async () => {
    s = await restaurant();
    const room = await s.shop.admin.post('/api/rooms', { name: 'Terrasse' });
    const table = (await s.shop.admin.post(`/api/rooms/${room.body.id}/tables`, { name: 'T1', seats: 4 })).body.id;
    await op({ kind: 'open', tableId: table, covers: 3 });
    await op({ kind: 'add', lineId: uuidv7(), productId: s.salade, quantity: 2 });
    await op({ kind: 'add', lineId: uuidv7(), productId: s.pression, quantity: 3 });
  });
  afterAll(() => s.shop.close());

  it('shares what is left after a guest paid their beer by item, to the cent', async () => {
    // 2 × 9,50 = 19,00 at 10 %, 3 × 3,50 = 10,50 at 20 %: 29,50. One beer paid by item first: 3,50.
    const pression = (await current()).lines.find((l) => l.name === 'Pression')!;
    const item = await sale({
      lines: [{ productId: s.pression, quantity: 1, unitPriceCents: 350 }],
      payments: [{ method: 'cash', amountCents: 350 }],
      totalCents: 350,
      order: { id: order, lines: [{ lineId: pression.id, quantity: 1 }] },
    });
    expect(item.status, JSON.stringify(item.body)).toBe(201);
    // Left: Salade 1900, Pression 700; 26,00 €. A part of 26,01 € is more than is left.
    const over = await sale({
      lines: [],
      payments: [{ method: 'card', amountCents: 2601 }],
      totalCents: 2601,
      order: { id: order, share: { amountCents: 2601 } },
    });
    number--;
    expect(over.status).toBe(422);
    expect(over.body.error.fields).toEqual([{ field: 'order.share.amountCents', reason: 'il reste 2600 centimes à régler' }]);

    // 10,00 € by card: 1000 × 1900 / 2600 = 730,77 and 1000 × 700 / 2600 = 269,23 → 730 + 269 = 999, the cent
    // to the larger remainder → Salade 731, Pression 269. VAT: 731 / 1,1 = 664,55 → HT 665, TVA 66;
    // 269 / 1,2 = 224,17 → HT 224, TVA 45.
    const custom = await sale({
      lines: [],
      payments: [{ method: 'card', amountCents: 1000 }],
      totalCents: 1000,
      order: { id: order, share: { amountCents: 1000 } },
    });
    expect(custom.status, JSON.stringify(custom.body)).toBe(201);
    expect(custom.body.lines.map((l: { name: string; totalCents: number }) => [l.name, l.totalCents])).toEqual([
      ['Salade — part', 731],
      ['Pression — part', 269],
    ]);
    expect(custom.body.vat).toEqual([
      { vatRateBp: 1000, grossCents: 731, netCents: 665, vatCents: 66 },
      { vatRateBp: 2000, grossCents: 269, netCents: 224, vatCents: 45 },
    ]);

    // The rest, 16,00 € (Salade 1169, Pression 431), in 2 equal parts of 8,00 €.
    // Part 1/2: 800 × 1169 / 1600 = 584,5 and 800 × 431 / 1600 = 215,5, a tie → the lower rate: 585 and 215.
    // VAT: 10 %: HT(731 + 585 = 1316) = 1196,36 → 1196, minus 665 → HT 531, TVA 54;
    // 20 %: HT(269 + 215 = 484) = 403,33 → 403, minus 224 → HT 179, TVA 36.
    const first = await sale({
      lines: [],
      payments: [{ method: 'cash', amountCents: 800 }],
      totalCents: 800,
      order: { id: order, share: { parts: 2, index: 1 } },
    });
    expect(first.status, JSON.stringify(first.body)).toBe(201);
    expect(first.body.vat).toEqual([
      { vatRateBp: 1000, grossCents: 585, netCents: 531, vatCents: 54 },
      { vatRateBp: 2000, grossCents: 215, netCents: 179, vatCents: 36 },
    ]);
    // Part 2/2: what is left, Salade 584 and Pression 216. VAT: 10 %: HT(1900) = 1727,27 → 1727, minus 1196 →
    // HT 531, TVA 53; 20 %: HT(700) = 583,33 → 583, minus 403 → HT 180, TVA 36.
    const last = await sale({
      lines: [],
      payments: [{ method: 'card', amountCents: 800 }],
      totalCents: 800,
      order: { id: order, share: { parts: 2, index: 2 } },
    });
    expect(last.status, JSON.stringify(last.body)).toBe(201);
    expect(last.body.vat).toEqual([
      { vatRateBp: 1000, grossCents: 584, netCents: 531, vatCents: 53 },
      { vatRateBp: 2000, grossCents: 216, netCents: 180, vatCents: 36 },
    ]);
    // The shares: 10 % 731 + 585 + 584 = 1900, HT 665 + 531 + 531 = 1727 = HT(1900); 20 % 269 + 215 + 216 =
    // 700, HT 224 + 179 + 180 = 583 = HT(700). With the beer's ticket (3,50): 29,50, the bill.
    expect(350 + custom.body.totalCents + first.body.totalCents + last.body.totalCents).toBe(2950);
    expect((await current()).status).toBe('closed');
    const done = await sale({
      lines: [],
      payments: [{ method: 'cash', amountCents: 100 }],
      totalCents: 100,
      order: { id: order, share: { amountCents: 100 } },
    });
    expect(done.status).toBe(422);
    expect(done.body.error.fields).toEqual([{ field: 'order.id', reason: 'commande close' }]);
  });

  it('does not let a till in training mode pay a part of a real order', async () => {
    const other = uuidv7();
    const room = await s.shop.admin.post('/api/rooms', { name: 'Bar' });
    const table = (await s.shop.admin.post(`/api/rooms/${room.body.id}/tables`, { name: 'B1', seats: 2 })).body.id;
    const open = (body: Record<string, unknown>) => s.waiter.post(`/api/orders/${other}/ops`, { id: uuidv7(), at: at(), ...body });
    expect((await open({ kind: 'open', tableId: table, covers: 1 })).status).toBe(201);
    expect((await open({ kind: 'add', lineId: uuidv7(), productId: s.salade, quantity: 1 })).status).toBe(201);
    expect((await s.shop.admin.patch(`/api/tills/${s.tillId}`, { trainingMode: true })).status).toBe(200);
    const res = await s.waiter.post('/api/sales', {
      id: uuidv7(),
      tillId: s.tillId,
      number: 1,
      createdAt: at(),
      lines: [],
      payments: [{ method: 'cash', amountCents: 100 }],
      totalCents: 100,
      order: { id: other, share: { amountCents: 100 } },
    });
    expect(res.status).toBe(422);
    expect(res.body.error.fields).toEqual([{ field: 'order.id', reason: 'caisse en formation' }]);
  });
});

describe('tips on card', () => {
  let s: Setup;
  let number = 0;
  const order = uuidv7();
  const sale = (body: Record<string, unknown>) =>
    s.waiter.post('/api/sales', { id: uuidv7(), tillId: s.tillId, number: ++number, createdAt: at(), ...body });
  // Magret 18,50 at 10 % and a beer 3,50 at 20 %: 22,00 €.
  const bill = (payments: Payment[]) => ({
    lines: [
      { productId: s.magret, quantity: 1, unitPriceCents: 1850 },
      { productId: s.pression, quantity: 1, unitPriceCents: 350 },
    ],
    payments,
    totalCents: 2200,
  });
  const tillOptions = async (tipsOnCard: boolean) => {
    const current = (await s.shop.admin.get('/api/settings')).body.till;
    const res = await s.shop.admin.put('/api/settings/till', { ...current, tipsOnCard });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
  };

  beforeAll(async () => {
    s = await restaurant();
    const printer = await s.shop.admin.post('/api/printers', {
      name: 'Salle',
      role: 'receipt',
      uri: 'file:salle',
      columns: 48,
      codePage: 'pc858',
    });
    expect((await s.shop.admin.patch(`/api/tills/${s.tillId}`, { printerId: printer.body.id })).status).toBe(200);
  });
  afterAll(() => s.shop.close());

  it('refuses a tip while the shop does not take them, on cash, and below zero', async () => {
    const off = await sale(bill([{ method: 'card', amountCents: 2200, tipCents: 300 }]));
    number--;
    expect(off.status).toBe(422);
    expect(off.body.error.fields).toEqual([{ field: 'payments.0.tipCents', reason: 'pourboires non activés (réglages des caisses)' }]);
    await tillOptions(true);
    const cash = await sale(bill([{ method: 'cash', amountCents: 2500, tipCents: 300 }]));
    number--;
    expect(cash.status).toBe(422);
    expect(cash.body.error.fields).toEqual([{ field: 'payments.0.tipCents', reason: 'pourboire seulement sur un paiement par carte' }]);
    const negative = await sale(bill([{ method: 'card', amountCents: 2200, tipCents: -100 }]));
    number--;
    expect(negative.status).toBe(400);
    expect(negative.body.error.fields[0].field).toBe('body.payments.0.tipCents');
  });

  it('records a tip apart from the ticket’s total, prints it, and counts it on the Z with the card, not as a sale', async () => {
    const room = await s.shop.admin.post('/api/rooms', { name: 'Salle' });
    const table = (await s.shop.admin.post(`/api/rooms/${room.body.id}/tables`, { name: '9', seats: 2 })).body.id;
    const op = (body: Record<string, unknown>) => s.waiter.post(`/api/orders/${order}/ops`, { id: uuidv7(), at: at(), ...body });
    await op({ kind: 'open', tableId: table, covers: 2 });
    await op({ kind: 'add', lineId: uuidv7(), productId: s.magret, quantity: 1 });
    await op({ kind: 'add', lineId: uuidv7(), productId: s.pression, quantity: 1 });
    // The bill in 2 equal parts: 11,00 € each; the second guest adds a 3,00 € tip on their card.
    // Part 1/2: 1100 over 1850 : 350 → 925 and 175 exactly. Part 2/2 the same.
    const part = (index: number, payments: Payment[]) =>
      sale({ lines: [], payments, totalCents: 1100, order: { id: order, share: { parts: 2, index } } });
    expect((await part(1, [{ method: 'cash', amountCents: 1100 }])).status).toBe(201);
    const tipped = await part(2, [{ method: 'card', amountCents: 1100, tipCents: 300 }]);
    expect(tipped.status, JSON.stringify(tipped.body)).toBe(201);
    // The card is charged 14,00; the ticket is 11,00, its VAT on 11,00 only:
    // 925 / 1,1 → HT(1850) − HT(925) = 1682 − 841 = 841, TVA 84; 175 → HT(350) − HT(175) = 292 − 146 = 146, TVA 29.
    expect(tipped.body).toMatchObject({
      totalCents: 1100,
      tipCents: 300,
      changeCents: 0,
      payments: [{ method: 'card', amountCents: 1100, tipCents: 300 }],
      vat: [
        { vatRateBp: 1000, grossCents: 925, netCents: 841, vatCents: 84 },
        { vatRateBp: 2000, grossCents: 175, netCents: 146, vatCents: 29 },
      ],
    });

    const printed = await s.waiter.post(`/api/sales/${tipped.body.id}/receipt`);
    expect(printed.status, JSON.stringify(printed.body)).toBe(201);
    const dir = path.join(s.shop.dataDir, 'salle');
    const receipt = await until('the receipt', () => {
      const files = fs.existsSync(dir) ? fs.readdirSync(dir).filter((f) => f.endsWith('.bin') && !f.endsWith('-note.bin')) : [];
      return files.length ? decodeEscPos(fs.readFileSync(path.join(dir, files[0]!))).text.replace(/[\u00a0\u202f]/g, ' ') : undefined;
    });
    expect(receipt).toMatch(/TOTAL +11,00 €/);
    expect(receipt).toMatch(/Carte bancaire +11,00 €\nPourboire \(carte\) +3,00 €/);
    expect(receipt).toContain('Pourboire hors total, non soumis à TVA');
    // The printer's code page has no em dash: it prints a hyphen.
    // (B: the line's VAT code, 10 %.)
    expect(receipt).toMatch(/Magret - part 2\/2 +9,25 € B\n {2}part de l'addition \(18,50 € l'unité\)/);

    // The Z: sales 22,00 (the tip is not turnover, nor in the VAT); the card brought 11,00 + 3,00 = 14,00.
    const z = await s.shop.admin.post('/api/closings/day', {
      outlet: 'restaurant',
      day: today(),
      cashCountedCents: 1100,
      confirmEarly: true,
    });
    expect(z.status, JSON.stringify(z.body)).toBe(201);
    expect(z.body.figures).toMatchObject({
      tickets: 2,
      salesCents: 2200,
      totalCents: 2200,
      tipsCents: 300,
      byPayment: [
        { method: 'card', amountCents: 1400 },
        { method: 'cash', amountCents: 1100 },
      ],
      byVat: [
        { vatRateBp: 1000, grossCents: 1850, netCents: 1682, vatCents: 168 },
        { vatRateBp: 2000, grossCents: 350, netCents: 292, vatCents: 58 },
      ],
      cashExpectedCents: 1100,
    });
    expect((await s.shop.admin.get('/api/journal/verify')).body).toMatchObject({ ok: true, problems: [] });

    // The accountant's entry balances: card 14,00 + cash 11,00 in debit = sales 19,74 HT + VAT 2,26 + tips 3,00
    // owed to the staff in credit.
    const fec = await s.shop.admin.get(`/api/exports/fec?from=${today()}&to=${today()}`);
    expect(fec.status).toBe(200);
    const rows = fec.raw
      .toString('utf8')
      .replace(/^\uFEFF/, '')
      .split('\r\n')
      .map((l) => l.split('\t'));
    const header = rows[0]!;
    const col = (name: string) => header.indexOf(name);
    const tips = rows.find((r) => r[col('CompteNum')] === '428600')!;
    expect(tips[col('Credit')]).toBe('3,00');
    const cents = (v: string | undefined) => Math.round(Number((v || '0').replace(',', '.')) * 100);
    const body = rows.slice(1).filter((r) => r.length > 1);
    expect(body.reduce((t, r) => t + cents(r[col('Debit')]), 0)).toBe(2500);
    expect(body.reduce((t, r) => t + cents(r[col('Credit')]), 0)).toBe(2500);

    // The sales journal: the card's 14,00 of which 3,00 tips, beside the 22,00 of sales.
    const journal = await s.shop.admin.get(`/api/exports/sales-journal.csv?from=${today()}&to=${today()}`);
    const [head, day] = journal.raw
      .toString('utf8')
      .slice(1)
      .trimEnd()
      .split('\r\n')
      .map((l) => l.split(';'));
    const cell = (name: string) => day![head!.indexOf(name)];
    expect([cell('Total TTC'), cell('Carte'), cell('Dont pourboires (carte)')]).toEqual(['22,00', '14,00', '3,00']);
  });
});
