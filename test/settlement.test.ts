import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  ADMIN,
  aCategory,
  aProducer,
  aProduct,
  aUser,
  startTestShop,
  type Client,
  type TestShop,
  allowDaysWithoutZ,
} from './support/harness.ts';
import { shopSql } from './support/shop-sql.ts';
import { uuidv7 } from './support/tickets.ts';

/**
 * One month of a small consignment shop, every figure worked out by hand below.
 *
 * Producers and terms:
 *   A  Ferme du Sidobre            20 % by default, 15 % on the "Fromages" category
 *   B  Rucher de la Montagne Noire 18 %
 *   C  Brasserie du Thoré          25 %
 * Products: Tomme (A, Fromages, 26,00 €/kg, 5,5 %), Faisselle (A, 2,80 €, 5,5 %), Miel (B, 9,50 €, 5,5 %),
 *   Hydromel (B, 14,50 €, 20 %), Bière blonde (C, 3,80 €, 20 %).
 *
 * November 2026 (Paris time is UTC+1):
 *   T1 (05/11, n° 1) Tomme 1 234 g: 2600 × 1234 / 1000 = 3208,4 -> 3208; Miel × 2 = 1900.         total 5108, card
 *   T2 (12/11, n° 2) Faisselle × 3 = 840, Bière × 4 = 1520, Hydromel = 1450: 3810, ticket discount 400
 *        spread by largest remainder: 400 × 840/3810 = 88,19; × 1520/3810 = 159,58; × 1450/3810 = 152,23
 *        floors 88 + 159 + 152 = 399, the last cent to the largest remainder (Bière) -> 88, 160, 152
 *        lines: Faisselle 752, Bière 1360, Hydromel 1298.                                          total 3410, cash 3500, change 90
 *   T3 (28/11, n° 3) Tomme 850 g = 2210 exactly, line discount 210 -> 2000; Bière × 2 = 760.       total 2760, cash 1000 + card 1760
 *   Kitchen (20/11): Miel × 2 at 9,50 = 1900 (B); Tomme 500 g at 26,00/kg = 1300 (A). No commission.
 * December 2026:
 *   T4 (01/12, n° 4) Bière × 1 = 380 (C).
 *   Statements for November issued on 01/12 in one run, in name order: C = REL-000001, A = 000002, B = 000003.
 *   T5 (n° 5) dated 29/11 (a till that was offline) arrives on 02/12: Faisselle × 1 = 280 (A): carried to December.
 *   Refund (03/12, n° 6) of one jar of honey from T1: −950 (B), after November was settled.
 */
