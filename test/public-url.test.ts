import fs from 'node:fs';
import https from 'node:https';
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

// Without PUBLIC_URL, a link takes the address the request was sent to, but only when it is one of the
// server's own: a request naming any host (with a matching Origin, which the origin check lets through)
// made the server write that host into the invitation link (found by an attack on a running server, /tmp/rev18).
describe('the address of a link without PUBLIC_URL', () => {
  let shop: TestShop;
  beforeAll(async () => {
    shop = await startTestShop();
  });
  afterAll(() => shop.close());

  /** An invitation asked for with the Host (and Origin) headers a client chooses. */
  const inviteVia = async (host: string) => {
    const producer = await aProducer(shop.admin);
    // Over HTTPS, as a tablet (plain HTTP is redirected for any name but the loopback's).
    const url = new URL(`${shop.url.replace(/^http:/, 'https:')}/api/producers/${producer.id}/invitations`);
    const scheme = 'https';
    const body = await new Promise<string>((resolve, reject) => {
      const req = https.request(
        url,
        {
          method: 'POST',
          rejectUnauthorized: false,
          headers: {
            host,
            origin: `${scheme}://${host}`,
            cookie: shop.admin.cookieHeader(),
            'content-type': 'application/json',
          },
        },
        (res) => {
          let text = '';
          res.on('data', (c) => (text += c));
          res.on('end', () => (res.statusCode === 201 ? resolve(text) : reject(new Error(`${res.statusCode} ${text}`))));
        },
      );
      req.on('error', reject);
      req.end('{}');
    });
    return { scheme, port: url.port, link: JSON.parse(body).url as string };
  };

  it('is never a host the request made up: the shop’s mDNS name instead', async () => {
    const { scheme, port, link } = await inviteVia('evil.example');
    expect(link).toMatch(new RegExp(`^${scheme}://comptoir\\.local/invitation/[A-Za-z0-9_-]{43}$`));
    const withPort = await inviteVia(`evil.example:${port}`);
    expect(withPort.link).toMatch(new RegExp(`^${scheme}://comptoir\\.local:${port}/invitation/`));
  });

  it('is the shop’s network name or address the tablet used', async () => {
    const byName = await inviteVia(`shop.lan:${(await inviteVia('localhost')).port}`);
    expect(byName.link).toMatch(new RegExp(`^${byName.scheme}://shop\\.lan:${byName.port}/invitation/`));
    const byLoopback = await inviteVia(`127.0.0.1:${byName.port}`);
    expect(byLoopback.link).toMatch(new RegExp(`^${byName.scheme}://127\\.0\\.0\\.1:${byName.port}/invitation/`));
  });
});
