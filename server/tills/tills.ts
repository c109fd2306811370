import type { Kysely } from 'kysely';
import { tillOptions } from '../settings/settings.ts';
import type { z } from 'zod';
import type { refusedTicketBody, tillUpdateBody } from '../../shared/api/admin.ts';
import type { Database, OutletCode } from '../../db/schema.ts';
import { requireTill, requireUser, type Actor } from '../auth/access.ts';
import { deviceLockedUntil, lockedPeople } from '../auth/limiter.ts';
import { newPairingCode, newToken, sha256Hex } from '../auth/secrets.ts';
import { Invalid, NotFound, TooManyAttempts, Unauthorized } from '../errors.ts';
import { recordEvent } from '../journal/events.ts';
import type { Db, Trx } from '../../db/schema.ts';
import { headMissingEvent, refusedTicketEvent } from './queries.ts';
import type { tillHeadBody } from '../../shared/api/tills.ts';
import type { AppServices } from '../services.ts';
import { tillChain } from '../journal/keys.ts';
import { browserOf } from '../../shared/user-agent.ts';
import {
  firstSiteId,
  outletAt,
  requireOutletReach,
  requirePrinterAt,
  siteOfOutlet,
  siteOf,
  siteOfTill,
  siteScope,
  type SiteAsker,
} from '../sites/sites.ts';

export const PAIRING_CODE_TTL_MS = 15 * 60_000;

/** The outlets of a site, each named by its kind (`code`). */
export async function listOutlets(db: Db, siteId: number) {
  return db.selectFrom('outlets').select(['id', 'kind as code', 'name']).where('site_id', '=', siteId).orderBy('id').execute();
}

/** The tills of a site (all of them when `siteId` is null), with their paired tablets. */
export async function listTills(db: Db, at: Date, siteId: number | null = null) {
  let q = db
    .selectFrom('tills')
    .innerJoin('outlets', 'outlets.id', 'tills.outlet_id')
    .select(['tills.id', 'tills.name', 'tills.active', 'tills.training_mode', 'tills.printer_id', 'outlets.kind as outlet']);
  if (siteId !== null) q = q.where('outlets.site_id', '=', siteId);
  const tills = await q.orderBy('tills.id').execute();
  const devices = await db
    .selectFrom('devices')
    .select(['id', 'till_id', 'label', 'paired_at', 'last_seen_at', 'replaced_at'])
    .where('revoked_at', 'is', null)
    .execute();
  const now = at.toISOString();
  const deviceLocks = await db
    .selectFrom('auth_limits')
    .select(['key', 'locked_until'])
    .where('key', 'like', 'device:%')
    .where('locked_until', '>', now)
    .execute();
  const lockOf = (deviceId: number) => deviceLocks.find((l) => l.key === `device:${deviceId}`)?.locked_until ?? null;
  return tills.map((t) => ({
    id: t.id,
    name: t.name,
    outlet: t.outlet,
    active: t.active === 1,
    trainingMode: t.training_mode === 1,
    printerId: t.printer_id,
    pinLockedUntil:
      devices
        .filter((d) => d.till_id === t.id)
        .map((d) => lockOf(d.id))
        .filter((l): l is string => l !== null)
        .sort()
        .at(-1) ?? null,
    devices: devices
      .filter((d) => d.till_id === t.id)
      .map((d) => ({
        id: d.id,
        label: d.label,
        ...browserOf(d.label),
        pairedAt: d.paired_at,
        lastSeenAt: d.last_seen_at,
        replacedAt: d.replaced_at,
      })),
  }));
}

export async function createTill(db: Trx, input: { outlet: OutletCode; name: string }, userId: number, now: Date, siteId?: number) {
  const outlet = await outletAt(db, input.outlet, siteId ?? (await firstSiteId(db)));
  const { id } = await db
    .insertInto('tills')
    .values({ outlet_id: outlet.id, name: input.name, created_at: now.toISOString() })
    .returning('id')
    .executeTakeFirstOrThrow();
  await recordEvent(db, { kind: 'till.created', userId, subject: `till:${id}`, data: input, at: now.toISOString() });
  return (await listTills(db, now)).find((t) => t.id === id)!;
}

