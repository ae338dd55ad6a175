import { describe, expect, it } from 'vitest';
import { clusterBounds, clusterPoints, project } from './cluster.ts';

const point = (id: number, lon: number, lat: number) => ({ id, lon, lat });

describe('clusterPoints', () => {
  const points = [point(1, 7.46, 51.51), point(2, 7.4601, 51.5101), point(3, 7.47, 51.52), point(4, 7.3, 51.45)];

  it('keeps every point exactly once', () => {
    for (const zoom of [8, 10, 12, 14, 16]) {
      const ids = clusterPoints(points, zoom).flatMap((c) => c.members.map((m) => m.id));
      expect(ids.sort()).toEqual([1, 2, 3, 4]);
    }
  });

  it('merges close points when zoomed out and separates them when zoomed in', () => {
    expect(clusterPoints(points, 8)).toHaveLength(2);
    expect(clusterPoints(points, 18)).toHaveLength(4);
  });

  it('puts a cluster at the mean of its members', () => {
    const [first] = clusterPoints(points.slice(0, 2), 10);
    expect(first?.members).toHaveLength(2);
    expect(first?.lon).toBeCloseTo(7.46005, 6);
    expect(first?.lat).toBeCloseTo(51.51005, 6);
  });

  it('never merges points further apart than the radius', () => {
    const zoom = 12;
    for (const c of clusterPoints(points, zoom, 40)) {
      const [x0, y0] = project(c.members[0]?.lon ?? 0, c.members[0]?.lat ?? 0, zoom);
      for (const m of c.members) {
        const [x, y] = project(m.lon, m.lat, zoom);
        expect(Math.hypot(x - x0, y - y0)).toBeLessThanOrEqual(40);
      }
    }
  });

  it('is stable: the same input gives the same clusters', () => {
    expect(clusterPoints(points, 11)).toEqual(clusterPoints(points, 11.7));
  });
});

describe('clusterBounds', () => {
  it('spans the members', () => {
    expect(clusterBounds([point(1, 7, 51), point(2, 8, 52)])).toEqual([7, 51, 8, 52]);
  });
});
