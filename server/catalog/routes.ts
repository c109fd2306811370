import { catalogApi } from '../../shared/api/catalog.ts';
import { modifiersApi } from '../../shared/api/modifiers.ts';
import { recipesApi } from '../../shared/api/recipes.ts';
import { MANAGERS, TILL } from '../http/access.ts';
import { Reply, serve, type RequestContext as Ctx } from '../http/route.ts';
import {
  addCategory,
  addProduct,
  addProductBarcode,
  changeThreshold,
  editCategory,
  editModifiers,
  editProduct,
  editProducer,
  importCatalogue,
  registerProducer,
  removeProductBarcode,
  scanCode,
  shelfLabelsPdf,
  tillCatalogue,
  viewProducer,
} from './catalog.ts';
import { listCategories } from './categories.ts';
import { listProducers } from './producers.ts';
import { getProduct, listProducts } from './products.ts';
import { siteOf, stockScope } from '../sites/sites.ts';
import { productModifiers } from './modifiers.ts';
import { changeRecipe, getRecipe, listRecipes } from './recipes.ts';

/** Once committed, the tills reload what changed. */
function announced<T extends { id: number }>(ctx: Ctx, product: T): T {
  ctx.services.realtime?.catalogChanged([product.id]);
  return product;
}

export const catalogRoutes = [
  // Producers
  serve(catalogApi.listProducers, {
    access: MANAGERS,
    tag: 'producers',
    summary: 'List producers (search accent- and case-insensitive)',
    handler: async ({ query }, ctx) => listProducers(ctx.db, query),
  }),
  serve(catalogApi.createProducer, {
    access: MANAGERS,
    // A producer's contract (commission, VAT, bank account) is the network's: its managers register producers.
    network: true,
    tag: 'producers',
    summary: 'Create a producer (consignor)',
    handler: async ({ body }, ctx) => Reply.created(await registerProducer(ctx.db, ctx, body, ctx.services.now())),
  }),
  serve(catalogApi.getProducer, {
    access: [...MANAGERS, 'producer'],
    tag: 'producers',
    summary: 'One producer; a producer may read only their own record',
    handler: async ({ params }, ctx) => viewProducer(ctx.db, ctx, params.id),
  }),
  serve(catalogApi.updateProducer, {
    access: MANAGERS,
    tag: 'producers',
    summary: 'Update a producer, or deactivate it with `active: false` (never deleted)',
    handler: async ({ params, body }, ctx) => editProducer(ctx.db, ctx, params.id, body, ctx.services.now()),
  }),

  // The catalogue is the network's (its products sell at the same counters at every site, at the network's
  // price, paid to their producer): a manager tied to one site reads it, prints its labels and sets their site's
  // own prices (PUT /api/sites/:id/prices/:productId), but creates, changes or imports no product (but their
  // site's ressourcerie objects), category, barcode, option or recipe (found by an attack: a Rodez manager set a network price to 0,01 € and gave a
  // product to another producer).
  // Categories
  serve(catalogApi.listCategories, {
    access: [...TILL, 'producer'],
    tag: 'catalog',
    summary: 'List categories',
    handler: async (_, ctx) => listCategories(ctx.db, ctx.user?.role === 'producer' ? null : await siteOf(ctx)),
  }),
  serve(catalogApi.createCategory, {
    access: MANAGERS,
    network: true,
    tag: 'catalog',
    summary: 'Create a category',
    handler: async ({ body }, ctx) => Reply.created(await addCategory(ctx.db, ctx, body, ctx.services.now())),
  }),
  serve(catalogApi.updateCategory, {
    access: MANAGERS,
    network: true,
    tag: 'catalog',
    summary: 'Update or deactivate a category',
    handler: async ({ params, body }, ctx) => editCategory(ctx.db, ctx, params.id, body, ctx.services.now()),
  }),

  // Products
  serve(catalogApi.listProducts, {
    access: [...TILL, 'producer'],
    tag: 'catalog',
    summary: 'List and search products (`q`: accent- and case-insensitive, or a barcode); a producer sees only their own',
    handler: async ({ query }, ctx) => listProducts(ctx.db, query, await stockScope(ctx)),
  }),
  serve(catalogApi.createProduct, {
    access: MANAGERS,
    network: true,
    tag: 'catalog',
    summary: 'Create a product with its outlets and barcodes',
    handler: async ({ body }, ctx) => Reply.created(announced(ctx, await addProduct(ctx.db, ctx, body, ctx.services.now()))),
  }),
  serve(catalogApi.importProducts, {
    access: MANAGERS,
    network: true,
    tag: 'catalog',
    summary: 'Import products from CSV (`;` or `,`, UTF-8). `dryRun=true` (default) only reports; nothing is written if any row fails',
    handler: async ({ query, body }, ctx) => importCatalogue(ctx.db, ctx, body, { dryRun: query.dryRun, now: ctx.services.now() }),
  }),
  serve(catalogApi.labelsPdf, {
    access: MANAGERS,
    tag: 'catalog',
    summary:
      'Shelf labels on A4 sticker sheets (3 × 7): name, producer, price, price per kg for weighed goods or per kg / litre for prepacked pieces, EAN barcode',
    handler: async ({ body }, ctx) => Reply.file(await shelfLabelsPdf(ctx.db, body), 'application/pdf', 'etiquettes.pdf'),
  }),
  serve(catalogApi.getProduct, {
    access: [...TILL, 'producer'],
    tag: 'catalog',
    summary: 'One product; a producer may read only their own',
    handler: async ({ params }, ctx) => getProduct(ctx.db, params.id, await stockScope(ctx)),
  }),
  serve(catalogApi.updateProduct, {
    access: MANAGERS,
    // Not `network`: a site's ressourcerie objects are its own manager's to reprice (server/catalog/catalog.ts).
    tag: 'catalog',
    summary: 'Update a product (a price change is logged), or deactivate it with `active: false` (never deleted)',
    handler: async ({ params, body }, ctx) => announced(ctx, await editProduct(ctx.db, ctx, params.id, body, ctx.services.now())),
  }),
  serve(catalogApi.setThreshold, {
    access: [...MANAGERS, 'producer'],
    // One threshold for the network's product (its flag at every site and in its producer's portal): a manager
    // tied to a site set it for all (found by an attack).
    network: true,
    tag: 'stock',
    summary: 'Set the low-stock threshold; a producer may set it on their own products',
    handler: async ({ params, body }, ctx) => changeThreshold(ctx.db, ctx, params.id, body.lowStockThreshold, ctx.services.now()),
  }),
  serve(catalogApi.addBarcode, {
    access: MANAGERS,
    network: true,
    tag: 'catalog',
    summary: 'Add a barcode to a product (check digit verified)',
    handler: async ({ params, body }, ctx) => Reply.created(await addProductBarcode(ctx.db, ctx, params.id, body.code, ctx.services.now())),
  }),
  serve(catalogApi.removeBarcode, {
    access: MANAGERS,
    network: true,
    tag: 'catalog',
    summary: 'Remove a barcode from a product',
    handler: async ({ params }, ctx) => removeProductBarcode(ctx.db, ctx, params.id, params.code, ctx.services.now()),
  }),

  serve(modifiersApi.productModifiers, {
    access: MANAGERS,
    tag: 'catalog',
    summary: 'A product’s modifier groups (cuisson, sauce, suppléments) with every option, withdrawn ones included',
    handler: async ({ params }, ctx) => productModifiers(ctx.db, params.id),
  }),
  serve(modifiersApi.replaceProductModifiers, {
    access: MANAGERS,
    network: true,
    tag: 'catalog',
    summary:
      'Replace a product’s modifier groups and options (ids given are kept, others created, those left out removed); lines already ordered keep what was chosen',
    handler: async ({ params, body }, ctx) => {
      const view = await editModifiers(ctx.db, ctx, params.id, body, ctx.services.now());
      ctx.services.realtime?.catalogChanged([params.id]);
      return view;
    },
  }),

  // Recipes: the producers' goods a dish is cooked with, its food cost and margin
  serve(recipesApi.list, {
    access: MANAGERS,
    tag: 'catalog',
    summary:
      'Every dish with a recipe: its ingredients, food cost (shelf prices incl. VAT, what the producers are paid) and margin (price excl. VAT − food cost), in cents',
    handler: async (_, ctx) => listRecipes(ctx.db, await siteOf(ctx)),
  }),
  serve(recipesApi.get, {
    access: MANAGERS,
    tag: 'catalog',
    summary:
      'A dish’s recipe (per portion: pieces, or grams of a product sold by weight) with each ingredient’s cost, the food cost and the margin',
    handler: async ({ params }, ctx) => getRecipe(ctx.db, params.id, await siteOf(ctx)),
  }),
  serve(recipesApi.replace, {
    access: MANAGERS,
    network: true,
    tag: 'catalog',
    summary:
      'Replace a dish’s recipe (an empty list removes it). Selling the dish then records its ingredients as kitchen movements, paid to their producers at the shelf price',
    handler: async ({ params, body }, ctx) => {
      const recipe = await changeRecipe(ctx.db, ctx, params.id, body, ctx.services.now());
      // The tills reload the dish: whether its ingredients are short may have changed.
      ctx.services.realtime?.catalogChanged([recipe.dishId]);
      return recipe;
    },
  }),

  // What a till needs
  serve(catalogApi.tillCatalog, {
    access: TILL,
    tag: 'catalog',
    summary: 'Everything a till needs to sell offline: active products of its outlet, categories, producers, scale-label layouts',
    handler: async ({ query }, ctx) => tillCatalogue(ctx.db, ctx, query.outlet, ctx.services.now()),
  }),
  serve(catalogApi.scan, {
    access: TILL,
    tag: 'catalog',
    summary: 'Decode a scanned code: the product, and for scale labels the embedded price or weight',
    handler: async ({ params }, ctx) => scanCode(ctx.db, params.code, await siteOf(ctx)),
  }),
];
