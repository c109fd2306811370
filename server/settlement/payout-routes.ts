import { invoicesApi, payoutsApi } from '../../shared/api/payouts.ts';
import { producerScope } from '../auth/access.ts';
import { invoicePdfFor, listInvoices } from './invoices.ts';
import { requireUser } from '../auth/access.ts';
import { MANAGERS } from '../http/access.ts';
import { Reply, serve, type RequestContext as Ctx } from '../http/route.ts';
import { cancelPayout, confirmPayout, createPayout, getPayout, listPayouts, payoutXml } from './payouts.ts';

const change = (ctx: Ctx) => ({ userId: requireUser(ctx).id, now: ctx.services.now() });

/** SEPA credit transfers paying the producers' statements (issue 21, item 5): managers only. */
export const payoutRoutes = [
  serve(invoicesApi.list, {
    access: [...MANAGERS, 'producer'],
    network: true,
    tag: 'settlement',
    summary: 'Commission invoices and credit notes, newest first: a producer sees only their own',
    handler: async ({ query }, ctx) => listInvoices(ctx.db, producerScope(ctx), query),
  }),
  serve(invoicesApi.pdf, {
    access: [...MANAGERS, 'producer'],
    network: true,
    tag: 'settlement',
    summary: 'An invoice’s PDF, typeset from the invoice as frozen when issued',
    handler: async ({ params }, ctx) => {
      const { pdf, filename } = await invoicePdfFor(ctx.db, producerScope(ctx), params.id);
      return Reply.file(pdf, 'application/pdf', filename);
    },
  }),
  serve(payoutsApi.list, {
    access: MANAGERS,
    network: true,
    tag: 'settlement',
    summary: 'The SEPA transfer files made to pay statements, newest first',
    handler: async (_, ctx) => listPayouts(ctx.db),
  }),
  serve(payoutsApi.create, {
    access: MANAGERS,
    network: true,
    tag: 'settlement',
    summary: 'Make one SEPA credit transfer file (pain.001.001.03) paying the selected statements',
    handler: async ({ body }, ctx) => Reply.created(await createPayout(ctx.db, change(ctx), body, ctx.services.config.TZ_BUSINESS)),
  }),
  serve(payoutsApi.xml, {
    access: MANAGERS,
    network: true,
    tag: 'settlement',
    summary: 'The pain.001 file of a payout, as made, for the bank',
    handler: async ({ params }, ctx) => {
      const { xml, filename } = await payoutXml(ctx.db, params.id);
      return Reply.file(Buffer.from(xml, 'utf8'), 'application/xml', filename);
    },
  }),
  serve(payoutsApi.get, {
    access: MANAGERS,
    network: true,
    tag: 'settlement',
    summary: 'A payout and the statements it pays',
    handler: async ({ params }, ctx) => getPayout(ctx.db, params.id),
  }),
  serve(payoutsApi.confirm, {
    access: MANAGERS,
    network: true,
    tag: 'settlement',
    summary: 'The file went to the bank: every statement of the payout is marked paid by transfer',
    handler: async ({ params }, ctx) => confirmPayout(ctx.db, change(ctx), params.id),
  }),
  serve(payoutsApi.cancel, {
    access: MANAGERS,
    network: true,
    tag: 'settlement',
    summary: 'The file was not sent: its statements are free again',
    handler: async ({ params }, ctx) => cancelPayout(ctx.db, change(ctx), params.id),
  }),
];
