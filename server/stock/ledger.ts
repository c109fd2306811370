import { sql } from 'kysely';
import { insertSql, rawRows, rawRun } from '../../db/raw.ts';
import type {
  CountBody,
  CountResult,
  LossBody,
  MovementView,
  SlipBody,
  SlipSummary,
  SlipView,
  StockRow,
  TransferBody,
} from '../../shared/api/stock.ts';
import type { KitchenUseBody } from '../../shared/api/settlement.ts';
import { searchTerms } from '../../shared/text.ts';
import { businessDay, frDay, shiftDay } from '../../shared/time.ts';
import type { MovementKind, SlipKind } from '../../db/schema.ts';
import { Invalid, NotFound } from '../errors.ts';
import { recordEvent } from '../journal/events.ts';
import type { Db, Trx } from '../../db/schema.ts';
import type { Scope } from '../auth/identity.ts';
import { shelfPrices } from '../sites/sites.ts';

export interface MovementInput {
  productId: number;
  /** Where the goods are: stock is kept per site (server/sites). */
  siteId: number;
  kind: MovementKind;
  /** Signed: what enters the shelf is positive. Pieces, or grams for products sold by weight. */
  quantity: number;
  counted?: number | null;
  slipId?: number | null;
  saleId?: string | null;
  note?: string | null;
  /** Kitchen use: the shelf price the producer is paid. */
  unitPriceCents?: number | null;
}

const LEVEL_COLUMNS = ['site_id', 'product_id', 'on_hand', 'last_movement_id', 'updated_at'] as const;
const MOVEMENT_COLUMNS = [
  'product_id',
  'kind',
  'quantity',
  'counted',
  'at',
  'user_id',
  'slip_id',
  'sale_id',
  'note',
  'unit_price_cents',
  'site_id',
] as const;

/**
 * The only way stock changes. Appends the movements and moves each product's running balance in the
 * same transaction (call it inside one), so on-hand is always the sum of the ledger. It takes a `Db`, not a
 * `Trx`: the sales write queue hands it the transaction of its batch typed as such.
 */
export async function recordMovements(db: Trx, movements: readonly MovementInput[], userId: number | null, now: Date): Promise<number[]> {
  if (movements.length === 0) return [];
  const at = now.toISOString();
  // Written in SQL once (db/raw.ts): this runs for every ticket.
  // SQLite: the text has `?` placeholders; PostgreSQL needs `$1, $2…` (db/raw.ts would build them per dialect).
  const rows = await rawRows<{ id: number; product_id: number; site_id: number }>(
    db,
    insertSql('stock_movements', MOVEMENT_COLUMNS, movements.length, ' returning "id", "product_id", "site_id"'),
    movements.flatMap((m) => [
      m.productId,
      m.kind,
      m.quantity,
      m.counted ?? null,
      at,
      userId,
      m.slipId ?? null,
      m.saleId ?? null,
      m.note ?? null,
      m.unitPriceCents ?? null,
      m.siteId,
    ]),
  );
  // One balance update per product and site, whatever the number of its movements here.
  const key = (siteId: number, productId: number) => `${siteId}:${productId}`;
  const byProduct = new Map<string, { siteId: number; productId: number; quantity: number; lastId: number }>();
  movements.forEach((m) => {
    const k = key(m.siteId, m.productId);
    const cur = byProduct.get(k) ?? { siteId: m.siteId, productId: m.productId, quantity: 0, lastId: 0 };
    cur.quantity += m.quantity;
    byProduct.set(k, cur);
  });
  rows.forEach((r) => {
    const cur = byProduct.get(key(r.site_id, r.product_id))!;
    cur.lastId = Math.max(cur.lastId, r.id);
  });
  // One statement for all the products of these movements: each balance moves by its own sum.
  // SQLite: `?` placeholders as above; the `on conflict … do update … excluded` upsert itself is PostgreSQL's too.
  await rawRun(
    db,
    insertSql(
      'stock_levels',
      LEVEL_COLUMNS,
      byProduct.size,
      ' on conflict ("site_id", "product_id") do update set "on_hand" = "stock_levels"."on_hand" + "excluded"."on_hand", "last_movement_id" = "excluded"."last_movement_id", "updated_at" = "excluded"."updated_at"',
    ),
    [...byProduct.values()].flatMap(({ siteId, productId, quantity, lastId }) => [siteId, productId, quantity, lastId, at]),
  );
  return rows.map((r) => r.id).sort((a, b) => a - b);
}

