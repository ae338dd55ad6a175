/**
 * The downloads of a view as files for a GIS (issue 17): GeoJSON and GeoPackage. Pure functions from what the
 * routes read; domain/gpkg.ts writes the GeoPackage itself.
 *
 * - The planner's view (`/api/indicators/{id}/values?format=geojson|gpkg`): one feature per area of the level with
 *   the value of the date asked for (default the newest of each area), its unit, date, method, source, whether it
 *   was withheld and why, and its class in the classification asked for: `class` from 1 (the lowest) and the
 *   class's range `class_from` (exclusive, but for the first class) to `class_to` (inclusive), as the legend and
 *   the CSV show them.
 * - A collection of /ogc (`f=gpkg`): the same features its GeoJSON carries.
 *
 * Both carry the attribution their sources' licences require (domain/attribution.ts).
 */
import type { z } from 'zod';
import { columnsOf, type GpkgColumn, type GpkgLayer, type GpkgSrs, type GpkgValue } from './gpkg.ts';
import type { ValuesResponse } from './indicators-schema.ts';
import { type Crs, EPSG_25832, type Geometry, writeGeometry } from './ogc-crs.ts';

export type ValuesBody = z.infer<typeof ValuesResponse>;
export type DownloadRow = Record<string, GpkgValue>;

/** The media type of a GeoPackage (OGC's registration). */
export const GPKG_TYPE = 'application/geopackage+sqlite3';

/** The properties of a view's rows that hold numbers. */
export const VIEW_NUMERIC = new Set(['value', 'class_from', 'class_to']);

/** The columns of a view's rows, in order. */
export const VIEW_COLUMNS = [
  'code',
  'name',
  'value',
  'unit',
  'reference_date',
  'method',
  'source',
  'suppressed',
  'reason',
  'class',
  'class_from',
  'class_to',
] as const;

/** The range of class `index` (from 0) of a classification: above `from` (the first class: from the minimum) up to `to`. */
export function classRange(
  c: Pick<ValuesBody['classification'], 'breaks' | 'min'>,
  index: number | null,
): { from: number | null; to: number | null } {
  if (index === null || index >= c.breaks.length) return { from: null, to: null };
  const to = c.breaks[index] as number;
  return { from: index === 0 ? (c.min ?? to) : (c.breaks[index - 1] as number), to };
}

/** One row per area of a values answer: value, date, method, source, why missing, class and its range. */
export function viewRows(body: ValuesBody): DownloadRow[] {
  return body.values.map((v) => {
    const range = classRange(body.classification, v.class);
    return {
      code: v.code,
      name: v.name,
      value: v.value,
      unit: body.indicator.unit,
      reference_date: v.reference_date,
      method: v.method,
      source: v.source?.id ?? null,
      suppressed: v.suppressed,
      reason: v.reason?.en ?? null,
      class: v.class === null ? null : v.class + 1,
      class_from: range.from,
      class_to: range.to,
    };
  });
}

/** How the classification was made, in words: "quantile, 5 classes". */
export function classificationText(c: ValuesBody['classification']): string {
  return `${c.method}, ${c.classes} class${c.classes === 1 ? '' : 'es'}`;
}

/**
 * A view as a GeoJSON FeatureCollection in `crs` (coordinates rounded as /ogc writes them), with the indicator,
 * level, date, classification and attribution as members. In EPSG:25832 it names its CRS in the `crs` member
 * (the 2008 GeoJSON form, which GDAL and QGIS read), as a file has no Content-Crs header.
 */
export function viewGeoJson(
  body: ValuesBody,
  geometries: ReadonlyMap<string, Geometry>,
  crs: Crs,
  attribution: readonly string[],
) {
  const rows = viewRows(body);
  return {
    type: 'FeatureCollection' as const,
    ...(crs === EPSG_25832 ? { crs: { type: 'name', properties: { name: 'urn:ogc:def:crs:EPSG::25832' } } } : {}),
    indicator: { id: body.indicator.id, title: body.indicator.title, unit: body.indicator.unit },
    level: body.level,
    date: body.date,
    classification: {
      method: body.classification.method,
      classes: body.classification.classes,
      breaks: body.classification.breaks,
      min: body.classification.min,
      max: body.classification.max,
      text: classificationText(body.classification),
    },
    attribution,
    features: rows.map((properties) => {
      const g = geometries.get(properties.code as string);
      return {
        type: 'Feature' as const,
        id: properties.code as string,
        geometry: g ? writeGeometry(g, crs) : null,
        properties,
      };
    }),
  };
}

/** WKB of a feature with its box, by feature id. */
export type WkbById = ReadonlyMap<string, { wkb: Uint8Array; box: [number, number, number, number] }>;

/** A GeoPackage table name from a collection or view name: letters, digits and underscores. */
export const tableName = (name: string) => name.replace(/[^A-Za-z0-9_]+/g, '_');

/**
 * The GeoPackage layer of rows whose geometries `wkb` holds by `id` of each row, in `srs`. The attribution goes
 * into gpkg_contents.description and the metadata; `about` (what the layer is, e.g. the classification) leads the
 * metadata text.
 */
export function gpkgLayer(spec: {
  table: string;
  identifier: string;
  rows: readonly DownloadRow[];
  ids: readonly string[];
  columns?: readonly GpkgColumn[];
  numeric: ReadonlySet<string>;
  wkb: WkbById;
  geometryType: GpkgLayer['geometryType'];
  srs: GpkgSrs;
  wgs84: GpkgSrs;
  attribution: readonly string[];
  about: readonly string[];
  timestamp: string;
}): GpkgLayer {
  const names = spec.rows[0] ? Object.keys(spec.rows[0]) : [];
  const columns = spec.columns ?? columnsOf(names, spec.rows, spec.numeric);
  return {
    table: tableName(spec.table),
    identifier: spec.identifier,
    description: spec.attribution.join('\n'),
    geometryType: spec.geometryType,
    srs: spec.srs,
    wgs84: spec.wgs84,
    columns,
    features: spec.rows.map((row, i) => {
      const g = spec.wkb.get(spec.ids[i] as string);
      return {
        wkb: g?.wkb ?? null,
        envelope: g?.box ?? null,
        values: columns.map((c) => row[c.name] ?? null),
      };
    }),
    metadata: [...spec.about, '', ...spec.attribution].join('\n'),
    timestamp: spec.timestamp,
  };
}

/** A CRS definition for gpkg_spatial_ref_sys from PostGIS' spatial_ref_sys row: its name is the WKT's first. */
export function gpkgSrs(srid: number, row: { auth_name: string; auth_srid: number; srtext: string }): GpkgSrs {
  const name = /^\s*[A-Z_]+\["([^"]+)"/.exec(row.srtext)?.[1] ?? `${row.auth_name}:${row.auth_srid}`;
  return {
    srsId: srid,
    name,
    organization: row.auth_name,
    organizationId: row.auth_srid,
    definition: row.srtext,
  };
}
