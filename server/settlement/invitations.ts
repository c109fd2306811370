/**
 * A manager invites a producer: a one-time link (256 random bits, only its hash stored, valid 7 days) on
 * which the producer chooses their password. The same link resets a forgotten password: using it
 * replaces the password and ends every open session of that account.
 */
import { Conflict, Invalid, NotFound } from '../errors.ts';
import { recordEvent } from '../journal/events.ts';
import type { Kysely } from 'kysely';
import type { Database, Db, Trx } from '../../db/schema.ts';
import { createSession } from '../auth/sessions.ts';
import { hashSecret, newToken, sha256Hex } from '../auth/secrets.ts';

export const INVITATION_LIFETIME_MS = 7 * 24 * 3600_000;

/** Who invites, when, and the address the link starts with (the one the manager reached the server at). */
export interface Inviting {
  userId: number;
  now: Date;
  origin: string;
}

/** Invites a producer (or resets their password), in a transaction of its own. */
export async function inviteProducer(db: Kysely<Database>, inviting: Inviting, producerId: number, input: { login?: string | undefined }) {
  return db.transaction().execute((trx) => writeInvitation(trx, inviting, producerId, input));
}

async function writeInvitation(db: Trx, { userId, now, origin }: Inviting, producerId: number, input: { login?: string | undefined }) {
  const producer = await db
    .selectFrom('producers')
    .select(['id', 'slug', 'name', 'active'])
    .where('id', '=', producerId)
    .executeTakeFirst();
  if (!producer) throw new NotFound('Producteur');
  if (producer.active !== 1) throw new Invalid({ field: 'producerId', reason: 'producteur désactivé' });
  const account = await db
    .selectFrom('users')
    .select(['id', 'login'])
    .where('producer_id', '=', producerId)
    .where('role', '=', 'producer')
    .executeTakeFirst();
  const login = account?.login ?? input.login ?? producer.slug;
  if (!account) {
    const taken = await db.selectFrom('users').select('id').where('login', '=', login).executeTakeFirst();
    if (taken) throw new Conflict(`L’identifiant « ${login} » est déjà pris : choisissez-en un autre.`, 'login');
  }
  const token = newToken();
  const expiresAt = new Date(now.getTime() + INVITATION_LIFETIME_MS).toISOString();
  // A new link replaces any earlier one still pending for this producer.
  await db
    .updateTable('producer_invitations')
    .set({ used_at: now.toISOString() })
    .where('producer_id', '=', producerId)
    .where('used_at', 'is', null)
    .execute();
  await db
    .insertInto('producer_invitations')
    .values({
      token_hash: sha256Hex(token),
      producer_id: producerId,
      login,
      created_by: userId,
      created_at: now.toISOString(),
      expires_at: expiresAt,
    })
    .execute();
  await recordEvent(db, {
    kind: 'producer.invited',
    userId,
    subject: `producer:${producerId}`,
    data: { login, expiresAt, reset: !!account },
    at: now.toISOString(),
  });
  return { producerId, login, url: `${origin}/invitation/${token}`, expiresAt, reset: !!account };
}

async function pending(db: Db, token: string, now: Date) {
  const row = await db
    .selectFrom('producer_invitations as i')
    .innerJoin('producers as p', 'p.id', 'i.producer_id')
    .select(['i.token_hash', 'i.producer_id', 'i.login', 'i.expires_at', 'i.used_at', 'p.name', 'p.active'])
    .where('i.token_hash', '=', sha256Hex(token))
    .executeTakeFirst();
  // Used, expired and unknown links all read the same: nothing to learn by guessing.
  if (!row || row.used_at || row.expires_at <= now.toISOString() || row.active !== 1)
    throw new NotFound('Invitation (lien déjà utilisé ou expiré)');
  return row;
}

export async function readInvitation(db: Db, token: string, now: Date) {
  const row = await pending(db, token, now);
  return { producerName: row.name, login: row.login, expiresAt: row.expires_at };
}

/**
 * Sets the password chosen on a valid link (creating the account on first use) and opens a session. The
 * password is hashed before the transaction: scrypt is slow on purpose and must not hold the database.
 */
export async function acceptInvitation(db: Kysely<Database>, token: string, password: string, now: Date) {
  await readInvitation(db, token, now);
  const hash = await hashSecret(password);
  return db.transaction().execute((trx) => usePendingInvitation(trx, token, hash, now));
}

async function usePendingInvitation(db: Trx, token: string, hash: string, now: Date) {
  const row = await pending(db, token, now);
  const used = await db
    .updateTable('producer_invitations')
    .set({ used_at: now.toISOString() })
    .where('token_hash', '=', row.token_hash)
    .where('used_at', 'is', null)
    .executeTakeFirst();
  if (Number(used.numUpdatedRows) !== 1) throw new NotFound('Invitation (lien déjà utilisé ou expiré)');
  let user = await db
    .selectFrom('users')
    .select(['id', 'display_name'])
    .where('producer_id', '=', row.producer_id)
    .where('role', '=', 'producer')
    .executeTakeFirst();
  if (user) {
    await db
      .updateTable('users')
      .set({ password_hash: hash, active: 1, failed_logins: 0, locked_until: null })
      .where('id', '=', user.id)
      .execute();
    await db.deleteFrom('sessions').where('user_id', '=', user.id).execute();
    // A new password lifts the lockout its failures caused (auth/limiter.ts).
    await db.deleteFrom('auth_limits').where('key', '=', `login:${user.id}`).execute();
  } else {
    user = await db
      .insertInto('users')
      .values({
        login: row.login,
        display_name: row.name,
        role: 'producer',
        producer_id: row.producer_id,
        password_hash: hash,
        created_at: now.toISOString(),
      })
      .returning(['id', 'display_name'])
      .executeTakeFirstOrThrow();
  }
  await recordEvent(db, {
    kind: 'producer.invitation_used',
    userId: user.id,
    subject: `producer:${row.producer_id}`,
    at: now.toISOString(),
  });
  const session = await createSession(db, user.id, 'producer', now);
  return { session, user: { id: user.id, role: 'producer' as const, displayName: user.display_name, producerId: row.producer_id } };
}
