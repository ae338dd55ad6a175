import type { Browser, Page } from 'playwright-core';
import { launchBrowser } from '../../tests/support/browser.ts';
import { type CapturedView, referencePage } from './reference-page.ts';
import type { ServerProcess } from './server-process.ts';
import { median } from './stats.ts';

/**
 * Navigation to choropleth painted, in headless Chromium, each run in a fresh browser context (empty cache):
 * the planner page (`/`) against the bare MapLibre page of reference-page.ts, alternately, after one warm-up
 * run of each. Times are the page's own `performance.now()` at the moment, i.e. ms since navigation start.
 */

export interface FrontendResult {
  /** How the app's moment was found: the app's own flag, or the probe below. */
  how: string;
  indicator: string | null;
  app: number[];
  reference: number[];
  appMedian: number;
  referenceMedian: number;
  /**
   * The planner map's first idle (the app's own `window.__mapReady`), measured in runs of its own in which nothing
   * but that flag is watched: not the painted moment above.
   */
  idle: number[];
  idleMedian: number;
  /** Polygons the reference page's source holds: the quarters. */
  referenceFeatures: number;
}

/**
 * The planner marks its data loaded with `data-ready="true"` on `.planner`; deck.gl (interleaved) puts its layers
 * into MapLibre's style as a custom layer (a group per `beforeId`, e.g. `deck-maplibre-layer-group-before:label-water`).
 * Once both hold, the next `idle` of the map is the first frame with the choropleth drawn. A flag the app sets itself (`window.__choroplethPainted`, true or
 * a performance.now() time) takes precedence.
 */
export const APP_PROBE = `(() => {
  const set = (t, how) => {
    if (window.__benchPainted !== undefined) return;
    window.__benchHow = how;
    window.__benchPainted = t;
  };
  const tick = () => {
    const flag = window.__choroplethPainted;
    if (flag) return set(typeof flag === 'number' ? flag : performance.now(), 'window.__choroplethPainted (set by the app)');
    const map = window.__map;
    const root = document.querySelector('.planner');
    const deck = map && map.getLayersOrder().some((id) => map.getLayer(id)?.type === 'custom');
    if (deck && root && root.getAttribute('data-ready') === 'true') {
      window.__benchIndicator = root.getAttribute('data-indicator');
      map.once('idle', () => {
        set(performance.now(), 'probe: .planner[data-ready=true] and a deck.gl layer in the map, then the next map idle');
      });
      map.triggerRepaint();
      return;
    }
    requestAnimationFrame(tick);
  };
  requestAnimationFrame(tick);
})();`;

/** The first-idle series: the moment the app's map first says it is idle (window.__mapReady), and nothing else. */
export const IDLE_PROBE = `(() => {
  const tick = () => {
    if (window.__mapReady === true) {
      window.__benchPainted = performance.now();
      return;
    }
    requestAnimationFrame(tick);
  };
  requestAnimationFrame(tick);
})();`;

const VIEWPORT = { width: 1280, height: 800 };

async function openCold(browser: Browser, url: string, probe: string | null, timeoutMs: number) {
  const context = await browser.newContext({ viewport: VIEWPORT, deviceScaleFactor: 1, locale: 'de-DE' });
  const origin = new URL(url).origin;
  const problems: string[] = [];
  await context.route('**/*', (route) => {
    const u = route.request().url();
    if (u.startsWith('data:') || u.startsWith('blob:') || new URL(u).origin === origin) return route.continue();
    problems.push(`request to another origin: ${u}`);
    return route.abort('blockedbyclient');
  });
  if (probe) await context.addInitScript({ content: probe });
  const page = await context.newPage();
  page.on('pageerror', (err) => problems.push(`page error: ${err.message}`));
  await page.goto(url, { waitUntil: 'commit', timeout: timeoutMs });
  try {
    // A function, not a string: the app's Content-Security-Policy forbids eval.
    await page.waitForFunction(() => typeof (window as unknown as Probed).__benchPainted === 'number', null, {
      timeout: timeoutMs,
      polling: 50,
    });
  } catch (err) {
    const state = await page
      .evaluate(() => {
        const w = window as unknown as Probed;
        const map = window.__map;
        return JSON.stringify({
          ready: document.querySelector('.planner')?.getAttribute('data-ready') ?? null,
          mapReady: w.__mapReady ?? null,
          loaded: map?.loaded() ?? null,
          custom: map ? map.getLayersOrder().filter((id) => map.getLayer(id)?.type === 'custom') : null,
        });
      })
      .catch(() => '?');
    await context.close();
    throw new Error(
      `${url}: not painted within ${timeoutMs / 1000} s (${problems.join('; ') || (err as Error).message}; page state ${state})`,
    );
  }
  return { page, close: () => context.close(), problems };
}

