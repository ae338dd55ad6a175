import { describe, expect, it } from 'vitest';
import type { Catalogue, FacetRow, IndicatorRow, ValueRow } from '../../server/db/queries/indicators.ts';
import { ClassifyError } from '../../server/domain/classify.ts';
import { METHOD_TEXT, NO_VALUE, noValueForDate, VALUE_MISSING } from '../../server/domain/indicators.ts';
import {
  profileBody,
  profileCoverage,
  profileIndicators,
  profileOffers,
} from '../../server/domain/indicators-profile.ts';
import { ProfileResponse, ValuesResponse } from '../../server/domain/indicators-schema.ts';
import {
  catalogueBody,
  hasDate,
  parseBreaks,
  shownLatest,
  showValue,
  valueSource,
  valuesBody,
} from '../../server/domain/indicators-show.ts';
import { latest } from '../support/latest-rows.ts';

const text = (s: string) => ({ de: s, en: s });

function indicator(id: string, extra: Partial<IndicatorRow> = {}): IndicatorRow {
  return {
    id,
    theme: 'social',
    title: text(id),
    description: text(`${id} described`),
    unit: '%',
    direction: 'need',
    method: 'computed',
    method_note: text('how'),
    source_ids: ['stats'],
    count_based: false,
    sort: 1,
    ...extra,
  };
}

function facet(indicator_id: string, family: string, member: string, extra: Partial<FacetRow> = {}): FacetRow {
  return {
    indicator_id,
    family,
    member,
    measure: null,
    radius_m: null,
    parent: null,
    label: text(member),
    sort: 1,
    ...extra,
  };
}

const children = indicator('children', { count_based: true, unit: 'persons', method: 'published' });
const share = indicator('share');
const kitaCount = indicator('offers_kita_count', { theme: 'offers', unit: 'offers' });
const kitaPerKm2 = indicator('offers_kita_per_km2', { theme: 'offers', unit: 'offers/km²' });
const cover500 = indicator('coverage_kita_500m', { theme: 'coverage' });
const cover1000 = indicator('coverage_kita_1000m', { theme: 'coverage' });
const indicators = [children, share, kitaCount, kitaPerKm2, cover500, cover1000];

const cat: Catalogue = {
  city: 'Mini City',
  indicators,
  byId: new Map(indicators.map((i) => [i.id, i])),
  facets: [
    facet('offers_kita_count', 'offers', 'kita', { measure: 'count' }),
    facet('offers_kita_per_km2', 'offers', 'kita', { measure: 'per_km2' }),
    facet('coverage_kita_1000m', 'coverage', 'kita', { radius_m: 1000 }),
    facet('coverage_kita_500m', 'coverage', 'kita', { radius_m: 500 }),
  ],
  sources: new Map([
    [
      'stats',
      {
        id: 'stats',
        title: 'Statistics',
        publisher: 'City',
        licence: 'dl-de/zero-2.0',
        attribution: 'City statistics',
        url: 'https://stats.example',
        reference_date: '2024-12-31',
      },
    ],
  ]),
  levels: [
    {
      indicator_id: 'share',
      level: 'quarter',
      dates: ['2024-12-31', '2023-12-31'],
      latest_dates: ['2024-12-31'],
      areas: 3,
      with_value: 2,
    },
  ],
};

const MIN = 5;

function row(code: string, value: number | null, extra: Partial<ValueRow> = {}): ValueRow {
  return {
    code,
    name: `Area ${code}`,
    has_row: true,
    value,
    reference_date: '2024-12-31',
    method: 'computed',
    source_id: 'stats',
    source_url: null,
    quote: null,
    note: null,
    basis_count: null,
    ...extra,
  };
}

