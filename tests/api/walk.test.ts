import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runImport } from '../../geodata/import.ts';
import { createApp } from '../../server/app.ts';
import type { Db } from '../../server/db/index.ts';
import { inMultiPolygon } from '../../server/domain/walk/isochrone.ts';
import { SNAP_FLAG_M } from '../../server/domain/walk/snap.ts';
import { metresIn, minutesFor } from '../../server/domain/walk/speed.ts';
import { readEnv } from '../../server/env.ts';
import { NearestCollection } from '../../server/routes/offers.ts';
import { IsochroneCollection, RouteFeature } from '../../server/routes/walk.ts';
import { engines, freshDb, packageEngines, realDb } from '../support/db.ts';

const MINI = join(import.meta.dirname, '../fixtures/mini-city');

describe.each(packageEngines)('walking on the real package (%s)', (engine) => {
  let db: Db;
  let app: ReturnType<typeof createApp>;
  /** Points to ask from: the label points of every eighth quarter (inside the city, near addresses). */
  let points: [number, number][] = [];

  beforeAll(async () => {
    db = await realDb(engine);
    app = createApp({ db, env: readEnv({}) });
    points = (
      await db.query<{ lon: number; lat: number }>(
        `SELECT ST_X(label_point) AS lon, ST_Y(label_point) AS lat FROM atlas.area
         WHERE level = 'quarter' ORDER BY code`,
      )
    )
      .filter((_, i) => i % 8 === 0)
      .map((p) => [p.lon, p.lat]);
  });
  afterAll(async () => {
    await db?.close();
  });

  const getJson = async (path: string) => {
    const res = await app.request(path);
    expect(res.status, `${path}: ${res.status} ${res.status === 200 ? '' : await res.clone().text()}`).toBe(200);
    return res.json();
  };

  it('stores the graph with its report, its components and every address and offer snapped', async () => {
    const [g] = await db.query<{
      nodes: number;
      edges: number;
      components: number;
      largest_component: number;
      addresses_flagged: number;
      offers_flagged: number;
    }>('SELECT nodes, edges, components, largest_component, addresses_flagged, offers_flagged FROM atlas.walk_graph');
    const [n] = await db.query<Record<string, number>>(`
      SELECT (SELECT count(*)::int FROM atlas.walk_node) AS nodes, (SELECT count(*)::int FROM atlas.walk_edge) AS edges,
             (SELECT count(DISTINCT component)::int FROM atlas.walk_node) AS components,
             (SELECT count(*)::int FROM atlas.walk_node WHERE component = 0) AS largest,
             (SELECT count(*)::int FROM atlas.address) AS addresses, (SELECT count(*)::int FROM atlas.offer) AS offers,
             (SELECT count(*)::int FROM atlas.walk_snap WHERE kind = 'address') AS snapped_addresses,
             (SELECT count(*)::int FROM atlas.walk_snap WHERE kind = 'offer') AS snapped_offers,
             (SELECT count(*)::int FROM atlas.walk_snap WHERE kind = 'address' AND flagged) AS flagged_addresses,
             (SELECT count(*)::int FROM atlas.walk_snap WHERE flagged <> (snap_m IS NULL OR snap_m > ${SNAP_FLAG_M})) AS wrong_flags`);
    expect(g).toBeDefined();
    expect(n?.nodes).toBe(g?.nodes);
    expect(n?.edges).toBe(g?.edges);
    expect(n?.components).toBe(g?.components);
    expect(n?.largest).toBe(g?.largest_component);
    expect(g?.largest_component).toBeGreaterThan((g?.nodes ?? 0) / 2);
    expect(n?.snapped_addresses).toBe(n?.addresses);
    expect(n?.snapped_offers).toBe(n?.offers);
    expect(n?.flagged_addresses).toBe(g?.addresses_flagged);
    expect(n?.wrong_flags).toBe(0);
  });

  it('answers nearest offers with walk_m ≥ distance_m for every answer, and ranks by walk when asked', async () => {
    let answers = 0;
    for (const [lon, lat] of points)
      for (const category of ['childcare', 'school']) {
        const base = `/api/offers/nearest?lon=${lon}&lat=${lat}&category=${category}&k=10`;
        const byDistance = NearestCollection.parse(await getJson(base));
        const byWalk = NearestCollection.parse(await getJson(`${base}&order=walk`));
        expect(byDistance.meta.order.used).toBe('distance');
        expect(byWalk.meta.order.used).toBe('walk');
        expect(byWalk.meta.walking.method).toBe('network');
        for (const body of [byDistance, byWalk])
          for (const f of body.features) {
            answers++;
            const p = f.properties;
            expect(p.walk_m, `${f.id} from ${lon},${lat}`).not.toBeNull();
            expect(p.walk_m as number).toBeGreaterThanOrEqual(p.distance_m);
            expect(p.walk_minutes).toBe(minutesFor(p.walk_m as number));
          }
        const walks = byWalk.features.map((f) => f.properties.walk_m as number);
        expect(walks).toEqual([...walks].sort((a, b) => a - b));
        const distances = byDistance.features.map((f) => f.properties.distance_m);
        expect(distances).toEqual([...distances].sort((a, b) => a - b));
        // The same offer has the same walk in both answers.
        for (const f of byWalk.features) {
          const twin = byDistance.features.find((d) => d.id === f.id);
          if (twin) expect(twin.properties.walk_m).toBe(f.properties.walk_m);
        }
        // The nearest on foot is never farther on foot than the nearest in a straight line.
        if (byDistance.features[0] && byWalk.features[0])
          expect(byWalk.features[0].properties.walk_m as number).toBeLessThanOrEqual(
            byDistance.features[0].properties.walk_m as number,
          );
      }
    expect(answers).toBeGreaterThan(points.length * 2 * 10);
  });

  it('draws isochrone bands nested 5 ⊂ 10 ⊂ 15, each holding its start, and counts what the nearest offers say is inside', async () => {
    for (const [lon, lat] of points.slice(0, 4)) {
      const body = IsochroneCollection.parse(await getJson(`/api/isochrones?lon=${lon}&lat=${lat}&minutes=5,10,15`));
      expect(body.features.map((f) => f.properties.minutes)).toEqual([5, 10, 15]);
      const [b5, b10, b15] = body.features as [
        (typeof body.features)[0],
        (typeof body.features)[0],
        (typeof body.features)[0],
      ];
      for (const b of [b5, b10, b15]) {
        expect(b.properties.metres).toBe(metresIn(b.properties.minutes));
        expect(
          inMultiPolygon(lon, lat, b.geometry.coordinates),
          `start in the ${b.properties.minutes}-minute band`,
        ).toBe(true);
        for (const polygon of b.geometry.coordinates) for (const ring of polygon) expect(ring[0]).toEqual(ring.at(-1));
      }
      for (const [inner, outer] of [
        [b5, b10],
        [b10, b15],
      ] as const) {
        expect(outer.properties.addresses).toBeGreaterThanOrEqual(inner.properties.addresses);
        expect(outer.properties.residents).toBeGreaterThanOrEqual(inner.properties.residents);
        for (const [c, n] of Object.entries(inner.properties.offers))
          expect(outer.properties.offers[c]).toBeGreaterThanOrEqual(n);
        // Every point of a grid over the inner band that lies inside it lies inside the outer one.
        const xs = inner.geometry.coordinates.flat(2).map((p) => p[0]);
        const ys = inner.geometry.coordinates.flat(2).map((p) => p[1]);
        const [x0, x1, y0, y1] = [Math.min(...xs), Math.max(...xs), Math.min(...ys), Math.max(...ys)];
        let inside = 0;
        for (let i = 0.5; i < 30; i++)
          for (let j = 0.5; j < 30; j++) {
            const x = x0 + ((x1 - x0) * i) / 30;
            const y = y0 + ((y1 - y0) * j) / 30;
            if (!inMultiPolygon(x, y, inner.geometry.coordinates)) continue;
            inside++;
            expect(inMultiPolygon(x, y, outer.geometry.coordinates), `${x},${y}`).toBe(true);
          }
        expect(inside).toBeGreaterThan(0);
      }
      // Childcare within 15 minutes: as many as the nearest Kitas on foot with a walk of at most 1,200 m.
      const kitas = NearestCollection.parse(
        await getJson(`/api/offers/nearest?lon=${lon}&lat=${lat}&category=childcare&k=50&order=walk`),
      );
      if (kitas.meta.order.exact) {
        const within = kitas.features.filter((f) => (f.properties.walk_m as number) <= metresIn(15)).length;
        // walk_m is rounded to whole metres; the band counts the exact walk.
        const edge = kitas.features.filter((f) => Math.abs((f.properties.walk_m as number) - metresIn(15)) <= 1).length;
        expect(Math.abs((b15.properties.offers.childcare ?? 0) - within)).toBeLessThanOrEqual(edge);
      }
    }
  });

  it('routes to an offer along the network, as long as the nearest answer says', async () => {
    const [lon, lat] = points[0] as [number, number];
    const nearest = NearestCollection.parse(
      await getJson(`/api/offers/nearest?lon=${lon}&lat=${lat}&category=school&k=1&order=walk`),
    );
    const offer = nearest.features[0];
    expect(offer).toBeDefined();
    const route = RouteFeature.parse(await getJson(`/api/walk/route?lon=${lon}&lat=${lat}&to=${offer?.id}`));
    expect(route.properties.walk_m).toBe(offer?.properties.walk_m);
    expect(route.geometry.coordinates.length).toBeGreaterThan(3);
    expect(route.geometry.coordinates[0]).toEqual([Math.round(lon * 1e6) / 1e6, Math.round(lat * 1e6) / 1e6]);
    const end = route.geometry.coordinates.at(-1) as [number, number];
    expect(end[0]).toBeCloseTo(offer?.geometry.coordinates[0] as number, 4);
    expect(end[1]).toBeCloseTo(offer?.geometry.coordinates[1] as number, 4);
  });

  it('names the parameter of a bad request', async () => {
    const [lon, lat] = points[0] as [number, number];
    for (const [path, param] of [
      [`/api/isochrones?lon=${lon}&lat=${lat}&minutes=0`, 'minutes'],
      [`/api/isochrones?lon=${lon}&lat=${lat}&minutes=5,10,15,20,25,30`, 'minutes'],
      [`/api/isochrones?lon=${lon}&lat=${lat}&minutes=abc`, 'minutes'],
      ['/api/isochrones?lon=7.0&lat=51.0', 'lon'],
      [`/api/offers/nearest?lon=${lon}&lat=${lat}&order=fastest`, 'order'],
    ] as const) {
      const res = await app.request(path);
      expect(res.status, path).toBe(400);
      expect(res.headers.get('content-type')).toContain('application/problem+json');
      expect(JSON.stringify(await res.json()), path).toContain(param);
    }
    const missing = await app.request(`/api/walk/route?lon=${lon}&lat=${lat}&to=no-such-offer`);
    expect(missing.status).toBe(404);
  });
});

