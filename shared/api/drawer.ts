/**
 * The cash drawer's own life: the opening float (fond de caisse) and the cash put in or taken out during the
 * day, each with its reason. The contract of `server/drawer`.
 */
import { z } from 'zod';
import { idSchema, isoDate, outletCodeSchema, printable, UNPRINTABLE_REASON } from './common.ts';
import { endpoint } from './contract.ts';
import { uuidV7 } from './sales.ts';

export const cashMovementKinds = ['float', 'in', 'out'] as const;
export const cashInReasons = ['change_supply', 'correction', 'other'] as const;
export const cashOutReasons = ['petty_purchase', 'producer_payment', 'bank_deposit', 'correction', 'other'] as const;
export const cashReasonSchema = z.enum([
  'float',
  'change_supply',
  'petty_purchase',
  'producer_payment',
  'bank_deposit',
  'correction',
  'other',
]);
export type CashReason = z.infer<typeof cashReasonSchema>;
export type CashMovementKind = (typeof cashMovementKinds)[number];

/** Euro notes and coins, in cents: what a float may be counted by. */
export const denominationsCents = [50000, 20000, 10000, 5000, 2000, 1000, 500, 200, 100, 50, 20, 10, 5, 2, 1] as const;

const amount = z.number().int('montant en centimes entiers').min(1, 'montant supérieur à 0 attendu').max(100_000_000, 'montant trop élevé');

export const cashMovementBody = z
  .object({
    /** Made by the till (UUIDv7): posting it twice records it once, as a ticket. */
    id: uuidV7,
    kind: z.enum(cashMovementKinds),
    reason: cashReasonSchema,
    amountCents: amount,
    note: z.string().trim().max(200, '200 caractères au plus').refine(printable, UNPRINTABLE_REASON).optional(),
    /** A producer paid in cash (`producer_payment`): who, when named. */
    producerId: idSchema.optional(),
    /** The float counted note by note: `{ "<cents>": count }`, adding up to `amountCents`. */
    denominations: z
      .partialRecord(
        z.enum(denominationsCents.map(String) as [string, ...string[]], { message: 'coupure inconnue' }),
        z.number().int().min(0).max(100_000),
      )
      .optional(),
    /** A manager's approval (`POST /api/auth/approve` on this till) for a cash out above the limit or paying a producer. */
    approval: z.string().max(200).optional(),
    /** When it happened at the till (an offline movement is sent later). */
    createdAt: z.string().datetime({ offset: true }).optional(),
    /** The back office: which till's drawer (else the outlet's drawer as a whole). */
    tillId: idSchema.optional(),
    outlet: outletCodeSchema.optional(),
  })
  .strict()
  .superRefine((b, ctx) => {
    const allowed: readonly string[] = b.kind === 'float' ? ['float'] : b.kind === 'in' ? cashInReasons : cashOutReasons;
    if (!allowed.includes(b.reason))
      ctx.addIssue({ code: 'custom', path: ['reason'], message: `motif « ${b.reason} » impossible pour ce mouvement` });
    if ((b.reason === 'other' || b.reason === 'correction') && !b.note)
      ctx.addIssue({ code: 'custom', path: ['note'], message: 'précisez le motif dans la note' });
    if (b.producerId !== undefined && b.reason !== 'producer_payment')
      ctx.addIssue({ code: 'custom', path: ['producerId'], message: 'un producteur ne se nomme que pour un paiement de producteur' });
    if (b.denominations) {
      const sum = Object.entries(b.denominations).reduce((s, [d, n]) => s + Number(d) * (n ?? 0), 0);
      if (sum !== b.amountCents)
        ctx.addIssue({ code: 'custom', path: ['denominations'], message: `les coupures font ${sum} centimes, pas ${b.amountCents}` });
    }
  });
export type CashMovementBody = z.input<typeof cashMovementBody>;

const int = z.number().int();

export const cashMovementView = z.strictObject({
  id: z.string(),
  outletId: int,
  tillId: int.nullable(),
  tillName: z.string().nullable(),
  businessDay: z.string(),
  kind: z.enum(cashMovementKinds),
  reason: cashReasonSchema,
  amountCents: int,
  note: z.string().nullable(),
  producerId: int.nullable(),
  producerName: z.string().nullable(),
  denominations: z.record(z.string(), int).nullable(),
  userId: int,
  by: z.string(),
  approvedBy: z.string().nullable(),
  createdAt: z.string(),
});
export type CashMovementView = z.infer<typeof cashMovementView>;

/** What a till needs to know of its day: which business day its sales go to, and whether its float is counted. */
export const tillDayView = z.strictObject({
  /** The calendar day at the shop (Europe/Paris). */
  today: z.string(),
  /** The business day a ticket rung now goes to: today, or the next open day once today is closed (a Z taken early). */
  salesDay: z.string(),
  /** Today's Z is taken. */
  todayClosed: z.boolean(),
  /** This till's float for `salesDay`, when counted. */
  floatCents: int.nullable(),
  /** A business day of the till's outlet that ended without its Z (server/closing/missed-z.ts), or null. */
  missedZ: z
    .strictObject({
      day: z.string(),
      /** From then on (the day's end + 24 h) the till takes no new sale, when `blocks`. */
      blocksAt: z.string(),
      blocks: z.boolean(),
    })
    .nullable(),
});
export type TillDayView = z.infer<typeof tillDayView>;

export const movementListQuery = z.object({ outlet: outletCodeSchema.default('shop'), day: isoDate }).strict();

export const drawerApi = {
  record: endpoint({ method: 'post', path: '/api/drawer/movements', body: cashMovementBody, response: cashMovementView }),
  list: endpoint({ method: 'get', path: '/api/drawer/movements', query: movementListQuery, response: z.array(cashMovementView) }),
  tillDay: endpoint({ method: 'get', path: '/api/drawer/day', response: tillDayView }),
};
