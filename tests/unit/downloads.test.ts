import { describe, expect, it } from 'vitest';
import {
  classificationText,
  classRange,
  gpkgSrs,
  tableName,
  type ValuesBody,
  viewGeoJson,
  viewRows,
} from '../../server/domain/downloads.ts';
import { CRS84, EPSG_25832 } from '../../server/domain/ogc-crs.ts';

/** The parts of a values answer the downloads read: two areas with a class, one withheld. */
const body = {
  indicator: { id: 'share', title: { de: 'Anteil', en: 'Share' }, unit: '%' },
  level: 'quarter',
  date: '2022-12-31',
  values: [
    {
      code: '010',
      name: 'A',
      value: 12.5,
      reference_date: '2022-12-31',
      method: 'computed',
      source: { id: 's1' },
      suppressed: false,
      reason: null,
      class: 0,
    },
    {
      code: '011',
      name: 'B',
      value: 40,
      reference_date: '2022-12-31',
      method: 'computed',
      source: { id: 's1' },
      suppressed: false,
      reason: null,
      class: 1,
    },
    {
      code: '012',
      name: 'C',
      value: null,
      reference_date: null,
      method: null,
      source: null,
      suppressed: true,
      reason: { de: 'zu wenige', en: 'too few' },
      class: null,
    },
  ],
  classification: { method: 'quantile', classes: 2, breaks: [20, 40], min: 12.5, max: 40 },
} as unknown as ValuesBody;

describe('downloads of a view', () => {
  it('gives each class its range: from the minimum for the first, from the bound below for the others', () => {
    expect(classRange(body.classification, 0)).toEqual({ from: 12.5, to: 20 });
    expect(classRange(body.classification, 1)).toEqual({ from: 20, to: 40 });
    expect(classRange(body.classification, null)).toEqual({ from: null, to: null });
    expect(classRange({ breaks: [], min: null }, 0)).toEqual({ from: null, to: null });
  });

  it('writes one row per area with class from 1, its range, and why a value is missing', () => {
    const rows = viewRows(body);
    expect(rows.map((r) => [r.code, r.value, r.class, r.class_from, r.class_to])).toEqual([
      ['010', 12.5, 1, 12.5, 20],
      ['011', 40, 2, 20, 40],
      ['012', null, null, null, null],
    ]);
    expect(rows[2]).toMatchObject({ suppressed: true, reason: 'too few', unit: '%', source: null });
    expect(rows[0]).toMatchObject({ source: 's1', reference_date: '2022-12-31', method: 'computed' });
    expect(classificationText(body.classification)).toBe('quantile, 2 classes');
  });

  it('names EPSG:25832 in the GeoJSON file, not CRS84 (the GeoJSON default), and rounds coordinates per CRS', () => {
    const square = {
      type: 'MultiPolygon',
      coordinates: [
        [
          [
            [7.1234567891234, 51.1],
            [7.2, 51.1],
            [7.2, 51.2],
            [7.1234567891234, 51.1],
          ],
        ],
      ],
    };
    const geometries = new Map([['010', square]]);
    const wgs = viewGeoJson(body, geometries, CRS84, ['Sources and licences:']);
    expect('crs' in wgs).toBe(false);
    expect(wgs.features.map((f) => f.id)).toEqual(['010', '011', '012']);
    expect(wgs.features[1]?.geometry).toBeNull();
    expect(JSON.stringify(wgs.features[0]?.geometry)).toContain('7.123456789,');
    expect(wgs).toMatchObject({ date: '2022-12-31', level: 'quarter', attribution: ['Sources and licences:'] });
    const utm = viewGeoJson(body, new Map(), EPSG_25832, []);
    expect(utm).toMatchObject({ crs: { type: 'name', properties: { name: 'urn:ogc:def:crs:EPSG::25832' } } });
  });

  it('takes a CRS name from its WKT, and makes table names of collection ids', () => {
    expect(
      gpkgSrs(25832, { auth_name: 'EPSG', auth_srid: 25832, srtext: 'PROJCS["ETRS89 / UTM zone 32N",GEOGCS[]]' }),
    ).toEqual({
      srsId: 25832,
      name: 'ETRS89 / UTM zone 32N',
      organization: 'EPSG',
      organizationId: 25832,
      definition: 'PROJCS["ETRS89 / UTM zone 32N",GEOGCS[]]',
    });
    expect(gpkgSrs(4326, { auth_name: 'EPSG', auth_srid: 4326, srtext: '' }).name).toBe('EPSG:4326');
    expect(tableName('action-areas')).toBe('action_areas');
    expect(tableName('quarters.residents')).toBe('quarters_residents');
  });
});
