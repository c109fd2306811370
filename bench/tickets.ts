/**
 * Ticket throughput over HTTP at 1, 10 and 50 concurrent tills, beside a baseline that writes the same rows
 * with bare better-sqlite3 (one transaction per ticket, same pragmas) in the same run.
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import https from 'node:https';
import net from 'node:net';
import tls from 'node:tls';
import os from 'node:os';
import path from 'node:path';
import { createPostgresDatabase, postgresAdmin } from '../db/engine.ts';
import { openDatabase, openSqlite, openStore } from '../db/database.ts';
import { loadConfig } from '../server/config.ts';
import { startChildServer } from '../test/support/child-server.ts';
import { createAdmin, createShopBase } from '../server/shop/setup.ts';
import { summarize } from './stats.ts';

function uuidv7(): string {
  const b = crypto.randomBytes(16);
  b.writeUIntBE(Date.now(), 0, 6);
  b[6] = (b[6]! & 0x0f) | 0x70;
  b[8] = (b[8]! & 0x3f) | 0x80;
  const h = b.toString('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}

/**
 * A till's HTTP client: node:http on a keep-alive connection (fetch costs the bench process about 1 ms of
 * CPU a request, and on this 2-core machine the clients share the CPU with the server they measure).
 */
class Session {
  cookies: string[] = [];
  private readonly agent: http.Agent;
  private readonly url: URL;
  /** `tls`: the same port over HTTPS, by the name a tablet uses, trusting the shop's CA. */
  constructor(
    readonly base: string,
    private readonly tlsOptions?: { ca: string; servername: string },
  ) {
    this.url = new URL(base);
    this.agent = tlsOptions
      ? new https.Agent({ keepAlive: true, maxSockets: 1, ca: tlsOptions.ca, servername: tlsOptions.servername })
      : new http.Agent({ keepAlive: true, maxSockets: 1 });
  }
  call(method: string, path: string, body?: unknown): Promise<{ status: number; body: any }> {
    const payload = body === undefined ? undefined : JSON.stringify(body);
    return new Promise((resolve, reject) => {
      const req = (this.tlsOptions ? https : http).request(
        {
          host: this.url.hostname,
          port: this.url.port,
          path,
          method,
          agent: this.agent,
          headers: {
            'content-type': 'application/json',
            cookie: this.cookies.join('; '),
            ...(this.tlsOptions ? { host: `${this.tlsOptions.servername}:${this.url.port}` } : {}),
            ...(payload ? { 'content-length': Buffer.byteLength(payload) } : {}),
          },
        },
        (res) => {
          for (const c of res.headers['set-cookie'] ?? []) {
            const pair = c.split(';')[0]!;
            const name = pair.split('=')[0]!;
            this.cookies = [...this.cookies.filter((x) => !x.startsWith(name + '=')), pair];
          }
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('end', () => {
            const text = Buffer.concat(chunks).toString();
            resolve({ status: res.statusCode ?? 0, body: text ? JSON.parse(text) : null });
          });
          res.on('error', reject);
        },
      );
      req.on('error', reject);
      req.end(payload);
    });
  }
  /**
   * The same request on a socket of its own, written and read by hand: what the bench measures is the
   * server, and node:http's client costs about 0.2 ms of CPU a request on the 2 cores the server needs. The
   * request is HTTP/1.1 as node's client writes it (keep-alive, a length); the answer is read by its
   * Content-Length (the API always gives one) and its cookies kept.
   */
  fast(method: string, path: string, body: unknown): Promise<{ status: number; body: any }> {
    const payload = Buffer.from(JSON.stringify(body));
    const host = this.tlsOptions ? `${this.tlsOptions.servername}:${this.url.port}` : this.url.host;
    const head = `${method} ${path} HTTP/1.1\r\nhost: ${host}\r\ncontent-type: application/json\r\ncookie: ${this.cookies.join('; ')}\r\ncontent-length: ${payload.length}\r\nconnection: keep-alive\r\n\r\n`;
    return new Promise((resolve, reject) => {
      this.waiting = { resolve, reject };
      this.wire().write(Buffer.concat([Buffer.from(head), payload]));
    });
  }
  private socket: net.Socket | null = null;
  private received: Buffer = Buffer.alloc(0);
  private waiting: { resolve: (r: { status: number; body: any }) => void; reject: (e: Error) => void } | null = null;
  private wire(): net.Socket {
    if (this.socket && !this.socket.destroyed) return this.socket;
    const port = Number(this.url.port);
    const socket = this.tlsOptions
      ? tls.connect({ host: this.url.hostname, port, ca: this.tlsOptions.ca, servername: this.tlsOptions.servername })
      : net.connect({ host: this.url.hostname, port });
    socket.setNoDelay(true);
    socket.on('data', (chunk: Buffer) => {
      this.received = this.received.length ? Buffer.concat([this.received, chunk]) : chunk;
      const end = this.received.indexOf('\r\n\r\n');
      if (end < 0) return;
      const lines = this.received.subarray(0, end).toString('latin1').split('\r\n');
      let length = 0;
      for (const line of lines) {
        const colon = line.indexOf(':');
        const name = line.slice(0, colon).toLowerCase();
        if (name === 'content-length') length = Number(line.slice(colon + 1));
        else if (name === 'set-cookie') {
          const pair = line
            .slice(colon + 1)
            .trim()
            .split(';')[0]!;
          const cookie = pair.split('=')[0]!;
          this.cookies = [...this.cookies.filter((x) => !x.startsWith(cookie + '=')), pair];
        }
      }
      if (this.received.length < end + 4 + length) return;
      const text = this.received.subarray(end + 4, end + 4 + length).toString();
      this.received = this.received.subarray(end + 4 + length);
      const waiting = this.waiting;
      this.waiting = null;
      waiting?.resolve({ status: Number(lines[0]!.split(' ')[1]), body: text ? JSON.parse(text) : null });
    });
    socket.on('error', (e) => this.waiting?.reject(e));
    socket.on('close', () => this.waiting?.reject(new Error('connection closed')));
    return (this.socket = socket);
  }
  close() {
    this.agent.destroy();
    this.socket?.destroy();
  }
}

