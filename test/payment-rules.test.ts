import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { easterSunday, frenchPublicHolidays, isSundayOrHoliday, vatCode } from '../shared/payment-rules.ts';
import { decodeEscPos } from './support/escpos-decoder.ts';
import { aProduct, aUser, startTestShop, type Client, type TestShop } from './support/harness.ts';
import { uuidv7 } from './support/tickets.ts';
import { until } from './support/wait.ts';

const flat = (s: string) => s.replace(/[\u00a0\u202f]/g, ' ');

describe('French public holidays and the VAT code letters', () => {
  it('computes Easter and the movable holidays (checked against the published calendars)', () => {
    // Easter Sunday: 5 April 2026, 28 March 2027, 16 April 2028 (calendars of the Service-public.fr pages).
    expect([easterSunday(2026), easterSunday(2027), easterSunday(2028)]).toEqual(['2026-04-05', '2027-03-28', '2028-04-16']);
    // 2026: Easter Monday 6 April, Ascension (Easter + 39) Thursday 14 May, Whit Monday (Easter + 50) 25 May.
    expect(frenchPublicHolidays(2026)).toEqual([
      '2026-01-01',
      '2026-04-06',
      '2026-05-01',
      '2026-05-08',
      '2026-05-14',
      '2026-05-25',
      '2026-07-14',
      '2026-08-15',
      '2026-11-01',
      '2026-11-11',
      '2026-12-25',
    ]);
    // 29 November 2026 is a Sunday, 11 November a Wednesday holiday, 4 December an ordinary Friday.
    expect([isSundayOrHoliday('2026-11-29'), isSundayOrHoliday('2026-11-11'), isSundayOrHoliday('2026-12-04')]).toEqual([
      true,
      true,
      false,
    ]);
  });

  it('gives each rate its fixed letter', () => {
    expect([550, 1000, 2000, 210, 0].map(vatCode)).toEqual(['A', 'B', 'C', 'D', 'E']);
  });
});

// The shop's clock is fixed on a Friday that is no holiday (4 December 2026), so the test means the same any day.
const NOW = new Date('2026-12-04T11:00:00Z');

