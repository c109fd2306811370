import type { Kysely } from 'kysely';
import { MAX_NUMBER_AHEAD, MAX_TICKET_NUMBER, type SaleBody } from '../../shared/api/sales.ts';
import { isUniqueViolation } from '../../db/engine.ts';
import { beyondLimit, deviationCents, letOffBeyondLimit, PricingError, priceTicket, settle } from '../../shared/sales.ts';
import { vatBreakdown, type BasisPoints, type Cents, type VatRow } from '../../shared/money.ts';
import { businessDay } from '../../shared/time.ts';
import { cachedRows, insertSql, marks, rawRows, rawRun } from '../../db/raw.ts';
import type { Database } from '../../db/schema.ts';
import { engineOf } from '../../db/engine.ts';
import { randomCode, sha256Hex } from '../auth/secrets.ts';
import { Conflict, Forbidden, NotFound, Unprocessable } from '../errors.ts';
import { recordEvent } from '../journal/events.ts';
import type { Db, PriceSource, Trx } from '../../db/schema.ts';
import { canonicalJson, GENESIS_HASH } from '../journal/canonical.ts';
import { recordMovements, type MovementInput } from '../stock/ledger.ts';
import { kitchenUseOfSale } from '../catalog/recipes.ts';
import { CHAIN_VERSION, ticketHash, ticketRecord, type TicketRecord } from '../journal/tickets.ts';
import { getSale, saleView, type SaleView } from './view.ts';

// The ticket as it is answered and read (a module of its own: the receipts read it without the recording).
export { getSale, saleView, type SaleView };
import { version } from '../system/version.ts';
import type { WriteQueue } from './write-queue.ts';
import { checkApproval } from '../auth/approval.ts';
import { tillOptions } from '../settings/settings.ts';
import { refuseIfMissedZ } from '../closing/missed-z.ts';
import { checkOrderPart, planSharePart, recordOrderPart, type SharePart } from '../restaurant/payments.ts';
import { checkLinePrices, type LinePrice, type ProductToPrice } from './prices.ts';
import { checkPaymentMethods, checkPaymentRules } from './payment-rules.ts';
import { checkSolidarity, linkSolidaritySale } from '../solidarity/solidarity.ts';
import { checkReuseItems, markReuseItemsSold } from '../ressourcerie/ressourcerie.ts';
import { checkChoice, offeredModifiers, type ChosenModifier } from '../catalog/modifiers.ts';
import type { ProductView } from '../../shared/api/catalog.ts';
import { sendCounterDishes } from '../restaurant/counter.ts';
import { withOptions } from '../../shared/text.ts';

export interface SaleContext {
  cashierId: number;
  /** Managers give any discount; other staff need a manager's approval above the shop's limit. */
  cashierRole: string;
  tillId: number;
  /** The paired tablet that sent it. */
  deviceId: number | null;
  now: Date;
  timeZone: string;
}

/** How far ahead of the server's clock a till's clock may be. Offline tickets may be old, never from the future. */
const MAX_CLOCK_SKEW_MS = 10 * 60_000;

/**
 * A ticket id already recorded: the same body again is a replay (a till's outbox retrying) and gets the
 * stored ticket back; another body under that id is a conflict. Null when the id is new.
 */
export async function replayOf(db: Db, id: string, bodyHash: string): Promise<SaleView | null> {
  const [existing] = await rawRows<{ body_hash: string }>(db, 'select "body_hash" from "sales" where "id" = ?', [id]);
  if (!existing) return null;
  if (existing.body_hash !== bodyHash) throw new Conflict('Ce ticket (même identifiant) a déjà été reçu avec un contenu différent.', 'id');
  return getSale(db, id);
}

/** The till a ticket is rung on, refused when unknown or disabled. */
export async function activeTill(db: Db, tillId: number) {
  const [till] = await cachedRows<{ id: number; outlet_id: number; training_mode: 0 | 1; active: 0 | 1; site_id: number; kind: string }>(
    db,
    `select "tills"."id", "tills"."outlet_id", "tills"."training_mode", "tills"."active", "outlets"."site_id", "outlets"."kind"
     from "tills" inner join "outlets" on "outlets"."id" = "tills"."outlet_id" where "tills"."id" = ?`,
    [tillId],
  );
  if (!till || till.active !== 1) throw new Forbidden('Caisse inconnue ou désactivée.');
  return till;
}

/**
 * Records a ticket sent by a till: idempotent by its id, recomputed from its lines, chained on its till,
 * with its stock movements, all in one transaction. Returns `created: false` for a replay of the same body.
 */
export async function recordSale(
  db: Kysely<Database>,
  body: SaleBody,
  ctx: SaleContext,
  writes?: WriteQueue,
): Promise<{ created: boolean; sale: SaleView }> {
  if (body.tillId !== ctx.tillId) throw new Forbidden('Ce ticket vient d’une autre caisse que cette tablette.');
  const bodyHash = sha256Hex(canonicalJson(body));
  // PostgreSQL: what a ticket checks against the catalogue (its till, its day, its products and prices, its
  // total and payments) is read before the write lock, on a connection of its own, while other tickets
  // commit; several processes do it in parallel. The lock then covers only what depends on the order of
  // writes (replay, numbers and chain, open day, stock, one-off items, the fund's budget, approvals). A
  // restaurant order's part is checked under the lock whole: it reads the order it pays.
  if (writes && engineOf(db) === 'postgres' && !body.order) {
    const replay = await replayOf(db, body.id, bodyHash);
    if (replay) return { created: false, sale: replay };
    const early = await checkSale(db, body, ctx);
    return writes.run((trx) => recordSaleIn(trx, body, bodyHash, ctx, early));
  }
  const work = (trx: Trx) => recordSaleIn(trx, body, bodyHash, ctx);
  return writes ? writes.run(work) : db.transaction().execute(work);
}

