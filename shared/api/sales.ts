import { z } from 'zod';
import { idSchema, printable, UNPRINTABLE_REASON, urlInt } from './common.ts';
import { endpoint } from './contract.ts';

export const uuidV7 = z
  .string()
  .regex(/^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/, 'identifiant UUIDv7 attendu (en minuscules)');
export const paymentMethodSchema = z
  .string()
  .regex(
    /^(cash|card|cheque|meal_voucher|solidarity|other:[a-z0-9_-]{1,30})$/,
    'moyen de paiement inconnu (cash, card, cheque, meal_voucher, solidarity, other:…)',
  );
const amount = z.number().int().min(-100_000_000).max(100_000_000);

/**
 * How far ahead of its till's highest number a ticket's number may be: gaps are allowed (a tablet sends what it
 * sold offline later, a refused ticket leaves its number unused), a leap to the schema's ceiling is not (one
 * ticket numbered 1 000 000 000 left the till's next number refused for good, found by a security probe).
 * 100 000 numbers is more than any offline period rings. Checked under the writer's lock (sales/record.ts).
 */
export const MAX_NUMBER_AHEAD = 100_000;
/**
 * The highest ticket number, in the schema and on the server: with leaps of at most `MAX_NUMBER_AHEAD`, a till
 * reaches it only after 10 000 tickets each flagged as a gap (`journal.gap`), never by one ticket.
 */
export const MAX_TICKET_NUMBER = 1_000_000_000;
const ticketNumber = z.number().int().min(1).max(MAX_TICKET_NUMBER);

export const saleLineSchema = z
  .object({
    productId: idSchema,
    /** Pieces; for a product sold by weight, `grams` instead. */
    quantity: z.number().int().min(1).max(100_000).optional(),
    grams: z.number().int().min(1).max(1_000_000).optional(),
    /** Price incl. VAT as sold: per piece, or per kg. */
    unitPriceCents: z.number().int().min(0).max(10_000_000),
    discountCents: z.number().int().min(0).max(10_000_000).default(0),
    note: z.string().trim().max(200).refine(printable, UNPRINTABLE_REASON).optional(),
    /**
     * A price other than the catalogue's (in force when the ticket was rung): the cashier's reason. Within the
     * cashier's discount limit on its own, above it with a manager's approval (`discountApproval`).
     */
    manualPrice: z
      .object({
        reason: z.string().trim().min(3, 'motif obligatoire (3 caractères au moins)').max(200).refine(printable, UNPRINTABLE_REASON),
      })
      .strict()
      .optional(),
    /** The scale label (in-store EAN-13 with an embedded price) the line was scanned from: its price is the label's. */
    priceLabel: z
      .string()
      .regex(/^2\d{12}$/, 'étiquette de balance (EAN-13 commençant par 2) attendue')
      .optional(),
    /** The VAT rate the till applied, when it says: refused unless it is the one the server applies. */
    vatRateBp: z.number().int().min(0).max(10_000).optional(),
    /**
     * A dish's options chosen at the till (cuisson, suppléments), as for a table's order: checked against the
     * dish's offered ones (required groups filled), their supplements part of `unitPriceCents`.
     */
    modifiers: z.array(idSchema).max(30).optional(),
  })
  .strict()
  .refine((l) => (l.quantity === undefined) !== (l.grams === undefined), {
    message: 'une ligne a soit quantity (pièces), soit grams (au poids)',
    path: ['quantity'],
  });

