import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { gtinCheckDigit } from '../shared/barcodes.ts';
import { accessibilityProblems, launchBrowser, screenshot, shopOrigin, tabletContext } from './support/browser.ts';
import { aProducer, aProduct, startTestShop, type TestShop } from './support/harness.ts';

// Issue 18, item 13: the till from the keyboard alone and with assistive technology. Enter and Space act
// on the focused control (a shortcut never overrides it), cart lines are reachable, dialogs are modal
// (focus inside, Escape closes, the screen behind out of reach), and axe-core finds nothing critical or
// serious on any screen, with each dialog open.
let shop: TestShop;
let browser: Browser;
let context: BrowserContext;
let page: Page;
const PAIN_EAN = '376012345001' + gtinCheckDigit('376012345001');

beforeAll(async () => {
  shop = await startTestShop({ serveClient: true });
  const producer = await aProducer(shop.admin, { name: 'Ferme du Sidobre' });
  await aProduct(shop.admin, { name: 'Pain de campagne', producerId: producer.id, priceCents: 520, vatRateBp: 550, barcodes: [PAIN_EAN] });
  await aProduct(shop.admin, { name: 'Tomme de brebis', producerId: producer.id, unit: 'kg', priceCents: 2490, vatRateBp: 550 });
  await aProduct(shop.admin, { name: 'Bière blonde', producerId: null, priceCents: 320, vatRateBp: 2000 });
  const printer = await shop.admin.post('/api/printers', {
    name: 'Caisse',
    role: 'receipt',
    uri: 'file:prints',
    columns: 48,
    drawer: true,
  });
  await shop.admin.patch('/api/tills/1', { printerId: printer.body.id });
  await shop.admin.post('/api/users', { displayName: 'Camille', role: 'cashier', pin: '2468' });
  await shop.admin.post('/api/users', {
    displayName: 'Mathilde',
    role: 'manager',
    login: 'mathilde',
    password: 'mathilde-password-1',
    pin: '1357',
  });
  browser = await launchBrowser({ trustShopCa: shop.dataDir });
  context = await tabletContext(browser, shopOrigin(shop.server.port));
  page = await context.newPage();
}, 60_000);

afterAll(async () => {
  await browser?.close();
  await shop?.close();
});

/** What has the focus: its accessible name as a person reads it. */
const focused = () =>
  page.evaluate(() => {
    const el = document.activeElement as HTMLElement | null;
    if (!el || el === document.body) return '';
    return (el.getAttribute('aria-label') ?? el.textContent ?? '').replace(/\s+/g, ' ').trim();
  });

/** Tab (or Shift+Tab) until the focused control's name matches, as a keyboard user does. */
async function tabTo(name: RegExp, back = false) {
  for (let i = 0; i < 80; i++) {
    await page.keyboard.press(back ? 'Shift+Tab' : 'Tab');
    if (name.test(await focused())) return;
  }
  throw new Error(`never reached ${name} with ${back ? 'Shift+Tab' : 'Tab'}`);
}

const cartLines = () => page.locator('[data-testid=cart] li');
const sales = async () => (await shop.admin.get('/api/sales?limit=50')).body as any[];
const nbsp = (s: string | null) => (s ?? '').replace(/[\u00a0\u202f]/g, ' ');

/** Every button on screen is at least 44 × 44 px (WCAG 2.5.5). */
const smallTargets = () =>
  page.locator('button:visible').evaluateAll((els) =>
    els
      .map((el) => ({ name: (el.getAttribute('aria-label') ?? el.textContent ?? '').trim(), r: el.getBoundingClientRect() }))
      .filter((x) => x.r.width > 0 && (x.r.width < 43.5 || x.r.height < 43.5))
      .map((x) => `${x.name} ${Math.round(x.r.width)}×${Math.round(x.r.height)}`),
  );

async function checkScreen(name: string) {
  expect(await accessibilityProblems(page), name).toEqual([]);
  expect(await smallTargets(), name).toEqual([]);
  await screenshot(page, `till-a11y-${name}`);
}