describe.each(engines)('walking without a network: the mini city has no basemap tiles (%s)', (engine) => {
  let db: Awaited<ReturnType<typeof freshDb>>;
  let dir: string;
  let app: ReturnType<typeof createApp>;
  beforeAll(async () => {
    db = await freshDb(engine);
    dir = mkdtempSync(join(tmpdir(), 'mini-city-walk-'));
    cpSync(MINI, dir, { recursive: true });
    await runImport(db, { dir, log: () => {} });
    app = createApp({ db, env: readEnv({}) });
  });
  afterAll(async () => {
    await db?.drop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('says it estimates walks from the straight line, answers no isochrone, and adds no walking indicator', async () => {
    const [p] = await db.query<{ lon: number; lat: number }>(
      'SELECT ST_X(geom) AS lon, ST_Y(geom) AS lat FROM atlas.address ORDER BY id LIMIT 1',
    );
    const res = await app.request(`/api/offers/nearest?lon=${p?.lon}&lat=${p?.lat}&k=3&order=walk`);
    expect(res.status).toBe(200);
    const body = NearestCollection.parse(await res.json());
    expect(body.meta.walking.method).toBe('estimate');
    expect(body.meta.order.used).toBe('distance');
    for (const f of body.features) expect(f.properties.walk_m).toBeNull();
    const iso = await app.request(`/api/isochrones?lon=${p?.lon}&lat=${p?.lat}`);
    expect(iso.status).toBe(404);
    expect((await db.query("SELECT id FROM atlas.indicator WHERE id LIKE '%walk%'")).length).toBe(0);
  });
});
