import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN, allowDaysWithoutZ, aUser, startTestShop, type Client, type TestShop } from './support/harness.ts';
import { uuidv7 } from './support/tickets.ts';

/**
 * A month of ressourcerie tonnage (issue 22), worked by hand, in grams.
 *
 * 03/11 donation 1 (a receipt asked): textile 12 500, books 4 200, tableware 3 000. Priced: Veste en laine
 *   (textile, 800 g, 12,00 €), Lot de 6 assiettes (tableware, 2 400 g, 6,00 €), Roman policier (books, 300 g, 1,50 €).
 * 10/11 donation 2: furniture 18 000, electrical 5 500. Priced: Chaise en chêne (furniture, 6 000 g, 15,00 €),
 *   Lampe de bureau (electrical, 1 200 g, 8,00 €).
 * 12/11 sold: Veste + Roman (13,50 €, cash). 20/11: Chaise (15,00 €, card). The Veste again: refused, « déjà vendu ».
 * 25/11 out: 9 000 of textile to the sorter (recycled), 600 of broken tableware (discarded).
 * November: textile collected 12 500, reused 800 (1 item), recycled 9 000; furniture 18 000, reused 6 000 (1);
 *   books 4 200, reused 300 (1); tableware 3 000, discarded 600; electrical 5 500.
 *   Totals: collected 43 200; reused 7 100 (3 items); recycled 9 000; discarded 600.
 * Aging (4 weeks: −50 %; 8 weeks: recycled): 01/12 the assiettes (priced 03/11, 28 days) go to 3,00 €; the
 *   lampe (21 days) not yet. 29/12 (56 days) the assiettes go to recycling (2 400 of tableware in December),
 *   the lampe (49 days) is marked down to 4,00 €.
 */
