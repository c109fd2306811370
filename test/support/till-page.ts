import type { Page } from 'playwright-core';
import type { TestShop } from './harness.ts';

/**
 * On the till's pairing screen: a code for the till issued by the admin and typed, then a cashier picked
 * and their PIN typed; waits for the products. The cashier is Camille, PIN 2468, unless said otherwise.
 */
export async function pairAndLogIn(
  page: Page,
  shop: TestShop,
  cashier: { name: string | RegExp; pin: string } = { name: /Camille/, pin: '2468' },
  tillId = 1,
) {
  const code = (await shop.admin.post(`/api/tills/${tillId}/pairing-code`)).body.code as string;
  await page.getByLabel('Code d’appairage').fill(code);
  await page.getByRole('button', { name: 'Appairer la tablette' }).click();
  await page.getByRole('button', { name: cashier.name }).click();
  for (const d of cashier.pin) await page.keyboard.press(d);
  await page.keyboard.press('Enter');
  await page.getByPlaceholder('Chercher un article ou scanner').waitFor();
  await page.locator('[data-product]').first().waitFor();
}

/** Page errors (uncaught exceptions) collected as they happen. */
export function watchErrors(page: Page): string[] {
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  return errors;
}