/**
 * The part of `recordSale` made before the write lock, on the server's thread when the writer has a thread of
 * its own (server/sales/ticket-writer.ts): the body's hash, a replay, and (not for a restaurant bill's part,
 * which reads the order it pays under the lock) the checks against the catalogue, as on PostgreSQL.
 */
export async function prepareSale(
  db: Db,
  body: SaleBody,
  ctx: SaleContext,
): Promise<{ bodyHash: string; replay: true } | { bodyHash: string; replay: false; early: Checked | undefined }> {
  if (body.tillId !== ctx.tillId) throw new Forbidden('Ce ticket vient d’une autre caisse que cette tablette.');
  const bodyHash = sha256Hex(canonicalJson(body));
  // A ticket sent again is found by the writer, under its lock, as a new one would be: looking for it here
  // first cost every ticket a read of the sales the writer's connection has just written. It is looked for
  // here only when the checks refuse it: a ticket already recorded is answered as recorded (by the writer,
  // after its batch), whatever the catalogue or the day's closing say now; another body under its id, 409.
  if (body.order) return { bodyHash, replay: false, early: undefined };
  try {
    return { bodyHash, replay: false, early: await checkSale(db, body, ctx) };
  } catch (e) {
    if (await replayOf(db, body.id, bodyHash)) return { bodyHash, replay: true };
    throw e;
  }
}

/** A ticket already recorded, read under the write lock of `writes` (after the batch that wrote it, and its witness). */
export function replayIn(writes: WriteQueue, id: string, bodyHash: string): Promise<{ created: boolean; sale: SaleView }> {
  return writes.run(async (trx) => {
    const sale = await replayOf(trx, id, bodyHash);
    if (!sale) throw new NotFound('Ticket');
    return { created: false, sale };
  });
}

/** The rest of `recordSale`, under the write lock of `writes` (the writer's thread). */
export function recordPrepared(
  writes: WriteQueue,
  body: SaleBody,
  ctx: SaleContext,
  bodyHash: string,
  early: Checked | undefined,
): Promise<{ created: boolean; sale: SaleView }> {
  return writes.run((trx) => recordSaleIn(trx, body, bodyHash, ctx, early));
}

/**
 * A ticket (a sale or a refund) dated ahead of the server's clock by more than a tablet's clock may drift is
 * refused: it would be booked on a day to come, out of today's X, Z and drawer.
 */
export function refuseFutureTicket(createdAt: Date, now: Date): void {
  if (createdAt.getTime() > now.getTime() + MAX_CLOCK_SKEW_MS) {
    throw new Unprocessable('La date du ticket est dans le futur : vérifiez l’horloge de la tablette.', [
      { field: 'createdAt', reason: 'dans le futur' },
    ]);
  }
  // Nor from long ago: a ticket dated in year 0 was booked on a day « 1-01-01 » and put its counter out of
  // service (500 on every sale), one dated 1970 was on no Z and chose the commission rates of its day (found
  // by a security probe). A tablet offline for years hands it to a manager (refused tickets).
  if (createdAt.getTime() < now.getTime() - MAX_TICKET_AGE_MS) {
    throw new Unprocessable(
      'La date du ticket a plus de trois ans : vérifiez l’horloge de la tablette, ou confiez le ticket au journal (un responsable).',
      [{ field: 'createdAt', reason: 'plus de trois ans avant l’heure du serveur' }],
    );
  }
}

/** How old a ticket may be when it reaches the server: three years (absurd dates out, a past year's history in). */
export const MAX_TICKET_AGE_MS = 3 * 366 * 24 * 3_600_000;

/** What a ticket's checks against the catalogue found: its till, its lines priced, its payments settled. */
export type Checked = Awaited<ReturnType<typeof checkSale>>;

