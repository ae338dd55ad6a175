import { execFile } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { type Browser, type BrowserContext, chromium, type Page } from 'playwright-core';
import { PNG } from 'pngjs';

/**
 * Chromium for the end-to-end tests (see docs STACK.md, "Browser tests"): Debian's browser, headless,
 * no network beyond the server under test. `openPage` fails on page errors, console errors, failed or
 * erroring same-origin requests, and any request to another origin (which it also blocks).
 */

const root = resolve(import.meta.dirname, '../..');
const run = promisify(execFile);
export const ARTIFACTS_DIR = join(root, 'tests/artifacts');
export const WEB_DIST_DIR = join(root, 'dist/web');

const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
  '--disable-quic',
];

let browser: Promise<Browser> | null = null;

/** One browser per test worker, started on first use. */
export function launchBrowser(): Promise<Browser> {
  browser ??= chromium.launch({ executablePath: '/usr/bin/chromium', headless: true, args: CHROMIUM_ARGS });
  return browser;
}

export async function closeBrowser(): Promise<void> {
  const running = browser;
  browser = null;
  if (running) await (await running).close();
}

// --- The built web app ---------------------------------------------------------------------------

/** Inputs of `vite build`: a change in any of them makes dist/web stale. */
const BUILD_INPUTS = ['web', 'vite.config.ts', 'package-lock.json'];

function newestMtime(path: string): number {
  const info = statSync(path);
  if (!info.isDirectory()) return info.mtimeMs;
  let newest = info.mtimeMs;
  for (const entry of readdirSync(path)) newest = Math.max(newest, newestMtime(join(path, entry)));
  return newest;
}

function buildIsFresh(): boolean {
  const index = join(WEB_DIST_DIR, 'index.html');
  if (!existsSync(index)) return false;
  const sources = Math.max(
    ...BUILD_INPUTS.map((p) => join(root, p))
      .filter(existsSync)
      .map(newestMtime),
  );
  return statSync(index).mtimeMs >= sources;
}

const sleep = (ms: number) => new Promise((done) => setTimeout(done, ms));

/**
 * Builds the web app (vite build) unless dist/web is newer than its sources. Test workers may call it
 * at the same time: a lock folder lets one build while the others wait for it.
 */
export async function ensureWebBuild(): Promise<void> {
  if (buildIsFresh()) return;
  const lock = join(root, '.tmp/web-build.lock');
  mkdirSync(join(root, '.tmp'), { recursive: true });
  const deadline = Date.now() + 240_000;
  for (;;) {
    try {
      mkdirSync(lock);
      break;
    } catch {
      // A lock left by a killed build is stale after five minutes.
      if (existsSync(lock) && Date.now() - statSync(lock).mtimeMs > 300_000) rmSync(lock, { recursive: true });
      if (Date.now() > deadline) throw new Error(`ensureWebBuild: ${lock} held for too long`);
      await sleep(250);
    }
  }
  try {
    writeFileSync(join(lock, 'pid'), String(process.pid));
    if (buildIsFresh()) return;
    const vite = join(root, 'node_modules/vite/bin/vite.js');
    // Asynchronous: the test setup imports the data package in this process meanwhile.
    await run(process.execPath, [vite, 'build', '--logLevel', 'warn'], {
      cwd: root,
      maxBuffer: 16 * 1024 * 1024,
    }).catch((err: { code?: number; signal?: string; stdout?: string; stderr?: string }) => {
      throw new Error(`vite build failed (${err.code ?? err.signal}):\n${err.stdout ?? ''}\n${err.stderr ?? ''}`);
    });
  } finally {
    rmSync(lock, { recursive: true, force: true });
  }
}

// --- Pages ---------------------------------------------------------------------------------------

export interface OpenPageOptions {
  viewport?: { width: number; height: number };
  /** Wait for `window.__mapReady` (the map's first idle). Default true. */
  waitForMap?: boolean;
  /** The browser's language (navigator.language, Accept-Language). Default 'de-DE'. */
  locale?: string;
  /** Same-origin responses with status ≥ 400 that are expected, e.g. a test of an error page. */
  allowStatus?: (url: string, status: number) => boolean;
  timeoutMs?: number;
}

export interface OpenedPage {
  page: Page;
  context: BrowserContext;
  /** The origin of the server under test. */
  origin: string;
  /** Page errors, console errors and failed requests, as they happened. */
  problems: string[];
  /** Requests to any other origin: all were blocked. */
  externalRequests: string[];
  /** Every same-origin URL the page requested. */
  requests: string[];
  /** Throws when anything went wrong on the page. */
  assertClean(): void;
  /** Resolves when the map is idle again (after a pan, zoom or style change). */
  waitForMapIdle(): Promise<void>;
  /** Awaits `work`, but fails at once with the page's error if one happens meanwhile. */
  guard<T>(work: Promise<T>): Promise<T>;
  /** A screenshot of the viewport, saved as tests/artifacts/<name>.png. */
  screenshot(name: string): Promise<PNG>;
  /** Asserts the page stayed clean, then closes it. */
  close(): Promise<void>;
}

