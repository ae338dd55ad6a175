/**
 * OGC API – Features (Part 1 core, GeoJSON, HTML, OpenAPI 3.0; Part 2 CRS by reference) as pure functions: which
 * collections the atlas offers, their metadata, their features from stored rows, the selection of a page of items
 * (bbox ids, property filters, datetime, offset and limit) and the links between the answers. routes/ogc.ts reads
 * the rows and sends what these functions make; domain/ogc-html.ts writes the same answers as HTML.
 *
 * Collections:
 * - `districts`, `quarters`, `action-areas`: one feature per area with code, name, parent and area, and for every
 *   indicator of the catalogue its newest value as the property `<indicator id>` and that value's reference date
 *   as `<indicator id>__date` (the privacy rule applied: a withheld value is null); unit, sources, method and dates
 *   of each in the collection's `properties`.
 * - `offers`: one point per offer, `category` and the other codes as queryables.
 * - `<level>.<indicator id>` (e.g. `quarters.residents`): one value per area: value, unit, date, method, source.
 */
import type { Catalogue, IndicatorRow, LatestRow, SourceRow } from '../db/queries/indicators.ts';
import { licenceUrl } from './attribution.ts';
import { METHOD_TEXT, parseNote, roundValue, suppress, type ValueLevel } from './indicators.ts';
import {
  type Box,
  CRS84,
  type Crs,
  type Geometry,
  type Interval,
  intersects,
  referenceInterval,
  SUPPORTED_CRS,
  writeGeometry,
} from './ogc-crs.ts';

export const CONFORMANCE = [
  'http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/core',
  'http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/geojson',
  'http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/html',
  'http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/oas30',
  'http://www.opengis.net/spec/ogcapi-features-2/1.0/conf/crs',
];

/** Items per page when `limit` is not given, and the most one page holds. */
export const DEFAULT_LIMIT = 100;
export const MAX_LIMIT = 1000;

/** The area levels as collections: collection id → level. */
export const AREA_COLLECTIONS: Record<string, ValueLevel> = {
  districts: 'district',
  quarters: 'quarter',
  'action-areas': 'action-area',
};
const LEVEL_COLLECTION: Record<ValueLevel, string> = {
  district: 'districts',
  quarter: 'quarters',
  'action-area': 'action-areas',
};
const LEVEL_TITLE: Record<ValueLevel, string> = {
  district: 'Districts (Stadtbezirke)',
  quarter: 'Quarters (statistische Bezirke)',
  'action-area': 'Action areas (Aktionsräume)',
};

/** The suffix of the property that holds the reference date of an indicator's value in an area collection. */
export const DATE_SUFFIX = '__date';

export type Scalar = string | number | boolean | null;

export interface Queryable {
  type: 'string' | 'number' | 'boolean';
  title: string;
}

export interface PropertyInfo {
  name: string;
  title: string;
  unit?: string;
  method?: string;
  method_note?: string;
  sources?: string[];
  dates?: string[];
}

export interface CollectionInfo {
  id: string;
  title: string;
  description: string;
  kind: 'areas' | 'offers' | 'indicator';
  level: ValueLevel | null;
  indicator: string | null;
  queryables: Record<string, Queryable>;
  properties: PropertyInfo[];
  /** Reference dates of the features (indicator collections); empty where the features carry none. */
  dates: string[];
  /** The ids of the sources of the collection's data. */
  sources: string[];
  /** Whether any of its values was computed or modelled from the sources (the licence note says so). */
  computed: boolean;
}

export interface OgcFeature {
  id: string;
  properties: Record<string, Scalar>;
  /** x, y order, in the CRS the store read it in (CRS84 or EPSG:25832). */
  geometry: Geometry | null;
  /** The days its data refer to (indicator collections), for `datetime`. */
  interval: Interval | null;
}

const areaQueryables = (level: ValueLevel): Record<string, Queryable> => ({
  code: { type: 'string', title: 'Official code of the area' },
  name: { type: 'string', title: 'Name of the area' },
  ...(level === 'quarter' ? { parent: { type: 'string', title: 'Code of the district the quarter lies in' } } : {}),
});

