import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { promisify } from 'node:util';
import { brotliCompress, constants, gzip } from 'node:zlib';
import type { Context } from 'hono';
import { parseAccept } from 'hono/utils/accept';
import { LRUCache } from 'lru-cache';
import { newLru, type OwnCache, peekDataVersion, perDataVersion } from '../db/data-version.ts';
import type { Db } from '../db/index.ts';
import { hasCredentials } from './auth.ts';
import { withSecurityHeaders } from './security.ts';

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
 * - A request with credentials (an Authorization header, http/auth.ts) is never answered from nor kept in the
 *   memory by URL, and its answer is sent `private, no-store`: what a token may see never reaches anyone else.
 *   The data caches are keyed by what the answer depends on (an indicator route keys by whether internal
 *   indicators are visible), so an anonymous key never holds an internal indicator.
 * - `answerFromMemory` answers a GET of a URL that `cachedJson` answered before, under the same data version, in
 *   front of the app (app.ts wraps its fetch): no routing, middleware, validation or handler, the security headers
 *   taken into the answer's header record, so that a repeated answer costs little more than its bytes.
 *
 * Served from memory, built once per data version and query (`cachedJson`): the areas of a level and one area's
 * detail, the profiles, the indicator catalogue and values, the gaps and the education chain, the offer
 * categories, lists and single offers, the sources, and the search answers (lists and search in an LRU of their
 * own, RECENT_ANSWERS, so the frequent prefixes stay); the view files of issue 17 (values as GeoJSON or GeoPackage,
 * /ogc items as GeoPackage) are made once per data version and request the same way, through `perDataVersion` and
 * `represent`, in LRUs of their own. tests/api/memory.test.ts checks that a second identical
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
/** Answers to requests with credentials: no shared cache may keep them, no browser cache either. */
export const PRIVATE_CACHE_CONTROL = 'private, no-store';

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
  const security = c.get('securityHeaders');
  const res = answer(rep, cacheControl, c.req.header('accept-encoding'), c.req.header('if-none-match'), {
    ...security,
    ...headers,
  });
  return security ? withSecurityHeaders(res) : res;
}

/** Accept-Encoding headers seen, with the coding chosen for each set of offered codings (a few browsers' forms). */
const chosen = new Map<string, Encoding>();

/**
 * The answer itself, as a Response of its own with its headers as a record: @hono/node-server writes such an
 * answer without building a Headers object (Hono's c.body builds one and sets every header on it, which costs
 * about as much CPU as the rest of an answer served from memory).
 */
function answer(
  rep: Representation,
  cacheControl: string,
  acceptEncoding: string | undefined,
  ifNoneMatchHeader: string | undefined,
  headers: Record<string, string>,
): Response {
  const offered = { br: rep.br !== null, gzip: rep.gzip !== null };
  const seen = `${offered.br ? 'b' : ''}${offered.gzip ? 'g' : ''}:${acceptEncoding ?? ''}`;
  let encoding = chosen.get(seen);
  if (encoding === undefined) {
    encoding = chooseEncoding(acceptEncoding, offered);
    if (chosen.size < 256) chosen.set(seen, encoding);
  }
  const common: Record<string, string> = {
    ...headers,
    'cache-control': cacheControl,
    vary: 'Accept-Encoding',
    etag: etagFor(rep.tag, encoding),
  };
  if (ifNoneMatch(ifNoneMatchHeader, rep.tag)) return new Response(null, { status: 304, headers: common });
  const bytes = (encoding === 'br' ? rep.br : encoding === 'gzip' ? rep.gzip : rep.identity) ?? rep.identity;
  common['content-type'] = rep.contentType;
  common['content-length'] = String(bytes.length);
  if (encoding !== 'identity') common['content-encoding'] = encoding;
  return new Response(bytes, { status: 200, headers: common });
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
      const { version, value } = await store.get(key);
      if (hasCredentials(c.req.raw.headers)) return send(c, value, PRIVATE_CACHE_CONTROL);
      remember(c, version, value, cacheControl);
      return send(c, value, cacheControl);
    },
  };
}

// ---------------------------------------------------------------------------------------------------------
// Kept per request URL

/**
 * The answers of `cachedJson` by the path and query of the request that asked for them, per data version: a
 * URL that was answered once from memory is answered again by `answersFromMemory` before routing, validation and
 * the handler (the same URL always validates to the same query). Bounded by bytes and entries; a rep held here
 * is the same object the data cache holds.
 */
export interface AnswerMemo {
  version: string | null;
  lru: LRUCache<string, { rep: Representation; cacheControl: string }>;
}

declare module 'hono' {
  interface ContextVariableMap {
    /** The app's answers by URL (`answerMemo`), set by app.ts for the API's routes. */
    answerMemo: AnswerMemo;
  }
}

/** An app's answers by URL: one per app, as two apps on one database may answer one URL differently. */
export function answerMemo(): AnswerMemo {
  return {
    version: null,
    lru: new LRUCache({ max: 4096, maxSize: 64 * 1024 * 1024, sizeCalculation: (e) => Math.max(1, sizeOf(e.rep)) }),
  };
}

/** Longer URLs are not kept. */
const MEMO_URL_MAX = 512;

function memoKey(url: string): string | null {
  const path = url.indexOf('/', url.indexOf('//') + 2);
  const key = path < 0 ? '/' : url.slice(path);
  return key.length <= MEMO_URL_MAX ? key : null;
}

function remember(c: Context, version: string, rep: Representation, cacheControl: string): void {
  const memo = c.get('answerMemo');
  // An answer to a request with credentials may hold what anonymous requests must never see: never kept by URL.
  if (!memo || c.req.method !== 'GET' || hasCredentials(c.req.raw.headers)) return;
  const key = memoKey(c.req.url);
  if (!key) return;
  if (memo.version !== version) {
    memo.lru.clear();
    memo.version = version;
  }
  memo.lru.set(key, { rep, cacheControl });
}

/**
 * In front of the app (app.ts wraps its fetch): a GET whose URL was answered from memory before, under the live
 * data version, is answered at once (coding, ETag, 304, the security headers), before routing, middleware,
 * validation and handler, which cost several times the answer itself. Null when it cannot answer: another
 * method, a URL not kept, a data version not read in the last second (the app reads it), or CORS open.
 */
export function answerFromMemory(
  db: Db,
  memo: AnswerMemo,
  security: Readonly<Record<string, string>>,
  corsOpen: boolean,
): (request: Request) => Response | null {
  // With CORS open every answer goes through its middleware (Vary: Origin, the allowed origins).
  if (corsOpen) return () => null;
  return (request) => {
    if (memo.version === null || request.method !== 'GET' || hasCredentials(request.headers)) return null;
    const key = memoKey(request.url);
    const hit = key === null ? undefined : memo.lru.get(key);
    if (!hit || peekDataVersion(db) !== memo.version) return null;
    const h = request.headers;
    return answer(
      hit.rep,
      hit.cacheControl,
      h.get('accept-encoding') ?? undefined,
      h.get('if-none-match') ?? undefined,
      security,
    );
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
