import { execFile } from 'node:child_process';
import { cpSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runImport } from '../../geodata/import.ts';
import { createApp } from '../../server/app.ts';
import { readEnv } from '../../server/env.ts';
import { engines, freshDb } from '../support/db.ts';

/**
 * The planner's view and the /ogc collections as files (issue 17) on the mini-city fixture, both engines: GeoJSON and
 * GeoPackage with each area's class (index and range) of the classification asked for and the values of the date
 * asked for; the GeoPackage checked by GDAL's validator and opened by GDAL (ogrinfo, installed by npm test) with its
 * count, values, CRS and the attribution in its metadata; errors naming the parameter. Expected values come from
 * the JSON answers and the database, never from literals.
 */

const run = promisify(execFile);
const MINI = join(import.meta.dirname, '../fixtures/mini-city');
const EPSG25832 = 'http://www.opengis.net/def/crs/EPSG/0/25832';

interface Catalogue {
  indicators: { id: string; levels: { level: string; dates: string[]; with_value: number }[] }[];
}
interface Values {
  date: string | null;
  values: { code: string; value: number | null; class: number | null; reference_date: string | null }[];
  classification: { breaks: number[]; min: number | null; classes: number };
}
interface GeoFeature {
  id: string;
  geometry: { type: string; coordinates: unknown } | null;
  properties: Record<string, unknown>;
}
interface GeoFile {
  date: string | null;
  attribution: string[];
  crs?: unknown;
  classification: { breaks: number[] };
  features: GeoFeature[];
}

/** The first position of a geometry's coordinates. */
function firstPosition(c: unknown): number[] {
  let x = c;
  while (Array.isArray(x) && Array.isArray(x[0])) x = x[0];
  return x as number[];
}

