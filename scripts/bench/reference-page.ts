/**
 * The front-end reference: a bare MapLibre page (MapLibre's own ES module, no React, no deck.gl) with the app's
 * basemap style as the app's map ends up with it, and the same quarters from /api/areas?level=quarter as a
 * native fill layer beneath the labels, in the same camera. It sets `window.__benchPainted` (ms since
 * navigation start) on the map's first `idle`: style, tiles, fonts and the polygons loaded and drawn.
 */

export interface CapturedView {
  /** The app map's style without deck.gl's custom layers, with its origin replaced by `__ORIGIN__`. */
  style: string;
  center: [number, number];
  zoom: number;
  /** The layer the choropleth sits beneath. */
  beforeId: string | null;
}

const COLORS = ['#f1eef6', '#bdc9e1', '#74a9cf', '#2b8cbe', '#045a8d'];

export function referencePage(view: CapturedView): string {
  const config = JSON.stringify({ center: view.center, zoom: view.zoom, beforeId: view.beforeId, colors: COLORS });
  // The style is JSON inside a JSON string: safe inside a script element once "<" is escaped.
  const style = JSON.stringify(view.style).replace(/</g, '\\u003c');
  return `<!doctype html>
<html lang="de">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Reference: bare MapLibre</title>
<link rel="stylesheet" href="/bench/maplibre/maplibre-gl.css">
<style>html, body, #map { margin: 0; width: 100%; height: 100%; }</style>
</head>
<body>
<div id="map"></div>
<script type="module">
import * as maplibregl from '/bench/maplibre/maplibre-gl.mjs';
maplibregl.setWorkerUrl('/bench/maplibre/maplibre-gl-worker.mjs');
const config = ${config.replace(/</g, '\\u003c')};
const style = JSON.parse(${style}.replaceAll('__ORIGIN__', location.origin));
style.sources.quarters = { type: 'geojson', data: location.origin + '/api/areas?level=quarter' };
const colorOf = ['match', ['%', ['to-number', ['get', 'code'], 0], 5]];
config.colors.forEach((c, i) => colorOf.push(i, c));
colorOf.push('#cccccc');
const at = config.beforeId ? style.layers.findIndex((l) => l.id === config.beforeId) : -1;
const layers = [
  { id: 'quarters-fill', type: 'fill', source: 'quarters', paint: { 'fill-color': colorOf } },
  { id: 'quarters-line', type: 'line', source: 'quarters', paint: { 'line-color': '#ffffff', 'line-width': 0.75 } },
];
style.layers.splice(at < 0 ? style.layers.length : at, 0, ...layers);
const map = new maplibregl.Map({ container: 'map', style, center: config.center, zoom: config.zoom, attributionControl: false });
window.__map = map;
map.once('idle', () => {
  window.__benchPainted = performance.now();
  // Afterwards: how many polygons the source holds (in view or not), as a check that they were loaded.
  map.getSource('quarters').getData().then((data) => { window.__benchFeatures = data.features.length; });
});
</script>
</body>
</html>
`;
}
