import { cpSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CATEGORIES, categorize, compileRules } from '../../geodata/categories.ts';
import { defaultManifestPath, runImport } from '../../geodata/import.ts';
import { loadManifest } from '../../geodata/manifest.ts';
import { distinctiveName, findTwin, similarity } from '../../geodata/twins.ts';
import { createApp } from '../../server/app.ts';
import type { Db } from '../../server/db/index.ts';
import { NEAREST_SQL } from '../../server/db/queries/offers.ts';
import { minutesFor } from '../../server/domain/walk/speed.ts';
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
import { engines, freshDb, packageEngines, realDb } from '../support/db.ts';

const REAL_DIR = resolve(import.meta.dirname, '../..', process.env.GEODATA_DIR ?? '../shared/geodata');
const MINI = join(import.meta.dirname, '../fixtures/mini-city');

const INJECTION = encodeURIComponent("'; DROP TABLE x;--");

/** Great-circle distance on a sphere of the mean earth radius: a check on the spheroid distance, within 0.5 %. */
function haversine([lon1, lat1]: [number, number], [lon2, lat2]: [number, number]): number {
  const rad = Math.PI / 180;
  const a =
    Math.sin(((lat2 - lat1) * rad) / 2) ** 2 +
    Math.cos(lat1 * rad) * Math.cos(lat2 * rad) * Math.sin(((lon2 - lon1) * rad) / 2) ** 2;
  return 2 * 6_371_008.8 * Math.asin(Math.sqrt(a));
}

