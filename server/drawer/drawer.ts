/**
 * The cash drawer's own movements: the float counted at the start of a business day, cash put in and taken
 * out during it. Each is immutable (a mistake is corrected by an opposite movement), recorded with a chained
 * event, and carried by the day's Z, whose expected cash is float + cash sales − change + cash in − cash out.
 */
import type { Kysely } from 'kysely';
import type { z } from 'zod';
import type { cashMovementBody, CashMovementView } from '../../shared/api/drawer.ts';
import { businessDay, frDay } from '../../shared/time.ts';
import type { Database, Db, OutletCode } from '../../db/schema.ts';
import { checkApproval } from '../auth/approval.ts';
import { sha256Hex } from '../auth/secrets.ts';
import { Conflict, Forbidden, Invalid, Unprocessable } from '../errors.ts';
import { canonicalJson } from '../journal/canonical.ts';
import { recordEvent, type EventKind } from '../journal/events.ts';
import { firstOpenDay, MAX_TICKET_AGE_MS } from '../sales/record.ts';
import { tillOptions } from '../settings/settings.ts';
import { missedZ } from '../closing/missed-z.ts';
import { firstSiteId, outletAt, siteOfOutlet } from '../sites/sites.ts';
import { dayFigures } from '../closing/figures.ts';
import { formatEuros, type Cents } from '../../shared/money.ts';

type Body = z.output<typeof cashMovementBody>;

export interface DrawerActor {
  user: { id: number; role: string };
  /** The till of the tablet it came from; null from the back office. */
  tillId: number | null;
  /** From the back office: the site the manager works at (server/sites); the first site when not said. */
  siteId?: number | null;
  /** A manager tied to a site (server/sites siteScope): another site's tills are not found to them. */
  reach?: number | null;
}

const EVENT: Record<'float' | 'in' | 'out', EventKind> = { float: 'drawer.float_counted', in: 'drawer.cash_in', out: 'drawer.cash_out' };
const isManager = (role: string) => role === 'manager' || role === 'admin';

