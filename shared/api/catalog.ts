import { z } from 'zod';
import {
  basisPointsSchema,
  idSchema,
  outletCodeSchema,
  pageQuery,
  queryFlag,
  siretSchema,
  trimmed,
  unitSchema,
  vatStatusSchema,
} from './common.ts';

/** VAT rates of metropolitan France (CGI art. 278 ff.): 0, 2.1 %, 5.5 %, 10 %, 20 %. */
export const FRENCH_VAT_RATES = [0, 210, 550, 1000, 2000] as const;
export const vatRateSchema = z
  .number()
  .int()
  .refine(
    (r) => (FRENCH_VAT_RATES as readonly number[]).includes(r),
    'taux de TVA français attendu : 0, 210, 550, 1000 ou 2000 (points de base)',
  );

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
  })
  .strict();

export const producerUpdateBody = producerCreateBody.omit({ slug: true }).partial().extend({ active: z.boolean().optional() }).strict();

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

export const categoryUpdateBody = categoryCreateBody.omit({ slug: true }).partial().extend({ active: z.boolean().optional() }).strict();

export const barcodeText = z
  .string()
  .trim()
  .min(3)
  .max(32)
  .regex(/^[A-Za-z0-9.\-]+$/, 'lettres, chiffres, point ou tiret');
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
    outlets: z.array(outletCodeSchema).min(1).max(2).default(['shop']),
    barcodes: z.array(barcodeText).max(20).default([]),
    net: netSchema.nullable().default(null),
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
    outlets: z.array(outletCodeSchema).min(1).max(2),
    active: z.boolean(),
    net: netSchema.nullable(),
    /** The product's whole set of barcodes: codes left out are removed, new ones added, in the same transaction. */
    barcodes: z.array(barcodeText).max(20),
  })
  .partial()
  .strict();

export const thresholdBody = z.object({ lowStockThreshold: z.number().int().min(0).max(100_000_000).nullable() }).strict();
export const barcodeBody = z.object({ code: barcodeText }).strict();
export const barcodeParams = z.object({ id: z.coerce.number().int().positive(), code: barcodeText }).strict();

export const productListQuery = z
  .object({
    q: z.string().max(100).optional(),
    categoryId: z.coerce.number().int().positive().optional(),
    producerId: z.coerce.number().int().positive().optional(),
    outlet: outletCodeSchema.optional(),
    active: queryFlag.optional(),
    ...pageQuery,
  })
  .strict();

export const catalogQuery = z.object({ outlet: outletCodeSchema.optional() }).strict();
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
  })
  .strict();