describe('the till from the keyboard alone', { timeout: 90_000 }, () => {
  it('pairs, and opens on a PIN typed after choosing the cashier with Tab and Enter', async () => {
    await page.goto('/caisse/');
    await page.getByRole('heading', { name: 'Appairer cette tablette' }).waitFor();
    await checkScreen('pair');
    // No zoom lock: a person who needs to enlarge the till can.
    expect(await page.locator('meta[name=viewport]').getAttribute('content')).not.toMatch(/user-scalable=no|maximum-scale/);
    const code = (await shop.admin.post('/api/tills/1/pairing-code')).body.code as string;
    await page.getByLabel('Code d’appairage').fill(code);
    await page.keyboard.press('Enter');
    await page.getByRole('heading', { name: 'Qui tient la caisse ?' }).waitFor();
    await checkScreen('lock');
    await tabTo(/^Camille/);
    await page.keyboard.press('Enter');
    await expect.poll(() => page.getByRole('button', { name: /^Camille/ }).getAttribute('aria-pressed')).toBe('true');
    // The focus went to the PIN field (once the field is drawn): Enter submits the PIN, it does not press
    // Camille's tile again.
    await expect.poll(() => page.evaluate(() => document.activeElement?.id)).toBe('till-pin');
    await checkScreen('lock-pin');
    await page.keyboard.type('2468');
    await page.keyboard.press('Enter');
    await page.getByPlaceholder('Chercher un article ou scanner').waitFor();
    await page.locator('[data-product]').first().waitFor();
    await checkScreen('sell');
  });

  it('sells in cash with a line edited, a ticket discount, a parked and resumed cart, and Enter on « Retour au ticket » going back', async () => {
    // Search and Enter take the only result.
    await page.keyboard.type('pain');
    await page.keyboard.press('Enter');
    await page.keyboard.type('biere');
    await page.keyboard.press('Enter');
    await expect.poll(() => cartLines().count()).toBe(2);

    // The beer's line, reached backwards from the search box, opens its editor with Enter.
    await tabTo(/^Bière blonde/, true);
    await page.keyboard.press('Enter');
    const dialog = page.getByRole('dialog', { name: 'Bière blonde' });
    await dialog.waitFor();
    // Modal: it has the focus, and the grid behind it is out of reach (inert) while it is open.
    expect(await page.evaluate(() => !!document.activeElement?.closest('dialog[open]'))).toBe(true);
    expect(await page.evaluate(() => document.querySelector('[data-product]')!.matches(':modal, dialog *'))).toBe(false);
    await checkScreen('line-editor');
    await tabTo(/^Un de plus$/);
    await page.keyboard.press('Enter');
    await expect.poll(() => cartLines().nth(1).textContent()).toContain('2 × 3,20');
    // Escape closes the dialog and gives the focus back to the line it was opened from.
    await page.keyboard.press('Escape');
    await dialog.waitFor({ state: 'detached' });
    await expect.poll(focused).toMatch(/^Bière blonde/);

    // A ticket discount of 10 % (within a cashier's limit): its field is labelled and has the focus.
    await tabTo(/^Remise ticket$/);
    await page.keyboard.press('Enter');
    await page.getByRole('dialog', { name: 'Remise ticket' }).waitFor();
    expect(await page.evaluate(() => document.activeElement?.tagName)).toBe('INPUT');
    await checkScreen('ticket-discount');
    await page.keyboard.type('10');
    await page.keyboard.press('Enter');
    await page.getByRole('dialog').waitFor({ state: 'detached' });
    // 5,20 + 2 × 3,20 = 11,60 €; 10 % off = 1,16 € → 10,44 €.
    await expect.poll(async () => nbsp(await page.getByTestId('total').textContent())).toContain('10,44 €');

    // Parked, then resumed, by keyboard.
    await tabTo(/^Mettre en attente$/, true);
    await page.keyboard.press('Enter');
    await expect.poll(() => cartLines().count()).toBe(0);
    await tabTo(/^En attente \(1\)$/);
    await page.keyboard.press('Enter');
    await tabTo(/Camille/);
    await checkScreen('parked');
    await page.keyboard.press('Enter');
    await expect.poll(() => cartLines().count()).toBe(2);
    await expect.poll(async () => nbsp(await page.getByTestId('total').textContent())).toContain('10,44 €');

    // To the payment, and Enter on « Retour au ticket » goes back to the cart: nothing is recorded.
    await tabTo(/^Encaisser$/, true);
    await page.keyboard.press('Enter');
    await page.getByTestId('due').waitFor();
    await checkScreen('pay');
    await tabTo(/^Retour au ticket/);
    await page.keyboard.press('Enter');
    await page.getByPlaceholder('Chercher un article ou scanner').waitFor();
    expect(await sales()).toEqual([]);
    expect(await cartLines().count()).toBe(2);

    // Again, and this time 20 € in cash typed on the keyboard: 20,00 − 10,44 = 9,56 € back.
    await tabTo(/^Encaisser$/, true);
    await page.keyboard.press('Enter');
    await page.getByTestId('due').waitFor();
    await page.keyboard.type('2000');
    await page.keyboard.press('Enter');
    await expect.poll(async () => nbsp(await page.getByTestId('change').textContent())).toContain('9,56 €');
    // Beside the change, what was handed over; the keyboard on « Pas de ticket », the answer Enter gives (it
    // looked chosen while the focus was on the page's body).
    expect(nbsp(await page.getByTestId('received').textContent())).toBe('Reçu 20,00 €');
    await expect.poll(focused).toBe('Pas de ticket');
    await checkScreen('done');
    // Enter on « Imprimer le ticket » prints it (it used to record « no ticket »).
    await tabTo(/^Imprimer le ticket$/);
    await page.keyboard.press('Enter');
    await page.getByPlaceholder('Chercher un article ou scanner').waitFor();
    const [sale] = await sales();
    expect(sale.totalCents).toBe(1044);
    expect(sale.changeCents).toBe(956);
    expect(sale.payments).toEqual([{ method: 'cash', amountCents: 2000 }]);
    await expect.poll(async () => (await shop.admin.get('/api/events?kind=sale.receipt_requested')).body.length).toBe(1);
  });

  it('never lets a shortcut override the focused control', async () => {
    // Sell screen: Enter on a tile adds it (it does not open the payment); Space on a tile too (it does
    // not jump into the search box); Enter on a category tab chooses it.
    const tile = page.locator('[data-product]').filter({ hasText: 'Pain de campagne' });
    await tile.focus();
    await page.keyboard.press('Enter');
    await expect.poll(() => cartLines().count()).toBe(1);
    await tile.focus();
    await page.keyboard.press(' ');
    await expect.poll(() => cartLines().first().textContent()).toContain('2 × 5,20');
    expect(await page.getByPlaceholder('Chercher un article ou scanner').inputValue()).toBe('');
    expect(await page.getByTestId('due').count()).toBe(0);

    // Pay screen: Enter on « Chèque » chooses cheque and records nothing; Enter on a keypad key types it.
    await page.getByTestId('pay').click();
    await page.getByTestId('due').waitFor();
    await page.getByRole('button', { name: 'Chèque', exact: true }).focus();
    await page.keyboard.press('Enter');
    expect(await page.getByRole('button', { name: 'Chèque', exact: true }).getAttribute('aria-pressed')).toBe('true');
    expect(await page.getByRole('button', { name: 'Espèces', exact: true }).getAttribute('aria-pressed')).toBe('false');
    await page.getByRole('button', { name: '5', exact: true }).focus();
    await page.keyboard.press('Enter');
    await expect.poll(async () => nbsp(await page.getByTestId('amount').textContent())).toBe('0,05 €');
    expect((await sales()).length).toBe(1);
    // The amount due is a live region: a screen reader hears it change.
    expect(await page.getByTestId('due').getAttribute('aria-live')).toBe('polite');

    // The card dialog is modal too, and named.
    await page.getByRole('button', { name: 'Carte bancaire', exact: true }).click();
    await page.getByTestId('add-payment').click();
    await page.getByRole('dialog').waitFor();
    await checkScreen('card-dialog');
    await page.keyboard.press('Escape');
    await page.getByRole('dialog').waitFor({ state: 'detached' });
    await page.keyboard.press('Escape');
    await page.getByPlaceholder('Chercher un article ou scanner').waitFor();
  });

  it('weighs in a modal dialog whose field takes the grams, and the refund screen passes axe', async () => {
    await page.locator('[data-product]').filter({ hasText: 'Tomme de brebis' }).click();
    await page.getByRole('dialog', { name: 'Tomme de brebis' }).waitFor();
    await checkScreen('weigh');
    // A tap on another tile is impossible while it is open: the page behind is inert.
    const behind = await page.evaluate(() => {
      const el = document.querySelector('[data-product]') as HTMLElement;
      const r = el.getBoundingClientRect();
      return document.elementFromPoint(r.x + r.width / 2, r.y + r.height / 2)?.closest('[data-product]') === el;
    });
    expect(behind).toBe(false);
    await page.keyboard.type('250');
    await page.keyboard.press('Enter');
    await page.getByRole('dialog').waitFor({ state: 'detached' });
    // 250 g at 24,90 €/kg = 6,225 → 6,23 € (half up).
    await expect.poll(async () => nbsp(await cartLines().last().textContent())).toContain('6,23 €');

    await page.getByRole('button', { name: 'Remboursement' }).click();
    await page.getByLabel('N° de ticket, montant, date ou code du reçu').waitFor();
    await checkScreen('refund');
  });
});
