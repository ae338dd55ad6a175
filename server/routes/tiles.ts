import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { gzip as gzipCb } from 'node:zlib';
import type { Context } from 'hono';
import { Hono } from 'hono';
import type { AppDeps } from '../app.ts';
import { badRequest } from '../http/problem.ts';

const gzip = promisify(gzipCb);

/** A file's bytes, its gzip form (null where gzip does not pay) and an ETag of the content. */
export interface CachedBody {
  raw: Buffer;
  gz: Buffer | null;
  etag: string;
}

/**
 * Files that do not change while the server runs, kept in memory with their gzip form, made once on
 * first use. Least recently used entries go when the total passes `maxBytes`. A load that finds no
 * file resolves to null and is not kept.
 */
export class BodyCache {
  private readonly entries = new Map<string, Promise<CachedBody | null>>();
  private readonly sizes = new Map<string, number>();
  private total = 0;

  constructor(private readonly maxBytes: number) {}

  get(key: string, load: () => Promise<Buffer | null>): Promise<CachedBody | null> {
    const hit = this.entries.get(key);
    if (hit) {
      // Map order is insertion order: re-inserting marks the entry as recently used.
      this.entries.delete(key);
      this.entries.set(key, hit);
      return hit;
    }
    const pending = load().then(async (raw) => (raw ? prepare(raw) : null));
    this.entries.set(key, pending);
    pending.then(
      (body) => {
        if (this.entries.get(key) !== pending) return;
        if (!body) {
          this.entries.delete(key);
          return;
        }
        const size = body.raw.length + (body.gz?.length ?? 0);
        this.sizes.set(key, size);
        this.total += size;
        this.evict();
      },
      () => {
        if (this.entries.get(key) === pending) this.entries.delete(key);
      },
    );
    return pending;
  }

  get bytes(): number {
    return this.total;
  }

  private evict(): void {
    for (const key of this.entries.keys()) {
      if (this.total <= this.maxBytes) return;
      const size = this.sizes.get(key);
      if (size === undefined) continue; // still loading
      this.entries.delete(key);
      this.sizes.delete(key);
      this.total -= size;
    }
  }
}

async function prepare(raw: Buffer): Promise<CachedBody> {
  const etag = `"${createHash('sha1').update(raw).digest('base64url').slice(0, 22)}"`;
  const packed = raw.length > 256 ? await gzip(raw, { level: 6 }) : null;
  return { raw, etag, gz: packed && packed.length < raw.length * 0.95 ? packed : null };
}

/** Whether the request accepts gzip (and does not forbid it with q=0). */
export function acceptsGzip(header: string | undefined): boolean {
  if (!header) return false;
  return header.split(',').some((part) => {
    const [coding, ...params] = part.trim().toLowerCase().split(';');
    if (coding !== 'gzip' && coding !== '*') return false;
    const q = params.map((p) => p.trim()).find((p) => p.startsWith('q='));
    return !q || Number(q.slice(2)) > 0;
  });
}

/**
 * Sends a cached body with ETag, Vary and, where the client takes it, gzip; answers a matching
 * If-None-Match with 304. The gzip form has its own ETag, as it is another representation.
 */
export function sendBody(c: Context, body: CachedBody, headers: Record<string, string>): Response {
  const useGzip = body.gz !== null && acceptsGzip(c.req.header('accept-encoding'));
  const etag = useGzip ? `${body.etag.slice(0, -1)}-gz"` : body.etag;
  const common: Record<string, string> = { ...headers, etag, vary: 'Accept-Encoding' };
  const inm = c.req.header('if-none-match');
  if (inm && inm.split(',').some((tag) => tag.trim().replace(/^W\//, '') === etag)) {
    return c.body(null, 304, common);
  }
  const bytes = useGzip && body.gz ? body.gz : body.raw;
  if (useGzip) common['content-encoding'] = 'gzip';
  common['content-length'] = String(bytes.length);
  // Buffers from fs and zlib sit on a plain ArrayBuffer, never a SharedArrayBuffer.
  return c.body(bytes as Uint8Array<ArrayBuffer>, 200, common);
}

export const BASEMAP_MAX_ZOOM = 14;
/** Tiles of one basemap held in memory at most (raw and gzip together). */
const TILE_CACHE_BYTES = 96 * 1024 * 1024;
const TILE_CACHE_CONTROL = 'public, max-age=604800, stale-while-revalidate=86400';

function tileCoordinate(param: 'z' | 'x' | 'y', text: string, max: number): number {
  if (!/^\d{1,8}$/.test(text)) throw badRequest(param, `must be a whole number from 0 to ${max}, got "${text}"`);
  const value = Number(text);
  if (value > max) throw badRequest(param, `must be a whole number from 0 to ${max}, got ${value}`);
  return value;
}

async function readIfExists(path: string): Promise<Buffer | null> {
  try {
    return await readFile(path);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') return null;
    throw err;
  }
}

/**
 * GET /tiles/basemap/:z/:x/:y.pbf: the OpenMapTiles extract of the data package (uncompressed MVT).
 * A tile the extract does not have is 204 No Content: an empty tile to the map, not an error.
 */
export function tileRoutes({ env }: Pick<AppDeps, 'env'>) {
  const dir = join(env.GEODATA_DIR, 'basemap', 'openmaptiles');
  const cache = new BodyCache(TILE_CACHE_BYTES);

  return new Hono().get('/basemap/:z/:x/:file', async (c) => {
    const file = c.req.param('file');
    const match = /^(.*)\.pbf$/.exec(file);
    if (!match) throw badRequest('y', `the tile name must be {y}.pbf, got "${file}"`);
    const z = tileCoordinate('z', c.req.param('z'), BASEMAP_MAX_ZOOM);
    const last = 2 ** z - 1;
    const x = tileCoordinate('x', c.req.param('x'), last);
    const y = tileCoordinate('y', match[1] ?? '', last);

    const body = await cache.get(`${z}/${x}/${y}`, () => readIfExists(join(dir, String(z), String(x), `${y}.pbf`)));
    if (!body) return c.body(null, 204, { 'cache-control': TILE_CACHE_CONTROL });
    return sendBody(c, body, { 'content-type': 'application/x-protobuf', 'cache-control': TILE_CACHE_CONTROL });
  });
}
