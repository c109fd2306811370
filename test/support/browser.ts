import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { beforeEach, onTestFailed } from 'vitest';

/** Debian's Chromium (installed by `.ci/run` with apt when missing); never a downloaded browser. */
export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

/** The name a tablet uses for the server on the shop's network; mapped to the loopback for the browser only. */
export const SHOP_HOST = 'shop.lan';

/** `https://shop.lan:PORT`: a non-loopback HTTPS origin, as a tablet on the Wi-Fi opens it. */
export const shopOrigin = (port: number, scheme: 'https' | 'http' = 'https') => `${scheme}://${SHOP_HOST}:${port}`;

export interface BrowserOptions {
  /**
   * The shop's data folder: its CA (`tls/ca.crt`) is added to a throwaway NSS database, the store Chromium
   * reads on Linux, exactly as a tablet trusts it after enrolment. Without it, no certificate is trusted.
   */
  trustShopCa?: string;
}

/**
 * Chromium reaching the server as a tablet does: by a network name (`shop.lan`, resolved to the loopback
 * by `--host-resolver-rules`, so nothing leaves the machine), never `localhost`, which browsers treat as a
 * secure context even over plain HTTP.
 */
export async function launchBrowser(options: BrowserOptions = {}): Promise<Browser> {
  const home = browserHome(options);
  const browser = await chromium.launch({ executablePath: CHROMIUM, args: BROWSER_ARGS, env: { ...process.env, HOME: home } });
  browser.on('disconnected', () => fs.rmSync(home, { recursive: true, force: true }));
  return browser;
}

const BROWSER_ARGS = ['--no-sandbox', '--disable-dev-shm-usage', `--host-resolver-rules=MAP ${SHOP_HOST} 127.0.0.1`];

/** A home folder for one browser: its NSS database trusts the shop's CA when asked. */
function browserHome(options: BrowserOptions): string {
  const home = fs.mkdtempSync(path.join(os.tmpdir(), 'comptoir-browser-'));
  if (options.trustShopCa) {
    const db = `sql:${path.join(home, '.pki', 'nssdb')}`;
    fs.mkdirSync(path.join(home, '.pki', 'nssdb'), { recursive: true });
    execFileSync('certutil', ['-N', '-d', db, '--empty-password']);
    execFileSync('certutil', ['-A', '-d', db, '-n', 'Comptoir (test)', '-t', 'C,,', '-i', path.join(options.trustShopCa, 'tls', 'ca.crt')]);
  }
  return home;
}

/**
 * A tablet whose browser keeps its profile in `profileDir` (IndexedDB, cookies, service worker): closing
 * it and launching it again on the same folder is the browser closed and reopened.
 */
export async function launchTablet(profileDir: string, options: BrowserOptions & { baseURL: string }): Promise<BrowserContext> {
  const home = browserHome(options);
  const context = await chromium.launchPersistentContext(profileDir, {
    executablePath: CHROMIUM,
    args: BROWSER_ARGS,
    env: { ...process.env, HOME: home },
    viewport: TABLET,
    baseURL: options.baseURL,
    locale: 'fr-FR',
    timezoneId: 'Europe/Paris',
    hasTouch: true,
  });
  context.on('close', () => fs.rmSync(home, { recursive: true, force: true }));
  return context;
}

const AXE_SOURCE = fs.readFileSync(path.resolve(import.meta.dirname, '../../node_modules/axe-core/axe.min.js'), 'utf8');

/** axe-core's WCAG 2.1 A/AA rules on the page as it is now: the critical and serious findings, one line each. */
export async function accessibilityProblems(page: Page): Promise<string[]> {
  await page.evaluate(AXE_SOURCE);
  const results = await page.evaluate(() =>
    (
      window as unknown as {
        axe: {
          run(
            ctx: Document,
            o: object,
          ): Promise<{
            violations: { id: string; impact: string; help: string; nodes: { target: string[]; failureSummary?: string }[] }[];
          }>;
        };
      }
    ).axe.run(document, {
      runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] },
    }),
  );
  return results.violations
    .filter((v) => v.impact === 'critical' || v.impact === 'serious')
    .map(
      (v) =>
        `${v.impact} ${v.id}: ${v.help} — ${v.nodes
          .map((n) => `${n.target.join(' ')} (${(n.failureSummary ?? '').split('\n').slice(1).join(' ').trim()})`)
          .slice(0, 3)
          .join(', ')}`,
    );
}

/** Screenshots kept as test artefacts, to be looked at: `test-artifacts/screens/<name>.png`. */
export const SCREENS_DIR = path.resolve(import.meta.dirname, '../../test-artifacts/screens');

export async function screenshot(page: Page, name: string, options: { fullPage?: boolean } = {}): Promise<string> {
  fs.mkdirSync(SCREENS_DIR, { recursive: true });
  const file = path.join(SCREENS_DIR, `${name}.png`);
  await page.screenshot({ path: file, ...options });
  return file;
}

/** `p`, or `fallback` once `ms` have passed (a page stuck on a dialog must not hold up the report of its failure). */
const within = <T>(p: Promise<T>, ms: number, fallback: T): Promise<T> =>
  Promise.race([p.catch(() => fallback), new Promise<T>((r) => setTimeout(() => r(fallback), ms))]);

/**
 * When a browser test fails, what each page showed is added to the failure's message (its address, where the
 * keyboard was, the text on screen, the till's outbox if it has one) and a screenshot is kept in
 * `test-artifacts/failures/`: a failure in CI on another machine is then read from the log alone. Call it in a
 * describe block (or at a file's top level) with the pages of the moment.
 */
export function explainFailures(pages: () => Record<string, Page | undefined>): void {
  beforeEach(() => {
    onTestFailed(async ({ task }) => {
      const parts: string[] = [];
      for (const [name, page] of Object.entries(pages())) {
        if (!page || page.isClosed()) continue;
        const seen = await within(
          page.evaluate(() => {
            const a = document.activeElement;
            const focus =
              a && a !== document.body
                ? `${a.tagName.toLowerCase()} « ${a.getAttribute('aria-label') ?? a.textContent?.trim().slice(0, 60) ?? ''} »`
                : 'body';
            // eslint-disable-next-line @typescript-eslint/no-explicit-any
            const till = (window as any).till?.state;
            const outbox = till?.outbox ? ` · outbox ${JSON.stringify(till.outbox)} · screen ${String(till.screen)}` : '';
            return `focus ${focus}${outbox}\n  ${document.body.innerText.replace(/\s+/g, ' ').trim().slice(0, 700)}`;
          }),
          3000,
          '(the page did not answer)',
        );
        const dir = path.resolve(SCREENS_DIR, '../failures');
        fs.mkdirSync(dir, { recursive: true });
        const file = path.join(dir, `${task.name.replace(/[^\p{L}\p{N}]+/gu, '-').slice(0, 80)}-${name}.png`);
        await within(page.screenshot({ path: file }), 3000, undefined);
        parts.push(`[${name}] ${page.url()} · ${seen}`);
      }
      const error = task.result?.errors?.[0];
      if (error && parts.length) error.message += `\n\nWhat the browser showed:\n${parts.join('\n')}`;
    });
  });
}

/** A 10-inch tablet in landscape, as at the counter. */
export const TABLET = { width: 1280, height: 800 };

export async function tabletContext(browser: Browser, baseURL: string): Promise<BrowserContext> {
  return browser.newContext({ viewport: TABLET, baseURL, locale: 'fr-FR', timezoneId: 'Europe/Paris', hasTouch: true });
}
