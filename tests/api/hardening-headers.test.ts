import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../../server/app.ts';
import { type Db, openDb } from '../../server/db/index.ts';
import { readEnv } from '../../server/env.ts';
import { CONTENT_SECURITY_POLICY } from '../../server/http/security.ts';
import { realDb, withDatabase } from '../support/db.ts';

/**
 * Issues #9 and #12, headers and surface: every kind of answer (200, 204, 304, 400, 404, 413, 503, HEAD and CORS
 * preflights, allowed and refused) carries the security headers SECURITY.md promises (promise 8); the
 * Content-Security-Policy allows no inline or foreign script; the Permissions-Policy allows geolocation to the site
 * itself only; CORS is closed unless CORS_ORIGINS names an origin, and then open to that origin only, read-only
 * (promise 9). Headers do not depend on the engine, so this suite runs once, on PostgreSQL.
 */

const root = join(import.meta.dirname, '../..');

function directives(csp: string): Map<string, string[]> {
  return new Map(
    csp
      .split(';')
      .map((d) => d.trim().split(/\s+/))
      .filter((d) => d[0])
      .map(([name, ...values]) => [name as string, values]),
  );
}

/** `geolocation=(self), camera=()` as a map of feature to allow list. */
function permissions(header: string | null): Map<string, string> {
  return new Map(
    (header ?? '')
      .split(',')
      .map((d) => d.trim().split('='))
      .filter((d) => d[0])
      .map(([name, value]) => [name as string, value ?? '']),
  );
}

/** The headers every answer must carry, whatever its status; CORS closed (no CORS_ORIGINS). */
function expectSecurityHeaders(res: Response, what: string): void {
  const h = res.headers;
  expect(h.get('content-security-policy'), what).toBe(CONTENT_SECURITY_POLICY);
  expect(h.get('x-content-type-options'), what).toBe('nosniff');
  expect(h.get('referrer-policy'), what).toBe('no-referrer');
  expect(h.get('x-frame-options'), what).toBe('DENY');
  expect(h.get('cross-origin-resource-policy'), what).toBe('same-origin');
  expect(h.get('cross-origin-opener-policy'), what).toBe('same-origin');
  const policy = permissions(h.get('permissions-policy'));
  // Geolocation for the finder's "near me", on the site itself and in no frame of another site.
  expect(policy.get('geolocation'), what).toBe('(self)');
  for (const feature of ['camera', 'microphone', 'payment', 'usb']) expect(policy.get(feature), what).toBe('()');
  expect(h.get('x-powered-by'), what).toBeNull();
  expect(h.get('access-control-allow-origin'), what).toBeNull();
  expect(h.get('access-control-allow-methods'), what).toBeNull();
}

let db: Db;
let quarter: string;
beforeAll(async () => {
  db = await realDb('postgres');
  const rows = await db.query<{ code: string }>(
    "SELECT code FROM atlas.area WHERE level = 'quarter' ORDER BY code LIMIT 1",
  );
  quarter = rows[0]?.code as string;
  expect(quarter).toBeTruthy();
});
afterAll(async () => {
  await db?.close();
});

const app = (vars: Record<string, string> = {}) => createApp({ db, env: readEnv(vars) });

/** The same request again with the ETag of the first answer: a 304. */
async function revalidated(path: string): Promise<Response> {
  const first = await app().request(path);
  expect(first.status, path).toBe(200);
  const etag = first.headers.get('etag');
  expect(etag, path).toBeTruthy();
  return app().request(path, { headers: { 'if-none-match': etag as string } });
}

/** A pool on the cluster that is closed: every query fails as with a database that is away. */
async function closedDb(): Promise<Db> {
  const closed = await openDb({ databaseUrl: withDatabase(process.env.TEST_DATABASE_URL as string, 'postgres') });
  await closed.close();
  return closed;
}

