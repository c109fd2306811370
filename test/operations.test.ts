import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import SQLite from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { msUntilHour } from '../server/backup/backup.ts';
import { loadConfig } from '../server/config.ts';
import { createLogger } from '../server/log.ts';
import { startServer } from '../server/server.ts';
import { Client, shopIdentity } from './support/harness.ts';

const run = promisify(execFile);
const root = path.resolve(import.meta.dirname, '..');
const tsx = path.join(root, 'node_modules/.bin/tsx');

async function cli(dataDir: string, ...args: string[]) {
  return cliWith({}, dataDir, ...args);
}

async function cliWith(env: Record<string, string>, dataDir: string, ...args: string[]) {
  try {
    const { stdout, stderr } = await run(tsx, ['server/cli.ts', ...args], {
      cwd: root,
      env: { ...process.env, ...env, DATA_DIR: dataDir },
    });
    return { code: 0, stdout, stderr };
  } catch (e) {
    const err = e as { code: number; stdout: string; stderr: string };
    return { code: err.code, stdout: err.stdout, stderr: err.stderr };
  }
}

/** What verify names after an older backup was restored: records the witness holds and the database lost. */
const ROLLBACK_FAULTS = [
  'truncated',
  'witness-ahead',
  'witness-mismatch',
  'witness-missing',
  'rolled-back',
  'head-missing',
  'till-head-missing',
];

