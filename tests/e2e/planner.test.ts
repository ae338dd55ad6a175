import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { serve } from '@hono/node-server';
import type { Page } from 'playwright-core';
import { PNG } from 'pngjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { z } from 'zod';
import { createApp } from '../../server/app.ts';
import type { Db } from '../../server/db/index.ts';
import type { ProfileResponse, ValuesResponse } from '../../server/domain/indicators-schema.ts';
import { readEnv } from '../../server/env.ts';
import type { AreaCollection } from '../../server/routes/areas.ts';
import type { CategoryList, OfferCollection } from '../../server/routes/offers.ts';
import { staticRoutes } from '../../server/routes/static.ts';
import { de } from '../../web/i18n/messages/de.ts';
import { categoryColors } from '../../web/layers/offer-layers.ts';
import { NO_DATA_FILL, NO_DATA_HATCH } from '../../web/layers/palettes.ts';
import {
  closeBrowser,
  countPixelsNear,
  ensureWebBuild,
  isColorNear,
  type OpenedPage,
  openPage,
  pixelAt,
  WEB_DIST_DIR,
} from '../support/browser.ts';
import { realDb } from '../support/db.ts';

/**
 * The planner's map (/, issue #5) in Chromium against the real data package. Every expectation comes from the
 * API (values, classes, breaks, profiles, offer counts) and from what the page draws (screenshot pixels at the
 * quarters' label points, projected with the page's own map), never from numbers written here.
 */

type Values = z.infer<typeof ValuesResponse>;
type Profile = z.infer<typeof ProfileResponse>;
type Point = [number, number];

/** Quarters the colour checks look at: the city centre, the Nordstadt and the south. */
const QUARTERS = ['050', '670', '000'] as const;
const FIRST = 'school_social_index_nearest_primary';
const SECOND = 'coverage_childcare_500m';
/** An indicator some quarters have no value for (no primary school in them). */
const PATCHY = 'school_social_index_primary';

/**
 * A private copy of the built web app, taken under the build lock of ensureWebBuild: other test runs in the same
 * work tree rebuild dist/web while this suite runs (emptying it first), which would fail page loads at random.
 */
async function snapshotWebBuild(): Promise<string> {
  await ensureWebBuild();
  const lock = resolve(import.meta.dirname, '../../.tmp/web-build.lock');
  const deadline = Date.now() + 240_000;
  for (;;) {
    try {
      mkdirSync(lock);
      break;
    } catch {
      if (Date.now() > deadline) throw new Error(`snapshotWebBuild: ${lock} held for too long`);
      await new Promise((done) => setTimeout(done, 250));
    }
  }
  try {
    const dir = mkdtempSync(join(tmpdir(), 'planner-web-'));
    cpSync(WEB_DIST_DIR, dir, { recursive: true });
    return dir;
  } finally {
    rmSync(lock, { recursive: true, force: true });
  }
}

interface TestServer {
  url: string;
  close(): Promise<void>;
}

/** The app as startServer serves it, with the web app from the private copy. */
function serveApp(db: Db, webDir: string): Promise<TestServer> {
  const app = createApp({ db, env: readEnv({}) });
  const pages = staticRoutes({ root: webDir });
  const appPaths = /^\/(api|tiles)(\/|$)|^\/(health|ready)$/;
  return new Promise((done) => {
    const server = serve(
      {
        fetch: (req) => (appPaths.test(new URL(req.url).pathname) ? app.fetch(req) : pages.fetch(req)),
        port: 0,
        hostname: '127.0.0.1',
      },
      (info: AddressInfo) =>
        done({
          url: `http://127.0.0.1:${info.port}`,
          close: () => new Promise<void>((closed) => server.close(() => closed())),
        }),
    );
  });
}

const fill = (text: string, params: Record<string, string | number>) =>
  text.replace(/\{(\w+)\}/g, (whole, name: string) => String(params[name] ?? whole));

