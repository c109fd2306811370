import { printerBody, printerPatch, printJobsQuery } from '../../shared/api/printing.ts';
import { Invalid } from '../errors.ts';
import { recordEvent } from '../events/event-log.ts';
import { MANAGERS, requireUser } from '../http/access.ts';
import { idParams, Reply, route, type RequestContext } from '../http/route.ts';
import { drawerBytes, testPageBytes } from './documents.ts';
import { createPrinter, getPrinter, listJobs, listPrinters, updatePrinter } from './printers.ts';
import { PrintQueue } from './queue.ts';

function queue(ctx: RequestContext): PrintQueue {
  if (!ctx.services.prints) throw new Error('print queue not started');
  return ctx.services.prints;
}

export const printingRoutes = [
  route({
    method: 'get',
    path: '/api/printers',
    access: MANAGERS,
    tag: 'printing',
    summary: 'Printers, with their state and how many jobs wait',
    handler: async (_, ctx) => Promise.all((await listPrinters(ctx.db)).map(async (p) => ({ ...p, status: await queue(ctx).status(p.id) }))),
  }),
  route({
    method: 'post',
    path: '/api/printers',
    access: MANAGERS,
    tag: 'printing',
    summary: 'Add a printer: file:DIR, tcp://host:9100 or usb:VVVV:PPPP; 48 or 32 columns; PC858 or WPC1252',
    body: printerBody,
    handler: async ({ body }, ctx) => Reply.created(await ctx.db.transaction().execute((trx) => createPrinter(trx, body, requireUser(ctx).id, ctx.services.now()))),
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
      const id = await queue(ctx).enqueue({ printerId: printer.id, kind: 'test', subject: `printer:${printer.id}`, bytes: testPageBytes(printer), createdBy: requireUser(ctx).id });
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
        await recordEvent(trx, { kind: 'drawer.opened', userId: user.id, subject: `printer:${printer.id}`, data: { reason: 'manager' }, at: now.toISOString() });
        return PrintQueue.add(trx, { printerId: printer.id, kind: 'drawer', subject: `printer:${printer.id}`, bytes: drawerBytes(), createdBy: user.id }, now);
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
      await queue(ctx).retry(params.id);
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
      await queue(ctx).cancel(params.id);
      return Reply.noContent();
    },
  }),
];
