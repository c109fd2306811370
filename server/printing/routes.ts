import { z } from 'zod';
import { outletCodeSchema } from '../../shared/api/common.ts';
import { printerBody, printerPatch, printJobsQuery } from '../../shared/api/printing.ts';
import { businessDay } from '../../shared/time.ts';
import { getClosing, xReport } from '../closing/closing.ts';
import { shopIdentity } from '../settings/settings.ts';
import { getSlip } from '../stock/ledger.ts';
import { closingReport, depositSlip, thermalLabels } from './receipt.ts';
import { labelsBody } from '../../shared/api/catalog.ts';
import { labelsFor } from '../catalog/labels.ts';
import { isDemo } from '../settings/settings.ts';
import { Conflict, Invalid, NotFound } from '../errors.ts';
import { recordEvent } from '../events/event-log.ts';
import { MANAGERS, requireUser, STAFF } from '../http/access.ts';
import { idParams, Reply, route, type RequestContext } from '../http/route.ts';
import { drawerBytes, duplicateBytes, reprintBytes, testPageBytes } from './documents.ts';
import { createPrinter, getPrinter, listJobs, listPrinters, updatePrinter } from './printers.ts';
import { PrintQueue } from './queue.ts';

function queue(ctx: RequestContext): PrintQueue {
  if (!ctx.services.prints) throw new Error('print queue not started');
  return ctx.services.prints;
}

const printOn = z.object({ printerId: z.number().int().positive().optional() }).strict();

/** The printer asked for, or the shop's first receipt printer that is switched on. */
async function choosePrinter(ctx: RequestContext, printerId: number | undefined) {
  if (printerId !== undefined) return getPrinter(ctx.db, printerId);
  const p = (await listPrinters(ctx.db)).find((x) => x.active && x.role === 'receipt');
  if (!p) throw new Invalid({ field: 'printerId', reason: 'aucune imprimante à tickets : ajoutez-en une' });
  return p;
}

