import { brotliCompressSync, brotliDecompressSync, constants, gunzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../../server/app.ts';
import type { Db } from '../../server/db/index.ts';
import { rankAmong, suppress } from '../../server/domain/indicators.ts';
import { CatalogueResponse, MapValuesResponse, ValuesResponse } from '../../server/domain/indicators-schema.ts';
import { readEnv } from '../../server/env.ts';
import { useTinyCity } from '../fixtures/derive/tiny-city.ts';
import { engines, packageEngines, realDb } from '../support/db.ts';

async function getJson<T>(app: ReturnType<typeof createApp>, path: string, parse: (v: unknown) => T): Promise<T> {
  const res = await app.request(path);
  expect(res.status, `${path}: ${res.status}`).toBe(200);
  return parse(await res.json());
}

describe('the privacy rule and ranks', () => {
  it('withholds count-based values resting on fewer than MIN_COUNT addresses or persons', () => {
    expect(suppress(true, 4, 2.5, 5).suppressed).toBe(true);
    expect(suppress(true, 5, 2.5, 5)).toEqual({ suppressed: false, reason: null });
    // A published count without a basis rests on itself: 3 persons are withheld, 300 are not.
    expect(suppress(true, null, 3, 5).suppressed).toBe(true);
    expect(suppress(true, null, 300, 5).suppressed).toBe(false);
    // Not count-based (offers, indices of schools, published shares): never withheld by this rule.
    expect(suppress(false, 1, 9, 5).suppressed).toBe(false);
    expect(suppress(true, 2, null, 5).suppressed).toBe(false);
    expect(suppress(true, 4, 1, 5).reason?.de).toBe(
      'Nicht gezeigt: Der Wert beruht auf weniger als 5 Adressen oder Personen (Datenschutz).',
    );
  });

  it('ranks from the highest value, equal values sharing a position', () => {
    expect(rankAmong(7, [3, 7, 9, 7, null])).toEqual({ position: 2, of: 4 });
    expect(rankAmong(3, [3, 7, 9, 7])).toEqual({ position: 4, of: 4 });
    expect(rankAmong(null, [1, 2])).toBeNull();
  });
});

describe.each(engines)('/api/indicators on the tiny city (%s)', (engine) => {
  const city = useTinyCity(engine);

  it('lists every indicator with method, explanation, sources, levels and dates', async () => {
    const cat = await getJson(city.app, '/api/indicators', (v) => CatalogueResponse.parse(v));
    const byId = new Map(cat.indicators.map((i) => [i.id, i]));
    expect(cat.min_count).toBe(5);
    expect(cat.methods.map((m) => m.method)).toEqual(['published', 'computed', 'modelled']);
    const pop = byId.get('population_modelled');
    expect(pop).toMatchObject({ method: 'modelled', direction: 'neutral', unit: 'persons', count_based: true });
    expect(pop?.method_text.en).toMatch(/^Modelled/);
    expect(pop?.sources.map((s) => s.id)).toEqual(['figures', 'addresses']);
    expect(pop?.levels.map((l) => [l.level, l.dates])).toEqual([
      // The city is not summed from district figures of two dates: its row has no value and no date.
      ['city', []],
      ['quarter', ['2023-12-31', '2022-12-31', '2021-12-31/2023-12-31']],
      ['action-area', ['2021-12-31']],
    ]);
    const published = byId.get('population');
    expect(published?.method).toBe('published');
    expect(published?.levels.find((l) => l.level === 'district')).toMatchObject({
      dates: ['2023-12-31', '2022-12-31', '2021-12-31'],
      latest_dates: ['2023-12-31', '2022-12-31'],
      areas: 2,
    });
    expect(byId.get('coverage_childcare_500m')?.families).toEqual([
      expect.objectContaining({ family: 'coverage', member: 'childcare', radius_m: 500 }),
      expect.objectContaining({ family: 'education-chain', member: 'kita', radius_m: 500, parent: null }),
    ]);
    for (const ind of cat.indicators) {
      expect(ind.method_note.de.length, ind.id).toBeGreaterThan(20);
      expect(ind.sources.length, ind.id).toBeGreaterThan(0);
    }
  });

  it('answers the catalogue from memory with an ETag, and 304 when it is unchanged', async () => {
    const first = await city.app.request('/api/indicators', { headers: { 'accept-encoding': 'br' } });
    const etag = first.headers.get('etag') ?? '';
    expect(first.headers.get('content-encoding')).toBe('br');
    const again = await city.app.request('/api/indicators', { headers: { 'if-none-match': etag } });
    expect(again.status).toBe(304);
  });

  it('gives every area of the level, suppressing values that rest on fewer than 5 addresses', async () => {
    const body = await getJson(city.app, '/api/indicators/addresses_per_km2/values?level=quarter', (v) =>
      ValuesResponse.parse(v),
    );
    expect(body.values.map((v) => v.code)).toEqual(['010', '020', '030']);
    for (const v of body.values) {
      expect(v).toMatchObject({ value: null, suppressed: true, basis_count: null, method: 'computed', class: null });
      expect(v.reason?.en).toBe('Withheld: the value rests on fewer than 5 addresses or persons (privacy).');
    }
    expect(body.city).toMatchObject({ code: '09999000', name: 'Tiny City', suppressed: false, basis_count: 10 });
    expect(body.city?.value).toBeCloseTo(10 / 3, 4);
    expect(body.classification.missing.map((m) => m.code)).toEqual(['010', '020', '030']);
    expect(body.classification).toMatchObject({ classes: 0, counts: [] });
  });

  it('classifies the values shown and lists the missing ones with their reason', async () => {
    const body = await getJson(city.open, '/api/indicators/kita_places_o3/values?level=quarter&classes=3', (v) =>
      ValuesResponse.parse(v),
    );
    // 40, 50, none (the only Kita of 030 has no place numbers)
    expect(body.values.map((v) => v.value)).toEqual([40, 50, null]);
    expect(body.values[2]?.reason?.en).toBe('1 Kita, without a place number');
    expect(body.classification).toMatchObject({ method: 'quantile', classes_requested: 3, min: 40, max: 50 });
    expect(body.classification.counts.reduce((a, b) => a + b, 0)).toBe(2);
    expect(body.classification.missing).toEqual([
      {
        code: '030',
        name: 'Hafenkante',
        reason: { de: '1 Kita, ohne Platzangabe', en: '1 Kita, without a place number' },
      },
    ]);
    expect(body.values.map((v) => v.class)).toEqual([0, body.classification.classes - 1, null]);
  });

  it('classifies by manual breaks, equal intervals, Jenks and standard deviations', async () => {
    const path = '/api/indicators/population_modelled/values?level=quarter';
    const manual = await getJson(city.open, `${path}&classification=manual&classes=3&breaks=150,350`, (v) =>
      ValuesResponse.parse(v),
    );
    // 400, 200, 300: nothing at or below 150, so the first class is empty and merged into the next, and the answer says so
    expect(manual.classification).toMatchObject({
      classes_requested: 3,
      classes: 2,
      breaks: [350, 400],
      counts: [2, 1],
      merged: [{ requested: 0, into: 0, reason: 'empty' }],
    });
    expect(manual.values.map((v) => v.class)).toEqual([1, 0, 0]);
    for (const method of ['equal-interval', 'jenks', 'stddev'] as const) {
      const body = await getJson(city.open, `${path}&classification=${method}&classes=4`, (v) =>
        ValuesResponse.parse(v),
      );
      expect(body.classification.method).toBe(method);
      expect(body.classification.counts.reduce((a, b) => a + b, 0)).toBe(3);
    }
  });

  it('shows published values with source, date and quote, and older ones by date', async () => {
    const latest = await getJson(city.open, '/api/indicators/population/values?level=district', (v) =>
      ValuesResponse.parse(v),
    );
    expect(latest.values.map((v) => [v.code, v.value, v.reference_date])).toEqual([
      ['01', 700, '2023-12-31'],
      ['02', 300, '2022-12-31'],
    ]);
    expect(latest.values[0]?.source).toEqual({
      id: 'figures',
      title: 'Veröffentlichte Werte',
      attribution: 'wie je Wert genannt',
      url: 'https://example.org/b',
      quote: '700',
    });
    expect(latest.values[0]?.method).toBe('published');
    const older = await getJson(city.open, '/api/indicators/population/values?level=district&date=2021-12-31', (v) =>
      ValuesResponse.parse(v),
    );
    expect(older.values.map((v) => v.value)).toEqual([650, null]);
    expect(older.values[1]?.reason?.en).toBe('There is no value dated 2021-12-31 for this area.');
    const modelled = await getJson(city.open, '/api/indicators/population/values?level=district&method=modelled', (v) =>
      ValuesResponse.parse(v),
    );
    expect(modelled.values.every((v) => v.value === null)).toBe(true);
  });

  it('answers wrong parameters with 400 naming them, an unknown indicator with 404', async () => {
    const cases: [string, string][] = [
      ['/api/indicators/population/values?classes=12', 'classes'],
      ['/api/indicators/population/values?level=subquarter', 'level'],
      ['/api/indicators/population/values?classification=manual&classes=3&breaks=5', 'breaks'],
      ['/api/indicators/population/values?classification=manual&classes=3&breaks=5,x', 'breaks'],
      ['/api/indicators/population/values?breaks=1,2', 'breaks'],
      ['/api/indicators/population/values?date=1999-12-31', 'date'],
      ['/api/indicators/population/values?colour=red', 'colour'],
    ];
    for (const [path, param] of cases) {
      const res = await city.app.request(path);
      expect(res.status, path).toBe(400);
      expect(res.headers.get('content-type')).toBe('application/problem+json');
      expect(((await res.json()) as { param: string }).param, path).toBe(param);
    }
    const missing = await city.app.request('/api/indicators/no_such_thing/values');
    expect(missing.status).toBe(404);
  });

  it('gives the lean form for the map (fields=map): code, value and class per area, the same as the full form', async () => {
    for (const query of ['level=quarter&classes=3', 'level=quarter', 'level=district&classification=equal-interval']) {
      for (const id of ['kita_places_o3', 'addresses_per_km2', 'population']) {
        const path = `/api/indicators/${id}/values?${query}`;
        const full = await getJson(city.open, path, (v) => ValuesResponse.parse(v));
        const lean = await getJson(city.open, `${path}&fields=map`, (v) => MapValuesResponse.parse(v));
        expect(lean.indicator, path).toBe(id);
        expect(lean.values, path).toEqual(full.values.map((v) => ({ code: v.code, value: v.value, class: v.class })));
        const { missing, ...classification } = full.classification;
        expect(lean.classification, path).toEqual(classification);
        expect(
          lean.missing.map((m) => m.code),
          path,
        ).toEqual(missing.map((m) => m.code));
        expect(
          lean.missing.map((m) => m.reason),
          path,
        ).toEqual(missing.map((m) => m.reason));
        expect(lean.city?.value ?? null, path).toBe(full.city?.value ?? null);
        const dates = new Set(full.values.map((v) => v.reference_date).filter((d) => d !== null));
        expect(new Set(lean.dates), path).toEqual(dates);
        // Nothing per area that the areas or the catalogue already give.
        expect(JSON.stringify(lean)).not.toContain('"name"');
        expect(JSON.stringify(lean)).not.toContain('"source"');
      }
    }
    // Withheld values say so in the lean form too.
    const withheld = await getJson(city.app, '/api/indicators/addresses_per_km2/values?level=quarter&fields=map', (v) =>
      MapValuesResponse.parse(v),
    );
    expect(withheld.missing.every((m) => m.suppressed)).toBe(true);
    const bad = await city.app.request('/api/indicators/population/values?fields=names');
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as { param: string }).param).toBe('fields');
  });

  it('revalidates values with If-None-Match', async () => {
    const path = '/api/indicators/population/values?level=quarter';
    const first = await city.app.request(path);
    const etag = first.headers.get('etag') ?? '';
    expect(etag).toMatch(/^"\d+-/);
    expect((await city.app.request(path, { headers: { 'if-none-match': etag } })).status).toBe(304);
    const zipped = await city.app.request(path, { headers: { 'accept-encoding': 'gzip' } });
    expect(zipped.headers.get('content-encoding')).toBe('gzip');
    const body = JSON.parse(gunzipSync(Buffer.from(await zipped.arrayBuffer())).toString('utf8'));
    expect(ValuesResponse.parse(body)).toEqual(ValuesResponse.parse(await first.json()));
  });
});

