/**
 * The kitchen screen of a station: its tickets by age (to prepare, ready, served, and back when the kitchen
 * recalls one), the count of each dish still to prepare, a reprint marked as such, and the station's
 * printer swapped for another station's while its own is down.
 */
import type { KitchenBoard, KitchenTicketView, KitchenState } from '../../shared/api/restaurant.ts';
import type { Db, Trx } from '../../db/schema.ts';
import { Conflict, Invalid, NotFound } from '../errors.ts';
import { recordEvent } from '../journal/events.ts';
import { getPrinter } from '../printing/printers.ts';
import { PrintQueue } from '../printing/queue.ts';
import { kitchenTicket } from '../printing/receipt.ts';
import { COURSE_NAMES, groupsOf, type KitchenItem } from './kitchen.ts';
import { requirePrinterAt, siteOfOutlet } from '../sites/sites.ts';

/** Tickets older than this are off the screen whatever their state (yesterday's service). */
const SHOWN_HOURS = 16;
/** A served ticket stays this long at the end of the screen, to be recalled. */
const RECALL_MINUTES = 30;

function ticketQuery(db: Db) {
  return (
    db
      .selectFrom('kitchen_tickets as k')
      .innerJoin('orders as o', 'o.id', 'k.order_id')
      // An order merged into another table's: its tickets say that table and its covers now (a walk saw the
      // old table on the kitchen screens after a merge, even after a reload).
      .leftJoin('orders as m', 'm.id', 'o.merged_into')
      .innerJoin('users as u', 'u.id', 'o.waiter_id')
      .leftJoin('dining_tables as t', (j) => j.on((eb) => eb('t.id', '=', eb.fn.coalesce('m.table_id', 'o.table_id'))))
      .leftJoin('print_jobs as j', 'j.id', 'k.print_job_id')
      // A counter sale's order: the ticket that paid it and its till name it.
      .leftJoin('sales as s', 's.id', 'o.sale_id')
      .leftJoin('tills as tl', 'tl.id', 's.till_id')
      .select([
        'k.id',
        'k.order_id',
        'k.station_id',
        'k.kind',
        'k.items',
        'k.created_at',
        'k.state',
        'k.state_at',
        'k.reprints',
        'k.state_version',
        'o.merged_into',
        (eb) => eb.fn.coalesce('m.mode', 'o.mode').as('mode'),
        (eb) => eb.fn.coalesce('m.covers', 'o.covers').as('covers'),
        'u.display_name as waiter',
        't.name as table_name',
        'j.status as print_status',
        's.number as counter_number',
        'tl.name as counter_till',
      ])
  );
}
type TicketRow = Awaited<ReturnType<ReturnType<typeof ticketQuery>['execute']>>[number];

async function views(db: Db, rows: TicketRow[]): Promise<KitchenTicketView[]> {
  const parsed = rows.map((r) => ({ r, items: JSON.parse(r.items) as KitchenItem[] }));
  // Each item's line as it is now: a cancellation's reason is the voided line's, and a line moved to another
  // table since the ticket was printed goes there (the kitchen would have served it to the first one).
  const lineIds = [...new Set(parsed.flatMap((p) => p.items.map((i) => i.lineId)))];
  const lines = new Map<
    string,
    { void_reason: string | null; order_id: string; table_name: string | null; quantity: number; status: string; fired_at: string | null }
  >();
  if (lineIds.length)
    for (const l of await db
      .selectFrom('order_lines as l')
      .innerJoin('orders as lo', 'lo.id', 'l.order_id')
      .leftJoin('dining_tables as lt', 'lt.id', 'lo.table_id')
      .select(['l.id', 'l.void_reason', 'l.order_id', 'l.quantity', 'l.status', 'l.fired_at', 'lt.name as table_name'])
      .where('l.id', 'in', lineIds)
      .execute())
      lines.set(l.id, l);
  const movedTo = (r: TicketRow, lineId: string) => {
    const line = lines.get(lineId);
    if (!line || line.order_id === (r.merged_into ?? r.order_id)) return null;
    return line.table_name ?? 'à emporter';
  };
  const cancelledOf = (lineId: string, quantity: number) => {
    const line = lines.get(lineId);
    if (!line) return 0;
    return line.status === 'voided' ? quantity : Math.max(0, quantity - line.quantity);
  };
  return parsed.map(({ r, items }) => ({
    id: r.id,
    orderId: r.merged_into ?? r.order_id,
    stationId: r.station_id,
    kind: r.kind,
    counter: r.counter_number !== null ? { till: r.counter_till ?? '', number: r.counter_number } : null,
    table: r.counter_number !== null ? `Comptoir n° ${r.counter_number}` : (r.table_name ?? 'à emporter'),
    takeaway: r.mode === 'takeaway',
    covers: r.covers,
    waiter: r.waiter,
    createdAt: r.created_at,
    state: r.state,
    stateAt: r.state_at,
    version: r.state_version,
    reprints: r.reprints,
    course: r.kind === 'fire' ? (items.find((i) => i.course)?.course ?? null) : null,
    // A table's cancelled line says why; a counter sale's refund (no order line) kept its reason on the item.
    reason: r.kind === 'void' ? (lines.get(items[0]?.lineId ?? '')?.void_reason ?? items[0]?.reason ?? null) : null,
    printStatus: r.print_status,
    items: items.map((i) => ({
      lineId: i.lineId,
      name: i.name,
      // Moved after part of it was cancelled (one of three steaks): what goes to the other table is what is left
      // of the line; the cancelled part stayed here, on its ANNULÉ ticket. (Not moved, the ticket says what it
      // printed, beside its ANNULÉ.)
      quantity: movedTo(r, i.lineId) !== null ? Math.min(i.quantity, lines.get(i.lineId)!.quantity) : i.quantity,
      modifiers: i.modifiers ?? [],
      seat: i.seat,
      note: i.note,
      course: i.course,
      waiting: Boolean(i.waiting),
      movedTo: movedTo(r, i.lineId),
      // What of it was cancelled since (one of three beers, or the whole line): the kitchen screen strikes it on
      // this ticket too, not only on the ANNULÉ one (found by a walk). A cancellation's own ticket is what it says.
      cancelled: r.kind === 'void' ? 0 : cancelledOf(i.lineId, i.quantity),
      fired: Boolean(i.waiting) && (lines.get(i.lineId)?.fired_at ?? null) !== null,
    })),
  }));
}

