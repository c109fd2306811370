import { sql, type Kysely } from 'kysely';
import type { Database, Db } from '../../db/schema.ts';
import { TooManyAttempts } from '../errors.ts';
import { recordEvent } from '../journal/events.ts';

/**
 * The one gate every PIN and password check goes through (till logins, back-office logins, a manager's PIN
 * approving a refund, a discount, a manual price, a void, a cash movement or an unlock).
 *
 * Failures are counted on several counters at once: the person whose secret was tried (`user:<id>` for a
 * PIN, `login:<id>` for a password), or when a PIN names nobody (approvals, a PIN typed alone) the
 * anonymous pad of that tablet (`anon:<device>`), and always the tablet itself (`device:<id>`).
 *
 * Each attempt is reserved (counted as a failure) BEFORE the slow hash, in one atomic upsert that refuses
 * once the limit is reached, then settled after it: a success gives the reservation back, a failure keeps
 * it and may lock. So N guesses sent at once never get more than the limit checked (issue 19 item 3).
 *
 * The numbers:
 * - a person: 5 wrong PINs lock that person for 5 minutes. Four digits give 10,000 PINs; 5 tries per
 *   5 minutes is at most 1,440 a day on one person, and every lock is an event a manager sees.
 * - a tablet: slowed from 10 failures (twice a person's limit: two cashiers mistyping a few times in a
 *   rush never get there), each further failure making everyone wait a growing delay (1 s, 2 s, 4 s … at
 *   most 60 s); locked for 5 minutes at 20 (four people's limits), which nobody reaches by mistake and one
 *   person alone cannot cause: one person is locked after 5, so stopping the shop takes guessing on four
 *   people or more, and that is slowed and logged long before.
 * Failures are forgotten after 15 quiet minutes, so a day's honest mistakes do not add up.
 */
export const PIN_LIMIT = 5;
export const PIN_LOCK_MS = 5 * 60_000;
export const PASSWORD_LIMIT = 10;
export const PASSWORD_LOCK_MS = 15 * 60_000;
export const DEVICE_SLOW_FROM = 10;
export const DEVICE_LIMIT = 20;
export const DEVICE_LOCK_MS = 5 * 60_000;
export const MAX_SLOW_MS = 60_000;
export const FORGET_AFTER_MS = 15 * 60_000;

export interface Counter {
  key: string;
  limit: number;
  lockMs: number;
  /** Failures forgotten after this many quiet milliseconds (FORGET_AFTER_MS when not said). */
  forgetMs?: number;
  /** Whose counter it is, for the events and the messages. */
  userId?: number;
  displayName?: string;
  deviceId?: number;
}

export const personPin = (userId: number, displayName?: string): Counter => ({
  key: `user:${userId}`,
  limit: PIN_LIMIT,
  lockMs: PIN_LOCK_MS,
  userId,
  ...(displayName ? { displayName } : {}),
});
export const personPassword = (userId: number): Counter => ({
  key: `login:${userId}`,
  limit: PASSWORD_LIMIT,
  lockMs: PASSWORD_LOCK_MS,
  userId,
});
/**
 * A manager choosing a PIN already taken (for a new person, someone's reset, their own): the refusal says
 * that PIN is someone's, so it is a PIN guess like any other. 5 in a day lock that manager's PIN choices for
 * an hour: finding one four-digit PIN this way takes weeks, and each lock is an event an administrator sees.
 */
export const PIN_CHOICE_LIMIT = 5;
export const PIN_CHOICE_LOCK_MS = 60 * 60_000;
export const pinChoice = (actorId: number): Counter => ({
  key: `pinset:${actorId}`,
  limit: PIN_CHOICE_LIMIT,
  lockMs: PIN_CHOICE_LOCK_MS,
  forgetMs: 24 * 60 * 60_000,
});
/** PINs typed on a tablet without naming anyone (approvals among them): counted as one person. */
export const anonymousPin = (deviceId: number): Counter => ({ key: `anon:${deviceId}`, limit: PIN_LIMIT, lockMs: PIN_LOCK_MS, deviceId });
/**
 * The same PINs over a day: each is checked against every PIN of the till's staff, and 5 wrong ones every
 * 5 minutes still let a tablet try 1,440 a day, enough to find someone's four digits in about a day (found by
 * an attack on a running server). 15 wrong ones within a day stop PINs typed without a name on that tablet
 * for 4 hours (an event a manager sees); a person named on the lock screen is not held up. About 85 guesses
 * a day at most.
 */
