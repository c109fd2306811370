import { cachedRows, rawRows } from '../../db/raw.ts';
import type { z } from 'zod';
import type { printerBody, printerPatch } from '../../shared/api/printing.ts';
import type { OutletCode } from '../../db/schema.ts';
import { Invalid, NotFound } from '../errors.ts';
import { recordEvent } from '../journal/events.ts';
import type { Db, Trx } from '../../db/schema.ts';
import { canonicalPrinterUri, parsePrinterUri } from './drivers.ts';
import { firstSiteId, outletAt, printerOfSite } from '../sites/sites.ts';

/** Every printer, or a site's (`printerOfSite`) when `siteId` is given. */
export async function listPrinters(db: Db, siteId?: number) {
  let q = db
    .selectFrom('printers')
    .leftJoin('outlets', 'outlets.id', 'printers.outlet_id')
    .selectAll('printers')
    .select('outlets.kind as outlet');
  if (siteId !== undefined) q = q.where((eb) => printerOfSite(eb, siteId));
  const rows = await q.orderBy('printers.id').execute();
  return rows.map(printerView);
}

export type PrinterRowView = ReturnType<typeof printerView>;

function printerView(r: {
  id: number;
  name: string;
  outlet: OutletCode | null;
  role: 'receipt' | 'kitchen';
  uri: string;
  columns: 32 | 48;
  code_page: 'pc858' | 'wpc1252';
  drawer: 0 | 1;
  active: 0 | 1;
}) {
  return {
    id: r.id,
    name: r.name,
    outlet: r.outlet,
    role: r.role,
    uri: r.uri,
    columns: r.columns,
    codePage: r.code_page,
    drawer: r.drawer === 1,
    active: r.active === 1,
  };
}

export async function getPrinter(db: Db, id: number) {
  const p = (await listPrinters(db)).find((x) => x.id === id);
  if (!p) throw new NotFound('Imprimante');
  return p;
}

/** The outlet of that kind at the site worked at (the first site when not said). */
async function outletId(db: Db, code: OutletCode | null, siteId?: number): Promise<number | null> {
  if (code === null) return null;
  return (await outletAt(db, code, siteId ?? (await firstSiteId(db)))).id;
}

function checkUri(uri: string, allowLocal: boolean) {
  const parsed = parsePrinterUri(uri, { allowLocal });
  if ('error' in parsed) throw new Invalid({ field: 'uri', reason: parsed.error });
}

