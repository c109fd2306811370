/**
 * A network of sites (issue 23, item 3). A site is a place with its outlets (its counters: a shop, a
 * restaurant…), tills, printers and stock. Which site a request works at is decided here, once:
 * - a paired tablet works at the site of its till's outlet, whoever is logged in on it;
 * - a manager tied to a site (`users.site_id`) at that site, and never another (another is "not found");
 * - a network manager (no site: the cooperative's admin, the managers of a one-site shop) at the site the
 *   `Comptoir-Site` header names, the first site otherwise.
 */
import { sql, type ExpressionBuilder } from 'kysely';
import { OUTLET_NAMES, type OutletCodeValue } from '../../shared/api/common.ts';
import type { NetworkReport, SiteView } from '../../shared/api/sites.ts';
import type { Database, Db, OutletCode, Trx } from '../../db/schema.ts';
import { cachedRows, rawRows } from '../../db/raw.ts';
import { Conflict, Invalid, NotFound } from '../errors.ts';
import { recordEvent } from '../journal/events.ts';
import type { Actor } from '../auth/access.ts';
import type { Scope } from '../auth/identity.ts';

/** What the site of a request is decided from. */
export interface SiteAsker extends Actor {
  db: Db;
  askedSite: number | null;
}

export async function firstSiteId(db: Db): Promise<number> {
  const [row] = await rawRows<{ id: number }>(db, 'select min("id") as "id" from "sites"', []);
  if (!row || row.id === null) throw new NotFound('Site');
  return Number(row.id);
}

/** The site a manager is tied to, or null for the whole network (everyone else: null, their reach is elsewhere). */
export function siteScope(actor: Actor): number | null {
  const u = actor.user;
  return u && (u.role === 'manager' || u.role === 'admin') ? u.siteId : null;
}

/** The site a request works at (see the top of this file). */
export async function siteOf(ctx: SiteAsker): Promise<number> {
  const tied = ctx.user?.siteId ?? null;
  if (tied !== null) {
    if (ctx.askedSite !== null && ctx.askedSite !== tied) throw new NotFound('Site');
    return tied;
  }
  // A paired tablet works at its till's site, whoever is logged in on it (a network manager ringing at Rodez
  // sells Rodez's stock at Rodez's prices).
  if (ctx.device) return siteOfTill(ctx.db, ctx.device.tillId);
  if (ctx.askedSite !== null) {
    const site = await ctx.db.selectFrom('sites').select('id').where('id', '=', ctx.askedSite).executeTakeFirst();
    if (!site) throw new NotFound('Site');
    return site.id;
  }
  return firstSiteId(ctx.db);
}

/** An outlet named by its kind at a site. */
export async function outletAt(db: Db, kind: OutletCode, siteId: number) {
  const outlet = await db
    .selectFrom('outlets')
    .select(['id', 'code', 'name', 'kind', 'site_id'])
    .where('kind', '=', kind)
    .where('site_id', '=', siteId)
    .executeTakeFirst();
  if (!outlet) throw new Invalid({ field: 'outlet', reason: `ce site n’a pas de point de vente « ${OUTLET_NAMES[kind]} »` });
  return outlet;
}

/** The site of an outlet (where its sales take stock from). */
export async function siteOfOutlet(db: Db, outletId: number): Promise<number> {
  const [row] = await cachedRows<{ site_id: number }>(db, 'select "site_id" from "outlets" where "id" = ?', [outletId]);
  if (!row) throw new NotFound('Point de vente');
  return row.site_id;
}

/**
 * The printers a site's managers reach: its outlets' printers, and those of no outlet that no till or kitchen
 * station of another site uses (found by a probe: a manager tied to Rodez renamed, readdressed and opened the
 * drawer of the Castres tills' receipt printer, which had no outlet). Written on `printers` in the query.
 */
