import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  assignClasses,
  CLASS_METHODS,
  ClassifyError,
  type ClassMethod,
  classIndex,
  classify,
  jenksBreaks,
  quantileSorted,
} from '../../server/domain/classify.ts';
import calemp from '../fixtures/classify/calemp.json' with { type: 'json' };

const range = (from: number, to: number) => Array.from({ length: to - from + 1 }, (_, i) => from + i);
const sum = (xs: readonly number[]) => xs.reduce((s, x) => s + x, 0);
/** Within-class sum of squared deviations of a grouping. */
const sdcm = (groups: readonly (readonly number[])[]) =>
  sum(groups.map((g) => sum(g.map((v) => (v - sum(g) / g.length) ** 2))));

function expectClose(actual: readonly number[], expected: readonly number[], digits: number) {
  expect(actual).toHaveLength(expected.length);
  for (const [i, a] of actual.entries()) expect(a).toBeCloseTo(expected[i] as number, digits);
}

describe('classify: published reference (mapclassify example data, 58 California counties)', () => {
  const y = calemp.values;
  const ref = calemp.expected;

  it('jenks matches mapclassify FisherJenks(k=5)', () => {
    const c = classify(y, { method: 'jenks', classes: 5 });
    expect(c.breaks).toEqual(ref['FisherJenks(k=5)'].bins);
    expect(c.counts).toEqual(ref['FisherJenks(k=5)'].counts);
    expect([c.min, c.max, c.missing]).toEqual([0.13, 4111.45, 0]);
  });

  it('quantile matches mapclassify Quantiles(k=5) (definition 7)', () => {
    const c = classify(y, { method: 'quantile', classes: 5 });
    expectClose(c.breaks, ref['Quantiles(k=5)'].bins, 9);
    expect(c.counts).toEqual(ref['Quantiles(k=5)'].counts);
  });

  it('equal-interval matches mapclassify EqualInterval(k=5)', () => {
    const c = classify(y, { method: 'equal-interval', classes: 5 });
    expectClose(c.unmerged.breaks, ref['EqualInterval(k=5)'].bins, 9);
    expect(c.unmerged.counts).toEqual(ref['EqualInterval(k=5)'].counts);
    // mapclassify leaves the three empty middle intervals; here they join the last class.
    expect(c.counts).toEqual(ref['EqualInterval(k=5)'].counts.filter((n: number) => n > 0));
    expect(c.merged.map((m) => [m.requested, m.reason])).toEqual([
      [1, 'empty'],
      [2, 'empty'],
      [3, 'empty'],
    ]);
  });

  it('stddev with 4 classes has mean ± 1 sample sd, the inner bins of mapclassify StdMean', () => {
    const c = classify(y, { method: 'stddev', classes: 4 });
    const [, minus1, plus1] = ref['StdMean(multiples=[-2,-1,1,2])'].bins as [number, number, number];
    expectClose(c.unmerged.breaks, [minus1, calemp.mean, plus1, 4111.45], 3);
    // 50 counties lie at or below the mean (mapclassify HeadTailBreaks' first class); none below mean - 1 sd.
    expect(c.unmerged.counts).toEqual([0, 50, 6, 2]);
    // The empty first class is merged into the next: its range joins the class up to the mean.
    expectClose(c.breaks, [calemp.mean, plus1, 4111.45], 3);
    expect(c.counts).toEqual([50, 6, 2]);
    expect(c.merged).toEqual([{ requested: 0, into: 0, reason: 'empty' }]);
  });

  it('manual matches mapclassify UserDefined(bins=[22, 674, 4112])', () => {
    const c = classify(y, { method: 'manual', classes: 3, breaks: [22, 674] });
    expect(c.breaks).toEqual([22, 674, 4111.45]);
    expect(c.counts).toEqual([38, 18, 2]);
  });
});

