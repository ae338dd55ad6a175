import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Queryable } from '../server/db/index.ts';
import { WALK_DERIVE_FILE } from './walk.ts';

/**
 * The computed indicators (server/sql/derive/*.sql): the import runs every file in name order in its staging schema.
 * `rederiveOffers` runs them again on the live atlas schema once offer lists have changed atlas.offer (issue 21: an
 * upload, a rollback, the lists applied after an import), so that the offers per category, the coverage and the
 * education chain count the lists' offers and no longer the OpenStreetMap points they replace; their method notes
 * name the sources counted. The walking indicators (150_walk.sql, built on the network the import snaps the
 * package's offers to) are left as the import made them.
 */

export const DERIVE_DIR = join(import.meta.dirname, '../server/sql/derive');

/** The derivation files in the order they run. */
export function deriveFiles(): string[] {
  return existsSync(DERIVE_DIR)
    ? readdirSync(DERIVE_DIR)
        .filter((f) => f.endsWith('.sql'))
        .sort()
        .map((f) => join(DERIVE_DIR, f))
    : [];
}

/** The indicators of 150_walk.sql, by their ids: kept as the import made them. */
const WALK_IDS = `(id LIKE 'coverage\\_walk\\_%' OR id LIKE 'walk\\_detour\\_%' OR id LIKE '%\\_walk\\_2sfca')`;

/**
 * Runs the derivations again on atlas, inside the caller's transaction: in a scratch schema that holds the
 * indicators the derivations do not make (published, uploaded) and reads everything else from atlas (100_base.sql
 * makes its indicator_facet there), then swaps
 * the computed indicators of atlas (all but the walking ones) for the new ones: how many it made, and how long it took.
 */
export async function rederiveOffers(tx: Queryable): Promise<{ indicators: number; ms: number }> {
  const t0 = performance.now();
  // The import's own derivation ran in this transaction: its temporary tables go first.
  const temps = await tx.query<{ name: string }>(
    `SELECT relname AS name FROM pg_class
     WHERE relnamespace = pg_my_temp_schema() AND relkind = 'r' AND relname LIKE 'drv\\_%'`,
  );
  for (const t of temps) await tx.exec(`DROP TABLE pg_temp.${t.name}`);
  await tx.exec(`
    DROP SCHEMA IF EXISTS atlas_rederive CASCADE;
    CREATE SCHEMA atlas_rederive;
    CREATE TEMP TABLE drv_computed ON COMMIT DROP AS
      SELECT DISTINCT indicator_id AS id FROM atlas.indicator_value WHERE source_id = 'quartiersatlas';
    CREATE TABLE atlas_rederive.indicator (LIKE atlas.indicator INCLUDING ALL);
    CREATE TABLE atlas_rederive.indicator_value (LIKE atlas.indicator_value INCLUDING ALL);
    INSERT INTO atlas_rederive.indicator SELECT * FROM atlas.indicator WHERE id NOT IN (SELECT id FROM drv_computed);
    INSERT INTO atlas_rederive.indicator_value
      SELECT * FROM atlas.indicator_value WHERE source_id IS DISTINCT FROM 'quartiersatlas';
    SET LOCAL search_path TO atlas_rederive, atlas, public;`);
  for (const file of deriveFiles()) {
    if (file.endsWith(WALK_DERIVE_FILE)) continue;
    await tx.exec(readFileSync(file, 'utf8'));
  }
  const [made] = await tx.query<{ n: number }>(
    `SELECT count(*)::int AS n FROM atlas_rederive.indicator WHERE id IN (
       SELECT indicator_id FROM atlas_rederive.indicator_value WHERE source_id = 'quartiersatlas')`,
  );
  await tx.exec(`
    RESET search_path;
    CREATE TEMP TABLE drv_replaced ON COMMIT DROP AS
      SELECT id FROM drv_computed WHERE NOT ${WALK_IDS};
    CREATE TEMP TABLE drv_made ON COMMIT DROP AS
      SELECT DISTINCT indicator_id AS id FROM atlas_rederive.indicator_value
      WHERE source_id = 'quartiersatlas' AND indicator_id NOT IN (SELECT id FROM drv_computed WHERE ${WALK_IDS});
    DELETE FROM atlas.indicator_facet WHERE indicator_id IN (SELECT id FROM drv_replaced);
    DELETE FROM atlas.indicator_value WHERE source_id = 'quartiersatlas' AND indicator_id IN (SELECT id FROM drv_replaced);
    DELETE FROM atlas.indicator i WHERE i.id IN (SELECT id FROM drv_replaced) AND i.id NOT IN (SELECT id FROM drv_made)
      AND NOT EXISTS (SELECT 1 FROM atlas.indicator_value v WHERE v.indicator_id = i.id);
    INSERT INTO atlas.indicator SELECT n.* FROM atlas_rederive.indicator n WHERE n.id IN (SELECT id FROM drv_made)
      ON CONFLICT (id) DO UPDATE SET theme = excluded.theme, title = excluded.title, description = excluded.description,
        unit = excluded.unit, direction = excluded.direction, method = excluded.method,
        method_note = excluded.method_note, source_ids = excluded.source_ids, count_based = excluded.count_based,
        sort = excluded.sort;
    INSERT INTO atlas.indicator_value SELECT v.* FROM atlas_rederive.indicator_value v
      WHERE v.source_id = 'quartiersatlas' AND v.indicator_id IN (SELECT id FROM drv_made);
    INSERT INTO atlas.indicator_facet SELECT f.* FROM atlas_rederive.indicator_facet f
      WHERE f.indicator_id IN (SELECT id FROM drv_made);
    DROP SCHEMA atlas_rederive CASCADE;`);
  return { indicators: made?.n ?? 0, ms: Math.round(performance.now() - t0) };
}
