/**
 * The demo restaurant: a salle of 12 tables and a terrasse of 6, a kitchen and a bar (each a station with a
 * file printer), the dishes sent in their course, a till per waiter's phone, and two tables open at start,
 * made through the same code as a waiter's phone (`applyOp`).
 */
import type { Kysely } from 'kysely';
import type { CourseCode, Database, Trx } from '../../db/schema.ts';
import type { ProductModifiersBody } from '../../shared/api/modifiers.ts';
import { applyOp } from '../restaurant/orders.ts';
import { createProduct } from '../catalog/products.ts';
import { replaceModifiers } from '../catalog/modifiers.ts';
import { uuidv7 } from '../../shared/uuid.ts';

const COURSE_OF: Record<string, CourseCode> = {
  planches: 'starter',
  plats: 'main',
  desserts: 'dessert',
  boissons: 'drink',
  'boissons-chaudes': 'drink',
  'bieres-vins': 'drink',
  bar: 'drink',
};
const STATION_OF: Record<string, 'Cuisine' | 'Bar'> = {
  planches: 'Cuisine',
  plats: 'Cuisine',
  desserts: 'Cuisine',
  boissons: 'Bar',
  'boissons-chaudes': 'Bar',
  'bieres-vins': 'Bar',
  bar: 'Bar',
};

export async function createDemoFloor(db: Kysely<Database>, now: Date): Promise<void> {
  const at = now.toISOString();
  const restaurant = await db.selectFrom('outlets').select('id').where('code', '=', 'restaurant').executeTakeFirstOrThrow();
  await db.transaction().execute(async (trx) => {
    await trx
      .insertInto('tills')
      .values([
        { outlet_id: restaurant.id, name: 'Salle 1', created_at: at },
        { outlet_id: restaurant.id, name: 'Salle 2', created_at: at },
        // The kitchen's wall screen: paired like a phone, nobody logs in on it.
        { outlet_id: restaurant.id, name: 'Écran cuisine', created_at: at },
      ])
      .execute();
    const station = new Map<string, number>();
    for (const name of ['Cuisine', 'Bar'] as const) {
      const printer = await trx
        .insertInto('printers')
        .values({
          name,
          outlet_id: restaurant.id,
          role: 'kitchen',
          uri: `file:prints/${name.toLowerCase()}`,
          columns: 48,
          code_page: 'pc858',
          created_at: at,
          updated_at: at,
        })
        .returning('id')
        .executeTakeFirstOrThrow();
      const row = await trx
        .insertInto('stations')
        .values({ outlet_id: restaurant.id, name, printer_id: printer.id })
        .returning('id')
        .executeTakeFirstOrThrow();
      station.set(name, row.id);
    }
    for (const [slug, course] of Object.entries(COURSE_OF)) {
      const category = await trx.selectFrom('categories').select('id').where('slug', '=', slug).executeTakeFirst();
      if (!category) continue;
      await trx
        .insertInto('category_stations')
        .values({ category_id: category.id, outlet_id: restaurant.id, station_id: station.get(STATION_OF[slug]!)! })
        .execute();
      await trx.updateTable('products').set({ course }).where('category_id', '=', category.id).execute();
    }
    await createDemoModifiers(trx, now);
    const salle = await trx
      .insertInto('rooms')
      .values({ outlet_id: restaurant.id, name: 'Salle', sort_order: 1 })
      .returning('id')
      .executeTakeFirstOrThrow();
    const terrasse = await trx
      .insertInto('rooms')
      .values({ outlet_id: restaurant.id, name: 'Terrasse', sort_order: 2 })
      .returning('id')
      .executeTakeFirstOrThrow();
    // The salle: three rows of four, round tables for two by the windows; the terrasse: a row of six.
    for (let i = 0; i < 12; i++) {
      const round = i % 4 === 0;
      await trx
        .insertInto('dining_tables')
        .values({
          room_id: salle.id,
          name: String(i + 1),
          seats: round ? 2 : 4,
          shape: round ? 'round' : 'square',
          x: 4 + (i % 4) * 24,
          y: 4 + Math.floor(i / 4) * 18,
          width: round ? 8 : 12,
          height: round ? 8 : 10,
        })
        .execute();
    }
    for (let i = 0; i < 6; i++) {
      await trx
        .insertInto('dining_tables')
        .values({ room_id: terrasse.id, name: `T${i + 1}`, seats: 4, shape: 'rect', x: 4 + i * 16, y: 20, width: 12, height: 8 })
        .execute();
    }
  });
}

