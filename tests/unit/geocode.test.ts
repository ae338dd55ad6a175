import { describe, expect, it } from 'vitest';
import {
  addressKey,
  decideAddress,
  decidePosition,
  normaliseHouseNumber,
  type RegisterAddress,
  sameSpelling,
} from '../../server/domain/geocode.ts';
import { searchKey } from '../../server/domain/search-key.ts';

const at = (id: number, street: string, house_number: string, lon = 7 + id / 1000, lat = 51): RegisterAddress => ({
  id,
  street,
  house_number,
  search_key: searchKey(`${street}${house_number}`),
  lon,
  lat,
  quarter_code: '010',
});

describe('normaliseHouseNumber', () => {
  it.each([
    ['12', '12', false],
    ['12a', '12a', false],
    ['12 A', '12a', false],
    [' 12  a ', '12a', false],
    ['012', '12', false],
    ['12-14', '12', true],
    ['12 – 14', '12', true],
    ['12/14', '12', true],
    ['12a-c', '12a', true],
    ['12 bis 16', '12', true],
    ['Nr. 7', '7', false],
  ])('%j → %j (range %s)', (text, number, range) => {
    expect(normaliseHouseNumber(text)).toEqual({ number, range });
  });

  it.each([[''], ['  '], [null], ['a'], ['zwölf'], ['12 ab']])('%j is no house number', (text) => {
    expect(normaliseHouseNumber(text)).toBeNull();
  });
});

describe('addressKey and sameSpelling', () => {
  it('gives the register’s key for abbreviations, umlaut spellings and ß', () => {
    const key = searchKey('Münsterstraße12a');
    for (const [street, nr] of [
      ['Münsterstraße', '12a'],
      ['Muensterstrasse', '12 A'],
      ['Münsterstr.', '12a'],
      ['MÜNSTERSTR', '12A'],
      ['Münster-Straße', '12a'],
    ] as const)
      expect(addressKey(street, normaliseHouseNumber(nr) ?? { number: '', range: false }), street).toBe(key);
  });

  it('counts only case and spaces as the same spelling', () => {
    const reg = { street: 'Münsterstraße', house_number: '12a' };
    expect(sameSpelling('münsterstraße', '12 a', reg)).toBe(true);
    expect(sameSpelling('Münsterstr.', '12a', reg)).toBe(false);
    expect(sameSpelling('Muensterstraße', '12a', reg)).toBe(false);
  });
});

describe('decideAddress', () => {
  const street = [
    at(1, 'Marktstraße', '1'),
    at(2, 'Marktstraße', '2a'),
    at(3, 'Marktstraße', '5'),
    at(4, 'Marktstraße', '9'),
  ];

  it('is exact when the row writes the register’s address', () => {
    const r = decideAddress(
      { street: 'Marktstraße', houseNumber: '2a' },
      { exact: [street[1] as RegisterAddress], street: [], similar: [] },
    );
    expect(r).toMatchObject({ match: 'exact', point: [7.002, 51], address: 'Marktstraße 2a', note: null });
  });

  it('is normalised when abbreviation, umlaut spelling or suffix differ, and says how it was written', () => {
    const r = decideAddress(
      { street: 'Marktstr.', houseNumber: '2 A' },
      { exact: [street[1] as RegisterAddress], street: [], similar: [] },
    );
    expect(r.match).toBe('normalised');
    expect(r.note).toContain('Marktstr. 2 A');
    expect(r.note).toContain('Marktstraße 2a');
  });

  it('is normalised for a range, placed at its first number', () => {
    const r = decideAddress(
      { street: 'Marktstraße', houseNumber: '1-3' },
      { exact: [street[0] as RegisterAddress], street: [], similar: [] },
    );
    expect(r.match).toBe('normalised');
    expect(r.note).toMatch(/range/);
    expect(r.point).toEqual([7.001, 51]);
  });

  it('places a row without house number on its street and names no numbers it cannot know', () => {
    const r = decideAddress({ street: 'Marktstraße', houseNumber: '' }, { exact: [], street, similar: [] });
    expect(r.match).toBe('street');
    expect(r.note).toMatch(/no house number/);
    expect(r.point).not.toBeNull();
    expect(r.candidates.length).toBeGreaterThan(0);
  });

  it('places a house number the register lacks at the nearest number, naming the nearest below and above', () => {
    const r = decideAddress({ street: 'Marktstraße', houseNumber: '7' }, { exact: [], street, similar: [] });
    expect(r.match).toBe('street');
    expect(
      r.candidates
        .map((c) => c.label)
        .slice(0, 2)
        .sort(),
    ).toEqual(['Marktstraße 5', 'Marktstraße 9']);
    expect(r.address).toBe(r.candidates[0]?.label);
  });

  it('leaves an unknown street unmatched with the nearest spellings as candidates, each once', () => {
    const similar = [at(1, 'Marktstraße', '1'), at(2, 'Marktstraße', '2a'), at(3, 'Marktweg', '1')];
    const r = decideAddress({ street: 'Marktgasse', houseNumber: '' }, { exact: [], street: [], similar });
    expect(r).toMatchObject({ match: 'unmatched', point: null, address: null });
    expect(r.candidates.map((c) => c.label)).toEqual(['Marktstraße', 'Marktweg']);
  });
});

describe('decidePosition', () => {
  it('keeps a position inside the city and refuses one outside', () => {
    expect(decidePosition(7.4, 51.5, true)).toMatchObject({ match: 'position', point: [7.4, 51.5] });
    expect(decidePosition(8.4, 50.1, false)).toMatchObject({ match: 'outside', point: null });
  });
});
