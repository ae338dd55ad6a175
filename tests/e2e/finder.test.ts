import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { CATEGORIES } from '../../geodata/categories.ts';
import { readEnv } from '../../server/env.ts';
import type { CategoryList, NearestCollection, OfferDetail } from '../../server/routes/offers.ts';
import type { SearchResult } from '../../server/routes/search.ts';
import { startServer } from '../../server/server.ts';
import { finderColors, RESULT_COUNT, RESULT_MAX_M } from '../../web/finder/constants.ts';
import { OSM_ROUTE_TEMPLATE, routeUrl } from '../../web/finder/format.ts';
import { subcategoryLabel } from '../../web/finder/subcategories.ts';
import { formatDate, formatDistance } from '../../web/format.ts';
import { ar } from '../../web/i18n/messages/ar.ts';
import { de, type PluralForm } from '../../web/i18n/messages/de.ts';
import { tr } from '../../web/i18n/messages/tr.ts';
import { useAppServer } from '../support/app-server.ts';
import { countPixelsNear, launchBrowser, openPage } from '../support/browser.ts';

/**
 * The finder (/finder, issue #6) in Chromium at phone sizes, against the real data package: every expected
 * result comes from the API itself (/api/search, /api/offers/nearest, /api/offers/{id}), never from this file.
 */

const PHONE = { width: 390, height: 844 };
const NARROW = { width: 360, height: 740 };
const DESKTOP = { width: 1280, height: 800 };
const ROUTE_TEMPLATE = 'https://router.example/?from={from}&to={to}';

type Position = [number, number];

const fill = (text: string, params: Record<string, string | number>) =>
  text.replace(/\{(\w+)\}/g, (whole, name: string) => String(params[name] ?? whole));
/** The place name inside a sentence is wrapped in Unicode isolates (FSI … PDI). */
const isolated = (text: string) => `\u2068${text}\u2069`;
/** The address field (the language switch is a combobox too, a <select>). */
const placeField = (page: Page) => page.getByRole('combobox', { name: de['finder.place.label'] });
const labelOf = (code: string, lang: 'de' | 'en' | 'tr' | 'ar') =>
  CATEGORIES.find((c) => c.code === code)?.labels[lang] ?? code;

