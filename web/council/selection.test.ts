import { describe, expect, it } from 'vitest';
import type { CatalogueIndicator, Gaps, Profile } from './council-api.ts';
import { available, comparisonsOf, gapRows, inCardOrder, isIntensive, offerRows, pairs } from './selection.ts';

const label = (de: string) => ({ de, en: de });

function entry(id: string, withValue: number, families: CatalogueIndicator['families'] = []): CatalogueIndicator {
  return {
    id,
    families,
    levels: [{ level: 'action-area', dates: [], latest_dates: [], areas: 15, with_value: withValue }],
  } as unknown as CatalogueIndicator;
}

describe('available', () => {
  it('keeps the wanted ids the catalogue has values for at the action-area level, in the wanted order', () => {
    const catalogue = [entry('b', 15), entry('a', 15), entry('c', 0)];
    expect(available(['a', 'c', 'x', 'b'], catalogue)).toEqual(['a', 'b']);
  });
});

describe('pairs and comparisonsOf', () => {
  it('asks for two indicators at a time and files each answer under its indicator', () => {
    const asked = pairs(['a', 'b', 'c']);
    expect(asked).toEqual([
      ['a', 'b'],
      ['c', 'c'],
    ]);
    const answer = (need: number, supply: number) =>
      ({ action_areas: { comparison: { need: { rest: need }, supply: { rest: supply } } } }) as unknown as Gaps;
    const map = comparisonsOf(asked, [answer(1, 2), answer(3, 3)]);
    expect([...map].map(([id, c]) => [id, c.rest])).toEqual([
      ['a', 1],
      ['b', 2],
      ['c', 3],
    ]);
  });
});

describe('isIntensive', () => {
  it('averages shares, indices and rates, never counts', () => {
    expect(isIntensive('%')).toBe(true);
    expect(isIntensive('index 1–9')).toBe(true);
    expect(isIntensive('places per 1,000 residents')).toBe(true);
    expect(isIntensive('persons')).toBe(false);
    expect(isIntensive('offers')).toBe(false);
  });
});

const profile = {
  offers: [{ category: 'childcare', label: label('Kita'), count: 22, per_km2: 6.8, per_1000_residents: 10.7369 }],
  coverage: [
    {
      target: 'childcare',
      label: label('Kita'),
      radii: [
        { radius_m: 300, indicator_id: 'coverage_childcare_300m', value: 94.5, suppressed: false, city_value: 48.1 },
        {
          radius_m: 500,
          indicator_id: 'coverage_childcare_500m',
          value: 96.0957,
          suppressed: false,
          city_value: 78.6591,
        },
      ],
    },
    {
      target: 'school_hauptschule',
      label: label('Hauptschule'),
      radii: [{ radius_m: 1000, indicator_id: 'x', value: 5, suppressed: false, city_value: 14 }],
    },
    {
      target: 'youth',
      label: label('Jugend'),
      radii: [{ radius_m: 500, indicator_id: 'coverage_youth_500m', value: null, suppressed: true, city_value: 2.4 }],
    },
  ],
} as unknown as Profile;

describe('gapRows', () => {
  it('turns coverage within the radius into the share beyond it, missing stays missing', () => {
    const rows = gapRows(profile, 500);
    expect(rows.map((r) => [r.target, r.beyond, r.cityBeyond, r.suppressed])).toEqual([
      ['childcare', 3.9043, 21.3409, false],
      ['youth', null, 97.6, true],
    ]);
  });

  it('keeps every digit of the coverage it is made from', () => {
    const one = {
      ...profile,
      coverage: [
        {
          target: 'childcare',
          label: label('Kita'),
          radii: [{ radius_m: 500, indicator_id: 'c', value: 6.10054, suppressed: false, city_value: 0.000001 }],
        },
      ],
    } as unknown as Profile;
    expect(gapRows(one, 500).map((r) => [r.beyond, r.cityBeyond])).toEqual([[93.89946, 99.999999]]);
  });
});

describe('offerRows', () => {
  it('finds the indicators behind the counts and rates in the catalogue’s families', () => {
    const catalogue = [
      entry('offers_childcare_count', 15, [{ family: 'offers', member: 'childcare', measure: 'count' }] as never),
      entry('offers_childcare_per_1000_residents', 15, [
        { family: 'offers', member: 'childcare', measure: 'per_1000_residents' },
      ] as never),
    ];
    expect(offerRows(profile, catalogue)).toEqual([
      {
        category: 'childcare',
        label: label('Kita'),
        count: 22,
        per1000: 10.7369,
        countId: 'offers_childcare_count',
        per1000Id: 'offers_childcare_per_1000_residents',
      },
    ]);
  });
});

describe('inCardOrder', () => {
  it('puts the numbered areas first, by number, then the small unnumbered ones', () => {
    const f = (code: string, numbered: boolean) => ({ properties: { code, numbered } });
    const ordered = inCardOrder([
      f('wambeler-heide', false),
      f('123', true),
      f('013', true),
      f('meylantviertel', false),
    ]);
    expect(ordered.map((x) => x.properties.code)).toEqual(['013', '123', 'meylantviertel', 'wambeler-heide']);
  });
});
