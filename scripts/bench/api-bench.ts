import { NEAREST_SQL } from '../../server/db/queries/offers.ts';
import { ADDRESS_SQL } from '../../server/routes/search.ts';
import { rawGet } from './http-raw.ts';
import { BROWSER_HEADERS, runLoad } from './load.ts';
import type { Workload } from './protocol.ts';
import type { ServerProcess } from './server-process.ts';
import { type LoadStats, median, medianRun } from './stats.ts';

/** How hard and how long each measurement runs. */
export interface LoadPlan {
  /** Requests per run at most. */
  amount: number;
  /** Seconds per run at most. */
  maxSeconds: number;
  /** Runs of the endpoint and of its reference, alternately; the median run of each is reported. */
  rounds: number;
  /** Connections for the answers served from memory (areas, values, tiles). */
  connections: number;
}

export interface Measured {
  /** The run with the median req/s (secondary figures: req/s, latency). */
  app: LoadStats;
  ref: LoadStats | null;
  /** app req/s ÷ reference req/s, from the median runs (secondary). */
  ratio: number | null;
  /**
   * The primary figure's raw data: per run, the server process's CPU time (user + system, µs) and the answers it
   * gave, for the endpoint and for its reference, in the order run. Empty for a reference that is not HTTP.
   */
  cpuRuns: { app: CpuRun[]; ref: CpuRun[] };
  /** Median over the runs of CPU µs per answer, app and reference, and app ÷ reference: the primary figure. */
  cpu: CpuFigure | null;
  /** Bytes of one answer as a browser gets it (brotli), app and reference, where the two differ in size. */
  bytes?: { app: number; ref: number };
  /** Bare references holding the app's answer: whether they send the same body, and the headers that differ. */
  same?: SameAnswer;
  connections: number;
  paths: number;
  example: string;
  refExample: string | null;
}

export interface ApiResults {
  indicator: string;
  areas: Measured;
  /** Issue 17: the OGC API's quarters against the areas route, side by side in the same app. */
  ogcQuarters: Measured;
  values: Measured;
  nearest: Measured;
  search: Measured;
  tiles: Measured | null;
  plans: { nearest: string[]; search: string[] };
}

export interface SameAnswer {
  body: boolean;
  /** Header names whose values differ between app and reference (those of the connection left out). */
  headersDiffer: string[];
  /** The headers both send. */
  headers: string[];
}

const PER_CONNECTION = new Set(['date', 'connection', 'keep-alive', 'transfer-encoding']);

/** One GET of each, as a browser asks: the body and every header but those of the connection compared. */
export async function compareAnswers(appUrl: string, refUrl: string): Promise<SameAnswer> {
  const [a, r] = await Promise.all([rawGet(appUrl, BROWSER_HEADERS), rawGet(refUrl, BROWSER_HEADERS)]);
  const names = new Set([...Object.keys(a.headers), ...Object.keys(r.headers)].filter((h) => !PER_CONNECTION.has(h)));
  const headersDiffer = [...names].filter((h) => a.headers[h] !== r.headers[h]).sort();
  return {
    body: a.status === 200 && r.status === 200 && a.body.equals(r.body),
    headersDiffer,
    headers: [...names].filter((h) => !headersDiffer.includes(h)).sort(),
  };
}

export interface CpuRun {
  cpuUs: number;
  answers: number;
}

export interface CpuFigure {
  /** Median of the runs' CPU µs per answer. */
  app: number;
  ref: number | null;
  /** app ÷ ref. */
  ratio: number | null;
}

/** The primary figure from the raw runs: the median of each run's CPU per answer, and their ratio. */
export function cpuFigure(runs: { app: CpuRun[]; ref: CpuRun[] }): CpuFigure | null {
  const per = (list: CpuRun[]) => list.filter((r) => r.answers > 0).map((r) => r.cpuUs / r.answers);
  const app = per(runs.app);
  if (app.length === 0) return null;
  const ref = per(runs.ref);
  const a = median(app);
  const r = ref.length ? median(ref) : null;
  return { app: a, ref: r, ratio: r ? a / r : null };
}

