/**
 * The ressourcerie (issue 22, item 3): intake weighed by stream, one-off items sold once, unsold items marked
 * down then recycled, the monthly tonnage. The contract of `server/ressourcerie`.
 */
import { z } from 'zod';
import { printable, trimmed, UNPRINTABLE_REASON } from './common.ts';
import { endpoint, fileResponse } from './contract.ts';
import { idParams } from './catalog.ts';
import { REUSE_STREAMS, reuseItemEndpoint, reuseItemView, streamSchema } from './ressourcerie-item.ts';

export { REUSE_STREAMS, STREAM_NAMES, streamSchema, type ReuseStreamCode } from './ressourcerie-item.ts';

const int = z.number().int();

const grams = z.number().int('grammes entiers').min(1, 'poids positif attendu').max(10_000_000, '10 tonnes au plus');

export const intakeBody = z
  .object({
    /** What the donation weighed, by stream. */
    lines: z.array(z.object({ stream: streamSchema, grams }).strict()).max(REUSE_STREAMS.length),
    /** Only when the donor asks for a receipt. */
    donor: z.string().trim().max(200).refine(printable, UNPRINTABLE_REASON).optional(),
    /** The items priced at intake: each becomes its own article with its label. */
    items: z
      .array(
        z
          .object({
            name: trimmed(1, 120),
            stream: streamSchema,
            grams,
            priceCents: z.number().int().min(0).max(10_000_000),
          })
          .strict(),
      )
      .max(200)
      .default([]),
  })
  .strict()
  .refine((b) => b.lines.length > 0 || b.items.length > 0, { message: 'une pesée ou un objet au moins', path: ['lines'] });

export const intakeView = z.strictObject({
  id: int,
  day: z.string(),
  lines: z.array(z.strictObject({ stream: streamSchema, grams: int })),
  items: z.array(
    z.strictObject({ id: int, productId: int, code: z.string(), name: z.string(), stream: streamSchema, grams: int, priceCents: int }),
  ),
});

export const outflowBody = z
  .object({ stream: streamSchema, grams, kind: z.enum(['recycled', 'discarded']), note: z.string().trim().max(200).default('') })
  .strict();

export const tonnageReport = z.strictObject({
  month: z.string(),
  /** The site whose tonnage it is (each site reports its own). */
  site: z.string(),
  streams: z.array(
    z.strictObject({
      stream: streamSchema,
      name: z.string(),
      collectedGrams: int,
      reusedGrams: int,
      itemsSold: int,
      recycledGrams: int,
      discardedGrams: int,
    }),
  ),
  collectedGrams: int,
  reusedGrams: int,
  itemsSold: int,
  recycledGrams: int,
  discardedGrams: int,
});
export type TonnageReport = z.infer<typeof tonnageReport>;

const monthQuery = z.object({ month: z.string().regex(/^\d{4}-(0[1-9]|1[0-2])$/, 'mois attendu au format AAAA-MM') }).strict();

export const ressourcerieApi = {
  intake: endpoint({ method: 'post', path: '/api/ressourcerie/intakes', body: intakeBody, response: intakeView }),
  receipt: endpoint({
    method: 'get',
    path: '/api/ressourcerie/intakes/:id/receipt.pdf',
    params: idParams,
    response: fileResponse('application/pdf'),
  }),
  items: endpoint({
    method: 'get',
    path: '/api/ressourcerie/items',
    query: z.object({ status: z.enum(['on_sale', 'sold', 'recycled', 'discarded']).optional() }).strict(),
    response: z.array(reuseItemView),
  }),
  item: reuseItemEndpoint,
  aging: endpoint({
    method: 'post',
    path: '/api/ressourcerie/aging',
    response: z.strictObject({ markedDown: int, recycled: int }),
  }),
  outflow: endpoint({
    method: 'post',
    path: '/api/ressourcerie/outflows',
    body: outflowBody,
    response: z.strictObject({ ok: z.literal(true) }),
  }),
  tonnage: endpoint({ method: 'get', path: '/api/ressourcerie/tonnage', query: monthQuery, response: tonnageReport }),
  tonnageCsv: endpoint({
    method: 'get',
    path: '/api/ressourcerie/tonnage.csv',
    query: monthQuery,
    response: fileResponse('text/csv; charset=utf-8'),
  }),
  tonnagePdf: endpoint({
    method: 'get',
    path: '/api/ressourcerie/tonnage.pdf',
    query: monthQuery,
    response: fileResponse('application/pdf'),
  }),
};
