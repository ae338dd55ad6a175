import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import type { Db, Queryable } from '../server/db/index.ts';
import { applyOfferLists } from '../server/db/queries/offer-lists.ts';
import { applyUploadedIndicators } from '../server/db/queries/uploaded-indicators.ts';
import { searchKey } from '../server/domain/search-key.ts';
import { loadAliases } from './aliases.ts';
import { CATEGORIES, categoryStatus } from './categories.ts';
import { checkColumns, checkRecords } from './check.ts';
import { deriveFiles, rederiveOffers } from './derive.ts';
import { loadManifest, type Manifest } from './manifest.ts';
import { loadPackageTables, packageTableFiles } from './package-tables.ts';
import {
  type AddressRecords,
  type AreaRecord,
  alsoCategoryOffers,
  type FigureRecord,
  mergeTwins,
  type OfferRecord,
  parseAddresses,
  parseAreas,
  parseKitas,
  parseOsm,
  parsePublished,
  parseSchools,
} from './parse.ts';
import { pickAll } from './published.ts';
import { PackageError } from './read.ts';
import { deriveWalking, readWalkNetwork, storeWalkNetwork, WALK_DERIVE_FILE, walkTiles } from './walk.ts';

export interface ImportOptions {
  dir: string;
  manifestPath?: string;
  log?: (line: string) => void;
  force?: boolean;
  /**
   * The package read ahead (readPackage, e.g. in a worker while the database starts) with its log lines; used
   * when the package has to be imported. When it failed, the import reads the package itself.
   */
  parsed?: Promise<{ parsed: ParsedPackage; lines: string[] }>;
}

export interface ImportResult {
  status: 'loaded' | 'unchanged';
  packageSha256: string;
  counts: Record<string, number>;
  warnings: string[];
}

const here = import.meta.dirname;
const SCHEMA_SQL = join(here, '../server/db/atlas.sql');
const CATALOGUE = join(here, 'indicator-catalogue.json');
/** Bump when the importer's logic changes in a way that changes the imported data. */
const IMPORTER_VERSION = '5';

export function defaultManifestPath(dir: string): string {
  const own = join(dir, 'quartiersatlas.json');
  return existsSync(own) ? own : join(here, 'manifests/dortmund.json');
}

/** One checksum over every input: package files, manifest, schema, derivations and importer version. */
function packageChecksum(dir: string, manifestPath: string, m: Manifest): { sha: string; files: Map<string, string> } {
  const files = new Map<string, string>();
  const all = new Hash();
  for (const file of [...new Set(m.sources.flatMap((s) => s.files))].sort()) {
    const path = join(dir, file);
    if (!existsSync(path)) throw new PackageError(file, null, null, 'file is missing');
    const sha = createHash('sha256').update(readFileSync(path)).digest('hex');
    files.set(file, sha);
    all.add(`${file}:${sha}`);
  }
  // The basemap tiles the walking network is built from (geodata/walk.ts).
  for (const f of walkTiles(dir)?.files ?? [])
    all.add(`${relative(dir, f.path)}:${createHash('sha256').update(readFileSync(f.path)).digest('hex')}`);
  // Tables of indicator values the package delivers (issue 15, geodata/package-tables.ts).
  for (const file of packageTableFiles(m)) {
    const path = join(dir, file);
    if (!existsSync(path)) throw new PackageError(file, null, null, 'file is missing');
    all.add(`${file}:${createHash('sha256').update(readFileSync(path)).digest('hex')}`);
  }
  for (const path of [manifestPath, SCHEMA_SQL, CATALOGUE, ...deriveFiles()]) all.add(readFileSync(path, 'utf8'));
  all.add(IMPORTER_VERSION);
  return { sha: all.digest(), files };
}

class Hash {
  private h = createHash('sha256');
  add(s: string) {
    this.h.update(s).update('\0');
  }
  digest() {
    return this.h.digest('hex');
  }
}

/** What the import reads from the package's files before it touches the database. */
export interface ParsedPackage {
  areas: AreaRecord[];
  addresses: AddressRecords;
  offers: OfferRecord[];
  figures: FigureRecord[];
}

