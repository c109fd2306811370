import { z } from 'zod';
import { isoDate, outletCodeSchema } from './common.ts';

export const xQuery = z.object({ outlet: outletCodeSchema.default('shop'), day: isoDate.optional() }).strict();
export const closeDayBody = z
  .object({
    outlet: outletCodeSchema,
    day: isoDate,
    /** What the manager counted in the drawer. */
    cashCountedCents: z.number().int().min(0).max(100_000_000),
    note: z.string().trim().max(500).optional(),
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
    limit: z.coerce.number().int().min(1).max(500).default(60),
  })
  .strict();
