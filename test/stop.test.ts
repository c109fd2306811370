import fs from 'node:fs';
import http from 'node:http';
import { io } from 'socket.io-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startChildServer, type ChildServer } from './support/child-server.ts';
import { ADMIN, aShopDataDir, Client } from './support/harness.ts';
import { uuidv7 } from './support/tickets.ts';

// Stopping the server (SIGTERM: an update, a reboot of the mini-PC) with a till connected: it stops
// taking requests at once, finishes what it holds, and is gone within a few seconds.

describe('a server asked to stop with a till connected', () => {
  let dataDir: string;
  let server: ChildServer;
  beforeAll(async () => {
    dataDir = await aShopDataDir('comptoir-stop-');
  });
  afterAll(async () => {
    await server?.stop().catch(() => undefined);
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  it('exits in under 5 s, and records nothing it was sent once it said it was stopping', async () => {
    server = await startChildServer(dataDir, { LOG_LEVEL: 'info' });
    const admin = new Client(server.url);
    await admin.post('/api/auth/login', ADMIN);
    const product = (await admin.post('/api/products', { name: 'Pain', producerId: null, unit: 'piece', priceCents: 520, vatRateBp: 550 }))
      .body;
    await admin.post('/api/users', { displayName: 'Camille', role: 'cashier', pin: '2468' });
    const till = new Client(server.url);
    await till.post('/api/devices/pair', { code: (await admin.post('/api/tills/1/pairing-code')).body.code });
    expect((await till.post('/api/auth/pin', { tillId: 1, pin: '2468' })).status).toBe(200);
    const sale = (number: number) => ({
      id: uuidv7(),
      tillId: 1,
      number,
      createdAt: new Date().toISOString(),
      lines: [{ productId: product.id, quantity: 1, unitPriceCents: 520 }],
      payments: [{ method: 'cash', amountCents: 520 }],
      totalCents: 520,
    });
    expect((await till.post('/api/sales', sale(1))).status).toBe(201);

    // The till's live connection (socket.io over a WebSocket) and an idle keep-alive connection.
    const socket = io(server.url, { transports: ['websocket'], extraHeaders: { cookie: till.cookieHeader() }, reconnection: false });
    await new Promise<void>((resolve, reject) => {
      socket.once('connect', () => resolve());
      socket.once('connect_error', reject);
    });
    const agent = new http.Agent({ keepAlive: true });
    await new Promise<void>((resolve) => http.get(`${server.url}/api/health`, { agent }, (res) => res.resume().on('end', () => resolve())));

    let output = '';
    server.process.stdout!.on('data', (c: Buffer) => (output += c.toString()));
    const exited = new Promise<number>((resolve) => server.process.once('exit', (code) => resolve(code ?? -1)));
    const started = Date.now();
    server.process.kill('SIGTERM');
    // As soon as it says it is stopping, a ticket sent is refused (503, or the port already closed).
    await expect.poll(() => output, { interval: 5, timeout: 5000 }).toContain('"msg":"stopping"');
    const late = sale(2);
    const answer = await till.post('/api/sales', late).then(
      (r) => r.status,
      () => 'closed',
    );
    expect([503, 'closed']).toContain(answer);
    const code = await exited;
    const took = Date.now() - started;
    socket.close();
    agent.destroy();
    expect(code).toBe(0);
    console.log(`stopped in ${took} ms`);
    expect(took).toBeLessThan(5000);

    // Started again: ticket 1 is there, the late one is not; the journal holds.
    server = await startChildServer(dataDir);
    const again = new Client(server.url);
    await again.post('/api/auth/login', ADMIN);
    const sales = (await again.get('/api/sales')).body as { id: string; number: number }[];
    expect(sales.map((s) => s.number)).toEqual([1]);
    expect(sales.some((s) => s.id === late.id)).toBe(false);
    expect((await again.get('/api/journal/verify')).body.ok).toBe(true);
  });
});
