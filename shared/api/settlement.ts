import { z } from 'zod';
import {
  basisPointsSchema,
  idSchema,
  isoDate,
  printable,
  queryFlag,
  unitSchema,
  UNPRINTABLE_REASON,
  vatStatusSchema,
  urlInt,
} from './common.ts';
import { endpoint, fileResponse } from './contract.ts';

/** Issue 21: the shop's commission invoice and credit note (mandataire), the self-billed purchase invoice and its credit note (commissionnaire). */
export const invoiceKind = z.enum(['commission', 'credit_note', 'self_billed', 'self_billed_credit']);
export type InvoiceKind = z.infer<typeof invoiceKind>;

const period = z.object({ from: isoDate, to: isoDate });
const ordered = <T extends { from: string; to: string }>(p: T) => p.from <= p.to;
const orderedIssue = { message: 'la date de début doit précéder la date de fin', path: ['to'] };

export const periodQuery = period.strict().refine(ordered, orderedIssue);
export const issueStatementBody = period.strict().refine(ordered, orderedIssue);
export const statementRunBody = period.strict().refine(ordered, orderedIssue);

export const paymentMethods = ['transfer', 'cheque', 'cash'] as const;
export const statementPaymentBody = z
  .object({
    paidOn: isoDate,
    method: z.enum(paymentMethods),
    reference: z.string().trim().max(80).refine(printable, UNPRINTABLE_REASON).optional(),
  })
  .strict();

export const statementListQuery = z
  .object({
    producerId: urlInt((n) => n.positive()).optional(),
    from: isoDate.optional(),
    to: isoDate.optional(),
    unpaid: queryFlag.optional(),
    limit: urlInt((n) => n.min(1).max(1000)).default(200),
  })
  .strict();

export const commissionTermsBody = z
  .object({
    defaultBp: basisPointsSchema,
    byCategory: z
      .array(z.object({ categoryId: idSchema, commissionBp: basisPointsSchema }).strict())
      .max(100)
      .default([]),
  })
  .strict();

export const salesSeriesQuery = z
  .object({
    from: isoDate,
    to: isoDate,
    groupBy: z.enum(['day', 'week', 'month']).default('day'),
  })
  .strict()
  .refine(ordered, orderedIssue)
  .refine((q) => Date.parse(q.to) - Date.parse(q.from) <= 400 * 86_400_000, { message: 'période de 400 jours au plus', path: ['to'] });

export const producerLinesQuery = z
  .object({
    from: isoDate,
    to: isoDate,
    limit: urlInt((n) => n.min(1).max(1000)).default(200),
    offset: urlInt((n) => n.min(0)).default(0),
  })
  .strict()
  .refine(ordered, orderedIssue);

/** Goods the restaurant takes from the shelves to cook with: paid to their producer at the shelf price. */
export const kitchenUseBody = z
  .object({
    note: z.string().trim().max(200).refine(printable, UNPRINTABLE_REASON).optional(),
    /**
     * The day the kitchen used the goods, when it is recorded later (a cook enters yesterday's use today):
     * today by default, never in the future, at most 31 days back and never in a period already settled.
     */
    day: isoDate.optional(),
    lines: z
      .array(z.object({ productId: idSchema, quantity: z.number().int().positive().max(100_000_000) }).strict())
      .min(1)
      .max(200),
  })
  .strict();

export const invitationBody = z
  .object({
    login: z
      .string()
      .trim()
      .toLowerCase()
      .regex(/^[a-z0-9._-]{3,40}$/, '3 à 40 caractères : lettres, chiffres, point, tiret')
      .optional(),
  })
  .strict();
export const invitationTokenParams = z.object({ token: z.string().regex(/^[A-Za-z0-9_-]{43}$/, 'lien d’invitation invalide') }).strict();
export const acceptInvitationBody = z
  .object({
    password: z.string().min(10, '10 caractères au moins').max(200),
  })
  .strict();

export type KitchenUseBody = z.infer<typeof kitchenUseBody>;

// ——— Responses ———

const int = z.number().int();
const idParams = z.object({ id: urlInt((n) => n.positive()) }).strict();
/**
 * The month a statement run should open on: the oldest finished month (within a year, and not before the
 * first statement ever issued) where a producer who sold has no statement yet; when every finished month is
 * settled, the month under way (`finished: false`).
 */
