/**
 * H5 performance: the home route's initial download and how long a phone on a slow network takes
 * to show the "我的工作" cards.
 *
 * 1. Initial JS+CSS of the home route: the entry script, its modulepreload links and stylesheets
 *    from h5/dist/index.html, each gzipped with zlib (level 9) and brotli. Budget: 150 KB gzip.
 * 2. Navigation to an interactive home page in headless Chromium with Lighthouse's mobile throttling
 *    ("Fast 3G" network: 562.5 ms RTT, 1.6 Mbps × 0.9 down, 750 kbps × 0.9 up; CPU slowdown 4×),
 *    already signed in (the cookie comes from going through the WeCom simulator first), cache
 *    disabled, until the home cards are in the DOM. A warm visit (HTTP cache on) is measured too.
 *
 * Builds nothing: run `npm run build -w h5` first. Starts its own stack (simulator + server on SQLite)
 * unless given a baseUrl. Standalone:
 *
 *   npx tsx --tsconfig tsconfig.base.json test/bench/h5-perf.ts [--runs 3]
 *
 * (--tsconfig: the server's TypeORM entities need the legacy decorators configured there.)
 * Prints one JSON object; exits 1 when the bundle is over budget.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { brotliCompressSync, constants as zlibConstants, gzipSync } from 'node:zlib';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { DEMO_USERS } from '../../scripts/wecom-sim';
import { requireBrowser, PHONE_CONTEXT } from '../support/browser';
import { startStack, type Stack } from '../support/stack';

export const H5_DIST = resolve(__dirname, '..', '..', 'h5', 'dist');
/** Initial JS+CSS of the home route, gzip. */
export const H5_BUDGET_BYTES = 150 * 1024;
/** Lighthouse's mobile "Fast 3G" (lighthouse-core/config/constants.js, throttling.mobileSlow4G is the same RTT/throughput). */
export const FAST_3G = {
  latency: 562.5,
  downloadThroughput: ((1.6 * 1024 * 1024) / 8) * 0.9,
  uploadThroughput: ((750 * 1024) / 8) * 0.9,
} as const;
export const CPU_SLOWDOWN = 4;

export interface InitialAsset {
  /** Path as referenced by index.html, e.g. /assets/index-abc.js */
  href: string;
  kind: 'entry' | 'modulepreload' | 'stylesheet';
  bytes: number;
  gzipBytes: number;
  brotliBytes: number;
}

export interface InitialBundle {
  assets: InitialAsset[];
  jsGzipBytes: number;
  cssGzipBytes: number;
  totalBytes: number;
  totalGzipBytes: number;
  totalBrotliBytes: number;
  /** index.html itself, not counted in the total. */
  htmlGzipBytes: number;
  budgetGzipBytes: number;
  withinBudget: boolean;
}

export interface HomeLoadSample {
  /** navigation start → `[data-testid="work-cards"]` in the DOM (the home counters rendered with data, or their empty state). */
  homeCardsMs: number;
  firstContentfulPaintMs: number | null;
  domContentLoadedMs: number | null;
  /** Bytes over the wire for this navigation (document + resources + API). */
  transferBytes: number;
  requests: number;
}

export interface HomeLoadResult {
  conditions: { cpuSlowdown: number; network: typeof FAST_3G & { name: 'Fast 3G' }; viewport: string };
  signedInAs: string;
  cold: HomeLoadSample[];
  coldMedian: HomeLoadSample;
  warm: HomeLoadSample;
}

export interface H5PerfResult {
  name: 'h5-perf';
  bundle: InitialBundle;
  load: HomeLoadResult | { skipped: string };
}

