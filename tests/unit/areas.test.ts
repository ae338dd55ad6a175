import { describe, expect, it } from 'vitest';
import type { AreaDetailRows, AreaShapeRow } from '../../server/db/queries/areas.ts';
import { sourceFiles } from '../../server/db/queries/sources.ts';
import { areaCollection, areaDetail, km2, SIMPLIFY_TOLERANCE_M } from '../../server/domain/areas.ts';
import { AreaCollection, AreaDetail } from '../../server/routes/areas.ts';

const shape = (code: string, extra: Partial<AreaShapeRow> = {}): AreaShapeRow => ({
  code,
  name: `Area ${code}`,
  parent: '1',
  numbered: true,
  area_m2: 2_345_678,
  label_lon: 7.46,
  label_lat: 51.51,
  geometry: JSON.stringify({
    type: 'MultiPolygon',
    coordinates: [
      [
        [
          [7.4, 51.5],
          [7.5, 51.5],
          [7.5, 51.6],
          [7.4, 51.5],
        ],
      ],
    ],
  }),
  ...extra,
});

describe('areaCollection', () => {
  it('makes one feature per row, in the order given, with km² to 2 decimals and the method in meta', () => {
    const body = AreaCollection.parse(areaCollection('quarter', [shape('011'), shape('010', { area_m2: 5_000 })]));
    expect(body.features.map((f) => f.id)).toEqual(['011', '010']);
    expect(body.features.map((f) => f.properties.area_km2)).toEqual([2.35, 0.01]);
    expect(body.features[0]?.properties.label).toEqual([7.46, 51.51]);
    expect(body.meta).toMatchObject({ level: 'quarter', count: 2, coordinate_decimals: 5 });
    expect(body.meta.simplification.tolerance_m).toBe(SIMPLIFY_TOLERANCE_M);
  });

  it('is an empty collection for no rows', () => {
    expect(areaCollection('district', [])).toMatchObject({ features: [], meta: { count: 0 } });
  });
});

describe('areaDetail', () => {
  const rows: AreaDetailRows = {
    area: {
      name: 'Mitte',
      numbered: true,
      area_m2: 1_014_000,
      parent_code: '1',
      label_lon: 7.4567891,
      label_lat: 51.5123449,
      bbox: [7.4000004, 51.4999996, 7.5000001, 51.6],
    },
    parent: { code: '1', name: 'Innenstadt' },
    children: [
      { level: 'subquarter', code: '0101', name: '0101', address_share: null },
      { level: 'quarter', code: '010', name: 'x', address_share: 0.123456 },
    ],
    neighbours: [{ code: '012', name: 'Nord' }],
    actionAreas: [
      { code: null, name: '', numbered: false, address_share: 0.6 },
      { code: 'aa1', name: 'Nordstadt', numbered: true, address_share: 0.4 },
    ],
  };

  it('rounds coordinates to 5 decimals and shares to 4, and leaves out the addresses outside any action area', () => {
    const body = AreaDetail.parse(areaDetail('quarter', '011', rows));
    expect(body).toMatchObject({
      level: 'quarter',
      code: '011',
      area_km2: 1.01,
      label: [7.45679, 51.51234],
      bbox: [7.4, 51.5, 7.5, 51.6],
      parent: { level: 'district', code: '1', name: 'Innenstadt' },
    });
    expect(body.children.map((c) => c.address_share)).toEqual([null, 0.1235]);
    expect(body.action_areas).toEqual([{ code: 'aa1', name: 'Nordstadt', numbered: true, address_share: 0.4 }]);
  });

  it('has no parent where none was read', () => {
    expect(areaDetail('district', '1', { ...rows, parent: null }).parent).toBeNull();
    expect(km2(0)).toBe(0);
  });
});

describe('sourceFiles', () => {
  it('pairs the comma-separated files with the space-separated checksums in order', () => {
    expect(sourceFiles('a.csv, b/c.geojson', 'aaa bbb')).toEqual([
      { path: 'a.csv', sha256: 'aaa' },
      { path: 'b/c.geojson', sha256: 'bbb' },
    ]);
    expect(sourceFiles('a.csv,b.csv', 'aaa')).toEqual([
      { path: 'a.csv', sha256: 'aaa' },
      { path: 'b.csv', sha256: null },
    ]);
    expect(sourceFiles(null, 'aaa')).toEqual([]);
    expect(sourceFiles('', null)).toEqual([]);
  });
});
