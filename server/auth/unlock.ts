import type { Kysely } from 'kysely';
import type { Database, Role } from '../../db/schema.ts';
import { Forbidden, NotFound, Unprocessable } from '../errors.ts';
import { recordEvent } from '../journal/events.ts';
import { siteOfOutlet } from '../sites/sites.ts';
import { canManage } from '../users/users.ts';
import { unlockPerson } from './limiter.ts';

/**
 * A manager lifts a person's lockout, from the till (their PIN typed there, already checked by the caller)
 * or from the back office. Managers unlock the floor staff, admins anyone; the event names who did it.
 * A manager tied to a site unlocks that site's floor staff only; at a till (`atSite`, the till's site), only
 * someone who works at that site is unlocked. Anyone else is not found, as elsewhere across sites.
 */
export async function unlockStaff(
  db: Kysely<Database>,
  input: {
    userId: number;
    by: { id: number; role: Role; siteId: number | null };
    via: 'till' | 'backoffice';
    deviceId?: number;
    atSite?: number;
  },
  now: Date,
) {
  const target = await db
    .selectFrom('users')
    .select(['id', 'display_name', 'role', 'site_id', 'outlet_id'])
    .where('id', '=', input.userId)
    .executeTakeFirst();
  if (!target) throw new NotFound('Personne');
  const sites = [input.by.siteId, input.atSite ?? null].filter((s) => s !== null);
  if (sites.length) {
    const targetSite = target.outlet_id !== null ? await siteOfOutlet(db, target.outlet_id) : target.site_id;
    if (targetSite !== null && sites.some((s) => s !== targetSite)) throw new NotFound('Personne');
  }
  if (target.id !== input.by.id && !canManage(input.by.role, target.role, input.by.siteId !== null)) {
    throw new Forbidden(`Seul un administrateur peut débloquer ${target.display_name}.`);
  }
  return db.transaction().execute(async (trx) => {
    const wasLocked = await unlockPerson(trx, target.id, now);
    if (!wasLocked) {
      throw new Unprocessable(`L’accès de ${target.display_name} n’est pas bloqué.`, [{ field: 'userId', reason: 'personne non bloquée' }]);
    }
    await recordEvent(trx, {
      kind: 'auth.person_unlocked',
      userId: input.by.id,
      subject: `user:${target.id}`,
      data: { via: input.via, ...(input.deviceId !== undefined ? { deviceId: input.deviceId } : {}) },
      at: now.toISOString(),
    });
    return { id: target.id, displayName: target.display_name };
  });
}