/** Side by side: the endpoint and its reference alternately, `rounds` times each, after a warm-up of both. */
async function sideBySide(
  plan: LoadPlan,
  app: (amount: number, maxSeconds: number) => Promise<LoadStats>,
  ref: ((amount: number, maxSeconds: number) => Promise<LoadStats>) | null,
) {
  const warm = Math.max(50, Math.min(500, Math.floor(plan.amount / 10)));
  await app(warm, plan.maxSeconds);
  if (ref) await ref(warm, plan.maxSeconds);
  const apps: LoadStats[] = [];
  const refs: LoadStats[] = [];
  for (let i = 0; i < plan.rounds; i++) {
    // Alternate which goes first, so that a drift in the machine's load falls on both alike.
    if (i % 2 === 1 && ref) refs.push(await ref(plan.amount, plan.maxSeconds));
    apps.push(await app(plan.amount, plan.maxSeconds));
    if (i % 2 === 0 && ref) refs.push(await ref(plan.amount, plan.maxSeconds));
  }
  const a = medianRun(apps);
  const r = refs.length ? medianRun(refs) : null;
  const cpuRuns = {
    app: apps.flatMap((x) => (x.cpuUs === undefined ? [] : [{ cpuUs: x.cpuUs * x.requests, answers: x.requests }])),
    ref: refs.flatMap((x) => (x.cpuUs === undefined ? [] : [{ cpuUs: x.cpuUs * x.requests, answers: x.requests }])),
  };
  return { app: a, ref: r, ratio: r && r.rps > 0 ? a.rps / r.rps : null, cpuRuns, cpu: cpuFigure(cpuRuns) };
}

function check(stats: LoadStats, what: string): LoadStats {
  if (stats.requests === 0) throw new Error(`${what}: no successful answer (${stats.errors} errors)`);
  return stats;
}

/** Search terms as people type them: prefixes of street names (with and without a house number), offers, areas. */
export function searchTerms(w: Workload): string[] {
  const terms: string[] = [];
  for (const { street, number } of w.streets) {
    for (const n of [3, 5, 8]) if (street.length > n) terms.push(street.slice(0, n));
    terms.push(street, `${street} ${number}`);
  }
  for (const name of [...w.offerNames, ...w.areaNames]) {
    terms.push(name.slice(0, 4));
    if (name.length > 8) terms.push(name.slice(0, 8));
  }
  terms.push('Kita', 'Grundschule', 'Apotheke', 'Bibliothek', 'Hörde', 'Innenstadt', 'Str', 'weg');
  return [...new Set(terms.map((t) => t.trim()).filter((t) => /[\p{L}\p{N}]/u.test(t)))];
}

/** The day nearest answers are valid on, as the route passes it (the city's date; the bench's close enough). */
const TODAY = new Date().toISOString().slice(0, 10);

/** Nearest queries: k = 10 around addresses all over the city, every other one for one category, by straight line. */
function nearestQueries(w: Workload) {
  const categories = [null, 'childcare', null, 'school', null, 'health'];
  return w.points.map(([lon, lat], i) => {
    const category = categories[i % categories.length] ?? null;
    return {
      // walk=false: the route does what the SQL does; the walk on top is measured against it in walk-bench.ts.
      path: `/api/offers/nearest?lon=${lon}&lat=${lat}&k=10&walk=false${category ? `&category=${category}` : ''}`,
      // As readNearest (server/db/queries/offers.ts) passes them: lon, lat, categories, k, max_m, kinds, the day
      // the offers must be valid on, age, language, step-free, with hours.
      params: [lon, lat, category ? [category] : null, 10, 5000, null, TODAY, null, null, false, false] as unknown[],
    };
  });
}

export function chooseIndicator(catalogue: {
  indicators: { id: string; levels: { level: string; with_value: number }[] }[];
}): string {
  // The planner's default when it has quarter values, else the indicator with values for most quarters.
  const quarterValues = (id: string) =>
    catalogue.indicators.find((i) => i.id === id)?.levels.find((l) => l.level === 'quarter')?.with_value ?? 0;
  const preferred = ['school_social_index_nearest_primary', 'coverage_childcare_500m'].find((id) => quarterValues(id));
  if (preferred) return preferred;
  const best = [...catalogue.indicators].sort((a, b) => quarterValues(b.id) - quarterValues(a.id))[0];
  if (!best) throw new Error('the catalogue has no indicators');
  return best.id;
}

