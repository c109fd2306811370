import { z } from 'zod';
import { basisPointsSchema, idSchema, isoDate, queryFlag } from './common.ts';

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
    reference: z.string().trim().max(80).optional(),
  })
  .strict();

export const statementListQuery = z
  .object({
    producerId: z.coerce.number().int().positive().optional(),
    from: isoDate.optional(),
    to: isoDate.optional(),
    unpaid: queryFlag.optional(),
    limit: z.coerce.number().int().min(1).max(1000).default(200),
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
    limit: z.coerce.number().int().min(1).max(1000).default(200),
    offset: z.coerce.number().int().min(0).default(0),
  })
  .strict()
  .refine(ordered, orderedIssue);

/** Goods the restaurant takes from the shelves to cook with: paid to their producer at the shelf price. */
export const kitchenUseBody = z
  .object({
    note: z.string().trim().max(200).optional(),
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
