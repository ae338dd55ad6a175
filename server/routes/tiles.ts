import { join } from 'node:path';
import { Hono } from 'hono';
import type { AppDeps } from '../deps.ts';
import { badRequest } from '../http/problem.ts';
import { fileBodies, readIfExists, send } from '../http/representation.ts';

export const BASEMAP_MAX_ZOOM = 14;
/** Tiles of one basemap held in memory at most (all codings together). */
const TILE_CACHE_BYTES = 96 * 1024 * 1024;
const TILE_CACHE_CONTROL = 'public, max-age=604800, stale-while-revalidate=86400';

function tileCoordinate(param: 'z' | 'x' | 'y', text: string, max: number): number {
  if (!/^\d{1,8}$/.test(text)) throw badRequest(param, `must be a whole number from 0 to ${max}, got "${text}"`);
  const value = Number(text);
  if (value > max) throw badRequest(param, `must be a whole number from 0 to ${max}, got ${value}`);
  return value;
}

/**
 * GET /tiles/basemap/:z/:x/:y.pbf: the OpenMapTiles extract of the data package (uncompressed MVT), kept in
 * memory with its compressed forms (http/representation.ts). A tile the extract does not have is
 * 204 No Content: an empty tile to the map, not an error.
 */
export function tileRoutes({ env }: Pick<AppDeps, 'env'>) {
  const dir = join(env.GEODATA_DIR, 'basemap', 'openmaptiles');
  const tiles = fileBodies(TILE_CACHE_BYTES);

  return new Hono().get('/basemap/:z/:x/:file', async (c) => {
    const file = c.req.param('file');
    const match = /^(.*)\.pbf$/.exec(file);
    if (!match) throw badRequest('y', `the tile name must be {y}.pbf, got "${file}"`);
    const z = tileCoordinate('z', c.req.param('z'), BASEMAP_MAX_ZOOM);
    const last = 2 ** z - 1;
    const x = tileCoordinate('x', c.req.param('x'), last);
    const y = tileCoordinate('y', match[1] ?? '', last);

    const tile = await tiles.get(`${z}/${x}/${y}`, () => readIfExists(join(dir, String(z), String(x), `${y}.pbf`)), {
      contentType: 'application/x-protobuf',
    });
    if (!tile) return c.body(null, 204, { 'cache-control': TILE_CACHE_CONTROL });
    return send(c, tile, TILE_CACHE_CONTROL);
  });
}