export async function createPrinter(
  db: Trx,
  input: z.output<typeof printerBody>,
  userId: number,
  now: Date,
  siteId?: number,
  allowLocal = false,
) {
  checkUri(input.uri, allowLocal);
  const at = now.toISOString();
  const { id } = await db
    .insertInto('printers')
    .values({
      name: input.name,
      outlet_id: await outletId(db, input.outlet, siteId),
      role: input.role,
      uri: canonicalPrinterUri(input.uri),
      columns: input.columns,
      code_page: input.codePage,
      drawer: input.drawer ? 1 : 0,
      active: input.active ? 1 : 0,
      created_at: at,
      updated_at: at,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  await recordEvent(db, { kind: 'settings.changed', userId, subject: `printer:${id}`, data: { created: input }, at });
  return getPrinter(db, id);
}

export async function updatePrinter(
  db: Trx,
  id: number,
  patch: z.output<typeof printerPatch>,
  userId: number,
  now: Date,
  siteId?: number,
  allowLocal = false,
) {
  const before = await getPrinter(db, id);
  if (patch.uri !== undefined) checkUri(patch.uri, allowLocal);
  const at = now.toISOString();
  await db
    .updateTable('printers')
    .set({
      ...(patch.name !== undefined ? { name: patch.name } : {}),
      ...(patch.outlet !== undefined ? { outlet_id: await outletId(db, patch.outlet, siteId) } : {}),
      ...(patch.role !== undefined ? { role: patch.role } : {}),
      ...(patch.uri !== undefined ? { uri: canonicalPrinterUri(patch.uri) } : {}),
      ...(patch.columns !== undefined ? { columns: patch.columns } : {}),
      ...(patch.codePage !== undefined ? { code_page: patch.codePage } : {}),
      ...(patch.drawer !== undefined ? { drawer: patch.drawer ? 1 : 0 } : {}),
      ...(patch.active !== undefined ? { active: patch.active ? 1 : 0 } : {}),
      updated_at: at,
    })
    .where('id', '=', id)
    .execute();
  await recordEvent(db, { kind: 'settings.changed', userId, subject: `printer:${id}`, data: { before, after: patch }, at });
  return getPrinter(db, id);
}

/** The receipt printer of a till, if it has one and it is switched on. */
/** The active printer with a cash drawer the till is tied to, if any: asked after every ticket paid in cash. */
export async function drawerOfTill(db: Db, tillId: number): Promise<number | null> {
  const [row] = await cachedRows<{ id: number }>(
    db,
    'select "printers"."id" from "tills" inner join "printers" on "printers"."id" = "tills"."printer_id" where "tills"."id" = ? and "printers"."drawer" = 1 and "printers"."active" = 1',
    [tillId],
  );
  return row?.id ?? null;
}

export async function printerOfTill(db: Db, tillId: number) {
  const [till] = await rawRows<{ printer_id: number | null }>(db, 'select "printer_id" from "tills" where "id" = ?', [tillId]);
  if (!till?.printer_id) return null;
  const p = await getPrinter(db, till.printer_id);
  return p.active ? p : null;
}

/** `siteId`: a manager tied to a site sees the jobs of its site's printers only (`printerOfSite`). */
export async function listJobs(
  db: Db,
  q: { status?: string | undefined; printerId?: number | undefined; limit: number },
  siteId: number | null = null,
) {
  let query = db
    .selectFrom('print_jobs')
    .innerJoin('printers', 'printers.id', 'print_jobs.printer_id')
    .select([
      'print_jobs.id',
      'print_jobs.printer_id',
      'printers.name as printer',
      'print_jobs.kind',
      'print_jobs.subject',
      'print_jobs.status',
      'print_jobs.attempts',
      'print_jobs.last_error',
      'print_jobs.created_at',
      'print_jobs.updated_at',
      'print_jobs.done_at',
      'print_jobs.resolution',
      'print_jobs.resolved_at',
    ])
    .orderBy('print_jobs.id', 'desc')
    .limit(q.limit);
  if (q.status) query = query.where('print_jobs.status', '=', q.status as 'queued');
  if (q.printerId) query = query.where('print_jobs.printer_id', '=', q.printerId);
  if (siteId !== null) query = query.where((eb) => printerOfSite(eb, siteId));
  return (await query.execute()).map((j) => ({
    id: j.id,
    printerId: j.printer_id,
    printer: j.printer,
    kind: j.kind,
    subject: j.subject,
    status: j.status,
    attempts: j.attempts,
    lastError: j.last_error,
    createdAt: j.created_at,
    updatedAt: j.updated_at,
    doneAt: j.done_at,
    /** How staff settled a failed or unconfirmed job (confirmed, reprinted, dismissed, retried), and when. */
    resolution: j.resolution,
    resolvedAt: j.resolved_at,
  }));
}

/**
 * `PRINTER=` in the environment (file:DIR, tcp://host:9100, usb:VVVV:PPPP): the receipt printer of a shop
 * that has none yet, given to every till without one. Printers are then managed in the back office.
 */
export async function ensureConfiguredPrinter(db: Db, config: { PRINTER: string; PRINTERS_LOCAL: 'on' | 'off' }, now: Date): Promise<void> {
  const shop = await db.selectFrom('settings').select('key').where('key', '=', 'shop.identity').executeTakeFirst();
  // A shop without a receipt printer: the demo's kitchen and bar printers are no till's (a newcomer found the
  // demo printing no receipt at all once they came first).
  if (!shop || (await db.selectFrom('printers').select('id').where('role', '=', 'receipt').limit(1).executeTakeFirst())) return;
  // The demo shop prints into files (DATA_DIR/prints): what a receipt would be, without a printer.
  const demo = (await db.selectFrom('settings').select('value').where('key', '=', 'shop.mode').executeTakeFirst())?.value === '"demo"';
  const wanted = config.PRINTER === 'none' ? (demo ? 'file:prints' : null) : config.PRINTER;
  if (!wanted) return;
  const uri = /^tcp:\/\/[^:]+$/.test(wanted) ? `${wanted}:9100` : wanted;
  if ('error' in parsePrinterUri(uri, { allowLocal: config.PRINTERS_LOCAL === 'on' })) return;
  const at = now.toISOString();
  const { id } = await db
    .insertInto('printers')
    .values({
      name: 'Imprimante de caisse',
      outlet_id: null,
      role: 'receipt',
      uri,
      columns: 48,
      code_page: 'pc858',
      drawer: 1,
      active: 1,
      created_at: at,
      updated_at: at,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  await db.updateTable('tills').set({ printer_id: id }).where('printer_id', 'is', null).execute();
}
