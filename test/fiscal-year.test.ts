import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { aProduct, aUser, shopIdentity, startTestShop, type Client, type TestShop } from './support/harness.ts';
import { uuidv7 } from './support/tickets.ts';

// Issue 20 item 5: a shop whose fiscal year ends in June closes and archives July to June, not the
// calendar year; each closing carries the perpetual grand totals.

const NOW = new Date('2026-08-10T10:00:00Z');

describe('a fiscal year ending in June', () => {
  let shop: TestShop;
  let till: Client;
  let pain: { id: number };
  let number = 0;
  const sell = (at: string, cents: number) =>
    till.post('/api/sales', {
      id: uuidv7(),
      tillId: 1,
      number: ++number,
      createdAt: at,
      lines: [{ productId: pain.id, quantity: cents / 260, unitPriceCents: 260 }],
      payments: [{ method: 'card', amountCents: cents }],
      totalCents: cents,
    });

  beforeAll(async () => {
    shop = await startTestShop({ now: () => NOW });
    expect((await shop.admin.put('/api/settings/identity', { ...shopIdentity, fiscalYearEndMonth: 6 })).status).toBe(200);
    pain = await aProduct(shop.admin, { name: 'Pain', priceCents: 260 });
    till = (await aUser(shop, 'cashier')).client;
    // 2 loaves on 15 July 2025 (first month of fiscal year 2026), 3 on 20 June 2026 (its last), 1 on 2 July
    // 2026 (fiscal year 2027).
    // Each day closed (Z) before the next is rung: a day left without its Z would stop the till.
    for (const [at, cents] of [
      ['2025-07-15T10:00:00Z', 520],
      ['2026-06-20T10:00:00Z', 780],
      ['2026-07-02T10:00:00Z', 260],
    ] as const) {
      expect((await sell(at, cents)).status).toBe(201);
      expect((await shop.admin.post('/api/closings/day', { outlet: 'shop', day: at.slice(0, 10), cashCountedCents: 0 })).status).toBe(201);
    }
    for (const month of ['2025-07', '2026-06', '2026-07'])
      expect((await shop.admin.post('/api/closings/month', { outlet: 'shop', month })).status).toBe(201);
  });
  afterAll(() => shop.close());

  it('closes fiscal year 2026 from July 2025 to June 2026, with the grand totals at 30 June', async () => {
    const year = await shop.admin.post('/api/closings/year', { outlet: 'shop', year: '2026' });
    expect(year.status).toBe(201);
    // 520 + 780 = 1300; the loaf of 2 July 2026 belongs to fiscal year 2027.
    expect(year.body.figures).toMatchObject({ tickets: 2, totalCents: 1300, from: ['2025-07', '2026-06'] });
    expect(year.body.figures.grandTotals).toEqual({
      tills: [{ tillId: 1, grandTotalCents: 1300 }],
      outletCents: 1300,
      establishmentCents: 1300,
      othersUpTo: [],
    });
    // The closing's PDF prints them, each till by its name (« Caisse 3 » told a walk nothing: Bar or a phone?).
    expect((await shop.admin.patch('/api/tills/1', { name: 'Comptoir' })).status).toBe(200);
    const pdf = await shop.admin.get(`/api/closings/${year.body.id}.pdf`);
    expect(pdf.status).toBe(200);
    const dir = path.join('test-artifacts', 'fiscal-year');
    fs.mkdirSync(dir, { recursive: true });
    const file = path.join(dir, 'year-2026.pdf');
    fs.writeFileSync(file, pdf.raw);
    const text = execFileSync('pdftotext', ['-layout', file, '-'])
      .toString()
      .replace(/[\u00a0\u202f]/g, ' ');
    expect(text).toContain('Totaux perpétuels à la fin de la période');
    expect(text).toMatch(/Comptoir\s+13,00 €/);
    expect(text).toMatch(/Établissement \(tous les points de vente\)\s+13,00 €/);
    execFileSync('pdftoppm', ['-png', '-r', '60', '-f', '1', '-l', '1', file, path.join(dir, 'year-2026')]);
  });

  it('refuses fiscal year 2027 while it runs (until 30 June 2027)', async () => {
    const res = await shop.admin.post('/api/closings/year', { outlet: 'shop', year: '2027' });
    expect(res.status).toBe(422);
    expect(res.body.error.message).toContain('30 juin 2027');
  });

  it('archives fiscal year 2026: its two tickets and the segment of the closings chain that holds its closings', async () => {
    const res = await shop.admin.post('/api/archives', { year: '2026' });
    expect(res.status).toBe(201);
    // Closings chain in the order closed: Z 15/07, Z 20/06, Z 02/07, July 2025, June 2026, July 2026, year 2026.
    // The archive keeps the whole segment from the first of the year's closings to its last, so that its links
    // verify: the Z of 2 July and the month of July 2026, closed in between, come along: 7.
    expect(res.body.counts).toMatchObject({ tickets: 2, closings: 7 });
    expect((await shop.admin.get('/api/journal/verify')).body).toMatchObject({ ok: true, problems: [] });
  });
});
