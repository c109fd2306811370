import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FakeNetworkPrinter } from './support/fake-printer.ts';
import { aProduct, startTestShop, type TestShop } from './support/harness.ts';
import { accessibilityProblems, launchBrowser, screenshot, shopOrigin, tabletContext } from './support/browser.ts';
import { pairAndLogIn, watchErrors } from './support/till-page.ts';

// The till in a browser, its receipt printer a network printer that resets after printing: the cashier
// sees the receipt that was not confirmed and settles it in one tap.

describe('a receipt the printer did not confirm, on the till', { timeout: 60_000 }, () => {
  let shop: TestShop;
  let browser: Browser;
  let page: Page;
  let printer: FakeNetworkPrinter;
  const EAN = '3760123450010';

  beforeAll(async () => {
    shop = await startTestShop({ serveClient: true, env: { PRINT_RETRY_MS: '100', PRINT_TIMEOUT_MS: '400', PRINTERS_LOCAL: 'on' } });
    await aProduct(shop.admin, { name: 'Pain de campagne', priceCents: 520, barcodes: [EAN] });
    await shop.admin.post('/api/users', { displayName: 'Camille', role: 'cashier', pin: '2468' });
    printer = await FakeNetworkPrinter.start('reset-after-print');
    const created = await shop.admin.post('/api/printers', {
      name: 'Caisse réseau',
      role: 'receipt',
      uri: printer.uri,
      columns: 48,
      codePage: 'pc858',
    });
    await shop.admin.patch('/api/tills/1', { printerId: created.body.id });
    browser = await launchBrowser({ trustShopCa: shop.dataDir });
    page = await (await tabletContext(browser, shopOrigin(shop.server.port))).newPage();
  });
  afterAll(async () => {
    await browser?.close();
    await printer?.close();
    await shop?.close();
  });

  it('shows it on the till until the cashier says it came out; nothing is printed twice', async () => {
    const errors = watchErrors(page);
    await page.goto('/caisse/');
    await pairAndLogIn(page, shop);
    await page.keyboard.type(EAN);
    await page.keyboard.press('Enter');
    await page.keyboard.press('Enter');
    await page.getByTestId('pay-total').waitFor();
    await page.keyboard.press('Enter');
    await page.getByTestId('ticket-state').waitFor();
    await page.keyboard.press('1'); // a printed receipt, please
    await expect.poll(() => page.getByTestId('print-attention').textContent(), { timeout: 15_000 }).toContain('1 impression');
    await page.getByTestId('print-attention').click();
    const job = page.getByTestId('print-job');
    await expect.poll(() => job.textContent()).toContain('n’a pas confirmé');
    await screenshot(page, 'till-print-to-check');
    expect(await accessibilityProblems(page)).toEqual([]);
    await job.getByRole('button', { name: 'Oui, elle est sortie' }).click();
    await expect.poll(() => page.getByTestId('print-job').count()).toBe(0);
    await expect.poll(() => page.getByTestId('print-attention').count()).toBe(0);
    await page.getByRole('button', { name: 'Valider' }).click();
    await page.getByPlaceholder('Chercher un article ou scanner').waitFor();
    expect(printer.jobs).toHaveLength(1);
    const resolved = (await shop.admin.get('/api/events?kind=print.resolved')).body as { data: { resolution: string } }[];
    expect(resolved.map((e) => e.data.resolution)).toEqual(['confirmed']);
    expect(errors).toEqual([]);
  });
});
