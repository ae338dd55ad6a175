import type { WalkGraph } from './graph.ts';
import type { Snap } from './snap.ts';

/**
 * Shortest walks on the graph: Dijkstra's algorithm with a binary heap (lazy deletion), over a workspace kept per
 * graph whose entries count only when stamped by the current search, so a short search costs what it touches,
 * not the size of the city.
 */
export interface Search {
  graph: WalkGraph;
  /** Settled nodes, nearest first. */
  settled: number[];
  distance(node: number): number;
  /** The edge by which the shortest walk reaches the node, -1 at a start. */
  via(node: number): number;
}

interface Workspace {
  dist: Float64Array;
  prev: Int32Array;
  stamp: Uint32Array;
  /** Stamped when settled. */
  closed: Uint32Array;
  gen: number;
  heapKey: Float64Array;
  heapNode: Int32Array;
}

const workspaces = new WeakMap<WalkGraph, Workspace>();

function workspace(g: WalkGraph): Workspace {
  let w = workspaces.get(g);
  if (!w) {
    const n = g.lon.length;
    w = {
      dist: new Float64Array(n),
      prev: new Int32Array(n),
      stamp: new Uint32Array(n),
      closed: new Uint32Array(n),
      gen: 0,
      heapKey: new Float64Array(1024),
      heapNode: new Int32Array(1024),
    };
    workspaces.set(g, w);
  }
  return w;
}

/** Where a walk starts: a node and the metres already walked to it. */
export interface Start {
  node: number;
  m: number;
}

/** The two ends of a snapped point's edge, with the metres from the point to each (snap distance included). */
export function startsOf(g: WalkGraph, s: Snap): Start[] {
  const len = g.len[s.edge] as number;
  return [
    { node: g.a[s.edge] as number, m: s.m + s.t * len },
    { node: g.b[s.edge] as number, m: s.m + (1 - s.t) * len },
  ];
}

/**
 * Walks from the starts until every node within limitM metres is settled (or `done` says to stop, asked with each
 * settled node's distance). The answer is valid until the next search on the same graph.
 */
export function walkFrom(
  g: WalkGraph,
  starts: Start[],
  limitM = Number.POSITIVE_INFINITY,
  done?: (node: number, m: number) => boolean,
): Search {
  const w = workspace(g);
  w.gen = (w.gen + 1) >>> 0;
  if (w.gen === 0) {
    w.stamp.fill(0);
    w.closed.fill(0);
    w.gen = 1;
  }
  const { dist, prev, stamp, closed, gen } = w;
  let size = 0;
  const push = (node: number, key: number) => {
    if (size === w.heapKey.length) {
      const k = new Float64Array(size * 2);
      k.set(w.heapKey);
      const nd = new Int32Array(size * 2);
      nd.set(w.heapNode);
      w.heapKey = k;
      w.heapNode = nd;
    }
    const hk = w.heapKey;
    const hn = w.heapNode;
    let i = size++;
    while (i > 0) {
      const p = (i - 1) >> 1;
      if ((hk[p] as number) <= key) break;
      hk[i] = hk[p] as number;
      hn[i] = hn[p] as number;
      i = p;
    }
    hk[i] = key;
    hn[i] = node;
  };
  const pop = (): number => {
    const hk = w.heapKey;
    const hn = w.heapNode;
    const top = hn[0] as number;
    size--;
    const key = hk[size] as number;
    const node = hn[size] as number;
    let i = 0;
    for (;;) {
      let c = 2 * i + 1;
      if (c >= size) break;
      if (c + 1 < size && (hk[c + 1] as number) < (hk[c] as number)) c++;
      if ((hk[c] as number) >= key) break;
      hk[i] = hk[c] as number;
      hn[i] = hn[c] as number;
      i = c;
    }
    hk[i] = key;
    hn[i] = node;
    return top;
  };

  for (const s of starts) {
    if (s.m > limitM) continue;
    if (stamp[s.node] !== gen || s.m < (dist[s.node] as number)) {
      stamp[s.node] = gen;
      dist[s.node] = s.m;
      prev[s.node] = -1;
      push(s.node, s.m);
    }
  }
  const settled: number[] = [];
  while (size > 0) {
    const keyTop = w.heapKey[0] as number;
    const node = pop();
    if (closed[node] === gen || keyTop > (dist[node] as number)) continue;
    closed[node] = gen;
    settled.push(node);
    if (done?.(node, keyTop)) break;
    for (let i = g.first[node] as number; i < (g.first[node + 1] as number); i++) {
      const e = g.adjEdge[i] as number;
      const next = g.a[e] === node ? (g.b[e] as number) : (g.a[e] as number);
      const d = keyTop + (g.len[e] as number);
      if (d > limitM) continue;
      if (stamp[next] !== gen || d < (dist[next] as number)) {
        stamp[next] = gen;
        dist[next] = d;
        prev[next] = e;
        push(next, d);
      }
    }
  }
  return {
    graph: g,
    settled,
    distance: (node) => (closed[node] === gen ? (dist[node] as number) : Number.POSITIVE_INFINITY),
    via: (node) => (stamp[node] === gen ? (prev[node] as number) : -1),
  };
}

/**
 * The metres of the shortest walk from the search's starts to a snapped point (its snap distance included), given
 * the snap the search started from when there was one (both on one edge: along it directly).
 */
export function walkTo(search: Search, to: Snap, from?: Snap): number {
  const g = search.graph;
  const len = g.len[to.edge] as number;
  let best = Math.min(
    search.distance(g.a[to.edge] as number) + to.t * len,
    search.distance(g.b[to.edge] as number) + (1 - to.t) * len,
  );
  if (from && from.edge === to.edge) best = Math.min(best, from.m + Math.abs(from.t - to.t) * len);
  return best + to.m;
}
