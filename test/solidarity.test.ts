import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  ADMIN,
  aCategory,
  allowDaysWithoutZ,
  aProducer,
  aProduct,
  aUser,
  startTestShop,
  type Client,
  type TestShop,
} from './support/harness.ts';
import { shopSql } from './support/shop-sql.ts';
import { uuidv7 } from './support/tickets.ts';
import { fecProblems } from './support/fec-check.ts';

/**
 * Solidarity prices (issue 22), worked by hand.
 *
 * Shares (the household pays): 30 % by default, 40 % on "Fromages". Fund: CCAS de Castres 50,00 € and
 * Fondation du Tarn 20,00 €, received 02/11/2026: 70,00 €.
 * A: Ferme du Sidobre (assujetti, 20 %): Carottes 3,20 €/kg (Légumes, 5,5 %), Tomme 6,50 € (Fromages, 5,5 %).
 * H1: 3 people, valid 01/11/2026–30/04/2027, allowance 30,00 € a month. H2: 1 person, allowance 100,00 €.
 *
 * T1 (05/11, H1): Carottes 1 500 g = 3,20 × 1,5 = 4,80; Tomme × 2 = 13,00. Public price 17,80.
 *   Household: 30 % × 4,80 = 1,44; 40 % × 13,00 = 5,20: 6,64. Fund: 17,80 − 6,64 = 11,16.
 *   Paid: fund 11,16 + cash 10,00, change 10,00 − 6,64 = 3,36. VAT 5,5 % on 17,80: HT 17,80 / 1,055 = 16,872
 *   -> 16,87, VAT 0,93 (VAT is on the price, whoever pays it).
 * H1's November: 30,00 − 11,16 = 18,84 left. T2 (H1): Tomme × 8 = 52,00 -> fund 60 % = 31,20 > 18,84: refused.
 * T3 (H2): Tomme × 10 = 65,00 -> household 26,00, fund 39,00. Fund left: 70,00 − 11,16 − 39,00 = 19,84.
 * T4 (H2): Tomme × 6 = 39,00 -> fund 23,40 > 19,84: refused (the fund's budget), though H2 has 61,00 left.
 * A's statement for November: the public price, 17,80 + 65,00 = 82,80; commission 20 % = 16,56 + VAT 3,31 (3,312)
 *   = 19,87; net 62,93.
 * Funders' November: 2 households, 2 tickets; Fromages 12 items, 78,00 public, 31,20 households, 46,80 fund;
 *   Légumes 1 item (a weighed line), 4,80, 1,44, 3,36. Totals 82,80 / 32,64 / 50,16. Balance 0 + 70,00 − 50,16 = 19,84.
 */
