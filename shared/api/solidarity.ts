/**
 * Solidarity prices (issue 22, item 1): households referred by the épicerie solidaire pay a share of the public
 * price; the solidarity fund (payment method `solidarity`) pays the rest, within the household's monthly
 * allowance and the fund's budget. The contract of `server/solidarity`.
 */
import { z } from 'zod';
import { idSchema, isoDate, printable, trimmed, UNPRINTABLE_REASON } from './common.ts';
import { endpoint, fileResponse, noContent } from './contract.ts';
import { idParams } from './catalog.ts';
import { cardLookupEndpoint } from './solidarity-card.ts';

export { cardCodeSchema, cardView, type CardView } from './solidarity-card.ts';

const int = z.number().int();
const cents = z.number().int().min(0).max(100_000_000);
const bp = z.number().int().min(0, 'de 0 à 10 000 (100 %)').max(10_000, 'de 0 à 10 000 (100 %)');

export const householdCreateBody = z
  .object({
    size: z.number().int().min(1, 'au moins 1 personne').max(20, '20 personnes au plus'),
    validFrom: isoDate,
    validTo: isoDate,
    monthlyAllowanceCents: cents,
    /** The referring structure (a partner's name, never a person's). */
    partner: z.string().trim().max(80).default(''),
  })
  .strict()
  .refine((h) => h.validFrom <= h.validTo, { message: 'la fin de validité précède son début', path: ['validTo'] });

export const householdUpdateBody = z
  .object({
    size: z.number().int().min(1).max(20).optional(),
    validFrom: isoDate.optional(),
    validTo: isoDate.optional(),
    monthlyAllowanceCents: cents.optional(),
    partner: z.string().trim().max(80).refine(printable, UNPRINTABLE_REASON).optional(),
  })
  .strict();

export const householdView = z.strictObject({
  id: int,
  /** Shown as M-0042. */
  number: int,
  code: z.string(),
  cardCode: z.string(),
  size: int,
  validFrom: z.string(),
  validTo: z.string(),
  monthlyAllowanceCents: int,
  partner: z.string(),
  /** What the fund paid for it this month, and what remains of its allowance. */
  usedThisMonthCents: int,
  remainingCents: int,
});
export type HouseholdView = z.infer<typeof householdView>;

export const sharesBody = z
  .object({
    defaultShareBp: bp,
    byCategory: z.array(z.object({ categoryId: idSchema, householdShareBp: bp }).strict()).max(200),
    /** How long a household's data is kept after its validity ends (months), then erased. */
    retentionMonths: z.number().int().min(1).max(120),
  })
  .strict();
export const sharesView = z.strictObject({
  defaultShareBp: int,
  byCategory: z.array(z.strictObject({ categoryId: int, categoryName: z.string(), householdShareBp: int })),
  retentionMonths: int,
});

export const funderBody = z.object({ name: trimmed(1, 80) }).strict();
export const contributionBody = z
  .object({
    funderId: idSchema,
    amountCents: z.number().int().min(1, 'montant positif attendu').max(100_000_000),
    receivedOn: isoDate,
    note: z.string().trim().max(200).default(''),
  })
  .strict();
export const fundView = z.strictObject({
  funders: z.array(z.strictObject({ id: int, name: z.string(), contributedCents: int })),
  contributedCents: int,
  spentCents: int,
  balanceCents: int,
});

export const monthQuery = z.object({ month: z.string().regex(/^\d{4}-(0[1-9]|1[0-2])$/, 'mois attendu au format AAAA-MM') }).strict();

/** The funders' monthly report: anonymous (households counted, never listed). */
export const solidarityReport = z.strictObject({
  month: z.string(),
  households: int,
  tickets: int,
  byCategory: z.array(z.strictObject({ category: z.string(), items: int, publicCents: int, householdCents: int, fundCents: int })),
  publicCents: int,
  householdCents: int,
  fundCents: int,
  contributionsCents: int,
  balanceStartCents: int,
  balanceEndCents: int,
});
export type SolidarityReport = z.infer<typeof solidarityReport>;

/** Everything kept about a household (the right of access): its record and its tickets' shares. */
export const householdExport = z.strictObject({
  household: householdView,
  tickets: z.array(z.strictObject({ saleId: z.string(), day: z.string(), publicCents: int, householdCents: int, fundCents: int })),
});

export const solidarityApi = {
  households: endpoint({ method: 'get', path: '/api/households', response: z.array(householdView) }),
  createHousehold: endpoint({ method: 'post', path: '/api/households', body: householdCreateBody, response: householdView }),
  updateHousehold: endpoint({
    method: 'patch',
    path: '/api/households/:id',
    params: idParams,
    body: householdUpdateBody,
    response: householdView,
  }),
  exportHousehold: endpoint({ method: 'get', path: '/api/households/:id/export', params: idParams, response: householdExport }),
  eraseHousehold: endpoint({ method: 'delete', path: '/api/households/:id', params: idParams, response: noContent }),
  card: endpoint({ method: 'get', path: '/api/households/:id/card.pdf', params: idParams, response: fileResponse('application/pdf') }),
  lookup: cardLookupEndpoint,
  shares: endpoint({ method: 'get', path: '/api/solidarity/shares', response: sharesView }),
  setShares: endpoint({ method: 'put', path: '/api/solidarity/shares', body: sharesBody, response: sharesView }),
  fund: endpoint({ method: 'get', path: '/api/solidarity/fund', response: fundView }),
  addFunder: endpoint({ method: 'post', path: '/api/solidarity/funders', body: funderBody, response: fundView }),
  contribute: endpoint({ method: 'post', path: '/api/solidarity/contributions', body: contributionBody, response: fundView }),
  report: endpoint({ method: 'get', path: '/api/solidarity/report', query: monthQuery, response: solidarityReport }),
  reportCsv: endpoint({
    method: 'get',
    path: '/api/solidarity/report.csv',
    query: monthQuery,
    response: fileResponse('text/csv; charset=utf-8'),
  }),
  reportPdf: endpoint({ method: 'get', path: '/api/solidarity/report.pdf', query: monthQuery, response: fileResponse('application/pdf') }),
};
