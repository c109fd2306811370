import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../server/config.ts';
import { createLogger } from '../server/log.ts';
import { startServer, type RunningServer } from '../server/server.ts';
import { issuePairingCode } from '../server/tills/tills.ts';
import { accessibilityProblems, launchBrowser, screenshot, shopOrigin } from './support/browser.ts';
import { Client } from './support/harness.ts';

// Issue 18, items 1 and 3, on the demo shop a newcomer meets: every product of the till can be reached
// (the « Tout » tab used to stop at the first 40 of ~120, alphabetically, without a word), and every
// tile shows its price and its producer inside the tile, the stock never over either, on a landscape
// and a portrait tablet.
let dataDir: string;
let server: RunningServer;
let browser: Browser;

beforeAll(async () => {
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'comptoir-tiles-'));
  server = await startServer({
    config: loadConfig({ DATA_DIR: dataDir, PORT: '0', HOST: '127.0.0.1', BACKUP_HOUR: 'off', MDNS: 'off', CHECK_RESPONSES: 'on' }),
    logger: createLogger('silent'),
    serveClient: true,
    demoIfEmpty: true,
  });
  browser = await launchBrowser({ trustShopCa: dataDir });
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await server?.close();
  fs.rmSync(dataDir, { recursive: true, force: true });
});

/** The demo's first till, paired, with Léa (PIN 1234, README) logged in. */
async function openTill(viewport: { width: number; height: number }): Promise<Page> {
  const manager = new Client(server.url);
  await manager.post('/api/auth/login', { login: 'gerant', password: 'comptoir' });
  const managerId = (await manager.get('/api/auth/me')).body.user.id;
  const { code } = await server.database.db.transaction().execute((trx) => issuePairingCode(trx, 1, managerId, new Date()));
  const context = await browser.newContext({
    viewport,
    baseURL: shopOrigin(server.port),
    locale: 'fr-FR',
    timezoneId: 'Europe/Paris',
    hasTouch: true,
  });
  const page = await context.newPage();
  await page.goto('/caisse/');
  await page.getByLabel('Code d’appairage').fill(code);
  await page.getByRole('button', { name: 'Appairer la tablette' }).click();
  await page.getByRole('button', { name: /Léa/ }).click();
  await page.keyboard.type('1234');
  await page.keyboard.press('Enter');
  await page.locator('[data-product]').first().waitFor();
  return page;
}

interface TileCheck {
  id: string;
  name: string;
  problems: string[];
}

/** Every tile drawn now, measured: price and producer inside the tile and whole, nothing over them. */
const measureTiles = (page: Page) =>
  page.locator('[data-testid=grid] .tile').evaluateAll((tiles): TileCheck[] =>
    tiles.map((tile) => {
      const box = tile.getBoundingClientRect();
      const part = (c: string) => tile.querySelector<HTMLElement>(`.${c}`)!;
      const inside = (r: DOMRect) =>
        r.left >= box.left - 0.5 && r.right <= box.right + 0.5 && r.top >= box.top - 0.5 && r.bottom <= box.bottom + 0.5;
      const overlap = (a: DOMRect, b: DOMRect) =>
        a.left < b.right - 0.5 && b.left < a.right - 0.5 && a.top < b.bottom - 0.5 && b.top < a.bottom - 0.5;
      const problems: string[] = [];
      const name = part('tile-name');
      const producer = part('tile-producer');
      const price = part('tile-price');
      const stock = part('tile-stock');
      const priceBox = price.getBoundingClientRect();
      if (price.hidden || !price.textContent) problems.push('no price');
      if (!inside(priceBox)) problems.push(`price outside the tile (${JSON.stringify(priceBox)} in ${JSON.stringify(box)})`);
      if (price.scrollWidth > price.clientWidth + 1) problems.push('price clipped');
      if (!producer.hidden) {
        const r = producer.getBoundingClientRect();
        if (!inside(r) || r.height < 8) problems.push('producer outside the tile');
        if (overlap(r, priceBox)) problems.push('producer over the price');
        if (overlap(name.getBoundingClientRect(), r)) problems.push('name over the producer');
      }
      if (overlap(name.getBoundingClientRect(), priceBox)) problems.push('name over the price');
      if (!stock.hidden) {
        const r = stock.getBoundingClientRect();
        if (overlap(r, priceBox)) problems.push('stock over the price');
        if (overlap(r, name.getBoundingClientRect())) problems.push('stock over the name');
        if (!inside(r)) problems.push('stock outside the tile');
        if (stock.scrollWidth > stock.clientWidth + 1) problems.push(`stock clipped (${stock.textContent})`);
      }
      // A long name is cut by the line clamp, at the box's edge, never under the price.
      if (!inside(name.getBoundingClientRect())) problems.push('name outside the tile');
      return { id: (tile as HTMLElement).dataset.product!, name: name.textContent ?? '', problems };
    }),
  );