export async function updateTill(db: Trx, id: number, patch: z.infer<typeof tillUpdateBody>, userId: number, now: Date) {
  const till = await db.selectFrom('tills').selectAll().where('id', '=', id).executeTakeFirst();
  if (!till) throw new NotFound('Caisse');
  if (patch.printerId != null) {
    const printer = await db.selectFrom('printers').select(['role', 'active']).where('id', '=', patch.printerId).executeTakeFirst();
    if (!printer) throw new Invalid({ field: 'printerId', reason: 'imprimante inconnue' });
    if (printer.role !== 'receipt')
      throw new Invalid({ field: 'printerId', reason: 'une caisse imprime sur une imprimante à tickets, pas de cuisine' });
    await requirePrinterAt(db, patch.printerId, await siteOfOutlet(db, till.outlet_id));
  }
  await db
    .updateTable('tills')
    .set({
      printer_id: patch.printerId === undefined ? till.printer_id : patch.printerId,
      name: patch.name ?? till.name,
      active: patch.active === undefined ? till.active : patch.active ? 1 : 0,
      training_mode: patch.trainingMode === undefined ? till.training_mode : patch.trainingMode ? 1 : 0,
    })
    .where('id', '=', id)
    .execute();
  const before = { name: till.name, printerId: till.printer_id, active: till.active === 1, trainingMode: till.training_mode === 1 };
  const after = {
    name: patch.name ?? till.name,
    printerId: patch.printerId === undefined ? till.printer_id : patch.printerId,
    active: patch.active === undefined ? before.active : patch.active,
    trainingMode: patch.trainingMode === undefined ? before.trainingMode : patch.trainingMode,
  };
  await recordEvent(db, { kind: 'till.updated', userId, subject: `till:${id}`, data: { ...patch, before, after }, at: now.toISOString() });
  // Switching a till off or on, and its training mode, are kinds of their own in the log (the JET).
  if (before.active !== after.active)
    await recordEvent(db, {
      kind: after.active ? 'till.reactivated' : 'till.deactivated',
      userId,
      subject: `till:${id}`,
      at: now.toISOString(),
    });
  if (before.trainingMode !== after.trainingMode)
    await recordEvent(db, {
      kind: after.trainingMode ? 'till.training_on' : 'till.training_off',
      userId,
      subject: `till:${id}`,
      at: now.toISOString(),
    });
  return (await listTills(db, now)).find((t) => t.id === id)!;
}

/** A short-lived code a manager reads to the tablet; only its hash is stored. */
export async function issuePairingCode(db: Trx, tillId: number, userId: number, now: Date, ttlMs = PAIRING_CODE_TTL_MS) {
  const till = await db.selectFrom('tills').select(['id', 'active']).where('id', '=', tillId).executeTakeFirst();
  if (!till) throw new NotFound('Caisse');
  if (till.active !== 1) throw new Invalid({ field: 'id', reason: 'caisse désactivée' });
  const code = newPairingCode();
  const expiresAt = new Date(now.getTime() + ttlMs).toISOString();
  await db
    .insertInto('pairing_codes')
    .values({ code_hash: sha256Hex(code), till_id: tillId, created_by: userId, created_at: now.toISOString(), expires_at: expiresAt })
    .execute();
  await recordEvent(db, { kind: 'till.pairing_code', userId, subject: `till:${tillId}`, data: { expiresAt }, at: now.toISOString() });
  return { code, expiresAt };
}

/**
 * Turns a pairing code into a long-lived device token (returned once, stored as a hash).
 *
 * A till has one tablet at a time: the tablet paired last holds the till, and the ones before it are marked
 * replaced. A replaced tablet still delivers the tickets it had numbered and queued (offline, say): they
 * are money taken and are recorded, renumbered after the new tablet's if their numbers were used (see
 * `commitTicket`). It then stops selling and says so. A tablet that is lost is revoked instead.
 */
