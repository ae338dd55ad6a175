import type { Queryable } from '../db/index.ts';

/**
 * Versions of uploaded tables and the audit log (app.upload_table, app.upload_version, app.audit_log), shared
 * by every kind of upload (indicator tables; offer lists, issue 21). Each function takes the transaction it runs
 * in: an upload stores its version, makes it current and logs it in one transaction, so a kill leaves the old
 * version or the new one.
 */

export interface TableSummary {
  id: string;
  kind: string;
  current_version: number | null;
  versions: number;
  created_at: string;
  updated_at: string;
}

export interface VersionRow {
  version: number;
  sha256: string;
  file_name: string;
  meta: unknown;
  summary: unknown;
  created_by: string;
  created_at: string;
  current: boolean;
}

export interface AuditRow {
  id: number;
  at: string;
  actor: string;
  action: string;
  table_id: string | null;
  version: number | null;
  detail: unknown;
}

export async function audit(
  tx: Queryable,
  entry: { actor: string; action: string; tableId?: string | null; version?: number | null; detail?: unknown },
): Promise<void> {
  await tx.query('INSERT INTO app.audit_log (actor, action, table_id, version, detail) VALUES ($1, $2, $3, $4, $5)', [
    entry.actor,
    entry.action,
    entry.tableId ?? null,
    entry.version ?? null,
    JSON.stringify(entry.detail ?? {}),
  ]);
}

/**
 * Locks the table (creating it when new) and gives the number its next version takes. A table of another kind
 * with this id is an error.
 */
export async function nextVersion(tx: Queryable, tableId: string, kind: string): Promise<number> {
  await tx.query('INSERT INTO app.upload_table (id, kind) VALUES ($1, $2) ON CONFLICT (id) DO NOTHING', [
    tableId,
    kind,
  ]);
  const [row] = await tx.query<{ kind: string; n: number }>(
    `SELECT t.kind, coalesce((SELECT max(version) FROM app.upload_version v WHERE v.table_id = t.id), 0)::int AS n
     FROM app.upload_table t WHERE t.id = $1 FOR UPDATE`,
    [tableId],
  );
  if (!row) throw new Error(`table ${tableId} vanished`);
  if (row.kind !== kind) throw new Error(`table ${tableId} holds ${row.kind}, not ${kind}`);
  return row.n + 1;
}

export interface NewVersion {
  tableId: string;
  sha256: string;
  fileName: string;
  meta: unknown;
  content: unknown;
  summary: unknown;
  actor: string;
}

/**
 * Stores the next version of a table of `kind` (nextVersion), makes it current and logs it ('upload' for a table's
 * first version, else 'replace'). Returns the version's number.
 */
export async function storeVersion(tx: Queryable, kind: string, v: NewVersion): Promise<number> {
  const version = await nextVersion(tx, v.tableId, kind);
  await tx.query(
    `INSERT INTO app.upload_version (table_id, version, sha256, file_name, meta, content, summary, created_by)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`,
    [
      v.tableId,
      version,
      v.sha256,
      v.fileName,
      JSON.stringify(v.meta),
      JSON.stringify(v.content),
      JSON.stringify(v.summary),
      v.actor,
    ],
  );
  await tx.query('UPDATE app.upload_table SET current_version = $2 WHERE id = $1', [v.tableId, version]);
  await audit(tx, {
    actor: v.actor,
    action: version === 1 ? 'upload' : 'replace',
    tableId: v.tableId,
    version,
    detail: { file: v.fileName, sha256: v.sha256, summary: v.summary },
  });
  return version;
}

/** Makes an earlier (or later) stored version current again; false when the table has no such version. */
export async function rollbackTo(tx: Queryable, tableId: string, version: number, actor: string): Promise<boolean> {
  const [row] = await tx.query<{ current_version: number | null }>(
    'SELECT current_version FROM app.upload_table WHERE id = $1 FOR UPDATE',
    [tableId],
  );
  const [exists] = await tx.query('SELECT 1 FROM app.upload_version WHERE table_id = $1 AND version = $2', [
    tableId,
    version,
  ]);
  if (!row || !exists) return false;
  await tx.query('UPDATE app.upload_table SET current_version = $2 WHERE id = $1', [tableId, version]);
  await audit(tx, { actor, action: 'rollback', tableId, version, detail: { from: row.current_version } });
  return true;
}

export async function listTables(db: Queryable, kind?: string): Promise<TableSummary[]> {
  return db.query<TableSummary>(
    `SELECT t.id, t.kind, t.current_version, count(v.version)::int AS versions,
            t.created_at::text AS created_at, max(v.created_at)::text AS updated_at
     FROM app.upload_table t JOIN app.upload_version v ON v.table_id = t.id
     WHERE ($1::text IS NULL OR t.kind = $1)
     GROUP BY t.id ORDER BY t.id`,
    [kind ?? null],
  );
}

/** One table with every version (newest first), or null. */
export async function readTable(
  db: Queryable,
  id: string,
): Promise<(TableSummary & { versions_list: VersionRow[] }) | null> {
  const [table] = (await listTables(db)).filter((t) => t.id === id);
  if (!table) return null;
  const versions = await db.query<VersionRow>(
    `SELECT v.version, v.sha256, v.file_name, v.meta, v.summary, v.created_by, v.created_at::text AS created_at,
            v.version = t.current_version AS current
     FROM app.upload_version v JOIN app.upload_table t ON t.id = v.table_id
     WHERE v.table_id = $1 ORDER BY v.version DESC`,
    [id],
  );
  return { ...table, versions_list: versions };
}

/** The stored content of one version, or null. */
export async function readVersionContent(db: Queryable, id: string, version: number): Promise<unknown> {
  const [row] = await db.query<{ content: unknown }>(
    'SELECT content FROM app.upload_version WHERE table_id = $1 AND version = $2',
    [id, version],
  );
  return row?.content ?? null;
}

/** The current version of every table of a kind, with its metadata and content. */
export async function currentVersions(
  db: Queryable,
  kind: string,
): Promise<{ table_id: string; version: number; meta: unknown; content: unknown }[]> {
  return db.query(
    `SELECT v.table_id, v.version, v.meta, v.content FROM app.upload_table t
     JOIN app.upload_version v ON v.table_id = t.id AND v.version = t.current_version
     WHERE t.kind = $1 ORDER BY t.id`,
    [kind],
  );
}

/** The audit log, newest first; of one table when `tableId` is given. */
export async function readAudit(db: Queryable, tableId?: string, limit = 200): Promise<AuditRow[]> {
  return db.query<AuditRow>(
    `SELECT id, at::text AS at, actor, action, table_id, version, detail FROM app.audit_log
     WHERE ($1::text IS NULL OR table_id = $1) ORDER BY id DESC LIMIT $2`,
    [tableId ?? null, limit],
  );
}
