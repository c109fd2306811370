import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { allRoutes } from '../server/http/routes.ts';
import { aPairedTill, aProducer, aUser, startTestShop, type Client, type TestShop } from './support/harness.ts';

type Who = 'anonymous' | 'admin' | 'manager' | 'site-manager' | 'cashier' | 'waiter' | 'producer' | 'device';
// What each identity presents: a cashier or waiter logs in on a paired till, so they carry the device too.
const principals: Record<Who, string[]> = {
  anonymous: [],
  admin: ['admin'],
  manager: ['manager'],
  // A manager tied to a site (issue 23): a manager everywhere but on the network's own business (NETWORK below).
  'site-manager': ['manager'],
  cashier: ['cashier', 'device'],
  waiter: ['waiter', 'device'],
  producer: ['producer'],
  device: ['device'],
};

// Written by hand from the issue and DESIGN.md, not read from the code: the route table must agree with it.
const PUBLIC = 'public';
const ANY_USER = 'any-user';
const M = ['admin', 'manager'];
const TILL = ['device', 'admin', 'manager', 'cashier', 'waiter'];
const STAFF = ['admin', 'manager', 'cashier', 'waiter'];
const expected: Record<string, typeof PUBLIC | typeof ANY_USER | string[]> = {
  'GET /api/health': PUBLIC,
  'GET /api/openapi.json': PUBLIC,
  'GET /api/shop': PUBLIC,
  'POST /api/auth/login': PUBLIC,
  'POST /api/devices/pair': PUBLIC,
  'POST /api/auth/pin': ['device'],
  // A manager's PIN typed on the lock screen unlocks a person: the tablet alone reaches it (issue 18 item 6).
  'POST /api/auth/unlock': ['device'],
  'GET /api/auth/me': ANY_USER,
  'PUT /api/auth/password': ANY_USER,
  // A manager's own till PIN (no one above them in the shop sets it); their password is asked again.
  'PUT /api/auth/pin': M,
  'POST /api/auth/logout': ANY_USER,
  'GET /api/events': M,
  'GET /api/journal/verify': M,
  'GET /api/backups': M,
  'POST /api/backups': M,
  'GET /api/backups/:name': ['admin'],
  'GET /api/outlets': TILL,
  // The network's sites: managers (one tied to a site sees and prices that one; only the network opens or renames sites).
  'GET /api/sites': M,
  'POST /api/sites': M,
  'PATCH /api/sites/:id': M,
  'GET /api/sites/:id/prices': M,
  'PUT /api/sites/:id/prices/:productId': M,
  'GET /api/sites/report': M,
  'GET /api/tills': M,
  'POST /api/tills': M,
  'POST /api/tills/refused-tickets': ['cashier', 'waiter'],
  'PATCH /api/tills/:id': M,
  'POST /api/tills/:id/pairing-code': M,
  'GET /api/devices/current': ['device'],
  'POST /api/devices/current/head': ['device'],
  'POST /api/devices/:id/revoke': M,
  'GET /api/users': M,
  'POST /api/users': M,
  'PATCH /api/users/:id': M,
  'PUT /api/users/:id/password': M,
  'PUT /api/users/:id/pin': M,
  'POST /api/users/:id/unlock': M,
  'GET /api/settings': M,
  'PUT /api/settings/identity': M,
  'PUT /api/settings/in-store-layouts': M,
  'PUT /api/settings/till': M,
  'GET /api/producers': M,
  'POST /api/producers': M,
  'GET /api/producers/:id': [...M, 'producer'],
  'PATCH /api/producers/:id': M,
  'GET /api/categories': [...TILL, 'producer'],
  'POST /api/categories': M,
  'PATCH /api/categories/:id': M,
  'GET /api/products': [...TILL, 'producer'],
  'POST /api/products': M,
  'POST /api/products/import': M,
  'GET /api/products/:id': [...TILL, 'producer'],
  'PATCH /api/products/:id': M,
  'PUT /api/products/:id/threshold': [...M, 'producer'],
  'POST /api/products/:id/barcodes': M,
  'DELETE /api/products/:id/barcodes/:code': M,
  'GET /api/products/:id/modifiers': M,
  'PUT /api/products/:id/modifiers': M,
  // A dish's recipe, its food cost and margin: the managers' business only.
  'GET /api/recipes': M,
  'GET /api/products/:id/recipe': M,
  'PUT /api/products/:id/recipe': M,
  'GET /api/catalog': TILL,
  'GET /api/models': TILL,
  'POST /api/models': M,
  'GET /api/models/:id': TILL,
  'POST /api/ressourcerie/intakes': STAFF,
  'GET /api/ressourcerie/intakes/:id/receipt.pdf': STAFF,
  'GET /api/ressourcerie/items': M,
  'GET /api/ressourcerie/items/:code': TILL,
  'POST /api/ressourcerie/aging': M,
  'POST /api/ressourcerie/outflows': M,
  'GET /api/ressourcerie/tonnage': M,
  'GET /api/ressourcerie/tonnage.csv': M,
  'GET /api/ressourcerie/tonnage.pdf': M,
  'GET /api/households': M,
  'POST /api/households': M,
  'PATCH /api/households/:id': M,
  'GET /api/households/:id/export': M,
  'DELETE /api/households/:id': M,
  'GET /api/households/:id/card.pdf': M,
  'GET /api/solidarity/cards/:code': TILL,
  'GET /api/solidarity/shares': TILL,
  'PUT /api/solidarity/shares': M,
  'GET /api/solidarity/fund': M,
  'POST /api/solidarity/funders': M,
  'POST /api/solidarity/contributions': M,
  'GET /api/solidarity/report': M,
  'GET /api/solidarity/report.csv': M,
  'GET /api/solidarity/report.pdf': M,
  'GET /api/barcodes/:code': TILL,
  'GET /api/stock': [...M, 'producer'],
  'GET /api/products/:id/movements': [...M, 'producer'],
  'POST /api/stock/deposits': M,
  'POST /api/stock/returns': M,
  'POST /api/stock/transfers': M,
  'GET /api/stock/transfers/sites': M,
  'POST /api/stock/losses': M,
  'POST /api/stock/counts': M,
  'GET /api/stock/slips': [...M, 'producer'],
  'GET /api/stock/slips/:id': [...M, 'producer'],
  'GET /api/stock/slips/:id.pdf': [...M, 'producer'],
  'POST /api/stock/kitchen': [...M, 'waiter'],
  'GET /api/producers/:id/terms': [...M, 'producer'],
  'GET /api/producers/:id/mandates': [...M, 'producer'],
  'GET /api/producers/:id/mandate-template.pdf': M,
  'POST /api/producers/:id/mandates': M,
  'GET /api/mandates/:id.pdf': [...M, 'producer'],
  'POST /api/mandates/:id/revoke': M,
  'PUT /api/producers/:id/terms': M,
  'GET /api/producers/:id/sales': [...M, 'producer'],
  'GET /api/producers/:id/lines': [...M, 'producer'],
  'GET /api/producers/:id/lines.csv': [...M, 'producer'],
  'GET /api/producers/:id/statement': [...M, 'producer'],
  'GET /api/producers/:id/statement.pdf': [...M, 'producer'],
  'POST /api/producers/:id/statements': M,
  'GET /api/statements': [...M, 'producer'],
  'GET /api/statements.csv': M,
  'GET /api/exports/fec': M,
  'POST /api/labels.pdf': M,
  'POST /api/labels/print': M,
  'GET /api/exports/sales-journal.csv': M,
  'GET /api/settings/accounting': M,
  'PUT /api/settings/accounting': M,
  'GET /api/statements/:id': [...M, 'producer'],
  'GET /api/statements/:id.pdf': [...M, 'producer'],
  'POST /api/statements/:id/payment': M,
  'POST /api/statement-runs': M,
  'GET /api/statement-runs/:id': M,
  'GET /api/statement-runs/next': M,
  'GET /api/payouts': M,
  'GET /api/settings/consignment': M,
  'PUT /api/settings/consignment': M,
  'GET /api/invoices': [...M, 'producer'],
  'GET /api/invoices/:id.pdf': [...M, 'producer'],
  'POST /api/payouts': M,
  'GET /api/payouts/:id.xml': M,
  'GET /api/payouts/:id': M,
  'POST /api/payouts/:id/confirm': M,
  'POST /api/payouts/:id/cancel': M,
  'POST /api/producers/:id/invitations': M,
  'GET /api/invitations/:token': PUBLIC,
  'POST /api/invitations/:token': PUBLIC,
  // A ticket comes from staff logged in on a paired till (the tablet alone, or a manager's browser, cannot sell).
  'POST /api/sales': ['cashier', 'waiter'],
  'POST /api/refunds': ['cashier', 'waiter'],
  'POST /api/auth/approve': ['cashier', 'waiter'],
  'GET /api/sales/:id': TILL,
  'GET /api/sales/:id/refunded': TILL,
  'POST /api/sales/:id/refund-split': TILL,
  'GET /api/sales': TILL,
  'POST /api/sales/:id/print': TILL,
  'POST /api/sales/:id/receipt': TILL,
  // The restaurant: the floor and open orders are seen from the outlet's own tills (the device here is the
  // shop's: it asks for the shop's), operations come from staff on a paired device of the outlet.
  'GET /api/floor': TILL,
  'POST /api/rooms': M,
  'POST /api/rooms/:id/tables': M,
  'PATCH /api/tables/:id': M,
  'GET /api/stations': TILL,
  'POST /api/stations': M,
  'PUT /api/categories/:id/station': M,
  'GET /api/orders': TILL,
  'GET /api/orders/:id': TILL,
  'GET /api/orders/:id/bill': TILL,
  'POST /api/orders/:id/ops': ['cashier', 'waiter'],
  // The kitchen screen: a paired wall screen (no one logged in) or any staff; the outlet is checked in the query.
  'GET /api/stations/:id/board': TILL,
  'POST /api/kitchen-tickets/:id/state': TILL,
  'POST /api/kitchen-tickets/:id/reprint': TILL,
  'PUT /api/stations/:id/printer': TILL,
  'GET /api/closings/x': M,
  'POST /api/closings/day': M,
  'POST /api/closings/month': M,
  'POST /api/closings/year': M,
  // The drawer: a till's staff count its own drawer; a manager counts any from the back office; the day a till sells on is asked by the tablet.
  'POST /api/drawer/movements': ['admin', 'manager', 'cashier', 'waiter'],
  'GET /api/drawer/movements': M,
  'GET /api/drawer/day': ['device', 'cashier', 'waiter'],
  'GET /api/closings': M,
  'GET /api/closings/:id': M,
  'GET /api/closings/:id.pdf': M,
  'POST /api/archives': M,
  'GET /api/archives': M,
  'GET /api/archives/:name': M,
  'GET /api/fiscal/attestation': M,
  'GET /api/printers': M,
  'POST /api/closings/:id/print': M,
  'POST /api/closings/x/print': M,
  'POST /api/stock/slips/:id/print': M,
  'POST /api/printers': M,
  'PATCH /api/printers/:id': M,
  'POST /api/printers/:id/test': M,
  'POST /api/printers/:id/drawer': M,
  'GET /api/print-jobs': M,
  'POST /api/print-jobs/:id/retry': M,
  'POST /api/print-jobs/:id/cancel': M,
  // A print job to check is settled by a person: staff on their till (its printer only), or a manager.
  'GET /api/printers/:id/attention': ['admin', 'manager', 'cashier', 'waiter'],
  'POST /api/print-jobs/:id/reprint': ['admin', 'manager', 'cashier', 'waiter'],
  'POST /api/print-jobs/:id/confirm': ['admin', 'manager', 'cashier', 'waiter'],
  'POST /api/print-jobs/:id/dismiss': ['admin', 'manager', 'cashier', 'waiter'],
  // The digital receipt: anyone with the ticket's token (tested in receipts.test.ts: the token opens that ticket only).
  'GET /r/:token': PUBLIC,
  'GET /r/:token/pdf': PUBLIC,
  'GET /r/:token/qr.svg': PUBLIC,
};

