/**
 * A producer's portal over a network (issue 23): 10 sites × 50 producers each × 1 year of sales, the producers
 * of a site delivering there and one in five to two other sites too. Written with bare prepared statements for
 * speed (the portal reads sales, lines, stock and statements; it does not verify chains, so the hashes are
 * placeholders), then read through the real HTTP server with producers' own sessions, as their phones do.
 * Target: p99 ≤ 50 ms for each of the portal's requests.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { sql } from 'kysely';
import { openDatabase, openStore } from '../db/database.ts';
import { moveShop } from '../server/system/move.ts';
import { BENCH_IDENTITY, benchDatabase } from './tickets.ts';
import { postgresForBench } from './engines.ts';
import { loadConfig } from '../server/config.ts';
import { createLogger } from '../server/log.ts';
import { startServer } from '../server/server.ts';
import { createAdmin, createShopBase } from '../server/shop/setup.ts';
import { createSite } from '../server/sites/sites.ts';
import { measure, summarize, type Stats } from './stats.ts';

const SITES = 10;
const PRODUCERS_PER_SITE = 50;
const PRODUCTS_PER_PRODUCER = 10;
const TICKETS_PER_SITE_DAY = Number(process.env.BENCH_PORTAL_TICKETS ?? 200);
const YEAR = 2025;

const line = (name: string, s: Stats, target?: number) =>
  `${name.padEnd(58)} median ${s.medianMs.toFixed(3).padStart(8)} ms   p99 ${s.p99Ms.toFixed(3).padStart(8)} ms   (n=${s.n})${
    target === undefined ? '' : s.p99Ms <= target ? `  OK (target ${target} ms)` : `  OVER TARGET (${target} ms)`
  }`;

export async function benchPortal(): Promise<string[]> {
  const out: string[] = [];
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'comptoir-bench-portal-'));
  const now = new Date(`${YEAR + 1}-01-05T10:00:00Z`);
  const built = Date.now();
  {
    const { db, sqlite, close } = await openDatabase(path.join(dir, 'comptoir.sqlite'));
    await createShopBase(db, 'real', { ...BENCH_IDENTITY, name: 'Castres', legalName: 'Réseau bench' }, now);
    const adminId = await createAdmin(db, { login: 'bench', password: 'bench-password' }, now);
    for (let s = 2; s <= SITES; s++)
      await db
        .transaction()
        .execute((trx) => createSite(trx, { code: `site-${s}`, name: `Site ${s}`, city: '', outlets: ['shop'] }, 1, now));
    sqlite.pragma('synchronous = OFF');
    const shops = sqlite.prepare(`select id, site_id from outlets where kind = 'shop' order by site_id`).all() as {
      id: number;
      site_id: number;
    }[];
    const insTill = sqlite.prepare(`insert into tills (outlet_id, name, created_at) values (?, ?, '')`);
    const tillOf = new Map<number, number>();
    for (const o of shops) tillOf.set(o.site_id, o.site_id === 1 ? 1 : Number(insTill.run(o.id, `Caisse ${o.site_id}`).lastInsertRowid));
    const insProducer = sqlite.prepare(
      `insert into producers (slug, name, legal_name, contact_name, email, phone, address, siret, vat_status, commission_bp, search_text, created_at, updated_at) values (?, ?, ?, '', '', '', '', '73282932000074', 'subject', 2000, ?, '', '')`,
    );
    const insProduct = sqlite.prepare(
      `insert into products (name, producer_id, unit, price_cents, vat_rate_bp, stock_tracked, search_text, created_at, updated_at) values (?, ?, 'piece', ?, 550, 1, ?, '', '')`,
    );
    const insLevel = sqlite.prepare(
      `insert into stock_levels (site_id, product_id, on_hand, last_movement_id, updated_at) values (?, ?, ?, 0, '')`,
    );
    // What each site sells: the products of its producers and of those who deliver there too.
    const bySite = new Map<number, { id: number; producerId: number; price: number; name: string }[]>();
    for (let s = 1; s <= SITES; s++) bySite.set(s, []);
    sqlite.transaction(() => {
      for (let s = 1; s <= SITES; s++)
        for (let p = 0; p < PRODUCERS_PER_SITE; p++) {
          const n = (s - 1) * PRODUCERS_PER_SITE + p + 1;
          const producerId = Number(insProducer.run(`p${n}`, `Producteur ${n}`, `Producteur ${n}`, `producteur ${n}`).lastInsertRowid);
          const sites = p % 5 === 0 ? [s, (s % SITES) + 1, ((s + 4) % SITES) + 1] : [s];
          for (let k = 0; k < PRODUCTS_PER_PRODUCER; k++) {
            const price = 150 + ((n * 37 + k * 113) % 2500);
            const name = `Article ${n}-${k}`;
            const id = Number(insProduct.run(name, producerId, price, name.toLowerCase()).lastInsertRowid);
            for (const site of sites) {
              bySite.get(site)!.push({ id, producerId, price, name });
              insLevel.run(site, id, 5 + ((id * 7) % 40));
            }
          }
        }
    })();
    const insSale = sqlite.prepare(
      `insert into sales (id, till_id, training, number, chain_seq, outlet_id, cashier_id, kind, refund_of, reason, approved_by, created_at, received_at, business_day, late, subtotal_cents, discount_cents, total_cents, change_cents, gap_before, body_hash, receipt_token, till_grand_total_cents, prev_hash, hash) values (?, ?, 0, ?, ?, ?, ?, 'sale', null, null, null, ?, ?, ?, 0, ?, 0, ?, 0, 0, ?, ?, 0, '', '')`,
    );
    const insLine = sqlite.prepare(
      `insert into sale_lines (sale_id, line_no, product_id, name, producer_id, unit, quantity, unit_price_cents, gross_cents, line_discount_cents, ticket_discount_cents, total_cents, vat_rate_bp, note, refund_of_line, business_day, training, kind, outlet_id) values (?, ?, ?, ?, ?, 'piece', ?, ?, ?, 0, 0, ?, 550, null, null, ?, 0, 'sale', ?)`,
    );
    let seed = 11;
    const rand = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
    const numbers = new Map<number, number>();
    let seq = 0;
    const writeDay = sqlite.transaction((day: string) => {
      for (const o of shops) {
        const till = tillOf.get(o.site_id)!;
        const goods = bySite.get(o.site_id)!;
        for (let i = 0; i < TICKETS_PER_SITE_DAY; i++) {
          const number = (numbers.get(till) ?? 0) + 1;
          numbers.set(till, number);
          const at = new Date(Date.parse(`${day}T08:00:00Z`) + Math.floor((i / TICKETS_PER_SITE_DAY) * 10 * 3600_000)).toISOString();
          const id = `00000000-0000-7000-8000-${(++seq).toString(16).padStart(12, '0')}`;
          const lines = Array.from({ length: 1 + Math.floor(rand() * 4) }, () => goods[Math.floor(rand() * goods.length)]!);
          const qty = lines.map(() => 1 + Math.floor(rand() * 2));
          const total = lines.reduce((a, l, n) => a + l.price * qty[n]!, 0);
          insSale.run(id, till, number, number, o.id, adminId, at, at, day, total, total, id, id);
          lines.forEach((l, n) =>
            insLine.run(id, n + 1, l.id, l.name, l.producerId, qty[n], l.price, l.price * qty[n]!, l.price * qty[n]!, day, o.id),
          );
        }
      }
    });
    for (let t = Date.UTC(YEAR, 0, 1); t <= Date.UTC(YEAR, 11, 31); t += 86_400_000) writeDay(new Date(t).toISOString().slice(0, 10));
    sqlite.exec('analyze');
    out.push(
      `portal network: ${SITES} sites × ${PRODUCERS_PER_SITE} producers × 1 year, ${seq.toLocaleString('en')} tickets, built in ${((Date.now() - built) / 1000).toFixed(0)} s`,
    );
    await close();
  }

  out.push(...(await measurePortal(dir, now, {}, 'SQLite')));
  // The same network on PostgreSQL (issue 23): moved with `cli migrate --to`'s own code, then read the same way.
  // BENCH_PORTAL_POSTGRES=off skips it.
  const adminUrl = process.env.BENCH_PORTAL_POSTGRES === 'off' ? null : postgresForBench();
  if (adminUrl) {
    const target = await benchDatabase(adminUrl);
    try {
      const source = await openDatabase(path.join(dir, 'comptoir.sqlite'));
      const pg = await openStore(target.url);
      const t = Date.now();
      const moved = await moveShop(source, pg, { dataDir: dir, targetUrl: target.url, sourceFile: path.join(dir, 'comptoir.sqlite') });
      await sql`analyze`.execute(pg.db);
      await pg.close();
      await source.close();
      out.push(
        `portal network: moved to PostgreSQL, ${moved.rows.toLocaleString('en')} rows, ${moved.differing.length} tables differing, in ${((Date.now() - t) / 1000).toFixed(0)} s`,
      );
      out.push(...(await measurePortal(dir, now, { DATABASE_URL: target.url }, 'PostgreSQL')));
    } finally {
      // BENCH_PORTAL_KEEP=1 keeps the PostgreSQL database to look at its plans (its address is printed).
      if (process.env.BENCH_PORTAL_KEEP) out.push(`portal network: kept at ${target.url}`);
      else await target.drop();
    }
  }
  fs.rmSync(dir, { recursive: true, force: true });
  return out;
}

/** The portal's requests through the HTTP server on that shop, with twenty producers' own sessions. */
async function measurePortal(dir: string, now: Date, env: Record<string, string>, engine: string): Promise<string[]> {
  const out: string[] = [];
  const server = await startServer({
    config: loadConfig({ DATA_DIR: dir, PORT: '0', HOST: '127.0.0.1', BACKUP_HOUR: 'off', MDNS: 'off', RATE_LIMIT: 'off', ...env }),
    logger: createLogger('silent'),
    now: () => now,
  });
  try {
    const call = async (cookie: string | null, method: string, url: string, body?: unknown) => {
      const res = await fetch(server.url + url, {
        method,
        headers: { ...(cookie ? { cookie } : {}), ...(body ? { 'content-type': 'application/json' } : {}) },
        body: body ? JSON.stringify(body) : null,
      });
      if (!res.ok) throw new Error(`${method} ${url}: ${res.status} ${await res.text()}`);
      const cookies = res.headers.getSetCookie().map((c) => c.split(';')[0]!);
      await res.arrayBuffer();
      return cookies.join('; ');
    };
    const admin = await call(null, 'POST', '/api/auth/login', { login: 'bench', password: 'bench-password' });
    // Twenty producers of every kind: one site only, and delivering to three (p % 5 === 0).
    const sessions: { cookie: string; producerId: number }[] = [];
    for (let k = 0; k < 20; k++) {
      const producerId = 1 + ((k * 97) % (SITES * PRODUCERS_PER_SITE));
      const res = await fetch(server.url + '/api/users', {
        method: 'POST',
        headers: { cookie: admin, 'content-type': 'application/json' },
        body: JSON.stringify({ login: `prod${k}`, displayName: `P${k}`, role: 'producer', password: `producer-password-${k}`, producerId }),
      });
      // Already there on PostgreSQL: the move copied the accounts the SQLite run made.
      if (res.status !== 201 && res.status !== 409) throw new Error(`producer user: ${res.status} ${await res.text()}`);
      sessions.push({
        cookie: await call(null, 'POST', '/api/auth/login', { login: `prod${k}`, password: `producer-password-${k}` }),
        producerId,
      });
    }
    // The server's start-up work settles first (the fiscal witness of every ticket, written at open): measured
    // once fifty requests in a row answer in under 10 ms, or after a minute whatever they do.
    const settling = Date.now();
    for (let fast = 0; fast < 50 && Date.now() - settling < 60_000;) {
      const t = Date.now();
      await call(sessions[0]!.cookie, 'GET', '/api/stock');
      fast = Date.now() - t < 10 ? fast + 1 : 0;
    }
    out.push(`portal network, ${engine}: the server settled in ${((Date.now() - settling) / 1000).toFixed(1)} s after its start`);
    const month = `from=${YEAR}-12-01&to=${YEAR}-12-31`;
    const requests: [string, (p: { producerId: number }) => string][] = [
      ['today’s sales (one day, by day)', (p) => `/api/producers/${p.producerId}/sales?from=${YEAR}-12-31&to=${YEAR}-12-31&groupBy=day`],
      ['the month’s sales (by day, with sites)', (p) => `/api/producers/${p.producerId}/sales?${month}&groupBy=day`],
      [
        'the year’s sales (by month, with sites)',
        (p) => `/api/producers/${p.producerId}/sales?from=${YEAR}-01-01&to=${YEAR}-12-31&groupBy=month`,
      ],
      ['the month’s lines (first page of 50)', (p) => `/api/producers/${p.producerId}/lines?${month}&limit=50`],
      ['stock at every site', () => `/api/stock`],
      ['the month’s statement (draft)', (p) => `/api/producers/${p.producerId}/statement?${month}`],
    ];
    const all: number[] = [];
    for (const [name, url] of requests) {
      const stats = await measure(200, async (i) => {
        const s = sessions[i % sessions.length]!;
        const t = process.hrtime.bigint();
        await call(s.cookie, 'GET', url(s));
        all.push(Number(process.hrtime.bigint() - t) / 1e6);
      });
      out.push(line(`portal, 10 sites, ${engine}: ${name}`, stats, 50));
    }
    out.push(line(`portal, 10 sites, ${engine}: every request above`, summarize(all), 50));
  } finally {
    await server.close();
  }
  return out;
}

if (import.meta.url === `file://${process.argv[1]}`) for (const l of await benchPortal()) console.log(l);
