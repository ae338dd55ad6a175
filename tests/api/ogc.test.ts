import { cpSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runImport } from '../../geodata/import.ts';
import { createApp } from '../../server/app.ts';
import { createToken } from '../../server/db/queries/tokens.ts';
import { readEnv } from '../../server/env.ts';
import { engines, freshDb } from '../support/db.ts';

/**
 * /ogc (OGC API – Features, issue #17) on the mini-city fixture, both engines: every route in JSON and HTML, paging
 * to the end by next links, bbox in CRS84, EPSG:4326 and EPSG:25832 against PostGIS's own intersection, the CRS of
 * the answer, property filters and errors. Expected values come from the database, never from literals.
 */

const MINI = join(import.meta.dirname, '../fixtures/mini-city');
const CRS84 = 'http://www.opengis.net/def/crs/OGC/1.3/CRS84';
const EPSG4326 = 'http://www.opengis.net/def/crs/EPSG/0/4326';
const EPSG25832 = 'http://www.opengis.net/def/crs/EPSG/0/25832';

interface Link {
  href: string;
  rel: string;
  type?: string;
}
interface Feature {
  id: string;
  geometry: { type: string; coordinates: unknown } | null;
  properties: Record<string, unknown>;
}
interface Items {
  type: string;
  numberMatched: number;
  numberReturned: number;
  features: Feature[];
  links: Link[];
}

/** The first position of a geometry's coordinates. */
function firstPosition(c: unknown): number[] {
  let x = c;
  while (Array.isArray(x) && Array.isArray(x[0])) x = x[0];
  return x as number[];
}