function attributes(tag: string): Record<string, string> {
  const attrs: Record<string, string> = {};
  for (const m of tag.matchAll(/([a-zA-Z_:][-a-zA-Z0-9_:.]*)(?:\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'=<>`]+)))?/g)) {
    attrs[m[1]!.toLowerCase()] = m[2] ?? m[3] ?? m[4] ?? '';
  }
  return attrs;
}

/** The entry script, modulepreloads and stylesheets index.html makes the browser fetch up front. */
export function initialAssetRefs(indexHtml: string): Array<{ href: string; kind: InitialAsset['kind'] }> {
  const refs: Array<{ href: string; kind: InitialAsset['kind'] }> = [];
  for (const m of indexHtml.matchAll(/<(script|link)\b([^>]*)>/gi)) {
    const attrs = attributes(m[2]!);
    if (m[1]!.toLowerCase() === 'script') {
      if (attrs.type === 'module' && attrs.src) refs.push({ href: attrs.src, kind: 'entry' });
    } else if (attrs.rel === 'modulepreload' && attrs.href) {
      refs.push({ href: attrs.href, kind: 'modulepreload' });
    } else if (attrs.rel === 'stylesheet' && attrs.href) {
      refs.push({ href: attrs.href, kind: 'stylesheet' });
    }
  }
  return refs;
}

const gzip = (data: Buffer) => gzipSync(data, { level: 9 }).length;
const brotli = (data: Buffer) => brotliCompressSync(data, { params: { [zlibConstants.BROTLI_PARAM_QUALITY]: 11 } }).length;

/** Sizes of the home route's initial JS+CSS in a built h5/dist. */
export function measureInitialBundle(distDir = H5_DIST): InitialBundle {
  const indexPath = join(distDir, 'index.html');
  if (!existsSync(indexPath)) throw new Error(`${indexPath} is missing: run \`npm run build -w h5\` first`);
  const html = readFileSync(indexPath);
  const assets = initialAssetRefs(html.toString('utf8')).map(({ href, kind }): InitialAsset => {
    const data = readFileSync(join(distDir, href.replace(/^\//, '').split(/[?#]/)[0]!));
    return { href, kind, bytes: data.length, gzipBytes: gzip(data), brotliBytes: brotli(data) };
  });
  const sum = (pick: (a: InitialAsset) => number, filter: (a: InitialAsset) => boolean = () => true) => assets.filter(filter).reduce((n, a) => n + pick(a), 0);
  const totalGzipBytes = sum((a) => a.gzipBytes);
  return {
    assets,
    jsGzipBytes: sum(
      (a) => a.gzipBytes,
      (a) => a.kind !== 'stylesheet',
    ),
    cssGzipBytes: sum(
      (a) => a.gzipBytes,
      (a) => a.kind === 'stylesheet',
    ),
    totalBytes: sum((a) => a.bytes),
    totalGzipBytes,
    totalBrotliBytes: sum((a) => a.brotliBytes),
    htmlGzipBytes: gzip(html),
    budgetGzipBytes: H5_BUDGET_BYTES,
    withinBudget: totalGzipBytes <= H5_BUDGET_BYTES,
  };
}

declare global {
  interface Window {
    __homeCardsAt?: number;
  }
}

/**
 * Records performance.now() when the home counters appear; runs before any page script.
 * A string, not a function: tsx/esbuild would wrap named inner functions in a `__name` helper
 * that does not exist in the page.
 */
const WATCH_HOME_CARDS = `(() => {
  const observer = new MutationObserver(() => {
    if (window.__homeCardsAt === undefined && document.querySelector('[data-testid="work-cards"]')) {
      window.__homeCardsAt = performance.now();
      observer.disconnect();
    }
  });
  observer.observe(document, { childList: true, subtree: true });
})();`;

async function loadHome(context: BrowserContext, baseUrl: string, cold: boolean): Promise<HomeLoadSample> {
  const page = await context.newPage();
  try {
    const cdp = await context.newCDPSession(page);
    await cdp.send('Network.enable');
    await cdp.send('Network.setCacheDisabled', { cacheDisabled: cold });
    await cdp.send('Network.emulateNetworkConditions', { offline: false, ...FAST_3G });
    await cdp.send('Emulation.setCPUThrottlingRate', { rate: CPU_SLOWDOWN });
    let transferBytes = 0;
    let requests = 0;
    cdp.on('Network.loadingFinished', (e: { encodedDataLength: number }) => {
      transferBytes += e.encodedDataLength;
      requests += 1;
    });
    await page.addInitScript(WATCH_HOME_CARDS);
    await page.goto(`${baseUrl}/`, { waitUntil: 'commit', timeout: 120_000 });
    await page.waitForFunction(() => window.__homeCardsAt !== undefined, null, { timeout: 120_000, polling: 50 }); // a function: a string would need eval, which the CSP forbids
    if (!page.url().startsWith(baseUrl)) throw new Error(`not signed in: ended on ${page.url()}`);
    const timings = await page.evaluate(() => {
      const nav = performance.getEntriesByType('navigation')[0] as PerformanceNavigationTiming | undefined;
      const fcp = performance.getEntriesByName('first-contentful-paint')[0];
      return {
        homeCardsMs: window.__homeCardsAt!,
        firstContentfulPaintMs: fcp ? fcp.startTime : null,
        domContentLoadedMs: nav ? nav.domContentLoadedEventEnd : null,
      };
    });
    await cdp.send('Emulation.setCPUThrottlingRate', { rate: 1 });
    await cdp.detach();
    const round = (n: number | null) => (n === null ? null : Math.round(n));
    return {
      homeCardsMs: Math.round(timings.homeCardsMs),
      firstContentfulPaintMs: round(timings.firstContentfulPaintMs),
      domContentLoadedMs: round(timings.domContentLoadedMs),
      transferBytes,
      requests,
    };
  } finally {
    await page.close();
  }
}

function median(samples: HomeLoadSample[]): HomeLoadSample {
  const mid = <T>(values: T[], by: (v: T) => number): T => [...values].sort((a, b) => by(a) - by(b))[Math.floor(values.length / 2)]!;
  return mid(samples, (s) => s.homeCardsMs);
}

/** Sign in through the simulator's member chooser (no throttling), leaving the session cookie in `context`. */
async function signIn(page: Page, baseUrl: string, userid: string): Promise<void> {
  await page.goto(`${baseUrl}/`);
  await page.waitForSelector(`a[data-userid="${userid}"]`, { timeout: 30_000 });
  await page.click(`a[data-userid="${userid}"]`);
  await page.waitForSelector('[data-testid="work-cards"]', { timeout: 30_000 });
}

export interface H5PerfOptions {
  /** Cold navigations to measure (the median is reported). Default 3. */
  runs?: number;
  /** Use a running server (with the WeCom simulator behind it) instead of starting a stack. */
  baseUrl?: string;
  distDir?: string;
  /** Member to sign in as (default the demo owner, who sees every counter). */
  userid?: string;
  /** Print the JSON result to stdout. Default false. */
  print?: boolean;
}

/** Bundle sizes and throttled home-page load; the browser part is skipped (and says so) without Chromium. */
export async function runH5Perf(options: H5PerfOptions = {}): Promise<H5PerfResult> {
  const bundle = measureInitialBundle(options.distDir);
  const result: H5PerfResult = { name: 'h5-perf', bundle, load: { skipped: 'Chromium not found' } };
  const userid = options.userid ?? DEMO_USERS.owner;

  let browser: Browser | null = null;
  let stack: Stack | null = null;
  try {
    browser = await requireBrowser();
    if (browser) {
      if (!options.baseUrl) stack = await startStack({ db: 'sqlite' });
      const baseUrl = options.baseUrl ?? stack!.baseUrl;
      const context = await browser.newContext({ ...PHONE_CONTEXT });
      await signIn(await context.newPage(), baseUrl, userid);
      const cold: HomeLoadSample[] = [];
      for (let i = 0; i < (options.runs ?? 3); i++) cold.push(await loadHome(context, baseUrl, true));
      const warm = await loadHome(context, baseUrl, false);
      await context.close();
      result.load = {
        conditions: { cpuSlowdown: CPU_SLOWDOWN, network: { name: 'Fast 3G', ...FAST_3G }, viewport: '360x640@2' },
        signedInAs: userid,
        cold,
        coldMedian: median(cold),
        warm,
      };
    }
  } finally {
    await browser?.close();
    await stack?.close();
  }
  if (options.print) console.log(JSON.stringify(result, null, 2));
  return result;
}

if (require.main === module) {
  const runsFlag = process.argv.indexOf('--runs');
  const runs = runsFlag > 0 ? Number(process.argv[runsFlag + 1]) : undefined;
  runH5Perf({ runs, print: true, baseUrl: process.env.H5_PERF_BASE_URL })
    .then((r) => {
      if (!r.bundle.withinBudget) {
        console.error(`home route initial JS+CSS is ${r.bundle.totalGzipBytes} B gzip, over the ${H5_BUDGET_BYTES} B budget`);
        process.exitCode = 1;
      }
    })
    .catch((error: unknown) => {
      console.error(error);
      process.exitCode = 1;
    });
}