/** Reads and checks every file of the package (no database): the first part of the import. */
export function readPackage(
  dir: string,
  m: Manifest,
  published: Set<string>,
  out: { log: (line: string) => void; warn: (w: string) => void; step: (name: string, count?: number) => void },
): ParsedPackage {
  const { log, warn, step } = out;
  const areas = parseAreas(dir, m);
  step('read areas', areas.length);
  const addresses = parseAddresses(dir, m);
  step('read addresses', addresses.street.length);
  const schools = parseSchools(dir, m, warn);
  const kitas = parseKitas(dir, m, warn);
  const osmAll = parseOsm(dir, m);
  const { kept: osm, merged, dropped } = mergeTwins([...schools, ...kitas], osmAll.offers, m.osm.twins);
  const also = alsoCategoryOffers(kitas, m);
  const offers = [...schools, ...kitas, ...also, ...osm];
  step(
    `read offers (${schools.length} schools, ${kitas.length} Kitas, ${also.length} of them also of another category, ` +
      `${osm.length} OSM points; ${merged.length} OSM twins merged into official records, ` +
      `${osmAll.dropped.length + dropped.length} OSM points not offers by the manifest's rules)`,
    offers.length,
  );
  for (const d of osmAll.dropped)
    log(`  not an offer: ${m.osm.file}, record ${d.record} "${d.name ?? ''}": ${d.reason}`);
  for (const d of dropped) log(`  not an offer: ${m.osm.file}, ${d.osm.externalId}: ${d.reason}`);
  const figures = parsePublished(dir, m, published);
  step('read published figures', figures.length);
  checkColumns(dir, m);
  checkRecords(m, areas, offers);
  return { areas, addresses, offers, figures };
}

/** The published indicators of the catalogue, which parsePublished accepts. */
export function publishedIndicators(): Set<string> {
  return new Set(Object.keys((JSON.parse(readFileSync(CATALOGUE, 'utf8')) as { published: object }).published));
}

