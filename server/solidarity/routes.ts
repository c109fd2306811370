import { solidarityApi } from '../../shared/api/solidarity.ts';
import { businessDay } from '../../shared/time.ts';
import { requireUser } from '../auth/access.ts';
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
    handler: async (_, ctx) => listHouseholds(ctx.db, today(ctx), ctx.services.now()),
  }),
  serve(solidarityApi.createHousehold, {
    access: MANAGERS,
    tag: 'solidarity',
    summary: 'Register a household referred by a partner: a number and a card code, no name',
    handler: async ({ body }, ctx) =>
      Reply.created(await createHousehold(ctx.db, body, requireUser(ctx).id, ctx.services.now(), today(ctx))),
  }),
  serve(solidarityApi.updateHousehold, {
    access: MANAGERS,
    tag: 'solidarity',
    summary: 'Change a household’s size, validity or monthly allowance',
    handler: async ({ params, body }, ctx) => updateHousehold(ctx.db, params.id, body, requireUser(ctx).id, ctx.services.now(), today(ctx)),
  }),
  serve(solidarityApi.exportHousehold, {
    access: MANAGERS,
    tag: 'solidarity',
    summary: 'Everything kept about a household (right of access): its record and its tickets’ shares',
    handler: async ({ params }, ctx) => {
      await purgeExpiredHouseholds(ctx.db, today(ctx), ctx.services.now());
      return exportHousehold(ctx.db, params.id, today(ctx));
    },
  }),
  serve(solidarityApi.eraseHousehold, {
    access: MANAGERS,
    tag: 'solidarity',
    summary: 'Erase a household on request: its record goes, its tickets stay whole and anonymous',
    handler: async ({ params }, ctx) => {
      await eraseHousehold(ctx.db, params.id, requireUser(ctx).id, ctx.services.now());
      return Reply.noContent();
    },
  }),
  serve(solidarityApi.card, {
    access: MANAGERS,
    tag: 'solidarity',
    summary: 'A household’s card to print: its number and its code as a QR code',
    handler: async ({ params }, ctx) => {
      await purgeExpiredHouseholds(ctx.db, today(ctx), ctx.services.now());
      const { pdf, filename } = await householdCardPdf(ctx.db, params.id);
      return Reply.file(pdf, 'application/pdf', filename);
    },
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
    handler: async ({ body }, ctx) => setShares(ctx.db, body, requireUser(ctx).id, ctx.services.now()),
  }),
  serve(solidarityApi.fund, {
    access: MANAGERS,
    tag: 'solidarity',
    summary: 'The solidarity fund: its funders, what they gave, what it paid, its balance',
    handler: async (_, ctx) => fundView(ctx.db),
  }),
  serve(solidarityApi.addFunder, {
    access: MANAGERS,
    tag: 'solidarity',
    summary: 'Add a funder of the solidarity fund',
    handler: async ({ body }, ctx) => Reply.created(await addFunder(ctx.db, body.name, requireUser(ctx).id, ctx.services.now())),
  }),
  serve(solidarityApi.contribute, {
    access: MANAGERS,
    tag: 'solidarity',
    summary: 'Record a funder’s contribution to the fund',
    handler: async ({ body }, ctx) => Reply.created(await contribute(ctx.db, body, requireUser(ctx).id, ctx.services.now())),
  }),
  serve(solidarityApi.report, {
    access: MANAGERS,
    tag: 'solidarity',
    summary: 'The funders’ month, anonymous: households served, items and € by category, the fund’s balance',
    handler: async ({ query }, ctx) => solidarityReport(ctx.db, query.month),
  }),
  serve(solidarityApi.reportCsv, {
    access: MANAGERS,
    tag: 'solidarity',
    summary: 'The funders’ month as CSV for French spreadsheets',
    handler: async ({ query }, ctx) =>
      Reply.file(
        solidarityReportCsv(await solidarityReport(ctx.db, query.month)),
        'text/csv; charset=utf-8',
        `tarif-solidaire-${query.month}.csv`,
      ),
  }),
  serve(solidarityApi.reportPdf, {
    access: MANAGERS,
    tag: 'solidarity',
    summary: 'The funders’ month as a PDF',
    handler: async ({ query }, ctx) =>
      Reply.file(
        await solidarityReportPdf(ctx.db, await solidarityReport(ctx.db, query.month)),
        'application/pdf',
        `tarif-solidaire-${query.month}.pdf`,
      ),
  }),
];
