import { stockApi } from '../../shared/api/stock.ts';
import { producerScope } from '../auth/access.ts';
import { MANAGERS } from '../http/access.ts';
import { siteOf, siteScope } from '../sites/sites.ts';
import { Reply, serve, type RequestContext } from '../http/route.ts';
import { getSlip, listSlips, productMovements, stockOnHand, transferSites } from './ledger.ts';
import { countStock, sendToSite, slipDocument, takeForKitchen, takeSlip, writeOffLosses } from './stock.ts';

/** Once committed, the new levels go out to tills, managers and owners. */
function announced<T>(ctx: RequestContext, lines: readonly { productId: number }[], reply: T): T {
  void ctx.services.realtime?.stockChanged(lines.map((l) => l.productId));
  return reply;
}

export const stockRoutes = [
  serve(stockApi.onHand, {
    access: [...MANAGERS, 'producer'],
    tag: 'stock',
    summary:
      'Stock on hand of every tracked product (pieces, or grams for weighed goods), low-stock flags, goods unsold for N days; a producer sees only their own',
    // Managers see the stock of the site they work at; a producer sees theirs at every site.
    handler: async ({ query }, ctx) =>
      stockOnHand(ctx.db, query, producerScope(ctx), ctx.services.now(), ctx.user?.role === 'producer' ? null : await siteOf(ctx)),
  }),
  serve(stockApi.movements, {
    access: [...MANAGERS, 'producer'],
    tag: 'stock',
    summary: 'The stock ledger of one product, newest first',
    handler: async ({ params, query }, ctx) => productMovements(ctx.db, params.id, query, producerScope(ctx), siteScope(ctx)),
  }),
  serve(stockApi.deposit, {
    access: MANAGERS,
    tag: 'stock',
    summary: 'Record a deposit slip (bon de dépôt): one delivery by one producer, one movement per line',
    handler: async ({ body }, ctx) =>
      announced(ctx, body.lines, Reply.created(await takeSlip(ctx.db, ctx, 'deposit', body, ctx.services.now()))),
  }),
  serve(stockApi.return, {
    access: MANAGERS,
    tag: 'stock',
    summary: 'Record goods taken back by their producer (reprise), as a numbered return slip',
    handler: async ({ body }, ctx) =>
      announced(ctx, body.lines, Reply.created(await takeSlip(ctx.db, ctx, 'return', body, ctx.services.now()))),
  }),
  serve(stockApi.transfer, {
    access: MANAGERS,
    tag: 'stock',
    summary:
      'Send a producer’s goods from the site worked at to another site, as a numbered transfer slip (bon de transfert): out of one shelf, onto the other',
    handler: async ({ body }, ctx) => announced(ctx, body.lines, Reply.created(await sendToSite(ctx.db, ctx, body, ctx.services.now()))),
  }),
  serve(stockApi.transferSites, {
    access: MANAGERS,
    tag: 'stock',
    summary: 'Where goods can be sent from the site worked at: the network’s other open sites (a manager tied to a site included)',
    handler: async (_, ctx) => transferSites(ctx.db, await siteOf(ctx)),
  }),
  serve(stockApi.losses, {
    access: MANAGERS,
    tag: 'stock',
    summary: 'Record losses (breakage, past use-by date, theft)',
    handler: async ({ body }, ctx) =>
      announced(ctx, body.lines, Reply.created(await writeOffLosses(ctx.db, ctx, body, ctx.services.now()))),
  }),
  serve(stockApi.kitchen, {
    access: [...MANAGERS, 'waiter'],
    tag: 'stock',
    summary: 'Record goods the restaurant takes from the shelves to cook (paid to their producer at the shelf price)',
    handler: async ({ body }, ctx) =>
      announced(
        ctx,
        body.lines,
        Reply.created(await takeForKitchen(ctx.db, ctx, body, ctx.services.now(), ctx.services.config.TZ_BUSINESS)),
      ),
  }),
  serve(stockApi.slipPdf, {
    access: [...MANAGERS, 'producer'],
    tag: 'stock',
    summary: 'A deposit or return slip as a printable A4 PDF, with room for both signatures',
    handler: async ({ params }, ctx) => {
      const { pdf, filename } = await slipDocument(ctx.db, ctx, params.id);
      return Reply.file(pdf, 'application/pdf', filename);
    },
  }),
  serve(stockApi.count, {
    access: MANAGERS,
    tag: 'stock',
    summary: 'Record an inventory count: each line moves stock by the difference with the ledger',
    handler: async ({ body }, ctx) => announced(ctx, body.lines, Reply.created(await countStock(ctx.db, ctx, body, ctx.services.now()))),
  }),
  serve(stockApi.slips, {
    access: [...MANAGERS, 'producer'],
    tag: 'stock',
    summary: 'Deposit and return slips, newest first; a producer sees only their own',
    handler: async ({ query }, ctx) => listSlips(ctx.db, query, producerScope(ctx), siteScope(ctx)),
  }),
  serve(stockApi.slip, {
    access: [...MANAGERS, 'producer'],
    tag: 'stock',
    summary: 'One slip with its lines',
    handler: async ({ params }, ctx) => getSlip(ctx.db, params.id, producerScope(ctx), siteScope(ctx)),
  }),
];
