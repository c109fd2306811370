import type { Db } from '../../db/schema.ts';
import { sha256Hex } from '../auth/secrets.ts';
import { canonicalJson, GENESIS_HASH } from './canonical.ts';

/**
 * Sensitive actions, in the business's words. Kept as one list so the manager's event screen and the
 * fiscal archive can name every kind.
 */
export type EventKind =
  | 'floor.room_created'
  | 'floor.table_created'
  | 'floor.table_updated'
  | 'floor.station_created'
  | 'floor.category_station'
  | 'floor.station_printer'
  | 'kitchen.reprinted'
  | 'order.opened'
  | 'order.sent'
  | 'order.fired'
  | 'order.voided'
  | 'order.transferred'
  | 'order.closed'
  | 'order.closed_empty'
  | 'order.share_paid'
  | 'order.moved'
  | 'order.merged'
  | 'order.note_printed'
  | 'order.mode_changed'
  | 'auth.login'
  | 'auth.login_failed'
  | 'auth.logout'
  | 'auth.pin_login'
  | 'auth.pin_failed'
  | 'auth.pin_approval'
  | 'sale.receipt_requested'
  | 'sale.manual_price'
  | 'sale.cash_approved'
  | 'drawer.opened'
  | 'drawer.expired'
  | 'drawer.float_counted'
  | 'drawer.cash_in'
  | 'drawer.cash_out'
  | 'print.failed'
  | 'print.unconfirmed'
  | 'print.resolved'
  | 'auth.pin_locked'
  | 'auth.person_locked'
  /** A manager proposed too many PINs already taken (a way to find someone's): their PIN choices wait an hour. */
  | 'auth.pin_choice_locked'
  | 'auth.person_unlocked'
  | 'auth.locked_pin_refused'
  | 'auth.device_slowed'
  | 'auth.device_locked'
  | 'till.created'
  | 'till.pairing_code'
  | 'till.paired'
  | 'till.device_revoked'
  | 'till.updated'
  | 'till.ticket_refused'
  | 'till.ticket_renumbered'
  | 'till.device_replaced'
  | 'user.created'
  | 'user.updated'
  | 'user.password_set'
  | 'user.pin_set'
  | 'producer.created'
  | 'producer.updated'
  | 'producer.deactivated'
  | 'category.created'
  | 'category.updated'
  | 'product.created'
  | 'product.updated'
  | 'product.price_changed'
  | 'product.deactivated'
  | 'product.barcode_added'
  | 'product.barcode_removed'
  | 'product.threshold_changed'
  | 'product.modifiers_changed'
  | 'catalog.imported'
  | 'stock.deposit'
  | 'stock.return'
  | 'stock.transfer'
  | 'stock.loss'
  | 'stock.count'
  | 'settings.changed'
  | 'backup.created'
  | 'shop.created'
  | 'site.created'
  | 'site.updated'
  | 'site.price'
  | 'journal.gap'
  | 'journal.head_missing'
  | 'journal.witness_ahead'
  | 'key.created'
  | 'key.rotated'
  | 'sale.refunded'
  | 'sale.reprinted'
  | 'closing.day'
  | 'closing.month'
  | 'closing.year'
  | 'archive.created'
  | 'stock.kitchen'
  | 'recipe.changed'
  | 'producer.terms_changed'
  | 'producer.invited'
  | 'producer.invitation_used'
  | 'statement.issued'
  | 'statement.paid'
  | 'invoice.issued'
  | 'mandate.recorded'
  | 'product.model_created'
  | 'reuse.intake'
  | 'reuse.aging'
  | 'reuse.outflow'
  | 'household.created'
  | 'household.updated'
  | 'household.erased'
  | 'solidarity.funder_added'
  | 'solidarity.contribution'
  | 'mandate.revoked'
  | 'payout.created'
  | 'payout.confirmed'
  | 'payout.cancelled'
  | 'statement.exported'
  | 'accounting.exported'
  | 'system.started'
  | 'system.stopped'
  | 'system.error'
  | 'journal.verified'
  | 'backup.restored'
  | 'print.retried'
  | 'print.cancelled'
  | 'user.deactivated'
  | 'user.reactivated'
  | 'till.deactivated'
  | 'till.reactivated'
  | 'till.training_on'
  | 'till.training_off';

