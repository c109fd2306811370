/**
 * The textile shop (issue 22, item 2): a model made in sizes × colours, each variant its own article (barcode,
 * stock, label). The contract of `server/textile`.
 */
import { z } from 'zod';
import { outletCodeSchema, trimmed } from './common.ts';
import { endpoint } from './contract.ts';
import { idParams, vatRateSchema } from './catalog.ts';

const int = z.number().int();
const label = z.string().trim().min(1).max(20);

export const modelCreateBody = z
  .object({
    name: trimmed(1, 80),
    producerId: z.number().int().positive().nullable(),
    categoryId: z.number().int().positive().nullable().default(null),
    priceCents: z.number().int().min(0).max(10_000_000),
    vatRateBp: vatRateSchema,
    sizes: z.array(label).min(1).max(20),
    colours: z.array(label).min(1).max(20),
    outlets: z.array(outletCodeSchema).min(1).max(5).default(['textile']),
  })
  .strict()
  .refine((m) => new Set(m.sizes).size === m.sizes.length, { message: 'taille en double', path: ['sizes'] })
  .refine((m) => new Set(m.colours).size === m.colours.length, { message: 'couleur en double', path: ['colours'] });

export const modelView = z.strictObject({
  id: int,
  name: z.string(),
  producerId: int.nullable(),
  sizes: z.array(z.string()),
  colours: z.array(z.string()),
  /** Every size × colour: its article, barcode and stock on hand. */
  variants: z.array(
    z.strictObject({
      productId: int,
      size: z.string(),
      colour: z.string(),
      barcode: z.string(),
      priceCents: int,
      onHand: int,
      active: z.boolean(),
    }),
  ),
});
export type ModelView = z.infer<typeof modelView>;

export const textileApi = {
  models: endpoint({ method: 'get', path: '/api/models', response: z.array(modelView) }),
  createModel: endpoint({ method: 'post', path: '/api/models', body: modelCreateBody, response: modelView }),
  model: endpoint({ method: 'get', path: '/api/models/:id', params: idParams, response: modelView }),
};
