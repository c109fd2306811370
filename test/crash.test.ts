import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openStore } from '../db/database.ts';
import { verifyAll } from '../server/journal/verify.ts';
import { startChildServer, type ChildServer } from './support/child-server.ts';
import { ADMIN, aShopDataDir, Client, dropTestDatabase, shopEnv } from './support/harness.ts';
import { shopSql } from './support/shop-sql.ts';
import { uuidv7 } from './support/tickets.ts';

const TILLS = 10;
const TICKETS = 2000;
const KILL_AFTER = 600;

describe('a server killed in the middle of a burst loses no acknowledged ticket', () => {
  let dataDir: string;
  let server: ChildServer;
  beforeAll(async () => {
    dataDir = await aShopDataDir('comptoir-crash-');
    server = await startChildServer(dataDir);
  });
  afterAll(async () => {
    await server.stop().catch(() => undefined);
    await dropTestDatabase(dataDir);
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  it(`keeps every acknowledged ticket of ${TICKETS} from ${TILLS} tills across a SIGKILL, none twice, chains and stock intact`, async () => {
    let base = server.url;
    const admin = new Client(base);
    await admin.post('/api/auth/login', ADMIN);
    const producer = (
      await admin.post('/api/producers', {
        name: 'Ferme',
        legalName: 'Ferme',
        siret: '73282932000074',
        vatStatus: 'subject',
        commissionBp: 2000,
      })
    ).body;
    const miel = (
      await admin.post('/api/products', { name: 'Miel', producerId: producer.id, unit: 'piece', priceCents: 950, vatRateBp: 550 })
    ).body;
    const tomme = (
      await admin.post('/api/products', { name: 'Tomme', producerId: producer.id, unit: 'kg', priceCents: 2490, vatRateBp: 550 })
    ).body;
    await admin.post('/api/stock/deposits', {
      producerId: producer.id,
      lines: [
        { productId: miel.id, quantity: 10_000 },
        { productId: tomme.id, quantity: 1_000_000 },
      ],
    });
    await admin.post('/api/users', { displayName: 'Caisse', role: 'cashier', pin: '2468' });
    const tills: { client: Client; tillId: number }[] = [];
    for (let i = 0; i < TILLS; i++) {
      const tillId = i === 0 ? 1 : (await admin.post('/api/tills', { outlet: 'shop', name: `Caisse ${i + 1}` })).body.id;
      const code = (await admin.post(`/api/tills/${tillId}/pairing-code`)).body.code;
      const client = new Client(base);
      await client.post('/api/devices/pair', { code });
      expect((await client.post('/api/auth/pin', { tillId, pin: '2468' })).status).toBe(200);
      tills.push({ client, tillId });
    }

    const acknowledged = new Set<string>();
    let issued = 0;
    let killed = false;
    let retries = 0;
    let restarting: Promise<void> | null = null;
    const restart = async () => {
      await server.kill();
      server = await startChildServer(dataDir);
      base = server.url;
    };

    await Promise.all(
      tills.map(async (till) => {
        let number = 0;
        while (issued < TICKETS) {
          issued++;
          // 2 jars of honey and 300 g of tomme: 1900 + round(2490 × 0.3 = 747) = 2647.
          const ticket = {
            id: uuidv7(),
            tillId: till.tillId,
            number: ++number,
            createdAt: new Date().toISOString(),
            lines: [
              { productId: miel.id, quantity: 2, unitPriceCents: 950 },
              { productId: tomme.id, grams: 300, unitPriceCents: 2490 },
            ],
            payments: [{ method: 'card', amountCents: 2647 }],
            totalCents: 2647,
          };
          // As the till does: send until the server answers, the same body every time.
          for (;;) {
            try {
              till.client.baseUrl = base;
              const res = await till.client.post('/api/sales', ticket);
              if (res.status !== 201 && res.status !== 200) throw new Error(`unexpected ${res.status} ${JSON.stringify(res.body)}`);
              acknowledged.add(ticket.id);
              if (!killed && acknowledged.size >= KILL_AFTER) {
                killed = true;
                restarting = restart();
              }
              break;
            } catch (e) {
              if ((e as Error).message.startsWith('unexpected')) throw e;
              retries++;
              await (restarting ?? new Promise((r) => setTimeout(r, 50)));
            }
          }
        }
      }),
    );
    expect(killed).toBe(true);
    // Requests were in flight when the process died: their tills had to send them again.
    expect(retries).toBeGreaterThan(0);
    expect(acknowledged.size).toBe(TICKETS);
    await server.stop();

    const q = await shopSql(dataDir, { readonly: true });
    const ids = (await q.all<{ id: string }>('select id from sales')).map((r) => r.id);
    // Every acknowledged ticket is there, exactly once, and nothing else.
    expect(ids.length).toBe(TICKETS);
    expect(new Set(ids)).toEqual(acknowledged);
    // Each ticket moved stock once: 2 jars each, 300 g each.
    const moved = await q.all(
      `select product_id, sum(quantity) as q, count(*) as n from stock_movements where kind = 'sale' group by product_id order by product_id`,
    );
    expect(moved).toEqual([
      { product_id: miel.id, q: -2 * TICKETS, n: TICKETS },
      { product_id: tomme.id, q: -300 * TICKETS, n: TICKETS },
    ]);
    await q.close();

    server = await startChildServer(dataDir);
    const check = new Client(server.url);
    await check.post('/api/auth/login', ADMIN);
    const report = (await check.get('/api/journal/verify')).body;
    // Chains intact, numbers gapless on every till, balances equal to the re-summed ledger.
    expect(report).toMatchObject({ ok: true, tickets: TICKETS, grandTotalCents: 2647 * TICKETS, problems: [] });
    expect((await check.get(`/api/products/${miel.id}`)).body.onHand).toBe(10_000 - 2 * TICKETS);
    await server.stop();
    // The same verification cut into segments of 150 tickets and run on worker threads agrees.
    const target = shopEnv(dataDir).DATABASE_URL ?? path.join(dataDir, 'comptoir.sqlite');
    const { db, close } = await openStore(target);
    const segmented = await verifyAll(db, { file: target, segmentSize: 150 });
    await close();
    expect(segmented.threads).toBeGreaterThan(0);
    expect(segmented).toMatchObject({ ok: true, tickets: TICKETS, grandTotalCents: 2647 * TICKETS, problems: [] });
  }, 180_000);
});
