/**
 * Offer lists in the atlas schema (issue 21). The lists and their versions live in the app schema (server/uploads);
 * `applyOfferLists` writes the current version of every public list into atlas.offer, after an upload, a rollback
 * and every import (the import builds atlas afresh, so lists survive it). It starts from the package's state each
 * time: the OpenStreetMap points lists replaced come back from atlas.offer_replaced, the lists' offers and merged
 * fields go, the categories' marks return from atlas.category_package; then each list, in the order of its id:
 *
 * - the OpenStreetMap points of its categories in the area it covers (the city, or its districts or quarters)
 *   move to atlas.offer_replaced;
 * - each row that is the twin of an offer still there (the manifest's twin rules, geodata/twins.ts: the official
 *   Kitas and schools) is merged into it: the list's fields join that offer's attrs; every other row becomes an
 *   offer of its own, `list-<list id>-<row>`, with the list as its source;
 * - a list covering the whole city lifts the "incomplete" mark of its categories.
 *
 * Internal lists are never written into atlas: nothing anonymous reads them. Values are always `$n` parameters.
 */
import { findTwin, type TwinRules } from '../../../geodata/twins.ts';
import type { OfferListMeta, OfferListRow } from '../../domain/offer-list.ts';
import { searchKey } from '../../domain/search-key.ts';
import type { Queryable } from '../index.ts';

export const OFFER_LIST_KIND = 'offer-list';

/** The fields of a list's row kept in an offer's attrs (read by the nearest answer, LIST_FILTER in offers.ts). */
export const LIST_ATTRS = [
  'list',
  'openingHours',
  'ageMin',
  'ageMax',
  'languages',
  'wheelchair',
  'phone',
  'url',
  'programme',
  'validFrom',
  'validTo',
  'listCategory',
] as const;

/** A geocoded row as a version stores it: the row and where it was placed. */
export interface PlacedRow extends OfferListRow {
  point: [number, number];
  /** The register's address it was placed at ("Marktstraße 2a"); null for a position from the file. */
  address: string | null;
}

/** What a version of a list stores (app.upload_version.content). */
export interface OfferListContent {
  meta: OfferListMeta;
  rows: PlacedRow[];
}

export interface AppliedList {
  id: string;
  version: number;
  offers: number;
  merged: { row: number; into: string }[];
  replaced: number;
}

function attrsOf(list: { id: string; version: number; meta: OfferListMeta }, r: PlacedRow) {
  const all: Record<string, unknown> = {
    list: { id: list.id, version: list.version, title: list.meta.title, date: list.meta.date },
    openingHours: r.openingHours,
    ageMin: r.ageMin,
    ageMax: r.ageMax,
    languages: r.languages,
    wheelchair: r.wheelchair,
    phone: r.phone,
    url: r.url,
    programme: r.programme,
    validFrom: r.validFrom,
    validTo: r.validTo,
    listCategory: r.listCategory,
  };
  return Object.fromEntries(Object.entries(all).filter(([, v]) => v !== null));
}

/** The current versions of the lists, public and internal. */
export async function readCurrentLists(
  db: Queryable,
): Promise<{ id: string; version: number; content: OfferListContent }[]> {
  return db.query(
    `SELECT t.id, v.version, v.content FROM app.upload_table t
     JOIN app.upload_version v ON v.table_id = t.id AND v.version = t.current_version
     WHERE t.kind = $1 ORDER BY t.id`,
    [OFFER_LIST_KIND],
  );
}

