import { metres, nearestOnSegment, planeAt } from './geo.ts';
import type { WalkLine } from './tiles.ts';

/**
 * The pedestrian graph: one node per vertex of the walkable lines, one edge per segment between two vertices,
 * in typed arrays (a compressed adjacency list: the edges at node i are adjEdge[first[i] .. first[i + 1]]).
 *
 * Lines connect only where they share a vertex: two lines that cross without one (a bridge over a road) do not.
 * Within a tile, shared vertices have the same coordinates exactly. On a tile's edge, where the tiles cut a line,
 * the two pieces' cut points are computed in each tile on its own and may differ by rounding: those vertices (and
 * only those) are joined within `seamToleranceM`.
 */
export interface WalkGraph {
  lon: Float64Array;
  lat: Float64Array;
  /** Edge ends and length in metres. */
  a: Int32Array;
  b: Int32Array;
  len: Float64Array;
  /** Index into kinds (footway, minor, …) per edge. */
  kind: Uint8Array;
  kinds: string[];
  first: Int32Array;
  adjEdge: Int32Array;
  /** Connected component of every node; 0 is the largest, then by size. */
  component: Int32Array;
  componentSizes: number[];
}

export interface BuildReport {
  nodes: number;
  edges: number;
  seamNodes: number;
  /** Seam vertices joined to a vertex of another tile. */
  seamJoins: number;
  /** Dead ends joined to the line they end on (T-junctions whose shared vertex the tile moved off the line). */
  junctions: number;
  components: number;
  largestComponentNodes: number;
  lengthKm: number;
}

export const SEAM_TOLERANCE_M = 1;
export const JUNCTION_TOLERANCE_M = 1;

interface EdgeList {
  a: number[];
  b: number[];
  len: number[];
  kind: number[];
}

const cellKey = (cx: number, cy: number) => (cx + 1_048_576) * 2_097_152 + (cy + 1_048_576);

/**
 * A line that ends on another line without a shared vertex (a T-junction) is joined to it. The tiles store
 * vertices on a grid of about 0.4 m at z14 and simplify lines, so the vertex a side street shares with the street
 * it meets is often moved off that street or dropped: its end is left within a metre of the street. Only a dead
 * end (a node of one edge) is joined, to the nearest point of the nearest other edge within the tolerance, which
 * is split there; lines that cross (a bridge over a road) have no end there and stay apart.
 */
function joinDeadEnds(
  lon: number[],
  lat: number[],
  edges: EdgeList,
  toleranceM: number,
): { edges: EdgeList; joined: number } {
  if (!(toleranceM > 0) || lon.length === 0) return { edges, joined: 0 };
  const m = edges.a.length;
  const degree = new Int32Array(lon.length);
  for (let e = 0; e < m; e++) {
    for (const n of [edges.a[e] as number, edges.b[e] as number]) degree[n] = (degree[n] as number) + 1;
  }
  const plane = planeAt(lon[0] as number, lat[0] as number);
  const cellM = 50;
  const cx = (x: number) => Math.floor(((x - plane.lon0) * plane.mLon) / cellM);
  const cy = (y: number) => Math.floor(((y - plane.lat0) * plane.mLat) / cellM);
  const grid = new Map<number, number[]>();
  for (let e = 0; e < m; e++) {
    const a = edges.a[e] as number;
    const b = edges.b[e] as number;
    const ax = cx(lon[a] as number);
    const bx = cx(lon[b] as number);
    const ay = cy(lat[a] as number);
    const by = cy(lat[b] as number);
    for (let x = Math.min(ax, bx); x <= Math.max(ax, bx); x++)
      for (let y = Math.min(ay, by); y <= Math.max(ay, by); y++) {
        const k = cellKey(x, y);
        const list = grid.get(k);
        if (list) list.push(e);
        else grid.set(k, [e]);
      }
  }
  // Per edge, the points where dead ends meet it.
  const splits = new Map<number, { t: number; node: number }[]>();
  let joined = 0;
  for (let n = 0; n < lon.length; n++) {
    if (degree[n] !== 1) continue;
    const x = lon[n] as number;
    const y = lat[n] as number;
    const nx = cx(x);
    const ny = cy(y);
    let best = -1;
    let bestT = 0;
    let bestM = toleranceM;
    for (let dx = -1; dx <= 1; dx++)
      for (let dy = -1; dy <= 1; dy++)
        for (const e of grid.get(cellKey(nx + dx, ny + dy)) ?? []) {
          const a = edges.a[e] as number;
          const b = edges.b[e] as number;
          if (a === n || b === n) continue;
          const s = nearestOnSegment(x, y, lon[a] as number, lat[a] as number, lon[b] as number, lat[b] as number);
          if (s.m <= bestM && (best < 0 || s.m < bestM || e < best)) {
            best = e;
            bestT = s.t;
            bestM = s.m;
          }
        }
    if (best < 0) continue;
    const list = splits.get(best);
    if (list) list.push({ t: bestT, node: n });
    else splits.set(best, [{ t: bestT, node: n }]);
    joined++;
  }
  const out: EdgeList = { a: [], b: [], len: [], kind: [] };
  const add = (a: number, b: number, kind: number) => {
    if (a === b) return;
    out.a.push(Math.min(a, b));
    out.b.push(Math.max(a, b));
    out.len.push(metres(lon[a] as number, lat[a] as number, lon[b] as number, lat[b] as number));
    out.kind.push(kind);
  };
  for (let e = 0; e < m; e++) {
    const list = splits.get(e);
    const a = edges.a[e] as number;
    const b = edges.b[e] as number;
    const kind = edges.kind[e] as number;
    if (!list) {
      out.a.push(a);
      out.b.push(b);
      out.len.push(edges.len[e] as number);
      out.kind.push(kind);
      continue;
    }
    list.sort((p, q) => p.t - q.t);
    let prev = a;
    for (const s of list) {
      // The meeting point: an end of the edge, or a new node on it.
      let at: number;
      if (s.t === 0) at = a;
      else if (s.t === 1) at = b;
      else {
        at = lon.length;
        lon.push((lon[a] as number) + s.t * ((lon[b] as number) - (lon[a] as number)));
        lat.push((lat[a] as number) + s.t * ((lat[b] as number) - (lat[a] as number)));
      }
      add(prev, at, kind);
      add(s.node, at, kind);
      prev = at;
    }
    add(prev, b, kind);
  }
  return { edges: out, joined };
}

