import fs from 'node:fs';
import path from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN, aProducer, aProduct, startTestShop, type TestShop } from './support/harness.ts';
import { accessibilityProblems, launchBrowser, screenshot, SCREENS_DIR, shopOrigin, tabletContext } from './support/browser.ts';
import { pairAndLogIn } from './support/till-page.ts';
import { decodeEscPos } from './support/escpos-decoder.ts';
import { until } from './support/wait.ts';

/**
 * The drawer's day, in Chromium: the cashier counts the float at the till, puts change in, pays a producer in
 * cash (with the manager's PIN) and buys stamps; the manager takes the cash to the bank from the back office
 * and closes the day before its end. The Z expects float + cash sales − change + in − out; the till then says
 * the day is closed and where its tickets go, and the producer still sees today's sale made after the Z.
 */
let shop: TestShop;
let browser: Browser;
let tillContext: BrowserContext;
let till: Page;
let producerId: number;
let painId: number;

const text = async (l: { textContent(): Promise<string | null> }) => ((await l.textContent()) ?? '').replace(/\s+/g, ' ').trim();
const todayParis = () => new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/Paris' }).format(new Date());
const nextDay = (d: string) => new Date(Date.parse(`${d}T12:00:00Z`) + 86_400_000).toISOString().slice(0, 10);
/** A day as the screens write it in French ("4 décembre 2026"). */
const long = (d: string, style: 'long' | 'full' = 'long') =>
  new Intl.DateTimeFormat('fr-FR', { dateStyle: style, timeZone: 'UTC' }).format(new Date(`${d}T00:00:00Z`));

beforeAll(async () => {
  shop = await startTestShop({ serveClient: true });
  const ferme = await aProducer(shop.admin, { name: 'Ferme du Sidobre' });
  producerId = ferme.id;
  painId = (await aProduct(shop.admin, { name: 'Pain de campagne', producerId, priceCents: 520, vatRateBp: 550 })).id;
  expect((await shop.admin.post('/api/users', { displayName: 'Camille', role: 'cashier', pin: '2468' })).status).toBe(201);
  expect(
    (
      await shop.admin.post('/api/users', {
        displayName: 'Mathilde',
        role: 'manager',
        login: 'mathilde',
        password: 'mathilde-password-1',
        pin: '1357',
      })
    ).status,
  ).toBe(201);
  // The till's printer, with its drawer: every movement opens it and prints its slip (files under DATA_DIR/prints).
  const printer = await shop.admin.post('/api/printers', {
    name: 'Caisse 1',
    role: 'receipt',
    uri: 'file:prints',
    columns: 48,
    drawer: true,
  });
  expect((await shop.admin.patch('/api/tills/1', { printerId: printer.body.id })).status).toBe(200);
  browser = await launchBrowser({ trustShopCa: shop.dataDir });
  tillContext = await tabletContext(browser, shopOrigin(shop.server.port));
  till = await tillContext.newPage();
  till.on('pageerror', (e) => console.error('page error:', e.message));
}, 60_000);

afterAll(async () => {
  await browser?.close();
  await shop?.close();
});

async function record(kind: 'Fond de caisse' | 'Entrée d’espèces' | 'Sortie d’espèces', fields: { reason?: string; amount: string }) {
  await till.getByRole('button', { name: kind, exact: true }).click();
  if (fields.reason) await till.getByLabel('Motif').selectOption({ label: fields.reason });
  await till.getByLabel('Montant en euros').fill(fields.amount);
}

