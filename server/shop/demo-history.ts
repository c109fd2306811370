import { sql, type Kysely } from 'kysely';
import { priceTicket } from '../../shared/sales.ts';
import { businessDay } from '../../shared/time.ts';
import { isSundayOrHoliday } from '../../shared/payment-rules.ts';
import type { Database } from '../../db/schema.ts';
import { engineOf } from '../../db/engine.ts';
import { closeDay } from '../closing/closing.ts';
import { dayFigures } from '../closing/figures.ts';
import { drawerDays, recordCashMovement, ticketCash } from '../drawer/drawer.ts';
import { recordSale } from '../sales/record.ts';
import { recordRefund } from '../sales/refund.ts';
import { recordSlip } from '../stock/ledger.ts';
import { applyOp } from '../restaurant/orders.ts';
import type { OrderView } from '../../shared/api/restaurant.ts';

/** A seeded generator: the demo shop's history is the same on every machine. */
function prng(seed: number) {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export function uuidv7(at: number, random: () => number): string {
  const bytes = Buffer.alloc(16);
  bytes.writeUIntBE(at, 0, 6);
  for (let i = 6; i < 16; i++) bytes[i] = Math.floor(random() * 256);
  bytes[6] = (bytes[6]! & 0x0f) | 0x70;
  bytes[8] = (bytes[8]! & 0x3f) | 0x80;
  const h = bytes.toString('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}

/** UTC instant of a Paris wall-clock time on a given day (offset found by asking Intl, so DST is right). */
export function parisTime(day: string, hour: number, minute: number): Date {
  const guess = new Date(`${day}T${String(hour).padStart(2, '0')}:${String(minute).padStart(2, '0')}:00Z`);
  const shown = new Intl.DateTimeFormat('en-GB', { timeZone: 'Europe/Paris', hour: '2-digit', hourCycle: 'h23' }).format(guess);
  return new Date(guess.getTime() - (Number(shown) - hour) * 3600_000);
}

const DAYS = 28;
/** The last days of the history have table service: orders taken on the waiters' phones, sent, paid. */
const TABLE_SERVICE_DAYS = 7;

/**
 * Four weeks of a producers' shop and its café, recorded through the same code as real tickets: quiet
 * Mondays, busy Saturdays, closed Sundays, lunch at the café, weighed goods, split payments with meal
 * vouchers, a few refunds, weekly deposits by the producers, and a daily closing for every past day.
 */
/** What another counter does on a day of the history: its sales before the day's closings, its own Z after. */
export interface HistoryDayHook {
  beforeClosings(day: string): Promise<void>;
  afterClosings(day: string): Promise<void>;
}

export async function createDemoHistory(
  db: Kysely<Database>,
  now: Date,
  others: readonly HistoryDayHook[] = [],
): Promise<{ tickets: number; closings: number }> {
  const random = prng(20261122);
  const pick = <T>(xs: readonly T[]) => xs[Math.floor(random() * xs.length)]!;
  const users = await db.selectFrom('users').select(['id', 'role', 'display_name']).execute();
  const cashiers = users.filter((u) => u.role === 'cashier');
  const waiters = users.filter((u) => u.role === 'waiter');
  const manager = users.find((u) => u.role === 'manager')!;
  const tills = await db
    .selectFrom('tills')
    .innerJoin('outlets', 'outlets.id', 'tills.outlet_id')
    .select(['tills.id', 'outlets.code'])
    .execute();
  const shopTills = tills.filter((t) => t.code === 'shop').map((t) => t.id);
  const barTill = tills.find((t) => t.code === 'restaurant')!.id;
  const products = await db
    .selectFrom('products')
    .innerJoin('product_outlets', 'product_outlets.product_id', 'products.id')
    .innerJoin('outlets', 'outlets.id', 'product_outlets.outlet_id')
    .select([
      'products.id',
      'products.unit',
      'products.meal_voucher_eligible',
      'products.price_cents',
      'products.vat_rate_bp',
      'products.producer_id',
      'products.stock_tracked',
      'outlets.code',
    ])
    .execute();
  const shopProducts = products.filter((p) => p.code === 'shop');
  // The bar's till sells what is served at the counter (drinks, a snack); the dishes cooked in the kitchen are
  // the tables' (below): a dish sold at the bar would go to the kitchen, and the history's would all still be
  // waiting on its screen.
  const cooked = new Set(
    (
      await db
        .selectFrom('products')
        .innerJoin('category_stations as cs', 'cs.category_id', 'products.category_id')
        .select('products.id')
        .distinct()
        .execute()
    ).map((p) => p.id),
  );
  const choosing = new Set(
    (await db.selectFrom('modifier_groups').select('product_id').where('min_choices', '>', 0).execute()).map((g) => g.product_id),
  );
  const cafeProducts = products.filter((p) => p.code === 'restaurant' && !cooked.has(p.id) && !choosing.has(p.id));
  const deposited = await db
    .selectFrom('stock_movements')
    .innerJoin('products', 'products.id', 'stock_movements.product_id')
    .select(['stock_movements.product_id', 'stock_movements.quantity', 'products.producer_id'])
    .where('stock_movements.kind', '=', 'deposit')
    .execute();

  // What is on the shelves: a ticket sells only what is there (a cut to what is left, or another product),
  // a dish only while its ingredients are (as the till shows it unavailable), so no level goes below zero.
  const tracked = new Set((await db.selectFrom('products').select('id').where('stock_tracked', '=', 1).execute()).map((p) => p.id));
  const recipes = new Map<number, { ingredient: number; quantity: number }[]>();
  for (const r of await db.selectFrom('recipe_items').select(['dish_id', 'ingredient_id', 'quantity']).execute())
    recipes.set(r.dish_id, [...(recipes.get(r.dish_id) ?? []), { ingredient: r.ingredient_id, quantity: r.quantity }]);
  let levels = new Map<number, number>();
  const readLevels = async () => {
    levels = new Map(
      (await db.selectFrom('stock_levels').select(['product_id', 'on_hand']).where('site_id', '=', 1).execute()).map((l) => [
        l.product_id,
        l.on_hand,
      ]),
    );
  };
  /** How much of a product can be sold now (a dish: as many as its ingredients make). */
  const left = (id: number): number => {
    const recipe = recipes.get(id);
    if (recipe)
      return Math.min(
        ...recipe.map((r) => (tracked.has(r.ingredient) ? Math.floor((levels.get(r.ingredient) ?? 0) / r.quantity) : Infinity)),
      );
    return tracked.has(id) ? (levels.get(id) ?? 0) : Infinity;
  };
  /** Takes what is sold off the levels read that morning (its dishes' ingredients too). */
  const takeOff = (id: number, amount: number) => {
    for (const r of recipes.get(id) ?? []) levels.set(r.ingredient, (levels.get(r.ingredient) ?? 0) - r.quantity * amount);
    if (levels.has(id)) levels.set(id, levels.get(id)! - amount);
  };
  /** One of `xs` still available (a few tries, as a customer takes another when the first is gone), or none. */
  const pickAvailable = <T extends { id: number; unit?: string }>(xs: readonly T[]): T | null => {
    for (let tries = 0; tries < 5; tries++) {
      const x = pick(xs);
      if (left(x.id) >= (x.unit === 'kg' ? 100 : 1)) return x;
    }
    return null;
  };

  const numbers = new Map<number, number>();
  const sold: { id: string; tillId: number; day: string; lines: { unit: string; quantity: number }[] }[] = [];
  let tickets = 0;
  let closings = 0;
  const today = businessDay(now);
  const start = new Date(now.getTime() - DAYS * 86400_000);

  // Table service: the restaurant's tables, its waiters' tills (one per phone) and its menu (dishes that
  // ask for no option, so an order can be rung without choosing one).
  const diningTables = await db.selectFrom('dining_tables').select(['id']).where('active', '=', 1).orderBy('id').execute();
  const phones = await db.selectFrom('tills').select(['id', 'name']).where('name', 'in', ['Salle 1', 'Salle 2']).orderBy('id').execute();
  const needsChoice = new Set(
    (await db.selectFrom('modifier_groups').select('product_id').where('min_choices', '>', 0).execute()).map((g) => g.product_id),
  );
  const menu = await db
    .selectFrom('products')
    .innerJoin('product_outlets', 'product_outlets.product_id', 'products.id')
    .innerJoin('outlets', 'outlets.id', 'product_outlets.outlet_id')
    .innerJoin('category_stations as cs', (j) =>
      j.onRef('cs.category_id', '=', 'products.category_id').onRef('cs.outlet_id', '=', 'outlets.id'),
    )
    .select(['products.id', 'products.course'])
    .where('outlets.code', '=', 'restaurant')
    .where('products.unit', '=', 'piece')
    .where('products.active', '=', 1)
    .orderBy('products.id')
    .execute();
  const dishes = menu.filter((m) => !needsChoice.has(m.id) && m.course !== 'drink');
  const drinks = menu.filter((m) => !needsChoice.has(m.id) && m.course === 'drink');
  /** A lunch of table service through the waiters' code path: open, add, send, Suite, then the bill paid by tickets. */
  const tableService = async (day: string, weekday: number): Promise<number> => {
    if (!diningTables.length || !phones.length || !dishes.length || !waiters.length) return 0;
    let made = 0;
    const count = weekday === 6 ? 12 : weekday === 1 ? 4 : 7;
    for (let k = 0; k < count; k++) {
      const phone = phones[k % phones.length]!;
      const waiter = waiters[k % waiters.length]!;
      const actor = { userId: waiter.id, deviceId: null, tillId: phone.id };
      const orderId = uuidv7(parisTime(day, 12, 0).getTime() + k * 60_000, random);
      const at = (minute: number) => parisTime(day, 12 + Math.floor((k * 6 + minute) / 60), (k * 6 + minute) % 60);
      const op = async (minute: number, body: Record<string, unknown>) =>
        (
          await applyOp(
            db,
            orderId,
            { id: uuidv7(at(minute).getTime(), random), at: at(minute).toISOString(), ...body } as Parameters<typeof applyOp>[2],
            actor,
            at(minute),
          )
        ).order;
      const covers = 1 + Math.floor(random() * 4);
      await op(0, { kind: 'open', tableId: diningTables[k % diningTables.length]!.id, covers, mode: 'on_site' });
      for (let i = 0; i < covers; i++) {
        const drink = pickAvailable(drinks.length ? drinks : dishes);
        if (drink) {
          takeOff(drink.id, 1);
          await op(2, { kind: 'add', lineId: uuidv7(at(2).getTime(), random), productId: drink.id, quantity: 1 });
        }
        const dish = pickAvailable(dishes);
        if (dish) {
          takeOff(dish.id, 1);
          await op(3, { kind: 'add', lineId: uuidv7(at(3).getTime(), random), productId: dish.id, quantity: 1, seat: i + 1 });
        }
      }
      let order: OrderView = await op(5, { kind: 'send' });
      const waiting = order.lines.filter((l) => l.status === 'sent' && l.firedAt === null && l.course !== null);
      if (waiting.length) order = await op(25, { kind: 'fire', course: waiting[0]!.course });
      // The bill: by item in two tickets when the table is large, in one otherwise; card or cash.
      const lines = order.lines.filter((l) => l.status !== 'voided');
      const parts = covers >= 3 ? [lines.slice(0, Math.ceil(lines.length / 2)), lines.slice(Math.ceil(lines.length / 2))] : [lines];
      for (const [j, part] of parts.entries()) {
        const total = part.reduce((x, l) => x + l.totalCents, 0);
        const number = (numbers.get(phone.id) ?? 0) + 1;
        numbers.set(phone.id, number);
        const paidAt = at(55 + j);
        await recordSale(
          db,
          {
            id: uuidv7(paidAt.getTime(), random),
            tillId: phone.id,
            number,
            createdAt: paidAt.toISOString(),
            lines: part.map((l) => ({ productId: l.productId, quantity: l.quantity, unitPriceCents: l.unitPriceCents, discountCents: 0 })),
            discountCents: 0,
            payments: [{ method: random() < 0.7 ? 'card' : 'cash', amountCents: total }],
            totalCents: total,
            order: { id: orderId, lines: part.map((l) => ({ lineId: l.id, quantity: l.quantity })) },
          },
          {
            cashierId: waiter.id,
            cashierRole: waiter.role,
            tillId: phone.id,
            deviceId: null,
            now: new Date(paidAt.getTime() + 2000),
            timeZone: 'Europe/Paris',
          },
        );
        made++;
      }
    }
    return made;
  };

  /** Each producer tops their shelves back up to their first delivery. */
  const topUp = async (at: Date, note: string) => {
    await readLevels();
    const byProducer = new Map<number, { productId: number; quantity: number }[]>();
    for (const dep of deposited) {
      if (dep.producer_id === null) continue;
      const missing = dep.quantity - (levels.get(dep.product_id) ?? 0);
      if (missing > 0)
        byProducer.set(dep.producer_id, [...(byProducer.get(dep.producer_id) ?? []), { productId: dep.product_id, quantity: missing }]);
    }
    for (const [producerId, lines] of byProducer)
      await db.transaction().execute((trx) => recordSlip(trx, 'deposit', { producerId, lines, note }, manager.id, at, 1));
  };

  // Seeding only: one fsync per ticket would make the first start slow, and a demo can be recreated.
  const sqlite = engineOf(db) === 'sqlite';
  if (sqlite) await sql`pragma synchronous = OFF`.execute(db);
  try {
    for (let d = 0; d < DAYS; d++) {
      const day = businessDay(new Date(start.getTime() + d * 86400_000));
      if (day >= today) break;
      const weekday = new Date(`${day}T12:00:00Z`).getUTCDay(); // 0 Sunday … 6 Saturday
      if (weekday === 0) continue;
      // Tuesday morning: each producer tops their shelves back up to their first delivery.
      if (weekday === 2) await topUp(parisTime(day, 8, 30), 'Livraison du mardi');
      // The day's shelves, read once: each sale below takes its goods off them as it goes (`takeOff`).
      await readLevels();
      const shopCount =
        weekday === 6 ? 95 + Math.floor(random() * 30) : weekday === 1 ? 18 + Math.floor(random() * 8) : 38 + Math.floor(random() * 18);
      const cafeCount = weekday === 1 ? 8 : weekday === 6 ? 45 : 28 + Math.floor(random() * 10);
      const plan = [
        ...Array.from({ length: shopCount }, () => ({ outlet: 'shop' as const, minute: 9 * 60 + Math.floor(random() * 10 * 60) })),
        ...Array.from({ length: cafeCount }, () => ({
          outlet: 'restaurant' as const,
          minute: (random() < 0.7 ? 12 * 60 : 9 * 60) + Math.floor(random() * 150),
        })),
      ].sort((a, b) => a.minute - b.minute);

      for (const p of plan) {
        const createdAt = parisTime(day, Math.floor(p.minute / 60), p.minute % 60);
        const tillId = p.outlet === 'shop' ? pick(shopTills) : barTill;
        const cashier = p.outlet === 'shop' ? pick(cashiers) : pick(waiters.length ? waiters : cashiers);
        const catalogue = p.outlet === 'shop' ? shopProducts : cafeProducts;
        const lineCount = 1 + Math.floor(random() * (p.outlet === 'shop' ? 6 : 4));
        const chosen = new Map<number, (typeof catalogue)[number]>();
        for (let i = 0; i < lineCount; i++) {
          const prod = pickAvailable(catalogue);
          if (prod) chosen.set(prod.id, prod);
        }
        if (!chosen.size) continue;
        const lines = [...chosen.values()].map((prod) => {
          const line: { productId: number; grams?: number; quantity?: number; unitPriceCents: number } =
            prod.unit === 'kg'
              ? { productId: prod.id, grams: Math.min(150 + Math.floor(random() * 1200), left(prod.id)), unitPriceCents: prod.price_cents }
              : {
                  productId: prod.id,
                  quantity: Math.min(1 + (random() < 0.25 ? 1 + Math.floor(random() * 2) : 0), left(prod.id)),
                  unitPriceCents: prod.price_cents,
                };
          takeOff(prod.id, line.grams ?? line.quantity ?? 0);
          return line;
        });
        const wantsDiscount = p.outlet === 'shop' && random() < 0.04;
        const toPrice = lines.map((l, i) => {
          const prod = [...chosen.values()][i]!;
          return {
            unit: prod.unit,
            quantity: 'grams' in l ? l.grams! : l.quantity!,
            unitPriceCents: l.unitPriceCents,
            discountCents: 0,
            vatRateBp: prod.vat_rate_bp,
          };
        });
        // 1 € off, on tickets of 10 € or more: within what a cashier may give alone (10 %).
        const discountCents = wantsDiscount && priceTicket(toPrice, 0).subtotal >= 1000 ? 100 : 0;
        const priced = priceTicket(toPrice, discountCents);
        if (priced.total <= 0) continue;
        const total = priced.total;
        const r = random();
        let payments: { method: string; amountCents: number }[];
        // Meal vouchers only on the eligible dishes, up to 25 €, never on a public holiday (shared/payment-rules.ts).
        const eligible = [...chosen.values()].reduce((sum, prod, i) => sum + (prod.meal_voucher_eligible ? priced.lines[i]!.total : 0), 0);
        if (p.outlet === 'restaurant' && r < 0.3 && eligible > 900 && !isSundayOrHoliday(day)) {
          const voucher = Math.min(eligible, 2500, 900 + Math.floor(random() * 3) * 50);
          payments =
            voucher === total
              ? [{ method: 'meal_voucher', amountCents: voucher }]
              : [
                  { method: 'meal_voucher', amountCents: voucher },
                  { method: 'cash', amountCents: Math.ceil((total - voucher) / 100) * 100 },
                ];
        } else if (r < 0.62) {
          payments = [{ method: 'card', amountCents: total }];
        } else if (r < 0.66) {
          payments = [{ method: 'cheque', amountCents: total }];
        } else {
          // Cash, rounded up to the next note or coin the customer hands over.
          const note = [100, 200, 500, 1000, 2000, 5000].find((n) => n >= total) ?? Math.ceil(total / 1000) * 1000;
          payments = [{ method: 'cash', amountCents: random() < 0.4 ? total : note }];
        }
        const number = (numbers.get(tillId) ?? 0) + 1;
        numbers.set(tillId, number);
        const id = uuidv7(createdAt.getTime(), random);
        await recordSale(
          db,
          {
            id,
            tillId,
            number,
            createdAt: createdAt.toISOString(),
            lines: lines.map((l) => ({ ...l, discountCents: 0 })),
            discountCents,
            payments,
            totalCents: total,
          },
          {
            cashierId: cashier.id,
            cashierRole: cashier.role,
            tillId,
            deviceId: null,
            now: new Date(createdAt.getTime() + 2000),
            timeZone: 'Europe/Paris',
          },
        );
        tickets++;
        sold.push({
          id,
          tillId,
          day,
          lines: lines.map((l) => ({ unit: 'grams' in l ? 'kg' : 'piece', quantity: 'grams' in l ? l.grams! : l.quantity! })),
        });
      }
      if (d >= DAYS - TABLE_SERVICE_DAYS) tickets += await tableService(day, weekday);
      // About twice a week, a customer brings something back.
      if (random() < 0.3) {
        const original = pick(sold.filter((s) => s.day === day && shopTills.includes(s.tillId)));
        if (original) {
          const number = (numbers.get(original.tillId) ?? 0) + 1;
          numbers.set(original.tillId, number);
          const line = original.lines[0]!;
          const quantity = line.unit === 'kg' ? line.quantity : 1;
          const saleLine = await db
            .selectFrom('sale_lines')
            .select(['quantity', 'gross_cents', 'line_discount_cents', 'ticket_discount_cents'])
            .where('sale_id', '=', original.id)
            .where('line_no', '=', 1)
            .executeTakeFirstOrThrow();
          const part = (v: number) =>
            quantity === saleLine.quantity ? v : Math.floor((v * quantity * 2 + saleLine.quantity) / (2 * saleLine.quantity));
          const total = -(part(saleLine.gross_cents) - part(saleLine.line_discount_cents) - part(saleLine.ticket_discount_cents));
          const at = parisTime(day, 18, 30);
          await recordRefund(
            db,
            {
              id: uuidv7(at.getTime(), random),
              tillId: original.tillId,
              number,
              createdAt: at.toISOString(),
              refundOf: original.id,
              reason: pick(['Produit abîmé', 'Erreur de caisse', 'Date dépassée', 'Client mécontent']),
              lines: [
                line.unit === 'kg' ? { lineNo: 1, grams: quantity, restock: false } : { lineNo: 1, quantity, restock: random() < 0.5 },
              ],
              payments: [{ method: 'cash', amountCents: total }],
              totalCents: total,
            },
            {
              cashierId: manager.id,
              cashierRole: 'manager',
              tillId: original.tillId,
              deviceId: null,
              now: new Date(at.getTime() + 1000),
              timeZone: 'Europe/Paris',
            },
          );
          tickets++;
        }
      }
      for (const o of others) await o.beforeClosings(day);
      // Evening: the manager closes both outlets, counting the drawer (now and then a coin is missing). Each
      // till's drawer started the day with its float (counted at 8:30), which the Z expects back.
      for (const outlet of ['shop', 'restaurant'] as const) {
        const outletId = outlet === 'shop' ? 1 : 2;
        for (const tillId of outlet === 'shop' ? shopTills : [barTill]) {
          const at = parisTime(day, 8, 30);
          await recordCashMovement(
            db,
            { id: uuidv7(at.getTime(), random), kind: 'float', reason: 'float', amountCents: 15000, tillId, createdAt: at.toISOString() },
            { user: { id: manager.id, role: 'manager' }, tillId: null },
            at,
            'Europe/Paris',
          );
        }
        const figures = await dayFigures(db, outletId, { from: day, to: day });
        const expected = (await drawerDays(db, outletId, { from: day, to: day }))(day, ticketCash(figures)).expectedCents;
        const counted = expected + (random() < 0.15 ? pick([-200, -50, -10, 20, 100]) : 0);
        await closeDay(
          db,
          {
            outlet,
            day,
            cashCountedCents: Math.max(0, counted),
            ...(counted !== expected ? { note: 'Écart constaté au comptage' } : {}),
            // 19:45, the shop is shut: the manager confirms the day is over.
            confirmEarly: true,
          },
          manager.id,
          parisTime(day, 19, 45),
          'Europe/Paris',
        );
        closings++;
      }
      for (const o of others) await o.afterClosings(day);
    }
    // This morning's delivery (or a moment ago, before 8:30): whatever the weekday the demo is made on, the
    // shop opens on full shelves and the café's dishes have their ingredients.
    await topUp(new Date(Math.min(parisTime(today, 8, 30).getTime(), now.getTime() - 60_000)), 'Livraison du jour');
    // The past services' kitchen tickets came out of the printers and were served at the time.
    await db.updateTable('print_jobs').set({ status: 'done' }).where('kind', '=', 'kitchen').where('status', '=', 'queued').execute();
    await db.updateTable('kitchen_tickets').set({ state: 'served' }).execute();
  } finally {
    if (sqlite) await sql`pragma synchronous = FULL`.execute(db);
  }
  return { tickets, closings };
}
