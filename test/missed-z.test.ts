import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN, aProduct, aUser, startTestShop, type Client, type TestShop } from './support/harness.ts';
import { shopSql } from './support/shop-sql.ts';
import { uuidv7 } from './support/tickets.ts';

// December in Paris is UTC+1: 3 December ends at 2026-12-03T23:00Z, so its Z is missed from the next
// morning and new sales stop 24 h after its end, at 2026-12-04T23:00Z (worked out by hand).
let now = new Date('2026-12-03T10:00:00Z');
const SENTENCE = 'La journée du 3 décembre n’a pas été clôturée (Z) — un responsable doit la clôturer.';

describe('a missed Z: a day left without its closing', () => {
  let shop: TestShop;
  let till: Client;
  let pain: { id: number };
  let cashierId = 0;
  let number = 0;
  /** The clock moves on a day: the cashier's PIN session and the manager's login are taken again. */
  const advance = async (iso: string) => {
    now = new Date(iso);
    expect((await till.post('/api/auth/pin', { tillId: 1, pin: '1111', userId: cashierId })).status).toBe(200);
    expect((await shop.admin.post('/api/auth/login', ADMIN)).status).toBe(200);
  };
  const sell = (createdAt: string) =>
    till.post('/api/sales', {
      id: uuidv7(new Date(createdAt).getTime()),
      tillId: 1,
      number: ++number,
      createdAt,
      lines: [{ productId: pain.id, quantity: 1, unitPriceCents: 520 }],
      discountCents: 0,
      payments: [{ method: 'cash', amountCents: 520 }],
      totalCents: 520,
    });
  const tickets = async () => {
    const q = await shopSql(shop);
    const n = (await q.get<{ n: number }>('select count(*) as n from sales'))!.n;
    await q.close();
    return n;
  };

  beforeAll(async () => {
    shop = await startTestShop({ now: () => now });
    pain = await aProduct(shop.admin, { name: 'Pain', producerId: null, priceCents: 520, vatRateBp: 550 });
    const cashier = await aUser(shop, 'cashier', { pin: '1111' });
    till = cashier.client;
    cashierId = cashier.id;
  });
  afterAll(async () => shop?.close());

  it('is said from the next morning, and sales go on for 24 hours after the day’s end', async () => {
    const first = await sell('2026-12-03T09:00:00Z');
    expect(first.body).toMatchObject({ totalCents: 520 });
    expect(first.status).toBe(201);
    expect((await till.get('/api/drawer/day')).body.missedZ).toBeNull();
    await advance('2026-12-04T08:00:00Z');
    expect((await till.get('/api/drawer/day')).body.missedZ).toEqual({
      day: '2026-12-03',
      blocksAt: '2026-12-04T23:00:00.000Z',
      blocks: true,
    });
    expect((await sell('2026-12-04T08:00:00Z')).status).toBe(201);
  });

  it('refuses a new sale when yesterday-but-one has no Z, writing nothing, and takes it again after the Z', async () => {
    await advance('2026-12-05T09:00:00Z');
    const before = await tickets();
    const refused = await sell('2026-12-05T09:00:00Z');
    expect(refused.status).toBe(409);
    expect(refused.body.error.message).toBe(SENTENCE);
    expect(refused.body.error.fields[0].field).toBe('missedZ');
    expect(await tickets()).toBe(before);
    // Rung offline at 23:30 on the 4th (Paris), before the block at midnight: its own time lets it in.
    expect((await sell('2026-12-04T22:30:00Z')).status).toBe(201);
    expect(await tickets()).toBe(before + 1);

    const z = await shop.admin.post('/api/closings/day', { outlet: 'shop', day: '2026-12-03', cashCountedCents: 520 });
    expect(z.status).toBe(201);
    // The 4th (two tickets, no Z) is now the missed day; it blocks only from the 5th's end + 24 h.
    expect((await till.get('/api/drawer/day')).body.missedZ).toEqual({
      day: '2026-12-04',
      blocksAt: '2026-12-05T23:00:00.000Z',
      blocks: true,
    });
    expect((await sell('2026-12-05T09:05:00Z')).status).toBe(201);
  });

  it('only warns when the shop turns the block off (missedZBlocks)', async () => {
    await advance('2026-12-06T09:00:00Z');
    expect((await sell('2026-12-06T09:00:00Z')).status).toBe(409);
    const options = (await shop.admin.get('/api/settings')).body.till;
    expect(options.missedZBlocks).toBe(true);
    expect((await shop.admin.put('/api/settings/till', { ...options, missedZBlocks: false })).status).toBe(200);
    expect((await till.get('/api/drawer/day')).body.missedZ).toMatchObject({ day: '2026-12-04', blocks: false });
    expect((await sell('2026-12-06T09:01:00Z')).status).toBe(201);
  });
});
