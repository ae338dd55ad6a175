import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ar } from '../../web/i18n/messages/ar.ts';
import { de } from '../../web/i18n/messages/de.ts';
import { en } from '../../web/i18n/messages/en.ts';
import { tr } from '../../web/i18n/messages/tr.ts';
import { basemapColors } from '../../web/map/basemap-colors.ts';
import { useAppServer } from '../support/app-server.ts';
import { countPixelsNear, type OpenedPage, openPage } from '../support/browser.ts';

/**
 * The shell and its basemap, on the real data (the pages load their data on opening). Software WebGL on two
 * busy cores is slow, hence the generous timeout.
 */
describe('basemap and web shell in Chromium', { timeout: 120_000 }, () => {
  const server = useAppServer();

  describe('tile endpoint', () => {
    it('serves a basemap tile as protobuf, gzipped, with ETag and a long cache header', async () => {
      const res = await fetch(`${server.url}/tiles/basemap/14/8532/5443.pbf`, {
        headers: { 'accept-encoding': 'gzip' },
      });
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toBe('application/x-protobuf');
      expect(res.headers.get('content-encoding')).toBe('gzip');
      expect(res.headers.get('cache-control')).toMatch(/max-age=\d{6,}/);
      const etag = res.headers.get('etag');
      expect(etag).toMatch(/^"[\w-]+"$/);
      const body = new Uint8Array(await res.arrayBuffer());
      expect(body.length).toBeGreaterThan(1000);
      expect(body[0]).toBe(0x1a); // field 3 (layers), length-delimited: an MVT

      const again = await fetch(`${server.url}/tiles/basemap/14/8532/5443.pbf`, {
        headers: { 'accept-encoding': 'gzip', 'if-none-match': etag ?? '' },
      });
      expect(again.status).toBe(304);
    });

    it('answers a tile outside the tile pyramid with 400 problem+json naming the parameter', async () => {
      for (const [path, param] of [
        ['15/0/0', 'z'],
        ['3/8/0', 'x'],
        ['3/0/-1', 'y'],
        ['x/0/0', 'z'],
      ] as const) {
        const res = await fetch(`${server.url}/tiles/basemap/${path}.pbf`);
        expect(res.status, path).toBe(400);
        expect(res.headers.get('content-type')).toBe('application/problem+json');
        expect(await res.json()).toMatchObject({ status: 400, param });
      }
    });

    it('answers a tile the extract does not have with 204 No Content', async () => {
      const res = await fetch(`${server.url}/tiles/basemap/14/0/0.pbf`);
      expect(res.status).toBe(204);
      expect((await res.arrayBuffer()).byteLength).toBe(0);
    });
  });

  describe.each([
    { width: 1280, height: 800 },
    { width: 390, height: 844 },
  ])('planner map at $width×$height', (viewport) => {
    let opened: OpenedPage;
    beforeAll(async () => {
      opened = await openPage(`${server.url}/`, { viewport });
    });
    afterAll(async () => {
      await opened?.close();
    });

    it('draws water, roads, rail and place labels of the basemap', async () => {
      const { page } = opened;
      const rendered = await page.evaluate(() => {
        const map = window.__map;
        if (!map) throw new Error('no map');
        const count = (id: string) => map.queryRenderedFeatures({ layers: [id] }).length;
        return {
          water: count('water'),
          roads: count('road-major'),
          rail: count('railway'),
          places: count('label-place-major') + count('label-place-minor'),
          zoom: map.getZoom(),
        };
      });
      expect(rendered.water).toBeGreaterThan(0);
      expect(rendered.roads).toBeGreaterThan(0);
      expect(rendered.rail).toBeGreaterThan(0);
      expect(rendered.places).toBeGreaterThan(0);

      const canvas = await page.locator('.maplibregl-canvas').boundingBox();
      if (!canvas) throw new Error('no map canvas');
      expect(canvas.height).toBeGreaterThan(300);
      const png = await opened.screenshot(`planner-${viewport.width}x${viewport.height}`);
      expect(countPixelsNear(png, basemapColors.water, 4, canvas)).toBeGreaterThan(50);
      expect(countPixelsNear(png, basemapColors.land, 3, canvas)).toBeGreaterThan(canvas.width * canvas.height * 0.05);
    });

    it('fits Dortmund in the first view', async () => {
      const bounds = await opened.page.evaluate(() => window.__map?.getBounds().toArray());
      if (!bounds) throw new Error('no map');
      const [[west, south], [east, north]] = bounds as [[number, number], [number, number]];
      // The city's centre is in view and the view is no wider than the region.
      expect(west).toBeLessThan(7.46);
      expect(east).toBeGreaterThan(7.47);
      expect(south).toBeLessThan(51.51);
      expect(north).toBeGreaterThan(51.52);
      expect(east - west).toBeLessThan(1.5);
    });

    it('lists the basemap attribution', async () => {
      const text = await opened.page.locator('.maplibregl-ctrl-attrib-inner').textContent();
      expect(text).toContain('© OpenStreetMap contributors (ODbL)');
      expect(text).toContain('© OpenMapTiles');
    });

    it('keeps header controls in view, at least 44 px high, with no sideways scrolling', async () => {
      const { page } = opened;
      for (const locator of [page.locator('select[name="lang"]'), page.locator('.app-nav a')]) {
        for (const box of await Promise.all((await locator.all()).map((l) => l.boundingBox()))) {
          expect(box).not.toBeNull();
          if (!box) continue;
          expect(box.height).toBeGreaterThanOrEqual(44);
          expect(box.y + box.height).toBeLessThanOrEqual(viewport.height);
          expect(box.x).toBeGreaterThanOrEqual(0);
        }
      }
      const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
      expect(overflow).toBeLessThanOrEqual(0);
    });

    it('made no request to any other origin and had no page or console error', () => {
      expect(opened.externalRequests).toEqual([]);
      opened.assertClean();
    });
  });

  it('draws buildings, minor roads and street names at zoom 14 and beyond', async () => {
    // A smaller window: software WebGL draws a z15 city centre slowly on a busy machine.
    const opened = await openPage(`${server.url}/`, { viewport: { width: 900, height: 640 } });
    await opened.page.evaluate(() => window.__map?.jumpTo({ center: [7.4653, 51.5136], zoom: 15 }));
    await opened.waitForMapIdle();
    const rendered = await opened.page.evaluate(() => {
      const map = window.__map;
      if (!map) throw new Error('no map');
      const count = (id: string) => map.queryRenderedFeatures({ layers: [id] }).length;
      return { buildings: count('building'), minor: count('road-minor'), streets: count('label-street') };
    });
    expect(rendered.buildings).toBeGreaterThan(50);
    expect(rendered.minor).toBeGreaterThan(0);
    expect(rendered.streets).toBeGreaterThan(0);
    await opened.screenshot('planner-zoom15');

    // Beyond the extract's z14 tiles the server answers 204: empty tiles to the map, no error.
    const statuses: number[] = [];
    opened.page.on('response', (r) => {
      if (r.url().includes('/tiles/basemap/14/')) statuses.push(r.status());
    });
    await opened.page.evaluate(() => window.__map?.jumpTo({ center: [7.17, 51.5], zoom: 14 }));
    await opened.waitForMapIdle();
    expect(statuses).toContain(204);
    await opened.close();
  });

  it.each([
    ['/finder', de['finder.title']],
    ['/council', de['council.title']],
  ])('%s renders its heading', async (path, heading) => {
    const opened = await openPage(`${server.url}${path}`);
    expect((await opened.page.locator('h1').textContent())?.trim()).toBe(heading);
    expect(await opened.page.title()).toContain(heading);
    expect(await opened.page.locator('.app-nav a[aria-current="page"]').getAttribute('href')).toBe(path);
    await opened.close();
  });

  it('switches to Arabic: dir=rtl on <html>, the choice kept in the URL across pages', async () => {
    const opened = await openPage(`${server.url}/`, { viewport: { width: 390, height: 844 } });
    const { page } = opened;
    expect(await page.evaluate(() => document.documentElement.dir)).toBe('ltr');
    await page.selectOption('select[name="lang"]', 'ar');
    await page.waitForFunction(() => document.documentElement.dir === 'rtl');
    expect(await page.evaluate(() => document.documentElement.lang)).toBe('ar');
    expect(new URL(page.url()).searchParams.get('lang')).toBe('ar');
    // The planner is not translated into Arabic yet: it says so at its top, in Arabic, and shows itself in English.
    expect(await page.getByRole('note').first().textContent()).toBe(ar['fallback.notice']);
    expect(await page.locator('h1').textContent()).toBe(en['planner.title']);
    await opened.screenshot('planner-ar-390x844');

    await page.locator('.app-nav a[href^="/finder"]').click();
    await opened.guard(
      page.waitForFunction(
        () => location.pathname === '/finder' && new URLSearchParams(location.search).get('lang') === 'ar',
      ),
    );
    await opened.guard(page.locator('h1', { hasText: ar['finder.title'] }).waitFor());
    expect(await page.evaluate(() => document.documentElement.dir)).toBe('rtl');
    await opened.guard(page.waitForFunction(() => window.__mapReady === true));
    await opened.close();
  });

  it("follows the browser's language when the URL names none", async () => {
    const opened = await openPage(`${server.url}/council`, { locale: 'tr-TR' });
    expect(await opened.page.evaluate(() => document.documentElement.lang)).toBe('tr');
    // The council pages are not translated into Turkish yet: the notice says so in Turkish.
    expect(await opened.page.getByRole('note').first().textContent()).toBe(tr['fallback.notice']);
    await opened.close();
  });
});
