import type { Layer } from '@deck.gl/core';
import { type AreaFeatureCollection, choroplethLayers } from '../layers/choropleth-layer.ts';
import { type OfferPoint, offerLayers } from '../layers/offer-layers.ts';
import { outlineLayers } from '../layers/outline-layers.ts';
import { rgba } from '../layers/palettes.ts';
import { basemapAnchors } from '../map/basemap-style.ts';
import type { AreaCollection } from './council-api.ts';
import { AREA_LINE, NUMBERED_FILL, UNNUMBERED_FILL } from './council-colors.ts';

/**
 * The council maps, composed of the shared pure layer builders (web/layers): the overview of all action areas,
 * and one action area with its quarters and the offers in and around it.
 */

export { AREA_LINE, NUMBERED_FILL, UNNUMBERED_FILL } from './council-colors.ts';

const QUARTER_LINE = rgba('#57534e', 230);

type ActionAreaFeature = AreaCollection['features'][number];

export function overviewLayers(areas: AreaCollection, hovered: string | null): Layer[] {
  const numbered = new Map(areas.features.map((f) => [f.properties.code, f.properties.numbered]));
  const collection = areas as AreaFeatureCollection<ActionAreaFeature>;
  return [
    ...choroplethLayers({
      id: 'council-areas',
      areas: collection,
      colorOf: (code) => (numbered.get(code) ? NUMBERED_FILL : UNNUMBERED_FILL),
      colorKey: 'numbered',
      zoom: 11,
      hovered,
      beforeId: basemapAnchors.belowLabels,
      pickable: true,
    }),
    ...outlineLayers({
      id: 'council-area-names',
      areas: collection,
      // Numbered areas by their number (the names are on the cards), the small ones by name.
      labelOf: (f) => (f.properties.numbered ? f.properties.code : f.properties.name),
    }),
  ];
}

export interface AreaLayerOptions {
  area: ActionAreaFeature;
  quarters: readonly ActionAreaFeature[];
  offers: readonly OfferPoint[];
  colors: ReadonlyMap<string, string>;
}

export function areaLayers({ area, quarters, offers, colors }: AreaLayerOptions): Layer[] {
  return [
    ...outlineLayers({
      id: 'council-quarters',
      areas: { type: 'FeatureCollection', features: [...quarters] } as AreaFeatureCollection<ActionAreaFeature>,
      color: QUARTER_LINE,
    }),
    ...outlineLayers({
      id: 'council-area',
      areas: { type: 'FeatureCollection', features: [area] } as AreaFeatureCollection<ActionAreaFeature>,
      color: rgba(AREA_LINE),
      labels: false,
    }),
    // Every offer on its own: an action area is small enough to show them all.
    ...offerLayers({ id: 'council-offers', points: offers, zoom: 14, colors, clusterBelowZoom: 0, pickable: true }),
  ];
}
