import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { aPairedTill, aProduct, aUser, startTestShop, type Client, type TestShop } from './support/harness.ts';
import { uuidv7 } from './support/tickets.ts';

// A cashier gives at most 10 % off (the default `cashierDiscountLimitBp`); beyond, a manager approves with
// their PIN on the till, and the server checks that approval on the ticket itself.
describe('discounts beyond what a cashier may give alone', () => {
  let shop: TestShop;
  let till: Client;
  let panier: { id: number };
  let managerId: number;
  let number = 0;

  beforeAll(async () => {
    shop = await startTestShop();
    panier = await aProduct(shop.admin, { name: 'Panier de légumes', priceCents: 1000 });
    till = (await aUser(shop, 'cashier')).client;
    const manager = await shop.admin.post('/api/users', {
      displayName: 'Mathilde',
      role: 'manager',
      login: 'mathilde',
      password: 'mathilde-password-1',
      pin: '1357',
    });
    managerId = manager.body.id;
  });
  afterAll(() => shop.close());

  // 2 × 10,00 = 20,00 ; 3,00 off is 15 %: above the 10 % limit.
  const ticket = (extra: Record<string, unknown> = {}, lineDiscount = 0, ticketDiscount = 300) => ({
    id: uuidv7(),
    tillId: 1,
    number: ++number,
    createdAt: new Date().toISOString(),
    lines: [{ productId: panier.id, quantity: 2, unitPriceCents: 1000, discountCents: lineDiscount }],
    discountCents: ticketDiscount,
    payments: [{ method: 'card', amountCents: 2000 - lineDiscount - ticketDiscount }],
    totalCents: 2000 - lineDiscount - ticketDiscount,
    ...extra,
  });

  it('refuses 15 % off from a cashier alone, naming the discount and the missing approval', async () => {
    const res = await till.post('/api/sales', ticket());
    expect(res.status).toBe(422);
    expect(res.body.error.fields.map((f: any) => f.field)).toEqual(['discountCents', 'discountApproval']);
    number--;
    // 2,00 off (10 %) is within the limit.
    expect((await till.post('/api/sales', ticket({}, 0, 200))).status).toBe(201);
  });

  // Found by an independent check: 10 % on a line and 10 % on the ticket passed, 19 % off in all.
  it('counts a line discount and the ticket’s together: 10 % of each is more than a cashier gives alone', async () => {
    // Line: 2,00 off 20,00 (10 %); ticket: 1,80 off the 18,00 left (10 %). Let off 3,80 of 20,00: 19 %.
    const both = await till.post('/api/sales', ticket({}, 200, 180));
    expect(both.status).toBe(422);
    expect(both.body.error.fields.map((f: { field: string }) => f.field)).toEqual(['discountCents', 'discountApproval']);
    expect(both.body.error.fields[0].reason).toBe('remises cumulées au-delà de 10 % du ticket au prix du catalogue');
    number--;
    // 1,00 on the line and 1,00 on the ticket: 2,00 of 20,00, 10 %: within.
    expect((await till.post('/api/sales', ticket({}, 100, 100))).status).toBe(201);
  });

  // Found by a newcomer's walk: 10 % of 62,38 € is 6,238, rounded to 6,24 €, and the till and the server both
  // refused it as « au-delà de 10 % » (624 × 10 000 > 6 238 × 1 000): a cashier's own 10 % failed on about half
  // the totals. The limit is its amount rounded to the cent, as the percentage is: 6,24 € passes, 6,25 € does not.
  it('takes 10 % rounded to the cent as within 10 %', async () => {
    const basket = await aProduct(shop.admin, { name: 'Colis du marché', priceCents: 6238 });
    const of = (discountCents: number) => ({
      id: uuidv7(),
      tillId: 1,
      number: ++number,
      createdAt: new Date().toISOString(),
      lines: [{ productId: basket.id, quantity: 1, unitPriceCents: 6238 }],
      discountCents,
      payments: [{ method: 'card', amountCents: 6238 - discountCents }],
      totalCents: 6238 - discountCents,
    });
    const over = await till.post('/api/sales', of(625));
    expect([over.status, over.body.error.fields.map((f: { field: string }) => f.field)]).toEqual([
      422,
      ['discountCents', 'discountApproval'],
    ]);
    number--;
    expect((await till.post('/api/sales', of(624))).status).toBe(201);
  });

  it('takes it with a manager’s approval given on this till, and records who approved', async () => {
    expect((await till.post('/api/auth/approve', { pin: '9999', purpose: 'discount', amountCents: 300 })).status).toBe(401);
    // An approval covers what the manager was shown, not more (one discount approval covered 100 % off 1 290 € of
    // goods: found by an independent check): 2,00 approved, the ticket lets 3,00 off.
    const small = (await till.post('/api/auth/approve', { pin: '1357', purpose: 'discount', amountCents: 200 })).body.approval as string;
    const beyond = await till.post('/api/sales', ticket({ discountApproval: small }));
    expect([beyond.status, beyond.body.error.fields.at(-1)]).toEqual([
      422,
      { field: 'discountApproval', reason: 'validation invalide ou expirée' },
    ]);
    number--;
    // 3,00 off 2 × 10,00 is what this ticket lets off: approved as such.
    const ok = await till.post('/api/auth/approve', { pin: '1357', purpose: 'discount', amountCents: 300 });
    expect(ok.status).toBe(200);
    expect(ok.body.approver.id).toBe(managerId);
    const res = await till.post('/api/sales', ticket({ discountApproval: ok.body.approval }));
    expect(res.status).toBe(201);
    expect(res.body.approvedBy).toBe(managerId);
    // An approval is good once (found by an adversarial probe: one approval took 1 700 € out of the drawer):
    // a line discount of 5,00 on 20,00 (25 %) needs one of its own.
    const again = await till.post('/api/sales', ticket({ discountApproval: ok.body.approval }, 500, 0));
    expect(again.status).toBe(422);
    expect(again.body.error.fields.at(-1)).toEqual({ field: 'discountApproval', reason: 'validation invalide ou expirée' });
    number--;
    // One given for a large cash payment does not approve a discount either.
    const forCash = (await till.post('/api/auth/approve', { pin: '1357', purpose: 'cash', amountCents: 500 })).body.approval as string;
    expect((await till.post('/api/sales', ticket({ discountApproval: forCash }, 500, 0))).status).toBe(422);
    number--;
    const fresh = (await till.post('/api/auth/approve', { pin: '1357', purpose: 'discount', amountCents: 500 })).body.approval as string;
    const second = ticket({ discountApproval: fresh }, 500, 0);
    expect((await till.post('/api/sales', second)).status).toBe(201);
    // The same ticket sent again (a till's retry) finds its own use of the approval: the replay answers.
    const replay = await till.post('/api/sales', second);
    expect([200, 201]).toContain(replay.status);
    expect(replay.body.approvedBy).toBe(managerId);
  });

  it('refuses a forged approval, and one given on another till', async () => {
    const ok = (await till.post('/api/auth/approve', { pin: '1357', purpose: 'discount', amountCents: 300 })).body.approval as string;
    const forged = ok.slice(0, -1) + (ok.endsWith('A') ? 'B' : 'A');
    expect((await till.post('/api/sales', ticket({ discountApproval: forged }))).status).toBe(422);
    number--;
    const other = await shop.admin.post('/api/tills', { outlet: 'shop', name: 'Caisse 2' });
    const tablet = await aPairedTill(shop, other.body.id);
    const cashier2 = await shop.admin.post('/api/users', { displayName: 'Lou', role: 'cashier', pin: '4826' });
    expect((await tablet.post('/api/auth/pin', { tillId: other.body.id, pin: '4826', userId: cashier2.body.id })).status).toBe(200);
    const elsewhere = (await tablet.post('/api/auth/approve', { pin: '1357', purpose: 'discount', amountCents: 300 })).body
      .approval as string;
    const res = await till.post('/api/sales', ticket({ discountApproval: elsewhere }));
    expect(res.status).toBe(422);
    expect(res.body.error.fields.at(-1)).toEqual({ field: 'discountApproval', reason: 'validation invalide ou expirée' });
    number--;
  });

  it('lets a manager logged in on the till give it, approved by themselves', async () => {
    const managerTill = await aPairedTill(shop, 1);
    expect((await managerTill.post('/api/auth/pin', { tillId: 1, pin: '1357', userId: managerId })).status).toBe(200);
    const res = await managerTill.post('/api/sales', ticket());
    expect(res.status).toBe(201);
    expect(res.body.approvedBy).toBe(managerId);
  });
});

