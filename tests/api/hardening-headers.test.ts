import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../../server/app.ts';
import type { Db } from '../../server/db/index.ts';
import { readEnv } from '../../server/env.ts';
import { CONTENT_SECURITY_POLICY } from '../../server/http/security.ts';
import { realDb } from '../support/db.ts';

/**
 * Issue #9, headers and surface: every answer (data, errors, 404, the web app, tiles) carries the security
 * headers; the Content-Security-Policy allows no inline or foreign script; CORS is closed unless CORS_ORIGINS
 * names an origin, and then open to that origin only, read-only. Headers do not depend on the engine, so
 * this runs on PostgreSQL only.
 */

const root = join(import.meta.dirname, '../..');

/** Paths of every kind of answer: data, cached data, validation error, 404, health, readiness, web app, tiles. */
const PATHS = [
  '/health',
  '/ready',
  '/api/areas?level=district',
  '/api/areas/quarter/050',
  '/api/areas?level=nope',
  '/api/nothing-here',
  '/api/openapi.json',
  '/tiles/basemap/0/0/0.pbf',
  '/tiles/basemap/99/0/0.pbf',
  '/',
  '/finder',
];

function directives(csp: string): Map<string, string[]> {
  return new Map(
    csp
      .split(';')
      .map((d) => d.trim().split(/\s+/))
      .filter((d) => d[0])
      .map(([name, ...values]) => [name as string, values]),
  );
}

let db: Db;
beforeAll(async () => {
  db = await realDb('postgres');
});
afterAll(async () => {
  await db?.close();
});

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

  it.each(PATHS)('sends them on %s', async (path) => {
    const app = createApp({ db, env: readEnv({}) });
    const res = await app.request(path, { headers: { origin: 'https://elsewhere.example' } });
    expect(res.status).toBeLessThan(600);
    const h = res.headers;
    expect(h.get('content-security-policy')).toBe(CONTENT_SECURITY_POLICY);
    expect(h.get('x-content-type-options')).toBe('nosniff');
    expect(h.get('referrer-policy')).toBe('no-referrer');
    expect(h.get('x-frame-options')).toBe('DENY');
    expect(h.get('cross-origin-resource-policy')).toBe('same-origin');
    expect(h.get('cross-origin-opener-policy')).toBe('same-origin');
    expect(h.get('permissions-policy')).toMatch(/camera=\(\)/);
    expect(h.get('x-powered-by')).toBeNull();
    // CORS is closed: no other origin may read the answer.
    expect(h.get('access-control-allow-origin')).toBeNull();
    if (res.status >= 400 && path !== '/ready') expect(h.get('content-type')).toBe('application/problem+json');
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
