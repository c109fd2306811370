/**
 * Issue 21, item 5: paying producers by SEPA credit transfer. The statements a manager selects become one
 * pain.001.001.03 file, valid against the ISO 20022 schema (test/fixtures/xsd, read by libxml2 compiled to
 * WebAssembly), with the amounts worked out below; confirming it marks each statement paid.
 *
 * November, sold and issued on 1 December (commission 20 % of sales incl. VAT, plus 20 % VAT on it):
 *   Rucher de Brassac   1 honey at 9,50:   commission 1,90 + VAT 0,38 = 2,28  → net 7,22 €
 *   Brasserie Noire     2 beers at 14,50:  29,00; commission 5,80 + VAT 1,16 = 6,96 → net 22,04 €
 *   Ferme sans IBAN     1 cheese at 5,00:  commission 1,00 + 0,20 → net 3,80 €, but nowhere to send it
 * The file: 2 transfers, 7,22 + 22,04 = 29,26 €.
 */
import fs from 'node:fs';
import path from 'node:path';
import { validateXML } from 'xmllint-wasm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN, aProducer, aProduct, allowDaysWithoutZ, aUser, shopIdentity, startTestShop, type TestShop } from './support/harness.ts';
import { uuidv7 } from './support/tickets.ts';

const XSD = path.join(import.meta.dirname, 'fixtures', 'xsd', 'pain.001.001.03.xsd');

async function schemaErrors(xml: string): Promise<string[]> {
  const result = await validateXML({
    xml: [{ fileName: 'payout.xml', contents: xml }],
    schema: [{ fileName: 'pain.001.001.03.xsd', contents: fs.readFileSync(XSD, 'utf8') }],
  });
  return result.errors.map((e) => e.message);
}

