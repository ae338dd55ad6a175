import { stat } from 'node:fs/promises';
import { extname, join, normalize, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Hono } from 'hono';
import { COMPRESSIBLE_CONTENT_TYPE_REGEX } from 'hono/utils/compress';
import { getMimeType } from 'hono/utils/mime';
import { problemResponse } from '../http/problem.ts';
import { fileBodies, readIfExists, send } from '../http/representation.ts';

/** Where `vite build` writes the web app. */
export const WEB_DIST = fileURLToPath(new URL('../../dist/web', import.meta.url));

/** Paths the app itself answers: never the web app's, so an unknown one stays a problem+json 404. */
const SERVER_PATHS = /^\/(api|tiles)(\/|$)|^\/(health|ready)$/;

const IMMUTABLE = 'public, max-age=31536000, immutable';
const REVALIDATE = 'no-cache';
const STATIC_CACHE_BYTES = 32 * 1024 * 1024;

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
  const files = fileBodies(STATIC_CACHE_BYTES);

  async function load(file: string): Promise<{ key: string; bytes: () => Promise<Buffer | null> } | null> {
    try {
      const info = await stat(file);
      if (!info.isFile()) return null;
      // Keyed by modification time and size, so a rebuild is picked up without a restart.
      return { key: `${file}:${info.mtimeMs}:${info.size}`, bytes: () => readIfExists(file) };
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

    const servedFile = isPage ? 'index.html' : decoded;
    const contentType = getMimeType(servedFile) ?? 'application/octet-stream';
    const body = await files.get(target.key, target.bytes, {
      contentType,
      compressible: COMPRESSIBLE_CONTENT_TYPE_REGEX.test(contentType),
    });
    if (!body) return next();
    // The security headers, the Content-Security-Policy among them, are the same on every answer (http/security.ts).
    return send(c, body, servedFile.startsWith('/assets/') ? IMMUTABLE : REVALIDATE);
  });
}
