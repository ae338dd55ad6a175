import type { Page, Request, Route } from 'playwright-core';
import { CATEGORIES } from '../../geodata/categories.ts';
import { PRIMARY_CATEGORIES } from '../../web/finder/categories.ts';
import { de } from '../../web/i18n/messages/de.ts';

/**
 * What a page transfers until it is usable (issue 14: the finder usable after at most 250 KB gzip of script, style
 * and font). Used by tests/e2e/first-load.test.ts and the bench.
 *
 * Every request the page made that finished before the page was ready is listed with the body bytes Chromium
 * received. Script, style and font are also sized by asking the server again with HEAD, once per URL, for their
 * brotli and gzip forms (its Content-Length): byte counts that do not depend on what the browser reports for
 * workers or takes from its memory cache. Requests still loading at the ready moment, failed or blocked are listed
 * apart and not counted: the page did not wait for them.
 *
 * Open `page` in a fresh context (empty cache). On a fast link, code a page loads after it is usable (the finder's
 * map) can finish before the ready moment is seen; `block` aborts such requests while measuring, so that the count
 * is of what the page needs to become usable, the same in every run.
 */

/** The paths of the map's code (MapLibre, deck.gl, what they share, the live map view; see vite.config.ts). */
export const MAP_CODE = /^\/assets\/(maplibre|deck|map-shared)-[\w-]+\.(js|mjs|css)$/;

/** The kinds of resource counted against the first-load budget. */
export const BUDGET_TYPES = ['script', 'stylesheet', 'font'] as const;

export interface PageRequest {
  url: string;
  /** Playwright's resource type: document, script, stylesheet, font, fetch, image, … */
  type: string;
  status: number;
  /** Content-Encoding of the response as sent (br, gzip), or null. */
  encoding: string | null;
  /** Body bytes as Chromium reports them received (0 from its cache; 0 for a worker's script). */
  bodyBytes: number;
  headerBytes: number;
  /** Script, style and font: the body's brotli and gzip forms (as the server offers them; the file itself where it
   * offers none); 0 for a URL counted before. Other types: the body as received. */
  brBytes: number;
  gzipBytes: number;
}

export interface PageBytes {
  url: string;
  /** Requests finished by the ready moment, in the order they finished. */
  requests: PageRequest[];
  /** URLs requested but not finished by the ready moment (still loading, failed or blocked): not counted. */
  unfinished: string[];
  /** URLs aborted by `block`. */
  blocked: string[];
  /** Script, style and font in brotli, as Chromium takes them. */
  budgetBytes: number;
  /** The same in gzip, the measure of the budget. */
  budgetGzipBytes: number;
  /** Every body counted as received, all types (document and API answers too). */
  totalBytes: number;
  /** Bytes per resource type as received. */
  byType: Record<string, number>;
}

/**
 * When the page is usable: a CSS or Playwright selector (`role=button[name="Kita"]`) that must be visible, or a
 * function that resolves once the page is ready (it may wait for several things, e.g. with `page.waitForFunction`).
 */
export type ReadyCondition = string | ((page: Page) => Promise<unknown>);

/** `role=button[name="Kita"]`: a role and an accessible name. */
const ROLE_SELECTOR = /^role=([a-z]+)\[name="([^"]*)"\]$/;

/**
 * Ready once every selector is visible (each waited for in turn). A `role=<role>[name="<name>"]` selector matches
 * as getByRole does, the name as a part of the accessible name ("Familie" finds the chip "Familie Daten
 * lückenhaft"), where Playwright's own role selector would ask for the whole name.
 */
export function pageReady(selectors: readonly string[], timeoutMs = 60_000): (page: Page) => Promise<void> {
  return async (page) => {
    for (const selector of selectors) {
      const role = ROLE_SELECTOR.exec(selector);
      const locator = role
        ? page.getByRole(role[1] as Parameters<Page['getByRole']>[0], { name: role[2] })
        : page.locator(selector);
      await locator.first().waitFor({ state: 'visible', timeout: timeoutMs });
    }
  };
}

/**
 * The finder (German) is usable: its address field and every primary category chip are visible. By accessible
 * name, as getByRole matches it (a chip's name may go on, "Familie Daten lückenhaft"; a `role=button[name="…"]`
 * selector would ask for the whole name).
 */
export async function finderReady(page: Page, timeoutMs = 60_000): Promise<void> {
  await page.getByRole('combobox', { name: de['finder.place.label'] }).waitFor({ timeout: timeoutMs });
  for (const code of PRIMARY_CATEGORIES) {
    const label = CATEGORIES.find((c) => c.code === code)?.labels.de ?? code;
    await page.getByRole('button', { name: label }).first().waitFor({ timeout: timeoutMs });
  }
}

