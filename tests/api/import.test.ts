import { cpSync, mkdtempSync, readFileSync, rmSync, unlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { defaultManifestPath, runImport } from '../../geodata/import.ts';
import { loadManifest } from '../../geodata/manifest.ts';
import { readCsv } from '../../geodata/read.ts';
import { dataVersion } from '../../server/app.ts';
import type { Db } from '../../server/db/index.ts';
import { type Engine, engines, freshDb, realDb } from '../support/db.ts';

const MINI = join(import.meta.dirname, '../fixtures/mini-city');
const REAL_DIR = resolve(import.meta.dirname, '../..', process.env.GEODATA_DIR ?? '../shared/geodata');
const quiet = () => {};

async function one<T>(db: Db, sql: string, params: unknown[] = []): Promise<T> {
  const [row] = await db.query<T>(sql, params);
  return row as T;
}

describe.each(engines)('the real data package imported on %s', (engine: Engine) => {
  let db: Db;
  beforeAll(async () => {
    db = await realDb(engine);
  });
  afterAll(() => db.close());

  it('has every area at the expected count, with clean names', async () => {
    const rows = await db.query<{ level: string; n: number; unnumbered: number }>(
      'SELECT level, count(*)::int AS n, count(*) FILTER (WHERE NOT numbered)::int AS unnumbered FROM atlas.area GROUP BY level',
    );
    const by = Object.fromEntries(rows.map((r) => [r.level, r]));
    expect(by.district?.n).toBe(12);
    expect(by.quarter?.n).toBe(62);
    expect(by.subquarter?.n).toBe(170);
    expect(by['action-area']?.n).toBe(15);
    expect(by['action-area']?.unnumbered).toBe(2);
    const districts = await db.query<{ code: string; name: string }>(
      "SELECT code, name FROM atlas.area WHERE level = 'district' ORDER BY code",
    );
    expect(districts.map((d) => `${d.code} ${d.name}`)).toEqual([
      '01 Innenstadt-West',
      '02 Innenstadt-Nord',
      '03 Innenstadt-Ost',
      '04 Eving',
      '05 Scharnhorst',
      '06 Brackel',
      '07 Aplerbeck',
      '08 Hörde',
      '09 Hombruch',
      '10 Lütgendortmund',
      '11 Huckarde',
      '12 Mengede',
    ]);
    const names = await db.query<{ code: string; name: string }>(
      "SELECT code, name FROM atlas.area WHERE level = 'quarter' AND code IN ('050', '670', '710')  ORDER BY code",
    );
    expect(names.map((n) => n.name)).toEqual(['Nordmarkt', 'Kirchhörde-Löttringhausen', 'Bövinghausen']);
  });

  it('puts every quarter inside its district and adds up to the city area', async () => {
    // The district file is coarser than the quarter file: every quarter vertex lies within 200 m of its district.
    const outside = await db.query(
      `SELECT q.code FROM atlas.area q JOIN atlas.area d ON d.level = 'district' AND d.code = q.parent_code
       WHERE q.level = 'quarter' AND NOT ST_Covers(ST_Buffer(d.geom::geography, 200)::geometry, q.geom)`,
    );
    expect(outside).toEqual([]);
    // The city numbers its quarters so that the first digit names the district: 0x0 → 01–03, 1x0 → 04, … 9x0 → 12.
    const mismatched = await db.query<{ code: string; parent_code: string }>(
      "SELECT code, parent_code FROM atlas.area WHERE level = 'quarter' AND substr(code, 1, 1) <> '0' AND parent_code::int <> substr(code, 1, 1)::int + 3",
    );
    expect(mismatched).toEqual([]);
    // The quarters, measured on the ellipsoid, add up to the districts' published areas (Dortmunder Statistik,
    // newest value each) within 0.02 %; measured on the UTM grid without its scale factor they fall 0.05 % short.
    const { km2, published } = await one<{ km2: number; published: number }>(
      db,
      `SELECT (SELECT sum(area_m2) / 1e6 FROM atlas.area WHERE level = 'quarter') AS km2,
              (SELECT sum(value) FROM atlas.indicator_value
               WHERE indicator_id = 'area_km2' AND level = 'district' AND is_latest) AS published`,
    );
    expect(published).toBeGreaterThan(0);
    expect(Math.abs(km2 - published) / published).toBeLessThan(0.0002);
  });

  it('assigns every address and offer to a quarter, consistent with the sub-quarter numbers', async () => {
    const a = await one<{ n: number; missing: number; wrong: number }>(
      db,
      `SELECT count(*)::int AS n, count(*) FILTER (WHERE quarter_code IS NULL)::int AS missing,
              count(*) FILTER (WHERE left(subquarter_code, 2) || '0' <> quarter_code)::int AS wrong FROM atlas.address`,
    );
    expect(a).toEqual({ n: 109_700, missing: 0, wrong: 0 });
    const o = await one<{ missing: number }>(
      db,
      'SELECT count(*) FILTER (WHERE quarter_code IS NULL OR district_code IS NULL)::int AS missing FROM atlas.offer',
    );
    expect(o.missing).toBe(0);
  });

  it('loads the 169 schools of the official list and documents the rows of the 2021 list it leaves out', async () => {
    const s = await one<{ n: number; indexed: number }>(
      db,
      "SELECT count(*)::int AS n, count(*) FILTER (WHERE attrs->>'socialIndex' IS NOT NULL)::int AS indexed FROM atlas.offer WHERE source_id = 'nrw-schools'",
    );
    expect(s).toEqual({ n: 169, indexed: 134 });
    const { summary } = await one<{ summary: { warnings: string[] } }>(
      db,
      "SELECT summary FROM app.import_run WHERE status = 'loaded' ORDER BY id DESC LIMIT 1",
    );
    expect(summary.warnings.join('\n')).toContain('2 closed and 1 administrative rows are not offers');
  });

  it('makes each numbered action area a union of whole sub-quarters', async () => {
    const rows = await db.query<{ code: string; members: string }>(
      `SELECT action_area_code AS code, string_agg(member_code, '+' ORDER BY member_code) AS members
       FROM atlas.area_member WHERE member_level = 'subquarter' AND address_share > 0.999 GROUP BY 1 ORDER BY 1`,
    );
    expect(rows).toHaveLength(13);
    expect(rows.find((r) => r.code === '021')?.members).toBe('041+042+043');
    expect(rows.find((r) => r.code === '123')?.members).toBe('924+930+954');
  });

  it('keeps every published figure with its date, source and quote, one newest per unit', async () => {
    const p = await one<{ n: number; latest_dupes: number; nordmarkt: number }>(
      db,
      `SELECT count(*)::int AS n,
        (SELECT count(*)::int FROM (SELECT 1 FROM atlas.indicator_value WHERE is_latest AND method = 'published'
           GROUP BY indicator_id, level, area_code HAVING count(*) > 1) d) AS latest_dupes,
        count(*) FILTER (WHERE level = 'quarter' AND area_code = '050')::int AS nordmarkt
       FROM atlas.indicator_value WHERE method = 'published'`,
    );
    // Every row of the package, less the city-level rows about a unit that is not the city itself (the employment
    // agency's district).
    const manifest = loadManifest(defaultManifestPath(REAL_DIR));
    const rows = readCsv(REAL_DIR, manifest.publishedFigures.file);
    const notTheCity = rows.filter((r) => r.unit_level === 'city' && r.unit_code !== manifest.city.code).length;
    expect(notTheCity).toBeGreaterThan(0);
    expect(p.n).toBe(rows.length - notTheCity);
    expect(p.latest_dupes).toBe(0);
    expect(p.nordmarkt).toBeGreaterThan(0);
  });
});

describe.each(engines)('importing the mini-city fixture on %s', (engine: Engine) => {
  let db: Awaited<ReturnType<typeof freshDb>>;
  let dir: string;
  beforeAll(async () => {
    db = await freshDb(engine);
    dir = mkdtempSync(join(tmpdir(), 'mini-city-'));
    cpSync(MINI, dir, { recursive: true });
    const result = await runImport(db, { dir, log: quiet });
    expect(result.status).toBe('loaded');
  });
  afterAll(async () => {
    await db.drop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('normalises names, repairs text, and stores negative capacities as missing', async () => {
    const quarters = await db.query<{ name: string }>(
      "SELECT name FROM atlas.area WHERE level = 'quarter' ORDER BY code",
    );
    expect(quarters.map((q) => q.name)).toEqual(['Am Markt', 'Südviertel', 'Hafenkante', 'Östliche Aue']);
    const kitas = await db.query<{ name: string; street: string; places_u3: number | null; places_o3: number }>(
      "SELECT name, street, places_u3, places_o3 FROM atlas.offer WHERE category = 'childcare' ORDER BY id",
    );
    expect(kitas).toEqual([
      { name: 'Kita Sonnenschein', street: 'Marktstraße 5', places_u3: 10, places_o3: 40 },
      { name: 'Kita Hafen', street: 'Hafenweg 9', places_u3: null, places_o3: 25 },
      { name: 'Familienzentrum Regenbogen', street: 'Auenweg 4', places_u3: 5, places_o3: 20 },
    ]);
    const subs = await db.query<{ code: string; parent_code: string }>(
      "SELECT code, parent_code FROM atlas.area WHERE level = 'subquarter' ORDER BY code",
    );
    expect(subs.map((s) => `${s.code}>${s.parent_code}`)).toEqual([
      '011>010',
      '012>010',
      '021>020',
      '022>020',
      '031>030',
      '032>030',
      '041>040',
      '042>040',
    ]);
  });

  it('merges an OpenStreetMap school into its official twin and maps categories by rule', async () => {
    const offers = await db.query<{ id: string; category: string; attrs: { osmTwins?: string[] } }>(
      'SELECT id, category, attrs FROM atlas.offer ORDER BY id',
    );
    expect(offers.map((o) => `${o.id}:${o.category}`)).toEqual([
      'kita-1:childcare',
      'kita-2:childcare',
      'kita-3:childcare',
      'kita-3-family:family',
      'osm-node-12:library',
      'osm-node-13:playground',
      'osm-node-14:youth',
      'osm-node-15:transit',
      'school-100001:school',
      'school-100002:school',
      'school-100003:school',
    ]);
    expect(offers.find((o) => o.id === 'school-100001')?.attrs.osmTwins).toEqual(['node/11']);
  });

  it('marks the unnumbered action area and the newest published value', async () => {
    const areas = await db.query<{ code: string; numbered: boolean }>(
      "SELECT code, numbered FROM atlas.area WHERE level = 'action-area' ORDER BY code",
    );
    expect(areas).toEqual([
      { code: '011', numbered: true },
      { code: 'kleine-ecke', numbered: false },
    ]);
    const altstadt = await db.query<{ value: number; is_latest: boolean; reference_date: string }>(
      `SELECT value, is_latest, reference_date FROM atlas.indicator_value
       WHERE indicator_id = 'population' AND method = 'published' AND level = 'district' AND area_code = '01'
       ORDER BY reference_date`,
    );
    expect(altstadt).toEqual([
      { value: 1250, is_latest: false, reference_date: '2021-12-31' },
      { value: 1300, is_latest: true, reference_date: '2023-12-31' },
    ]);
  });

  it('writes nothing when the package is unchanged', async () => {
    const before = await db.query('SELECT id, status FROM app.import_run ORDER BY id');
    const lines: string[] = [];
    const result = await runImport(db, { dir, log: (l) => lines.push(l) });
    expect(result.status).toBe('unchanged');
    expect(lines.join('\n')).toMatch(/unchanged.*nothing to import/);
    expect(await db.query('SELECT id, status FROM app.import_run ORDER BY id')).toEqual(before);
  });

  const broken: [string, (d: string) => void, RegExp][] = [
    [
      'invalid JSON',
      (d) => writeFileSync(join(d, 'boundaries/quarters.geojson'), '{"type": "FeatureCollection", "features": ['),
      /boundaries\/quarters\.geojson: invalid JSON/,
    ],
    ['a missing file', (d) => unlinkSync(join(d, 'offers/kitas.geojson')), /offers\/kitas\.geojson: file is missing/],
    [
      'a wrong CRS',
      (d) => editJson(d, 'boundaries/quarters.geojson', (fc) => scale(fc.features[2], 1e5)),
      /boundaries\/quarters\.geojson, record #3, field geometry: .*CRS/,
    ],
    [
      'a polygon outside the city',
      (d) => editJson(d, 'boundaries/action-areas.geojson', (fc) => shift(fc.features[1], 0.5)),
      /boundaries\/action-areas\.geojson, record #2, field geometry: .*outside the city/,
    ],
    [
      'a duplicate code',
      (d) =>
        editJson(d, 'boundaries/quarters.geojson', (fc) => {
          fc.features[3].properties.CODE = '010';
        }),
      /boundaries\/quarters\.geojson, record #4, field code: duplicate code "010" \(also record #1\)/,
    ],
    [
      'a bad number in a row',
      (d) => {
        const file = join(d, 'boundaries/addresses.csv');
        writeFileSync(file, readFileSync(file, 'utf8').replace(',5652280.83,', ',north,'));
      },
      /boundaries\/addresses\.csv, record row 2, field HW: "north" is not a number/,
    ],
  ];

  it.each(broken)(
    'rejects %s, naming file and record, and keeps the data imported before',
    async (_what, breakIt, message) => {
      const version = await dataVersion(db);
      const counts = await db.query('SELECT level, count(*)::int AS n FROM atlas.area GROUP BY level ORDER BY level');
      const bad = mkdtempSync(join(tmpdir(), 'mini-broken-'));
      cpSync(dir, bad, { recursive: true });
      breakIt(bad);
      try {
        await expect(runImport(db, { dir: bad, log: quiet })).rejects.toThrow(message);
      } finally {
        rmSync(bad, { recursive: true, force: true });
      }
      expect(await dataVersion(db)).toBe(version);
      expect(await db.query('SELECT level, count(*)::int AS n FROM atlas.area GROUP BY level ORDER BY level')).toEqual(
        counts,
      );
      expect((await db.query('SELECT count(*)::int AS n FROM atlas.address'))[0]).toEqual({ n: 24 });
    },
  );
});

type Json = any;
function editJson(dir: string, file: string, edit: (doc: Json) => void): void {
  const path = join(dir, file);
  const doc = JSON.parse(readFileSync(path, 'utf8'));
  edit(doc);
  writeFileSync(path, JSON.stringify(doc));
}
function mapCoords(feature: Json, f: (p: number[]) => number[]): void {
  feature.geometry.coordinates = feature.geometry.coordinates.map((ring: number[][]) => ring.map(f));
}
const scale = (feature: Json, k: number) => mapCoords(feature, ([x, y]) => [(x as number) * k, (y as number) * k]);
const shift = (feature: Json, dx: number) => mapCoords(feature, ([x, y]) => [(x as number) + dx, y as number]);
