import { z } from 'zod';
import {
  acceptInvitationBody,
  commissionTermsBody,
  invitationBody,
  invitationTokenParams,
  issueStatementBody,
  periodQuery,
  producerLinesQuery,
  salesSeriesQuery,
  statementListQuery,
  statementPaymentBody,
  statementRunBody,
} from '../../shared/api/settlement.ts';
import { NotFound } from '../errors.ts';
import { MANAGERS, requireUser, scopeOf } from '../http/access.ts';
import { idParams, Reply, route } from '../http/route.ts';
import { isDemo, shopIdentity } from '../settings/settings.ts';
import { SESSION_COOKIE } from '../auth/sessions.ts';
import { recordEvent } from '../events/event-log.ts';
import { acceptInvitation, invitationPasswordHash, inviteProducer, readInvitation } from './invitations.ts';
import { producerLines, producerLinesCsv, producerSales, statementsCsv } from './portal.ts';
import { getRun, startRun } from './runs.ts';
import { inThreadRenderer } from '../documents/pdf-pool.ts';
import {
  commissionTerms,
  getStatement,
  getStatementPdf,
  issueStatement,
  listStatements,
  markStatementPaid,
  setCommissionTerms,
  statementFor,
} from './statements.ts';

const OWNERS = [...MANAGERS, 'producer'] as const;
const runParams = z.object({ id: z.string().uuid('identifiant de lot invalide') }).strict();

