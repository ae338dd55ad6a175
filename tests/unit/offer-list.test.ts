import { describe, expect, it } from 'vitest';
import { CATEGORIES } from '../../geodata/categories.ts';
import { type ListFinding, offerListMeta, readDate, readOfferList } from '../../server/domain/offer-list.ts';
import type { CityClock } from '../../server/domain/opening-hours.ts';

const NRW: CityClock = {
  timeZone: 'Europe/Berlin',
  holidays: { country: 'de', state: 'Nordrhein-Westfalen' },
  point: [7.46, 51.51],
};
const Meta = offerListMeta(CATEGORIES.map((c) => c.code));
const META = Meta.parse({
  id: 'jugend',
  title: 'Jugendfreizeitstätten',
  publisher: 'Jugendamt',
  date: '2026-11-30',
  licence: 'dl-de/by-2-0',
  attribution: 'Stadt, Jugendamt',
  visibility: 'public',
  categories: { Jugendtreff: 'youth', Familienbüro: 'family' },
});
const HEADER = [
  'name',
  'category',
  'street',
  'house_number',
  'opening_hours',
  'age_min',
  'age_max',
  'languages',
  'wheelchair',
  'phone',
  'url',
  'programme',
  'valid_from',
  'valid_to',
];
const GOOD = [
  'Jugendtreff Hafen',
  'Jugendtreff',
  'Hafenweg',
  '20',
  'Mo-Th 15:00-20:00; Fr 18:00-02:00',
  '12',
  '21',
  'de, tr',
  'yes',
  '+49 231 123456',
  'https://example.org/treff',
  'Sprachbrücke',
  '01.01.2026',
  '2027-12-31',
];

/** The good row with some cells changed, as row 2 of a list. */
const read = (change: Partial<Record<string, string>> = {}, header = HEADER, meta = META) => {
  const cells = header.map((h, i) => change[h] ?? GOOD[i] ?? '');
  return readOfferList(header, [{ row: 2, cells }], meta, NRW, '2026-12-07');
};
const only = (findings: ListFinding[]) => findings.map(({ row, column, severity }) => ({ row, column, severity }));

