import { sql } from 'kysely';
import type { ProductCreate, ProductListQuery, ProductUpdate, ProductView } from '../../shared/api/catalog.ts';
import { decodeBarcode, type InStoreLayout } from '../../shared/barcodes.ts';
import { normalizeForSearch, searchTerms } from '../../shared/text.ts';
import type { OutletCode } from '../../db/schema.ts';
import { Conflict, Invalid, NotFound } from '../errors.ts';
import { recordEvent } from '../journal/events.ts';
import { appendPrice } from './prices.ts';
import type { Db, Trx } from '../../db/schema.ts';
import { everything, type Scope } from '../auth/identity.ts';
import { inStoreLayouts } from '../settings/settings.ts';
import { offeredModifiers } from './modifiers.ts';
import { dishesShortOfIngredients } from './recipes.ts';

/**
 * Turns a typed or scanned barcode into the form we store: a UPC-A becomes its EAN-13, a wrong check digit
 * or a scale-label prefix (its price or weight changes with every label) is refused with the reason.
 */
export function barcodeForStorage(raw: string, layouts: readonly InStoreLayout[], field: string): string {
  const decoded = decodeBarcode(raw, layouts);
  switch (decoded.type) {
    case 'invalid':
      throw new Invalid({ field, reason: `code-barres ${raw} : clé de contrôle incorrecte` });
    case 'in-store':
      throw new Invalid({
        field,
        reason: `code-barres ${raw} : préfixe ${decoded.prefix} réservé aux étiquettes de balance ; renseignez plutôt le code PLU`,
      });
    default:
      // The shop's own generated codes (a ressourcerie item's R0000042, a textile variant's V0000042) are never typed in.
      if (/^[RV]\d{7}$/i.test(decoded.code))
        throw new Invalid({ field, reason: `code-barres ${raw} : réservé aux étiquettes de la ressourcerie et de la boutique textile` });
      return decoded.code;
  }
}

const productSearchText = (name: string, producerName: string | null, plu: string | null) =>
  normalizeForSearch([name, producerName ?? '', plu ?? ''].join(' '));

/** `siteId`: the stock on hand shown is that site's; without it, the network's (summed over the sites). */
function baseProductQuery(db: Db, siteId: number | undefined) {
  return db
    .selectFrom('products')
    .leftJoin('producers', 'producers.id', 'products.producer_id')
    .leftJoin('categories', 'categories.id', 'products.category_id')
    .leftJoin('product_models', 'product_models.id', 'products.model_id')
    .select([
      'products.model_id',
      'product_models.name as model_name',
      'products.size',
      'products.colour',
      'products.id',
      'products.name',
      'products.producer_id',
      'producers.name as producer_name',
      'products.category_id',
      'categories.name as category_name',
      'products.unit',
      'products.price_cents',
      'products.vat_rate_bp',
      'products.plu',
      'products.stock_tracked',
      'products.low_stock_threshold',
      'products.net_quantity',
      'products.net_unit',
      'products.active',
      'products.course',
      'products.takeaway_vat_rate_bp',
      'products.meal_voucher_eligible',
      (eb) => {
        const levels = eb
          .selectFrom('stock_levels')
          .select((e) => e.fn.sum<number>('stock_levels.on_hand').as('s'))
          .whereRef('stock_levels.product_id', '=', 'products.id');
        return (siteId === undefined ? levels : levels.where('stock_levels.site_id', '=', siteId)).as('on_hand');
      },
    ]);
}

type BaseRow = Awaited<ReturnType<ReturnType<typeof baseProductQuery>['execute']>>[number];