export const nextRunView = z.strictObject({
  month: z.string(),
  from: isoDate,
  to: isoDate,
  /** Producers with sales or kitchen use in that month and no statement for it yet. */
  pending: z.number().int(),
  finished: z.boolean(),
});
export type NextRunView = z.infer<typeof nextRunView>;

export const statementRunParams = z.object({ id: z.string().uuid('identifiant de lot invalide') }).strict();

export const commissionTermsView = z.strictObject({
  producerId: int,
  defaultBp: int,
  byCategory: z.array(z.strictObject({ categoryId: int, categoryName: z.string(), commissionBp: int })),
  commissionVatRateBp: int,
});
export type CommissionTermsView = z.infer<typeof commissionTermsView>;

/** A producer's sales over a period: one bucket per day, week or month (empty ones too), and by product. */
export const producerSalesView = z.strictObject({
  producerId: int,
  from: z.string(),
  to: z.string(),
  groupBy: z.enum(['day', 'week', 'month']),
  totalCents: int,
  refundsCents: int,
  lines: int,
  series: z.array(z.strictObject({ period: z.string(), salesCents: int, lines: int })),
  byProduct: z.array(z.strictObject({ productId: int, name: z.string(), unit: unitSchema, quantity: int, salesCents: int })),
  /** Across a network of sites (issue 23): the period's takings at each site; absent in a one-site shop. */
  bySite: z.array(z.strictObject({ siteId: int, name: z.string(), salesCents: int, lines: int })).optional(),
});
export type ProducerSalesView = z.infer<typeof producerSalesView>;

export const producerLineView = z.strictObject({
  saleId: z.string(),
  lineNo: int,
  kind: z.enum(['sale', 'refund']),
  day: z.string(),
  at: z.string(),
  ticket: z.string(),
  productId: int,
  name: z.string(),
  unit: unitSchema,
  /** Pieces, or grams for a product sold by weight; negative on a refund. */
  quantity: int,
  unitPriceCents: int,
  totalCents: int,
  vatRateBp: int,
  /** The site it was sold at, across a network of sites. */
  site: z.string().optional(),
});
export type ProducerLineView = z.infer<typeof producerLineView>;

const statementItemView = z.strictObject({
  kind: z.enum(['sale', 'refund', 'kitchen']),
  day: z.string(),
  reference: z.string(),
  saleId: z.string().nullable(),
  lineNo: int.nullable(),
  movementId: int.nullable(),
  productId: int,
  name: z.string(),
  unit: unitSchema,
  quantity: int,
  unitPriceCents: int,
  amountCents: int,
  /** What the line was let off incl. VAT (quantity × unit price − amount); absent when nothing. */
  discountCents: int.optional(),
  vatRateBp: int,
  commissionBp: int,
  carried: z.boolean(),
  model: z.string().optional(),
  /** Across a network of sites (issue 23): the site where it was sold or taken; absent in a one-site shop. */
  site: z.string().optional(),
});

const statementTotalsView = z.strictObject({
  salesCents: int,
  refundsCents: int,
  kitchenCents: int,
  grossCents: int,
  vat: z.array(z.strictObject({ vatRateBp: int, grossCents: int, netCents: int, vatCents: int })),
  commission: z.array(z.strictObject({ rateBp: int, baseCents: int, commissionCents: int })),
  commissionNetCents: int,
  commissionVatRateBp: int,
  commissionVatCents: int,
  commissionGrossCents: int,
  netOwedCents: int,
  purchase: z
    .strictObject({
      regime: vatStatusSchema,
      lines: z.array(z.strictObject({ vatRateBp: int, commissionBp: int, baseCents: int, marginCents: int, grossCents: int })),
      vat: z.array(z.strictObject({ vatRateBp: int, grossCents: int, netCents: int, vatCents: int })),
      netCents: int,
      vatCents: int,
      grossCents: int,
      compensation: z.strictObject({ rateBp: int, baseCents: int, amountCents: int }).nullable(),
    })
    .optional(),
});

