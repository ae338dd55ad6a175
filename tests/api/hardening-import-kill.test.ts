import { type ChildProcess, spawn } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { runImport } from '../../geodata/import.ts';
import { createApp, dataVersion } from '../../server/app.ts';
import type { Db } from '../../server/db/index.ts';
import { migrate } from '../../server/db/migrate.ts';
import { readEnv } from '../../server/env.ts';
import { databaseForChild, type Engine, engines } from '../support/db.ts';

/**
 * Issue #9, a failed import: a database holds the mini city; `npx tsx scripts/import.ts --force` imports a
 * bigger package into it as a child process, and is killed with SIGKILL (the whole process group) as soon as
 * its progress output says it is inside the load transaction. Afterwards the data before is whole and
 * unchanged, every endpoint answers from it, no staging schema is left, and the next import succeeds.
 * On PostgreSQL and on PGlite, where the killed process had the data folder open: it must open and answer.
 */

const root = resolve(import.meta.dirname, '../..');
const MINI = join(root, 'tests/fixtures/mini-city');
/** Addresses of the bigger package: loading them keeps the transaction open for a second or more. */
const BIG_ADDRESSES = 20_000;
/** Printed inside the load transaction (geodata/import.ts), before the longest step, the addresses. */
const INSIDE_TRANSACTION = /\[import\] loaded areas and checked their geometry/;

const temporary: string[] = [];
const tempDir = (prefix: string) => {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  temporary.push(dir);
  return dir;
};
afterAll(() => {
  for (const dir of temporary) rmSync(dir, { recursive: true, force: true });
});

/** The mini city with its addresses repeated, a few metres apart, up to BIG_ADDRESSES. */
function bigPackage(): string {
  const dir = tempDir('mini-big-');
  cpSync(MINI, dir, { recursive: true });
  const [header, ...rows] = readFileSync(join(MINI, 'boundaries/addresses.csv'), 'utf8').trim().split('\n');
  const out = [header];
  for (let i = 0; i < BIG_ADDRESSES; i++) {
    const [street, code, , , x, y, ubz] = (rows[i % rows.length] as string).split(',');
    const dx = ((i % 7) - 3) * 1.5;
    const dy = ((Math.floor(i / 7) % 7) - 3) * 1.5;
    out.push([street, code, 1000 + i, '', (Number(x) + dx).toFixed(2), (Number(y) + dy).toFixed(2), ubz].join(','));
  }
  writeFileSync(join(dir, 'boundaries/addresses.csv'), `${out.join('\n')}\n`);
  const manifestFile = join(dir, 'quartiersatlas.json');
  const manifest = JSON.parse(readFileSync(manifestFile, 'utf8'));
  manifest.addresses.expectedCount = BIG_ADDRESSES;
  writeFileSync(manifestFile, JSON.stringify(manifest, null, 1));
  return dir;
}

/** What must survive: the data version, counts and a digest of the live data. */
async function snapshot(db: Db) {
  const [row] = await db.query<{ d: string; addresses: number; areas: number; offers: number }>(
    `SELECT md5(concat_ws('|',
       (SELECT string_agg(level || code || name || ST_AsText(geom), ',' ORDER BY level, code) FROM atlas.area),
       (SELECT string_agg(id || street || house_number || quarter_code, ',' ORDER BY id) FROM atlas.address),
       (SELECT string_agg(id || coalesce(name, '') || quarter_code, ',' ORDER BY id) FROM atlas.offer))) AS d,
       (SELECT count(*)::int FROM atlas.address) AS addresses,
       (SELECT count(*)::int FROM atlas.area) AS areas,
       (SELECT count(*)::int FROM atlas.offer) AS offers`,
  );
  return { version: await dataVersion(db), ...row };
}

interface Killed {
  output: string;
  signal: NodeJS.Signals | null;
  msInsideTransaction: number;
}

