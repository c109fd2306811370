import { z } from 'zod';
import { idSchema, printable, queryFlag, unitSchema, UNPRINTABLE_REASON, urlInt } from './common.ts';
import { endpoint, fileResponse } from './contract.ts';
import { idParams } from './catalog.ts';
import { kitchenUseBody } from './settlement.ts';

/** Pieces, or grams for products sold by weight. */
const quantity = z.number().int().positive().max(100_000_000);

export const slipBody = z
  .object({
    producerId: idSchema,
    note: z.string().trim().max(500).refine(printable, UNPRINTABLE_REASON).optional(),
    lines: z
      .array(z.object({ productId: idSchema, quantity }).strict())
      .min(1)
      .max(500),
  })
  .strict();

/** A producer's goods sent from the site the request works at to another site (bon de transfert). */
export const transferBody = z.object({ ...slipBody.shape, toSiteId: idSchema }).strict();

export const lossReasonSchema = z.enum(['breakage', 'expired', 'theft', 'other']);
export const lossBody = z
  .object({
    lines: z
      .array(
        z
          .object({
            productId: idSchema,
            quantity,
            reason: lossReasonSchema,
            note: z.string().trim().max(200).refine(printable, UNPRINTABLE_REASON).optional(),
          })
          .strict(),
      )
      .min(1)
      .max(500),
  })
  .strict();

export const countBody = z
  .object({
    note: z.string().trim().max(500).refine(printable, UNPRINTABLE_REASON).optional(),
    lines: z
      .array(z.object({ productId: idSchema, counted: z.number().int().min(0).max(100_000_000) }).strict())
      .min(1)
      .max(5000),
  })
  .strict();

export const stockQuery = z
  .object({
    producerId: urlInt((n) => n.positive()).optional(),
    low: queryFlag.optional(),
    /** Goods sitting on the shelf: in stock, not sold for this many days, and not deposited during them either. */
    unsoldDays: urlInt((n) => n.min(1).max(730)).optional(),
    q: z.string().max(100).optional(),
  })
  .strict();

export const movementsQuery = z
  .object({
    limit: urlInt((n) => n.min(1).max(1000)).default(200),
    beforeId: urlInt((n) => n.positive()).optional(),
  })
  .strict();

export const slipListQuery = z
  .object({
    producerId: urlInt((n) => n.positive()).optional(),
    kind: z.enum(['deposit', 'return', 'transfer']).optional(),
    limit: urlInt((n) => n.min(1).max(500)).default(100),
  })
  .strict();

export type SlipBody = z.infer<typeof slipBody>;
export type TransferBody = z.infer<typeof transferBody>;
export type LossBody = z.infer<typeof lossBody>;
export type CountBody = z.infer<typeof countBody>;

// ——— Responses ———

const int = z.number().int();
export const movementKindSchema = z.enum(['deposit', 'sale', 'refund', 'return', 'loss', 'count', 'kitchen', 'transfer']);
export const slipKindSchema = z.enum(['deposit', 'return', 'transfer']);

/** One tracked product's stock on hand: pieces, or grams for products sold by weight. */
export const stockRow = z.strictObject({
  productId: int,
  name: z.string(),
  unit: unitSchema,
  producerId: int.nullable(),
  producerName: z.string().nullable(),
  onHand: int,
  lowStockThreshold: int.nullable(),
  low: z.boolean(),
  negative: z.boolean(),
  active: z.boolean(),
  lastMovementAt: z.string().nullable(),
  /** Across a network (a producer's view, several sites): what is on hand at each site; `onHand` is their sum. */
  sites: z.array(z.strictObject({ siteId: int, name: z.string(), onHand: int })).optional(),
});
export type StockRow = z.infer<typeof stockRow>;

/** One line of a product's stock ledger; `by` (who) only for managers, never for a producer. */
export const movementView = z.strictObject({
  id: int,
  kind: movementKindSchema,
  /** Signed: what enters the shelf is positive. */
  quantity: int,
  counted: int.nullable(),
  at: z.string(),
  note: z.string().nullable(),
  saleId: z.string().nullable(),
  slipNumber: int.nullable(),
  by: z.string().nullable(),
  /** Where the shelf is (a network of sites: Castres or Rodez); a producer's goods move on several. */
  siteId: int,
  site: z.string(),
});
export type MovementView = z.infer<typeof movementView>;

export const slipSummary = z.strictObject({
  id: int,
  kind: slipKindSchema,
  number: int,
  producerId: int,
  producerName: z.string(),
  createdAt: z.string(),
  note: z.string().nullable(),
  /** The site the goods were delivered to, taken back from, or sent from (a transfer). */
  siteName: z.string(),
  /** A transfer: the site the goods were sent to. */
  toSiteName: z.string().nullable(),
});
export type SlipSummary = z.infer<typeof slipSummary>;

export const slipView = z.strictObject({
  id: int,
  kind: slipKindSchema,
  number: int,
  producerId: int,
  producerName: z.string(),
  note: z.string().nullable(),
  createdAt: z.string(),
  /** The display name of who recorded it. */
  createdBy: z.string(),
  siteName: z.string(),
  /** A transfer: the site the goods were sent to. */
  toSiteName: z.string().nullable(),
  /** `quantity`: what came in, went back or was sent, positive either way. */
  lines: z.array(z.strictObject({ productId: int, name: z.string(), unit: unitSchema, priceCents: int, quantity: int })),
});
export type SlipView = z.infer<typeof slipView>;

export const countResult = z.strictObject({
  lines: z.array(z.strictObject({ productId: int, counted: int, before: int, difference: int })),
});
export type CountResult = z.infer<typeof countResult>;

export const stockApi = {
  onHand: endpoint({ method: 'get', path: '/api/stock', query: stockQuery, response: z.array(stockRow) }),
  movements: endpoint({
    method: 'get',
    path: '/api/products/:id/movements',
    params: idParams,
    query: movementsQuery,
    response: z.array(movementView),
  }),
  deposit: endpoint({ method: 'post', path: '/api/stock/deposits', body: slipBody, response: slipView }),
  return: endpoint({ method: 'post', path: '/api/stock/returns', body: slipBody, response: slipView }),
  transfer: endpoint({ method: 'post', path: '/api/stock/transfers', body: transferBody, response: slipView }),
  transferSites: endpoint({
    method: 'get',
    path: '/api/stock/transfers/sites',
    response: z.array(z.strictObject({ id: int, name: z.string() })),
  }),
  losses: endpoint({ method: 'post', path: '/api/stock/losses', body: lossBody, response: z.strictObject({ movements: int }) }),
  kitchen: endpoint({
    method: 'post',
    path: '/api/stock/kitchen',
    body: kitchenUseBody,
    response: z.strictObject({ movements: z.array(int) }),
  }),
  slipPdf: endpoint({ method: 'get', path: '/api/stock/slips/:id.pdf', params: idParams, response: fileResponse('application/pdf') }),
  count: endpoint({ method: 'post', path: '/api/stock/counts', body: countBody, response: countResult }),
  slips: endpoint({ method: 'get', path: '/api/stock/slips', query: slipListQuery, response: z.array(slipSummary) }),
  slip: endpoint({ method: 'get', path: '/api/stock/slips/:id', params: idParams, response: slipView }),
};