async function checkSale(db: Db, body: SaleBody, ctx: SaleContext) {
  const till = await activeTill(db, body.tillId);
  const createdAt = new Date(body.createdAt);
  refuseFutureTicket(createdAt, ctx.now);
  // A day left without its Z stops new sales 24 h after its end (judged by the ticket's own time).
  await refuseIfMissedZ(db, till.outlet_id, createdAt, ctx.now, ctx.timeZone);
  await checkTips(db, body.payments);
  await checkPaymentMethods(db, body.payments, createdAt, 'Ticket');
  if (body.order?.share) return { share: true as const, till, createdAt };
  const ids = [...new Set(body.lines.map((l) => l.productId))];
  // With each product, whether this counter sells it (a product's outlets): a coffee of the restaurant, a
  // pullover of the textile shop, a ressourcerie's object were rung at the shop's till (found by two
  // independent probes; the till shows its own outlet's only, the server did not check).
  const products = await cachedRows<
    ProductToPrice & {
      producer_id: number | null;
      stock_tracked: 0 | 1;
      category_id: number | null;
      /** Sold at this till's outlet (1 or true, by engine). */
      here: number | boolean;
      /** The station its category's dishes are prepared at, at this till's outlet (null: served from the counter). */
      station_id: number | null;
      course: string | null;
    }
  >(
    db,
    `select "id", "name", "producer_id", "unit", "plu", "price_cents", "vat_rate_bp", "takeaway_vat_rate_bp", "stock_tracked", "category_id", "course",
       (select "station_id" from "category_stations" where "category_id" = "products"."category_id" and "outlet_id" = ?) as "station_id",
       exists (select 1 from "product_outlets" where "product_id" = "products"."id" and "outlet_id" = ?) as "here"
     from "products" where "id" in (${marks(ids.length)})`,
    [till.outlet_id, till.outlet_id, ...ids],
  );
  const productOf = new Map(products.map((p) => [p.id, p]));
  const problems: { field: string; reason: string }[] = [];
  body.lines.forEach((l, i) => {
    const p = productOf.get(l.productId);
    if (!p) return problems.push({ field: `lines.${i}.productId`, reason: 'article inconnu' });
    if (!p.here) return problems.push({ field: `lines.${i}.productId`, reason: `« ${p.name} » ne se vend pas à ce comptoir` });
    if (p.unit === 'kg' && l.grams === undefined)
      problems.push({ field: `lines.${i}.grams`, reason: `« ${p.name} » se vend au poids : grams attendu` });
    if (p.unit === 'piece' && l.quantity === undefined)
      problems.push({ field: `lines.${i}.quantity`, reason: `« ${p.name} » se vend à la pièce : quantity attendu` });
    return undefined;
  });
  // A dish's options, checked as a table's order checks them (catalog/modifiers.ts): every option the dish's
  // own and active, every required group filled. A bill's line carries the options chosen at the table.
  const offered = body.order ? new Map<number, ProductView['modifiers']>() : await offeredModifiers(db, ids);
  const chosenOf: ChosenModifier[][] = body.lines.map((l, i) => {
    if (!productOf.has(l.productId)) return [];
    if (body.order) {
      if (l.modifiers?.length)
        problems.push({ field: `lines.${i}.modifiers`, reason: 'les options d’une ligne de commande sont celles choisies à table' });
      return [];
    }
    const checked = checkChoice(offered.get(l.productId) ?? [], l.modifiers ?? [], `lines.${i}.modifiers`);
    problems.push(...checked.problems);
    return checked.chosen;
  });
  if (problems.length) throw new Unprocessable('Ticket refusé : lignes invalides.', problems);

  // The VAT rate of each line: a restaurant order's part is sold at each order line's own rate (set by the
  // order being on site or to take away); anything else rung at the restaurant is served there (on site);
  // what the shop and the other counters sell is taken away (the product's take-away rate, if it has one).
  // (An order's part is checked under the lock only: recordSale never checks one early.)
  const ordered = body.order ? await checkOrderPart(db as Trx, body.order, body.lines, till) : null;
  const onSite = till.kind === 'restaurant';
  // Each line's price and rate against the catalogue in force when the till rang it (sales/prices.ts).
  const linePrices: LinePrice[] = await checkLinePrices(db, body.lines, productOf, createdAt, {
    ordered,
    onSite,
    siteId: till.site_id,
    supplementsCents: chosenOf.map((c) => c.reduce((sum, m) => sum + m.priceCents, 0)),
  });
  const rateOf = (i: number) => linePrices[i]!.vatRateBp;
  const toPrice = body.lines.map((l, i) => {
    const p = productOf.get(l.productId)!;
    return {
      unit: p.unit,
      quantity: (p.unit === 'kg' ? l.grams : l.quantity)!,
      unitPriceCents: l.unitPriceCents,
      discountCents: l.discountCents,
      vatRateBp: rateOf(i),
    };
  });
  let priced;
  try {
    priced = priceTicket(toPrice, body.discountCents);
  } catch (e) {
    if (e instanceof PricingError) throw new Unprocessable(`Ticket refusé : ${e.message}.`, [{ field: e.field, reason: e.message }]);
    throw e;
  }
  if (priced.total !== body.totalCents) {
    throw new Unprocessable(
      `Ticket refusé : le total ne correspond pas aux lignes (calculé ${priced.total} centimes, reçu ${body.totalCents}).`,
      [{ field: 'totalCents', reason: `attendu ${priced.total}` }],
    );
  }
  const settled = settle(priced.total, body.payments);
  if ('problem' in settled)
    throw new Unprocessable(`Ticket refusé : ${settled.problem}.`, [{ field: 'payments', reason: settled.problem }]);
  return { share: false as const, till, createdAt, productOf, ordered, chosenOf, linePrices, toPrice, priced, settled };
}

