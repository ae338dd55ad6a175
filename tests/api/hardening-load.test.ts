import { execFile } from 'node:child_process';
import { resolve } from 'node:path';
import { promisify } from 'node:util';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Db } from '../../server/db/index.ts';
import { readEnv } from '../../server/env.ts';
import { type RunningServer, startServer } from '../../server/server.ts';
import { cases } from '../support/cases.ts';
import { type Engine, packageEngines, realDb } from '../support/db.ts';

/**
 * Issue #9, sustained load: the server (in this process, on a loopback port, on the real data package) gets
 * a mix of cached, computed and searched endpoints from autocannon in a child process, a fixed number of requests
 * over parallel connections, twice after a warm-up. What must hold at any speed is asserted: no request fails or
 * goes unanswered, every answer is a 200, and the server's memory after the second round is within a bound of the
 * first (no leak per request). Throughput, latency and memory are logged; speed goals live in `npm run bench`.
 */

const root = resolve(import.meta.dirname, '../..');
const run = promisify(execFile);

/** The map's routes and the finder's, as the pages ask for them; the values path gets an indicator of the package. */
const PATHS = [
  '/health',
  '/api/areas?level=quarter',
  '/api/areas?level=district',
  '/api/areas/quarter/050',
  '/api/areas/quarter/050/profile',
  '/api/offers/nearest?lon=7.4653&lat=51.5136&k=10',
  '/api/offers?category=childcare,school&limit=5000',
  '/api/offers/categories',
  '/api/search?q=friedensplatz',
  '/api/search?q=hoerde',
  '/api/sources',
  '/api/indicators',
];

/**
 * Requests per round (HARDENING_SCALE scales them) and connections. Both engines get 50 clients at once: PGlite
 * answers one query at a time, and must still answer every one of them (issue 14), without a 503 or a timeout.
 */
const LOAD: Record<Engine, { requests: number; connections: number }> = {
  postgres: { requests: cases(2_000), connections: 50 },
  pglite: { requests: cases(1_000), connections: 50 },
};

interface Result {
  requests: { total: number; average: number };
  latency: { p99: number; max: number };
  errors: number;
  timeouts: number;
  non2xx: number;
  '5xx': number;
  statusCodeStats: Record<string, { count: number }>;
}

/** autocannon in a child process, so that its work and memory are not the server's: `amount` requests. */
async function autocannon(url: string, paths: string[], amount: number, connections: number): Promise<Result> {
  const script = `
    import autocannon from 'autocannon';
    const paths = ${JSON.stringify(paths)};
    const result = await autocannon({
      url: ${JSON.stringify(url)},
      connections: ${connections},
      amount: ${amount},
      // A request counts as lost only after a minute without an answer: a busy machine is slow, not broken.
      timeout: 60,
      headers: { 'accept-encoding': 'br, gzip' },
      requests: paths.map((path) => ({ method: 'GET', path })),
    });
    process.stdout.write(JSON.stringify(result));`;
  const { stdout } = await run(process.execPath, ['--input-type=module', '-e', script], {
    cwd: root,
    maxBuffer: 16 * 1024 * 1024,
  });
  return JSON.parse(stdout) as Result;
}

setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;
const mb = (bytes: number) => Math.round(bytes / 1024 / 1024);
function memory() {
  gc();
  gc();
  const { rss, heapUsed } = process.memoryUsage();
  return { rss: mb(rss), heap: mb(heapUsed) };
}

describe.each(packageEngines)('sustained load on %s', { timeout: 600_000 }, (engine: Engine) => {
  let db: Db;
  let server: RunningServer;
  const paths = [...PATHS];
  beforeAll(async () => {
    db = await realDb(engine);
    server = await startServer({ db, env: readEnv({}) }, 0, '127.0.0.1');
    // The values of the first indicator with quarter values, as the planner's map asks for them.
    const catalogue = (await (await fetch(`${server.url}/api/indicators`)).json()) as {
      indicators: { id: string; levels: { level: string; with_value: number }[] }[];
    };
    const shown = catalogue.indicators.find((i) => i.levels.some((l) => l.level === 'quarter' && l.with_value > 0));
    if (!shown) throw new Error('the package has no indicator with quarter values');
    paths.push(`/api/indicators/${shown.id}/values?level=quarter`, `/api/indicators/${shown.id}/values?level=district`);
  });
  afterAll(async () => {
    await server?.close();
    await db?.close();
  });

  it('answers every request of 50 clients at once with 200 (no 503, none lost) and keeps its memory within bounds', async () => {
    const { requests, connections } = LOAD[engine];
    await autocannon(server.url, paths, Math.ceil(requests / 4), connections); // warm-up: caches built, pool full
    const before = memory();
    const first = await autocannon(server.url, paths, requests, connections);
    const middle = memory();
    const second = await autocannon(server.url, paths, requests, connections);
    const after = memory();

    for (const [round, r] of [
      ['first', first],
      ['second', second],
    ] as const) {
      console.log(
        `[load ${engine}] ${round} round: ${r.requests.total} requests (${r.requests.average} req/s), ` +
          `p99 ${r.latency.p99} ms, max ${r.latency.max} ms, errors ${r.errors}, timeouts ${r.timeouts}, ` +
          `non-2xx ${r.non2xx}, statuses ${JSON.stringify(Object.fromEntries(Object.entries(r.statusCodeStats).map(([k, v]) => [k, v.count])))}`,
      );
      expect(r.errors, round).toBe(0);
      expect(r.timeouts, round).toBe(0);
      expect(r.non2xx, round).toBe(0);
      expect(r['5xx'], round).toBe(0);
      // Every request sent got an answer, and every answer was a 2xx.
      expect(r.requests.total, round).toBe(requests);
      expect((r as unknown as Record<'2xx', number>)['2xx'], round).toBe(requests);
    }
    console.log(
      `[load ${engine}] memory after warm-up ${before.rss} MB RSS / ${before.heap} MB heap; after the first round ` +
        `${middle.rss} / ${middle.heap} MB; after the second ${after.rss} / ${after.heap} MB`,
    );
    // Caches fill in the first round; the second adds nothing that stays.
    expect(after.heap - middle.heap).toBeLessThan(24);
    expect(after.rss - middle.rss).toBeLessThan(96);
    expect(after.rss - before.rss).toBeLessThan(192);
  });
});
