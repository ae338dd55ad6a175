/**
 * `npm run bench`: the server on real PostGIS (a throw-away cluster of its own, the real data package imported)
 * and on the embedded engine (PGlite), loaded with autocannon on loopback, each endpoint side by side with a
 * reference measured in the same run; payload budgets; the planner page in headless Chromium against a bare
 * MapLibre page. Writes BENCHMARKS.md (see scripts/bench/report.ts). Options: scripts/bench/options.ts.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { closeBrowser, ensureWebBuild, WEB_DIST_DIR } from '../tests/support/browser.ts';
import { benchApi, chooseIndicator } from './bench/api-bench.ts';
import { type BenchCluster, dropDatabase, startCluster } from './bench/cluster.ts';
import { benchPageBytes } from './bench/first-load.ts';
import { benchFrontend } from './bench/frontend.ts';
import { BENCH_DATABASE, benchImportPostgres } from './bench/import-bench.ts';
import { benchLisa } from './bench/lisa-bench.ts';
import { gitTree, machine } from './bench/machine.ts';
import { parseOptions } from './bench/options.ts';
import { bodySizes, revalidates, scriptSizes, valuesCore } from './bench/payload.ts';
import { type BenchResults, type EngineResults, renderReport } from './bench/report.ts';
import { type ServerProcess, startServerProcess } from './bench/server-process.ts';
import { benchWalk } from './bench/walk-bench.ts';

const options = parseOptions(process.argv.slice(2));
const root = resolve(import.meta.dirname, '..');
/** BENCHMARKS.md of the repository is written only from a committed tree, and names its commit. */
const writesReport = resolve(options.out) === join(root, 'BENCHMARKS.md');
const tree = gitTree(root);
function refuseDirty(when: string, state: ReturnType<typeof gitTree>): boolean {
  if (!writesReport || state.changes.length === 0) return false;
  console.error(
    `bench: ${when}, the working tree has uncommitted changes; BENCHMARKS.md is written only from a committed tree ` +
      `(commit them, or write elsewhere with --out):\n${state.changes.slice(0, 20).join('\n')}`,
  );
  return true;
}
if (refuseDirty('before the run', tree)) process.exit(2);
if (options.render) {
  // The figures of an earlier run, with the report's text as the code has it now.
  const saved = JSON.parse(readFileSync(resolve(options.render), 'utf8')) as BenchResults;
  writeFileSync(resolve(options.out), renderReport({ ...saved, renderedAt: new Date().toISOString() }));
  console.log(`bench: wrote ${options.out} from ${options.render}`);
  process.exit(0);
}
const started = performance.now();
const log = (line: string) =>
  console.log(`bench [${((performance.now() - started) / 1000).toFixed(0).padStart(3)} s] ${line}`);

const results: BenchResults = {
  command: options.command,
  date: new Date().toISOString(),
  commit: tree.commit,
  options,
  machine: machine(),
  engines: [],
  importPostgres: null,
  payload: null,
  frontend: options.frontendRuns > 0 ? { failed: 'not run' } : { skipped: 'run with --frontend-runs 0' },
  pageBytes: options.frontendRuns > 0 ? { failed: 'not run' } : { skipped: 'run with --frontend-runs 0' },
  seconds: 0,
};

let cluster: BenchCluster | null = null;
const servers = new Set<ServerProcess>();
const scratch = mkdtempSync(join(tmpdir(), 'atlas-bench-'));

async function cleanUp() {
  for (const s of servers) await s.stop().catch(() => {});
  await closeBrowser().catch(() => {});
  // On a cluster of its own everything goes with it; on one passed in, the bench database is dropped.
  if (options.databaseUrl) await dropDatabase(options.databaseUrl, BENCH_DATABASE).catch(() => {});
  await cluster?.stop();
  rmSync(scratch, { recursive: true, force: true });
}
for (const signal of ['SIGINT', 'SIGTERM'] as const)
  process.once(signal, async () => {
    log(`${signal}: cleaning up`);
    await cleanUp();
    process.exit(130);
  });

async function serve(engine: 'postgres' | 'pglite', databaseUrl?: string): Promise<ServerProcess> {
  const server = await startServerProcess({
    engine,
    databaseUrl,
    dataDir: engine === 'pglite' ? join(scratch, 'pglite') : undefined,
    geodataDir: options.geodataDir,
    importPackage: engine === 'pglite',
  });
  servers.add(server);
  return server;
}

