/**
 * `npm start`: builds the web app when it is missing or older than its sources, brings the database up
 * (embedded unless DATABASE_URL is set), imports the data package when it is new or changed, and serves
 * API and web app on one port.
 */
import { spawn } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { runImport } from '../geodata/import.ts';
import { parseAhead } from '../geodata/parse-ahead.ts';
import { openDb } from '../server/db/index.ts';
import { migrate } from '../server/db/migrate.ts';
import { readEnv } from '../server/env.ts';
import { startServer } from '../server/server.ts';

function newest(dir: string): number {
  let t = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    t = Math.max(t, entry.isDirectory() ? newest(path) : statSync(path).mtimeMs);
  }
  return t;
}

/** Builds the web app in a child process when dist/web is missing or older than its sources. */
function buildWebIfStale(): Promise<void> {
  const built = 'dist/web/index.html';
  const sources = Math.max(newest('web'), statSync('vite.config.ts').mtimeMs);
  if (existsSync(built) && statSync(built).mtimeMs >= sources) return Promise.resolve();
  console.log('[start] building the web app while the database starts');
  const child = spawn(process.execPath, ['node_modules/vite/bin/vite.js', 'build', '--logLevel', 'warn'], {
    stdio: 'inherit',
  });
  return new Promise((done, fail) => {
    child.once('error', fail);
    child.once('exit', (code, signal) =>
      code === 0 ? done() : fail(new Error(`vite build ended with ${signal ?? `exit code ${code}`}`)),
    );
  });
}

const started = performance.now();
const seconds = (since: number) => `${((performance.now() - since) / 1000).toFixed(1)} s`;
const env = readEnv();
// The build runs beside the database's start and the import (PGlite computes on this thread; vite in its own).
const web = buildWebIfStale();
web.catch(() => {}); // awaited before serving
// A new embedded data folder keeps the main thread busy for a while (PGlite's first start, PostGIS): the package,
// which it will have to import, is read meanwhile in a worker thread.
const firstStart = !env.DATABASE_URL && (!existsSync(env.DATA_DIR) || readdirSync(env.DATA_DIR).length === 0);
const parsed = firstStart ? parseAhead(env.GEODATA_DIR, env.GEODATA_MANIFEST) : undefined;
parsed?.catch(() => {}); // the import reads the package itself when this fails
let t = performance.now();
const db = await openDb({
  databaseUrl: env.DATABASE_URL,
  dataDir: env.DATA_DIR,
  statementTimeoutMs: env.STATEMENT_TIMEOUT_MS,
});
await migrate(db);
console.log(
  `[start] database: ${db.engine === 'pglite' ? `embedded (${env.DATA_DIR}${firstStart ? ', a new data folder' : ''})` : 'PostgreSQL'}, opened in ${seconds(t)}`,
);
t = performance.now();
if (
  parsed &&
  (await parsed.then(
    () => true,
    () => false,
  ))
)
  console.log('[start] the package was read in a worker thread while the database started');
try {
  await runImport(db, { dir: env.GEODATA_DIR, manifestPath: env.GEODATA_MANIFEST, parsed });
} catch {
  console.error('[start] the import failed; serving the data imported before, if any');
}
console.log(`[start] import checked or done in ${seconds(t)}`);
t = performance.now();
await web;
if (performance.now() - t > 100) console.log(`[start] waited ${seconds(t)} for the web app's build`);
const server = await startServer({ db, env });
console.log(`[start] ready in ${seconds(started)}: ${server.url}`);

for (const signal of ['SIGINT', 'SIGTERM'] as const)
  process.once(signal, async () => {
    await server.close();
    await db.close();
    process.exit(0);
  });
