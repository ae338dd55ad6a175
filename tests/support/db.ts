import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { inject } from 'vitest';
import { type Db, openDb } from '../../server/db/index.ts';
import { migrate } from '../../server/db/migrate.ts';

export type Engine = 'pglite' | 'postgres';

declare module 'vitest' {
  /** Provided by tests/global-setup.ts; workers copy these folders and never write to them. */
  export interface ProvidedContext {
    /** A PGlite data folder, migrated and empty. */
    pgliteEmptyDir: string;
    /** A PGlite data folder with the real data package imported. */
    pgliteRealDir: string;
  }
}

/** The PostgreSQL database with the real data package imported, on the TEST_DATABASE_URL cluster. */
export const REAL_DATABASE = 'atlas_real';

const ALL_ENGINES: Engine[] = ['pglite', 'postgres'];

/** The engines of this run: both, or those TEST_ENGINES names (`npm run test:quick` sets pglite). */
function selectedEngines(): Engine[] {
  const named = process.env.TEST_ENGINES?.split(',').map((e) => e.trim()) ?? ALL_ENGINES;
  for (const e of named) {
    if (!ALL_ENGINES.includes(e as Engine)) throw new Error(`TEST_ENGINES: unknown engine "${e}" (pglite, postgres)`);
  }
  return ALL_ENGINES.filter((e) => named.includes(e));
}

/**
 * The tier this file runs in (vitest.config.ts sets TEST_TIER per project). A file in tests/api/ may hold suites
 * on the fixtures (`describe.each(engines)`) and suites on the real data package (`describe.each(packageEngines)`):
 * the api tier runs the first, the package tier the second, and every other tier both.
 */
const tier = process.env.TEST_TIER;

/** The engines of the suites on fixtures (freshDb, the mini city, the tiny city): none in the package tier. */
export const engines: Engine[] = tier === 'package' ? [] : selectedEngines();

/** The engines of the suites on the real data package (realDb): none in the api tier. */
export const packageEngines: Engine[] = tier === 'api' ? [] : selectedEngines();

/**
 * For suites on the real data package whose subject does not depend on the engine (the OpenAPI document): one
 * engine, PostgreSQL when this run has it (its database is shared and opens at once), else PGlite.
 */
export const onePackageEngine: Engine[] = packageEngines.includes('postgres')
  ? ['postgres']
  : packageEngines.slice(0, 1);

function adminUrl(): string {
  const url = process.env.TEST_DATABASE_URL;
  if (!url)
    throw new Error('TEST_DATABASE_URL is not set: run the tests with `npm test`, which starts a PostgreSQL cluster');
  return url;
}

export function withDatabase(url: string, name: string): string {
  const u = new URL(url);
  u.pathname = `/${name}`;
  return u.toString();
}

/** A private copy of a PGlite data folder that the global setup provides (see ProvidedContext). */
function copyOf(key: 'pgliteEmptyDir' | 'pgliteRealDir'): string {
  const template = inject(key);
  if (!template) throw new Error(`${key} is not provided: tests/global-setup.ts did not run`);
  const dir = mkdtempSync(join(tmpdir(), 'atlas-pglite-'));
  cpSync(template, dir, { recursive: true });
  return dir;
}

/** An empty, migrated database of its own; drop() removes it. */
export async function freshDb(engine: Engine): Promise<Db & { drop(): Promise<void> }> {
  if (engine === 'pglite') {
    // A copy of a migrated folder opens in a few seconds; a new PGlite folder takes about 15 s to create.
    const dir = copyOf('pgliteEmptyDir');
    const db = await openDb({ dataDir: dir });
    await migrate(db);
    return Object.assign(db, {
      async drop() {
        await db.close();
        rmSync(dir, { recursive: true, force: true });
      },
    });
  }
  const name = `atlas_t_${process.pid}_${Math.random().toString(36).slice(2, 8)}`;
  const admin = new pg.Client({ connectionString: adminUrl() });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  const db = await openDb({ databaseUrl: withDatabase(adminUrl(), name) });
  await migrate(db);
  return Object.assign(db, {
    async drop() {
      await db.close();
      const a = new pg.Client({ connectionString: adminUrl() });
      await a.connect();
      await a.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await a.end();
    },
  });
}

/**
 * The database with the real data package imported (by tests/global-setup.ts).
 * PGlite gets a private copy of the imported data folder, since one folder serves one engine instance;
 * PostgreSQL is shared, and suites must only read from it.
 */
export async function realDb(engine: Engine): Promise<Db> {
  if (engine === 'pglite') {
    const dir = copyOf('pgliteRealDir');
    const db = await openDb({ dataDir: dir });
    const close = db.close.bind(db);
    return Object.assign(db, {
      async close() {
        await close();
        rmSync(dir, { recursive: true, force: true });
      },
    });
  }
  return openDb({ databaseUrl: withDatabase(adminUrl(), REAL_DATABASE) });
}

/**
 * A new, empty database that a child process opens as well (the tests that kill one): `env` names it for the child
 * (DATABASE_URL on PostgreSQL, DATA_DIR on PGlite) and `open()` opens it in this process. On PGlite one process at a
 * time may hold the folder (`dataDir`, which the caller creates and removes): close this process's connection before
 * the child starts, and open it again after the child ended.
 */
export async function databaseForChild(
  engine: Engine,
  dataDir: string,
): Promise<{ env: Record<string, string>; open(): Promise<Db> }> {
  if (engine === 'pglite') {
    cpSync(inject('pgliteEmptyDir'), dataDir, { recursive: true });
    return { env: { DATA_DIR: dataDir }, open: () => openDb({ dataDir }) };
  }
  const name = `atlas_child_${process.pid}_${Math.random().toString(36).slice(2, 8)}`;
  const admin = new pg.Client({ connectionString: adminUrl() });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  const url = withDatabase(adminUrl(), name);
  return { env: { DATABASE_URL: url }, open: () => openDb({ databaseUrl: url }) };
}
