import type { Principal } from './route.ts';

/** Who may call a route, by role: the first check, before `auth/access.ts` decides what the caller may touch. */
export const MANAGERS = ['admin', 'manager'] as const satisfies readonly Principal[];
export const STAFF = ['admin', 'manager', 'cashier', 'waiter'] as const satisfies readonly Principal[];
/** A paired till, locked or not, and any staff member. */
export const TILL = ['device', ...STAFF] as const satisfies readonly Principal[];

/** Said to a manager tied to one site who asks for the network's own business (`network: true` routes). */
export const NETWORK_ONLY = 'Réservé à la gestion du réseau : vous gérez un seul site.';
