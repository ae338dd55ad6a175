import { describe, expect, it } from 'vitest';
import { metresPerDegree } from '../../server/domain/walk/geo.ts';
import { buildGraph } from '../../server/domain/walk/graph.ts';
import { attach, nearestSite } from '../../server/domain/walk/reach.ts';
import { startsOf, walkFrom, walkTo } from '../../server/domain/walk/route.ts';
import { indexEdges, type Snap, snapPoint } from '../../server/domain/walk/snap.ts';
import type { WalkLine } from '../../server/domain/walk/tiles.ts';

// A town at 51.5° N, positions in metres east and north of its origin.
const LON0 = 7.45;
const LAT0 = 51.5;
const { mLon, mLat } = metresPerDegree(LAT0);
const at = (x: number, y: number): [number, number] => [LON0 + x / mLon, LAT0 + y / mLat];

function random(seed: number) {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1_664_525) + 1_013_904_223) >>> 0;
    return s / 2 ** 32;
  };
}

/** Streets 150 m apart, eight each way over 1,050 m, and a few diagonal paths crossing the blocks. */
function town(): WalkLine[] {
  const lines: WalkLine[] = [];
  const street = (points: [number, number][]) =>
    lines.push({ coords: points.map(([x, y]) => at(x, y)), seam: points.map(() => false), kind: 'minor' });
  const ticks = Array.from({ length: 8 }, (_, i) => i * 150);
  for (const c of ticks) {
    street(ticks.map((x) => [x, c]));
    street(ticks.map((y) => [c, y]));
  }
  street([
    [0, 0],
    [150, 150],
    [300, 300],
    [450, 450],
  ]);
  street([
    [600, 0],
    [750, 150],
    [900, 300],
  ]);
  return lines;
}

describe('nearestSite: the walk to the nearest of many sites in one search', () => {
  it('equals the shortest of the walks from each site, and stops at the limit', () => {
    const { graph } = buildGraph(town());
    const index = indexEdges(graph);
    const next = random(16);
    const snap = (): Snap => {
      const s = snapPoint(index, ...at(next() * 1_100 - 25, next() * 1_100 - 25));
      if (!s) throw new Error('a point did not snap');
      return s;
    };
    const homes = Array.from({ length: 300 }, snap);
    const sites = [...Array.from({ length: 6 }, snap), null];
    // A home on a site's own edge, to walk along it directly.
    const first = sites[0] as Snap;
    homes.push({ edge: first.edge, t: first.t < 0.5 ? first.t + 0.3 : first.t - 0.3, m: 7 });
    const attached = attach(graph, homes);
    // Walks from every site on its own, as a route is walked.
    const each = sites
      .filter((s): s is Snap => s !== null)
      .map((s) => {
        const search = walkFrom(graph, startsOf(graph, s));
        return homes.map((h) => walkTo(search, h, s));
      });
    const shortest = homes.map((_, i) => Math.min(...each.map((walks) => walks[i] as number)));
    for (const limit of [Number.POSITIVE_INFINITY, 400]) {
      const got = nearestSite(graph, sites, attached, limit);
      shortest.forEach((m, i) => {
        if (m <= limit - 1e-6) expect(got[i]).toBeCloseTo(m, 6);
        else if (m > limit + 1e-6) expect(got[i]).toBe(Number.POSITIVE_INFINITY);
      });
      if (limit === 400) {
        // The limit cuts some homes off and leaves others.
        expect(shortest.some((m) => m > 401)).toBe(true);
        expect(shortest.some((m) => m < 399)).toBe(true);
      }
    }
    // The home on the first site's edge walks along it: 0.3 of the edge plus both snap distances at most.
    const along = nearestSite(graph, sites, attached, Number.POSITIVE_INFINITY)[homes.length - 1] as number;
    expect(along).toBeLessThanOrEqual(first.m + 0.3 * (graph.len[first.edge] as number) + 7 + 1e-9);
  });

  it('gives Infinity to every home when no site is on the network', () => {
    const { graph } = buildGraph(town());
    const home = snapPoint(indexEdges(graph), ...at(10, 10));
    const got = nearestSite(graph, [null], attach(graph, [home]), Number.POSITIVE_INFINITY);
    expect([...got]).toEqual([Number.POSITIVE_INFINITY]);
  });
});
