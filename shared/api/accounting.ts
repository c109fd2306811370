import { z } from 'zod';
import { isoDate } from './common.ts';
import { endpoint, fileResponse } from './contract.ts';

const account = z
  .string()
  .trim()
  .regex(/^[0-9A-Z]{3,20}$/, 'un numéro de compte : chiffres (et lettres capitales), 3 à 20');

/**
 * The accounts the accountant's exports post to (French chart of accounts, PCG). The shop sells the
 * producers' goods in its own name (the receipts and the Z carry all the VAT): every sale is a sale of the
 * shop; each statement is then the purchase of those goods from the producer, less the commission the
 * shop invoices them.
 */
export const accountPlanSchema = z
  .object({
    /** Sales excl. VAT, per VAT rate (basis points); `other` for a rate not listed. */
    sales: z.array(z.object({ vatRateBp: z.number().int().min(0).max(10_000), account: account })).max(10),
    salesOther: account,
    /** VAT collected, per rate. */
    vatCollected: z.array(z.object({ vatRateBp: z.number().int().min(0).max(10_000), account: account })).max(10),
    vatCollectedOther: account,
    /** Where each payment method lands (cash, card, cheque, meal_voucher, and the shop's other methods). */
    payments: z.record(z.string().regex(/^(cash|card|cheque|meal_voucher|solidarity|other:[a-z0-9_-]{1,30})$/), account),
    paymentsOther: account,
    /** The producers' accounts (suppliers); each producer is an auxiliary account `prefix + slug`. */
    producers: account,
    producerAuxPrefix: z
      .string()
      .trim()
      .regex(/^[0-9A-Z]{0,8}$/),
    purchases: account,
    vatDeductible: account,
    commission: account,
    bank: account,
    /** Cash counted short of, or over, what the drawer should hold at a daily closing. */
    cashShortage: account,
    cashOverage: account,
    /** Tips collected on card, owed to the staff (not a sale): personnel, other amounts payable. */
    tips: account.default('428600'),
    /**
     * Selling in the producers' name (mandataire): what is sold for each producer is owed to them, on this
     * account (auxiliary `prefix + slug`), not a sale of the shop.
     */
    thirdParty: account.default('467000'),
    /** Cash moved between the drawer and the bank (change fetched, takings deposited): internal transfers. */
    cashTransfers: account.default('580000'),
    /** Small purchases paid from the drawer (the accountant splits the VAT from the receipt kept). */
    pettyPurchases: account.default('606800'),
    /** Cash in or out of the drawer for another reason: a waiting account the accountant clears. */
    suspense: account.default('471000'),
    /** Meal vouchers worth more than they paid (« non rendu »): kept by the shop, not a sale. */
    voucherExcess: account.default('758800'),
    journals: z.object({
      sales: account,
      purchases: account,
      bank: account,
      /** Mandataire: the commission invoices issued to the producers. */
      commissions: account.default('VC'),
      /** The drawer's own movements (cash in and out besides the tickets). */
      cash: account.default('CA'),
    }),
  })
  .strict();
export type AccountPlan = z.output<typeof accountPlanSchema>;

export const defaultAccountPlan: AccountPlan = {
  sales: [
    { vatRateBp: 550, account: '707055' },
    { vatRateBp: 1000, account: '707100' },
    { vatRateBp: 2000, account: '707200' },
    { vatRateBp: 0, account: '707000' },
  ],
  salesOther: '707900',
  vatCollected: [
    { vatRateBp: 550, account: '445711' },
    { vatRateBp: 1000, account: '445712' },
    { vatRateBp: 2000, account: '445713' },
  ],
  vatCollectedOther: '445710',
  // The solidarity fund pays part of the households' tickets (issue 22): its funders' money, held apart.
  payments: { cash: '530000', card: '511500', cheque: '511200', meal_voucher: '511600', solidarity: '468100' },
  paymentsOther: '511800',
  producers: '401000',
  producerAuxPrefix: 'P',
  purchases: '607000',
  vatDeductible: '445660',
  commission: '706000',
  bank: '512000',
  cashShortage: '658000',
  cashOverage: '758000',
  tips: '428600',
  thirdParty: '467000',
  cashTransfers: '580000',
  pettyPurchases: '606800',
  suspense: '471000',
  voucherExcess: '758800',
  journals: { sales: 'VE', purchases: 'AC', bank: 'BQ', commissions: 'VC', cash: 'CA' },
};

