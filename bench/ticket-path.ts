/**
 * The ticket's own work without HTTP (issue 23, item 6): the bench's basket recorded by `recordSale` through
 * the write queue, ten at a time as ten tills would send them, in this process, on a SQLite file with FULL
 * sync. Its CPU per ticket beside the HTTP server's (bench/tickets.ts) says how much of a ticket is the
 * domain (checks, prices, chain, rows, stock) and how much is the request around it (HTTP, session, JSON,
 * validation, events).
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { openDatabase } from '../db/database.ts';
import { productCreateBody } from '../shared/api/catalog.ts';
import { userCreateBody } from '../shared/api/admin.ts';
import { salesApi } from '../shared/api/sales.ts';
import { createProduct } from '../server/catalog/products.ts';
import { createAdmin, createShopBase } from '../server/shop/setup.ts';
import { createUser } from '../server/users/users.ts';
import { recordSale } from '../server/sales/record.ts';
import { WriteQueue } from '../server/sales/write-queue.ts';
import { basket, BENCH_IDENTITY } from './tickets.ts';

export async function benchTicketPath(count = 5000): Promise<string[]> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'comptoir-bench-path-'));
  const database = await openDatabase(path.join(dir, 'shop.sqlite'));
  try {
    const db = database.db;
    const now = new Date();
    await createShopBase(db, 'real', BENCH_IDENTITY, now);
    const adminId = await createAdmin(db, { login: 'bench', password: 'bench-password' }, now);
    const actor = { id: adminId, role: 'admin' as const };
    const cashier = await db
      .transaction()
      .execute((trx) => createUser(trx, userCreateBody.parse({ displayName: 'Caisse', role: 'cashier', pin: '1234' }), actor, now));
    const product = async (body: object) =>
      (await db.transaction().execute((trx) => createProduct(trx, productCreateBody.parse(body), adminId, now))).id;
    const ids = {
      pain: await product({ name: 'Pain', producerId: null, unit: 'piece', priceCents: 520, vatRateBp: 550 }),
      tomme: await product({ name: 'Tomme', producerId: null, unit: 'kg', priceCents: 2490, vatRateBp: 550 }),
      biere: await product({ name: 'Bière', producerId: null, unit: 'piece', priceCents: 320, vatRateBp: 2000 }),
    };
    const writes = new WriteQueue(db);
    let number = 0;
    // The bench's basket (bench/tickets.ts), as the route gets it: parsed by the endpoint's own schema.
    const body = () => salesApi.record.body!.parse(basket(ids, 1, ++number));
    const sell = async (n: number) => {
      for (let i = 0; i < n; i += 10)
        await Promise.all(
          Array.from({ length: 10 }, body).map((b) =>
            recordSale(
              db,
              b,
              { cashierId: cashier.id, cashierRole: 'cashier', tillId: 1, deviceId: null, now: new Date(), timeZone: 'Europe/Paris' },
              writes,
            ),
          ),
        );
    };
    await sell(1000); // warm-up
    const cpu0 = process.cpuUsage();
    const t0 = process.hrtime.bigint();
    await sell(count);
    const cpu = process.cpuUsage(cpu0);
    const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
    return [
      `the ticket without HTTP (recordSale through the write queue, 10 at a time, SQLite FULL): ${(count / seconds).toFixed(0).padStart(6)} tickets/s   CPU per ticket ${((cpu.user + cpu.system) / 1000 / count).toFixed(2)} ms`,
    ];
  } finally {
    await database.close();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

if (process.argv[1]?.endsWith('ticket-path.ts')) for (const line of await benchTicketPath()) console.log(line);
