import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../../server/app.ts';
import type { Db } from '../../server/db/index.ts';
import {
  DesignationResponse,
  IndexResponse,
  LisaResponse,
  PresetsResponse,
} from '../../server/domain/analysis-schema.ts';
import { readEnv } from '../../server/env.ts';
import { useTinyCity } from '../fixtures/derive/tiny-city.ts';
import { engines, packageEngines, realDb } from '../support/db.ts';

/**
 * Issue 18: hot spots (LISA), the composite index and designation, through the API on real engines.
 * The tiny city (tests/fixtures/derive) has three quarters in a row, 010 – 020 – 030; 010 has half of its four
 * addresses in action area 011, so it is today's only designated quarter. The suite adds an indicator of need
 * with values worked out by hand: 1, 5, 3 (dated 2024, the newest) and 1, 1, 3 (dated 2020).
 */

type App = ReturnType<typeof createApp>;

async function get<T>(app: App, path: string, parse: (v: unknown) => T): Promise<T> {
  const res = await app.request(path);
  expect(res.status, `${path}: ${res.status} ${res.status === 200 ? '' : await res.clone().text()}`).toBe(200);
  return parse(await res.json());
}

async function problem(app: App, path: string): Promise<{ status: number; param: string; detail: string }> {
  const res = await app.request(path);
  expect(res.headers.get('content-type')).toBe('application/problem+json');
  return { status: res.status, ...((await res.json()) as { param: string; detail: string }) };
}

const TEST_INDICATOR = `
  INSERT INTO atlas.indicator (id, theme, title, description, unit, direction, method, method_note, source_ids, count_based, sort)
  VALUES ('test_need', 'social', '{"de": "Testbedarf", "en": "Test need"}', '{"de": "Test", "en": "Test"}', '%', 'need',
          'computed', '{"de": "Test", "en": "Test"}', '{quartiersatlas}', false, 9999);
  INSERT INTO atlas.indicator_value (indicator_id, level, area_code, reference_date, value, method, source_id, is_latest)
  VALUES ('test_need', 'quarter', '010', '2024', 1, 'computed', 'quartiersatlas', true),
         ('test_need', 'quarter', '020', '2024', 5, 'computed', 'quartiersatlas', true),
         ('test_need', 'quarter', '030', '2024', 3, 'computed', 'quartiersatlas', true),
         ('test_need', 'quarter', '010', '2020', 1, 'computed', 'quartiersatlas', false),
         ('test_need', 'quarter', '020', '2020', 1, 'computed', 'quartiersatlas', false),
         ('test_need', 'quarter', '030', '2020', 3, 'computed', 'quartiersatlas', false);`;

