import { approveBody, loginBody, pinBody } from '../../shared/api/auth.ts';
import { ownPasswordBody } from '../../shared/api/admin.ts';
import { Forbidden, Unauthorized } from '../errors.ts';
import { requireUser, STAFF } from '../http/access.ts';
import { Reply, route } from '../http/route.ts';
import { isDemo, readSetting } from '../settings/settings.ts';
import { setPassword } from '../users/users.ts';
import { approveWithPin, loginWithPassword, loginWithPin } from './login.ts';
import { issueApproval } from './approval.ts';
import { sha256Hex, verifySecret } from './secrets.ts';
import { endSession, SESSION_COOKIE } from './sessions.ts';
import { recordEvent } from '../events/event-log.ts';

export const authRoutes = [
  route({
    method: 'post',
    path: '/api/auth/login',
    access: 'public',
    tag: 'auth',
    summary: 'Log in with a login and password (managers, admins, producers); sets the session cookie',
    body: loginBody,
    handler: async ({ body }, ctx) => {
      const result = await loginWithPassword(ctx.db, body.login, body.password, ctx.services.now());
      if (ctx.remote && result.user.role !== 'producer') {
        await endSession(ctx.db, sha256Hex(result.token));
        throw new Forbidden(
          'Le back-office s’ouvre depuis le réseau de la boutique ; depuis l’extérieur, seul l’espace des producteurs est ouvert.',
        );
      }
      ctx.setCookie(SESSION_COOKIE, result.token, { maxAgeSeconds: result.maxAgeSeconds });
      return { user: result.user };
    },
  }),
  route({
    method: 'post',
    path: '/api/auth/pin',
    access: ['device'],
    tag: 'auth',
    summary: 'Log a cashier in on a paired till with their PIN; 5 wrong PINs lock the till for 5 minutes',
    body: pinBody,
    handler: async ({ body }, ctx) => {
      const device = ctx.device;
      if (!device) throw new Unauthorized('Tablette non appairée.');
      const result = await loginWithPin(ctx.db, { ...body, deviceId: device.id, deviceTillId: device.tillId }, ctx.services.now());
      ctx.setCookie(SESSION_COOKIE, result.token, { maxAgeSeconds: result.maxAgeSeconds });
      return { user: result.user };
    },
  }),
  route({
    method: 'post',
    path: '/api/auth/approve',
    access: STAFF,
    needsDevice: true,
    tag: 'auth',
    summary:
      'A manager approves, with their PIN on this till, what the cashier may not do alone (a discount above the limit, a refund); wrong PINs count towards the till’s lock',
    body: approveBody,
    handler: async ({ body }, ctx) => {
      const user = requireUser(ctx);
      const now = ctx.services.now();
      const approver = await approveWithPin(ctx.db, { tillId: ctx.device!.tillId, pin: body.pin, approverOf: user.id }, now);
      return { approver, approval: await issueApproval(ctx.db, approver.id, ctx.device!.tillId, now) };
    },
  }),
  route({
    method: 'post',
    path: '/api/auth/logout',
    access: 'authenticated',
    tag: 'auth',
    summary: 'End the current session',
    handler: async (_, ctx) => {
      const user = requireUser(ctx);
      await ctx.db.transaction().execute(async (trx) => {
        await endSession(trx, user.sessionHash);
        await recordEvent(trx, { kind: 'auth.logout', userId: user.id, at: ctx.services.now().toISOString() });
      });
      ctx.clearCookie(SESSION_COOKIE);
      return Reply.noContent();
    },
  }),
  route({
    method: 'get',
    path: '/api/auth/me',
    access: 'authenticated',
    tag: 'auth',
    summary: 'The logged-in user, their till if any, and the shop (with its DEMO flag)',
    handler: async (_, ctx) => {
      const user = requireUser(ctx);
      const identity = await readSetting(ctx.db, 'shop.identity');
      return {
        user: { id: user.id, role: user.role, displayName: user.displayName, login: user.login, producerId: user.producerId },
        tillId: ctx.device?.tillId ?? null,
        shop: { name: identity?.name ?? '', demo: await isDemo(ctx.db) },
      };
    },
  }),
  route({
    method: 'put',
    path: '/api/auth/password',
    access: 'authenticated',
    tag: 'auth',
    summary: 'Change one’s own password (the current one is asked again)',
    body: ownPasswordBody,
    handler: async ({ body }, ctx) => {
      const user = requireUser(ctx);
      const row = await ctx.db.selectFrom('users').select('password_hash').where('id', '=', user.id).executeTakeFirstOrThrow();
      if (!row.password_hash || !(await verifySecret(body.current, row.password_hash))) {
        throw new Unauthorized('Mot de passe actuel incorrect.');
      }
      await ctx.db.transaction().execute((trx) => setPassword(trx, user.id, body.password, user, ctx.services.now()));
      ctx.clearCookie(SESSION_COOKIE);
      return Reply.noContent();
    },
  }),
];
