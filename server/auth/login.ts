import type { Kysely } from 'kysely';
import type { Database, Role } from '../../db/schema.ts';
import { Forbidden, TooManyAttempts, Unauthorized } from '../errors.ts';
import { recordEvent } from '../journal/events.ts';
import { createSession } from './sessions.ts';
import { hashSecret, verifySecret } from './secrets.ts';

export const MAX_PASSWORD_FAILURES = 10;
export const PASSWORD_LOCK_MS = 15 * 60_000;
export const MAX_PIN_FAILURES = 5;
export const PIN_LOCK_MS = 5 * 60_000;

// Verifying against a throwaway hash when the login is unknown keeps both paths equally slow,
// so response time does not tell which logins exist.
let dummyHash: Promise<string> | null = null;
const dummy = () => (dummyHash ??= hashSecret('not-a-real-password'));

export interface LoggedIn {
  token: string;
  maxAgeSeconds: number;
  user: { id: number; role: Role; displayName: string; producerId: number | null };
}

export async function loginWithPassword(db: Kysely<Database>, login: string, password: string, now: Date): Promise<LoggedIn> {
  const user = await db
    .selectFrom('users')
    .select(['id', 'role', 'display_name', 'producer_id', 'password_hash', 'active', 'locked_until'])
    .where('login', '=', login)
    .executeTakeFirst();
  if (user?.locked_until && user.locked_until > now.toISOString()) {
    const seconds = Math.ceil((Date.parse(user.locked_until) - now.getTime()) / 1000);
    throw new TooManyAttempts(`Trop d’essais : compte bloqué, réessayez dans ${Math.ceil(seconds / 60)} min.`, seconds);
  }
  const ok = await verifySecret(password, user?.password_hash ?? (await dummy()));
  if (!user || !user.password_hash || user.active !== 1 || !ok) {
    await db.transaction().execute(async (trx) => {
      if (user) {
        const failures = await trx
          .updateTable('users')
          .set((eb) => ({ failed_logins: eb('failed_logins', '+', 1) }))
          .where('id', '=', user.id)
          .returning('failed_logins')
          .executeTakeFirstOrThrow();
        if (failures.failed_logins >= MAX_PASSWORD_FAILURES) {
          await trx
            .updateTable('users')
            .set({ failed_logins: 0, locked_until: new Date(now.getTime() + PASSWORD_LOCK_MS).toISOString() })
            .where('id', '=', user.id)
            .execute();
        }
      }
      await recordEvent(trx, { kind: 'auth.login_failed', userId: user?.id ?? null, subject: login.slice(0, 64), at: now.toISOString() });
    });
    throw new Unauthorized('Identifiant ou mot de passe incorrect.');
  }
  return db.transaction().execute(async (trx) => {
    await trx.updateTable('users').set({ failed_logins: 0, locked_until: null }).where('id', '=', user.id).execute();
    const session = await createSession(trx, user.id, user.role, now);
    await recordEvent(trx, { kind: 'auth.login', userId: user.id, at: now.toISOString() });
    return { ...session, user: { id: user.id, role: user.role, displayName: user.display_name, producerId: user.producer_id } };
  });
}

const PIN_ROLES: Role[] = ['cashier', 'waiter', 'manager', 'admin'];

/**
 * A cashier's PIN opens a session on one paired till only. Five wrong PINs in a row lock the till's PIN pad
 * for five minutes (the lock is stored, so a restart does not lift it).
 */
export async function loginWithPin(
  db: Kysely<Database>,
  input: { tillId: number; pin: string; userId?: number | undefined; deviceId: number; deviceTillId: number },
  now: Date,
): Promise<LoggedIn> {
  const { user, till } = await matchPin(db, input, PIN_ROLES, now);
  return db.transaction().execute(async (trx) => {
    await trx.updateTable('tills').set({ pin_failures: 0 }).where('id', '=', till.id).execute();
    const session = await createSession(trx, user.id, user.role, now, input.deviceId);
    await recordEvent(trx, { kind: 'auth.pin_login', userId: user.id, subject: `till:${till.id}`, at: now.toISOString() });
    return { ...session, user: { id: user.id, role: user.role, displayName: user.display_name, producerId: user.producer_id } };
  });
}

