/**
 * Open orders, shared by every device of the restaurant. An order is the log of operations the waiters
 * did on it (open, add, modify, remove, void, send, fire, covers, transfer), each with its own UUIDv7:
 * applied once however many times it is sent, in one transaction with what it changes. Lines are separate
 * rows keyed by the id the device gave them, so two waiters adding to one table at once both keep their
 * lines; a change to a line carries the version the waiter saw, and a line changed since by someone else is
 * a conflict shown to them (409), never merged silently.
 */
import { businessDay } from '../../shared/time.ts';
import { producersWithoutVat } from '../accounting/consignment.ts';
import type { Kysely } from 'kysely';
import { courseRank, type Course, type OrderOp, type OrderView } from '../../shared/api/restaurant.ts';
import type { z } from 'zod';
import type { orderModeSchema } from '../../shared/api/restaurant.ts';
import { chooseModifiers, type ChosenModifier } from '../catalog/modifiers.ts';
import type { Database, Db, Trx } from '../../db/schema.ts';
import { sha256Hex } from '../auth/secrets.ts';
import { uuidv7 } from '../../shared/uuid.ts';
import { Conflict, Forbidden, NotFound, Unprocessable } from '../errors.ts';
import { canonicalJson } from '../journal/canonical.ts';
import { recordEvent } from '../journal/events.ts';
import { checkApproval } from '../auth/approval.ts';
import { tillOptions } from '../settings/settings.ts';
import { formatEuros, type Cents } from '../../shared/money.ts';
import { printTableNotice, queueKitchenTickets, type KitchenItem } from './kitchen.ts';
import { printNote } from './note.ts';
import { billOf } from './payments.ts';
import { pricesInForce } from '../catalog/prices.ts';
import { siteOfOutlet } from '../sites/sites.ts';

/**
 * A dish's price at the order's restaurant as it stands now: the site's own price where it has one (server/sites),
 * as a counter sale at the same till is held to (orders took the network's: found by an independent check).
 */
async function priceAtOrder(
  trx: Trx,
  outletId: number,
  product: { id: number; price_cents: number; vat_rate_bp: number; takeaway_vat_rate_bp: number | null },
  now: Date,
): Promise<number> {
  const prices = await pricesInForce(trx, [product], now, await siteOfOutlet(trx, outletId));
  return prices.get(product.id)?.[0]?.priceCents ?? product.price_cents;
}

type OrderMode = z.infer<typeof orderModeSchema>;

export interface OpActor {
  userId: number;
  deviceId: number | null;
  /** The till of the device: its printer prints the note. */
  tillId?: number | null;
}

export async function getOrder(db: Db, id: string): Promise<OrderView> {
  const o = await db
    .selectFrom('orders')
    .innerJoin('users', 'users.id', 'orders.waiter_id')
    .leftJoin('dining_tables', 'dining_tables.id', 'orders.table_id')
    .selectAll('orders')
    .select(['users.display_name as waiter_name', 'dining_tables.name as table_name'])
    .where('orders.id', '=', id)
    .executeTakeFirst();
  if (!o) throw new NotFound('Commande');
  // A line's cancelled part (same position) comes right after it: ids are in time order.
  const lines = await db.selectFrom('order_lines').selectAll().where('order_id', '=', id).orderBy('position').orderBy('id').execute();
  // What was paid of each line: pieces (by item), and cents (a share of the bill).
  const paid = new Map<string, number>();
  const paidCentsOf = new Map<string, number>();
  if (lines.length)
    for (const p of await db
      .selectFrom('order_payments')
      .select(['line_id', (eb) => eb.fn.sum<number>('quantity').as('quantity'), (eb) => eb.fn.sum<number>('amount_cents').as('cents')])
      .where(
        'line_id',
        'in',
        lines.map((l) => l.id),
      )
      .groupBy('line_id')
      .execute()) {
      paid.set(p.line_id, Number(p.quantity));
      paidCentsOf.set(p.line_id, Number(p.cents ?? 0));
    }
  const note = await db
    .selectFrom('order_notes')
    .select(['number', 'copy', 'total_cents'])
    .where('order_id', '=', id)
    .orderBy('id', 'desc')
    .limit(1)
    .executeTakeFirst();
  const view = lines.map((l) => ({
    id: l.id,
    position: l.position,
    productId: l.product_id,
    name: l.name,
    quantity: l.quantity,
    unitPriceCents: l.unit_price_cents,
    totalCents: l.quantity * l.unit_price_cents,
    vatRateBp: l.vat_rate_bp,
    modifiers: (JSON.parse(l.modifiers) as ChosenModifier[]).map((m) => ({ name: m.name, priceCents: m.priceCents })),
    seat: l.seat,
    note: l.note,
    course: l.course,
    stationId: l.station_id,
    status: l.status,
    version: l.version,
    addedBy: l.added_by,
    addedAt: l.added_at,
    sentAt: l.sent_at,
    firedAt: l.fired_at,
    voidedAt: l.voided_at,
    voidReason: l.void_reason,
    paidQuantity: paid.get(l.id) ?? 0,
  }));
  return {
    id: o.id,
    outletId: o.outlet_id,
    tableId: o.table_id,
    tableName: o.table_name,
    covers: o.covers,
    mode: o.mode,
    status: o.status,
    waiterId: o.waiter_id,
    waiterName: o.waiter_name,
    openedAt: o.opened_at,
    version: o.version,
    totalCents: view.filter((l) => l.status !== 'voided').reduce((s, l) => s + l.totalCents, 0),
    paidCents: view
      .filter((l) => l.status !== 'voided')
      .reduce((s, l) => s + l.paidQuantity * l.unitPriceCents + (paidCentsOf.get(l.id) ?? 0), 0),
    lines: view,
    lastNote: note ? { number: note.number, copy: note.copy, totalCents: note.total_cents } : null,
  };
}

