import notoLatin400 from '@fontsource/noto-sans/files/noto-sans-latin-400-normal.woff2?url';
import notoLatin600 from '@fontsource/noto-sans/files/noto-sans-latin-600-normal.woff2?url';
import notoLatinExt400 from '@fontsource/noto-sans/files/noto-sans-latin-ext-400-normal.woff2?url';
import notoLatinExt600 from '@fontsource/noto-sans/files/noto-sans-latin-ext-600-normal.woff2?url';
import notoArabic400 from '@fontsource/noto-sans-arabic/files/noto-sans-arabic-arabic-400-normal.woff2?url';
import notoArabic600 from '@fontsource/noto-sans-arabic/files/noto-sans-arabic-arabic-600-normal.woff2?url';
import type {
  ExpressionSpecification,
  FontFacesSpecification,
  LayerSpecification,
  StyleSpecification,
} from 'maplibre-gl';
import { basemapAttributionHtml, type WebConfig } from '../config.ts';
import { basemapColors } from './basemap-colors.ts';

/**
 * Our own restrained basemap over the OpenMapTiles schema: light, warm greys with muted water and
 * green, so that choropleths and service points read on top of it. No sprite, no glyphs URL:
 * labels are drawn from the Noto Sans files the app serves itself (the style's `font-faces`).
 */

export const BASEMAP_SOURCE = 'basemap';

/** Layer ids to pass as deck.gl `beforeId`: a data layer drawn before one of them sits beneath it. */
export const basemapAnchors = {
  /** Above land, water and buildings, beneath roads, boundaries and labels. */
  belowRoads: 'road-path',
  /** Above everything but the labels: the usual place for a choropleth. */
  belowLabels: 'label-water',
} as const;

/** Names for `text-font`; `font-faces` below says which files draw them. */
export const FONT_REGULAR = 'Noto Sans Regular';
export const FONT_SEMIBOLD = 'Noto Sans SemiBold';

// Unicode ranges of the Fontsource subsets (latin, latin-ext, arabic), as in their CSS.
const LATIN = [
  'U+0000-00FF',
  'U+0131',
  'U+0152-0153',
  'U+02BB-02BC',
  'U+02C6',
  'U+02DA',
  'U+02DC',
  'U+0304',
  'U+0308',
  'U+0329',
  'U+2000-206F',
  'U+20AC',
  'U+2122',
  'U+2191',
  'U+2193',
  'U+2212',
  'U+2215',
  'U+FEFF',
  'U+FFFD',
];
const LATIN_EXT = [
  'U+0100-02BA',
  'U+02BD-02C5',
  'U+02C7-02CC',
  'U+02CE-02D7',
  'U+02DD-02FF',
  'U+1D00-1DBF',
  'U+1E00-1E9F',
  'U+1EF2-1EFF',
  'U+2020',
  'U+20A0-20AB',
  'U+20AD-20C0',
  'U+2113',
  'U+2C60-2C7F',
  'U+A720-A7FF',
];
const ARABIC = ['U+0600-06FF', 'U+0750-077F', 'U+0870-08FF', 'U+FB50-FDFF', 'U+FE70-FEFC'];

function fontFaces(origin: string): FontFacesSpecification {
  const url = (path: string) => new URL(path, origin).href;
  return {
    [FONT_REGULAR]: [
      { url: url(notoLatin400), 'unicode-range': LATIN },
      { url: url(notoLatinExt400), 'unicode-range': LATIN_EXT },
      { url: url(notoArabic400), 'unicode-range': ARABIC },
    ],
    [FONT_SEMIBOLD]: [
      { url: url(notoLatin600), 'unicode-range': LATIN },
      { url: url(notoLatinExt600), 'unicode-range': LATIN_EXT },
      { url: url(notoArabic600), 'unicode-range': ARABIC },
    ],
  };
}

const c = basemapColors;
const src = { source: BASEMAP_SOURCE } as const;
const name: ExpressionSpecification = ['coalesce', ['get', 'name'], ['get', 'name:latin']];
const classIn = (...classes: string[]): ExpressionSpecification => ['in', ['get', 'class'], ['literal', classes]];
/** A line width growing with zoom (exponential, base 1.5): `width(z1, px1, z2, px2, …)`. */
const width = (...stops: number[]): ExpressionSpecification =>
  ['interpolate', ['exponential', 1.5], ['zoom'], ...stops] as unknown as ExpressionSpecification;

/**
 * A width by zoom that differs for some classes. Zoom must stay the input of the outermost
 * `interpolate`, so the class `match` goes inside every stop.
 */
