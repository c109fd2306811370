import { usersApi } from '../../shared/api/admin.ts';
import { siteScope } from '../sites/sites.ts';
import { MANAGERS } from '../http/access.ts';
import { Reply, serve } from '../http/route.ts';
import { requireUser } from '../auth/access.ts';
import { unlockStaff } from '../auth/unlock.ts';
import { addUser, changeUser, listUsers, resetPassword, resetPin } from './users.ts';

export const userRoutes = [
  serve(usersApi.list, {
    access: MANAGERS,
    tag: 'users',
    summary: 'List users and their roles',
    handler: async (_, ctx) => listUsers(ctx.db, ctx.services.now(), siteScope(ctx)),
  }),
  serve(usersApi.create, {
    access: MANAGERS,
    tag: 'users',
    summary: 'Create a user; managers create cashiers, waiters and producers, admins anyone',
    handler: async ({ body }, ctx) => Reply.created(await addUser(ctx.db, ctx, body, ctx.services.now())),
  }),
  serve(usersApi.update, {
    access: MANAGERS,
    tag: 'users',
    summary: 'Rename, deactivate (sessions ended) or restrict a user to an outlet',
    handler: async ({ params, body }, ctx) => {
      const user = await changeUser(ctx.db, ctx, params.id, body, ctx.services.now());
      // Deactivated, moved to another site: their open connections hear no more than their new self.
      await ctx.services.realtime?.recheck();
      return user;
    },
  }),
  serve(usersApi.setPassword, {
    access: MANAGERS,
    tag: 'users',
    summary: 'Reset a user’s password (their sessions are ended)',
    handler: async ({ params, body }, ctx) => {
      await resetPassword(ctx.db, ctx, params.id, body.password, ctx.services.now());
      await ctx.services.realtime?.recheck();
      return Reply.noContent();
    },
  }),
  serve(usersApi.unlock, {
    access: MANAGERS,
    tag: 'users',
    summary:
      'Lift a person’s lockout after wrong PINs or passwords (an event names who unlocked); managers unlock floor staff, admins anyone',
    handler: async ({ params }, ctx) => {
      const by = requireUser(ctx);
      await unlockStaff(
        ctx.db,
        { userId: params.id, by: { id: by.id, role: by.role, siteId: by.siteId }, via: 'backoffice' },
        ctx.services.now(),
      );
      return Reply.noContent();
    },
  }),
  serve(usersApi.setPin, {
    access: MANAGERS,
    tag: 'users',
    summary: 'Reset a staff member’s till PIN (must differ from every other PIN)',
    handler: async ({ params, body }, ctx) => {
      await resetPin(ctx.db, ctx, params.id, body.pin, ctx.services.now());
      return Reply.noContent();
    },
  }),
];