// Three lines, like a typical basket: bread, 450 g of cheese, two beers; 5.5 % and 20 %.
export const basket = (ids: { pain: number; tomme: number; biere: number }, tillId: number, number: number) => ({
  id: uuidv7(),
  tillId,
  number,
  createdAt: new Date().toISOString(),
  lines: [
    { productId: ids.pain, quantity: 1, unitPriceCents: 520 },
    { productId: ids.tomme, grams: 450, unitPriceCents: 2490 },
    { productId: ids.biere, quantity: 2, unitPriceCents: 320 },
  ],
  payments: [{ method: 'cash', amountCents: 3000 }],
  // 520 + round(2490 × 0.45 = 1120.5) = 1121 + 640 = 2281
  totalCents: 2281,
});

/** utime + stime of a `/proc/…/stat` file, in seconds (fields 14 and 15, clock ticks of 1/100 s on Linux). */
function statSeconds(file: string): number {
  const fields = fs.readFileSync(file, 'utf8').split(') ')[1]!.split(' ');
  return (Number(fields[11]) + Number(fields[12])) / 100;
}

/**
 * CPU time (user + system) a process and its children (WORKERS: the server processes under the primary)
 * have used so far, from /proc (Linux).
 */
function cpuSecondsOf(pid: number): number {
  try {
    let seconds = statSeconds(`/proc/${pid}/stat`);
    const children = fs.readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8').trim();
    for (const child of children ? children.split(' ') : []) seconds += cpuSecondsOf(Number(child));
    return seconds;
  } catch {
    return Number.NaN;
  }
}

/** CPU time of a process's main thread alone (a single-process server's JavaScript and SQLite), from /proc. */
function mainThreadCpu(pid: number): number {
  try {
    return statSeconds(`/proc/${pid}/task/${pid}/stat`);
  } catch {
    return Number.NaN;
  }
}

/**
 * Tickets sold (and baseline rows written) before anything is measured: a shop's server runs for days, and
 * compiling its hot code takes the first thousand tickets or so, most of it on V8's other threads.
 */
const WARMUP = Number(process.env.BENCH_WARMUP ?? 1000);

/** The benches' shop: who it is matters to nothing measured. */
export const BENCH_IDENTITY = {
  name: 'Bench',
  legalName: 'Bench',
  address: '1 rue',
  postalCode: '81100',
  city: 'Castres',
  siret: '73282932000074',
  vatNumber: 'FR44732829320',
  phone: '',
  email: '',
  receiptFooter: '',
};