export async function listOpenOrders(db: Db, outletId: number): Promise<OrderView[]> {
  const ids = await db
    .selectFrom('orders')
    .select('id')
    .where('outlet_id', '=', outletId)
    .where('status', '=', 'open')
    .orderBy('opened_at')
    .execute();
  return Promise.all(ids.map((r) => getOrder(db, r.id)));
}

/** What an operation did: the order as it now stands, and the kitchen tickets it queued (to kick the printers). */
export interface Applied {
  applied: boolean;
  order: OrderView;
  kitchenTickets: number;
  /** Other orders the operation changed (lines moved to, an order merged in): every device must see them too. */
  others: OrderView[];
}

/**
 * Applies one operation to an order (for `open`, the order `orderId` is created). Sent again with the same
 * body, it is answered with the order as it stands and changes nothing; the same id with another body is a
 * conflict.
 */
/** How far an operation's own time may be from the server's: a phone's clock, or its offline queue. */
const OP_CLOCK_SKEW_MS = 10 * 60_000;
const OP_MAX_AGE_MS = 7 * 24 * 3_600_000;

/**
 * An operation dated in the future, or more than a week ago, is a wrong clock, not a table being served: refused
 * naming `at` (1970 and 2099 were stored: found by an independent check). A replay is answered before this.
 */
function refuseOddOpTime(at: string, now: Date): void {
  const t = Date.parse(at);
  if (t > now.getTime() + OP_CLOCK_SKEW_MS)
    throw new Unprocessable('L’heure de cette opération est dans le futur : vérifiez l’horloge du téléphone.', [
      { field: 'at', reason: 'dans le futur' },
    ]);
  if (t < now.getTime() - OP_MAX_AGE_MS)
    throw new Unprocessable('Cette opération date de plus d’une semaine : vérifiez l’horloge du téléphone.', [
      { field: 'at', reason: 'plus de 7 jours avant l’heure du serveur' },
    ]);
}

