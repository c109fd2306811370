import { privateDir } from './system/private-files.ts';
import fs from 'node:fs';
import path from 'node:path';
import cluster from 'node:cluster';
import type { Kysely } from 'kysely';
import { ConfigError, loadConfig, type Config } from './config.ts';
import { startServer } from './server.ts';
import { openStore } from '../db/database.ts';
import type { Database } from '../db/schema.ts';
import { createDemoShop } from './shop/demo.ts';
import { shopMode } from './shop/setup.ts';
import { readSetting } from './settings/settings.ts';
import { TlsService } from './tls/tls-service.ts';
import { createLogger } from './log.ts';
import { DEMO_MANAGER_LOGIN, DEMO_PASSWORD } from './shop/demo.ts';
import { issuePairingCode } from './tills/tills.ts';
import { demoProducers, demoStaff } from '../db/seed/demo-data.ts';
import { isDemo } from './settings/settings.ts';
import { lanAddresses } from './tls/tls-service.ts';

let config;
try {
  config = loadConfig();
} catch (e) {
  if (e instanceof ConfigError) {
    console.error(e.message);
    process.exit(1);
  }
  throw e;
}

// Everything the server creates is its own user's only (the database, backups, keys, prints).
process.umask(0o077);
privateDir(config.DATA_DIR);

