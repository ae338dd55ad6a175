/**
 * A consistent dump of the app's own data (issue 15): token hashes, uploaded tables, their versions, the audit
 * log and the uploaded indicators' visibility, read in one transaction, as JSON; and its restore, which replaces
 * that data in one transaction and applies the restored tables to the atlas schema. Both engines.
 * `npm run backup -- FILE` and `npm run restore -- FILE` (scripts/backup.ts) call these.
 */

import type { Db } from './index.ts';
import { applyUploadedIndicators } from './queries/uploaded-indicators.ts';

export const BACKUP_FORMAT = 'quartiersatlas-app-data';

/** The tables in the order a restore inserts them (references first). */
const TABLES = ['token', 'upload_table', 'upload_version', 'audit_log'] as const;

const COLUMNS: Record<(typeof TABLES)[number], string> = {
  token: 'name, role, hash, created_at::text AS created_at, revoked_at::text AS revoked_at',
  upload_table: 'id, kind, current_version, created_at::text AS created_at',
  upload_version:
    'table_id, version, sha256, file_name, meta, content, summary, created_by, created_at::text AS created_at',
  audit_log: 'id, at::text AS at, actor, action, table_id, version, detail',
};

const ORDER: Record<(typeof TABLES)[number], string> = {
  token: 'name',
  upload_table: 'id',
  upload_version: 'table_id, version',
  audit_log: 'id',
};

export interface AppDump {
  format: typeof BACKUP_FORMAT;
  version: 1;
  created_at: string;
  tables: Record<(typeof TABLES)[number], Record<string, unknown>[]>;
}

export async function dumpAppData(db: Db): Promise<AppDump> {
  return db.transaction(async (tx) => {
    if (db.engine === 'postgres') await tx.exec('SET TRANSACTION ISOLATION LEVEL REPEATABLE READ READ ONLY');
    const tables = {} as AppDump['tables'];
    for (const t of TABLES) tables[t] = await tx.query(`SELECT ${COLUMNS[t]} FROM app.${t} ORDER BY ${ORDER[t]}`);
    return { format: BACKUP_FORMAT, version: 1, created_at: new Date().toISOString(), tables };
  });
}

/** Replaces the app's own data with a dump; the uploaded tables are applied to the atlas schema when it exists. */
export async function restoreAppData(db: Db, dump: AppDump): Promise<void> {
  if (dump?.format !== BACKUP_FORMAT || dump.version !== 1) throw new Error(`not a ${BACKUP_FORMAT} dump (version 1)`);
  await db.transaction(async (tx) => {
    await tx.exec(
      'DELETE FROM app.uploaded_indicator; DELETE FROM app.audit_log; DELETE FROM app.upload_version; ' +
        'DELETE FROM app.upload_table; DELETE FROM app.token;',
    );
    for (const t of TABLES) {
      for (const row of dump.tables[t] ?? []) {
        const names = Object.keys(row);
        const values = names.map((n) => {
          const v = row[n];
          return v !== null && typeof v === 'object' ? JSON.stringify(v) : v;
        });
        await tx.query(
          `INSERT INTO app.${t} (${names.join(', ')}) VALUES (${names.map((_, i) => `$${i + 1}`).join(', ')})`,
          values,
        );
      }
    }
    await tx.query(
      "SELECT setval(pg_get_serial_sequence('app.audit_log', 'id'), coalesce((SELECT max(id) FROM app.audit_log), 0) + 1, false)",
    );
    const [atlas] = await tx.query("SELECT 1 FROM information_schema.schemata WHERE schema_name = 'atlas'");
    if (atlas) await applyUploadedIndicators(tx);
  });
}
