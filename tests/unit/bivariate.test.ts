import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  type AreaInput,
  bivariate,
  CELL_NAMES,
  cellIndex,
  HIGH_NEED_LOW_SUPPLY,
  rankHighNeedLowSupply,
  terciles,
} from '../../server/domain/bivariate.ts';

describe('terciles', () => {
  it('splits at the 1/3 and 2/3 quantiles (definition 7), upper bounds inclusive', () => {
    // h = 8/3 → 3 + 2/3; h = 16/3 → 6 + 1/3
    const t = terciles([9, 8, 7, 6, 5, 4, 3, 2, 1]);
    expect(t.breaks?.[0]).toBeCloseTo(11 / 3, 12);
    expect(t.breaks?.[1]).toBeCloseTo(19 / 3, 12);
    expect(t.counts).toEqual([3, 3, 3]);
    expect([1, 3, 4, 6, 7, 9].map(t.tercileOf)).toEqual([0, 0, 1, 1, 2, 2]);
  });

  it('leaves missing values out and gives them no tercile', () => {
    const t = terciles([null, 1, Number.NaN, 2, 3, undefined]);
    expect(t.missing).toBe(3);
    expect(t.counts).toEqual([1, 1, 1]);
    expect(t.tercileOf(null)).toBeNull();
    expect(t.tercileOf(Number.NaN)).toBeNull();
  });

  it('puts every area in the middle when all values are equal', () => {
    const t = terciles([4, 4, 4, null]);
    expect(t).toMatchObject({ constant: true, counts: [0, 3, 0], missing: 1 });
    expect(t.tercileOf(4)).toBe(1);
  });

  it('has no breaks without values', () => {
    const t = terciles([null, null]);
    expect(t).toMatchObject({ breaks: null, counts: [0, 0, 0], missing: 2 });
    expect(t.tercileOf(1)).toBeNull();
  });

  it('keeps ties together: a tercile can be empty', () => {
    // 1/3 → 0; 2/3 → h = 10/3 → 0 + 1/3 · 5; low: the four zeros, high: 5 and 6
    const t = terciles([0, 0, 0, 0, 5, 6]);
    expect(t.counts).toEqual([4, 0, 2]);
  });
});

describe('bivariate', () => {
  it('names the nine cells need × supply', () => {
    expect(CELL_NAMES).toEqual([
      'low-need/low-supply',
      'low-need/mid-supply',
      'low-need/high-supply',
      'mid-need/low-supply',
      'mid-need/mid-supply',
      'mid-need/high-supply',
      'high-need/low-supply',
      'high-need/mid-supply',
      'high-need/high-supply',
    ]);
    expect(CELL_NAMES[HIGH_NEED_LOW_SUPPLY]).toBe('high-need/low-supply');
    expect(cellIndex(2, 0)).toBe(HIGH_NEED_LOW_SUPPLY);
    expect(cellIndex(null, 0)).toBeNull();
  });

  it('classifies a hand-made city with one area per cell', () => {
    // need 1..9 splits at 3.67 / 6.33, supply 10..90 at 36.7 / 63.3
    const areas: AreaInput[] = [
      { id: 'a', need: 1, supply: 90 },
      { id: 'b', need: 2, supply: 10 },
      { id: 'c', need: 3, supply: 50 },
      { id: 'd', need: 4, supply: 20 },
      { id: 'e', need: 5, supply: 80 },
      { id: 'f', need: 6, supply: 40 },
      { id: 'g', need: 7, supply: 30 },
      { id: 'h', need: 8, supply: 60 },
      { id: 'i', need: 9, supply: 70 },
    ];
    const b = bivariate(areas);
    expect(b.areas.map((a) => [a.id, a.cellName])).toEqual([
      ['a', 'low-need/high-supply'],
      ['b', 'low-need/low-supply'],
      ['c', 'low-need/mid-supply'],
      ['d', 'mid-need/low-supply'],
      ['e', 'mid-need/high-supply'],
      ['f', 'mid-need/mid-supply'],
      ['g', 'high-need/low-supply'],
      ['h', 'high-need/mid-supply'],
      ['i', 'high-need/high-supply'],
    ]);
    expect(b.counts).toEqual([1, 1, 1, 1, 1, 1, 1, 1, 1]);
    expect(b.unclassified).toBe(0);
    expect(b.areas[6]).toMatchObject({ needTercile: 2, supplyTercile: 0, cell: 6 });
  });

  it('leaves areas with a missing value without a cell, but gives the other tercile', () => {
    const b = bivariate([
      { id: 'p', need: 1, supply: null },
      { id: 'q', need: null, supply: 5 },
      { id: 'r', need: 2, supply: 6 },
      { id: 's', need: 3, supply: Number.NaN },
      { id: 't', need: 4, supply: 7 },
    ]);
    // need 1..4 splits at 2 / 3; supply 5, 6, 7 at 5.67 / 6.33
    expect(b.areas.map((a) => [a.id, a.needTercile, a.supplyTercile, a.cellName])).toEqual([
      ['p', 0, null, null],
      ['q', null, 0, null],
      ['r', 0, 1, 'low-need/mid-supply'],
      ['s', 1, null, null],
      ['t', 2, 2, 'high-need/high-supply'],
    ]);
    expect(b.areas[3]?.supply).toBeNull();
    expect(b.unclassified).toBe(3);
    expect(b.need.missing).toBe(1);
    expect(b.supply.missing).toBe(2);
  });

  it('ranks high-need/low-supply areas: highest need first, then lowest supply, then id', () => {
    // need splits at 3.67 / 7 (high: 9, 10, 10), supply at 2.67 / 63.3 (low: 0, 1, 2)
    const b = bivariate([
      { id: 'x1', need: 10, supply: 2 },
      { id: 'x2', need: 10, supply: 1 },
      { id: 'x3', need: 9, supply: 0 },
      { id: 'x4', need: 1, supply: 50 },
      { id: 'x5', need: 2, supply: 60 },
      { id: 'x6', need: 3, supply: 70 },
      { id: 'x7', need: 5, supply: 3 },
      { id: 'x8', need: 6, supply: 80 },
      { id: 'x9', need: 4, supply: 90 },
    ]);
    const ranked = rankHighNeedLowSupply(b);
    expect(ranked.map((a) => [a.rank, a.id])).toEqual([
      [1, 'x2'],
      [2, 'x1'],
      [3, 'x3'],
    ]);
    expect(b.areas[0]?.id).toBe('x1'); // the result keeps the input order
  });

  it('draws the terciles from reference values when given (action areas against the whole city)', () => {
    const reference = { need: [1, 2, 3, 4, 5, 6, 7, 8, 9], supply: [10, 20, 30, 40, 50, 60, 70, 80, 90] };
    const areas: AreaInput[] = [
      { id: 'A', need: 8, supply: 15 },
      { id: 'B', need: 7.5, supply: 25 },
      { id: 'C', need: 9, supply: 45 },
    ];
    // Among themselves the three would be low, mid and high need; against the reference all are high need.
    expect(bivariate(areas).areas.map((a) => a.needTercile)).toEqual([1, 0, 2]);
    const r = bivariate(areas, reference);
    expect(r.need.breaks?.map((b) => Math.round(b * 1000) / 1000)).toEqual([3.667, 6.333]);
    expect(r.need.counts).toEqual([3, 3, 3]);
    expect(r.areas.map((a) => [a.id, a.needTercile, a.supplyTercile, a.cell])).toEqual([
      ['A', 2, 0, 6],
      ['B', 2, 0, 6],
      ['C', 2, 1, 7],
    ]);
    // Supply breaks at 36.7 and 63.3: C (45) is mid supply, not a gap.
    expect(rankHighNeedLowSupply(r).map((a) => a.id)).toEqual(['A', 'B']);
  });

  it('breaks full ties by id', () => {
    const areas = ['c', 'a', 'b'].map((id) => ({ id, need: 10, supply: 0 }));
    const filler = [1, 2, 3, 4, 5, 6].map((v) => ({ id: `f${v}`, need: v, supply: 10 * v }));
    expect(rankHighNeedLowSupply(bivariate([...areas, ...filler])).map((a) => a.id)).toEqual(['a', 'b', 'c']);
  });
});

