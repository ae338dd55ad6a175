/**
 * Reading areas from the atlas schema: the simplified polygons of a level (area-coverage.sql), one area with
 * its parent, children, neighbours and action areas, names, memberships and address weights. Values are always
 * `$n` parameters; the two column names that depend on the level come from a fixed list, never from input.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { QuarterWeight } from '../../domain/gaps.ts';
import type { ValueLevel } from '../../domain/indicators.ts';
import type { Db } from '../index.ts';

const COVERAGE_SQL = readFileSync(join(import.meta.dirname, 'area-coverage.sql'), 'utf8');

/** The address column that holds an area's code at a level. */
const ADDRESS_COLUMN = { district: 'district_code', quarter: 'quarter_code' } as const;

export interface AreaShapeRow {
  code: string;
  name: string;
  parent: string | null;
  numbered: boolean;
  area_m2: number;
  label_lon: number;
  label_lat: number;
  /** GeoJSON text of the simplified geometry. */
  geometry: string;
}

/**
 * The areas of a level simplified with neighbours still sharing their edges (tolerance in metres). PGlite has
 * been seen to answer a failed GEOS operation with no rows instead of an error: a count short of the level's
 * areas is an error here, never a smaller collection.
 */
export async function readAreaShapes(db: Db, level: string, toleranceM: number): Promise<AreaShapeRow[]> {
  const rows = await db.query<AreaShapeRow>(COVERAGE_SQL, [level, toleranceM]);
  const [expected] = await db.query<{ n: number }>(
    'SELECT count(*)::int AS n FROM atlas.area WHERE level = $1 AND geom IS NOT NULL',
    [level],
  );
  if (rows.length !== expected?.n)
    throw new Error(`simplifying the ${level} areas gave ${rows.length} of ${expected?.n} areas`);
  return rows;
}

export interface AreaDetailRows {
  area: {
    name: string;
    numbered: boolean;
    area_m2: number;
    parent_code: string | null;
    label_lon: number;
    label_lat: number;
    bbox: [number, number, number, number];
  };
  parent: { code: string; name: string } | null;
  children: { level: 'quarter' | 'subquarter'; code: string; name: string; address_share: number | null }[];
  neighbours: { code: string; name: string }[];
  /** District and quarter: the action areas of its addresses (code null for the addresses outside any). */
  actionAreas: { code: string | null; name: string; numbered: boolean; address_share: number }[];
}

