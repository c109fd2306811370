import { z } from 'zod';
import { idSchema } from './common.ts';

export const loginBody = z
  .object({
    login: z.string().trim().toLowerCase().min(1).max(64),
    password: z.string().min(1).max(256),
  })
  .strict();

export const pinBody = z
  .object({
    tillId: idSchema,
    pin: z.string().regex(/^\d{4,8}$/, 'le code PIN fait de 4 à 8 chiffres'),
    /** The cashier picked on the lock screen; without it, the PIN alone identifies them on this till. */
    userId: idSchema.optional(),
  })
  .strict();

export const pairBody = z
  .object({
    code: z
      .string()
      .trim()
      .toUpperCase()
      .regex(/^[A-Z0-9]{8}$/, 'le code d’appairage fait 8 caractères'),
    label: z.string().trim().max(60).optional(),
  })
  .strict();

export type LoginBody = z.infer<typeof loginBody>;
export type PinBody = z.infer<typeof pinBody>;

export const approveBody = z.object({ pin: z.string().regex(/^\d{4,8}$/, 'code PIN de 4 à 8 chiffres') }).strict();