describe('jenks: published test vectors', () => {
  // simple-statistics test/jenks.test.js gives the lower class limits plus the maximum; here the same classes
  // are written as upper bounds.
  it.each([
    { values: [1, 2, 4, 5, 7, 9, 10, 20], k: 3, breaks: [5, 10, 20] }, // ss: [1, 7, 20, 20]
    { values: [2, 32, 33, 34, 100], k: 3, breaks: [2, 34, 100] }, // ss: [2, 32, 100, 100]
    { values: [9, 10, 11, 12, 13], k: 5, breaks: [9, 10, 11, 12, 13] }, // ss: [9, 10, 11, 12, 13, 13]
    // simple-statistics test/ckmeans.test.js, clusters written as their maxima.
    { values: [-1, 2, -1, 2, 4, 5, 6, -1, 2, -1], k: 3, breaks: [-1, 2, 6] },
    { values: [0, 1, 2, 50, 100, 101, 103], k: 3, breaks: [2, 50, 103] },
    { values: [3, 2, 3, 5, 2, 1], k: 3, breaks: [2, 3, 5] },
  ])('$values in $k classes', ({ values, k, breaks }) => {
    expect(classify(values, { method: 'jenks', classes: k }).breaks).toEqual(breaks);
  });
});

describe('classify by hand', () => {
  it('quantile, definition 7: 1..10 in 4 classes', () => {
    // h = 9p: p = .25 → x[2] + .25 = 3.25, p = .5 → 5.5, p = .75 → 7.75
    const c = classify(range(1, 10), { method: 'quantile', classes: 4 });
    expect(c.breaks).toEqual([3.25, 5.5, 7.75, 10]);
    expect(c.counts).toEqual([3, 2, 2, 3]);
  });

  it('quantile merges breaks that ties make equal, and says so', () => {
    // p = .25, .5, .75 all fall on a 0; breaks [0, 0, 0, 2] → [0, 2]
    const c = classify([0, 0, 0, 0, 0, 0, 0, 0, 1, 2], { method: 'quantile', classes: 4 });
    expect(c.classes).toBe(2);
    expect(c.breaks).toEqual([0, 2]);
    expect(c.counts).toEqual([8, 2]);
    expect(c.unmerged).toEqual({ breaks: [0, 0, 0, 2], counts: [8, 0, 0, 2] });
    expect(c.merged).toEqual([
      { requested: 1, into: 1, reason: 'duplicate' },
      { requested: 2, into: 1, reason: 'duplicate' },
    ]);
  });

  it('equal-interval with negative values', () => {
    // range 30, width 10; 0 is the upper bound of the first class and belongs to it
    const c = classify([-10, -5, 0, 5, 20], { method: 'equal-interval', classes: 3 });
    expect(c.breaks).toEqual([0, 10, 20]);
    expect(c.counts).toEqual([3, 1, 1]);
  });

  it('stddev: 0, 4, 8 has mean 4 and sample sd 4', () => {
    expect(classify([0, 4, 8], { method: 'stddev', classes: 3 }).breaks).toEqual([2, 6, 8]);
    // mean + 1 sd = 8 is the maximum: the fourth class repeats it and is merged
    expect(classify([0, 4, 8], { method: 'stddev', classes: 4 })).toMatchObject({
      unmerged: { breaks: [0, 4, 8, 8], counts: [1, 1, 1, 0] },
      breaks: [0, 4, 8],
      counts: [1, 1, 1],
      merged: [{ requested: 3, into: 2, reason: 'duplicate' }],
    });
    // ±0.5 sd and ±1.5 sd; mean + 1.5 sd = 10 lies above the maximum and is reported as 8
    expect(classify([0, 4, 8], { method: 'stddev', classes: 5 })).toMatchObject({
      unmerged: { breaks: [-2, 2, 6, 8, 8], counts: [0, 1, 1, 1, 0] },
      classes: 3,
      breaks: [2, 6, 8],
      counts: [1, 1, 1],
      merged: [
        { requested: 0, into: 0, reason: 'empty' },
        { requested: 4, into: 2, reason: 'duplicate' },
      ],
    });
  });

  it('manual cut points outside the data leave empty classes, which are merged', () => {
    expect(classify([1, 2, 3], { method: 'manual', classes: 3, breaks: [2, 5] })).toMatchObject({
      unmerged: { breaks: [2, 3, 3], counts: [2, 1, 0] },
      breaks: [2, 3],
      counts: [2, 1],
      merged: [{ requested: 2, into: 1, reason: 'duplicate' }],
    });
    expect(classify([10, 20], { method: 'manual', classes: 3, breaks: [0, 5] })).toMatchObject({
      unmerged: { breaks: [0, 5, 20], counts: [0, 0, 2] },
      breaks: [20],
      counts: [2],
      merged: [
        { requested: 0, into: 0, reason: 'empty' },
        { requested: 1, into: 0, reason: 'empty' },
      ],
    });
  });
});

