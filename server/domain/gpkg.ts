/**
 * A GeoPackage 1.3 writer for the downloads (issue 17), on SQLite compiled to WebAssembly (sql.js: no native build).
 * No maintained GeoPackage writer exists for Node; this one writes what a GIS needs to open one layer:
 *
 * - `application_id` 'GPKG' and `user_version` 10300;
 * - `gpkg_spatial_ref_sys` with the three rows the standard requires (-1, 0, 4326) and the layer's own CRS, their
 *   WKT as PostGIS' spatial_ref_sys gives it;
 * - `gpkg_contents` (its `description` holds the attribution) and `gpkg_geometry_columns`;
 * - the feature table: `fid`, a geometry column of GeoPackageBinary (the 'GP' header, version 0, flags with an
 *   envelope, the srs_id, then little-endian WKB as PostGIS' ST_AsBinary writes it), and typed value columns;
 * - the metadata extension (`gpkg_metadata`, `gpkg_metadata_reference`): the attribution as plain text for the
 *   layer's table.
 *
 * Geometry and CRS definitions come from the database; no WKB is written here. Computation only, no I/O.
 */
import initSqlJs, { type SqlJsStatic } from 'sql.js';

export interface GpkgSrs {
  srsId: number;
  name: string;
  organization: string;
  organizationId: number;
  /** WKT 1, as PostGIS' spatial_ref_sys.srtext holds it. */
  definition: string;
}

export type GpkgColumnType = 'REAL' | 'INTEGER' | 'BOOLEAN' | 'TEXT';
export type GpkgValue = string | number | boolean | null;

export interface GpkgColumn {
  name: string;
  type: GpkgColumnType;
}

export interface GpkgFeature {
  /** Little-endian (NDR) WKB in the layer's CRS, x then y; null for a feature without geometry. */
  wkb: Uint8Array | null;
  /** [minX, minY, maxX, maxY] of the geometry. */
  envelope: [number, number, number, number] | null;
  values: readonly GpkgValue[];
}

export interface GpkgLayer {
  /** The feature table's name: letters, digits and underscores. */
  table: string;
  identifier: string;
  /** gpkg_contents.description: the attribution the sources' licences require. */
  description: string;
  geometryType: 'MULTIPOLYGON' | 'POINT' | 'GEOMETRY';
  srs: GpkgSrs;
  /** The 4326 row the standard requires in every GeoPackage (the layer's own when it is in 4326). */
  wgs84: GpkgSrs;
  columns: readonly GpkgColumn[];
  features: readonly GpkgFeature[];
  /** Plain text for gpkg_metadata, referenced to the table. */
  metadata: string;
  /** ISO timestamp for last_change and the metadata reference. */
  timestamp: string;
}

/** 'GPKG' as a 32-bit integer. */
export const GPKG_APPLICATION_ID = 0x47504b47;
export const GPKG_USER_VERSION = 10300;
/** gpkg_metadata.md_standard_uri of the attribution: plain text of this project's own form. */
export const ATTRIBUTION_STANDARD = 'urn:quartiersatlas:attribution';

const NAME = /^[A-Za-z0-9_]{1,120}$/;

let engine: Promise<SqlJsStatic> | null = null;
/** sql.js, loaded once (its WebAssembly from the package's own folder). */
function sqlJs(): Promise<SqlJsStatic> {
  engine ??= initSqlJs();
  return engine;
}

/**
 * The GeoPackageBinary of one geometry: magic 'GP', version 0, flags (little-endian, envelope [minx, maxx, miny,
 * maxy]), srs_id, then the WKB. An empty geometry (no envelope) gets flags with the empty bit and no envelope.
 */
