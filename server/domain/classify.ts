/**
 * Class breaks for choropleth maps. Pure functions, no I/O.
 *
 * Conventions shared by every method:
 * - `breaks` are the upper bounds of the classes, non-decreasing; the last one is the data maximum.
 *   Class 0 holds v <= breaks[0], class i holds breaks[i-1] < v <= breaks[i] (upper bounds inclusive,
 *   as in PySAL mapclassify). A class whose bound equals the previous one, or lies below the minimum, is empty.
 * - Missing values (null, undefined, NaN, ±Infinity) are counted in `missing` and never classified.
 * - Constant data (a single distinct value) always gives one class, whatever the method (manual excepted).
 * - No values at all give zero classes, `breaks: []`, and `min`/`max` null.
 *
 * Methods:
 * - quantile: breaks at the sample quantiles i/k (i = 1..k-1) with linear interpolation between order statistics,
 *   Hyndman & Fan definition 7 (R's default, numpy's `linear`, mapclassify `Quantiles`). Breaks that coincide
 *   because of ties are merged, so fewer classes than asked for can come back.
 * - equal-interval: k classes of width (max - min) / k; the last bound is the maximum (mapclassify `EqualInterval`).
 * - jenks: Fisher's exact optimal partition (Fisher 1958; the criterion of Jenks' natural breaks): the contiguous
 *   classes that minimise the sum of squared deviations from the class means, found by dynamic programming over
 *   the distinct values weighted by their multiplicity, as in Ckmeans.1d.dp (Wang & Song 2011) and
 *   simple-statistics' `ckmeans`, with its divide-and-conquer speed-up (O(k·n·log n)). Bounds are class maxima;
 *   with fewer distinct values than classes each distinct value is a class of its own.
 * - stddev: classes one sample standard deviation (n - 1) wide, centred on the mean: interior breaks at
 *   mean + sd·(i - k/2), i = 1..k-1. With an odd k the middle class straddles the mean (mean ± 0.5 sd), as in
 *   ArcGIS' "Standard Deviation" classification at a 1 sd interval; with an even k the mean is a break, as in
 *   mapclassify `StdMean` with multiples [-1, 0, 1]. The outermost classes are open to the data's extremes.
 *   A break above the maximum is reported as the maximum (the classes beyond it are empty).
 * - manual: the caller's k-1 cut points, finite and strictly ascending; cut points above the maximum are
 *   reported as the maximum, as for stddev.
 *
 * Empty and duplicate classes are merged, and the answer says so. A method can give classes no value falls in:
 * quantile breaks that ties make equal, equal intervals nothing falls into, standard-deviation or manual bounds
 * beyond the data, more Jenks classes than distinct values, constant data. Such a class is dropped and its range
 * joins the next class that holds values (a class after the maximum has no range left), so every class shown
 * holds at least one area. `merged` lists each class asked for that was dropped: its index among the classes the
 * method gave (`requested`), the class of the answer its range went to (`into`), and why (`duplicate`: its upper
 * bound equals the one before, so it could never hold a value; `empty`: it has a range, but no value in it).
 * `unmerged` keeps the method's own breaks and counts, as mapclassify gives them.
 */

export const CLASS_METHODS = ['quantile', 'equal-interval', 'jenks', 'stddev', 'manual'] as const;
export type ClassMethod = (typeof CLASS_METHODS)[number];

export const MIN_CLASSES = 3;
export const MAX_CLASSES = 9;

export type MaybeNumber = number | null | undefined;

export interface ClassifyOptions {
  method: ClassMethod;
  /** Number of classes asked for, an integer from 3 to 9. */
  classes: number;
  /** Method `manual` only: the classes - 1 cut points between the classes, strictly ascending. */
  breaks?: readonly number[];
}

export interface Classification {
  method: ClassMethod;
  /** Number of classes formed: fewer than asked for where empty or duplicate classes were merged (`merged`). */
  classes: number;
  /** Upper bound of each class, non-decreasing, the last one is `max`; length `classes`. */
  breaks: number[];
  min: number | null;
  max: number | null;
  /** Number of values in each class; sums to the number of non-missing values. */
  counts: number[];
  /** Values that were null, undefined or not finite. */
  missing: number;
  /** Class index of a value; null when missing. Values beyond the range go to the first or last class. */
  classOf: (value: MaybeNumber) => number | null;
  /** The classes asked for that were empty or repeated a bound, and the class each was merged into. */
  merged: ClassMerge[];
  /** The method's breaks and counts before empty and duplicate classes were merged (length = classes asked for). */
  unmerged: { breaks: number[]; counts: number[] };
}

export interface ClassMerge {
  /** Index of the dropped class among the classes the method gave, from 0. */
  requested: number;
  /** Index, in the answer, of the class its range went to. */
  into: number;
  /** duplicate: its bound repeats the one before (it can hold nothing); empty: no value falls in its range. */
  reason: 'duplicate' | 'empty';
}

/** A wrong option. `param` names the option (`method`, `classes` or `breaks`) so that a route can report it. */
export class ClassifyError extends Error {
  constructor(
    readonly param: 'method' | 'classes' | 'breaks',
    message: string,
  ) {
    super(`${param}: ${message}`);
    this.name = 'ClassifyError';
  }
}