describe('classify: edge cases', () => {
  it('counts null, undefined, NaN and ±Infinity as missing and never classifies them', () => {
    const c = classify([3, null, Number.NaN, 1, undefined, Number.POSITIVE_INFINITY, 2, -Infinity], {
      method: 'quantile',
      classes: 3,
    });
    expect(c.missing).toBe(5);
    expect(sum(c.counts)).toBe(3);
    expect([c.min, c.max]).toEqual([1, 3]);
    for (const v of [null, undefined, Number.NaN, Number.POSITIVE_INFINITY]) expect(c.classOf(v)).toBeNull();
  });

  it('gives no classes when there is no value', () => {
    const c = classify([null, Number.NaN], { method: 'jenks', classes: 5 });
    expect(c).toMatchObject({ classes: 0, breaks: [], counts: [], min: null, max: null, missing: 2 });
    expect(c.classOf(1)).toBeNull();
  });

  it.each(CLASS_METHODS.filter((m) => m !== 'manual'))('%s makes one class of constant data', (method) => {
    const c = classify([7, 7, null, 7], { method, classes: 5 });
    expect(c).toMatchObject({ classes: 1, breaks: [7], counts: [3], min: 7, max: 7, missing: 1 });
    expect(c.merged).toEqual([1, 2, 3, 4].map((requested) => ({ requested, into: 0, reason: 'duplicate' })));
  });

  it('jenks with fewer distinct values than classes gives each value a class', () => {
    const c = classify([1, 1, 2, 2, 3], { method: 'jenks', classes: 5 });
    expect(c).toMatchObject({ classes: 3, breaks: [1, 2, 3], counts: [2, 2, 1] });
    expect(c.merged).toEqual([
      { requested: 3, into: 2, reason: 'duplicate' },
      { requested: 4, into: 2, reason: 'duplicate' },
    ]);
  });

  it('equal-interval merges the intervals nothing falls into with the next', () => {
    const c = classify([0, 10], { method: 'equal-interval', classes: 5 });
    expect(c.unmerged).toEqual({ breaks: [2, 4, 6, 8, 10], counts: [1, 0, 0, 0, 1] });
    expect(c).toMatchObject({ classes: 2, breaks: [2, 10], counts: [1, 1] });
    expect(c.merged).toEqual([1, 2, 3].map((requested) => ({ requested, into: 1, reason: 'empty' })));
    expect(c.classOf(5)).toBe(1);
  });

  it('classOf puts values beyond the range into the first or last class', () => {
    // width 8 / 3: breaks 1 + 8/3, 1 + 16/3, 9
    const c = classify(range(1, 9), { method: 'equal-interval', classes: 3 });
    expect([c.classOf(-100), c.classOf(1), c.classOf(3.6), c.classOf(3.7), c.classOf(9), c.classOf(1e9)]).toEqual([
      0, 0, 0, 1, 2, 2,
    ]);
  });

  it('assignClasses keeps the input order and the gaps', () => {
    expect(assignClasses([5, null, 0, 11, Number.NaN], [3, 6, 9])).toEqual([1, null, 0, 2, null]);
    expect(assignClasses([1, 2], [])).toEqual([null, null]);
  });

  it('quantileSorted interpolates and stays within the data', () => {
    expect(quantileSorted([1, 2, 3, 4], 0.5)).toBe(2.5);
    expect(quantileSorted([1, 2, 3, 4], 0)).toBe(1);
    expect(quantileSorted([1, 2, 3, 4], 1)).toBe(4);
    expect(quantileSorted([5], 0.3)).toBe(5);
  });
});