/** What a person starting the server reads: where it opens, and on a demo shop the logins and pairing codes. */
async function banner(db: Kysely<Database>, url: string, port: number, tls: TlsService, config: Config): Promise<string> {
  const demo = await isDemo(db);
  const names = [...(config.mdns ? [`${config.MDNS_NAME}.local`] : []), ...lanAddresses()];
  const lines = ['', `  Comptoir ${demo ? '— BOUTIQUE DE DÉMONSTRATION (DEMO)' : ''}`, `  Ouvert sur  ${url}  (sur ce poste)`];
  if (config.WORKERS > 1) lines.push(`  Processus   ${config.WORKERS} (PostgreSQL)`);
  if (tls.httpsActive) {
    lines.push(`  Tablettes   ${names.map((n) => `https://${n}:${port}/caisse/`).join('  ') || `https://localhost:${port}/caisse/`}`);
    if (tls.status.ca) {
      lines.push(
        `  Nouvelle tablette ou téléphone : d’abord ${names.map((n) => `http://${n}:${port}/enrol`).join('  ') || `http://localhost:${port}/enrol`}`,
        `  (certificat de la boutique, empreinte SHA-256 ${tls.status.ca.fingerprint})`,
      );
    }
  } else {
    lines.push(`  Tablettes   ${names.map((n) => `http://${n}:${port}/caisse/`).join('  ')}  (HTTPS désactivé : TLS=off)`);
  }
  lines.push(`  Données     ${config.DATA_DIR}`);
  if (demo) {
    const manager = await db.selectFrom('users').select('id').where('login', '=', DEMO_MANAGER_LOGIN).executeTakeFirst();
    const pairing = manager
      ? await db.transaction().execute((trx) => issuePairingCode(trx, 1, manager.id, new Date(), 24 * 3600_000))
      : null;
    lines.push(
      '',
      `  Gérant      ${DEMO_MANAGER_LOGIN} / ${DEMO_PASSWORD}`,
      `  Caissier    code PIN ${demoStaff[0]?.pin ?? '1234'} sur la Caisse 1${pairing ? ` (code d’appairage de la tablette : ${pairing.code}, valable 24 h)` : ''}`,
      `  Producteurs identifiant = leur nom court (ex. ${demoProducers[0]?.slug}), mot de passe ${DEMO_PASSWORD}`,
    );
    // The restaurant: each waiter's phone and the kitchen screen paired with their own till.
    const base = tls.httpsActive ? `https://${names[0] ?? 'localhost'}:${port}` : `http://${names[0] ?? 'localhost'}:${port}`;
    const restaurantTills = await db
      .selectFrom('tills')
      .innerJoin('outlets', 'outlets.id', 'tills.outlet_id')
      .select(['tills.id', 'tills.name'])
      .where('outlets.code', '=', 'restaurant')
      .where('tills.name', 'in', ['Salle 1', 'Salle 2', 'Écran cuisine'])
      .orderBy('tills.id')
      .execute();
    for (const till of manager ? restaurantTills : []) {
      const code = (await db.transaction().execute((trx) => issuePairingCode(trx, till.id, manager!.id, new Date(), 24 * 3600_000))).code;
      const page = till.name === 'Écran cuisine' ? 'cuisine' : 'salle';
      const who = till.name === 'Salle 1' ? ' — Inès, PIN 1357' : till.name === 'Salle 2' ? ' — Baptiste, PIN 8642' : '';
      lines.push(`  ${till.name.padEnd(13)} ${base}/${page}/?pair=${code}${who}`);
    }
    // The building's other counters (issue 22): a till each, any cashier's PIN.
    const counterTills = await db
      .selectFrom('tills')
      .innerJoin('outlets', 'outlets.id', 'tills.outlet_id')
      .select(['tills.id', 'tills.name'])
      .where('outlets.code', 'in', ['epicerie', 'textile', 'ressourcerie'])
      .orderBy('tills.id')
      .execute();
    for (const till of manager ? counterTills : []) {
      const code = (await db.transaction().execute((trx) => issuePairingCode(trx, till.id, manager!.id, new Date(), 24 * 3600_000))).code;
      lines.push(`  ${till.name.padEnd(13)} ${base}/caisse/ — code d’appairage ${code}, PIN ${demoStaff[0]?.pin ?? '1234'}`);
    }
  }
  return lines.join('\n') + '\n';
}

/** A process that dies within this of its start did not start; retries wait RESTART_MS, doubling to MAX_RESTART_MS. */
const QUICK_DEATH_MS = 15_000;
const RESTART_MS = 500;
const MAX_RESTART_MS = 30_000;
/** Before the server first serves: this many deaths in a row of one process stop it (exit 1). */
const START_TRIES = 5;

if (config.WORKERS > 1 && cluster.isPrimary) await primary(config);

/**
 * `WORKERS=N` on PostgreSQL: this process prepares the shop once (migrations, the demo shop, the TLS
 * certificates), then starts N server processes sharing the port (node:cluster hands each connection to one
 * of them) and starts again any that dies. The duties that must run once (print queue, witness, backup) go
 * to one of them at a time (server/system/owner.ts).
 */
async function primary(config: Config): Promise<never> {
  const pidFile = path.join(config.DATA_DIR, 'server.pid');
  fs.writeFileSync(pidFile, String(process.pid));
  const log = createLogger(config.LOG_LEVEL);
  const database = await openStore(config.dbTarget);
  if ((await shopMode(database.db)) === null) await createDemoShop(database.db, new Date());
  const tls = new TlsService(
    config,
    log,
    () => new Date(),
    async () => (await readSetting(database.db, 'shop.identity').catch(() => null))?.name ?? 'Comptoir',
  );
  await tls.prepare();
  let stopping = false;
  let serving = false;
  const slots = new Map<number, { slot: number; at: number }>();
  /** Each slot's deaths in a row within a few seconds of its start (a process that cannot start). */
  const quickDeaths = new Map<number, number>();
  const fork = (slot: number) => {
    const worker = cluster.fork({ WORKER_ID: String(slot) });
    slots.set(worker.id, { slot, at: Date.now() });
  };
  cluster.on('exit', (worker, code, signal) => {
    const { slot, at } = slots.get(worker.id)!;
    slots.delete(worker.id);
    if (stopping) return;
    // A process that dies as it starts (its port taken, its database read-only or unreachable) is not started
    // again every half second for ever: each retry waits twice as long (up to 30 s), and one that never got
    // to serve stops the whole server after 5 tries, saying why (its own error is above in the log).
    const deaths = Date.now() - at < QUICK_DEATH_MS ? (quickDeaths.get(slot) ?? 0) + 1 : 0;
    quickDeaths.set(slot, deaths);
    if (!serving && deaths >= START_TRIES) {
      stopping = true;
      log.error('server processes cannot start', { slot, tries: deaths, code, signal });
      console.error(
        `Les processus du serveur s’arrêtent dès leur démarrage (${deaths} essais) : voyez leur erreur ci-dessus (port déjà pris, base de données en lecture seule ou injoignable…).`,
      );
      for (const w of Object.values(cluster.workers ?? {})) w?.process.kill('SIGTERM');
      fs.rmSync(pidFile, { force: true });
      process.exit(1);
    }
    const delay = Math.min(RESTART_MS * 2 ** Math.max(0, deaths - 1), MAX_RESTART_MS);
    log.warn('server process ended: started again', { slot, pid: worker.process.pid, code, signal, inMs: delay });
    setTimeout(() => {
      if (!stopping) fork(slot);
    }, delay);
  });
  // Each process's HTTP server, once: not the mDNS responder's UDP socket of the process holding the duties
  // (its port 5353 was printed in every tablet's address, found by an attack), nor a process started again.
  const listening = new Promise<number>((resolve) => {
    const ready = new Set<number>();
    cluster.on('listening', (worker, address) => {
      if (address.addressType !== 4 && address.addressType !== 6) return;
      ready.add(worker.id);
      if (ready.size === config.WORKERS && !serving) {
        serving = true;
        resolve(address.port);
      }
    });
  });
  for (let slot = 1; slot <= config.WORKERS; slot++) fork(slot);
  const port = await listening;
  const loopback = config.HOST === '0.0.0.0' || config.HOST === '::' ? '127.0.0.1' : config.HOST;
  console.log(await banner(database.db, `http://${loopback}:${port}`, port, tls, config));
  await database.close();
  const stop = (signal: NodeJS.Signals) => {
    if (stopping) return;
    stopping = true;
    log.info('stopping', { signal, workers: Object.keys(cluster.workers ?? {}).length });
    const workers = Object.values(cluster.workers ?? {});
    for (const w of workers) w?.process.kill('SIGTERM');
    const done = () => {
      fs.rmSync(pidFile, { force: true });
      process.exit(0);
    };
    setTimeout(done, 6000).unref();
    const exits = workers.filter((w) => w && !w.isDead()).map((w) => new Promise<void>((r) => w!.once('exit', () => r())));
    void Promise.all(exits).then(done);
  };
  process.on('SIGINT', () => stop('SIGINT'));
  process.on('SIGTERM', () => stop('SIGTERM'));
  return new Promise<never>(() => undefined);
}

// One server process: alone, or one of the primary's workers.
const worker = cluster.isWorker;
const pidFile = path.join(config.DATA_DIR, config.WORKER_ID === undefined ? 'server.pid' : `server-${config.WORKER_ID}.pid`);
fs.writeFileSync(pidFile, String(process.pid));

// For bench/tickets.ts only: the same server without signed heads and witness, to measure what they cost.
const fiscal = process.env.BENCH_WITHOUT_SIGNING !== '1';
if (!fiscal) console.warn('BENCH_WITHOUT_SIGNING=1: chain heads are not signed and the witness is not written (bench only)');
const running = await startServer({ config, demoIfEmpty: !worker, serveClient: true, fiscal });
if (!worker) console.log(await banner(running.database.db, running.url, running.port, running.services.tls!, config));

let stopping = false;
async function stop(signal: string) {
  if (stopping) return;
  stopping = true;
  running.services.log.info('stopping', { signal });
  // What is being written is finished; anything that hangs (a printer mid-job) does not hold the stop.
  const deadline = setTimeout(() => {
    running.services.log.warn('stop took too long: exiting');
    fs.rmSync(pidFile, { force: true });
    process.exit(0);
  }, 4000);
  await running.close(signal);
  clearTimeout(deadline);
  fs.rmSync(pidFile, { force: true });
  process.exit(0);
}
// An exception nothing caught goes into the event log before the process ends: its marker file stays, so
// the next start says the stop was not clean.
const fatal = (kind: string) => (e: unknown) => {
  running.services.log.error(kind, { error: (e as Error)?.stack ?? String(e) });
  void (running.services.errors?.report((e as Error)?.message ?? String(e), { origin: kind }) ?? Promise.resolve())
    .catch(() => undefined)
    .finally(() => process.exit(1));
};
process.on('uncaughtException', fatal('uncaughtException'));
process.on('unhandledRejection', fatal('unhandledRejection'));
process.on('SIGINT', () => void stop('SIGINT'));
process.on('SIGTERM', () => void stop('SIGTERM'));