/** Scrolls the grid from top to bottom, half a screen at a time, measuring every tile on the way. */
async function walkGrid(page: Page): Promise<Map<string, TileCheck>> {
  const seen = new Map<string, TileCheck>();
  const scroller = page.locator('.grid-scroll');
  await scroller.evaluate((el) => (el.scrollTop = 0));
  for (let step = 0; step < 200; step++) {
    await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))));
    for (const t of await measureTiles(page)) {
      // Only tiles in view are judged: the rows drawn above and below are off screen.
      seen.set(t.id, t);
    }
    const done = await scroller.evaluate((el) => {
      const before = el.scrollTop;
      el.scrollTop += el.clientHeight / 2;
      return el.scrollTop === before;
    });
    if (done) break;
  }
  return seen;
}

describe('the till’s product tiles on the demo shop', { timeout: 120_000 }, () => {
  for (const [label, viewport] of [
    ['landscape 1280×800', { width: 1280, height: 800 }],
    ['portrait 800×1280', { width: 800, height: 1280 }],
  ] as const) {
    it(`reaches every product, each tile showing its price and producer whole (${label})`, async () => {
      const page = await openTill(viewport);
      const products: { id: number; name: string; producerName: string | null; modelId: number | null }[] = await page.evaluate(() =>
        (window as any).till.state.catalog.products.map((p: any) => ({
          id: p.id,
          name: p.name,
          producerName: p.producerName,
          modelId: p.variant?.modelId ?? null,
        })),
      );
      // A textile model is one tile (its first variant's, under the model's name): its sizes and colours are in its grid.
      const models = new Set<number>();
      const catalog = products.filter((p) => p.modelId === null || (!models.has(p.modelId) && models.add(p.modelId)));
      // The demo has about 120 products on the shop's till: far more than the 40 « Tout » used to show.
      expect(catalog.length).toBeGreaterThan(90);
      expect(await page.getByTestId('grid-count').textContent()).toBe(`${catalog.length} article(s)`);

      const seen = await walkGrid(page);
      expect([...seen.keys()].sort()).toEqual(catalog.map((p) => String(p.id)).sort());
      expect([...seen.values()].filter((t) => t.problems.length)).toEqual([]);
      // Names the issue found hiding their price are among them.
      const long = catalog.filter((p) => /Ail rose de Lautrec|Bière blonde de la Montagne Noire|Baume à lèvres/.test(p.name));
      expect(long.length).toBeGreaterThan(0);
      for (const p of long) expect(seen.get(String(p.id))?.problems).toEqual([]);

      // A keyboard reaches the last one too: Home and End in the grid, arrows between tiles.
      await page.locator('.grid-scroll').evaluate((el) => (el.scrollTop = 0));
      await page.locator('[data-testid=grid] .tile').first().focus();
      await page.keyboard.press('End');
      await expect
        .poll(() => page.evaluate(() => (document.activeElement as HTMLElement).dataset.product))
        .toBe(String(catalog.at(-1)!.id));
      await page.keyboard.press('ArrowLeft');
      await expect
        .poll(() => page.evaluate(() => (document.activeElement as HTMLElement).dataset.product))
        .toBe(String(catalog.at(-2)!.id));
      await page.keyboard.press('Enter');
      await expect.poll(() => page.locator('[data-testid=cart] li').first().textContent()).toContain(catalog.at(-2)!.name);

      await page.locator('.grid-scroll').evaluate((el) => (el.scrollTop = 0));
      expect(await accessibilityProblems(page)).toEqual([]);
      await screenshot(page, `till-tiles-${viewport.width}x${viewport.height}`);
      await page.context().close();
    });
  }

  it('says what a search found: nothing, the first results only, or every product again once cleared', async () => {
    const page = await openTill({ width: 1280, height: 800 });
    const search = page.getByRole('searchbox', { name: 'Chercher un article ou scanner' });
    const count = page.getByTestId('grid-count');
    const none = page.locator('p.empty');
    const all = (await count.textContent())!;
    expect(all).toMatch(/^\d+ article\(s\)$/);
    expect(await none.isVisible()).toBe(false);
    // Nothing in the demo's catalogue holds « zzz »: said under the box, an empty grid.
    await search.pressSequentially('zzz');
    await expect.poll(() => none.textContent()).toBe('Aucun article pour « zzz ».');
    expect(await none.isVisible()).toBe(true);
    expect(await page.locator('[data-testid=grid] .tile').count()).toBe(0);
    expect(await count.textContent()).toBe('');
    // One letter finds more than the 25 a search shows: the count says so (the demo's textile models show
    // their variants as one tile, so there may be fewer tiles than 25, as many as the count says).
    await search.fill('');
    await search.pressSequentially('a');
    await expect.poll(() => count.textContent()).toMatch(/^Les \d+ premiers résultats : précisez la recherche pour voir les autres\.$/);
    const n = Number((await count.textContent())!.match(/\d+/)![0]);
    expect(n).toBeGreaterThan(10);
    expect(n).toBeLessThanOrEqual(25);
    expect(await none.isVisible()).toBe(false);
    expect(await page.locator('[data-testid=grid] .tile').count()).toBe(n);
    expect(await page.getByTestId('grid').getAttribute('aria-label')).toBe(`Articles (${n})`);
    // The tabs step back while searching, readable still (axe), « Tout » no longer pressed.
    const tout = page.getByRole('button', { name: 'Tout', exact: true });
    expect(await page.locator('nav.tabs').getAttribute('data-searching')).toBe('');
    expect(await tout.getAttribute('aria-pressed')).toBe('false');
    expect(await accessibilityProblems(page)).toEqual([]);
    // Escape clears the box: every product again, and their count.
    await search.press('Escape');
    await expect.poll(() => count.textContent()).toBe(all);
    expect(await none.isVisible()).toBe(false);
    expect(await page.locator('nav.tabs').getAttribute('data-searching')).toBe(null);
    expect(await tout.getAttribute('aria-pressed')).toBe('true');
    expect(await accessibilityProblems(page)).toEqual([]);
    await page.context().close();
  });

  it('shows a new stock level on its tile at once, when a count (or another till) changes it', async () => {
    const page = await openTill({ width: 1280, height: 800 });
    // The first tile whose stock is followed, sold by the piece: its level is a plain number.
    const tile = page.locator('[data-testid=grid] .tile').filter({ has: page.locator('.tile-stock:not([hidden])') });
    const picked = await tile.evaluateAll((tiles) =>
      tiles
        .map((t) => ({ id: Number((t as HTMLElement).dataset.product), stock: t.querySelector('.tile-stock')!.textContent! }))
        .find((t) => /^\d+$/.test(t.stock)),
    );
    expect(picked).toBeDefined();
    const { id, stock } = picked!;
    // Counted at its level plus 7: the tile says so without a reload (the socket's stock:changed).
    const manager = new Client(server.url);
    await manager.post('/api/auth/login', { login: 'gerant', password: 'comptoir' });
    const counted = Number(stock) + 7;
    expect((await manager.post('/api/stock/counts', { lines: [{ productId: id, counted }] })).status).toBe(201);
    const stockOf = page.locator(`[data-testid=grid] [data-product="${id}"] .tile-stock`);
    await expect.poll(() => stockOf.textContent(), { timeout: 5000 }).toBe(String(counted));
    // And after a search that shows it again, still the new level.
    const search = page.getByRole('searchbox', { name: 'Chercher un article ou scanner' });
    await search.fill('zzz');
    await search.fill('');
    await expect.poll(() => stockOf.textContent()).toBe(String(counted));
    // A textile model's tile (its first variant under the model's name) shows the stock of all its variants
    // (it showed its first variant's alone), and follows a count of any of them.
    const model: { id: number; sum: number; modelName: string } | null = await page.evaluate(() => {
      const products = (window as any).till.state.catalog.products as {
        id: number;
        unit: string;
        onHand: number | null;
        variant: { modelId: number; modelName: string } | null;
      }[];
      const first = products.find((p) => p.variant && typeof p.onHand === 'number' && p.unit === 'piece');
      if (!first) return null;
      const sum = products.filter((p) => p.variant?.modelId === first.variant!.modelId).reduce((s, p) => s + (p.onHand ?? 0), 0);
      return { id: first.id, sum, modelName: first.variant!.modelName };
    });
    expect(model).not.toBeNull();
    await search.fill(model!.modelName);
    const modelStock = page.locator(`[data-testid=grid] [data-product="${model!.id}"] .tile-stock`);
    await expect.poll(() => modelStock.textContent()).toBe(String(model!.sum));
    const own = (await manager.get(`/api/products/${model!.id}`)).body.onHand as number;
    expect((await manager.post('/api/stock/counts', { lines: [{ productId: model!.id, counted: own + 5 }] })).status).toBe(201);
    await expect.poll(() => modelStock.textContent(), { timeout: 5000 }).toBe(String(model!.sum + 5));
    await page.context().close();
  });
});
