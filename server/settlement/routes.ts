import { businessDay } from '../../shared/time.ts';
import { settlementApi } from '../../shared/api/settlement.ts';
import { requireUser } from '../auth/access.ts';
import { SESSION_COOKIE } from '../auth/sessions.ts';
import { MANAGERS } from '../http/access.ts';
import { Reply, serve, type RequestContext as Ctx } from '../http/route.ts';
import { acceptInvitation, inviteProducer, readInvitation } from './invitations.ts';
import { listMandates, mandatePdf, mandateTemplatePdf, recordMandate, revokeMandate } from './mandates.ts';
import { producerScope } from '../auth/access.ts';
import { producerLines, producerLinesCsv, producerSales } from './portal.ts';
import { runProgress, startRun } from './runs.ts';
import {
  changeCommissionTerms,
  exportStatementsCsv,
  getStatement,
  getStatementPdf,
  issueStatement,
  listStatements,
  markStatementPaid,
  nextRunPeriod,
  producerTerms,
  statementFor,
  statementPdfFor,
} from './statements.ts';

const OWNERS = [...MANAGERS, 'producer'] as const;
const CSV = 'text/csv; charset=utf-8';

/** The manager acting and the time: what a change is recorded with. */
const change = (ctx: Ctx) => ({ userId: requireUser(ctx).id, now: ctx.services.now() });

