import type { Page } from 'playwright-core';
import type { PNG } from 'pngjs';
import { beforeAll, describe, expect, it } from 'vitest';
import type { AreaCollection } from '../../server/routes/areas.ts';
import type { Designation, Lisa } from '../../web/api/client.ts';
import { QUALIFY_COLORS } from '../../web/council/qualify-colors.ts';
import { de } from '../../web/i18n/messages/de.ts';
import { CLUSTER_COLORS } from '../../web/layers/hot-spots.ts';
import { useAppServer } from '../support/app-server.ts';
import { isColorNear, type OpenedPage, openPage, pixelAt } from '../support/browser.ts';

/**
 * Issue 18 in Chromium against the real data package: the planner's hot-spot view (legend and map against
 * /api/analysis/lisa) and the council page "which quarters would qualify?" (table and totals against
 * /api/analysis/designation), one page load each. Expected numbers come from the API, written with Intl here
 * (not with the page's formatters), never typed in.
 */

const INDICATOR = 'school_social_index_nearest_primary';
const SUPPLY = 'coverage_childcare_500m';
const fill = (text: string, params: Record<string, string>) =>
  text.replace(/\{(\w+)\}/g, (whole, name: string) => params[name] ?? whole);
const number = (value: number, digits: number) =>
  new Intl.NumberFormat('de-DE', { minimumFractionDigits: digits, maximumFractionDigits: digits }).format(value);
const clean = (text: string | null) => (text ?? '').replace(/\s+/g, ' ').trim();

