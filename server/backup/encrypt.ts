import crypto from 'node:crypto';
import fs from 'node:fs';
import { pipeline } from 'node:stream/promises';
import { makePrivate } from '../system/private-files.ts';

/**
 * A backup sealed with a passphrase, for copies kept off site (issue 19, item 8): AES-256-GCM, the key
 * derived from the passphrase by scrypt (memory-hard: 64 MiB per guess), a fresh salt and nonce per file.
 * The tag authenticates the whole file: a wrong passphrase or a changed byte is refused, never restored.
 *
 * Layout: MAGIC (8) · scrypt N as log2 (1) · salt (16) · nonce (12) · ciphertext · tag (16).
 */
export const ENCRYPTED_SUFFIX = '.enc';
const MAGIC = Buffer.from('CPTRENC1');
const LOG_N = 16;
const HEADER = MAGIC.length + 1 + 16 + 12;
const TAG = 16;
export const MIN_PASSPHRASE = 12;

function key(passphrase: string, salt: Buffer, logN: number): Promise<Buffer> {
  const N = 2 ** logN;
  return new Promise((resolve, reject) =>
    crypto.scrypt(passphrase.normalize('NFC'), salt, 32, { N, r: 8, p: 1, maxmem: 256 * N * 8 }, (e, k) => (e ? reject(e) : resolve(k))),
  );
}

export class BadPassphrase extends Error {
  constructor() {
    super('phrase de passe fausse, ou fichier abîmé ou modifié');
  }
}

export async function encryptFile(source: string, target: string, passphrase: string): Promise<void> {
  if (passphrase.length < MIN_PASSPHRASE) throw new Error(`phrase de passe trop courte (au moins ${MIN_PASSPHRASE} caractères)`);
  const salt = crypto.randomBytes(16);
  const nonce = crypto.randomBytes(12);
  const cipher = crypto.createCipheriv('aes-256-gcm', await key(passphrase, salt, LOG_N), nonce);
  const partial = `${target}.partial`;
  const out = fs.createWriteStream(partial, { mode: 0o600 });
  out.write(Buffer.concat([MAGIC, Buffer.from([LOG_N]), salt, nonce]));
  await pipeline(fs.createReadStream(source), cipher, out, { end: false });
  await new Promise<void>((resolve, reject) => out.end(cipher.getAuthTag(), () => resolve()).on('error', reject));
  makePrivate(partial);
  fs.renameSync(partial, target);
}

/** Decrypts into `target` (0600); nothing is left at `target` when the passphrase or the file is wrong. */
export async function decryptFile(source: string, target: string, passphrase: string): Promise<void> {
  const size = fs.statSync(source).size;
  const fd = fs.openSync(source, 'r');
  const head = Buffer.alloc(HEADER);
  const tag = Buffer.alloc(TAG);
  try {
    if (size < HEADER + TAG || fs.readSync(fd, head, 0, HEADER, 0) !== HEADER || !head.subarray(0, MAGIC.length).equals(MAGIC))
      throw new Error('pas une sauvegarde chiffrée par Comptoir');
    fs.readSync(fd, tag, 0, TAG, size - TAG);
  } finally {
    fs.closeSync(fd);
  }
  const logN = head[MAGIC.length]!;
  if (logN < 14 || logN > 20) throw new Error('pas une sauvegarde chiffrée par Comptoir');
  const salt = head.subarray(MAGIC.length + 1, MAGIC.length + 17);
  const nonce = head.subarray(MAGIC.length + 17, HEADER);
  const decipher = crypto.createDecipheriv('aes-256-gcm', await key(passphrase, salt, logN), nonce);
  decipher.setAuthTag(tag);
  const partial = `${target}.partial`;
  try {
    await pipeline(
      fs.createReadStream(source, { start: HEADER, end: size - TAG - 1 }),
      decipher,
      fs.createWriteStream(partial, { mode: 0o600 }),
    );
  } catch (e) {
    fs.rmSync(partial, { force: true });
    if (/unable to authenticate|auth/i.test((e as Error).message)) throw new BadPassphrase();
    throw e;
  }
  makePrivate(partial);
  fs.renameSync(partial, target);
}
