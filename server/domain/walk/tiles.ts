import { VectorTile } from '@mapbox/vector-tile';
import { PbfReader } from 'pbf';

/**
 * The walkable lines of one OpenMapTiles vector tile (layer `transportation`), cut to the tile's own square.
 *
 * Tiles repeat a margin of their neighbours (the tile buffer), where a line ends at an artificial cut; keeping only
 * the part inside the tile's square leaves every line's pieces meeting on the seam, where the graph joins them
 * (graph.ts). Which lines are walkable is a rule of the OpenMapTiles schema, not of a city (walkableClass).
 */

/** A walkable line: lon, lat per vertex, whether the vertex lies on the tile's edge (a cut), and its class. */
export interface WalkLine {
  coords: [number, number][];
  seam: boolean[];
  kind: string;
}

/** The path subclasses that are footways by definition (OpenMapTiles: class `path`). */
const FOOT_PATHS = new Set(['footway', 'path', 'steps', 'pedestrian']);
/** Roads with a pavement or walkable verge, unless tagged otherwise (`foot=no`). */
const ROADS = new Set(['minor', 'service', 'track', 'tertiary', 'secondary', 'primary']);
const FOOT_ALLOWED = new Set(['yes', 'designated', 'permissive']);

/**
 * The kind a `transportation` feature is walked as, or null when it is not walkable: footways, paths, steps,
 * pedestrian streets; minor streets (residential, living streets, unclassified), service roads, tracks, tertiary,
 * secondary and primary roads and their links. Motorways and their links never; trunk roads, cycleways,
 * bridleways and other paths only where foot access is tagged (`foot=yes|designated|permissive`); anything tagged
 * `foot=no` never. Rail, transit, ferries and roads under construction are not walkable. Bridges and tunnels are
 * kept (`brunnel`): where two lines cross without a shared vertex they do not connect.
 */
export function walkableKind(p: Record<string, unknown>): string | null {
  const cls = typeof p.class === 'string' ? p.class : '';
  const sub = typeof p.subclass === 'string' ? p.subclass : '';
  const foot = typeof p.foot === 'string' ? p.foot : '';
  if (foot === 'no') return null;
  if (cls === 'path') return FOOT_PATHS.has(sub) || FOOT_ALLOWED.has(foot) ? sub || 'path' : null;
  if (ROADS.has(cls)) return cls;
  if (cls === 'trunk' && FOOT_ALLOWED.has(foot)) return cls;
  return null;
}

/** Cuts a polyline (tile coordinates) to the square [0, size]², as the pieces that lie inside it. */
export function clipToSquare(line: [number, number][], size: number): [number, number][][] {
  const parts: [number, number][][] = [];
  let current: [number, number][] | null = null;
  for (let i = 1; i < line.length; i++) {
    const a = line[i - 1] as [number, number];
    const b = line[i] as [number, number];
    const cut = clipSegment(a, b, size);
    if (!cut) {
      current = null;
      continue;
    }
    const [p, q] = cut;
    const last = current?.[current.length - 1];
    if (!current || !last || last[0] !== p[0] || last[1] !== p[1]) {
      current = [p];
      parts.push(current);
    }
    current.push(q);
    if (q[0] !== b[0] || q[1] !== b[1]) current = null; // left the square
  }
  return parts.filter((p) => p.length >= 2);
}

/** Liang–Barsky: the part of segment a–b inside [0, size]², or null. */
function clipSegment(
  a: [number, number],
  b: [number, number],
  size: number,
): [[number, number], [number, number]] | null {
  const dx = b[0] - a[0];
  const dy = b[1] - a[1];
  let t0 = 0;
  let t1 = 1;
  const edges: [number, number][] = [
    [-dx, a[0]],
    [dx, size - a[0]],
    [-dy, a[1]],
    [dy, size - a[1]],
  ];
  for (const [p, q] of edges) {
    if (p === 0) {
      if (q < 0) return null;
    } else {
      const r = q / p;
      if (p < 0) {
        if (r > t1) return null;
        if (r > t0) t0 = r;
      } else {
        if (r < t0) return null;
        if (r < t1) t1 = r;
      }
    }
  }
  const at = (t: number): [number, number] =>
    t === 0 ? a : t === 1 ? b : [clamp(a[0] + t * dx, size), clamp(a[1] + t * dy, size)];
  const p = at(t0);
  const q = at(t1);
  if (p[0] === q[0] && p[1] === q[1]) return null;
  return [p, q];
}

const clamp = (v: number, size: number) => (Math.abs(v) < 1e-9 ? 0 : Math.abs(v - size) < 1e-9 ? size : v);

/** Tile pixel → lon, lat (Web Mercator, XYZ scheme). */
export function tileToLonLat(z: number, x: number, y: number, extent: number, px: number, py: number) {
  const scale = extent * 2 ** z;
  const gx = x * extent + px;
  const gy = y * extent + py;
  const lon = (gx / scale) * 360 - 180;
  const lat = (Math.atan(Math.sinh(Math.PI * (1 - (2 * gy) / scale))) * 180) / Math.PI;
  return [lon, lat] as [number, number];
}

/** The walkable lines of a tile's `transportation` layer, cut to the tile; none when the layer is missing. */
export function readWalkLines(buf: Uint8Array, z: number, x: number, y: number): WalkLine[] {
  const layer = new VectorTile(new PbfReader(buf)).layers.transportation;
  if (!layer) return [];
  const size = layer.extent;
  const out: WalkLine[] = [];
  for (let i = 0; i < layer.length; i++) {
    const f = layer.feature(i);
    if (f.type !== 2) continue; // lines only: areas of the layer are outlines, not ways
    const kind = walkableKind(f.properties);
    if (!kind) continue;
    for (const ring of f.loadGeometry()) {
      const line = ring.map((p) => [p.x, p.y] as [number, number]);
      for (const part of clipToSquare(line, size)) {
        out.push({
          coords: part.map(([px, py]) => tileToLonLat(z, x, y, size, px, py)),
          seam: part.map(([px, py]) => px === 0 || py === 0 || px === size || py === size),
          kind,
        });
      }
    }
  }
  return out;
}