/**
 * The network's business as a whole, refused to a manager tied to one site (issue 23: "a manager sees their own
 * site"): the accounts and their exports, the fiscal archives and attestation, the shop's settings, the event
 * log, the chains' check and the backups, the producers' statements, terms, mandates, invoices and payouts
 * (one legal entity settles every site), opening or renaming sites, and changing the catalogue.
 */
const NETWORK = new Set([
  'PUT /api/products/:id/threshold',
  'GET /api/exports/fec',
  'GET /api/exports/sales-journal.csv',
  'GET /api/settings/accounting',
  'PUT /api/settings/accounting',
  'GET /api/settings/consignment',
  'PUT /api/settings/consignment',
  'POST /api/archives',
  'GET /api/archives',
  'GET /api/archives/:name',
  'GET /api/fiscal/attestation',
  'PUT /api/settings/identity',
  'PUT /api/settings/in-store-layouts',
  'PUT /api/settings/till',
  'GET /api/events',
  'GET /api/journal/verify',
  'GET /api/backups',
  'POST /api/backups',
  'GET /api/backups/:name',
  'GET /api/producers/:id/mandates',
  'GET /api/producers/:id/mandate-template.pdf',
  'POST /api/producers/:id/mandates',
  'GET /api/mandates/:id.pdf',
  'POST /api/mandates/:id/revoke',
  'GET /api/producers/:id/terms',
  'PUT /api/producers/:id/terms',
  'GET /api/producers/:id/sales',
  'GET /api/producers/:id/lines',
  'GET /api/producers/:id/lines.csv',
  'GET /api/producers/:id/statement',
  'GET /api/producers/:id/statement.pdf',
  'POST /api/producers/:id/statements',
  'GET /api/statements',
  'GET /api/statements.csv',
  'GET /api/statements/:id.pdf',
  'GET /api/statements/:id',
  'POST /api/statements/:id/payment',
  'POST /api/statement-runs',
  'GET /api/statement-runs/next',
  'GET /api/statement-runs/:id',
  'POST /api/producers/:id/invitations',
  'GET /api/invoices',
  'GET /api/invoices/:id.pdf',
  'GET /api/payouts',
  'POST /api/payouts',
  'GET /api/payouts/:id.xml',
  'GET /api/payouts/:id',
  'POST /api/payouts/:id/confirm',
  'POST /api/payouts/:id/cancel',
  'POST /api/sites',
  'PATCH /api/sites/:id',
  'POST /api/producers',
  // The catalogue (a tied manager sets their site's own prices only).
  'POST /api/categories',
  'PATCH /api/categories/:id',
  'POST /api/products',
  'POST /api/products/import',
  'POST /api/products/:id/barcodes',
  'DELETE /api/products/:id/barcodes/:code',
  'PUT /api/products/:id/modifiers',
  'PUT /api/products/:id/recipe',
  'POST /api/models',
]);