export async function applyOp(db: Kysely<Database>, orderId: string, op: OrderOp, actor: OpActor, now: Date): Promise<Applied> {
  const bodyHash = sha256Hex(canonicalJson({ orderId, op }));
  return db.transaction().execute(async (trx) => {
    const seen = await trx.selectFrom('order_ops').select(['order_id', 'body_hash']).where('id', '=', op.id).executeTakeFirst();
    if (seen) {
      if (seen.body_hash !== bodyHash || seen.order_id !== orderId)
        throw new Conflict('Cette opération (même identifiant) a déjà été reçue avec un autre contenu.', 'id');
      return { applied: false, order: await getOrder(trx, orderId), kitchenTickets: 0, others: [] };
    }
    refuseOddOpTime(op.at, now);
    const order = op.kind === 'open' ? await openOrder(trx, orderId, op, actor, now) : await openOrderOf(trx, orderId);
    let kitchenTickets = 0;
    const others: string[] = [];
    switch (op.kind) {
      case 'open':
        break;
      case 'add':
        await addLine(trx, order, op, actor, now);
        break;
      case 'modify':
        await modifyLine(trx, order, op, now);
        break;
      case 'remove': {
        await lineToChange(trx, orderId, op.lineId, op.version, 'new');
        await trx.deleteFrom('order_lines').where('id', '=', op.lineId).execute();
        break;
      }
      case 'void': {
        const line = await lineToChange(trx, orderId, op.lineId, op.version, 'sent');
        // Part of a line may be cancelled (one of three beers): the rest stays sent, as it was.
        const cancelled = op.quantity ?? line.quantity;
        if (cancelled > line.quantity)
          throw new Unprocessable(`Cette ligne n’en compte que ${line.quantity} : impossible d’en annuler ${cancelled}.`, [
            { field: 'quantity', reason: `au plus ${line.quantity}` },
          ]);
        // A costly cancellation needs a manager: their approval, given on this phone, travels with the op. Judged
        // on what of this line is cancelled in all, wherever it went (its parts cancelled before name it, and it
        // keeps its id when moved): ten dishes cancelled one or two at a time went under the limit each time (found
        // by a walk), and so did one cancelled, the rest moved to another table, one more cancelled there… (found
        // by an attack).
        const { voidApprovalCents } = await tillOptions(trx);
        const worth = cancelled * line.unit_price_cents;
        const before = await trx
          .selectFrom('order_lines')
          .select((eb) => eb.fn.coalesce(eb.fn.sum<number>('quantity'), eb.lit(0)).as('n'))
          .where('part_of', '=', line.id)
          .where('status', '=', 'voided')
          .executeTakeFirstOrThrow();
        const cancelledInAll = (Number(before.n) + cancelled) * line.unit_price_cents;
        let approvedBy: number | null = null;
        if (voidApprovalCents > 0 && cancelledInAll > voidApprovalCents) {
          approvedBy = actor.tillId
            ? await checkApproval(trx, op.approval, actor.tillId, new Date(op.at), now, {
                purpose: 'void',
                subject: `void:${op.id}`,
                amountCents: worth,
              })
            : null;
          if (approvedBy === null)
            throw new Unprocessable(
              `Annuler plus de ${formatEuros(voidApprovalCents as Cents)} d’une ligne demande le code PIN d’un responsable.`,
              [{ field: 'approval', reason: 'accord d’un responsable requis' }],
            );
        }
        const voided = { status: 'voided' as const, voided_at: now.toISOString(), void_reason: op.reason };
        let voidedId = line.id;
        if (cancelled < line.quantity) {
          // The cancelled part becomes a line of its own (its reason, the kitchen's ANNULÉ ticket), right after it.
          voidedId = uuidv7();
          await trx
            .updateTable('order_lines')
            .set({ quantity: line.quantity - cancelled, version: line.version + 1 })
            .where('id', '=', line.id)
            .execute();
          await trx
            .insertInto('order_lines')
            .values({ ...line, ...voided, id: voidedId, quantity: cancelled, version: 1, part_of: line.id })
            .execute();
        } else
          await trx
            .updateTable('order_lines')
            .set({ ...voided, version: line.version + 1 })
            .where('id', '=', line.id)
            .execute();
        kitchenTickets += await queueKitchenTickets(trx, {
          order,
          opId: op.id,
          kind: 'void',
          reason: op.reason,
          items: [{ ...itemOf(line), lineId: voidedId, quantity: cancelled }],
          actor,
          now,
        });
        await recordEvent(trx, {
          kind: 'order.voided',
          userId: actor.userId,
          subject: `order:${orderId}`,
          data: {
            lineId: voidedId,
            ...(voidedId !== line.id ? { partOf: line.id, left: line.quantity - cancelled } : {}),
            name: line.name,
            quantity: cancelled,
            totalCents: worth,
            reason: op.reason,
            ...(approvedBy !== null ? { approvedBy } : {}),
          },
          at: now.toISOString(),
        });
        break;
      }
      case 'send':
        kitchenTickets += await sendNew(trx, order, op.id, actor, now);
        break;
      case 'fire':
        kitchenTickets += await fireCourse(trx, order, op.id, op.course, actor, now);
        break;
      case 'covers':
        await trx.updateTable('orders').set({ covers: op.covers }).where('id', '=', orderId).execute();
        break;
      case 'mode':
        await changeMode(trx, order, op.mode, actor, now);
        break;
      case 'transfer': {
        const table = await freeTable(trx, op.tableId, order.outlet_id);
        await trx.updateTable('orders').set({ table_id: table.id }).where('id', '=', orderId).execute();
        // The tickets on the pass said the old table: each station holding some is told on paper.
        await printTableNotice(trx, {
          orderIds: await withMerged(trx, orderId),
          title: 'CHANGEMENT DE TABLE',
          lines: [`${await tableLabel(trx, order.table_id)} -> ${await tableLabel(trx, table.id)}`],
          userId: actor.userId,
          now,
        });
        await recordEvent(trx, {
          kind: 'order.transferred',
          userId: actor.userId,
          subject: `order:${orderId}`,
          data: { from: order.table_id, to: table.id },
          at: now.toISOString(),
        });
        break;
      }
      case 'note':
        await printNote(trx, order, { customerName: op.customerName ?? null, tillId: actor.tillId ?? null, userId: actor.userId, now });
        break;
      case 'move': {
        if (op.toOrderId === orderId)
          throw new Unprocessable('Ces lignes sont déjà sur cette table.', [{ field: 'toOrderId', reason: 'même commande' }]);
        const target = await openOrderOf(trx, op.toOrderId);
        if (target.outlet_id !== order.outlet_id)
          throw new Unprocessable('Autre point de vente.', [{ field: 'toOrderId', reason: 'autre point de vente' }]);
        await moveLines(trx, orderId, target, op.lineIds);
        others.push(target.id);
        await printTableNotice(trx, {
          orderIds: await withMerged(trx, orderId),
          title: 'PLATS DÉPLACÉS',
          lines: [`${await tableLabel(trx, order.table_id)} -> ${await tableLabel(trx, target.table_id)}`],
          lineIds: op.lineIds,
          userId: actor.userId,
          now,
        });
        await recordEvent(trx, {
          kind: 'order.moved',
          userId: actor.userId,
          subject: `order:${orderId}`,
          data: { to: target.id, lines: op.lineIds.length },
          at: now.toISOString(),
        });
        break;
      }
      case 'close': {
        // Nothing to pay and nothing waiting to be sent: the table is freed (an order opened by mistake, or
        // whose dishes were all cancelled, kept its table taken for good: found by an independent check).
        const lines = await trx.selectFrom('order_lines').select(['status']).where('order_id', '=', orderId).execute();
        if (lines.some((l) => l.status === 'new'))
          throw new Unprocessable('Des articles ne sont pas encore envoyés : retirez-les d’abord.', [
            { field: 'kind', reason: 'articles pas encore envoyés' },
          ]);
        const { leftCents } = await billOf(trx, orderId);
        if (leftCents > 0)
          throw new Unprocessable(`Il reste ${formatEuros(leftCents as Cents)} à régler : la table se libère en encaissant.`, [
            { field: 'kind', reason: `il reste ${leftCents} centimes à régler` },
          ]);
        await trx.updateTable('orders').set({ status: 'cancelled', closed_at: now.toISOString() }).where('id', '=', orderId).execute();
        await recordEvent(trx, {
          kind: 'order.closed_empty',
          userId: actor.userId,
          subject: `order:${orderId}`,
          data: { table: order.table_id, lines: lines.length },
          at: now.toISOString(),
        });
        break;
      }
      case 'merge': {
        if (op.fromOrderId === orderId)
          throw new Unprocessable('Une table ne se fusionne pas avec elle-même.', [{ field: 'fromOrderId', reason: 'même commande' }]);
        const from = await openOrderOf(trx, op.fromOrderId);
        if (from.outlet_id !== order.outlet_id)
          throw new Unprocessable('Autre point de vente.', [{ field: 'fromOrderId', reason: 'autre point de vente' }]);
        const ids = (await trx.selectFrom('order_lines').select('id').where('order_id', '=', from.id).execute()).map((l) => l.id);
        if (ids.length) await moveLines(trx, from.id, order, ids);
        await printTableNotice(trx, {
          orderIds: await withMerged(trx, from.id),
          title: 'TABLES RÉUNIES',
          lines: [`${await tableLabel(trx, from.table_id)} -> ${await tableLabel(trx, order.table_id)}`],
          userId: actor.userId,
          now,
        });
        await trx
          .updateTable('orders')
          .set({ status: 'cancelled', closed_at: now.toISOString(), merged_into: orderId, version: from.version + 1 })
          .where('id', '=', from.id)
          .execute();
        // Tables brought into that one before come here too: merged_into always names the order still open (its
        // tickets read one step only; two merges in a row named the middle table on the kitchen's screen).
        await trx.updateTable('orders').set({ merged_into: orderId }).where('merged_into', '=', from.id).execute();
        await trx
          .updateTable('orders')
          .set({ covers: order.covers + from.covers })
          .where('id', '=', orderId)
          .execute();
        others.push(from.id);
        await recordEvent(trx, {
          kind: 'order.merged',
          userId: actor.userId,
          subject: `order:${orderId}`,
          data: { from: from.id, fromTable: from.table_id, lines: ids.length },
          at: now.toISOString(),
        });
        break;
      }
    }
    const version = order.version + 1;
    await trx.updateTable('orders').set({ version }).where('id', '=', orderId).execute();
    await trx
      .insertInto('order_ops')
      .values({
        id: op.id,
        order_id: orderId,
        seq: version,
        kind: op.kind,
        data: canonicalJson(op),
        body_hash: bodyHash,
        user_id: actor.userId,
        device_id: actor.deviceId,
        at: op.at,
        received_at: now.toISOString(),
      })
      .execute();
    return {
      applied: true,
      order: await getOrder(trx, orderId),
      kitchenTickets,
      others: await Promise.all(others.map((id) => getOrder(trx, id))),
    };
  });
}

