import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { defaultManifestPath } from '../../geodata/import.ts';
import { loadManifest } from '../../geodata/manifest.ts';
import { buildWebConfig, padBounds, tileRangeBounds } from '../../server/domain/web-config.ts';
import { readEnv } from '../../server/env.ts';
import { basemapTileRange, configRoutes, WebConfig } from '../../server/routes/config.ts';

const env = readEnv({});
const manifest = loadManifest(env.GEODATA_MANIFEST ?? defaultManifestPath(env.GEODATA_DIR));
const tilesDir = join(env.GEODATA_DIR, 'basemap', 'openmaptiles');

describe('tileRangeBounds', () => {
  it('gives the whole Web Mercator world for the one tile of zoom 0', () => {
    const [w, s, e, n] = tileRangeBounds({ z: 0, minX: 0, maxX: 0, minY: 0, maxY: 0 });
    expect([w, e]).toEqual([-180, 180]);
    expect(n).toBeCloseTo(85.0511287798, 9);
    expect(s).toBeCloseTo(-85.0511287798, 9);
  });

  it('gives the north-east quarter for tile 1/1/0', () => {
    const [w, s, e, n] = tileRangeBounds({ z: 1, minX: 1, maxX: 1, minY: 0, maxY: 0 });
    expect([w, e]).toEqual([0, 180]);
    expect(s).toBeCloseTo(0, 12);
    expect(n).toBeCloseTo(85.0511287798, 9);
  });
});

describe('padBounds', () => {
  it('grows each side by a share of the width and height', () => {
    expect(padBounds([0, 10, 3, 16], 1 / 3)).toEqual([-1, 8, 4, 18]);
  });
});

describe('basemapTileRange on the data package', () => {
  it('finds the highest zoom and the tiles of it', () => {
    const range = basemapTileRange(tilesDir);
    expect(range).not.toBeNull();
    if (!range) return;
    const zooms = readdirSync(tilesDir).map(Number);
    expect(range.z).toBe(Math.max(...zooms));
    const xs = readdirSync(join(tilesDir, String(range.z))).map(Number);
    expect([range.minX, range.maxX]).toEqual([Math.min(...xs), Math.max(...xs)]);
  });

  it('is null for a folder without tiles', () => {
    expect(basemapTileRange(join(tilesDir, 'no-such-folder'))).toBeNull();
  });
});

describe('buildWebConfig', () => {
  const range = basemapTileRange(tilesDir);
  const config = buildWebConfig(manifest, range, '');

  it("takes the city's name, code and extent from the manifest", () => {
    expect(config.city).toEqual({ name: manifest.city.name, code: manifest.city.code, bounds: manifest.city.bbox });
  });

  it("lets the map pan around the basemap tiles, which cover the city's extent", () => {
    const tiles = config.basemap.bounds;
    expect(tiles).not.toBeNull();
    if (!tiles) return;
    const [w, s, e, n] = config.city.bounds;
    expect(tiles[0]).toBeLessThanOrEqual(w);
    expect(tiles[1]).toBeLessThanOrEqual(s);
    expect(tiles[2]).toBeGreaterThanOrEqual(e);
    expect(tiles[3]).toBeGreaterThanOrEqual(n);
    expect(config.basemap.maxBounds).toEqual(padBounds(tiles, 1 / 3));
    expect(config.basemap.maxZoom).toBe(range?.z);
  });

  it('names the basemap source in the attribution, and the editorial choices as the manifest has them', () => {
    const source = manifest.sources.find((s) => s.id === manifest.web.basemapSource);
    expect(source).toBeDefined();
    expect(config.basemap.attribution).toEqual([{ text: source?.attribution, url: source?.url }]);
    expect(config.planner).toEqual(manifest.web.planner);
    expect(config.council).toEqual(manifest.web.council);
  });

  it('keeps only an http(s) route template', () => {
    expect(buildWebConfig(manifest, range, ' https://router.example/?a={from} ').routeUrlTemplate).toBe(
      'https://router.example/?a={from}',
    );
    expect(buildWebConfig(manifest, range, 'javascript:alert(1)').routeUrlTemplate).toBeNull();
  });

  it('makes the accessibility contact a link (issue 19): an e-mail address a mailto: link, a form its address', () => {
    expect(config.accessibilityContact).toBeNull();
    expect(buildWebConfig(manifest, range, '', ' barrierefreiheit@stadt.example ').accessibilityContact).toEqual({
      text: 'barrierefreiheit@stadt.example',
      href: 'mailto:barrierefreiheit@stadt.example',
    });
    expect(buildWebConfig(manifest, range, '', 'https://stadt.example/kontakt').accessibilityContact).toEqual({
      text: 'https://stadt.example/kontakt',
      href: 'https://stadt.example/kontakt',
    });
    expect(buildWebConfig(manifest, range, '', 'javascript:alert(1)').accessibilityContact).toBeNull();
  });

  it('names the field when the basemap source is not one of the sources', () => {
    const broken = { ...manifest, web: { ...manifest.web, basemapSource: 'no-such-source' } };
    expect(() => buildWebConfig(broken, range, '')).toThrow(/web\.basemapSource "no-such-source"/);
  });
});

describe('GET /api/config', () => {
  it('answers the settings in the documented shape', async () => {
    const res = await configRoutes({ env }).request('/');
    expect(res.status).toBe(200);
    const body = WebConfig.parse(await res.json());
    expect(body.city.name).toBe(manifest.city.name);
  });

  it('serves ACCESSIBILITY_CONTACT, and refuses a contact that is neither an e-mail nor an http(s) address', async () => {
    const contactEnv = readEnv({ ACCESSIBILITY_CONTACT: 'barrierefreiheit@stadt.example' });
    const body = WebConfig.parse(await (await configRoutes({ env: contactEnv }).request('/')).json());
    expect(body.accessibilityContact?.href).toBe('mailto:barrierefreiheit@stadt.example');
    expect(() => readEnv({ ACCESSIBILITY_CONTACT: 'call us' })).toThrow(/ACCESSIBILITY_CONTACT/);
  });

  it('refuses an unknown parameter, naming it', async () => {
    const res = await configRoutes({ env }).request('/?city=x');
    expect(res.status).toBe(400);
    // (The app's error handler makes this problem+json; the route alone answers the message as text.)
    expect(await res.text()).toMatch(/\bcity\b/);
  });
});
