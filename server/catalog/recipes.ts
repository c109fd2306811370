/**
 * Dishes cooked with the producers' goods (issue 17, item 8). A dish of the house has a recipe: what one
 * portion takes of the producers' consigned products. Selling the dish takes them off the shelves as
 * `kitchen` movements in the ticket's own transaction, each paid to its producer at the shelf price of
 * that moment, as a kitchen use entered by hand is (server/stock/ledger.ts, recordKitchenUse). Costing
 * rules (food cost, margin, rounding) are in shared/recipes.ts.
 */
import { cachedRows, marks, rawRows } from '../../db/raw.ts';
import { shortenAtWord } from '../../shared/text.ts';
import { sql, type Kysely } from 'kysely';
import type { RecipeBody, RecipeView } from '../../shared/api/recipes.ts';
import { dishCosting, ingredientCost, portionsAvailable } from '../../shared/recipes.ts';
import type { Database, Db, Trx } from '../../db/schema.ts';
import { requireUser, type Actor } from '../auth/access.ts';
import { Invalid, NotFound } from '../errors.ts';
import { recordEvent } from '../journal/events.ts';
import type { MovementInput } from '../stock/ledger.ts';
import { shelfPrices } from '../sites/sites.ts';

/** A portion taking more than this many pieces of one product is a typing mistake (grams go up to 100 kg). */
const MAX_PIECES_PER_PORTION = 100;

interface DishRow {
  id: number;
  name: string;
  price_cents: number;
  vat_rate_bp: number;
  active: 0 | 1;
}

/** `siteId`: whose shelves the ingredients' stock is read from (the first site's when not said). */
async function itemsOf(db: Db, dishIds: readonly number[], siteId?: number) {
  if (!dishIds.length) return [];
  return db
    .selectFrom('recipe_items as ri')
    .innerJoin('products as p', 'p.id', 'ri.ingredient_id')
    .leftJoin('producers as pr', 'pr.id', 'p.producer_id')
    .leftJoin('stock_levels as sl', (j) =>
      j.onRef('sl.product_id', '=', 'p.id').on('sl.site_id', '=', siteId ?? sql<number>`(select min(id) from sites)`),
    )
    .select([
      'ri.dish_id',
      'ri.quantity',
      'p.id',
      'p.name',
      'p.producer_id',
      'pr.name as producer_name',
      'p.unit',
      'p.price_cents',
      'p.active',
      'p.stock_tracked',
      'sl.on_hand',
    ])
    .where('ri.dish_id', 'in', [...dishIds])
    .orderBy('ri.dish_id')
    .orderBy('ri.position')
    .execute();
}

function viewOf(dish: DishRow, items: Awaited<ReturnType<typeof itemsOf>>): RecipeView {
  const ingredients = items.map((i) => {
    const onHand = i.on_hand ?? 0;
    return {
      productId: i.id,
      name: i.name,
      producerId: i.producer_id,
      producerName: i.producer_name,
      unit: i.unit,
      quantity: i.quantity,
      priceCents: i.price_cents,
      costCents: ingredientCost({ unit: i.unit, priceCents: i.price_cents, quantity: i.quantity }),
      onHand,
      // An ingredient no longer stock-tracked since is not taken off any shelf (kitchenUseOfSale): never short.
      short: i.stock_tracked === 1 && onHand < i.quantity,
      active: i.active === 1,
    };
  });
  const costing = dishCosting({ priceCents: dish.price_cents, vatRateBp: dish.vat_rate_bp }, ingredients);
  return {
    dishId: dish.id,
    dishName: dish.name,
    active: dish.active === 1,
    priceCents: dish.price_cents,
    vatRateBp: dish.vat_rate_bp,
    priceExclVatCents: costing.priceExclVatCents,
    ingredients,
    foodCostCents: costing.foodCostCents,
    marginCents: costing.marginCents,
    foodCostRateBp: costing.foodCostRateBp,
    ingredientsShort: ingredients.some((i) => i.short),
    portionsAvailable: portionsAvailable(ingredients),
  };
}

const dishColumns = ['id', 'name', 'price_cents', 'vat_rate_bp', 'active'] as const;

/** A product's recipe and costing; a product without one has no ingredients and a food cost of 0. */
export async function getRecipe(db: Db, dishId: number, siteId?: number): Promise<RecipeView> {
  const dish = await db.selectFrom('products').select(dishColumns).where('id', '=', dishId).executeTakeFirst();
  if (!dish) throw new NotFound('Article');
  return viewOf(dish, await itemsOf(db, [dishId], siteId));
}

