import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { accessibilityProblems, launchBrowser, screenshot, shopOrigin, tabletContext } from './support/browser.ts';
import { ADMIN, aPairedTill, aProduct, startTestShop, type TestShop } from './support/harness.ts';

// Issue 18 item 6, in Chromium: Léa locks herself out with wrong PINs; Mathieu logs in right after on the same
// tablet (before, the whole tablet refused everyone for 5 minutes); the lock screen names Léa and the time;
// the manager unlocks her with their PIN there and she logs in. Then the back office unlocks another person.
let shop: TestShop;
let browser: Browser;
let context: BrowserContext;
let page: Page;
let leaId: number;
const text = async (l: { textContent(): Promise<string | null> }) => ((await l.textContent()) ?? '').replace(/[\u202f\u00a0]/g, ' ').trim();
/** A UTC instant as the till shows it: hours and minutes in Paris. */
const parisTime = (iso: string) =>
  new Intl.DateTimeFormat('fr-FR', { hour: '2-digit', minute: '2-digit', timeZone: 'Europe/Paris' }).format(new Date(iso));

beforeAll(async () => {
  shop = await startTestShop({ serveClient: true });
  await aProduct(shop.admin, { name: 'Pain de campagne', priceCents: 520 });
  leaId = (await shop.admin.post('/api/users', { displayName: 'Léa', role: 'cashier', pin: '4821' })).body.id;
  await shop.admin.post('/api/users', { displayName: 'Mathieu', role: 'cashier', pin: '7305' });
  await shop.admin.post('/api/users', {
    displayName: 'Gérant',
    role: 'manager',
    login: 'gerant',
    password: 'gerant-password-1',
    pin: '9999',
  });
  browser = await launchBrowser({ trustShopCa: shop.dataDir });
  context = await tabletContext(browser, shopOrigin(shop.server.port));
  page = await context.newPage();
}, 60_000);

afterAll(async () => {
  await browser?.close();
  await shop?.close();
});

async function typePin(pin: string) {
  for (const d of pin) await page.keyboard.press(d);
  await page.keyboard.press('Enter');
}

describe('a lockout that leaves another cashier working', { timeout: 90_000 }, () => {
  it('locks Léa after 5 wrong PINs, and Mathieu logs in right after on the same tablet', async () => {
    await page.goto('/caisse/');
    const code = (await shop.admin.post('/api/tills/1/pairing-code')).body.code as string;
    await page.getByLabel('Code d’appairage').fill(code);
    await page.getByRole('button', { name: 'Appairer la tablette' }).click();
    await page.getByRole('heading', { name: 'Qui tient la caisse ?' }).waitFor();
    await page.getByRole('button', { name: /Léa/ }).click();
    for (let i = 1; i <= 4; i++) {
      await typePin('0000');
      await expect.poll(() => text(page.getByRole('alert'))).toBe('Code PIN incorrect.');
    }
    await typePin('0000');
    await expect.poll(() => text(page.getByRole('alert'))).toMatch(/^Accès de Léa bloqué jusqu’à/);
    const lockedUntil = (await shop.admin.get('/api/users')).body.find((u: { id: number }) => u.id === leaId).lockedUntil as string;
    // Five minutes from the 5th wrong PIN, give or take the test's own time.
    expect(Math.abs(Date.parse(lockedUntil) - (Date.now() + 5 * 60_000))).toBeLessThan(30_000);
    const badge = page.getByRole('button', { name: /Léa/ }).getByTestId('lock-badge');
    await expect.poll(() => text(badge)).toBe(`Accès bloqué jusqu’à ${parisTime(lockedUntil)}`);

    await page.getByRole('button', { name: /Mathieu/ }).click();
    await typePin('7305');
    await page.getByPlaceholder('Chercher un article ou scanner').waitFor();
    await page.locator('[data-product]').first().waitFor();
  });

  it('names Léa on the lock screen, and the manager unlocks her with their PIN; she logs in', async () => {
    await page.getByRole('button', { name: 'Verrouiller' }).click();
    await page.getByRole('heading', { name: 'Qui tient la caisse ?' }).waitFor();
    const lockedUntil = (await shop.admin.get('/api/users')).body.find((u: { id: number }) => u.id === leaId).lockedUntil as string;
    await page.getByRole('button', { name: /Léa/ }).click();
    await expect
      .poll(() => text(page.locator('.lock-note')))
      .toBe(
        `Accès de Léa bloqué jusqu’à ${parisTime(lockedUntil)} après 5 codes PIN erronés. Un responsable peut le débloquer avec son code PIN.`,
      );
    await page.getByLabel('Code PIN du responsable').waitFor();
    expect(await accessibilityProblems(page)).toEqual([]);
    await screenshot(page, 'pin-lockout-till');
    // A wrong manager PIN: refused, Léa still locked.
    await typePin('1111');
    await expect.poll(() => text(page.getByRole('alert'))).toBe('Code PIN incorrect.');
    await typePin('9999');
    await expect.poll(() => text(page.getByRole('status'))).toBe('Gérant a débloqué l’accès de Léa : saisissez son code PIN.');
    await expect.poll(() => page.getByTestId('lock-badge').count()).toBe(0);
    await page.getByLabel('Code PIN', { exact: true }).waitFor();
    const events = (await shop.admin.get('/api/events?kind=auth.person_unlocked')).body;
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({ subject: `user:${leaId}`, by: 'Gérant', data: { via: 'till' } });
    await typePin('4821');
    await page.getByPlaceholder('Chercher un article ou scanner').waitFor();
  });
});

