import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase, type OpenDatabase } from '../../db/database.ts';
import { producerCreateBody, productCreateBody } from '../../shared/api/catalog.ts';
import { userCreateBody } from '../../shared/api/admin.ts';
import { createProducer } from '../catalog/producers.ts';
import { createProduct } from '../catalog/products.ts';
import { recordSale } from '../sales/record.ts';
import { createAdmin, createRealShop } from '../shop/setup.ts';
import { createUser } from '../users/users.ts';
import { aSiret, shopIdentity } from '../../test/support/harness.ts';
import { uuidv7 } from '../../test/support/tickets.ts';
import { Conflict } from '../errors.ts';
import { issueStatement } from './statements.ts';

// issueStatement on a real SQLite file, without HTTP or a browser: the producer's month worked out by hand
// (test/settlement.test.ts checks a richer month through the server).

describe('issueStatement (service level)', () => {
  let dir: string;
  let database: OpenDatabase;
  let adminId: number;
  let producerId: number;
  const november = { from: '2026-11-01', to: '2026-11-30' };
  const sold = new Date('2026-11-12T10:00:00Z');
  const issuedAt = new Date('2026-12-02T09:00:00Z');

  beforeAll(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'comptoir-statement-'));
    database = await openDatabase(path.join(dir, 'shop.sqlite'));
    const db = database.db;
    await createRealShop(db, shopIdentity, sold);
    adminId = await createAdmin(db, { login: 'admin', password: 'admin-password-1', displayName: 'Admin' }, sold);
    const cashier = await db
      .transaction()
      .execute((trx) =>
        createUser(
          trx,
          userCreateBody.parse({ displayName: 'Camille', role: 'cashier', pin: '2468' }),
          { id: adminId, role: 'admin' },
          sold,
        ),
      );
    const producer = await db.transaction().execute((trx) =>
      createProducer(
        trx,
        producerCreateBody.parse({
          name: 'Rucher des Causses',
          legalName: 'EARL Rucher des Causses',
          siret: aSiret(),
          vatStatus: 'subject',
          commissionBp: 2000,
        }),
        adminId,
        sold,
      ),
    );
    producerId = producer.id;
    const miel = await db
      .transaction()
      .execute((trx) =>
        createProduct(
          trx,
          productCreateBody.parse({ name: 'Miel', producerId, unit: 'piece', priceCents: 950, vatRateBp: 550 }),
          adminId,
          sold,
        ),
      );
    // Three pots of honey at 9,50 €: 28,50 €.
    await recordSale(
      db,
      {
        id: uuidv7(),
        tillId: 1,
        number: 1,
        createdAt: sold.toISOString(),
        lines: [{ productId: miel.id, quantity: 3, unitPriceCents: 950, discountCents: 0 }],
        discountCents: 0,
        payments: [{ method: 'card', amountCents: 2850 }],
        totalCents: 2850,
      },
      { cashierId: cashier.id, cashierRole: 'cashier', tillId: 1, deviceId: null, now: sold, timeZone: 'Europe/Paris' },
    );
  });
  afterAll(async () => {
    await database?.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('works out the month from the sale lines, numbers it and freezes it', async () => {
    const ctx = { db: database.db, userId: adminId, timeZone: 'Europe/Paris', now: issuedAt };
    const statement = await issueStatement(ctx, { producerId, period: november });
    // Sales 2850 at 5,5 %: HT 2850 / 1,055 = 2701,42 -> 2701, VAT 149.
    // Commission 20 % of 2850 = 570 HT, its VAT 20 % = 114: 684. Owed to the producer 2850 − 684 = 2166.
    expect(statement).toMatchObject({ status: 'issued', code: 'REL-000001' });
    expect(statement.totals).toMatchObject({
      salesCents: 2850,
      refundsCents: 0,
      grossCents: 2850,
      vat: [{ vatRateBp: 550, grossCents: 2850, netCents: 2701, vatCents: 149 }],
      commissionNetCents: 570,
      commissionVatCents: 114,
      commissionGrossCents: 684,
      netOwedCents: 2166,
    });
    expect(statement.items.map((i) => [i.day, i.name, i.quantity, i.amountCents])).toEqual([['2026-11-12', 'Miel', 3, 2850]]);
  });

  it('refuses a second statement of the same month: it is frozen', async () => {
    const ctx = { db: database.db, userId: adminId, timeZone: 'Europe/Paris', now: issuedAt };
    const second = await issueStatement(ctx, { producerId, period: november }).catch((e: unknown) => e);
    expect(second).toBeInstanceOf(Conflict);
  });
});
