import { createHash } from 'node:crypto';
import {
  cpSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { runImport } from '../../geodata/import.ts';
import { type Db, openDb } from '../../server/db/index.ts';
import { migrate } from '../../server/db/migrate.ts';

/**
 * The PGlite data folders the tests start from, kept between runs in .tmp/test/: one only migrated (freshDb copies
 * it: a copy opens in a few seconds, a new PGlite folder takes about 15 s to create) and one with the real data
 * package imported (realDb). They are made again only when the importer, the schema or PGlite change; the importer
 * itself skips an unchanged package. Each run gets snapshots of them, since other test runs in the same work tree
 * may update the kept folders meanwhile.
 *
 * tests/global-setup.ts runs this file as a child process (`node --import tsx kept-pglite.ts [DIR]`): PGlite computes
 * on the thread it runs on for seconds at a time, which would stall the PostgreSQL import beside it.
 */
const root = resolve(import.meta.dirname, '../..');
const keptDir = join(root, '.tmp/test');
const lockDir = join(keptDir, 'pglite.lock');

export interface PgliteSnapshots {
  empty: string;
  /** Only when the real package was asked for. */
  real?: string;
}

/** Migrates db and imports the data package into it, logging with the engine's name. */
export async function loadPackage(db: Db, dir: string): Promise<void> {
  const log = (line: string) => console.log(`[${db.engine}] ${line}`);
  const applied = await migrate(db);
  if (applied.length) log(`migrations applied: ${applied.join(', ')}`);
  const result = await runImport(db, { dir, log });
  const counts = Object.entries(result.counts)
    .map(([k, v]) => `${k} ${v}`)
    .join(', ');
  log(`import ${result.status} (package ${result.packageSha256.slice(0, 12)}): ${counts}`);
}

/**
 * Brings the kept PGlite folders up to date and returns snapshots of them that this run alone uses: the migrated
 * empty one always, the one with the data package in `dir` imported when `dir` is given.
 */
export async function preparePglite(dir: string | undefined): Promise<PgliteSnapshots> {
  const log = (line: string) => console.log(`[pglite] ${line}`);
  return withLock(log, async () => {
    const stamp = codeStamp();
    await keep('pglite-empty', stamp, log, { make: (db) => migrate(db) });
    if (dir === undefined) return { empty: snapshot('pglite-empty') };
    await keep('pglite-real', stamp, log, {
      seed: 'pglite-empty',
      make: (db) => loadPackage(db, dir),
      refresh: (db) => loadPackage(db, dir),
    });
    return { empty: snapshot('pglite-empty'), real: snapshot('pglite-real') };
  });
}

interface Keeper {
  /** A kept folder to start a new one from (a new PGlite folder takes long to create). */
  seed?: string;
  /** Fills a new folder. */
  make(db: Db): Promise<unknown>;
  /** Brings a kept folder (whose stamp matches) up to date; without it, such a folder is used as it is. */
  refresh?(db: Db): Promise<unknown>;
}

/** Makes the kept folder `name` afresh when its stamp differs or it does not open, else refreshes it. */
async function keep(name: string, stamp: string, log: (line: string) => void, keeper: Keeper): Promise<void> {
  const folder = join(keptDir, name);
  const stampFile = `${folder}.stamp`;
  const reusable = existsSync(folder) && readFileIfAny(stampFile) === stamp;
  if (reusable && !keeper.refresh) return;
  // Without its stamp the folder counts as half-done: a run cut short (or failing) here makes it afresh next time.
  rmSync(stampFile, { force: true });
  let db: Db | undefined;
  let fill = keeper.make;
  if (reusable && keeper.refresh) {
    fill = keeper.refresh;
    db = await openDb({ dataDir: folder }).catch((err: Error) => {
      log(`${name}: the kept folder does not open (${err.message}); making it afresh`);
      return undefined;
    });
  } else {
    log(`${name}: making ${relative(root, folder)} (first run, or importer, schema or PGlite changed)`);
  }
  if (!db) {
    fill = keeper.make;
    rmSync(folder, { recursive: true, force: true });
    if (keeper.seed) cpSync(join(keptDir, keeper.seed), folder, { recursive: true });
    db = await openDb({ dataDir: folder });
  }
  try {
    await fill(db);
  } finally {
    await db.close();
  }
  writeFileSync(stampFile, stamp);
}

function snapshot(name: string): string {
  const copy = mkdtempSync(join(tmpdir(), `atlas-${name}-`));
  cpSync(join(keptDir, name), copy, { recursive: true });
  return copy;
}

/** What the kept PGlite folders depend on besides the data package: importer, schema and SQL, PGlite itself. */
function codeStamp(): string {
  const hash = createHash('sha256');
  const files = ['geodata', 'server/db', 'server/sql', 'server/domain']
    .flatMap((d) => listFiles(join(root, d)))
    .filter((f) => /\.(ts|sql|json)$/.test(f) && !f.endsWith('.test.ts'));
  for (const file of files.sort()) {
    hash.update(`${relative(root, file)}\n`);
    hash.update(readFileSync(file));
  }
  for (const pkg of ['@electric-sql/pglite', '@electric-sql/pglite-postgis']) {
    hash.update(readFileSync(join(root, 'node_modules', pkg, 'package.json')));
  }
  return hash.digest('hex');
}

function listFiles(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return entry.name === 'node_modules' ? [] : listFiles(path);
    return entry.isFile() && statSync(path).size < 2_000_000 ? [path] : [];
  });
}

/** One test run at a time updates the kept folders; a lock whose owner died (or is 30 minutes old) is taken over. */
async function withLock<T>(log: (line: string) => void, fn: () => Promise<T>): Promise<T> {
  mkdirSync(keptDir, { recursive: true });
  const ownerFile = join(lockDir, 'pid');
  const waitUntil = Date.now() + 20 * 60_000;
  let said = false;
  for (;;) {
    try {
      mkdirSync(lockDir);
      writeFileSync(ownerFile, String(process.pid));
      break;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
    }
    const owner = Number(readFileIfAny(ownerFile));
    const age = Date.now() - (statIfAny(lockDir)?.mtimeMs ?? Date.now());
    if ((owner && !isAlive(owner)) || age > 30 * 60_000) {
      log(`taking over the lock of a test run that is gone (pid ${owner || '?'})`);
      rmSync(lockDir, { recursive: true, force: true });
      continue;
    }
    if (Date.now() > waitUntil) throw new Error(`${lockDir} is still held by pid ${owner}; remove it if that is wrong`);
    if (!said) log(`waiting for another test run (pid ${owner || '?'}) to finish with ${relative(root, keptDir)}`);
    said = true;
    await new Promise((done) => setTimeout(done, 500));
  }
  try {
    return await fn();
  } finally {
    rmSync(lockDir, { recursive: true, force: true });
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function readFileIfAny(path: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return '';
  }
}

function statIfAny(path: string) {
  try {
    return statSync(path);
  } catch {
    return undefined;
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  // Run by tests/global-setup.ts: the answer goes back over the IPC channel.
  const send = (message: unknown, code: number) => {
    if (process.send) process.send(message, () => process.exit(code));
    else {
      console.log(JSON.stringify(message));
      process.exit(code);
    }
  };
  process.on('disconnect', () => process.exit(1));
  preparePglite(process.argv[2] ? resolve(process.argv[2]) : undefined).then(
    (snapshots) => send({ snapshots }, 0),
    (err: Error) => send({ error: err.message, stack: err.stack }, 1),
  );
}
