/**
 * Reading indicators from the atlas schema: the catalogue, the values of one indicator at one level, the newest
 * values of a level; and the per-data-version stores the routes share (`catalogueStore`, `latestStore`). Values
 * are always `$n` parameters. Everything here changes only with an import.
 */
import type { IndicatorMethod, Text, ValueLevel } from '../../domain/indicators.ts';
import { perDataVersion } from '../data-version.ts';
import type { Db } from '../index.ts';
import { readLastLoadedRun } from './import-run.ts';

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
  /** How many areas each level has (district, quarter, action-area): the whole a coverage is counted of. */
  areaCounts?: Map<ValueLevel, number>;
}

/**
 * Issue 15: uploaded indicators marked `internal` (app.uploaded_indicator) are seen only by requests with a token.
 * Every read of indicators and values below leaves them out unless `internal` is true, so the catalogue, values,
 * profiles, gaps, search, exports and every route built on these functions never name them to anyone else.
 * `$1` of the fragment is whether internal indicators may be shown.
 */
const VISIBLE = (column: string, param: string) =>
  `(${param}::boolean OR NOT EXISTS (SELECT 1 FROM app.uploaded_indicator u
     WHERE u.id = ${column} AND u.visibility = 'internal'))`;

/** Who reads: anonymous requests (the default) never see internal indicators. */
export interface Viewer {
  internal: boolean;
}
const ANONYMOUS: Viewer = { internal: false };

/** The catalogue; facets only when the derive step has run (an older import has no indicator_facet). */
export async function readCatalogue(db: Db, viewer: Viewer = ANONYMOUS): Promise<Catalogue> {
  const indicators = await db.query<IndicatorRow>(
    `SELECT id, theme, title, description, unit, direction, method, method_note, source_ids, count_based, sort
     FROM atlas.indicator i WHERE ${VISIBLE('i.id', '$1')} ORDER BY sort, id`,
    [viewer.internal],
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
    `SELECT id, title, publisher, licence, attribution, url, reference_date FROM atlas.source s
     WHERE $1::boolean OR NOT EXISTS (SELECT 1 FROM app.uploaded_indicator u
                                      WHERE s.id = 'upload:' || u.id AND u.visibility = 'internal')
     ORDER BY id`,
    [viewer.internal],
  );
  // Dates sort as text: ISO dates and school years ("2024/25") both order that way.
  const levels = await db.query<LevelDates>(
    `SELECT indicator_id, level,
            array_agg(DISTINCT reference_date ORDER BY reference_date DESC) FILTER (WHERE reference_date IS NOT NULL) AS dates,
            array_agg(DISTINCT reference_date ORDER BY reference_date DESC)
              FILTER (WHERE is_latest AND reference_date IS NOT NULL) AS latest_dates,
            count(DISTINCT area_code)::int AS areas,
            count(DISTINCT area_code) FILTER (WHERE is_latest AND value IS NOT NULL)::int AS with_value
     FROM atlas.indicator_value v WHERE ${VISIBLE('v.indicator_id', '$1')} GROUP BY indicator_id, level
     ORDER BY indicator_id, CASE level WHEN 'city' THEN 0 WHEN 'district' THEN 1 WHEN 'quarter' THEN 2 ELSE 3 END`,
    [viewer.internal],
  );
  for (const l of levels) {
    l.dates ??= [];
    l.latest_dates ??= [];
  }
  const counts = await db.query<{ level: ValueLevel; n: number }>(
    `SELECT level, count(*)::int AS n FROM atlas.area WHERE level IN ('district', 'quarter', 'action-area') GROUP BY level`,
  );
  const run = await readLastLoadedRun(db);
  return {
    areaCounts: new Map(counts.map((c) => [c.level, c.n])),
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
  /** Whether internal indicators may be read (a request with a token); never for anonymous requests. */
  internal?: boolean;
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
      AND ${VISIBLE('v.indicator_id', '$5')}
     WHERE a.level = $2
     ORDER BY a.code, ${PICK}`,
    [id, level, filter.date ?? null, filter.method ?? null, filter.internal ?? false],
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
       AND ${VISIBLE('v.indicator_id', '$4')}
     ORDER BY ${PICK} LIMIT 1`,
    [id, filter.date ?? null, filter.method ?? null, filter.internal ?? false],
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

/** The newest value of every public indicator for every unit of one level (or the city). */
export async function readLatest(db: Db, level: ValueLevel | 'city'): Promise<LatestRow[]> {
  return db.query<LatestRow>(
    `SELECT DISTINCT ON (v.indicator_id, v.area_code) v.indicator_id, v.area_code, v.value::float8 AS value,
            v.basis_count::int AS basis_count, v.reference_date, v.method, v.source_id, v.source_url, v.quote, v.note
     FROM atlas.indicator_value v
     WHERE v.level = $1 AND v.is_latest AND ${VISIBLE('v.indicator_id', 'false')}
     ORDER BY v.indicator_id, v.area_code, ${PICK}`,
    [level],
  );
}

/**
 * The catalogue of the live data version, read once per import (and upload). Without a viewer, or for an
 * anonymous one, without internal indicators.
 */
export function catalogueStore(db: Db) {
  const store = perDataVersion<'public' | 'all', Catalogue>(db, (k) => readCatalogue(db, { internal: k === 'all' }));
  return async (viewer: Viewer = ANONYMOUS) => (await store.get(viewer.internal ? 'all' : 'public')).value;
}

/** Newest values of every indicator at one level, by indicator and area code. */
export type LatestByIndicator = Map<string, Map<string, LatestRow>>;

/** The newest values of every indicator at one level, indexed by indicator and area; read once per import. */
export function latestStore(db: Db) {
  const store = perDataVersion<ValueLevel | 'city', LatestByIndicator>(db, async (level) => {
    const byIndicator: LatestByIndicator = new Map();
    for (const row of await readLatest(db, level)) {
      let m = byIndicator.get(row.indicator_id);
      if (!m) {
        m = new Map();
        byIndicator.set(row.indicator_id, m);
      }
      m.set(row.area_code, row);
    }
    return byIndicator;
  });
  return async (level: ValueLevel | 'city') => (await store.get(level)).value;
}

/** Every dated value of one indicator at one level, with the area's name (issue 15: change between dates). */
export async function readDatedValues(
  db: Db,
  id: string,
  level: ValueLevel,
  internal = false,
): Promise<
  {
    code: string;
    name: string;
    reference_date: string;
    value: number | null;
    basis_count: number | null;
    is_latest: boolean;
  }[]
> {
  return db.query(
    `SELECT a.code, a.name, v.reference_date, v.value::float8 AS value, v.basis_count::int AS basis_count, v.is_latest
     FROM atlas.area a JOIN atlas.indicator_value v
       ON v.indicator_id = $1 AND v.level = a.level AND v.area_code = a.code AND v.reference_date IS NOT NULL
     WHERE a.level = $2 AND ${VISIBLE('v.indicator_id', '$3')}
     ORDER BY a.code, v.reference_date`,
    [id, level, internal],
  );
}
