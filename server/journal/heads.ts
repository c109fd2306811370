/**
 * What `verify` checks beyond the hashes (issue 20, items 1–2): every closing's signature and every signed
 * chain head against the public keys kept in the database, and the database against the witness file.
 * Re-chaining the SHA-256 hashes after an edit is within reach of whoever has the file; signing the new
 * hashes is not, and deleting a chain's tail leaves the witness holding what is gone.
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import type { Db } from '../../db/schema.ts';
import { closingChain, EVENTS_CHAIN, headMessage, publicKeys, shortFingerprint, tillChain } from './keys.ts';
import { SIGN_EVERY_RECORDS } from './fiscal.ts';
import { readWitness } from './witness.ts';
import type { VerifyProblem } from './verify.ts';

/** The largest batch of the write queue: heads are signed at most that many records late. */
const MAX_BATCH = 100;

type ChainRef = { kind: 'till'; tillId: number; training: 0 | 1 } | { kind: 'events' } | { kind: 'closings'; outletId: number };

function parseChain(chain: string): ChainRef | null {
  if (chain === EVENTS_CHAIN) return { kind: 'events' };
  let m = /^till:(\d+)(:training)?$/.exec(chain);
  if (m) return { kind: 'till', tillId: Number(m[1]), training: m[2] ? 1 : 0 };
  m = /^closings:(\d+)$/.exec(chain);
  if (m) return { kind: 'closings', outletId: Number(m[1]) };
  return null;
}

const label = (chain: string, position: number) => {
  const ref = parseChain(chain);
  if (!ref) return `${chain} #${position}`;
  if (ref.kind === 'events') return `event:${position}`;
  if (ref.kind === 'closings') return `closing:point de vente ${ref.outletId} n°${position}`;
  return `ticket:${ref.training ? 'formation:' : ''}caisse ${ref.tillId} position ${position}`;
};

/** Hashes stored at the given positions of one chain. */
async function hashesAt(db: Db, chain: string, positions: number[]): Promise<Map<number, string>> {
  const ref = parseChain(chain);
  const out = new Map<number, string>();
  if (!ref) return out;
  for (let i = 0; i < positions.length; i += 500) {
    const part = positions.slice(i, i + 500);
    const rows =
      ref.kind === 'till'
        ? await db
            .selectFrom('sales')
            .select(['chain_seq as p', 'hash'])
            .where('till_id', '=', ref.tillId)
            .where('training', '=', ref.training)
            .where('chain_seq', 'in', part)
            .execute()
        : ref.kind === 'events'
          ? await db.selectFrom('events').select(['id as p', 'hash']).where('id', 'in', part).execute()
          : await db
              .selectFrom('closings')
              .select(['seq as p', 'hash'])
              .where('outlet_id', '=', ref.outletId)
              .where('seq', 'in', part)
              .execute();
    for (const r of rows) out.set(r.p, r.hash);
  }
  return out;
}

/** Every chain the database holds, with its last position. */
export async function chainEnds(db: Db): Promise<Map<string, number>> {
  const ends = new Map<string, number>();
  const tills = await db
    .selectFrom('sales')
    .select((eb) => ['till_id', 'training', eb.fn.max('chain_seq').as('p')])
    .groupBy(['till_id', 'training'])
    .execute();
  for (const t of tills) ends.set(tillChain(t.till_id, t.training), Number(t.p));
  const ev = await db
    .selectFrom('events')
    .select((eb) => eb.fn.max('id').as('p'))
    .executeTakeFirst();
  if (ev?.p) ends.set(EVENTS_CHAIN, Number(ev.p));
  const cl = await db
    .selectFrom('closings')
    .select((eb) => ['outlet_id', eb.fn.max('seq').as('p')])
    .groupBy('outlet_id')
    .execute();
  for (const c of cl) ends.set(closingChain(c.outlet_id), Number(c.p));
  return ends;
}

export interface SigningReport {
  keys: { id: number; fingerprint: string; createdAt: string; retiredAt: string | null }[];
  /** The active key's fingerprint as printed for reading (`ed25519:ab12 …`), null without a key. */
  fingerprint: string | null;
  heads: number;
  closingSignatures: number;
}

/**
 * Closings' signatures and chain heads. `options.checkSignatures: false` walks the same rows without the
 * Ed25519 checks (the bench prints both).
 */
