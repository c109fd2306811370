import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { aPairedTill, aProducer, aProduct, aUser, startTestShop, type Client, type TestShop } from './support/harness.ts';
import { uuidv7 } from './support/tickets.ts';

describe('refunds', () => {
  let shop: TestShop;
  let till: Client;
  let tomme: { id: number };
  let miel: { id: number };
  let original: any;
  let number = 0;

  beforeAll(async () => {
    shop = await startTestShop();
    const ferme = await aProducer(shop.admin);
    tomme = await aProduct(shop.admin, { name: 'Tomme de brebis', producerId: ferme.id, unit: 'kg', priceCents: 2490 });
    miel = await aProduct(shop.admin, { name: 'Miel', producerId: ferme.id, priceCents: 950 });
    await shop.admin.post('/api/stock/deposits', {
      producerId: ferme.id,
      lines: [
        { productId: tomme.id, quantity: 5000 },
        { productId: miel.id, quantity: 10 },
      ],
    });
    await shop.admin.post('/api/users', {
      login: 'chef',
      displayName: 'Cheffe',
      role: 'manager',
      password: 'mot-de-passe-long',
      pin: '9876',
    });
    till = (await aUser(shop, 'cashier', { pin: '1111' })).client;
    // The 5 € ticket discount below is 10.3 % of the ticket: this shop lets cashiers give up to 20 %.
    expect(
      (await shop.admin.put('/api/settings/till', { extraPaymentMethods: [], cashierDiscountLimitBp: 2000, autoLockSeconds: 180 })).status,
    ).toBe(200);
    // Tomme 1234 g = 3073, honey 2 × 950 − 100 = 1800; ticket discount 500 -> shares 264 and 154 (see sales.test.ts
    // for the same split without the beer: 500 × 3073/4873 = 315.3, 500 × 1800/4873 = 184.7 -> 315 and 185).
    const res = await till.post('/api/sales', {
      id: uuidv7(),
      tillId: 1,
      number: ++number,
      createdAt: new Date().toISOString(),
      lines: [
        { productId: tomme.id, grams: 1234, unitPriceCents: 2490 },
        { productId: miel.id, quantity: 2, unitPriceCents: 950, discountCents: 100 },
      ],
      discountCents: 500,
      payments: [{ method: 'card', amountCents: 4373 }],
      totalCents: 4373,
    });
    expect(res.status).toBe(201);
    original = res.body;
    expect(original.lines.map((l: any) => l.totalCents)).toEqual([3073 - 315, 1800 - 185]);
  });
  afterAll(() => shop.close());

  const refund = (lines: object[], totalCents: number, extra: object = {}) => ({
    id: uuidv7(),
    tillId: 1,
    number: ++number,
    createdAt: new Date().toISOString(),
    refundOf: original.id,
    reason: 'Pot fêlé',
    lines,
    payments: [{ method: 'cash', amountCents: totalCents }],
    totalCents,
    approvalPin: '9876',
    ...extra,
  });

  it('needs a manager’s PIN, and refuses a wrong one', async () => {
    const body = refund([{ lineNo: 2, quantity: 1 }], -808);
    const { approvalPin: _omit, ...noPin } = body;
    expect((await till.request('POST', '/api/refunds', noPin)).status).toBe(403);
    expect((await till.post('/api/refunds', { ...body, approvalPin: '0000' })).status).toBe(403);
    number -= 1;
  });

  it('refunds part of a line in proportion, VAT included, and puts the jar back on the shelf', async () => {
    // Honey line: gross 1900, line discount 100, ticket discount 185, total 1615, 2 jars. One jar:
    // gross 950, line discount 50, ticket discount 185/2 = 92.5 -> 93; total 950 − 50 − 93 = 807.
    const res = await till.post('/api/refunds', refund([{ lineNo: 2, quantity: 1 }], -807));
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ kind: 'refund', refundOf: original.id, totalCents: -807 });
    expect(res.body.lines).toEqual([
      expect.objectContaining({ quantity: -1, grossCents: -950, lineDiscountCents: -50, ticketDiscountCents: -93, totalCents: -807 }),
    ]);
    // −807 at 5.5 %: 807 × 10000 / 10550 = 764.9 -> 765 HT, VAT 42; negated.
    expect(res.body.vat).toEqual([{ vatRateBp: 550, grossCents: -807, netCents: -765, vatCents: -42 }]);
    // 10 deposited − 2 sold + 1 back = 9
    expect((await shop.admin.get(`/api/products/${miel.id}`)).body.onHand).toBe(9);
    // What the till reads before the next refund: one jar given back, one left; nothing of the cheese yet.
    expect((await till.get(`/api/sales/${original.id}/refunded`)).body).toEqual([
      { lineNo: 1, refundable: 1234, quantity: 0, grossCents: 0, lineDiscountCents: 0, ticketDiscountCents: 0 },
      { lineNo: 2, refundable: 1, quantity: 1, grossCents: 950, lineDiscountCents: 50, ticketDiscountCents: 93 },
    ]);
  });

  it('refunds the rest of a line exactly, so the refunds add up to what was paid', async () => {
    // The second jar: whatever is left: gross 950, line discount 50, ticket discount 185 − 93 = 92 -> 808.
    const res = await till.post('/api/refunds', refund([{ lineNo: 2, quantity: 1 }], -808));
    expect(res.status).toBe(201);
    expect(res.body.totalCents).toBe(-808);
    // 807 + 808 = 1615, the honey line's total.
  });

  // Found by an independent probe: a refund dated 2099 was booked on that day, out of today's Z and drawer.
  it('refuses a refund dated ahead of the clock, as a sale is', async () => {
    const res = await till.post('/api/refunds', refund([{ lineNo: 2, quantity: 1 }], -808, { createdAt: '2099-01-01T00:00:00Z' }));
    expect(res.status).toBe(422);
    expect(res.body.error.fields).toEqual([{ field: 'createdAt', reason: 'dans le futur' }]);
    number -= 1;
  });

  // Found by a security probe: a ticket dated in year 0 was booked on a day « 1-01-01 », and every sale of its
  // counter then answered 500; one dated 1970 was on no Z. More than a year back is refused, by name.
  it('refuses a sale or a refund dated more than three years back', async () => {
    for (const createdAt of ['0000-01-01T10:00:00Z', '1970-01-01T10:00:00Z']) {
      const sale = await till.post('/api/sales', {
        id: uuidv7(),
        tillId: 1,
        number: number + 1,
        createdAt,
        lines: [{ productId: miel.id, quantity: 1, unitPriceCents: 950 }],
        payments: [{ method: 'cash', amountCents: 950 }],
        totalCents: 950,
      });
      expect(sale.status).toBe(422);
      expect(sale.body.error.fields).toEqual([{ field: 'createdAt', reason: 'plus de trois ans avant l’heure du serveur' }]);
      const res = await till.post('/api/refunds', refund([{ lineNo: 2, quantity: 1 }], -808, { createdAt }));
      expect(res.status).toBe(422);
      expect(res.body.error.fields).toEqual([{ field: 'createdAt', reason: 'plus de trois ans avant l’heure du serveur' }]);
      number -= 1;
    }
    // The till still sells: its counter is not out of service.
    expect((await till.get('/api/drawer/day')).status).toBe(200);
  });

  it('never refunds more than was sold', async () => {
    const res = await till.post('/api/refunds', refund([{ lineNo: 2, quantity: 1 }], -808));
    expect(res.status).toBe(422);
    expect(res.body.error.fields[0]).toMatchObject({ field: 'lines.0.quantity' });
    expect(res.body.error.fields[0].reason).toMatch(/au plus 0/);
    const tooMuch = await till.post('/api/refunds', refund([{ lineNo: 1, grams: 1235 }], -1));
    expect(tooMuch.status).toBe(422);
    number -= 2;
  });

  it('writes off weighed goods that do not go back on the shelf', async () => {
    // Tomme line: gross 3073, ticket discount 315, 1234 g. 600 g: gross 3073 × 600 / 1234 = 1494.2 -> 1494,
    // discount 315 × 600 / 1234 = 153.2 -> 153; total 1494 − 153 = 1341.
    const stockBefore = (await shop.admin.get(`/api/products/${tomme.id}`)).body.onHand;
    const res = await till.post('/api/refunds', refund([{ lineNo: 1, grams: 600, restock: false }], -1341));
    expect(res.status).toBe(201);
    expect(res.body.totalCents).toBe(-1341);
    // Back in (refund +600) and written off (loss −600): the shelf does not change.
    expect((await shop.admin.get(`/api/products/${tomme.id}`)).body.onHand).toBe(stockBefore);
    const moves = (await shop.admin.get(`/api/products/${tomme.id}/movements`)).body.slice(0, 2).map((m: any) => [m.kind, m.quantity]);
    expect(moves).toEqual([
      ['loss', -600],
      ['refund', 600],
    ]);
  });

  it('is idempotent like any ticket, logged as an event, and verifies on the chain', async () => {
    const body = refund([{ lineNo: 1, grams: 634 }], -(3073 - 1494 - (315 - 153)));
    const first = await till.post('/api/refunds', body);
    expect(first.status).toBe(201);
    expect((await till.post('/api/refunds', body)).status).toBe(200);
    const events = (await shop.admin.get('/api/events?kind=sale.refunded')).body;
    expect(events).toHaveLength(4);
    const verify = (await shop.admin.get('/api/journal/verify')).body;
    expect(verify.ok).toBe(true);
    // Sale 4373, refunds −807 −808 −1341 −1417: the grand total is 0, everything given back.
    expect(verify.grandTotalCents).toBe(0);
  });
});

