import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import type { Page } from 'playwright-core';
import { PNG } from 'pngjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { z } from 'zod';
import { defaultManifestPath } from '../../geodata/import.ts';
import { loadManifest } from '../../geodata/manifest.ts';
import type { Db } from '../../server/db/index.ts';
import type {
  CatalogueResponse,
  GapsResponse,
  ProfileResponse,
  ValuesResponse,
} from '../../server/domain/indicators-schema.ts';
import { readEnv } from '../../server/env.ts';
import type { AreaCollection } from '../../server/routes/areas.ts';
import type { CategoryList, OfferCollection } from '../../server/routes/offers.ts';
import { type RunningServer, startServer } from '../../server/server.ts';
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
} from '../support/browser.ts';
import { realDb } from '../support/db.ts';

/**
 * The planner's map (/, issue #5) in Chromium against the real data package. Every expectation comes from the
 * API (values, classes, breaks, profiles, offer counts) and from what the page draws (screenshot pixels at the
 * quarters' label points, projected with the page's own map), never from numbers written here.
 */

type Values = z.infer<typeof ValuesResponse>;
type Profile = z.infer<typeof ProfileResponse>;
type Gaps = z.infer<typeof GapsResponse>;
type Indicator = z.infer<typeof CatalogueResponse>['indicators'][number];
type Point = [number, number];

/** Quarters the colour checks look at: the city centre, the Nordstadt and the south. */
const QUARTERS = ['050', '670', '000'] as const;
const FIRST = 'school_social_index_nearest_primary';
const SECOND = 'coverage_childcare_500m';
/** An indicator some quarters have no value for (no primary school in them). */
const PATCHY = 'school_social_index_primary';

/** GDAL's tools (gdal-bin, installed by npm test) open the GeoPackage download. */
const run = promisify(execFile);

const fill = (text: string, params: Record<string, string | number>) =>
  text.replace(/\{(\w+)\}/g, (whole, name: string) => String(params[name] ?? whole));

