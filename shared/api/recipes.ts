import { z } from 'zod';
import { idSchema, unitSchema } from './common.ts';
import { endpoint } from './contract.ts';
import { idParams } from './catalog.ts';

/** A dish is cooked with at most this many of the shop's products: beyond, it is a typing mistake. */
export const MAX_RECIPE_INGREDIENTS = 30;

/** A dish's whole recipe, replacing the one it had; an empty list takes the recipe off. */
export const recipeBody = z
  .object({
    ingredients: z
      .array(
        z
          .object({
            productId: idSchema,
            /** Per portion: pieces, or grams for a product sold by weight. */
            quantity: z
              .number({ error: 'quantité attendue (pièces, ou grammes pour un article au poids)' })
              .int('quantité entière attendue (pièces, ou grammes pour un article au poids)')
              .positive('la quantité doit être supérieure à zéro')
              .max(100_000, 'au plus 100 000 (100 kg) par portion'),
          })
          .strict(),
      )
      .max(MAX_RECIPE_INGREDIENTS, `au plus ${MAX_RECIPE_INGREDIENTS} ingrédients par plat`),
  })
  .strict();
export type RecipeBody = z.infer<typeof recipeBody>;

const int = z.number().int();

/** One ingredient of a dish with what a portion of the dish takes of it and what that costs. */
export const recipeIngredientView = z.strictObject({
  productId: int,
  name: z.string(),
  producerId: int.nullable(),
  producerName: z.string().nullable(),
  unit: unitSchema,
  /** Per portion: pieces, or grams for a product sold by weight. */
  quantity: int,
  /** Shelf price incl. VAT, per piece or per kg: what its producer is paid. */
  priceCents: int,
  /** What a portion takes of it costs, rounded half-up (shared/recipes.ts). */
  costCents: int,
  /** Stock on hand: pieces or grams. */
  onHand: int,
  /** Less on the shelf than one portion takes. */
  short: z.boolean(),
  /** Disabled in the catalogue since it was put in the recipe (it is still taken off the shelf). */
  active: z.boolean(),
});
export type RecipeIngredientView = z.infer<typeof recipeIngredientView>;

/**
 * A dish with its recipe and costing (rules in shared/recipes.ts): food cost = sum of the ingredients'
 * costs at shelf prices incl. VAT; margin = price excl. VAT − food cost; all in cents.
 */
export const recipeView = z.strictObject({
  dishId: int,
  dishName: z.string(),
  active: z.boolean(),
  /** Incl. VAT. */
  priceCents: int,
  vatRateBp: int,
  priceExclVatCents: int,
  ingredients: z.array(recipeIngredientView),
  foodCostCents: int,
  marginCents: int,
  /** Food cost / price excl. VAT in basis points; null for a free dish. */
  foodCostRateBp: int.nullable(),
  /** Some ingredient has less on the shelf than one portion takes. */
  ingredientsShort: z.boolean(),
  /** Whole portions the shelves still hold; null without a recipe. */
  portionsAvailable: int.nullable(),
});
export type RecipeView = z.infer<typeof recipeView>;

export const recipesApi = {
  list: endpoint({ method: 'get', path: '/api/recipes', response: z.array(recipeView) }),
  get: endpoint({ method: 'get', path: '/api/products/:id/recipe', params: idParams, response: recipeView }),
  replace: endpoint({ method: 'put', path: '/api/products/:id/recipe', params: idParams, body: recipeBody, response: recipeView }),
};
