import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import type { PNG } from 'pngjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Db } from '../../server/db/index.ts';
import { readEnv } from '../../server/env.ts';
import type { CategoryList } from '../../server/routes/offers.ts';
import { type RunningServer, startServer } from '../../server/server.ts';
import type { AreaCollection, AreaDetail, SourceList, WebConfig } from '../../web/api/client.ts';
import type { Catalogue, Gaps, IndicatorValues, Profile } from '../../web/council/council-api.ts';
import { AREA_LINE, NUMBERED_FILL } from '../../web/council/council-layers.ts';
import { gapRows } from '../../web/council/selection.ts';
import { indicatorDecimals } from '../../web/format.ts';
import { translate } from '../../web/i18n/index.ts';
import { ar } from '../../web/i18n/messages/ar.ts';
import { de } from '../../web/i18n/messages/de.ts';
import { tr } from '../../web/i18n/messages/tr.ts';
import { basemapColors } from '../../web/map/basemap-colors.ts';
import { unitAfterValue } from '../../web/planner/text.ts';
import {
  ARTIFACTS_DIR,
  closeBrowser,
  countPixelsNear,
  ensureWebBuild,
  isColorNear,
  type OpenedPage,
  openPage,
  pixelAt,
  type Region,
} from '../support/browser.ts';
import { realDb } from '../support/db.ts';

/**
 * The council pages (issue #7) in Chromium against the real Dortmund data: every number on the page is compared
 * with the API's value, formatted as the page formats it. Software WebGL on two busy cores is slow, hence the
 * generous timeouts.
 */

/** GDAL's tools (gdal-bin, installed by npm test) open the GeoPackage downloads. */
const run = promisify(execFile);

const t = (key: Parameters<typeof translate>[1], params?: Parameters<typeof translate>[2]) =>
  translate('de', key, params);
/*
 * Expected numbers are written here with Intl directly, not with the page's formatters (web/format.ts,
 * web/council/figures.ts): a mistake there must show as a difference, not be made on both sides alike. The rules
 * are the council pages' own promise: German notation, the unit after a narrow no-break space, "–" for a missing
 * value, percentages and (in tables) nothing else with a unit.
 */
const NNBSP = '\u202f';
const number = (value: number, digits: number) =>
  new Intl.NumberFormat('de-DE', { minimumFractionDigits: digits, maximumFractionDigits: digits }).format(value);
/** Decimals: one number of decimals per unit on every page, the planner's (web/format.ts). */
const digitsFor = (unit: string) => indicatorDecimals(unit);
/** A table cell: the number, with "%" as its only unit. */
function formatCell(value: number | null, unit: string, _lang: 'de', digits: number): string {
  if (value === null || !Number.isFinite(value)) return '–';
  return unit === '%' ? `${number(value, digits)}${NNBSP}%` : number(value, digits);
}
/** A key figure: the number and its unit in German ("1 Stufe" in the singular). */
function formatFigure(value: number | null, unit: string, _lang: 'de', tr: typeof t, digits?: number): string {
  if (value === null || !Number.isFinite(value)) return '–';
  const after = unit === 'stages' && value === 1 ? tr('council.unit.stage') : unitAfterValue(unit, tr);
  const text = number(value, digits ?? digitsFor(unit));
  return after ? `${text}${NNBSP}${after}` : text;
}
/** A share of addresses as a whole percentage. */
const formatShare = (share: number, _lang: 'de') =>
  new Intl.NumberFormat('de-DE', { style: 'percent', maximumFractionDigits: 0 }).format(share);
/** Text as the page shows it, with white space collapsed (narrow no-break spaces kept). */
const clean = (text: string | null) => (text ?? '').replace(/[ \t\n]+/g, ' ').trim();

