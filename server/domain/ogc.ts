/**
 * OGC API – Features (Part 1 core, GeoJSON, HTML, OpenAPI 3.0; Part 2 CRS by reference) as pure functions: the
 * answers of /ogc (landing page, conformance, collections with their metadata, schema and queryables, pages of
 * items with their links, single features) from the collections and features of domain/ogc-collections.ts.
 * routes/ogc.ts reads the rows and sends what these functions make; domain/ogc-html.ts writes the same answers as
 * HTML.
 */
import type { SourceRow } from '../db/queries/indicators.ts';
import { licenceUrl } from './attribution.ts';
import { type CollectionInfo, DATE_SUFFIX, type OgcFeature } from './ogc-collections.ts';
import { type Box, CRS84, type Crs, referenceInterval, SUPPORTED_CRS, writeGeometry } from './ogc-crs.ts';

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
