import { describe, expect, it } from 'vitest';
import {
  changeBetween,
  comparableDates,
  type DatedValue,
  symmetricBreaks,
  valueAt,
} from '../../server/domain/change.ts';

const row = (
  code: string,
  reference_date: string,
  value: number | null,
  extra: Partial<DatedValue> = {},
): DatedValue => ({
  code,
  name: `Area ${code}`,
  reference_date,
  value,
  basis_count: null,
  is_latest: false,
  ...extra,
});

describe('change between two dates', () => {
  it('takes a year and its last day as one period, the exact date first', () => {
    const rows = [row('1', '2021', 10), row('1', '2021-12-31', 11), row('1', '2023-12-31', 12)];
    expect(valueAt(rows, '2021-12-31')?.value).toBe(11);
    expect(valueAt(rows, '2021')?.value).toBe(10);
    expect(valueAt([row('1', '2021', 10)], '2021-12-31')?.value).toBe(10);
    expect(valueAt(rows, '2022')).toBeNull();
    expect(comparableDates(rows)).toEqual(['2021-12-31', '2023-12-31']);
  });

  it('gives the absolute change and per cent, or percentage points for shares, and classes symmetric about zero', () => {
    const counts = [
      row('1', '2020', 100),
      row('1', '2023', 150),
      row('2', '2020', 200),
      row('2', '2023', 100),
      row('3', '2023', 5),
    ];
    const c = changeBetween(counts, '2020', '2023', {
      unit: 'persons',
      countBased: false,
      minCount: 5,
      measure: 'absolute',
      classes: 5,
    });
    expect(c.relativeUnit).toBe('percent');
    expect(c.areas.map((a) => [a.code, a.absolute, a.relative])).toEqual([
      ['1', 50, 50],
      ['2', -100, -50],
      ['3', null, null],
    ]);
    expect(c.breaks).toEqual([-60, -20, 20, 60, 100]);
    expect(c.areas.map((a) => a.class)).toEqual([3, 0, null]);
    const shares = changeBetween([row('1', '2020', 10), row('1', '2023', 12.5)], '2020', '2023', {
      unit: '%',
      countBased: false,
      minCount: 5,
      measure: 'relative',
      classes: 4,
    });
    expect(shares.relativeUnit).toBe('percentage-points');
    expect(shares.areas[0]).toMatchObject({ absolute: 2.5, relative: 2.5, class: 4 });
    expect(symmetricBreaks([null, 0], 5)).toEqual([0]);
  });

  it('withholds the change of a count resting on fewer than MIN_COUNT', () => {
    const c = changeBetween([row('1', '2020', 3), row('1', '2023', 40)], '2020', '2023', {
      unit: 'persons',
      countBased: true,
      minCount: 5,
      measure: 'absolute',
      classes: 5,
    });
    expect(c.areas[0]).toMatchObject({ suppressed: true, from: null, to: null, absolute: null, class: null });
  });
});
