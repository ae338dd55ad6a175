import { invalidateDataVersion } from '../db/data-version.ts';
import type { Db } from '../db/index.ts';
import {
  applyUploadedIndicators,
  INDICATOR_KIND,
  readIndicatorOwners,
  readUploadAreas,
} from '../db/queries/uploaded-indicators.ts';
import { type UploadReport, validateUpload } from '../domain/table-upload.ts';
import { archiveOriginal, archiveRecord } from './archive.ts';
import { readTableFile } from './table-file.ts';
import { nextVersion, rollbackTo, storeVersion } from './versions.ts';

/**
 * An indicator table's way in (issue 15): read the file, validate it against the data, and, unless it is a dry
 * run or has errors, keep the original in the archive and store it as the next version of its table, made
 * current and applied to the atlas schema in one transaction (a kill leaves the old version or the new one).
 */

export interface UploadInput {
  fileName: string;
  bytes: Uint8Array;
  /** The metadata JSON as sent. */
  meta: unknown;
  /** Wide form: date and level of every value. */
  options: Record<string, string>;
  actor: string;
}

export interface UploadSettings {
  uploadsDir: string;
  maxRows: number;
  minCount: number;
}

export interface UploadOutcome {
  report: UploadReport;
  stored: { table: string; version: number; indicators: string[] } | null;
}

export async function checkIndicatorTable(db: Db, input: UploadInput, s: UploadSettings): Promise<UploadReport> {
  const sheet = await readTableFile(input.fileName, input.bytes, s.maxRows);
  const [areas, owners] = await Promise.all([readUploadAreas(db), readIndicatorOwners(db)]);
  const report = validateUpload(
    sheet.header,
    sheet.rows,
    input.meta,
    { date: input.options.date, level: input.options.level },
    { areas, ...owners, minCount: s.minCount },
  );
  if (sheet.findings.length === 0) return report;
  const findings = [...sheet.findings, ...report.findings];
  const ok = report.ok && !sheet.findings.some((f) => f.severity === 'error');
  return { ...report, findings, ok, content: ok ? report.content : null };
}

export async function uploadIndicatorTable(
  db: Db,
  input: UploadInput,
  s: UploadSettings,
  dryRun: boolean,
): Promise<UploadOutcome> {
  const report = await checkIndicatorTable(db, input, s);
  if (dryRun || !report.ok || !report.content || !report.table) return { report, stored: null };
  const table = report.table;
  const content = report.content;
  const original = archiveOriginal(s.uploadsDir, input.fileName, input.bytes);
  const { version, createdAt } = await db.transaction(async (tx) => {
    const version = await nextVersion(tx, table, INDICATOR_KIND);
    await storeVersion(tx, {
      tableId: table,
      version,
      sha256: original.sha256,
      fileName: input.fileName,
      meta: input.meta,
      content,
      summary: report.summary,
      actor: input.actor,
    });
    await applyUploadedIndicators(tx);
    const [row] = await tx.query<{ at: string }>(
      'SELECT created_at::text AS at FROM app.upload_version WHERE table_id = $1 AND version = $2',
      [table, version],
    );
    return { version, createdAt: row ? new Date(row.at).toISOString() : new Date().toISOString() };
  });
  archiveRecord(s.uploadsDir, {
    kind: INDICATOR_KIND,
    tableId: table,
    version,
    fileName: input.fileName,
    sha256: original.sha256,
    file: original.file,
    meta: input.meta,
    options: input.options,
    createdBy: input.actor,
    createdAt,
    action: 'upload',
  });
  invalidateDataVersion(db);
  return { report, stored: { table, version, indicators: Object.keys(content.indicators) } };
}

/** Makes `version` of a table current again, applies it and records the rollback in the archive. */
export async function rollbackIndicatorTable(
  db: Db,
  table: string,
  version: number,
  actor: string,
  uploadsDir: string,
): Promise<boolean> {
  const done = await db.transaction(async (tx) => {
    if (!(await rollbackTo(tx, table, version, actor))) return false;
    await applyUploadedIndicators(tx);
    return true;
  });
  if (!done) return false;
  archiveRecord(uploadsDir, {
    kind: INDICATOR_KIND,
    tableId: table,
    version,
    fileName: '',
    sha256: '',
    file: '',
    meta: null,
    options: {},
    createdBy: actor,
    createdAt: new Date().toISOString(),
    action: 'rollback',
    rollbackTo: version,
  });
  invalidateDataVersion(db);
  return true;
}
