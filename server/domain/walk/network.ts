import type { WalkGraph } from './graph.ts';
import { fillCells, gridAt, ISOCHRONE_BUFFER_M, ISOCHRONE_CELL_M, outline, reachedSegments } from './isochrone.ts';
import { type Attached, reached } from './reach.ts';
import { type Search, startsOf, walkFrom } from './route.ts';
import { type EdgeIndex, type Snap, snapPoint } from './snap.ts';
import { metresIn } from './speed.ts';

/** The walking network held in the server's memory (read by server/db/queries/walk.ts). */
export interface WalkNetwork {
  graph: WalkGraph;
  /** Snapping of query points, to the connected network as at import. */
  index: EdgeIndex;
  addresses: Attached;
  /** Persons per address (modelled, as the coverage indicators weigh it); NaN where unknown. */
  persons: Float64Array;
  offers: Attached;
  offerIds: string[];
  offerCategory: string[];
  offerLon: Float64Array;
  offerLat: Float64Array;
  offerIndex: Map<string, number>;
}

/** A query point farther than this from every walkable way is not answered. */
export const START_MAX_M = 500;
/** No walk is followed farther than this. */
export const WALK_MAX_M = 25_000;

export function snapStart(net: WalkNetwork, lon: number, lat: number): Snap | null {
  return snapPoint(net.index, lon, lat, START_MAX_M);
}

/**
 * The metres of the shortest walk from (lon, lat) to each offer (null: not reachable on the network), in one search
 * that stops once every offer's edge is settled at both ends.
 */
export function walksTo(net: WalkNetwork, start: Snap, offerIds: string[]): (number | null)[] {
  const g = net.graph;
  const targets = offerIds.map((id) => {
    const i = net.offerIndex.get(id);
    return i === undefined ? null : (net.offers.snaps[i] ?? null);
  });
  const needed = new Set<number>();
  for (const s of targets) if (s) for (const n of [g.a[s.edge] as number, g.b[s.edge] as number]) needed.add(n);
  const search = walkFrom(g, startsOf(g, start), WALK_MAX_M, (node) => {
    needed.delete(node);
    return needed.size === 0;
  });
  return targets.map((s) => {
    if (!s) return null;
    const m = walkToSnap(search, s, start);
    return Number.isFinite(m) ? m : null;
  });
}

function walkToSnap(search: Search, to: Snap, from: Snap): number {
  const g = search.graph;
  const len = g.len[to.edge] as number;
  let best = Math.min(
    search.distance(g.a[to.edge] as number) + to.t * len,
    search.distance(g.b[to.edge] as number) + (1 - to.t) * len,
  );
  if (from.edge === to.edge) best = Math.min(best, from.m + Math.abs(from.t - to.t) * len);
  return best + to.m;
}

export interface Band {
  minutes: number;
  metres: number;
  polygons: [number, number][][][];
  addresses: number;
  /** Modelled persons of the addresses inside; addresses without a figure are counted in residentsUnknown. */
  residents: number;
  residentsUnknown: number;
  offers: Record<string, number>;
  offerIds: string[];
}

/** One band per number of minutes: the polygon of the reached network, and what lies within that walk. */
export function isochroneBands(net: WalkNetwork, lon: number, lat: number, start: Snap, minutes: number[]): Band[] {
  const g = net.graph;
  const limits = minutes.map(metresIn);
  const search = walkFrom(g, startsOf(g, start), Math.max(...limits));
  const grid = gridAt(lon, lat, ISOCHRONE_CELL_M);
  const homes = reached(search, net.addresses, Math.max(...limits), start);
  const offers = reached(search, net.offers, Math.max(...limits), start);
  return minutes.map((min, k) => {
    const limit = limits[k] as number;
    const cells = fillCells(
      reachedSegments(search, limit, grid, { lon, lat, snap: start }),
      ISOCHRONE_CELL_M,
      ISOCHRONE_BUFFER_M,
    );
    let addresses = 0;
    let residents = 0;
    let residentsUnknown = 0;
    for (const [i, m] of homes) {
      if (m > limit) continue;
      addresses++;
      const p = net.persons[i] as number;
      if (Number.isNaN(p)) residentsUnknown++;
      else residents += p;
    }
    const byCategory: Record<string, number> = {};
    const ids: string[] = [];
    for (const [i, m] of offers) {
      if (m > limit) continue;
      const c = net.offerCategory[i] as string;
      byCategory[c] = (byCategory[c] ?? 0) + 1;
      ids.push(net.offerIds[i] as string);
    }
    return {
      minutes: min,
      metres: limit,
      polygons: outline(cells, grid),
      addresses,
      residents,
      residentsUnknown,
      offers: byCategory,
      offerIds: ids.sort(),
    };
  });
}

