import type { z } from 'zod';
import type { userUpdateBody, UserCreate } from '../../shared/api/admin.ts';
import type { Kysely } from 'kysely';
import type { Database, Role, UserRow } from '../../db/schema.ts';
import { requireUser, type Actor } from '../auth/access.ts';
import { hashSecret, pinCost, verifySecret } from '../auth/secrets.ts';
import { lockedPeople, pinChoice, reserve, settle } from '../auth/limiter.ts';
import { Conflict, Forbidden, Invalid, NotFound } from '../errors.ts';
import { recordEvent } from '../journal/events.ts';
import type { Db, Trx } from '../../db/schema.ts';
import { siteOfOutlet } from '../sites/sites.ts';

export const userView = (
  u: Pick<
    UserRow,
    'id' | 'login' | 'display_name' | 'role' | 'producer_id' | 'outlet_id' | 'site_id' | 'active' | 'password_hash' | 'pin_hash'
  >,
  lockedUntil: string | null = null,
) => ({
  id: u.id,
  login: u.login,
  displayName: u.display_name,
  role: u.role,
  producerId: u.producer_id,
  outletId: u.outlet_id,
  siteId: u.site_id,
  active: u.active === 1,
  hasPassword: u.password_hash !== null,
  hasPin: u.pin_hash !== null,
  lockedUntil,
});

/** The roles as a refusal names them (the till's and back office's words, shared/i18n/fr.ts `role.*`). */
const ROLE_NAMES: Record<Role, string> = {
  admin: 'administrateur',
  manager: 'gérant',
  cashier: 'caissier',
  waiter: 'serveur',
  producer: 'producteur',
};

/**
 * Who may manage whom: admins manage everyone; managers manage the floor staff and producers. `tied`: the
 * actor is tied to one site, and manages that site's floor staff only (producers' access to their portal and
 * the managers are the network's).
 */
export function canManage(actor: Role, target: Role, tied = false): boolean {
  if (tied) return (actor === 'admin' || actor === 'manager') && (target === 'cashier' || target === 'waiter');
  if (actor === 'admin') return true;
  if (actor === 'manager') return target === 'cashier' || target === 'waiter' || target === 'producer';
  return false;
}

/** Two staff with the same PIN would open each other's sessions on a till: refuse it. */
async function assertPinFree(db: Db, pin: string, exceptUserId: number | null) {
  const others = await db
    .selectFrom('users')
    .select(['id', 'pin_hash'])
    .where('pin_hash', 'is not', null)
    .where('active', '=', 1)
    .execute();
  for (const o of others) {
    if (o.id !== exceptUserId && (await verifySecret(pin, o.pin_hash!))) {
      throw new Conflict('Ce code PIN est déjà utilisé par une autre personne : choisissez-en un autre.', 'pin');
    }
  }
}

const ROLE_ORDER: readonly Role[] = ['admin', 'manager', 'cashier', 'waiter', 'producer'];
const byName = new Intl.Collator('fr', { sensitivity: 'base', numeric: true });

/**
 * The accounts, for a manager tied to a site (`siteId`) those of that site: its managers, the floor staff of
 * its outlets or of none, and the producers (they deliver anywhere).
 */
export async function listUsers(db: Db, now: Date, siteId: number | null = null) {
  let q = db.selectFrom('users').selectAll('users');
  if (siteId !== null)
    q = q.where((eb) =>
      eb.or([
        eb('users.role', '=', 'producer'),
        eb('users.site_id', '=', siteId),
        eb.and([
          eb('users.role', 'in', ['cashier', 'waiter']),
          eb.or([
            eb('users.outlet_id', 'is', null),
            eb('users.outlet_id', 'in', eb.selectFrom('outlets').select('outlets.id').where('outlets.site_id', '=', siteId)),
          ]),
        ]),
      ]),
    );
  // The staff first (who runs the shop, then who sells), the producers after; by name within a role, as a
  // French reader sorts (accents and capitals aside), on either engine.
  const rows = (await q.execute()).sort(
    (a, b) => ROLE_ORDER.indexOf(a.role) - ROLE_ORDER.indexOf(b.role) || byName.compare(a.display_name, b.display_name),
  );
  const locks = await lockedPeople(db, now);
  return rows.map((r) => userView(r, locks.get(r.id) ?? null));
}

