/**
 * `npm run bench`: the speed targets of the issues, measured on a real SQLite file. Medians and p99 are
 * printed; a target is judged on p99. Never run inside the tests (timings are not assertions).
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { openDatabase } from '../db/database.ts';
import { listProducts } from '../server/catalog/products.ts';
import { stockOnHand, verifyStockLedger } from '../server/stock/ledger.ts';
import { normalizeForSearch } from '../shared/text.ts';
import { measure, report } from './stats.ts';
import { createShopBase } from '../server/shop/setup.ts';
import { loadConfig } from '../server/config.ts';
import { createLogger } from '../server/log.ts';
import { startServer } from '../server/server.ts';
import { createAdmin } from '../server/shop/setup.ts';
import { BENCH_IDENTITY } from './tickets.ts';

const PRODUCTS = 5_000;
const MOVEMENTS = 1_000_000;

// Deterministic pseudo-random names: the same catalogue every run.
let seed = 42;
const rand = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
const pick = <T>(xs: readonly T[]) => xs[Math.floor(rand() * xs.length)]!;
const nouns = [
  'Tomme',
  'Pâté',
  'Miel',
  'Confiture',
  'Saucisse',
  'Jambon',
  'Pain',
  'Bière',
  'Jus',
  'Savon',
  'Écharpe',
  'Fromage',
  'Terrine',
  'Rillettes',
  'Yaourt',
  'Crème',
  'Farine',
  'Huile',
  'Vin',
  'Cidre',
];
const adjectives = [
  'de brebis',
  'de campagne',
  'de châtaignier',
  'de figues',
  'de Lacaune',
  'au piment',
  'complet',
  'blonde',
  'de pomme',
  'à la lavande',
  'en laine',
  'affiné',
  'au poivre',
  'fermier',
  'bio',
  'du Sidobre',
  'de la Montagne Noire',
  'aux noix',
  'fumé',
  'nature',
];
const producers = [
  'Ferme du Sidobre',
  'Rucher de Brassac',
  'Brasserie Noire',
  'Les Jardins d’Anglès',
  'Boulangerie Paysanne',
  'Élevage de Vabre',
  'Savonnerie du Thoré',
  'Filature de Mazamet',
];

async function main() {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'comptoir-bench-'));
  const file = path.join(dir, 'comptoir.sqlite');
  const { db, sqlite, close } = await openDatabase(file);
  const now = new Date();
  await createShopBase(db, 'real', BENCH_IDENTITY, now);
  const adminId = await createAdmin(db, { login: 'bench', password: 'bench-password' }, now);

  console.log(`Comptoir bench — node ${process.version}, ${os.cpus().length} cores, ${os.cpus()[0]?.model ?? ''}`);
  console.log(`Building ${PRODUCTS} products and ${MOVEMENTS.toLocaleString('fr-FR')} stock movements in ${file} …`);
  const at = now.toISOString();
  const insertProducer = sqlite.prepare(
    `insert into producers (slug, name, legal_name, contact_name, email, phone, address, siret, vat_status, commission_bp, search_text, created_at, updated_at) values (?, ?, ?, '', '', '', '', '73282932000074', 'subject', 2000, ?, ?, ?)`,
  );
  const insertProduct = sqlite.prepare(
    `insert into products (name, producer_id, unit, price_cents, vat_rate_bp, stock_tracked, search_text, created_at, updated_at) values (?, ?, ?, ?, 550, 1, ?, ?, ?)`,
  );
  const insertOutlet = sqlite.prepare(`insert into product_outlets (product_id, outlet_id) values (?, 1)`);
  sqlite.transaction(() => {
    producers.forEach((name, i) => insertProducer.run(`p${i}`, name, name, normalizeForSearch(name), at, at));
    for (let i = 0; i < PRODUCTS; i++) {
      const producerIndex = Math.floor(rand() * producers.length);
      const name = `${pick(nouns)} ${pick(adjectives)} n°${i}`;
      const { lastInsertRowid } = insertProduct.run(
        name,
        producerIndex + 1,
        rand() < 0.2 ? 'kg' : 'piece',
        100 + Math.floor(rand() * 3000),
        normalizeForSearch(`${name} ${producers[producerIndex]}`),
        at,
        at,
      );
      insertOutlet.run(lastInsertRowid);
    }
  })();
  const insertMove = sqlite.prepare(`insert into stock_movements (product_id, kind, quantity, at, user_id) values (?, ?, ?, ?, ?)`);
  sqlite.transaction(() => {
    for (let i = 0; i < MOVEMENTS; i++) {
      const deposit = rand() < 0.2;
      insertMove.run(
        1 + Math.floor(rand() * PRODUCTS),
        deposit ? 'deposit' : 'sale',
        deposit ? 1 + Math.floor(rand() * 20) : -1 - Math.floor(rand() * 3),
        at,
        adminId,
      );
    }
  })();
  // The running balances the ledger code keeps, built here in one pass from the same movements.
  sqlite.exec(
    `insert into stock_levels (product_id, on_hand, last_movement_id, updated_at) select product_id, sum(quantity), max(id), '${at}' from stock_movements group by product_id`,
  );
  sqlite.pragma('wal_checkpoint(TRUNCATE)');
  sqlite.exec('analyze');
  console.log('');

  const queries = [
    'pate',
    'miel chataignier',
    'tomme brebis',
    'biere',
    'sidobre',
    'confiture figues',
    'savon lavande',
    'echarpe',
    'n°4999',
    'crème',
  ];
  report(
    `catalogue search, ${PRODUCTS} products (domain, 50 results)`,
    await measure(500, (i) => listProducts(db, { q: queries[i % queries.length], limit: 50, offset: 0 })),
    5,
  );

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
    report(
      `catalogue search, ${PRODUCTS} products (HTTP round trip)`,
      await measure(300, async (i) => {
        const res = await fetch(`${running.url}/api/products?limit=50&q=${encodeURIComponent(queries[i % queries.length]!)}`, {
          headers: { cookie },
        });
        await res.json();
      }),
      5,
    );
    report(
      `stock on hand, all ${PRODUCTS} products, ${MOVEMENTS / 1e6}M movements (HTTP)`,
      await measure(50, async () => {
        const res = await fetch(`${running.url}/api/stock`, { headers: { cookie } });
        await res.json();
      }),
      100,
    );
  } finally {
    await running.close();
  }
  const reopened = await openDatabase(file);
  report(
    `stock on hand, all ${PRODUCTS} products (domain, running balances)`,
    await measure(50, () => stockOnHand(reopened.db, {}, { producerId: null })),
    100,
  );
  report(
    `baseline: re-sum the ${MOVEMENTS / 1e6}M-row ledger (GROUP BY, as verify does)`,
    await measure(10, () => verifyStockLedger(reopened.db), 2),
  );
  await reopened.close();
  await close().catch(() => undefined);
  fs.rmSync(dir, { recursive: true, force: true });
}

await main();
console.log('');
const { benchTill } = await import('./till.ts');
for (const line of await benchTill()) console.log(line);
console.log('');
const { benchTickets, benchSigningCost } = await import('./tickets.ts');
for (const line of await benchTickets()) console.log(line);
// Tickets are written on a thread of their own (server/sales/ticket-writer.ts); the same 10 tills with them
// written on the server's own thread, as before it, for comparison in this run.
for (const line of await benchTickets([10], 2000, [], { ticketWriter: 'inline' })) console.log(line);
const { benchTicketPath } = await import('./ticket-path.ts');
for (const line of await benchTicketPath()) console.log(line);
// The same on PostgreSQL (issue 23), on 1 and on 4 server processes, when a server is given (BENCH_DATABASE_URL, a role that
// may create databases) or this machine's starts (scripts/test-postgres.sh, as for the tests).
const { postgresForBench } = await import('./engines.ts');
const postgres = postgresForBench();
if (postgres) {
  const { benchProcesses } = await import('./engines.ts');
  for (const line of await benchProcesses(postgres)) console.log(line);
} else console.log('tickets on PostgreSQL: skipped (no BENCH_DATABASE_URL, and scripts/test-postgres.sh could not start one)');
for (const line of await benchSigningCost()) console.log(line);
console.log('');
const { benchPrinting } = await import('./printing.ts');
for (const line of await benchPrinting()) console.log(line);
console.log('');
const { benchRestaurant } = await import('./restaurant.ts');
for (const line of await benchRestaurant()) console.log(line);
console.log('');
const { benchStatements } = await import('./statements.ts');
for (const line of await benchStatements()) console.log(line);
console.log('');
const { benchPortal } = await import('./portal.ts');
for (const line of await benchPortal()) console.log(line);
console.log('');
const { benchFiveYears } = await import('./five-years.ts');
await benchFiveYears();
