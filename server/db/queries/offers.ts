/**
 * The request SQL of /api/offers: a filtered page of offers with its total, the categories with their counts,
 * the extent of the city's areas, the nearest offers to a point (offers-nearest.sql) and one offer with its
 * source and areas. Values are always `$n` parameters.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { CityClock } from '../../domain/opening-hours.ts';
import type { Db } from '../index.ts';

/**
 * For an offer (table alias `o`) whose source gives no street, the register's address nearest to it by geodesic
 * distance, as `na` (street, house_number, geom, m: metres): the nearest by planar distance through the address
 * index (KNN) gives a distance that the true nearest cannot exceed; the addresses in a box that holds it are ranked
 * by their exact distance. No row for an offer with a street.
 */
export function nearAddressJoin(o: string): string {
  return `LEFT JOIN LATERAL (
  SELECT a.street, a.house_number, a.geom, ST_Distance(a.geom::geography, ${o}.geom::geography) AS m
  FROM atlas.address a,
       (SELECT ST_Distance(k.geom::geography, ${o}.geom::geography) AS m FROM atlas.address k
        WHERE ${o}.street IS NULL ORDER BY k.geom <-> ${o}.geom LIMIT 1) knn
  WHERE a.geom && ST_Expand(${o}.geom,
                            knn.m / (110000.0 * cos(radians(least(89.0, abs(ST_Y(${o}.geom)) + knn.m / 110000.0)))),
                            knn.m / 110000.0)
  ORDER BY m, a.id
  LIMIT 1
) na ON true`;
}

/**
 * Whether the offer `o` is valid on the day `day` (a parameter, 'YYYY-MM-DD' or NULL: no check): an offer whose list
 * says it ended (`validTo`) before that day, or begins (`validFrom`) after it, is not. Every answer about offers
 * asks it, with the day of the data version (db/data-version.ts `validityDay`) or of the question.
 */
export function validOn(o: string, day: string): string {
  return `(${day}::text IS NULL OR ((${o}.attrs ->> 'validTo' IS NULL OR ${o}.attrs ->> 'validTo' >= ${day}::text)
         AND (${o}.attrs ->> 'validFrom' IS NULL OR ${o}.attrs ->> 'validFrom' <= ${day}::text)))`;
}

/**
 * The offers of a list are narrowed by the fields lists give (attrs, see server/domain/offer-list.ts): valid on the
 * day $7 ('YYYY-MM-DD'; an offer whose validTo lies before it, or validFrom after it, is left out; NULL: no check),
 * for the age $8 (offers whose age range is known and holds it), speaking the language $9 (offers whose languages
 * name it), step-free $10 (wheelchair "yes"), with opening hours $11. Offers without such fields (the package's)
 * pass the day, and are left out by the other filters, which ask for what only lists say.
 */
export const LIST_FILTER = `AND ${validOn('o', '$7')}
    AND ($8::int IS NULL OR ((o.attrs ? 'ageMin' OR o.attrs ? 'ageMax')
         AND coalesce((o.attrs ->> 'ageMin')::int, 0) <= $8::int AND coalesce((o.attrs ->> 'ageMax')::int, 200) >= $8::int))
    AND ($9::text IS NULL OR coalesce(o.attrs -> 'languages', '[]'::jsonb) ? $9::text)
    AND (NOT $10::boolean OR o.attrs ->> 'wheelchair' = 'yes')
    AND (NOT $11::boolean OR o.attrs ? 'openingHours')`;

/** The k ($4) offers nearest to ($1 lon, $2 lat), of the categories $3 and kinds $6 (or all), within $5 metres. */
export const NEAREST_SQL = readFileSync(join(import.meta.dirname, 'offers-nearest.sql'), 'utf8')
  .replace('-- @near-address', nearAddressJoin('r'))
  .replaceAll('-- @list-filter', LIST_FILTER);

export interface OfferRow {
  id: string;
  category: string;
  subcategory: string | null;
  name: string | null;
  quarter_code: string;
  district_code: string;
  lon: number;
  lat: number;
}

export interface OfferFilter {
  category: string[] | null;
  /** [minLon, minLat, maxLon, maxLat] */
  bbox: number[] | null;
  /** A search key (see domain/search-key.ts) the offer's key must contain. */
  q: string | null;
}