/** Every dish that has a recipe, by name: the back office's food costs and margins. */
export async function listRecipes(db: Db, siteId?: number): Promise<RecipeView[]> {
  const dishes = await db
    .selectFrom('products')
    .select(dishColumns)
    .where(({ exists, selectFrom }) =>
      exists(selectFrom('recipe_items').select('dish_id').whereRef('recipe_items.dish_id', '=', 'products.id')),
    )
    .orderBy('name')
    .orderBy('id')
    .execute();
  const items = await itemsOf(
    db,
    dishes.map((d) => d.id),
    siteId,
  );
  return dishes.map((d) =>
    viewOf(
      d,
      items.filter((i) => i.dish_id === d.id),
    ),
  );
}

/**
 * Replaces a dish's recipe as a whole (an empty list takes it off), logged with the recipe before and
 * after. Only the house's dishes sold by the piece have one; only the producers' stock-tracked, active
 * goods go in it (what the house owns is not settled with anyone: nothing to pay for it).
 */
export async function replaceRecipe(db: Trx, dishId: number, input: RecipeBody, userId: number, now: Date): Promise<RecipeView> {
  const dish = await db
    .selectFrom('products')
    .select([...dishColumns, 'producer_id', 'unit'])
    .where('id', '=', dishId)
    .executeTakeFirst();
  if (!dish) throw new NotFound('Article');
  if (input.ingredients.length) {
    if (dish.producer_id !== null)
      throw new Invalid({
        field: 'id',
        reason: `« ${dish.name} » appartient à un producteur : seuls les plats de la maison ont une recette`,
      });
    if (dish.unit !== 'piece')
      throw new Invalid({
        field: 'id',
        reason: `« ${dish.name} » se vend au poids : une recette se donne pour une portion vendue à la pièce`,
      });
  }
  const ids = input.ingredients.map((i) => i.productId);
  const products = ids.length
    ? await db
        .selectFrom('products')
        .select(['id', 'name', 'producer_id', 'stock_tracked', 'active', 'unit'])
        .where('id', 'in', ids)
        .execute()
    : [];
  const byId = new Map(products.map((p) => [p.id, p]));
  const problems: { field: string; reason: string }[] = [];
  const seen = new Set<number>();
  input.ingredients.forEach((i, n) => {
    const field = `ingredients.${n}.productId`;
    const p = byId.get(i.productId);
    if (i.productId === dishId) return problems.push({ field, reason: 'un plat ne peut pas être son propre ingrédient' });
    if (!p) return problems.push({ field, reason: 'article inconnu' });
    if (seen.has(i.productId)) return problems.push({ field, reason: `« ${p.name} » figure deux fois : additionnez les quantités` });
    seen.add(i.productId);
    if (p.active !== 1) return problems.push({ field, reason: `« ${p.name} » est désactivé` });
    if (p.stock_tracked !== 1) return problems.push({ field, reason: `« ${p.name} » n’a pas de suivi de stock` });
    if (p.producer_id === null)
      return problems.push({ field, reason: `« ${p.name} » est un article de la maison : rien à reverser à un producteur` });
    if (p.unit === 'piece' && i.quantity > MAX_PIECES_PER_PORTION)
      problems.push({
        field: `ingredients.${n}.quantity`,
        reason: `« ${p.name} » se compte à la pièce : au plus ${MAX_PIECES_PER_PORTION} par portion`,
      });
    return undefined;
  });
  if (problems.length) throw new Invalid(problems);

  const before = await db
    .selectFrom('recipe_items')
    .select(['ingredient_id', 'quantity'])
    .where('dish_id', '=', dishId)
    .orderBy('position')
    .execute();
  await db.deleteFrom('recipe_items').where('dish_id', '=', dishId).execute();
  if (input.ingredients.length)
    await db
      .insertInto('recipe_items')
      .values(input.ingredients.map((i, n) => ({ dish_id: dishId, ingredient_id: i.productId, quantity: i.quantity, position: n + 1 })))
      .execute();
  await recordEvent(db, {
    kind: 'recipe.changed',
    userId,
    subject: `product:${dishId}`,
    data: {
      before: before.map((b) => [b.ingredient_id, b.quantity]),
      after: input.ingredients.map((i) => [i.productId, i.quantity]),
    },
    at: now.toISOString(),
  });
  return getRecipe(db, dishId);
}

export const changeRecipe = (db: Kysely<Database>, actor: Actor, dishId: number, input: RecipeBody, now: Date) =>
  db.transaction().execute((trx) => replaceRecipe(trx, dishId, input, requireUser(actor).id, now));

/**
 * Of these products, the dishes some ingredient of which has less on the shelf than one portion takes:
 * one query whatever the number of products (the till's whole catalogue).
 */