export async function pairDevice(db: Trx, code: string, label: string | null, now: Date) {
  const row = await db
    .selectFrom('pairing_codes')
    .selectAll()
    .where('code_hash', '=', sha256Hex(code))
    .where('used_at', 'is', null)
    .where('expires_at', '>', now.toISOString())
    .executeTakeFirst();
  if (!row) throw new Invalid({ field: 'code', reason: 'code d’appairage inconnu, expiré ou déjà utilisé' });
  await db.updateTable('pairing_codes').set({ used_at: now.toISOString() }).where('code_hash', '=', row.code_hash).execute();
  const token = newToken();
  const { id } = await db
    .insertInto('devices')
    .values({ till_id: row.till_id, token_hash: sha256Hex(token), label, paired_at: now.toISOString(), paired_by: row.created_by })
    .returning('id')
    .executeTakeFirstOrThrow();
  await recordEvent(db, {
    kind: 'till.paired',
    userId: row.created_by,
    subject: `till:${row.till_id}`,
    data: { deviceId: id, label },
    at: now.toISOString(),
  });
  const replaced = await db
    .updateTable('devices')
    .set({ replaced_at: now.toISOString() })
    .where('till_id', '=', row.till_id)
    .where('id', '!=', id)
    .where('revoked_at', 'is', null)
    .where('replaced_at', 'is', null)
    .returning('id')
    .execute();
  for (const r of replaced) {
    await recordEvent(db, {
      kind: 'till.device_replaced',
      userId: row.created_by,
      subject: `till:${row.till_id}`,
      data: { deviceId: r.id, by: id },
      at: now.toISOString(),
    });
  }
  return { token, deviceId: id, tillId: row.till_id, replacedDeviceIds: replaced.map((r) => r.id) };
}

export async function revokeDevice(db: Trx, deviceId: number, userId: number, now: Date) {
  const device = await db.selectFrom('devices').select(['id', 'till_id', 'revoked_at']).where('id', '=', deviceId).executeTakeFirst();
  if (!device) throw new NotFound('Tablette');
  if (device.revoked_at === null) {
    await db.updateTable('devices').set({ revoked_at: now.toISOString() }).where('id', '=', deviceId).execute();
    await db.deleteFrom('sessions').where('device_id', '=', deviceId).execute();
    await recordEvent(db, {
      kind: 'till.device_revoked',
      userId,
      subject: `till:${device.till_id}`,
      data: { deviceId },
      at: now.toISOString(),
    });
  }
}

/** What the lock screen of a paired till shows: its name, outlet, mode, and the staff who may log in there. */
export async function tillForDevice(db: Db, tillId: number, deviceId: number, now: Date) {
  const till = await db
    .selectFrom('tills')
    .innerJoin('outlets', 'outlets.id', 'tills.outlet_id')
    .select([
      'tills.id',
      'tills.name',
      'tills.training_mode',
      'tills.printer_id',
      'outlets.id as outlet_id',
      'outlets.kind as outlet',
      'outlets.name as outlet_name',
    ])
    .where('tills.id', '=', tillId)
    .executeTakeFirstOrThrow();
  // Its last-seen time is kept by every authenticated request (`resolveDevice`), at most once a minute.
  const device = await db.selectFrom('devices').select('replaced_at').where('id', '=', deviceId).executeTakeFirst();
  const staff = await db
    .selectFrom('users')
    .select(['id', 'display_name', 'role'])
    .where('active', '=', 1)
    .where('pin_hash', 'is not', null)
    .where('role', 'in', ['cashier', 'waiter', 'manager', 'admin'])
    .where((eb) => eb.or([eb('outlet_id', 'is', null), eb('outlet_id', '=', till.outlet_id)]))
    .where((eb) =>
      eb.or([eb('site_id', 'is', null), eb('site_id', '=', eb.selectFrom('outlets').select('site_id').where('id', '=', till.outlet_id))]),
    )
    .orderBy('display_name')
    .execute();
  const locks = await lockedPeople(db, now);
  // The till numbers its tickets itself (it must, offline): it carries on from the last one stored here.
  const last = await db
    .selectFrom('sales')
    .select((eb) => eb.fn.max('number').as('n'))
    .where('till_id', '=', tillId)
    .where('training', '=', till.training_mode)
    .executeTakeFirst();
  return {
    id: till.id,
    deviceId,
    /** Another tablet holds this till now: this one only delivers what it had queued. */
    replaced: !!device?.replaced_at,
    name: till.name,
    outlet: till.outlet,
    outletName: till.outlet_name,
    trainingMode: till.training_mode === 1,
    printerId: till.printer_id,
    lastNumber: Number(last?.n ?? 0),
    options: await tillOptions(db),
    pinLockedUntil: await deviceLockedUntil(db, deviceId, now),
    staff: staff.map((s) => ({ id: s.id, displayName: s.display_name, role: s.role, lockedUntil: locks.get(s.id) ?? null })),
  };
}

