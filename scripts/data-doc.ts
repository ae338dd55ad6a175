import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { collectDataDoc, renderDataDoc } from '../geodata/data-doc.ts';
import { openDb } from '../server/db/index.ts';
import { readEnv } from '../server/env.ts';

/** Writes DATA.md from the imported database (`npm run import` first). Never edit DATA.md by hand. */
const env = readEnv();
const db = await openDb({ databaseUrl: env.DATABASE_URL, dataDir: env.DATA_DIR });
try {
  const facts = await collectDataDoc(db);
  if (!facts.packageSha) throw new Error('no imported data: run `npm run import` first');
  const file = join(import.meta.dirname, '..', 'DATA.md');
  writeFileSync(file, renderDataDoc(facts));
  console.log(`[data-doc] wrote ${file}: ${facts.indicators.length} indicators, ${facts.categories.length} categories`);
} catch (err) {
  console.error(`[data-doc] ${(err as Error).message}`);
  process.exitCode = 1;
} finally {
  await db.close();
}