async function hydrate(db: Db, rows: BaseRow[], siteId: number | undefined) {
  if (rows.length === 0) return [];
  const ids = rows.map((r) => r.id);
  const [outlets, barcodes, modifiers, short, oneOff] = await Promise.all([
    db
      .selectFrom('product_outlets')
      .innerJoin('outlets', 'outlets.id', 'product_outlets.outlet_id')
      .select(['product_outlets.product_id', 'outlets.kind'])
      .where('product_outlets.product_id', 'in', ids)
      .execute(),
    db.selectFrom('barcodes').select(['product_id', 'code']).where('product_id', 'in', ids).orderBy('created_at').execute(),
    offeredModifiers(db, ids),
    dishesShortOfIngredients(db, ids, siteId),
    db.selectFrom('reuse_items').select('product_id').where('product_id', 'in', ids).execute(),
  ]);
  const oneOffs = new Set(oneOff.map((r) => r.product_id));
  const outletsOf = new Map<number, OutletCode[]>();
  // Named by kind: the same counter at several sites is one entry (the network's catalogue).
  for (const o of outlets) {
    const list = outletsOf.get(o.product_id) ?? [];
    if (!list.includes(o.kind)) outletsOf.set(o.product_id, [...list, o.kind]);
  }
  const codesOf = new Map<number, string[]>();
  for (const b of barcodes) codesOf.set(b.product_id, [...(codesOf.get(b.product_id) ?? []), b.code]);
  return rows.map((r) =>
    productView(r, outletsOf.get(r.id) ?? [], codesOf.get(r.id) ?? [], modifiers.get(r.id) ?? [], short.has(r.id), oneOffs.has(r.id)),
  );
}

function productView(
  r: BaseRow,
  outlets: OutletCode[],
  barcodes: string[],
  modifiers: ProductView['modifiers'],
  ingredientsShort: boolean,
  oneOff = false,
): ProductView {
  const tracked = r.stock_tracked === 1;
  const onHand = tracked ? Number(r.on_hand ?? 0) : null;
  return {
    id: r.id,
    name: r.name,
    producerId: r.producer_id,
    producerName: r.producer_name,
    categoryId: r.category_id,
    categoryName: r.category_name,
    unit: r.unit,
    priceCents: r.price_cents,
    vatRateBp: r.vat_rate_bp,
    plu: r.plu,
    stockTracked: tracked,
    lowStockThreshold: r.low_stock_threshold,
    net: r.net_quantity !== null && r.net_unit !== null ? { quantity: r.net_quantity, unit: r.net_unit } : null,
    active: r.active === 1,
    outlets: outlets.sort(),
    barcodes,
    onHand,
    low: onHand !== null && r.low_stock_threshold !== null && onHand <= r.low_stock_threshold,
    course: r.course,
    takeawayVatRateBp: r.takeaway_vat_rate_bp,
    mealVoucherEligible: r.meal_voucher_eligible === 1,
    modifiers,
    ingredientsShort,
    oneOff,
    variant:
      r.model_id !== null ? { modelId: r.model_id, modelName: r.model_name ?? '', size: r.size ?? '', colour: r.colour ?? '' } : null,
  };
}
export type { ProductView };

/** Another site's ressourcerie objects left out (`scope.reuseSiteId`). */
function ofReuseSite<Q extends ReturnType<typeof baseProductQuery>>(q: Q, scope: Scope): Q {
  const site = scope.reuseSiteId;
  if (site === undefined) return q;
  return q.where(({ not, exists, selectFrom }) =>
    not(
      exists(
        selectFrom('reuse_items')
          .select('reuse_items.product_id')
          .whereRef('reuse_items.product_id', '=', 'products.id')
          .where('reuse_items.site_id', '!=', site),
      ),
    ),
  ) as Q;
}

export async function getProduct(db: Db, id: number, scope: Scope = everything): Promise<ProductView> {
  let q = ofReuseSite(baseProductQuery(db, scope.siteId), scope).where('products.id', '=', id);
  if (scope.producerId !== null) q = q.where('products.producer_id', '=', scope.producerId);
  const row = await q.executeTakeFirst();
  if (!row) throw new NotFound('Article');
  const [view] = await hydrate(db, [row], scope.siteId);
  return view!;
}

