import { describe, expect, it } from 'vitest';
import { metresPerDegree } from '../../server/domain/walk/geo.ts';
import { buildGraph } from '../../server/domain/walk/graph.ts';
import {
  cellList,
  fillCells,
  gridAt,
  hasCell,
  ISOCHRONE_BUFFER_M,
  ISOCHRONE_CELL_M,
  inMultiPolygon,
  outline,
  reachedSegments,
} from '../../server/domain/walk/isochrone.ts';
import { isochroneBands, snapStart, WARM_WALKS, type WalkNetwork, warmUp } from '../../server/domain/walk/network.ts';
import { attach } from '../../server/domain/walk/reach.ts';
import { startsOf, walkFrom } from '../../server/domain/walk/route.ts';
import { indexEdges, snapPoint } from '../../server/domain/walk/snap.ts';
import type { WalkLine } from '../../server/domain/walk/tiles.ts';

const LON0 = 7.45;
const LAT0 = 51.5;
const { mLon, mLat } = metresPerDegree(LAT0);
const at = (x: number, y: number): [number, number] => [LON0 + x / mLon, LAT0 + y / mLat];
const line = (points: [number, number][]): WalkLine => ({
  coords: points.map(([x, y]) => at(x, y)),
  seam: points.map(() => false),
  kind: 'minor',
});

/** Streets every 100 m from 0 to 600 m both ways, crossing at shared vertices. */
function town(): WalkLine[] {
  const stops = [0, 100, 200, 300, 400, 500, 600];
  return stops.flatMap((c) => [line(stops.map((s) => [s, c])), line(stops.map((s) => [c, s]))]);
}

function isochrones(lines: WalkLine[], from: [number, number], limits: number[]) {
  const { graph } = buildGraph(lines);
  const snap = snapPoint(indexEdges(graph), ...at(...from));
  if (!snap) throw new Error('not snapped');
  const search = walkFrom(graph, startsOf(graph, snap), Math.max(...limits));
  const [lon, lat] = at(...from);
  const grid = gridAt(lon, lat);
  return limits.map((limit) => {
    const cells = fillCells(
      reachedSegments(search, limit, grid, { lon, lat, snap }),
      ISOCHRONE_CELL_M,
      ISOCHRONE_BUFFER_M,
    );
    return { cells, polygons: outline(cells, grid) };
  });
}

describe('isochrone polygons', () => {
  it('nests the bands and holds the start in each', () => {
    const start: [number, number] = [310, 305];
    const bands = isochrones(town(), start, [150, 300, 450]);
    for (let k = 0; k < bands.length; k++) {
      const band = bands[k] as (typeof bands)[number];
      expect(band.polygons.length).toBeGreaterThan(0);
      expect(inMultiPolygon(...at(...start), band.polygons)).toBe(true);
      const next = bands[k + 1];
      if (next) {
        for (const [i, j] of cellList(band.cells)) expect(hasCell(next.cells, i, j)).toBe(true);
        expect(next.cells.size).toBeGreaterThan(band.cells.size);
      }
    }
    // 150 m from (310, 305) along the street y = 300 reaches x = 460 but not x = 480; 450 m reaches the corner
    // (600, 600)'s neighbourhood only beyond 590 m of walking, so not at all.
    const [first, , last] = bands as [(typeof bands)[0], (typeof bands)[0], (typeof bands)[0]];
    expect(inMultiPolygon(...at(455, 300), first.polygons)).toBe(true);
    expect(inMultiPolygon(...at(490, 300), first.polygons)).toBe(false);
    expect(inMultiPolygon(...at(600, 600), last.polygons)).toBe(false);
  });

  it('leaves the middle of a block open where the buffer does not reach (a hole) and fills nothing beyond', () => {
    const [band] = isochrones(town(), [300, 300], [400]);
    const polygons = band?.polygons ?? [];
    // The block between 300 and 400 m is walked all round: its middle, 50 m from every street, is a hole.
    expect(inMultiPolygon(...at(350, 350), polygons)).toBe(false);
    expect(polygons.some((p) => p.length > 1)).toBe(true);
    expect(inMultiPolygon(...at(300, 350), polygons)).toBe(true);
    // Every ring is closed.
    for (const p of polygons) for (const r of p) expect(r[0]).toEqual(r[r.length - 1]);
  });

  it('does not leak across a river: a street on the far bank, 60 m away, reached only by a distant bridge', () => {
    // Two streets along the banks (y = 0 and y = 60), joined by a bridge street at x = 1000 only.
    const lines = [
      line([
        [0, 0],
        [500, 0],
        [1000, 0],
      ]),
      line([
        [0, 60],
        [500, 60],
        [1000, 60],
      ]),
      line([
        [1000, 0],
        [1000, 60],
      ]),
    ];
    const [near] = isochrones(lines, [500, -5], [400]);
    const polygons = near?.polygons ?? [];
    expect(inMultiPolygon(...at(500, 0), polygons)).toBe(true);
    expect(inMultiPolygon(...at(500, 60), polygons)).toBe(false);
    expect(inMultiPolygon(...at(500, 30), polygons)).toBe(false);
  });
});

describe('the network held in memory', () => {
  /** The grid town with addresses along every street and two offers, as server/db/queries/walk.ts assembles it. */
  function network(): WalkNetwork {
    const { graph } = buildGraph(town());
    const index = indexEdges(graph);
    const homes: [number, number][] = [];
    for (let x = 25; x < 600; x += 50) for (let y = 0; y <= 600; y += 100) homes.push([x, y + 8]);
    const offerPoints: [number, number][] = [
      [150, 205],
      [480, 390],
    ];
    const snap = (p: [number, number]) => snapPoint(index, ...at(...p));
    const offerIds = ['kita-1', 'school-1'];
    return {
      graph,
      index,
      addresses: attach(graph, homes.map(snap)),
      persons: Float64Array.from(homes, (_, i) => (i % 7 === 0 ? Number.NaN : 2)),
      offers: attach(graph, offerPoints.map(snap)),
      offerIds,
      offerCategory: ['childcare', 'school'],
      offerLon: Float64Array.from(offerPoints, (p) => at(...p)[0]),
      offerLat: Float64Array.from(offerPoints, (p) => at(...p)[1]),
      offerIndex: new Map(offerIds.map((id, i) => [id, i])),
    };
  }

  it('answers the same isochrones after the warm-up walks made at load as before them', () => {
    const net = network();
    const [lon, lat] = at(310, 290);
    const start = snapStart(net, lon, lat);
    if (!start) throw new Error('not snapped');
    const before = isochroneBands(net, lon, lat, start, [1, 3, 5]);
    expect(before.at(-1)?.addresses).toBeGreaterThan(0);
    expect(warmUp(net)).toBe(WARM_WALKS);
    expect(isochroneBands(net, lon, lat, start, [1, 3, 5])).toEqual(before);
  });
});