/** Records one movement; the same id again answers the first one (an outbox replay), with another body a 409. */
export async function recordCashMovement(
  db: Kysely<Database>,
  body: Body,
  actor: DrawerActor,
  now: Date,
  timeZone: string,
): Promise<{ created: boolean; movement: CashMovementView }> {
  const bodyHash = sha256Hex(canonicalJson(body));
  return db.transaction().execute(async (trx) => {
    const existing = await trx.selectFrom('cash_movements').select(['id', 'body_hash']).where('id', '=', body.id).executeTakeFirst();
    if (existing) {
      if (existing.body_hash !== bodyHash) throw new Conflict('Ce mouvement de caisse a déjà été reçu avec un autre contenu.', 'id');
      return { created: false, movement: (await movementsWhere(trx, { id: body.id }))[0]! };
    }
    // Where: the tablet's own till, or what the back office named (a till, or the outlet's drawer as a whole).
    let tillId: number | null = actor.tillId;
    let outletId: number;
    if (tillId !== null) {
      if (body.tillId !== undefined && body.tillId !== tillId)
        throw new Invalid({ field: 'tillId', reason: 'une tablette ne compte que le tiroir de sa propre caisse' });
      outletId = (await trx.selectFrom('tills').select('outlet_id').where('id', '=', tillId).executeTakeFirstOrThrow()).outlet_id;
    } else {
      if (!isManager(actor.user.role)) throw new Forbidden('Seul un gérant compte un tiroir depuis le back-office.');
      if (body.tillId !== undefined) {
        const till = await trx.selectFrom('tills').select(['id', 'outlet_id']).where('id', '=', body.tillId).executeTakeFirst();
        if (!till) throw new Invalid({ field: 'tillId', reason: 'caisse inconnue' });
        // Found by a security probe: a manager tied to Albi put 1 234,56 € into a Castres till's drawer.
        if ((actor.reach ?? null) !== null && (await siteOfOutlet(trx, till.outlet_id)) !== actor.reach)
          throw new Invalid({ field: 'tillId', reason: 'caisse inconnue' });
        tillId = till.id;
        outletId = till.outlet_id;
      } else {
        const outlet = await outletAt(trx, (body.outlet ?? 'shop') as OutletCode, actor.siteId ?? (await firstSiteId(trx)));
        outletId = outlet.id;
      }
    }
    if (body.producerId !== undefined) {
      const producer = await trx.selectFrom('producers').select('id').where('id', '=', body.producerId).executeTakeFirst();
      if (!producer) throw new Invalid({ field: 'producerId', reason: 'producteur inconnu' });
    }
    const at = body.createdAt ? new Date(body.createdAt) : now;
    if (at.getTime() > now.getTime() + 5 * 60_000) throw new Invalid({ field: 'createdAt', reason: 'date dans le futur' });
    // Nor from long ago, as a ticket (sales/record.ts): a movement dated 2020 was taken, and booked today.
    if (at.getTime() < now.getTime() - MAX_TICKET_AGE_MS)
      throw new Invalid({ field: 'createdAt', reason: 'plus de trois ans avant l’heure du serveur : vérifiez l’horloge de la tablette' });
    // A closed day takes no more movements, as it takes no more tickets: they go to the next open day.
    const day = await firstOpenDay(trx, outletId, businessDay(at, timeZone));
    // Taking cash out above the limit, or paying a producer, is a manager's act: theirs, or their PIN's approval.
    let approvedBy: number | null = null;
    if (body.kind === 'out' && !isManager(actor.user.role)) {
      const { cashOutApprovalCents: limit } = await tillOptions(trx);
      // The limit holds for the till's business day, not for each movement: six outs of 49,99 € took 299,94 €
      // without a manager (found by a security probe). What counts is the day's cash out of this drawer that
      // no manager vouched for: a manager's own movements and the ones approved by a manager's PIN leave the
      // allowance whole (someone answerable saw them); cash put in gives nothing back (an « in » moves no real
      // cash the server can see). Read inside the transaction: transactions are serialized on both engines
      // (db/engine.ts), so two outs sent at once cannot both fit in the same allowance.
      // Counted since the outlet's last day closed, not on the movement's day only: a movement dated back to each
      // day not closed yet found a fresh allowance on each (found by an attack). With a Z every evening, that is
      // the day's.
      const since = await firstOpenDay(trx, outletId, NEVER_CLOSED);
      const taken = limit > 0 && body.reason !== 'producer_payment' ? await unapprovedCashOut(trx, outletId, tillId, since) : 0;
      const left = Math.max(0, limit - taken);
      const needs = body.reason === 'producer_payment' || (limit > 0 && body.amountCents > left);
      if (needs) {
        approvedBy =
          tillId !== null && actor.tillId !== null
            ? await checkApproval(trx, body.approval, tillId, at, now, {
                purpose: 'drawer',
                subject: `drawer:${body.id}`,
                amountCents: body.amountCents,
              })
            : null;
        if (approvedBy === null) {
          const eur = (c: number) => formatEuros(c as Cents);
          if (body.reason === 'producer_payment' || taken === 0)
            throw new Unprocessable(
              body.reason === 'producer_payment'
                ? 'Payer un producteur en espèces demande le code d’un gérant.'
                : `Une sortie de plus de ${(limit / 100).toFixed(2).replace('.', ',')} € demande le code d’un gérant.`,
              [{ field: 'approval', reason: 'accord d’un gérant requis' }],
            );
          throw new Unprocessable(
            `Les sorties d’espèces sans accord d’un gérant sont limitées à ${eur(limit)} par caisse entre deux clôtures (Z) : ${eur(taken)} déjà sortis ${since === NEVER_CLOSED ? 'depuis l’ouverture' : `depuis le ${frDay(since)}`}, il reste ${eur(left)}. Au-delà, le code d’un gérant.`,
            [
              { field: 'approval', reason: 'accord d’un gérant requis' },
              {
                field: 'amountCents',
                reason: `il reste ${eur(left)} à sortir sans accord d’un gérant avant la prochaine clôture (déjà sortis : ${eur(taken)})`,
              },
            ],
          );
        }
      }
    }
    // From the back office, cash taken out cannot be more than the drawer should hold: it left −50,00 €
    // expected on a day with no float and no sale (found by a walk). A tablet's movement is not refused here:
    // its own tickets may still be on their way, and what it queued offline must not come back refused.
    if (body.kind === 'out' && actor.tillId === null) {
      const expected = (await drawerDays(trx, outletId, { from: day, to: day }))(
        day,
        ticketCash(await dayFigures(trx, outletId, { from: day, to: day })),
      ).expectedCents;
      if (body.amountCents > expected) {
        const eur = (c: number) => formatEuros(c as Cents);
        throw new Unprocessable(
          `Le tiroir ne doit contenir que ${eur(expected)} le ${frDay(day)} : une sortie de ${eur(body.amountCents)} le mettrait à ${eur(expected - body.amountCents)}. Comptez d’abord le fond de caisse, ou corrigez par une entrée.`,
          [{ field: 'amountCents', reason: `au plus ${eur(Math.max(0, expected))} (attendu dans le tiroir)` }],
        );
      }
    }
    if (body.kind === 'float') {
      let taken = trx
        .selectFrom('cash_movements')
        .select('id')
        .where('outlet_id', '=', outletId)
        .where('business_day', '=', day)
        .where('kind', '=', 'float');
      taken = tillId === null ? taken.where('till_id', 'is', null) : taken.where('till_id', '=', tillId);
      if (await taken.executeTakeFirst())
        throw new Conflict(
          `Le fond de caisse du ${day} est déjà compté : corrigez-le par une entrée ou une sortie d’espèces (motif « correction »).`,
          'kind',
        );
    }
    await trx
      .insertInto('cash_movements')
      .values({
        id: body.id,
        outlet_id: outletId,
        till_id: tillId,
        business_day: day,
        kind: body.kind,
        reason: body.reason,
        amount_cents: body.amountCents,
        note: body.note ?? null,
        producer_id: body.producerId ?? null,
        denominations: body.denominations ? canonicalJson(body.denominations) : null,
        user_id: actor.user.id,
        approved_by: approvedBy,
        created_at: at.toISOString(),
        body_hash: bodyHash,
      })
      .execute();
    await recordEvent(trx, {
      kind: EVENT[body.kind],
      userId: actor.user.id,
      subject: `cash:${body.id}`,
      data: {
        outletId,
        tillId,
        businessDay: day,
        reason: body.reason,
        amountCents: body.amountCents,
        ...(body.note ? { note: body.note } : {}),
        ...(body.producerId !== undefined ? { producerId: body.producerId } : {}),
        ...(approvedBy !== null ? { approvedBy } : {}),
      },
      at: now.toISOString(),
    });
    return { created: true, movement: (await movementsWhere(trx, { id: body.id }))[0]! };
  });
}

