import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auxBalance, fecEntries, fecProblems } from './support/fec-check.ts';
import { ADMIN, aProducer, aProduct, aUser, startTestShop, type Client, type TestShop } from './support/harness.ts';
import { uuidv7 } from './support/tickets.ts';

/**
 * What the drawer does besides the tickets, and the meal voucher's excess, in the FEC (issue 21), worked by hand.
 * Mandataire (the default). P: Rucher, assujetti, 20 %: Miel 9,50 € (5,5 %). The shop's Quiche 11,50 € (10 %).
 *
 * 10/11/2026, till 1: float 150,00 € (no entry: it stays in the drawer).
 *   in  change_supply 50,00 € (change fetched from the bank)     CA: D 530000 5000, C 580000 5000
 *   T1 Quiche 1150 paid by a 20,00 € meal voucher: 1150 paid, 850 not given back.
 *   T2 Miel 950, cash 1000, change 50.
 *   out petty_purchase 12,40 € « Ampoules »                     CA: D 606800 1240, C 530000 1240
 *   out bank_deposit 100,00 €                                   CA: D 580000 10000, C 530000 10000
 *   out correction 0,30 €                                       CA: D 658000 30, C 530000 30
 *   in  other 5,00 € « Trop-perçu client »                      CA: D 530000 500, C 471000 500
 *   Cash expected: 15000 + 1000 − 50 + 5000 + 500 − 1240 − 10000 − 30 = 10180; counted 10180.
 *   VE: D 511600 1150, D 530000 950 (1000 − 50); C 467000/P 950; the quiche 1150 at 10 %: 1150 / 1,1 = 1045,45
 *       -> C 707100 1045, C 445712 105; the voucher's excess D 511600 850, C 758800 850. 2950 each side.
 * 11/11: P's statement for 10/11: 950, commission 20 % = 190 + VAT 38 = 228 (VC); owed 722, paid in cash from the
 *   drawer by the manager (float 100,00 € that day; expected 10000 − 722 = 9278, counted 9278).
 *   CA: D 580000 722, C 530000 722.  BQ: D 467000/P 722, C 580000 722. P's 467: 950 − 228 − 722 = 0.
 */
