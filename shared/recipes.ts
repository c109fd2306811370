/**
 * A dish's food cost and margin, pure so the back office shows exactly what the server answers.
 *
 * - An ingredient's cost per portion is what its producer is paid when the dish is sold: its shelf price
 *   incl. VAT (a `kitchen` movement is settled at that price, without commission, shared/settlement.ts),
 *   × pieces, or for goods sold by weight round(price per kg × grams / 1000), half-up (shared/money.ts).
 *   VAT is not taken off: a producer under the franchise (art. 293 B CGI) invoices none, so the shop
 *   cannot count on getting it back.
 * - The food cost (coût matière) is the sum of those rounded ingredient costs.
 * - The margin (marge brute) is the dish's price excl. VAT minus the food cost:
 *   HT = round(TTC × 10000 / (10000 + rate)) as on a ticket, so margin = HT − food cost (negative when
 *   the dish is sold below its cost).
 * - The food-cost ratio (ratio matière) is food cost / HT in basis points, rounded half-up; none when HT is 0.
 *
 * Selling n portions takes n × each quantity in one movement per dish line and ingredient, priced on its
 * own: for a weighed ingredient round(price × n × grams / 1000) can differ by a cent from n × the rounded
 * portion cost shown here. The statement pays the movement's figure.
 */
import { cents, grams, mulDivRoundHalfUp, netFromGross, sumCents, weighedPrice, type BasisPoints, type Cents } from './money.ts';

export interface CostedIngredient {
  unit: 'piece' | 'kg';
  /** Shelf price incl. VAT: per piece, or per kg. */
  priceCents: number;
  /** Per portion: pieces or grams. */
  quantity: number;
}

/** What `quantity` of a product costs at its shelf price (pieces, or grams of a product sold by the kg). */
export function ingredientCost(i: CostedIngredient): Cents {
  return i.unit === 'kg' ? weighedPrice(cents(i.priceCents), grams(i.quantity)) : cents(i.priceCents * i.quantity);
}

export interface DishCosting {
  foodCostCents: Cents;
  priceExclVatCents: Cents;
  marginCents: Cents;
  /** Food cost / price excl. VAT, in basis points (3000 = 30 %); null when the dish is free. */
  foodCostRateBp: number | null;
}

export function dishCosting(dish: { priceCents: number; vatRateBp: number }, ingredients: readonly CostedIngredient[]): DishCosting {
  const foodCostCents = sumCents(ingredients.map(ingredientCost));
  const priceExclVatCents = netFromGross(cents(dish.priceCents), dish.vatRateBp as BasisPoints);
  return {
    foodCostCents,
    priceExclVatCents,
    marginCents: cents(priceExclVatCents - foodCostCents),
    foodCostRateBp: priceExclVatCents > 0 ? mulDivRoundHalfUp(foodCostCents, 10_000, priceExclVatCents) : null,
  };
}

/** Portions the shelves still hold: the smallest whole number of portions over the ingredients (never below 0). */
export function portionsAvailable(ingredients: readonly { quantity: number; onHand: number }[]): number | null {
  if (!ingredients.length) return null;
  return Math.max(0, Math.min(...ingredients.map((i) => Math.floor(i.onHand / i.quantity))));
}