export function gpkgGeometry(
  wkb: Uint8Array,
  srsId: number,
  envelope: [number, number, number, number] | null,
): Uint8Array {
  const header = envelope ? 8 + 32 : 8;
  const out = new Uint8Array(header + wkb.length);
  const view = new DataView(out.buffer);
  out[0] = 0x47; // G
  out[1] = 0x50; // P
  out[2] = 0; // version 1 of the binary format
  // bit 0: little-endian header; bits 1-3: envelope 1 = [minx, maxx, miny, maxy]; bit 4: empty geometry
  out[3] = envelope ? 0b0000_0011 : 0b0001_0001;
  view.setInt32(4, srsId, true);
  if (envelope) {
    const [minX, minY, maxX, maxY] = envelope;
    view.setFloat64(8, minX, true);
    view.setFloat64(16, maxX, true);
    view.setFloat64(24, minY, true);
    view.setFloat64(32, maxY, true);
  }
  out.set(wkb, header);
  return out;
}

const quote = (name: string) => `"${name}"`;

/** The GeoPackage file of one feature layer. Throws on a table or column name that is no plain identifier. */
export async function writeGeoPackage(layer: GpkgLayer): Promise<Uint8Array> {
  for (const name of [layer.table, ...layer.columns.map((c) => c.name)])
    if (!NAME.test(name)) throw new Error(`GeoPackage: "${name}" is no plain identifier`);
  if (layer.columns.some((c) => /^(fid|geom)$/i.test(c.name)))
    throw new Error('GeoPackage: fid and geom are the names of the key and the geometry');
  const SQL = await sqlJs();
  const db = new SQL.Database();
  try {
    db.run(`PRAGMA application_id = ${GPKG_APPLICATION_ID}; PRAGMA user_version = ${GPKG_USER_VERSION};`);
    db.run(`
      CREATE TABLE gpkg_spatial_ref_sys (
        srs_name TEXT NOT NULL, srs_id INTEGER PRIMARY KEY, organization TEXT NOT NULL,
        organization_coordsys_id INTEGER NOT NULL, definition TEXT NOT NULL, description TEXT);
      CREATE TABLE gpkg_contents (
        table_name TEXT NOT NULL PRIMARY KEY, data_type TEXT NOT NULL, identifier TEXT UNIQUE, description TEXT DEFAULT '',
        last_change DATETIME NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')),
        min_x DOUBLE, min_y DOUBLE, max_x DOUBLE, max_y DOUBLE, srs_id INTEGER,
        CONSTRAINT fk_gc_r_srs_id FOREIGN KEY (srs_id) REFERENCES gpkg_spatial_ref_sys(srs_id));
      CREATE TABLE gpkg_geometry_columns (
        table_name TEXT NOT NULL, column_name TEXT NOT NULL, geometry_type_name TEXT NOT NULL, srs_id INTEGER NOT NULL,
        z TINYINT NOT NULL, m TINYINT NOT NULL,
        CONSTRAINT pk_geom_cols PRIMARY KEY (table_name, column_name),
        CONSTRAINT fk_gc_tn FOREIGN KEY (table_name) REFERENCES gpkg_contents(table_name),
        CONSTRAINT fk_gc_srs FOREIGN KEY (srs_id) REFERENCES gpkg_spatial_ref_sys (srs_id));
      CREATE TABLE gpkg_extensions (
        table_name TEXT, column_name TEXT, extension_name TEXT NOT NULL, definition TEXT NOT NULL, scope TEXT NOT NULL,
        CONSTRAINT ge_tce UNIQUE (table_name, column_name, extension_name));
      CREATE TABLE gpkg_metadata (
        id INTEGER CONSTRAINT m_pk PRIMARY KEY ASC NOT NULL, md_scope TEXT NOT NULL DEFAULT 'dataset',
        md_standard_uri TEXT NOT NULL, mime_type TEXT NOT NULL DEFAULT 'text/xml', metadata TEXT NOT NULL DEFAULT '');
      CREATE TABLE gpkg_metadata_reference (
        reference_scope TEXT NOT NULL, table_name TEXT, column_name TEXT, row_id_value INTEGER,
        timestamp DATETIME NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')), md_file_id INTEGER NOT NULL,
        md_parent_id INTEGER,
        CONSTRAINT crmr_mfi_fk FOREIGN KEY (md_file_id) REFERENCES gpkg_metadata(id),
        CONSTRAINT crmr_mpi_fk FOREIGN KEY (md_parent_id) REFERENCES gpkg_metadata(id));
    `);
    const srsRows: [string, number, string, number, string, string][] = [
      ['Undefined cartesian SRS', -1, 'NONE', -1, 'undefined', 'undefined cartesian coordinate reference system'],
      ['Undefined geographic SRS', 0, 'NONE', 0, 'undefined', 'undefined geographic coordinate reference system'],
    ];
    for (const s of layer.srs.srsId === layer.wgs84.srsId ? [layer.wgs84] : [layer.wgs84, layer.srs])
      srsRows.push([s.name, s.srsId, s.organization, s.organizationId, s.definition, s.name]);
    for (const row of srsRows) db.run('INSERT INTO gpkg_spatial_ref_sys VALUES (?, ?, ?, ?, ?, ?)', row);

    const boxes = layer.features.flatMap((f) => (f.envelope ? [f.envelope] : []));
    const extent = boxes.length
      ? [
          Math.min(...boxes.map((b) => b[0])),
          Math.min(...boxes.map((b) => b[1])),
          Math.max(...boxes.map((b) => b[2])),
          Math.max(...boxes.map((b) => b[3])),
        ]
      : [null, null, null, null];
    db.run('INSERT INTO gpkg_contents VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)', [
      layer.table,
      'features',
      layer.identifier,
      layer.description,
      layer.timestamp,
      ...(extent as (number | null)[]),
      layer.srs.srsId,
    ]);
    db.run('INSERT INTO gpkg_geometry_columns VALUES (?, ?, ?, ?, 0, 0)', [
      layer.table,
      'geom',
      layer.geometryType,
      layer.srs.srsId,
    ]);
    const columns = layer.columns.map((c) => `${quote(c.name)} ${c.type}`).join(', ');
    db.run(
      `CREATE TABLE ${quote(layer.table)} (fid INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL, geom ${layer.geometryType}` +
        `${columns ? `, ${columns}` : ''})`,
    );
    const names = ['geom', ...layer.columns.map((c) => quote(c.name))];
    const insert = db.prepare(
      `INSERT INTO ${quote(layer.table)} (${names.join(', ')}) VALUES (${names.map(() => '?').join(', ')})`,
    );
    db.run('BEGIN');
    for (const f of layer.features) {
      if (f.values.length !== layer.columns.length)
        throw new Error(`GeoPackage: a feature has ${f.values.length} values for ${layer.columns.length} columns`);
      const geom = f.wkb ? gpkgGeometry(f.wkb, layer.srs.srsId, f.envelope) : null;
      insert.run([geom, ...f.values.map((v) => (typeof v === 'boolean' ? (v ? 1 : 0) : v))]);
    }
    db.run('COMMIT');
    insert.free();

    const spec = 'http://www.geopackage.org/spec/#extension_metadata';
    db.run(
      `INSERT INTO gpkg_extensions VALUES ('gpkg_metadata', NULL, 'gpkg_metadata', ?, 'read-write'),
                                          ('gpkg_metadata_reference', NULL, 'gpkg_metadata', ?, 'read-write')`,
      [spec, spec],
    );
    db.run("INSERT INTO gpkg_metadata VALUES (1, 'dataset', ?, 'text/plain', ?)", [
      ATTRIBUTION_STANDARD,
      layer.metadata,
    ]);
    db.run("INSERT INTO gpkg_metadata_reference VALUES ('table', ?, NULL, NULL, ?, 1, NULL)", [
      layer.table,
      layer.timestamp,
    ]);
    return db.export();
  } finally {
    db.close();
  }
}

/**
 * The columns of a layer from its rows' properties: a number column REAL (also when all of it is missing),
 * booleans BOOLEAN, the rest TEXT; in the order of the first row's keys.
 */
export function columnsOf(
  names: readonly string[],
  rows: readonly Record<string, GpkgValue>[],
  numeric: ReadonlySet<string>,
): GpkgColumn[] {
  return names.map((name) => {
    if (numeric.has(name)) return { name, type: 'REAL' };
    const seen = rows.map((r) => r[name]).find((v) => v !== null && v !== undefined);
    return { name, type: typeof seen === 'boolean' ? 'BOOLEAN' : typeof seen === 'number' ? 'REAL' : 'TEXT' };
  });
}