type OrderRow = {
  id: string;
  outlet_id: number;
  table_id: number | null;
  covers: number;
  mode: OrderMode;
  waiter_id: number;
  version: number;
  status: string;
};

async function freeTable(trx: Trx, tableId: number, outletId: number) {
  const table = await trx
    .selectFrom('dining_tables')
    .innerJoin('rooms', 'rooms.id', 'dining_tables.room_id')
    .select(['dining_tables.id', 'dining_tables.name', 'dining_tables.active', 'rooms.outlet_id'])
    .where('dining_tables.id', '=', tableId)
    .executeTakeFirst();
  if (!table || table.active !== 1 || table.outlet_id !== outletId)
    throw new Unprocessable('Table inconnue.', [{ field: 'tableId', reason: 'table inconnue ou retirée' }]);
  const busy = await trx.selectFrom('orders').select('id').where('table_id', '=', tableId).where('status', '=', 'open').executeTakeFirst();
  if (busy) throw new Conflict(`La table ${table.name} est déjà ouverte (commande ${busy.id}).`, 'tableId');
  return table;
}

async function openOrder(trx: Trx, orderId: string, op: Extract<OrderOp, { kind: 'open' }>, actor: OpActor, now: Date): Promise<OrderRow> {
  const exists = await trx.selectFrom('orders').select('id').where('id', '=', orderId).executeTakeFirst();
  if (exists) throw new Conflict('Une commande porte déjà cet identifiant.', 'id');
  const outlet = await trx
    .selectFrom('dining_tables')
    .innerJoin('rooms', 'rooms.id', 'dining_tables.room_id')
    .select('rooms.outlet_id')
    .where('dining_tables.id', '=', op.tableId)
    .executeTakeFirst();
  if (!outlet) throw new Unprocessable('Table inconnue.', [{ field: 'tableId', reason: 'table inconnue ou retirée' }]);
  await freeTable(trx, op.tableId, outlet.outlet_id);
  const row = {
    id: orderId,
    outlet_id: outlet.outlet_id,
    table_id: op.tableId,
    covers: op.covers,
    mode: op.mode,
    status: 'open' as const,
    waiter_id: actor.userId,
    opened_at: now.toISOString(),
    version: 0,
  };
  await trx.insertInto('orders').values(row).execute();
  await recordEvent(trx, {
    kind: 'order.opened',
    userId: actor.userId,
    subject: `order:${orderId}`,
    data: { tableId: op.tableId, covers: op.covers, mode: op.mode },
    at: now.toISOString(),
  });
  return row;
}

