/**
 * The catalogue domain's services as the HTTP routes use them: each takes the database, the acting identity
 * and its input, opens the transaction a write needs and calls the domain functions (`producers.ts`,
 * `categories.ts`, `products.ts`, `import.ts`, `labels.ts`), which take that transaction. No request, no response.
 */
import { producersWithoutVat } from '../accounting/consignment.ts';
import { businessDay } from '../../shared/time.ts';
import type { Kysely } from 'kysely';
import type { z } from 'zod';
import type {
  CategoryCreate,
  categoryUpdateBody,
  ImportReport,
  labelsBody,
  ProducerCreate,
  ProducerUpdate,
  ProductCreate,
  ProductUpdate,
  ScannedCode,
  TillCatalog,
} from '../../shared/api/catalog.ts';
import type { ProductModifiersBody, ProductModifiersView } from '../../shared/api/modifiers.ts';
import { decodeBarcode } from '../../shared/barcodes.ts';
import { cents, grams, weighedPrice } from '../../shared/money.ts';
import type { Database, Db, OutletCode } from '../../db/schema.ts';
import { producerScope, requireAccess, requireUser, type Actor } from '../auth/access.ts';
import { labelsPdf, tagsPdf } from '../documents/labels.ts';
import { Forbidden, Invalid, NotFound } from '../errors.ts';
import { NETWORK_ONLY } from '../http/access.ts';
import { inStoreLayouts, isDemo } from '../settings/settings.ts';
import { createCategory, listCategories, updateCategory } from './categories.ts';
import { importProducts } from './import.ts';
import { labelsFor } from './labels.ts';
import { replaceModifiers } from './modifiers.ts';
import { createProducer, getProducer, updateProducer, type ProducerView } from './producers.ts';
import {
  addBarcode,
  createProduct,
  getProduct,
  listProducts,
  removeBarcode,
  setThreshold,
  updateProduct,
  type ProductView,
} from './products.ts';
import { activeProducerNames, outletOfTill, productIdByBarcode, productIdByPlu } from './queries.ts';
import { siteOf, siteScope, sitePricesNow, type SiteAsker } from '../sites/sites.ts';

/** At most this many stickers in one PDF. */
const MAX_LABELS = 2000;

// Producers

export const registerProducer = (db: Kysely<Database>, actor: Actor, input: ProducerCreate, now: Date): Promise<ProducerView> =>
  db.transaction().execute((trx) => createProducer(trx, input, requireUser(actor).id, now));

/** One producer: managers any, a producer only their own record. */
export async function viewProducer(db: Db, actor: Actor, id: number): Promise<ProducerView> {
  await requireAccess(db, actor, { producer: id });
  return getProducer(db, id);
}

/** A manager tied to a site edits a producer's contact details; what the producer is paid and how is the network's. */
export const editProducer = (db: Kysely<Database>, actor: Actor, id: number, patch: ProducerUpdate, now: Date): Promise<ProducerView> =>
  db.transaction().execute((trx) => updateProducer(trx, id, patch, requireUser(actor).id, now, siteScope(actor) !== null));

// Categories

export const addCategory = (db: Kysely<Database>, actor: Actor, input: CategoryCreate, now: Date) =>
  db.transaction().execute((trx) => createCategory(trx, input, requireUser(actor).id, now));

export const editCategory = async (
  db: Kysely<Database>,
  actor: SiteAsker,
  id: number,
  patch: z.output<typeof categoryUpdateBody>,
  now: Date,
) => {
  const siteId = await siteOf(actor);
  return db.transaction().execute((trx) => updateCategory(trx, id, patch, requireUser(actor).id, now, siteId));
};

// Products

export const addProduct = (db: Kysely<Database>, actor: Actor, input: ProductCreate, now: Date): Promise<ProductView> =>
  db.transaction().execute((trx) => createProduct(trx, input, requireUser(actor).id, now));

/** What a manager tied to a site may change of their ressourcerie's objects. */
const SITE_EDITABLE: ReadonlySet<string> = new Set(['name', 'priceCents', 'active']);

export const editProduct = (db: Kysely<Database>, actor: Actor, id: number, patch: ProductUpdate, now: Date): Promise<ProductView> =>
  db.transaction().execute(async (trx) => {
    // A ressourcerie's object is its site's: its site's manager reprices or withdraws it, another site's does
    // not find it. Anything else is the network's catalogue, sold at every site's counters at the network's
    // price and paid to its producer: a manager tied to a site sets their site's own price instead
    // (PUT /api/sites/:id/prices/:productId).
    const scope = siteScope(actor);
    if (scope !== null) {
      const item = await trx.selectFrom('reuse_items').select('site_id').where('product_id', '=', id).executeTakeFirst();
      if (item && item.site_id !== scope) throw new NotFound('Article');
      if (!item) {
        const found = await trx.selectFrom('products').select('id').where('id', '=', id).executeTakeFirst();
        if (!found) throw new NotFound('Article');
        throw new Forbidden(NETWORK_ONLY);
      }
      // Of their object: its name, its price, and whether it is still for sale. Who is paid for it, its VAT and
      // where it is sold stay as the ressourcerie's model set them (a producer named there would be paid for it).
      const other = Object.keys(patch).find((k) => !SITE_EDITABLE.has(k) && patch[k as keyof ProductUpdate] !== undefined);
      if (other)
        throw new Forbidden(
          `« ${other} » est réservé à la gestion du réseau : d’un objet de votre ressourcerie, vous changez le nom, le prix et sa mise en vente.`,
        );
    }
    return updateProduct(trx, id, patch, requireUser(actor).id, now);
  });