export const printingRoutes = [
  route({
    method: 'post',
    path: '/api/closings/x/print',
    access: MANAGERS,
    tag: 'printing',
    summary: 'Print an X report (the day so far, not closed)',
    body: printOn.extend({ outlet: outletCodeSchema, day: z.iso.date().optional() }),
    handler: async ({ body }, ctx) => {
      const now = ctx.services.now();
      const x = await xReport(ctx.db, body.outlet, body.day ?? businessDay(now, ctx.services.config.TZ_BUSINESS));
      const printer = await choosePrinter(ctx, body.printerId);
      const outlet = await ctx.db.selectFrom('outlets').select('name').where('code', '=', body.outlet).executeTakeFirstOrThrow();
      const bytes = closingReport(
        'X',
        x.figures,
        { shop: await shopIdentity(ctx.db), period: x.day, outletName: outlet.name, at: now.toISOString() },
        { columns: printer.columns, codePage: printer.codePage },
      );
      return Reply.created({
        jobId: await queue(ctx).enqueue({
          printerId: printer.id,
          kind: 'x',
          subject: `x:${body.outlet}:${x.day}`,
          bytes,
          createdBy: requireUser(ctx).id,
        }),
      });
    },
  }),
  route({
    method: 'post',
    path: '/api/closings/:id/print',
    access: MANAGERS,
    tag: 'printing',
    summary: 'Print a closing (Z of a day; month and year closings print their totals the same way)',
    params: idParams,
    body: printOn,
    handler: async ({ params, body }, ctx) => {
      const closing = await getClosing(ctx.db, params.id);
      const printer = await choosePrinter(ctx, body.printerId);
      const outlet = await ctx.db.selectFrom('outlets').select('name').where('id', '=', closing.outletId).executeTakeFirstOrThrow();
      const f = closing.figures;
      const bytes = closingReport(
        'Z',
        f,
        {
          shop: await shopIdentity(ctx.db),
          period: closing.period,
          outletName: outlet.name,
          at: closing.closedAt,
          counted: f.cashCountedCents ?? null,
          grandTotalCents: closing.grandTotalCents,
          seq: closing.seq,
        },
        { columns: printer.columns, codePage: printer.codePage },
      );
      return Reply.created({
        jobId: await queue(ctx).enqueue({
          printerId: printer.id,
          kind: 'z',
          subject: `closing:${closing.id}`,
          bytes,
          createdBy: requireUser(ctx).id,
        }),
      });
    },
  }),
  route({
    method: 'post',
    path: '/api/stock/slips/:id/print',
    access: MANAGERS,
    tag: 'printing',
    summary: 'Print a deposit or return slip for the producer to sign',
    params: idParams,
    body: printOn,
    handler: async ({ params, body }, ctx) => {
      const slip = await getSlip(ctx.db, params.id, { producerId: null });
      const printer = await choosePrinter(ctx, body.printerId);
      const bytes = depositSlip(
        { number: slip.number, kind: slip.kind, at: slip.createdAt, producerName: slip.producerName, lines: slip.lines },
        await shopIdentity(ctx.db),
        { columns: printer.columns, codePage: printer.codePage },
      );
      return Reply.created({
        jobId: await queue(ctx).enqueue({
          printerId: printer.id,
          kind: 'slip',
          subject: `slip:${slip.id}`,
          bytes,
          createdBy: requireUser(ctx).id,
        }),
      });
    },
  }),
  route({
    method: 'post',
    path: '/api/labels/print',
    access: MANAGERS,
    tag: 'printing',
    summary: 'Print shelf labels with their EAN barcode on a receipt printer (one label per cut), the same content as the A4 sheets',
    body: labelsBody.omit({ skip: true }).extend({ printerId: z.number().int().positive().optional() }).strict(),
    handler: async ({ body }, ctx) => {
      const labels = await labelsFor(ctx.db, body.items, 200);
      const printer = await choosePrinter(ctx, body.printerId);
      const bytes = thermalLabels(labels, { columns: printer.columns, codePage: printer.codePage }, { demo: await isDemo(ctx.db) });
      return Reply.created({
        jobId: await queue(ctx).enqueue({
          printerId: printer.id,
          kind: 'labels',
          subject: `labels:${labels.length}`,
          bytes,
          createdBy: requireUser(ctx).id,
        }),
        labels: labels.length,
      });
    },
  }),
  route({
    method: 'get',
    path: '/api/printers',
    access: MANAGERS,
    tag: 'printing',
    summary: 'Printers, with their state and how many jobs wait',
    handler: async (_, ctx) =>
      Promise.all((await listPrinters(ctx.db)).map(async (p) => ({ ...p, status: await queue(ctx).status(p.id) }))),
  }),
  route({
    method: 'post',
    path: '/api/printers',
    access: MANAGERS,
    tag: 'printing',
    summary: 'Add a printer: file:DIR, tcp://host:9100 or usb:VVVV:PPPP; 48 or 32 columns; PC858 or WPC1252',
    body: printerBody,
    handler: async ({ body }, ctx) =>
      Reply.created(await ctx.db.transaction().execute((trx) => createPrinter(trx, body, requireUser(ctx).id, ctx.services.now()))),
  }),
  route({
    method: 'patch',
    path: '/api/printers/:id',
    access: MANAGERS,
    tag: 'printing',
    summary: 'Change a printer (address, width, code page, drawer, on/off)',
    params: idParams,
    body: printerPatch,
    handler: async ({ params, body }, ctx) => {
      const p = await ctx.db.transaction().execute((trx) => updatePrinter(trx, params.id, body, requireUser(ctx).id, ctx.services.now()));
      queue(ctx).kick();
      return p;
    },
  }),
  route({
    method: 'post',
    path: '/api/printers/:id/test',
    access: MANAGERS,
    tag: 'printing',
    summary: 'Print a test page: every accented letter and €, the code page, a ruler of the width',
    params: idParams,
    handler: async ({ params }, ctx) => {
      const printer = await getPrinter(ctx.db, params.id);
      const id = await queue(ctx).enqueue({
        printerId: printer.id,
        kind: 'test',
        subject: `printer:${printer.id}`,
        bytes: testPageBytes(printer),
        createdBy: requireUser(ctx).id,
      });
      return Reply.created({ jobId: id });
    },
  }),
  route({
    method: 'post',
    path: '/api/printers/:id/drawer',
    access: MANAGERS,
    tag: 'printing',
    summary: 'Open the cash drawer wired to this printer (logged)',
    params: idParams,
    handler: async ({ params }, ctx) => {
      const printer = await getPrinter(ctx.db, params.id);
      if (!printer.drawer) throw new Invalid({ field: 'id', reason: 'pas de tiroir-caisse sur cette imprimante' });
      const user = requireUser(ctx);
      const now = ctx.services.now();
      const id = await ctx.db.transaction().execute(async (trx) => {
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
      queue(ctx).kick();
      return Reply.created({ jobId: id });
    },
  }),
  route({
    method: 'get',
    path: '/api/print-jobs',
    access: MANAGERS,
    tag: 'printing',
    summary: 'The print queue, newest first: queued, printing, done, failed, cancelled, with attempts and the last error',
    query: printJobsQuery,
    handler: async ({ query }, ctx) => listJobs(ctx.db, query),
  }),
  route({
    method: 'post',
    path: '/api/print-jobs/:id/retry',
    access: MANAGERS,
    tag: 'printing',
    summary: 'Send a failed or waiting job again now',
    params: idParams,
    handler: async ({ params }, ctx) => {
      await queue(ctx).retry(params.id, requireUser(ctx).id);
      return Reply.noContent();
    },
  }),
  route({
    method: 'post',
    path: '/api/print-jobs/:id/cancel',
    access: MANAGERS,
    tag: 'printing',
    summary: 'Cancel a failed or waiting job',
    params: idParams,
    handler: async ({ params }, ctx) => {
      await queue(ctx).cancel(params.id, requireUser(ctx).id);
      return Reply.noContent();
    },
  }),
  route({
    method: 'get',
    path: '/api/printers/:id/attention',
    access: STAFF,
    tag: 'printing',
    summary:
      'Jobs of a printer someone must look at: given up after its retries (failed), or taken whole by the printer without its word that it printed (unconfirmed). A till sees its own printer',
    params: idParams,
    handler: async ({ params }, ctx) => {
      await printerInScope(ctx, params.id);
      return queue(ctx).attention(params.id);
    },
  }),
  route({
    method: 'post',
    path: '/api/print-jobs/:id/reprint',
    access: STAFF,
    tag: 'printing',
    summary:
      'Print a job again: a failed one is sent again; an unconfirmed one is printed marked as a reprint (a receipt as a numbered DUPLICATA) and settled',
    params: idParams,
    handler: async ({ params }, ctx) => {
      const job = await jobInScope(ctx, params.id);
      const userId = requireUser(ctx).id;
      if (job.status === 'failed') {
        await queue(ctx).retry(job.id, userId);
        return Reply.created({ jobId: job.id });
      }
      if (job.status !== 'unconfirmed' || job.resolved_at) throw new Conflict(`Impression ${job.id} : rien à réimprimer.`, 'status');
      const printer = await getPrinter(ctx.db, job.printer_id);
      const sale = job.kind === 'receipt' || job.kind === 'duplicate' ? /^sale:(.+)$/.exec(job.subject ?? '')?.[1] : undefined;
      const now = ctx.services.now();
      const bytes = sale
        ? await ctx.db.transaction().execute(async (trx) => {
            // A receipt is reprinted the legal way: DUPLICATA n, logged.
            const stored = await trx.selectFrom('sales').select(['id', 'number']).where('id', '=', sale).executeTakeFirstOrThrow();
            return duplicateBytes(trx, stored, printer, { origin: ctx.origin, userId, tillId: ctx.device?.tillId ?? null, now });
          })
        : reprintBytes(job.bytes, printer);
      return Reply.created({ jobId: await queue(ctx).reprintUnconfirmed(job.id, bytes, userId) });
    },
  }),
  route({
    method: 'post',
    path: '/api/print-jobs/:id/confirm',
    access: STAFF,
    tag: 'printing',
    summary: 'An unconfirmed job came out whole: settled as printed, nothing is sent',
    params: idParams,
    handler: async ({ params }, ctx) => {
      const job = await jobInScope(ctx, params.id);
      await queue(ctx).confirm(job.id, requireUser(ctx).id);
      return Reply.noContent();
    },
  }),
  route({
    method: 'post',
    path: '/api/print-jobs/:id/dismiss',
    access: STAFF,
    tag: 'printing',
    summary: 'A failed job is not wanted any more: cancelled, logged',
    params: idParams,
    handler: async ({ params }, ctx) => {
      const job = await jobInScope(ctx, params.id);
      await queue(ctx).cancel(job.id, requireUser(ctx).id);
      return Reply.noContent();
    },
  }),
];

/** Managers reach every printer; a till only its own receipt printer (anything else is "not found"). */
async function printerInScope(ctx: RequestContext, printerId: number) {
  const role = ctx.user?.role;
  if (role === 'admin' || role === 'manager') return getPrinter(ctx.db, printerId);
  const till = ctx.device
    ? await ctx.db.selectFrom('tills').select('printer_id').where('id', '=', ctx.device.tillId).executeTakeFirst()
    : undefined;
  if (!till || till.printer_id !== printerId) throw new NotFound('Imprimante');
  return getPrinter(ctx.db, printerId);
}

async function jobInScope(ctx: RequestContext, jobId: number) {
  const job = await queue(ctx).jobOf(jobId);
  await printerInScope(ctx, job.printer_id).catch(() => {
    throw new NotFound('Impression');
  });
  return job;
}
