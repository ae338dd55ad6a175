import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import type { AreaCollection, Catalogue } from '../../web/api/client.ts';
import { de } from '../../web/i18n/messages/de.ts';
import { type FocusStop, focusStop, tabThrough } from '../support/a11y.ts';
import { useAppServer } from '../support/app-server.ts';
import { type OpenedPage, openPage } from '../support/browser.ts';

/**
 * The planner's and the council pages' tasks with the keyboard alone (issue 19): choose an indicator, a level and
 * classes; select an area through the map's text alternative (the table, one link from the map) and open its
 * profile; compare it with a second; print an action area. Every stop of the focus on the way shows a focus ring,
 * has an accessible name, follows the order of the page, and the walk reaches the footer (no trap); the map's own
 * controls are among the stops. (Finding offers from an address and opening one with the keyboard alone:
 * tests/e2e/finder.test.ts, "works from the field to a result's details with the keyboard alone".)
 */

const DESKTOP = { width: 1280, height: 800 };

/** Stops without a ring, without a name, or out of the page's order (a later stop earlier in the document). */
function walkProblems(stops: FocusStop[]): string[] {
  const problems: string[] = [];
  stops.forEach((stop, i) => {
    if (!stop.visible) problems.push(`no focus ring on ${stop.what} (${stop.aria})`);
    if (!stop.name.trim()) problems.push(`no accessible name for ${stop.what} (${stop.aria})`);
    const before = stops[i - 1];
    if (before && stop.order < before.order)
      problems.push(`${stop.what} comes after ${before.what} but stands before it`);
  });
  return problems;
}