/** Under the write lock: `early`, the checks already made before it (PostgreSQL), else made here. */
async function recordSaleIn(
  trx: Trx,
  body: SaleBody,
  bodyHash: string,
  ctx: SaleContext,
  early?: Checked,
): Promise<{ created: boolean; sale: SaleView }> {
  {
    const replay = await replayOf(trx, body.id, bodyHash);
    if (replay) return { created: false, sale: replay };
    const checked = early ?? (await checkSale(trx, body, ctx));
    const { till, createdAt } = checked;
    if (checked.share) return { created: true, sale: await recordSharePart(trx, body, bodyHash, ctx, till, createdAt) };
    const { productOf, ordered, chosenOf, linePrices, toPrice, priced, settled } = checked;
    const { cashApprovedBy } = await checkPaymentRules(trx, {
      saleId: body.id,
      lines: body.lines.map((l, i) => ({ productId: l.productId, totalCents: priced.lines[i]!.total })),
      totalCents: priced.total,
      payments: settled.payments,
      changeCents: settled.change,
      createdAt,
      timeZone: ctx.timeZone,
      tillId: till.id,
      cashierId: ctx.cashierId,
      cashierRole: ctx.cashierRole,
      cashApproval: body.cashApproval,
      now: ctx.now,
    });

    // One-off items (the ressourcerie's): each sells once, one piece.
    const reuse = await checkReuseItems(
      trx,
      body.lines.map((l) => ({ productId: l.productId, quantity: l.quantity, refund: false })),
      createdAt,
    );
    // Solidarity prices: the household's card, the fund's exact share, its allowance and the fund's budget.
    const solidarity = await checkSolidarity(trx, {
      household: body.household,
      lines: body.lines.map((l, i) => ({ productId: l.productId, items: l.quantity ?? 1, totalCents: priced.lines[i]!.total })),
      payments: settled.payments,
      day: businessDay(createdAt, ctx.timeZone),
      // The allowance is counted by the month the ticket is booked in, as its use is stored.
      bookedOn: body.household ? await firstOpenDay(trx, till.outlet_id, businessDay(createdAt, ctx.timeZone)) : '',
      training: till.training_mode === 1,
      till: { kind: till.kind, siteId: till.site_id },
    });

    // Discounts beyond the limit need a manager: one at the till, or their signed approval.
    let approvedBy: number | null = null;
    const { cashierDiscountLimitBp: limit } = await tillOptions(trx);
    const over: { field: string; reason: string }[] = [];
    priced.lines.forEach((pl, i) => {
      if (beyondLimit(pl.lineDiscount, pl.gross, limit))
        over.push({ field: `lines.${i}.discountCents`, reason: `remise au-delà de ${limit / 100} % du prix de la ligne` });
    });
    if (beyondLimit(priced.discount, priced.subtotal, limit))
      over.push({ field: 'discountCents', reason: `remise au-delà de ${limit / 100} % du ticket` });
    // A manual price is measured, with the line's own discount, against the line at the catalogue price: a
    // cashier alone stays within the discount limit either way (a price raised as much as one lowered).
    const manualOver = new Set<number>();
    priced.lines.forEach((pl, i) => {
      const lp = linePrices[i]!;
      if (lp.source !== 'manual') return;
      if (beyondLimit(lp.catalogueGrossCents - (pl.gross - pl.lineDiscount), lp.catalogueGrossCents, limit)) {
        manualOver.add(i);
        over.push({ field: `lines.${i}.unitPriceCents`, reason: `prix manuel au-delà de ${limit / 100} % du prix du catalogue` });
      }
    });
    // What the customer is let off in all (line discounts, the ticket's, prices typed below the catalogue's),
    // against the ticket at the catalogue's prices: 10 % on a line and 10 % on the ticket are 19 %, more than
    // a cashier may give alone (found by an independent check).
    if (
      !over.length &&
      letOffBeyondLimit(
        priced,
        priced.lines.map((pl, i) => (linePrices[i]!.source === 'manual' ? linePrices[i]!.catalogueGrossCents : pl.gross)),
        limit,
      )
    )
      over.push({ field: 'discountCents', reason: `remises cumulées au-delà de ${limit / 100} % du ticket au prix du catalogue` });
    if (over.length) {
      if (ctx.cashierRole === 'manager' || ctx.cashierRole === 'admin') approvedBy = ctx.cashierId;
      else {
        approvedBy = await checkApproval(trx, body.discountApproval, till.id, createdAt, ctx.now, {
          purpose: 'discount',
          subject: `sale:${body.id}`,
          // Everything let off the catalogue's prices (shared/sales.ts): what the manager approved, at most.
          amountCents: deviationCents(
            priced,
            priced.lines.map((pl, i) => (linePrices[i]!.source === 'manual' ? linePrices[i]!.catalogueGrossCents : pl.gross)),
          ),
        });
        if (approvedBy === null) {
          throw new Unprocessable(
            manualOver.size && over.length === manualOver.size
              ? 'Ticket refusé : ce prix manuel doit être validé par un responsable (code PIN sur la caisse).'
              : 'Ticket refusé : cette remise doit être validée par un responsable (code PIN sur la caisse).',
            [
              ...over,
              {
                field: 'discountApproval',
                reason: body.discountApproval ? 'validation invalide ou expirée' : 'validation d’un responsable requise',
              },
            ],
          );
        }
      }
    }

    const lines = body.lines.map((l, i) => {
      const p = productOf.get(l.productId)!;
      const pl = priced.lines[i]!;
      return {
        lineNo: i + 1,
        productId: p.id,
        // With its options, as a table's bill names it: « Entrecôte (À point, Frites) ».
        name: ordered ? ordered[i]!.name : withOptions(p.name, chosenOf[i]!),
        producerId: p.producer_id,
        unit: p.unit,
        quantity: toPrice[i]!.quantity,
        unitPriceCents: l.unitPriceCents,
        grossCents: pl.gross,
        lineDiscountCents: pl.lineDiscount,
        ticketDiscountCents: pl.ticketDiscount,
        totalCents: pl.total,
        vatRateBp: toPrice[i]!.vatRateBp,
        note: l.note ?? null,
        refundOfLine: null,
        stockTracked: p.stock_tracked === 1,
        categoryId: p.category_id,
        restock: true,
        price: {
          source: linePrices[i]!.source,
          // Kept when the line is not at the catalogue's price: what it would have cost.
          cataloguePriceCents: linePrices[i]!.source === 'catalogue' ? null : linePrices[i]!.cataloguePriceCents,
          manualReason: linePrices[i]!.manualReason,
          approvedBy: manualOver.has(i) ? approvedBy : null,
        },
      };
    });
    const sale = await commitTicket(trx, {
      id: body.id,
      till,
      deviceId: ctx.deviceId,
      number: body.number,
      createdAt,
      cashierId: ctx.cashierId,
      kind: 'sale',
      refundOf: null,
      reason: null,
      approvedBy,
      lines,
      payments: settled.payments,
      subtotalCents: priced.subtotal,
      discountCents: priced.discount,
      totalCents: priced.total,
      changeCents: settled.change,
      bodyHash,
      now: ctx.now,
      timeZone: ctx.timeZone,
    });
    if (body.order) {
      await recordOrderPart(trx, sale.id, body.order, { userId: ctx.cashierId, tillId: till.id }, ctx.now);
      // Settling a bill moves its goods paid in shares too: the announcement reads what moved (as before).
      effects.delete(sale);
    }
    // The dishes of a counter sale go to their stations (restaurant/counter.ts); never a training ticket's, nor
    // what another counter sells: a bottle of beer rung at the shop went to the bar's printer (its category's
    // station is the bar's; found by a newcomer's walk).
    const sentToKitchen =
      !body.order && !sale.training && till.kind === 'restaurant'
        ? await sendCounterDishes(trx, {
            sale,
            outletId: till.outlet_id,
            items: body.lines.flatMap((l, i) => {
              const p = productOf.get(l.productId)!;
              if (p.station_id === null) return [];
              return [
                {
                  lineNo: i + 1,
                  stationId: p.station_id,
                  name: p.name,
                  quantity: toPrice[i]!.quantity,
                  modifiers: chosenOf[i]!.map((m) => m.name),
                  note: l.note ?? null,
                  course: p.course,
                },
              ];
            }),
            cashierId: ctx.cashierId,
            now: ctx.now,
          })
        : 0;
    if (solidarity) await linkSolidaritySale(trx, sale.id, solidarity);
    await markReuseItemsSold(trx, sale.id, reuse, ctx.now);
    // (A bill's part kept no effects: its announcement reads the one-off items sold.)
    const done = effects.get(sale);
    if (done && reuse.length) done.oneOffs = true;
    if (done && sentToKitchen) done.kitchen = true;
    for (const l of lines) {
      if (l.price.source !== 'manual') continue;
      await recordEvent(trx, {
        kind: 'sale.manual_price',
        userId: ctx.cashierId,
        subject: `sale:${sale.id}`,
        data: {
          saleId: sale.id,
          tillId: till.id,
          number: sale.number,
          lineNo: l.lineNo,
          productId: l.productId,
          name: l.name,
          cataloguePriceCents: l.price.cataloguePriceCents,
          priceCents: l.unitPriceCents,
          reason: l.price.manualReason,
          approvedBy: l.price.approvedBy,
          training: sale.training,
        },
        at: ctx.now.toISOString(),
      });
    }
    await recordCashApproval(trx, sale, cashApprovedBy, ctx);
    return { created: true, sale };
  }
}

