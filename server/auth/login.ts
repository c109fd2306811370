import type { Kysely } from 'kysely';
import type { Database, Role } from '../../db/schema.ts';
import { Forbidden, Unauthorized } from '../errors.ts';
import { anonymousPin, anonymousPinDay, device, limited, lockedPeople, personPassword, personPin, personPinDay } from './limiter.ts';
import { recordEvent } from '../journal/events.ts';
import { createSession } from './sessions.ts';
import { hashSecret, verifySecret } from './secrets.ts';
import { siteOfOutlet } from '../sites/sites.ts';

export { PASSWORD_LIMIT as MAX_PASSWORD_FAILURES, PIN_LIMIT as MAX_PIN_FAILURES } from './limiter.ts';

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
    .select(['id', 'role', 'display_name', 'producer_id', 'password_hash', 'active'])
    .where('login', '=', login)
    .executeTakeFirst();
  // An unknown login has no one to count against; its hash is still computed (dummy) so it takes as long.
  // The failure that locks still answers 401 (a password form shows "wrong password"); the next one, 429.
  const { result: ok } = await limited(db, user ? [personPassword(user.id)] : [], now, async () => {
    const good = await verifySecret(password, user?.password_hash ?? (await dummy()));
    return good && user?.password_hash && user.active === 1 ? true : null;
  });
  if (!ok || !user) {
    await db.transaction().execute(async (trx) => {
      await recordEvent(trx, { kind: 'auth.login_failed', userId: user?.id ?? null, subject: login.slice(0, 64), at: now.toISOString() });
    });
    throw new Unauthorized('Identifiant ou mot de passe incorrect.');
  }
  return db.transaction().execute(async (trx) => {
    const session = await createSession(trx, user.id, user.role, now);
    await recordEvent(trx, { kind: 'auth.login', userId: user.id, at: now.toISOString() });
    return { ...session, user: { id: user.id, role: user.role, displayName: user.display_name, producerId: user.producer_id } };
  });
}

const PIN_ROLES: Role[] = ['cashier', 'waiter', 'manager', 'admin'];

/**
 * A cashier's PIN opens a session on one paired till only. Wrong PINs lock the person tried (not the till),
 * and slow the tablet down: see limiter.ts.
 */
export async function loginWithPin(
  db: Kysely<Database>,
  input: { tillId: number; pin: string; userId?: number | undefined; deviceId: number; deviceTillId: number },
  now: Date,
): Promise<LoggedIn> {
  const { user, till } = await matchPin(db, input, PIN_ROLES, now);
  return db.transaction().execute(async (trx) => {
    const session = await createSession(trx, user.id, user.role, now, input.deviceId);
    await recordEvent(trx, { kind: 'auth.pin_login', userId: user.id, subject: `till:${till.id}`, at: now.toISOString() });
    return { ...session, user: { id: user.id, role: user.role, displayName: user.display_name, producerId: user.producer_id } };
  });
}

/**
 * A manager's PIN typed on a till to approve what a cashier may not do alone (a large discount, a refund, a
 * void, a cash movement, an unlock): checked like a login through the limiter (the tablet's anonymous PIN
 * pad and the tablet itself), but no session is opened. `roles` narrows who may approve.
 */
export async function approveWithPin(
  db: Kysely<Database>,
  input: { tillId: number; deviceId: number; pin: string; approverOf: number; what?: string },
  now: Date,
) {
  const { user, till } = await matchPin(db, { ...input, deviceTillId: input.tillId }, ['manager', 'admin'], now);
  await db.transaction().execute(async (trx) => {
    await recordEvent(trx, {
      kind: 'auth.pin_approval',
      userId: user.id,
      subject: `till:${till.id}`,
      data: { for: input.approverOf, ...(input.what ? { what: input.what } : {}) },
      at: now.toISOString(),
    });
  });
  return { id: user.id, displayName: user.display_name, role: user.role, siteId: user.site_id };
}

async function matchPin(
  db: Kysely<Database>,
  input: { tillId: number; pin: string; userId?: number | undefined; deviceId: number; deviceTillId: number },
  roles: Role[],
  now: Date,
) {
  if (input.deviceTillId !== input.tillId) throw new Forbidden('Cette tablette n’est pas appairée à cette caisse.');
  const till = await db.selectFrom('tills').select(['id', 'outlet_id', 'active']).where('id', '=', input.tillId).executeTakeFirst();
  if (!till || till.active !== 1) throw new Forbidden('Caisse inconnue ou désactivée.');
  // Who works at this till: staff of its outlet or of none, and no manager tied to another site.
  const site = await siteOfOutlet(db, till.outlet_id);
  let q = db
    .selectFrom('users')
    .select(['id', 'role', 'display_name', 'producer_id', 'pin_hash', 'site_id'])
    .where('active', '=', 1)
    .where('pin_hash', 'is not', null)
    .where('role', 'in', roles)
    .where((eb) => eb.or([eb('outlet_id', 'is', null), eb('outlet_id', '=', till.outlet_id)]))
    .where((eb) => eb.or([eb('site_id', 'is', null), eb('site_id', '=', site)]));
  if (input.userId !== undefined) q = q.where('id', '=', input.userId);
  const candidates = await q.orderBy('id').execute();
  const named = input.userId !== undefined ? candidates[0] : undefined;
  const person =
    input.userId !== undefined
      ? personPin(input.userId, named?.display_name ?? (await displayName(db, input.userId)))
      : anonymousPin(input.deviceId);
  // PINs typed without a name cannot open a person who is locked: their PIN answers as a wrong one (so it
  // tells nothing), and the lock is named in an event.
  const locks = input.userId === undefined ? await lockedPeople(db, now) : new Map<number, string>();
  const counters =
    input.userId === undefined
      ? [anonymousPinDay(input.deviceId), person, device(input.deviceId)]
      : [personPinDay(input.userId, named?.display_name), person, device(input.deviceId)];
  const { result: match, locked } = await limited(db, counters, now, async () => {
    for (const c of candidates) {
      if (c.pin_hash && (await verifySecret(input.pin, c.pin_hash))) {
        if (locks.has(c.id)) {
          await db.transaction().execute((trx) =>
            recordEvent(trx, {
              kind: 'auth.locked_pin_refused',
              userId: c.id,
              subject: `device:${input.deviceId}`,
              data: { until: locks.get(c.id)!, roles },
              at: now.toISOString(),
            }),
          );
          return null;
        }
        return c;
      }
    }
    return null;
  });
  if (!match) {
    await db.transaction().execute((trx) =>
      recordEvent(trx, {
        kind: 'auth.pin_failed',
        userId: input.userId ?? null,
        subject: `till:${till.id}`,
        data: { deviceId: input.deviceId, ...(roles.includes('cashier') ? {} : { approval: true }) },
        at: now.toISOString(),
      }),
    );
    if (locked) throw locked;
    throw new Unauthorized('Code PIN incorrect.');
  }
  return { user: match, till };
}

async function displayName(db: Kysely<Database>, id: number): Promise<string | undefined> {
  return (await db.selectFrom('users').select('display_name').where('id', '=', id).executeTakeFirst())?.display_name;
}