// Found by an independent probe: an approval never used stayed good for ever, for a ticket claiming a time
// near the approval's (a till sets that time). The server's own clock now bounds it: a week.
describe('an approval left unused', () => {
  let shop: TestShop;
  let till: Client;
  let cashier: { id: number; pin?: string };
  let panier: { id: number };
  let clock = new Date();
  let number = 0;

  beforeAll(async () => {
    shop = await startTestShop({ now: () => clock });
    panier = await aProduct(shop.admin, { name: 'Panier de légumes', priceCents: 1000 });
    const user = await aUser(shop, 'cashier');
    till = user.client;
    cashier = user;
    await shop.admin.post('/api/users', {
      displayName: 'Mathilde',
      role: 'manager',
      login: 'mathilde',
      password: 'mathilde-password-1',
      pin: '1357',
    });
  });
  afterAll(() => shop.close());

  // 20,00 with 3,00 off (15 %): beyond a cashier's 10 %. The ticket says it was rung a minute after the approval.
  const ticket = (approval: string, at: Date) => ({
    id: uuidv7(),
    tillId: 1,
    number: ++number,
    createdAt: new Date(at.getTime() + 60_000).toISOString(),
    lines: [{ productId: panier.id, quantity: 2, unitPriceCents: 1000 }],
    discountCents: 300,
    payments: [{ method: 'card', amountCents: 1700 }],
    totalCents: 1700,
    discountApproval: approval,
  });

  it('still approves a ticket from an outbox six days later, and no more after eight', async () => {
    const start = new Date();
    clock = start;
    const first = (await till.post('/api/auth/approve', { pin: '1357', purpose: 'discount', amountCents: 300 })).body.approval as string;
    clock = new Date(start.getTime() + 1000); // a token is its time, till and purpose, signed: another second, another token
    const second = (await till.post('/api/auth/approve', { pin: '1357', purpose: 'discount', amountCents: 300 })).body.approval as string;
    // Days later the cashier's session has ended: she opens the till again, then the outbox sends.
    const reopen = async () =>
      expect((await till.post('/api/auth/pin', { tillId: 1, pin: cashier.pin!, userId: cashier.id })).status).toBe(200);
    clock = new Date(start.getTime() + 6 * 24 * 3600_000);
    await reopen();
    expect((await till.post('/api/sales', ticket(first, start))).status).toBe(201);
    clock = new Date(start.getTime() + 8 * 24 * 3600_000);
    await reopen();
    const late = await till.post('/api/sales', ticket(second, start));
    expect(late.status, JSON.stringify(late.body)).toBe(422);
    expect(late.body.error.fields.at(-1)).toEqual({ field: 'discountApproval', reason: 'validation invalide ou expirée' });
  });
});
