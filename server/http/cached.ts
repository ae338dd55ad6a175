import { createHash } from 'node:crypto';
import { promisify } from 'node:util';
import { brotliCompress, constants, gzip } from 'node:zlib';
import type { Context } from 'hono';
import { dataVersion } from '../app.ts';
import type { Db } from '../db/index.ts';
import { ProblemError } from './problem.ts';

/**
 * Responses that change only when new data is imported: built once per data version, kept in memory as
 * JSON bytes with their gzip and brotli forms, served with an ETag and answered with 304 when the client
 * has them already.
 *
 * The data version (dataVersion(db): last loaded import run) is read at most once per `VERSION_TTL_MS` per
 * database, shared by all caches; `invalidateDataVersion(db)` is the hook an import calls to have it read
 * again at once. A build is shared by the requests that arrive while it runs; a failed build is not kept.
 */

export const VERSION_TTL_MS = 1_000;

interface VersionState {
  value: string | null;
  readAt: number;
  pending: Promise<string | null> | null;
  /** Bumped by invalidateDataVersion: a read that started before it does not count as fresh. */
  epoch: number;
}

const versions = new WeakMap<Db, VersionState>();

function versionState(db: Db): VersionState {
  let state = versions.get(db);
  if (!state) {
    state = { value: null, readAt: Number.NEGATIVE_INFINITY, pending: null, epoch: 0 };
    versions.set(db, state);
  }
  return state;
}

/** The live data version, read from the database at most once per `ttlMs`; null before the first import. */
export function currentDataVersion(db: Db, ttlMs = VERSION_TTL_MS): Promise<string | null> {
  const state = versionState(db);
  if (performance.now() - state.readAt < ttlMs) return Promise.resolve(state.value);
  if (state.pending) return state.pending;
  const epoch = state.epoch;
  const pending = dataVersion(db).then(
    (value) => {
      if (state.epoch === epoch) {
        state.value = value;
        state.readAt = performance.now();
      }
      state.pending = null;
      return value;
    },
    (err: unknown) => {
      state.pending = null;
      throw err;
    },
  );
  state.pending = pending;
  return pending;
}

/** The import hook: the next request reads the data version again instead of trusting the last read. */
export function invalidateDataVersion(db: Db): void {
  const state = versionState(db);
  state.readAt = Number.NEGATIVE_INFINITY;
  state.pending = null;
  state.epoch++;
}

function noData(): ProblemError {
  return new ProblemError(
    { title: 'No data', status: 503, detail: 'No data package has been imported yet.' },
    { 'retry-after': '60' },
  );
}

/** The live data version, or a 503 problem when nothing has been imported. */
export async function requireDataVersion(db: Db): Promise<string> {
  const version = await currentDataVersion(db);
  if (!version) throw noData();
  return version;
}

/**
 * A value derived from the data, computed once per data version and key (the key set must be small and
 * fixed: levels, not user input). Concurrent callers share one computation; a failure is not kept.
 */
export function perDataVersion<K, T>(db: Db, compute: (key: K, version: string) => Promise<T>) {
  const entries = new Map<K, { version: string; value: Promise<T> }>();
  return {
    async get(key: K): Promise<{ version: string; value: T }> {
      const version = await requireDataVersion(db);
      let entry = entries.get(key);
      if (!entry || entry.version !== version) {
        const value = compute(key, version);
        const created = { version, value };
        entry = created;
        entries.set(key, created);
        value.catch(() => {
          if (entries.get(key) === created) entries.delete(key);
        });
      }
      return { version: entry.version, value: await entry.value };
    },
  };
}

/** One prepared response body: the JSON bytes, their compressed forms and the ETag they share. */
export interface PreparedJson {
  version: string;
  /** `<data version>-<first 16 hex digits of the SHA-256 of the JSON>`, without quotes. */
  tag: string;
  json: Bytes;
  gzip: Bytes;
  br: Bytes;
}

type Bytes = Uint8Array<ArrayBuffer>;

/** A copy in memory of its own, the form Response bodies take. */
const own = (b: Buffer): Bytes => new Uint8Array(b);

const gzipAsync = promisify(gzip);
const brotliAsync = promisify(brotliCompress);

/** How hard to compress: the most (default) for a few bodies, fast settings for many (recentJson). */
export interface Compression {
  gzipLevel: number;
  brotliQuality: number;
}
const THOROUGH: Compression = { gzipLevel: 9, brotliQuality: 11 };
/** About 1 ms for 30 KB of JSON, a tenth larger than the thorough forms (which take 60 ms). */
const FAST: Compression = { gzipLevel: 6, brotliQuality: 5 };

export async function prepareJson(version: string, value: unknown, how = THOROUGH): Promise<PreparedJson> {
  const json = Buffer.from(JSON.stringify(value));
  const hash = createHash('sha256').update(json).digest('hex').slice(0, 16);
  const [gz, br] = await Promise.all([
    gzipAsync(json, { level: how.gzipLevel }),
    brotliAsync(json, {
      params: {
        [constants.BROTLI_PARAM_QUALITY]: how.brotliQuality,
        [constants.BROTLI_PARAM_MODE]: constants.BROTLI_MODE_TEXT,
        [constants.BROTLI_PARAM_SIZE_HINT]: json.length,
      },
    }),
  ]);
  return { version, tag: `${version}-${hash}`, json: own(json), gzip: own(gz), br: own(br) };
}

