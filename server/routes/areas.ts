import { Hono } from 'hono';
import { z } from 'zod';
import type { Db } from '../db/index.ts';
import { readAreaDetail, readAreaShapes } from '../db/queries/areas.ts';
import type { AppDeps } from '../deps.ts';
import { areaCollection, areaDetail, SIMPLIFY_TOLERANCE_M } from '../domain/areas.ts';
import { notFound } from '../http/problem.ts';
import { cachedJson, FAST } from '../http/representation.ts';
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

export { SIMPLIFY_TOLERANCE_M } from '../domain/areas.ts';

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
  response: { description: 'The area', schema: AreaDetail, cached: true },
  errors: [{ status: 404, description: 'No area of that level has this code' }],
});

/** The FeatureCollection of one level; areaRoutes serves it from memory, built once per data version. */
export async function buildAreaCollection(db: Db, level: AreaLevel): Promise<AreaCollection> {
  return areaCollection(level, await readAreaShapes(db, level, SIMPLIFY_TOLERANCE_M));
}

/**
 * /api/areas. `build` makes the FeatureCollection of a level; it runs once per level and data version
 * (tests pass a counting wrapper of the real one).
 */
export function areaRoutes({ db }: Pick<AppDeps, 'db'>, build = buildAreaCollection) {
  const collections = cachedJson<AreaLevel>(db, (level) => build(db, level), { contentType: 'application/geo+json' });
  // One area's detail, built once per data version and area (an unknown code is a 404, not kept).
  const details = cachedJson<{ level: AreaLevel; code: string }>(
    db,
    async ({ level, code }) => {
      const rows = await readAreaDetail(db, level, code);
      if (!rows) throw notFound(`No ${level} with code ${code}`);
      return areaDetail(level, code, rows) satisfies AreaDetail;
    },
    { compression: FAST },
  );
  return new Hono()
    .get('/', validateQuery(AreaListQuery), (c) => collections.respond(c, c.req.valid('query').level))
    .get('/:level/:code', validateParams(AreaParams), (c) => details.respond(c, c.req.valid('param')));
}
