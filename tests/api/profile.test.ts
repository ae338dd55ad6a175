import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../../server/app.ts';
import type { Db } from '../../server/db/index.ts';
import { ProfileResponse } from '../../server/domain/indicators-schema.ts';
import { readEnv } from '../../server/env.ts';
import { useTinyCity } from '../fixtures/derive/tiny-city.ts';
import { engines, packageEngines, realDb } from '../support/db.ts';

type Profile = ReturnType<typeof ProfileResponse.parse>;

async function profile(app: ReturnType<typeof createApp>, path: string): Promise<Profile> {
  const res = await app.request(path);
  expect(res.status, `${path}: ${res.status}`).toBe(200);
  return ProfileResponse.parse(await res.json());
}

const indicator = (p: Profile, id: string) => {
  const found = p.indicators.find((i) => i.id === id);
  if (!found) throw new Error(`the profile has no indicator ${id}`);
  return found;
};

describe.each(engines)('area profiles on the tiny city (%s)', (engine) => {
  const city = useTinyCity(engine);

  it('shows each indicator with value, city value, rank, date, source and method', async () => {
    const p = await profile(city.open, '/api/areas/quarter/010/profile');
    expect(p.area).toEqual({
      level: 'quarter',
      code: '010',
      name: 'Am Markt',
      numbered: true,
      parent: { code: '01', name: 'Weststadt' },
      area_km2: 1,
    });
    expect(indicator(p, 'addresses_per_km2')).toMatchObject({
      value: 4,
      method: 'computed',
      reference_date: '2024-03-05',
      rank: { position: 1, of: 3 },
      city: { value: 3.33333, reference_date: '2024-03-05', suppressed: false },
      source: { id: 'quartiersatlas' },
      input_sources: ['addresses', 'boundaries'],
      basis_count: 4,
    });
    // Published: 500 for 010, none for 020, 240 for 030.
    expect(indicator(p, 'population')).toMatchObject({
      value: 500,
      method: 'published',
      reference_date: '2021-12-31',
      rank: { position: 1, of: 2 },
      city: { value: 1000, reference_date: '2023-12-31' },
      source: { id: 'figures', url: 'https://example.org/d', quote: '500' },
    });
    expect(indicator(p, 'population_modelled')).toMatchObject({ value: 400, method: 'modelled' });
    expect(indicator(p, 'kita_places_u3').note).toEqual({
      de: '1 Kita mit Platzangabe',
      en: '1 Kita with a place number',
    });
    expect(p.sources.map((s) => s.id)).toEqual(
      expect.arrayContaining(['addresses', 'boundaries', 'figures', 'quartiersatlas', 'kitas']),
    );
    expect(p.methods.map((m) => m.method)).toEqual(['published', 'computed', 'modelled']);
  });

  it('lists offers by category, coverage by radius, action areas and the education chain', async () => {
    const p = await profile(city.open, '/api/areas/quarter/010/profile');
    expect(p.offers.find((o) => o.category === 'childcare')).toEqual({
      category: 'childcare',
      label: { de: 'Kita', en: 'Childcare' },
      count: 1,
      per_km2: 1,
      // 1 Kita per 500 residents (010's published population)
      per_1000_residents: 2,
    });
    // The city's share of residents weighs 010, 020, 030 by 500, 200, 240 residents: at 300 m
    // (500 · 50 % + 200 · 1/3 + 240 · 1/3) / 940, at 500 m (500 · 75 % + 200 + 240) / 940.
    const radii = p.coverage.find((c) => c.target === 'childcare')?.radii ?? [];
    expect(radii.map((r) => [r.radius_m, r.value])).toEqual([
      [300, 50],
      [500, 75],
      [1000, 100],
    ]);
    const cityValues = [
      (500 * 50 + (200 * 100) / 3 + (240 * 100) / 3) / 940,
      (500 * 75 + 200 * 100 + 240 * 100) / 940,
      100,
    ];
    radii.forEach((r, i) => {
      expect(r.city_value, `${r.radius_m} m`).toBeCloseTo(cityValues[i] ?? Number.NaN, 3);
    });
    expect(p.action_areas).toEqual({
      member_of: [{ code: '011', name: 'Marktviertel', numbered: true, address_share: 0.5 }],
      quarters: [],
    });
    expect(p.education_chain.breaks).toEqual(['library']);
    expect(p.education_chain.stages.map((s) => [s.stage, s.value, s.below])).toEqual([
      ['kita', 75, false],
      ['primary', 100, false],
      ['library', 0, true],
    ]);
    const strict = await profile(city.open, '/api/areas/quarter/010/profile?threshold=80');
    expect(strict.education_chain).toMatchObject({ threshold: 80, breaks: ['kita', 'library'] });
  });

  it('withholds values that rest on fewer than 5 addresses, everywhere the same way', async () => {
    const p = await profile(city.app, '/api/areas/quarter/010/profile');
    expect(indicator(p, 'addresses_per_km2')).toMatchObject({ value: null, suppressed: true, rank: null });
    expect(indicator(p, 'addresses_per_km2').reason?.en).toContain('fewer than 5 addresses or persons');
    expect(p.education_chain.stages.every((s) => s.value === null && s.suppressed && s.below === null)).toBe(true);
    // A published count of 500 persons is shown; offers are not counted persons.
    expect(indicator(p, 'population').value).toBe(500);
    expect(indicator(p, 'offers_childcare_count').value).toBe(1);
  });

  it('shows an action area with the quarters it spans', async () => {
    const p = await profile(city.open, '/api/areas/action-area/011/profile');
    expect(p.area).toMatchObject({ level: 'action-area', code: '011', name: 'Marktviertel', parent: null });
    expect(p.action_areas).toEqual({
      member_of: [],
      quarters: [{ code: '010', name: 'Am Markt', address_share: 0.5 }],
    });
    expect(indicator(p, 'school_social_index_primary')).toMatchObject({ value: 8, rank: { position: 1, of: 1 } });
    expect(p.indicators.some((i) => i.id === 'action_area_address_share_pct')).toBe(false);
  });

  it('answers an unknown area with 404 and a wrong level with 400', async () => {
    expect((await city.app.request('/api/areas/quarter/999/profile')).status).toBe(404);
    const res = await city.app.request('/api/areas/subquarter/011/profile');
    expect(res.status).toBe(400);
    expect(((await res.json()) as { param: string }).param).toBe('level');
  });

  it('keeps each sheet per data version: an ETag per threshold, 304 when it is unchanged, compressed forms', async () => {
    const path = '/api/areas/quarter/010/profile';
    const first = await city.app.request(path, { headers: { 'accept-encoding': 'gzip' } });
    expect(first.status).toBe(200);
    const etag = first.headers.get('etag') ?? '';
    expect(etag).toMatch(/^"\d+-\w{12}-[0-9a-f]{16}(-gzip)?"$/); // data version, then a hash of the body
    expect(first.headers.get('vary')).toBe('Accept-Encoding');
    const again = await city.app.request(path, { headers: { 'if-none-match': etag } });
    expect(again.status).toBe(304);
    expect(await again.text()).toBe('');
    const plain = await city.app.request(path);
    expect(ProfileResponse.parse(await plain.json()).area.code).toBe('010');
    const other = await city.app.request(`${path}?threshold=10`, { headers: { 'if-none-match': etag } });
    expect(other.status).toBe(200);
    expect(ProfileResponse.parse(await other.json()).education_chain.threshold).toBe(10);
  });
});

