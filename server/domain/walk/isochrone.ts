import { metresPerDegree } from './geo.ts';
import type { WalkGraph } from './graph.ts';
import type { Search } from './route.ts';
import type { Snap } from './snap.ts';

/**
 * Isochrone polygons: the area within `bufferM` of the network reached within a limit, drawn on a grid.
 *
 * 1. The reached network: every edge, whole where both ends are reached and the limit covers it, else the part
 *    walked from each reached end; and the way from the start to the network.
 * 2. Every cell of a square grid (cellM) whose centre lies within bufferM of a reached piece is filled.
 * 3. The outline of the filled cells is traced into rings (outer rings counter-clockwise, holes clockwise).
 *
 * A buffer of the reached ways never bridges a gap wider than about 2 · (bufferM + cellM · √2 / 2) between two ways:
 * a river or railway without a crossing stays a gap, and blocks are only filled where ways reach all around them
 * closer than that. The same grid for every band makes a shorter band's polygon lie inside a longer one's.
 */
export const ISOCHRONE_BUFFER_M = 20;
export const ISOCHRONE_CELL_M = 10;

type Segment = [number, number, number, number]; // x1, y1, x2, y2 in metres of the grid's plane

export interface Grid {
  lon0: number;
  lat0: number;
  mLon: number;
  mLat: number;
  cellM: number;
}

export function gridAt(lon: number, lat: number, cellM = ISOCHRONE_CELL_M): Grid {
  return { lon0: lon, lat0: lat, ...metresPerDegree(lat), cellM };
}

/** The pieces of network reached within limitM, in the grid's plane (metres east and north of its origin). */
export function reachedSegments(
  search: Search,
  limitM: number,
  grid: Grid,
  start: { lon: number; lat: number; snap: Snap },
) {
  const g: WalkGraph = search.graph;
  const xy = (lon: number, lat: number): [number, number] => [
    (lon - grid.lon0) * grid.mLon,
    (lat - grid.lat0) * grid.mLat,
  ];
  const out: Segment[] = [];
  const seen = new Set<number>();
  const piece = (from: number, to: number, f0: number, f1: number) => {
    const [x1, y1] = xy(g.lon[from] as number, g.lat[from] as number);
    const [x2, y2] = xy(g.lon[to] as number, g.lat[to] as number);
    out.push([x1 + f0 * (x2 - x1), y1 + f0 * (y2 - y1), x1 + f1 * (x2 - x1), y1 + f1 * (y2 - y1)]);
  };
  for (const node of search.settled) {
    const d = search.distance(node);
    if (d > limitM) continue;
    for (let i = g.first[node] as number; i < (g.first[node + 1] as number); i++) {
      const e = g.adjEdge[i] as number;
      if (seen.has(e)) continue;
      const a = g.a[e] as number;
      const b = g.b[e] as number;
      const len = g.len[e] as number;
      const da = search.distance(a);
      const db = search.distance(b);
      const fromA = len > 0 ? Math.max(0, Math.min(1, (limitM - da) / len)) : 1;
      const fromB = len > 0 ? Math.max(0, Math.min(1, (limitM - db) / len)) : 1;
      if (fromA + fromB >= 1) {
        seen.add(e);
        piece(a, b, 0, 1);
      } else {
        // Walked in from one or both ends, not all the way.
        if (node === a && fromA > 0) piece(a, b, 0, fromA);
        if (node === b && fromB > 0) piece(b, a, 0, fromB);
      }
    }
  }
  // The start's own edge, walked from the start both ways, and the way from the start to it.
  const s = start.snap;
  const len = g.len[s.edge] as number;
  const left = Math.max(0, limitM - s.m);
  if (s.m <= limitM) {
    const a = g.a[s.edge] as number;
    const b = g.b[s.edge] as number;
    const f0 = Math.max(0, s.t - (len > 0 ? left / len : 0));
    const f1 = Math.min(1, s.t + (len > 0 ? left / len : 0));
    piece(a, b, f0, f1);
    const [px, py] = xy(start.lon, start.lat);
    const [ax, ay] = xy(g.lon[a] as number, g.lat[a] as number);
    const [bx, by] = xy(g.lon[b] as number, g.lat[b] as number);
    out.push([px, py, ax + s.t * (bx - ax), ay + s.t * (by - ay)]);
  }
  return out;
}

/** A cell's key: column i and row j, each within ±32,767 cells of the grid's origin. */
export const cellKey = (i: number, j: number) => (i + 32_768) * 65_536 + (j + 32_768);
const cellI = (key: number) => Math.floor(key / 65_536) - 32_768;
const cellJ = (key: number) => (key % 65_536) - 32_768;

/** The cells (cellKey) whose centres lie within bufferM of a segment. */
export function fillCells(segments: Segment[], cellM: number, bufferM: number): Set<number> {
  const cells = new Set<number>();
  const r2 = bufferM * bufferM;
  for (const [x1, y1, x2, y2] of segments) {
    const i0 = Math.floor((Math.min(x1, x2) - bufferM) / cellM);
    const i1 = Math.floor((Math.max(x1, x2) + bufferM) / cellM);
    const j0 = Math.floor((Math.min(y1, y2) - bufferM) / cellM);
    const j1 = Math.floor((Math.max(y1, y2) + bufferM) / cellM);
    const dx = x2 - x1;
    const dy = y2 - y1;
    const len2 = dx * dx + dy * dy;
    for (let i = i0; i <= i1; i++)
      for (let j = j0; j <= j1; j++) {
        const cx = (i + 0.5) * cellM;
        const cy = (j + 0.5) * cellM;
        const t = len2 === 0 ? 0 : Math.max(0, Math.min(1, ((cx - x1) * dx + (cy - y1) * dy) / len2));
        const ex = x1 + t * dx - cx;
        const ey = y1 + t * dy - cy;
        if (ex * ex + ey * ey <= r2) cells.add(cellKey(i, j));
      }
  }
  return cells;
}

