/** The request SQL of /api/search: addresses by prefix and by trigrams, and what the search matches in memory. */
import type { Db } from '../index.ts';
import { validOn } from './offers.ts';

/**
 * Addresses whose key starts with $1, through the text_pattern_ops index: every such key lies in
 * [$1, $1 || '~'), since keys hold only a-z and 0-9, which sort before '~'. The exact key sorts first.
 */
export const ADDRESS_SQL = `SELECT id, street, house_number, search_key, ST_X(geom) AS lon, ST_Y(geom) AS lat,
       quarter_code, district_code
FROM atlas.address
WHERE search_key ~>=~ $1 AND search_key ~<~ ($1 || '~')
ORDER BY search_key USING ~<~, id
LIMIT $2`;

/**
 * Addresses whose key is similar to $1 by trigrams (pg_trgm's % operator, through address_trgm_idx): those with
 * the house number typed ($3, '' for none) first, then the closest. Trigrams barely see the number, so without
 * this every number of a misspelt street would tie.
 */
export const ADDRESS_FUZZY_SQL = `SELECT id, street, house_number, search_key, ST_X(geom) AS lon, ST_Y(geom) AS lat,
       quarter_code, district_code
FROM atlas.address
WHERE search_key % $1
ORDER BY coalesce($3 <> '' AND substring(search_key FROM '[0-9]+[a-z]*$') = $3, false) DESC, similarity(search_key, $1) DESC,
         search_key, id
LIMIT $2`;

/**
 * The addresses of a street: those whose key is $1 (a street key, without house number) followed by a house
 * number, through the same prefix index. For the neighbours of a house number the register lacks.
 */
export const STREET_ADDRESSES_SQL = `SELECT id, street, house_number, search_key, ST_X(geom) AS lon, ST_Y(geom) AS lat,
       quarter_code, district_code
FROM atlas.address
WHERE search_key ~>=~ $1 AND search_key ~<~ ($1 || '~')
  AND substring(search_key FROM char_length($1) + 1) ~ '^[0-9]+[a-z]*$'
ORDER BY id
LIMIT 5000`;

export interface AddressRow {
  id: number;
  street: string;
  house_number: string;
  search_key: string;
  lon: number;
  lat: number;
  quarter_code: string;
  district_code: string;
}

export interface SearchSources {
  areas: {
    level: string;
    code: string;
    name: string;
    lon: number;
    lat: number;
    quarter: string | null;
    district: string | null;
  }[];
  offers: {
    id: string;
    name: string;
    search_key: string;
    category: string;
    subcategory: string | null;
    speciality: string | null;
    lon: number;
    lat: number;
    quarter_code: string;
    district_code: string;
    action_area_code: string | null;
  }[];
  aliases: { alias: string; level: string; code: string }[];
  categories: { code: string; labels: Record<string, string> }[];
  /** The city's name as the last import recorded it. */
  city: string | null;
}

/**
 * Areas (with a point inside and their quarter and district), named offers valid on `day` (null: every offer), area
 * aliases, categories, the city.
 */
export async function readSearchSources(db: Db, day: string | null): Promise<SearchSources> {
  const areas = await db.query<SearchSources['areas'][number]>(
    `SELECT a.level, a.code, a.name, ST_X(a.label_point) AS lon, ST_Y(a.label_point) AS lat,
            CASE a.level WHEN 'quarter' THEN a.code WHEN 'district' THEN NULL
              ELSE (SELECT q.code FROM atlas.area q WHERE q.level = 'quarter' AND ST_Intersects(q.geom, a.label_point)
                    ORDER BY q.code LIMIT 1) END AS quarter,
            CASE a.level WHEN 'district' THEN a.code WHEN 'quarter' THEN a.parent_code
              ELSE (SELECT d.code FROM atlas.area d WHERE d.level = 'district' AND ST_Intersects(d.geom, a.label_point)
                    ORDER BY d.code LIMIT 1) END AS district
     FROM atlas.area a WHERE a.level IN ('district', 'quarter', 'action-area')`,
  );
  const offers = await db.query<SearchSources['offers'][number]>(
    `SELECT id, name, search_key, category, subcategory, attrs ->> 'speciality' AS speciality, ST_X(geom) AS lon,
            ST_Y(geom) AS lat, quarter_code, district_code, action_area_code
     FROM atlas.offer o WHERE search_key <> '' AND name IS NOT NULL AND ${validOn('o', '$1')}`,
    [day],
  );
  // An import from before the aliases has no table for them.
  const [aliasTable] = await db.query<{ present: boolean }>(
    "SELECT to_regclass('atlas.area_alias') IS NOT NULL AS present",
  );
  const aliases = aliasTable?.present
    ? await db.query<SearchSources['aliases'][number]>(
        'SELECT alias, level, code FROM atlas.area_alias ORDER BY alias, level, code',
      )
    : [];
  const categories = await db.query<SearchSources['categories'][number]>('SELECT code, labels FROM atlas.category');
  const [run] = await db.query<{ city: string | null }>(
    "SELECT city FROM app.import_run WHERE status = 'loaded' ORDER BY id DESC LIMIT 1",
  );
  return { areas, offers, aliases, categories, city: run?.city ?? null };
}
