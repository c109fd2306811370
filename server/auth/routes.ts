import { authApi } from '../../shared/api/auth.ts';
import { Unauthorized } from '../errors.ts';
import { MANAGERS, STAFF } from '../http/access.ts';
import { Reply, serve } from '../http/route.ts';
import { requireUser } from './access.ts';
import { changeOwnPassword, changeOwnPin, logout, passwordLogin, whoAmI } from './auth.ts';
import { approveWithPin, loginWithPin } from './login.ts';
import { issueApproval } from './approval.ts';
import { unlockStaff } from './unlock.ts';
import { SESSION_COOKIE } from './sessions.ts';
import { siteOfTill } from '../sites/sites.ts';

export const authRoutes = [
  serve(authApi.login, {
    access: 'public',
    tag: 'auth',
    summary: 'Log in with a login and password (managers, admins, producers); sets the session cookie',
    handler: async ({ body }, ctx) => {
      const result = await passwordLogin(ctx.db, body, { remote: ctx.remote, now: ctx.services.now() });
      ctx.setCookie(SESSION_COOKIE, result.token, { maxAgeSeconds: result.maxAgeSeconds });
      return { user: result.user };
    },
  }),
  serve(authApi.pin, {
    access: ['device'],
    tag: 'auth',
    summary:
      'Log a cashier in on a paired till with their PIN; 5 wrong PINs lock that person for 5 minutes, the tablet is slowed from 10 and locked at 20',
    handler: async ({ body }, ctx) => {
      const device = ctx.device;
      if (!device) throw new Unauthorized('Tablette non appairée.');
      const result = await loginWithPin(ctx.db, { ...body, deviceId: device.id, deviceTillId: device.tillId }, ctx.services.now());
      ctx.setCookie(SESSION_COOKIE, result.token, { maxAgeSeconds: result.maxAgeSeconds });
      return { user: result.user };
    },
  }),
  serve(authApi.approve, {
    access: STAFF,
    needsDevice: true,
    tag: 'auth',
    summary:
      'A manager approves, with their PIN on this till, what the cashier may not do alone (a discount above the limit, a refund); wrong PINs count towards the tablet’s limits',
    handler: async ({ body }, ctx) => {
      const user = requireUser(ctx);
      const now = ctx.services.now();
      const approver = await approveWithPin(
        ctx.db,
        { tillId: ctx.device!.tillId, deviceId: ctx.device!.id, pin: body.pin, approverOf: user.id },
        now,
      );
      return {
        approver: { id: approver.id, displayName: approver.displayName, role: approver.role },
        approval: await issueApproval(ctx.db, approver.id, ctx.device!.tillId, now, body.purpose, body.amountCents),
      };
    },
  }),
  serve(authApi.unlock, {
    access: ['device'],
    tag: 'auth',
    summary:
      'A manager unlocks, with their PIN on this tablet’s lock screen, a person locked out by wrong PINs; the PIN goes through the same limiter as every approval',
    handler: async ({ body }, ctx) => {
      const device = ctx.device;
      if (!device) throw new Unauthorized('Tablette non appairée.');
      const now = ctx.services.now();
      const manager = await approveWithPin(
        ctx.db,
        { tillId: device.tillId, deviceId: device.id, pin: body.pin, approverOf: body.userId, what: 'unlock' },
        now,
      );
      const user = await unlockStaff(
        ctx.db,
        {
          userId: body.userId,
          by: { id: manager.id, role: manager.role, siteId: manager.siteId },
          via: 'till',
          deviceId: device.id,
          atSite: await siteOfTill(ctx.db, device.tillId),
        },
        now,
      );
      return { user, unlockedBy: { id: manager.id, displayName: manager.displayName } };
    },
  }),
  serve(authApi.logout, {
    access: 'authenticated',
    tag: 'auth',
    summary: 'End the current session',
    handler: async (_, ctx) => {
      await logout(ctx.db, requireUser(ctx), ctx.services.now());
      ctx.clearCookie(SESSION_COOKIE);
      // The page's live connection ends with the session (a till's keeps what the tablet hears).
      await ctx.services.realtime?.recheck();
      return Reply.noContent();
    },
  }),
  serve(authApi.me, {
    access: 'authenticated',
    tag: 'auth',
    summary: 'The logged-in user, their till if any, and the shop (with its DEMO flag)',
    handler: async (_, ctx) => whoAmI(ctx.db, { user: requireUser(ctx), device: ctx.device }),
  }),
  serve(authApi.password, {
    access: 'authenticated',
    tag: 'auth',
    summary: 'Change one’s own password (the current one is asked again)',
    handler: async ({ body }, ctx) => {
      await changeOwnPassword(ctx.db, requireUser(ctx), body, ctx.services.now());
      ctx.clearCookie(SESSION_COOKIE);
      await ctx.services.realtime?.recheck();
      return Reply.noContent();
    },
  }),
  serve(authApi.ownPin, {
    access: MANAGERS,
    tag: 'auth',
    summary: 'Change one’s own till PIN (a manager, whose password is asked again; the PIN must differ from every other)',
    handler: async ({ body }, ctx) => {
      await changeOwnPin(ctx.db, requireUser(ctx), body, ctx.services.now());
      return Reply.noContent();
    },
  }),
];