describe('readOfferList', () => {
  it('reads a good row into an offer with every field', () => {
    const r = read();
    expect(r.findings).toEqual([]);
    expect(r.rows).toEqual([
      {
        row: 2,
        name: 'Jugendtreff Hafen',
        category: 'youth',
        listCategory: 'Jugendtreff',
        street: 'Hafenweg',
        houseNumber: '20',
        lon: null,
        lat: null,
        openingHours: 'Mo-Th 15:00-20:00; Fr 18:00-02:00',
        ageMin: 12,
        ageMax: 21,
        languages: ['de', 'tr'],
        wheelchair: 'yes',
        phone: '+49 231 123456',
        url: 'https://example.org/treff',
        programme: 'Sprachbrücke',
        validFrom: '2026-01-01',
        validTo: '2027-12-31',
      },
    ]);
  });

  it.each([
    [{ name: '' }, 'name', /no name/],
    [{ category: '' }, 'category', /no category/],
    [{ category: 'Disco' }, 'category', /"Disco" is not mapped/],
    [{ street: '', house_number: '' }, 'street', /neither an address nor a position/],
    [{ opening_hours: 'Mo-Fr 25:99' }, 'opening_hours', /cannot be read/],
    [{ age_min: 'zwölf' }, 'age_min', /not an age/],
    [{ age_max: '200' }, 'age_max', /not an age/],
    [{ age_min: '16', age_max: '12' }, 'age_max', /lies below/],
    [{ languages: 'de, Türkisch' }, 'languages', /"türkisch"/],
    [{ wheelchair: 'ja' }, 'wheelchair', /yes, limited or no/],
    [{ phone: 'call us' }, 'phone', /not a telephone number/],
    [{ url: 'javascript:alert(1)' }, 'url', /not a web address/],
    [{ valid_from: '31.02.2026' }, 'valid_from', /not a date/],
    [{ valid_to: 'bald' }, 'valid_to', /not a date/],
    [{ valid_from: '2027-01-01', valid_to: '2026-12-31' }, 'valid_to', /ends .* before it begins/],
  ])('refuses %j, naming row 2 and the column %s', (change, column, reason) => {
    const r = read(change);
    expect(only(r.findings)).toEqual([{ row: 2, column, severity: 'error' }]);
    expect(r.findings[0]?.reason).toMatch(reason);
    expect(r.rows).toEqual([]);
  });

  it('warns of a row that has ended, and keeps it', () => {
    const r = read({ valid_to: '2026-12-06' });
    expect(only(r.findings)).toEqual([{ row: 2, column: 'valid_to', severity: 'warning' }]);
    expect(r.rows).toHaveLength(1);
  });

  it('warns of opening hours the library reads with a correction', () => {
    const r = read({ opening_hours: 'Mo-Fr 8-12' });
    expect(r.findings.every((f) => f.severity === 'warning' && f.column === 'opening_hours')).toBe(true);
    expect(r.findings.length).toBeGreaterThan(0);
    expect(r.rows).toHaveLength(1);
  });

  it('refuses a second row of the same offer at the same place, naming the first', () => {
    const cells = [...GOOD];
    const r = readOfferList(
      HEADER,
      [
        { row: 2, cells },
        { row: 3, cells },
      ],
      META,
      NRW,
      '2026-12-07',
    );
    expect(only(r.findings)).toEqual([{ row: 3, column: 'name', severity: 'error' }]);
    expect(r.findings[0]?.reason).toMatch(/row 2/);
  });

  it('names missing, doubled and unknown columns in the header (row 1)', () => {
    expect(only(read({}, ['name', 'street']).findings)).toEqual([{ row: 1, column: 'category', severity: 'error' }]);
    expect(only(read({}, ['name', 'category']).findings)).toEqual([{ row: 1, column: 'street', severity: 'error' }]);
    expect(only(read({}, ['name', 'category', 'street', 'lon']).findings)).toEqual([
      { row: 1, column: 'lat', severity: 'error' },
    ]);
    expect(only(read({}, ['name', 'category', 'street', 'name']).findings)).toEqual([
      { row: 1, column: 'name', severity: 'error' },
    ]);
    const extra = read({}, [...HEADER, 'Bemerkung']);
    expect(only(extra.findings)).toEqual([{ row: 1, column: 'bemerkung', severity: 'warning' }]);
    expect(extra.rows).toHaveLength(1);
  });

  it('reads a position instead of an address, and refuses one that is no number', () => {
    const header = ['name', 'category', 'lon', 'lat'];
    const ok = readOfferList(
      header,
      [{ row: 2, cells: ['Treff', 'Jugendtreff', '7,46', '51.51'] }],
      META,
      NRW,
      '2026-12-07',
    );
    expect(ok.rows[0]).toMatchObject({ lon: 7.46, lat: 51.51, street: null });
    const bad = readOfferList(
      header,
      [{ row: 2, cells: ['Treff', 'Jugendtreff', 'east', '51.51'] }],
      META,
      NRW,
      '2026-12-07',
    );
    expect(only(bad.findings)).toEqual([{ row: 2, column: 'lon', severity: 'error' }]);
  });

  it('applies a fix of the metadata to its row: another address or a position', () => {
    const meta = Meta.parse({ ...META, fixes: { '2': { street: 'Hafenweg 040', house_number: '20' } } });
    expect(read({ street: 'Hafnweg' }, HEADER, meta).rows[0]).toMatchObject({
      street: 'Hafenweg 040',
      houseNumber: '20',
    });
    const at = Meta.parse({ ...META, fixes: { '2': { lon: 7.1, lat: 51.1 } } });
    expect(read({ street: 'Hafnweg' }, HEADER, at).rows[0]).toMatchObject({ lon: 7.1, lat: 51.1 });
  });

  it('says when the list has no rows', () => {
    expect(only(readOfferList(HEADER, [], META, NRW, '2026-12-07').findings)).toEqual([
      { row: null, column: null, severity: 'error' },
    ]);
  });
});

describe('offerListMeta', () => {
  it.each([
    [{ visibility: 'secret' }, 'visibility'],
    [{ categories: { Jugendtreff: 'disco' } }, 'categories'],
    [{ categories: {} }, 'categories'],
    [{ date: '2026-13-01' }, 'date'],
    [{ id: 'Jugend Liste' }, 'id'],
    [{ covers: { level: 'quarter' } }, 'covers'],
  ])('refuses %j, naming %s', (change, path) => {
    const r = Meta.safeParse({ ...META, ...change });
    expect(r.success).toBe(false);
    expect(r.error?.issues[0]?.path[0]).toBe(path);
  });
});

describe('readDate', () => {
  it('reads ISO and German dates and refuses days that do not exist', () => {
    expect(readDate('2026-12-07')).toBe('2026-12-07');
    expect(readDate('7.12.2026')).toBe('2026-12-07');
    expect(readDate('29.02.2026')).toBeNull();
    expect(readDate('12/07/2026')).toBeNull();
  });
});
