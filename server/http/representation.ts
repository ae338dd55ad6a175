import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { promisify } from 'node:util';
import { brotliCompress, constants, gzip } from 'node:zlib';
import type { Context } from 'hono';
import { parseAccept } from 'hono/utils/accept';
import { newLru, type OwnCache, perDataVersion } from '../db/data-version.ts';
import type { Db } from '../db/index.ts';

/**
 * The one way the server sends bodies that do not change between two imports (JSON answers) or while it runs
 * (basemap tiles, the web app's files):
 *
 * - `represent` makes a body once: its bytes, its brotli and gzip forms (compressed on zlib's thread pool,
 *   off the request path, and only kept where they pay) and one strong ETag.
 * - `send` answers a request with the coding it takes best (its Accept-Encoding read with Hono's `parseAccept`),
 *   the ETag of that coding (RFC 9110 8.8.3: the tag with `-br` or `-gzip` appended), Vary and Cache-Control,
 *   and 304 when If-None-Match names the body in any coding.
 * - Kept bodies live in LRUs from `lru-cache`: answers built from the data in the database's LRU of the live
 *   data version (`cachedJson`, on `perDataVersion` of db/data-version.ts), files in one LRU per file tree
 *   (`fileBodies`). A build is shared by the requests that arrive while it runs; a failed build is not kept.
 *
 * Served from memory, built once per data version and query (`cachedJson`): the areas of a level and one area's
 * detail, the profiles, the indicator catalogue and values, the gaps and the education chain, the offer
 * categories, lists and single offers, the sources, and the search answers (lists and search in an LRU of their
 * own, RECENT_ANSWERS, so the frequent prefixes stay). tests/api/memory.test.ts checks that a second identical
 * request sends no statement to the database. What still reaches the database per request, and why:
 *
 * 1. `GET /api/offers/nearest`: a point anywhere (two free coordinates), k, distance and kinds; almost every
 *    request is another query, so a cache would rarely answer. One KNN query over the GiST index (the bench's
 *    "nearest" row: its SQL alone against the route). The categories and the city's box it checks come from memory.
 * 2. `GET /ready`: it reads the data version on every call, as its purpose is to say whether the database
 *    answers now.
 * 3. The first request of a query after an import (and a search or offer list pushed out of its LRU by 2,048
 *    newer ones): it builds the answer, once, shared by the requests that arrive while it runs.
 * 4. A request the data refuses (an unknown area code, offer id or indicator: 404 or 400): a failed build is not
 *    kept, so that errors never fill the memory; the parameters are validated before (format, length).
 * 5. Every route reads the live data version at most once a second (`VERSION_TTL_MS`, db/data-version.ts), for all
 *    requests together, so that an import by another process goes live within a second.
 */

export type Bytes = Uint8Array<ArrayBuffer>;
export type Encoding = 'br' | 'gzip' | 'identity';

/** One body in every coding it is offered in, with the ETag they share (without quotes or coding suffix). */
export interface Representation {
  tag: string;
  contentType: string;
  identity: Bytes;
  gzip: Bytes | null;
  br: Bytes | null;
}

/** How hard to compress: the most for a few bodies built once per import, fast for the many others. */
export interface Compression {
  gzipLevel: number;
  brotliQuality: number;
}
export const THOROUGH: Compression = { gzipLevel: 9, brotliQuality: 11 };
/** About 1 ms for 30 KB of JSON, a tenth larger than the thorough forms (which take 60 ms). */
export const FAST: Compression = { gzipLevel: 6, brotliQuality: 5 };

/** A compressed form is kept only when it is smaller than this share of the bytes. */
const PAYS = 0.95;
/** Bodies up to this size are sent as they are: compressing them gains nothing worth a header. */
const TINY = 256;

const TEXT = /json|text|javascript|css|xml|svg/;
const gzipAsync = promisify(gzip);
const brotliAsync = promisify(brotliCompress);
/** A copy of its own, the form Response bodies take (zlib's buffers may share a pool). */
const own = (b: Uint8Array): Bytes => new Uint8Array(b);

