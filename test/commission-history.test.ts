import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  ADMIN,
  aCategory,
  aProducer,
  aProduct,
  aUser,
  allowDaysWithoutZ,
  startTestShop,
  type Client,
  type TestShop,
} from './support/harness.ts';
import { shopSql } from './support/shop-sql.ts';
import { uuidv7 } from './support/tickets.ts';

/**
 * A sale is commissioned at the terms in force when it was rung, and its refund at the terms of the sale it
 * gives back, whenever the statement is drawn up (a business probe found the month's unsettled sales all
 * commissioned at the rate set on the 20th). Every figure by hand:
 *
 * Ferme du Sidobre: 20 % by default, 15 % on "Fromages". Faisselle 2,80 € (no category), Tomme 10,00 € (Fromages).
 *   05/11  S1: Faisselle × 5 = 1400 (20 %), Tomme × 1 = 1000 (15 %)
 *   20/11  terms: 10 % by default, 12 % on Fromages
 *   25/11  S2: Faisselle × 5 = 1400 (10 %), Tomme × 1 = 1000 (12 %)
 *   26/11  refund of one faisselle of S1: −280 (20 %, S1's rate)
 *   27/11  the producer's default rate changed on its record: 30 % (Fromages stays 12 %)
 *   28/11  S3: Faisselle × 1 = 280 (30 %), Tomme × 1 = 1000 (12 %)
 * November, per rate: 20 %: 1400 − 280 = 1120 -> 224; 15 %: 1000 -> 150; 10 %: 1400 -> 140;
 *   12 %: 2000 -> 240; 30 %: 280 -> 84. Commission 838, VAT 20 % 167,6 -> 168, 1006 in all.
 *   Goods 6080 − 280 = 5800; owed 5800 − 1006 = 4794.
 *   02/12  terms: 5 % by default, no category of its own
 *   01/12  the tomme moves to the category « Autres » (no rate of its own): its November sales keep « Fromages »
 *   03/12  refund of S2's tomme: −1000 (12 %, sold in Fromages); refund of S3's faisselle: −280 (30 %);
 *          S4: Tomme × 1 = 1000 (5 %, the default: « Autres » has no rate of its own)
 * December: 12 %: −1000 -> −120; 30 %: −280 -> −84; 5 %: 1000 -> 50. Commission −154, VAT −30,8 -> −31: −185.
 *   Goods 1000 − 1280 = −280; owed −280 + 185 = −95 (the producer owes the shop 0,95 €).
 */
