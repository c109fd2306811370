/**
 * Settlement at the scale of the Castres shop: a year of 500 tickets a day over 50 producers (≈ 455,000
 * sale lines, with refunds and kitchen use), then the month's 50 statements issued the way a manager
 * does it — one `POST /api/statement-runs` on the real server, polled until finished. Each statement is
 * derived from the ledger, frozen, numbered and rendered to an A4 PDF inside its own transaction.
 * Also: each statement on its own (domain call, median and p99), and a producer's first statement that
 * settles a whole year at once (the worst case: several thousand lines, a long PDF).
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { openDatabase } from '../db/database.ts';
import { loadConfig } from '../server/config.ts';
import { createLogger } from '../server/log.ts';
import { startServer } from '../server/server.ts';
import { issueStatement } from '../server/settlement/statements.ts';
import { createAdmin, createShopBase } from '../server/shop/setup.ts';
import { priceTicket } from '../shared/sales.ts';
import { summarize } from './stats.ts';

const PRODUCERS = 50;
const PRODUCTS_PER_PRODUCER = 8;
const YEAR = 2025;

let seed = 11;
const rand = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;

async function build(file: string, perDay: number) {
  const { db, sqlite, close } = await openDatabase(file);
  const now = new Date(`${YEAR + 1}-01-10T10:00:00Z`);
  await createShopBase(
    db,
    'real',
    {
      name: 'Bench',
      legalName: 'Bench SCIC',
      address: '1 rue de la Fonderie',
      postalCode: '81100',
      city: 'Castres',
      siret: '73282932000074',
      vatNumber: 'FR44732829320',
      phone: '',
      email: '',
      receiptFooter: '',
    },
    now,
  );
  const adminId = await createAdmin(db, { login: 'bench', password: 'bench-password' }, now);
  sqlite.pragma('synchronous = OFF');
  const insCategory = sqlite.prepare(`insert into categories (slug, name, color, sort_order) values (?, ?, '#888888', ?)`);
  const insProducer = sqlite.prepare(
    `insert into producers (slug, name, legal_name, contact_name, email, phone, address, siret, vat_status, commission_bp, search_text, created_at, updated_at) values (?, ?, ?, '', '', '', '12 chemin des Prés, 81100 Castres', '73282932000074', 'subject', ?, ?, '', '')`,
  );
  const insRate = sqlite.prepare(`insert into producer_commissions (producer_id, category_id, commission_bp) values (?, ?, ?)`);
  const insProduct = sqlite.prepare(
    `insert into products (name, producer_id, category_id, unit, price_cents, vat_rate_bp, stock_tracked, search_text, created_at, updated_at) values (?, ?, ?, ?, ?, ?, 0, ?, '', '')`,
  );
  const products: { id: number; name: string; producerId: number | null; unit: 'piece' | 'kg'; price: number; vat: number }[] = [];
  sqlite.transaction(() => {
    for (let c = 1; c <= 6; c++) insCategory.run(`c${c}`, `Rayon ${c}`, c);
    for (let p = 1; p <= PRODUCERS; p++) {
      insProducer.run(`p${p}`, `Producteur ${p}`, `EARL Producteur ${p}`, 1500 + (p % 4) * 500, `producteur ${p}`);
      if (p % 5 === 0) insRate.run(p, 1 + (p % 6), 1200);
      for (let k = 0; k < PRODUCTS_PER_PRODUCER; k++) {
        const i = products.length;
        const unit = i % 7 === 0 ? 'kg' : 'piece';
        const vat = [550, 550, 550, 1000, 2000][i % 5]!;
        const price = 150 + ((i * 137) % 2500);
        const name = `Article ${i} de la ferme ${p}`;
        const { lastInsertRowid } = insProduct.run(name, p, 1 + (i % 6), unit, price, vat, name.toLowerCase());
        products.push({ id: Number(lastInsertRowid), name, producerId: p, unit, price, vat });
      }
    }
    for (let i = 0; i < 20; i++) {
      const { lastInsertRowid } = insProduct.run(`Café ${i}`, null, null, 'piece', 150, 1000, `cafe ${i}`);
      products.push({ id: Number(lastInsertRowid), name: `Café ${i}`, producerId: null, unit: 'piece', price: 150, vat: 1000 });
    }
  })();
  // Bare inserts for speed; statements read lines, days and kinds, not the chain, so hashes are placeholders.
  const insSale = sqlite.prepare(
    `insert into sales (id, till_id, training, number, chain_seq, outlet_id, cashier_id, kind, refund_of, reason, approved_by, created_at, received_at, business_day, late, subtotal_cents, discount_cents, total_cents, change_cents, gap_before, body_hash, receipt_token, till_grand_total_cents, prev_hash, hash) values (?, 1, 0, ?, ?, 1, ?, ?, ?, ?, null, ?, ?, ?, 0, ?, 0, ?, 0, 0, ?, ?, 0, '', '')`,
  );
  const insLine = sqlite.prepare(
    `insert into sale_lines (sale_id, line_no, product_id, name, producer_id, unit, quantity, unit_price_cents, gross_cents, line_discount_cents, ticket_discount_cents, total_cents, vat_rate_bp, note, refund_of_line, business_day, training, kind, outlet_id) values (?, ?, ?, ?, ?, ?, ?, ?, ?, 0, 0, ?, ?, null, ?, ?, 0, ?, 1)`,
  );
  const insKitchen = sqlite.prepare(
    `insert into stock_movements (product_id, kind, quantity, at, user_id, unit_price_cents) values (?, 'kitchen', ?, ?, ?, ?)`,
  );
  let number = 0;
  let lines = 0;
  let kitchen = 0;
  const days: string[] = [];
  for (let t = Date.UTC(YEAR, 0, 1); t <= Date.UTC(YEAR, 11, 31); t += 86_400_000) days.push(new Date(t).toISOString().slice(0, 10));
  const writeDay = sqlite.transaction((day: string) => {
    for (let i = 0; i < perDay; i++) {
      const at = new Date(Date.parse(`${day}T08:00:00Z`) + Math.floor((i / perDay) * 10 * 3600_000)).toISOString();
      const chosen = Array.from({ length: 1 + Math.floor(rand() * 4) }, () => products[Math.floor(rand() * products.length)]!);
      const qty = chosen.map((p) => (p.unit === 'kg' ? 200 + Math.floor(rand() * 800) : 1 + Math.floor(rand() * 2)));
      const priced = priceTicket(
        chosen.map((p, n) => ({ unit: p.unit, quantity: qty[n]!, unitPriceCents: p.price, discountCents: 0, vatRateBp: p.vat })),
        0,
      );
      const id = crypto.randomUUID();
      number++;
      insSale.run(id, number, number, adminId, 'sale', null, null, at, at, day, priced.subtotal, priced.total, id, id);
      chosen.forEach((p, n) =>
        insLine.run(
          id,
          n + 1,
          p.id,
          p.name,
          p.producerId,
          p.unit,
          qty[n],
          p.price,
          priced.lines[n]!.gross,
          priced.lines[n]!.total,
          p.vat,
          null,
          day,
          'sale',
        ),
      );
      lines += chosen.length;
      // One ticket in 200 is refunded the same day (its first line, whole).
      if (i % 200 === 199) {
        const rid = crypto.randomUUID();
        const p = chosen[0]!;
        number++;
        insSale.run(
          rid,
          number,
          number,
          adminId,
          'refund',
          id,
          'Produit abîmé',
          at,
          at,
          day,
          -priced.lines[0]!.total,
          -priced.lines[0]!.total,
          rid,
          rid,
        );
        insLine.run(
          rid,
          1,
          p.id,
          p.name,
          p.producerId,
          p.unit,
          -qty[0]!,
          p.price,
          -priced.lines[0]!.gross,
          -priced.lines[0]!.total,
          p.vat,
          1,
          day,
          'refund',
        );
        lines++;
      }
    }
    // The restaurant cooks with a few producers' goods every day.
    for (let k = 0; k < 4; k++) {
      const p = products[Math.floor(rand() * PRODUCERS * PRODUCTS_PER_PRODUCER)]!;
      insKitchen.run(p.id, p.unit === 'kg' ? -1500 : -2, `${day}T10:30:00.000Z`, adminId, p.price);
      kitchen++;
    }
  });
  const t0 = Date.now();
  for (const day of days) writeDay(day);
  sqlite.exec('analyze');
  sqlite.pragma('synchronous = FULL');
  console.log(
    `  ${number.toLocaleString('fr-FR')} tickets, ${lines.toLocaleString('fr-FR')} lines, ${kitchen.toLocaleString('fr-FR')} kitchen movements over ${days.length} days, ${PRODUCERS} producers, written in ${((Date.now() - t0) / 1000).toFixed(0)} s`,
  );
  return { db, close, adminId };
}

export async function benchStatements(perDay = Number(process.env.BENCH_TICKETS_PER_DAY ?? 500)): Promise<string[]> {
  const out: string[] = [];
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'comptoir-bench-statements-'));
  const file = path.join(dir, 'comptoir.sqlite');
  console.log(`Building a year of ${perDay} tickets a day for ${PRODUCERS} producers in ${dir} …`);
  const built = await build(file, perDay);
  await built.close();
  const yearCopy = path.join(dir, 'year-copy.sqlite');
  fs.copyFileSync(file, yearCopy);
  if (process.env.BENCH_KEEP) fs.copyFileSync(file, process.env.BENCH_KEEP);
  const { db, close } = await openDatabase(file);
  const adminId = built.adminId;

  // 1. Each statement on its own (domain call in its transaction, PDF included): November, producer by producer.
  const samples: number[] = [];
  let lineCount = 0;
  let pdfBytes = 0;
  for (let p = 1; p <= PRODUCERS; p++) {
    const t = process.hrtime.bigint();
    const s = await issueStatement(
      { db, userId: adminId, now: new Date(), timeZone: 'Europe/Paris' },
      { producerId: p, period: { from: `${YEAR}-11-01`, to: `${YEAR}-11-30` } },
    );
    samples.push(Number(process.hrtime.bigint() - t) / 1e6);
    lineCount += s.items.length;
    const row = await db
      .selectFrom('statements')
      .select((eb) => eb.fn('length', ['pdf']).as('size'))
      .where('id', '=', s.id!)
      .executeTakeFirstOrThrow();
    pdfBytes += Number(row.size);
  }
  const one = summarize(samples);
  out.push(
    `one statement (a month, ~${Math.round(lineCount / PRODUCERS)} lines, PDF ~${Math.round(pdfBytes / PRODUCERS / 1024)} KB)`.padEnd(58) +
      ` median ${one.medianMs.toFixed(1).padStart(8)} ms   p99 ${one.p99Ms.toFixed(1).padStart(8)} ms   (n=${one.n})`,
  );
  await close();

  // 2. The manager's action: all 50 statements of December through the real server and its run.
  const running = await startServer({
    config: loadConfig({ DATA_DIR: dir, PORT: '0', HOST: '127.0.0.1', BACKUP_HOUR: 'off', MDNS: 'off' }),
    logger: createLogger('silent'),
  });
  try {
    const login = await fetch(`${running.url}/api/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ login: 'bench', password: 'bench-password' }),
    });
    const cookie = login.headers.getSetCookie()[0]!.split(';')[0]!;
    const t0 = Date.now();
    const started = await fetch(`${running.url}/api/statement-runs`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', cookie },
      body: JSON.stringify({ from: `${YEAR}-12-01`, to: `${YEAR}-12-31` }),
    });
    if (started.status !== 202) throw new Error(`run refused: ${started.status} ${await started.text()}`);
    const { id } = (await started.json()) as { id: string };
    let run: { state: string; issued: number; total: number; skipped: unknown[] };
    for (;;) {
      await new Promise((r) => setTimeout(r, 20));
      run = (await (await fetch(`${running.url}/api/statement-runs/${id}`, { headers: { cookie } })).json()) as typeof run;
      if (run.state !== 'running') break;
    }
    const seconds = (Date.now() - t0) / 1000;
    out.push(
      `${`issue all statements of a month (${run.issued}/${run.total} issued, HTTP run)`.padEnd(58)} ${seconds.toFixed(2)} s, state=${run.state}${run.issued === PRODUCERS && seconds < 10 ? '  OK (target 10 s)' : '  OVER TARGET (10 s, 50 statements)'}`,
    );
  } finally {
    await running.close();
  }

  // 3. The worst case, on a copy taken before anything was issued: a producer's first statement settling a whole year.
  const reopened = await openDatabase(yearCopy);
  const t1 = process.hrtime.bigint();
  const year = await issueStatement(
    { db: reopened.db, userId: adminId, now: new Date(), timeZone: 'Europe/Paris' },
    { producerId: 1, period: { from: `${YEAR}-01-01`, to: `${YEAR}-12-31` } },
  );
  const ms = Number(process.hrtime.bigint() - t1) / 1e6;
  out.push(
    `${`one statement settling a whole year (${year.items.length.toLocaleString('fr-FR')} lines)`.padEnd(58)} ${(ms / 1000).toFixed(2)} s`,
  );
  await reopened.close();
  fs.rmSync(dir, { recursive: true, force: true });
  return out;
}

if (process.argv[1]?.endsWith('statements.ts')) for (const line of await benchStatements()) console.log(line);
