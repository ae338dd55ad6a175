/**
 * A composite social index over the areas of a level, in the manner of Berlin's Monitoring Soziale
 * Stadtentwicklung (MSS): each indicator turned so that higher means more need, standardised (z-scores) or
 * ranked, the weighted mean of those, classes of status and of change, each indicator's share of the index, and
 * how far each area's rank moves when the weights are perturbed. Pure, no I/O.
 *
 * - Only areas with a value for every indicator take part (complete cases): the means, spreads and ranks are
 *   those of these areas; an area missing a value has no index and names the indicators it lacks.
 * - z: sᵢ = ±(xᵢ − mean) / sd (sample standard deviation), + for an indicator of need, − for one of strength.
 *   rank: sᵢ = (rᵢ − 1) / (n − 1) with rᵢ the average rank in the direction of need (0 least, 1 most need).
 * - Index = Σₖ wₖ sₖ with the weights normalised to sum 1; contribution of indicator k = wₖ sₖ.
 * - Status classes from the standardised index t = (index − mean) / sd, with the class names of the MSS:
 *   t ≥ 1.5 very low status, 1 ≤ t < 1.5 low, −1 < t < 1 medium, t ≤ −1 high. Change classes the same way from
 *   the z-index of the changes between two dates: t ≥ 1 negative (need grew more than elsewhere), t ≤ −1 positive,
 *   stable between.
 * - Rank bands: the index again under `draws` Dirichlet draws of the weights with mean the chosen weights and
 *   concentration c (αₖ = c·wₖ), each area's rank (1 = most need) per draw: its 5th, 50th and 95th percentile.
 */
import { dirichlet, seededRandom } from './random.ts';

export type IndexMethod = 'z' | 'rank';
export type NeedDirection = 'need' | 'strength';
export const STATUS_CLASSES = ['very-low', 'low', 'medium', 'high'] as const;
export type StatusClass = (typeof STATUS_CLASSES)[number];
export const CHANGE_CLASSES = ['negative', 'stable', 'positive'] as const;
export type ChangeClass = (typeof CHANGE_CLASSES)[number];

export class IndexError extends Error {
  constructor(
    readonly param: string,
    message: string,
  ) {
    super(message);
  }
}

export interface IndexIndicator {
  id: string;
  direction: NeedDirection;
}

export interface IndexAreaInput {
  code: string;
  /** One value per indicator, in the order of the indicators; null = missing or withheld. */
  values: (number | null)[];
}

export interface IndexArea {
  code: string;
  index: number | null;
  /** Standardised index: (index − mean) / sd over the areas with an index. */
  t: number | null;
  status: StatusClass | null;
  /** 1 = most need; equal indexes share a rank. */
  rank: number | null;
  /** Per indicator, wₖ sₖ (null without an index). */
  contributions: (number | null)[];
  /** Indicators the area has no value for. */
  missing: string[];
}

export interface IndexResult {
  method: IndexMethod;
  weights: number[];
  /** Areas with a value for every indicator. */
  complete: number;
  /** Per indicator over the complete areas: mean and sample standard deviation (z) or the count ranked. */
  standardisation: { id: string; mean: number; sd: number }[];
  /** Indicators whose values are all the same over the complete areas: their score is 0 everywhere. */
  constant: string[];
  index: { mean: number; sd: number };
  areas: IndexArea[];
}

/**
 * Weights as the query gives them ("2,1,1"), or equal weights when absent: positive numbers, one per indicator,
 * normalised to sum 1. Throws IndexError('weights', …) naming what is wrong.
 */
export function parseWeights(text: string | undefined, count: number): number[] {
  if (text === undefined || text.trim() === '') return Array.from({ length: count }, () => 1 / count);
  const parts = text.split(',').map((p) => p.trim());
  if (parts.length !== count)
    throw new IndexError('weights', `${parts.length} weights for ${count} indicators: give one weight per indicator`);
  const weights = parts.map((p) => (/^[+]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$/.test(p) ? Number(p) : Number.NaN));
  const bad = weights.findIndex((w) => !Number.isFinite(w) || w <= 0);
  if (bad >= 0)
    throw new IndexError(
      'weights',
      `weight ${bad + 1} ("${parts[bad]?.slice(0, 20)}") must be a positive number; leave an indicator out instead of weighting it 0`,
    );
  const sum = weights.reduce((s, w) => s + w, 0);
  return weights.map((w) => w / sum);
}