describe('planner map in Chromium', { timeout: 300_000 }, () => {
  let db: Db;
  let server: RunningServer;
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
    await ensureWebBuild();
    db = await realDb('postgres');
    server = await startServer({ db, env: readEnv({}) }, 0, '127.0.0.1');
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

    it('lists every quarter in the table view, sorts by value and downloads them as CSV', async () => {
      const { expectedCount } = loadManifest(
        process.env.GEODATA_MANIFEST ?? defaultManifestPath(readEnv({}).GEODATA_DIR),
      ).quarters;
      const { page } = opened;
      await page.click('.segmented button[data-view="table"]');
      const rows = page.locator('.data-table tbody tr');
      await opened.guard(page.waitForFunction(() => document.querySelectorAll('.data-table tbody tr').length > 0));
      expect(await rows.count()).toBe(expectedCount);
      expect(quarters.features).toHaveLength(expectedCount);
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
      const lines = readFileSync(await file.path(), 'utf8')
        .replace(/^\uFEFF/, '')
        .trimEnd()
        .split('\r\n');
      // The sources' attribution first, as comment lines (issue 17), then the table.
      const comments = lines.filter((line) => /^"?# /.test(line));
      expect(lines.slice(0, comments.length)).toEqual(comments);
      expect(comments.join('\n')).toMatch(/Lizenz|licen/i);
      const csv = lines.slice(comments.length);
      // German by default: semicolons, decimal commas, German headers, every row with its source.
      expect(csv).toHaveLength(63);
      expect(csv[0]).toMatch(
        /^Gebietsnummer;Gebiet;Stadtbezirk;Wert;Einheit;Klasse;Klasse von;Klasse bis;Zurückgehalten \(Datenschutz\);Hinweis;Stand;Methode;Quelle/,
      );
      // Rows in the order shown (by name now).
      const shownCodes = (await read()).map((r) => r.code);
      expect(csv.slice(1).map((line) => line.split(';')[0])).toEqual(shownCodes);
      const nordmarkt = csv.find((line) => line.startsWith(`${QUARTERS[0]};`))?.split(';') ?? [];
      const nordmarktValue = body.values.find((v) => v.code === QUARTERS[0])?.value as number;
      expect(nordmarkt[3]).toBe(String(nordmarktValue).replace('.', ','));
      expect(nordmarkt).toContain(SECOND);
      for (const line of csv.slice(1)) expect(line.split(';')[12], line).not.toBe('');
      // The international variant beside it: commas, decimal points, English headers.
      const intlDownload = page.waitForEvent('download');
      await page.click(`button:has-text("${de['planner.table.csvIntl']}")`);
      const intl = readFileSync(await (await opened.guard(intlDownload)).path(), 'utf8')
        .replace(/^\uFEFF/, '')
        .trimEnd()
        .split('\r\n')
        .filter((line) => !/^"?# /.test(line));
      expect(intl[0]).toMatch(
        /^code,name,district,value,unit,class,class_from,class_to,suppressed,note,reference_date/,
      );
      expect(Number(intl.find((line) => line.startsWith(`${QUARTERS[0]},`))?.split(',')[3])).toBe(nordmarktValue);
      // Issue 17: the view as GeoJSON and GeoPackage, every quarter with its value and class of the classification
      // shown, the attribution with them.
      const dir = mkdtempSync(join(tmpdir(), 'planner-downloads-'));
      /** Clicks the first download of `kind` and saves the file under the name the page gives it. */
      const save = async (kind: string) => {
        const download = page.waitForEvent('download');
        await page.locator(`.table-view__downloads a[data-download="${kind}"]`).first().click();
        const file = await opened.guard(download);
        expect(file.suggestedFilename()).toMatch(new RegExp(`${SECOND.replace(/_/g, '-')}-quarter\\.${kind}$`));
        const path = join(dir, file.suggestedFilename());
        await file.saveAs(path);
        return path;
      };
      const geo = JSON.parse(readFileSync(await save('geojson'), 'utf8')) as {
        attribution: string[];
        features: { id: string; properties: Record<string, unknown> }[];
      };
      expect(geo.features).toHaveLength(quarters.features.length);
      expect(geo.attribution.join('\n')).toMatch(/Licence: /);
      for (const v of body.values) {
        const f = geo.features.find((x) => x.id === v.code);
        expect(f?.properties, v.code).toMatchObject({ value: v.value, class: v.class === null ? null : v.class + 1 });
      }
      const gpkg = await save('gpkg');
      const { stdout: info, stderr } = await run('ogrinfo', ['-ro', '-so', '-al', gpkg]);
      expect(stderr).toBe('');
      // As many features as the manifest expects quarters.
      const manifest = loadManifest(process.env.GEODATA_MANIFEST ?? defaultManifestPath(readEnv({}).GEODATA_DIR));
      expect(info).toMatch(new RegExp(`Feature Count: ${manifest.quarters.expectedCount}\\b`));
      expect(info).toMatch(/ID\["EPSG",4326\]/);
      const sql = `SELECT count(*) AS n FROM quarter_${SECOND} WHERE class IS NOT NULL`;
      const classed = (await run('ogrinfo', ['-ro', '-q', gpkg, '-sql', sql])).stdout;
      expect(classed).toMatch(
        new RegExp(`n \\(Integer(64)?\\) = ${body.values.filter((v) => v.class !== null).length}\\b`),
      );
      rmSync(dir, { recursive: true, force: true });
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

  // --- Issue 20: the planner never shows one thing under another's name ---------------------------------

  describe('issue 20: what the planner shows, offline, slow and after errors', () => {
    const DESKTOP = { width: 1280, height: 800 };
    const PHONE = { width: 390, height: 844 };
    const isPhone = (v: { width: number }) => v.width < 768;
    let catalogue: { indicators: Indicator[] };
    const titleOf = (id: string) => catalogue.indicators.find((i) => i.id === id)?.title.de ?? `(no indicator ${id})`;

    beforeAll(async () => {
      catalogue = await api<{ indicators: Indicator[] }>('/api/indicators');
    });

    /** Opens the panel where it is a sheet (phones); nothing on wide screens. */
    async function openPanel(page: Page, viewport: { width: number }) {
      if (!isPhone(viewport)) return;
      const toggle = page.locator('.planner__sheet-toggle');
      if ((await toggle.getAttribute('aria-expanded')) !== 'true') await toggle.click();
    }

    /** Chooses an indicator in the picker as a user does: typing its title, then clicking it. */
    async function pick(page: Page, id: string) {
      await page.getByRole('combobox', { name: de['planner.indicator'] }).fill(titleOf(id));
      await page.locator(`[role="option"][data-id="${id}"]`).click();
    }

    /** Waits (without failing on the offline requests of the map's tiles) until the planner shows `id`. */
    async function shows(page: Page, id: string, level = 'quarter') {
      await page.waitForSelector(`.planner[data-ready="true"][data-indicator="${id}"][data-level="${level}"]`, {
        timeout: 60_000,
      });
    }

    const frames = (page: Page) =>
      page.evaluate(
        () => new Promise<void>((done) => requestAnimationFrame(() => requestAnimationFrame(() => done()))),
      );

    /** What the panel says it shows, as visible text, and whether the PNG export can be pressed. */
    async function visibleView(page: Page) {
      return {
        legendTitle: (await page.locator('.legend__title').innerText()).trim(),
        sheetTitle: (await page.locator('.planner__sheet-title').innerText()).trim(),
        pngEnabled: await page.locator('button[data-action="png"]').isEnabled(),
      };
    }

    for (const viewport of [DESKTOP, PHONE]) {
      const size = `${viewport.width}×${viewport.height}`;

      it(`offline, keeps the old view whole when another indicator is picked, and shows the new one when the connection returns (${size})`, async () => {
        const first = await values(FIRST);
        const second = await values(SECOND);
        const opened = await openPage(`${server.url}/?ind=${FIRST}`, { viewport });
        const { page, context } = opened;
        try {
          await ready(opened, FIRST);
          await openPanel(page, viewport);
          expect((await visibleView(page)).legendTitle).toContain(titleOf(FIRST));

          await context.setOffline(true);
          await pick(page, SECOND);
          await page.waitForURL((url) => url.searchParams.get('ind') === SECOND);
          await page.getByText(de['planner.offline']).first().waitFor();
          await frames(page);
          const offline = await visibleView(page);
          // Title, sheet title, classes: still all of the first indicator; the PNG waits.
          expect(offline.legendTitle).toContain(titleOf(FIRST));
          expect(offline.legendTitle).not.toContain(titleOf(SECOND));
          expect(offline.sheetTitle).toBe(titleOf(FIRST));
          expect(await page.evaluate(legendShows, first.classification.breaks)).toBe(true);
          expect(offline.pngEnabled).toBe(false);
          await opened.screenshot(`planner-offline-keeps-view-${viewport.width}`);

          await context.setOffline(false);
          await shows(page, SECOND);
          await frames(page);
          const online = await visibleView(page);
          expect(online.legendTitle).toContain(titleOf(SECOND));
          expect(online.sheetTitle).toBe(titleOf(SECOND));
          expect(await page.evaluate(legendShows, second.classification.breaks)).toBe(true);
          expect(online.pngEnabled).toBe(true);
          expect(await page.getByText(de['planner.offline']).count()).toBe(0);
        } finally {
          await context.close();
        }
      });

      it(`on a slow connection never names one indicator with another's classes, and holds the PNG back meanwhile (${size})`, async () => {
        const first = await values(FIRST);
        const second = await values(SECOND);
        const opened = await openPage(`${server.url}/?ind=${FIRST}`, { viewport });
        const { page, context } = opened;
        try {
          await ready(opened, FIRST);
          await openPanel(page, viewport);
          const cdp = await context.newCDPSession(page);
          await cdp.send('Network.enable');
          await cdp.send('Network.emulateNetworkConditions', {
            offline: false,
            latency: 1500,
            downloadThroughput: 32 * 1024,
            uploadThroughput: 16 * 1024,
          });
          // Every frame, what the legend says and which classes it shows, until the second indicator is there.
          await page.evaluate(
            ({ titles, breaks }) => {
              const samples: { title: string; classes: string; png: boolean; asked: string | null }[] = [];
              (window as unknown as { __samples: typeof samples }).__samples = samples;
              const read = (b: readonly number[]) => {
                const rows = [
                  ...document.querySelectorAll<HTMLElement>(
                    '.legend__classes tbody tr:not(.legend__class--missing) .legend__range',
                  ),
                ];
                return (
                  rows.length === b.length &&
                  rows.every((r, i) => {
                    const numbers = (r.innerText.split(/[◆＋]/)[0] ?? '').match(/[-−]?\d[\d.]*(?:,\d+)?/g) ?? [];
                    const last = numbers[numbers.length - 1] ?? '';
                    const value = Number(last.replace(/\./g, '').replace(',', '.').replace('−', '-'));
                    const digits = (last.split(',')[1] ?? '').length;
                    return Math.abs(value - (b[i] as number)) <= 0.5 * 10 ** -digits + 1e-9;
                  })
                );
              };
              const tick = () => {
                const title = document.querySelector<HTMLElement>('.legend__title')?.innerText ?? '';
                const classes = read(breaks.first) ? 'first' : read(breaks.second) ? 'second' : 'other';
                const png = !(document.querySelector('button[data-action="png"]') as HTMLButtonElement).disabled;
                const asked = new URLSearchParams(window.location.search).get('ind');
                samples.push({ title, classes, png, asked });
                if (!(title.includes(titles.second) && classes === 'second' && png)) requestAnimationFrame(tick);
              };
              tick();
            },
            {
              titles: { first: titleOf(FIRST), second: titleOf(SECOND) },
              breaks: { first: first.classification.breaks, second: second.classification.breaks },
            },
          );
          await pick(page, SECOND);
          await shows(page, SECOND);
          await page.waitForFunction(() => {
            const s = (window as unknown as { __samples: { title: string; png: boolean }[] }).__samples;
            return s.length > 0 && s[s.length - 1]?.png === true;
          });
          const samples = await page.evaluate(
            () =>
              (
                window as unknown as {
                  __samples: { title: string; classes: string; png: boolean; asked: string | null }[];
                }
              ).__samples,
          );
          expect(samples.length).toBeGreaterThan(2);
          for (const s of samples) {
            const named = s.title.includes(titleOf(SECOND))
              ? 'second'
              : s.title.includes(titleOf(FIRST))
                ? 'first'
                : null;
            expect(named === null || named === s.classes, `legend "${s.title}" with the classes of ${s.classes}`).toBe(
              true,
            );
            if (s.asked === SECOND && named !== 'second') expect(s.png, `PNG while "${s.title}" is shown`).toBe(false);
          }
          // The slow answer was awaited: some frames showed the first indicator after the second was asked for.
          expect(samples.some((s) => s.asked === SECOND && s.title.includes(titleOf(FIRST)))).toBe(true);
          await cdp.send('Network.emulateNetworkConditions', {
            offline: false,
            latency: 0,
            downloadThroughput: -1,
            uploadThroughput: -1,
          });
        } finally {
          await context.close();
        }
      });

      it(`gives every error a retry in sight, and clears it by itself when the connection returns (${size})`, async () => {
        const code = QUARTERS[0];
        const profile = await api<Profile>(`/api/areas/quarter/${code}/profile`);
        const opened = await openPage(`${server.url}/?ind=${SECOND}`, { viewport });
        const { page, context } = opened;
        try {
          await ready(opened, SECOND);
          // The connection drops without the browser noticing: the profile's requests fail.
          const profiles = '**/api/areas/quarter/*/profile';
          await page.route(profiles, (route) => route.abort('internetdisconnected'));
          const { x, y } = await onPage(page, label.get(code) as Point);
          await page.mouse.click(x, y);
          const message = page.locator('.profile').getByText(de['planner.error.profile']);
          await message.waitFor({ timeout: 30_000 });
          const retry = page.locator('.profile').getByRole('button', { name: de['planner.retry'] });
          expect(await retry.isVisible()).toBe(true);
          const box = await retry.boundingBox();
          if (!box) throw new Error('no retry button');
          // Nothing covers it: the button itself is what a click there would hit.
          const hit = await page.evaluate(
            ([px, py]) => document.elementFromPoint(px as number, py as number)?.closest('button')?.textContent ?? '',
            [box.x + box.width / 2, box.y + box.height / 2],
          );
          expect(hit).toBe(de['planner.retry']);
          expect(box.y + box.height).toBeLessThanOrEqual(viewport.height);
          await opened.screenshot(`planner-profile-error-${viewport.width}`);

          // The connection returns (the browser's offline and online events): the profile comes by itself.
          await page.unroute(profiles);
          await context.setOffline(true);
          await context.setOffline(false);
          await page.locator('.profile .profile__name').first().waitFor({ timeout: 30_000 });
          expect(await page.locator('.profile .profile__name').first().innerText()).toBe(profile.area.name);
          expect(await message.count()).toBe(0);
        } finally {
          await context.close();
        }
      });

      it(`keeps the indicator when the level changes, or says why not, and the URL names what is shown (${size})`, async () => {
        const has = (i: Indicator, level: string) => i.levels.some((l) => l.level === level && l.with_value > 0);
        const both = SECOND;
        const quarterOnly = catalogue.indicators.find((i) => has(i, 'quarter') && !has(i, 'district'));
        if (!quarterOnly) throw new Error('the catalogue has no indicator with quarter values alone');
        expect(has(catalogue.indicators.find((i) => i.id === both) as Indicator, 'district')).toBe(true);
        const opened = await openPage(`${server.url}/?ind=${both}`, { viewport });
        const { page } = opened;
        try {
          await ready(opened, both);
          await openPanel(page, viewport);
          await page.click('.segmented button[data-level="district"]');
          await opened.guard(shows(page, both, 'district'));
          expect(new URL(page.url()).searchParams.get('ind')).toBe(both);
          expect(await page.locator('.legend__title').innerText()).toContain(titleOf(both));

          await page.click('.segmented button[data-level="quarter"]');
          await opened.guard(shows(page, both, 'quarter'));
          await pick(page, quarterOnly.id);
          await opened.guard(shows(page, quarterOnly.id, 'quarter'));
          await page.click('.segmented button[data-level="district"]');
          await opened.guard(page.waitForSelector('.planner[data-ready="true"][data-level="district"]'));
          await opened.guard(page.waitForURL((url) => url.searchParams.get('ind') !== quarterOnly.id));
          const shown = new URL(page.url()).searchParams.get('ind') as string;
          expect(shown).not.toBe(quarterOnly.id);
          await opened.guard(shows(page, shown, 'district'));
          expect(await page.locator('.legend__title').innerText()).toContain(titleOf(shown));
          const note = fill(de['planner.level.notAvailable'], {
            wanted: titleOf(quarterOnly.id),
            level: de['planner.level.district'],
            shown: titleOf(shown),
          });
          await opened.guard(page.getByText(note).waitFor());
          await opened.screenshot(`planner-level-fallback-${viewport.width}`);
        } finally {
          await opened.close();
        }
      });

      for (const lang of ['de', 'ar'] as const) {
        it(`never leaves the selected area under its profile card (${size}, ${lang})`, async () => {
          const opened = await openPage(`${server.url}/?ind=${SECOND}&lang=${lang}`, { viewport });
          const { page } = opened;
          try {
            await ready(opened, SECOND);
            // Where the card sits: open it once, read its box, close it again.
            const centre = await onPage(page, label.get(QUARTERS[0]) as Point);
            await page.mouse.click(centre.x, centre.y);
            await opened.guard(page.locator('.profile .profile__name').first().waitFor());
            const card = await page.locator('.planner__cards').boundingBox();
            if (!card) throw new Error('no card');
            await page.click('.profile .icon-button');
            await opened.guard(page.locator('.profile').waitFor({ state: 'detached' }));
            await opened.guard(page.waitForFunction(() => window.__map?.isMoving() === false));
            // A quarter whose label point the card would cover.
            const inside = (p: { x: number; y: number }, b: typeof card) =>
              p.x >= b.x && p.x <= b.x + b.width && p.y >= b.y && p.y <= b.y + b.height;
            let target: { code: string; at: { x: number; y: number } } | null = null;
            for (const [code, point] of label) {
              const at = await onPage(page, point);
              const mid = { x: card.x + card.width / 2, y: card.y + card.height / 2 };
              const closer =
                !target ||
                Math.hypot(at.x - mid.x, at.y - mid.y) < Math.hypot(target.at.x - mid.x, target.at.y - mid.y);
              if (inside(at, card) && closer) target = { code, at };
            }
            if (!target) throw new Error('no quarter under the card');
            await page.mouse.click(target.at.x, target.at.y);
            await opened.guard(page.locator(`.profile[data-area="${target.code}"] .profile__name`).first().waitFor());
            expect(await page.locator('.profile .profile__name').first().innerText()).toBe(name.get(target.code));
            // Let the map move (if it does), then look again.
            await frames(page);
            await opened.guard(page.waitForFunction(() => window.__map?.isMoving() === false));
            await opened.waitForMapIdle();
            const after = await page.locator('.planner__cards').boundingBox();
            if (!after) throw new Error('no card');
            const at = await onPage(page, label.get(target.code) as Point);
            expect(inside(at, after), `${target.code} at ${JSON.stringify(at)} under ${JSON.stringify(after)}`).toBe(
              false,
            );
            const map = await page.locator('.maplibregl-canvas').boundingBox();
            if (!map) throw new Error('no map');
            expect(inside(at, map)).toBe(true);
            await opened.screenshot(`planner-card-clear-${viewport.width}-${lang}`);
          } finally {
            await opened.close();
          }
        });
      }

      it(`shows what the gap list rests on, links every row to its profile and downloads it as CSV (${size})`, async () => {
        const opened = await openPage(`${server.url}/?view=gap`, { viewport });
        const { page } = opened;
        try {
          await opened.guard(page.waitForSelector('.planner[data-view="gap"][data-ready="true"]'));
          await opened.guard(
            page.waitForURL((url) => !!url.searchParams.get('need') && !!url.searchParams.get('supply')),
          );
          const params = new URL(page.url()).searchParams;
          const need = params.get('need') as string;
          const supply = params.get('supply') as string;
          const gaps = await api<Gaps>(`/api/analysis/gaps?need=${need}&supply=${supply}&level=quarter`);
          expect(gaps.gaps.length).toBeGreaterThan(0);
          await openPanel(page, viewport);
          const basis = page.locator('.gap-basis');
          await opened.guard(basis.waitFor());
          const text = await basis.innerText();
          // Both indicators, their sources and dates.
          for (const side of [gaps.need, gaps.supply]) {
            expect(text).toContain(side.indicator.title.de);
            for (const s of side.indicator.sources) expect(text).toContain(s.attribution);
            const dates = catalogue.indicators
              .find((i) => i.id === side.indicator.id)
              ?.levels.find((l) => l.level === 'quarter')?.latest_dates;
            expect(dates?.length).toBeGreaterThan(0);
          }
          expect(text).not.toContain(`${de['planner.asOf']} –`);
          // The tercile bounds, as written, are the API's; the ranking is explained.
          const supplyLine = (
            await basis.locator('p', { hasText: `${de['planner.gap.supply']}: ${de['planner.gap.low']}` }).innerText()
          ).trim();
          const numbers = (supplyLine.match(/\d[\d.]*(?:,\d+)?/g) ?? []).map((n) =>
            Number(n.replace(/\./g, '').replace(',', '.')),
          );
          const [b1, b2] = gaps.supply.terciles.breaks as [number, number];
          expect(numbers.some((n) => Math.abs(n - b1) < 0.051)).toBe(true);
          expect(numbers.some((n) => Math.abs(n - b2) < 0.051)).toBe(true);
          expect(text).toContain(de['planner.gap.ranking'].split('{need}')[0]?.trim() as string);
          // Every listed area's supply lies in the low tercile shown.
          for (const g of gaps.gaps) expect(gaps.supply.inverted ? g.supply >= b2 : g.supply <= b1).toBe(true);

          // CSV: German by default, international beside it.
          const german = page.waitForEvent('download');
          await page.getByRole('button', { name: de['planner.gap.csv'] }).click();
          const deFile = readFileSync(await (await opened.guard(german)).path(), 'utf8');
          expect(deFile.startsWith('\uFEFF')).toBe(true);
          const deLines = deFile.slice(1).trimEnd().split('\r\n');
          expect(deLines[0]?.startsWith('Rang;Gebietsnummer;Gebiet;Bedarf;')).toBe(true);
          expect(deLines).toHaveLength(gaps.gaps.length + 1);
          const firstGap = gaps.gaps[0] as Gaps['gaps'][number];
          const row = deLines[1]?.split(';') ?? [];
          expect(row.slice(0, 3)).toEqual(['1', firstGap.code, firstGap.name]);
          expect(row[3]).toBe(String(firstGap.need).replace('.', ','));
          expect(row[5]).toBe(String(firstGap.supply).replace('.', ','));
          expect(deLines[1]).toContain(gaps.supply.indicator.sources[0]?.attribution as string);
          const intl = page.waitForEvent('download');
          await page.getByRole('button', { name: de['planner.gap.csvIntl'] }).click();
          const intlFile = readFileSync(await (await opened.guard(intl)).path(), 'utf8');
          expect(intlFile.slice(1).split('\r\n')[0]?.startsWith('rank,code,name,need,')).toBe(true);

          // Every row links to the area's profile.
          const link = page.locator('.gap-list__items a').first();
          expect(new URL((await link.getAttribute('href')) as string, server.url).searchParams.get('area')).toBe(
            firstGap.code,
          );
          await link.click();
          await opened.guard(page.locator(`.profile[data-area="${firstGap.code}"] .profile__name`).first().waitFor());
          expect(await page.locator('.profile .profile__name').first().innerText()).toBe(firstGap.name);
          expect(new URL(page.url()).searchParams.get('area')).toBe(firstGap.code);
          await opened.screenshot(`planner-gap-basis-${viewport.width}`);
        } finally {
          await opened.close();
        }
      });
    }

    // The second: its class bounds once took one decimal, its values in the profile two.
    for (const id of [FIRST, 'offers_childcare_per_km2']) {
      it(`writes every value of an indicator with one number of decimals: legend, profile and table (${id})`, async () => {
        const code = QUARTERS[1];
        const opened = await openPage(`${server.url}/?ind=${id}&area=${code}`);
        const { page } = opened;
        try {
          await ready(opened, id);
          const decimals = (text: string) => {
            const numbers = text.match(/\d[\d.]*(?:,\d+)?/g) ?? [];
            return [...new Set(numbers.map((n) => (n.split(',')[1] ?? '').length))];
          };
          const legendTexts = await page.$$eval('.legend__range', (els) =>
            els.map((e) => (e as HTMLElement).innerText),
          );
          const legend = decimals(legendTexts.join(' '));
          expect(legend).toHaveLength(1);
          const row = page.locator(`.profile-row--current[data-indicator="${id}"] .profile-row__value`).first();
          await opened.guard(row.waitFor());
          const shown = (await row.innerText()).split('(')[0] ?? '';
          const value = shown.match(/\d[\d.]*(?:,\d+)?/)?.[0] ?? '';
          expect([(value.split(',')[1] ?? '').length]).toEqual(legend);
          // The rank in the one form of every page.
          const profile = await api<Profile>(`/api/areas/quarter/${code}/profile`);
          const rank = profile.indicators.find((i) => i.id === id)?.rank;
          if (rank)
            expect(await row.innerText()).toContain(fill(de['rank.of'], { position: rank.position, of: rank.of }));
          await page.click('.segmented button[data-view="table"]');
          await opened.guard(page.waitForFunction(() => document.querySelectorAll('.data-table tbody tr').length > 0));
          const cells = await page.$$eval('.data-table tbody tr', (trs) =>
            trs
              .map((tr) => (tr.querySelector('td.num') as HTMLElement | null)?.innerText.trim() ?? '')
              .filter((t) => /\d/.test(t)),
          );
          expect(decimals(cells.join(' '))).toEqual(legend);
        } finally {
          await opened.close();
        }
      });
    }
  });
});
