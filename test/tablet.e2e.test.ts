import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { aProduct, startTestShop, type TestShop } from './support/harness.ts';
import { accessibilityProblems, launchBrowser, screenshot, shopOrigin, tabletContext } from './support/browser.ts';

// A tablet or a phone meeting the shop's server by its network name, as on the Wi-Fi: enrolment, the
// message a plain-HTTP page gets instead of a TypeError, and what it can still do there.

const PHONE = { viewport: { width: 390, height: 844 }, deviceScaleFactor: 2, isMobile: true, hasTouch: true, locale: 'fr-FR', timezoneId: 'Europe/Paris' };

function watchErrors(page: Page): string[] {
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  return errors;
}

describe('enrolling a phone or a tablet (HTTPS with the shop’s own CA)', { timeout: 60_000 }, () => {
  let shop: TestShop;
  let trusting: Browser;
  let stranger: Browser;
  beforeAll(async () => {
    shop = await startTestShop({ serveClient: true });
    trusting = await launchBrowser({ trustShopCa: shop.dataDir });
    stranger = await launchBrowser();
  });
  afterAll(async () => {
    await trusting?.close();
    await stranger?.close();
    await shop?.close();
  });

  it('tells a device that does not trust the shop yet what to install, and says when it does', async () => {
    const context = await stranger.newContext(PHONE);
    const port = shop.server.port;
    // The tablet typed the address printed by the server: plain HTTP by name goes to HTTPS…
    const first = await context.newPage();
    const redirected = await first.goto(`http://shop.lan:${port}/caisse/`).catch((e: Error) => e);
    // …which this device does not trust yet: the browser's own certificate error, nothing of ours is run.
    expect(String(redirected)).toMatch(/ERR_CERT_AUTHORITY_INVALID/);
    await first.close();
    const page = await context.newPage();
    const errors = watchErrors(page);
    await page.goto(`http://shop.lan:${port}/enrol?next=%2Fcaisse%2F`);
    await page.getByRole('heading', { name: 'Mettre une tablette ou un téléphone en service' }).waitFor();
    await expect.poll(() => page.getByRole('status').textContent()).toContain('Pas encore');
    for (const os of ['Android', 'iPad ou iPhone', 'Windows', 'Chromebook']) expect(await page.getByText(os, { exact: false }).count()).toBeGreaterThan(0);
    await page.getByText('Android (tablette ou téléphone)').click();
    await screenshot(page, 'enrol-phone-not-yet', { fullPage: true });
    expect(await accessibilityProblems(page)).toEqual([]);
    const download = await page.getByRole('link', { name: 'Télécharger le certificat' }).getAttribute('href');
    expect(download).toBe('/enrol/comptoir-ca.crt');
    expect(errors).toEqual([]);
  });

  it('sends a device that trusts the shop on to the till, paired by the code the back office’s QR code carried', async () => {
    const port = shop.server.port;
    const code = (await shop.admin.post('/api/tills/1/pairing-code')).body.code as string;
    // The QR code beside the pairing code: the enrolment page, with the till and its code as the next step.
    const next = `/caisse/?pair=${code}`;
    const info = (await shop.admin.get(`/enrol/info.json?next=${encodeURIComponent(next)}`)).body;
    // Asked from the server itself, the code points at the server's LAN address, which a tablet can reach.
    expect(info.enrolUrl).toMatch(new RegExp(`^http://[^/]+:${port}/enrol\\?next=${encodeURIComponent(next)}$`));
    expect(info.enrolUrl).not.toContain('localhost');
    const page = await (await trusting.newContext(PHONE)).newPage();
    const errors = watchErrors(page);
    await page.goto(`http://shop.lan:${port}/enrol?next=${encodeURIComponent(next)}`);
    await expect.poll(() => page.getByRole('status').textContent()).toContain('fait confiance');
    await screenshot(page, 'enrol-phone-trusted', { fullPage: true });
    await page.getByRole('link', { name: 'Continuer vers la caisse' }).click();
    // Paired by itself, on the HTTPS origin, with the code gone from the address bar.
    await page.getByRole('heading', { name: 'Qui tient la caisse ?' }).waitFor();
    expect(page.url()).toBe(`https://shop.lan:${port}/caisse/`);
    expect(await page.evaluate(() => window.isSecureContext && !!crypto.subtle && 'serviceWorker' in navigator)).toBe(true);
    expect(errors).toEqual([]);
  });
});

