import { tillsApi } from '../../shared/api/tills.ts';
import { DEVICE_COOKIE } from '../auth/sessions.ts';
import { MANAGERS, STAFF, TILL } from '../http/access.ts';
import { Reply, serve } from '../http/route.ts';
import { siteOf } from '../sites/sites.ts';
import {
  addTill,
  changeTill,
  currentTill,
  givePairingCode,
  listOutlets,
  listTills,
  pairTablet,
  reportRefusedTicket,
  reportTillHead,
  revokeTablet,
} from './tills.ts';

/** The browser's whole user agent is kept (as the tablet's label) so the back office can name its browser and system. */
const USER_AGENT_MAX = 300;
const TEN_YEARS = 10 * 365 * 24 * 3600;

export const tillRoutes = [
  serve(tillsApi.reportRefused, {
    access: STAFF,
    needsDevice: true,
    tag: 'tills',
    summary:
      'A ticket the server refused to the till’s outbox, handed over whole (without a refund’s manager PIN) to the chained event log for a manager, so the tablet may let it go; idempotent by its id and kind',
    handler: async ({ body }, ctx) => {
      const { created, eventId } = await reportRefusedTicket(ctx.db, ctx, body, ctx.services.now());
      return created ? Reply.created({ eventId }) : { eventId };
    },
  }),
  serve(tillsApi.outlets, {
    access: TILL,
    tag: 'tills',
    summary: 'The outlets (shop, restaurant)',
    handler: async (_, ctx) => listOutlets(ctx.db, await siteOf(ctx)),
  }),
  serve(tillsApi.list, {
    access: MANAGERS,
    tag: 'tills',
    summary: 'Tills with their paired tablets',
    handler: async (_, ctx) => listTills(ctx.db, ctx.services.now(), await siteOf(ctx)),
  }),
  serve(tillsApi.create, {
    access: MANAGERS,
    tag: 'tills',
    summary: 'Create a till in an outlet',
    handler: async ({ body }, ctx) => Reply.created(await addTill(ctx.db, ctx, body, ctx.services.now())),
  }),
  serve(tillsApi.update, {
    access: MANAGERS,
    tag: 'tills',
    summary: 'Rename a till, deactivate it, or switch its training mode',
    handler: async ({ params, body }, ctx) => {
      const till = await changeTill(ctx.db, ctx, params.id, body, ctx.services.now());
      ctx.services.realtime?.placesChanged();
      await ctx.services.realtime?.recheck();
      return till;
    },
  }),
  serve(tillsApi.pairingCode, {
    access: MANAGERS,
    tag: 'tills',
    summary: 'Issue a one-time pairing code (valid 15 minutes, as its expiresAt says) for a tablet to become this till',
    handler: async ({ params }, ctx) => Reply.created(await givePairingCode(ctx.db, ctx, params.id, ctx.services.now())),
  }),
  serve(tillsApi.pair, {
    access: 'public',
    tag: 'tills',
    summary:
      'Pair this browser with a till using a pairing code; sets the long-lived device cookie. The till moves to this tablet: the one before is marked replaced (it still delivers what it had queued)',
    handler: async ({ body }, ctx) => {
      const paired = await pairTablet(
        ctx.db,
        body.code,
        body.label ?? (ctx.userAgent.slice(0, USER_AGENT_MAX) || null),
        ctx.services.now(),
      );
      ctx.setCookie(DEVICE_COOKIE, paired.token, { maxAgeSeconds: TEN_YEARS });
      if (paired.replacedDeviceIds.length) ctx.services.realtime?.devicesReplaced(paired.tillId, paired.replacedDeviceIds);
      return Reply.created({ tillId: paired.tillId, deviceId: paired.deviceId });
    },
  }),
  serve(tillsApi.current, {
    access: ['device'],
    tag: 'tills',
    summary: 'The till this tablet is paired with, and the staff who may log in on it (lock screen)',
    handler: async (_, ctx) => currentTill(ctx.db, ctx, ctx.services.now()),
  }),
  serve(tillsApi.reportHead, {
    access: ['device'],
    tag: 'tills',
    summary:
      'The last ticket the server acknowledged to this tablet (number and hash): unknown to the server, an alert event `journal.head_missing`; known, the till’s chain head is signed',
    handler: async ({ body }, ctx) => reportTillHead(ctx.db, ctx, body, ctx.services),
  }),
  serve(tillsApi.revoke, {
    access: MANAGERS,
    tag: 'tills',
    summary: 'Revoke a paired tablet (lost or replaced); its sessions end at once',
    handler: async ({ params }, ctx) => {
      await revokeTablet(ctx.db, ctx, params.id, ctx.services.now());
      // Its live connection too: unpaired, it hears nothing more.
      await ctx.services.realtime?.recheck();
      return Reply.noContent();
    },
  }),
];
