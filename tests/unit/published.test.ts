import { describe, expect, it } from 'vitest';
import { periodEnd, pickAll, pickShown } from '../../geodata/published.ts';

const r = (row: number, referenceDate: string | null, value: number) => ({ row, referenceDate, value });

describe('which published figure is shown', () => {
  it('reads a year or a month as the last day of that period', () => {
    expect(periodEnd('2023')).toEqual({ end: '2023-12-31', precision: 1 });
    expect(periodEnd('2024-02')).toEqual({ end: '2024-02-29', precision: 2 });
    expect(periodEnd('2023-02')).toEqual({ end: '2023-02-28', precision: 2 });
    expect(periodEnd('2021-12-31')).toEqual({ end: '2021-12-31', precision: 3 });
    expect(periodEnd('Ende 2021')).toBeNull();
  });

  it('shows the newest dated value, an undated one only where nothing is dated', () => {
    expect(pickShown([r(2, null, 5), r(3, '2021-12-31', 7), r(4, '2023-12-31', 9)]).shown.value).toBe(9);
    expect(pickShown([r(2, null, 5), r(3, '2015', 7)]).shown.value).toBe(7);
    expect(pickShown([r(2, null, 5), r(3, null, 6)]).shown.value).toBe(5);
  });

  it('counts a year as its last day and prefers the more precise date on that day', () => {
    // '2023' ends after '2023-06-30'; on 31 Dec 2023 the day beats the bare year.
    expect(pickShown([r(2, '2023-06-30', 1), r(3, '2023', 2)]).shown.value).toBe(2);
    expect(pickShown([r(2, '2023', 2), r(3, '2023-12-31', 3)]).shown.value).toBe(3);
    expect(pickShown([r(2, '2023-12', 2), r(3, '2023', 3)]).shown.value).toBe(2);
  });

  it('takes the first row among values of one date and names those that disagree', () => {
    const same = pickShown([r(7, '2023-12-31', 100), r(3, '2023-12-31', 100)]);
    expect(same.shown.row).toBe(3);
    expect(same.disagreeing).toEqual([]);
    const differ = pickShown([r(9, '2023-12-31', 110), r(3, '2023-12-31', 100), r(4, '2021-12-31', 90)]);
    expect(differ.shown.row).toBe(3);
    expect(differ.disagreeing.map((d) => d.value)).toEqual([110]);
  });

  it('picks per group', () => {
    const picks = pickAll([r(2, '2020', 1), r(3, '2021', 2), r(4, '2019', 3)], (x) => (x.row === 4 ? 'b' : 'a'));
    expect([...picks].map(([k, p]) => [k, p.shown.value])).toEqual([
      ['a', 2],
      ['b', 3],
    ]);
  });
});
