/**
 * Headless Chromium for e2e tests, from the system package (Debian `chromium`) via playwright-core, so
 * no browser download is needed (https://playwright.dev/docs/api/class-browsertype#browser-type-launch).
 *
 *   const browser = await requireBrowser();
 *   const maybe = browser ? test : test.skip;
 *
 * Missing Chromium: throws when CI (any non-empty value) or REQUIRE_BROWSER=1, else returns null.
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { chromium, type Browser } from 'playwright-core';

/** Path of the Chromium binary: $CHROMIUM_PATH, else `which chromium` (or chromium-browser). */
export function findChromium(): string | null {
  const fromEnv = process.env.CHROMIUM_PATH;
  if (fromEnv) return existsSync(fromEnv) ? fromEnv : null;
  for (const name of ['chromium', 'chromium-browser']) {
    const found = spawnSync('which', [name], { encoding: 'utf8' }).stdout?.trim();
    if (found) return found;
  }
  return null;
}

export async function requireBrowser(): Promise<Browser | null> {
  const executablePath = findChromium();
  if (!executablePath) {
    if (process.env.CI || process.env.REQUIRE_BROWSER === '1') {
      throw new Error('Chromium is required here but not found: apt-get install chromium, or set CHROMIUM_PATH');
    }
    console.warn('[test] Chromium not found: browser tests skipped (apt-get install chromium or set CHROMIUM_PATH).');
    return null;
  }
  return chromium.launch({
    executablePath,
    headless: true,
    // --no-sandbox: CI containers run as root, where Chromium's sandbox cannot start. The rest keep the
    // browser from phoning home (updates, sync, QUIC) so tests only see our own traffic.
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
}

/** A phone-sized browser profile (360×640 CSS px, touch, zh-CN), as the e2e tests and the H5 bench use. */
export const PHONE_CONTEXT = {
  viewport: { width: 360, height: 640 },
  deviceScaleFactor: 2,
  isMobile: true,
  hasTouch: true,
  locale: 'zh-CN',
} as const;

/**
 * Collects what must never happen on a page of ours: an uncaught exception, or anything the server's
 * Content-Security-Policy blocked (a script, style, font or frame from elsewhere). Check the list
 * after each test: `expect(problems).toEqual([])`.
 */
export function watchPage(page: import('playwright-core').Page, problems: string[]): void {
  page.on('pageerror', (error) => problems.push(`${page.url()}: ${error.message}`));
  page.on('console', (message) => {
    if (message.type() === 'error' && /Content Security Policy/i.test(message.text())) problems.push(`${page.url()}: ${message.text()}`);
  });
}