export const saleBody = z
  .object({
    id: uuidV7,
    tillId: idSchema,
    number: ticketNumber,
    createdAt: z.iso.datetime({ offset: true, message: 'date ISO 8601 attendue' }),
    /** What is sold. Empty for a share of a restaurant bill (`order.share`): the server takes the order's lines. */
    lines: z.array(saleLineSchema).max(500),
    discountCents: z.number().int().min(0).max(100_000_000).default(0),
    payments: z
      .array(
        z
          .object({
            method: paymentMethodSchema,
            /** What this payment settles of the ticket's total. */
            amountCents: amount.refine((v) => v !== 0, 'montant nul'),
            /**
             * A tip the customer adds on a card payment, charged with it (the terminal takes amount + tip):
             * outside the ticket's total and turnover. Only when the shop allows tips (till options).
             */
            tipCents: z.number().int().min(1, 'pourboire positif attendu').max(100_000).optional(),
          })
          .strict(),
      )
      // None only for a ticket of 0,00 € (a gift, a 100 % discount approved): the server's settling refuses
      // any other total without payments.
      .max(10),
    /** What the till computed: the server recomputes and refuses a ticket whose total differs. */
    totalCents: amount,
    /**
     * Who rang it, when not the one logged in as it is sent (a ticket rung offline by a cashier who has
     * locked the till since): a member of staff of this till.
     */
    cashierId: idSchema.optional(),
    /** A manager's approval (from `POST /api/auth/approve`) for discounts above what a cashier may give alone. */
    discountApproval: z.string().max(200).optional(),
    /** A manager's approval (from `POST /api/auth/approve`) for a cash payment above the shop's threshold (1 000 €). */
    cashApproval: z.string().max(200).optional(),
    /**
     * Sold at solidarity prices (issue 22): the household's card code. The fund (`solidarity` payment) pays the
     * public price less the household's share, which the server checks with the card's allowance.
     */
    household: z
      .string()
      .trim()
      .toUpperCase()
      .regex(/^[0-9A-Z]{10}$/, 'carte solidaire : 10 lettres et chiffres')
      .optional(),
    /**
     * The restaurant's bill, or a part of it: the order it pays and, for each line of this ticket in the same
     * order, the order's line and how many of it. Paid in full, the order closes and its table is free.
     */
    order: z
      .object({
        id: uuidV7,
        /** Paid by item: for each line of this ticket, in the same order, the order's line and how many. */
        lines: z
          .array(z.object({ lineId: uuidV7, quantity: z.number().int().min(1).max(99) }).strict())
          .min(1)
          .max(500)
          .optional(),
        /**
         * Paid by share: part `index` of `parts` equal parts of what is left (the last part takes exactly
         * what is left), or a custom amount of what is left. The ticket's lines are then the server's
         * (shared/split.ts): the ticket carries no `lines` and its `totalCents` is the part's amount.
         */
        share: z
          .union([
            z
              .object({ parts: z.number().int().min(2).max(50), index: z.number().int().min(1).max(50) })
              .strict()
              .refine((p) => p.index <= p.parts, { message: 'numéro de part au-delà du nombre de parts', path: ['index'] }),
            z.object({ amountCents: z.number().int().min(1, 'montant positif attendu').max(100_000_000) }).strict(),
          ])
          .optional(),
      })
      .strict()
      .refine((o) => (o.lines === undefined) !== (o.share === undefined), {
        message: 'une commande se règle soit par lignes (lines), soit par part (share)',
        path: ['share'],
      })
      .optional(),
  })
  .strict()
  .refine((b) => !b.order?.lines || b.order.lines.length === b.lines.length, {
    message: 'une ligne de commande par ligne du ticket',
    path: ['order', 'lines'],
  })
  .refine((b) => (b.order?.share ? b.lines.length === 0 : b.lines.length > 0), {
    message: 'au moins une ligne (aucune pour une part de commande : ses lignes sont celles de la commande)',
    path: ['lines'],
  });

export type SaleBody = z.infer<typeof saleBody>;

export const saleListQuery = z
  .object({
    from: z.iso.datetime({ offset: true }).optional(),
    to: z.iso.datetime({ offset: true }).optional(),
    tillId: urlInt((n) => n.positive()).optional(),
    /** The code of the digital receipt (the end of the QR code's address): finds that one ticket. */
    receipt: z
      .string()
      .regex(/^[A-Za-z0-9_-]{16,64}$/, 'code de reçu illisible')
      .optional(),
    limit: urlInt((n) => n.min(1).max(500)).default(50),
  })
  .strict();

export const refundBody = z
  .object({
    id: uuidV7,
    tillId: idSchema,
    /** From the till's own sequence, like any ticket. */
    number: ticketNumber,
    createdAt: z.iso.datetime({ offset: true, message: 'date ISO 8601 attendue' }),
    refundOf: uuidV7,
    reason: z.string().trim().min(3, 'motif obligatoire (3 caractères au moins)').max(200).refine(printable, UNPRINTABLE_REASON),
    lines: z
      .array(
        z
          .object({
            /** The line of the original ticket. */
            lineNo: z.number().int().min(1).max(500),
            quantity: z.number().int().min(1).max(100_000).optional(),
            grams: z.number().int().min(1).max(1_000_000).optional(),
            /** Back on the shelf (default), or written off as a loss. */
            restock: z.boolean().default(true),
          })
          .strict()
          .refine((l) => (l.quantity === undefined) !== (l.grams === undefined), {
            message: 'une ligne a soit quantity, soit grams',
            path: ['quantity'],
          }),
      )
      .min(1)
      .max(500),
    /** Money handed back: negative amounts adding up to the (negative) total. */
    payments: z
      .array(
        z.object({ method: paymentMethodSchema, amountCents: amount.refine((v) => v < 0, 'montant remboursé négatif attendu') }).strict(),
      )
      .min(1)
      .max(5),
    totalCents: amount,
    /** A manager's PIN when the cashier is not a manager themselves. */
    approvalPin: z
      .string()
      .regex(/^\d{4,8}$/)
      .optional(),
  })
  .strict();