/** `siteId`: the shelves of that site (a dish is cooked where it is sold); without it, the first site's. */
export async function dishesShortOfIngredients(db: Db, dishIds: readonly number[], siteId?: number): Promise<Set<number>> {
  if (!dishIds.length) return new Set();
  const rows = await db
    .selectFrom('recipe_items as ri')
    .innerJoin('products as p', 'p.id', 'ri.ingredient_id')
    .leftJoin('stock_levels as sl', (j) =>
      j.onRef('sl.product_id', '=', 'ri.ingredient_id').on('sl.site_id', '=', siteId ?? sql<number>`(select min(id) from sites)`),
    )
    .select('ri.dish_id')
    .distinct()
    .where('ri.dish_id', 'in', [...dishIds])
    .where('p.stock_tracked', '=', 1)
    .where((eb) => eb(eb.fn.coalesce('sl.on_hand', eb.val(0)), '<', eb.ref('ri.quantity')))
    .execute();
  return new Set(rows.map((r) => r.dish_id));
}

/** The ingredients of these dishes (a sale of them moved their stock). */
export async function ingredientsOf(db: Db, dishIds: readonly number[]): Promise<number[]> {
  if (!dishIds.length) return [];
  // After every ticket (its stock event): written in SQL once (db/raw.ts).
  const rows = await rawRows<{ ingredient_id: number }>(
    db,
    `select distinct "ingredient_id" from "recipe_items" where "dish_id" in (${marks(dishIds.length)})`,
    dishIds,
  );
  return rows.map((r) => r.ingredient_id);
}

/** The dishes cooked with any of these products (their stock moved: the dishes' flag may have changed). */
export async function dishesUsing(db: Db, ingredientIds: readonly number[]): Promise<number[]> {
  if (!ingredientIds.length) return [];
  const rows = await db
    .selectFrom('recipe_items')
    .select('dish_id')
    .distinct()
    .where('ingredient_id', 'in', [...ingredientIds])
    .execute();
  return rows.map((r) => r.dish_id);
}

/**
 * The `kitchen` movements a sold ticket's dishes take off the shelves: per dish line and ingredient, the
 * portion's quantity × the line's quantity, at the ingredient's shelf price now (what its producer is
 * paid), referencing the ticket. Called by the ticket's own commit, so a replayed ticket (answered from
 * what was stored) records nothing twice. Ingredients no longer stock-tracked or now the house's are
 * skipped: there is no shelf to take them from, or nobody to pay. A dish sold by weight has no recipe.
 */
export async function kitchenUseOfSale(
  db: Trx,
  sale: {
    id: string;
    number: number;
    tillId: number;
    siteId: number;
    /** When the ticket was recorded: the shelf prices then. */
    at: Date;
    lines: readonly { lineNo: number; productId: number; name: string; unit: 'piece' | 'kg'; quantity: number }[];
  },
): Promise<MovementInput[]> {
  const dishLines = sale.lines.filter((l) => l.unit === 'piece' && l.quantity > 0);
  if (!dishLines.length) return [];
  const dishes = [...new Set(dishLines.map((l) => l.productId))];
  // Asked for every ticket: written in SQL once (db/raw.ts).
  const items = await cachedRows<{
    dish_id: number;
    ingredient_id: number;
    quantity: number;
    price_cents: number;
    producer_id: number | null;
    stock_tracked: 0 | 1;
  }>(
    db,
    `select "ri"."dish_id", "ri"."ingredient_id", "ri"."quantity", "p"."price_cents", "p"."producer_id", "p"."stock_tracked"
     from "recipe_items" as "ri" inner join "products" as "p" on "p"."id" = "ri"."ingredient_id"
     where "ri"."dish_id" in (${marks(dishes.length)}) order by "ri"."dish_id", "ri"."position"`,
    dishes,
  );
  const usable = items.filter((i) => i.stock_tracked === 1 && i.producer_id !== null);
  if (!usable.length) return [];
  const till = await db.selectFrom('tills').select('name').where('id', '=', sale.tillId).executeTakeFirst();
  // Paid at the shelf price of the site whose kitchen cooked (its own price, where it has one).
  const priceOf = await shelfPrices(
    db,
    sale.siteId,
    usable.map((i) => ({ id: i.ingredient_id, price_cents: i.price_cents })),
    sale.at,
  );
  const moves: MovementInput[] = [];
  for (const l of dishLines) {
    for (const i of usable) {
      if (i.dish_id !== l.productId) continue;
      moves.push({
        productId: i.ingredient_id,
        siteId: sale.siteId,
        kind: 'kitchen',
        quantity: -(i.quantity * l.quantity),
        saleId: sale.id,
        // What the ledger, the portal and the statement show as the reason.
        note: shortenAtWord(`${till?.name ?? 'Caisse'} · n° ${sale.number} · ${l.name} × ${l.quantity}`, 200),
        unitPriceCents: priceOf.get(i.ingredient_id)!,
      });
    }
  }
  return moves;
}