describe.each(packageEngines)('/api/offers on %s', (engine) => {
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
    const status = await db.query<{ code: string; incomplete: unknown; warnings: unknown }>(
      'SELECT code, incomplete, warnings FROM atlas.category',
    );
    for (const c of body.categories) {
      expect(c.labels).toEqual(CATEGORIES.find((x) => x.code === c.code)?.labels);
      expect(c.count).toBe(count.get(c.code) ?? 0);
      const own = status.find((x) => x.code === c.code);
      expect(c.incomplete).toEqual(own?.incomplete ?? null);
      expect(c.warnings).toEqual(own?.warnings);
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

    /**
     * The ranking over every row of the table, without the index: exact distance, then id. A record that stands
     * for the same place as another (attrs.sameAs) is left out when that one can be listed too.
     */
    async function bruteForce(point: [number, number], categories: string[] | null, k: number, maxM: number) {
      return db.query<{ id: string; d: number }>(
        `SELECT id, d FROM (
           SELECT o.id, ST_Distance(o.geom::geography, ST_SetSRID(ST_MakePoint($1, $2), 4326)::geography) AS d
           FROM atlas.offer o
           WHERE ($3::text[] IS NULL OR o.category = ANY ($3::text[]))
             AND NOT EXISTS (SELECT 1 FROM atlas.offer twin WHERE twin.id = o.attrs ->> 'sameAs'
                               AND ($3::text[] IS NULL OR twin.category = ANY ($3::text[])))) x
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
      [['childcare', 'family'], 20, 20_000],
      [['family'], 5, 20_000],
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
            const { distance_m, walk_m, walk_minutes } = f.properties;
            expect(Math.abs(distance_m - (expected[i]?.d ?? Number.NaN))).toBeLessThanOrEqual(0.5);
            expect(distance_m).toBeLessThanOrEqual(maxM + 0.5);
            expect(Math.abs(distance_m - haversine(point, f.geometry.coordinates))).toBeLessThanOrEqual(
              0.005 * distance_m + 2,
            );
            // On the street network where the package has one (a walk is never shorter than the straight line),
            // else estimated from the straight line.
            if (body.meta.walking.method === 'network') {
              if (walk_m === null) expect(walk_minutes).toBeNull();
              else {
                expect(walk_m).toBeGreaterThanOrEqual(distance_m - 0.5);
                expect(walk_minutes).toBe(minutesFor(Math.round(walk_m)));
              }
            } else expect(walk_minutes).toBe(walkMinutes(expected[i]?.d ?? Number.NaN));
          }
        }
      },
    );

    it('states its walking assumption and computes minutes from 4.8 km/h and a detour factor of 1.3', async () => {
      const [lon, lat] = points[0] ?? [0, 0];
      const body = NearestCollection.parse(await getJson(`/api/offers/nearest?lon=${lon}&lat=${lat}&walk=false`));
      expect(body.meta.walking).toMatchObject({ method: 'estimate', speed_kmh: 4.8, detour_factor: 1.3 });
      expect(body.meta.k).toBe(5);
      // 800 m in a straight line: 1040 m on foot at 80 m per minute = 13 minutes.
      expect(walkMinutes(800)).toBe(13);
    });

    /** The register's address nearest to a point by exact geodesic distance, over every row (no index). */
    async function nearestAddress(point: [number, number]) {
      const [row] = await db.query<{ label: string; d: number }>(
        `SELECT street || ' ' || house_number AS label,
                ST_Distance(geom::geography, ST_SetSRID(ST_MakePoint($1, $2), 4326)::geography) AS d
         FROM atlas.address ORDER BY d, id LIMIT 1`,
        point,
      );
      return row;
    }

    it("gives every result the date of its data and an address: the source's, else the register's nearest, marked approximate", async () => {
      let approximate = 0;
      for (const point of points.slice(0, 2)) {
        const query = new URLSearchParams({ lon: String(point[0]), lat: String(point[1]), k: '6' });
        query.set('category', 'health,childcare');
        const body = NearestCollection.parse(await getJson(`/api/offers/nearest?${query}`));
        expect(body.features.length).toBeGreaterThan(0);
        for (const f of body.features) {
          const [row] = await db.query<{ street: string | null; postcode: string | null; date: string | null }>(
            `SELECT o.street, o.postcode, coalesce(o.reference_date, s.reference_date) AS date
             FROM atlas.offer o JOIN atlas.source s ON s.id = o.source_id WHERE o.id = $1`,
            [f.id],
          );
          const { address, reference_date } = f.properties;
          expect(reference_date, f.id).toBe(row?.date);
          expect(reference_date, f.id).not.toBeNull();
          expect(address, f.id).not.toBeNull();
          if (row?.street) {
            expect(address).toMatchObject({ street: row.street, postcode: row.postcode, approximate: false });
          } else {
            approximate += 1;
            const near = await nearestAddress(f.geometry.coordinates as [number, number]);
            expect(address, f.id).toMatchObject({ street: near?.label, approximate: true });
            expect(Math.abs((address?.distance_m ?? -1) - (near?.d ?? 0))).toBeLessThanOrEqual(1);
            // The details say the same.
            const detail = OfferDetail.parse(await getJson(`/api/offers/${f.id}`));
            expect(detail.address).toEqual(address);
          }
        }
      }
      expect(approximate).toBeGreaterThan(0);
    });

    it("narrows doctors to general practitioners or paediatricians by the manifest's name rules, apart from pharmacies, dentists and hospitals", async () => {
      const m = loadManifest(defaultManifestPath(REAL_DIR));
      const rules = compileRules(m.osm.rules);
      // What the rules make of the package's doctors: the specialities expected in the database.
      const specialities = new Map<string, number>();
      const doctors = (
        JSON.parse(readFileSync(join(REAL_DIR, m.osm.file), 'utf8')) as {
          features: { properties: Record<string, unknown> }[];
        }
      ).features
        .map((f) => f.properties)
        .filter((p) => Object.entries(m.osm.keepWhen).every(([k, v]) => p[k] === v))
        .map((p) =>
          categorize(
            {
              name: typeof p.name === 'string' ? p.name : null,
              class: String(p.class),
              subclass: typeof p.subclass === 'string' ? p.subclass : null,
              packageCategory: String(p.category),
              element: `${p.osm_type}/${p.osm_id}`,
            },
            rules,
            m.osm.categories,
          ),
        )
        .filter((w) => w?.subcategory === 'doctor');
      for (const w of doctors)
        if (w && 'speciality' in w && w.speciality)
          specialities.set(w.speciality, (specialities.get(w.speciality) ?? 0) + 1);
      expect([...specialities.keys()].sort()).toEqual(['general', 'paediatrics']);
      const counted = await db.query<{ speciality: string; n: number }>(
        `SELECT attrs ->> 'speciality' AS speciality, count(*)::int AS n FROM atlas.offer
         WHERE subcategory = 'doctor' AND attrs ? 'speciality' GROUP BY 1 ORDER BY 1`,
      );
      expect(new Map(counted.map((r) => [r.speciality, r.n]))).toEqual(specialities);

      const [lon, lat] = points[0] ?? [0, 0];
      const cases: [string, (r: { subcategory: string; speciality: string | null }) => boolean][] = [
        ['doctor:paediatrics', (r) => r.subcategory === 'doctor' && r.speciality === 'paediatrics'],
        ['doctor:general', (r) => r.subcategory === 'doctor' && r.speciality === 'general'],
        ['doctor', (r) => r.subcategory === 'doctor'],
        ['pharmacy,dentist', (r) => r.subcategory === 'pharmacy' || r.subcategory === 'dentist'],
        ['hospital', (r) => r.subcategory === 'hospital'],
      ];
      for (const [kind, wanted] of cases) {
        const rows = await db.query<{ id: string; subcategory: string; speciality: string | null; d: number }>(
          `SELECT id, subcategory, attrs ->> 'speciality' AS speciality,
                  ST_Distance(geom::geography, ST_SetSRID(ST_MakePoint($1, $2), 4326)::geography) AS d
           FROM atlas.offer WHERE category = 'health' ORDER BY d, id`,
          [lon, lat],
        );
        const expected = rows.filter((r) => wanted(r) && r.d <= MAX_M_MAX).slice(0, 8);
        expect(expected.length, kind).toBeGreaterThan(0);
        const body = NearestCollection.parse(
          await getJson(
            `/api/offers/nearest?lon=${lon}&lat=${lat}&category=health&kind=${kind}&k=8&max_m=${MAX_M_MAX}`,
          ),
        );
        expect(
          body.features.map((f) => f.id),
          kind,
        ).toEqual(expected.map((e) => e.id));
        for (const f of body.features)
          expect(f.properties.speciality).toBe(rows.find((r) => r.id === f.id)?.speciality);
      }
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
    ['/api/offers/nearest?lon=7.4&lat=51.5&kind=Doctor', 'kind'],
    ['/api/offers/nearest?lon=7.4&lat=51.5&kind=doctor,,pharmacy', 'kind'],
    [`/api/offers/nearest?lon=7.4&lat=51.5&kind=${INJECTION}`, 'kind'],
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

describe.each(packageEngines.filter((e) => e === 'postgres'))('/api/offers/nearest on %s: the plan', () => {
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
    for (const [categories, kinds] of [
      [null, null],
      [['childcare'], null],
      [['school', 'library'], null],
      [['health'], ['doctor:general', 'pharmacy']],
    ]) {
      const plan = await db.query<{ 'QUERY PLAN': string }>(`EXPLAIN ${NEAREST_SQL}`, [
        point?.lon,
        point?.lat,
        categories,
        10,
        5000,
        kinds,
        '2026-12-11',
        null,
        null,
        false,
        false,
      ]);
      const text = plan.map((r) => r['QUERY PLAN']).join('\n');
      expect(text).toMatch(/Index Scan using offer_geom_idx[\s\S]*Order By: \(geom <-> /);
      expect(text).toMatch(/Index Cond: \(geom && st_expand/);
      expect(text).not.toMatch(/Seq Scan on offer/);
      // The approximate addresses, through the address index too.
      expect(text).toMatch(/Index Scan using address_geom_idx/);
      expect(text).not.toMatch(/Seq Scan on address/);
    }
  });
});

interface PackagePoint {
  element: string;
  name: string | null;
  cls: string;
  subclass: string | null;
  what: ReturnType<typeof categorize>;
}

interface OfferRow {
  id: string;
  category: string;
  subcategory: string | null;
  name: string | null;
  external_id: string | null;
  source_id: string;
  lon: number;
  lat: number;
  attrs: { osmTwins?: string[]; sameAs?: string; otherNames?: string[] };
}

const OFFER_ROWS = `SELECT id, category, subcategory, name, external_id, source_id, attrs, ST_X(geom) AS lon, ST_Y(geom) AS lat
                    FROM atlas.offer ORDER BY id`;

describe.each(packageEngines)('offers: what counts, and as what, on the real package (%s)', (engine) => {
  const m = loadManifest(defaultManifestPath(REAL_DIR));
  const rules = compileRules(m.osm.rules);
  const features = (
    JSON.parse(readFileSync(join(REAL_DIR, m.osm.file), 'utf8')) as {
      features: { properties: Record<string, unknown> }[];
    }
  ).features;
  /** Every OSM point the import reads, with what the manifest's rules make of it. */
  const points: PackagePoint[] = features
    .map((f) => f.properties)
    .filter((p) => Object.entries(m.osm.keepWhen).every(([k, v]) => p[k] === v))
    .map((p) => {
      const point = {
        element: `${p.osm_type}/${p.osm_id}`,
        name: typeof p.name === 'string' ? p.name : null,
        cls: String(p.class),
        subclass: typeof p.subclass === 'string' ? p.subclass : null,
      };
      const what = categorize(
        { ...point, class: point.cls, packageCategory: String(p.category) },
        rules,
        m.osm.categories,
      );
      return { ...point, what };
    });
  const named = (pattern: RegExp) => points.filter((p) => p.name && pattern.test(p.name));

  let db: Db;
  let app: ReturnType<typeof createApp>;
  let offers: OfferRow[];
  /** OSM element → the offer it is, or the official offer it was merged into. */
  const whereIs = new Map<string, OfferRow>();
  beforeAll(async () => {
    db = await realDb(engine);
    app = createApp({ db, env: readEnv({}) });
    offers = await db.query<OfferRow>(OFFER_ROWS);
    for (const o of offers) {
      if (o.source_id === m.osm.source && o.external_id) whereIs.set(o.external_id, o);
      for (const twin of o.attrs.osmTwins ?? []) whereIs.set(twin, o);
    }
  });
  afterAll(async () => {
    await db?.close();
  });

  it("lists, per category, what the package's rules catch, and every OSM point is where they put it", () => {
    const caught = new Map<string, string[]>();
    for (const p of points) {
      if (p.what?.rule === null || p.what === undefined) continue;
      const key = p.what.category ?? 'not an offer';
      caught.set(key, [...(caught.get(key) ?? []), `${p.name ?? '(unnamed)'} [${p.element}]`]);
    }
    console.info(
      [...caught.entries()]
        .sort()
        // The first 12 of each: enough to review a rule's catch without flooding the log (transit alone has 1,150).
        .map(
          ([category, list]) =>
            `${category} (${list.length}): ${list.slice(0, 12).join('; ')}${list.length > 12 ? '; …' : ''}`,
        )
        .join('\n'),
    );
    expect(caught.size).toBeGreaterThan(0);
    for (const p of points) {
      const at = whereIs.get(p.element);
      if (p.what?.category === null) expect(at, `${p.element} ${p.name}`).toBeUndefined();
      else if (at) expect(at.category, `${p.element} ${p.name}`).toBe(p.what?.category);
      else {
        // Neither an offer nor a twin: only an unnamed point of a category whose unnamed points are dropped.
        expect(p.name, p.element).toBeNull();
        expect(m.osm.twins.categories[p.what?.category ?? '']?.dropUnnamed, p.element).toBe(true);
      }
    }
  });

  it.each([
    ['community', /solebad|eissport|pumpwerk/i],
    ['seniors', /hospiz|personalunterkunft/i],
    ['school', /hallenbad|lehrerpar|dlrg|malteser|wall street/i],
    ['library', /bereichsbibliothek|universit(ä|ae)tsbibliothek/i],
  ] as const)('the known wrong members of %s are gone (found in the package by %s)', (category, pattern) => {
    const wrong = named(pattern);
    expect(wrong.length).toBeGreaterThan(0);
    for (const p of wrong) expect(whereIs.get(p.element)?.category, `${p.name} [${p.element}]`).not.toBe(category);
  });

  it('nursing homes are health offers, not offers for seniors', () => {
    const homes = points.filter((p) => p.subclass === 'nursing_home');
    expect(homes.length).toBeGreaterThan(0);
    for (const p of homes) expect(whereIs.get(p.element)?.category ?? null, p.name ?? p.element).not.toBe('seniors');
    expect(offers.filter((o) => o.category === 'seniors').every((o) => o.subcategory !== 'nursing-home')).toBe(true);
  });

  it('counts Kitas named Familienzentrum as family offers too, each at its Kita', () => {
    const kitas = (
      JSON.parse(readFileSync(join(REAL_DIR, m.kitas.file), 'utf8')) as {
        features: { properties: Record<string, unknown> }[];
      }
    ).features.map((f) => String(f.properties[m.kitas.nameField] ?? ''));
    for (const rule of m.kitas.alsoCategories) {
      const expected = kitas.filter((n) => new RegExp(rule.namePattern, 'iu').test(n)).length;
      expect(expected).toBeGreaterThan(0);
      const also = offers.filter((o) => o.category === rule.category && o.attrs.sameAs);
      expect(also).toHaveLength(expected);
      for (const o of also) {
        const kita = offers.find((k) => k.id === o.attrs.sameAs);
        expect(kita?.category).toBe('childcare');
        expect([kita?.lon, kita?.lat]).toEqual([o.lon, o.lat]);
      }
    }
  });

  it('keeps every official school, and an OSM school only where no official one is its twin', () => {
    const official = offers.filter((o) => o.source_id === m.schools.source);
    expect(official).toHaveLength(m.schools.expectedCount);
    const rulesOf = { ...m.osm.twins, ...m.osm.twins.categories.school };
    const places = official.map((o) => ({ ...o, otherNames: o.attrs.otherNames ?? [] }));
    const osmSchools = offers.filter((o) => o.category === 'school' && o.source_id === m.osm.source);
    for (const o of osmSchools) expect(findTwin(o, places, rulesOf), `${o.name} [${o.id}]`).toBeNull();
    // The same school under another spelling near the official point ("Nordmarkt-Grundschule" beside
    // "Nordmarktschule"): every such point of the package is merged into its official record.
    const spelt = points.filter(
      (p) =>
        p.what?.category === 'school' &&
        p.name &&
        findTwin({ ...p, ...lonLat(p.element) }, places, rulesOf)?.why === 'alike',
    );
    expect(spelt.length).toBeGreaterThan(0);
    for (const p of spelt) expect(whereIs.get(p.element)?.source_id, `${p.name}`).toBe(m.schools.source);
  });

  /** The package's position of an OSM element. */
  function lonLat(element: string): { lon: number; lat: number } {
    const f = features.find((x) => `${x.properties.osm_type}/${x.properties.osm_id}` === element) as unknown as {
      geometry: { coordinates: [number, number] };
    };
    return { lon: f.geometry.coordinates[0], lat: f.geometry.coordinates[1] };
  }

  it('never lists one school twice among the nearest, from the centre of every quarter', async () => {
    const centres = await db.query<{ code: string; lon: number; lat: number }>(
      "SELECT code, ST_X(label_point) AS lon, ST_Y(label_point) AS lat FROM atlas.area WHERE level = 'quarter'",
    );
    const rulesOf = { ...m.osm.twins, ...m.osm.twins.categories.school };
    const generic = m.osm.twins.genericWords;
    const byId = new Map(offers.map((o) => [o.id, o]));
    let osmListed = 0;
    for (const c of centres) {
      const body = NearestCollection.parse(
        await (
          await app.request(`/api/offers/nearest?lon=${c.lon}&lat=${c.lat}&category=school&k=10&max_m=3000`)
        ).json(),
      );
      const found = body.features.map((f) => byId.get(f.id) as OfferRow);
      expect(new Set(found.map((f) => f.id)).size).toBe(found.length);
      // Two official records are two schools (their school numbers differ: "Rudolf-Steiner-Schule" and "Rudolf
      // Steiner Berufskolleg" are both real). An OSM school listed beside them is none of them under another
      // spelling, and no other OSM school listed has its name.
      const official = found
        .filter((f) => f.source_id === m.schools.source)
        .map((f) => ({ ...f, otherNames: f.attrs.otherNames ?? [] }));
      const osm = found.filter((f) => f.source_id === m.osm.source);
      osmListed += osm.length;
      for (const [i, a] of osm.entries()) {
        expect(findTwin(a, official, rulesOf), `${c.code}: ${a.name}`).toBeNull();
        for (const b of osm.slice(i + 1)) {
          const [ka, kb] = [distinctiveName(a.name, generic), distinctiveName(b.name, generic)];
          if (ka && kb) expect(similarity(ka, kb), `${c.code}: ${a.name} / ${b.name}`).toBeLessThan(1);
        }
      }
    }
    expect(osmListed).toBeGreaterThan(0);
  });

  it('counts only public libraries for the library stage: university libraries are higher education', async () => {
    const academic = m.osm.rules.find((r) => r.class === 'library' && r.category === 'higher-education');
    expect(academic?.namePattern).toBeTruthy();
    const pattern = new RegExp(academic?.namePattern ?? '^$', 'iu');
    const libraries = offers.filter((o) => o.category === 'library');
    expect(libraries.filter((o) => o.name && pattern.test(o.name))).toEqual([]);
    const university = named(pattern).filter((p) => p.cls === academic?.class);
    expect(university.length).toBeGreaterThan(0);
    for (const p of university) expect(whereIs.get(p.element)?.category).toBe('higher-education');
    // The library stage of every quarter equals a count over all its addresses: within 1 km of a library offer.
    const brute = await db.query<{ code: string; share: number; with_university: number }>(
      `WITH a AS MATERIALIZED (SELECT quarter_code, ST_Transform(geom, $1::int) AS g FROM atlas.address),
            lib AS MATERIALIZED (
              SELECT ST_Transform(geom, $1::int) AS g, category = 'library' AS public FROM atlas.offer
              WHERE category = 'library' OR (category = 'higher-education' AND subcategory = $2))
       SELECT a.quarter_code AS code,
              100.0 * count(*) FILTER (WHERE EXISTS (SELECT 1 FROM lib WHERE lib.public AND ST_DWithin(lib.g, a.g, 1000)))
                / count(*) AS share,
              100.0 * count(*) FILTER (WHERE EXISTS (SELECT 1 FROM lib WHERE ST_DWithin(lib.g, a.g, 1000)))
                / count(*) AS with_university
       FROM a GROUP BY a.quarter_code`,
      [m.city.metricSrid, academic?.subcategory],
    );
    const stage = await db.query<{ code: string; value: number }>(
      `SELECT area_code AS code, value FROM atlas.indicator_value
       WHERE indicator_id = 'coverage_library_1000m' AND level = 'quarter' AND is_latest`,
    );
    expect(stage).toHaveLength(brute.length);
    for (const s of stage) expect(s.value).toBeCloseTo(brute.find((b) => b.code === s.code)?.share ?? Number.NaN, 6);
    // Where the university libraries stand, the stage fell: they no longer count.
    expect(brute.some((b) => b.with_university > b.share)).toBe(true);
  });

  it("marks a category too thin to answer, with the manifest's reason, in the API and in every figure made from it", async () => {
    const list = CategoryList.parse(await (await app.request('/api/offers/categories')).json());
    const facets = await db.query<{
      id: string;
      member: string;
      family: string;
      title: { en: string };
      note: { en: string };
    }>(
      `SELECT i.id, f.member, f.family, i.title, i.method_note AS note FROM atlas.indicator i
       JOIN atlas.indicator_facet f ON f.indicator_id = i.id WHERE f.family IN ('offers', 'coverage')`,
    );
    let thin = 0;
    for (const c of list.categories) {
      const shouldBe = c.count < m.osm.completeness.minOffers || c.code in m.osm.completeness.incomplete;
      expect(c.incomplete !== null, c.code).toBe(shouldBe);
      if (!c.incomplete) continue;
      thin++;
      expect(c.incomplete.en).toContain(String(c.count));
      for (const f of facets.filter((x) => x.family === 'offers' && x.member === c.code)) {
        expect(f.title.en, f.id).toContain('(incomplete data)');
        expect(f.note.en, f.id).toContain(c.incomplete.en);
      }
      const body = NearestCollection.parse(
        await (await app.request(`/api/offers/nearest?lon=7.4653&lat=51.5136&category=${c.code}`)).json(),
      );
      expect(body.meta.incomplete).toEqual({ [c.code]: c.incomplete });
    }
    expect(thin).toBeGreaterThan(0);
    // Youth, as the issue found it: a handful of offers in the whole city.
    expect(list.categories.find((c) => c.code === 'youth')?.incomplete).not.toBeNull();
    const all = NearestCollection.parse(await (await app.request('/api/offers/nearest?lon=7.4653&lat=51.5136')).json());
    expect(all.meta.incomplete).toEqual({});
  });

  it('gives every doctor figure the warning that it rests on a few OSM practices of about 2020', async () => {
    const [doctors] = await db.query<{ n: number }>(
      "SELECT count(*)::int AS n FROM atlas.offer WHERE category = 'health' AND subcategory = 'doctor'",
    );
    const warning = m.osm.completeness.warnings.doctor;
    expect(warning).toBeDefined();
    const list = CategoryList.parse(await (await app.request('/api/offers/categories')).json());
    const text = list.categories.find((c) => c.code === warning?.category)?.warnings.doctor;
    expect(text?.en).toContain(`${doctors?.n} practices`);
    expect(text?.en).toContain(m.sources.find((s) => s.id === m.osm.source)?.referenceDate ?? '?');
    const figures = await db.query<{ id: string; title: { en: string }; note: { en: string } }>(
      `SELECT i.id, i.title, i.method_note AS note FROM atlas.indicator i JOIN atlas.indicator_facet f ON f.indicator_id = i.id
       WHERE (f.family = 'coverage' AND f.member = 'doctor') OR (f.family = 'offers' AND f.member = $1)`,
      [warning?.category],
    );
    expect(figures.length).toBeGreaterThan(0);
    for (const f of figures) expect(f.note.en, f.id).toContain(text?.en);
    for (const f of figures.filter((x) => x.id.startsWith('coverage_doctor')))
      expect(f.title.en).toContain('(patchy data)');
    const body = NearestCollection.parse(
      await (await app.request('/api/offers/nearest?lon=7.4653&lat=51.5136&category=health')).json(),
    );
    expect(body.meta.warnings).toEqual({ doctor: text });
  });
});

describe.each(engines)('offers on the mini-city fixture, known answers (%s)', (engine) => {
  let db: Awaited<ReturnType<typeof freshDb>>;
  let dir: string;
  let app: ReturnType<typeof createApp>;
  beforeAll(async () => {
    db = await freshDb(engine);
    dir = mkdtempSync(join(tmpdir(), 'mini-city-offers-'));
    cpSync(MINI, dir, { recursive: true });
    await runImport(db, { dir, log: () => {} });
    app = createApp({ db, env: readEnv({}) });
  });
  afterAll(async () => {
    await db?.drop();
    rmSync(dir, { recursive: true, force: true });
  });
  const nearest = async (query: string) =>
    NearestCollection.parse(await (await app.request(`/api/offers/nearest?${query}`)).json());

  it('merges the twin "Auen-Grundschule" into the Auenschule and drops the car park and the DLRG', async () => {
    const rows = await db.query<OfferRow>(OFFER_ROWS);
    const schools = rows.filter((o) => o.category === 'school');
    expect(schools.map((o) => o.id)).toEqual(['school-100001', 'school-100002', 'school-100003']);
    expect(schools.map((o) => o.attrs.osmTwins ?? [])).toEqual([['node/11'], ['node/17'], []]);
    for (const id of ['osm-node-11', 'osm-node-17', 'osm-node-18', 'osm-node-19'])
      expect(rows.find((o) => o.id === id)).toBeUndefined();
    // From the Auenschule's door: one school, once.
    const body = await nearest('lon=7.0155&lat=51.0134&category=school&k=2&max_m=500');
    expect(body.features.map((f) => f.id)).toEqual(['school-100002']);
  });

  it('counts the Familienzentrum as a Kita and as a family offer, and lists the place once', async () => {
    const rows = await db.query<OfferRow>(OFFER_ROWS);
    expect(rows.filter((o) => o.category === 'family').map((o) => [o.id, o.attrs.sameAs])).toEqual([
      ['kita-3-family', 'kita-3'],
    ]);
    const both = await nearest('lon=7.0361&lat=51.0141&category=childcare,family&k=3&max_m=20000');
    expect(both.features.map((f) => f.id)).toEqual(['kita-3', 'kita-2', 'kita-1']);
    const family = await nearest('lon=7.0361&lat=51.0141&category=family&k=3&max_m=20000');
    expect(family.features.map((f) => f.id)).toEqual(['kita-3-family']);
    const any = await nearest('lon=7.0361&lat=51.0141&k=50&max_m=20000');
    expect(any.features.filter((f) => f.id.startsWith('kita-3'))).toHaveLength(1);
    // By name the place is found once, as the Kita; as a family offer by its category.
    const byName = OfferCollection.parse(await (await app.request('/api/offers?q=regenbogen')).json());
    expect(byName.features.map((f) => f.id)).toEqual(['kita-3']);
    const byCategory = OfferCollection.parse(await (await app.request('/api/offers?category=family')).json());
    expect(byCategory.features.map((f) => f.id)).toEqual(['kita-3-family']);
  });

  it('narrows to kinds, and gives an OSM point the address of the register nearest to it, marked approximate', async () => {
    const buses = await nearest('lon=7.0361&lat=51.0141&kind=bus&k=10&max_m=20000');
    const busIds = await db.query<{ id: string }>("SELECT id FROM atlas.offer WHERE subcategory = 'bus' ORDER BY id");
    expect(buses.features.map((f) => f.id).sort()).toEqual(busIds.map((r) => r.id));
    expect(busIds.length).toBeGreaterThan(0);
    const all = await nearest('lon=7.0361&lat=51.0141&k=50&max_m=20000');
    for (const f of all.features) {
      const [row] = await db.query<{ street: string | null }>('SELECT street FROM atlas.offer WHERE id = $1', [f.id]);
      const { address } = f.properties;
      if (row?.street) expect(address).toMatchObject({ street: row.street, approximate: false, distance_m: null });
      else {
        const [near] = await db.query<{ label: string }>(
          `SELECT a.street || ' ' || a.house_number AS label FROM atlas.address a, atlas.offer o WHERE o.id = $1
           ORDER BY ST_Distance(a.geom::geography, o.geom::geography), a.id LIMIT 1`,
          [f.id],
        );
        expect(address, f.id).toMatchObject({ street: near?.label, approximate: true, postcode: null });
      }
      expect(f.properties.reference_date, f.id).not.toBeNull();
    }
  });

  it('marks youth (1 offer, fewer than 2) and family (named in the manifest) incomplete, with their reasons', async () => {
    const list = CategoryList.parse(await (await app.request('/api/offers/categories')).json());
    const of = (code: string) => list.categories.find((c) => c.code === code);
    expect(of('youth')?.incomplete).toEqual({
      de: 'Nur 1 Angebote (weniger als 2).',
      en: 'Only 1 offers (fewer than 2).',
    });
    expect(of('family')?.incomplete?.en).toBe("Only 1 family centres, by the Kitas' names.");
    expect(of('school')?.incomplete).toBeNull();
    expect(of('childcare')?.incomplete).toBeNull();
    const youth = await nearest('lon=7.0052&lat=51.0052&category=youth,school&k=5&max_m=100');
    expect(youth.meta.incomplete).toEqual({ youth: of('youth')?.incomplete });
    const [title] = await db.query<{ en: string }>(
      "SELECT title ->> 'en' AS en FROM atlas.indicator WHERE id = 'offers_youth_count'",
    );
    expect(title?.en).toBe('Offers: Youth – count (incomplete data)');
  });
});
