import { fork } from 'node:child_process';
import { existsSync, rmSync } from 'node:fs';
import { join, resolve } from 'node:path';
import pg from 'pg';
import type { TestProject } from 'vitest/node';
import { openDb } from '../server/db/index.ts';
import { REAL_DATABASE, withDatabase } from './support/db.ts';
import { loadPackage, type PgliteSnapshots } from './support/kept-pglite.ts';

/**
 * Prepares the databases the test files share, before any of them runs, both at once:
 * - PostgreSQL: the database atlas_real on the TEST_DATABASE_URL cluster (scripts/test.sh starts one), with the
 *   real data package imported;
 * - PGlite: snapshots of the kept folders of tests/support/kept-pglite.ts, one migrated and empty, one with the
 *   real data package imported, handed to the workers with provide/inject.
 */
const root = resolve(import.meta.dirname, '..');

export default async function setup(project: TestProject) {
  const adminUrl = process.env.TEST_DATABASE_URL;
  if (!adminUrl) {
    throw new Error(
      'TEST_DATABASE_URL is not set. Run the tests with `npm test` (scripts/test.sh): it starts the throw-away ' +
        'PostgreSQL cluster the tests need, and passes its arguments on to vitest (`npm test -- tests/api`).',
    );
  }
  const dir = resolve(root, process.env.GEODATA_DIR ?? '../shared/geodata');
  if (!existsSync(dir)) throw new Error(`The data package ${dir} does not exist: set GEODATA_DIR to its folder`);

  const [pgliteResult, postgresResult] = await Promise.allSettled([
    timed('pglite', () => preparePgliteInChild(dir)),
    timed('postgres', () => importPostgres(adminUrl, dir)),
  ]);
  if (pgliteResult.status === 'rejected') throw pgliteResult.reason;
  if (postgresResult.status === 'rejected') throw postgresResult.reason;

  const snapshots = pgliteResult.value;
  project.provide('pgliteEmptyDir', snapshots.empty);
  project.provide('pgliteRealDir', snapshots.real);
  return () => {
    for (const snapshot of Object.values(snapshots)) rmSync(snapshot, { recursive: true, force: true });
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
function preparePgliteInChild(dir: string): Promise<PgliteSnapshots> {
  return new Promise((done, fail) => {
    const child = fork(join(root, 'tests/support/kept-pglite.ts'), [dir], {
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