function widthByClass(zooms: number[], classes: string[], wide: number[], narrow: number[]): ExpressionSpecification {
  const stops = zooms.flatMap((z, i) => [z, ['match', ['get', 'class'], classes, wide[i] ?? 0, narrow[i] ?? 0]]);
  return ['interpolate', ['exponential', 1.5], ['zoom'], ...stops] as unknown as ExpressionSpecification;
}

const MAJOR = ['motorway', 'trunk', 'primary', 'secondary', 'tertiary'];
const MINOR = ['minor', 'service'];

function layers(): LayerSpecification[] {
  return [
    { id: 'land', type: 'background', paint: { 'background-color': c.land } },
    {
      id: 'landuse',
      type: 'fill',
      ...src,
      'source-layer': 'landuse',
      filter: classIn('residential', 'suburb', 'neighbourhood', 'commercial', 'retail', 'industrial', 'railway'),
      paint: {
        'fill-color': ['match', ['get', 'class'], ['industrial', 'railway', 'commercial'], c.industrial, c.urban],
      },
    },
    {
      id: 'landcover',
      type: 'fill',
      ...src,
      'source-layer': 'landcover',
      filter: classIn('wood', 'grass', 'farmland', 'wetland'),
      paint: {
        'fill-color': ['match', ['get', 'class'], 'wood', c.wood, 'farmland', c.farmland, c.grass],
      },
    },
    {
      id: 'park',
      type: 'fill',
      ...src,
      'source-layer': 'landuse',
      filter: classIn('park', 'cemetery', 'pitch', 'playground', 'recreation_ground', 'zoo', 'stadium'),
      paint: { 'fill-color': c.park },
    },
    {
      id: 'park-protected',
      type: 'fill',
      ...src,
      'source-layer': 'park',
      paint: { 'fill-color': c.park, 'fill-opacity': 0.5 },
    },
    { id: 'water', type: 'fill', ...src, 'source-layer': 'water', paint: { 'fill-color': c.water } },
    {
      id: 'waterway',
      type: 'line',
      ...src,
      'source-layer': 'waterway',
      filter: ['!=', ['get', 'brunnel'], 'tunnel'],
      paint: {
        'line-color': c.water,
        'line-width': widthByClass([10, 14, 18], ['river', 'canal'], [1, 3, 12], [0, 1, 3]),
      },
    },
    {
      id: 'building',
      type: 'fill',
      ...src,
      'source-layer': 'building',
      minzoom: 14,
      paint: { 'fill-color': c.building, 'fill-outline-color': c.buildingOutline },
    },
    {
      id: 'road-path',
      type: 'line',
      ...src,
      'source-layer': 'transportation',
      minzoom: 14,
      filter: classIn('path', 'track'),
      paint: { 'line-color': c.path, 'line-width': width(14, 0.75, 18, 2), 'line-dasharray': [2, 1.5] },
    },
    {
      id: 'road-minor-casing',
      type: 'line',
      ...src,
      'source-layer': 'transportation',
      minzoom: 13,
      filter: classIn(...MINOR),
      layout: { 'line-cap': 'round', 'line-join': 'round' },
      paint: { 'line-color': c.roadCasing, 'line-width': width(13, 1.5, 18, 16) },
    },
    {
      id: 'road-major-casing',
      type: 'line',
      ...src,
      'source-layer': 'transportation',
      minzoom: 8,
      filter: classIn(...MAJOR),
      layout: { 'line-cap': 'round', 'line-join': 'round' },
      paint: {
        'line-color': c.roadCasing,
        'line-width': widthByClass([8, 12, 18], ['motorway', 'trunk'], [1.5, 3.5, 28], [0.75, 2.5, 22]),
      },
    },
    {
      id: 'road-minor',
      type: 'line',
      ...src,
      'source-layer': 'transportation',
      minzoom: 12,
      filter: classIn(...MINOR),
      layout: { 'line-cap': 'round', 'line-join': 'round' },
      paint: {
        'line-color': ['interpolate', ['linear'], ['zoom'], 12, c.roadCasing, 13.5, c.road],
        'line-width': width(12, 0.5, 13, 0.75, 18, 13),
      },
    },
    {
      id: 'road-major',
      type: 'line',
      ...src,
      'source-layer': 'transportation',
      minzoom: 8,
      filter: classIn(...MAJOR),
      layout: { 'line-cap': 'round', 'line-join': 'round' },
      paint: {
        'line-color': ['match', ['get', 'class'], ['motorway', 'trunk'], c.roadMajor, c.road],
        'line-width': widthByClass([8, 12, 18], ['motorway', 'trunk'], [0.75, 2, 24], [0.25, 1.25, 18]),
      },
    },
    {
      id: 'railway',
      type: 'line',
      ...src,
      'source-layer': 'transportation',
      minzoom: 9,
      filter: ['all', classIn('rail', 'transit'), ['!=', ['get', 'brunnel'], 'tunnel']],
      paint: { 'line-color': c.rail, 'line-width': width(9, 0.5, 14, 1.25, 18, 2.5) },
    },
    {
      id: 'boundary-district',
      type: 'line',
      ...src,
      'source-layer': 'boundary',
      minzoom: 11,
      filter: ['all', ['in', ['get', 'admin_level'], ['literal', [9, 10]]], ['==', ['get', 'maritime'], 0]],
      paint: {
        'line-color': c.boundaryFaint,
        'line-width': ['match', ['get', 'admin_level'], 9, 1.25, 0.75],
        'line-dasharray': [3, 2],
      },
    },
    {
      id: 'boundary-city',
      type: 'line',
      ...src,
      'source-layer': 'boundary',
      filter: ['all', ['in', ['get', 'admin_level'], ['literal', [4, 5, 6]]], ['==', ['get', 'maritime'], 0]],
      paint: { 'line-color': c.boundary, 'line-width': width(8, 1, 14, 2), 'line-dasharray': [4, 2] },
    },
    {
      id: basemapAnchors.belowLabels,
      type: 'symbol',
      ...src,
      'source-layer': 'water_name',
      minzoom: 13,
      layout: { 'text-field': name, 'text-font': [FONT_REGULAR], 'text-size': 11, 'text-max-width': 8 },
      paint: { 'text-color': c.labelWater, 'text-halo-color': c.halo, 'text-halo-width': 1.25 },
    },
    {
      id: 'label-street',
      type: 'symbol',
      ...src,
      'source-layer': 'transportation_name',
      minzoom: 13,
      filter: classIn(...MAJOR, ...MINOR),
      layout: {
        'symbol-placement': 'line',
        'text-field': name,
        'text-font': [FONT_REGULAR],
        'text-size': ['interpolate', ['linear'], ['zoom'], 13, 10, 18, 14],
        'text-max-angle': 30,
        'text-padding': 4,
      },
      paint: { 'text-color': c.labelMinor, 'text-halo-color': c.halo, 'text-halo-width': 1.5 },
    },
    {
      id: 'label-place-minor',
      type: 'symbol',
      ...src,
      'source-layer': 'place',
      minzoom: 11,
      filter: classIn('suburb', 'quarter', 'neighbourhood', 'village', 'hamlet'),
      layout: {
        'text-field': name,
        'text-font': [FONT_REGULAR],
        'text-size': ['interpolate', ['linear'], ['zoom'], 11, 11, 16, 14],
        'text-max-width': 8,
        'text-padding': 6,
      },
      paint: { 'text-color': c.labelMinor, 'text-halo-color': c.halo, 'text-halo-width': 1.5 },
    },
    {
      id: 'label-place-major',
      type: 'symbol',
      ...src,
      'source-layer': 'place',
      maxzoom: 14,
      filter: classIn('city', 'town'),
      layout: {
        'text-field': name,
        'text-font': [FONT_SEMIBOLD],
        'text-size': ['interpolate', ['linear'], ['zoom'], 8, 12, 13, 17],
        'text-max-width': 8,
      },
      paint: { 'text-color': c.label, 'text-halo-color': c.halo, 'text-halo-width': 1.5 },
    },
  ];
}

export interface BasemapStyleOptions {
  /** The page's origin: tile and font URLs must be absolute, since the map's worker resolves them too. */
  origin: string;
  /** The app's settings: the tiles' highest zoom and their attribution. */
  config: WebConfig;
}

export function basemapStyle({ origin, config }: BasemapStyleOptions): StyleSpecification {
  return {
    version: 8,
    name: 'Quartiersatlas basemap',
    sources: {
      [BASEMAP_SOURCE]: {
        type: 'vector',
        tiles: [`${new URL(origin).origin}/tiles/basemap/{z}/{x}/{y}.pbf`],
        minzoom: 0,
        maxzoom: config.basemap.maxZoom,
        attribution: basemapAttributionHtml(config).join(' '),
      },
    },
    'font-faces': fontFaces(origin),
    layers: layers(),
  };
}