/**
 * What leaves a site's shelf (a producer's return, a loss) is there: 100 000 boxes out of 39 would pass
 * missing stock off as taken back or broken (found by independent probes). A product on several lines
 * counts once, in all. A shelf that holds more than it says is counted first (inventaire).
 */
async function assertOnShelf(
  db: Trx,
  siteId: number,
  lines: readonly { productId: number; quantity: number }[],
  products: Map<number, { id: number; name: string; unit: string }>,
  verb: string,
) {
  const onHand = await onHandAt(db, siteId, [...new Set(lines.map((l) => l.productId))]);
  const taken = new Map<number, number>();
  lines.forEach((l, i) => {
    const p = products.get(l.productId)!;
    const total = (taken.get(p.id) ?? 0) + l.quantity;
    taken.set(p.id, total);
    const here = Math.max(0, onHand.get(p.id) ?? 0);
    if (total > here) {
      const amount = (n: number) => (p.unit === 'kg' ? `${n} g` : String(n));
      throw new Invalid({
        field: `lines.${i}.quantity`,
        reason: `${amount(here)} de « ${p.name} » en rayon : on ne peut pas ${verb} ${amount(total)} (comptez le rayon d’abord s’il en a plus)`,
      });
    }
  });
}

async function trackedProducts(db: Db, ids: number[], field: string) {
  const rows = await db
    .selectFrom('products')
    .select(['id', 'name', 'producer_id', 'stock_tracked', 'active', 'unit'])
    .where('id', 'in', ids)
    .execute();
  const byId = new Map(rows.map((r) => [r.id, r]));
  ids.forEach((id, i) => {
    const p = byId.get(id);
    if (!p) throw new Invalid({ field: `${field}.${i}.productId`, reason: 'article inconnu' });
    if (p.stock_tracked !== 1) throw new Invalid({ field: `${field}.${i}.productId`, reason: `« ${p.name} » n’a pas de suivi de stock` });
  });
  return byId;
}

// SQLite: one writer at a time, so max + 1 cannot be taken twice; on PostgreSQL with several processes two
// slips can read the same max: the unique (kind, number) constraint refuses the second, which needs a retry
// (or `lock table stock_slips in share row exclusive mode` first).
async function nextSlipNumber(db: Trx, kind: SlipKind): Promise<number> {
  const row = await db
    .selectFrom('stock_slips')
    .select((eb) => eb.fn.max('number').as('n'))
    .where('kind', '=', kind)
    .executeTakeFirst();
  return Number(row?.n ?? 0) + 1;
}

/** A slip's producer and lines: the producer known (and active, for what comes in), only their own goods. */
async function producerLines(db: Trx, kind: SlipKind, input: { producerId: number; lines: readonly { productId: number }[] }) {
  const producer = await db.selectFrom('producers').select(['id', 'name', 'active']).where('id', '=', input.producerId).executeTakeFirst();
  if (!producer) throw new Invalid({ field: 'producerId', reason: 'producteur inconnu' });
  if (kind === 'deposit' && producer.active !== 1) throw new Invalid({ field: 'producerId', reason: 'ce producteur est désactivé' });
  const products = await trackedProducts(
    db,
    input.lines.map((l) => l.productId),
    'lines',
  );
  input.lines.forEach((l, i) => {
    const p = products.get(l.productId)!;
    if (p.producer_id !== producer.id)
      throw new Invalid({ field: `lines.${i}.productId`, reason: `« ${p.name} » n’appartient pas à ${producer.name}` });
    if (kind === 'deposit' && p.active !== 1) throw new Invalid({ field: `lines.${i}.productId`, reason: `« ${p.name} » est désactivé` });
  });
  return { producer, products };
}

