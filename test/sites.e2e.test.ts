import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../server/config.ts';
import { createLogger } from '../server/log.ts';
import { startServer, type RunningServer } from '../server/server.ts';
import { createAdmin } from '../server/shop/setup.ts';
import { accessibilityProblems, launchBrowser, screenshot, shopOrigin, TABLET } from './support/browser.ts';
import { Client } from './support/harness.ts';

// The network of sites in the back office of the demo shop, in Debian's Chromium reached by the shop's name:
// the network's manager opens a second site with the form, chooses it as the site they work at, adds its
// till, gives it its own price for a product, and reads the report across sites. axe on each screen.
let dataDir: string;
let server: RunningServer;
let browser: Browser;
let origin: string;
let manager: Client;

beforeAll(async () => {
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'comptoir-sites-e2e-'));
  server = await startServer({
    config: loadConfig({ DATA_DIR: dataDir, PORT: '0', HOST: '127.0.0.1', BACKUP_HOUR: 'off', MDNS: 'off', CHECK_RESPONSES: 'on' }),
    logger: createLogger('silent'),
    demoIfEmpty: true,
    serveClient: true,
  });
  origin = shopOrigin(server.port);
  manager = new Client(server.url);
  expect((await manager.post('/api/auth/login', { login: 'gerant', password: 'comptoir' })).status).toBe(200);
  browser = await launchBrowser({ trustShopCa: dataDir });
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await server?.close();
  fs.rmSync(dataDir, { recursive: true, force: true });
});

async function loggedIn(): Promise<Page> {
  const context = await browser.newContext({ viewport: TABLET, locale: 'fr-FR', timezoneId: 'Europe/Paris' });
  const page = await context.newPage();
  page.on('pageerror', (e) => console.error('page error:', e.message));
  await page.goto(`${origin}/`);
  await page.getByLabel('Identifiant').fill('gerant');
  await page.getByLabel('Mot de passe').fill('comptoir');
  await page.getByRole('button', { name: 'Se connecter' }).click();
  await page.getByRole('navigation', { name: 'Gestion' }).waitFor();
  return page;
}

