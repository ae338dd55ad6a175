import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runImport } from '../../geodata/import.ts';
import { createApp } from '../../server/app.ts';
import { type Db, openDb } from '../../server/db/index.ts';
import { readEnv } from '../../server/env.ts';
import { type RunningServer, startServer } from '../../server/server.ts';
import { engines, freshDb, realDb, withDatabase } from '../support/db.ts';

/**
 * Issue #9, costs capped and internals hidden: request bodies are limited, a request has a time limit, the
 * database stops long queries (PostgreSQL's statement_timeout), every numeric parameter the API documents
 * is capped, and an internal error says nothing about the inside (no stack, no SQL, no file paths).
 * The caps are checked against what SECURITY.md (promise 5) and the OpenAPI document say, by requests.
 */

const SECURITY_MD = readFileSync(join(import.meta.dirname, '../../SECURITY.md'), 'utf8');
/** The line of SECURITY.md's promise 5, "Costs are capped". */
const CAPS = SECURITY_MD.split('\n').find((l) => l.startsWith('| 5 |')) ?? '';
/** A cap as SECURITY.md states it, e.g. "`k` ≤ 50" → 50. */
function promised(pattern: RegExp): number {
  const m = pattern.exec(CAPS);
  if (!m?.[1]) throw new Error(`SECURITY.md promise 5 does not state ${pattern}`);
  return Number(m[1].replace(/,/g, ''));
}

interface Param {
  name: string;
  in: 'query' | 'path';
  required: boolean;
  schema: { type?: string; maximum?: number; minimum?: number; maxLength?: number; pattern?: string; enum?: string[] };
}

let db: Db;
beforeAll(async () => {
  db = await realDb('postgres');
});
afterAll(async () => {
  await db?.close();
});

