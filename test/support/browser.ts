import fs from 'node:fs';
import path from 'node:path';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';

/** Debian's Chromium (installed by `.ci/run` with apt when missing); never a downloaded browser. */
export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

export async function launchBrowser(): Promise<Browser> {
  return chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox', '--disable-dev-shm-usage'] });
}

/** Screenshots kept as test artefacts, to be looked at: `test-artifacts/screens/<name>.png`. */
export const SCREENS_DIR = path.resolve(import.meta.dirname, '../../test-artifacts/screens');

export async function screenshot(page: Page, name: string): Promise<string> {
  fs.mkdirSync(SCREENS_DIR, { recursive: true });
  const file = path.join(SCREENS_DIR, `${name}.png`);
  await page.screenshot({ path: file });
  return file;
}

/** A 10-inch tablet in landscape, as at the counter. */
export const TABLET = { width: 1280, height: 800 };

export async function tabletContext(browser: Browser, baseURL: string): Promise<BrowserContext> {
  return browser.newContext({ viewport: TABLET, baseURL, locale: 'fr-FR', timezoneId: 'Europe/Paris', hasTouch: true });
}
