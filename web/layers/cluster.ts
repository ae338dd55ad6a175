import Supercluster from 'supercluster';
import type { BBox } from '../config.ts';
import { boundsOf } from '../map/bounds.ts';

/**
 * Clustering of points for a zoomed-out map, by supercluster (greedy distance clustering in screen space on
 * 512-px tiles, as MapLibre draws them, with a KD-tree per zoom level). Pure: points in, clusters out. The index
 * is built once per set of points; zoom is rounded down to whole levels by supercluster, so clusters do not
 * reshuffle while the map zooms smoothly.
 */

export interface ClusterInput {
  lon: number;
  lat: number;
}

export interface Cluster<T> {
  /** The cluster's position: supercluster's weighted centre of its members (in Web Mercator). */
  lon: number;
  lat: number;
  members: T[];
  /** Stable within an index: supercluster's cluster id, or `-1 - i` for the single point `i` of the input. */
  id: number;
  /** The members' common key (see `ClusterOptions.keyOf`), or null when they differ. */
  key: string | null;
}

export interface ClusterOptions<T> {
  /** Cluster radius in pixels. */
  radius: number;
  /** The highest zoom that clusters; above it every point stands alone. */
  maxZoom: number;
  /** A key per point (such as its category): a cluster keeps it when all its members share it. */
  keyOf?: (point: T) => string;
}

type PointProps = { index: number; key: string | null };
type ClusterProps = { key: string | null };

export interface ClusterIndex<T> {
  /** The clusters and single points a map at `zoom` shows, all of them (the atlas's points fit one city). */
  at(zoom: number): Cluster<T>[];
}

const WORLD: [number, number, number, number] = [-180, -85.05, 180, 85.05];

export function clusterIndex<T extends ClusterInput>(
  points: readonly T[],
  { radius, maxZoom, keyOf }: ClusterOptions<T>,
): ClusterIndex<T> {
  const index = new Supercluster<PointProps, ClusterProps>({
    radius,
    maxZoom,
    map: (p) => ({ key: p.key }),
    reduce: (acc, p) => {
      if (acc.key !== p.key) acc.key = null;
    },
  });
  index.load(
    points.map((p, i) => ({
      type: 'Feature',
      properties: { index: i, key: keyOf ? keyOf(p) : null },
      geometry: { type: 'Point', coordinates: [p.lon, p.lat] },
    })),
  );
  const byZoom = new Map<number, Cluster<T>[]>();
  const member = (props: PointProps) => points[props.index] as T;

  return {
    at(zoom) {
      const z = Math.floor(zoom);
      let clusters = byZoom.get(z);
      if (!clusters) {
        clusters = index.getClusters(WORLD, z).map((f): Cluster<T> => {
          const [lon, lat] = f.geometry.coordinates as [number, number];
          const props = f.properties;
          if ('cluster' in props && props.cluster) {
            const members = index
              .getLeaves(props.cluster_id, Number.POSITIVE_INFINITY)
              .map((l) => member(l.properties));
            return { id: props.cluster_id, lon, lat, members, key: props.key };
          }
          const p = props as PointProps;
          return { id: -1 - p.index, lon, lat, members: [member(p)], key: p.key };
        });
        byZoom.set(z, clusters);
      }
      return clusters;
    },
  };
}

/** The bounds [west, south, east, north] of a cluster's members, for zooming in on it. */
export function clusterBounds(members: readonly ClusterInput[]): BBox {
  return boundsOf(members.map((m) => [m.lon, m.lat] as const));
}