describe('paying producers by SEPA credit transfer', () => {
  let shop: TestShop;
  let clock = new Date('2026-11-10T10:00:00Z');
  const ids: Record<string, number> = {};
  const statements: Record<string, number> = {};

  async function at(iso: string) {
    clock = new Date(iso);
    expect((await shop.admin.post('/api/auth/login', ADMIN)).status).toBe(200);
  }

  beforeAll(async () => {
    shop = await startTestShop({ now: () => clock });
    await allowDaysWithoutZ(shop.admin);
    const rucher = await aProducer(shop.admin, {
      name: 'Rucher de Brassac',
      legalName: 'Rucher de Brassac EARL',
      commissionBp: 2000,
      iban: 'FR76 3000 6000 0112 3456 7890 189',
      bic: 'AGRIFRPP',
    });
    const brasserie = await aProducer(shop.admin, {
      name: 'Brasserie Noire',
      legalName: 'SARL Brasserie Noire & Fils',
      commissionBp: 2000,
      iban: 'DE89 3704 0044 0532 0130 00',
    });
    const ferme = await aProducer(shop.admin, { name: 'Ferme sans IBAN', commissionBp: 2000 });
    Object.assign(ids, { rucher: rucher.id, brasserie: brasserie.id, ferme: ferme.id });
    const miel = await aProduct(shop.admin, { name: 'Miel', producerId: rucher.id, priceCents: 950, vatRateBp: 550 });
    const biere = await aProduct(shop.admin, { name: 'Bière', producerId: brasserie.id, priceCents: 1450, vatRateBp: 2000 });
    const tomme = await aProduct(shop.admin, { name: 'Tomme', producerId: ferme.id, priceCents: 500, vatRateBp: 550 });
    const till = (await aUser(shop, 'cashier')).client;
    const res = await till.post('/api/sales', {
      id: uuidv7(),
      tillId: 1,
      number: 1,
      createdAt: clock.toISOString(),
      lines: [
        { productId: miel.id, quantity: 1, unitPriceCents: 950 },
        { productId: biere.id, quantity: 2, unitPriceCents: 1450 },
        { productId: tomme.id, quantity: 1, unitPriceCents: 500 },
      ],
      payments: [{ method: 'card', amountCents: 4350 }],
      totalCents: 4350,
    });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    await at('2026-12-01T09:00:00Z');
    for (const [key, id] of Object.entries(ids)) {
      const s = await shop.admin.post(`/api/producers/${id}/statements`, { from: '2026-11-01', to: '2026-11-30' });
      expect(s.status).toBe(201);
      statements[key] = s.body.id;
    }
  });
  afterAll(() => shop.close());

  it('asks for the shop’s own IBAN first', async () => {
    const res = await shop.admin.post('/api/payouts', { statementIds: [statements.rucher], executionDate: '2026-12-02' });
    expect(res.status).toBe(409);
    expect(res.body.error.message).toMatch(/IBAN de la boutique/);
    const identity = await shop.admin.put('/api/settings/identity', {
      ...shopIdentity,
      iban: 'FR76 1350 6100 0000 0811 0000 105',
      bic: 'AGRIFRPP835',
    });
    expect(identity.status).toBe(200);
  });

  it('refuses an execution date the banks do not work, naming the next one', async () => {
    // Saturday 5 December 2026: the next bank day is Monday the 7th. Christmas, a Friday: Monday the 28th.
    for (const [date, next] of [
      ['2026-12-05', '07/12/2026'],
      ['2026-12-25', '28/12/2026'],
    ] as const) {
      const res = await shop.admin.post('/api/payouts', { statementIds: [statements.rucher], executionDate: date });
      expect(res.status).toBe(400);
      expect(res.body.error.fields).toEqual([
        { field: 'executionDate', reason: expect.stringContaining(`le prochain jour possible est le ${next}`) },
      ]);
    }
  });

  it('names every statement it cannot pay, and writes nothing', async () => {
    const res = await shop.admin.post('/api/payouts', {
      statementIds: [statements.rucher, statements.ferme, statements.rucher],
      executionDate: '2026-11-30',
    });
    expect(res.status).toBe(400);
    expect(res.body.error.fields).toEqual([expect.objectContaining({ field: 'executionDate' })]);
    // The sentence names the field (it said « Une des valeurs saisies : date passée… », found by a walk).
    expect(res.body.error.message).toMatch(/^La date d’exécution : date passée/);
    const again = await shop.admin.post('/api/payouts', {
      statementIds: [statements.rucher, statements.ferme, statements.rucher],
      executionDate: '2026-12-02',
    });
    expect(again.status).toBe(400);
    expect(again.body.error.fields).toEqual([
      expect.objectContaining({ field: 'statementIds.2', reason: 'relevé choisi deux fois' }),
      expect.objectContaining({
        field: 'statementIds.1',
        reason: 'Ferme sans IBAN n’a pas d’IBAN : renseignez-le dans sa fiche producteur',
      }),
    ]);
    expect((await shop.admin.get('/api/payouts')).body).toEqual([]);
  });

  it('makes one pain.001 file for the two others, valid against the ISO 20022 schema, with the sums worked out', async () => {
    const res = await shop.admin.post('/api/payouts', {
      statementIds: [statements.rucher, statements.brasserie],
      executionDate: '2026-12-02',
    });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    expect(res.body).toMatchObject({
      msgId: 'CPT-20261201-0001',
      status: 'pending',
      count: 2,
      totalCents: 2926,
      items: [
        { producerName: 'Rucher de Brassac', amountCents: 722, iban: 'FR76 •••• 0189' },
        { producerName: 'Brasserie Noire', amountCents: 2204, iban: 'DE89 •••• 3000' },
      ],
    });
    const file = await shop.admin.request('GET', `/api/payouts/${res.body.id}.xml`);
    expect(file.status).toBe(200);
    expect(file.headers.get('content-type')).toContain('application/xml');
    const xml = file.raw.toString('utf8');
    fs.mkdirSync(path.join('test-artifacts', 'payouts'), { recursive: true });
    fs.writeFileSync(path.join('test-artifacts', 'payouts', 'virements.xml'), xml);
    expect(await schemaErrors(xml)).toEqual([]);
    const one = (tag: string) => [...xml.matchAll(new RegExp(`<${tag}[^>]*>([^<]*)</${tag}>`, 'g'))].map((m) => m[1]);
    expect(one('NbOfTxs')).toEqual(['2', '2']);
    expect(one('CtrlSum')).toEqual(['29.26', '29.26']);
    expect(one('InstdAmt')).toEqual(['7.22', '22.04']);
    expect(one('EndToEndId')).toEqual(['REL-000001', 'REL-000002']);
    expect(one('IBAN')).toEqual(['FR7613506100000008110000105', 'FR7630006000011234567890189', 'DE89370400440532013000']);
    expect(one('ReqdExctnDt')).toEqual(['2026-12-02']);
    // Made at 09:00 UTC on 1 December: 10:00 in Castres, said with its offset (UTC with no zone read an hour early).
    expect(one('CreDtTm')).toEqual(['2026-12-01T10:00:00+01:00']);
    // SEPA's Latin character set: « & » is no name character, the accents go.
    expect(one('Nm')).toContain('SARL Brasserie Noire Fils');
    expect(one('Ustrd')[0]).toBe('Releve REL-000001 depot-vente du 01/11/2026 au 30/11/2026');
    // The schema check can fail: the same file with an amount in words is refused.
    expect((await schemaErrors(xml.replace('>7.22<', '>sept<'))).length).toBeGreaterThan(0);

    // While the file waits, the statements cannot be paid by hand nor put in another file.
    const byHand = await shop.admin.post(`/api/statements/${statements.rucher}/payment`, { paidOn: '2026-12-02', method: 'cheque' });
    expect(byHand.status).toBe(409);
    // The file is named as the back office lists it (it said « virement n° 1 », a number shown nowhere).
    expect(byHand.body.error.message).toBe(
      'Ce relevé est dans le virement CPT-20261201-0001, en attente : confirmez-le ou annulez-le d’abord.',
    );
    const twice = await shop.admin.post('/api/payouts', { statementIds: [statements.rucher], executionDate: '2026-12-03' });
    expect(twice.status).toBe(400);
    expect(twice.body.error.fields[0].reason).toBe('REL-000001 est déjà dans le virement CPT-20261201-0001 en attente');
  });

  it('marks each statement paid by transfer once the file went to the bank, and the producer sees it', async () => {
    const [payout] = (await shop.admin.get('/api/payouts')).body;
    const confirmed = await shop.admin.post(`/api/payouts/${payout.id}/confirm`);
    expect(confirmed.status).toBe(200);
    expect(confirmed.body.status).toBe('confirmed');
    const list = (await shop.admin.get('/api/statements')).body as { code: string; paidOn: string | null; paidMethod: string | null }[];
    expect(list.map((s) => [s.code, s.paidOn, s.paidMethod])).toEqual([
      ['REL-000003', null, null],
      ['REL-000002', '2026-12-02', 'transfer'],
      ['REL-000001', '2026-12-02', 'transfer'],
    ]);
    expect((await shop.admin.post(`/api/payouts/${payout.id}/cancel`)).status).toBe(409);
    const events = (await shop.admin.get('/api/events?kind=payout.')).body.map((e: { kind: string }) => e.kind);
    expect(events).toEqual(['payout.confirmed', 'payout.created']);
    const paid = (await shop.admin.get(`/api/statements/${statements.rucher}`)).body;
    expect(paid.payment).toEqual({ paidOn: '2026-12-02', method: 'transfer', reference: 'CPT-20261201-0001 REL-000001' });
    // The producer's own list carries the reference the portal's payment advice prints.
    const mine = (await shop.admin.get(`/api/statements?producerId=${ids.brasserie}`)).body;
    expect(mine).toMatchObject([{ code: 'REL-000002', paidMethod: 'transfer', paidReference: 'CPT-20261201-0001 REL-000002' }]);
  });
});