export async function createUser(db: Trx, input: UserCreate, actor: { id: number; role: Role; siteId?: number | null }, now: Date) {
  const tied = (actor.siteId ?? null) !== null;
  if (!canManage(actor.role, input.role, tied))
    throw new Forbidden(
      tied
        ? 'Un gérant rattaché à un site crée les comptes de son personnel de caisse et de salle seulement.'
        : `Un compte ${ROLE_NAMES[input.role]} ne se crée que par ${input.role === 'admin' || input.role === 'manager' ? 'un administrateur' : 'un gérant ou un administrateur'}.`,
    );
  // Staff of every outlet work at every site: the network's to create, not one site's manager's.
  if (tied && input.outletId === undefined)
    throw new Invalid({
      field: 'outletId',
      reason: 'choisissez un point de vente de votre site (tous les points de vente : gestion du réseau)',
    });
  if (tied && input.outletId !== undefined) await requireOutletOfSite(db, input.outletId, actor.siteId!);
  const problems: { field: string; reason: string }[] = [];
  if (input.role === 'producer' && input.producerId === undefined)
    problems.push({ field: 'producerId', reason: 'obligatoire pour un compte producteur' });
  if (input.role !== 'producer' && input.producerId !== undefined)
    problems.push({ field: 'producerId', reason: 'réservé aux comptes producteur' });
  if (input.password && !input.login) problems.push({ field: 'login', reason: 'obligatoire avec un mot de passe' });
  if (['admin', 'manager', 'producer'].includes(input.role) && !input.password)
    problems.push({ field: 'password', reason: 'obligatoire pour ce rôle' });
  if (['cashier', 'waiter'].includes(input.role) && !input.pin) problems.push({ field: 'pin', reason: 'obligatoire pour ce rôle' });
  if (input.role === 'producer' && input.pin) problems.push({ field: 'pin', reason: 'un producteur ne se connecte pas aux caisses' });
  if (problems.length) throw new Invalid(problems);
  if (
    input.producerId !== undefined &&
    !(await db.selectFrom('producers').select('id').where('id', '=', input.producerId).executeTakeFirst())
  ) {
    throw new Invalid({ field: 'producerId', reason: 'producteur inconnu' });
  }
  if (input.outletId !== undefined && !(await db.selectFrom('outlets').select('id').where('id', '=', input.outletId).executeTakeFirst())) {
    throw new Invalid({ field: 'outletId', reason: 'point de vente inconnu' });
  }
  if (input.siteId !== undefined) await checkSiteOf(db, input.siteId, input.role, actor);
  if (input.login && (await db.selectFrom('users').select('id').where('login', '=', input.login).executeTakeFirst())) {
    throw new Conflict(`L’identifiant « ${input.login} » est déjà pris.`, 'login');
  }
  if (input.pin) await assertPinFree(db, input.pin, null);
  const row = await db
    .insertInto('users')
    .values({
      login: input.login ?? null,
      display_name: input.displayName,
      role: input.role,
      password_hash: input.password ? await hashSecret(input.password) : null,
      pin_hash: input.pin ? await hashSecret(input.pin, pinCost) : null,
      producer_id: input.producerId ?? null,
      outlet_id: input.outletId ?? null,
      site_id: input.siteId ?? null,
      created_at: now.toISOString(),
    })
    .returningAll()
    .executeTakeFirstOrThrow();
  await recordEvent(db, {
    kind: 'user.created',
    userId: actor.id,
    subject: `user:${row.id}`,
    data: { role: row.role, login: row.login, producerId: row.producer_id },
    at: now.toISOString(),
  });
  return userView(row);
}

