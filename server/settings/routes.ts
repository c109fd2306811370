import { inStoreLayoutsSchema, shopIdentitySchema, tillOptionsSchema } from '../../shared/api/settings.ts';
import { MANAGERS, requireUser } from '../http/access.ts';
import { route } from '../http/route.ts';
import {
  inStoreLayouts,
  isDemo,
  readSetting,
  tillOptions,
  updateInStoreLayouts,
  updateShopIdentity,
  updateTillOptions,
} from './settings.ts';
import { z } from 'zod';

export const settingsRoutes = [
  route({
    method: 'get',
    path: '/api/shop',
    access: 'public',
    tag: 'settings',
    summary: 'The shop’s public face for login screens: name, town, and whether it is the DEMO shop',
    handler: async (_, ctx) => {
      const identity = await readSetting(ctx.db, 'shop.identity');
      return { name: identity?.name ?? 'Comptoir', city: identity?.city ?? '', demo: await isDemo(ctx.db) };
    },
  }),
  route({
    method: 'get',
    path: '/api/settings',
    access: MANAGERS,
    tag: 'settings',
    summary: 'Shop identity (printed on receipts) and scale-label layouts',
    handler: async (_, ctx) => ({
      identity: await readSetting(ctx.db, 'shop.identity'),
      demo: await isDemo(ctx.db),
      inStoreLayouts: await inStoreLayouts(ctx.db),
      till: await tillOptions(ctx.db),
    }),
  }),
  route({
    method: 'put',
    path: '/api/settings/identity',
    access: MANAGERS,
    tag: 'settings',
    summary: 'Set the shop identity: name, address, SIRET, VAT number, receipt footer',
    body: shopIdentitySchema,
    handler: async ({ body }, ctx) =>
      ctx.db.transaction().execute((trx) => updateShopIdentity(trx, body, requireUser(ctx).id, ctx.services.now())),
  }),
  route({
    method: 'put',
    path: '/api/settings/in-store-layouts',
    access: MANAGERS,
    tag: 'settings',
    summary: 'Set how scale labels (EAN-13 prefixes 20–29) embed a price or a weight',
    body: z.object({ layouts: inStoreLayoutsSchema }).strict(),
    handler: async ({ body }, ctx) =>
      ctx.db.transaction().execute((trx) => updateInStoreLayouts(trx, body.layouts, requireUser(ctx).id, ctx.services.now())),
  }),
  route({
    method: 'put',
    path: '/api/settings/till',
    access: MANAGERS,
    tag: 'settings',
    summary: 'Set how tills behave: extra payment methods, the discount a cashier may give without a manager, auto-lock delay',
    body: tillOptionsSchema,
    handler: async ({ body }, ctx) =>
      ctx.db.transaction().execute((trx) => updateTillOptions(trx, body, requireUser(ctx).id, ctx.services.now())),
  }),
];