describe('the drawer’s movements and the meal voucher’s excess in the FEC', () => {
  let shop: TestShop;
  let clock = new Date('2026-11-10T07:00:00Z');
  let till: Client;
  const ids: Record<string, number> = {};
  let slug = '';
  let number = 0;

  async function at(iso: string) {
    clock = new Date(iso);
    expect((await shop.admin.post('/api/auth/login', ADMIN)).status).toBe(200);
    till = (await aUser(shop, 'cashier')).client;
  }
  async function move(client: Client, body: Record<string, unknown>) {
    const res = await client.post('/api/drawer/movements', { id: uuidv7(clock.getTime()), createdAt: clock.toISOString(), ...body });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
  }
  async function sell(lines: object[], totalCents: number, payments: object[]) {
    const res = await till.post('/api/sales', {
      id: uuidv7(),
      tillId: 1,
      number: ++number,
      createdAt: clock.toISOString(),
      lines,
      payments,
      totalCents,
    });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    return res.body;
  }

  beforeAll(async () => {
    shop = await startTestShop({ now: () => clock });
    const p = await aProducer(shop.admin, { name: 'Rucher', commissionBp: 2000 });
    ids.p = p.id;
    slug = p.slug;
    ids.miel = (await aProduct(shop.admin, { name: 'Miel', producerId: p.id, priceCents: 950, vatRateBp: 550 })).id;
    ids.quiche = (await aProduct(shop.admin, { name: 'Quiche', priceCents: 1150, vatRateBp: 1000, mealVoucherEligible: true })).id;
    await shop.admin.post('/api/stock/deposits', { producerId: p.id, lines: [{ productId: ids.miel, quantity: 5 }] });
  });
  afterAll(() => shop.close());

  it('books the float, change fetched, small purchases, deposits, corrections and the voucher’s excess', async () => {
    await at('2026-11-10T08:00:00Z');
    await move(till, { kind: 'float', reason: 'float', amountCents: 15000 });
    await move(till, { kind: 'in', reason: 'change_supply', amountCents: 5000 });
    const t1 = await sell([{ productId: ids.quiche, quantity: 1, unitPriceCents: 1150 }], 1150, [
      { method: 'meal_voucher', amountCents: 2000 },
    ]);
    expect(t1.payments).toEqual([{ method: 'meal_voucher', amountCents: 1150, excessCents: 850 }]);
    await sell([{ productId: ids.miel, quantity: 1, unitPriceCents: 950 }], 950, [{ method: 'cash', amountCents: 1000 }]);
    await move(till, { kind: 'out', reason: 'petty_purchase', amountCents: 1240, note: 'Ampoules' });
    // Above the cashier's limit: the manager takes the takings to the bank.
    await move(shop.admin, { outlet: 'shop', kind: 'out', reason: 'bank_deposit', amountCents: 10000 });
    await move(till, { kind: 'out', reason: 'correction', amountCents: 30, note: 'Pièce de 30 c comptée deux fois' });
    await move(till, { kind: 'in', reason: 'other', amountCents: 500, note: 'Trop-perçu client' });
    await at('2026-11-10T18:00:00Z');
    const z = await shop.admin.post('/api/closings/day', {
      outlet: 'shop',
      day: '2026-11-10',
      cashCountedCents: 10180,
      confirmEarly: true,
    });
    expect(z.status, JSON.stringify(z.body)).toBe(201);
    expect([z.body.figures.drawer.expectedCents, z.body.figures.cashDifferenceCents, z.body.figures.voucherExcessCents]).toEqual([
      10180, 0, 850,
    ]);

    await at('2026-11-11T09:00:00Z');
    const st = await shop.admin.post(`/api/producers/${ids.p}/statements`, { from: '2026-11-10', to: '2026-11-10' });
    expect(st.status).toBe(201);
    expect(st.body.totals.netOwedCents).toBe(722);
    await move(shop.admin, { outlet: 'shop', kind: 'float', reason: 'float', amountCents: 10000 });
    await move(shop.admin, { outlet: 'shop', kind: 'out', reason: 'producer_payment', amountCents: 722, producerId: ids.p });
    expect((await shop.admin.post(`/api/statements/${st.body.id}/payment`, { paidOn: '2026-11-11', method: 'cash' })).status).toBe(200);
    await at('2026-11-11T18:00:00Z');
    const z2 = await shop.admin.post('/api/closings/day', {
      outlet: 'shop',
      day: '2026-11-11',
      cashCountedCents: 9278,
      confirmEarly: true,
    });
    expect(z2.status, JSON.stringify(z2.body)).toBe(201);
    expect(z2.body.figures.cashDifferenceCents).toBe(0);

    const res = await shop.admin.get('/api/exports/fec?from=2026-11-01&to=2026-11-11');
    expect(res.status).toBe(200);
    expect(fecProblems('732829320FEC20261231.txt', res.raw, { fiscalYearStart: '20260101' })).toEqual([]);
    const entries = fecEntries(res.raw);
    const sorted = (ls: [string, string, number, number][]) => [...ls].sort((x, y) => (x.join() < y.join() ? -1 : 1));
    const P = `P${slug.toUpperCase().replace(/[^0-9A-Z]/g, '')}`;
    const expected: Record<string, [string, string, number, number][]> = {
      VE000001: [
        ['511600', '', 1150, 0],
        ['530000', '', 950, 0],
        ['467000', P, 0, 950],
        ['707100', '', 0, 1045],
        ['445712', '', 0, 105],
        ['511600', '', 850, 0],
        ['758800', '', 0, 850],
      ],
      CA000001: [
        ['530000', '', 5000, 0],
        ['580000', '', 0, 5000],
        ['530000', '', 0, 1240],
        ['606800', '', 1240, 0],
        ['530000', '', 0, 10000],
        ['580000', '', 10000, 0],
        ['530000', '', 0, 30],
        ['658000', '', 30, 0],
        ['530000', '', 500, 0],
        ['471000', '', 0, 500],
      ],
      CA000002: [
        ['530000', '', 0, 722],
        ['580000', '', 722, 0],
      ],
      VC000001: [
        ['467000', P, 228, 0],
        ['706000', '', 0, 190],
        ['445713', '', 0, 38],
      ],
      BQ000001: [
        ['467000', P, 722, 0],
        ['580000', '', 0, 722],
      ],
    };
    expect([...entries.keys()].sort()).toEqual(Object.keys(expected).sort());
    for (const [num, lines] of Object.entries(expected)) expect(sorted(entries.get(num)!), num).toEqual(sorted(lines));
    // The producer is settled: 950 sold for them − 228 commission − 722 paid in cash.
    expect(auxBalance(entries, P)).toBe(0);
  });

  it('gives the sales journal the cash the Z expected, float and drawer movements included', async () => {
    const res = await shop.admin.get('/api/exports/sales-journal.csv?from=2026-11-01&to=2026-11-30');
    expect(res.status).toBe(200);
    const [header, ...rows] = res.raw
      .toString('utf8')
      .slice(1)
      .trimEnd()
      .split('\r\n')
      .map((l) => l.split(';'));
    const col = (name: string) => header!.indexOf(name);
    const cash = rows.map((r) => [
      r[0],
      ...['Monnaie rendue', 'Espèces attendues', 'Espèces comptées', 'Écart de caisse'].map((n) => r[col(n)]),
    ]);
    // 10/11: change 0,50; expected as on the Z: 150,00 float + 10,00 cash − 0,50 change + 50,00 + 5,00 in
    //   − 12,40 − 100,00 − 0,30 out = 101,80 (not the tickets' 9,50 alone); counted 101,80, gap 0.
    // 11/11: no ticket; 100,00 float − 7,22 paid to the producer = 92,78; counted 92,78, gap 0.
    expect(cash).toEqual([
      ['10/11/2026', '0,50', '101,80', '101,80', '0,00'],
      ['11/11/2026', '0,00', '92,78', '92,78', '0,00'],
    ]);
  });
});

