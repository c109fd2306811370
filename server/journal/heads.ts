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
async function chainEnds(db: Db): Promise<Map<string, number>> {
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
  return { report: { lines: witness.lines }, problems };
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
  return rows.map((r) => {
    const data = JSON.parse(r.data) as {
      number?: number;
      chain?: string;
      chains?: { chain: string; witnessed: number; database: number }[];
    };
    return r.kind === 'journal.head_missing'
      ? {
          record: `event:${r.id}`,
          fault: 'till-head-missing',
          detail: `${r.subject ?? 'a till'} reported ticket n°${data.number} (${data.chain}) on ${r.at}, which the server lacked or held with another hash`,
        }
      : {
          record: `event:${r.id}`,
          fault: 'witness-ahead',
          detail: `at start on ${r.at} the witness held more than the database: ${(data.chains ?? []).map((c) => `${c.chain} ${c.database} < ${c.witnessed}`).join(', ')}`,
        };
  });
}