describe('payment rules the law sets, enforced by the server', () => {
  let shop: TestShop;
  let till: Client;
  let quiche: { id: number };
  let savon: { id: number };
  let biere: { id: number };
  let manteau: { id: number };
  let number = 0;
  let excessSale: any;

  const sell = (lines: object[], totalCents: number, payments: object[], extra: Record<string, unknown> = {}) =>
    till.post('/api/sales', {
      id: uuidv7(),
      tillId: 1,
      number: ++number,
      createdAt: NOW.toISOString(),
      lines,
      payments,
      totalCents,
      ...extra,
    });

  beforeAll(async () => {
    shop = await startTestShop({ now: () => NOW });
    // A food product meal vouchers pay for; soap and beer they never do (beer: alcohol).
    quiche = await aProduct(shop.admin, { name: 'Quiche aux cèpes', priceCents: 1150, vatRateBp: 550, mealVoucherEligible: true });
    savon = await aProduct(shop.admin, { name: 'Savon au lait d’ânesse', priceCents: 800, vatRateBp: 2000 });
    biere = await aProduct(shop.admin, { name: 'Bière blonde', priceCents: 320, vatRateBp: 2000 });
    manteau = await aProduct(shop.admin, { name: 'Manteau en laine', priceCents: 120_000, vatRateBp: 2000 });
    await shop.admin.post('/api/users', {
      login: 'chef',
      displayName: 'Cheffe',
      role: 'manager',
      password: 'mot-de-passe-long',
      pin: '9876',
    });
    till = (await aUser(shop, 'cashier', { pin: '1111' })).client;
  });
  afterAll(() => shop.close());

  it('records a 20 € voucher on 11,50 € as 11,50 € paid and 8,50 € not given back', async () => {
    const res = await sell([{ productId: quiche.id, quantity: 1, unitPriceCents: 1150 }], 1150, [
      { method: 'meal_voucher', amountCents: 2000 },
    ]);
    expect(res.status).toBe(201);
    excessSale = res.body;
    // 20,00 − 11,50 = 8,50 kept by the shop; nothing given back.
    expect(res.body.payments).toEqual([{ method: 'meal_voucher', amountCents: 1150, excessCents: 850 }]);
    expect(res.body.changeCents).toBe(0);
    // Hashed with the ticket: the journal still verifies.
    const verify = await shop.admin.get('/api/journal/verify');
    expect(verify.body.ok).toBe(true);
  });

  it('refuses a voucher above the eligible items, naming the payment and the limit', async () => {
    // Quiche 11,50 (eligible) + soap 8,00 + beer 3,20 = 22,70; a 15 € voucher may pay 11,50 at most.
    const res = await sell(
      [
        { productId: quiche.id, quantity: 1, unitPriceCents: 1150 },
        { productId: savon.id, quantity: 1, unitPriceCents: 800 },
        { productId: biere.id, quantity: 1, unitPriceCents: 320 },
      ],
      2270,
      [
        { method: 'meal_voucher', amountCents: 1500 },
        { method: 'card', amountCents: 770 },
      ],
    );
    expect(res.status).toBe(422);
    expect(res.body.error.fields.map((f: any) => ({ ...f, reason: flat(f.reason) }))).toEqual([
      { field: 'payments.0.amountCents', reason: 'titres-restaurant : 11,50 € maximum sur ce ticket (articles éligibles 11,50 €)' },
    ]);
    // A ticket of soap alone: no voucher at all.
    const soap = await sell([{ productId: savon.id, quantity: 1, unitPriceCents: 800 }], 800, [
      { method: 'meal_voucher', amountCents: 800 },
    ]);
    expect(soap.status).toBe(422);
    expect(soap.body.error.fields[0].reason).toBe('titres-restaurant : aucun article éligible sur ce ticket');
  });

  it('holds vouchers to the 25 € cap per ticket', async () => {
    // Three quiches: 34,50 € eligible, but at most 25,00 € in vouchers.
    const lines = [{ productId: quiche.id, quantity: 3, unitPriceCents: 1150 }];
    const over = await sell(lines, 3450, [
      { method: 'meal_voucher', amountCents: 1500 },
      { method: 'meal_voucher', amountCents: 1500 },
      { method: 'card', amountCents: 450 },
    ]);
    expect(over.status).toBe(422);
    expect(flat(over.body.error.fields[0].reason)).toBe('titres-restaurant : 25,00 € maximum sur ce ticket (articles éligibles 34,50 €)');
    // 25,00 in vouchers + 9,50 by card: taken.
    const ok = await sell(lines, 3450, [
      { method: 'meal_voucher', amountCents: 2500 },
      { method: 'card', amountCents: 950 },
    ]);
    expect(ok.status).toBe(201);
  });

  it('refuses vouchers on a Sunday and on a public holiday, unless the shop allows them', async () => {
    const lines = [{ productId: quiche.id, quantity: 1, unitPriceCents: 1150 }];
    const voucher = [{ method: 'meal_voucher', amountCents: 1150 }];
    // Sunday 29 November 2026, noon in Paris; Wednesday 11 November 2026 (Armistice).
    for (const createdAt of ['2026-11-29T11:00:00Z', '2026-11-11T11:00:00Z']) {
      const res = await sell(lines, 1150, voucher, { createdAt, id: uuidv7(new Date(createdAt).getTime()) });
      expect(res.status).toBe(422);
      expect(res.body.error.fields).toEqual([
        { field: 'payments.0.method', reason: 'pas de titres-restaurant le dimanche et les jours fériés' },
      ]);
    }
    const options = (await shop.admin.get('/api/settings')).body.till;
    expect(options).toMatchObject({ mealVoucherCapCents: 2500, mealVoucherOnSundays: false, cashApprovalAboveCents: 100_000 });
    expect((await shop.admin.put('/api/settings/till', { ...options, mealVoucherOnSundays: true })).status).toBe(200);
    const sunday = '2026-11-29T11:00:00Z';
    const res = await sell(lines, 1150, voucher, { createdAt: sunday, id: uuidv7(new Date(sunday).getTime()) });
    expect(res.status).toBe(201);
    // That Sunday now has a ticket: its Z is taken, or the day left open would stop the till (missed Z).
    expect((await shop.admin.post('/api/closings/day', { outlet: 'shop', day: '2026-11-29', cashCountedCents: 0 })).status).toBe(201);
    expect((await shop.admin.put('/api/settings/till', { ...options, mealVoucherOnSundays: false })).status).toBe(200);
  });

  it('asks a manager to confirm cash above 1 000 €, and logs who did', async () => {
    const lines = [{ productId: manteau.id, quantity: 1, unitPriceCents: 120_000 }];
    const refused = await sell(lines, 120_000, [{ method: 'cash', amountCents: 120_000 }]);
    expect(refused.status).toBe(422);
    expect(flat(refused.body.error.fields[0].reason)).toBe('espèces au-delà de 1 000,00 € : validation d’un responsable requise');
    expect(refused.body.error.fields[0].field).toBe('cashApproval');
    // 1 000 € in cash and 200 € by card: no confirmation needed (the cash is not above the threshold).
    const split = await sell(lines, 120_000, [
      { method: 'cash', amountCents: 100_000 },
      { method: 'card', amountCents: 20_000 },
    ]);
    expect(split.status).toBe(201);
    const approval = await till.post('/api/auth/approve', { pin: '9876', purpose: 'cash', amountCents: 120_000 });
    expect(approval.status).toBe(200);
    const ok = await sell(lines, 120_000, [{ method: 'cash', amountCents: 120_000 }], { cashApproval: approval.body.approval });
    expect(ok.status).toBe(201);
    const events = (await shop.admin.get('/api/events?kind=sale.cash_approved')).body;
    const list = Array.isArray(events) ? events : (events.items ?? events.events ?? []);
    expect(list.some((e: any) => e.kind === 'sale.cash_approved' && e.subject === `sale:${ok.body.id}`)).toBe(true);
  });

  it('counts the voucher kept in the Z, its JSON and its PDF', async () => {
    // The day's vouchers: 11,50 (the 20 € one, 8,50 kept) + 25,00 = 36,50 paid by vouchers; 8,50 not given back.
    const closing = await shop.admin.post('/api/closings/day', {
      outlet: 'shop',
      day: '2026-12-04',
      cashCountedCents: 220_000,
      confirmEarly: true,
    });
    expect(closing.status).toBe(201);
    const f = closing.body.figures;
    expect(f.voucherExcessCents).toBe(850);
    expect(f.byPayment.find((p: any) => p.method === 'meal_voucher').amountCents).toBe(3650);
    const pdf = await fetch(`${shop.url}/api/closings/${closing.body.id}.pdf`, { headers: { cookie: shop.admin.cookieHeader() } });
    expect(pdf.status).toBe(200);
    const file = path.join(shop.dataDir, 'z.pdf');
    fs.writeFileSync(file, Buffer.from(await pdf.arrayBuffer()));
    const text = flat(execFileSync('pdftotext', ['-layout', file, '-'], { encoding: 'utf8' }));
    expect(text).toMatch(/Titres-restaurant non rendus[^\n]*8,50 €/);
  });

  it('prints the receipt with each line’s VAT code, the code table, the total HT, the legal name and form, and the voucher kept', async () => {
    const printer = await shop.admin.post('/api/printers', {
      name: 'Caisse 1',
      role: 'receipt',
      uri: 'file:prints',
      columns: 48,
      codePage: 'pc858',
      drawer: false,
    });
    expect(printer.status).toBe(201);
    expect((await shop.admin.patch('/api/tills/1', { printerId: printer.body.id })).status).toBe(200);
    expect((await till.post(`/api/sales/${excessSale.id}/receipt`)).status).toBe(201);
    const dir = path.join(shop.dataDir, 'prints');
    const file = await until('the receipt', () => fs.existsSync(dir) && fs.readdirSync(dir).find((f) => f.endsWith('-receipt.bin')));
    const text = flat(decodeEscPos(fs.readFileSync(path.join(dir, file))).text);
    expect(text).toContain('SCIC SAS Les Halles de la Durenque');
    expect(text).toContain('au capital de 12 000 €');
    // The quiche at 5,5 %: code A at the end of its line; the table: 11,50 TTC = 10,90 HT + 0,60 TVA (11,50 / 1,055 = 10,900).
    expect(text).toMatch(/Quiche aux cèpes +11,50 € A\n/);
    expect(text).toMatch(/A +5,5 % +10,90 € +0,60 € +11,50 €/);
    expect(text).toMatch(/Total HT +10,90 €/);
    expect(text).toMatch(/Titre-restaurant \(valeur 20,00 €\) +11,50 €/);
    expect(text).toMatch(/Non rendu \(titre-restaurant\) +8,50 €/);
    expect(text).not.toContain('Rendu ');
  });
});
