import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../../server/app.ts';
import { readEnv } from '../../server/env.ts';
import { engines, freshDb } from '../support/db.ts';

/**
 * Issue #17, the embeddable map: only /embed may be framed, and only by the sites EMBED_ORIGINS names
 * (Content-Security-Policy frame-ancestors); without EMBED_ORIGINS nothing may be framed. Checked per route, on
 * every kind of answer (the page, the API, OGC, a missing file), in an empty database (the headers do not depend
 * on the data).
 */

const ROUTES = [
  '/',
  '/embed',
  '/embed/?indicator=residents&level=quarter',
  '/embedded',
  '/finder',
  '/council/022',
  '/api/areas?level=district',
  '/ogc',
  '/ogc/collections',
  '/assets/missing.js',
  '/health',
];
const isEmbed = (path: string) => /^\/embed\/?(\?|$)/.test(path);

function frameAncestors(res: Response): string[] {
  const csp = res.headers.get('content-security-policy') ?? '';
  const directive = csp
    .split(';')
    .map((d) => d.trim().split(/\s+/))
    .find((d) => d[0] === 'frame-ancestors');
  return directive?.slice(1) ?? [];
}

describe.each(engines)('frame-ancestors per route (%s)', (engine) => {
  let db: Awaited<ReturnType<typeof freshDb>>;
  beforeAll(async () => {
    db = await freshDb(engine);
  });
  afterAll(async () => {
    await db?.drop();
  });

  it('lets no site frame any page without EMBED_ORIGINS', async () => {
    const app = createApp({ db, env: readEnv({}) });
    for (const path of ROUTES) {
      const res = await app.request(path);
      expect(frameAncestors(res), path).toEqual(["'none'"]);
      expect(res.headers.get('x-frame-options'), path).toBe('DENY');
    }
  });

  it('lets the sites EMBED_ORIGINS names frame /embed, and nothing else', async () => {
    const origins = ['https://www.city.example', 'https://geoportal.example:8443'];
    const app = createApp({ db, env: readEnv({ EMBED_ORIGINS: `${origins[0]}/, ${origins[1]}` }) });
    for (const path of ROUTES) {
      const res = await app.request(path);
      if (isEmbed(path)) {
        expect(frameAncestors(res), path).toEqual(origins);
        expect(res.headers.get('x-frame-options'), path).toBeNull();
      } else {
        expect(frameAncestors(res), path).toEqual(["'none'"]);
        expect(res.headers.get('x-frame-options'), path).toBe('DENY');
      }
      // The rest of the policy is the same on every route.
      const others = (res.headers.get('content-security-policy') ?? '').replace(/frame-ancestors[^;]*/, '');
      expect(others, path).toContain("script-src 'self'");
    }
  });

  it('refuses EMBED_ORIGINS that are no origins', () => {
    for (const bad of ['*', 'https://city.example/path', 'city.example'])
      expect(() => readEnv({ EMBED_ORIGINS: bad }), bad).toThrow(/EMBED_ORIGINS/);
  });
});
