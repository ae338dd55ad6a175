import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../../server/app.ts';
import type { Db } from '../../server/db/index.ts';
import { ChainResponse, GapsResponse } from '../../server/domain/indicators-schema.ts';
import { readEnv } from '../../server/env.ts';
import { loadTinyCity } from '../fixtures/derive/tiny-city.ts';
import { engines, freshDb, packageEngines, realDb } from '../support/db.ts';

async function getJson<T>(app: ReturnType<typeof createApp>, path: string, parse: (v: unknown) => T): Promise<T> {
  const res = await app.request(path);
  expect(res.status, `${path}: ${res.status}`).toBe(200);
  return parse(await res.json());
}

describe.each(engines)('/api/analysis on the tiny city (%s)', (engine) => {
  let db: Awaited<ReturnType<typeof freshDb>>;
  let app: ReturnType<typeof createApp>;
  let open: ReturnType<typeof createApp>;

  beforeAll(async () => {
    db = await freshDb(engine);
    await loadTinyCity(db);
    app = createApp({ db, env: readEnv({}) });
    open = createApp({ db, env: readEnv({ MIN_COUNT: '1' }) });
  });
  afterAll(async () => {
    await db?.drop();
  });

  it('places each quarter in need × supply terciles and ranks the high-need, low-supply ones', async () => {
    // need (nearest-school index) 8, 4, 2: terciles at 3.33 and 5.33 → high, mid, low.
    // supply (library within 1 km) 0, 100, 100: terciles at 66.7 and 100 → low, mid, mid.
    const body = await getJson(
      open,
      '/api/analysis/gaps?need=school_social_index_nearest_primary&supply=coverage_library_1000m',
      (v) => GapsResponse.parse(v),
    );
    expect(body.need.terciles.breaks?.map((b) => Math.round(b * 1000) / 1000)).toEqual([3.333, 5.333]);
    expect(body.supply.terciles.breaks?.map((b) => Math.round(b * 100) / 100)).toEqual([66.67, 100]);
    expect(body.areas.map((a) => [a.code, a.need_tercile, a.supply_tercile, a.cell])).toEqual([
      ['010', 2, 0, 6],
      ['020', 1, 1, 4],
      ['030', 0, 1, 1],
    ]);
    expect(body.cells[6]).toEqual({ index: 6, name: 'high-need/low-supply', count: 1 });
    expect(body.gaps).toEqual([{ rank: 1, code: '010', name: 'Am Markt', need: 8, supply: 0 }]);
  });

  it('compares the action areas: inside, rest of the city and city, weighted by addresses', async () => {
    const body = await getJson(
      open,
      '/api/analysis/gaps?need=school_social_index_nearest_primary&supply=coverage_library_1000m',
      (v) => GapsResponse.parse(v),
    );
    // Quarter 010 has 2 addresses inside the action area and 2 outside; 020 and 030 have 3 outside each.
    // need: inside 8; rest (8·2 + 4·3 + 2·3) / 8 = 4.25; city 50 / 10 = 5.
    expect(body.action_areas.comparison.need).toEqual({
      inside: 8,
      rest: 4.25,
      city: 5,
      city_value: 5,
      inside_addresses: 2,
      rest_addresses: 8,
      quarters_without_value: [],
    });
    // supply: inside 0; rest (0·2 + 100·3 + 100·3) / 8 = 75; city 60.
    expect(body.action_areas.comparison.supply).toMatchObject({ inside: 0, rest: 75, city: 60, city_value: 60 });
    expect(body.action_areas.areas).toEqual([
      expect.objectContaining({ code: '011', need: 8, supply: 0, need_tercile: 2, supply_tercile: 0, cell: 6 }),
    ]);
  });

  it('turns an indicator round when high values mean low need', async () => {
    const body = await getJson(
      open,
      '/api/analysis/gaps?need=coverage_library_1000m&supply=coverage_childcare_500m',
      (v) => GapsResponse.parse(v),
    );
    expect(body.need.inverted).toBe(true);
    expect(body.supply.inverted).toBe(false);
    // Library access 0 % in 010 is the highest need.
    expect(body.areas.find((a) => a.code === '010')?.need_tercile).toBe(2);
  });

  it('leaves withheld values out, with the reason', async () => {
    const body = await getJson(
      app,
      '/api/analysis/gaps?need=school_social_index_nearest_primary&supply=coverage_library_1000m',
      (v) => GapsResponse.parse(v),
    );
    expect(body.gaps).toEqual([]);
    expect(body.areas.every((a) => a.cell === null && a.reasons.length === 2)).toBe(true);
    expect(body.areas[0]?.reasons[0]?.en).toContain('fewer than 5 addresses or persons');
  });

  it('answers an unknown indicator with 400 naming need or supply', async () => {
    for (const param of ['need', 'supply']) {
      const other = param === 'need' ? 'supply' : 'need';
      const res = await app.request(`/api/analysis/gaps?${param}=nothing_here&${other}=population`);
      expect(res.status).toBe(400);
      expect(((await res.json()) as { param: string }).param).toBe(param);
    }
    const res = await app.request('/api/analysis/gaps?need=population');
    expect(((await res.json()) as { param: string }).param).toBe('supply');
  });

  it('shows the education chain per quarter and where it breaks, for any threshold', async () => {
    const at50 = await getJson(open, '/api/analysis/education-chain', (v) => ChainResponse.parse(v));
    expect(at50.stages.map((s) => [s.stage, s.radius_m])).toEqual([
      ['kita', 500],
      ['primary', 1000],
      ['library', 1000],
    ]);
    expect(at50.stages.map((s) => s.city_value)).toEqual([90, 100, 60]);
    expect(at50.areas.map((a) => [a.code, a.breaks])).toEqual([
      ['010', ['library']],
      ['020', []],
      ['030', []],
    ]);
    expect(at50.areas[0]?.stages).toEqual([
      { stage: 'kita', value: 75, suppressed: false, below: false },
      { stage: 'primary', value: 100, suppressed: false, below: false },
      { stage: 'library', value: 0, suppressed: false, below: true },
    ]);
    const at80 = await getJson(open, '/api/analysis/education-chain?threshold=80', (v) => ChainResponse.parse(v));
    expect(at80.areas[0]?.breaks).toEqual(['kita', 'library']);
    expect(at80.summary).toEqual([
      { stage: 'kita', areas_below: 1 },
      { stage: 'primary', areas_below: 0 },
      { stage: 'library', areas_below: 1 },
    ]);
    const bad = await app.request('/api/analysis/education-chain?threshold=120');
    expect(((await bad.json()) as { param: string }).param).toBe('threshold');
  });
});