export async function listProducts(db: Db, query: ProductListQuery, scope: Scope = everything): Promise<ProductView[]> {
  let q = ofReuseSite(baseProductQuery(db, scope.siteId), scope);
  if (scope.producerId !== null) q = q.where('products.producer_id', '=', scope.producerId);
  if (query.producerId !== undefined) q = q.where('products.producer_id', '=', query.producerId);
  if (query.categoryId !== undefined) q = q.where('products.category_id', '=', query.categoryId);
  if (query.active !== undefined) q = q.where('products.active', '=', query.active ? 1 : 0);
  if (query.outlet) {
    const outlet = query.outlet;
    const siteId = scope.siteId;
    // At a site: what that site's counter of this kind sells (a ressourcerie's objects are where they were given).
    q = q.where(({ exists, selectFrom }) => {
      let sold = selectFrom('product_outlets')
        .innerJoin('outlets', 'outlets.id', 'product_outlets.outlet_id')
        .select('product_outlets.product_id')
        .whereRef('product_outlets.product_id', '=', 'products.id')
        .where('outlets.kind', '=', outlet);
      if (siteId != null) sold = sold.where('outlets.site_id', '=', siteId);
      return exists(sold);
    });
  }
  const raw = (query.q ?? '').trim();
  const terms = searchTerms(raw);
  if (terms.length) {
    // Every term must appear (accent- and case-insensitive, on a column normalised by the same function);
    // a scanned or typed code also finds its product by barcode.
    const byText = (eb: any) => eb.and(terms.map((t) => sql<boolean>`products.search_text like ${'%' + t + '%'}`));
    if (/^[A-Za-z0-9.\-]{3,32}$/.test(raw)) {
      q = q.where((eb) =>
        eb.or([
          byText(eb),
          eb.exists(
            eb
              .selectFrom('barcodes')
              .select('barcodes.code')
              .whereRef('barcodes.product_id', '=', 'products.id')
              .where('barcodes.code', '=', raw),
          ),
        ]),
      );
    } else {
      q = q.where(byText);
    }
  }
  const rows = await q.orderBy('products.name').orderBy('products.id').limit(query.limit).offset(query.offset).execute();
  return hydrate(db, rows, scope.siteId);
}

/**
 * The outlets of these kinds at every site: a product is sold at the same counters across the network; a
 * ressourcerie's object (`site`) at its own site's only, where it is.
 */
async function outletIds(db: Db, codes: readonly OutletCode[], site: number | null = null): Promise<number[]> {
  if (!codes.length) return [];
  let q = db.selectFrom('outlets').select('id').where('kind', 'in', codes);
  if (site !== null) q = q.where('site_id', '=', site);
  return (await q.execute()).map((r) => r.id);
}

/** A weighed product has its price per kilo already: a net quantity is for prepacked pieces only. */
function checkNet(unit: 'piece' | 'kg', net: unknown) {
  if (unit === 'kg' && net != null)
    throw new Invalid({ field: 'net', reason: 'un article vendu au poids a déjà son prix au kilo : pas de quantité nette' });
}

async function checkReferences(
  db: Db,
  input: { producerId?: number | null | undefined; categoryId?: number | null | undefined; plu?: string | null | undefined },
  selfId: number | null,
) {
  if (input.producerId != null) {
    const p = await db.selectFrom('producers').select(['id', 'active']).where('id', '=', input.producerId).executeTakeFirst();
    if (!p) throw new Invalid({ field: 'producerId', reason: 'producteur inconnu' });
    if (p.active !== 1) throw new Invalid({ field: 'producerId', reason: 'ce producteur est désactivé' });
  }
  if (input.categoryId != null) {
    const c = await db.selectFrom('categories').select('id').where('id', '=', input.categoryId).executeTakeFirst();
    if (!c) throw new Invalid({ field: 'categoryId', reason: 'catégorie inconnue' });
  }
  if (input.plu != null) {
    let q = db.selectFrom('products').select(['id', 'name']).where('plu', '=', input.plu);
    if (selfId !== null) q = q.where('id', '!=', selfId);
    const other = await q.executeTakeFirst();
    if (other) throw new Conflict(`Le code PLU ${input.plu} est déjà celui de « ${other.name} ».`, 'plu');
  }
}

