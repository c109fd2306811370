import crypto from 'node:crypto';
import type { Db } from '../../db/schema.ts';
import { readSetting, writeSetting } from '../settings/settings.ts';

/**
 * A manager's approval given on a till (their PIN typed there), as a token the till keeps with the ticket:
 * `v3.<manager>.<till>.<issued ms>.<purpose>.<amount in cents>.<HMAC>`. The server checks it when the ticket
 * arrives, even hours later from an offline outbox; the till cannot forge one. The amount is what the manager
 * was asked to approve (the cash out, the discounts, the cancelled dishes, the cash paid): the operation may be
 * that much, never more (a PIN typed for 60 € out took 5 000 € out: found by an independent check).
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

/** What an approval is given for: the till says it when it asks, and the token is good for that only. */
export type ApprovalPurpose = 'discount' | 'cash' | 'drawer' | 'void' | 'refund';

export async function issueApproval(
  db: Db,
  managerId: number,
  tillId: number,
  now: Date,
  purpose: ApprovalPurpose,
  amountCents: number,
): Promise<string> {
  const body = `v3.${managerId}.${tillId}.${now.getTime()}.${purpose}.${amountCents}`;
  return `${body}.${mac(await approvalKey(db, now), body)}`;
}

/** How long an approval stays good for a ticket: a customer's time at the counter, a little more. */
const VALID_MS = 30 * 60_000;
/**
 * How long after it was given an approval may still reach the server, with its ticket from an offline
 * outbox: a week. The ticket's own time proves nothing (a till sets it), the server's clock does.
 */
const DELIVERY_MS = 7 * 24 * 3600_000;

/**
 * The manager who approved, or null when the token is missing, forged, from another till, given for another
 * purpose, too old for this operation, or already used by another one. `subject` names the operation
 * (`sale:<id>`, `drawer:<id>`, `void:<op id>`): an approval is good once, and the same operation sent again
 * (a till's retry) finds its own use. Inside the operation's transaction: the use is written with it.
 * `amountCents`: what the operation amounts to, at most the token's. Tokens of the first two versions (no
 * purpose, issued before migration 038; no amount, before 7 December 2026) are still taken, once, for any amount:
 * a ticket rung offline with one may still be in a till's outbox (a week at most).
 */
export async function checkApproval(
  db: Db,
  token: string | undefined,
  tillId: number,
  ticketAt: Date,
  now: Date,
  use: { purpose: ApprovalPurpose; subject: string; amountCents: number },
): Promise<number | null> {
  if (!token) return null;
  const m =
    /^(v1\.(\d+)\.(\d+)\.(\d+)|v2\.(\d+)\.(\d+)\.(\d+)\.([a-z]+)|v3\.(\d+)\.(\d+)\.(\d+)\.([a-z]+)\.(\d+))\.([A-Za-z0-9_-]{43})$/.exec(
      token,
    );
  if (!m) return null;
  const expected = Buffer.from(mac(await approvalKey(db, now), m[1]!));
  const tag = m[14]!;
  const given = Buffer.from(tag);
  if (expected.length !== given.length || !crypto.timingSafeEqual(expected, given)) return null;
  const [managerId, tokenTill, issued] = (m[2] ? [m[2], m[3], m[4]] : m[5] ? [m[5], m[6], m[7]] : [m[9], m[10], m[11]]).map(Number) as [
    number,
    number,
    number,
  ];
  const purpose = m[8] ?? m[12];
  if (purpose !== undefined && purpose !== use.purpose) return null;
  if (m[13] !== undefined && Math.abs(use.amountCents) > Number(m[13])) return null;
  if (tokenTill !== tillId) return null;
  if (issued > now.getTime() + 60_000 || now.getTime() - issued > DELIVERY_MS) return null;
  if (issued > ticketAt.getTime() + 60_000 || ticketAt.getTime() - issued > VALID_MS) return null;
  const manager = await db
    .selectFrom('users')
    .select('id')
    .where('id', '=', managerId)
    .where('role', 'in', ['manager', 'admin'])
    .executeTakeFirst();
  if (!manager) return null;
  const used = await db.selectFrom('approval_uses').select('subject').where('mac', '=', tag).executeTakeFirst();
  if (used) return used.subject === use.subject ? manager.id : null;
  await db
    .insertInto('approval_uses')
    .values({ mac: tag, manager_id: manager.id, purpose: purpose ?? 'any', subject: use.subject, used_at: now.toISOString() })
    .execute();
  return manager.id;
}