describe.each(packageEngines)('/api/indicators for Dortmund (%s)', (engine) => {
  let db: Db;
  let app: ReturnType<typeof createApp>;
  beforeAll(async () => {
    db = await realDb(engine);
    app = createApp({ db, env: readEnv({}) });
  });
  afterAll(async () => {
    await db?.close();
  });

  it('lists published, computed and modelled indicators, every computed one at every level, dated where it has values', async () => {
    const cat = await getJson(app, '/api/indicators', (v) => CatalogueResponse.parse(v));
    const methods = new Set(cat.indicators.map((i) => i.method));
    expect(methods).toEqual(new Set(['published', 'computed', 'modelled']));
    for (const ind of cat.indicators.filter((i) => i.method !== 'published')) {
      const levels = ind.levels.map((l) => l.level);
      expect(levels, ind.id).toContain('quarter');
      expect(levels, ind.id).toContain('city');
      // A level with values has their dates; a level left missing (the modelled city population, whose district
      // figures have different dates and are not summed) has a row without value and without date.
      for (const l of ind.levels) expect(l.with_value === 0 || l.dates.length > 0, `${ind.id} ${l.level}`).toBe(true);
    }
    const chain = cat.indicators.filter((i) => i.families.some((f) => f.family === 'education-chain'));
    expect(chain.map((i) => i.families.find((f) => f.family === 'education-chain')?.member)).toEqual(
      expect.arrayContaining(['kita', 'primary', 'secondary', 'gymnasium', 'vocational', 'library', 'gaps']),
    );
  });

  it('sends the map every indicator at every level in its lean form within 2 KB brotli (issue 14)', async () => {
    const cat = await getJson(app, '/api/indicators', (v) => CatalogueResponse.parse(v));
    const areaCount = { quarter: 0, district: 0 };
    for (const level of ['quarter', 'district'] as const)
      areaCount[level] = (
        await getJson(app, `/api/areas?level=${level}`, (v) => v as { features: unknown[] })
      ).features.length;
    let largest = { path: '', bytes: 0, full: 0 };
    let checked = 0;
    for (const ind of cat.indicators) {
      for (const level of ['quarter', 'district'] as const) {
        if (!ind.levels.some((l) => l.level === level && l.with_value > 0)) continue;
        const path = `/api/indicators/${ind.id}/values?level=${level}&fields=map`;
        const res = await app.request(path, { headers: { 'accept-encoding': 'br' } });
        expect(res.status, path).toBe(200);
        expect(res.headers.get('content-encoding'), path).toBe('br');
        const sent = Buffer.from(await res.arrayBuffer());
        const body = brotliDecompressSync(sent);
        const lean = MapValuesResponse.parse(JSON.parse(body.toString('utf8')));
        // Every area of the level is listed, as /api/areas gives them.
        expect(lean.values.length, path).toBe(areaCount[level]);
        // The bytes are deterministic: the body at brotli's best, and as the server sends it.
        const best = brotliCompressSync(body, { params: { [constants.BROTLI_PARAM_QUALITY]: 11 } }).length;
        expect(best, path).toBeLessThanOrEqual(2048);
        expect(sent.length, path).toBeLessThanOrEqual(2048);
        checked++;
        if (sent.length > largest.bytes) {
          const full = await app.request(path.replace('&fields=map', ''), { headers: { 'accept-encoding': 'br' } });
          largest = { path, bytes: sent.length, full: (await full.arrayBuffer()).byteLength };
        }
      }
    }
    expect(checked).toBeGreaterThan(0);
    console.log(
      `[indicators] lean map values: ${checked} answers, largest ${largest.bytes} B brotli (${largest.path}; full form ${largest.full} B)`,
    );
  });

  it('gives every quarter the nearest-school social index and classifies all 62', async () => {
    const body = await getJson(app, '/api/indicators/school_social_index_nearest_primary/values?classes=5', (v) =>
      ValuesResponse.parse(v),
    );
    expect(body.values).toHaveLength(62);
    expect(body.values.every((v) => v.value !== null && v.value >= 1 && v.value <= 9)).toBe(true);
    expect(body.classification.counts.reduce((a, b) => a + b, 0)).toBe(62);
    expect(body.classification.missing).toEqual([]);
    expect(body.indicator.method).toBe('modelled');
    expect(body.indicator.description.en).toContain('proxy for child poverty');
  });

  it('gives a district the resident-weighted mean of its quarters’ coverage, not their address-weighted one', async () => {
    const cat = await getJson(app, '/api/indicators', (v) => CatalogueResponse.parse(v));
    const stages = cat.indicators.filter((i) =>
      i.families.some((f) => f.family === 'education-chain' && f.member !== 'gaps'),
    );
    expect(stages.length).toBeGreaterThan(3);
    const residents = await getJson(app, '/api/indicators/residents/values?level=quarter', (v) =>
      ValuesResponse.parse(v),
    );
    const persons = new Map(residents.values.map((v) => [v.code, v.value]));
    const parents = new Map(
      (
        await db.query<{ code: string; parent: string }>(
          "SELECT code, parent_code AS parent FROM atlas.area WHERE level = 'quarter'",
        )
      ).map((a) => [a.code, a.parent]),
    );
    let differs = 0;
    for (const ind of stages) {
      const quarters = await getJson(app, `/api/indicators/${ind.id}/values?level=quarter`, (v) =>
        ValuesResponse.parse(v),
      );
      const districts = await getJson(app, `/api/indicators/${ind.id}/values?level=district`, (v) =>
        ValuesResponse.parse(v),
      );
      expect(districts.values.length, ind.id).toBeGreaterThan(1);
      for (const d of districts.values) {
        const mine = quarters.values.filter((q) => parents.get(q.code) === d.code);
        expect(mine.length, `${ind.id} ${d.code}`).toBeGreaterThan(0);
        let weighted = 0;
        let people = 0;
        let byAddress = 0;
        let addresses = 0;
        for (const q of mine) {
          const p = persons.get(q.code);
          if (q.value === null || p === null || p === undefined || q.basis_count === null)
            throw new Error(`${ind.id}: quarter ${q.code} has no coverage or no residents`);
          weighted += p * q.value;
          people += p;
          byAddress += q.basis_count * q.value;
          addresses += q.basis_count;
        }
        // Residents are rounded to persons in the API; the stored weights are not: 0.01 points cover that.
        expect(Math.abs((d.value ?? Number.NaN) - weighted / people), `${ind.id} ${d.code}`).toBeLessThan(0.01);
        if (Math.abs(weighted / people - byAddress / addresses) > 0.5) differs++;
      }
    }
    // Persons per address differ between quarters, so some districts move away from their share of addresses.
    expect(differs).toBeGreaterThan(0);
  });

  it('says why the pupil-weighted index is missing for quarters without a primary school', async () => {
    const body = await getJson(app, '/api/indicators/school_social_index_primary/values?level=quarter', (v) =>
      ValuesResponse.parse(v),
    );
    const missing = body.classification.missing;
    expect(missing.length).toBeGreaterThan(0);
    for (const m of missing) expect(m.reason.en).toBe('No primary school in this area');
  });
});