async function openOrderOf(trx: Trx, orderId: string): Promise<OrderRow> {
  const order = await trx
    .selectFrom('orders')
    .select(['id', 'outlet_id', 'table_id', 'covers', 'mode', 'waiter_id', 'version', 'status'])
    .where('id', '=', orderId)
    .executeTakeFirst();
  if (!order) throw new NotFound('Commande');
  if (order.status !== 'open') throw new Conflict('Cette commande est close : plus rien ne s’y ajoute.', 'id');
  return order;
}

async function addLine(trx: Trx, order: OrderRow, op: Extract<OrderOp, { kind: 'add' }>, actor: OpActor, now: Date) {
  const taken = await trx.selectFrom('order_lines').select('id').where('id', '=', op.lineId).executeTakeFirst();
  if (taken) throw new Conflict('Une ligne porte déjà cet identifiant.', 'lineId');
  const product = await trx
    .selectFrom('products')
    // Where its category is prepared at this order's restaurant (each site routes the network's categories).
    .leftJoin('category_stations as cs', (j) =>
      j.onRef('cs.category_id', '=', 'products.category_id').on('cs.outlet_id', '=', order.outlet_id),
    )
    .select([
      'products.id',
      'products.name',
      'products.price_cents',
      'products.vat_rate_bp',
      'products.takeaway_vat_rate_bp',
      'products.producer_id',
      'products.active',
      'products.unit',
      'products.course',
      'cs.station_id',
    ])
    .where('products.id', '=', op.productId)
    .executeTakeFirst();
  if (!product || product.active !== 1)
    throw new Unprocessable('Article inconnu.', [{ field: 'productId', reason: 'article inconnu ou retiré' }]);
  if (product.unit !== 'piece')
    throw new Unprocessable('Un article au poids ne se commande pas en salle.', [{ field: 'productId', reason: 'article au poids' }]);
  // An object of the ressourcerie sells once, one piece, at its till: an order paid in shares never marks it
  // sold (a teapot was sold six times through a table: found by an independent check).
  const oneOff = await trx.selectFrom('reuse_items').select('id').where('product_id', '=', product.id).executeTakeFirst();
  if (oneOff)
    throw new Unprocessable('Un objet de la ressourcerie se vend à sa caisse, pas sur une commande.', [
      { field: 'productId', reason: 'objet unique de la ressourcerie' },
    ]);
  const sold = await trx
    .selectFrom('product_outlets')
    .select('product_id')
    .where('product_id', '=', product.id)
    .where('outlet_id', '=', order.outlet_id)
    .executeTakeFirst();
  if (!sold)
    throw new Unprocessable('Cet article n’est pas à la carte du restaurant.', [
      { field: 'productId', reason: 'pas vendu dans ce point de vente' },
    ]);
  const chosen = await chooseModifiers(trx, product.id, op.modifiers ?? []);
  const last = await trx
    .selectFrom('order_lines')
    .select((eb) => eb.fn.max('position').as('p'))
    .where('order_id', '=', order.id)
    .executeTakeFirst();
  await trx
    .insertInto('order_lines')
    .values({
      id: op.lineId,
      order_id: order.id,
      position: Number(last?.p ?? 0) + 1,
      product_id: product.id,
      name: product.name,
      quantity: op.quantity,
      // The options are part of the dish sold: their prices add to it and take its rate.
      unit_price_cents: (await priceAtOrder(trx, order.outlet_id, product, now)) + chosen.reduce((sum, m) => sum + m.priceCents, 0),
      vat_rate_bp: rateFor(
        order.mode,
        product,
        await producersWithoutVat(trx, businessDay(now, 'Europe/Paris'), product.producer_id === null ? [] : [product.producer_id]),
      ),
      modifiers: JSON.stringify(chosen),
      seat: op.seat ?? null,
      note: op.note || null,
      course: op.course ?? (product.course as Course | null),
      station_id: product.station_id,
      status: 'new',
      version: 1,
      added_by: actor.userId,
      added_at: now.toISOString(),
    })
    .execute();
}