export async function kitchenTicketView(db: Db, id: number): Promise<KitchenTicketView> {
  const row = await ticketQuery(db).where('k.id', '=', id).executeTakeFirst();
  if (!row) throw new NotFound('Bon de cuisine');
  return (await views(db, [row]))[0]!;
}

/** The tickets an operation made (one per station), for the kitchen screens. */
export async function ticketsOfOp(db: Db, opId: string): Promise<KitchenTicketView[]> {
  const rows = await ticketQuery(db).where('k.send_key', 'like', `${opId}:%`).orderBy('k.id').execute();
  return views(db, rows);
}

/**
 * An order's kitchen tickets, as the screens show them (its table moved: each says the new one), with those of
 * the tables brought into it (merged twice in a row: the first table's tickets now say this one).
 */
export async function ticketsOfOrder(db: Db, orderId: string): Promise<KitchenTicketView[]> {
  const rows = await ticketQuery(db)
    .where((eb) => eb.or([eb('k.order_id', '=', orderId), eb('o.merged_into', '=', orderId)]))
    .orderBy('k.id')
    .execute();
  return views(db, rows);
}

/**
 * The tickets holding any of these lines, wherever they were first sent from: a dish moved on (to a third
 * table, back, or into a merged table) is said where it goes now on each of them.
 */
export async function ticketsOfLines(db: Db, lineIds: readonly string[]): Promise<KitchenTicketView[]> {
  if (!lineIds.length) return [];
  const rows = await ticketQuery(db)
    // Line ids are UUIDs: their JSON text, quoted, is found only as themselves.
    .where((eb) => eb.or(lineIds.map((id) => eb('k.items', 'like', `%"${id}"%`))))
    .orderBy('k.id')
    .execute();
  return views(db, rows);
}

export async function kitchenBoard(db: Db, stationId: number, now: Date): Promise<KitchenBoard> {
  const station = await db
    .selectFrom('stations')
    .leftJoin('printers', 'printers.id', 'stations.printer_id')
    .select(['stations.id', 'stations.name', 'stations.printer_id', 'printers.name as printer_name'])
    .where('stations.id', '=', stationId)
    .executeTakeFirst();
  if (!station) throw new NotFound('Poste');
  const since = new Date(now.getTime() - SHOWN_HOURS * 3_600_000).toISOString();
  const recallSince = new Date(now.getTime() - RECALL_MINUTES * 60_000).toISOString();
  const rows = await ticketQuery(db)
    .where('k.station_id', '=', stationId)
    .where('k.created_at', '>=', since)
    .where((w) => w.or([w('k.state', '!=', 'served'), w('k.state_at', '>=', recallSince)]))
    .orderBy('k.id')
    .execute();
  const tickets = await views(db, rows);
  const order = (t: KitchenTicketView) => (t.state === 'served' ? 1 : 0);
  tickets.sort((a, b) => order(a) - order(b) || a.id - b.id);
  return {
    station: { id: station.id, name: station.name, printerId: station.printer_id, printerName: station.printer_name },
    tickets,
    allDay: await allDay(db, tickets),
  };
}