function admitted(rule: (typeof expected)[string], who: Who, key: string): boolean {
  if (who === 'site-manager' && NETWORK.has(key)) return false;
  if (rule === PUBLIC) return true;
  if (rule === ANY_USER) return who !== 'anonymous' && who !== 'device';
  return principals[who].some((p) => rule.includes(p));
}

// Ids that exist nowhere: an admitted caller gets 400/404, never 401/403, and nothing real is touched.
const fill = (path: string) =>
  path
    .replace('/api/sales/:id', '/api/sales/01900000-0000-7000-8000-000000000000')
    .replace(':id', '999999')
    .replace(':code', '2000000000008')
    .replace(':name', 'comptoir-20000101-000000.sqlite')
    .replace(':token', 'AAAAAAAAAAAAAAAAAAAAAAAA')
    // The tills here are the shop's: another outlet's floor and orders are that outlet's tills' (403).
    .replace(/^\/api\/(floor|orders)$/, '/api/$1?outlet=shop');

describe('every route declares who may call it', () => {
  let shop: TestShop;
  const clients = {} as Record<Who, Client>;

  beforeAll(async () => {
    shop = await startTestShop();
    clients.anonymous = shop.client();
    clients.admin = shop.admin;
    clients.manager = (await aUser(shop, 'manager')).client;
    clients['site-manager'] = (await aUser(shop, 'manager', { siteId: 1 })).client;
    clients.cashier = (await aUser(shop, 'cashier')).client;
    clients.waiter = (await aUser(shop, 'waiter')).client;
    clients.producer = (await aUser(shop, 'producer', { producerId: (await aProducer(shop.admin)).id })).client;
    clients.device = await aPairedTill(shop, 1);
  });
  afterAll(() => shop.close());

  it('names only routes that exist among the network’s', () => {
    const actual = new Set(allRoutes.map((r) => `${r.method.toUpperCase()} ${r.path}`));
    expect([...NETWORK].filter((k) => !actual.has(k))).toEqual([]);
  });

  it('has an expected-access row for every route, and a route for every row', () => {
    const actual = allRoutes.map((r) => `${r.method.toUpperCase()} ${r.path}`).sort();
    expect(actual).toEqual(Object.keys(expected).sort());
  });

  it('admits exactly the expected identities on every route (401 anonymous, 403 wrong role)', async () => {
    const failures: string[] = [];
    // Logging out ends the session the other calls need: keep it for last.
    const routes = [...allRoutes].sort((a, b) => Number(a.path === '/api/auth/logout') - Number(b.path === '/api/auth/logout'));
    for (const r of routes) {
      const key = `${r.method.toUpperCase()} ${r.path}`;
      for (const who of Object.keys(principals) as Who[]) {
        const res = await clients[who].request(
          r.method,
          fill(r.path),
          r.method === 'get' ? undefined : r.bodyKind === 'text' ? 'x' : {},
          r.bodyKind === 'text' ? { contentType: 'text/csv' } : {},
        );
        const ok = admitted(expected[key]!, who, key);
        const denied = res.status === 401 || res.status === 403;
        if (ok && denied) failures.push(`${key} as ${who}: expected admitted, got ${res.status}`);
        if (!ok && !denied) failures.push(`${key} as ${who}: expected 401/403, got ${res.status}`);
        if (!ok && who === 'anonymous' && res.status !== 401) failures.push(`${key} as anonymous: expected 401, got ${res.status}`);
        if (res.status >= 500) failures.push(`${key} as ${who}: ${res.status}`);
      }
    }
    expect(failures).toEqual([]);
  }, 120_000);
});
