import { fileURLToPath } from 'node:url';
import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';
import { readEnv } from './server/env.ts';

const here = (path: string) => fileURLToPath(new URL(path, import.meta.url));

/** Paths the API server answers; in `vite dev` they go to it, everything else is the web app. */
const apiPaths = ['/api', '/tiles', '/health', '/ready'];

/**
 * MapLibre, deck.gl and their own dependencies: one chunk, loaded with the first page after the shell.
 * Only libraries here: a group takes the dependencies of what it captures along, so an app module
 * in it would drag modules the shell shares (React, config) into the map chunk and make it eager.
 */
const mapLibraries =
  /node_modules[\\/](maplibre-gl|@maplibre|@mapbox|@deck\.gl|@luma\.gl|@math\.gl|@loaders\.gl|@probe\.gl|mjolnir\.js|gl-matrix|earcut|kdbush|pbf|potpack|quickselect|tinyqueue|murmurhash-js)[\\/]/;

export default defineConfig(({ command }) => {
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
    plugins: [react()],
    build: {
      outDir: here('dist/web'),
      emptyOutDir: true,
      target: 'es2022',
      // The map chunk (maplibre + deck.gl) is large by nature; it is loaded lazily, on its own.
      chunkSizeWarningLimit: 2_000,
      rolldownOptions: {
        output: {
          codeSplitting: { groups: [{ name: 'map', test: mapLibraries, includeDependenciesRecursively: false }] },
        },
      },
    },
    server: { proxy },
    preview: { proxy },
  };
});
