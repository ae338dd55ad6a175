/**
 * The shared layer builders (they import deck.gl) as one module that pages load with the map, not with their own
 * code: `useLayerModule(() => import('../layers/layer-kit.ts'))` (web/map/use-layer-module.ts).
 */
export { choroplethLayers, GREY_BOUNDARY } from './choropleth-layer.ts';
export { offerLayers } from './offer-layers.ts';
export { outlineLayers } from './outline-layers.ts';