describe('planner map in Chromium', { timeout: 300_000 }, () => {
  let db: Db;
  let server: TestServer;
  let webDir: string;
  let quarters: AreaCollection;
  let categories: CategoryList;
  const label = new Map<string, Point>();
  const name = new Map<string, string>();

  async function api<T>(path: string): Promise<T> {
    const res = await fetch(`${server.url}${path}`);
    expect(res.status, path).toBe(200);
    return (await res.json()) as T;
  }

  const values = (id: string, classification = 'quantile', classes = 5) =>
    api<Values>(`/api/indicators/${id}/values?level=quarter&classification=${classification}&classes=${classes}`);

  beforeAll(async () => {
    const started = performance.now();
    webDir = await snapshotWebBuild();
    db = await realDb('postgres');
    server = await serveApp(db, webDir);
    quarters = await api<AreaCollection>('/api/areas?level=quarter');
    categories = await api<CategoryList>('/api/offers/categories');
    for (const f of quarters.features) {
      label.set(f.properties.code, f.properties.label);
      name.set(f.properties.code, f.properties.name);
    }
    console.log(
      `[planner e2e] build, database and server ready in ${((performance.now() - started) / 1000).toFixed(1)} s`,
    );
  });

  afterAll(async () => {
    await closeBrowser();
    await server?.close();
    await db?.close();
    if (webDir) rmSync(webDir, { recursive: true, force: true });
  });

  /** Waits until the planner shows `indicator` with its data loaded, then until the map has drawn it. */
  async function ready(opened: OpenedPage, indicator?: string) {
    const selector = indicator
      ? `.planner[data-ready="true"][data-indicator="${indicator}"]`
      : '.planner[data-ready="true"]';
    await opened.guard(opened.page.waitForSelector(selector, { timeout: 60_000 }));
    // Layers are handed to deck.gl in an effect after the render: let it run, then wait for a drawn frame.
    await opened.page.evaluate(
      () => new Promise<void>((done) => requestAnimationFrame(() => requestAnimationFrame(() => done()))),
    );
    await opened.waitForMapIdle();
  }

  /** Where a position is on the page (CSS pixels), as the page's map projects it. */
  function onPage(page: Page, [lon, lat]: Point): Promise<{ x: number; y: number }> {
    return page.evaluate(
      ([lon, lat]) => {
        const map = window.__map;
        if (!map) throw new Error('no map');
        const p = map.project([lon, lat]);
        const box = map.getCanvas().getBoundingClientRect();
        return { x: box.left + p.x, y: box.top + p.y };
      },
      [lon, lat] as Point,
    );
  }

  /**
   * The legend as a user sees it, read from the visible text rather than from data attributes: per class the
   * colour of its swatch (as drawn), the range as written ("> 2,7 – 4,1"), its upper bound as written, and the
   * number of areas.
   */
  function legend(page: Page) {
    return page.$$eval('.legend__classes tbody tr:not(.legend__class--missing)', (rows) =>
      rows.map((r) => {
        const cells = [...r.querySelectorAll('td')] as HTMLElement[];
        const swatch = r.querySelector('.legend__swatch') as HTMLElement;
        const rgb = (getComputedStyle(swatch).backgroundColor.match(/\d+/g) ?? []).slice(0, 3).map(Number);
        // The range, without the city's mark and the merged-classes mark that may follow it.
        const range = (cells[1]?.innerText ?? '').split(/[◆＋]/)[0]?.trim() ?? '';
        const numbers = range.match(/[-−]?\d[\d.]*(?:,\d+)?/g) ?? [];
        return {
          color: `#${rgb.map((v) => v.toString(16).padStart(2, '0')).join('')}`,
          range,
          to: numbers[numbers.length - 1] ?? '',
          count: Number(cells[2]?.innerText.trim()),
        };
      }),
    );
  }

  /**
   * Class bounds as the legend must write them, made here with Intl rather than the app's formatter: German
   * notation, with as many decimals as the legend shows.
   */
  function written(breaks: readonly number[], shown: readonly { to: string }[]): string[] {
    const digits = (shown[0]?.to.split(',')[1] ?? '').length;
    const format = new Intl.NumberFormat('de-DE', { minimumFractionDigits: digits, maximumFractionDigits: digits });
    return breaks.map((b) => format.format(b));
  }

  /** Whether the legend's visible upper bounds are `breaks`, each to the decimals it is written with (in the page). */
  function legendShows(breaks: readonly number[]): boolean {
    const rows = [
      ...document.querySelectorAll<HTMLElement>(
        '.legend__classes tbody tr:not(.legend__class--missing) .legend__range',
      ),
    ];
    return (
      rows.length === breaks.length &&
      rows.every((r, i) => {
        const numbers = (r.innerText.split(/[◆＋]/)[0] ?? '').match(/[-−]?\d[\d.]*(?:,\d+)?/g) ?? [];
        const last = numbers[numbers.length - 1] ?? '';
        const value = Number(last.replace(/\./g, '').replace(',', '.').replace('−', '-'));
        const digits = (last.split(',')[1] ?? '').length;
        return Math.abs(value - (breaks[i] as number)) <= 0.5 * 10 ** -digits + 1e-9;
      })
    );
  }

  /**
   * The class whose legend colour covers most of a 25×25 window around a point of the screenshot (a basemap
   * label may sit on the point itself, as "Dortmund" does on the City), and the share of the window it covers;
   * -1 when no pixel has a legend colour.
   */
  function classAt(png: PNG, x: number, y: number, colors: string[]) {
    const votes = colors.map(() => 0);
    let total = 0;
    for (let dy = -12; dy <= 12; dy++) {
      for (let dx = -12; dx <= 12; dx++) {
        total++;
        const px = pixelAt(png, x + dx, y + dy);
        const i = colors.findIndex((c) => isColorNear(px, c, 3));
        if (i >= 0) votes[i] = (votes[i] ?? 0) + 1;
      }
    }
    const most = Math.max(...votes);
    const best = most > 0 ? votes.indexOf(most) : -1;
    return { cls: best, share: most / total };
  }

  /** For each quarter: the class the API gives it, and the class whose colour the page drew there. */
  async function drawnClasses(opened: OpenedPage, body: Values, shot: string) {
    const colors = (await legend(opened.page)).map((l) => l.color);
    const png = await opened.screenshot(shot);
    const result: { code: string; api: number | null; drawn: number; share: number }[] = [];
    for (const code of QUARTERS) {
      const point = label.get(code);
      if (!point) throw new Error(`no label point for quarter ${code}`);
      const { x, y } = await onPage(opened.page, point);
      const drawn = classAt(png, x, y, colors);
      const api = body.values.find((v) => v.code === code)?.class ?? null;
      result.push({ code, api, drawn: drawn.cls, share: drawn.share });
    }
    return result;
  }

  describe('at 1280×800', () => {
    let opened: OpenedPage;
    const timings: Record<string, number> = {};

    beforeAll(async () => {
      const t = performance.now();
      opened = await openPage(`${server.url}/`);
      await ready(opened, FIRST);
      timings.load = performance.now() - t;
    });

    afterAll(async () => {
      console.log(
        `[planner e2e] ${Object.entries(timings)
          .map(([k, ms]) => `${k} ${(ms / 1000).toFixed(1)} s`)
          .join(', ')}`,
      );
      await opened?.close();
    });

    it('loads with the default indicator, no request to another origin and no page error', async () => {
      expect(opened.externalRequests).toEqual([]);
      opened.assertClean();
      expect(await opened.page.locator('h1').textContent()).toBe(de['planner.title']);
      // Only our own origin: API, tiles, fonts, scripts.
      for (const url of opened.requests) expect(new URL(url).origin).toBe(new URL(server.url).origin);
    });

    it('draws each quarter in the colour of the class the API gives it', async () => {
      const body = await values(FIRST);
      const shown = await legend(opened.page);
      expect(shown.map((l) => l.to)).toEqual(written(body.classification.breaks, shown));
      expect(shown.map((l) => l.count)).toEqual(body.classification.counts);
      for (const q of await drawnClasses(opened, body, 'planner-map-first-indicator')) {
        expect(q.api, `quarter ${q.code} has a class`).not.toBeNull();
        expect(q.drawn, `quarter ${q.code}`).toBe(q.api);
        expect(q.share, `quarter ${q.code}: share of the window in its colour`).toBeGreaterThan(0.3);
      }
    });

    it('changes the legend’s breaks as the API says when the method changes', async () => {
      const t = performance.now();
      const before = await legend(opened.page);
      const jenks = await values(FIRST, 'jenks', 5);
      expect(written(jenks.classification.breaks, before)).not.toEqual(before.map((l) => l.to));
      await opened.page.selectOption('select[name="method"]', 'jenks');
      await opened.guard(opened.page.waitForFunction(legendShows, jenks.classification.breaks));
      await ready(opened, FIRST);
      timings.method = performance.now() - t;
      const after = await legend(opened.page);
      expect(after.map((l) => l.to)).toEqual(written(jenks.classification.breaks, after));
      expect(after.map((l) => l.count)).toEqual(jenks.classification.counts);
      expect(new URL(opened.page.url()).searchParams.get('method')).toBe('jenks');
      for (const q of await drawnClasses(opened, jenks, 'planner-map-jenks')) expect(q.drawn, q.code).toBe(q.api);
    });

    it('changes the number of classes', async () => {
      await opened.page.selectOption('select[name="classes"]', '7');
      const seven = await values(FIRST, 'jenks', 7);
      await opened.guard(opened.page.waitForFunction(legendShows, seven.classification.breaks));
      await ready(opened, FIRST);
      const shown = await legend(opened.page);
      expect(shown.map((l) => l.to)).toEqual(written(seven.classification.breaks, shown));
      await opened.page.selectOption('select[name="classes"]', '5');
      await ready(opened, FIRST);
    });

    it('redraws when another indicator is chosen', async () => {
      const t = performance.now();
      const picker = opened.page.getByRole('combobox', { name: de['planner.indicator'] });
      await picker.fill('Kita 500');
      await opened.page.locator(`[role="option"][data-id="${SECOND}"]`).click();
      await ready(opened, SECOND);
      timings.indicator = performance.now() - t;
      expect(new URL(opened.page.url()).searchParams.get('ind')).toBe(SECOND);
      const body = await values(SECOND, 'jenks', 5);
      const shown = await legend(opened.page);
      expect(shown.map((l) => l.to)).toEqual(written(body.classification.breaks, shown));
      expect(await opened.page.locator('.legend__title').textContent()).toContain(
        (await api<{ indicators: { id: string; title: { de: string } }[] }>('/api/indicators')).indicators.find(
          (i) => i.id === SECOND,
        )?.title.de,
      );
      for (const q of await drawnClasses(opened, body, 'planner-map-second-indicator')) {
        expect(q.drawn, q.code).toBe(q.api);
      }
    });

    it('hatches the quarters without a value and names them in the legend', async () => {
      await opened.page.getByRole('combobox', { name: de['planner.indicator'] }).fill('Grundschulen Schülerzahl');
      await opened.page.locator(`[role="option"][data-id="${PATCHY}"]`).click();
      await ready(opened, PATCHY);
      const body = await values(PATCHY, 'jenks', 5);
      const missing = body.values.filter((v) => v.value === null);
      expect(missing.length).toBeGreaterThan(0);
      const listed = await opened.page.$$eval('.legend__missing li', (items) =>
        items.map((li) => (li as HTMLElement).dataset.code),
      );
      expect(listed.sort()).toEqual(missing.map((v) => v.code).sort());
      expect(await opened.page.locator('.legend__class--missing td').last().innerText()).toBe(String(missing.length));
      // Inside a quarter without a value: only the grey fill and its hatching, no class colour.
      const png = await opened.screenshot('planner-map-no-data');
      const code = missing[0]?.code as string;
      const { x, y } = await onPage(opened.page, label.get(code) as Point);
      let grey = 0;
      for (let dy = -6; dy <= 6; dy++)
        for (let dx = -6; dx <= 6; dx++) {
          const px = pixelAt(png, x + dx, y + dy);
          if (isColorNear(px, NO_DATA_FILL, 4) || isColorNear(px, NO_DATA_HATCH, 40)) grey++;
        }
      expect(grey / 169, `quarter ${code} is grey and hatched`).toBeGreaterThan(0.6);
      await opened.page.getByRole('combobox', { name: de['planner.indicator'] }).fill('Kita 500');
      await opened.page.locator(`[role="option"][data-id="${SECOND}"]`).click();
      await ready(opened, SECOND);
    });

    it('shows the offers of the categories chosen, and others when the choice changes', async () => {
      const colors = categoryColors(categories.categories.map((c) => c.code));
      const map = await opened.page.locator('.maplibregl-canvas').boundingBox();
      if (!map) throw new Error('no map canvas');
      const region = { x: map.x, y: map.y, width: map.width, height: map.height };
      const blue = colors.get('childcare') as string;
      const sky = colors.get('library') as string;
      const before = await opened.screenshot('planner-map-no-offers');
      const blueBefore = countPixelsNear(before, blue, 16, region);

      const t = performance.now();
      const childcare = await api<OfferCollection>('/api/offers?category=childcare&limit=1');
      await opened.page.check('input[name="offers"][value="childcare"]');
      await ready(opened, SECOND);
      timings.offers = performance.now() - t;
      await expect
        .poll(() => opened.page.locator('.offer-filter [role="status"]').textContent())
        .toBe(fill(de['planner.offers.shown'], { n: String(childcare.meta.total) }));
      const withChildcare = await opened.screenshot('planner-map-offers-childcare');
      const blueWith = countPixelsNear(withChildcare, blue, 16, region);
      expect(blueWith).toBeGreaterThan(blueBefore + 500);

      const library = await api<OfferCollection>('/api/offers?category=library&limit=1');
      await opened.page.uncheck('input[name="offers"][value="childcare"]');
      await opened.page.check('input[name="offers"][value="library"]');
      await ready(opened, SECOND);
      await expect
        .poll(() => opened.page.locator('.offer-filter [role="status"]').textContent())
        .toBe(fill(de['planner.offers.shown'], { n: String(library.meta.total) }));
      expect(new URL(opened.page.url()).searchParams.get('offers')).toBe('library');
      const withLibrary = await opened.screenshot('planner-map-offers-library');
      expect(countPixelsNear(withLibrary, blue, 16, region)).toBeLessThan(blueWith / 10);
      expect(countPixelsNear(withLibrary, sky, 24, region)).toBeGreaterThan(
        countPixelsNear(before, sky, 24, region) + 50,
      );
      // Back to no offers: the next tests click and sample quarters where an offer could sit.
      await opened.page.uncheck('input[name="offers"][value="library"]');
      await ready(opened, SECOND);
    });

    it('opens the profile of a clicked quarter with its name and figures, and compares it with another', async () => {
      const code = QUARTERS[0];
      const { x, y } = await onPage(opened.page, label.get(code) as Point);
      const t = performance.now();
      await opened.page.mouse.click(x, y);
      const card = opened.page.locator(`.profile[data-area="${code}"]`);
      await opened.guard(card.waitFor());
      await opened.guard(card.locator(`.profile-row--current[data-indicator="${SECOND}"]`).waitFor());
      timings.profile = performance.now() - t;
      const profile = await api<Profile>(`/api/areas/quarter/${code}/profile`);
      expect(profile.area.name).toBe(name.get(code));
      expect(await card.locator('.profile__name').first().textContent()).toBe(profile.area.name);
      expect(new URL(opened.page.url()).searchParams.get('area')).toBe(code);
      const shown = profile.indicators.find((i) => i.id === SECOND);
      const listed = (await values(SECOND, 'jenks', 5)).values.find((v) => v.code === code);
      expect(shown?.value).toBe(listed?.value);
      const row = card.locator(`.profile-row--current[data-indicator="${SECOND}"]`);
      expect(Number(await row.getAttribute('data-value'))).toBe(shown?.value);
      const rounded = new Intl.NumberFormat('de-DE', { maximumFractionDigits: 1, minimumFractionDigits: 1 });
      expect(await row.textContent()).toContain(rounded.format(shown?.value as number));
      // Every figure with a value in the API is listed with that value.
      const withValue = profile.indicators.filter((i) => i.value !== null);
      const rows = await card
        .locator('.profile-row[data-indicator]')
        .evaluateAll((els) => els.map((e) => [(e as HTMLElement).dataset.indicator, (e as HTMLElement).dataset.value]));
      expect(rows.length).toBeGreaterThanOrEqual(withValue.length);
      for (const i of withValue) expect(rows).toContainEqual([i.id, String(i.value)]);

      const other = QUARTERS[1];
      await card.locator('select[name="compare"]').selectOption(other);
      await opened.guard(opened.page.locator(`.profile[data-area="${code}"][data-compare="${other}"]`).waitFor());
      const second = await api<Profile>(`/api/areas/quarter/${other}/profile`);
      expect(await card.locator('.profile__name--compare').textContent()).toBe(second.area.name);
      expect(Number(await row.getAttribute('data-compare-value'))).toBe(
        second.indicators.find((i) => i.id === SECOND)?.value,
      );
      await opened.screenshot('planner-map-profile-compare');
    });

    it('restores the same view from its link in a new page', async () => {
      const { page } = opened;
      await page.check('input[name="offers"][value="library"]');
      await page.check('input[name="action-areas"]');
      await page.evaluate(() => window.__map?.jumpTo({ center: [7.49, 51.49], zoom: 11.25 }));
      await opened.guard(page.waitForURL(/map=11\.25%2F51\.49%2F7\.49/));
      await ready(opened, SECOND);
      const link = page.url();
      const params = new URL(link).searchParams;
      expect(Object.fromEntries(params)).toMatchObject({
        ind: SECOND,
        method: 'jenks',
        offers: 'library',
        aa: '1',
        area: QUARTERS[0],
        cmp: QUARTERS[1],
      });
      const first = await opened.screenshot('planner-map-permalink-source');
      const firstLegend = await legend(page);

      const t = performance.now();
      const copy = await openPage(link);
      try {
        await ready(copy, SECOND);
        timings.permalink = performance.now() - t;
        expect(Object.fromEntries(new URL(copy.page.url()).searchParams)).toEqual(Object.fromEntries(params));
        const view = await copy.page.evaluate(() => {
          const map = window.__map;
          if (!map) throw new Error('no map');
          return { zoom: map.getZoom(), ...map.getCenter() };
        });
        expect(view.zoom).toBeCloseTo(11.25, 2);
        expect(view.lng).toBeCloseTo(7.49, 4);
        expect(view.lat).toBeCloseTo(51.49, 4);
        expect(await legend(copy.page)).toEqual(firstLegend);
        expect(await copy.page.isChecked('input[name="offers"][value="library"]')).toBe(true);
        expect(await copy.page.isChecked('input[name="action-areas"]')).toBe(true);
        expect(await copy.page.locator('select[name="method"]').inputValue()).toBe('jenks');
        await copy.guard(
          copy.page.locator(`.profile[data-area="${QUARTERS[0]}"][data-compare="${QUARTERS[1]}"]`).waitFor(),
        );
        // The same colours at the same places.
        const second = await copy.screenshot('planner-map-permalink-copy');
        for (const code of ['000', '010', '670']) {
          const { x, y } = await onPage(copy.page, label.get(code) as Point);
          const colors = firstLegend.map((l) => l.color);
          expect(classAt(second, x, y, colors).cls, code).toBe(classAt(first, x, y, colors).cls);
        }
        expect(copy.externalRequests).toEqual([]);
      } finally {
        await copy.close();
      }
    });

    it('exports the map as a PNG with legend and attribution', async () => {
      const { page } = opened;
      const download = page.waitForEvent('download');
      await page.click('button[data-action="png"]');
      const file = await opened.guard(download);
      expect(file.suggestedFilename()).toMatch(/^dortmund-coverage-childcare-500m-quarter\.png$/);
      const png = PNG.sync.read(readFileSync(await file.path()));
      const canvas = await page.locator('.maplibregl-canvas').boundingBox();
      if (!canvas) throw new Error('no map canvas');
      expect(png.width).toBe(Math.round(canvas.width));
      expect(png.height).toBeGreaterThan(Math.round(canvas.height));
      // The map inside: a quarter's colour at its point (the map image starts at the PNG's top left).
      const body = await values(SECOND, 'jenks', 5);
      const colors = (await legend(page)).map((l) => l.color);
      const code = '670';
      const { x, y } = await onPage(page, label.get(code) as Point);
      expect(classAt(png, x - canvas.x, y - canvas.y, colors).cls).toBe(
        body.values.find((v) => v.code === code)?.class,
      );
      // The legend box draws every class colour.
      for (const c of colors) expect(countPixelsNear(png, c, 2), c).toBeGreaterThan(50);
    });

    it('lists 62 quarters in the table view, sorts by value and downloads them as CSV', async () => {
      const { page } = opened;
      await page.click('.segmented button[data-view="table"]');
      const rows = page.locator('.data-table tbody tr');
      await opened.guard(page.waitForFunction(() => document.querySelectorAll('.data-table tbody tr').length > 0));
      expect(await rows.count()).toBe(62);
      expect(quarters.features).toHaveLength(62);
      const body = await values(SECOND, 'jenks', 5);
      // Code and value as the table shows them (visible text, German notation); "–" or "withheld" for none.
      const read = () =>
        page.$$eval('.data-table tbody tr', (trs) =>
          trs.map((tr) => {
            const cells = [...tr.querySelectorAll('td')] as HTMLElement[];
            const text = (tr.querySelector('td.num') as HTMLElement).innerText.trim();
            const number = /^[-−]?\d[\d.]*(,\d+)?$/.test(text)
              ? Number(text.replace(/\./g, '').replace(',', '.').replace('−', '-'))
              : null;
            return { code: cells[0]?.innerText.trim() ?? '', text, value: number };
          }),
        );
      const valueHeader = page.locator('th:has(button[data-sort="value"])');
      expect(await valueHeader.getAttribute('aria-sort')).toBe('descending');
      const descending = await read();
      expect(descending.map((r) => r.code).sort()).toEqual(body.values.map((v) => v.code).sort());
      // The values as the table must write them, made here with Intl: the decimals the table uses, for all rows.
      const digits = (descending.find((r) => r.value !== null)?.text.split(',')[1] ?? '').length;
      const format = new Intl.NumberFormat('de-DE', { minimumFractionDigits: digits, maximumFractionDigits: digits });
      for (const r of descending) {
        const api = body.values.find((v) => v.code === r.code)?.value;
        if (api === null || api === undefined) expect(['–', de['planner.table.withheld']], r.code).toContain(r.text);
        else expect(r.text, r.code).toBe(format.format(api));
      }
      const present = descending.filter((r) => r.value !== null).map((r) => r.value as number);
      expect(present).toEqual([...present].sort((a, b) => b - a));

      await page.click('button[data-sort="value"]');
      await opened.guard(page.waitForSelector('th[aria-sort="ascending"] button[data-sort="value"]'));
      const ascending = (await read()).filter((r) => r.value !== null).map((r) => r.value as number);
      expect(ascending).toEqual([...ascending].sort((a, b) => a - b));
      expect(new URL(page.url()).searchParams.get('sort')).toBe('value');

      await page.click('button[data-sort="name"]');
      await opened.guard(page.waitForSelector('th[aria-sort="ascending"] button[data-sort="name"]'));
      const names = await page.$$eval('.data-table tbody th', (ths) => ths.map((th) => th.textContent ?? ''));
      expect(names).toEqual(
        [...names].sort((a, b) => a.localeCompare(b, 'de', { sensitivity: 'base', numeric: true })),
      );
      await opened.screenshot('planner-table');

      const download = page.waitForEvent('download');
      await page.click(`button:has-text("${de['planner.table.csv']}")`);
      const file = await opened.guard(download);
      const csv = readFileSync(await file.path(), 'utf8')
        .replace(/^\uFEFF/, '')
        .trimEnd()
        .split('\r\n');
      expect(csv).toHaveLength(63);
      expect(csv[0]).toMatch(
        /^code,name,district,value,unit,class,class_from,class_to,suppressed,note,reference_date,method,source/,
      );
      // Rows in the order shown (by name now).
      const shownCodes = (await read()).map((r) => r.code);
      expect(csv.slice(1).map((line) => line.split(',')[0])).toEqual(shownCodes);
      const nordmarkt = csv.find((line) => line.startsWith(`${QUARTERS[0]},`))?.split(',') ?? [];
      expect(Number(nordmarkt[3])).toBe(body.values.find((v) => v.code === QUARTERS[0])?.value);
      expect(nordmarkt).toContain(SECOND);
      await page.click('.segmented button[data-view="map"]');
    });

    it('shows need × supply with its 3×3 legend and the ranked gaps beside it', async () => {
      const { page } = opened;
      await page.click('.segmented button[data-view="gap"]');
      await opened.guard(page.waitForSelector('.planner[data-view="gap"][data-ready="true"]'));
      await ready(opened);
      const need = await page
        .locator('.picker[data-name="need"] [role="option"][aria-selected="true"]')
        .getAttribute('data-id');
      const supply = await page
        .locator('.picker[data-name="supply"] [role="option"][aria-selected="true"]')
        .getAttribute('data-id');
      const gaps = await api<{
        cells: { index: number; count: number }[];
        gaps: { code: string; rank: number }[];
        areas: { code: string; cell: number | null }[];
      }>(`/api/analysis/gaps?need=${need}&supply=${supply}&level=quarter`);
      const cells = await page.$$eval('.bivariate td[data-cell]', (tds) =>
        tds.map((td) => [Number((td as HTMLElement).dataset.cell), Number(td.textContent)]),
      );
      expect(cells).toHaveLength(9);
      for (const [index, count] of cells) expect(count).toBe(gaps.cells.find((c) => c.index === index)?.count);
      const listed = await page.$$eval('.gap-list li[data-code]', (lis) =>
        lis.map((li) => (li as HTMLElement).dataset.code),
      );
      expect(listed).toEqual(gaps.gaps.map((g) => g.code));
      // The map draws the quarters in the colours of their cells.
      const colors = await page.$$eval('.bivariate td[data-cell]', (tds) =>
        tds
          .map((td) => [Number((td as HTMLElement).dataset.cell), (td as HTMLElement).dataset.color ?? ''] as const)
          .sort((a, b) => a[0] - b[0])
          .map(([, c]) => c),
      );
      // Nothing over the quarters' label points: no card, no offers, no action-area names.
      if (await page.locator('.profile').count()) await page.click('.profile .icon-button');
      await page.uncheck('input[name="action-areas"]');
      const checked = page.locator('input[name="offers"]:checked');
      while ((await checked.count()) > 0) await checked.first().uncheck();
      await ready(opened);
      const png = await opened.screenshot('planner-map-gaps');
      for (const code of QUARTERS) {
        const { x, y } = await onPage(page, label.get(code) as Point);
        const want = gaps.areas.find((a) => a.code === code)?.cell ?? null;
        if (want === null) continue;
        expect(classAt(png, x, y, colors).cls, code).toBe(want);
      }
      await page.click('.segmented button[data-view="map"]');
      await ready(opened);
      opened.assertClean();
    });
  });

  it('works on a 390×844 phone: the panel is a sheet over the map', async () => {
    const opened = await openPage(`${server.url}/?ind=${SECOND}`, { viewport: { width: 390, height: 844 } });
    try {
      await ready(opened, SECOND);
      const { page } = opened;
      const canvas = await page.locator('.maplibregl-canvas').boundingBox();
      expect(canvas?.height ?? 0).toBeGreaterThan(500);
      expect(await page.locator('#planner-panel-body').isVisible()).toBe(false);
      await opened.screenshot('planner-phone-closed');
      await page.click('.planner__sheet-toggle');
      expect(await page.locator('.planner__sheet-toggle').getAttribute('aria-expanded')).toBe('true');
      await opened.guard(page.locator('.legend').waitFor());
      expect(await page.locator('h1').isVisible()).toBe(true);
      const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
      expect(overflow).toBeLessThanOrEqual(0);
      await opened.screenshot('planner-phone-open');
      expect(opened.externalRequests).toEqual([]);
    } finally {
      await opened.close();
    }
  });

  it('speaks English when asked', async () => {
    const opened = await openPage(`${server.url}/?lang=en&ind=${SECOND}`);
    try {
      await ready(opened, SECOND);
      expect(await opened.page.locator('h1').textContent()).toBe('Needs and services');
      expect(await opened.page.locator('.legend__title').textContent()).toContain('Access: childcare within 500 m');
    } finally {
      await opened.close();
    }
  });
});
