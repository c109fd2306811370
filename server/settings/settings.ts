import { consignmentSettingSchema } from '../../shared/api/accounting.ts';
import { cachedRows } from '../../db/raw.ts';
import { z } from 'zod';
import { checkLayouts, defaultInStoreLayouts, type InStoreLayout } from '../../shared/barcodes.ts';
import {
  defaultTillOptions,
  inStoreLayoutsSchema,
  shopIdentitySchema,
  tillOptionsSchema,
  type ShopIdentity,
  type TillOptions,
} from '../../shared/api/settings.ts';
import { accountPlanSchema } from '../../shared/api/accounting.ts';
import { Invalid, NotFound } from '../errors.ts';
import { recordEvent } from '../journal/events.ts';
import type { Kysely } from 'kysely';
import type { Database, Db, Trx } from '../../db/schema.ts';
import { requireUser, type Actor } from '../auth/access.ts';

/** Typed settings: each key has its schema, so a value read back is always valid. */
const settingSchemas = {
  'shop.identity': shopIdentitySchema,
  /** `demo` shops are marked DEMO everywhere and only ever hold demo data; set once at creation. */
  'shop.mode': z.enum(['demo', 'real']),
  'barcodes.inStoreLayouts': inStoreLayoutsSchema,
  'till.options': tillOptionsSchema,
  /** The key that signs managers' approvals given on a till (made on first use, never leaves the server). */
  'auth.approvalKey': z.string().regex(/^[0-9a-f]{64}$/),
  /** VAT the shop adds to its consignment commission (basis points; 20 % standard rate). */
  'settlement.commissionVatBp': z.number().int().min(0).max(10_000),
  /** The accounts the FEC and the sales journal post to (shared/api/accounting.ts). */
  'accounting.plan': accountPlanSchema,
  /** Mandataire or commissionnaire, dated (shared/api/accounting.ts); absent: mandataire throughout. */
  'consignment.model': consignmentSettingSchema,
  /** Solidarity prices (issue 22): the household's default share of the public price, and how long its data is kept. */
  'solidarity.settings': z.object({
    defaultShareBp: z.number().int().min(0).max(10_000),
    retentionMonths: z.number().int().min(1).max(120),
  }),
  /** The ressourcerie's unsold items (issue 22): marked down after some weeks, by so much, then recycled. */
  'ressourcerie.aging': z.object({
    markdownWeeks: z.number().int().min(1).max(52),
    markdownBp: z.number().int().min(0).max(10_000),
    recycleWeeks: z.number().int().min(1).max(104),
  }),
  'stock.nextSlipNumber': z.object({ deposit: z.number().int().positive(), return: z.number().int().positive() }),
} as const;

export type SettingKey = keyof typeof settingSchemas;
export type SettingValue<K extends SettingKey> = z.output<(typeof settingSchemas)[K]>;

export async function readSetting<K extends SettingKey>(db: Db, key: K): Promise<SettingValue<K> | undefined> {
  // SQLite: `?` placeholders in raw SQL; PostgreSQL's driver wants `$1`.
  const [row] = await cachedRows<{ value: string }>(db, 'select "value" from "settings" where "key" = ?', [key]);
  if (!row) return undefined;
  // Several are read for every ticket: the stored text is parsed and checked once, while it stays the same.
  const known = parsedSettings.get(key);
  if (known?.text === row.value) return known.value as SettingValue<K>;
  const value = deepFreeze(settingSchemas[key].parse(JSON.parse(row.value)));
  parsedSettings.set(key, { text: row.value, value });
  return value as SettingValue<K>;
}

/** The last text read of each setting and its value, frozen: every reader shares it. */
const parsedSettings = new Map<string, { text: string; value: unknown }>();

function deepFreeze<T>(value: T): T {
  if (value && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const v of Object.values(value)) deepFreeze(v);
  }
  return value;
}