/** A statement: issued (numbered, frozen) or a draft of what issuing the period now would settle. */
export const statementView = z.strictObject({
  id: int.nullable(),
  number: int.nullable(),
  code: z.string().nullable(),
  status: z.enum(['draft', 'issued', 'paid']),
  producer: z.strictObject({
    id: int,
    name: z.string(),
    legalName: z.string(),
    address: z.string(),
    siret: z.string(),
    vatStatus: vatStatusSchema,
    /** Frozen into statements issued since 2026-12-07 (issue 21): absent from older ones. */
    vatNumber: z.string().optional(),
    email: z.string(),
  }),
  period: z.strictObject({ from: z.string(), to: z.string() }),
  issuedAt: z.string().nullable(),
  payment: z.strictObject({ paidOn: z.string(), method: z.string(), reference: z.string().nullable() }).nullable(),
  terms: commissionTermsView,
  items: z.array(statementItemView),
  totals: statementTotalsView,
  /** A section per site (from the items' `site`), when the producer's goods were sold at more than one place. */
  sites: z
    .array(z.strictObject({ name: z.string(), salesCents: int, refundsCents: int, kitchenCents: int, grossCents: int, lines: int }))
    .optional(),
  pdfSha256: z.string().nullable(),
});
export type StatementView = z.infer<typeof statementView>;

export const statementSummary = z.strictObject({
  id: int,
  number: int,
  code: z.string(),
  producerId: int,
  producerName: z.string(),
  from: z.string(),
  to: z.string(),
  issuedAt: z.string(),
  /** Sales of the period, TTC (refunds and kitchen use apart, each in its own figure). */
  salesCents: int,
  /** Refunds settled in this statement (negative or zero). */
  refundsCents: int,
  /** The restaurant's use of the producer's goods (kitchen), at its price. */
  kitchenCents: int,
  /** What the statement settles: sales + refunds + kitchen use. */
  grossCents: int,
  commissionCents: int,
  netCents: int,
  paidOn: z.string().nullable(),
  paidMethod: z.string().nullable(),
  /** The transfer's reference (a SEPA payout: its file and end-to-end id), the cheque's number… */
  paidReference: z.string().nullable(),
  /** The commission invoice (or credit note) issued with it: its PDF at `/api/invoices/:id.pdf`. */
  invoice: z.strictObject({ id: z.number().int(), code: z.string(), kind: invoiceKind }).nullable(),
});
export type StatementSummary = z.infer<typeof statementSummary>;

/** How far a run of the month's statements has got (also sent over socket.io as `statements:progress`). */
export const statementRunView = z.strictObject({
  id: z.string(),
  from: z.string(),
  to: z.string(),
  total: int,
  done: int,
  issued: int,
  skipped: z.array(z.strictObject({ producerId: int, producerName: z.string(), reason: z.string() })),
  state: z.enum(['running', 'finished', 'failed']),
  startedAt: z.string(),
  finishedAt: z.string().nullable(),
});

export const invitationCreated = z.strictObject({
  producerId: int,
  login: z.string(),
  /** The one-time link to hand the producer: shown once, only its hash is kept. */
  url: z.string(),
  expiresAt: z.string(),
  /** The producer already had an account: the link resets its password. */
  reset: z.boolean(),
  /**
   * No public address is set (PUBLIC_URL): the link names the address the manager's browser used, which
   * opens where that address does (the shop's network, usually), not from the producer's home.
   */
  shopNetworkOnly: z.boolean(),
});
export const invitationView = z.strictObject({ producerName: z.string(), login: z.string(), expiresAt: z.string() });
export type InvitationView = z.infer<typeof invitationView>;
export const invitationAccepted = z.strictObject({
  user: z.strictObject({ id: int, role: z.literal('producer'), displayName: z.string(), producerId: int }),
});

const csv = fileResponse('text/csv; charset=utf-8');
const pdf = fileResponse('application/pdf');

/** A producer's signed self-billing mandate (commissionnaire model, issue 21): its PDF at `/api/mandates/:id.pdf`. */
export const mandateView = z.strictObject({
  id: int,
  producerId: int,
  signedOn: z.string(),
  validFrom: z.string(),
  revokedOn: z.string().nullable(),
  recordedAt: z.string(),
  pdfSha256: z.string(),
  pdfBytes: int,
});
export type MandateView = z.infer<typeof mandateView>;

