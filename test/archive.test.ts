import { ticketHash } from '../server/journal/tickets.ts';
import { execFileSync } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verifyArchive } from '../server/archive/archive.ts';
import { readTar, writeTar } from '../server/archive/tar.ts';
import { aProduct, aUser, startTestShop, type TestShop } from './support/harness.ts';
import { uuidv7 } from './support/tickets.ts';

const NOW = new Date('2026-02-10T10:00:00Z');

describe('fiscal archive of a closed year', () => {
  let shop: TestShop;
  let file: string;

  beforeAll(async () => {
    shop = await startTestShop({ now: () => NOW });
    const pain = await aProduct(shop.admin, { name: 'Pain', priceCents: 520 });
    const till = (await aUser(shop, 'cashier')).client;
    // A till in training mode: its tickets are archived too, in their own chain, marked as training.
    const training = await shop.admin.post('/api/tills', { outlet: 'shop', name: 'Formation' });
    expect((await shop.admin.patch(`/api/tills/${training.body.id}`, { trainingMode: true })).status).toBe(200);
    const trainee = (await aUser(shop, 'cashier', { tillId: training.body.id })).client;
    const practice = await trainee.post('/api/sales', {
      id: uuidv7(),
      tillId: training.body.id,
      number: 1,
      createdAt: '2025-12-20T09:00:00Z',
      lines: [{ productId: pain.id, quantity: 1, unitPriceCents: 520 }],
      payments: [{ method: 'cash', amountCents: 520 }],
      totalCents: 520,
    });
    expect(practice.status).toBe(201);
    let number = 0;
    for (const day of ['2025-12-19', '2025-12-20']) {
      for (let i = 0; i < 3; i++) {
        const res = await till.post('/api/sales', {
          id: uuidv7(),
          tillId: 1,
          number: ++number,
          createdAt: `${day}T1${i}:00:00Z`,
          lines: [{ productId: pain.id, quantity: 1, unitPriceCents: 520 }],
          payments: [{ method: 'card', amountCents: 520 }],
          totalCents: 520,
        });
        expect(res.status).toBe(201);
      }
      expect((await shop.admin.post('/api/closings/day', { outlet: 'shop', day, cashCountedCents: 0 })).status).toBe(201);
    }
    expect((await shop.admin.post('/api/closings/month', { outlet: 'shop', month: '2025-12' })).status).toBe(201);
  });
  afterAll(() => shop.close());

  it('refuses a year that is not closed', async () => {
    const res = await shop.admin.post('/api/archives', { year: '2025' });
    expect(res.status).toBe(422);
    expect(res.body.error.message).toMatch(/pas clôturé/);
  });

  it('writes a standard tar.gz that verifies on its own', async () => {
    expect((await shop.admin.post('/api/closings/year', { outlet: 'shop', year: '2025' })).status).toBe(201);
    const res = await shop.admin.post('/api/archives', { year: '2025' });
    expect(res.status).toBe(201);
    // 6 real tickets and the training one; 2 days + 1 month + 1 year closings.
    expect(res.body.counts).toMatchObject({ tickets: 7, closings: 4 });
    // Its creation is in the chained event log, with the file's name and hash (the JET).
    const [created] = (await shop.admin.get('/api/events?kind=archive.created')).body;
    expect(created).toMatchObject({ subject: res.body.name, data: { year: '2025', sha256: res.body.sha256, tickets: 7 } });
    const download = await fetch(`${shop.url}/api/archives/${res.body.name}`, { headers: { cookie: shop.admin.cookieHeader() } });
    const bytes = Buffer.from(await download.arrayBuffer());
    expect(crypto.createHash('sha256').update(bytes).digest('hex')).toBe(res.body.sha256);
    file = path.join(shop.dataDir, 'downloaded.tar.gz');
    fs.writeFileSync(file, bytes);
    // Any tar lists it.
    expect(execFileSync('tar', ['-tzf', file]).toString().split('\n').filter(Boolean)).toEqual([
      'manifest.json',
      'LISEZMOI.txt',
      'heads.json',
      'tickets.jsonl',
      'closings.jsonl',
      'events.jsonl',
    ]);
    expect(verifyArchive(bytes)).toMatchObject({ ok: true, year: '2025', counts: { tickets: 7, closings: 4 }, problems: [] });
    const archived = readTar(zlib.gunzipSync(bytes));
    const records = archived
      .get('tickets.jsonl')!
      .toString('utf8')
      .split('\n')
      .filter(Boolean)
      .map((l) => JSON.parse(l).record);
    // The training till is till 2 (the shop's own is till 1).
    expect(records.filter((r) => r.training).map((r) => [r.tillId, r.number, r.totalCents])).toEqual([[2, 1, 520]]);
    const cli = execFileSync(path.resolve('node_modules/.bin/tsx'), ['server/cli.ts', 'verify', '--archive', file], {
      env: { ...process.env, DATA_DIR: shop.dataDir },
    }).toString();
    expect(JSON.parse(cli).ok).toBe(true);
  });

  const rebuild = (edit: (files: Map<string, Buffer>) => void) => {
    const files = readTar(zlib.gunzipSync(fs.readFileSync(file)));
    edit(files);
    return zlib.gzipSync(
      writeTar(
        [...files].map(([name, data]) => ({ name, data })),
        NOW,
      ),
    );
  };

  it('finds a file changed without its sum, and a ticket changed with its sum recomputed', async () => {
    const flipped = rebuild((files) => {
      const t = files.get('tickets.jsonl')!.toString().replace('"totalCents":520', '"totalCents":420');
      files.set('tickets.jsonl', Buffer.from(t));
    });
    expect(verifyArchive(flipped).problems).toContainEqual(expect.objectContaining({ record: 'tickets.jsonl', fault: 'checksum' }));
    const forged = rebuild((files) => {
      const t = Buffer.from(files.get('tickets.jsonl')!.toString().replace('"totalCents":520', '"totalCents":420'));
      files.set('tickets.jsonl', t);
      const manifest = JSON.parse(files.get('manifest.json')!.toString());
      manifest.files.find((f: any) => f.name === 'tickets.jsonl').sha256 = crypto.createHash('sha256').update(t).digest('hex');
      files.set('manifest.json', Buffer.from(JSON.stringify(manifest)));
    });
    const report = verifyArchive(forged);
    expect(report.ok).toBe(false);
    expect(report.problems).toEqual([expect.objectContaining({ record: 'ticket:caisse 1 n°1', fault: 'hash-mismatch' })]);
    const dropped = rebuild((files) => {
      const lines = files.get('tickets.jsonl')!.toString().split('\n');
      lines.splice(2, 1);
      files.set('tickets.jsonl', Buffer.from(lines.join('\n')));
    });
    const faults = verifyArchive(dropped).problems.map((p) => p.fault);
    expect(faults).toEqual(expect.arrayContaining(['checksum', 'missing', 'broken-link']));
  });

  it('carries the signed heads and public keys: a chain re-hashed inside the archive is named by its signatures', async () => {
    const heads = JSON.parse(
      readTar(zlib.gunzipSync(fs.readFileSync(file)))
        .get('heads.json')!
        .toString(),
    );
    expect(heads.keys).toHaveLength(1);
    expect(heads.keys[0].publicKey).toContain('BEGIN PUBLIC KEY');
    // The Z of each day signed every chain's head: till 1 at positions 3 and 6 at least.
    expect(heads.heads.filter((h: any) => h.chain === 'till:1').map((h: any) => h.position)).toEqual(expect.arrayContaining([3, 6]));
    const rechained = rebuild((files) => {
      const tickets = files
        .get('tickets.jsonl')!
        .toString()
        .split('\n')
        .filter(Boolean)
        .map((l) => JSON.parse(l));
      // Till 1's own chain (the training till's is apart), re-hashed from its first ticket.
      const till1 = tickets.filter((t) => t.record.tillId === 1 && !t.record.training);
      till1[0].record.lines[0].name = 'Pain (modifié)';
      let prev = till1[0].prevHash;
      for (const t of till1) {
        t.prevHash = prev;
        t.hash = ticketHash(prev, t.record);
        prev = t.hash;
      }
      const data = Buffer.from(tickets.map((t) => JSON.stringify(t) + '\n').join(''));
      files.set('tickets.jsonl', data);
      const manifest = JSON.parse(files.get('manifest.json')!.toString());
      manifest.files.find((f: any) => f.name === 'tickets.jsonl').sha256 = crypto.createHash('sha256').update(data).digest('hex');
      manifest.chains.tills[0].headHash = prev;
      files.set('manifest.json', Buffer.from(JSON.stringify(manifest)));
    });
    const report = verifyArchive(rechained);
    expect(report.problems.filter((p) => p.fault === 'hash-mismatch' || p.fault === 'broken-link' || p.fault === 'head')).toEqual([]);
    expect(report.problems).toContainEqual(expect.objectContaining({ record: 'till:1 #6', fault: 'head-mismatch' }));
  });
});