export async function runImport(db: Db, opts: ImportOptions): Promise<ImportResult> {
  const log = opts.log ?? ((line: string) => console.log(line));
  const dir = resolve(opts.dir);
  const manifestPath = opts.manifestPath ?? defaultManifestPath(dir);
  const warnings: string[] = [];
  const warn = (w: string) => {
    warnings.push(w);
    log(`  warning: ${w}`);
  };
  let t = performance.now();
  const step = (name: string, count?: number) => {
    const now = performance.now();
    log(
      `[import] ${name}${count === undefined ? '' : `: ${count.toLocaleString('en')}`} (${((now - t) / 1000).toFixed(1)} s)`,
    );
    t = now;
  };

  // Every import that is not skipped as unchanged is logged in app.import_run, and a refusal ends its run as
  // 'failed' with the error: one while reading the manifest, the checksums or the files as much as one in the load.
  let runId: number | undefined;
  let sha: string | null = null;
  let city: string | null = null;
  try {
    const m = loadManifest(manifestPath);
    city = m.city.name;
    const checked = packageChecksum(dir, manifestPath, m);
    const files = checked.files;
    sha = checked.sha;
    step(`checksums of ${files.size} files`);
    if (!opts.force) {
      const last = await db.query<{ package_sha256: string }>(
        "SELECT package_sha256 FROM app.import_run WHERE status = 'loaded' ORDER BY id DESC LIMIT 1",
      );
      const live = await db.query("SELECT 1 FROM information_schema.schemata WHERE schema_name = 'atlas'");
      if (last[0]?.package_sha256 === sha && live.length > 0) {
        log(`[import] the package is unchanged (sha256 ${sha.slice(0, 12)}): nothing to import`);
        return { status: 'unchanged', packageSha256: sha, counts: {}, warnings };
      }
    }
    runId = (
      await db.query<{ id: number }>(
        "INSERT INTO app.import_run (status, package_dir, package_sha256, city) VALUES ('running', $1, $2, $3) RETURNING id",
        [dir, sha, city],
      )
    )[0]?.id;

    const catalogue = JSON.parse(readFileSync(CATALOGUE, 'utf8')) as { published: Record<string, PublishedDef> };
    const published = new Set(Object.keys(catalogue.published));
    // Read while the database started (opts.parsed, e.g. geodata/parse-ahead.ts), else now.
    const ahead = opts.parsed ? await opts.parsed.catch(() => null) : null;
    for (const line of ahead?.lines ?? []) {
      if (line.startsWith('  warning: ')) warn(line.slice('  warning: '.length));
      else log(line);
    }
    const { areas, addresses, offers, figures } = ahead?.parsed ?? readPackage(dir, m, published, { log, warn, step });
    const tiles = walkTiles(dir);
    const walk = tiles ? readWalkNetwork(tiles) : null;
    if (walk)
      step(
        `built the walking network from ${walk.report.tiles} tiles (z${walk.report.zoom}): ${walk.report.nodes} nodes, ` +
          `${walk.report.edges} edges, ${walk.report.components} components (the largest ${walk.report.largestComponentNodes} nodes), ` +
          `${walk.report.seamJoins} seam and ${walk.report.junctions} T-junction joins, ${(walk.report.bytes / 1e6).toFixed(1)} MB`,
      );

    const counts = await db.transaction(
      async (tx) => {
        await tx.exec('DROP SCHEMA IF EXISTS atlas_staging CASCADE; CREATE SCHEMA atlas_staging');
        await tx.exec('SET LOCAL search_path TO atlas_staging, public');
        await tx.exec(readFileSync(SCHEMA_SQL, 'utf8'));
        await loadSources(tx, m, files);
        await loadCity(tx, m);
        await loadAreas(tx, m, areas, warn);
        step('loaded areas and checked their geometry', areas.length);
        step('loaded area aliases', await loadAliases(tx, m, manifestPath));
        await loadAddresses(tx, m, addresses, step);
        step('assigned the addresses to quarters, districts and action areas');
        await loadSubquarters(tx, m);
        step('derived sub-quarters and action-area members');
        await loadOffers(tx, offers);
        await loadCategoryStatus(tx, m);
        step('loaded offers and assigned them to quarters');
        await loadPublished(tx, m, catalogue.published, figures, warn);
        step('loaded published figures');
        const walkSnaps = walk ? await storeWalkNetwork(tx, walk, m.web.basemapSource, step) : null;
        for (const file of deriveFiles()) {
          if (file.endsWith(WALK_DERIVE_FILE)) {
            await deriveWalking(tx, walk, walkSnaps);
            step('computed the walking distances, detours and 2SFCA catchments');
          }
          await tx.exec(readFileSync(file, 'utf8'));
          step(`derived ${file.split('/').pop()}`);
        }
        const counts = await checkStaging(tx, m);
        step('checked the staged data');
        await tx.exec(`SET LOCAL search_path TO public;
        DROP SCHEMA IF EXISTS atlas_previous CASCADE;
        DO $$ BEGIN
          IF EXISTS (SELECT 1 FROM information_schema.schemata WHERE schema_name = 'atlas') THEN
            ALTER SCHEMA atlas RENAME TO atlas_previous;
          END IF;
        END $$;
        ALTER SCHEMA atlas_staging RENAME TO atlas;`);
        // Uploaded tables (issue 15) live in the app schema: written into the new atlas schema at once.
        await loadPackageTables(tx, dir, m, log);
        const uploads = await applyUploadedIndicators(tx);
        for (const id of uploads.skipped)
          warn(`uploaded indicator ${id} not applied: the package now has ${id} itself`);
        // Offer lists (issue 21) too: their offers replace OpenStreetMap points in the new atlas schema.
        const lists = await applyOfferLists(tx);
        for (const l of lists) log(`[import] offer list ${l.id} v${l.version}: ${l.offers} offers`);
        // ... and the computed indicators count them (geodata/derive.ts).
        if (lists.length > 0) {
          const again = await rederiveOffers(tx);
          step(`derived the ${again.indicators} computed indicators again with the offer lists`);
        }
        await tx.query("UPDATE app.import_run SET status = 'loaded', finished_at = now(), summary = $2 WHERE id = $1", [
          runId,
          JSON.stringify({ counts, warnings }),
        ]);
        return counts;
      },
      { long: true },
    );
    step('swapped the new data in');
    return { status: 'loaded', packageSha256: sha, counts, warnings };
  } catch (err) {
    const message = (err as Error).message;
    await (runId !== undefined
      ? db.query("UPDATE app.import_run SET status = 'failed', finished_at = now(), error = $2 WHERE id = $1", [
          runId,
          message,
        ])
      : db.query(
          `INSERT INTO app.import_run (status, package_dir, package_sha256, city, finished_at, error)
             VALUES ('failed', $1, $2, $3, now(), $4)`,
          [dir, sha, city, message],
        )
    ).catch(() => {}); // the database may be the reason for the failure
    log(`[import] FAILED: ${(err as Error).message}`);
    log('[import] the data imported before is unchanged');
    throw err;
  }
}

interface PublishedDef {
  theme: string;
  unit: string;
  direction: string;
  title: { de: string; en: string };
  countBased: boolean;
}

