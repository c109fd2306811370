import { OUTLET_CODES, OUTLET_NAMES } from '../../shared/api/common.ts';
import type { Kysely } from 'kysely';
import type { Database } from '../../db/schema.ts';
import { shopIdentitySchema, type ShopIdentityInput } from '../../shared/api/settings.ts';
import { defaultInStoreLayouts } from '../../shared/barcodes.ts';
import { hashSecret, pinCost } from '../auth/secrets.ts';
import { recordEvent } from '../journal/events.ts';
import { readSetting, writeSetting } from '../settings/settings.ts';

export async function shopMode(db: Kysely<Database>): Promise<'demo' | 'real' | null> {
  return (await readSetting(db, 'shop.mode')) ?? null;
}

/** What every shop starts with: its outlets (the building's counters), a first till, its identity and default scale layouts. */
export async function createShopBase(db: Kysely<Database>, mode: 'demo' | 'real', given: ShopIdentityInput, now: Date) {
  const identity = shopIdentitySchema.parse(given);
  const existing = await shopMode(db);
  if (existing) throw new Error(`this database already holds a ${existing} shop`);
  // The first site (server/sites), named after the shop: a one-site shop never sees more of it.
  const site = await db
    .insertInto('sites')
    .values({ code: 'principal', name: identity.name, city: identity.city, active: 1, created_at: now.toISOString() })
    .returning('id')
    .executeTakeFirstOrThrow();
  const outlets = await db
    .insertInto('outlets')
    .values(OUTLET_CODES.map((code) => ({ code, kind: code, name: OUTLET_NAMES[code], site_id: site.id })))
    .returning('id')
    .execute();
  await db.insertInto('tills').values({ outlet_id: outlets[0]!.id, name: 'Caisse 1', created_at: now.toISOString() }).execute();
  await writeSetting(db, 'shop.mode', mode, now);
  await writeSetting(db, 'shop.identity', identity, now);
  await writeSetting(db, 'barcodes.inStoreLayouts', defaultInStoreLayouts, now);
  await recordEvent(db, { kind: 'shop.created', userId: null, data: { mode, name: identity.name }, at: now.toISOString() });
}

export async function createRealShop(db: Kysely<Database>, identity: ShopIdentityInput, now: Date) {
  await db.transaction().execute((trx) => createShopBase(trx, 'real', identity, now));
}

export async function createAdmin(
  db: Kysely<Database>,
  input: { login: string; password: string; displayName?: string; pin?: string },
  now: Date,
) {
  const passwordHash = await hashSecret(input.password);
  const pinHash = input.pin ? await hashSecret(input.pin, pinCost) : null;
  return db.transaction().execute(async (trx) => {
    const taken = await trx.selectFrom('users').select('id').where('login', '=', input.login).executeTakeFirst();
    if (taken) throw new Error(`login "${input.login}" is already taken`);
    const { id } = await trx
      .insertInto('users')
      .values({
        login: input.login,
        display_name: input.displayName ?? input.login,
        role: 'admin',
        password_hash: passwordHash,
        pin_hash: pinHash,
        created_at: now.toISOString(),
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    await recordEvent(trx, {
      kind: 'user.created',
      userId: null,
      subject: `user:${id}`,
      data: { role: 'admin', login: input.login, by: 'cli' },
      at: now.toISOString(),
    });
    return id;
  });
}