export const ANON_DAY_LIMIT = 15;
export const ANON_DAY_LOCK_MS = 4 * 60 * 60_000;
export const anonymousPinDay = (deviceId: number): Counter => ({
  key: `anonday:${deviceId}`,
  limit: ANON_DAY_LIMIT,
  lockMs: ANON_DAY_LOCK_MS,
  forgetMs: 24 * 60 * 60_000,
  deviceId,
});
/**
 * A person's PIN over a day, whoever types it and where: naming someone (the manager whose PIN approves refunds
 * and cash outs) still let a tablet try 5 every 5 minutes, about 1,440 a day (found by an attack on a running
 * server). 30 wrong ones within a day, on every tablet together, lock that person's PIN for 4 hours, an event a
 * manager sees, lifted as any lock (Débloquer): about 160 guesses a day at most. More than the anonymous 15: a
 * shop's ten tablets see a cashier mistype their own PIN now and then all day (test/rate-limit.test.ts).
 */
export const PERSON_DAY_LIMIT = 30;
export const personPinDay = (userId: number, displayName?: string): Counter => ({
  key: `userday:${userId}`,
  limit: PERSON_DAY_LIMIT,
  lockMs: ANON_DAY_LOCK_MS,
  forgetMs: 24 * 60 * 60_000,
  userId,
  ...(displayName ? { displayName } : {}),
});
export const device = (deviceId: number): Counter => ({ key: `device:${deviceId}`, limit: DEVICE_LIMIT, lockMs: DEVICE_LOCK_MS, deviceId });

/** Delay imposed on a tablet after its `failures`-th failure (0 below the slow-down threshold). */
export function deviceDelayMs(failures: number): number {
  if (failures < DEVICE_SLOW_FROM) return 0;
  return Math.min(MAX_SLOW_MS, 1000 * 2 ** (failures - DEVICE_SLOW_FROM));
}

const minutes = (ms: number) => Math.max(1, Math.ceil(ms / 60_000));
const clock = (iso: string) =>
  new Intl.DateTimeFormat('fr-FR', { hour: '2-digit', minute: '2-digit', timeZone: 'Europe/Paris' }).format(new Date(iso));

function refusal(counter: Counter, lockedUntil: string | null, now: Date): TooManyAttempts {
  if (!lockedUntil) {
    // The limit is taken by attempts still being checked: a moment, then the answer is known.
    return new TooManyAttempts('Trop d’essais en même temps : réessayez dans un instant.', 2);
  }
  const ms = Date.parse(lockedUntil) - now.getTime();
  const seconds = Math.max(1, Math.ceil(ms / 1000));
  if (counter.key.startsWith('device:')) {
    return new TooManyAttempts(
      seconds <= 60
        ? `Trop de codes erronés sur cette tablette : patientez ${seconds} s.`
        : `Trop de codes erronés sur cette tablette : bloquée jusqu’à ${clock(lockedUntil)} (${minutes(ms)} min).`,
      seconds,
    );
  }
  if (counter.key.startsWith('anonday:')) {
    return new TooManyAttempts(
      `Trop de codes PIN erronés aujourd’hui sur cette tablette : codes sans nom refusés jusqu’à ${clock(lockedUntil)} ; chacun peut encore ouvrir la caisse à son nom.`,
      seconds,
    );
  }
  if (counter.key.startsWith('pinset:')) {
    return new TooManyAttempts(
      `Trop de codes PIN déjà pris proposés : choix de code PIN bloqué jusqu’à ${clock(lockedUntil)} (${minutes(ms)} min).`,
      seconds,
    );
  }
  if (counter.key.startsWith('login:')) {
    return new TooManyAttempts(`Trop d’essais : compte bloqué, réessayez dans ${minutes(ms)} min.`, seconds);
  }
  if (counter.displayName) {
    return new TooManyAttempts(
      `Accès de ${counter.displayName} bloqué jusqu’à ${clock(lockedUntil)} après 5 codes PIN erronés : un responsable peut le débloquer.`,
      seconds,
    );
  }
  return new TooManyAttempts(`Trop de codes PIN erronés : réessayez à ${clock(lockedUntil)} (${minutes(ms)} min).`, seconds);
}

