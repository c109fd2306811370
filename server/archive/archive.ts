import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import type { Kysely } from 'kysely';
import type { ClosingTable, Database } from '../../db/schema.ts';
import { sha256Hex } from '../auth/secrets.ts';
import type { ClosingFigures } from '../closing/figures.ts';
import { closingHash, closingRecord } from '../journal/closings.ts';
import { Invalid, NotFound, Unprocessable } from '../errors.ts';
import { eventHashPayload, recordEvent } from '../journal/events.ts';
import { canonicalJson } from '../journal/canonical.ts';
import { loadTicketRecords, ticketHash, type TicketRecord } from '../journal/tickets.ts';
import { readSetting } from '../settings/settings.ts';
import { readTar, writeTar } from './tar.ts';
import { shopFiscalYear, type FiscalYear } from '../closing/fiscal-year.ts';
import { nextDay } from '../sales/record.ts';
import { closingChain, EVENTS_CHAIN, headMessage, tillChain } from '../journal/keys.ts';

export const ARCHIVE_FORMAT = 'comptoir-archive/1';
const NAME = /^comptoir-archive-\d{4}-\d{8}-\d{6}\.tar\.gz$/;

const readme = (year: string, fy: FiscalYear) => `Archive fiscale Comptoir — exercice ${year} (du ${fy.from} au ${fy.to})

Contenu (format ${ARCHIVE_FORMAT}) :
  manifest.json    identité de la boutique, période, empreintes SHA-256 de chaque fichier, têtes de chaîne
  heads.json       têtes de chaîne signées (Ed25519) et clés publiques de la boutique, pour vérifier les signatures
  tickets.jsonl    un ticket par ligne : "record" (le contenu haché), "prevHash", "hash", et les champs annexes ;
                   les tickets de formation y sont, chaînés à part et marqués "training": true
  closings.jsonl   les clôtures (Z jour, mois, année) de la période, chaînées par point de vente
  events.jsonl     le journal des événements de la période, chaîné

Chaque hash vaut SHA-256(hash précédent ‖ JSON canonique du contenu) : clés triées, sans espaces.
Les tickets de version 2 ("v":2 dans le contenu) couvrent tous les champs fiscaux : point de vente, motif et
approbateur d'un remboursement, heure de réception, version du logiciel, unité, note et ligne remboursée.
Vérification sans base de données : npm run cli -- verify --archive CE_FICHIER
`;

/** Every outlet that sold that year must have its yearly closing: only a closed period is archived. */
async function assertClosedYear(db: Kysely<Database>, year: string, fy: FiscalYear) {
  const sold = await db
    .selectFrom('sales')
    .select('outlet_id')
    .distinct()
    .where('training', '=', 0)
    .where('business_day', '>=', fy.from)
    .where('business_day', '<=', fy.to)
    .execute();
  const closed = new Set(
    (await db.selectFrom('closings').select('outlet_id').where('kind', '=', 'year').where('period', '=', year).execute()).map(
      (c) => c.outlet_id,
    ),
  );
  const open = sold.filter((s) => !closed.has(s.outlet_id)).map((s) => s.outlet_id);
  if (open.length)
    throw new Unprocessable(
      `L’exercice ${year} n’est pas clôturé (point(s) de vente ${open.join(', ')}) : clôturez l’année avant de l’archiver.`,
      [{ field: 'year', reason: 'année non clôturée' }],
    );
}

/**
 * Writes the fiscal archive of a closed year: tickets, closings and events as JSON lines, with a manifest of
 * their SHA-256 sums and the chain heads, in one .tar.gz that `verifyArchive` checks on its own.
 */