export interface CachedJsonOptions {
  /** Content-Type of the body; `application/json` unless told. */
  contentType?: string;
  /** Cache-Control of every answer. Clients keep the body a minute, then revalidate with If-None-Match. */
  cacheControl?: string;
}

export const DEFAULT_CACHE_CONTROL = 'public, max-age=60, stale-while-revalidate=300';

/**
 * A JSON response per key, built by `build` once per data version and served from memory:
 * `respond(c, key)` negotiates br / gzip / identity, sets ETag, Cache-Control and Vary, and answers a
 * matching If-None-Match with 304.
 */
export function cachedJson<K>(db: Db, build: (key: K) => Promise<unknown>, options: CachedJsonOptions = {}) {
  const contentType = options.contentType ?? 'application/json';
  const cacheControl = options.cacheControl ?? DEFAULT_CACHE_CONTROL;
  const store = perDataVersion<K, PreparedJson>(db, async (key, version) => prepareJson(version, await build(key)));
  /** The prepared body of `key` for the live data version. */
  const get = async (key: K): Promise<PreparedJson> => (await store.get(key)).value;
  return {
    get,
    async respond(c: Context, key: K): Promise<Response> {
      return sendPrepared(c, await get(key), contentType, cacheControl);
    },
  };
}

/** A prepared body in the coding the client takes best, with its ETag; 304 when If-None-Match names it. */
function sendPrepared(c: Context, body: PreparedJson, contentType: string, cacheControl: string): Response {
  const common = { 'cache-control': cacheControl, vary: 'Accept-Encoding' };
  const encoding = chooseEncoding(c.req.header('accept-encoding'));
  if (ifNoneMatch(c.req.header('if-none-match'), body.tag)) {
    return c.body(null, 304, { ...common, etag: etagFor(body.tag, encoding) });
  }
  const bytes = encoding === 'br' ? body.br : encoding === 'gzip' ? body.gzip : body.json;
  const headers: Record<string, string> = {
    ...common,
    'content-type': contentType,
    'content-length': String(bytes.length),
    etag: etagFor(body.tag, encoding),
  };
  if (encoding !== 'identity') headers['content-encoding'] = encoding;
  return c.body(bytes, 200, headers);
}

/**
 * Answers that depend on the data and on a query with too many values to keep them all (an indicator with its
 * level, date and classification): the `max` most recently asked ones of the live data version, prepared once
 * (JSON, gzip, brotli at fast settings) and then served from memory like cachedJson's, with ETag and 304.
 * A miss costs about what one answer built per request cost; requests for the same key share one build, and a
 * failed build (e.g. a 400 from the classification) is not kept.
 */
export function recentJson(max = 256, options: CachedJsonOptions = {}) {
  const contentType = options.contentType ?? 'application/json';
  const cacheControl = options.cacheControl ?? DEFAULT_CACHE_CONTROL;
  let liveVersion: string | null = null;
  // Map order is insertion order: a hit is moved to the end, the first entry is the least recently used.
  const entries = new Map<string, Promise<PreparedJson>>();
  return {
    async respond(c: Context, version: string, key: string, build: () => unknown): Promise<Response> {
      if (version !== liveVersion) {
        entries.clear();
        liveVersion = version;
      }
      let entry = entries.get(key);
      if (entry) entries.delete(key);
      else {
        const made = Promise.resolve()
          .then(build)
          .then((value) => prepareJson(version, value, FAST));
        made.catch(() => {
          if (entries.get(key) === made) entries.delete(key);
        });
        entry = made;
      }
      entries.set(key, entry);
      while (entries.size > max) entries.delete(entries.keys().next().value as string);
      return sendPrepared(c, await entry, contentType, cacheControl);
    },
  };
}

export type Encoding = 'br' | 'gzip' | 'identity';

/** A strong ETag per content coding (RFC 9110 8.8.3): the same tag with the coding appended. */
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

/** The accepted coding with the highest q (br before gzip on a tie), else identity; `*` stands for the ones not named. */
export function chooseEncoding(header: string | undefined): Encoding {
  if (!header) return 'identity';
  const q = new Map<string, number>();
  for (const part of header.split(',')) {
    const [name, ...params] = part.trim().toLowerCase().split(';');
    if (!name) continue;
    const qParam = params.map((p) => p.trim()).find((p) => p.startsWith('q='));
    const value = qParam ? Number(qParam.slice(2)) : 1;
    q.set(name === 'x-gzip' ? 'gzip' : name, Number.isFinite(value) ? value : 0);
  }
  const br = q.get('br') ?? q.get('*') ?? 0;
  const gz = q.get('gzip') ?? q.get('*') ?? 0;
  if (br > 0 && br >= gz) return 'br';
  if (gz > 0) return 'gzip';
  return 'identity';
}