export const exportPeriodQuery = z
  .object({ from: isoDate, to: isoDate })
  .strict()
  .refine((p) => p.from <= p.to, { message: 'la période commence après sa fin', path: ['from'] });

// ——— Responses ———

const rateAccount = z.strictObject({ vatRateBp: z.number().int(), account: z.string() });

/** The account plan as stored and sent back (the same fields as `accountPlanSchema`, nothing more). */
export const accountPlanView = z.strictObject({
  sales: z.array(rateAccount),
  salesOther: z.string(),
  vatCollected: z.array(rateAccount),
  vatCollectedOther: z.string(),
  payments: z.record(z.string(), z.string()),
  paymentsOther: z.string(),
  producers: z.string(),
  producerAuxPrefix: z.string(),
  purchases: z.string(),
  vatDeductible: z.string(),
  commission: z.string(),
  bank: z.string(),
  cashShortage: z.string(),
  cashOverage: z.string(),
  tips: z.string(),
  thirdParty: z.string(),
  cashTransfers: z.string(),
  pettyPurchases: z.string(),
  suspense: z.string(),
  voucherExcess: z.string(),
  journals: z.strictObject({ sales: z.string(), purchases: z.string(), bank: z.string(), commissions: z.string(), cash: z.string() }),
});

export const accountingApi = {
  fec: endpoint({
    method: 'get',
    path: '/api/exports/fec',
    query: exportPeriodQuery,
    response: fileResponse('text/plain; charset=iso-8859-15'),
  }),
  salesJournal: endpoint({
    method: 'get',
    path: '/api/exports/sales-journal.csv',
    query: exportPeriodQuery,
    response: fileResponse('text/csv; charset=utf-8'),
  }),
  plan: endpoint({ method: 'get', path: '/api/settings/accounting', response: accountPlanView }),
  setPlan: endpoint({ method: 'put', path: '/api/settings/accounting', body: accountPlanSchema, response: accountPlanView }),
};

/**
 * How the shop sells the producers' goods (issue 21, item 1): *mandataire*, in the producers' name (what
 * is sold for them is theirs, the shop invoices a commission), or *commissionnaire*, in its own name (art.
 * 256 V CGI: it buys and resells). Dated: a change applies from the first day of a period not settled yet.
 */
export const consignmentModelSchema = z.enum(['mandataire', 'commissionnaire']);
export type ConsignmentModel = z.infer<typeof consignmentModelSchema>;
export const consignmentSettingSchema = z
  .object({ changes: z.array(z.object({ model: consignmentModelSchema, from: isoDate }).strict()).min(1) })
  .strict();
export type ConsignmentSetting = z.infer<typeof consignmentSettingSchema>;
export const consignmentBody = z
  .object({
    model: consignmentModelSchema,
    /** From when, once the shop has sold: the first day of a month no statement has settled yet. */
    from: isoDate.optional(),
  })
  .strict();
export const consignmentView = z.strictObject({
  model: consignmentModelSchema,
  changes: z.array(z.strictObject({ model: consignmentModelSchema, from: z.string() })),
  /** Whether the model can still be changed freely (nothing sold yet). */
  free: z.boolean(),
});

export const consignmentApi = {
  get: endpoint({ method: 'get', path: '/api/settings/consignment', response: consignmentView }),
  set: endpoint({ method: 'put', path: '/api/settings/consignment', body: consignmentBody, response: consignmentView }),
};
