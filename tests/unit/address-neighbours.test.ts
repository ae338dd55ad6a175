import { describe, expect, it } from 'vitest';
import { nearestHouseNumbers, splitHouseNumber, streetsOf } from '../../server/domain/address-neighbours.ts';
import { searchKey } from '../../server/domain/search-key.ts';

const row = (street: string, number: string, lon = 0, lat = 0) => ({
  street,
  house_number: number,
  search_key: searchKey(`${street} ${number}`),
  lon,
  lat,
});

describe('address neighbours', () => {
  it('takes a key apart into street key and house number', () => {
    expect(splitHouseNumber('muensterstr100')).toEqual({ streetKey: 'muensterstr', number: '100' });
    expect(splitHouseNumber('muensterstr55a')).toEqual({ streetKey: 'muensterstr', number: '55a' });
    expect(splitHouseNumber('muensterstr')).toBeNull();
    expect(splitHouseNumber('100')).toBeNull();
  });

  it('offers the nearest house number below and above first, then the others by nearness', () => {
    const street = ['95', '97', '99', '101', '103', '105', '55', '55A'].map((n) => row('Münsterstraße', n));
    const other = row('Münsterstraßenweg', '100');
    const found = nearestHouseNumbers([...street, other], 'muensterstr', '100', 4).map((r) => r.house_number);
    expect(found).toEqual(['99', '101', '97', '103']);
    expect(nearestHouseNumbers(street, 'muensterstr', '55b', 3).map((r) => r.house_number)).toEqual([
      '55A',
      '95',
      '55',
    ]);
    expect(nearestHouseNumbers(street, 'muensterstr', '96', 3).map((r) => r.house_number)).toEqual(['95', '97', '99']);
    expect(nearestHouseNumbers(street, 'muensterstr', '200', 2).map((r) => r.house_number)).toEqual(['105', '103']);
    expect(nearestHouseNumbers(street, 'muensterstr', 'x', 2)).toEqual([]);
  });

  it('shows a street by its address nearest to the middle of all of them', () => {
    const rows = [row('Ring', '1', 0, 0), row('Ring', '2', 1, 1), row('Ring', '3', 2, 0), row('Weg', '1', 5, 5)];
    const streets = streetsOf(rows);
    expect(streets.map((s) => [s.street, s.at.house_number, s.count])).toEqual([
      ['Ring', '2', 3],
      ['Weg', '1', 1],
    ]);
  });
});
