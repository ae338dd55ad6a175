import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CATEGORIES } from '../../geodata/categories.ts';
import { createApp } from '../../server/app.ts';
import type { Db } from '../../server/db/index.ts';
import { readEnv } from '../../server/env.ts';
import {
  CategoryList,
  K_MAX,
  MAX_M_MAX,
  NearestCollection,
  OfferCollection,
  OfferDetail,
  walkMinutes,
} from '../../server/routes/offers.ts';
import { engines, realDb } from '../support/db.ts';

const NEAREST_SQL = readFileSync(join(import.meta.dirname, '../../server/sql/offers-nearest.sql'), 'utf8');
const INJECTION = encodeURIComponent("'; DROP TABLE x;--");

/** Great-circle distance on a sphere of the mean earth radius: a check on the spheroid distance, within 0.5 %. */
function haversine([lon1, lat1]: [number, number], [lon2, lat2]: [number, number]): number {
  const rad = Math.PI / 180;
  const a =
    Math.sin(((lat2 - lat1) * rad) / 2) ** 2 +
    Math.cos(lat1 * rad) * Math.cos(lat2 * rad) * Math.sin(((lon2 - lon1) * rad) / 2) ** 2;
  return 2 * 6_371_008.8 * Math.asin(Math.sqrt(a));
}