export function isPresent(value: MaybeNumber): value is number {
  return typeof value === 'number' && Number.isFinite(value);
}

/** Class index of `value` for the given upper bounds (binary search); null for a missing value or no breaks. */
export function classIndex(breaks: readonly number[], value: MaybeNumber): number | null {
  if (!isPresent(value) || breaks.length === 0) return null;
  let lo = 0;
  let hi = breaks.length - 1;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (value <= (breaks[mid] as number)) hi = mid;
    else lo = mid + 1;
  }
  return lo;
}

/** Class index of every value, in input order (null for missing values). */
export function assignClasses(values: readonly MaybeNumber[], breaks: readonly number[]): (number | null)[] {
  return values.map((v) => classIndex(breaks, v));
}

/** Sample quantile of ascending `sorted` at probability p, Hyndman & Fan definition 7. */
export function quantileSorted(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) throw new RangeError('quantile of no values');
  const h = (sorted.length - 1) * Math.min(1, Math.max(0, p));
  const lo = Math.floor(h);
  const a = sorted[lo] as number;
  const b = sorted[Math.min(lo + 1, sorted.length - 1)] as number;
  return a === b ? a : Math.min(b, a + (h - lo) * (b - a));
}

export function classify(values: readonly MaybeNumber[], opts: ClassifyOptions): Classification {
  validate(opts);
  const sorted = values.filter(isPresent).sort((a, b) => a - b);
  const missing = values.length - sorted.length;
  const min = sorted[0];
  const max = sorted[sorted.length - 1];
  let raw: number[];
  if (min === undefined || max === undefined) raw = [];
  else if (opts.method === 'manual') raw = [...(opts.breaks ?? []).map((b) => Math.min(b, max)), max];
  else if (min === max) raw = Array.from({ length: opts.classes }, () => max);
  else raw = METHODS[opts.method](sorted, opts.classes, max);
  const rawCounts = countClasses(raw, sorted);
  const { breaks, merged } = mergeClasses(raw, rawCounts);
  return {
    method: opts.method,
    classes: breaks.length,
    breaks,
    min: min ?? null,
    max: max ?? null,
    counts: rawCounts.filter((n) => n > 0),
    missing,
    classOf: (value) => classIndex(breaks, value),
    merged,
    unmerged: { breaks: raw, counts: rawCounts },
  };
}

function countClasses(breaks: readonly number[], sorted: readonly number[]): number[] {
  const counts = breaks.map(() => 0);
  for (const v of sorted) {
    const c = classIndex(breaks, v) as number;
    counts[c] = (counts[c] as number) + 1;
  }
  return counts;
}

/**
 * Drops the classes no value falls in. The range of a dropped class joins the next kept class: dropping its
 * upper bound does exactly that. The class holding the maximum is always kept, so the last bound stays the maximum.
 */
export function mergeClasses(
  breaks: readonly number[],
  counts: readonly number[],
): { breaks: number[]; merged: ClassMerge[] } {
  const kept: number[] = [];
  const dropped: { requested: number; reason: ClassMerge['reason'] }[] = [];
  const into: number[] = [];
  breaks.forEach((b, i) => {
    if ((counts[i] ?? 0) > 0) {
      kept.push(b);
      return;
    }
    const repeats = i > 0 && b <= (breaks[i - 1] as number);
    dropped.push({ requested: i, reason: repeats ? 'duplicate' : 'empty' });
    into.push(kept.length);
  });
  const last = Math.max(0, kept.length - 1);
  return {
    breaks: kept,
    merged: dropped.map((d, j) => ({ ...d, into: Math.min(into[j] as number, last) })),
  };
}

type BreakMethod = (sorted: number[], k: number, max: number) => number[];

const METHODS: Record<Exclude<ClassMethod, 'manual'>, BreakMethod> = {
  quantile: (sorted, k, max) => {
    const breaks: number[] = [];
    for (let i = 1; i < k; i++) breaks.push(quantileSorted(sorted, i / k));
    breaks.push(max);
    return breaks;
  },
  'equal-interval': (sorted, k, max) => {
    const min = sorted[0] as number;
    return Array.from({ length: k }, (_, i) => (i === k - 1 ? max : min + ((max - min) * (i + 1)) / k));
  },
  stddev: (sorted, k, max) => {
    const n = sorted.length;
    const mean = sorted.reduce((s, v) => s + v, 0) / n;
    const sd = Math.sqrt(sorted.reduce((s, v) => s + (v - mean) ** 2, 0) / (n - 1));
    return Array.from({ length: k }, (_, i) => (i === k - 1 ? max : Math.min(max, mean + sd * (i + 1 - k / 2))));
  },
  // Fewer distinct values than classes: the classes beyond them repeat the maximum (and are merged).
  jenks: (sorted, k, max) => {
    const breaks = jenksBreaks(sorted, k);
    return [...breaks, ...Array.from({ length: k - breaks.length }, () => max)];
  },
};