/** Only managers are tied to a site, by a manager of the whole network, to a site that exists. */
async function checkSiteOf(db: Db, siteId: number, role: Role, actor: { siteId?: number | null }) {
  if (role !== 'manager' && role !== 'admin')
    throw new Invalid({ field: 'siteId', reason: 'seul un gérant se rattache à un site (les caisses le sont par leur point de vente)' });
  if ((actor.siteId ?? null) !== null) throw new Forbidden('Seule la gestion du réseau rattache un compte à un site.');
  if (!(await db.selectFrom('sites').select('id').where('id', '=', siteId).executeTakeFirst()))
    throw new Invalid({ field: 'siteId', reason: 'site inconnu' });
}

async function manageable(db: Db, id: number, actor: { id: number; role: Role; siteId?: number | null }) {
  const user = await db.selectFrom('users').selectAll().where('id', '=', id).executeTakeFirst();
  if (!user) throw new NotFound('Utilisateur');
  const tied = (actor.siteId ?? null) !== null;
  if (!canManage(actor.role, user.role, tied)) throw new Forbidden('Vous ne pouvez pas modifier ce compte.');
  // A manager tied to a site: another site's staff are not theirs to know.
  if (tied && user.outlet_id !== null && (await siteOfOutlet(db, user.outlet_id)) !== actor.siteId) throw new NotFound('Utilisateur');
  // Staff of every outlet also work at the other sites: the network's managers change them, not one site's.
  if (tied && user.outlet_id === null)
    throw new Forbidden('Ce compte travaille à tous les points de vente du réseau : seule la gestion du réseau le modifie.');
  return user;
}

/** A tied manager puts their staff at their own site's outlets only. */
async function requireOutletOfSite(db: Db, outletId: number, siteId: number) {
  const site = await siteOfOutlet(db, outletId).catch((e: unknown) => {
    if (e instanceof NotFound) return null;
    throw e;
  });
  if (site !== siteId)
    throw new Invalid({ field: 'outletId', reason: site === null ? 'point de vente inconnu' : 'point de vente d’un autre site' });
}

export async function updateUser(
  db: Trx,
  id: number,
  patch: z.infer<typeof userUpdateBody>,
  actor: { id: number; role: Role; siteId?: number | null },
  now: Date,
) {
  const user = await manageable(db, id, actor);
  if (patch.outletId != null && (actor.siteId ?? null) !== null) await requireOutletOfSite(db, patch.outletId, actor.siteId!);
  if (patch.outletId === null && (actor.siteId ?? null) !== null)
    throw new Invalid({ field: 'outletId', reason: 'tous les points de vente : seule la gestion du réseau y affecte un compte' });
  if (patch.siteId !== undefined && patch.siteId !== null) await checkSiteOf(db, patch.siteId, user.role, actor);
  if (patch.siteId !== undefined && (actor.siteId ?? null) !== null)
    throw new Forbidden('Seule la gestion du réseau rattache un compte à un site.');
  if (patch.active === false && id === actor.id)
    throw new Invalid({ field: 'active', reason: 'vous ne pouvez pas désactiver votre propre compte' });
  const row = await db
    .updateTable('users')
    .set({
      display_name: patch.displayName ?? user.display_name,
      active: patch.active === undefined ? user.active : patch.active ? 1 : 0,
      outlet_id: patch.outletId === undefined ? user.outlet_id : patch.outletId,
      site_id: patch.siteId === undefined ? user.site_id : patch.siteId,
    })
    .where('id', '=', id)
    .returningAll()
    .executeTakeFirstOrThrow();
  if (patch.active === false) await db.deleteFrom('sessions').where('user_id', '=', id).execute();
  // Before and after of what changed; deactivating or reactivating someone is its own kind.
  const before = { displayName: user.display_name, active: user.active === 1, outletId: user.outlet_id, siteId: user.site_id };
  const after = { displayName: row.display_name, active: row.active === 1, outletId: row.outlet_id, siteId: row.site_id };
  await recordEvent(db, {
    kind: 'user.updated',
    userId: actor.id,
    subject: `user:${id}`,
    data: { ...patch, before, after },
    at: now.toISOString(),
  });
  if (before.active !== after.active)
    await recordEvent(db, {
      kind: after.active ? 'user.reactivated' : 'user.deactivated',
      userId: actor.id,
      subject: `user:${id}`,
      data: { role: user.role },
      at: now.toISOString(),
    });
  return userView(row, (await lockedPeople(db, now)).get(id) ?? null);
}

