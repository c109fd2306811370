/**
 * The tickets' writer thread (server/sales/ticket-writer.ts, issue 23 item 6): on SQLite, tickets are written
 * by a thread of their own on a second connection to the shop's file. What must hold across that boundary:
 * the answers and refusals are the same as on the server's thread, the server's own writes go on beside it,
 * the caches of both connections learn of each other's writes, and a thread that dies is started again
 * without losing an acknowledged ticket.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { Worker } from 'node:worker_threads';
import SQLite from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { aProducer, aProduct, aUser, allowDaysWithoutZ, startTestShop, testEngine, type Client, type TestShop } from './support/harness.ts';
import type { SqliteDatabase } from '../db/database.ts';
import { createBackup } from '../server/backup/backup.ts';
import { checkReuseItems } from '../server/ressourcerie/ressourcerie.ts';
import { isConstraintViolation } from '../db/engine.ts';
import { Unprocessable } from '../server/errors.ts';
import { fromWire, toWire } from '../server/sales/ticket-writer.ts';
import { uuidv7 } from './support/tickets.ts';
import { until } from './support/wait.ts';

describe.skipIf(testEngine !== 'sqlite')('tickets written on a thread of their own', () => {
  let shop: TestShop;
  let till: Client;
  let miel: { id: number };
  let rucher: { id: number };
  let number = 0;
  const ticket = (overrides: Record<string, unknown> = {}) => ({
    id: uuidv7(),
    tillId: 1,
    number: overrides.number ?? ++number,
    createdAt: new Date().toISOString(),
    lines: [{ productId: miel.id, quantity: 2, unitPriceCents: 950 }],
    payments: [{ method: 'cash', amountCents: 2000 }],
    // 2 × 9,50 € = 19,00 €; 20,00 € given, 1,00 € back.
    totalCents: 1900,
    ...overrides,
  });

  beforeAll(async () => {
    shop = await startTestShop();
    rucher = await aProducer(shop.admin, { name: 'Rucher de Brassac' });
    miel = await aProduct(shop.admin, { name: 'Miel de châtaignier', producerId: rucher.id, priceCents: 950, vatRateBp: 550 });
    await shop.admin.post('/api/stock/deposits', { producerId: rucher.id, lines: [{ productId: miel.id, quantity: 1000 }] });
    till = (await aUser(shop, 'cashier')).client;
  });
  afterAll(() => shop.close());

  it('carries an error’s class, fields and SQLite code across the thread (a constraint is 409 on either side)', () => {
    const refused = fromWire(toWire(new Unprocessable('Ticket refusé.', [{ field: 'totalCents', reason: 'attendu 1900' }])));
    expect(refused).toBeInstanceOf(Unprocessable);
    expect([(refused as Unprocessable).status, (refused as Unprocessable).fields]).toEqual([
      422,
      [{ field: 'totalCents', reason: 'attendu 1900' }],
    ]);
    const unique = Object.assign(new Error('UNIQUE constraint failed: sales.id'), { code: 'SQLITE_CONSTRAINT_PRIMARYKEY' });
    expect(isConstraintViolation(fromWire(toWire(unique)))).toBe(true);
  });

  it('is on by default on SQLite', () => {
    expect(shop.server.services.tickets).toBeDefined();
  });

  it('answers as the server thread did: 201, the same again 200, another body under its id 409, a wrong total 422 with its field', async () => {
    const body = ticket();
    const first = await till.post('/api/sales', body);
    expect(first.status, JSON.stringify(first.body)).toBe(201);
    expect(first.body).toMatchObject({ number: 1, totalCents: 1900, changeCents: 100 });
    const again = await till.post('/api/sales', body);
    expect([again.status, again.body.hash]).toEqual([200, first.body.hash]);
    const other = await till.post('/api/sales', {
      ...body,
      lines: [{ productId: miel.id, quantity: 1, unitPriceCents: 950 }],
      totalCents: 950,
    });
    expect(other.status).toBe(409);
    expect(other.body.error.fields).toEqual([{ field: 'id', reason: expect.stringContaining('contenu différent') }]);
    // 2 × 9,50 € is 19,00 €, not 18,00 €.
    const wrong = await till.post('/api/sales', ticket({ totalCents: 1800, payments: [{ method: 'cash', amountCents: 2000 }] }));
    number--;
    expect(wrong.status).toBe(422);
    expect(wrong.body.error.fields).toEqual([{ field: 'totalCents', reason: 'attendu 1900' }]);
  });

  it('goes on beside the server thread’s own writes: 5 tills × 20 tickets while the back office writes, none refused, chains whole', async () => {
    const tills: { client: Client; tillId: number }[] = [{ client: till, tillId: 1 }];
    for (let i = 2; i <= 5; i++) {
      const created = await shop.admin.post('/api/tills', { outlet: 'shop', name: `Caisse ${i}` });
      expect(created.status).toBe(201);
      tills.push({ client: (await aUser(shop, 'cashier', { tillId: created.body.id })).client, tillId: created.body.id });
    }
    const stockBefore = await levelOf(miel.id);
    const backOffice = (async () => {
      // The server thread's own transactions, beside the tickets: a product a turn.
      for (let i = 0; i < 20; i++) {
        const made = await shop.admin.post('/api/products', {
          name: `Confiture ${i}`,
          producerId: rucher.id,
          unit: 'piece',
          priceCents: 450 + i,
          vatRateBp: 550,
        });
        expect(made.status, JSON.stringify(made.body)).toBe(201);
      }
    })();
    const answers = await Promise.all(
      tills.map(async ({ client, tillId }) => {
        const got: { status: number; number: number }[] = [];
        let n = tillId === 1 ? number : 0;
        for (let i = 0; i < 20; i++) {
          const res = await client.post('/api/sales', ticket({ tillId, number: ++n }));
          got.push({ status: res.status, number: res.body.number });
        }
        if (tillId === 1) number = n;
        return got;
      }),
    );
    await backOffice;
    for (const got of answers) {
      expect(got.map((g) => g.status)).toEqual(Array(20).fill(201));
      // Each till's numbers follow on, one by one.
      const numbers = got.map((g) => g.number);
      expect(numbers).toEqual(numbers.map((_, i) => numbers[0]! + i));
    }
    // 100 tickets of 2 jars each.
    expect(stockBefore - (await levelOf(miel.id))).toBe(200);
    const verify = await shop.admin.get('/api/journal/verify');
    expect(verify.body.problems).toEqual([]);
    expect(verify.body.ok).toBe(true);
  });

  it('is started again at the next ticket when its thread dies: the ticket is written, the witness and signed heads catch up', async () => {
    const writer = shop.server.services.tickets as unknown as { worker: Worker | null };
    const dead = writer.worker!;
    await dead.terminate();
    const res = await till.post('/api/sales', ticket());
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    expect(writer.worker).not.toBe(dead);
    const witness = fs.readFileSync(path.join(shop.dataDir, 'witness', 'journal.log'), 'utf8');
    // A line `till:1 <its place in the chain> <its hash>`.
    expect(witness.split('\n').some((l) => l.startsWith('till:1 ') && l.endsWith(` ${res.body.hash}`))).toBe(true);
    const verify = await shop.admin.get('/api/journal/verify');
    expect(verify.body.problems).toEqual([]);
    expect(verify.body.ok).toBe(true);
  });

  it('tells the server thread’s cache when it sold a one-off item: a read there of that item is not the one kept before', async () => {
    await allowDaysWithoutZ(shop.admin);
    const created = await shop.admin.post('/api/tills', { outlet: 'ressourcerie', name: 'Ressourcerie' });
    const tillId = created.body.id as number;
    const counter = (await aUser(shop, 'cashier', { tillId })).client;
    const intake = await counter.post('/api/ressourcerie/intakes', {
      lines: [{ stream: 'tableware', grams: 2000 }],
      items: [{ name: 'Théière en fonte', stream: 'tableware', grams: 1500, priceCents: 1200 }],
    });
    expect(intake.status, JSON.stringify(intake.body)).toBe(201);
    const productId = intake.body.items[0].productId as number;
    const { db, reads } = shop.server.database as SqliteDatabase;
    // Only the writer's word drops the cache here: the look for a third connection's writes is put far off.
    reads.askVersionEvery(60_000);
    try {
      const check = () => checkReuseItems(db as never, [{ productId, quantity: 1, refund: false }]);
      // Read on the server thread, kept: on sale.
      expect((await check()).map((i) => i.status)).toEqual(['on_sale']);
      const sold = await counter.post('/api/sales', {
        id: uuidv7(),
        tillId,
        number: 1,
        createdAt: new Date().toISOString(),
        lines: [{ productId, quantity: 1, unitPriceCents: 1200 }],
        payments: [{ method: 'cash', amountCents: 1200 }],
        totalCents: 1200,
      });
      expect(sold.status, JSON.stringify(sold.body)).toBe(201);
      await expect(check()).rejects.toThrow(/déjà vendu/);
    } finally {
      reads.askVersionEvery(250);
    }
  });

  it('sees what a third connection writes (the CLI): a session ended there ends here', async () => {
    const { client } = await aUser(shop, 'manager');
    expect((await client.get('/api/auth/me')).status).toBe(200);
    const cli = new SQLite(path.join(shop.dataDir, 'comptoir.sqlite'));
    try {
      cli.pragma('busy_timeout = 5000');
      cli
        .prepare(
          "update sessions set expires_at = '2000-01-01T00:00:00.000Z' where user_id = (select id from users where login like 'manager%' order by id desc limit 1)",
        )
        .run();
    } finally {
      cli.close();
    }
    await until('the session ended by another connection', async () => (await client.get('/api/auth/me')).status === 401, 3000);
  });

  it('takes a backup while another connection writes all the time (a stepped copy would start again forever)', async () => {
    const file = path.join(shop.dataDir, 'comptoir.sqlite');
    const other = new SQLite(file);
    other.pragma('busy_timeout = 5000');
    // A file of well over 100 pages (SQLite's backup copies 100 a step by default): 300 rows of 4 KB.
    other.exec('create table if not exists backup_probe (x blob)');
    const fill = other.prepare('insert into backup_probe (x) values (?)');
    other.transaction(() => {
      for (let i = 0; i < 300; i++) fill.run(Buffer.alloc(4096, i));
    })();
    // Between every two turns of the event loop, a commit by another connection (as the writer thread does).
    let writing = true;
    let commits = 0;
    const write = () => {
      if (!writing) return;
      fill.run(Buffer.alloc(16));
      commits++;
      setImmediate(write);
    };
    setImmediate(write);
    try {
      const backup = await createBackup(shop.server.database.sqlite!, path.join(shop.dataDir, 'backups'), new Date());
      expect(commits).toBeGreaterThan(0);
      const copy = new SQLite(backup.file, { readonly: true });
      try {
        expect(copy.pragma('integrity_check', { simple: true })).toBe('ok');
        expect((copy.prepare('select count(*) as n from backup_probe where length(x) = 4096').get() as { n: number }).n).toBe(300);
      } finally {
        copy.close();
      }
    } finally {
      writing = false;
      other.close();
    }
  });

  async function levelOf(productId: number): Promise<number> {
    const found = (await shop.admin.get('/api/products?q=chataignier')).body as { id: number; onHand: number }[];
    return found.find((p) => p.id === productId)!.onHand;
  }
});