export function printerOfSite(eb: ExpressionBuilder<Database, 'printers'>, siteId: number) {
  const tillElsewhere = eb.exists(
    eb
      .selectFrom('tills as u')
      .innerJoin('outlets as uo', 'uo.id', 'u.outlet_id')
      .select('u.id')
      .whereRef('u.printer_id', '=', 'printers.id')
      .where('uo.site_id', '!=', siteId),
  );
  const stationElsewhere = eb.exists(
    eb
      .selectFrom('stations as v')
      .innerJoin('outlets as vo', 'vo.id', 'v.outlet_id')
      .select('v.id')
      .whereRef('v.printer_id', '=', 'printers.id')
      .where('vo.site_id', '!=', siteId),
  );
  return eb.or([
    // `is not null` first: `null in (…)` is unknown, and `not` of it would drop the row from a `not` below.
    eb.and([
      eb('printers.outlet_id', 'is not', null),
      eb('printers.outlet_id', 'in', eb.selectFrom('outlets as so').select('so.id').where('so.site_id', '=', siteId)),
    ]),
    eb.and([eb('printers.outlet_id', 'is', null), eb.not(tillElsewhere), eb.not(stationElsewhere)]),
  ]);
}

/**
 * A printer named for a till or a kitchen station at `siteId` is that site's, or of no outlet (the network's,
 * as `listPrinters` shows them): another site's is refused, whoever asks (found by a security probe: a
 * manager tied to Albi, and a kitchen screen alone, sent tickets to Castres' printers).
 */
export async function requirePrinterAt(db: Db, printerId: number, siteId: number): Promise<void> {
  const known = await db.selectFrom('printers').select('id').where('id', '=', printerId).executeTakeFirst();
  if (!known) throw new Invalid({ field: 'printerId', reason: 'imprimante inconnue' });
  // Of no outlet, but printing for another site's tills or kitchen already: that site's (`printerOfSite`).
  const ours = await db
    .selectFrom('printers')
    .select('id')
    .where('id', '=', printerId)
    .where((eb) => printerOfSite(eb, siteId))
    .executeTakeFirst();
  if (!ours) throw new Invalid({ field: 'printerId', reason: 'imprimante d’un autre site' });
}

/** A manager tied to a site reaches that site's outlets only: another's is "not found" (named by `what`). */
export async function requireOutletReach(ctx: Actor & { db: Db }, outletId: number, what: string): Promise<void> {
  const scope = siteScope(ctx);
  if (scope !== null && (await siteOfOutlet(ctx.db, outletId)) !== scope) throw new NotFound(what);
}

/**
 * What a catalogue or stock read covers: a producer their own goods across the network (summed); staff the
 * shelves of the site they work at.
 */
export async function stockScope(ctx: SiteAsker): Promise<Scope> {
  if (ctx.user?.role === 'producer') return { producerId: ctx.user.producerId };
  const siteId = await siteOf(ctx);
  // Tied to a site, or working at one (a till): another site's one-off objects are not theirs to see.
  const atOneSite = (ctx.user?.siteId ?? null) !== null || Boolean(ctx.device);
  return { producerId: null, siteId, ...(atOneSite ? { reuseSiteId: siteId } : {}) };
}

/** The site of a till (the site of its outlet). */
export async function siteOfTill(db: Db, tillId: number): Promise<number> {
  const [row] = await rawRows<{ site_id: number }>(
    db,
    'select "outlets"."site_id" from "tills" inner join "outlets" on "outlets"."id" = "tills"."outlet_id" where "tills"."id" = ?',
    [tillId],
  );
  if (!row) throw new NotFound('Caisse');
  return row.site_id;
}

/** The sites a manager may see: their own, or all of them for the network. */
export async function listSites(db: Db, scope: number | null): Promise<SiteView[]> {
  let q = db.selectFrom('sites').selectAll();
  if (scope !== null) q = q.where('id', '=', scope);
  const sites = await q.orderBy('id').execute();
  if (!sites.length) return [];
  const outlets = await db
    .selectFrom('outlets')
    .select(['id', 'kind', 'name', 'site_id'])
    .where(
      'site_id',
      'in',
      sites.map((s) => s.id),
    )
    .orderBy('id')
    .execute();
  return sites.map((s) => ({
    id: s.id,
    code: s.code,
    name: s.name,
    city: s.city,
    active: s.active === 1,
    outlets: outlets.filter((o) => o.site_id === s.id).map((o) => ({ id: o.id, kind: o.kind, name: o.name })),
  }));
}