/**
 * A product's rate for an order's mode: to take away, its take-away rate when it has one; else its rate on
 * site; none for a producer who charges no VAT when the shop sells in their name (`producersWithoutVat`).
 */
const rateFor = (
  mode: OrderMode,
  p: { vat_rate_bp: number; takeaway_vat_rate_bp: number | null; producer_id: number | null },
  noVat: ReadonlySet<number>,
) =>
  p.producer_id !== null && noVat.has(p.producer_id) ? 0 : mode === 'takeaway' ? (p.takeaway_vat_rate_bp ?? p.vat_rate_bp) : p.vat_rate_bp;

/**
 * Sur place ↔ à emporter: the order's lines not paid yet take the product's rate for the new mode (a line paid,
 * even in part, was sold at its rate and keeps it). Journalled with each line re-rated.
 */
async function changeMode(trx: Trx, order: OrderRow, mode: OrderMode, actor: OpActor, now: Date) {
  if (order.mode === mode) return;
  const lines = await trx
    .selectFrom('order_lines')
    .innerJoin('products', 'products.id', 'order_lines.product_id')
    .select([
      'order_lines.id',
      'order_lines.name',
      'order_lines.vat_rate_bp as line_rate',
      'order_lines.version',
      'products.vat_rate_bp',
      'products.takeaway_vat_rate_bp',
      'products.producer_id',
    ])
    .where('order_lines.order_id', '=', order.id)
    .where('order_lines.status', '!=', 'voided')
    .orderBy('order_lines.position')
    .execute();
  const paid = new Set(
    lines.length
      ? (
          await trx
            .selectFrom('order_payments')
            .select('line_id')
            .where(
              'line_id',
              'in',
              lines.map((l) => l.id),
            )
            .execute()
        ).map((p) => p.line_id)
      : [],
  );
  const rerated: { lineId: string; name: string; before: number; after: number }[] = [];
  const noVat = await producersWithoutVat(
    trx,
    businessDay(now, 'Europe/Paris'),
    lines.flatMap((l) => (l.producer_id === null ? [] : [l.producer_id])),
  );
  for (const l of lines) {
    const rate = rateFor(mode, l, noVat);
    if (paid.has(l.id) || rate === l.line_rate) continue;
    await trx
      .updateTable('order_lines')
      .set({ vat_rate_bp: rate, version: l.version + 1 })
      .where('id', '=', l.id)
      .execute();
    rerated.push({ lineId: l.id, name: l.name, before: l.line_rate, after: rate });
  }
  await trx.updateTable('orders').set({ mode }).where('id', '=', order.id).execute();
  await recordEvent(trx, {
    kind: 'order.mode_changed',
    userId: actor.userId,
    subject: `order:${order.id}`,
    data: { from: order.mode, to: mode, rerated, keptPaid: lines.filter((l) => paid.has(l.id)).length },
    at: now.toISOString(),
  });
}