export async function setPassword(
  db: Trx,
  id: number,
  password: string,
  actor: { id: number; role: Role; siteId?: number | null },
  now: Date,
) {
  const user =
    id === actor.id
      ? await db.selectFrom('users').selectAll().where('id', '=', id).executeTakeFirstOrThrow()
      : await manageable(db, id, actor);
  if (!user.login) throw new Invalid({ field: 'login', reason: 'ce compte n’a pas d’identifiant : il se connecte par code PIN' });
  await db
    .updateTable('users')
    .set({ password_hash: await hashSecret(password), failed_logins: 0, locked_until: null })
    .where('id', '=', id)
    .execute();
  // Everyone else logged in as this user is logged out: a password reset is often about a leaked one.
  await db.deleteFrom('sessions').where('user_id', '=', id).execute();
  // A new password lifts the lockout its failures caused.
  await db.deleteFrom('auth_limits').where('key', '=', `login:${id}`).execute();
  await recordEvent(db, { kind: 'user.password_set', userId: actor.id, subject: `user:${id}`, at: now.toISOString() });
}

export async function setPin(db: Trx, id: number, pin: string, actor: { id: number; role: Role; siteId?: number | null }, now: Date) {
  const user = await manageable(db, id, actor);
  if (user.role === 'producer') throw new Invalid({ field: 'pin', reason: 'un producteur ne se connecte pas aux caisses' });
  await writePin(db, id, pin, actor.id, now);
}

/** One's own PIN (a manager's: no one above them in the shop sets it), different from every other PIN. */
export const setOwnPin = (db: Trx, userId: number, pin: string, now: Date) => writePin(db, userId, pin, userId, now);

/** A PIN free of every other person's, stored hashed, logged as set by `actorId`. */
async function writePin(db: Trx, id: number, pin: string, actorId: number, now: Date) {
  await assertPinFree(db, pin, id);
  await db
    .updateTable('users')
    .set({ pin_hash: await hashSecret(pin, pinCost) })
    .where('id', '=', id)
    .execute();
  await recordEvent(db, { kind: 'user.pin_set', userId: actorId, subject: `user:${id}`, at: now.toISOString() });
}

// ——— What the routes call: each opens its own transaction ———

/**
 * Runs a change that sets a PIN chosen by `actorId`: a refusal because the PIN is taken counts against that
 * manager's PIN choices (`pinChoice`), since it tells the PIN is someone's; any other outcome gives the
 * attempt back.
 */
export async function choosingPin<T>(db: Kysely<Database>, actorId: number, now: Date, run: () => Promise<T>): Promise<T> {
  const r = await reserve(db, [pinChoice(actorId)], now);
  let taken = false;
  try {
    return await run();
  } catch (e) {
    taken = e instanceof Conflict && e.fields?.[0]?.field === 'pin';
    throw e;
  } finally {
    const locked = await settle(db, r, !taken, now);
    // eslint-disable-next-line no-unsafe-finally -- the lock this very refusal caused is what to say
    if (locked) throw locked;
  }
}

export async function addUser(db: Kysely<Database>, actor: Actor, input: UserCreate, now: Date) {
  const user = requireUser(actor);
  const create = () => db.transaction().execute((trx) => createUser(trx, input, user, now));
  return input.pin ? choosingPin(db, user.id, now, create) : create();
}

export async function changeUser(db: Kysely<Database>, actor: Actor, id: number, patch: z.infer<typeof userUpdateBody>, now: Date) {
  const user = requireUser(actor);
  return db.transaction().execute((trx) => updateUser(trx, id, patch, user, now));
}

export async function resetPassword(db: Kysely<Database>, actor: Actor, id: number, password: string, now: Date) {
  const user = requireUser(actor);
  await db.transaction().execute((trx) => setPassword(trx, id, password, user, now));
}

export async function resetPin(db: Kysely<Database>, actor: Actor, id: number, pin: string, now: Date) {
  const user = requireUser(actor);
  await choosingPin(db, user.id, now, () => db.transaction().execute((trx) => setPin(trx, id, pin, user, now)));
}
