import type { Layer } from '@deck.gl/core';
import { GeoJsonLayer, PathLayer } from '@deck.gl/layers';
import { hatchSegments, hatchSpacing, type Rings, type Segment } from './hatch.ts';
import { NO_DATA_FILL, NO_DATA_HATCH, type RGBA, rgba } from './palettes.ts';

/**
 * A classed choropleth of areas: pure deck.gl layer builders, used by the planner (indicators, gap view) and the
 * council page. The fill is opaque, so the colour on the map is exactly the colour in the legend; the basemap's
 * labels stay on top (pass `beforeId`). Areas without a colour are drawn grey and hatched.
 */

/** The geometry and properties the layers need of an area (the API's /api/areas features fit). */
export interface AreaFeature {
  type: 'Feature';
  id?: string | number;
  properties: { code: string; name: string; label: readonly [number, number] | number[] };
  geometry: { type: 'MultiPolygon'; coordinates: number[][][][] } | { type: 'Polygon'; coordinates: number[][][] };
}

export interface AreaFeatureCollection<F extends AreaFeature = AreaFeature> {
  type: 'FeatureCollection';
  features: F[];
}

export interface ChoroplethLayerOptions<F extends AreaFeature = AreaFeature> {
  /** Prefix of the layer ids; two choropleths on one map need different ones. */
  id: string;
  areas: AreaFeatureCollection<F>;
  /** The fill of an area (#rrggbb), or null when it has no value: then it is grey and hatched. */
  colorOf: (code: string) => string | null;
  /** Changes whenever `colorOf` gives other colours (deck.gl's updateTriggers compare it). */
  colorKey: string;
  /** Current zoom: the hatching is drawn a few pixels apart at every zoom level. */
  zoom: number;
  /** Selected areas, outlined strongly (the first one dark, a second one for comparison dashed-looking). */
  selected?: readonly string[];
  hovered?: string | null;
  /** MapLibre layer id to draw beneath (interleaved mode). */
  beforeId?: string;
  pickable?: boolean;
  /** The boundaries between areas (default: thin white, as between classes of a choropleth). */
  lineColor?: RGBA;
}

const OUTLINE: RGBA = [255, 255, 255, 220];
/** Boundaries for schemes whose light end is close to the basemap's land (diverging, bivariate). */
export const GREY_BOUNDARY: RGBA = [110, 110, 110, 140];
const SELECTED: RGBA = [20, 24, 28, 255];
const COMPARED: RGBA = [29, 95, 138, 255];
const HOVERED: RGBA = [20, 24, 28, 150];

type Extra = { beforeId?: string };

/** Hatching segments per area and spacing, computed once. */
const hatchCache = new WeakMap<object, Map<number, Segment[]>>();

function hatchOf(feature: AreaFeature, spacing: number): Segment[] {
  let bySpacing = hatchCache.get(feature.geometry);
  if (!bySpacing) {
    bySpacing = new Map();
    hatchCache.set(feature.geometry, bySpacing);
  }
  let segments = bySpacing.get(spacing);
  if (!segments) {
    const g = feature.geometry;
    const polygons: Rings[] = g.type === 'MultiPolygon' ? g.coordinates : [g.coordinates];
    segments = hatchSegments(polygons, spacing);
    bySpacing.set(spacing, segments);
  }
  return segments;
}

/** Fill, no-data hatching, and the outlines of the selected and hovered areas, bottom to top. */
export function choroplethLayers<F extends AreaFeature>({
  id,
  areas,
  colorOf,
  colorKey,
  zoom,
  selected = [],
  hovered = null,
  beforeId,
  pickable = true,
  lineColor = OUTLINE,
}: ChoroplethLayerOptions<F>): Layer[] {
  const extra: Extra = beforeId ? { beforeId } : {};
  const fills = new Map<string, RGBA>();
  const missing: F[] = [];
  for (const f of areas.features) {
    const color = colorOf(f.properties.code);
    fills.set(f.properties.code, rgba(color ?? NO_DATA_FILL));
    if (color === null) missing.push(f);
  }
  const lat = areas.features[0]?.properties.label[1] ?? 51.5;
  const spacing = hatchSpacing(zoom, lat);
  const hatch = missing.flatMap((f) => hatchOf(f, spacing));

  const layers: Layer[] = [
    new GeoJsonLayer<F['properties']>({
      id: `${id}-fill`,
      // deck.gl's GeoJSON typings want its own Feature type; ours is a structural subset of it.
      data: areas as never,
      filled: true,
      stroked: true,
      getFillColor: (f) => fills.get(f.properties.code) ?? rgba(NO_DATA_FILL),
      getLineColor: lineColor,
      lineWidthUnits: 'pixels',
      getLineWidth: 0.75,
      pickable,
      autoHighlight: false,
      updateTriggers: { getFillColor: colorKey },
      ...extra,
    }),
  ];
  if (hatch.length) {
    layers.push(
      new PathLayer<Segment>({
        id: `${id}-no-data`,
        data: hatch,
        getPath: (s) => s,
        getColor: rgba(NO_DATA_HATCH, 200),
        widthUnits: 'pixels',
        getWidth: 1,
        pickable: false,
        ...extra,
      }),
    );
  }
  const outlined = [...new Set([hovered, ...selected].filter((c): c is string => !!c))];
  if (outlined.length) {
    const chosen = areas.features.filter((f) => outlined.includes(f.properties.code));
    layers.push(
      new GeoJsonLayer<F['properties']>({
        id: `${id}-selection`,
        data: { type: 'FeatureCollection', features: chosen } as never,
        filled: false,
        stroked: true,
        getLineColor: (f) =>
          f.properties.code === selected[0] ? SELECTED : f.properties.code === selected[1] ? COMPARED : HOVERED,
        lineWidthUnits: 'pixels',
        getLineWidth: (f) => (selected.includes(f.properties.code) ? 3 : 2),
        pickable: false,
        updateTriggers: { getLineColor: selected.join(','), getLineWidth: selected.join(',') },
        ...extra,
      }),
    );
  }
  return layers;
}
