import { z } from 'zod';
import { isoDate, outletCodeSchema, printable, UNPRINTABLE_REASON, urlInt } from './common.ts';
import { endpoint, fileResponse } from './contract.ts';

export const xQuery = z.object({ outlet: outletCodeSchema.default('shop'), day: isoDate.optional() }).strict();
export const closeDayBody = z
  .object({
    outlet: outletCodeSchema,
    day: isoDate,
    /** What the manager counted in the drawer. */
    cashCountedCents: z.number().int().min(0).max(100_000_000),
    note: z.string().trim().max(500).refine(printable, UNPRINTABLE_REASON).optional(),
    /** The restaurant's tables still open: refused unless the manager closes with them listed on the Z. */
    withOpenTables: z.boolean().default(false),
    /**
     * Closing today before the day is over: sales recorded after it go to the next business day. The manager
     * confirms it (the back office asks); without it such a closing is refused.
     */
    confirmEarly: z.boolean().default(false),
  })
  .strict();
export const closeMonthBody = z
  .object({ outlet: outletCodeSchema, month: z.string().regex(/^\d{4}-(0[1-9]|1[0-2])$/, 'mois attendu au format AAAA-MM') })
  .strict();
export const closeYearBody = z
  .object({ outlet: outletCodeSchema, year: z.string().regex(/^\d{4}$/, 'année attendue au format AAAA') })
  .strict();
export const closingListQuery = z
  .object({
    outlet: outletCodeSchema.optional(),
    kind: z.enum(['day', 'month', 'year']).optional(),
    limit: urlInt((n) => n.min(1).max(500)).default(60),
  })
  .strict();

// ——— Responses ———

const int = z.number().int();

/** What an X or Z report shows, for one business day of one outlet, or summed over a month or a year. */
export const figuresSchema = z.strictObject({
  tickets: int,
  refunds: int,
  salesCents: int,
  refundsCents: int,
  totalCents: int,
  discountsCents: int,
  byPayment: z.array(z.strictObject({ method: z.string(), amountCents: int })),
  changeCents: int,
  cashExpectedCents: int,
  byVat: z.array(z.strictObject({ vatRateBp: int, grossCents: int, netCents: int, vatCents: int })),
  byProducer: z.array(z.strictObject({ producerId: int.nullable(), name: z.string(), totalCents: int })),
  tills: z.array(z.strictObject({ tillId: int, first: int, last: int, count: int })),
  /** Tickets sold on an earlier day that was already closed, booked on this one. */
  lateTickets: int,
  /** Tips added on card payments (also in the card's amount of `byPayment`), outside sales and VAT; only when some. */
  tipsCents: int.optional(),
  /** Meal vouchers' value beyond what they paid, kept by the shop (« non rendu »); absent when none. */
  voucherExcessCents: int.optional(),
});
export type FiguresView = z.infer<typeof figuresSchema>;

/** The drawer at closing: float, cash in and out and the tickets' cash make the cash expected. */
export const drawerFiguresSchema = z.strictObject({
  floatCents: int,
  cashSalesCents: int,
  changeCents: int,
  cashInCents: int,
  cashOutCents: int,
  /** float + cash sales − change + cash in − cash out. */
  expectedCents: int,
  movements: z.array(
    z.strictObject({
      id: z.string(),
      tillId: int.nullable(),
      kind: z.enum(['float', 'in', 'out']),
      reason: z.string(),
      amountCents: int,
      note: z.string().nullable(),
      producerId: int.nullable(),
      userId: int,
      approvedBy: int.nullable(),
      at: z.string(),
    }),
  ),
});

