import crypto from 'node:crypto';
import type { Db } from '../../db/schema.ts';
import { readSetting, writeSetting } from '../settings/settings.ts';

/**
 * A manager's approval given on a till (their PIN typed there), as a token the till keeps with the ticket:
 * `v1.<manager>.<till>.<issued ms>.<HMAC>`. The server checks it when the ticket arrives, even hours later
 * from an offline outbox; the till cannot forge one.
 */
async function approvalKey(db: Db, now: Date): Promise<Buffer> {
  let key = await readSetting(db, 'auth.approvalKey');
  if (!key) {
    key = crypto.randomBytes(32).toString('hex');
    await writeSetting(db, 'auth.approvalKey', key, now);
  }
  return Buffer.from(key, 'hex');
}

const mac = (key: Buffer, text: string) => crypto.createHmac('sha256', key).update(text).digest('base64url');

export async function issueApproval(db: Db, managerId: number, tillId: number, now: Date): Promise<string> {
  const body = `v1.${managerId}.${tillId}.${now.getTime()}`;
  return `${body}.${mac(await approvalKey(db, now), body)}`;
}

/** How long an approval stays good for a ticket: a customer's time at the counter, a little more. */
const VALID_MS = 30 * 60_000;

/** The manager who approved, or null when the token is missing, forged, from another till or too old for this ticket. */
export async function checkApproval(db: Db, token: string | undefined, tillId: number, ticketAt: Date, now: Date): Promise<number | null> {
  if (!token) return null;
  const m = /^(v1\.(\d+)\.(\d+)\.(\d+))\.([A-Za-z0-9_-]{43})$/.exec(token);
  if (!m) return null;
  const expected = Buffer.from(mac(await approvalKey(db, now), m[1]!));
  const given = Buffer.from(m[5]!);
  if (expected.length !== given.length || !crypto.timingSafeEqual(expected, given)) return null;
  if (Number(m[3]) !== tillId) return null;
  const issued = Number(m[4]);
  if (issued > ticketAt.getTime() + 60_000 || ticketAt.getTime() - issued > VALID_MS) return null;
  const manager = await db
    .selectFrom('users')
    .select('id')
    .where('id', '=', Number(m[2]))
    .where('role', 'in', ['manager', 'admin'])
    .executeTakeFirst();
  return manager?.id ?? null;
}