// ——— What the routes call: each opens its own transaction ———

export async function addTill(db: Kysely<Database>, actor: SiteAsker, input: { outlet: OutletCode; name: string }, now: Date) {
  const userId = requireUser(actor).id;
  const siteId = await siteOf(actor);
  return db.transaction().execute((trx) => createTill(trx, input, userId, now, siteId));
}

/** A manager tied to a site reaches its tills only. */
export async function requireTillReach(ctx: SiteAsker, tillId: number): Promise<void> {
  const till = await ctx.db.selectFrom('tills').select('outlet_id').where('id', '=', tillId).executeTakeFirst();
  if (!till) throw new NotFound('Caisse');
  await requireOutletReach(ctx, till.outlet_id, 'Caisse');
}

export async function changeTill(db: Kysely<Database>, actor: SiteAsker, id: number, patch: z.infer<typeof tillUpdateBody>, now: Date) {
  const userId = requireUser(actor).id;
  await requireTillReach(actor, id);
  return db.transaction().execute((trx) => updateTill(trx, id, patch, userId, now));
}

export async function givePairingCode(db: Kysely<Database>, actor: SiteAsker, tillId: number, now: Date, ttlMs = PAIRING_CODE_TTL_MS) {
  const userId = requireUser(actor).id;
  await requireTillReach(actor, tillId);
  return db.transaction().execute((trx) => issuePairingCode(trx, tillId, userId, now, ttlMs));
}

export async function pairTablet(db: Kysely<Database>, code: string, label: string | null, now: Date) {
  return db.transaction().execute((trx) => pairDevice(trx, code, label, now));
}

export async function revokeTablet(db: Kysely<Database>, actor: Actor, deviceId: number, now: Date) {
  const userId = requireUser(actor).id;
  // A manager tied to a site unpairs that site's tablets only: another's is not found.
  const tied = siteScope(actor);
  if (tied !== null) {
    const device = await db.selectFrom('devices').select('till_id').where('id', '=', deviceId).executeTakeFirst();
    if (!device || (await siteOfTill(db, device.till_id)) !== tied) throw new NotFound('Tablette');
  }
  await db.transaction().execute((trx) => revokeDevice(trx, deviceId, userId, now));
}

/** The till the tablet asking is paired with (a request without the device cookie is not a tablet). */
export async function currentTill(db: Db, actor: Actor, now: Date) {
  if (!actor.device) throw new Unauthorized('Tablette non appairée.');
  return tillForDevice(db, actor.device.tillId, actor.device.id, now);
}

/** How many refused tickets a till may hand over to the log in 24 hours. */
export const REFUSED_REPORTS_PER_DAY = 200;

/**
 * A ticket the server refused to a till's outbox, handed over whole to the chained event log for a manager
 * (without a refund's manager PIN, whatever the tablet sent); once per id and kind: a second report gives
 * back the first one's event.
 */
