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
 * clients keep asking. /health stays 200, /ready turns 503, data endpoints answer 503 with Retry-After (or 200
 * from memory), never 500 and never a dropped connection, the process lives on, and everything answers 200
 * again once the database is back. How fast any of this happens is logged, never asserted.
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
  const res = await fetch(server.url + path);
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

/**
 * Polls `check` until it gives a value, and resolves with it and the milliseconds it took (for the log). The
 * wait is bounded only so that a failure says what it waited for and what it saw last, instead of timing out.
 */
async function until<T>(what: string, check: () => Promise<T | undefined>): Promise<{ value: T; ms: number }> {
  const start = performance.now();
  let last = '';
  for (;;) {
    try {
      const value = await check();
      if (value !== undefined) return { value, ms: performance.now() - start };
    } catch (err) {
      last = (err as Error).message;
    }
    if (performance.now() - start > 45_000) throw new Error(`${what}: still not so after 45 s ${last}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

/** Waits until the running traffic has `n` more answers than now (some of them `status`, when given). */
function moreAnswers(traffic: ReturnType<typeof keepAsking>, n: number, status?: number) {
  const count = () => traffic.answers.filter((a) => status === undefined || a.status === status).length;
  const target = count() + n;
  return until(`${n} more answers${status ? ` with ${status}` : ''}`, async () =>
    count() >= target ? true : undefined,
  );
}

const allOk = async () =>
  (await Promise.all(['/ready', ...DATA_PATHS].map(ask))).every((a) => a.status === 200) ? true : undefined;

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
  it('keeps /health up, turns /ready to 503, answers 503 with Retry-After while down, and recovers', async () => {
    const traffic = keepAsking(['/health', '/ready', ...DATA_PATHS]);
    await moreAnswers(traffic, 20);

    await cluster.stop(mode);
    const notReady = await until('/ready 503', async () => ((await ask('/ready')).status === 503 ? true : undefined));

    // The data version is trusted for a second (server/db/data-version.ts); after that every data endpoint must say 503.
    const { value: down } = await until('every data endpoint 503', async () => {
      const answers = await Promise.all(DATA_PATHS.map(ask));
      return answers.every((a) => a.status === 503) ? answers : undefined;
    });
    const health = await ask('/health');
    await moreAnswers(traffic, 20, 503);

    await cluster.start();
    const recovered = await until('every endpoint 200 again', allOk);
    await moreAnswers(traffic, 20);
    await traffic.stop();
    console.log(
      `[outage ${mode}] /ready 503 after ${notReady.ms.toFixed(0)} ms; all 200 again ${recovered.ms.toFixed(0)} ms ` +
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