/** Two tables open at start: table 3 ordered and sent, table T2 with its drinks being taken. */
export async function openDemoTables(db: Kysely<Database>, now: Date): Promise<void> {
  const restaurant = await db.selectFrom('outlets').select('id').where('code', '=', 'restaurant').executeTakeFirstOrThrow();
  const waiters = await db.selectFrom('users').select(['id', 'display_name']).where('role', '=', 'waiter').orderBy('id').execute();
  const tableId = async (name: string) =>
    (await db.selectFrom('dining_tables').select('id').where('name', '=', name).executeTakeFirstOrThrow()).id;
  const menu = await db
    .selectFrom('products')
    .innerJoin('product_outlets', 'product_outlets.product_id', 'products.id')
    .innerJoin('categories', 'categories.id', 'products.category_id')
    .innerJoin('category_stations as cs', (j) => j.onRef('cs.category_id', '=', 'categories.id').on('cs.outlet_id', '=', restaurant.id))
    .select(['products.id', 'products.name', 'categories.slug'])
    .where('product_outlets.outlet_id', '=', restaurant.id)
    .where('products.unit', '=', 'piece')
    .orderBy('products.id')
    .execute();
  const first = (slug: string) => menu.find((m) => m.slug === slug)?.id;
  const burger = menu.find((m) => m.name === BURGER)?.id;
  const burgerOptions = burger
    ? (
        await db
          .selectFrom('modifier_options')
          .innerJoin('modifier_groups', 'modifier_groups.id', 'modifier_options.group_id')
          .select(['modifier_options.id', 'modifier_options.name'])
          .where('modifier_groups.product_id', '=', burger)
          .execute()
      )
        .filter((o) => ['À point', 'Supplément fromage'].includes(o.name))
        .map((o) => o.id)
    : [];
  type Line = number | undefined | { productId: number | undefined; modifiers: number[] };
  const orders: { table: string; waiter: number; covers: number; lines: Line[]; send: boolean }[] = [
    {
      table: '3',
      waiter: 0,
      covers: 4,
      lines: [
        first('planches'),
        first('plats'),
        first('plats'),
        { productId: burger, modifiers: burgerOptions },
        first('bar') ?? first('boissons'),
      ],
      send: true,
    },
    {
      table: 'T2',
      waiter: 1,
      covers: 2,
      lines: [first('bieres-vins'), first('boissons-chaudes')],
      send: false,
    },
  ];
  for (const o of orders) {
    const waiter = waiters[o.waiter % Math.max(1, waiters.length)];
    if (!waiter) return;
    const actor = { userId: waiter.id, deviceId: null };
    const id = uuidv7();
    const minutesAgo = (m: number) => new Date(now.getTime() - m * 60_000);
    await applyOp(
      db,
      id,
      { id: uuidv7(), at: minutesAgo(25).toISOString(), kind: 'open', tableId: await tableId(o.table), covers: o.covers, mode: 'on_site' },
      actor,
      minutesAgo(25),
    );
    for (const line of o.lines) {
      const { productId, modifiers } = typeof line === 'object' ? line : { productId: line, modifiers: undefined };
      if (productId === undefined) continue;
      await applyOp(
        db,
        id,
        {
          id: uuidv7(),
          at: minutesAgo(22).toISOString(),
          kind: 'add',
          lineId: uuidv7(),
          productId,
          quantity: 1,
          ...(modifiers ? { modifiers } : {}),
        },
        actor,
        minutesAgo(22),
      );
    }
    if (o.send) await applyOp(db, id, { id: uuidv7(), at: minutesAgo(20).toISOString(), kind: 'send' }, actor, minutesAgo(20));
  }
}

const BURGER = 'Burger de bœuf Aubrac';

/**
 * The modifiers a waiter is asked for: the burger's cuisson (one, free) and its suppléments (a fromage at
 * 1,50 €), the croque's side and a gluten-free bread, the salad's dressing. The burger is a dish of its own.
 */
async function createDemoModifiers(trx: Trx, now: Date) {
  const manager = await trx.selectFrom('users').select('id').where('role', '=', 'manager').orderBy('id').executeTakeFirstOrThrow();
  const plats = await trx.selectFrom('categories').select('id').where('slug', '=', 'plats').executeTakeFirst();
  await createProduct(
    trx,
    {
      name: BURGER,
      producerId: null,
      categoryId: plats?.id ?? null,
      unit: 'piece',
      priceCents: 1450,
      vatRateBp: 1000,
      takeawayVatRateBp: null,
      plu: null,
      stockTracked: false,
      lowStockThreshold: null,
      outlets: ['restaurant'],
      barcodes: [],
      net: null,
      course: 'main',
      mealVoucherEligible: true,
    },
    manager.id,
    now,
  );
  const free = (...names: string[]) => names.map((name) => ({ name, priceCents: 0, active: true }));
  const menu: Record<string, ProductModifiersBody['groups']> = {
    [BURGER]: [
      { name: 'Cuisson', min: 1, max: 1, options: free('Saignant', 'À point', 'Bien cuit') },
      {
        name: 'Suppléments',
        min: 0,
        max: 3,
        options: [
          { name: 'Supplément fromage', priceCents: 150, active: true },
          { name: 'Lard de Lacaune', priceCents: 200, active: true },
          { name: 'Œuf au plat', priceCents: 100, active: true },
        ],
      },
      { name: 'Sans', min: 0, max: 2, options: free('Sans oignons', 'Sans sauce') },
    ],
    'Croque-monsieur au jambon de Lacaune': [
      { name: 'Accompagnement', min: 1, max: 1, options: free('Salade verte', 'Frites maison') },
      { name: 'Pain', min: 0, max: 1, options: [{ name: 'Pain sans gluten', priceCents: 100, active: true }] },
    ],
    'Salade au pérail chaud': [{ name: 'Sauce', min: 0, max: 1, options: free('Vinaigrette au miel', 'Huile de noix') }],
  };
  for (const [name, groups] of Object.entries(menu)) {
    const product = await trx.selectFrom('products').select('id').where('name', '=', name).executeTakeFirst();
    if (product) await replaceModifiers(trx, product.id, { groups }, manager.id, now);
  }
}
