import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runImport } from '../../geodata/import.ts';
import type { Db } from '../../server/db/index.ts';
import { migrate } from '../../server/db/migrate.ts';
import { uploadIndicatorTable } from '../../server/uploads/indicator-tables.ts';
import { databaseForChild, type Engine, engines } from '../support/db.ts';

/**
 * Issue 15: a server killed during an upload leaves the old version or the new one, never half of one. A database
 * holds the mini city and version 1 of a table; a child process uploads a large version 2 through the upload code
 * and is killed with SIGKILL (its process group) as soon as it says it is inside the storing transaction. After:
 * the table's current version is whole (its stored content and the values the atlas shows agree), the next upload
 * succeeds. On PostgreSQL and on PGlite (where the killed process had the data folder open).
 */

const root = resolve(import.meta.dirname, '../..');
const MINI = join(root, 'tests/fixtures/mini-city');
const TABLES = join(root, 'tests/fixtures/tables');
const INSIDE = /\[upload\] inside the transaction/;
/** Days of values per quarter in version 2: 4 quarters × DAYS rows keep the transaction busy for a while. */
const DAYS = 12_000;

const temporary: string[] = [];
const tempDir = (prefix: string) => {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  temporary.push(dir);
  return dir;
};
afterAll(() => {
  for (const dir of temporary) rmSync(dir, { recursive: true, force: true });
});

function bigTable(dir: string): string {
  const lines = ['level;code;date;indicator;value'];
  const start = Date.UTC(1990, 0, 1);
  for (let d = 0; d < DAYS; d++) {
    const date = new Date(start + d * 86_400_000).toISOString().slice(0, 10);
    for (const code of ['010', '020', '030', '040']) lines.push(`quarter;${code};${date};sgb2_rate;${(d % 90) + 1}`);
  }
  const file = join(dir, 'sgb2-big.csv');
  writeFileSync(file, `${lines.join('\n')}\n`);
  return file;
}

function uploadAndKill(
  env: NodeJS.ProcessEnv,
  file: string,
): Promise<{ output: string; signal: NodeJS.Signals | null }> {
  return new Promise((done, fail) => {
    const child: ChildProcess = spawn(
      'npx',
      ['tsx', 'tests/support/upload-child.ts', file, join(TABLES, 'sgb2-meta.json')],
      { cwd: root, env, detached: true, stdio: ['ignore', 'pipe', 'pipe'] },
    );
    let output = '';
    let killed = false;
    const kill = () => {
      if (child.pid !== undefined)
        try {
          process.kill(-child.pid, 'SIGKILL');
        } catch {}
    };
    const giveUp = setTimeout(() => {
      kill();
      fail(new Error(`the upload never reached its transaction within 120 s:\n${output}`));
    }, 120_000);
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      if (!killed && INSIDE.test(output)) {
        killed = true;
        kill();
      }
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', onData);
    child.on('error', fail);
    child.on('exit', (_code, signal) => {
      clearTimeout(giveUp);
      done({ output, signal });
    });
  });
}

/** The current version of the table, whether its stored content and the atlas's values agree, and how many. */
async function state(db: Db) {
  const [row] = await db.query<{ current: number; versions: number; stored: number; shown: number }>(
    `SELECT t.current_version AS current,
            (SELECT count(*)::int FROM app.upload_version WHERE table_id = t.id) AS versions,
            (SELECT jsonb_array_length(v.content -> 'values') FROM app.upload_version v
              WHERE v.table_id = t.id AND v.version = t.current_version) AS stored,
            (SELECT count(*)::int FROM atlas.indicator_value WHERE indicator_id = 'sgb2_rate') AS shown
     FROM app.upload_table t WHERE t.id = 'sgb2_rate'`,
  );
  return row;
}

describe.each(engines)('an upload killed inside its transaction on %s', (engine: Engine) => {
  it('leaves the old version or the new one whole, and the next upload succeeds', { timeout: 240_000 }, async () => {
    const target = await databaseForChild(engine, tempDir('atlas-upkill-pglite-'));
    let db = await target.open();
    const uploads = tempDir('atlas-upkill-uploads-');
    const settings = { uploadsDir: uploads, maxRows: 100_000, minCount: 5 };
    const meta = JSON.parse(readFileSync(join(TABLES, 'sgb2-meta.json'), 'utf8'));
    const small = {
      fileName: 'sgb2-long.csv',
      bytes: new Uint8Array(readFileSync(join(TABLES, 'sgb2-long.csv'))),
      meta,
      options: {},
      actor: 't',
    };
    await migrate(db);
    await runImport(db, { dir: MINI, log: () => {} });
    expect((await uploadIndicatorTable(db, small, settings, false)).stored?.version).toBe(1);
    const before = await state(db);
    expect(before).toEqual({ current: 1, versions: 1, stored: 10, shown: 10 });
    if (engine === 'pglite') await db.close();

    const env: NodeJS.ProcessEnv = { ...process.env, UPLOADS_DIR: uploads, MIN_COUNT: '5', ...target.env };
    if (engine === 'pglite') delete env.DATABASE_URL;
    const killed = await uploadAndKill(env, bigTable(tempDir('atlas-upkill-file-')));
    expect(killed.signal).toBe('SIGKILL');
    expect(killed.output).toMatch(INSIDE);
    expect(killed.output).not.toMatch(/\[upload\] stored/);

    if (engine === 'pglite') db = await target.open();
    try {
      if (engine === 'postgres') {
        // The killed connection's backend notices the client gone and rolls back.
        const started = performance.now();
        while (
          (
            await db.query(
              "SELECT 1 FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid() AND state <> 'idle'",
            )
          ).length > 0
        ) {
          if (performance.now() - started > 60_000) throw new Error('the killed upload’s backend is still busy');
          await new Promise((r) => setTimeout(r, 100));
        }
      }
      const after = await state(db);
      // Either version 1 as it was, or version 2 whole: never a version without its values or values without it.
      const whole = after?.current === 1 ? before : { current: 2, versions: 2, stored: DAYS * 4, shown: DAYS * 4 };
      expect(after).toEqual(whole);
      console.log(`[upload-kill ${engine}] after the kill: version ${after?.current} of ${after?.versions}`);
      const next = await uploadIndicatorTable(db, { ...small, fileName: 'again.csv' }, settings, false);
      expect(next.stored?.version).toBe((after?.versions ?? 0) + 1);
      expect(await state(db)).toEqual({
        current: next.stored?.version,
        versions: next.stored?.version,
        stored: 10,
        shown: 10,
      });
    } finally {
      await db.close();
    }
  });
});
