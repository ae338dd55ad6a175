import { relative } from 'node:path';
import type { ApiResults, CpuFigure, Measured } from './api-bench.ts';
import type { PageBytesResult } from './first-load.ts';
import type { FrontendResult } from './frontend.ts';
import type { ImportBench } from './import-bench.ts';
import type { LisaBench } from './lisa-bench.ts';
import type { Machine } from './machine.ts';
import {
  FAST_PATHS,
  measuredCpu,
  measuredImport,
  measuredNearest,
  measuredParity,
  measuredSearch,
  measuredTiles,
  TRIED,
} from './notes.ts';
import type { BenchOptions } from './options.ts';
import type { BodySizes, ScriptSizes } from './payload.ts';
import type { LoadStats } from './stats.ts';
import type { WalkBench } from './walk-bench.ts';

/** Everything one `npm run bench` measured, and BENCHMARKS.md made from it. */

export interface EngineResults {
  engine: 'postgres' | 'pglite';
  version: string;
  /** Opening the database (PGlite: a new data folder, the engine's first start). */
  openMs: number;
  /** PGlite: the import into the new folder. */
  importMs: number | null;
  api: ApiResults;
  /** Hot spots: a LISA answer with 999 permutations built, against the same without them (issue 18). */
  lisa?: LisaBench | { failed: string } | null;
  /** Walking on the network (issue 16): isochrone, nearest with walks against the straight line, build, memory. */
  walk?: WalkBench | { failed: string } | null;
}

export interface BenchResults {
  command: string;
  date: string;
  /** The commit the run measured (`git rev-parse HEAD`), from a tree without uncommitted changes when it wrote BENCHMARKS.md. */
  commit?: string | null;
  options: BenchOptions;
  machine: Machine;
  engines: EngineResults[];
  importPostgres: ImportBench | null;
  payload: {
    areas: BodySizes;
    values: BodySizes;
    /** The lean form the map asks for (`fields=map`), when the server has it. */
    valuesMap?: BodySizes | null;
    /** Brotli 11 of the values answer cut down to code, value and class per area plus the classification. */
    valuesCore: number | null;
    revalidation: { areas: boolean; values: boolean };
    scripts: ScriptSizes;
  } | null;
  frontend: FrontendResult | { skipped: string } | { failed: string };
  /** Bytes until each page is usable. */
  pageBytes?: PageBytesResult[] | { skipped: string } | { failed: string } | null;
  seconds: number;
  /** Set when the report was written again from saved results (`--render`): the figures are the run's. */
  renderedAt?: string;
}

/** One line of the results table. */
export interface Row {
  id: string;
  figure: string;
  engine: string;
  measured: string;
  reference: string;
  ratio: string;
  goal: string;
  /** true: met; false: missed; null: no goal or not measured. */
  met: boolean | null;
  verdict: string;
  /** Why it misses, in figures of this run (shown under Misses when it does). */
  explain?: string[];
  /** What was changed or tried before, still true of the code (notes.ts TRIED). */
  tried?: string;
}

/** 1 KB = 1,000 bytes throughout. */
const kb = (bytes: number) => `${(bytes / 1000).toFixed(1)} KB`;
const ms = (x: number) => (x >= 100 ? `${x.toFixed(0)} ms` : `${x.toFixed(x >= 10 ? 1 : 2)} ms`);
const sec = (x: number) => `${(x / 1000).toFixed(1)} s`;
const int = (x: number) => Math.round(x).toLocaleString('en');
/** The secondary figures of a run: req/s and latency. */
const load = (s: LoadStats) => `${int(s.rps)} req/s · p50 ${ms(s.p50)} · p99 ${ms(s.p99)}`;

function atMost(value: number, goal: number, fmt: (x: number) => string): Pick<Row, 'met' | 'verdict'> {
  if (value <= goal) return { met: true, verdict: 'met' };
  return { met: false, verdict: `misses by ${fmt(value - goal)} (${((value / goal - 1) * 100).toFixed(0)} % over)` };
}

/** The indexes an EXPLAIN ANALYZE plan scans. */
function indexesOf(plan: string[]): string {
  return (
    [
      ...new Set(
        plan.flatMap((l) =>
          [...l.matchAll(/(Index(?: Only)? Scan(?: Backward)?) using (\w+)/g)].map((x) => `${x[1]} using ${x[2]}`),
        ),
      ),
    ].join('; ') || 'no index scan'
  );
}

/** CPU per answer of a route, app against reference: at most this many times. */
export const CPU_GOAL = 1.3;
/** PGlite's CPU per answer on a cached route against PostgreSQL's: within this share either way. */
export const PARITY_GOAL = 0.2;
/** The finder's script, style and font until usable, gzip (issue 14). */
export const FINDER_BUDGET_GZIP = 250_000;

const cpuText = (c: CpuFigure | null) => (c ? `${int(c.app)} µs CPU/answer` : 'CPU not measured');