async function lineToChange(trx: Trx, orderId: string, lineId: string, version: number, expected: 'new' | 'sent') {
  const line = await trx.selectFrom('order_lines').selectAll().where('id', '=', lineId).where('order_id', '=', orderId).executeTakeFirst();
  if (!line) throw new NotFound('Ligne');
  if (line.version !== version)
    throw new Conflict(
      'Cette ligne a été modifiée entre-temps sur un autre appareil : voyez la commande à jour avant de la changer.',
      'version',
    );
  if (line.status !== expected) {
    if (line.status === 'sent')
      throw new Conflict('Cette ligne est déjà partie en cuisine : annulez-la avec un motif, la cuisine en sera prévenue.', 'lineId');
    if (line.status === 'new') throw new Conflict('Cette ligne n’est pas encore envoyée : retirez-la simplement.', 'lineId');
    throw new Conflict('Cette ligne est déjà annulée.', 'lineId');
  }
  // What a ticket paid of it (by item or as a share of the bill) is in the till's chain: the line stays as paid.
  const paid = await trx.selectFrom('order_payments').select('sale_id').where('line_id', '=', lineId).executeTakeFirst();
  if (paid) throw new Conflict('Cette ligne est déjà (en partie) réglée : elle ne change plus.', 'lineId');
  return line;
}

async function modifyLine(trx: Trx, order: OrderRow, op: Extract<OrderOp, { kind: 'modify' }>, now: Date) {
  const orderId = order.id;
  const line = await lineToChange(trx, orderId, op.lineId, op.version, 'new');
  // Another choice of options: the line's price is the product's as it stands now, plus the new options'.
  let priced = {};
  if (op.modifiers !== undefined) {
    const chosen = await chooseModifiers(trx, line.product_id, op.modifiers);
    const product = await trx
      .selectFrom('products')
      .select(['id', 'price_cents', 'vat_rate_bp', 'takeaway_vat_rate_bp'])
      .where('id', '=', line.product_id)
      .executeTakeFirstOrThrow();
    priced = {
      modifiers: JSON.stringify(chosen),
      unit_price_cents: (await priceAtOrder(trx, order.outlet_id, product, now)) + chosen.reduce((sum, m) => sum + m.priceCents, 0),
    };
  }
  await trx
    .updateTable('order_lines')
    .set({
      ...priced,
      ...(op.quantity !== undefined ? { quantity: op.quantity } : {}),
      ...(op.seat !== undefined ? { seat: op.seat } : {}),
      ...(op.note !== undefined ? { note: op.note || null } : {}),
      ...(op.course !== undefined ? { course: op.course } : {}),
      version: line.version + 1,
    })
    .where('id', '=', line.id)
    .execute();
}

/** Lines from one open order to another, after its own; a line already (partly) paid stays where it was paid. */
/** An order and those brought into it (their tickets say its table now). */
async function withMerged(trx: Trx, orderId: string): Promise<string[]> {
  const merged = await trx.selectFrom('orders').select('id').where('merged_into', '=', orderId).execute();
  return [orderId, ...merged.map((o) => o.id)];
}

/** « Table 4 », or « À emporter » for an order with no table. */
async function tableLabel(trx: Trx, tableId: number | null): Promise<string> {
  if (tableId === null) return 'À emporter';
  const t = await trx.selectFrom('dining_tables').select('name').where('id', '=', tableId).executeTakeFirst();
  return t ? `Table ${t.name}` : 'Table ?';
}

async function moveLines(trx: Trx, fromId: string, to: OrderRow, lineIds: string[]) {
  const lines = await trx.selectFrom('order_lines').select(['id']).where('order_id', '=', fromId).where('id', 'in', lineIds).execute();
  if (lines.length !== new Set(lineIds).size)
    throw new Unprocessable('Ligne inconnue dans cette commande.', [{ field: 'lineIds', reason: 'ligne inconnue' }]);
  const paid = await trx.selectFrom('order_payments').select('line_id').where('line_id', 'in', lineIds).executeTakeFirst();
  if (paid) throw new Conflict('Une de ces lignes est déjà (en partie) réglée : elle reste sur sa table.', 'lineIds');
  const last = await trx
    .selectFrom('order_lines')
    .select((eb) => eb.fn.max('position').as('p'))
    .where('order_id', '=', to.id)
    .executeTakeFirst();
  let position = Number(last?.p ?? 0);
  for (const id of lineIds) {
    await trx
      .updateTable('order_lines')
      .set((eb) => ({ order_id: to.id, position: ++position, version: eb('version', '+', 1) }))
      .where('id', '=', id)
      .execute();
  }
  await trx
    .updateTable('orders')
    .set({ version: to.version + 1 })
    .where('id', '=', to.id)
    .execute();
}

type LineRow = {
  id: string;
  name: string;
  modifiers: string;
  quantity: number;
  seat: number | null;
  note: string | null;
  course: string | null;
  station_id: number | null;
};
const itemOf = (l: LineRow): KitchenItem => ({
  lineId: l.id,
  stationId: l.station_id,
  name: l.name,
  quantity: l.quantity,
  modifiers: (JSON.parse(l.modifiers) as ChosenModifier[]).map((m) => m.name),
  seat: l.seat,
  note: l.note,
  course: l.course as Course | null,
});

/**
 * Envoyer: every line not sent yet goes to its station, to be prepared now (fired) or, for a later course,
 * to wait until the waiter asks for it (Suite): the ticket says which.
 */