describe('council pages in Chromium', { timeout: 180_000 }, () => {
  let db: Db;
  let server: RunningServer;
  const api = async <T>(path: string): Promise<T> => {
    const res = await fetch(`${server.url}${path}`);
    expect(res.status, path).toBe(200);
    return (await res.json()) as T;
  };

  beforeAll(async () => {
    await ensureWebBuild();
    db = await realDb('postgres');
    server = await startServer({ db, env: readEnv({}) }, 0, '127.0.0.1');
  });

  afterAll(async () => {
    await closeBrowser();
    await server?.close();
    await db?.close();
  });

  /** The manifest's walking coverage rows of the comparison (via /api/config) that the action areas have values of. */
  async function walkingRows(): Promise<string[]> {
    const [{ council }, catalogue] = await Promise.all([
      api<WebConfig>('/api/config'),
      api<Catalogue>('/api/indicators'),
    ]);
    const present = new Set(
      catalogue.indicators
        .filter((i) => i.levels.some((l) => l.level === 'action-area' && l.with_value > 0))
        .map((i) => i.id),
    );
    return council.comparison.filter((id) => id.startsWith('coverage_walk_') && present.has(id));
  }

  /** Waits for the map and for the picture of it that the printout uses. */
  async function openCouncil(path: string, viewport = { width: 1280, height: 900 }): Promise<OpenedPage> {
    const opened = await openPage(`${server.url}${path}`, { viewport, timeoutMs: 90_000 });
    await opened.guard(opened.page.locator('[data-picture="ready"]').waitFor({ timeout: 90_000 }));
    return opened;
  }

  describe('overview /council', () => {
    let opened: OpenedPage;
    let areas: AreaCollection;
    beforeAll(async () => {
      areas = await api<AreaCollection>('/api/areas?level=action-area');
      opened = await openCouncil('/council');
    });
    afterAll(async () => {
      await opened?.close();
    });

    it('draws the action areas on the map over the basemap', async () => {
      const { page } = opened;
      const canvas = await page.locator('.council-map .maplibregl-canvas').boundingBox();
      if (!canvas) throw new Error('no map canvas');
      const png = await opened.screenshot('council-overview');
      expect(countPixelsNear(png, NUMBERED_FILL, 4, canvas)).toBeGreaterThan(2000);
      expect(countPixelsNear(png, basemapColors.land, 4, canvas)).toBeGreaterThan(canvas.width * canvas.height * 0.05);
    });

    it('has a card for each of the 15 areas, the two small unnumbered ones marked as such', async () => {
      const { page } = opened;
      expect(areas.features).toHaveLength(15);
      const cards = page.locator('.area-card');
      expect(await cards.count()).toBe(15);
      const unnumbered = areas.features.filter((f) => !f.properties.numbered).map((f) => f.properties.code);
      expect(unnumbered).toHaveLength(2);
      for (const code of unnumbered) {
        const card = page.locator(`.area-card[data-area="${code}"]`);
        expect(await card.getAttribute('class')).toContain('area-card--unnumbered');
        expect(clean(await card.locator('.area-card__badge').textContent())).toBe(de['council.card.unnumbered']);
      }
      // Numbered cards lead with their number.
      const first = areas.features.find((f) => f.properties.code === '022');
      expect(clean(await page.locator('.area-card[data-area="022"] h3').textContent())).toBe(
        `022 ${first?.properties.name}`,
      );
    });

    it('shows on every card the API’s values with their dates', async () => {
      const { page } = opened;
      const ids = await page
        .locator('.area-card[data-area="022"] [data-figure]')
        .evaluateAll((nodes) => nodes.map((n) => n.getAttribute('data-figure') ?? ''));
      expect(ids.length).toBeGreaterThanOrEqual(3);
      for (const id of ids) {
        const values = await api<IndicatorValues>(`/api/indicators/${id}/values?level=action-area`);
        const digits = digitsFor(values.indicator.unit);
        const rendered = await page.locator(`.area-card [data-figure="${id}"]`).evaluateAll((nodes) =>
          nodes.map((n) => ({
            code: n.closest('[data-area]')?.getAttribute('data-area') ?? '',
            value: n.querySelector('.figure-value')?.textContent ?? null,
            meta: n.querySelector('.figure-meta')?.textContent ?? '',
          })),
        );
        expect(rendered).toHaveLength(15);
        for (const r of rendered) {
          const v = values.values.find((x) => x.code === r.code);
          if (!v) throw new Error(`no value of ${id} for ${r.code}`);
          if (v.value === null) expect(r.value).toBeNull();
          else expect(r.value, `${id} ${r.code}`).toBe(formatFigure(v.value, values.indicator.unit, 'de', t, digits));
          if (v.reference_date) expect(r.meta).toContain(v.reference_date.slice(0, 4));
          expect(r.meta).toMatch(/\[\d/);
        }
      }
    });

    it('compares all action areas with the rest of the city as the analysis API does', async () => {
      const { page } = opened;
      const rows = page.locator('.council-table--comparison tbody tr');
      expect(await rows.count()).toBeGreaterThan(3);
      const id = (await rows.first().getAttribute('data-indicator')) as string;
      const catalogue = await api<Catalogue>('/api/indicators');
      const unit = catalogue.indicators.find((i) => i.id === id)?.unit ?? '';
      const gaps = await api<Gaps>(`/api/analysis/gaps?need=${id}&supply=${id}&level=action-area`);
      const c = gaps.action_areas.comparison.need;
      const digits = digitsFor(unit);
      const cells = await rows.first().locator('td[data-column]').allTextContents();
      expect(cells).toEqual([c.inside, c.rest, c.city_value].map((v) => formatCell(v, unit, 'de', digits)));
      // The walking coverage rows (issue 16), all action areas against the rest of the city.
      const walking = await walkingRows();
      expect(walking.length).toBeGreaterThan(0);
      for (const walk of walking) {
        const answer = await api<Gaps>(`/api/analysis/gaps?need=${walk}&supply=${walk}&level=action-area`);
        const w = answer.action_areas.comparison.need;
        const shown = await page
          .locator(`.council-table--comparison tr[data-indicator="${walk}"] td[data-column]`)
          .allTextContents();
        expect(shown.slice(0, 2), walk).toEqual(
          [w.inside, w.rest].map((v) => `${number(v as number, digitsFor('%'))}${NNBSP}%`),
        );
      }
    });

    it('ranks the 13 numbered action areas by the chosen indicator and sorts by any column', async () => {
      const { page } = opened;
      const table = page.locator('.council-table--ranking');
      const rowCodes = () =>
        table.locator('tbody tr').evaluateAll((rows) => rows.map((r) => r.getAttribute('data-area')));
      const numbered = areas.features
        .filter((f) => f.properties.numbered)
        .map((f) => f.properties.code)
        .sort();
      expect(numbered).toHaveLength(13);

      const indicator = 'coverage_childcare_500m';
      await page.selectOption('select[name="indicator"]', indicator);
      await opened.guard(page.locator(`.council-table--ranking[data-indicator="${indicator}"]`).waitFor());
      expect(new URL(page.url()).searchParams.get('indicator')).toBe(indicator);

      const values = await api<IndicatorValues>(`/api/indicators/${indicator}/values?level=action-area`);
      const ranked = values.values.filter((v) => numbered.includes(v.code));
      const digits = digitsFor(values.indicator.unit);
      const byValue = [...ranked].sort((a, b) => (b.value ?? -1) - (a.value ?? -1) || a.code.localeCompare(b.code));
      expect([...(await rowCodes())].sort()).toEqual(numbered);
      expect(await rowCodes()).toEqual(byValue.map((v) => v.code));
      const shown = await table.locator('tbody td[data-value]').allTextContents();
      expect(shown).toEqual(byValue.map((v) => formatCell(v.value, values.indicator.unit, 'de', digits)));
      expect(await table.locator('th[aria-sort="descending"] [data-sort="value"]').count()).toBe(1);

      // The same column again: ascending.
      await page.locator('[data-sort="value"]').click();
      expect(await rowCodes()).toEqual(
        [...ranked]
          .sort((a, b) => (a.value ?? 1e9) - (b.value ?? 1e9) || a.code.localeCompare(b.code))
          .map((v) => v.code),
      );
      expect(await table.locator('th[aria-sort="ascending"] [data-sort="value"]').count()).toBe(1);

      // By number, and by name backwards.
      await page.locator('[data-sort="code"]').click();
      expect(await rowCodes()).toEqual(numbered);
      await page.locator('[data-sort="name"]').click();
      await page.locator('[data-sort="name"]').click();
      const names = new Map(areas.features.map((f) => [f.properties.code, f.properties.name]));
      const collator = new Intl.Collator('de-DE', { numeric: true, sensitivity: 'base' });
      expect(await rowCodes()).toEqual(
        [...numbered].sort((a, b) => collator.compare(names.get(b) ?? '', names.get(a) ?? '')),
      );
      expect(await table.locator('th[aria-sort]:not([aria-sort="none"])').count()).toBe(1);
      await opened.screenshot('council-ranking');
    });

    it('opens an action area from its card', async () => {
      const { page } = opened;
      await page.locator('.area-card[data-area="022"] h3 a').click();
      await opened.guard(page.waitForURL(/\/council\/022$/));
      await opened.guard(page.locator('h1', { hasText: 'Nordmarkt' }).waitFor());
    });
  });

  describe('Aktionsraum 022 Nordmarkt', () => {
    let opened: OpenedPage;
    let profile: Profile;
    let detail: AreaDetail;
    beforeAll(async () => {
      profile = await api<Profile>('/api/areas/action-area/022/profile');
      detail = await api<AreaDetail>('/api/areas/action-area/022');
      opened = await openCouncil('/council/022');
    });
    afterAll(async () => {
      await opened?.close();
    });

    const indicator = (id: string) => {
      const found = profile.indicators.find((i) => i.id === id);
      if (!found) throw new Error(`the profile has no ${id}`);
      return found;
    };

    it('names the area, its district, its quarters and sub-quarters', async () => {
      const { page } = opened;
      expect(clean(await page.locator('h1').textContent())).toBe('Nordmarkt');
      expect(await page.title()).toContain('022 Nordmarkt');
      expect(clean(await page.locator('.council-head__kicker').textContent())).toBe('Aktionsraum 022');
      if (detail.parent) expect(await page.locator('.council-head__meta').textContent()).toContain(detail.parent.name);
      const members = clean(await page.locator('.members').textContent());
      for (const child of detail.children) expect(members).toContain(child.code);
      for (const quarter of detail.children.filter((c) => c.level === 'quarter')) {
        expect(members).toContain(`${quarter.code} ${quarter.name}`);
        expect(members).toContain(formatShare(quarter.address_share ?? Number.NaN, 'de'));
      }
    });

    it('shows the key figures with the API’s values, city values, ranks and dates', async () => {
      const { page } = opened;
      const shown = await page
        .locator('.key-figure')
        .evaluateAll((nodes) => nodes.map((n) => n.getAttribute('data-figure') ?? ''));
      // The manifest's choice of key figures (via /api/config), those the area has, in that order.
      const { council } = await api<WebConfig>('/api/config');
      expect(council.keyFigures.length).toBeGreaterThan(0);
      expect(shown).toEqual(council.keyFigures.filter((id) => profile.indicators.some((i) => i.id === id)));
      for (const id of shown) {
        const ind = indicator(id);
        const figure = page.locator(`.key-figure[data-figure="${id}"]`);
        const digits = digitsFor(ind.unit);
        expect(clean(await figure.locator('.key-figure__value').textContent()), id).toBe(
          ind.value === null ? de['council.figure.missing'] : formatFigure(ind.value, ind.unit, 'de', t, digits),
        );
        const context = clean(await figure.locator('.key-figure__context').textContent());
        expect(context).toContain(formatFigure(ind.city.value, ind.unit, 'de', t, digits));
        if (ind.rank) expect(context).toContain(`Rang ${ind.rank.position} von ${ind.rank.of}`);
        const meta = clean(await figure.locator('.key-figure__meta').textContent());
        if (ind.reference_date) expect(meta).toContain(ind.reference_date.slice(0, 4));
        expect(meta).toContain(de[`council.method.${ind.method}`]);
        expect(meta).toMatch(/\[\d/);
      }
      // The population the page leads with is the API's, published or modelled as the API says, with its date.
      const residents = await api<IndicatorValues>('/api/indicators/residents/values?level=action-area');
      const own = residents.values.find((v) => v.code === '022');
      if (!own || own.value === null) throw new Error('the API has no population for action area 022');
      const population = page.locator('.key-figure[data-figure="residents"]');
      const popDigits = digitsFor('persons');
      expect(clean(await population.locator('.key-figure__value').textContent())).toBe(
        formatFigure(own.value, 'persons', 'de', t, popDigits),
      );
      const popMeta = clean(await population.locator('.key-figure__meta').textContent());
      expect(popMeta).toContain(de[`council.method.${own.method ?? 'modelled'}`]);
      if (own.reference_date) expect(popMeta).toContain(own.reference_date.slice(0, 4));
      else expect(popMeta).toContain(de['council.figure.undated']);
    });

    it('compares its indicators with the rest of the city and the whole city', async () => {
      const { page } = opened;
      const rows = page.locator('.council-table--comparison tbody tr');
      const ids = await rows.evaluateAll((list) => list.map((r) => r.getAttribute('data-indicator') ?? ''));
      expect(ids.length).toBeGreaterThan(3);
      for (const id of ids) {
        const ind = indicator(id);
        const gaps = await api<Gaps>(`/api/analysis/gaps?need=${id}&supply=${id}&level=action-area`);
        const rest = gaps.action_areas.comparison.need.rest;
        const digits = digitsFor(ind.unit);
        const cells = await page
          .locator(`.council-table--comparison tr[data-indicator="${id}"] td[data-column]`)
          .allTextContents();
        expect(cells, id).toEqual([ind.value, rest, ind.city.value].map((v) => formatCell(v, ind.unit, 'de', digits)));
      }
      // Walking coverage (issue 16): the manifest's walking rows that the action areas have, in its order, each with
      // the area's value and the rest of the city's as the API gives them.
      const walking = await walkingRows();
      expect(walking.length).toBeGreaterThan(0);
      expect(ids.filter((id) => id.startsWith('coverage_walk_'))).toEqual(walking);
      for (const id of walking) {
        const ind = indicator(id);
        expect(ind.unit, id).toBe('%');
        expect(ind.value, id).not.toBeNull();
        const gaps = await api<Gaps>(`/api/analysis/gaps?need=${id}&supply=${id}&level=action-area`);
        const row = page.locator(`.council-table--comparison tr[data-indicator="${id}"]`);
        const [inside, rest] = await row.locator('td[data-column]').allTextContents();
        const digits = digitsFor('%');
        expect(inside, id).toBe(`${number(ind.value as number, digits)}${NNBSP}%`);
        expect(rest, id).toBe(`${number(gaps.action_areas.comparison.need.rest as number, digits)}${NNBSP}%`);
        expect(clean(await row.locator('th').first().textContent()), id).toContain(ind.title.de);
      }
    });

    it('lists the offers per category and per 1,000 residents', async () => {
      const { page } = opened;
      expect(await page.locator('.council-table--offers tbody tr').count()).toBe(profile.offers.length);
      for (const o of profile.offers) {
        const digits = digitsFor(indicator(`offers_${o.category.replace(/-/g, '_')}_per_1000_residents`).unit);
        const row = page.locator(`.council-table--offers tr[data-category="${o.category}"]`);
        expect(await row.locator('[data-measure="count"]').textContent()).toBe(formatCell(o.count, '', 'de', 0));
        expect(await row.locator('[data-measure="per1000"]').textContent()).toBe(
          formatCell(o.per_1000_residents, '', 'de', digits),
        );
      }
      // A category the data cover too thinly says so, with the API's reason, beside its name.
      const { categories } = await api<CategoryList>('/api/offers/categories');
      let marked = 0;
      for (const o of profile.offers) {
        const incomplete = categories.find((c) => c.code === o.category)?.incomplete ?? null;
        const row = page.locator(`.council-table--offers tr[data-category="${o.category}"]`);
        expect(await row.getAttribute('data-incomplete'), o.category).toBe(incomplete ? '' : null);
        if (!incomplete) continue;
        marked++;
        expect(await row.locator('th').textContent()).toContain(incomplete.de);
      }
      expect(marked).toBeGreaterThan(0);
    });

    it('shows the coverage gaps: the share of addresses beyond 500 m of each kind of offer', async () => {
      const { page } = opened;
      const rows = gapRows(profile, 500);
      expect(rows.map((r) => r.target)).toEqual(expect.arrayContaining(['childcare', 'school_primary']));
      const digits = digitsFor('%');
      for (const r of rows) {
        const coverage = profile.coverage.find((c) => c.target === r.target)?.radii.find((x) => x.radius_m === 500);
        expect(r.beyond).toBeCloseTo(100 - (coverage?.value ?? Number.NaN), 6);
        const row = page.locator(`.council-table--gaps tr[data-target="${r.target}"]`);
        expect(await row.locator('[data-measure="beyond"]').textContent()).toBe(
          formatCell(r.beyond, '%', 'de', digits),
        );
        expect(await row.locator('[data-measure="city-beyond"]').textContent()).toBe(
          formatCell(r.cityBeyond, '%', 'de', digits),
        );
      }
    });

    it('numbers its sources, and every reference on the page points to one of them', async () => {
      const { page } = opened;
      const entries = await page.locator('#area-sources .source-list li').count();
      expect(entries).toBeGreaterThanOrEqual(4);
      const refs = await page
        .locator('.council-ref')
        .evaluateAll((links) => links.map((a) => ({ href: a.getAttribute('href') ?? '', text: a.textContent ?? '' })));
      expect(refs.length).toBeGreaterThan(30);
      for (const ref of refs) {
        expect(ref.text).toMatch(/^\[\d+(–\d+)?(, \d+(–\d+)?)*\]$/);
        expect(await page.locator(ref.href).count(), ref.href).toBe(1);
      }
      const sources = clean(await page.locator('#area-sources .source-list').textContent());
      expect(sources).toContain('Stadt Dortmund');
      expect(sources).toContain('Lizenz');
      // Every figure of the page's tables cites a source.
      const uncited = await page
        .locator('.council-table tbody tr')
        .evaluateAll((rows) => rows.filter((r) => !r.querySelector('.council-ref')).length);
      expect(uncited).toBe(0);
    });

    it('prints on A4 with map, key figures and sources, and none of the app’s chrome', async () => {
      const { page } = opened;
      await page.emulateMedia({ media: 'print' });
      try {
        for (const selector of [
          '.app-header',
          '.app-nav',
          'select[name="lang"]',
          '.council-back',
          '.council-toolbar',
        ]) {
          expect(await page.locator(selector).isVisible(), selector).toBe(false);
        }
        const buttons = await page
          .locator('button')
          .evaluateAll((list) => list.filter((b) => b.checkVisibility()).length);
        expect(buttons).toBe(0);
        expect(await page.locator('.council-map__live').isVisible()).toBe(false);

        const picture = page.locator('.council-map__picture');
        expect(await picture.isVisible()).toBe(true);
        const box = await picture.boundingBox();
        expect(box?.width).toBeGreaterThan(400);
        expect(box?.height).toBeGreaterThan(150);
        // The picture is the map as drawn: basemap land and the area's outline, not a blank canvas.
        const png = await opened.screenshot('council-022-print-media');
        if (!box) throw new Error('no picture');
        expect(countPixelsNear(png, basemapColors.land, 6, box)).toBeGreaterThan(box.width * box.height * 0.05);
        expect(countPixelsNear(png, '#1d5f8a', 40, box)).toBeGreaterThan(200);

        expect(await page.locator('.key-figures').isVisible()).toBe(true);
        expect(await page.locator('.key-figure').count()).toBeGreaterThan(3);
        expect(await page.locator('#area-sources .source-list').isVisible()).toBe(true);

        const pdf = await page.pdf({ path: join(ARTIFACTS_DIR, 'council-022.pdf'), preferCSSPageSize: true });
        const text = pdf.toString('latin1');
        const pages = text.match(/\/Type\s*\/Page(?![a-zA-Z])/g)?.length ?? 0;
        expect(pages).toBeGreaterThanOrEqual(1);
        // Two pages until the walking coverage joined the comparison (issue 16); a fresh page prints on two, this
        // one, after the tests before it, on three.
        expect(pages).toBeLessThanOrEqual(3);
        expect(readFileSync(join(ARTIFACTS_DIR, 'council-022.pdf')).subarray(0, 5).toString()).toBe('%PDF-');
      } finally {
        await page.emulateMedia({ media: 'screen' });
      }
    });

    it('presents one section per screen and moves with the keyboard', async () => {
      const { page } = opened;
      const visibleSections = () =>
        page
          .locator('.council-section')
          .evaluateAll((list) => list.filter((s) => s.checkVisibility()).map((s) => s.id));
      await page.getByRole('button', { name: de['council.present.start'] }).click();
      await opened.guard(page.locator('.presentation-bar').waitFor());
      expect(await page.locator('.app-header').isVisible()).toBe(false);
      expect(await visibleSections()).toEqual(['area-location']);
      expect(await page.evaluate(() => document.activeElement?.id)).toBe('area-location-title');

      await page.keyboard.press('ArrowRight');
      expect(await visibleSections()).toEqual(['area-key-figures']);
      const size = await page
        .locator('.key-figure__number')
        .first()
        .evaluate((n) => Number.parseFloat(getComputedStyle(n).fontSize));
      expect(size).toBeGreaterThan(40);
      await opened.screenshot('council-022-present');

      await page.keyboard.press('End');
      expect(await visibleSections()).toEqual(['area-sources']);
      await page.keyboard.press('ArrowRight');
      expect(await visibleSections()).toEqual(['area-sources']);
      // Back through the parts of the sources (a list taller than the screen is split into slides), then the gaps.
      for (let i = 0; i < 10 && (await visibleSections())[0] === 'area-sources'; i++)
        await page.keyboard.press('PageUp');
      expect(await visibleSections()).toEqual(['area-gaps']);
      await page.keyboard.press('Home');
      expect(await visibleSections()).toEqual(['area-location']);

      await page.keyboard.press('Escape');
      await opened.guard(page.locator('.presentation-bar').waitFor({ state: 'detached' }));
      expect(await page.locator('.app-header').isVisible()).toBe(true);
      expect((await visibleSections()).length).toBeGreaterThanOrEqual(6);
    });

    it('downloads the area as CSV, GeoJSON and GeoPackage, each with its sources’ attribution (issue 17)', async () => {
      const { page } = opened;
      const details = page.locator('.all-details');
      await details.locator('summary').click();
      const downloads = page.locator('[data-downloads="022"]');
      await opened.guard(downloads.waitFor());
      const dir = mkdtempSync(join(tmpdir(), 'council-downloads-'));
      /** Clicks the first download of `kind` and saves the file under the name the page gives it. */
      const save = async (kind: string) => {
        const download = page.waitForEvent('download');
        await downloads.locator(`[data-download="${kind}"]`).first().click();
        const file = await opened.guard(download);
        expect(file.suggestedFilename()).toMatch(new RegExp(`022\\.${kind === 'csv' ? 'csv' : kind}$`));
        const path = join(dir, file.suggestedFilename());
        await file.saveAs(path);
        return path;
      };
      // CSV: the attribution as comment lines, then a header and one row per indicator of the area.
      const lines = readFileSync(await save('csv'), 'utf8')
        .replace(/^\uFEFF/, '')
        .trimEnd()
        .split('\r\n');
      const comments = lines.filter((line) => /^"?# /.test(line));
      expect(lines.slice(0, comments.length)).toEqual(comments);
      expect(comments.join('\n')).toMatch(/Lizenz: .*https?:\/\//);
      expect(lines.length - comments.length).toBe(1 + profile.indicators.length);
      // GeoJSON: the one area, with the attribution its sources require.
      const geo = JSON.parse(readFileSync(await save('geojson'), 'utf8')) as {
        features: { id: string; properties: Record<string, unknown> }[];
        attribution: string[];
      };
      expect(geo.features.map((f) => f.id)).toEqual(['022']);
      expect(geo.attribution.join('\n')).toMatch(/Licence: /);
      // GeoPackage: GDAL opens it, one feature with the GeoJSON's values, the attribution in its metadata.
      const gpkg = await save('gpkg');
      const { stdout: info, stderr } = await run('ogrinfo', ['-ro', '-so', '-al', gpkg]);
      expect(stderr).toBe('');
      expect(info).toMatch(/Feature Count: 1\b/);
      expect(info).toMatch(/ID\["EPSG",4326\]/);
      const { stdout } = await run('ogr2ogr', ['-f', 'GeoJSON', '/vsistdout/', gpkg], { maxBuffer: 16 * 1024 * 1024 });
      const [feature] = (JSON.parse(stdout) as { features: { properties: Record<string, unknown> }[] }).features;
      expect(feature?.properties).toMatchObject(geo.features[0]?.properties as Record<string, unknown>);
      const metadata = (await run('ogrinfo', ['-ro', '-q', gpkg, '-sql', 'SELECT metadata FROM gpkg_metadata'])).stdout;
      for (const line of geo.attribution) expect(metadata).toContain(line);
      await details.locator('summary').click();
      rmSync(dir, { recursive: true, force: true });
    });

    it('made no request to any other origin and had no page or console error', () => {
      expect(opened.externalRequests).toEqual([]);
      opened.assertClean();
    });
  });

  describe('handouts, presentations and languages (issue 20)', () => {
    /** The bounds of the pixels near `color` in `region`, as shares of the region (0 to 1). */
    function extentOf(png: PNG, color: string, region: Region) {
      let [x0, y0, x1, y1] = [1, 1, 0, 0];
      for (let y = Math.floor(region.y); y < region.y + region.height; y++)
        for (let x = Math.floor(region.x); x < region.x + region.width; x++) {
          if (x < 0 || y < 0 || x >= png.width || y >= png.height) continue;
          if (!isColorNear(pixelAt(png, x, y), color, 30)) continue;
          const [fx, fy] = [(x - region.x) / region.width, (y - region.y) / region.height];
          [x0, y0, x1, y1] = [Math.min(x0, fx), Math.min(y0, fy), Math.max(x1, fx), Math.max(y1, fy)];
        }
      return { width: Math.max(0, x1 - x0), height: Math.max(0, y1 - y0) };
    }

    it('prints with the browser’s own command the map as it is now, boundary and points, right after a change', async () => {
      // The map drawn whole (boundary and points), and a picture of it taken; then the reader zooms out and prints
      // at once: the page's pictures come a moment apart, so only the print's own picture can show this view.
      const opened = await openCouncil('/council/022');
      const { page } = opened;
      try {
        const detail = await api<AreaDetail>('/api/areas/action-area/022');
        // Zoom out, and print as soon as the map has drawn the new view (Ctrl+P fires beforeprint). Where the
        // area's bounds fall on the live map, as shares of its width and height, is what the paper must show.
        const onScreen = await opened.guard(
          page.evaluate(
            ([w, s, e, n]) =>
              new Promise<{ width: number; height: number }>((done) => {
                const map = window.__map;
                if (!map) throw new Error('no map on this page');
                map.once('render', () => {
                  const { clientWidth, clientHeight } = map.getContainer();
                  const [nw, se] = [map.project([w, n]), map.project([e, s])];
                  window.dispatchEvent(new Event('beforeprint'));
                  done({ width: (se.x - nw.x) / clientWidth, height: (se.y - nw.y) / clientHeight });
                });
                map.jumpTo({ zoom: map.getZoom() - 1.5 });
              }),
            detail.bbox,
          ),
        );
        expect(onScreen.width).toBeGreaterThan(0.05);
        expect(onScreen.width).toBeLessThan(0.7);

        await page.emulateMedia({ media: 'print' });
        const picture = page.locator('.council-map__picture');
        expect(await picture.isVisible()).toBe(true);
        const box = await picture.boundingBox();
        if (!box) throw new Error('no picture');
        const paper = await opened.screenshot('council-022-ctrl-p');
        // Not blank: basemap land, the area's boundary and the offers' points.
        expect(countPixelsNear(paper, basemapColors.land, 6, box)).toBeGreaterThan(box.width * box.height * 0.05);
        expect(countPixelsNear(paper, AREA_LINE, 40, box)).toBeGreaterThan(50);
        const onPaper = extentOf(paper, AREA_LINE, box);
        // The view of the moment of printing: the boundary spans the share of the picture the area spans live.
        expect(Math.abs(onPaper.width - onScreen.width)).toBeLessThan(0.08);
        expect(Math.abs(onPaper.height - onScreen.height)).toBeLessThan(0.08);
      } finally {
        await page.emulateMedia({ media: 'screen' });
        await opened.close();
      }
    });

    it('shows on its print button that it is preparing the print', async () => {
      const opened = await openPage(`${server.url}/council/022`, { timeoutMs: 90_000 });
      const { page } = opened;
      await page.evaluate(() => {
        const w = window as unknown as { print: () => void; printed: { busy: string | null; text: string }[] };
        w.printed = [];
        w.print = () => {
          const button = [...document.querySelectorAll('.council-toolbar button')].at(-1);
          w.printed.push({ busy: button?.getAttribute('aria-busy') ?? null, text: button?.textContent ?? '' });
        };
      });
      await page.getByRole('button', { name: de['council.print'] }).click();
      await opened.guard(page.waitForFunction(() => (window as unknown as { printed: unknown[] }).printed.length > 0));
      const printed = await page.evaluate(() => (window as unknown as { printed: unknown[] }).printed);
      expect(printed).toEqual([{ busy: 'true', text: de['council.print.preparing'] }]);
      // Afterwards the button is itself again.
      await opened.guard(page.getByRole('button', { name: de['council.print'] }).waitFor());
      await opened.close();
    });

    for (const [lang, viewport] of [
      ['de', { width: 1280, height: 720 }],
      ['de', { width: 1920, height: 1080 }],
      ['ar', { width: 1280, height: 720 }],
    ] as const) {
      it(`presents every slide within a ${viewport.width} × ${viewport.height} screen, named after the area, every row reachable (${lang})`, async () => {
        const detail = await api<AreaDetail>('/api/areas/action-area/022');
        const opened = await openPage(`${server.url}/council/022?lang=${lang}`, { viewport, timeoutMs: 90_000 });
        const { page } = opened;
        const start = lang === 'de' ? de['council.present.start'] : translate('en', 'council.present.start');
        await page.getByRole('button', { name: start }).click();
        await opened.guard(page.locator('.presentation-bar').waitFor());
        const seen = new Map<string, Set<number>>();
        const rowCounts = new Map<string, number>();
        for (let step = 0; step < 60; step++) {
          await page.waitForTimeout(250); // the slide is measured after it comes up
          const slide = await page.evaluate(() => {
            const section = [...document.querySelectorAll<HTMLElement>('.council-section')].find((s) => !s.hidden);
            const body = section?.querySelector<HTMLElement>('.slide-body');
            const bar = document.querySelector('.presentation-bar')?.getBoundingClientRect();
            if (!section || !body || !bar) return null;
            const b = body.getBoundingClientRect();
            const rows = [...section.querySelectorAll<HTMLElement>('tbody tr, li')];
            return {
              id: section.id,
              area: section.querySelector('.slide-area')?.textContent ?? '',
              top: section.getBoundingClientRect().top,
              bottom: b.bottom,
              barTop: bar.top,
              rows: rows.length,
              visible: rows.flatMap((r, i) => {
                const rect = r.getBoundingClientRect();
                return rect.height > 0 && rect.top >= b.top - 1 && rect.bottom <= b.bottom + 1 ? [i] : [];
              }),
              last: (document.querySelector('.presentation-bar button:nth-of-type(2)') as HTMLButtonElement).disabled,
            };
          });
          if (!slide) throw new Error('no slide shown');
          expect(slide.area, slide.id).toBe(`022 ${detail.name}`);
          expect(slide.top, slide.id).toBeGreaterThanOrEqual(0);
          expect(slide.bottom, `${slide.id} ends below the screen`).toBeLessThanOrEqual(slide.barTop + 1);
          rowCounts.set(slide.id, slide.rows);
          const set = seen.get(slide.id) ?? new Set<number>();
          for (const i of slide.visible) set.add(i);
          seen.set(slide.id, set);
          if (step === 0) await opened.screenshot(`council-022-present-${lang}-${viewport.width}`);
          if (slide.last) break;
          await page.keyboard.press('ArrowRight');
        }
        expect([...seen.keys()]).toEqual([
          'area-location',
          'area-key-figures',
          'area-comparison',
          'area-offers',
          'area-gaps',
          'area-sources',
        ]);
        // Every row and list entry was wholly on the screen on one of the slides.
        for (const [id, count] of rowCounts) expect(seen.get(id)?.size, id).toBe(count);
        await page.keyboard.press('Escape');
        await opened.close();
      });
    }

    it('shows German source lines without working notes, and the method of every indicator it shows', async () => {
      const opened = await openPage(`${server.url}/council/022`, { timeoutMs: 90_000 });
      const { page } = opened;
      const sources = clean(await page.locator('#area-sources .source-list').textContent());
      expect(sources).not.toMatch(/to be confirmed|to be verified|probable|GPL|secondary sources/i);
      expect(sources).not.toMatch(/\b(the|and|of|from|with|contributors|computed|published|points of interest)\b/i);
      const { sources: list } = await api<SourceList>('/api/sources');
      const cited = list.filter((s) => sources.includes(s.shown.de.title));
      expect(cited.length).toBeGreaterThan(2);
      for (const s of cited) expect(sources).toContain(`${de['council.sources.licence']}: ${s.shown.de.licence}`);
      // The method descriptions the page refers to are on it: one per indicator shown, as the catalogue words it.
      const catalogue = await api<Catalogue>('/api/indicators');
      const shown = await page
        .locator('.key-figure')
        .evaluateAll((nodes) => nodes.map((n) => n.getAttribute('data-figure') ?? ''));
      const methods = page.locator('#area-022-methods');
      await methods.locator('summary').click();
      const text = clean(await methods.textContent());
      for (const id of shown) {
        const note = catalogue.indicators.find((i) => i.id === id)?.method_note.de ?? '';
        expect(text, id).toContain(clean(note));
      }
      await opened.close();
    });

    it('writes every rank in the same form: "Rang x von N"', async () => {
      const opened = await openPage(`${server.url}/council/022`, { timeoutMs: 90_000 });
      const ranks = await opened.page.locator('.key-figure__rank, .council-rank').allTextContents();
      await opened.close();
      const overview = await openPage(`${server.url}/council`, { timeoutMs: 90_000 });
      const table = await overview.page.locator('.council-rank').allTextContents();
      await overview.close();
      const form = /^Rang \d+ von \d+$/;
      const written = [...ranks, ...table].map((r) => clean(r.replace(/^\s*·/, ''))).filter((r) => r !== '–');
      expect(written.filter((r) => /\d/.test(r)).length).toBeGreaterThan(10);
      for (const r of written.filter((x) => /\d/.test(x))) expect(r).toMatch(form);
    });

    for (const lang of ['ar', 'tr'] as const) {
      it(`says once, at the top, that it falls back to English, and writes numbers and dates in English (${lang})`, async () => {
        const opened = await openPage(`${server.url}/council/022?lang=${lang}`, { timeoutMs: 90_000 });
        const { page } = opened;
        const notices = page.locator('.fallback-notice');
        expect(await notices.count()).toBe(1);
        const own = (lang === 'ar' ? ar : tr)['fallback.notice'] ?? '';
        expect(clean(await notices.textContent())).toBe(own);
        const [notice, heading] = [await notices.boundingBox(), await page.locator('h1').boundingBox()];
        expect(notice && heading && notice.y < heading.y).toBe(true);
        // The screen itself is English throughout: English words, English number and date formats.
        const body = clean(await page.locator('.council').textContent());
        expect(body).not.toMatch(/[\u0600-\u06ff]/);
        expect(body).toContain(translate('en', 'council.section.keyFigures'));
        const profile = await api<Profile>('/api/areas/action-area/022/profile');
        const index = profile.indicators.find((i) => i.id === 'school_social_index_nearest_primary');
        if (!index || index.value === null) throw new Error('no school social index for 022');
        const value = clean(
          await page
            .locator('.key-figure[data-figure="school_social_index_nearest_primary"] .key-figure__value')
            .textContent(),
        );
        const digits = digitsFor(index.unit);
        expect(value).toContain(
          new Intl.NumberFormat('en-GB', { minimumFractionDigits: digits, maximumFractionDigits: digits }).format(
            index.value,
          ),
        );
        await opened.screenshot(`council-022-fallback-${lang}`);
        await opened.close();
      });
    }
  });

  it('says so when there is no action area with the code, without asking the API for it', async () => {
    const opened = await openPage(`${server.url}/council/999`, { waitForMap: false });
    const { page } = opened;
    await opened.guard(page.locator('h1', { hasText: de['council.notFound.title'] }).waitFor());
    expect(opened.requests.some((url) => url.includes('/api/areas/action-area/999'))).toBe(false);
    await opened.close();
  });

  it('speaks English on request', async () => {
    const opened = await openCouncil('/council/022?lang=en');
    const { page } = opened;
    expect(clean(await page.locator('.council-head__kicker').textContent())).toBe('Action area 022');
    expect(clean(await page.locator('#area-key-figures-title').textContent())).toBe('Key figures');
    await opened.close();
  });
});