describe('bivariate: properties', () => {
  const value = fc.oneof(
    { weight: 5, arbitrary: fc.double({ min: -1e6, max: 1e6, noNaN: true }) },
    { weight: 3, arbitrary: fc.integer({ min: 0, max: 4 }) },
    { weight: 1, arbitrary: fc.constantFrom(null, Number.NaN) },
  );
  const areas = fc
    .array(fc.record({ need: value, supply: value }), { maxLength: 60 })
    .map((rows) => rows.map((r, i): AreaInput => ({ id: `area-${i}`, ...r })));

  it('cells agree with the terciles, counts add up, the ranking holds only high-need/low-supply in order', () => {
    fc.assert(
      fc.property(areas, (input) => {
        const b = bivariate(input);
        expect(b.areas).toHaveLength(input.length);
        expect(b.counts.reduce((s, c) => s + c, 0) + b.unclassified).toBe(input.length);
        for (const a of b.areas) {
          if (a.needTercile === null || a.supplyTercile === null) {
            expect(a.cell).toBeNull();
            continue;
          }
          expect(a.cell).toBe(3 * a.needTercile + a.supplyTercile);
          for (const [v, t, split] of [
            [a.need, a.needTercile, b.need],
            [a.supply, a.supplyTercile, b.supply],
          ] as const) {
            if (split.constant) {
              expect(t).toBe(1);
              continue;
            }
            const [t1, t2] = split.breaks as [number, number];
            expect(t).toBe((v as number) <= t1 ? 0 : (v as number) <= t2 ? 1 : 2);
          }
        }
        const ranked = rankHighNeedLowSupply(b);
        expect(ranked).toHaveLength(b.counts[HIGH_NEED_LOW_SUPPLY] as number);
        ranked.forEach((a, i) => {
          expect(a.cellName).toBe('high-need/low-supply');
          const before = ranked[i - 1];
          if (before) {
            expect(before.need as number).toBeGreaterThanOrEqual(a.need as number);
            if (before.need === a.need) expect(before.supply as number).toBeLessThanOrEqual(a.supply as number);
          }
        });
      }),
    );
  });

  it('terciles of distinct values hold a third each, give or take one', () => {
    fc.assert(
      fc.property(
        fc.uniqueArray(fc.double({ min: -1e6, max: 1e6, noNaN: true }), {
          minLength: 2,
          comparator: 'IsStrictlyEqual',
        }),
        (vs) => {
          const { counts } = terciles(vs);
          for (const c of counts) expect(Math.abs(c - vs.length / 3)).toBeLessThanOrEqual(1);
        },
      ),
    );
  });
});
