import type { WalkGraph } from './graph.ts';
import { type Search, startsOf, walkFrom } from './route.ts';
import type { Snap } from './snap.ts';

/**
 * Points snapped to the network (addresses, offers), found from the nodes a search settles: each point hangs at both
 * ends of its edge, with the metres from that end to it (along the edge plus its snap distance).
 */
export interface Attached {
  snaps: (Snap | null)[];
  /** Per node, the points hanging there: item[first[n] .. first[n + 1]], with their metres from the node. */
  first: Int32Array;
  item: Int32Array;
  offset: Float64Array;
  /** Per edge, the points on it (for walks that start on the same edge). */
  onEdge: Map<number, number[]>;
}

export function attach(g: WalkGraph, snaps: (Snap | null)[]): Attached {
  const n = g.lon.length;
  const first = new Int32Array(n + 1);
  const ends = (s: Snap) => [g.a[s.edge] as number, g.b[s.edge] as number];
  for (const s of snaps) if (s) for (const node of ends(s)) first[node + 1] = (first[node + 1] as number) + 1;
  for (let i = 0; i < n; i++) first[i + 1] = (first[i + 1] as number) + (first[i] as number);
  const fill = first.slice(0, n);
  const item = new Int32Array(first[n] as number);
  const offset = new Float64Array(first[n] as number);
  const onEdge = new Map<number, number[]>();
  snaps.forEach((s, i) => {
    if (!s) return;
    const len = g.len[s.edge] as number;
    const [a, b] = ends(s) as [number, number];
    for (const [node, along] of [
      [a, s.t * len],
      [b, (1 - s.t) * len],
    ] as const) {
      const at = fill[node] as number;
      item[at] = i;
      offset[at] = along + s.m;
      fill[node] = at + 1;
    }
    const list = onEdge.get(s.edge);
    if (list) list.push(i);
    else onEdge.set(s.edge, [i]);
  });
  return { snaps, first, item, offset, onEdge };
}

/**
 * The points a search reaches within limitM metres, with the metres of the shortest walk to each (snap distances
 * included). `from` is the snap the search started from, for points on its own edge.
 */
export function reached(search: Search, points: Attached, limitM: number, from?: Snap): Map<number, number> {
  const out = new Map<number, number>();
  const keep = (i: number, m: number) => {
    if (m <= limitM && m < (out.get(i) ?? Number.POSITIVE_INFINITY)) out.set(i, m);
  };
  for (const node of search.settled) {
    const d = search.distance(node);
    for (let k = points.first[node] as number; k < (points.first[node + 1] as number); k++)
      keep(points.item[k] as number, d + (points.offset[k] as number));
  }
  if (from) {
    const len = search.graph.len[from.edge] as number;
    for (const i of points.onEdge.get(from.edge) ?? []) {
      const s = points.snaps[i] as Snap;
      keep(i, from.m + Math.abs(from.t - s.t) * len + s.m);
    }
  }
  return out;
}

/**
 * For every point of `homes`, the metres of the walk to the nearest of `sites` (Infinity where none is within
 * limitM): one search from all sites at once.
 */
export function nearestSite(g: WalkGraph, sites: (Snap | null)[], homes: Attached, limitM: number): Float64Array {
  const out = new Float64Array(homes.snaps.length).fill(Number.POSITIVE_INFINITY);
  const live = sites.filter((s): s is Snap => s !== null);
  if (live.length === 0) return out;
  const search = walkFrom(
    g,
    live.flatMap((s) => startsOf(g, s)),
    limitM,
  );
  // As reached() gives it, without a map of every home.
  for (const node of search.settled) {
    const d = search.distance(node);
    for (let k = homes.first[node] as number; k < (homes.first[node + 1] as number); k++) {
      const i = homes.item[k] as number;
      const m = d + (homes.offset[k] as number);
      if (m <= limitM && m < (out[i] as number)) out[i] = m;
    }
  }
  // A home on the same edge as a site may be nearer along the edge than round its ends.
  const len = (e: number) => g.len[e] as number;
  for (const s of live)
    for (const i of homes.onEdge.get(s.edge) ?? []) {
      const h = homes.snaps[i] as Snap;
      const m = s.m + Math.abs(s.t - h.t) * len(s.edge) + h.m;
      if (m <= limitM && m < (out[i] as number)) out[i] = m;
    }
  return out;
}
