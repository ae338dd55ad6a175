import { LRUCache } from 'lru-cache';
import { dateOf, wallClockAt } from '../domain/opening-hours.ts';
import { ProblemError } from '../http/problem.ts';
import type { Db } from './index.ts';

/**
 * The data version: which import is live, as `<run id>-<first 12 hex digits of the package's SHA-256>`, and what
 * is kept per data version. It lives below the routes, which all read it.
 *
 * - The version is read from the database at most once per `VERSION_TTL_MS` per database;
 *   `invalidateDataVersion(db)` is the hook an import calls to have it read again at once.
 * - `perDataVersion` keeps values derived from the data (catalogues, per-level values, prepared answers) in one
 *   LRU per database (`lru-cache`), keyed by the data version; when a new version goes live the entries of
 *   older ones are dropped. Concurrent callers share one computation; a failure is not kept.
 */

export const VERSION_TTL_MS = 1_000;

/**
 * The data version of the last loaded import and of the uploaded tables, read now; null before the first import.
 * `<run id>-<12 hex digits of the package's SHA-256>`, then `-u<n>` once the audit log has entries (n its highest
 * id: every upload or rollback changes it, so the answers kept in memory are built again), then `-d<YYYY-MM-DD>`,
 * the city's day on the data clock (`setDataClock`), while any offer carries a list's `validFrom` or `validTo`
 * (issue 21): the answers kept in memory are then built again each day, so that an offer whose list ends goes from
 * the day after its `valid_to` and one that begins comes on its `valid_from` (`validityDay` gives the builds that day).
 */
export async function dataVersion(db: Db): Promise<string | null> {
  const [run] = await db.query<{ id: number; package_sha256: string; changes: number }>(
    `SELECT r.id, r.package_sha256, (SELECT coalesce(max(id), 0) FROM app.audit_log)::int AS changes
     FROM app.import_run r WHERE r.status = 'loaded' ORDER BY r.id DESC LIMIT 1`,
  );
  if (!run) return null;
  const base = `${run.id}-${run.package_sha256.slice(0, 12)}`;
  const version = run.changes > 0 ? `${base}-u${run.changes}` : base;
  const dated = await datedOffers(db, version);
  return dated ? `${version}-d${dateOf(wallClockAt(dataClock(db)(), dated.timeZone))}` : version;
}

/** Per database: whether the offers of a version are dated, read once per version (a query over every offer). */
const datedByVersion = new WeakMap<Db, { version: string; dated: { timeZone: string } | null }>();

async function datedOffers(db: Db, version: string): Promise<{ timeZone: string } | null> {
  const kept = datedByVersion.get(db);
  if (kept?.version === version) return kept.dated;
  const [present] = await db.query<{ city: boolean; offer: boolean }>(
    "SELECT to_regclass('atlas.city') IS NOT NULL AS city, to_regclass('atlas.offer') IS NOT NULL AS offer",
  );
  let dated: { timeZone: string } | null = null;
  if (present?.city && present.offer) {
    const [row] = await db.query<{ time_zone: string | null; dated: boolean }>(
      `SELECT (SELECT time_zone FROM atlas.city LIMIT 1) AS time_zone,
              EXISTS (SELECT 1 FROM atlas.offer WHERE attrs ? 'validFrom' OR attrs ? 'validTo') AS dated`,
    );
    if (row?.dated && row.time_zone) dated = { timeZone: row.time_zone };
  }
  datedByVersion.set(db, { version, dated });
  return dated;
}

/** The city's day (YYYY-MM-DD) the answers of `version` are built for; null when no offer is dated (no check). */
export function validityDay(version: string): string | null {
  return /-d(\d{4}-\d{2}-\d{2})$/.exec(version)?.[1] ?? null;
}

const clocks = new WeakMap<Db, () => Date>();

/** The clock the data version reads the day from: the system's, unless a test sets another. */
export function dataClock(db: Db): () => Date {
  return clocks.get(db) ?? (() => new Date());
}

/** Sets the clock of `db`'s data version (tests: a day without waiting for it), and reads the version again. */
export function setDataClock(db: Db, now: () => Date): void {
  clocks.set(db, now);
  invalidateDataVersion(db);
}

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

/** The data version read within the last `ttlMs`, without reading it; undefined when that read is older. */
export function peekDataVersion(db: Db, ttlMs = VERSION_TTL_MS): string | null | undefined {
  const state = versions.get(db);
  return state && performance.now() - state.readAt < ttlMs ? state.value : undefined;
}

