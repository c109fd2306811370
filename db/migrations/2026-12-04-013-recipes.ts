import type { Kysely } from 'kysely';
import { sql } from 'kysely';

// A dish's recipe: the producers' consigned goods one portion is cooked with (2 eggs, 120 g of a tomme).
// Selling the dish takes them off the shelves as `kitchen` movements, paid to their producers at the shelf
// price (server/catalog/recipes.ts). One row per ingredient, replaced as a whole when the recipe is edited
// (the chained event log keeps each version); an ingredient appears once per dish.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('recipe_items')
    .addColumn('dish_id', 'integer', (c) => c.notNull().references('products.id'))
    .addColumn('ingredient_id', 'integer', (c) => c.notNull().references('products.id'))
    // Per portion: pieces, or grams for an ingredient sold by weight.
    .addColumn('quantity', 'integer', (c) => c.notNull().check(sql`quantity > 0 and quantity <= 100000`))
    .addColumn('position', 'integer', (c) => c.notNull())
    .addPrimaryKeyConstraint('recipe_items_pk', ['dish_id', 'ingredient_id'])
    .addCheckConstraint('recipe_items_not_itself', sql`dish_id <> ingredient_id`)
    .execute();
  // Which dishes use an ingredient: a stock change flags them on the waiters' screens.
  await db.schema.createIndex('recipe_items_ingredient').on('recipe_items').columns(['ingredient_id', 'dish_id']).execute();
}
