import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { runImport } from '../../geodata/import.ts';
import { openDb } from '../../server/db/index.ts';
import { migrate } from '../../server/db/migrate.ts';
import { createDatabase, dropDatabase, PG_BIN } from './cluster.ts';

const run = promisify(execFile);

/**
 * The import on PostgreSQL against its floor: psql `\copy` of the very rows the import left in schema atlas into
 * an empty database, plus the index builds (pg_dump's pre-data, then the rows, then its post-data: indexes,
 * keys and constraints).
 */
export interface ImportBench {
  /** The database the package was imported into (kept: the server process serves it). */
  databaseUrl: string;
  importMs: number;
  /** The importer's own step lines with their times. */
  steps: string[];
  rows: Record<string, number>;
  copy: { schemaMs: number; copyMs: number; indexMs: number; totalMs: number };
}

async function psql(url: string, args: string[]): Promise<string> {
  const { stdout } = await run(join(PG_BIN, 'psql'), ['-X', '-q', '-v', 'ON_ERROR_STOP=1', '-d', url, ...args], {
    maxBuffer: 64 * 1024 * 1024,
    timeout: 600_000,
  });
  return stdout;
}

async function timed(fn: () => Promise<unknown>): Promise<number> {
  const t = performance.now();
  await fn();
  return performance.now() - t;
}

/** Database names of this run: a cluster may be shared (the smoke test uses the test suite's). */
export const BENCH_DATABASE = `bench_atlas_${process.pid}`;
const COPY_DATABASE = `bench_copy_${process.pid}`;

export async function benchImportPostgres(adminUrl: string, geodataDir: string): Promise<ImportBench> {
  const databaseUrl = await createDatabase(adminUrl, BENCH_DATABASE);
  const db = await openDb({ databaseUrl, statementTimeoutMs: 1_800_000 });
  const steps: string[] = [];
  let importMs: number;
  try {
    await migrate(db);
    importMs = await timed(() =>
      runImport(db, { dir: geodataDir, force: true, log: (line) => line.startsWith('[import]') && steps.push(line) }),
    );
  } finally {
    await db.close();
  }

  const work = mkdtempSync(join(tmpdir(), 'atlas-bench-copy-'));
  try {
    const tables = (
      await psql(databaseUrl, ['-At', '-c', "SELECT tablename FROM pg_tables WHERE schemaname = 'atlas' ORDER BY 1"])
    )
      .split('\n')
      .filter(Boolean);
    const rows: Record<string, number> = {};
    for (const t of tables)
      rows[t] = Number((await psql(databaseUrl, ['-At', '-c', `SELECT count(*) FROM atlas.${t}`])).trim());
    const dump = (section: string, file: string) =>
      run(join(PG_BIN, 'pg_dump'), [
        '--schema=atlas',
        `--section=${section}`,
        '--no-owner',
        '-f',
        join(work, file),
        databaseUrl,
      ]);
    await dump('pre-data', 'pre.sql');
    await dump('post-data', 'post.sql');
    const out = tables.map((t) => `\\copy atlas.${t} TO '${join(work, `${t}.csv`)}' CSV`).join('\n');
    writeFileSync(join(work, 'out.sql'), out);
    await psql(databaseUrl, ['-f', join(work, 'out.sql')]);
    const into = tables.map((t) => `\\copy atlas.${t} FROM '${join(work, `${t}.csv`)}' CSV`).join('\n');
    writeFileSync(join(work, 'in.sql'), into);

    const copyUrl = await createDatabase(adminUrl, COPY_DATABASE);
    try {
      // The extensions the schema's indexes use (the dump of schema atlas does not create them), as the migrations do.
      await psql(copyUrl, ['-c', 'CREATE EXTENSION IF NOT EXISTS pg_trgm']);
      const schemaMs = await timed(() => psql(copyUrl, ['-f', join(work, 'pre.sql')]));
      const copyMs = await timed(() => psql(copyUrl, ['-f', join(work, 'in.sql')]));
      const indexMs = await timed(() => psql(copyUrl, ['-f', join(work, 'post.sql')]));
      return {
        databaseUrl,
        importMs,
        steps,
        rows,
        copy: { schemaMs, copyMs, indexMs, totalMs: schemaMs + copyMs + indexMs },
      };
    } finally {
      await dropDatabase(adminUrl, COPY_DATABASE);
    }
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}
