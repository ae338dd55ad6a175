/**
 * The two-step floating catchment area method (2SFCA; Luo and Wang 2003) on walking distances.
 *
 *   Step 1, per supply site j (a Kita with S_j places): R_j = S_j / Σ_{i : d_ij ≤ d0} P_i,
 *     the places per person of the population P_i living within the catchment d0 of the site;
 *   Step 2, per place of residence i: A_i = Σ_{j : d_ij ≤ d0} R_j,
 *     the places per person of every site within the catchment of the residence.
 *
 * Each site's places are shared out once over the people who can reach it, so Σ_i P_i A_i equals the places of the
 * sites that anyone reaches. A site nobody reaches gives no places to anyone (R_j undefined).
 */
export interface Pair {
  /** Supply site index. */
  site: number;
  /** Residence index. */
  home: number;
  /** Walking distance in metres. */
  m: number;
}

export interface SfcaResult {
  /** R_j per site; NaN where nobody lives within the catchment. */
  ratio: Float64Array;
  /** A_i per residence. */
  access: Float64Array;
}

export function twoStepFca(
  supply: ArrayLike<number>,
  population: ArrayLike<number>,
  pairs: Pair[],
  d0: number,
): SfcaResult {
  const demand = new Float64Array(supply.length);
  for (const p of pairs) if (p.m <= d0) demand[p.site] = (demand[p.site] as number) + (population[p.home] as number);
  const ratio = new Float64Array(supply.length);
  for (let j = 0; j < supply.length; j++)
    ratio[j] = (demand[j] as number) > 0 ? (supply[j] as number) / (demand[j] as number) : Number.NaN;
  const access = new Float64Array(population.length);
  for (const p of pairs) {
    const r = ratio[p.site] as number;
    if (p.m <= d0 && Number.isFinite(r)) access[p.home] = (access[p.home] as number) + r;
  }
  return { ratio, access };
}
