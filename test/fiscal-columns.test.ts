import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openStore } from '../db/database.ts';
import { FISCAL_COLUMNS } from '../server/journal/tickets.ts';
import { verifyAll } from '../server/journal/verify.ts';
import { aProducer, aProduct, aUser, startTestShop, type TestShop } from './support/harness.ts';
import { shopCopy, shopSql, sqlAt } from './support/shop-sql.ts';
import { uuidv7 } from './support/tickets.ts';

// Issue 20 item 3: every column of the fiscal tables is either covered by the ticket's hash or said to be
// derived (and why). Then, as someone holding the database file would, each hashed column of a stored
// ticket is changed in a copy of the file: `verify` must name that ticket every time.

const TABLES = ['sales', 'sale_lines', 'sale_payments', 'sale_vat'] as const;

describe('the fiscal columns a ticket’s hash covers', () => {
  let shop: TestShop;
  let refundId: string;

  beforeAll(async () => {
    shop = await startTestShop();
    const ferme = await aProducer(shop.admin);
    const tomme = await aProduct(shop.admin, { name: 'Tomme de brebis', producerId: ferme.id, unit: 'kg', priceCents: 2490 });
    const miel = await aProduct(shop.admin, { name: 'Miel', producerId: ferme.id, priceCents: 950 });
    await shop.admin.post('/api/stock/deposits', {
      producerId: ferme.id,
      lines: [
        { productId: tomme.id, quantity: 5000 },
        { productId: miel.id, quantity: 10 },
      ],
    });
    await shop.admin.post('/api/users', {
      login: 'chef',
      displayName: 'Cheffe',
      role: 'manager',
      password: 'mot-de-passe-long',
      pin: '9876',
    });
    const till = (await aUser(shop, 'cashier', { pin: '1111' })).client;
    // 1234 g of tomme at 24,90 €/kg = 30,7266 € → 3073; two jars of honey 1900, with a note. Total 4973.
    const sale = await till.post('/api/sales', {
      id: uuidv7(),
      tillId: 1,
      number: 1,
      createdAt: new Date().toISOString(),
      lines: [
        { productId: tomme.id, grams: 1234, unitPriceCents: 2490 },
        { productId: miel.id, quantity: 2, unitPriceCents: 950, note: 'pot cadeau' },
      ],
      discountCents: 0,
      payments: [{ method: 'card', amountCents: 4973 }],
      totalCents: 4973,
    });
    expect(sale.body).toMatchObject({ totalCents: 4973 });
    expect(sale.status).toBe(201);
    // One jar back: −950, with its reason and the manager's approval (the columns a v1 hash left out).
    const refund = await till.post('/api/refunds', {
      id: uuidv7(),
      tillId: 1,
      number: 2,
      createdAt: new Date().toISOString(),
      refundOf: sale.body.id,
      reason: 'Pot fêlé',
      lines: [{ lineNo: 2, quantity: 1 }],
      payments: [{ method: 'cash', amountCents: -950 }],
      totalCents: -950,
      approvalPin: '9876',
    });
    expect(refund.status).toBe(201);
    refundId = refund.body.id;
    await shop.stop();
  });
  afterAll(() => shop.close());

  it('lists every column of the fiscal tables as hashed or derived, and no column that is not there', async () => {
    const q = await shopSql(shop, { readonly: true });
    try {
      for (const table of TABLES) {
        // PostgreSQL's sales carry their write order in a column (SQLite's rowid): written by the database,
        // never by a till, and covered by no hash.
        const columns = (await q.columns(table)).filter((c) => !(q.engine === 'postgres' && table === 'sales' && c === 'write_seq')).sort();
        expect({ table, columns }).toEqual({ table, columns: Object.keys(FISCAL_COLUMNS[table]!).sort() });
      }
    } finally {
      await q.close();
    }
  });

  it('stores the refund with chain version 3, its reason, approver and the software version', async () => {
    const q = await shopSql(shop, { readonly: true });
    try {
      const row = await q.get('select chain_version, reason, approved_by, software_version from sales where id = ?', refundId);
      // Version 3 since the price's origin is hashed too (issue 20 item 7).
      expect(row).toMatchObject({ chain_version: 3, reason: 'Pot fêlé' });
      expect(row.approved_by).toBeGreaterThan(0);
      expect(row.software_version).toMatch(/^\d+\.\d+\.\d+/);
    } finally {
      await q.close();
    }
  });

  // One copy per column: the change below, then verify on the copy.
  const changed = (column: string, value: unknown): unknown => {
    const swaps: Record<string, [unknown, unknown]> = { kind: ['sale', 'refund'], unit: ['piece', 'kg'] };
    if (swaps[column]) return value === swaps[column][0] ? swaps[column][1] : swaps[column][0];
    if (['training', 'late', 'gap_before'].includes(column)) return value === 1 ? 0 : 1;
    if (value === null)
      return typeof value === 'string' ? 'x' : ['reason', 'note', 'refund_of', 'software_version', 'method'].includes(column) ? 'x' : 7;
    if (typeof value === 'number') return value + 1;
    return `${String(value)}x`;
  };

  const hashed = TABLES.flatMap((table) =>
    Object.entries(FISCAL_COLUMNS[table]!)
      .filter(([, how]) => how === 'hash')
      .map(([column]) => [table, column] as const),
  );

  it.each(hashed)('names the ticket when %s.%s is changed in the file', async (table, column) => {
    const copy = await shopCopy(shop, `x${hashed.findIndex(([t, c]) => t === table && c === column)}`);
    const q = await sqlAt(copy.target);
    await q.openUp();
    // The row's primary key (the line, payment and VAT tables have no rowid).
    const keys = {
      sales: ['id'],
      sale_lines: ['sale_id', 'line_no'],
      sale_payments: ['sale_id', 'seq'],
      sale_vat: ['sale_id', 'vat_rate_bp'],
    }[table];
    const row = (await q.get<Record<string, unknown>>(
      `select ${keys.join(', ')}, ${column} as value from ${table} where ${keys[0]} = ? order by ${keys.join(', ')} limit 1`,
      refundId,
    ))!;
    const next = changed(column, row.value);
    expect(next).not.toEqual(row.value);
    await q.run(`update ${table} set ${column} = ? where ${keys.map((k) => `${k} = ?`).join(' and ')}`, next, ...keys.map((k) => row[k]));
    await q.close();
    const opened = await openStore(copy.target);
    try {
      const report = await verifyAll(opened.db);
      expect(report.ok).toBe(false);
      // Whatever else it breaks (a link, a total), the refund's own hash no longer matches its content.
      expect(report.problems.map((p) => p.fault)).toContain('hash-mismatch');
    } finally {
      await opened.close();
      await copy.drop();
    }
  });
});
