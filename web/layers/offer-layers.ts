import type { Layer } from '@deck.gl/core';
import { ScatterplotLayer, TextLayer } from '@deck.gl/layers';
import { type Cluster, type ClusterIndex, clusterIndex } from './cluster.ts';
import type { OfferPoint } from './offer-points.ts';
import { type RGBA, rgba } from './palettes.ts';

/**
 * Offers (social services) as points: clustered while the map is zoomed out, single points from
 * `clusterBelowZoom` on. Pure layer builders over plain points; the planner and the council page share them.
 * The points and their colours, which need no deck.gl, are in offer-points.ts (re-exported here).
 */

export { CATEGORY_COLORS, categoryColors, type OfferPoint, offerPoints } from './offer-points.ts';

/** Colour of clusters that hold offers of several categories. */
export const MIXED_CLUSTER = '#37414b';
const RING: RGBA = [255, 255, 255, 255];
const HALO: RGBA = [25, 28, 32, 150];

export type OfferCluster = Cluster<OfferPoint> & { color: string };

/** Cluster radius in pixels. */
export const CLUSTER_RADIUS = 36;

/** One supercluster index per set of points and zoom limit, built when first needed. */
const indexes = new WeakMap<readonly OfferPoint[], Map<number, ClusterIndex<OfferPoint>>>();

function clustersAt(points: readonly OfferPoint[], zoom: number, clusterBelowZoom: number): Cluster<OfferPoint>[] {
  let byLimit = indexes.get(points);
  if (!byLimit) {
    byLimit = new Map();
    indexes.set(points, byLimit);
  }
  let index = byLimit.get(clusterBelowZoom);
  if (!index) {
    index = clusterIndex(points, { radius: CLUSTER_RADIUS, maxZoom: clusterBelowZoom - 1, keyOf: (p) => p.category });
    byLimit.set(clusterBelowZoom, index);
  }
  return index.at(zoom);
}

export interface OfferLayerOptions {
  id: string;
  points: readonly OfferPoint[];
  zoom: number;
  colors: ReadonlyMap<string, string>;
  /** From this zoom on every offer is a point of its own. */
  clusterBelowZoom?: number;
  selected?: string | null;
  pickable?: boolean;
}

/** The clusters a map at `zoom` shows (single offers are clusters of one). */
export function offerClusters({
  points,
  zoom,
  colors,
  clusterBelowZoom = 14,
}: Pick<OfferLayerOptions, 'points' | 'zoom' | 'colors' | 'clusterBelowZoom'>): OfferCluster[] {
  const clusters: Cluster<OfferPoint>[] =
    zoom >= clusterBelowZoom
      ? points.map((p, i) => ({ id: -1 - i, lon: p.lon, lat: p.lat, members: [p], key: p.category }))
      : clustersAt(points, zoom, clusterBelowZoom);
  // A cluster of one category takes its colour; one of several categories (key null) the mixed colour.
  return clusters.map((c) => ({ ...c, color: (c.key !== null && colors.get(c.key)) || MIXED_CLUSTER }));
}

/** Circles for offers and clusters (radius grows with the square root of the count), counts on the clusters. */
export function offerLayers(options: OfferLayerOptions): Layer[] {
  const { id, selected = null, pickable = true } = options;
  const clusters = offerClusters(options);
  const groups = clusters.filter((c) => c.members.length > 1);
  const radius = (c: OfferCluster) =>
    c.members.length === 1 ? 5 : Math.min(22, 8 + 2.2 * Math.sqrt(c.members.length));
  const key = `${options.zoom >= (options.clusterBelowZoom ?? 14) ? 'points' : Math.floor(options.zoom)}:${selected}`;
  const layers: Layer[] = [
    // A dark halo under every symbol: with the white ring it stands out on light and dark classes alike.
    new ScatterplotLayer<OfferCluster>({
      id: `${id}-halo`,
      data: clusters,
      getPosition: (c) => [c.lon, c.lat],
      getRadius: (c) => radius(c) + 2.5,
      radiusUnits: 'pixels',
      getFillColor: HALO,
      stroked: false,
      pickable: false,
      updateTriggers: { getRadius: key },
    }),
    new ScatterplotLayer<OfferCluster>({
      id: `${id}-points`,
      data: clusters,
      getPosition: (c) => [c.lon, c.lat],
      getRadius: radius,
      radiusUnits: 'pixels',
      getFillColor: (c) => rgba(c.color),
      getLineColor: (c) => (c.members.length === 1 && c.members[0]?.id === selected ? [20, 24, 28, 255] : RING),
      getLineWidth: (c) => (c.members.length === 1 && c.members[0]?.id === selected ? 3 : 1.5),
      lineWidthUnits: 'pixels',
      stroked: true,
      pickable,
      updateTriggers: { getLineColor: key, getLineWidth: key, getFillColor: key, getRadius: key },
    }),
  ];
  if (groups.length) {
    layers.push(
      new TextLayer<OfferCluster>({
        id: `${id}-counts`,
        data: groups,
        getPosition: (c) => [c.lon, c.lat],
        getText: (c) => String(c.members.length),
        getSize: 12,
        getColor: [255, 255, 255, 255],
        fontFamily: '"Noto Sans", "DejaVu Sans", sans-serif',
        fontWeight: 600,
        characterSet: '0123456789',
        getTextAnchor: 'middle',
        getAlignmentBaseline: 'center',
        pickable: false,
      }),
    );
  }
  return layers;
}
