import { z } from 'zod';
import { idSchema, queryFlag } from './common.ts';

/** Pieces, or grams for products sold by weight. */
const quantity = z.number().int().positive().max(100_000_000);

export const slipBody = z
  .object({
    producerId: idSchema,
    note: z.string().trim().max(500).optional(),
    lines: z
      .array(z.object({ productId: idSchema, quantity }).strict())
      .min(1)
      .max(500),
  })
  .strict();

export const lossReasonSchema = z.enum(['breakage', 'expired', 'theft', 'other']);
export const lossBody = z
  .object({
    lines: z
      .array(z.object({ productId: idSchema, quantity, reason: lossReasonSchema, note: z.string().trim().max(200).optional() }).strict())
      .min(1)
      .max(500),
  })
  .strict();

export const countBody = z
  .object({
    note: z.string().trim().max(500).optional(),
    lines: z
      .array(z.object({ productId: idSchema, counted: z.number().int().min(0).max(100_000_000) }).strict())
      .min(1)
      .max(5000),
  })
  .strict();

export const stockQuery = z
  .object({
    producerId: z.coerce.number().int().positive().optional(),
    low: queryFlag.optional(),
    /** Goods sitting on the shelf: in stock, not sold for this many days, and not deposited during them either. */
    unsoldDays: z.coerce.number().int().min(1).max(730).optional(),
    q: z.string().max(100).optional(),
  })
  .strict();

export const movementsQuery = z
  .object({
    limit: z.coerce.number().int().min(1).max(1000).default(200),
    beforeId: z.coerce.number().int().positive().optional(),
  })
  .strict();

export const slipListQuery = z
  .object({
    producerId: z.coerce.number().int().positive().optional(),
    kind: z.enum(['deposit', 'return']).optional(),
    limit: z.coerce.number().int().min(1).max(500).default(100),
  })
  .strict();

export type SlipBody = z.infer<typeof slipBody>;
export type LossBody = z.infer<typeof lossBody>;
export type CountBody = z.infer<typeof countBody>;
