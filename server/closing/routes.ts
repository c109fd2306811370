import { closeDayBody, closeMonthBody, closeYearBody, closingListQuery, xQuery } from '../../shared/api/closing.ts';
import { businessDay } from '../../shared/time.ts';
import { MANAGERS, requireUser } from '../http/access.ts';
import { idParams, Reply, route } from '../http/route.ts';
import { closeDay, closeMonth, closeYear, closingView, getClosing, xReport } from './closing.ts';
import { closingPdf } from './closing-pdf.ts';
import { isDemo, shopIdentity } from '../settings/settings.ts';

export const closingRoutes = [
  route({
    method: 'get',
    path: '/api/closings/x',
    access: MANAGERS,
    tag: 'closings',
    summary: 'X report: a business day’s figures so far (default today), not closed',
    query: xQuery,
    handler: async ({ query }, ctx) =>
      xReport(
        ctx.db,
        query.outlet,
        query.day ?? businessDay(ctx.services.now(), ctx.services.config.TZ_BUSINESS),
        ctx.services.config.TZ_BUSINESS,
      ),
  }),
  route({
    method: 'post',
    path: '/api/closings/day',
    access: MANAGERS,
    tag: 'closings',
    summary:
      'Daily closing (Z) of an outlet: totals by payment, VAT rate, producer; cash expected vs counted; chained. The day then takes no more tickets',
    body: closeDayBody,
    handler: async ({ body }, ctx) =>
      Reply.created(await closeDay(ctx.db, body, requireUser(ctx).id, ctx.services.now(), ctx.services.config.TZ_BUSINESS)),
  }),
  route({
    method: 'post',
    path: '/api/closings/month',
    access: MANAGERS,
    tag: 'closings',
    summary: 'Monthly closing, the sum of the month’s daily closings (every day with tickets must be closed)',
    body: closeMonthBody,
    handler: async ({ body }, ctx) =>
      Reply.created(await closeMonth(ctx.db, body, requireUser(ctx).id, ctx.services.now(), ctx.services.config.TZ_BUSINESS)),
  }),
  route({
    method: 'post',
    path: '/api/closings/year',
    access: MANAGERS,
    tag: 'closings',
    summary: 'Yearly closing, the sum of the year’s monthly closings',
    body: closeYearBody,
    handler: async ({ body }, ctx) =>
      Reply.created(await closeYear(ctx.db, body, requireUser(ctx).id, ctx.services.now(), ctx.services.config.TZ_BUSINESS)),
  }),
  route({
    method: 'get',
    path: '/api/closings',
    access: MANAGERS,
    tag: 'closings',
    summary: 'Closings, newest first',
    query: closingListQuery,
    handler: async ({ query }, ctx) => {
      let q = ctx.db.selectFrom('closings').innerJoin('outlets', 'outlets.id', 'closings.outlet_id').selectAll('closings');
      if (query.outlet) q = q.where('outlets.code', '=', query.outlet);
      if (query.kind) q = q.where('closings.kind', '=', query.kind);
      return (await q.orderBy('closings.id', 'desc').limit(query.limit).execute()).map(closingView);
    },
  }),
  // Before `/api/closings/:id`, which would take `12.pdf` for an id.
  route({
    method: 'get',
    path: '/api/closings/:id.pdf',
    access: MANAGERS,
    tag: 'closings',
    summary: 'A closing as an A4 PDF: the Z of a day (or a month’s, a year’s totals), with its place in the chain',
    params: idParams,
    handler: async ({ params }, ctx) => {
      const c = await getClosing(ctx.db, params.id);
      const outlet = await ctx.db.selectFrom('outlets').select(['name', 'code']).where('id', '=', c.outletId).executeTakeFirstOrThrow();
      const by = await ctx.db.selectFrom('users').select('display_name').where('id', '=', c.closedBy).executeTakeFirst();
      const tills = await ctx.db.selectFrom('tills').select(['id', 'name']).execute();
      const pdf = await closingPdf(c, {
        shop: await shopIdentity(ctx.db),
        outletName: outlet.name,
        closedByName: by?.display_name ?? '?',
        demo: await isDemo(ctx.db),
        tillNames: new Map(tills.map((t) => [t.id, t.name])),
      });
      return Reply.file(pdf, 'application/pdf', `cloture-${outlet.code}-${c.kind}-${c.period}.pdf`);
    },
  }),
  route({
    method: 'get',
    path: '/api/closings/:id',
    access: MANAGERS,
    tag: 'closings',
    summary: 'One closing with its figures',
    params: idParams,
    handler: async ({ params }, ctx) => getClosing(ctx.db, params.id),
  }),
];
