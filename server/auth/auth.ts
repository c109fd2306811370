/** The auth domain's services behind its routes: logging in and out, who is logged in, one's own password. */
import type { Kysely } from 'kysely';
import type { Database, Db } from '../../db/schema.ts';
import type { MeView } from '../../shared/api/auth.ts';
import { Forbidden, Unauthorized } from '../errors.ts';
import { recordEvent } from '../journal/events.ts';
import { isDemo, readSetting } from '../settings/settings.ts';
import { choosingPin, setOwnPin, setPassword } from '../users/users.ts';
import type { Actor } from './access.ts';
import type { SessionUser } from './identity.ts';
import { loginWithPassword, type LoggedIn } from './login.ts';
import { sha256Hex, verifySecret } from './secrets.ts';
import { limited, personPassword } from './limiter.ts';
import { endSession } from './sessions.ts';

const REMOTE_STAFF =
  'Le back-office s’ouvre depuis le réseau de la boutique ; depuis l’extérieur, seul l’espace des producteurs est ouvert.';

/**
 * A password login. From outside the shop's network (`remote`: through the public proxy) only producers may
 * open a session: anyone else is refused.
 */
export async function passwordLogin(
  db: Db,
  input: { login: string; password: string },
  at: { remote: boolean; now: Date },
): Promise<LoggedIn> {
  // From outside, a login that names someone other than a producer is refused before its password is
  // looked at, whatever it is: the answer told a right password (403) from a wrong one (401), and wrong ones
  // sent from the Internet locked the manager out of the shop's own back office.
  if (at.remote) {
    const named = await db.selectFrom('users').select('role').where('login', '=', input.login).executeTakeFirst();
    if (named && named.role !== 'producer') throw new Forbidden(REMOTE_STAFF);
  }
  const result = await loginWithPassword(db, input.login, input.password, at.now);
  // Kept for a role changed between the two reads.
  if (at.remote && result.user.role !== 'producer') {
    await endSession(db, sha256Hex(result.token));
    throw new Forbidden(REMOTE_STAFF);
  }
  return result;
}

export async function logout(db: Kysely<Database>, user: SessionUser, now: Date): Promise<void> {
  await db.transaction().execute(async (trx) => {
    await endSession(trx, user.sessionHash);
    await recordEvent(trx, { kind: 'auth.logout', userId: user.id, at: now.toISOString() });
  });
}

export async function whoAmI(db: Db, actor: Actor & { user: SessionUser }): Promise<MeView> {
  const { user } = actor;
  const identity = await readSetting(db, 'shop.identity');
  return {
    user: {
      id: user.id,
      role: user.role,
      displayName: user.displayName,
      login: user.login,
      producerId: user.producerId,
      ...(user.siteId !== null ? { siteId: user.siteId } : {}),
    },
    tillId: actor.device?.tillId ?? null,
    shop: { name: identity?.name ?? '', demo: await isDemo(db) },
  };
}

/** Asking one's current password again is a password check like a login: through the limiter. */
async function checkOwnPassword(db: Kysely<Database>, user: SessionUser, current: string, now: Date) {
  const row = await db.selectFrom('users').select('password_hash').where('id', '=', user.id).executeTakeFirstOrThrow();
  const { result: ok, locked } = await limited(db, [personPassword(user.id)], now, async () =>
    row.password_hash && (await verifySecret(current, row.password_hash)) ? true : null,
  );
  if (locked) throw locked;
  if (!ok) throw new Unauthorized('Mot de passe actuel incorrect.');
}

/** One's own till PIN, one's password asked again. */
export async function changeOwnPin(db: Kysely<Database>, user: SessionUser, input: { current: string; pin: string }, now: Date) {
  await checkOwnPassword(db, user, input.current, now);
  await choosingPin(db, user.id, now, () => db.transaction().execute((trx) => setOwnPin(trx, user.id, input.pin, now)));
}

/** One's own password, the current one asked again; every session of theirs ends (this one too). */
export async function changeOwnPassword(db: Kysely<Database>, user: SessionUser, input: { current: string; password: string }, now: Date) {
  await checkOwnPassword(db, user, input.current, now);
  await db.transaction().execute((trx) => setPassword(trx, user.id, input.password, user, now));
}
