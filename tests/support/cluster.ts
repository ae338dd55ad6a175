import { execFile } from 'node:child_process';
import { chownSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import pg from 'pg';

/**
 * A throw-away PostgreSQL 15 + PostGIS cluster of a test's own, made the way scripts/pg-cluster.sh makes the
 * suite's: initdb in a temporary folder, listening on 127.0.0.1 only on a free port, socket in the folder,
 * durability off. As root, initdb and postgres run as the postgres user, who owns the folder. Unlike the
 * suite's cluster it can be stopped and started again under a running server (same port, same data).
 * Everything runs asynchronously, so a server in the same process keeps answering meanwhile.
 */

const BIN = process.env.PG_CLUSTER_BIN ?? '/usr/lib/postgresql/15/bin';
const run = promisify(execFile);
const asRoot = process.getuid?.() === 0;

export interface Cluster {
  /** postgres://postgres@127.0.0.1:PORT/postgres */
  readonly url: string;
  readonly port: number;
  readonly dir: string;
  /** A URL of the database `name` on this cluster. */
  urlOf(name: string): string;
  /** Makes a database (with PostGIS, from template1) and returns its URL. */
  createDatabase(name: string): Promise<string>;
  /** pg_ctl stop: `fast` ends sessions and shuts down cleanly, `immediate` is a crash (recovery at the next start). */
  stop(mode?: 'fast' | 'immediate'): Promise<void>;
  /** Starts the stopped cluster again on the same port. */
  start(): Promise<void>;
  /** Stops the cluster and removes its folder. Safe to call twice. */
  destroy(): Promise<void>;
}

/** Runs a PostgreSQL program as the cluster's owner. */
async function asOwner(dir: string, program: string, args: string[]): Promise<string> {
  const [file, argv] = asRoot
    ? ['runuser', ['-u', 'postgres', '--', join(BIN, program), ...args]]
    : [join(BIN, program), args];
  const { stdout, stderr } = await run(file, argv, { cwd: dir, timeout: 90_000 });
  return stdout + stderr;
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const address = s.address();
      s.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}

/** Every postmaster a test file started and has not stopped: killed (SIGQUIT) if the worker exits first. */
const live = new Set<string>();
let exitHook = false;
function postmasterPid(dir: string): number | null {
  try {
    return Number(readFileSync(join(dir, 'data/postmaster.pid'), 'utf8').split('\n')[0]) || null;
  } catch {
    return null;
  }
}
function killOnExit(dir: string) {
  live.add(dir);
  if (exitHook) return;
  exitHook = true;
  process.once('exit', () => {
    for (const d of live) {
      const pid = postmasterPid(d);
      if (pid) {
        try {
          process.kill(pid, 'SIGQUIT');
        } catch {}
      }
      rmSync(d, { recursive: true, force: true });
    }
  });
}

export async function startCluster(): Promise<Cluster> {
  if (!existsSync(join(BIN, 'initdb')))
    throw new Error(`${BIN}/initdb not found: apt-get install postgresql-15-postgis-3 (npm test does it)`);
  const dir = mkdtempSync(join(tmpdir(), 'atlas-cluster-'));
  if (asRoot) {
    const id = async (flag: string) => Number((await run('id', [flag, 'postgres'])).stdout.trim());
    chownSync(dir, await id('-u'), await id('-g'));
  }
  try {
    await asOwner(dir, 'initdb', [
      '-D',
      join(dir, 'data'),
      '-A',
      'trust',
      '-U',
      'postgres',
      '-E',
      'UTF8',
      '--lc-collate=C',
      '--lc-ctype=C.UTF-8',
      '--lc-messages=C',
      '--no-sync',
    ]);
  } catch (err) {
    rmSync(dir, { recursive: true, force: true });
    throw new Error(`initdb failed in ${dir}: ${(err as { stderr?: string }).stderr ?? (err as Error).message}`);
  }
  const conf = join(dir, 'data/postgresql.conf');
  writeFileSync(
    conf,
    `${readFileSync(conf, 'utf8')}
listen_addresses = '127.0.0.1'
unix_socket_directories = '${dir}'
fsync = off
synchronous_commit = off
full_page_writes = off
max_connections = 100
`,
  );

  let port = 0;
  const pgCtlStart = () =>
    asOwner(dir, 'pg_ctl', [
      '-D',
      join(dir, 'data'),
      '-o',
      `-p ${port}`,
      '-l',
      join(dir, 'server.log'),
      '-w',
      '-t',
      '60',
      'start',
    ]);
  // The port is free when asked for, but another process may take it before postgres binds it: try again then.
  for (let attempt = 1; ; attempt++) {
    port = await freePort();
    try {
      await pgCtlStart();
      break;
    } catch (err) {
      const log = existsSync(join(dir, 'server.log')) ? readFileSync(join(dir, 'server.log'), 'utf8') : '';
      if (attempt >= 5 || !/could not bind|Address already in use/.test(log)) {
        rmSync(dir, { recursive: true, force: true });
        throw new Error(`pg_ctl start failed: ${log.slice(-2000) || (err as Error).message}`);
      }
    }
  }
  killOnExit(dir);

  const url = `postgres://postgres@127.0.0.1:${port}/postgres`;
  const urlOf = (name: string) => `postgres://postgres@127.0.0.1:${port}/${name}`;
  const admin = async (database: string, sql: string) => {
    const client = new pg.Client({ connectionString: urlOf(database), connectionTimeoutMillis: 10_000 });
    await client.connect();
    try {
      await client.query(sql);
    } finally {
      await client.end();
    }
  };
  await admin('template1', 'CREATE EXTENSION IF NOT EXISTS postgis');

  let running = true;
  const stop = async (mode: 'fast' | 'immediate' = 'fast') => {
    if (!running) return;
    await asOwner(dir, 'pg_ctl', ['-D', join(dir, 'data'), '-m', mode, '-w', '-t', '30', 'stop']);
    running = false;
  };
  return {
    url,
    port,
    dir,
    urlOf,
    async createDatabase(name) {
      if (!/^[a-z_][a-z0-9_]*$/.test(name)) throw new Error(`not a plain database name: ${name}`);
      await admin('postgres', `CREATE DATABASE ${name}`);
      return urlOf(name);
    },
    stop,
    async start() {
      if (running) return;
      await pgCtlStart();
      running = true;
    },
    async destroy() {
      try {
        await stop('fast');
      } catch {
        const pid = postmasterPid(dir);
        if (pid) {
          try {
            process.kill(pid, 'SIGQUIT');
          } catch {}
        }
      }
      live.delete(dir);
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
