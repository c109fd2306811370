import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { validateXML } from 'xmllint-wasm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auxBalance, fecEntries, fecProblems, type FecLine } from './support/fec-check.ts';
import { ADMIN, aProducer, aProduct, aUser, startTestShop, type Client, type TestShop } from './support/harness.ts';
import { uuidv7 } from './support/tickets.ts';

/**
 * One month of consignment in each model (issue 21), three producers of the three VAT regimes, every figure
 * worked out by hand here: the receipts' VAT, the Z, the statements, each invoice and every FEC line.
 *
 *   A  Ferme du Sidobre        assujetti (réel), commission 20 %: Tomme 26,00 €/kg, 5,5 %, weighed
 *   B  Savonnerie du Thoré     franchise en base (293 B), 25 %:   Savon 6,00 €, 20 %
 *   C  Vergers de Lacaune      forfait agricole (298 quater), 15 %: Jus de pomme 4,50 €, 5,5 %
 *   The shop's own: Café 1,50 €, 10 %.
 *
 * Receipts (Paris is UTC+1). Mandataire: B's and C's goods are sold in their name and carry no VAT (0 %).
 * Commissionnaire: the shop sells everything in its own name at the products' rates.
 *   T1 05/11 Tomme 1 234 g: 2600 × 1,234 = 3208,4 -> 3208; Savon × 2 = 1200; Café 150. Total 4558, card.
 *        Mandataire: 0 %: 1200 (VAT 0); 5,5 %: 3208 / 1,055 = 3040,76 -> HT 3041, VAT 167; 10 %: 150 -> 136 + 14.
 *        Commissionnaire: 5,5 % 3041 + 167; 10 % 136 + 14; 20 %: 1200 -> 1000 + 200.
 *   T2 12/11 Jus × 3 = 1350, Savon 600, Café 150 = 2100, ticket discount 210 spread pro rata (exact here):
 *        1350 × 10 % = 135, 600 -> 60, 150 -> 15: lines 1215, 540, 135. Total 1890, cash 2000, change 110.
 *        Mandataire: 0 %: 1215 + 540 = 1755; 10 %: 135 / 1,1 = 122,7 -> 123 + 12.
 *        Commissionnaire: 5,5 %: 1215 / 1,055 = 1151,66 -> 1152 + 63; 10 %: 123 + 12; 20 %: 540 -> 450 + 90.
 *   Kitchen use 20/11: Jus × 2 = 900 (C), at its price, no commission. Its VAT follows the sales' rule: mandataire,
 *        C charges none, so 0 % (not the Jus's 5,5 %): C's goods are 1215 + 900 = 2115 at 0 %, VAT 0;
 *        commissionnaire, 5,5 % like C's sales, the purchase then charging no VAT under the flat rate.
 *   Z: 05/11 4558 (card); 12/11 1890 (cash expected 2000 − 110 = 1890, counted 1890); 03/12 −600 (card).
 *
 * Statements of November, issued 01/12 in the order A, B, C, paid by transfer on 05/12:
 *   Mandataire (account of the sales + the shop's commission invoice, F series):
 *     A: 3208; commission 20 % = 641,6 -> 642, VAT 128,4 -> 128: 770 (F-2026-000001). Owed 3208 − 770 = 2438.
 *     B: 1200 + 540 = 1740; 25 % = 435, VAT 87: 522 (F-2026-000002). Owed 1218.
 *     C: 1215 + kitchen 900 = 2115; 15 % of 1215 = 182,25 -> 182, VAT 36,4 -> 36: 218 (F-2026-000003). Owed 1897.
 *   Commissionnaire (the producer's self-billed purchase invoice, AF series, under their mandate):
 *     A: 3208 − 642 = 2566 incl. VAT 5,5 %: HT 2566 / 1,055 = 2432,23 -> 2432, VAT 134 (AF-2026-000001). Owed 2566.
 *     B: 1740 − 435 = 1305, no VAT (293 B) (AF-2026-000002). Owed 1305.
 *     C: 1215 − 182 = 1033, + kitchen 900 = 1933, no VAT (298 quater) (AF-2026-000003). Owed 1933.
 *        Remboursement forfaitaire 4,43 % × 1933 = 85,63 -> 86, claimed by the producer, not the shop's.
 * 03/12, after November was settled: one Savon of T1 refunded to the card, −600 (mandataire 0 %;
 *   commissionnaire 20 %: −500 − 100). Statement of B for 01/12–15/12, issued 16/12, "paid" (B pays back) 17/12:
 *     Mandataire: −600; commission −150, VAT −30: credit note −180 (F-2026-000004). Owed −600 + 180 = −420.
 *     Commissionnaire: −600 + 150 = −450, self-billed credit note (AF-2026-000004). Owed −450.
 *
 * FEC, mandataire (467 per producer; only the café and the commission in 70x):
 *   VE000001 05/11: D 511500 4558; C 467/A 3208, C 467/B 1200, C 707100 136, C 445712 14.
 *   VE000002 12/11: D 530000 1890; C 467/C 1215, C 467/B 540, C 707100 123, C 445712 12.
 *   VE000003 03/12: C 511500 600; D 467/B 600.
 *   VC000001-3 01/12: D 467/A 770, C 706000 642, C 445713 128 | D 467/B 522, C 706 435, C 445713 87 |
 *                     D 467/C 218, C 706 182, C 445713 36.  AC000001 01/12: D 607000 900, C 467/C 900.
 *   VC000004 16/12: C 467/B 180, D 706000 150, D 445713 30.
 *   BQ000001-3 05/12: D 467/A 2438 | D 467/B 1218 | D 467/C 1897, each C 512000. BQ000004 17/12: C 467/B 420, D 512000 420.
 *   Balances: A 3208 − 770 − 2438 = 0; B 1740 − 522 − 1218 − 600 + 180 + 420 = 0; C 2115 − 218 − 1897 = 0.
 * FEC, commissionnaire (sales 707/4457 in full, purchases 607 + 44566 only when the producer charges VAT, 401):
 *   VE000001 05/11: D 511500 4558; C 707055 3041, C 445711 167, C 707100 136, C 445712 14, C 707200 1000, C 445713 200.
 *   VE000002 12/11: D 530000 1890; C 707055 1152, C 445711 63, C 707100 123, C 445712 12, C 707200 450, C 445713 90.
 *   VE000003 03/12: C 511500 600; D 707200 500, D 445713 100.
 *   AC000001-3 01/12: D 607000 2432, D 445660 134, C 401/A 2566 | D 607000 1305, C 401/B 1305 | D 607000 1933, C 401/C 1933.
 *   AC000004 16/12: C 607000 450, D 401/B 450.
 *   BQ000001-3 05/12: D 401/A 2566 | D 401/B 1305 | D 401/C 1933. BQ000004 17/12: C 401/B 450, D 512000 450.
 *   Balances: each producer's 401 back to 0.
 */