describe.each(engines)('/ogc on the mini-city fixture (%s)', (engine) => {
  let db: Awaited<ReturnType<typeof freshDb>>;
  let dir: string;
  let app: ReturnType<typeof createApp>;
  const get = async (path: string, headers: Record<string, string> = {}) => {
    const res = await app.request(`http://atlas.test${path}`, { headers });
    return res;
  };
  const json = async <T>(path: string): Promise<T> => {
    const res = await get(path);
    expect(res.status, `${path}: ${res.status}`).toBe(200);
    return (await res.json()) as T;
  };

  beforeAll(async () => {
    db = await freshDb(engine);
    dir = mkdtempSync(join(tmpdir(), 'mini-city-ogc-'));
    cpSync(MINI, dir, { recursive: true });
    await runImport(db, { dir, log: () => {} });
    app = createApp({ db, env: readEnv({}) });
  });
  afterAll(async () => {
    await db?.drop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('answers the landing page, conformance and the OpenAPI 3.0 definition, in JSON and HTML', async () => {
    const landing = await json<{ title: string; links: Link[] }>('/ogc');
    const rels = landing.links.map((l) => l.rel);
    for (const rel of ['self', 'alternate', 'service-desc', 'conformance', 'data']) expect(rels).toContain(rel);
    for (const l of landing.links) expect(l.href.startsWith('http://atlas.test/ogc')).toBe(true);

    const conf = await json<{ conformsTo: string[] }>('/ogc/conformance');
    for (const cls of ['core', 'geojson', 'html', 'oas30'])
      expect(conf.conformsTo).toContain(`http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/${cls}`);
    expect(conf.conformsTo).toContain('http://www.opengis.net/spec/ogcapi-features-2/1.0/conf/crs');

    const api = await get('/ogc/api');
    expect(api.status).toBe(200);
    expect(api.headers.get('content-type')).toContain('application/vnd.oai.openapi+json');
    const doc = (await api.json()) as { openapi: string; paths: Record<string, unknown> };
    expect(doc.openapi).toMatch(/^3\.0\./);
    expect(Object.keys(doc.paths)).toContain('/ogc/collections/{collectionId}/items');

    // HTML by f=html and by the Accept header a browser sends; JSON by f=json whatever Accept says.
    for (const [path, headers] of [
      ['/ogc?f=html', {}],
      ['/ogc', { accept: 'text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8' }],
    ] as const) {
      const res = await get(path, headers);
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toContain('text/html');
      expect(await res.text()).toContain('<h1>Quartiersatlas Musterstadt</h1>');
    }
    const forced = await get('/ogc/conformance?f=json', { accept: 'text/html' });
    expect(forced.headers.get('content-type')).toContain('application/json');
    expect((await get('/ogc/conformance?f=html')).status).toBe(200);
    expect((await get('/ogc?f=xml')).status).toBe(400);
  });

  it('lists the area levels, the offers and one collection per indicator and level, with unit and source', async () => {
    const body = await json<{
      collections: {
        id: string;
        crs: string[];
        limits: { default: number; maximum: number };
        properties: { name: string; unit?: string; sources?: string[] }[];
        sources: { id: string; licence: string }[];
        links: Link[];
      }[];
    }>('/ogc/collections');
    const ids = body.collections.map((c) => c.id);
    expect(ids.slice(0, 4)).toEqual(['districts', 'quarters', 'action-areas', 'offers']);
    const pairs = await db.query<{ indicator_id: string; level: string }>(
      `SELECT DISTINCT indicator_id, level FROM atlas.indicator_value WHERE level <> 'city'`,
    );
    const plural = { district: 'districts', quarter: 'quarters', 'action-area': 'action-areas' } as const;
    expect(ids.length - 4).toBe(pairs.length);
    for (const p of pairs) expect(ids).toContain(`${plural[p.level as keyof typeof plural]}.${p.indicator_id}`);

    const quarters = body.collections.find((c) => c.id === 'quarters');
    expect(quarters?.crs).toEqual([CRS84, EPSG4326, EPSG25832]);
    expect(quarters?.limits.maximum).toBeGreaterThanOrEqual(quarters?.limits.default ?? Infinity);
    const [ind] = await db.query<{ id: string; unit: string; source_ids: string[] }>(
      `SELECT i.id, i.unit, i.source_ids FROM atlas.indicator i
       WHERE EXISTS (SELECT 1 FROM atlas.indicator_value v WHERE v.indicator_id = i.id AND v.level = 'quarter')
       ORDER BY i.sort, i.id LIMIT 1`,
    );
    const prop = quarters?.properties.find((p) => p.name === ind?.id);
    expect(prop?.unit).toBe(ind?.unit);
    expect(prop?.sources).toEqual(ind?.source_ids);
    for (const s of ind?.source_ids ?? []) expect(quarters?.sources.map((x) => x.id)).toContain(s);

    const one = await json<{ id: string; links: Link[] }>('/ogc/collections/quarters');
    expect(one.id).toBe('quarters');
    expect(one.links.some((l) => l.rel === 'items' && l.type === 'application/geo+json')).toBe(true);
    const html = await get('/ogc/collections/quarters?f=html');
    expect(await html.text()).toContain(`<code>${ind?.id}</code>`);
    expect((await get('/ogc/collections/nowhere')).status).toBe(404);

    const queryables = await json<{ properties: Record<string, unknown> }>('/ogc/collections/offers/queryables');
    expect(Object.keys(queryables.properties)).toContain('category');
  });

  it('serves every quarter with the newest values of its indicators, in CRS84 by default', async () => {
    const res = await get('/ogc/collections/quarters/items');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('application/geo+json');
    expect(res.headers.get('content-crs')).toBe(`<${CRS84}>`);
    const body = (await res.json()) as Items;
    const areas = await db.query<{ code: string; lon: number; lat: number }>(
      `SELECT code, ST_X(ST_PointN(ST_ExteriorRing(ST_GeometryN(geom, 1)), 1)) AS lon,
              ST_Y(ST_PointN(ST_ExteriorRing(ST_GeometryN(geom, 1)), 1)) AS lat
       FROM atlas.area WHERE level = 'quarter' ORDER BY code`,
    );
    expect(body.numberMatched).toBe(areas.length);
    expect(body.features.map((f) => f.id)).toEqual(areas.map((a) => a.code));
    const first = areas[0] as (typeof areas)[number];
    const [x, y] = firstPosition(body.features[0]?.geometry?.coordinates);
    expect(x).toBeCloseTo(first.lon, 7);
    expect(y).toBeCloseTo(first.lat, 7);
    // The values are the catalogue's newest (the values route's own, privacy rule applied), by indicator id.
    const [ind] = await db.query<{ id: string }>(
      `SELECT DISTINCT indicator_id AS id FROM atlas.indicator_value
       WHERE level = 'quarter' AND is_latest AND value IS NOT NULL ORDER BY 1 LIMIT 1`,
    );
    const values = await json<{ values: { code: string; value: number | null; reference_date: string | null }[] }>(
      `/api/indicators/${ind?.id}/values?level=quarter`,
    );
    for (const v of values.values) {
      const f = body.features.find((g) => g.id === v.code);
      expect(f?.properties[ind?.id as string]).toBe(v.value);
      if (v.value !== null) expect(f?.properties[`${ind?.id}__date`]).toBe(v.reference_date);
    }
    // EPSG:4326 writes latitude first; EPSG:25832 metres, as PostGIS transforms them.
    const latLon = await json<Items>(`/ogc/collections/quarters/items?crs=${encodeURIComponent(EPSG4326)}`);
    expect(firstPosition(latLon.features[0]?.geometry?.coordinates)).toEqual([y, x]);
    const utm = await get(`/ogc/collections/quarters/items?crs=${encodeURIComponent(EPSG25832)}`);
    expect(utm.headers.get('content-crs')).toBe(`<${EPSG25832}>`);
    const [e, n] = firstPosition(((await utm.json()) as Items).features[0]?.geometry?.coordinates);
    const [expected] = await db.query<{ e: number; n: number }>(
      'SELECT ST_X(p) AS e, ST_Y(p) AS n FROM (SELECT ST_Transform(ST_SetSRID(ST_MakePoint($1, $2), 4326), 25832) AS p) t',
      [first.lon, first.lat],
    );
    expect(Math.abs((e as number) - (expected?.e as number))).toBeLessThan(0.001);
    expect(Math.abs((n as number) - (expected?.n as number))).toBeLessThan(0.001);
    expect(String(e).split('.')[1]?.length ?? 0).toBeLessThanOrEqual(3);

    const bare = await json<Items>('/ogc/collections/quarters/items?geometry=false');
    expect(bare.features.every((f) => f.geometry === null)).toBe(true);
    const item = await get(`/ogc/collections/quarters/items/${first.code}`);
    expect(item.status).toBe(200);
    expect(((await item.json()) as Feature).id).toBe(first.code);
    expect(await (await get(`/ogc/collections/quarters/items/${first.code}?f=html`)).text()).toContain(first.code);
    expect((await get('/ogc/collections/quarters/items/nope')).status).toBe(404);
  });

  it('pages to the end by next links, numberReturned adding up to numberMatched', async () => {
    const [{ n } = { n: 0 }] = await db.query<{ n: number }>('SELECT count(*)::int AS n FROM atlas.offer');
    expect(n).toBeGreaterThan(2);
    let url: string | undefined = '/ogc/collections/offers/items?limit=2&geometry=false';
    const seen: string[] = [];
    let pages = 0;
    while (url) {
      const body: Items = await json<Items>(url.replace('http://atlas.test', ''));
      expect(body.numberMatched).toBe(n);
      expect(body.numberReturned).toBe(body.features.length);
      seen.push(...body.features.map((f) => f.id));
      url = body.links.find((l) => l.rel === 'next')?.href;
      if (url) expect(url).toContain('limit=2');
      pages++;
      expect(pages).toBeLessThanOrEqual(n);
    }
    expect(pages).toBe(Math.ceil(n / 2));
    const ids = await db.query<{ id: string }>('SELECT id FROM atlas.offer ORDER BY id');
    expect(seen).toEqual(ids.map((r) => r.id));
    const last = await json<Items>(`/ogc/collections/offers/items?limit=2&offset=${n}`);
    expect(last.numberReturned).toBe(0);
    expect(last.links.some((l) => l.rel === 'prev')).toBe(true);
  });

  it('selects by bbox in CRS84, EPSG:4326 and EPSG:25832 as PostGIS intersects, and by queryables', async () => {
    const [box] = await db.query<{
      x0: number;
      y0: number;
      x1: number;
      y1: number;
      e0: number;
      n0: number;
      e1: number;
      n1: number;
    }>(
      `SELECT ST_XMin(b) AS x0, ST_YMin(b) AS y0, ST_XMax(b) AS x1, ST_YMax(b) AS y1,
              ST_XMin(u) AS e0, ST_YMin(u) AS n0, ST_XMax(u) AS e1, ST_YMax(u) AS n1
       FROM (SELECT ST_Expand(ST_PointOnSurface(geom), 0.0005) AS b,
                    ST_Expand(ST_Transform(ST_PointOnSurface(geom), 25832), 50) AS u
             FROM atlas.area WHERE level = 'quarter' ORDER BY code LIMIT 1) t`,
    );
    if (!box) throw new Error('no quarter');
    const expected = async (srid: number, b: number[]) =>
      (
        await db.query<{ code: string }>(
          `SELECT code FROM atlas.area WHERE level = 'quarter'
           AND ST_Intersects(geom, ST_Transform(ST_MakeEnvelope($1, $2, $3, $4, $5::int), 4326)) ORDER BY code`,
          [...b, srid],
        )
      ).map((r) => r.code);
    const ids = async (query: string) =>
      (await json<Items>(`/ogc/collections/quarters/items?geometry=false&${query}`)).features.map((f) => f.id);

    const lonLat = [box.x0, box.y0, box.x1, box.y1];
    const want = await expected(4326, lonLat);
    expect(want.length).toBeGreaterThan(0);
    expect(await ids(`bbox=${lonLat.join(',')}`)).toEqual(want);
    expect(
      await ids(`bbox=${[box.y0, box.x0, box.y1, box.x1].join(',')}&bbox-crs=${encodeURIComponent(EPSG4326)}`),
    ).toEqual(want);
    const metres = [box.e0, box.n0, box.e1, box.n1];
    const wantUtm = await expected(25832, metres);
    expect(wantUtm.length).toBeGreaterThan(0);
    expect(await ids(`bbox=${metres.join(',')}&bbox-crs=${encodeURIComponent(EPSG25832)}`)).toEqual(wantUtm);
    // Far away: nothing.
    expect(await ids('bbox=0,0,0.1,0.1')).toEqual([]);

    const [cat] = await db.query<{ category: string; n: number }>(
      'SELECT category, count(*)::int AS n FROM atlas.offer GROUP BY category ORDER BY category LIMIT 1',
    );
    const offers = await json<Items>(`/ogc/collections/offers/items?category=${cat?.category}`);
    expect(offers.numberMatched).toBe(cat?.n);
    expect(offers.features.every((f) => f.properties.category === cat?.category)).toBe(true);
  });

  it('filters an indicator collection by datetime and names wrong parameters', async () => {
    const [row] = await db.query<{ indicator_id: string; reference_date: string; n: number }>(
      `SELECT indicator_id, reference_date, count(*)::int AS n FROM atlas.indicator_value
       WHERE level = 'quarter' AND is_latest AND reference_date ~ '^\\d{4}-\\d{2}-\\d{2}$'
       GROUP BY indicator_id, reference_date ORDER BY indicator_id LIMIT 1`,
    );
    if (row) {
      const body = await json<Items>(
        `/ogc/collections/quarters.${row.indicator_id}/items?datetime=${row.reference_date}&geometry=false`,
      );
      expect(body.features.length).toBeGreaterThan(0);
      expect(body.features.every((f) => f.properties.reference_date === row.reference_date)).toBe(true);
      const none = await json<Items>(`/ogc/collections/quarters.${row.indicator_id}/items?datetime=1900-01-01`);
      expect(none.numberMatched).toBe(0);
    }
    for (const [query, param] of [
      ['limit=0', 'limit'],
      [`limit=${10 ** 6}`, 'limit'],
      ['bbox=1,2,3', 'bbox'],
      ['crs=EPSG:3857', 'crs'],
      ['colour=red', 'colour'],
      ['datetime=yesterday', 'datetime'],
      ['bbox-crs=EPSG:25832', 'bbox-crs'],
    ]) {
      const res = await get(`/ogc/collections/quarters/items?${query}`);
      expect(res.status, query).toBe(400);
      expect(res.headers.get('content-type')).toBe('application/problem+json');
      expect(((await res.json()) as { param: string }).param).toBe(param);
    }
  });
});

describe.each(engines)('/ogc never serves an internal indicator (%s)', (engine) => {
  const TABLES = join(import.meta.dirname, '../fixtures/tables');
  let db: Awaited<ReturnType<typeof freshDb>>;
  let app: ReturnType<typeof createApp>;
  let uploads: string;

  beforeAll(async () => {
    db = await freshDb(engine);
    await runImport(db, { dir: MINI, log: () => {} });
    uploads = mkdtempSync(join(tmpdir(), 'atlas-ogc-uploads-'));
    app = createApp({ db, env: readEnv({ UPLOADS_DIR: uploads }) });
    // Issue 15's upload: the table holds a public indicator and an internal one.
    const editor = await createToken(db, 'statistikstelle', 'editor');
    const form = new FormData();
    form.set('file', new File([new Uint8Array(readFileSync(join(TABLES, 'welfare-wide.csv')))], 'welfare-wide.csv'));
    form.set('meta', readFileSync(join(TABLES, 'welfare-meta.json'), 'utf8'));
    form.set('date', '2023');
    const res = await app.request('/api/tables', {
      method: 'POST',
      body: form,
      headers: { authorization: `Bearer ${editor}` },
    });
    expect(res.status).toBe(201);
  });
  afterAll(async () => {
    await db?.drop();
    if (uploads) rmSync(uploads, { recursive: true, force: true });
  });

  it('leaves it out of every collection, item, schema, page and the OpenAPI definition; the public one is there', async () => {
    const meta = JSON.parse(readFileSync(join(TABLES, 'welfare-meta.json'), 'utf8')) as {
      indicators: Record<
        string,
        { visibility: string; title: { de: string; en: string }; source?: { url?: string; title?: string } }
      >;
    };
    const entries = Object.entries(meta.indicators);
    const internal = entries.filter(([, i]) => i.visibility === 'internal');
    const open = entries.filter(([, i]) => i.visibility !== 'internal');
    expect(internal.length).toBeGreaterThan(0);
    expect(open.length).toBeGreaterThan(0);
    const secret = internal.flatMap(([id, i]) => [
      id,
      i.title.de,
      i.title.en,
      ...(i.source?.url ? [i.source.url] : []),
    ]);

    const { collections } = (await (await app.request('/ogc/collections')).json()) as { collections: { id: string }[] };
    for (const [id] of open) expect(collections.map((c) => c.id)).toContain(`quarters.${id}`);
    const paths = ['/ogc', '/ogc/api', '/ogc/collections', '/ogc/collections?f=html'];
    for (const c of collections)
      paths.push(
        `/ogc/collections/${c.id}`,
        `/ogc/collections/${c.id}?f=html`,
        `/ogc/collections/${c.id}/schema`,
        `/ogc/collections/${c.id}/queryables`,
        `/ogc/collections/${c.id}/items?limit=1000`,
        `/ogc/collections/${c.id}/items?f=html&limit=1000`,
      );
    for (const path of paths) {
      const res = await app.request(path);
      expect(res.status, path).toBe(200);
      const text = await res.text();
      for (const word of secret) expect(text, `${path} names ${word}`).not.toContain(word);
    }
    // Its own collection answers as one that never existed.
    for (const [id] of internal) {
      const res = await app.request(`/ogc/collections/quarters.${id}/items`);
      const never = await app.request('/ogc/collections/quarters.never_uploaded/items');
      expect(res.status).toBe(404);
      expect(await res.text()).toBe((await never.text()).replaceAll('never_uploaded', id));
    }
  });
});