/**
 * Each dish still to prepare: the items of tickets not ready yet, not waiting for their course, less what
 * of their line was cancelled since — summed by name.
 */
async function allDay(db: Db, tickets: readonly KitchenTicketView[]) {
  const items = tickets.filter((t) => t.state === 'todo' && t.kind !== 'void').flatMap((t) => t.items.filter((i) => !i.waiting));
  if (!items.length) return [];
  // What is left of each line now: none once cancelled, fewer once part of it was (one of three beers).
  const left = new Map(
    (
      await db
        .selectFrom('order_lines')
        .select(['id', 'status', 'quantity'])
        .where('id', 'in', [...new Set(items.map((i) => i.lineId))])
        .execute()
    ).map((l) => [l.id, l.status === 'voided' ? 0 : l.quantity]),
  );
  // A counter sale's lines have no order line: what its refunds cancelled (its ANNULÉ tickets) is taken off.
  const counterOrders = [
    ...new Set(items.filter((i) => !left.has(i.lineId) && i.lineId.includes('#')).map((i) => i.lineId.split('#')[0]!)),
  ];
  const cancelled = new Map<string, number>();
  if (counterOrders.length)
    for (const v of await db
      .selectFrom('kitchen_tickets')
      .select('items')
      .where('kind', '=', 'void')
      .where('order_id', 'in', counterOrders)
      .execute())
      for (const i of JSON.parse(v.items) as KitchenItem[]) cancelled.set(i.lineId, (cancelled.get(i.lineId) ?? 0) + i.quantity);
  const counts = new Map<string, number>();
  for (const i of items) {
    const n = left.has(i.lineId) ? Math.min(i.quantity, left.get(i.lineId)!) : i.quantity - (cancelled.get(i.lineId) ?? 0);
    if (n > 0) counts.set(i.name, (counts.get(i.name) ?? 0) + n);
  }
  return [...counts]
    .map(([name, quantity]) => ({ name, quantity }))
    .sort((a, b) => b.quantity - a.quantity || a.name.localeCompare(b.name, 'fr'));
}

/** « Prêt », « servi », or back to « à préparer » (a recall): the same state again changes nothing. */
export async function setKitchenState(
  trx: Trx,
  id: number,
  state: KitchenState,
  now: Date,
  from?: KitchenState,
): Promise<KitchenTicketView> {
  const row = await trx.selectFrom('kitchen_tickets').select(['id', 'state', 'state_version']).where('id', '=', id).executeTakeFirst();
  if (!row) throw new NotFound('Bon de cuisine');
  // A waiter's « Servi » on a dish the kitchen took back meanwhile (recalled, to cook again) is not served.
  if (from !== undefined && row.state !== from && row.state !== state)
    throw new Conflict(
      row.state === 'todo'
        ? 'La cuisine a repris ce bon entre-temps : il n’est plus prêt.'
        : 'Ce bon a changé d’état entre-temps en cuisine.',
      'from',
    );
  if (row.state !== state)
    await trx
      .updateTable('kitchen_tickets')
      .set({ state, state_at: now.toISOString(), state_version: row.state_version + 1 })
      .where('id', '=', id)
      .execute();
  return kitchenTicketView(trx, id);
}

export async function stationOfTicket(db: Db, id: number) {
  const row = await db
    .selectFrom('kitchen_tickets')
    .innerJoin('stations', 'stations.id', 'kitchen_tickets.station_id')
    .select(['stations.id', 'stations.outlet_id'])
    .where('kitchen_tickets.id', '=', id)
    .executeTakeFirst();
  if (!row) throw new NotFound('Bon de cuisine');
  return row;
}

/** The ESC/POS of a stored ticket, as first printed or marked RÉIMPRESSION. */
async function renderTicket(db: Db, view: KitchenTicketView, printerId: number, reprint: boolean) {
  const printer = await getPrinter(db, printerId);
  // A dish moved to another table since: the copy says where it goes.
  const items: KitchenItem[] = view.items.map(({ movedTo, ...i }) => ({
    ...i,
    stationId: view.stationId,
    note: movedTo ? [i.note, `DÉPLACÉ : Table ${movedTo}`].filter(Boolean).join(' · ') : i.note,
  }));
  return {
    printer,
    bytes: kitchenTicket(
      {
        kind: view.kind,
        table: view.table,
        covers: view.covers,
        waiter: view.waiter,
        at: view.createdAt,
        course: view.course ? COURSE_NAMES[view.course] : null,
        reason: view.reason,
        counter: view.counter,
        reprint,
        groups: groupsOf(items),
      },
      printer,
    ),
  };
}