async function loadSources(tx: Queryable, m: Manifest, files: Map<string, string>) {
  for (const s of m.sources) {
    const shas = s.files.map((f) => files.get(f)).join(' ');
    await tx.query(
      `INSERT INTO source (id, title, publisher, licence, attribution, url, file, sha256, reference_date, note, shown,
                           licence_note)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11::jsonb, $12)`,
      [
        s.id,
        s.title.de,
        s.publisher.de,
        s.licence.de,
        s.attribution,
        s.url,
        s.files.join(', ') || null,
        shas || null,
        s.referenceDate,
        s.note,
        JSON.stringify(
          Object.fromEntries(
            (['de', 'en'] as const).map((l) => [
              l,
              { title: s.title[l], publisher: s.publisher[l], licence: s.licence[l] },
            ]),
          ),
        ),
        s.licenceNote,
      ],
    );
  }
  await tx.query(
    `INSERT INTO category (code, sort, labels) SELECT code, ord, labels::jsonb FROM unnest($1::text[], $2::text[]) WITH ORDINALITY AS c(code, labels, ord)`,
    [CATEGORIES.map((c) => c.code), CATEGORIES.map((c) => JSON.stringify(c.labels))],
  );
}

/** The city's name, clock and middle (the manifest's city section). */
async function loadCity(tx: Queryable, m: Manifest) {
  const [west, south, east, north] = m.city.bbox;
  await tx.query(
    `INSERT INTO city (code, name, time_zone, holidays, centre, twin_rules)
     VALUES ($1, $2, $3, $4::jsonb, ST_SetSRID(ST_MakePoint($5::float8, $6::float8), 4326), $7::jsonb)`,
    [
      m.city.code,
      m.city.name,
      m.city.timeZone,
      m.city.holidays && JSON.stringify(m.city.holidays),
      (west + east) / 2,
      (south + north) / 2,
      JSON.stringify(m.osm.twins),
    ],
  );
}

async function loadAreas(tx: Queryable, m: Manifest, areas: AreaRecord[], warn: (w: string) => void) {
  const col = <K extends keyof AreaRecord>(k: K) => areas.map((a) => a[k]);
  await tx.query(
    `INSERT INTO area (level, code, name, numbered, geom, source_id, attrs)
     SELECT level, code, name, numbered, ST_Multi(ST_SetSRID(ST_GeomFromGeoJSON(g), 4326)), src, attrs::jsonb
     FROM unnest($1::text[], $2::text[], $3::text[], $4::boolean[], $5::text[], $6::text[], $7::text[])
       AS t(level, code, name, numbered, g, src, attrs)`,
    [
      col('level'),
      col('code'),
      col('name'),
      col('numbered'),
      col('geometry'),
      col('source'),
      areas.map((a) => JSON.stringify(a.attrs)),
    ],
  );
  // A self-intersection from coordinate rounding is repaired when the repair changes the area by less than 0.1 %;
  // anything larger is an error in the package.
  const invalid = await tx.query<{ level: string; code: string; reason: string; change: number }>(
    `SELECT level, code, ST_IsValidReason(geom) AS reason,
            abs(ST_Area(ST_CollectionExtract(ST_MakeValid(geom), 3)) - ST_Area(geom)) / nullif(ST_Area(geom), 0) AS change
     FROM area WHERE NOT ST_IsValid(geom)`,
  );
  for (const bad of invalid) {
    const file =
      bad.level === 'district' ? m.districts.file : bad.level === 'quarter' ? m.quarters.file : m.actionAreas.file;
    if (!(bad.change < 0.001))
      throw new PackageError(file, `code ${bad.code}`, 'geometry', `invalid polygon: ${bad.reason}`);
    warn(
      `${file}, record code ${bad.code}: ${bad.reason} repaired (area changed by ${(bad.change * 100).toFixed(4)} %)`,
    );
  }
  await tx.exec(
    `UPDATE area SET geom = ST_Multi(ST_CollectionExtract(ST_MakeValid(geom), 3)) WHERE NOT ST_IsValid(geom)`,
  );
  await tx.exec(`
    -- On the ellipsoid: a UTM grid without its scale factor shrinks a city by about 0.05 %.
    UPDATE area SET area_m2 = ST_Area(geom::geography), label_point = ST_PointOnSurface(geom);
    -- Small pieces make point-in-polygon fast on both engines.
    CREATE TEMP TABLE piece ON COMMIT DROP AS
      SELECT level, code, ST_Subdivide(geom, 64) AS geom FROM area WHERE geom IS NOT NULL;
    CREATE INDEX ON piece USING gist (geom);
    ANALYZE piece;
    -- A quarter belongs to the district that holds its interior point (ST_Intersection is avoided: on PGlite
    -- it silently returns no rows for some valid polygons).
    UPDATE area q SET parent_code = (
      SELECT d.code FROM area d WHERE d.level = 'district' ORDER BY d.geom <-> q.label_point LIMIT 1)
    WHERE q.level = 'quarter';`);
  const orphan = await tx.query<{ code: string }>(
    "SELECT code FROM area WHERE level = 'quarter' AND parent_code IS NULL",
  );
  if (orphan[0])
    throw new PackageError(m.quarters.file, `code ${orphan[0].code}`, 'geometry', 'the quarter lies in no district');
}

