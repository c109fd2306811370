import { textileApi } from '../../shared/api/textile.ts';
import { siteOf } from '../sites/sites.ts';
import { requireUser } from '../auth/access.ts';
import { MANAGERS, TILL } from '../http/access.ts';
import { Reply, serve } from '../http/route.ts';
import { createModel, listModels, modelView } from './models.ts';

/** The textile shop's models (issue 22): made by the managers, read by the tills (the variant grid). */
export const textileRoutes = [
  serve(textileApi.models, {
    access: TILL,
    tag: 'textile',
    summary: 'The models made in sizes and colours, each with its grid of variants and their stock',
    handler: async (_, ctx) => listModels(ctx.db, await siteOf(ctx)),
  }),
  serve(textileApi.createModel, {
    access: MANAGERS,
    // A model's articles are the network's catalogue (server/catalog/routes.ts).
    network: true,
    tag: 'textile',
    summary: 'Create a model and its grid of variants (size × colour), each its own article with its barcode',
    handler: async ({ body }, ctx) => {
      const model = await createModel(ctx.db, body, requireUser(ctx).id, ctx.services.now());
      ctx.services.realtime?.catalogChanged(model.variants.map((v) => v.productId));
      return Reply.created(model);
    },
  }),
  serve(textileApi.model, {
    access: TILL,
    tag: 'textile',
    summary: 'A model: its sizes, colours and each variant’s article, barcode and stock',
    handler: async ({ params }, ctx) => modelView(ctx.db, params.id, await siteOf(ctx)),
  }),
];
