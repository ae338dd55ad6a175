import { execFile } from 'node:child_process';
import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import pg from 'pg';

const run = promisify(execFile);
const SCRIPT = resolve(import.meta.dirname, '../pg-cluster.sh');
export const PG_BIN = process.env.PG_CLUSTER_BIN ?? '/usr/lib/postgresql/15/bin';

/** A throw-away PostgreSQL 15 + PostGIS cluster, made and stopped by scripts/pg-cluster.sh (as `npm test` does). */
export interface BenchCluster {
  /** postgres://postgres@127.0.0.1:PORT/postgres */
  url: string;
  stop(): Promise<void>;
}

export async function startCluster(): Promise<BenchCluster> {
  const dir = mkdtempSync(join(tmpdir(), 'atlas-bench-pg-'));
  // The postgres user must pass through the folder to reach the cluster inside it.
  chmodSync(dir, 0o711);
  const pgDir = join(dir, 'pg');
  await run('mkdir', [pgDir]);
  const { stdout } = await run(
    'bash',
    ['-c', 'set -e; source "$1"; pg_cluster_start "$2"; echo "URL=$PG_CLUSTER_URL"', 'bench', SCRIPT, pgDir],
    { timeout: 120_000 },
  );
  const url = /^URL=(.+)$/m.exec(stdout)?.[1];
  if (!url) throw new Error(`scripts/pg-cluster.sh gave no URL:\n${stdout}`);
  let stopped = false;
  const stop = async () => {
    if (stopped) return;
    stopped = true;
    await run('bash', ['-c', 'source "$1"; PG_CLUSTER_DIR="$2"; pg_cluster_stop', 'bench', SCRIPT, pgDir], {
      timeout: 60_000,
    }).catch((err: Error) => console.error(`[bench] stopping PostgreSQL: ${err.message}`));
    rmSync(dir, { recursive: true, force: true });
  };
  return { url, stop };
}

export function withDatabase(url: string, name: string): string {
  const u = new URL(url);
  u.pathname = `/${name}`;
  return u.toString();
}

/** Creates the database `name` (PostGIS comes from template1), dropping an earlier one of that name. */
export async function createDatabase(adminUrl: string, name: string): Promise<string> {
  if (!/^[a-z_][a-z0-9_]*$/.test(name)) throw new Error(`not a plain database name: ${name}`);
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  try {
    await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    await admin.query(`CREATE DATABASE ${name}`);
  } finally {
    await admin.end();
  }
  const db = new pg.Client({ connectionString: withDatabase(adminUrl, name) });
  await db.connect();
  try {
    await db.query('CREATE EXTENSION IF NOT EXISTS postgis');
  } finally {
    await db.end();
  }
  return withDatabase(adminUrl, name);
}

export async function dropDatabase(adminUrl: string, name: string): Promise<void> {
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  try {
    await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
  } finally {
    await admin.end();
  }
}
