import { z } from 'zod';
import { bicProblem, compactId, ibanProblem, vatNumberProblem } from '../banking.ts';
import {
  basisPointsSchema,
  courseSchema,
  idSchema,
  outletCodeSchema,
  pageQuery,
  queryFlag,
  siretSchema,
  trimmed,
  unitSchema,
  vatStatusSchema,
  withoutDefaults,
  urlInt,
} from './common.ts';
import { endpoint, fileResponse } from './contract.ts';

/** VAT rates of metropolitan France (CGI art. 278 ff.): 0, 2.1 %, 5.5 %, 10 %, 20 %. */
export const FRENCH_VAT_RATES = [0, 210, 550, 1000, 2000] as const;
export const vatRateSchema = z
  .number()
  .int()
  .refine(
    (r) => (FRENCH_VAT_RATES as readonly number[]).includes(r),
    'taux de TVA français attendu : 0, 210, 550, 1000 ou 2000 (points de base)',
  );

/**
 * A product's VAT rate sold to take away, where it differs from its rate on site (`vatRateBp`); null: the same.
 * On site, a meal is a service of restauration at 10 % (CGI art. 279 m), food and non-alcoholic drinks alike;
 * alcoholic drinks are at 20 % however they are sold (art. 278, excluded from 279 m and n). To take away, what
 * is prepared to be eaten or drunk at once (a hot dish, a sandwich, a coffee or a juice in a cup) stays at 10 %
 * (art. 279 n); what is packaged so that it keeps (a producer's yogurt, a bottle of juice, a pot of rillettes)
 * is food at 5.5 % (art. 278-0 bis A 1°; BOI-TVA-LIQ-30-10-10). So: a dish 10 % / null; a beer 20 % / null; a
 * bottle of apple juice or a yogurt served at the table 10 % / 550. A shop's sale is a sale to take away.
 */
export const takeawayVatRateSchema = vatRateSchema.nullable();

export const slugSchema = z
  .string()
  .trim()
  .toLowerCase()
  .regex(/^[a-z0-9]+(?:-[a-z0-9]+)*$/, 'lettres minuscules, chiffres et tirets')
  .max(60);
const phone = z.string().trim().max(30);
const email = z.union([z.literal(''), z.string().trim().email('adresse e-mail invalide')]);

export const producerCreateBody = z
  .object({
    slug: slugSchema.optional(),
    name: trimmed(1, 80),
    legalName: trimmed(1, 120),
    contactName: z.string().trim().max(80).default(''),
    email: email.default(''),
    phone: phone.default(''),
    address: z.string().trim().max(200).default(''),
    siret: siretSchema,
    vatStatus: vatStatusSchema,
    commissionBp: basisPointsSchema,
    /** Intra-EU VAT number; '' for none. A French one is checked against its key and the SIRET's SIREN. */
    vatNumber: z
      .string()
      .transform(compactId)
      .refine((v) => v === '' || vatNumberProblem(v) === null, { message: 'numéro de TVA invalide' })
      .default(''),
    /** Where statements are paid (SEPA credit transfer); the BIC is optional within the SEPA area. */
    iban: z
      .string()
      .transform(compactId)
      .superRefine((v, ctx) => {
        const problem = ibanProblem(v);
        if (problem) ctx.addIssue({ code: 'custom', message: problem });
      })
      .nullable()
      .default(null),
    bic: z
      .string()
      .transform(compactId)
      .superRefine((v, ctx) => {
        const problem = bicProblem(v);
        if (problem) ctx.addIssue({ code: 'custom', message: problem });
      })
      .nullable()
      .default(null),
    /** A flat-rate farmer's remboursement forfaitaire (art. 298 quater CGI): 443 = 4,43 %, 559 = 5,59 % (live animals for meat). */
    flatRateCompensationBp: z
      .union([z.literal(443), z.literal(559)], { message: '443 (4,43 %) ou 559 (5,59 %, animaux vivants de boucherie)' })
      .default(443),
  })
  .strict();

export const producerUpdateBody = z
  .object(withoutDefaults(producerCreateBody.omit({ slug: true }).shape))
  .partial()
  .extend({ active: z.boolean().optional() })
  .strict();

export const producerListQuery = z
  .object({
    q: z.string().max(100).optional(),
    active: queryFlag.optional(),
    ...pageQuery,
  })
  .strict();