/**
 * The SQL that gives each row of `tbl` its quarter (the nearest one where it lies in a gap between the boundary
 * files), district and action area. The join runs polygon by polygon over the rows' spatial index, so PostGIS can
 * reuse each prepared polygon: four times faster than testing row by row.
 */
function assignSql(tbl: string): string {
  return `
    ANALYZE ${tbl};
    UPDATE ${tbl} t SET quarter_code = x.quarter, action_area_code = x.action_area, district_code = q.parent_code
    FROM (SELECT id, min(code) FILTER (WHERE level = 'quarter') AS quarter,
                 min(code) FILTER (WHERE level = 'action-area') AS action_area
          FROM (SELECT a.id, p.level, p.code FROM piece p JOIN ${tbl} a ON ST_Intersects(p.geom, a.geom) OFFSET 0) j
          GROUP BY id) x
    LEFT JOIN area q ON q.level = 'quarter' AND q.code = x.quarter
    WHERE x.id = t.id;
    UPDATE ${tbl} t SET quarter_code = (SELECT p.code FROM piece p WHERE p.level = 'quarter' ORDER BY p.geom <-> t.geom LIMIT 1)
    WHERE quarter_code IS NULL;
    UPDATE ${tbl} t SET district_code = q.parent_code FROM area q
    WHERE t.district_code IS NULL AND q.level = 'quarter' AND q.code = t.quarter_code;
    ALTER TABLE ${tbl} ALTER COLUMN quarter_code SET NOT NULL, ALTER COLUMN district_code SET NOT NULL;
    ANALYZE ${tbl};`;
}

async function loadAddresses(
  tx: Queryable,
  m: Manifest,
  a: ReturnType<typeof parseAddresses>,
  step: (name: string, count?: number) => void,
) {
  await tx.exec(
    `ALTER TABLE address ALTER COLUMN quarter_code DROP NOT NULL, ALTER COLUMN district_code DROP NOT NULL`,
  );
  // Coordinates far outside the city (a wrong CRS, a typo) are named here, before PostGIS fails on them.
  const [box] = await tx.query<{ x0: number; y0: number; x1: number; y1: number }>(
    `SELECT ST_XMin(e) AS x0, ST_YMin(e) AS y0, ST_XMax(e) AS x1, ST_YMax(e) AS y1
     FROM ST_Transform(ST_MakeEnvelope($1, $2, $3, $4, 4326), $5::int) AS e`,
    [...m.city.bbox, m.addresses.srid],
  );
  if (box) {
    const margin = Math.max(box.x1 - box.x0, box.y1 - box.y0);
    const far = a.x.findIndex(
      (x, i) =>
        x < box.x0 - margin ||
        x > box.x1 + margin ||
        (a.y[i] as number) < box.y0 - margin ||
        (a.y[i] as number) > box.y1 + margin,
    );
    if (far >= 0)
      throw new PackageError(
        m.addresses.file,
        `row ${far + 2}`,
        m.addresses.xField,
        `coordinate (${a.x[far]}, ${a.y[far]}) lies far outside the city in EPSG:${m.addresses.srid}`,
      );
  }
  // The b-tree indexes the load and the assignment do not use are built once at the end rather than row by row,
  // on insert and again on update (a third less time for this step; BENCHMARKS.md). Keys and the spatial index stay.
  const deferred = await tx.query<{ name: string; def: string }>(
    `SELECT indexname AS name, indexdef AS def FROM pg_indexes
     WHERE schemaname = current_schema() AND tablename = 'address' AND indexdef NOT LIKE '%USING gist%'
       AND indexname NOT IN (SELECT conname FROM pg_constraint WHERE conrelid = 'address'::regclass)`,
  );
  for (const index of deferred) await tx.exec(`DROP INDEX ${index.name}`);
  const chunk = 20_000;
  for (let i = 0; i < a.street.length; i += chunk) {
    const s = (arr: (string | number)[]) => arr.slice(i, i + chunk);
    await tx.query(
      `INSERT INTO address (id, street, house_number, street_code, search_key, geom, subquarter_code)
       SELECT $1::int + n, street, nr, sc, key, ST_Transform(ST_SetSRID(ST_MakePoint(x, y), $9::int), 4326), ubz
       FROM unnest($2::text[], $3::text[], $4::text[], $5::text[], $6::float8[], $7::float8[], $8::text[])
         WITH ORDINALITY AS t(street, nr, sc, key, x, y, ubz, n)`,
      [
        i,
        s(a.street),
        s(a.number),
        s(a.streetCode),
        a.street.slice(i, i + chunk).map((st, j) => searchKey(`${st}${a.number[i + j]}`)),
        s(a.x),
        s(a.y),
        s(a.subquarter),
        m.addresses.srid,
      ],
    );
  }
  step('loaded addresses', a.street.length);
  await tx.exec(assignSql('address'));
  for (const index of deferred) await tx.exec(index.def);
}

