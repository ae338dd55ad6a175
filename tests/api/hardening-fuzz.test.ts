import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../../server/app.ts';
import type { Db } from '../../server/db/index.ts';
import { readEnv } from '../../server/env.ts';
import { cases } from '../support/cases.ts';
import { type Engine, packageEngines, realDb } from '../support/db.ts';

/**
 * Issue #9, generated bad input against every public endpoint: the routes and their parameters come from
 * the app itself (its OpenAPI document, and its route table for anything undocumented). Each generated
 * request mixes plausible values (enums, numbers at and beyond their bounds, lists, bounding boxes, codes
 * of the pattern) with hostile ones (long, control characters, broken percent-encoding, injection text,
 * repeated and unknown parameters, odd methods and headers), in-process through app.request().
 * Every answer is below 500; every error is application/problem+json whose `param` names a parameter the
 * request had (or the route documents); no answer shows a stack trace or a file path.
 */

/**
 * Generated requests per engine, 10,000 in all at the full HARDENING_SCALE (PostgreSQL answers about three times
 * as fast in-process, so it gets more of them).
 */
const RUNS: Record<Engine, number> = { postgres: cases(7_000), pglite: cases(3_000) };

interface JsonSchema {
  type?: string;
  enum?: unknown[];
  minimum?: number;
  maximum?: number;
  pattern?: string;
  maxLength?: number;
}
interface Param {
  name: string;
  in: 'query' | 'path';
  required: boolean;
  description?: string;
  schema: JsonSchema;
}
interface Route {
  /** Hono form: /api/areas/:level/:code */
  path: string;
  params: Param[];
  /** Not in the OpenAPI document: its parameter names are not known, only that the problem names one. */
  undocumented?: boolean;
}

const HOSTILE = [
  '',
  ' ',
  '-1',
  '0',
  '-0',
  'NaN',
  'Infinity',
  '-Infinity',
  '1e309',
  '1e-400',
  '0x10',
  '1_000',
  '١٢',
  '1,2',
  '7,51',
  '1.5.5',
  '+',
  '.',
  "'; DROP TABLE atlas.area; --",
  "' OR '1'='1",
  '$1',
  '%',
  '%25',
  '%00',
  '\u0000',
  '\u202e',
  '\ud800',
  '<script>alert(1)</script>',
  '../../etc/passwd',
  '..%2F..%2Fetc%2Fpasswd',
  'null',
  'undefined',
  '[]',
  '{}',
  'true',
  '__proto__',
  'constructor',
];

const hostile: fc.Arbitrary<string> = fc.oneof(
  fc.constantFrom(...HOSTILE),
  fc.string({ maxLength: 30 }),
  fc.string({ unit: 'grapheme', maxLength: 30 }),
  fc.string({ unit: 'binary', maxLength: 30 }),
  fc.string({ minLength: 500, maxLength: 5_000, unit: 'grapheme-ascii' }),
);

/** City of the real package: Dortmund, about 7.3–7.65 E, 51.4–51.6 N. */
const lon = fc.double({ min: 7.2, max: 7.8, noNaN: true });
const lat = fc.double({ min: 51.3, max: 51.7, noNaN: true });
const anyDegree = fc.double({ min: -200, max: 200, noNaN: true });