/** Builds the graph from the walkable lines of all tiles. */
export function buildGraph(
  lines: WalkLine[],
  { seamToleranceM = SEAM_TOLERANCE_M, junctionToleranceM = JUNCTION_TOLERANCE_M } = {},
): { graph: WalkGraph; report: BuildReport } {
  const lon: number[] = [];
  const lat: number[] = [];
  const exact = new Map<string, number>();
  const first = lines[0]?.coords[0];
  const plane = planeAt(first?.[0] ?? 0, first?.[1] ?? 0);
  const seamCells = new Map<string, number[]>();
  let seamNodes = 0;
  let seamJoins = 0;

  const nodeOf = (p: [number, number], seam: boolean): number => {
    const key = `${p[0]},${p[1]}`;
    const known = exact.get(key);
    if (known !== undefined) return known;
    if (seam) {
      const cx = Math.floor(((p[0] - plane.lon0) * plane.mLon) / seamToleranceM);
      const cy = Math.floor(((p[1] - plane.lat0) * plane.mLat) / seamToleranceM);
      let best = -1;
      let bestM = seamToleranceM;
      for (let dx = -1; dx <= 1; dx++)
        for (let dy = -1; dy <= 1; dy++)
          for (const n of seamCells.get(`${cx + dx},${cy + dy}`) ?? []) {
            const m = metres(p[0], p[1], lon[n] as number, lat[n] as number);
            if (m <= bestM) {
              best = n;
              bestM = m;
            }
          }
      if (best >= 0) {
        seamJoins++;
        exact.set(key, best);
        return best;
      }
      const id = lon.length;
      lon.push(p[0]);
      lat.push(p[1]);
      exact.set(key, id);
      const cell = `${cx},${cy}`;
      const list = seamCells.get(cell);
      if (list) list.push(id);
      else seamCells.set(cell, [id]);
      seamNodes++;
      return id;
    }
    const id = lon.length;
    lon.push(p[0]);
    lat.push(p[1]);
    exact.set(key, id);
    return id;
  };

  const kinds: string[] = [];
  const kindIndex = new Map<string, number>();
  // One edge per pair of nodes (the tiles repeat lines that run along a seam): the shortest.
  const edges = new Map<number, { a: number; b: number; len: number; kind: number }>();
  for (const line of lines) {
    let k = kindIndex.get(line.kind);
    if (k === undefined) {
      k = kinds.length;
      kinds.push(line.kind);
      kindIndex.set(line.kind, k);
    }
    let prev = -1;
    for (let i = 0; i < line.coords.length; i++) {
      const n = nodeOf(line.coords[i] as [number, number], line.seam[i] === true);
      if (prev >= 0 && prev !== n) {
        const a = Math.min(prev, n);
        const b = Math.max(prev, n);
        const len = metres(lon[a] as number, lat[a] as number, lon[b] as number, lat[b] as number);
        const key = a * 4_194_304 + b;
        const old = edges.get(key);
        if (!old || len < old.len) edges.set(key, { a, b, len, kind: k });
      }
      prev = n;
    }
  }
  const { edges: list, joined: junctions } = joinDeadEnds(
    lon,
    lat,
    {
      a: [...edges.values()].map((e) => e.a),
      b: [...edges.values()].map((e) => e.b),
      len: [...edges.values()].map((e) => e.len),
      kind: [...edges.values()].map((e) => e.kind),
    },
    junctionToleranceM,
  );
  const graph = assembleGraph(
    Float64Array.from(lon),
    Float64Array.from(lat),
    Int32Array.from(list.a),
    Int32Array.from(list.b),
    Float64Array.from(list.len),
    Uint8Array.from(list.kind),
    kinds,
  );
  return {
    graph,
    report: {
      nodes: graph.lon.length,
      edges: graph.a.length,
      seamNodes,
      seamJoins,
      junctions,
      components: graph.componentSizes.length,
      largestComponentNodes: graph.componentSizes[0] ?? 0,
      lengthKm: Math.round(graph.len.reduce((s, l) => s + l, 0) / 100) / 10,
    },
  };
}