describe('solidarity prices, to the cent', () => {
  let shop: TestShop;
  let clock = new Date('2026-11-02T09:00:00Z');
  let till: Client;
  let number = 0;
  const ids: Record<string, number> = {};
  const cards: Record<string, string> = {};
  let t1: any;

  async function at(iso: string) {
    clock = new Date(iso);
    expect((await shop.admin.post('/api/auth/login', ADMIN)).status).toBe(200);
    till = (await aUser(shop, 'cashier')).client;
  }
  // A refused ticket takes no number: the till rings the next one with the same number.
  async function sell(household: string | undefined, lines: object[], totalCents: number, payments: object[]) {
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
    // The days are not closed here (closings: test/closings.test.ts).
    await allowDaysWithoutZ(shop.admin);
    await shop.admin.post('/api/users', {
      login: 'chef',
      displayName: 'Cheffe',
      role: 'manager',
      password: 'mot-de-passe-long',
      pin: '9876',
    });
    const legumes = await aCategory(shop.admin, { name: 'Légumes' });
    const fromages = await aCategory(shop.admin, { name: 'Fromages' });
    ids.legumes = legumes.id;
    const a = await aProducer(shop.admin, { name: 'Ferme du Sidobre', commissionBp: 2000 });
    ids.a = a.id;
    ids.carottes = (
      await aProduct(shop.admin, {
        name: 'Carottes',
        producerId: a.id,
        unit: 'kg',
        priceCents: 320,
        vatRateBp: 550,
        categoryId: legumes.id,
      })
    ).id;
    ids.tomme = (
      await aProduct(shop.admin, { name: 'Tomme', producerId: a.id, priceCents: 650, vatRateBp: 550, categoryId: fromages.id })
    ).id;
    await shop.admin.post('/api/stock/deposits', {
      producerId: a.id,
      lines: [
        { productId: ids.tomme, quantity: 40 },
        { productId: ids.carottes, quantity: 10_000 },
      ],
    });
    const shares = await shop.admin.put('/api/solidarity/shares', {
      defaultShareBp: 3000,
      byCategory: [{ categoryId: fromages.id, householdShareBp: 4000 }],
      retentionMonths: 12,
    });
    expect(shares.status, JSON.stringify(shares.body)).toBe(200);
    for (const name of ['CCAS de Castres', 'Fondation du Tarn'])
      expect((await shop.admin.post('/api/solidarity/funders', { name })).status).toBe(201);
    const funders = (await shop.admin.get('/api/solidarity/fund')).body.funders;
    for (const [name, amountCents] of [
      ['CCAS de Castres', 5000],
      ['Fondation du Tarn', 2000],
    ] as const) {
      const f = funders.find((x: any) => x.name === name);
      expect(
        (await shop.admin.post('/api/solidarity/contributions', { funderId: f.id, amountCents, receivedOn: '2026-11-02' })).status,
      ).toBe(201);
    }
    for (const [key, size, allowance] of [
      ['h1', 3, 3000],
      ['h2', 1, 10000],
    ] as const) {
      const h = await shop.admin.post('/api/households', {
        size,
        validFrom: '2026-11-01',
        validTo: '2027-04-30',
        monthlyAllowanceCents: allowance,
        partner: 'Secours populaire',
      });
      expect(h.status, JSON.stringify(h.body)).toBe(201);
      ids[key] = h.body.id;
      cards[key] = h.body.cardCode;
    }
  });
  afterAll(() => shop.close());

  it('keeps no name, and gives the till only what the sale needs', async () => {
    const [h] = (await shop.admin.get('/api/households')).body.filter((x: any) => x.id === ids.h1);
    expect(Object.keys(h).sort()).toEqual(
      [
        'cardCode',
        'code',
        'id',
        'monthlyAllowanceCents',
        'number',
        'partner',
        'remainingCents',
        'size',
        'usedThisMonthCents',
        'validFrom',
        'validTo',
      ].sort(),
    );
    await at('2026-11-05T10:00:00Z');
    const card = await till.get(`/api/solidarity/cards/${cards.h1}`);
    expect(card.body).toMatchObject({ code: 'M-0001', remainingCents: 3000, defaultShareBp: 3000, fundBalanceCents: 7000 });
    expect((await till.get('/api/solidarity/cards/ZZZZZZZZZZ')).status).toBe(404);
    expect((await till.get('/api/solidarity/cards/abc')).status).toBe(400);
    // A till may read a card, never the list of households.
    expect((await till.get('/api/households')).status).toBe(403);
  });

  it('sells at the household’s share, the fund paying the rest, within the allowance and the fund’s budget', async () => {
    const lines = [
      { productId: ids.carottes, grams: 1500, unitPriceCents: 320 },
      { productId: ids.tomme, quantity: 2, unitPriceCents: 650 },
    ];
    // The fund's share must be exact: 11,16, not 11,00.
    const wrong = await sell(cards.h1, lines, 1780, [
      { method: 'solidarity', amountCents: 1100 },
      { method: 'cash', amountCents: 1000 },
    ]);
    expect(wrong.status).toBe(422);
    expect(wrong.body.error.fields[0]).toEqual({ field: 'payments.0.amountCents', reason: 'part du fonds attendue : 1116 centimes' });
    // The fund pays only for a household.
    const nobody = await sell(undefined, lines, 1780, [
      { method: 'solidarity', amountCents: 1116 },
      { method: 'cash', amountCents: 1000 },
    ]);
    expect([nobody.status, nobody.body.error.fields[0].field]).toEqual([422, 'household']);
    const ok = await sell(cards.h1, lines, 1780, [
      { method: 'solidarity', amountCents: 1116 },
      { method: 'cash', amountCents: 1000 },
    ]);
    expect(ok.status, JSON.stringify(ok.body)).toBe(201);
    t1 = ok.body;
    expect(t1.changeCents).toBe(336);
    expect(t1.lines.map((l: any) => l.totalCents)).toEqual([480, 1300]);
    expect(t1.vat.map((v: any) => [v.vatRateBp, v.netCents, v.vatCents])).toEqual([[550, 1687, 93]]);
    expect((await till.get(`/api/solidarity/cards/${cards.h1}`)).body.remainingCents).toBe(1884);

    const cap = await sell(cards.h1, [{ productId: ids.tomme, quantity: 8, unitPriceCents: 650 }], 5200, [
      { method: 'solidarity', amountCents: 3120 },
      { method: 'cash', amountCents: 2080 },
    ]);
    expect(cap.status).toBe(422);
    expect(cap.body.error.message).toBe('Plafond mensuel du foyer M-0001 : il reste 18,84 € ce mois-ci, ce ticket en demande 31,20 €.');
    const h2 = await sell(cards.h2, [{ productId: ids.tomme, quantity: 10, unitPriceCents: 650 }], 6500, [
      { method: 'solidarity', amountCents: 3900 },
      { method: 'card', amountCents: 2600 },
    ]);
    expect(h2.status, JSON.stringify(h2.body)).toBe(201);
    const budget = await sell(cards.h2, [{ productId: ids.tomme, quantity: 6, unitPriceCents: 650 }], 3900, [
      { method: 'solidarity', amountCents: 2340 },
      { method: 'card', amountCents: 1560 },
    ]);
    expect(budget.status).toBe(422);
    expect(budget.body.error.message).toBe('Le fonds de solidarité n’a plus que 19,84 € : ce ticket en demande 23,40 €.');
    expect((await shop.admin.get('/api/solidarity/fund')).body).toMatchObject({
      contributedCents: 7000,
      spentCents: 5016,
      balanceCents: 1984,
    });
  });

  it('prints on the household’s receipt the public price and what it paid', async () => {
    const pdf = await shop.client().get(`/r/${t1.receiptToken}/pdf`);
    expect(pdf.status).toBe(200);
    const dir = path.join('test-artifacts', 'solidarity');
    fs.mkdirSync(dir, { recursive: true });
    const file = path.join(dir, 'receipt-T1.pdf');
    fs.writeFileSync(file, pdf.raw);
    const text = execFileSync('pdftotext', ['-layout', file, '-'])
      .toString()
      .replace(/\u00a0/g, ' ')
      .replace(/[ \t]+/g, ' ');
    expect(text).toContain('Tarif solidaire : prix public 17,80 €');
    expect(text).toContain('Payé par vous 6,64 €');
    expect(text).toContain('Payé par le fonds de solidarité 11,16 €');
    expect(text).toContain('Fonds de solidarité 11,16 €');
  });

  it('settles the producer at the full public price', async () => {
    await at('2026-12-01T09:00:00Z');
    const st = await shop.admin.post(`/api/producers/${ids.a}/statements`, { from: '2026-11-01', to: '2026-11-30' });
    expect(st.status, JSON.stringify(st.body)).toBe(201);
    expect(st.body.totals).toMatchObject({ salesCents: 8280, commissionNetCents: 1656, commissionVatCents: 331, netOwedCents: 6293 });
  });

  it('reports the month to the funders, anonymous, as figures, CSV and PDF', async () => {
    const r = await shop.admin.get('/api/solidarity/report?month=2026-11');
    expect(r.status).toBe(200);
    expect(r.body).toEqual({
      month: '2026-11',
      households: 2,
      tickets: 2,
      byCategory: [
        { category: 'Fromages', items: 12, publicCents: 7800, householdCents: 3120, fundCents: 4680 },
        { category: 'Légumes', items: 1, publicCents: 480, householdCents: 144, fundCents: 336 },
      ],
      publicCents: 8280,
      householdCents: 3264,
      fundCents: 5016,
      contributionsCents: 7000,
      balanceStartCents: 0,
      balanceEndCents: 1984,
    });
    const csv = await shop.admin.get('/api/solidarity/report.csv?month=2026-11');
    expect(csv.raw.toString('utf8')).toContain('Fromages;12;78,00;31,20;46,80');
    const pdf = await shop.admin.get('/api/solidarity/report.pdf?month=2026-11');
    const file = path.join('test-artifacts', 'solidarity', 'funders-2026-11.pdf');
    fs.writeFileSync(file, pdf.raw);
    const text = execFileSync('pdftotext', ['-layout', file, '-'])
      .toString()
      .replace(/\u00a0/g, ' ')
      .replace(/[ \t]+/g, ' ');
    expect(text).toContain('Tarif solidaire — novembre 2026');
    expect(text).toContain('Solde à la fin du mois 19,84 €');
    expect(text).not.toContain('M-0001');
    execFileSync('pdftoppm', [
      '-png',
      '-r',
      '60',
      '-f',
      '1',
      '-l',
      '1',
      file,
      path.join('test-artifacts', 'solidarity', 'funders-2026-11'),
    ]);
    expect((await shop.admin.get('/api/solidarity/report?month=2026-13')).status).toBe(400);
  });

  it('refunds a solidarity ticket: the fund takes back its share, the household its own', async () => {
    await at('2026-12-02T10:00:00Z');
    // The tomme moved to « Légumes » since: its refund still goes by the category it was sold in (a business
    // probe found the whole price given back to the fund, and nothing to the household, after such a move).
    expect((await shop.admin.patch(`/api/products/${ids.tomme}`, { categoryId: ids.legumes })).status).toBe(200);
    // One Tomme of T1: 6,50 public; the household's 40 % = 2,60, the fund's 3,90.
    const refund = (payments: object[]) =>
      till.post('/api/refunds', {
        id: uuidv7(),
        tillId: 1,
        number: number + 1,
        createdAt: clock.toISOString(),
        refundOf: t1.id,
        reason: 'Fromage trop fait',
        lines: [{ lineNo: 2, quantity: 1 }],
        payments,
        totalCents: -650,
        approvalPin: '9876',
      });
    // What the till asks first (its refund screen splits the payments by it): the same figures, and nothing for a
    // line beyond what is left (2 tommes asked of 2, counted as the 2 left: 1 300 of public price, 520 paid).
    expect((await till.post(`/api/sales/${t1.id}/refund-split`, { lines: [{ lineNo: 2, quantity: 1 }] })).body).toEqual({
      fundCents: -390,
      householdCents: -260,
    });
    expect((await till.post(`/api/sales/${t1.id}/refund-split`, { lines: [{ lineNo: 2, quantity: 9 }] })).body).toEqual({
      fundCents: -780,
      householdCents: -520,
    });
    const allCash = await refund([{ method: 'cash', amountCents: -650 }]);
    expect(allCash.status, JSON.stringify(allCash.body)).toBe(422);
    expect(allCash.body.error.fields[0]).toEqual({ field: 'payments', reason: 'le fonds de solidarité reprend 3,90 €' });
    const ok = await refund([
      { method: 'solidarity', amountCents: -390 },
      { method: 'cash', amountCents: -260 },
    ]);
    expect(ok.status, JSON.stringify(ok.body)).toBe(201);
    number++;
    // The Z of T1's day names the fund as the ticket and the FEC do (the signed PDF said « solidarity »: a walk).
    const outlet = (await shop.admin.get('/api/tills')).body.find((x: { id: number }) => x.id === 1).outlet;
    const x = (await shop.admin.get(`/api/closings/x?outlet=${outlet}&day=2026-11-05`)).body;
    const z = await shop.admin.post('/api/closings/day', { outlet, day: '2026-11-05', cashCountedCents: x.drawer.expectedCents });
    expect(z.status, JSON.stringify(z.body)).toBe(201);
    const zPdf = path.join('test-artifacts', 'solidarity', 'z-2026-11-05.pdf');
    fs.writeFileSync(zPdf, (await shop.admin.get(`/api/closings/${z.body.id}.pdf`)).raw);
    const zText = execFileSync('pdftotext', ['-layout', zPdf, '-'])
      .toString()
      .replace(/\u00a0/g, ' ')
      .replace(/[ \t]+/g, ' ');
    expect(zText).toMatch(/Fonds de solidarité \d+,\d\d €/);
    expect(zText).not.toMatch(/\bsolidarity\b/);
    // The FEC of those days books the funders' money as it came (found by a walk: 468100 only took debits): the
    // bank debited, the fund's account credited, 50,00 € and 20,00 € received on 2 November.
    const fec = await shop.admin.get('/api/exports/fec?from=2026-11-01&to=2026-11-05');
    expect(fec.status, fec.raw?.toString()).toBe(200);
    expect(fecProblems('732829320FEC20261231.txt', fec.raw, { fiscalYearStart: '20260101' })).toEqual([]);
    const rows = fec.raw
      .toString('latin1')
      .trim()
      .split('\r\n')
      .slice(1)
      .map((l: string) => l.split('\t'));
    const bank = rows.filter((r: string[]) => r[0] === 'BQ').map((r: string[]) => [r[2], r[3], r[4], r[10], r[11], r[12]]);
    expect(bank).toEqual([
      ['BQ000001', '20261102', '512000', 'Fonds de solidarité : contribution de CCAS de Castres', '50,00', '0,00'],
      ['BQ000001', '20261102', '468100', 'Fonds de solidarité : contribution de CCAS de Castres', '0,00', '50,00'],
      ['BQ000002', '20261102', '512000', 'Fonds de solidarité : contribution de Fondation du Tarn', '20,00', '0,00'],
      ['BQ000002', '20261102', '468100', 'Fonds de solidarité : contribution de Fondation du Tarn', '0,00', '20,00'],
    ]);
    expect((await shop.admin.get('/api/solidarity/fund')).body).toMatchObject({ spentCents: 5016 - 390, balanceCents: 1984 + 390 });
    // December's allowance is untouched by a refund of November: 30,00 left, not 33,90.
    expect((await till.get(`/api/solidarity/cards/${cards.h1}`)).body.remainingCents).toBe(3000);
  });

  it('erases a household on request: its record goes, its tickets stay whole and anonymous', async () => {
    const exported = await shop.admin.get(`/api/households/${ids.h1}/export`);
    expect(exported.status, JSON.stringify(exported.body)).toBe(200);
    expect(exported.body.tickets).toEqual([
      { saleId: t1.id, day: '2026-11-05', publicCents: 1780, householdCents: 664, fundCents: 1116 },
      { saleId: expect.any(String), day: '2026-12-02', publicCents: -650, householdCents: -260, fundCents: -390 },
    ]);
    const before = await shop.admin.get(`/api/sales/${t1.id}`);
    expect((await shop.admin.request('DELETE', `/api/households/${ids.h1}`)).status).toBe(204);
    expect((await shop.admin.get(`/api/households/${ids.h1}/export`)).status).toBe(404);
    expect((await till.get(`/api/solidarity/cards/${cards.h1}`)).status).toBe(404);
    // The ticket is the same, byte for byte, and the journal still verifies.
    expect((await shop.admin.get(`/api/sales/${t1.id}`)).body).toEqual(before.body);
    const verified = (await shop.admin.get('/api/journal/verify')).body;
    expect(verified.problems).toEqual([]);
    // Nothing in the database links that ticket to anyone any more; the funders still count two households.
    const q = await shopSql(shop);
    const link = (await q.get<{ household_id: number | null }>('select household_id from sale_households where sale_id = ?', t1.id))!;
    const left = (await q.get<{ n: number }>('select count(*) as n from households where card_code = ?', cards.h1))!;
    await q.close();
    expect([link.household_id, left.n]).toEqual([null, 0]);
    expect((await shop.admin.get('/api/solidarity/report?month=2026-11')).body.households).toBe(2);
    // A new household never takes an erased one's number.
    const h3 = await shop.admin.post('/api/households', {
      size: 2,
      validFrom: '2026-12-01',
      validTo: '2027-05-31',
      monthlyAllowanceCents: 2000,
    });
    expect(h3.body.code).toBe('M-0003');
  });

  it('erases households past the retention time once their validity ended', async () => {
    const old = await shop.admin.post('/api/households', {
      size: 1,
      validFrom: '2025-01-01',
      validTo: '2025-10-31',
      monthlyAllowanceCents: 1000,
    });
    expect(old.status).toBe(201);
    // Ended 31/10/2025, kept 12 months: gone on 01/12/2026 when the list is read.
    const list = (await shop.admin.get('/api/households')).body.map((h: any) => h.id);
    expect(list).not.toContain(old.body.id);
    const [erased] = (await shop.admin.get('/api/events?kind=household.erased')).body;
    expect(erased.data).toEqual({ number: old.body.number, why: 'retention' });
  });
});