describe('the cash drawer’s day', { timeout: 90_000 }, () => {
  it('counts the float, cash in and cash out at the till, a manager’s PIN for paying a producer', async () => {
    await till.goto('/caisse/');
    await pairAndLogIn(till, shop);
    // The day has no float yet: the till asks, and may be told later.
    await expect.poll(() => text(till.getByTestId('float-ask'))).toContain(`Fond de caisse du ${long(todayParis())} pas encore compté.`);
    expect(await accessibilityProblems(till)).toEqual([]);
    // « Plus tard »: not asked again today, even after a reload (it was), and the focus is back in the search.
    await till.getByRole('button', { name: 'Plus tard' }).click();
    await expect.poll(() => till.evaluate(() => document.activeElement?.getAttribute('aria-label'))).toBe('Chercher un article ou scanner');
    await till.reload();
    await till.getByPlaceholder('Chercher un article ou scanner').waitFor();
    await till.waitForTimeout(500);
    expect(await till.getByTestId('float-ask').count()).toBe(0);
    await till.evaluate(() => localStorage.removeItem('comptoir.floatSkipped'));
    await till.reload();
    await expect.poll(() => text(till.getByTestId('float-ask'))).toContain('pas encore compté');
    await till.getByRole('button', { name: 'Compter le fond' }).click();
    await till.getByTestId('drawer').waitFor();
    // The screen opens on its title (the keyboard was left on the page's body).
    await expect.poll(() => till.evaluate(() => document.activeElement?.tagName)).toBe('H1');
    // Counted note by note: 1 × 100 € + 2 × 20 € + 1 × 10 € = 150 €; the total follows.
    await till.getByText('Compter par coupure (facultatif)').click();
    await till.getByLabel('Nombre de 100,00 €', { exact: true }).fill('1');
    await till.getByLabel('Nombre de 20,00 €', { exact: true }).fill('2');
    await till.getByLabel('Nombre de 10,00 €', { exact: true }).fill('1');
    expect(await till.getByLabel('Montant en euros').inputValue()).toMatch(/^150,00\s€$/);
    expect(await accessibilityProblems(till)).toEqual([]);
    await screenshot(till, 'drawer-till-float');
    await till.getByRole('button', { name: 'Enregistrer' }).click();
    await expect.poll(() => text(till.getByTestId('float-counted'))).toBe(`Fond de caisse du ${long(todayParis())} : 150,00 €.`);
    // The fields are gone once the float is counted: the focus is on what was done, not on the page's body.
    await expect.poll(() => till.evaluate(() => document.activeElement?.getAttribute('data-testid'))).toBe('drawer-done');

    await record('Entrée d’espèces', { reason: 'Apport de monnaie', amount: '20' });
    await till.getByRole('button', { name: 'Enregistrer' }).click();
    await expect
      .poll(() => text(till.getByTestId('drawer-done')))
      .toBe('Enregistré : Entrée d’espèces, 20,00 €. Le tiroir s’ouvre et son bon s’imprime pour la boîte à justificatifs.');

    // Paying a producer in cash is a manager's act: refused without the PIN, said in a sentence.
    await record('Sortie d’espèces', { reason: 'Paiement d’un producteur', amount: '30' });
    await till.getByLabel('Producteur payé (facultatif)').selectOption({ label: 'Ferme du Sidobre' });
    await till.getByRole('button', { name: 'Enregistrer' }).click();
    await expect.poll(() => text(till.getByRole('alert'))).toBe('Cette sortie demande le code d’un gérant.');
    await till.getByLabel('Code PIN du gérant').fill('1357');
    expect(await accessibilityProblems(till)).toEqual([]);
    await till.getByRole('button', { name: 'Enregistrer' }).click();
    await expect
      .poll(() => text(till.getByTestId('drawer-done')))
      .toBe('Enregistré : Sortie d’espèces, 30,00 €. Le tiroir s’ouvre et son bon s’imprime pour la boîte à justificatifs.');

    // Below the 50 € limit a cashier takes cash out alone.
    await record('Sortie d’espèces', { reason: 'Petite dépense', amount: '12,50' });
    await till.getByLabel('Note').fill('Timbres');
    await till.getByRole('button', { name: 'Enregistrer' }).click();
    await expect
      .poll(() => text(till.getByTestId('drawer-done')))
      .toBe('Enregistré : Sortie d’espèces, 12,50 €. Le tiroir s’ouvre et son bon s’imprime pour la boîte à justificatifs.');
    // The network drops: the movement waits on the tablet and reaches the server once it is back.
    await tillContext.setOffline(true);
    await record('Entrée d’espèces', { reason: 'Apport de monnaie', amount: '5' });
    await till.getByRole('button', { name: 'Enregistrer' }).click();
    await expect
      .poll(() => text(till.getByTestId('drawer-done')))
      .toBe(
        'Hors ligne : le mouvement est gardé sur la tablette et part au serveur dès que possible. Le tiroir ne s’ouvre pas tout seul : ouvrez-le avec sa clé.',
      );
    await tillContext.setOffline(false);
    await expect
      .poll(async () => (await shop.admin.get(`/api/drawer/movements?outlet=shop&day=${todayParis()}`)).body.length, { timeout: 20_000 })
      .toBe(5);
    await till.getByRole('button', { name: 'Retour à la vente' }).click();
    await till.getByPlaceholder('Chercher un article ou scanner').waitFor();
    expect(await till.getByTestId('float-ask').count()).toBe(0);

    // A cash sale: 5,20 € paid with a 10 € note, 4,80 € back.
    await till.locator(`[data-product="${painId}"]`).click();
    await till.getByTestId('pay').click();
    await till.getByRole('button', { name: 'Espèces', exact: true }).click();
    await till.getByRole('button', { name: /^10,00\s€$/ }).click();
    await expect.poll(() => text(till.getByTestId('change'))).toContain('4,80');
    await expect.poll(() => text(till.getByTestId('ticket-state'))).toBe('Ticket n° 1 enregistré.');
    expect(await till.getByTestId('ticket-day').count()).toBe(0);
    await till.getByRole('button', { name: 'Pas de ticket' }).click();

    const movements = (await shop.admin.get(`/api/drawer/movements?outlet=shop&day=${todayParis()}`)).body;
    expect(movements[0].denominations).toEqual({ '10000': 1, '2000': 2, '1000': 1 });
    expect(movements.map((m: any) => [m.kind, m.reason, m.amountCents, m.by, m.approvedBy, m.producerName])).toEqual([
      ['float', 'float', 15000, 'Camille', null, null],
      ['in', 'change_supply', 2000, 'Camille', null, null],
      ['out', 'producer_payment', 3000, 'Camille', 'Mathilde', 'Ferme du Sidobre'],
      ['out', 'petty_purchase', 1250, 'Camille', null, null],
      ['in', 'change_supply', 500, 'Camille', null, null],
    ]);
    // Each is a chained event.
    const events = (await shop.admin.get('/api/events?kind=drawer.')).body;
    expect(events.map((e: any) => e.kind).sort()).toEqual([
      'drawer.cash_in',
      'drawer.cash_in',
      'drawer.cash_out',
      'drawer.cash_out',
      'drawer.float_counted',
    ]);

    // Each movement printed its slip, the one queued offline once it was sent. The drawer opened for the four made
    // online and the cash sale; the offline one opens it only if it reached the server within 10 s.
    const prints = () => fs.readdirSync(path.join(shop.dataDir, 'prints')).sort();
    await expect.poll(() => prints().filter((f) => f.endsWith('-cash.bin')).length).toBe(5);
    expect(prints().filter((f) => f.endsWith('-drawer.bin')).length).toBeGreaterThanOrEqual(5);
    expect(prints().filter((f) => f.endsWith('-drawer.bin')).length).toBeLessThanOrEqual(6);

    // A manager reads the day so far at the till (the X) on its printer; a cashier is not offered it.
    await till.getByTestId('open-drawer').click();
    await till.getByTestId('drawer').waitFor();
    expect(await till.getByTestId('print-x').count()).toBe(0);
    await till.getByRole('button', { name: 'Retour à la vente' }).click();
    const logIn = async (name: RegExp, pin: string) => {
      await till.getByRole('button', { name: 'Verrouiller' }).click();
      await till.getByRole('button', { name }).click();
      for (const d of pin) await till.keyboard.press(d);
      await till.keyboard.press('Enter');
      await till.getByPlaceholder('Chercher un article ou scanner').waitFor();
    };
    await logIn(/Mathilde/, '1357');
    await till.getByTestId('open-drawer').click();
    await till.getByTestId('print-x').click();
    await expect
      .poll(() => text(till.getByTestId('drawer-done')))
      .toBe('Lecture X envoyée à l’imprimante : la journée jusqu’ici, sans la clôturer.');
    const x = await until('the X on the till’s printer', () => prints().find((f) => f.endsWith('-x.bin')));
    const xText = decodeEscPos(fs.readFileSync(path.join(shop.dataDir, 'prints', x))).text.replace(/[\u00a0\u202f]/g, ' ');
    // 150,00 float + 20,00 in − 30,00 − 12,50 out + 5,00 in + 10,00 cash − 4,80 change = 137,70 €.
    expect(xText).toMatch(/Espèces attendues +137,70 €/);
    await till.getByRole('button', { name: 'Retour à la vente' }).click();
    // Locked, the till stays locked across a reload (it reopened the Gérant's session with no PIN: a walk).
    await till.getByRole('button', { name: 'Verrouiller' }).click();
    await till.getByRole('heading', { name: 'Qui tient la caisse ?' }).waitFor();
    await till.reload();
    await till.getByRole('heading', { name: 'Qui tient la caisse ?' }).waitFor();
    await till.waitForTimeout(500);
    expect(await till.getByPlaceholder('Chercher un article ou scanner').count()).toBe(0);
    await till.getByRole('button', { name: /Camille/ }).click();
    for (const d of '2468') await till.keyboard.press(d);
    await till.keyboard.press('Enter');
    await till.getByPlaceholder('Chercher un article ou scanner').waitFor();
    // Logged in again: a reload opens on the sale, as before.
    await till.reload();
    await till.getByPlaceholder('Chercher un article ou scanner').waitFor();
  });

  it('closes the day before its end only once the manager confirms, expecting float + cash − change + in − out', async () => {
    const context = await browser.newContext({ viewport: { width: 1280, height: 800 }, locale: 'fr-FR', timezoneId: 'Europe/Paris' });
    const page = await context.newPage();
    page.on('pageerror', (e) => console.error('page error:', e.message));
    await page.goto(shopOrigin(shop.server.port));
    await page.getByLabel('Identifiant').fill(ADMIN.login);
    await page.getByLabel('Mot de passe').fill(ADMIN.password);
    await page.getByRole('button', { name: 'Se connecter' }).click();
    await page.getByRole('link', { name: 'Journée et clôture' }).click();
    await expect.poll(() => page.getByTestId('drawer-movements').locator('tbody tr').count()).toBe(5);

    // The bank deposit, from the back office, out of the outlet's drawer.
    const form = page.locator('form.drawer-form');
    await form.getByRole('button', { name: 'Sortie d’espèces' }).click();
    await form.getByLabel('Caisse').selectOption({ label: 'Tiroir du point de vente' });
    await form.getByLabel('Motif').selectOption({ label: 'Dépôt en banque' });
    await form.getByLabel('Montant en euros').fill('50');
    await form.getByRole('button', { name: 'Enregistrer le mouvement' }).click();
    await expect.poll(() => page.getByTestId('drawer-movements').locator('tbody tr').count()).toBe(6);

    // Worked out by hand: float 150,00 + cash taken 10,00 − change 4,80 + in (20,00 + 5,00) − out (30,00 + 12,50 + 50,00)
    // = 150 + 10 − 4,80 + 25 − 92,50 = 87,70 €. Before the drawer's movements the Z expected 5,20 €.
    await expect.poll(() => text(page.getByTestId('cash-float'))).toBe('150,00 €');
    expect(await text(page.getByTestId('cash-sales'))).toBe('10,00 €');
    expect(await text(page.getByTestId('cash-in'))).toBe('25,00 €');
    expect(await text(page.getByTestId('cash-out'))).toBe('-92,50 €');
    await expect.poll(() => text(page.getByTestId('cash-expected'))).toBe('87,70 €');
    // Counted: 50 + 20 + 10 + 5 + 2 + 0,50 + 0,20 = 87,70 €: no difference.
    for (const [value, n] of [
      ['50,00 €', '1'],
      ['20,00 €', '1'],
      ['10,00 €', '1'],
      ['5,00 €', '1'],
      ['2,00 €', '1'],
      ['0,50 €', '1'],
      ['0,20 €', '1'],
    ] as const)
      await page.getByLabel(`Nombre de ${value}`, { exact: true }).fill(n);
    await expect.poll(() => text(page.getByTestId('cash-difference'))).toBe('0,00 €');

    // Today is not over: the Z asks first, saying where later sales will go.
    await page.getByRole('button', { name: 'Clôturer la journée (Z)' }).click();
    const ask = page.getByRole('alertdialog');
    await expect
      .poll(() => text(ask))
      .toContain(
        `La journée du ${long(todayParis(), 'full')} n’est pas finie : les ventes enregistrées après ce Z iront sur la journée du ${long(nextDay(todayParis()), 'full')}.`,
      );
    expect(await shop.admin.get('/api/closings?kind=day').then((r) => r.body.length)).toBe(0);
    expect(await accessibilityProblems(page)).toEqual([]);
    await screenshot(page, 'drawer-backoffice-early-z');
    // "Non" leaves the day open; the keyboard is enough to answer.
    await page.getByRole('button', { name: 'Non, attendre' }).click();
    expect(await ask.count()).toBe(0);
    // The focus goes back to the Z's button (it was left on the page's body): Enter asks again.
    await expect.poll(() => page.evaluate(() => document.activeElement?.textContent)).toBe('Clôturer la journée (Z)');
    await page.keyboard.press('Enter');
    // A Z cannot be undone: the question opens on « Non, attendre » (Enter twice does not close the day), and Tab
    // stays between its two answers.
    await expect.poll(() => page.evaluate(() => document.activeElement?.textContent)).toBe('Non, attendre');
    await page.keyboard.press('Tab');
    expect(await page.evaluate(() => document.activeElement?.textContent)).toBe('Oui, clôturer maintenant');
    await page.keyboard.press('Tab');
    expect(await page.evaluate(() => document.activeElement?.textContent)).toBe('Non, attendre');
    await page.keyboard.press('Shift+Tab');
    expect(await page.evaluate(() => document.activeElement?.textContent)).toBe('Oui, clôturer maintenant');
    await page.keyboard.press('Enter');
    await expect.poll(() => text(page.getByTestId('z-done'))).toContain('Z n° 1');
    // The screen says where sales go now, and opens that day.
    await expect
      .poll(() => text(page.getByTestId('next-day')))
      .toContain(`les ventes enregistrées maintenant vont sur la journée du ${long(nextDay(todayParis()), 'full')}.`);
    expect(await accessibilityProblems(page)).toEqual([]);
    await page.locator('.drawer-movements').scrollIntoViewIfNeeded();
    await screenshot(page, 'drawer-backoffice-after-z');

    const z = (await shop.admin.get('/api/closings?kind=day')).body[0];
    expect(z.figures.drawer).toMatchObject({
      floatCents: 15000,
      cashSalesCents: 1000,
      changeCents: 480,
      cashInCents: 2500,
      cashOutCents: 9250,
      expectedCents: 8770,
    });
    expect(z.figures.drawer.movements).toHaveLength(6);
    expect([z.figures.cashCountedCents, z.figures.cashDifferenceCents]).toEqual([8770, 0]);
    expect((await shop.admin.get('/api/journal/verify')).body).toMatchObject({ ok: true, problems: [] });

    const pdf = await shop.admin.get(`/api/closings/${z.id}.pdf`);
    expect(pdf.status).toBe(200);
    fs.mkdirSync(SCREENS_DIR, { recursive: true });
    fs.writeFileSync(path.join(SCREENS_DIR, 'drawer-z.pdf'), pdf.raw);
    await context.close();
  });

  it('tells the till the day is closed and where its tickets go, before and after the sale', async () => {
    const today = todayParis();
    const tomorrow = nextDay(today);
    const banner = `Journée du ${long(today)} clôturée — les ventes vont sur la journée du ${long(tomorrow)}.`;
    await expect.poll(() => text(till.getByTestId('day-closed')), { timeout: 10_000 }).toBe(banner);
    await screenshot(till, 'drawer-till-day-closed');
    await till.setViewportSize({ width: 800, height: 1280 });
    await screenshot(till, 'drawer-till-day-closed-portrait');
    await till.setViewportSize({ width: 1280, height: 800 });
    expect(await accessibilityProblems(till)).toEqual([]);
    await till.locator(`[data-product="${painId}"]`).click();
    await till.getByTestId('pay').click();
    expect(await text(till.getByTestId('day-closed'))).toBe(banner);
    await till.getByRole('button', { name: 'Espèces', exact: true }).click();
    await till.getByRole('button', { name: /^10,00\s€$/ }).click();
    await expect.poll(() => text(till.getByTestId('ticket-state'))).toBe('Ticket n° 2 enregistré.');
    expect(await text(till.getByTestId('ticket-day'))).toBe(
      `Ce ticket compte dans la journée du ${long(tomorrow)} (celle d’aujourd’hui est clôturée).`,
    );
    await screenshot(till, 'drawer-till-done-next-day');
    await till.getByRole('button', { name: 'Pas de ticket' }).click();
    const [sale] = (await shop.admin.get('/api/sales?limit=1')).body;
    expect(sale.businessDay).toBe(tomorrow);
  });

  it('shows the producer today’s sales made after the early Z', async () => {
    const invite = await shop.admin.post(`/api/producers/${producerId}/invitations`, {});
    expect(invite.status).toBe(201);
    const context = await browser.newContext({
      viewport: { width: 390, height: 844 },
      isMobile: true,
      hasTouch: true,
      locale: 'fr-FR',
      timezoneId: 'Europe/Paris',
    });
    const page = await context.newPage();
    await page.goto(invite.body.url.replace(shop.url, shopOrigin(shop.server.port)));
    await page.getByLabel('Nouveau mot de passe').fill('tomme-de-brebis-81');
    await page.getByRole('button', { name: 'Enregistrer et entrer' }).click();
    // Two loaves sold today at 5,20 €, one before the Z and one after it: 10,40 €.
    await expect.poll(() => text(page.getByTestId('today-total'))).toBe('10,40 €');
    expect(await text(page.getByTestId('today-next-day'))).toContain(long(nextDay(todayParis())));
    // What the producer will be paid counts the loaf sold after the Z too (found by a walk: it left it out).
    // Mandataire, 20 % commission on 10,40 € = 2,08 €, its VAT 20 % = 0,416 → 0,42 €: 10,40 − 2,08 − 0,42 = 7,90 €
    // (the loaf before the Z alone: 5,20 − 1,04 − 0,21 = 3,95 €).
    expect(await text(page.getByTestId('today-owed'))).toBe('7,90 €');
    expect(await accessibilityProblems(page)).toEqual([]);
    await context.close();

    // The manager sees the same draft for the month under way (found by a walk: nothing before the month ended).
    const office = await (
      await browser.newContext({ viewport: { width: 1280, height: 800 }, locale: 'fr-FR', timezoneId: 'Europe/Paris' })
    ).newPage();
    await office.goto(`${shopOrigin(shop.server.port)}/`);
    await office.getByLabel('Identifiant').fill('mathilde');
    await office.getByLabel('Mot de passe').fill('mathilde-password-1');
    await office.getByRole('button', { name: 'Se connecter' }).click();
    await office.getByRole('link', { name: 'Relevés des producteurs' }).click();
    // The screen first opens on the month owed its statements, once the server said which: then this month.
    await office.waitForLoadState('networkidle');
    await office.getByLabel('Mois').fill(todayParis().slice(0, 7));
    await office.getByRole('button', { name: 'Voir ce que chaque producteur est dû à ce jour' }).click();
    await expect
      .poll(async () =>
        (await office.getByTestId('draft-row').first().locator('td').allInnerTexts()).map((c) => c.replace(/\s+/g, ' ').trim()),
      )
      .toEqual(['Ferme du Sidobre', '10,40 €', '7,90 €', 'PDF projet']);
    expect(await accessibilityProblems(office)).toEqual([]);
    await office.context().close();
  });
});
