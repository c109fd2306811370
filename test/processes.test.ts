/**
 * Several server processes on one PostgreSQL database (issue 23): 4 processes, 20 tills selling across them,
 * one process killed with SIGKILL mid-burst. No acknowledged ticket lost or doubled, every till's chain
 * gapless, the print queue taken over by another process, and realtime events reaching a client connected to
 * a process other than the one that recorded the ticket. Runs in the PostgreSQL project only (SQLite has one
 * process by design: WORKERS > 1 is refused without DATABASE_URL).
 */
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import tls from 'node:tls';
import { io, type Socket } from 'socket.io-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ClientToServerEvents, SaleRecordedEvent, ServerToClientEvents } from '../shared/realtime.ts';
import { loadConfig } from '../server/config.ts';
import { startChildServer, type ChildServer } from './support/child-server.ts';
import { ADMIN, aProducer, aProduct, aShopDataDir, Client, dropTestDatabase, shopEnv, testEngine } from './support/harness.ts';
import { postgresAdmin } from '../db/engine.ts';
import { shopSql } from './support/shop-sql.ts';
import { uuidv7 } from './support/tickets.ts';

const PROCESSES = 4;
const TILLS = 20;
const TICKETS = 1200;
const KILL_AFTER = 300;

type S = Socket<ServerToClientEvents, ClientToServerEvents>;