function indicatorProperty(ind: IndicatorRow, cat: Catalogue, level: ValueLevel): PropertyInfo {
  const dates = cat.levels.find((l) => l.indicator_id === ind.id && l.level === level)?.latest_dates ?? [];
  return {
    name: ind.id,
    title: ind.title.en,
    unit: ind.unit,
    method: ind.method,
    method_note: ind.method_note.en,
    sources: ind.source_ids,
    dates,
  };
}

/** The indicators with values at a level, in the catalogue's order. */
function indicatorsAt(cat: Catalogue, level: ValueLevel): IndicatorRow[] {
  const present = new Set(cat.levels.filter((l) => l.level === level && l.areas > 0).map((l) => l.indicator_id));
  return cat.indicators.filter((i) => present.has(i.id));
}

/**
 * Every collection, in a fixed order: the area levels, the offers, then one per indicator and level. Only the
 * indicators of `cat` appear: the catalogue read for anonymous readers is the whole of what this service shows.
 */
export function ogcCollections(cat: Catalogue, offerSources: string[]): CollectionInfo[] {
  const out: CollectionInfo[] = [];
  for (const [id, level] of Object.entries(AREA_COLLECTIONS)) {
    const inds = indicatorsAt(cat, level);
    out.push({
      id,
      title: LEVEL_TITLE[level],
      description:
        `The ${LEVEL_TITLE[level].toLowerCase()} of ${cat.city || 'the city'} with the newest value of every ` +
        `indicator: the property named by the indicator's id holds the value, <id>${DATE_SUFFIX} its reference ` +
        'date; unit, method and sources of each are listed under properties. A value withheld for privacy or ' +
        'missing in the source is null.',
      kind: 'areas',
      level,
      indicator: null,
      queryables: areaQueryables(level),
      properties: [
        { name: 'code', title: 'Official code' },
        { name: 'name', title: 'Name' },
        { name: 'parent', title: 'Code of the district (quarters only)' },
        { name: 'area_km2', title: 'Area in km², 2 decimals', unit: 'km²' },
        ...inds.map((i) => indicatorProperty(i, cat, level)),
      ],
      dates: [],
      sources: [...new Set(inds.flatMap((i) => i.source_ids))].sort(),
      computed: inds.some((i) => i.method !== 'published'),
    });
  }
  out.push({
    id: 'offers',
    title: 'Offers (social services)',
    description:
      'Kitas, schools, family, youth and senior services, libraries, doctors, sport and transit stops as points, ' +
      'with their category and the codes of the quarter and district they lie in.',
    kind: 'offers',
    level: null,
    indicator: null,
    queryables: {
      category: { type: 'string', title: 'Category code (/api/offers/categories lists them)' },
      subcategory: { type: 'string', title: 'Subcategory' },
      quarter_code: { type: 'string', title: 'Code of the quarter' },
      district_code: { type: 'string', title: 'Code of the district' },
    },
    properties: [
      { name: 'id', title: 'Offer id' },
      { name: 'category', title: 'Category code' },
      { name: 'subcategory', title: 'Subcategory' },
      { name: 'name', title: 'Name' },
      { name: 'quarter_code', title: 'Quarter' },
      { name: 'district_code', title: 'District' },
      { name: 'source', title: 'Source id' },
      { name: 'reference_date', title: 'Reference date of the offer or its source' },
    ],
    dates: [],
    sources: offerSources,
    computed: false,
  });
  for (const level of Object.values(AREA_COLLECTIONS)) {
    for (const ind of indicatorsAt(cat, level)) {
      const info = indicatorProperty(ind, cat, level);
      const dates = cat.levels.find((l) => l.indicator_id === ind.id && l.level === level)?.latest_dates ?? [];
      out.push({
        id: `${LEVEL_COLLECTION[level]}.${ind.id}`,
        title: `${ind.title.en} · ${LEVEL_TITLE[level]}`,
        description: `${ind.description.en} ${METHOD_TEXT[ind.method].en} Unit: ${ind.unit}.`,
        kind: 'indicator',
        level,
        indicator: ind.id,
        queryables: {
          ...areaQueryables(level),
          method: { type: 'string', title: 'published, computed or modelled' },
        },
        properties: [
          { name: 'code', title: 'Official code' },
          { name: 'name', title: 'Name' },
          { ...info, name: 'value' },
          { name: 'reference_date', title: 'Reference date of the value' },
          { name: 'method', title: 'published, computed or modelled' },
          { name: 'source', title: 'Source id' },
          { name: 'suppressed', title: 'Withheld for privacy (fewer addresses or persons than the minimum)' },
          { name: 'note', title: 'Why a value is missing or withheld' },
        ],
        dates,
        sources: ind.source_ids,
        computed: ind.method !== 'published',
      });
    }
  }
  return out;
}

