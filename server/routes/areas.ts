import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Hono } from 'hono';
import { z } from 'zod';
import type { AppDeps } from '../app.ts';
import type { Db } from '../db/index.ts';
import { cachedJson } from '../http/cached.ts';
import { notFound } from '../http/problem.ts';
import {
  AreaRef,
  documentRoute,
  feature,
  featureCollection,
  MultiPolygonGeometry,
  Position,
  validateParams,
  validateQuery,
} from '../http/validate.ts';

/** The levels that have polygons. Sub-quarters (Unterbezirke) have none: they appear as children only. */
export const AREA_LEVELS = ['district', 'quarter', 'action-area'] as const;
export type AreaLevel = (typeof AREA_LEVELS)[number];

/** Douglas-Peucker tolerance of the shared-edge simplification, in metres (quarters: about 20 KB brotli). */
export const SIMPLIFY_TOLERANCE_M = 5;
const COVERAGE_SQL = readFileSync(join(import.meta.dirname, '../sql/area-coverage.sql'), 'utf8');

const Level = z
  .enum(AREA_LEVELS)
  .describe('district = Stadtbezirk, quarter = statistischer Bezirk, action-area = Aktionsraum');
const Code = z
  .string()
  .regex(/^[a-z0-9][a-z0-9-]{0,39}$/, 'must be an area code: lower-case letters, digits and hyphens')
  .describe("The official code as text: '05' (district), '050' (quarter), '022' or 'meylantviertel' (action area)");

export const AreaListQuery = z.strictObject({ level: Level });
export const AreaParams = z.strictObject({ level: Level, code: Code });

export const AreaProperties = z.strictObject({
  code: z.string(),
  name: z.string(),
  parent: z.string().nullable().describe('Code of the district a quarter lies in; null for the other levels'),
  numbered: z.boolean().describe('false for the two small action areas without an official number'),
  area_km2: z.number().describe('Area of the original (unsimplified) polygon, 2 decimals'),
  label: Position.describe('A point inside the area for its label'),
});

export const AreaCollection = featureCollection(
  feature(AreaProperties, MultiPolygonGeometry),
  z.strictObject({
    level: Level,
    count: z.number().int(),
    simplification: z.strictObject({ method: z.string(), tolerance_m: z.number() }),
    coordinate_decimals: z.number().int(),
  }),
);
export type AreaCollection = z.infer<typeof AreaCollection>;

const Child = z.strictObject({
  level: z.enum(['quarter', 'subquarter']),
  code: z.string(),
  name: z.string().describe('Sub-quarters have no names: their name is their code'),
  address_share: z
    .number()
    .nullable()
    .describe('Action areas only: the share of the member’s addresses that lie in the action area'),
});

export const AreaDetail = z.strictObject({
  level: Level,
  code: z.string(),
  name: z.string(),
  numbered: z.boolean(),
  area_km2: z.number(),
  label: Position,
  bbox: z.tuple([z.number(), z.number(), z.number(), z.number()]).describe('[minLon, minLat, maxLon, maxLat]'),
  parent: AreaRef.extend({ level: z.literal('district') })
    .nullable()
    .describe('The district of a quarter; for an action area the district holding the largest part of it'),
  children: z
    .array(Child)
    .describe(
      'district: its quarters; quarter: its sub-quarters; action area: the sub-quarters with more than half of ' +
        'their addresses inside, and every quarter with addresses inside (with the share)',
    ),
  neighbours: z.array(AreaRef).describe('Areas of the same level sharing a stretch of boundary (or overlapping)'),
  action_areas: z
    .array(AreaRef.extend({ numbered: z.boolean(), address_share: z.number() }))
    .describe('district and quarter: the action areas holding some of its addresses, with the share of its addresses'),
});
export type AreaDetail = z.infer<typeof AreaDetail>;

documentRoute({
  method: 'get',
  path: '/api/areas',
  tag: 'areas',
  summary: 'The areas of one level as GeoJSON, simplified for display',
  description:
    `Geometry simplified with neighbours still sharing their edges (Douglas-Peucker on the shared boundary arcs, ` +
    `${SIMPLIFY_TOLERANCE_M} m), coordinates rounded to 5 decimals. Built once per data import; use If-None-Match.`,
  query: AreaListQuery,
  response: {
    description: 'FeatureCollection, one feature per area, ordered by code',
    contentType: 'application/geo+json',
    schema: AreaCollection,
    cached: true,
  },
  errors: [{ status: 503, description: 'No data imported yet' }],
});

