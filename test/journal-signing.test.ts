/**
 * Issue 20, items 1–2: the journal holds against someone who has the database file. Each attack is made
 * the way such a person would: raw SQL on the real SQLite file (triggers dropped), the chain re-hashed with
 * the project's own `ticketHash`. Before signatures and the witness, `verify` answered ok to both.
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openStore } from '../db/database.ts';
import { loadTicketRecords, ticketHash } from '../server/journal/tickets.ts';
import { verifyAll } from '../server/journal/verify.ts';
import { businessDay } from '../shared/time.ts';
import { aProducer, aProduct, aUser, startTestShop, type Client, shopEnv, type TestShop } from './support/harness.ts';
import { shopSql, shopTarget } from './support/shop-sql.ts';
import { uuidv7 } from './support/tickets.ts';

async function aShopWithTickets() {
  const shop = await startTestShop();
  const rucher = await aProducer(shop.admin, { name: 'Rucher de Brassac' });
  const miel = await aProduct(shop.admin, { name: 'Miel de châtaignier', producerId: rucher.id, priceCents: 950, vatRateBp: 550 });
  await shop.admin.post('/api/stock/deposits', { producerId: rucher.id, lines: [{ productId: miel.id, quantity: 50 }] });
  const cashier = await aUser(shop, 'cashier');
  let number = 0;
  const sell = async () => {
    const res = await cashier.client.post('/api/sales', {
      id: uuidv7(),
      tillId: 1,
      number: ++number,
      createdAt: new Date().toISOString(),
      lines: [{ productId: miel.id, quantity: 1, unitPriceCents: 950 }],
      payments: [{ method: 'cash', amountCents: 950 }],
      totalCents: 950,
    });
    expect(res.status).toBe(201);
    return res.body as { number: number; hash: string; id: string };
  };
  return { shop, till: cashier.client, sell, miel };
}

describe('a journal signed with a key the database does not hold', () => {
  let shop: TestShop;
  let sell: () => Promise<{ number: number; hash: string; id: string }>;

  beforeAll(async () => {
    ({ shop, sell } = await aShopWithTickets());
    for (let i = 0; i < 5; i++) await sell();
  });
  afterAll(() => shop.close());

  it('keeps the private key in DATA_DIR/keys (0600 in 0700), out of the database; the witness file is 0600', async () => {
    const keysDir = path.join(shop.dataDir, 'keys');
    const files = fs.readdirSync(keysDir);
    expect(files).toHaveLength(1);
    expect(fs.statSync(keysDir).mode & 0o777).toBe(0o700);
    expect(fs.statSync(path.join(keysDir, files[0]!)).mode & 0o777).toBe(0o600);
    expect(fs.statSync(path.join(shop.dataDir, 'witness', 'journal.log')).mode & 0o777).toBe(0o600);
    const pem = fs.readFileSync(path.join(keysDir, files[0]!), 'utf8');
    expect(pem).toContain('BEGIN PRIVATE KEY');
    const body = pem.split('\n')[1]!;
    await shop.server.services.fiscal!.flush({ all: true });
    // Neither the database file nor its WAL holds any part of the private key.
    for (const f of ['comptoir.sqlite', 'comptoir.sqlite-wal'])
      if (fs.existsSync(path.join(shop.dataDir, f))) expect(fs.readFileSync(path.join(shop.dataDir, f)).includes(body)).toBe(false);
    const events = (await shop.admin.get('/api/events?kind=key.')).body as { kind: string }[];
    expect(events.map((e) => e.kind)).toEqual(['key.created']);
    const report = (await shop.admin.get('/api/journal/verify')).body;
    expect(report.ok).toBe(true);
    expect(report.signing.fingerprint).toMatch(/^ed25519:[0-9a-f]{4}( [0-9a-f]{4}){7}$/);
    expect(report.signing.heads).toBeGreaterThan(0);
  });

  it('names a ticket altered and the chain re-hashed with the project’s own function: re-chained without the key', async () => {
    await shop.stop(); // a clean stop: every chain's head signed up to ticket n°5
    const file = shopTarget(shop);
    const sqlite = await shopSql(shop);
    await sqlite.openUp();
    // Ticket n°2: honey 9,50 € becomes 0,50 €. VAT 5.5 % on 50: HT = round(50 × 10000 / 10550) = 47, TVA 3.
    const t2 = (await sqlite.get('select id from sales where till_id = 1 and training = 0 and number = 2')) as { id: string };
    await sqlite.run('update sale_lines set unit_price_cents = 50, gross_cents = 50, total_cents = 50 where sale_id = ?', t2.id);
    await sqlite.run('update sale_vat set gross_cents = 50, net_cents = 47, vat_cents = 3 where sale_id = ?', t2.id);
    await sqlite.run('update sale_payments set amount_cents = 50 where sale_id = ?', t2.id);
    await sqlite.run('update sales set subtotal_cents = 50, total_cents = 50 where id = ?', t2.id);
    // Grand totals from n°2 on lose 900: 950, 1000, 1950, 2900, 3850.
    await sqlite.run('update sales set till_grand_total_cents = till_grand_total_cents - 900 where till_id = 1 and chain_seq >= 2');
    // Re-chained from n°2 with the project's own hash, as the attacker did.
    const db = (await openStore(file)).db;
    const records = await loadTicketRecords(db, { tillId: 1, training: 0, fromSeq: 1, toSeq: 5 });
    let prev = records[0]!.row.hash;
    for (const t of records.slice(1)) {
      const hash = ticketHash(prev, t.record);
      await sqlite.run('update sales set prev_hash = ?, hash = ? where id = ?', prev, hash, t.row.id);
      prev = hash;
    }

    const report = await verifyAll(db, { file, dataDir: shop.dataDir });
    // The hashes agree again (what fooled verify before), but the head signed at n°5 does not.
    expect(report.problems.filter((p) => p.fault === 'hash-mismatch' || p.fault === 'broken-link')).toEqual([]);
    expect(report.ok).toBe(false);
    expect(report.problems).toContainEqual({
      record: 'ticket:caisse 1 position 5',
      fault: 'head-mismatch',
      detail: expect.stringContaining('re-chained without the key'),
    });
    // The witness saw the original hashes of n°2…5.
    for (const n of [2, 3, 4, 5])
      expect(report.problems).toContainEqual(
        expect.objectContaining({ record: `ticket:caisse 1 position ${n}`, fault: 'witness-mismatch' }),
      );

    // The attacker rewrites the signed head's hash too: its signature no longer verifies.
    await sqlite.run(`update chain_heads set hash = ? where chain = 'till:1' and position = 5`, prev);
    const again = await verifyAll(db, { file, dataDir: shop.dataDir });
    expect(again.problems).toContainEqual({
      record: 'ticket:caisse 1 position 5',
      fault: 'bad-signature',
      detail: 'the head’s signature does not verify',
    });
    await sqlite.close();
    await db.destroy();
  });
});

describe('a tail deleted after the last Z', () => {
  let shop: TestShop;
  let till: Client;
  let sell: () => Promise<{ number: number; hash: string; id: string }>;
  let last: { number: number; hash: string };

  beforeAll(async () => {
    ({ shop, sell, till } = await aShopWithTickets());
  });
  afterAll(() => shop.close());

  it('is named by the witness, by the alert at the next start, and by the till that knew the last ticket', async () => {
    for (let i = 0; i < 3; i++) await sell();
    const day = businessDay(new Date(), 'Europe/Paris');
    const z = await shop.admin.post('/api/closings/day', { outlet: 'shop', day, cashCountedCents: 2850, confirmEarly: true });
    expect(z.status).toBe(201);
    // After the Z: two tickets (n°4, n°5, the next business day) and three events (two products, a deposit).
    await sell();
    last = await sell();
    const producer = await aProducer(shop.admin, { name: 'Ferme du Sidobre' });
    expect((await aProduct(shop.admin, { name: 'Œufs', producerId: producer.id, priceCents: 390, vatRateBp: 550 })).id).toBeGreaterThan(0);
    await shop.stop();

    const file = shopTarget(shop);
    const sqlite = await shopSql(shop);
    const { maxEvent } = (await sqlite.get('select max(id) as "maxEvent" from events')) as { maxEvent: number };
    await sqlite.openUp();
    for (const n of [4, 5]) {
      const { id } = (await sqlite.get('select id from sales where till_id = 1 and training = 0 and number = ?', n)) as { id: string };
      for (const table of ['sale_lines', 'sale_payments', 'sale_vat', 'stock_movements'])
        await sqlite.run(`delete from ${table} where sale_id = ?`, id);
      await sqlite.run('delete from sales where id = ?', id);
    }
    await sqlite.run('delete from events where id > ?', maxEvent - 3);
    await sqlite.close();
    const db = (await openStore(file)).db;
    const report = await verifyAll(db, { file, dataDir: shop.dataDir });
    // Hash chains alone see nothing: the tails were cut, not broken.
    expect(report.problems.filter((p) => ['hash-mismatch', 'broken-link', 'missing', 'gap'].includes(p.fault))).toEqual([]);
    expect(report.problems).toContainEqual({
      record: 'ticket:caisse 1 position 3',
      fault: 'truncated',
      detail: "the witness holds 2 record(s) after the database's last (4…5): removed from the database",
    });
    expect(report.problems).toContainEqual({
      record: `event:${maxEvent - 3}`,
      fault: 'truncated',
      detail: `the witness holds 3 record(s) after the database's last (${maxEvent - 2}…${maxEvent}): removed from the database`,
    });
    await db.destroy();

    // The server started on the cut file says so at once, and the till that knew n°5 raises the alert.
    await shop.restart();
    const ahead = (await shop.admin.get('/api/events?kind=journal.witness_ahead')).body as { data: any }[];
    expect(ahead).toHaveLength(1);
    expect(ahead[0]!.data.chains).toEqual(
      expect.arrayContaining([
        { chain: 'till:1', witnessed: 5, database: 3 },
        { chain: 'events', witnessed: maxEvent, database: maxEvent - 3 },
      ]),
    );
    const reported = await till.post('/api/devices/current/head', { training: false, number: last.number, hash: last.hash });
    expect(reported.status).toBe(200);
    expect(reported.body).toEqual({ known: false, lastNumber: 3 });
    const verify = (await shop.admin.get('/api/journal/verify')).body;
    expect(verify.ok).toBe(false);
    expect(verify.problems).toContainEqual(
      expect.objectContaining({ fault: 'till-head-missing', detail: expect.stringContaining('ticket n°5 (till:1)') }),
    );
  });
});

describe('a tail deleted up to a Z, with the witness file and the signed heads', () => {
  let shop: TestShop;
  let sell: () => Promise<{ number: number; hash: string; id: string }>;

  beforeAll(async () => {
    ({ shop, sell } = await aShopWithTickets());
  });
  afterAll(() => shop.close());

  it('is named by the Z, which carries, prints and signs the heads of the chains it closed', async () => {
    const sold = [];
    for (let i = 0; i < 3; i++) sold.push(await sell());
    const day = businessDay(new Date(), 'Europe/Paris');
    const z = await shop.admin.post('/api/closings/day', { outlet: 'shop', day, cashCountedCents: 2850, confirmEarly: true });
    expect(z.status).toBe(201);
    // The Z holds till 1's head: its 3rd ticket, with that ticket's hash as the till was told it.
    expect(z.body.figures.chainHeads).toContainEqual({ chain: 'till:1', position: 3, hash: sold[2]!.hash });
    const pdf = await shop.admin.get(`/api/closings/${z.body.id}.pdf`);
    expect(pdf.status).toBe(200);
    const dir = path.join('test-artifacts', 'journal-signing');
    fs.mkdirSync(dir, { recursive: true });
    const file = path.join(dir, 'z-chain-heads.pdf');
    fs.writeFileSync(file, pdf.raw);
    const text = execFileSync('pdftotext', ['-layout', file, '-']).toString();
    expect(text).toContain('Têtes de chaîne');
    expect(text).toMatch(new RegExp(`Caisse 1\\s+3\\s+${sold[2]!.hash}`));
    expect(text).toMatch(/Signée avec la clé ed25519:[0-9a-f]{4}/);
    await shop.stop();

    // The attacker removes the Z's last ticket, every signed head that would name it, and the witness file.
    const dbFile = shopTarget(shop);
    const sqlite = await shopSql(shop);
    await sqlite.openUp();
    const { id } = (await sqlite.get('select id from sales where till_id = 1 and training = 0 and number = 3')) as { id: string };
    for (const table of ['sale_lines', 'sale_payments', 'sale_vat', 'stock_movements'])
      await sqlite.run(`delete from ${table} where sale_id = ?`, id);
    await sqlite.run('delete from sales where id = ?', id);
    await sqlite.run(`delete from chain_heads where chain = 'till:1' and position >= 3`);
    fs.rmSync(path.join(shop.dataDir, 'witness', 'journal.log'));
    await sqlite.close();
    const db = (await openStore(dbFile)).db;
    const report = await verifyAll(db, { file: dbFile, dataDir: shop.dataDir });
    expect(report.problems).toContainEqual({
      record: 'ticket:caisse 1 position 3',
      fault: 'closing-head-missing',
      detail: `the closing day ${day} (point de vente 1) names this record as its chain's head: it is no longer in the database`,
    });
    await db.destroy();
  });
});

describe('a restore marker forged into the witness', () => {
  let shop: TestShop;
  let sell: () => Promise<{ number: number; hash: string; id: string }>;

  beforeAll(async () => {
    ({ shop, sell } = await aShopWithTickets());
  });
  afterAll(() => shop.close());

  it('explains nothing: the records cut are named as a rollback without its restore event', async () => {
    for (let i = 0; i < 3; i++) await sell();
    await shop.stop();
    const file = shopTarget(shop);
    const sqlite = await shopSql(shop);
    await sqlite.openUp();
    for (const n of [2, 3]) {
      const { id } = (await sqlite.get('select id from sales where till_id = 1 and training = 0 and number = ?', n)) as { id: string };
      for (const table of ['sale_lines', 'sale_payments', 'sale_vat', 'stock_movements'])
        await sqlite.run(`delete from ${table} where sale_id = ?`, id);
      await sqlite.run('delete from sales where id = ?', id);
    }
    await sqlite.run(`delete from chain_heads where chain = 'till:1' and position >= 2`);
    const { maxEvent } = (await sqlite.get('select max(id) as "maxEvent" from events')) as { maxEvent: number };
    // The marker `cli restore` would write, naming an event the database does not hold.
    fs.appendFileSync(path.join(shop.dataDir, 'witness', 'journal.log'), `@restore 99999 ${'0'.repeat(64)} till:1=1,events=${maxEvent}\n`);
    await sqlite.close();
    const db = (await openStore(file)).db;
    const report = await verifyAll(db, { file, dataDir: shop.dataDir });
    expect(report.ok).toBe(false);
    expect(report.witness!.restores).toEqual([]);
    expect(report.problems).toContainEqual({
      record: 'ticket:caisse 1 position 2',
      fault: 'rolled-back',
      detail:
        'the witness marks a restore by event 99999, which the database does not hold as recorded: 2 witnessed record(s) (2…3) are gone unexplained',
    });
    await db.destroy();
  });
});

describe('a till reporting its last acknowledged ticket', () => {
  let shop: TestShop;
  let till: Client;
  let sell: () => Promise<{ number: number; hash: string; id: string }>;

  beforeAll(async () => {
    ({ shop, sell, till } = await aShopWithTickets());
  });
  afterAll(() => shop.close());

  it('raises one alert when the server lacks that head, none when it holds it', async () => {
    const t = await sell();
    expect((await till.post('/api/devices/current/head', { training: false, number: t.number, hash: t.hash })).body).toEqual({
      known: true,
    });
    expect((await shop.admin.get('/api/events?kind=journal.head_missing')).body).toEqual([]);
    // n°7 was never received; reported twice (each sync), one alert.
    const unknown = { training: false, number: 7, hash: 'ab'.repeat(32) };
    expect((await till.post('/api/devices/current/head', unknown)).body).toEqual({ known: false, lastNumber: 1 });
    expect((await till.post('/api/devices/current/head', unknown)).body).toEqual({ known: false, lastNumber: 1 });
    const alerts = (await shop.admin.get('/api/events?kind=journal.head_missing')).body as { subject: string; data: any }[];
    expect(alerts).toHaveLength(1);
    expect(alerts[0]).toMatchObject({
      subject: 'till:1',
      data: { number: 7, hash: 'ab'.repeat(32), server: { lastNumber: 1, lastHash: t.hash } },
    });
    // The known number with another hash is as much a loss.
    expect((await till.post('/api/devices/current/head', { training: false, number: 1, hash: 'cd'.repeat(32) })).body).toEqual({
      known: false,
      lastNumber: 1,
    });
    expect((await shop.admin.get('/api/events?kind=journal.head_missing')).body).toHaveLength(2);
  });

  it('refuses a malformed head with the field and the reason', async () => {
    const res = await till.post('/api/devices/current/head', { training: false, number: 1, hash: 'xyz' });
    expect(res.status).toBe(400);
    expect(JSON.stringify(res.body)).toContain('hash');
  });
});

describe('a key rotated', () => {
  let shop: TestShop;
  let sell: () => Promise<{ number: number; hash: string; id: string }>;

  beforeAll(async () => {
    ({ shop, sell } = await aShopWithTickets());
  });
  afterAll(() => shop.close());

  it('keeps the old public key: signatures made before still verify, new ones use the new key', async () => {
    await sell();
    await shop.stop();
    const cli = execFileSync(path.resolve('node_modules/.bin/tsx'), ['server/cli.ts', 'rotate-key'], {
      env: { ...process.env, ...shopEnv(shop.dataDir) },
    }).toString();
    expect(cli).toMatch(/Nouvelle clé de signature n° 2, empreinte ed25519:/);
    expect(fs.readdirSync(path.join(shop.dataDir, 'keys'))).toHaveLength(2);
    await shop.restart();
    await sell();
    const report = (await shop.admin.get('/api/journal/verify')).body;
    expect(report.ok).toBe(true);
    expect(report.signing.keys).toHaveLength(2);
    expect(report.signing.keys[0].retiredAt).not.toBeNull();
    expect(report.signing.keys[1].retiredAt).toBeNull();
    const sqlite = await shopSql(shop);
    // Heads signed with each key: key 1 up to the stop, key 2 after the restart.
    expect(await sqlite.all('select distinct key_id as k from chain_heads order by k')).toEqual([{ k: 1 }, { k: 2 }]);
    await sqlite.close();
    const kinds = ((await shop.admin.get('/api/events?kind=key.')).body as { kind: string }[]).map((e) => e.kind);
    expect(kinds).toEqual(['key.rotated', 'key.created']);
  });
});