/** The collection an id names, or null. */
export function findCollection(all: readonly CollectionInfo[], id: string): CollectionInfo | null {
  return all.find((c) => c.id === id) ?? null;
}

// ---------------------------------------------------------------------------------------------------------
// Features from rows

export interface AreaGeometryRow {
  code: string;
  name: string;
  parent: string | null;
  area_m2: number;
  /** GeoJSON text in x, y order. */
  geometry: string;
}

export interface OfferGeometryRow {
  id: string;
  category: string;
  subcategory: string | null;
  name: string | null;
  quarter_code: string;
  district_code: string;
  source_id: string;
  reference_date: string | null;
  geometry: string;
}

const km2 = (m2: number) => Math.round(m2 / 1e4) / 100;

/** The value of a latest row as it may be shown: null when withheld for privacy or missing. */
function shownValue(ind: IndicatorRow, row: LatestRow | undefined, minCount: number): number | null {
  if (!row || row.value === null) return null;
  return suppress(ind.count_based, row.basis_count, row.value, minCount).suppressed ? null : roundValue(row.value);
}

/** The features of an area collection: every area with the newest value of each of the collection's indicators. */
export function areaFeatures(
  info: CollectionInfo,
  rows: readonly AreaGeometryRow[],
  cat: Catalogue,
  latest: Map<string, Map<string, LatestRow>>,
  minCount: number,
): OgcFeature[] {
  const inds = info.properties.flatMap((p) => {
    const ind = cat.byId.get(p.name);
    return ind ? [ind] : [];
  });
  return rows.map((r) => {
    const properties: Record<string, Scalar> = {
      code: r.code,
      name: r.name,
      parent: r.parent,
      area_km2: km2(r.area_m2),
    };
    for (const ind of inds) {
      const row = latest.get(ind.id)?.get(r.code);
      properties[ind.id] = shownValue(ind, row, minCount);
      properties[`${ind.id}${DATE_SUFFIX}`] = row?.reference_date ?? null;
    }
    return { id: r.code, properties, geometry: JSON.parse(r.geometry) as Geometry, interval: null };
  });
}

/** The features of an indicator collection: one per area, its newest value, date, method and source. */
export function indicatorFeatures(
  ind: IndicatorRow,
  rows: readonly AreaGeometryRow[],
  latest: Map<string, LatestRow> | undefined,
  minCount: number,
): OgcFeature[] {
  return rows.map((r) => {
    const row = latest?.get(r.code);
    const withheld = row ? suppress(ind.count_based, row.basis_count, row.value, minCount) : null;
    const note = withheld?.suppressed
      ? withheld.reason
      : !row
        ? { en: 'There is no value for this area.' }
        : row.value === null
          ? (parseNote(row.note) ?? { en: 'The source has no value.' })
          : null;
    return {
      id: r.code,
      properties: {
        code: r.code,
        name: r.name,
        value: shownValue(ind, row, minCount),
        reference_date: row?.reference_date ?? null,
        method: row?.method ?? null,
        source: row?.source_id ?? null,
        suppressed: withheld?.suppressed ?? false,
        note: note?.en ?? null,
      },
      geometry: JSON.parse(r.geometry) as Geometry,
      interval: row?.reference_date ? referenceInterval(row.reference_date) : null,
    };
  });
}

export function offerFeatures(rows: readonly OfferGeometryRow[]): OgcFeature[] {
  return rows.map((r) => ({
    id: r.id,
    properties: {
      id: r.id,
      category: r.category,
      subcategory: r.subcategory,
      name: r.name,
      quarter_code: r.quarter_code,
      district_code: r.district_code,
      source: r.source_id,
      reference_date: r.reference_date,
    },
    geometry: JSON.parse(r.geometry) as Geometry,
    interval: null,
  }));
}

