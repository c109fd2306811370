import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN, aProducer, aProduct, aUser, startTestShop, type Client, type TestShop } from './support/harness.ts';
import { uuidv7 } from './support/tickets.ts';

/**
 * A statement explains its discounted lines: each reads quantity × unit price + remise = amount.
 *
 *   P  Potager du Dadou, assujetti, commission 20 %: Panier 15,00 € (5,5 %), Tomates 4,90 €/kg (5,5 %).
 *   The shop's own: Plateau 15,00 € (10 %).
 *
 *   T1 10/11 Panier 1500 + Plateau 1500, ticket discount 10 spread pro rata: 5 and 5. Panier 1500 − 5 = 1495.
 *   T2 10/11 Tomates 1 167 g: 490 × 1,167 = 571,83 -> 572; line discount 21: 572 − 21 = 551.
 *   T3 10/11 refund of T1's Panier: −1500 + 5 (its discount given back) = −1495.
 *   Statement of 10/11: sales 1495 + 551 = 2046 (remises −0,05 − 0,21 = −0,26); refunds −1495 (remise +0,05).
 */
describe('a statement’s discounted lines', () => {
  let shop: TestShop;
  let clock = new Date('2026-11-10T09:00:00Z');
  let till: Client;
  let number = 0;
  const ids: Record<string, number> = {};
  const dir = path.join('test-artifacts', 'statements');

  async function sell(body: Record<string, unknown>, path = '/api/sales') {
    const res = await till.post(path, { id: uuidv7(), tillId: 1, number: ++number, createdAt: clock.toISOString(), ...body });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    return res.body;
  }

  beforeAll(async () => {
    fs.mkdirSync(dir, { recursive: true });
    shop = await startTestShop({ now: () => clock });
    const p = await aProducer(shop.admin, { name: 'Potager du Dadou', commissionBp: 2000 });
    ids.p = p.id;
    ids.panier = (await aProduct(shop.admin, { name: 'Panier', producerId: p.id, priceCents: 1500, vatRateBp: 550 })).id;
    ids.tomates = (await aProduct(shop.admin, { name: 'Tomates', producerId: p.id, unit: 'kg', priceCents: 490, vatRateBp: 550 })).id;
    ids.plateau = (await aProduct(shop.admin, { name: 'Plateau', priceCents: 1500, vatRateBp: 1000 })).id;
    await shop.admin.post('/api/stock/deposits', { producerId: p.id, lines: [{ productId: ids.panier, quantity: 5 }] });
    await shop.admin.post('/api/users', {
      login: 'chef',
      displayName: 'Cheffe',
      role: 'manager',
      password: 'mot-de-passe-long',
      pin: '9876',
    });
    expect((await shop.admin.post('/api/auth/login', ADMIN)).status).toBe(200);
    till = (await aUser(shop, 'cashier')).client;
  });
  afterAll(() => shop.close());

  it('shows a « Remise » column that makes each line add up, sales and refunds', async () => {
    const t1 = await sell({
      lines: [
        { productId: ids.panier, quantity: 1, unitPriceCents: 1500 },
        { productId: ids.plateau, quantity: 1, unitPriceCents: 1500 },
      ],
      discountCents: 10,
      payments: [{ method: 'card', amountCents: 2990 }],
      totalCents: 2990,
    });
    expect(t1.lines.map((l: any) => l.totalCents)).toEqual([1495, 1495]);
    await sell({
      lines: [{ productId: ids.tomates, grams: 1167, unitPriceCents: 490, discountCents: 21 }],
      payments: [{ method: 'card', amountCents: 551 }],
      totalCents: 551,
    });
    clock = new Date('2026-11-10T10:00:00Z');
    await sell(
      {
        refundOf: t1.id,
        reason: 'Panier abîmé',
        lines: [{ lineNo: 1, quantity: 1 }],
        payments: [{ method: 'card', amountCents: -1495 }],
        totalCents: -1495,
        approvalPin: '9876',
      },
      '/api/refunds',
    );

    clock = new Date('2026-11-11T09:00:00Z');
    expect((await shop.admin.post('/api/auth/login', ADMIN)).status).toBe(200);
    const st = await shop.admin.post(`/api/producers/${ids.p}/statements`, { from: '2026-11-10', to: '2026-11-10' });
    expect(st.status, JSON.stringify(st.body)).toBe(201);
    // Frozen with the statement: what each line was let off (negative on the refund: the discount given back).
    expect(st.body.items.map((i: any) => [i.kind, i.name, i.amountCents, i.discountCents])).toEqual([
      ['sale', 'Panier', 1495, 5],
      ['sale', 'Tomates', 551, 21],
      ['refund', 'Panier', -1495, -5],
    ]);
    expect([st.body.totals.salesCents, st.body.totals.refundsCents]).toEqual([2046, -1495]);

    const pdf = await shop.admin.get(`/api/statements/${st.body.id}.pdf`);
    expect(pdf.status).toBe(200);
    const file = path.join(dir, 'statement-discounts.pdf');
    fs.writeFileSync(file, pdf.raw);
    const text = execFileSync('pdftotext', ['-layout', file, '-'])
      .toString()
      .replace(/\u00a0/g, ' ')
      .replace(/[ \t]+/g, ' ');
    expect(text).toMatch(/ Remise /);
    // 1 × 15,00 − 0,05 = 14,95; 1,167 kg × 4,90 = 5,72 − 0,21 = 5,51; −1 × 15,00 + 0,05 = −14,95.
    expect(text).toMatch(/Panier 1 15,00 € -0,05 € 5,5 ?% 14,95 €/);
    expect(text).toMatch(/Tomates 1,167 kg 4,90 €\/kg -0,21 € 5,5 ?% 5,51 €/);
    expect(text).toMatch(/Total des ventes -0,26 € 20,46 €/);
    expect(text).toMatch(/Panier -1 15,00 € 0,05 € 5,5 ?% -14,95 €/);
    expect(text).toMatch(/Total remboursé 0,05 € -14,95 €/);
    execFileSync('pdftoppm', ['-png', '-r', '60', '-f', '1', '-l', '1', file, path.join(dir, 'statement-discounts')]);
  });
});
