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

/** The catalogue of the live data version, read once per import. */
export function catalogueStore(db: Db) {
  const store = perDataVersion<'all', Catalogue>(db, () => readCatalogue(db));
  return async () => (await store.get('all')).value;
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
