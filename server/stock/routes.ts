import { countBody, lossBody, movementsQuery, slipBody, slipListQuery, stockQuery } from '../../shared/api/stock.ts';
import { MANAGERS, requireUser, scopeOf } from '../http/access.ts';
import { idParams, Reply, route, type RequestContext } from '../http/route.ts';

/** Once committed, the new levels go out to tills, managers and owners. */
function announced<T>(ctx: RequestContext, lines: readonly { productId: number }[], reply: T): T {
  void ctx.services.realtime?.stockChanged(lines.map((l) => l.productId));
  return reply;
}
import { slipPdfOf } from '../settlement/slip.ts';
import { kitchenUseBody } from '../../shared/api/settlement.ts';
import { getSlip, listSlips, recordKitchenUse, productMovements, recordCount, recordLosses, recordSlip, stockOnHand } from './ledger.ts';

export const stockRoutes = [
  route({
    method: 'get',
    path: '/api/stock',
    access: [...MANAGERS, 'producer'],
    tag: 'stock',
    summary:
      'Stock on hand of every tracked product (pieces, or grams for weighed goods), low-stock flags, goods unsold for N days; a producer sees only their own',
    query: stockQuery,
    handler: async ({ query }, ctx) => stockOnHand(ctx.db, query, scopeOf(ctx), ctx.services.now()),
  }),
  route({
    method: 'get',
    path: '/api/products/:id/movements',
    access: [...MANAGERS, 'producer'],
    tag: 'stock',
    summary: 'The stock ledger of one product, newest first',
    params: idParams,
    query: movementsQuery,
    handler: async ({ params, query }, ctx) => productMovements(ctx.db, params.id, query, scopeOf(ctx)),
  }),
  route({
    method: 'post',
    path: '/api/stock/deposits',
    access: MANAGERS,
    tag: 'stock',
    summary: 'Record a deposit slip (bon de dépôt): one delivery by one producer, one movement per line',
    body: slipBody,
    handler: async ({ body }, ctx) =>
      announced(
        ctx,
        body.lines,
        Reply.created(
          await ctx.db.transaction().execute((trx) => recordSlip(trx, 'deposit', body, requireUser(ctx).id, ctx.services.now())),
        ),
      ),
  }),
  route({
    method: 'post',
    path: '/api/stock/returns',
    access: MANAGERS,
    tag: 'stock',
    summary: 'Record goods taken back by their producer (reprise), as a numbered return slip',
    body: slipBody,
    handler: async ({ body }, ctx) =>
      announced(
        ctx,
        body.lines,
        Reply.created(
          await ctx.db.transaction().execute((trx) => recordSlip(trx, 'return', body, requireUser(ctx).id, ctx.services.now())),
        ),
      ),
  }),
  route({
    method: 'post',
    path: '/api/stock/losses',
    access: MANAGERS,
    tag: 'stock',
    summary: 'Record losses (breakage, past use-by date, theft)',
    body: lossBody,
    handler: async ({ body }, ctx) =>
      announced(
        ctx,
        body.lines,
        Reply.created(await ctx.db.transaction().execute((trx) => recordLosses(trx, body, requireUser(ctx).id, ctx.services.now()))),
      ),
  }),
  route({
    method: 'post',
    path: '/api/stock/kitchen',
    access: [...MANAGERS, 'waiter'],
    tag: 'stock',
    summary: 'Record goods the restaurant takes from the shelves to cook (paid to their producer at the shelf price)',
    body: kitchenUseBody,
    handler: async ({ body }, ctx) =>
      announced(
        ctx,
        body.lines,
        Reply.created(await ctx.db.transaction().execute((trx) => recordKitchenUse(trx, body, requireUser(ctx).id, ctx.services.now()))),
      ),
  }),
  route({
    method: 'get',
    path: '/api/stock/slips/:id.pdf',
    access: [...MANAGERS, 'producer'],
    tag: 'stock',
    summary: 'A deposit or return slip as a printable A4 PDF, with room for both signatures',
    params: idParams,
    handler: async ({ params }, ctx) => {
      const { pdf, filename } = await slipPdfOf(ctx.db, params.id, scopeOf(ctx));
      return Reply.file(pdf, 'application/pdf', filename);
    },
  }),
  route({
    method: 'post',
    path: '/api/stock/counts',
    access: MANAGERS,
    tag: 'stock',
    summary: 'Record an inventory count: each line moves stock by the difference with the ledger',
    body: countBody,
    handler: async ({ body }, ctx) =>
      announced(
        ctx,
        body.lines,
        Reply.created(await ctx.db.transaction().execute((trx) => recordCount(trx, body, requireUser(ctx).id, ctx.services.now()))),
      ),
  }),
  route({
    method: 'get',
    path: '/api/stock/slips',
    access: [...MANAGERS, 'producer'],
    tag: 'stock',
    summary: 'Deposit and return slips, newest first; a producer sees only their own',
    query: slipListQuery,
    handler: async ({ query }, ctx) => listSlips(ctx.db, query, scopeOf(ctx)),
  }),
  route({
    method: 'get',
    path: '/api/stock/slips/:id',
    access: [...MANAGERS, 'producer'],
    tag: 'stock',
    summary: 'One slip with its lines',
    params: idParams,
    handler: async ({ params }, ctx) => getSlip(ctx.db, params.id, scopeOf(ctx)),
  }),
];
