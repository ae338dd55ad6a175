import type { Layer } from '@deck.gl/core';
import type { AreaFeatureCollection } from '../layers/choropleth-layer.ts';
import { type OfferPoint, offerLayers } from '../layers/offer-layers.ts';
import { outlineLayers } from '../layers/outline-layers.ts';
import { rgba } from '../layers/palettes.ts';
import { REACHED_LINE, UNREACHED_LINE } from './programme-colors.ts';

/**
 * The map of a programme (issue 21): the quarters it reaches outlined in blue, the quarters of high need and poor
 * supply it does not reach outlined in orange (with their names), and its offers as points in their categories'
 * colours. Pure: built again on every render from what the page holds.
 */

export interface ProgrammeLayerOptions {
  reached: AreaFeatureCollection;
  unreached: AreaFeatureCollection;
  offers: readonly OfferPoint[];
  colors: ReadonlyMap<string, string>;
}

export function programmeLayers({ reached, unreached, offers, colors }: ProgrammeLayerOptions): Layer[] {
  return [
    ...outlineLayers({ id: 'programme-reached', areas: reached, color: rgba(REACHED_LINE), labels: false }),
    ...outlineLayers({ id: 'programme-unreached', areas: unreached, color: rgba(UNREACHED_LINE) }),
    ...offerLayers({ id: 'programme-offers', points: offers, zoom: 14, colors, clusterBelowZoom: 0, pickable: true }),
  ];
}