export async function verifySignatures(
  db: Db,
  options: { keysDir?: string; checkSignatures?: boolean } = {},
): Promise<{ report: SigningReport; problems: VerifyProblem[] }> {
  const check = options.checkSignatures !== false;
  const problems: VerifyProblem[] = [];
  const keys = await publicKeys(db);
  const keyRows = await db.selectFrom('signing_keys').selectAll().orderBy('id').execute();
  const verifyWith = (keyId: number, message: Buffer, signature: string) => {
    const k = keys.get(keyId);
    if (!k) return 'unknown-key';
    if (!check) return 'ok';
    return crypto.verify(null, message, k.key, Buffer.from(signature, 'base64')) ? 'ok' : 'bad';
  };
  const closings = await db.selectFrom('closings').select(['outlet_id', 'kind', 'period', 'seq', 'hash', 'signature', 'key_id']).execute();
  const heads = await db.selectFrom('chain_heads').selectAll().orderBy('chain').orderBy('position').execute();
  if (keys.size === 0) {
    // A shop from before signatures (or a database opened without its server) has nothing signed yet. A key
    // left in DATA_DIR/keys, or signatures without any public key, mean the keys were taken out of the file.
    const keyFiles =
      options.keysDir && fs.existsSync(options.keysDir) ? fs.readdirSync(options.keysDir).filter((f) => f.endsWith('.key')) : [];
    if (keyFiles.length || heads.length || closings.some((c) => c.signature !== null))
      problems.push({
        record: 'signing_keys',
        fault: 'keys-removed',
        detail: 'signatures or key files exist but the database holds no public key: the keys were removed from it',
      });
    return { report: { keys: [], fingerprint: null, heads: heads.length, closingSignatures: 0 }, problems };
  }

  let closingSignatures = 0;
  for (const c of closings) {
    const record = `closing:${c.kind} ${c.period} (point de vente ${c.outlet_id})`;
    if (c.signature === null || c.key_id === null) {
      problems.push({ record, fault: 'unsigned', detail: 'this closing carries no signature' });
      continue;
    }
    const r = verifyWith(c.key_id, headMessage(closingChain(c.outlet_id), c.seq, c.hash), c.signature);
    if (r === 'ok') closingSignatures++;
    else
      problems.push({
        record,
        fault: 'bad-signature',
        detail:
          r === 'unknown-key'
            ? `signed with key ${c.key_id}, which the database does not hold`
            : 'the signature does not match its hash: re-chained without the key',
      });
  }

  // Heads: each signature, then the record at its position still holding the signed hash.
  const byChain = new Map<string, typeof heads>();
  for (const h of heads) {
    const list = byChain.get(h.chain) ?? [];
    list.push(h);
    byChain.set(h.chain, list);
  }
  for (const [chain, list] of byChain) {
    const stored = await hashesAt(
      db,
      chain,
      list.map((h) => h.position),
    );
    for (const h of list) {
      const record = label(chain, h.position);
      const r = verifyWith(h.key_id, headMessage(chain, h.position, h.hash), h.signature);
      if (r !== 'ok') {
        problems.push({
          record,
          fault: 'bad-signature',
          detail:
            r === 'unknown-key'
              ? `head signed with key ${h.key_id}, which the database does not hold`
              : 'the head’s signature does not verify',
        });
        continue;
      }
      const now = stored.get(h.position);
      if (now === undefined)
        problems.push({ record, fault: 'head-missing', detail: `signed head at ${h.signed_at}: this record is no longer in the database` });
      else if (now !== h.hash)
        problems.push({
          record,
          fault: 'head-mismatch',
          detail: `the hash signed at ${h.signed_at} is not the one stored: re-chained without the key`,
        });
    }
  }
  // A chain recorded since the first key must have signed heads up to (nearly) its end.
  const ends = await chainEnds(db);
  for (const [chain, end] of ends) {
    const list = byChain.get(chain);
    const last = list?.[list.length - 1]?.position ?? 0;
    if (end - last > SIGN_EVERY_RECORDS + MAX_BATCH)
      problems.push({
        record: label(chain, end),
        fault: 'unsigned-tail',
        detail: `positions ${last + 1}…${end} are under no signed head (the server signs at least every ${SIGN_EVERY_RECORDS})`,
      });
  }
  const active = keyRows.filter((k) => k.retired_at === null).at(-1) ?? keyRows.at(-1)!;
  return {
    report: {
      keys: keyRows.map((k) => ({ id: k.id, fingerprint: k.fingerprint, createdAt: k.created_at, retiredAt: k.retired_at })),
      fingerprint: shortFingerprint(active.fingerprint),
      heads: heads.length,
      closingSignatures,
    },
    problems,
  };
}

export interface WitnessReport {
  lines: number;
  restores: {
    eventId: number;
    at: string;
    backup: string | null;
    takenBack: { chain: string; label: string; from: number; to: number; count: number }[];
  }[];
}

/**
 * The database against the witness: a position the witness holds and the database lacks after its last
 * record is a truncation; lacking before it, a deletion; another hash at a position, a rewrite (and a
 * position the witness itself saw written twice, the database going back and writing it anew).
 */