describe('finder in Chromium', { timeout: 180_000 }, () => {
  const server = useAppServer();

  async function api<T>(path: string, base = server.url): Promise<T> {
    const res = await fetch(`${base}${path}`);
    expect(res.status, path).toBe(200);
    return (await res.json()) as T;
  }

  /** What the page must list for a point: the API's nearest offers with the page's parameters. */
  function nearest(point: Position, categories: string[], kinds: string[] = []): Promise<NearestCollection> {
    const q = new URLSearchParams({
      lon: String(point[0]),
      lat: String(point[1]),
      k: String(RESULT_COUNT),
      max_m: String(RESULT_MAX_M),
    });
    if (categories.length) q.set('category', categories.join(','));
    if (kinds.length) q.set('kind', kinds.join(','));
    return api<NearestCollection>(`/api/offers/nearest?${q}`);
  }

  /** The first result's box on the screen: in view when it lies wholly between the top and the bottom. */
  async function firstResultInView(page: Page): Promise<{ top: number; bottom: number; inView: boolean }> {
    const box = await page.locator('.result').first().boundingBox();
    if (!box) throw new Error('the first result is not shown');
    const viewport = page.viewportSize() ?? PHONE;
    return { top: box.y, bottom: box.y + box.height, inView: box.y >= 0 && box.y + box.height <= viewport.height };
  }

  /** A street of the register with a gap: house number n missing, n - 1 and n + 1 there. */
  async function streetWithGap(): Promise<{ street: string; n: number }> {
    const [gap] = await server.db.query<{ street: string; n: number }>(
      `SELECT a.street, a.house_number::int + 1 AS n FROM atlas.address a
       JOIN atlas.address c ON c.street = a.street AND c.house_number = (a.house_number::int + 2)::text
       WHERE a.house_number ~ '^[0-9]{2,3}$' AND a.street ~ '^[A-Za-zäöüß]+straße$'
         AND NOT EXISTS (SELECT 1 FROM atlas.address b WHERE b.street = a.street
                           AND b.house_number ~ ('^' || (a.house_number::int + 1)::text || '[A-Za-z]?$'))
         AND NOT EXISTS (SELECT 1 FROM atlas.address b WHERE b.street = a.street
                           AND b.house_number ~ ('^' || a.house_number || '[A-Za-z]$'))
       ORDER BY a.id LIMIT 1`,
    );
    if (!gap) throw new Error('the register has no street with a gap');
    return gap;
  }

  const expectedNames = (body: NearestCollection) =>
    body.features.map((f) => f.properties.name?.trim() || labelOf(f.properties.category, 'de'));

  async function listed(page: Page): Promise<{ ids: string[]; names: string[] }> {
    await page.locator('.result').first().waitFor();
    return page.evaluate(() => ({
      ids: [...document.querySelectorAll<HTMLElement>('.result')].map((b) => b.dataset.offerId ?? ''),
      names: [...document.querySelectorAll('.result__name')].map((n) => n.textContent ?? ''),
    }));
  }

  /** The first suggestion the search API gives for a text: the place the tests search from. */
  async function firstHit(text: string) {
    const body = await api<SearchResult>(`/api/search?q=${encodeURIComponent(text)}&limit=8`);
    const hit = body.hits[0];
    if (!hit) throw new Error(`/api/search has no hit for ${text}`);
    return hit;
  }

  function linkFor(point: Position, label: string, categories: string[], extra: Record<string, string> = {}): string {
    const q = new URLSearchParams({ at: `${point[0].toFixed(5)},${point[1].toFixed(5)}`, place: label, ...extra });
    if (categories.length) q.set('cat', categories.join(','));
    return `${server.url}/finder?${q}`;
  }

  it.each(['Friedensplatz 1', 'friedenspl. 1'])('suggests addresses while "%s" is typed', async (text) => {
    const expected = await api<SearchResult>(`/api/search?q=${encodeURIComponent(text)}&limit=8`);
    expect(expected.hits.length).toBeGreaterThan(0);
    const opened = await openPage(`${server.url}/finder`, { viewport: PHONE, waitForMap: false });
    const { page } = opened;
    const field = placeField(page);
    await field.pressSequentially(text, { delay: 20 });
    await opened.guard(page.locator('[role="option"]').first().waitFor());
    expect(await field.getAttribute('aria-expanded')).toBe('true');
    const listbox = page.locator(`#${await field.getAttribute('aria-controls')}`);
    expect(await listbox.getAttribute('role')).toBe('listbox');
    const labels = await listbox.locator('[role="option"] .place-search__option-label').allTextContents();
    expect(labels).toEqual(expected.hits.map((h) => h.label));
    expect(labels[0]).toBe('Friedensplatz 1');
    await opened.close();
  });

  let sharedUrl = '';
  let chosenPoint: Position = [0, 0];

  it('lists the nearest Kitas of a chosen suggestion in the order of /api/offers/nearest, in step with the map', async () => {
    const hit = await firstHit('friedenspl. 1');
    chosenPoint = hit.point as Position;
    const expected = await nearest(chosenPoint, ['childcare']);
    expect(expected.features.length).toBe(RESULT_COUNT);

    const opened = await openPage(`${server.url}/finder`, { viewport: PHONE });
    const { page } = opened;
    await placeField(page).fill('friedenspl. 1');
    await opened.guard(page.locator('[role="option"]').first().click());
    expect(await placeField(page).inputValue()).toBe(hit.label);
    const chip = page.locator('button[data-category="childcare"]');
    expect(await chip.textContent()).toBe(labelOf('childcare', 'de'));
    expect(await chip.getAttribute('aria-pressed')).toBe('false');
    await chip.click();
    expect(await chip.getAttribute('aria-pressed')).toBe('true');

    const { ids, names } = await opened.guard(listed(page));
    expect(ids).toEqual(expected.features.map((f) => f.properties.id));
    expect(names).toEqual(expectedNames(expected));
    const distances = expected.features.map((f) => f.properties.distance_m);
    expect([...distances].sort((a, b) => a - b)).toEqual(distances);
    // The walking time of each result as the API gives it.
    const walks = await page.locator('.result__distance').allTextContents();
    for (const [i, line] of walks.entries()) {
      expect(line).toContain(fill(de['finder.walk'], { minutes: expected.features[i]?.properties.walk_minutes ?? -1 }));
    }
    // The live region says how many, and the heading names the place.
    expect(await page.locator('.finder-results__status').textContent()).toBe(
      fill(de['finder.results.count'], { count: RESULT_COUNT }),
    );
    expect(await page.locator('.finder-results__heading').textContent()).toBe(
      fill(de['finder.results.title'], { place: isolated(hit.label) }),
    );
    // Place, categories in the URL.
    const url = new URL(page.url());
    expect(url.searchParams.get('place')).toBe(hit.label);
    expect(url.searchParams.get('cat')).toBe('childcare');
    expect(url.searchParams.get('at')).toBe(`${chosenPoint[0].toFixed(5)},${chosenPoint[1].toFixed(5)}`);
    await opened.screenshot('finder-390x844');

    // The map: numbered markers where the results are, the place marked. The pointer goes off the list
    // first: a result under it would be highlighted on the map.
    await page.mouse.move(1, 1);
    await page.locator('.map-view').scrollIntoViewIfNeeded();
    await opened.waitForMapIdle();
    const first = expected.features[0]?.geometry.coordinates as Position;
    const points = await page.evaluate(
      ([place, offer]) => {
        const map = window.__map;
        if (!map) throw new Error('no map');
        const box = map.getCanvas().getBoundingClientRect();
        const at = (p: [number, number]) => {
          const { x, y } = map.project(p);
          return { x: x + box.left, y: y + box.top };
        };
        return { place: at(place), offer: at(offer), box: { top: box.top, bottom: box.bottom } };
      },
      [chosenPoint, first] as const,
    );
    const png = await opened.screenshot('finder-390x844-map');
    const around = (p: { x: number; y: number }, r: number) => ({
      x: p.x - r,
      y: p.y - r,
      width: 2 * r,
      height: 2 * r,
    });
    expect(points.offer.y).toBeGreaterThan(points.box.top);
    expect(points.offer.y).toBeLessThan(Math.min(points.box.bottom, PHONE.height));
    expect(countPixelsNear(png, finderColors.result, 12, around(points.offer, 12))).toBeGreaterThan(20);
    expect(countPixelsNear(png, finderColors.place, 12, around(points.place, 10))).toBeGreaterThan(20);

    sharedUrl = page.url();
    await opened.close();
  });

  it('shows the page in Arabic, right to left, mirrored, with Arabic labels', async () => {
    const hit = await firstHit('Friedensplatz 1');
    const opened = await openPage(linkFor(hit.point as Position, hit.label, ['childcare']), { viewport: PHONE });
    const { page } = opened;
    await opened.guard(page.locator('.result').first().waitFor());
    await page.selectOption('select[name="lang"]', 'ar');
    await page.waitForFunction(() => document.documentElement.dir === 'rtl');
    expect(await page.evaluate(() => document.documentElement.lang)).toBe('ar');
    expect(await page.locator('h1').textContent()).toBe(ar['finder.title']);
    expect(await page.locator('label.place-search__label').textContent()).toBe(ar['finder.place.label']);
    expect(await page.locator('button[data-category="childcare"]').textContent()).toBe(labelOf('childcare', 'ar'));
    expect(await page.locator('.finder-results__status').textContent()).toBe(
      // Arabic has a form per plural category; which one a count takes is Intl.PluralRules' answer.
      fill(ar[`finder.results.count_${new Intl.PluralRules('ar').select(RESULT_COUNT) as PluralForm}`] ?? '', {
        count: RESULT_COUNT,
      }),
    );
    expect(await page.locator('.finder-results__heading').textContent()).toBe(
      fill(ar['finder.results.title'] ?? '', { place: isolated(hit.label) }),
    );
    // Mirrored: the number stands right of the name, the chevron left; the search icon sits at the right end.
    const box = async (selector: string) => {
      const b = await page.locator(selector).first().boundingBox();
      if (!b) throw new Error(`${selector} is not shown`);
      return b;
    };
    const [number, name, chevron] = await Promise.all([
      box('.result .result__number'),
      box('.result .result__name'),
      box('.result .result__chevron'),
    ]);
    expect(number.x).toBeGreaterThan(name.x + name.width - 1);
    expect(chevron.x + chevron.width).toBeLessThan(name.x + 1);
    const [icon, input] = await Promise.all([box('.place-search__icon'), box('.place-search__input')]);
    expect(icon.x).toBeGreaterThan(input.x + input.width / 2);
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    expect(overflow).toBeLessThanOrEqual(0);
    await page.locator('.finder-results').scrollIntoViewIfNeeded();
    await opened.screenshot('finder-ar-390x844');
    await opened.close();
  });

  it('shows Turkish labels', async () => {
    const opened = await openPage(`${server.url}/finder`, { viewport: PHONE, waitForMap: false });
    const { page } = opened;
    await page.selectOption('select[name="lang"]', 'tr');
    await page.waitForFunction(() => document.documentElement.lang === 'tr');
    expect(await page.evaluate(() => document.documentElement.dir)).toBe('ltr');
    expect(await page.locator('h1').textContent()).toBe(tr['finder.title']);
    expect(await page.locator('label.place-search__label').textContent()).toBe(tr['finder.place.label']);
    expect(await page.getByRole('button', { name: tr['finder.locate'] }).count()).toBe(1);
    expect(await page.locator('button[data-category="childcare"]').textContent()).toBe(labelOf('childcare', 'tr'));
    expect(await page.locator('.finder-results__status').textContent()).toBe(tr['finder.results.start']);
    await opened.close();
  });

  it('keeps a keystroke that arrives the moment the field appears', async () => {
    // The field's first keystroke, typed right after the page is drawn and before React has run its effects
    // (as a fast typist, or a test tabbing into the field while the page is still settling, can): it stays.
    const context = await (await launchBrowser()).newContext({ viewport: PHONE, locale: 'de-DE' });
    try {
      const page = await context.newPage();
      await page.addInitScript(() => {
        const seen: string[] = [];
        Object.assign(window, { __typed: seen });
        const observer = new MutationObserver(() => {
          const input = document.querySelector<HTMLInputElement>('input[role="combobox"]');
          if (!input) return;
          observer.disconnect();
          input.focus();
          Object.getOwnPropertyDescriptor(HTMLInputElement.prototype, 'value')?.set?.call(input, 'F');
          input.dispatchEvent(new Event('input', { bubbles: true }));
          seen.push(input.value);
          setTimeout(() => seen.push(input.value), 300);
        });
        observer.observe(document, { childList: true, subtree: true });
      });
      await page.goto(`${server.url}/finder`, { waitUntil: 'load' });
      await page.waitForFunction(() => (window as unknown as { __typed: string[] }).__typed.length === 2);
      expect(await page.evaluate(() => (window as unknown as { __typed: string[] }).__typed)).toEqual(['F', 'F']);
    } finally {
      await context.close();
    }
  });

  it('works from the field to a result’s details with the keyboard alone', async () => {
    const hit = await firstHit('Friedensplatz 1');
    const expected = await nearest(hit.point as Position, ['childcare']);
    const opened = await openPage(`${server.url}/finder`, { viewport: PHONE, waitForMap: false });
    const { page } = opened;
    const focused = () =>
      page.evaluate(() => {
        const el = document.activeElement as HTMLElement | null;
        return {
          role: el?.getAttribute('role') ?? null,
          tag: el?.tagName ?? '',
          category: el?.dataset.category ?? null,
          offer: el?.dataset.offerId ?? null,
          id: el?.id ?? '',
          text: el?.textContent ?? '',
        };
      });
    const tabUntil = async (matches: (f: Awaited<ReturnType<typeof focused>>) => boolean, limit = 40) => {
      for (let i = 0; i < limit; i++) {
        await page.keyboard.press('Tab');
        if (matches(await focused())) return;
      }
      throw new Error(`not reached with ${limit} tab presses; focus is on ${JSON.stringify(await focused())}`);
    };

    // The page is loaded on demand after the shell: tab only once it is there, or the presses run out on the shell.
    await opened.guard(placeField(page).waitFor());
    await tabUntil((f) => f.role === 'combobox');
    const field = placeField(page);
    await page.keyboard.type('Friedensplatz 1', { delay: 15 });
    await opened.guard(page.locator('[role="option"]').first().waitFor());
    // Escape closes the list, ↓ opens it again on the first suggestion.
    await page.keyboard.press('Escape');
    expect(await field.getAttribute('aria-expanded')).toBe('false');
    await page.keyboard.press('ArrowDown');
    expect(await field.getAttribute('aria-expanded')).toBe('true');
    const activeId = await field.getAttribute('aria-activedescendant');
    expect(activeId).toBeTruthy();
    const active = page.locator(`#${activeId}`);
    expect(await active.getAttribute('aria-selected')).toBe('true');
    expect(await active.locator('.place-search__option-label').textContent()).toBe(hit.label);
    await page.keyboard.press('Enter');
    expect(await field.inputValue()).toBe(hit.label);
    expect(await field.getAttribute('aria-expanded')).toBe('false');
    expect((await focused()).role).toBe('combobox');

    await tabUntil((f) => f.category === 'childcare');
    await page.keyboard.press('Space');
    expect(await page.locator('button[data-category="childcare"]').getAttribute('aria-pressed')).toBe('true');
    await opened.guard(page.locator('.result').first().waitFor());

    await tabUntil((f) => f.offer !== null);
    const firstId = expected.features[0]?.properties.id;
    expect((await focused()).offer).toBe(firstId);
    await page.keyboard.press('Enter');
    await opened.guard(page.locator('.details__facts').waitFor());
    const detail = await api<OfferDetail>(`/api/offers/${firstId}`);
    const heading = await focused();
    expect(heading.tag).toBe('H2');
    expect(heading.text).toContain(detail.name ?? '');
    const facts = await page.locator('.details__facts').textContent();
    expect(facts).toContain(de['finder.details.source']);
    expect(facts).toContain(detail.source.title);
    expect(facts).toContain(de['finder.details.licence']);
    expect(facts).toContain(detail.source.licence);
    expect(facts).toContain(de['finder.details.date']);
    if (detail.street) expect(facts).toContain(detail.street);
    expect(new URL(page.url()).searchParams.get('sel')).toBe(firstId);
    // No route service is configured: OpenStreetMap's directions on foot, as a plain link.
    expect(await page.locator('a.details__route').getAttribute('href')).toBe(
      routeUrl(OSM_ROUTE_TEMPLATE, hit.point as Position, detail.point as Position),
    );

    // Back to the list: the focus returns to the result.
    await page.keyboard.press('Shift+Tab');
    expect((await focused()).text).toContain(de['finder.details.back']);
    await page.keyboard.press('Enter');
    await page.locator('.result').first().waitFor();
    expect((await focused()).offer).toBe(firstId);
    expect(new URL(page.url()).searchParams.get('sel')).toBeNull();
    await opened.close();
  });

  it('restores a shared search from its link: place, categories and the open result', async () => {
    expect(sharedUrl).toContain('at=');
    const expected = await nearest(chosenPoint, ['childcare']);
    const second = expected.features[1]?.properties.id ?? '';
    const link = new URL(sharedUrl);
    link.searchParams.set('sel', second);

    const opened = await openPage(link.toString(), { viewport: NARROW });
    const { page } = opened;
    expect(await placeField(page).inputValue()).toBe(link.searchParams.get('place'));
    expect(await page.locator('button[data-category="childcare"]').getAttribute('aria-pressed')).toBe('true');
    await opened.guard(page.locator('.details__facts').waitFor());
    const detail = await api<OfferDetail>(`/api/offers/${second}`);
    expect(await page.locator('.details__title').textContent()).toBe(`2${detail.name}`);

    await page.getByRole('button', { name: de['finder.details.back'] }).click();
    const { ids } = await opened.guard(listed(page));
    expect(ids).toEqual(expected.features.map((f) => f.properties.id));
    await opened.close();
  });

  it('fits a 360 px wide screen: no sideways scrolling, every control at least 44 px', async () => {
    const opened = await openPage(sharedUrl, { viewport: NARROW });
    const { page } = opened;
    await opened.guard(listed(page));
    await page.getByRole('button', { name: de['finder.categories.more'] }).click();
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    expect(overflow).toBeLessThanOrEqual(0);
    const small = await page.evaluate(() =>
      [...document.querySelectorAll<HTMLElement>('.finder button, .finder input, .finder a.finder-button')]
        .filter((el) => el.offsetParent !== null)
        // A checkbox in its label is touched through the label, which is its target.
        .map((el) => (el.matches('input[type="checkbox"]') ? (el.closest('label') ?? el) : el))
        .map((el) => ({ what: el.textContent?.trim() || el.className, box: el.getBoundingClientRect() }))
        .filter(({ box }) => box.height < 44 || box.width < 44 || box.right > window.innerWidth + 0.5)
        .map(
          ({ what, box }) => `${what}: ${Math.round(box.width)}×${Math.round(box.height)} at x ${Math.round(box.x)}`,
        ),
    );
    expect(small).toEqual([]);
    await opened.screenshot('finder-360x740');
    await opened.close();
  });

  it('searches from the device’s position, and says so plainly when it is refused', async () => {
    const hit = await firstHit('Friedensplatz 1');
    const [lon, lat] = hit.point as Position;
    const expected = await nearest([lon, lat], ['library']);

    const opened = await openPage(`${server.url}/finder?cat=library`, { viewport: PHONE, waitForMap: false });
    const { page, context, origin } = opened;
    await context.grantPermissions(['geolocation'], { origin });
    await context.setGeolocation({ longitude: lon, latitude: lat, accuracy: 20 });
    await page.getByRole('button', { name: de['finder.locate'] }).click();
    const { ids } = await opened.guard(listed(page));
    expect(ids).toEqual(expected.features.map((f) => f.properties.id));
    expect(new URL(page.url()).searchParams.get('from')).toBe('gps');
    expect(await page.locator('.finder-results__heading').textContent()).toBe(
      fill(de['finder.results.title'], { place: isolated(de['finder.place.gps']) }),
    );

    await context.clearPermissions();
    await page.getByRole('button', { name: de['finder.locate'] }).click();
    await opened.guard(page.getByText(de['finder.locate.denied']).waitFor());
    await opened.close();
  });

  it('searches from a point tapped on the map', async () => {
    const opened = await openPage(`${server.url}/finder?cat=school`, { viewport: PHONE });
    const { page } = opened;
    await page.locator('.map-view').scrollIntoViewIfNeeded();
    await opened.waitForMapIdle();
    const box = await page.locator('.map-view canvas').first().boundingBox();
    if (!box) throw new Error('no map canvas');
    const tap = { x: box.x + box.width / 2, y: box.y + Math.min(box.height, PHONE.height - box.y) / 2 };
    // Where the tap lands, asked before it: the map moves to the results afterwards.
    const tapped = await page.evaluate(
      ([x, y]) => {
        const map = window.__map;
        if (!map) throw new Error('no map');
        const rect = map.getCanvas().getBoundingClientRect();
        return map.unproject([x - rect.left, y - rect.top]).toArray();
      },
      [tap.x, tap.y] as const,
    );
    await page.mouse.click(tap.x, tap.y);
    await page.waitForURL(/from=map/);
    const at = new URL(page.url()).searchParams.get('at')?.split(',').map(Number) as Position;
    expect(at[0]).toBeCloseTo(tapped[0], 3);
    expect(at[1]).toBeCloseTo(tapped[1], 3);
    const expected = await nearest(at, ['school']);
    const { ids } = await opened.guard(listed(page));
    expect(ids).toEqual(expected.features.map((f) => f.properties.id));

    // The list filled above the map, and the map stayed where it was on the screen.
    await opened.waitForMapIdle();
    const after = await page.locator('.map-view canvas').first().boundingBox();
    expect(Math.abs((after?.y ?? 0) - box.y)).toBeLessThan(2);

    // A tap on a numbered marker opens that result.
    await page.locator('.map-view').scrollIntoViewIfNeeded();
    const target = expected.features[0];
    const marker = await page.evaluate((p) => {
      const map = window.__map;
      if (!map) throw new Error('no map');
      const rect = map.getCanvas().getBoundingClientRect();
      const { x, y } = map.project(p);
      return { x: x + rect.left, y: y + rect.top };
    }, target?.geometry.coordinates as Position);
    await page.mouse.click(marker.x, marker.y);
    await opened.guard(page.locator('.details__facts').waitFor());
    expect(new URL(page.url()).searchParams.get('sel')).toBe(target?.properties.id);
    await opened.close();
  });

  it('says when the API is down, and lists the results after a retry', async () => {
    const opened = await openPage(sharedUrl.replace(/&?sel=[^&]*/, ''), {
      viewport: PHONE,
      waitForMap: false,
      allowStatus: (url, status) => status === 503 && url.includes('/api/offers/nearest'),
    });
    const { page } = opened;
    try {
      // The page has asked once already; with the API down from now on, it is loaded again.
      await page.route('**/api/offers/nearest?**', (route) =>
        route.fulfill({
          status: 503,
          contentType: 'application/problem+json',
          body: JSON.stringify({ title: 'Service unavailable', status: 503 }),
        }),
      );
      await page.reload();
      const status = page.locator('.finder-results__status');
      await page.getByText(de['finder.results.error']).waitFor();
      expect(await status.getAttribute('role')).toBe('status');
      expect(await page.locator('.result').count()).toBe(0);

      await page.unroute('**/api/offers/nearest?**');
      await page.getByRole('button', { name: de['finder.retry'] }).click();
      const expected = await nearest(chosenPoint, ['childcare']);
      const { ids } = await listed(page);
      expect(ids).toEqual(expected.features.map((f) => f.properties.id));
      // Chromium logs each 503 answer as a console error: those, and nothing else, are expected here.
      const unexpected = opened.problems.filter(
        (p) => !/^console error: Failed to load resource: .* 503 .*\/api\/offers\/nearest\?/.test(p),
      );
      expect(unexpected).toEqual([]);
      expect(opened.externalRequests).toEqual([]);
    } finally {
      await opened.context.close();
    }
  });

  it('says when nothing is near, and when a place lies outside the city', async () => {
    // The real API, asked for a radius of 1 m: an empty answer.
    const opened = await openPage(sharedUrl.replace(/&?sel=[^&]*/, ''), { viewport: PHONE, waitForMap: false });
    const { page } = opened;
    await page.route('**/api/offers/nearest?**', (route) => {
      const url = new URL(route.request().url());
      url.searchParams.set('max_m', '1');
      return route.continue({ url: url.toString() });
    });
    await page.reload();
    await opened.guard(page.getByText(fill(de['finder.results.none'], { km: RESULT_MAX_M / 1000 })).waitFor());
    expect(await page.locator('.result').count()).toBe(0);
    await page.unroute('**/api/offers/nearest?**');

    const before = opened.requests.filter((r) => r.includes('/api/offers/nearest')).length;
    await page.goto(`${server.url}/finder?at=6.9,51.2&from=map&cat=childcare`);
    await opened.guard(page.getByText(fill(de['finder.outside'], { city: 'Dortmund' })).waitFor());
    expect(opened.requests.filter((r) => r.includes('/api/offers/nearest')).length).toBe(before);
    await opened.close();
  });

  it('says the data are patchy for a category the data cover too thinly, never "nothing within 5 km"', async () => {
    const { categories } = await api<CategoryList>('/api/offers/categories');
    const thin = categories.find((c) => c.incomplete !== null);
    if (!thin) throw new Error('/api/offers/categories marks no category incomplete');
    const hit = await firstHit('Friedensplatz 1');
    const opened = await openPage(linkFor(hit.point as Position, hit.label, [thin.code]), {
      viewport: PHONE,
      waitForMap: false,
    });
    const { page } = opened;
    // Its chip says so, in words.
    const chip = page.locator(`.chip[data-category="${thin.code}"]`);
    await opened.guard(chip.locator('.chip__note').waitFor());
    expect(await chip.getAttribute('data-incomplete')).toBe('true');
    expect(await chip.locator('.chip__note').textContent()).toBe(de['finder.categories.incomplete']);
    // The real API asked for a radius of 1 m: an empty answer, which the page must not call "nothing near".
    await page.route('**/api/offers/nearest?**', (route) => {
      const url = new URL(route.request().url());
      url.searchParams.set('max_m', '1');
      return route.continue({ url: url.toString() });
    });
    await page.reload();
    const status = page.locator('.finder-results__status');
    await opened.guard(page.getByText(fill(de['finder.results.incomplete'], { categories: thin.labels.de })).waitFor());
    expect(await status.textContent()).not.toContain(fill(de['finder.results.none'], { km: RESULT_MAX_M / 1000 }));
    expect(await page.locator('.result').count()).toBe(0);
    // The reason the API gives is shown beside it.
    expect(await page.locator('[data-caveats] li').allTextContents()).toContain(thin.incomplete?.de);
    await opened.close();
  });

  it('offers the route link of ROUTE_URL_TEMPLATE where one is configured', async () => {
    const routed = await startServer(
      { db: server.db, env: readEnv({ ROUTE_URL_TEMPLATE: ROUTE_TEMPLATE }) },
      0,
      '127.0.0.1',
    );
    try {
      const config = await api<{ routeUrlTemplate: string | null }>('/api/config', routed.url);
      expect(config.routeUrlTemplate).toBe(ROUTE_TEMPLATE);
      expect((await api<{ routeUrlTemplate: string | null }>('/api/config')).routeUrlTemplate).toBeNull();

      const expected = await nearest(chosenPoint, ['childcare']);
      const id = expected.features[0]?.properties.id ?? '';
      const detail = await api<OfferDetail>(`/api/offers/${id}`);
      const link = new URL(sharedUrl);
      link.searchParams.set('sel', id);
      const opened = await openPage(`${routed.url}${link.pathname}${link.search}`, {
        viewport: PHONE,
        waitForMap: false,
      });
      const route = opened.page.locator('a.details__route');
      await opened.guard(route.waitFor());
      expect(await route.getAttribute('href')).toBe(routeUrl(ROUTE_TEMPLATE, chosenPoint, detail.point as Position));
      expect(await route.textContent()).toBe(de['finder.details.route']);
      expect(opened.externalRequests).toEqual([]);
      await opened.close();
    } finally {
      await routed.close();
    }
  });

  it.each(['de', 'ar'] as const)(
    'offers the neighbouring house numbers and the street when the register lacks the number typed (%s)',
    async (lang) => {
      const { street, n } = await streetWithGap();
      const typed = `${street} ${n}`;
      const expected = await api<SearchResult>(`/api/search?q=${encodeURIComponent(typed)}&limit=8`);
      expect(expected.missing).toEqual({ street, number: String(n) });
      const opened = await openPage(`${server.url}/finder`, { viewport: PHONE, waitForMap: false });
      const { page } = opened;
      const messages = lang === 'ar' ? { ...de, ...ar } : de;
      if (lang === 'ar') {
        await page.selectOption('select[name="lang"]', 'ar');
        await page.waitForFunction(() => document.documentElement.dir === 'rtl');
      }
      const field = page.locator('input[role="combobox"]');
      await field.pressSequentially(typed, { delay: 10 });
      await opened.guard(page.locator('[role="option"]').first().waitFor());
      const options = page.locator('[role="option"]');
      expect(await options.locator('.place-search__option-label').allTextContents()).toEqual(
        expected.hits.map((h) => h.label),
      );
      // Said plainly: the number is not in the register; these are its neighbours and the street.
      expect(await page.locator('.place-search__status').textContent()).toBe(
        fill(messages['finder.place.missing'], { address: isolated(typed) }),
      );
      expect(await options.nth(0).locator('.place-search__option-label').textContent()).toBe(`${street} ${n - 1}`);
      expect(await options.nth(0).locator('.place-search__option-meta').textContent()).toContain(
        messages['finder.kind.neighbour'],
      );
      const streetOption = options.filter({
        has: page.locator('.place-search__option-meta', { hasText: isolated(messages['finder.kind.street']) }),
      });
      expect(await streetOption.locator('.place-search__option-label').textContent()).toBe(street);
      // A neighbour is a place to search from like any address.
      await options.nth(0).click();
      expect(await field.inputValue()).toBe(`${street} ${n - 1}`);
      await opened.guard(page.locator('.result').first().waitFor());
      expect(new URL(page.url()).searchParams.get('place')).toBe(`${street} ${n - 1}`);
      await opened.screenshot(`finder-neighbours-${lang}-390x844`);
      await opened.close();
    },
  );

  it.each([
    ['de', PHONE],
    ['ar', PHONE],
    ['de', DESKTOP],
  ] as const)(
    "returns from an offer's details to the list, where it was, with the browser's Back (%s, %o)",
    async (lang, viewport) => {
      const hit = await firstHit('Friedensplatz 1');
      const expected = await nearest(hit.point as Position, ['childcare']);
      const messages = lang === 'ar' ? { ...de, ...ar } : de;
      // The language is chosen by the link, so that the history holds the finder's entries alone.
      const opened = await openPage(linkFor(hit.point as Position, hit.label, ['childcare'], { lang }), {
        viewport,
        waitForMap: false,
      });
      const { page } = opened;
      await opened.guard(page.locator('.result').first().waitFor());
      expect(await page.evaluate(() => document.documentElement.lang)).toBe(lang);
      const sixth = page.locator('.result').nth(5);
      const sixthName = expectedNames(expected)[5];
      expect(await sixth.locator('.result__name').textContent()).toBe(sixthName);
      // The list scrolled down to the sixth result, as a resident reading it would.
      const scrolled = await sixth.evaluate((el) => {
        el.scrollIntoView({ block: 'center' });
        let node = el.parentElement;
        while (node && !(node.scrollHeight > node.clientHeight && /auto|scroll/.test(getComputedStyle(node).overflowY)))
          node = node.parentElement;
        return (node ?? document.scrollingElement)?.scrollTop ?? 0;
      });
      expect(scrolled).toBeGreaterThan(0);
      const before = await sixth.boundingBox();
      await sixth.click();
      await opened.guard(page.locator('.details__facts').waitFor());
      expect(await page.locator('.details__title').textContent()).toBe(`6${sixthName}`);

      await page.goBack();
      await opened.guard(page.locator('.result').first().waitFor());
      expect(await page.locator('.details__facts').count()).toBe(0);
      expect(new URL(page.url()).searchParams.get('sel')).toBeNull();
      expect(new URL(page.url()).pathname).toBe('/finder');
      expect(await page.locator('.result__name').allTextContents()).toEqual(expectedNames(expected));
      // Where it was: the sixth result at the same place on the screen.
      const after = await page.locator('.result').nth(5).boundingBox();
      expect(Math.abs((after?.y ?? -1000) - (before?.y ?? 0))).toBeLessThanOrEqual(2);
      // Forward opens the details again, and the page's own Back goes back in the history too.
      await page.goForward();
      await opened.guard(page.locator('.details__facts').waitFor());
      await page.getByRole('button', { name: messages['finder.details.back'] }).click();
      await opened.guard(page.locator('.result').first().waitFor());
      expect(new URL(page.url()).searchParams.get('sel')).toBeNull();
      // The page's Back took the details' entry off the history rather than adding one: one more Back leaves.
      await page.goBack();
      expect(page.url()).not.toContain('/finder');
      expect(opened.externalRequests).toEqual([]);
      await opened.close();
    },
  );

  it.each([
    ['de', PHONE],
    ['ar', PHONE],
    ['de', DESKTOP],
  ] as const)(
    'shows the first result on the screen after an address or a category is chosen (%s, %o)',
    async (lang, viewport) => {
      const hit = await firstHit('Friedensplatz 1');
      const opened = await openPage(`${server.url}/finder?cat=childcare`, { viewport, waitForMap: false });
      const { page } = opened;
      if (lang === 'ar') {
        await page.selectOption('select[name="lang"]', 'ar');
        await page.waitForFunction(() => document.documentElement.dir === 'rtl');
      }
      const field = page.locator('input[role="combobox"]');
      await field.pressSequentially('Friedensplatz 1', { delay: 10 });
      await opened.guard(page.locator('[role="option"]').first().waitFor());
      await page.locator('[role="option"]').first().click();
      expect(await field.inputValue()).toBe(hit.label);
      await opened.guard(page.locator('.result').first().waitFor());
      await page.waitForFunction(() => document.querySelectorAll('.result').length > 0);
      const afterAddress = await firstResultInView(page);
      expect(afterAddress, JSON.stringify(afterAddress)).toMatchObject({ inView: true });

      // Back to the top, another category: its first result in view again.
      await page.locator('h1').scrollIntoViewIfNeeded();
      const schools = await nearest(hit.point as Position, ['childcare', 'school']);
      await page.locator('button[data-category="school"]').click();
      await opened.guard(
        page.waitForFunction(
          (name) => document.querySelector('.result__name')?.textContent === name,
          expectedNames(schools)[0],
        ),
      );
      const afterCategory = await firstResultInView(page);
      expect(afterCategory, JSON.stringify(afterCategory)).toMatchObject({ inView: true });
      await opened.screenshot(`finder-first-result-${lang}-${viewport.width}x${viewport.height}`);
      await opened.close();
    },
  );

  it.each(['de', 'ar'] as const)(
    'finds paediatricians apart from other doctors, with the date of the data, an approximate address and an OpenStreetMap route (%s)',
    async (lang) => {
      const hit = await firstHit('Friedensplatz 1');
      const point = hit.point as Position;
      const messages = lang === 'ar' ? { ...de, ...ar } : de;
      const opened = await openPage(linkFor(point, hit.label, ['health']), { viewport: PHONE, waitForMap: false });
      const { page } = opened;
      if (lang === 'ar') {
        await page.selectOption('select[name="lang"]', 'ar');
        await page.waitForFunction(() => document.documentElement.dir === 'rtl');
      }
      await opened.guard(page.locator('.result').first().waitFor());
      // Every result of the category carries the date of its data.
      const all = await nearest(point, ['health']);
      const dates = await page.locator('.result__date').allTextContents();
      expect(dates).toEqual(
        all.features.map((f) =>
          fill(messages['finder.result.date'], { date: formatDate(f.properties.reference_date, lang, 'long') }),
        ),
      );

      const chip = page.getByRole('button', { name: subcategoryLabel('doctor:paediatrics', lang) ?? '', exact: true });
      await chip.click();
      expect(await chip.getAttribute('aria-pressed')).toBe('true');
      const expected = await nearest(point, ['health'], ['doctor:paediatrics']);
      expect(expected.features.length).toBeGreaterThan(0);
      await opened.guard(
        page.waitForFunction(
          (n) => document.querySelectorAll('.result').length === n && !document.querySelector('[aria-busy="true"]'),
          expected.features.length,
        ),
      );
      await page.waitForFunction(
        (name) => document.querySelector('.result__name')?.textContent === name,
        expectedNames(expected)[0],
      );
      expect(await page.locator('.result__name').allTextContents()).toEqual(expectedNames(expected));
      expect(new URL(page.url()).searchParams.get('kind')).toBe('doctor:paediatrics');
      // A few OSM practices of about 2020 are all the data know of paediatricians: the status says so.
      const paediatricians = subcategoryLabel('doctor:paediatrics', lang) ?? '';
      expect(await page.locator('.finder-results__status').textContent()).toContain(
        fill(messages['finder.results.incompleteSome'], { categories: paediatricians }),
      );
      // Every result has an address: where the source gives none, the register's nearest, marked "ca.".
      const addresses = await page.locator('.result__address').allTextContents();
      expect(addresses).toEqual(
        expected.features.map((f) => {
          const a = f.properties.address;
          if (!a) throw new Error(`${f.id} has no address`);
          const text = [a.street, [a.postcode, a.city].filter(Boolean).join(' ')].filter(Boolean).join(', ');
          return a.approximate ? fill(messages['finder.result.approx'], { address: text }) : text;
        }),
      );
      expect(expected.features.some((f) => f.properties.address?.approximate)).toBe(true);
      const first = await firstResultInView(page);
      expect(first, JSON.stringify(first)).toMatchObject({ inView: true });

      // Its details: the approximate address says so, and the route is a plain link to OpenStreetMap.
      const target = expected.features[0];
      const detail = await api<OfferDetail>(`/api/offers/${target?.id}`);
      await page.locator('.result').first().click();
      await opened.guard(page.locator('.details__facts').waitFor());
      const distance = formatDistance(detail.address?.distance_m ?? 0, lang);
      const unit = messages[distance.unit === 'm' ? 'finder.unit.m' : 'finder.unit.km'];
      expect(await page.locator('.details__facts').textContent()).toContain(
        fill(messages['finder.details.addressApprox'], { distance: fill(unit, { value: distance.value }) }),
      );
      const route = page.locator('a.details__route');
      expect(await route.getAttribute('href')).toBe(routeUrl(OSM_ROUTE_TEMPLATE, point, detail.point as Position));
      expect(await route.textContent()).toBe(messages['finder.details.route']);
      expect(opened.externalRequests).toEqual([]);
      await opened.screenshot(`finder-paediatricians-${lang}-390x844`);

      // None near (the real API asked for a radius of 1 m): never "nothing within 5 km", since the data cannot
      // say that for paediatricians.
      await page.goBack();
      await page.route('**/api/offers/nearest?**', (r) => {
        const url = new URL(r.request().url());
        url.searchParams.set('max_m', '1');
        return r.continue({ url: url.toString() });
      });
      await page.reload();
      await opened.guard(
        page.getByText(fill(messages['finder.results.incomplete'], { categories: paediatricians })).waitFor(),
      );
      expect(await page.locator('.result').count()).toBe(0);
      await opened.close();
    },
  );
});