export async function openPage(url: string, options: OpenPageOptions = {}): Promise<OpenedPage> {
  const { viewport = { width: 1280, height: 800 }, waitForMap = true, locale = 'de-DE', timeoutMs = 30_000 } = options;
  const origin = new URL(url).origin;
  const context = await (await launchBrowser()).newContext({ viewport, locale, deviceScaleFactor: 1 });
  const problems: string[] = [];
  const externalRequests: string[] = [];
  const requests: string[] = [];
  let reportProblem: (message: string) => void = () => {};
  const failed = new Promise<never>((_, reject) => {
    reportProblem = (message) => {
      problems.push(message);
      reject(new Error(message));
    };
  });
  failed.catch(() => {}); // awaited only while waiting for the map

  await context.route('**/*', (route) => {
    const requestUrl = route.request().url();
    if (requestUrl.startsWith('data:') || requestUrl.startsWith('blob:') || new URL(requestUrl).origin === origin) {
      requests.push(requestUrl);
      return route.continue();
    }
    externalRequests.push(requestUrl);
    reportProblem(`request to another origin: ${requestUrl}`);
    return route.abort('blockedbyclient');
  });

  const page = await context.newPage();
  page.setDefaultTimeout(timeoutMs);
  page.on('pageerror', (err) => reportProblem(`page error: ${err.stack ?? err.message}`));
  page.on('console', (message) => {
    if (message.type() === 'error') reportProblem(`console error: ${message.text()} (${message.location().url})`);
  });
  page.on('requestfailed', (request) => {
    const requestUrl = request.url();
    if (new URL(requestUrl).origin !== origin) return; // blocked above, already reported
    // Requests the page itself gave up on (a map tile no longer in view) are no fault.
    if (request.failure()?.errorText === 'net::ERR_ABORTED') return;
    reportProblem(`request failed: ${requestUrl} ${request.failure()?.errorText ?? ''}`);
  });
  page.on('response', (response) => {
    const status = response.status();
    if (status >= 400 && !options.allowStatus?.(response.url(), status)) {
      reportProblem(`HTTP ${status} for ${response.url()}`);
    }
  });

  const opened: OpenedPage = {
    page,
    context,
    origin,
    problems,
    externalRequests,
    requests,
    assertClean() {
      if (problems.length > 0) throw new Error(`The page at ${url} had problems:\n- ${problems.join('\n- ')}`);
    },
    guard(work) {
      return Promise.race([failed, work]);
    },
    async waitForMapIdle() {
      await Promise.race([
        failed,
        page.evaluate(
          () =>
            new Promise<void>((done) => {
              const map = window.__map;
              if (!map) throw new Error('no map on this page');
              map.once('idle', () => done());
              map.triggerRepaint();
            }),
        ),
      ]);
    },
    async screenshot(name) {
      mkdirSync(ARTIFACTS_DIR, { recursive: true });
      const path = join(ARTIFACTS_DIR, `${name}.png`);
      const bytes = await page.screenshot({ path });
      return PNG.sync.read(bytes);
    },
    async close() {
      try {
        opened.assertClean();
      } finally {
        await context.close();
      }
    },
  };

  try {
    await Promise.race([failed, page.goto(url, { waitUntil: 'load' })]);
    if (waitForMap) {
      await Promise.race([
        failed,
        page.waitForFunction(() => window.__mapReady === true, null, { timeout: timeoutMs, polling: 50 }),
      ]);
    }
  } catch (err) {
    await context.close();
    throw err;
  }
  return opened;
}

// --- Pixels --------------------------------------------------------------------------------------

export type RGBA = [r: number, g: number, b: number, a: number];
export type RGB = [r: number, g: number, b: number];

export function parseColor(hex: string): RGB {
  const m = /^#?([0-9a-f]{2})([0-9a-f]{2})([0-9a-f]{2})$/i.exec(hex);
  if (!m) throw new Error(`not a #rrggbb colour: ${hex}`);
  return [Number.parseInt(m[1] ?? '0', 16), Number.parseInt(m[2] ?? '0', 16), Number.parseInt(m[3] ?? '0', 16)];
}

/** The colour at a pixel of a screenshot (x, y in CSS pixels at device scale 1). */
export function pixelAt(png: PNG, x: number, y: number): RGBA {
  const px = Math.round(x);
  const py = Math.round(y);
  if (px < 0 || py < 0 || px >= png.width || py >= png.height) {
    throw new Error(`pixel ${px},${py} is outside the ${png.width}×${png.height} screenshot`);
  }
  const i = (py * png.width + px) * 4;
  const d = png.data;
  return [d[i] ?? 0, d[i + 1] ?? 0, d[i + 2] ?? 0, d[i + 3] ?? 0];
}

/** Whether every channel of `actual` is within `tolerance` of `expected` (a #rrggbb string or RGB). */
export function isColorNear(actual: RGB | RGBA, expected: RGB | string, tolerance = 6): boolean {
  const want = typeof expected === 'string' ? parseColor(expected) : expected;
  return want.every((v, i) => Math.abs((actual[i] ?? 0) - v) <= tolerance);
}

export interface Region {
  x: number;
  y: number;
  width: number;
  height: number;
}

/** How many pixels of a region (default: all) are near a colour. */
export function countPixelsNear(png: PNG, expected: RGB | string, tolerance = 6, region?: Region): number {
  const want = typeof expected === 'string' ? parseColor(expected) : expected;
  const x0 = Math.max(0, Math.floor(region?.x ?? 0));
  const y0 = Math.max(0, Math.floor(region?.y ?? 0));
  const x1 = Math.min(png.width, Math.ceil(region ? region.x + region.width : png.width));
  const y1 = Math.min(png.height, Math.ceil(region ? region.y + region.height : png.height));
  let count = 0;
  for (let y = y0; y < y1; y++) {
    for (let x = x0; x < x1; x++) {
      const i = (y * png.width + x) * 4;
      if (
        Math.abs((png.data[i] ?? 0) - want[0]) <= tolerance &&
        Math.abs((png.data[i + 1] ?? 0) - want[1]) <= tolerance &&
        Math.abs((png.data[i + 2] ?? 0) - want[2]) <= tolerance
      ) {
        count++;
      }
    }
  }
  return count;
}