describe('request size and time', () => {
  it('refuses a body over BODY_LIMIT_BYTES with 413, with or without Content-Length', async () => {
    const app = createApp({ db, env: readEnv({ BODY_LIMIT_BYTES: '1024' }) });
    const body = 'x'.repeat(2048);
    for (const headers of [{ 'content-length': String(body.length) }, {}] as Record<string, string>[]) {
      const res = await app.request('/api/areas?level=district', { method: 'POST', body, headers });
      expect(res.status).toBe(413);
      expect(res.headers.get('content-type')).toBe('application/problem+json');
      expect(await res.json()).toMatchObject({ status: 413, title: 'Payload too large' });
    }
    // Within the limit the request goes on to routing (the API is read-only: no POST routes).
    const small = await app.request('/api/areas?level=district', { method: 'POST', body: 'x' });
    expect(small.status).toBe(404);
  });

  it('answers 413 over a real socket too, with the default limit of 256 KiB', async () => {
    const server: RunningServer = await startServer({ db, env: readEnv({}) }, 0, '127.0.0.1');
    try {
      const res = await fetch(`${server.url}/api/areas?level=district`, {
        method: 'POST',
        body: new Uint8Array(300 * 1024),
      });
      expect(res.status).toBe(413);
      await res.arrayBuffer();
      const ok = await fetch(`${server.url}/api/areas?level=district`);
      expect(ok.status).toBe(200);
      await ok.arrayBuffer();
    } finally {
      await server.close();
    }
  });

  it('answers 503 with Retry-After when a request runs past REQUEST_TIMEOUT_MS', async () => {
    const app = createApp({ db, env: readEnv({ REQUEST_TIMEOUT_MS: '1' }) });
    // Five queries with PostGIS relations: always longer than a millisecond.
    const res = await app.request('/api/areas/quarter/050');
    expect(res.status).toBe(503);
    expect(res.headers.get('retry-after')).toMatch(/^\d+$/);
    expect(await res.json()).toMatchObject({ status: 503, title: 'Request timed out' });
    // The work it started ends by itself; the next request with time enough is answered.
    const later = await createApp({ db, env: readEnv({}) }).request('/api/areas/quarter/050');
    expect(later.status).toBe(200);
  });

  it('stops a slow query of a route at STATEMENT_TIMEOUT_MS on the pool the server opens, answering 503', async () => {
    // A database of its own with the mini city, so that the lock below holds up no other test.
    const own = await freshDb('postgres');
    const [{ name } = { name: '' }] = await own.query<{ name: string }>('SELECT current_database() AS name');
    const appDb: Db[] = [];
    try {
      await runImport(own, { dir: join(import.meta.dirname, '../fixtures/mini-city'), log: () => {} });
      const [centre] = await own.query<{ lon: number; lat: number }>(
        "SELECT ST_X(label_point) AS lon, ST_Y(label_point) AS lat FROM atlas.area WHERE level = 'quarter' LIMIT 1",
      );
      // The server's own settings and pool, opened as scripts/start.ts opens them.
      const env = readEnv({
        DATABASE_URL: withDatabase(process.env.TEST_DATABASE_URL as string, name),
        // Short, so that the test does not wait long; long enough that the mini city's queries (milliseconds) end well
        // within it on a busy machine once the lock is gone.
        STATEMENT_TIMEOUT_MS: '2000',
      });
      const db = await openDb({
        databaseUrl: env.DATABASE_URL,
        dataDir: env.DATA_DIR,
        statementTimeoutMs: env.STATEMENT_TIMEOUT_MS,
      });
      appDb.push(db);
      expect(await db.query('SHOW statement_timeout')).toEqual([{ statement_timeout: '2s' }]);
      const server = await startServer({ db, env }, 0, '127.0.0.1');
      const paths = [`/api/offers/nearest?lon=${centre?.lon}&lat=${centre?.lat}`, '/api/areas?level=quarter'];
      try {
        // While another session holds the data tables, the route's query waits: it can only end by the timeout
        // (the request timeout, 15 s, is far off), never by finishing, however fast or slow the machine is.
        await own.transaction(async (tx) => {
          await tx.exec('LOCK TABLE atlas.offer, atlas.area IN ACCESS EXCLUSIVE MODE');
          for (const path of paths) {
            const res = await fetch(`${server.url}${path}`);
            expect(res.status, path).toBe(503);
            expect(res.headers.get('retry-after'), path).toMatch(/^\d+$/);
            expect(res.headers.get('content-type'), path).toBe('application/problem+json');
            expect(await res.json(), path).toMatchObject({ status: 503, title: 'Query took too long' });
          }
        });
        // The lock is gone: the same pool answers the same routes.
        for (const path of paths) {
          const res = await fetch(`${server.url}${path}`);
          expect(res.status, `${path}: ${await res.clone().text()}`).toBe(200);
          await res.arrayBuffer();
        }
      } finally {
        await server.close();
      }
    } finally {
      for (const db of appDb) await db.close();
      await own.drop();
    }
  });
});

interface Operation {
  path: string;
  params: Param[];
}

