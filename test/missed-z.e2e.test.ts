import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { aProduct, aUser, startTestShop, type TestShop } from './support/harness.ts';
import { accessibilityProblems, launchBrowser, screenshot, shopOrigin, tabletContext } from './support/browser.ts';
import { pairAndLogIn } from './support/till-page.ts';
import { uuidv7 } from './support/tickets.ts';

/**
 * A missed Z, in Chromium: a ticket was rung three days ago (Paris) and that day was never closed. It ended
 * more than 24 hours ago, so the till says so in a banner and will not take a payment; once the manager
 * takes the Z, the banner goes and the pay button comes back.
 */
let shop: TestShop;
let browser: Browser;
let context: BrowserContext;
let till: Page;
let painId: number;

const text = async (l: { textContent(): Promise<string | null> }) => ((await l.textContent()) ?? '').replace(/\s+/g, ' ').trim();
const parisDay = (d: Date) => new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/Paris' }).format(d);
/** « 3 décembre »: the day as the banner writes it. */
const dayMonth = (d: string) =>
  new Intl.DateTimeFormat('fr-FR', { day: 'numeric', month: 'long', timeZone: 'UTC' }).format(new Date(`${d}T12:00:00Z`));

beforeAll(async () => {
  shop = await startTestShop({ serveClient: true });
  painId = (await aProduct(shop.admin, { name: 'Pain de campagne', producerId: null, priceCents: 520, vatRateBp: 550 })).id;
  expect((await shop.admin.post('/api/users', { displayName: 'Camille', role: 'cashier', pin: '2468' })).status).toBe(201);
  browser = await launchBrowser({ trustShopCa: shop.dataDir });
  context = await tabletContext(browser, shopOrigin(shop.server.port));
  till = await context.newPage();
  till.on('pageerror', (e) => console.error('page error:', e.message));
}, 60_000);

afterAll(async () => {
  await browser?.close();
  await shop?.close();
});

describe('a missed Z at the till', { timeout: 90_000 }, () => {
  it('shows the banner, blocks the pay button until the Z, then sells again', async () => {
    // A ticket rung three days ago (sent late: its own time books it on that day), its day never closed.
    const rungAt = new Date(Date.now() - 3 * 86_400_000);
    const missed = parisDay(rungAt);
    const api = (await aUser(shop, 'cashier', { pin: '1111' })).client;
    const sale = await api.post('/api/sales', {
      id: uuidv7(rungAt.getTime()),
      tillId: 1,
      number: 1,
      createdAt: rungAt.toISOString(),
      lines: [{ productId: painId, quantity: 1, unitPriceCents: 520 }],
      discountCents: 0,
      payments: [{ method: 'cash', amountCents: 520 }],
      totalCents: 520,
    });
    expect(sale.status).toBe(201);
    expect(sale.body.businessDay).toBe(missed);

    await till.goto('/caisse/');
    await pairAndLogIn(till, shop);
    const banner = till.getByTestId('missed-z');
    await expect
      .poll(() => text(banner))
      .toBe(
        `La journée du ${dayMonth(missed)} n’a pas été clôturée (Z) — un responsable doit la clôturer. Les ventes sont bloquées jusqu’à ce Z.`,
      );
    await till.locator(`[data-product="${painId}"]`).click();
    expect(await till.getByTestId('pay').isDisabled()).toBe(true);
    // Enter on the empty search (the keyboard's way to pay) does not open the payment either.
    await till.getByPlaceholder('Chercher un article ou scanner').press('Enter');
    expect(await till.getByTestId('pay').isVisible()).toBe(true);
    expect(await accessibilityProblems(till)).toEqual([]);
    await screenshot(till, 'missed-z-banner');

    const z = await shop.admin.post('/api/closings/day', { outlet: 'shop', day: missed, cashCountedCents: 520 });
    expect(z.status).toBe(201);
    // The till hears the day closed and asks its day again: no banner, the pay button back.
    await expect.poll(() => banner.count()).toBe(0);
    await expect.poll(() => till.getByTestId('pay').isEnabled()).toBe(true);
    await till.getByTestId('pay').click();
    await till.getByRole('button', { name: 'Espèces', exact: true }).waitFor();
  });
});
