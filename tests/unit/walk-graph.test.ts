import { describe, expect, it } from 'vitest';
import { metresPerDegree } from '../../server/domain/walk/geo.ts';
import { buildGraph } from '../../server/domain/walk/graph.ts';
import { startsOf, walkFrom, walkTo } from '../../server/domain/walk/route.ts';
import { indexEdges, SNAP_FLAG_M, snapPoint } from '../../server/domain/walk/snap.ts';
import { readWalkLines, tileToLonLat, type WalkLine, walkableKind } from '../../server/domain/walk/tiles.ts';
import { encodeTile } from '../support/mvt.ts';

// A town at 51.5° N: positions in metres east and north of its origin.
const LON0 = 7.45;
const LAT0 = 51.5;
const { mLon, mLat } = metresPerDegree(LAT0);
const at = (x: number, y: number): [number, number] => [LON0 + x / mLon, LAT0 + y / mLat];
const line = (points: [number, number][], kind = 'minor'): WalkLine => ({
  coords: points.map(([x, y]) => at(x, y)),
  seam: points.map(() => false),
  kind,
});

/** Three streets east–west and three north–south, 100 m apart, sharing a vertex at every crossing. */
function gridTown(): WalkLine[] {
  const out: WalkLine[] = [];
  for (const c of [0, 100, 200]) {
    out.push(
      line([
        [0, c],
        [100, c],
        [200, c],
      ]),
    );
    out.push(
      line([
        [c, 0],
        [c, 100],
        [c, 200],
      ]),
    );
  }
  return out;
}

function distanceBetween(lines: WalkLine[], from: [number, number], to: [number, number]): number {
  const { graph } = buildGraph(lines);
  const index = indexEdges(graph);
  const a = snapPoint(index, ...at(...from));
  const b = snapPoint(index, ...at(...to));
  if (!a || !b) throw new Error('a point did not snap');
  return walkTo(walkFrom(graph, startsOf(graph, a)), b, a);
}