describe('operations from the command line', () => {
  let dataDir: string;
  beforeAll(() => {
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'comptoir-cli-'));
  });
  afterAll(() => fs.rmSync(dataDir, { recursive: true, force: true }));

  it('init creates a real, empty shop and refuses to run twice', async () => {
    const bad = await cli(dataDir, 'init', '--name', 'X', '--siret', '123');
    expect(bad.code).toBe(1);
    expect(bad.stderr).toMatch(/--siret/);
    expect(bad.stderr).toMatch(/--address/);
    const args = [
      'init',
      '--name',
      shopIdentity.name,
      '--address',
      shopIdentity.address,
      '--postal-code',
      shopIdentity.postalCode,
      '--city',
      shopIdentity.city,
      '--siret',
      shopIdentity.siret,
      '--vat-number',
      shopIdentity.vatNumber,
    ];
    const ok = await cli(dataDir, ...args);
    expect(ok.stderr).toBe('');
    expect(ok.code).toBe(0);
    // The shop's certificate authority is made at once, its key readable by the server's user only, and
    // the fingerprint printed is the certificate's.
    const caFile = path.join(dataDir, 'tls', 'ca.crt');
    expect(fs.statSync(path.join(dataDir, 'tls', 'ca.key')).mode & 0o777).toBe(0o600);
    const fingerprint = new (await import('node:crypto')).X509Certificate(fs.readFileSync(caFile)).fingerprint256;
    expect(ok.stdout).toContain(`empreinte SHA-256 ${fingerprint}`);
    const again = await cli(dataDir, ...args);
    expect(again.code).toBe(1);
    expect(again.stderr).toMatch(/déjà une boutique/);
  });

  it('create-admin makes an account that logs in; the real shop has no demo data', async () => {
    expect((await cli(dataDir, 'create-admin', '--login', 'marie', '--password', 'short')).code).toBe(1);
    const res = await cli(dataDir, 'create-admin', '--login', 'marie', '--password', 'un-long-mot-de-passe', '--name', 'Marie');
    expect(res.code).toBe(0);
    const config = loadConfig({ DATA_DIR: dataDir, PORT: '0', HOST: '127.0.0.1', BACKUP_HOUR: 'off', MDNS: 'off', CHECK_RESPONSES: 'on' });
    // demoIfEmpty as `npm start` does: a real shop must never receive demo data.
    const server = await startServer({ config, logger: createLogger('silent'), demoIfEmpty: true });
    try {
      expect(server.createdDemo).toBe(false);
      const c = new Client(server.url);
      expect((await c.post('/api/auth/login', { login: 'marie', password: 'un-long-mot-de-passe' })).status).toBe(200);
      expect((await c.get('/api/shop')).body).toEqual({ name: shopIdentity.name, city: 'Castres', demo: false });
      expect((await c.get('/api/products')).body).toEqual([]);
      expect((await c.get('/api/producers')).body).toEqual([]);
      // A backup taken while the server runs.
      const backup = await c.post('/api/backups');
      expect(backup.status).toBe(201);
      expect((await c.get('/api/backups')).body.map((b: any) => b.name)).toContain(backup.body.name);
    } finally {
      await server.close();
    }
  });

  it('backup then restore brings the database back as it was; restore refuses a corrupt file', async () => {
    const config = loadConfig({ DATA_DIR: dataDir, PORT: '0', HOST: '127.0.0.1', BACKUP_HOUR: 'off', MDNS: 'off', CHECK_RESPONSES: 'on' });
    const backup = await cli(dataDir, 'backup');
    expect(backup.code).toBe(0);
    const file = backup.stdout.trim();
    expect(fs.existsSync(file)).toBe(true);

    // After the backup, a producer is added; restoring the backup removes it again.
    let server = await startServer({ config, logger: createLogger('silent') });
    const c = new Client(server.url);
    await c.post('/api/auth/login', { login: 'marie', password: 'un-long-mot-de-passe' });
    const p = await c.post('/api/producers', {
      name: 'Après la sauvegarde',
      legalName: 'X',
      siret: '73282932000074',
      vatStatus: 'subject',
      commissionBp: 1800,
    });
    expect(p.status).toBe(201);
    // The server holds a pid file: restore refuses while it runs.
    fs.writeFileSync(path.join(dataDir, 'server.pid'), String(process.pid));
    const refused = await cli(dataDir, 'restore', file);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toMatch(/serveur tourne/);
    fs.rmSync(path.join(dataDir, 'server.pid'));
    await server.close();

    const corrupt = path.join(dataDir, 'corrupt.sqlite');
    const bytes = fs.readFileSync(file);
    bytes.fill(0x41, 4096, 8192); // overwrite the second page
    fs.writeFileSync(corrupt, bytes);
    const bad = await cli(dataDir, 'restore', corrupt);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toMatch(/Restauration refusée/);
    const notDb = path.join(dataDir, 'notes.txt');
    fs.writeFileSync(notDb, 'hello');
    expect((await cli(dataDir, 'restore', notDb)).code).toBe(1);

    // The chain heads of the database the restore replaces, read by hand to compare with what it says.
    const replacedDb = new SQLite(config.dbFile, { readonly: true });
    const replacedEvents = (replacedDb.prepare('select max(id) as n from events').get() as { n: number }).n;
    replacedDb.close();
    const restored = await cli(dataDir, 'restore', file);
    expect(restored.code).toBe(0);
    server = await startServer({ config, logger: createLogger('silent') });
    try {
      const c2 = new Client(server.url);
      await c2.post('/api/auth/login', { login: 'marie', password: 'un-long-mot-de-passe' });
      expect((await c2.get('/api/producers')).body).toEqual([]);
      // The restore is an event written after it into the restored database: the backup's name and what it
      // took back (the events recorded after the backup: the producer, the server's start and stop, the login…).
      const [event] = (await c2.get('/api/events?kind=backup.restored')).body;
      expect(event.subject).toBe(path.basename(file));
      expect(event.data.replaced.events).toBe(replacedEvents);
      expect(event.data.takenBack.events).toBe(replacedEvents - event.data.restored.events);
      expect(event.data.takenBack.events).toBeGreaterThan(0);
      expect(event.data.takenBack.tickets).toBe(0);
      expect(event.data.backupDate).toBe(fs.statSync(file).mtime.toISOString());
      // The witness outside the database still holds what the restore took back (issue 20, item 2); the restore
      // marked it there with its event, so verify lists those records under the restore, not as a deletion:
      // every event after the backup (replacedEvents − restored events of them, worked out above) on the
      // event chain, from the first position the restored database lacked.
      const report = (await c2.get('/api/journal/verify')).body;
      expect(report.problems).toEqual([]);
      expect(report.ok).toBe(true);
      expect(report.witness.restores).toEqual([
        {
          eventId: event.id,
          at: event.at,
          backup: path.basename(file),
          takenBack: [
            {
              chain: 'events',
              label: `event:${event.data.restored.events + 1}`,
              from: event.data.restored.events + 1,
              to: replacedEvents,
              count: replacedEvents - event.data.restored.events,
            },
          ],
        },
      ]);
      expect(event.data.takenBack.chains).toEqual([{ chain: 'events', from: event.data.restored.events + 1, to: replacedEvents }]);
    } finally {
      await server.close();
    }
    const verify = await cli(dataDir, 'verify');
    expect(verify.code).toBe(0);
    // Each verify run is an event, from the route and from the command line, with its result.
    const db = new SQLite(config.dbFile, { readonly: true });
    const runs = db.prepare(`select data from events where kind = 'journal.verified' order by id`).all() as { data: string }[];
    db.close();
    expect(runs.map((r) => JSON.parse(r.data) as { ok: boolean; via: string })).toMatchObject([
      { ok: true, via: 'route' },
      { ok: true, via: 'cli' },
    ]);
  }, 120_000); // four CLI processes (tsx start-up each): slow on a loaded 2-core machine

  it('seals a backup with a passphrase for a copy kept off site, and restores it only with that passphrase', async () => {
    const passphrase = 'le fromage de Lacaune 2026';
    const short = await cliWith({ BACKUP_PASSPHRASE: 'court' }, dataDir, 'backup', '--encrypt');
    expect(short.code).toBe(1);
    expect(short.stderr).toMatch(/12 caractères/);
    const sealed = await cliWith({ BACKUP_PASSPHRASE: passphrase }, dataDir, 'backup', '--encrypt');
    expect(sealed.code).toBe(0);
    const file = sealed.stdout.trim();
    expect(file).toMatch(/\.sqlite\.enc$/);
    // Only the sealed copy is left, private; it holds no readable SQLite page.
    expect(fs.existsSync(file.replace(/\.enc$/, ''))).toBe(false);
    expect(fs.statSync(file).mode & 0o777).toBe(0o600);
    const bytes = fs.readFileSync(file);
    expect(bytes.subarray(0, 8).toString()).toBe('CPTRENC1');
    expect(bytes.includes(Buffer.from('SQLite format 3'))).toBe(false);
    expect(bytes.includes(Buffer.from('kysely_migration'))).toBe(false);

    const wrong = await cliWith({ BACKUP_PASSPHRASE: 'pas la bonne phrase du tout' }, dataDir, 'restore', file);
    expect(wrong.code).toBe(1);
    expect(wrong.stderr).toMatch(/phrase de passe fausse/);
    // One byte changed in the middle: refused too (the tag covers the whole file).
    const tampered = path.join(dataDir, 'tampered.sqlite.enc');
    const copy = Buffer.from(bytes);
    copy[copy.length >> 1] = copy[copy.length >> 1]! ^ 1;
    fs.writeFileSync(tampered, copy);
    expect((await cliWith({ BACKUP_PASSPHRASE: passphrase }, dataDir, 'restore', tampered)).code).toBe(1);
    // Nothing decrypted is left behind by a refusal.
    expect(fs.readdirSync(dataDir).filter((f) => f.startsWith('decrypted-'))).toEqual([]);

    const restored = await cliWith({ BACKUP_PASSPHRASE: passphrase }, dataDir, 'restore', file);
    expect(restored.code).toBe(0);
    expect(fs.readdirSync(dataDir).filter((f) => f.startsWith('decrypted-'))).toEqual([]);
    // Restored over a database that went on since, with `cli restore`: the records it took back are listed
    // under the restore's event, and nothing is a problem.
    const verify = await cli(dataDir, 'verify');
    const report = JSON.parse(verify.stdout) as {
      ok: boolean;
      problems: { fault: string }[];
      witness: { restores: { backup: string; takenBack: { chain: string }[] }[] };
    };
    expect(report.problems).toEqual([]);
    expect(report.witness.restores.at(-1)!.backup).toBe(path.basename(file));
    // Between the sealed backup and its restore only command-line runs wrote (the witness learns of their
    // events at the server's next start): the restore took back nothing the witness had seen.
    expect(report.witness.restores.at(-1)!.takenBack).toEqual([]);

    // The same backup put back by copying the file over the database, as someone hiding a day would: no
    // event, no marker, and verify names the rollback from the witness.
    const older = fs
      .readdirSync(path.dirname(file))
      .filter((f) => f.endsWith('.sqlite'))
      .sort()[0]!;
    fs.copyFileSync(path.join(path.dirname(file), older), path.join(dataDir, 'comptoir.sqlite'));
    for (const f of ['comptoir.sqlite-wal', 'comptoir.sqlite-shm']) fs.rmSync(path.join(dataDir, f), { force: true });
    const copied = await cli(dataDir, 'verify');
    expect(copied.code).toBe(2);
    const faults = (JSON.parse(copied.stdout) as { problems: { fault: string }[] }).problems.map((p) => p.fault);
    expect(faults).toContain('truncated');
    expect(faults.filter((f) => !ROLLBACK_FAULTS.includes(f))).toEqual([]);
  }, 120_000);
});