export async function writeSetting<K extends SettingKey>(db: Db, key: K, value: SettingValue<K>, now: Date): Promise<void> {
  const json = JSON.stringify(settingSchemas[key].parse(value));
  await db
    .insertInto('settings')
    .values({ key, value: json, updated_at: now.toISOString() })
    .onConflict((oc) => oc.column('key').doUpdateSet({ value: json, updated_at: now.toISOString() }))
    .execute();
}

export async function shopIdentity(db: Db): Promise<ShopIdentity> {
  const identity = await readSetting(db, 'shop.identity');
  if (!identity) throw new NotFound('Identité de la boutique');
  return identity;
}

export async function isDemo(db: Db): Promise<boolean> {
  return (await readSetting(db, 'shop.mode')) === 'demo';
}

export async function inStoreLayouts(db: Db): Promise<InStoreLayout[]> {
  return (await readSetting(db, 'barcodes.inStoreLayouts')) ?? defaultInStoreLayouts;
}

export async function updateShopIdentity(db: Trx, identity: ShopIdentity, userId: number, now: Date): Promise<ShopIdentity> {
  const before = await readSetting(db, 'shop.identity');
  await writeSetting(db, 'shop.identity', identity, now);
  await recordEvent(db, {
    kind: 'settings.changed',
    userId,
    subject: 'shop.identity',
    data: { before: before ?? null, after: identity },
    at: now.toISOString(),
  });
  return identity;
}

export async function updateInStoreLayouts(db: Trx, layouts: InStoreLayout[], userId: number, now: Date): Promise<InStoreLayout[]> {
  const problems = checkLayouts(layouts);
  if (problems.length) throw new Invalid(problems.map((reason) => ({ field: 'layouts', reason })));
  const before = await inStoreLayouts(db);
  await writeSetting(db, 'barcodes.inStoreLayouts', layouts, now);
  await recordEvent(db, {
    kind: 'settings.changed',
    userId,
    subject: 'barcodes.inStoreLayouts',
    data: { before, after: layouts },
    at: now.toISOString(),
  });
  return layouts;
}

export async function tillOptions(db: Db): Promise<TillOptions> {
  return (await readSetting(db, 'till.options')) ?? defaultTillOptions;
}

export async function updateTillOptions(db: Trx, options: TillOptions, userId: number, now: Date): Promise<TillOptions> {
  const before = await tillOptions(db);
  await writeSetting(db, 'till.options', options, now);
  await recordEvent(db, {
    kind: 'settings.changed',
    userId,
    subject: 'till.options',
    data: { before, after: options },
    at: now.toISOString(),
  });
  return options;
}

// ——— What the routes call ———

/** The shop's public face for login screens: name, town, and whether it is the DEMO shop. */
export async function publicShop(db: Db) {
  const identity = await readSetting(db, 'shop.identity');
  return { name: identity?.name ?? 'Comptoir', city: identity?.city ?? '', demo: await isDemo(db) };
}

/** Everything the back office's settings screen shows. */
export async function allSettings(db: Db) {
  return {
    identity: (await readSetting(db, 'shop.identity')) ?? null,
    demo: await isDemo(db),
    inStoreLayouts: await inStoreLayouts(db),
    till: await tillOptions(db),
  };
}

export async function saveShopIdentity(db: Kysely<Database>, actor: Actor, identity: ShopIdentity, now: Date) {
  const userId = requireUser(actor).id;
  return db.transaction().execute((trx) => updateShopIdentity(trx, identity, userId, now));
}

export async function saveInStoreLayouts(db: Kysely<Database>, actor: Actor, layouts: InStoreLayout[], now: Date) {
  const userId = requireUser(actor).id;
  return db.transaction().execute((trx) => updateInStoreLayouts(trx, layouts, userId, now));
}

export async function saveTillOptions(db: Kysely<Database>, actor: Actor, options: TillOptions, now: Date) {
  const userId = requireUser(actor).id;
  return db.transaction().execute((trx) => updateTillOptions(trx, options, userId, now));
}
