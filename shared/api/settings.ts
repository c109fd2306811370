import { z } from 'zod';
import { bicProblem, compactId, ibanProblem } from '../banking.ts';
import { siretSchema, trimmed } from './common.ts';
import { endpoint } from './contract.ts';

export const shopIdentitySchema = z
  .object({
    name: trimmed(1, 80),
    legalName: trimmed(1, 120),
    /** The legal form printed with the legal name on receipts (art. R123-237 Code de commerce), e.g. « SCIC SAS ». */
    legalForm: z.string().trim().max(60).default(''),
    /** The share capital, printed « au capital de … € » when set (commercial companies). */
    shareCapitalCents: z.number().int().min(0).max(100_000_000_000).nullable().default(null),
    address: trimmed(1, 160),
    postalCode: z
      .string()
      .trim()
      .regex(/^\d{5}$/, 'code postal à 5 chiffres'),
    city: trimmed(1, 80),
    siret: siretSchema,
    /** Intra-community VAT number, e.g. FR + 2-character key + SIREN. */
    vatNumber: z
      .string()
      .trim()
      .toUpperCase()
      .regex(/^FR[0-9A-Z]{2}\d{9}$/, 'numéro de TVA attendu : FR + 2 caractères + SIREN (9 chiffres)'),
    phone: z.string().trim().max(30).default(''),
    email: z.union([z.literal(''), z.string().trim().email('adresse e-mail invalide')]).default(''),
    receiptFooter: z.string().trim().max(200).default(''),
    /**
     * The month the shop's fiscal year (exercice) ends with, 1–12: 12 for the calendar year. The year closing
     * and the fiscal archive of year N cover the twelve months ending with this month of N.
     */
    fiscalYearEndMonth: z.number().int().min(1, 'mois de 1 à 12').max(12, 'mois de 1 à 12').default(12),
    /** The shop's account, debited by the SEPA transfers that pay the producers ('' until given). */
    iban: z
      .string()
      .transform(compactId)
      .superRefine((v, ctx) => {
        const problem = v === '' ? null : ibanProblem(v);
        if (problem) ctx.addIssue({ code: 'custom', message: problem });
      })
      .default(''),
    bic: z
      .string()
      .transform(compactId)
      .superRefine((v, ctx) => {
        const problem = v === '' ? null : bicProblem(v);
        if (problem) ctx.addIssue({ code: 'custom', message: problem });
      })
      .default(''),
  })
  .strict();

export type ShopIdentity = z.infer<typeof shopIdentitySchema>;
/** An identity as given (optional members may be left out). */
export type ShopIdentityInput = z.input<typeof shopIdentitySchema>;

export const inStoreLayoutSchema = z
  .object({
    prefix: z.string().regex(/^2\d$/, 'préfixe de 20 à 29'),
    kind: z.enum(['price', 'weight']),
    itemDigits: z.number().int().min(3).max(6),
    valueDigits: z.number().int().min(4).max(6),
    skipDigits: z.union([z.literal(0), z.literal(1)]).optional(),
  })
  .strict();

export const inStoreLayoutsSchema = z.array(inStoreLayoutSchema).max(10);

/** How the tills of the shop behave: extra payment methods, the discount a cashier may give alone, auto-lock. */
export const tillOptionsSchema = z
  .object({
    /** Beyond cash, card, cheque and meal vouchers: `other:<code>` with a label (gift cheque, local currency…). */
    extraPaymentMethods: z
      .array(
        z
          .object({
            code: z.string().regex(/^other:[a-z0-9_-]{1,30}$/, 'code attendu : other: suivi de lettres minuscules, chiffres, - ou _'),
            label: trimmed(1, 40),
          })
          .strict(),
      )
      .max(8),
    /** A discount above this share of the line or ticket (basis points) needs a manager. */
    cashierDiscountLimitBp: z.number().int().min(0).max(10_000),
    /** The till locks itself after this many seconds without a touch (0: never). */
    autoLockSeconds: z.number().int().min(0).max(3600),
    /** The customer may add a tip on a card payment (restaurant): recorded apart, outside turnover. Off by default. */
    tipsOnCard: z.boolean().default(false),
    /** A line already sent to the kitchen and worth more than this (cents, incl. VAT) is cancelled only with a manager's PIN (0: never). */
    voidApprovalCents: z.number().int().min(0).max(10_000_000).default(0),
    /** Cash taken out of a till's drawer above this (cents) needs a manager's PIN; paying a producer in cash always does. */
    cashOutApprovalCents: z.number().int().min(0).max(10_000_000).default(5000),
    /**
     * A business day left without its Z: the tills show it from the next morning and, when this is on, take
     * no new sale from 24 h after that day's end until a manager takes the Z. On by default.
     */
    missedZBlocks: z.boolean().default(true),
    /**
     * The most meal vouchers may pay on one ticket (cents): 25 € a day from 2026 (décret on titres-restaurant;
     * one ticket stands for the day at the till, which cannot know the customer's other meals).
     */
    mealVoucherCapCents: z.number().int().min(0).max(100_000).default(2500),
    /** Meal vouchers are refused on Sundays and public holidays unless the shop (a restaurant open then) allows them. */
    mealVoucherOnSundays: z.boolean().default(false),
    /**
     * A cash payment above this (cents) needs a manager's confirmation: French law caps cash payments by
     * residents at 1 000 € (art. L112-6 and D112-3 Code monétaire et financier); the till cannot know residency.
     */
    cashApprovalAboveCents: z.number().int().min(0).max(100_000_000).default(100_000),
  })
  .strict();
export type TillOptions = z.infer<typeof tillOptionsSchema>;
export const defaultTillOptions: TillOptions = {
  extraPaymentMethods: [{ code: 'other:cheque_cadeau', label: 'Chèque cadeau' }],
  cashierDiscountLimitBp: 1000,
  autoLockSeconds: 180,
  tipsOnCard: false,
  voidApprovalCents: 0,
  cashOutApprovalCents: 5000,
  missedZBlocks: true,
  mealVoucherCapCents: 2500,
  mealVoucherOnSundays: false,
  cashApprovalAboveCents: 100_000,
};

// ——— The endpoints ———
// Settings are read back through the schemas they were written with (server/settings/settings.ts), so
// those schemas describe the responses too.

/** The shop as login screens show it, to anyone. */
export const publicShopView = z.strictObject({ name: z.string(), city: z.string(), demo: z.boolean() });
export type PublicShop = z.infer<typeof publicShopView>;

export const settingsView = z.strictObject({
  /** Null until the shop is set up (`cli init` or the demo). */
  identity: shopIdentitySchema.nullable(),
  demo: z.boolean(),
  inStoreLayouts: inStoreLayoutsSchema,
  till: tillOptionsSchema,
});
export type SettingsView = z.infer<typeof settingsView>;

export const settingsApi = {
  shop: endpoint({ method: 'get', path: '/api/shop', response: publicShopView }),
  get: endpoint({ method: 'get', path: '/api/settings', response: settingsView }),
  identity: endpoint({ method: 'put', path: '/api/settings/identity', body: shopIdentitySchema, response: shopIdentitySchema }),
  inStoreLayouts: endpoint({
    method: 'put',
    path: '/api/settings/in-store-layouts',
    body: z.object({ layouts: inStoreLayoutsSchema }).strict(),
    response: inStoreLayoutsSchema,
  }),
  till: endpoint({ method: 'put', path: '/api/settings/till', body: tillOptionsSchema, response: tillOptionsSchema }),
};
