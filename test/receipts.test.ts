import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { aProducer, aProduct, aUser, startTestShop, type Client, type TestShop } from './support/harness.ts';
import { uuidv7 } from './support/tickets.ts';

// The digital receipt: a token opens one ticket, on a phone and as a PDF.
describe('the digital receipt', () => {
  let shop: TestShop;
  let till: Client;
  let sale: any;
  let other: any;

  beforeAll(async () => {
    shop = await startTestShop();
    const ferme = await aProducer(shop.admin, { name: 'Ferme du Sidobre' });
    const pate = await aProduct(shop.admin, { name: 'Pâté de campagne', producerId: ferme.id, priceCents: 650, vatRateBp: 550 });
    const creme = await aProduct(shop.admin, { name: 'Crème fraîche', producerId: ferme.id, unit: 'kg', priceCents: 1200, vatRateBp: 550 });
    const biere = await aProduct(shop.admin, { name: 'Bière blonde', producerId: null, priceCents: 320, vatRateBp: 2000 });
    till = (await aUser(shop, 'cashier')).client;
    // 2 × 6,50 = 13,00 ; 250 g × 12,00 €/kg = 3,00 ; 3,20 : total 19,20 €. Paid 20 € cash: 0,80 € back.
    const posted = await till.post('/api/sales', {
      id: uuidv7(),
      tillId: 1,
      number: 1,
      createdAt: new Date().toISOString(),
      lines: [
        { productId: pate.id, quantity: 2, unitPriceCents: 650 },
        { productId: creme.id, grams: 250, unitPriceCents: 1200 },
        { productId: biere.id, quantity: 1, unitPriceCents: 320 },
      ],
      payments: [{ method: 'cash', amountCents: 2000 }],
      totalCents: 1920,
    });
    expect(posted.status).toBe(201);
    sale = posted.body;
    const second = await till.post('/api/sales', {
      id: uuidv7(),
      tillId: 1,
      number: 2,
      createdAt: new Date().toISOString(),
      lines: [{ productId: biere.id, quantity: 5, unitPriceCents: 320 }],
      payments: [{ method: 'card', amountCents: 1600 }],
      totalCents: 1600,
    });
    other = second.body;
  });
  afterAll(() => shop.close());

  it('shows the ticket on a phone: shop, lines with producers, total, VAT by rate, payment and change', async () => {
    const page = await shop.client().get(`/r/${sale.receiptToken}`);
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toContain('text/html');
    const html = page.body as string;
    for (const text of [
      'Les Halles de la Durenque',
      'SIRET 73282932000074',
      'Ticket n° 1',
      'Pâté de campagne',
      '2 × 6,50',
      'Ferme du Sidobre',
      'Crème fraîche',
      '0,250 kg × 12,00',
      'Bière blonde',
      'Espèces',
      'Rendu',
    ]) {
      expect(html).toContain(text);
    }
    // Amounts are written with a narrow no-break space before the euro sign.
    const flat = html.replace(/[\u00a0\u202f]/g, ' ');
    expect(flat).toContain('19,20 €');
    expect(flat).toContain('0,80 €');
    // 5,5 %: 16,00 TTC → 15,17 HT + 0,83 TVA ; 20 %: 3,20 TTC → 2,67 HT + 0,53 TVA.
    for (const text of ['15,17 €', '0,83 €', '2,67 €', '0,53 €']) expect(flat).toContain(text);
    // The token opens this ticket, not another one.
    expect(html).not.toContain('1600');
    expect(flat).not.toContain('16,00 € </td></tr><tr><td>Carte');
  });

  it('gives the same receipt as a PDF whose text reads back with pdftotext', async () => {
    const res = await fetch(`${shop.url}/r/${sale.receiptToken}/pdf`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('application/pdf');
    const file = path.join(shop.dataDir, 'ticket.pdf');
    fs.writeFileSync(file, Buffer.from(await res.arrayBuffer()));
    const text = execFileSync('pdftotext', ['-layout', file, '-'], { encoding: 'utf8' }).replace(/[\u00a0\u202f]/g, ' ');
    for (const t of [
      'Les Halles de la Durenque',
      'Pâté de campagne',
      'Crème fraîche',
      'Ferme du Sidobre',
      'TOTAL TTC',
      '19,20 €',
      'Espèces',
      '20,00 €',
      'Rendu',
      '0,80 €',
      '15,17 €',
      '0,83 €',
    ]) {
      expect(text).toContain(t);
    }
  });

  it('offers a QR code of its own address, and nothing for an unknown or malformed token', async () => {
    const qr = await shop.client().get(`/r/${sale.receiptToken}/qr.svg`);
    expect(qr.status).toBe(200);
    expect(qr.headers.get('content-type')).toContain('image/svg+xml');
    expect(String(qr.body)).toContain('<svg');
    expect((await shop.client().get(`/r/${other.receiptToken.replace(/^./, (c: string) => (c === 'A' ? 'B' : 'A'))}`)).status).toBe(404);
    const bad = await shop.client().get('/r/not-a-token');
    expect(bad.status).toBe(400);
    expect(bad.body.error.fields[0].field).toBe('params.token');
  });

  it('lets the till find a ticket by its receipt code (the refund screen scans the QR code), and names a malformed one', async () => {
    const found = await till.get(`/api/sales?receipt=${sale.receiptToken}`);
    expect(found.status).toBe(200);
    expect(found.body.map((s: any) => s.id)).toEqual([sale.id]);
    const none = await till.get(`/api/sales?receipt=${sale.receiptToken.replace(/^./, (c: string) => (c === 'A' ? 'B' : 'A'))}`);
    expect(none.body).toEqual([]);
    const bad = await till.get('/api/sales?receipt=pas%20un%20code');
    expect(bad.status).toBe(400);
    expect(bad.body.error.fields[0]).toMatchObject({ field: 'query.receipt', reason: 'code de reçu illisible' });
  });
});