describe('security headers', () => {
  it('allows scripts and workers from the own origin only, no frames, MapLibre’s styles and images', () => {
    const d = directives(CONTENT_SECURITY_POLICY);
    expect(d.get('default-src')).toEqual(["'self'"]);
    expect(d.get('script-src')).toEqual(["'self'"]);
    expect(d.get('worker-src')).toEqual(["'self'", 'blob:']);
    expect(d.get('style-src')).toEqual(["'self'", "'unsafe-inline'"]);
    expect(d.get('img-src')).toEqual(["'self'", 'data:', 'blob:']);
    expect(d.get('connect-src')).toEqual(["'self'"]);
    expect(d.get('object-src')).toEqual(["'none'"]);
    expect(d.get('frame-ancestors')).toEqual(["'none'"]);
    expect(d.get('base-uri')).toEqual(["'self'"]);
    for (const [name, values] of d) {
      expect(values, name).not.toContain("'unsafe-eval'");
      expect(values, name).not.toContain('*');
      if (name !== 'style-src') expect(values, name).not.toContain("'unsafe-inline'");
    }
  });

  /** Each kind of answer, with the status it must have: a case whose status drifts no longer checks its kind. */
  const origin = { origin: 'https://elsewhere.example' };
  const cases: [string, number, () => Promise<Response> | Response][] = [
    ['200 data', 200, () => app().request('/api/areas?level=district', { headers: origin })],
    ['200 area', 200, () => app().request(`/api/areas/quarter/${quarter}`, { headers: origin })],
    ['200 health', 200, () => app().request('/health')],
    ['200 readiness', 200, () => app().request('/ready')],
    ['200 OpenAPI document', 200, () => app().request('/api/openapi.json')],
    ['200 web app page', 200, () => app().request('/finder')],
    ['200 basemap tile', 200, () => app().request('/tiles/basemap/0/0/0.pbf')],
    ['304 data', 304, () => revalidated('/api/areas?level=district')],
    ['304 basemap tile', 304, () => revalidated('/tiles/basemap/0/0/0.pbf')],
    ['304 web app page', 304, () => revalidated('/')],
    ['400 query', 400, () => app().request('/api/areas?level=nope', { headers: origin })],
    ['400 tile coordinate', 400, () => app().request('/tiles/basemap/99/0/0.pbf')],
    ['404 API path', 404, () => app().request('/api/nothing-here', { headers: origin })],
    ['404 area', 404, () => app().request(`/api/areas/quarter/${quarter}0`)],
    [
      '413 body',
      413,
      () =>
        app({ BODY_LIMIT_BYTES: '16' }).request('/api/areas?level=district', { method: 'POST', body: 'x'.repeat(64) }),
    ],
    [
      '503 data, database away',
      503,
      async () => createApp({ db: await closedDb(), env: readEnv({}) }).request('/api/areas?level=district'),
    ],
    [
      '503 readiness, database away',
      503,
      async () => createApp({ db: await closedDb(), env: readEnv({}) }).request('/ready'),
    ],
    ['HEAD data', 200, () => app().request('/api/areas?level=district', { method: 'HEAD', headers: origin })],
    ['HEAD web app page', 200, () => app().request('/', { method: 'HEAD' })],
    [
      'CORS preflight, refused',
      403,
      () =>
        app().request('/api/areas?level=district', {
          method: 'OPTIONS',
          headers: { ...origin, 'access-control-request-method': 'GET' },
        }),
    ],
    ['OPTIONS without preflight headers', 404, () => app().request('/api/areas?level=district', { method: 'OPTIONS' })],
  ];

  it.each(cases)('sends them on a %s answer', async (what, status, request) => {
    const res = await request();
    expect(res.status, what).toBe(status);
    expectSecurityHeaders(res, what);
    if (status >= 400 && !what.includes('readiness'))
      expect(res.headers.get('content-type'), what).toBe('application/problem+json');
    if (what.startsWith('HEAD') || status === 304) expect(await res.text(), what).toBe('');
    // A data endpoint asks the client to come back (promise 4); readiness is for the operator's probe.
    if (status === 503 && !what.includes('readiness')) expect(res.headers.get('retry-after'), what).toMatch(/^\d+$/);
  });

  it('sends them on an allowed CORS preflight and answer, with CORP cross-origin for the named origin', async () => {
    const open = createApp({ db, env: readEnv({ CORS_ORIGINS: 'https://atlas.example' }) });
    const pre = await open.request('/api/areas?level=district', {
      method: 'OPTIONS',
      headers: { origin: 'https://atlas.example', 'access-control-request-method': 'GET' },
    });
    const get = await open.request('/api/areas?level=district', { headers: { origin: 'https://atlas.example' } });
    for (const [what, res, status] of [
      ['preflight', pre, 204],
      ['answer', get, 200],
    ] as const) {
      expect(res.status, what).toBe(status);
      expect(res.headers.get('content-security-policy'), what).toBe(CONTENT_SECURITY_POLICY);
      expect(res.headers.get('x-content-type-options'), what).toBe('nosniff');
      expect(res.headers.get('x-frame-options'), what).toBe('DENY');
      expect(res.headers.get('referrer-policy'), what).toBe('no-referrer');
      expect(permissions(res.headers.get('permissions-policy')).get('geolocation'), what).toBe('(self)');
      expect(res.headers.get('cross-origin-resource-policy'), what).toBe('cross-origin');
      expect(res.headers.get('access-control-allow-origin'), what).toBe('https://atlas.example');
      expect(res.headers.get('x-powered-by'), what).toBeNull();
    }
  });

  it('serves a web app page that needs no inline script', () => {
    const pages = [join(root, 'web/index.html'), join(root, 'dist/web/index.html')].filter((f) => existsSync(f));
    expect(pages.length).toBeGreaterThan(0);
    for (const page of pages) {
      const html = readFileSync(page, 'utf8');
      const scripts = [...html.matchAll(/<script\b([^>]*)>([\s\S]*?)<\/script>/gi)];
      expect(scripts.length, page).toBeGreaterThan(0);
      for (const [tag, attrs, body] of scripts) {
        expect(attrs, `${page}: ${tag}`).toMatch(/\bsrc=/);
        expect(body?.trim(), `${page}: ${tag}`).toBe('');
      }
      // No inline event handlers (onload=, onclick=, …) and no javascript: URLs.
      expect(html, page).not.toMatch(/\son[a-z]+\s*=|javascript:/i);
      // Script and style files from the own origin only.
      for (const [, url] of html.matchAll(/\b(?:src|href)="([^"]+)"/g))
        expect(url, page).toMatch(/^(\/|\.\/|data:|#)|^[\w./-]+$/);
    }
  });
});

describe('CORS', () => {
  it('is closed without CORS_ORIGINS: no allow header, and a preflight is refused', async () => {
    const app = createApp({ db, env: readEnv({}) });
    const get = await app.request('/api/areas?level=district', { headers: { origin: 'https://atlas.example' } });
    expect(get.status).toBe(200);
    expect(get.headers.get('access-control-allow-origin')).toBeNull();
    const pre = await app.request('/api/areas?level=district', {
      method: 'OPTIONS',
      headers: { origin: 'https://atlas.example', 'access-control-request-method': 'GET' },
    });
    expect(pre.status).toBe(403);
    expect(pre.headers.get('content-type')).toBe('application/problem+json');
    expect(pre.headers.get('access-control-allow-origin')).toBeNull();
    expect(pre.headers.get('access-control-allow-methods')).toBeNull();
  });

  it('opens read-only to the origins CORS_ORIGINS names, and to no other', async () => {
    const app = createApp({ db, env: readEnv({ CORS_ORIGINS: 'https://atlas.example, https://rat.example/' }) });
    for (const origin of ['https://atlas.example', 'https://rat.example']) {
      const res = await app.request('/api/areas?level=district', { headers: { origin } });
      expect(res.status).toBe(200);
      expect(res.headers.get('access-control-allow-origin')).toBe(origin);
      expect(res.headers.get('access-control-allow-credentials')).toBeNull();
      expect(res.headers.get('access-control-expose-headers')).toMatch(/ETag/);
      expect(res.headers.get('vary')).toMatch(/Origin/);
      expect(res.headers.get('cross-origin-resource-policy')).toBe('cross-origin');
    }
    const pre = await app.request('/api/offers', {
      method: 'OPTIONS',
      headers: { origin: 'https://atlas.example', 'access-control-request-method': 'GET' },
    });
    expect(pre.status).toBe(204);
    expect(pre.headers.get('access-control-allow-origin')).toBe('https://atlas.example');
    expect(pre.headers.get('access-control-allow-methods')).toBe('GET, HEAD');

    for (const origin of [
      'https://evil.example',
      'null',
      'https://atlas.example.evil.example',
      'http://atlas.example',
    ]) {
      const res = await app.request('/api/areas?level=district', { headers: { origin } });
      expect(res.headers.get('access-control-allow-origin'), origin).toBeNull();
      const refused = await app.request('/api/offers', {
        method: 'OPTIONS',
        headers: { origin, 'access-control-request-method': 'GET' },
      });
      expect(refused.status, origin).toBe(403);
      expect(refused.headers.get('access-control-allow-origin'), origin).toBeNull();
    }
  });

  it('refuses a CORS_ORIGINS that is not a list of origins', () => {
    for (const bad of ['*', 'https://atlas.example/path', 'atlas.example', 'https://*.example'])
      expect(() => readEnv({ CORS_ORIGINS: bad }), bad).toThrow(/CORS_ORIGINS/);
    expect(readEnv({ CORS_ORIGINS: 'https://a.example,http://localhost:5173' }).CORS_ORIGINS).toBeTruthy();
  });
});