export async function verifyWitness(db: Db, file: string): Promise<{ report: WitnessReport | null; problems: VerifyProblem[] }> {
  const witness = readWitness(file);
  if (!witness) return { report: null, problems: [] };
  const problems: VerifyProblem[] = [];
  const ends = await chainEnds(db);
  for (const [chain, positions] of witness.chains) {
    const end = ends.get(chain) ?? 0;
    const sorted = [...positions.keys()].sort((a, b) => a - b);
    const stored = await hashesAt(db, chain, sorted);
    const beyond = sorted.filter((p) => p > end);
    if (beyond.length)
      problems.push({
        record: label(chain, end),
        fault: 'truncated',
        detail: `the witness holds ${beyond.length} record(s) after the database's last (${beyond[0]}…${beyond[beyond.length - 1]}): removed from the database`,
      });
    for (const p of sorted) {
      if (p > end) break;
      const h = stored.get(p);
      if (h === undefined)
        problems.push({ record: label(chain, p), fault: 'witness-missing', detail: 'witnessed, no longer in the database' });
      else if (h !== positions.get(p))
        problems.push({
          record: label(chain, p),
          fault: 'witness-mismatch',
          detail: 'the database holds another hash than the one witnessed',
        });
    }
  }
  for (const r of witness.rewritten)
    problems.push({
      record: label(r.chain, r.position),
      fault: 'rolled-back',
      detail: 'the witness saw this position written twice with different hashes: the database was rolled back and written anew',
    });
  if (witness.unreadable) problems.push({ record: 'witness', fault: 'unreadable', detail: `${witness.unreadable} line(s) cannot be read` });
  // Restores marked in the witness: explained when the database holds their `backup.restored` event as chained.
  const restores: WitnessReport['restores'] = [];
  for (const r of witness.restores) {
    const event = await db.selectFrom('events').select(['kind', 'hash', 'at', 'subject']).where('id', '=', r.eventId).executeTakeFirst();
    const takenBack = [...r.takenBack]
      .filter(([, m]) => m.size)
      .map(([chain, m]) => {
        const ps = [...m.keys()].sort((a, b) => a - b);
        return { chain, label: label(chain, ps[0]!), from: ps[0]!, to: ps[ps.length - 1]!, count: ps.length };
      });
    if (event && event.kind === 'backup.restored' && event.hash === r.eventHash)
      restores.push({ eventId: r.eventId, at: event.at, backup: event.subject, takenBack });
    else
      for (const t of takenBack)
        problems.push({
          record: label(t.chain, t.from),
          fault: 'rolled-back',
          detail: `the witness marks a restore by event ${r.eventId}, which the database does not hold as recorded: ${t.count} witnessed record(s) (${t.from}…${t.to}) are gone unexplained`,
        });
  }
  return { report: { lines: witness.lines, restores }, problems };
}

/**
 * The alerts recorded while the server ran: a tablet reporting a ticket the server lacks, a witness found
 * ahead of the database at start. They stay named by every later verify (what was lost is not given back by
 * time passing).
 */
export async function journalAlerts(db: Db): Promise<VerifyProblem[]> {
  const rows = await db
    .selectFrom('events')
    .select(['id', 'kind', 'subject', 'at', 'data'])
    .where('kind', 'in', ['journal.head_missing', 'journal.witness_ahead'])
    .orderBy('id')
    .execute();
  const problems: VerifyProblem[] = [];
  for (const r of rows) {
    const data = JSON.parse(r.data) as {
      number?: number;
      chain?: string;
      chains?: { chain: string; witnessed: number; database: number }[];
    };
    // Given back: the tablet sent that ticket again after the alert (it keeps what the server acknowledged,
    // client/caisse/till.ts `sendAgain`), so the server holds that number, received since.
    const till = r.kind === 'journal.head_missing' ? data.chain?.match(/^till:(\d+)(:training)?$/) : null;
    if (till && typeof data.number === 'number') {
      const back = await db
        .selectFrom('sales')
        .select('received_at')
        .where('till_id', '=', Number(till[1]))
        .where('training', '=', till[2] ? 1 : 0)
        .where('number', '=', data.number)
        .executeTakeFirst();
      if (back?.received_at && back.received_at >= r.at) continue;
    }
    problems.push(
      r.kind === 'journal.head_missing'
        ? {
            record: `event:${r.id}`,
            fault: 'till-head-missing',
            detail: `${r.subject ?? 'a till'} reported ticket n°${data.number} (${data.chain}) on ${r.at}, which the server lacked or held with another hash`,
          }
        : {
            record: `event:${r.id}`,
            fault: 'witness-ahead',
            detail: `at start on ${r.at} the witness held more than the database: ${(data.chains ?? []).map((c) => `${c.chain} ${c.database} < ${c.witnessed}`).join(', ')}`,
          },
    );
  }
  return problems;
}

