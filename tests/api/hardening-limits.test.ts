import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../../server/app.ts';
import { unavailableProblem } from '../../server/db/health.ts';
import { type Db, openDb } from '../../server/db/index.ts';
import { readEnv } from '../../server/env.ts';
import { type RunningServer, startServer } from '../../server/server.ts';
import { engines, freshDb, realDb, withDatabase } from '../support/db.ts';

/**
 * Issue #9, costs capped and internals hidden: request bodies are limited, a request has a time limit, the
 * database stops long queries (PostgreSQL's statement_timeout), every numeric parameter the API documents
 * is capped, and an internal error says nothing about the inside (no stack, no SQL, no file paths).
 */

interface Param {
  name: string;
  in: 'query' | 'path';
  required: boolean;
  schema: { type?: string; maximum?: number; minimum?: number; maxLength?: number };
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

  it('has PostgreSQL stop a query at statement_timeout, which the API answers with 503', async () => {
    const url = withDatabase(process.env.TEST_DATABASE_URL as string, 'postgres');
    const short = await openDb({ databaseUrl: url, statementTimeoutMs: 200 });
    try {
      expect(await short.query('SHOW statement_timeout')).toEqual([{ statement_timeout: '200ms' }]);
      // Without the timeout pg_sleep would return a row after 5 s; with it the query fails with query_canceled.
      const err = await short.query('SELECT pg_sleep(5)').catch((e: unknown) => e);
      expect((err as { code?: string }).code).toBe('57014');
      const problem = unavailableProblem(err);
      expect(problem?.problem).toMatchObject({ status: 503, title: 'Query took too long' });
      expect(problem?.headers['retry-after']).toMatch(/^\d+$/);
      // The pool stays usable.
      expect(await short.query('SELECT 1 AS one')).toEqual([{ one: 1 }]);
    } finally {
      await short.close();
    }
  });
});

describe('parameter caps', () => {
  let params: { path: string; param: Param }[];
  beforeAll(async () => {
    const app = createApp({ db, env: readEnv({}) });
    const doc = (await (await app.request('/api/openapi.json')).json()) as {
      paths: Record<string, Record<string, { parameters?: Param[] }>>;
    };
    params = Object.entries(doc.paths).flatMap(([path, ops]) =>
      Object.values(ops).flatMap((op) => (op.parameters ?? []).map((param) => ({ path, param }))),
    );
  });

  it('documents a maximum for every numeric parameter and a length limit for every free text', () => {
    const numeric = params.filter((p) => p.param.schema.type === 'integer' || p.param.schema.type === 'number');
    expect(numeric.length).toBeGreaterThan(3);
    for (const { path, param } of numeric) expect(param.schema.maximum, `${path} ${param.name}`).toBeDefined();
    for (const { path, param } of params.filter((p) => p.param.name === 'q'))
      expect(param.schema.maxLength, `${path} q`).toBeLessThanOrEqual(200);
  });

  it('refuses every documented numeric query parameter one above its maximum, naming it', async () => {
    const app = createApp({ db, env: readEnv({}) });
    const numeric = params.filter(
      (p) => p.param.in === 'query' && (p.param.schema.type === 'integer' || p.param.schema.type === 'number'),
    );
    for (const { path, param } of numeric) {
      if (path.includes('{')) continue; // path parameters: checked below with real values
      const res = await app.request(`${path}?${param.name}=${(param.schema.maximum as number) + 1}`);
      expect(res.status, `${path} ${param.name}`).toBe(400);
      const problem = (await res.json()) as { errors: { param: string }[] };
      expect(
        problem.errors.map((e) => e.param),
        `${path} ${param.name}`,
      ).toContain(param.name);
    }
  });

  it.each([
    ['/api/offers?limit=5001', 'limit'],
    ['/api/offers?offset=1000001', 'offset'],
    ['/api/offers?bbox=7,51,9,52', 'bbox'],
    ['/api/offers?bbox=7,51,7.1', 'bbox'],
    ['/api/offers/nearest?lon=7.4&lat=51.5&k=51', 'k'],
    ['/api/offers/nearest?lon=7.4&lat=51.5&max_m=20001', 'max_m'],
    ['/api/search?q=x&limit=21', 'limit'],
    [`/api/search?q=${'a'.repeat(101)}`, 'q'],
    [`/api/offers?q=${'a'.repeat(101)}`, 'q'],
    [`/api/offers?category=${'school,'.repeat(400)}school`, 'category'],
    ['/tiles/basemap/15/0/0.pbf', 'z'],
    ['/tiles/basemap/3/8/0.pbf', 'x'],
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