describe('consignment statements, to the cent', () => {
  let shop: TestShop;
  let clock = new Date('2026-11-05T08:00:00Z');
  let till: Client;
  let number = 0;
  const ids: Record<string, number> = {};
  let t1: any;

  async function at(iso: string) {
    clock = new Date(iso);
    // Staff sessions last 12 hours: log in again at the new time.
    const login = await shop.admin.post('/api/auth/login', ADMIN);
    expect(login.status).toBe(200);
    till = (await aUser(shop, 'cashier')).client;
  }

  async function sell(createdAt: string, lines: object[], totalCents: number, payments: object[], discountCents = 0) {
    const res = await till.post('/api/sales', {
      id: uuidv7(),
      tillId: 1,
      number: ++number,
      createdAt,
      lines,
      discountCents,
      payments,
      totalCents,
    });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    return res.body;
  }

  beforeAll(async () => {
    fs.mkdirSync(path.join('test-artifacts', 'statements'), { recursive: true });
    shop = await startTestShop({ now: () => clock });
    await allowDaysWithoutZ(shop.admin);
    const fromages = await aCategory(shop.admin, { name: 'Fromages' });
    const a = await aProducer(shop.admin, {
      name: 'Ferme du Sidobre',
      legalName: 'GAEC du Sidobre',
      commissionBp: 2000,
      address: 'Le Bez, 81260 Brassac',
    });
    const b = await aProducer(shop.admin, {
      name: 'Rucher de la Montagne Noire',
      legalName: 'Rucher de la Montagne Noire',
      commissionBp: 1800,
    });
    const c = await aProducer(shop.admin, { name: 'Brasserie du Thoré', legalName: 'SARL Brasserie du Thoré', commissionBp: 2500 });
    Object.assign(ids, { a: a.id, b: b.id, c: c.id });
    expect(
      (
        await shop.admin.put(`/api/producers/${a.id}/terms`, {
          defaultBp: 2000,
          byCategory: [{ categoryId: fromages.id, commissionBp: 1500 }],
        })
      ).status,
    ).toBe(200);
    ids.tomme = (
      await aProduct(shop.admin, { name: 'Tomme de brebis', producerId: a.id, categoryId: fromages.id, unit: 'kg', priceCents: 2600 })
    ).id;
    ids.faisselle = (await aProduct(shop.admin, { name: 'Faisselle', producerId: a.id, priceCents: 280 })).id;
    ids.miel = (await aProduct(shop.admin, { name: 'Miel de châtaignier', producerId: b.id, priceCents: 950 })).id;
    ids.hydromel = (await aProduct(shop.admin, { name: 'Hydromel', producerId: b.id, priceCents: 1450, vatRateBp: 2000 })).id;
    ids.biere = (await aProduct(shop.admin, { name: 'Bière blonde', producerId: c.id, priceCents: 380, vatRateBp: 2000 })).id;
    await shop.admin.post('/api/stock/deposits', {
      producerId: a.id,
      lines: [
        { productId: ids.tomme, quantity: 5000 },
        { productId: ids.faisselle, quantity: 20 },
      ],
    });
    await shop.admin.post('/api/stock/deposits', {
      producerId: b.id,
      lines: [
        { productId: ids.miel, quantity: 12 },
        { productId: ids.hydromel, quantity: 6 },
      ],
    });
    await shop.admin.post('/api/stock/deposits', { producerId: c.id, lines: [{ productId: ids.biere, quantity: 24 }] });
    await shop.admin.post('/api/users', {
      login: 'chef',
      displayName: 'Cheffe',
      role: 'manager',
      password: 'mot-de-passe-long',
      pin: '9876',
    });
    expect(
      (
        await shop.admin.put('/api/settings/till', {
          extraPaymentMethods: [],
          cashierDiscountLimitBp: 2000,
          autoLockSeconds: 180,
          missedZBlocks: false,
        })
      ).status,
    ).toBe(200);

    await at('2026-11-05T11:00:00Z');
    t1 = await sell(
      '2026-11-05T10:00:00Z',
      [
        { productId: ids.tomme, grams: 1234, unitPriceCents: 2600 },
        { productId: ids.miel, quantity: 2, unitPriceCents: 950 },
      ],
      5108,
      [{ method: 'card', amountCents: 5108 }],
    );
    await at('2026-11-12T16:00:00Z');
    const t2 = await sell(
      '2026-11-12T15:30:00Z',
      [
        { productId: ids.faisselle, quantity: 3, unitPriceCents: 280 },
        { productId: ids.biere, quantity: 4, unitPriceCents: 380 },
        { productId: ids.hydromel, quantity: 1, unitPriceCents: 1450 },
      ],
      3410,
      [{ method: 'cash', amountCents: 3500 }],
      400,
    );
    expect(t2.lines.map((l: any) => l.totalCents)).toEqual([752, 1360, 1298]);
    await at('2026-11-20T11:00:00Z');
    expect(
      (
        await shop.admin.post('/api/stock/kitchen', {
          note: 'Plat du jour',
          lines: [
            { productId: ids.miel, quantity: 2 },
            { productId: ids.tomme, quantity: 500 },
          ],
        })
      ).status,
    ).toBe(201);
    await at('2026-11-28T18:00:00Z');
    await sell(
      '2026-11-28T17:00:00Z',
      [
        { productId: ids.tomme, grams: 850, unitPriceCents: 2600, discountCents: 210 },
        { productId: ids.biere, quantity: 2, unitPriceCents: 380 },
      ],
      2760,
      [
        { method: 'cash', amountCents: 1000 },
        { method: 'card', amountCents: 1760 },
      ],
    );
    await at('2026-12-01T09:00:00Z');
    await sell('2026-12-01T08:30:00Z', [{ productId: ids.biere, quantity: 1, unitPriceCents: 380 }], 380, [
      { method: 'card', amountCents: 380 },
    ]);
  });
  afterAll(() => shop.close());

  const nov = { from: '2026-11-01', to: '2026-11-30' };
  const dec = { from: '2026-12-01', to: '2026-12-31' };

  it('shows a draft of November before it is issued, and refuses a period that is not over', async () => {
    const draft = await shop.admin.get(`/api/producers/${ids.a}/statement?from=${nov.from}&to=${nov.to}`);
    expect(draft.status).toBe(200);
    expect(draft.body).toMatchObject({ status: 'draft', number: null });
    expect(draft.body.totals.netOwedCents).toBe(6143);
    const early = await shop.admin.post(`/api/producers/${ids.c}/statements`, dec);
    expect(early.status).toBe(400);
    expect(early.body.error.fields[0]).toMatchObject({ field: 'to' });
    const backwards = await shop.admin.post(`/api/producers/${ids.c}/statements`, { from: '2026-11-30', to: '2026-11-01' });
    expect(backwards.status).toBe(400);
  });

  it('issues every producer’s November in one run, each figure as worked out by hand', async () => {
    const started = await shop.admin.post('/api/statement-runs', nov);
    expect(started.status).toBe(202);
    expect(started.body).toMatchObject({ total: 3, state: 'running' });
    let run = started.body;
    for (let i = 0; i < 100 && run.state === 'running'; i++) {
      await new Promise((r) => setTimeout(r, 50));
      run = (await shop.admin.get(`/api/statement-runs/${run.id}`)).body;
    }
    expect(run).toMatchObject({ state: 'finished', total: 3, done: 3, issued: 3, skipped: [] });

    const list = (await shop.admin.get('/api/statements?from=2026-11-01&to=2026-11-30')).body;
    expect(list.map((s: any) => [s.code, s.producerId])).toEqual([
      ['REL-000003', ids.b],
      ['REL-000002', ids.a],
      ['REL-000001', ids.c],
    ]);

    const a = (await shop.admin.get(`/api/producers/${ids.a}/statement?from=${nov.from}&to=${nov.to}`)).body;
    expect(a).toMatchObject({ status: 'issued', code: 'REL-000002' });
    expect(a.items.map((i: any) => [i.kind, i.day, i.name, i.quantity, i.amountCents, i.commissionBp])).toEqual([
      ['sale', '2026-11-05', 'Tomme de brebis', 1234, 3208, 1500],
      ['sale', '2026-11-12', 'Faisselle', 3, 752, 2000],
      ['sale', '2026-11-28', 'Tomme de brebis', 850, 2000, 1500],
      ['kitchen', '2026-11-20', 'Tomme de brebis', 500, 1300, 0],
    ]);
    // Sales 3208 + 752 + 2000 = 5960, kitchen 1300, goods 7260 at 5,5 %: HT 7260 / 1,055 = 6881,52 -> 6882, VAT 378.
    // Commission 15 % of 5208 = 781,2 -> 781; 20 % of 752 = 150,4 -> 150; 931 HT, VAT 20 % 186,2 -> 186; 1117.
    // Net 7260 − 1117 = 6143.
    expect(a.totals).toEqual({
      salesCents: 5960,
      refundsCents: 0,
      kitchenCents: 1300,
      grossCents: 7260,
      vat: [{ vatRateBp: 550, grossCents: 7260, netCents: 6882, vatCents: 378 }],
      commission: [
        { rateBp: 2000, baseCents: 752, commissionCents: 150 },
        { rateBp: 1500, baseCents: 5208, commissionCents: 781 },
      ],
      commissionNetCents: 931,
      commissionVatRateBp: 2000,
      commissionVatCents: 186,
      commissionGrossCents: 1117,
      netOwedCents: 6143,
    });

    // B: honey 1900 + mead 1298 = 3198, kitchen 1900. 5,5 %: 3800 -> 3601,90 -> 3602 HT, 198 VAT; 20 %: 1298 -> 1081,67 -> 1082, 216.
    // Commission 18 % of 3198 = 575,64 -> 576, VAT 115,2 -> 115: 691. Net 5098 − 691 = 4407.
    const b = (await shop.admin.get(`/api/producers/${ids.b}/statement?from=${nov.from}&to=${nov.to}`)).body;
    expect(b.totals).toMatchObject({
      salesCents: 3198,
      kitchenCents: 1900,
      grossCents: 5098,
      vat: [
        { vatRateBp: 550, grossCents: 3800, netCents: 3602, vatCents: 198 },
        { vatRateBp: 2000, grossCents: 1298, netCents: 1082, vatCents: 216 },
      ],
      commissionNetCents: 576,
      commissionVatCents: 115,
      commissionGrossCents: 691,
      netOwedCents: 4407,
    });
    // C: beer 1360 + 760 = 2120 (the 1 December beer is not November's). 20 %: 1766,67 -> 1767 HT, 353 VAT.
    // Commission 25 % = 530, VAT 106: 636. Net 1484.
    const c = (await shop.admin.get(`/api/producers/${ids.c}/statement?from=${nov.from}&to=${nov.to}`)).body;
    expect(c.totals).toMatchObject({
      salesCents: 2120,
      grossCents: 2120,
      vat: [{ vatRateBp: 2000, grossCents: 2120, netCents: 1767, vatCents: 353 }],
      commissionGrossCents: 636,
      netOwedCents: 1484,
    });
  });

  it('keeps a run in the database: another process’s run is answered by id and refuses a second, one left by a dead process is closed', async () => {
    const q = await shopSql(shop);
    try {
      const admin = (await q.get<{ id: number }>("select id from users where login = 'admin'"))!;
      const at = (ms: number) => new Date(clock.getTime() + ms).toISOString();
      const other = uuidv7();
      // A run started by another server process on the same database, heard from a second ago.
      await q.run(
        `insert into statement_runs (id, period_from, period_to, total, done, issued, skipped, state, started_by, started_at, heartbeat_at, finished_at)
         values (?, '2026-11-01', '2026-11-30', 40, 12, 11, '[]', 'running', ?, ?, ?, null)`,
        other,
        admin.id,
        at(-5_000),
        at(-1_000),
      );
      expect((await shop.admin.get(`/api/statement-runs/${other}`)).body).toMatchObject({
        state: 'running',
        total: 40,
        done: 12,
        issued: 11,
      });
      const refused = await shop.admin.post('/api/statement-runs', nov);
      expect(refused.status).toBe(409);
      // Not heard from for two minutes (ABANDONED_AFTER_MS is one): its process died. The next start closes it.
      await q.run('update statement_runs set heartbeat_at = ? where id = ?', at(-120_000), other);
      const started = await shop.admin.post('/api/statement-runs', nov);
      expect(started.status).toBe(202);
      const left = (await shop.admin.get(`/api/statement-runs/${other}`)).body;
      expect(left).toMatchObject({ state: 'failed', done: 12 });
      expect(left.skipped.at(-1).reason).toMatch(/Interrompu/);
      // November is issued already: the new run skips its three producers, each with the reason.
      let run = started.body;
      for (let i = 0; i < 100 && run.state === 'running'; i++) {
        await new Promise((r) => setTimeout(r, 50));
        run = (await shop.admin.get(`/api/statement-runs/${run.id}`)).body;
      }
      expect(run).toMatchObject({ state: 'finished', total: 3, done: 3, issued: 0 });
      expect(run.skipped).toHaveLength(3);
    } finally {
      await q.close();
    }
  });

  it('prints the statement as an A4 PDF whose text carries the figures', async () => {
    const list = (await shop.admin.get(`/api/statements?producerId=${ids.a}`)).body;
    const pdf = await shop.admin.request('GET', `/api/statements/${list[0].id}.pdf`);
    expect(pdf.status).toBe(200);
    expect(pdf.headers.get('content-type')).toBe('application/pdf');
    const dir = path.join('test-artifacts', 'statements');
    const file = path.join(dir, 'REL-000002-ferme-du-sidobre.pdf');
    fs.writeFileSync(file, pdf.raw);
    const text = execFileSync('pdftotext', ['-layout', file, '-'])
      .toString()
      .replace(/[\u00a0\u202f]/g, ' ');
    for (const expected of [
      'Relevé de dépôt-vente REL-000002',
      'Période du 01/11/2026 au 30/11/2026',
      'GAEC du Sidobre',
      'Tomme de brebis',
      '1,234 kg',
      '32,08 €',
      'Caisse 1 · n° 1',
      'Utilisation par le restaurant',
      '13,00 €',
      'Commission HT',
      '-9,31 €',
      'TVA sur commission (20 %)',
      '-1,86 €',
      'Net à vous verser',
      '61,43 €',
      '68,82 €',
      'Page 1 / 1',
    ]) {
      expect(text).toContain(expected);
    }
    // The stored PDF is the one issued: the same bytes every time, and its hash is on the record.
    const again = await shop.admin.request('GET', `/api/statements/${list[0].id}.pdf`);
    expect(Buffer.compare(again.raw, pdf.raw)).toBe(0);
  });

  it('never issues the same period twice, and marks a statement paid once', async () => {
    const twice = await shop.admin.post(`/api/producers/${ids.a}/statements`, nov);
    expect(twice.status).toBe(409);
    expect(twice.body.error.message).toContain('REL-000002');
    const [a] = (await shop.admin.get(`/api/statements?producerId=${ids.a}`)).body;
    const paid = await shop.admin.post(`/api/statements/${a.id}/payment`, {
      paidOn: '2026-12-05',
      method: 'transfer',
      reference: 'VIR-1205',
    });
    expect(paid.status).toBe(200);
    expect(paid.body).toMatchObject({ status: 'paid', payment: { paidOn: '2026-12-05', method: 'transfer', reference: 'VIR-1205' } });
    expect((await shop.admin.post(`/api/statements/${a.id}/payment`, { paidOn: '2026-12-06', method: 'cash' })).status).toBe(409);
    expect((await shop.admin.post(`/api/statements/${a.id}/payment`, { paidOn: '05/12/2026', method: 'cash' })).status).toBe(400);
  });

  it('carries a late ticket and a refund of a settled sale into December', async () => {
    await at('2026-12-02T10:00:00Z');
    // Sold on 29/11 while the till was offline; received after November was settled.
    await sell('2026-11-29T10:00:00Z', [{ productId: ids.faisselle, quantity: 1, unitPriceCents: 280 }], 280, [
      { method: 'cash', amountCents: 280 },
    ]);
    await at('2026-12-03T10:30:00Z');
    const refund = await till.post('/api/refunds', {
      id: uuidv7(),
      tillId: 1,
      number: ++number,
      createdAt: '2026-12-03T10:05:00Z',
      refundOf: t1.id,
      reason: 'Pot fêlé',
      lines: [{ lineNo: 2, quantity: 1 }],
      payments: [{ method: 'cash', amountCents: -950 }],
      totalCents: -950,
      approvalPin: '9876',
    });
    expect(refund.status, JSON.stringify(refund.body)).toBe(201);
    // November, as issued, does not move.
    const novA = (await shop.admin.get(`/api/producers/${ids.a}/statement?from=${nov.from}&to=${nov.to}`)).body;
    expect(novA.totals.netOwedCents).toBe(6143);

    await at('2027-01-02T09:00:00Z');
    // A: the late faisselle 280, carried; commission 20 % = 56, VAT 11,2 -> 11: 67. Net 213.
    const a = (await shop.admin.post(`/api/producers/${ids.a}/statements`, dec)).body;
    expect(a.items.map((i: any) => [i.day, i.name, i.amountCents, i.carried])).toEqual([['2026-11-29', 'Faisselle', 280, true]]);
    expect(a.totals).toMatchObject({ salesCents: 280, commissionNetCents: 56, commissionVatCents: 11, netOwedCents: 213 });
    // B: the refund −950; commission 18 % = −171, VAT −34,2 -> −34: −205. Net −950 + 205 = −745: the producer owes 7,45 €.
    const b = (await shop.admin.post(`/api/producers/${ids.b}/statements`, dec)).body;
    expect(b.items.map((i: any) => [i.kind, i.day, i.quantity, i.amountCents])).toEqual([['refund', '2026-12-03', -1, -950]]);
    expect(b.totals).toMatchObject({
      salesCents: 0,
      refundsCents: -950,
      commissionNetCents: -171,
      commissionVatCents: -34,
      commissionGrossCents: -205,
      netOwedCents: -745,
    });
    // C: the 1 December beer 380: commission 95 + 19 = 114. Net 266.
    const c = (await shop.admin.post(`/api/producers/${ids.c}/statements`, dec)).body;
    expect(c).toMatchObject({ code: 'REL-000006', totals: { salesCents: 380, commissionGrossCents: 114, netOwedCents: 266 } });

    const pdfB = await shop.admin.request('GET', `/api/statements/${b.id}.pdf`);
    const file = path.join('test-artifacts', 'statements', 'REL-000005-rucher.pdf');
    fs.writeFileSync(file, pdfB.raw);
    const text = execFileSync('pdftotext', ['-layout', file, '-'])
      .toString()
      .replace(/[\u00a0\u202f]/g, ' ');
    expect(text).toContain('Remboursements (1)');
    expect(text).toContain('Reste dû par le déposant');
    expect(text).toContain('7,45 €');
  });

  it('exports a producer’s lines and all statements as CSV a French spreadsheet opens', async () => {
    const lines = await shop.admin.request('GET', `/api/producers/${ids.a}/lines.csv?from=2026-11-01&to=2026-11-30`);
    expect(lines.status).toBe(200);
    expect(lines.headers.get('content-type')).toContain('text/csv');
    const text = lines.raw.toString('utf8');
    expect(text.startsWith('\ufeffDate;Heure;Ticket;Type;Article;Quantité;Poids (kg);Prix unitaire TTC;Montant TTC;Taux TVA (%)\r\n')).toBe(
      true,
    );
    const rows = text.trimEnd().split('\r\n').slice(1);
    // In the order they were rung, in Paris time (UTC+1 in November: 10:00 UTC is 11:00); the late ticket is
    // there with its own date, since this export is by date of sale, not by statement.
    expect(rows).toEqual([
      '05/11/2026;11:00;Caisse 1 n° 1;Vente;Tomme de brebis;;1,234;26,00;32,08;5,50',
      '12/11/2026;16:30;Caisse 1 n° 2;Vente;Faisselle;3;;2,80;7,52;5,50',
      '28/11/2026;18:00;Caisse 1 n° 3;Vente;Tomme de brebis;;0,850;26,00;20,00;5,50',
      '29/11/2026;11:00;Caisse 1 n° 5;Vente;Faisselle;1;;2,80;2,80;5,50',
    ]);
    const all = await shop.admin.request('GET', '/api/statements.csv?from=2026-11-01&to=2026-12-31');
    const statementRows = all.raw.toString('utf8').trimEnd().split('\r\n');
    // Sales, refunds and kitchen use each in their own column (issue 21, item 7), then what the statement
    // settles: A sold 5960 and the kitchen used 1300 (7260, worked out above); C only sold (2120); B's
    // December statement is the refund alone (−950).
    expect(statementRows[0]).toBe(
      '\ufeffRelevé;Producteur;Du;Au;Émis le;Ventes TTC;Remboursements TTC;Usage cuisine TTC;Total TTC;Commission TTC;Net à verser;Payé le;Mode de paiement',
    );
    expect(statementRows.slice(1, 3)).toEqual([
      'REL-000001;Brasserie du Thoré;01/11/2026;30/11/2026;01/12/2026;21,20;0,00;0,00;21,20;6,36;14,84;;',
      'REL-000002;Ferme du Sidobre;01/11/2026;30/11/2026;01/12/2026;59,60;0,00;13,00;72,60;11,17;61,43;05/12/2026;Virement',
    ]);
    expect(statementRows[5]).toBe(
      'REL-000005;Rucher de la Montagne Noire;01/12/2026;31/12/2026;02/01/2027;0,00;-9,50;0,00;-9,50;-2,05;-7,45;;',
    );
  });

  it('invoices each statement’s commission, one numbered sequence a year, a credit note when it is negative', async () => {
    // The commissions worked out above, TTC: November (issued 1 December 2026) C 636, A 1117, B 691;
    // December (issued 2 January 2027) A 67, B −205 (the refund: a credit note), C 114.
    const list = (await shop.admin.get('/api/invoices')).body as {
      code: string;
      kind: string;
      statementCode: string;
      netCents: number;
      vatCents: number;
      grossCents: number;
    }[];
    expect(list.map((i) => [i.code, i.kind, i.statementCode, i.netCents, i.vatCents, i.grossCents])).toEqual([
      ['F-2027-000003', 'commission', 'REL-000006', 95, 19, 114],
      ['F-2027-000002', 'credit_note', 'REL-000005', -171, -34, -205],
      ['F-2027-000001', 'commission', 'REL-000004', 56, 11, 67],
      ['F-2026-000003', 'commission', 'REL-000003', 576, 115, 691],
      ['F-2026-000002', 'commission', 'REL-000002', 931, 186, 1117],
      ['F-2026-000001', 'commission', 'REL-000001', 530, 106, 636],
    ]);
    const [credit] = (await shop.admin.get(`/api/invoices?producerId=${ids.b}&year=2027`)).body;
    const pdf = await shop.admin.request('GET', `/api/invoices/${credit.id}.pdf`);
    expect(pdf.status).toBe(200);
    const file = path.join('test-artifacts', 'statements', 'F-2027-000002-avoir.pdf');
    fs.writeFileSync(file, pdf.raw);
    const text = execFileSync('pdftotext', ['-layout', file, '-'])
      .toString()
      .replace(/[\u00a0\u202f]/g, ' ');
    expect(text).toContain('Facture d’avoir n° F-2027-000002');
    expect(text).toContain('relevé de dépôt-vente REL-000005');
    // The rate beside the line is the commission's (18 %), named so: the VAT's is in the totals.
    expect(text).toMatch(/Commission\s+Montant HT/);
    expect(text).toMatch(/18 %\s+-1,71 €/);
    expect(text).toMatch(/Total HT\s+-1,71 €/);
    expect(text).toMatch(/TVA 20 %\s+-0,34 €/);
    expect(text).toMatch(/Total TTC à déduire\s+-2,05 €/);
    expect(text).toContain('40 €');
    expect(text).toContain('SIRET 73282932000074');
    // Typeset from the frozen record: the same bytes every time.
    expect((await shop.admin.request('GET', `/api/invoices/${credit.id}.pdf`)).raw.equals(pdf.raw)).toBe(true);
    // Frozen: the table refuses an edit.
    const q = await shopSql(shop);
    try {
      await expect(q.run('update invoices set gross_cents = 0')).rejects.toThrow(/append-only/);
      await expect(q.run('delete from invoices')).rejects.toThrow(/append-only/);
    } finally {
      await q.close();
    }
  });

  it('makes a deposit slip PDF with both parties and room for signatures', async () => {
    const slips = (await shop.admin.get(`/api/stock/slips?producerId=${ids.a}`)).body;
    const pdf = await shop.admin.request('GET', `/api/stock/slips/${slips[0].id}.pdf`);
    expect(pdf.status).toBe(200);
    const file = path.join('test-artifacts', 'statements', 'bon-depot-ferme.pdf');
    fs.writeFileSync(file, pdf.raw);
    const text = execFileSync('pdftotext', ['-layout', file, '-'])
      .toString()
      .replace(/[\u00a0\u202f]/g, ' ');
    // Tomme 5 000 g at 26,00 €/kg = 130,00 €; faisselle 20 × 2,80 = 56,00 €; total 186,00 €.
    for (const expected of [
      'Bon de dépôt n° 1',
      'GAEC du Sidobre',
      '5,000 kg',
      '130,00 €',
      '56,00 €',
      '186,00 €',
      'Le déposant (nom, date, signature)',
      // The farm is subject to VAT (the harness's default regime), with no VAT number on file.
      'Assujetti à la TVA',
    ])
      expect(text).toContain(expected);
  });
});