/** Tips: only on a card payment, and only when the shop takes them (till options); refused naming the payment. */
async function checkTips(trx: Db, payments: SaleBody['payments']): Promise<void> {
  if (!payments.some((p) => p.tipCents !== undefined)) return;
  const { tipsOnCard } = await tillOptions(trx);
  const problems: { field: string; reason: string }[] = [];
  payments.forEach((p, i) => {
    if (p.tipCents === undefined) return;
    if (!tipsOnCard) problems.push({ field: `payments.${i}.tipCents`, reason: 'pourboires non activés (réglages des caisses)' });
    else if (p.method !== 'card')
      problems.push({ field: `payments.${i}.tipCents`, reason: 'pourboire seulement sur un paiement par carte' });
    else if (p.amountCents < 0) problems.push({ field: `payments.${i}.tipCents`, reason: 'pas de pourboire sur un remboursement' });
  });
  if (problems.length) throw new Unprocessable('Ticket refusé : pourboire impossible.', problems);
}

/**
 * A share of a restaurant bill (N equal parts, or a custom amount of what is left): its lines and VAT are
 * the order's (restaurant/payments.ts), the till's `totalCents` must be the part's amount. A ticket like any
 * other on the till's chain, without discount.
 */
async function recordSharePart(
  trx: Trx,
  body: SaleBody,
  bodyHash: string,
  ctx: SaleContext,
  till: Awaited<ReturnType<typeof activeTill>>,
  createdAt: Date,
): Promise<SaleView> {
  const order = body.order!;
  // Solidarity prices apply to a ticket's lines (a share of a bill has none of its own): not on a share.
  const fund = body.payments.findIndex((p) => p.method === 'solidarity');
  if (body.household || fund >= 0)
    throw new Unprocessable('Le tarif solidaire ne s’applique pas à une part d’addition : encaissez l’addition par article.', [
      { field: fund >= 0 ? `payments.${fund}.method` : 'household', reason: 'pas de tarif solidaire sur une part' },
    ]);
  if (body.discountCents !== 0)
    throw new Unprocessable('Une part de l’addition ne porte pas de remise : remisez les lignes de la commande.', [
      { field: 'discountCents', reason: 'pas de remise sur une part' },
    ]);
  const part: SharePart = await planSharePart(trx, order.id, order.share!, till);
  if (part.amountCents !== body.totalCents)
    throw new Unprocessable(`Ticket refusé : cette part est de ${part.amountCents} centimes, le ticket en annonce ${body.totalCents}.`, [
      { field: 'totalCents', reason: `attendu ${part.amountCents}` },
    ]);
  const settled = settle(part.amountCents, body.payments);
  if ('problem' in settled)
    throw new Unprocessable(`Ticket refusé : ${settled.problem}.`, [{ field: 'payments', reason: settled.problem }]);
  const { cashApprovedBy } = await checkPaymentRules(trx, {
    saleId: body.id,
    lines: part.lines,
    totalCents: part.amountCents,
    payments: settled.payments,
    changeCents: settled.change,
    createdAt,
    timeZone: ctx.timeZone,
    tillId: till.id,
    cashierId: ctx.cashierId,
    cashierRole: ctx.cashierRole,
    cashApproval: body.cashApproval,
    now: ctx.now,
  });
  const sale = await commitTicket(trx, {
    id: body.id,
    till,
    deviceId: ctx.deviceId,
    number: body.number,
    createdAt,
    cashierId: ctx.cashierId,
    kind: 'sale',
    refundOf: null,
    reason: null,
    approvedBy: null,
    lines: part.lines,
    vat: part.vat,
    payments: settled.payments,
    subtotalCents: part.amountCents,
    discountCents: 0,
    totalCents: part.amountCents,
    changeCents: settled.change,
    bodyHash,
    now: ctx.now,
    timeZone: ctx.timeZone,
  });
  await recordOrderPart(trx, sale.id, order, { userId: ctx.cashierId, tillId: till.id }, ctx.now, part);
  // The last share moves the bill's goods: the announcement reads what moved (as before).
  effects.delete(sale);
  await recordCashApproval(trx, sale, cashApprovedBy, ctx);
  return sale;
}

