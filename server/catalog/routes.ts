import { z } from 'zod';
import {
  barcodeBody,
  barcodeParams,
  catalogQuery,
  categoryCreateBody,
  categoryUpdateBody,
  importQuery,
  producerCreateBody,
  producerListQuery,
  producerUpdateBody,
  productCreateBody,
  productListQuery,
  productUpdateBody,
  thresholdBody,
} from '../../shared/api/catalog.ts';
import { barcodeText, labelsBody } from '../../shared/api/catalog.ts';
import { labelsPdf } from '../documents/labels.ts';
import { labelsFor } from './labels.ts';
import { decodeBarcode } from '../../shared/barcodes.ts';
import { weighedPrice, cents, grams } from '../../shared/money.ts';
import { Invalid, NotFound } from '../errors.ts';
import { MANAGERS, requireUser, scopeOf, TILL } from '../http/access.ts';
import { idParams, Reply, route } from '../http/route.ts';
import { inStoreLayouts, isDemo } from '../settings/settings.ts';
import { createCategory, listCategories, updateCategory } from './categories.ts';
import { importProducts } from './import.ts';
import { createProducer, getProducer, listProducers, updateProducer } from './producers.ts';
import { addBarcode, createProduct, getProduct, listProducts, removeBarcode, setThreshold, updateProduct } from './products.ts';

