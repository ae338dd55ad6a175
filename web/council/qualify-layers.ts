import type { Layer } from '@deck.gl/core';
import { type AreaFeatureCollection, choroplethLayers } from '../layers/choropleth-layer.ts';
import { outlineLayers } from '../layers/outline-layers.ts';
import { rgba } from '../layers/palettes.ts';
import { basemapAnchors } from '../map/basemap-style.ts';
import type { AreaCollection } from './council-api.ts';
import { AREA_LINE } from './council-colors.ts';
import { QUALIFY_COLORS, type QualifySet } from './qualify-colors.ts';

type AreaFeature = AreaCollection['features'][number];

/** The quarters coloured by set (in both, entering, leaving, neither), today's Aktionsräume outlined on top. */
export function qualifyLayers(
  quarters: AreaCollection,
  actionAreas: AreaCollection,
  setOf: ReadonlyMap<string, QualifySet>,
  key: string,
): Layer[] {
  return [
    ...choroplethLayers({
      id: 'qualify-quarters',
      areas: quarters as AreaFeatureCollection<AreaFeature>,
      colorOf: (code) => QUALIFY_COLORS[setOf.get(code) ?? 'other'],
      colorKey: key,
      zoom: 11,
      beforeId: basemapAnchors.belowLabels,
      pickable: true,
    }),
    ...outlineLayers({
      id: 'qualify-action-areas',
      areas: actionAreas as AreaFeatureCollection<AreaFeature>,
      color: rgba(AREA_LINE),
      labels: false,
    }),
  ];
}
