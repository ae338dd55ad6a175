import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, describe, expect, it } from 'vitest';
import { CATEGORIES } from '../../geodata/categories.ts';
import {
  describePageBytes,
  finderReady,
  MAP_CODE,
  measurePageBytes,
  type PageBytes,
} from '../../scripts/bench/page-bytes.ts';
import type { NearestCollection } from '../../server/routes/offers.ts';
import type { SearchResult } from '../../server/routes/search.ts';
import { PRIMARY_CATEGORIES } from '../../web/finder/categories.ts';
import { RESULT_COUNT, RESULT_MAX_M } from '../../web/finder/constants.ts';
import { ar } from '../../web/i18n/messages/ar.ts';
import { de } from '../../web/i18n/messages/de.ts';
import { useAppServer } from '../support/app-server.ts';
import { launchBrowser, WEB_DIST_DIR } from '../support/browser.ts';

/**
 * Issue 14, "A light first load": the finder on a 390 × 844 phone is usable (search box and category chips) after
 * at most 250 KB gzip of script, style and font, in a fresh context (empty cache); its list works without the map's
 * code (MapLibre, deck.gl), which is blocked here; the Arabic font is fetched only once Arabic is chosen; the
 * app's files come precompressed; an idle map asks for no animation frames (web/map/idle-frames.ts). Byte counts are
 * deterministic; no timing is asserted.
 */

const PHONE = { width: 390, height: 844 };
/** The budget of issue 14, in bytes of gzip. */
const BUDGET_GZIP_BYTES = 250 * 1000;
const ARABIC_FONT = /noto-sans-arabic/;

