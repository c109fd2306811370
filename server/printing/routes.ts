import { printingApi } from '../../shared/api/printing.ts';
import { requireAccess, requireUser } from '../auth/access.ts';
import { MANAGERS, STAFF } from '../http/access.ts';
import { Reply, serve, type RequestContext } from '../http/route.ts';
import { listJobs } from './printers.ts';
import {
  addPrinter,
  changePrinter,
  confirmJob,
  dismissJob,
  jobsToCheck,
  openDrawer,
  printClosing,
  printersWithStatus,
  printLabels,
  printSlip,
  printTestPage,
  printXReport,
  reprintJob,
} from './printing.ts';
import type { PrintQueue } from './queue.ts';
import { siteOf, siteScope } from '../sites/sites.ts';

function queue(ctx: RequestContext): PrintQueue {
  if (!ctx.services.prints) throw new Error('print queue not started');
  return ctx.services.prints;
}

export const printingRoutes = [
  serve(printingApi.printX, {
    access: MANAGERS,
    tag: 'printing',
    summary: 'Print an X report (the day so far, not closed)',
    handler: async ({ body }, ctx) =>
      Reply.created(
        await printXReport(ctx.db, queue(ctx), ctx, body, { now: ctx.services.now(), timeZone: ctx.services.config.TZ_BUSINESS }),
      ),
  }),
  serve(printingApi.printClosing, {
    access: MANAGERS,
    tag: 'printing',
    summary: 'Print a closing (Z of a day; month and year closings print their totals the same way)',
    handler: async ({ params, body }, ctx) => Reply.created(await printClosing(ctx.db, queue(ctx), ctx, params.id, body)),
  }),
  serve(printingApi.printSlip, {
    access: MANAGERS,
    tag: 'printing',
    summary: 'Print a deposit or return slip for the producer to sign',
    handler: async ({ params, body }, ctx) => Reply.created(await printSlip(ctx.db, queue(ctx), ctx, params.id, body)),
  }),
  serve(printingApi.printLabels, {
    access: MANAGERS,
    tag: 'printing',
    summary: 'Print shelf labels with their EAN barcode on a receipt printer (one label per cut), the same content as the A4 sheets',
    handler: async ({ body }, ctx) => Reply.created(await printLabels(ctx.db, queue(ctx), ctx, body)),
  }),
  serve(printingApi.list, {
    access: MANAGERS,
    tag: 'printing',
    summary: 'Printers, with their state and how many jobs wait',
    handler: async (_, ctx) => printersWithStatus(ctx.db, queue(ctx), await siteOf(ctx)),
  }),
  serve(printingApi.create, {
    access: MANAGERS,
    tag: 'printing',
    summary: 'Add a printer: file:DIR, tcp://host:9100 or usb:VVVV:PPPP; 48 or 32 columns; PC858 or WPC1252',
    handler: async ({ body }, ctx) =>
      Reply.created(await addPrinter(ctx.db, ctx, body, ctx.services.now(), ctx.services.config.PRINTERS_LOCAL === 'on')),
  }),
  serve(printingApi.update, {
    access: MANAGERS,
    tag: 'printing',
    summary: 'Change a printer (address, width, code page, drawer, on/off)',
    handler: async ({ params, body }, ctx) => {
      const printer = await changePrinter(
        ctx.db,
        queue(ctx),
        ctx,
        params.id,
        body,
        ctx.services.now(),
        ctx.services.config.PRINTERS_LOCAL === 'on',
      );
      // Its outlet (so its site) may have changed: its state goes to that site's managers from now on.
      ctx.services.realtime?.placesChanged();
      return printer;
    },
  }),
  serve(printingApi.testPage, {
    access: MANAGERS,
    tag: 'printing',
    summary: 'Print a test page: every accented letter and €, the code page, a ruler of the width',
    handler: async ({ params }, ctx) => Reply.created(await printTestPage(ctx.db, queue(ctx), ctx, params.id)),
  }),
  serve(printingApi.openDrawer, {
    access: MANAGERS,
    tag: 'printing',
    summary: 'Open the cash drawer wired to this printer (logged)',
    handler: async ({ params }, ctx) => Reply.created(await openDrawer(ctx.db, queue(ctx), ctx, params.id, ctx.services.now())),
  }),
  serve(printingApi.jobs, {
    access: MANAGERS,
    tag: 'printing',
    summary: 'The print queue, newest first: queued, printing, done, failed, cancelled, with attempts and the last error',
    handler: async ({ query }, ctx) => listJobs(ctx.db, query, siteScope(ctx)),
  }),
  serve(printingApi.retry, {
    access: MANAGERS,
    tag: 'printing',
    summary: 'Send a failed or waiting job again now',
    handler: async ({ params }, ctx) => {
      await requireAccess(ctx.db, ctx, { printJob: params.id });
      await queue(ctx).retry(params.id, requireUser(ctx).id);
      return Reply.noContent();
    },
  }),
  serve(printingApi.cancel, {
    access: MANAGERS,
    tag: 'printing',
    summary: 'Cancel a failed or waiting job',
    handler: async ({ params }, ctx) => {
      await requireAccess(ctx.db, ctx, { printJob: params.id });
      await queue(ctx).cancel(params.id, requireUser(ctx).id);
      return Reply.noContent();
    },
  }),
  serve(printingApi.attention, {
    access: STAFF,
    tag: 'printing',
    summary:
      'Jobs of a printer someone must look at: given up after its retries (failed), or taken whole by the printer without its word that it printed (unconfirmed). A till sees its own printer',
    handler: async ({ params }, ctx) => jobsToCheck(ctx.db, queue(ctx), ctx, params.id),
  }),
  serve(printingApi.reprint, {
    access: STAFF,
    tag: 'printing',
    summary:
      'Print a job again: a failed one is sent again; an unconfirmed one is printed marked as a reprint (a receipt as a numbered DUPLICATA) and settled',
    handler: async ({ params }, ctx) =>
      Reply.created(await reprintJob(ctx.db, queue(ctx), ctx, params.id, { origin: ctx.origin, now: ctx.services.now() })),
  }),
  serve(printingApi.confirm, {
    access: STAFF,
    tag: 'printing',
    summary: 'An unconfirmed job came out whole: settled as printed, nothing is sent',
    handler: async ({ params }, ctx) => {
      await confirmJob(ctx.db, queue(ctx), ctx, params.id);
      return Reply.noContent();
    },
  }),
  serve(printingApi.dismiss, {
    access: STAFF,
    tag: 'printing',
    summary: 'A failed job is not wanted any more: cancelled, logged',
    handler: async ({ params }, ctx) => {
      await dismissJob(ctx.db, queue(ctx), ctx, params.id);
      return Reply.noContent();
    },
  }),
];
