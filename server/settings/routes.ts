import { settingsApi } from '../../shared/api/settings.ts';
import { MANAGERS } from '../http/access.ts';
import { serve } from '../http/route.ts';
import { allSettings, publicShop, saveInStoreLayouts, saveShopIdentity, saveTillOptions } from './settings.ts';

export const settingsRoutes = [
  serve(settingsApi.shop, {
    access: 'public',
    tag: 'settings',
    summary: 'The shop’s public face for login screens: name, town, and whether it is the DEMO shop',
    handler: async (_, ctx) => publicShop(ctx.db),
  }),
  serve(settingsApi.get, {
    access: MANAGERS,
    tag: 'settings',
    summary: 'Shop identity (printed on receipts) and scale-label layouts',
    handler: async (_, ctx) => allSettings(ctx.db),
  }),
  serve(settingsApi.identity, {
    access: MANAGERS,
    network: true,
    tag: 'settings',
    summary: 'Set the shop identity: name, address, SIRET, VAT number, receipt footer',
    handler: async ({ body }, ctx) => saveShopIdentity(ctx.db, ctx, body, ctx.services.now()),
  }),
  serve(settingsApi.inStoreLayouts, {
    access: MANAGERS,
    network: true,
    tag: 'settings',
    summary: 'Set how scale labels (EAN-13 prefixes 20–29) embed a price or a weight',
    handler: async ({ body }, ctx) => {
      const saved = await saveInStoreLayouts(ctx.db, ctx, body.layouts, ctx.services.now());
      ctx.services.realtime?.settingsChanged();
      return saved;
    },
  }),
  serve(settingsApi.till, {
    access: MANAGERS,
    network: true,
    tag: 'settings',
    summary: 'Set how tills behave: extra payment methods, the discount a cashier may give without a manager, auto-lock delay',
    handler: async ({ body }, ctx) => {
      const saved = await saveTillOptions(ctx.db, ctx, body, ctx.services.now());
      ctx.services.realtime?.settingsChanged();
      return saved;
    },
  }),
];
