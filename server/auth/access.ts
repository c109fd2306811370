/**
 * What an actor may touch, decided in one place. A route says which role may call it (`http/access.ts`);
 * once in, it names what it touches (`requireAccess(db, actor, { sale: id, as: 'outlet' })`) or asks for
 * the scope its query applies (`producerScope`, `ticketScope`), the way immich's `requireAccess` does.
 * Anything out of reach is "not found": a till or a producer never learns that it exists.
 */
import type { Db } from '../../db/schema.ts';
import { Forbidden, NotFound, Unauthorized } from '../errors.ts';
import type { DeviceIdentity, Scope, SessionUser } from './identity.ts';
import { printerOfSite } from '../sites/sites.ts';

/** Who is acting: the person logged in, the paired till the request came from, either or both. */
export interface Actor {
  user: SessionUser | null;
  device: DeviceIdentity | null;
}

export const isManager = (actor: Actor) => actor.user?.role === 'admin' || actor.user?.role === 'manager';

export function requireUser(actor: Actor): SessionUser {
  if (!actor.user) throw new Unauthorized();
  return actor.user;
}

/** The till a request rings on: what a cashier records (tickets, refunds, cash moves) is booked to it. */
export function requireTill(actor: Actor, refusal = 'Depuis une caisse appairée uniquement.'): DeviceIdentity {
  if (!actor.device) throw new Forbidden(refusal);
  return actor.device;
}

/** A producer's requests are scoped to their own producer id, in every query; everyone else sees what the route allows. */
export function producerScope(actor: Actor): Scope {
  return { producerId: actor.user?.role === 'producer' ? actor.user.producerId : null };
}

/**
 * Which tickets an actor may look up: managers all (a manager tied to a site, that site's); a cashier or waiter on a paired till those of every
 * till of its outlet (a customer brings back at till 1 what they bought at till 2); the tablet alone
 * (locked, nobody logged in) its own till's only.
 */
export type TicketScope = { all: true } | { siteId: number } | { outletId: number } | { tillId: number };

export async function ticketScope(db: Db, actor: Actor): Promise<TicketScope> {
  if (isManager(actor)) return actor.user!.siteId === null ? { all: true } : { siteId: actor.user!.siteId };
  const role = actor.user?.role;
  if (!actor.device || role === 'producer') throw new Forbidden('Consultation des tickets depuis une caisse appairée uniquement.');
  if (role !== 'cashier' && role !== 'waiter') return { tillId: actor.device.tillId };
  const till = await db.selectFrom('tills').select('outlet_id').where('id', '=', actor.device.tillId).executeTakeFirstOrThrow();
  return { outletId: till.outlet_id };
}

export const ticketInScope = (scope: TicketScope, sale: { outletId: number; tillId: number; siteId: number }) =>
  'all' in scope ||
  ('siteId' in scope
    ? sale.siteId === scope.siteId
    : 'outletId' in scope
      ? sale.outletId === scope.outletId
      : sale.tillId === scope.tillId);

/** What a route touches, checked by `requireAccess`. */
export type Target =
  /** A ticket: to look at it or reprint it (`outlet`: any till of the outlet), or to act as its own till (`till`). */
  | { sale: string; as: 'outlet' | 'till' }
  /** A printer: managers any, a till only its own receipt printer. */
  | { printer: number }
  /** A print job: as its printer (a till only the jobs of its own receipt printer). */
  | { printJob: number }
  /** A producer's own records: managers any, a producer only their own. */
  | { producer: number };

export async function requireAccess(db: Db, actor: Actor, target: Target): Promise<void> {
  if ('sale' in target) {
    // The scope first (a till that may see no ticket is refused before anything is looked up), then the ticket.
    const scope: TicketScope =
      target.as === 'outlet' || isManager(actor)
        ? await ticketScope(db, actor)
        : { tillId: requireTill(actor, 'Consultation des tickets depuis une caisse appairée uniquement.').tillId };
    const sale = await db
      .selectFrom('sales')
      .innerJoin('outlets', 'outlets.id', 'sales.outlet_id')
      .select(['sales.outlet_id', 'sales.till_id', 'outlets.site_id'])
      .where('sales.id', '=', target.sale)
      .executeTakeFirst();
    if (!sale || !ticketInScope(scope, { outletId: sale.outlet_id, tillId: sale.till_id, siteId: sale.site_id }))
      throw new NotFound('Ticket');
    return;
  }
  if ('printJob' in target) {
    const job = await db.selectFrom('print_jobs').select('printer_id').where('id', '=', target.printJob).executeTakeFirst();
    if (!job) throw new NotFound('Impression');
    // A job on another printer is "not found" too, in the job's words.
    await requireAccess(db, actor, { printer: job.printer_id }).catch(() => {
      throw new NotFound('Impression');
    });
    return;
  }
  if ('printer' in target) {
    if (isManager(actor)) {
      // A manager tied to a site: that site's printers (as `listPrinters` shows them, `printerOfSite`).
      const tied = actor.user!.siteId;
      if (tied === null) return;
      const printer = await db
        .selectFrom('printers')
        .select('printers.id')
        .where('printers.id', '=', target.printer)
        .where((eb) => printerOfSite(eb, tied))
        .executeTakeFirst();
      if (!printer) throw new NotFound('Imprimante');
      return;
    }
    const till = actor.device
      ? await db.selectFrom('tills').select('printer_id').where('id', '=', actor.device.tillId).executeTakeFirst()
      : undefined;
    if (!till || till.printer_id !== target.printer) throw new NotFound('Imprimante');
    return;
  }
  const scope = producerScope(actor);
  if (scope.producerId !== null && scope.producerId !== target.producer) throw new NotFound('Producteur');
}
