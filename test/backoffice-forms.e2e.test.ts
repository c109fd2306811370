import type { Browser, Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN, aProducer, aProduct, shopIdentity, startTestShop, type TestShop } from './support/harness.ts';
import { explainFailures, launchBrowser, shopOrigin } from './support/browser.ts';

/**
 * The back office's forms as a newcomer found them (/tmp/rev19): a select that showed its first option
 * whatever was stored (and saved it), a login field refusing every login, a share capital typed in French
 * that erased the stored one, messages printed a screen or more away from the form, and inline editors that
 * dropped the keyboard on the page's body.
 */
let shop: TestShop;
let browser: Browser;
let page: Page;
let producer: { id: number; name: string };
const text = async (l: Locator) => ((await l.textContent()) ?? '').replace(/[\u202f\u00a0]/g, ' ').trim();

// Enough rows that a message at the top of the users' or printers' section is far above their forms.
const STAFF = 25;
const PRINTERS = 12;

beforeAll(async () => {
  // Local printers allowed: the padding printers write to folders of the shop's, nothing on the network.
  shop = await startTestShop({ serveClient: true, env: { PRINTERS_LOCAL: 'on' } });
  // The financial year ends in June; the shop sells as commissionnaire (free: nothing sold yet).
  expect((await shop.admin.put('/api/settings/identity', { ...shopIdentity, fiscalYearEndMonth: 6 })).status).toBe(200);
  expect((await shop.admin.put('/api/settings/consignment', { model: 'commissionnaire' })).status).toBe(200);
  expect((await shop.admin.post('/api/users', { displayName: 'Inès', role: 'cashier', pin: '5003' })).status).toBe(201);
  // Managers with a password: a new PIN is checked against every stored one, twenty-five cashiers take seconds.
  for (let i = 0; i < STAFF; i++) {
    const res = await shop.admin.post('/api/users', {
      displayName: `Gérant ${i + 1}`,
      role: 'manager',
      login: `gerant${i + 1}`,
      password: 'mot-de-passe-du-gerant',
    });
    expect(res.status).toBe(201);
  }
  for (let i = 0; i < PRINTERS; i++) {
    const res = await shop.admin.post('/api/printers', { name: `Imprimante ${i + 1}`, role: 'receipt', uri: `file:prints-${i + 1}` });
    expect(res.status).toBe(201);
  }
  producer = await aProducer(shop.admin, { name: 'Ferme du Sidobre' });
  for (const name of ['Tomme', 'Savon', 'Miel']) await aProduct(shop.admin, { name, producerId: producer.id });
  browser = await launchBrowser({ trustShopCa: shop.dataDir });
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 }, locale: 'fr-FR', timezoneId: 'Europe/Paris' });
  page = await context.newPage();
  page.on('pageerror', (e) => console.error('page error:', e.message));
  await page.goto(shopOrigin(shop.server.port));
  await page.getByLabel('Identifiant').fill(ADMIN.login);
  await page.getByLabel('Mot de passe').fill(ADMIN.password);
  await page.getByRole('button', { name: 'Se connecter' }).click();
  await page.getByRole('link', { name: 'Caisses et réglages' }).waitFor();
}, 60_000);

afterAll(async () => {
  await browser?.close();
  await shop?.close();
});

const identity = async () => (await shop.admin.get('/api/settings')).body.identity;

/** Whether a message is on screen, and how far (px) its top is from a control's. */
async function seen(message: Locator, control: Locator) {
  const [m, c] = await Promise.all([message.boundingBox(), control.boundingBox()]);
  const height = page.viewportSize()!.height;
  return { onScreen: !!m && m.y >= 0 && m.y + m.height <= height, distance: m && c ? Math.round(Math.abs(m.y - c.y)) : Infinity };
}

/** Where the keyboard is: « button Modifier … », « input Nom = … » (its label, and its value), or « body ». */
const focused = () =>
  page.evaluate(() => {
    const a = document.activeElement;
    if (!a || a === document.body) return 'body';
    const label = a.getAttribute('aria-label') ?? (a as HTMLInputElement).labels?.[0]?.innerText.trim() ?? '';
    return a instanceof HTMLInputElement ? `input ${label} = ${a.value}` : `${a.tagName.toLowerCase()} ${label}`;
  });

