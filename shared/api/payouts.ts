import { z } from 'zod';
import { idSchema, isoDate, urlInt } from './common.ts';
import { invoiceKind } from './settlement.ts';
import { endpoint, fileResponse } from './contract.ts';

const int = z.number().int();

/** The statements to pay by SEPA credit transfer, on the day the bank is asked to execute it. */
export const payoutCreateBody = z
  .object({
    statementIds: z.array(idSchema).min(1, 'choisissez au moins un relevé').max(500),
    executionDate: isoDate,
  })
  .strict();

export const payoutView = z.strictObject({
  id: int,
  msgId: z.string(),
  executionDate: z.string(),
  status: z.enum(['pending', 'confirmed', 'cancelled']),
  count: int,
  totalCents: int,
  createdAt: z.string(),
  settledAt: z.string().nullable(),
  items: z.array(
    z.strictObject({
      statementId: int,
      code: z.string(),
      producerName: z.string(),
      amountCents: int,
      /** Masked: FR76 •••• 0189. */
      iban: z.string(),
      endToEndId: z.string(),
    }),
  ),
});
export type PayoutView = z.infer<typeof payoutView>;

const idParams = z.object({ id: urlInt((n) => n.positive()) }).strict();

export const payoutsApi = {
  list: endpoint({ method: 'get', path: '/api/payouts', response: z.array(payoutView) }),
  create: endpoint({ method: 'post', path: '/api/payouts', body: payoutCreateBody, response: payoutView }),
  // Before `/api/payouts/:id`, which would take `12.xml` for an id.
  xml: endpoint({ method: 'get', path: '/api/payouts/:id.xml', params: idParams, response: fileResponse('application/xml') }),
  get: endpoint({ method: 'get', path: '/api/payouts/:id', params: idParams, response: payoutView }),
  confirm: endpoint({ method: 'post', path: '/api/payouts/:id/confirm', params: idParams, response: payoutView }),
  cancel: endpoint({ method: 'post', path: '/api/payouts/:id/cancel', params: idParams, response: payoutView }),
};

/** A commission invoice or credit note, as listed (its PDF at `/api/invoices/:id.pdf`). */
export const invoiceSummary = z.strictObject({
  id: int,
  code: z.string(),
  kind: invoiceKind,
  issuedOn: z.string(),
  producerId: int,
  producerName: z.string(),
  statementCode: z.string(),
  netCents: int,
  vatCents: int,
  grossCents: int,
});
export type InvoiceSummaryView = z.infer<typeof invoiceSummary>;

export const invoicesApi = {
  list: endpoint({
    method: 'get',
    path: '/api/invoices',
    query: z.object({ producerId: urlInt((n) => n.positive()).optional(), year: urlInt((n) => n.min(2000).max(2100)).optional() }).strict(),
    response: z.array(invoiceSummary),
  }),
  pdf: endpoint({ method: 'get', path: '/api/invoices/:id.pdf', params: idParams, response: fileResponse('application/pdf') }),
};
