/**
 * Reading indicators from the atlas schema: the catalogue, the values of one indicator at one level, and all
 * values of one area. The only module of the indicator, analysis and profile routes that writes SQL; values are
 * always `$n` parameters. Everything here changes only with an import.
 */
import type { Db } from '../db/index.ts';
import type { IndicatorMethod, Text, ValueLevel } from './indicators.ts';

export interface IndicatorRow {
  id: string;
  theme: string;
  title: Text;
  description: Text;
  unit: string;
  direction: 'need' | 'strength' | 'neutral';
  method: IndicatorMethod;
  method_note: Text;
  source_ids: string[];
  count_based: boolean;
  sort: number;
}

export interface FacetRow {
  indicator_id: string;
  family: string;
  member: string;
  measure: string | null;
  radius_m: number | null;
  parent: string | null;
  label: Text;
  sort: number;
}

export interface SourceRow {
  id: string;
  title: string;
  publisher: string;
  licence: string;
  attribution: string;
  url: string | null;
  reference_date: string | null;
}

export interface LevelDates {
  indicator_id: string;
  level: ValueLevel | 'city';
  dates: string[];
  latest_dates: string[];
  areas: number;
  with_value: number;
}

export interface Catalogue {
  /** The city's name as the last import recorded it. */
  city: string;
  indicators: IndicatorRow[];
  byId: Map<string, IndicatorRow>;
  facets: FacetRow[];
  sources: Map<string, SourceRow>;
  levels: LevelDates[];
}

/** The catalogue; facets only when the derive step has run (an older import has no indicator_facet). */
export async function readCatalogue(db: Db): Promise<Catalogue> {
  const indicators = await db.query<IndicatorRow>(
    `SELECT id, theme, title, description, unit, direction, method, method_note, source_ids, count_based, sort
     FROM atlas.indicator ORDER BY sort, id`,
  );
  const [facetTable] = await db.query<{ present: boolean }>(
    "SELECT to_regclass('atlas.indicator_facet') IS NOT NULL AS present",
  );
  const facets = facetTable?.present
    ? await db.query<FacetRow>(
        `SELECT indicator_id, family, member, measure, radius_m, parent, label, sort
         FROM atlas.indicator_facet ORDER BY family, sort, indicator_id`,
      )
    : [];
  const sources = await db.query<SourceRow>(
    'SELECT id, title, publisher, licence, attribution, url, reference_date FROM atlas.source ORDER BY id',
  );
  // Dates sort as text: ISO dates and school years ("2024/25") both order that way.
  const levels = await db.query<LevelDates>(
    `SELECT indicator_id, level,
            array_agg(DISTINCT reference_date ORDER BY reference_date DESC) FILTER (WHERE reference_date IS NOT NULL) AS dates,
            array_agg(DISTINCT reference_date ORDER BY reference_date DESC)
              FILTER (WHERE is_latest AND reference_date IS NOT NULL) AS latest_dates,
            count(DISTINCT area_code)::int AS areas,
            count(DISTINCT area_code) FILTER (WHERE is_latest AND value IS NOT NULL)::int AS with_value
     FROM atlas.indicator_value GROUP BY indicator_id, level
     ORDER BY indicator_id, CASE level WHEN 'city' THEN 0 WHEN 'district' THEN 1 WHEN 'quarter' THEN 2 ELSE 3 END`,
  );
  for (const l of levels) {
    l.dates ??= [];
    l.latest_dates ??= [];
  }
  const [run] = await db.query<{ city: string | null }>(
    "SELECT city FROM app.import_run WHERE status = 'loaded' ORDER BY id DESC LIMIT 1",
  );
  return {
    city: run?.city ?? '',
    indicators,
    byId: new Map(indicators.map((i) => [i.id, i])),
    facets,
    sources: new Map(sources.map((s) => [s.id, s])),
    levels,
  };
}

export interface ValueRow {
  code: string;
  name: string;
  /** False when the area has no stored row at all (for this date or method). */
  has_row: boolean;
  value: number | null;
  reference_date: string | null;
  method: IndicatorMethod | null;
  source_id: string | null;
  source_url: string | null;
  quote: string | null;
  note: string | null;
  basis_count: number | null;
}

export interface ValueFilter {
  /** A reference date: the values of that date instead of the newest. */
  date?: string | null;
  method?: IndicatorMethod | null;
}

const VALUE_COLUMNS = `v.indicator_id IS NOT NULL AS has_row, v.value::float8 AS value, v.reference_date, v.method,
  v.source_id, v.source_url, v.quote, v.note, v.basis_count::int AS basis_count`;

/** Where several rows share an area and date (two published sources), the importer's newest choice wins, then the larger. */
const PICK = 'v.is_latest DESC, v.value DESC NULLS LAST, v.source_url';

/** One row per area of the level, ordered by code; an area without a value has has_row false. */
export async function readValues(db: Db, id: string, level: ValueLevel, filter: ValueFilter = {}): Promise<ValueRow[]> {
  return db.query<ValueRow>(
    `SELECT DISTINCT ON (a.code) a.code, a.name, ${VALUE_COLUMNS}
     FROM atlas.area a
     LEFT JOIN atlas.indicator_value v
       ON v.indicator_id = $1 AND v.level = a.level AND v.area_code = a.code
      AND (CASE WHEN $3::text IS NULL THEN v.is_latest ELSE v.reference_date = $3::text END)
      AND ($4::text IS NULL OR v.method = $4::text)
     WHERE a.level = $2
     ORDER BY a.code, ${PICK}`,
    [id, level, filter.date ?? null, filter.method ?? null],
  );
}

