/**
 * The shared layer builders (they import deck.gl) as one module that pages load with the map, not with their own
 * code, through useLayerModule (web/map/use-layer-module.ts) and a dynamic import of this file.
 */
export { catchmentLayers } from './catchment-layer.ts';
export { choroplethLayers, GREY_BOUNDARY } from './choropleth-layer.ts';
export { offerLayers } from './offer-layers.ts';
export { outlineLayers } from './outline-layers.ts';
