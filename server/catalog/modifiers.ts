/**
 * A product's modifiers: the back office reads and replaces its groups and options; the catalogue shows the
 * active ones with each product; an order checks a waiter's choice against them and keeps what was chosen.
 */
import type { ProductView } from '../../shared/api/catalog.ts';
import type { ProductModifiersBody, ProductModifiersView } from '../../shared/api/modifiers.ts';
import type { Db, Trx } from '../../db/schema.ts';
import { Invalid, NotFound, Unprocessable, type FieldProblem } from '../errors.ts';
import { recordEvent } from '../journal/events.ts';
import { cachedRows, marks } from '../../db/raw.ts';

/** A modifier as an order line keeps it: what it was called and cost when the dish was ordered. */
export interface ChosenModifier {
  optionId: number;
  group: string;
  name: string;
  priceCents: number;
}

/**
 * A product's groups and options, in the menu's order. Read for every ticket a till sends (its dishes'
 * options are checked there): written in SQL once and kept by the read cache (db/raw.ts), which the back
 * office's writes to these tables empty.
 */
async function rowsOf(db: Db, productIds: readonly number[]) {
  if (!productIds.length) return [];
  return cachedRows<{
    group_id: number;
    product_id: number;
    group_name: string;
    min_choices: number;
    max_choices: number;
    group_position: number;
    option_id: number | null;
    option_name: string | null;
    price_cents: number | null;
    option_position: number | null;
    active: number | null;
  }>(
    db,
    `select "modifier_groups"."id" as "group_id", "modifier_groups"."product_id", "modifier_groups"."name" as "group_name",
       "modifier_groups"."min_choices", "modifier_groups"."max_choices", "modifier_groups"."position" as "group_position",
       "modifier_options"."id" as "option_id", "modifier_options"."name" as "option_name", "modifier_options"."price_cents",
       "modifier_options"."position" as "option_position", "modifier_options"."active"
     from "modifier_groups" left join "modifier_options" on "modifier_options"."group_id" = "modifier_groups"."id"
     where "modifier_groups"."product_id" in (${marks(productIds.length)})
     order by "modifier_groups"."product_id", "modifier_groups"."position", "modifier_groups"."id", "modifier_options"."position", "modifier_options"."id"`,
    productIds,
  );
}

/** Every group and option of a product, withdrawn options included: what the back office edits. */
export async function productModifiers(db: Db, productId: number): Promise<ProductModifiersView> {
  const product = await db.selectFrom('products').select('id').where('id', '=', productId).executeTakeFirst();
  if (!product) throw new NotFound('Article');
  const groups = new Map<number, ProductModifiersView['groups'][number]>();
  for (const r of await rowsOf(db, [productId])) {
    if (!groups.has(r.group_id))
      groups.set(r.group_id, { id: r.group_id, name: r.group_name, min: r.min_choices, max: r.max_choices, options: [] });
    if (r.option_id !== null)
      groups.get(r.group_id)!.options.push({ id: r.option_id, name: r.option_name!, priceCents: r.price_cents!, active: r.active === 1 });
  }
  return { productId, groups: [...groups.values()] };
}

/**
 * The modifiers a till offers, for many products in one query: active options only, a group with none left
 * is not offered, and its minimum is at most what is left to choose from.
 */
export async function offeredModifiers(db: Db, productIds: readonly number[]): Promise<Map<number, ProductView['modifiers']>> {
  const out = new Map<number, ProductView['modifiers']>();
  const groups = new Map<number, ProductView['modifiers'][number]>();
  for (const r of await rowsOf(db, productIds)) {
    if (r.option_id === null || r.active !== 1) continue;
    let g = groups.get(r.group_id);
    if (!g) {
      g = { id: r.group_id, name: r.group_name, min: r.min_choices, max: r.max_choices, options: [] };
      groups.set(r.group_id, g);
      out.set(r.product_id, [...(out.get(r.product_id) ?? []), g]);
    }
    g.options.push({ id: r.option_id, name: r.option_name!, priceCents: r.price_cents! });
  }
  for (const g of groups.values()) g.min = Math.min(g.min, g.options.length);
  return out;
}

/**
 * Checks a waiter's choice for a product against its offered modifiers: each option known and active, each
 * group's minimum and maximum kept. Returns the choice as the line keeps it, in the menu's order.
 */
export async function chooseModifiers(
  db: Db,
  productId: number,
  optionIds: readonly number[],
  field = 'modifiers',
): Promise<ChosenModifier[]> {
  const { chosen, problems } = checkChoice((await offeredModifiers(db, [productId])).get(productId) ?? [], optionIds, field);
  if (problems.length) throw new Unprocessable('Choix de l’article incomplet ou invalide.', problems);
  return chosen;
}

/**
 * The same check on the modifiers already read (a till's ticket reads its products' at once): the choice as
 * kept, and each problem named by `field` (`modifiers`, `lines.2.modifiers`…).
 */