export const closingFiguresSchema = figuresSchema.extend({
  /** Day closings: the cash counted in the drawer, and the difference with what was expected. */
  cashCountedCents: int.nullable(),
  cashDifferenceCents: int.nullable(),
  note: z.string().nullable(),
  /** Month and year closings: the periods they are built from. */
  from: z.array(z.string()),
  /** A restaurant day closed with tables still open: which, and what they held. */
  /** `leftCents` (since 2026-12-07): what is still owed on it, what was paid already (a share, items) aside. */
  openTables: z
    .array(z.strictObject({ table: z.string().nullable(), orderId: z.string(), totalCents: int, leftCents: int.optional() }))
    .optional(),
  /** Day closings: the drawer's float, cash in and out, and the cash expected at closing from them and the tickets. */
  drawer: drawerFiguresSchema.optional(),
  /**
   * The perpetual grand totals at the end of the period (since 2026-12-06): every real ticket ever booked up
   * to its last day, per till of the outlet, for the outlet and for the whole establishment. Chained (and
   * signed) with the rest of the closing.
   */
  grandTotals: z
    .strictObject({
      tills: z.array(z.strictObject({ tillId: int, grandTotalCents: int })),
      outletCents: int,
      establishmentCents: int,
      /** Since 2026-12-07: each other outlet counted up to its last day closed when this closing was taken. */
      othersUpTo: z.array(z.strictObject({ outletId: int, day: z.string() })).optional(),
    })
    .optional(),
  /** The chains' heads when the closing was taken (since 2026-12-07): each till's last ticket, the last event. */
  chainHeads: z.array(z.strictObject({ chain: z.string(), position: int, hash: z.string() })).optional(),
});

/** A closing (Z) as chained: its figures, its place in the outlet's chain, its hash. */
export const closingViewSchema = z.strictObject({
  id: int,
  outletId: int,
  kind: z.enum(['day', 'month', 'year']),
  period: z.string(),
  seq: int,
  closedAt: z.string(),
  closedBy: int,
  figures: closingFiguresSchema,
  totalCents: int,
  grandTotalCents: int,
  hash: z.string(),
});
export type ClosingView = z.infer<typeof closingViewSchema>;

export const xReportSchema = z.strictObject({
  outlet: outletCodeSchema,
  day: z.string(),
  closed: z.boolean(),
  figures: figuresSchema,
  /** The drawer so far: float, cash in and out, and the cash it should hold now. */
  drawer: drawerFiguresSchema,
  byHour: z.array(z.strictObject({ hour: int, tickets: int, totalCents: int })),
  /** The tables still open (a restaurant), what each holds and what is still owed; once the day is closed, those its Z names. */
  openTables: z.array(z.strictObject({ table: z.string().nullable(), orderId: z.string(), totalCents: int, leftCents: int })),
  /** Each till's numbers the server never received: a tablet offline, or holding a ticket the server refused, has them. */
  missingTickets: z.array(z.strictObject({ tillId: int, till: z.string(), numbers: z.array(int) })),
  /** The tickets the server refused this day that a till handed to the event log, with the server's reason. */
  refusedTickets: z.array(
    z.strictObject({
      tillId: int,
      till: z.string(),
      kind: z.string(),
      number: int.nullable(),
      totalCents: int.nullable(),
      message: z.string(),
    }),
  ),
});
export type XReportView = z.infer<typeof xReportSchema>;

const idParams = z.object({ id: urlInt((n) => n.positive()) }).strict();

export const closingApi = {
  x: endpoint({ method: 'get', path: '/api/closings/x', query: xQuery, response: xReportSchema }),
  closeDay: endpoint({ method: 'post', path: '/api/closings/day', body: closeDayBody, response: closingViewSchema }),
  closeMonth: endpoint({ method: 'post', path: '/api/closings/month', body: closeMonthBody, response: closingViewSchema }),
  closeYear: endpoint({ method: 'post', path: '/api/closings/year', body: closeYearBody, response: closingViewSchema }),
  list: endpoint({ method: 'get', path: '/api/closings', query: closingListQuery, response: z.array(closingViewSchema) }),
  pdf: endpoint({ method: 'get', path: '/api/closings/:id.pdf', params: idParams, response: fileResponse('application/pdf') }),
  get: endpoint({ method: 'get', path: '/api/closings/:id', params: idParams, response: closingViewSchema }),
};
