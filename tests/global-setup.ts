import { fork } from 'node:child_process';
import { existsSync, rmSync } from 'node:fs';
import { join, resolve } from 'node:path';
import pg from 'pg';
import type { TestProject } from 'vitest/node';
import { openDb } from '../server/db/index.ts';
import { ensureWebBuild } from './support/browser.ts';
import { REAL_DATABASE, withDatabase } from './support/db.ts';
import { loadPackage, type PgliteSnapshots } from './support/kept-pglite.ts';

/**
 * Prepares what a tier's test files share, before any of them runs (vitest.config.ts names the tiers):
 * - api (the fixtures alone): a PGlite data folder, migrated and empty, for freshDb;
 * - package and hardening: that, and the real data package imported into the database atlas_real on the
 *   TEST_DATABASE_URL cluster (scripts/test.sh starts one) and into a PGlite folder, for realDb;
 * - e2e: the real package in PostgreSQL (the pages are served from it), and the web app built (dist/web).
 * Only the engines TEST_ENGINES names (default both). Vitest calls this once per tier of the run, one after
 * another: the work is shared between the tiers (kept on globalThis of the main process), so the import runs once
 * however many tiers need it; in the whole run (TEST_FULL_RUN=1) the first call starts all of it side by side.
 */
const NEEDS: Record<string, { pglite: 'empty' | 'real' | null; postgres: boolean; web: boolean }> = {
  api: { pglite: 'empty', postgres: false, web: false },
  package: { pglite: 'real', postgres: true, web: false },
  hardening: { pglite: 'real', postgres: true, web: false },
  // e2e: the editors' page (tests/e2e/editor.test.ts) uploads, so it writes to a private PGlite copy of the package.
  e2e: { pglite: 'real', postgres: true, web: true },
};

const root = resolve(import.meta.dirname, '..');

interface Shared {
  pglite?: { real: boolean; ready: Promise<PgliteSnapshots> };
  postgres?: Promise<void>;
  web?: Promise<void>;
  /** Tiers set up and not yet torn down, and the snapshot folders they were given. */
  tiers: number;
  snapshots: Set<string>;
}
const holder = globalThis as { atlasTestSetup?: Shared };
holder.atlasTestSetup ??= { tiers: 0, snapshots: new Set() };
const shared: Shared = holder.atlasTestSetup;

/** What every tier together needs: the whole run (scripts/test.sh without arguments) prepares it all at once. */
const ALL: (typeof NEEDS)[string] = { pglite: 'real', postgres: true, web: true };

export default async function setup(project: TestProject) {
  const needs = process.env.TEST_FULL_RUN === '1' ? ALL : (NEEDS[project.name] ?? ALL);
  const engines = (process.env.TEST_ENGINES ?? 'pglite,postgres').split(',').map((e) => e.trim());
  const pglite = engines.includes('pglite') ? needs.pglite : null;
  const postgres = engines.includes('postgres') && needs.postgres;
  const adminUrl = process.env.TEST_DATABASE_URL;
  if (engines.includes('postgres') && !adminUrl) {
    throw new Error(
      'TEST_DATABASE_URL is not set. Run the tests with `npm test` (scripts/test.sh): it starts the throw-away ' +
        'PostgreSQL cluster the tests need, and passes its arguments on to vitest (`npm test -- tests/api`).',
    );
  }
  const dir = resolve(root, process.env.GEODATA_DIR ?? '../shared/geodata');
  if ((pglite === 'real' || postgres) && !existsSync(dir)) {
    throw new Error(`The data package ${dir} does not exist: set GEODATA_DIR to its folder`);
  }

  if (pglite && (!shared.pglite || (pglite === 'real' && !shared.pglite.real))) {
    const real = pglite === 'real';
    shared.pglite = { real, ready: timed('pglite', () => preparePgliteInChild(real ? dir : undefined)) };
  }
  if (postgres && adminUrl) shared.postgres ??= timed('postgres', () => importPostgres(adminUrl, dir));
  if (needs.web) shared.web ??= timed('web app', ensureWebBuild);

  const [pgliteResult, ...others] = await Promise.allSettled([
    pglite ? shared.pglite?.ready : undefined,
    postgres ? shared.postgres : undefined,
    needs.web ? shared.web : undefined,
  ]);
  for (const result of [pgliteResult, ...others]) if (result.status === 'rejected') throw result.reason;

  const snapshots = pgliteResult.status === 'fulfilled' ? pgliteResult.value : undefined;
  if (snapshots) {
    project.provide('pgliteEmptyDir', snapshots.empty);
    if (snapshots.real) project.provide('pgliteRealDir', snapshots.real);
    for (const folder of Object.values(snapshots)) shared.snapshots.add(folder);
  }
  shared.tiers++;
  return () => {
    // The snapshots go with the last tier of the run.
    if (--shared.tiers > 0) return;
    for (const folder of shared.snapshots) rmSync(folder, { recursive: true, force: true });
    shared.snapshots.clear();
  };
}

async function timed<T>(engine: string, fn: () => Promise<T>): Promise<T> {
  const start = performance.now();
  const seconds = () => ((performance.now() - start) / 1000).toFixed(1);
  try {
    const result = await fn();
    console.log(`[${engine}] ready after ${seconds()} s`);
    return result;
  } catch (err) {
    console.error(`[${engine}] failed after ${seconds()} s: ${(err as Error).message}`);
    throw err;
  }
}

async function importPostgres(adminUrl: string, dir: string): Promise<void> {
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  try {
    const found = await admin.query('SELECT 1 FROM pg_database WHERE datname = $1', [REAL_DATABASE]);
    if (!found.rowCount) await admin.query(`CREATE DATABASE ${REAL_DATABASE}`);
  } finally {
    await admin.end();
  }
  const db = await openDb({ databaseUrl: withDatabase(adminUrl, REAL_DATABASE), statementTimeoutMs: 600_000 });
  try {
    await loadPackage(db, dir);
  } finally {
    await db.close();
  }
}

/** Runs tests/support/kept-pglite.ts in a child process and resolves with its answer. */
function preparePgliteInChild(dir: string | undefined): Promise<PgliteSnapshots> {
  return new Promise((done, fail) => {
    const child = fork(join(root, 'tests/support/kept-pglite.ts'), dir ? [dir] : [], {
      cwd: root,
      execArgv: ['--import', 'tsx'],
      stdio: 'inherit',
    });
    let answer: { snapshots?: PgliteSnapshots; error?: string; stack?: string } = {};
    child.on('message', (message) => {
      answer = message as typeof answer;
    });
    child.on('error', fail);
    child.on('exit', (code, signal) => {
      if (answer.snapshots) return done(answer.snapshots);
      const err = new Error(answer.error ?? `tests/support/kept-pglite.ts ended with ${signal ?? `exit code ${code}`}`);
      if (answer.stack) err.stack = answer.stack;
      fail(err);
    });
  });
}
