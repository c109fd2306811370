/**
 * The printing domain's services: printers and their queue as staff handle them, and the documents a
 * manager prints on a receipt printer (X and Z reports, deposit slips, shelf labels). Each takes the
 * database, the print queue, the acting identity and its input; no request, no response.
 */
import { closingKey } from '../journal/heads.ts';
import type { ClosingFigures } from '../closing/figures.ts';
import type { Kysely } from 'kysely';
import type { z } from 'zod';
import type { printerBody, printerPatch, printingApi } from '../../shared/api/printing.ts';
import { businessDay } from '../../shared/time.ts';
import type { Database, Db } from '../../db/schema.ts';
import { requireAccess, requireUser, type Actor } from '../auth/access.ts';
import { labelsFor } from '../catalog/labels.ts';
import { getClosing, xReport } from '../closing/closing.ts';
import { Conflict, Invalid, NotFound } from '../errors.ts';
import { recordEvent } from '../journal/events.ts';
import { isDemo, shopIdentity } from '../settings/settings.ts';
import { getSlip } from '../stock/ledger.ts';
import { drawerBytes, duplicateBytes, reprintBytes, testPageBytes } from './documents.ts';
import { canonicalPrinterUri } from './drivers.ts';
import { createPrinter, drawerOfTill, getPrinter, listPrinters, printerOfTill, updatePrinter } from './printers.ts';
import { outletNameByCode, outletNameById, saleNumber } from './queries.ts';
import { printerOfSite, requireOutletReach, siteOf, siteScope, type SiteAsker } from '../sites/sites.ts';
import { PrintQueue } from './queue.ts';
import { cashSlip, closingReport, depositSlip, thermalLabels } from './receipt.ts';
import type { CashMovementView } from '../../shared/api/drawer.ts';

type Body<K extends keyof typeof printingApi> = (typeof printingApi)[K] extends { body: z.ZodType }
  ? z.output<(typeof printingApi)[K]['body']>
  : never;

/** The actor as the site rules see it: with the site they asked for, when a request carries one. */
const askerOf = (db: Db, actor: Actor): SiteAsker => ({
  ...actor,
  db,
  askedSite: (actor as { askedSite?: number | null }).askedSite ?? null,
});

/**
 * The printer asked for, or the first receipt printer switched on at the site worked at (its outlets' and
 * those of no outlet). A manager tied to a site prints on that site's printers only: another's is not found.
 */
async function choosePrinter(db: Db, actor: Actor, printerId: number | undefined) {
  if (printerId !== undefined) {
    const tied = siteScope(actor);
    if (tied === null) return getPrinter(db, printerId);
    const p = (await listPrinters(db, tied)).find((x) => x.id === printerId);
    if (!p) throw new NotFound('Imprimante');
    return p;
  }
  const p = (await listPrinters(db, await siteOf(askerOf(db, actor)))).find((x) => x.active && x.role === 'receipt');
  if (!p) throw new Invalid({ field: 'printerId', reason: 'aucune imprimante à tickets : ajoutez-en une' });
  return p;
}

/** An X report (the day so far, not closed) on a receipt printer. */
export async function printXReport(
  db: Db,
  prints: PrintQueue,
  actor: Actor,
  body: Body<'printX'>,
  { now, timeZone }: { now: Date; timeZone: string },
) {
  const siteId = await siteOf(askerOf(db, actor));
  const x = await xReport(db, body.outlet, body.day ?? businessDay(now, timeZone), timeZone, siteId);
  const printer = await choosePrinter(db, actor, body.printerId);
  const outletName = await outletNameByCode(db, body.outlet, siteId);
  const bytes = closingReport(
    'X',
    // The drawer so far (float, cash in and out) counts in the cash the X expects.
    { ...x.figures, drawer: x.drawer } as ClosingFigures,
    { shop: await shopIdentity(db), period: x.day, outletName, at: now.toISOString() },
    { columns: printer.columns, codePage: printer.codePage },
  );
  const jobId = await prints.enqueue({
    printerId: printer.id,
    kind: 'x',
    subject: `x:${body.outlet}:${x.day}`,
    bytes,
    createdBy: requireUser(actor).id,
  });
  return { jobId };
}

/** A closing (Z of a day; month and year closings print their totals the same way). */
export async function printClosing(db: Db, prints: PrintQueue, actor: Actor, closingId: number, body: Body<'printClosing'>) {
  const closing = await getClosing(db, closingId);
  // Another site's Z is not this manager's to read, on paper either (a tied manager printed any site's Z on
  // their own printer: found by an attack).
  await requireOutletReach({ ...actor, db }, closing.outletId, 'Clôture');
  const printer = await choosePrinter(db, actor, body.printerId);
  const outletName = await outletNameById(db, closing.outletId);
  const f = closing.figures;
  const bytes = closingReport(
    'Z',
    f,
    {
      shop: await shopIdentity(db),
      period: closing.period,
      outletName,
      at: closing.closedAt,
      counted: f.cashCountedCents ?? null,
      grandTotalCents: closing.grandTotalCents,
      seq: closing.seq,
      hash: closing.hash,
      signedWith: await closingKey(db, closing.id),
      tillNames: new Map((await db.selectFrom('tills').select(['id', 'name']).execute()).map((t) => [t.id, t.name])),
    },
    { columns: printer.columns, codePage: printer.codePage },
  );
  const jobId = await prints.enqueue({
    printerId: printer.id,
    kind: 'z',
    subject: `closing:${closing.id}`,
    bytes,
    createdBy: requireUser(actor).id,
  });
  return { jobId };
}

