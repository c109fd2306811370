/**
 * The textile shop's models (issue 22, item 2): a model (a workshop's shirt, a tote bag) made in sizes and
 * colours; each size × colour is its own article — its barcode (`V0000042`, a Code 128 on its hang-tag), its
 * stock, its price — tied to the model so the till shows one tile and a grid, deposits and counts are typed in
 * a size grid, and the statement groups sales by model.
 */
import { sql } from 'kysely';
import type { Kysely } from 'kysely';
import type { Database, Db } from '../../db/schema.ts';
import type { ModelView } from '../../shared/api/textile.ts';
import { createProduct } from '../catalog/products.ts';
import { Invalid, NotFound } from '../errors.ts';
import { recordEvent } from '../journal/events.ts';

const variantCode = (productId: number) => `V${String(productId).padStart(7, '0')}`;

/** `siteId`: whose shelves each size × colour's stock is read from (the first site's when not said). */
export async function modelView(db: Db, id: number, siteId?: number): Promise<ModelView> {
  const m = await db.selectFrom('product_models').selectAll().where('id', '=', id).executeTakeFirst();
  if (!m) throw new NotFound('Modèle');
  const rows = await db
    .selectFrom('products as p')
    .leftJoin('stock_levels as s', (j) =>
      j.onRef('s.product_id', '=', 'p.id').on('s.site_id', '=', siteId ?? sql<number>`(select min(id) from sites)`),
    )
    .leftJoin('barcodes as b', (j) => j.onRef('b.product_id', '=', 'p.id').on('b.code', 'like', 'V%'))
    .select(['p.id', 'p.size', 'p.colour', 'p.price_cents', 'p.active', 's.on_hand', 'b.code'])
    .where('p.model_id', '=', id)
    .execute();
  const sizes = JSON.parse(m.sizes) as string[];
  const colours = JSON.parse(m.colours) as string[];
  const order = (r: { size: string | null; colour: string | null }) => colours.indexOf(r.colour ?? '') * 100 + sizes.indexOf(r.size ?? '');
  return {
    id: m.id,
    name: m.name,
    producerId: m.producer_id,
    sizes,
    colours,
    variants: rows
      .sort((a, b) => order(a) - order(b))
      .map((r) => ({
        productId: r.id,
        size: r.size ?? '',
        colour: r.colour ?? '',
        barcode: r.code ?? '',
        priceCents: r.price_cents,
        onHand: r.on_hand ?? 0,
        active: r.active === 1,
      })),
  };
}

export async function listModels(db: Db, siteId?: number): Promise<ModelView[]> {
  const ids = await db.selectFrom('product_models').select('id').orderBy('name').execute();
  return Promise.all(ids.map((r) => modelView(db, r.id, siteId)));
}

/** A model and its grid of variants, each its own article with its barcode, written together. */
export async function createModel(
  db: Kysely<Database>,
  input: {
    name: string;
    producerId: number | null;
    categoryId: number | null;
    priceCents: number;
    vatRateBp: number;
    sizes: string[];
    colours: string[];
    outlets: ('shop' | 'restaurant' | 'epicerie' | 'textile' | 'ressourcerie')[];
  },
  userId: number,
  now: Date,
): Promise<ModelView> {
  if (input.sizes.length * input.colours.length > 200) throw new Invalid({ field: 'sizes', reason: '200 déclinaisons au plus par modèle' });
  if (input.producerId !== null && !(await db.selectFrom('producers').select('id').where('id', '=', input.producerId).executeTakeFirst()))
    throw new Invalid({ field: 'producerId', reason: 'producteur inconnu' });
  if (input.categoryId !== null && !(await db.selectFrom('categories').select('id').where('id', '=', input.categoryId).executeTakeFirst()))
    throw new Invalid({ field: 'categoryId', reason: 'catégorie inconnue' });
  const id = await db.transaction().execute(async (trx) => {
    const { id } = await trx
      .insertInto('product_models')
      .values({
        name: input.name,
        producer_id: input.producerId,
        category_id: input.categoryId,
        sizes: JSON.stringify(input.sizes),
        colours: JSON.stringify(input.colours),
        created_at: now.toISOString(),
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    for (const colour of input.colours)
      for (const size of input.sizes) {
        const p = await createProduct(
          trx,
          {
            name: `${input.name} ${colour} ${size}`,
            producerId: input.producerId,
            categoryId: input.categoryId,
            unit: 'piece',
            priceCents: input.priceCents,
            vatRateBp: input.vatRateBp,
            plu: null,
            stockTracked: true,
            lowStockThreshold: null,
            outlets: input.outlets,
            barcodes: [],
            net: null,
            course: null,
            takeawayVatRateBp: null,
            mealVoucherEligible: false,
          },
          userId,
          now,
        );
        await trx.updateTable('products').set({ model_id: id, size, colour }).where('id', '=', p.id).execute();
        await trx
          .insertInto('barcodes')
          .values({ product_id: p.id, code: variantCode(p.id), created_at: now.toISOString() })
          .execute();
      }
    await recordEvent(trx, {
      kind: 'product.model_created',
      userId,
      subject: `model:${id}`,
      data: { name: input.name, sizes: input.sizes, colours: input.colours },
      at: now.toISOString(),
    });
    return id;
  });
  return modelView(db, id);
}