describe.each(packageEngines)('area profiles for Dortmund (%s)', (engine) => {
  let db: Db;
  let app: ReturnType<typeof createApp>;
  beforeAll(async () => {
    db = await realDb(engine);
    app = createApp({ db, env: readEnv({}) });
  });
  afterAll(async () => {
    await db?.close();
  });

  const checkSheet = (p: Profile) => {
    const shown = p.indicators.filter((i) => i.value !== null);
    expect(shown.length).toBeGreaterThan(80);
    for (const i of shown) {
      // Computed and modelled values always have a date; a published one without a date quotes its source.
      if (i.method === 'published') expect(i.reference_date ?? i.source?.quote, i.id).toBeTruthy();
      else expect(i.reference_date, i.id).toBeTruthy();
      expect(i.source?.id, i.id).toBeTruthy();
      expect(['published', 'computed', 'modelled']).toContain(i.method);
      expect(i.rank?.position, i.id).toBeGreaterThanOrEqual(1);
    }
    for (const i of p.indicators.filter((x) => x.value === null)) expect(i.reason, i.id).not.toBeNull();
    const ids = new Set(p.sources.map((s) => s.id));
    for (const i of p.indicators) for (const s of i.input_sources) expect(ids.has(s), s).toBe(true);
  };

  it('gives the fact sheet of quarter 050 (Nordmarkt): indicators with dates and sources', async () => {
    const p = await profile(app, '/api/areas/quarter/050/profile');
    expect(p.area).toMatchObject({ code: '050', name: 'Nordmarkt', parent: { code: '02' } });
    checkSheet(p);
    const pop = indicator(p, 'population');
    expect(pop).toMatchObject({ method: 'published', source: { id: 'published-figures' } });
    expect(pop.source?.url).toMatch(/^https?:\/\//);
    expect(indicator(p, 'population_modelled').method).toBe('modelled');
    expect(p.action_areas.member_of.map((a) => a.code)).toEqual(['022']);
    expect(p.education_chain.stages.map((s) => s.stage)).toEqual(
      expect.arrayContaining(['kita', 'primary', 'secondary', 'vocational', 'library']),
    );
    expect(p.offers.find((o) => o.category === 'childcare')?.count).toBeGreaterThan(0);
  });

  it('gives the fact sheet of action area 022: indicators with dates and sources, and its quarter', async () => {
    const p = await profile(app, '/api/areas/action-area/022/profile');
    expect(p.area).toMatchObject({ level: 'action-area', code: '022', name: 'Nordmarkt' });
    checkSheet(p);
    expect(p.action_areas.quarters).toEqual([{ code: '050', name: 'Nordmarkt', address_share: 1 }]);
    expect(indicator(p, 'school_social_index_nearest_primary').rank?.of).toBe(15);
  });
});