/** A cash payment above the threshold a manager confirmed: who, for which ticket (the event log). */
async function recordCashApproval(trx: Trx, sale: SaleView, approvedBy: number | null, ctx: SaleContext): Promise<void> {
  if (approvedBy === null) return;
  await recordEvent(trx, {
    kind: 'sale.cash_approved',
    userId: approvedBy,
    subject: `sale:${sale.id}`,
    data: {
      tillId: sale.tillId,
      number: sale.number,
      cashierId: ctx.cashierId,
      cashCents: sale.payments.filter((p) => p.method === 'cash').reduce((s, p) => s + p.amountCents, 0) - sale.changeCents,
    },
    at: ctx.now.toISOString(),
  });
}

/** A line as it is chained (the record's fields), with what only the write needs. */
export type TicketLineToCommit = TicketRecord['lines'][number] & {
  unit: 'piece' | 'kg';
  note: string | null;
  refundOfLine: number | null;
  stockTracked: boolean;
  /**
   * The product's category when sold (a refund: the refunded line's): what its commission and a solidarity
   * share go by. Left out (a share of a bill, an object of the ressourcerie): the product's, read at the commit.
   */
  categoryId?: number | null;
  /** For refunds: the goods go back on the shelf (true) or are written off as a loss (false). */
  restock: boolean;
  /** Where the price came from (sales/prices.ts); absent on refunds and shares of a bill. */
  price?: { source: PriceSource; cataloguePriceCents: number | null; manualReason: string | null; approvedBy: number | null };
};

export interface TicketToCommit {
  id: string;
  /** `site_id`: where its goods leave the shelves (server/sites). */
  till: { id: number; outlet_id: number; training_mode: 0 | 1; site_id: number };
  /** The tablet that numbered it: a number another tablet of the till already used is not a conflict. */
  deviceId: number | null;
  number: number;
  createdAt: Date;
  cashierId: number;
  kind: 'sale' | 'refund';
  refundOf: string | null;
  reason: string | null;
  approvedBy: number | null;
  lines: TicketLineToCommit[];
  /** VAT rows worked out elsewhere (a share of a bill: shared/split.ts); by default per rate on the lines. */
  vat?: readonly VatRow[];
  payments: readonly { method: string; amountCents: number; tipCents?: number | undefined; excessCents?: number | undefined }[];
  subtotalCents: number;
  discountCents: number;
  totalCents: number;
  changeCents: number;
  bodyHash: string;
  now: Date;
  timeZone: string;
}

const SALE_COLUMNS = [
  'id',
  'till_id',
  'training',
  'number',
  'chain_seq',
  'outlet_id',
  'cashier_id',
  'kind',
  'refund_of',
  'reason',
  'approved_by',
  'created_at',
  'received_at',
  'business_day',
  'late',
  'subtotal_cents',
  'discount_cents',
  'total_cents',
  'change_cents',
  'gap_before',
  'body_hash',
  'receipt_token',
  'till_grand_total_cents',
  'prev_hash',
  'hash',
  'device_id',
  'proposed_number',
  'chain_version',
  'software_version',
] as const;
const LINE_COLUMNS = [
  'sale_id',
  'line_no',
  'product_id',
  'name',
  'producer_id',
  'unit',
  'quantity',
  'unit_price_cents',
  'gross_cents',
  'line_discount_cents',
  'ticket_discount_cents',
  'total_cents',
  'vat_rate_bp',
  'note',
  'refund_of_line',
  'price_source',
  'catalogue_price_cents',
  'manual_price_reason',
  'price_approved_by',
  'business_day',
  'training',
  'kind',
  'outlet_id',
  'category_id',
] as const;
const PAYMENT_COLUMNS = ['sale_id', 'seq', 'method', 'amount_cents', 'tip_cents', 'excess_cents'] as const;
const VAT_COLUMNS = ['sale_id', 'vat_rate_bp', 'gross_cents', 'net_cents', 'vat_cents'] as const;

/**
 * Chains a priced ticket on its till and writes it with its lines, payments, VAT rows and stock movements.
 * Call inside the transaction that checked it.
 */
