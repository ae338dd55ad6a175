import { nearestOnSegment, type Plane, planeAt } from './geo.ts';
import type { WalkGraph } from './graph.ts';

/**
 * Snapping a point to the nearest walkable edge: a grid of square cells over the graph's edges, searched ring by
 * ring around the point until no unsearched cell can hold a nearer edge.
 */
export interface EdgeIndex {
  graph: WalkGraph;
  plane: Plane;
  cellM: number;
  /** Cell key → edges whose bounding box touches the cell. */
  cells: Map<number, Int32Array>;
}

/** A point on the network: edge e, the fraction t along it from node a[e], and the snap distance in metres. */
export interface Snap {
  edge: number;
  t: number;
  m: number;
}

/** A point snapped farther than this from every walkable edge is flagged (it may lie off the network). */
export const SNAP_FLAG_M = 150;

const key = (cx: number, cy: number) => (cx + 32_768) * 65_536 + (cy + 32_768);

/**
 * Indexes the edges of the components with at least `minComponentNodes` nodes: fragments smaller than that (a
 * piece of footway cut off by the data) would leave what snaps to them unreachable.
 */
export function indexEdges(graph: WalkGraph, minComponentNodes = 1, cellM = 100): EdgeIndex {
  let sumLon = 0;
  let sumLat = 0;
  for (let i = 0; i < graph.lon.length; i++) {
    sumLon += graph.lon[i] as number;
    sumLat += graph.lat[i] as number;
  }
  const n = Math.max(1, graph.lon.length);
  const plane = planeAt(sumLon / n, sumLat / n);
  const lists = new Map<number, number[]>();
  for (let e = 0; e < graph.a.length; e++) {
    const a = graph.a[e] as number;
    const b = graph.b[e] as number;
    if ((graph.componentSizes[graph.component[a] as number] as number) < minComponentNodes) continue;
    const [ax, ay] = cellOf(plane, cellM, graph.lon[a] as number, graph.lat[a] as number);
    const [bx, by] = cellOf(plane, cellM, graph.lon[b] as number, graph.lat[b] as number);
    for (let cx = Math.min(ax, bx); cx <= Math.max(ax, bx); cx++)
      for (let cy = Math.min(ay, by); cy <= Math.max(ay, by); cy++) {
        const k = key(cx, cy);
        const list = lists.get(k);
        if (list) list.push(e);
        else lists.set(k, [e]);
      }
  }
  const cells = new Map<number, Int32Array>();
  for (const [k, list] of lists) cells.set(k, Int32Array.from(list));
  return { graph, plane, cellM, cells };
}

function cellOf(p: Plane, cellM: number, lon: number, lat: number): [number, number] {
  return [Math.floor(((lon - p.lon0) * p.mLon) / cellM), Math.floor(((lat - p.lat0) * p.mLat) / cellM)];
}

/** The nearest indexed edge to (lon, lat) within maxM metres, or null. */
export function snapPoint(index: EdgeIndex, lon: number, lat: number, maxM = 2_000): Snap | null {
  const { graph: g, plane, cellM, cells } = index;
  const [cx, cy] = cellOf(plane, cellM, lon, lat);
  let best: Snap | null = null;
  const rings = Math.ceil(maxM / cellM) + 1;
  for (let r = 0; r <= rings; r++) {
    // Every cell of ring r lies at least (r - 1) cells away from the point.
    if (best && best.m <= (r - 1) * cellM) break;
    for (let dx = -r; dx <= r; dx++)
      for (let dy = -r; dy <= r; dy++) {
        if (Math.max(Math.abs(dx), Math.abs(dy)) !== r) continue;
        const list = cells.get(key(cx + dx, cy + dy));
        if (!list) continue;
        // An edge in several cells is measured again, to the same result: cheaper than remembering it.
        for (const e of list) {
          const a = g.a[e] as number;
          const b = g.b[e] as number;
          const s = nearestOnSegment(
            lon,
            lat,
            g.lon[a] as number,
            g.lat[a] as number,
            g.lon[b] as number,
            g.lat[b] as number,
          );
          if (!best || s.m < best.m || (s.m === best.m && e < best.edge)) best = { edge: e, t: s.t, m: s.m };
        }
      }
  }
  return best && best.m <= maxM ? best : null;
}
