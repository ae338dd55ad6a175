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

/** Filled cells of the grid, dense over their bounding box: column i0 + x, row j0 + y is bits[y * w + x]. */
export interface Cells {
  i0: number;
  j0: number;
  w: number;
  h: number;
  bits: Uint8Array;
  size: number;
}

export const hasCell = (c: Cells, i: number, j: number) =>
  i >= c.i0 && j >= c.j0 && i < c.i0 + c.w && j < c.j0 + c.h && c.bits[(j - c.j0) * c.w + (i - c.i0)] === 1;

/** The filled cells as [i, j] pairs (for tests and checks). */
export function cellList(c: Cells): [number, number][] {
  const out: [number, number][] = [];
  for (let y = 0; y < c.h; y++) for (let x = 0; x < c.w; x++) if (c.bits[y * c.w + x]) out.push([c.i0 + x, c.j0 + y]);
  return out;
}

/** The cells whose centres lie within bufferM of a segment. */
export function fillCells(segments: Segment[], cellM: number, bufferM: number): Cells {
  let x0 = Number.POSITIVE_INFINITY;
  let y0 = Number.POSITIVE_INFINITY;
  let x1 = Number.NEGATIVE_INFINITY;
  let y1 = Number.NEGATIVE_INFINITY;
  for (const [ax, ay, bx, by] of segments) {
    x0 = Math.min(x0, ax, bx);
    y0 = Math.min(y0, ay, by);
    x1 = Math.max(x1, ax, bx);
    y1 = Math.max(y1, ay, by);
  }
  if (segments.length === 0) return { i0: 0, j0: 0, w: 0, h: 0, bits: new Uint8Array(0), size: 0 };
  const i0 = Math.floor((x0 - bufferM) / cellM);
  const j0 = Math.floor((y0 - bufferM) / cellM);
  const w = Math.floor((x1 + bufferM) / cellM) - i0 + 1;
  const h = Math.floor((y1 + bufferM) / cellM) - j0 + 1;
  const bits = new Uint8Array(w * h);
  let size = 0;
  const r2 = bufferM * bufferM;
  for (const [sx, sy, ex, ey] of segments) {
    const ia = Math.floor((Math.min(sx, ex) - bufferM) / cellM);
    const ib = Math.floor((Math.max(sx, ex) + bufferM) / cellM);
    const ja = Math.floor((Math.min(sy, ey) - bufferM) / cellM);
    const jb = Math.floor((Math.max(sy, ey) + bufferM) / cellM);
    const dx = ex - sx;
    const dy = ey - sy;
    const len2 = dx * dx + dy * dy;
    for (let j = ja; j <= jb; j++) {
      const row = (j - j0) * w - i0;
      const cy = (j + 0.5) * cellM;
      for (let i = ia; i <= ib; i++) {
        if (bits[row + i]) continue;
        const cx = (i + 0.5) * cellM;
        const t = len2 === 0 ? 0 : Math.max(0, Math.min(1, ((cx - sx) * dx + (cy - sy) * dy) / len2));
        const px = sx + t * dx - cx;
        const py = sy + t * dy - cy;
        if (px * px + py * py <= r2) {
          bits[row + i] = 1;
          size++;
        }
      }
    }
  }
  return { i0, j0, w, h, bits, size };
}

/**
 * The outline of a set of grid cells as polygons (GeoJSON MultiPolygon coordinates in lon, lat): rings traced
 * along the cells' edges with the filled side on the left, so outer rings run counter-clockwise and holes
 * clockwise; each hole goes to the smallest outer ring around it. Cells touching only at a corner are kept
 * apart (the trace turns left there).
 */
export function outline(cells: Cells, grid: Grid): [number, number][][][] {
  const { i0, j0, w, h } = cells;
  const W = w + 1;
  const filled = (i: number, j: number) => hasCell(cells, i, j);
  const corner = (i: number, j: number) => (j - j0) * W + (i - i0);
  // Directed boundary edges by their start corner; a corner starts at most two (at a pinch).
  const out1 = new Int32Array(W * (h + 1)).fill(-1);
  const out2 = new Int32Array(W * (h + 1)).fill(-1);
  const addEdge = (from: number, to: number) => {
    if (out1[from] === -1) out1[from] = to;
    else out2[from] = to;
  };
  for (let j = j0; j < j0 + h; j++)
    for (let i = i0; i < i0 + w; i++) {
      if (!filled(i, j)) continue;
      if (!filled(i, j - 1)) addEdge(corner(i, j), corner(i + 1, j)); // bottom, eastwards
      if (!filled(i + 1, j)) addEdge(corner(i + 1, j), corner(i + 1, j + 1)); // right, northwards
      if (!filled(i, j + 1)) addEdge(corner(i + 1, j + 1), corner(i, j + 1)); // top, westwards
      if (!filled(i - 1, j)) addEdge(corner(i, j + 1), corner(i, j)); // left, southwards
    }
  const ci = (k: number) => i0 + (k % W);
  const cj = (k: number) => j0 + Math.floor(k / W);
  const take = (k: number, pick: 1 | 2): number => {
    if (pick === 1) {
      const to = out1[k] as number;
      out1[k] = out2[k] as number;
      out2[k] = -1;
      return to;
    }
    const to = out2[k] as number;
    out2[k] = -1;
    return to;
  };
  const rings: [number, number][][] = [];
  for (let start = 0; start < out1.length; start++) {
    while (out1[start] !== -1) {
      const ring: [number, number][] = [[ci(start), cj(start)]];
      let prev = start;
      let cur = take(start, 1);
      while (cur !== start) {
        ring.push([ci(cur), cj(cur)]);
        // At a pinch (two ways on), turn left: the cells touching only at this corner stay apart.
        let pick: 1 | 2 = 1;
        if (out2[cur] !== -1) {
          const dx = ci(cur) - ci(prev);
          const dy = cj(cur) - cj(prev);
          const n2 = out2[cur] as number;
          if ((ci(n2) - ci(cur)) * -dy + (cj(n2) - cj(cur)) * dx > 0) pick = 2;
        }
        prev = cur;
        cur = take(cur, pick);
      }
      ring.push([ci(start), cj(start)]);
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
  for (const hole of holes) {
    const [hx, hy] = hole[0] as [number, number];
    // A point just left of the hole's first edge lies in a filled cell of the ring that holds the hole (every ring
    // has its filled side on the left): the smallest outer ring around that point is the owner.
    const [h2x, h2y] = hole[1] as [number, number];
    const len = Math.hypot(h2x - hx, h2y - hy) || 1;
    const mx = (hx + h2x) / 2 - ((h2y - hy) / len) * 0.25;
    const my = (hy + h2y) / 2 + ((h2x - hx) / len) * 0.25;
    const owner = outers.findIndex((r) => inside(mx, my, r));
    if (owner >= 0) (polygons[owner] as [number, number][][]).push(hole);
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