describe('showValue: the privacy rule and missing values', () => {
  it('withholds a count-based value resting on fewer than min_count, saying why', () => {
    const shown = showValue(row('01', 3, { basis_count: 3 }), children, cat, MIN);
    expect(shown).toMatchObject({ value: null, basis_count: null, suppressed: true });
    expect(shown.reason?.en).toMatch(/fewer than 5/);
    // The basis decides, not the value: a small value on a large basis is shown.
    expect(showValue(row('01', 3, { basis_count: 40 }), children, cat, MIN)).toMatchObject({
      value: 3,
      suppressed: false,
    });
    // A published count without a basis rests on itself.
    expect(showValue(row('01', 4), children, cat, MIN).suppressed).toBe(true);
    expect(showValue(row('01', 5), children, cat, MIN).suppressed).toBe(false);
  });

  it('never withholds a value of an indicator that is not count-based', () => {
    expect(showValue(row('01', 1, { basis_count: 1 }), share, cat, MIN)).toMatchObject({ value: 1, suppressed: false });
  });

  it('keeps a missing value null, with the note of the value or the generic reason', () => {
    expect(showValue(row('01', null), share, cat, MIN).reason).toEqual(VALUE_MISSING);
    expect(showValue(row('01', null, { note: '{"de":"fehlt","en":"missing"}' }), share, cat, MIN).reason).toEqual({
      de: 'fehlt',
      en: 'missing',
    });
    const none = showValue({ ...row('01', null), has_row: false }, share, cat, MIN, noValueForDate('2020'));
    expect(none).toMatchObject({ value: null, reference_date: null, source: null, reason: noValueForDate('2020') });
  });

  it('rounds to 6 significant digits and names the source with the value’s own URL first', () => {
    const shown = showValue(
      row('01', 12.3456789, { source_url: 'https://value.example', quote: 'q' }),
      share,
      cat,
      MIN,
    );
    expect(shown.value).toBe(12.3457);
    expect(shown.source).toEqual({
      id: 'stats',
      title: 'Statistics',
      attribution: 'City statistics',
      url: 'https://value.example',
      quote: 'q',
    });
    expect(valueSource({ source_id: 'unknown', source_url: null, quote: null }, cat)).toMatchObject({
      title: 'unknown',
      url: null,
    });
    expect(valueSource({ source_id: null, source_url: null, quote: null }, cat)).toBeNull();
  });
});

describe('valuesBody', () => {
  const stored = {
    rows: [
      row('01', 10),
      row('02', 20),
      row('03', null),
      row('04', 30),
      row('05', 40),
      { ...row('06', null), has_row: false },
    ],
    city: row('city', 25),
  };
  const request = {
    level: 'quarter' as const,
    date: null,
    method: null,
    classification: { method: 'equal-interval' as const, classes: 3 },
  };

  it('lists every area, classifies the values shown and names the missing ones with their reason', () => {
    const body = ValuesResponse.parse(valuesBody(share, cat, stored, request, MIN));
    expect(body.values.map((v) => v.code)).toEqual(['01', '02', '03', '04', '05', '06']);
    expect(body.values.map((v) => v.class)).toEqual([0, 0, null, 1, 2, null]);
    expect(body.classification.breaks).toEqual([20, 30, 40]); // upper bounds: 10–20, 20–30, 30–40
    expect(body.classification.missing).toEqual([
      { code: '03', name: 'Area 03', reason: VALUE_MISSING },
      { code: '06', name: 'Area 06', reason: NO_VALUE },
    ]);
    expect(body.city).toMatchObject({ code: 'city', name: 'Mini City', value: 25, class: null });
    expect(body.indicator.method_text).toEqual(METHOD_TEXT.computed);
  });

  it('says that an area has no value of the date asked for', () => {
    const body = valuesBody(share, cat, stored, { ...request, date: '2023-12-31' }, MIN);
    expect(body.values[5]?.reason).toEqual(noValueForDate('2023-12-31'));
  });

  it('lets a classification the values do not allow throw ClassifyError', () => {
    expect(() =>
      valuesBody(
        share,
        cat,
        stored,
        { ...request, classification: { method: 'manual', classes: 3, breaks: [30, 20] } },
        MIN,
      ),
    ).toThrow(ClassifyError);
  });
});

describe('catalogueBody and query helpers', () => {
  it('lists each indicator with its levels and families, the themes and the methods', () => {
    const body = catalogueBody(cat, MIN);
    expect(body.indicators.map((i) => i.id)).toEqual(indicators.map((i) => i.id));
    expect(body.indicators[1]?.levels).toEqual([
      { level: 'quarter', dates: ['2024-12-31', '2023-12-31'], latest_dates: ['2024-12-31'], areas: 3, with_value: 2 },
    ]);
    expect(body.indicators[2]?.families).toMatchObject([{ family: 'offers', member: 'kita', measure: 'count' }]);
    expect(body.themes.map((t) => t.id)).toEqual(['social', 'offers', 'coverage']);
    expect(body.methods.map((m) => m.method)).toEqual(['published', 'computed', 'modelled']);
    expect(body.min_count).toBe(MIN);
  });

  it('knows the dates of an indicator and reads class breaks', () => {
    expect(hasDate(cat, 'share', '2023-12-31')).toBe(true);
    expect(hasDate(cat, 'share', '2022-12-31')).toBe(false);
    expect(hasDate(cat, 'children', '2024-12-31')).toBe(false);
    expect(parseBreaks(' 1, 2.5,1e3 ')).toEqual([1, 2.5, 1000]);
    expect(parseBreaks(undefined)).toBeUndefined();
  });
});

