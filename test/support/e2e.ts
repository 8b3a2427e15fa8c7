/**
 * The plumbing every browser test file shares: one headless Chromium and one stack (server on SQLite +
 * WeCom simulator, test/support/stack.ts) per file, a fresh browser context per page, closed after each
 * test, and every page watched for uncaught errors and CSP violations (`watchPage`), checked after
 * each test.
 *
 *   describeBrowser('…', () => {
 *     const { url, newPage, signIn, shot, expectVisible } = useBrowserStack();
 *     test('…', async () => {
 *       const page = await newPage();
 *       await signIn(page, DEMO_USERS.csAgent, '/me');
 *       await expectVisible(page, '[data-testid="me-permissions"]');
 *       await shot(page, 'me');
 *     });
 *   });
 *
 * Call it in the describe body: it registers beforeAll (launch, start), afterEach (close contexts, check
 * the pages) and afterAll (close all) there. `browser` and `stack` exist once beforeAll has run.
 */
import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, BrowserContext, BrowserContextOptions, Page } from 'playwright-core';
import { findChromium, PHONE_CONTEXT, requireBrowser, watchPage } from './browser';
import { startStack, type Stack, type StackOptions } from './stack';

/**
 * `describe` for browser tests: skipped (with requireBrowser's warning) only where there is no
 * Chromium and none is required; in CI, or with REQUIRE_BROWSER=1, a missing one fails the run.
 */
export const describeBrowser: jest.Describe = findChromium() || process.env.CI || process.env.REQUIRE_BROWSER === '1' ? describe : describe.skip;

const ROOT = join(__dirname, '..', '..');
const H5_INDEX = join(ROOT, 'h5', 'dist', 'index.html');
/** Where `shot()` writes `<name>.png`. */
export const SHOTS = join(ROOT, 'test', 'artifacts', 'screenshots');

export interface BrowserStackOptions {
  /** Passed to startStack; default `{ db: 'sqlite' }`. */
  stack?: StackOptions;
}

export interface BrowserStack {
  readonly browser: Browser;
  readonly stack: Stack;
  /** `path` on the server under test. */
  url: (path: string) => string;
  /** Whether the page is on the simulator (its sign-in chooser or OAuth page). */
  onChooser: (page: Page) => boolean;
  /** A page in a fresh browser context (no cookies; the phone profile unless `context` says otherwise), watched for errors. */
  newPage: (context?: BrowserContextOptions) => Promise<Page>;
  /** Open `path` signed out, pick `userid` on the simulator's chooser and wait to be back on `path`. */
  signIn: (page: Page, userid: string, path?: string) => Promise<void>;
  /** Screenshot to test/artifacts/screenshots/`name`.png once the fonts are ready. */
  shot: (page: Page, name: string, fullPage?: boolean) => Promise<void>;
  /** Wait (up to 10 s) until the first match of `selector` is visible. */
  expectVisible: (page: Page, selector: string) => Promise<void>;
}

export function useBrowserStack(options: BrowserStackOptions = {}): BrowserStack {
  let browser: Browser | undefined;
  let stack: Stack | undefined;
  const contexts: BrowserContext[] = [];
  /** Uncaught errors and CSP violations in any page of the current test. */
  let problems: string[] = [];

  beforeAll(async () => {
    if (!existsSync(H5_INDEX)) throw new Error(`${H5_INDEX} is missing: run \`npm run build -w h5\` first`);
    const launched = await requireBrowser();
    if (!launched) throw new Error('Chromium not found');
    browser = launched;
    stack = await startStack(options.stack ?? { db: 'sqlite' });
    mkdirSync(SHOTS, { recursive: true });
  }, 120_000);

  afterEach(async () => {
    await Promise.all(contexts.splice(0).map((c) => c.close()));
    const seen = problems;
    problems = [];
    expect(seen).toEqual([]);
  });

  afterAll(async () => {
    await browser?.close();
    await stack?.close();
  });

  const started = () => {
    if (!browser || !stack) throw new Error('useBrowserStack: not started yet (use it inside tests and hooks that run after its beforeAll)');
    return { browser, stack };
  };
  const url = (path: string) => `${started().stack.baseUrl}${path}`;

  return {
    get browser() {
      return started().browser;
    },
    get stack() {
      return started().stack;
    },
    url,
    onChooser: (page) => page.url().startsWith(started().stack.sim.url),
    newPage: async (context = PHONE_CONTEXT) => {
      const created = await started().browser.newContext(context);
      contexts.push(created);
      const page = await created.newPage();
      watchPage(page, problems);
      return page;
    },
    signIn: async (page, userid, path = '/') => {
      await page.goto(url(path));
      await page.waitForURL((u) => u.href.startsWith(started().stack.sim.url));
      await page.click(`a[data-userid="${userid}"]`);
      await page.waitForURL(url(path));
    },
    shot: async (page, name, fullPage = false) => {
      await page.evaluate(() => document.fonts.ready);
      // Vant's transitions (popups, toasts, tabs) are fast-forwarded to their end state, not waited for.
      await page.screenshot({ path: join(SHOTS, `${name}.png`), fullPage, animations: 'disabled' });
    },
    expectVisible: async (page, selector) => {
      await page.locator(selector).first().waitFor({ state: 'visible', timeout: 10_000 });
    },
  };
}

/** The title and every visible text node of the page, one per line; decorative aria-hidden parts (avatar initials) left out. */
export function visibleText(page: Page): Promise<string> {
  return page.evaluate(() => {
    const lines = [document.title];
    const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      const el = node.parentElement;
      const text = node.textContent?.trim();
      if (text && el && el.checkVisibility() && !el.closest('[aria-hidden="true"]')) lines.push(text);
    }
    return lines.join('\n');
  });
}

/** Chinese characters, and CJK punctuation / full-width forms (、，：（）). */
export const CHINESE = /[\u3000-\u303f\u3400-\u4dbf\u4e00-\u9fff\uff00-\uffef]/;

/**
 * The lines of the page's visible text that still hold Chinese once the `data` strings are taken out
 * (names and positions from WeCom, which stay as WeCom has them; longest first): in an English UI, none.
 */
export async function chineseLines(page: Page, data: readonly string[]): Promise<string[]> {
  let text = await visibleText(page);
  for (const word of data.filter(Boolean).sort((a, b) => b.length - a.length)) text = text.split(word).join('');
  return text.split('\n').filter((line) => CHINESE.test(line));
}