/** Walks made by warmUp. */
export const WARM_WALKS = 12;

/**
 * Walks isochrones of 5, 10 and 15 minutes from nodes spread over the network, and drops them. Measured on the
 * Dortmund network (PGlite, 2 busy cores), the first answers after the network was read took 50–150 ms where later
 * ones take 4–20 ms: the compiler had not yet optimised the walk, fill and outline loops, and the collector was
 * still moving the arrays just read. Done right after reading, that cost falls on the load, not on the first
 * answers. Answers are unchanged: no state outlives a walk but the search's workspace, which every walk starts
 * afresh. Returns the walks made.
 */
export function warmUp(net: WalkNetwork, walks = WARM_WALKS): number {
  const n = net.graph.lon.length;
  let made = 0;
  for (let k = 0; k < walks && n > 0; k++) {
    const node = Math.floor(((k + 0.5) * n) / walks);
    const lon = net.graph.lon[node] as number;
    const lat = net.graph.lat[node] as number;
    const start = snapStart(net, lon, lat);
    if (!start) continue;
    isochroneBands(net, lon, lat, start, [5, 10, 15]);
    made++;
  }
  return made;
}

/**
 * The shortest walk from a point to an offer as a line (lon, lat): from the point to the network, along it, and
 * from the network to the offer; null when the offer is not reachable.
 */
export function walkRoute(
  net: WalkNetwork,
  lon: number,
  lat: number,
  start: Snap,
  offerId: string,
): { metres: number; coordinates: [number, number][] } | null {
  const g = net.graph;
  const i = net.offerIndex.get(offerId);
  const to = i === undefined ? null : net.offers.snaps[i];
  if (!to || i === undefined) return null;
  const ends = [g.a[to.edge] as number, g.b[to.edge] as number];
  const needed = new Set(ends);
  const search = walkFrom(g, startsOf(g, start), WALK_MAX_M, (node) => {
    needed.delete(node);
    return needed.size === 0;
  });
  const metres = walkToSnap(search, to, start);
  if (!Number.isFinite(metres)) return null;
  const at = (s: Snap): [number, number] => {
    const a = g.a[s.edge] as number;
    const b = g.b[s.edge] as number;
    return [
      (g.lon[a] as number) + s.t * ((g.lon[b] as number) - (g.lon[a] as number)),
      (g.lat[a] as number) + s.t * ((g.lat[b] as number) - (g.lat[a] as number)),
    ];
  };
  const offerPoint: [number, number] = [net.offerLon[i] as number, net.offerLat[i] as number];
  const len = g.len[to.edge] as number;
  const direct = start.edge === to.edge ? start.m + Math.abs(start.t - to.t) * len + to.m : Number.POSITIVE_INFINITY;
  if (direct <= metres) return { metres, coordinates: [[lon, lat], at(start), at(to), offerPoint] };
  // The end of the offer's edge the walk comes in by, and the nodes back to the start's edge.
  const viaA = search.distance(ends[0] as number) + to.t * len;
  const viaB = search.distance(ends[1] as number) + (1 - to.t) * len;
  let node = (viaA <= viaB ? ends[0] : ends[1]) as number;
  const path: [number, number][] = [];
  for (;;) {
    path.push([g.lon[node] as number, g.lat[node] as number]);
    const e = search.via(node);
    if (e < 0) break;
    node = g.a[e] === node ? (g.b[e] as number) : (g.a[e] as number);
  }
  path.reverse();
  return { metres, coordinates: [[lon, lat], at(start), ...path, at(to), offerPoint] };
}