export type RefundBody = z.infer<typeof refundBody>;

// ——— Responses ———

const int = z.number().int();

/** One line as the journal keeps it: the price and discounts it was sold at, its share of the ticket's discount. */
export const saleLineView = z.strictObject({
  lineNo: int,
  productId: int,
  name: z.string(),
  producerId: int.nullable(),
  /** Pieces, or grams for a product sold by weight. */
  quantity: int,
  unitPriceCents: int,
  grossCents: int,
  lineDiscountCents: int,
  ticketDiscountCents: int,
  totalCents: int,
  vatRateBp: int,
});

/** A ticket as stored: what the receipt, the refund screen and the journal show. */
export const saleView = z.strictObject({
  id: z.string(),
  tillId: int,
  outletId: int,
  number: int,
  training: z.boolean(),
  kind: z.enum(['sale', 'refund']),
  refundOf: z.string().nullable(),
  cashierId: int,
  createdAt: z.string(),
  receivedAt: z.string(),
  businessDay: z.string(),
  lines: z.array(saleLineView),
  vat: z.array(z.strictObject({ vatRateBp: int, grossCents: int, netCents: int, vatCents: int })),
  /** `excessCents`: what a meal voucher was worth beyond what it paid, kept by the shop (« non rendu »). */
  payments: z.array(z.strictObject({ method: z.string(), amountCents: int, tipCents: int.optional(), excessCents: int.optional() })),
  /** Tips added on card payments: collected with them, outside `totalCents` (not turnover). */
  tipCents: int,
  subtotalCents: int,
  discountCents: int,
  totalCents: int,
  changeCents: int,
  approvedBy: int.nullable(),
  gapBefore: z.boolean(),
  receiptToken: z.string(),
  hash: z.string(),
});
export type SaleView = z.infer<typeof saleView>;

const saleParams = z.object({ id: uuidV7 }).strict();

export const salesApi = {
  record: endpoint({ method: 'post', path: '/api/sales', body: saleBody, response: saleView }),
  refund: endpoint({ method: 'post', path: '/api/refunds', body: refundBody, response: saleView }),
  get: endpoint({ method: 'get', path: '/api/sales/:id', params: saleParams, response: saleView }),
  receipt: endpoint({
    method: 'post',
    path: '/api/sales/:id/receipt',
    params: saleParams,
    response: z.strictObject({ printerId: int.nullable(), jobId: int.nullable() }),
  }),
  reprint: endpoint({
    method: 'post',
    path: '/api/sales/:id/print',
    params: saleParams,
    response: z.strictObject({ duplicata: z.literal(true), copy: int, jobId: int.nullable(), printerId: int.nullable(), sale: saleView }),
  }),
  list: endpoint({ method: 'get', path: '/api/sales', query: saleListQuery, response: z.array(saleView) }),
  refunded: endpoint({
    method: 'get',
    path: '/api/sales/:id/refunded',
    params: saleParams,
    response: z.array(
      z.strictObject({
        lineNo: int,
        /** Pieces or grams still to refund (a share of a restaurant bill: 1 until refunded, then 0). */
        refundable: int,
        /** What the ticket's refunds have given back of the line so far (positive). */
        quantity: int,
        grossCents: int,
        lineDiscountCents: int,
        ticketDiscountCents: int,
      }),
    ),
  }),
  /**
   * A ticket sold at solidarity prices: what refunding these lines gives back to the fund and to the household
   * (both negative); null for any other ticket. The refund screen splits its payments by it.
   */
  refundSplit: endpoint({
    method: 'post',
    path: '/api/sales/:id/refund-split',
    params: saleParams,
    body: z.strictObject({
      lines: z
        .array(
          z.strictObject({
            lineNo: z.number().int().min(1),
            quantity: z.number().int().min(0).max(100_000).optional(),
            grams: z.number().int().min(0).max(1_000_000).optional(),
          }),
        )
        .max(500),
    }),
    response: z.strictObject({ fundCents: int, householdCents: int }).nullable(),
  }),
};
