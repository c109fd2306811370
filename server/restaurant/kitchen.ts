/**
 * What the preparation stations are told. Each operation that concerns the kitchen (a send, a course asked
 * for, a line cancelled) makes at most one ticket per station, recorded under the key operation:station
 * (unique): the operation is applied once, so the ticket exists once, and its print job is the one the
 * queue retries after a fault, never a copy of another.
 */
import { courseRank, type Course } from '../../shared/api/restaurant.ts';
import type { Trx } from '../../db/schema.ts';
import { getPrinter } from '../printing/printers.ts';
import { PrintQueue } from '../printing/queue.ts';
import { kitchenNotice, kitchenTicket, type KitchenTicketData } from '../printing/receipt.ts';

export interface KitchenItem {
  lineId: string;
  stationId: number | null;
  name: string;
  quantity: number;
  /** The options chosen (À point, Supplément fromage), printed under the item. */
  modifiers?: string[];
  seat: number | null;
  note: string | null;
  course: Course | null;
  /** Sent now, to be prepared when its course is asked for. */
  waiting?: boolean;
  /** A cancelled item with no order line to say why (a counter sale refunded): the refund's reason. */
  reason?: string;
}

export const COURSE_NAMES: Record<Course, string> = { drink: 'BOISSONS', starter: 'ENTRÉES', main: 'PLATS', dessert: 'DESSERTS' };

/** The items of one ticket by course, in serving order (lines with no course first, as « À ENVOYER »). */
export function groupsOf(items: readonly KitchenItem[]): KitchenTicketData['groups'] {
  const key = (i: KitchenItem) => `${i.course === null ? -1 : courseRank(i.course)}:${i.waiting ? 1 : 0}`;
  const groups = new Map<string, KitchenTicketData['groups'][number]>();
  for (const i of [...items].sort((a, b) => (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0))) {
    const k = key(i);
    if (!groups.has(k)) groups.set(k, { course: i.course ? COURSE_NAMES[i.course] : 'À ENVOYER', waiting: Boolean(i.waiting), items: [] });
    groups.get(k)!.items.push({ quantity: i.quantity, name: i.name, modifiers: i.modifiers ?? [], seat: i.seat, note: i.note });
  }
  return [...groups.values()];
}

export interface KitchenSend {
  order: {
    id: string;
    table_id: number | null;
    covers: number;
    waiter_id: number;
    mode?: 'on_site' | 'takeaway';
    /** A counter sale's dishes: the till and ticket number the kitchen calls them by. */
    counter?: { till: string; number: number };
  };
  opId: string;
  kind: 'send' | 'fire' | 'void';
  course?: Course;
  reason?: string;
  items: readonly KitchenItem[];
  actor: { userId: number };
  now: Date;
}

/** Records the send's ticket for each station concerned and queues it on the station's printer. Returns how many. */
export async function queueKitchenTickets(trx: Trx, send: KitchenSend): Promise<number> {
  const byStation = new Map<number, KitchenItem[]>();
  for (const i of send.items) if (i.stationId !== null) byStation.set(i.stationId, [...(byStation.get(i.stationId) ?? []), i]);
  if (!byStation.size) return 0;
  const table = send.order.table_id
    ? await trx.selectFrom('dining_tables').select('name').where('id', '=', send.order.table_id).executeTakeFirst()
    : undefined;
  const waiter = await trx.selectFrom('users').select('display_name').where('id', '=', send.order.waiter_id).executeTakeFirstOrThrow();
  const at = send.now.toISOString();
  for (const [stationId, items] of byStation) {
    const row = await trx
      .insertInto('kitchen_tickets')
      .values({
        send_key: `${send.opId}:${stationId}`,
        order_id: send.order.id,
        station_id: stationId,
        kind: send.kind,
        items: JSON.stringify(items),
        created_at: at,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    const station = await trx.selectFrom('stations').select(['printer_id']).where('id', '=', stationId).executeTakeFirstOrThrow();
    if (station.printer_id === null) continue;
    const printer = await getPrinter(trx, station.printer_id);
    if (!printer.active) continue;
    const bytes = kitchenTicket(
      {
        kind: send.kind,
        table: table?.name ?? 'à emporter',
        covers: send.order.covers,
        takeaway: send.order.mode === 'takeaway',
        waiter: waiter.display_name,
        at,
        course: send.course ? COURSE_NAMES[send.course] : null,
        reason: send.reason ?? null,
        counter: send.order.counter ?? null,
        groups: groupsOf(items),
      },
      printer,
    );
    const jobId = await PrintQueue.add(
      trx,
      { printerId: printer.id, kind: 'kitchen', subject: `kitchen:${row.id}`, bytes, createdBy: send.actor.userId },
      send.now,
    );
    await trx.updateTable('kitchen_tickets').set({ print_job_id: jobId }).where('id', '=', row.id).execute();
  }
  return byStation.size;
}

/**
 * Tells each station holding tickets of these orders not served yet (their paper on the pass) that their table
 * changed: « CHANGEMENT DE TABLE », « TABLES RÉUNIES », or the dishes moved (`lineIds`: only the stations those
 * dishes went to). Printed on the station's printer; the kitchen screens read the new table already.
 */
export async function printTableNotice(
  trx: Trx,
  n: { orderIds: readonly string[]; title: string; lines: readonly string[]; lineIds?: readonly string[]; userId: number; now: Date },
): Promise<void> {
  const tickets = await trx
    .selectFrom('kitchen_tickets')
    .select(['id', 'station_id', 'items'])
    .where('order_id', 'in', [...n.orderIds])
    .where('state', '!=', 'served')
    .where('kind', '!=', 'void')
    .orderBy('id')
    .execute();
  // Each station's dishes by line: a dish on its send ticket and again on its Suite ticket is one dish.
  const byStation = new Map<number, Map<string, { quantity: number; name: string }>>();
  for (const t of tickets) {
    const items = (JSON.parse(t.items) as KitchenItem[]).filter((i) => !n.lineIds || n.lineIds.includes(i.lineId));
    if (n.lineIds && !items.length) continue;
    const lines = byStation.get(t.station_id) ?? new Map<string, { quantity: number; name: string }>();
    for (const i of items) lines.set(i.lineId, { quantity: i.quantity, name: i.name });
    byStation.set(t.station_id, lines);
  }
  if (!byStation.size) return;
  const waiter = await trx.selectFrom('users').select('display_name').where('id', '=', n.userId).executeTakeFirst();
  for (const [stationId, items] of byStation) {
    const station = await trx.selectFrom('stations').select(['printer_id']).where('id', '=', stationId).executeTakeFirst();
    if (!station || station.printer_id === null) continue;
    const printer = await getPrinter(trx, station.printer_id);
    if (!printer.active) continue;
    const bytes = kitchenNotice(
      {
        title: n.title,
        lines: n.lines,
        ...(n.lineIds ? { items: [...items.values()] } : {}),
        waiter: waiter?.display_name ?? '',
        at: n.now.toISOString(),
      },
      printer,
    );
    await PrintQueue.add(
      trx,
      { printerId: printer.id, kind: 'kitchen', subject: `kitchen-notice:${n.orderIds[0]}`, bytes, createdBy: n.userId },
      n.now,
    );
  }
}
