/** The sources of the atlas (atlas.source) with the package files each was imported from. */
import type { Db } from '../index.ts';
import type { SourceRow } from './indicators.ts';

export interface SourceFile {
  path: string;
  sha256: string | null;
}

export interface SourceWithFiles extends SourceRow {
  note: string | null;
  files: SourceFile[];
}

/**
 * The files of a source as the importer stores them: paths comma separated and their checksums space separated,
 * in the same order. A path without a checksum has sha256 null.
 */
export function sourceFiles(file: string | null, sha256: string | null): SourceFile[] {
  const paths = file ? file.split(',').map((f) => f.trim()) : [];
  const sums = sha256 ? sha256.split(/\s+/) : [];
  return paths.map((path, i) => ({ path, sha256: sums[i] ?? null }));
}

/** Every source ordered by id. */
export async function readSources(db: Db): Promise<{ sources: SourceWithFiles[] }> {
  const rows = await db.query<Omit<SourceWithFiles, 'files'> & { file: string | null; sha256: string | null }>(
    `SELECT id, title, publisher, licence, attribution, url, file, sha256, reference_date, note
     FROM atlas.source ORDER BY id`,
  );
  return { sources: rows.map(({ file, sha256, ...s }) => ({ ...s, files: sourceFiles(file, sha256) })) };
}
