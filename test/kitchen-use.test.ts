/**
 * Issue 21, item 7: the kitchen's use of a producer's goods gets the day it happened, so that a cook who
 * records yesterday's use today puts it in the right period — never in the future, never more than 31 days
 * back, never in a period a statement has already settled.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN, aProducer, aProduct, startTestShop, type TestShop } from './support/harness.ts';

describe('kitchen use recorded after the day', () => {
  let shop: TestShop;
  let clock = new Date('2026-11-20T10:00:00Z');
  let producer: { id: number };
  let miel: { id: number };

  beforeAll(async () => {
    shop = await startTestShop({ now: () => clock });
    producer = await aProducer(shop.admin, { name: 'Rucher de Brassac' });
    miel = await aProduct(shop.admin, { name: 'Miel de châtaignier', producerId: producer.id, priceCents: 950, vatRateBp: 550 });
    expect(
      (await shop.admin.post('/api/stock/deposits', { producerId: producer.id, lines: [{ productId: miel.id, quantity: 20 }] })).status,
    ).toBe(201);
  });
  afterAll(() => shop.close());

  /** The clock moves on: staff sessions last 12 hours, so the manager logs in again at the new time. */
  async function at(iso: string) {
    clock = new Date(iso);
    expect((await shop.admin.post('/api/auth/login', ADMIN)).status).toBe(200);
  }

  const use = (day: string | undefined, quantity = 1) =>
    shop.admin.post('/api/stock/kitchen', { note: 'Tarte au miel', ...(day ? { day } : {}), lines: [{ productId: miel.id, quantity }] });

  it('takes no more than the shelf holds (an attack booked 100 000 plates: their potter was owed 2,6 M€)', async () => {
    const onHand = (await shop.admin.get(`/api/products/${miel.id}`)).body.onHand as number;
    const tooMany = await use(undefined, onHand + 1);
    expect(tooMany.status).toBe(400);
    expect(tooMany.body.error.fields[0].field).toBe('lines.0.quantity');
    expect(tooMany.body.error.fields[0].reason).toContain(`${onHand} de « Miel de châtaignier » en rayon`);
    // Nothing taken.
    expect((await shop.admin.get(`/api/products/${miel.id}`)).body.onHand).toBe(onHand);
  });

  it('refuses a day to come and a day more than 31 days back, naming the field', async () => {
    const future = await use('2026-11-21');
    expect(future.status).toBe(400);
    expect(future.body.error.fields).toEqual([{ field: 'day', reason: 'date à venir : l’usage se date au jour où il a eu lieu' }]);
    // 20 November − 31 days = 20 October: the 19th is one day too far.
    const old = await use('2026-10-19');
    expect(old.status).toBe(400);
    expect(old.body.error.fields[0].field).toBe('day');
    expect((await use('2026-10-20')).status).toBe(201);
  });

  it('dates yesterday’s use on yesterday, and the statement of that period settles it', async () => {
    expect((await use('2026-11-19', 2)).status).toBe(201);
    const events = (await shop.admin.get('/api/events?kind=stock.kitchen')).body as { at: string; data: { day?: string } }[];
    // Recorded now (the event's time), dated the 19th (its data): the newest first.
    expect(events[0]!.at).toBe('2026-11-20T10:00:00.000Z');
    expect(events[0]!.data.day).toBe('2026-11-19');
    await at('2026-12-01T09:00:00Z');
    const draft = (await shop.admin.get(`/api/producers/${producer.id}/statement?from=2026-11-01&to=2026-11-30`)).body;
    // Two uses: 1 jar on 20 October is outside November; 2 jars (2 × 9,50 = 19,00 €) on the 19th.
    expect(draft.items.filter((i: any) => i.kind === 'kitchen').map((i: any) => [i.day, i.quantity, i.amountCents])).toEqual([
      ['2026-11-19', 2, 1900],
    ]);
    // The statement run opens on the oldest finished month still owed a statement (issue 21, item 7). None
    // issued yet: the last finished month, November (the jar of 20 October stays outside: a shop starting
    // with statements settled its earlier months some other way).
    expect((await shop.admin.get('/api/statement-runs/next')).body).toEqual({
      month: '2026-11',
      from: '2026-11-01',
      to: '2026-11-30',
      pending: 1,
      finished: true,
    });
    expect((await shop.admin.post(`/api/producers/${producer.id}/statements`, { from: '2026-11-01', to: '2026-11-30' })).status).toBe(201);
    // Every finished month settled: the month under way, which cannot be issued yet.
    expect((await shop.admin.get('/api/statement-runs/next')).body).toEqual({
      month: '2026-12',
      from: '2026-12-01',
      to: '2026-12-31',
      pending: 0,
      finished: false,
    });
  });

  it('refuses a day a statement has settled, and takes the next one into the next period', async () => {
    await at('2026-12-03T09:00:00Z');
    const settled = await use('2026-11-30');
    expect(settled.status).toBe(400);
    expect(settled.body.error.fields).toEqual([
      {
        field: 'day',
        reason: 'les ventes de Rucher de Brassac jusqu’au 30/11/2026 sont déjà réglées par un relevé : datez l’usage après cette date',
      },
    ]);
    expect((await use('2026-12-02', 3)).status).toBe(201);
    const december = (await shop.admin.get(`/api/producers/${producer.id}/statement?from=2026-12-01&to=2026-12-31`)).body;
    expect(december.items.filter((i: any) => i.kind === 'kitchen').map((i: any) => [i.day, i.quantity, i.amountCents])).toEqual([
      ['2026-12-02', 3, 2850],
    ]);
  });
});
