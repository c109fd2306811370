import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { dishCosting, ingredientCost, portionsAvailable } from './recipes.ts';

describe('a dish’s food cost and margin', () => {
  it('costs pieces at their price and weighed goods by the gram, rounded half-up', () => {
    expect(ingredientCost({ unit: 'piece', priceCents: 55, quantity: 3 })).toBe(165);
    // 2590 × 60 / 1000 = 155,4 -> 155; × 50 = 129,5 -> 130 (half-up).
    expect(ingredientCost({ unit: 'kg', priceCents: 2590, quantity: 60 })).toBe(155);
    expect(ingredientCost({ unit: 'kg', priceCents: 2590, quantity: 50 })).toBe(130);
  });

  it('takes the margin on the price excl. VAT, and has no ratio for a free dish', () => {
    // 1250 at 10 %: 1136,36 -> 1136 HT; 320 of food: margin 816, ratio 2816,9 -> 2817 bp.
    expect(
      dishCosting({ priceCents: 1250, vatRateBp: 1000 }, [
        { unit: 'piece', priceCents: 55, quantity: 3 },
        { unit: 'kg', priceCents: 2590, quantity: 60 },
      ]),
    ).toEqual({ foodCostCents: 320, priceExclVatCents: 1136, marginCents: 816, foodCostRateBp: 2817 });
    expect(dishCosting({ priceCents: 0, vatRateBp: 1000 }, [{ unit: 'piece', priceCents: 55, quantity: 1 }])).toEqual({
      foodCostCents: 55,
      priceExclVatCents: 0,
      marginCents: -55,
      foodCostRateBp: null,
    });
  });

  it('always adds up: food cost is the sum of the ingredients, margin + food cost is the price excl. VAT', () => {
    const ingredient = fc.record({
      unit: fc.constantFrom('piece' as const, 'kg' as const),
      priceCents: fc.integer({ min: 0, max: 100_000 }),
      quantity: fc.integer({ min: 1, max: 100_000 }),
    });
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 1_000_000 }),
        fc.constantFrom(0, 210, 550, 1000, 2000),
        fc.array(ingredient, { maxLength: 30 }),
        (price, rate, ingredients) => {
          const c = dishCosting({ priceCents: price, vatRateBp: rate }, ingredients);
          expect(c.foodCostCents).toBe(ingredients.reduce((s, i) => s + ingredientCost(i), 0));
          expect(c.marginCents + c.foodCostCents).toBe(c.priceExclVatCents);
          expect(c.priceExclVatCents).toBeLessThanOrEqual(price);
        },
      ),
    );
  });

  it('counts the whole portions the shelves hold, never fewer than none', () => {
    expect(portionsAvailable([])).toBeNull();
    expect(
      portionsAvailable([
        { quantity: 3, onHand: 10 },
        { quantity: 60, onHand: 2000 },
      ]),
    ).toBe(3);
    expect(portionsAvailable([{ quantity: 80, onHand: -40 }])).toBe(0);
  });
});
