import { describe, expect, it } from 'vitest';
import type { z } from 'zod';
import type { NearestCollection } from '../../server/routes/offers.ts';
import type { IsochroneCollection, RouteFeature } from '../../server/routes/walk.ts';
import { RESULT_COUNT, RESULT_MAX_M } from '../../web/finder/constants.ts';
import { formatNumberUpTo } from '../../web/format.ts';
import { de } from '../../web/i18n/messages/de.ts';
import { useAppServer } from '../support/app-server.ts';
import { countPixelsNear, openPage } from '../support/browser.ts';

/**
 * Walking in the finder (issue 16), in Chromium at phone size against the real data package: what lies within
 * 5, 10 and 15 minutes' walk of the place, as listed, is what /api/isochrones answers; opening a result asks for
 * the walk to it (/api/walk/route), drawn on the map. In the planner, an open offer's card lists its catchment
 * as /api/isochrones counts it, and so does the card of any point clicked on the map, whose catchment is drawn.
 * One page load each.
 */
const PHONE = { width: 390, height: 844 };
const fill = (text: string, params: Record<string, string | number>) =>
  text.replace(/\{(\w+)\}/g, (whole, name: string) => String(params[name] ?? whole));

describe('walking in the finder', { timeout: 240_000 }, () => {
  const server = useAppServer();

  const { api } = server;

  it('lists what is reachable on foot as the API counts it, and asks for the walk to an opened result', async () => {
    // A quarter's label point: inside the city, among addresses.
    const [p] = await server.db.query<{ lon: number; lat: number; name: string }>(
      `SELECT round(ST_X(label_point)::numeric, 5)::float8 AS lon, round(ST_Y(label_point)::numeric, 5)::float8 AS lat, name
       FROM atlas.area WHERE level = 'quarter' ORDER BY code LIMIT 1`,
    );
    if (!p) throw new Error('no quarter');
    const expected = await api<z.infer<typeof IsochroneCollection>>(`/api/isochrones?lon=${p.lon}&lat=${p.lat}`);
    const nearest = await api<NearestCollection>(
      `/api/offers/nearest?lon=${p.lon}&lat=${p.lat}&k=${RESULT_COUNT}&max_m=${RESULT_MAX_M}&category=childcare`,
    );
    const first = nearest.features[0];
    if (!first) throw new Error('no Kita near the quarter');

    const url = `${server.url}/finder?at=${p.lon.toFixed(5)},${p.lat.toFixed(5)}&place=${encodeURIComponent(p.name)}&cat=childcare`;
    const opened = await openPage(url, { viewport: PHONE });
    const { page } = opened;
    const bands = page.locator('.finder__reach li');
    await opened.guard(bands.nth(2).waitFor({ timeout: 60_000 }));
    const n = (x: number) => formatNumberUpTo(x, 'de', 0);
    expect(await bands.allTextContents()).toEqual(
      expected.features.map((f) =>
        fill(de['finder.reach.band'], {
          minutes: f.properties.minutes,
          addresses: n(f.properties.addresses),
          residents: n(f.properties.residents),
          offers: n(Object.values(f.properties.offers).reduce((s, c) => s + c, 0)),
        }),
      ),
    );
    expect(await page.locator('#finder-reach-heading').textContent()).toBe(de['finder.reach.heading']);
    // The walking time of the first result comes from the network.
    expect(await page.locator('.result__distance').first().textContent()).toContain(
      fill(de['finder.walk'], { minutes: first.properties.walk_minutes ?? -1 }),
    );
    expect(await page.locator('.finder__note').first().textContent()).toContain('Gehzeit auf Straßen und Fußwegen');

    // Opening the first result asks for the walk to it, as long as the list says.
    const routeAnswer = page.waitForResponse((r) => r.url().includes('/api/walk/route'), { timeout: 60_000 });
    await page.locator('.result').first().click();
    const res = await opened.guard(routeAnswer);
    expect(res.status()).toBe(200);
    const route = (await res.json()) as z.infer<typeof RouteFeature>;
    expect(route.properties.to).toBe(first.properties.id);
    expect(route.properties.walk_m).toBe(first.properties.walk_m);
    await opened.waitForMapIdle();
    await opened.close();
  });

  it("lists an open offer's walking catchment in the planner as the API counts it", async () => {
    const [kita] = await server.db.query<{ id: string }>(
      "SELECT id FROM atlas.offer WHERE category = 'childcare' AND places_u3 IS NOT NULL ORDER BY id LIMIT 1",
    );
    if (!kita) throw new Error('no Kita');
    const offer = await api<{ point: [number, number] }>(`/api/offers/${kita.id}`);
    const expected = await api<z.infer<typeof IsochroneCollection>>(
      `/api/isochrones?lon=${offer.point[0]}&lat=${offer.point[1]}`,
    );
    // The card is the page's own: it does not wait for the map.
    const opened = await openPage(`${server.url}/?offer=${encodeURIComponent(kita.id)}`, {
      viewport: { width: 1280, height: 800 },
      waitForMap: false,
    });
    const { page } = opened;
    await opened.guard(page.locator('.offer-card').waitFor({ state: 'attached', timeout: 60_000 }));
    const bands = page.locator('.offer-card__catchment li');
    await opened.guard(bands.nth(2).waitFor({ state: 'attached', timeout: 60_000 }));
    const n = (x: number) => formatNumberUpTo(x, 'de', 0);
    expect(await bands.allTextContents()).toEqual(
      expected.features.map((f) =>
        fill(de['finder.reach.band'], {
          minutes: f.properties.minutes,
          addresses: n(f.properties.addresses),
          residents: n(f.properties.residents),
          offers: n(Object.values(f.properties.offers).reduce((s, c) => s + c, 0)),
        }),
      ),
    );
    expect(await page.locator('#offer-card-catchment').textContent()).toBe(de['planner.catchment.heading']);
    await opened.close();
  });

  it('draws and lists the walking catchment of a clicked map point in the planner as the API counts it', async () => {
    const [p] = await server.db.query<{ lon: number; lat: number }>(
      `SELECT round(ST_X(label_point)::numeric, 5)::float8 AS lon, round(ST_Y(label_point)::numeric, 5)::float8 AS lat
       FROM atlas.area WHERE level = 'quarter' ORDER BY code LIMIT 1`,
    );
    if (!p) throw new Error('no quarter');
    const opened = await openPage(`${server.url}/?map=15/${p.lat}/${p.lon}`, {
      viewport: { width: 1280, height: 800 },
      timeoutMs: 90_000,
    });
    const { page } = opened;
    const box = await page.evaluate(() => {
      const map = window.__map;
      if (!map) throw new Error('no map');
      const r = map.getCanvas().getBoundingClientRect();
      return { x: r.left, y: r.top, width: r.width, height: r.height };
    });
    const region = {
      x: Math.round(box.x),
      y: Math.round(box.y),
      width: Math.round(box.width),
      height: Math.round(box.height),
    };
    const GREEN = '#2f7d4f'; // web/layers/catchment-layer.ts: the outline of every band
    const before = countPixelsNear(await opened.screenshot('planner-walk-before'), GREEN, 24, region);

    // Pick a point, then click the quarter's label point on the map.
    const pick = page.locator('[data-action="walk-pick"]');
    await pick.click();
    expect(await pick.getAttribute('aria-pressed')).toBe('true');
    expect(await page.locator('.planner__hint').textContent()).toContain(de['planner.walk.pickHint']);
    const at = await page.evaluate(
      ([lon, lat]) => {
        const map = window.__map;
        if (!map) throw new Error('no map');
        const r = map.getCanvas().getBoundingClientRect();
        const q = map.project([lon, lat]);
        return { x: r.left + q.x, y: r.top + q.y };
      },
      [p.lon, p.lat] as const,
    );
    await page.mouse.click(at.x, at.y);
    const bands = page.locator('.walk-card li[data-minutes]');
    await opened.guard(bands.nth(2).waitFor({ timeout: 90_000 }));
    expect(await page.locator('.planner__hint').count()).toBe(0);

    // The point clicked is the one in the URL (about a metre), and the card lists what the API answers for it.
    const walk = new URL(page.url()).searchParams.get('walk')?.split(',').map(Number) ?? [];
    expect(walk).toHaveLength(2);
    const [lon, lat] = walk as [number, number];
    expect(Math.abs(lon - p.lon)).toBeLessThan(1e-4);
    expect(Math.abs(lat - p.lat)).toBeLessThan(1e-4);
    const expected = await api<z.infer<typeof IsochroneCollection>>(`/api/isochrones?lon=${lon}&lat=${lat}`);
    const n = (x: number) => formatNumberUpTo(x, 'de', 0);
    const sum = (offers: Record<string, number>) => Object.values(offers).reduce((s, c) => s + c, 0);
    expect(await page.locator('.walk-card__band').allTextContents()).toEqual(
      expected.features.map((f) =>
        fill(de['finder.reach.band'], {
          minutes: f.properties.minutes,
          addresses: n(f.properties.addresses),
          residents: n(f.properties.residents),
          offers: n(sum(f.properties.offers)),
        }),
      ),
    );
    expect(expected.features.at(-1)?.properties.residents).toBeGreaterThan(0);
    expect(await page.locator('#walk-card-title').textContent()).toBe(de['planner.walk.cardTitle']);

    // The catchment is drawn: the bands' outlines appear on the map.
    await opened.waitForMapIdle();
    const after = countPixelsNear(await opened.screenshot('planner-walk-after'), GREEN, 24, region);
    expect(after).toBeGreaterThan(before + 300);

    // Removed from the panel, then asked for by keyboard at the map's centre.
    await page.locator('[data-action="walk-clear"]').click();
    await opened.guard(page.locator('.walk-card').waitFor({ state: 'detached' }));
    expect(new URL(page.url()).searchParams.get('walk')).toBeNull();
    const centre = await page.evaluate(() => window.__map?.getCenter().toArray() ?? []);
    await page.locator('[data-action="walk-centre"]').focus();
    await page.keyboard.press('Enter');
    await opened.guard(page.locator('.walk-card li[data-minutes]').nth(2).waitFor({ timeout: 90_000 }));
    const [cLon, cLat] = new URL(page.url()).searchParams.get('walk')?.split(',').map(Number) ?? [];
    expect(Math.abs((cLon ?? 0) - (centre[0] ?? 1))).toBeLessThan(1e-4);
    expect(Math.abs((cLat ?? 0) - (centre[1] ?? 1))).toBeLessThan(1e-4);
    await opened.close();
  });
});
