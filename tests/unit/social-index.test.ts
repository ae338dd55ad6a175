import { describe, expect, it } from 'vitest';
import { type DesignationArea, designate, parseRule, RuleError } from '../../server/domain/designation.ts';
import {
  averageRanks,
  buildChange,
  buildIndex,
  IndexError,
  parseWeights,
  rankBands,
  statusOf,
} from '../../server/domain/social-index.ts';

const NEED = { id: 'poverty', direction: 'need' as const };
const STRENGTH = { id: 'kita_coverage', direction: 'strength' as const };

describe('the composite index', () => {
  // poverty 10, 20, 30 (mean 20, sd 10); coverage 90, 60, 60 (mean 70, sd 17.32).
  const areas = [
    { code: 'a', values: [10, 90] },
    { code: 'b', values: [20, 60] },
    { code: 'c', values: [30, 60] },
    { code: 'd', values: [null, 50] },
  ];

  it('turns an indicator of strength round, so that higher always means more need', () => {
    const onlyCoverage = buildIndex(
      [STRENGTH],
      [1],
      areas.slice(0, 3).map((a) => ({ code: a.code, values: [a.values[1] as number] })),
      'z',
    );
    const sd = Math.sqrt(((90 - 70) ** 2 + 2 * (60 - 70) ** 2) / 2);
    expect(onlyCoverage.areas[0]?.index).toBeCloseTo(-(90 - 70) / sd, 12);
    expect(onlyCoverage.areas[1]?.index).toBeCloseTo((70 - 60) / sd, 12);
    expect(onlyCoverage.standardisation).toEqual([{ id: 'kita_coverage', mean: 70, sd: expect.closeTo(sd, 12) }]);
  });

  it('is the weighted mean of the z-scores, with each indicator’s contribution summing to it', () => {
    const weights = parseWeights('3,1', 2);
    expect(weights).toEqual([0.75, 0.25]);
    const result = buildIndex([NEED, STRENGTH], weights, areas, 'z');
    const sd = Math.sqrt(200 / 2);
    const covSd = Math.sqrt(600 / 2);
    const expected = [
      0.75 * (-10 / sd) + 0.25 * (-20 / covSd),
      0.75 * 0 + 0.25 * (10 / covSd),
      0.75 * (10 / sd) + 0.25 * (10 / covSd),
    ];
    result.areas.slice(0, 3).forEach((a, i) => {
      expect(a.index).toBeCloseTo(expected[i] as number, 12);
      expect((a.contributions as number[]).reduce((s, c) => s + c, 0)).toBeCloseTo(a.index as number, 12);
    });
    expect(result.areas.map((a) => a.rank)).toEqual([3, 2, 1, null]);
    expect(result.complete).toBe(3);
  });

  it('leaves an area missing a value without an index and names what it lacks', () => {
    const result = buildIndex([NEED, STRENGTH], [0.5, 0.5], areas, 'z');
    expect(result.areas[3]).toEqual({
      code: 'd',
      index: null,
      t: null,
      status: null,
      rank: null,
      contributions: [null, null],
      missing: ['poverty'],
    });
  });

  it('ranks instead of standardising on request: (rank − 1)/(n − 1) in the direction of need, ties averaged', () => {
    expect(averageRanks([5, 1, 5, 3])).toEqual([3.5, 1, 3.5, 2]);
    const result = buildIndex([NEED, STRENGTH], [0.5, 0.5], areas, 'rank');
    // poverty ranks 1, 2, 3 → 0, ½, 1; coverage turned: −90, −60, −60 → ranks 1, 2.5, 2.5 → 0, ¾, ¾.
    expect(result.areas.slice(0, 3).map((a) => a.index)).toEqual([0, 0.625, 0.875]);
  });

  it('refuses bad weights with the parameter named, and equal weights by default', () => {
    expect(parseWeights(undefined, 4)).toEqual([0.25, 0.25, 0.25, 0.25]);
    const sum = parseWeights('0.2,0.3,0.1', 3).reduce((s, w) => s + w, 0);
    expect(sum).toBeCloseTo(1, 15);
    for (const bad of ['1,2,3', '1', '1,-1', '1,0', '1,x', '1,NaN', '1,Infinity'])
      expect(() => parseWeights(bad, 2), bad).toThrow(IndexError);
    try {
      parseWeights('1,0', 2);
    } catch (err) {
      expect((err as IndexError).param).toBe('weights');
      expect((err as Error).message).toMatch(/weight 2/);
    }
  });

  it('refuses an index of fewer than three complete areas', () => {
    expect(() => buildIndex([NEED], [1], areas.slice(2), 'z')).toThrow(/at least 3/);
  });

  it('names the status classes as the Berlin monitoring does, by standard deviations of the index', () => {
    expect([2, 1.5, 1.2, 1, 0, -0.99, -1, -3].map(statusOf)).toEqual([
      'very-low',
      'very-low',
      'low',
      'low',
      'medium',
      'medium',
      'high',
      'high',
    ]);
  });

  it('classes change between two dates from the standardised changes', () => {
    const then = [
      { code: 'a', values: [10] },
      { code: 'b', values: [20] },
      { code: 'c', values: [30] },
      { code: 'd', values: [30] },
      { code: 'e', values: [null] },
    ];
    const now = [
      { code: 'a', values: [10] },
      { code: 'b', values: [20] },
      { code: 'c', values: [60] },
      { code: 'd', values: [30] },
      { code: 'e', values: [5] },
    ];
    const change = buildChange([NEED], [1], now, then);
    // Differences 0, 0, 30, 0: mean 7.5, sd 15 → t of c = 1.5 (need grew: negative), the others −0.5 (stable).
    expect(change.get('c')).toEqual({ change: 1.5, t: 1.5, class: 'negative' });
    expect(change.get('a')?.class).toBe('stable');
    expect(change.get('e')).toBeNull();
  });

  it('gives rank bands under perturbed weights: the same seed the same bands, a clear leader a narrow band', () => {
    const many = Array.from({ length: 12 }, (_, i) => ({ code: `q${i}`, values: [i, 100 - ((i * 37) % 100)] }));
    many.push({ code: 'top', values: [100, 0] });
    const options = { draws: 300, concentration: 50, seed: 5 };
    const a = rankBands([NEED, STRENGTH], [0.5, 0.5], many, 'z', options);
    const b = rankBands([NEED, STRENGTH], [0.5, 0.5], many, 'z', options);
    expect(a).toEqual(b);
    expect(a.get('top')).toEqual({ low: 1, median: 1, high: 1 });
    for (const band of a.values()) {
      expect(band.low).toBeLessThanOrEqual(band.median);
      expect(band.median).toBeLessThanOrEqual(band.high);
    }
    // Without draws, no bands.
    expect(rankBands([NEED], [1], many, 'z', { ...options, draws: 0 }).size).toBe(0);
  });
});