export async function createArchive(db: Kysely<Database>, year: string, dir: string, userId: number | null, now: Date) {
  if (!/^\d{4}$/.test(year)) throw new Invalid({ field: 'year', reason: 'année attendue au format AAAA' });
  // The shop's fiscal year named `year` (the calendar year unless its identity says otherwise).
  const fy = await shopFiscalYear(db, year);
  await assertClosedYear(db, year, fy);
  // Whole chain segments: per till, real and training chains apart (training tickets are archived too,
  // marked `"training":true` in their record), from the first to the last position holding a ticket of
  // that fiscal year.
  const ranges = await db
    .selectFrom('sales')
    .select((eb) => ['till_id', 'training', eb.fn.min('chain_seq').as('first'), eb.fn.max('chain_seq').as('last')])
    .where('business_day', '>=', fy.from)
    .where('business_day', '<=', fy.to)
    .groupBy(['till_id', 'training'])
    .orderBy('till_id')
    .orderBy('training')
    .execute();
  const tickets: string[] = [];
  const tillHeads: {
    tillId: number;
    training: boolean;
    firstSeq: number;
    lastSeq: number;
    prevHashAtStart: string;
    headHash: string;
    grandTotalCents: number;
  }[] = [];
  for (const r of ranges) {
    const ids = (
      await db
        .selectFrom('sales')
        .select('id')
        .where('till_id', '=', r.till_id)
        .where('training', '=', r.training)
        .where('chain_seq', '>=', Number(r.first))
        .where('chain_seq', '<=', Number(r.last))
        .execute()
    ).map((x) => x.id);
    const records = [];
    for (let i = 0; i < ids.length; i += 500) records.push(...(await loadTicketRecords(db, { ids: ids.slice(i, i + 500) })));
    records.sort((a, b) => a.row.chain_seq - b.row.chain_seq);
    for (const t of records) {
      tickets.push(
        canonicalJson({
          record: t.record,
          prevHash: t.row.prev_hash,
          hash: t.row.hash,
          receivedAt: t.row.received_at,
          reason: t.row.reason,
          approvedBy: t.row.approved_by,
          late: t.row.late === 1,
          outletId: t.row.outlet_id,
        }),
      );
    }
    tillHeads.push({
      tillId: r.till_id,
      training: r.training === 1,
      firstSeq: Number(r.first),
      lastSeq: Number(r.last),
      prevHashAtStart: records[0]!.row.prev_hash,
      headHash: records[records.length - 1]!.row.hash,
      grandTotalCents: records[records.length - 1]!.row.till_grand_total_cents,
    });
  }
  const closingRanges = await db
    .selectFrom('closings')
    .select((eb) => ['outlet_id', eb.fn.min('seq').as('first'), eb.fn.max('seq').as('last')])
    .where((eb) =>
      eb.or([
        eb.and([eb('kind', '=', 'day'), eb('period', '>=', fy.from), eb('period', '<=', fy.to)]),
        eb.and([eb('kind', '=', 'month'), eb('period', 'in', fy.months)]),
        eb.and([eb('kind', '=', 'year'), eb('period', '=', year)]),
      ]),
    )
    .groupBy('outlet_id')
    .execute();
  const closings: string[] = [];
  const closingHeads: {
    outletId: number;
    firstSeq: number;
    lastSeq: number;
    prevHashAtStart: string;
    headHash: string;
    grandTotalCents: number;
  }[] = [];
  for (const r of closingRanges) {
    const rows = await db
      .selectFrom('closings')
      .selectAll()
      .where('outlet_id', '=', r.outlet_id)
      .where('seq', '>=', Number(r.first))
      .where('seq', '<=', Number(r.last))
      .orderBy('seq')
      .execute();
    for (const c of rows) closings.push(canonicalJson({ ...c, figures: JSON.parse(c.figures) }));
    closingHeads.push({
      outletId: r.outlet_id,
      firstSeq: Number(r.first),
      lastSeq: Number(r.last),
      prevHashAtStart: rows[0]!.prev_hash,
      headHash: rows[rows.length - 1]!.hash,
      grandTotalCents: rows.filter((c) => c.kind === 'day').at(-1)?.grand_total_cents ?? 0,
    });
  }
  const eventRange = await db
    .selectFrom('events')
    .select((eb) => [eb.fn.min('id').as('first'), eb.fn.max('id').as('last')])
    .where('at', '>=', fy.from)
    .where('at', '<', nextDay(fy.to))
    .executeTakeFirst();
  const events: string[] = [];
  let eventHead: { firstId: number; lastId: number; prevHashAtStart: string; headHash: string } | null = null;
  if (eventRange?.first != null) {
    const rows = await db
      .selectFrom('events')
      .selectAll()
      .where('id', '>=', Number(eventRange.first))
      .where('id', '<=', Number(eventRange.last))
      .orderBy('id')
      .execute();
    for (const e of rows) events.push(canonicalJson(e));
    eventHead = { firstId: rows[0]!.id, lastId: rows.at(-1)!.id, prevHashAtStart: rows[0]!.prev_hash, headHash: rows.at(-1)!.hash };
  }
  // The signed heads that fall in the archived segments, and every public key: the archive's signatures
  // check on their own, without the shop's database.
  const segments = [
    ...ranges.map((r) => ({ chain: tillChain(r.till_id, 0), from: Number(r.first), to: Number(r.last) })),
    ...closingRanges.map((r) => ({ chain: closingChain(r.outlet_id), from: Number(r.first), to: Number(r.last) })),
    ...(eventHead ? [{ chain: EVENTS_CHAIN, from: eventHead.firstId, to: eventHead.lastId }] : []),
  ];
  const signedHeads = [];
  for (const seg of segments)
    signedHeads.push(
      ...(await db
        .selectFrom('chain_heads')
        .select(['chain', 'position', 'hash', 'signed_at as signedAt', 'signature', 'key_id as keyId'])
        .where('chain', '=', seg.chain)
        .where('position', '>=', seg.from)
        .where('position', '<=', seg.to)
        .orderBy('position')
        .execute()),
    );
  const keys = (await db.selectFrom('signing_keys').selectAll().orderBy('id').execute()).map((k) => ({
    id: k.id,
    fingerprint: k.fingerprint,
    publicKey: k.public_key,
    createdAt: k.created_at,
    retiredAt: k.retired_at,
  }));
  const files = [
    { name: 'LISEZMOI.txt', data: Buffer.from(readme(year, fy)) },
    { name: 'heads.json', data: Buffer.from(JSON.stringify({ keys, heads: signedHeads }, null, 2)) },
    { name: 'tickets.jsonl', data: Buffer.from(tickets.map((l) => l + '\n').join('')) },
    { name: 'closings.jsonl', data: Buffer.from(closings.map((l) => l + '\n').join('')) },
    { name: 'events.jsonl', data: Buffer.from(events.map((l) => l + '\n').join('')) },
  ];
  const manifest = {
    format: ARCHIVE_FORMAT,
    year,
    createdAt: now.toISOString(),
    shop: (await readSetting(db, 'shop.identity')) ?? null,
    counts: { tickets: tickets.length, closings: closings.length, events: events.length },
    files: files.map((f) => ({ name: f.name, bytes: f.data.length, sha256: crypto.createHash('sha256').update(f.data).digest('hex') })),
    chains: { tills: tillHeads, closings: closingHeads, events: eventHead },
  };
  const tar = writeTar([{ name: 'manifest.json', data: Buffer.from(JSON.stringify(manifest, null, 2)) }, ...files], now);
  const gz = zlib.gzipSync(tar, { level: 9 });
  fs.mkdirSync(dir, { recursive: true });
  const stamp = now.toISOString().replace(/[-:]/g, '').replace('T', '-').slice(0, 15);
  const name = `comptoir-archive-${year}-${stamp}.tar.gz`;
  fs.writeFileSync(path.join(dir, `${name}.partial`), gz);
  fs.renameSync(path.join(dir, `${name}.partial`), path.join(dir, name));
  const sha256 = crypto.createHash('sha256').update(gz).digest('hex');
  await recordEvent(db, {
    kind: 'archive.created',
    userId,
    subject: name,
    data: { year, sha256, ...manifest.counts },
    at: now.toISOString(),
  });
  return { name, file: path.join(dir, name), bytes: gz.length, sha256, counts: manifest.counts };
}