/** The states of the page's Noto Sans Arabic font faces: none until its stylesheet is loaded. */
const arabicFaces = () =>
  [...document.fonts].filter((f) => f.family.replace(/["']/g, '') === 'Noto Sans Arabic').map((f) => f.status);

const labelOf = (code: string) => CATEGORIES.find((c) => c.code === code)?.labels.de ?? code;

describe('first load in Chromium', { timeout: 180_000 }, () => {
  const server = useAppServer();
  const contexts: BrowserContext[] = [];

  const { api } = server;

  /** A fresh context (empty cache) at phone size in German, every URL it asks for recorded. */
  async function freshPage(block: RegExp | null): Promise<{ page: Page; urls: string[]; blocked: string[] }> {
    const context = await (await launchBrowser()).newContext({
      viewport: PHONE,
      locale: 'de-DE',
      deviceScaleFactor: 1,
    });
    contexts.push(context);
    const urls: string[] = [];
    const blocked: string[] = [];
    await context.route('**/*', (route) => {
      const url = route.request().url();
      if (!url.startsWith(server.url)) return route.abort('blockedbyclient');
      urls.push(url);
      if (block?.test(new URL(url).pathname)) {
        blocked.push(url);
        return route.abort('blockedbyclient');
      }
      return route.continue();
    });
    const page = await context.newPage();
    const errors: string[] = [];
    page.on('pageerror', (err) => errors.push(err.message));
    afterChecks.push(() => expect(errors, 'page errors').toEqual([]));
    return { page, urls, blocked };
  }
  let afterChecks: (() => void)[] = [];

  afterAll(async () => {
    for (const context of contexts) await context.close().catch(() => {});
  });

  it('builds the map code into chunks of its own, which the test can block', () => {
    const chunks = readdirSync(join(WEB_DIST_DIR, 'assets')).filter((name) => MAP_CODE.test(`/assets/${name}`));
    expect(chunks.some((name) => /^maplibre-.*\.js$/.test(name))).toBe(true);
    expect(chunks.some((name) => /^deck-.*\.js$/.test(name))).toBe(true);
  });

  let measured: PageBytes;
  it('shows a usable finder after at most 250 KB gzip, and lists offers with the map code blocked', async () => {
    afterChecks = [];
    const { page, urls, blocked } = await freshPage(MAP_CODE);
    measured = await measurePageBytes(page, `${server.url}/finder`, finderReady);
    console.info(describePageBytes(measured));

    expect(measured.budgetGzipBytes, describePageBytes(measured)).toBeLessThanOrEqual(BUDGET_GZIP_BYTES);
    expect(measured.requests.filter((r) => r.type === 'script').length).toBeGreaterThan(0);
    // Served precompressed: every script and style came as brotli.
    for (const r of measured.requests.filter((q) => q.type === 'script' || q.type === 'stylesheet')) {
      expect(r.encoding, r.url).toBe('br');
    }
    expect(measured.requests.filter((r) => MAP_CODE.test(new URL(r.url).pathname))).toEqual([]);

    // The list works without the map: search an address, pick a category, read the results.
    const text = 'Friedensplatz 1';
    const search = await api<SearchResult>(`/api/search?q=${encodeURIComponent(text)}&limit=8`);
    const hit = search.hits[0];
    if (!hit) throw new Error(`/api/search has no hit for ${text}`);
    const category = PRIMARY_CATEGORIES[0] ?? 'childcare';
    const q = new URLSearchParams({
      lon: hit.point[0].toFixed(5),
      lat: hit.point[1].toFixed(5),
      category,
      k: String(RESULT_COUNT),
      max_m: String(RESULT_MAX_M),
    });
    const expected = await api<NearestCollection>(`/api/offers/nearest?${q}`);
    expect(expected.features.length).toBeGreaterThan(0);

    await page.getByRole('combobox', { name: de['finder.place.label'] }).fill(text);
    await page.locator('[role="option"]').first().click();
    await page.getByRole('button', { name: labelOf(category) }).click();
    await expect
      .poll(() => page.locator('.result__name').allTextContents(), { timeout: 30_000 })
      .toEqual(expected.features.map((f) => f.properties.name?.trim() || labelOf(f.properties.category)));

    // The map's code was asked for after the list was usable (and blocked): its place says it could not load.
    await page.getByText(de['map.loadFailed']).waitFor();
    expect(blocked.length).toBeGreaterThan(0);
    expect(urls.filter((u) => ARABIC_FONT.test(u))).toEqual([]);
    for (const check of afterChecks) check();
  });

  it('shows the council overview cards with the map code blocked', async () => {
    afterChecks = [];
    const areas = await api<{ features: { properties: { name: string } }[] }>('/api/areas?level=action-area');
    expect(areas.features.length).toBeGreaterThan(0);
    const { page, blocked } = await freshPage(MAP_CODE);
    const council = await measurePageBytes(page, `${server.url}/council`, '.area-card__name');
    console.info(describePageBytes(council));
    expect(council.requests.filter((r) => MAP_CODE.test(new URL(r.url).pathname))).toEqual([]);
    const names = await page.locator('.area-card__name').allTextContents();
    expect([...names].sort()).toEqual(areas.features.map((f) => f.properties.name).sort());
    await page.getByText(de['map.loadFailed']).waitFor();
    expect(blocked.length).toBeGreaterThan(0);
    for (const check of afterChecks) check();
  });

  it('asks for no animation frames while the map is idle, and wakes when the pointer moves over it', async () => {
    afterChecks = [];
    const { page } = await freshPage(null);
    // Every request for a frame the page makes (deck.gl's render loop and MapLibre's), counted.
    await page.addInitScript(() => {
      const request = window.requestAnimationFrame.bind(window);
      const counted = window as unknown as { frameRequests: number };
      counted.frameRequests = 0;
      window.requestAnimationFrame = (callback) => {
        counted.frameRequests++;
        return request(callback);
      };
    });
    await page.goto(`${server.url}/`);
    await page.waitForFunction(() => window.__mapReady === true, null, { timeout: 90_000, polling: 100 });
    const requestsInOneSecond = () =>
      page.evaluate(async () => {
        const counted = window as unknown as { frameRequests: number };
        const before = counted.frameRequests;
        await new Promise((done) => setTimeout(done, 1000));
        return counted.frameRequests - before;
      });
    await expect.poll(requestsInOneSecond, { timeout: 30_000 }).toBe(0);
    const box = await page.locator('.maplibregl-canvas').boundingBox();
    expect(box).not.toBeNull();
    if (!box) return;
    await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
    await page.mouse.move(box.x + box.width / 2 + 20, box.y + box.height / 2 + 10);
    expect(await requestsInOneSecond()).toBeGreaterThan(0);
    await expect.poll(requestsInOneSecond, { timeout: 30_000 }).toBe(0);
    for (const check of afterChecks) check();
  });

  it('fetches the Arabic font only once Arabic is chosen', async () => {
    afterChecks = [];
    const { page, urls } = await freshPage(null);
    await measurePageBytes(page, `${server.url}/finder`, finderReady);
    // The map has loaded too (its labels are Latin here): still no Arabic font.
    await page.waitForFunction(() => window.__mapReady === true, null, { timeout: 60_000, polling: 100 });
    expect(urls.filter((u) => ARABIC_FONT.test(u))).toEqual([]);
    expect(await page.evaluate(arabicFaces)).toEqual([]);

    await page.getByRole('combobox', { name: de['lang.label'] }).selectOption('ar');
    await page.getByRole('heading', { level: 1, name: ar['finder.title'] ?? '' }).waitFor();
    await expect.poll(() => urls.filter((u) => ARABIC_FONT.test(u)).length, { timeout: 30_000 }).toBeGreaterThan(0);
    await expect.poll(() => page.evaluate(arabicFaces), { timeout: 30_000 }).toContain('loaded');
    for (const check of afterChecks) check();
  });
});
