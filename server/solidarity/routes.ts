import { solidarityApi } from '../../shared/api/solidarity.ts';
import { businessDay } from '../../shared/time.ts';
import { requireUser } from '../auth/access.ts';
import { Forbidden } from '../errors.ts';
import { MANAGERS, TILL } from '../http/access.ts';
import { Reply, serve, type RequestContext as Ctx } from '../http/route.ts';
import {
  addFunder,
  contribute,
  createHousehold,
  eraseHousehold,
  exportHousehold,
  fundView,
  householdCardPdf,
  listHouseholds,
  purgeExpiredHouseholds,
  lookupCard,
  setShares,
  sharesView,
  solidarityReport,
  solidarityReportCsv,
  solidarityReportPdf,
  updateHousehold,
} from './solidarity.ts';

/**
 * The households and the fund are the épicerie solidaire's: a manager tied to a site works them only if that
 * site has the épicerie (the back office shows the page there alone); the network's managers always. A site
 * without one read every household's card code and changed the fund's shares (found by an attack on a
 * running server, /tmp/rev18).
 */
function atTheEpicerie<I, O>(handler: (input: I, ctx: Ctx) => Promise<O>): (input: I, ctx: Ctx) => Promise<O> {
  return async (input, ctx) => {
    const siteId = requireUser(ctx).siteId;
    if (siteId !== null) {
      const epicerie = await ctx.db
        .selectFrom('outlets')
        .select('id')
        .where('site_id', '=', siteId)
        .where('kind', '=', 'epicerie')
        .executeTakeFirst();
      if (!epicerie) throw new Forbidden('Le tarif solidaire se gère au site de l’épicerie solidaire : le vôtre n’en a pas.');
    }
    return handler(input, ctx);
  };
}

const today = (ctx: Ctx) => businessDay(ctx.services.now(), ctx.services.config.TZ_BUSINESS);

/**
 * Solidarity prices (issue 22): the households and the fund are the managers' (the épicerie solidaire's
 * referent); a till only reads a card, and learns no more than the sale needs.
 */
export const solidarityRoutes = [
  serve(solidarityApi.households, {
    access: MANAGERS,
    tag: 'solidarity',
    summary:
      'The households at solidarity prices (no names), with what the fund paid for each this month; expired ones past the retention time are erased first',
    handler: atTheEpicerie(async (_, ctx) => listHouseholds(ctx.db, today(ctx), ctx.services.now())),
  }),
  serve(solidarityApi.createHousehold, {
    access: MANAGERS,
    tag: 'solidarity',
    summary: 'Register a household referred by a partner: a number and a card code, no name',
    handler: atTheEpicerie(async ({ body }, ctx) =>
      Reply.created(await createHousehold(ctx.db, body, requireUser(ctx).id, ctx.services.now(), today(ctx))),
    ),
  }),
  serve(solidarityApi.updateHousehold, {
    access: MANAGERS,
    tag: 'solidarity',
    summary: 'Change a household’s size, validity or monthly allowance',
    handler: atTheEpicerie(async ({ params, body }, ctx) =>
      updateHousehold(ctx.db, params.id, body, requireUser(ctx).id, ctx.services.now(), today(ctx)),
    ),
  }),
  serve(solidarityApi.exportHousehold, {
    access: MANAGERS,
    tag: 'solidarity',
    summary: 'Everything kept about a household (right of access): its record and its tickets’ shares',
    handler: atTheEpicerie(async ({ params }, ctx) => {
      await purgeExpiredHouseholds(ctx.db, today(ctx), ctx.services.now());
      return exportHousehold(ctx.db, params.id, today(ctx));
    }),
  }),
  serve(solidarityApi.eraseHousehold, {
    access: MANAGERS,
    tag: 'solidarity',
    summary: 'Erase a household on request: its record goes, its tickets stay whole and anonymous',
    handler: atTheEpicerie(async ({ params }, ctx) => {
      await eraseHousehold(ctx.db, params.id, requireUser(ctx).id, ctx.services.now());
      return Reply.noContent();
    }),
  }),
  serve(solidarityApi.card, {
    access: MANAGERS,
    tag: 'solidarity',
    summary: 'A household’s card to print: its number and its code as a QR code',
    handler: atTheEpicerie(async ({ params }, ctx) => {
      await purgeExpiredHouseholds(ctx.db, today(ctx), ctx.services.now());
      const { pdf, filename } = await householdCardPdf(ctx.db, params.id);
      return Reply.file(pdf, 'application/pdf', filename);
    }),
  }),
  serve(solidarityApi.lookup, {
    access: TILL,
    tag: 'solidarity',
    summary: 'A card shown at the till: valid today, what remains of its monthly allowance, the household’s shares',
    handler: async ({ params }, ctx) => {
      // Data past its retention time is gone before anything reads it.
      await purgeExpiredHouseholds(ctx.db, today(ctx), ctx.services.now());
      return lookupCard(ctx.db, params.code, today(ctx));
    },
  }),
  serve(solidarityApi.shares, {
    access: TILL,
    tag: 'solidarity',
    summary: 'The household’s share of the public price, by category, and the retention time',
    handler: async (_, ctx) => sharesView(ctx.db),
  }),
  serve(solidarityApi.setShares, {
    access: MANAGERS,
    tag: 'solidarity',
    summary: 'Set the household’s share of the public price, by category, and the retention time',
    handler: atTheEpicerie(async ({ body }, ctx) => setShares(ctx.db, body, requireUser(ctx).id, ctx.services.now())),
  }),
  serve(solidarityApi.fund, {
    access: MANAGERS,
    tag: 'solidarity',
    summary: 'The solidarity fund: its funders, what they gave, what it paid, its balance',
    handler: atTheEpicerie(async (_, ctx) => fundView(ctx.db)),
  }),
  serve(solidarityApi.addFunder, {
    access: MANAGERS,
    tag: 'solidarity',
    summary: 'Add a funder of the solidarity fund',
    handler: atTheEpicerie(async ({ body }, ctx) =>
      Reply.created(await addFunder(ctx.db, body.name, requireUser(ctx).id, ctx.services.now())),
    ),
  }),
  serve(solidarityApi.contribute, {
    access: MANAGERS,
    tag: 'solidarity',
    summary: 'Record a funder’s contribution to the fund',
    handler: atTheEpicerie(async ({ body }, ctx) => Reply.created(await contribute(ctx.db, body, requireUser(ctx).id, ctx.services.now()))),
  }),
  serve(solidarityApi.report, {
    access: MANAGERS,
    tag: 'solidarity',
    summary: 'The funders’ month, anonymous: households served, items and € by category, the fund’s balance',
    handler: atTheEpicerie(async ({ query }, ctx) => solidarityReport(ctx.db, query.month)),
  }),
  serve(solidarityApi.reportCsv, {
    access: MANAGERS,
    tag: 'solidarity',
    summary: 'The funders’ month as CSV for French spreadsheets',
    handler: atTheEpicerie(async ({ query }, ctx) =>
      Reply.file(
        solidarityReportCsv(await solidarityReport(ctx.db, query.month)),
        'text/csv; charset=utf-8',
        `tarif-solidaire-${query.month}.csv`,
      ),
    ),
  }),
  serve(solidarityApi.reportPdf, {
    access: MANAGERS,
    tag: 'solidarity',
    summary: 'The funders’ month as a PDF',
    handler: atTheEpicerie(async ({ query }, ctx) =>
      Reply.file(
        await solidarityReportPdf(ctx.db, await solidarityReport(ctx.db, query.month)),
        'application/pdf',
        `tarif-solidaire-${query.month}.pdf`,
      ),
    ),
  }),
];