export const settlementRoutes = [
  route({
    method: 'get',
    path: '/api/producers/:id/terms',
    access: OWNERS,
    tag: 'settlement',
    summary: 'The commission terms of a producer: default rate, rates by category, VAT on the commission',
    params: idParams,
    handler: async ({ params }, ctx) => commissionTerms(ctx.db, params.id, scopeOf(ctx)),
  }),
  route({
    method: 'put',
    path: '/api/producers/:id/terms',
    access: MANAGERS,
    tag: 'settlement',
    summary: 'Set a producer’s commission terms (applies to statements issued from now on)',
    params: idParams,
    body: commissionTermsBody,
    handler: async ({ params, body }, ctx) =>
      ctx.db.transaction().execute((trx) => setCommissionTerms(trx, params.id, body, requireUser(ctx).id, ctx.services.now())),
  }),
  route({
    method: 'get',
    path: '/api/producers/:id/sales',
    access: OWNERS,
    tag: 'settlement',
    summary: 'A producer’s sales over a period by day, week or month, and by product',
    params: idParams,
    query: salesSeriesQuery,
    handler: async ({ params, query }, ctx) => producerSales(ctx.db, params.id, query, scopeOf(ctx)),
  }),
  route({
    method: 'get',
    path: '/api/producers/:id/lines',
    access: OWNERS,
    tag: 'settlement',
    summary: 'A producer’s sold lines over a period, newest first',
    params: idParams,
    query: producerLinesQuery,
    handler: async ({ params, query }, ctx) => producerLines(ctx.db, params.id, query, scopeOf(ctx)),
  }),
  route({
    method: 'get',
    path: '/api/producers/:id/lines.csv',
    access: OWNERS,
    tag: 'settlement',
    summary: 'A producer’s sold lines over a period as CSV for French spreadsheets (BOM, “;”, decimal comma)',
    params: idParams,
    query: periodQuery,
    handler: async ({ params, query }, ctx) => {
      const { csv, filename } = await producerLinesCsv(ctx.db, params.id, query, scopeOf(ctx));
      return Reply.file(csv, 'text/csv; charset=utf-8', filename);
    },
  }),
  route({
    method: 'get',
    path: '/api/producers/:id/statement',
    access: OWNERS,
    tag: 'settlement',
    summary: 'The statement of a period: the issued one, or a draft of what issuing it now would settle',
    params: idParams,
    query: periodQuery,
    handler: async ({ params, query }, ctx) => statementFor(ctx.db, params.id, query, scopeOf(ctx), ctx.services.config.TZ_BUSINESS),
  }),
  route({
    method: 'get',
    path: '/api/producers/:id/statement.pdf',
    access: OWNERS,
    tag: 'settlement',
    summary: 'The statement of a period as a PDF: the stored one if issued, otherwise a draft marked as such',
    params: idParams,
    query: periodQuery,
    handler: async ({ params, query }, ctx) => {
      const s = await statementFor(ctx.db, params.id, query, scopeOf(ctx), ctx.services.config.TZ_BUSINESS);
      if (s.id !== null) {
        const { pdf, filename } = await getStatementPdf(ctx.db, s.id, scopeOf(ctx));
        return Reply.file(pdf, 'application/pdf', filename);
      }
      const pdf = await (ctx.services.pdf ?? inThreadRenderer).render('statement', {
        ...s,
        code: 'PROJET',
        issuedAt: ctx.services.now().toISOString(),
        shop: await shopIdentity(ctx.db),
        demo: await isDemo(ctx.db),
        draft: true,
      });
      return Reply.file(pdf, 'application/pdf', `projet-releve-${s.producer.id}-${query.from}-${query.to}.pdf`);
    },
  }),
  route({
    method: 'post',
    path: '/api/producers/:id/statements',
    access: MANAGERS,
    tag: 'settlement',
    summary: 'Issue a producer’s statement for a finished period: numbered, frozen, PDF kept',
    params: idParams,
    body: issueStatementBody,
    handler: async ({ params, body }, ctx) => {
      const s = await issueStatement(
        ctx.db,
        params.id,
        body,
        requireUser(ctx).id,
        ctx.services.now(),
        ctx.services.config.TZ_BUSINESS,
        ctx.services.pdf,
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
  route({
    method: 'get',
    path: '/api/statements',
    access: OWNERS,
    tag: 'settlement',
    summary: 'Issued statements, newest first; a producer sees only their own',
    query: statementListQuery,
    handler: async ({ query }, ctx) => listStatements(ctx.db, query, scopeOf(ctx)),
  }),
  route({
    method: 'get',
    path: '/api/statements.csv',
    access: MANAGERS,
    tag: 'settlement',
    summary: 'Every statement of a period as CSV for French spreadsheets',
    query: periodQuery,
    handler: async ({ query }, ctx) => {
      const list = await listStatements(ctx.db, { ...query, limit: 100_000 }, scopeOf(ctx));
      await recordEvent(ctx.db, {
        kind: 'statement.exported',
        userId: requireUser(ctx).id,
        data: { ...query, statements: list.length },
        at: ctx.services.now().toISOString(),
      });
      return Reply.file(statementsCsv(list), 'text/csv; charset=utf-8', `releves-${query.from}-${query.to}.csv`);
    },
  }),
  // Before `/api/statements/:id`, which would take `12.pdf` for an id.
  route({
    method: 'get',
    path: '/api/statements/:id.pdf',
    access: OWNERS,
    tag: 'settlement',
    summary: 'The PDF of an issued statement, exactly as it was issued',
    params: idParams,
    handler: async ({ params }, ctx) => {
      const { pdf, filename } = await getStatementPdf(ctx.db, params.id, scopeOf(ctx));
      return Reply.file(pdf, 'application/pdf', filename);
    },
  }),
  route({
    method: 'get',
    path: '/api/statements/:id',
    access: OWNERS,
    tag: 'settlement',
    summary: 'One issued statement with its lines and totals',
    params: idParams,
    handler: async ({ params }, ctx) => getStatement(ctx.db, params.id, scopeOf(ctx)),
  }),
  route({
    method: 'post',
    path: '/api/statements/:id/payment',
    access: MANAGERS,
    tag: 'settlement',
    summary: 'Mark an issued statement as paid (date, method, reference)',
    params: idParams,
    body: statementPaymentBody,
    handler: async ({ params, body }, ctx) =>
      ctx.db.transaction().execute((trx) => markStatementPaid(trx, params.id, body, requireUser(ctx).id, ctx.services.now())),
  }),
  route({
    method: 'post',
    path: '/api/statement-runs',
    access: MANAGERS,
    tag: 'settlement',
    summary: 'Issue the statements of every producer with activity in a period; progress on GET and over socket.io',
    body: statementRunBody,
    handler: async ({ body }, ctx) => {
      const { run } = await startRun(ctx.db, ctx.services, body, requireUser(ctx).id);
      return new Reply(202, run);
    },
  }),
  route({
    method: 'get',
    path: '/api/statement-runs/:id',
    access: MANAGERS,
    tag: 'settlement',
    summary: 'How far a run of statements has got',
    params: runParams,
    handler: async ({ params }, ctx) => {
      const run = getRun(ctx.services, params.id);
      if (!run) throw new NotFound('Lot de relevés');
      return run;
    },
  }),
  route({
    method: 'post',
    path: '/api/producers/:id/invitations',
    access: MANAGERS,
    tag: 'settlement',
    summary: 'Invite a producer to the portal (or reset their password): a one-time link valid 7 days',
    params: idParams,
    body: invitationBody,
    handler: async ({ params, body }, ctx) =>
      Reply.created(
        await ctx.db
          .transaction()
          .execute((trx) => inviteProducer(trx, params.id, body, requireUser(ctx).id, ctx.services.now(), ctx.origin)),
      ),
  }),
  route({
    method: 'get',
    path: '/api/invitations/:token',
    access: 'public',
    tag: 'settlement',
    summary: 'Who an invitation link is for (to greet the producer), while it is valid',
    params: invitationTokenParams,
    handler: async ({ params }, ctx) => readInvitation(ctx.db, params.token, ctx.services.now()),
  }),
  route({
    method: 'post',
    path: '/api/invitations/:token',
    access: 'public',
    tag: 'settlement',
    summary: 'Choose a password with an invitation link; logs the producer in',
    params: invitationTokenParams,
    body: acceptInvitationBody,
    handler: async ({ params, body }, ctx) => {
      const now = ctx.services.now();
      await readInvitation(ctx.db, params.token, now);
      const hash = await invitationPasswordHash(body.password);
      const result = await ctx.db.transaction().execute((trx) => acceptInvitation(trx, params.token, hash, now));
      ctx.setCookie(SESSION_COOKIE, result.session.token, { maxAgeSeconds: result.session.maxAgeSeconds });
      return { user: result.user };
    },
  }),
];