// ---------------------------------------------------------------------------------------------------------
// Selecting a page

export interface ItemsSelection {
  /** Ids of the features inside the bbox, or null without a bbox. */
  inBox: ReadonlySet<string> | null;
  /** Queryable → the value a feature's property must equal. */
  filters: Record<string, string>;
  datetime: Interval | null;
  offset: number;
  limit: number;
}

/** The features matching a selection, and the page of them from offset. */
export function selectItems(
  features: readonly OgcFeature[],
  s: ItemsSelection,
): { matched: number; page: OgcFeature[] } {
  const filters = Object.entries(s.filters);
  const all = features.filter(
    (f) =>
      (s.inBox === null || s.inBox.has(f.id)) &&
      filters.every(([name, want]) => {
        const have = f.properties[name];
        return have !== null && have !== undefined && String(have) === want;
      }) &&
      (s.datetime === null || (f.interval !== null && intersects(f.interval, s.datetime))),
  );
  return { matched: all.length, page: all.slice(s.offset, s.offset + s.limit) };
}

// ---------------------------------------------------------------------------------------------------------
// Answers

export interface Link {
  href: string;
  rel: string;
  type?: string;
  title?: string;
  hreflang?: string;
}

export const GEOJSON = 'application/geo+json';
export const JSON_TYPE = 'application/json';
export const HTML = 'text/html';
export const OPENAPI_30 = 'application/vnd.oai.openapi+json;version=3.0';