/** A deposit, return or transfer slip to sign. */
export async function printSlip(db: Db, prints: PrintQueue, actor: Actor, slipId: number, body: Body<'printSlip'>) {
  const slip = await getSlip(db, slipId, { producerId: null }, siteScope(actor));
  const printer = await choosePrinter(db, actor, body.printerId);
  const bytes = depositSlip(
    {
      number: slip.number,
      kind: slip.kind,
      at: slip.createdAt,
      producerName: slip.producerName,
      lines: slip.lines,
      siteName: slip.siteName,
      toSiteName: slip.toSiteName,
    },
    await shopIdentity(db),
    { columns: printer.columns, codePage: printer.codePage },
  );
  const jobId = await prints.enqueue({
    printerId: printer.id,
    kind: 'slip',
    subject: `slip:${slip.id}`,
    bytes,
    createdBy: requireUser(actor).id,
  });
  return { jobId };
}

/**
 * A drawer movement made at a till: its drawer opens (the float is counted in it, cash goes in or out of it)
 * and its slip prints for the receipt box. A movement sent from the outbox long after (offline) prints its
 * slip but opens nothing now, as a ticket (the queue also drops a pulse whose turn comes too late).
 */
export async function printCashMovement(db: Db, prints: PrintQueue, m: CashMovementView, opts: { now: Date; drawerMaxDelayMs: number }) {
  if (m.tillId === null) return;
  if (opts.now.getTime() - Date.parse(m.createdAt) <= opts.drawerMaxDelayMs) {
    const drawer = await drawerOfTill(db, m.tillId);
    if (drawer !== null)
      await prints.enqueue({ printerId: drawer, kind: 'drawer', subject: `drawer:${m.id}`, bytes: drawerBytes(), createdBy: m.userId });
  }
  const printer = await printerOfTill(db, m.tillId);
  if (!printer) return;
  const bytes = cashSlip(m, (await shopIdentity(db)).name, { columns: printer.columns, codePage: printer.codePage });
  await prints.enqueue({ printerId: printer.id, kind: 'cash', subject: `drawer:${m.id}`, bytes, createdBy: m.userId });
}

/** Shelf labels with their EAN barcode, one per cut: the same content as the A4 sheets. */
export async function printLabels(db: Db, prints: PrintQueue, actor: Actor, body: Body<'printLabels'>) {
  const labels = await labelsFor(db, body.items, 200);
  const printer = await choosePrinter(db, actor, body.printerId);
  const bytes = thermalLabels(labels, { columns: printer.columns, codePage: printer.codePage }, { demo: await isDemo(db) });
  const jobId = await prints.enqueue({
    printerId: printer.id,
    kind: 'labels',
    subject: `labels:${labels.length}`,
    bytes,
    createdBy: requireUser(actor).id,
  });
  return { jobId, labels: labels.length };
}

/** Every printer with what the queue knows of it. */
export async function printersWithStatus(db: Db, prints: PrintQueue, siteId?: number) {
  return Promise.all((await listPrinters(db, siteId)).map(async (p) => ({ ...p, status: await prints.status(p.id) })));
}

export async function addPrinter(
  db: Kysely<Database>,
  actor: SiteAsker,
  input: z.output<typeof printerBody>,
  now: Date,
  allowLocal = false,
) {
  const userId = requireUser(actor).id;
  const siteId = await siteOf(actor);
  await refuseOtherSitesAddress(db, actor, input.uri);
  return db.transaction().execute((trx) => createPrinter(trx, input, userId, now, siteId, allowLocal));
}

/**
 * A manager tied to a site does not name the address of another site's printer for a printer of theirs (a
 * probe, tied to Rodez, made one at Castres' receipt printer's address and opened its drawer from Rodez).
 * The same address written otherwise in letters or digits is caught (`canonicalPrinterUri`); a host name
 * for its IP is not: the network's managers see every printer's address.
 */
async function refuseOtherSitesAddress(db: Db, actor: SiteAsker, uri: string | undefined): Promise<void> {
  const tied = siteScope(actor);
  if (tied === null || uri === undefined) return;
  // Compared in their one writing (`TCP://Caisse.local:9100` is `tcp://caisse.local:9100`), also with rows
  // stored before addresses were.
  const wanted = canonicalPrinterUri(uri);
  const others = await db
    .selectFrom('printers')
    .select('uri')
    .where((eb) => eb.not(printerOfSite(eb, tied)))
    .execute();
  if (others.some((p) => canonicalPrinterUri(p.uri) === wanted))
    throw new Invalid({ field: 'uri', reason: 'adresse d’une imprimante d’un autre site' });
}