async function loadSubquarters(tx: Queryable, m: Manifest) {
  // A sub-quarter has no polygon: its parent is the quarter that holds most of its addresses.
  await tx.exec(`
    INSERT INTO area (level, code, name, parent_code, source_id)
    SELECT DISTINCT ON (subquarter_code) 'subquarter', subquarter_code, subquarter_code, quarter_code, '${m.addresses.source}'
    FROM address WHERE subquarter_code IS NOT NULL
    GROUP BY subquarter_code, quarter_code
    ORDER BY subquarter_code, count(*) DESC;
    INSERT INTO area_member (action_area_code, member_level, member_code, address_share)
    SELECT a.action_area_code, 'subquarter', a.subquarter_code, count(*)::float8 / max(tot.n)
    FROM address a JOIN (SELECT subquarter_code, count(*) AS n FROM address GROUP BY subquarter_code) tot USING (subquarter_code)
    WHERE a.action_area_code IS NOT NULL GROUP BY a.action_area_code, a.subquarter_code;
    INSERT INTO area_member (action_area_code, member_level, member_code, address_share)
    SELECT a.action_area_code, 'quarter', a.quarter_code, count(*)::float8 / max(tot.n)
    FROM address a JOIN (SELECT quarter_code, count(*) AS n FROM address GROUP BY quarter_code) tot USING (quarter_code)
    WHERE a.action_area_code IS NOT NULL GROUP BY a.action_area_code, a.quarter_code;`);
}

async function loadOffers(tx: Queryable, offers: OfferRecord[]) {
  const col = <K extends keyof OfferRecord>(k: K) => offers.map((o) => o[k]);
  await tx.exec(`ALTER TABLE offer ALTER COLUMN quarter_code DROP NOT NULL, ALTER COLUMN district_code DROP NOT NULL`);
  await tx.query(
    `INSERT INTO offer (id, category, subcategory, name, street, postcode, city, places_u3, places_o3, pupils, attrs, geom,
                        source_id, reference_date, external_id, search_key)
     SELECT id, cat, sub, name, street, pc, city, u3, o3, pupils, attrs::jsonb, ST_SetSRID(ST_MakePoint(lon, lat), 4326),
            src, ref, ext, key
     FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[], $8::int[], $9::int[],
                 $10::int[], $11::text[], $12::float8[], $13::float8[], $14::text[], $15::text[], $16::text[], $17::text[])
       AS t(id, cat, sub, name, street, pc, city, u3, o3, pupils, attrs, lon, lat, src, ref, ext, key)`,
    [
      col('id'),
      col('category'),
      col('subcategory'),
      col('name'),
      col('street'),
      col('postcode'),
      col('city'),
      col('placesU3'),
      col('placesO3'),
      col('pupils'),
      offers.map((o) => JSON.stringify(o.attrs)),
      col('lon'),
      col('lat'),
      col('source'),
      col('referenceDate'),
      col('externalId'),
      // A second record of a place (a Kita that is also a family centre) is found by its category, not by its
      // name: the name finds the first record, so that a search lists the place once.
      offers.map((o) => (o.attrs.sameAs ? '' : searchKey(o.name ?? ''))),
    ],
  );
  await tx.exec(assignSql('offer'));
}