async function getSite(db: Db, id: number): Promise<SiteView> {
  const [site] = await listSites(db, id);
  if (!site) throw new NotFound('Site');
  return site;
}

/**
 * A new site with its counters. Each outlet sells what the first site's outlet of the same kind sells (the
 * network's catalogue); its tills are added afterwards like any till. The first site's outlets are coded by
 * their kind (`shop`); another site's `<kind>@<site code>`.
 */
export async function createSite(
  db: Trx,
  input: { code: string; name: string; city: string; outlets: OutletCodeValue[] },
  userId: number,
  now: Date,
): Promise<SiteView> {
  const clash = await db
    .selectFrom('sites')
    .select(['code', 'name'])
    .where((eb) => eb.or([eb('code', '=', input.code), eb('name', '=', input.name)]))
    .executeTakeFirst();
  if (clash?.code === input.code) throw new Conflict(`Le code de site « ${input.code} » est déjà pris.`);
  if (clash) throw new Conflict(`Un site s’appelle déjà « ${input.name} ».`);
  const at = now.toISOString();
  const site = await db
    .insertInto('sites')
    .values({ code: input.code, name: input.name, city: input.city, active: 1, created_at: at })
    .returning('id')
    .executeTakeFirstOrThrow();
  const first = await firstSiteId(db);
  for (const kind of input.outlets) {
    const outlet = await db
      .insertInto('outlets')
      .values({ code: `${kind}@${input.code}`, name: `${OUTLET_NAMES[kind]} — ${input.name}`, kind, site_id: site.id })
      .returning('id')
      .executeTakeFirstOrThrow();
    // The network's catalogue: what the first site's counter of this kind sells, but the ressourcerie's objects
    // (each is at its own site).
    await sql`insert into product_outlets (product_id, outlet_id)
      select po.product_id, ${outlet.id} from product_outlets po inner join outlets o on o.id = po.outlet_id
      where o.site_id = ${first} and o.kind = ${kind}
        and not exists (select 1 from reuse_items r where r.product_id = po.product_id)`.execute(db);
  }
  await recordEvent(db, {
    kind: 'site.created',
    userId,
    subject: `site:${site.id}`,
    data: { code: input.code, name: input.name, city: input.city, outlets: input.outlets },
    at,
  });
  return getSite(db, site.id);
}

export async function updateSite(
  db: Trx,
  id: number,
  input: { name?: string | undefined; city?: string | undefined; active?: boolean | undefined },
  userId: number,
  now: Date,
): Promise<SiteView> {
  const before = await getSite(db, id);
  if (input.name !== undefined && input.name !== before.name) {
    const clash = await db.selectFrom('sites').select('id').where('name', '=', input.name).where('id', '<>', id).executeTakeFirst();
    if (clash) throw new Conflict(`Un site s’appelle déjà « ${input.name} ».`);
  }
  if (input.active === false && id === (await firstSiteId(db)))
    throw new Invalid({ field: 'active', reason: 'le premier site porte la numérotation et l’identité de la boutique : il reste actif' });
  await db
    .updateTable('sites')
    .set({
      ...(input.name !== undefined ? { name: input.name } : {}),
      ...(input.city !== undefined ? { city: input.city } : {}),
      ...(input.active !== undefined ? { active: input.active ? 1 : 0 } : {}),
    })
    .where('id', '=', id)
    .execute();
  await recordEvent(db, { kind: 'site.updated', userId, subject: `site:${id}`, data: input, at: now.toISOString() });
  return getSite(db, id);
}

/** The price a product sells at, at each site that has its own (the latest row per site and product). */
export async function sitePricesNow(
  db: Db,
  siteId: number,
  productIds?: readonly number[],
): Promise<Map<number, { priceCents: number; since: string }>> {
  if (productIds && productIds.length === 0) return new Map();
  let q = db.selectFrom('site_prices').select(['product_id', 'price_cents', 'valid_from', 'id']).where('site_id', '=', siteId);
  if (productIds) q = q.where('product_id', 'in', productIds);
  const rows = await q.orderBy('product_id').orderBy('valid_from').orderBy('id').execute();
  const out = new Map<number, { priceCents: number; since: string }>();
  for (const r of rows) {
    if (r.price_cents === null) out.delete(r.product_id);
    else out.set(r.product_id, { priceCents: r.price_cents, since: r.valid_from });
  }
  return out;
}

