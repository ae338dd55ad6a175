/**
 * The request SQL of /ogc (OGC API – Features): the unsimplified geometries of areas and offers in a CRS (PostGIS
 * ST_Transform, x, y order), the ids of those inside a box given in a CRS, and the offers' sources. Indicator values
 * are read through db/queries/indicators.ts, never here. Values are always `$n` parameters.
 */
import { gpkgSrs, type WkbById } from '../../domain/downloads.ts';
import type { GpkgSrs } from '../../domain/gpkg.ts';
import type { AreaGeometryRow, OfferGeometryRow } from '../../domain/ogc-collections.ts';
import type { Db } from '../index.ts';
import { validOn } from './offers.ts';

/** Digits PostGIS writes; domain/ogc-crs.ts rounds them to the CRS's decimals. */
const DIGITS = 10;

/** The areas of a level with their whole geometry in `srid`, by code. */
export function readAreaGeometries(db: Db, level: string, srid: number): Promise<AreaGeometryRow[]> {
  return db.query<AreaGeometryRow>(
    `SELECT code, name, CASE WHEN level = 'quarter' THEN parent_code END AS parent, area_m2::float8 AS area_m2,
            ST_AsGeoJSON(ST_Transform(geom, $2::int), ${DIGITS}) AS geometry
     FROM atlas.area WHERE level = $1 AND geom IS NOT NULL ORDER BY code`,
    [level, srid],
  );
}

/** Every offer valid on `day` (null: every offer) with its point in `srid`, by id. */
export function readOfferGeometries(db: Db, srid: number, day: string | null): Promise<OfferGeometryRow[]> {
  return db.query<OfferGeometryRow>(
    `SELECT o.id, o.category, o.subcategory, o.name, o.quarter_code, o.district_code, o.source_id,
            coalesce(o.reference_date, s.reference_date) AS reference_date,
            ST_AsGeoJSON(ST_Transform(o.geom, $1::int), ${DIGITS}) AS geometry
     FROM atlas.offer o JOIN atlas.source s ON s.id = o.source_id WHERE ${validOn('o', '$2')} ORDER BY o.id`,
    [srid, day],
  );
}

/** The ids of the sources of the offers. */
export async function readOfferSources(db: Db): Promise<string[]> {
  const rows = await db.query<{ id: string }>('SELECT DISTINCT source_id AS id FROM atlas.offer ORDER BY 1');
  return rows.map((r) => r.id);
}

/**
 * The box [minX, minY, maxX, maxY] in `srid` as a polygon in 4326, its edges densified first (100 m or a
 * thousandth of a degree), so that a box in metres keeps its shape in degrees.
 */
const BOX = `ST_Transform(ST_Segmentize(ST_MakeEnvelope($1, $2, $3, $4, $5::int),
                                         CASE WHEN $5::int = 4326 THEN 0.001 ELSE 100 END), 4326)`;

/** Codes of the areas of `level` whose geometry intersects the box. */
export async function readAreasInBox(
  db: Db,
  level: string,
  box: [number, number, number, number],
  srid: number,
): Promise<string[]> {
  const rows = await db.query<{ id: string }>(
    `SELECT code AS id FROM atlas.area WHERE level = $6 AND geom IS NOT NULL AND ST_Intersects(geom, ${BOX})`,
    [...box, srid, level],
  );
  return rows.map((r) => r.id);
}

/** Ids of the offers inside the box. */
export async function readOffersInBox(db: Db, box: [number, number, number, number], srid: number): Promise<string[]> {
  const rows = await db.query<{ id: string }>(`SELECT id FROM atlas.offer WHERE ST_Intersects(geom, ${BOX})`, [
    ...box,
    srid,
  ]);
  return rows.map((r) => r.id);
}

/** A geometry as little-endian WKB with its box, in the CRS asked for (GeoPackage downloads, issue 17). */
export interface WkbRow {
  id: string;
  wkb: Uint8Array;
  min_x: number;
  min_y: number;
  max_x: number;
  max_y: number;
}

/** Grid of the coordinates written: a millimetre in metres, 1e-9 degrees (domain/ogc-crs.ts, the GeoJSON's). */
const GRID = 'CASE WHEN $2::int = 4326 THEN 1e-9 ELSE 0.001 END';

/** The areas of a level (as multipolygons) or, for level null, the offers (points), as WKB in `srid`, by id. */
export function readWkb(db: Db, level: string | null, srid: number): Promise<WkbRow[]> {
  const source =
    level === null
      ? 'SELECT id, ST_Transform(geom, $2::int) AS g FROM atlas.offer WHERE $1::text IS NULL'
      : 'SELECT code AS id, ST_Multi(ST_Transform(geom, $2::int)) AS g FROM atlas.area WHERE level = $1 AND geom IS NOT NULL';
  return db.query<WkbRow>(
    `SELECT id, ST_AsBinary(g, 'NDR') AS wkb,
            ST_XMin(g)::float8 AS min_x, ST_YMin(g)::float8 AS min_y, ST_XMax(g)::float8 AS max_x, ST_YMax(g)::float8 AS max_y
     FROM (SELECT id, ST_SnapToGrid(g, ${GRID}) AS g FROM (${source}) s0) s ORDER BY id`,
    [level, srid],
  );
}

/** The CRS definition PostGIS holds for `srid`: authority, code and WKT. */
export async function readSrs(
  db: Db,
  srid: number,
): Promise<{ auth_name: string; auth_srid: number; srtext: string } | null> {
  const [row] = await db.query<{ auth_name: string; auth_srid: number; srtext: string }>(
    'SELECT auth_name, auth_srid, srtext FROM spatial_ref_sys WHERE srid = $1',
    [srid],
  );
  return row ?? null;
}

/** The CRS rows of a GeoPackage in `srid`: its own and the WGS 84 row every GeoPackage holds. */
export async function readGpkgSrs(db: Db, srid: number): Promise<{ srs: GpkgSrs; wgs84: GpkgSrs }> {
  const read = async (id: number) => {
    const row = await readSrs(db, id);
    if (!row) throw new Error(`spatial_ref_sys has no SRID ${id}`);
    return gpkgSrs(id, row);
  };
  const wgs84 = await read(4326);
  return { srs: srid === 4326 ? wgs84 : await read(srid), wgs84 };
}

/** The WKB of `readWkb` by id, with its box. */
export async function readWkbById(db: Db, level: string | null, srid: number): Promise<WkbById> {
  const rows = await readWkb(db, level, srid);
  return new Map(rows.map((r) => [r.id, { wkb: r.wkb, box: [r.min_x, r.min_y, r.max_x, r.max_y] }]));
}
