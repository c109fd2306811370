import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CONTENT_SECURITY_POLICY } from '../server/http/headers.ts';
import { launchBrowser, shopOrigin, tabletContext } from './support/browser.ts';
import { aProduct, aUser, startTestShop, type TestShop } from './support/harness.ts';
import { uuidv7 } from './support/tickets.ts';

// Issue 19, item 6: every page carries a Content-Security-Policy without inline script, frame-ancestors
// 'none', a Permissions-Policy and, over TLS, HSTS; and every page still works under it in Chromium (no
// violation reported). The other browser suites (till, back office, waiter, kitchen) run under it too.
let shop: TestShop;
let browser: Browser;
let receipt: string;

beforeAll(async () => {
  shop = await startTestShop({ serveClient: true });
  const pain = await aProduct(shop.admin, { name: 'Pain', priceCents: 520, producerId: null });
  const till = (await aUser(shop, 'cashier')).client;
  const sale = await till.post('/api/sales', {
    id: uuidv7(),
    tillId: 1,
    number: 1,
    createdAt: new Date().toISOString(),
    lines: [{ productId: pain.id, quantity: 1, unitPriceCents: 520 }],
    payments: [{ method: 'cash', amountCents: 520 }],
    totalCents: 520,
  });
  receipt = `/r/${sale.body.receiptToken}`;
  browser = await launchBrowser({ trustShopCa: shop.dataDir });
}, 60_000);

afterAll(async () => {
  await browser?.close();
  await shop?.close();
});

const PAGES = ['/', '/caisse/', '/salle/', '/cuisine/', '/portail', '/enrol'];

describe('security headers', { timeout: 60_000 }, () => {
  it('are on every page and API answer, HSTS over TLS', async () => {
    for (const p of [...PAGES, receipt, '/api/health']) {
      const res = await fetch(`${shop.url}${p}`);
      expect(res.status, p).toBeLessThan(400);
      const csp = res.headers.get('content-security-policy') ?? '';
      expect(csp, p).toContain("frame-ancestors 'none'");
      expect(csp, p).toContain("object-src 'none'");
      // No inline script anywhere but by the hash of the page's own (enrolment page).
      expect(csp, p).not.toMatch(/'unsafe-inline'[^;]*;?\s*$|script-src[^;]*'unsafe-inline'/);
      expect(csp, p).not.toContain("'unsafe-eval'");
      expect(res.headers.get('permissions-policy'), p).toContain('camera=()');
      expect(res.headers.get('x-frame-options'), p).toBe('DENY');
    }
    expect((await fetch(`${shop.url}/caisse/`)).headers.get('content-security-policy')).toBe(CONTENT_SECURITY_POLICY);
    // The test shop answers over TLS when asked on its HTTPS address: HSTS there.
    const browserPage = await (await tabletContext(browser, shopOrigin(shop.server.port))).newPage();
    const res = await browserPage.goto('/caisse/');
    if (shop.url.startsWith('https:') || res!.url().startsWith('https:'))
      expect(await res!.headerValue('strict-transport-security')).toMatch(/^max-age=\d+/);
    await browserPage.context().close();
  });

  it('leave every page working in Chromium: no policy violation on any of them', async () => {
    const context = await tabletContext(browser, shopOrigin(shop.server.port));
    for (const p of [...PAGES, receipt]) {
      const page = await context.newPage();
      const violations: string[] = [];
      page.on('console', (m) => {
        if (/Content Security Policy|Refused to/i.test(m.text())) violations.push(`${p}: ${m.text()}`);
      });
      await page.addInitScript(() =>
        document.addEventListener('securitypolicyviolation', (e) =>
          console.error(`Refused to load: Content Security Policy ${e.violatedDirective} ${e.blockedURI}`),
        ),
      );
      await page.goto(p);
      await page.waitForLoadState('load');
      await page.waitForTimeout(300);
      // Each app drew itself (its script ran).
      if (p !== receipt && p !== '/enrol') await expect.poll(() => page.locator('#app *').count(), { message: p }).toBeGreaterThan(0);
      expect(violations).toEqual([]);
      await page.close();
    }
    await context.close();
  });
});