export const catalogRoutes = [
  // Producers
  route({
    method: 'get',
    path: '/api/producers',
    access: MANAGERS,
    tag: 'producers',
    summary: 'List producers (search accent- and case-insensitive)',
    query: producerListQuery,
    handler: async ({ query }, ctx) => listProducers(ctx.db, query),
  }),
  route({
    method: 'post',
    path: '/api/producers',
    access: MANAGERS,
    tag: 'producers',
    summary: 'Create a producer (consignor)',
    body: producerCreateBody,
    handler: async ({ body }, ctx) =>
      Reply.created(await ctx.db.transaction().execute((trx) => createProducer(trx, body, requireUser(ctx).id, ctx.services.now()))),
  }),
  route({
    method: 'get',
    path: '/api/producers/:id',
    access: [...MANAGERS, 'producer'],
    tag: 'producers',
    summary: 'One producer; a producer may read only their own record',
    params: idParams,
    handler: async ({ params }, ctx) => {
      const scope = scopeOf(ctx);
      if (scope.producerId !== null && scope.producerId !== params.id) throw new NotFound('Producteur');
      return getProducer(ctx.db, params.id);
    },
  }),
  route({
    method: 'patch',
    path: '/api/producers/:id',
    access: MANAGERS,
    tag: 'producers',
    summary: 'Update a producer, or deactivate it with `active: false` (never deleted)',
    params: idParams,
    body: producerUpdateBody,
    handler: async ({ params, body }, ctx) =>
      ctx.db.transaction().execute((trx) => updateProducer(trx, params.id, body, requireUser(ctx).id, ctx.services.now())),
  }),

  // Categories
  route({
    method: 'get',
    path: '/api/categories',
    access: [...TILL, 'producer'],
    tag: 'catalog',
    summary: 'List categories',
    handler: async (_, ctx) => listCategories(ctx.db),
  }),
  route({
    method: 'post',
    path: '/api/categories',
    access: MANAGERS,
    tag: 'catalog',
    summary: 'Create a category',
    body: categoryCreateBody,
    handler: async ({ body }, ctx) =>
      Reply.created(await ctx.db.transaction().execute((trx) => createCategory(trx, body, requireUser(ctx).id, ctx.services.now()))),
  }),
  route({
    method: 'patch',
    path: '/api/categories/:id',
    access: MANAGERS,
    tag: 'catalog',
    summary: 'Update or deactivate a category',
    params: idParams,
    body: categoryUpdateBody,
    handler: async ({ params, body }, ctx) =>
      ctx.db.transaction().execute((trx) => updateCategory(trx, params.id, body, requireUser(ctx).id, ctx.services.now())),
  }),

  // Products
  route({
    method: 'get',
    path: '/api/products',
    access: [...TILL, 'producer'],
    tag: 'catalog',
    summary: 'List and search products (`q`: accent- and case-insensitive, or a barcode); a producer sees only their own',
    query: productListQuery,
    handler: async ({ query }, ctx) => listProducts(ctx.db, query, scopeOf(ctx)),
  }),
  route({
    method: 'post',
    path: '/api/products',
    access: MANAGERS,
    tag: 'catalog',
    summary: 'Create a product with its outlets and barcodes',
    body: productCreateBody,
    handler: async ({ body }, ctx) => {
      const product = await ctx.db.transaction().execute((trx) => createProduct(trx, body, requireUser(ctx).id, ctx.services.now()));
      ctx.services.realtime?.catalogChanged([product.id]);
      return Reply.created(product);
    },
  }),
  route({
    method: 'post',
    path: '/api/products/import',
    access: MANAGERS,
    tag: 'catalog',
    summary: 'Import products from CSV (`;` or `,`, UTF-8). `dryRun=true` (default) only reports; nothing is written if any row fails',
    query: importQuery,
    body: z.string().max(5_000_000),
    bodyKind: 'text',
    handler: async ({ query, body }, ctx) => {
      const report = await importProducts(ctx.db, body, { dryRun: query.dryRun, userId: requireUser(ctx).id, now: ctx.services.now() });
      if (!report.dryRun && report.problems.length) {
        throw new Invalid(
          report.problems.map((p) => ({ field: `ligne ${p.line} · ${p.field}`, reason: p.reason })),
          `Import refusé : ${report.problems.length} problème(s), rien n’a été enregistré.`,
        );
      }
      return report;
    },
  }),
  route({
    method: 'post',
    path: '/api/labels.pdf',
    access: MANAGERS,
    tag: 'catalog',
    summary:
      'Shelf labels on A4 sticker sheets (3 × 7): name, producer, price, price per kg for weighed goods or per kg / litre for prepacked pieces, EAN barcode',
    body: labelsBody,
    handler: async ({ body }, ctx) => {
      const labels = await labelsFor(ctx.db, body.items, 2000);
      return Reply.file(await labelsPdf(labels, { skip: body.skip, demo: await isDemo(ctx.db) }), 'application/pdf', 'etiquettes.pdf');
    },
  }),
  route({
    method: 'get',
    path: '/api/products/:id',
    access: [...TILL, 'producer'],
    tag: 'catalog',
    summary: 'One product; a producer may read only their own',
    params: idParams,
    handler: async ({ params }, ctx) => getProduct(ctx.db, params.id, scopeOf(ctx)),
  }),
  route({
    method: 'patch',
    path: '/api/products/:id',
    access: MANAGERS,
    tag: 'catalog',
    summary: 'Update a product (a price change is logged), or deactivate it with `active: false` (never deleted)',
    params: idParams,
    body: productUpdateBody,
    handler: async ({ params, body }, ctx) => {
      const product = await ctx.db
        .transaction()
        .execute((trx) => updateProduct(trx, params.id, body, requireUser(ctx).id, ctx.services.now()));
      ctx.services.realtime?.catalogChanged([product.id]);
      return product;
    },
  }),
  route({
    method: 'put',
    path: '/api/products/:id/threshold',
    access: [...MANAGERS, 'producer'],
    tag: 'stock',
    summary: 'Set the low-stock threshold; a producer may set it on their own products',
    params: idParams,
    body: thresholdBody,
    handler: async ({ params, body }, ctx) =>
      ctx.db
        .transaction()
        .execute((trx) => setThreshold(trx, params.id, body.lowStockThreshold, scopeOf(ctx), requireUser(ctx).id, ctx.services.now())),
  }),
  route({
    method: 'post',
    path: '/api/products/:id/barcodes',
    access: MANAGERS,
    tag: 'catalog',
    summary: 'Add a barcode to a product (check digit verified)',
    params: idParams,
    body: barcodeBody,
    handler: async ({ params, body }, ctx) =>
      Reply.created(
        await ctx.db.transaction().execute((trx) => addBarcode(trx, params.id, body.code, requireUser(ctx).id, ctx.services.now())),
      ),
  }),
  route({
    method: 'delete',
    path: '/api/products/:id/barcodes/:code',
    access: MANAGERS,
    tag: 'catalog',
    summary: 'Remove a barcode from a product',
    params: barcodeParams,
    handler: async ({ params }, ctx) =>
      ctx.db.transaction().execute((trx) => removeBarcode(trx, params.id, params.code, requireUser(ctx).id, ctx.services.now())),
  }),

  // What a till needs
  route({
    method: 'get',
    path: '/api/catalog',
    access: TILL,
    tag: 'catalog',
    summary: 'Everything a till needs to sell offline: active products of its outlet, categories, producers, scale-label layouts',
    query: catalogQuery,
    handler: async ({ query }, ctx) => {
      let outlet = query.outlet;
      if (!outlet && ctx.device) {
        const till = await ctx.db
          .selectFrom('tills')
          .innerJoin('outlets', 'outlets.id', 'tills.outlet_id')
          .select('outlets.code')
          .where('tills.id', '=', ctx.device.tillId)
          .executeTakeFirstOrThrow();
        outlet = till.code;
      }
      const [products, categories, producers, layouts] = await Promise.all([
        // The till needs the whole catalogue, not a page of it.
        listProducts(ctx.db, { outlet: outlet ?? 'shop', active: true, limit: 1_000_000, offset: 0 }),
        listCategories(ctx.db),
        ctx.db.selectFrom('producers').select(['id', 'name', 'slug']).where('active', '=', 1).orderBy('name').execute(),
        inStoreLayouts(ctx.db),
      ]);
      return {
        outlet: outlet ?? 'shop',
        generatedAt: ctx.services.now().toISOString(),
        products,
        categories: categories.filter((c) => c.active),
        producers,
        inStoreLayouts: layouts,
      };
    },
  }),
  route({
    method: 'get',
    path: '/api/barcodes/:code',
    access: TILL,
    tag: 'catalog',
    summary: 'Decode a scanned code: the product, and for scale labels the embedded price or weight',
    params: z.object({ code: barcodeText }).strict(),
    handler: async ({ params }, ctx) => {
      const decoded = decodeBarcode(params.code, await inStoreLayouts(ctx.db));
      if (decoded.type === 'invalid') throw new Invalid({ field: 'code', reason: 'clé de contrôle incorrecte : scannez à nouveau' });
      let productId: number | undefined;
      if (decoded.type === 'in-store') {
        productId = (await ctx.db.selectFrom('products').select('id').where('plu', '=', decoded.itemCode).executeTakeFirst())?.id;
      } else {
        productId = (await ctx.db.selectFrom('barcodes').select('product_id').where('code', '=', decoded.code).executeTakeFirst())
          ?.product_id;
      }
      if (productId === undefined) throw new NotFound(`Article pour le code ${params.code}`);
      const product = await getProduct(ctx.db, productId);
      let lineCents = product.unit === 'piece' ? product.priceCents : null;
      let lineGrams: number | null = null;
      if (decoded.type === 'in-store' && decoded.kind === 'price') lineCents = decoded.priceCents;
      if (decoded.type === 'in-store' && decoded.kind === 'weight') {
        lineGrams = decoded.grams;
        lineCents = weighedPrice(cents(product.priceCents), grams(decoded.grams));
      }
      return { code: decoded.code, decoded, product, lineCents, grams: lineGrams };
    },
  }),
];