describe('keyboard only', { timeout: 300_000 }, () => {
  const server = useAppServer();

  const { api } = server;

  /** Tabs on until the focus is on an element matching `selector`. */
  async function tabTo(page: Page, selector: string, limit = 120): Promise<FocusStop> {
    for (let i = 0; i < limit; i++) {
      await page.keyboard.press('Tab');
      if (await page.evaluate((s) => document.activeElement?.matches(s) ?? false, selector)) {
        const stop = await focusStop(page);
        if (!stop) break;
        expect(stop.visible, `focus ring on ${stop.what}`).toBe(true);
        return stop;
      }
    }
    throw new Error(`${selector} not reached with ${limit} tab presses`);
  }

  const ready = (page: Page, extra = '') => page.waitForSelector(`.planner[data-ready="true"]${extra}`);

  it('does every planner task: indicator, level, classes, an area’s profile from the table, a comparison', async () => {
    const catalogue = await api<Catalogue>('/api/indicators');
    const quarters = await api<AreaCollection>('/api/areas?level=quarter');
    const opened: OpenedPage = await openPage(`${server.url}/`, { viewport: DESKTOP, timeoutMs: 90_000 });
    const { page } = opened;
    try {
      await opened.guard(ready(page));
      const first = await page.getAttribute('.planner', 'data-indicator');
      // The focus starts at the top of the document.
      await page.evaluate(() => (document.activeElement as HTMLElement | null)?.blur());

      // The whole page, from the skip link to the footer: rings, names, order, the map's controls, no trap.
      const walk = await tabThrough(page, (s) => s.footer, 400);
      expect(walk.reached, `the walk stopped at ${walk.stops.at(-1)?.what}`).toBe(true);
      expect(walkProblems(walk.stops)).toEqual([]);
      const whats = walk.stops.map((s) => s.what);
      expect(whats.some((w) => w.includes('skip-link'))).toBe(true);
      expect(whats.some((w) => w.includes('planner__table-link'))).toBe(true);
      expect(whats.some((w) => w.includes('maplibregl-canvas'))).toBe(true);
      expect(whats.some((w) => w.includes('maplibregl-ctrl-zoom-in'))).toBe(true);

      // The map itself: with the focus on it, + zooms in and the arrows pan.
      await page.evaluate(() => (document.activeElement as HTMLElement | null)?.blur());
      await tabTo(page, '.maplibregl-canvas');
      const camera = () =>
        page.evaluate(() => ({ zoom: window.__map?.getZoom() ?? 0, lng: window.__map?.getCenter().lng ?? 0 }));
      const start = await camera();
      await page.keyboard.press('Equal');
      await opened.guard(page.waitForFunction((z) => (window.__map?.getZoom() ?? 0) > z, start.zoom));
      await page.keyboard.press('ArrowRight');
      await opened.guard(page.waitForFunction((x) => (window.__map?.getCenter().lng ?? 0) > x, start.lng));

      // An indicator: search in the picker, ↓ and Enter.
      const complete = (i: Catalogue['indicators'][number], level: string) =>
        i.coverage.some((c) => c.level === level && c.of > 0 && c.with_value === c.of);
      const target = catalogue.indicators.find(
        (i) => i.id !== first && complete(i, 'quarter') && complete(i, 'district'),
      );
      if (!target) throw new Error('the catalogue has no second indicator at the quarter level');
      await page.evaluate(() => (document.activeElement as HTMLElement | null)?.blur());
      await tabTo(page, '.picker__input');
      await page.keyboard.type(target.title.de, { delay: 10 });
      await page.keyboard.press('Enter');
      await opened.guard(ready(page, `[data-indicator="${target.id}"]`));
      expect(new URL(page.url()).searchParams.get('ind')).toBe(target.id);

      // The level: the segmented buttons, Enter.
      await tabTo(page, `.segmented--quiet button:not([aria-pressed="true"])`);
      const level = await page.evaluate(() => (document.activeElement as HTMLElement).textContent);
      await page.keyboard.press('Enter');
      expect(level).toBe(de['planner.level.district']);
      await opened.guard(ready(page, '[data-level="district"]'));
      await page.keyboard.press('Tab');
      await page.keyboard.press('Enter');
      await opened.guard(ready(page, '[data-level="quarter"]'));

      // Classes: the count's select, ↓ picks the next one.
      await tabTo(page, 'select[name="classes"]');
      const before = Number(await page.inputValue('select[name="classes"]'));
      await page.keyboard.press('ArrowDown');
      await opened.guard(page.waitForURL((url) => url.searchParams.get('k') === String(before + 1)));

      // The map's text alternative: the link before the map opens the table and moves the focus into it.
      await tabTo(page, '.planner__table-link');
      await page.keyboard.press('Enter');
      await opened.guard(page.waitForFunction(() => document.activeElement?.matches('.planner__table') ?? false));
      expect(new URL(page.url()).searchParams.get('view')).toBe('table');
      // A row's area opens its profile.
      const row = await tabTo(page, '.planner__table tbody .link-button');
      await page.keyboard.press('Enter');
      const code = await page.evaluate(() => document.activeElement?.closest('tr')?.dataset.code ?? null);
      expect(row.name).not.toBe('');
      const area = code ?? new URL(page.url()).searchParams.get('area');
      await opened.guard(page.locator(`.profile[data-area="${area}"] .profile__name`).first().waitFor());

      // Compare: the profile's select, ↓ takes the next area.
      await tabTo(page, '.profile select[name="compare"]');
      await page.keyboard.press('ArrowDown');
      await opened.guard(page.waitForURL((url) => url.searchParams.get('cmp') !== null));
      const other = new URL(page.url()).searchParams.get('cmp');
      expect(quarters.features.map((f) => f.properties.code)).toContain(other);
      await opened.guard(page.locator(`.profile[data-area="${area}"][data-compare="${other}"]`).waitFor());
      await opened.close();
    } catch (err) {
      await opened.screenshot('keyboard-planner-failed').catch(() => {});
      throw err;
    }
  });

  it('walks the finder, and moves its map in one step, not in a flight, when the reader prefers reduced motion', async () => {
    const opened = await openPage(`${server.url}/finder`, { viewport: DESKTOP, timeoutMs: 90_000 });
    const { page } = opened;
    // The finder's own walk, from the skip link to the footer.
    await page.evaluate(() => (document.activeElement as HTMLElement | null)?.blur());
    const walk = await tabThrough(page, (s) => s.footer, 200);
    expect(walk.reached, `the walk stopped at ${walk.stops.at(-1)?.what}`).toBe(true);
    expect(walkProblems(walk.stops)).toEqual([]);
    expect(walk.stops.some((s) => s.what.includes('maplibregl-ctrl-zoom-in'))).toBe(true);

    await page.emulateMedia({ reducedMotion: 'reduce' });
    expect(await page.evaluate(() => matchMedia('(prefers-reduced-motion: reduce)').matches)).toBe(true);
    await page.evaluate(() => {
      const map = window.__map;
      if (!map) throw new Error('no map');
      const w = window as unknown as { moves: { start: number; move: number; end: number } };
      w.moves = { start: 0, move: 0, end: 0 };
      map.on('movestart', () => w.moves.start++);
      map.on('move', () => w.moves.move++);
      map.on('moveend', () => w.moves.end++);
    });
    // A place chosen with the keyboard: the map moves to it and its results.
    const field = page.getByRole('combobox', { name: de['finder.place.label'] });
    await field.focus();
    await page.keyboard.type('Friedensplatz 1', { delay: 10 });
    await opened.guard(page.locator('[role="option"]').first().waitFor());
    await page.keyboard.press('ArrowDown');
    await page.keyboard.press('Enter');
    await opened.guard(
      page.waitForFunction(() => (window as unknown as { moves: { end: number } }).moves.end > 0, null, {
        timeout: 60_000,
      }),
    );
    const moves = await page.evaluate(() => (window as unknown as { moves: Record<string, number> }).moves);
    // An animated flight draws a frame per move event, dozens of them; a jump is one.
    expect(moves.move).toBeLessThanOrEqual(moves.start ?? 0);
    await opened.close();
  });

  it('prints an action area with the keyboard, after the walk of its page', async () => {
    const areas = await api<AreaCollection>('/api/areas?level=action-area');
    const code = areas.features.find((f) => f.properties.numbered)?.properties.code;
    const opened = await openPage(`${server.url}/council/${code}`, { viewport: DESKTOP, timeoutMs: 90_000 });
    const { page } = opened;
    await opened.guard(page.locator('[data-picture="ready"]').waitFor({ timeout: 90_000 }));
    // The browser's print dialog cannot open headless: the page's call of window.print is what is checked.
    await page.evaluate(() => {
      const w = window as unknown as { print: () => void; printed: number };
      w.printed = 0;
      w.print = () => {
        w.printed++;
      };
    });
    await page.evaluate(() => (document.activeElement as HTMLElement | null)?.blur());
    const walk = await tabThrough(page, (s) => s.name === de['council.print'], 200);
    expect(walk.reached).toBe(true);
    expect(walkProblems(walk.stops)).toEqual([]);
    await page.keyboard.press('Enter');
    await opened.guard(page.waitForFunction(() => (window as unknown as { printed: number }).printed > 0));
    await opened.close();
  });
});
