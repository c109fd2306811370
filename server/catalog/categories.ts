import type { z } from 'zod';
import type { categoryUpdateBody, CategoryCreate, CategoryView } from '../../shared/api/catalog.ts';
import { slugify } from '../../shared/text.ts';
import { Conflict, NotFound } from '../errors.ts';
import { recordEvent } from '../journal/events.ts';
import type { Db, Trx } from '../../db/schema.ts';

type CategoryRow = { id: number; slug: string; name: string; color: string; sort_order: number; active: 0 | 1; station_id: number | null };
export const categoryView = (c: CategoryRow): CategoryView => ({
  id: c.id,
  slug: c.slug,
  name: c.name,
  color: c.color,
  sortOrder: c.sort_order,
  active: c.active === 1,
  stationId: c.station_id,
});

export async function listCategories(db: Db) {
  const rows = await db.selectFrom('categories').selectAll().orderBy('sort_order').orderBy('name').execute();
  return rows.map(categoryView);
}

export async function createCategory(db: Trx, input: CategoryCreate, userId: number, now: Date) {
  const slug = input.slug ?? slugify(input.name);
  if (await db.selectFrom('categories').select('id').where('slug', '=', slug).executeTakeFirst()) {
    throw new Conflict(`La catégorie « ${slug} » existe déjà.`, 'slug');
  }
  const row = await db
    .insertInto('categories')
    .values({ slug, name: input.name, color: input.color, sort_order: input.sortOrder })
    .returningAll()
    .executeTakeFirstOrThrow();
  await recordEvent(db, {
    kind: 'category.created',
    userId,
    subject: `category:${row.id}`,
    data: { slug, name: row.name },
    at: now.toISOString(),
  });
  return categoryView(row);
}

export async function updateCategory(db: Trx, id: number, patch: z.infer<typeof categoryUpdateBody>, userId: number, now: Date) {
  const before = await db.selectFrom('categories').selectAll().where('id', '=', id).executeTakeFirst();
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
    .returningAll()
    .executeTakeFirstOrThrow();
  await recordEvent(db, {
    kind: 'category.updated',
    userId,
    subject: `category:${id}`,
    data: { before: categoryView(before), after: categoryView(row) },
    at: now.toISOString(),
  });
  return categoryView(row);
}
