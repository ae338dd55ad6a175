import { execFile, execFileSync } from 'node:child_process';
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { gitTree } from '../scripts/bench/machine.ts';
import { BUDGET_TYPES } from '../scripts/bench/page-bytes.ts';
import type { BenchResults } from '../scripts/bench/report.ts';
import { CPU_GOAL, FINDER_BUDGET_GZIP, rows } from '../scripts/bench/report.ts';

/**
 * A short run of `npm run bench` (scripts/bench.ts): one engine (PostgreSQL, on the test cluster), a hundred
 * requests per endpoint, the mini-city package (a few dozen rows) with the real package's basemap tiles, one
 * front-end run of each page. It checks that the report has every row and that the numbers are sane — never
 * how fast anything is: the full run is `npm run bench`, by hand.
 */
const root = resolve(import.meta.dirname, '..');
const run = promisify(execFile);

const ROWS = [
  'areas',
  'values',
  'nearest',
  'search',
  'ogc-quarters',
  'lisa',
  'tiles',
  'import',
  'payload-areas',
  'payload-values',
  'payload-js',
  'frontend',
  'frontend-idle',
  'page-finder',
  'page-planner',
  'page-council',
];
/** Rows that report a figure without a goal. */
const REPORTED = new Set(['frontend-idle', 'page-planner', 'page-council', 'lisa']);

/** 1 KB = 1,000 bytes, as the report writes it. */
const kb = (bytes: number) => `${(bytes / 1000).toFixed(1)} KB`;