export interface MeasureOptions {
  timeoutMs?: number;
  /** Requests to abort while measuring (matched against the URL's path), e.g. MAP_CODE. */
  block?: RegExp;
}

const isBudgetType = (type: string) => (BUDGET_TYPES as readonly string[]).includes(type);

/** The size of `url` in a coding, as the server sends it (the Content-Length of a HEAD request). */
async function sizeIn(url: string, coding: 'br' | 'gzip', fallback: number): Promise<number> {
  try {
    const res = await fetch(url, { method: 'HEAD', headers: { 'accept-encoding': coding } });
    const length = Number(res.headers.get('content-length'));
    return res.ok && Number.isFinite(length) && length > 0 ? length : fallback;
  } catch {
    return fallback;
  }
}

/** Loads `url` in `page` and counts the bytes of the requests finished until `ready` holds (see above). */
export async function measurePageBytes(
  page: Page,
  url: string,
  ready: ReadyCondition,
  { timeoutMs = 60_000, block }: MeasureOptions = {},
): Promise<PageBytes> {
  const finished: Request[] = [];
  const started: Request[] = [];
  const blocked: string[] = [];
  let counting = true;
  const onRequest = (request: Request) => {
    if (counting) started.push(request);
  };
  const onFinished = (request: Request) => {
    if (counting) finished.push(request);
  };
  const blocker = (route: Route) => {
    const path = new URL(route.request().url()).pathname;
    if (!block?.test(path)) return route.fallback();
    blocked.push(route.request().url());
    return route.abort('blockedbyclient');
  };
  page.on('request', onRequest);
  page.on('requestfinished', onFinished);
  if (block) await page.route('**/*', blocker);
  try {
    await page.goto(url, { waitUntil: 'commit', timeout: timeoutMs });
    if (typeof ready === 'string') await page.locator(ready).first().waitFor({ state: 'visible', timeout: timeoutMs });
    else await ready(page);
  } finally {
    counting = false;
    page.off('request', onRequest);
    page.off('requestfinished', onFinished);
    if (block) await page.unroute('**/*', blocker);
  }

  const requests: PageRequest[] = [];
  const sized = new Set<string>();
  for (const request of finished) {
    const requestUrl = request.url();
    if (requestUrl.startsWith('data:')) continue;
    const response = await request.response();
    const sizes = await request.sizes();
    const headers = response ? await response.allHeaders() : {};
    const type = request.resourceType();
    const body = Math.max(0, sizes.responseBodySize);
    const first = !sized.has(requestUrl);
    sized.add(requestUrl);
    const budget = isBudgetType(type);
    requests.push({
      url: requestUrl,
      type,
      status: response?.status() ?? 0,
      encoding: headers['content-encoding'] ?? null,
      bodyBytes: body,
      headerBytes: Math.max(0, sizes.responseHeadersSize),
      brBytes: budget ? (first ? await sizeIn(requestUrl, 'br', body) : 0) : body,
      gzipBytes: budget ? (first ? await sizeIn(requestUrl, 'gzip', body) : 0) : body,
    });
  }
  const done = new Set(finished);
  const unfinished = started.filter((r) => !done.has(r) && !r.url().startsWith('data:')).map((r) => r.url());
  const budget = requests.filter((r) => isBudgetType(r.type));
  const byType: Record<string, number> = {};
  for (const r of requests) byType[r.type] = (byType[r.type] ?? 0) + r.bodyBytes;
  return {
    url,
    requests,
    unfinished,
    blocked,
    budgetBytes: budget.reduce((sum, r) => sum + r.brBytes, 0),
    budgetGzipBytes: budget.reduce((sum, r) => sum + r.gzipBytes, 0),
    totalBytes: requests.reduce((sum, r) => sum + r.bodyBytes, 0),
    byType,
  };
}

/** One line per request and the sums, for a report or a failing test's message. */
export function describePageBytes(result: PageBytes): string {
  const kb = (n: number) => `${(n / 1024).toFixed(1)} KB`;
  const path = (u: string) => new URL(u).pathname;
  const lines = result.requests.map(
    (r) =>
      `${r.type.padEnd(10)} ${kb(r.bodyBytes).padStart(9)} ${String(r.encoding ?? '-').padEnd(4)} br ${kb(r.brBytes).padStart(9)} gzip ${kb(r.gzipBytes).padStart(9)}  ${path(r.url)}`,
  );
  return [
    `${result.url}: script, style and font ${kb(result.budgetBytes)} brotli, ${kb(result.budgetGzipBytes)} gzip; all bodies as received ${kb(result.totalBytes)}`,
    ...lines,
    ...(result.blocked.length ? [`blocked: ${result.blocked.map(path).join(', ')}`] : []),
    ...(result.unfinished.length ? [`not finished: ${result.unfinished.map(path).join(', ')}`] : []),
  ].join('\n');
}