export async function commitTicket(trx: Trx, t: TicketToCommit): Promise<SaleView> {
  const training = t.till.training_mode;
  const stockMoved: number[] = [];
  const [last] = await rawRows<{ chain_seq: number; hash: string; till_grand_total_cents: number }>(
    trx,
    'select "chain_seq", "hash", "till_grand_total_cents" from "sales" where "till_id" = ? and "training" = ? order by "chain_seq" desc limit 1',
    [t.till.id, training],
  );
  const [numbers] = await rawRows<{ highest: number | null }>(
    trx,
    'select max("number") as "highest" from "sales" where "till_id" = ? and "training" = ?',
    [t.till.id, training],
  );
  const highest = Number(numbers?.highest ?? 0);
  // Two tablets on one till (a replaced tablet delivering what it sold offline, or the minutes before it
  // learns it was replaced) can give the same number. The ticket is money taken: it is never refused for
  // that. It takes the till's next number and keeps the tablet's own as `proposed_number`. The same tablet
  // giving a number twice is a real conflict (409), refused by the unique index below.
  let number = t.number;
  let proposedNumber: number | null = null;
  if (t.deviceId !== null && t.number <= highest) {
    const [taken] = await rawRows<{ device_id: number | null }>(
      trx,
      'select "device_id" from "sales" where "till_id" = ? and "training" = ? and "number" = ?',
      [t.till.id, training, t.number],
    );
    if (taken && taken.device_id !== t.deviceId) {
      proposedNumber = t.number;
      number = highest + 1;
    }
  }
  // A number far beyond the till's highest is refused, not recorded as a gap: every later ticket of the till
  // would be numbered after it. Read here, under the writer's lock, where the highest is the one it is chained on.
  const ceiling = Math.min(highest + MAX_NUMBER_AHEAD, MAX_TICKET_NUMBER);
  if (number > ceiling) {
    const fr = (n: number) => n.toLocaleString('fr-FR');
    throw new Unprocessable(
      `Ticket refusé : le numéro ${fr(t.number)} est trop loin du dernier numéro de cette caisse (${fr(highest)}). Vérifiez le compteur de la tablette.`,
      [{ field: 'number', reason: `au plus ${fr(ceiling)} (dernier numéro reçu de cette caisse : ${fr(highest)})` }],
    );
  }
  const gapBefore = number > highest + 1;
  const chainSeq = (last?.chain_seq ?? 0) + 1;
  const prevHash = last?.hash ?? GENESIS_HASH;
  // A day once closed takes no more tickets: one sold then (offline, say) is booked on the next open day.
  const soldOn = businessDay(t.createdAt, t.timeZone);
  const day = await firstOpenDay(trx, t.till.outlet_id, soldOn);
  const vat = t.vat ?? vatBreakdown(t.lines.map((l) => ({ gross: l.totalCents as Cents, vatRate: l.vatRateBp as BasisPoints })));
  // A line that does not say its category (a share of a bill, an object of the ressourcerie): its product's.
  const unknown = [...new Set(t.lines.filter((l) => l.categoryId === undefined).map((l) => l.productId))];
  const categoryOf = new Map(
    unknown.length
      ? (
          await rawRows<{ id: number; category_id: number | null }>(
            trx,
            `select "id", "category_id" from "products" where "id" in (${marks(unknown.length)})`,
            unknown,
          )
        ).map((p) => [p.id, p.category_id])
      : [],
  );
  // The rows as they will be stored; the hashed record is made from them by the same mapping verify uses.
  const lineRows = t.lines.map((l) => ({
    line_no: l.lineNo,
    product_id: l.productId,
    name: l.name,
    producer_id: l.producerId,
    unit: l.unit,
    quantity: l.quantity,
    unit_price_cents: l.unitPriceCents,
    gross_cents: l.grossCents,
    line_discount_cents: l.lineDiscountCents,
    ticket_discount_cents: l.ticketDiscountCents,
    total_cents: l.totalCents,
    vat_rate_bp: l.vatRateBp,
    note: l.note,
    refund_of_line: l.refundOfLine,
    price_source: l.price?.source ?? null,
    catalogue_price_cents: l.price?.cataloguePriceCents ?? null,
    manual_price_reason: l.price?.manualReason ?? null,
    price_approved_by: l.price?.approvedBy ?? null,
    category_id: l.categoryId !== undefined ? l.categoryId : (categoryOf.get(l.productId) ?? null),
  }));
  const vatRows = vat.map((v) => ({ vat_rate_bp: v.vatRate, gross_cents: v.gross, net_cents: v.net, vat_cents: v.vat }));
  const paymentRows = t.payments.map((p) => ({
    method: p.method,
    amount_cents: p.amountCents,
    tip_cents: p.tipCents ?? 0,
    excess_cents: p.excessCents ?? 0,
  }));
  const base = {
    id: t.id,
    till_id: t.till.id,
    training,
    number,
    chain_seq: chainSeq,
    outlet_id: t.till.outlet_id,
    cashier_id: t.cashierId,
    kind: t.kind,
    refund_of: t.refundOf,
    reason: t.reason,
    approved_by: t.approvedBy,
    created_at: t.createdAt.toISOString(),
    received_at: t.now.toISOString(),
    business_day: day,
    late: day === soldOn ? (0 as const) : (1 as const),
    subtotal_cents: t.subtotalCents,
    discount_cents: t.discountCents,
    total_cents: t.totalCents,
    change_cents: t.changeCents,
    gap_before: gapBefore ? (1 as const) : (0 as const),
    body_hash: t.bodyHash,
    receipt_token: randomCode(18),
    till_grand_total_cents: (last?.till_grand_total_cents ?? 0) + t.totalCents,
    device_id: t.deviceId,
    proposed_number: proposedNumber,
    chain_version: CHAIN_VERSION,
    software_version: version,
  };
  const record = ticketRecord(base, lineRows, vatRows, paymentRows);
  const copied = { business_day: day, training, kind: t.kind, outlet_id: t.till.outlet_id };
  const row = { ...base, prev_hash: prevHash, hash: ticketHash(prevHash, record) };
  try {
    await rawRun(
      trx,
      insertSql('sales', SALE_COLUMNS, 1),
      SALE_COLUMNS.map((c) => row[c]),
    );
  } catch (e) {
    // The first write of the ticket: refused as a whole, nothing of it is stored.
    if (isUniqueViolation(e, /sales\.number|sales_till_number/)) {
      throw new Conflict(`Le numéro ${t.number} de cette caisse est déjà celui d’un autre ticket.`, 'number');
    }
    throw e;
  }
  await rawRun(
    trx,
    insertSql('sale_lines', LINE_COLUMNS, lineRows.length),
    // Each line carries its ticket's day, training flag, kind and outlet (migration 033): a producer's lines
    // are found by day with them.
    lineRows.flatMap((l) =>
      LINE_COLUMNS.map((c) => (c === 'sale_id' ? record.id : c in copied ? copied[c as keyof typeof copied] : l[c as keyof typeof l])),
    ),
  );
  // A ticket of 0,00 € has no payment (and may have no VAT row): nothing to insert then.
  if (record.payments.length)
    await rawRun(
      trx,
      insertSql('sale_payments', PAYMENT_COLUMNS, record.payments.length),
      record.payments.flatMap((p, i) => [record.id, i + 1, p.method, p.amountCents, p.tipCents ?? 0, p.excessCents ?? 0]),
    );
  if (record.vat.length)
    await rawRun(
      trx,
      insertSql('sale_vat', VAT_COLUMNS, record.vat.length),
      record.vat.flatMap((v) => [record.id, v.vatRateBp, v.grossCents, v.netCents, v.vatCents]),
    );
  // Training tickets never touch the real shelves. A sale takes goods off (quantity is positive on a sale,
  // negative on a refund, so the movement is its opposite); a refund not put back is written off.
  if (training === 0) {
    const moves: MovementInput[] = [];
    for (const l of t.lines) {
      if (!l.stockTracked) continue;
      moves.push({ productId: l.productId, siteId: t.till.site_id, kind: t.kind, quantity: -l.quantity, saleId: record.id });
      if (t.kind === 'refund' && !l.restock)
        moves.push({
          productId: l.productId,
          siteId: t.till.site_id,
          kind: 'loss',
          quantity: l.quantity,
          saleId: record.id,
          note: 'remboursé, non remis en rayon',
        });
    }
    // The dishes sold take their recipes' ingredients off the shelves, paid to their producers. A refund of a
    // dish gives nothing back: the ingredients were cooked (and the producer stays paid for them).
    if (t.kind === 'sale')
      moves.push(
        ...(await kitchenUseOfSale(trx, { id: record.id, number, tillId: t.till.id, siteId: t.till.site_id, at: t.now, lines: t.lines })),
      );
    if (moves.length) await recordMovements(trx, moves, t.cashierId, t.now);
    stockMoved.push(...new Set(moves.map((m) => m.productId)));
  }
  if (proposedNumber !== null) {
    await recordEvent(trx, {
      kind: 'till.ticket_renumbered',
      userId: t.cashierId,
      subject: `till:${t.till.id}`,
      data: { saleId: record.id, deviceId: t.deviceId, proposed: proposedNumber, number, training: training === 1 },
      at: t.now.toISOString(),
    });
  }
  if (gapBefore) {
    await recordEvent(trx, {
      kind: 'journal.gap',
      userId: t.cashierId,
      subject: `till:${t.till.id}`,
      data: { received: t.number, highestBefore: highest, training: training === 1 },
      at: t.now.toISOString(),
    });
  }
  const view = saleView({ row, record });
  effects.set(view, { stockMoved, oneOffs: false, kitchen: false });
  return view;
}

