/**
 * The nearest offers on foot, from the nearest in a straight line: each candidate with its walk, never shorter than
 * its straight line (both are measured on the WGS84 ellipsoid; the bound only absorbs rounding), ranked by the
 * order asked. Ranked by walk, the answer is exact when no offer left out can be nearer on foot: every offer beyond
 * the candidates lies at least as far in a straight line as the farthest candidate, and so at least as far on foot.
 */
export type NearestOrder = 'distance' | 'walk';

/** Straight-line candidates looked at for k offers ranked on foot. */
export const walkCandidates = (k: number) => Math.min(200, Math.max(3 * k, k + 10));

export function rankOnFoot<R extends { id: string; distance_m: number }>(
  rows: R[],
  walks: (number | null)[],
  order: NearestOrder,
  k: number,
  /** All offers within the distance limit are among the rows (fewer came back than were asked for). */
  allCandidates: boolean,
): { rows: (R & { walk_m: number | null })[]; exact: boolean } {
  const withWalk = rows.map((r, i) => {
    const w = walks[i];
    return { ...r, walk_m: w === null || w === undefined ? null : Math.max(w, r.distance_m) };
  });
  if (order === 'distance') return { rows: withWalk.slice(0, k), exact: true };
  const ranked = [...withWalk].sort(
    (a, b) =>
      (a.walk_m ?? Number.POSITIVE_INFINITY) - (b.walk_m ?? Number.POSITIVE_INFINITY) ||
      a.distance_m - b.distance_m ||
      (a.id < b.id ? -1 : a.id > b.id ? 1 : 0),
  );
  const kept = ranked.slice(0, k);
  const farthest = Math.max(0, ...rows.map((r) => r.distance_m));
  const last = kept[kept.length - 1]?.walk_m;
  const exact = allCandidates || (kept.length === k && last !== null && last !== undefined && last <= farthest);
  return { rows: kept, exact };
}