/** A chain's last record as a closing names it: which chain, how far, with what hash. */
export interface ChainHead {
  chain: string;
  position: number;
  hash: string;
}

/**
 * The heads a closing of this outlet carries (issue 20, item 2): each of its tills' chains (real and
 * training) and the event chain, as they stand when the Z is taken. Chained and signed with the closing and
 * printed on it, they anchor every record up to them: a tail removed afterwards is named by the Z's own figures.
 */
export async function outletHeads(db: Db, outletId: number): Promise<ChainHead[]> {
  const ends = await db
    .selectFrom('sales')
    .innerJoin('tills', 'tills.id', 'sales.till_id')
    .where('tills.outlet_id', '=', outletId)
    .select((eb) => ['sales.till_id', 'sales.training', eb.fn.max('sales.chain_seq').as('p')])
    .groupBy(['sales.till_id', 'sales.training'])
    .orderBy('sales.till_id')
    .orderBy('sales.training')
    .execute();
  const heads: ChainHead[] = [];
  for (const e of ends) {
    const row = await db
      .selectFrom('sales')
      .select('hash')
      .where('till_id', '=', e.till_id)
      .where('training', '=', e.training)
      .where('chain_seq', '=', Number(e.p))
      .executeTakeFirstOrThrow();
    heads.push({ chain: tillChain(e.till_id, e.training), position: Number(e.p), hash: row.hash });
  }
  const ev = await db.selectFrom('events').select(['id', 'hash']).orderBy('id', 'desc').limit(1).executeTakeFirst();
  if (ev) heads.push({ chain: EVENTS_CHAIN, position: ev.id, hash: ev.hash });
  return heads;
}

/** How a chain head reads on a Z: « Caisse 2 : n° 1 234 », « Journal des événements : n° 88 ». */
export function headLabel(chain: string, tillNames?: Map<number, string>): string {
  const ref = parseChain(chain);
  if (!ref) return chain;
  if (ref.kind === 'events') return 'Journal des événements';
  if (ref.kind === 'closings') return `Clôtures du point de vente ${ref.outletId}`;
  const name = tillNames?.get(ref.tillId) ?? `Caisse ${ref.tillId}`;
  return ref.training ? `${name} (formation)` : name;
}

/**
 * The heads every closing recorded, against the database: a record a signed Z saw and the database no longer
 * holds (a tail deleted after the Z, then the chain rebuilt without it) or holds with another hash.
 */
export async function verifyClosingHeads(db: Db): Promise<VerifyProblem[]> {
  const rows = await db
    .selectFrom('closings')
    .select(['outlet_id', 'kind', 'period', 'figures'])
    .where('figures', 'like', '%"chainHeads"%')
    .execute();
  const wanted = new Map<string, Map<number, { hash: string; closing: string }>>();
  for (const r of rows) {
    const heads = (JSON.parse(r.figures) as { chainHeads?: ChainHead[] }).chainHeads ?? [];
    for (const h of heads) {
      const m = wanted.get(h.chain) ?? new Map();
      m.set(h.position, { hash: h.hash, closing: `${r.kind} ${r.period} (point de vente ${r.outlet_id})` });
      wanted.set(h.chain, m);
    }
  }
  const problems: VerifyProblem[] = [];
  for (const [chain, positions] of wanted) {
    const stored = await hashesAt(db, chain, [...positions.keys()]);
    for (const [p, w] of positions) {
      const now = stored.get(p);
      if (now === undefined)
        problems.push({
          record: label(chain, p),
          fault: 'closing-head-missing',
          detail: `the closing ${w.closing} names this record as its chain's head: it is no longer in the database`,
        });
      else if (now !== w.hash)
        problems.push({
          record: label(chain, p),
          fault: 'closing-head-mismatch',
          detail: `the closing ${w.closing} recorded another hash for this record`,
        });
    }
  }
  return problems;
}

/** The key a closing is signed with, as printed (`ed25519:ab12 …`); null for a closing not (yet) signed. */
export async function closingKey(db: Db, closingId: number): Promise<string | null> {
  const row = await db
    .selectFrom('closings')
    .innerJoin('signing_keys', 'signing_keys.id', 'closings.key_id')
    .select('signing_keys.fingerprint')
    .where('closings.id', '=', closingId)
    .where('closings.signature', 'is not', null)
    .executeTakeFirst();
  return row ? shortFingerprint(row.fingerprint) : null;
}