/**
 * Each product's shelf price at a site at `at`: the site's own price then in force, else the network's given
 * (`price_cents`). What a producer is paid for the goods the site's kitchen cooks with: Rodez's honey at
 * Rodez's price, not at the network's.
 */
export async function shelfPrices(
  db: Db,
  siteId: number,
  products: readonly { id: number; price_cents: number }[],
  at: Date,
): Promise<Map<number, number>> {
  const out = new Map(products.map((p) => [p.id, p.price_cents]));
  const own = await sitePriceHistory(db, siteId, [...out.keys()]);
  for (const [productId, rows] of own) {
    // The last of the site's rows in force at `at`; null there: the site went back to the network's price.
    const inForce = rows.filter((r) => r.from <= at.getTime()).pop();
    if (inForce && inForce.priceCents !== null) out.set(productId, inForce.priceCents);
  }
  return out;
}

/** The history of a site's own prices for some products (oldest first): what a ticket is checked against. */
export async function sitePriceHistory(db: Db, siteId: number, productIds: readonly number[]) {
  if (!productIds.length) return new Map<number, { priceCents: number | null; from: number }[]>();
  const rows = await cachedRows<{ product_id: number; price_cents: number | null; valid_from: string }>(
    db,
    `select "product_id", "price_cents", "valid_from" from "site_prices" where "site_id" = ? and "product_id" in (${productIds.map(() => '?').join(', ')}) order by "product_id", "valid_from", "id"`,
    [siteId, ...productIds],
  );
  const out = new Map<number, { priceCents: number | null; from: number }[]>();
  for (const r of rows) {
    const list = out.get(r.product_id) ?? [];
    list.push({ priceCents: r.price_cents, from: Date.parse(r.valid_from) });
    out.set(r.product_id, list);
  }
  return out;
}

export async function listSitePrices(db: Db, siteId: number) {
  await getSite(db, siteId);
  const own = await sitePricesNow(db, siteId);
  if (!own.size) return [];
  const products = await db
    .selectFrom('products')
    .select(['id', 'name', 'price_cents'])
    .where('id', 'in', [...own.keys()])
    .orderBy('name')
    .execute();
  return products.map((p) => ({
    siteId,
    productId: p.id,
    name: p.name,
    networkPriceCents: p.price_cents,
    priceCents: own.get(p.id)!.priceCents,
    since: own.get(p.id)!.since,
  }));
}

/** A site's own price for a product (or back to the network's with null), from now; kept in its history. */
export async function setSitePrice(db: Trx, siteId: number, productId: number, priceCents: number | null, userId: number, now: Date) {
  await getSite(db, siteId);
  const product = await db.selectFrom('products').select(['id', 'name', 'price_cents']).where('id', '=', productId).executeTakeFirst();
  if (!product) throw new NotFound('Article');
  const before = (await sitePricesNow(db, siteId, [productId])).get(productId)?.priceCents ?? null;
  if (before !== priceCents) {
    const at = now.toISOString();
    await db
      .insertInto('site_prices')
      .values({ site_id: siteId, product_id: productId, price_cents: priceCents, valid_from: at, set_by: userId })
      .execute();
    await recordEvent(db, {
      kind: 'site.price',
      userId,
      subject: `product:${productId}`,
      data: { siteId, before, after: priceCents, networkPriceCents: product.price_cents },
      at,
    });
  }
  return {
    siteId,
    productId,
    priceCents: priceCents ?? product.price_cents,
    networkPriceCents: product.price_cents,
    own: priceCents !== null,
  };
}

/**
 * The network's report over some days: per site and per outlet, tickets and takings (refunds deducted), the
 * producers' goods sold (consignment, before commission) and the stock on hand valued at the network's
 * prices. Training tickets are left out. A manager tied to a site sees that site only.
 */