describe('designation by a rule on the index', () => {
  const area = (code: string, index: number | null, todayShare: number, residents: number | null = 100) =>
    ({
      code,
      index,
      todayShare,
      addresses: 10,
      residents,
      residentsMethod: code === 'c' ? 'published' : 'modelled',
    }) satisfies DesignationArea;

  it('parses top:N and threshold:X and refuses anything else', () => {
    expect(parseRule('top:5')).toEqual({ kind: 'top', n: 5 });
    expect(parseRule('threshold:-0.5')).toEqual({ kind: 'threshold', x: -0.5 });
    for (const bad of ['top:0', 'top:x', 'top', 'threshold:', 'bottom:3', 'top:5;drop']) {
      expect(() => parseRule(bad), bad).toThrow(RuleError);
    }
  });

  it('splits the selected and today’s areas into both, entering and leaving, with margins and totals', () => {
    const areas = [
      area('a', 2, 1),
      area('b', 1.5, 0),
      area('c', 1, 0.5),
      area('d', -1, 0.8),
      area('e', 0.2, 0.2),
      area('f', null, 1),
    ];
    const d = designate(areas, { kind: 'top', n: 3 });
    expect(d.cut).toBe(1);
    expect(d.selected.map((m) => m.code)).toEqual(['a', 'b', 'c']);
    expect(d.both.map((m) => m.code)).toEqual(['a', 'c']);
    expect(d.entering).toEqual([{ code: 'b', index: 1.5, margin: 0.5, today_share: 0 }]);
    expect(d.leaving).toEqual([{ code: 'd', index: -1, margin: -2, today_share: 0.8 }]);
    expect(d.undetermined).toEqual([{ code: 'f', today: true }]);
    expect(d.totals.today).toEqual({
      areas: 4,
      addresses: 40,
      residents: 400,
      residents_published: 100,
      residents_modelled: 300,
      residents_missing: 0,
    });
    expect(d.totals.selected.areas).toBe(3);
    expect(d.ties).toBe(0);
  });

  it('takes every area tied with the N-th and says how many more that made', () => {
    const d = designate([area('a', 2, 0), area('b', 1, 0), area('c', 1, 0), area('d', 0, 0)], { kind: 'top', n: 2 });
    expect(d.selected.map((m) => m.code)).toEqual(['a', 'b', 'c']);
    expect(d.ties).toBe(1);
  });

  it('selects by threshold on the index scale and counts missing residents apart', () => {
    const d = designate([area('a', 0.5, 0), area('b', 0.49, 1, null), area('c', 3, 0)], { kind: 'threshold', x: 0.5 });
    expect(d.selected.map((m) => m.code)).toEqual(['c', 'a']);
    expect(d.leaving).toEqual([{ code: 'b', index: 0.49, margin: expect.closeTo(-0.01, 12), today_share: 1 }]);
    expect(d.totals.leaving).toMatchObject({ residents: 0, residents_missing: 1 });
  });
});