/**
 * Fisher/Jenks breaks (class maxima) of ascending, finite `sorted`: the partition into at most k contiguous
 * classes with the least within-class sum of squared deviations.
 */
export function jenksBreaks(sorted: readonly number[], k: number): number[] {
  // Distinct values with their multiplicity: ties never straddle a break.
  const xs: number[] = [];
  const ws: number[] = [];
  for (const v of sorted) {
    if (xs[xs.length - 1] === v) {
      ws[ws.length - 1] = (ws[ws.length - 1] as number) + 1;
    } else {
      xs.push(v);
      ws.push(1);
    }
  }
  const m = xs.length;
  if (m <= k) return xs;
  // Prefix sums of weight, weighted value and weighted square, shifted by the mean against cancellation.
  const shift = sorted.reduce((s, v) => s + v, 0) / sorted.length;
  const W = new Float64Array(m + 1);
  const S = new Float64Array(m + 1);
  const Q = new Float64Array(m + 1);
  for (let i = 0; i < m; i++) {
    const w = ws[i] as number;
    const x = (xs[i] as number) - shift;
    W[i + 1] = (W[i] as number) + w;
    S[i + 1] = (S[i] as number) + w * x;
    Q[i + 1] = (Q[i] as number) + w * x * x;
  }
  /** Sum of squared deviations of distinct values j..i (inclusive). */
  const ssd = (j: number, i: number): number => {
    const w = (W[i + 1] as number) - (W[j] as number);
    const s = (S[i + 1] as number) - (S[j] as number);
    return Math.max(0, (Q[i + 1] as number) - (Q[j] as number) - (s * s) / w);
  };
  // cost[c][i]: least cost of values 0..i in c+1 classes; start[c][i]: first value of the last of those classes.
  const cost = Array.from({ length: k }, () => new Float64Array(m));
  const start = Array.from({ length: k }, () => new Int32Array(m));
  const first = rowOf(cost, 0);
  for (let i = 0; i < m; i++) first[i] = ssd(0, i);
  for (let c = 1; c < k; c++) {
    const prev = rowOf(cost, c - 1);
    const cur = rowOf(cost, c);
    const from = rowOf(start, c);
    // The best start of the last class does not decrease with i (the cost is Monge), so divide and conquer.
    const solve = (iLo: number, iHi: number, jLo: number, jHi: number): void => {
      if (iLo > iHi) return;
      const i = (iLo + iHi) >> 1;
      let best = Number.POSITIVE_INFINITY;
      let bestJ = Math.max(jLo, c);
      for (let j = bestJ; j <= Math.min(jHi, i); j++) {
        const total = (prev[j - 1] as number) + ssd(j, i);
        if (total < best) {
          best = total;
          bestJ = j;
        }
      }
      cur[i] = best;
      from[i] = bestJ;
      solve(iLo, i - 1, jLo, bestJ);
      solve(i + 1, iHi, bestJ, jHi);
    };
    solve(c, m - 1, c, m - 1);
  }
  const breaks: number[] = new Array(k);
  let end = m - 1;
  for (let c = k - 1; c >= 0; c--) {
    breaks[c] = xs[end] as number;
    end = (c === 0 ? 0 : (rowOf(start, c)[end] as number)) - 1;
  }
  return breaks;
}

/** Row `c` of a table made with one row per class. */
function rowOf<T>(rows: readonly T[], c: number): T {
  const row = rows[c];
  if (row === undefined) throw new Error(`no row ${c} of ${rows.length}`);
  return row;
}

function validate(opts: ClassifyOptions): void {
  const { method, classes, breaks } = opts;
  if (!(CLASS_METHODS as readonly string[]).includes(method))
    throw new ClassifyError(
      'method',
      `unknown method ${JSON.stringify(method)}; use one of ${CLASS_METHODS.join(', ')}`,
    );
  if (!Number.isInteger(classes) || classes < MIN_CLASSES || classes > MAX_CLASSES)
    throw new ClassifyError('classes', `must be an integer from ${MIN_CLASSES} to ${MAX_CLASSES}, got ${classes}`);
  if (method !== 'manual') {
    if (breaks !== undefined) throw new ClassifyError('breaks', `only method "manual" takes breaks, not "${method}"`);
    return;
  }
  if (breaks === undefined)
    throw new ClassifyError(
      'breaks',
      `method "manual" needs ${classes - 1} ascending cut points for ${classes} classes`,
    );
  if (breaks.length !== classes - 1)
    throw new ClassifyError(
      'breaks',
      `${breaks.length} cut points make ${breaks.length + 1} classes, but ${classes} classes were asked for; ` +
        `give ${classes - 1} cut points (the maximum closes the last class)`,
    );
  breaks.forEach((b, i) => {
    if (typeof b !== 'number' || !Number.isFinite(b))
      throw new ClassifyError('breaks', `breaks[${i}] is not a finite number (${String(b)})`);
    const before = breaks[i - 1];
    if (before !== undefined && b <= before)
      throw new ClassifyError(
        'breaks',
        `breaks[${i}] = ${b} is not greater than breaks[${i - 1}] = ${before}; cut points must be strictly ascending`,
      );
  });
}