describe('configuration from the environment', () => {
  it('names every wrong value with its reason', () => {
    expect(() => loadConfig({ PORT: 'abc', PRINTER: 'lpt1', TZ_BUSINESS: 'Mars/Olympus' })).toThrow(/PORT[\s\S]*PRINTER[\s\S]*TZ_BUSINESS/);
    const config = loadConfig({ PRINTER: 'tcp://192.0.2.10:9100', DATA_DIR: '/tmp/x' });
    expect(config).toMatchObject({
      PORT: 3000,
      PRINTER: 'tcp://192.0.2.10:9100',
      TZ_BUSINESS: 'Europe/Paris',
      dbFile: '/tmp/x/comptoir.sqlite',
    });
  });
});

describe('the nightly backup schedule', () => {
  it('waits until 03:00 in Paris, across daylight-saving changes', () => {
    const HOUR = 3600_000;
    // 22 Nov 2026 12:00 UTC = 13:00 in Paris (UTC+1); next 03:00 Paris = 23 Nov 02:00 UTC: 14 h.
    expect(msUntilHour(new Date('2026-11-22T12:00:00Z'), 3, 'Europe/Paris')).toBe(14 * HOUR);
    // 28 Mar 2026 12:00 UTC = 13:00 CET; clocks go to summer time on the 29th at 02:00, so 03:00 CEST = 01:00 UTC: 13 h.
    expect(msUntilHour(new Date('2026-03-28T12:00:00Z'), 3, 'Europe/Paris')).toBe(13 * HOUR);
  });
});