/** Archives a closed year (see createArchive) on the manager's behalf: what the back office shows of it. */
export async function archiveYear(db: Kysely<Database>, { dir, userId, now }: { dir: string; userId: number; now: Date }, year: string) {
  const archive = await createArchive(db, year, dir, userId, now);
  return { name: archive.name, bytes: archive.bytes, sha256: archive.sha256, counts: archive.counts };
}

/** The bytes of a kept archive, by its name (nothing else in the folder can be named). */
export const readArchive = (dir: string, name: string): Buffer => fs.readFileSync(archivePath(dir, name));

export function archivePath(dir: string, name: string): string {
  if (!NAME.test(name)) throw new Invalid({ field: 'name', reason: 'nom d’archive invalide' });
  const file = path.join(dir, name);
  if (!fs.existsSync(file)) throw new NotFound('Archive');
  return file;
}

export function listArchives(dir: string) {
  if (!fs.existsSync(dir)) return [];
  return fs
    .readdirSync(dir)
    .filter((n) => NAME.test(n))
    .sort()
    .reverse()
    .map((name) => ({ name, bytes: fs.statSync(path.join(dir, name)).size }));
}

export interface ArchiveReport {
  ok: boolean;
  year: string | null;
  counts: { tickets: number; closings: number; events: number };
  problems: { record: string; fault: string; detail: string }[];
}

