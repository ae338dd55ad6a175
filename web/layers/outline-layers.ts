import type { Layer } from '@deck.gl/core';
import { GeoJsonLayer, TextLayer } from '@deck.gl/layers';
import type { AreaFeature, AreaFeatureCollection } from './choropleth-layer.ts';
import type { RGBA } from './palettes.ts';

/**
 * Outlines and names of areas drawn over a map, such as the Aktionsräume over a choropleth: a dark line on a
 * white casing, so it reads on light and dark classes alike, and the names in a halo.
 */

export interface OutlineLayerOptions<F extends AreaFeature = AreaFeature> {
  id: string;
  areas: AreaFeatureCollection<F>;
  /** Draw the names at the areas' label points (default true). */
  labels?: boolean;
  color?: RGBA;
  /** The text of a label (default: the name). */
  labelOf?: (feature: F) => string;
  pickable?: boolean;
}

const INK: RGBA = [35, 31, 32, 255];
const CASING: RGBA = [255, 255, 255, 210];

export function outlineLayers<F extends AreaFeature>({
  id,
  areas,
  labels = true,
  color = INK,
  labelOf = (f) => f.properties.name,
  pickable = false,
}: OutlineLayerOptions<F>): Layer[] {
  const layers: Layer[] = [
    new GeoJsonLayer<F['properties']>({
      id: `${id}-casing`,
      data: areas as never,
      filled: false,
      stroked: true,
      getLineColor: CASING,
      lineWidthUnits: 'pixels',
      getLineWidth: 4.5,
      pickable: false,
    }),
    new GeoJsonLayer<F['properties']>({
      id: `${id}-line`,
      data: areas as never,
      filled: false,
      stroked: true,
      getLineColor: color,
      lineWidthUnits: 'pixels',
      getLineWidth: 2,
      pickable,
    }),
  ];
  if (labels) {
    layers.push(
      new TextLayer<F>({
        id: `${id}-labels`,
        data: areas.features,
        getPosition: (f) => [f.properties.label[0] as number, f.properties.label[1] as number],
        getText: labelOf,
        getSize: 12,
        getColor: color,
        fontFamily: '"Noto Sans", "DejaVu Sans", sans-serif',
        fontWeight: 600,
        characterSet: 'auto',
        background: true,
        getBackgroundColor: [255, 255, 255, 230],
        getBorderColor: color,
        getBorderWidth: 1,
        backgroundPadding: [5, 2, 5, 2],
        getTextAnchor: 'middle',
        getAlignmentBaseline: 'center',
        maxWidth: 10,
        wordBreak: 'break-word',
        pickable: false,
      }),
    );
  }
  return layers;
}
