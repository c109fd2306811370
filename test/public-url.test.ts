import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decodeEscPos } from './support/escpos-decoder.ts';
import { aProducer, aProduct, aUser, startTestShop, type Client, type TestShop } from './support/harness.ts';
import { uuidv7 } from './support/tickets.ts';
import { until } from './support/wait.ts';

// The receipt's QR code must open on a customer's phone: with PUBLIC_URL set, it carries that address,
// never the one the tablet reached the server at (issue 18, item 9).
describe('the shop’s public address', () => {
  let shop: TestShop;
  let till: Client;
  let pain: number;
  beforeAll(async () => {
    shop = await startTestShop({ env: { PUBLIC_URL: 'https://caisse.halles-castres.fr/' } });
    const printer = await shop.admin.post('/api/printers', {
      name: 'Caisse',
      role: 'receipt',
      uri: 'file:prints',
      columns: 48,
      codePage: 'pc858',
    });
    await shop.admin.patch('/api/tills/1', { printerId: printer.body.id });
    pain = (await aProduct(shop.admin, { name: 'Pain', priceCents: 520, producerId: null })).id;
    till = (await aUser(shop, 'cashier')).client;
  });
  afterAll(() => shop.close());

  it('is printed in the receipt’s QR code (its trailing slash dropped), and said by the health check', async () => {
    const id = uuidv7();
    const sale = await till.post('/api/sales', {
      id,
      tillId: 1,
      number: 1,
      createdAt: new Date().toISOString(),
      lines: [{ productId: pain, quantity: 1, unitPriceCents: 520 }],
      payments: [{ method: 'cash', amountCents: 520 }],
      totalCents: 520,
    });
    expect(sale.status).toBe(201);
    expect((await till.post(`/api/sales/${id}/receipt`, {})).status).toBeLessThan(300);
    const dir = path.join(shop.dataDir, 'prints');
    const file = await until('the receipt', () => (fs.existsSync(dir) ? fs.readdirSync(dir).find((f) => f.endsWith('.bin')) : undefined));
    const qr = decodeEscPos(fs.readFileSync(path.join(dir, file))).commands.find((c) => c.op === 'qr');
    expect(qr && 'data' in qr ? qr.data : null).toBe(`https://caisse.halles-castres.fr/r/${sale.body.receiptToken}`);
    expect((await shop.client().get('/api/health')).body.publicUrl).toBe('https://caisse.halles-castres.fr');
  });

  // A producer opens their invitation from home: with PUBLIC_URL set, the link carries it (not the address the
  // manager's browser used), and it is not said to open only on the shop's network.
  it('is the address of a producer’s invitation link', async () => {
    const producer = await aProducer(shop.admin);
    const invite = await shop.admin.post(`/api/producers/${producer.id}/invitations`, {});
    expect(invite.status).toBe(201);
    expect(invite.body.url).toMatch(/^https:\/\/caisse\.halles-castres\.fr\/invitation\/[A-Za-z0-9_-]{43}$/);
    expect(invite.body.shopNetworkOnly).toBe(false);
  });
});