export async function reportRefusedTicket(db: Kysely<Database>, actor: Actor, report: z.output<typeof refusedTicketBody>, now: Date) {
  const subject = `till:${requireTill(actor).tillId}`;
  return db.transaction().execute(async (trx) => {
    const known = await refusedTicketEvent(trx, subject, report.id, report.kind);
    if (known) return { created: false, eventId: known.id };
    // The log is append-only, each report up to 64 KB: a till may hand over so many a day, no more (a tablet
    // gone wrong, or a forged one, would fill the shop's disk with what nobody can ever delete).
    const since = new Date(now.getTime() - 24 * 3_600_000).toISOString();
    const today = await trx
      .selectFrom('events')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('kind', '=', 'till.ticket_refused')
      .where('subject', '=', subject)
      .where('at', '>=', since)
      .executeTakeFirstOrThrow();
    if (Number(today.n) >= REFUSED_REPORTS_PER_DAY)
      throw new TooManyAttempts(
        `Cette caisse a déjà confié ${REFUSED_REPORTS_PER_DAY} tickets refusés au journal en 24 heures : la tablette les garde ; appelez un responsable.`,
        3600,
      );
    const ticket =
      report.body && typeof report.body === 'object' && !Array.isArray(report.body)
        ? Object.fromEntries(Object.entries(report.body).filter(([k]) => k !== 'approvalPin'))
        : report.body;
    // Which of the till's two numberings the ticket took (verify accounts for its number on that chain).
    const till = await trx.selectFrom('tills').select('training_mode').where('id', '=', requireTill(actor).tillId).executeTakeFirst();
    const eventId = await recordEvent(trx, {
      kind: 'till.ticket_refused',
      userId: requireUser(actor).id,
      subject,
      data: { ...report, body: ticket, training: till?.training_mode === 1 },
      at: now.toISOString(),
    });
    return { created: true, eventId };
  });
}

/**
 * A tablet's last acknowledged ticket against the server's journal (issue 20, item 2). The tablet keeps what
 * the server answered; a server that no longer holds that ticket, or holds another hash at its number, lost
 * the chain's tail (deleted, or an older copy restored): an alert event, which `verify` names. Reported again
 * and again by the same tablet, the alert is recorded once per number and hash.
 */
export async function reportTillHead(
  db: Kysely<Database>,
  actor: Actor,
  head: z.output<typeof tillHeadBody>,
  services: Pick<AppServices, 'now' | 'writes' | 'fiscal'>,
): Promise<{ known: boolean; lastNumber?: number }> {
  const tillId = requireTill(actor).tillId;
  const chain = tillChain(tillId, head.training);
  const stored = await db
    .selectFrom('sales')
    .select(['hash', 'chain_seq'])
    .where('till_id', '=', tillId)
    .where('training', '=', head.training ? 1 : 0)
    .where('number', '=', head.number)
    .executeTakeFirst();
  if (stored?.hash === head.hash) {
    // A till that synced: its chain's head signed now.
    await services.fiscal?.flush({ chains: [chain] });
    return { known: true };
  }
  const subject = `till:${tillId}`;
  // Where the server's chain ends: the tablet sends again what it kept beyond (a restored backup lacks them).
  const end = await db
    .selectFrom('sales')
    .select('number')
    .where('till_id', '=', tillId)
    .where('training', '=', head.training ? 1 : 0)
    .orderBy('number', 'desc')
    .limit(1)
    .executeTakeFirst();
  await services.writes.run(async (trx) => {
    if (await headMissingEvent(trx, subject, head.number, head.hash)) return;
    const last = await trx
      .selectFrom('sales')
      .select(['number', 'hash'])
      .where('till_id', '=', tillId)
      .where('training', '=', head.training ? 1 : 0)
      .orderBy('chain_seq', 'desc')
      .limit(1)
      .executeTakeFirst();
    await recordEvent(trx, {
      kind: 'journal.head_missing',
      userId: null,
      subject,
      data: {
        chain,
        training: head.training,
        number: head.number,
        hash: head.hash,
        server: stored ? { number: head.number, hash: stored.hash } : last ? { lastNumber: last.number, lastHash: last.hash } : null,
        deviceId: requireTill(actor).id,
      },
      at: services.now().toISOString(),
    });
  });
  return { known: false, lastNumber: end?.number ?? 0 };
}
