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
  try {
    return readFileSync(join(dir, file), 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    throw new PackageError(file, null, null, code === 'ENOENT' ? 'file is missing' : (err as Error).message);
  }
}

export interface Feature {
  type: 'Feature';
  geometry: { type: string; coordinates: unknown } | null;
  properties: Record<string, unknown> | null;
}

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
    throw new PackageError(file, null, null, `invalid CSV: ${(err as Error).message}`);
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

export function numberOrNull(file: string, record: string, field: string, value: unknown): number | null {
  if (value === null || value === undefined || value === '') return null;
  const n = typeof value === 'number' ? value : Number(String(value).replace(',', '.'));
  if (!Number.isFinite(n)) throw new PackageError(file, record, field, `"${value}" is not a number`);
  return n;
}
