/**
 * Spatial autocorrelation of one indicator over the areas of a level: global Moran's I and the local Moran's I
 * (LISA, Anselin 1995) with pseudo p-values from permutations, as PySAL's esda computes them. Pure, no I/O.
 *
 * - Weights: a contiguity list (which areas touch which: queen contiguity from the polygons), row-standardised:
 *   each neighbour of an area weighs 1 / (its number of neighbours).
 * - Areas without a value (missing or withheld) are left out before the weights are made: they are neither
 *   observations nor anybody's neighbour. An area left with no neighbour is an island: its row of weights is
 *   empty, it counts in the mean and spread of the values, and it has no local statistic.
 * - Global: I = n / S0 · Σᵢⱼ wᵢⱼ zᵢ zⱼ / Σ zᵢ², E[I] = −1 / (n − 1), the variance under normality
 *   (Cliff and Ord), and a pseudo p-value from `permutations` random permutations of all values.
 * - Local: with z standardised (population standard deviation), Iᵢ = (n − 1) / n · zᵢ · Σⱼ wᵢⱼ zⱼ (esda's
 *   scaling; the local values sum to (n − 1) times the global I when there are no islands). The pseudo p-value
 *   comes from conditional permutations: area i keeps its value, its kᵢ neighbours are drawn at random from
 *   the other n − 1 values. Both p-values are folded, one-sided in the direction of the observed statistic:
 *   (min(#sim ≥ obs, #sim < obs) + 1) / (permutations + 1).
 * - Significance at `alpha`: p < alpha, or with `fdr` p below the Benjamini–Hochberg cut-off of all local p.
 * - The same seed gives the same draws, so the same answer.
 */
import { normalCdf, randomIndex, seededRandom, shuffle } from './random.ts';

export type Quadrant = 'high-high' | 'low-low' | 'low-high' | 'high-low';

export interface LisaOptions {
  permutations: number;
  seed: number;
  /** Significance level, e.g. 0.05. */
  alpha: number;
  /** Benjamini–Hochberg false-discovery-rate cut-off instead of alpha for each area alone. */
  fdr: boolean;
}

export interface LisaArea {
  code: string;
  value: number;
  /** The standardised value. */
  z: number;
  /** The spatial lag: the mean standardised value of the neighbours (null for an island). */
  lag: number | null;
  neighbours: string[];
  local_i: number | null;
  quadrant: Quadrant | null;
  p_sim: number | null;
  significant: boolean;
}

export interface LisaResult {
  n: number;
  /** Areas with a value and no neighbour with a value. */
  islands: { code: string; touches: string[] }[];
  left_out: string[];
  neighbours: { min: number; max: number; mean: number };
  global: {
    i: number;
    expected: number;
    variance_normal: number;
    z_normal: number;
    /** Two-sided, under the normality assumption. */
    p_normal: number;
    p_sim: number | null;
    z_sim: number | null;
    mean_sim: number | null;
    sd_sim: number | null;
  };
  /** The p-value below which a local statistic counts as significant (alpha, or the FDR cut-off). */
  cutoff: number;
  areas: LisaArea[];
}

export class LisaError extends Error {}

/** The Benjamini–Hochberg cut-off of a set of p-values at level alpha (esda's `fdr`): p below it is significant. */
export function fdrCutoff(pvalues: readonly number[], alpha: number): number {
  const n = pvalues.length;
  if (n === 0) return alpha;
  const sorted = [...pvalues].sort((a, b) => a - b);
  for (let k = n; k >= 1; k--) {
    const bound = (k * alpha) / n;
    if ((sorted[k - 1] as number) < bound) return bound;
  }
  return alpha / n;
}

/** Folded one-sided pseudo p-value: the share of simulations at least as extreme, on the observed side. */
function pseudoP(observed: number, sims: Float64Array): number {
  let larger = 0;
  for (const s of sims) if (s >= observed) larger++;
  const perms = sims.length;
  if (perms - larger < larger) larger = perms - larger;
  return (larger + 1) / (perms + 1);
}

function meanSd(xs: Float64Array): { mean: number; sd: number } {
  let sum = 0;
  for (const x of xs) sum += x;
  const mean = sum / xs.length;
  let ss = 0;
  for (const x of xs) ss += (x - mean) ** 2;
  return { mean, sd: Math.sqrt(ss / xs.length) };
}

function quadrantOf(z: number, lag: number): Quadrant {
  if (z > 0) return lag > 0 ? 'high-high' : 'high-low';
  return lag > 0 ? 'low-high' : 'low-low';
}

/**
 * Moran's I and LISA of `values` (by area code; null = no value) with the contiguity `touches` (by area code,
 * symmetric). Throws LisaError when fewer than three areas have a value or all values are equal.
 */
