import { z } from 'zod';
import { outletCodeSchema, trimmed } from './common.ts';

/** file:DIR, tcp://host:port, usb:VVVV:PPPP (the server checks the same forms). */
export const printerUriSchema = z
  .string()
  .trim()
  .max(300)
  .regex(
    /^(file:.+|tcp:\/\/([A-Za-z0-9.-]+|\[[0-9a-fA-F:]+\]):\d{1,5}|usb:[0-9a-fA-F]{4}:[0-9a-fA-F]{4})$/,
    'adresse attendue : file:DOSSIER, tcp://hôte:9100 ou usb:VVVV:PPPP',
  );

export const printerBody = z
  .object({
    name: trimmed(1, 60),
    /** The outlet it serves (shop or restaurant); null for both. */
    outlet: outletCodeSchema.nullable().default(null),
    role: z.enum(['receipt', 'kitchen']),
    uri: printerUriSchema,
    /** 48 columns on 80 mm paper, 32 on 58 mm. */
    columns: z.union([z.literal(48), z.literal(32)]).default(48),
    codePage: z.enum(['pc858', 'wpc1252']).default('pc858'),
    /** A cash drawer is wired to it. */
    drawer: z.boolean().default(false),
    active: z.boolean().default(true),
  })
  .strict();

export const printerPatch = printerBody.partial().strict();

export const printJobsQuery = z
  .object({
    status: z.enum(['queued', 'printing', 'done', 'failed', 'cancelled', 'unconfirmed', 'expired']).optional(),
    printerId: z.coerce.number().int().positive().optional(),
    limit: z.coerce.number().int().min(1).max(500).default(100),
  })
  .strict();

export type PrinterBody = z.infer<typeof printerBody>;