function plausible(p: Param): fc.Arbitrary<string>[] {
  const s = p.schema;
  const out: fc.Arbitrary<string>[] = [];
  if (s.enum?.length) out.push(fc.constantFrom(...s.enum.map(String)));
  if (s.type === 'integer' || s.type === 'number') {
    const min = s.minimum ?? -1e6;
    const max = s.maximum ?? 1e6;
    out.push(fc.integer({ min: Math.ceil(min), max: Math.floor(max) }).map(String));
    out.push(fc.constantFrom(min, max, min - 1, max + 1, min - 0.5, max + 0.5, max * 10).map(String));
    if (s.type === 'number') out.push(fc.double({ min, max, noNaN: true }).map(String));
    if (p.name === 'lon') out.push(lon.map(String));
    if (p.name === 'lat') out.push(lat.map(String));
  }
  const list = /any of: ([^.]+)\./.exec(p.description ?? '')?.[1];
  if (list) {
    const values = list.split(',').map((v) => v.trim());
    out.push(fc.uniqueArray(fc.constantFrom(...values), { minLength: 1, maxLength: 4 }).map((a) => a.join(',')));
    out.push(
      fc.array(fc.oneof(fc.constantFrom(...values), hostile), { minLength: 1, maxLength: 4 }).map((a) => a.join(',')),
    );
  }
  if (p.name === 'bbox') {
    out.push(fc.tuple(lon, lat, lon, lat).map((b) => b.join(',')));
    out.push(fc.tuple(anyDegree, anyDegree, anyDegree, anyDegree).map((b) => b.join(',')));
    out.push(fc.array(fc.oneof(anyDegree.map(String), hostile), { maxLength: 6 }).map((b) => b.join(',')));
  }
  if (p.name === 'code')
    out.push(fc.constantFrom('01', '05', '12', '010', '050', '670', '022', '021', 'meylantviertel'));
  if (p.name === 'z' || p.name === 'x') out.push(fc.integer({ min: 0, max: 20 }).map(String));
  if (p.name === 'file')
    out.push(
      fc
        .tuple(fc.integer({ min: 0, max: 20_000 }), fc.constantFrom('.pbf', '', '.png'))
        .map(([y, ext]) => `${y}${ext}`),
    );
  if (p.name === 'id') out.push(fc.constantFrom('school-100001', 'kita-1', 'osm-node-1', 'school-0'));
  if (s.type === 'string' && !s.enum && !list && p.name !== 'bbox') {
    out.push(fc.constantFrom('markt', 'Friedensplatz 1', 'friedenspl.1', 'kita', 'Hörde', 'straße', 'ß', 'a'));
  }
  if (s.pattern) {
    try {
      out.push(fc.stringMatching(new RegExp(s.pattern)));
    } catch {}
  }
  return out;
}

function value(p: Param): fc.Arbitrary<string> {
  const good = plausible(p);
  return good.length
    ? fc.oneof({ weight: 3, arbitrary: fc.oneof(...good) }, { weight: 2, arbitrary: hostile })
    : hostile;
}