/**
 * What a drawer gave out since a business day (the first one not closed) without a manager: its outs neither approved by a manager's PIN nor
 * made by a manager (a till's own drawer; a back-office movement of the outlet as a whole when `tillId` is null).
 */
/** Before any business day: the first day not closed of an outlet never closed. */
const NEVER_CLOSED = '0000-01-01';

async function unapprovedCashOut(db: Db, outletId: number, tillId: number | null, since: string): Promise<number> {
  let q = db
    .selectFrom('cash_movements as m')
    .innerJoin('users as u', 'u.id', 'm.user_id')
    .select((eb) => eb.fn.sum<number | string | null>('m.amount_cents').as('cents'))
    .where('m.outlet_id', '=', outletId)
    .where('m.business_day', '>=', since)
    .where('m.kind', '=', 'out')
    .where('m.approved_by', 'is', null)
    .where('u.role', 'not in', ['manager', 'admin']);
  q = tillId === null ? q.where('m.till_id', 'is', null) : q.where('m.till_id', '=', tillId);
  const row = await q.executeTakeFirst();
  return Number(row?.cents ?? 0);
}

async function movementsWhere(db: Db, where: { id: string } | { outletId: number; from: string; to: string }): Promise<CashMovementView[]> {
  let q = db
    .selectFrom('cash_movements as m')
    .innerJoin('users as u', 'u.id', 'm.user_id')
    .leftJoin('users as a', 'a.id', 'm.approved_by')
    .leftJoin('tills as t', 't.id', 'm.till_id')
    .leftJoin('producers as p', 'p.id', 'm.producer_id')
    .select([
      'm.id',
      'm.outlet_id',
      'm.till_id',
      't.name as till_name',
      'm.business_day',
      'm.kind',
      'm.reason',
      'm.amount_cents',
      'm.note',
      'm.producer_id',
      'p.name as producer_name',
      'm.denominations',
      'm.user_id',
      'u.display_name as by',
      'a.display_name as approved_name',
      'm.created_at',
    ]);
  q =
    'id' in where
      ? q.where('m.id', '=', where.id)
      : q.where('m.outlet_id', '=', where.outletId).where('m.business_day', '>=', where.from).where('m.business_day', '<=', where.to);
  const rows = await q.orderBy('m.created_at').orderBy('m.id').execute();
  return rows.map((r) => ({
    id: r.id,
    outletId: r.outlet_id,
    tillId: r.till_id,
    tillName: r.till_name ?? null,
    businessDay: r.business_day,
    kind: r.kind,
    reason: r.reason as CashMovementView['reason'],
    amountCents: r.amount_cents,
    note: r.note,
    producerId: r.producer_id,
    producerName: r.producer_name ?? null,
    denominations: r.denominations ? (JSON.parse(r.denominations) as Record<string, number>) : null,
    userId: r.user_id,
    by: r.by,
    approvedBy: r.approved_name ?? null,
    createdAt: r.created_at,
  }));
}

