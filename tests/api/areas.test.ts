import { join } from 'node:path';
import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import { Hono } from 'hono';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runImport } from '../../geodata/import.ts';
import { createApp } from '../../server/app.ts';
import { invalidateDataVersion, VERSION_TTL_MS } from '../../server/db/data-version.ts';
import type { Db } from '../../server/db/index.ts';
import { readEnv } from '../../server/env.ts';
import {
  AREA_LEVELS,
  AreaCollection,
  AreaDetail,
  type AreaLevel,
  areaRoutes,
  buildAreaCollection,
  SIMPLIFY_TOLERANCE_M,
} from '../../server/routes/areas.ts';
import { engines, freshDb, packageEngines, realDb } from '../support/db.ts';

const MINI = join(import.meta.dirname, '../fixtures/mini-city');

/** Decimal places of a number as written in JSON. */
const decimals = (x: number) => (String(x).split('.')[1] ?? '').length;

describe.each(packageEngines)('/api/areas on %s', (engine) => {
  let db: Db;
  let app: ReturnType<typeof createApp>;
  const collections = new Map<AreaLevel, AreaCollection>();

  beforeAll(async () => {
    db = await realDb(engine);
    app = createApp({ db, env: readEnv({}) });
  });
  afterAll(async () => {
    await db?.close();
  });

  async function collection(level: AreaLevel): Promise<AreaCollection> {
    const cached = collections.get(level);
    if (cached) return cached;
    const res = await app.request(`/api/areas?level=${level}`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('application/geo+json');
    const body = AreaCollection.parse(await res.json());
    collections.set(level, body);
    return body;
  }

  it.each(AREA_LEVELS)('lists every %s with code, name, parent, numbered and area', async (level) => {
    const body = await collection(level);
    const rows = await db.query<{
      code: string;
      name: string;
      parent_code: string | null;
      numbered: boolean;
      km2: number;
    }>(
      'SELECT code, name, parent_code, numbered, area_m2 / 1e6 AS km2 FROM atlas.area WHERE level = $1 ORDER BY code',
      [level],
    );
    expect(body.meta).toMatchObject({ level, count: rows.length, coordinate_decimals: 5 });
    expect(body.meta.simplification.tolerance_m).toBe(SIMPLIFY_TOLERANCE_M);
    expect(body.features.map((f) => f.id)).toEqual(rows.map((r) => r.code));
    for (const [i, f] of body.features.entries()) {
      const row = rows[i];
      expect(f.properties).toMatchObject({
        code: row?.code,
        name: row?.name,
        parent: row?.parent_code,
        numbered: row?.numbered,
      });
      expect(f.properties.area_km2).toBeCloseTo(row?.km2 ?? Number.NaN, 2);
      for (const polygon of f.geometry.coordinates)
        for (const ring of polygon) {
          expect(ring.length).toBeGreaterThanOrEqual(4);
          expect(ring[0]).toEqual(ring.at(-1));
          for (const [lon, lat] of ring) expect(Math.max(decimals(lon), decimals(lat))).toBeLessThanOrEqual(5);
        }
    }
  });

  it.each(AREA_LEVELS)(
    'simplifies the %s so that neighbours share their edges: no overlaps, no gaps, close to the original',
    async (level) => {
      const body = await collection(level);
      const features = JSON.stringify(body.features.map((f) => ({ code: f.id, geometry: f.geometry })));
      const [check] = await db.query<{
        overlap_m2: number;
        original_overlap_m2: number;
        holes: number;
        original_holes: number;
        lost_neighbours: number;
        hausdorff_m: number;
        vertices: number;
        original_vertices: number;
      }>(
        `WITH s AS (
           SELECT f->>'code' AS code, ST_Transform(ST_SetSRID(ST_GeomFromGeoJSON(f->>'geometry'), 4326), 25832) AS g
           FROM json_array_elements($1::json) f),
         o AS (SELECT code, ST_Transform(geom, 25832) AS g FROM atlas.area WHERE level = $2),
         pairs AS (SELECT a.code AS a, b.code AS b FROM o a JOIN o b ON a.code < b.code AND ST_Intersects(a.g, b.g)
                   AND ST_Relate(a.g, b.g, '****1****'))
         SELECT
           (SELECT coalesce(sum(ST_Area(ST_Intersection(a.g, b.g))), 0) FROM s a JOIN s b ON a.code < b.code AND a.g && b.g) AS overlap_m2,
           (SELECT coalesce(sum(ST_Area(ST_Intersection(a.g, b.g))), 0) FROM o a JOIN o b ON a.code < b.code AND a.g && b.g) AS original_overlap_m2,
           (SELECT sum(ST_NumInteriorRings(p.geom))
            FROM (SELECT (ST_Dump(ST_Union(ST_Transform(g, 4326)))).geom FROM s) p) AS holes,
           (SELECT sum(ST_NumInteriorRings(p.geom))
            FROM (SELECT (ST_Dump(ST_Union(geom))).geom FROM atlas.area WHERE level = $2) p) AS original_holes,
           (SELECT count(*) FROM pairs p JOIN s a ON a.code = p.a JOIN s b ON b.code = p.b
            WHERE NOT ST_Relate(a.g, b.g, '****1****')) AS lost_neighbours,
           (SELECT max(ST_HausdorffDistance(s.g, o.g)) FROM s JOIN o USING (code)) AS hausdorff_m,
           (SELECT sum(ST_NPoints(g)) FROM s) AS vertices,
           (SELECT sum(ST_NPoints(g)) FROM o) AS original_vertices`,
        [features, level],
      );
      // PGlite answers some GEOS failures (a union of the overlapping action areas in UTM) with no row at all.
      expect(check, 'the check query returned no row').toBeDefined();
      // Neighbours keep a common stretch of boundary, and the simplified areas neither overlap more than the
      // originals do (action areas overlap a little in the source) nor open gaps between them.
      expect(check?.lost_neighbours).toBe(0);
      expect(check?.overlap_m2).toBeLessThanOrEqual((check?.original_overlap_m2 ?? 0) + 1);
      expect(check?.holes).toBeLessThanOrEqual(check?.original_holes ?? 0);
      // Douglas-Peucker keeps every point within the tolerance; snapping to 1e-5 degrees adds about a metre.
      expect(check?.hausdorff_m).toBeLessThan(SIMPLIFY_TOLERANCE_M + 2);
      expect(check?.vertices).toBeLessThan(check?.original_vertices ?? 0);
    },
  );

  it('sends the quarters in at most 40 KB with brotli, and every coding decodes to the same JSON', async () => {
    const get = (encoding: string) =>
      app.request('/api/areas?level=quarter', { headers: { 'accept-encoding': encoding } });
    const [br, gz, plain] = await Promise.all([get('br, gzip'), get('gzip'), get('identity')]);
    expect(br.headers.get('content-encoding')).toBe('br');
    expect(gz.headers.get('content-encoding')).toBe('gzip');
    expect(plain.headers.get('content-encoding')).toBeNull();
    const brBytes = Buffer.from(await br.arrayBuffer());
    const gzBytes = Buffer.from(await gz.arrayBuffer());
    const plainBytes = Buffer.from(await plain.arrayBuffer());
    expect(brBytes.length).toBeLessThanOrEqual(40 * 1024);
    expect(Number(br.headers.get('content-length'))).toBe(brBytes.length);
    expect(brotliDecompressSync(brBytes)).toEqual(plainBytes);
    expect(gunzipSync(gzBytes)).toEqual(plainBytes);
    for (const res of [br, gz, plain]) expect(res.headers.get('vary')).toBe('Accept-Encoding');
    console.log(
      `[${engine}] quarters: ${plainBytes.length} B JSON, ${gzBytes.length} B gzip, ${brBytes.length} B brotli`,
    );
  });

  it('answers a repeated request with its ETag with 304, from memory: the builder ran once', async () => {
    let builds = 0;
    const counting = (d: Db, level: AreaLevel) => {
      builds++;
      return buildAreaCollection(d, level);
    };
    const own = new Hono().route('/api/areas', areaRoutes({ db }, counting));
    // Requests that arrive while the build runs share it.
    const first = await Promise.all([1, 2, 3].map(() => own.request('/api/areas?level=district')));
    expect(builds).toBe(1);
    for (const res of first) expect(res.status).toBe(200);
    const etag = first[0]?.headers.get('etag');
    expect(etag).toMatch(/^"\d+-[0-9a-f]{12}-[0-9a-f]{16}"$/);
    expect(first[0]?.headers.get('cache-control')).toMatch(/max-age=\d+/);

    const again = await own.request('/api/areas?level=district', { headers: { 'if-none-match': etag ?? '' } });
    expect(again.status).toBe(304);
    expect(await again.text()).toBe('');
    expect(again.headers.get('etag')).toBe(etag);
    // The brotli form's tag and a weak form of the tag validate as well.
    const br = await own.request('/api/areas?level=district', { headers: { 'accept-encoding': 'br' } });
    const brTag = br.headers.get('etag') ?? '';
    expect(brTag).toBe(`${etag?.slice(0, -1)}-br"`);
    for (const tag of [brTag, `W/${etag}`, `"other", ${etag}`]) {
      const res = await own.request('/api/areas?level=district', { headers: { 'if-none-match': tag } });
      expect(res.status).toBe(304);
    }
    const stale = await own.request('/api/areas?level=district', {
      headers: { 'if-none-match': '"1-000000000000-0000000000000000"' },
    });
    expect(stale.status).toBe(200);
    expect(builds).toBe(1);
    // Another level is another body.
    await own.request('/api/areas?level=action-area');
    expect(builds).toBe(2);
  });

  it('answers district, quarter and action-area details with parent, children, neighbours and action areas', async () => {
    const [district] = await db.query<{ code: string }>(
      "SELECT parent_code AS code FROM atlas.area WHERE level = 'quarter' GROUP BY parent_code ORDER BY count(*) DESC, 1 LIMIT 1",
    );
    const res = await app.request(`/api/areas/district/${district?.code}`);
    expect(res.status).toBe(200);
    const d = AreaDetail.parse(await res.json());
    const quarters = await db.query<{ code: string }>(
      "SELECT code FROM atlas.area WHERE level = 'quarter' AND parent_code = $1 ORDER BY code",
      [district?.code],
    );
    expect(d.parent).toBeNull();
    expect(d.children.map((c) => c.code)).toEqual(quarters.map((q) => q.code));
    expect(d.neighbours.length).toBeGreaterThan(0);

    // Every quarter: its district, its sub-quarters, and neighbours that list it back.
    const quarter = quarters[0]?.code;
    const q = AreaDetail.parse(await (await app.request(`/api/areas/quarter/${quarter}`)).json());
    expect(q.parent).toEqual({ level: 'district', code: district?.code, name: d.name });
    const subs = await db.query<{ code: string }>(
      "SELECT code FROM atlas.area WHERE level = 'subquarter' AND parent_code = $1 ORDER BY code",
      [quarter],
    );
    expect(q.children.map((c) => c.code)).toEqual(subs.map((s) => s.code));
    for (const n of q.neighbours) {
      const other = AreaDetail.parse(await (await app.request(`/api/areas/quarter/${n.code}`)).json());
      expect(other.neighbours.map((x) => x.code)).toContain(quarter);
    }
    expect(q.bbox[0]).toBeLessThan(q.bbox[2]);
    expect(q.label[0]).toBeGreaterThanOrEqual(q.bbox[0]);
  });

  it('gives an action area its members and a quarter its action areas with address shares', async () => {
    const [member] = await db.query<{ action_area_code: string; member_code: string; address_share: number }>(
      `SELECT action_area_code, member_code, address_share FROM atlas.area_member
       WHERE member_level = 'quarter' AND address_share < 1 ORDER BY address_share DESC LIMIT 1`,
    );
    const aa = AreaDetail.parse(await (await app.request(`/api/areas/action-area/${member?.action_area_code}`)).json());
    expect(aa.parent?.level).toBe('district');
    const expected = await db.query<{ member_level: string; member_code: string }>(
      `SELECT member_level, member_code FROM atlas.area_member
       WHERE action_area_code = $1 AND (member_level = 'quarter' OR address_share > 0.5) ORDER BY 1, 2`,
      [member?.action_area_code],
    );
    expect(aa.children.map((c) => [c.level, c.code])).toEqual(expected.map((e) => [e.member_level, e.member_code]));
    expect(aa.children.find((c) => c.code === member?.member_code)?.address_share).toBeCloseTo(
      member?.address_share ?? Number.NaN,
      3,
    );

    const q = AreaDetail.parse(await (await app.request(`/api/areas/quarter/${member?.member_code}`)).json());
    const share = q.action_areas.find((a) => a.code === member?.action_area_code)?.address_share;
    expect(share).toBeCloseTo(member?.address_share ?? Number.NaN, 3);
    expect(q.action_areas.reduce((sum, a) => sum + a.address_share, 0)).toBeLessThanOrEqual(1.0001);
  });

  it.each([
    ['/api/areas', 'level'],
    ['/api/areas?level=Quarter', 'level'],
    ['/api/areas?level=quarter&level=district', 'level'],
    ["/api/areas?level='%3B%20DROP%20TABLE%20x%3B--", 'level'],
    ['/api/areas?level=quarter&levle=district', 'levle'],
    ['/api/areas/quartier/050', 'level'],
    ["/api/areas/quarter/'%3B%20DROP%20TABLE%20x%3B--", 'code'],
    [`/api/areas/quarter/${'9'.repeat(41)}`, 'code'],
  ])('answers %s with 400 naming %s', async (path, param) => {
    const res = await app.request(path);
    expect(res.status).toBe(400);
    expect(res.headers.get('content-type')).toBe('application/problem+json');
    expect(await res.json()).toMatchObject({ status: 400, param });
  });

  it('answers an unknown code with 404 problem+json', async () => {
    const res = await app.request('/api/areas/quarter/999');
    expect(res.status).toBe(404);
    expect(res.headers.get('content-type')).toBe('application/problem+json');
  });
});

describe.each(engines)('the areas cache follows the data version on %s', (engine) => {
  let db: Awaited<ReturnType<typeof freshDb>>;
  beforeAll(async () => {
    db = await freshDb(engine);
  });
  afterAll(async () => {
    await db?.drop();
  });

  it('answers 503 before any import, then builds again after each import', async () => {
    let builds = 0;
    const counting = (d: Db, level: AreaLevel) => {
      builds++;
      return buildAreaCollection(d, level);
    };
    const own = new Hono().route('/api/areas', areaRoutes({ db }, counting));
    const app = createApp({ db, env: readEnv({}) });
    const empty = await app.request('/api/areas?level=quarter');
    expect(empty.status).toBe(503);
    expect(empty.headers.get('content-type')).toBe('application/problem+json');
    expect((await own.request('/api/areas?level=quarter')).status).toBe(503);
    expect(builds).toBe(0);

    const quiet = () => {};
    await runImport(db, { dir: MINI, log: quiet });
    invalidateDataVersion(db); // the import hook
    const first = await own.request('/api/areas?level=quarter');
    expect(first.status).toBe(200);
    const body = AreaCollection.parse(await first.json());
    expect(body.features.length).toBeGreaterThan(0);
    const etag = first.headers.get('etag') ?? '';
    expect(builds).toBe(1);

    // A new import without the hook is noticed once the version was last read VERSION_TTL_MS ago.
    await runImport(db, { dir: MINI, log: quiet, force: true });
    await new Promise((done) => setTimeout(done, VERSION_TTL_MS + 50));
    const second = await own.request('/api/areas?level=quarter', { headers: { 'if-none-match': etag } });
    expect(second.status).toBe(200);
    expect(second.headers.get('etag')).not.toBe(etag);
    expect(builds).toBe(2);
    const again = await own.request('/api/areas?level=quarter', {
      headers: { 'if-none-match': second.headers.get('etag') ?? '' },
    });
    expect(again.status).toBe(304);
    expect(builds).toBe(2);
  });
});
