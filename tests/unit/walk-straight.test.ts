import { describe, expect, it } from 'vitest';
import { metres } from '../../server/domain/walk/geo.ts';
import { nearestStraight } from '../../server/domain/walk/straight.ts';

/** A repeatable pseudo-random sequence (the test must not depend on the run). */
function random(seed: number) {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1_664_525) + 1_013_904_223) >>> 0;
    return s / 2 ** 32;
  };
}

/** The minimum over every site, measured one by one: what nearestStraight must give, to the last bit. */
function everySite(pLon: number[], pLat: number[], sLon: number[], sLat: number[]) {
  return pLon.map((lon, i) =>
    sLon.reduce((best, sl, j) => Math.min(best, metres(lon, pLat[i] as number, sl, sLat[j] as number)), Infinity),
  );
}

function cloud(next: () => number, n: number, lon0: number, lat0: number, spanDeg: number) {
  const lon = Array.from({ length: n }, () => lon0 + (next() - 0.5) * spanDeg * 1.6);
  const lat = Array.from({ length: n }, () => lat0 + (next() - 0.5) * spanDeg);
  return { lon, lat };
}

describe('nearestStraight: the straight line to the nearest site', () => {
  it('equals the minimum over every site exactly, in a city, across a wide band of latitudes and at the equator', () => {
    const next = random(14);
    for (const [lon0, lat0, span, nSites] of [
      [7.47, 51.51, 0.3, 331], // a city the size of Dortmund, as many sites as Kitas
      [7.47, 51.51, 0.3, 3], // few sites: most points far from all
      [10, 45, 20, 50], // latitudes from 35° to 55°
      [-60, 0.2, 1.5, 40], // across the equator
      [20, -70, 4, 25], // far south
    ] as const) {
      const points = cloud(next, 2_000, lon0, lat0, span);
      const sites = cloud(next, nSites, lon0, lat0, span);
      const got = nearestStraight(points.lon, points.lat, sites.lon, sites.lat);
      const want = everySite(points.lon, points.lat, sites.lon, sites.lat);
      expect([...got]).toEqual(want);
    }
  });

  it('takes the nearer of two sites at almost the same distance, a point on a site and a single site', () => {
    const sLon = [7.4, 7.4 + 1e-12, 7.5];
    const sLat = [51.5, 51.5, 51.5];
    const pLon = [7.4, 7.45, 7.40001, 7.5];
    const pLat = [51.5, 51.5, 51.50001, 51.6];
    expect([...nearestStraight(pLon, pLat, sLon, sLat)]).toEqual(everySite(pLon, pLat, sLon, sLat));
    expect(nearestStraight(pLon, pLat, sLon, sLat)[0]).toBe(0);
    expect([...nearestStraight(pLon, pLat, [7.5], [51.5])]).toEqual(everySite(pLon, pLat, [7.5], [51.5]));
  });

  it('gives Infinity where there is no site', () => {
    expect([...nearestStraight([7.4, 7.5], [51.5, 51.6], [], [])]).toEqual([Infinity, Infinity]);
  });
});