/** Checks an archive on its own: file sums, every hash and every link of its chain segments, the heads. */
export function verifyArchive(gz: Buffer): ArchiveReport {
  const problems: ArchiveReport['problems'] = [];
  const counts = { tickets: 0, closings: 0, events: 0 };
  let files: Map<string, Buffer>;
  try {
    files = readTar(zlib.gunzipSync(gz));
  } catch (e) {
    return { ok: false, year: null, counts, problems: [{ record: 'archive', fault: 'unreadable', detail: (e as Error).message }] };
  }
  const manifestBuf = files.get('manifest.json');
  if (!manifestBuf)
    return { ok: false, year: null, counts, problems: [{ record: 'manifest.json', fault: 'missing', detail: 'no manifest' }] };
  const manifest = JSON.parse(manifestBuf.toString('utf8'));
  if (manifest.format !== ARCHIVE_FORMAT)
    problems.push({ record: 'manifest.json', fault: 'format', detail: `unknown format ${manifest.format}` });
  for (const f of manifest.files as { name: string; sha256: string }[]) {
    const data = files.get(f.name);
    if (!data) problems.push({ record: f.name, fault: 'missing', detail: 'listed in the manifest, absent' });
    else if (crypto.createHash('sha256').update(data).digest('hex') !== f.sha256)
      problems.push({ record: f.name, fault: 'checksum', detail: 'SHA-256 differs from the manifest' });
  }
  const lines = (name: string) =>
    (files.get(name)?.toString('utf8') ?? '')
      .split('\n')
      .filter(Boolean)
      .map((l) => JSON.parse(l));

  const tickets = lines('tickets.jsonl') as { record: TicketRecord; prevHash: string; hash: string }[];
  counts.tickets = tickets.length;
  for (const head of manifest.chains.tills as {
    tillId: number;
    training?: boolean;
    firstSeq: number;
    lastSeq: number;
    prevHashAtStart: string;
    headHash: string;
  }[]) {
    const training = head.training ?? false;
    const chain = tickets
      .filter((t) => t.record.tillId === head.tillId && t.record.training === training)
      .sort((a, b) => a.record.chainSeq - b.record.chainSeq);
    let prev = head.prevHashAtStart;
    let seq = head.firstSeq;
    for (const t of chain) {
      const label = `ticket:${training ? 'formation:' : ''}caisse ${head.tillId} n°${t.record.number}`;
      if (t.record.chainSeq !== seq)
        problems.push({ record: label, fault: 'missing', detail: `chain position ${t.record.chainSeq}, expected ${seq}` });
      if (t.prevHash !== prev) problems.push({ record: label, fault: 'broken-link', detail: 'previous hash does not match' });
      if (ticketHash(t.prevHash, t.record) !== t.hash)
        problems.push({ record: label, fault: 'hash-mismatch', detail: 'content differs from its hash' });
      prev = t.hash;
      seq = t.record.chainSeq + 1;
    }
    if (prev !== head.headHash || seq !== head.lastSeq + 1)
      problems.push({
        record: `caisse ${head.tillId}${training ? ' (formation)' : ''}`,
        fault: 'head',
        detail: 'the chain does not end on the head named in the manifest',
      });
  }
  const closings = lines('closings.jsonl') as (Omit<ClosingTable, 'id' | 'figures' | 'signature' | 'key_id'> & {
    figures: ClosingFigures;
    signature?: string | null;
    key_id?: number | null;
  })[];
  counts.closings = closings.length;
  for (const head of manifest.chains.closings as { outletId: number; prevHashAtStart: string; headHash: string }[]) {
    let prev = head.prevHashAtStart;
    for (const c of closings.filter((x) => x.outlet_id === head.outletId).sort((a, b) => a.seq - b.seq)) {
      const label = `closing:${c.kind} ${c.period} (point de vente ${c.outlet_id})`;
      if (c.prev_hash !== prev) problems.push({ record: label, fault: 'broken-link', detail: 'previous hash does not match' });
      const record = closingRecord(c);
      if (closingHash(c.prev_hash, record) !== c.hash)
        problems.push({ record: label, fault: 'hash-mismatch', detail: 'content differs from its hash' });
      prev = c.hash;
    }
    if (prev !== head.headHash)
      problems.push({
        record: `clôtures du point de vente ${head.outletId}`,
        fault: 'head',
        detail: 'the chain does not end on the head named in the manifest',
      });
  }
  const events = lines('events.jsonl') as {
    id: number;
    at: string;
    user_id: number | null;
    kind: string;
    subject: string | null;
    data: string;
    prev_hash: string;
    hash: string;
  }[];
  counts.events = events.length;
  if (manifest.chains.events) {
    let prev = manifest.chains.events.prevHashAtStart as string;
    for (const e of events) {
      if (e.prev_hash !== prev) problems.push({ record: `event:${e.id}`, fault: 'broken-link', detail: 'previous hash does not match' });
      if (sha256Hex(e.prev_hash + eventHashPayload(e)) !== e.hash)
        problems.push({ record: `event:${e.id}`, fault: 'hash-mismatch', detail: 'content differs from its hash' });
      prev = e.hash;
    }
    if (prev !== manifest.chains.events.headHash)
      problems.push({ record: 'events', fault: 'head', detail: 'the chain does not end on the head named in the manifest' });
  }
  for (const p of verifyArchiveSignatures(files.get('heads.json'), tickets, closings, events)) problems.push(p);
  for (const [name, n] of Object.entries(manifest.counts as Record<string, number>)) {
    if (counts[name as keyof typeof counts] !== n)
      problems.push({
        record: `${name}.jsonl`,
        fault: 'count',
        detail: `${counts[name as keyof typeof counts]} records, manifest says ${n}`,
      });
  }
  return { ok: problems.length === 0, year: manifest.year ?? null, counts, problems };
}