describe('refunds across tills', () => {
  let shop: TestShop;
  afterAll(() => shop.close());

  it('finds and refunds at till 1 a ticket sold at till 2 of the same shop, not one of the restaurant', async () => {
    shop = await startTestShop();
    const miel = await aProduct(shop.admin, { name: 'Miel', priceCents: 950, outlets: ['shop', 'restaurant'] });
    await shop.admin.post('/api/users', {
      login: 'chef',
      displayName: 'Cheffe',
      role: 'manager',
      password: 'mot-de-passe-long',
      pin: '9876',
    });
    const till2 = (await shop.admin.post('/api/tills', { outlet: 'shop', name: 'Caisse 2' })).body.id as number;
    const bar = (await shop.admin.post('/api/tills', { outlet: 'restaurant', name: 'Bar' })).body.id as number;
    const sellAt = async (tillId: number, pin: string) => {
      const code = (await shop.admin.post(`/api/tills/${tillId}/pairing-code`)).body.code;
      const c = shop.client();
      expect((await c.post('/api/devices/pair', { code })).status).toBe(201);
      const user = (
        await shop.admin.post('/api/users', { displayName: `Caisse ${tillId}`, role: tillId === bar ? 'waiter' : 'cashier', pin })
      ).body;
      expect((await c.post('/api/auth/pin', { tillId, pin, userId: user.id })).status).toBe(200);
      const sale = await c.post('/api/sales', {
        id: uuidv7(),
        tillId,
        number: 1,
        createdAt: new Date().toISOString(),
        lines: [{ productId: miel.id, quantity: 1, unitPriceCents: 950 }],
        payments: [{ method: 'card', amountCents: 950 }],
        totalCents: 950,
      });
      expect(sale.status).toBe(201);
      return { client: c, sale: sale.body };
    };
    const atTill2 = await sellAt(till2, '2222');
    const atBar = await sellAt(bar, '3333');
    const till1 = (await aUser(shop, 'cashier', { pin: '1111' })).client;

    // The customer's receipt from till 2 is scanned at till 1: found, opened, refunded there.
    expect((await till1.get(`/api/sales?receipt=${atTill2.sale.receiptToken}`)).body.map((s: { id: string }) => s.id)).toEqual([
      atTill2.sale.id,
    ]);
    expect((await till1.get(`/api/sales/${atTill2.sale.id}`)).status).toBe(200);
    const refund = await till1.post('/api/refunds', {
      id: uuidv7(),
      tillId: 1,
      number: 1,
      createdAt: new Date().toISOString(),
      refundOf: atTill2.sale.id,
      reason: 'Pot fêlé',
      lines: [{ lineNo: 1, quantity: 1 }],
      payments: [{ method: 'cash', amountCents: -950 }],
      totalCents: -950,
      approvalPin: '9876',
    });
    expect(refund.status).toBe(201);
    expect(refund.body).toMatchObject({ tillId: 1, kind: 'refund', refundOf: atTill2.sale.id, totalCents: -950 });

    // The restaurant's ticket is the restaurant's: not found from the shop's till, and not refunded there.
    expect((await till1.get(`/api/sales?receipt=${atBar.sale.receiptToken}`)).body).toEqual([]);
    expect((await till1.get(`/api/sales/${atBar.sale.id}`)).status).toBe(404);
    const across = await till1.post('/api/refunds', {
      id: uuidv7(),
      tillId: 1,
      number: 2,
      createdAt: new Date().toISOString(),
      refundOf: atBar.sale.id,
      reason: 'Erreur',
      lines: [{ lineNo: 1, quantity: 1 }],
      payments: [{ method: 'cash', amountCents: -950 }],
      totalCents: -950,
      approvalPin: '9876',
    });
    expect(across.status).toBe(422);
    expect(across.body.error.fields[0]).toMatchObject({ field: 'refundOf', reason: 'ticket d’un autre point de vente' });
    // Listing at till 1 shows the shop's tickets (till 2's sale and the refund), never the bar's.
    const listed = (await till1.get('/api/sales?limit=50')).body.map((s: { id: string }) => s.id);
    expect(listed).toContain(atTill2.sale.id);
    expect(listed).not.toContain(atBar.sale.id);
    // A tablet with nobody logged in (the lock screen) sees only its own till's tickets.
    const locked = await aPairedTill(shop, till2);
    const own = (await locked.get('/api/sales?limit=50')).body as { tillId: number }[];
    expect(own.length).toBeGreaterThan(0);
    expect(own.every((x) => x.tillId === till2)).toBe(true);
    expect((await locked.get(`/api/sales/${refund.body.id}`)).status).toBe(404);
  });

  it('takes a refused ticket whole into the event log: once per id and kind, without the manager’s PIN', async () => {
    const till1 = (await aUser(shop, 'cashier', { pin: '4444' })).client;
    const id = uuidv7();
    const report = (kind: string, extra: object = {}) => ({
      id,
      kind,
      number: 9,
      totalCents: -950,
      path: kind === 'receipt' ? `/api/sales/${id}/receipt` : '/api/refunds',
      body: kind === 'receipt' ? {} : { id, refundOf: id, approvalPin: '9876', lines: [{ lineNo: 1, quantity: 1 }] },
      status: 422,
      message: 'refusé',
      queuedAt: new Date().toISOString(),
      refusedAt: new Date().toISOString(),
      ...extra,
    });
    // The receipt request of that ticket, reported first, does not stand for the ticket itself.
    const receipt = await till1.post('/api/tills/refused-tickets', report('receipt', { status: 0 }));
    expect(receipt.status).toBe(201);
    const first = await till1.post('/api/tills/refused-tickets', report('refund'));
    expect(first.status).toBe(201);
    expect(first.body.eventId).not.toBe(receipt.body.eventId);
    const again = await till1.post('/api/tills/refused-tickets', report('refund'));
    expect(again.status).toBe(200);
    expect(again.body.eventId).toBe(first.body.eventId);
    const events = (await shop.admin.get('/api/events?kind=till.ticket_refused')).body;
    const logged = events.find((e: { id: number }) => e.id === first.body.eventId);
    expect(logged.data.body).toEqual({ id, refundOf: id, lines: [{ lineNo: 1, quantity: 1 }] });
    expect(JSON.stringify(events)).not.toContain('9876');
    // A producer's or a manager's browser cannot report one; a huge body is refused by name.
    expect((await shop.admin.post('/api/tills/refused-tickets', report('sale'))).status).toBe(403);
    const huge = await till1.post('/api/tills/refused-tickets', report('sale', { body: { note: 'x'.repeat(70_000) } }));
    expect(huge.status).toBe(400);
    expect(huge.body.error.fields[0].field).toBe('body.body');
  });
});
