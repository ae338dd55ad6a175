import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Queryable } from '../server/db/index.ts';
import { INDICATOR_KIND, readIndicatorOwners, readUploadAreas } from '../server/db/queries/uploaded-indicators.ts';
import { validateUpload } from '../server/domain/table-upload.ts';
import { sha256 } from '../server/uploads/archive.ts';
import { readTableFile } from '../server/uploads/table-file.ts';
import { storeVersion } from '../server/uploads/versions.ts';
import type { Manifest } from './manifest.ts';
import { PackageError } from './read.ts';

/**
 * Tables of indicator values that arrive in the data package (the manifest's `tables`), for cities that deliver
 * their figures as files (issue 15). Each is read and validated exactly as an upload (server/domain/table-upload.ts)
 * against the newly imported areas; an error fails the import, naming file, row and column. A table whose file
 * changed since its current version is stored as its next version (by "data package"); an unchanged one is left.
 * Runs in the import's transaction after the swap, before the uploads are applied.
 */

export const PACKAGE_ACTOR = 'data package';

/** The files of the package's tables, for the package checksum. */
export function packageTableFiles(m: Manifest): string[] {
  return m.tables.flatMap((t) => [t.file, t.meta]);
}

export async function loadPackageTables(
  tx: Queryable,
  dir: string,
  m: Manifest,
  log: (line: string) => void,
): Promise<void> {
  if (m.tables.length === 0) return;
  const areas = await readUploadAreas(tx);
  for (const t of m.tables) {
    const bytes = new Uint8Array(readFileSync(join(dir, t.file)));
    let meta: unknown;
    try {
      meta = JSON.parse(readFileSync(join(dir, t.meta), 'utf8'));
    } catch (err) {
      throw new PackageError(t.meta, null, null, `cannot read the metadata: ${(err as Error).message}`);
    }
    const sheet = await readTableFile(t.file, bytes, Number.MAX_SAFE_INTEGER);
    const owners = await readIndicatorOwners(tx);
    // Privacy is applied when values are shown (MIN_COUNT of the server), so no warning about it here.
    const report = validateUpload(
      sheet.header,
      sheet.rows,
      meta,
      { date: t.date, level: t.level },
      {
        areas,
        ...owners,
        minCount: 0,
      },
    );
    const error = [...sheet.findings, ...report.findings].find((f) => f.severity === 'error');
    if (error || !report.content || !report.table)
      throw new PackageError(
        error?.column?.startsWith('meta') ? t.meta : t.file,
        error?.row === null || error?.row === undefined ? null : `row ${error.row}`,
        error?.column ?? null,
        error?.reason ?? 'the table cannot be read',
      );
    const sum = sha256(bytes);
    const [current] = await tx.query<{ sha256: string }>(
      `SELECT v.sha256 FROM app.upload_table t JOIN app.upload_version v
         ON v.table_id = t.id AND v.version = t.current_version WHERE t.id = $1`,
      [report.table],
    );
    if (current?.sha256 === sum) continue;
    const version = await storeVersion(tx, INDICATOR_KIND, {
      tableId: report.table,
      sha256: sum,
      fileName: t.file,
      meta,
      content: report.content,
      summary: report.summary,
      actor: PACKAGE_ACTOR,
    });
    log(`[import] table ${report.table} v${version} from ${t.file}: ${report.summary.values} values`);
  }
}
