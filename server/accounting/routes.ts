import { accountingApi, consignmentApi } from '../../shared/api/accounting.ts';
import { businessDay } from '../../shared/time.ts';
import { consignmentView, setConsignmentModel } from './consignment.ts';
import { requireUser } from '../auth/access.ts';
import { MANAGERS } from '../http/access.ts';
import { Reply, serve } from '../http/route.ts';
import { changeAccountPlan, exportFec, exportSalesJournal } from './accounting.ts';
import { accountPlan } from './fec.ts';

export const accountingRoutes = [
  serve(accountingApi.fec, {
    access: MANAGERS,
    network: true,
    tag: 'accounting',
    summary:
      'FEC (fichier des écritures comptables) of a period: sales per daily closing, statements, their payments; every day that sold must be closed',
    handler: async ({ query }, ctx) => {
      const { content, filename } = await exportFec(ctx.db, ctx, query, {
        now: ctx.services.now(),
        timeZone: ctx.services.config.TZ_BUSINESS,
      });
      return Reply.file(content, 'text/plain; charset=iso-8859-15', filename);
    },
  }),
  serve(accountingApi.salesJournal, {
    access: MANAGERS,
    network: true,
    tag: 'accounting',
    summary: 'Sales journal of a period, one row per daily closing: VAT by rate, payment methods, cash count (CSV for French spreadsheets)',
    handler: async ({ query }, ctx) => {
      const { csv, filename } = await exportSalesJournal(ctx.db, ctx, query, ctx.services.now());
      return Reply.file(csv, 'text/csv; charset=utf-8', filename);
    },
  }),
  serve(accountingApi.plan, {
    access: MANAGERS,
    network: true,
    tag: 'accounting',
    summary: 'The accounts the exports post to (defaults from the French chart of accounts)',
    handler: async (_, ctx) => accountPlan(ctx.db),
  }),
  serve(accountingApi.setPlan, {
    access: MANAGERS,
    network: true,
    tag: 'accounting',
    summary: 'Set the accounts the exports post to',
    handler: async ({ body }, ctx) => changeAccountPlan(ctx.db, { userId: requireUser(ctx).id, now: ctx.services.now() }, body),
  }),
  serve(consignmentApi.get, {
    access: MANAGERS,
    network: true,
    tag: 'accounting',
    summary: 'The consignment model (mandataire or commissionnaire) in force, with its dated changes',
    handler: async (_, ctx) => consignmentView(ctx.db, businessDay(ctx.services.now(), ctx.services.config.TZ_BUSINESS)),
  }),
  serve(consignmentApi.set, {
    access: MANAGERS,
    network: true,
    tag: 'accounting',
    summary: 'Choose the consignment model: freely before the first sale, then from a month no statement has settled',
    handler: async ({ body }, ctx) =>
      setConsignmentModel(
        ctx.db,
        body,
        requireUser(ctx).id,
        ctx.services.now(),
        businessDay(ctx.services.now(), ctx.services.config.TZ_BUSINESS),
      ),
  }),
];