describe('parameter caps', () => {
  let operations: Operation[];
  let params: { path: string; param: Param }[];
  /** A valid value for each path and required query parameter, read from the database. */
  let valid: Record<string, string>;
  beforeAll(async () => {
    const app = createApp({ db, env: readEnv({}) });
    const doc = (await (await app.request('/api/openapi.json')).json()) as {
      paths: Record<string, Record<string, { parameters?: Param[]; security?: unknown[] }>>;
    };
    // The anonymous reads: the writes and the editors' reads answer 401 before they read a parameter.
    operations = Object.entries(doc.paths).flatMap(([path, ops]) =>
      Object.entries(ops)
        .filter(([method, op]) => method === 'get' && !op.security)
        // Uploaded tables and lists, and the programmes lists name: none in this database (tests/api/tables.test.ts,
        // offer-lists.test.ts and offer-list-effects.test.ts).
        .filter(() => !/^\/api\/(tables|offer-lists|programmes)\/\{id\}/.test(path))
        .map(([, op]) => ({ path, params: op.parameters ?? [] })),
    );
    params = operations.flatMap((op) => op.params.map((param) => ({ path: op.path, param })));
    const [q] = await db.query<{ code: string; name: string; lon: number; lat: number }>(
      `SELECT code, name, ST_X(label_point) AS lon, ST_Y(label_point) AS lat FROM atlas.area
       WHERE level = 'quarter' ORDER BY code LIMIT 1`,
    );
    const [offer] = await db.query<{ id: string }>('SELECT id FROM atlas.offer ORDER BY id LIMIT 1');
    // A need and a supply indicator with values per quarter, as the gap analysis takes them.
    const [need] = await db.query<{ id: string }>(
      `SELECT i.id FROM atlas.indicator i WHERE i.direction = 'need'
         AND EXISTS (SELECT 1 FROM atlas.indicator_value v WHERE v.indicator_id = i.id AND v.level = 'quarter')
       ORDER BY i.sort, i.id LIMIT 1`,
    );
    const [supply] = await db.query<{ id: string }>(
      `SELECT i.id FROM atlas.indicator i WHERE i.direction <> 'need'
         AND EXISTS (SELECT 1 FROM atlas.indicator_value v WHERE v.indicator_id = i.id AND v.level = 'quarter')
       ORDER BY i.sort, i.id LIMIT 1`,
    );
    valid = {
      level: 'quarter',
      code: q?.code as string,
      lon: String(q?.lon),
      lat: String(q?.lat),
      q: String(q?.name ?? '').slice(0, 4),
      need: need?.id as string,
      supply: supply?.id as string,
      // Hot spots of one indicator; the designation's rule (issue 18).
      indicator: need?.id as string,
      rule: 'top:5',
    };
    valid.offerId = offer?.id as string;
    // The walk to an offer (issue 16): the offer nearest the point, which the street network reaches.
    const [near] = await db.query<{ id: string }>(
      'SELECT id FROM atlas.offer ORDER BY geom <-> ST_SetSRID(ST_MakePoint($1, $2), 4326) LIMIT 1',
      [q?.lon, q?.lat],
    );
    valid.to = near?.id as string;
    valid.indicatorId = need?.id as string;
    for (const [k, v] of Object.entries(valid)) expect(v, k).toBeTruthy();
  });

  /** The request of an operation with valid path and required parameters, and `overrides` in place. */
  function url(op: Operation, overrides: Record<string, string>): string {
    const path = op.path.replace(/\{(\w+)\}/g, (_, name: string) => {
      const value =
        overrides[name] ??
        (name === 'id' ? (op.path.startsWith('/api/offers') ? valid.offerId : valid.indicatorId) : valid[name]);
      return encodeURIComponent(value as string);
    });
    const query = new URLSearchParams();
    for (const p of op.params.filter((p) => p.in === 'query')) {
      if (p.name in overrides) query.set(p.name, overrides[p.name] as string);
      else if (p.required) query.set(p.name, valid[p.name] as string);
    }
    const text = query.toString();
    return text ? `${path}?${text}` : path;
  }

  /** The longest string of `c` the pattern accepts (up to 10,000), or null when it accepts none. */
  function longest(pattern: string, c: string): number | null {
    const re = new RegExp(pattern);
    if (!re.test(c)) return null;
    let n = 1;
    while (n < 10_000 && re.test(c.repeat(n + 1))) n++;
    return n;
  }

  it('documents a maximum for every numeric parameter and a length limit for every free text', () => {
    const numeric = params.filter((p) => p.param.schema.type === 'integer' || p.param.schema.type === 'number');
    expect(numeric.length).toBeGreaterThan(3);
    for (const { path, param } of numeric) expect(param.schema.maximum, `${path} ${param.name}`).toBeDefined();
    for (const { path, param } of params.filter((p) => p.param.schema.type === 'string' && !p.param.schema.enum)) {
      const pattern = param.schema.pattern;
      const bounded =
        param.schema.maxLength !== undefined ||
        (pattern !== undefined && ['a', '1'].some((c) => (longest(pattern, c) ?? 0) < 10_000));
      expect(bounded, `${path} ${param.name} has no length limit`).toBe(true);
    }
    for (const { path, param } of params.filter((p) => p.param.name === 'q'))
      expect(param.schema.maxLength, `${path} q`).toBeLessThanOrEqual(200);
  });

  it('answers every operation with valid values (so that a 400 below is the capped parameter’s)', async () => {
    const app = createApp({ db, env: readEnv({}) });
    for (const op of operations) {
      const res = await app.request(url(op, {}));
      expect(res.status, url(op, {})).toBe(200);
      await res.arrayBuffer();
    }
  });

  it('refuses every documented numeric parameter, in the query or the path, one above its maximum, naming it', async () => {
    const app = createApp({ db, env: readEnv({}) });
    let checked = 0;
    for (const op of operations)
      for (const param of op.params) {
        const { type, maximum } = param.schema;
        if ((type !== 'integer' && type !== 'number') || maximum === undefined) continue;
        const request = url(op, { [param.name]: String(maximum + 1) });
        const res = await app.request(request);
        expect(res.status, request).toBe(400);
        const problem = (await res.json()) as { param: string; errors: { param: string }[] };
        expect(problem.param, request).toBe(param.name);
        checked++;
      }
    expect(checked).toBeGreaterThan(5);
  });

  it('refuses every text parameter, in the query or the path, one character over its length limit, naming it', async () => {
    const app = createApp({ db, env: readEnv({}) });
    const checked: string[] = [];
    for (const op of operations)
      for (const param of op.params) {
        const { type, maxLength, pattern } = param.schema;
        if (type !== 'string' || param.schema.enum) continue;
        // The longest value the documented schema accepts, of a character it accepts, plus one.
        const c = ['a', '1'].find((ch) => !pattern || longest(pattern, ch) !== null);
        if (!c) continue; // a structured value (bbox): its own caps are tested below
        const limit = Math.min(
          maxLength ?? Number.POSITIVE_INFINITY,
          pattern ? (longest(pattern, c) as number) : Number.POSITIVE_INFINITY,
        );
        if (!Number.isFinite(limit)) continue;
        const request = url(op, { [param.name]: c.repeat(limit + 1) });
        const res = await app.request(request);
        expect(res.status, `${op.path} ${param.name} (${limit + 1} characters)`).toBe(400);
        const problem = (await res.json()) as { param: string };
        expect(problem.param, `${op.path} ${param.name}`).toBe(param.name);
        checked.push(`${op.path} ${param.name}`);
      }
    // Ids and codes in templated paths are among them.
    expect(checked).toEqual(expect.arrayContaining(['/api/areas/{level}/{code} code', '/api/offers/{id} id']));
  });

  it('holds the caps SECURITY.md promises, in the OpenAPI document and in answers', async () => {
    const app = createApp({ db, env: readEnv({}) });
    const schema = (path: string, name: string) =>
      params.find((p) => p.path === path && p.param.name === name)?.param.schema ?? {};
    const limit = promised(/`limit` ≤ ([\d,]+)/);
    const k = promised(/`k` ≤ ([\d,]+)/);
    const maxKm = promised(/`max_m` ≤ ([\d,]+) km/);
    const bbox = promised(/`bbox` ≤ ([\d.]+)° × /);
    const text = promised(/search text ≤ ([\d,]+) characters/);
    expect(schema('/api/offers', 'limit').maximum).toBe(limit);
    expect(schema('/api/offers/nearest', 'k').maximum).toBe(k);
    expect(schema('/api/offers/nearest', 'max_m').maximum).toBe(maxKm * 1000);
    expect(schema('/api/search', 'q').maxLength).toBe(text);
    expect(schema('/api/offers', 'q').maxLength).toBe(text);
    // The bbox is one structured parameter: at most `bbox` degrees wide and high.
    const [x, y] = [Number(valid.lon), Number(valid.lat)];
    for (const [w, h, status] of [
      [bbox, bbox, 200],
      [bbox * 1.01, bbox / 2, 400],
      [bbox / 2, bbox * 1.01, 400],
    ] as const) {
      const box = [x - w / 2, y - h / 2, x + w / 2, y + h / 2].join(',');
      const res = await app.request(`/api/offers?bbox=${box}`);
      expect(res.status, box).toBe(status);
      const body = (await res.json()) as { param?: string };
      if (status === 400) expect(body.param, box).toBe('bbox');
    }
  });

  it('refuses basemap tile coordinates beyond the zoom SECURITY.md promises and beyond the tile grid, naming them', async () => {
    const app = createApp({ db, env: readEnv({}) });
    const route = app.routes.find((r) => r.path.startsWith('/tiles/basemap/'))?.path;
    expect(route).toBe('/tiles/basemap/:z/:x/:file');
    const zMax = promised(/tiles z ≤ (\d+)/);
    const ok = await app.request(`/tiles/basemap/${zMax}/0/0.pbf`);
    expect([200, 204], `z ${zMax}`).toContain(ok.status);
    const grid = 2 ** zMax; // x and y at zoom z run from 0 to 2^z - 1
    for (const [path, param] of [
      [`/tiles/basemap/${zMax + 1}/0/0.pbf`, 'z'],
      [`/tiles/basemap/${zMax}/${grid}/0.pbf`, 'x'],
      [`/tiles/basemap/${zMax}/0/${grid}.pbf`, 'y'],
      ['/tiles/basemap/3/8/0.pbf', 'x'],
      ['/tiles/basemap/3/0/8.pbf', 'y'],
      ['/tiles/basemap/99999999/0/0.pbf', 'z'],
      ['/tiles/basemap/3/999999999999/0.pbf', 'x'],
      ['/tiles/basemap/3/-1/0.pbf', 'x'],
      ['/tiles/basemap/3/0/1e3.pbf', 'y'],
    ] as const) {
      const res = await app.request(path);
      expect(res.status, path).toBe(400);
      expect(res.headers.get('content-type'), path).toBe('application/problem+json');
      expect(((await res.json()) as { param: string }).param, path).toBe(param);
    }
  });

  it.each([
    ['/api/offers?bbox=7,51,9,52', 'bbox'],
    ['/api/offers?bbox=7,51,7.1', 'bbox'],
    [`/api/offers?category=${'school,'.repeat(400)}school`, 'category'],
  ])('refuses %s naming %s', async (path, param) => {
    const res = await createApp({ db, env: readEnv({}) }).request(path);
    expect(res.status).toBe(400);
    expect(res.headers.get('content-type')).toBe('application/problem+json');
    expect(((await res.json()) as { param: string }).param).toBe(param);
  });
});

