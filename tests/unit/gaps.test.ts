import { describe, expect, it } from 'vitest';
import { terciles } from '../../server/domain/bivariate.ts';
import {
  againstRest,
  analyseGaps,
  collapseOf,
  type GapArea,
  type SourcedValue,
  spearman,
  turnFor,
} from '../../server/domain/gaps.ts';

const value = (v: number | null, extra: Partial<SourcedValue> = {}): SourcedValue => ({
  value: v,
  reason: v === null ? { de: 'fehlt', en: 'missing' } : null,
  method: 'computed',
  reference_date: '2024',
  basis_count: v === null ? null : 100,
  note: null,
  source: null,
  ...extra,
});
const area = (code: string, need: number | null, supply: number | null, borrowed?: number): GapArea => ({
  code,
  name: `Area ${code}`,
  need: value(need),
  supply: value(supply),
  borrowed: borrowed === undefined ? null : { indicator_id: 'need_borrowed', value: value(borrowed) },
});
const title = { de: 'Bedarf', en: 'Need' };
const base = {
  need: turnFor('need', 'need'),
  supply: turnFor('strength', 'supply'),
  reference: null,
  actionAreas: [],
  quarters: { need: [], supply: [] },
  rest: { need: null, supply: null },
  needIsAccess: false,
  needTitle: title,
};

describe('collapseOf: terciles that ties collapse', () => {
  it('flags 43/0/19, the split of "share of addresses in an action area" over 62 quarters', () => {
    const split = terciles([...Array(43).fill(0), ...Array.from({ length: 19 }, (_, i) => i + 1)]);
    expect(split.counts).toEqual([43, 0, 19]);
    const w = collapseOf(split, 'need');
    expect(split.breaks).toEqual([0, 0]);
    expect(w?.code).toBe('need-collapsed');
    expect(w?.collapsed).toBe(true);
    expect(w?.message.en).toContain('43/0/19');
    expect(w?.message.en).toContain('no ranking of gaps');
  });

  it('flags constant values and coinciding breaks, warns of uneven splits, and passes an even split', () => {
    expect(collapseOf(terciles([5, 5, 5, 5]), 'supply')?.code).toBe('supply-collapsed');
    expect(collapseOf(terciles([0, 0, 0, 0, 0, 1, 2]), 'need')?.code).toBe('need-collapsed'); // 5/0/2, breaks 0 and 0
    // 0, 0, 0, 0, 1, 2: breaks 0 and 0.33 differ; the middle is empty, but "high" is still the top third.
    expect(collapseOf(terciles([0, 0, 0, 0, 1, 2]), 'need')).toMatchObject({ code: 'need-uneven', collapsed: false });
    // 0, 100, 100: breaks 66.7 and 100 differ, no area is high; uneven, but the low group is sound.
    const uneven = collapseOf(terciles([0, 100, 100]), 'supply');
    expect(uneven).toMatchObject({ code: 'supply-uneven', collapsed: false });
    expect(uneven?.message.en).toContain('1/2/0');
    expect(collapseOf(terciles([1, 2, 3, 4, 5, 6, 7, 8, 9]), 'need')).toBeNull(); // 3/3/3
    expect(collapseOf(terciles([]), 'need')).toBeNull();
  });
});

