import { authRoutes } from '../auth/routes.ts';
import { catalogRoutes } from '../catalog/routes.ts';
import { salesRoutes } from '../sales/routes.ts';
import { closingRoutes } from '../closing/routes.ts';
import { drawerRoutes } from '../drawer/routes.ts';
import { archiveRoutes } from '../archive/routes.ts';
import { fiscalRoutes } from '../fiscal/routes.ts';
import { settingsRoutes } from '../settings/routes.ts';
import { stockRoutes } from '../stock/routes.ts';
import { systemRoutes } from '../system/routes.ts';
import { tillRoutes } from '../tills/routes.ts';
import { userRoutes } from '../users/routes.ts';
import { receiptRoutes } from '../receipts/routes.ts';
import { printingRoutes } from '../printing/routes.ts';
import { settlementRoutes } from '../settlement/routes.ts';
import { payoutRoutes } from '../settlement/payout-routes.ts';
import { solidarityRoutes } from '../solidarity/routes.ts';
import { ressourcerieRoutes } from '../ressourcerie/routes.ts';
import { textileRoutes } from '../textile/routes.ts';
import { accountingRoutes } from '../accounting/routes.ts';
import { restaurantRoutes } from '../restaurant/routes.ts';
import { siteRoutes } from '../sites/routes.ts';
import { buildOpenApi } from '../system/openapi.ts';
import { systemApi } from '../../shared/api/system.ts';
import { serve, type RouteDef } from './route.ts';

/** The API described from the route table itself (built once, on first request). */
let openApi: unknown = null;
const openApiRoute = serve(systemApi.openApi, {
  access: 'public',
  tag: 'system',
  summary: 'This API, generated from its zod schemas',
  handler: async () => (openApi ??= buildOpenApi(allRoutes)) as Record<string, unknown>,
});

/** Every HTTP route, each declaring who may call it. The access test walks this list. */
export const allRoutes: readonly RouteDef[] = [
  // First: express tries the routes in this order, and a ticket is the request the shop sends most.
  ...salesRoutes,
  ...systemRoutes,
  openApiRoute,
  ...authRoutes,
  ...tillRoutes,
  ...userRoutes,
  ...settingsRoutes,
  ...catalogRoutes,
  ...stockRoutes,
  ...closingRoutes,
  ...drawerRoutes,
  ...receiptRoutes,
  ...printingRoutes,
  ...archiveRoutes,
  ...fiscalRoutes,
  ...settlementRoutes,
  ...payoutRoutes,
  ...solidarityRoutes,
  ...ressourcerieRoutes,
  ...textileRoutes,
  ...accountingRoutes,
  ...restaurantRoutes,
  ...siteRoutes,
];
