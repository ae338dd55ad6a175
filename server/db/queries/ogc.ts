/**
 * The request SQL of /ogc (OGC API – Features): the unsimplified geometries of areas and offers in a CRS (PostGIS
 * ST_Transform, x, y order), the ids of those inside a box given in a CRS, and the offers' sources. Indicator values
 * are read through db/queries/indicators.ts, never here. Values are always `$n` parameters.
 */
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