const FX = path.join(import.meta.dirname, 'fixtures', 'xsd', 'factur-x');
const FX_MAIN = 'Factur-X_1.07.3_EN16931.xsd';

async function facturXErrors(xml: string): Promise<string[]> {
  const files = fs.readdirSync(FX).filter((f) => f.endsWith('.xsd'));
  const result = await validateXML({
    xml: [{ fileName: 'factur-x.xml', contents: xml }],
    schema: [{ fileName: FX_MAIN, contents: fs.readFileSync(path.join(FX, FX_MAIN), 'utf8') }],
    preload: files.filter((f) => f !== FX_MAIN).map((f) => ({ fileName: f, contents: fs.readFileSync(path.join(FX, f), 'utf8') })),
  });
  return result.errors.map((e) => e.message);
}

type Line = FecLine;

describe.each(['mandataire', 'commissionnaire'] as const)('a month of consignment, %s, to the cent', (model) => {
  let shop: TestShop;
  let clock = new Date('2026-11-02T08:00:00Z');
  let till: Client;
  let number = 0;
  const ids: Record<string, number> = {};
  const aux: Record<string, string> = {};
  let t1: { id: string };
  const novStatements: Record<string, any> = {};
  let decB: any;
  const mandataire = model === 'mandataire';
  const dir = path.join('test-artifacts', 'invoices');

  async function at(iso: string) {
    clock = new Date(iso);
    expect((await shop.admin.post('/api/auth/login', ADMIN)).status).toBe(200);
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
  const vatOf = (sale: any) => sale.vat.map((v: any) => [v.vatRateBp, v.netCents, v.vatCents]);
  async function close(day: string, cashCountedCents: number) {
    const z = await shop.admin.post('/api/closings/day', { outlet: 'shop', day, cashCountedCents, confirmEarly: true });
    expect(z.status, JSON.stringify(z.body)).toBe(201);
    return z.body;
  }

  beforeAll(async () => {
    fs.mkdirSync(dir, { recursive: true });
    shop = await startTestShop({ now: () => clock });
    expect((await shop.admin.put('/api/settings/consignment', { model })).status).toBe(200);
    const a = await aProducer(shop.admin, {
      name: 'Ferme du Sidobre',
      legalName: 'EARL du Sidobre',
      address: 'La Jasse 81260 Brassac',
      siret: '52148135800013',
      vatNumber: 'FR53521481358',
      commissionBp: 2000,
    });
    const b = await aProducer(shop.admin, {
      name: 'Savonnerie du Thoré',
      legalName: 'Marie Azaïs',
      address: '3 place du Foirail 81240 Saint-Amans-Soult',
      commissionBp: 2500,
      vatStatus: 'franchise',
    });
    const c = await aProducer(shop.admin, {
      name: 'Vergers de Lacaune',
      legalName: 'GAEC des Vergers',
      address: 'Route de Murat 81230 Lacaune',
      commissionBp: 1500,
      vatStatus: 'flat_rate',
    });
    Object.assign(ids, { a: a.id, b: b.id, c: c.id });
    for (const [k, p] of Object.entries({ a, b, c })) aux[k] = `P${p.slug.toUpperCase().replace(/[^0-9A-Z]/g, '')}`;
    ids.tomme = (await aProduct(shop.admin, { name: 'Tomme', producerId: a.id, unit: 'kg', priceCents: 2600, vatRateBp: 550 })).id;
    ids.savon = (await aProduct(shop.admin, { name: 'Savon', producerId: b.id, priceCents: 600, vatRateBp: 2000 })).id;
    ids.jus = (await aProduct(shop.admin, { name: 'Jus de pomme', producerId: c.id, priceCents: 450, vatRateBp: 550 })).id;
    ids.cafe = (await aProduct(shop.admin, { name: 'Café', priceCents: 150, vatRateBp: 1000 })).id;
    await shop.admin.post('/api/stock/deposits', { producerId: a.id, lines: [{ productId: ids.tomme, quantity: 5000 }] });
    await shop.admin.post('/api/stock/deposits', { producerId: b.id, lines: [{ productId: ids.savon, quantity: 10 }] });
    await shop.admin.post('/api/stock/deposits', { producerId: c.id, lines: [{ productId: ids.jus, quantity: 10 }] });
    await shop.admin.post('/api/users', {
      login: 'chef',
      displayName: 'Cheffe',
      role: 'manager',
      password: 'mot-de-passe-long',
      pin: '9876',
    });
  });
  afterAll(() => shop.close());

  it('rings the month: each receipt’s VAT per rate, and each Z', async () => {
    await at('2026-11-05T11:00:00Z');
    const s1 = await sell(
      '2026-11-05T10:00:00Z',
      [
        { productId: ids.tomme, grams: 1234, unitPriceCents: 2600 },
        { productId: ids.savon, quantity: 2, unitPriceCents: 600 },
        { productId: ids.cafe, quantity: 1, unitPriceCents: 150 },
      ],
      4558,
      [{ method: 'card', amountCents: 4558 }],
    );
    t1 = s1;
    expect(vatOf(s1)).toEqual(
      mandataire
        ? [
            [0, 1200, 0],
            [550, 3041, 167],
            [1000, 136, 14],
          ]
        : [
            [550, 3041, 167],
            [1000, 136, 14],
            [2000, 1000, 200],
          ],
    );
    const z1 = await close('2026-11-05', 0);
    expect(z1.totalCents).toBe(4558);
    // The Z carries the day's VAT as the receipts did, and the shop's own sales (the café) apart from the producers'.
    expect(z1.figures.byVat.map((v: any) => [v.vatRateBp, v.netCents, v.vatCents])).toEqual(vatOf(s1));
    expect(z1.figures.byProducer.map((p: any) => [p.producerId, p.totalCents]).sort()).toEqual(
      [
        [ids.a, 3208],
        [ids.b, 1200],
        [null, 150],
      ].sort(),
    );
    await at('2026-11-12T16:00:00Z');
    const s2 = await sell(
      '2026-11-12T15:30:00Z',
      [
        { productId: ids.jus, quantity: 3, unitPriceCents: 450 },
        { productId: ids.savon, quantity: 1, unitPriceCents: 600 },
        { productId: ids.cafe, quantity: 1, unitPriceCents: 150 },
      ],
      1890,
      [{ method: 'cash', amountCents: 2000 }],
      210,
    );
    expect(s2.lines.map((l: any) => l.totalCents)).toEqual([1215, 540, 135]);
    expect(vatOf(s2)).toEqual(
      mandataire
        ? [
            [0, 1755, 0],
            [1000, 123, 12],
          ]
        : [
            [550, 1152, 63],
            [1000, 123, 12],
            [2000, 450, 90],
          ],
    );
    const z2 = await close('2026-11-12', 1890);
    expect([z2.totalCents, z2.figures.cashExpectedCents, z2.figures.cashDifferenceCents]).toEqual([1890, 1890, 0]);
    await at('2026-11-20T11:00:00Z');
    const kitchen = await shop.admin.post('/api/stock/kitchen', { note: 'Tarte aux pommes', lines: [{ productId: ids.jus, quantity: 2 }] });
    expect(kitchen.status).toBe(201);
  });

  it('settles November: the statements and their invoices', async () => {
    await at('2026-12-01T09:00:00Z');
    if (!mandataire) {
      for (const k of ['a', 'b', 'c']) {
        const signed = await shop.admin.request('POST', `/api/producers/${ids[k]}/mandates?signedOn=2026-10-15`, undefined, {
          raw: fs.readFileSync(path.join(import.meta.dirname, 'fixtures', 'mandate-signed.pdf')),
          contentType: 'application/pdf',
        });
        expect(signed.status, JSON.stringify(signed.body)).toBe(201);
      }
      // A producer reads their own mandate and its signed copy, never another's (unknown to them: 404).
      const producerA = (await aUser(shop, 'producer', { producerId: ids.a })).client;
      const own = await producerA.get(`/api/producers/${ids.a}/mandates`);
      expect(own.body.map((m: any) => [m.signedOn, m.validFrom, m.revokedOn])).toEqual([['2026-10-15', '2026-10-15', null]]);
      expect(
        (await producerA.get(`/api/mandates/${own.body[0].id}.pdf`)).raw.equals(
          fs.readFileSync(path.join(import.meta.dirname, 'fixtures', 'mandate-signed.pdf')),
        ),
      ).toBe(true);
      expect((await producerA.get(`/api/producers/${ids.b}/mandates`)).status).toBe(404);
      const bMandate = (await shop.admin.get(`/api/producers/${ids.b}/mandates`)).body[0];
      expect((await producerA.get(`/api/mandates/${bMandate.id}.pdf`)).status).toBe(404);
      expect((await producerA.post(`/api/mandates/${own.body[0].id}/revoke`, { on: '2026-12-01' })).status).toBe(403);
    }
    const period = { from: '2026-11-01', to: '2026-11-30' };
    for (const k of ['a', 'b', 'c']) {
      const res = await shop.admin.post(`/api/producers/${ids[k]}/statements`, period);
      expect(res.status, JSON.stringify(res.body)).toBe(201);
      novStatements[k] = res.body;
    }
    const t = (k: string) => novStatements[k].totals;
    if (mandataire) {
      expect([t('a').commissionNetCents, t('a').commissionVatCents, t('a').commissionGrossCents, t('a').netOwedCents]).toEqual([
        642, 128, 770, 2438,
      ]);
      expect([t('b').commissionNetCents, t('b').commissionVatCents, t('b').commissionGrossCents, t('b').netOwedCents]).toEqual([
        435, 87, 522, 1218,
      ]);
      expect([t('c').grossCents, t('c').commissionNetCents, t('c').commissionVatCents, t('c').netOwedCents]).toEqual([2115, 182, 36, 1897]);
      // C charges no VAT: the kitchen's Jus at 0 % like C's sales, one row of goods without VAT.
      expect(novStatements.c.items.map((i: any) => [i.kind, i.amountCents, i.vatRateBp])).toEqual([
        ['sale', 1215, 0],
        ['kitchen', 900, 0],
      ]);
      expect(t('c').vat).toEqual([{ vatRateBp: 0, grossCents: 2115, netCents: 2115, vatCents: 0 }]);
      expect(t('a').purchase).toBeUndefined();
    } else {
      expect(t('a').purchase).toMatchObject({ regime: 'subject', netCents: 2432, vatCents: 134, grossCents: 2566, compensation: null });
      expect(t('b').purchase).toMatchObject({ regime: 'franchise', netCents: 1305, vatCents: 0, grossCents: 1305, compensation: null });
      expect(t('c').purchase).toMatchObject({
        regime: 'flat_rate',
        grossCents: 1933,
        vatCents: 0,
        compensation: { rateBp: 443, baseCents: 1933, amountCents: 86 },
      });
      // In its own name the shop's goods bear their rate, the kitchen's as the sales'.
      expect(novStatements.c.items.map((i: any) => [i.kind, i.amountCents, i.vatRateBp])).toEqual([
        ['sale', 1215, 550],
        ['kitchen', 900, 550],
      ]);
      expect(t('c').purchase.lines).toEqual([
        { vatRateBp: 550, commissionBp: 1500, baseCents: 1215, marginCents: 182, grossCents: 1033 },
        { vatRateBp: 550, commissionBp: 0, baseCents: 900, marginCents: 0, grossCents: 900 },
      ]);
      expect(['a', 'b', 'c'].map((k) => t(k).netOwedCents)).toEqual([2566, 1305, 1933]);
    }
    const list = (await shop.admin.get('/api/invoices')).body;
    const series = mandataire ? 'F' : 'AF';
    expect(list.map((i: any) => [i.code, i.producerId, i.grossCents]).reverse()).toEqual(
      mandataire
        ? [
            ['F-2026-000001', ids.a, 770],
            ['F-2026-000002', ids.b, 522],
            ['F-2026-000003', ids.c, 218],
          ]
        : [
            ['AF-2026-000001', ids.a, 2566],
            ['AF-2026-000002', ids.b, 1305],
            ['AF-2026-000003', ids.c, 1933],
          ],
    );
    expect(list.every((i: any) => i.code.startsWith(`${series}-`))).toBe(true);
    // The statement says the same on paper: C's, with the kitchen use and (commissionnaire) the purchase.
    const pdf = await shop.admin.get(`/api/statements/${novStatements.c.id}.pdf`);
    const file = path.join(dir, `${model}-statement-C.pdf`);
    fs.writeFileSync(file, pdf.raw);
    const text = execFileSync('pdftotext', ['-layout', file, '-'])
      .toString()
      .replace(/\u00a0/g, ' ')
      .replace(/[ \t]+/g, ' ');
    if (mandataire) {
      expect(text).toContain('Net à vous verser 18,97 €');
      // The Jus taken by the kitchen at 0 %, and the goods' VAT in a single 0 % row: 21,15 € without VAT.
      // (pdftotext reads the narrow rate column's « 0 % » as « 0% ».)
      expect(text).toMatch(/Restaurant Jus de pomme 2 4,50 € 0 ?% 9,00 €/);
      expect(text).toMatch(/\n 0 ?% 21,15 € 0,00 € 21,15 €/);
      expect(text).not.toContain('5,5 %');
    } else {
      // 5,5 %, 15 %: sales 12,15 − 1,82 = 10,33; kitchen 9,00 without commission. Purchase 19,33, no VAT.
      expect(text).toContain('5,5 % 15 % 12,15 € -1,82 € 10,33 €');
      expect(text).toContain('5,5 % — 9,00 € 0,00 € 9,00 €');
      expect(text).toContain('Net à vous verser 19,33 €');
      expect(text).toContain('4,43 % de 19,33 €, soit 0,86 €');
      execFileSync('pdftoppm', ['-png', '-r', '60', '-f', '1', '-l', '1', file, path.join(dir, `${model}-statement-C`)]);
    }
    for (const k of ['a', 'b', 'c']) {
      const paid = await shop.admin.post(`/api/statements/${novStatements[k].id}/payment`, {
        paidOn: '2026-12-05',
        method: 'transfer',
        reference: `VIR-${k}`,
      });
      expect(paid.status).toBe(200);
    }
  });

  it('writes each invoice as a Factur-X PDF: the mentions on paper, the XML embedded and valid against EN 16931', async () => {
    const list = (await shop.admin.get('/api/invoices')).body.reverse();
    const texts: string[] = [];
    for (const inv of list) {
      const res = await shop.admin.get(`/api/invoices/${inv.id}.pdf`);
      expect(res.status).toBe(200);
      const file = path.join(dir, `${model}-${inv.code}.pdf`);
      fs.writeFileSync(file, res.raw);
      // The embedded file, seen by a PDF tool, and the PDF/A-3 identification in the XMP.
      expect(execFileSync('pdfdetach', ['-list', file]).toString()).toMatch(/1 embedded files\s+1: factur-x\.xml/);
      expect(res.raw.toString('latin1')).toContain('<pdfaid:part>3</pdfaid:part>');
      expect(res.raw.toString('latin1')).toContain('<fx:ConformanceLevel>EN 16931</fx:ConformanceLevel>');
      const xmlFile = path.join(dir, `${model}-${inv.code}.xml`);
      execFileSync('pdfdetach', ['-save', '1', '-o', xmlFile, file]);
      const xml = fs.readFileSync(xmlFile, 'utf8');
      expect(await facturXErrors(xml)).toEqual([]);
      // The schema check can fail: without its currency the same invoice is refused.
      expect((await facturXErrors(xml.replace('<ram:InvoiceCurrencyCode>EUR</ram:InvoiceCurrencyCode>', ''))).length).toBeGreaterThan(0);
      expect(xml).toContain(`<ram:ID>${inv.code}</ram:ID>`);
      texts.push(
        execFileSync('pdftotext', ['-layout', file, '-'])
          .toString()
          .replace(/\u00a0/g, ' ')
          .replace(/[ \t]+/g, ' '),
      );
      if (inv === list[0])
        execFileSync('pdftoppm', ['-png', '-r', '60', '-f', '1', '-l', '1', file, path.join(dir, `${model}-${inv.code}`)]);
    }
    const xmlOf = (code: string) => fs.readFileSync(path.join(dir, `${model}-${code}.xml`), 'utf8');
    if (mandataire) {
      // The shop invoices A its commission: 642 HT + 128 VAT at 20 % = 770, type 380.
      expect(texts[0]).toContain('Facture n° F-2026-000001');
      expect(texts[0]).toContain('Total TTC 7,70 €');
      const x = xmlOf('F-2026-000001');
      expect(x).toContain('<ram:TypeCode>380</ram:TypeCode>');
      expect(x).toContain('<ram:CalculatedAmount>1.28</ram:CalculatedAmount>');
      expect(x).toContain('<ram:GrandTotalAmount>7.70</ram:GrandTotalAmount>');
      expect(x).toMatch(/<ram:SellerTradeParty><ram:Name>Les Halles de la Durenque<\/ram:Name>/);
    } else {
      // Self-billed by the shop in A's name: 2432 HT + 134 VAT at 5,5 % = 2566, type 389.
      expect(texts[0]).toContain('Facture (autofacturation) n° AF-2026-000001');
      expect(texts[0]).toContain(
        'Autofacturation : facture établie par Les Halles de la Durenque au nom et pour le compte d’EARL du Sidobre',
      );
      expect(texts[0]).toContain('mandat de facturation signé le 15/10/2026');
      expect(texts[0]).toContain('Total HT 24,32 €');
      expect(texts[0]).toContain('Total TTC 25,66 €');
      const x = xmlOf('AF-2026-000001');
      expect(x).toContain('<ram:TypeCode>389</ram:TypeCode>');
      expect(x).toMatch(/<ram:SellerTradeParty><ram:Name>EARL du Sidobre<\/ram:Name>/);
      expect(x).toContain('<ram:ID schemeID="VA">FR53521481358</ram:ID>');
      expect(x).toContain(
        '<ram:CalculatedAmount>1.34</ram:CalculatedAmount><ram:TypeCode>VAT</ram:TypeCode><ram:BasisAmount>24.32</ram:BasisAmount><ram:CategoryCode>S</ram:CategoryCode><ram:RateApplicablePercent>5.5</ram:RateApplicablePercent>',
      );
      // B, under the franchise: no VAT, the mention on paper and as the exemption reason in the XML.
      expect(texts[1]).toContain('TVA non applicable, art. 293 B du CGI');
      expect(texts[1]).toContain('Total TTC 13,05 €');
      expect(xmlOf('AF-2026-000002')).toContain('<ram:ExemptionReason>TVA non applicable, art. 293 B du CGI</ram:ExemptionReason>');
      // C, at the agricultural flat rate: no VAT, and the compensation the farmer claims (4,43 % of 19,33 = 0,86).
      expect(texts[2]).toContain('Remboursement forfaitaire agricole (art. 298 quater du CGI) : 4,43 % de 19,33 €, soit 0,86 €');
      expect(texts[2]).toContain('Total TTC 19,33 €');
      expect(xmlOf('AF-2026-000003')).toContain('<ram:CategoryCode>E</ram:CategoryCode>');
    }
    for (const t of texts) {
      expect(t).toContain('indemnité forfaitaire pour frais de recouvrement de 40 €');
      expect(t).toContain('Échéance : 01/12/2026');
    }
  });

  it('carries a refund of a settled sale into the next statement, as a credit note', async () => {
    await at('2026-12-03T10:30:00Z');
    const refund = await till.post('/api/refunds', {
      id: uuidv7(),
      tillId: 1,
      number: ++number,
      createdAt: '2026-12-03T10:05:00Z',
      refundOf: t1.id,
      reason: 'Savon abîmé',
      lines: [{ lineNo: 2, quantity: 1 }],
      payments: [{ method: 'card', amountCents: -600 }],
      totalCents: -600,
      approvalPin: '9876',
    });
    expect(refund.status, JSON.stringify(refund.body)).toBe(201);
    expect(vatOf(refund.body)).toEqual(mandataire ? [[0, -600, 0]] : [[2000, -500, -100]]);
    await close('2026-12-03', 0);
    await at('2026-12-16T09:00:00Z');
    const res = await shop.admin.post(`/api/producers/${ids.b}/statements`, { from: '2026-12-01', to: '2026-12-15' });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    decB = res.body;
    expect(decB.totals.netOwedCents).toBe(mandataire ? -420 : -450);
    const [credit] = (await shop.admin.get('/api/invoices')).body;
    expect([credit.code, credit.kind, credit.grossCents]).toEqual(
      mandataire ? ['F-2026-000004', 'credit_note', -180] : ['AF-2026-000004', 'self_billed_credit', -450],
    );
    const pdf = await shop.admin.get(`/api/invoices/${credit.id}.pdf`);
    const file = path.join(dir, `${model}-${credit.code}.pdf`);
    fs.writeFileSync(file, pdf.raw);
    const xmlFile = `${file}.xml`;
    execFileSync('pdfdetach', ['-save', '1', '-o', xmlFile, file]);
    const xml = fs.readFileSync(xmlFile, 'utf8');
    expect(await facturXErrors(xml)).toEqual([]);
    // A credit note carries positive amounts; its type says it credits (381, or 261 self-billed).
    expect(xml).toContain(`<ram:TypeCode>${mandataire ? '381' : '261'}</ram:TypeCode>`);
    expect(xml).toContain(`<ram:GrandTotalAmount>${mandataire ? '1.80' : '4.50'}</ram:GrandTotalAmount>`);
    await at('2026-12-17T09:00:00Z');
    expect(
      (await shop.admin.post(`/api/statements/${decB.id}/payment`, { paidOn: '2026-12-17', method: 'transfer', reference: 'VIR-B' }))
        .status,
    ).toBe(200);
  });

  // Commissionnaire only: the mandataire model writes no self-billed invoice.
  if (!mandataire)
    it('refuses a mandate that is not a signed PDF, and any self-billed invoice once it is revoked', async () => {
      await at('2026-12-18T10:00:00Z');
      const url = `/api/producers/${ids.a}/mandates`;
      const notPdf = await shop.admin.request('POST', `${url}?signedOn=2026-12-01`, undefined, {
        raw: 'bonjour',
        contentType: 'application/pdf',
      });
      expect([notPdf.status, notPdf.body.error.fields[0].field]).toEqual([400, 'body']);
      const json = await shop.admin.post(`${url}?signedOn=2026-12-01`, { pdf: 'x' });
      expect([json.status, json.body.error.fields[0].field]).toEqual([400, 'body']);
      const pdf = fs.readFileSync(path.join(import.meta.dirname, 'fixtures', 'mandate-signed.pdf'));
      const future = await shop.admin.request('POST', `${url}?signedOn=2027-01-01`, undefined, {
        raw: pdf,
        contentType: 'application/pdf',
      });
      expect([future.status, future.body.error.fields[0].field]).toEqual([400, 'signedOn']);
      const badDay = await shop.admin.request('POST', `${url}?signedOn=01/12/2026`, undefined, {
        raw: pdf,
        contentType: 'application/pdf',
      });
      expect([badDay.status, badDay.body.error.fields[0].field]).toEqual([400, 'query.signedOn']);
      expect((await shop.admin.get(url)).body).toHaveLength(1);

      const [mandate] = (await shop.admin.get(url)).body;
      const revoked = await shop.admin.post(`/api/mandates/${mandate.id}/revoke`, { on: '2026-12-18' });
      expect([revoked.status, revoked.body.revokedOn]).toEqual([200, '2026-12-18']);
      expect((await shop.admin.post(`/api/mandates/${mandate.id}/revoke`, { on: '2026-12-19' })).status).toBe(422);
      // From the day it ends, the shop may no longer write A's invoices: the statement is refused, nothing issued.
      const before = (await shop.admin.get('/api/invoices')).body.length;
      const refused = await shop.admin.post(`/api/producers/${ids.a}/statements`, { from: '2026-12-01', to: '2026-12-17' });
      expect(refused.status).toBe(422);
      expect(refused.body.error.fields[0]).toEqual({ field: 'producerId', reason: 'mandat d’autofacturation manquant' });
      expect((await shop.admin.get('/api/invoices')).body.length).toBe(before);
    });

  it('books the month in the FEC: every line to the cent, each entry balanced, every producer back to zero', async () => {
    await at('2026-12-18T09:00:00Z');
    const res = await shop.admin.get('/api/exports/fec?from=2026-11-01&to=2026-12-17');
    expect(res.status).toBe(200);
    expect(fecProblems('732829320FEC20261231.txt', res.raw, { fiscalYearStart: '20260101' })).toEqual([]);
    const entries = fecEntries(res.raw);
    const sorted = (ls: Line[]) => [...ls].sort((x, y) => (x.join() < y.join() ? -1 : 1));
    const A = aux.a!;
    const B = aux.b!;
    const C = aux.c!;
    const expected: Record<string, Line[]> = mandataire
      ? {
          VE000001: [
            ['511500', '', 4558, 0],
            ['467000', A, 0, 3208],
            ['467000', B, 0, 1200],
            ['707100', '', 0, 136],
            ['445712', '', 0, 14],
          ],
          VE000002: [
            ['530000', '', 1890, 0],
            ['467000', C, 0, 1215],
            ['467000', B, 0, 540],
            ['707100', '', 0, 123],
            ['445712', '', 0, 12],
          ],
          VE000003: [
            ['511500', '', 0, 600],
            ['467000', B, 600, 0],
          ],
          VC000001: [
            ['467000', A, 770, 0],
            ['706000', '', 0, 642],
            ['445713', '', 0, 128],
          ],
          VC000002: [
            ['467000', B, 522, 0],
            ['706000', '', 0, 435],
            ['445713', '', 0, 87],
          ],
          VC000003: [
            ['467000', C, 218, 0],
            ['706000', '', 0, 182],
            ['445713', '', 0, 36],
          ],
          AC000001: [
            ['607000', '', 900, 0],
            ['467000', C, 0, 900],
          ],
          VC000004: [
            ['467000', B, 0, 180],
            ['706000', '', 150, 0],
            ['445713', '', 30, 0],
          ],
          BQ000001: [
            ['467000', A, 2438, 0],
            ['512000', '', 0, 2438],
          ],
          BQ000002: [
            ['467000', B, 1218, 0],
            ['512000', '', 0, 1218],
          ],
          BQ000003: [
            ['467000', C, 1897, 0],
            ['512000', '', 0, 1897],
          ],
          BQ000004: [
            ['467000', B, 0, 420],
            ['512000', '', 420, 0],
          ],
        }
      : {
          VE000001: [
            ['511500', '', 4558, 0],
            ['707055', '', 0, 3041],
            ['445711', '', 0, 167],
            ['707100', '', 0, 136],
            ['445712', '', 0, 14],
            ['707200', '', 0, 1000],
            ['445713', '', 0, 200],
          ],
          VE000002: [
            ['530000', '', 1890, 0],
            ['707055', '', 0, 1152],
            ['445711', '', 0, 63],
            ['707100', '', 0, 123],
            ['445712', '', 0, 12],
            ['707200', '', 0, 450],
            ['445713', '', 0, 90],
          ],
          VE000003: [
            ['511500', '', 0, 600],
            ['707200', '', 500, 0],
            ['445713', '', 100, 0],
          ],
          AC000001: [
            ['607000', '', 2432, 0],
            ['445660', '', 134, 0],
            ['401000', A, 0, 2566],
          ],
          AC000002: [
            ['607000', '', 1305, 0],
            ['401000', B, 0, 1305],
          ],
          AC000003: [
            ['607000', '', 1933, 0],
            ['401000', C, 0, 1933],
          ],
          AC000004: [
            ['607000', '', 0, 450],
            ['401000', B, 450, 0],
          ],
          BQ000001: [
            ['401000', A, 2566, 0],
            ['512000', '', 0, 2566],
          ],
          BQ000002: [
            ['401000', B, 1305, 0],
            ['512000', '', 0, 1305],
          ],
          BQ000003: [
            ['401000', C, 1933, 0],
            ['512000', '', 0, 1933],
          ],
          BQ000004: [
            ['401000', B, 0, 450],
            ['512000', '', 450, 0],
          ],
        };
    expect([...entries.keys()].sort()).toEqual(Object.keys(expected).sort());
    for (const [num, lines] of Object.entries(expected)) expect(sorted(entries.get(num)!), num).toEqual(sorted(lines));
    for (const [num, lines] of entries)
      expect(
        lines.reduce((s, l) => s + l[2] - l[3], 0),
        `${num} balanced`,
      ).toBe(0);
    for (const p of [A, B, C]) expect(auxBalance(entries, p), `${p} settled`).toBe(0);
  });
});
