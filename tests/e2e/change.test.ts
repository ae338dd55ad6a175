import type { Page } from 'playwright-core';
import type { PNG } from 'pngjs';
import { describe, expect, it } from 'vitest';
import type { AreaCollection } from '../../server/routes/areas.ts';
import type { IndicatorChange } from '../../web/api/client.ts';
import { changeColors } from '../../web/planner/change.ts';
import { useAppServer } from '../support/app-server.ts';
import { isColorNear, type OpenedPage, openPage, pixelAt } from '../support/browser.ts';

/**
 * Issue 15 in Chromium against the real data package: the planner's change view of the published quarter
 * populations, one page load: the legend names the API's two dates and counts per class, and the map draws a
 * rising and a falling quarter in their classes' colours. Expected values come from the API, never typed in.
 */

const INDICATOR = 'population';

describe('the change map in Chromium', { timeout: 300_000 }, () => {
  const server = useAppServer();

  const { api } = server;

  function colorAround(png: PNG, x: number, y: number, colors: string[], r = 10) {
    const votes = colors.map(() => 0);
    for (let dy = -r; dy <= r; dy++)
      for (let dx = -r; dx <= r; dx++) {
        const i = colors.findIndex((c) => isColorNear(pixelAt(png, x + dx, y + dy), c, 3));
        if (i >= 0) votes[i] = (votes[i] ?? 0) + 1;
      }
    const most = Math.max(...votes);
    return { index: most > 0 ? votes.indexOf(most) : -1, share: most / (2 * r + 1) ** 2 };
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

  it('shows the change between the earliest and the newest date, classed about zero, on legend and map, steps through the dates and draws an area’s time series, and a council page names a key figure’s change', async () => {
    const change = await api<IndicatorChange>(`/api/indicators/${INDICATOR}/change?level=quarter`);
    const quarters = await api<AreaCollection>('/api/areas?level=quarter');
    const opened: OpenedPage = await openPage(`${server.url}/?view=change&ind=${INDICATOR}&level=quarter`, {
      viewport: { width: 1280, height: 800 },
      timeoutMs: 120_000,
    });
    try {
      const { page } = opened;
      const legend = page.locator(`.change-legend[data-from="${change.from}"][data-to="${change.to}"]`);
      await opened.guard(legend.waitFor({ timeout: 120_000 }));
      // One row per class, each with the API's count of areas in it.
      const counts = await legend
        .locator('.change-legend__classes li')
        .evaluateAll((items) => items.map((li) => Number(/\((\d+)\)\s*$/.exec(li.textContent ?? '')?.[1])));
      expect(counts).toEqual(
        change.classification.breaks.map((_, i) => change.values.filter((v) => v.class === i).length),
      );
      // Both dates are chosen in the selects: the earliest and the newest are the defaults.
      expect(await page.locator('#change-since').inputValue()).toBe('');
      expect(await page.locator('#change-to').inputValue()).toBe('');

      await opened.guard(page.waitForSelector('.planner[data-ready="true"]', { timeout: 120_000 }));
      await page.evaluate(
        () => new Promise<void>((done) => requestAnimationFrame(() => requestAnimationFrame(() => done()))),
      );
      await opened.waitForMapIdle();
      const png = await opened.screenshot('change');
      const colors = changeColors(change.classification.breaks);
      const withClass = change.values.filter((v) => v.class !== null);
      const rising = withClass.reduce((a, b) => ((b.absolute ?? 0) > (a.absolute ?? 0) ? b : a));
      const falling = withClass.reduce((a, b) => ((b.absolute ?? 0) < (a.absolute ?? 0) ? b : a));
      for (const area of [rising, falling]) {
        const label = quarters.features.find((f) => f.properties.code === area.code)?.properties.label;
        if (!label) throw new Error(`no label point for ${area.code}`);
        const { x, y } = await onPage(page, label);
        const drawn = colorAround(png, Math.round(x), Math.round(y), colors);
        expect(drawn.index, `quarter ${area.code}, change ${area.absolute}`).toBe(area.class);
        expect(drawn.share).toBeGreaterThan(0.3);
      }

      // Playing through the dates on the value map, with reduced motion asked for: one date per press, oldest first.
      const dates = change.dates;
      await page.emulateMedia({ reducedMotion: 'reduce' });
      await opened.guard(page.locator('[data-view="map"]').click());
      const step = page.locator('[data-player="step"]');
      await opened.guard(step.waitFor({ timeout: 60_000 }));
      const catalogue = await api<{ indicators: { id: string; levels: { level: string; dates: string[] }[] }[] }>(
        '/api/indicators',
      );
      const newestFirst =
        catalogue.indicators.find((i) => i.id === INDICATOR)?.levels.find((l) => l.level === 'quarter')?.dates ?? [];
      expect(newestFirst.length).toBeGreaterThan(2);
      expect(dates.length).toBeGreaterThan(2);
      await opened.guard(step.click());
      await opened.guard(
        page.waitForFunction(
          (want) => (document.querySelector('#planner-date') as HTMLSelectElement | null)?.value === want,
          newestFirst[newestFirst.length - 1],
          { timeout: 30_000 },
        ),
      );
      await opened.guard(step.click());
      await opened.guard(
        page.waitForFunction(
          (want) => (document.querySelector('#planner-date') as HTMLSelectElement | null)?.value === want,
          newestFirst[newestFirst.length - 2],
          { timeout: 30_000 },
        ),
      );

      // The rising quarter's profile (opened through the URL, as a click on it would): its time series, one point
      // per date the API gives, on the value map the play left.
      const series = await api<{ points: unknown[] }>(
        `/api/indicators/${INDICATOR}/series?level=quarter&code=${rising.code}`,
      );
      expect(series.points.length).toBeGreaterThan(1);
      await page.evaluate((code) => {
        const url = new URL(window.location.href);
        url.searchParams.set('area', code);
        window.history.pushState(null, '', url);
        window.dispatchEvent(new PopStateEvent('popstate'));
      }, rising.code);
      const line = page.locator(`.profile__series[data-points="${series.points.length}"]`);
      await opened.guard(line.waitFor({ timeout: 60_000 }));
      expect(await line.locator('svg').getAttribute('aria-label')).toContain(';');

      // A council page (reached inside the page, as its links do): each key figure with several dates at the
      // action areas names its change since the earliest date with both dates, as the API gives them.
      const config = await api<{ council: { keyFigures: string[] } }>('/api/config');
      const catalogueLevels = catalogue.indicators.filter((i) => config.council.keyFigures.includes(i.id));
      const datedFigure = catalogueLevels.find(
        (i) => (i.levels.find((l) => l.level === 'action-area')?.dates.length ?? 0) > 1,
      );
      if (!datedFigure) throw new Error('no key figure has several dates at the action areas');
      const areaChange = await api<IndicatorChange>(`/api/indicators/${datedFigure.id}/change?level=action-area`);
      // The package's computed figures carry one date per area (their inputs' dates differ between areas), so an
      // area may have no change to show: the page then shows none. Where the API gives one, the page names it.
      const own = areaChange.values.find((v) => v.from && v.to && v.absolute !== null);
      const code = own?.code ?? areaChange.values[0]?.code;
      if (!code) throw new Error('no action areas');
      await page.evaluate((c) => {
        window.history.pushState(null, '', `/council/${c}`);
        window.dispatchEvent(new PopStateEvent('popstate'));
      }, code);
      const figure = page.locator(`.key-figure[data-figure="${datedFigure.id}"]`);
      await opened.guard(figure.waitFor({ timeout: 60_000 }));
      const changeLine = figure.locator('.key-figure__change');
      if (own?.from && own.to) {
        expect(await changeLine.getAttribute('data-change-from')).toBe(own.from.date);
        expect(await changeLine.getAttribute('data-change-to')).toBe(own.to.date);
        expect(await changeLine.textContent()).toMatch(
          (own.absolute ?? 0) > 0 ? /\+/ : (own.absolute ?? 0) < 0 ? /−/ : /±/,
        );
      } else expect(await changeLine.count()).toBe(0);
      opened.assertClean();
    } finally {
      await opened.close();
    }
  });
});