/** Writes the current public lists into atlas (see the head of this file); what each did. */
export async function applyOfferLists(tx: Queryable): Promise<AppliedList[]> {
  const [ready] = await tx.query<{ present: boolean }>(
    "SELECT to_regclass('atlas.offer_replaced') IS NOT NULL AS present",
  );
  if (!ready?.present) return []; // an import from before offer lists
  await tx.exec(`
    INSERT INTO atlas.offer SELECT * FROM atlas.offer_replaced;
    DELETE FROM atlas.offer_replaced;
    DELETE FROM atlas.offer WHERE source_id LIKE 'list:%';
    DELETE FROM atlas.source WHERE id LIKE 'list:%';
    INSERT INTO atlas.category_package (code, incomplete) SELECT code, incomplete FROM atlas.category
      ON CONFLICT (code) DO NOTHING;
    UPDATE atlas.category c SET incomplete = p.incomplete FROM atlas.category_package p WHERE p.code = c.code;`);
  await tx.query(`UPDATE atlas.offer SET attrs = attrs - $1::text[] WHERE attrs ? 'list'`, [[...LIST_ATTRS]]);

  const [city] = await tx.query<{ twin_rules: TwinRules | null }>('SELECT twin_rules FROM atlas.city LIMIT 1');
  const rules = city?.twin_rules ?? null;
  const out: AppliedList[] = [];
  for (const list of await readCurrentLists(tx)) {
    const { meta, rows } = list.content;
    if (meta.visibility !== 'public') continue;
    const source = `list:${list.id}`;
    await tx.query(
      `INSERT INTO atlas.source (id, title, publisher, licence, attribution, url, reference_date, note, shown)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9::jsonb)`,
      [
        source,
        meta.title,
        meta.publisher,
        meta.licence,
        meta.attribution,
        meta.url,
        meta.date,
        `Offer list ${list.id}, version ${list.version}`,
        JSON.stringify({
          de: { title: meta.title, publisher: meta.publisher, licence: meta.licence },
          en: { title: meta.title, publisher: meta.publisher, licence: meta.licence },
        }),
      ],
    );
    const categories = [...new Set(Object.values(meta.categories))];
    const [moved] = await tx.query<{ n: number }>(
      `WITH moved AS (
         DELETE FROM atlas.offer o
         WHERE o.category = ANY ($1::text[]) AND o.id LIKE 'osm-%'
           AND ($2::text = 'city' OR ($2::text = 'district' AND o.district_code = ANY ($3::text[]))
                OR ($2::text = 'quarter' AND o.quarter_code = ANY ($3::text[])))
         RETURNING o.*)
       , kept AS (INSERT INTO atlas.offer_replaced SELECT * FROM moved RETURNING 1)
       SELECT count(*)::int AS n FROM kept`,
      [categories, meta.covers.level, meta.covers.codes],
    );
    const applied: AppliedList = {
      id: list.id,
      version: list.version,
      offers: 0,
      merged: [],
      replaced: moved?.n ?? 0,
    };
    for (const r of rows) {
      const attrs = attrsOf({ id: list.id, version: list.version, meta }, r);
      if (rules) {
        const near = await tx.query<{ id: string; name: string | null; lon: number; lat: number }>(
          `SELECT id, name, ST_X(geom) AS lon, ST_Y(geom) AS lat FROM atlas.offer
           WHERE category = $1 AND source_id NOT LIKE 'list:%' AND NOT attrs ? 'list'
             AND ST_DWithin(geom::geography, ST_SetSRID(ST_MakePoint($2::float8, $3::float8), 4326)::geography, $4::float8)`,
          [r.category, r.point[0], r.point[1], Math.max(rules.maxM, rules.sameNameM)],
        );
        const twin = findTwin({ name: r.name, lon: r.point[0], lat: r.point[1] }, near, rules);
        if (twin) {
          await tx.query('UPDATE atlas.offer SET attrs = attrs || $2::jsonb WHERE id = $1', [
            twin.official.id,
            JSON.stringify(attrs),
          ]);
          applied.merged.push({ row: r.row, into: twin.official.id });
          continue;
        }
      }
      await tx.query(
        `WITH p AS (SELECT ST_SetSRID(ST_MakePoint($4::float8, $5::float8), 4326) AS g),
         q AS (SELECT a.code, a.parent_code FROM atlas.area a, p
               WHERE a.level = 'quarter' ORDER BY NOT ST_Intersects(a.geom, p.g), a.geom <-> p.g, a.code LIMIT 1)
         INSERT INTO atlas.offer (id, category, name, street, attrs, geom, quarter_code, district_code, action_area_code,
                                  source_id, reference_date, external_id, search_key)
         SELECT $1, $2, $3, $6, $7::jsonb, p.g, q.code, q.parent_code,
                (SELECT aa.code FROM atlas.area aa WHERE aa.level = 'action-area' AND ST_Intersects(aa.geom, p.g)
                 ORDER BY aa.code LIMIT 1),
                $8, $9, $10, $11
         FROM p, q`,
        [
          `list-${list.id}-${r.row}`,
          r.category,
          r.name,
          r.point[0],
          r.point[1],
          r.address,
          JSON.stringify(attrs),
          source,
          meta.date,
          `row ${r.row}`,
          searchKey(r.name),
        ],
      );
      applied.offers += 1;
    }
    if (meta.covers.level === 'city')
      await tx.query('UPDATE atlas.category SET incomplete = NULL WHERE code = ANY ($1::text[])', [categories]);
    out.push(applied);
  }
  return out;
}