const FILTER = `($1::text[] IS NULL OR o.category = ANY ($1::text[]))
    AND ($2::float8[] IS NULL OR o.geom && ST_MakeEnvelope(($2::float8[])[1], ($2::float8[])[2], ($2::float8[])[3], ($2::float8[])[4], 4326))
    AND ($3::text IS NULL OR strpos(o.search_key, $3::text) > 0)
    AND ${validOn('o', '$4')}`;

/** One page of the offers that pass the filter and are valid on `day`, by id, and how many pass it in all. */
export async function readOfferPage(
  db: Db,
  filter: OfferFilter,
  limit: number,
  offset: number,
  day: string | null,
): Promise<{ rows: OfferRow[]; total: number }> {
  const params = [filter.category, filter.bbox, filter.q, day];
  const rows = await db.query<OfferRow>(
    `SELECT o.id, o.category, o.subcategory, o.name, o.quarter_code, o.district_code, ST_X(o.geom) AS lon, ST_Y(o.geom) AS lat
     FROM atlas.offer o WHERE ${FILTER} ORDER BY o.id LIMIT $5 OFFSET $6`,
    [...params, limit, offset],
  );
  const [count] = await db.query<{ n: number }>(`SELECT count(*)::int AS n FROM atlas.offer o WHERE ${FILTER}`, params);
  return { rows, total: count?.n ?? 0 };
}

export interface CategoryRow {
  code: string;
  labels: { de: string; en: string; tr: string; ar: string };
  count: number;
  incomplete: { de: string; en: string } | null;
  warnings: Record<string, { de: string; en: string }>;
}

/** Every category in its order, with the number of its offers valid on `day`. */
export function readCategoryRows(db: Db, day: string | null): Promise<CategoryRow[]> {
  return db.query<CategoryRow>(
    `SELECT c.code, c.labels, count(o.id)::int AS count, c.incomplete, c.warnings
     FROM atlas.category c LEFT JOIN atlas.offer o ON o.category = c.code AND ${validOn('o', '$1')}
     GROUP BY c.code, c.sort, c.labels, c.incomplete, c.warnings ORDER BY c.sort`,
    [day],
  );
}

/** [minLon, minLat, maxLon, maxLat] of all areas, or null when there are none. */
export async function readAreaExtent(db: Db): Promise<[number, number, number, number] | null> {
  const [row] = await db.query<{ b: [number, number, number, number] | null }>(
    `SELECT CASE WHEN e IS NULL THEN NULL
                 ELSE ARRAY[ST_XMin(e), ST_YMin(e), ST_XMax(e), ST_YMax(e)]::float8[] END AS b
     FROM (SELECT ST_Extent(geom) AS e FROM atlas.area) x`,
  );
  return row?.b ?? null;
}

export interface NearestRow extends OfferRow {
  distance_m: number;
  /** The fields of a list's offer (null for the package's offers). */
  opening_hours: string | null;
  age_min: number | null;
  age_max: number | null;
  languages: string[] | null;
  wheelchair: string | null;
  list: { id: string; version: number; title: string; date: string } | null;
  street: string | null;
  postcode: string | null;
  city: string | null;
  speciality: string | null;
  /** The offer's date, else its source's. */
  reference_date: string | null;
  /** Where the source gives no street: the register's nearest address ("Münsterstraße 99") and how far it is. */
  near_address: string | null;
  near_address_m: number | null;
}

/** The k offers nearest to a point, with their geodesic distance in metres (NEAREST_SQL). */
export function readNearest(
  db: Db,
  q: {
    lon: number;
    lat: number;
    category: string[] | null;
    kind: string[] | null;
    k: number;
    max_m: number;
    /** The day the offers must be valid on, 'YYYY-MM-DD', or null. */
    day: string | null;
    age: number | null;
    language: string | null;
    stepFree: boolean;
    withHours: boolean;
  },
): Promise<NearestRow[]> {
  return db.query<NearestRow>(NEAREST_SQL, [
    q.lon,
    q.lat,
    q.category,
    q.k,
    q.max_m,
    q.kind,
    q.day,
    q.age,
    q.language,
    q.stepFree,
    q.withHours,
  ]);
}

/** Where an offer is: its point, and the quarter, district and action area it lies in. */
export interface OfferPlace {
  lon: number;
  lat: number;
  quarter_code: string;
  quarter_name: string;
  district_code: string;
  district_name: string;
  action_area_code: string | null;
  action_area_name: string | null;
}

