/** The sources of the atlas (atlas.source) with the package files each was imported from. */
import type { Db } from '../index.ts';
import type { SourceRow } from './indicators.ts';

export interface SourceFile {
  path: string;
  sha256: string | null;
}

/** Title, publisher and licence as a page in one language shows them. */
export interface ShownSource {
  title: string;
  publisher: string;
  licence: string;
}

export interface SourceWithFiles extends SourceRow {
  note: string | null;
  shown: { de: ShownSource; en: ShownSource };
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

/** Every source ordered by id, but those of internal uploaded indicators (issue 15), which anonymous requests never see. */
export async function readSources(db: Db): Promise<{ sources: SourceWithFiles[] }> {
  const rows = await db.query<
    Omit<SourceWithFiles, 'files' | 'shown'> & {
      file: string | null;
      sha256: string | null;
      shown: Partial<SourceWithFiles['shown']> | null;
    }
  >(
    `SELECT id, title, publisher, licence, attribution, url, file, sha256, reference_date, note, shown
     FROM atlas.source s
     WHERE NOT EXISTS (SELECT 1 FROM app.uploaded_indicator u
                       WHERE s.id = 'upload:' || u.id AND u.visibility = 'internal')
     ORDER BY id`,
  );
  return {
    sources: rows.map(({ file, sha256, shown, ...s }) => {
      // A source stored without its shown texts (an older import) shows its plain columns in both languages.
      const plain = { title: s.title, publisher: s.publisher, licence: s.licence };
      return {
        ...s,
        shown: { de: { ...plain, ...shown?.de }, en: { ...plain, ...shown?.en } },
        files: sourceFiles(file, sha256),
      };
    }),
  };
}
