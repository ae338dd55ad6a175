/**
 * The child process of tests/api/hardening-upload-kill.test.ts: uploads a table (argv: file, meta file) as the
 * editor "kill-test" through the same code as POST /api/tables, printing "[upload] inside the transaction" as
 * the storing transaction begins, so that the test can kill it there. Settings from the environment.
 */
import { readFileSync } from 'node:fs';
import { basename } from 'node:path';
import { type Db, openDb } from '../../server/db/index.ts';
import { readEnv } from '../../server/env.ts';
import { uploadIndicatorTable } from '../../server/uploads/indicator-tables.ts';

const [file, metaFile] = process.argv.slice(2) as [string, string];
const env = readEnv();
const db = await openDb({ databaseUrl: env.DATABASE_URL, dataDir: env.DATA_DIR });
const marked: Db = {
  ...db,
  engine: db.engine,
  query: db.query.bind(db),
  exec: db.exec.bind(db),
  close: db.close.bind(db),
  transaction: (fn, opts) =>
    db.transaction(async (tx) => {
      console.log('[upload] inside the transaction');
      return fn(tx);
    }, opts),
};
const { stored } = await uploadIndicatorTable(
  marked,
  {
    fileName: basename(file),
    bytes: new Uint8Array(readFileSync(file)),
    meta: JSON.parse(readFileSync(metaFile, 'utf8')),
    options: {},
    actor: 'kill-test',
  },
  { uploadsDir: env.UPLOADS_DIR, maxRows: env.UPLOAD_MAX_ROWS, minCount: env.MIN_COUNT },
  false,
);
console.log(`[upload] stored ${JSON.stringify(stored)}`);
await db.close();