/** Counts one attempt on a counter unless it is locked or full; false when refused. Atomic. */
async function reserveOne(db: Db, c: Counter, now: Date): Promise<boolean> {
  const at = now.toISOString();
  const forgotten = new Date(now.getTime() - (c.forgetMs ?? FORGET_AFTER_MS)).toISOString();
  // Portable upsert (SQLite and PostgreSQL both take ON CONFLICT … DO UPDATE … WHERE).
  const row = await db
    .insertInto('auth_limits')
    .values({ key: c.key, failures: 1, last_failure_at: at, locked_until: null })
    .onConflict((oc) =>
      oc
        .column('key')
        .doUpdateSet({
          failures: sql<number>`case when auth_limits.last_failure_at < ${forgotten} and (auth_limits.locked_until is null or auth_limits.locked_until <= ${at}) then 1 else auth_limits.failures + 1 end`,
          last_failure_at: at,
        })
        .where((eb) =>
          eb.and([
            eb.or([eb('auth_limits.locked_until', 'is', null), eb('auth_limits.locked_until', '<=', at)]),
            eb.or([eb('auth_limits.failures', '<', c.limit), eb('auth_limits.last_failure_at', '<', forgotten)]),
          ]),
        ),
    )
    .returning('failures')
    .executeTakeFirst();
  return !!row;
}

async function giveBack(db: Db, c: Counter) {
  await db
    .updateTable('auth_limits')
    .set({ failures: sql<number>`case when failures > 0 then failures - 1 else 0 end` })
    .where('key', '=', c.key)
    .execute();
}

export interface Reservation {
  counters: Counter[];
}

/**
 * Reserves an attempt on every counter, or refuses (429 with the time to wait) without anything being
 * checked. Call `settle` after the check.
 */
export async function reserve(db: Kysely<Database>, counters: Counter[], now: Date): Promise<Reservation> {
  const taken: Counter[] = [];
  for (const c of counters) {
    if (await reserveOne(db, c, now)) {
      taken.push(c);
      continue;
    }
    for (const t of taken) await giveBack(db, t);
    const row = await db.selectFrom('auth_limits').select('locked_until').where('key', '=', c.key).executeTakeFirst();
    const lockedUntil = row?.locked_until && row.locked_until > now.toISOString() ? row.locked_until : null;
    throw refusal(c, lockedUntil, now);
  }
  return { counters: taken };
}

/**
 * After the check: a success clears the person's failures and gives the tablet's reservation back; a
 * failure keeps the count, locks a person who reached the limit, slows or locks the tablet. Returns the
 * refusal to throw when this very failure locked the person (so the one who locked themselves is told).
 */
