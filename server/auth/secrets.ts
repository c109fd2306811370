import crypto from 'node:crypto';
import { promisify } from 'node:util';

const scrypt = promisify(crypto.scrypt) as (
  password: crypto.BinaryLike,
  salt: crypto.BinaryLike,
  keylen: number,
  options: crypto.ScryptOptions,
) => Promise<Buffer>;

export interface ScryptCost {
  N: number;
  r: number;
  p: number;
}

// scrypt is memory-hard: N=2^15, r=8 uses 32 MiB per hash (OWASP's 2023 minimum is N=2^17 r=8 p=1 with
// 128 MiB; we stay at 32 MiB because the shop server may be a Raspberry Pi that hashes at every login).
export const passwordCost: ScryptCost = { N: 2 ** 15, r: 8, p: 1 };
// A 4-digit PIN has 10,000 values: hashing cost cannot protect it, the lockout does. Lighter on purpose.
export const pinCost: ScryptCost = { N: 2 ** 12, r: 8, p: 1 };

const KEY_LENGTH = 32;

export async function hashSecret(secret: string, cost: ScryptCost = passwordCost): Promise<string> {
  const salt = crypto.randomBytes(16);
  const key = await scrypt(secret.normalize('NFC'), salt, KEY_LENGTH, { ...cost, maxmem: 256 * cost.N * cost.r });
  return ['scrypt', cost.N, cost.r, cost.p, salt.toString('base64'), key.toString('base64')].join('$');
}

export async function verifySecret(secret: string, stored: string): Promise<boolean> {
  const parts = stored.split('$');
  if (parts.length !== 6 || parts[0] !== 'scrypt') return false;
  const [, n, r, p, salt, key] = parts as [string, string, string, string, string, string];
  const expected = Buffer.from(key, 'base64');
  const cost = { N: Number(n), r: Number(r), p: Number(p) };
  const actual = await scrypt(secret.normalize('NFC'), Buffer.from(salt, 'base64'), expected.length, {
    ...cost,
    maxmem: 256 * cost.N * cost.r,
  });
  return actual.length === expected.length && crypto.timingSafeEqual(actual, expected);
}

/** A bearer secret for a cookie: 256 random bits, URL-safe. Only its SHA-256 is stored. */
export function newToken(): string {
  return crypto.randomBytes(32).toString('base64url');
}

export function sha256Hex(text: string): string {
  // One call, no Hash object: several per ticket (its body, its chain link, the session's cookie).
  return crypto.hash('sha256', text, 'hex');
}

/**
 * `bytes` random bytes (at most 64) as base64url, drawn from a pool filled 4 KiB at a time: a ticket's
 * receipt code, made for every ticket (one call into the system's generator per 4 KiB, not per ticket).
 * Not for keys or session tokens (`newToken`): the pool stays in memory until used.
 */
export function randomCode(bytes: number): string {
  if (bytes > 64) throw new RangeError('randomCode: 64 bytes at most');
  if (poolUsed + bytes > pool.length) {
    crypto.randomFillSync(pool);
    poolUsed = 0;
  }
  const code = pool.subarray(poolUsed, poolUsed + bytes).toString('base64url');
  // What was handed out is not handed out again.
  pool.fill(0, poolUsed, poolUsed + bytes);
  poolUsed += bytes;
  return code;
}
const pool = Buffer.alloc(4096);
let poolUsed = pool.length;

/** A pairing code a manager reads out to the tablet: 8 characters without look-alikes (0/O, 1/I/L). */
export function newPairingCode(): string {
  const alphabet = 'ABCDEFGHJKMNPQRSTUVWXYZ23456789';
  let code = '';
  for (let i = 0; i < 8; i++) code += alphabet[crypto.randomInt(alphabet.length)];
  return code;
}