export function rows(r: BenchResults): Row[] {
  const out: Row[] = [];
  for (const e of r.engines) {
    const a = e.api;
    const pair = (id: string, figure: string, m: Measured, refName: string) => {
      const c = m.cpu;
      const verdict =
        c?.ratio != null
          ? atMost(c.ratio, CPU_GOAL, (x) => `${x.toFixed(2)}×`)
          : { met: false, verdict: 'misses: no CPU figure of the reference' };
      out.push({
        id,
        figure,
        engine: e.engine,
        measured: `${cpuText(c)} · ${load(m.app)}`,
        reference: `${refName}: ${c?.ref != null ? `${int(c.ref)} µs CPU/answer` : '–'}${m.ref ? ` · ${load(m.ref)}` : ''}`,
        ratio: `CPU ${c?.ratio != null ? c.ratio.toFixed(2) : '–'}× (req/s ${(m.ratio ?? 0).toFixed(2)}×)`,
        goal: `CPU/answer ≤ ${CPU_GOAL}× the reference`,
        ...verdict,
        explain: measuredCpu(m, CPU_GOAL, 'the reference'),
        tried: TRIED[id],
      });
    };
    pair('areas', `Areas \`${a.areas.example}\``, a.areas, 'bare Hono, same bytes and headers');
    // Issue 17: the OGC answer carries the whole geometry to the millimetre and every indicator's value, many times
    // the bytes of the simplified areas: CPU is compared per kilobyte sent, both served from memory.
    const o = a.ogcQuarters;
    if (o?.cpu?.ref != null && o.bytes) {
      const perKb = (us: number, bytes: number) => us / (bytes / 1000);
      const app = perKb(o.cpu.app, o.bytes.app);
      const ref = perKb(o.cpu.ref, o.bytes.ref);
      out.push({
        id: 'ogc-quarters',
        figure: `OGC API – Features \`${o.example}\` (whole geometry and every indicator's value)`,
        engine: e.engine,
        measured: `${int(o.cpu.app)} µs CPU/answer of ${kb(o.bytes.app)} brotli = ${app.toFixed(1)} µs/KB · ${load(o.app)}`,
        reference: `the areas route \`${o.refExample}\` of the same app: ${int(o.cpu.ref)} µs CPU/answer of ${kb(o.bytes.ref)} = ${ref.toFixed(1)} µs/KB${o.ref ? ` · ${load(o.ref)}` : ''}`,
        ratio: `CPU/KB ${(app / ref).toFixed(2)}× (CPU/answer ${(o.cpu.app / o.cpu.ref).toFixed(2)}×)`,
        goal: `CPU per KB sent ≤ ${CPU_GOAL}× the areas route's`,
        ...atMost(app / ref, CPU_GOAL, (x) => `${x.toFixed(2)}×`),
        explain: measuredCpu(o, CPU_GOAL, 'the areas route'),
      });
    }
    pair(
      'values',
      `Indicator values \`/api/indicators/${a.indicator}/values?level=quarter\``,
      a.values,
      'bare Hono, same bytes and headers',
    );
    const sqlP50 = a.nearest.ref?.p50 ?? 0;
    const limit = 1.5 * sqlP50 + 1;
    out.push({
      id: 'nearest',
      figure: 'Nearest offers `/api/offers/nearest` (k = 10, 200 points, straight line: walk=false)',
      engine: e.engine,
      measured: `${load(a.nearest.app)} · ${cpuText(a.nearest.cpu)}`,
      reference: `the same SQL through the app's pool: ${a.nearest.ref ? load(a.nearest.ref).replace('req/s', 'queries/s') : '–'}`,
      ratio: `p50 ${(a.nearest.app.p50 / Math.max(sqlP50, 1e-9)).toFixed(2)}×`,
      goal: `HTTP p50 ≤ 1.5 × SQL p50 + 1 ms = ${ms(limit)}`,
      ...atMost(a.nearest.app.p50, limit, ms),
      explain: measuredNearest(a.nearest, limit, indexesOf(a.plans.nearest)),
    });
    out.push({
      id: 'search',
      figure: `Search \`/api/search?q=…\` (${a.search.paths} typed prefixes)`,
      engine: e.engine,
      measured: `${load(a.search.app)} · ${cpuText(a.search.cpu)}`,
      reference: '–',
      ratio: '–',
      goal: 'p99 < 50 ms at 10 clients',
      ...(a.search.app.p99 < 50 ? { met: true, verdict: 'met' } : atMost(a.search.app.p99, 50, ms)),
      explain: measuredSearch(a.search),
    });
    if (e.lisa)
      out.push(
        'failed' in e.lisa
          ? {
              id: 'lisa',
              figure: 'Hot spots `/api/analysis/lisa` (999 permutations, quarters)',
              engine: e.engine,
              measured: `failed: ${e.lisa.failed}`,
              reference: '–',
              ratio: '–',
              goal: '– (measured, no goal)',
              met: null,
              verdict: 'not measured',
            }
          : {
              id: 'lisa',
              figure: `Hot spots \`/api/analysis/lisa\` (${e.lisa.permutations} permutations, ${e.lisa.areas} quarters, each answer built: a seed of its own)`,
              engine: e.engine,
              measured: `${ms(e.lisa.appMs)} per answer (lisa() alone ${ms(e.lisa.pureMs)}), median of ${e.lisa.runs}`,
              reference: `the same route without permutations: ${ms(e.lisa.refMs)}`,
              ratio: `${(e.lisa.appMs / Math.max(e.lisa.refMs, 1e-9)).toFixed(2)}×`,
              goal: '– (measured, no goal)',
              met: null,
              verdict: 'measured',
            },
      );
    if (e.walk && 'failed' in e.walk)
      out.push({
        id: 'walk',
        figure: 'Walking on the network (isochrones, nearest on foot)',
        engine: e.engine,
        measured: `failed: ${e.walk.failed}`,
        reference: '–',
        ratio: '–',
        goal: 'isochrone p50 ≤ 50 ms; nearest ≤ 2× straight line',
        met: false,
        verdict: 'not measured',
      });
    else if (e.walk) {
      const w = e.walk;
      const built = w.network.buildMs + (w.network.deriveMs ?? 0);
      out.push(
        {
          id: 'walk-isochrone',
          figure: `One 15-minute isochrone \`/api/isochrones\` (a different address each time, ${w.runs} runs)`,
          engine: e.engine,
          measured: `p50 ${ms(w.isochrone.p50)}, p90 ${ms(w.isochrone.p90)}`,
          reference: '–',
          ratio: '–',
          goal: 'p50 ≤ 50 ms',
          ...atMost(w.isochrone.p50, 50, ms),
        },
        {
          id: 'walk-nearest',
          figure: '`/api/offers/nearest` k = 10 with walk_m on the network',
          engine: e.engine,
          measured: `p50 ${ms(w.nearest.walkP50)}`,
          reference: `the straight line alone (walk=false): p50 ${ms(w.nearest.straightP50)}`,
          ratio: `${(w.nearest.walkP50 / Math.max(w.nearest.straightP50, 1e-9)).toFixed(2)}×`,
          goal: '≤ 2× the straight line',
          ...atMost(w.nearest.walkP50 / Math.max(w.nearest.straightP50, 1e-9), 2, (x) => `${x.toFixed(2)}×`),
        },
        {
          id: 'walk-build',
          figure: `Walking network at import: ${w.network.nodes} nodes, ${w.network.edges} edges, ${w.network.components} components; then all walking indicators`,
          engine: e.engine,
          measured: `${(built / 1000).toFixed(1)} s (tiles and graph ${(w.network.buildMs / 1000).toFixed(1)} s; storing, snapping and indicators ${((w.network.deriveMs ?? 0) / 1000).toFixed(1)} s)`,
          reference: '–',
          ratio: '–',
          goal: '≤ 60 s',
          ...atMost(built / 1000, 60, (x) => `${x.toFixed(1)} s`),
        },
        {
          id: 'walk-memory',
          figure: 'Walking network in the server’s memory (typed arrays and snapping index)',
          engine: e.engine,
          measured: `${(w.network.memoryBytes / 1e6).toFixed(1)} MB, read from the database in ${(w.network.loadMs / 1000).toFixed(1)} s on first use`,
          reference: '–',
          ratio: '–',
          goal: '– (stated)',
          met: null,
          verdict: 'measured',
        },
      );
    }
    if (a.tiles)
      out.push({
        id: 'tiles',
        figure: `Basemap tiles \`/tiles/basemap/{z}/{x}/{y}.pbf\` (${a.tiles.paths} tiles; no database: measured once)`,
        engine: e.engine,
        measured: `${load(a.tiles.app)} · ${cpuText(a.tiles.cpu)}`,
        reference: `serveStatic of the files: ${a.tiles.ref ? load(a.tiles.ref) : '–'}`,
        ratio: `CPU ${a.tiles.cpu?.ratio != null ? a.tiles.cpu.ratio.toFixed(2) : '–'}× (req/s ${(a.tiles.ratio ?? 0).toFixed(2)}×)`,
        goal: `CPU/answer ≤ ${CPU_GOAL}× the reference`,
        ...(a.tiles.cpu?.ratio != null
          ? atMost(a.tiles.cpu.ratio, CPU_GOAL, (x) => `${x.toFixed(2)}×`)
          : { met: false, verdict: 'misses: no CPU figure of the reference' }),
        explain: measuredTiles(a.tiles, CPU_GOAL),
        tried: TRIED.tiles,
      });
  }
  const pg = r.engines.find((e) => e.engine === 'postgres');
  const lite = r.engines.find((e) => e.engine === 'pglite');
  if (pg && lite)
    for (const [id, name] of [
      ['areas', 'Areas'],
      ['values', 'Indicator values'],
    ] as const) {
      const a = lite.api[id].cpu?.app;
      const b = pg.api[id].cpu?.app;
      const ratio = a !== undefined && b !== undefined && b > 0 ? a / b : null;
      const within = ratio !== null && Math.abs(ratio - 1) <= PARITY_GOAL;
      out.push({
        id: `parity-${id}`,
        figure: `${name}, CPU per answer of PGlite against PostgreSQL (answers from memory)`,
        engine: 'pglite',
        measured: a !== undefined ? `${int(a)} µs CPU/answer` : '–',
        reference: `PostgreSQL, same route, same run: ${b !== undefined ? `${int(b)} µs CPU/answer` : '–'}`,
        ratio: ratio !== null ? `${ratio.toFixed(2)}×` : '–',
        goal: `within ${PARITY_GOAL * 100} % (${(1 - PARITY_GOAL).toFixed(1)}–${(1 + PARITY_GOAL).toFixed(1)}×)`,
        met: within,
        verdict: within
          ? 'met'
          : ratio === null
            ? 'misses: not measured on both engines'
            : `misses by ${(Math.abs(ratio - 1) - PARITY_GOAL).toFixed(2)}× (${((Math.abs(ratio - 1) - PARITY_GOAL) * 100).toFixed(0)} points beyond ${PARITY_GOAL * 100} %)`,
        explain: measuredParity(name, lite.api[id], pg.api[id], PARITY_GOAL),
      });
    }
  const imp = r.importPostgres;
  if (imp) {
    const ratio = imp.importMs / imp.copy.totalMs;
    out.push({
      id: 'import',
      figure: 'Import of the data package',
      engine: 'postgres',
      measured: sec(imp.importMs),
      reference: `psql \\copy of the same rows + index builds: ${sec(imp.copy.totalMs)}`,
      ratio: `${ratio.toFixed(2)}×`,
      goal: '≤ 2×',
      ...atMost(ratio, 2, (x) => `${x.toFixed(2)}×`),
      explain: measuredImport(imp.steps, imp.importMs, imp.copy.totalMs, 2),
      tried: TRIED.import,
    });
  }
  if (lite?.importMs != null)
    out.push({
      id: 'import-pglite',
      figure: 'Import of the data package',
      engine: 'pglite',
      measured: sec(lite.importMs),
      reference: `first start of a new data folder: ${sec(lite.openMs)} (not included)`,
      ratio: imp ? `${(lite.importMs / imp.importMs).toFixed(2)}× the PostgreSQL import` : '–',
      goal: 'reported',
      met: null,
      verdict: 'reported',
    });
  const p = r.payload;
  if (p) {
    out.push({
      id: 'payload-areas',
      figure: 'Quarters GeoJSON, brotli',
      engine: 'any',
      measured: `${kb(p.areas.wire)} (${p.areas.encoding})`,
      reference: `JSON ${kb(p.areas.identity)}, gzip ${kb(p.areas.gzip)}`,
      ratio: '–',
      goal: '≤ 40 KB',
      ...atMost(p.areas.wire, 40_000, kb),
      explain: [
        `${kb(p.areas.wire)} as sent (${p.areas.encoding}) against 40 KB; brotli 11 of the JSON ${kb(p.areas.brotli11)}.`,
      ],
    });
    const map = p.valuesMap ?? null;
    const shown = map ?? p.values;
    out.push({
      id: 'payload-values',
      figure: map
        ? 'Indicator values for the map (`fields=map`), as sent to a browser'
        : 'Indicator values, as sent to a browser',
      engine: 'any',
      measured: `${kb(shown.wire)} (${shown.encoding})`,
      reference: `${map ? `the full form: ${kb(p.values.wire)} as sent; ` : ''}JSON ${kb(shown.identity)}, gzip ${kb(shown.gzip)}, brotli 11 ${kb(shown.brotli11)}${!map && p.valuesCore ? `; code, value and class per area + classification only, brotli 11: ${kb(p.valuesCore)}` : ''}`,
      ratio: '–',
      goal: '≤ 2 KB',
      ...atMost(shown.wire, 2_000, kb),
      explain: [
        `${kb(shown.wire)} as sent (${shown.encoding}) against 2 KB; brotli 11 of the same JSON ${kb(shown.brotli11)}` +
          `${!map && p.valuesCore ? `; cut down to code, value and class per area and the classification, ${kb(p.valuesCore)}` : ''}.`,
      ],
    });
    const js = p.scripts;
    const lazy = js.map !== null && !js.map.eager;
    const jsVerdict = atMost(js.initialGzip, 250_000, kb);
    out.push({
      id: 'payload-js',
      figure: 'Initial JavaScript (gzip as served), map code in a lazy chunk',
      engine: 'any',
      measured: `${kb(js.initialGzip)} in ${js.initial.length} file(s)`,
      reference: js.map
        ? `map chunk ${kb(js.map.gzip)} gzip, ${js.map.eager ? 'loaded eagerly' : 'lazy'}`
        : 'no map chunk found',
      ratio: '–',
      goal: '≤ 250 KB, map chunk lazy',
      met: jsVerdict.met === true && lazy,
      verdict: !lazy ? 'misses: the map code is in the initial JavaScript' : jsVerdict.verdict,
      explain: [
        `${kb(js.initialGzip)} gzip in ${js.initial.length} file(s) that index.html loads at once; the largest: ` +
          `${[...js.initial]
            .sort((x, y) => y.gzip - x.gzip)
            .slice(0, 3)
            .map((f) => `${f.file} ${kb(f.gzip)}`)
            .join(', ')}` +
          `${js.map ? `; the map chunk ${js.map.file} (${kb(js.map.gzip)}) is ${js.map.eager ? 'among them' : 'not'}` : ''}.`,
      ],
    });
  }
  const f = r.frontend;
  if ('app' in f) {
    const ratio = f.appMedian / f.referenceMedian;
    out.push({
      id: 'frontend',
      figure: 'Navigation to choropleth painted (Chromium, cold cache, median)',
      engine: r.engines[0]?.engine ?? '–',
      measured: `planner ${ms(f.appMedian)}`,
      reference: `bare MapLibre page, same basemap and polygons: ${ms(f.referenceMedian)}`,
      ratio: `${ratio.toFixed(2)}×`,
      goal: '≤ 1.5×',
      ...atMost(ratio, 1.5, (x) => `${x.toFixed(2)}×`),
      explain: [
        `Median of ${f.app.length} cold runs each: the planner ${ms(f.appMedian)} (${f.app.map(ms).join(', ')}), the ` +
          `bare page ${ms(f.referenceMedian)} (${f.reference.map(ms).join(', ')}); the goal allows ${ms(1.5 * f.referenceMedian)}.`,
      ],
    });
    out.push({
      id: 'frontend-idle',
      figure: 'Navigation to the planner map’s first idle (runs of its own, median)',
      engine: r.engines[0]?.engine ?? '–',
      measured: `planner ${ms(f.idleMedian)}`,
      reference: '–',
      ratio: '–',
      goal: 'reported',
      met: null,
      verdict: 'reported',
    });
  } else {
    out.push({
      id: 'frontend',
      figure: 'Navigation to choropleth painted (Chromium)',
      engine: '–',
      measured: 'skipped' in f ? `skipped (${f.skipped})` : `failed: ${f.failed}`,
      reference: '–',
      ratio: '–',
      goal: '≤ 1.5×',
      met: 'skipped' in f ? null : false,
      verdict: 'skipped' in f ? 'skipped' : 'misses: the run failed',
      explain: 'failed' in f ? [`The front-end run failed, so nothing was measured: ${f.failed}`] : undefined,
    });
  }
  const pb = r.pageBytes;
  if (Array.isArray(pb))
    for (const page of pb) {
      const finder = page.page === 'finder';
      const base = {
        id: `page-${page.page}`,
        figure: `Bytes until the ${page.page} is usable (Chromium, empty cache)`,
        engine: r.engines[0]?.engine ?? '–',
        reference: '–',
        ratio: '–',
        goal: finder ? `script, style and font ≤ ${kb(FINDER_BUDGET_GZIP)} gzip` : 'reported',
      };
      if ('failed' in page) {
        out.push({
          ...base,
          measured: `failed: ${page.failed}`,
          met: false,
          verdict: 'misses: the run failed',
          explain: [`The page did not become usable, so nothing was counted: ${page.failed}`],
        });
        continue;
      }
      out.push({
        ...base,
        measured: `script, style and font ${kb(page.budgetGzipBytes)} gzip (${kb(page.budgetBytes)} brotli); everything ${kb(page.totalBytes)} in ${page.requests.length} requests`,
        ...(finder ? atMost(page.budgetGzipBytes, FINDER_BUDGET_GZIP, kb) : { met: null, verdict: 'reported' }),
        explain: [
          `Until ${page.usable} at ${page.viewport.width} × ${page.viewport.height}: ${Object.entries(page.byType)
            .sort((x, y) => y[1] - x[1])
            .map(([type, n]) => `${type} ${kb(n)}`)
            .join(', ')} as received; ${page.unfinished} request(s) still open, not counted` +
            `${page.blocked.length ? `; blocked while measuring: ${page.blocked.join(', ')}` : ''}.`,
        ],
      });
    }
  else if (pb && 'failed' in pb)
    out.push({
      id: 'page-bytes',
      figure: 'Bytes until each page is usable (Chromium, empty cache)',
      engine: '–',
      measured: `failed: ${pb.failed}`,
      reference: '–',
      ratio: '–',
      goal: `finder ≤ ${kb(FINDER_BUDGET_GZIP)} gzip`,
      met: false,
      verdict: 'misses: the run failed',
      explain: [`The browser run failed, so nothing was counted: ${pb.failed}`],
    });
  return out;
}