describe('a network of sites in the back office', { timeout: 120_000 }, () => {
  it('opens a site, works there, prices a product there and reports across sites', async () => {
    const page = await loggedIn();
    await page.getByRole('link', { name: 'Réseau de sites', exact: true }).click();
    await page.getByTestId('sites').waitFor();
    // One site: no site to choose yet.
    expect(await page.getByTestId('site-picker').count()).toBe(0);
    const problems = (await accessibilityProblems(page)).map((p) => `network: ${p}`);

    const form = page.getByTestId('new-site');
    await form.getByLabel('Site').fill('Tiers-lieu de Rodez');
    await form.getByLabel('Code').fill('rodez');
    await form.getByLabel('Ville').fill('Rodez');
    await form.getByLabel('Restaurant').check();
    await form.getByRole('button', { name: 'Ouvrir le site' }).click();
    await expect.poll(() => form.getByRole('status').textContent()).toContain('Site « Tiers-lieu de Rodez » ouvert');
    await expect.poll(() => page.getByTestId('site-row').count()).toBe(2);
    expect(await page.getByTestId('site-row').last().textContent()).toContain('Boutique, Restaurant');

    // Two sites: the picker appears (on the next visit); choose Rodez.
    await page.reload();
    await page.getByTestId('site-picker').waitFor();

    // From Castres, two jars of the beekeeper's honey go on to Rodez, on a transfer slip.
    const rucher = ((await manager.get('/api/producers?limit=500')).body as { id: number; name: string }[]).find(
      (p) => p.name === 'Rucher de Brassac',
    )!;
    const honey = (
      (await manager.get(`/api/stock?producerId=${rucher.id}`)).body as { productId: number; name: string; onHand: number }[]
    ).find((r) => r.name.startsWith('Miel') && r.onHand >= 2)!;
    await page.getByRole('link', { name: 'Dépôts', exact: true }).click();
    await page.getByRole('button', { name: 'Transfert vers un autre site' }).click();
    // Rodez, the only other site, is chosen already.
    expect(await page.getByLabel('Vers le site').locator('option:checked').textContent()).toBe('Tiers-lieu de Rodez');
    await page.getByLabel('Producteur').selectOption({ label: 'Rucher de Brassac' });
    await page.getByRole('button', { name: honey.name, exact: true }).click();
    await page.getByLabel(`Quantité de ${honey.name} (à la pièce)`).fill('2');
    problems.push(...(await accessibilityProblems(page)).map((p) => `transfer: ${p}`));
    await page.getByRole('button', { name: 'Enregistrer le transfert' }).click();
    await expect
      .poll(() => page.getByTestId('slip-done').textContent())
      .toBe('Bon de transfert n° 1 enregistré : marchandises de Rucher de Brassac envoyées à Tiers-lieu de Rodez.');
    // Listed first among the producer's slips, from one site to the other; the deposits there say their site.
    await expect
      .poll(() => page.getByTestId('slip-list').locator('tbody tr').first().textContent())
      .toMatch(/^.+Bon de transfert n° 1 \(.+ → Tiers-lieu de Rodez\)PDF/);
    await screenshot(page, 'sites-transfer', { fullPage: true });
    // Two fewer in Castres, two in Rodez.
    const rodezId = ((await manager.get('/api/sites')).body as { id: number; name: string }[]).find(
      (x) => x.name === 'Tiers-lieu de Rodez',
    )!.id;
    const level = async (site: number) =>
      (
        (await manager.request('GET', `/api/stock?producerId=${rucher.id}`, undefined, { headers: { 'comptoir-site': String(site) } }))
          .body as {
          productId: number;
          onHand: number;
        }[]
      ).find((r) => r.productId === honey.productId)?.onHand ?? 0;
    expect([await level(1), await level(rodezId)]).toEqual([honey.onHand - 2, 2]);
    await page.getByRole('link', { name: 'Réseau de sites', exact: true }).click();
    // At Castres, every counter's page; Rodez has a shop and a restaurant only: no page for the others there.
    const counters = ['Tarif solidaire', 'Ressourcerie', 'Boutique textile'];
    const menu = async () =>
      (await page.getByRole('navigation', { name: 'Gestion' }).getByRole('link').allTextContents()).map((l) => l.trim());
    expect(await menu()).toEqual(expect.arrayContaining([...counters, 'Salle et cuisine']));
    await page.getByLabel('Site de travail').selectOption({ label: 'Tiers-lieu de Rodez' });
    await expect.poll(async () => (await menu()).filter((l) => counters.includes(l))).toEqual([]);
    expect(await menu()).toContain('Salle et cuisine');
    await page.getByTestId('site-prices').waitFor();
    expect(await page.getByTestId('site-prices').getByRole('heading').textContent()).toBe('Prix propres à Tiers-lieu de Rodez');
    // Rodez sells the demo's miel at 10,50 € (its own price).
    const prices = page.getByTestId('site-price-form');
    const option = await prices.getByLabel('Article').locator('option', { hasText: /^Miel/ }).first().getAttribute('value');
    await prices.getByLabel('Article').selectOption(option!);
    await prices.getByLabel('Prix du site').fill('10,50');
    await prices.getByRole('button', { name: 'Fixer ce prix' }).click();
    await expect.poll(() => page.getByTestId('site-price').count()).toBe(1);
    expect((await page.getByTestId('site-price').textContent())!.replace(/[\u00a0\u202f]/g, ' ')).toContain('10,50 €');
    problems.push(...(await accessibilityProblems(page)).map((p) => `network at Rodez: ${p}`));
    await screenshot(page, 'sites-network');

    // Its tills: none yet at Rodez; one added there, not in Castres.
    await page.getByRole('link', { name: 'Caisses et réglages', exact: true }).click();
    await page.getByTestId('tills').waitFor();
    expect(await page.getByTestId('tills').locator('tr', { hasText: 'Caisse 1' }).count()).toBe(0);
    const rodezTills = await manager.request('GET', '/api/tills', undefined, { headers: { 'comptoir-site': '2' } });
    expect(rodezTills.body).toEqual([]);
    // The report: both sites, Castres with the demo's history, Rodez with nothing sold yet.
    await page.getByRole('link', { name: 'Réseau de sites', exact: true }).click();
    const rows = page.getByTestId('report-row');
    await expect.poll(() => rows.count()).toBe(2);
    expect(await rows.last().textContent()).toContain('Tiers-lieu de Rodez');
    problems.push(...(await accessibilityProblems(page)).map((p) => `report: ${p}`));
    expect(problems).toEqual([]);
    await page.context().close();
  });

  it('gives a manager tied to a site that site’s pages only, each one drawn without a refusal', async () => {
    // A second site if the test above has not opened one; a manager tied to it, made by the network's manager.
    let sites = (await manager.get('/api/sites')).body as { id: number; name: string; outlets: { kind: string }[] }[];
    if (sites.length < 2) {
      const made = await manager.post('/api/sites', { code: 'rdz', name: 'Tiers-lieu de Rodez', city: 'Rodez', outlets: ['shop'] });
      expect(made.status).toBe(201);
      sites = (await manager.get('/api/sites')).body;
    }
    const rodez = sites.find((s) => s.name === 'Tiers-lieu de Rodez')!;
    const rodezHasRestaurant = rodez.outlets.some((o) => o.kind === 'restaurant');
    // Only an admin makes a manager (the demo's manager is not one): the cooperative's admin, as `cli` makes it.
    await createAdmin(server.database.db, { login: 'cooperative', password: 'cooperative-password' }, new Date());
    const admin = new Client(server.url);
    expect((await admin.post('/api/auth/login', { login: 'cooperative', password: 'cooperative-password' })).status).toBe(200);
    const made = await admin.post('/api/users', {
      login: 'gerante-rodez',
      displayName: 'Gérante de Rodez',
      role: 'manager',
      password: 'rodez-password-long',
      siteId: rodez.id,
    });
    expect(made.status).toBe(201);

    const context = await browser.newContext({ viewport: TABLET, locale: 'fr-FR', timezoneId: 'Europe/Paris' });
    const page = await context.newPage();
    const pageErrors: string[] = [];
    page.on('pageerror', (e) => pageErrors.push(e.message));
    // What the server refused while the pages were drawn: none should be (each page asks only for its site's).
    const refused: string[] = [];
    let loggedIn = false;
    page.on('response', (r) => {
      if (loggedIn && r.url().includes('/api/') && (r.status() === 401 || r.status() === 403)) refused.push(`${r.status()} ${r.url()}`);
    });
    // Opened on the accounting page's address: not theirs, the day's page is shown instead.
    await page.goto(`${origin}/#accounting`);
    await page.getByLabel('Identifiant').fill('gerante-rodez');
    await page.getByLabel('Mot de passe').fill('rodez-password-long');
    await page.getByRole('button', { name: 'Se connecter' }).click();
    const nav = page.getByRole('navigation', { name: 'Gestion' });
    await nav.waitFor();
    loggedIn = true;
    // The network's business (producers' statements, accounts, the event log and backups) is not in the menu,
    // nor the pages of counters Rodez does not have: 13 pages for the network's manager at Castres, 7 for
    // Rodez's (with its restaurant, opened above) or 6 (a shop alone, when this test runs by itself).
    await expect.poll(async () => (await nav.getByRole('link').allTextContents()).length).toBeLessThan(8);
    const links = (await nav.getByRole('link').allTextContents()).map((l) => l.trim());
    for (const page of ['Relevés des producteurs', 'Comptabilité', 'Journal et sauvegardes', 'Tarif solidaire', 'Ressourcerie'])
      expect(links).not.toContain(page);
    expect(links).not.toContain('Boutique textile');
    expect(links.length).toBe(rodezHasRestaurant ? 7 : 6);
    expect(await nav.getByRole('link', { name: 'Journée et clôture' }).getAttribute('aria-current')).toBe('page');
    // No site picker: they work at Rodez, and the header says so beside the network's name.
    expect(await page.getByTestId('site-picker').count()).toBe(0);
    await expect.poll(() => page.getByRole('banner').getByRole('heading', { level: 1 }).textContent()).toMatch(/ — Tiers-lieu de Rodez$/);

    const problems: string[] = [];
    for (const name of links) {
      await nav.getByRole('link', { name, exact: true }).click();
      await page.waitForLoadState('networkidle');
      problems.push(...(await accessibilityProblems(page)).map((p) => `${name}: ${p}`));
      const alerts = await page.locator('.error[role=alert]').allTextContents();
      if (alerts.length) problems.push(`${name}: ${alerts.join(' / ')}`);
    }
    // A producer's card: contact details to edit, the commission and bank account said to be the network's.
    await nav.getByRole('link', { name: 'Catalogue', exact: true }).click();
    // The catalogue is the network's: no form to create, import or change an article, nor a recipe.
    await page.getByTestId('products').locator('tbody tr').first().waitFor();
    expect(await page.getByText('Nouvel article').count()).toBe(0);
    expect(
      await page
        .getByTestId('products')
        .getByRole('button', { name: /^Modifier / })
        .count(),
    ).toBe(0);
    expect(await page.getByRole('button', { name: /^Recette de / }).count()).toBe(0);
    await page.getByRole('button', { name: 'Modifier Rucher de Brassac', exact: true }).click();
    const card = page.locator('form.edit-producer');
    await card.waitFor();
    expect(await card.getByLabel('Commission (%)').count()).toBe(0);
    expect(await card.textContent()).toContain('sont réglés par la gestion du réseau');
    problems.push(...(await accessibilityProblems(page)).map((p) => `producer card: ${p}`));
    // The network page lists their site alone, without the form that opens one.
    await nav.getByRole('link', { name: 'Réseau de sites', exact: true }).click();
    await expect.poll(() => page.getByTestId('site-row').count()).toBe(1);
    expect(await page.getByTestId('site-row').textContent()).toContain('Tiers-lieu de Rodez');
    await screenshot(page, 'sites-tied-manager');
    expect(problems).toEqual([]);
    expect(refused).toEqual([]);
    expect(pageErrors).toEqual([]);

    // And the server says so in words if they ask anyway.
    const tied = new Client(server.url);
    expect((await tied.post('/api/auth/login', { login: 'gerante-rodez', password: 'rodez-password-long' })).status).toBe(200);
    const fec = await tied.get('/api/exports/fec?from=2026-01-01&to=2026-01-31');
    expect(fec.status).toBe(403);
    expect(fec.body.error.message).toBe('Réservé à la gestion du réseau : vous gérez un seul site.');
    await context.close();
  });

  it('lets a manager tied to Castres reprice its ressourcerie’s objects from the catalogue: name, price, on sale', async () => {
    const admin = new Client(server.url);
    expect((await admin.post('/api/auth/login', { login: 'cooperative', password: 'cooperative-password' })).status).toBe(200);
    expect(
      (
        await admin.post('/api/users', {
          login: 'gerant-castres',
          displayName: 'Gérant de Castres',
          role: 'manager',
          password: 'castres-password-long',
          siteId: 1,
        })
      ).status,
    ).toBe(201);
    // One of the demo's objects given at Castres' ressourcerie (a one-off item: one piece, sold once).
    const item = (
      (await admin.get('/api/products?limit=500')).body as { id: number; name: string; oneOff: boolean; priceCents: number }[]
    ).find((p) => p.oneOff)!;
    expect(item).toBeDefined();
    const context = await browser.newContext({ viewport: TABLET, locale: 'fr-FR', timezoneId: 'Europe/Paris' });
    const page = await context.newPage();
    await page.goto(`${origin}/#catalogue`);
    await page.getByLabel('Identifiant').fill('gerant-castres');
    await page.getByLabel('Mot de passe').fill('castres-password-long');
    await page.getByRole('button', { name: 'Se connecter' }).click();
    await page.getByTestId('products').locator('tbody tr').first().waitFor();
    // « Modifier » on the objects only: the rest of the catalogue is the network's.
    const products = page.getByTestId('products');
    await products.getByRole('button', { name: `Modifier ${item.name}`, exact: true }).click();
    const form = products.locator('form.edit-row');
    await form.waitFor();
    // Name, price, on sale: no producer, no VAT, no barcodes.
    expect(await form.getByLabel('Producteur').count()).toBe(0);
    expect(await form.getByText('Codes-barres').count()).toBe(0);
    expect(await accessibilityProblems(page)).toEqual([]);
    await form.getByLabel('Prix TTC').fill('3,50');
    await form.getByRole('button', { name: 'Enregistrer' }).click();
    await form.waitFor({ state: 'detached' });
    // 3,50 € = 350 cents, saved by the server.
    expect((await admin.get(`/api/products/${item.id}`)).body.priceCents).toBe(350);
    const editable = await products.getByRole('button', { name: /^Modifier / }).count();
    const oneOffs = ((await admin.get('/api/products?limit=500')).body as { oneOff: boolean }[]).filter((p) => p.oneOff).length;
    expect(editable).toBeGreaterThan(0);
    expect(editable).toBeLessThanOrEqual(oneOffs);
    await screenshot(page, 'sites-castres-manager-object');
    await context.close();
  });
});