/** A product's modifier groups and options, replaced as a whole. */
export const editModifiers = (
  db: Kysely<Database>,
  actor: Actor,
  id: number,
  body: ProductModifiersBody,
  now: Date,
): Promise<ProductModifiersView> =>
  db.transaction().execute(async (trx) => {
    await getProduct(trx, id);
    return replaceModifiers(trx, id, body, requireUser(actor).id, now);
  });

/** The low-stock threshold: managers on any product, a producer on their own only. */
export const changeThreshold = (
  db: Kysely<Database>,
  actor: Actor,
  id: number,
  threshold: number | null,
  now: Date,
): Promise<ProductView> =>
  db.transaction().execute((trx) => setThreshold(trx, id, threshold, producerScope(actor), requireUser(actor).id, now));

export const addProductBarcode = (db: Kysely<Database>, actor: Actor, id: number, code: string, now: Date): Promise<ProductView> =>
  db.transaction().execute((trx) => addBarcode(trx, id, code, requireUser(actor).id, now));

export const removeProductBarcode = (db: Kysely<Database>, actor: Actor, id: number, code: string, now: Date): Promise<ProductView> =>
  db.transaction().execute((trx) => removeBarcode(trx, id, code, requireUser(actor).id, now));

/** A CSV import: a dry run reports; a real one writes every row or, if any row fails, refuses with each problem. */
export async function importCatalogue(
  db: Kysely<Database>,
  actor: Actor,
  csv: string,
  { dryRun, now }: { dryRun: boolean; now: Date },
): Promise<ImportReport> {
  const report = await importProducts(db, csv, { dryRun, userId: requireUser(actor).id, now });
  if (!report.dryRun && report.problems.length) {
    throw new Invalid(
      report.problems.map((p) => ({ field: `ligne ${p.line} · ${p.field}`, reason: p.reason })),
      `Import refusé : ${report.problems.length} problème(s), rien n’a été enregistré.`,
    );
  }
  return report;
}

/** Shelf labels on A4 sticker sheets, as a PDF. */
export async function shelfLabelsPdf(db: Db, input: z.output<typeof labelsBody>): Promise<Buffer> {
  const labels = await labelsFor(db, input.items, MAX_LABELS);
  if (input.format === 'tag') return tagsPdf(labels, { demo: await isDemo(db) });
  return labelsPdf(labels, { skip: input.skip, demo: await isDemo(db) });
}

// What a till needs

/**
 * Everything a till sells offline: the active products of its outlet (the one asked for, else the till's own,
 * else the shop), with the stock on its site's shelves and the site's own prices where it has some.
 */
export async function tillCatalogue(db: Db, actor: SiteAsker, asked: OutletCode | undefined, now: Date): Promise<TillCatalog> {
  const outlet = asked ?? (actor.device ? await outletOfTill(db, actor.device.tillId) : 'shop');
  const siteId = await siteOf(actor);
  const [listed, categories, producers, layouts, ownPrices] = await Promise.all([
    // The till needs the whole catalogue, not a page of it.
    listProducts(db, { outlet, active: true, limit: 1_000_000, offset: 0 }, { producerId: null, siteId }),
    listCategories(db, siteId),
    activeProducerNames(db),
    inStoreLayouts(db),
    sitePricesNow(db, siteId),
  ]);
  const products = ownPrices.size
    ? listed.map((p) => (ownPrices.has(p.id) ? { ...p, priceCents: ownPrices.get(p.id)!.priceCents } : p))
    : listed;
  // Mandataire: a franchise or flat-rate producer's goods carry no VAT on the receipt; the till rings them at 0.
  const noVat = await producersWithoutVat(db, businessDay(now, 'Europe/Paris'));
  return {
    outlet,
    siteId,
    generatedAt: now.toISOString(),
    products: noVat.size
      ? products.map((p) => (p.producerId !== null && noVat.has(p.producerId) ? { ...p, vatRateBp: 0, takeawayVatRateBp: null } : p))
      : products,
    categories: categories.filter((c) => c.active),
    producers,
    inStoreLayouts: layouts,
  };
}

/** A scanned code: its product, and for a scale label the price or weight it carries (the line's price from it). */
export async function scanCode(db: Db, code: string, siteId?: number): Promise<ScannedCode> {
  const decoded = decodeBarcode(code, await inStoreLayouts(db));
  if (decoded.type === 'invalid') throw new Invalid({ field: 'code', reason: 'clé de contrôle incorrecte : scannez à nouveau' });
  const productId = decoded.type === 'in-store' ? await productIdByPlu(db, decoded.itemCode) : await productIdByBarcode(db, decoded.code);
  if (productId === undefined) throw new NotFound(`Article pour le code ${code}`);
  const found = await getProduct(db, productId, { producerId: null, siteId });
  const own = siteId === undefined ? undefined : (await sitePricesNow(db, siteId, [productId])).get(productId);
  const product = own ? { ...found, priceCents: own.priceCents } : found;
  let lineCents = product.unit === 'piece' ? product.priceCents : null;
  let lineGrams: number | null = null;
  if (decoded.type === 'in-store' && decoded.kind === 'price') lineCents = decoded.priceCents;
  if (decoded.type === 'in-store' && decoded.kind === 'weight') {
    lineGrams = decoded.grams;
    lineCents = weighedPrice(cents(product.priceCents), grams(decoded.grams));
  }
  return { code: decoded.code, decoded, product, lineCents, grams: lineGrams };
}