const cell = (s: string) => s.replace(/\|/g, '\\|').replace(/\n/g, ' ');

function table(head: string[], body: string[][]): string {
  return [
    `| ${head.join(' | ')} |`,
    `| ${head.map(() => '---').join(' | ')} |`,
    ...body.map((r) => `| ${r.map(cell).join(' | ')} |`),
  ].join('\n');
}

function autocannonLine(origin: string, m: Measured, plan: BenchOptions['plan'], path: string) {
  return `autocannon -c ${m.connections} -a ${plan.amount} -d ${plan.maxSeconds} -H 'accept-encoding: br, gzip, deflate' '${origin}${path}'`;
}

export function renderReport(r: BenchResults): string {
  const all = rows(r);
  const m = r.machine;
  const plan = r.options.plan;
  const pg = r.engines.find((e) => e.engine === 'postgres');
  const lite = r.engines.find((e) => e.engine === 'pglite');
  const missed = all.filter((row) => row.met === false);
  const lines: string[] = [];
  lines.push('# Benchmarks', '');
  lines.push(
    `Made by one run of \`${r.command}\` on ${r.date.slice(0, 16).replace('T', ' ')} UTC (${Math.round(r.seconds)} s in all)` +
      `${r.options.smoke ? ' — **a smoke run: reduced load, figures not meaningful**' : ''}` +
      `${r.renderedAt ? ` (its text written again on ${r.renderedAt.slice(0, 16).replace('T', ' ')} UTC from the results it saved, with \`--render\`)` : ''}. ` +
      'Every figure below comes from this run. The machine is shared and noisy: absolute figures drift from run to run, so ' +
      'each endpoint is measured side by side with its reference, alternately, and judged by CPU time per answer, ' +
      'app against reference over the same runs (req/s and latency are secondary figures). ' +
      'Do not edit this file by hand: change scripts/bench/ and run the bench again.',
    '',
  );
  lines.push(
    table(
      ['machine', ''],
      [
        ['CPU', `${m.cpu}, ${m.cores} cores, ${m.memoryGb} GB memory`],
        [
          'load average (1, 5, 15 min)',
          `at the start ${m.loadStart.map((l) => l.toFixed(1)).join(', ')}; at the end ${m.loadEnd.map((l) => l.toFixed(1)).join(', ')}`,
        ],
        ['Node', m.node],
        ['PostgreSQL', pg ? pg.version : (m.postgresBinary ?? '–')],
        ['embedded', lite ? `PGlite: ${lite.version}` : '–'],
        ['code', `commit ${r.commit ?? '(not recorded)'} (git describe: ${m.git})`],
        ['data package', relative(process.cwd(), r.options.geodataDir)],
      ],
    ),
    '',
  );
  lines.push('## Results', '');
  lines.push(
    missed.length
      ? `${all.filter((row) => row.met === true).length} goals met, ${missed.length} missed: ${missed.map((row) => `${row.id} (${row.engine})`).join(', ')}. Why, and what was tried, under [Misses](#misses).`
      : 'Every goal is met.',
    '',
  );
  lines.push(
    table(
      ['figure', 'engine', 'measured', 'reference (same run)', 'ratio', 'goal', 'verdict'],
      all.map((row) => [
        row.figure,
        row.engine,
        row.measured,
        row.reference,
        row.ratio,
        row.goal,
        row.met === true ? `✅ ${row.verdict}` : row.met === false ? `❌ ${row.verdict}` : row.verdict,
      ]),
    ),
    '',
  );
  lines.push(
    `Load per run: at most ${int(plan.amount)} requests or ${plan.maxSeconds} s, whichever comes first; ${plan.rounds} run(s) of the ` +
      'endpoint and of its reference, alternately, after a warm-up of each; the table shows the run with the median req/s. ' +
      "Latencies are per answer at full precision (not autocannon's whole-ms histogram); only answers with status 200 count. " +
      'CPU/answer, the primary figure, is the user + system time of the server process during a run divided by its ' +
      'answers, the median over the runs; it depends far less on what else the machine does than req/s. ' +
      'Requests send `Accept-Encoding: br, gzip, deflate` as browsers do.',
    '',
  );

  if (missed.length) {
    lines.push('## Misses', '');
    lines.push(
      'Each explanation below is built from the figures of this run; a line starting with “Tried” says what was ' +
        'changed before (scripts/bench/notes.ts), apart from the figures.',
      '',
    );
    for (const row of missed) {
      lines.push(`**${row.figure} (${row.engine}): ${row.verdict}.**`, '');
      lines.push((row.explain ?? [`Measured: ${row.measured}; reference: ${row.reference}.`]).join(' '), '');
      if (row.tried) lines.push(`Tried: ${row.tried}`, '');
    }
  }

  lines.push('## How each figure was measured', '');
  lines.push(
    `Everything: \`${r.command}\` (scripts/bench.ts). The server runs in a process of its own (scripts/bench/server-child.ts), ` +
      'started as `npm start` starts it (`startServer`, the same middleware, a pg pool of 8 or PGlite), with the references on a ' +
      'second port of the same process; autocannon runs in the parent process, on loopback. Each figure is the equivalent of:',
    '',
  );
  const cmds: string[][] = [];
  for (const e of r.engines) {
    const a = e.api;
    const o = 'http://127.0.0.1:PORT';
    cmds.push([
      `areas (${e.engine})`,
      `${autocannonLine(o, a.areas, plan, a.areas.example)}; reference the same against a bare \`new Hono().get(path, () => new Response(bytes, { status: 200, headers }))\` (the cheapest answer in Hono: no Headers object is built) holding the bytes and every header the app sent (compared after the run)`,
    ]);
    if (a.ogcQuarters)
      cmds.push([
        `ogc quarters (${e.engine})`,
        `${autocannonLine(o, a.ogcQuarters, plan, a.ogcQuarters.example)}; reference the same against \`${a.ogcQuarters.refExample}\` of the same app, alternately`,
      ]);
    cmds.push([
      `indicator values (${e.engine})`,
      `${autocannonLine(o, a.values, plan, a.values.example)}; reference as for areas`,
    ]);
    cmds.push([
      `nearest (${e.engine})`,
      `${autocannonLine(o, a.nearest, plan, a.nearest.example)} — the point changes per request over ${a.nearest.paths} addresses; reference: server/db/queries/offers-nearest.sql with the same parameters through the server's own database handle, 10 at once, as many queries`,
    ]);
    cmds.push([
      `search (${e.engine})`,
      `${autocannonLine(o, a.search, plan, a.search.example)} — q changes per request over ${a.search.paths} prefixes of streets (with and without house number), offers and areas`,
    ]);
    if (e.lisa && !('failed' in e.lisa))
      cmds.push([
        `lisa (${e.engine})`,
        `${e.lisa.runs} sequential GETs of \`${e.lisa.example}\` with seeds of their own (so each answer is built, not sent from memory), alternating with \`${e.lisa.refExample}\` (the reference: the same values, weights and body without the permutation tests), after a first answer that reads the values and the neighbours; wall time per answer, median; beside it \`lisa()\` of server/domain/lisa.ts alone on the same values and neighbours in the bench process`,
      ]);
    if (e.walk && !('failed' in e.walk))
      cmds.push([
        `walk (${e.engine})`,
        `${e.walk.runs} sequential GETs of \`${e.walk.isochrone.example}\` at addresses all over the city (a different one each time), and of \`${e.walk.nearest.example}\` alternating with the reference \`${e.walk.nearest.refExample}\` (the same route and points, the straight line alone), after a first answer that reads the network into memory; wall time per answer, p50; build times and memory from \`/api/walk/network\` (walk_graph, written by the import)`,
      ]);
    if (a.tiles)
      cmds.push([
        `tiles (${e.engine})`,
        `${autocannonLine(o, a.tiles, plan, a.tiles.example)} — over all ${a.tiles.paths} tiles of the package; reference: \`serveStatic\` of @hono/node-server on the basemap folder, same tiles`,
      ]);
  }
  if (r.importPostgres)
    cmds.push([
      'import (postgres)',
      '`runImport(db, { force: true })` (as `npm run import -- --force`) into a new database; reference: `pg_dump --schema=atlas --section=pre-data` applied, `psql -c "\\copy atlas.<table> FROM <csv> CSV"` for every table (the rows the import left, dumped with `\\copy … TO`), `pg_dump --section=post-data` (indexes, keys) applied, each timed around psql',
    ]);
  if (lite)
    cmds.push([
      'import (pglite)',
      '`runImport(db, { force: true })` into a new PGlite data folder, in the server process before it serves',
    ]);
  if (r.payload)
    cmds.push([
      'payload',
      "`GET` with `Accept-Encoding: br, gzip, deflate` and with `identity`, bytes counted as they came; JavaScript: index.html's module scripts and modulepreloads and every module they import statically (dynamic `import()` starts a lazy chunk), each `GET` with `Accept-Encoding: gzip` from the app",
    ]);
  cmds.push([
    'front end',
    "scripts/bench/frontend.ts: headless Chromium (Debian), 1280×800, a new browser context (empty cache) per run, a warm-up run of each page, then the planner (`/`) and the bare MapLibre page (scripts/bench/reference-page.ts) alternately; the time is the page's `performance.now()` when painted",
  ]);
  lines.push(table(['figure', 'command'], cmds), '');

  if (r.importPostgres) {
    const imp = r.importPostgres;
    lines.push('## Import, step by step (PostgreSQL)', '');
    lines.push(
      `Rows: ${Object.entries(imp.rows)
        .map(([t, n]) => `${t} ${int(n)}`)
        .join(', ')}. ` +
        `Reference: schema ${sec(imp.copy.schemaMs)}, \\copy ${sec(imp.copy.copyMs)}, indexes and keys ${sec(imp.copy.indexMs)}.`,
      '',
    );
    lines.push('```', ...imp.steps, '```', '');
  }

  lines.push('## Plans', '');
  lines.push(
    '`EXPLAIN ANALYZE` of the two queries per request, index use only (the API tests assert the same plans):',
    '',
  );
  for (const e of r.engines)
    lines.push(`- ${e.engine}: nearest — ${indexesOf(e.api.plans.nearest)}; search — ${indexesOf(e.api.plans.search)}`);
  lines.push('');

  if (r.payload) {
    const p = r.payload;
    lines.push('## Payload', '');
    lines.push(
      table(
        ['answer', 'as sent', 'JSON', 'gzip 9', 'brotli 11', '304 on If-None-Match'],
        [
          [
            'quarters GeoJSON',
            `${kb(p.areas.wire)} ${p.areas.encoding}`,
            kb(p.areas.identity),
            kb(p.areas.gzip),
            kb(p.areas.brotli11),
            p.revalidation.areas ? 'yes' : 'no',
          ],
          [
            'indicator values',
            `${kb(p.values.wire)} ${p.values.encoding}`,
            kb(p.values.identity),
            kb(p.values.gzip),
            kb(p.values.brotli11),
            p.revalidation.values ? 'yes' : 'no',
          ],
          ...(p.valuesMap
            ? [
                [
                  'indicator values for the map (`fields=map`)',
                  `${kb(p.valuesMap.wire)} ${p.valuesMap.encoding}`,
                  kb(p.valuesMap.identity),
                  kb(p.valuesMap.gzip),
                  kb(p.valuesMap.brotli11),
                  '–',
                ],
              ]
            : []),
        ],
      ),
      '',
    );
    lines.push(
      table(
        ['initial JavaScript', 'raw', 'gzip (served)'],
        [
          ...p.scripts.initial.map((f) => [f.file, kb(f.raw), kb(f.gzip)]),
          ...(p.scripts.map
            ? [
                [
                  `${p.scripts.map.file} (map chunk, ${p.scripts.map.eager ? 'eager' : 'lazy'})`,
                  kb(p.scripts.map.raw),
                  kb(p.scripts.map.gzip),
                ],
              ]
            : []),
        ],
      ),
      '',
    );
  }

  const f = r.frontend;
  if ('app' in f) {
    lines.push('## Front end', '');
    lines.push(
      `Planner: ${f.app.map((x) => ms(x)).join(', ')} (indicator ${f.indicator ?? '?'}). Its map's first idle (\`window.__mapReady\`), in ${f.idle.length} runs of its own: ${f.idle.map((x) => ms(x)).join(', ')}. ` +
        `Bare MapLibre: ${f.reference.map((x) => ms(x)).join(', ')} (${f.referenceFeatures} quarters in its source). ` +
        `The planner's moment: ${f.how}.` +
        (f.how.startsWith('probe')
          ? ' The planner sets no flag of its own when its choropleth is painted; once it sets ' +
            '`window.__choroplethPainted` (true, or its performance.now()), the bench takes that instead.'
          : ''),
      '',
    );
  }
  const pb = r.pageBytes;
  if (Array.isArray(pb)) {
    lines.push('## Bytes until usable', '');
    lines.push(
      'Each page once in a fresh Chromium context (empty cache), counted with scripts/bench/page-bytes.ts: the ' +
        'bodies of the requests finished by the moment the page is usable, as received; script, style and font in ' +
        'their brotli and gzip forms (gzip is the budget’s measure). Requests still open then are not counted.',
      '',
    );
    lines.push(
      table(
        [
          'page',
          'usable when',
          'viewport',
          'script, style, font (gzip)',
          'the same in brotli',
          'everything as received',
          'requests',
        ],
        pb.map((x) =>
          'failed' in x
            ? [x.page, '–', '–', `failed: ${x.failed}`, '–', '–', '–']
            : [
                `${x.page} \`${x.path}\``,
                x.usable,
                `${x.viewport.width} × ${x.viewport.height}`,
                kb(x.budgetGzipBytes),
                kb(x.budgetBytes),
                kb(x.totalBytes),
                `${x.requests.length} (${x.unfinished} still open)`,
              ],
        ),
      ),
      '',
    );
  }
  lines.push('## Fast paths', '', FAST_PATHS, '');
  return `${lines
    .join('\n')
    .replace(/\n{3,}/g, '\n\n')
    .trim()}\n`;
}