/** One area of a polygon level with its relations, or null when the level has no such code. */
export async function readAreaDetail(
  db: Db,
  level: 'district' | 'quarter' | 'action-area',
  code: string,
): Promise<AreaDetailRows | null> {
  const [area] = await db.query<AreaDetailRows['area']>(
    `SELECT name, numbered, area_m2, parent_code, ST_X(label_point) AS label_lon, ST_Y(label_point) AS label_lat,
            ARRAY[ST_XMin(geom), ST_YMin(geom), ST_XMax(geom), ST_YMax(geom)]::float8[] AS bbox
     FROM atlas.area WHERE level = $1 AND code = $2`,
    [level, code],
  );
  if (!area) return null;

  const parent =
    level === 'quarter'
      ? await db.query<{ code: string; name: string }>(
          "SELECT code, name FROM atlas.area WHERE level = 'district' AND code = $1",
          [area.parent_code],
        )
      : level === 'action-area'
        ? await db.query<{ code: string; name: string }>(
            `SELECT d.code, d.name FROM atlas.area d, atlas.area a
             WHERE a.level = 'action-area' AND a.code = $1 AND d.level = 'district' AND ST_Intersects(d.geom, a.geom)
             ORDER BY ST_Area(ST_Intersection(d.geom, a.geom)) DESC, d.code LIMIT 1`,
            [code],
          )
        : [];

  const children = await db.query<AreaDetailRows['children'][number]>(
    level === 'action-area'
      ? `SELECT m.member_level AS level, m.member_code AS code, coalesce(a.name, m.member_code) AS name,
                m.address_share
         FROM atlas.area_member m
         LEFT JOIN atlas.area a ON a.level = m.member_level AND a.code = m.member_code
         WHERE m.action_area_code = $1 AND (m.member_level = 'quarter' OR m.address_share > 0.5)
         ORDER BY m.member_level, m.member_code`
      : `SELECT level, code, name, NULL::float8 AS address_share FROM atlas.area
         WHERE parent_code = $2 AND level = CASE $1 WHEN 'district' THEN 'quarter' ELSE 'subquarter' END
         ORDER BY code`,
    level === 'action-area' ? [code] : [level, code],
  );

  const neighbours = await db.query<{ code: string; name: string }>(
    `SELECT b.code, b.name FROM atlas.area a JOIN atlas.area b
       ON b.level = a.level AND b.code <> a.code AND ST_Intersects(a.geom, b.geom)
     WHERE a.level = $1 AND a.code = $2
       AND (ST_Relate(a.geom, b.geom, '****1****') OR ST_Relate(a.geom, b.geom, '2********'))
     ORDER BY b.code`,
    [level, code],
  );

  const actionAreas =
    level === 'action-area'
      ? []
      : await db.query<AreaDetailRows['actionAreas'][number]>(
          `SELECT aa.code, aa.name, aa.numbered, c.n::float8 / sum(c.n) OVER () AS address_share
           FROM (SELECT action_area_code AS code, count(*) AS n
                 FROM atlas.address WHERE ${ADDRESS_COLUMN[level]} = $1
                 GROUP BY action_area_code) c
           LEFT JOIN atlas.area aa ON aa.level = 'action-area' AND aa.code = c.code
           ORDER BY address_share DESC, aa.code`,
          [code],
        );

  return { area, parent: parent[0] ?? null, children, neighbours, actionAreas };
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

/** Per quarter: its addresses inside an action area and outside, and its residents per address (the weights). */
export async function readQuarterWeights(db: Db): Promise<QuarterWeight[]> {
  return db.query<QuarterWeight>(
    `SELECT a.code, a.inside, a.outside, r.value / nullif(a.inside + a.outside, 0) AS persons_per_address
     FROM (SELECT quarter_code AS code,
                  count(*) FILTER (WHERE action_area_code IS NOT NULL)::int AS inside,
                  count(*) FILTER (WHERE action_area_code IS NULL)::int AS outside
           FROM atlas.address GROUP BY quarter_code) a
     LEFT JOIN atlas.indicator_value r ON r.indicator_id = 'residents' AND r.level = 'quarter' AND r.area_code = a.code
                                       AND r.is_latest
     ORDER BY a.code`,
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
     CROSS JOIN (SELECT count(*) AS n FROM atlas.address WHERE ${ADDRESS_COLUMN[level]} = $1) t
     WHERE a.${ADDRESS_COLUMN[level]} = $1
     GROUP BY aa.code, aa.name, aa.numbered ORDER BY aa.code`,
    [code],
  );
}

/**
 * Queen contiguity of the areas of a level: per area the codes of the areas its polygon touches, at an edge or a
 * single point (ST_Intersects after the bounding boxes, each pair tested once). Areas without a neighbour have an
 * empty list.
 */
export async function readContiguity(db: Db, level: ValueLevel): Promise<Map<string, string[]>> {
  const areas = await db.query<{ code: string }>(
    'SELECT code FROM atlas.area WHERE level = $1 AND geom IS NOT NULL ORDER BY code',
    [level],
  );
  const pairs = await db.query<{ a: string; b: string }>(
    `SELECT a.code AS a, b.code AS b
     FROM atlas.area a JOIN atlas.area b
       ON b.level = a.level AND a.code < b.code AND a.geom && b.geom AND ST_Intersects(a.geom, b.geom)
     WHERE a.level = $1`,
    [level],
  );
  const touches = new Map<string, string[]>(areas.map((a) => [a.code, []]));
  for (const { a, b } of pairs) {
    touches.get(a)?.push(b);
    touches.get(b)?.push(a);
  }
  for (const list of touches.values()) list.sort();
  return touches;
}

/** Per quarter the action areas its addresses lie in (area_member), with the share of its addresses in each. */
export async function readQuarterActionAreas(
  db: Db,
): Promise<{ quarter_code: string; code: string; name: string; address_share: number }[]> {
  return db.query(
    `SELECT m.member_code AS quarter_code, m.action_area_code AS code, coalesce(a.name, m.action_area_code) AS name,
            m.address_share::float8 AS address_share
     FROM atlas.area_member m
     LEFT JOIN atlas.area a ON a.level = 'action-area' AND a.code = m.action_area_code
     WHERE m.member_level = 'quarter'
     ORDER BY m.member_code, m.action_area_code`,
  );
}