/**
 * The server as it runs in a shop: the tests' child server checks every reply against its schema
 * (CHECK_RESPONSES=on, a JSON round trip and a zod parse per request), which a shop's server does not.
 */
export const AS_IN_A_SHOP = { CHECK_RESPONSES: 'off' } as const;

/**
 * `postgres`: the same run on PostgreSQL (a new database on the server that address names, dropped after),
 * without the SQLite baseline; its lines say PostgreSQL.
 */
export async function benchTickets(
  levels = [1, 10, 50],
  perLevel = 2000,
  httpsLevels = [1, 10],
  options: { postgres?: string; processes?: number; ticketWriter?: 'thread' | 'inline' } = {},
) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'comptoir-bench-tickets-'));
  const database = options.postgres ? await benchDatabase(options.postgres) : null;
  const config = loadConfig({
    DATA_DIR: dir,
    PORT: '0',
    HOST: '127.0.0.1',
    BACKUP_HOUR: 'off',
    MDNS: 'off',
    ...(database ? { DATABASE_URL: database.url } : {}),
  });
  const setup = await openStore(config.dbTarget);
  const now = new Date();
  await createShopBase(setup.db, 'real', BENCH_IDENTITY, now);
  await createAdmin(setup.db, { login: 'bench', password: 'bench-password' }, now);
  await setup.close();
  // The server in its own process, as in the shop: the clients here do not share its event loop.
  // BENCH_PROFILE=dir writes a CPU profile of the server; BENCH_NODE_ARGS passes more flags to its node.
  const nodeArgs = [
    ...(process.env.BENCH_PROFILE ? ['--cpu-prof', `--cpu-prof-dir=${process.env.BENCH_PROFILE}`] : []),
    ...(process.env.BENCH_NODE_ARGS?.split(' ').filter(Boolean) ?? []),
  ];
  // Fifty tills from one loopback address would meet the per-address login limit (a shop's tablets each
  // have their own address): it is off here, where what is measured is tickets, not logins.
  const processes = options.processes ?? 1;
  const server = await startChildServer(
    dir,
    {
      ...AS_IN_A_SHOP,
      RATE_LIMIT: 'off',
      ...(database ? { DATABASE_URL: database.url } : {}),
      ...(processes > 1 ? { WORKERS: String(processes) } : {}),
      ...(options.ticketWriter ? { TICKET_WRITER: options.ticketWriter } : {}),
    },
    nodeArgs,
  );
  const engine = database
    ? ` [PostgreSQL, ${processes} process${processes > 1 ? 'es' : ''}]`
    : options.ticketWriter === 'inline'
      ? ' [written on the server thread]'
      : '';
  const results: string[] = [];
  const rates = new Map<number, number>();
  const tills: { session: Session; tillId: number; next: number }[] = [];
  try {
    const admin = new Session(server.url);
    await admin.call('POST', '/api/auth/login', { login: 'bench', password: 'bench-password' });
    const producer = (
      await admin.call('POST', '/api/producers', {
        name: 'Ferme',
        legalName: 'Ferme',
        siret: '73282932000074',
        vatStatus: 'subject',
        commissionBp: 2000,
      })
    ).body;
    const mk = async (body: object) => (await admin.call('POST', '/api/products', body)).body.id as number;
    const ids = {
      pain: await mk({ name: 'Pain', producerId: producer.id, unit: 'piece', priceCents: 520, vatRateBp: 550 }),
      tomme: await mk({ name: 'Tomme', producerId: producer.id, unit: 'kg', priceCents: 2490, vatRateBp: 550 }),
      biere: await mk({ name: 'Bière', producerId: null, unit: 'piece', priceCents: 320, vatRateBp: 2000 }),
    };
    await admin.call('POST', '/api/users', { displayName: 'Caisse', role: 'cashier', pin: '1234' });
    const maxLevel = Math.max(...levels);
    const tillIds: number[] = [];
    for (let i = 0; i < maxLevel; i++)
      tillIds.push(i === 0 ? 1 : (await admin.call('POST', '/api/tills', { outlet: 'shop', name: `Caisse ${i + 1}` })).body.id);
    const pairAll = async (count: number, tlsOptions?: { ca: string; servername: string }) => {
      for (const t of tills) t.session.close();
      tills.length = 0;
      for (const tillId of tillIds.slice(0, count)) {
        const code = (await admin.call('POST', `/api/tills/${tillId}/pairing-code`)).body.code;
        const s = new Session(server.url, tlsOptions);
        await s.call('POST', '/api/devices/pair', { code });
        const login = await s.call('POST', '/api/auth/pin', { tillId, pin: '1234' });
        if (login.status !== 200) throw new Error(`pin login ${login.status}`);
        const next = (await s.call('GET', '/api/devices/current')).body.lastNumber + 1;
        tills.push({ session: s, tillId, next });
      }
    };
    await pairAll(maxLevel);
    const runs: { level: number; scheme: 'HTTP' | 'HTTPS' }[] = [
      ...levels.map((level) => ({ level, scheme: 'HTTP' as const })),
      ...httpsLevels.map((level) => ({ level, scheme: 'HTTPS' as const })),
    ];
    const httpsRates = new Map<number, { rate: number; p50: number; p99: number }>();
    const httpRuns = new Map<number, { p50: number; p99: number }>();
    let onHttps = false;
    /** `count` tickets from the first `level` tills, each as soon as its last was answered; latencies kept. */
    const sell = (level: number, count: number, latencies: number[] = []) => {
      let remaining = count;
      return Promise.all(
        tills.slice(0, level).map(async (t) => {
          while (remaining > 0) {
            remaining--;
            const body = basket(ids, t.tillId, t.next++);
            const t0 = process.hrtime.bigint();
            const res = await t.session.fast('POST', '/api/sales', body);
            latencies.push(Number(process.hrtime.bigint() - t0) / 1e6);
            if (res.status !== 201) throw new Error(`sale ${res.status} ${JSON.stringify(res.body)}`);
          }
        }),
      );
    };
    if (levels.length) await sell(maxLevel, WARMUP);
    for (const { level, scheme } of runs) {
      if (scheme === 'HTTPS' && !onHttps) {
        onHttps = true;
        // The same tills again, each on a kept-alive TLS connection to `shop.lan`, trusting the shop's CA.
        await pairAll(Math.max(...httpsLevels), { ca: fs.readFileSync(path.join(dir, 'tls', 'ca.crt'), 'utf8'), servername: 'shop.lan' });
        await sell(Math.max(...httpsLevels), WARMUP / 2);
      }
      const latencies: number[] = [];
      const started = process.hrtime.bigint();
      const serverCpu0 = cpuSecondsOf(server.process.pid!);
      const main0 = mainThreadCpu(server.process.pid!);
      const clientCpu0 = process.cpuUsage();
      await sell(level, perLevel, latencies);
      const seconds = Number(process.hrtime.bigint() - started) / 1e9;
      const serverMs = ((cpuSecondsOf(server.process.pid!) - serverCpu0) * 1000) / perLevel;
      const mainMs = ((mainThreadCpu(server.process.pid!) - main0) * 1000) / perLevel;
      const clientUsage = process.cpuUsage(clientCpu0);
      const clientMs = (clientUsage.user + clientUsage.system) / 1000 / perLevel;
      const s = summarize(latencies);
      if (scheme === 'HTTP') {
        rates.set(level, perLevel / seconds);
        httpRuns.set(level, { p50: s.medianMs, p99: s.p99Ms });
      } else httpsRates.set(level, { rate: perLevel / seconds, p50: s.medianMs, p99: s.p99Ms });
      results.push(
        `tickets over ${scheme.padEnd(5)}, ${String(level).padStart(2)} concurrent till(s)${engine}: ${(perLevel / seconds).toFixed(0).padStart(6)} tickets/s   p50 ${s.medianMs.toFixed(2)} ms   p99 ${s.p99Ms.toFixed(2)} ms   CPU per ticket: server ${serverMs.toFixed(2)} ms${processes === 1 ? ` (its main thread ${mainMs.toFixed(2)})` : ''}, clients ${clientMs.toFixed(2)} ms${level === 10 && scheme === 'HTTP' ? `   (targets: ≥ 1000/s, p99 < 20 ms, server CPU ≤ 0.75 ms)` : ''}`,
      );
    }
    // The back office writing while 10 tills sell (a product created every 20 ms, on the server thread's own
    // connection): what a manager or a waiter waits for while the tickets hold the write lock.
    if (levels.includes(10) && !database) {
      const waits: number[] = [];
      let selling = true;
      const office = (async () => {
        for (let i = 0; selling; i++) {
          const t0 = process.hrtime.bigint();
          const res = await admin.call('POST', '/api/products', {
            name: `Confiture ${i}`,
            producerId: producer.id,
            unit: 'piece',
            priceCents: 450,
            vatRateBp: 550,
          });
          waits.push(Number(process.hrtime.bigint() - t0) / 1e6);
          if (res.status !== 201) throw new Error(`product ${res.status} ${JSON.stringify(res.body)}`);
          await new Promise((r) => setTimeout(r, 20));
        }
      })();
      const sold: number[] = [];
      await sell(10, perLevel, sold);
      selling = false;
      await office;
      const w = summarize(waits);
      const t = summarize(sold);
      results.push(
        `a back-office write while 10 tills sell${engine}: ${waits.length} writes, p50 ${w.medianMs.toFixed(2)} ms, p99 ${w.p99Ms.toFixed(2)} ms (the tickets meanwhile: p50 ${t.medianMs.toFixed(2)} ms, p99 ${t.p99Ms.toFixed(2)} ms)`,
      );
    }
    // The TLS cost, stated: HTTPS beside HTTP at the same concurrency, in this run.
    for (const [level, h] of httpsRates) {
      const plain = rates.get(level);
      const plainLat = httpRuns.get(level);
      const signed = (ms: number) => `${ms >= 0 ? '+' : '−'}${Math.abs(ms).toFixed(2)} ms`;
      if (plain && plainLat)
        results.push(
          `TLS cost at ${level} till(s): throughput ×${(h.rate / plain).toFixed(2)} of HTTP, p50 ${signed(h.p50 - plainLat.p50)}, p99 ${signed(h.p99 - plainLat.p99)}`,
        );
    }
    // A tablet's new connection (a reconnection after the Wi-Fi dropped): the full TLS handshake, P-256.
    const ca = fs.readFileSync(path.join(dir, 'tls', 'ca.crt'), 'utf8');
    const port = Number(new URL(server.url).port);
    const handshakes: number[] = [];
    for (let i = 0; i < 200; i++) {
      const t0 = process.hrtime.bigint();
      await new Promise<void>((resolve, reject) => {
        const socket = tls.connect({ host: '127.0.0.1', port, servername: 'shop.lan', ca }, () => {
          handshakes.push(Number(process.hrtime.bigint() - t0) / 1e6);
          socket.end();
          resolve();
        });
        socket.on('error', reject);
      });
    }
    const hs = summarize(handshakes);
    results.push(`TLS handshake (new connection, ECDSA P-256): p50 ${hs.medianMs.toFixed(2)} ms   p99 ${hs.p99Ms.toFixed(2)} ms`);
  } finally {
    for (const t of tills) t.session.close();
    await server.stop();
  }
  if (database) {
    await database.drop();
    fs.rmSync(dir, { recursive: true, force: true });
    return results;
  }

  // Baseline: the same rows, bare better-sqlite3, one transaction per ticket, FULL sync.
  const baseFile = path.join(dir, 'baseline.sqlite');
  fs.copyFileSync(config.dbFile, baseFile);
  const sqlite = openSqlite(baseFile);
  const insSale = sqlite.prepare(
    `insert into sales (id, till_id, training, number, chain_seq, outlet_id, cashier_id, kind, created_at, received_at, business_day, late, subtotal_cents, discount_cents, total_cents, change_cents, gap_before, body_hash, receipt_token, till_grand_total_cents, prev_hash, hash) values (?, 1, 0, ?, ?, 1, 2, 'sale', ?, ?, '2026-11-23', 0, 2281, 0, 2281, 719, 0, ?, ?, ?, ?, ?)`,
  );
  const insLine = sqlite.prepare(
    `insert into sale_lines (sale_id, line_no, product_id, name, producer_id, unit, quantity, unit_price_cents, gross_cents, line_discount_cents, ticket_discount_cents, total_cents, vat_rate_bp, business_day, training, kind, outlet_id) values (?, ?, ?, 'x', 1, 'piece', 1, 520, 520, 0, 0, 520, 550, '2026-11-23', 0, 'sale', 1)`,
  );
  const insPay = sqlite.prepare(`insert into sale_payments (sale_id, seq, method, amount_cents) values (?, 1, 'cash', 3000)`);
  const insVat = sqlite.prepare(
    `insert into sale_vat (sale_id, vat_rate_bp, gross_cents, net_cents, vat_cents) values (?, ?, 1000, 900, 100)`,
  );
  const insMove = sqlite.prepare(
    `insert into stock_movements (product_id, kind, quantity, at, user_id, sale_id, site_id) values (?, 'sale', -1, ?, 2, ?, 1)`,
  );
  const upLevel = sqlite.prepare(
    `insert into stock_levels (site_id, product_id, on_hand, last_movement_id, updated_at) values (1, ?, -1, ?, ?) on conflict(site_id, product_id) do update set on_hand = on_hand - 1, last_movement_id = excluded.last_movement_id`,
  );
  const maxSeq = (sqlite.prepare('select coalesce(max(number), 0) as n from sales where till_id = 1').get() as { n: number }).n;
  const write = sqlite.transaction((i: number) => {
    const id = uuidv7();
    const at = new Date().toISOString();
    const h = crypto.createHash('sha256').update(id).digest('hex');
    insSale.run(id, maxSeq + i, 1_000_000 + i, at, at, h, crypto.randomBytes(18).toString('base64url'), 2281 * i, h, h);
    for (let l = 1; l <= 3; l++) insLine.run(id, l, l);
    insPay.run(id);
    insVat.run(id, 550);
    insVat.run(id, 2000);
    for (let p = 1; p <= 3; p++) {
      const { lastInsertRowid } = insMove.run(p, at, id);
      upLevel.run(p, lastInsertRowid, at);
    }
  });
  const lat: number[] = [];
  // Warmed up as the server was (its few statements compiled, its pages in the cache).
  for (let i = 1; i <= WARMUP; i++) write(perLevel + i);
  const t0 = process.hrtime.bigint();
  for (let i = 1; i <= perLevel; i++) {
    const s = process.hrtime.bigint();
    write(i);
    lat.push(Number(process.hrtime.bigint() - s) / 1e6);
  }
  const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
  const s = summarize(lat);
  const baseline = perLevel / seconds;
  results.push(
    `baseline, same rows with bare better-sqlite3 (1 writer):   ${baseline.toFixed(0).padStart(6)} tickets/s   p50 ${s.medianMs.toFixed(2)} ms   p99 ${s.p99Ms.toFixed(2)} ms`,
  );
  results.push(
    `ratio HTTP / baseline: ${[...rates].map(([level, rate]) => `${level} till(s) ${(rate / baseline).toFixed(2)}`).join(', ')}`,
  );
  sqlite.close();
  fs.rmSync(dir, { recursive: true, force: true });
  return results;
}