export interface EventInput {
  kind: EventKind;
  userId: number | null;
  subject?: string | null;
  data?: Record<string, unknown>;
  at?: string;
}

/** What an event's hash covers. `verify` recomputes it from the stored row. */
export function eventHashPayload(row: {
  id: number;
  at: string;
  user_id: number | null;
  kind: string;
  subject: string | null;
  data: string;
}) {
  return canonicalJson({ id: row.id, at: row.at, userId: row.user_id, kind: row.kind, subject: row.subject, data: JSON.parse(row.data) });
}

/**
 * Appends one event to the chained log. Call it inside the transaction of the action it records, so the
 * action and its trace commit together or not at all.
 */
export async function recordEvent(db: Db, input: EventInput): Promise<number> {
  // Alone (a server's start or stop, an error), it is its own transaction: reading the chain's end and
  // writing after it must not interleave with another writer.
  if (!db.isTransaction) return db.transaction().execute((trx) => recordEvent(trx, input));
  const last = await db.selectFrom('events').select(['id', 'hash']).orderBy('id', 'desc').limit(1).executeTakeFirst();
  const id = (last?.id ?? 0) + 1;
  const prevHash = last?.hash ?? GENESIS_HASH;
  const row = {
    id,
    at: input.at ?? new Date().toISOString(),
    user_id: input.userId,
    kind: input.kind,
    subject: input.subject ?? null,
    data: JSON.stringify(input.data ?? {}),
  };
  const hash = sha256Hex(prevHash + eventHashPayload(row));
  await db
    .insertInto('events')
    .values({ ...row, prev_hash: prevHash, hash })
    .execute();
  return id;
}

export interface EventProblem {
  eventId: number;
  fault: 'hash-mismatch' | 'broken-link' | 'missing';
  detail: string;
}

/** Re-walks the event chain. A row edited, removed or reordered breaks a hash or a link. */
export async function verifyEventChain(db: Db): Promise<{ events: number; problems: EventProblem[] }> {
  const rows = await db.selectFrom('events').selectAll().orderBy('id').execute();
  const problems: EventProblem[] = [];
  let prev = GENESIS_HASH;
  let expectedId = 1;
  for (const row of rows) {
    if (row.id !== expectedId) {
      problems.push({ eventId: expectedId, fault: 'missing', detail: `events ${expectedId}…${row.id - 1} are missing` });
    }
    if (row.prev_hash !== prev) {
      problems.push({ eventId: row.id, fault: 'broken-link', detail: 'prev_hash does not match the previous event' });
    }
    const hash = sha256Hex(row.prev_hash + eventHashPayload(row));
    if (hash !== row.hash) problems.push({ eventId: row.id, fault: 'hash-mismatch', detail: 'content changed after it was recorded' });
    prev = row.hash;
    expectedId = row.id + 1;
  }
  return { events: rows.length, problems };
}

/** The event log, newest first: by kind prefix, before an id (paging), with who did it. */
export async function listEvents(db: Db, query: { kind?: string | undefined; beforeId?: number | undefined; limit: number }) {
  let q = db
    .selectFrom('events')
    .leftJoin('users', 'users.id', 'events.user_id')
    .select(['events.id', 'events.at', 'events.kind', 'events.subject', 'events.data', 'events.user_id', 'users.display_name']);
  if (query.kind) q = q.where('events.kind', 'like', `${query.kind}%`);
  if (query.beforeId) q = q.where('events.id', '<', query.beforeId);
  const rows = await q.orderBy('events.id', 'desc').limit(query.limit).execute();
  return rows.map((r) => ({
    id: r.id,
    at: r.at,
    kind: r.kind,
    subject: r.subject,
    userId: r.user_id,
    by: r.display_name,
    data: JSON.parse(r.data) as unknown,
  }));
}