/**
 * A copy the kitchen asks for (a ticket lost, splashed): printed marked RÉIMPRESSION so nobody cooks the
 * dish twice, counted on the ticket and in the chained log.
 */
export async function reprintKitchenTicket(trx: Trx, id: number, userId: number | null, now: Date): Promise<number> {
  const view = await kitchenTicketView(trx, id);
  const station = await trx
    .selectFrom('stations')
    .select(['printer_id', 'name'])
    .where('id', '=', view.stationId)
    .executeTakeFirstOrThrow();
  if (station.printer_id === null) throw new Conflict(`Le poste ${station.name} n’a pas d’imprimante.`, 'printerId');
  const { printer, bytes } = await renderTicket(trx, view, station.printer_id, true);
  if (!printer.active) throw new Conflict(`L’imprimante ${printer.name} est désactivée.`, 'printerId');
  const jobId = await PrintQueue.add(
    trx,
    { printerId: printer.id, kind: 'kitchen', subject: `kitchen:${id}:reprint`, bytes, createdBy: userId },
    now,
  );
  await trx
    .updateTable('kitchen_tickets')
    .set({ reprints: view.reprints + 1 })
    .where('id', '=', id)
    .execute();
  await recordEvent(trx, {
    kind: 'kitchen.reprinted',
    userId,
    subject: `order:${view.orderId}`,
    data: { ticketId: id, stationId: view.stationId, copy: view.reprints + 1, jobId },
    at: now.toISOString(),
  });
  return jobId;
}

/**
 * The station's tickets go to another printer from now on (the kitchen's is down: the bar's prints them).
 * Its tickets still queued or given up on move there too, their old job cancelled: they never printed, so
 * this is the ticket printed once, not a copy. A job the printer may have printed (unconfirmed) stays where
 * it is, for the kitchen to confirm or reprint.
 */
export async function switchStationPrinter(
  trx: Trx,
  stationId: number,
  printerId: number,
  moveWaiting: boolean,
  userId: number | null,
  now: Date,
) {
  const station = await trx.selectFrom('stations').selectAll().where('id', '=', stationId).executeTakeFirst();
  if (!station) throw new NotFound('Poste');
  const target = await trx.selectFrom('printers').select(['id', 'active']).where('id', '=', printerId).executeTakeFirst();
  if (!target) throw new Invalid({ field: 'printerId', reason: 'imprimante inconnue' });
  if (!target.active) throw new Invalid({ field: 'printerId', reason: 'imprimante désactivée' });
  await requirePrinterAt(trx, printerId, await siteOfOutlet(trx, station.outlet_id));
  await trx.updateTable('stations').set({ printer_id: printerId }).where('id', '=', stationId).execute();
  let moved = 0;
  if (moveWaiting) {
    const stuck = await trx
      .selectFrom('kitchen_tickets as k')
      .innerJoin('print_jobs as j', 'j.id', 'k.print_job_id')
      .select(['k.id', 'j.id as job_id', 'j.status', 'j.printer_id'])
      .where('k.station_id', '=', stationId)
      .where('j.printer_id', '!=', printerId)
      .where((w) => w.or([w('j.status', '=', 'queued'), w.and([w('j.status', '=', 'failed'), w('j.resolved_at', 'is', null)])]))
      .orderBy('k.id')
      .execute();
    const at = now.toISOString();
    // A failed job moved is settled as « retried » (on the other printer): it leaves the attention list.
    for (const s of stuck) {
      await trx
        .updateTable('print_jobs')
        .set({
          status: 'cancelled',
          updated_at: at,
          ...(s.status === 'failed' ? { resolved_at: at, resolved_by: userId, resolution: 'retried' as const } : {}),
        })
        .where('id', '=', s.job_id)
        .execute();
      const view = await kitchenTicketView(trx, s.id);
      const { bytes } = await renderTicket(trx, view, printerId, false);
      const jobId = await PrintQueue.add(trx, { printerId, kind: 'kitchen', subject: `kitchen:${s.id}`, bytes, createdBy: userId }, now);
      await trx.updateTable('kitchen_tickets').set({ print_job_id: jobId }).where('id', '=', s.id).execute();
      moved++;
    }
  }
  await recordEvent(trx, {
    kind: 'floor.station_printer',
    userId,
    subject: `station:${stationId}`,
    data: { from: station.printer_id, to: printerId, moved },
    at: now.toISOString(),
  });
  const after = await trx.selectFrom('stations').selectAll().where('id', '=', stationId).executeTakeFirstOrThrow();
  return {
    station: { id: after.id, outletId: after.outlet_id, name: after.name, printerId: after.printer_id, active: after.active === 1 },
    moved,
  };
}
