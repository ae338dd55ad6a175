import { resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { defaultManifestPath } from '../../geodata/import.ts';
import { loadManifest } from '../../geodata/manifest.ts';
import { readCsv } from '../../geodata/read.ts';
import type { Db } from '../../server/db/index.ts';
import { loadTinyCity } from '../fixtures/derive/tiny-city.ts';
import { engines, freshDb, packageEngines, realDb } from '../support/db.ts';

const REAL_DIR = resolve(import.meta.dirname, '../..', process.env.GEODATA_DIR ?? '../shared/geodata');

/**
 * The computed indicators (server/sql/derive/*.sql) on the tiny city of tests/fixtures/derive/tiny-city.sql,
 * every expected value worked out by hand from the fixture's layout (metres east and north of its origin):
 *
 *   quarters 010 [0,1000], 020 [1000,2000], 030 [2000,3000] (x; y from 0 to 1000, 1 km² each);
 *   districts 01 = 010 + 020 (2 km²), 02 = 030; action area 011 = x [0,500] (0.5 km²); city 3 km².
 *   addresses (y = 500): a1 100, a2 400 (both in 011), a3 650, a4 900 | a5 1150, a6 1500, a7 1900 | a8 2100,
 *   a9 2550, a10 2900.
 *   Kitas: k1 (300,500) U3 10 / Ü3 40 in 011; k2 (1500,750) U3 none / Ü3 50; k3 (2500,500) from OSM, no places.
 *   Primary schools: s1 (200,200) index 8, 100 pupils, in 011; s2 (2800,500) index 2, 300 pupils;
 *   s3 (1200,900) no index, 50 pupils. One library (1950,500).
 *   Published population: district 01 700 (2023-12-31), 02 300 (2022-12-31); quarter 010 500 (2021-12-31),
 *   quarter 030 240 (2023-12-31); city 1000 (2023-12-31).
 *   Residents (published, else the calibrated model): 010 500, 020 700 − 500 = 200 (the district's remainder),
 *   030 240 | 01 700, 02 300 | action area 011: 2 addresses × 500 / 4 = 250 | city 1000.
 */

type Row = { value: number | null; basis_count: number | null; reference_date: string | null; note: string | null };

describe.each(engines)('computed indicators on the tiny city (%s)', (engine) => {
  let db: Awaited<ReturnType<typeof freshDb>>;
  let values: Map<string, Row>;
  let residents: Map<string, Row & { method: string; source_id: string; source_url: string | null }>;

  beforeAll(async () => {
    db = await freshDb(engine);
    await loadTinyCity(db);
    const rows = await db.query<Row & { indicator_id: string; level: string; area_code: string }>(
      "SELECT indicator_id, level, area_code, value, basis_count, reference_date, note FROM atlas.indicator_value WHERE method <> 'published'",
    );
    values = new Map(rows.map((r) => [`${r.indicator_id} ${r.level} ${r.area_code}`, r]));
    const shown = await db.query<
      Row & { level: string; area_code: string; method: string; source_id: string; source_url: string | null }
    >(
      "SELECT level, area_code, value, basis_count, reference_date, note, method, source_id, source_url FROM atlas.indicator_value WHERE indicator_id = 'residents'",
    );
    residents = new Map(shown.map((r) => [`${r.level} ${r.area_code}`, r]));
  });
  afterAll(async () => {
    await db?.drop();
  });

  const row = (id: string, level: string, code: string): Row => {
    const r = values.get(`${id} ${level} ${code}`);
    if (!r) throw new Error(`no value of ${id} for ${level} ${code}`);
    return r;
  };
  /** Every unit, in the order quarter 010, 020, 030, district 01, 02, action area 011, city. */
  const units = [
    ['quarter', '010'],
    ['quarter', '020'],
    ['quarter', '030'],
    ['district', '01'],
    ['district', '02'],
    ['action-area', '011'],
    ['city', '09999000'],
  ] as const;
  const expectAll = (id: string, expected: (number | null)[]) => {
    units.forEach(([level, code], i) => {
      const want = expected[i];
      const got = row(id, level, code).value;
      if (want === null || want === undefined) expect(got, `${id} ${level} ${code}`).toBeNull();
      else expect(got, `${id} ${level} ${code}`).toBeCloseTo(want, 6);
    });
  };

  it('gives every unit a row for every computed indicator', async () => {
    const [counts] = await db.query<{ indicators: number; rows: number; missing: number }>(
      `SELECT count(*)::int AS indicators,
              (SELECT count(*)::int FROM atlas.indicator_value WHERE method <> 'published') AS rows,
              (SELECT count(*)::int FROM atlas.indicator i CROSS JOIN (VALUES ('quarter', '010'), ('quarter', '020'),
                 ('quarter', '030'), ('district', '01'), ('district', '02'), ('city', '09999000')) u (level, code)
               WHERE i.method <> 'published' AND NOT (i.id = 'population_modelled' AND u.level = 'district')
                 AND NOT EXISTS (SELECT 1 FROM atlas.indicator_value v
                                 WHERE v.indicator_id = i.id AND v.level = u.level AND v.area_code = u.code)) AS missing
       FROM atlas.indicator WHERE method <> 'published'`,
    );
    expect(counts?.missing).toBe(0);
    expect(counts?.indicators).toBeGreaterThan(20);
    const methods = await db.query<{ method: string; source_id: string; n: number }>(
      "SELECT method, source_id, count(*)::int AS n FROM atlas.indicator_value WHERE method <> 'published' GROUP BY 1, 2",
    );
    expect(methods.every((m) => m.source_id === 'quartiersatlas')).toBe(true);
    expect(new Set(methods.map((m) => m.method))).toEqual(new Set(['computed', 'modelled']));
    const notes = await db.query<{ id: string }>(
      `SELECT id FROM atlas.indicator
       WHERE method <> 'published' AND (method_note ->> 'de' IS NULL OR method_note ->> 'en' IS NULL
             OR length(method_note ->> 'en') < 60 OR title ->> 'de' IS NULL OR description ->> 'en' IS NULL)`,
    );
    expect(notes).toEqual([]);
  });

  it('addresses per km²: 4, 3, 3 | 7 / 2 km² = 3.5, 3 | 2 / 0.5 km² = 4 | 10 / 3 km²', () => {
    expectAll('addresses_per_km2', [4, 3, 3, 3.5, 3, 4, 10 / 3]);
    expect(row('addresses_per_km2', 'quarter', '010')).toMatchObject({ basis_count: 4, reference_date: '2024-03-05' });
  });

  it('share of addresses in an action area: 2 of 4, 0, 0 | 2 of 7, 0 | 2 of 10 (no value for action areas)', () => {
    const got = units.map(([level, code]) => values.get(`action_area_address_share_pct ${level} ${code}`)?.value);
    expect(got.map((v) => (v === undefined ? v : Math.round((v as number) * 1e6) / 1e6))).toEqual([
      50,
      0,
      0,
      Math.round((200 / 7) * 1e6) / 1e6,
      0,
      undefined,
      20,
    ]);
  });

  it('school social index, pupil-weighted: 8, none (s3 has no index), 2 | 8, 2 | 8 | (8·100 + 2·300) / 400', () => {
    expectAll('school_social_index_primary', [8, null, 2, 8, 2, 8, 3.5]);
    expect(row('school_social_index_primary', 'city', '09999000').basis_count).toBe(400);
    const q020 = JSON.parse(row('school_social_index_primary', 'quarter', '020').note ?? '{}');
    expect(q020.en).toBe('1 primary school, without a social index or a pupil count');
    expect(row('school_social_index_primary', 'district', '01').note).toContain('not counted');
  });

  it('school social index of the nearest primary school: a1–a5 nearest s1 (8), a6–a10 nearest s2 (2)', () => {
    // a5 (1150,500): s1 at 996 m, s2 at 1650 m; a6 (1500,500): s1 at 1334 m, s2 at 1300 m.
    expectAll('school_social_index_nearest_primary', [8, (8 + 2 + 2) / 3, 2, (4 * 8 + 8 + 2 + 2) / 7, 2, 8, 5]);
    expect(row('school_social_index_nearest_primary', 'quarter', '020').basis_count).toBe(3);
  });

  it('Kita places: Kitas without places are not counted and every value says how many', () => {
    expectAll('kita_places_u3', [10, null, null, 10, null, 10, 10]);
    expectAll('kita_places_o3', [40, 50, null, 90, null, 40, 90]);
    // Per 1,000 residents: 500, 200, 240 | 700, 300 | 250 | 1000.
    expectAll('kita_places_u3_per_1000_residents', [20, null, null, 10_000 / 700, null, 40, 10]);
    expectAll('kita_places_o3_per_1000_residents', [80, 250, null, 90_000 / 700, null, 160, 90]);
    expect(row('kita_places_u3_per_1000_residents', 'quarter', '010').basis_count).toBe(500);
    expect(JSON.parse(row('kita_places_o3_per_1000_residents', 'quarter', '020').note ?? '{}').en).toBe(
      '1 Kita with a place number; 200 residents (estimated, 2021-12-31/2023-12-31)',
    );
    expect(JSON.parse(row('kita_places_u3', 'city', '09999000').note ?? '{}')).toEqual({
      de: '3 Kitas, davon 2 ohne Platzangabe (nicht gezählt)',
      en: '3 Kitas, 2 of them without a place number (not counted)',
    });
    expect(row('kita_places_u3', 'city', '09999000').basis_count).toBe(1);
    expect(row('kita_places_o3', 'city', '09999000').basis_count).toBe(2);
  });

  it('offers per category: count, per km², per 1,000 residents; no indicator for a category without offers', async () => {
    expectAll('offers_childcare_count', [1, 1, 1, 2, 1, 1, 3]);
    expectAll('offers_school_count', [1, 1, 1, 2, 1, 1, 3]);
    expectAll('offers_library_count', [0, 1, 0, 1, 0, 0, 1]);
    expectAll('offers_childcare_per_km2', [1, 1, 1, 1, 1, 2, 1]);
    expectAll('offers_library_per_1000_residents', [0, 5, 0, 1000 / 700, 0, 0, 1]);
    const perAddress = await db.query("SELECT id FROM atlas.indicator WHERE id LIKE '%per_1000_addresses'");
    expect(perAddress).toEqual([]);
    const playground = await db.query("SELECT id FROM atlas.indicator WHERE id LIKE 'offers_playground%'");
    expect(playground).toEqual([]);
  });

  /**
   * Coverage is the share of residents: every address weighs its quarter's persons per address, 010 500 / 4 = 125,
   * 020 200 / 3 (the modelled remainder), 030 240 / 3 = 80. A quarter's share is its share of addresses; district 01
   * weighs 010 and 020 by 500 and 200 residents, the city its three quarters by 500, 200, 240 (940); action area 011
   * holds only addresses of 010.
   */
  const byResidents = (q010: number, q020: number, q030: number, aa011: number) => [
    q010,
    q020,
    q030,
    (500 * q010 + 200 * q020) / 700,
    q030,
    aa011,
    (500 * q010 + 200 * q020 + 240 * q030) / 940,
  ];

  it('coverage of Kitas: nearest Kita at 200, 100, 350, 600 | 430, 250, 472 | 400, 50, 400 m', () => {
    expectAll('coverage_childcare_300m', byResidents(50, 100 / 3, 100 / 3, 100));
    // By hand: district 01 (2 · 125 + 1 · 200/3) / 700 = 45.24 %, not 3 of 7 addresses (42.86 %); the city
    // (250 + 200/3 + 80) / 940 = 42.20 %, not 4 of 10 addresses (40 %).
    expect(row('coverage_childcare_300m', 'district', '01').value).toBeCloseTo(950 / 21, 6);
    expect(row('coverage_childcare_300m', 'city', '09999000').value).toBeCloseTo(119000 / 2820, 6);
    expectAll('coverage_childcare_500m', byResidents(75, 100, 100, 100));
    expectAll('coverage_childcare_1000m', [100, 100, 100, 100, 100, 100, 100]);
    expect(row('coverage_childcare_500m', 'quarter', '010')).toMatchObject({
      basis_count: 4,
      reference_date: '2018/2020',
    });
    // The basis stays the addresses (privacy suppression); the note gives both counts.
    expect(row('coverage_childcare_300m', 'district', '01').basis_count).toBe(7);
    expect(JSON.parse(row('coverage_childcare_300m', 'district', '01').note ?? '{}')).toEqual({
      de: '3 von 7 Adressen; etwa 317 von 700 Einwohnern (geschätzt)',
      en: '3 of 7 addresses; about 317 of 700 residents (estimated)',
    });
    expect(JSON.parse(row('coverage_childcare_300m', 'city', '09999000').note ?? '{}').en).toBe(
      '4 of 10 addresses; about 397 of 940 residents (estimated)',
    );
  });

  it('coverage names residents and the population’s dates in its description and method note', async () => {
    const [ind] = await db.query<{ description: { de: string; en: string }; method_note: { de: string; en: string } }>(
      "SELECT description, method_note FROM atlas.indicator WHERE id = 'coverage_childcare_300m'",
    );
    expect(ind?.description.en).toContain("Share of the area's residents");
    expect(ind?.description.en).toContain('(population as of 2021-12-31/2023-12-31)');
    expect(ind?.description.de).toContain('(Stand der Einwohnerzahlen 2021-12-31/2023-12-31)');
    expect(ind?.method_note.en).toContain("weighted by its quarter's persons per address");
    expect(ind?.method_note.en).toContain('as of 2021-12-31/2023-12-31');
    expect(ind?.method_note.de).toContain('Stand 2021-12-31/2023-12-31');
  });

  it('coverage of a target with a single location (the library at x = 1950)', () => {
    // distances 1850, 1550, 1300, 1050 | 800, 450, 50 | 150, 600, 950
    expectAll('coverage_library_300m', byResidents(0, 100 / 3, 100 / 3, 0));
    expectAll('coverage_library_500m', byResidents(0, 200 / 3, 100 / 3, 0));
    expectAll('coverage_library_1000m', byResidents(0, 100, 100, 0));
  });

  it('coverage of primary schools (any, with or without index)', () => {
    // nearest: a1 316 (s1), a2 361, a3 541, a4 500 (s3) | a5 403, a6 500, a7 806 (s3) | a8 700, a9 250, a10 100 (s2)
    expectAll('coverage_school_primary_300m', byResidents(0, 0, 200 / 3, 0));
    expectAll('coverage_school_primary_1000m', [100, 100, 100, 100, 100, 100, 100]);
  });

  it('education chain: the stages the data hold, and the gaps below 50 %', async () => {
    const stages = await db.query<{ member: string; indicator_id: string; radius_m: number }>(
      "SELECT member, indicator_id, radius_m FROM atlas.indicator_facet WHERE family = 'education-chain' ORDER BY sort",
    );
    expect(stages).toEqual([
      { member: 'gaps', indicator_id: 'education_chain_gaps', radius_m: null },
      { member: 'kita', indicator_id: 'coverage_childcare_500m', radius_m: 500 },
      { member: 'primary', indicator_id: 'coverage_school_primary_1000m', radius_m: 1000 },
      { member: 'library', indicator_id: 'coverage_library_1000m', radius_m: 1000 },
    ]);
    // The city reaches 6 of 10 addresses but (200 + 240) / 940 = 46.8 % of its residents with a library in 1 km.
    expectAll('education_chain_gaps', [1, 0, 0, 1, 0, 1, 1]);
    expect(JSON.parse(row('education_chain_gaps', 'quarter', '010').note ?? '{}').en).toBe('Below 50 %: library');
    expect(JSON.parse(row('education_chain_gaps', 'city', '09999000').note ?? '{}').en).toBe('Below 50 %: library');
  });

  it('residents: the published figure where there is one, with its own date and source; else the calibrated model', () => {
    const got = units.map(([level, code]) => {
      const r = residents.get(`${level} ${code}`);
      return [r?.value, r?.method, r?.reference_date];
    });
    expect(got).toEqual([
      [500, 'published', '2021-12-31'],
      [200, 'modelled', '2021-12-31/2023-12-31'],
      [240, 'published', '2023-12-31'],
      [700, 'published', '2023-12-31'],
      [300, 'published', '2022-12-31'],
      [250, 'modelled', '2021-12-31'],
      [1000, 'published', '2023-12-31'],
    ]);
    expect(residents.get('quarter 010')).toMatchObject({ source_id: 'figures', source_url: 'https://example.org/d' });
    expect(residents.get('quarter 020')).toMatchObject({ source_id: 'quartiersatlas', basis_count: 3 });
  });

  it('modelled population: calibrated to the district totals, each published quarter predicted without it', async () => {
    // Leave-one-out: 010 without its figure gets all of district 01 (700) spread over 010 and 020 by addresses,
    // 700 · 4/7 = 400; 030 gets district 02's 300. 020 has no figure: the remainder 700 − 500 = 200.
    // Action area 011: 2 addresses at 500/4 persons each. The city is not summed from districts of two dates.
    const ids = ['quarter 010', 'quarter 020', 'quarter 030', 'action-area 011', 'city 09999000'];
    expect(ids.map((k) => values.get(`population_modelled ${k}`)?.value)).toEqual([400, 200, 300, 250, null]);
    expect(values.has('population_modelled district 01')).toBe(false);
    expect(row('population_modelled', 'quarter', '030').reference_date).toBe('2022-12-31');
    expect(row('population_modelled', 'quarter', '020').reference_date).toBe('2021-12-31/2023-12-31');
    expect(JSON.parse(row('population_modelled', 'city', '09999000').note ?? '{}').en).toBe(
      'Not summed: the district figures have different reference dates',
    );
    // Errors: 010 (400 − 500) / 500 = −20 %, 030 (300 − 240) / 240 = +25 %: mean 22.5 %, bias +2.5 %.
    const [ind] = await db.query<{ method: string; description: { de: string; en: string } }>(
      "SELECT method, description FROM atlas.indicator WHERE id = 'population_modelled'",
    );
    expect(ind?.method).toBe('modelled');
    expect(ind?.description.en).toContain(
      'Error measured by cross-validation (each published quarter figure left out in turn and estimated from the ' +
        'rest) over 2 quarters: mean absolute error 22.5 %, median 22.5 %, largest 25.0 % in Hafenkante (030); ' +
        'on average 2.5 % too high. 1 quarter has no published figure and is estimated.',
    );
    expect(ind?.description.de).toContain('mittlere absolute Abweichung 22,5 %');
    expect(JSON.parse(row('population_modelled', 'quarter', '010').note ?? '{}').en).toBe(
      'Published: 500 (2021-12-31); estimated without it (cross-validation): error −20.0 %',
    );
  });
});

describe.each(packageEngines)('computed indicators for Dortmund (%s)', (engine) => {
  let db: Db;
  beforeAll(async () => {
    db = await realDb(engine);
  });
  afterAll(async () => {
    await db?.close();
  });

  it('gives every quarter a value for every computed indicator, or a reason where none can be computed', async () => {
    const rows = await db.query<{ id: string; quarters: number; with_value: number; without_reason: number }>(
      `SELECT i.id, count(v.area_code)::int AS quarters, count(v.value)::int AS with_value,
              count(*) FILTER (WHERE v.value IS NULL AND v.note IS NULL)::int AS without_reason
       FROM atlas.indicator i
       LEFT JOIN atlas.indicator_value v ON v.indicator_id = i.id AND v.level = 'quarter' AND v.is_latest
       WHERE i.method <> 'published'
       GROUP BY i.id ORDER BY i.id`,
    );
    expect(rows.length).toBeGreaterThan(90);
    for (const r of rows) {
      expect(r.quarters, r.id).toBe(62);
      expect(r.without_reason, r.id).toBe(0);
      // Only the index of the schools inside a quarter is missing where a quarter has no primary school.
      if (r.id !== 'school_social_index_primary') expect(r.with_value, r.id).toBe(62);
    }
    const [gaps] = await db.query<{ missing: number; no_school: number }>(
      `SELECT count(*) FILTER (WHERE v.value IS NULL)::int AS missing,
              count(*) FILTER (WHERE v.value IS NULL AND NOT EXISTS (
                SELECT 1 FROM atlas.offer o WHERE o.quarter_code = v.area_code AND o.subcategory = 'primary'))::int AS no_school
       FROM atlas.indicator_value v WHERE v.indicator_id = 'school_social_index_primary' AND v.level = 'quarter'`,
    );
    expect(gaps?.missing).toBe(gaps?.no_school);
  });

  /** The package's population rows of one level: code (or name) → the newest dated value, read from the CSV. */
  function newestPublished(level: string): Map<string, { value: number; date: string }> {
    const manifest = loadManifest(defaultManifestPath(REAL_DIR));
    const end = (d: string) => (d.length === 4 ? `${d}-12-31` : d.length === 7 ? `${d}-31` : d);
    const out = new Map<string, { value: number; date: string }>();
    for (const r of readCsv(REAL_DIR, manifest.publishedFigures.file)) {
      if (r.indicator !== 'population' || r.unit_level !== level || !r.reference_date) continue;
      const key = String(r.unit_code || r.unit_name);
      const had = out.get(key);
      if (!had || end(String(r.reference_date)) > end(had.date))
        out.set(key, { value: Number(r.value), date: String(r.reference_date) });
    }
    return out;
  }

  it('shows every published quarter population exactly, with its date, and models only the others', async () => {
    const published = newestPublished('statistischer_bezirk');
    expect(published.size).toBeGreaterThan(0);
    const rows = await db.query<{ code: string; value: number; method: string; reference_date: string }>(
      `SELECT area_code AS code, value, method, reference_date FROM atlas.indicator_value
       WHERE indicator_id = 'residents' AND level = 'quarter' ORDER BY area_code`,
    );
    expect(rows).toHaveLength(62);
    for (const r of rows) {
      const p = published.get(r.code);
      if (p) expect([r.code, r.value, r.method, r.reference_date]).toEqual([r.code, p.value, 'published', p.date]);
      else expect([r.code, r.method, r.value > 0]).toEqual([r.code, 'modelled', true]);
    }
    // The modelled quarters of a district fill exactly what its published total leaves after its published quarters.
    const districts = await db.query<{ code: string; total: number; quarters: number }>(
      `SELECT d.area_code AS code, d.value AS total, sum(q.value)::float8 AS quarters
       FROM atlas.indicator_value d
       JOIN atlas.area a ON a.level = 'quarter' AND a.parent_code = d.area_code
       JOIN atlas.indicator_value q ON q.indicator_id = 'residents' AND q.level = 'quarter' AND q.area_code = a.code
       WHERE d.indicator_id = 'residents' AND d.level = 'district'
       GROUP BY d.area_code, d.value
       HAVING bool_or(q.method = 'modelled')`,
    );
    expect(districts.length).toBeGreaterThan(0);
    for (const d of districts) expect(Math.abs(d.quarters - d.total), d.code).toBeLessThanOrEqual(2);
  });

  it('gives an action area made of published quarters their sum, and the city its published figure', async () => {
    const published = newestPublished('statistischer_bezirk');
    // Action areas whose addresses are all the addresses of the quarters they touch.
    const whole = await db.query<{ code: string; quarters: string[] }>(
      `WITH piece AS (SELECT action_area_code AS code, quarter_code, count(*) AS n FROM atlas.address
                     WHERE action_area_code IS NOT NULL GROUP BY 1, 2),
            quarter AS (SELECT quarter_code, count(*) AS n FROM atlas.address GROUP BY 1)
       SELECT p.code, array_agg(p.quarter_code ORDER BY p.quarter_code) AS quarters
       FROM piece p JOIN quarter q USING (quarter_code)
       GROUP BY p.code HAVING bool_and(p.n = q.n)`,
    );
    const summed = whole.filter((w) => w.quarters.every((q) => published.has(q)));
    expect(summed.length).toBeGreaterThan(0);
    const ownFigure = newestPublished('aktionsraum');
    for (const w of summed) {
      const [v] = await db.query<{ value: number; method: string }>(
        "SELECT value, method FROM atlas.indicator_value WHERE indicator_id = 'residents' AND level = 'action-area' AND area_code = $1",
        [w.code],
      );
      // A figure published for the action area itself wins over the sum of its quarters.
      const expected =
        ownFigure.get(w.code)?.value ?? w.quarters.reduce((s, q) => s + (published.get(q)?.value ?? 0), 0);
      expect(v?.value, w.code).toBeCloseTo(expected, 0);
      expect(v?.method, w.code).toBe(ownFigure.has(w.code) ? 'published' : 'computed');
    }
    const city = newestPublished('city');
    const [c] = await db.query<{ value: number; method: string; reference_date: string }>(
      "SELECT value, method, reference_date FROM atlas.indicator_value WHERE indicator_id = 'residents' AND level = 'city'",
    );
    const newestCity = [...city.values()][0];
    expect(c).toEqual({ value: newestCity?.value, method: 'published', reference_date: newestCity?.date });
  });

  it('measures the model’s error by leaving out each published quarter and writes it into the method note', async () => {
    const published = newestPublished('statistischer_bezirk');
    const [ind] = await db.query<{ description: { de: string; en: string } }>(
      "SELECT description FROM atlas.indicator WHERE id = 'population_modelled'",
    );
    const m = /over (\d+) quarters: mean absolute error (\d+\.\d) %/.exec(ind?.description.en ?? '');
    expect(Number(m?.[1])).toBe(published.size);
    const checks = await db.query<{ predicted: number; published: number }>(
      `SELECT m.value AS predicted, r.value AS published FROM atlas.indicator_value m
       JOIN atlas.indicator_value r ON r.indicator_id = 'residents' AND r.level = 'quarter' AND r.area_code = m.area_code
       WHERE m.indicator_id = 'population_modelled' AND m.level = 'quarter' AND r.method = 'published'`,
    );
    const mape = checks.reduce((s, c) => s + Math.abs(c.predicted - c.published) / c.published, 0) / checks.length;
    // The stored predictions are rounded to persons: the stated error matches them to 0.1 points.
    expect(Math.abs(100 * mape - Number(m?.[2]))).toBeLessThanOrEqual(0.1);
  });

  it('divides Kita places by residents, not by addresses', async () => {
    const rows = await db.query<{ code: string; rate: number; places: number; persons: number }>(
      `SELECT r.area_code AS code, r.value AS rate, p.value AS places, n.value AS persons
       FROM atlas.indicator_value r
       JOIN atlas.indicator_value p ON p.indicator_id = 'kita_places_u3' AND p.level = r.level AND p.area_code = r.area_code
       JOIN atlas.indicator_value n ON n.indicator_id = 'residents' AND n.level = r.level AND n.area_code = r.area_code
       WHERE r.indicator_id = 'kita_places_u3_per_1000_residents' AND r.level = 'quarter' AND r.value IS NOT NULL`,
    );
    expect(rows.length).toBeGreaterThan(50);
    for (const r of rows) expect(r.rate, r.code).toBeCloseTo((1000 * r.places) / r.persons, 6);
    const perAddress = await db.query("SELECT id FROM atlas.indicator WHERE unit LIKE '%per 1,000 addresses%'");
    expect(perAddress).toEqual([]);
  });
});
