import type { z } from 'zod';
import type { categoryUpdateBody, CategoryCreate, CategoryView } from '../../shared/api/catalog.ts';
import { slugify } from '../../shared/text.ts';
import { Conflict, NotFound } from '../errors.ts';
import { recordEvent } from '../journal/events.ts';
import type { Db, Trx } from '../../db/schema.ts';

type CategoryRow = { id: number; slug: string; name: string; color: string; sort_order: number; active: 0 | 1 };
export const categoryView = (c: CategoryRow, stationId: number | null): CategoryView => ({
  id: c.id,
  slug: c.slug,
  name: c.name,
  color: c.color,
  sortOrder: c.sort_order,
  active: c.active === 1,
  stationId,
});

/** Each category's station at this site's restaurant (a category none of its stations prepares: absent). */
async function stationsAt(db: Db, siteId: number | null, categoryIds?: readonly number[]): Promise<Map<number, number>> {
  if (siteId === null || (categoryIds && !categoryIds.length)) return new Map();
  let q = db
    .selectFrom('category_stations as cs')
    .innerJoin('outlets as o', 'o.id', 'cs.outlet_id')
    .select(['cs.category_id', 'cs.station_id'])
    .where('o.site_id', '=', siteId)
    .orderBy('cs.outlet_id');
  if (categoryIds) q = q.where('cs.category_id', 'in', categoryIds);
  const out = new Map<number, number>();
  for (const r of await q.execute()) if (!out.has(r.category_id)) out.set(r.category_id, r.station_id);
  return out;
}

/** The network's categories, each with its station at this site's restaurant (`siteId`; null: none said). */
export async function listCategories(db: Db, siteId: number | null) {
  const [rows, stations] = await Promise.all([
    db
      .selectFrom('categories')
      .select(['id', 'slug', 'name', 'color', 'sort_order', 'active'])
      .orderBy('sort_order')
      .orderBy('name')
      .execute(),
    stationsAt(db, siteId),
  ]);
  return rows.map((c) => categoryView(c, stations.get(c.id) ?? null));
}

export async function createCategory(db: Trx, input: CategoryCreate, userId: number, now: Date) {
  const slug = input.slug ?? slugify(input.name);
  if (await db.selectFrom('categories').select('id').where('slug', '=', slug).executeTakeFirst()) {
    throw new Conflict(`La catégorie « ${slug} » existe déjà.`, 'slug');
  }
  const row = await db
    .insertInto('categories')
    .values({ slug, name: input.name, color: input.color, sort_order: input.sortOrder })
    .returning(['id', 'slug', 'name', 'color', 'sort_order', 'active'])
    .executeTakeFirstOrThrow();
  await recordEvent(db, {
    kind: 'category.created',
    userId,
    subject: `category:${row.id}`,
    data: { slug, name: row.name },
    at: now.toISOString(),
  });
  return categoryView(row, null);
}

export async function updateCategory(
  db: Trx,
  id: number,
  patch: z.infer<typeof categoryUpdateBody>,
  userId: number,
  now: Date,
  siteId: number | null = null,
) {
  const columns = ['id', 'slug', 'name', 'color', 'sort_order', 'active'] as const;
  const before = await db.selectFrom('categories').select(columns).where('id', '=', id).executeTakeFirst();
  if (!before) throw new NotFound('Catégorie');
  const row = await db
    .updateTable('categories')
    .set({
      name: patch.name ?? before.name,
      color: patch.color ?? before.color,
      sort_order: patch.sortOrder ?? before.sort_order,
      active: patch.active === undefined ? before.active : patch.active ? 1 : 0,
    })
    .where('id', '=', id)
    .returning(columns)
    .executeTakeFirstOrThrow();
  const { stationId: _before, ...was } = categoryView(before, null);
  const { stationId: _after, ...is } = categoryView(row, null);
  await recordEvent(db, {
    kind: 'category.updated',
    userId,
    subject: `category:${id}`,
    data: { before: was, after: is },
    at: now.toISOString(),
  });
  return categoryView(row, (await stationsAt(db, siteId, [id])).get(id) ?? null);
}
