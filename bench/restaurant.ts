/**
 * A lunch service's load on the restaurant's server (issue 17's targets): 30 open tables of 15 lines and 4
 * waiters' phones sending at once. Envoyer → its kitchen job in the print queue (the answer comes once the
 * job is committed) and → the kitchen ticket heard on the kitchen screen's socket (`kitchen:changed`);
 * opening a table (what the waiter's page loads) as a baseline of a read.
 */
import { AS_IN_A_SHOP } from './tickets.ts';
import fs from 'node:fs';
import { io } from 'socket.io-client';
import type { ServerToClientEvents } from '../shared/realtime.ts';
import { startChildServer } from '../test/support/child-server.ts';
import { aShopDataDir, ADMIN, Client } from '../test/support/harness.ts';
import { uuidv7 } from '../test/support/tickets.ts';
import { summarize, type Stats } from './stats.ts';

const TABLES = 30;
const LINES = 15;
const WAITERS = 4;

const line = (name: string, s: Stats, target: number) =>
  `${name.padEnd(58)} median ${s.medianMs.toFixed(2).padStart(7)} ms   p99 ${s.p99Ms.toFixed(2).padStart(7)} ms   (n=${s.n})  ${s.p99Ms <= target ? 'OK' : 'OVER'} (target p99 ${target} ms)`;

export async function benchRestaurant(): Promise<string[]> {
  const dir = await aShopDataDir('comptoir-bench-restaurant-');
  const server = await startChildServer(dir, AS_IN_A_SHOP);
  try {
    const admin = new Client(server.url);
    await admin.post('/api/auth/login', ADMIN);
    const printer = async (name: string) =>
      (await admin.post('/api/printers', { name, role: 'kitchen', uri: `file:prints/${name}`, columns: 48, codePage: 'pc858' })).body.id;
    const stations = [
      (await admin.post('/api/stations', { name: 'Cuisine', printerId: await printer('cuisine') })).body.id,
      (await admin.post('/api/stations', { name: 'Bar', printerId: await printer('bar') })).body.id,
    ];
    const products: number[] = [];
    for (const [i, stationId] of stations.entries()) {
      const category = (await admin.post('/api/categories', { name: i ? 'Boissons' : 'Plats' })).body.id;
      await admin.put(`/api/categories/${category}/station`, { stationId });
      for (let p = 0; p < 10; p++) {
        const res = await admin.post('/api/products', {
          name: `${i ? 'Boisson' : 'Plat'} ${p + 1}`,
          producerId: null,
          categoryId: category,
          unit: 'piece',
          priceCents: 400 + p * 150,
          vatRateBp: 1000,
          outlets: ['restaurant'],
        });
        products.push(res.body.id);
      }
    }
    const room = (await admin.post('/api/rooms', { name: 'Salle' })).body.id;
    const tables: number[] = [];
    for (let t = 0; t < TABLES; t++)
      tables.push((await admin.post(`/api/rooms/${room}/tables`, { name: String(t + 1), seats: 4 })).body.id);

    /** A phone: its own till, paired, a waiter logged in with their PIN. */
    const phone = async (n: number) => {
      const till = (await admin.post('/api/tills', { outlet: 'restaurant', name: `Salle ${n}` })).body.id;
      const pin = String(4000 + n * 111);
      const user = (await admin.post('/api/users', { displayName: `Serveur ${n}`, role: 'waiter', pin })).body.id;
      const code = (await admin.post(`/api/tills/${till}/pairing-code`)).body.code;
      const c = new Client(server.url);
      await c.post('/api/devices/pair', { code });
      await c.post('/api/auth/pin', { tillId: till, pin, userId: user });
      return c;
    };
    const waiters: Client[] = [];
    for (let w = 0; w < WAITERS; w++) waiters.push(await phone(w + 1));
    const screenDevice = await phone(WAITERS + 1);

    const op = (c: Client, orderId: string, body: Record<string, unknown>) =>
      c.post(`/api/orders/${orderId}/ops`, { id: uuidv7(), at: new Date().toISOString(), ...body });
    const orders = tables.map(() => uuidv7());
    for (const [t, orderId] of orders.entries()) {
      const c = waiters[t % WAITERS]!;
      await op(c, orderId, { kind: 'open', tableId: tables[t], covers: 4 });
      for (let l = 0; l < LINES; l++)
        await op(c, orderId, { kind: 'add', lineId: uuidv7(), productId: products[(t + l) % products.length], quantity: 1 });
      await op(c, orderId, { kind: 'send' });
    }

    // The kitchen screen: a device of the outlet, paired for the kitchen's station; it draws each ticket it hears.
    const heard = new Map<string, () => void>();
    const socket = io(server.url, { transports: ['websocket'], extraHeaders: { cookie: screenDevice.cookieHeader() } });
    await new Promise<void>((resolve, reject) => {
      socket.once('connect', () => resolve());
      socket.once('connect_error', reject);
    });
    socket.on('kitchen:changed', ((k) => {
      if (k.stationId === stations[0] && k.kind === 'send' && k.state === 'todo') heard.get(k.orderId)?.();
    }) as ServerToClientEvents['kitchen:changed']);

    const toQueue: number[] = [];
    const toScreen: number[] = [];
    const ROUNDS = 4;
    // Each waiter, at the same time, adds two dishes to each of their tables and sends them.
    await Promise.all(
      waiters.map(async (c, w) => {
        for (let round = 0; round < ROUNDS; round++) {
          for (let t = w; t < TABLES; t += WAITERS) {
            const orderId = orders[t]!;
            await op(c, orderId, { kind: 'add', lineId: uuidv7(), productId: products[(t + round) % 10], quantity: 1 });
            await op(c, orderId, { kind: 'add', lineId: uuidv7(), productId: products[10 + ((t + round) % 10)], quantity: 1 });
            const shown = new Promise<number>((resolve) => heard.set(orderId, () => resolve(performance.now())));
            const t0 = performance.now();
            const sent = await op(c, orderId, { kind: 'send' });
            const t1 = performance.now();
            if (sent.status !== 201) throw new Error(`send: ${sent.status} ${JSON.stringify(sent.body)}`);
            toQueue.push(t1 - t0);
            toScreen.push((await shown) - t0);
            heard.delete(orderId);
          }
        }
      }),
    );
    const open: number[] = [];
    for (let i = 0; i < 300; i++) {
      const t0 = performance.now();
      await waiters[i % WAITERS]!.get(`/api/orders/${orders[i % TABLES]}`);
      open.push(performance.now() - t0);
    }
    socket.close();
    const lines = [
      line(`Envoyer → kitchen jobs queued, ${TABLES} tables × ${LINES}+ lines, ${WAITERS} phones`, summarize(toQueue), 250),
      line('Envoyer → kitchen ticket heard on the kitchen screen’s socket', summarize(toScreen), 100),
      line(`opening a table (its order, ${LINES}–${LINES + 2 * ROUNDS} lines)`, summarize(open), 50),
    ];
    const jobs = fs.readdirSync(`${dir}/prints/cuisine`).length + fs.readdirSync(`${dir}/prints/bar`).length;
    // Every send made one ticket per station: (30 first sends + 30 × 4 rounds) × 2 stations.
    lines.push(`kitchen tickets printed: ${jobs} (expected ${(TABLES + TABLES * ROUNDS) * 2}, one per send and station)`);
    return lines;
  } finally {
    await server.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

if (process.argv[1]?.endsWith('restaurant.ts')) {
  for (const l of await benchRestaurant()) console.log(l);
}