/**
 * What a ticket's commit did beyond its rows, for what is announced after it (server/sales/routes.ts) without
 * reading it back: the products whose stock moved (its lines' and its dishes' ingredients), and whether it
 * sold one-off items, or sent dishes to the kitchen (a counter sale). Kept with the view the commit returned, for as long as that view lives. Not kept for a
 * restaurant bill's part (it may move the bill's goods paid in shares): the announcement then reads.
 */
export interface CommitEffects {
  stockMoved: number[];
  oneOffs: boolean;
  kitchen: boolean;
}
const effects = new WeakMap<SaleView, CommitEffects>();
export function commitEffects(sale: SaleView): Readonly<CommitEffects> | undefined {
  return effects.get(sale);
}
/** The same, for a ticket recorded on the writer's thread (server/sales/ticket-writer.ts): its copy here. */
export function rememberEffects(sale: SaleView, said: CommitEffects): void {
  effects.set(sale, said);
}

/** The first business day on or after `day` with no closing for this outlet. */
/**
 * The day a ticket (or a drawer movement) sold on `day` is booked on: that day, unless the outlet's books are
 * closed there. Closed means up to the outlet's last day closing (Z) or the end of its last month closing:
 * whatever is sold before it (offline, or with a till's clock gone back) is booked on the day after it, late,
 * never inside a closed period. A day left without its Z before a later one (a Sunday the shop was shut)
 * takes nothing either: no Z will ever sum it.
 */
export async function firstOpenDay(db: Db, outletId: number, day: string): Promise<string> {
  const [last] = await cachedRows<{ day: string | null; month: string | null }>(
    db,
    'select (select max("period") from "closings" where "outlet_id" = ? and "kind" = \'day\') as "day", (select max("period") from "closings" where "outlet_id" = ? and "kind" = \'month\') as "month"',
    [outletId, outletId],
  );
  let open = day;
  if (last?.day && last.day >= open) open = nextDay(last.day);
  const monthEnd = last?.month ? lastDayOfMonth(last.month) : null;
  if (monthEnd && monthEnd >= open) open = nextDay(monthEnd);
  return open;
}

/** `2026-02` → `2026-02-28`. */
function lastDayOfMonth(month: string): string {
  const t = new Date(`${month}-01T12:00:00Z`);
  t.setUTCMonth(t.getUTCMonth() + 1, 0);
  return t.toISOString().slice(0, 10);
}

export function nextDay(day: string): string {
  const t = new Date(`${day}T12:00:00Z`);
  t.setUTCDate(t.getUTCDate() + 1);
  return t.toISOString().slice(0, 10);
}
