/**
 * Seeded pseudo-random numbers for the analyses that draw (permutation tests, perturbed weights): the same seed
 * gives the same sequence on every machine, so that an answer can be repeated and kept. Pure, no I/O.
 */

/** A stream of uniform numbers in [0, 1) from a 32-bit seed (mulberry32: small, fast, good enough for resampling). */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** An integer in [0, n). */
export function randomIndex(random: () => number, n: number): number {
  return Math.min(n - 1, Math.floor(random() * n));
}

/** Shuffles `items` in place (Fisher–Yates) and returns it. */
export function shuffle<T>(items: T[], random: () => number): T[] {
  for (let i = items.length - 1; i > 0; i--) {
    const j = randomIndex(random, i + 1);
    const t = items[i] as T;
    items[i] = items[j] as T;
    items[j] = t;
  }
  return items;
}

/** A standard normal draw (Box–Muller). */
export function normal(random: () => number): number {
  const u = 1 - random(); // (0, 1]
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * random());
}

/** A Gamma(shape, 1) draw (Marsaglia and Tsang 2000; shape < 1 by the boost u^(1/shape)). */
export function gamma(shape: number, random: () => number): number {
  if (!(shape > 0)) throw new RangeError(`gamma: shape must be positive, not ${shape}`);
  if (shape < 1) return gamma(shape + 1, random) * (1 - random()) ** (1 / shape);
  const d = shape - 1 / 3;
  const c = 1 / Math.sqrt(9 * d);
  for (;;) {
    let x: number;
    let v: number;
    do {
      x = normal(random);
      v = 1 + c * x;
    } while (v <= 0);
    v = v * v * v;
    const u = 1 - random();
    if (Math.log(u) < 0.5 * x * x + d - d * v + d * Math.log(v)) return d * v;
  }
}

/** A Dirichlet draw with parameters `alpha` (all positive): shares that sum to 1, with mean alpha / sum(alpha). */
export function dirichlet(alpha: readonly number[], random: () => number): number[] {
  // Very small parameters can make every gamma draw underflow to 0: such a draw is taken again.
  for (let attempt = 0; attempt < 100; attempt++) {
    const draws = alpha.map((a) => gamma(a, random));
    const sum = draws.reduce((s, d) => s + d, 0);
    if (sum > 0 && Number.isFinite(sum)) return draws.map((d) => d / sum);
  }
  const total = alpha.reduce((s, a) => s + a, 0);
  return alpha.map((a) => a / total);
}

/** The standard normal distribution function Φ(x): Zelen and Severo (Abramowitz–Stegun 26.2.17), error under 7.5e-8. */
export function normalCdf(x: number): number {
  const t = 1 / (1 + 0.2316419 * Math.abs(x));
  const d = 0.3989422804014327 * Math.exp((-x * x) / 2);
  const tail = d * t * (0.31938153 + t * (-0.356563782 + t * (1.781477937 + t * (-1.821255978 + t * 1.330274429))));
  return x >= 0 ? 1 - tail : tail;
}
