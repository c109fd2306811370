import { drawerApi } from '../../shared/api/drawer.ts';
import { requireUser } from '../auth/access.ts';
import { MANAGERS, STAFF, TILL } from '../http/access.ts';
import { Reply, serve } from '../http/route.ts';
import { printCashMovement } from '../printing/printing.ts';
import { siteOf, siteScope } from '../sites/sites.ts';
import { listCashMovements, recordCashMovement, tillDay } from './drawer.ts';

export const drawerRoutes = [
  serve(drawerApi.record, {
    access: STAFF,
    tag: 'drawer',
    summary:
      'A movement of a cash drawer: the float counted at opening, cash in, cash out (with its reason; a cash out above the limit or paying a producer needs a manager). From a till (its own drawer) or a manager in the back office. Idempotent by `id`',
    handler: async ({ body }, ctx) => {
      const { created, movement } = await recordCashMovement(
        ctx.db,
        body,
        {
          user: requireUser(ctx),
          tillId: ctx.device?.tillId ?? null,
          siteId: ctx.device ? null : await siteOf(ctx),
          reach: siteScope(ctx),
        },
        ctx.services.now(),
        ctx.services.config.TZ_BUSINESS,
      );
      // At a till: its drawer opens and the slip prints (a replay prints nothing again).
      // Recorded whatever the printer's fate: a failure here is logged, never a 500 that would have the till
      // record the movement a second time.
      if (created && ctx.device && ctx.services.prints)
        await printCashMovement(ctx.db, ctx.services.prints, movement, {
          now: ctx.services.now(),
          drawerMaxDelayMs: ctx.services.config.DRAWER_MAX_DELAY_MS,
        }).catch((e: Error) =>
          ctx.services.log.error('cash movement recorded, its slip not queued', { id: movement.id, error: e.message }),
        );
      return created ? Reply.created(movement) : movement;
    },
  }),
  serve(drawerApi.list, {
    access: MANAGERS,
    tag: 'drawer',
    summary: 'The floats and cash movements of an outlet’s business day, oldest first',
    handler: async ({ query }, ctx) => listCashMovements(ctx.db, query.outlet, query.day, await siteOf(ctx)),
  }),
  serve(drawerApi.tillDay, {
    access: TILL,
    needsDevice: true,
    tag: 'drawer',
    summary: 'This till’s day: the business day its sales go to now (the next one once today’s Z is taken) and its float there',
    handler: async (_, ctx) => tillDay(ctx.db, ctx.device!.tillId, ctx.services.now(), ctx.services.config.TZ_BUSINESS),
  }),
];