/** What a site's shelf holds of each product (a product never moved there is absent). */
async function onHandAt(db: Trx, siteId: number, productIds: readonly number[]): Promise<Map<number, number>> {
  const rows = await db
    .selectFrom('stock_levels')
    .select(['product_id', 'on_hand'])
    .where('site_id', '=', siteId)
    .where('product_id', 'in', productIds)
    .execute();
  return new Map(rows.map((r) => [r.product_id, r.on_hand]));
}

/**
 * A deposit slip (bon de dépôt) or a return slip (reprise): one delivery or pick-up by one producer, one
 * movement per line. Only that producer's own products can be on it: they own the consignment stock.
 */
export async function recordSlip(
  db: Trx,
  kind: 'deposit' | 'return',
  input: SlipBody,
  userId: number,
  now: Date,
  siteId: number,
): Promise<SlipView> {
  const { producer, products } = await producerLines(db, kind, input);
  // A producer takes back what is on this site's shelf, no more.
  if (kind === 'return') await assertOnShelf(db, siteId, input.lines, products, 'en reprendre');
  const number = await nextSlipNumber(db, kind);
  const at = now.toISOString();
  const slip = await db
    .insertInto('stock_slips')
    .values({ kind, number, producer_id: producer.id, note: input.note ?? null, created_at: at, created_by: userId, site_id: siteId })
    .returning('id')
    .executeTakeFirstOrThrow();
  const sign = kind === 'deposit' ? 1 : -1;
  await recordMovements(
    db,
    input.lines.map((l) => ({ productId: l.productId, siteId, kind, quantity: sign * l.quantity, slipId: slip.id })),
    userId,
    now,
  );
  await recordEvent(db, {
    kind: kind === 'deposit' ? 'stock.deposit' : 'stock.return',
    userId,
    subject: `slip:${slip.id}`,
    data: { number, producerId: producer.id, siteId, lines: input.lines },
    at,
  });
  return getSlip(db, slip.id, { producerId: null });
}

/**
 * A transfer slip (bon de transfert): one producer's goods sent from `fromSiteId` (where the request works)
 * to another site, in its own numbered series. Each line is two movements of the kind `transfer`, out of
 * the first site's shelf and onto the second's; the producer still owns the goods, nothing is sold or paid.
 * Only what is on the first site's shelf can leave it, and only to a site that sells the product.
 */