export async function networkReport(db: Db, from: string, to: string, scope: number | null): Promise<NetworkReport> {
  const sites = await listSites(db, scope);
  const ids = sites.map((s) => s.id);
  if (!ids.length) return { from, to, sites: [], totals: { tickets: 0, netCents: 0, consignmentCents: 0, stockValueCents: 0 } };
  const byOutlet = await db
    .selectFrom('sales')
    .innerJoin('outlets', 'outlets.id', 'sales.outlet_id')
    .select((eb) => [
      'sales.outlet_id',
      eb.fn.count<number>('sales.id').filterWhere('sales.kind', '=', 'sale').as('tickets'),
      eb.fn.sum<number>('sales.total_cents').filterWhere('sales.kind', '=', 'sale').as('sales'),
      eb.fn.sum<number>('sales.total_cents').filterWhere('sales.kind', '=', 'refund').as('refunds'),
    ])
    .where('outlets.site_id', 'in', ids)
    .where('sales.training', '=', 0)
    .where('sales.business_day', '>=', from)
    .where('sales.business_day', '<=', to)
    .groupBy('sales.outlet_id')
    .execute();
  const consignment = await db
    .selectFrom('sale_lines')
    .innerJoin('sales', 'sales.id', 'sale_lines.sale_id')
    .innerJoin('outlets', 'outlets.id', 'sales.outlet_id')
    .select((eb) => ['outlets.site_id', eb.fn.sum<number>('sale_lines.total_cents').as('cents')])
    .where('outlets.site_id', 'in', ids)
    .where('sales.training', '=', 0)
    .where('sales.business_day', '>=', from)
    .where('sales.business_day', '<=', to)
    .where('sale_lines.producer_id', 'is not', null)
    .groupBy('outlets.site_id')
    .execute();
  // Weighed goods: on hand in grams, priced per kilo (rounded to the cent once per product).
  const stock = await rawRows<{ site_id: number; cents: number | null }>(
    db,
    `select "stock_levels"."site_id", sum(case when "products"."unit" = 'kg'
        then ("stock_levels"."on_hand" * "products"."price_cents" + 500) / 1000
        else "stock_levels"."on_hand" * "products"."price_cents" end) as "cents"
     from "stock_levels" inner join "products" on "products"."id" = "stock_levels"."product_id"
     where "stock_levels"."on_hand" > 0 and "stock_levels"."site_id" in (${ids.map(() => '?').join(', ')})
     group by "stock_levels"."site_id"`,
    ids,
  );
  const figuresOf = new Map(byOutlet.map((r) => [r.outlet_id, r]));
  const consignmentOf = new Map(consignment.map((r) => [r.site_id, Number(r.cents ?? 0)]));
  const stockOf = new Map(stock.map((r) => [Number(r.site_id), Number(r.cents ?? 0)]));
  const out = sites.map((s) => {
    const outlets = s.outlets.map((o) => {
      const f = figuresOf.get(o.id);
      return {
        outletId: o.id,
        kind: o.kind,
        name: o.name,
        tickets: Number(f?.tickets ?? 0),
        salesCents: Number(f?.sales ?? 0),
        refundsCents: Number(f?.refunds ?? 0),
      };
    });
    const tickets = outlets.reduce((a, o) => a + o.tickets, 0);
    const netCents = outlets.reduce((a, o) => a + o.salesCents + o.refundsCents, 0);
    return {
      siteId: s.id,
      code: s.code,
      name: s.name,
      tickets,
      netCents,
      averageTicketCents: tickets ? Math.round(netCents / tickets) : 0,
      consignmentCents: consignmentOf.get(s.id) ?? 0,
      stockValueCents: stockOf.get(s.id) ?? 0,
      outlets,
    };
  });
  const sum = (f: (s: (typeof out)[number]) => number) => out.reduce((a, s) => a + f(s), 0);
  return {
    from,
    to,
    sites: out,
    totals: {
      tickets: sum((s) => s.tickets),
      netCents: sum((s) => s.netCents),
      consignmentCents: sum((s) => s.consignmentCents),
      stockValueCents: sum((s) => s.stockValueCents),
    },
  };
}
