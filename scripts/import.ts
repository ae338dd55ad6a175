import { runImport } from '../geodata/import.ts';
import { openDb } from '../server/db/index.ts';
import { migrate } from '../server/db/migrate.ts';
import { readEnv } from '../server/env.ts';

const env = readEnv();
const force = process.argv.includes('--force');
const db = await openDb({ databaseUrl: env.DATABASE_URL, dataDir: env.DATA_DIR });
try {
  await migrate(db);
  const result = await runImport(db, { dir: env.GEODATA_DIR, manifestPath: env.GEODATA_MANIFEST, force });
  console.log(
    result.status === 'loaded' ? `[import] done: ${JSON.stringify(result.counts)}` : '[import] nothing written',
  );
} catch {
  process.exitCode = 1;
} finally {
  await db.close();
}