/** What the probes leave on the page's window. */
type Probed = Window & Record<string, unknown>;

const read = <T>(page: Page, name: string) =>
  page.evaluate((n) => (window as unknown as Probed)[n], name) as Promise<T>;

export async function benchFrontend(server: ServerProcess, runs: number, timeoutMs = 60_000): Promise<FrontendResult> {
  const browser = await launchBrowser();
  const appUrl = `${server.ready.appUrl}/`;

  // Warm-up of the app, which also yields the style and camera the reference page copies.
  const warm = await openCold(browser, appUrl, APP_PROBE, timeoutMs * 2);
  const view = await warm.page.evaluate(() => {
    const map = window.__map;
    if (!map) throw new Error('the planner page has no window.__map');
    const style = map.getStyle();
    // deck.gl's custom layers are not part of the style MapLibre gives back: find where they sit.
    const order = map.getLayersOrder();
    const ids = order.map((id) => (map.getLayer(id)?.type === 'custom' ? '(deck)' : id));
    style.layers = style.layers.filter((l) => (l.type as string) !== 'custom');
    const c = map.getCenter();
    return { style: JSON.stringify(style), center: [c.lng, c.lat] as [number, number], zoom: map.getZoom(), ids };
  });
  await warm.close();
  const deck = view.ids.indexOf('(deck)');
  const beforeId = deck >= 0 ? (view.ids.slice(deck + 1).find((id) => id !== '(deck)') ?? null) : null;
  const captured: CapturedView = {
    style: view.style.split(server.ready.appUrl).join('__ORIGIN__'),
    center: view.center,
    zoom: view.zoom,
    beforeId,
  };
  const refUrl = `${await server.frontend(referencePage(captured))}/bench/`;
  await (await openCold(browser, refUrl, null, timeoutMs * 2)).close();

  const app: number[] = [];
  const idle: number[] = [];
  const reference: number[] = [];
  let how = '';
  let indicator: string | null = null;
  let referenceFeatures = 0;
  for (let i = 0; i < runs; i++) {
    const a = await openCold(browser, appUrl, APP_PROBE, timeoutMs);
    app.push(await read<number>(a.page, '__benchPainted'));
    how = await read<string>(a.page, '__benchHow');
    indicator = (await read<string | null>(a.page, '__benchIndicator')) ?? null;
    await a.close();
    const r = await openCold(browser, refUrl, null, timeoutMs);
    reference.push(await read<number>(r.page, '__benchPainted'));
    await r.page.waitForFunction(() => typeof (window as unknown as Probed).__benchFeatures === 'number');
    referenceFeatures = await read<number>(r.page, '__benchFeatures');
    await r.close();
  }
  // The first idle, in runs of its own.
  for (let i = 0; i < runs; i++) {
    const a = await openCold(browser, appUrl, IDLE_PROBE, timeoutMs);
    idle.push(await read<number>(a.page, '__benchPainted'));
    await a.close();
  }
  return {
    how,
    indicator,
    app,
    reference,
    appMedian: median(app),
    referenceMedian: median(reference),
    idle,
    idleMedian: median(idle),
    referenceFeatures,
  };
}