/** The import hook: the next request reads the data version again instead of trusting the last read. */
export function invalidateDataVersion(db: Db): void {
  const state = versionState(db);
  state.readAt = Number.NEGATIVE_INFINITY;
  state.pending = null;
  state.epoch++;
}

/** Thrown when nothing has been imported yet: a 503 problem, with Retry-After. */
export class NoDataError extends ProblemError {
  constructor() {
    super({ title: 'No data', status: 503, detail: 'No data package has been imported yet.' }, { 'retry-after': '60' });
  }
}

/** The live data version; NoDataError when nothing has been imported. */
export async function requireDataVersion(db: Db): Promise<string> {
  const version = await currentDataVersion(db);
  if (!version) throw new NoDataError();
  return version;
}

/** An LRU whose entries are built by the function passed as `context` to `fetch`, bounded by `size` in all. */
export function newLru<V extends object>(maxSize: number, max: number | undefined, size: (value: V) => number) {
  return new LRUCache<string, V, () => Promise<V | undefined>>({
    ...(max ? { max } : {}),
    maxSize,
    sizeCalculation: (value) => Math.max(1, size(value)),
    fetchMethod: (_key, _stale, { context }) => context(),
    // An entry dropped while it is built (a new data version) still answers the requests waiting for it.
    ignoreFetchAbort: true,
  });
}

/** Bytes per database that prepared answers may hold (values that are no answer count one byte each: the per-level
 * values and catalogues are a fixed set of a few MB). */
export const DATA_CACHE_BYTES = 64 * 1024 * 1024;
/** Entries per database at most: the fixed per-level values and the answers most recently asked. */
export const DATA_CACHE_ENTRIES = 4096;

interface Entry {
  value: unknown;
  size: number;
}

interface DataCache {
  version: string;
  lru: ReturnType<typeof newLru<Entry>>;
}

const dataCaches = new WeakMap<Db, DataCache>();

/** The LRU of one database, emptied of older data versions when `version` goes live. */
function dataCache(db: Db, version: string): DataCache['lru'] {
  const cache = dataCaches.get(db);
  if (!cache) {
    const lru = newLru<Entry>(DATA_CACHE_BYTES, DATA_CACHE_ENTRIES, (entry) => entry.size);
    dataCaches.set(db, { version, lru });
    return lru;
  }
  if (cache.version !== version) {
    cache.version = version;
    const prefix = `${version}\n`;
    for (const key of [...cache.lru.keys()]) if (!key.startsWith(prefix)) cache.lru.delete(key);
  }
  return cache.lru;
}

let namespaces = 0;
const keyText = (key: unknown) => (typeof key === 'string' ? key : JSON.stringify(key));

/** An LRU of a store's own, for answers to open-ended queries (search, offer lists): `entries` and `bytes` at most. */
export interface OwnCache {
  entries: number;
  bytes: number;
}

/**
 * A value derived from the data, computed once per data version and key and kept in the database's LRU.
 * `size` gives its bytes where they matter (prepared answers); without it a value counts as one byte.
 * With `own`, the values live in an LRU of this store alone, so that many different queries (what people type)
 * push out only each other, never the fixed per-level values and catalogues the other routes share.
 */
export function perDataVersion<K, T>(
  db: Db,
  compute: (key: K, version: string) => Promise<T>,
  size?: (value: T) => number,
  own?: OwnCache,
) {
  const namespace = ++namespaces;
  let mine: DataCache | null = null;
  const ownCache = (version: string): DataCache['lru'] => {
    if (!own) return dataCache(db, version);
    if (!mine || mine.version !== version) {
      mine?.lru.clear();
      mine = { version, lru: newLru<Entry>(own.bytes, own.entries, (entry) => entry.size) };
    }
    return mine.lru;
  };
  return {
    async get(key: K): Promise<{ version: string; value: T }> {
      const version = await requireDataVersion(db);
      const lru = ownCache(version);
      const id = `${version}\n${namespace}\n${keyText(key)}`;
      // A kept value is taken as it is; fetch (which shares a build between callers) only on a miss.
      const entry =
        lru.get(id) ??
        (await lru.fetch(id, {
          context: async () => {
            const value = await compute(key, version);
            return { value, size: size ? size(value) : 1 };
          },
        }));
      return { version, value: (entry as Entry).value as T };
    },
  };
}
