import { ressourcerieApi } from '../../shared/api/ressourcerie.ts';
import { businessDay } from '../../shared/time.ts';
import { requireUser } from '../auth/access.ts';
import { NotFound } from '../errors.ts';
import { MANAGERS, STAFF, TILL } from '../http/access.ts';
import { Reply, serve, type RequestContext as Ctx } from '../http/route.ts';
import { siteOf, siteScope } from '../sites/sites.ts';
import {
  applyAging,
  donorReceiptPdf,
  getItemByCode,
  listItems,
  recordIntake,
  recordOutflow,
  tonnage,
  tonnageCsv,
  tonnagePdf,
} from './ressourcerie.ts';

const today = (ctx: Ctx) => businessDay(ctx.services.now(), ctx.services.config.TZ_BUSINESS);

/**
 * The ressourcerie (issue 22): intake by the staff at the counter, reports by the managers, a label read by any till.
 * Each site's its own (issue 23): donations, objects on sale, outflows and tonnage are the site's the request works at.
 */
export const ressourcerieRoutes = [
  serve(ressourcerieApi.intake, {
    access: STAFF,
    tag: 'ressourcerie',
    summary: 'A donation weighed by stream, and the items priced from it (each its own article and label)',
    handler: async ({ body }, ctx) => {
      const intake = await recordIntake(ctx.db, body, requireUser(ctx).id, ctx.services.now(), today(ctx), await siteOf(ctx));
      ctx.services.realtime?.catalogChanged(intake.items.map((i) => i.productId));
      return Reply.created(intake);
    },
  }),
  serve(ressourcerieApi.receipt, {
    access: STAFF,
    tag: 'ressourcerie',
    summary: 'The donor’s receipt: what was given, by stream and weight',
    handler: async ({ params }, ctx) => {
      // The donor's name is on it: a manager's, or the one who took the donation.
      // A manager tied to a site, that site's donations only.
      const user = requireUser(ctx);
      const intake = await ctx.db
        .selectFrom('reuse_intakes')
        .select(['created_by', 'site_id'])
        .where('id', '=', params.id)
        .executeTakeFirst();
      const scope = siteScope(ctx);
      if (!intake || (scope !== null && intake.site_id !== scope)) throw new NotFound('Don');
      if (user.role !== 'manager' && user.role !== 'admin' && intake.created_by !== user.id) throw new NotFound('Don');
      const { pdf, filename } = await donorReceiptPdf(ctx.db, params.id);
      return Reply.file(pdf, 'application/pdf', filename);
    },
  }),
  serve(ressourcerieApi.items, {
    access: MANAGERS,
    tag: 'ressourcerie',
    summary: 'The one-off items, newest first (unsold ones aged first: marked down, then recycled)',
    handler: async ({ query }, ctx) => {
      const site = await siteOf(ctx);
      const aged = await applyAging(ctx.db, today(ctx), requireUser(ctx).id, ctx.services.now(), site);
      if (aged.markedDown || aged.recycled) ctx.services.realtime?.catalogChanged([]);
      return listItems(ctx.db, query.status, site);
    },
  }),
  serve(ressourcerieApi.item, {
    access: TILL,
    tag: 'ressourcerie',
    summary: 'An item by its label: on sale, or sold (when), or recycled — what a till says of a label scanned again',
    // A till asks of its site's objects, a manager tied to a site of that site's.
    handler: async ({ params }, ctx) => getItemByCode(ctx.db, params.code, siteScope(ctx) ?? (ctx.device ? await siteOf(ctx) : null)),
  }),
  serve(ressourcerieApi.aging, {
    access: MANAGERS,
    tag: 'ressourcerie',
    summary: 'Age the unsold items now: mark down those unsold for the set weeks, send the oldest to recycling by weight',
    handler: async (_, ctx) => {
      const aged = await applyAging(ctx.db, today(ctx), requireUser(ctx).id, ctx.services.now(), await siteOf(ctx));
      ctx.services.realtime?.catalogChanged([]);
      return aged;
    },
  }),
  serve(ressourcerieApi.outflow, {
    access: MANAGERS,
    tag: 'ressourcerie',
    summary: 'Weight sent to recycling or discarded without being sold item by item',
    handler: async ({ body }, ctx) => {
      await recordOutflow(ctx.db, body, requireUser(ctx).id, ctx.services.now(), today(ctx), await siteOf(ctx));
      return Reply.created({ ok: true as const });
    },
  }),
  serve(ressourcerieApi.tonnage, {
    access: MANAGERS,
    tag: 'ressourcerie',
    summary: 'The month’s tonnage per stream: collected, sold for reuse, recycled, discarded',
    handler: async ({ query }, ctx) => tonnage(ctx.db, query.month, await siteOf(ctx)),
  }),
  serve(ressourcerieApi.tonnageCsv, {
    access: MANAGERS,
    tag: 'ressourcerie',
    summary: 'The month’s tonnage as CSV',
    handler: async ({ query }, ctx) =>
      Reply.file(
        tonnageCsv(await tonnage(ctx.db, query.month, await siteOf(ctx))),
        'text/csv; charset=utf-8',
        `tonnages-${query.month}.csv`,
      ),
  }),
  serve(ressourcerieApi.tonnagePdf, {
    access: MANAGERS,
    tag: 'ressourcerie',
    summary: 'The month’s tonnage as a PDF',
    handler: async ({ query }, ctx) =>
      Reply.file(
        await tonnagePdf(ctx.db, await tonnage(ctx.db, query.month, await siteOf(ctx))),
        'application/pdf',
        `tonnages-${query.month}.pdf`,
      ),
  }),
];
