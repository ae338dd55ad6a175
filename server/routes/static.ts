import { readFile, stat } from 'node:fs/promises';
import { extname, join, normalize, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Hono } from 'hono';
import { getMimeType } from 'hono/utils/mime';
import { problemResponse } from '../http/problem.ts';
import { BodyCache, sendBody } from './tiles.ts';

/** Where `vite build` writes the web app. */
export const WEB_DIST = fileURLToPath(new URL('../../dist/web', import.meta.url));

/** Paths the app itself answers: never the web app's, so an unknown one stays a problem+json 404. */
const SERVER_PATHS = /^\/(api|tiles)(\/|$)|^\/(health|ready)$/;

const IMMUTABLE = 'public, max-age=31536000, immutable';
const REVALIDATE = 'no-cache';
const STATIC_CACHE_BYTES = 32 * 1024 * 1024;

/**
 * Served with the app's HTML: scripts, workers, styles, fonts, images and requests stay on our
 * origin. Inline styles are allowed, since MapLibre and deck.gl set element styles.
 */
export const CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "script-src 'self'",
  "worker-src 'self' blob:",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data: blob:",
  "font-src 'self' data:",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'self'",
  "frame-ancestors 'self'",
].join('; ');

export interface StaticOptions {
  /** The built web app; defaults to dist/web of this repository. */
  root?: string;
}

/**
 * The built web app: hashed files under /assets/ are cached for good, everything else revalidates.
 * A path without a file extension that is no file is a page of the single-page app and gets
 * index.html (/, /finder, /council and unknown pages, which the app answers with its own "not found").
 * Mount it last: it passes API paths on, and a missing file with an extension, to the app's 404.
 */
export function staticRoutes({ root = WEB_DIST }: StaticOptions = {}) {
  const base = normalize(root + sep);
  const cache = new BodyCache(STATIC_CACHE_BYTES);

  async function load(file: string): Promise<{ key: string; bytes: () => Promise<Buffer | null> } | null> {
    try {
      const info = await stat(file);
      if (!info.isFile()) return null;
      // Keyed by modification time and size, so a rebuild is picked up without a restart.
      return { key: `${file}:${info.mtimeMs}:${info.size}`, bytes: () => readFile(file) };
    } catch {
      return null;
    }
  }

  return new Hono().get('*', async (c, next) => {
    const path = c.req.path;
    if (SERVER_PATHS.test(path)) return next();

    let decoded: string;
    try {
      decoded = decodeURIComponent(path);
    } catch {
      return next();
    }
    const file = normalize(join(base, decoded));
    if (!file.startsWith(base) || decoded.includes('\0')) return next();

    const isPage = extname(decoded) === '';
    const target = (isPage ? null : await load(file)) ?? (isPage ? await load(join(base, 'index.html')) : null);
    if (!target) {
      if (!isPage) return next();
      return problemResponse(c, {
        title: 'Web app not built',
        status: 503,
        detail: `No index.html in ${root}: run \`npm run build\` first.`,
      });
    }

    const body = await cache.get(target.key, target.bytes);
    if (!body) return next();
    const servedFile = isPage ? 'index.html' : decoded;
    const headers: Record<string, string> = {
      'content-type': getMimeType(servedFile) ?? 'application/octet-stream',
      'cache-control': servedFile.startsWith('/assets/') ? IMMUTABLE : REVALIDATE,
      'x-content-type-options': 'nosniff',
    };
    if (isPage || servedFile.endsWith('.html')) {
      headers['content-security-policy'] = CONTENT_SECURITY_POLICY;
      headers['referrer-policy'] = 'strict-origin-when-cross-origin';
    }
    return sendBody(c, body, headers);
  });
}
