/**
 * Uploaded indicator tables in the atlas schema: `applyUploadedIndicators` writes the current version of every
 * table of kind 'indicators' into atlas.indicator, atlas.indicator_value and atlas.source, beside the package's
 * indicators, after removing what an earlier apply wrote (marked by source ids `upload:<indicator>`). It runs in
 * the transaction of every upload and rollback, and in the import's transaction right after the schema swap, so
 * uploads survive every import. Their visibility is kept in app.uploaded_indicator.
 */
import type { UploadContent } from '../../domain/table-upload.ts';
import { currentVersions } from '../../uploads/versions.ts';
import type { Queryable } from '../index.ts';

export const INDICATOR_KIND = 'indicators';
const SOURCE_PREFIX = 'upload:';

export interface ApplyResult {
  applied: string[];
  /** Uploaded ids the package now has itself: the package's indicator stays, the upload is not applied. */
  skipped: string[];
}

export async function applyUploadedIndicators(tx: Queryable): Promise<ApplyResult> {
  await tx.query("DELETE FROM atlas.indicator_value WHERE source_id LIKE 'upload:%'");
  await tx.query("DELETE FROM atlas.indicator WHERE source_ids[1] LIKE 'upload:%'");
  await tx.query("DELETE FROM atlas.source WHERE id LIKE 'upload:%'");
  await tx.query('DELETE FROM app.uploaded_indicator');
  const own = new Set((await tx.query<{ id: string }>('SELECT id FROM atlas.indicator')).map((r) => r.id));
  const result: ApplyResult = { applied: [], skipped: [] };
  for (const v of await currentVersions(tx, INDICATOR_KIND)) {
    const content = v.content as UploadContent;
    for (const [id, m] of Object.entries(content.indicators)) {
      if (own.has(id)) {
        result.skipped.push(id);
        continue;
      }
      const dates = content.values.filter((x) => x.indicator === id).map((x) => x.date);
      const newest = dates.length ? dates.reduce((a, b) => (a > b ? a : b)) : null;
      const sourceId = `${SOURCE_PREFIX}${id}`;
      const publisher = m.source.publisher ?? m.source.attribution;
      await tx.query('INSERT INTO app.uploaded_indicator (id, table_id, visibility) VALUES ($1, $2, $3)', [
        id,
        v.table_id,
        m.visibility,
      ]);
      await tx.query(
        `INSERT INTO atlas.source (id, title, publisher, licence, attribution, url, reference_date, note, shown)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9::jsonb)`,
        [
          sourceId,
          m.source.title,
          publisher,
          m.source.licence,
          m.source.attribution,
          m.source.url,
          newest,
          `uploaded table ${v.table_id}, version ${v.version}`,
          JSON.stringify({
            de: { title: m.source.title, publisher, licence: m.source.licence },
            en: { title: m.source.title, publisher, licence: m.source.licence },
          }),
        ],
      );
      const note = m.method_note ?? {
        de: `Hochgeladene Tabelle ${v.table_id} (Version ${v.version}): Werte wie von ${publisher} veröffentlicht, nicht nachgerechnet.`,
        en: `Uploaded table ${v.table_id} (version ${v.version}): values as published by ${publisher}, not recomputed.`,
      };
      await tx.query(
        `INSERT INTO atlas.indicator (id, theme, title, description, unit, direction, method, method_note, source_ids,
                                      count_based, sort)
         VALUES ($1, $2, $3::jsonb, $4::jsonb, $5, $6, 'published', $7::jsonb, $8, $9, 900)`,
        [
          id,
          m.theme,
          JSON.stringify(m.title),
          JSON.stringify(m.description ?? m.title),
          m.unit,
          m.direction,
          JSON.stringify(note),
          [sourceId],
          m.count_based,
        ],
      );
      await tx.query(
        `INSERT INTO atlas.indicator_value (indicator_id, level, area_code, reference_date, value, method, source_id,
                                            source_url, basis_count, is_latest, note)
         SELECT $2, x.level, x.code, x.date, x.value, 'published', $3, $4, x.basis,
                x.date = max(x.date) OVER (PARTITION BY x.level, x.code), $5
         FROM jsonb_to_recordset($1::jsonb) AS x(indicator text, level text, code text, date text, value float8,
                                                 basis int)
         WHERE x.indicator = $2`,
        [
          JSON.stringify(content.values),
          id,
          sourceId,
          m.source.url,
          `uploaded table ${v.table_id}, version ${v.version}`,
        ],
      );
      result.applied.push(id);
    }
  }
  return result;
}

/** The indicators of earlier uploads (id → table) and the package's own (id → method), for validation. */
export async function readIndicatorOwners(db: Queryable) {
  const uploaded = await db.query<{ id: string; table_id: string }>('SELECT id, table_id FROM app.uploaded_indicator');
  const pkg = await db.query<{ id: string; method: 'published' | 'computed' | 'modelled' }>(
    "SELECT id, method FROM atlas.indicator WHERE source_ids[1] IS NULL OR source_ids[1] NOT LIKE 'upload:%'",
  );
  return {
    uploadedIndicators: new Map(uploaded.map((r) => [r.id, r.table_id])),
    packageIndicators: new Map(pkg.map((r) => [r.id, r.method])),
  };
}

/** The areas uploads may name. */
export async function readUploadAreas(db: Queryable) {
  return db.query<{ level: 'district' | 'quarter' | 'action-area'; code: string; name: string }>(
    "SELECT level, code, name FROM atlas.area WHERE level IN ('district', 'quarter', 'action-area') ORDER BY level, code",
  );
}
