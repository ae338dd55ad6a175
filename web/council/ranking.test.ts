import { describe, expect, it } from 'vitest';
import { firstDirection, ranks, sortRows } from './ranking.ts';

const rows = [
  { code: '013', name: 'Dorstfelder Brücke', value: 6 },
  { code: '022', name: 'Nordmarkt', value: 9 },
  { code: '014', name: 'Dorstfeld', value: null },
  { code: '123', name: 'Nette', value: 6 },
  { code: '102', name: 'Marten', value: 7.5 },
];

describe('ranks', () => {
  it('ranks from the highest value, ties share a rank, missing values have none', () => {
    const r = ranks(rows);
    expect(Object.fromEntries(r)).toEqual({ '022': 1, '102': 2, '013': 3, '123': 3 });
  });
});

describe('sortRows', () => {
  it('sorts by value either way, missing values always last, ties by number', () => {
    expect(sortRows(rows, 'value', 'descending', 'de').map((r) => r.code)).toEqual(['022', '102', '013', '123', '014']);
    expect(sortRows(rows, 'value', 'ascending', 'de').map((r) => r.code)).toEqual(['013', '123', '102', '022', '014']);
  });

  it('sorts by number and by name in the language’s order', () => {
    expect(sortRows(rows, 'code', 'ascending', 'de').map((r) => r.code)).toEqual(['013', '014', '022', '102', '123']);
    expect(sortRows(rows, 'name', 'descending', 'de').map((r) => r.name)).toEqual([
      'Nordmarkt',
      'Nette',
      'Marten',
      'Dorstfelder Brücke',
      'Dorstfeld',
    ]);
  });

  it('starts a value column from the highest, text columns from A', () => {
    expect(firstDirection('value')).toBe('descending');
    expect(firstDirection('name')).toBe('ascending');
  });
});
