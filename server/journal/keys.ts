/**
 * The journal's signing key (issue 20, item 1): an Ed25519 pair whose private half lives in
 * `DATA_DIR/keys/` (0600, in a 0700 directory) and never in the database nor in its backups; the public
 * halves are in `signing_keys`, old ones kept after a rotation so that every signature stays checkable.
 * Someone who has the database file can re-chain the SHA-256 hashes, but cannot sign the new ones.
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { Db } from '../../db/schema.ts';
import { privateDir, PRIVATE_FILE } from '../system/private-files.ts';
import { recordEvent } from './events.ts';

export interface SigningKey {
  id: number;
  fingerprint: string;
  privateKey: crypto.KeyObject;
}

/** What one signature covers: the chain, the position on it and the hash there (and nothing ambiguous). */
export const headMessage = (chain: string, position: number, hash: string) => Buffer.from(`comptoir-head-v1|${chain}|${position}|${hash}`);

/** A closing is signed as the head of its outlet's closings chain at its position. */
export const closingChain = (outletId: number) => `closings:${outletId}`;
export const tillChain = (tillId: number, training: number | boolean) => `till:${tillId}${training ? ':training' : ''}`;
export const EVENTS_CHAIN = 'events';

/** SHA-256 of the raw 32-byte public key, as printed by `verify` and on the archive. */
export function fingerprintOf(publicKey: crypto.KeyObject): string {
  const raw = publicKey.export({ format: 'der', type: 'spki' }).subarray(-32);
  return crypto.createHash('sha256').update(raw).digest('hex');
}

/** `ed25519:ab12 cd34 …` (the first 128 bits, in groups, for reading aloud) */
export const shortFingerprint = (fp: string) => `ed25519:${fp.slice(0, 32).replace(/(.{4})(?!$)/g, '$1 ')}`;

const keyFile = (keysDir: string, fingerprint: string) => path.join(keysDir, `journal-${fingerprint.slice(0, 16)}.key`);

export function sign(key: SigningKey, message: Buffer): string {
  return crypto.sign(null, message, key.privateKey).toString('base64');
}

/** Public keys by id, parsed once (verify checks thousands of signatures with a handful of keys). */
export async function publicKeys(db: Db): Promise<Map<number, { key: crypto.KeyObject; fingerprint: string; createdAt: string }>> {
  const rows = await db.selectFrom('signing_keys').selectAll().orderBy('id').execute();
  return new Map(
    rows.map((r) => [r.id, { key: crypto.createPublicKey(r.public_key), fingerprint: r.fingerprint, createdAt: r.created_at }]),
  );
}

async function newKey(db: Db, keysDir: string, now: Date, reason: 'created' | 'rotated' | 'private key missing', userId: number | null) {
  privateDir(keysDir);
  const { publicKey, privateKey } = crypto.generateKeyPairSync('ed25519');
  const fingerprint = fingerprintOf(publicKey);
  const file = keyFile(keysDir, fingerprint);
  // Written with its mode from the start (never readable by others, even for a moment), and synced.
  const fd = fs.openSync(file, 'wx', PRIVATE_FILE);
  try {
    fs.writeSync(fd, privateKey.export({ format: 'pem', type: 'pkcs8' }) as string);
    fs.fsyncSync(fd);
  } finally {
    fs.closeSync(fd);
  }
  fs.chmodSync(file, PRIVATE_FILE);
  const at = now.toISOString();
  const previous = await db.selectFrom('signing_keys').select(['id', 'fingerprint']).where('retired_at', 'is', null).execute();
  if (previous.length) await db.updateTable('signing_keys').set({ retired_at: at }).where('retired_at', 'is', null).execute();
  const { id } = await db
    .insertInto('signing_keys')
    .values({ public_key: publicKey.export({ format: 'pem', type: 'spki' }) as string, fingerprint, created_at: at, retired_at: null })
    .returning('id')
    .executeTakeFirstOrThrow();
  await recordEvent(db, {
    kind: previous.length ? 'key.rotated' : 'key.created',
    userId,
    subject: `signing_key:${id}`,
    data: { fingerprint, reason, ...(previous.length ? { retired: previous.map((p) => p.fingerprint) } : {}) },
    at,
  });
  return { id, fingerprint, privateKey } satisfies SigningKey;
}

/**
 * The shop's active key, made if it has none (`cli init`, the demo, and an existing shop at its first start
 * after this version: an event says so). A key whose private half is gone (a database restored on another
 * machine without its keys) is retired and replaced: the earlier signatures still verify with its public half.
 */
export async function ensureSigningKey(db: Db, keysDir: string, now: Date, userId: number | null = null): Promise<SigningKey> {
  const active = await db
    .selectFrom('signing_keys')
    .selectAll()
    .where('retired_at', 'is', null)
    .orderBy('id', 'desc')
    .limit(1)
    .executeTakeFirst();
  if (!active) return newKey(db, keysDir, now, 'created', userId);
  const file = keyFile(keysDir, active.fingerprint);
  if (!fs.existsSync(file)) return newKey(db, keysDir, now, 'private key missing', userId);
  const privateKey = crypto.createPrivateKey(fs.readFileSync(file, 'utf8'));
  if (fingerprintOf(crypto.createPublicKey(privateKey)) !== active.fingerprint)
    throw new Error(`${file} does not hold the private half of signing key ${active.id}`);
  return { id: active.id, fingerprint: active.fingerprint, privateKey };
}

/** `cli rotate-key`: a new pair, the old one retired (its public half kept), a `key.rotated` event. */
export async function rotateSigningKey(db: Db, keysDir: string, now: Date, userId: number | null = null): Promise<SigningKey> {
  return newKey(db, keysDir, now, 'rotated', userId);
}

/** Signs every closing still without a signature (written before the key existed, or before a crash). */
export async function signUnsignedClosings(db: Db, key: SigningKey): Promise<number> {
  const rows = await db.selectFrom('closings').select(['id', 'outlet_id', 'seq', 'hash']).where('signature', 'is', null).execute();
  for (const r of rows)
    await db
      .updateTable('closings')
      .set({ signature: sign(key, headMessage(closingChain(r.outlet_id), r.seq, r.hash)), key_id: key.id })
      .where('id', '=', r.id)
      .execute();
  return rows.length;
}
