import { copyFile, link, readdir, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { brotliCompress, constants, gzip } from 'node:zlib';
import react from '@vitejs/plugin-react';
import { defineConfig, type Plugin } from 'vite';
import { readEnv } from './server/env.ts';

const here = (path: string) => fileURLToPath(new URL(path, import.meta.url));

/** Paths the API server answers; in `vite dev` they go to it, everything else is the web app. */
const apiPaths = ['/api', '/tiles', '/health', '/ready'];

/**
 * The map's libraries in two chunks, both loaded on demand (web/map/map-view.tsx): MapLibre, which paints the
 * basemap, and deck.gl, which draws the layers on it and may arrive after it. Only libraries here: a group takes
 * the dependencies of what it captures along, so an app module in it would drag modules the shell shares (React,
 * config) into the chunk and make it eager.
 */
const maplibreLibraries =
  /node_modules[\\/](maplibre-gl|@maplibre|@mapbox|pbf|potpack|quickselect|tinyqueue|murmurhash-js)[\\/]/;
const deckLibraries = /node_modules[\\/](@deck\.gl|@luma\.gl|@math\.gl|@loaders\.gl|@probe\.gl|mjolnir\.js)[\\/]/;
/** What both use, in a small chunk of its own, so that deck.gl's chunk does not need MapLibre's. */
const sharedMapLibraries = /node_modules[\\/](gl-matrix|earcut|kdbush|@mapbox[\\/]tiny-sdf)[\\/]/;

/** Files worth compressing: text. Fonts (woff2), images and the like are compressed already. */
const COMPRESSIBLE = /\.(html|js|mjs|css|svg|json|txt|webmanifest)$/;
/** A compressed form is written only when it is smaller than this share of the file. */
const PAYS = 0.95;
const brotliAsync = promisify(brotliCompress);
const gzipAsync = promisify(gzip);

async function filesUnder(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true });
  const nested = await Promise.all(
    entries.map((e) => (e.isDirectory() ? filesUnder(join(dir, e.name)) : Promise.resolve([join(dir, e.name)]))),
  );
  return nested.flat();
}

/**
 * Writes `name.br` (brotli, quality 11) and `name.gz` (gzip, level 9) beside every text file of the build, once,
 * at build time: server/routes/static.ts sends them as they are, to clients that take them.
 */
export async function precompress(dir: string): Promise<{ files: number; bytes: number; br: number; gzip: number }> {
  const total = { files: 0, bytes: 0, br: 0, gzip: 0 };
  const files = (await filesUnder(dir)).filter((f) => COMPRESSIBLE.test(f));
  await Promise.all(
    files.map(async (file) => {
      const bytes = await readFile(file);
      const [br, gz] = await Promise.all([
        brotliAsync(bytes, {
          params: {
            [constants.BROTLI_PARAM_QUALITY]: 11,
            [constants.BROTLI_PARAM_MODE]: constants.BROTLI_MODE_TEXT,
            [constants.BROTLI_PARAM_SIZE_HINT]: bytes.length,
          },
        }),
        gzipAsync(bytes, { level: 9 }),
      ]);
      total.files++;
      total.bytes += bytes.length;
      if (br.length < bytes.length * PAYS) {
        await writeFile(`${file}.br`, br);
        total.br += br.length;
      }
      if (gz.length < bytes.length * PAYS) {
        await writeFile(`${file}.gz`, gz);
        total.gzip += gz.length;
      }
    }),
  );
  return total;
}

/** Where the web app is served from (server/routes/static.ts). */
const WEB_DIST = here('dist/web');
/** Where `vite build` writes first: the finished build replaces dist/web in one rename (see `publish`). */
const STAGING = here(`dist/.web-build-${process.pid}`);
/** Hashed files of the build before, kept this long beside the new ones for pages loaded before the rename. */
const KEEP_OLD_ASSETS_MS = 60 * 60 * 1000;

/**
 * Puts a finished build in place of dist/web by renaming folders, so that a server (or a test) reading dist/web
 * meanwhile never finds it half written. The previous build's hashed files of the last hour stay beside the new
 * ones (hard links), so that a page loaded before can still fetch its lazily loaded chunks.
 */
async function publish(staging: string, target: string): Promise<void> {
  const assets = join(target, 'assets');
  const fresh = new Set(await readdir(join(staging, 'assets')).catch(() => []));
  const now = Date.now();
  for (const name of await readdir(assets).catch(() => [])) {
    if (fresh.has(name)) continue;
    const from = join(assets, name);
    const info = await stat(from).catch(() => null);
    if (!info?.isFile() || now - info.mtimeMs > KEEP_OLD_ASSETS_MS) continue;
    const to = join(staging, 'assets', name);
    await link(from, to).catch(() => copyFile(from, to).catch(() => {}));
  }
  const old = `${target}.old-${process.pid}`;
  await rename(target, old).catch((err: NodeJS.ErrnoException) => {
    if (err.code !== 'ENOENT') throw err;
  });
  await rename(staging, target);
  await rm(old, { recursive: true, force: true });
}

/**
 * The Vite plugin around `precompress`: runs after the build has been written, then (for a build into the staging
 * folder, the default) publishes it to dist/web. A build into another folder (`--outDir`) stays there.
 */
function precompressPlugin(): Plugin {
  let outDir = '';
  return {
    name: 'quartiersatlas:precompress',
    apply: 'build',
    configResolved(config) {
      outDir = config.build.outDir;
    },
    async buildEnd(error) {
      if (error && outDir === STAGING) await rm(STAGING, { recursive: true, force: true });
    },
    async closeBundle() {
      if (!(await stat(outDir).catch(() => null))) return;
      const { files, bytes, br } = await precompress(outDir);
      this.info(`precompressed ${files} files: ${Math.round(bytes / 1024)} kB, ${Math.round(br / 1024)} kB brotli`);
      if (outDir === STAGING) await publish(STAGING, WEB_DIST);
    },
  };
}

export default defineConfig(({ command }) => {
  // A build is for production whatever NODE_ENV the caller runs under: vitest sets `test`, which would otherwise
  // bundle React's development build (half as large again) into every page.
  if (command === 'build') process.env.NODE_ENV = 'production';
  let proxy: Record<string, string> | undefined;
  if (command === 'serve') {
    const env = readEnv();
    const host = env.HOST === '0.0.0.0' || env.HOST === '::' ? '127.0.0.1' : env.HOST;
    const target = `http://${host}:${env.PORT}`;
    proxy = Object.fromEntries(apiPaths.map((path) => [path, target]));
  }
  return {
    root: here('web'),
    publicDir: here('web/public'),
    plugins: [react(), precompressPlugin()],
    build: {
      outDir: command === 'build' ? STAGING : WEB_DIST,
      emptyOutDir: true,
      target: 'es2022',
      // The map chunk (maplibre + deck.gl) is large by nature; it is loaded lazily, on its own.
      chunkSizeWarningLimit: 2_000,
      rolldownOptions: {
        output: {
          codeSplitting: {
            groups: [
              { name: 'map-shared', test: sharedMapLibraries, includeDependenciesRecursively: false },
              { name: 'maplibre', test: maplibreLibraries, includeDependenciesRecursively: false },
              { name: 'deck', test: deckLibraries, includeDependenciesRecursively: false },
            ],
          },
        },
      },
    },
    server: { proxy },
    preview: { proxy },
  };
});