describe.skipIf(testEngine !== 'postgres')('4 server processes on one PostgreSQL database, one killed mid-burst', () => {
  let dataDir: string;
  const servers: ChildServer[] = [];
  // Each process its own number (its start and stop in the log), the owner's lock asked for every 200 ms. The
  // per-address limit is off: 20 tablets pairing from this one address would meet it (a shop's tablets each
  // have their own; the limit across processes is tested below).
  const start = (slot: number) =>
    startChildServer(dataDir, { WORKER_ID: String(slot), OWNER_POLL_MS: '200', DRAWER_MAX_DELAY_MS: '600000', RATE_LIMIT: 'off' });

  beforeAll(async () => {
    dataDir = await aShopDataDir('comptoir-processes-');
    // The first process alone first: it holds the duties (print queue, witness) when the burst starts.
    servers.push(await start(1));
    servers.push(...(await Promise.all([2, 3, 4].map(start))));
  }, 120_000);
  afterAll(async () => {
    await Promise.all(servers.map((s) => s.stop().catch(() => undefined)));
    await dropTestDatabase(dataDir);
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  it(`keeps ${TICKETS} tickets from ${TILLS} tills across a SIGKILL of the owning process: none lost or doubled, chains gapless, prints taken over, events across processes`, async () => {
    const admin = new Client(servers[0]!.url);
    await admin.post('/api/auth/login', ADMIN);
    const producer = await aProducer(admin, { name: 'Ferme' });
    const miel = await aProduct(admin, { name: 'Miel', producerId: producer.id, priceCents: 950 });
    await admin.post('/api/stock/deposits', { producerId: producer.id, lines: [{ productId: miel.id, quantity: 100_000 }] });
    // Till 1's drawer opens on each of its cash sales: a print job each, for whoever owns the print queue
    // (the printer writes each job to a file in DATA_DIR/prints).
    const printer = await admin.post('/api/printers', { name: 'Caisse 1', role: 'receipt', uri: 'file:prints', drawer: true });
    expect(printer.status).toBe(201);
    expect((await admin.patch('/api/tills/1', { printerId: printer.body.id })).status).toBe(200);
    await admin.post('/api/users', { displayName: 'Caisse', role: 'cashier', pin: '2468' });

    // Each till talks to one process (as a proxy would spread them), and to the next one if it dies.
    const tills: { client: Client; tillId: number; server: number }[] = [];
    for (let i = 0; i < TILLS; i++) {
      const tillId = i === 0 ? 1 : (await admin.post('/api/tills', { outlet: 'shop', name: `Caisse ${i + 1}` })).body.id;
      const code = (await admin.post(`/api/tills/${tillId}/pairing-code`)).body.code;
      const server = i % PROCESSES;
      const client = new Client(servers[server]!.url);
      expect((await client.post('/api/devices/pair', { code })).status).toBeLessThan(300);
      expect((await client.post('/api/auth/pin', { tillId, pin: '2468' })).status).toBe(200);
      tills.push({ client, tillId, server });
    }

    // A manager's screen connected to the third process hears of every ticket, whichever process took it.
    const watcher = new Client(servers[2]!.url);
    await watcher.post('/api/auth/login', ADMIN);
    const socket: S = await new Promise((resolve, reject) => {
      const s: S = io(servers[2]!.url, {
        transports: ['websocket'],
        extraHeaders: { cookie: watcher.cookieHeader() },
        reconnection: false,
      });
      s.once('connect', () => resolve(s));
      s.once('connect_error', reject);
    });
    const heard = new Set<string>();
    socket.on('sale:recorded', (e: SaleRecordedEvent) => heard.add(e.id));

    const acknowledged = new Set<string>();
    /** Tickets first recorded (201) by a process that never died, other than the watcher's own. */
    const recordedElsewhere = new Set<string>();
    let issued = 0;
    let killed = false;
    let retries = 0;
    await Promise.all(
      tills.map(async (till) => {
        let number = 0;
        while (issued < TICKETS) {
          issued++;
          // 3 jars of honey at 9.50: 28.50, cash on till 1 (its drawer opens), card elsewhere.
          const ticket = {
            id: uuidv7(),
            tillId: till.tillId,
            number: ++number,
            createdAt: new Date().toISOString(),
            lines: [{ productId: miel.id, quantity: 3, unitPriceCents: 950 }],
            payments: [{ method: till.tillId === 1 ? 'cash' : 'card', amountCents: 2850 }],
            totalCents: 2850,
          };
          for (;;) {
            try {
              till.client.baseUrl = servers[till.server]!.url;
              const res = await till.client.post('/api/sales', ticket);
              if (res.status !== 201 && res.status !== 200)
                throw new Error(`unexpected ${res.status} ${JSON.stringify(res.body)}\n${servers[till.server]!.output().slice(-3000)}`);
              acknowledged.add(ticket.id);
              if (res.status === 201 && (till.server === 1 || till.server === 3)) recordedElsewhere.add(ticket.id);
              if (!killed && acknowledged.size >= KILL_AFTER) {
                killed = true;
                await servers[0]!.kill();
              }
              break;
            } catch (e) {
              if ((e as Error).message.startsWith('unexpected')) throw e;
              retries++;
              // The process is gone: this till goes to the next one, its ticket sent again unchanged.
              if (till.server === 0 && killed) till.server = 1;
              await new Promise((r) => setTimeout(r, 50));
            }
          }
        }
      }),
    );
    expect(killed).toBe(true);
    // The tills of the killed process met it gone and sent their ticket again to another.
    expect(retries).toBeGreaterThan(0);
    expect(acknowledged.size).toBe(TICKETS);

    // Till 1's drawer pulses: printed by the process that took the duties over (none left waiting).
    const q = await shopSql(dataDir, { readonly: true });
    const deadline = Date.now() + 20_000;
    let jobs: { status: string; n: number }[] = [];
    for (;;) {
      jobs = await q.all<{ status: string; n: number }>(`select status, count(*) as n from print_jobs group by status order by status`);
      if (!jobs.some((j) => j.status === 'queued' || j.status === 'printing') || Date.now() > deadline) break;
      await new Promise((r) => setTimeout(r, 200));
    }
    const till1 = (await q.get<{ n: number }>(`select count(*) as n from sales where till_id = 1`))!.n;
    expect(till1).toBeGreaterThan(0);
    // One drawer job per cash sale of till 1, every one printed. A pulse is asked for after the ticket's commit:
    // a ticket of till 1 committed by the killed process in the instant before it died opens nothing when its
    // till sends it again (a replayed ticket never opens the drawer late), so at most one may lack its job.
    expect(jobs.map((j) => j.status)).toEqual(['done']);
    expect(jobs[0]!.n).toBeGreaterThanOrEqual(till1 - 1);
    expect(jobs[0]!.n).toBeLessThanOrEqual(till1);
    // Printed after the kill too: some jobs were created after the owner died, by the surviving processes.
    expect(fs.readdirSync(path.join(dataDir, 'prints')).length).toBeGreaterThanOrEqual(jobs[0]!.n);

    // Every acknowledged ticket is there once, nothing else; stock moved once per ticket.
    const ids = (await q.all<{ id: string }>('select id from sales')).map((r) => r.id);
    expect(ids.length).toBe(TICKETS);
    expect(new Set(ids)).toEqual(acknowledged);
    expect(await q.get(`select sum(quantity) as q, count(*) as n from stock_movements where kind = 'sale'`)).toEqual({
      q: -3 * TICKETS,
      n: TICKETS,
    });
    // Numbers 1…n on every till, no gap, no repeat.
    const perTill = await q.all<{ till_id: number; n: number; lo: number; hi: number }>(
      `select till_id, count(*) as n, min(number) as lo, max(number) as hi from sales group by till_id order by till_id`,
    );
    expect(perTill).toHaveLength(TILLS);
    for (const t of perTill) expect({ till: t.till_id, lo: t.lo, hi: t.hi }).toEqual({ till: t.till_id, lo: 1, hi: t.n });
    // Each process recorded its start under its own number.
    const starts = await q.all<{ subject: string }>(`select distinct subject from events where kind = 'system.started' order by subject`);
    expect(starts.map((s) => s.subject.replace(/^version:[^/]+/, ''))).toEqual(['/worker:1', '/worker:2', '/worker:3', '/worker:4']);
    await q.close();

    // The killed process started again says its own last stop was not clean (its marker was left); the
    // others' clean runs say nothing of it.
    servers[0] = await start(1);
    const after = await shopSql(dataDir, { readonly: true });
    const restarts = await after.all<{ data: string }>(
      `select data from events where kind = 'system.started' and subject like '%/worker:1' order by id`,
    );
    await after.close();
    expect(restarts.map((r) => (typeof r.data === 'string' ? JSON.parse(r.data) : r.data).previousStopClean)).toEqual([null, false]);

    // The watcher, on process 3, heard every ticket processes 2 and 4 recorded.
    await new Promise((r) => setTimeout(r, 1000));
    socket.close();
    expect(recordedElsewhere.size).toBeGreaterThan(100);
    expect([...recordedElsewhere].filter((id) => !heard.has(id))).toEqual([]);

    // A Z is signed before it is answered, whatever process takes it: the one holding the duties signs it
    // itself, another waits for the owner's signature (three outlets through three processes: at least two
    // of them do not hold the duties).
    const today = new Date().toLocaleDateString('sv-SE', { timeZone: 'Europe/Paris' });
    for (const [i, outlet] of (['restaurant', 'textile', 'epicerie'] as const).entries()) {
      const manager = new Client(servers[i + 1]!.url);
      await manager.post('/api/auth/login', ADMIN);
      const z = await manager.post('/api/closings/day', { outlet, day: today, cashCountedCents: 0, confirmEarly: true });
      expect(z.status).toBe(201);
      const check = await shopSql(dataDir, { readonly: true });
      expect(await check.get(`select count(*) as n from closings where signature is null`)).toEqual({ n: 0 });
      await check.close();
    }

    // The whole journal verifies: chains, signatures of the heads, totals.
    const report = (await watcher.get('/api/journal/verify')).body;
    expect(report).toMatchObject({ ok: true, tickets: TICKETS, grandTotalCents: 2850 * TICKETS, problems: [] });
  }, 240_000);
});

describe.skipIf(testEngine !== 'postgres')('WORKERS=2: one port, two server processes (node:cluster)', () => {
  let dataDir: string;
  let server: ChildServer;
  beforeAll(async () => {
    dataDir = await aShopDataDir('comptoir-workers-');
    server = await startChildServer(dataDir, { WORKERS: '2', OWNER_POLL_MS: '200' });
  }, 120_000);
  afterAll(async () => {
    await server.stop().catch(() => undefined);
    await dropTestDatabase(dataDir);
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  // Found by an attack: a logout re-checked the connections of the process that served it only; on the other,
  // the manager's screen heard the tickets for up to 15 s more.
  it('ends a logged-out manager’s live connections on both processes at once', async () => {
    const manager = new Client(server.url);
    expect((await manager.post('/api/auth/login', ADMIN)).status).toBe(200);
    // Four connections, handed out in turn: both processes hold some.
    const sockets: S[] = await Promise.all(
      [0, 1, 2, 3].map(
        () =>
          new Promise<S>((resolve, reject) => {
            const s: S = io(server.url, {
              transports: ['websocket'],
              forceNew: true,
              reconnection: false,
              extraHeaders: { cookie: manager.cookieHeader() },
            });
            s.once('connect', () => resolve(s));
            s.once('connect_error', reject);
          }),
      ),
    );
    const closed = sockets.map((s) => new Promise<number>((resolve) => s.once('disconnect', () => resolve(Date.now()))));
    const at = Date.now();
    expect((await manager.post('/api/auth/logout')).status).toBeLessThan(300);
    const times = await Promise.race([Promise.all(closed), new Promise<null>((r) => setTimeout(() => r(null), 10_000))]);
    // Every one of them within a few seconds (the timer of each process is 15 s).
    expect(times).not.toBeNull();
    expect(Math.max(...times!) - at).toBeLessThan(5_000);
  }, 60_000);

  it('serves from both processes on one port, says so once, and stops both cleanly on SIGTERM', async () => {
    // The primary prints the banner once, naming the processes.
    expect(server.output().match(/Ouvert sur/g)).toHaveLength(1);
    expect(server.output()).toMatch(/Processus\s+2 \(PostgreSQL\)/);
    // Connections are handed out in turn: new connections reach both processes (a request id starts with its
    // process's own prefix), and a login made through one is known to the other (sessions are in the database).
    const prefixes = new Set<string>();
    const admin = new Client(server.url);
    expect((await admin.post('/api/auth/login', ADMIN)).status).toBe(200);
    for (let i = 0; i < 20 && prefixes.size < 2; i++) {
      const res = await fetch(server.url + '/api/auth/me', { headers: { connection: 'close', cookie: admin.cookieHeader() } });
      expect(res.status).toBe(200);
      prefixes.add(res.headers.get('x-request-id')!.split('-')[0]!);
    }
    expect(prefixes.size).toBe(2);

    // A tablet that knows the server by a name the certificate lacks (the router's name for it): whichever
    // process each connection reaches, the name is added by the process holding the duties, and served.
    const ca = fs.readFileSync(path.join(dataDir, 'tls', 'ca.crt'), 'utf8');
    const port = Number(new URL(server.url).port);
    for (let i = 0; i < 6; i++) {
      const names = await new Promise<string>((resolve, reject) => {
        const socket = tls.connect({ host: '127.0.0.1', port, servername: 'shop.lan', ca }, () => {
          resolve(socket.getPeerCertificate().subjectaltname ?? '');
          socket.end();
        });
        socket.on('error', reject);
      });
      expect(names).toContain('DNS:shop.lan');
    }

    // The per-address limit is counted once for both processes (in the database): 40 wrong logins from this
    // address, on new connections spread over both, meet the burst of 30 (plus one per 2 s of refill). Each
    // process counting alone would have let all 40 through (about 20 each).
    const started = Date.now();
    const statuses: number[] = [];
    for (let i = 0; i < 40; i++) {
      const res = await fetch(server.url + '/api/auth/login', {
        method: 'POST',
        headers: { connection: 'close', 'content-type': 'application/json', origin: server.url },
        body: JSON.stringify({ login: 'personne', password: `essai-${i}-mot-de-passe` }),
      });
      statuses.push(res.status);
    }
    const answered = statuses.filter((x) => x === 401).length;
    // The admin's login above took one token.
    expect(answered).toBeLessThanOrEqual(29 + Math.ceil((Date.now() - started) / 2000));
    expect(statuses.filter((x) => x === 429).length).toBe(40 - answered);
    expect(answered).toBeLessThan(40);
    await server.stop();
    const q = await shopSql(dataDir, { readonly: true });
    const runs = await q.all<{ kind: string; subject: string }>(
      `select kind, subject from events where kind in ('system.started', 'system.stopped') order by id`,
    );
    await q.close();
    const of = (kind: string) =>
      runs
        .filter((r) => r.kind === kind)
        .map((r) => r.subject.replace(/^version:[^/]+/, ''))
        .sort();
    expect(of('system.started')).toEqual(['/worker:1', '/worker:2']);
    expect(of('system.stopped')).toEqual(['/worker:1', '/worker:2']);
  }, 120_000);
});

describe.skipIf(testEngine !== 'postgres')('WORKERS=2 whose processes cannot start', () => {
  // Found by a probe of a hosted server on a database it could not write: the primary started its processes
  // again every half second, for ever, and never said why. Here their port is taken.
  it('tries 5 times, each retry waiting twice as long, then stops saying why (exit 1)', async () => {
    const dataDir = await aShopDataDir('comptoir-workers-taken-');
    const taken = net.createServer();
    const port = await new Promise<number>((resolve) =>
      taken.listen(0, '127.0.0.1', () => resolve((taken.address() as net.AddressInfo).port)),
    );
    const started = Date.now();
    try {
      // Five starts of two processes each, 15,5 s of waits between them: more than a minute on a loaded machine.
      const failed = await startChildServer(dataDir, { WORKERS: '2', PORT: String(port) }, [], { startTimeoutMs: 150_000 }).then(
        () => null,
        (e: Error) => e.message,
      );
      expect(failed).toMatch(/^server exited with 1/);
      expect(failed).toContain('EADDRINUSE');
      expect(failed).toContain('Les processus du serveur s’arrêtent dès leur démarrage (5 essais)');
      // The retries waited 0,5 + 1 + 2 + 4 = 7,5 s at least.
      expect(Date.now() - started).toBeGreaterThan(7_500);
    } finally {
      taken.close();
      await dropTestDatabase(dataDir);
      fs.rmSync(dataDir, { recursive: true, force: true });
    }
  }, 180_000);
});

describe('several processes need PostgreSQL', () => {
  it('refuses WORKERS=2 on the embedded SQLite file, naming the setting', () => {
    expect(() => loadConfig({ DATA_DIR: '/tmp/x', WORKERS: '2' })).toThrow(/WORKERS = "2" : plusieurs processus demandent PostgreSQL/);
    expect(loadConfig({ DATA_DIR: '/tmp/x', WORKERS: '2', DATABASE_URL: 'postgres://u:p@h/db' }).WORKERS).toBe(2);
  });
});

// Found by an attack: PostgreSQL restarted (or a pooler dropping connections) ends every session of the
// server; a connection in use then had no listener for its error, which became the process's uncaught
// exception. Every process died at once.
describe.skipIf(testEngine !== 'postgres')('PostgreSQL ending the server’s connections while tills sell', () => {
  let dataDir: string;
  let server: ChildServer;
  beforeAll(async () => {
    dataDir = await aShopDataDir('comptoir-pg-terminate-');
    server = await startChildServer(dataDir, { OWNER_POLL_MS: '200', RATE_LIMIT: 'off' });
  }, 120_000);
  afterAll(async () => {
    await server.stop().catch(() => undefined);
    await dropTestDatabase(dataDir);
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  it('answers, keeps running, and records every ticket once when sent again', async () => {
    const admin = new Client(server.url);
    await admin.post('/api/auth/login', ADMIN);
    const producer = await aProducer(admin, { name: 'Ferme' });
    const miel = await aProduct(admin, { name: 'Miel', producerId: producer.id, priceCents: 950 });
    await admin.post('/api/users', { displayName: 'Caisse', role: 'cashier', pin: '2468' });
    const tills: { client: Client; tillId: number; number: number }[] = [];
    for (let i = 0; i < 4; i++) {
      const tillId = i === 0 ? 1 : (await admin.post('/api/tills', { outlet: 'shop', name: `Caisse ${i + 1}` })).body.id;
      const code = (await admin.post(`/api/tills/${tillId}/pairing-code`)).body.code;
      const client = new Client(server.url);
      expect((await client.post('/api/devices/pair', { code })).status).toBeLessThan(300);
      expect((await client.post('/api/auth/pin', { tillId, pin: '2468' })).status).toBe(200);
      tills.push({ client, tillId, number: 0 });
    }
    const database = new URL(shopEnv(dataDir).DATABASE_URL!).pathname.slice(1);
    const terminate = () =>
      postgresAdmin(
        process.env.TEST_DATABASE_URL!,
        `select pg_terminate_backend(pid) from pg_stat_activity where datname = '${database}' and pid <> pg_backend_pid()`,
      );
    // Each till sells 25 tickets one after the other, sending each again until it is answered (as the outbox
    // does), while every connection of the server is ended five times.
    const sell = async (t: (typeof tills)[number]) => {
      for (let i = 0; i < 25; i++) {
        const ticket = {
          id: uuidv7(),
          tillId: t.tillId,
          number: ++t.number,
          createdAt: new Date().toISOString(),
          lines: [{ productId: miel.id, quantity: 1, unitPriceCents: 950 }],
          payments: [{ method: 'card', amountCents: 950 }],
          totalCents: 950,
        };
        for (let attempt = 0; ; attempt++) {
          const res = await t.client.post('/api/sales', ticket).catch(() => ({ status: 0 }));
          if (res.status === 201 || res.status === 200) break;
          // Answered, never a crash: 500 or 503 while the connections are gone.
          expect([0, 500, 503]).toContain(res.status);
          expect(attempt).toBeLessThan(200);
          await new Promise((r) => setTimeout(r, 50));
        }
      }
    };
    const selling = Promise.all(tills.map(sell));
    for (let i = 0; i < 5; i++) {
      await new Promise((r) => setTimeout(r, 150));
      await terminate();
    }
    await selling;
    expect(server.process.exitCode).toBeNull();
    expect(server.output()).not.toMatch(/uncaughtException/);
    // Every ticket once, every till numbered 1…25.
    const q = await shopSql(dataDir, { readonly: true });
    const rows = await q.all<{ till_id: number; n: number; lowest: number; highest: number }>(
      `select till_id, count(*) as n, min(number) as lowest, max(number) as highest from sales group by till_id order by till_id`,
    );
    await q.close();
    expect(rows.map((r) => [Number(r.n), Number(r.lowest), Number(r.highest)])).toEqual(tills.map(() => [25, 1, 25]));
  }, 120_000);
});