/** Runs the import script and kills its process group with SIGKILL once it is inside the load transaction. */
function importAndKill(env: NodeJS.ProcessEnv): Promise<Killed> {
  return new Promise((done, fail) => {
    const child: ChildProcess = spawn('npx', ['tsx', 'scripts/import.ts', '--force'], {
      cwd: root,
      env,
      detached: true, // a process group of its own: npx, tsx and node die together
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    let insideAt = 0;
    let killedAt = 0;
    const giveUp = setTimeout(() => {
      killGroup(child);
      fail(new Error(`the import never reached its load transaction within 120 s:\n${output}`));
    }, 120_000);
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      if (!insideAt && INSIDE_TRANSACTION.test(output)) {
        insideAt = performance.now();
        killGroup(child);
        killedAt = performance.now();
      }
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', onData);
    child.on('error', fail);
    child.on('exit', (_code, signal) => {
      clearTimeout(giveUp);
      done({ output, signal, msInsideTransaction: killedAt - insideAt });
    });
  });
}

function killGroup(child: ChildProcess) {
  if (child.pid === undefined) return;
  try {
    process.kill(-child.pid, 'SIGKILL');
  } catch {}
}

function childEnv(extra: Record<string, string>): NodeJS.ProcessEnv {
  const env = { ...process.env, ...extra };
  if (!extra.DATABASE_URL) delete env.DATABASE_URL;
  delete env.GEODATA_MANIFEST;
  return env;
}

async function assertServes(db: Db) {
  const app = createApp({ db, env: readEnv({}) });
  for (const path of [
    '/ready',
    '/api/areas?level=quarter',
    '/api/areas/quarter/010',
    '/api/offers',
    '/api/search?q=markt',
    '/api/sources',
  ]) {
    const res = await app.request(path);
    expect(res.status, path).toBe(200);
  }
}

describe.each(engines)('an import killed inside its load transaction on %s', (engine: Engine) => {
  it('leaves the data before whole, queryable and unchanged, and the next import succeeds', {
    timeout: 180_000,
  }, async () => {
    const mini = tempDir('mini-kill-');
    cpSync(MINI, mini, { recursive: true });
    const big = bigPackage();

    // The database with the mini city; for PGlite a data folder the child opens after this process closed it.
    const target = await databaseForChild(engine, tempDir('atlas-kill-pglite-'));
    let db = await target.open();
    await migrate(db);
    expect((await runImport(db, { dir: mini, log: () => {} })).status).toBe('loaded');
    const before = await snapshot(db);
    expect(before.addresses).toBe(24);
    if (engine === 'pglite') await db.close();

    const killed = await importAndKill(childEnv({ ...target.env, GEODATA_DIR: big }));
    console.log(
      `[import-kill ${engine}] killed ${killed.msInsideTransaction.toFixed(1)} ms after "loaded areas"; output:\n` +
        killed.output
          .split('\n')
          .filter((l) => l.startsWith('[import]'))
          .join('\n'),
    );
    expect(killed.signal).toBe('SIGKILL');
    expect(killed.output).toMatch(INSIDE_TRANSACTION);
    expect(killed.output).not.toMatch(/swapped the new data in|\[import\] done/);

    if (engine === 'pglite') db = await target.open();
    try {
      if (engine === 'postgres') {
        // The killed connection's backend finishes its statement, finds the client gone and rolls back.
        const started = performance.now();
        for (;;) {
          const busy = await db.query(
            "SELECT 1 FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid() AND state <> 'idle'",
          );
          if (busy.length === 0) break;
          if (performance.now() - started > 60_000) throw new Error('the killed import’s backend is still busy');
          await new Promise((r) => setTimeout(r, 100));
        }
      }
      // Unchanged: same version, same content; the killed run never reached 'loaded'.
      expect(await snapshot(db)).toEqual(before);
      const staging = await db.query("SELECT 1 FROM information_schema.schemata WHERE schema_name = 'atlas_staging'");
      expect(staging).toEqual([]);
      const runs = await db.query<{ status: string }>('SELECT status FROM app.import_run ORDER BY id');
      expect(runs.map((r) => r.status)).toEqual(['loaded', 'running']);
      await assertServes(db);

      // The next import works over the debris of the killed one.
      const next = await runImport(db, { dir: mini, force: true, log: () => {} });
      expect(next.status).toBe('loaded');
      expect((await snapshot(db)).d).toBe(before.d);
      await assertServes(db);
    } finally {
      await db.close();
      if (engine === 'postgres') {
        const admin = new pg.Client({ connectionString: process.env.TEST_DATABASE_URL });
        await admin.connect();
        await admin.query(`DROP DATABASE IF EXISTS atlas_kill_${process.pid} WITH (FORCE)`);
        await admin.end();
      }
    }
  });
});