export async function recordTransfer(db: Trx, input: TransferBody, userId: number, now: Date, fromSiteId: number): Promise<SlipView> {
  const sites = await db.selectFrom('sites').select(['id', 'name', 'active']).where('id', 'in', [fromSiteId, input.toSiteId]).execute();
  const to = sites.find((x) => x.id === input.toSiteId);
  if (!to) throw new Invalid({ field: 'toSiteId', reason: 'site inconnu' });
  if (to.id === fromSiteId) throw new Invalid({ field: 'toSiteId', reason: 'les marchandises sont déjà à ce site' });
  if (to.active !== 1) throw new Invalid({ field: 'toSiteId', reason: `${to.name} est fermé` });
  const from = sites.find((x) => x.id === fromSiteId)!;
  const { producer, products } = await producerLines(db, 'transfer', input);
  const ids = input.lines.map((l) => l.productId);
  const seen = new Set<number>();
  input.lines.forEach((l, i) => {
    if (seen.has(l.productId))
      throw new Invalid({ field: `lines.${i}.productId`, reason: `« ${products.get(l.productId)!.name} » est déjà sur ce bon` });
    seen.add(l.productId);
  });
  const sold = new Set(
    (
      await db
        .selectFrom('product_outlets')
        .innerJoin('outlets', 'outlets.id', 'product_outlets.outlet_id')
        .select('product_outlets.product_id')
        .where('outlets.site_id', '=', to.id)
        .where('product_outlets.product_id', 'in', ids)
        .execute()
    ).map((r) => r.product_id),
  );
  const onHand = await onHandAt(db, fromSiteId, ids);
  input.lines.forEach((l, i) => {
    const p = products.get(l.productId)!;
    if (!sold.has(p.id))
      throw new Invalid({ field: `lines.${i}.productId`, reason: `« ${p.name} » n’est vendu à aucun comptoir de ${to.name}` });
    const here = onHand.get(p.id) ?? 0;
    if (l.quantity > here) {
      const amount = (n: number) => (p.unit === 'kg' ? `${n} g` : String(n));
      throw new Invalid({
        field: `lines.${i}.quantity`,
        reason: `${amount(Math.max(0, here))} de « ${p.name} » en rayon à ${from.name}, on ne peut pas en envoyer ${amount(l.quantity)}`,
      });
    }
  });
  const number = await nextSlipNumber(db, 'transfer');
  const at = now.toISOString();
  const slip = await db
    .insertInto('stock_slips')
    .values({
      kind: 'transfer',
      number,
      producer_id: producer.id,
      note: input.note ?? null,
      created_at: at,
      created_by: userId,
      site_id: fromSiteId,
      to_site_id: to.id,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  await recordMovements(
    db,
    input.lines.flatMap((l) => [
      { productId: l.productId, siteId: fromSiteId, kind: 'transfer' as const, quantity: -l.quantity, slipId: slip.id },
      { productId: l.productId, siteId: to.id, kind: 'transfer' as const, quantity: l.quantity, slipId: slip.id },
    ]),
    userId,
    now,
  );
  await recordEvent(db, {
    kind: 'stock.transfer',
    userId,
    subject: `slip:${slip.id}`,
    data: { number, producerId: producer.id, fromSiteId, toSiteId: to.id, lines: input.lines },
    at,
  });
  return getSlip(db, slip.id, { producerId: null });
}

/** Where goods can be sent from `fromSiteId`: the network's other open sites, by name. */
export async function transferSites(db: Db, fromSiteId: number): Promise<{ id: number; name: string }[]> {
  return db.selectFrom('sites').select(['id', 'name']).where('active', '=', 1).where('id', '<>', fromSiteId).orderBy('id').execute();
}

/**
 * `siteId`: a manager tied to a site reaches that site's slips only (another's is "not found"), and the
 * transfers sent to it.
 */
export async function getSlip(db: Db, id: number, scope: Scope, siteId: number | null = null): Promise<SlipView> {
  let q = db
    .selectFrom('stock_slips')
    .innerJoin('producers', 'producers.id', 'stock_slips.producer_id')
    .innerJoin('users', 'users.id', 'stock_slips.created_by')
    .innerJoin('sites', 'sites.id', 'stock_slips.site_id')
    .leftJoin('sites as to_site', 'to_site.id', 'stock_slips.to_site_id')
    .select([
      'sites.name as site_name',
      'to_site.name as to_site_name',
      'stock_slips.site_id',
      'stock_slips.id',
      'stock_slips.kind',
      'stock_slips.number',
      'stock_slips.producer_id',
      'producers.name as producer_name',
      'stock_slips.note',
      'stock_slips.created_at',
      'users.display_name as created_by',
    ])
    .where('stock_slips.id', '=', id);
  if (scope.producerId !== null) q = q.where('stock_slips.producer_id', '=', scope.producerId);
  if (siteId !== null) q = q.where((eb) => eb.or([eb('stock_slips.site_id', '=', siteId), eb('stock_slips.to_site_id', '=', siteId)]));
  const slip = await q.executeTakeFirst();
  if (!slip) throw new NotFound('Bon');
  // A transfer's lines are its movements out of the first site (their pairs went onto the second's shelf).
  const lines = await db
    .selectFrom('stock_movements')
    .innerJoin('products', 'products.id', 'stock_movements.product_id')
    .select(['stock_movements.product_id', 'products.name', 'products.unit', 'products.price_cents', 'stock_movements.quantity'])
    .where('stock_movements.slip_id', '=', id)
    .where('stock_movements.site_id', '=', slip.site_id)
    .orderBy('stock_movements.id')
    .execute();
  return {
    id: slip.id,
    kind: slip.kind,
    number: slip.number,
    producerId: slip.producer_id,
    producerName: slip.producer_name,
    note: slip.note,
    createdAt: slip.created_at,
    createdBy: slip.created_by,
    siteName: slip.site_name,
    toSiteName: slip.to_site_name,
    lines: lines.map((l) => ({
      productId: l.product_id,
      name: l.name,
      unit: l.unit,
      priceCents: l.price_cents,
      quantity: Math.abs(l.quantity),
    })),
  };
}

export async function listSlips(
  db: Db,
  query: { producerId?: number | undefined; kind?: SlipKind | undefined; limit: number },
  scope: Scope,
  siteId: number | null = null,
): Promise<SlipSummary[]> {
  let q = db
    .selectFrom('stock_slips')
    .innerJoin('producers', 'producers.id', 'stock_slips.producer_id')
    .innerJoin('sites', 'sites.id', 'stock_slips.site_id')
    .leftJoin('sites as to_site', 'to_site.id', 'stock_slips.to_site_id')
    .select([
      'stock_slips.id',
      'stock_slips.kind',
      'stock_slips.number',
      'stock_slips.producer_id',
      'producers.name as producer_name',
      'stock_slips.created_at',
      'stock_slips.note',
      'sites.name as site_name',
      'to_site.name as to_site_name',
    ]);
  // A site's slips: those recorded there, and the transfers sent to it.
  if (siteId !== null) q = q.where((eb) => eb.or([eb('stock_slips.site_id', '=', siteId), eb('stock_slips.to_site_id', '=', siteId)]));
  if (scope.producerId !== null) q = q.where('stock_slips.producer_id', '=', scope.producerId);
  if (query.producerId !== undefined) q = q.where('stock_slips.producer_id', '=', query.producerId);
  if (query.kind) q = q.where('stock_slips.kind', '=', query.kind);
  const rows = await q.orderBy('stock_slips.created_at', 'desc').orderBy('stock_slips.id', 'desc').limit(query.limit).execute();
  return rows.map((r) => ({
    id: r.id,
    kind: r.kind,
    number: r.number,
    producerId: r.producer_id,
    producerName: r.producer_name,
    createdAt: r.created_at,
    note: r.note,
    siteName: r.site_name,
    toSiteName: r.to_site_name,
  }));
}

const lossReasonLabel = { breakage: 'casse', expired: 'DLC dépassée', theft: 'vol', other: 'autre' } as const;

export async function recordLosses(db: Trx, input: LossBody, userId: number, now: Date, siteId: number) {
  const products = await trackedProducts(
    db,
    input.lines.map((l) => l.productId),
    'lines',
  );
  await assertOnShelf(db, siteId, input.lines, products, 'en déclarer perdu');
  const ids = await recordMovements(
    db,
    input.lines.map((l) => ({
      productId: l.productId,
      siteId,
      kind: 'loss' as const,
      quantity: -l.quantity,
      note: [lossReasonLabel[l.reason], l.note].filter(Boolean).join(' : '),
    })),
    userId,
    now,
  );
  await recordEvent(db, { kind: 'stock.loss', userId, data: { siteId, lines: input.lines }, at: now.toISOString() });
  return { movements: ids.length };
}

/**
 * The restaurant takes goods off the shelves to cook with them. The producer is paid for them at the
 * product's price of that moment, kept on the movement (a later price change does not alter what is owed).
 * Only a producer's goods: what the house owns is not settled with anyone.
 */
export async function recordKitchenUse(
  db: Trx,
  input: KitchenUseBody,
  userId: number,
  now: Date,
  siteId: number,
  timeZone = 'Europe/Paris',
) {
  const ids = input.lines.map((l) => l.productId);
  const byId = await trackedProducts(db, ids, 'lines');
  input.lines.forEach((l, i) => {
    if (byId.get(l.productId)!.producer_id === null)
      throw new Invalid({
        field: `lines.${i}.productId`,
        reason: 'article de la maison : rien à reverser, utilisez une perte ou un comptage',
      });
  });
  // Only what the shelf holds: the producer is paid for what the kitchen takes, and 100 000 plates booked by a
  // waiter made the shop owe their potter 2,6 M€ (an attack). A shelf holding more than it says is counted first.
  await assertOnShelf(db, siteId, input.lines, byId, 'en prendre en cuisine');
  // A use recorded after the day (issue 21, item 7): dated that day, at noon, so that the statement of that
  // day's period settles it; never in the future, nor in a period a statement has already settled.
  const today = businessDay(now, timeZone);
  let at = now;
  if (input.day !== undefined && input.day !== today) {
    if (input.day > today) throw new Invalid({ field: 'day', reason: 'date à venir : l’usage se date au jour où il a eu lieu' });
    if (input.day < shiftDay(today, -31))
      throw new Invalid({ field: 'day', reason: 'plus de 31 jours en arrière : voyez le gérant pour une régularisation' });
    at = new Date(`${input.day}T12:00:00.000Z`);
    const producerIds = [...new Set(ids.map((id) => byId.get(id)!.producer_id!))];
    const settled = await db
      .selectFrom('statements as st')
      .innerJoin('producers as p', 'p.id', 'st.producer_id')
      .select(['p.name', (eb) => eb.fn.max('st.period_to').as('to')])
      .where('st.producer_id', 'in', producerIds)
      .groupBy('p.name')
      .execute();
    const closed = settled.find((s) => s.to !== null && String(s.to) >= input.day!);
    if (closed)
      throw new Invalid({
        field: 'day',
        reason: `les ventes de ${closed.name} jusqu’au ${frDay(String(closed.to))} sont déjà réglées par un relevé : datez l’usage après cette date`,
      });
  }
  // The site's shelf price (its own, where it has one): what the producer is paid for what its kitchen cooks.
  const priceOf = await shelfPrices(
    db,
    siteId,
    await db.selectFrom('products').select(['id', 'price_cents']).where('id', 'in', ids).execute(),
    now,
  );
  const movementIds = await recordMovements(
    db,
    input.lines.map((l) => ({
      productId: l.productId,
      siteId,
      kind: 'kitchen' as const,
      quantity: -l.quantity,
      note: input.note ?? null,
      unitPriceCents: priceOf.get(l.productId)!,
    })),
    userId,
    at,
  );
  await recordEvent(db, {
    kind: 'stock.kitchen',
    userId,
    data: {
      siteId,
      ...(at !== now ? { day: input.day } : {}),
      lines: input.lines.map((l) => ({ ...l, unitPriceCents: priceOf.get(l.productId)! })),
    },
    at: now.toISOString(),
  });
  return { movements: movementIds };
}

/** An inventory count: each line records the difference between what is on the shelf and what the ledger says. */
export async function recordCount(db: Trx, input: CountBody, userId: number, now: Date, siteId: number): Promise<CountResult> {
  const ids = input.lines.map((l) => l.productId);
  if (new Set(ids).size !== ids.length) throw new Invalid({ field: 'lines', reason: 'un article figure deux fois dans le comptage' });
  await trackedProducts(db, ids, 'lines');
  const levels = await db
    .selectFrom('stock_levels')
    .select(['product_id', 'on_hand'])
    .where('site_id', '=', siteId)
    .where('product_id', 'in', ids)
    .execute();
  const onHand = new Map(levels.map((l) => [l.product_id, l.on_hand]));
  const lines = input.lines.map((l) => ({ productId: l.productId, counted: l.counted, before: onHand.get(l.productId) ?? 0 }));
  // A line whose count equals the ledger is still recorded: it proves the product was counted that day.
  await recordMovements(
    db,
    lines.map((l) => ({
      productId: l.productId,
      siteId,
      kind: 'count' as const,
      quantity: l.counted - l.before,
      counted: l.counted,
      note: input.note ?? null,
    })),
    userId,
    now,
  );
  await recordEvent(db, {
    kind: 'stock.count',
    userId,
    data: { siteId, lines: lines.map((l) => ({ ...l, difference: l.counted - l.before })) },
    at: now.toISOString(),
  });
  return { lines: lines.map((l) => ({ ...l, difference: l.counted - l.before })) };
}

/**
 * Stock on hand of every tracked product (from the running balances), scoped to a producer if asked: at one
 * site, or (`siteId` null: a producer's view of the network) summed over the sites, with each site's part
 * when there are several.
 */
export async function stockOnHand(
  db: Db,
  query: { producerId?: number | undefined; low?: boolean | undefined; unsoldDays?: number | undefined; q?: string | undefined },
  scope: Scope,
  now: Date = new Date(),
  siteId: number | null = null,
): Promise<StockRow[]> {
  let q = db
    .selectFrom('products')
    .leftJoin('producers', 'producers.id', 'products.producer_id')
    .select([
      'products.id',
      'products.name',
      'products.unit',
      'products.producer_id',
      'producers.name as producer_name',
      'products.low_stock_threshold',
      'products.active',
    ])
    .where('products.stock_tracked', '=', 1);
  if (scope.producerId !== null) q = q.where('products.producer_id', '=', scope.producerId);
  if (query.producerId !== undefined) q = q.where('products.producer_id', '=', query.producerId);
  for (const t of searchTerms(query.q ?? '')) q = q.where(sql<boolean>`products.search_text like ${'%' + t + '%'}`);
  const rows = await q.orderBy('products.name').orderBy('products.id').execute();
  // The balances of these products, read with the same filters (not an `in` list of every id).
  let levels = db
    .selectFrom('stock_levels')
    .innerJoin('products', 'products.id', 'stock_levels.product_id')
    .select(['stock_levels.product_id', 'stock_levels.site_id', 'stock_levels.on_hand', 'stock_levels.updated_at'])
    .where('products.stock_tracked', '=', 1);
  if (siteId !== null) levels = levels.where('stock_levels.site_id', '=', siteId);
  if (scope.producerId !== null) levels = levels.where('products.producer_id', '=', scope.producerId);
  if (query.producerId !== undefined) levels = levels.where('products.producer_id', '=', query.producerId);
  const balances = await levels.execute();
  const sites = siteId === null ? await db.selectFrom('sites').select(['id', 'name']).orderBy('id').execute() : [];
  const bySite = sites.length > 1;
  const levelsOf = new Map<number, typeof balances>();
  for (const l of balances) levelsOf.set(l.product_id, [...(levelsOf.get(l.product_id) ?? []), l]);
  const list = rows.map((r) => {
    const own = levelsOf.get(r.id) ?? [];
    const onHand = own.reduce((a, l) => a + l.on_hand, 0);
    const last = own.reduce<string | null>((a, l) => (a === null || l.updated_at > a ? l.updated_at : a), null);
    return {
      productId: r.id,
      name: r.name,
      unit: r.unit,
      producerId: r.producer_id,
      producerName: r.producer_name,
      onHand,
      lowStockThreshold: r.low_stock_threshold,
      low: r.low_stock_threshold !== null && onHand <= r.low_stock_threshold,
      negative: onHand < 0,
      active: r.active === 1,
      lastMovementAt: last,
      ...(bySite
        ? { sites: sites.map((s) => ({ siteId: s.id, name: s.name, onHand: own.find((l) => l.site_id === s.id)?.on_hand ?? 0 })) }
        : {}),
    };
  });
  let result = query.low ? list.filter((r) => r.low || r.negative) : list;
  if (query.unsoldDays !== undefined) {
    // Through the (kind, at) index: only the window's sales and deposits are read, not the whole ledger. Goods
    // that came from another site (a transfer in) are as fresh there as a deposit.
    const since = new Date(now.getTime() - query.unsoldDays * 86_400_000).toISOString();
    let moved = db
      .selectFrom('stock_movements')
      .select('product_id')
      .distinct()
      .where('kind', 'in', ['sale', 'deposit', 'transfer'])
      .where((eb) => eb.or([eb('kind', '<>', 'transfer'), eb('quantity', '>', 0)]))
      .where('at', '>=', since);
    if (siteId !== null) moved = moved.where('site_id', '=', siteId);
    const recent = new Set((await moved.execute()).map((m) => m.product_id));
    result = result.filter((r) => r.onHand > 0 && r.active && !recent.has(r.productId));
  }
  return result;
}

export async function productMovements(
  db: Db,
  productId: number,
  query: { limit: number; beforeId?: number | undefined },
  scope: Scope,
  /** A manager tied to a site: that site's movements only. */
  siteId: number | null = null,
): Promise<MovementView[]> {
  let p = db.selectFrom('products').select(['id', 'unit']).where('id', '=', productId);
  if (scope.producerId !== null) p = p.where('producer_id', '=', scope.producerId);
  if (!(await p.executeTakeFirst())) throw new NotFound('Article');
  let q = db
    .selectFrom('stock_movements')
    .leftJoin('users', 'users.id', 'stock_movements.user_id')
    .leftJoin('stock_slips', 'stock_slips.id', 'stock_movements.slip_id')
    .innerJoin('sites', 'sites.id', 'stock_movements.site_id')
    .select([
      'stock_movements.site_id',
      'sites.name as site',
      'stock_movements.id',
      'stock_movements.kind',
      'stock_movements.quantity',
      'stock_movements.counted',
      'stock_movements.at',
      'stock_movements.note',
      'stock_movements.sale_id',
      'stock_slips.number as slip_number',
      'users.display_name as by',
    ])
    .where('stock_movements.product_id', '=', productId);
  if (siteId !== null) q = q.where('stock_movements.site_id', '=', siteId);
  if (query.beforeId !== undefined) q = q.where('stock_movements.id', '<', query.beforeId);
  const rows = await q.orderBy('stock_movements.id', 'desc').limit(query.limit).execute();
  // A producer sees that a movement happened and why, not which staff member made it.
  return rows.map((r) => ({
    id: r.id,
    kind: r.kind,
    quantity: r.quantity,
    counted: r.counted,
    at: r.at,
    note: r.note,
    saleId: r.sale_id,
    slipNumber: r.slip_number,
    by: scope.producerId === null ? r.by : null,
    siteId: r.site_id,
    site: r.site,
  }));
}

/** Re-sums the whole ledger and compares it with the running balances (per site): any difference is a fault. */
export async function verifyStockLedger(db: Db) {
  const sums = await db
    .selectFrom('stock_movements')
    .select(['site_id', 'product_id', (eb) => eb.fn.sum<number>('quantity').as('total'), (eb) => eb.fn.max<number>('id').as('last_id')])
    .groupBy(['site_id', 'product_id'])
    .execute();
  const levels = await db.selectFrom('stock_levels').selectAll().execute();
  const key = (l: { site_id: number; product_id: number }) => `${l.site_id}:${l.product_id}`;
  const levelOf = new Map(levels.map((l) => [key(l), l]));
  const problems: { productId: number; fault: string; detail: string }[] = [];
  for (const s of sums) {
    const level = levelOf.get(key(s));
    levelOf.delete(key(s));
    if (!level || level.on_hand !== Number(s.total)) {
      problems.push({
        productId: s.product_id,
        fault: 'stock-mismatch',
        detail: `site ${s.site_id}: ledger sums to ${s.total}, balance says ${level?.on_hand ?? 'nothing'}`,
      });
    }
  }
  for (const level of levelOf.values()) {
    if (level.on_hand !== 0)
      problems.push({
        productId: level.product_id,
        fault: 'stock-mismatch',
        detail: `site ${level.site_id}: balance ${level.on_hand} with no movement`,
      });
  }
  return { products: new Set(sums.map((s) => s.product_id)).size, problems };
}