/** The method note of every published indicator: where the values come from and which one is shown. */
export const PUBLISHED_METHOD_NOTE = {
  de:
    'Aus veröffentlichten Quellen übernommen, nicht berechnet; jeder Wert mit seiner Quelle (der ursprünglichen Seite), ' +
    'seinem Stichtag und einem wörtlichen Zitat. Gezeigt wird je Gebiet der Wert mit dem neuesten Stichtag (eine Jahres- oder ' +
    'Monatsangabe zählt als letzter Tag des Zeitraums; am selben Tag geht die genauere Angabe vor, bei gleichem Stichtag die ' +
    'erste Zeile der Tabelle); Werte ohne Stichtag nur, wo es keinen datierten gibt, und sie werden als „ohne Datum“ gezeigt. ' +
    'Manche Stichtage sind erschlossen und ungefähr. Werte verschiedener Stichtage werden nicht zusammengezählt.',
  en:
    'Taken from published sources, not computed; every value with its source (the original page), its reference date and a ' +
    'verbatim quote. Each area shows the value with the newest reference date (a year or a month counts as the last day of ' +
    'that period; on the same day the more precise date wins, on the same date the first row of the table); undated values ' +
    'only where there is no dated one, and they are shown as undated. Some dates are inferred and approximate. Values of ' +
    'different dates are never added up.',
};

/** Which categories are too thin to answer for, and the warnings of subcategories (manifest: osm.completeness). */
async function loadCategoryStatus(tx: Queryable, m: Manifest) {
  const rows = await tx.query<{ category: string; subcategory: string | null; n: number; dates: string | null }>(
    `SELECT category, subcategory, count(*)::int AS n, string_agg(DISTINCT reference_date, '/') AS dates
     FROM offer GROUP BY category, subcategory`,
  );
  const counts = new Map<string, number>();
  const subcounts = new Map<string, number>();
  for (const r of rows) {
    counts.set(r.category, (counts.get(r.category) ?? 0) + r.n);
    if (r.subcategory) subcounts.set(r.subcategory, (subcounts.get(r.subcategory) ?? 0) + r.n);
  }
  const dateOf = (sub: string) => rows.find((r) => r.subcategory === sub)?.dates ?? '?';
  const status = categoryStatus(counts, subcounts, m.osm.completeness, dateOf);
  await tx.query(
    `UPDATE category c SET incomplete = s.incomplete::jsonb, warnings = s.warnings::jsonb
     FROM unnest($1::text[], $2::text[], $3::text[]) AS s(code, incomplete, warnings) WHERE c.code = s.code`,
    [
      status.map((s) => s.code),
      status.map((s) => (s.incomplete ? JSON.stringify(s.incomplete) : null)),
      status.map((s) => JSON.stringify(s.warnings)),
    ],
  );
}