describe('the back office’s forms', { timeout: 60_000 }, () => {
  explainFailures(() => ({ page }));

  it('shows the stored last month of the financial year and keeps it when the identity is saved', async () => {
    await page.goto(`${shopOrigin(shop.server.port)}/#setup`);
    const form = page.getByTestId('identity');
    const month = form.getByLabel('Dernier mois de l’exercice comptable');
    // Stored 6: June, not January (the first option).
    await expect.poll(() => month.inputValue()).toBe('6');
    expect(await text(month.locator('option:checked'))).toBe('juin');
    await form.getByRole('button', { name: 'Enregistrer' }).click();
    await expect.poll(() => text(form.getByRole('status'))).toBe('Enregistré.');
    expect((await identity()).fiscalYearEndMonth).toBe(6);
  });

  it('reads a share capital typed the French way, and refuses one it cannot read without saving anything', async () => {
    const form = page.getByTestId('identity');
    const capital = form.getByLabel('Capital social en euros');
    const save = form.getByRole('button', { name: 'Enregistrer' });
    // 10 000 € = 1 000 000 cents.
    await capital.fill('10 000 €');
    await save.click();
    await expect.poll(async () => (await identity()).shareCapitalCents).toBe(1_000_000);
    // 10 000,50 € = 1 000 050 cents.
    await capital.fill('10 000,50');
    await save.click();
    await expect.poll(async () => (await identity()).shareCapitalCents).toBe(1_000_050);
    await expect.poll(() => text(form.getByRole('status'))).toBe('Enregistré.');
    // Words: named, and nothing written, not even the name changed beside it.
    await form.getByLabel('Nom de la boutique').fill('Nom qui ne doit pas passer');
    await capital.fill('dix mille');
    await save.click();
    await expect.poll(() => text(form.getByRole('alert'))).toContain('Capital social');
    expect(await text(form.getByRole('alert'))).toContain('« dix mille »');
    expect(await form.getByRole('status').count()).toBe(0);
    expect(await identity()).toMatchObject({ shareCapitalCents: 1_000_050, name: shopIdentity.name });
  });

  it('creates a manager and a producer account: the login field keeps nothing of the PIN field', async () => {
    const users = page.getByTestId('users');
    await users.getByText('Nouvel utilisateur').click();
    await users.getByLabel('Nom', { exact: true }).fill('Marie');
    await users.getByLabel('Rôle').selectOption('manager');
    const login = users.getByLabel('Identifiant');
    expect(await login.getAttribute('pattern')).toBeNull();
    expect(await login.getAttribute('inputmode')).toBeNull();
    await login.fill('marie.gerante');
    await users.getByLabel('Mot de passe (10 caractères ou plus)').fill('un-mot-de-passe-long');
    await users.getByRole('button', { name: 'Créer' }).click();
    await expect.poll(() => text(users.getByRole('status'))).toBe('Compte de Marie créé.');
    const list = async () =>
      (await shop.admin.get('/api/users')).body as { login: string | null; role: string; producerId: number | null }[];
    expect((await list()).find((u) => u.login === 'marie.gerante')).toMatchObject({ role: 'manager' });

    // Back to a cashier then to a producer: the same fresh fields.
    await users.getByLabel('Rôle').selectOption('cashier');
    await users.getByLabel('Rôle').selectOption('producer');
    await users.getByLabel('Nom', { exact: true }).fill('Paul Sidobre');
    await users.getByLabel('Identifiant').fill('paul.sidobre');
    await users.getByLabel('Mot de passe (10 caractères ou plus)').fill('un-autre-mot-de-passe');
    await users.locator('select[name=producerId]').selectOption({ label: 'Ferme du Sidobre' });
    await users.getByRole('button', { name: 'Créer' }).click();
    await expect.poll(() => text(users.getByRole('status'))).toBe('Compte de Paul Sidobre créé.');
    expect((await list()).find((u) => u.login === 'paul.sidobre')).toMatchObject({ role: 'producer', producerId: producer.id });
  });

  it('says a PIN is taken, and a printer’s address is bad, beside the form that was sent', async () => {
    const users = page.getByTestId('users');
    await users.getByLabel('Rôle').selectOption('cashier');
    await users.getByLabel('Nom', { exact: true }).fill('Doublon');
    // 5003 is Inès's.
    await users.getByLabel('Code PIN (4 à 8 chiffres)').fill('5003');
    const create = users.getByRole('button', { name: 'Créer' });
    await create.click();
    const taken = users.getByRole('alert');
    await expect.poll(() => text(taken)).toMatch(/PIN/);
    // On screen, within a few lines of « Créer » (it was some 1 500 px above, over the 29 users' table).
    const user = await seen(taken, create);
    expect(user.onScreen).toBe(true);
    expect(user.distance).toBeLessThan(200);

    const printers = page.getByTestId('printers');
    await printers.getByText('Nouvelle imprimante').click();
    const form = printers.locator('details form');
    await form.getByLabel('Nom').fill('Ticket');
    await form.getByLabel('Adresse').fill('tcp://');
    const createPrinter = form.getByRole('button', { name: 'Créer' });
    await createPrinter.click();
    const bad = printers.getByRole('alert');
    await expect.poll(() => text(bad)).toContain('L’adresse de l’imprimante n’est pas valide');
    const printer = await seen(bad, createPrinter);
    expect(printer.onScreen).toBe(true);
    expect(printer.distance).toBeLessThan(200);
    expect((await shop.admin.get('/api/printers')).body).toHaveLength(PRINTERS);
  });

  it('shows the consignment model the shop has chosen and keeps it when saved', async () => {
    await page.goto(`${shopOrigin(shop.server.port)}/#accounting`);
    const section = page.getByTestId('consignment-model');
    await expect.poll(() => section.getByLabel('Modèle').inputValue()).toBe('commissionnaire');
    await section.getByRole('button', { name: 'Enregistrer le modèle' }).click();
    await expect.poll(() => text(section.getByRole('status'))).toBe('Modèle enregistré.');
    expect((await shop.admin.get('/api/settings/consignment')).body.model).toBe('commissionnaire');
  });

  it('puts the keyboard in a producer’s editor when it opens, and back on « Modifier » when it closes', async () => {
    await page.goto(`${shopOrigin(shop.server.port)}/#catalogue`);
    const edit = page.getByRole('button', { name: 'Modifier Ferme du Sidobre' });
    await edit.click();
    await expect.poll(focused).toBe('input Nom = Ferme du Sidobre');
    await page.getByRole('button', { name: 'Annuler' }).click();
    await expect.poll(focused).toBe('button Modifier Ferme du Sidobre');
    await page.keyboard.press('Enter');
    await expect.poll(focused).toBe('input Nom = Ferme du Sidobre');
    await page.getByRole('button', { name: 'Enregistrer', exact: true }).click();
    await expect.poll(focused).toBe('button Modifier Ferme du Sidobre');
  });

  it('moves the keyboard to the next line’s « × » when a deposit line is removed, then to the scanner', async () => {
    await page.goto(`${shopOrigin(shop.server.port)}/#deposit`);
    await page.getByLabel('Producteur').selectOption({ label: 'Ferme du Sidobre' });
    for (const name of ['Tomme', 'Savon', 'Miel']) await page.getByRole('button', { name, exact: true }).click();
    // Savon's line goes: Miel's × takes its place; Miel's, the last, goes: Tomme's; then the scanner's field.
    await page.getByRole('button', { name: 'Retirer Savon' }).click();
    await expect.poll(focused).toBe('button Retirer Miel');
    await page.keyboard.press('Enter');
    await expect.poll(focused).toBe('button Retirer Tomme');
    await page.keyboard.press('Enter');
    await expect.poll(focused).toBe('input Scanner ou taper un code-barres = ');
  });
});