export async function listCashMovements(db: Db, outlet: OutletCode, day: string, siteId?: number): Promise<CashMovementView[]> {
  const o = await outletAt(db, outlet, siteId ?? (await firstSiteId(db)));
  return movementsWhere(db, { outletId: o.id, from: day, to: day });
}

/** A till's day: where its sales go now (today, or the next day once today's Z is taken) and its float there. */
export async function tillDay(db: Db, tillId: number, now: Date, timeZone: string) {
  const till = await db.selectFrom('tills').select('outlet_id').where('id', '=', tillId).executeTakeFirstOrThrow();
  const today = businessDay(now, timeZone);
  const salesDay = await firstOpenDay(db, till.outlet_id, today);
  const float = await db
    .selectFrom('cash_movements')
    .select((eb) => eb.fn.sum<number>('amount_cents').as('cents'))
    .where('till_id', '=', tillId)
    .where('business_day', '=', salesDay)
    .where('kind', '=', 'float')
    .executeTakeFirst();
  return {
    today,
    salesDay,
    todayClosed: salesDay !== today,
    floatCents: float?.cents === null || float?.cents === undefined ? null : Number(float.cents),
    missedZ: await missedZ(db, till.outlet_id, now, timeZone),
  };
}

/** The Z's cash section: what the drawer should hold at closing, and every movement that makes it. */
export interface DrawerFigures {
  floatCents: number;
  /** Cash taken on tickets (refunds paid in cash come off), before the change given back. */
  cashSalesCents: number;
  changeCents: number;
  cashInCents: number;
  cashOutCents: number;
  /** float + cash sales − change + cash in − cash out. */
  expectedCents: number;
  movements: {
    id: string;
    tillId: number | null;
    kind: 'float' | 'in' | 'out';
    reason: string;
    amountCents: number;
    note: string | null;
    producerId: number | null;
    userId: number;
    approvedBy: number | null;
    at: string;
  }[];
}

/**
 * The drawer figures of an outlet's days over a range, read in one query: `of(day, cash)` builds one day's
 * from its movements and the tickets' cash (as the ticket figures have it). What the Z writes, and what
 * verify recomputes.
 */
export async function drawerDays(db: Db, outletId: number, days: { from: string; to: string }) {
  const rows = await db
    .selectFrom('cash_movements')
    .selectAll()
    .where('outlet_id', '=', outletId)
    .where('business_day', '>=', days.from)
    .where('business_day', '<=', days.to)
    .orderBy('created_at')
    .orderBy('id')
    .execute();
  const byDay = new Map<string, typeof rows>();
  for (const r of rows) byDay.set(r.business_day, [...(byDay.get(r.business_day) ?? []), r]);
  return function of(day: string, cash: { cashSalesCents: number; changeCents: number }): DrawerFigures {
    const list = byDay.get(day) ?? [];
    const sum = (kind: string) => list.filter((m) => m.kind === kind).reduce((s, m) => s + m.amount_cents, 0);
    const floatCents = sum('float');
    const cashInCents = sum('in');
    const cashOutCents = sum('out');
    return {
      floatCents,
      cashSalesCents: cash.cashSalesCents,
      changeCents: cash.changeCents,
      cashInCents,
      cashOutCents,
      expectedCents: floatCents + cash.cashSalesCents - cash.changeCents + cashInCents - cashOutCents,
      movements: list.map((m) => ({
        id: m.id,
        tillId: m.till_id,
        kind: m.kind,
        reason: m.reason,
        amountCents: m.amount_cents,
        note: m.note,
        producerId: m.producer_id,
        userId: m.user_id,
        approvedBy: m.approved_by,
        at: m.created_at,
      })),
    };
  };
}

/** The cash of a day's tickets, as the drawer sees it: cash taken (refunds paid in cash come off) and change given. */
export function ticketCash(f: { byPayment: { method: string; amountCents: number }[]; changeCents: number }) {
  return {
    cashSalesCents: f.byPayment.filter((p) => p.method === 'cash').reduce((s, p) => s + p.amountCents, 0),
    changeCents: f.changeCents,
  };
}
