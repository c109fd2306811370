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
    ids.miel = (
      await aProduct(shop.admin, {
        name: 'Miel de châtaignier 500 g',
        producerId: rucher.id,
        priceCents: 950,
        barcodes: ['3760123450010'],
        net: { quantity: 500, unit: 'g' },
      })
    ).id;
    ids.veloute = (
      await aProduct(shop.admin, {
        name: 'Velouté de potimarron',
        producerId: ferme.id,
        priceCents: 590,
        net: { quantity: 750, unit: 'ml' },
      })
    ).id;
    ids.savon = (await aProduct(shop.admin, { name: 'Savon au lait d’ânesse', producerId: ferme.id, priceCents: 600 })).id;
    ids.tomme = (await aProduct(shop.admin, { name: 'Tomme de brebis', producerId: ferme.id, unit: 'kg', priceCents: 2650 })).id;
  });
  afterAll(() => shop.close());

  it('prints name, producer, price, the price per kilo of weighed goods and the barcode, over as many sheets as needed', async () => {
    const res = await shop.admin.post('/api/labels.pdf', {
      items: [
        { productId: ids.miel, copies: 2 },
        { productId: ids.tomme, copies: 20 },
      ],
      skip: 2,
    });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('application/pdf');
    const dir = path.join('test-artifacts', 'labels');
    fs.mkdirSync(dir, { recursive: true });
    const file = path.join(dir, 'labels.pdf');
    fs.writeFileSync(file, res.raw);
    expect(execFileSync('pdfinfo', [file]).toString()).toMatch(/Pages:\s+2\n/);
    const first = execFileSync('pdftotext', ['-f', '1', '-l', '1', file, '-'])
      .toString()
      .replace(/\u00a0/g, ' ');
    expect(first.match(/Miel de châtaignier 500 g/g)).toHaveLength(2);
    expect(first).toContain('Rucher de Brassac');
    expect(first).toContain('9,50 €');
    // Prepacked 500 g at 9,50 €: 9,50 × 1000 / 500 = 19,00 € per kilo.
    expect(first).toContain('500 g · 19,00 € le kg');
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

  it('gives the price per litre of a bottled piece, and none to a piece without a net quantity', async () => {
    const res = await shop.admin.post('/api/labels.pdf', {
      items: [
        { productId: ids.veloute, copies: 1 },
        { productId: ids.savon, copies: 1 },
      ],
    });
    const file = path.join('test-artifacts', 'labels', 'labels-net.pdf');
    fs.writeFileSync(file, res.raw);
    const text = execFileSync('pdftotext', [file, '-'])
      .toString()
      .replace(/\u00a0/g, ' ');
    // 75 cl at 5,90 €: 5,90 × 1000 / 750 = 7,866… → 7,87 € per litre.
    expect(text).toContain('75 cl · 7,87 € le litre');
    expect(text).toContain('TTC la pièce');
    // A weighed product has its price per kilo already: no net quantity for it.
    const tomme = await shop.admin.patch(`/api/products/${ids.tomme}`, { net: { quantity: 500, unit: 'g' } });
    expect(tomme.status).toBe(400);
    expect(tomme.body.error.fields[0].field).toBe('net');
  });

  it('prints the same labels on the receipt printer: price, unit price, the EAN-13, one cut per label', async () => {
    const printer = await shop.admin.post('/api/printers', {
      name: 'Comptoir',
      role: 'receipt',
      uri: 'file:labels-out',
      columns: 48,
      codePage: 'pc858',
    });
    expect(printer.status).toBe(201);
    const res = await shop.admin.post('/api/labels/print', {
      items: [
        { productId: ids.miel, copies: 2 },
        { productId: ids.veloute, copies: 1 },
      ],
    });
    expect(res.status).toBe(201);
    expect(res.body.labels).toBe(3);
    const dir = path.join(shop.dataDir, 'labels-out');
    const deadline = Date.now() + 15_000;
    while (!(fs.existsSync(dir) && fs.readdirSync(dir).some((f) => f.endsWith('-labels.bin'))) && Date.now() < deadline)
      await new Promise((r) => setTimeout(r, 50));
    const { decodeEscPos } = await import('./support/escpos-decoder.ts');
    const decoded = decodeEscPos(
      fs.readFileSync(
        path.join(
          dir,
          fs.readdirSync(dir).find((f) => f.endsWith('-labels.bin'))!,
        ),
      ),
    );
    const text = decoded.text.replace(/[\u00a0\u202f]/g, ' ');
    expect(text.match(/Miel de châtaignier 500 g/g)).toHaveLength(2);
    expect(text).toContain('500 g · 19,00 € le kg');
    expect(text).toContain('75 cl · 7,87 € le litre');
    // EAN-13 is GS k format B, m = 67: twice for the honey; the velouté has no barcode.
    expect(decoded.commands.filter((c) => c.op === 'barcode')).toEqual([
      { op: 'barcode', system: 67, data: '3760123450010' },
      { op: 'barcode', system: 67, data: '3760123450010' },
    ]);
    expect(decoded.commands.filter((c) => c.op === 'cut')).toHaveLength(3);
    // No receipt printer asked for and none can be found: named.
    expect((await shop.admin.post('/api/labels/print', { items: [{ productId: ids.miel, copies: 1 }], printerId: 999 })).status).toBe(404);
  });

  it('names the problem with a product that does not exist or too many copies', async () => {
    const unknown = await shop.admin.post('/api/labels.pdf', { items: [{ productId: 9999, copies: 1 }] });
    expect(unknown.status).toBe(400);
    expect(unknown.body.error.fields[0].field).toBe('items.0.productId');
    const many = await shop.admin.post('/api/labels.pdf', { items: [{ productId: ids.miel, copies: 500 }] });
    expect(many.status).toBe(400);
    expect(many.body.error.fields[0].field).toBe('body.items.0.copies');
  });
});