async function measureEngine(server: ServerProcess, engine: 'postgres' | 'pglite', withExtras: boolean) {
  const workload = await server.workload();
  const catalogue = await (await fetch(`${server.ready.appUrl}/api/indicators`)).json();
  const indicator = options.indicator ?? chooseIndicator(catalogue);
  log(`${engine}: ${workload.engineVersion}; indicator ${indicator}; ${workload.tiles.length} tiles`);
  const api = await benchApi(server, workload, options.plan, indicator, (l) => log(`${engine} ${l}`), withExtras);
  const lisa = await benchLisa(server.ready.appUrl, indicator, options.smoke ? 3 : 15, (l) =>
    log(`${engine} ${l}`),
  ).catch((err: Error) => ({ failed: err.message.split('\n')[0] ?? 'failed' }));
  const walk = await benchWalk(server.ready.appUrl, workload.points, options.smoke ? 5 : 30, (l) =>
    log(`${engine} ${l}`),
  ).catch((err: Error) => ({ failed: err.message.split('\n')[0] ?? 'failed' }));
  const result: EngineResults = {
    engine,
    version: workload.engineVersion,
    openMs: server.ready.openMs,
    importMs: server.ready.importMs ?? null,
    api,
    lisa,
    walk,
  };
  results.engines.push(result);
  if (withExtras) {
    const origin = server.ready.appUrl;
    results.payload = {
      areas: await bodySizes(origin, api.areas.example),
      values: await bodySizes(origin, api.values.example),
      // The lean form the planner's map asks for, where the server has it.
      valuesMap: await bodySizes(origin, `${api.values.example}&fields=map`).catch(() => null),
      valuesCore: await valuesCore(origin, api.values.example).catch(() => null),
      revalidation: {
        areas: await revalidates(origin, api.areas.example),
        values: await revalidates(origin, api.values.example),
      },
      scripts: await scriptSizes(WEB_DIST_DIR, origin),
    };
    if (options.frontendRuns > 0) {
      log(`front end: ${options.frontendRuns} runs of the planner and of the bare MapLibre page, alternately`);
      try {
        results.frontend = await benchFrontend(server, options.frontendRuns);
        log(
          `front end: planner ${results.frontend.appMedian.toFixed(0)} ms, reference ${results.frontend.referenceMedian.toFixed(0)} ms`,
        );
      } catch (err) {
        results.frontend = { failed: (err as Error).message.split('\n')[0] ?? 'failed' };
        log(`front end failed: ${results.frontend.failed}`);
      }
      log('bytes until usable: the finder, the planner and the council overview, each once with an empty cache');
      try {
        const pages = await benchPageBytes(server);
        results.pageBytes = pages;
        for (const p of pages)
          log(
            `bytes until usable, ${p.page}: ${'failed' in p ? `failed: ${p.failed}` : `${(p.budgetGzipBytes / 1000).toFixed(1)} KB gzip of script, style and font, ${(p.totalBytes / 1000).toFixed(1)} KB in all`}`,
          );
      } catch (err) {
        results.pageBytes = { failed: (err as Error).message.split('\n')[0] ?? 'failed' };
        log(`bytes until usable failed: ${results.pageBytes.failed}`);
      }
    }
  }
}

try {
  log(
    `${options.engines.join(' and ')}; data package ${options.geodataDir}; load ${loadavg()
      .map((l) => l.toFixed(1))
      .join(' ')}`,
  );
  // The payload budgets read dist/web, and the front-end timing serves it.
  log('web app: building when dist/web is older than its sources');
  await ensureWebBuild();
  let extrasDone = false;
  if (options.engines.includes('postgres')) {
    let adminUrl = options.databaseUrl;
    if (!adminUrl) {
      log('PostgreSQL: starting a throw-away cluster (scripts/pg-cluster.sh)');
      cluster = await startCluster();
      adminUrl = cluster.url;
    }
    log('PostgreSQL: import, then psql \\copy of the same rows and the index builds');
    const imported = await benchImportPostgres(adminUrl, options.geodataDir);
    results.importPostgres = imported;
    log(
      `PostgreSQL: import ${(imported.importMs / 1000).toFixed(1)} s, \\copy + indexes ${(imported.copy.totalMs / 1000).toFixed(1)} s`,
    );
    const server = await serve('postgres', imported.databaseUrl);
    await measureEngine(server, 'postgres', true);
    extrasDone = true;
    await server.stop();
    servers.delete(server);
  }
  if (options.engines.includes('pglite')) {
    log('PGlite: new data folder, import, serve');
    const server = await serve('pglite');
    log(
      `PGlite: opened in ${(server.ready.openMs / 1000).toFixed(1)} s, import ${((server.ready.importMs ?? 0) / 1000).toFixed(1)} s`,
    );
    await measureEngine(server, 'pglite', !extrasDone);
    await server.stop();
    servers.delete(server);
  }
} catch (err) {
  console.error(err);
  process.exitCode = 1;
} finally {
  results.machine.loadEnd = loadavg();
  results.seconds = (performance.now() - started) / 1000;
  await cleanUp();
}

if (!process.exitCode) {
  if (options.json) writeFileSync(resolve(options.json), JSON.stringify(results, null, 2));
  // The tree must still be the one measured: the same commit, nothing changed meanwhile.
  const after = gitTree(root);
  if (refuseDirty('after the run', after)) process.exitCode = 2;
  else if (writesReport && after.commit !== tree.commit) {
    console.error(
      `bench: the commit changed during the run (${tree.commit} → ${after.commit}); BENCHMARKS.md not written`,
    );
    process.exitCode = 2;
  } else {
    const out = resolve(options.out);
    writeFileSync(out, renderReport(results));
    log(`wrote ${out} (${results.seconds.toFixed(0)} s in all)`);
  }
}