export const categoryCreateBody = z
  .object({
    slug: slugSchema.optional(),
    name: trimmed(1, 60),
    color: z
      .string()
      .regex(/^#[0-9a-fA-F]{6}$/, 'couleur attendue au format #rrggbb')
      .default('#5b6770'),
    sortOrder: z.number().int().min(0).max(10_000).default(0),
  })
  .strict();

export const categoryUpdateBody = z
  .object(withoutDefaults(categoryCreateBody.omit({ slug: true }).shape))
  .partial()
  .extend({ active: z.boolean().optional() })
  .strict();

export const barcodeText = z
  .string()
  .trim()
  .min(3)
  .max(32)
  .regex(/^[A-Za-z0-9.\-]+$/, 'lettres, chiffres, point ou tiret');
/** A code given to a product: some digits in it (« abc » was taken: found by a newcomer's walk). Codes already
 * stored are still named as they are (`barcodeText`), to be read or removed. */
const newBarcodeText = barcodeText.refine((s) => /\d/.test(s), 'au moins un chiffre');
export const pluSchema = z
  .string()
  .trim()
  .regex(/^\d{3,6}$/, 'code PLU de 3 à 6 chiffres');

/** Net quantity of a prepacked piece (500 g, 75 cl = 750 ml): its label shows the price per kg or per litre. */
export const netSchema = z.object({ quantity: z.number().int().min(1).max(1_000_000), unit: z.enum(['g', 'ml']) }).strict();

export const productCreateBody = z
  .object({
    name: trimmed(1, 120),
    /** `null`: the house's own product (not on consignment). */
    producerId: idSchema.nullable(),
    categoryId: idSchema.nullable().default(null),
    unit: unitSchema,
    /** Incl. VAT, per piece or per kg. */
    priceCents: z.number().int().min(0).max(10_000_000),
    vatRateBp: vatRateSchema,
    plu: pluSchema.nullable().default(null),
    stockTracked: z.boolean().default(true),
    /** Pieces, or grams for products sold by weight. */
    lowStockThreshold: z.number().int().min(0).max(100_000_000).nullable().default(null),
    outlets: z.array(outletCodeSchema).min(1).max(5).default(['shop']),
    barcodes: z.array(newBarcodeText).max(20).default([]),
    net: netSchema.nullable().default(null),
    /** The course a dish is sent to the kitchen in by default (restaurant); null: with the first send. */
    course: courseSchema.nullable().default(null),
    takeawayVatRateBp: takeawayVatRateSchema.default(null),
    /** Food that meal vouchers may pay for (not alcohol, not non-food goods). */
    mealVoucherEligible: z.boolean().default(false),
  })
  .strict();

export const productUpdateBody = z
  .object({
    name: trimmed(1, 120),
    producerId: idSchema.nullable(),
    categoryId: idSchema.nullable(),
    unit: unitSchema,
    priceCents: z.number().int().min(0).max(10_000_000),
    vatRateBp: vatRateSchema,
    plu: pluSchema.nullable(),
    stockTracked: z.boolean(),
    lowStockThreshold: z.number().int().min(0).max(100_000_000).nullable(),
    outlets: z.array(outletCodeSchema).min(1).max(5),
    active: z.boolean(),
    net: netSchema.nullable(),
    /** The product's whole set of barcodes: codes left out are removed, new ones added, in the same transaction. */
    barcodes: z.array(newBarcodeText).max(20),
    course: courseSchema.nullable(),
    takeawayVatRateBp: takeawayVatRateSchema,
    mealVoucherEligible: z.boolean(),
  })
  .partial()
  .strict();

export const thresholdBody = z.object({ lowStockThreshold: z.number().int().min(0).max(100_000_000).nullable() }).strict();
export const barcodeBody = z.object({ code: newBarcodeText }).strict();
export const barcodeParams = z.object({ id: urlInt((n) => n.positive()), code: barcodeText }).strict();

export const productListQuery = z
  .object({
    q: z.string().max(100).optional(),
    categoryId: urlInt((n) => n.positive()).optional(),
    producerId: urlInt((n) => n.positive()).optional(),
    outlet: outletCodeSchema.optional(),
    active: queryFlag.optional(),
    ...pageQuery,
  })
  .strict();

export const catalogQuery = z.object({ outlet: outletCodeSchema.optional() }).strict();
export const idParams = z.object({ id: urlInt((n) => n.positive()) }).strict();
export const barcodeCodeParams = z.object({ code: barcodeText }).strict();
export const importQuery = z.object({ dryRun: queryFlag.default(true) }).strict();

export type ProducerCreate = z.infer<typeof producerCreateBody>;
export type ProducerUpdate = z.infer<typeof producerUpdateBody>;
export type CategoryCreate = z.infer<typeof categoryCreateBody>;
export type ProductCreate = z.infer<typeof productCreateBody>;
export type ProductUpdate = z.infer<typeof productUpdateBody>;
export type ProductListQuery = z.infer<typeof productListQuery>;

/** Shelf labels to print: products and copies, and how many stickers of the first sheet are already used. */
export const labelsBody = z
  .object({
    items: z
      .array(z.object({ productId: idSchema, copies: z.number().int().min(1).max(200).default(1) }).strict())
      .min(1)
      .max(500),
    skip: z.number().int().min(0).max(20).default(0),
    /** `sheet`: A4 sticker sheets (shelf labels); `tag`: hang-tags for the label printer, one per page. */
    format: z.enum(['sheet', 'tag']).default('sheet'),
  })
  .strict();

// ——— Responses ———

const int = z.number().int();

export const producerView = z.strictObject({
  id: int,
  slug: z.string(),
  name: z.string(),
  legalName: z.string(),
  contactName: z.string(),
  email: z.string(),
  phone: z.string(),
  address: z.string(),
  siret: z.string(),
  vatStatus: vatStatusSchema,
  commissionBp: int,
  active: z.boolean(),
  vatNumber: z.string(),
  iban: z.string().nullable(),
  bic: z.string().nullable(),
  flatRateCompensationBp: int,
});
export type ProducerView = z.infer<typeof producerView>;

export const categoryView = z.strictObject({
  id: int,
  slug: z.string(),
  name: z.string(),
  color: z.string(),
  sortOrder: int,
  active: z.boolean(),
  /**
   * The preparation station its dishes go to at the restaurant of the site asked for (the till's, the one the
   * manager works at); null: nothing to prepare there. Each site's restaurant routes the network's categories
   * to its own stations.
   */
  stationId: int.nullable(),
});
export type CategoryView = z.infer<typeof categoryView>;

export const productView = z.strictObject({
  id: int,
  name: z.string(),
  producerId: int.nullable(),
  producerName: z.string().nullable(),
  categoryId: int.nullable(),
  categoryName: z.string().nullable(),
  unit: unitSchema,
  priceCents: int,
  vatRateBp: int,
  plu: z.string().nullable(),
  stockTracked: z.boolean(),
  /** Pieces, or grams for products sold by weight. */
  lowStockThreshold: int.nullable(),
  net: z.strictObject({ quantity: int, unit: z.enum(['g', 'ml']) }).nullable(),
  active: z.boolean(),
  outlets: z.array(outletCodeSchema),
  barcodes: z.array(z.string()),
  /** Pieces, or grams for products sold by weight; null when stock is not tracked. */
  onHand: int.nullable(),
  low: z.boolean(),
  /** The course a dish goes to the kitchen in by default (restaurant). */
  course: courseSchema.nullable(),
  /** Its rate sold to take away; null: the same as `vatRateBp` (see `takeawayVatRateSchema`). */
  takeawayVatRateBp: int.nullable(),
  /** Food that meal vouchers (titres-restaurant) may pay for: the till adds up these lines for the voucher limit. */
  mealVoucherEligible: z.boolean(),
  /** What a waiter chooses when ordering it (cuisson, sauce, suppléments), its active options only; empty: none. */
  modifiers: z.array(
    z.strictObject({
      id: int,
      name: z.string(),
      min: int,
      max: int,
      options: z.array(z.strictObject({ id: int, name: z.string(), priceCents: int })),
    }),
  ),
  /** A dish with a recipe some ingredient of which has less on the shelf than one portion takes (flagged to the waiter). */
  ingredientsShort: z.boolean(),
  /** A one-off item (the ressourcerie's, issue 22): one piece, sold once. */
  oneOff: z.boolean(),
  /** A size × colour of a model (the textile shop, issue 22): the till shows the model once, and a grid. */
  variant: z.strictObject({ modelId: int, modelName: z.string(), size: z.string(), colour: z.string() }).nullable(),
});
export type ProductView = z.infer<typeof productView>;

export const importReport = z.strictObject({
  dryRun: z.boolean(),
  rows: int,
  valid: int,
  created: int,
  /** `line`: as a spreadsheet shows it (the header is line 1). */
  problems: z.array(z.strictObject({ line: int, field: z.string(), reason: z.string() })),
  preview: z.array(z.strictObject({ line: int, name: z.string(), producer: z.string().nullable(), priceCents: int, unit: unitSchema })),
});
export type ImportReport = z.infer<typeof importReport>;

/** A scale-label layout as the till decodes it (the settings validate them when they are saved). */
const inStoreLayoutView = z.strictObject({
  prefix: z.string(),
  kind: z.enum(['price', 'weight']),
  itemDigits: int,
  valueDigits: int,
  skipDigits: z.union([z.literal(0), z.literal(1)]).optional(),
});

/** What a till needs to sell offline. */
export const tillCatalog = z.strictObject({
  outlet: outletCodeSchema,
  /** The site whose shelves `onHand` counts (stock is kept per site); absent in a catalogue kept from before. */
  siteId: int.optional(),
  generatedAt: z.string(),
  products: z.array(productView),
  categories: z.array(categoryView),
  producers: z.array(z.strictObject({ id: int, name: z.string(), slug: z.string() })),
  inStoreLayouts: z.array(inStoreLayoutView),
});
export type TillCatalog = z.infer<typeof tillCatalog>;

/** A scanned code as `decodeBarcode` reads it (a misread one is refused, never answered). */
const decodedBarcode = z.union([
  z.strictObject({ type: z.literal('gtin'), code: z.string() }),
  z.strictObject({
    type: z.literal('in-store'),
    code: z.string(),
    prefix: z.string(),
    kind: z.literal('price'),
    itemCode: z.string(),
    priceCents: int,
  }),
  z.strictObject({
    type: z.literal('in-store'),
    code: z.string(),
    prefix: z.string(),
    kind: z.literal('weight'),
    itemCode: z.string(),
    grams: int,
  }),
  z.strictObject({ type: z.literal('other'), code: z.string() }),
]);

export const scannedCode = z.strictObject({
  code: z.string(),
  decoded: decodedBarcode,
  product: productView,
  /** What the line costs: the piece price, or the price a scale label carries or its weight comes to; null for a weighed product without. */
  lineCents: int.nullable(),
  grams: int.nullable(),
});
export type ScannedCode = z.infer<typeof scannedCode>;

export const catalogApi = {
  listProducers: endpoint({ method: 'get', path: '/api/producers', query: producerListQuery, response: z.array(producerView) }),
  createProducer: endpoint({ method: 'post', path: '/api/producers', body: producerCreateBody, response: producerView }),
  getProducer: endpoint({ method: 'get', path: '/api/producers/:id', params: idParams, response: producerView }),
  updateProducer: endpoint({
    method: 'patch',
    path: '/api/producers/:id',
    params: idParams,
    body: producerUpdateBody,
    response: producerView,
  }),

  listCategories: endpoint({ method: 'get', path: '/api/categories', response: z.array(categoryView) }),
  createCategory: endpoint({ method: 'post', path: '/api/categories', body: categoryCreateBody, response: categoryView }),
  updateCategory: endpoint({
    method: 'patch',
    path: '/api/categories/:id',
    params: idParams,
    body: categoryUpdateBody,
    response: categoryView,
  }),

  listProducts: endpoint({ method: 'get', path: '/api/products', query: productListQuery, response: z.array(productView) }),
  createProduct: endpoint({ method: 'post', path: '/api/products', body: productCreateBody, response: productView }),
  importProducts: endpoint({
    method: 'post',
    path: '/api/products/import',
    query: importQuery,
    body: z.string().max(5_000_000),
    bodyKind: 'text',
    response: importReport,
  }),
  labelsPdf: endpoint({ method: 'post', path: '/api/labels.pdf', body: labelsBody, response: fileResponse('application/pdf') }),
  getProduct: endpoint({ method: 'get', path: '/api/products/:id', params: idParams, response: productView }),
  updateProduct: endpoint({ method: 'patch', path: '/api/products/:id', params: idParams, body: productUpdateBody, response: productView }),
  setThreshold: endpoint({
    method: 'put',
    path: '/api/products/:id/threshold',
    params: idParams,
    body: thresholdBody,
    response: productView,
  }),
  addBarcode: endpoint({ method: 'post', path: '/api/products/:id/barcodes', params: idParams, body: barcodeBody, response: productView }),
  removeBarcode: endpoint({ method: 'delete', path: '/api/products/:id/barcodes/:code', params: barcodeParams, response: productView }),

  tillCatalog: endpoint({ method: 'get', path: '/api/catalog', query: catalogQuery, response: tillCatalog }),
  scan: endpoint({ method: 'get', path: '/api/barcodes/:code', params: barcodeCodeParams, response: scannedCode }),
};
