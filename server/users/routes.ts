import { passwordBody, pinBody, userCreateBody, userUpdateBody } from '../../shared/api/admin.ts';
import { MANAGERS, requireUser } from '../http/access.ts';
import { idParams, Reply, route } from '../http/route.ts';
import { createUser, listUsers, setPassword, setPin, updateUser } from './users.ts';

export const userRoutes = [
  route({
    method: 'get',
    path: '/api/users',
    access: MANAGERS,
    tag: 'users',
    summary: 'List users and their roles',
    handler: async (_, ctx) => listUsers(ctx.db),
  }),
  route({
    method: 'post',
    path: '/api/users',
    access: MANAGERS,
    tag: 'users',
    summary: 'Create a user; managers create cashiers, waiters and producers, admins anyone',
    body: userCreateBody,
    handler: async ({ body }, ctx) =>
      Reply.created(await ctx.db.transaction().execute((trx) => createUser(trx, body, requireUser(ctx), ctx.services.now()))),
  }),
  route({
    method: 'patch',
    path: '/api/users/:id',
    access: MANAGERS,
    tag: 'users',
    summary: 'Rename, deactivate (sessions ended) or restrict a user to an outlet',
    params: idParams,
    body: userUpdateBody,
    handler: async ({ params, body }, ctx) =>
      ctx.db.transaction().execute((trx) => updateUser(trx, params.id, body, requireUser(ctx), ctx.services.now())),
  }),
  route({
    method: 'put',
    path: '/api/users/:id/password',
    access: MANAGERS,
    tag: 'users',
    summary: 'Reset a user’s password (their sessions are ended)',
    params: idParams,
    body: passwordBody,
    handler: async ({ params, body }, ctx) => {
      await ctx.db.transaction().execute((trx) => setPassword(trx, params.id, body.password, requireUser(ctx), ctx.services.now()));
      return Reply.noContent();
    },
  }),
  route({
    method: 'put',
    path: '/api/users/:id/pin',
    access: MANAGERS,
    tag: 'users',
    summary: 'Reset a staff member’s till PIN (must differ from every other PIN)',
    params: idParams,
    body: pinBody,
    handler: async ({ params, body }, ctx) => {
      await ctx.db.transaction().execute((trx) => setPin(trx, params.id, body.pin, requireUser(ctx), ctx.services.now()));
      return Reply.noContent();
    },
  }),
];