async function sendNew(trx: Trx, order: OrderRow, opId: string, actor: OpActor, now: Date): Promise<number> {
  const lines = await trx.selectFrom('order_lines').selectAll().where('order_id', '=', order.id).orderBy('position').execute();
  const fresh = lines.filter((l) => l.status === 'new');
  if (!fresh.length) throw new Unprocessable('Rien de nouveau à envoyer.', [{ field: 'kind', reason: 'aucune ligne nouvelle' }]);
  const rank = (c: string | null) => (c === null ? 0 : courseRank(c as Course));
  // Drinks (and lines with no course) are prepared at once. Food: the courses already asked for are
  // prepared at once; on a table where none is yet, the earliest course of this send is, the rest waits.
  const firedFood = lines.filter((l) => l.fired_at !== null && rank(l.course) > 0).map((l) => rank(l.course));
  const freshFood = fresh.filter((l) => rank(l.course) > 0).map((l) => rank(l.course));
  const upTo = firedFood.length ? Math.max(...firedFood) : freshFood.length ? Math.min(...freshFood) : 0;
  const at = now.toISOString();
  const items: KitchenItem[] = [];
  for (const l of fresh) {
    const fire = rank(l.course) <= upTo;
    await trx
      .updateTable('order_lines')
      .set({ status: 'sent', sent_at: at, fired_at: fire ? at : null, version: l.version + 1 })
      .where('id', '=', l.id)
      .execute();
    items.push({ ...itemOf(l), waiting: !fire });
  }
  const tickets = await queueKitchenTickets(trx, { order, opId, kind: 'send', items, actor, now });
  await recordEvent(trx, {
    kind: 'order.sent',
    userId: actor.userId,
    subject: `order:${order.id}`,
    data: { lines: fresh.length, tickets },
    at,
  });
  return tickets;
}

/** Suite: the kitchen may now prepare this course's lines already sent. */
async function fireCourse(trx: Trx, order: OrderRow, opId: string, course: Course, actor: OpActor, now: Date): Promise<number> {
  const lines = await trx
    .selectFrom('order_lines')
    .selectAll()
    .where('order_id', '=', order.id)
    .where('status', '=', 'sent')
    .where('course', '=', course)
    .where('fired_at', 'is', null)
    .orderBy('position')
    .execute();
  if (!lines.length)
    throw new Unprocessable('Rien à réclamer pour ce plat.', [{ field: 'course', reason: 'aucune ligne envoyée en attente' }]);
  const at = now.toISOString();
  await trx
    .updateTable('order_lines')
    .set((eb) => ({ fired_at: at, version: eb('version', '+', 1) }))
    .where(
      'id',
      'in',
      lines.map((l) => l.id),
    )
    .execute();
  const tickets = await queueKitchenTickets(trx, { order, opId, kind: 'fire', course, items: lines.map(itemOf), actor, now });
  await recordEvent(trx, {
    kind: 'order.fired',
    userId: actor.userId,
    subject: `order:${order.id}`,
    data: { course, lines: lines.length },
    at,
  });
  return tickets;
}

/**
 * A device of this outlet: the request's till is the outlet's (managers are judged by `requireOutletActor`).
 * `hidden`: what a device of another outlet is told does not exist (an order, a table, a station of this one).
 */
export async function requireOutletDevice(db: Db, tillId: number | null, outletId: number, hidden?: string) {
  if (tillId === null) throw new Forbidden('Depuis un appareil appairé du restaurant uniquement.');
  const till = await db.selectFrom('tills').select('outlet_id').where('id', '=', tillId).executeTakeFirst();
  if (!till || till.outlet_id !== outletId) {
    if (hidden) throw new NotFound(hidden);
    throw new Forbidden('Cet appareil appartient à un autre point de vente.');
  }
}

export async function outletOfTable(db: Db, tableId: number): Promise<number | null> {
  const row = await db
    .selectFrom('dining_tables')
    .innerJoin('rooms', 'rooms.id', 'dining_tables.room_id')
    .select('rooms.outlet_id')
    .where('dining_tables.id', '=', tableId)
    .executeTakeFirst();
  return row?.outlet_id ?? null;
}

export async function outletOfOrder(db: Db, orderId: string): Promise<number | null> {
  return (await db.selectFrom('orders').select('outlet_id').where('id', '=', orderId).executeTakeFirst())?.outlet_id ?? null;
}

/** The open orders of an outlet as a Z lists them: table, order, amount still held. */
/** The orders still open, each with what it holds and what is still owed (shares or items paid already aside). */
export async function openOrdersSummary(db: Db, outletId: number) {
  const orders = await listOpenOrders(db, outletId);
  const out = [];
  for (const o of orders)
    out.push({ table: o.tableName, orderId: o.id, totalCents: o.totalCents, leftCents: (await billOf(db, o.id)).leftCents });
  return out;
}