/** A URL with its query set to `params` (in their order, empty values left out). */
export function withQuery(base: string, params: Record<string, string | number | null | undefined>): string {
  const q = Object.entries(params)
    .filter(([, v]) => v !== null && v !== undefined && v !== '')
    .map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(String(v))}`)
    .join('&');
  return q ? `${base}?${q}` : base;
}

/** self and alternate links of a resource in JSON (of `jsonType`) and HTML. */
export function selfLinks(url: string, format: 'json' | 'html', jsonType: string, title: string): Link[] {
  const json: Omit<Link, 'rel'> = { href: withQuery(url, { f: 'json' }), type: jsonType, title: `${title} as JSON` };
  const html: Omit<Link, 'rel'> = { href: withQuery(url, { f: 'html' }), type: HTML, title: `${title} as HTML` };
  return format === 'json'
    ? [
        { ...json, rel: 'self' },
        { ...html, rel: 'alternate' },
      ]
    : [
        { ...html, rel: 'self' },
        { ...json, rel: 'alternate' },
      ];
}

export function landingPage(base: string, format: 'json' | 'html', city: string) {
  return {
    title: `Quartiersatlas ${city}`.trim(),
    description:
      'Areas, social indicators and social services of the city atlas as OGC API – Features (Part 1 and Part 2, ' +
      'CRS84, EPSG:4326 and EPSG:25832). Every value carries its source, date and method.',
    links: [
      ...selfLinks(`${base}/ogc`, format, JSON_TYPE, 'This document'),
      { href: `${base}/ogc/api`, rel: 'service-desc', type: OPENAPI_30, title: 'The OpenAPI 3.0 definition' },
      { href: `${base}/ogc/conformance`, rel: 'conformance', type: JSON_TYPE, title: 'Conformance classes' },
      { href: `${base}/ogc/collections`, rel: 'data', type: JSON_TYPE, title: 'The collections' },
    ],
  };
}

export function conformance() {
  return { conformsTo: CONFORMANCE };
}

function sourceText(s: SourceRow): string {
  return `${s.attribution} (${s.title}, ${s.publisher}; licence ${s.licence})`;
}

/** The collection's metadata: links, extent, CRS list, limits, properties with unit, sources and method. */
export function collectionDocument(
  base: string,
  info: CollectionInfo,
  extent: Box | null,
  sources: Map<string, SourceRow>,
  format: 'json' | 'html',
) {
  const url = `${base}/ogc/collections/${encodeURIComponent(info.id)}`;
  const used = info.sources.flatMap((id) => {
    const s = sources.get(id);
    return s ? [s] : [];
  });
  const licences: Link[] = [...new Set(used.map((s) => s.licence))].flatMap((licence) => {
    const href = licenceUrl(licence);
    return href ? [{ href, rel: 'license', type: HTML, title: licence }] : [];
  });
  const sorted = [...info.dates].sort();
  const temporal = sorted.length
    ? {
        interval: [
          [
            referenceInterval(sorted[0] as string)?.start ?? null,
            referenceInterval(sorted.at(-1) as string)?.end ?? null,
          ],
        ],
        trs: 'http://www.opengis.net/def/uom/ISO-8601/0/Gregorian',
      }
    : undefined;
  return {
    id: info.id,
    title: info.title,
    description: info.description,
    itemType: 'feature',
    links: [
      ...selfLinks(url, format, JSON_TYPE, 'This collection'),
      { href: withQuery(`${url}/items`, { f: 'json' }), rel: 'items', type: GEOJSON, title: 'The features as GeoJSON' },
      { href: withQuery(`${url}/items`, { f: 'html' }), rel: 'items', type: HTML, title: 'The features as HTML' },
      {
        href: `${url}/schema`,
        rel: 'describedby',
        type: 'application/schema+json',
        title: 'The properties and their types (JSON Schema)',
      },
      {
        href: `${url}/queryables`,
        rel: 'http://www.opengis.net/def/rel/ogc/1.0/queryables',
        type: 'application/schema+json',
        title: 'The properties a request may filter by',
      },
      ...licences,
    ],
    extent: {
      ...(extent ? { spatial: { bbox: [extent], crs: CRS84.uri } } : {}),
      ...(temporal ? { temporal } : {}),
    },
    crs: SUPPORTED_CRS.map((c) => c.uri),
    storageCrs: CRS84.uri,
    limits: { default: DEFAULT_LIMIT, maximum: MAX_LIMIT },
    attribution: used.map(sourceText).join('; '),
    sources: used.map((s) => ({
      id: s.id,
      title: s.title,
      publisher: s.publisher,
      licence: s.licence,
      licence_url: licenceUrl(s.licence),
      attribution: s.attribution,
      url: s.url,
      reference_date: s.reference_date,
    })),
    properties: info.properties,
  };
}

export function collectionsDocument(
  base: string,
  infos: readonly CollectionInfo[],
  extent: Box | null,
  sources: Map<string, SourceRow>,
  format: 'json' | 'html',
) {
  return {
    links: selfLinks(`${base}/ogc/collections`, format, JSON_TYPE, 'The collections'),
    crs: SUPPORTED_CRS.map((c) => c.uri),
    collections: infos.map((i) => collectionDocument(base, i, extent, sources, 'json')),
  };
}

/**
 * Every property of a collection's features with its type, as JSON Schema: clients that need a fixed schema (GDAL,
 * QGIS) read it through the collection's `describedby` link instead of guessing types from a first page (where a
 * share that happens to be whole in the first areas would become an integer column).
 */
export function schemaDocument(base: string, info: CollectionInfo) {
  const properties: Record<string, { type: string; title: string; unit?: string }> = {};
  for (const p of info.properties) {
    const numeric = p.unit !== undefined;
    properties[p.name] = {
      type: numeric ? 'number' : p.name === 'suppressed' ? 'boolean' : 'string',
      title: p.title,
      ...(p.unit !== undefined ? { unit: p.unit } : {}),
    };
    if (info.kind === 'areas' && p.sources)
      properties[`${p.name}${DATE_SUFFIX}`] = { type: 'string', title: `Reference date of ${p.name}` };
  }
  return {
    $schema: 'https://json-schema.org/draft/2020-12/schema',
    $id: `${base}/ogc/collections/${encodeURIComponent(info.id)}/schema`,
    type: 'object',
    title: info.title,
    properties,
  };
}

/** The properties of a collection that hold numbers (measures with a unit). */
export function numericProperties(info: CollectionInfo): Set<string> {
  return new Set(info.properties.filter((p) => p.unit !== undefined).map((p) => p.name));
}

const WHOLE = '\u0000';

/**
 * JSON text of a GeoJSON answer in which every number of a numeric property is written as a decimal (`74.0`, not
 * `74`): clients that guess a column's type from a first page (GDAL 3.6 reads the first 10 features and no JSON
 * schema) would otherwise make a share that is whole in the first areas an integer column and cut 74.47 to 74.
 */
export function geoJsonText(doc: unknown, numeric: ReadonlySet<string>): string {
  const text = JSON.stringify(doc, (key, value) =>
    typeof value === 'number' && Number.isInteger(value) && Math.abs(value) < 1e15 && numeric.has(key)
      ? `${WHOLE}${value}.0${WHOLE}`
      : value,
  );
  return text.replace(/"\\u0000(-?\d+\.0)\\u0000"/g, '$1');
}

/** The queryables of a collection as a JSON Schema (OGC API – Features Part 3 form). */
export function queryablesDocument(base: string, info: CollectionInfo) {
  return {
    $schema: 'https://json-schema.org/draft/2020-12/schema',
    $id: `${base}/ogc/collections/${encodeURIComponent(info.id)}/queryables`,
    type: 'object',
    title: info.title,
    description: 'Each may be given as a query parameter of /items: the features whose property equals the value.',
    properties: info.queryables,
    additionalProperties: false,
  };
}

/** A feature as GeoJSON in `crs` (geometry null when asked without). */
export function featureJson(f: OgcFeature, crs: Crs, geometry: boolean) {
  return {
    type: 'Feature' as const,
    id: f.id,
    geometry: geometry && f.geometry ? writeGeometry(f.geometry, crs) : null,
    properties: f.properties,
  };
}

export interface PageQuery {
  /** The request's own parameters, other than offset and f, in a stable order. */
  params: Record<string, string>;
  offset: number;
  limit: number;
}

/** The FeatureCollection of one page, with self, alternate, collection, next and prev links. */
export function itemsDocument(
  base: string,
  info: CollectionInfo,
  selected: { matched: number; page: OgcFeature[] },
  q: PageQuery,
  crs: Crs,
  geometry: boolean,
  format: 'json' | 'html',
  attribution: string[],
) {
  const url = `${base}/ogc/collections/${encodeURIComponent(info.id)}/items`;
  const at = (offset: number, f: 'json' | 'html') => withQuery(url, { ...q.params, offset: offset || null, f });
  const jsonLink = { type: GEOJSON, title: 'This page as GeoJSON' };
  const htmlLink = { type: HTML, title: 'This page as HTML' };
  const links: Link[] = [
    { href: at(q.offset, format), rel: 'self', ...(format === 'json' ? jsonLink : htmlLink) },
    {
      href: at(q.offset, format === 'json' ? 'html' : 'json'),
      rel: 'alternate',
      ...(format === 'json' ? htmlLink : jsonLink),
    },
    {
      href: `${base}/ogc/collections/${encodeURIComponent(info.id)}`,
      rel: 'collection',
      type: JSON_TYPE,
      title: info.title,
    },
  ];
  const type = format === 'json' ? GEOJSON : HTML;
  if (q.offset + selected.page.length < selected.matched)
    links.push({ href: at(q.offset + q.limit, format), rel: 'next', type, title: 'The next page' });
  if (q.offset > 0)
    links.push({ href: at(Math.max(0, q.offset - q.limit), format), rel: 'prev', type, title: 'The previous page' });
  return {
    type: 'FeatureCollection' as const,
    numberMatched: selected.matched,
    numberReturned: selected.page.length,
    features: selected.page.map((f) => featureJson(f, crs, geometry)),
    links,
    /** What the sources' licences require a copy to carry (domain/attribution.ts). */
    attribution,
  };
}

export function itemDocument(
  base: string,
  info: CollectionInfo,
  f: OgcFeature,
  crs: Crs,
  geometry: boolean,
  format: 'json' | 'html',
) {
  const collection = `${base}/ogc/collections/${encodeURIComponent(info.id)}`;
  const crsParam = crs === CRS84 ? null : crs.uri;
  const url = `${collection}/items/${encodeURIComponent(f.id)}`;
  const at = (fmt: 'json' | 'html') => withQuery(url, { crs: crsParam, geometry: geometry ? null : 'false', f: fmt });
  return {
    ...featureJson(f, crs, geometry),
    links: [
      { href: at(format), rel: 'self', type: format === 'json' ? GEOJSON : HTML },
      { href: at(format === 'json' ? 'html' : 'json'), rel: 'alternate', type: format === 'json' ? HTML : GEOJSON },
      { href: collection, rel: 'collection', type: JSON_TYPE, title: info.title },
    ],
  };
}
