import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Db } from '../../server/db/index.ts';
import { readEnv } from '../../server/env.ts';
import type { SearchResult } from '../../server/routes/search.ts';
import { type RunningServer, startServer } from '../../server/server.ts';
import type { AreaCollection } from '../../web/api/client.ts';
import { axeFindings, DISABLED_RULES } from '../support/axe.ts';
import { closeBrowser, ensureWebBuild, type OpenedPage, openPage } from '../support/browser.ts';
import { realDb } from '../support/db.ts';

/**
 * WCAG 2.1 AA in Chromium (issue 19): axe-core on every page of the app, in German and in Arabic (right to left),
 * at a desktop width and at 320 CSS px (a 1280 px screen zoomed to 400 %). No serious or critical violation;
 * every rule switched off is named in tests/support/axe.ts with its reason. One browser page per language walks
 * from page to page; the narrow check resizes the same page rather than loading it again.
 *
 * A new page is one line in `screens` below: its path and the state to wait for.
 */

const DESKTOP = { width: 1280, height: 800 };
const NARROW = { width: 320, height: 640 };
const LANGS = ['de', 'ar'] as const;

interface Screen {
  name: string;
  path: string;
  /** Waits until the page shows what is to be checked. */
  ready(page: Page): Promise<unknown>;
}

describe('accessibility (axe-core, WCAG 2.1 AA)', { timeout: 600_000 }, () => {
  let db: Db;
  let server: RunningServer;
  let screens: Screen[] = [];

  async function api<T>(path: string): Promise<T> {
    const res = await fetch(`${server.url}${path}`);
    expect(res.status, path).toBe(200);
    return (await res.json()) as T;
  }

  beforeAll(async () => {
    await ensureWebBuild();
    db = await realDb('postgres');
    server = await startServer({ db, env: readEnv({}) }, 0, '127.0.0.1');
    // Places and areas come from the API, never from this file.
    const quarters = await api<AreaCollection>('/api/areas?level=quarter');
    const [first, second] = quarters.features.map((f) => f.properties.code);
    const actionAreas = await api<AreaCollection>('/api/areas?level=action-area');
    const actionArea = actionAreas.features.find((f) => f.properties.numbered)?.properties.code;
    const hit = (await api<SearchResult>('/api/search?q=Friedensplatz%201&limit=1')).hits[0];
    if (!first || !second || !actionArea || !hit) throw new Error('the API has no quarters, action area or address');
    const place = new URLSearchParams({
      at: `${hit.point[0].toFixed(5)},${hit.point[1].toFixed(5)}`,
      place: hit.label,
    });
    const planner = (view: string) => `.planner[data-ready="true"][data-view="${view}"]`;
    screens = [
      { name: 'planner map', path: '/?view=map', ready: (p) => p.waitForSelector(planner('map')) },
      {
        name: 'planner map with a profile compared',
        path: `/?area=${first}&cmp=${second}`,
        ready: (p) => p.waitForSelector(`.profile[data-area="${first}"][data-compare="${second}"] .profile__name`),
      },
      { name: 'planner gap view', path: '/?view=gap', ready: (p) => p.waitForSelector(planner('gap')) },
      { name: 'planner table', path: '/?view=table', ready: (p) => p.waitForSelector('.data-table tbody tr') },
      { name: 'finder with results', path: `/finder?${place}`, ready: (p) => p.waitForSelector('.result') },
      { name: 'council overview', path: '/council', ready: (p) => p.waitForSelector('[data-picture="ready"]') },
      {
        name: 'action area page',
        path: `/council/${actionArea}`,
        ready: (p) => p.waitForSelector('[data-picture="ready"]'),
      },
      {
        name: 'presentation mode',
        path: `/council/${actionArea}`,
        ready: async (p) => {
          await p.waitForSelector('[data-picture="ready"]');
          await p.locator('.council-toolbar .council-button').first().click();
          await p.waitForSelector('.presentation-bar');
        },
      },
    ];
  });

  afterAll(async () => {
    await closeBrowser();
    await server?.close();
    await db?.close();
  });

  it('names a reason for every rule switched off', () => {
    for (const [rule, reason] of Object.entries(DISABLED_RULES)) expect(reason.length, rule).toBeGreaterThan(20);
  });

  for (const lang of LANGS) {
    it(`finds no serious or critical violation on any page (${lang}, ${DESKTOP.width} and ${NARROW.width} px)`, async () => {
      let opened: OpenedPage | null = null;
      const failures: string[] = [];
      try {
        for (const screen of screens) {
          const url = `${server.url}${screen.path}${screen.path.includes('?') ? '&' : '?'}lang=${lang}`;
          if (opened) {
            await opened.page.setViewportSize(DESKTOP);
            await opened.guard(opened.page.goto(url));
          } else {
            opened = await openPage(url, { viewport: DESKTOP, waitForMap: false, timeoutMs: 90_000 });
          }
          const { page } = opened;
          await opened.guard(screen.ready(page));
          expect(await page.getAttribute('html', 'lang'), screen.name).toBe(lang);
          for (const viewport of [DESKTOP, NARROW]) {
            await page.setViewportSize(viewport);
            const { blocking } = await axeFindings(page);
            for (const finding of blocking) {
              failures.push(
                `${screen.name} (${lang}, ${viewport.width} px): ${finding.rule} [${finding.impact}] ${finding.help}\n    ${finding.targets.join('\n    ')}`,
              );
            }
          }
        }
        expect(failures, failures.join('\n')).toEqual([]);
      } finally {
        await opened?.close();
      }
    });
  }
});
