import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runImport } from '../../geodata/import.ts';
import { type Db, openDb } from '../../server/db/index.ts';
import { migrate } from '../../server/db/migrate.ts';
import { readEnv } from '../../server/env.ts';
import { type RunningServer, startServer } from '../../server/server.ts';
import { type Cluster, startCluster } from '../support/cluster.ts';

/**
 * Issue #9, database outage: a server on a PostgreSQL cluster of this test's own, with the mini city imported;
 * the cluster is stopped under the running server (cleanly, then as a crash) and started again. Meanwhile
 * clients keep asking. /health stays 200, /ready turns 503 within a second, data endpoints answer 503 with
 * Retry-After (or 200 from memory), never 500 and never a dropped connection, the process lives on, and
 * everything answers 200 again within 5 s of the database being back.
 */

const MINI = join(import.meta.dirname, '../fixtures/mini-city');

/** Endpoints that need the database: cached per data version, and read on every request. */
const DATA_PATHS = [
  '/api/areas?level=quarter',
  '/api/areas/quarter/010',
  '/api/offers',
  '/api/offers/nearest?lon=7.01&lat=51.01',
  '/api/search?q=markt',
  '/api/sources',
  '/api/indicators',
  '/api/indicators/coverage_childcare_500m/values?level=quarter',
  '/api/areas/quarter/010/profile',
  '/api/analysis/education-chain?level=quarter',
];

interface Answer {
  at: number;
  path: string;
  status: number;
  retryAfter: string | null;
  contentType: string | null;
  body: string;
}

let cluster: Cluster;
let db: Db;
let server: RunningServer;
let packageDir: string;
const processErrors: unknown[] = [];
const onProcessError = (err: unknown) => processErrors.push(err);

async function ask(path: string): Promise<Answer> {
  const res = await fetch(server.url + path, { signal: AbortSignal.timeout(5_000) });
  return {
    at: performance.now(),
    path,
    status: res.status,
    retryAfter: res.headers.get('retry-after'),
    contentType: res.headers.get('content-type'),
    body: await res.text(),
  };
}

/** Asks `paths` over and over from `clients` parallel clients until stopped; every answer and failure is kept. */
function keepAsking(paths: string[], clients = 4) {
  const answers: Answer[] = [];
  const failures: string[] = [];
  let running = true;
  const loops = Array.from({ length: clients }, async (_, k) => {
    for (let i = k; running; i++) {
      const path = paths[i % paths.length] as string;
      try {
        answers.push(await ask(path));
      } catch (err) {
        failures.push(`${path}: ${(err as Error).message}`);
      }
      await new Promise((r) => setTimeout(r, 10));
    }
  });
  return {
    answers,
    failures,
    async stop() {
      running = false;
      await Promise.all(loops);
    },
  };
}

async function until(what: string, limitMs: number, check: () => Promise<boolean>): Promise<number> {
  const start = performance.now();
  for (;;) {
    if (await check()) return performance.now() - start;
    if (performance.now() - start > limitMs) throw new Error(`${what}: not within ${limitMs} ms`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

const allOk = async () => (await Promise.all(['/ready', ...DATA_PATHS].map(ask))).every((a) => a.status === 200);

beforeAll(async () => {
  process.on('unhandledRejection', onProcessError);
  process.on('uncaughtException', onProcessError);
  cluster = await startCluster();
  const url = await cluster.createDatabase('atlas_outage');
  db = await openDb({ databaseUrl: url, statementTimeoutMs: 5_000 });
  await migrate(db);
  packageDir = mkdtempSync(join(tmpdir(), 'mini-outage-'));
  cpSync(MINI, packageDir, { recursive: true });
  await runImport(db, { dir: packageDir, log: () => {} });
  const env = readEnv({ DATABASE_URL: url, GEODATA_DIR: packageDir });
  server = await startServer({ db, env }, 0, '127.0.0.1');
  expect(await allOk()).toBe(true);
});

afterAll(async () => {
  await server?.close();
  await db?.close();
  await cluster?.destroy();
  if (packageDir) rmSync(packageDir, { recursive: true, force: true });
  process.off('unhandledRejection', onProcessError);
  process.off('uncaughtException', onProcessError);
});

describe.each(['fast', 'immediate'] as const)('the database stopped (%s) under a running server', (mode) => {
  it('keeps /health up, reports /ready 503 within 1 s, answers 503 with Retry-After, and recovers within 5 s', async () => {
    const traffic = keepAsking(['/health', '/ready', ...DATA_PATHS]);
    await new Promise((r) => setTimeout(r, 300));

    await cluster.stop(mode);
    const notReadyAfter = await until('/ready 503', 1_000, async () => (await ask('/ready')).status === 503);

    // The data version is trusted for a second (http/cached.ts); after that every data endpoint must say 503.
    await new Promise((r) => setTimeout(r, 1_200));
    const down = await Promise.all(DATA_PATHS.map(ask));
    const health = await ask('/health');
    await new Promise((r) => setTimeout(r, 500));

    await cluster.start();
    const recoveredAfter = await until('every endpoint 200 again', 5_000, allOk);
    await new Promise((r) => setTimeout(r, 300));
    await traffic.stop();
    console.log(
      `[outage ${mode}] /ready 503 after ${notReadyAfter.toFixed(0)} ms; all 200 again ${recoveredAfter.toFixed(0)} ms ` +
        `after the database was back; ${traffic.answers.length} answers during the test`,
    );

    expect(health.status).toBe(200);
    for (const a of down) {
      expect(a.status, a.path).toBe(503);
      expect(a.retryAfter, a.path).toMatch(/^\d+$/);
      expect(a.contentType, a.path).toBe('application/problem+json');
      const problem = JSON.parse(a.body);
      expect(problem).toMatchObject({ status: 503, title: expect.any(String) });
      // No internals: neither the socket error nor the database's address.
      expect(a.body).not.toMatch(/ECONNREFUSED|127\.0\.0\.1|terminat|at \w+ \(/);
    }
    // Throughout: no dropped connection, no 500, every 503 of an API path says when to retry.
    expect(traffic.failures).toEqual([]);
    const bad = traffic.answers.filter((a) => ![200, 503].includes(a.status));
    expect(bad.map((a) => `${a.path} ${a.status} ${a.body.slice(0, 200)}`)).toEqual([]);
    const healthDown = traffic.answers.filter((a) => a.path === '/health' && a.status !== 200);
    expect(healthDown).toEqual([]);
    const apiWithoutRetry = traffic.answers.filter(
      (a) => a.path.startsWith('/api/') && a.status === 503 && !a.retryAfter,
    );
    expect(apiWithoutRetry.map((a) => a.path)).toEqual([]);
    expect(traffic.answers.filter((a) => a.status === 503).length).toBeGreaterThan(0);
    expect(processErrors).toEqual([]);
  });
});

it('reads the same data after the outages as before', async () => {
  const res = await ask('/api/areas?level=quarter');
  expect(res.status).toBe(200);
  expect(JSON.parse(res.body).features.map((f: { id: string }) => f.id)).toEqual(['010', '020', '030', '040']);
});
