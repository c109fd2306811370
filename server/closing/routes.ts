import { applyAging } from '../ressourcerie/ressourcerie.ts';
import { closingApi } from '../../shared/api/closing.ts';
import { businessDay } from '../../shared/time.ts';
import { requireUser } from '../auth/access.ts';
import { MANAGERS } from '../http/access.ts';
import { Reply, serve } from '../http/route.ts';
import { closeDay, closeMonth, closeYear, getClosing, listClosings, xReport } from './closing.ts';
import { closingDocument } from './closing-pdf.ts';
import { flushJournal } from '../journal/fiscal.ts';
import { requireOutletReach, siteOf } from '../sites/sites.ts';

export const closingRoutes = [
  serve(closingApi.x, {
    access: MANAGERS,
    tag: 'closings',
    summary: 'X report: a business day’s figures so far (default today), not closed',
    handler: async ({ query }, ctx) =>
      xReport(
        ctx.db,
        query.outlet,
        query.day ?? businessDay(ctx.services.now(), ctx.services.config.TZ_BUSINESS),
        ctx.services.config.TZ_BUSINESS,
        await siteOf(ctx),
      ),
  }),
  serve(closingApi.closeDay, {
    access: MANAGERS,
    tag: 'closings',
    summary:
      'Daily closing (Z) of an outlet: totals by payment, VAT rate, producer; the drawer (float, cash in and out) and cash expected vs counted; chained. The day then takes no more tickets (they go to the next day): closing today needs `confirmEarly`',
    handler: async ({ body }, ctx) => {
      const siteId = await siteOf(ctx);
      const closing = await closeDay(ctx.db, { ...body, siteId }, requireUser(ctx).id, ctx.services.now(), ctx.services.config.TZ_BUSINESS);
      // The Z signed (and every chain's head with it) and witnessed before it is answered.
      await flushJournal(ctx.services, { all: true });
      ctx.services.realtime?.dayClosed(closing.outletId, closing.period);
      // The ressourcerie's evening: its unsold items age (marked down, then recycled by weight) for tomorrow.
      if (body.outlet === 'ressourcerie') {
        const aged = await applyAging(
          ctx.db,
          businessDay(ctx.services.now(), ctx.services.config.TZ_BUSINESS),
          requireUser(ctx).id,
          ctx.services.now(),
          siteId,
        );
        if (aged.markedDown || aged.recycled) ctx.services.realtime?.catalogChanged([]);
      }
      return Reply.created(closing);
    },
  }),
  serve(closingApi.closeMonth, {
    access: MANAGERS,
    tag: 'closings',
    summary: 'Monthly closing, the sum of the month’s daily closings (every day with tickets must be closed)',
    handler: async ({ body }, ctx) => {
      const closing = await closeMonth(
        ctx.db,
        { ...body, siteId: await siteOf(ctx) },
        requireUser(ctx).id,
        ctx.services.now(),
        ctx.services.config.TZ_BUSINESS,
      );
      await flushJournal(ctx.services, { all: true });
      return Reply.created(closing);
    },
  }),
  serve(closingApi.closeYear, {
    access: MANAGERS,
    tag: 'closings',
    summary: 'Yearly closing, the sum of the year’s monthly closings',
    handler: async ({ body }, ctx) => {
      const closing = await closeYear(
        ctx.db,
        { ...body, siteId: await siteOf(ctx) },
        requireUser(ctx).id,
        ctx.services.now(),
        ctx.services.config.TZ_BUSINESS,
      );
      await flushJournal(ctx.services, { all: true });
      return Reply.created(closing);
    },
  }),
  serve(closingApi.list, {
    access: MANAGERS,
    tag: 'closings',
    summary: 'Closings, newest first',
    handler: async ({ query }, ctx) => listClosings(ctx.db, query, await siteOf(ctx)),
  }),
  // Before `/api/closings/:id`, which would take `12.pdf` for an id.
  serve(closingApi.pdf, {
    access: MANAGERS,
    tag: 'closings',
    summary: 'A closing as an A4 PDF: the Z of a day (or a month’s, a year’s totals), with its place in the chain',
    handler: async ({ params }, ctx) => {
      await requireOutletReach(ctx, (await getClosing(ctx.db, params.id)).outletId, 'Clôture');
      const { pdf, filename } = await closingDocument(ctx.db, params.id);
      return Reply.file(pdf, 'application/pdf', filename);
    },
  }),
  serve(closingApi.get, {
    access: MANAGERS,
    tag: 'closings',
    summary: 'One closing with its figures',
    handler: async ({ params }, ctx) => {
      const closing = await getClosing(ctx.db, params.id);
      await requireOutletReach(ctx, closing.outletId, 'Clôture');
      return closing;
    },
  }),
];
