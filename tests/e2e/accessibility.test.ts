import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Db } from '../../server/db/index.ts';
import { createToken } from '../../server/db/queries/tokens.ts';
import { readEnv } from '../../server/env.ts';
import type { SearchResult } from '../../server/routes/search.ts';
import { type RunningServer, startServer } from '../../server/server.ts';
import type { AreaCollection, Profile, WebConfig } from '../../web/api/client.ts';
import { plainSummary } from '../../web/easy-read/summary.ts';
import { formatDate } from '../../web/format.ts';
import { translate } from '../../web/i18n/index.ts';
import { STATEMENT_DATE } from '../../web/pages/accessibility-page.tsx';
import { axeFindings, DISABLED_RULES, reflowProblems } from '../support/a11y.ts';
import { useAppServer } from '../support/app-server.ts';
import { type OpenedPage, openPage } from '../support/browser.ts';
import { realDb } from '../support/db.ts';

/**
 * WCAG 2.1 AA in Chromium (issue 19): axe-core on every page of the app, in German and in Arabic (right to left),
 * at a desktop width and at 320 CSS px (a 1280 px screen zoomed to 400 %). No serious or critical violation;
 * every rule switched off is named in tests/support/a11y.ts with its reason. At 320 px the page also reflows: nothing
 * scrolls sideways except the map and data tables, and no text is cut off. One browser page per language walks
 * from page to page; the narrow check resizes the same page rather than loading it again.
 *
 * A new page is one line in `screens` below: its path and the state to wait for.
 */

const DESKTOP = { width: 1280, height: 800 };
const NARROW = { width: 320, height: 640 };
const LANGS = ['de', 'ar'] as const;
/** The feedback contact the statement must show (ACCESSIBILITY_CONTACT). */
const CONTACT = 'barrierefreiheit@stadt.example';

interface Screen {
  name: string;
  /** Where the page is; without a path the screen is a state of the page before it, reached from there. */
  path?: string;
  /** Waits until the page shows what is to be checked. */
  ready(page: Page): Promise<unknown>;
  /** Whether the page has the app's footer (not the bare embed, not presentation mode). Default true. */
  footer?: boolean;
  /** Served by the editors' server (its own copy of the database). */
  editor?: boolean;
}

