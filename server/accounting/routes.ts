import { accountPlanSchema, exportPeriodQuery } from '../../shared/api/accounting.ts';
import { recordEvent } from '../events/event-log.ts';
import { MANAGERS, requireUser } from '../http/access.ts';
import { Reply, route } from '../http/route.ts';
import { readSetting, writeSetting } from '../settings/settings.ts';
import { accountPlan, fecFile, salesJournalCsv } from './fec.ts';

export const accountingRoutes = [
  route({
    method: 'get',
    path: '/api/exports/fec',
    access: MANAGERS,
    tag: 'accounting',
    summary:
      'FEC (fichier des écritures comptables) of a period: sales per daily closing, statements, their payments; every day that sold must be closed',
    query: exportPeriodQuery,
    handler: async ({ query }, ctx) => {
      const fec = await fecFile(ctx.db, query, ctx.services.config.TZ_BUSINESS);
      await recordEvent(ctx.db, {
        kind: 'accounting.exported',
        userId: requireUser(ctx).id,
        data: { format: 'fec', ...query, entries: fec.entries },
        at: ctx.services.now().toISOString(),
      });
      return Reply.file(fec.content, 'text/plain; charset=iso-8859-15', fec.filename);
    },
  }),
  route({
    method: 'get',
    path: '/api/exports/sales-journal.csv',
    access: MANAGERS,
    tag: 'accounting',
    summary: 'Sales journal of a period, one row per daily closing: VAT by rate, payment methods, cash count (CSV for French spreadsheets)',
    query: exportPeriodQuery,
    handler: async ({ query }, ctx) => {
      const csv = await salesJournalCsv(ctx.db, query);
      await recordEvent(ctx.db, {
        kind: 'accounting.exported',
        userId: requireUser(ctx).id,
        data: { format: 'sales-journal', ...query },
        at: ctx.services.now().toISOString(),
      });
      return Reply.file(csv, 'text/csv; charset=utf-8', `journal-des-ventes-${query.from}-${query.to}.csv`);
    },
  }),
  route({
    method: 'get',
    path: '/api/settings/accounting',
    access: MANAGERS,
    tag: 'accounting',
    summary: 'The accounts the exports post to (defaults from the French chart of accounts)',
    handler: async (_, ctx) => accountPlan(ctx.db),
  }),
  route({
    method: 'put',
    path: '/api/settings/accounting',
    access: MANAGERS,
    tag: 'accounting',
    summary: 'Set the accounts the exports post to',
    body: accountPlanSchema,
    handler: async ({ body }, ctx) =>
      ctx.db.transaction().execute(async (trx) => {
        const before = await readSetting(trx, 'accounting.plan');
        const now = ctx.services.now();
        await writeSetting(trx, 'accounting.plan', body, now);
        await recordEvent(trx, {
          kind: 'settings.changed',
          userId: requireUser(ctx).id,
          subject: 'accounting.plan',
          data: { before: before ?? null, after: body },
          at: now.toISOString(),
        });
        return body;
      }),
  }),
];