async function checkBarcodesFree(db: Db, codes: string[], field: string) {
  if (new Set(codes).size !== codes.length) throw new Invalid({ field, reason: 'le même code-barres figure deux fois' });
  if (!codes.length) return;
  const taken = await db
    .selectFrom('barcodes')
    .innerJoin('products', 'products.id', 'barcodes.product_id')
    .select(['barcodes.code', 'products.name'])
    .where('barcodes.code', 'in', codes)
    .executeTakeFirst();
  if (taken) throw new Conflict(`Le code-barres ${taken.code} est déjà attribué à « ${taken.name} ».`, field);
}

/**
 * The product, its outlets and its barcodes, written together in the caller's transaction. `site`: sold at
 * that site's counters only (a ressourcerie's object); without it, at every site's.
 */
export async function createProduct(
  db: Trx,
  input: ProductCreate,
  userId: number,
  now: Date,
  layouts?: InStoreLayout[],
  site: number | null = null,
): Promise<ProductView> {
  const l = layouts ?? (await inStoreLayouts(db));
  const codes = input.barcodes.map((c, i) => barcodeForStorage(c, l, `barcodes.${i}`));
  checkNet(input.unit, input.net);
  await checkReferences(db, input, null);
  await checkBarcodesFree(db, codes, 'barcodes');
  const producerName =
    input.producerId === null
      ? null
      : (await db.selectFrom('producers').select('name').where('id', '=', input.producerId).executeTakeFirstOrThrow()).name;
  const at = now.toISOString();
  const row = await db
    .insertInto('products')
    .values({
      name: input.name,
      producer_id: input.producerId,
      category_id: input.categoryId,
      unit: input.unit,
      price_cents: input.priceCents,
      vat_rate_bp: input.vatRateBp,
      plu: input.plu,
      stock_tracked: input.stockTracked ? 1 : 0,
      low_stock_threshold: input.lowStockThreshold,
      net_quantity: input.net?.quantity ?? null,
      net_unit: input.net?.unit ?? null,
      course: input.course,
      takeaway_vat_rate_bp: input.takeawayVatRateBp,
      meal_voucher_eligible: input.mealVoucherEligible ? 1 : 0,
      search_text: productSearchText(input.name, producerName, input.plu),
      created_at: at,
      updated_at: at,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  const outletRows = (await outletIds(db, [...new Set(input.outlets)], site)).map((outlet_id) => ({ product_id: row.id, outlet_id }));
  if (outletRows.length) await db.insertInto('product_outlets').values(outletRows).execute();
  if (codes.length)
    await db
      .insertInto('barcodes')
      .values(codes.map((code) => ({ code, product_id: row.id, created_at: at })))
      .execute();
  await appendPrice(
    db,
    row.id,
    { priceCents: input.priceCents, vatRateBp: input.vatRateBp, takeawayVatRateBp: input.takeawayVatRateBp },
    userId,
    at,
  );
  await recordEvent(db, {
    kind: 'product.created',
    userId,
    subject: `product:${row.id}`,
    data: {
      name: input.name,
      producerId: input.producerId,
      priceCents: input.priceCents,
      vatRateBp: input.vatRateBp,
      takeawayVatRateBp: input.takeawayVatRateBp,
      unit: input.unit,
    },
    at,
  });
  return getProduct(db, row.id);
}

export async function updateProduct(db: Trx, id: number, patch: ProductUpdate, userId: number, now: Date): Promise<ProductView> {
  const before = await db.selectFrom('products').selectAll().where('id', '=', id).executeTakeFirst();
  if (!before) throw new NotFound('Article');
  // A reference is checked when it changes: a product of a producer disabled since stays editable.
  await checkReferences(
    db,
    {
      producerId: patch.producerId === before.producer_id ? undefined : patch.producerId,
      categoryId: patch.categoryId === before.category_id ? undefined : patch.categoryId,
      plu: patch.plu === before.plu ? undefined : patch.plu,
    },
    id,
  );
  const layouts = patch.barcodes ? await inStoreLayouts(db) : [];
  const next = {
    name: patch.name ?? before.name,
    producer_id: patch.producerId === undefined ? before.producer_id : patch.producerId,
    category_id: patch.categoryId === undefined ? before.category_id : patch.categoryId,
    unit: patch.unit ?? before.unit,
    price_cents: patch.priceCents ?? before.price_cents,
    vat_rate_bp: patch.vatRateBp ?? before.vat_rate_bp,
    plu: patch.plu === undefined ? before.plu : patch.plu,
    stock_tracked: patch.stockTracked === undefined ? before.stock_tracked : patch.stockTracked ? (1 as const) : (0 as const),
    low_stock_threshold: patch.lowStockThreshold === undefined ? before.low_stock_threshold : patch.lowStockThreshold,
    net_quantity: patch.net === undefined ? before.net_quantity : (patch.net?.quantity ?? null),
    net_unit: patch.net === undefined ? before.net_unit : (patch.net?.unit ?? null),
    active: patch.active === undefined ? before.active : patch.active ? (1 as const) : (0 as const),
    course: patch.course === undefined ? before.course : patch.course,
    takeaway_vat_rate_bp: patch.takeawayVatRateBp === undefined ? before.takeaway_vat_rate_bp : patch.takeawayVatRateBp,
    meal_voucher_eligible:
      patch.mealVoucherEligible === undefined ? before.meal_voucher_eligible : patch.mealVoucherEligible ? (1 as const) : (0 as const),
  };
  checkNet(next.unit, next.net_quantity);
  if (next.unit !== before.unit) {
    // Stock is counted in pieces for one unit and grams for the other: changing it would silently rescale the ledger.
    const moved = await db.selectFrom('stock_movements').select('id').where('product_id', '=', id).limit(1).executeTakeFirst();
    if (moved)
      throw new Conflict(
        'Impossible de changer l’unité d’un article qui a déjà des mouvements de stock : créez un nouvel article.',
        'unit',
      );
  }
  const producerName =
    next.producer_id === null
      ? null
      : ((await db.selectFrom('producers').select('name').where('id', '=', next.producer_id).executeTakeFirst())?.name ?? null);
  const at = now.toISOString();
  await db
    .updateTable('products')
    .set({ ...next, search_text: productSearchText(next.name, producerName, next.plu), updated_at: at })
    .where('id', '=', id)
    .execute();
  if (patch.barcodes) {
    const current = (await db.selectFrom('barcodes').select('code').where('product_id', '=', id).execute()).map((b) => b.code);
    // Codes it already has are kept as stored; only new ones are checked (check digit, scale-label prefixes).
    const codes = patch.barcodes.map((c, i) => (current.includes(c) ? c : barcodeForStorage(c, layouts, `barcodes.${i}`)));
    const added = codes.filter((c) => !current.includes(c));
    const removed = current.filter((c) => !codes.includes(c));
    if (new Set(codes).size !== codes.length) throw new Invalid({ field: 'barcodes', reason: 'le même code-barres figure deux fois' });
    await checkBarcodesFree(db, added, 'barcodes');
    if (removed.length) await db.deleteFrom('barcodes').where('product_id', '=', id).where('code', 'in', removed).execute();
    if (added.length)
      await db
        .insertInto('barcodes')
        .values(added.map((code) => ({ code, product_id: id, created_at: at })))
        .execute();
    for (const code of added)
      await recordEvent(db, { kind: 'product.barcode_added', userId, subject: `product:${id}`, data: { code }, at });
    for (const code of removed)
      await recordEvent(db, { kind: 'product.barcode_removed', userId, subject: `product:${id}`, data: { code }, at });
  }
  if (patch.outlets) {
    await db.deleteFrom('product_outlets').where('product_id', '=', id).execute();
    const item = await db.selectFrom('reuse_items').select('site_id').where('product_id', '=', id).executeTakeFirst();
    const rows = (await outletIds(db, [...new Set(patch.outlets)], item?.site_id ?? null)).map((outlet_id) => ({
      product_id: id,
      outlet_id,
    }));
    if (rows.length) await db.insertInto('product_outlets').values(rows).execute();
  }
  const diff: Record<string, { before: unknown; after: unknown }> = {};
  for (const [k, v] of Object.entries(next)) {
    const old = (before as Record<string, unknown>)[k];
    if (old !== v) diff[k] = { before: old, after: v };
  }
  if (diff.price_cents || diff.vat_rate_bp || diff.takeaway_vat_rate_bp) {
    await appendPrice(
      db,
      id,
      { priceCents: next.price_cents, vatRateBp: next.vat_rate_bp, takeawayVatRateBp: next.takeaway_vat_rate_bp },
      userId,
      at,
    );
    await recordEvent(db, {
      kind: 'product.price_changed',
      userId,
      subject: `product:${id}`,
      data: {
        name: next.name,
        priceCents: { before: before.price_cents, after: next.price_cents },
        vatRateBp: { before: before.vat_rate_bp, after: next.vat_rate_bp },
        ...(diff.takeaway_vat_rate_bp ? { takeawayVatRateBp: diff.takeaway_vat_rate_bp } : {}),
      },
      at,
    });
  }
  if (patch.active === false && before.active === 1) {
    await recordEvent(db, { kind: 'product.deactivated', userId, subject: `product:${id}`, data: { name: next.name }, at });
  }
  const rest = Object.fromEntries(
    Object.entries(diff).filter(([k]) => !['price_cents', 'vat_rate_bp', 'takeaway_vat_rate_bp', 'active'].includes(k)),
  );
  if (Object.keys(rest).length || patch.outlets) {
    await recordEvent(db, {
      kind: 'product.updated',
      userId,
      subject: `product:${id}`,
      data: { ...rest, ...(patch.outlets ? { outlets: patch.outlets } : {}) },
      at,
    });
  }
  return getProduct(db, id);
}

export async function setThreshold(
  db: Trx,
  id: number,
  threshold: number | null,
  scope: Scope,
  userId: number,
  now: Date,
): Promise<ProductView> {
  const product = await getProduct(db, id, scope);
  await db.updateTable('products').set({ low_stock_threshold: threshold, updated_at: now.toISOString() }).where('id', '=', id).execute();
  await recordEvent(db, {
    kind: 'product.threshold_changed',
    userId,
    subject: `product:${id}`,
    data: { before: product.lowStockThreshold, after: threshold },
    at: now.toISOString(),
  });
  return getProduct(db, id, scope);
}

export async function addBarcode(db: Trx, id: number, raw: string, userId: number, now: Date): Promise<ProductView> {
  await getProduct(db, id);
  const code = barcodeForStorage(raw, await inStoreLayouts(db), 'code');
  await checkBarcodesFree(db, [code], 'code');
  await db.insertInto('barcodes').values({ code, product_id: id, created_at: now.toISOString() }).execute();
  await recordEvent(db, { kind: 'product.barcode_added', userId, subject: `product:${id}`, data: { code }, at: now.toISOString() });
  return getProduct(db, id);
}

export async function removeBarcode(db: Trx, id: number, code: string, userId: number, now: Date): Promise<ProductView> {
  const res = await db.deleteFrom('barcodes').where('product_id', '=', id).where('code', '=', code).executeTakeFirst();
  if (Number(res.numDeletedRows) === 0) throw new NotFound('Code-barres de cet article');
  await recordEvent(db, { kind: 'product.barcode_removed', userId, subject: `product:${id}`, data: { code }, at: now.toISOString() });
  return getProduct(db, id);
}

export async function refreshProductSearchText(db: Trx, where: { producerId: number }): Promise<void> {
  const rows = await db
    .selectFrom('products')
    .leftJoin('producers', 'producers.id', 'products.producer_id')
    .select(['products.id', 'products.name', 'products.plu', 'producers.name as producer_name'])
    .where('products.producer_id', '=', where.producerId)
    .execute();
  for (const r of rows) {
    await db
      .updateTable('products')
      .set({ search_text: productSearchText(r.name, r.producer_name, r.plu) })
      .where('id', '=', r.id)
      .execute();
  }
}
