/**
 * A product's modifiers as the back office edits them: groups (Cuisson, Sauce, Suppléments…), each saying how
 * many of its options a waiter must and may choose, each option with its price incl. VAT (0: free). The whole
 * set is read and replaced at once; an existing group or option keeps its id (tills offline still name it).
 */
import { z } from 'zod';
import { idSchema, trimmed, urlInt } from './common.ts';
import { endpoint } from './contract.ts';

const int = z.number().int();

export const modifierOptionBody = z
  .object({
    /** Left out: a new option. */
    id: idSchema.optional(),
    name: trimmed(1, 60),
    /** Added to the product's price, incl. VAT. */
    priceCents: z.number().int().min(0).max(100_000),
    /** Withdrawn for now (sold out): kept, not offered. */
    active: z.boolean().default(true),
  })
  .strict();

export const modifierGroupBody = z
  .object({
    id: idSchema.optional(),
    name: trimmed(1, 60),
    /** At least this many options: 1 for a cuisson that must be asked, 0 for optional suppléments. */
    min: z.number().int().min(0).max(20),
    /** At most this many: 1 for "one of", more for suppléments. */
    max: z.number().int().min(1).max(20),
    options: z.array(modifierOptionBody).min(1, 'au moins une option').max(30),
  })
  .strict()
  .refine((g) => g.min <= g.max, { message: 'le minimum dépasse le maximum', path: ['min'] });

export const productModifiersBody = z.object({ groups: z.array(modifierGroupBody).max(10) }).strict();
export type ProductModifiersBody = z.infer<typeof productModifiersBody>;

export const modifierGroupView = z.strictObject({
  id: int,
  name: z.string(),
  min: int,
  max: int,
  options: z.array(z.strictObject({ id: int, name: z.string(), priceCents: int, active: z.boolean() })),
});
export const productModifiersView = z.strictObject({ productId: int, groups: z.array(modifierGroupView) });
export type ProductModifiersView = z.infer<typeof productModifiersView>;

const idParams = z.object({ id: urlInt((n) => n.positive()) }).strict();

export const modifiersApi = {
  productModifiers: endpoint({ method: 'get', path: '/api/products/:id/modifiers', params: idParams, response: productModifiersView }),
  replaceProductModifiers: endpoint({
    method: 'put',
    path: '/api/products/:id/modifiers',
    params: idParams,
    body: productModifiersBody,
    response: productModifiersView,
  }),
};
