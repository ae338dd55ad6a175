import { cpSync, mkdtempSync, readFileSync, rmSync, unlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { defaultManifestPath, runImport } from '../../geodata/import.ts';
import { loadManifest } from '../../geodata/manifest.ts';
import { readCsv } from '../../geodata/read.ts';
import { dataVersion } from '../../server/app.ts';
import type { Db } from '../../server/db/index.ts';
import { type Engine, engines, freshDb, packageEngines, realDb } from '../support/db.ts';

const MINI = join(import.meta.dirname, '../fixtures/mini-city');
const REAL_DIR = resolve(import.meta.dirname, '../..', process.env.GEODATA_DIR ?? '../shared/geodata');
const quiet = () => {};

async function one<T>(db: Db, sql: string, params: unknown[] = []): Promise<T> {
  const [row] = await db.query<T>(sql, params);
  return row as T;
}

describe.each(packageEngines)('the real data package imported on %s', (engine: Engine) => {
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
       FROM atlas.indicator_value WHERE method = 'published' AND indicator_id IN (SELECT id FROM atlas.indicator WHERE method = 'published')`,
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

  it('gives each published figure its canonical source, never the copy it was read from, and its date note', async () => {
    const manifest = loadManifest(defaultManifestPath(REAL_DIR));
    const rows = readCsv(REAL_DIR, manifest.publishedFigures.file).filter(
      (r) => r.unit_level !== 'city' || r.unit_code === manifest.city.code,
    );
    const copies = rows.filter((r) => r.retrieved_from);
    expect(copies.length).toBeGreaterThan(0);
    const stored = await one<{ copies: number; as_source: number; noted: number }>(
      db,
      `SELECT count(retrieved_from)::int AS copies,
              count(*) FILTER (WHERE source_url = retrieved_from)::int AS as_source,
              count(date_note)::int AS noted
       FROM atlas.indicator_value WHERE method = 'published' AND indicator_id IN (SELECT id FROM atlas.indicator WHERE method = 'published')`,
    );
    expect(stored).toEqual({ copies: copies.length, as_source: 0, noted: rows.filter((r) => r.date_note).length });
    // Every row read from a copy keeps the canonical address the package names (or none, where it names none).
    const urls = await db.query<{ url: string | null; via: string }>(
      `SELECT source_url AS url, retrieved_from AS via FROM atlas.indicator_value WHERE retrieved_from IS NOT NULL`,
    );
    const canonical = new Set(copies.map((r) => `${r.source_url || ''}|${r.retrieved_from}`));
    for (const u of urls) expect(canonical.has(`${u.url ?? ''}|${u.via}`), u.via).toBe(true);
  });

  it('shows an undated figure only where a unit has no dated one, and then undated', async () => {
    const wrong = await db.query(
      `SELECT v.indicator_id, v.level, v.area_code FROM atlas.indicator_value v
       WHERE v.method = 'published' AND v.is_latest AND v.reference_date IS NULL
         AND EXISTS (SELECT 1 FROM atlas.indicator_value w WHERE w.method = 'published' AND w.indicator_id = v.indicator_id
                     AND w.level = v.level AND w.area_code = v.area_code AND w.reference_date IS NOT NULL)`,
    );
    expect(wrong).toEqual([]);
    const manifest = loadManifest(defaultManifestPath(REAL_DIR));
    const rows = readCsv(REAL_DIR, manifest.publishedFigures.file);
    const key = (r: Record<string, unknown>) => `${r.indicator}|${r.unit_level}|${r.unit_code || r.unit_name}`;
    const dated = new Set(rows.filter((r) => r.reference_date).map(key));
    const onlyUndated = new Set(rows.filter((r) => !r.reference_date && !dated.has(key(r))).map(key));
    const [shown] = await db.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM atlas.indicator_value
       WHERE method = 'published' AND is_latest AND reference_date IS NULL AND indicator_id IN (SELECT id FROM atlas.indicator WHERE method = 'published')`,
    );
    // Undated-only units of the city level that are not the city itself are not loaded.
    const notTheCity = [...onlyUndated].filter((k) => k.split('|')[1] === 'city' && !k.endsWith(manifest.city.code));
    expect(shown?.n).toBe(onlyUndated.size - notTheCity.length);
    expect(shown?.n).toBeGreaterThan(0);
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

  it('shows one published value per unit by the stated rule: newest date, first row among equal dates', async () => {
    const shown = await db.query<{
      level: string;
      area_code: string;
      indicator_id: string;
      value: number;
      reference_date: string | null;
      source_url: string;
      retrieved_from: string | null;
      date_note: string | null;
    }>(
      `SELECT level, area_code, indicator_id, value, reference_date, source_url, retrieved_from, date_note
       FROM atlas.indicator_value WHERE method = 'published' AND is_latest AND level = 'quarter' AND indicator_id IN (SELECT id FROM atlas.indicator WHERE method = 'published')
       ORDER BY indicator_id, area_code`,
    );
    expect(shown.map((s) => [s.indicator_id, s.area_code, s.value, s.reference_date])).toEqual([
      ['foreigners_share_pct', '020', 12.5, null],
      ['population', '010', 700, '2023-12-31'],
      ['population', '020', 600, '2023-12-31'],
      ['population', '030', 800, '2023-12-31'],
    ]);
    // The canonical page is the source; the mirror it was read from is kept apart and never shown as the source.
    expect(shown[1]).toMatchObject({
      source_url: 'https://example.org/d',
      retrieved_from: 'https://mirror.example.net/d',
    });
    // Two values of one date that disagree: the first row is shown, the other is named beside it and warned about.
    expect(shown[2]?.date_note).toBe(
      'stated in source; other value for the same date: 610 (row 8, https://example.org/h)',
    );
    expect(shown[0]?.date_note).toBe('undated in source');
    const { summary } = await one<{ summary: { warnings: string[] } }>(
      db,
      "SELECT summary FROM app.import_run WHERE status = 'loaded' ORDER BY id DESC LIMIT 1",
    );
    expect(summary.warnings.join('\n')).toContain(
      'tables/figures.csv, row 7: population of quarter 020 on 2023-12-31 is 600',
    );
  });

  it('shows the published population where there is one, and calibrates the model to the published figures', async () => {
    const values = await db.query<{ id: string; level: string; code: string; value: number | null; method: string }>(
      `SELECT indicator_id AS id, level, area_code AS code, value, method FROM atlas.indicator_value
       WHERE indicator_id IN ('residents', 'population_modelled') ORDER BY 1, 2, 3`,
    );
    const of = (id: string, level: string) =>
      values.filter((v) => v.id === id && v.level === level).map((v) => [v.code, v.value, v.method]);
    // Quarters 010, 020, 030 are published; 040 gets what Neustadt's 1,100 leaves after 030's 800.
    expect(of('residents', 'quarter')).toEqual([
      ['010', 700, 'published'],
      ['020', 600, 'published'],
      ['030', 800, 'published'],
      ['040', 300, 'modelled'],
    ]);
    expect(of('residents', 'district')).toEqual([
      ['01', 1300, 'published'],
      ['02', 1100, 'published'],
    ]);
    expect(of('residents', 'city')).toEqual([['09999000', 2400, 'published']]);
    // Marktviertel has a figure of its own (900, 2007): it wins over the model's 4 · 700/6 + 2 · 600/6 = 667.
    expect(of('residents', 'action-area')[0]).toEqual(['011', 900, 'published']);
    expect(of('population_modelled', 'action-area')[0]).toEqual(['011', 667, 'modelled']);
    // Kleine Ecke lies in 040: its addresses at 300 / 6 persons each.
    const [ecke] = await db.query<{ n: number }>(
      "SELECT count(*)::int AS n FROM atlas.address WHERE action_area_code = 'kleine-ecke'",
    );
    expect(of('residents', 'action-area')[1]).toEqual(['kleine-ecke', (ecke?.n ?? 0) * 50, 'modelled']);
    // Leave-one-out: 010 is Altstadt's 1,300 less 020's 600, exactly 700; 020 likewise 600; 030 shares Neustadt's
    // 1,100 with 040 by addresses (6 and 6): 550, 31.25 % low (printed 31.2). Mean 10.4 %, median 0 %.
    expect(of('population_modelled', 'quarter')).toEqual([
      ['010', 700, 'modelled'],
      ['020', 600, 'modelled'],
      ['030', 550, 'modelled'],
      ['040', 300, 'modelled'],
    ]);
    const { description } = await one<{ description: { en: string } }>(
      db,
      "SELECT description FROM atlas.indicator WHERE id = 'population_modelled'",
    );
    expect(description.en).toContain(
      'over 3 quarters: mean absolute error 10.4 %, median 0.0 %, largest 31.2 % in Hafenkante (030); ' +
        'on average 10.4 % too low. 1 quarter has no published figure and is estimated.',
    );
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
      (d) => editFeature(d, 'boundaries/quarters.geojson', 2, (f) => scale(f, 1e5)),
      /boundaries\/quarters\.geojson, record #3, field geometry: .*CRS/,
    ],
    [
      'a polygon outside the city',
      (d) => editFeature(d, 'boundaries/action-areas.geojson', 1, (f) => shift(f, 0.5)),
      /boundaries\/action-areas\.geojson, record #2, field geometry: .*outside the city/,
    ],
    [
      'a duplicate code',
      (d) =>
        editFeature(d, 'boundaries/quarters.geojson', 3, (f) => {
          f.properties.CODE = '010';
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

/** A polygon of the fixture's boundary files. */
interface PolygonFeature {
  properties: Record<string, unknown>;
  geometry: { coordinates: number[][][] };
}
/** Edits feature `i` (from 0) of a GeoJSON file of a package copy. */
function editFeature(dir: string, file: string, i: number, edit: (feature: PolygonFeature) => void): void {
  const path = join(dir, file);
  const doc = JSON.parse(readFileSync(path, 'utf8')) as { features: PolygonFeature[] };
  const feature = doc.features[i];
  if (!feature) throw new Error(`${file} has no feature #${i + 1}`);
  edit(feature);
  writeFileSync(path, JSON.stringify(doc));
}
function mapCoords(feature: PolygonFeature, f: (p: number[]) => number[]): void {
  feature.geometry.coordinates = feature.geometry.coordinates.map((ring) => ring.map(f));
}
const scale = (feature: PolygonFeature, k: number) =>
  mapCoords(feature, ([x, y]) => [(x as number) * k, (y as number) * k]);
const shift = (feature: PolygonFeature, dx: number) =>
  mapCoords(feature, ([x, y]) => [(x as number) + dx, y as number]);