function meanSd(xs: readonly number[]): { mean: number; sd: number } {
  const mean = xs.reduce((s, x) => s + x, 0) / xs.length;
  const ss = xs.reduce((s, x) => s + (x - mean) ** 2, 0);
  return { mean, sd: xs.length > 1 ? Math.sqrt(ss / (xs.length - 1)) : 0 };
}

/** Average ranks, ascending (1 = smallest); ties share the mean of their positions. */
export function averageRanks(xs: readonly number[]): number[] {
  const order = xs.map((x, i) => ({ x, i })).sort((a, b) => a.x - b.x);
  const ranks = new Array<number>(xs.length);
  for (let start = 0; start < order.length; ) {
    let end = start;
    while (end + 1 < order.length && (order[end + 1] as { x: number }).x === (order[start] as { x: number }).x) end++;
    const avg = (start + end) / 2 + 1;
    for (let k = start; k <= end; k++) ranks[(order[k] as { i: number }).i] = avg;
    start = end + 1;
  }
  return ranks;
}

/** Positions by index, highest first: equal values share a position (1, 2, 2, 4). */
function positions(values: readonly number[]): number[] {
  return values.map((v) => values.filter((o) => o > v).length + 1);
}

/** The scores (direction-aware, standardised or ranked) of the complete areas: scores[area][indicator]. */
function scoresOf(
  indicators: readonly IndexIndicator[],
  rows: readonly (readonly number[])[],
  method: IndexMethod,
): { scores: number[][]; standardisation: IndexResult['standardisation']; constant: string[] } {
  const n = rows.length;
  const scores = rows.map(() => new Array<number>(indicators.length).fill(0));
  const standardisation: IndexResult['standardisation'] = [];
  const constant: string[] = [];
  indicators.forEach((ind, k) => {
    const sign = ind.direction === 'need' ? 1 : -1;
    const column = rows.map((r) => r[k] as number);
    const { mean, sd } = meanSd(column);
    standardisation.push({ id: ind.id, mean, sd });
    if (!(sd > 0)) {
      constant.push(ind.id);
      return;
    }
    if (method === 'z') {
      column.forEach((x, i) => {
        (scores[i] as number[])[k] = (sign * (x - mean)) / sd;
      });
    } else {
      const ranks = averageRanks(column.map((x) => sign * x));
      ranks.forEach((r, i) => {
        (scores[i] as number[])[k] = (r - 1) / (n - 1);
      });
    }
  });
  return { scores, standardisation, constant };
}

export function statusOf(t: number): StatusClass {
  if (t >= 1.5) return 'very-low';
  if (t >= 1) return 'low';
  if (t > -1) return 'medium';
  return 'high';
}

export function changeOf(t: number): ChangeClass {
  if (t >= 1) return 'negative';
  if (t <= -1) return 'positive';
  return 'stable';
}