/**
 * The shop's own sales in the mandataire model: VAT on each rate's day total by the receipts' rule (found by
 * an independent check: the FEC rounded the VAT where the receipts round the amount excluding VAT).
 * A house beer 3,45 € at 20 %, one ticket: 345 / 1,2 = 287,5 -> HT 288 (half up), VAT 345 − 288 = 57, as on
 * the receipt. Rounding the VAT instead, 345 × 2000 / 12000 = 57,5 -> 58, HT 287: a cent off the receipt.
 */
describe('the house’s VAT in the FEC, rounded as on the receipts', () => {
  let shop: TestShop;
  const clock = new Date('2026-11-10T09:00:00Z');
  afterAll(() => shop?.close());

  it('books 2,88 € + 0,57 € for a 3,45 € beer at 20 %', async () => {
    shop = await startTestShop({ now: () => clock });
    const beer = await aProduct(shop.admin, { name: 'Demi', priceCents: 345, vatRateBp: 2000 });
    const till = (await aUser(shop, 'cashier')).client;
    const sale = await till.post('/api/sales', {
      id: uuidv7(),
      tillId: 1,
      number: 1,
      createdAt: clock.toISOString(),
      lines: [{ productId: beer.id, quantity: 1, unitPriceCents: 345 }],
      payments: [{ method: 'card', amountCents: 345 }],
      totalCents: 345,
    });
    expect(sale.status).toBe(201);
    expect(sale.body.vat).toEqual([{ vatRateBp: 2000, grossCents: 345, netCents: 288, vatCents: 57 }]);
    const z = await shop.admin.post('/api/closings/day', { outlet: 'shop', day: '2026-11-10', cashCountedCents: 0, confirmEarly: true });
    expect(z.status).toBe(201);
    const res = await shop.admin.get('/api/exports/fec?from=2026-11-01&to=2026-11-10');
    const ve = [...fecEntries(res.raw).values()].flat().filter(([account]) => /^(707|4457)/.test(account));
    expect(ve.map(([account, , , credit]) => [account, credit])).toEqual([
      ['707200', 288],
      ['445713', 57],
    ]);
  });
});