describe('accessibility (axe-core, WCAG 2.1 AA)', { timeout: 600_000 }, () => {
  const server = useAppServer({ env: () => ({ ACCESSIBILITY_CONTACT: CONTACT }) });
  const { api } = server;
  let screens: Screen[] = [];
  let editorDb: Db;
  let editorServer: RunningServer;
  let editorToken = '';

  beforeAll(async () => {
    // The editors' page writes (a token, uploads): it gets a server on a copy of the database of its own.
    editorDb = await realDb('pglite');
    editorToken = await createToken(editorDb, 'a11y-editor', 'editor');
    editorServer = await startServer({ db: editorDb, env: readEnv({}) }, 0, '127.0.0.1');
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
    const config = await api<WebConfig>('/api/config');
    const [need] = config.planner.gapNeed;
    const [supply] = config.planner.gapSupply;
    const planner = (view: string) => `.planner[data-ready="true"][data-view="${view}"]`;
    screens = [
      {
        name: 'planner map with a profile compared and a walking catchment',
        path: `/?area=${first}&cmp=${second}&walk=${hit.point[0].toFixed(5)},${hit.point[1].toFixed(5)}`,
        ready: async (p) => {
          await p.waitForSelector(`.profile[data-area="${first}"][data-compare="${second}"] .profile__name`);
          await p.waitForSelector('.walk-card li[data-minutes]');
        },
      },
      {
        name: 'planner gap view',
        path: '/?view=gap',
        ready: async (p) => {
          await p.waitForSelector(planner('gap'));
          // Loading and errors of the map's data are announced in one live status line.
          expect(await p.locator('.planner__status[role="status"][aria-live="polite"]').count()).toBe(1);
        },
      },
      {
        name: 'planner hot spots',
        path: `/?view=hotspots&ind=${need}&level=quarter`,
        ready: (p) => p.waitForSelector(`.hot-spots[data-indicator="${need}"]`),
      },
      { name: 'planner table', path: '/?view=table', ready: (p) => p.waitForSelector('.data-table tbody tr') },
      {
        name: 'finder with results',
        path: `/finder?${place}`,
        ready: async (p) => {
          await p.waitForSelector('.result');
          // The results are a real list, and what the search found is announced (a live status line).
          const list = await p.evaluate(() => {
            const results = [...document.querySelectorAll('.result')];
            return {
              results: results.length,
              inListItems: results.filter((r) => r.closest('li')?.parentElement?.tagName === 'OL').length,
              status: document.querySelector('.finder-results__status[role="status"]')?.textContent?.trim() ?? '',
            };
          });
          expect(list.inListItems).toBe(list.results);
          expect(list.status).not.toBe('');
        },
      },
      { name: 'council overview', path: '/council', ready: (p) => p.waitForSelector('[data-picture="ready"]') },
      {
        name: 'which quarters would qualify',
        path: `/council/qualify?ind=${need},${supply}&rule=top:13`,
        ready: (p) => p.waitForSelector('.qualify-result .qualify-table'),
      },
      {
        name: 'action area page',
        path: `/council/${actionArea}`,
        ready: (p) => p.waitForSelector('[data-picture="ready"]'),
      },
      {
        name: 'presentation mode',
        footer: false,
        ready: async (p) => {
          await p.locator('.council-toolbar .council-button').first().press('Enter');
          await p.waitForSelector('.presentation-bar');
        },
      },
      {
        name: 'embed',
        path: '/embed?level=quarter',
        footer: false,
        ready: (p) => p.waitForSelector('.embed[data-ready="true"]'),
      },
      {
        name: 'editors page (tables), signed out',
        path: '/tables',
        editor: true,
        ready: (p) => p.waitForSelector('.editor-signin input'),
      },
      {
        name: 'editors page (tables), signed in',
        editor: true,
        ready: async (p) => {
          await p.locator('.editor-signin input').fill(editorToken);
          await p.locator('.editor-signin input').press('Enter');
          await p.waitForSelector('#editor-lists');
        },
      },
      {
        name: 'accessibility statement',
        path: '/barrierefreiheit',
        ready: (p) => p.waitForSelector('[data-contact="configured"]'),
      },
      {
        name: 'easy-read page with a district',
        path: `/leichte-sprache?area=${first}`,
        ready: (p) => p.waitForSelector(`.easy-read__summary [data-area="${first}"]`),
      },
    ];
  });

  afterAll(async () => {
    await editorServer?.close();
    await editorDb?.close();
  });

  it('names a reason for every rule switched off', () => {
    for (const [rule, reason] of Object.entries(DISABLED_RULES)) expect(reason.length, rule).toBeGreaterThan(20);
  });

  it('has the statement in German and English with date, contact and enforcement body, and the easy-read page with a district', async () => {
    const quarters = await api<AreaCollection>('/api/areas?level=quarter');
    const opened = await openPage(`${server.url}/barrierefreiheit?lang=de`, { waitForMap: false, timeoutMs: 60_000 });
    const { page } = opened;
    try {
      for (const lang of ['de', 'en'] as const) {
        if (lang === 'en') {
          // The link to the other language's version, with the keyboard.
          await page.locator('.statement a[hreflang="en"]').focus();
          await page.keyboard.press('Enter');
          await page.waitForURL((url) => url.pathname === '/accessibility');
        }
        const tr = (key: Parameters<typeof translate>[1]) => translate(lang, key);
        await page.getByRole('heading', { level: 1, name: tr('accessibility.title') }).waitFor();
        const text = (await page.locator('.statement').innerText()).replace(/\s+/g, ' ');
        for (const key of [
          'accessibility.status.title',
          'accessibility.limits.title',
          'accessibility.feedback.title',
          'accessibility.enforcement.title',
        ] as const) {
          expect(text).toContain(tr(key));
        }
        expect(text).toContain('Ombudsstelle für barrierefreie Informationstechnik des Landes Nordrhein-Westfalen');
        expect(text).toContain(formatDate(STATEMENT_DATE, lang, 'long'));
        expect(await page.locator(`a[href="mailto:${CONTACT}"]`).textContent()).toBe(CONTACT);
      }

      // The easy-read page: a district chosen with the keyboard; its sentences are the API's values.
      const code = quarters.features[0]?.properties.code ?? '';
      const name = quarters.features[0]?.properties.name ?? '';
      await page.locator('footer a[href^="/leichte-sprache"]').focus();
      await page.keyboard.press('Enter');
      const select = page.getByLabel('Wählen Sie Ihren Stadt-Teil.');
      await select.waitFor();
      expect(await page.locator('.easy-read__lines li').count()).toBeGreaterThan(10);
      await select.focus();
      // A select's options open with the keyboard; the test picks the district by its name, as typing does.
      await page.keyboard.type(name.slice(0, 6));
      await page.waitForURL((url) => url.searchParams.get('area') !== null);
      const chosen = new URL(page.url()).searchParams.get('area') ?? code;
      const profile = await api<Profile>(`/api/areas/quarter/${chosen}/profile`);
      await page.locator(`.easy-read__summary [data-area="${chosen}"]`).waitFor();
      const shown = await page
        .locator('.easy-read__summary [lang="de"] [data-sentence]')
        .evaluateAll((items) => items.map((li) => li.textContent));
      expect(shown).toEqual(plainSummary(profile).map((s) => s.de));
      expect(shown.length).toBeGreaterThan(0);
      const english = await page
        .locator('.easy-read__summary [lang="en"] [data-sentence]')
        .evaluateAll((items) => items.map((li) => li.textContent));
      expect(english).toEqual(plainSummary(profile).map((s) => s.en));
      await opened.close();
    } catch (err) {
      await opened.context.close();
      throw err;
    }
  });

  for (const lang of LANGS) {
    it(`finds no serious or critical violation on any page (${lang}, ${DESKTOP.width} and ${NARROW.width} px)`, async () => {
      // One page per server: the app's, and the editors' own (a copy of the database, which a token is written to).
      const pages = new Map<string, OpenedPage>();
      let current: OpenedPage | undefined;
      const failures: string[] = [];
      try {
        for (const screen of screens) {
          const base = screen.editor ? editorServer.url : server.url;
          if (screen.path) {
            const url = `${base}${screen.path}${screen.path.includes('?') ? '&' : '?'}lang=${lang}`;
            current = pages.get(base);
            if (current) {
              await current.page.setViewportSize(DESKTOP);
              await current.guard(current.page.goto(url));
            } else {
              current = await openPage(url, { viewport: DESKTOP, waitForMap: false, timeoutMs: 90_000 });
              pages.set(base, current);
            }
          }
          if (!current) throw new Error(`${screen.name} needs a page before it`);
          const { page } = current;
          await current.guard(screen.ready(page));
          expect(await page.getAttribute('html', 'lang'), screen.name).toBe(lang);
          // The statement is linked from the footer of every page: the German one in German, else the English one.
          if (screen.footer !== false) {
            const href = lang === 'de' ? '/barrierefreiheit' : '/accessibility';
            expect(await page.locator(`footer a[href^="${href}"]`).isVisible(), screen.name).toBe(true);
          }
          for (const viewport of [DESKTOP, NARROW]) {
            const where = `${screen.name} (${lang}, ${viewport.width} px)`;
            await page.setViewportSize(viewport);
            const { blocking } = await axeFindings(page);
            for (const finding of blocking) {
              failures.push(
                `${where}: ${finding.rule} [${finding.impact}] ${finding.help}\n    ${finding.targets.join('\n    ')}`,
              );
            }
            // Reflow (WCAG 1.4.10): at 320 CSS px nothing scrolls sideways but the map and tables, nothing is cut.
            if (viewport === NARROW)
              for (const problem of await reflowProblems(page)) failures.push(`${where}: ${problem}`);
          }
        }
      } finally {
        for (const opened of pages.values()) await opened.context.close();
      }
      expect(failures, failures.join('\n')).toEqual([]);
      // No script error, failed request or request elsewhere on any of the pages.
      for (const opened of pages.values()) opened.assertClean();
    });
  }
});
