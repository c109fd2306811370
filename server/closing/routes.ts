import { closeDayBody, closeMonthBody, closeYearBody, closingListQuery, xQuery } from '../../shared/api/closing.ts';
import { businessDay } from '../../shared/time.ts';
import { MANAGERS, requireUser } from '../http/access.ts';
import { idParams, Reply, route } from '../http/route.ts';
import { closeDay, closeMonth, closeYear, closingView, getClosing, xReport } from './closing.ts';

export const closingRoutes = [
  route({
    method: 'get',
    path: '/api/closings/x',
    access: MANAGERS,
    tag: 'closings',
    summary: 'X report: a business day’s figures so far (default today), not closed',
    query: xQuery,
    handler: async ({ query }, ctx) => xReport(ctx.db, query.outlet, query.day ?? businessDay(ctx.services.now(), ctx.services.config.TZ_BUSINESS), ctx.services.config.TZ_BUSINESS),
  }),
  route({
    method: 'post',
    path: '/api/closings/day',
    access: MANAGERS,
    tag: 'closings',
    summary: 'Daily closing (Z) of an outlet: totals by payment, VAT rate, producer; cash expected vs counted; chained. The day then takes no more tickets',
    body: closeDayBody,
    handler: async ({ body }, ctx) => Reply.created(await closeDay(ctx.db, body, requireUser(ctx).id, ctx.services.now(), ctx.services.config.TZ_BUSINESS)),
  }),
  route({
    method: 'post',
    path: '/api/closings/month',
    access: MANAGERS,
    tag: 'closings',
    summary: 'Monthly closing, the sum of the month’s daily closings (every day with tickets must be closed)',
    body: closeMonthBody,
    handler: async ({ body }, ctx) => Reply.created(await closeMonth(ctx.db, body, requireUser(ctx).id, ctx.services.now(), ctx.services.config.TZ_BUSINESS)),
  }),
  route({
    method: 'post',
    path: '/api/closings/year',
    access: MANAGERS,
    tag: 'closings',
    summary: 'Yearly closing, the sum of the year’s monthly closings',
    body: closeYearBody,
    handler: async ({ body }, ctx) => Reply.created(await closeYear(ctx.db, body, requireUser(ctx).id, ctx.services.now(), ctx.services.config.TZ_BUSINESS)),
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
