/**
 * The server process of `npm run bench` (forked by scripts/bench/server-process.ts): the app on one port, served
 * as `npm start` serves it, and the bare references on another, so that autocannon in the parent process never
 * shares an event loop with the server it measures. Answers the parent's requests over IPC (protocol.ts).
 */
import { existsSync, readdirSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { serve } from '@hono/node-server';
import { serveStatic } from '@hono/node-server/serve-static';
import { Hono } from 'hono';
import { runImport } from '../../geodata/import.ts';
import { createApp } from '../../server/app.ts';
import { type Db, openDb } from '../../server/db/index.ts';
import { migrate } from '../../server/db/migrate.ts';
import { readEnv } from '../../server/env.ts';
import { fileBodies, send as sendRepresentation } from '../../server/http/representation.ts';
import { startServer } from '../../server/server.ts';
import { rawGet } from './http-raw.ts';
import type { ChildOptions, ChildReady, Reply, Request, Workload } from './protocol.ts';
import { summarize } from './stats.ts';

const options = JSON.parse(process.argv[2] ?? '{}') as ChildOptions;
const send = (reply: Reply) => process.send?.(reply);

function listen(fetch: (req: Request_) => Response | Promise<Response>): Promise<{ url: string; server: Server }> {
  return new Promise((resolve) => {
    const server = serve({ fetch, port: 0, hostname: '127.0.0.1' }, (info: AddressInfo) =>
      resolve({ url: `http://127.0.0.1:${info.port}`, server: server as Server }),
    ) as Server;
  });
}
type Request_ = globalThis.Request;

/** Headers of the connection or the moment, which the reference's own server sets as the app's does. */
const PER_CONNECTION = new Set(['date', 'connection', 'keep-alive', 'transfer-encoding', 'content-length']);

const close = (server: Server) => new Promise<void>((done) => server.close(() => done()));

/** Every basemap tile of the package, as z/x/y. */
function listTiles(dir: string): string[] {
  if (!existsSync(dir)) return [];
  const tiles: string[] = [];
  for (const z of readdirSync(dir).sort((a, b) => Number(a) - Number(b)))
    for (const x of readdirSync(join(dir, z)).sort())
      for (const f of readdirSync(join(dir, z, x)).sort())
        if (f.endsWith('.pbf')) tiles.push(`${z}/${x}/${f.slice(0, -4)}`);
  return tiles;
}

async function workload(db: Db, tileDir: string): Promise<Workload> {
  // Every n-th address, so that the points spread over the whole city.
  const [count] = await db.query<{ n: number }>('SELECT count(*)::int AS n FROM atlas.address');
  const step = Math.max(1, Math.floor((count?.n ?? 0) / 200));
  const points = await db.query<{ lon: number; lat: number }>(
    `SELECT ST_X(geom) AS lon, ST_Y(geom) AS lat FROM atlas.address WHERE id % $1 = 0 ORDER BY id LIMIT 200`,
    [step],
  );
  const streets = await db.query<{ street: string; number: string }>(
    `SELECT street, min(house_number) AS number FROM atlas.address
     GROUP BY street ORDER BY count(*) DESC, street LIMIT 30`,
  );
  const offers = await db.query<{ name: string }>(
    `SELECT name FROM (SELECT name, row_number() OVER (ORDER BY id) AS r FROM atlas.offer WHERE name IS NOT NULL) o
     WHERE r % 37 = 1 ORDER BY r LIMIT 20`,
  );
  const areas = await db.query<{ name: string }>(
    "SELECT name FROM atlas.area WHERE level IN ('district', 'quarter') ORDER BY level, code LIMIT 20",
  );
  const [versions] = await db.query<{ pg: string; postgis: string }>(
    'SELECT version() AS pg, postgis_lib_version() AS postgis',
  );
  return {
    engineVersion: `${versions?.pg.split(/ on |,/)[0] ?? '?'}, PostGIS ${versions?.postgis ?? '?'}`,
    points: points.map((p) => [p.lon, p.lat]),
    streets,
    offerNames: offers.map((o) => o.name),
    areaNames: areas.map((a) => a.name),
    tiles: listTiles(tileDir),
  };
}

async function sqlLoad(db: Db, req: Extract<Request, { type: 'sql' }>) {
  const latencies: number[] = [];
  let next = 0;
  let errors = 0;
  const started = performance.now();
  const deadline = started + req.maxSeconds * 1000;
  const worker = async () => {
    while (next < req.amount && performance.now() < deadline) {
      const params = req.params[next++ % req.params.length];
      const t = performance.now();
      try {
        await db.query(req.sql, params);
        latencies.push(performance.now() - t);
      } catch {
        errors++;
      }
    }
  };
  await Promise.all(Array.from({ length: req.concurrency }, worker));
  return summarize(latencies, errors, (performance.now() - started) / 1000, 0);
}

async function main() {
  const env = readEnv({
    ...(options.databaseUrl ? { DATABASE_URL: options.databaseUrl } : {}),
    GEODATA_DIR: options.geodataDir,
    STATEMENT_TIMEOUT_MS: '600000',
  });
  let t = performance.now();
  const db = await openDb({ databaseUrl: options.databaseUrl, dataDir: options.dataDir, statementTimeoutMs: 600_000 });
  await migrate(db);
  const openMs = performance.now() - t;
  let importMs: number | undefined;
  let importCounts: Record<string, number> | undefined;
  if (options.importPackage) {
    t = performance.now();
    const result = await runImport(db, { dir: options.geodataDir, force: true, log: () => {} });
    importMs = performance.now() - t;
    importCounts = result.counts;
  }
  // The app with the statement timeout `npm start` uses; the import above needed a longer one.
  const app = await startServer({ db, env: { ...env, STATEMENT_TIMEOUT_MS: 10_000 } }, 0, '127.0.0.1');

  const bodies = new Map<string, { body: Uint8Array<ArrayBuffer>; headers: Record<string, string> }>();
  const tileDir = join(env.GEODATA_DIR, 'basemap', 'openmaptiles');
  const reference = new Hono().get('/bytes/:name', (c) => {
    const entry = bodies.get(c.req.param('name'));
    if (!entry) return c.body(null, 404);
    // The cheapest way to answer in Hono: a Response with its headers as a record, which @hono/node-server
    // writes without a Headers object (c.body would build one).
    return new Response(entry.body, { status: 200, headers: entry.headers });
  });
  if (existsSync(tileDir))
    reference.use('/static/*', serveStatic({ root: tileDir, rewriteRequestPath: (p) => p.replace(/^\/static/, '') }));
  const ref = await listen(reference.fetch);
  let frontend: { url: string; server: Server } | null = null;

  const ready: ChildReady = { appUrl: app.url, refUrl: ref.url, openMs, importMs, importCounts };
  send({ id: 0, ready });

  process.on('message', async (message: { id: number } & Request) => {
    const { id } = message;
    try {
      let result: unknown = null;
      switch (message.type) {
        case 'workload':
          result = await workload(db, tileDir);
          break;
        case 'mirror': {
          const res = await rawGet(app.url + message.path, message.headers);
          if (res.status !== 200)
            throw new Error(`GET ${message.path}: ${res.status} ${res.body.toString().slice(0, 200)}`);
          // Every header the app sent (security headers, ETag, Vary, Content-Encoding, …) but those of the
          // connection and the moment, which Node sets itself for either server.
          const headers: Record<string, string> = {};
          for (const [h, v] of Object.entries(res.headers)) if (!PER_CONNECTION.has(h)) headers[h] = v;
          bodies.set(message.name, { body: new Uint8Array(res.body), headers });
          result = { bytes: res.body.length, headers: res.headers, copied: Object.keys(headers) };
          break;
        }
        case 'sql':
          result = await sqlLoad(db, message);
          break;
        case 'explain':
          result = (await db.query<{ 'QUERY PLAN': string }>(`EXPLAIN ANALYZE ${message.sql}`, message.params)).map(
            (r) => r['QUERY PLAN'],
          );
          break;
        case 'frontend': {
          if (!frontend) {
            // The reference page on an origin of its own; API, tiles and fonts come from the same app code.
            const inner = createApp({ db, env });
            const page = message.page;
            const files = join(import.meta.dirname, '../../node_modules/maplibre-gl/dist');
            // MapLibre's own files, kept in memory and gzipped as the app serves its assets.
            const cache = fileBodies(64 * 1024 * 1024);
            const wrapper = new Hono()
              .get('/bench/', (c) => c.html(page))
              .get('/bench/maplibre/:file', async (c) => {
                const file = c.req.param('file');
                if (!/^maplibre-gl[\w.-]*\.(mjs|css)$/.test(file)) return c.body(null, 404);
                const type = file.endsWith('.css') ? 'text/css' : 'text/javascript';
                const body = await cache.get(file, () => readFile(join(files, file)), { contentType: type });
                if (!body) return c.body(null, 404);
                return sendRepresentation(c, body, 'no-cache');
              })
              .all('*', (c) => inner.fetch(c.req.raw));
            frontend = await listen(wrapper.fetch);
          }
          result = frontend.url;
          break;
        }
        case 'cpu': {
          const { user, system } = process.cpuUsage();
          result = user + system;
          break;
        }
        case 'stop':
          await app.close();
          await close(ref.server);
          if (frontend) await close(frontend.server);
          await db.close();
          send({ id, ok: true, result: null });
          process.exit(0);
      }
      send({ id, ok: true, result });
    } catch (err) {
      send({ id, ok: false, error: (err as Error).stack ?? String(err) });
    }
  });
}

main().catch((err) => {
  send({ id: 0, failed: (err as Error).stack ?? String(err) });
  process.exit(1);
});