describe.each(engines)('an internal error on %s', (engine) => {
  let broken: Awaited<ReturnType<typeof freshDb>>;
  beforeAll(async () => {
    // A database that says it holds data but has no data schema: every data query fails inside.
    broken = await freshDb(engine);
    await broken.query(
      "INSERT INTO app.import_run (status, package_dir, package_sha256, city) VALUES ('loaded', '/secret/dir', $1, 'X')",
      ['0'.repeat(64)],
    );
  });
  afterAll(async () => {
    await broken?.drop();
  });

  it('is a 500 problem without stack, SQL, table names or file paths', async () => {
    const app = createApp({ db: broken, env: readEnv({}) });
    for (const path of ['/api/areas/quarter/050', '/api/areas?level=quarter', '/api/sources', '/api/offers']) {
      const res = await app.request(path);
      expect(res.status, path).toBe(500);
      expect(res.headers.get('content-type')).toBe('application/problem+json');
      expect(res.headers.get('content-security-policy')).toBeTruthy();
      const text = await res.text();
      expect(JSON.parse(text)).toEqual({
        title: 'Internal error',
        status: 500,
        detail: 'The server could not answer this request.',
      });
      expect(text).not.toMatch(/atlas\.|relation|SELECT|at \w|\.ts|\/secret|node_modules/);
    }
  });
});