export async function settle(db: Kysely<Database>, r: Reservation, ok: boolean, now: Date): Promise<TooManyAttempts | null> {
  const at = now.toISOString();
  if (ok) {
    for (const c of r.counters) {
      if (c.key.startsWith('user:') || c.key.startsWith('login:')) await db.deleteFrom('auth_limits').where('key', '=', c.key).execute();
      else await giveBack(db, c);
    }
    return null;
  }
  let locked: TooManyAttempts | null = null;
  for (const c of r.counters) {
    if (c.key.startsWith('device:')) {
      await db.transaction().execute(async (trx) => {
        const row = await trx.selectFrom('auth_limits').select(['failures', 'locked_until']).where('key', '=', c.key).executeTakeFirst();
        if (!row) return;
        if (row.failures >= c.limit) {
          const until = new Date(now.getTime() + c.lockMs).toISOString();
          await trx.updateTable('auth_limits').set({ failures: 0, locked_until: until }).where('key', '=', c.key).execute();
          await recordEvent(trx, { kind: 'auth.device_locked', userId: null, subject: `device:${c.deviceId}`, data: { until }, at });
          return;
        }
        const delay = deviceDelayMs(row.failures);
        if (!delay) return;
        const until = new Date(now.getTime() + delay).toISOString();
        await trx.updateTable('auth_limits').set({ locked_until: until }).where('key', '=', c.key).execute();
        await recordEvent(trx, {
          kind: 'auth.device_slowed',
          userId: null,
          subject: `device:${c.deviceId}`,
          data: { failures: row.failures, until },
          at,
        });
      });
      continue;
    }
    const until = new Date(now.getTime() + c.lockMs).toISOString();
    // Only the failure that reaches the limit locks (one event), whatever the others in flight do.
    const hit = await db.transaction().execute(async (trx) => {
      const row = await trx
        .updateTable('auth_limits')
        .set({ failures: 0, locked_until: until })
        .where('key', '=', c.key)
        .where('failures', '>=', c.limit)
        .returning('key')
        .executeTakeFirst();
      if (!row) return false;
      const [counter, id] = c.key.split(':');
      await recordEvent(trx, {
        kind: counter === 'pinset' ? 'auth.pin_choice_locked' : c.userId !== undefined ? 'auth.person_locked' : 'auth.pin_locked',
        userId: c.userId ?? (counter === 'pinset' ? Number(id) : null),
        subject: counter === 'pinset' ? `user:${id}` : c.userId !== undefined ? `user:${c.userId}` : `device:${c.deviceId}`,
        data: { until, counter },
        at,
      });
      return true;
    });
    if (hit) locked ??= refusal(c, until, now);
  }
  return locked;
}

/** Runs `check` (the slow hash) between a reservation and its settlement. */
export async function limited<T>(
  db: Kysely<Database>,
  counters: Counter[],
  now: Date,
  check: () => Promise<T | null>,
): Promise<{ result: T | null; locked: TooManyAttempts | null }> {
  const r = await reserve(db, counters, now);
  let result: T | null = null;
  try {
    result = await check();
  } catch (e) {
    await settle(db, r, false, now);
    throw e;
  }
  const locked = await settle(db, r, result !== null, now);
  return { result, locked };
}

/** When each person is locked (only those locked now), for the lock screen and the staff list. */
export async function lockedPeople(db: Db, now: Date): Promise<Map<number, string>> {
  const rows = await db
    .selectFrom('auth_limits')
    .select(['key', 'locked_until'])
    .where((eb) => eb.or([eb('key', 'like', 'user:%'), eb('key', 'like', 'login:%'), eb('key', 'like', 'userday:%')]))
    .where('locked_until', '>', now.toISOString())
    .execute();
  const out = new Map<number, string>();
  for (const r of rows) {
    const id = Number(r.key.split(':')[1]);
    if (!out.has(id) || out.get(id)! < r.locked_until!) out.set(id, r.locked_until!);
  }
  return out;
}

/** Until when a tablet is slowed or locked, or null. */
export async function deviceLockedUntil(db: Db, deviceId: number, now: Date): Promise<string | null> {
  const row = await db.selectFrom('auth_limits').select('locked_until').where('key', '=', `device:${deviceId}`).executeTakeFirst();
  return row?.locked_until && row.locked_until > now.toISOString() ? row.locked_until : null;
}

/** Lifts a person's lock (PIN and password) and forgets their failures; false when they were not locked. */
export async function unlockPerson(db: Db, userId: number, now: Date): Promise<boolean> {
  const rows = await db
    .deleteFrom('auth_limits')
    .where('key', 'in', [`user:${userId}`, `login:${userId}`, `userday:${userId}`])
    .returning(['locked_until'])
    .execute();
  return rows.some((r) => r.locked_until !== null && r.locked_until > now.toISOString());
}