/**
 * A manager's PIN typed on a till to approve what a cashier may not do alone (a large discount, a refund):
 * checked like a login, wrong PINs counting towards the till's lock, but no session is opened.
 */
export async function approveWithPin(db: Kysely<Database>, input: { tillId: number; pin: string; approverOf: number }, now: Date) {
  const { user, till } = await matchPin(db, { ...input, deviceTillId: input.tillId }, ['manager', 'admin'], now);
  await db.transaction().execute(async (trx) => {
    await trx.updateTable('tills').set({ pin_failures: 0 }).where('id', '=', till.id).execute();
    await recordEvent(trx, {
      kind: 'auth.pin_approval',
      userId: user.id,
      subject: `till:${till.id}`,
      data: { for: input.approverOf },
      at: now.toISOString(),
    });
  });
  return { id: user.id, displayName: user.display_name, role: user.role };
}

async function matchPin(
  db: Kysely<Database>,
  input: { tillId: number; pin: string; userId?: number | undefined; deviceTillId: number },
  roles: Role[],
  now: Date,
) {
  if (input.deviceTillId !== input.tillId) throw new Forbidden('Cette tablette n’est pas appairée à cette caisse.');
  const till = await db
    .selectFrom('tills')
    .select(['id', 'outlet_id', 'pin_locked_until', 'active'])
    .where('id', '=', input.tillId)
    .executeTakeFirst();
  if (!till || till.active !== 1) throw new Forbidden('Caisse inconnue ou désactivée.');
  if (till.pin_locked_until && till.pin_locked_until > now.toISOString()) {
    const seconds = Math.ceil((Date.parse(till.pin_locked_until) - now.getTime()) / 1000);
    throw new TooManyAttempts(`Trop de codes PIN erronés : clavier bloqué encore ${Math.ceil(seconds / 60)} min.`, seconds);
  }
  let q = db
    .selectFrom('users')
    .select(['id', 'role', 'display_name', 'producer_id', 'pin_hash'])
    .where('active', '=', 1)
    .where('pin_hash', 'is not', null)
    .where('role', 'in', roles)
    .where((eb) => eb.or([eb('outlet_id', 'is', null), eb('outlet_id', '=', till.outlet_id)]));
  if (input.userId !== undefined) q = q.where('id', '=', input.userId);
  const candidates = await q.orderBy('id').execute();
  let match: (typeof candidates)[number] | undefined;
  for (const c of candidates) {
    if (c.pin_hash && (await verifySecret(input.pin, c.pin_hash))) {
      match = c;
      break;
    }
  }
  if (!match) {
    const locked = await db.transaction().execute(async (trx) => {
      const { pin_failures } = await trx
        .updateTable('tills')
        .set((eb) => ({ pin_failures: eb('pin_failures', '+', 1) }))
        .where('id', '=', till.id)
        .returning('pin_failures')
        .executeTakeFirstOrThrow();
      await recordEvent(trx, {
        kind: 'auth.pin_failed',
        userId: input.userId ?? null,
        subject: `till:${till.id}`,
        data: { failures: pin_failures },
        at: now.toISOString(),
      });
      if (pin_failures >= MAX_PIN_FAILURES) {
        await trx
          .updateTable('tills')
          .set({ pin_failures: 0, pin_locked_until: new Date(now.getTime() + PIN_LOCK_MS).toISOString() })
          .where('id', '=', till.id)
          .execute();
        await recordEvent(trx, { kind: 'auth.pin_locked', userId: null, subject: `till:${till.id}`, at: now.toISOString() });
        return true;
      }
      return false;
    });
    if (locked) throw new TooManyAttempts('Trop de codes PIN erronés : clavier bloqué 5 min.', PIN_LOCK_MS / 1000);
    throw new Unauthorized('Code PIN incorrect.');
  }
  return { user: match, till };
}