/** Encodes like a browser does, or leaves characters raw (as a hand-written URL or a hostile client would). */
const encoders = [
  encodeURIComponent,
  (v: string) => encodeURI(v).replace(/[&#?=]/g, encodeURIComponent),
  (v: string) => v.replace(/[&#?=\s%/]/g, (c) => `%${c.charCodeAt(0).toString(16).padStart(2, '0')}`),
];
/** Lone surrogates replaced by U+FFFD, as String.prototype.toWellFormed does (ES2024). */
const wellFormed = (v: string) =>
  v.replace(/[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g, '\ufffd');

const encode = (v: string, how: number) => {
  try {
    return (encoders[how] ?? encodeURIComponent)(v);
  } catch {
    // encodeURI throws on a lone surrogate; a client would send the replacement character.
    return encodeURIComponent(wellFormed(v));
  }
};

interface Generated {
  method: string;
  url: string;
  headers: Record<string, string>;
  /** Parameter names the request carries (as sent and decoded). */
  names: string[];
}

const RAW_TAILS = ['&', '&&', '&=', '&%', '&%zz=1', '&q', '#frag', '&a=%E0%A4%A', '&%C0%AE=1', '&x=%ZZ', '&;', '&[]=1'];

function request(route: Route): fc.Arbitrary<Generated> {
  const pathParams = route.params.filter((p) => p.in === 'path');
  const queryParams = route.params.filter((p) => p.in === 'query');
  return fc
    .record({
      path: fc.tuple(...pathParams.map(value), fc.nat(2)),
      query: fc.tuple(
        ...queryParams.map((p) =>
          fc.option(value(p), { freq: p.required ? 10 : 2, nil: undefined }).map((v) => [p.name, v] as const),
        ),
      ),
      encoding: fc.nat(2),
      unknown: fc.option(
        fc.tuple(
          fc.oneof(
            fc.constantFrom('foo', 'LEVEL', 'level ', 'k[]', '__proto__'),
            fc.string({ minLength: 1, maxLength: 12 }),
          ),
          hostile,
        ),
        {
          freq: 6,
          nil: undefined,
        },
      ),
      repeat: fc.option(fc.nat(), { freq: 8, nil: undefined }),
      tail: fc.option(fc.constantFrom(...RAW_TAILS), { freq: 8, nil: undefined }),
      shuffle: fc.boolean(),
      method: fc.constantFrom(
        ...['GET', 'GET', 'GET', 'GET', 'GET', 'GET', 'GET', 'GET', 'HEAD', 'POST', 'OPTIONS', 'DELETE'],
      ),
      acceptEncoding: fc.constantFrom(
        '',
        'gzip',
        'br',
        'gzip, br',
        'br;q=0, gzip;q=0',
        '*',
        'identity;q=0, *;q=0',
        'x'.repeat(200),
      ),
      ifNoneMatch: fc.option(fc.oneof(fc.constantFrom('*', '""', 'W/"x"', '"a", "b"'), hostile), {
        freq: 6,
        nil: undefined,
      }),
      origin: fc.option(fc.constantFrom('https://evil.example', 'null', 'http://127.0.0.1'), {
        freq: 8,
        nil: undefined,
      }),
    })
    .map((g) => {
      const values = g.path.slice(0, pathParams.length) as string[];
      const how = g.path[pathParams.length] as number;
      let i = 0;
      const path = route.path.replace(/:[A-Za-z0-9_]+/g, () => encode(values[i++] ?? '', how) || '%20');
      const pairs: [string, string][] = g.query.filter((q) => q[1] !== undefined) as [string, string][];
      if (g.unknown) pairs.push(g.unknown);
      if (g.repeat !== undefined && pairs.length) pairs.push(pairs[g.repeat % pairs.length] as [string, string]);
      if (g.shuffle) pairs.reverse();
      const query = pairs.map(([k, v]) => `${encode(k, g.encoding)}=${encode(v, g.encoding)}`).join('&');
      const url = `${path}${query || g.tail ? '?' : ''}${query}${g.tail ?? ''}`;
      const headers: Record<string, string> = {};
      if (g.acceptEncoding) headers['accept-encoding'] = g.acceptEncoding;
      if (g.ifNoneMatch !== undefined) headers['if-none-match'] = g.ifNoneMatch.replace(/[^\x20-\x7e]/g, '?'); // what HTTP can carry;
      if (g.origin) headers.origin = g.origin;
      if (g.method === 'OPTIONS' && g.origin) headers['access-control-request-method'] = 'GET';
      const names = [...pairs.map(([k]) => k), ...rawNames(url)];
      return { method: g.method, url, headers, names };
    });
}

/** The parameter names in a URL's query, raw and decoded as far as they decode. */
function rawNames(url: string): string[] {
  const q = url.split('?')[1]?.split('#')[0] ?? '';
  return q.split('&').flatMap((part) => {
    const raw = part.split('=')[0] ?? '';
    let decoded = raw;
    try {
      decoded = decodeURIComponent(raw.replace(/\+/g, ' '));
    } catch {}
    return [raw, decoded];
  });
}

const STACK_OR_PATH = /\bat [\w$.<>]+ \(|node_modules|\/work\/|file:\/\/|\.ts:\d+|ECONN|SQLSTATE|syntax error at/;

async function check(app: ReturnType<typeof createApp>, route: Route, req: Generated): Promise<void> {
  let res: Response;
  try {
    res = await app.request(req.url, {
      method: req.method,
      headers: req.headers,
      body: req.method === 'POST' ? 'x=1' : undefined,
    });
  } catch (err) {
    throw new Error(`${req.method} ${req.url}: the app threw ${(err as Error).message}`);
  }
  const where = `${req.method} ${req.url}`;
  const text = req.method === 'HEAD' ? '' : await res.text();
  // Dot segments in a path parameter take the URL out of the API (the client resolves them): the web app's
  // page fallback answers, with 503 where the web app is not built (as in a test run without `vite build`).
  const escaped = !/^\/(api|tiles)\//.test(new URL(req.url, 'http://x').pathname);
  if (escaped && res.status === 503 && /Web app not built/.test(text)) return;
  if (res.status >= 500) throw new Error(`${where}: ${res.status} ${text.slice(0, 300)}`);
  if (STACK_OR_PATH.test(text)) throw new Error(`${where}: internals in the answer: ${text.slice(0, 300)}`);
  if (res.status >= 400) {
    expect(res.headers.get('content-type'), where).toBe('application/problem+json');
    if (req.method === 'HEAD') return;
    const problem = JSON.parse(text) as { status: number; title: string; param?: string };
    expect(problem.status, where).toBe(res.status);
    expect(typeof problem.title, where).toBe('string');
    if (res.status === 400) {
      const known = new Set([...req.names, ...route.params.map((p) => p.name), '(query)']);
      const named = typeof problem.param === 'string' && problem.param.length > 0;
      if (!named || (!route.undocumented && !known.has(problem.param as string)))
        throw new Error(`${where}: the problem names "${problem.param}", not a parameter of the request: ${text}`);
    }
  } else if (res.status === 200 && req.method === 'GET' && /json/.test(res.headers.get('content-type') ?? '')) {
    if (!res.headers.get('content-encoding')) JSON.parse(text);
  }
}

/** Every API route: documented ones with their parameters, undocumented GET routes of the app without. */
async function routesOf(app: ReturnType<typeof createApp>): Promise<Route[]> {
  const doc = (await (await app.request('/api/openapi.json')).json()) as {
    paths: Record<string, Record<string, { parameters?: Param[] }>>;
  };
  const documented: Route[] = Object.entries(doc.paths).flatMap(([path, ops]) =>
    Object.values(ops).map((op) => ({ path: path.replace(/\{(\w+)\}/g, ':$1'), params: op.parameters ?? [] })),
  );
  const known = new Set(documented.map((r) => r.path));
  const undocumented = app.routes
    .filter((r) => r.method === 'GET' && /^\/(api|tiles)\//.test(r.path) && !known.has(r.path.replace(/\/$/, '')))
    .map((r) => ({
      undocumented: true,
      path: r.path.replace(/\/$/, '').replace(/\*$/, 'x'),
      params: [...r.path.matchAll(/:(\w+)/g)].map(
        (m): Param => ({ name: m[1] as string, in: 'path', required: true, schema: { type: 'string' } }),
      ),
    }));
  const seen = new Set<string>();
  return [...documented, ...undocumented].filter((r) => !seen.has(r.path) && seen.add(r.path));
}

describe.each(packageEngines)('generated requests to every endpoint on %s', (engine: Engine) => {
  let db: Db;
  let app: ReturnType<typeof createApp>;
  let routes: Route[];
  const rejections: unknown[] = [];
  const onRejection = (err: unknown) => rejections.push(err);

  beforeAll(async () => {
    process.on('unhandledRejection', onRejection);
    db = await realDb(engine);
    app = createApp({ db, env: readEnv({}) });
    routes = await routesOf(app);
  });
  afterAll(async () => {
    process.off('unhandledRejection', onRejection);
    await db?.close();
  });

  it('finds the API routes in the OpenAPI document', () => {
    const paths = routes.map((r) => r.path);
    expect(paths).toEqual(
      expect.arrayContaining(['/api/areas', '/api/areas/:level/:code', '/api/offers/nearest', '/api/search']),
    );
  });

  it(`answers ${RUNS[engine]} generated requests without a 5xx, each error a problem naming its parameter`, async () => {
    const weights = routes.map((r) => 1 + r.params.length);
    const total = weights.reduce((a, b) => a + b, 0);
    const started = performance.now();
    let sent = 0;
    const perRoute: string[] = [];
    for (const [i, route] of routes.entries()) {
      const numRuns = Math.max(cases(50), Math.ceil((RUNS[engine] * (weights[i] as number)) / total));
      const before = performance.now();
      await fc.assert(
        fc.asyncProperty(request(route), async (req) => {
          sent++;
          await check(app, route, req);
        }),
        { numRuns, endOnFailure: true },
      );
      perRoute.push(`${route.path} ${numRuns} in ${((performance.now() - before) / 1000).toFixed(1)} s`);
    }
    // Work a request started may still be running when its answer is back (a timed-out query): let it settle.
    await new Promise((r) => setTimeout(r, 50));
    const seconds = (performance.now() - started) / 1000;
    console.log(
      `[fuzz ${engine}] ${sent} requests over ${routes.length} routes in ${seconds.toFixed(1)} s: ${perRoute.join('; ')}`,
    );
    expect(sent).toBeGreaterThanOrEqual(RUNS[engine]);
    expect(rejections).toEqual([]);
  });
});