describe.each(engines)('/api/analysis hot spots, index and designation on the tiny city (%s)', (engine) => {
  const city = useTinyCity(engine, (db) => db.exec(TEST_INDICATOR));

  it('computes Moran’s I over the queen contiguity of the polygons, as worked out by hand', async () => {
    // z = y − 3: −2, 2, 0. Row-standardised: 010 → 020 (1), 020 → 010 and 030 (½ each), 030 → 020 (1).
    // Σ wᵢⱼ zᵢ zⱼ = (−2)(2) + 2·(−2)·½ + 0 = −6; Σ z² = 8; I = 3/3 · (−6/8) = −0.75; E[I] = −½.
    const body = await get(city.open, '/api/analysis/lisa?indicator=test_need&permutations=99&seed=7', (v) =>
      LisaResponse.parse(v),
    );
    expect(body.global.i).toBeCloseTo(-0.75, 12);
    expect(body.global.expected).toBeCloseTo(-0.5, 12);
    expect(body.areas.map((a) => [a.code, a.neighbours])).toEqual([
      ['010', ['020']],
      ['020', ['010', '030']],
      ['030', ['020']],
    ]);
    expect(body.weights).toMatchObject({ kind: 'queen-contiguity', neighbours: { min: 1, max: 2 } });
    expect(body.islands).toEqual([]);
    expect(body.n).toBe(3);
    // 010 low among a high neighbour, 020 high among lows on average (lag of −2 and 0 is −1).
    expect(body.areas.map((a) => a.quadrant)).toEqual(['low-high', 'high-low', 'low-high']);
    expect(body.explanation.en).toMatch(/With 3 areas the power is modest/);
    expect(Object.values(body.counts).reduce((s, c) => s + c, 0)).toBe(3);
  });

  it('refuses an indicator with fewer than three areas left once the missing are taken out', async () => {
    // school_social_index_primary has no value in 020 (its school has no index): 010 and 030 lose their only
    // neighbour and become islands, so no area is left to correlate: a 400 naming the indicator.
    const res = await problem(city.open, '/api/analysis/lisa?indicator=school_social_index_primary');
    expect(res.status).toBe(400);
    expect(res.param).toBe('indicator');
    expect(res.detail).toMatch(/school_social_index_primary at level quarter: .*(at least 3|touches)/);
  });

  it('builds the index from direction-aware z-scores with normalised weights and per-indicator contributions', async () => {
    // test_need 1, 5, 3: z −1, 1, 0. coverage_library_1000m 0, 100, 100 (strength, turned): z 2/√3·…; weights 2:1.
    const body = await get(
      city.open,
      '/api/analysis/index?indicators=test_need,coverage_library_1000m&weights=2,1&draws=50&seed=3',
      (v) => IndexResponse.parse(v),
    );
    expect(body.indicators.map((i) => [i.indicator.id, i.weight, i.turned])).toEqual([
      ['test_need', 2 / 3, false],
      ['coverage_library_1000m', 1 / 3, true],
    ]);
    const sd = Math.sqrt(((0 - 200 / 3) ** 2 + 2 * (100 - 200 / 3) ** 2) / 2);
    const coverageScore = [200 / 3 / sd, -(100 - 200 / 3) / sd, -(100 - 200 / 3) / sd];
    const needScore = [-1, 1, 0];
    body.areas.forEach((a, i) => {
      expect(a.contributions[0]).toBeCloseTo((2 / 3) * (needScore[i] as number), 12);
      expect(a.contributions[1]).toBeCloseTo((1 / 3) * (coverageScore[i] as number), 12);
      expect(a.index).toBeCloseTo(
        (a.contributions as number[]).reduce((s, c) => s + c, 0),
        12,
      );
      expect(a.band).not.toBeNull();
    });
    expect(body.complete).toBe(3);
    expect(body.status_classes.map((c) => c.id)).toEqual(['very-low', 'low', 'medium', 'high']);

    const ranked = await get(city.open, '/api/analysis/index?indicators=test_need&method=rank&draws=0', (v) =>
      IndexResponse.parse(v),
    );
    expect(ranked.areas.map((a) => a.index)).toEqual([0, 1, 0.5]);
    expect(ranked.areas.map((a) => a.rank)).toEqual([3, 1, 2]);
  });

  it('classes change where two dates exist', async () => {
    // Differences 2024 − 2020: 0, 4, 0 → t of 020 = (8/3) / sd(0, 4, 0) = 1.1547: negative (need grew).
    const body = await get(city.open, '/api/analysis/index?indicators=test_need&date=2024&since=2020&draws=0', (v) =>
      IndexResponse.parse(v),
    );
    expect(body.areas.map((a) => a.change?.class)).toEqual(['stable', 'negative', 'stable']);
    expect(body.areas[1]?.change?.t).toBeCloseTo(8 / 3 / Math.sqrt(16 / 3), 12);
  });

  it('compares the quarters a rule selects with today’s Aktionsraum quarters, with margins, addresses and residents', async () => {
    const body = await get(city.open, '/api/analysis/designation?indicators=test_need&rule=top:2&draws=0', (v) =>
      DesignationResponse.parse(v),
    );
    // Index = z: −1, 1, 0. top:2 → 020 and 030, cut 0. Today: 010 (2 of 4 addresses in 011).
    expect(body.cut).toBe(0);
    expect(body.selected.map((m) => m.code)).toEqual(['020', '030']);
    expect(body.both).toEqual([]);
    expect(body.entering.map((m) => [m.code, m.margin])).toEqual([
      ['020', 1],
      ['030', 0],
    ]);
    expect(body.leaving).toEqual([
      expect.objectContaining({
        code: '010',
        margin: -1,
        today_share: 0.5,
        action_areas: [{ code: '011', name: 'Marktviertel', address_share: 0.5 }],
      }),
    ]);
    const residents = await city.db.query<{ code: string; value: number; method: string }>(
      `SELECT area_code AS code, value, method FROM atlas.indicator_value
       WHERE indicator_id = 'residents' AND level = 'quarter' AND is_latest ORDER BY area_code`,
    );
    const of = (codes: string[]) => residents.filter((r) => codes.includes(r.code));
    const sum = (rows: { value: number }[]) => rows.reduce((s, r) => s + r.value, 0);
    expect(body.totals.entering).toMatchObject({ areas: 2, addresses: 6 });
    expect(body.totals.entering.residents).toBeCloseTo(sum(of(['020', '030'])), 6);
    expect(body.totals.leaving).toMatchObject({ areas: 1, addresses: 4 });
    expect(body.totals.today.residents_published + body.totals.today.residents_modelled).toBeCloseTo(
      sum(of(['010'])),
      6,
    );
    expect(body.totals.today.residents_published).toBeCloseTo(
      sum(of(['010']).filter((r) => r.method === 'published')),
      6,
    );

    const threshold = await get(
      city.open,
      '/api/analysis/designation?indicators=test_need&rule=threshold:-1&draws=0',
      (v) => DesignationResponse.parse(v),
    );
    expect(threshold.both.map((m) => m.code)).toEqual(['010']);
    expect(threshold.leaving).toEqual([]);
    expect(threshold.entering.map((m) => m.code)).toEqual(['020', '030']);
  });

  it('builds the first preset the data can fill when neither indicators nor a preset are named, and says which', async () => {
    const presets = await get(city.open, '/api/analysis/index/presets?level=quarter', (v) => PresetsResponse.parse(v));
    const first = presets.presets.find((p) => p.indicators.length > 0);
    if (!first) throw new Error('the tiny city fills no preset');
    const body = await get(city.open, '/api/analysis/index?draws=0', (v) => IndexResponse.parse(v));
    expect(body.preset?.id).toBe(first.id);
    expect(body.indicators.map((i) => i.indicator.id)).toEqual(first.indicators.map((i) => i.id));
    // Its weights, normalised; what it could not fill named.
    const sum = first.indicators.reduce((s, i) => s + i.weight, 0);
    expect(body.indicators.map((i) => i.weight)).toEqual(first.indicators.map((i) => i.weight / sum));
    expect(body.preset?.unfilled.length).toBeGreaterThan(0);
  });

  it('answers bad input with a problem naming the parameter', async () => {
    const cases: [string, string][] = [
      ['/api/analysis/index?indicators=test_need,coverage_library_1000m&weights=1', 'weights'],
      ['/api/analysis/index?indicators=test_need,coverage_library_1000m&weights=1,-2', 'weights'],
      ['/api/analysis/index?indicators=test_need,test_need', 'indicators'],
      ['/api/analysis/index?indicators=nope', 'indicators'],
      ['/api/analysis/index?indicators=population', 'indicators'],
      ['/api/analysis/index?preset=nope', 'preset'],
      ['/api/analysis/index?preset=aktionsplan-work&indicators=test_need', 'preset'],
      ['/api/analysis/index?indicators=test_need&date=1999', 'date'],
      ['/api/analysis/index?indicators=test_need&since=1999', 'since'],
      ['/api/analysis/index?indicators=test_need&method=median', 'method'],
      ['/api/analysis/designation?indicators=test_need&rule=bottom:2', 'rule'],
      ['/api/analysis/designation?indicators=test_need', 'rule'],
      ['/api/analysis/lisa?indicator=test_need&permutations=100000', 'permutations'],
      ['/api/analysis/lisa?indicator=test_need&alpha=0', 'alpha'],
      ['/api/analysis/lisa?indicator=nope', 'indicator'],
    ];
    for (const [path, param] of cases) {
      const res = await problem(city.open, path);
      expect([res.status, res.param], path).toEqual([400, param]);
    }
  });
});

