import { sitesApi } from '../../shared/api/sites.ts';
import { requireUser } from '../auth/access.ts';
import { NotFound } from '../errors.ts';
import { MANAGERS } from '../http/access.ts';
import { Reply, serve, type RequestContext } from '../http/route.ts';
import { createSite, listSitePrices, listSites, networkReport, setSitePrice, siteScope, updateSite } from './sites.ts';

/** A manager tied to a site reaches that site only; another is "not found". */
function requireSite(ctx: RequestContext, siteId: number) {
  const scope = siteScope(ctx);
  if (scope !== null && scope !== siteId) throw new NotFound('Site');
}

export const siteRoutes = [
  serve(sitesApi.list, {
    access: MANAGERS,
    tag: 'sites',
    summary: 'The sites of the network with their outlets; a manager tied to a site sees that one',
    handler: async (_, ctx) => listSites(ctx.db, siteScope(ctx)),
  }),
  serve(sitesApi.create, {
    access: MANAGERS,
    network: true,
    tag: 'sites',
    summary: 'Open a site with its counters (outlets); they sell the network’s catalogue, tills are added after',
    handler: async ({ body }, ctx) => {
      const user = requireUser(ctx);
      const now = ctx.services.now();
      return Reply.created(await ctx.db.transaction().execute((trx) => createSite(trx, body, user.id, now)));
    },
  }),
  serve(sitesApi.update, {
    access: MANAGERS,
    network: true,
    tag: 'sites',
    summary: 'Rename a site, or close it (the first site stays open)',
    handler: async ({ params, body }, ctx) => {
      const user = requireUser(ctx);
      const now = ctx.services.now();
      return ctx.db.transaction().execute((trx) => updateSite(trx, params.id, body, user.id, now));
    },
  }),
  serve(sitesApi.prices, {
    access: MANAGERS,
    tag: 'sites',
    summary: 'The products a site sells at its own price, with the network’s',
    handler: async ({ params }, ctx) => {
      requireSite(ctx, params.id);
      return listSitePrices(ctx.db, params.id);
    },
  }),
  serve(sitesApi.setPrice, {
    access: MANAGERS,
    tag: 'sites',
    summary: 'Set a product’s price at one site (null: back to the network’s price), from now, kept in its history',
    handler: async ({ params, body }, ctx) => {
      requireSite(ctx, params.id);
      const user = requireUser(ctx);
      const now = ctx.services.now();
      const out = await ctx.db
        .transaction()
        .execute((trx) => setSitePrice(trx, params.id, params.productId, body.priceCents, user.id, now));
      ctx.services.realtime?.catalogChanged([params.productId]);
      return out;
    },
  }),
  serve(sitesApi.report, {
    access: MANAGERS,
    tag: 'sites',
    summary: 'Takings, tickets, consignment sold and stock value per site and outlet over some days (the network, or one’s own site)',
    handler: async ({ query }, ctx) => networkReport(ctx.db, query.from, query.to, siteScope(ctx)),
  }),
];