export function checkChoice(
  offered: ProductView['modifiers'],
  optionIds: readonly number[],
  field: string,
): { chosen: ChosenModifier[]; problems: FieldProblem[] } {
  const problems: FieldProblem[] = [];
  const seen = new Set<number>();
  optionIds.forEach((id, i) => {
    if (seen.has(id)) problems.push({ field: `${field}.${i}`, reason: 'option choisie deux fois' });
    else if (!offered.some((g) => g.options.some((o) => o.id === id)))
      problems.push({ field: `${field}.${i}`, reason: 'option inconnue pour cet article, ou retirée' });
    seen.add(id);
  });
  const chosen: ChosenModifier[] = [];
  for (const g of offered) {
    const picked = g.options.filter((o) => seen.has(o.id));
    if (picked.length < g.min)
      problems.push({
        field,
        reason: g.min === g.max ? `« ${g.name} » : choisir ${g.min} option(s)` : `« ${g.name} » : au moins ${g.min} option(s)`,
      });
    if (picked.length > g.max) problems.push({ field, reason: `« ${g.name} » : au plus ${g.max} option(s)` });
    for (const o of picked) chosen.push({ optionId: o.id, group: g.name, name: o.name, priceCents: o.priceCents });
  }
  return { chosen, problems };
}

/** Replaces a product's groups and options in the caller's transaction; ids given are kept, the rest are new. */
export async function replaceModifiers(
  trx: Trx,
  productId: number,
  body: ProductModifiersBody,
  userId: number,
  now: Date,
): Promise<ProductModifiersView> {
  const before = await productModifiers(trx, productId);
  const problems: FieldProblem[] = [];
  const groupNames = new Set<string>();
  body.groups.forEach((g, i) => {
    const key = g.name.toLocaleLowerCase('fr');
    if (groupNames.has(key)) problems.push({ field: `groups.${i}.name`, reason: 'deux groupes portent ce nom' });
    groupNames.add(key);
    if (g.max > g.options.length) problems.push({ field: `groups.${i}.max`, reason: `au plus ${g.options.length} (le nombre d’options)` });
    const old = g.id === undefined ? undefined : before.groups.find((b) => b.id === g.id);
    if (g.id !== undefined && !old) problems.push({ field: `groups.${i}.id`, reason: 'groupe inconnu pour cet article' });
    const names = new Set<string>();
    g.options.forEach((o, j) => {
      const k = o.name.toLocaleLowerCase('fr');
      if (names.has(k)) problems.push({ field: `groups.${i}.options.${j}.name`, reason: 'deux options portent ce nom' });
      names.add(k);
      if (o.id !== undefined && !old?.options.some((b) => b.id === o.id))
        problems.push({ field: `groups.${i}.options.${j}.id`, reason: 'option inconnue pour ce groupe' });
    });
  });
  if (problems.length) throw new Invalid(problems);

  const keptGroups = new Set(body.groups.flatMap((g) => (g.id === undefined ? [] : [g.id])));
  const keptOptions = new Set(body.groups.flatMap((g) => g.options.flatMap((o) => (o.id === undefined ? [] : [o.id]))));
  // Lines already ordered keep their own copy of what was chosen: an option can go without touching them.
  const goneOptions = before.groups.flatMap((g) => g.options.map((o) => o.id)).filter((id) => !keptOptions.has(id));
  if (goneOptions.length) await trx.deleteFrom('modifier_options').where('id', 'in', goneOptions).execute();
  const goneGroups = before.groups.map((g) => g.id).filter((id) => !keptGroups.has(id));
  if (goneGroups.length) {
    await trx.deleteFrom('modifier_options').where('group_id', 'in', goneGroups).execute();
    await trx.deleteFrom('modifier_groups').where('id', 'in', goneGroups).execute();
  }
  for (const [position, g] of body.groups.entries()) {
    const values = { product_id: productId, name: g.name, min_choices: g.min, max_choices: g.max, position };
    let groupId: number;
    if (g.id !== undefined) {
      await trx.updateTable('modifier_groups').set(values).where('id', '=', g.id).execute();
      groupId = g.id;
    } else groupId = (await trx.insertInto('modifier_groups').values(values).returning('id').executeTakeFirstOrThrow()).id;
    for (const [p, o] of g.options.entries()) {
      const option = {
        group_id: groupId,
        name: o.name,
        price_cents: o.priceCents,
        position: p,
        active: o.active ? (1 as const) : (0 as const),
      };
      if (o.id !== undefined) await trx.updateTable('modifier_options').set(option).where('id', '=', o.id).execute();
      else await trx.insertInto('modifier_options').values(option).execute();
    }
  }
  const after = await productModifiers(trx, productId);
  const summary = (v: ProductModifiersView) =>
    v.groups.map((g) => ({ name: g.name, min: g.min, max: g.max, options: g.options.map((o) => [o.name, o.priceCents, o.active]) }));
  await recordEvent(trx, {
    kind: 'product.modifiers_changed',
    userId,
    subject: `product:${productId}`,
    data: { before: summary(before), after: summary(after) },
    at: now.toISOString(),
  });
  return after;
}