describe.each(packageEngines)('/api/analysis hot spots, index and designation on the real package (%s)', (engine) => {
  let db: Db;
  let app: App;
  const minCount = 5;

  beforeAll(async () => {
    db = await realDb(engine);
    app = createApp({ db, env: readEnv({ MIN_COUNT: String(minCount) }) });
  });
  afterAll(async () => {
    await db?.close();
  });

  it('selects from the Sozialindex and Kita coverage a set whose overlap with today’s Aktionsräume the package gives', async () => {
    const ids = ['school_social_index_nearest_primary', 'coverage_childcare_500m'];
    // Today's quarters: at least half of their addresses in an Aktionsraum (area_member).
    const today = (
      await db.query<{ code: string }>(
        `SELECT member_code AS code FROM atlas.area_member WHERE member_level = 'quarter'
         GROUP BY member_code HAVING sum(address_share) >= 0.5 ORDER BY member_code`,
      )
    ).map((r) => r.code);
    expect(today.length).toBeGreaterThan(0);
    // The index computed here from the stored values: direction from the catalogue, sample z-scores, equal weights.
    const rows = await db.query<{ id: string; code: string; value: number | null; basis: number | null }>(
      `SELECT DISTINCT ON (indicator_id, area_code) indicator_id AS id, area_code AS code, value::float8 AS value,
              basis_count AS basis
       FROM atlas.indicator_value WHERE level = 'quarter' AND is_latest AND indicator_id = ANY($1)
       ORDER BY indicator_id, area_code, value DESC NULLS LAST`,
      [ids],
    );
    const inds = await db.query<{ id: string; direction: string; count_based: boolean }>(
      'SELECT id, direction, count_based FROM atlas.indicator WHERE id = ANY($1)',
      [ids],
    );
    const scores = new Map<string, number[]>();
    for (const id of ids) {
      const ind = inds.find((i) => i.id === id);
      const shown = rows.filter(
        (r) => r.id === id && r.value !== null && !(ind?.count_based && (r.basis ?? r.value) < minCount),
      );
      const mean = shown.reduce((s, r) => s + (r.value as number), 0) / shown.length;
      const sd = Math.sqrt(shown.reduce((s, r) => s + ((r.value as number) - mean) ** 2, 0) / (shown.length - 1));
      const sign = ind?.direction === 'need' ? 1 : -1;
      for (const r of shown)
        scores.set(r.code, [...(scores.get(r.code) ?? []), (sign * ((r.value as number) - mean)) / sd]);
    }
    const index = [...scores]
      .filter(([, s]) => s.length === ids.length)
      .map(([code, s]) => ({ code, index: (s[0] as number) / 2 + (s[1] as number) / 2 }));
    index.sort((a, b) => b.index - a.index);
    const n = today.length;
    const selected = index.slice(0, n).map((a) => a.code);
    const overlap = selected.filter((c) => today.includes(c)).sort();

    const body = await get(app, `/api/analysis/designation?indicators=${ids.join(',')}&rule=top:${n}&draws=100`, (v) =>
      DesignationResponse.parse(v),
    );
    expect(body.ties).toBe(0);
    expect(body.selected.map((m) => m.code).sort()).toEqual([...selected].sort());
    expect(body.both.map((m) => m.code).sort(), `overlap of ${overlap.length} of ${n}`).toEqual(overlap);
    expect(body.entering.map((m) => m.code).sort()).toEqual(selected.filter((c) => !today.includes(c)).sort());
    expect(body.leaving.map((m) => m.code).sort()).toEqual(today.filter((c) => !selected.includes(c)).sort());
    expect(body.totals.today.areas).toBe(n);
    // Every leaving quarter lies below the cut, every one taken on or above it.
    for (const m of body.leaving) expect(m.margin).toBeLessThan(0);
    for (const m of body.selected) expect(m.margin).toBeGreaterThanOrEqual(0);
    // Addresses per set from the register.
    const [addresses] = await db.query<{ n: number }>(
      'SELECT count(*)::int AS n FROM atlas.address WHERE quarter_code = ANY($1)',
      [today],
    );
    expect(body.totals.today.addresses).toBe(addresses?.n);
    // Residents: published and modelled said apart, summing to the residents indicator of the set.
    const residents = await db.query<{ value: number; method: string }>(
      `SELECT value::float8 AS value, method FROM atlas.indicator_value
       WHERE indicator_id = 'residents' AND level = 'quarter' AND is_latest AND area_code = ANY($1)`,
      [today],
    );
    const published = residents.filter((r) => r.method === 'published').reduce((s, r) => s + r.value, 0);
    const all = residents.reduce((s, r) => s + r.value, 0);
    expect(body.totals.today.residents_published).toBeCloseTo(published, 3);
    expect(body.totals.today.residents).toBeCloseTo(all, 3);
  });

  it('finds hot spots of the Sozialindex over the real quarters: symmetric neighbours, reproducible, explained', async () => {
    const path = '/api/analysis/lisa?indicator=school_social_index_nearest_primary&permutations=999&seed=11';
    const body = await get(app, path, (v) => LisaResponse.parse(v));
    const [quarters] = await db.query<{ n: number }>(
      "SELECT count(*)::int AS n FROM atlas.area WHERE level = 'quarter'",
    );
    expect(body.areas).toHaveLength(quarters?.n as number);
    const neighbours = new Map(body.areas.map((a) => [a.code, a.neighbours]));
    for (const [code, list] of neighbours) for (const other of list) expect(neighbours.get(other)).toContain(code);
    // With no islands, the local values sum to (n − 1) times the global I (esda's scaling).
    expect(body.islands).toEqual([]);
    const sumLocal = body.areas.reduce((s, a) => s + (a.local_i ?? 0), 0);
    expect(sumLocal / (body.n - 1)).toBeCloseTo(body.global.i, 9);
    expect(body.global.p_sim).toBeGreaterThanOrEqual(1 / 1000);
    for (const a of body.areas)
      expect(a.cluster).toBe(a.significant ? a.quadrant : a.value === null ? 'missing' : 'not-significant');
    expect(body.explanation.de).toMatch(new RegExp(`Mit ${body.n} Gebieten ist die Aussagekraft bescheiden`));
  });
});