describe('npm run bench, smoke run', () => {
  let dir: string;
  let report: string;
  let results: BenchResults;

  beforeAll(async () => {
    const adminUrl = process.env.TEST_DATABASE_URL;
    if (!adminUrl) throw new Error('TEST_DATABASE_URL is not set: run the tests with `npm test`');
    dir = mkdtempSync(join(tmpdir(), 'atlas-bench-smoke-'));
    // The mini city, with the basemap tiles of the real package beside it.
    const pkg = join(dir, 'package');
    mkdirSync(pkg);
    const mini = join(root, 'tests/fixtures/mini-city');
    for (const entry of readdirSync(mini)) symlinkSync(join(mini, entry), join(pkg, entry));
    const basemap = join(resolve(root, process.env.GEODATA_DIR ?? '../shared/geodata'), 'basemap');
    if (existsSync(basemap)) symlinkSync(basemap, join(pkg, 'basemap'));

    // Fewer requests than --smoke's own: a hundred per endpoint, at most a second each, is enough to see every row.
    const load = ['--amount', '100', '--seconds', '1', '--connections', '4'];
    const args = ['--smoke', ...load, '--engines', 'postgres', '--database-url', adminUrl, '--geodata', pkg];
    const out = ['--out', join(dir, 'BENCHMARKS.md'), '--json', join(dir, 'bench.json')];
    try {
      await run(process.execPath, ['--import', 'tsx', 'scripts/bench.ts', ...args, ...out], {
        cwd: root,
        timeout: 540_000,
        maxBuffer: 16 * 1024 * 1024,
      });
    } catch (err) {
      const e = err as { stdout?: string; stderr?: string; message: string };
      throw new Error(`the bench failed: ${e.message}\n${e.stdout ?? ''}\n${e.stderr ?? ''}`);
    }
    report = readFileSync(join(dir, 'BENCHMARKS.md'), 'utf8');
    results = JSON.parse(readFileSync(join(dir, 'bench.json'), 'utf8')) as BenchResults;
  }, 600_000);

  afterAll(() => {
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('has every row of the report, each with a verdict', () => {
    const made = rows(results);
    expect(made.map((r) => r.id).sort()).toEqual([...ROWS].sort());
    for (const row of made) {
      expect(report).toContain(`| ${row.figure.replace(/\|/g, '\\|')} |`);
      if (REPORTED.has(row.id)) expect(row.met, row.id).toBeNull();
      else expect(row.met, row.id).not.toBeNull();
      // A miss is explained by figures of the run.
      if (row.met === false) expect(row.explain?.join(' '), row.id).toMatch(/\d/);
    }
  });

  it('names the machine, the date, the load and the command', () => {
    expect(report).toMatch(/Made by one run of `npm run bench -- --smoke/);
    expect(report).toMatch(/\| CPU \| .+, \d+ cores/);
    expect(report).toMatch(/\| load average \(1, 5, 15 min\) \| at the start [\d.]+, [\d.]+, [\d.]+; at the end/);
    expect(report).toMatch(/\| Node \| v\d+/);
    expect(report).toMatch(/\| PostgreSQL \| PostgreSQL 15\.\d+.*PostGIS 3\.\d/);
    expect(report).toContain('## How each figure was measured');
  });

  it('measured every endpoint and its reference with sane numbers', () => {
    const [engine] = results.engines;
    expect(results.engines.map((e) => e.engine)).toEqual(['postgres']);
    const api = engine?.api;
    for (const [name, m] of Object.entries({
      areas: api?.areas,
      values: api?.values,
      nearest: api?.nearest,
      search: api?.search,
      tiles: api?.tiles,
    })) {
      expect(m, name).toBeTruthy();
      if (!m) continue;
      expect(m.app.requests, name).toBeGreaterThan(0);
      expect(m.app.errors, name).toBe(0);
      expect(m.app.rps, name).toBeGreaterThan(0);
      expect(m.app.p50, name).toBeGreaterThan(0);
      expect(m.app.p99, name).toBeGreaterThanOrEqual(m.app.p50);
      if (name === 'search') continue;
      expect(m.ref?.requests, name).toBeGreaterThan(0);
      expect(m.ref?.errors, name).toBe(0);
      expect(m.ratio, name).toBeGreaterThan(0);
      expect(Number.isFinite(m.ratio), name).toBe(true);
    }
    // The plan is recorded; on the mini city's few offers a sequential scan is the cheaper one, so the use of the
    // spatial index is asserted on the real package (tests/api/offers.test.ts, "preselects through the GIST index").
    expect(api?.plans.nearest.join('\n')).toMatch(/on offer /);
  });

  it('timed the import and its \\copy reference, and weighed the payloads', () => {
    const imp = results.importPostgres;
    expect(imp?.importMs).toBeGreaterThan(0);
    expect(imp?.copy.copyMs).toBeGreaterThan(0);
    expect(imp?.copy.indexMs).toBeGreaterThan(0);
    expect(imp?.rows.address).toBeGreaterThan(0);
    const p = results.payload;
    expect(p?.areas.wire).toBeGreaterThan(0);
    expect(p?.areas.identity).toBeGreaterThanOrEqual(p?.areas.wire ?? 0);
    expect(p?.values.identity).toBeGreaterThan(0);
    expect(p?.scripts.initial.length).toBeGreaterThan(0);
    expect(p?.scripts.initialGzip).toBeGreaterThan(0);
    expect(p?.scripts.map?.gzip).toBeGreaterThan(0);
  });

  it('judges areas and values by CPU per answer, computed from the raw runs, against a reference with the same bytes and headers', () => {
    const api = results.engines[0]?.api;
    const made = rows(results);
    for (const id of ['areas', 'values'] as const) {
      const m = api?.[id];
      expect(m, id).toBeTruthy();
      if (!m) continue;
      expect(m.cpuRuns.app.length, id).toBe(results.options.plan.rounds);
      expect(m.cpuRuns.ref.length, id).toBe(results.options.plan.rounds);
      const per = (runs: { cpuUs: number; answers: number }[]) => {
        const values = runs.map((r) => r.cpuUs / r.answers).sort((a, b) => a - b);
        const mid = (values.length - 1) / 2;
        return ((values[Math.floor(mid)] as number) + (values[Math.ceil(mid)] as number)) / 2;
      };
      for (const run of [...m.cpuRuns.app, ...m.cpuRuns.ref]) {
        expect(run.cpuUs, id).toBeGreaterThan(0);
        expect(run.answers, id).toBeGreaterThan(0);
      }
      const ratio = per(m.cpuRuns.app) / per(m.cpuRuns.ref);
      expect(m.cpu?.app, id).toBeCloseTo(per(m.cpuRuns.app), 6);
      expect(m.cpu?.ref, id).toBeCloseTo(per(m.cpuRuns.ref), 6);
      expect(m.cpu?.ratio, id).toBeCloseTo(ratio, 6);
      const row = made.find((r) => r.id === id);
      expect(row?.ratio, id).toContain(`CPU ${ratio.toFixed(2)}×`);
      expect(row?.met, id).toBe(ratio <= CPU_GOAL);
      expect(report, id).toContain(`CPU ${ratio.toFixed(2)}×`);
      // The reference answered with the app's bytes and every one of its headers.
      expect(m.same?.body, id).toBe(true);
      expect(m.same?.headersDiffer, id).toEqual([]);
      for (const h of ['etag', 'vary', 'cache-control', 'content-security-policy', 'x-content-type-options'])
        expect(m.same?.headers, `${id}: ${h}`).toContain(h);
    }
  });

  it('counts the bytes until each page is usable, the sums made from the requests counted', () => {
    const pages = results.pageBytes;
    expect(Array.isArray(pages), JSON.stringify(pages)).toBe(true);
    if (!Array.isArray(pages)) return;
    expect(pages.map((p) => p.page)).toEqual(['finder', 'planner', 'council']);
    const made = rows(results);
    for (const p of pages) {
      expect('failed' in p ? p.failed : null, p.page).toBeNull();
      if ('failed' in p) continue;
      const budget = p.requests.filter((q) => (BUDGET_TYPES as readonly string[]).includes(q.type));
      expect(budget.length, p.page).toBeGreaterThan(0);
      expect(p.budgetGzipBytes, p.page).toBe(budget.reduce((sum, q) => sum + q.gzipBytes, 0));
      expect(p.budgetBytes, p.page).toBe(budget.reduce((sum, q) => sum + q.brBytes, 0));
      expect(p.totalBytes, p.page).toBe(p.requests.reduce((sum, q) => sum + q.bodyBytes, 0));
      expect(p.budgetGzipBytes, p.page).toBeGreaterThan(0);
      const row = made.find((r) => r.id === `page-${p.page}`);
      expect(row?.measured, p.page).toContain(`${kb(p.budgetGzipBytes)} gzip`);
      expect(report, p.page).toContain(kb(p.budgetGzipBytes));
      if (p.page === 'finder') expect(row?.met).toBe(p.budgetGzipBytes <= FINDER_BUDGET_GZIP);
    }
  });

  it('records the commit it measured', () => {
    expect(results.commit).toMatch(/^[0-9a-f]{40}$/);
    expect(report).toContain(`commit ${results.commit}`);
  });

  it('sees uncommitted changes of a tree, but not untracked files under .tmp/', () => {
    const repo = join(dir, 'repo');
    mkdirSync(repo);
    const git = (...args: string[]) => execFileSync('git', args, { cwd: repo, stdio: 'ignore' });
    git('init', '-q');
    writeFileSync(join(repo, 'a.txt'), 'one\n');
    git('add', 'a.txt');
    git('-c', 'user.name=bench', '-c', 'user.email=bench@localhost', 'commit', '-q', '-m', 'one');
    mkdirSync(join(repo, '.tmp'));
    writeFileSync(join(repo, '.tmp', 'scratch'), 'x');
    const clean = gitTree(repo);
    expect(clean.commit).toMatch(/^[0-9a-f]{40}$/);
    expect(clean.changes).toEqual([]);
    writeFileSync(join(repo, 'a.txt'), 'two\n');
    writeFileSync(join(repo, 'b.txt'), 'new\n');
    expect(gitTree(repo).changes.sort()).toEqual([' M a.txt', '?? b.txt']);
  });

  it('timed the planner and the bare MapLibre page in Chromium', () => {
    const f = results.frontend;
    expect('app' in f, JSON.stringify(f)).toBe(true);
    if (!('app' in f)) return;
    expect(f.app).toHaveLength(1);
    expect(f.reference).toHaveLength(1);
    expect(f.appMedian).toBeGreaterThan(0);
    expect(f.referenceMedian).toBeGreaterThan(0);
    expect(f.referenceFeatures).toBeGreaterThan(0);
    // The first idle, in runs of its own.
    expect(f.idle).toHaveLength(1);
    expect(f.idleMedian).toBeGreaterThan(0);
  });
});
