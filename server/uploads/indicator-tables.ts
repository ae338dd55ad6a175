import { invalidateDataVersion } from '../db/data-version.ts';
import type { Db } from '../db/index.ts';
import {
  applyUploadedIndicators,
  INDICATOR_KIND,
  readIndicatorOwners,
  readUploadAreas,
} from '../db/queries/uploaded-indicators.ts';
import { type UploadReport, validateUpload } from '../domain/table-upload.ts';
import { archiveOriginal, archiveRecord, readArchive, readOriginal, sha256 } from './archive.ts';
import { readTableFile } from './table-file.ts';
import { rollbackTo, storeVersion } from './versions.ts';

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
  /** False when replaying the archive itself (npm run rebuild): nothing is written to it again. */
  archive = true,
): Promise<UploadOutcome> {
  const report = await checkIndicatorTable(db, input, s);
  if (dryRun || !report.ok || !report.content || !report.table) return { report, stored: null };
  const table = report.table;
  const content = report.content;
  const original = archive
    ? archiveOriginal(s.uploadsDir, input.fileName, input.bytes)
    : { sha256: sha256(input.bytes), file: '' };
  const { version, createdAt } = await db.transaction(async (tx) => {
    const version = await storeVersion(tx, INDICATOR_KIND, {
      tableId: table,
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
  if (archive)
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
  uploadsDir: string | null,
): Promise<boolean> {
  const done = await db.transaction(async (tx) => {
    if (!(await rollbackTo(tx, table, version, actor))) return false;
    await applyUploadedIndicators(tx);
    return true;
  });
  if (!done) return false;
  if (uploadsDir)
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

/**
 * Replays the archive in UPLOADS_DIR into a database that has the package imported and no uploaded tables yet
 * (`npm run rebuild`): every upload of an indicator table, and every rollback, in the order they happened, each
 * original checked against its checksum; each must come out as the version it was.
 */
export async function replayArchive(
  db: Db,
  s: UploadSettings,
  log: (line: string) => void,
): Promise<{ uploads: number; rollbacks: number }> {
  const done = { uploads: 0, rollbacks: 0 };
  for (const r of readArchive(s.uploadsDir)) {
    if (r.kind !== INDICATOR_KIND) continue; // other kinds (offer lists) replay their own
    if (r.action === 'rollback') {
      if (!(await rollbackIndicatorTable(db, r.tableId, r.rollbackTo ?? r.version, r.createdBy, null)))
        throw new Error(`archive: ${r.tableId} has no version ${r.rollbackTo} to roll back to`);
      done.rollbacks++;
      continue;
    }
    const bytes = readOriginal(s.uploadsDir, r);
    const input = { fileName: r.fileName, bytes, meta: r.meta, options: r.options, actor: r.createdBy };
    const { report, stored } = await uploadIndicatorTable(db, input, s, false, false);
    if (!stored || stored.version !== r.version || stored.table !== r.tableId)
      throw new Error(
        `archive: ${r.file} (${r.tableId} v${r.version}) replayed as ${stored ? `${stored.table} v${stored.version}` : 'nothing'}` +
          `${report.ok ? '' : `: ${report.findings.find((f) => f.severity === 'error')?.reason}`}`,
      );
    log(`[rebuild] ${r.tableId} v${r.version} from ${r.file}`);
    done.uploads++;
  }
  return done;
}