describe('walking graph', () => {
  it('builds a grid town: 9 crossings, 12 blocks sides, one component, 400 m corner to corner', () => {
    const { graph, report } = buildGraph(gridTown());
    expect(report.nodes).toBe(9);
    expect(report.edges).toBe(12);
    expect(report.components).toBe(1);
    expect(report.lengthKm).toBeCloseTo(1.2, 3);
    expect(distanceBetween(gridTown(), [0, 0], [200, 200])).toBeCloseTo(400, 1);
    // From the middle of one block side to the middle of the opposite one: round the corner, 50 + 100 + 50 m.
    expect(distanceBetween(gridTown(), [50, 0], [50, 100])).toBeCloseTo(200, 1);
    expect(distanceBetween(gridTown(), [0, 50], [200, 150])).toBeCloseTo(50 + 200 + 50, 1);
    expect(graph.componentSizes).toEqual([9]);
  });

  it('does not join lines that cross without a shared vertex (a bridge), and does join a shared crossing', () => {
    const bridge = [
      line(
        [
          [0, 100],
          [200, 100],
        ],
        'footway',
      ),
      line(
        [
          [100, 0],
          [100, 200],
        ],
        'secondary',
      ),
    ];
    const apart = buildGraph(bridge).report;
    expect(apart.components).toBe(2);
    expect(apart.junctions).toBe(0);
    expect(distanceBetween(bridge, [0, 100], [100, 0])).toBe(Number.POSITIVE_INFINITY);
    const crossing = [
      line([
        [0, 100],
        [100, 100],
        [200, 100],
      ]),
      line([
        [100, 0],
        [100, 100],
        [100, 200],
      ]),
    ];
    expect(buildGraph(crossing).report.components).toBe(1);
    expect(distanceBetween(crossing, [0, 100], [100, 0])).toBeCloseTo(200, 1);
  });

  it('joins a side street whose end the tile moved off the street (T-junction within a metre), not one 3 m off', () => {
    const street = line([
      [0, 0],
      [200, 0],
    ]);
    const near = buildGraph([
      street,
      line([
        [80, 0.4],
        [80, 100],
      ]),
    ]).report;
    expect(near.junctions).toBe(1);
    expect(near.components).toBe(1);
    expect(
      distanceBetween(
        [
          street,
          line([
            [80, 0.4],
            [80, 100],
          ]),
        ],
        [0, 0],
        [80, 100],
      ),
    ).toBeCloseTo(80 + 100, 0);
    const far = buildGraph([
      street,
      line([
        [80, 3],
        [80, 100],
      ]),
    ]).report;
    expect(far.junctions).toBe(0);
    expect(far.components).toBe(2);
  });

  it('reports components by size: a grid town and a footway of its own', () => {
    const { graph, report } = buildGraph([
      ...gridTown(),
      line(
        [
          [500, 500],
          [520, 500],
        ],
        'footway',
      ),
    ]);
    expect(report.components).toBe(2);
    expect(graph.componentSizes).toEqual([9, 2]);
    expect(report.largestComponentNodes).toBe(9);
    // Snapping leaves out fragments smaller than asked: the footway's neighbour snaps to the town instead.
    const all = snapPoint(indexEdges(graph, 1), ...at(510, 505));
    const main = snapPoint(indexEdges(graph, 3), ...at(510, 505));
    expect(all?.m).toBeCloseTo(5, 1);
    expect(main?.m).toBeGreaterThan(400);
  });

  it('snaps to the nearest edge with its distance and flags what is farther than 150 m', () => {
    const { graph } = buildGraph(gridTown());
    const index = indexEdges(graph);
    const s = snapPoint(index, ...at(50, -20));
    expect(s?.m).toBeCloseTo(20, 1);
    expect(s?.t).toBeCloseTo(0.5, 3);
    const far = snapPoint(index, ...at(100, -(SNAP_FLAG_M + 30)));
    expect(far?.m).toBeGreaterThan(SNAP_FLAG_M);
    expect(snapPoint(index, ...at(100, -5000), 2000)).toBeNull();
  });

  it('joins a line cut by a tile seam (decoded from two tiles with their buffers) into one component', () => {
    // Two neighbouring z14 tiles; a footway runs from tile A across the seam into tile B, and both tiles carry
    // the part in their buffer, cut there, as real tiles do. Its vertices lie off the seam.
    const z = 14;
    const x = 8530;
    const y = 5460;
    const world: [number, number][] = [
      [3000, 1000],
      [5100, 1700], // the only vertex between, in tile B; the seam at 4096 is crossed between them
    ];
    const props = { class: 'path', subclass: 'footway' };
    const inA = encodeTile('transportation', [
      {
        coords: [world[0] as [number, number], [4096 + 80, 1000 + (700 * (4096 + 80 - 3000)) / 2100]],
        properties: props,
      },
    ]);
    const inB = encodeTile('transportation', [
      {
        coords: [
          [-80, 1000 + (700 * (4096 - 80 - 3000)) / 2100],
          [5100 - 4096, 1700],
        ],
        properties: props,
      },
      {
        coords: [
          [5100 - 4096, 1700],
          [5100 - 4096, 3000],
        ],
        properties: { class: 'minor' },
      },
    ]);
    const lines = [...readWalkLines(inA, z, x, y), ...readWalkLines(inB, z, x + 1, y)];
    expect(lines.some((l) => l.seam.includes(true))).toBe(true);
    const { graph, report } = buildGraph(lines);
    expect(report.seamJoins).toBe(1);
    expect(report.components).toBe(1);
    // The joined walk is as long as the line itself, within the tiles' rounding.
    const [lonA, latA] = tileToLonLat(z, x, y, 4096, 3000, 1000);
    const [lonB, latB] = tileToLonLat(z, x, y, 4096, 5100, 3000);
    const index = indexEdges(graph);
    const a = snapPoint(index, lonA, latA);
    const b = snapPoint(index, lonB, latB);
    if (!a || !b) throw new Error('not snapped');
    const pixel = (40_075_016.686 * Math.cos((latA * Math.PI) / 180)) / (4096 * 2 ** z);
    expect(walkTo(walkFrom(graph, startsOf(graph, a)), b, a)).toBeCloseTo((Math.hypot(2100, 700) + 1300) * pixel, -1);
    // Without the seam's tolerance (and no joining of dead ends) the pieces stay apart.
    expect(buildGraph(lines, { seamToleranceM: 1e-9, junctionToleranceM: 0 }).report.components).toBe(2);
  });

  it('walks on footways and streets, never on motorways, rail, or trunk roads and cycleways without foot access', () => {
    expect(walkableKind({ class: 'path', subclass: 'footway' })).toBe('footway');
    expect(walkableKind({ class: 'path', subclass: 'steps', brunnel: 'bridge' })).toBe('steps');
    expect(walkableKind({ class: 'minor' })).toBe('minor');
    expect(walkableKind({ class: 'service', brunnel: 'tunnel' })).toBe('service');
    expect(walkableKind({ class: 'primary', ramp: 1 })).toBe('primary');
    expect(walkableKind({ class: 'motorway' })).toBeNull();
    expect(walkableKind({ class: 'motorway', ramp: 1, foot: 'yes' })).toBeNull();
    expect(walkableKind({ class: 'trunk' })).toBeNull();
    expect(walkableKind({ class: 'trunk', foot: 'yes' })).toBe('trunk');
    expect(walkableKind({ class: 'path', subclass: 'cycleway' })).toBeNull();
    expect(walkableKind({ class: 'path', subclass: 'cycleway', foot: 'designated' })).toBe('cycleway');
    expect(walkableKind({ class: 'path', subclass: 'footway', foot: 'no' })).toBeNull();
    expect(walkableKind({ class: 'rail', subclass: 'rail' })).toBeNull();
    expect(walkableKind({ class: 'minor_construction' })).toBeNull();
  });
});