describe('classify: wrong options name what is wrong', () => {
  const bad = (opts: Parameters<typeof classify>[1]) => {
    try {
      classify([1, 2, 3], opts);
    } catch (err) {
      expect(err).toBeInstanceOf(ClassifyError);
      return { param: (err as ClassifyError).param, message: (err as Error).message };
    }
    throw new Error('expected a ClassifyError');
  };

  it.each([
    [{ method: 'median' as ClassMethod, classes: 5 }, 'method', /unknown method "median"; use one of quantile/],
    [{ method: 'jenks', classes: 2 }, 'classes', /integer from 3 to 9, got 2/],
    [{ method: 'jenks', classes: 10 }, 'classes', /got 10/],
    [{ method: 'quantile', classes: 4.5 }, 'classes', /got 4.5/],
    [{ method: 'jenks', classes: 4, breaks: [1, 2, 3] }, 'breaks', /only method "manual" takes breaks, not "jenks"/],
    [{ method: 'manual', classes: 4 }, 'breaks', /needs 3 ascending cut points for 4 classes/],
    [{ method: 'manual', classes: 4, breaks: [1, 2] }, 'breaks', /2 cut points make 3 classes, but 4 classes/],
    [{ method: 'manual', classes: 3, breaks: [1, Number.NaN] }, 'breaks', /breaks\[1\] is not a finite number/],
    [{ method: 'manual', classes: 4, breaks: [1, 5, 5] }, 'breaks', /breaks\[2\] = 5 is not greater than breaks\[1\]/],
    [{ method: 'manual', classes: 3, breaks: [7, 2] }, 'breaks', /breaks\[1\] = 2 is not greater than breaks\[0\] = 7/],
  ] as const)('%o → %s', (opts, param, message) => {
    const err = bad(opts);
    expect(err.param).toBe(param);
    expect(err.message).toMatch(message);
  });
});