export interface OfferDetailRow extends OfferPlace {
  id: string;
  category: string;
  category_labels: CategoryRow['labels'];
  subcategory: string | null;
  name: string | null;
  street: string | null;
  postcode: string | null;
  city: string | null;
  places_u3: number | null;
  places_o3: number | null;
  pupils: number | null;
  attrs: Record<string, unknown>;
  reference_date: string | null;
  external_id: string | null;
  source_id: string;
  source_title: string;
  publisher: string;
  licence: string;
  attribution: string;
  url: string | null;
  source_reference_date: string | null;
  near_address: string | null;
  near_address_m: number | null;
}

/**
 * One offer with its category's labels, its areas' names, its source and, where the source gives no street, the
 * register's nearest address; null when there is no such id or the offer is not valid on `day`.
 */
export async function readOfferRow(db: Db, id: string, day: string | null): Promise<OfferDetailRow | null> {
  const [r] = await db.query<OfferDetailRow>(
    `SELECT o.id, o.category, c.labels AS category_labels, o.subcategory, o.name, o.street, o.postcode, o.city,
            ST_X(o.geom) AS lon, ST_Y(o.geom) AS lat, o.places_u3, o.places_o3, o.pupils, o.attrs,
            o.quarter_code, q.name AS quarter_name, o.district_code, d.name AS district_name,
            o.action_area_code, aa.name AS action_area_name, o.reference_date, o.external_id,
            s.id AS source_id, s.title AS source_title, s.publisher, s.licence, s.attribution, s.url,
            s.reference_date AS source_reference_date,
            na.street || ' ' || na.house_number AS near_address, na.m AS near_address_m
     FROM atlas.offer o
     JOIN atlas.category c ON c.code = o.category
     JOIN atlas.source s ON s.id = o.source_id
     LEFT JOIN atlas.area q ON q.level = 'quarter' AND q.code = o.quarter_code
     LEFT JOIN atlas.area d ON d.level = 'district' AND d.code = o.district_code
     LEFT JOIN atlas.area aa ON aa.level = 'action-area' AND aa.code = o.action_area_code
     ${nearAddressJoin('o')}
     WHERE o.id = $1 AND ${validOn('o', '$2')}`,
    [id, day],
  );
  return r ?? null;
}

/** The city's clock (atlas.city, from the manifest): null when it names no time zone, or before an import with it. */
export async function readCityClock(db: Db): Promise<CityClock | null> {
  const [table] = await db.query<{ present: boolean }>("SELECT to_regclass('atlas.city') IS NOT NULL AS present");
  if (!table?.present) return null;
  const [row] = await db.query<{
    time_zone: string | null;
    holidays: CityClock['holidays'];
    lon: number;
    lat: number;
  }>('SELECT time_zone, holidays, ST_X(centre) AS lon, ST_Y(centre) AS lat FROM atlas.city LIMIT 1');
  return row?.time_zone ? { timeZone: row.time_zone, holidays: row.holidays, point: [row.lon, row.lat] } : null;
}

export interface ListOfferAgeRow {
  age_min: number | null;
  age_max: number | null;
  list: { id: string; version: number; title: string; date: string };
}

/**
 * The offers of the city's lists (public ones: no other reaches atlas) located in an area of `level` and valid on
 * `day`, with their ages and their list (issue 21: offers per age stage). A level without areas of its own (the
 * city) takes every offer.
 */
export function readListOfferAges(db: Db, level: string, code: string, day: string | null): Promise<ListOfferAgeRow[]> {
  return db.query<ListOfferAgeRow>(
    `SELECT (o.attrs ->> 'ageMin')::int AS age_min, (o.attrs ->> 'ageMax')::int AS age_max, o.attrs -> 'list' AS list
     FROM atlas.offer o
     WHERE o.attrs ? 'list' AND ${validOn('o', '$3')}
       AND CASE $1::text WHEN 'quarter' THEN o.quarter_code = $2::text WHEN 'district' THEN o.district_code = $2::text
                         WHEN 'action-area' THEN o.action_area_code = $2::text ELSE true END
     ORDER BY o.id`,
    [level, code, day],
  );
}

/** The public offer lists whose offers are in atlas (their sources, `list:<id>`), by id. */
export function readListSources(db: Db): Promise<{ id: string; title: string; date: string | null }[]> {
  return db.query(
    `SELECT substr(id, 6) AS id, title, reference_date AS date FROM atlas.source WHERE id LIKE 'list:%' ORDER BY id`,
  );
}
