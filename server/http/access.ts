import { Unauthorized } from '../errors.ts';
import type { Scope } from '../auth/identity.ts';
import type { SessionUser } from '../auth/identity.ts';
import type { Principal, RequestContext } from './route.ts';

export const MANAGERS = ['admin', 'manager'] as const satisfies readonly Principal[];
export const STAFF = ['admin', 'manager', 'cashier', 'waiter'] as const satisfies readonly Principal[];
/** A paired till, locked or not, and any staff member. */
export const TILL = ['device', ...STAFF] as const satisfies readonly Principal[];

export function requireUser(ctx: RequestContext): SessionUser {
  if (!ctx.user) throw new Unauthorized();
  return ctx.user;
}

/** A producer's requests are scoped to their own producer id; everyone else sees everything the route allows. */
export function scopeOf(ctx: RequestContext): Scope {
  return { producerId: ctx.user?.role === 'producer' ? ctx.user.producerId : null };
}
