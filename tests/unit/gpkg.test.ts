import initSqlJs from 'sql.js';
import { describe, expect, it } from 'vitest';
import {
  ATTRIBUTION_STANDARD,
  columnsOf,
  GPKG_APPLICATION_ID,
  GPKG_USER_VERSION,
  type GpkgSrs,
  gpkgGeometry,
  writeGeoPackage,
} from '../../server/domain/gpkg.ts';

/** Little-endian WKB of a point, written by hand (PostGIS' ST_AsBinary(g, 'NDR') writes the same). */
function pointWkb(x: number, y: number): Uint8Array {
  const out = new Uint8Array(21);
  const v = new DataView(out.buffer);
  out[0] = 1;
  v.setUint32(1, 1, true);
  v.setFloat64(5, x, true);
  v.setFloat64(13, y, true);
  return out;
}

const WGS84: GpkgSrs = {
  srsId: 4326,
  name: 'WGS 84',
  organization: 'EPSG',
  organizationId: 4326,
  definition:
    'GEOGCS["WGS 84",DATUM["WGS_1984",SPHEROID["WGS 84",6378137,298.257223563]],PRIMEM["Greenwich",0],UNIT["degree",0.0174532925199433]]',
};
const UTM: GpkgSrs = {
  srsId: 25832,
  name: 'ETRS89 / UTM zone 32N',
  organization: 'EPSG',
  organizationId: 25832,
  definition: 'PROJCS["ETRS89 / UTM zone 32N"]',
};

describe('GeoPackage writer', () => {
  it('writes the GeoPackageBinary header: GP, version 0, little-endian flags with envelope, srs_id, then the WKB', () => {
    const wkb = pointWkb(7.5, 51.5);
    const g = gpkgGeometry(wkb, 4326, [7.5, 51.5, 7.5, 51.5]);
    const v = new DataView(g.buffer);
    expect([g[0], g[1], g[2], g[3]]).toEqual([0x47, 0x50, 0, 0b11]);
    expect(v.getInt32(4, true)).toBe(4326);
    expect([v.getFloat64(8, true), v.getFloat64(16, true), v.getFloat64(24, true), v.getFloat64(32, true)]).toEqual([
      7.5, 7.5, 51.5, 51.5,
    ]);
    expect(g.slice(40)).toEqual(wkb);
    const empty = gpkgGeometry(wkb, 4326, null);
    expect(empty[3]).toBe(0b10001);
    expect(empty.length).toBe(8 + wkb.length);
  });

  it('writes a GeoPackage 1.3 with required tables, typed columns, values and the attribution as metadata', async () => {
    const bytes = await writeGeoPackage({
      table: 'quarters_x',
      identifier: 'Quarters x',
      description: 'Source: A – Licence: dl-de/by-2-0',
      geometryType: 'POINT',
      srs: UTM,
      wgs84: WGS84,
      columns: [
        { name: 'code', type: 'TEXT' },
        { name: 'value', type: 'REAL' },
        { name: 'suppressed', type: 'BOOLEAN' },
      ],
      features: [
        { wkb: pointWkb(390000, 5710000), envelope: [390000, 5710000, 390000, 5710000], values: ['010', 74, false] },
        { wkb: pointWkb(391000, 5711000), envelope: [391000, 5711000, 391000, 5711000], values: ['011', null, true] },
      ],
      metadata: 'Sources and licences:\nSource: A',
      timestamp: '2026-12-07T00:00:00.000Z',
    });
    const SQL = await initSqlJs();
    const db = new SQL.Database(bytes);
    const one = (sql: string) => db.exec(sql)[0]?.values;
    expect(one('PRAGMA application_id')).toEqual([[GPKG_APPLICATION_ID]]);
    expect(one('PRAGMA user_version')).toEqual([[GPKG_USER_VERSION]]);
    expect(one('SELECT srs_id FROM gpkg_spatial_ref_sys ORDER BY srs_id')).toEqual([[-1], [0], [4326], [25832]]);
    expect(one('SELECT data_type, srs_id, min_x, min_y, max_x, max_y, description FROM gpkg_contents')).toEqual([
      ['features', 25832, 390000, 5710000, 391000, 5711000, 'Source: A – Licence: dl-de/by-2-0'],
    ]);
    expect(one('SELECT column_name, geometry_type_name, srs_id FROM gpkg_geometry_columns')).toEqual([
      ['geom', 'POINT', 25832],
    ]);
    expect(one("SELECT name, type FROM pragma_table_info('quarters_x') ORDER BY cid")).toEqual([
      ['fid', 'INTEGER'],
      ['geom', 'POINT'],
      ['code', 'TEXT'],
      ['value', 'REAL'],
      ['suppressed', 'BOOLEAN'],
    ]);
    expect(one('SELECT code, value, suppressed, typeof(value) FROM quarters_x ORDER BY fid')).toEqual([
      ['010', 74, 0, 'real'],
      ['011', null, 1, 'null'],
    ]);
    expect(one('SELECT md_standard_uri, mime_type, metadata FROM gpkg_metadata')).toEqual([
      [ATTRIBUTION_STANDARD, 'text/plain', 'Sources and licences:\nSource: A'],
    ]);
    expect(one('SELECT reference_scope, table_name, md_file_id FROM gpkg_metadata_reference')).toEqual([
      ['table', 'quarters_x', 1],
    ]);
    expect(one('PRAGMA integrity_check')).toEqual([['ok']]);
    db.close();
  });

  it('refuses names that are no plain identifiers, and fid or geom as a value column', async () => {
    const base = {
      table: 't',
      identifier: 't',
      description: '',
      geometryType: 'POINT' as const,
      srs: WGS84,
      wgs84: WGS84,
      features: [],
      metadata: '',
      timestamp: '2026-12-07T00:00:00.000Z',
    };
    await expect(writeGeoPackage({ ...base, columns: [{ name: 'a"b', type: 'TEXT' }] })).rejects.toThrow(/a"b/);
    await expect(writeGeoPackage({ ...base, columns: [{ name: 'geom', type: 'TEXT' }] })).rejects.toThrow(/geom/);
  });

  it('types columns by what they hold: numbers REAL even when all missing, booleans, the rest text', () => {
    const rows = [
      { a: null, b: true, c: 'x', d: 2 },
      { a: null, b: false, c: null, d: 3 },
    ];
    expect(columnsOf(['a', 'b', 'c', 'd'], rows, new Set(['a']))).toEqual([
      { name: 'a', type: 'REAL' },
      { name: 'b', type: 'BOOLEAN' },
      { name: 'c', type: 'TEXT' },
      { name: 'd', type: 'REAL' },
    ]);
  });
});