describe.each(engines)('downloads of the view on the mini-city fixture (%s)', (engine) => {
  let db: Awaited<ReturnType<typeof freshDb>>;
  let dir: string;
  let files: string;
  let app: ReturnType<typeof createApp>;
  const get = (path: string) => app.request(`http://atlas.test${path}`);
  const json = async <T>(path: string): Promise<T> => {
    const res = await get(path);
    expect(res.status, `${path}: ${res.status}`).toBe(200);
    return (await res.json()) as T;
  };
  /** A download saved to a file, its Content-Type checked. */
  const save = async (path: string, name: string, type: string): Promise<string> => {
    const res = await get(path);
    expect(res.status, `${path}: ${res.status}`).toBe(200);
    expect(res.headers.get('content-type')).toBe(type);
    // The page's link names the file (its download attribute): a Content-Disposition name would override it.
    expect(res.headers.get('content-disposition')).toBeNull();
    expect(res.headers.get('content-crs')).toMatch(/^<http:\/\/www\.opengis\.net\/def\/crs\/.+>$/);
    const file = join(files, name);
    writeFileSync(file, new Uint8Array(await res.arrayBuffer()));
    return file;
  };
  /**
   * A GeoPackage's layer as GeoJSON features by GDAL, and ogrinfo's summary (which must warn of nothing), after
   * GDAL's own GeoPackage validator (from python3-gdal, which gdal-bin depends on) passed it with its extra checks
   * and warnings as errors.
   */
  const gdal = async (file: string) => {
    await run('/usr/bin/python3', ['-m', 'osgeo_utils.samples.validate_gpkg', '--extra', '--warning-as-error', file]);
    const { stdout: info, stderr } = await run('ogrinfo', ['-ro', '-so', '-al', file]);
    expect(stderr, 'GDAL warns of nothing').toBe('');
    const { stdout } = await run('ogr2ogr', ['-f', 'GeoJSON', '/vsistdout/', file], { maxBuffer: 64 * 1024 * 1024 });
    return { info, features: (JSON.parse(stdout) as { features: GeoFeature[] }).features };
  };
  const sqlOf = async (file: string, sql: string) => (await run('ogrinfo', ['-ro', '-q', file, '-sql', sql])).stdout;
  /** An indicator with values at a level of areas on at least two dates, its level and dates. */
  let dated: { id: string; level: string; dates: string[] };
  /** The number of areas of that level. */
  let areas: number;

  beforeAll(async () => {
    db = await freshDb(engine);
    dir = mkdtempSync(join(tmpdir(), 'mini-city-downloads-'));
    files = mkdtempSync(join(tmpdir(), 'downloads-'));
    cpSync(MINI, dir, { recursive: true });
    await runImport(db, { dir, log: () => {} });
    app = createApp({ db, env: readEnv({}) });
    const cat = await json<Catalogue>('/api/indicators');
    const found = cat.indicators
      .flatMap((i) => i.levels.map((l) => ({ id: i.id, level: l.level, dates: l.dates })))
      .find((i) => i.level !== 'city' && i.dates.length >= 2);
    expect(found, 'the fixture has an indicator with two dates at a level of areas').toBeDefined();
    dated = found as typeof dated;
    const [row] = await db.query<{ n: number }>('SELECT count(*)::int AS n FROM atlas.area WHERE level = $1', [
      dated.level,
    ]);
    areas = (row as { n: number }).n;
  });
  afterAll(async () => {
    await db?.drop();
    rmSync(dir, { recursive: true, force: true });
    rmSync(files, { recursive: true, force: true });
  });

  it('GeoJSON of the view: every area with value, date and class (from 1) with its range, for the date asked for', async () => {
    const older = dated.dates[dated.dates.length - 1] as string;
    const q = `level=${dated.level}&classification=equal-interval&classes=3&date=${older}`;
    const values = await json<Values>(`/api/indicators/${dated.id}/values?${q}`);
    const file = await json<GeoFile>(`/api/indicators/${dated.id}/values?${q}&format=geojson`);
    expect(file.date).toBe(older);
    expect(file.classification.breaks).toEqual(values.classification.breaks);
    expect(file.features).toHaveLength(values.values.length);
    expect(file.features.length).toBe(areas);
    expect(file.attribution[0]).toBe('Sources and licences:');
    expect(file.crs).toBeUndefined();
    const { breaks, min } = values.classification;
    let classed = 0;
    for (const v of values.values) {
      const f = file.features.find((x) => x.id === v.code) as GeoFeature;
      expect(f.geometry?.type).toBe('MultiPolygon');
      expect(f.properties).toMatchObject({ code: v.code, value: v.value, reference_date: v.reference_date });
      if (v.class === null) {
        expect(f.properties).toMatchObject({ class: null, class_from: null, class_to: null });
        continue;
      }
      classed++;
      expect(f.properties.class).toBe(v.class + 1);
      expect(f.properties.class_to).toBe(breaks[v.class]);
      expect(f.properties.class_from).toBe(v.class === 0 ? min : breaks[v.class - 1]);
      expect(v.value as number).toBeLessThanOrEqual(f.properties.class_to as number);
      expect(v.value as number).toBeGreaterThanOrEqual(f.properties.class_from as number);
    }
    expect(classed).toBeGreaterThan(0);
    // Every value of the older date is of that date; the default is the newest of each area.
    for (const v of values.values) if (v.reference_date) expect(v.reference_date).toBe(older);
    const newest = await json<GeoFile>(`/api/indicators/${dated.id}/values?level=${dated.level}&format=geojson`);
    expect(newest.date).toBeNull();
    const newestDates = new Set(newest.features.map((f) => f.properties.reference_date).filter(Boolean));
    expect(newestDates.has(dated.dates[0])).toBe(true);

    // In the city's grid: metres, with the CRS named in the file.
    const utm = await json<GeoFile>(`/api/indicators/${dated.id}/values?${q}&format=geojson&crs=EPSG:25832`);
    expect(utm.crs).toEqual({ type: 'name', properties: { name: 'urn:ogc:def:crs:EPSG::25832' } });
    const [x, y] = firstPosition(utm.features[0]?.geometry?.coordinates);
    expect(x).toBeGreaterThan(100_000);
    expect(y).toBeGreaterThan(5_000_000);
  });

  it('GeoPackage of the view opens in GDAL with every area, its values and classes, the CRS and the attribution', async () => {
    const older = dated.dates[dated.dates.length - 1] as string;
    const q = `level=${dated.level}&classification=quantile&classes=3&date=${older}`;
    const geo = await json<GeoFile>(`/api/indicators/${dated.id}/values?${q}&format=geojson`);
    for (const [crs, srs] of [
      ['', /ID\["EPSG",4326\]/],
      [`&crs=${encodeURIComponent(EPSG25832)}`, /ID\["EPSG",25832\]/],
    ] as const) {
      const file = await save(
        `/api/indicators/${dated.id}/values?${q}&format=gpkg${crs}`,
        `view${crs ? '-utm' : ''}.gpkg`,
        'application/geopackage+sqlite3',
      );
      const { info, features } = await gdal(file);
      expect(info).toMatch(new RegExp(`Feature Count: ${areas}\\b`));
      expect(info).toMatch(srs);
      expect(info).toMatch(/Geometry: Multi Polygon/);
      expect(info).toMatch(/value: Real/);
      expect(info).toMatch(/class: Integer/);
      expect(info).toMatch(/class_from: Real/);
      expect(info).toMatch(/suppressed: Integer\(Boolean\)/);
      for (const g of geo.features) {
        const f = features.find((x) => x.properties.code === g.id) as GeoFeature;
        for (const name of ['value', 'class', 'class_from', 'class_to', 'reference_date', 'unit', 'method'])
          expect(f.properties[name] ?? null, `${g.id} ${name}`).toEqual(g.properties[name]);
        expect(f.properties.suppressed).toBe(g.properties.suppressed);
      }
      // The attribution: in gpkg_contents.description and in the metadata extension, for the layer's table.
      const description = await sqlOf(file, 'SELECT description FROM gpkg_contents');
      const metadata = await sqlOf(
        file,
        'SELECT m.metadata FROM gpkg_metadata m JOIN gpkg_metadata_reference r ON r.md_file_id = m.id',
      );
      for (const line of geo.attribution) {
        expect(description).toContain(line);
        expect(metadata).toContain(line);
      }
      expect(metadata).toMatch(/Classification: quantile/);
      const ids = await sqlOf(file, 'PRAGMA application_id');
      expect(ids).toMatch(/= 1196444487/);
    }
  }, 60_000);

  it('GeoPackage of an /ogc collection page (f=gpkg): the features its GeoJSON carries', async () => {
    const { features } = await json<{ features: GeoFeature[] }>('/ogc/collections/action-areas/items?f=json');
    const code = features[0]?.properties.code as string;
    const one = await json<{ features: GeoFeature[] }>(`/ogc/collections/action-areas/items?code=${code}&f=json`);
    const file = await save(
      `/ogc/collections/action-areas/items?code=${code}&f=gpkg`,
      'aa.gpkg',
      'application/geopackage+sqlite3',
    );
    const got = await gdal(file);
    expect(got.info).toMatch(/Feature Count: 1\b/);
    expect(got.features[0]?.properties).toMatchObject(one.features[0]?.properties as Record<string, unknown>);
    const offers = await save(
      '/ogc/collections/offers/items?limit=5&f=gpkg&crs=EPSG:25832',
      'offers.gpkg',
      'application/geopackage+sqlite3',
    );
    const points = await gdal(offers);
    expect(points.info).toMatch(/Feature Count: 5\b/);
    expect(points.info).toMatch(/Geometry: Point/);
    expect(points.info).toMatch(/ID\["EPSG",25832\]/);
  }, 60_000);

  it('refuses a bad format, CRS or combination with a problem naming the parameter', async () => {
    const base = `/api/indicators/${dated.id}/values?level=${dated.level}`;
    for (const [query, param] of [
      ['&format=shp', 'format'],
      ['&format=gpkg&crs=EPSG:3857', 'crs'],
      ['&format=geojson&crs=EPSG:4326', 'crs'],
      ['&crs=EPSG:25832', 'crs'],
      ['&format=gpkg&fields=map', 'fields'],
      ['&format=gpkg&date=1900-01-01', 'date'],
    ] as const) {
      const res = await get(`${base}${query}`);
      expect(res.status, query).toBe(400);
      expect(res.headers.get('content-type')).toMatch(/problem\+json/);
      expect(JSON.stringify(await res.json()), query).toContain(param);
    }
    const res = await get('/ogc/collections/quarters/items?f=shp');
    expect(res.status).toBe(400);
    expect(JSON.stringify(await res.json())).toContain('f');
  });
});
