/**
 * `npm run rebuild`: builds the database from the data package plus the archive of uploads (UPLOADS_DIR): imports
 * the package, then replays every accepted upload and rollback in order. For a new, empty database (DATABASE_URL
 * or DATA_DIR pointing at one): it refuses one that has uploaded tables already. Tokens are not in the archive:
 * `npm run backup` / `restore` carry them.
 */
import { runImport } from '../geodata/import.ts';
import { openDb } from '../server/db/index.ts';
import { migrate } from '../server/db/migrate.ts';
import { readEnv } from '../server/env.ts';
import { replayArchive } from '../server/uploads/indicator-tables.ts';

const env = readEnv();
const db = await openDb({ databaseUrl: env.DATABASE_URL, dataDir: env.DATA_DIR });
try {
  await migrate(db);
  const [taken] = await db.query('SELECT 1 FROM app.upload_table LIMIT 1');
  if (taken) throw new Error('this database has uploaded tables already: rebuild into a new, empty one');
  await runImport(db, { dir: env.GEODATA_DIR, manifestPath: env.GEODATA_MANIFEST, force: true });
  const done = await replayArchive(
    db,
    { uploadsDir: env.UPLOADS_DIR, maxRows: env.UPLOAD_MAX_ROWS, minCount: env.MIN_COUNT },
    (line) => console.log(line),
  );
  console.log(
    `[rebuild] done: ${done.uploads} uploads and ${done.rollbacks} rollbacks replayed from ${env.UPLOADS_DIR}`,
  );
} catch (err) {
  console.error(`[rebuild] ${(err as Error).message}`);
  process.exitCode = 1;
} finally {
  await db.close();
}
