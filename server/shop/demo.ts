import { createModel } from '../textile/models.ts';
import { demoRessourcerie } from './demo-ressourcerie.ts';
import { addFunder, contribute, createHousehold, setShares } from '../solidarity/solidarity.ts';
import { frenchIban, frenchVatNumber } from '../../shared/banking.ts';
import type { Kysely } from 'kysely';
import type { Database } from '../../db/schema.ts';
import { demoCategories, demoProducers, demoProducts, demoShop, demoStaff } from '../../db/seed/demo-data.ts';
import { hashSecret, pinCost } from '../auth/secrets.ts';
import { createCategory } from '../catalog/categories.ts';
import { createProducer } from '../catalog/producers.ts';
import { createProduct } from '../catalog/products.ts';
import { replaceRecipe } from '../catalog/recipes.ts';
import { recordSlip } from '../stock/ledger.ts';
import { createShopBase } from './setup.ts';
import { createDemoHistory } from './demo-history.ts';
import { createDemoFloor, openDemoTables } from './demo-floor.ts';
import { issueStatement, markStatementPaid, producersToSettle } from '../settlement/statements.ts';
import { businessDay } from '../../shared/time.ts';

export const DEMO_PASSWORD = 'comptoir';

/**
 * Producers' goods the café also serves at the table: 10 % there, as part of a meal (CGI art. 279 m), but
 * 5.5 % sold packaged to take away or on the shop's shelf (art. 278-0 bis A 1°). Their rate on site and to
 * take away; the shop sells them at the take-away rate.
 */
/**
 * Meal vouchers pay for food and soft drinks only (art. R3262-4 Code du travail): not beer, wine or cider,
 * not soap, scarves or flowers.
 */
const MEAL_VOUCHER_CATEGORIES = new Set([
  'fruits-legumes',
  'fromages',
  'boucherie',
  'boulangerie',
  'epicerie',
  'miel-confitures',
  'oeufs',
  'boissons',
  'plats',
  'planches',
  'desserts',
  'boissons-chaudes',
]);
const ALCOHOL = /bière|vin|cidre|pastis|apéritif|liqueur|whisky|rhum/i;

const SERVED_AT_THE_CAFE: Record<string, { vatRateBp: number; takeawayVatRateBp: number }> = {
  'Yaourts au lait de brebis (lot de 2)': { vatRateBp: 1000, takeawayVatRateBp: 550 },
  'Jus de pomme 25 cl': { vatRateBp: 1000, takeawayVatRateBp: 550 },
};
export const DEMO_MANAGER_LOGIN = 'gerant';

/**
 * The demo shop a newcomer meets on first start: a Tarn producers' shop with its producers, products,
 * deposits and staff, created through the same domain functions as real data. Marked `demo` for good.
 */