describe('classify: properties', () => {
  const missingValue = fc.constantFrom(null, undefined, Number.NaN, Number.POSITIVE_INFINITY);
  const value = fc.oneof(
    { weight: 6, arbitrary: fc.double({ min: -1e9, max: 1e9, noNaN: true }) },
    { weight: 6, arbitrary: fc.integer({ min: -5, max: 5 }) }, // ties
    { weight: 1, arbitrary: missingValue },
  );
  const values = fc.array(value, { maxLength: 80 });
  const classes = fc.integer({ min: 3, max: 9 });
  const method = fc.constantFrom<ClassMethod>('quantile', 'equal-interval', 'jenks', 'stddev');

  it('counts add up to the non-missing values, every value lies in its class, breaks are ordered', () => {
    fc.assert(
      fc.property(values, classes, method, (vs, k, m) => {
        const c = classify(vs, { method: m, classes: k });
        const present = vs.filter((v): v is number => typeof v === 'number' && Number.isFinite(v));
        expect(c.missing).toBe(vs.length - present.length);
        expect(sum(c.counts)).toBe(present.length);
        expect(c.counts).toHaveLength(c.classes);
        expect(c.breaks).toHaveLength(c.classes);
        expect(c.classes).toBeLessThanOrEqual(k);
        if (present.length === 0) return;
        expect(c.breaks.at(-1)).toBe(c.max);
        for (const [i, b] of c.breaks.entries()) if (i > 0) expect(b).toBeGreaterThanOrEqual(c.breaks[i - 1] as number);
        const histogram = c.breaks.map(() => 0);
        for (const v of present) {
          const i = c.classOf(v) as number;
          expect(v).toBeLessThanOrEqual(c.breaks[i] as number);
          if (i > 0) expect(v).toBeGreaterThan(c.breaks[i - 1] as number);
          histogram[i] = (histogram[i] as number) + 1;
        }
        expect(c.counts).toEqual(histogram);
        // No class is empty; every class asked for is either kept or listed as merged.
        expect(c.counts.every((n) => n > 0)).toBe(true);
        expect(c.classes + c.merged.length).toBe(k);
        expect(c.unmerged.breaks).toHaveLength(k);
        for (const m of c.merged) expect(c.unmerged.counts[m.requested]).toBe(0);
        for (const v of vs) if (!present.includes(v as number)) expect(c.classOf(v)).toBeNull();
      }),
    );
  });

  it('manual classes hold the values between the cut points', () => {
    const cuts = fc.uniqueArray(fc.integer({ min: -50, max: 50 }), { minLength: 2, maxLength: 8 });
    fc.assert(
      fc.property(fc.array(fc.double({ min: -60, max: 60, noNaN: true }), { minLength: 1 }), cuts, (vs, raw) => {
        const breaks = [...raw].sort((a, b) => a - b);
        const c = classify(vs, { method: 'manual', classes: breaks.length + 1, breaks });
        expect(c.classes + c.merged.length).toBe(breaks.length + 1);
        expect(sum(c.counts)).toBe(vs.length);
        for (const v of vs) {
          // Before merging, a value's class is the number of cut points below it; after, its class's range holds it.
          expect(classIndex(c.unmerged.breaks, v)).toBe(breaks.filter((b) => v > b).length);
          const i = c.classOf(v) as number;
          expect(v).toBeLessThanOrEqual(c.breaks[i] as number);
          if (i > 0) expect(v).toBeGreaterThan(c.breaks[i - 1] as number);
        }
      }),
    );
  });

  it('jenks is optimal: no split of the distinct values into the same number of classes does better', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: -30, max: 30 }), { minLength: 1, maxLength: 14 }), classes, (vs, k) => {
        const c = classify(vs, { method: 'jenks', classes: k });
        const ours = sdcm(c.breaks.map((_, i) => vs.filter((v) => c.classOf(v) === i)));
        const distinct = [...new Set(vs)].sort((a, b) => a - b);
        if (distinct.length <= k) {
          expect(c.breaks).toEqual(distinct);
          return;
        }
        expect(c.classes).toBe(k);
        let best = Number.POSITIVE_INFINITY;
        // every choice of k - 1 gaps between the distinct values
        const choose = (from: number, left: number, cuts: number[]): void => {
          if (left === 0) {
            const bounds = [...cuts.map((g) => distinct[g] as number), distinct.at(-1) as number];
            const groups = bounds.map((b, i) => vs.filter((v) => v <= b && (i === 0 || v > (bounds[i - 1] as number))));
            best = Math.min(best, sdcm(groups));
            return;
          }
          for (let g = from; g <= distinct.length - 1 - left; g++) choose(g + 1, left - 1, [...cuts, g]);
        };
        choose(0, k - 1, []);
        expect(ours).toBeCloseTo(best, 9);
      }),
    );
  });

  it('jenks with divide and conquer equals the plain O(k·n²) dynamic programme on larger data', () => {
    const plain = (sorted: number[], k: number): number => {
      const n = sorted.length;
      const ssd = (j: number, i: number) => sdcm([sorted.slice(j, i + 1)]);
      let prev = sorted.map((_, i) => ssd(0, i));
      for (let c = 1; c < k; c++) {
        prev = sorted.map((_, i) => {
          let best = Number.POSITIVE_INFINITY;
          for (let j = c; j <= i; j++) best = Math.min(best, (prev[j - 1] as number) + ssd(j, i));
          return best;
        });
      }
      return prev[n - 1] as number;
    };
    fc.assert(
      fc.property(
        fc.uniqueArray(fc.double({ min: -1000, max: 1000, noNaN: true, noDefaultInfinity: true }), {
          minLength: 10,
          maxLength: 60,
        }),
        classes,
        (vs, k) => {
          const sorted = [...vs].sort((a, b) => a - b);
          const breaks = jenksBreaks(sorted, k);
          const ours = sdcm(
            breaks.map((b, i) => sorted.filter((v) => v <= b && (i === 0 || v > (breaks[i - 1] as number)))),
          );
          const best = plain(sorted, k);
          expect(Math.abs(ours - best)).toBeLessThanOrEqual(1e-7 * Math.max(1, best));
        },
      ),
      { numRuns: 60 },
    );
  });

  it('jenks classifies a few thousand areas into the classes asked for', () => {
    const vs = Array.from({ length: 5000 }, (_, i) => Math.sin(i) * 1000 + (i % 97));
    const c = classify(vs, { method: 'jenks', classes: 9 });
    expect(c.classes).toBe(9);
  });
});
