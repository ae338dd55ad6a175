import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';

/** An error in the data package, naming the file, the record and the field. */
export class PackageError extends Error {
  constructor(
    readonly file: string,
    readonly record: string | null,
    readonly field: string | null,
    message: string,
  ) {
    super(`${file}${record ? `, record ${record}` : ''}${field ? `, field ${field}` : ''}: ${message}`);
  }
}

function readText(dir: string, file: string): string {
  let text: string;
  try {
    text = readFileSync(join(dir, file), 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    throw new PackageError(file, null, null, code === 'ENOENT' ? 'file is missing' : (err as Error).message);
  }
  // PostgreSQL text cannot hold U+0000: name the line rather than fail later in the database.
  const nul = text.indexOf('\u0000');
  if (nul >= 0) {
    const line = text.slice(0, nul).split('\n').length;
    throw new PackageError(file, `line ${line}`, null, 'contains a NUL character');
  }
  return text;
}

export interface Feature {
  type: 'Feature';
  geometry: { type: string; coordinates: unknown } | null;
  properties: Record<string, unknown> | null;
}

const hasNul = (v: unknown): boolean =>
  typeof v === 'string'
    ? v.includes('\u0000')
    : Array.isArray(v)
      ? v.some(hasNul)
      : typeof v === 'object' && v !== null && Object.entries(v).some(([k, x]) => k.includes('\u0000') || hasNul(x));

export function readGeoJson(dir: string, file: string): Feature[] {
  let doc: { type?: string; features?: Feature[]; crs?: { properties?: { name?: string } } };
  try {
    doc = JSON.parse(readText(dir, file));
  } catch (err) {
    if (err instanceof PackageError) throw err;
    throw new PackageError(file, null, null, `invalid JSON: ${(err as Error).message}`);
  }
  if (doc?.type !== 'FeatureCollection' || !Array.isArray(doc.features))
    throw new PackageError(file, null, null, 'expected a GeoJSON FeatureCollection');
  doc.features.forEach((f, i) => {
    if (!f || typeof f !== 'object' || Array.isArray(f))
      throw new PackageError(file, `#${i + 1}`, null, 'a feature must be a GeoJSON Feature object');
    // A NUL written as the escape \u0000 passes the text check; PostgreSQL text cannot hold it either.
    if (hasNul(f)) throw new PackageError(file, `#${i + 1}`, null, 'contains a NUL character');
    const props = (f as { properties?: unknown }).properties;
    if (props !== null && props !== undefined && (typeof props !== 'object' || Array.isArray(props)))
      throw new PackageError(file, `#${i + 1}`, 'properties', 'must be an object');
    // A property is one value: an object or list where text or a number belongs is a broken export.
    for (const [key, v] of Object.entries(props ?? {}))
      if (typeof v === 'object' && v !== null)
        throw new PackageError(file, `#${i + 1}`, key, 'must be text, a number, true, false or null');
  });
  const crs = doc.crs?.properties?.name;
  if (crs && !/CRS84|4326/.test(crs))
    throw new PackageError(file, null, 'crs', `coordinates must be WGS84 (EPSG:4326), the file says ${crs}`);
  return doc.features;
}

export type Row = Record<string, string>;

export function readCsv(dir: string, file: string): Row[] {
  const text = readText(dir, file).replace(/^sep=.\r?\n/, '');
  try {
    return parse(text, { columns: true, skip_empty_lines: true, bom: true, relax_column_count: false }) as Row[];
  } catch (err) {
    // csv-parse says where: name that line as the record.
    const line = (err as { lines?: unknown }).lines;
    throw new PackageError(
      file,
      typeof line === 'number' ? `line ${line}` : null,
      null,
      `invalid CSV: ${(err as Error).message}`,
    );
  }
}

export function requireColumns(file: string, rows: Row[], columns: string[]): void {
  const first = rows[0];
  if (!first) throw new PackageError(file, null, null, 'the table has no rows');
  for (const c of columns) if (!(c in first)) throw new PackageError(file, null, c, 'column is missing');
}

type Bbox = readonly [number, number, number, number];

/** Every position of a geometry, for the bbox check that catches a wrong CRS or a polygon outside the city. */
function* positions(coords: unknown): Generator<[number, number]> {
  if (Array.isArray(coords) && typeof coords[0] === 'number') yield coords as [number, number];
  else if (Array.isArray(coords)) for (const c of coords) yield* positions(c);
}

export function checkInside(file: string, record: string, geometry: Feature['geometry'], bbox: Bbox): void {
  if (!geometry) throw new PackageError(file, record, 'geometry', 'geometry is missing');
  for (const [x, y] of positions(geometry.coordinates)) {
    if (!Number.isFinite(x) || !Number.isFinite(y))
      throw new PackageError(file, record, 'geometry', 'a coordinate is not a number');
    if (Math.abs(x) > 180 || Math.abs(y) > 90)
      throw new PackageError(
        file,
        record,
        'geometry',
        `coordinate (${x}, ${y}) is not WGS84 longitude/latitude: is the CRS wrong?`,
      );
    if (x < bbox[0] || x > bbox[2] || y < bbox[1] || y > bbox[3])
      throw new PackageError(
        file,
        record,
        'geometry',
        `coordinate (${x}, ${y}) lies outside the city (${bbox.join(', ')})`,
      );
  }
}

const isPosition = (p: unknown): p is number[] =>
  Array.isArray(p) && p.length >= 2 && p.length <= 4 && p.every((x) => typeof x === 'number' && Number.isFinite(x));

/** A Polygon or MultiPolygon whose rings are closed lists of at least four [x, y] positions. */
export function checkPolygonal(file: string, record: string, geometry: Feature['geometry']): void {
  if (!geometry) throw new PackageError(file, record, 'geometry', 'geometry is missing');
  const polygons = geometry.type === 'Polygon' ? [geometry.coordinates] : geometry.coordinates;
  if (!Array.isArray(polygons) || polygons.length === 0)
    throw new PackageError(file, record, 'geometry', `${geometry.type} has no coordinates`);
  for (const rings of polygons) {
    if (!Array.isArray(rings) || rings.length === 0)
      throw new PackageError(file, record, 'geometry', 'a polygon must be a list of rings');
    for (const ring of rings) {
      if (!Array.isArray(ring) || ring.length < 4 || !ring.every(isPosition))
        throw new PackageError(file, record, 'geometry', 'a ring must be a list of at least four [x, y] positions');
      const [first, last] = [ring[0] as number[], ring[ring.length - 1] as number[]];
      if (first[0] !== last[0] || first[1] !== last[1])
        throw new PackageError(file, record, 'geometry', 'a ring is not closed');
    }
  }
}

/** The [lon, lat] of a Point feature, or an error naming the record. */
export function pointCoordinates(file: string, record: string, geometry: Feature['geometry']): [number, number] {
  if (geometry?.type !== 'Point') throw new PackageError(file, record, 'geometry', 'expected a Point');
  if (!isPosition(geometry.coordinates))
    throw new PackageError(file, record, 'geometry', 'a Point needs [longitude, latitude] as numbers');
  const [lon, lat] = geometry.coordinates as [number, number];
  return [lon, lat];
}

/**
 * A count (places, pupils): a whole number up to a million, or null when the cell is empty. Larger ones are
 * typos, and sums of them would overflow PostgreSQL's integer.
 */
export function integerOrNull(file: string, record: string, field: string, value: unknown): number | null {
  const n = numberOrNull(file, record, field, value);
  if (n === null) return null;
  if (!Number.isInteger(n)) throw new PackageError(file, record, field, `"${value}" is not a whole number`);
  if (Math.abs(n) > 1_000_000) throw new PackageError(file, record, field, `${n} is not a plausible count`);
  return n;
}

/** A decimal number as exports write it, with a decimal point or comma: no hex, no "Infinity", no digit groups. */
const DECIMAL = /^[+-]?(\d+([.,]\d*)?|[.,]\d+)([eE][+-]?\d+)?$/;

/** The smallest positive normal double. */
const MIN_NORMAL = 2.2250738585072014e-308;

/** A number, or null when the value is empty or blank (Number(' ') would make it 0). */
export function numberOrNull(file: string, record: string, field: string, value: unknown): number | null {
  if (value === null || value === undefined) return null;
  const text = typeof value === 'string' ? value.trim() : null;
  if (text === '') return null;
  if (typeof value !== 'number' && (text === null || !DECIMAL.test(text)))
    throw new PackageError(file, record, field, `"${value}" is not a number`);
  const n = typeof value === 'number' ? value : Number((text as string).replace(',', '.'));
  if (!Number.isFinite(n)) throw new PackageError(file, record, field, `"${value}" is not a number`);
  // PostgreSQL's double precision refuses subnormal numbers ("value out of range"): name them here.
  if (n !== 0 && Math.abs(n) < MIN_NORMAL)
    throw new PackageError(file, record, field, `"${value}" is too close to zero to be stored`);
  return n;
}