documentRoute({
  method: 'get',
  path: '/api/areas/:level/:code',
  tag: 'areas',
  summary: 'One area with its parent, children, neighbours and action-area membership',
  params: AreaParams,
  response: { description: 'The area', schema: AreaDetail },
  errors: [{ status: 404, description: 'No area of that level has this code' }],
});

const round = (x: number, decimals: number) => Math.round(x * 10 ** decimals) / 10 ** decimals;

/** The FeatureCollection of one level; areaRoutes serves it from memory, built once per data version. */
export async function buildAreaCollection(db: Db, level: AreaLevel): Promise<AreaCollection> {
  const rows = await db.query<{
    code: string;
    name: string;
    parent: string | null;
    numbered: boolean;
    area_m2: number;
    label_lon: number;
    label_lat: number;
    geometry: string;
  }>(COVERAGE_SQL, [level, SIMPLIFY_TOLERANCE_M]);
  // The query gives one row per area. PGlite has been seen to answer a failed GEOS operation with no rows
  // instead of an error: never keep such a body as the collection of this data version.
  const [expected] = await db.query<{ n: number }>(
    'SELECT count(*)::int AS n FROM atlas.area WHERE level = $1 AND geom IS NOT NULL',
    [level],
  );
  if (rows.length !== expected?.n)
    throw new Error(`simplifying the ${level} areas gave ${rows.length} of ${expected?.n} areas`);
  return {
    type: 'FeatureCollection',
    features: rows.map((r) => ({
      type: 'Feature',
      id: r.code,
      properties: {
        code: r.code,
        name: r.name,
        parent: r.parent,
        numbered: r.numbered,
        area_km2: round(r.area_m2 / 1e6, 2),
        label: [r.label_lon, r.label_lat],
      },
      geometry: JSON.parse(r.geometry),
    })),
    meta: {
      level,
      count: rows.length,
      simplification: {
        method: 'Douglas-Peucker on the noded boundary arcs shared by neighbours, in the UTM zone of the city',
        tolerance_m: SIMPLIFY_TOLERANCE_M,
      },
      coordinate_decimals: 5,
    },
  };
}

export async function readAreaDetail(db: Db, level: AreaLevel, code: string): Promise<AreaDetail | null> {
  const [area] = await db.query<{
    name: string;
    numbered: boolean;
    area_m2: number;
    parent_code: string | null;
    label_lon: number;
    label_lat: number;
    bbox: [number, number, number, number];
  }>(
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

  const children = await db.query<z.infer<typeof Child>>(
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
      : await db.query<{ code: string; name: string; numbered: boolean; address_share: number }>(
          `SELECT aa.code, aa.name, aa.numbered, c.n::float8 / sum(c.n) OVER () AS address_share
           FROM (SELECT action_area_code AS code, count(*) AS n
                 FROM atlas.address WHERE ${level === 'district' ? 'district_code' : 'quarter_code'} = $1
                 GROUP BY action_area_code) c
           LEFT JOIN atlas.area aa ON aa.level = 'action-area' AND aa.code = c.code
           ORDER BY address_share DESC, aa.code`,
          [code],
        );

  return {
    level,
    code,
    name: area.name,
    numbered: area.numbered,
    area_km2: round(area.area_m2 / 1e6, 2),
    label: [round(area.label_lon, 5), round(area.label_lat, 5)],
    bbox: area.bbox.map((x) => round(x, 5)) as [number, number, number, number],
    parent: parent[0] ? { level: 'district', code: parent[0].code, name: parent[0].name } : null,
    children: children.map((c) => ({
      ...c,
      address_share: c.address_share === null ? null : round(c.address_share, 4),
    })),
    neighbours,
    action_areas: actionAreas
      .filter((a) => a.code !== null)
      .map((a) => ({ code: a.code, name: a.name, numbered: a.numbered, address_share: round(a.address_share, 4) })),
  };
}

/**
 * /api/areas. `build` makes the FeatureCollection of a level; it runs once per level and data version
 * (tests pass a counting wrapper of the real one).
 */
export function areaRoutes({ db }: Pick<AppDeps, 'db'>, build = buildAreaCollection) {
  const collections = cachedJson<AreaLevel>(db, (level) => build(db, level), { contentType: 'application/geo+json' });
  return new Hono()
    .get('/', validateQuery(AreaListQuery), (c) => collections.respond(c, c.req.valid('query').level))
    .get('/:level/:code', validateParams(AreaParams), async (c) => {
      const { level, code } = c.req.valid('param');
      const detail = await readAreaDetail(db, level, code);
      if (!detail) throw notFound(`No ${level} with code ${code}`);
      return c.json(detail);
    });
}
