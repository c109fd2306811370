import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase, type OpenDatabase } from '../../db/database.ts';
import { productCreateBody } from '../../shared/api/catalog.ts';
import { userCreateBody } from '../../shared/api/admin.ts';
import { createProduct } from '../catalog/products.ts';
import { GENESIS_HASH } from '../journal/canonical.ts';
import { createAdmin, createRealShop } from '../shop/setup.ts';
import { issuePairingCode, pairDevice } from '../tills/tills.ts';
import { createUser } from '../users/users.ts';
import { shopIdentity } from '../../test/support/harness.ts';
import { uuidv7 } from '../../test/support/tickets.ts';
import { recordSale, type SaleContext } from './record.ts';
import { loadTicketRecords, ticketHash } from '../journal/tickets.ts';

// recordSale on a real SQLite file, without HTTP: a domain rule checked in milliseconds (the HTTP tests
// in test/sales.test.ts check the same through the server).

describe('recordSale (service level)', () => {
  let dir: string;
  let database: OpenDatabase;
  let ctx: SaleContext;
  let pain: number;
  let tomme: number;
  let adminId: number;
  const now = new Date();
  /** A tablet paired with till 1, as the back office's pairing code does it. */
  const aTablet = async () =>
    (
      await database.db
        .transaction()
        .execute(async (trx) => pairDevice(trx, (await issuePairingCode(trx, 1, adminId, now)).code, 'tablette', now))
    ).deviceId;

  beforeAll(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'comptoir-record-'));
    database = await openDatabase(path.join(dir, 'shop.sqlite'));
    const db = database.db;
    await createRealShop(db, shopIdentity, now);
    adminId = await createAdmin(db, { login: 'admin', password: 'admin-password-1', displayName: 'Admin' }, now);
    const actor = { id: adminId, role: 'admin' as const };
    const cashier = await db
      .transaction()
      .execute((trx) => createUser(trx, userCreateBody.parse({ displayName: 'Camille', role: 'cashier', pin: '2468' }), actor, now));
    // Inputs as a route gives them: parsed by the same schema, defaults applied.
    pain = (
      await db
        .transaction()
        .execute((trx) =>
          createProduct(
            trx,
            productCreateBody.parse({ name: 'Pain', producerId: null, unit: 'piece', priceCents: 520, vatRateBp: 550 }),
            adminId,
            now,
          ),
        )
    ).id;
    tomme = (
      await db
        .transaction()
        .execute((trx) =>
          createProduct(
            trx,
            productCreateBody.parse({ name: 'Tomme', producerId: null, unit: 'kg', priceCents: 2490, vatRateBp: 550 }),
            adminId,
            now,
          ),
        )
    ).id;
    ctx = { cashierId: cashier.id, cashierRole: 'cashier', tillId: 1, deviceId: null, now, timeZone: 'Europe/Paris' };
  });
  afterAll(async () => {
    await database?.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  const body = (number: number, extra: Partial<{ grams: number; discountCents: number }> = {}) => ({
    id: uuidv7(),
    tillId: 1,
    number,
    createdAt: now.toISOString(),
    lines: [
      { productId: pain, quantity: 2, unitPriceCents: 520, discountCents: 0 },
      { productId: tomme, grams: extra.grams ?? 450, unitPriceCents: 2490, discountCents: 0 },
    ],
    discountCents: extra.discountCents ?? 0,
    payments: [{ method: 'cash', amountCents: 5000 }],
    // 2 × 5,20 = 10,40; 24,90 €/kg × 0,450 kg = 11,205 → 11,21 (half-up): 21,61 €.
    totalCents: 2161,
  });

  it('records a ticket recomputed from its lines, chained from the genesis hash', async () => {
    const { created, sale } = await recordSale(database.db, body(1), ctx);
    expect(created).toBe(true);
    expect(sale).toMatchObject({ number: 1, totalCents: 2161, changeCents: 5000 - 2161, gapBefore: false });
    const row = await database.db.selectFrom('sales').selectAll().where('id', '=', sale.id).executeTakeFirstOrThrow();
    expect(row.prev_hash).toBe(GENESIS_HASH);
    expect(row.chain_seq).toBe(1);
    // The stored hash is the one its record gives, recomputed here from what was read back.
    const [stored] = await loadTicketRecords(database.db, { ids: [sale.id] });
    expect(row.hash).toBe(ticketHash(GENESIS_HASH, stored!.record));
  });

  it('answers a replay with the first result and writes nothing more', async () => {
    const b = body(2);
    const first = await recordSale(database.db, b, ctx);
    const again = await recordSale(database.db, b, ctx);
    expect(again.created).toBe(false);
    expect(again.sale).toEqual(first.sale);
    const count = await database.db
      .selectFrom('sales')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirstOrThrow();
    expect(Number(count.n)).toBe(2);
  });

  it('refuses a total that does not add up, naming the field, and writes nothing', async () => {
    const b = { ...body(3), totalCents: 2160 };
    await expect(recordSale(database.db, b, ctx)).rejects.toMatchObject({
      status: 422,
      fields: [{ field: 'totalCents', reason: 'attendu 2161' }],
    });
    expect(await database.db.selectFrom('sales').select('id').where('id', '=', b.id).executeTakeFirst()).toBeUndefined();
  });

  it('keeps one gapless sequence when two tablets of a till give the same number', async () => {
    const [a, b] = [await aTablet(), await aTablet()];
    const fromA = await recordSale(database.db, body(3), { ...ctx, deviceId: a });
    const fromB = await recordSale(database.db, body(3), { ...ctx, deviceId: b });
    expect([fromA.sale.number, fromB.sale.number]).toEqual([3, 4]);
    const renumbered = await database.db
      .selectFrom('sales')
      .select(['number', 'proposed_number'])
      .where('id', '=', fromB.sale.id)
      .executeTakeFirstOrThrow();
    expect(renumbered).toEqual({ number: 4, proposed_number: 3 });
    // The same tablet giving a number twice is a conflict.
    await expect(recordSale(database.db, body(4), { ...ctx, deviceId: b })).rejects.toMatchObject({ status: 409 });
  });
});