/** The index of `areas` over `indicators` with `weights` (already normalised). */
export function buildIndex(
  indicators: readonly IndexIndicator[],
  weights: readonly number[],
  areas: readonly IndexAreaInput[],
  method: IndexMethod,
): IndexResult {
  if (indicators.length === 0) throw new IndexError('indicators', 'name at least one indicator');
  const complete = areas.filter((a) => a.values.every((v) => v !== null && Number.isFinite(v)));
  if (complete.length < 3)
    throw new IndexError(
      'indicators',
      `only ${complete.length} areas have a value for every indicator named: at least 3 are needed`,
    );
  const rows = complete.map((a) => a.values as number[]);
  const { scores, standardisation, constant } = scoresOf(indicators, rows, method);
  const indexes = scores.map((s) => s.reduce((sum, x, k) => sum + (weights[k] as number) * x, 0));
  const { mean, sd } = meanSd(indexes);
  const pos = positions(indexes);
  const byCode = new Map(complete.map((a, i) => [a.code, i]));
  return {
    method,
    weights: [...weights],
    complete: complete.length,
    standardisation,
    constant,
    index: { mean, sd },
    areas: areas.map((a) => {
      const i = byCode.get(a.code);
      if (i === undefined)
        return {
          code: a.code,
          index: null,
          t: null,
          status: null,
          rank: null,
          contributions: indicators.map(() => null),
          missing: indicators.filter((_, k) => a.values[k] === null || !Number.isFinite(a.values[k])).map((d) => d.id),
        };
      const index = indexes[i] as number;
      const t = sd > 0 ? (index - mean) / sd : 0;
      return {
        code: a.code,
        index,
        t,
        status: statusOf(t),
        rank: pos[i] as number,
        contributions: (scores[i] as number[]).map((s, k) => (weights[k] as number) * s),
        missing: [],
      };
    }),
  };
}

/**
 * Change between two dates: per indicator the difference now − then over the areas with both, turned and
 * z-standardised, weighted; classes from the standardised change index. Areas without both values: null.
 */
export function buildChange(
  indicators: readonly IndexIndicator[],
  weights: readonly number[],
  now: readonly IndexAreaInput[],
  then: readonly IndexAreaInput[],
): Map<string, { change: number; t: number; class: ChangeClass } | null> {
  const before = new Map(then.map((a) => [a.code, a.values]));
  const diffs = now.map((a) => {
    const old = before.get(a.code);
    return {
      code: a.code,
      values: a.values.map((v, k) => {
        const o = old?.[k];
        return v === null || o === null || o === undefined ? null : v - o;
      }),
    };
  });
  const result = buildIndex(indicators, weights, diffs, 'z');
  return new Map(
    result.areas.map((a) => [
      a.code,
      a.index === null || a.t === null ? null : { change: a.index, t: a.t, class: changeOf(a.t) },
    ]),
  );
}

export interface RankBand {
  low: number;
  median: number;
  high: number;
}

/** The value at quantile q of sorted values (linear between neighbours). */
export function quantile(sorted: readonly number[], q: number): number {
  const pos = (sorted.length - 1) * q;
  const lo = Math.floor(pos);
  const hi = Math.ceil(pos);
  return (sorted[lo] as number) + ((sorted[hi] as number) - (sorted[lo] as number)) * (pos - lo);
}

/**
 * Rank bands of the complete areas under Dirichlet-perturbed weights: per area code the 5th, 50th and 95th
 * percentile of its rank (1 = most need) over `draws` draws. Same seed, same bands.
 */
export function rankBands(
  indicators: readonly IndexIndicator[],
  weights: readonly number[],
  areas: readonly IndexAreaInput[],
  method: IndexMethod,
  options: { draws: number; concentration: number; seed: number },
): Map<string, RankBand> {
  if (options.draws < 1) return new Map();
  const complete = areas.filter((a) => a.values.every((v) => v !== null && Number.isFinite(v)));
  const { scores } = scoresOf(
    indicators,
    complete.map((a) => a.values as number[]),
    method,
  );
  const random = seededRandom(options.seed);
  const alpha = weights.map((w) => w * options.concentration);
  const ranks = complete.map(() => new Array<number>(options.draws));
  for (let d = 0; d < options.draws; d++) {
    const w = dirichlet(alpha, random);
    const pos = positions(scores.map((s) => s.reduce((sum, x, k) => sum + (w[k] as number) * x, 0)));
    pos.forEach((p, i) => {
      (ranks[i] as number[])[d] = p;
    });
  }
  return new Map(
    complete.map((a, i) => {
      const sorted = [...(ranks[i] as number[])].sort((x, y) => x - y);
      return [a.code, { low: quantile(sorted, 0.05), median: quantile(sorted, 0.5), high: quantile(sorted, 0.95) }];
    }),
  );
}
