import { recordMove } from './shop/moved.ts';
import fs from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { openDatabase, openStore } from '../db/database.ts';
import type { Db } from '../db/schema.ts';
import { isPostgresUrl } from '../db/engine.ts';
import { moveShop, MoveRefused } from './system/move.ts';
import { shopIdentitySchema } from '../shared/api/settings.ts';
import { passwordSchema, loginSchema } from '../shared/api/admin.ts';
import { backupDatabase, restoreBackup } from './backup/backup.ts';
import { decryptFile, encryptFile, ENCRYPTED_SUFFIX, MIN_PASSPHRASE } from './backup/encrypt.ts';
import { privateDir } from './system/private-files.ts';
import { ConfigError, loadConfig } from './config.ts';
import { recordEvent } from './journal/events.ts';
import { createAdmin, createRealShop, shopMode } from './shop/setup.ts';
import { verifyAll } from './journal/verify.ts';
import { createArchive, verifyArchive } from './archive/archive.ts';
import { createLogger } from './log.ts';
import { readWitness, WitnessWriter, witnessFile } from './journal/witness.ts';
import { chainEnds } from './journal/heads.ts';
import { chainHeads, headsOfEnds, recordRestore, recordVerify } from './system/jet.ts';
import { TlsService } from './tls/tls-service.ts';
import { ensureSigningKey, rotateSigningKey, shortFingerprint } from './journal/keys.ts';
import { fiscalPaths } from './journal/fiscal.ts';

const usage = `Comptoir — commandes d’exploitation (npm run cli -- COMMANDE)

  init --name NOM --legal-name RAISON [--legal-form FORME] [--share-capital EUROS] --address ADRESSE --postal-code CP --city VILLE --siret SIRET --vat-number TVA
        Crée une vraie boutique, vide (jamais de données de démonstration).
  create-admin --login IDENTIFIANT --password MOT_DE_PASSE [--name NOM] [--pin PIN]
        Crée un compte administrateur.
  verify        Revérifie toutes les chaînes (journal des événements, ventes, clôtures), leurs signatures,
                le témoin DATA_DIR/witness et le stock ; affiche l’empreinte de la clé publique.
  rotate-key    Nouvelle paire de clés de signature du journal (l’ancienne est retirée, sa clé publique gardée).
  verify --archive FICHIER
        Vérifie une archive fiscale seule, sans base de données.
  archive --year AAAA
        Écrit l’archive fiscale d’un exercice clôturé dans DATA_DIR/archives.
  backup        Sauvegarde en ligne de la base dans DATA_DIR/backups (le serveur peut tourner ; pg_dump sur PostgreSQL).
  backup --encrypt
        La même, chiffrée (AES-256-GCM, clé tirée par scrypt) avec la phrase de passe de la variable
        BACKUP_PASSPHRASE (12 caractères au moins) : pour une copie gardée hors de la boutique (.sqlite.enc).
  restore FICHIER
        Remplace la base par une sauvegarde vérifiée (serveur arrêté ; l’ancienne base est gardée à côté).
        Une sauvegarde chiffrée (.enc) est déchiffrée avec BACKUP_PASSPHRASE.
  record-restore FICHIER
        Sur PostgreSQL, après pg_restore ou une restauration à un instant (serveurs arrêtés) : inscrit la
        restauration au journal et au témoin, comme le fait restore sur SQLite (verify la nomme alors).
  migrate --to postgres://…
        Copie la boutique du fichier SQLite de DATA_DIR dans une base PostgreSQL vide (serveur arrêté), puis
        vérifie que chaque table, chaîne, signature et clôture est identique des deux côtés.

Variables : DATA_DIR (./data), DATABASE_URL (postgres://… : la base sur PostgreSQL), PORT, PRINTER, TZ_BUSINESS, TLS, TLS_NAMES (voir le README).`;

/** The hash of a chain's record at a position (`events`, `till:1`, `till:1:training`, `closings:2`). */
async function hashAt(db: Db, chain: string, position: number): Promise<string | null> {
  if (chain === 'events') return (await db.selectFrom('events').select('hash').where('id', '=', position).executeTakeFirst())?.hash ?? null;
  const till = chain.match(/^till:(\d+)(:training)?$/);
  if (till)
    return (
      (
        await db
          .selectFrom('sales')
          .select('hash')
          .where('till_id', '=', Number(till[1]))
          .where('training', '=', till[2] ? 1 : 0)
          .where('chain_seq', '=', position)
          .executeTakeFirst()
      )?.hash ?? null
    );
  const closing = chain.match(/^closings:(\d+)$/);
  if (closing)
    return (
      (
        await db
          .selectFrom('closings')
          .select('hash')
          .where('outlet_id', '=', Number(closing[1]))
          .where('seq', '=', position)
          .executeTakeFirst()
      )?.hash ?? null
    );
  return null;
}

