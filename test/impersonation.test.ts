import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { aPairedTill, aProduct, aUser, startTestShop, type Client, type TestShop } from './support/harness.ts';
import { uuidv7 } from './support/tickets.ts';

// Issue 19, item 2: nobody acts as someone else. A cashier who names a manager as the one who rang a
// ticket neither gets the manager's discount limit nor puts the manager's name on the inalterable ticket;
// and a PIN session works only with the tablet it was opened on.
let shop: TestShop;
let lea: { client: Client; id: number };
let managerId: number;
let echarpe: number;

beforeAll(async () => {
  shop = await startTestShop();
  echarpe = (await aProduct(shop.admin, { name: 'Écharpe', priceCents: 4500, producerId: null })).id;
  lea = await aUser(shop, 'cashier');
  const manager = await shop.admin.post('/api/users', {
    displayName: 'Gérant',
    role: 'manager',
    pin: '9999',
    login: 'gerant2',
    password: 'gerant-password-1',
  });
  expect(manager.status).toBe(201);
  managerId = manager.body.id;
});
afterAll(() => shop?.close());

let number = 0;
const sale = (extra: Record<string, unknown>, discountCents = 0) => ({
  id: uuidv7(),
  tillId: 1,
  number: ++number,
  createdAt: new Date().toISOString(),
  // 45,00 € less the discount, paid in cash.
  lines: [{ productId: echarpe, quantity: 1, unitPriceCents: 4500, discountCents }],
  payments: [{ method: 'cash', amountCents: 4500 - discountCents }],
  totalCents: 4500 - discountCents,
  ...extra,
});

describe('a cashier naming a manager', () => {
  it('does not get the manager’s discount limit: 90 % off is refused as it is to the cashier herself', async () => {
    // 90 % of 45,00 € = 40,50 € off, far above a cashier's limit.
    const own = await lea.client.post('/api/sales', sale({}, 4050));
    expect(own.status).toBe(422);
    number--;
    const borrowed = await lea.client.post('/api/sales', sale({ cashierId: managerId }, 4050));
    expect(borrowed.status).toBe(422);
    number--;
    expect((await shop.admin.get('/api/sales?limit=10')).body).toEqual([]);
  });

  it('does not put the manager’s name on the ticket: it names the person logged in', async () => {
    const res = await lea.client.post('/api/sales', sale({ cashierId: managerId }));
    expect(res.status).toBe(201);
    expect(res.body.cashierId).toBe(lea.id);
    expect(res.body.cashierId).not.toBe(managerId);
  });

  // Found by an independent check: a ticket named another outlet's (or site's) waiter, who could never log in
  // at this till; the inalterable ticket was booked to them.
  it('refuses a colleague who may not work at this till, naming the cashier', async () => {
    const outlets = (await shop.admin.get('/api/sites')).body[0].outlets as { id: number; kind: string }[];
    const restaurant = outlets.find((o) => o.kind === 'restaurant')!.id;
    const waiter = await shop.admin.post('/api/users', {
      displayName: 'Serveur du restaurant',
      role: 'waiter',
      pin: '8642',
      outletId: restaurant,
    });
    expect(waiter.status).toBe(201);
    const res = await lea.client.post('/api/sales', sale({ cashierId: waiter.body.id }));
    expect([res.status, res.body.error?.fields]).toEqual([
      422,
      [{ field: 'cashierId', reason: 'caissier inconnu, inactif ou d’une autre caisse' }],
    ]);
    number--;
  });

  it('may still book a ticket rung offline to a colleague of the same rank', async () => {
    const camille = await aUser(shop, 'cashier');
    const res = await lea.client.post('/api/sales', sale({ cashierId: camille.id }));
    expect(res.status).toBe(201);
    expect(res.body.cashierId).toBe(camille.id);
  });
});

describe('a PIN session', () => {
  it('counts only with the tablet it was opened on', async () => {
    // Another tablet paired with till 1; Léa's session cookie carried over to it.
    const other = await aPairedTill(shop, 1);
    const cookies = (c: Client) => (c as unknown as { cookies: Map<string, string> }).cookies;
    const session = [...cookies(lea.client)].find(([k]) => !/device/i.test(k))!;
    cookies(other).set(session[0], session[1]);
    const res = await other.post('/api/sales', sale({}));
    // The tablet alone is not staff: refused (403), and nothing recorded.
    expect([401, 403]).toContain(res.status);
    number--;
    expect((await other.get('/api/auth/me')).status).toBe(401);
    // Without any tablet cookie at all, nobody either.
    const bare = shop.client();
    cookies(bare).set(session[0], session[1]);
    expect((await bare.get('/api/auth/me')).status).toBe(401);
    // On its own tablet it still works.
    expect((await lea.client.get('/api/auth/me')).status).toBe(200);
  });
});
