import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { aProducer, aProduct, startTestShop, type TestShop } from './support/harness.ts';

/**
 * Shelf labels: 3 × 7 stickers per A4 sheet. 2 labels of honey + 20 of cheese = 22 labels; with 2
 * stickers of the first sheet already used, 24 slots: the first sheet's 21, then 3 on a second page.
 */
describe('shelf labels on A4 sticker sheets', () => {
  let shop: TestShop;
  const ids: Record<string, number> = {};
  beforeAll(async () => {
    shop = await startTestShop();
    const rucher = await aProducer(shop.admin, { name: 'Rucher de Brassac' });
    const ferme = await aProducer(shop.admin, { name: 'Ferme du Sidobre' });
    ids.miel = (await aProduct(shop.admin, { name: 'Miel de châtaignier 500 g', producerId: rucher.id, priceCents: 950, barcodes: ['3760123450010'] })).id;
    ids.tomme = (await aProduct(shop.admin, { name: 'Tomme de brebis', producerId: ferme.id, unit: 'kg', priceCents: 2650 })).id;
  });
  afterAll(() => shop.close());

  it('prints name, producer, price, the price per kilo of weighed goods and the barcode, over as many sheets as needed', async () => {
    const res = await shop.admin.post('/api/labels.pdf', { items: [{ productId: ids.miel, copies: 2 }, { productId: ids.tomme, copies: 20 }], skip: 2 });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('application/pdf');
    const dir = path.join('test-artifacts', 'labels');
    fs.mkdirSync(dir, { recursive: true });
    const file = path.join(dir, 'labels.pdf');
    fs.writeFileSync(file, res.raw);
    expect(execFileSync('pdfinfo', [file]).toString()).toMatch(/Pages:\s+2\n/);
    const first = execFileSync('pdftotext', ['-f', '1', '-l', '1', file, '-']).toString().replace(/\u00a0/g, ' ');
    expect(first.match(/Miel de châtaignier 500 g/g)).toHaveLength(2);
    expect(first).toContain('Rucher de Brassac');
    expect(first).toContain('9,50 €');
    expect(first).toContain('TTC la pièce');
    // 21 slots, 2 skipped, 2 honey: 17 cheeses on the first sheet, 3 on the second.
    expect(first.match(/Tomme de brebis/g)).toHaveLength(17);
    expect(first).toContain('26,50 €');
    expect(first).toContain('le kilo (prix au kg)');
    const second = execFileSync('pdftotext', ['-f', '2', '-l', '2', file, '-']).toString();
    expect(second.match(/Tomme de brebis/g)).toHaveLength(3);
    // The honey's EAN-13 is drawn (one image, reused on both of its labels).
    const images = execFileSync('pdfimages', ['-list', file]).toString().trim().split('\n').slice(2);
    expect(images.length).toBeGreaterThanOrEqual(2);
    execFileSync('pdftoppm', ['-png', '-r', '60', '-f', '1', '-l', '1', file, path.join(dir, 'labels')]);
  });

  it('names the problem with a product that does not exist or too many copies', async () => {
    const unknown = await shop.admin.post('/api/labels.pdf', { items: [{ productId: 9999, copies: 1 }] });
    expect(unknown.status).toBe(404);
    const many = await shop.admin.post('/api/labels.pdf', { items: [{ productId: ids.miel, copies: 500 }] });
    expect(many.status).toBe(400);
    expect(many.body.error.fields[0].field).toBe('body.items.0.copies');
  });
});
