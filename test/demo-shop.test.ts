import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../server/config.ts';
import { createLogger } from '../server/log.ts';
import { startServer, type RunningServer } from '../server/server.ts';
import { issuePairingCode } from '../server/tills/tills.ts';
import { Client } from './support/harness.ts';

describe('the demo shop a newcomer meets on first start', () => {
  let dataDir: string;
  let server: RunningServer;
  beforeAll(async () => {
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'comptoir-demo-'));
    server = await startServer({
      config: loadConfig({ DATA_DIR: dataDir, PORT: '0', HOST: '127.0.0.1', BACKUP_HOUR: 'off', MDNS: 'off', CHECK_RESPONSES: 'on' }),
      logger: createLogger('silent'),
      demoIfEmpty: true,
    });
  });
  afterAll(async () => {
    await server.close();
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  it('is created on an empty data directory and says DEMO', async () => {
    expect(server.createdDemo).toBe(true);
    const c = new Client(server.url);
    const health = await c.get('/api/health');
    expect(health.body).toMatchObject({ ok: true, demo: true, version: expect.stringMatching(/^\d+\.\d+\.\d+/) });
    expect((await c.get('/api/shop')).body.name).toMatch(/DEMO/);
  });

  it('lets the documented logins in: manager gerant/comptoir, a producer by slug, cashier PIN 1234 on the first till', async () => {
    const manager = new Client(server.url);
    expect((await manager.post('/api/auth/login', { login: 'gerant', password: 'comptoir' })).status).toBe(200);
    const producers = (await manager.get('/api/producers?limit=500')).body;
    expect(producers.length).toBeGreaterThanOrEqual(15);
    const products = (await manager.get('/api/products?limit=500')).body;
    expect(products.length).toBeGreaterThanOrEqual(90);
    expect(products.some((p: any) => p.unit === 'kg' && p.plu)).toBe(true);
    expect(products.some((p: any) => p.barcodes.length > 0)).toBe(true);
    expect(products.some((p: any) => p.onHand > 0)).toBe(true);
    // Four weeks of history sold what the shelves held: no level below zero (there were 39 before).
    const stock = (await manager.get('/api/stock')).body as { name: string; onHand: number }[];
    expect(stock.filter((r) => r.onHand < 0).map((r) => `${r.name} ${r.onHand}`)).toEqual([]);

    const slug = producers[0].slug;
    const producer = new Client(server.url);
    expect((await producer.post('/api/auth/login', { login: slug, password: 'comptoir' })).status).toBe(200);
    const own = (await producer.get('/api/products?limit=500')).body;
    expect(own.length).toBeGreaterThan(0);
    expect(own.every((p: any) => p.producerId === producers[0].id)).toBe(true);

    const managerId = (await manager.get('/api/auth/me')).body.user.id;
    const { code } = await server.database.db.transaction().execute((trx) => issuePairingCode(trx, 1, managerId, new Date()));
    const till = new Client(server.url);
    expect((await till.post('/api/devices/pair', { code })).status).toBe(201);
    const pin = await till.post('/api/auth/pin', { tillId: 1, pin: '1234' });
    expect(pin.status).toBe(200);
    expect(pin.body.user.role).toBe('cashier');
    // Its receipts print into DATA_DIR/prints (a newcomer found no receipt printer at all once the kitchen's
    // and the bar's printers were made first): every shop till and the waiters' tills have it.
    const printers = (await manager.get('/api/printers')).body as { id: number; role: string; uri: string }[];
    const receipt = printers.find((p) => p.role === 'receipt');
    expect(receipt?.uri).toBe('file:prints');
    const tills = (await manager.get('/api/tills')).body as { name: string; printerId: number | null }[];
    expect(tills.filter((t) => t.name !== 'Écran cuisine' && t.printerId !== receipt!.id).map((t) => t.name)).toEqual([]);
  });

  it('has last month settled: a statement per producer who sold, a third of them paid', async () => {
    const manager = new Client(server.url);
    await manager.post('/api/auth/login', { login: 'gerant', password: 'comptoir' });
    const statements = (await manager.get('/api/statements?limit=200')).body;
    // Four weeks of history reach into the previous month unless today is the 29th or later.
    const dayOfMonth = Number(new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/Paris', day: 'numeric' }).format(new Date()));
    if (dayOfMonth >= 29) return expect(statements).toEqual([]);
    expect(statements.length).toBeGreaterThanOrEqual(10);
    const paid = statements.filter((s: any) => s.paidOn !== null).length;
    expect(paid).toBe(Math.ceil(statements.length / 3));
    expect(statements.every((s: any) => s.to.slice(0, 7) === statements[0].to.slice(0, 7) && s.netCents > 0)).toBe(true);
    const producer = new Client(server.url);
    const slug = (await manager.get(`/api/producers/${statements[0].producerId}`)).body.slug;
    expect((await producer.post('/api/auth/login', { login: slug, password: 'comptoir' })).status).toBe(200);
    const own = await producer.get(`/api/statements/${statements[0].id}.pdf`);
    expect(own.status).toBe(200);
    expect(own.raw.subarray(0, 5).toString()).toBe('%PDF-');
  });

  it('has a restaurant: a salle of 12 tables and a terrasse of 6, a kitchen and a bar, two tables open', async () => {
    const manager = new Client(server.url);
    await manager.post('/api/auth/login', { login: 'gerant', password: 'comptoir' });
    const floor = (await manager.get('/api/floor')).body as {
      name: string;
      tables: { name: string; order: null | { covers: number; newLines: number } }[];
    }[];
    expect(floor.map((r) => [r.name, r.tables.length])).toEqual([
      ['Salle', 12],
      ['Terrasse', 6],
    ]);
    const open = floor.flatMap((r) => r.tables.filter((t) => t.order).map((t) => [t.name, t.order!.covers, t.order!.newLines]));
    // Table 3 ordered and sent (nothing new); T2's drinks are being taken (two lines not sent).
    expect(open).toEqual([
      ['3', 4, 0],
      ['T2', 2, 2],
    ]);
    expect((await manager.get('/api/stations')).body.map((s: { name: string }) => s.name)).toEqual(['Cuisine', 'Bar']);
    // Table 3's send made one kitchen ticket for the kitchen and one for the bar, queued on their printers.
    const jobs = (await manager.get('/api/print-jobs?limit=200')).body as { kind: string; createdAt: string }[];
    // (The past week's kitchen tickets are older than today.)
    expect(jobs.filter((j) => j.kind === 'kitchen' && Date.parse(j.createdAt) > Date.now() - 3_600_000)).toHaveLength(2);
    // The last week had table service through the waiters' phones: orders sent, then paid on Salle 1 and 2.
    const tills = (await manager.get('/api/tills')).body as { id: number; name: string }[];
    for (const name of ['Salle 1', 'Salle 2']) {
      const till = tills.find((t) => t.name === name)!;
      const sales = (await manager.get(`/api/sales?tillId=${till.id}&limit=500`)).body;
      const list = (Array.isArray(sales) ? sales : sales.items) as { createdAt: string }[];
      expect(list.length).toBeGreaterThan(10);
      // Within the last eight days only.
      expect(list.every((x) => Date.parse(x.createdAt) > Date.now() - 8 * 86_400_000)).toBe(true);
    }
    // Those orders are all settled: only the two tables open at start are open.
    expect(((await manager.get('/api/orders')).body as unknown[]).length).toBe(2);
  });

  it('has dishes with modifiers and goods served at the table at 10 % but sold at 5.5 %', async () => {
    const manager = new Client(server.url);
    await manager.post('/api/auth/login', { login: 'gerant', password: 'comptoir' });
    const products = (await manager.get('/api/products?outlet=restaurant&limit=500')).body as {
      name: string;
      vatRateBp: number;
      takeawayVatRateBp: number | null;
      modifiers: { name: string; min: number; max: number; options: { name: string; priceCents: number }[] }[];
    }[];
    const burger = products.find((p) => p.name === 'Burger de bœuf Aubrac')!;
    expect(burger.modifiers.map((g) => [g.name, g.min, g.max])).toEqual([
      ['Cuisson', 1, 1],
      ['Suppléments', 0, 3],
      ['Sans', 0, 2],
    ]);
    expect(burger.modifiers[0]!.options.every((o) => o.priceCents === 0)).toBe(true);
    expect(burger.modifiers[1]!.options[0]).toMatchObject({ name: 'Supplément fromage', priceCents: 150 });
    const juice = products.find((p) => p.name === 'Jus de pomme 25 cl')!;
    expect([juice.vatRateBp, juice.takeawayVatRateBp]).toEqual([1000, 550]);
    // Table 3's burger, à point with its cheese: 14,50 + 1,50 = 16,00 €.
    const orders = (await manager.get('/api/orders')).body as {
      lines: { name: string; unitPriceCents: number; modifiers: { name: string }[] }[];
    }[];
    const line = orders.flatMap((o) => o.lines).find((l) => l.name === 'Burger de bœuf Aubrac')!;
    expect(line).toMatchObject({ unitPriceCents: 1600, modifiers: [{ name: 'À point' }, { name: 'Supplément fromage' }] });
  });

  it('cooks some dishes with the producers’ goods: recipes with their food cost, kitchen movements paid to the producers', async () => {
    const manager = new Client(server.url);
    await manager.post('/api/auth/login', { login: 'gerant', password: 'comptoir' });
    const recipes = (await manager.get('/api/recipes')).body as {
      dishName: string;
      priceExclVatCents: number;
      foodCostCents: number;
      marginCents: number;
      ingredients: { producerId: number | null; costCents: number }[];
    }[];
    expect(recipes.length).toBeGreaterThanOrEqual(5);
    const mixte = recipes.find((r) => r.dishName === 'Planche mixte à partager')!;
    // 19,00 € at 10 %: 1900 / 1,1 = 1727,27 -> 1727 HT. Tomme 2600 × 80 g = 208, ham 3490 × 80 g = 279,2 -> 279,
    // melsat 1490 × 80 g = 119,2 -> 119, Roquefort 3290 × 40 g = 131,6 -> 132: 738. Margin 1727 − 738 = 989.
    expect(mixte).toMatchObject({ priceExclVatCents: 1727, foodCostCents: 738, marginCents: 989 });
    expect(mixte.ingredients.map((i) => i.costCents)).toEqual([208, 279, 119, 132]);
    expect(recipes.every((r) => r.ingredients.every((i) => i.producerId !== null))).toBe(true);
    // The café's lunches of the history took their ingredients off the shelves, each naming its ticket.
    const tomme = ((await manager.get('/api/products?q=tomme de brebis des monts')).body as { id: number }[])[0]!;
    const moves = (await manager.get(`/api/products/${tomme.id}/movements?limit=1000`)).body as {
      kind: string;
      saleId: string | null;
      note: string;
    }[];
    const kitchen = moves.filter((m) => m.kind === 'kitchen');
    expect(kitchen.length).toBeGreaterThan(0);
    expect(kitchen.every((m) => m.saleId !== null && /^(Bar|Salle \d) · n° \d+ · /.test(m.note))).toBe(true);
    // The waiter's catalogue says which dishes are short of an ingredient: none on the demo's first morning,
    // after the day's delivery (the history's last days had emptied the cheeses, the ham and the soup's
    // vegetables, and 12 dishes showed « Ingrédient manquant »).
    const catalog = (await manager.get('/api/catalog?outlet=restaurant')).body as {
      products: { name: string; ingredientsShort: boolean }[];
    };
    expect(catalog.products.filter((p) => p.ingredientsShort !== false).map((p) => p.name)).toEqual([]);
  });

  it('verifies clean, and documents its API', async () => {
    const manager = new Client(server.url);
    await manager.post('/api/auth/login', { login: 'gerant', password: 'comptoir' });
    expect((await manager.get('/api/journal/verify')).body).toMatchObject({ ok: true, problems: [] });
    const doc = (await manager.get('/api/openapi.json')).body;
    expect(doc.openapi).toBe('3.1.0');
    expect(doc.paths['/api/products/{id}'].patch.requestBody.content['application/json'].schema.properties.priceCents.type).toBe('integer');
    expect(doc.paths['/api/producers'].get['x-access']).toEqual(['admin', 'manager']);
  });
});