describe('the ressourcerie, to the gram', () => {
  let shop: TestShop;
  let clock = new Date('2026-11-03T09:00:00Z');
  let till: Client;
  let tillId = 0;
  let number = 0;
  const items: Record<string, { code: string; productId: number }> = {};
  let intakeId = 0;

  async function at(iso: string) {
    clock = new Date(iso);
    expect((await shop.admin.post('/api/auth/login', ADMIN)).status).toBe(200);
    till = (await aUser(shop, 'cashier', { tillId })).client;
  }
  async function sell(lines: object[], totalCents: number, payments: object[]) {
    const res = await till.post('/api/sales', {
      id: uuidv7(),
      tillId,
      number: number + 1,
      createdAt: clock.toISOString(),
      lines,
      payments,
      totalCents,
    });
    if (res.status === 201) number++;
    return res;
  }

  beforeAll(async () => {
    shop = await startTestShop({ now: () => clock });
    // The days are not closed here (closings: test/closings.test.ts).
    await allowDaysWithoutZ(shop.admin);
    const created = await shop.admin.post('/api/tills', { outlet: 'ressourcerie', name: 'Ressourcerie' });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    tillId = created.body.id;
  });
  afterAll(() => shop.close());

  it('weighs the donations by stream and prices each item as its own article with a label', async () => {
    await at('2026-11-03T09:00:00Z');
    const d1 = await till.post('/api/ressourcerie/intakes', {
      donor: 'Mme Martin, 3 rue de la Platé, Castres',
      lines: [
        { stream: 'textile', grams: 12_500 },
        { stream: 'books', grams: 4_200 },
        { stream: 'tableware', grams: 3_000 },
      ],
      items: [
        { name: 'Veste en laine', stream: 'textile', grams: 800, priceCents: 1200 },
        { name: 'Lot de 6 assiettes', stream: 'tableware', grams: 2400, priceCents: 600 },
        { name: 'Roman policier', stream: 'books', grams: 300, priceCents: 150 },
      ],
    });
    expect(d1.status, JSON.stringify(d1.body)).toBe(201);
    intakeId = d1.body.id;
    expect(d1.body.items.map((i: any) => i.code)).toEqual(['R0000001', 'R0000002', 'R0000003']);
    for (const [k, i] of [
      ['veste', 0],
      ['assiettes', 1],
      ['roman', 2],
    ] as const)
      items[k] = d1.body.items[i];
    // Each item is an article of the ressourcerie only, one piece, its label's code as its barcode.
    const product = (await shop.admin.get(`/api/products/${items.veste!.productId}`)).body;
    expect(product).toMatchObject({
      name: 'Veste en laine',
      priceCents: 1200,
      outlets: ['ressourcerie'],
      barcodes: ['R0000001'],
      oneOff: true,
    });
    const catalog = (await till.get('/api/catalog')).body.products.map((p: any) => p.name);
    expect(catalog).toEqual(expect.arrayContaining(['Veste en laine', 'Lot de 6 assiettes', 'Roman policier']));
    // Labels print through the shelf labels (Code 128 of the item's code).
    const labels = await shop.admin.post('/api/labels.pdf', { items: d1.body.items.map((i: any) => ({ productId: i.productId })) });
    expect(labels.status).toBe(200);
    // The donor's receipt: weights by stream, no value.
    const receipt = await till.get(`/api/ressourcerie/intakes/${intakeId}/receipt.pdf`);
    const file = path.join('test-artifacts', 'ressourcerie', 'donor-receipt.pdf');
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, receipt.raw);
    const text = execFileSync('pdftotext', ['-layout', file, '-'])
      .toString()
      .replace(/\u00a0/g, ' ')
      .replace(/[ \t]+/g, ' ');
    expect(text).toContain('Mme Martin, 3 rue de la Platé, Castres');
    expect(text).toContain('Textile 12,500 kg');
    expect(text).toContain('Vaisselle 3,000 kg');

    await at('2026-11-10T09:00:00Z');
    const d2 = await till.post('/api/ressourcerie/intakes', {
      lines: [
        { stream: 'furniture', grams: 18_000 },
        { stream: 'electrical', grams: 5_500 },
      ],
      items: [
        { name: 'Chaise en chêne', stream: 'furniture', grams: 6000, priceCents: 1500 },
        { name: 'Lampe de bureau', stream: 'electrical', grams: 1200, priceCents: 800 },
      ],
    });
    expect(d2.status).toBe(201);
    items.chaise = d2.body.items[0];
    items.lampe = d2.body.items[1];
    // Bad input: a stream not counted, a weight of nothing, the same stream twice.
    const bad = await till.post('/api/ressourcerie/intakes', { lines: [{ stream: 'plastique', grams: 0 }] });
    expect(bad.status).toBe(400);
    expect(bad.body.error.fields.map((f: any) => f.field).sort()).toEqual(['body.lines.0.grams', 'body.lines.0.stream']);
    const twice = await till.post('/api/ressourcerie/intakes', {
      lines: [
        { stream: 'books', grams: 10 },
        { stream: 'books', grams: 20 },
      ],
    });
    expect([twice.status, twice.body.error.fields[0].field]).toEqual([400, 'lines']);
  });

  it('sells each item once: the same label again is refused, and the till is told when it was sold', async () => {
    await at('2026-11-12T10:00:00Z');
    const s1 = await sell(
      [
        { productId: items.veste!.productId, quantity: 1, unitPriceCents: 1200 },
        { productId: items.roman!.productId, quantity: 1, unitPriceCents: 150 },
      ],
      1350,
      [{ method: 'cash', amountCents: 1350 }],
    );
    expect(s1.status, JSON.stringify(s1.body)).toBe(201);
    const again = await sell([{ productId: items.veste!.productId, quantity: 1, unitPriceCents: 1200 }], 1200, [
      { method: 'cash', amountCents: 1200 },
    ]);
    expect(again.status).toBe(422);
    expect(again.body.error.fields[0]).toEqual({ field: 'lines.0.productId', reason: 'R0000001 déjà vendu le 12/11/2026' });
    const two = await sell([{ productId: items.lampe!.productId, quantity: 2, unitPriceCents: 800 }], 1600, [
      { method: 'cash', amountCents: 1600 },
    ]);
    expect([two.status, two.body.error.fields[0].field]).toEqual([422, 'lines.0.quantity']);
    expect((await till.get('/api/ressourcerie/items/R0000001')).body).toMatchObject({
      status: 'sold',
      statusDay: '2026-11-12',
      name: 'Veste en laine',
    });
    // Off the catalogue once sold.
    expect((await till.get('/api/catalog')).body.products.map((p: any) => p.name)).not.toContain('Veste en laine');
    await at('2026-11-20T10:00:00Z');
    expect(
      (
        await sell([{ productId: items.chaise!.productId, quantity: 1, unitPriceCents: 1500 }], 1500, [
          { method: 'card', amountCents: 1500 },
        ])
      ).status,
    ).toBe(201);
    await at('2026-11-25T10:00:00Z');
    expect(
      (await shop.admin.post('/api/ressourcerie/outflows', { stream: 'textile', grams: 9000, kind: 'recycled', note: 'Le Relais' })).status,
    ).toBe(201);
    expect(
      (await shop.admin.post('/api/ressourcerie/outflows', { stream: 'tableware', grams: 600, kind: 'discarded', note: 'Casse' })).status,
    ).toBe(201);
  });

  it('marks unsold items down after four weeks and sends them to recycling after eight', async () => {
    await at('2026-12-01T09:00:00Z');
    expect((await shop.admin.post('/api/ressourcerie/aging')).body).toEqual({ markedDown: 1, recycled: 0 });
    expect((await till.get(`/api/ressourcerie/items/${items.assiettes!.code}`)).body).toMatchObject({
      priceCents: 300,
      initialPriceCents: 600,
      markedDownOn: '2026-12-01',
    });
    // Run again the same day: nothing more.
    expect((await shop.admin.post('/api/ressourcerie/aging')).body).toEqual({ markedDown: 0, recycled: 0 });
    await at('2026-12-29T09:00:00Z');
    expect((await shop.admin.post('/api/ressourcerie/aging')).body).toEqual({ markedDown: 1, recycled: 1 });
    expect((await till.get(`/api/ressourcerie/items/${items.assiettes!.code}`)).body).toMatchObject({
      status: 'recycled',
      statusDay: '2026-12-29',
    });
    expect((await till.get(`/api/ressourcerie/items/${items.lampe!.code}`)).body).toMatchObject({ status: 'on_sale', priceCents: 400 });
  });

  it('ages the unsold items at the ressourcerie’s day closing, and keeps its codes from being typed on other articles', async () => {
    // The lampe, priced 10/11 and marked down 29/12, is 8 weeks old on 05/01: the Z of 06/01 sends it to recycling.
    await at('2027-01-06T18:00:00Z');
    const z = await shop.admin.post('/api/closings/day', {
      outlet: 'ressourcerie',
      day: '2027-01-06',
      cashCountedCents: 0,
      confirmEarly: true,
    });
    expect(z.status, JSON.stringify(z.body)).toBe(201);
    expect((await till.get(`/api/ressourcerie/items/${items.lampe!.code}`)).body).toMatchObject({
      status: 'recycled',
      statusDay: '2027-01-06',
    });
    const typed = await shop.admin.post('/api/products', {
      name: 'Autre',
      producerId: null,
      unit: 'piece',
      priceCents: 100,
      vatRateBp: 2000,
      barcodes: ['R0000099'],
    });
    expect([typed.status, typed.body.error?.fields?.[0]?.field]).toEqual([400, 'barcodes.0']);
  });

  it('reports the tonnage per stream, as figures, CSV and PDF', async () => {
    const nov = (await shop.admin.get('/api/ressourcerie/tonnage?month=2026-11')).body;
    // The shop's one site, named after it: its tonnage (each site reports its own, issue 23).
    const site = (await shop.admin.get('/api/sites')).body[0].name;
    expect(nov).toEqual({
      month: '2026-11',
      site,
      streams: [
        {
          stream: 'textile',
          name: 'Textile',
          collectedGrams: 12_500,
          reusedGrams: 800,
          itemsSold: 1,
          recycledGrams: 9000,
          discardedGrams: 0,
        },
        {
          stream: 'furniture',
          name: 'Mobilier',
          collectedGrams: 18_000,
          reusedGrams: 6000,
          itemsSold: 1,
          recycledGrams: 0,
          discardedGrams: 0,
        },
        { stream: 'books', name: 'Livres', collectedGrams: 4200, reusedGrams: 300, itemsSold: 1, recycledGrams: 0, discardedGrams: 0 },
        {
          stream: 'tableware',
          name: 'Vaisselle',
          collectedGrams: 3000,
          reusedGrams: 0,
          itemsSold: 0,
          recycledGrams: 0,
          discardedGrams: 600,
        },
        {
          stream: 'electrical',
          name: 'Électrique (DEEE)',
          collectedGrams: 5500,
          reusedGrams: 0,
          itemsSold: 0,
          recycledGrams: 0,
          discardedGrams: 0,
        },
      ],
      collectedGrams: 43_200,
      reusedGrams: 7100,
      itemsSold: 3,
      recycledGrams: 9000,
      discardedGrams: 600,
    });
    const dec = (await shop.admin.get('/api/ressourcerie/tonnage?month=2026-12')).body;
    expect(dec.streams).toEqual([
      { stream: 'tableware', name: 'Vaisselle', collectedGrams: 0, reusedGrams: 0, itemsSold: 0, recycledGrams: 2400, discardedGrams: 0 },
    ]);
    const csv = (await shop.admin.get('/api/ressourcerie/tonnage.csv?month=2026-11')).raw.toString('utf8');
    expect(csv).toContain('Total;43,200;7,100;3;9,000;0,600');
    const pdf = await shop.admin.get('/api/ressourcerie/tonnage.pdf?month=2026-11');
    const file = path.join('test-artifacts', 'ressourcerie', 'tonnage-2026-11.pdf');
    fs.writeFileSync(file, pdf.raw);
    const text = execFileSync('pdftotext', ['-layout', file, '-'])
      .toString()
      .replace(/\u00a0/g, ' ')
      .replace(/[ \t]+/g, ' ');
    expect(text).toContain('Ressourcerie — tonnages de novembre 2026');
    expect(text).toContain(site);
    expect(text).toContain('Total 43,200 7,100 3 9,000 0,600');
    execFileSync('pdftoppm', [
      '-png',
      '-r',
      '60',
      '-f',
      '1',
      '-l',
      '1',
      file,
      path.join('test-artifacts', 'ressourcerie', 'tonnage-2026-11'),
    ]);
  });
});

