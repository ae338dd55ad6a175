/**
 * `npm run backup -- FILE`: writes a consistent dump of the app's own data (tokens' hashes, uploaded tables,
 * versions, audit log) as JSON. `npm run restore -- FILE`: replaces that data with the dump's. Both engines; on
 * the embedded one, run them while the server is stopped (one process holds its data folder).
 */
import { readFileSync, renameSync, writeFileSync } from 'node:fs';
import { type AppDump, dumpAppData, restoreAppData } from '../server/db/backup.ts';
import { openDb } from '../server/db/index.ts';
import { migrate } from '../server/db/migrate.ts';
import { readEnv } from '../server/env.ts';

const [command, file] = process.argv.slice(2);
if ((command !== 'backup' && command !== 'restore') || !file) {
  console.error('usage: npm run backup -- FILE | npm run restore -- FILE');
  process.exit(2);
}
const env = readEnv();
const db = await openDb({ databaseUrl: env.DATABASE_URL, dataDir: env.DATA_DIR });
try {
  await migrate(db);
  if (command === 'backup') {
    const dump = await dumpAppData(db);
    writeFileSync(`${file}.tmp`, JSON.stringify(dump));
    renameSync(`${file}.tmp`, file);
    const n = Object.entries(dump.tables).map(([t, rows]) => `${t} ${rows.length}`);
    console.log(`[backup] ${file}: ${n.join(', ')}`);
  } else {
    await restoreAppData(db, JSON.parse(readFileSync(file, 'utf8')) as AppDump);
    console.log(`[restore] ${file} restored`);
  }
} catch (err) {
  console.error(`[${command}] ${(err as Error).message}`);
  process.exitCode = 1;
} finally {
  await db.close();
}