describe('hot spots and designation in Chromium', { timeout: 300_000 }, () => {
  const server = useAppServer();
  let quarters: AreaCollection;

  const { api } = server;

  beforeAll(async () => {
    quarters = await api<AreaCollection>('/api/areas?level=quarter');
  });
  /** The colour drawn most around a point (a window of 2r + 1 pixels) among `colors`, with its share of the window. */
  function colorAround(png: PNG, x: number, y: number, colors: string[], r = 12) {
    const votes = colors.map(() => 0);
    for (let dy = -r; dy <= r; dy++)
      for (let dx = -r; dx <= r; dx++) {
        const i = colors.findIndex((c) => isColorNear(pixelAt(png, x + dx, y + dy), c, 3));
        if (i >= 0) votes[i] = (votes[i] ?? 0) + 1;
      }
    const most = Math.max(...votes);
    return { color: most > 0 ? colors[votes.indexOf(most)] : null, share: most / (2 * r + 1) ** 2 };
  }

  function onPage(page: Page, [lon, lat]: [number, number]) {
    return page.evaluate(
      ([lon, lat]) => {
        const map = window.__map;
        if (!map) throw new Error('no map');
        const p = map.project([lon, lat]);
        const box = map.getCanvas().getBoundingClientRect();
        return { x: box.left + p.x, y: box.top + p.y };
      },
      [lon, lat] as [number, number],
    );
  }

  it('shows the hot spots of the planner with the API’s clusters, counts and global Moran’s I', async () => {
    const lisa = await api<Lisa>(`/api/analysis/lisa?indicator=${INDICATOR}&level=quarter`);
    const opened: OpenedPage = await openPage(`${server.url}/?view=hotspots&ind=${INDICATOR}&level=quarter`, {
      viewport: { width: 1280, height: 800 },
      timeoutMs: 120_000,
    });
    try {
      const { page } = opened;
      const legend = page.locator(`.hot-spots[data-indicator="${INDICATOR}"]`);
      await opened.guard(legend.waitFor({ timeout: 120_000 }));
      // Per cluster the count the API gives, with its GeoDa colour as drawn.
      const rows = await legend.locator('.hot-spots__list li').evaluateAll((items) =>
        items.map((li) => ({
          cluster: li.getAttribute('data-cluster') ?? '',
          count: Number((li.querySelector('.hot-spots__count') as HTMLElement).innerText),
          color: getComputedStyle(li.querySelector('.hot-spots__swatch') as HTMLElement).backgroundColor,
        })),
      );
      expect(rows.map((r) => r.cluster)).toEqual(
        ['high-high', 'low-low', 'low-high', 'high-low', 'not-significant', 'island'].filter(
          (c) => c !== 'island' || lisa.counts.island > 0,
        ),
      );
      for (const r of rows) {
        expect(r.count, r.cluster).toBe(lisa.counts[r.cluster as keyof Lisa['counts']]);
        const hex = CLUSTER_COLORS[r.cluster as keyof typeof CLUSTER_COLORS];
        const rgb = [1, 3, 5].map((i) => Number.parseInt(hex.slice(i, i + 2), 16));
        expect(r.color).toBe(`rgb(${rgb.join(', ')})`);
      }
      const p = lisa.global.p_sim ?? lisa.global.p_normal;
      expect(clean(await legend.locator('.hot-spots__global').textContent())).toBe(
        fill(de['planner.hotspots.global'], {
          i: number(lisa.global.i, 3),
          expected: number(lisa.global.expected, 3),
          p: number(p, 3),
          permutations: number(lisa.permutations, 0),
        }),
      );
      await opened.guard(legend.locator('summary').click());
      expect(clean(await legend.locator('.hot-spots__explain').textContent())).toContain(
        `Mit ${lisa.n} Gebieten ist die Aussagekraft bescheiden`,
      );

      // The map: a hot spot drawn red, a not significant quarter grey, where the page's map puts them.
      await opened.guard(page.waitForSelector('.planner[data-ready="true"]', { timeout: 120_000 }));
      await page.evaluate(
        () => new Promise<void>((done) => requestAnimationFrame(() => requestAnimationFrame(() => done()))),
      );
      await opened.waitForMapIdle();
      const png = await opened.screenshot('hot-spots');
      const colors = Object.values(CLUSTER_COLORS);
      for (const cluster of ['high-high', 'not-significant'] as const) {
        const area = lisa.areas.find((a) => a.cluster === cluster);
        if (!area) throw new Error(`the API gives no ${cluster} quarter`);
        const label = quarters.features.find((f) => f.properties.code === area.code)?.properties.label;
        if (!label) throw new Error(`no label point for ${area.code}`);
        const { x, y } = await onPage(page, label);
        const drawn = colorAround(png, Math.round(x), Math.round(y), colors);
        expect(drawn.color, `${cluster} quarter ${area.code}`).toBe(CLUSTER_COLORS[cluster]);
        expect(drawn.share).toBeGreaterThan(0.3);
      }
    } finally {
      await opened.close();
    }
  });

  it('lists on a phone the quarters that would enter and leave, with the API’s margins and totals', async () => {
    const query = `indicators=${INDICATOR},${SUPPLY}&rule=top:13`;
    const body = await api<Designation>(`/api/analysis/designation?${query}`);
    const opened = await openPage(`${server.url}/council/qualify?ind=${INDICATOR},${SUPPLY}&rule=top:13`, {
      viewport: { width: 390, height: 844 },
      waitForMap: false,
      timeoutMs: 120_000,
    });
    try {
      const { page } = opened;
      await opened.guard(
        page.locator('.qualify-result[data-rule="top:13"] .qualify-table').waitFor({ timeout: 120_000 }),
      );
      const rows = await page.locator('.qualify-table tbody tr').evaluateAll((trs) =>
        trs.map((tr) => ({
          code: tr.getAttribute('data-code'),
          set: tr.getAttribute('data-set'),
          index: (tr.querySelector('[data-index]') as HTMLElement).innerText.trim(),
          margin: (tr.querySelector('[data-margin]') as HTMLElement).innerText.trim(),
        })),
      );
      const expected = (['entering', 'leaving', 'both'] as const).flatMap((set) =>
        body[set].map((q) => ({
          code: q.code,
          set,
          index: number(q.index, 2),
          margin: `${q.margin > 0 ? '+' : ''}${number(q.margin, 2)}`,
        })),
      );
      expect(rows).toEqual(expected);
      // The sizes of the sets, as the API counts them.
      for (const set of ['today', 'entering', 'leaving'] as const) {
        const cells = await page
          .locator(`.qualify-totals tr[data-set="${set}"] td`)
          .evaluateAll((tds) => tds.map((td) => (td as HTMLElement).innerText.trim()));
        const t = body.totals[set];
        expect(cells, set).toEqual(
          [t.areas, t.addresses, t.residents, t.residents_published, t.residents_modelled].map((x) => number(x, 0)),
        );
      }
      // The map's legend counts the sets too; the page fits the phone's width (the tables scroll in their box).
      for (const set of ['both', 'entering', 'leaving'] as const)
        expect(clean(await page.locator(`.map-legend li[data-set="${set}"]`).textContent())).toBe(
          `${de[`council.qualify.legend.${set}`]} (${body.totals[set].areas})`,
        );
      expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
      // Keyboard: the builder's first field takes the focus and the compute button is reachable.
      await page.locator('select[name="preset"]').focus();
      expect(await page.evaluate(() => document.activeElement?.getAttribute('name'))).toBe('preset');
      await opened.guard(page.locator('[data-picture="ready"]').waitFor({ timeout: 120_000 }));
      await page.locator('.council-map').scrollIntoViewIfNeeded();
      await opened.waitForMapIdle();
      const map = await page.locator('.council-map .maplibregl-canvas').boundingBox();
      if (!map) throw new Error('no map canvas');
      const png = await opened.screenshot('qualify-phone');
      // Each set drawn in its colour at its largest quarter (the map fits the whole city: small ones are a few
      // pixels wide on a phone).
      const largest = (codes: string[]) =>
        quarters.features
          .filter((f) => codes.includes(f.properties.code))
          .sort((a, b) => b.properties.area_km2 - a.properties.area_km2)[0];
      for (const set of ['both', 'entering', 'leaving'] as const) {
        const quarter = largest(body[set].map((q) => q.code));
        if (!quarter) continue;
        const label = quarter.properties.label;
        const { x, y } = await onPage(page, label);
        expect(x > map.x && x < map.x + map.width && y > map.y && y < map.y + map.height).toBe(true);
        const drawn = colorAround(png, Math.round(x), Math.round(y), Object.values(QUALIFY_COLORS), 4);
        expect(drawn.color, `${set} quarter ${quarter.properties.code}`).toBe(QUALIFY_COLORS[set]);
      }
      expect(body.entering.length + body.leaving.length).toBeGreaterThan(0);
    } finally {
      await opened.close();
    }
  });
});