export async function benchApi(
  server: ServerProcess,
  workload: Workload,
  plan: LoadPlan,
  indicator: string,
  log: (line: string) => void,
  withTiles: boolean,
): Promise<ApiResults> {
  const { appUrl, refUrl } = server.ready;
  const http = (origin: string, paths: string[], connections: number) => async (amount: number, maxSeconds: number) => {
    const before = await server.cpu();
    const stats = await runLoad({ origin, paths, connections, amount, maxSeconds, headers: BROWSER_HEADERS });
    const used = (await server.cpu()) - before;
    return { ...stats, cpuUs: stats.requests ? used / stats.requests : undefined };
  };

  const measure = async (
    name: string,
    appPaths: string[],
    refPaths: string[] | null,
    connections: number,
    ref?: (amount: number, maxSeconds: number) => Promise<LoadStats>,
  ): Promise<Measured> => {
    log(`${name}: ${appPaths.length} paths, ${connections} connections`);
    const refFn = ref ?? (refPaths ? http(refUrl, refPaths, connections) : null);
    const r = await sideBySide(plan, http(appUrl, appPaths, connections), refFn);
    check(r.app, name);
    if (r.ref) check(r.ref, `${name} (reference)`);
    const fmt = (s: LoadStats | null) =>
      s ? `${s.rps.toFixed(0)} req/s p50 ${s.p50.toFixed(2)} ms p99 ${s.p99.toFixed(2)} ms` : '';
    const cpu = r.cpu
      ? ` | CPU/answer ${r.cpu.app.toFixed(0)} µs${r.cpu.ref ? ` vs ${r.cpu.ref.toFixed(0)} µs = ${r.cpu.ratio?.toFixed(2)}×` : ''}`
      : '';
    log(
      `${name}: ${fmt(r.app)} | reference ${fmt(r.ref)}${r.ratio ? ` | req/s ratio ${r.ratio.toFixed(2)}` : ''}${cpu}`,
    );
    return {
      ...r,
      connections,
      paths: appPaths.length,
      example: appPaths[0] as string,
      refExample: refPaths?.[0] ?? null,
    };
  };

  const areasPath = '/api/areas?level=quarter';
  const valuesPath = `/api/indicators/${indicator}/values?level=quarter`;
  await server.mirror('areas', areasPath, BROWSER_HEADERS);
  await server.mirror('values', valuesPath, BROWSER_HEADERS);
  const areas = await measure('areas', [areasPath], ['/bytes/areas'], plan.connections);
  areas.same = await compareAnswers(appUrl + areasPath, `${refUrl}/bytes/areas`);
  // Issue 17: every quarter with its values and whole geometry as OGC API – Features, against the areas route
  // (simplified geometry, no values) of the same app, alternately.
  const ogcPath = '/ogc/collections/quarters/items';
  const ogcQuarters = await measure(
    'ogc quarters',
    [ogcPath],
    null,
    plan.connections,
    http(appUrl, [areasPath], plan.connections),
  );
  ogcQuarters.refExample = areasPath;
  const [ogcBody, areasBody] = await Promise.all([
    rawGet(appUrl + ogcPath, BROWSER_HEADERS),
    rawGet(appUrl + areasPath, BROWSER_HEADERS),
  ]);
  ogcQuarters.bytes = { app: ogcBody.body.length, ref: areasBody.body.length };
  const values = await measure('indicator values', [valuesPath], ['/bytes/values'], plan.connections);
  values.same = await compareAnswers(appUrl + valuesPath, `${refUrl}/bytes/values`);

  const near = nearestQueries(workload);
  const nearest = await measure(
    'nearest',
    near.map((q) => q.path),
    null,
    10,
    (amount, maxSeconds) =>
      server.sql(
        NEAREST_SQL,
        near.map((q) => q.params),
        10,
        amount,
        maxSeconds,
      ),
  );
  nearest.refExample = 'server/db/queries/offers-nearest.sql through the server’s own pool (10 at once)';

  const terms = searchTerms(workload);
  const search = await measure(
    'search',
    terms.map((t) => `/api/search?q=${encodeURIComponent(t)}`),
    null,
    10,
  );

  const tiles =
    withTiles && workload.tiles.length
      ? await measure(
          'basemap tiles',
          workload.tiles.map((t) => `/tiles/basemap/${t}.pbf`),
          workload.tiles.map((t) => `/static/${t}.pbf`),
          plan.connections,
        )
      : null;

  const [lon, lat] = workload.points[0] ?? [0, 0];
  const plans = {
    nearest: await server.explain(NEAREST_SQL, [lon, lat, null, 10, 5000, null, TODAY, null, null, false, false]),
    search: await server.explain(ADDRESS_SQL, ['hohestr', 10]),
  };
  return { indicator, areas, ogcQuarters, values, nearest, search, tiles, plans };
}
