import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN, allowDaysWithoutZ, aProducer, aUser, startTestShop, type Client, type TestShop } from './support/harness.ts';
import { uuidv7 } from './support/tickets.ts';

/**
 * The textile shop (issue 22), worked by hand: the insertion workshop's « Tee-shirt bio » in S, M, L × écru,
 * indigo at 25,00 € (20 %), commission 15 %.
 *
 * Deposit by size grid (05/11):   S  M  L
 *                          écru   2  3  1
 *                        indigo   0  4  2      -> 5 lines, 12 pieces.
 * Sold on the textile till (12/11): écru M, indigo L, scanned by their barcodes: 2 × 25,00 = 50,00 €.
 * Count by size grid (20/11):     S  M  L
 *                          écru   2  1  1      (expected 2 2 1: M −1)
 *                        indigo   0  4  0      (expected 0 4 1: L −1)
 * November statement: 50,00 sold; commission 15 % = 7,50 + VAT 1,50 = 9,00; net 41,00; by model: 2 pieces, 50,00.
 */
describe('the textile shop: a model in sizes and colours', () => {
  let shop: TestShop;
  let clock = new Date('2026-11-05T09:00:00Z');
  let till: Client;
  let tillId = 0;
  let producerId = 0;
  let model: any;
  const id = (colour: string, size: string) => model.variants.find((v: any) => v.colour === colour && v.size === size).productId;

  async function at(iso: string) {
    clock = new Date(iso);
    expect((await shop.admin.post('/api/auth/login', ADMIN)).status).toBe(200);
    till = (await aUser(shop, 'cashier', { tillId })).client;
  }

  beforeAll(async () => {
    shop = await startTestShop({ now: () => clock });
    await allowDaysWithoutZ(shop.admin);
    tillId = (await shop.admin.post('/api/tills', { outlet: 'textile', name: 'Textile' })).body.id;
    producerId = (await aProducer(shop.admin, { name: 'Atelier du Thoré', commissionBp: 1500 })).id;
  });
  afterAll(() => shop.close());

  it('makes each size × colour its own article with its barcode', async () => {
    // A French VAT rate only, as for any product (a business probe booked tickets, Z and FEC at 8,5 %).
    const odd = await shop.admin.post('/api/models', {
      name: 'Tee-shirt bizarre',
      producerId,
      priceCents: 2500,
      vatRateBp: 850,
      sizes: ['S'],
      colours: ['écru'],
    });
    expect(odd.status).toBe(400);
    expect(odd.body.error.fields.map((f: any) => f.field)).toEqual(['body.vatRateBp']);
    const res = await shop.admin.post('/api/models', {
      name: 'Tee-shirt bio',
      producerId,
      priceCents: 2500,
      vatRateBp: 2000,
      sizes: ['S', 'M', 'L'],
      colours: ['écru', 'indigo'],
    });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    model = res.body;
    expect(model.variants.map((v: any) => `${v.colour} ${v.size}`)).toEqual([
      'écru S',
      'écru M',
      'écru L',
      'indigo S',
      'indigo M',
      'indigo L',
    ]);
    expect(model.variants.every((v: any) => v.barcode === `V${String(v.productId).padStart(7, '0')}`)).toBe(true);
    const p = (await shop.admin.get(`/api/products/${id('indigo', 'M')}`)).body;
    expect(p).toMatchObject({
      name: 'Tee-shirt bio indigo M',
      outlets: ['textile'],
      stockTracked: true,
      variant: { modelName: 'Tee-shirt bio', size: 'M', colour: 'indigo' },
    });
    // A hang-tag per variant for the label printer: one 54 × 86 mm page each, its barcode drawn (Code 128).
    const tags = await shop.admin.post('/api/labels.pdf', {
      items: model.variants.map((v: any) => ({ productId: v.productId })),
      format: 'tag',
    });
    expect(tags.status).toBe(200);
    const file = path.join('test-artifacts', 'textile', 'hang-tags.pdf');
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, tags.raw);
    const info = execFileSync('pdfinfo', [file]).toString();
    expect(info).toMatch(/Pages:\s+6/);
    // 54 × 86 mm = 153,07 × 243,78 pt.
    expect(info).toMatch(/Page size:\s+153\.07\d* x 243\.78\d* pts/);
    const text = execFileSync('pdftotext', ['-layout', file, '-'])
      .toString()
      .replace(/\u00a0/g, ' ');
    expect(text).toContain('Tee-shirt bio écru S');
    expect(text).toContain('25,00 €');
    execFileSync('pdftoppm', ['-png', '-r', '100', '-f', '1', '-l', '1', file, path.join('test-artifacts', 'textile', 'hang-tag')]);
    const dup = await shop.admin.post('/api/models', {
      name: 'X',
      producerId,
      priceCents: 100,
      vatRateBp: 2000,
      sizes: ['S', 'S'],
      colours: ['noir'],
    });
    expect([dup.status, dup.body.error.fields[0].field]).toEqual([400, 'body.sizes']);
  });

  it('takes a deposit by size grid, sells by barcode, and counts by size grid', async () => {
    const grid = (g: Record<string, Record<string, number>>) =>
      Object.entries(g).flatMap(([colour, row]) =>
        Object.entries(row)
          .filter(([, n]) => n > 0)
          .map(([size, n]) => ({ productId: id(colour, size), quantity: n })),
      );
    const deposit = await shop.admin.post('/api/stock/deposits', {
      producerId,
      lines: grid({ écru: { S: 2, M: 3, L: 1 }, indigo: { S: 0, M: 4, L: 2 } }),
    });
    expect(deposit.status, JSON.stringify(deposit.body)).toBe(201);
    expect(deposit.body.lines).toHaveLength(5);
    const onHand = async () => (await shop.admin.get(`/api/models/${model.id}`)).body.variants.map((v: any) => v.onHand);
    expect(await onHand()).toEqual([2, 3, 1, 0, 4, 2]);

    await at('2026-11-12T10:00:00Z');
    const catalog = (await till.get('/api/catalog')).body.products;
    expect(catalog.filter((p: any) => p.variant?.modelName === 'Tee-shirt bio')).toHaveLength(6);
    const scanned = await till.get(`/api/barcodes/${model.variants[1].barcode}`);
    expect(scanned.body.product.id).toBe(id('écru', 'M'));
    const sale = await till.post('/api/sales', {
      id: uuidv7(),
      tillId,
      number: 1,
      createdAt: clock.toISOString(),
      lines: [
        { productId: id('écru', 'M'), quantity: 1, unitPriceCents: 2500 },
        { productId: id('indigo', 'L'), quantity: 1, unitPriceCents: 2500 },
      ],
      payments: [{ method: 'card', amountCents: 5000 }],
      totalCents: 5000,
    });
    expect(sale.status, JSON.stringify(sale.body)).toBe(201);
    expect(await onHand()).toEqual([2, 2, 1, 0, 4, 1]);

    await at('2026-11-20T18:00:00Z');
    const counted = { écru: { S: 2, M: 1, L: 1 }, indigo: { S: 0, M: 4, L: 0 } } as Record<string, Record<string, number>>;
    const count = await shop.admin.post('/api/stock/counts', {
      note: 'Inventaire textile',
      lines: Object.entries(counted).flatMap(([colour, row]) =>
        Object.entries(row).map(([size, n]) => ({ productId: id(colour, size), counted: n })),
      ),
    });
    expect(count.status, JSON.stringify(count.body)).toBe(201);
    const diff = (colour: string, size: string) => count.body.lines.find((l: any) => l.productId === id(colour, size)).difference;
    expect([diff('écru', 'M'), diff('indigo', 'L'), diff('écru', 'S'), diff('indigo', 'M')]).toEqual([-1, -1, 0, 0]);
    expect(await onHand()).toEqual([2, 1, 1, 0, 4, 0]);
  });

  it('settles the workshop with its sales grouped by model', async () => {
    await at('2026-12-01T09:00:00Z');
    const st = await shop.admin.post(`/api/producers/${producerId}/statements`, { from: '2026-11-01', to: '2026-11-30' });
    expect(st.status, JSON.stringify(st.body)).toBe(201);
    expect(st.body.totals).toMatchObject({ salesCents: 5000, commissionNetCents: 750, commissionVatCents: 150, netOwedCents: 4100 });
    expect(st.body.items.map((i: any) => [i.name, i.model])).toEqual([
      ['Tee-shirt bio écru M', 'Tee-shirt bio'],
      ['Tee-shirt bio indigo L', 'Tee-shirt bio'],
    ]);
    const pdf = await shop.admin.get(`/api/statements/${st.body.id}.pdf`);
    const file = path.join('test-artifacts', 'textile', 'statement.pdf');
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, pdf.raw);
    const text = execFileSync('pdftotext', ['-layout', file, '-'])
      .toString()
      .replace(/\u00a0/g, ' ')
      .replace(/[ \t]+/g, ' ');
    expect(text).toContain('Ventes par modèle');
    expect(text).toContain('Tee-shirt bio 2 50,00 €');
  });
});