async function loadPublished(
  tx: Queryable,
  m: Manifest,
  defs: Record<string, PublishedDef>,
  figures: ReturnType<typeof parsePublished>,
  warn: (w: string) => void,
) {
  const file = m.publishedFigures.file;
  const areas = await tx.query<{ level: string; code: string; name: string }>(
    "SELECT level, code, name FROM area WHERE level IN ('district', 'quarter', 'action-area')",
  );
  const byCode = new Set(areas.map((a) => `${a.level}:${a.code}`));
  const byName = new Map(areas.map((a) => [`${a.level}:${a.name.toLowerCase()}`, a.code]));
  const rows: ((typeof figures)[number] & { areaCode: string })[] = [];
  for (const f of figures) {
    let code = f.code;
    if (f.level === 'city') {
      if (code !== m.city.code) {
        warn(
          `${file}, row ${f.row}: unit "${f.unitName}" is not the city itself (code ${code ?? 'empty'}); not loaded`,
        );
        continue;
      }
    } else {
      code ??= byName.get(`${f.level}:${f.unitName.toLowerCase()}`) ?? null;
      if (!code || !byCode.has(`${f.level}:${code}`))
        throw new PackageError(
          file,
          `row ${f.row}`,
          'unit_code',
          `no ${f.level} "${f.unitName}" (code ${f.code ?? 'empty'})`,
        );
    }
    rows.push({ ...f, areaCode: code as string });
  }
  const used = [...new Set(rows.map((r) => r.indicator))];
  await tx.query(
    `INSERT INTO indicator (id, theme, title, description, unit, direction, method, method_note, source_ids, count_based, sort)
     SELECT id, theme, title::jsonb, description::jsonb, unit, direction, 'published', note::jsonb, ARRAY[$9], cb, 1000 + n
     FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[], $8::boolean[])
       WITH ORDINALITY AS t(id, theme, title, description, unit, direction, note, cb, n)`,
    [
      used,
      used.map((id) => defs[id]?.theme),
      used.map((id) => JSON.stringify(defs[id]?.title)),
      used.map((id) =>
        JSON.stringify({
          de: `Veröffentlichter Wert: ${defs[id]?.title.de}. Jeder Wert mit Quelle, Datum und Zitat.`,
          en: `Published figure: ${defs[id]?.title.en}. Every value with its source, date and quote.`,
        }),
      ),
      used.map((id) => defs[id]?.unit),
      used.map((id) => defs[id]?.direction),
      used.map(() => JSON.stringify(PUBLISHED_METHOD_NOTE)),
      used.map((id) => defs[id]?.countBased ?? false),
      m.publishedFigures.source,
    ],
  );
  // The shown value per unit and indicator, by the rule of geodata/published.ts; a different value of the same
  // date from another row is named in the shown value's date note and in the warnings.
  const picks = pickAll(rows, (r) => `${r.indicator}|${r.level}|${r.areaCode}`);
  const shown = new Set<number>();
  const dateNotes = new Map(rows.map((r) => [r.row, r.dateNote]));
  for (const { shown: s, disagreeing } of picks.values()) {
    shown.add(s.row);
    if (disagreeing.length === 0) continue;
    const others = disagreeing.map((d) => `${d.value} (row ${d.row}, ${d.sourceUrl ?? d.sourceTitle})`).join('; ');
    dateNotes.set(s.row, `${s.dateNote ? `${s.dateNote}; ` : ''}other value for the same date: ${others}`);
    const rowsList = disagreeing.map((d) => d.row).join(', ');
    warn(
      `${file}, row ${s.row}: ${s.indicator} of ${s.level} ${s.areaCode} on ${s.referenceDate ?? 'no date'} is ` +
        `${s.value}, row(s) ${rowsList} say otherwise; row ${s.row} is shown (first in the file)`,
    );
  }
  const col = <K extends keyof (typeof rows)[number]>(k: K) => rows.map((r) => r[k]);
  await tx.query(
    `INSERT INTO indicator_value (indicator_id, level, area_code, reference_date, value, method, source_id, source_url, quote, note,
                                  is_latest, date_note, retrieved_from)
     SELECT ind, lvl, code, ref, val, 'published', $9, url, quote, title, latest, dnote, via
     FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::float8[], $6::text[], $7::text[], $8::text[],
                 $10::boolean[], $11::text[], $12::text[])
       AS t(ind, lvl, code, ref, val, url, quote, title, latest, dnote, via)`,
    [
      col('indicator'),
      col('level'),
      col('areaCode'),
      col('referenceDate'),
      col('value'),
      col('sourceUrl'),
      col('quote'),
      col('sourceTitle'),
      m.publishedFigures.source,
      rows.map((r) => shown.has(r.row)),
      rows.map((r) => dateNotes.get(r.row) ?? null),
      col('retrievedFrom'),
    ],
  );
}

async function checkStaging(tx: Queryable, m: Manifest): Promise<Record<string, number>> {
  const [c] = await tx.query<Record<string, number>>(`
    SELECT (SELECT count(*) FROM area WHERE level = 'district') AS districts,
           (SELECT count(*) FROM area WHERE level = 'quarter') AS quarters,
           (SELECT count(*) FROM area WHERE level = 'subquarter') AS subquarters,
           (SELECT count(*) FROM area WHERE level = 'action-area') AS action_areas,
           (SELECT count(*) FROM address) AS addresses,
           (SELECT count(*) FROM offer) AS offers,
           (SELECT count(*) FROM offer WHERE category = 'school' AND source_id = '${m.schools.source}') AS schools,
           (SELECT count(*) FROM indicator_value) AS indicator_values,
           (SELECT sum(area_m2) / 1e6 FROM area WHERE level = 'quarter') AS quarter_area_km2`);
  if (!c) throw new Error('the staged data cannot be counted');
  if (c.subquarters !== m.addresses.expectedSubquarters)
    throw new PackageError(
      m.addresses.file,
      null,
      m.addresses.subquarterField,
      `expected ${m.addresses.expectedSubquarters} sub-quarters, found ${c.subquarters}`,
    );
  const area = Number(c.quarter_area_km2);
  if (Math.abs(area - m.city.expectedAreaKm2) / m.city.expectedAreaKm2 > 0.01)
    throw new PackageError(
      m.quarters.file,
      null,
      'geometry',
      `the quarters cover ${area.toFixed(1)} km², expected ${m.city.expectedAreaKm2} km² ± 1 %`,
    );
  return { ...c, quarter_area_km2: Math.round(area * 100) / 100 };
}