describe('a page opened over plain HTTP (TLS=off, no proxy in front)', { timeout: 60_000 }, () => {
  let shop: TestShop;
  let browser: Browser;
  let cashierId: number;
  beforeAll(async () => {
    shop = await startTestShop({ serveClient: true, env: { TLS: 'off' } });
    await aProduct(shop.admin, { name: 'Pain de campagne', priceCents: 520 });
    cashierId = (await shop.admin.post('/api/users', { displayName: 'Camille', role: 'cashier', pin: '2468' })).body.id;
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
    await shop?.close();
  });

  it('says why instead of throwing, then lets the till open in limited mode: pairing, PIN, selling', async () => {
    const context = await tabletContext(browser, shopOrigin(shop.server.port, 'http'));
    const page = await context.newPage();
    const errors = watchErrors(page);
    await page.goto('/caisse/');
    await page.getByRole('heading', { name: 'Adresse non sécurisée' }).waitFor();
    expect(await page.evaluate(() => [window.isSecureContext, typeof crypto.subtle, 'serviceWorker' in navigator])).toEqual([false, 'undefined', false]);
    // HTTPS is off on this server: the message says so rather than offering an address that does not answer.
    await expect.poll(() => page.getByTestId('insecure').textContent()).toContain('HTTPS est désactivé sur ce serveur');
    await screenshot(page, 'till-insecure');
    expect(await accessibilityProblems(page)).toEqual([]);

    await page.getByRole('button', { name: 'Continuer quand même (mode limité)' }).click();
    const code = (await shop.admin.post('/api/tills/1/pairing-code')).body.code as string;
    await page.getByLabel('Code d’appairage').fill(code);
    await page.getByRole('button', { name: 'Appairer la tablette' }).click();
    await page.getByRole('button', { name: /Camille/ }).click();
    // The offline PIN cache is computed without WebCrypto here (PBKDF2 from @noble/hashes): no TypeError.
    for (const d of '2468') await page.keyboard.press(d);
    await page.keyboard.press('Enter');
    await page.getByPlaceholder('Chercher un article ou scanner').waitFor();
    expect(await page.getByRole('status').filter({ hasText: 'Mode limité' }).count()).toBe(1);
    const kept = await page.evaluate(() => new Promise<{ salt: string; digest: string } | undefined>((resolve) => {
      const open = indexedDB.open('comptoir-caisse');
      open.onsuccess = () => {
        const get = open.result.transaction('kv').objectStore('kv').get(`pin:${(window as any).till.state.user.id}`);
        get.onsuccess = () => resolve(get.result);
      };
    }));
    // PBKDF2-SHA-256, 100 000 rounds, of the PIN with the kept salt: the same digest WebCrypto gives (worked out in Node).
    const { pbkdf2Sync } = await import('node:crypto');
    expect(kept!.digest).toBe(pbkdf2Sync('2468', kept!.salt, 100_000, 32, 'sha256').toString('hex'));
    await page.keyboard.type('Pain');
    await page.keyboard.press('Enter');
    await expect.poll(() => page.locator('[data-testid=cart] li').count()).toBe(1);
    await page.keyboard.press('Enter');
    await page.getByTestId('pay-total').waitFor();
    await page.keyboard.press('Enter');
    await expect.poll(() => page.getByTestId('ticket-state').textContent()).toContain('n° 1 enregistré');
    const sales = (await shop.admin.get('/api/sales')).body as { number: number; cashierId: number; totalCents: number }[];
    expect(sales.map((s) => [s.number, s.cashierId, s.totalCents])).toEqual([[1, cashierId, 520]]);
    expect(errors).toEqual([]);
  });

  it('shows the same message on the back office and the producers’ login', async () => {
    const page = await (await browser.newContext(PHONE)).newPage();
    const errors = watchErrors(page);
    await page.goto(`${shopOrigin(shop.server.port, 'http')}/`);
    await page.getByRole('heading', { name: 'Adresse non sécurisée' }).waitFor();
    await screenshot(page, 'login-insecure-phone');
    expect(await accessibilityProblems(page)).toEqual([]);
    await page.getByRole('button', { name: 'Continuer quand même (mode limité)' }).click();
    await page.getByLabel('Identifiant').waitFor();
    expect(errors).toEqual([]);
  });
});