/** A printer changed (switched back on, another address): the queue looks again at once. */
export async function changePrinter(
  db: Kysely<Database>,
  prints: PrintQueue,
  actor: SiteAsker,
  id: number,
  patch: z.output<typeof printerPatch>,
  now: Date,
  allowLocal = false,
) {
  const userId = requireUser(actor).id;
  await requireAccess(db, actor, { printer: id });
  await refuseOtherSitesAddress(db, actor, patch.uri);
  const siteId = await siteOf(actor);
  const printer = await db.transaction().execute((trx) => updatePrinter(trx, id, patch, userId, now, siteId, allowLocal));
  prints.kick();
  return printer;
}

/** A test page: every accented letter and €, the code page, a ruler of the width. */
export async function printTestPage(db: Db, prints: PrintQueue, actor: Actor, printerId: number) {
  await requireAccess(db, actor, { printer: printerId });
  const printer = await getPrinter(db, printerId);
  const jobId = await prints.enqueue({
    printerId: printer.id,
    kind: 'test',
    subject: `printer:${printer.id}`,
    bytes: testPageBytes(printer),
    createdBy: requireUser(actor).id,
  });
  return { jobId };
}

/** The cash drawer wired to a printer opened by a manager: logged with the pulse, in one transaction. */
export async function openDrawer(db: Kysely<Database>, prints: PrintQueue, actor: Actor, printerId: number, now: Date) {
  await requireAccess(db, actor, { printer: printerId });
  const printer = await getPrinter(db, printerId);
  if (!printer.drawer) throw new Invalid({ field: 'id', reason: 'pas de tiroir-caisse sur cette imprimante' });
  const user = requireUser(actor);
  const jobId = await db.transaction().execute(async (trx) => {
    await recordEvent(trx, {
      kind: 'drawer.opened',
      userId: user.id,
      subject: `printer:${printer.id}`,
      data: { reason: 'manager' },
      at: now.toISOString(),
    });
    return PrintQueue.add(
      trx,
      { printerId: printer.id, kind: 'drawer', subject: `printer:${printer.id}`, bytes: drawerBytes(), createdBy: user.id },
      now,
    );
  });
  prints.kick();
  return { jobId };
}

/** The jobs of a printer someone must look at, if the actor may see that printer (a till: its own). */
export async function jobsToCheck(db: Db, prints: PrintQueue, actor: Actor, printerId: number) {
  await requireAccess(db, actor, { printer: printerId });
  await getPrinter(db, printerId);
  return prints.attention(printerId);
}

/**
 * A job printed again: a failed one is sent again; an unconfirmed one is printed marked as a reprint (a
 * receipt as a numbered DUPLICATA, logged) and settled.
 */
export async function reprintJob(
  db: Kysely<Database>,
  prints: PrintQueue,
  actor: Actor,
  jobId: number,
  { origin, now }: { origin: string; now: Date },
) {
  await requireAccess(db, actor, { printJob: jobId });
  const job = await prints.jobOf(jobId);
  const userId = requireUser(actor).id;
  if (job.status === 'failed') {
    await prints.retry(job.id, userId);
    return { jobId: job.id };
  }
  if (job.status !== 'unconfirmed' || job.resolved_at) throw new Conflict(`Impression ${job.id} : rien à réimprimer.`, 'status');
  const printer = await getPrinter(db, job.printer_id);
  const sale = job.kind === 'receipt' || job.kind === 'duplicate' ? /^sale:(.+)$/.exec(job.subject ?? '')?.[1] : undefined;
  const bytes = sale
    ? await db.transaction().execute(async (trx) => {
        // A receipt is reprinted the legal way: DUPLICATA n, logged.
        const stored = await saleNumber(trx, sale);
        return duplicateBytes(trx, stored, printer, { origin, userId, tillId: actor.device?.tillId ?? null, now });
      })
    : reprintBytes(job.bytes, printer);
  return { jobId: await prints.reprintUnconfirmed(job.id, bytes, userId) };
}

/** An unconfirmed job came out whole: settled as printed, nothing is sent. */
export async function confirmJob(db: Db, prints: PrintQueue, actor: Actor, jobId: number) {
  await requireAccess(db, actor, { printJob: jobId });
  await prints.confirm(jobId, requireUser(actor).id);
}

/** A failed job is not wanted any more: cancelled, logged. */
export async function dismissJob(db: Db, prints: PrintQueue, actor: Actor, jobId: number) {
  await requireAccess(db, actor, { printJob: jobId });
  await prints.cancel(jobId, requireUser(actor).id);
}
