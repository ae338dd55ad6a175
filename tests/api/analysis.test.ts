import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../../server/app.ts';
import type { Db } from '../../server/db/index.ts';
import { spearman } from '../../server/domain/gaps.ts';
import { ChainResponse, GapsResponse } from '../../server/domain/indicators-schema.ts';
import { readEnv } from '../../server/env.ts';
import { useTinyCity } from '../fixtures/derive/tiny-city.ts';
import { engines, packageEngines, realDb } from '../support/db.ts';

async function getJson<T>(app: ReturnType<typeof createApp>, path: string, parse: (v: unknown) => T): Promise<T> {
  const res = await app.request(path);
  expect(res.status, `${path}: ${res.status}`).toBe(200);
  return parse(await res.json());
}

describe.each(engines)('/api/analysis on the tiny city (%s)', (engine) => {
  const city = useTinyCity(engine);

  it('places each quarter in need × supply terciles and ranks the high-need, low-supply ones', async () => {
    // need (nearest-school index) 8, 4, 2: terciles at 3.33 and 5.33 → high, mid, low.
    // supply (library within 1 km) 0, 100, 100: terciles at 66.7 and 100 → low, mid, mid.
    const body = await getJson(
      city.open,
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
    expect(body.gaps).toEqual([
      expect.objectContaining({ rank: 1, code: '010', name: 'Am Markt', need: 8, supply: 0 }),
    ]);
    expect(body.reference).toEqual({ level: null, areas: 3 });
    expect(body.ranking_withheld).toBe(false);
    expect(body.need.collapsed).toBe(false);
  });

  it('says where each need value comes from: addresses whose nearest school lies in another quarter', async () => {
    // Index schools at (200, 200) in 010 and (2800, 500) in 030; addresses at y = 500. The bisector crosses
    // y = 500 at x = 1482.7: 010's four addresses take 010's school; 020's three take 010's (x 1150) and 030's
    // (x 1500, 1900): all three from outside; 030's three its own.
    const body = await getJson(
      city.open,
      '/api/analysis/gaps?need=school_social_index_nearest_primary&supply=coverage_library_1000m',
      (v) => GapsResponse.parse(v),
    );
    const source = (code: string) => body.areas.find((a) => a.code === code)?.need_source;
    expect(source('010')).toMatchObject({
      method: 'modelled',
      basis_count: 4,
      borrowed: { indicator_id: 'school_social_index_nearest_primary_borrowed', share: 0, basis_count: 4 },
    });
    expect(source('020')?.borrowed).toMatchObject({ share: 100, basis_count: 3 });
    expect(source('020')?.borrowed?.note?.en).toBe(
      '3 of 3 addresses take the index of a school outside: Hafenkante 2, Am Markt 1',
    );
    expect(source('030')?.borrowed?.share).toBe(0);
    expect(source('010')?.source).toMatchObject({ id: 'quartiersatlas' });
    // District 01 (010 + 020): addresses at x 1500 and 1900 take 030's school, in district 02: 2 of 7.
    const districts = await getJson(
      city.open,
      '/api/analysis/gaps?need=school_social_index_nearest_primary&supply=coverage_library_1000m&level=district',
      (v) => GapsResponse.parse(v),
    );
    expect(districts.areas.find((a) => a.code === '01')?.need_source.borrowed?.share).toBeCloseTo((100 * 2) / 7, 1);
    // A need indicator without such a measure has none.
    const other = await getJson(
      city.open,
      '/api/analysis/gaps?need=coverage_library_1000m&supply=coverage_childcare_500m',
      (v) => GapsResponse.parse(v),
    );
    expect(other.areas.every((a) => a.need_source.borrowed === null)).toBe(true);
    expect(other.warnings.map((w) => w.code)).toContain('need-is-access');
  });

  it('compares the action areas: inside, rest of the city and city, weighted by residents', async () => {
    const body = await getJson(
      city.open,
      '/api/analysis/gaps?need=school_social_index_nearest_primary&supply=coverage_library_1000m',
      (v) => GapsResponse.parse(v),
    );
    // Quarter 010 has 2 addresses inside the action area and 2 outside; 020 and 030 have 3 outside each. Residents
    // per address: 010 500 / 4, 020 200 / 3, 030 240 / 3, so the weights are 250 inside; 250, 200 and 240 outside.
    // need (010 8, 020 4, 030 2): inside 8; rest (8·250 + 4·200 + 2·240) / 690; city (8·500 + 4·200 + 2·240) / 940.
    const sig = (v: number) => Number(v.toPrecision(6));
    expect(body.action_areas.comparison.need).toEqual({
      inside: 8,
      rest: sig(3280 / 690),
      city: sig(5280 / 940),
      city_value: 5,
      inside_addresses: 2,
      rest_addresses: 8,
      quarters_without_value: [],
    });
    // supply (010 0, 020 100, 030 100): inside 0; rest 44000 / 690; city 44000 / 940, the indicator's own city value
    // (the share of residents), which the comparison now reproduces.
    expect(body.action_areas.comparison.supply).toMatchObject({
      inside: 0,
      rest: sig(44000 / 690),
      city: sig(44000 / 940),
    });
    expect(body.action_areas.comparison.supply.city_value).toBeCloseTo(44000 / 940, 3);
    expect(body.action_areas.areas).toEqual([
      expect.objectContaining({
        code: '011',
        need: 8,
        supply: 0,
        need_tercile: 2,
        supply_tercile: 0,
        cell: 6,
        need_vs_rest: 'higher',
        supply_vs_rest: 'lower',
      }),
    ]);
  });

  it('at action-area level, draws the terciles from the quarters of the whole city', async () => {
    const body = await getJson(
      city.open,
      '/api/analysis/gaps?need=school_social_index_nearest_primary&supply=coverage_library_1000m&level=action-area',
      (v) => GapsResponse.parse(v),
    );
    // One action area alone would be its own tercile; against the quarters (8, 4, 2) its need 8 is high.
    expect(body.reference).toEqual({ level: 'quarter', areas: 3 });
    expect(body.need.terciles.counts).toEqual([1, 1, 1]);
    expect(body.areas).toEqual([expect.objectContaining({ code: '011', need_tercile: 2, supply_tercile: 0, cell: 6 })]);
    expect(body.gaps.map((g) => g.code)).toEqual(['011']);
  });

  it('turns an indicator round when high values mean low need', async () => {
    const body = await getJson(
      city.open,
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
      city.app,
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
      const res = await city.app.request(`/api/analysis/gaps?${param}=nothing_here&${other}=population`);
      expect(res.status).toBe(400);
      expect(((await res.json()) as { param: string }).param).toBe(param);
    }
    const res = await city.app.request('/api/analysis/gaps?need=population');
    expect(((await res.json()) as { param: string }).param).toBe('supply');
  });

  it('shows the education chain per quarter and where it breaks, for any threshold', async () => {
    const at50 = await getJson(city.open, '/api/analysis/education-chain', (v) => ChainResponse.parse(v));
    expect(at50.stages.map((s) => [s.stage, s.radius_m])).toEqual([
      ['kita', 500],
      ['primary', 1000],
      ['library', 1000],
    ]);
    // The city's share of residents (quarters 500, 200, 240): Kita (75·500 + 100·200 + 100·240) / 940, library
    // (0·500 + 100·200 + 100·240) / 940.
    const cityValues = [(75 * 500 + 100 * 200 + 100 * 240) / 940, 100, (100 * 200 + 100 * 240) / 940];
    at50.stages.forEach((s, i) => {
      expect(s.city_value, s.stage).toBeCloseTo(cityValues[i] ?? Number.NaN, 3);
    });
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
    const at80 = await getJson(city.open, '/api/analysis/education-chain?threshold=80', (v) => ChainResponse.parse(v));
    expect(at80.areas[0]?.breaks).toEqual(['kita', 'library']);
    expect(at80.summary).toEqual([
      { stage: 'kita', areas_below: 1 },
      { stage: 'primary', areas_below: 0 },
      { stage: 'library', areas_below: 1 },
    ]);
    const bad = await city.app.request('/api/analysis/education-chain?threshold=120');
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
    // Both weigh the quarters by residents: the comparison's city figure is the coverage indicator's own city value.
    const supply = body.action_areas.comparison.supply;
    expect(supply.quarters_without_value).toEqual([]);
    expect(supply.city as number).toBeCloseTo(supply.city_value as number, 2);
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

  it('withholds the ranking when ties collapse the terciles (share of addresses in an action area as need)', async () => {
    const body = await getJson(
      app,
      '/api/analysis/gaps?need=action_area_address_share_pct&supply=coverage_childcare_500m',
      (v) => GapsResponse.parse(v),
    );
    // The quarters without an address in an action area all share 0 %, from the package's addresses.
    const [zero] = await db.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM atlas.area q WHERE q.level = 'quarter'
       AND NOT EXISTS (SELECT 1 FROM atlas.address a WHERE a.quarter_code = q.code AND a.action_area_code IS NOT NULL)`,
    );
    expect(zero?.n).toBeGreaterThan(62 / 2);
    expect(body.need.terciles.counts[0]).toBe(zero?.n);
    expect(body.need.terciles.counts[1]).toBe(0);
    expect(body.need.collapsed).toBe(true);
    expect(body.ranking_withheld).toBe(true);
    expect(body.gaps).toEqual([]);
    expect(body.warnings.find((w) => w.code === 'need-collapsed')?.message.en).toContain(
      `${body.need.terciles.counts.join('/')}`,
    );
  });

  it('compares the action areas with the whole city: terciles of the 62 quarters, and against the rest', async () => {
    const need = 'school_social_index_nearest_primary';
    const body = await getJson(
      app,
      `/api/analysis/gaps?need=${need}&supply=coverage_childcare_500m&level=action-area`,
      (v) => GapsResponse.parse(v),
    );
    expect(body.reference).toEqual({ level: 'quarter', areas: 62 });
    const quarters = await getJson(app, `/api/analysis/gaps?need=${need}&supply=coverage_childcare_500m`, (v) =>
      GapsResponse.parse(v),
    );
    expect(body.need.terciles.breaks).toEqual(quarters.need.terciles.breaks);
    // Against the city, no numbered action area is in the low-need third (among themselves a third would be).
    const numbered = body.areas.filter((a) => body.action_areas.areas.find((x) => x.code === a.code)?.numbered);
    expect(numbered.filter((a) => a.need_tercile === 0)).toEqual([]);
    const rest = body.action_areas.comparison.need.rest as number;
    for (const a of body.action_areas.areas)
      if (a.need !== null) expect(a.need_vs_rest).toBe(a.need > rest ? 'higher' : a.need < rest ? 'lower' : 'equal');
  });

  it('names where the top gaps take their need value from (nearest school in another quarter)', async () => {
    const body = await getJson(
      app,
      '/api/analysis/gaps?need=school_social_index_nearest_primary&supply=coverage_childcare_500m',
      (v) => GapsResponse.parse(v),
    );
    expect(body.gaps.length).toBeGreaterThan(0);
    // Brute force on the package: each address of the top gap, its nearest primary school with an index (metres in
    // UTM), and whether that school lies in the same quarter.
    const top = body.gaps[0] as (typeof body.gaps)[number];
    // Distances in the city's UTM zone, as the derivation measures them.
    const [zone] = await db.query<{ srid: number }>(
      `SELECT (CASE WHEN ST_Y(c) >= 0 THEN 32600 ELSE 32700 END) + least(60, floor((ST_X(c) + 180) / 6)::int + 1) AS srid
       FROM (SELECT ST_Centroid(ST_Collect(label_point)) AS c FROM atlas.area WHERE level = 'quarter') x`,
    );
    const [brute] = await db.query<{ n: number; outside: number }>(
      `WITH s AS (
         SELECT ST_Transform(geom, $2::int) AS g, quarter_code FROM atlas.offer
         WHERE category = 'school' AND subcategory = 'primary' AND (attrs ->> 'socialIndex') IS NOT NULL
       )
       SELECT count(*)::int AS n, count(*) FILTER (WHERE nearest.quarter_code <> a.quarter_code)::int AS outside
       FROM atlas.address a
       CROSS JOIN LATERAL (
         SELECT s.quarter_code FROM s ORDER BY ST_Distance(s.g, ST_Transform(a.geom, $2::int)) LIMIT 1
       ) nearest
       WHERE a.quarter_code = $1`,
      [top.code, zone?.srid],
    );
    expect(top.need_source.borrowed).toMatchObject({ basis_count: brute?.n });
    expect(top.need_source.borrowed?.share).toBeCloseTo((100 * (brute?.outside as number)) / (brute?.n as number), 1);
    expect(top.need_source.borrowed?.note?.en).toMatch(new RegExp(`^${brute?.outside} of ${brute?.n} addresses`));
    expect(top.need_source.method).toBe('modelled');
    // Every gap carries its provenance, and a warning names the gaps whose need is mostly borrowed.
    for (const g of body.gaps) expect(g.need_source.borrowed?.share).not.toBeNull();
    const mostly = body.gaps.filter((g) => (g.need_source.borrowed?.share as number) > 50);
    if (mostly.length > 0) expect(body.warnings.map((w) => w.code)).toContain('need-borrowed');
  });

  it('labels the education chain count as distance, and it follows distance from the centre more than need', async () => {
    const cat = (await (await app.request('/api/indicators')).json()) as {
      indicators: { id: string; title: { en: string }; description: { en: string } }[];
    };
    const chain = cat.indicators.find((i) => i.id === 'education_chain_gaps');
    expect(chain?.title.en).toContain('distance, not need');
    const values = async (id: string) => {
      const res = await app.request(`/api/indicators/${id}/values?level=quarter`);
      const body = (await res.json()) as { values: { code: string; value: number | null }[] };
      return new Map(body.values.map((v) => [v.code, v.value]));
    };
    const [gapsCount, need] = await Promise.all([
      values('education_chain_gaps'),
      values('school_social_index_nearest_primary'),
    ]);
    const distance = await db.query<{ code: string; d: number }>(
      `WITH c AS (SELECT ST_Centroid(ST_Collect(geom)) AS g FROM atlas.area WHERE level = 'quarter')
       SELECT q.code, ST_Distance(q.label_point::geography, c.g::geography) AS d
       FROM atlas.area q, c WHERE q.level = 'quarter' ORDER BY q.code`,
    );
    const codes = distance.map((d) => d.code);
    const rhoDistance = spearman(
      codes.map((c) => gapsCount.get(c) ?? null),
      distance.map((d) => d.d),
    ) as number;
    const rhoNeed = spearman(
      codes.map((c) => gapsCount.get(c) ?? null),
      codes.map((c) => need.get(c) ?? null),
    ) as number;
    expect(rhoDistance).toBeGreaterThan(0.3);
    expect(rhoDistance).toBeGreaterThan(rhoNeed);
    // As need in the gap analysis it is flagged as an access measure.
    const asNeed = await getJson(
      app,
      '/api/analysis/gaps?need=education_chain_gaps&supply=coverage_childcare_500m',
      (v) => GapsResponse.parse(v),
    );
    expect(asNeed.warnings.map((w) => w.code)).toContain('need-is-access');
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