describe('commission at the terms of the day of sale', () => {
  let shop: TestShop;
  let clock = new Date('2026-11-05T08:00:00Z');
  let till: Client;
  let number = 0;
  let producerId = 0;
  let fromages = 0;
  const product: Record<string, number> = {};
  const sale: Record<string, string> = {};

  async function at(iso: string) {
    clock = new Date(iso);
    expect((await shop.admin.post('/api/auth/login', ADMIN)).status).toBe(200);
    till = (await aUser(shop, 'cashier')).client;
  }

  async function sell(createdAt: string, lines: { productId: number; quantity: number; unitPriceCents: number }[]) {
    const total = lines.reduce((a, l) => a + l.quantity * l.unitPriceCents, 0);
    const res = await till.post('/api/sales', {
      id: uuidv7(),
      tillId: 1,
      number: ++number,
      createdAt,
      lines,
      discountCents: 0,
      payments: [{ method: 'card', amountCents: total }],
      totalCents: total,
    });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    return res.body.id as string;
  }

  async function refund(createdAt: string, of: string, lineNo: number, amountCents: number) {
    const res = await till.post('/api/refunds', {
      id: uuidv7(),
      tillId: 1,
      number: ++number,
      createdAt,
      refundOf: of,
      reason: 'Retour client',
      lines: [{ lineNo, quantity: 1 }],
      payments: [{ method: 'cash', amountCents: -amountCents }],
      totalCents: -amountCents,
      approvalPin: '9876',
    });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
  }

  async function terms(defaultBp: number, byCategory: { categoryId: number; commissionBp: number }[]) {
    expect((await shop.admin.put(`/api/producers/${producerId}/terms`, { defaultBp, byCategory })).status).toBe(200);
  }

  beforeAll(async () => {
    shop = await startTestShop({ now: () => clock });
    await allowDaysWithoutZ(shop.admin);
    fromages = (await aCategory(shop.admin, { name: 'Fromages' })).id;
    producerId = (await aProducer(shop.admin, { name: 'Ferme du Sidobre', legalName: 'GAEC du Sidobre', commissionBp: 2000 })).id;
    await terms(2000, [{ categoryId: fromages, commissionBp: 1500 }]);
    product.faisselle = (await aProduct(shop.admin, { name: 'Faisselle', producerId, priceCents: 280 })).id;
    product.tomme = (await aProduct(shop.admin, { name: 'Tomme', producerId, categoryId: fromages, priceCents: 1000 })).id;
    expect(
      (
        await shop.admin.post('/api/stock/deposits', {
          producerId,
          lines: [
            { productId: product.faisselle, quantity: 20 },
            { productId: product.tomme, quantity: 10 },
          ],
        })
      ).status,
    ).toBe(201);
    await shop.admin.post('/api/users', {
      login: 'chef',
      displayName: 'Cheffe',
      role: 'manager',
      password: 'mot-de-passe-long',
      pin: '9876',
    });

    await at('2026-11-05T11:00:00Z');
    sale.s1 = await sell('2026-11-05T10:00:00Z', [
      { productId: product.faisselle, quantity: 5, unitPriceCents: 280 },
      { productId: product.tomme, quantity: 1, unitPriceCents: 1000 },
    ]);
    await at('2026-11-20T09:00:00Z');
    await terms(1000, [{ categoryId: fromages, commissionBp: 1200 }]);
    await at('2026-11-25T11:00:00Z');
    sale.s2 = await sell('2026-11-25T10:00:00Z', [
      { productId: product.faisselle, quantity: 5, unitPriceCents: 280 },
      { productId: product.tomme, quantity: 1, unitPriceCents: 1000 },
    ]);
    await at('2026-11-26T11:00:00Z');
    await refund('2026-11-26T10:00:00Z', sale.s1, 1, 280);
    await at('2026-11-27T09:00:00Z');
    expect((await shop.admin.patch(`/api/producers/${producerId}`, { commissionBp: 3000 })).status).toBe(200);
    await at('2026-11-28T11:00:00Z');
    sale.s3 = await sell('2026-11-28T10:00:00Z', [
      { productId: product.faisselle, quantity: 1, unitPriceCents: 280 },
      { productId: product.tomme, quantity: 1, unitPriceCents: 1000 },
    ]);
  });
  afterAll(() => shop.close());

  const rates = (totals: any) =>
    totals.commission
      .map((c: any) => [c.rateBp, c.baseCents, c.commissionCents])
      .sort((x: number[], y: number[]) => (y[0] ?? 0) - (x[0] ?? 0));

  it('commissions each of November’s lines at the terms of its sale, in the draft and in the issued statement', async () => {
    await at('2026-12-01T09:00:00Z');
    // The tomme leaves « Fromages » before the statement: its sales keep the category they were sold in.
    const autres = (await aCategory(shop.admin, { name: 'Autres' })).id;
    expect((await shop.admin.patch(`/api/products/${product.tomme}`, { categoryId: autres })).status).toBe(200);
    const draft = await shop.admin.get(`/api/producers/${producerId}/statement?from=2026-11-01&to=2026-11-30`);
    expect(draft.status).toBe(200);
    const expected = [
      [3000, 280, 84],
      [2000, 1120, 224],
      [1500, 1000, 150],
      [1200, 2000, 240],
      [1000, 1400, 140],
    ];
    expect(rates(draft.body.totals)).toEqual(expected);
    expect(draft.body.items.map((i: any) => [i.day, i.name, i.amountCents, i.commissionBp])).toEqual([
      ['2026-11-05', 'Faisselle', 1400, 2000],
      ['2026-11-05', 'Tomme', 1000, 1500],
      ['2026-11-25', 'Faisselle', 1400, 1000],
      ['2026-11-25', 'Tomme', 1000, 1200],
      ['2026-11-26', 'Faisselle', -280, 2000],
      ['2026-11-28', 'Faisselle', 280, 3000],
      ['2026-11-28', 'Tomme', 1000, 1200],
    ]);
    const issued = await shop.admin.post(`/api/producers/${producerId}/statements`, { from: '2026-11-01', to: '2026-11-30' });
    expect(issued.status, JSON.stringify(issued.body)).toBe(201);
    expect(rates(issued.body.totals)).toEqual(expected);
    // It states the terms in force at the end of November (30 % by default, 12 % on Fromages), not today's.
    await terms(700, []);
    expect(issued.body.terms).toMatchObject({ defaultBp: 3000, byCategory: [{ categoryId: fromages, commissionBp: 1200 }] });
    const again = await shop.admin.get(`/api/producers/${producerId}/statement?from=2026-11-01&to=2026-11-30`);
    expect(again.body.terms).toMatchObject({ defaultBp: 3000, byCategory: [{ categoryId: fromages, commissionBp: 1200 }] });
    expect(issued.body.totals).toMatchObject({
      salesCents: 6080,
      refundsCents: -280,
      commissionNetCents: 838,
      commissionVatCents: 168,
      commissionGrossCents: 1006,
      netOwedCents: 4794,
    });
  });

  it('refunds a settled sale at the rate it was commissioned at, after the terms changed again', async () => {
    await at('2026-12-02T09:00:00Z');
    await terms(500, []);
    expect((await shop.admin.get(`/api/producers/${producerId}/statement?from=2026-11-01&to=2026-11-30`)).body.terms.defaultBp).toBe(3000);
    await at('2026-12-03T11:00:00Z');
    await refund('2026-12-03T10:00:00Z', sale.s2!, 2, 1000);
    await refund('2026-12-03T10:01:00Z', sale.s3!, 1, 280);
    await sell('2026-12-03T10:02:00Z', [{ productId: product.tomme!, quantity: 1, unitPriceCents: 1000 }]);
    await at('2027-01-02T09:00:00Z');
    const dec = await shop.admin.post(`/api/producers/${producerId}/statements`, { from: '2026-12-01', to: '2026-12-31' });
    expect(dec.status, JSON.stringify(dec.body)).toBe(201);
    expect(rates(dec.body.totals)).toEqual([
      [3000, -280, -84],
      [1200, -1000, -120],
      [500, 1000, 50],
    ]);
    expect(dec.body.totals).toMatchObject({
      salesCents: 1000,
      refundsCents: -1280,
      commissionNetCents: -154,
      commissionVatCents: -31,
      commissionGrossCents: -185,
      netOwedCents: -95,
    });
  });

  it('keeps the history of terms append-only', async () => {
    const db = await shopSql(shop);
    try {
      expect((await db.all(`select default_bp from commission_terms order by id`)).map((r) => r.default_bp)).toEqual([
        2000, 2000, 1000, 3000, 700, 500,
      ]);
      await expect(db.run(`update commission_terms set default_bp = 0`)).rejects.toThrow(/append-only/);
      await expect(db.run(`delete from commission_terms`)).rejects.toThrow(/append-only/);
    } finally {
      await db.close();
    }
  });
});