describe.each(packageEngines)('/api/analysis for Dortmund (%s)', (engine) => {
  let db: Db;
  let app: ReturnType<typeof createApp>;
  beforeAll(async () => {
    db = await realDb(engine);
    app = createApp({ db, env: readEnv({}) });
  });
  afterAll(async () => {
    await db?.close();
  });

  it('names the quarters of high need (primary-school social index) and low Kita access', async () => {
    const body = await getJson(
      app,
      '/api/analysis/gaps?need=school_social_index_nearest_primary&supply=coverage_childcare_500m&level=quarter',
      (v) => GapsResponse.parse(v),
    );
    expect(body.areas).toHaveLength(62);
    expect(body.cells.reduce((n, c) => n + c.count, 0)).toBe(62);
    expect(body.gaps.length).toBeGreaterThan(0);
    const [t1] = body.supply.terciles.breaks ?? [Number.NaN];
    const [, t2] = body.need.terciles.breaks ?? [Number.NaN, Number.NaN];
    for (const [i, gap] of body.gaps.entries()) {
      expect(gap.rank).toBe(i + 1);
      expect(gap.name).toMatch(/\p{L}/u);
      expect(gap.need).toBeGreaterThan(t2 as number);
      expect(gap.supply).toBeLessThanOrEqual(t1 as number);
      if (i > 0) expect(gap.need).toBeLessThanOrEqual(body.gaps[i - 1]?.need as number);
    }
    // The action areas have more need than the rest of the city.
    const need = body.action_areas.comparison.need;
    expect(need.inside as number).toBeGreaterThan(need.rest as number);
    expect(body.action_areas.areas.filter((a) => a.numbered)).toHaveLength(13);
  });

  it('ranks with the pupil-weighted index too, leaving out the quarters without a primary school', async () => {
    const body = await getJson(
      app,
      '/api/analysis/gaps?need=school_social_index_primary&supply=coverage_childcare_500m',
      (v) => GapsResponse.parse(v),
    );
    const missing = body.areas.filter((a) => a.cell === null);
    expect(missing.length).toBe(body.need.terciles.missing);
    expect(missing.every((a) => a.reasons.some((r) => r.en === 'No primary school in this area'))).toBe(true);
    expect(body.gaps.every((g) => body.areas.find((a) => a.code === g.code)?.cell === 6)).toBe(true);
  });

  it('shows the education chain for all 62 quarters', async () => {
    const body = await getJson(app, '/api/analysis/education-chain?threshold=50', (v) => ChainResponse.parse(v));
    expect(body.areas).toHaveLength(62);
    expect(body.stages.filter((s) => s.parent === null).map((s) => s.stage)).toEqual([
      'kita',
      'primary',
      'secondary',
      'vocational',
      'library',
    ]);
    for (const a of body.areas) expect(a.stages.every((s) => s.value !== null)).toBe(true);
    expect(body.summary.find((s) => s.stage === 'library')?.areas_below).toBeGreaterThan(0);
  });
});