export const settlementRoutes = [
  serve(settlementApi.mandates, {
    access: OWNERS,
    network: true,
    tag: 'settlement',
    summary: 'A producer’s self-billing mandates (commissionnaire model): a producer sees only their own',
    handler: async ({ params }, ctx) => listMandates(ctx.db, producerScope(ctx), params.id),
  }),
  serve(settlementApi.mandateTemplate, {
    access: MANAGERS,
    network: true,
    tag: 'settlement',
    summary: 'The self-billing mandate to print and sign, with both parties’ identities filled in',
    handler: async ({ params }, ctx) => {
      const { pdf, filename } = await mandateTemplatePdf(ctx.db, params.id);
      return Reply.file(pdf, 'application/pdf', filename);
    },
  }),
  serve(settlementApi.recordMandate, {
    access: MANAGERS,
    network: true,
    tag: 'settlement',
    summary: 'Record a producer’s signed self-billing mandate (the scanned PDF as the body), kept as signed',
    handler: async ({ params, query, body }, ctx) => {
      const now = ctx.services.now();
      const today = businessDay(now, ctx.services.config.TZ_BUSINESS);
      const m = await recordMandate(
        ctx.db,
        { producerId: params.id, signedOn: query.signedOn, validFrom: query.validFrom ?? query.signedOn, pdf: Buffer.from(body) },
        requireUser(ctx).id,
        now,
        today,
      );
      return Reply.created(m);
    },
  }),
  serve(settlementApi.mandatePdf, {
    access: OWNERS,
    network: true,
    tag: 'settlement',
    summary: 'A signed self-billing mandate’s PDF, as recorded',
    handler: async ({ params }, ctx) => {
      const { pdf, filename } = await mandatePdf(ctx.db, producerScope(ctx), params.id);
      return Reply.file(pdf, 'application/pdf', filename);
    },
  }),
  serve(settlementApi.revokeMandate, {
    access: MANAGERS,
    network: true,
    tag: 'settlement',
    summary: 'End a self-billing mandate from a day on (self-billed invoices are refused from then)',
    handler: async ({ params, body }, ctx) => revokeMandate(ctx.db, params.id, body.on, requireUser(ctx).id, ctx.services.now()),
  }),
  serve(settlementApi.terms, {
    access: OWNERS,
    network: true,
    tag: 'settlement',
    summary: 'The commission terms of a producer: default rate, rates by category, VAT on the commission',
    handler: async ({ params }, ctx) => producerTerms(ctx.db, ctx, params.id),
  }),
  serve(settlementApi.setTerms, {
    access: MANAGERS,
    network: true,
    tag: 'settlement',
    summary: 'Set a producer’s commission terms (for the sales rung from now on: each sale keeps the terms of its day)',
    handler: async ({ params, body }, ctx) => changeCommissionTerms(ctx.db, change(ctx), params.id, body),
  }),
  serve(settlementApi.sales, {
    access: OWNERS,
    network: true,
    tag: 'settlement',
    summary: 'A producer’s sales over a period by day, week or month, and by product',
    handler: async ({ params, query }, ctx) => producerSales(ctx.db, ctx, params.id, query),
  }),
  serve(settlementApi.lines, {
    access: OWNERS,
    network: true,
    tag: 'settlement',
    summary: 'A producer’s sold lines over a period, newest first',
    handler: async ({ params, query }, ctx) => producerLines(ctx.db, ctx, params.id, query),
  }),
  serve(settlementApi.linesCsv, {
    access: OWNERS,
    network: true,
    tag: 'settlement',
    summary: 'A producer’s sold lines over a period as CSV for French spreadsheets (BOM, “;”, decimal comma)',
    handler: async ({ params, query }, ctx) => {
      const { csv, filename } = await producerLinesCsv(ctx.db, ctx, params.id, query);
      return Reply.file(csv, CSV, filename);
    },
  }),
  serve(settlementApi.statement, {
    access: OWNERS,
    network: true,
    tag: 'settlement',
    summary: 'The statement of a period: the issued one, or a draft of what issuing it now would settle',
    handler: async ({ params, query }, ctx) => statementFor(ctx.db, ctx, params.id, query, ctx.services.config.TZ_BUSINESS),
  }),
  serve(settlementApi.statementPdf, {
    access: OWNERS,
    network: true,
    tag: 'settlement',
    summary: 'The statement of a period as a PDF: the stored one if issued, otherwise a draft marked as such',
    handler: async ({ params, query }, ctx) => {
      const { pdf, filename } = await statementPdfFor(ctx.db, ctx, params.id, query, {
        now: ctx.services.now(),
        timeZone: ctx.services.config.TZ_BUSINESS,
        renderer: ctx.services.pdf,
      });
      return Reply.file(pdf, 'application/pdf', filename);
    },
  }),
  serve(settlementApi.issue, {
    access: MANAGERS,
    network: true,
    tag: 'settlement',
    summary: 'Issue a producer’s statement for a finished period: numbered, frozen, PDF kept',
    handler: async ({ params, body }, ctx) => {
      const s = await issueStatement(
        { db: ctx.db, ...change(ctx), timeZone: ctx.services.config.TZ_BUSINESS, renderer: ctx.services.pdf },
        { producerId: params.id, period: body },
      );
      ctx.services.realtime?.statementIssued({
        id: s.id!,
        code: s.code!,
        producerId: params.id,
        from: body.from,
        to: body.to,
        netCents: s.totals.netOwedCents,
      });
      return Reply.created(s);
    },
  }),
  serve(settlementApi.list, {
    access: OWNERS,
    network: true,
    tag: 'settlement',
    summary: 'Issued statements, newest first; a producer sees only their own',
    handler: async ({ query }, ctx) => listStatements(ctx.db, ctx, query),
  }),
  serve(settlementApi.listCsv, {
    access: MANAGERS,
    network: true,
    tag: 'settlement',
    summary: 'Every statement of a period as CSV for French spreadsheets',
    handler: async ({ query }, ctx) => {
      const { csv, filename } = await exportStatementsCsv(ctx.db, ctx, query, ctx.services.now());
      return Reply.file(csv, CSV, filename);
    },
  }),
  // Before `/api/statements/:id`, which would take `12.pdf` for an id.
  serve(settlementApi.issuedPdf, {
    access: OWNERS,
    network: true,
    tag: 'settlement',
    summary: 'The PDF of an issued statement, exactly as it was issued',
    handler: async ({ params }, ctx) => {
      const { pdf, filename } = await getStatementPdf(ctx.db, ctx, params.id);
      return Reply.file(pdf, 'application/pdf', filename);
    },
  }),
  serve(settlementApi.get, {
    access: OWNERS,
    network: true,
    tag: 'settlement',
    summary: 'One issued statement with its lines and totals',
    handler: async ({ params }, ctx) => getStatement(ctx.db, ctx, params.id),
  }),
  serve(settlementApi.markPaid, {
    access: MANAGERS,
    network: true,
    tag: 'settlement',
    summary: 'Mark an issued statement as paid (date, method, reference)',
    handler: async ({ params, body }, ctx) => markStatementPaid(ctx.db, change(ctx), params.id, body),
  }),
  serve(settlementApi.startRun, {
    access: MANAGERS,
    network: true,
    tag: 'settlement',
    summary: 'Issue the statements of every producer with activity in a period; progress on GET and over socket.io',
    handler: async ({ body }, ctx) => {
      const { run } = await startRun(ctx.db, ctx.services, body, requireUser(ctx).id);
      return new Reply(202, run);
    },
  }),
  serve(settlementApi.nextRun, {
    access: MANAGERS,
    network: true,
    tag: 'settlement',
    summary: 'The month a statement run should open on: the oldest finished month a producer is still owed a statement for',
    handler: async (_, ctx) => nextRunPeriod(ctx.db, businessDay(ctx.services.now(), ctx.services.config.TZ_BUSINESS)),
  }),
  serve(settlementApi.run, {
    access: MANAGERS,
    network: true,
    tag: 'settlement',
    summary: 'How far a run of statements has got',
    handler: async ({ params }, ctx) => runProgress(ctx.db, params.id),
  }),
  serve(settlementApi.invite, {
    access: MANAGERS,
    network: true,
    tag: 'settlement',
    summary: 'Invite a producer to the portal (or reset their password): a one-time link valid 7 days',
    handler: async ({ params, body }, ctx) =>
      Reply.created({
        ...(await inviteProducer(ctx.db, { ...change(ctx), origin: ctx.origin }, params.id, body)),
        shopNetworkOnly: !ctx.services.config.PUBLIC_URL,
      }),
  }),
  serve(settlementApi.invitation, {
    access: 'public',
    tag: 'settlement',
    summary: 'Who an invitation link is for (to greet the producer), while it is valid',
    handler: async ({ params }, ctx) => readInvitation(ctx.db, params.token, ctx.services.now()),
  }),
  serve(settlementApi.acceptInvitation, {
    access: 'public',
    tag: 'settlement',
    summary: 'Choose a password with an invitation link; logs the producer in',
    handler: async ({ params, body }, ctx) => {
      const { session, user } = await acceptInvitation(ctx.db, params.token, body.password, ctx.services.now());
      ctx.setCookie(SESSION_COOKIE, session.token, { maxAgeSeconds: session.maxAgeSeconds });
      return { user };
    },
  }),
];