export function lisa(
  values: readonly { code: string; value: number | null }[],
  touches: ReadonlyMap<string, readonly string[]>,
  options: LisaOptions,
): LisaResult {
  const present = values.filter(
    (v): v is { code: string; value: number } => v.value !== null && Number.isFinite(v.value),
  );
  const left_out = values.filter((v) => v.value === null || !Number.isFinite(v.value)).map((v) => v.code);
  const n = present.length;
  if (n < 3) throw new LisaError(`only ${n} areas have a value: at least 3 are needed`);
  const index = new Map(present.map((v, i) => [v.code, i]));
  const mean = present.reduce((s, v) => s + v.value, 0) / n;
  const sd = Math.sqrt(present.reduce((s, v) => s + (v.value - mean) ** 2, 0) / n);
  if (!(sd > 0)) throw new LisaError('every area has the same value: there is nothing to correlate');
  const z = Float64Array.from(present, (v) => (v.value - mean) / sd);
  // Neighbours among the areas with a value, each once, in the order of `values`.
  const nb: number[][] = present.map((v) => {
    const own = index.get(v.code) as number;
    const found = new Set<number>();
    for (const c of touches.get(v.code) ?? []) {
      const j = index.get(c);
      if (j !== undefined && j !== own) found.add(j);
    }
    return [...found].sort((a, b) => a - b);
  });
  const lagOf = (zs: ArrayLike<number>, i: number) => {
    const list = nb[i] as number[];
    let s = 0;
    for (const j of list) s += zs[j] as number;
    return s / list.length;
  };
  const islands = nb.flatMap((list, i) => (list.length === 0 ? [i] : []));
  const s0 = n - islands.length;
  if (s0 === 0) throw new LisaError('no area with a value touches another area with a value');

  // Global Moran's I with its moments under normality (esda's Moran: S0, S1, S2 of the row-standardised W).
  const sumZ2 = z.reduce((s, x) => s + x * x, 0);
  const globalI = (zs: ArrayLike<number>) => {
    let cross = 0;
    for (let i = 0; i < n; i++) if ((nb[i] as number[]).length) cross += (zs[i] as number) * lagOf(zs, i);
    return ((n / s0) * cross) / sumZ2;
  };
  const I = globalI(z);
  const expected = -1 / (n - 1);
  const w = (i: number, j: number) => ((nb[i] as number[]).includes(j) ? 1 / (nb[i] as number[]).length : 0);
  let s1 = 0;
  let s2 = 0;
  for (let i = 0; i < n; i++) {
    let rowOut = 0;
    let colIn = 0;
    for (let j = 0; j < n; j++) {
      const wij = w(i, j);
      const wji = w(j, i);
      s1 += (wij + wji) ** 2;
      rowOut += wij;
      colIn += wji;
    }
    s2 += (rowOut + colIn) ** 2;
  }
  s1 /= 2;
  const varianceNormal = (n * n * s1 - n * s2 + 3 * s0 * s0) / ((n * n - 1) * s0 * s0) - expected * expected;
  const zNormal = (I - expected) / Math.sqrt(varianceNormal);

  const random = seededRandom(options.seed);
  const perms = options.permutations;
  let globalSim: { p: number; z: number; mean: number; sd: number } | null = null;
  if (perms > 0) {
    const sims = new Float64Array(perms);
    const shuffled = Array.from(z);
    for (let p = 0; p < perms; p++) {
      shuffle(shuffled, random);
      sims[p] = globalI(shuffled);
    }
    const { mean: m, sd: s } = meanSd(sims);
    globalSim = { p: pseudoP(I, sims), z: (I - m) / s, mean: m, sd: s };
  }

  // Local statistics; conditional permutations draw each area's neighbours from the other n − 1 values.
  const scale = (n - 1) / n;
  const others = new Array<number>(n - 1);
  const local = present.map((v, i) => {
    const list = nb[i] as number[];
    if (list.length === 0) return { lag: null, local_i: null, quadrant: null, p_sim: null };
    const lag = lagOf(z, i);
    const zi = z[i] as number;
    const li = scale * zi * lag;
    let p: number | null = null;
    if (perms > 0) {
      for (let j = 0, k = 0; j < n; j++) if (j !== i) others[k++] = j;
      const k = list.length;
      const sims = new Float64Array(perms);
      for (let s = 0; s < perms; s++) {
        // A partial Fisher–Yates shuffle: the first k of `others` are a random draw without replacement.
        let sum = 0;
        for (let a = 0; a < k; a++) {
          const b = a + randomIndex(random, n - 1 - a);
          const t = others[a] as number;
          others[a] = others[b] as number;
          others[b] = t;
          sum += z[others[a] as number] as number;
        }
        sims[s] = scale * zi * (sum / k);
      }
      p = pseudoP(li, sims);
    }
    return { lag, local_i: li, quadrant: quadrantOf(zi, lag), p_sim: p, code: v.code };
  });
  const pvalues = local.flatMap((l) => (l.p_sim === null ? [] : [l.p_sim]));
  const cutoff = options.fdr ? fdrCutoff(pvalues, options.alpha) : options.alpha;
  const counts = nb.map((l) => l.length);
  return {
    n,
    islands: islands.map((i) => {
      const code = (present[i] as { code: string }).code;
      return { code, touches: [...(touches.get(code) ?? [])].filter((c) => c !== code).sort() };
    }),
    left_out,
    neighbours: {
      min: Math.min(...counts),
      max: Math.max(...counts),
      mean: counts.reduce((s, c) => s + c, 0) / n,
    },
    global: {
      i: I,
      expected,
      variance_normal: varianceNormal,
      z_normal: zNormal,
      p_normal: 2 * (1 - normalCdf(Math.abs(zNormal))),
      p_sim: globalSim?.p ?? null,
      z_sim: globalSim?.z ?? null,
      mean_sim: globalSim?.mean ?? null,
      sd_sim: globalSim?.sd ?? null,
    },
    cutoff,
    areas: present.map((v, i) => {
      const l = local[i] as (typeof local)[number];
      return {
        code: v.code,
        value: v.value,
        z: z[i] as number,
        lag: l.lag,
        neighbours: (nb[i] as number[]).map((j) => (present[j] as { code: string }).code),
        local_i: l.local_i,
        quadrant: l.quadrant,
        p_sim: l.p_sim,
        significant: l.p_sim !== null && l.p_sim < cutoff,
      };
    }),
  };
}
