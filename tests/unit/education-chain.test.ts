import { describe, expect, it } from 'vitest';
import type { Catalogue, FacetRow, IndicatorRow } from '../../server/db/queries/indicators.ts';
import {
  CHAIN_METHOD,
  chainBody,
  chainOfArea,
  chainStages,
  DEFAULT_THRESHOLD,
} from '../../server/domain/education-chain.ts';
import { ChainResponse } from '../../server/domain/indicators-schema.ts';
import { latest } from '../support/latest-rows.ts';

const text = (s: string) => ({ de: s, en: s });
const MIN = 5;

function indicator(id: string, extra: Partial<IndicatorRow> = {}): IndicatorRow {
  return {
    id,
    theme: 'education',
    title: text(id),
    description: text(`${id} described`),
    unit: '%',
    direction: 'strength',
    method: 'computed',
    method_note: text('how'),
    source_ids: ['stats'],
    count_based: false,
    sort: 1,
    ...extra,
  };
}

function facet(indicator_id: string, member: string, extra: Partial<FacetRow> = {}): FacetRow {
  return {
    indicator_id,
    family: 'education-chain',
    member,
    measure: null,
    radius_m: 1000,
    parent: null,
    label: text(member),
    sort: 1,
    ...extra,
  };
}

const kita = indicator('chain_kita');
const primary = indicator('chain_primary');
const secondary = indicator('chain_secondary');
const gymnasium = indicator('chain_gymnasium');
const counted = indicator('chain_counted', { count_based: true });
const indicators = [kita, primary, secondary, gymnasium, counted];

const cat: Catalogue = {
  city: 'Mini City',
  indicators,
  byId: new Map(indicators.map((i) => [i.id, i])),
  // Given out of order, with facets that are no stages: another family, no radius, no indicator in the catalogue.
  facets: [
    facet('chain_secondary', 'secondary', { radius_m: 2000, sort: 3 }),
    facet('chain_kita', 'kita', { radius_m: 500, sort: 1 }),
    facet('chain_gymnasium', 'gymnasium', { radius_m: 2000, sort: 4, parent: 'secondary' }),
    facet('chain_primary', 'primary', { sort: 2 }),
    facet('chain_counted', 'counted', { sort: 5 }),
    facet('chain_kita', 'kita-any', { radius_m: null, sort: 0 }),
    facet('chain_unknown', 'unknown', { sort: 0 }),
    facet('chain_primary', 'primary', { family: 'coverage', sort: 0 }),
  ],
  sources: new Map(),
  levels: [],
};

describe('chainStages: the stages from the catalogue', () => {
  it('takes the education-chain facets with a radius and a known indicator, in their order', () => {
    const stages = chainStages(cat);
    expect(stages.map((s) => s.stage)).toEqual(['kita', 'primary', 'secondary', 'gymnasium', 'counted']);
    expect(stages[0]).toMatchObject({ radius_m: 500, parent: null, label: text('kita') });
    expect(stages[0]?.indicator).toBe(kita);
    expect(stages[3]).toMatchObject({ stage: 'gymnasium', parent: 'secondary', radius_m: 2000 });
  });

  it('gives no stages for a catalogue without education-chain facets (an import before the derive step)', () => {
    expect(chainStages({ ...cat, facets: [] })).toEqual([]);
  });
});

describe('chainOfArea: the values of one area and where its chain breaks', () => {
  const stages = chainStages(cat);
  const atLevel = latest([
    ['chain_kita', '01', 40, null],
    ['chain_primary', '01', 50, null],
    ['chain_secondary', '01', 80, null],
    ['chain_gymnasium', '01', 10, null],
    ['chain_counted', '01', 3, 3],
    ['chain_kita', '02', null, null],
  ]);

  it('marks a stage under the threshold and breaks the chain only at a main stage', () => {
    const { values, breaks } = chainOfArea(stages, atLevel, '01', DEFAULT_THRESHOLD, cat, MIN);
    expect(values.map((v) => [v.stage, v.value, v.below])).toEqual([
      ['kita', 40, true],
      ['primary', 50, false], // at the threshold is not under it
      ['secondary', 80, false],
      ['gymnasium', 10, true], // a school type under the threshold is shown but breaks nothing
      ['counted', null, null],
    ]);
    expect(breaks).toEqual(['kita']);
  });

  it('withholds a count-based value on too few addresses, and a withheld value breaks nothing', () => {
    const { values, breaks } = chainOfArea(stages, atLevel, '01', 100, cat, MIN);
    expect(values[4]).toEqual({ stage: 'counted', value: null, suppressed: true, below: null });
    expect(breaks).toEqual(['kita', 'primary', 'secondary']);
  });

  it('keeps a missing value missing: no value, not below, no break', () => {
    const { values, breaks } = chainOfArea(stages, atLevel, '02', DEFAULT_THRESHOLD, cat, MIN);
    expect(values.every((v) => v.value === null && v.below === null && !v.suppressed)).toBe(true);
    expect(breaks).toEqual([]);
  });

  it('follows the threshold asked for', () => {
    expect(chainOfArea(stages, atLevel, '01', 30, cat, MIN).breaks).toEqual([]);
    expect(chainOfArea(stages, atLevel, '01', 0, cat, MIN).values.some((v) => v.below)).toBe(false);
  });
});

describe('chainBody: the answer of /api/analysis/education-chain', () => {
  const atLevel = latest([
    ['chain_kita', '01', 40, null],
    ['chain_primary', '01', 90, null],
    ['chain_kita', '02', 45, null],
    ['chain_primary', '02', 20, null],
    ['chain_kita', '03', 70, null],
  ]);
  const city = latest([
    ['chain_kita', 'city', 55, null],
    ['chain_primary', 'city', 60, null],
  ]);
  const areas = [
    { code: '01', name: 'One' },
    { code: '02', name: 'Two' },
    { code: '03', name: 'Three' },
  ];
  const body = chainBody({ level: 'quarter', threshold: 50, cat, atLevel, city, areas, minCount: MIN });

  it('fits the documented response schema', () => {
    expect(ChainResponse.parse(body)).toEqual(body);
  });

  it('gives every stage with the city value (missing where the city has none) and the method', () => {
    expect(body.method).toEqual(CHAIN_METHOD);
    expect(body.stages.map((s) => [s.stage, s.indicator_id, s.city_value])).toEqual([
      ['kita', 'chain_kita', 55],
      ['primary', 'chain_primary', 60],
      ['secondary', 'chain_secondary', null],
      ['gymnasium', 'chain_gymnasium', null],
      ['counted', 'chain_counted', null],
    ]);
  });

  it('gives the areas in the order given, with their breaks, and counts the areas under each stage', () => {
    expect(body.areas.map((a) => [a.code, a.name, a.breaks])).toEqual([
      ['01', 'One', ['kita']],
      ['02', 'Two', ['kita', 'primary']],
      ['03', 'Three', []],
    ]);
    expect(body.summary).toEqual([
      { stage: 'kita', areas_below: 2 },
      { stage: 'primary', areas_below: 1 },
      { stage: 'secondary', areas_below: 0 },
      { stage: 'gymnasium', areas_below: 0 },
      { stage: 'counted', areas_below: 0 },
    ]);
    expect(body).toMatchObject({ level: 'quarter', threshold: 50 });
  });
});
