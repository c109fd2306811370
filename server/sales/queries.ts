/** The sales domain's reads (portable SQL: nothing here is SQLite-specific). */
import type { z } from 'zod';
import type { saleListQuery } from '../../shared/api/sales.ts';
import type { Db } from '../../db/schema.ts';
import type { TicketScope } from '../auth/access.ts';

/** Ids of the tickets a list shows, newest first, within the actor's scope. */
export async function saleIdsFor(db: Db, scope: TicketScope, query: z.output<typeof saleListQuery>): Promise<string[]> {
  let q = db.selectFrom('sales').select('id');
  if ('outletId' in scope) q = q.where('outlet_id', '=', scope.outletId);
  if ('siteId' in scope)
    q = q.where('outlet_id', 'in', db.selectFrom('outlets').select('outlets.id').where('outlets.site_id', '=', scope.siteId));
  if ('tillId' in scope) q = q.where('till_id', '=', scope.tillId);
  if (query.tillId !== undefined) q = q.where('till_id', '=', query.tillId);
  if (query.receipt) q = q.where('receipt_token', '=', query.receipt);
  if (query.from) q = q.where('created_at', '>=', new Date(query.from).toISOString());
  if (query.to) q = q.where('created_at', '<', new Date(query.to).toISOString());
  const rows = await q.orderBy('created_at', 'desc').orderBy('id', 'desc').limit(query.limit).execute();
  return rows.map((r) => r.id);
}

/** A member of staff who may be named as the one who rang a ticket (active, with a PIN, a till role). */
export async function tillStaff(db: Db, userId: number, tillId: number) {
  const till = await db
    .selectFrom('tills')
    .innerJoin('outlets', 'outlets.id', 'tills.outlet_id')
    .select(['tills.outlet_id', 'outlets.site_id'])
    .where('tills.id', '=', tillId)
    .executeTakeFirst();
  if (!till) return undefined;
  // Someone who may work at this till, as a PIN opens it (server/auth/login.ts): of its counter or of none, of
  // its site or of the network (a ticket was booked to another site's waiter, who could never log in there:
  // found by an independent check).
  return db
    .selectFrom('users')
    .select(['id', 'role'])
    .where('id', '=', userId)
    .where('active', '=', 1)
    .where('role', 'in', ['cashier', 'waiter', 'manager', 'admin'])
    .where('pin_hash', 'is not', null)
    .where((eb) => eb.or([eb('outlet_id', 'is', null), eb('outlet_id', '=', till.outlet_id)]))
    .where((eb) => eb.or([eb('site_id', 'is', null), eb('site_id', '=', till.site_id)]))
    .executeTakeFirst();
}

/** The receipt job already queued for a ticket, if any (a retry from the till's outbox prints once). */
export async function receiptJobOf(db: Db, saleId: string) {
  return db.selectFrom('print_jobs').select('id').where('subject', '=', `sale:${saleId}`).where('kind', '=', 'receipt').executeTakeFirst();
}