/** A new database for one bench run, on the PostgreSQL server `adminUrl` names (a role that may create databases). */
export async function benchDatabase(adminUrl: string): Promise<{ url: string; drop(): Promise<void> }> {
  const name = `comptoir_bench_${process.pid}_${Date.now().toString(36)}`;
  const url = await createPostgresDatabase(adminUrl, name);
  return { url, drop: () => postgresAdmin(adminUrl, `drop database if exists ${name} with (force)`) };
}

if (process.argv[1]?.endsWith('tickets.ts') && !process.env.BENCH_SIGNING) {
  for (const line of await benchTickets()) console.log(line);
}

/**
 * What signing chain heads and writing the witness cost (issue 20): the same tickets at the same concurrency
 * on two servers built alike, one with them and one started with BENCH_WITHOUT_SIGNING=1, in turns (so that
 * the machine's other load falls on both), in this run. Target: ≥ 0.8× of the throughput without them.
 */
export async function benchSigningCost(level = 10, perRound = 1500, rounds = 2): Promise<string[]> {
  const one = async (signed: boolean) => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'comptoir-bench-signing-'));
    const config = loadConfig({ DATA_DIR: dir, PORT: '0', HOST: '127.0.0.1', BACKUP_HOUR: 'off', MDNS: 'off' });
    const setup = await openDatabase(config.dbFile);
    const now = new Date();
    await createShopBase(setup.db, 'real', BENCH_IDENTITY, now);
    await createAdmin(setup.db, { login: 'bench', password: 'bench-password' }, now);
    await setup.close();
    const server = await startChildServer(dir, { ...AS_IN_A_SHOP, RATE_LIMIT: 'off', ...(signed ? {} : { BENCH_WITHOUT_SIGNING: '1' }) });
    const tills: { session: Session; tillId: number; next: number }[] = [];
    try {
      const admin = new Session(server.url);
      await admin.call('POST', '/api/auth/login', { login: 'bench', password: 'bench-password' });
      const producer = (
        await admin.call('POST', '/api/producers', {
          name: 'Ferme',
          legalName: 'Ferme',
          siret: '73282932000074',
          vatStatus: 'subject',
          commissionBp: 2000,
        })
      ).body;
      const mk = async (body: object) => (await admin.call('POST', '/api/products', body)).body.id as number;
      const ids = {
        pain: await mk({ name: 'Pain', producerId: producer.id, unit: 'piece', priceCents: 520, vatRateBp: 550 }),
        tomme: await mk({ name: 'Tomme', producerId: producer.id, unit: 'kg', priceCents: 2490, vatRateBp: 550 }),
        biere: await mk({ name: 'Bière', producerId: null, unit: 'piece', priceCents: 320, vatRateBp: 2000 }),
      };
      await admin.call('POST', '/api/users', { displayName: 'Caisse', role: 'cashier', pin: '1234' });
      for (let i = 0; i < level; i++) {
        const tillId = i === 0 ? 1 : (await admin.call('POST', '/api/tills', { outlet: 'shop', name: `Caisse ${i + 1}` })).body.id;
        const code = (await admin.call('POST', `/api/tills/${tillId}/pairing-code`)).body.code;
        const s = new Session(server.url);
        await s.call('POST', '/api/devices/pair', { code });
        if ((await s.call('POST', '/api/auth/pin', { tillId, pin: '1234' })).status !== 200) throw new Error('pin login');
        tills.push({ session: s, tillId, next: 1 });
      }
      admin.close();
      let remaining = perRound;
      const started = process.hrtime.bigint();
      await Promise.all(
        tills.map(async (t) => {
          while (remaining > 0) {
            remaining--;
            const res = await t.session.call('POST', '/api/sales', basket(ids, t.tillId, t.next++));
            if (res.status !== 201) throw new Error(`sale ${res.status} ${JSON.stringify(res.body)}`);
          }
        }),
      );
      const rate = perRound / (Number(process.hrtime.bigint() - started) / 1e9);
      const heads = fs.existsSync(path.join(dir, 'witness', 'journal.log'))
        ? fs.readFileSync(path.join(dir, 'witness', 'journal.log'), 'utf8').split('\n').length - 1
        : 0;
      return { rate, witnessLines: heads };
    } finally {
      for (const t of tills) t.session.close();
      await server.stop();
      fs.rmSync(dir, { recursive: true, force: true });
    }
  };
  const withRates: number[] = [];
  const withoutRates: number[] = [];
  let lines = 0;
  for (let r = 0; r < rounds; r++) {
    withoutRates.push((await one(false)).rate);
    const signed = await one(true);
    withRates.push(signed.rate);
    lines = signed.witnessLines;
  }
  const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
  const ratio = mean(withRates) / mean(withoutRates);
  return [
    `tickets at ${level} tills, without signed heads and witness: ${mean(withoutRates).toFixed(0).padStart(6)} tickets/s (rounds ${withoutRates.map((x) => x.toFixed(0)).join(', ')})`,
    `tickets at ${level} tills, with signed heads and witness:    ${mean(withRates).toFixed(0).padStart(6)} tickets/s (rounds ${withRates.map((x) => x.toFixed(0)).join(', ')}; ${lines} witness lines)`,
    `signing + witness cost: throughput ×${ratio.toFixed(2)}${ratio >= 0.8 ? '  OK (target ≥ 0.8×)' : '  UNDER TARGET (0.8×)'}`,
  ];
}

if (process.argv[1]?.endsWith('tickets.ts') && process.env.BENCH_SIGNING) {
  for (const line of await benchSigningCost()) console.log(line);
}