/** A decrypted copy and what checking it left beside it (its -wal and -shm). */
function removeClear(file: string | null) {
  if (file) for (const suffix of ['', '-wal', '-shm']) fs.rmSync(file + suffix, { force: true });
}

function fail(message: string): never {
  console.error(message);
  process.exit(1);
}

function serverRunning(dataDir: string): number | null {
  const pidFile = path.join(dataDir, 'server.pid');
  if (!fs.existsSync(pidFile)) return null;
  const pid = Number(fs.readFileSync(pidFile, 'utf8'));
  try {
    process.kill(pid, 0);
    return pid;
  } catch {
    return null;
  }
}

async function main() {
  const [command, ...rest] = process.argv.slice(2);
  let config;
  try {
    config = loadConfig();
  } catch (e) {
    if (e instanceof ConfigError) fail(e.message);
    throw e;
  }
  const now = new Date();
  switch (command) {
    case 'init': {
      const { values } = parseArgs({
        args: rest,
        options: {
          name: { type: 'string' },
          'legal-name': { type: 'string' },
          'legal-form': { type: 'string' },
          'share-capital': { type: 'string' },
          address: { type: 'string' },
          'postal-code': { type: 'string' },
          city: { type: 'string' },
          siret: { type: 'string' },
          'vat-number': { type: 'string' },
          phone: { type: 'string' },
          email: { type: 'string' },
        },
      });
      const identity = shopIdentitySchema.safeParse({
        name: values.name,
        legalName: values['legal-name'] ?? values.name,
        legalForm: values['legal-form'] ?? '',
        // Whole euros (« au capital de 12 000 € »): not a number is left for the schema to name.
        shareCapitalCents:
          values['share-capital'] === undefined ? null : Math.round(Number(values['share-capital'].replace(',', '.')) * 100),
        address: values.address,
        postalCode: values['postal-code'],
        city: values.city,
        siret: values.siret,
        vatNumber: values['vat-number'],
        phone: values.phone ?? '',
        email: values.email ?? '',
      });
      if (!identity.success) {
        fail(
          `Boutique non créée :\n${identity.error.issues.map((i) => `  --${String(i.path[0]).replace(/[A-Z]/g, (c) => '-' + c.toLowerCase())} : ${i.message}`).join('\n')}`,
        );
      }
      const database = await openStore(config.dbTarget);
      try {
        const mode = await shopMode(database.db);
        if (mode)
          fail(
            `${database.file} contient déjà une boutique (${mode === 'demo' ? 'de démonstration' : 'réelle'}) : rien n’a été changé. Choisissez un autre DATA_DIR.`,
          );
        await createRealShop(database.db, identity.data, now);
        console.log(`Boutique « ${identity.data.name} » créée dans ${database.file}.`);
        // The journal's signing key: its private half in DATA_DIR/keys, to be backed up apart (README).
        const key = await database.db.transaction().execute((trx) => ensureSigningKey(trx, fiscalPaths(config.DATA_DIR).keysDir, now));
        console.log(
          `Clé de signature du journal : ${fiscalPaths(config.DATA_DIR).keysDir} (à sauvegarder à part, jamais avec la base)\n  empreinte ${shortFingerprint(key.fingerprint)}`,
        );
        // The shop's certificate authority, made now so its fingerprint can be noted before the first tablet.
        const tls = new TlsService(
          config,
          createLogger('warn'),
          () => now,
          async () => identity.data.name,
        );
        await tls.prepare();
        if (tls.status.ca)
          console.log(
            `Certificat de la boutique (à installer sur chaque tablette, page /enrol) : ${config.tlsDir}/ca.crt\n  empreinte SHA-256 ${tls.status.ca.fingerprint}`,
          );
        console.log('Étape suivante : npm run cli -- create-admin --login VOTRE_IDENTIFIANT --password VOTRE_MOT_DE_PASSE');
      } finally {
        await database.close();
      }
      return;
    }
    case 'create-admin': {
      const { values } = parseArgs({
        args: rest,
        options: { login: { type: 'string' }, password: { type: 'string' }, name: { type: 'string' }, pin: { type: 'string' } },
      });
      const login = loginSchema.safeParse(values.login ?? '');
      if (!login.success) fail(`--login : ${login.error.issues[0]?.message}`);
      const password = passwordSchema.safeParse(values.password ?? '');
      if (!password.success) fail(`--password : ${password.error.issues[0]?.message}`);
      if (values.pin !== undefined && !/^\d{4,8}$/.test(values.pin)) fail('--pin : de 4 à 8 chiffres');
      const database = await openStore(config.dbTarget);
      try {
        if (!(await shopMode(database.db)))
          fail('Aucune boutique dans cette base : lancez d’abord `npm run cli -- init …` (ou `npm start` pour la démo).');
        const id = await createAdmin(
          database.db,
          {
            login: login.data,
            password: password.data,
            ...(values.name ? { displayName: values.name } : {}),
            ...(values.pin ? { pin: values.pin } : {}),
          },
          now,
        ).catch((e: Error) => fail(e.message));
        console.log(`Administrateur « ${login.data} » créé (n° ${id}).`);
      } finally {
        await database.close();
      }
      return;
    }
    case 'archive': {
      const { values } = parseArgs({ args: rest, options: { year: { type: 'string' } } });
      if (!values.year || !/^\d{4}$/.test(values.year)) fail('Usage : npm run cli -- archive --year AAAA');
      const database = await openStore(config.dbTarget);
      try {
        const archive = await createArchive(database.db, values.year, config.archiveDir, null, now).catch((e: Error) =>
          fail(`Archive refusée : ${e.message}`),
        );
        console.log(
          `${archive.file}\nSHA-256 ${archive.sha256}\n${archive.counts.tickets} tickets, ${archive.counts.closings} clôtures, ${archive.counts.events} événements`,
        );
      } finally {
        await database.close();
      }
      return;
    }
    case 'verify': {
      const { values } = parseArgs({ args: rest, options: { archive: { type: 'string' } } });
      if (values.archive) {
        if (!fs.existsSync(values.archive)) fail(`Fichier introuvable : ${values.archive}`);
        const report = verifyArchive(fs.readFileSync(values.archive));
        console.log(JSON.stringify(report, null, 2));
        if (!report.ok) process.exitCode = 2;
        return;
      }
      const database = await openStore(config.dbTarget);
      try {
        const report = await verifyAll(database.db, { file: config.dbTarget, dataDir: config.DATA_DIR });
        await recordVerify(database.db, report, { userId: null, via: 'cli' }, new Date()).catch((e: { code?: string; message: string }) => {
          // A PostgreSQL still in recovery (a point-in-time recovery paused at its target) is read-only: the
          // report is still given, its run not logged (it crashed with a stack trace).
          if (e.code !== '25006') throw e;
          console.error(
            'Base en lecture seule (PostgreSQL encore en récupération ? recovery_target_action = promote, ou pg_wal_replay_resume()) : vérification faite, non inscrite au journal.',
          );
        });
        console.log(JSON.stringify(report, null, 2));
        // For the reader, beside the JSON (which carries it too, and stays alone on stdout for tools).
        console.error(`Clé publique du journal : ${report.signing.fingerprint ?? 'aucune'}`);
        if (!report.ok) process.exitCode = 2;
      } finally {
        await database.close();
      }
      return;
    }
    case 'record-restore': {
      // PostgreSQL: the restore was pg_restore's (or a point-in-time recovery's); what `restore` does on
      // SQLite after it is done here, once, before the servers start again: an event saying what came back,
      // and the witness told that what it held beyond the restored ends was taken back, not cut (a probe's
      // correct recovery read as tampering for good).
      const file = rest[0];
      if (!file) fail('Usage : npm run cli -- record-restore FICHIER (la sauvegarde restaurée, ou « pitr »)');
      if (!config.DATABASE_URL) fail('Sur SQLite, restaurez avec npm run cli -- restore FICHIER : il inscrit la restauration lui-même.');
      const pid = serverRunning(config.DATA_DIR);
      if (pid) fail(`Le serveur tourne (pid ${pid}) : arrêtez-le avant d’inscrire la restauration.`);
      const database = await openStore(config.dbTarget);
      try {
        const ends = await chainEnds(database.db);
        const witness = readWitness(witnessFile(config.DATA_DIR));
        // Where the restore ended, per chain: records written on the restored database since (a verify run
        // before this, say) hold other hashes than the witness saw at their positions; the restore ended before.
        for (const [chain, end] of ends) {
          let p = end;
          const seen = witness?.chains.get(chain);
          while (p > 0 && seen?.has(p) && seen.get(p) !== (await hashAt(database.db, chain, p))) p--;
          ends.set(chain, p);
        }
        const held = new Map<string, number>();
        for (const [chain, positions] of witness?.chains ?? []) held.set(chain, Math.max(0, ...positions.keys()));
        const last = async () => ({
          ticket:
            (
              await database.db
                .selectFrom('sales')
                .select((eb) => eb.fn.max('created_at').as('at'))
                .executeTakeFirst()
            )?.at ?? null,
          event:
            (
              await database.db
                .selectFrom('events')
                .select((eb) => eb.fn.max('at').as('at'))
                .executeTakeFirst()
            )?.at ?? null,
        });
        const at = await last();
        const restored = headsOfEnds(ends, at.ticket, at.event);
        const replaced = witness
          ? headsOfEnds(new Map([...ends, ...held].map(([c]) => [c, Math.max(ends.get(c) ?? 0, held.get(c) ?? 0)])), null, null)
          : null;
        const backupDate = fs.existsSync(file) ? fs.statSync(file).mtime.toISOString() : new Date().toISOString();
        const eventId = await recordRestore(
          database.db,
          { file: path.resolve(file), backupDate, replaced, restored, keptAs: null },
          new Date(),
        );
        const event = await database.db.selectFrom('events').select('hash').where('id', '=', eventId).executeTakeFirstOrThrow();
        const writer = new WitnessWriter(witnessFile(config.DATA_DIR));
        try {
          writer.markRestore(eventId, event.hash, ends);
        } finally {
          writer.close();
        }
        const back = replaced ? replaced.tickets - restored.tickets : 0;
        console.log(
          `Restauration inscrite (événement n° ${eventId}).${back > 0 ? ` ${back} ticket(s) que le témoin avait vus ne sont pas dans la base restaurée : verify les nomme.` : ''}`,
        );
      } finally {
        await database.close();
      }
      return;
    }
    case 'migrate': {
      const { values } = parseArgs({ args: rest, options: { to: { type: 'string' } } });
      if (!values.to || !isPostgresUrl(values.to))
        fail('Usage : npm run cli -- migrate --to postgres://utilisateur:mot-de-passe@hôte/base');
      if (config.DATABASE_URL)
        fail('DATABASE_URL est déjà donnée : la boutique à copier est le fichier SQLite de DATA_DIR, sans DATABASE_URL.');
      if (!fs.existsSync(config.dbFile)) fail(`Pas de boutique à copier : ${config.dbFile}`);
      const pid = serverRunning(config.DATA_DIR);
      if (pid) fail(`Le serveur tourne (pid ${pid}) : arrêtez-le avant de copier la boutique.`);
      const source = await openDatabase(config.dbFile);
      const target = await openStore(values.to);
      try {
        const report = await moveShop(source, target, { dataDir: config.DATA_DIR, targetUrl: values.to, sourceFile: config.dbFile }).catch(
          (e: Error) => fail(e instanceof MoveRefused ? `Copie refusée : ${e.message}` : `Copie échouée, rien n’est écrit : ${e.message}`),
        );
        console.log(JSON.stringify(report, null, 2));
        const same = JSON.stringify(report.source) === JSON.stringify(report.target);
        if (report.differing.length || !same || !report.target.ok) {
          console.error(
            `La copie ne vérifie pas comme l’original${report.differing.length ? ` (tables ${report.differing.join(', ')})` : ''}.`,
          );
          process.exitCode = 2;
        } else {
          // The SQLite file is no longer the shop: a server started on it without DATABASE_URL refuses.
          recordMove(config.DATA_DIR, values.to, new Date());
          console.error(
            `${report.rows} lignes de ${report.tables} tables copiées dans ${target.file} ; chaînes, signatures et clôtures vérifiées à l’identique (${report.target.tickets} tickets, ${report.target.closings} clôtures, ${report.target.events} événements).\nDémarrez maintenant le serveur avec DATABASE_URL=${target.file.replace('***', '…')} et le même DATA_DIR.`,
          );
        }
      } finally {
        await source.close();
        await target.close();
      }
      return;
    }
    case 'rotate-key': {
      const database = await openStore(config.dbTarget);
      try {
        if (!(await shopMode(database.db))) fail('Aucune boutique dans cette base.');
        const key = await database.db.transaction().execute((trx) => rotateSigningKey(trx, fiscalPaths(config.DATA_DIR).keysDir, now));
        console.log(
          `Nouvelle clé de signature n° ${key.id}, empreinte ${shortFingerprint(key.fingerprint)}.\nL’ancienne est retirée ; sa clé publique reste dans la base pour vérifier les signatures passées.${serverRunning(config.DATA_DIR) ? '\nRedémarrez le serveur pour qu’il signe avec la nouvelle clé.' : ''}`,
        );
      } finally {
        await database.close();
      }
      return;
    }
    case 'backup': {
      if (!config.DATABASE_URL && !fs.existsSync(config.dbFile)) fail(`Pas de base à sauvegarder : ${config.dbFile}`);
      const database = await openStore(config.dbTarget);
      try {
        const encrypt = rest.includes('--encrypt');
        const passphrase = process.env.BACKUP_PASSPHRASE ?? '';
        if (encrypt && passphrase.length < MIN_PASSPHRASE)
          fail(`Chiffrement : la variable BACKUP_PASSPHRASE doit donner une phrase de passe de ${MIN_PASSPHRASE} caractères au moins.`);
        const backup = await backupDatabase(database, config.backupDir, now);
        if (encrypt) {
          // The sealed copy only: a plain one beside it would defeat the purpose.
          const sealed = backup.file + ENCRYPTED_SUFFIX;
          await encryptFile(backup.file, sealed, passphrase);
          fs.rmSync(backup.file);
          backup.file = sealed;
          backup.name += ENCRYPTED_SUFFIX;
          backup.bytes = fs.statSync(sealed).size;
        }
        await recordEvent(database.db, {
          kind: 'backup.created',
          userId: null,
          subject: backup.name,
          data: { bytes: backup.bytes, by: 'cli' },
          at: now.toISOString(),
        });
        console.log(backup.file);
      } finally {
        await database.close();
      }
      return;
    }
    case 'restore': {
      const file = rest[0];
      if (!file) fail('Usage : npm run cli -- restore FICHIER');
      if (config.DATABASE_URL)
        fail('Sur PostgreSQL, une sauvegarde .pgdump se restaure avec pg_restore (voir docs/postgresql.md), serveurs arrêtés.');
      if (!fs.existsSync(file)) fail(`Fichier introuvable : ${file}`);
      const pid = serverRunning(config.DATA_DIR);
      if (pid) fail(`Le serveur tourne (pid ${pid}) : arrêtez-le avant de restaurer.`);
      let source = path.resolve(file);
      let clear: string | null = null;
      try {
        if (source.endsWith(ENCRYPTED_SUFFIX)) {
          const passphrase = process.env.BACKUP_PASSPHRASE;
          if (!passphrase) fail('Sauvegarde chiffrée : donnez sa phrase de passe dans la variable BACKUP_PASSPHRASE.');
          privateDir(config.DATA_DIR);
          clear = path.join(config.DATA_DIR, `decrypted-${process.pid}.sqlite`);
          await decryptFile(source, clear, passphrase);
          source = clear;
        }
        // What the database about to be replaced holds, read before it goes.
        const replaced = chainHeads(config.dbFile);
        const { keptAs } = restoreBackup(source, config.dbFile, now);
        const restored = chainHeads(config.dbFile);
        // The restore itself is an event, written after it into the restored database.
        const database = await openDatabase(config.dbFile);
        try {
          // Where the restored chains end, before the restore's own event is added to one of them.
          const ends = await chainEnds(database.db);
          const eventId = await recordRestore(
            database.db,
            { file: path.resolve(file), backupDate: fs.statSync(file).mtime.toISOString(), replaced, restored, keptAs },
            new Date(),
          );
          // The witness outside the database learns of the restore: what it held beyond the restored ends is
          // the restore's (logged by that event), not a deletion, and those positions may be written anew.
          const event = await database.db.selectFrom('events').select('hash').where('id', '=', eventId).executeTakeFirstOrThrow();
          const witness = new WitnessWriter(witnessFile(config.DATA_DIR));
          try {
            witness.markRestore(eventId, event.hash, ends);
          } finally {
            witness.close();
          }
        } finally {
          await database.close();
        }
        console.log(`Base restaurée depuis ${file}.${keptAs ? `\nL’ancienne base est gardée dans ${keptAs}.` : ''}`);
      } catch (e) {
        // The clear copy goes before the process ends (fail() exits at once).
        removeClear(clear);
        fail(`Restauration refusée : ${(e as Error).message}`);
      }
      removeClear(clear);
      return;
    }
    case undefined:
    case 'help':
    case '--help':
      console.log(usage);
      return;
    default:
      fail(`Commande inconnue : ${command}\n\n${usage}`);
  }
}

await main();