// Found by an independent check: a refunded one-off item stayed « déjà vendu » at every till, off the
// catalogue, and counted as reused in the month's tonnage.
describe('a one-off item refunded', () => {
  let shop: TestShop;
  let till: Client;
  let tillId = 0;
  let number = 0;
  beforeAll(async () => {
    shop = await startTestShop();
    await shop.admin.post('/api/users', {
      login: 'chef',
      displayName: 'Cheffe',
      role: 'manager',
      password: 'mot-de-passe-long',
      pin: '9876',
    });
    tillId = (await shop.admin.post('/api/tills', { outlet: 'ressourcerie', name: 'Ressourcerie' })).body.id;
    till = (await aUser(shop, 'cashier', { tillId })).client;
  });
  afterAll(() => shop.close());

  const sale = (productId: number) => ({
    id: uuidv7(),
    tillId,
    number: ++number,
    createdAt: new Date().toISOString(),
    lines: [{ productId, quantity: 1, unitPriceCents: 900 }],
    payments: [{ method: 'cash', amountCents: 900 }],
    totalCents: 900,
  });
  const refund = (of: string, restock: boolean) => ({
    id: uuidv7(),
    tillId,
    number: ++number,
    createdAt: new Date().toISOString(),
    refundOf: of,
    reason: restock ? 'Taille trop petite' : 'Cassée à la maison',
    lines: [{ lineNo: 1, quantity: 1, restock }],
    payments: [{ method: 'cash', amountCents: -900 }],
    totalCents: -900,
    approvalPin: '9876',
  });

  it('is on sale again when it comes back to the shelf, and discarded when it does not', async () => {
    const intake = await till.post('/api/ressourcerie/intakes', {
      lines: [{ stream: 'tableware', grams: 3000 }],
      items: [
        { name: 'Théière', stream: 'tableware', grams: 900, priceCents: 900 },
        { name: 'Saladier', stream: 'tableware', grams: 1100, priceCents: 900 },
      ],
    });
    expect(intake.status, JSON.stringify(intake.body)).toBe(201);
    const [teapot, bowl] = intake.body.items as { code: string; productId: number }[];
    const first = await till.post('/api/sales', sale(teapot!.productId));
    expect(first.status).toBe(201);
    // Another tablet rang the same teapot meanwhile: refused (sold), kept among its refused tickets.
    // (Its tablet's clock said 5 minutes earlier than the refund below: beyond the 2 minutes given to a slow clock.)
    const meanwhile = { ...sale(teapot!.productId), createdAt: new Date(Date.now() - 5 * 60_000).toISOString() };
    expect((await till.post('/api/sales', meanwhile)).status).toBe(422);
    number--;
    expect((await till.post('/api/refunds', refund(first.body.id, true))).status).toBe(201);
    expect((await till.get(`/api/ressourcerie/items/${teapot!.code}`)).body).toMatchObject({ status: 'on_sale', statusDay: null });
    // Sent again once the teapot is back on the shelf, that ticket still does not sell it: it was written while
    // the teapot went with the first customer (it sold it a second time, 9 € in the books twice: found by a walk).
    const resent = await till.post('/api/sales', { ...meanwhile, number: ++number });
    expect(resent.status).toBe(422);
    expect(resent.body.error.fields[0]).toMatchObject({ field: 'lines.0.productId' });
    expect(resent.body.error.fields[0].reason).toContain('était vendu quand ce ticket a été fait');
    number--;
    expect((await till.get(`/api/ressourcerie/items/${teapot!.code}`)).body).toMatchObject({ status: 'on_sale' });
    expect((await till.get('/api/catalog')).body.products.map((p: { name: string }) => p.name)).toContain('Théière');
    // Sold again, to someone else: once more only.
    expect((await till.post('/api/sales', sale(teapot!.productId))).status).toBe(201);
    const third = await till.post('/api/sales', sale(teapot!.productId));
    expect(third.status).toBe(422);
    number--;
    // Not back on the shelf: discarded on the refund's day, never on sale again.
    const other = await till.post('/api/sales', sale(bowl!.productId));
    expect(other.status).toBe(201);
    const broken = await till.post('/api/refunds', refund(other.body.id, false));
    expect(broken.status).toBe(201);
    expect((await till.get(`/api/ressourcerie/items/${bowl!.code}`)).body).toMatchObject({
      status: 'discarded',
      statusDay: broken.body.businessDay,
    });
    expect((await till.get('/api/catalog')).body.products.map((p: { name: string }) => p.name)).not.toContain('Saladier');
  });

  // Found by a walk: a 7,2 kg bicycle put on sale from a donation was on no receipt and in no « collecté ».
  it('weighs a stream with its objects in: objects outweighing their stream raise it, on the receipt too', async () => {
    const intake = await till.post('/api/ressourcerie/intakes', {
      donor: 'M. Roux',
      lines: [{ stream: 'books', grams: 500 }],
      items: [
        { name: 'Vélo enfant', stream: 'toys', grams: 7200, priceCents: 1500 },
        { name: 'Encyclopédie', stream: 'books', grams: 900, priceCents: 500 },
      ],
    });
    expect(intake.status, JSON.stringify(intake.body)).toBe(201);
    // Books: 0,5 kg weighed, a 0,9 kg book put on sale: 0,9 kg. Toys: not weighed, the bicycle's 7,2 kg.
    expect(intake.body.lines).toEqual([
      { stream: 'books', grams: 900 },
      { stream: 'toys', grams: 7200 },
    ]);
    const file = path.join('test-artifacts', 'ressourcerie', 'donor-receipt-objects.pdf');
    fs.writeFileSync(file, (await till.get(`/api/ressourcerie/intakes/${intake.body.id}/receipt.pdf`)).raw);
    const text = execFileSync('pdftotext', ['-layout', file, '-'])
      .toString()
      .replace(/\u00a0/g, ' ')
      .replace(/[ \t]+/g, ' ');
    expect(text).toContain('Jouets 7,200 kg');
    expect(text).toContain('Livres 0,900 kg');
  });
});
