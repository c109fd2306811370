import { z } from 'zod';
import { idSchema, outletCodeSchema, printable, roleSchema, trimmed, UNPRINTABLE_REASON, urlInt } from './common.ts';
import { endpoint, noContent } from './contract.ts';

export const passwordSchema = z.string().min(10, 'au moins 10 caractères').max(256);
export const pinSchema = z.string().regex(/^\d{4,8}$/, 'le code PIN fait de 4 à 8 chiffres');
export const loginSchema = z
  .string()
  .trim()
  .toLowerCase()
  .regex(/^[a-z0-9][a-z0-9._-]{1,63}$/, 'identifiant : lettres minuscules, chiffres, point, tiret (2 à 64)');

export const userCreateBody = z
  .object({
    login: loginSchema.optional(),
    displayName: trimmed(1, 60),
    role: roleSchema,
    password: passwordSchema.optional(),
    pin: pinSchema.optional(),
    producerId: idSchema.optional(),
    /** Restricts a cashier or waiter to one outlet's tills; absent = every outlet. */
    outletId: idSchema.optional(),
    /** A manager who runs one site of the network sees and works at that site only; absent = the whole network. */
    siteId: idSchema.optional(),
  })
  .strict();

export const userUpdateBody = z
  .object({
    displayName: trimmed(1, 60),
    active: z.boolean(),
    outletId: idSchema.nullable(),
    siteId: idSchema.nullable(),
  })
  .partial()
  .strict();

export const passwordBody = z.object({ password: passwordSchema }).strict();
export const pinBody = z.object({ pin: pinSchema }).strict();
export const ownPasswordBody = z.object({ current: z.string().min(1).max(256), password: passwordSchema }).strict();
/** One's own till PIN, for those who log in with a password (a manager): that password asked again. */
export const ownPinBody = z.object({ current: z.string().min(1).max(256), pin: pinSchema }).strict();

export const tillCreateBody = z.object({ outlet: outletCodeSchema, name: trimmed(1, 40) }).strict();
export const tillUpdateBody = z
  .object({
    name: trimmed(1, 40),
    active: z.boolean(),
    trainingMode: z.boolean(),
    /** The receipt printer (and its cash drawer) this till prints on; null for none. */
    printerId: idSchema.nullable(),
  })
  .partial()
  .strict();

export const eventsQuery = z
  .object({
    kind: z.string().max(40).optional(),
    beforeId: urlInt((n) => n.positive()).optional(),
    limit: urlInt((n) => n.min(1).max(500)).default(100),
  })
  .strict();

export type UserCreate = z.infer<typeof userCreateBody>;

/** A ticket (or refund) the server refused to a till's outbox, reported whole for a manager to deal with. */
/** Every text of a JSON value (keys included) printable; nested at most 20 deep. */
function printableDeep(v: unknown, depth = 0): boolean {
  if (typeof v === 'string') return printable(v);
  if (v === null || typeof v !== 'object') return true;
  if (depth > 20) return false;
  if (Array.isArray(v)) return v.every((x) => printableDeep(x, depth + 1));
  return Object.entries(v).every(([k, x]) => printable(k) && printableDeep(x, depth + 1));
}

export const refusedTicketBody = z
  .object({
    id: z.string().min(1).max(64).refine(printable, UNPRINTABLE_REASON),
    kind: z.enum(['sale', 'refund', 'receipt', 'op', 'cash', 'served']),
    number: z.number().int().optional(),
    totalCents: z.number().int().optional(),
    path: z
      .string()
      .max(200)
      .regex(/^\/api\//, 'chemin de l’API attendu (/api/…)')
      .refine(printable, UNPRINTABLE_REASON),
    /**
     * The request as the till sent it: at most 64 KB of JSON, no control character nor bidirectional override in
     * any of its texts (it is shown in the event log).
     */
    body: z
      .unknown()
      .refine((b) => JSON.stringify(b ?? null).length <= 65_536, 'au plus 64 Ko')
      .refine(printableDeep, UNPRINTABLE_REASON),
    /** 4xx from the server, 5xx it gave up on, or 0 for an answer that never came in a usable form. */
    status: z.number().int().min(0).max(599),
    message: z.string().max(2000).refine(printable, UNPRINTABLE_REASON),
    queuedAt: z.iso.datetime({ offset: true }),
    refusedAt: z.iso.datetime({ offset: true }),
  })
  .strict();

// ——— Responses ———

const int = z.number().int();
const idParams = z.object({ id: urlInt((n) => n.positive()) }).strict();

/** An account as managers see it: never its secrets, only whether it has them. */
export const userView = z.strictObject({
  id: int,
  login: z.string().nullable(),
  displayName: z.string(),
  role: roleSchema,
  producerId: int.nullable(),
  outletId: int.nullable(),
  siteId: int.nullable(),
  active: z.boolean(),
  hasPassword: z.boolean(),
  hasPin: z.boolean(),
  /** Locked out by wrong PINs or passwords, until then (UTC ISO); null when not locked. */
  lockedUntil: z.string().nullable(),
});
export type UserView = z.infer<typeof userView>;

export const usersApi = {
  list: endpoint({ method: 'get', path: '/api/users', response: z.array(userView) }),
  create: endpoint({ method: 'post', path: '/api/users', body: userCreateBody, response: userView }),
  update: endpoint({ method: 'patch', path: '/api/users/:id', params: idParams, body: userUpdateBody, response: userView }),
  setPassword: endpoint({ method: 'put', path: '/api/users/:id/password', params: idParams, body: passwordBody, response: noContent }),
  unlock: endpoint({ method: 'post', path: '/api/users/:id/unlock', params: idParams, response: noContent }),
  setPin: endpoint({ method: 'put', path: '/api/users/:id/pin', params: idParams, body: pinBody, response: noContent }),
};
