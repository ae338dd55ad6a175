/**
 * The city the atlas shows. A constant for now; later it comes from the API (/api/config),
 * so components take these values from here and never write coordinates of their own.
 */

/** [west, south, east, north] in degrees (WGS 84). */
export type BBox = readonly [west: number, south: number, east: number, north: number];

export interface CityConfig {
  id: string;
  name: string;
  /** The city's extent: the map's first view fits it. */
  bounds: BBox;
  /** How far the map may be panned: about where the basemap has tiles, so no empty band shows. */
  maxBounds: BBox;
  /** Highest zoom of the basemap tiles; the map zooms beyond it by overzooming. */
  basemapMaxZoom: number;
  /** Attribution the basemap always needs; data sources add theirs later (via /api/sources). */
  basemapAttribution: readonly string[];
}

export const CITY: CityConfig = {
  id: 'dortmund',
  name: 'Dortmund',
  bounds: [7.3, 51.41, 7.64, 51.6],
  maxBounds: [7.15, 51.39, 7.8, 51.625],
  basemapMaxZoom: 14,
  basemapAttribution: [
    '<a href="https://www.openstreetmap.org/copyright" target="_blank" rel="noopener">© OpenStreetMap contributors</a> (ODbL)',
    '<a href="https://openmaptiles.org/" target="_blank" rel="noopener">© OpenMapTiles</a>',
  ],
};