export const mandateRecordQuery = z
  .object({
    /** The day both parties signed. */
    signedOn: isoDate,
    /** The day it takes effect (the signing day when left out). */
    validFrom: isoDate.optional(),
  })
  .strict();

export const mandateRevokeBody = z.object({ on: isoDate }).strict();

export const settlementApi = {
  mandates: endpoint({ method: 'get', path: '/api/producers/:id/mandates', params: idParams, response: z.array(mandateView) }),
  mandateTemplate: endpoint({ method: 'get', path: '/api/producers/:id/mandate-template.pdf', params: idParams, response: pdf }),
  recordMandate: endpoint({
    method: 'post',
    path: '/api/producers/:id/mandates',
    params: idParams,
    query: mandateRecordQuery,
    bodyKind: 'pdf',
    body: z.custom<Uint8Array>((v) => v instanceof Uint8Array, 'fichier PDF attendu'),
    response: mandateView,
  }),
  mandatePdf: endpoint({ method: 'get', path: '/api/mandates/:id.pdf', params: idParams, response: pdf }),
  revokeMandate: endpoint({
    method: 'post',
    path: '/api/mandates/:id/revoke',
    params: idParams,
    body: mandateRevokeBody,
    response: mandateView,
  }),
  terms: endpoint({ method: 'get', path: '/api/producers/:id/terms', params: idParams, response: commissionTermsView }),
  setTerms: endpoint({
    method: 'put',
    path: '/api/producers/:id/terms',
    params: idParams,
    body: commissionTermsBody,
    response: commissionTermsView,
  }),
  sales: endpoint({
    method: 'get',
    path: '/api/producers/:id/sales',
    params: idParams,
    query: salesSeriesQuery,
    response: producerSalesView,
  }),
  lines: endpoint({
    method: 'get',
    path: '/api/producers/:id/lines',
    params: idParams,
    query: producerLinesQuery,
    response: z.array(producerLineView),
  }),
  linesCsv: endpoint({ method: 'get', path: '/api/producers/:id/lines.csv', params: idParams, query: periodQuery, response: csv }),
  statement: endpoint({
    method: 'get',
    path: '/api/producers/:id/statement',
    params: idParams,
    query: periodQuery,
    response: statementView,
  }),
  statementPdf: endpoint({ method: 'get', path: '/api/producers/:id/statement.pdf', params: idParams, query: periodQuery, response: pdf }),
  issue: endpoint({
    method: 'post',
    path: '/api/producers/:id/statements',
    params: idParams,
    body: issueStatementBody,
    response: statementView,
  }),
  list: endpoint({ method: 'get', path: '/api/statements', query: statementListQuery, response: z.array(statementSummary) }),
  listCsv: endpoint({ method: 'get', path: '/api/statements.csv', query: periodQuery, response: csv }),
  issuedPdf: endpoint({ method: 'get', path: '/api/statements/:id.pdf', params: idParams, response: pdf }),
  get: endpoint({ method: 'get', path: '/api/statements/:id', params: idParams, response: statementView }),
  markPaid: endpoint({
    method: 'post',
    path: '/api/statements/:id/payment',
    params: idParams,
    body: statementPaymentBody,
    response: statementView,
  }),
  startRun: endpoint({ method: 'post', path: '/api/statement-runs', body: statementRunBody, response: statementRunView }),
  nextRun: endpoint({ method: 'get', path: '/api/statement-runs/next', response: nextRunView }),
  run: endpoint({ method: 'get', path: '/api/statement-runs/:id', params: statementRunParams, response: statementRunView }),
  invite: endpoint({
    method: 'post',
    path: '/api/producers/:id/invitations',
    params: idParams,
    body: invitationBody,
    response: invitationCreated,
  }),
  invitation: endpoint({ method: 'get', path: '/api/invitations/:token', params: invitationTokenParams, response: invitationView }),
  acceptInvitation: endpoint({
    method: 'post',
    path: '/api/invitations/:token',
    params: invitationTokenParams,
    body: acceptInvitationBody,
    response: invitationAccepted,
  }),
};