describe('the fact sheet of an area', () => {
  const atLevel = latest([
    ['children', '01', 3, 3],
    ['children', '02', 50, 50],
    ['share', '01', 20, null],
    ['share', '02', 30, null],
    ['share', '03', 20, null],
    ['offers_kita_count', '01', 4, null],
    ['offers_kita_per_km2', '01', 1.5, null],
    ['coverage_kita_500m', '01', 40, null],
    ['coverage_kita_1000m', '01', 90, null],
  ]);
  const city = latest([
    ['share', 'city', 25, null],
    ['coverage_kita_500m', 'city', 60, null],
  ]);

  it('ranks the area among the values that may be shown, highest first, ties sharing a place', () => {
    const rows = profileIndicators(cat, atLevel, city, '01', MIN);
    const byId = new Map(rows.map((r) => [r.id, r]));
    expect(byId.get('share')).toMatchObject({ value: 20, rank: { position: 2, of: 3 }, city: { value: 25 } });
    // Withheld: no value, no rank, and it does not count among the peers.
    expect(byId.get('children')).toMatchObject({ value: null, suppressed: true, rank: null });
    expect(profileIndicators(cat, atLevel, city, '02', MIN).find((r) => r.id === 'children')?.rank).toEqual({
      position: 1,
      of: 1,
    });
  });

  it('shows the newest value of an area that has none as missing', () => {
    expect(shownLatest(atLevel, share, '99', cat, MIN)).toMatchObject({ value: null, reason: NO_VALUE });
  });

  it('gathers offers per category and coverage per radius from the catalogue’s families', () => {
    const byId = new Map(profileIndicators(cat, atLevel, city, '01', MIN).map((r) => [r.id, r]));
    expect(profileOffers(cat, byId)).toEqual([
      { category: 'kita', label: text('kita'), count: 4, per_km2: 1.5, per_1000_residents: null },
    ]);
    const coverage = profileCoverage(cat, byId, (id) => (id === 'coverage_kita_500m' ? 60 : null));
    expect(coverage).toEqual([
      {
        target: 'kita',
        label: text('kita'),
        radii: [
          { radius_m: 500, indicator_id: 'coverage_kita_500m', value: 40, suppressed: false, city_value: 60 },
          { radius_m: 1000, indicator_id: 'coverage_kita_1000m', value: 90, suppressed: false, city_value: null },
        ],
      },
    ]);
  });

  it('makes a body the API schema accepts', () => {
    const body = profileBody({
      area: {
        level: 'quarter',
        code: '01',
        name: 'Area 01',
        numbered: true,
        parent_code: '1',
        parent_name: 'District 1',
        area_m2: 1_234_567,
      },
      cat,
      atLevel,
      city,
      members: [{ code: 'aa1', name: 'Action area', numbered: true, level: 'action-area', address_share: 0.123456 }],
      chain: {
        threshold: 50,
        stages: [{ stage: 'kita', label: text('Kita'), radius_m: 500, indicator: cover500, parent: null }],
        values: [{ value: 40, suppressed: false, below: true }],
        breaks: ['kita'],
      },
      minCount: MIN,
      ageStages: null,
    });
    expect(ProfileResponse.parse(body)).toEqual(body);
    expect(body.area).toMatchObject({ area_km2: 1.23, parent: { code: '1', name: 'District 1' } });
    expect(body.action_areas.member_of).toEqual([
      { code: 'aa1', name: 'Action area', numbered: true, address_share: 0.1235 },
    ]);
    expect(body.education_chain.stages[0]).toMatchObject({ value: 40, below: true, city_value: 60 });
    expect(body.sources.map((s) => s.id)).toEqual(['stats']);
  });
});