/** The city's value (level 'city'), or null when there is none for this date or method. */
export async function readCityValue(db: Db, id: string, filter: ValueFilter = {}): Promise<ValueRow | null> {
  const [row] = await db.query<ValueRow>(
    `SELECT v.area_code AS code, '' AS name, ${VALUE_COLUMNS}
     FROM atlas.indicator_value v
     WHERE v.indicator_id = $1 AND v.level = 'city'
       AND (CASE WHEN $2::text IS NULL THEN v.is_latest ELSE v.reference_date = $2::text END)
       AND ($3::text IS NULL OR v.method = $3::text)
     ORDER BY ${PICK} LIMIT 1`,
    [id, filter.date ?? null, filter.method ?? null],
  );
  return row ?? null;
}

export interface LatestRow {
  indicator_id: string;
  area_code: string;
  value: number | null;
  basis_count: number | null;
  reference_date: string | null;
  method: IndicatorMethod;
  source_id: string | null;
  source_url: string | null;
  quote: string | null;
  note: string | null;
}

/** The newest value of every indicator for every unit of one level (or the city). */
export async function readLatest(db: Db, level: ValueLevel | 'city'): Promise<LatestRow[]> {
  return db.query<LatestRow>(
    `SELECT DISTINCT ON (v.indicator_id, v.area_code) v.indicator_id, v.area_code, v.value::float8 AS value,
            v.basis_count::int AS basis_count, v.reference_date, v.method, v.source_id, v.source_url, v.quote, v.note
     FROM atlas.indicator_value v
     WHERE v.level = $1 AND v.is_latest
     ORDER BY v.indicator_id, v.area_code, ${PICK}`,
    [level],
  );
}

export interface AreaRow {
  level: ValueLevel;
  code: string;
  name: string;
  numbered: boolean;
  parent_code: string | null;
  parent_name: string | null;
  area_m2: number | null;
}

export async function readArea(db: Db, level: ValueLevel, code: string): Promise<AreaRow | null> {
  const [row] = await db.query<AreaRow>(
    `SELECT a.level, a.code, a.name, a.numbered, a.parent_code, p.name AS parent_name, a.area_m2::float8 AS area_m2
     FROM atlas.area a LEFT JOIN atlas.area p ON p.level = 'district' AND p.code = a.parent_code
     WHERE a.level = $1 AND a.code = $2`,
    [level, code],
  );
  return row ?? null;
}

export async function readAreaNames(
  db: Db,
  level: ValueLevel,
): Promise<{ code: string; name: string; numbered: boolean }[]> {
  return db.query('SELECT code, name, numbered FROM atlas.area WHERE level = $1 ORDER BY code', [level]);
}

export interface QuarterWeight {
  code: string;
  /** Addresses of the quarter inside any action area, and outside. */
  inside: number;
  outside: number;
}

/** Per quarter: its addresses inside an action area and outside, the weights of the action-area comparison. */
export async function readQuarterWeights(db: Db): Promise<QuarterWeight[]> {
  return db.query<QuarterWeight>(
    `SELECT quarter_code AS code,
            count(*) FILTER (WHERE action_area_code IS NOT NULL)::int AS inside,
            count(*) FILTER (WHERE action_area_code IS NULL)::int AS outside
     FROM atlas.address GROUP BY quarter_code ORDER BY quarter_code`,
  );
}

export interface Membership {
  code: string;
  name: string;
  numbered: boolean;
  level: string;
  address_share: number;
}

/** The action areas an area's addresses lie in (district, quarter), or the quarters an action area spans. */
export async function readMembership(db: Db, level: ValueLevel, code: string): Promise<Membership[]> {
  if (level === 'action-area')
    return db.query<Membership>(
      `SELECT q.code, q.name, q.numbered, 'quarter' AS level, count(*)::float8 / max(t.n) AS address_share
       FROM atlas.address a
       JOIN atlas.area q ON q.level = 'quarter' AND q.code = a.quarter_code
       JOIN (SELECT quarter_code, count(*) AS n FROM atlas.address GROUP BY quarter_code) t USING (quarter_code)
       WHERE a.action_area_code = $1
       GROUP BY q.code, q.name, q.numbered ORDER BY q.code`,
      [code],
    );
  return db.query<Membership>(
    `SELECT aa.code, aa.name, aa.numbered, 'action-area' AS level,
            count(*)::float8 / max(t.n) AS address_share
     FROM atlas.address a
     JOIN atlas.area aa ON aa.level = 'action-area' AND aa.code = a.action_area_code
     CROSS JOIN (SELECT count(*) AS n FROM atlas.address WHERE ${level === 'district' ? 'district_code' : 'quarter_code'} = $1) t
     WHERE ${level === 'district' ? 'a.district_code' : 'a.quarter_code'} = $1
     GROUP BY aa.code, aa.name, aa.numbered ORDER BY aa.code`,
    [code],
  );
}