/**
 * The outline of a set of grid cells as polygons (GeoJSON MultiPolygon coordinates in lon, lat): rings traced
 * along the cells' edges with the filled side on the left, so outer rings run counter-clockwise and holes
 * clockwise; each hole goes to the smallest outer ring around it. Cells touching only at a corner are kept
 * apart (the trace turns left there).
 */
export function outline(cells: Set<number>, grid: Grid): [number, number][][][] {
  const filled = (i: number, j: number) => cells.has(cellKey(i, j));
  // Directed boundary edges keyed by their start corner; each corner starts at most two (at a pinch).
  const next = new Map<number, [number, number][]>();
  const addEdge = (x1: number, y1: number, x2: number, y2: number) => {
    const k = cellKey(x1, y1);
    const list = next.get(k);
    if (list) list.push([x2, y2]);
    else next.set(k, [[x2, y2]]);
  };
  for (const key of cells) {
    const i = cellI(key);
    const j = cellJ(key);
    if (!filled(i, j - 1)) addEdge(i, j, i + 1, j); // bottom, eastwards
    if (!filled(i + 1, j)) addEdge(i + 1, j, i + 1, j + 1); // right, northwards
    if (!filled(i, j + 1)) addEdge(i + 1, j + 1, i, j + 1); // top, westwards
    if (!filled(i - 1, j)) addEdge(i, j + 1, i, j); // left, southwards
  }
  const rings: [number, number][][] = [];
  for (const [startKey, list] of next) {
    while (list.length > 0) {
      const sx = cellI(startKey);
      const sy = cellJ(startKey);
      const ring: [number, number][] = [[sx, sy]];
      let [px, py] = [sx, sy];
      let [cx, cy] = list.pop() as [number, number];
      while (!(cx === sx && cy === sy)) {
        ring.push([cx, cy]);
        const outs = next.get(cellKey(cx, cy)) as [number, number][];
        // At a pinch (two ways on), turn left: the cells touching only at this corner stay apart.
        let pick = 0;
        if (outs.length > 1) {
          const dx = cx - px;
          const dy = cy - py;
          const left = outs.findIndex(([nx, ny]) => (nx - cx) * -dy + (ny - cy) * dx > 0);
          pick = left >= 0 ? left : 0;
        }
        const [nx, ny] = outs.splice(pick, 1)[0] as [number, number];
        [px, py] = [cx, cy];
        [cx, cy] = [nx, ny];
      }
      ring.push([sx, sy]);
      rings.push(simplify(ring));
    }
  }
  const area = (r: [number, number][]) => {
    let s = 0;
    for (let k = 1; k < r.length; k++) {
      const p = r[k - 1] as [number, number];
      const q = r[k] as [number, number];
      s += p[0] * q[1] - q[0] * p[1];
    }
    return s / 2;
  };
  const outers = rings.filter((r) => area(r) > 0).sort((p, q) => area(p) - area(q));
  const holes = rings.filter((r) => area(r) < 0);
  const polygons: [number, number][][][] = outers.map((r) => [r]);
  for (const h of holes) {
    const [hx, hy] = h[0] as [number, number];
    // A point just left of the hole's first edge lies in a filled cell of the ring that holds the hole (every ring
    // has its filled side on the left): the smallest outer ring around that point is the owner.
    const [h2x, h2y] = h[1] as [number, number];
    const len = Math.hypot(h2x - hx, h2y - hy) || 1;
    const mx = (hx + h2x) / 2 - ((h2y - hy) / len) * 0.25;
    const my = (hy + h2y) / 2 + ((h2x - hx) / len) * 0.25;
    const owner = outers.findIndex((r) => inside(mx, my, r));
    if (owner >= 0) (polygons[owner] as [number, number][][]).push(h);
  }
  const toLonLat = ([i, j]: [number, number]): [number, number] => [
    round7(grid.lon0 + (i * grid.cellM) / grid.mLon),
    round7(grid.lat0 + (j * grid.cellM) / grid.mLat),
  ];
  return polygons.map((p) => p.map((r) => r.map(toLonLat)));
}

const round7 = (v: number) => Math.round(v * 1e7) / 1e7;

/** Drops the corners where a ring runs straight on. */
function simplify(ring: [number, number][]): [number, number][] {
  const open = ring.slice(0, -1);
  const kept = open.filter((p, k) => {
    const prev = open[(k - 1 + open.length) % open.length] as [number, number];
    const next = open[(k + 1) % open.length] as [number, number];
    return (p[0] - prev[0]) * (next[1] - p[1]) - (p[1] - prev[1]) * (next[0] - p[0]) !== 0;
  });
  return [...kept, kept[0] as [number, number]];
}

function inside(x: number, y: number, ring: [number, number][]): boolean {
  let c = false;
  for (let k = 0, l = ring.length - 1; k < ring.length; l = k++) {
    const [xi, yi] = ring[k] as [number, number];
    const [xj, yj] = ring[l] as [number, number];
    if (yi > y !== yj > y && x < ((xj - xi) * (y - yi)) / (yj - yi) + xi) c = !c;
  }
  return c;
}

/** Whether a point (lon, lat) lies inside a MultiPolygon's coordinates (holes excluded). */
export function inMultiPolygon(lon: number, lat: number, polygons: [number, number][][][]): boolean {
  return polygons.some(
    (p) => p.length > 0 && inside(lon, lat, p[0] as [number, number][]) && !p.slice(1).some((h) => inside(lon, lat, h)),
  );
}
