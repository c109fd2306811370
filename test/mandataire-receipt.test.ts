/**
 * Issue 21, item 1, at the counter. Selling in the producers' name (mandataire, the default), the receipt
 * says for whom each line is sold, and a producer who charges no VAT (franchise en base) has none on their
 * lines, with the mention of art. 293 B; in the commissionnaire model every line keeps its product's rate.
 *
 * A: Ferme du Sidobre, subject to VAT: Tomme 10,00 € at 5,5 %. B: Savonnerie du Thoré, franchise: Savon 6,00 €
 * (catalogue rate 20 %). Ticket: 1 tomme + 1 savon = 16,00 € cash.
 *   Mandataire: 5,5 %: 10,00 / 1,055 = 9,478 -> HT 9,48, VAT 0,52; savon at 0 %: HT 6,00, VAT 0. Total VAT 0,52.
 *   Commissionnaire: the same tomme, and the savon at 20 %: 6,00 / 1,2 = 5,00 HT, 1,00 VAT. Total VAT 1,52.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decodeEscPos } from './support/escpos-decoder.ts';
import { aProducer, aProduct, aUser, startTestShop, type Client, type TestShop } from './support/harness.ts';
import { uuidv7 } from './support/tickets.ts';
import { until } from './support/wait.ts';

const flat = (s: string) => s.replace(/[\u00a0\u202f]/g, ' ');

describe.each(['mandataire', 'commissionnaire'] as const)('a receipt in the %s model', (model) => {
  let shop: TestShop;
  let till: Client;
  const ids: Record<string, number> = {};

  beforeAll(async () => {
    shop = await startTestShop();
    expect((await shop.admin.put('/api/settings/consignment', { model })).status).toBe(200);
    const a = await aProducer(shop.admin, { name: 'Ferme du Sidobre' });
    const b = await aProducer(shop.admin, { name: 'Savonnerie du Thoré', vatStatus: 'franchise' });
    ids.tomme = (await aProduct(shop.admin, { name: 'Tomme', producerId: a.id, priceCents: 1000, vatRateBp: 550 })).id;
    ids.savon = (await aProduct(shop.admin, { name: 'Savon', producerId: b.id, priceCents: 600, vatRateBp: 2000 })).id;
    till = (await aUser(shop, 'cashier')).client;
    const printer = await shop.admin.post('/api/printers', {
      name: 'Caisse 1',
      role: 'receipt',
      uri: 'file:prints',
      columns: 48,
      codePage: 'pc858',
      drawer: false,
    });
    expect((await shop.admin.patch('/api/tills/1', { printerId: printer.body.id })).status).toBe(200);
  });
  afterAll(() => shop.close());

  it('rings the franchise producer’s goods at the rate the model gives, and prints why', async () => {
    // The till's catalogue already carries the rate it must ring.
    const catalogue = (await till.get('/api/catalog')).body;
    const savonRate = catalogue.products.find((p: { id: number }) => p.id === ids.savon).vatRateBp;
    expect(savonRate).toBe(model === 'mandataire' ? 0 : 2000);
    const sale = await till.post('/api/sales', {
      id: uuidv7(),
      tillId: 1,
      number: 1,
      createdAt: new Date().toISOString(),
      lines: [
        { productId: ids.tomme, quantity: 1, unitPriceCents: 1000 },
        { productId: ids.savon, quantity: 1, unitPriceCents: 600 },
      ],
      payments: [{ method: 'cash', amountCents: 1600 }],
      totalCents: 1600,
    });
    expect(sale.status, JSON.stringify(sale.body)).toBe(201);
    const vat = (sale.body.vat as { vatRateBp: number; netCents: number; vatCents: number }[]).map((v) => [
      v.vatRateBp,
      v.netCents,
      v.vatCents,
    ]);
    expect(vat).toEqual(
      model === 'mandataire'
        ? [
            [0, 600, 0],
            [550, 948, 52],
          ]
        : [
            [550, 948, 52],
            [2000, 500, 100],
          ],
    );
    // A till stating the other rate is refused with the field named: there is no manual VAT rate.
    const wrong = await till.post('/api/sales', {
      id: uuidv7(),
      tillId: 1,
      number: 2,
      createdAt: new Date().toISOString(),
      lines: [{ productId: ids.savon, quantity: 1, unitPriceCents: 600, vatRateBp: model === 'mandataire' ? 2000 : 0 }],
      payments: [{ method: 'cash', amountCents: 600 }],
      totalCents: 600,
    });
    expect(wrong.status).toBe(422);
    expect(wrong.body.error.fields[0].field).toBe('lines.0.vatRateBp');

    expect((await till.post(`/api/sales/${sale.body.id}/receipt`)).status).toBe(201);
    const dir = path.join(shop.dataDir, 'prints');
    const file = await until('the receipt', () => fs.existsSync(dir) && fs.readdirSync(dir).find((f) => f.endsWith('-receipt.bin')));
    const text = flat(decodeEscPos(fs.readFileSync(path.join(dir, file))).text);
    if (model === 'mandataire') {
      expect(text).toContain('pour le compte de Savonnerie du Thoré');
      expect(text).toContain('pour le compte de Ferme du Sidobre');
      expect(text).toMatch(/Savon +6,00 € E\n/);
      // Wrapped at the paper's 48 columns.
      expect(text).toMatch(/Savonnerie du Thoré : TVA non applicable, art\.\s293 B du CGI/);
      expect(text).toMatch(/Total TVA +0,52 €/);
    } else {
      expect(text).not.toContain('pour le compte de');
      expect(text).not.toContain('293 B');
      expect(text).toMatch(/Savon +6,00 € C\n/);
      expect(text).toMatch(/Total TVA +1,52 €/);
    }
  });
});