/** The graph from its nodes and edges (as built, or as read back from the database): adjacency and components. */
export function assembleGraph(
  lon: Float64Array,
  lat: Float64Array,
  a: Int32Array,
  b: Int32Array,
  len: Float64Array,
  kind: Uint8Array,
  kinds: string[],
): WalkGraph {
  const n = lon.length;
  const first = new Int32Array(n + 1);
  for (let e = 0; e < a.length; e++) {
    for (const i of [(a[e] as number) + 1, (b[e] as number) + 1]) first[i] = (first[i] as number) + 1;
  }
  for (let i = 0; i < n; i++) first[i + 1] = (first[i + 1] as number) + (first[i] as number);
  const fill = first.slice(0, n);
  const adjEdge = new Int32Array(2 * a.length);
  for (let e = 0; e < a.length; e++) {
    for (const i of [a[e] as number, b[e] as number]) {
      adjEdge[fill[i] as number] = e;
      fill[i] = (fill[i] as number) + 1;
    }
  }
  // Components by union–find, numbered by size.
  const parent = Int32Array.from({ length: n }, (_, i) => i);
  const root = (i: number): number => {
    let r = i;
    while (parent[r] !== r) r = parent[r] as number;
    while (parent[i] !== r) {
      const next = parent[i] as number;
      parent[i] = r;
      i = next;
    }
    return r;
  };
  for (let e = 0; e < a.length; e++) {
    const ra = root(a[e] as number);
    const rb = root(b[e] as number);
    if (ra !== rb) parent[Math.max(ra, rb)] = Math.min(ra, rb);
  }
  const sizeOfRoot = new Map<number, number>();
  for (let i = 0; i < n; i++) {
    const r = root(i);
    sizeOfRoot.set(r, (sizeOfRoot.get(r) ?? 0) + 1);
  }
  const ranked = [...sizeOfRoot].sort((x, y) => y[1] - x[1] || x[0] - y[0]);
  const number = new Map(ranked.map(([r], i) => [r, i]));
  const component = new Int32Array(n);
  for (let i = 0; i < n; i++) component[i] = number.get(root(i)) as number;
  return { lon, lat, a, b, len, kind, kinds, first, adjEdge, component, componentSizes: ranked.map(([, s]) => s) };
}

/** The other end of edge e seen from node n. */
export const otherEnd = (g: WalkGraph, e: number, n: number) =>
  g.a[e] === n ? (g.b[e] as number) : (g.a[e] as number);

/** Bytes the graph's arrays take. */
export function graphBytes(g: WalkGraph): number {
  return [g.lon, g.lat, g.a, g.b, g.len, g.kind, g.first, g.adjEdge, g.component].reduce((s, x) => s + x.byteLength, 0);
}