export interface RepresentOptions {
  contentType: string;
  /** Leads the tag, e.g. the data version, so an answer of another import never matches. */
  tagPrefix?: string;
  compression?: Compression;
  /** The content is already compressed (images, fonts): only the bytes themselves. */
  compressible?: boolean;
}

/** Makes the representation of `body`: the tag is `[prefix-]` and the first 16 hex digits of its SHA-256. */
export async function represent(body: Uint8Array | string, options: RepresentOptions): Promise<Representation> {
  const bytes = typeof body === 'string' ? Buffer.from(body) : body;
  const hash = createHash('sha256').update(bytes).digest('hex').slice(0, 16);
  const tag = options.tagPrefix ? `${options.tagPrefix}-${hash}` : hash;
  const how = options.compression ?? FAST;
  const squeeze = options.compressible !== false && bytes.length > TINY;
  const [gz, br] = squeeze
    ? await Promise.all([
        gzipAsync(bytes, { level: how.gzipLevel }),
        brotliAsync(bytes, {
          params: {
            [constants.BROTLI_PARAM_QUALITY]: how.brotliQuality,
            [constants.BROTLI_PARAM_MODE]: TEXT.test(options.contentType)
              ? constants.BROTLI_MODE_TEXT
              : constants.BROTLI_MODE_GENERIC,
            [constants.BROTLI_PARAM_SIZE_HINT]: bytes.length,
          },
        }),
      ])
    : [null, null];
  const pays = (packed: Uint8Array | null) => (packed && packed.length < bytes.length * PAYS ? own(packed) : null);
  return { tag, contentType: options.contentType, identity: own(bytes), gzip: pays(gz), br: pays(br) };
}

/** JSON of a value, represented: `application/json` unless told, tagged with the data version. */
export function representJson(
  version: string,
  value: unknown,
  options: Partial<Omit<RepresentOptions, 'tagPrefix'>> = {},
): Promise<Representation> {
  return represent(JSON.stringify(value), { contentType: 'application/json', ...options, tagPrefix: version });
}

/** Bytes held by a representation, all codings together. */
export function sizeOf(rep: Representation): number {
  return rep.identity.length + (rep.gzip?.length ?? 0) + (rep.br?.length ?? 0);
}

/** The coding the client takes best among those offered: highest q, br before gzip on a tie, `*` for the unnamed. */
export function chooseEncoding(header: string | undefined, offered: { br: boolean; gzip: boolean }): Encoding {
  if (!header) return 'identity';
  const q = new Map<string, number>();
  for (const { type, q: quality } of parseAccept(header)) {
    const name = type.toLowerCase();
    q.set(name === 'x-gzip' ? 'gzip' : name, quality);
  }
  const br = offered.br ? (q.get('br') ?? q.get('*') ?? 0) : 0;
  const gz = offered.gzip ? (q.get('gzip') ?? q.get('*') ?? 0) : 0;
  if (br > 0 && br >= gz) return 'br';
  if (gz > 0) return 'gzip';
  return 'identity';
}

/** A strong ETag per content coding: the same tag with the coding appended. */
export function etagFor(tag: string, encoding: Encoding): string {
  return encoding === 'identity' ? `"${tag}"` : `"${tag}-${encoding}"`;
}

