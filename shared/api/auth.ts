import { z } from 'zod';
import { idSchema, printable, roleSchema, UNPRINTABLE_REASON } from './common.ts';
import { endpoint, noContent } from './contract.ts';
import { ownPasswordBody, ownPinBody } from './admin.ts';

export const loginBody = z
  .object({
    // No control character nor line break: a failed login writes it into the chained event log (an outsider's
    // « \r\nFAKE: auth.login gerant » stayed there for good: found by an independent check).
    login: z
      .string()
      .trim()
      .toLowerCase()
      .min(1)
      .max(64)
      .refine((s) => printable(s) && !/[\r\n\t]/.test(s), UNPRINTABLE_REASON),
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
    label: z.string().trim().max(60).refine(printable, UNPRINTABLE_REASON).optional(),
  })
  .strict();

export type LoginBody = z.infer<typeof loginBody>;
export type PinBody = z.infer<typeof pinBody>;

/** A manager unlocks, from the till's lock screen, a person locked out by wrong PINs. */
export const unlockBody = z
  .object({
    userId: idSchema,
    pin: z.string().regex(/^\d{4,8}$/, 'le code PIN du responsable fait de 4 à 8 chiffres'),
  })
  .strict();

export const approveBody = z
  .object({
    pin: z.string().regex(/^\d{4,8}$/, 'code PIN de 4 à 8 chiffres'),
    /** What the approval is for: the token it gives is good for that only, once. */
    purpose: z.enum(['discount', 'cash', 'drawer', 'void', 'refund']),
    /**
     * What the manager is shown and approves, in cents: the cash out, the ticket's discounts (everything let off
     * the catalogue's prices), the dishes cancelled, the cash paid. The operation may amount to that, not more.
     */
    amountCents: z.number().int().min(0).max(100_000_000),
  })
  .strict();

// ——— Responses ———

const int = z.number().int();
const loggedIn = z.strictObject({
  user: z.strictObject({ id: int, role: roleSchema, displayName: z.string(), producerId: int.nullable() }),
});

/** Who is logged in, as the apps show them. */
export const meView = z.strictObject({
  user: z.strictObject({
    id: int,
    role: roleSchema,
    displayName: z.string(),
    login: z.string().nullable(),
    producerId: int.nullable(),
    /** A manager tied to one site of the network; absent or null: the whole network. */
    siteId: int.nullable().optional(),
  }),
  tillId: int.nullable(),
  shop: z.strictObject({ name: z.string(), demo: z.boolean() }),
});
export type MeView = z.infer<typeof meView>;

export const authApi = {
  login: endpoint({ method: 'post', path: '/api/auth/login', body: loginBody, response: loggedIn }),
  pin: endpoint({ method: 'post', path: '/api/auth/pin', body: pinBody, response: loggedIn }),
  approve: endpoint({
    method: 'post',
    path: '/api/auth/approve',
    body: approveBody,
    response: z.strictObject({
      approver: z.strictObject({ id: int, displayName: z.string(), role: roleSchema }),
      /** To send with the ticket or refund it approves (`discountApproval`). */
      approval: z.string(),
    }),
  }),
  unlock: endpoint({
    method: 'post',
    path: '/api/auth/unlock',
    body: unlockBody,
    response: z.strictObject({
      user: z.strictObject({ id: int, displayName: z.string() }),
      unlockedBy: z.strictObject({ id: int, displayName: z.string() }),
    }),
  }),
  logout: endpoint({ method: 'post', path: '/api/auth/logout', response: noContent }),
  me: endpoint({ method: 'get', path: '/api/auth/me', response: meView }),
  password: endpoint({ method: 'put', path: '/api/auth/password', body: ownPasswordBody, response: noContent }),
  ownPin: endpoint({ method: 'put', path: '/api/auth/pin', body: ownPinBody, response: noContent }),
};