/**
 * heads.json: every signed head in the archive against the public keys it carries and the archived record
 * at its position, and every closing's signature (issue 20, item 1).
 */
function verifyArchiveSignatures(
  headsJson: Buffer | undefined,
  tickets: { record: TicketRecord; hash: string }[],
  closings: {
    outlet_id: number;
    kind: string;
    period: string;
    seq: number;
    hash: string;
    signature?: string | null;
    key_id?: number | null;
  }[],
  events: { id: number; hash: string }[],
): ArchiveReport['problems'] {
  // An archive written before signatures has no heads.json: nothing to check.
  if (!headsJson) return [];
  const problems: ArchiveReport['problems'] = [];
  const { keys, heads } = JSON.parse(headsJson.toString('utf8')) as {
    keys: { id: number; publicKey: string }[];
    heads: { chain: string; position: number; hash: string; signature: string; keyId: number }[];
  };
  const keyOf = new Map(keys.map((k) => [k.id, crypto.createPublicKey(k.publicKey)]));
  const valid = (keyId: number | null | undefined, message: Buffer, signature: string) => {
    const key = keyId == null ? undefined : keyOf.get(keyId);
    return key !== undefined && crypto.verify(null, message, key, Buffer.from(signature, 'base64'));
  };
  const stored = new Map<string, string>();
  for (const t of tickets) if (!t.record.training) stored.set(`${tillChain(t.record.tillId, 0)} ${t.record.chainSeq}`, t.hash);
  for (const c of closings) stored.set(`${closingChain(c.outlet_id)} ${c.seq}`, c.hash);
  for (const e of events) stored.set(`${EVENTS_CHAIN} ${e.id}`, e.hash);
  for (const h of heads) {
    const record = `${h.chain} #${h.position}`;
    if (!valid(h.keyId, headMessage(h.chain, h.position, h.hash), h.signature))
      problems.push({ record, fault: 'bad-signature', detail: 'the head’s signature does not verify' });
    else if (stored.get(`${h.chain} ${h.position}`) !== h.hash)
      problems.push({
        record,
        fault: 'head-mismatch',
        detail: 'the archived record at this position is not the one signed: re-chained without the key',
      });
  }
  if (keys.length)
    for (const c of closings) {
      const record = `closing:${c.kind} ${c.period} (point de vente ${c.outlet_id})`;
      if (!c.signature) problems.push({ record, fault: 'unsigned', detail: 'this closing carries no signature' });
      else if (!valid(c.key_id, headMessage(closingChain(c.outlet_id), c.seq, c.hash), c.signature))
        problems.push({ record, fault: 'bad-signature', detail: 'the signature does not match its hash' });
    }
  return problems;
}
