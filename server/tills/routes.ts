import { pairBody } from '../../shared/api/auth.ts';
import { tillCreateBody, tillUpdateBody } from '../../shared/api/admin.ts';
import { DEVICE_COOKIE } from '../auth/sessions.ts';
import { Unauthorized } from '../errors.ts';
import { MANAGERS, requireUser, STAFF, TILL } from '../http/access.ts';
import { recordEvent } from '../events/event-log.ts';
import { refusedTicketBody } from '../../shared/api/admin.ts';
import { idParams, Reply, route } from '../http/route.ts';
import { createTill, issuePairingCode, listOutlets, listTills, pairDevice, revokeDevice, tillForDevice, updateTill } from './tills.ts';

const TEN_YEARS = 10 * 365 * 24 * 3600;

export const tillRoutes = [
  route({
    method: 'post',
    path: '/api/tills/refused-tickets',
    access: STAFF,
    needsDevice: true,
    tag: 'tills',
    summary:
      'A ticket the server refused to the till’s outbox, handed over whole (without a refund’s manager PIN) to the chained event log for a manager, so the tablet may let it go; idempotent by its id and kind',
    body: refusedTicketBody,
    handler: async ({ body }, ctx) => {
      const tillId = ctx.device!.tillId;
      const subject = `till:${tillId}`;
      return ctx.db.transaction().execute(async (trx) => {
        const known = await trx
          .selectFrom('events')
          .select('id')
          .where('kind', '=', 'till.ticket_refused')
          .where('subject', '=', subject)
          .where((eb) => eb(eb.fn('json_extract', ['data', eb.val('$.id')]), '=', body.id))
          // A receipt request carries its sale's id: the kind tells them apart.
          .where((eb) => eb(eb.fn('json_extract', ['data', eb.val('$.kind')]), '=', body.kind))
          .executeTakeFirst();
        if (known) return { eventId: known.id };
        // A refund's manager PIN never reaches the log, whatever the tablet sent.
        const ticket =
          body.body && typeof body.body === 'object' && !Array.isArray(body.body)
            ? Object.fromEntries(Object.entries(body.body).filter(([k]) => k !== 'approvalPin'))
            : body.body;
        const eventId = await recordEvent(trx, {
          kind: 'till.ticket_refused',
          userId: requireUser(ctx).id,
          subject,
          data: { ...body, body: ticket },
          at: ctx.services.now().toISOString(),
        });
        return Reply.created({ eventId });
      });
    },
  }),
  route({
    method: 'get',
    path: '/api/outlets',
    access: TILL,
    tag: 'tills',
    summary: 'The outlets (shop, restaurant)',
    handler: async (_, ctx) => listOutlets(ctx.db),
  }),
  route({
    method: 'get',
    path: '/api/tills',
    access: MANAGERS,
    tag: 'tills',
    summary: 'Tills with their paired tablets',
    handler: async (_, ctx) => listTills(ctx.db),
  }),
  route({
    method: 'post',
    path: '/api/tills',
    access: MANAGERS,
    tag: 'tills',
    summary: 'Create a till in an outlet',
    body: tillCreateBody,
    handler: async ({ body }, ctx) =>
      Reply.created(await ctx.db.transaction().execute((trx) => createTill(trx, body, requireUser(ctx).id, ctx.services.now()))),
  }),
  route({
    method: 'patch',
    path: '/api/tills/:id',
    access: MANAGERS,
    tag: 'tills',
    summary: 'Rename a till, deactivate it, or switch its training mode',
    params: idParams,
    body: tillUpdateBody,
    handler: async ({ params, body }, ctx) =>
      ctx.db.transaction().execute((trx) => updateTill(trx, params.id, body, requireUser(ctx).id, ctx.services.now())),
  }),
  route({
    method: 'post',
    path: '/api/tills/:id/pairing-code',
    access: MANAGERS,
    tag: 'tills',
    summary: 'Issue a one-time pairing code (valid 15 minutes) for a tablet to become this till',
    params: idParams,
    handler: async ({ params }, ctx) =>
      Reply.created(await ctx.db.transaction().execute((trx) => issuePairingCode(trx, params.id, requireUser(ctx).id, ctx.services.now()))),
  }),
  route({
    method: 'post',
    path: '/api/devices/pair',
    access: 'public',
    tag: 'tills',
    summary:
      'Pair this browser with a till using a pairing code; sets the long-lived device cookie. The till moves to this tablet: the one before is marked replaced (it still delivers what it had queued)',
    body: pairBody,
    handler: async ({ body }, ctx) => {
      const paired = await ctx.db
        .transaction()
        .execute((trx) => pairDevice(trx, body.code, body.label ?? ctx.userAgent.slice(0, 60), ctx.services.now()));
      ctx.setCookie(DEVICE_COOKIE, paired.token, { maxAgeSeconds: TEN_YEARS });
      if (paired.replacedDeviceIds.length) ctx.services.realtime?.devicesReplaced(paired.tillId, paired.replacedDeviceIds);
      return Reply.created({ tillId: paired.tillId, deviceId: paired.deviceId });
    },
  }),
  route({
    method: 'get',
    path: '/api/devices/current',
    access: ['device'],
    tag: 'tills',
    summary: 'The till this tablet is paired with, and the staff who may log in on it (lock screen)',
    handler: async (_, ctx) => {
      if (!ctx.device) throw new Unauthorized('Tablette non appairée.');
      return tillForDevice(ctx.db, ctx.device.tillId, ctx.device.id, ctx.services.now());
    },
  }),
  route({
    method: 'post',
    path: '/api/devices/:id/revoke',
    access: MANAGERS,
    tag: 'tills',
    summary: 'Revoke a paired tablet (lost or replaced); its sessions end at once',
    params: idParams,
    handler: async ({ params }, ctx) => {
      await ctx.db.transaction().execute((trx) => revokeDevice(trx, params.id, requireUser(ctx).id, ctx.services.now()));
      return Reply.noContent();
    },
  }),
];