describe.each(engines)('/api/offers on %s', (engine) => {
  let db: Db;
  let app: ReturnType<typeof createApp>;

  beforeAll(async () => {
    db = await realDb(engine);
    app = createApp({ db, env: readEnv({}) });
  });
  afterAll(async () => {
    await db?.close();
  });

  const getJson = async (path: string) => {
    const res = await app.request(path);
    expect(res.status, `${path}: ${res.status}`).toBe(200);
    return res.json();
  };

  it('lists the category vocabulary with its four labels and the number of offers in each', async () => {
    const body = CategoryList.parse(await getJson('/api/offers/categories'));
    const counts = await db.query<{ category: string; n: number }>(
      'SELECT category, count(*)::int AS n FROM atlas.offer GROUP BY category',
    );
    const count = new Map(counts.map((c) => [c.category, c.n]));
    expect(body.categories.map((c) => c.code)).toEqual(CATEGORIES.map((c) => c.code));
    for (const c of body.categories) {
      expect(c.labels).toEqual(CATEGORIES.find((x) => x.code === c.code)?.labels);
      expect(c.count).toBe(count.get(c.code) ?? 0);
    }
    expect(body.total).toBe(counts.reduce((s, c) => s + c.n, 0));
  });

  it('filters by several categories, pages with limit and offset, and counts the total', async () => {
    const all = OfferCollection.parse(await getJson('/api/offers?category=school,library&limit=5000'));
    const [expected] = await db.query<{ n: number }>(
      "SELECT count(*)::int AS n FROM atlas.offer WHERE category IN ('school', 'library')",
    );
    expect(all.meta.total).toBe(expected?.n);
    expect(all.features).toHaveLength(expected?.n ?? -1);
    expect(new Set(all.features.map((f) => f.properties.category))).toEqual(new Set(['school', 'library']));
    const page = OfferCollection.parse(await getJson('/api/offers?category=library,school&limit=10&offset=20'));
    expect(page.features.map((f) => f.id)).toEqual(all.features.slice(20, 30).map((f) => f.id));
    expect(page.meta).toEqual({ total: expected?.n, limit: 10, offset: 20 });
  });

  it('filters by bounding box and by name', async () => {
    const bbox = [7.44, 51.5, 7.48, 51.52];
    const inBox = OfferCollection.parse(await getJson(`/api/offers?bbox=${bbox.join(',')}&limit=5000`));
    const [expected] = await db.query<{ n: number }>(
      'SELECT count(*)::int AS n FROM atlas.offer WHERE geom && ST_MakeEnvelope($1, $2, $3, $4, 4326)',
      bbox,
    );
    expect(inBox.meta.total).toBe(expected?.n);
    expect(inBox.features.length).toBeGreaterThan(0);
    for (const f of inBox.features) {
      const [lon, lat] = f.geometry.coordinates;
      expect(lon).toBeGreaterThanOrEqual(bbox[0] ?? 0);
      expect(lat).toBeLessThanOrEqual(bbox[3] ?? 0);
    }
    // Name search is tolerant like the search box: "Grundschule", "grund schule" and "GRUNDSCHULE" are the same.
    const named = ['Grundschule', 'grund%20schule', 'GRUNDSCHULE'].map(async (q) =>
      OfferCollection.parse(await getJson(`/api/offers?q=${q}&limit=5000`)),
    );
    const [a, b, c] = await Promise.all(named);
    expect(a?.meta.total).toBeGreaterThan(0);
    expect(b?.features).toEqual(a?.features);
    expect(c?.features).toEqual(a?.features);
    for (const f of a?.features ?? []) expect(f.properties.name?.toLowerCase()).toContain('grundschule');
    // Text that looks like SQL is only a name that matches nothing.
    const injected = OfferCollection.parse(await getJson(`/api/offers?q=${INJECTION}`));
    expect(injected.meta.total).toBe(0);
  });

  it('answers an offer with its source, licence, reference date, quarter and district', async () => {
    const [row] = await db.query<{ id: string; quarter: string; district: string; publisher: string }>(
      `SELECT o.id, q.name AS quarter, d.name AS district, s.publisher FROM atlas.offer o
       JOIN atlas.area q ON q.level = 'quarter' AND q.code = o.quarter_code
       JOIN atlas.area d ON d.level = 'district' AND d.code = o.district_code
       JOIN atlas.source s ON s.id = o.source_id
       WHERE o.category = 'childcare' ORDER BY o.id LIMIT 1`,
    );
    const offer = OfferDetail.parse(await getJson(`/api/offers/${row?.id}`));
    expect(offer.id).toBe(row?.id);
    expect(offer.quarter.name).toBe(row?.quarter);
    expect(offer.district.name).toBe(row?.district);
    expect(offer.source.publisher).toBe(row?.publisher);
    expect(offer.source.licence.length).toBeGreaterThan(0);
    expect(offer.source.attribution.length).toBeGreaterThan(0);
    expect(offer.reference_date ?? offer.source.reference_date).toBeTruthy();
    const missing = await app.request('/api/offers/school-0');
    expect(missing.status).toBe(404);
  });

  describe('nearest', () => {
    /** Points spread over the city: the label points of a few quarters, one at the city's edge. */
    let points: [number, number][];
    beforeAll(async () => {
      const rows = await db.query<{ lon: number; lat: number }>(
        `(SELECT ST_X(label_point) AS lon, ST_Y(label_point) AS lat FROM atlas.area
          WHERE level = 'quarter' ORDER BY code LIMIT 4)
         UNION ALL
         (SELECT ST_XMin(e), ST_YMax(e) FROM (SELECT ST_Extent(geom)::geometry AS e FROM atlas.area) x)`,
      );
      points = rows.map((r) => [r.lon, r.lat]);
    });

    /** The ranking over every row of the table, without the index: exact distance, then id. */
    async function bruteForce(point: [number, number], categories: string[] | null, k: number, maxM: number) {
      return db.query<{ id: string; d: number }>(
        `SELECT id, d FROM (
           SELECT id, ST_Distance(geom::geography, ST_SetSRID(ST_MakePoint($1, $2), 4326)::geography) AS d
           FROM atlas.offer WHERE $3::text[] IS NULL OR category = ANY ($3::text[])) x
         WHERE d <= $5 ORDER BY d, id LIMIT $4`,
        [point[0], point[1], categories, k, maxM],
      );
    }

    it.each([
      [null, 10, 20_000],
      [['childcare'], 5, 20_000],
      [['school', 'library'], 12, 20_000],
      [['youth'], 50, 20_000],
      [['transit'], 50, 800],
      [['playground', 'sport'], 1, 5000],
    ] as const)(
      'ranks like brute force over all rows for categories %j, k %i, max_m %i',
      async (categories, k, maxM) => {
        for (const point of points) {
          const query = new URLSearchParams({
            lon: String(point[0]),
            lat: String(point[1]),
            k: String(k),
            max_m: String(maxM),
          });
          if (categories) query.set('category', categories.join(','));
          const body = NearestCollection.parse(await getJson(`/api/offers/nearest?${query}`));
          const expected = await bruteForce(point, categories ? [...categories] : null, k, maxM);
          expect(body.features.map((f) => f.id)).toEqual(expected.map((e) => e.id));
          for (const [i, f] of body.features.entries()) {
            const { distance_m, walk_minutes } = f.properties;
            expect(Math.abs(distance_m - (expected[i]?.d ?? Number.NaN))).toBeLessThanOrEqual(0.5);
            expect(distance_m).toBeLessThanOrEqual(maxM + 0.5);
            expect(Math.abs(distance_m - haversine(point, f.geometry.coordinates))).toBeLessThanOrEqual(
              0.005 * distance_m + 2,
            );
            expect(walk_minutes).toBe(walkMinutes(expected[i]?.d ?? Number.NaN));
          }
        }
      },
    );

    it('states its walking assumption and computes minutes from 4.8 km/h and a detour factor of 1.3', async () => {
      const [lon, lat] = points[0] ?? [0, 0];
      const body = NearestCollection.parse(await getJson(`/api/offers/nearest?lon=${lon}&lat=${lat}`));
      expect(body.meta.walking).toMatchObject({ speed_kmh: 4.8, detour_factor: 1.3 });
      expect(body.meta.k).toBe(5);
      // 800 m in a straight line: 1040 m on foot at 80 m per minute = 13 minutes.
      expect(walkMinutes(800)).toBe(13);
    });

    it('rejects a point far from the city, naming lon or lat', async () => {
      const [lon, lat] = points[0] ?? [0, 0];
      for (const [query, param] of [
        [`lon=${lon + 1}&lat=${lat}`, 'lon'],
        [`lon=${lon}&lat=${lat - 1}`, 'lat'],
      ] as const) {
        const res = await app.request(`/api/offers/nearest?${query}`);
        expect(res.status).toBe(400);
        expect(await res.json()).toMatchObject({ param });
      }
    });
  });

  it.each([
    ['/api/offers/nearest?lat=51.5', 'lon'],
    ['/api/offers/nearest?lon=7.4', 'lat'],
    ['/api/offers/nearest?lon=abc&lat=51.5', 'lon'],
    ['/api/offers/nearest?lon=7.4&lat=51.5x', 'lat'],
    ['/api/offers/nearest?lon=7.4&lat=91', 'lat'],
    [`/api/offers/nearest?lon=7.4&lat=51.5&k=${K_MAX + 1}`, 'k'],
    ['/api/offers/nearest?lon=7.4&lat=51.5&k=0', 'k'],
    ['/api/offers/nearest?lon=7.4&lat=51.5&k=2.5', 'k'],
    [`/api/offers/nearest?lon=7.4&lat=51.5&max_m=${MAX_M_MAX + 1}`, 'max_m'],
    ['/api/offers/nearest?lon=7.4&lat=51.5&category=school,,library', 'category'],
    [`/api/offers/nearest?lon=7.4&lat=51.5&category=${INJECTION}`, 'category'],
    [`/api/offers/nearest?lon=${INJECTION}&lat=51.5`, 'lon'],
    ['/api/offers?category=schools', 'category'],
    ['/api/offers?limit=5001', 'limit'],
    ['/api/offers?limit=-1', 'limit'],
    ['/api/offers?offset=x', 'offset'],
    ['/api/offers?bbox=7,51,8', 'bbox'],
    ['/api/offers?bbox=7,51,9,52', 'bbox'],
    ['/api/offers?bbox=7.5,51,7.4,51.1', 'bbox'],
    [`/api/offers?bbox=${INJECTION}`, 'bbox'],
    ['/api/offers?q=%20%2B%2B%20', 'q'],
    ['/api/offers?categroy=school', 'categroy'],
    [`/api/offers/${INJECTION}`, 'id'],
    ['/api/offers/categories?lang=de', 'lang'],
  ])('answers %s with 400 naming %s', async (path, param) => {
    const res = await app.request(path);
    expect(res.status).toBe(400);
    expect(res.headers.get('content-type')).toBe('application/problem+json');
    const problem = (await res.json()) as { param: string; errors: { param: string }[] };
    expect(problem.param).toBe(param);
    expect(problem.errors.map((e) => e.param)).toContain(param);
  });

  it('still has its tables after all the injection attempts', async () => {
    const [row] = await db.query<{ n: number }>('SELECT count(*)::int AS n FROM atlas.offer');
    expect(row?.n).toBeGreaterThan(0);
  });
});

describe('/api/offers/nearest on postgres: the plan', () => {
  let db: Db;
  beforeAll(async () => {
    db = await realDb('postgres');
  });
  afterAll(async () => {
    await db?.close();
  });

  it('preselects through the GIST index with KNN, then takes the exact distances from an indexed box (EXPLAIN)', async () => {
    const [point] = await db.query<{ lon: number; lat: number }>(
      "SELECT ST_X(label_point) AS lon, ST_Y(label_point) AS lat FROM atlas.area WHERE level = 'quarter' ORDER BY code LIMIT 1",
    );
    for (const categories of [null, ['childcare'], ['school', 'library']]) {
      const plan = await db.query<{ 'QUERY PLAN': string }>(`EXPLAIN ${NEAREST_SQL}`, [
        point?.lon,
        point?.lat,
        categories,
        10,
        5000,
      ]);
      const text = plan.map((r) => r['QUERY PLAN']).join('\n');
      expect(text).toMatch(/Index Scan using offer_geom_idx[\s\S]*Order By: \(geom <-> /);
      expect(text).toMatch(/Index Cond: \(geom && st_expand/);
      expect(text).not.toMatch(/Seq Scan on offer/);
    }
  });
});
