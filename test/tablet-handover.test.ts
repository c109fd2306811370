import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { aProduct, aPairedTill, startTestShop, type Client, type TestShop } from './support/harness.ts';
import { uuidv7 } from './support/tickets.ts';

// A till has one tablet at a time. When another tablet is paired with it (a replaced or borrowed tablet),
// the first one is marked replaced, and whatever it had numbered and queued (offline) is still recorded:
// a number the new tablet already used is not a reason to refuse money taken.

describe('a till moved to another tablet', () => {
  let shop: TestShop;
  let pain: { id: number };
  let cashierId: number;

  beforeAll(async () => {
    shop = await startTestShop();
    pain = await aProduct(shop.admin, { name: 'Pain de campagne', priceCents: 520 });
    cashierId = (await shop.admin.post('/api/users', { displayName: 'Camille', role: 'cashier', pin: '2468' })).body.id;
  });
  afterAll(() => shop.close());

  const onTill = async (): Promise<Client> => {
    const tablet = await aPairedTill(shop, 1);
    expect((await tablet.post('/api/auth/pin', { tillId: 1, pin: '2468', userId: cashierId })).status).toBe(200);
    return tablet;
  };
  const ticket = (number: number, quantity = 1) => ({
    id: uuidv7(),
    tillId: 1,
    number,
    createdAt: new Date().toISOString(),
    lines: [{ productId: pain.id, quantity, unitPriceCents: 520 }],
    payments: [{ method: 'cash', amountCents: 520 * quantity }],
    totalCents: 520 * quantity,
  });

  it('marks the first tablet replaced, and records its queued tickets after the new tablet’s, each once and without a gap', async () => {
    const first = await onTill();
    expect((await first.post('/api/sales', ticket(1))).status).toBe(201);
    // Offline, the first tablet numbers 2 and 3 (one and two loaves) and keeps them.
    const kept = [ticket(2, 1), ticket(3, 2)];

    const second = await onTill();
    const current = (await second.get('/api/devices/current')).body;
    expect(current).toMatchObject({ id: 1, lastNumber: 1, replaced: false });
    expect((await first.get('/api/devices/current')).body.replaced).toBe(true);
    // The new tablet carries on from the server's last number: 2, 3, 4 (three, four and five loaves).
    for (const [n, q] of [
      [2, 3],
      [3, 4],
      [4, 5],
    ] as const) {
      const r = await second.post('/api/sales', ticket(n, q));
      expect(r.status).toBe(201);
      expect(r.body.number).toBe(n);
    }

    // The first tablet comes back and delivers what it kept, in its order: both were numbers taken by the
    // other tablet, so they become 5 and 6, keeping 2 and 3 as the numbers it gave them.
    const delivered = [];
    for (const t of kept) {
      const r = await first.post('/api/sales', t);
      expect(r.status).toBe(201);
      delivered.push(r.body.number);
    }
    expect(delivered).toEqual([5, 6]);
    // A retry of the same ticket (the reply was lost) gets the same answer, not a third number.
    const again = await first.post('/api/sales', kept[1]);
    expect(again.status).toBe(200);
    expect(again.body.number).toBe(6);

    const sales = (await shop.admin.get('/api/sales?limit=50')).body as { number: number; totalCents: number; gapBefore: boolean }[];
    // Numbers 1–6, each once; amounts: 1 loaf, then the second tablet's 3, 4, 5, then the first's 1 and 2.
    expect(sales.map((s) => [s.number, s.totalCents / 520]).sort((a, b) => a[0]! - b[0]!)).toEqual([
      [1, 1],
      [2, 3],
      [3, 4],
      [4, 5],
      [5, 1],
      [6, 2],
    ]);
    expect(sales.some((s) => s.gapBefore)).toBe(false);
    const events = (await shop.admin.get('/api/events?kind=till.ticket_renumbered')).body as {
      data: { proposed: number; number: number };
    }[];
    expect(events.map((e) => [e.data.proposed, e.data.number]).sort()).toEqual([
      [2, 5],
      [3, 6],
    ]);
    expect((await shop.admin.get('/api/events?kind=till.device_replaced')).body).toHaveLength(1);
    const verify = (await shop.admin.get('/api/journal/verify')).body;
    expect(verify).toMatchObject({ ok: true, problems: [] });
    // 1 + 3 + 4 + 5 + 1 + 2 = 16 loaves at 5,20 €.
    expect(verify.grandTotalCents).toBe(16 * 520);
  });

  it('still refuses a number the same tablet gave twice (a real conflict)', async () => {
    const tablet = await onTill();
    const next = (await tablet.get('/api/devices/current')).body.lastNumber + 1;
    expect((await tablet.post('/api/sales', ticket(next))).status).toBe(201);
    const twice = await tablet.post('/api/sales', ticket(next));
    expect(twice.status).toBe(409);
    expect(twice.body.error.fields).toEqual([{ field: 'number', reason: expect.any(String) }]);
  });

  it('lists the replaced tablet as such for the manager', async () => {
    const tills = (await shop.admin.get('/api/tills')).body as { id: number; devices: { replacedAt: string | null }[] }[];
    const devices = tills.find((t) => t.id === 1)!.devices;
    // Three pairings on till 1 so far: the last holds it.
    expect(devices.map((d) => d.replacedAt !== null)).toEqual([true, true, false]);
  });
});