export async function createDemoShop(db: Kysely<Database>, now: Date): Promise<void> {
  // The shop opened four weeks ago: its first deliveries are dated then, its history follows.
  const start = new Date(now.getTime() - 29 * 86400_000);
  // Hash outside the transaction: scrypt is slow on purpose and the write lock should not wait for it.
  const managerHash = await hashSecret(DEMO_PASSWORD);
  const producerHashes = await Promise.all(demoProducers.map(() => hashSecret(DEMO_PASSWORD)));
  const pinHashes = await Promise.all(demoStaff.map((s) => hashSecret(s.pin, pinCost)));

  await db.transaction().execute(async (trx) => {
    await createShopBase(trx, 'demo', { ...demoShop, name: `${demoShop.name} (DEMO)` }, now);
    await trx
      .insertInto('tills')
      .values([
        { outlet_id: 1, name: 'Caisse 2', created_at: now.toISOString() },
        { outlet_id: 2, name: 'Bar', created_at: now.toISOString() },
      ])
      .execute();
    const { id: managerId } = await trx
      .insertInto('users')
      .values({
        login: DEMO_MANAGER_LOGIN,
        display_name: 'Gérant (démo)',
        role: 'manager',
        password_hash: managerHash,
        created_at: now.toISOString(),
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    for (const [i, s] of demoStaff.entries()) {
      await trx
        .insertInto('users')
        .values({ display_name: s.displayName, role: s.role, pin_hash: pinHashes[i]!, created_at: now.toISOString() })
        .execute();
    }
    const categoryId = new Map<string, number>();
    for (const [i, c] of demoCategories.entries()) {
      const created = await createCategory(trx, { slug: c.slug, name: c.name, color: c.color, sortOrder: i * 10 }, managerId, now);
      categoryId.set(c.slug, created.id);
    }
    const producerId = new Map<string, number>();
    for (const [i, p] of demoProducers.entries()) {
      const created = await createProducer(
        trx,
        {
          slug: p.slug,
          name: p.name,
          legalName: p.legalName,
          contactName: p.contactName,
          email: p.email,
          phone: p.phone,
          address: p.town,
          siret: p.siret,
          vatStatus: p.vatStatus,
          commissionBp: p.commissionBp,
          // Fictitious but well-formed: a VAT number for those who charge VAT, an account at a local bank.
          vatNumber: p.vatStatus === 'subject' ? frenchVatNumber(p.siret.slice(0, 9)) : '',
          iban: frenchIban('13506', '10000', String(7_310_000_000 + i * 7919).padStart(11, '0')),
          bic: 'AGRIFRPP835',
          flatRateCompensationBp: 443,
        },
        managerId,
        now,
      );
      producerId.set(p.slug, created.id);
      await trx
        .insertInto('users')
        .values({
          login: p.slug,
          display_name: p.name,
          role: 'producer',
          producer_id: created.id,
          password_hash: producerHashes[i]!,
          created_at: now.toISOString(),
        })
        .execute();
    }
    const deposits = new Map<number, { productId: number; quantity: number }[]>();
    const productId = new Map<string, number>();
    for (const p of demoProducts) {
      const served = SERVED_AT_THE_CAFE[p.name];
      const owner = p.producer === null ? null : producerId.get(p.producer)!;
      const created = await createProduct(
        trx,
        {
          name: p.name,
          producerId: owner,
          categoryId: categoryId.get(p.category) ?? null,
          unit: p.unit,
          priceCents: p.priceCents,
          vatRateBp: served?.vatRateBp ?? p.vatRateBp,
          takeawayVatRateBp: served?.takeawayVatRateBp ?? null,
          plu: p.plu ?? null,
          stockTracked: p.stockTracked,
          lowStockThreshold: p.lowStockThreshold ?? null,
          // What the producers' shop sells, the épicerie solidaire's till sells too (its households' solidarity prices).
          outlets: served ? ['shop', 'restaurant', 'epicerie'] : p.outlets.includes('shop') ? [...p.outlets, 'epicerie'] : p.outlets,
          barcodes: p.barcode ? [p.barcode] : [],
          net: p.unit === 'piece' ? netFromName(p.name) : null,
          course: null,
          mealVoucherEligible: MEAL_VOUCHER_CATEGORIES.has(p.category) && !ALCOHOL.test(p.name),
        },
        managerId,
        now,
      );
      productId.set(p.name, created.id);
      if (owner !== null && p.stockTracked && p.initialStock) {
        deposits.set(owner, [...(deposits.get(owner) ?? []), { productId: created.id, quantity: p.initialStock }]);
      }
    }
    for (const [owner, lines] of deposits) {
      await recordSlip(trx, 'deposit', { producerId: owner, lines, note: 'Dépôt initial (démo)' }, managerId, start, 1);
    }
    // Before the history: the café's lunches then take their ingredients off the producers' shelves.
    for (const [dish, ingredients] of Object.entries(demoRecipes)) {
      await replaceRecipe(
        trx,
        productId.get(dish)!,
        { ingredients: ingredients.map(([name, quantity]) => ({ productId: productId.get(name)!, quantity })) },
        managerId,
        start,
      );
    }
  });
  // The floor first: the history's last week has table service through it; the open tables last (a day
  // cannot be closed with a table open).
  await createDemoFloor(db, now);
  const managerRow = await db.selectFrom('users').select('id').where('login', '=', DEMO_MANAGER_LOGIN).executeTakeFirstOrThrow();
  const ressourcerie = await demoRessourcerie(db, now, managerRow.id);
  await createDemoHistory(db, now, [ressourcerie]);
  await openDemoTables(db, now);
  const manager = await db.selectFrom('users').select('id').where('login', '=', DEMO_MANAGER_LOGIN).executeTakeFirstOrThrow();
  await createDemoStatements(db, now, manager.id, new Date(now.getTime() - 28 * 86400_000));
  await createDemoSolidarity(db, now, manager.id);
  await ressourcerie.finish();
  await createDemoTextile(db, now, manager.id);
}

/**
 * The textile shop (issue 22): the Filature de l'Arnette's pullover in four sizes and two colours and its hat,
 * each variant with its barcode, deposited by size grid; a till for the textile shop and one for the épicerie
 * solidaire.
 */
async function createDemoTextile(db: Kysely<Database>, now: Date, managerId: number) {
  const filature = await db.selectFrom('producers').select('id').where('slug', '=', 'filature-de-l-arnette').executeTakeFirst();
  if (!filature) return;
  const models = [
    await createModel(
      db,
      {
        name: 'Pull en laine du Tarn',
        producerId: filature.id,
        categoryId: null,
        priceCents: 8900,
        vatRateBp: 2000,
        sizes: ['S', 'M', 'L', 'XL'],
        colours: ['naturel', 'gris chiné'],
        outlets: ['textile', 'shop'],
      },
      managerId,
      now,
    ),
    await createModel(
      db,
      {
        name: 'Bonnet torsadé',
        producerId: filature.id,
        categoryId: null,
        priceCents: 2900,
        vatRateBp: 2000,
        sizes: ['enfant', 'adulte'],
        colours: ['naturel', 'bleu nuit', 'rouille'],
        outlets: ['textile', 'shop'],
      },
      managerId,
      now,
    ),
  ];
  await db.transaction().execute(async (trx) => {
    for (const m of models)
      await recordSlip(
        trx,
        'deposit',
        {
          producerId: filature.id,
          lines: m.variants.map((v, i) => ({ productId: v.productId, quantity: 1 + (i % 3) })),
          note: 'Dépôt par grille de tailles (démo)',
        },
        managerId,
        now,
        1,
      );
  });
  for (const [code, name] of [
    ['textile', 'Textile'],
    ['epicerie', 'Épicerie solidaire'],
  ] as const) {
    const outlet = await db.selectFrom('outlets').select('id').where('code', '=', code).executeTakeFirstOrThrow();
    await db.insertInto('tills').values({ outlet_id: outlet.id, name, created_at: now.toISOString() }).execute();
  }
}

/**
 * Solidarity prices (issue 22): households pay 30 % of the public price (40 % on cheese), the CCAS and a
 * foundation fund the rest; three households referred by the Secours populaire, their cards to print.
 */
async function createDemoSolidarity(db: Kysely<Database>, now: Date, managerId: number) {
  const today = businessDay(now, 'Europe/Paris');
  const cheese = await db.selectFrom('categories').select('id').where('slug', '=', 'fromages').executeTakeFirst();
  await setShares(
    db,
    { defaultShareBp: 3000, byCategory: cheese ? [{ categoryId: cheese.id, householdShareBp: 4000 }] : [], retentionMonths: 12 },
    managerId,
    now,
  );
  for (const [name, amountCents] of [
    ['CCAS de Castres', 150_000],
    ['Fondation du Tarn solidaire', 50_000],
  ] as const) {
    const fund = await addFunder(db, name, managerId, now);
    const funder = fund.funders.find((f) => f.name === name)!;
    await contribute(db, { funderId: funder.id, amountCents, receivedOn: today, note: 'Démo' }, managerId, now);
  }
  const until = `${Number(today.slice(0, 4)) + 1}${today.slice(4)}`;
  for (const [size, allowance] of [
    [1, 3000],
    [3, 6000],
    [5, 9000],
  ] as const)
    await createHousehold(
      db,
      { size, validFrom: today, validTo: until, monthlyAllowanceCents: allowance, partner: 'Secours populaire' },
      managerId,
      now,
      today,
    );
}

const TOMME = 'Tomme de brebis des Monts de Lacaune';
const JAMBON = 'Jambon de Lacaune IGP (à la coupe)';

/**
 * The café's dishes cooked with the producers' goods: per portion, pieces or grams (goods sold by the kg).
 * Shelf prices make the food cost: e.g. the Planche mixte at 19,00 € (17,27 € excl. VAT) costs
 * 208 + 279 + 119 + 132 = 738 cents of tomme, ham, melsat and Roquefort.
 */
export const demoRecipes: Record<string, [string, number][]> = {
  'Salade au pérail chaud': [
    ['Pérail de brebis 150 g', 1],
    ['Tomates anciennes', 80],
    ['Pommes de terre du Sidobre', 120],
  ],
  'Croque-monsieur au jambon de Lacaune': [
    [JAMBON, 40],
    [TOMME, 30],
  ],
  'Soupe du marché': [
    ['Courge butternut', 200],
    ['Oignons jaunes', 50],
    ['Pommes de terre du Sidobre', 100],
  ],
  'Assiette de charcuterie de Lacaune': [
    [JAMBON, 60],
    ['Melsat', 60],
  ],
  'Planche de fromages de brebis': [
    [TOMME, 80],
    ['Brebis des Causses affiné', 60],
    ['Roquefort AOP (à la coupe)', 40],
  ],
  'Planche mixte à partager': [
    [TOMME, 80],
    [JAMBON, 80],
    ['Melsat', 80],
    ['Roquefort AOP (à la coupe)', 40],
  ],
  'Croustade aux pommes': [['Pommes reine des reinettes', 150]],
};

/**
 * The last finished month of the history (from its first day when it started mid-month) is settled the
 * way a manager does it: one statement per producer who sold, through the real issuing code; the first
 * third are marked paid by transfer, so the portal shows both states.
 */
async function createDemoStatements(db: Kysely<Database>, now: Date, managerId: number, historyStart: Date) {
  const today = businessDay(now, 'Europe/Paris');
  const monthStart = `${today.slice(0, 7)}-01`;
  const to = new Date(Date.parse(`${monthStart}T00:00:00Z`) - 86400_000).toISOString().slice(0, 10);
  const firstDay = businessDay(historyStart, 'Europe/Paris');
  const from = firstDay > `${to.slice(0, 7)}-01` ? firstDay : `${to.slice(0, 7)}-01`;
  if (from > to) return;
  const producers = await producersToSettle(db, { from, to });
  for (const [i, p] of producers.entries()) {
    const s = await issueStatement({ db, userId: managerId, now, timeZone: 'Europe/Paris' }, { producerId: p.id, period: { from, to } });
    if (i < producers.length / 3)
      await markStatementPaid(db, { userId: managerId, now }, s.id!, {
        paidOn: today,
        method: 'transfer',
        reference: `VIR-DEMO-${s.number}`,
      });
  }
}

/** "Miel de bruyère 500 g" → 500 g, "Velouté 75 cl" → 750 ml, "Pain 1 kg" → 1000 g: the demo's names carry their net quantity. */
export function netFromName(name: string): { quantity: number; unit: 'g' | 'ml' } | null {
  const m = /(\d+(?:[.,]\d+)?)\s*(kg|g|cl|ml|l)\b/i.exec(name);
  if (!m) return null;
  const n = Number(m[1]!.replace(',', '.'));
  const factor = { kg: [1000, 'g'], g: [1, 'g'], l: [1000, 'ml'], cl: [10, 'ml'], ml: [1, 'ml'] } as const;
  const [k, unit] = factor[m[2]!.toLowerCase() as keyof typeof factor];
  return { quantity: Math.round(n * k), unit };
}
