import { createHash } from 'node:crypto';
import { stat } from 'node:fs/promises';
import { extname, join, normalize, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Hono } from 'hono';
import { COMPRESSIBLE_CONTENT_TYPE_REGEX } from 'hono/utils/compress';
import { getMimeType } from 'hono/utils/mime';
import { newLru } from '../db/data-version.ts';
import { problemResponse } from '../http/problem.ts';
import { type Bytes, type Representation, readIfExists, represent, send, sizeOf } from '../http/representation.ts';

/** Where `vite build` writes the web app. */
export const WEB_DIST = fileURLToPath(new URL('../../dist/web', import.meta.url));

/** Paths the app itself answers: never the web app's, so an unknown one stays a problem+json 404. */
const SERVER_PATHS = /^\/(api|tiles|ogc)(\/|$)|^\/(health|ready)$/;

const IMMUTABLE = 'public, max-age=31536000, immutable';
const REVALIDATE = 'no-cache';
const STATIC_CACHE_BYTES = 32 * 1024 * 1024;

export interface StaticOptions {
  /** The built web app; defaults to dist/web of this repository. */
  root?: string;
}

/**
 * A file of the build with the brotli and gzip forms `vite build` wrote beside it (`name.br`, `name.gz`, see
 * vite.config.ts), as they are; a file without them (a build without the plugin) is compressed here, once.
 * Fonts and images are sent as they are.
 */
async function fileRepresentation(file: string, contentType: string): Promise<Representation | null> {
  const compressible = COMPRESSIBLE_CONTENT_TYPE_REGEX.test(contentType);
  const [identity, br, gzip] = await Promise.all([
    readIfExists(file),
    compressible ? readIfExists(`${file}.br`) : null,
    compressible ? readIfExists(`${file}.gz`) : null,
  ]);
  if (!identity) return null;
  if (compressible && !br && !gzip) return represent(identity, { contentType });
  const tag = createHash('sha256').update(identity).digest('hex').slice(0, 16);
  const own = (b: Buffer | null): Bytes | null => (b ? new Uint8Array(b) : null);
  return { tag, contentType, identity: new Uint8Array(identity), br: own(br), gzip: own(gzip) };
}

/**
 * The built web app: hashed files under /assets/ are cached for good, everything else revalidates; each in the
 * coding the client takes best (brotli, gzip, else as it is), with Vary: Accept-Encoding. HEAD answers as GET does.
 * A path without a file extension that is no file is a page of the single-page app and gets
 * index.html (/, /finder, /council and unknown pages, which the app answers with its own "not found").
 * Mount it last: it passes API paths on, and a missing file with an extension, to the app's 404.
 */
export function staticRoutes({ root = WEB_DIST }: StaticOptions = {}) {
  const base = normalize(root + sep);
  const files = newLru<Representation>(STATIC_CACHE_BYTES, undefined, sizeOf);

  async function load(file: string): Promise<{ key: string; file: string } | null> {
    try {
      const info = await stat(file);
      if (!info.isFile()) return null;
      // Keyed by modification time and size, so a rebuild is picked up without a restart.
      return { key: `${file}:${info.mtimeMs}:${info.size}`, file };
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
    const body = await files.fetch(target.key, {
      context: async () => (await fileRepresentation(target.file, contentType)) ?? undefined,
    });
    if (!body) return next();
    // The security headers, the Content-Security-Policy among them, are the same on every answer (http/security.ts).
    return send(c, body, servedFile.startsWith('/assets/') ? IMMUTABLE : REVALIDATE);
  });
}
