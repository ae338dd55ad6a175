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

export async function prepareJson(version: string, value: unknown): Promise<PreparedJson> {
  const json = Buffer.from(JSON.stringify(value));
  const hash = createHash('sha256').update(json).digest('hex').slice(0, 16);
  const [gz, br] = await Promise.all([
    gzipAsync(json, { level: 9 }),
    brotliAsync(json, {
      params: {
        [constants.BROTLI_PARAM_QUALITY]: 11,
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
      const body = await get(key);
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
