import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { Hono } from 'hono';
import { z } from 'zod';
import { defaultManifestPath } from '../../geodata/import.ts';
import { loadManifest } from '../../geodata/manifest.ts';
import { buildWebConfig, type TileRange } from '../domain/web-config.ts';
import type { Env } from '../env.ts';
import { documentRoute, validateQuery } from '../http/validate.ts';

/**
 * /api/config: what the web app reads at start: the city (name, extent), the basemap (extent, zoom range,
 * attribution), the editorial choices of indicators (from the manifest's `web` section) and the route link.
 * Public by nature (the page shows them), so nothing secret may ever go in here.
 */

const bounds = z
  .tuple([z.number(), z.number(), z.number(), z.number()])
  .describe('[west, south, east, north] in degrees (WGS 84)');
const ids = z.array(z.string());

export const WebConfig = z.strictObject({
  routeUrlTemplate: z
    .string()
    .nullable()
    .describe(
      'ROUTE_URL_TEMPLATE: an external routing service for the finder\'s "route" link, with {from} and {to} ' +
        '("lat,lon") or {from_lon}, {from_lat}, {to_lon}, {to_lat}; null when none is configured',
    ),
  accessibilityContact: z
    .strictObject({ text: z.string(), href: z.string() })
    .nullable()
    .describe(
      'ACCESSIBILITY_CONTACT: the feedback contact of the accessibility statement (an e-mail address as a mailto: ' +
        'link, or the address of a contact form); null when none is configured',
    ),
  city: z
    .strictObject({ name: z.string(), code: z.string(), bounds })
    .describe('The city of the data package, from its manifest; the first view of a map fits `bounds`'),
  basemap: z.strictObject({
    bounds: bounds.nullable().describe('The extent of the basemap tiles at their highest zoom; null without tiles'),
    maxBounds: bounds.describe('How far the map may be panned'),
    maxZoom: z.number().int().describe('The highest zoom of the basemap tiles; maps overzoom beyond it'),
    attribution: z.array(z.strictObject({ text: z.string(), url: z.string().nullable() })),
  }),
  planner: z
    .strictObject({ indicators: ids, gapNeed: ids, gapSupply: ids })
    .describe('Indicator ids the planner opens with (the first the level has), and of the gap view'),
  council: z
    .strictObject({
      keyFigures: ids,
      cardFigures: ids,
      comparison: ids,
      ranking: z.string().nullable(),
      offerCategories: ids,
      gapRadiusM: z.number().int(),
    })
    .describe("The council pages' editorial choice of figures; an id the catalogue lacks is skipped"),
});
export type WebConfig = z.infer<typeof WebConfig>;

documentRoute({
  method: 'get',
  path: '/api/config',
  tag: 'config',
  summary: 'Settings of the web app: city, basemap, editorial choice of indicators, the route link of the finder',
  response: { description: 'The settings', schema: WebConfig },
  example: '/api/config',
});

/** The basemap tiles at their highest zoom in `dir` ({z}/{x}/{y}.pbf), or null without any. */
export function basemapTileRange(dir: string): TileRange | null {
  const numbers = (path: string, suffix = '') => {
    try {
      return readdirSync(path)
        .filter((name) => new RegExp(`^\\d+${suffix.replace('.', '\\.')}$`).test(name))
        .map((name) => Number.parseInt(name, 10));
    } catch {
      return [];
    }
  };
  const z = Math.max(...numbers(dir));
  if (!Number.isFinite(z)) return null;
  const xs = numbers(join(dir, String(z)));
  const ys = xs.flatMap((x) => numbers(join(dir, String(z), String(x)), '.pbf'));
  if (!xs.length || !ys.length) return null;
  return { z, minX: Math.min(...xs), maxX: Math.max(...xs), minY: Math.min(...ys), maxY: Math.max(...ys) };
}

type ConfigEnv = Pick<Env, 'ROUTE_URL_TEMPLATE' | 'ACCESSIBILITY_CONTACT' | 'GEODATA_DIR' | 'GEODATA_MANIFEST'>;

export function webConfig(env: ConfigEnv): WebConfig {
  const manifest = loadManifest(env.GEODATA_MANIFEST ?? defaultManifestPath(env.GEODATA_DIR));
  const tiles = basemapTileRange(join(env.GEODATA_DIR, 'basemap', 'openmaptiles'));
  return buildWebConfig(manifest, tiles, env.ROUTE_URL_TEMPLATE, env.ACCESSIBILITY_CONTACT);
}

export function configRoutes({ env }: { env: ConfigEnv }) {
  // Read once, on the first request: the manifest and the tiles do not change while the server runs.
  let body: WebConfig | null = null;
  return new Hono().get('/', validateQuery(z.strictObject({})), (c) => {
    body ??= webConfig(env);
    return c.json(body, 200, { 'cache-control': 'no-cache' });
  });
}
