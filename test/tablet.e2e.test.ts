import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { aProduct, startTestShop, type TestShop } from './support/harness.ts';
import { accessibilityProblems, launchBrowser, launchTablet, screenshot, shopOrigin, tabletContext } from './support/browser.ts';
import { pairAndLogIn, watchErrors } from './support/till-page.ts';

// A tablet or a phone meeting the shop's server by its network name, as on the Wi-Fi: enrolment, the
// message a plain-HTTP page gets instead of a TypeError, and what it can still do there.

const PHONE = {
  viewport: { width: 390, height: 844 },
  deviceScaleFactor: 2,
  isMobile: true,
  hasTouch: true,
  locale: 'fr-FR',
  timezoneId: 'Europe/Paris',
};

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
    // The tablet typed the address printed by the server, in plain HTTP: a page that says why, in French,
    // gives the HTTPS address and the enrolment QR code, and knows this device does not trust the shop yet.
    const first = await context.newPage();
    const firstErrors = watchErrors(first);
    await first.goto(`http://shop.lan:${port}/caisse/`);
    await first.getByRole('heading', { name: 'Adresse non sécurisée' }).waitFor();
    await expect.poll(() => first.getByRole('status').textContent()).toContain('ne fait pas encore confiance');
    expect(await first.getByRole('link', { name: 'Ouvrir l’adresse sécurisée' }).getAttribute('href')).toBe(
      `https://shop.lan:${port}/caisse/`,
    );
    await screenshot(first, 'plain-http-phone', { fullPage: true });
    expect(await accessibilityProblems(first)).toEqual([]);
    expect(firstErrors).toEqual([]);
    // Going to HTTPS anyway meets the browser's own certificate error: nothing of ours runs there.
    const refused = await first.goto(`https://shop.lan:${port}/caisse/`).catch((e: Error) => e);
    expect(String(refused)).toMatch(/ERR_CERT_AUTHORITY_INVALID/);
    await first.close();
    const page = await context.newPage();
    const errors = watchErrors(page);
    await page.goto(`http://shop.lan:${port}/enrol?next=%2Fcaisse%2F`);
    await page.getByRole('heading', { name: 'Mettre une tablette ou un téléphone en service' }).waitFor();
    await expect.poll(() => page.getByRole('status').textContent()).toContain('Pas encore');
    for (const os of ['Android', 'iPad ou iPhone', 'Windows', 'Chromebook'])
      expect(await page.getByText(os, { exact: false }).count()).toBeGreaterThan(0);
    await page.getByText('Android (tablette ou téléphone)').click();
    await screenshot(page, 'enrol-phone-not-yet', { fullPage: true });
    expect(await accessibilityProblems(page)).toEqual([]);
    const download = await page.getByRole('link', { name: 'Télécharger le certificat' }).getAttribute('href');
    expect(download).toBe('/enrol/comptoir-ca.crt');
    expect(errors).toEqual([]);
  });

  it('sends a device that trusts the shop from plain HTTP to HTTPS by itself', async () => {
    const port = shop.server.port;
    const page = await (await trusting.newContext(PHONE)).newPage();
    const errors = watchErrors(page);
    await page.goto(`http://shop.lan:${port}/caisse/`);
    await page.getByRole('heading', { name: 'Adresse non sécurisée' }).waitFor();
    await expect.poll(() => page.getByRole('status').textContent()).toContain('fait confiance au serveur');
    await page.waitForURL(`https://shop.lan:${port}/caisse/`, { timeout: 10_000 });
    await page.getByRole('heading', { name: 'Appairer cette tablette' }).waitFor();
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
    expect(await page.evaluate(() => [window.isSecureContext, typeof crypto.subtle, 'serviceWorker' in navigator])).toEqual([
      false,
      'undefined',
      false,
    ]);
    // HTTPS is off on this server: the message says so rather than offering an address that does not answer.
    await expect.poll(() => page.getByTestId('insecure').textContent()).toContain('HTTPS est désactivé sur ce serveur');
    await screenshot(page, 'till-insecure');
    expect(await accessibilityProblems(page)).toEqual([]);

    await page.getByRole('button', { name: 'Continuer quand même (mode limité)' }).click();
    // The offline PIN cache is computed without WebCrypto here (PBKDF2 from @noble/hashes): no TypeError.
    await pairAndLogIn(page, shop);
    expect(await page.getByRole('status').filter({ hasText: 'Mode limité' }).count()).toBe(1);
    const kept = await page.evaluate(
      () =>
        new Promise<{ salt: string; digest: string } | undefined>((resolve) => {
          const open = indexedDB.open('comptoir-caisse');
          open.onsuccess = () => {
            const get = open.result
              .transaction('kv')
              .objectStore('kv')
              .get(`pin:${(window as any).till.state.user.id}`);
            get.onsuccess = () => resolve(get.result);
          };
        }),
    );
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

describe(
  'a tablet’s life: two tablets on one till, online and offline; the cart across a reload and a restart',
  { timeout: 120_000 },
  () => {
    let shop: TestShop;
    let cashierId: number;
    const EAN = '3760123450010';
    const profiles: string[] = [];
    const contexts: BrowserContext[] = [];
    beforeAll(async () => {
      shop = await startTestShop({ serveClient: true });
      await aProduct(shop.admin, { name: 'Pain de campagne', priceCents: 520, barcodes: [EAN] });
      cashierId = (await shop.admin.post('/api/users', { displayName: 'Camille', role: 'cashier', pin: '2468' })).body.id;
    });
    afterAll(async () => {
      for (const c of contexts) await c.close().catch(() => undefined);
      await shop?.close();
      for (const p of profiles) fs.rmSync(p, { recursive: true, force: true });
    });

    const tablet = async () => {
      const profile = fs.mkdtempSync(path.join(os.tmpdir(), 'comptoir-tablet-'));
      profiles.push(profile);
      const context = await launchTablet(profile, { trustShopCa: shop.dataDir, baseURL: shopOrigin(shop.server.port) });
      contexts.push(context);
      return { context, profile, page: context.pages()[0] ?? (await context.newPage()) };
    };
    /** One loaf, scanned, paid in cash from the keyboard, no receipt, once the done screen says `expected`. */
    const sellOne = async (page: Page, expected: string) => {
      await page.getByPlaceholder('Chercher un article ou scanner').waitFor();
      await page.keyboard.type(EAN);
      await page.keyboard.press('Enter');
      await expect.poll(() => page.locator('[data-testid=cart] li').count()).toBe(1);
      await page.keyboard.press('Enter');
      await page.getByTestId('pay-total').waitFor();
      await page.keyboard.press('Enter');
      await expect.poll(() => page.getByTestId('ticket-state').textContent()).toContain(expected);
      await page.keyboard.press('3');
    };
    const numbers = async () =>
      ((await shop.admin.get('/api/sales?limit=100')).body as { number: number }[]).map((s) => s.number).sort((a, b) => a - b);

    it('moves the till to the tablet paired last; what the first one sold offline is recorded after, none refused', async () => {
      const a = await tablet();
      const errorsA = watchErrors(a.page);
      await a.page.goto('/caisse/');
      await pairAndLogIn(a.page, shop);
      await sellOne(a.page, 'n° 1 enregistré');

      // Tablet A loses the Wi-Fi and sells two loaves: numbers 2 and 3, kept on the tablet.
      await a.context.setOffline(true);
      await sellOne(a.page, 'n° 2 gardé sur la tablette');
      await sellOne(a.page, 'n° 3 gardé sur la tablette');
      await expect.poll(() => a.page.getByTestId('waiting').textContent()).toContain('2 ticket');

      // Meanwhile tablet B is paired with the same till and sells online: it carries on from the server's 1.
      const b = await tablet();
      const errorsB = watchErrors(b.page);
      await b.page.goto('/caisse/');
      await pairAndLogIn(b.page, shop);
      await sellOne(b.page, 'n° 2 enregistré');
      await sellOne(b.page, 'n° 3 enregistré');
      // Then B loses the Wi-Fi too and sells number 4.
      await b.context.setOffline(true);
      await sellOne(b.page, 'n° 4 gardé sur la tablette');

      // A comes back: it learns it was replaced, delivers its 2 and 3 (recorded as 4 and 5), and stops selling.
      await a.context.setOffline(false);
      await a.page.getByTestId('replaced').waitFor({ timeout: 30_000 });
      await a.page.getByTestId('replaced-done').waitFor({ timeout: 30_000 });
      await screenshot(a.page, 'till-replaced');
      const a11y = await accessibilityProblems(a.page);
      expect(await numbers()).toEqual([1, 2, 3, 4, 5]);

      // B comes back: its 4 was taken meanwhile by A's ticket, so it is recorded as 6, and B carries on from there.
      await b.context.setOffline(false);
      await expect.poll(() => b.page.getByTestId('waiting').count(), { timeout: 30_000 }).toBe(0);
      expect(await numbers()).toEqual([1, 2, 3, 4, 5, 6]);
      await sellOne(b.page, 'n° 7 enregistré');
      // Every loaf sold became a ticket, once: 7 tickets, 7 loaves, nothing refused on either tablet.
      const sales = (await shop.admin.get('/api/sales?limit=100')).body as { totalCents: number; cashierId: number }[];
      expect(sales.map((s) => s.totalCents)).toEqual(Array(7).fill(520));
      expect(sales.every((s) => s.cashierId === cashierId)).toBe(true);
      expect(await a.page.getByTestId('refused').count()).toBe(0);
      expect(await b.page.getByTestId('refused').count()).toBe(0);
      const renumbered = (await shop.admin.get('/api/events?kind=till.ticket_renumbered')).body as {
        data: { proposed: number; number: number };
      }[];
      expect(renumbered.map((e) => `${e.data.proposed}→${e.data.number}`).sort()).toEqual(['2→4', '3→5', '4→6']);
      expect((await shop.admin.get('/api/journal/verify')).body.ok).toBe(true);
      expect([...errorsA, ...errorsB]).toEqual([]);
      expect(a11y).toEqual([]);
    });

    it('tells a tablet online at once when another one takes its till', async () => {
      const c = await tablet();
      await c.page.goto('/caisse/');
      await pairAndLogIn(c.page, shop);
      // The tablet holding the till (B, from the last test) is told live, without a reload.
      const holder = contexts[1]!.pages()[0]!;
      if (process.env.DEBUG_TILL)
        console.log(
          await holder.evaluate(() =>
            JSON.stringify({
              screen: (window as any).till.state.screen,
              device: (window as any).till.state.device?.deviceId,
              outbox: (window as any).till.state.outbox,
              sock: (window as any).till.socket?.connected,
            }),
          ),
        );
      await holder.getByTestId('replaced').waitFor({ timeout: 10_000 });
      await sellOne(c.page, 'n° 8 enregistré');
    });

    it('keeps the cart across a reload and across the browser closed and reopened', async () => {
      const last = contexts[contexts.length - 1]!;
      const page = last.pages()[0]!;
      await page.keyboard.type(EAN);
      await page.keyboard.press('Enter');
      await page.keyboard.type(EAN);
      await page.keyboard.press('Enter');
      await expect.poll(() => page.locator('[data-testid=cart] li').first().textContent()).toContain('2 × 5,20');
      await page.reload();
      await expect.poll(() => page.locator('[data-testid=cart] li').first().textContent(), { timeout: 10_000 }).toContain('2 × 5,20');
      // The browser closed and opened again on the same profile.
      const profile = profiles[profiles.length - 1]!;
      await last.close();
      const reopened = await launchTablet(profile, { trustShopCa: shop.dataDir, baseURL: shopOrigin(shop.server.port) });
      contexts.push(reopened);
      const again = reopened.pages()[0] ?? (await reopened.newPage());
      await again.goto('/caisse/');
      await again.getByPlaceholder('Chercher un article ou scanner').waitFor();
      await expect.poll(() => again.locator('[data-testid=cart] li').first().textContent(), { timeout: 10_000 }).toContain('2 × 5,20');
      await expect.poll(() => again.getByTestId('total').textContent()).toContain('10,40');
    });
  },
);