describe('analyseGaps', () => {
  it('ranks high need with low supply, and says where each need value comes from', () => {
    const r = analyseGaps({
      ...base,
      areas: [area('a', 9, 10, 90), area('b', 5, 50, 0), area('c', 1, 90, 0)],
    });
    expect(r.areas.map((a) => [a.code, a.need_tercile, a.supply_tercile, a.cell])).toEqual([
      ['a', 2, 0, 6],
      ['b', 1, 1, 4],
      ['c', 0, 2, 2],
    ]);
    expect(r.gaps.map((g) => [g.rank, g.code])).toEqual([[1, 'a']]);
    expect(r.gaps[0]?.need_source).toMatchObject({
      method: 'computed',
      reference_date: '2024',
      basis_count: 100,
      borrowed: { indicator_id: 'need_borrowed', share: 90 },
    });
    // The top gap takes its need mostly from elsewhere: the answer says so.
    expect(r.warnings.map((w) => w.code)).toEqual(['need-borrowed']);
    expect(r.warnings[0]?.message.en).toContain('Area a');
    expect(r.ranking_withheld).toBe(false);
    // A withheld share carries no note with counts.
    const withheld = analyseGaps({
      ...base,
      areas: [
        { ...area('a', 9, 10), borrowed: { indicator_id: 'b', value: value(null, { note: { de: '2', en: '2' } }) } },
      ],
    });
    expect(withheld.areas[0]?.need_source.borrowed).toEqual({
      indicator_id: 'b',
      share: null,
      basis_count: null,
      note: null,
    });
  });

  it('withholds the ranking when ties collapse the need terciles, and says why', () => {
    const areas = [
      ...Array.from({ length: 7 }, (_, i) => area(`z${i}`, 0, i * 10)),
      area('x', 40, 5),
      area('y', 60, 1),
    ];
    const r = analyseGaps({ ...base, areas });
    expect(r.need.counts).toEqual([7, 0, 2]);
    expect(r.needCollapsed).toBe(true);
    expect(r.ranking_withheld).toBe(true);
    expect(r.gaps).toEqual([]);
    expect(r.warnings[0]?.code).toBe('need-collapsed');
    // The cells are still given.
    expect(r.cells.reduce((n, c) => n + c.count, 0)).toBe(9);
  });

  it('places action areas in the terciles of the whole city and compares them with the rest of it', () => {
    const quarters = { need: [1, 2, 3, 4, 5, 6, 7, 8, 9], supply: [9, 8, 7, 6, 5, 4, 3, 2, 1] };
    const aas = [
      { ...area('A', 8, 2), numbered: true },
      { ...area('B', 7.5, 3), numbered: true },
      { ...area('C', 7, 2.5), numbered: false },
    ];
    // At action-area level the three would split low/mid/high among themselves; against the city all are high need.
    const own = analyseGaps({ ...base, areas: aas });
    expect(own.areas.map((a) => a.need_tercile)).toEqual([2, 1, 0]);
    const r = analyseGaps({
      ...base,
      areas: aas,
      reference: { level: 'quarter', ...quarters },
      actionAreas: aas,
      quarters,
      rest: { need: 4, supply: 6 },
    });
    expect(r.reference).toEqual({ level: 'quarter', areas: 9 });
    expect(r.areas.map((a) => a.need_tercile)).toEqual([2, 2, 2]);
    expect(r.action_areas.map((a) => [a.code, a.need_tercile, a.need_vs_rest, a.supply_vs_rest])).toEqual([
      ['A', 2, 'higher', 'lower'],
      ['B', 2, 'higher', 'lower'],
      ['C', 2, 'higher', 'lower'],
    ]);
    expect(r.need.counts).toEqual([3, 3, 3]);
  });

  it('warns when the need chosen measures access to offers, not need', () => {
    const r = analyseGaps({ ...base, areas: [area('a', 1, 1), area('b', 2, 2), area('c', 3, 3)], needIsAccess: true });
    expect(r.warnings.map((w) => w.code)).toContain('need-is-access');
  });
});

describe('turnFor and againstRest', () => {
  it('turns a strength used as need and a need used as supply', () => {
    expect(turnFor('strength', 'need').inverted).toBe(true);
    expect(turnFor('need', 'need').inverted).toBe(false);
    expect(turnFor('need', 'supply').inverted).toBe(true);
    expect(turnFor('neutral', 'supply').turn(3)).toBe(3);
  });

  it('compares in the direction of need or supply', () => {
    expect(againstRest(8, 4, turnFor('need', 'need'))).toBe('higher');
    expect(againstRest(8, 4, turnFor('strength', 'need'))).toBe('lower');
    expect(againstRest(4, 4, turnFor('need', 'need'))).toBe('equal');
    expect(againstRest(null, 4, turnFor('need', 'need'))).toBeNull();
  });
});

describe('spearman', () => {
  it('gives the textbook value with ties and the extremes', () => {
    // IQ and hours of TV per week (the standard worked example): ρ = −29/165.
    const iq = [106, 86, 100, 101, 99, 103, 97, 113, 112, 110];
    const tv = [7, 0, 27, 50, 28, 29, 20, 12, 6, 17];
    expect(spearman(iq, tv)).toBeCloseTo(-29 / 165, 12);
    expect(spearman([1, 2, 3, 4], [10, 20, 30, 40])).toBeCloseTo(1, 12);
    expect(spearman([1, 2, 3, 4], [4, 3, 2, 1])).toBeCloseTo(-1, 12);
    // Ties share their mean rank: ranks y = 1, 2, 3.5, 3.5 → ρ = 0.9487 (Pearson of the ranks).
    expect(spearman([1, 2, 3, 4], [1, 2, 3, 3])).toBeCloseTo(3 / Math.sqrt(10), 12);
    expect(spearman([1, null, 3], [1, 2, 3])).toBeNull();
    expect(spearman([1, 1, 1], [1, 2, 3])).toBeNull();
  });
});