describe('the back office unlocks', { timeout: 90_000 }, () => {
  it('shows who is locked until when in the staff list, and unlocks them', async () => {
    const nina = (await shop.admin.post('/api/users', { displayName: 'Nina', role: 'waiter', pin: '6203' })).body.id as number;
    const tablet = await aPairedTill(shop, 1);
    for (let i = 0; i < 5; i++) await tablet.post('/api/auth/pin', { tillId: 1, pin: '0000', userId: nina });
    const lockedUntil = (await shop.admin.get('/api/users')).body.find((u: { id: number }) => u.id === nina).lockedUntil as string;
    expect(lockedUntil).not.toBeNull();

    const manager = await browser.newContext({ viewport: { width: 1280, height: 800 }, locale: 'fr-FR', timezoneId: 'Europe/Paris' });
    const bo = await manager.newPage();
    await bo.goto(`${shopOrigin(shop.server.port)}/#setup`);
    await bo.getByLabel('Identifiant').fill(ADMIN.login);
    await bo.getByLabel('Mot de passe').fill(ADMIN.password);
    await bo.getByRole('button', { name: 'Se connecter' }).click();
    await bo.getByRole('link', { name: 'Caisses et réglages' }).click();
    const users = bo.getByTestId('users');
    const row = users.getByRole('row', { name: /Nina/ });
    await expect.poll(() => text(row.getByTestId('locked-until'))).toBe(`Accès bloqué jusqu’à ${parisTime(lockedUntil)}`);
    expect(await accessibilityProblems(bo)).toEqual([]);
    await row.scrollIntoViewIfNeeded();
    await screenshot(bo, 'pin-lockout-backoffice');
    await row.getByRole('button', { name: 'Débloquer Nina' }).click();
    await expect.poll(() => text(users.getByRole('status'))).toBe('Accès de Nina débloqué.');
    await expect.poll(() => row.getByTestId('locked-until').count()).toBe(0);
    expect((await shop.admin.get('/api/users')).body.find((u: { id: number }) => u.id === nina).lockedUntil).toBeNull();
    expect((await tablet.post('/api/auth/pin', { tillId: 1, pin: '6203', userId: nina })).status).toBe(200);
    await manager.close();
  });
});