/** If-None-Match matches when it is `*` or names the tag in any coding, weak or strong (weak comparison). */
export function ifNoneMatch(header: string | undefined, tag: string): boolean {
  if (!header) return false;
  return header.split(',').some((raw) => {
    const t = raw.trim();
    if (t === '*') return true;
    const opaque = t.replace(/^W\//, '').replace(/^"|"$/g, '');
    return opaque === tag || opaque === `${tag}-br` || opaque === `${tag}-gzip`;
  });
}

export const DEFAULT_CACHE_CONTROL = 'public, max-age=60, stale-while-revalidate=300';

/**
 * Answers with `rep` in the coding the client takes best, with its ETag, Vary and Cache-Control (and `headers`);
 * 304 without a body when If-None-Match names it.
 */
export function send(
  c: Context,
  rep: Representation,
  cacheControl = DEFAULT_CACHE_CONTROL,
  headers: Record<string, string> = {},
): Response {
  const encoding = chooseEncoding(c.req.header('accept-encoding'), { br: rep.br !== null, gzip: rep.gzip !== null });
  const common: Record<string, string> = {
    ...headers,
    'cache-control': cacheControl,
    vary: 'Accept-Encoding',
    etag: etagFor(rep.tag, encoding),
  };
  if (ifNoneMatch(c.req.header('if-none-match'), rep.tag)) return c.body(null, 304, common);
  const bytes = encoding === 'br' ? rep.br : encoding === 'gzip' ? rep.gzip : rep.identity;
  const out: Record<string, string> = {
    ...common,
    'content-type': rep.contentType,
    'content-length': String(bytes?.length ?? 0),
  };
  if (encoding !== 'identity') out['content-encoding'] = encoding;
  return c.body(bytes ?? rep.identity, 200, out);
}

// ---------------------------------------------------------------------------------------------------------
// Kept per data version

export interface CachedJsonOptions {
  /** Content-Type of the body; `application/json` unless told. */
  contentType?: string;
  /** Cache-Control of every answer. Clients keep the body a minute, then revalidate with If-None-Match. */
  cacheControl?: string;
  /** THOROUGH (the default) for a few large bodies, FAST for answers to many different queries. */
  compression?: Compression;
  /**
   * For routes whose queries are open-ended (what people type, a map's box): the answers live in an LRU of the
   * route's own, the most recently asked kept, so the frequent ones stay and never push out the shared values.
   */
  own?: OwnCache;
}

/** The LRU of a route with open-ended queries: the 2,048 most recent answers, 32 MB at most. */
export const RECENT_ANSWERS: OwnCache = { entries: 2048, bytes: 32 * 1024 * 1024 };

/**
 * A JSON answer per key, built by `build` once per data version and then served from memory:
 * `respond(c, key)` sends it with `send` (coding, ETag, 304).
 */
export function cachedJson<K>(
  db: Db,
  build: (key: K, version: string) => Promise<unknown> | unknown,
  options: CachedJsonOptions = {},
) {
  const cacheControl = options.cacheControl ?? DEFAULT_CACHE_CONTROL;
  const store = perDataVersion<K, Representation>(
    db,
    async (key, version) =>
      representJson(version, await build(key, version), {
        contentType: options.contentType ?? 'application/json',
        compression: options.compression ?? THOROUGH,
      }),
    sizeOf,
    options.own,
  );
  /** The representation of `key` for the live data version. */
  const get = async (key: K): Promise<Representation> => (await store.get(key)).value;
  return {
    get,
    async respond(c: Context, key: K): Promise<Response> {
      return send(c, await get(key), cacheControl);
    },
  };
}

// ---------------------------------------------------------------------------------------------------------
// Kept per file

/** A file's bytes, or null when there is no such file. */
export async function readIfExists(path: string): Promise<Buffer | null> {
  try {
    return await readFile(path);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') return null;
    throw err;
  }
}

/**
 * Files that do not change while the server runs (or are keyed by their modification time), kept with their
 * compressed forms in one LRU of at most `maxBytes`. `get(key, load)` loads a file on first use; a load that
 * finds no file gives null and is not kept.
 */
export function fileBodies(maxBytes: number) {
  const lru = newLru<Representation>(maxBytes, undefined, sizeOf);
  return {
    async get(
      key: string,
      load: () => Promise<Uint8Array | null>,
      options: Omit<RepresentOptions, 'tagPrefix'>,
    ): Promise<Representation | null> {
      const rep = await lru.fetch(key, {
        context: async () => {
          const bytes = await load();
          return bytes ? represent(bytes, options) : undefined;
        },
      });
      return rep ?? null;
    },
    /** Bytes held now. */
    get bytes(): number {
      return lru.calculatedSize;
    },
  };
}
