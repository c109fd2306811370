import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN, aCategory, allowDaysWithoutZ, aProduct, aUser, startTestShop, type Client, type TestShop } from './support/harness.ts';
import { uuidv7 } from './support/tickets.ts';

/**
 * The edges of solidarity prices (issue 22), worked by hand. Household's share 30 % by default, 40 % on Pain.
 * Baguette 1,00 € (Pain); Confiture 10,00 € (no category). Fund: 20,00 € received 01/11, 50,00 € announced for
 * 01/12 (not in the fund before then).
 */
describe('solidarity prices at the edges', () => {
  let shop: TestShop;
  let clock = new Date('2026-11-02T09:00:00Z');
  let till: Client;
  let number = 0;
  const ids: Record<string, number> = {};
  let card = '';
  let sold: any;

  async function at(iso: string) {
    clock = new Date(iso);
    expect((await shop.admin.post('/api/auth/login', ADMIN)).status).toBe(200);
    till = (await aUser(shop, 'cashier')).client;
  }
  async function sell(lines: object[], totalCents: number, payments: object[], household = card) {
    const res = await till.post('/api/sales', {
      id: uuidv7(),
      tillId: 1,
      number: number + 1,
      createdAt: clock.toISOString(),
      lines,
      payments,
      totalCents,
      household,
    });
    if (res.status === 201) number++;
    return res;
  }

  beforeAll(async () => {
    shop = await startTestShop({ now: () => clock });
    await allowDaysWithoutZ(shop.admin);
    await shop.admin.post('/api/users', {
      login: 'chef',
      displayName: 'Cheffe',
      role: 'manager',
      password: 'mot-de-passe-long',
      pin: '9876',
    });
    const pain = await aCategory(shop.admin, { name: 'Pain' });
    ids.baguette = (await aProduct(shop.admin, { name: 'Baguette', priceCents: 100, vatRateBp: 550, categoryId: pain.id })).id;
    ids.confiture = (await aProduct(shop.admin, { name: 'Confiture', priceCents: 1000, vatRateBp: 550 })).id;
    ids.pain = pain.id;
    await shop.admin.put('/api/solidarity/shares', {
      defaultShareBp: 3000,
      byCategory: [{ categoryId: pain.id, householdShareBp: 4000 }],
      retentionMonths: 12,
    });
    await shop.admin.post('/api/solidarity/funders', { name: 'CCAS' });
    const [funder] = (await shop.admin.get('/api/solidarity/fund')).body.funders;
    await shop.admin.post('/api/solidarity/contributions', { funderId: funder.id, amountCents: 2000, receivedOn: '2026-11-01' });
    await shop.admin.post('/api/solidarity/contributions', { funderId: funder.id, amountCents: 5000, receivedOn: '2026-12-01' });
    card = (
      await shop.admin.post('/api/households', { size: 2, validFrom: '2026-11-01', validTo: '2027-10-31', monthlyAllowanceCents: 5000 })
    ).body.cardCode;
  });
  afterAll(() => shop.close());

  it('counts in the fund only the money received by the day of the sale', async () => {
    await at('2026-11-05T10:00:00Z');
    expect((await till.get(`/api/solidarity/cards/${card}`)).body.fundBalanceCents).toBe(2000);
    // Confiture × 3 = 30,00: the fund's 70 % = 21,00 > 20,00 received.
    const over = await sell([{ productId: ids.confiture, quantity: 3, unitPriceCents: 1000 }], 3000, [
      { method: 'solidarity', amountCents: 2100 },
      { method: 'cash', amountCents: 900 },
    ]);
    expect(over.status).toBe(422);
    expect(over.body.error.message).toBe('Le fonds de solidarité n’a plus que 20,00 € : ce ticket en demande 21,00 €.');
    // Baguette × 3 + Confiture × 2 = 23,00: household 40 % × 3,00 = 1,20 + 30 % × 20,00 = 6,00: 7,20; fund 15,80.
    sold = await sell(
      [
        { productId: ids.baguette, quantity: 3, unitPriceCents: 100 },
        { productId: ids.confiture, quantity: 2, unitPriceCents: 1000 },
      ],
      2300,
      [
        { method: 'solidarity', amountCents: 1580 },
        { method: 'cash', amountCents: 720 },
      ],
    );
    expect(sold.status, JSON.stringify(sold.body)).toBe(201);
  });

  it('refunds at the shares charged at the sale, whatever they are since, the last refund taking what is left', async () => {
    // The shares change: Pain now 100 % for the household. The refund still follows the sale's 40 %.
    await shop.admin.put('/api/solidarity/shares', {
      defaultShareBp: 3000,
      byCategory: [{ categoryId: ids.pain, householdShareBp: 10_000 }],
      retentionMonths: 12,
    });
    const refund = (lines: object[], totalCents: number, payments: object[]) =>
      till.post('/api/refunds', {
        id: uuidv7(),
        tillId: 1,
        number: number + 1,
        createdAt: clock.toISOString(),
        refundOf: sold.body.id,
        reason: 'Erreur',
        lines,
        payments,
        totalCents,
        approvalPin: '9876',
      });
    // One baguette of three: household 1,20 × 1/3 = 0,40; fund 0,60.
    const one = await refund([{ lineNo: 1, quantity: 1 }], -100, [
      { method: 'solidarity', amountCents: -60 },
      { method: 'cash', amountCents: -40 },
    ]);
    expect(one.status, JSON.stringify(one.body)).toBe(201);
    number++;
    // The two left: what remains of the household's 1,20 is 0,80, the fund's 1,80 − 0,60 = 1,20.
    const rest = await refund([{ lineNo: 1, quantity: 2 }], -200, [
      { method: 'solidarity', amountCents: -120 },
      { method: 'cash', amountCents: -80 },
    ]);
    expect(rest.status, JSON.stringify(rest.body)).toBe(201);
    number++;
    expect((await shop.admin.get('/api/solidarity/fund')).body.spentCents).toBe(1580 - 60 - 120);
    // The funders count one ticket and one household: the refunds are in the amounts only.
    const report = (await shop.admin.get('/api/solidarity/report?month=2026-11')).body;
    expect([report.tickets, report.households, report.publicCents, report.fundCents]).toEqual([1, 1, 2300 - 300, 1580 - 180]);
  });

  it('keeps solidarity prices off a share of a restaurant bill', async () => {
    const res = await till.post('/api/sales', {
      id: uuidv7(),
      tillId: 1,
      number: number + 1,
      createdAt: clock.toISOString(),
      lines: [],
      payments: [{ method: 'solidarity', amountCents: 500 }],
      totalCents: 500,
      order: { id: uuidv7(), share: { parts: 2, index: 1 } },
    });
    expect(res.status).toBe(422);
    expect(res.body.error.fields[0]).toEqual({ field: 'payments.0.method', reason: 'pas de tarif solidaire sur une part' });
  });

  it('keeps the card off a restaurant till: the server refuses it, naming the household', async () => {
    // The till never offers it there; a waiter's phone charged meals and drinks to the fund all the same (found by
    // an independent check). A counter sale at the restaurant, Confiture 10,00 €: fund 7,00 €, household 3,00 €.
    const salle = (await shop.admin.post('/api/tills', { outlet: 'restaurant', name: 'Salle' })).body.id as number;
    const waiter = (await aUser(shop, 'waiter', { tillId: salle })).client;
    await shop.admin.patch(`/api/products/${ids.confiture}`, { outlets: ['shop', 'restaurant'] });
    const res = await waiter.post('/api/sales', {
      id: uuidv7(),
      tillId: salle,
      number: 1,
      createdAt: clock.toISOString(),
      lines: [{ productId: ids.confiture, quantity: 1, unitPriceCents: 1000 }],
      payments: [
        { method: 'solidarity', amountCents: 700 },
        { method: 'cash', amountCents: 300 },
      ],
      totalCents: 1000,
      household: card,
    });
    expect([res.status, res.body.error?.fields]).toEqual([422, [{ field: 'household', reason: 'pas au restaurant' }]]);
  });
});
